"""Charts: ``nrrkit.plot.<chart>(data, *, ax=None, ...) -> Axes``.

Every function draws on ``ax`` (a new figure when None) and returns it, so charts
sit side by side like any matplotlib axes.  One house style: a small palette with
one colour per movement used everywhere, rates on percent axes, money as $1.2M.
Styling is applied with a local ``rc_context``; nothing global is changed.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.ticker import AutoLocator, FixedLocator, FuncFormatter, MaxNLocator

from .clear_text import ClearText, headroom
from .errors import DataError
from .months import labels, ordinals

__all__ = [
    "COLORS", "money", "money_exact", "percent", "sensitivity_heatmap", "tornado", "scenario_lines", "spend_lines",
    "arr_layers", "segment_levers",
    "bridge_waterfall", "nrr_trend", "cohort_heatmap", "cohort_curves", "layer_cake", "segment_bars", "top_movers",
]

#: One colour per movement and per metric, used by every chart.
COLORS = {
    "new": "#2e7d32",
    "reactivation": "#81c784",
    "expansion": "#1e88e5",
    "contraction": "#fb8c00",
    "churn": "#e53935",
    "flat": "#9e9e9e",
    "start": "#546e7a",
    "end": "#37474f",
    "nrr": "#1a237e",
    "grr": "#8e24aa",
    "logo": "#00897b",
    "neutral": "#78909c",
}
SERIES = ["#1a237e", "#e53935", "#2e7d32", "#fb8c00", "#8e24aa", "#00897b", "#6d4c41"]

_RC = {
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.25,
    "axes.titleweight": "bold",
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
    "legend.fontsize": 9,
    "legend.frameon": False,
}


@contextmanager
def _style() -> Iterator[None]:
    with mpl.rc_context(_RC):
        yield


def _axes(ax, figsize=(7, 4)):
    if ax is None:
        _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def money(value: float, _pos=None) -> str:
    """$1.2M, $350K, $900 (for axes and labels)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    sign = "-" if value < 0 else ""
    v = abs(value)
    for div, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if v >= div:
            text = f"{v / div:.1f}".rstrip("0").rstrip(".")
            return f"{sign}${text}{suffix}"
    return f"{sign}${v:,.0f}"


def money_exact(value: float) -> str:
    """$107,000 (every dollar shown, for a calculator's result)."""
    return f"-${-value:,.0f}" if value < 0 else f"${value:,.0f}"


#: Smallest text on any chart, in points (the notebooks draw at 80 dpi: 9 pt is 10 px).
MIN_FONT = 9


def _dates(col: pd.Series) -> pd.Series:
    """Months as dates for a time axis: results carry them as dates already; an older table's Periods converted."""
    return col.dt.to_timestamp() if isinstance(col.dtype, pd.PeriodDtype) else col


def _index_labels(index: pd.Index, freq: str) -> list[str]:
    """``2024-01``/``2024-Q1``/``2024`` for an index of first days; other indexes as text."""
    if isinstance(index, pd.DatetimeIndex):
        return labels(ordinals(index), freq, months=True)
    return [str(x) for x in index]


def _period_names(data: pd.DataFrame) -> list[str]:
    """The bridge rows' periods as text: the ``period_label`` of quarters and years, ``2024-01`` for months."""
    if "period_label" in data.columns:
        return [str(x) for x in data["period_label"]]
    col = data["period"]
    if isinstance(col.dtype, pd.PeriodDtype) or pd.api.types.is_datetime64_dtype(col.dtype):
        return _index_labels(pd.DatetimeIndex(_dates(col)), "M")
    return [str(x) for x in col]


def centred_norm(values, center: float = 1.0):
    """A colour scale centred on ``center`` with the same reach both ways, so 97% is as pale a red as
    103% is a pale blue (an off-centre scale paints a small gap as dark as a large one)."""
    from matplotlib.colors import Normalize

    finite = np.asarray(values, dtype=float)
    finite = finite[np.isfinite(finite)]
    reach = max(float(np.max(np.abs(finite - center))) if finite.size else 0.2, 0.01)
    return Normalize(vmin=center - reach, vmax=center + reach)


def percent(value: float, digits: int = 0) -> str:
    """0.1234 -> '12%' (rates are fractions in nrrkit)."""
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value * 100:.{digits}f}%"


def percent_tick(value: float, _pos=None) -> str:
    """A percent axis label that is exactly the gridline's value: 0.9 -> '90%', 0.875 -> '87.5%'.

    As few decimals as the value needs (at most three), never rounded to a neighbour:
    a gridline at 0.875 labelled '88%' would read as a value it is not.
    """
    v = value * 100
    for digits in range(4):
        if abs(round(v, digits) - v) < 1e-9 * max(1.0, abs(v)):
            text = f"{v:.{digits}f}"
            return ("0" if text.strip("-0.") == "" else text) + "%"
    return f"{v:.3f}%"


