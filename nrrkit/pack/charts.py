"""The pack's charts, drawn from :class:`~nrrkit.pack.figures.Figures` with the house style of
:mod:`nrrkit.plot` and the pack's currency on every amount.

Each chart is a function ``draw(fig, ax)``; :func:`figure` builds it on a matplotlib
figure of its own (no pyplot state), :func:`render` turns it into PNG and SVG bytes, and
:func:`overlaps` lists the text boxes that intersect (the tests require none).  matplotlib
is imported inside the functions, so importing the pack costs nothing until it draws.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Callable

import numpy as np

from ..benchmarks import level_bands
from .figures import WINDOW, Figures
from .folder import CHARTS
from .text import WARN, month_stamps, pct

__all__ = ["CHART_SIZES", "RC", "style", "month_axis", "one_month_margin", "available", "figure", "render", "render_all", "overlaps", "draw_waterfall", "draw_trend",
           "draw_heatmap", "draw_layer_cake", "draw_segments", "draw_scenario"]

DPI = 150
MAX_SEGMENTS = 8  # the segment chart shows the largest segments; the workbook and the page show all of them


#: The house style of nrrkit.plot, applied locally (nothing global changes).
RC = {"axes.spines.top": False, "axes.spines.right": False, "axes.grid": True, "grid.alpha": 0.25,
      "axes.titleweight": "bold", "axes.titlesize": 11, "axes.labelsize": 9, "xtick.labelsize": 8,
      "ytick.labelsize": 8, "legend.fontsize": 8, "legend.frameon": False,
      "text.parse_math": False}  # "$62.9M to $599.4M" is text, not mathematics


def style():
    import matplotlib as mpl

    return mpl.rc_context(RC)


def _title(fig: Figures, text: str, width: int = 70) -> str:
    """The chart's title, after the company's name; on two lines (or more) when one would not fit."""
    if not fig.company:
        return text
    one = f"{fig.company}: {text}"
    if len(one) <= width:
        return one
    return "\n".join([*textwrap.wrap(fig.company, width), *textwrap.wrap(text, width)])


# --------------------------------------------------------------------------- the charts


def draw_waterfall(fig: Figures, ax) -> None:
    """The MRR bridge of the last 12 months: start, each movement, end (amounts in the pack's currency)."""
    from matplotlib.ticker import FuncFormatter

    from ..plot.style import COLORS

    data = fig.bridge_m.iloc[-WINDOW:]
    cur = fig.currency
    t = {"start": float(data["start_mrr"].iloc[0]), "new": float(data["new"].sum()),
         "reactivation": float(data["reactivation"].sum()), "expansion": float(data["expansion"].sum()),
         "contraction": -float(data["contraction"].sum()), "churn": -float(data["churn"].sum()),
         "end": float(data["end_mrr"].iloc[-1])}
    names = list(t)
    level = t["start"]
    top = max(t["start"], t["end"])
    for i, name in enumerate(names):
        if name in ("start", "end"):
            ax.bar(i, t[name], color=COLORS[name], width=0.65)
            ax.text(i, t[name], cur.short(t[name]), ha="center", va="bottom", fontsize=8)
            continue
        delta = t[name]
        ax.bar(i, abs(delta), bottom=level if delta >= 0 else level + delta, color=COLORS[name], width=0.65)
        shown = cur.short(abs(delta))
        ax.text(i, max(level, level + delta), ("+" if delta > 0 else "-" if delta < 0 else "") + shown,
                ha="center", va="bottom", fontsize=8)
        level += delta
        top = max(top, level)
    ax.set_ylim(0, top * 1.12 if top > 0 else 1)
    ax.set_xticks(range(len(names)), ["start MRR", "new", "reactivation", "expansion", "contraction", "churn",
                                      "end MRR"])
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: cur.short(v)))
    first, last = data["period"].iloc[0], data["period"].iloc[-1]
    ax.set_title(_title(fig, f"MRR bridge, {first} to {last}"))
    ax.grid(axis="x", visible=False)


