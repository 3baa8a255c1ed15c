"""Every app driven in plain pytest: set widget values, read the numbers it shows."""

from __future__ import annotations

import html
import itertools
import re

import pytest

import nrrkit as nk
from nrrkit import apps, levers, scenarios


def kpi(app, name: str) -> str:
    m = re.search(rf"data-name='{re.escape(name)}'[^>]*>([^<]*)<", app.kpi.value)
    assert m, app.kpi.value
    return m.group(1)


def test_calculator_shows_the_107_example_and_reacts():
    app = apps.NRRCalculator()  # 100K start, 15K expansion, 3K contraction, 5K churn
    assert kpi(app, "NRR") == "107.0%" and kpi(app, "GRR") == "92.0%" and kpi(app, "end MRR") == "$107,000"
    assert "<b>Good</b>" in app.note.value and "12-month" in app.note.value  # a level, said to be a yearly scale
    app.expansion.value = 20_000
    app.churn.value = 7_000   # the GRR 90% / NRR 110% example
    assert kpi(app, "NRR") == "110.0%" and kpi(app, "GRR") == "90.0%"
    heights = [p.get_height() for p in app.ax.patches]  # the bridge chart was redrawn in place
    assert app.image.value[:8] == b"\x89PNG\r\n\x1a\n"
    assert heights[0] == 100_000 and heights[3] == 20_000 and heights[-1] == 100_000 + 20_000 - 3_000 - 7_000
    app.start.value = 0
    assert app.error == "start MRR is $0: NRR divides by it, so it must be above $0"  # in the app's $ format
    assert html.escape(app.error) in app.message.value
    app.start.value = 100_000
    assert app.error == "" and kpi(app, "NRR") == "110.0%"


def test_lever_explorer_monthly_basis():
    app = apps.LeverExplorer(churn=0.10, contraction=0.03, expansion=0.15)
    assert kpi(app, "NRR") == "102.0%"  # 1 - 0.10 - 0.03 + 0.15
    app.basis.value = "monthly churn"      # shows 10% a year as 0.874% a month
    assert app.churn.value == pytest.approx(levers.monthly_churn(0.10) * 100, abs=5e-4)
    assert app.annual_churn() == 0.10 and kpi(app, "NRR") == "102.0%"   # the scenario did not move
    app.basis.value = "annual churn"
    assert app.churn.value == pytest.approx(10.0) and kpi(app, "annual churn") == "10.0%"
    app.basis.value = "monthly churn"
    app.churn.value = 3.0                  # 3% a month = 1 - 0.97**12 = 30.6% a year
    assert kpi(app, "annual churn") == "30.6%"
    assert app.values["nrr"] == pytest.approx(1 - levers.annual_churn(0.03) - 0.03 + 0.15)
    app.expansion.value = 40.0
    assert kpi(app, "NRR") == f"{(1 - levers.annual_churn(0.03) - 0.03 + 0.40) * 100:.1f}%"


def test_rate_sliders_take_percent_points():
    """A readout shows 15.0 for 15% and the browser parses what is typed with parseFloat, so "15" and
    "15%" both set 15% (a fraction slider would have read "15" as 1500% and jumped to its maximum)."""
    app = apps.LeverExplorer(churn=0.10, contraction=0.03, expansion=0.15)
    assert app.expansion.value == 15.0 and "(%)" in app.expansion.description
    app.expansion.value = float("15%".rstrip("%"))
    assert kpi(app, "NRR") == "102.0%"


def test_tornado_says_where_it_clips():
    app = apps.LeverExplorer(churn=0.10, contraction=0.03, expansion=0.15)
    labels = [t.get_text() for t in app.ax.get_yticklabels()]
    assert any(t.startswith("contraction") and "clipped at 0%" in t for t in labels)   # 3% - 5 points < 0
    assert not any("clipped" in t for t in labels if t.startswith(("churn", "expansion")))
    # each end of a bar names the lever setting that gives it, in the bar's own order: churn 15% (right,
    # NRR 107%), churn 5% ... and for churn the left end is the higher churn (15%: 1 - 0.15 - 0.03 + 0.15 = 97%)
    ends = [t.get_text().strip() for t in app.ax.texts]
    assert "(churn 15.0%) 97.0%" in ends and "107.0% (churn 5.0%)" in ends
    assert "(contraction 8.0%) 97.0%" in ends and "105.0% (contraction 0.0%)" in ends


