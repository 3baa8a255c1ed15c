"""Every chart in nrrkit.plot, drawn on the sample company, is readable: no two pieces of text
overlap, no text leaves the figure, and no text is smaller than 9 points.

``text_problems`` is the one check; each chart is drawn the way the notebooks draw it
(an explicit figure size, constrained layout) and rendered before its text is measured.
"""

from __future__ import annotations

import itertools

import matplotlib.pyplot as plt
import pytest
from matplotlib.text import Text

import nrrkit as nk
from nrrkit import levers, plot, scenarios


def _texts(fig):
    """Every piece of text the figure draws (tick labels of ticks outside the view are not drawn)."""
    shown = set()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            lo, hi = sorted(axis.get_view_interval())
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                if lo - 1e-9 <= tick.get_loc() <= hi + 1e-9:
                    shown.update(id(x) for x in (tick.label1, tick.label2))
    out = []
    for t in fig.findobj(lambda a: isinstance(a, Text)):
        if not t.get_visible() or not str(t.get_text()).strip():
            continue
        in_tick = any(t is getattr(tk, "label1", None) or t is getattr(tk, "label2", None)
                      for ax in fig.axes for axis in (ax.xaxis, ax.yaxis)
                      for tk in axis.get_major_ticks() + axis.get_minor_ticks())
        if in_tick and id(t) not in shown:
            continue
        out.append(t)
    return out


