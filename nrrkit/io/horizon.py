"""The span of months an MRR table covers (docs/definitions.md, section 1, "The horizon").

A table read by nrrkit carries ``attrs["horizon"] = {"first": "2024-01", "last": "2025-06"}``.
Every function that builds the customers x months matrix runs it over the whole span, so a
month in which nobody pays is still a month and churn into it counts.  pandas keeps
``attrs`` through filters and copies, and writes them into Parquet files, so a table read
back from nrrkit's own Parquet keeps its span; for a CSV say it with ``through=``.
"""

from __future__ import annotations

import pandas as pd

from ..errors import DataError
from ..months import month_start
from ..months import period as as_period
from ..parsing import to_period

__all__ = ["horizon", "through", "span_periods"]


def horizon(mrr: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The span ``(first, last)`` an MRR table covers, as the months' first days, or None for a table without one.

    Examples
    --------
    >>> import pandas as pd, nrrkit as nk
    >>> t = nk.read_mrr(pd.DataFrame({"customer_id": ["a"], "month": ["2024-01"], "mrr": [10]}), through="2024-03")
    >>> nk.horizon(t)
    (Timestamp('2024-01-01 00:00:00'), Timestamp('2024-03-01 00:00:00'))
    """
    h = _periods(mrr)
    return (month_start(h[0]), month_start(h[1])) if h is not None else None


def span_periods(mrr: pd.DataFrame) -> tuple[pd.Period, pd.Period]:
    """The span as ``Period[M]`` (for messages and month arithmetic): the recorded horizon, else the data's months."""
    h = _periods(mrr)
    if h is not None:
        return h
    return as_period(mrr["month"].min()), as_period(mrr["month"].max())


def _periods(mrr: pd.DataFrame) -> tuple[pd.Period, pd.Period] | None:
    h = mrr.attrs.get("horizon")
    if not isinstance(h, dict) or "last" not in h:
        return None
    try:
        return pd.Period(h["first"], freq="M"), pd.Period(h["last"], freq="M")
    except (ValueError, TypeError, KeyError):
        return None


def set_horizon(mrr: pd.DataFrame, first: pd.Period, last: pd.Period) -> pd.DataFrame:
    """Record the span on ``mrr`` (in place) and return it."""
    mrr.attrs["horizon"] = {"first": str(as_period(first)), "last": str(as_period(last))}
    return mrr


def through(mrr: pd.DataFrame, month) -> pd.DataFrame:
    """The table with its span ending at ``month``: rows after it removed, or empty months added.

    Use it, rather than a filter on ``month``, to look at a company as of an earlier month:
    a plain filter keeps the span of the file, so the months after the filter would count
    as months in which nobody paid.

    Examples
    --------
    >>> import pandas as pd, nrrkit as nk
    >>> t = nk.read_mrr(pd.DataFrame({"customer_id": ["a", "a"], "month": ["2024-01", "2024-02"], "mrr": [10, 0]}))
    >>> nk.horizon(nk.through(t, "2024-05"))[1], len(nk.through(t, "2024-01"))
    (Timestamp('2024-05-01 00:00:00'), 1)
    """
    t = to_period(month, "through")
    months = mrr["month"]
    first = _periods(mrr)[0] if _periods(mrr) else as_period(months.min())
    if t < first:
        raise DataError(f"through={t} is before the table's first month {first}; choose a month from {first} on")
    end = month_start(t)
    out = mrr[months <= end] if bool((months > end).any()) else mrr.copy()
    return set_horizon(out, first, t)


def span_of(mrr: pd.DataFrame, lo: int, hi: int) -> tuple[int, int]:
    """Monthly ordinals ``(first, last)`` of the span: the data's own, widened to the recorded horizon."""
    h = _periods(mrr)
    if h is None:
        return lo, hi
    return min(lo, int(h[0].ordinal)), max(hi, int(h[1].ordinal))