def draw_trend(fig: Figures, ax) -> None:
    """12-month NRR and GRR by end month on the benchmark levels; end months with a thin base are not drawn."""
    from ..plot.style import COLORS, PERCENT

    data = fig.trend
    x = month_stamps(data["month"])
    values = np.concatenate([data["nrr"].to_numpy(), data["grr"].to_numpy()])
    values = values[np.isfinite(values)]
    lo, hi = (float(values.min()), float(values.max())) if values.size else (0.9, 1.1)
    pad = max((hi - lo) * 0.15, 0.03)
    ylo, yhi = lo - pad, hi + pad
    ax.set_ylim(ylo, yhi)
    shades = ["#ffebee", "#fff8e1", "#f1f8e9", "#e8f5e9", "#e3f2fd", "#ede7f6"]
    height_pt = ax.get_window_extent().height * 72 / ax.figure.dpi  # the axes' height in points
    for (name, b0, b1), shade in zip(level_bands(), shades):
        if b1 > ylo and b0 < yhi:
            v0, v1 = max(b0, ylo), min(b1, yhi)
            ax.axhspan(v0, v1, color=shade, zorder=0, lw=0)
            if (v1 - v0) / (yhi - ylo) * height_pt >= 10:  # label a band only where its name fits inside it
                ax.text(1.0, (v0 + v1) / 2, f"{name} ", transform=ax.get_yaxis_transform(), ha="right",
                        va="center", fontsize=7, color="#607d8b")
    ax.plot(x, data["nrr"], color=COLORS["nrr"], lw=2, marker="o", ms=3, label="NRR")
    ax.plot(x, data["grr"], color=COLORS["grr"], lw=2, ls="--", marker="o", ms=2.5, label="GRR")
    one_month_margin(ax, x)
    ax.axhline(1.0, color="black", lw=0.8)
    ax.yaxis.set_major_formatter(PERCENT)
    ax.set_title(_title(fig, f"{WINDOW}-month NRR and GRR by end month"))
    note = f"cohort method, base month = end month - {WINDOW}; month-end MRR"
    if fig.trend_note:  # a short trend says so, in the caution colour, between the title and the lines
        ax.set_title(ax.get_title(), pad=16)
        ax.text(0.0, 1.015, "Caution: " + fig.trend_note, transform=ax.transAxes, ha="left", va="bottom",
                fontsize=7.5, color=WARN, fontweight="bold")
    elif fig.trend_dropped:
        note += (f"; {fig.trend_dropped} end month{'s' if fig.trend_dropped > 1 else ''} with a base under "
                 f"{fig.trend_floor} customers not drawn")
    ax.set_xlabel(note, fontsize=7, color="#546e7a")
    ax.figure.legend(*ax.get_legend_handles_labels(), loc="outside lower left", ncols=2, fontsize=8)
    month_axis(ax, x)


def one_month_margin(ax, x) -> None:
    """With a single end month, show a month either side of it (not matplotlib's two years)."""
    if len(x) == 1:
        import pandas as pd

        ax.set_xlim(x.iloc[0] - pd.Timedelta(days=45), x.iloc[0] + pd.Timedelta(days=45))


def quarter_months(first, last, ticks: int = 8) -> tuple[int, ...]:
    """The months of the year that carry a tick between ``first`` and ``last`` (timestamps): quarter
    starts (1, 4, 7, 10) when at most ``ticks`` of them fall in the span, else half-years, else January."""
    n = (last.year - first.year) * 12 + last.month - first.month + 1
    for months in ((1, 4, 7, 10), (1, 7), (1,)):
        if n / (12 / len(months)) <= ticks:
            return months
    return (1,)


def month_axis(ax, x, ticks: int = 8) -> None:
    """Month labels (YYYY-MM) on a date x axis, on quarter starts (Jan, Apr, Jul, Oct), or half-years
    or years when the span holds more than ``ticks`` quarters; a span with no quarter start shows
    each of its months."""
    import matplotlib.dates as mdates

    if len(x) == 0:
        return
    first, last = x.min(), x.max()
    months = quarter_months(first, last, ticks)
    has_start = any(m.month in months for m in _months_between(first, last))
    locator = mdates.MonthLocator(bymonth=months) if has_start else mdates.MonthLocator()
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))