MONEY = FuncFormatter(money)
PERCENT = FuncFormatter(percent_tick)  # labels are exactly the gridlines' values (0.875 -> 87.5%)


# --------------------------------------------------------------------------- levers and scenarios


def sensitivity_heatmap(grid: pd.DataFrame, *, ax=None, frontier: bool = True, annotate: bool = True):
    """NRR over two levers (the output of :func:`nrrkit.levers.sensitivity_grid`).

    Cells are coloured around 100% (red below, blue above); the NRR = 100%
    frontier is drawn as a black line.  The image's array is the grid's values.
    """
    if not isinstance(grid, pd.DataFrame) or grid.empty:
        raise DataError("sensitivity_heatmap needs the DataFrame of nrrkit.levers.sensitivity_grid")
    with _style():
        ax = _axes(ax, (6.5, 4.5))
        values = grid.to_numpy(dtype=float)
        finite = values[np.isfinite(values)]
        lo, hi = (finite.min(), finite.max()) if finite.size else (0.9, 1.1)
        norm = centred_norm(values)
        im = ax.imshow(values, origin="lower", aspect="auto", cmap="RdBu", norm=norm)
        xs, ys = list(grid.columns), list(grid.index)
        ax.set_xticks(range(len(xs)), [percent(x) for x in xs])
        ax.set_yticks(range(len(ys)), [percent(y) for y in ys])
        ax.set_xlabel(f"annual {grid.columns.name or 'x'} (share of starting ARR)")
        ax.set_ylabel(f"annual {grid.index.name or 'y'}")
        ax.grid(False)
        if annotate and values.size <= 150:
            for i in range(len(ys)):
                for j in range(len(xs)):
                    if np.isfinite(values[i, j]):
                        ax.text(j, i, percent(values[i, j]), ha="center", va="center", fontsize=MIN_FONT,
                                color="white" if abs(norm(values[i, j]) - 0.5) > 0.3 else "black")
        if frontier and finite.size and lo < 1 < hi:
            ax.contour(np.arange(len(xs)), np.arange(len(ys)), values, levels=[1.0], colors="black",
                       linewidths=1.5)
        fixed = ", ".join(f"{k} {percent(v)}" for k, v in grid.attrs.get("fixed", {}).items())
        metric = grid.attrs.get("metric", "nrr").upper()
        ax.set_title(f"{metric} by {grid.columns.name} and {grid.index.name}" + (f" ({fixed})" if fixed else ""))
        ax.figure.colorbar(im, ax=ax, format=PERCENT, label=metric)
    return ax


def tornado(data: pd.DataFrame, *, ax=None):
    """Each lever's swing of NRR (the output of :func:`nrrkit.levers.tornado` or
    :func:`nrrkit.levers.measured_tornado`).

    One horizontal bar per lever from the lowest to the highest NRR it gives, the largest at
    the top, around a line at the baseline NRR.  Each end of a bar says the NRR and the lever
    setting that gives it (churn at 25% is the left end, churn at 15% the right), so the labels
    read in the bar's own order.  A lever that cannot move the full step (a rate cannot go
    below 0%) says where it clips, so a short bar is not read as a weak lever.
    """
    needed = {"lever", "nrr_low", "nrr_high"}
    if not isinstance(data, pd.DataFrame) or not needed <= set(data.columns):
        raise DataError("tornado needs the DataFrame of nrrkit.levers.tornado")
    step = data.attrs.get("step")
    with _style():
        ax = _axes(ax, (6.5, 3))
        rows = data.iloc[::-1].reset_index(drop=True)  # largest swing on top
        labels = []
        for i, r in rows.iterrows():
            ends = sorted([(r["nrr_low"], r.get("low")), (r["nrr_high"], r.get("high"))], key=lambda e: e[0])
            (lo, at_lo), (hi, at_hi) = ends
            ax.barh(i, hi - lo, left=lo, color=COLORS.get(r["lever"], COLORS["neutral"]), height=0.6)
            right, left = f"  {percent(hi, 1)}", f"{percent(lo, 1)}  "
            if at_lo is not None and at_hi is not None:
                right += f" ({r['lever']} {percent(at_hi, 1)})"
                left = f"({r['lever']} {percent(at_lo, 1)}) " + left
            ax.text(hi, i, right, va="center", fontsize=MIN_FONT)
            ax.text(lo, i, left, va="center", ha="right", fontsize=MIN_FONT)
            label = r["lever"]
            if step is not None and "low" in rows and r["base"] - r["low"] < step - 1e-9:
                label += "\n(clipped at 0%)"
            labels.append(label)
        ax.set_yticks(range(len(rows)), labels)
        base = data.attrs.get("base_nrr")
        if base is not None:
            ax.axvline(base, color="black", lw=1)
            what = (f"each lever -/+ {step * 100:.0f} points" if step is not None
                    else "each lever over the range it moved")
            ax.set_title(f"What moves NRR: {what} (now {percent(base, 1)})")
        lows = data[["nrr_low", "nrr_high"]].min(axis=1).min()
        highs = data[["nrr_low", "nrr_high"]].max(axis=1).max()
        _fit_end_labels(ax, lows, highs)  # room for the value labels at both ends
        ax.xaxis.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 5, 10]))  # whole points: 112%, 114%, ...
        ax.xaxis.set_major_formatter(PERCENT)
        ax.set_xlabel("NRR")
        ax.grid(axis="y", visible=False)
    return ax


