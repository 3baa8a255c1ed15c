"""Months as integers inside nrrkit, and as dates in every table it returns.

Inside, a month is an integer ordinal: months since January 1970 (``2024-01`` is
648), the number a pandas ``Period[M]`` carries, so month arithmetic is exact
integer arithmetic.  In results a month is its first day, ``datetime64[ns]``
(``2024-01-01``), the convention of dbt's ``date_month``: JSON, Parquet, DuckDB,
Polars, Excel, matplotlib and seaborn all read it as a date.  A quarter or a year is
its first day as well, with a text label (``2024-Q1``, ``2024``) where one is needed.

This module is the bottom layer: it imports nothing else from nrrkit.

Examples
--------
>>> from nrrkit.months import month_starts, ordinals, labels
>>> month_starts([648, 659])
DatetimeIndex(['2024-01-01', '2024-12-01'], dtype='datetime64[ns]', freq=None)
>>> ordinals(month_starts([648, 659])).tolist()
[648, 659]
>>> labels([216, 217], "Q"), labels([648], "M")
(['2024-Q1', '2024-Q2'], ['2024-01'])
"""

from __future__ import annotations

import datetime as _dt

import numpy as np
import pandas as pd

__all__ = ["month_starts", "period_starts", "ordinals", "ordinal", "month_start", "label", "labels",
           "period", "is_month_starts", "month_ordinals", "STEP"]

#: Months in one period of each frequency.
STEP = {"M": 1, "Q": 3, "Y": 12}
_NAT = np.iinfo("int64").min


def month_starts(ords) -> pd.DatetimeIndex:
    """Month ordinals (months since 1970-01) -> their first days, ``datetime64[ns]`` (vectorised)."""
    a = np.asarray(ords, dtype="int64").ravel()
    nat = a == _NAT
    has_nat = bool(nat.any())
    valid = a[~nat] if has_nat else a
    if not len(valid):
        return pd.DatetimeIndex(np.full(len(a), np.datetime64("NaT", "ns")))
    lo, hi = int(valid.min()), int(valid.max())
    # one lookup per value in a table of the months the values span (a calendar conversion per value
    # costs about 40 ns; a lookup a few)
    table = np.arange(lo, hi + 1, dtype="int64").astype("datetime64[M]").astype("datetime64[ns]").view("int64")
    out = table[valid - lo]
    if has_nat:
        full = np.full(len(a), _NAT, dtype="int64")
        full[~nat] = out
        out = full
    return pd.DatetimeIndex(out.view("datetime64[ns]"))


def period_starts(ords, freq: str) -> pd.DatetimeIndex:
    """Ordinals of quarters (``freq="Q"``: quarters since 1970-Q1) or years (``"Y"``) -> first days."""
    return month_starts(np.asarray(ords, dtype="int64") * STEP[_code(freq)])


def month_start(value) -> pd.Timestamp:
    """One month (an ordinal, a Period, a date or ``'2024-06'``) -> its first day as a Timestamp."""
    return month_starts([ordinal(value)])[0]


def ordinal(value) -> int:
    """One month (an ordinal, a Period, a date, a Timestamp or ``'2024-06'`` text) -> its ordinal."""
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return int(value)
    if isinstance(value, pd.Period):
        return int(value.asfreq("M", "start").ordinal) if value.freqstr != "M" else int(value.ordinal)
    if isinstance(value, (pd.Timestamp, _dt.date, np.datetime64)):
        ts = pd.Timestamp(value)
        return (ts.year - 1970) * 12 + ts.month - 1
    return int(pd.Period(value, freq="M").ordinal)


def ordinals(values) -> np.ndarray:
    """Months (datetime64 of any unit, Periods, a DatetimeIndex, dates or text) -> int64 ordinals.

    A quarter or year Period counts as its first month.  Missing values raise (months in nrrkit
    are never missing).
    """
    if isinstance(values, (pd.Series, pd.Index)):
        arr = values.array
    elif isinstance(values, np.ndarray):
        arr = values
    else:
        arr = pd.array(list(values)) if not np.isscalar(values) else np.array([ordinal(values)])
    dtype = getattr(arr, "dtype", None)
    if isinstance(dtype, pd.PeriodDtype):
        p = pd.PeriodIndex(arr)
        if p.freqstr != "M":
            p = p.asfreq("M", "start")
        return np.asarray(p.asi8, dtype="int64")
    if isinstance(dtype, pd.DatetimeTZDtype):
        arr = pd.DatetimeIndex(arr).tz_localize(None).to_numpy()
        dtype = arr.dtype
    if isinstance(dtype, np.dtype) and dtype.kind == "M":
        return month_ordinals(np.asarray(arr, dtype=dtype))[0]
    if isinstance(dtype, np.dtype) and dtype.kind in "iu":
        return np.asarray(arr, dtype="int64")
    return np.array([ordinal(v) for v in np.asarray(arr, dtype=object)], dtype="int64")


