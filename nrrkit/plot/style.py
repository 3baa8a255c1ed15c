"""The house style of :mod:`nrrkit.plot`: colours, matplotlib settings, money and percent labels."""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.ticker import FuncFormatter

from ..months import labels, ordinals

__all__ = ["COLORS", "SERIES", "RC", "style", "axes", "money", "money_exact", "MIN_FONT", "dates", "index_labels",
           "period_names", "centred_norm", "percent", "percent_tick", "MONEY", "PERCENT"]

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

RC = {
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
def style() -> Iterator[None]:
    with mpl.rc_context(RC):
        yield


def axes(ax, figsize=(7, 4)):
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


def dates(col: pd.Series) -> pd.Series:
    """Months as dates for a time axis: results carry them as dates already; an older table's Periods converted."""
    return col.dt.to_timestamp() if isinstance(col.dtype, pd.PeriodDtype) else col


def index_labels(index: pd.Index, freq: str) -> list[str]:
    """``2024-01``/``2024-Q1``/``2024`` for an index of first days; other indexes as text."""
    if isinstance(index, pd.DatetimeIndex):
        return labels(ordinals(index), freq, months=True)
    return [str(x) for x in index]


def period_names(data: pd.DataFrame) -> list[str]:
    """The bridge rows' periods as text: the ``period_label`` of quarters and years, ``2024-01`` for months."""
    if "period_label" in data.columns:
        return [str(x) for x in data["period_label"]]
    col = data["period"]
    if isinstance(col.dtype, pd.PeriodDtype) or pd.api.types.is_datetime64_dtype(col.dtype):
        return index_labels(pd.DatetimeIndex(dates(col)), "M")
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