def _fit_end_labels(ax, lows: float, highs: float) -> None:
    """Set the x range so that every text at the ends of the bars fits inside the axes.

    The labels' widths are fixed in pixels while the range is in data units, so the range is
    solved for a few times (each pass measures how much data range a pixel is worth)."""
    span = max(highs - lows, 0.01)
    left, right = span * 0.55, span * 0.55
    canvas = ax.figure.canvas
    if not hasattr(canvas, "get_renderer"):
        ax.set_xlim(lows - left, highs + right)
        return
    renderer = canvas.get_renderer()
    width_px = max(ax.get_window_extent(renderer).width, 1.0)
    texts = [(t.get_position()[0], t.get_window_extent(renderer).width, t.get_ha()) for t in ax.texts]
    for _ in range(4):
        per_px = (span + left + right) / width_px
        need_left = max([w * per_px - (x - lows) for x, w, ha in texts if ha == "right"] + [0.02 * span])
        need_right = max([w * per_px - (highs - x) for x, w, ha in texts if ha != "right"] + [0.02 * span])
        left, right = need_left * 1.05, need_right * 1.05
    ax.set_xlim(lows - left, highs + right)


def segment_levers(data: pd.DataFrame, *, ax=None, top: int | None = None):
    """What the same relative change of each lever in each segment moves company NRR by (the output of
    :func:`nrrkit.levers.segment_weights`): one bar per segment and lever, largest on top, labelled in
    points of company NRR and with the segment's share of the base."""
    needed = {"lever", "share", "company_nrr_change"}
    if not isinstance(data, pd.DataFrame) or not needed <= set(data.columns):
        raise DataError("segment_levers needs the DataFrame of nrrkit.levers.segment_weights")
    by = next(c for c in data.columns if c not in ("lever", "share", "rate", "amount", "segment_nrr_change",
                                                   "company_nrr_change"))
    rows = data.sort_values("company_nrr_change", ascending=False).head(top or len(data)).iloc[::-1]
    rows = rows.reset_index(drop=True)
    change = data.attrs.get("change")
    with _style():
        ax = _axes(ax, (7, 0.4 * len(rows) + 1.2))
        points = rows["company_nrr_change"] * 100
        ax.barh(range(len(rows)), points, color=[COLORS.get(v, COLORS["neutral"]) for v in rows["lever"]],
                height=0.6)
        for i, r in rows.iterrows():
            ax.text(points[i], i, f"  +{points[i]:.2f} pts (segment {r['segment_nrr_change'] * 100:+.1f})",
                    va="center", fontsize=MIN_FONT)
        ax.set_yticks(range(len(rows)), [f"{r[by]} {r['lever']} ({r['share']:.0%} of base)"
                                         for _, r in rows.iterrows()])
        ax.set_xlim(0, max(points.max(), 0.01) * 1.6)
        ax.set_xlabel("points of company NRR")
        what = f"{change:.0%} better" if change is not None else "the same change"
        ax.set_title(f"One lever in one segment, {what}:\npoints of company NRR gained (and of the segment's NRR)")
        ax.grid(axis="y", visible=False)
    return ax


def _lines(ax, key, series: list[tuple[list, list, dict]]) -> list:
    """Draw ``series`` as lines, or, when ``ax`` already holds lines drawn for the same ``key``
    (same chart, same scenarios, same years), move those lines to the new values and drop the
    previous labels: a slider move then redraws without rebuilding the axes."""
    if getattr(ax, "_nrrkit_key", None) == key and all(line in ax.lines for line in ax._nrrkit_lines):
        for line, (xs, ys, _kw) in zip(ax._nrrkit_lines, series):
            line.set_data(xs, ys)
        for t in ax._nrrkit_texts:
            t.remove()
        ax.relim()
        ax.autoscale_view(scalex=False)
    else:
        ax._nrrkit_lines = [ax.plot(xs, ys, **kw)[0] for xs, ys, kw in series]
        ax._nrrkit_key = key
    ax._nrrkit_texts = []
    return ax._nrrkit_texts