def is_month_starts(values) -> bool:
    """True when ``values`` is a datetime64 column (naive) whose every value is a month's first day at midnight."""
    dtype = getattr(values, "dtype", None)
    if not isinstance(dtype, np.dtype) or dtype.kind != "M":
        return False
    return month_ordinals(np.asarray(values))[1]


_NS_PER_DAY = 86_400 * 10**9


def month_ordinals(a: np.ndarray) -> tuple[np.ndarray, bool]:
    """Month ordinals of datetime64 values, and whether every value is a month's first day at midnight.

    A calendar conversion per value (``astype("datetime64[M]")``) costs about a second for 20 million
    rows; here each value costs one division and one lookup in a table of the days the column spans.
    """
    v = a.astype("datetime64[ns]", copy=False).view("int64")
    if not len(v):
        return np.empty(0, dtype="int64"), True
    nat = v == _NAT
    has_nat = bool(nat.any())
    valid = v[~nat] if has_nat else v
    if not len(valid):
        return np.full(len(v), _NAT, dtype="int64"), False
    days = valid // _NS_PER_DAY
    d0, d1 = int(days.min()), int(days.max())
    if d1 - d0 > 5_000_000:  # a span of thousands of years: the calendar conversion, value by value
        months = valid.astype("datetime64[ns]").astype("datetime64[M]").astype("int64")
        firsts = bool((months.astype("datetime64[M]").astype("datetime64[ns]").view("int64") == valid).all())
    else:
        span = np.arange(d0, d1 + 1, dtype="int64").astype("datetime64[D]")
        span_months = span.astype("datetime64[M]")
        months = span_months.astype("int64")[days - d0]
        is_first = span_months.astype("datetime64[D]") == span
        firsts = bool(is_first[days - d0].all()) and bool((valid % _NS_PER_DAY == 0).all())
    if has_nat:
        out = np.full(len(v), _NAT, dtype="int64")
        out[~nat] = months
        return out, False
    return months, firsts


def label(value, freq: str = "M") -> str:
    """``2024-01`` (a month), ``2024-Q1`` (the quarter it is in) or ``2024`` (its year) of one month."""
    return labels([ordinal(value)], freq, months=True)[0]


def labels(ords, freq: str = "M", *, months: bool = False) -> list[str]:
    """Text labels of ordinals of ``freq`` (``months=True``: the ordinals are months, labelled by their ``freq``)."""
    code = _code(freq)
    a = np.asarray(ords, dtype="int64")
    if months or code == "M":
        years, rest = np.divmod(a, 12)
        if code == "M":
            return [f"{1970 + y:04d}-{r + 1:02d}" for y, r in zip(years.tolist(), rest.tolist())]
        if code == "Q":
            return [f"{1970 + y:04d}-Q{r // 3 + 1}" for y, r in zip(years.tolist(), rest.tolist())]
        return [f"{1970 + y:04d}" for y in years.tolist()]
    if code == "Q":
        years, q = np.divmod(a, 4)
        return [f"{1970 + y:04d}-Q{r + 1}" for y, r in zip(years.tolist(), q.tolist())]
    return [f"{1970 + y:04d}" for y in a.tolist()]


def period(value, freq: str = "M") -> pd.Period:
    """One month (a first day, an ordinal, a Period or text) as a ``pandas.Period`` of ``freq``, for messages."""
    p = pd.Period(ordinal=ordinal(value), freq="M")
    return p if _code(freq) == "M" else p.asfreq(_code(freq))


def _code(freq: str) -> str:
    f = str(freq).upper()
    f = {"A": "Y", "QE": "Q", "YE": "Y", "ME": "M", "Q-DEC": "Q", "Y-DEC": "Y", "A-DEC": "Y"}.get(f, f)
    if f not in STEP:
        raise ValueError(f"freq must be 'M', 'Q' or 'Y', not {freq!r}")
    return f