def test_scenario_explorer_matches_project_arr():
    app = apps.ScenarioExplorer(start_arr=10e6, nrr=1.25, new_rate=0.2, years=5)
    assert kpi(app, "ARR after 5 years") == "$64.1M"
    twin = scenarios.project_arr(10e6, nrr=1.0, new_rate=0.2, spend_per_new_dollar=1.0)
    mine = scenarios.project_arr(10e6, nrr=1.25, new_rate=0.2, spend_per_new_dollar=1.0)
    ratio = mine.end_arr.iloc[-1] / twin.end_arr.iloc[-1]
    assert kpi(app, "your scenario / NRR 100%") == f"{ratio:.2f}x"
    # the chart says the same ratio, the same way round
    assert any(f"{ratio:.2f}x" in t.get_text() and "your scenario / NRR 100%" in t.get_text() for t in app.ax.texts)
    assert kpi(app, "new-business spend, total") == "$24M"  # 2 + 2.9 + 4.2 + 6.1 + 8.8 (rounded) = $24.0M
    assert app.values["spend"] == pytest.approx(mine.new_arr.sum())
    app.nrr.value = 105.0
    assert kpi(app, "ARR after 5 years") == "$30.5M"
    app.decay.value = 50.0  # 105% fading halfway to 100% each year
    sched = scenarios.nrr_schedule(1.05, floor=1.0, decay=0.5)
    assert app.values["end_arr"] == pytest.approx(
        scenarios.project_arr(10e6, nrr=sched, new_rate=0.2).end_arr.iloc[-1])
    assert "falls from 105.0%" in app.note.value


def test_company_b_and_the_new_business_model():
    """Company B (NRR 95%, new business 50% of ARR) reaches A's year-1 ARR only by buying it; with a
    fixed amount of new business a year the app says so."""
    b = apps.ScenarioExplorer(start_arr=10e6, nrr=0.95, new_rate=0.5, years=1)
    assert kpi(b, "ARR after 1 year") == "$14.5M"          # 10 x 0.95 + 5 = 14.5
    assert kpi(b, "new-business spend, total") == "$5M"     # $5M of new ARR at $1 per $1
    b.decay.value = 50.0  # one year: the fade has not moved NRR yet, nor ARR
    assert "over the 1 year shown it stays at 95.0%" in b.note.value and kpi(b, "ARR after 1 year") == "$14.5M"
    b.years.value = 2     # below 100%, fading toward 100% raises ARR: 95% + (100% - 95%) x 0.5 = 97.5% in year 2
    assert "rises from 95.0% to 97.5% in year 2" in b.note.value and "losing less" in b.note.value
    b.years.value = 1
    b.decay.value = 0.0
    b.new_model.value = "fixed $ a year"
    b.new_arr.value = 2.0
    assert b.values["end_arr"] == pytest.approx(10e6 * 0.95 + 2e6)
    assert "fixed amount" in b.note.value and b.new_rate.layout.display == "none"


def test_retention_explorer_on_the_sample():
    mrr = nk.datasets.load_sample()
    app = apps.RetentionExplorer(mrr)
    last = nk.retention(mrr).iloc[-1]
    assert kpi(app, "NRR") == f"{last.nrr * 100:.1f}%" and kpi(app, "end month") == "2025-12"
    app.window.value = 3
    assert app.values["nrr"] == pytest.approx(nk.retention(mrr, window=3).iloc[-1].nrr)
    app.segment_by.value = "segment"
    app.segment.value = "SMB"
    smb = nk.retention(mrr, window=3, by="segment")
    smb = smb[smb.segment == "SMB"].iloc[-1]
    assert kpi(app, "NRR") == f"{smb.nrr * 100:.1f}%"
    assert kpi(app, "level") == "12-month only" and "compound" in app.note.value  # no level for a 3-month NRR
    app.method.value = "survivors"
    assert app.values["grr"] <= 1