def _months_between(first, last):
    import pandas as pd

    return pd.date_range(first.to_period("M").to_timestamp(), last, freq="MS")


#: The heatmap's scale: 0% to this, 100% in the middle (white); a cell above it is drawn in its own
#: colour, marked "▲" and listed on the colour bar's arrow ("over 200%").
HEAT_MAX = 2.0
OVER_COLOUR = "#111111"


def heatmap(table, ax, *, sizes=None, annotate: bool | None = None, fontsize: float = 7, colorbar: bool = True):
    """Revenue retention by cohort and age on a fixed 0-200% scale (white at 100%, red below, blue above).

    A fixed scale reads the same in every pack: 50% is always the same red.  Cells above
    :data:`HEAT_MAX` get :data:`OVER_COLOUR`, their text says "▲" before the value, and the colour
    bar ends in an arrow labelled as such.  ``sizes`` (customers per cohort) go on the row labels.
    """
    import matplotlib as mpl
    from matplotlib.colors import TwoSlopeNorm
    from matplotlib.ticker import PercentFormatter

    values = table.to_numpy(dtype=float)
    cmap = mpl.colormaps["RdBu"].with_extremes(over=OVER_COLOUR, bad="white")
    norm = TwoSlopeNorm(vmin=0.0, vcenter=1.0, vmax=HEAT_MAX)
    im = ax.imshow(np.ma.masked_invalid(values), aspect="auto", cmap=cmap, norm=norm, interpolation="nearest")
    ax.grid(False)
    period = {"M": "months", "Q": "quarters", "Y": "years"}[table.attrs.get("period", "Q")]
    ax.set_xlabel(f"age ({period})")
    ages = list(table.columns)
    step_x = max(1, len(ages) // 12)
    ax.set_xticks(range(0, len(ages), step_x), [str(a) for a in ages[::step_x]])
    step = max(1, len(table) // 24)
    rows = list(range(0, len(table), step))
    if sizes is not None:
        labels = [f"{table.index[i]} (n={int(sizes.iloc[i]):,})" for i in rows]
    else:
        labels = [str(table.index[i]) for i in rows]
    ax.set_yticks(rows, labels)
    over = np.isfinite(values) & (values > HEAT_MAX)
    every = annotate if annotate is not None else values.size <= 150
    for i in range(values.shape[0]):  # every cell's value when there is room; cells over the scale always
        for j in range(values.shape[1]):
            v = values[i, j]
            if np.isfinite(v) and (every or v > HEAT_MAX):
                text = ("▲" if v > HEAT_MAX else "") + (f"{v:.0%}" if every else "")
                strong = v > HEAT_MAX or abs(norm(v) - 0.5) > 0.3
                ax.text(j, i, text, ha="center", va="center", fontsize=fontsize,
                        color="white" if strong else "black")
    if colorbar:
        cb = ax.figure.colorbar(im, ax=ax, extend="max", format=PercentFormatter(xmax=1.0, decimals=0))
        cb.set_ticks([0, 0.5, 1.0, 1.5, 2.0])
        cb.ax.set_title("▲ over\n200%" if over.any() else "", fontsize=fontsize, loc="left")
    return im


def draw_heatmap(fig: Figures, ax) -> None:
    """Revenue retention by quarterly cohort and age, with each cohort's size on its label."""
    heatmap(fig.cohort_rev, ax, sizes=fig.cohort_size)
    ax.set_ylabel("cohort (n = customers)")
    ax.set_title(_title(fig, "Revenue retention by quarterly cohort and age (0-200% scale)"))


def draw_layer_cake(fig: Figures, ax) -> None:
    """MRR by acquisition cohort over calendar time, the legend beside the chart."""
    from matplotlib.ticker import FuncFormatter

    from ..plot import layer_cake

    layer_cake(fig.cake, ax=ax)
    cur = fig.currency
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: cur.short(v)))
    legend = ax.get_legend()
    if legend is not None:
        legend.remove()
    n = fig.cake.shape[1]
    if n <= 16:
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), ncols=1 if n <= 10 else 2, title="cohort",
                  fontsize=7, title_fontsize=8)
    ax.set_title(_title(fig, "MRR by acquisition cohort (layer cake)"))