def _end_labels(ax, texts: list, x: float, ends: list[tuple[float, str]], *, low: float) -> None:
    """Money labels at the right end of lines, in the order of the values (the highest on top), spread
    at least 7% of the axis apart, and inside the axes (the y range grows to hold them).  Values
    within half a percent of each other share one label."""
    ends = sorted(ends, key=lambda e: e[0])
    merged: list[list] = []
    for value, color in ends:
        if merged and abs(value - merged[-1][0]) <= 0.005 * max(abs(value), 1.0):
            merged[-1][1] = "black"  # one label for lines that end together
            continue
        merged.append([value, color])
    top = max(v for v, _ in merged)
    span = max(top - low, abs(top) * 0.1, 1e-9)
    sep = 0.07 * span
    ys = []
    for value, _ in merged:  # from the lowest up: each at least sep above the one below
        ys.append(max(value, ys[-1] + sep) if ys else value)
    shift = max(ys[-1] - top, 0) / 2  # centre the spread on the values
    ys = [y - shift for y in ys]
    for (value, color), y in zip(merged, ys):
        texts.append(ax.annotate(money(value), (x, value), xytext=(x * 1.03 + 0.15, y), textcoords="data", va="center",
                                 fontsize=MIN_FONT, color=color))
    lo, hi = ax.get_ylim()
    ax.set_ylim(min(lo, ys[0] - sep), max(hi, ys[-1] + sep), auto=None)  # autoscaling stays on for redraws


def _times(ratio: float) -> str:
    """A ratio as "2.16x"; below 0.01x with two significant digits ("0.00098x", never "0.00x")."""
    return f"{ratio:.2f}x" if abs(ratio) >= 0.01 or ratio == 0 else f"{ratio:.2g}x"


def scenario_lines(data: pd.DataFrame, *, ax=None, annotate: bool = True):
    """End ARR per year for two or more scenarios (the output of
    :func:`nrrkit.scenarios.compare_scenarios`), with the final ratio annotated.

    The ratio is the data's own ``"<second> / <first>"`` column, written out with its
    name, so the chart and any figure printed beside it read the same way.
    """
    if not isinstance(data, pd.DataFrame) or "year" not in data.columns:
        raise DataError("scenario_lines needs the DataFrame of nrrkit.scenarios.compare_scenarios")
    names = [c for c in data.columns if c != "year" and " / " not in c]
    with _style():
        ax = _axes(ax)
        projections = data.attrs.get("projections", {})
        series = []
        for k, name in enumerate(names):
            start = projections[name]["start_arr"].iloc[0] if name in projections else None
            years = [0, *data["year"]] if start is not None else list(data["year"])
            values = [start, *data[name]] if start is not None else list(data[name])
            series.append((years, values, dict(marker="o", lw=2, color=SERIES[k % len(SERIES)], label=name)))
        texts = _lines(ax, ("scenario_lines", tuple(names), len(data)), series)
        last = data.iloc[-1]
        x = data["year"].iloc[-1]
        _end_labels(ax, texts, x, [(float(last[n]), SERIES[k % len(SERIES)]) for k, n in enumerate(names)],
                    low=min(min(v for v in vals if v is not None) for _, vals, _ in series))
        ratio_col = f"{names[1]} / {names[0]}" if len(names) >= 2 else None
        label = None
        if annotate and ratio_col in data.columns:
            a, b = last[names[0]], last[names[1]]
            texts.append(ax.annotate("", xy=(x, b), xytext=(x, a),
                                     arrowprops=dict(arrowstyle="->", color="black", lw=1)))
            # The lines can pass anywhere as settings change (a fixed place was crossed by a line at 10
            # years with a 50% fade): the label sits in a band kept free above every line, at the right
            # (the legend is at the left), and moves, when drawn, to the nearest place clear of the
            # lines, the end labels, the arrow and the legend if the band is too narrow for both.
            label = ClearText(ax, 1.0, 1.0, f"{names[1]} / {names[0]}\nafter {x:g} year{'s' if x != 1 else ''}: "
                                            f"{_times(last[ratio_col])}", fontsize=MIN_FONT + 1, fontweight="bold")
            texts.append(label)
        ax.set_xlim(-0.3, x + 0.6 + 0.2 * x)  # room for the end labels, more with more years
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # whole years (not 0.25 with one year)
        ax.yaxis.set_major_formatter(MONEY)
        ax.set_xlabel("year")
        ax.set_ylabel("ARR at year end")
        ax.set_title("ARR by scenario")
        legend = ax.get_legend() or ax.legend(loc="upper left")
        headroom(ax, [legend, label])  # a band above the lines, for the legend and the label
    return ax