def text_problems(fig, *, min_points: float = 9.0, tolerance: float = 1.0) -> list[str]:
    """What makes the figure's text hard to read: overlaps between text boxes, text outside
    the figure, text below ``min_points``.  Empty when the chart is readable."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    frame = fig.bbox
    boxes = []
    problems = []
    for t in _texts(fig):
        bb = t.get_window_extent(renderer)
        if bb.width <= 0 or bb.height <= 0:
            continue
        label = repr(str(t.get_text())[:30])
        if t.get_fontsize() < min_points - 1e-9:
            problems.append(f"{label} is {t.get_fontsize():.1f} pt")
        if (bb.x0 < frame.x0 - tolerance or bb.y0 < frame.y0 - tolerance or bb.x1 > frame.x1 + tolerance
                or bb.y1 > frame.y1 + tolerance):
            problems.append(f"{label} leaves the figure")
        boxes.append((label, bb))
    for (la, a), (lb, b) in itertools.combinations(boxes, 2):
        w = min(a.x1, b.x1) - max(a.x0, b.x0)
        h = min(a.y1, b.y1) - max(a.y0, b.y0)
        if w > tolerance and h > tolerance:
            problems.append(f"{la} overlaps {lb}")
    return problems


MRR = nk.datasets.load_sample()


def _fig(size):
    return plt.subplots(figsize=size, layout="constrained")


def _charts():
    r = nk.retention(MRR)
    yield "nrr_trend", (8, 3.8), lambda ax: plot.nrr_trend(r, ax=ax)
    yield "nrr_trend 3-month", (8, 3.8), lambda ax: plot.nrr_trend(nk.retention(MRR, window=3), ax=ax)
    yield "bridge_waterfall", (8, 3.8), lambda ax: plot.bridge_waterfall(nk.bridge(MRR).tail(12), ax=ax)
    yield "cohort_heatmap", (9, 4.8), lambda ax: plot.cohort_heatmap(nk.cohort_table(MRR, period="Q"), ax=ax)
    yield "cohort_curves", (8, 3.8), lambda ax: plot.cohort_curves(nk.cohort_table(MRR), curve=nk.cohort_curve(MRR),
                                                                   ax=ax)
    yield "layer_cake", (8, 4.2), lambda ax: plot.layer_cake(nk.layer_cake(MRR, period="Q"), ax=ax)
    yield "segment_bars", (8, 3.8), lambda ax: plot.segment_bars(nk.segment_summary(MRR, "segment"), ax=ax)
    yield "top_movers", (8, 4.5), lambda ax: plot.top_movers(nk.top_movers(MRR, 8), ax=ax)
    yield "sensitivity_heatmap", (8, 5), lambda ax: plot.sensitivity_heatmap(
        levers.sensitivity_grid(x="churn", y="expansion", fixed={"contraction": 0.03}), ax=ax)
    yield "tornado", (8, 3.2), lambda ax: plot.tornado(
        levers.tornado({"churn": 0.10, "contraction": 0.03, "expansion": 0.15}), ax=ax)
    both = scenarios.compare_scenarios({"NRR 105%": dict(start_arr=10e6, nrr=1.05, new_rate=0.2),
                                        "NRR 125%": dict(start_arr=10e6, nrr=1.25, new_rate=0.2)})
    yield "scenario_lines", (8, 4), lambda ax: plot.scenario_lines(both, ax=ax)
    ab = scenarios.compare_scenarios({
        "Company A": dict(start_arr=10e6, nrr=1.25, new_rate=0.2, spend_per_new_dollar=1.0),
        "Company B": dict(start_arr=10e6, nrr=0.95, new_rate=0.5, spend_per_new_dollar=1.0)})
    yield "spend_lines", (8, 4), lambda ax: plot.spend_lines(ab, ax=ax)
    yield "arr_layers", (8, 4.2), lambda ax: plot.arr_layers(scenarios.layers(10e6, nrr=1.25, new_rate=0.2), ax=ax)
    yield "segment_levers", (8.5, 4.6), lambda ax: plot.segment_levers(levers.segment_weights(MRR), ax=ax)
    yield "tornado measured", (8.5, 3.2), lambda ax: plot.tornado(levers.measured_tornado(MRR), ax=ax)
    # Company A and B end at the same ARR: one label, inside the axes
    yield "scenario_lines equal ends", (5, 4), lambda ax: plot.scenario_lines(ab, ax=ax)
    ten = scenarios.compare_scenarios({"NRR 100%": dict(start_arr=10e6, nrr=1.0, new_rate=0.2, years=10,
                                                        spend_per_new_dollar=1.0),
                                       "NRR 90%": dict(start_arr=10e6, nrr=0.9, new_rate=0.2, years=10,
                                                       spend_per_new_dollar=1.0)})
    yield "spend_lines 10 years", (5, 4), lambda ax: plot.spend_lines(ten, ax=ax)


CHARTS = list(_charts())


def test_every_chart_is_checked():
    """A chart added to nrrkit.plot is added here too."""
    drawn = {name.split()[0] for name, _, _ in CHARTS}
    public = {n for n in plot.__all__ if callable(getattr(plot, n)) and n not in ("money", "money_exact", "percent",
                                                                                  "centred_norm")}
    assert public <= drawn, sorted(public - drawn)


@pytest.mark.parametrize("name,size,draw", CHARTS, ids=[c[0] for c in CHARTS])
def test_chart_text_is_readable(name, size, draw):
    fig, ax = _fig(size)
    draw(ax)
    assert text_problems(fig) == []


def test_end_labels_are_inside_the_axes_and_in_the_order_of_the_values():
    ab = scenarios.compare_scenarios({
        "A": dict(start_arr=10e6, nrr=1.25, new_rate=0.2, spend_per_new_dollar=1.0),
        "B": dict(start_arr=10e6, nrr=0.95, new_rate=0.5, spend_per_new_dollar=1.0)})
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(10, 4), layout="constrained")
    plot.scenario_lines(ab, ax=a1)
    plot.spend_lines(ab, ax=a2)
    fig.canvas.draw()
    # A and B both end at $64.1M: one label, and it is inside the axes (not in the title area)
    ends = [t for t in a1.texts if t.get_text().startswith("$")]
    assert [t.get_text() for t in ends] == ["$64.1M"]
    assert a1.get_ylim()[1] >= ends[0].xyann[1]
    # spend: B ($60.1M) above A ($24M)
    spend = sorted((t.xyann[1], t.get_text()) for t in a2.texts if t.get_text().startswith("$"))
    assert [text for _, text in spend] == ["$24M", "$60.1M"]
    assert all(a2.get_ylim()[0] <= y <= a2.get_ylim()[1] for y, _ in spend)


def test_the_check_finds_an_overlap():
    fig, ax = _fig((4, 3))
    ax.text(0.5, 0.5, "first label", fontsize=10)
    ax.text(0.52, 0.5, "second label", fontsize=10)
    ax.text(0.1, 0.1, "tiny", fontsize=6)
    problems = text_problems(fig)
    assert any("overlaps" in p for p in problems) and any("6.0 pt" in p for p in problems)


def test_heatmap_colours_are_centred_on_100_percent():
    """97% and 103% are equally far from white; 198% and 2% are the darkest ends."""
    norm = plot.style.centred_norm([0.97, 1.03, 1.98])
    assert norm(1.0) == pytest.approx(0.5)
    assert 0.5 - norm(0.97) == pytest.approx(norm(1.03) - 0.5)   # 0.03 / (2 * 0.98) each way
    assert norm(1.98) == pytest.approx(1.0) and norm(0.97) == pytest.approx(0.5 - 0.03 / 1.96)