def test_cohort_explorer():
    mrr = nk.datasets.load_sample()
    app = apps.CohortExplorer(mrr)
    curve = nk.cohort_curve(mrr, period="Q").set_index("age")
    assert kpi(app, "quarter 4, all cohorts") == f"{curve.loc[4, 'value'] * 100:.1f}%"
    app.metric.value = "logos"
    curve = nk.cohort_curve(mrr, metric="logos", period="Q").set_index("age")
    assert kpi(app, "quarter 1, all cohorts") == f"{curve.loc[1, 'value'] * 100:.1f}%"


def test_segment_explorer():
    mrr = nk.datasets.load_sample()
    app = apps.SegmentExplorer(mrr)
    seg = nk.segment_summary(mrr, app.by.value)
    assert kpi(app, "company NRR") == f"{seg.nrr.iloc[-1] * 100:.1f}%"
    app.by.value = "pricing"
    app.window.value = 3
    seg = nk.segment_summary(mrr, "pricing", window=3)
    assert kpi(app, "company NRR") == f"{seg.nrr.iloc[-1] * 100:.1f}%"
    assert kpi(app, "average of segments") == f"{seg.attrs['average_of_segments'] * 100:.1f}%"
    assert kpi(app, "segments") == "2"  # seat and usage


# --------------------------------------------------------------------------- no stale state


def test_calculator_invalid_combination_shows_no_old_figures():
    app = apps.NRRCalculator()  # 100K start
    app.contraction.value = 50_000
    app.churn.value = 60_000  # 50K + 60K > 100K: impossible
    # the amounts as the app shows money elsewhere ($112,000), not as 110000.0: 50,000 + 60,000 = 110,000
    assert app.error == ("contraction + churn ($50,000 + $60,000 = $110,000) exceed start MRR ($100,000): existing "
                         "customers cannot lose more than they paid; lower contraction or churn, or raise start MRR")
    assert html.escape(app.error) in app.message.value
    assert app.kpi.value == "" and app.note.value == "" and app.image.layout.display == "none" and app.values == {}
    app.churn.value = 5_000  # valid again: the figures come back
    assert kpi(app, "GRR") == "45.0%" and app.image.layout.display == "" and app.message.value == ""


def test_calculator_ranges_follow_start_mrr():
    app = apps.NRRCalculator()  # 100K start: contraction and churn up to 100K, expansion up to 200K
    assert (app.contraction.max, app.churn.max, app.expansion.max) == (100_000, 100_000, 200_000)
    app.start.value = 1_000_000
    assert (app.contraction.max, app.churn.max, app.expansion.max) == (1_000_000, 1_000_000, 2_000_000)
    assert app.churn.step == 1_000 and app.churn.value == 5_000  # the values the user set stay
    app.churn.value = 800_000
    assert kpi(app, "GRR") == "19.7%"  # (1,000,000 - 3,000 - 800,000) / 1,000,000


def test_retention_explorer_axis_follows_the_window():
    mrr = nk.datasets.load_sample()
    app = apps.RetentionExplorer(mrr)
    first = app.ax.get_xlim()
    app.window.value = 3
    assert app.ax.get_xlim()[0] < first[0]  # 3-month windows start earlier
    app.window.value = 12
    assert app.ax.get_xlim() == first


def test_retention_explorer_grr_sits_on_grr_bands():
    mrr = nk.datasets.load_sample()
    app = apps.RetentionExplorer(mrr)
    app.segment_by.value = "segment"
    app.segment.value = "SMB"
    labels = [t.get_text().strip() for t in app.ax.texts]
    # SMB GRR (about 80%) runs on Bessemer's GRR bands, not on NRR's "Concerning"
    assert any(t.startswith("GRR SMB band (Bessemer 2019)") for t in labels)
    assert "NRR levels above, GRR bands below" in labels