def spend_lines(data: pd.DataFrame, *, ax=None):
    """Cumulative new-business spend per scenario (:func:`nrrkit.scenarios.compare_scenarios` of
    projections made with ``spend_per_new_dollar``): what each path to its ARR costs."""
    projections = data.attrs.get("projections", {}) if isinstance(data, pd.DataFrame) else {}
    if not projections or not all("spend" in p.columns for p in projections.values()):
        raise DataError("spend_lines needs compare_scenarios over projections made with spend_per_new_dollar")
    with _style():
        ax = _axes(ax)
        top = 0.0
        series = []
        for k, (name, p) in enumerate(projections.items()):
            cum = p["spend"].cumsum()
            series.append(([0, *p["year"]], [0.0, *cum], dict(marker="o", lw=2, color=SERIES[k % len(SERIES)],
                                                              label=name)))
            top = max(top, float(cum.iloc[-1]))
        first = next(iter(projections.values()))
        texts = _lines(ax, ("spend_lines", tuple(projections), len(first)), series)
        x = first["year"].iloc[-1]
        _end_labels(ax, texts, x, [(float(p["spend"].sum()), SERIES[k % len(SERIES)])
                                   for k, p in enumerate(projections.values())], low=0.0)
        years = next(iter(projections.values()))["year"]
        ax.set_xlim(-0.3, years.iloc[-1] + 0.6 + 0.2 * years.iloc[-1])
        ax.set_ylim(0, max(ax.get_ylim()[1], top * 1.1 if top > 0 else 1), auto=None)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        # nothing spent: one tick at $0 (the money format would label 0.2 to 1 as "$0" and "$1")
        ax.yaxis.set_major_locator(FixedLocator([0.0]) if top <= 0 else AutoLocator())
        ax.yaxis.set_major_formatter(MONEY)
        ax.set_xlabel("year")
        ax.set_ylabel("new-business spend, cumulative")
        ax.set_title("What the new business costs")
        if ax.get_legend() is None:
            ax.legend(loc="upper left")
    return ax


def arr_layers(data: pd.DataFrame, *, ax=None):
    """ARR by vintage (the output of :func:`nrrkit.scenarios.layers`): the starting base and
    each year's new business as stacked bars, each layer compounding at NRR."""
    if not isinstance(data, pd.DataFrame) or "base" not in data.columns:
        raise DataError("arr_layers needs the DataFrame of nrrkit.scenarios.layers")
    layers = [c for c in data.columns if c != "year"]
    with _style():
        ax = _axes(ax)
        bottom = np.zeros(len(data))
        cmap = mpl.colormaps["Blues"]
        for k, name in enumerate(layers):
            color = COLORS["start"] if name == "base" else cmap(0.35 + 0.6 * k / max(len(layers) - 1, 1))
            ax.bar(data["year"], data[name], bottom=bottom, color=color, label=name, width=0.7)
            bottom += data[name].to_numpy()
        for x, total in zip(data["year"], bottom):
            ax.text(x, total, money(total), ha="center", va="bottom", fontsize=MIN_FONT)
        ax.yaxis.set_major_formatter(MONEY)
        ax.set_xlabel("year")
        ax.set_ylabel("ARR")
        ax.set_title("ARR by vintage: the base and each year's new business")
        ax.legend(loc="upper left", ncols=2)
    return ax


# --------------------------------------------------------------------------- where NRR comes from


def _bridge_totals(data: pd.DataFrame) -> dict[str, float]:
    needed = {"start_mrr", "new", "reactivation", "expansion", "contraction", "churn", "end_mrr"}
    if not isinstance(data, pd.DataFrame) or not needed <= set(data.columns) or data.empty:
        raise DataError("bridge_waterfall needs the DataFrame of nrrkit.bridge")
    seg = [c for c in data.columns[1:3] if c not in needed and c != "period_label"]  # the by column, if any
    if seg and data[seg[0]].nunique() > 1:
        raise DataError("bridge_waterfall draws one segment: filter the bridge to one segment first")
    return {
        "start": float(data["start_mrr"].iloc[0]),
        "new": float(data["new"].sum()),
        "reactivation": float(data["reactivation"].sum()),
        "expansion": float(data["expansion"].sum()),
        "contraction": -float(data["contraction"].sum()),
        "churn": -float(data["churn"].sum()),
        "end": float(data["end_mrr"].iloc[-1]),
    }


