"""The levers' and the scenarios' charts: sensitivity, tornado, segment levers, five-year lines."""

from __future__ import annotations

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.ticker import AutoLocator, FixedLocator, MaxNLocator

from ..clear_text import ClearText, headroom
from ..errors import DataError
from .style import (
    COLORS,
    MIN_FONT,
    MONEY,
    PERCENT,
    SERIES,
    axes,
    centred_norm,
    money,
    percent,
    style,
)

__all__ = ["sensitivity_heatmap", "tornado", "segment_levers", "scenario_lines", "spend_lines", "arr_layers"]

# --------------------------------------------------------------------------- levers and scenarios


def sensitivity_heatmap(grid: pd.DataFrame, *, ax=None, frontier: bool = True, annotate: bool = True):
    """NRR over two levers (the output of :func:`nrrkit.levers.sensitivity_grid`).

    Cells are coloured around 100% (red below, blue above); the NRR = 100%
    frontier is drawn as a black line.  The image's array is the grid's values.
    """
    if not isinstance(grid, pd.DataFrame) or grid.empty:
        raise DataError("sensitivity_heatmap needs the DataFrame of nrrkit.levers.sensitivity_grid")
    with style():
        ax = axes(ax, (6.5, 4.5))
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
    with style():
        ax = axes(ax, (6.5, 3))
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
    with style():
        ax = axes(ax, (7, 0.4 * len(rows) + 1.2))
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
    with style():
        ax = axes(ax)
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
    with style():
        ax = axes(ax)
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
    with style():
        ax = axes(ax)
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