def test_cohort_explorer_explains_every_mode_and_counts_whole_years():
    mrr = nk.datasets.load_sample()
    app = apps.CohortExplorer(mrr)
    app.metric.value = "logos"
    for period, unit in (("Q", "quarters"), ("M", "months"), ("Y", "years")):
        app.period.value = period
        assert "share of the cohort's customers still paying" in app.note.value and unit in app.note.value
    ticks = app.ax.get_xticks()
    assert list(ticks) == [0, 1, 2]  # yearly cohorts: ages 0, 1, 2, no 0.5
    app.metric.value = "revenue"
    assert "divided by what its customers paid when they started" in app.note.value


def test_scenario_explorer_at_ten_years_keeps_its_labels_inside():
    app = apps.ScenarioExplorer(start_arr=10e6, nrr=1.25, new_rate=0.2)
    app.years.value = 10
    renderer = app._canvas.get_renderer()
    width, height = app.fig.bbox.width, app.fig.bbox.height
    for ax in app.axes:
        label = ax.yaxis.label.get_window_extent(renderer)
        assert label.x0 >= 0, ax.get_ylabel()  # the y title is not clipped
        top = ax.get_window_extent(renderer).y1
        for t in ax.texts:  # end labels stay inside the axes, below the title
            box = t.get_window_extent(renderer)
            assert box.x1 <= width and box.y1 <= top + 1 and box.y0 >= 0, t.get_text()
    assert height > 0


def _crossed(ax, box) -> list[str]:
    """The lines of ``ax`` whose path passes through ``box`` (display pixels)."""
    return [line.get_label() for line in ax.get_lines()
            if line.get_transform().transform_path(line.get_path()).intersects_bbox(box, filled=False)]


def test_scenario_explorer_ratio_label_and_legend_never_sit_on_a_line():
    """At every corner of the sliders (1 or 10 years, NRR 50% or 180%, no fade or a 50% one, no or the
    most new business, a small or a large start), as in turn a person would move there: the ratio
    label and the legend cross no line and no other text.  (A fixed place was crossed by a line at
    10 years with a 50% fade.)"""
    from .test_charts import text_problems

    app = apps.ScenarioExplorer()
    renderer = app._canvas.get_renderer()
    seen = 0
    for years, nrr, fade, new, start in itertools.product((10, 1), (180.0, 50.0), (50.0, 0.0), (100.0, 0.0),
                                                          (100.0, 0.1)):
        app.years.value, app.nrr.value, app.decay.value, app.new_rate.value, app.start.value = (
            years, nrr, fade, new, start)
        assert app.error == ""
        setting = (years, nrr, fade, new, start)
        ax = app.ax
        label = next(t for t in ax.texts if "after" in t.get_text())
        assert label.get_text().splitlines()[0] == "your scenario / NRR 100%"
        assert _crossed(ax, label.get_window_extent(renderer)) == [], setting
        assert _crossed(ax, ax.get_legend().get_window_extent(renderer)) == [], setting
        inside = ax.get_window_extent(renderer)
        box = label.get_window_extent(renderer)
        assert inside.x0 <= box.x0 and box.x1 <= inside.x1 and inside.y0 <= box.y0 and box.y1 <= inside.y1, setting
        assert text_problems(app.fig) == [], setting
        seen += 1
    assert seen == 32


def test_scenario_explorer_says_when_the_fade_has_not_moved_nrr_yet():
    app = apps.ScenarioExplorer(nrr=0.5, decay=0.5, years=1)
    # one year: NRR is still its first value, 50%; the note does not say it "rises from 50.0% to 50.0%"
    assert ("NRR fades toward 100% (each year closes 50% of the gap to it), but over the 1 year shown it stays at "
            "50.0%.") in app.note.value and kpi(app, "ARR after 1 year") == "$7M"  # 10 x 0.5 + 20% x 10 = 7
    app.years.value = 2  # year 2 closes half the gap: 50% + (100% - 50%) x 0.5 = 75%
    assert "so it rises from 50.0% to 75.0% in year 2." in app.note.value