def bridge_waterfall(data: pd.DataFrame, *, ax=None, title: str | None = None):
    """The MRR bridge as a waterfall: start, each movement, end.

    ``data`` is the output of :func:`nrrkit.bridge`, whole or a slice of its rows:
    the chart starts at the first row's start MRR, adds up the movements of every
    row, and ends at the last row's end MRR (so 12 monthly rows give the year's bridge).
    """
    t = _bridge_totals(data)
    with _style():
        ax = _axes(ax)
        level = t["start"]
        names = ["start", "new", "reactivation", "expansion", "contraction", "churn", "end"]
        for i, name in enumerate(names):
            if name in ("start", "end"):
                ax.bar(i, t[name], color=COLORS[name], width=0.65)
                ax.text(i, t[name], money(t[name]), ha="center", va="bottom", fontsize=MIN_FONT)
                continue
            delta = t[name]
            ax.bar(i, abs(delta), bottom=level if delta >= 0 else level + delta, color=COLORS[name], width=0.65)
            ax.text(i, max(level, level + delta), ("+" if delta >= 0 else "-") + money(abs(delta)),
                    ha="center", va="bottom", fontsize=MIN_FONT)
            level += delta
        ax.set_xticks(range(len(names)), ["start MRR", "new", "reactivation", "expansion", "contraction", "churn",
                                          "end MRR"])
        ax.yaxis.set_major_formatter(MONEY)
        names_ = _period_names(data)
        first, last = names_[0], names_[-1]
        span = first if first == last else f"{first} to {last}"
        ax.set_title(title or f"MRR bridge, {span}")
        ax.grid(axis="x", visible=False)
    return ax


def _level_bands(ax, x, nrr: pd.Series, grr: pd.Series | None, ylo: float, yhi: float) -> float | None:
    """Shade the NRR levels (Mitchell 2026) behind the NRR line only, and Bessemer's 2019 GRR bands
    behind the GRR line when it runs below the NRR line; a band is labelled where it is tall enough
    for its label (no label collides with another)."""
    from .benchmarks import BESSEMER_2019, level_bands

    split = ylo
    if grr is not None:
        g_hi, n_lo = float(np.nanmax(grr)), float(np.nanmin(nrr))
        split = (g_hi + n_lo) / 2 if g_hi < n_lo else ylo
    span = yhi - ylo

    n_left = max(2, len(x) * 2 // 5)  # the labels sit over the left part of the chart
    left = np.concatenate([np.asarray(v, dtype=float)[:n_left] for v in (nrr, grr) if v is not None])

    def shade(bands, lo_limit, hi_limit, shades):
        for (name, b0, b1), colour in zip(bands, shades):
            lo, hi = max(b0, lo_limit), min(b1, hi_limit)
            if hi <= lo:
                continue
            ax.axhspan(lo, hi, color=colour, zorder=0, lw=0)
            if hi - lo >= 0.07 * span:  # room for a label: where it is farthest from the lines
                spots = [lo + 0.035 * span, (lo + hi) / 2, hi - 0.035 * span]
                y = max(spots, key=lambda v: np.min(np.abs(left - v)) if len(left) else 0)
                ax.text(x.iloc[0], y, f" {name}", va="center", fontsize=MIN_FONT, color="#607d8b", zorder=1)

    shade(level_bands(), split, yhi, ["#ffebee", "#fff8e1", "#f1f8e9", "#e8f5e9", "#e3f2fd", "#ede7f6"])
    if split > ylo:
        grr_bands = [(f"GRR {r.segment} band (Bessemer 2019)", r.grr_low, min(r.grr_high, 1.0))
                     for r in BESSEMER_2019.itertuples()]
        shade(grr_bands, ylo, split, ["#fbe9e7", "#fff3e0", "#f9fbe7"])
        ax.text(x.iloc[-1], split, "NRR levels above, GRR bands below ", ha="right", va="bottom",
                fontsize=MIN_FONT, color="#607d8b")
        return split
    return None


def nrr_trend(data: pd.DataFrame, *, ax=None, bands: bool = True, grr: bool = True):
    """NRR (and GRR) over end months, on the benchmark levels of Mitchell 2026, with the definition
    in a footnote.  ``data`` is the output of :func:`nrrkit.retention` (no ``by``)."""
    if not isinstance(data, pd.DataFrame) or not {"month", "nrr", "grr"} <= set(data.columns):
        raise DataError("nrr_trend needs the DataFrame of nrrkit.retention")
    if len(data.columns) > 1 and data.columns[1] != "base_month":
        raise DataError("nrr_trend draws one series: use retention() without by=, or filter to one segment")
    with _style():
        ax = _axes(ax)
        x = _dates(data["month"])
        values = pd.concat([data["nrr"], data["grr"]]) if grr else data["nrr"]
        lo, hi = float(np.nanmin(values)), float(np.nanmax(values))
        pad = max((hi - lo) * 0.15, 0.03)
        ylo, yhi = lo - pad, hi + pad
        card_window = (data.attrs.get("definition") or {}).get("window")
        split = None
        if bands and card_window in (None, 12):  # the levels are a yearly scale
            split = _level_bands(ax, x, data["nrr"], data["grr"] if grr else None, ylo, yhi)
        ax.plot(x, data["nrr"], color=COLORS["nrr"], lw=2, label="NRR")
        if grr:
            ax.plot(x, data["grr"], color=COLORS["grr"], lw=2, ls="--", label="GRR")
        ax.axhline(1.0, color="black", lw=0.8)
        if split is not None:  # where the NRR levels end and the GRR bands begin
            ax.axhline(split, color="#90a4ae", lw=0.8, ls=":")
        ax.set_ylim(ylo, yhi)
        ax.yaxis.set_major_formatter(PERCENT)
        last = data.iloc[-1]
        ax.annotate(percent(last["nrr"], 1), (x.iloc[-1], last["nrr"]), textcoords="offset points", xytext=(-4, 7),
                    ha="right", fontsize=MIN_FONT, color=COLORS["nrr"], fontweight="bold")
        card = data.attrs.get("definition")
        w = card.get("window") if card else None
        ax.set_title(f"{w}-month NRR and GRR by end month" if w else "NRR and GRR by end month")
        if card:
            ax.annotate(f"{card['method'].split(':')[0]} method, window {w} months, base month = end month - {w}; "
                        f"{card['value_basis'].split(' (')[0]}", (0, 0), xycoords="axes fraction",
                        xytext=(0, -28), textcoords="offset points", fontsize=MIN_FONT, color="#546e7a", va="top")
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))  # beside the lines, never on them
    return ax


