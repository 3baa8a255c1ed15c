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
from matplotlib.colors import TwoSlopeNorm
from matplotlib.ticker import FuncFormatter, PercentFormatter

from .errors import DataError

__all__ = [
    "COLORS", "money", "percent", "sensitivity_heatmap", "tornado", "scenario_lines", "arr_layers",
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
    "axes.labelsize": 9,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "legend.fontsize": 8,
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


def percent(value: float, digits: int = 0) -> str:
    """0.1234 -> '12%' (rates are fractions in nrrkit)."""
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value * 100:.{digits}f}%"


MONEY = FuncFormatter(money)
PERCENT = PercentFormatter(xmax=1.0, decimals=0)


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
        norm = TwoSlopeNorm(vcenter=1.0, vmin=min(lo, 0.999), vmax=max(hi, 1.001))
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
                        ax.text(j, i, percent(values[i, j]), ha="center", va="center", fontsize=7,
                                color="white" if abs(values[i, j] - 1) > 0.25 else "black")
        if frontier and finite.size and lo < 1 < hi:
            ax.contour(np.arange(len(xs)), np.arange(len(ys)), values, levels=[1.0], colors="black",
                       linewidths=1.5)
        fixed = ", ".join(f"{k} {percent(v)}" for k, v in grid.attrs.get("fixed", {}).items())
        metric = grid.attrs.get("metric", "nrr").upper()
        ax.set_title(f"{metric} by {grid.columns.name} and {grid.index.name}" + (f" ({fixed})" if fixed else ""))
        ax.figure.colorbar(im, ax=ax, format=PERCENT, label=metric)
    return ax


def tornado(data: pd.DataFrame, *, ax=None):
    """Each lever's swing of NRR (the output of :func:`nrrkit.levers.tornado`).

    One horizontal bar per lever from its low-setting NRR to its high-setting NRR,
    the largest at the top, around a line at the baseline NRR.
    """
    needed = {"lever", "nrr_low", "nrr_high"}
    if not isinstance(data, pd.DataFrame) or not needed <= set(data.columns):
        raise DataError("tornado needs the DataFrame of nrrkit.levers.tornado")
    with _style():
        ax = _axes(ax, (6.5, 3))
        rows = data.iloc[::-1].reset_index(drop=True)  # largest swing on top
        for i, r in rows.iterrows():
            lo, hi = sorted((r["nrr_low"], r["nrr_high"]))
            ax.barh(i, hi - lo, left=lo, color=COLORS.get(r["lever"], COLORS["neutral"]), height=0.6)
            ax.text(hi, i, f"  {percent(hi, 1)}", va="center", fontsize=8)
            ax.text(lo, i, f"{percent(lo, 1)}  ", va="center", ha="right", fontsize=8)
        labels = [f"{r['lever']} {percent(r['low'])}-{percent(r['high'])}" if "low" in rows else r["lever"]
                  for _, r in rows.iterrows()]
        ax.set_yticks(range(len(rows)), labels)
        base = data.attrs.get("base_nrr")
        if base is not None:
            ax.axvline(base, color="black", lw=1)
            ax.set_title(f"What moves NRR: each lever +/- {data.attrs.get('step', 0) * 100:.0f} points "
                         f"(base {percent(base, 1)})")
        lows = data[["nrr_low", "nrr_high"]].min(axis=1).min()
        highs = data[["nrr_low", "nrr_high"]].max(axis=1).max()
        pad = max((highs - lows) * 0.25, 0.01)
        ax.set_xlim(lows - pad, highs + pad)  # room for the value labels at both ends
        ax.xaxis.set_major_formatter(PERCENT)
        ax.set_xlabel("NRR")
        ax.grid(axis="y", visible=False)
    return ax


def scenario_lines(data: pd.DataFrame, *, ax=None, annotate: bool = True):
    """End ARR per year for two or more scenarios (the output of
    :func:`nrrkit.scenarios.compare_scenarios`), with the final gap annotated."""
    if not isinstance(data, pd.DataFrame) or "year" not in data.columns:
        raise DataError("scenario_lines needs the DataFrame of nrrkit.scenarios.compare_scenarios")
    names = [c for c in data.columns if c != "year" and " / " not in c]
    with _style():
        ax = _axes(ax)
        projections = data.attrs.get("projections", {})
        for k, name in enumerate(names):
            start = projections[name]["start_arr"].iloc[0] if name in projections else None
            years = [0, *data["year"]] if start is not None else list(data["year"])
            values = [start, *data[name]] if start is not None else list(data[name])
            ax.plot(years, values, marker="o", lw=2, color=SERIES[k % len(SERIES)], label=name)
            ax.annotate(money(values[-1]), (years[-1], values[-1]), textcoords="offset points", xytext=(6, 0),
                        va="center", fontsize=8, color=SERIES[k % len(SERIES)])
        if annotate and len(names) >= 2:
            last = data.iloc[-1]
            top, bottom = max(names, key=lambda n: last[n]), min(names, key=lambda n: last[n])
            ratio = last[top] / last[bottom] if last[bottom] else float("nan")
            x = data["year"].iloc[-1]
            ax.annotate("", xy=(x, last[top]), xytext=(x, last[bottom]),
                        arrowprops=dict(arrowstyle="<->", color="black", lw=1))
            ax.text(x - 0.1, (last[top] + last[bottom]) / 2, f"{ratio:.1f}x", ha="right", va="center",
                    fontsize=10, fontweight="bold")
        ax.yaxis.set_major_formatter(MONEY)
        ax.set_xlabel("year")
        ax.set_ylabel("ARR at year end")
        ax.set_title("ARR by scenario")
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
            ax.text(x, total, money(total), ha="center", va="bottom", fontsize=8)
        ax.yaxis.set_major_formatter(MONEY)
        ax.set_xlabel("year")
        ax.set_ylabel("ARR")
        ax.set_title("ARR by vintage: the base and each year's new business")
        ax.legend(loc="upper left", ncols=2)
    return ax