def draw_segments(fig: Figures, ax) -> None:
    """NRR and GRR per segment at the as-of month; segments too small to rate say so under their name."""
    from ..plot.style import COLORS, PERCENT

    rows = sorted(fig.seg_rows, key=lambda r: -r["start_mrr"])[:MAX_SEGMENTS]
    rows.sort(key=lambda r: r["segment"])
    many = len(rows) > 5
    x = np.arange(len(rows))
    nrr = np.array([r["nrr"] for r in rows])
    grr = np.array([r["grr"] for r in rows])
    ax.bar(x - 0.19, nrr, width=0.34, color=COLORS["nrr"], label="NRR")
    ax.bar(x + 0.19, grr, width=0.34, color=COLORS["grr"], label="GRR")
    digits, size = (0, 6.5) if many else (1, 7)
    for i, (n, g) in enumerate(zip(nrr, grr)):
        ax.text(i - 0.19, n, pct(n, digits), ha="center", va="bottom", fontsize=size)
        ax.text(i + 0.19, g, pct(g, digits), ha="center", va="bottom", fontsize=size)
    labels = []
    for r in rows:
        shown = "".join(" " if ord(ch) < 32 else ch for ch in r["segment"])  # no glyph for control characters
        name = "\n".join(textwrap.wrap(shown, 14 if many else 24, max_lines=2, placeholder="…") or [""])
        extra = r["level"] if r["rated"] else "not rated"
        n = r["customers"]
        labels.append(f"{name}\n{n:,} customer{'s' if n != 1 else ''}\n{extra}" if many else
                      f"{name}\n{n:,} base customer{'s' if n != 1 else ''}\n{extra}")
    ax.set_xticks(x, labels, fontsize=6.5 if many else 7)
    ax.axhline(1.0, color="black", lw=0.8)
    top = max(float(np.nanmax(nrr)) if len(rows) else 1.0, 1.0)
    ax.set_ylim(0, top * 1.18)
    ax.yaxis.set_major_formatter(PERCENT)
    left = len(fig.seg_rows) - len(rows)
    what = f"12-month NRR and GRR by {fig.by}, {fig.as_of}"
    if left:
        what += f" ({len(rows)} largest of {len(fig.seg_rows)} by starting MRR)"
    ax.set_title(_title(fig, what))
    handles, names = ax.get_legend_handles_labels()
    company = float(fig.headline["nrr"])  # the company's NRR: the segments' amounts summed, never averaged
    line = ax.axhline(company, color=COLORS["nrr"], lw=1.3, ls="--")
    handles.append(line)
    names.append(f"company NRR {pct(company)} (all {fig.base_customers:,} base customers)")
    ax.set_ylim(0, max(ax.get_ylim()[1], company * 1.12))
    ax.figure.legend(handles, names, loc="outside lower center", ncols=3, fontsize=8)
    ax.grid(axis="x", visible=False)


def scenario_lines(fig: Figures) -> dict[str, np.ndarray]:
    """Year-end ARR (year 0 = today) of the default path and of the measured rates compounded."""
    start = fig.scenario["start_arr"]
    return {"scenario": np.r_[start, fig.projection["end_arr"].to_numpy()],
            "measured": np.r_[start, fig.projection_measured["end_arr"].to_numpy()]}