def cohort_heatmap(table: pd.DataFrame, *, ax=None, annotate: bool | None = None, colorbar: bool = True):
    """A cohort table (:func:`nrrkit.cohort_table`) as a heatmap; empty cells stay blank.

    Retention is coloured on a scale centred on 100% with the same reach both ways
    (red below, blue above); each cell's text is dark or white for contrast.
    """
    if not isinstance(table, pd.DataFrame) or table.empty:
        raise DataError("cohort_heatmap needs the DataFrame of nrrkit.cohort_table")
    metric = table.attrs.get("metric", "revenue")
    values = table.to_numpy(dtype=float)
    with _style():
        ax = _axes(ax, (8, max(3.0, 0.22 * len(table) + 1.5)))
        masked = np.ma.masked_invalid(values)
        if metric == "mrr":
            im = ax.imshow(masked, aspect="auto", cmap="Blues")
            fmt = MONEY
        else:
            norm = centred_norm(values)
            im = ax.imshow(masked, aspect="auto", cmap="RdBu", norm=norm)
            fmt = PERCENT
        ax.set_xlabel(f"age ({ {'M': 'months', 'Q': 'quarters', 'Y': 'years'}[table.attrs.get('period', 'M')] })")
        ax.set_ylabel("cohort")
        step = max(1, len(table) // 24)
        ax.set_yticks(range(0, len(table), step), _index_labels(table.index, table.attrs.get("period", "M"))[::step])
        xstep = max(1, values.shape[1] // 12)
        ax.set_xticks(range(0, values.shape[1], xstep))  # whole ages only (no 0.5 years)
        ax.grid(False)
        if annotate if annotate is not None else values.size <= 150:
            for i in range(values.shape[0]):
                for j in range(values.shape[1]):
                    if np.isfinite(values[i, j]):
                        label = money(values[i, j]) if metric == "mrr" else percent(values[i, j])
                        strong = abs(im.norm(values[i, j]) - 0.5) > 0.3
                        ax.text(j, i, label, ha="center", va="center", fontsize=MIN_FONT,
                                color="white" if strong else "black")
        what = {"revenue": "Revenue retention", "logos": "Logo retention", "mrr": "MRR"}[metric]
        ax.set_title(f"{what} by cohort and age")
        if colorbar:
            ax.figure.colorbar(im, ax=ax, format=fmt)
    return ax


def cohort_curves(table: pd.DataFrame, *, ax=None, curve: pd.DataFrame | None = None, max_lines: int = 36):
    """Each cohort's retention by age (thin lines) and the dollar-weighted average (thick).

    ``table`` is :func:`nrrkit.cohort_table`; ``curve`` (optional) is
    :func:`nrrkit.cohort_curve` for the same data, drawn in bold.
    """
    if not isinstance(table, pd.DataFrame) or table.empty:
        raise DataError("cohort_curves needs the DataFrame of nrrkit.cohort_table")
    with _style():
        ax = _axes(ax)
        for _, row in table.tail(max_lines).iterrows():
            ax.plot(row.index, row.values, color=COLORS["neutral"], alpha=0.35, lw=0.8)
        if curve is not None:
            ax.plot(curve["age"], curve["value"], color=COLORS["nrr"], lw=2.5, label="all cohorts (dollar-weighted)")
            ax.legend(loc="upper left")
        ax.axhline(1.0, color="black", lw=0.8)
        ax.yaxis.set_major_formatter(PERCENT)
        ax.set_xlabel("age")
        what = {"revenue": "Revenue retention", "logos": "Logo retention"}.get(table.attrs.get("metric"), "Retention")
        ax.set_title(f"{what} curves by cohort")
    return ax


def layer_cake(data: pd.DataFrame, *, ax=None):
    """MRR by acquisition cohort over calendar time (:func:`nrrkit.layer_cake`), stacked."""
    if not isinstance(data, pd.DataFrame) or data.empty:
        raise DataError("layer_cake needs the DataFrame of nrrkit.layer_cake")
    with _style():
        ax = _axes(ax)
        x = np.arange(len(data))
        cmap = mpl.colormaps["viridis"]
        n = data.shape[1]
        ax.stackplot(x, data.T.to_numpy(), colors=[cmap(i / max(n - 1, 1)) for i in range(n)],
                     labels=list(data.columns), alpha=0.9)
        step = max(1, len(data) // 12)
        ax.set_xticks(x[::step], _index_labels(data.index, data.attrs.get("period", "M"))[::step], rotation=45,
                      ha="right")
        ax.yaxis.set_major_formatter(MONEY)
        ax.set_ylabel("MRR")
        ax.set_title("MRR by acquisition cohort (layer cake)")
        if n <= 16:
            ax.legend(loc="upper left", ncols=2, title="cohort")
        ax.set_xlim(0, len(data) - 1 if len(data) > 1 else 1)
    return ax


def segment_bars(summary: pd.DataFrame, *, ax=None):
    """NRR and GRR per segment, with the total (:func:`nrrkit.segment_summary`)."""
    if not isinstance(summary, pd.DataFrame) or not {"segment", "nrr", "grr"} <= set(summary.columns):
        raise DataError("segment_bars needs the DataFrame of nrrkit.segment_summary")
    with _style():
        ax = _axes(ax)
        x = np.arange(len(summary))
        ax.bar(x - 0.2, summary["nrr"], width=0.4, color=COLORS["nrr"], label="NRR")
        ax.bar(x + 0.2, summary["grr"], width=0.4, color=COLORS["grr"], label="GRR")
        for i, (n, g) in enumerate(zip(summary["nrr"], summary["grr"])):
            ax.text(i - 0.2, n, percent(n), ha="center", va="bottom", fontsize=MIN_FONT)
            ax.text(i + 0.2, g, percent(g), ha="center", va="bottom", fontsize=MIN_FONT)
        ax.set_xticks(x, list(summary["segment"]))
        ax.axhline(1.0, color="black", lw=0.8)
        avg = summary.attrs.get("average_of_segments")
        if avg is not None:  # drawn across the Total's NRR bar only, so it runs through no other bar's label
            total = len(summary) - 1
            ax.hlines(avg, total - 0.45, total + 0.05, color=COLORS["churn"], lw=2, ls=":",
                      label=f"average of segments {percent(avg, 1)} (not the company's NRR)")
        ax.yaxis.set_major_formatter(PERCENT)
        ax.set_ylim(0, max(summary["nrr"].max(), 1.0) * 1.15)
        ax.set_title(f"NRR and GRR by {summary.attrs.get('by', 'segment')}")
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncols=3)  # under the axes, off the bars
        ax.grid(axis="x", visible=False)
    return ax


def top_movers(data: pd.DataFrame, *, ax=None):
    """The biggest gains and losses of the window (:func:`nrrkit.top_movers`)."""
    if not isinstance(data, pd.DataFrame) or not {"customer_id", "change"} <= set(data.columns):
        raise DataError("top_movers needs the DataFrame of nrrkit.top_movers")
    rows = data.sort_values("change", kind="stable").reset_index(drop=True)
    with _style():
        ax = _axes(ax, (7, max(3.0, 0.28 * len(rows) + 1)))
        colors = [COLORS["expansion"] if c > 0 else COLORS["churn"] if e == 0 else COLORS["contraction"]
                  for c, e in zip(rows["change"], rows.get("end_mrr", rows["change"]))]
        ax.barh(np.arange(len(rows)), rows["change"], color=colors)
        ax.set_yticks(np.arange(len(rows)), list(rows["customer_id"]))
        ax.axvline(0, color="black", lw=0.8)
        ax.xaxis.set_major_formatter(MONEY)
        ax.set_xlabel("change in MRR over the window")
        ax.set_title("Top movers: largest gains and losses")
        ax.grid(axis="y", visible=False)
    return ax
