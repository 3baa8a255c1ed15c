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
from ..parsing import to_period

__all__ = ["horizon", "through"]


def horizon(mrr: pd.DataFrame) -> tuple[pd.Period, pd.Period] | None:
    """The span ``(first, last)`` an MRR table covers, or None for a table without one.

    Examples
    --------
    >>> import pandas as pd, nrrkit as nk
    >>> t = nk.read_mrr(pd.DataFrame({"customer_id": ["a"], "month": ["2024-01"], "mrr": [10]}), through="2024-03")
    >>> nk.horizon(t)
    (Period('2024-01', 'M'), Period('2024-03', 'M'))
    """
    h = mrr.attrs.get("horizon")
    if not isinstance(h, dict) or "last" not in h:
        return None
    try:
        return pd.Period(h["first"], freq="M"), pd.Period(h["last"], freq="M")
    except (ValueError, TypeError, KeyError):
        return None


def set_horizon(mrr: pd.DataFrame, first: pd.Period, last: pd.Period) -> pd.DataFrame:
    """Record the span on ``mrr`` (in place) and return it."""
    mrr.attrs["horizon"] = {"first": str(first), "last": str(last)}
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
    (Period('2024-05', 'M'), 1)
    """
    t = to_period(month, "through")
    months = mrr["month"]
    first = horizon(mrr)[0] if horizon(mrr) else months.min()
    if t < first:
        raise DataError(f"through={t} is before the table's first month {first}; choose a month from {first} on")
    out = mrr[months <= t] if bool((months > t).any()) else mrr.copy()
    return set_horizon(out, first, t)


def span_of(mrr: pd.DataFrame, lo: int, hi: int) -> tuple[int, int]:
    """Monthly ordinals ``(first, last)`` of the span: the data's own, widened to the recorded horizon."""
    h = horizon(mrr)
    if h is None:
        return lo, hi
    return min(lo, int(h[0].ordinal)), max(hi, int(h[1].ordinal))