def draw_scenario(fig: Figures, ax, *, legend_in_axes: bool = False) -> None:
    """Five-year ARR on the default path (new business held at last year's dollars, NRR fading to a
    benchmark level), with the measured rates compounded drawn thin and grey as the contrast."""
    from matplotlib.ticker import FuncFormatter

    from ..plot.style import SERIES
    from ..scenarios import describe_new_business, describe_nrr
    from .figures import in_currency

    s = fig.scenario
    cur = fig.currency
    lines = scenario_lines(fig)
    years = np.arange(len(lines["scenario"]))
    labels = {"scenario": in_currency(f"default: {describe_nrr(s)}; {describe_new_business(s, cur.short)}", cur),
              "measured": in_currency("not the default: the measured rates compounded for five years "
                                      f"(NRR {pct(s['nrr'])}; "
                                      f"{describe_new_business(s, cur.short, path='measured')})", cur)}
    styles = {"scenario": dict(color=SERIES[0], lw=2.2, marker="o"),
              "measured": dict(color="#90a4ae", lw=1.2, ls="--", marker=".")}
    a, b = lines["scenario"][-1], lines["measured"][-1]
    top = max(float(lines["scenario"].max()) * 1.6, 1e-9)
    clipped = float(lines["measured"].max()) > top  # the contrast must not flatten the default path
    apart = abs(a - b) > 0.06 * max(abs(a), abs(b), 1e-9)
    for name in ("scenario", "measured"):
        label = "\n".join(textwrap.wrap(labels[name], 110))
        ax.plot(years, lines[name], label=label, **styles[name])
        if name == "scenario" or (apart and not clipped):
            ax.annotate(cur.short(lines[name][-1]), (years[-1], lines[name][-1]), textcoords="offset points",
                        xytext=(8, 0), va="center", fontsize=8, color=styles[name]["color"])
    ax.set_xlim(-0.3, years[-1] + 1.0)
    if clipped:
        ax.set_ylim(0, top)
        ax.text(0.01, 0.98, f"the measured rates compounded (dashed)\nleave the scale: {cur.short(b)} in year "
                f"{years[-1]}", transform=ax.transAxes, ha="left", va="top", fontsize=7.5, color="#607d8b")
    else:
        ax.set_ylim(bottom=0)
    ax.set_xticks(years, ["today"] + [f"year {y}" for y in years[1:]])
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: cur.short(v)))
    ax.set_ylabel("ARR at year end")
    ax.set_title(_title(fig, f"Five-year ARR from {s['month']}: ARR x NRR + new business"))
    if s["cautions"]:
        n = len(s["cautions"])
        ax.text(0.99, 0.03, f"Caution: {n} check{'s' if n > 1 else ''} of the scenario flagged",
                transform=ax.transAxes, ha="right", va="bottom", fontsize=8, color=WARN, fontweight="bold")
    if legend_in_axes:  # on a page without a layout engine: the legend under the axes
        ax.legend(loc="upper left", bbox_to_anchor=(0.0, -0.1), ncols=1, fontsize=6.5, frameon=False)
    else:
        ax.figure.legend(*ax.get_legend_handles_labels(), loc="outside lower left", ncols=1, fontsize=7.5)


# --------------------------------------------------------------------------- building and checking


#: name -> (draw, size in inches).
CHART_SIZES: dict[str, tuple[Callable, tuple[float, float]]] = {
    "bridge-waterfall": (draw_waterfall, (8, 4.5)),
    "nrr-grr-trend": (draw_trend, (8, 4.8)),
    "cohort-heatmap": (draw_heatmap, (8, 4.5)),
    "layer-cake": (draw_layer_cake, (8, 4.5)),
    "segment-nrr": (draw_segments, (8, 5)),
    "scenario": (draw_scenario, (8, 5)),
}
assert set(CHART_SIZES) == set(CHARTS)


def available(fig: Figures) -> list[str]:
    """The charts the data allows (the segment chart needs ``by``)."""
    return [n for n in CHART_SIZES if n != "segment-nrr" or fig.by]


def figure(fig: Figures, name: str):
    """The matplotlib Figure of chart ``name`` (no pyplot: nothing global changes)."""
    from matplotlib.figure import Figure

    draw, size = CHART_SIZES[name]
    if name == "cohort-heatmap":
        size = (size[0], max(3.5, 0.3 * len(fig.cohort_rev) + 1.5))
    with style():
        f = Figure(figsize=size, layout="constrained", dpi=DPI)
        draw(fig, f.subplots())
    return f


def to_bytes(f) -> tuple[bytes, bytes]:
    import matplotlib as mpl

    out = []
    with mpl.rc_context({"svg.hashsalt": "nrrkit", "svg.fonttype": "path"}):
        for fmt, meta in (("png", {"Software": "nrrkit"}), ("svg", {"Date": None, "Creator": "nrrkit"})):
            b = io.BytesIO()
            f.savefig(b, format=fmt, dpi=DPI, metadata=meta)
            out.append(b.getvalue())
    return out[0], out[1]


def render(fig: Figures, name: str) -> tuple[bytes, bytes]:
    """PNG and SVG bytes of chart ``name``."""
    return to_bytes(figure(fig, name))


def render_all(fig: Figures) -> dict[str, tuple[bytes, bytes]]:
    return {name: render(fig, name) for name in available(fig)}


def _text_boxes(f) -> list[tuple[str, object]]:
    """(label, window extent) of every visible, non-empty text of a drawn figure; a legend is one box."""
    from matplotlib.legend import Legend
    from matplotlib.text import Text

    renderer = f.canvas.get_renderer()
    boxes = []
    inside_legends = set()
    for leg in f.findobj(Legend):
        if leg.get_visible():
            boxes.append(("legend", leg.get_window_extent(renderer)))
            inside_legends.update(id(t) for t in leg.findobj(Text))
    ticks = {}
    for ax in f.axes:
        for axis in (ax.xaxis, ax.yaxis):
            vmin, vmax = sorted(axis.get_view_interval())
            span = vmax - vmin
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                loc = tick.get_loc()
                shown = loc is not None and vmin - 1e-9 * span <= loc <= vmax + 1e-9 * span
                for label in (tick.label1, tick.label2):
                    ticks[id(label)] = shown and label.get_visible() and tick.get_visible()
    for t in f.findobj(Text):
        if id(t) in inside_legends or not t.get_visible() or not t.get_text().strip():
            continue
        if not ticks.get(id(t), True):
            continue
        boxes.append((t.get_text()[:40], t.get_window_extent(renderer)))
    return boxes


def overlaps(f, *, tolerance: float = 0.5) -> list[tuple[str, str]]:
    """Pairs of texts (and legends) whose boxes intersect, texts cut by the edge of the image, and
    legends that cover a bar (the tests require an empty list for every chart and the PDF page)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.patches import Rectangle

    FigureCanvasAgg(f)  # measure text as the PNG renders it
    f.canvas.draw()
    boxes = _text_boxes(f)
    hits = []
    for i in range(len(boxes)):
        a_label, a = boxes[i]
        for j in range(i + 1, len(boxes)):
            b_label, b = boxes[j]
            if (a.x0 < b.x1 - tolerance and b.x0 < a.x1 - tolerance and a.y0 < b.y1 - tolerance
                    and b.y0 < a.y1 - tolerance):
                hits.append((a_label, b_label))
    page = f.bbox
    for label, box in boxes:  # a text cut by the edge of the image is as unreadable as one under another
        if box.x0 < page.x0 - tolerance or box.x1 > page.x1 + tolerance or box.y0 < page.y0 - tolerance \
                or box.y1 > page.y1 + tolerance:
            hits.append((label, "the edge of the image"))
    renderer = f.canvas.get_renderer()
    legends = [box for label, box in boxes if label == "legend"]
    for ax in f.axes:
        for p in ax.patches:
            if not isinstance(p, Rectangle) or p.get_height() == 0 or p.get_width() == 0:
                continue
            r = p.get_window_extent(renderer)
            for leg in legends:
                if r.x0 < leg.x1 - tolerance and leg.x0 < r.x1 - tolerance and r.y0 < leg.y1 - tolerance \
                        and leg.y0 < r.y1 - tolerance:
                    hits.append(("legend", "a bar"))
    return hits
