"""Cohorts (docs/definitions.md, section 4).

A customer's cohort is the month (quarter, year) of its first MRR > 0.  At age k
periods, for each cohort:

- revenue retention = the cohort's MRR at age k / the cohort's starting MRR
  (expansion and reactivation included);
- logo retention = cohort customers paying at age k / cohort size;
- MRR = the cohort's MRR at age k (the layer cake's raw numbers).

For quarterly and yearly cohorts the MRR at age k is the month-end snapshot at the
last month of that period, and the starting MRR is the sum of each customer's MRR
in its own first paying month (for monthly cohorts the two readings coincide).
So a quarterly or yearly cohort's age 0 is usually *not* 100%: it compares the
MRR at the end of the first quarter with what each customer paid when it
started, and a customer who joined in January and left in March is in the
denominator but not in the numerator.
Cells past the last month of the data are NaN, never 0; a final period the data
covers only in part is past the data too.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .errors import DataError
from .months import label, month_starts, ordinals
from .movements import period_codes
from .panel import Panel, build

__all__ = ["cohort_table", "cohort_curve", "cohort_milestones", "layer_cake", "milestone_trend"]

_METRICS = ("revenue", "logos", "mrr")


class ByLabel(dict):
    """A dict keyed by text labels (JSON-ready: ``2024-01``, ``2024-Q1``, ``2024``) that also answers
    for the period's first day (a row of the table's index), a ``Period``, or ``2024Q1``.

    ``t.attrs["size"][t.index[0]]`` and ``t.attrs["size"]["2024-Q1"]`` are the same entry.
    """

    def __init__(self, items=(), freq: str = "M"):
        super().__init__(items)
        self.freq = freq

    def __missing__(self, key):
        import datetime

        freq = getattr(self, "freq", "M")
        if isinstance(key, str) and "Q" in key and "-Q" not in key and key.replace("Q", "-Q") in self:
            return self[key.replace("Q", "-Q")]
        if isinstance(key, (datetime.date, pd.Period, np.datetime64)):
            text = label(key, freq)
            if text in self:
                return self[text]
        raise KeyError(key)


def _check(metric: str, period: str, baseline: str) -> str:
    if metric not in _METRICS:
        raise DataError(f"metric must be one of {', '.join(_METRICS)}, not {metric!r}")
    if baseline not in ("month0", "month1"):
        raise DataError(f"baseline must be 'month0' or 'month1', not {baseline!r}")
    p = str(period).upper()
    if p not in ("M", "Q", "Y"):
        raise DataError(f"period must be 'M', 'Q' or 'Y', not {period!r}")
    return p


def _label(periods: pd.PeriodIndex) -> list[str]:
    """``2024-01``, ``2024-Q1`` or ``2024``: the text forms of results and files."""
    return [label(p, p.freqstr[0]) for p in periods]


def label_start(text: str) -> pd.Period:
    """The period of a label ``2024-01``, ``2024-Q1`` (or ``2024Q1``) or ``2024``."""
    if "Q" in text:
        return pd.Period(text.replace("-Q", "Q"), freq="Q")
    return pd.Period(text, freq="Y" if len(text) == 4 else "M")


def _snapshots(panel: Panel, period: str):
    """MRR at the end of every period (customers x periods), which periods are complete, labels."""
    pid, periods = period_codes(panel, period)
    n_p = len(periods)
    lasts = np.array([len(pid) - 1 - int(np.argmax(pid[::-1] == p)) for p in range(n_p)])
    months = panel.months()
    complete = np.ones(n_p, dtype=bool)  # a period is complete when the data reaches its last month
    if period != "M":
        complete = np.array([months[last] == p.asfreq("M", "end") for last, p in zip(lasts, periods)])
    return panel.values[:, lasts], complete, pid, periods


def _cohort_arrays(mrr: pd.DataFrame, period: str, metric: str, baseline: str):
    """Numerators (cohorts x ages, NaN past the data), denominators, labels, sizes, starting MRR."""
    panel = build(mrr)
    v = panel.values
    paying = v > 0
    ever = paying.any(axis=1)
    first = np.argmax(paying, axis=1)
    snaps, complete, pid, periods = _snapshots(panel, period)
    snaps, first = snaps[ever], first[ever]
    cohort = pid[first]  # period number of each customer's first paying month
    n_p = len(periods)
    used = np.unique(cohort)
    n_c = len(used)
    pos = np.searchsorted(used, cohort)
    ages = np.arange(n_p)
    # value of each customer at each age: snapshot at period cohort + age
    idx = cohort[:, None] + ages[None, :]
    valid = idx < n_p
    at_age = np.take_along_axis(snaps, np.minimum(idx, n_p - 1), axis=1) * valid
    if metric == "logos":
        cell = (at_age > 0).astype("float64")
    else:
        cell = at_age
    num = np.zeros((n_c, n_p))
    np.add.at(num, pos, cell)
    size = np.bincount(pos, minlength=n_c).astype("float64")
    start_mrr = np.bincount(pos, weights=v[ever, :][np.arange(ever.sum()), first], minlength=n_c)
    # which (cohort, age) cells the data covers: the period cohort + age must be complete
    avail = (used[:, None] + ages[None, :] < n_p)
    avail &= np.take_along_axis(np.broadcast_to(complete, (n_c, n_p)), np.minimum(used[:, None] + ages[None, :], n_p - 1),
                                axis=1)
    num = np.where(avail, num, np.nan)
    if metric == "revenue":
        den = np.broadcast_to(start_mrr[:, None], num.shape).copy()
    elif metric == "logos":
        den = np.broadcast_to(size[:, None], num.shape).copy()
    else:
        den = np.ones_like(num)
    if baseline == "month1" and metric != "mrr":
        den = np.broadcast_to(num[:, 1:2] if n_p > 1 else np.full((n_c, 1), np.nan), num.shape).copy()
        den[den == 0] = np.nan  # nobody paying at age 1: no base to measure against (missing, not infinite)
    labels = _label(periods[used])
    return num, den, labels, size, start_mrr


def cohort_table(
    mrr: pd.DataFrame, *, metric: str = "revenue", period: str = "M", baseline: str = "month0"
) -> pd.DataFrame:
    """Retention by cohort (rows) and age (columns).

    Parameters
    ----------
    metric : {"revenue", "logos", "mrr"}
        Revenue retention (fraction of starting MRR), logo retention (fraction of
        the cohort's customers paying), or the cohort's MRR.
    period : {"M", "Q", "Y"}
        Cohort and age granularity.
    baseline : {"month0", "month1"}
        Measure against age 0 (default) or against age 1, for revenue that ramps
        up in the first period (usage-based pricing).

    Returns
    -------
    DataFrame
        Index ``cohort``: the first paying period, as its first day
        (``datetime64[ns]``: ``2024-01-01`` for the January 2024 cohort, and for the
        2024-Q1 or 2024 cohort; the same values as the ``period`` column of
        :func:`nrrkit.bridge` with the same ``freq``, so the two join); columns: ages
        0, 1, ...; NaN where the data does not reach.  ``.attrs`` holds the cohort
        sizes and starting MRR (``size``, ``start_mrr``, keyed by the cohort's text
        label ``2024-01``, ``2024-Q1`` or ``2024``, and answering for a row of the
        index too), so every cell can be recomputed.

    Notes
    -----
    Age 0 of a monthly cohort is 100% by construction.  Age 0 of a quarterly or
    yearly cohort is not: the numerator is the cohort's MRR at the *end* of its
    first period, the denominator what each customer paid in its own first month,
    so churn, contraction and expansion inside the first quarter (or year) already
    show at age 0.  With ``baseline="month1"`` age 1 is the reference instead.

    Examples
    --------
    >>> import nrrkit as nk
    >>> t = cohort_table(nk.datasets.load_tiny())
    >>> t.loc["2024-01-01"].round(4).tolist()     # A100 + B200 + C50 + F80 = 430 -> 330, 300, 230
    [1.0, 0.7674, 0.6977, 0.5349]

    Quarterly, age 0 is below 100%.  The 2024Q1 customers started at A100 + B200
    + C50 + F80 + D120 + E300 = 850; at the end of March they pay A150 + B150 + C0
    + F0 + D120 + E300 = 720; 720 / 850 = 0.8471:

    >>> q = cohort_table(nk.datasets.load_tiny(), period="Q")
    >>> q.round(4).values.tolist(), q.attrs["start_mrr"]["2024-Q1"]
    ([[0.8471]], 850.0)
    """
    p = _check(metric, period, baseline)
    num, den, labels, size, start_mrr = _cohort_arrays(mrr, p, metric, baseline)
    with np.errstate(divide="ignore", invalid="ignore"):
        values = num if metric == "mrr" else num / den
    index = pd.DatetimeIndex(month_starts(ordinals([label_start(x) for x in labels])), name="cohort")
    out = pd.DataFrame(values, index=index, columns=pd.Index(range(values.shape[1]), name="age"))
    out = out.loc[:, out.notna().any(axis=0)] if out.shape[1] else out
    out.attrs.update({
        "metric": metric, "period": p, "baseline": baseline,
        "size": ByLabel(zip(labels, size.astype(int).tolist()), p),
        "start_mrr": ByLabel(zip(labels, start_mrr.tolist()), p),
    })
    return out


def cohort_curve(
    mrr: pd.DataFrame, *, metric: str = "revenue", period: str = "M", baseline: str = "month0"
) -> pd.DataFrame:
    """The dollar-weighted average curve across cohorts, by age.

    At each age: the sum of the numerators over the cohorts that reached that age,
    divided by the sum of their denominators (never an average of percentages).
    Returns ``age, value, numerator, denominator, cohorts``.

    Examples
    --------
    >>> import nrrkit as nk
    >>> c = cohort_curve(nk.datasets.load_tiny())
    >>> c[["age", "cohorts"]].values.tolist()
    [[0, 3], [1, 3], [2, 2], [3, 1]]
    """
    p = _check(metric, period, baseline)
    if metric == "mrr":
        raise DataError("cohort_curve averages retention; use metric='revenue' or 'logos' (or cohort_table for MRR)")
    num, den, labels, *_ = _cohort_arrays(mrr, p, metric, baseline)
    reached = ~np.isnan(num) & ~np.isnan(den) & (den > 0)
    n = np.where(reached, num, 0.0).sum(axis=0)
    d = np.where(reached, den, 0.0).sum(axis=0)
    k = reached.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(d > 0, n / np.where(d > 0, d, 1), np.nan)
    out = pd.DataFrame({"age": np.arange(len(n)), "value": value, "numerator": n, "denominator": d, "cohorts": k})
    out = out[out["cohorts"] > 0].reset_index(drop=True)
    out.attrs.update({"metric": metric, "period": p, "baseline": baseline})
    return out


def milestone_trend(values: Sequence[float]) -> str:
    """The trend word of a cohort's milestones (NaN = not reached yet).

    One milestone: "Strong start" at 105% or more, "Concerning" under 100%, else
    "Early days".  Two or more: "Concerning" if any is under 100%, "Improving" if the
    latest is more than 5 points above the first, "Declining" if more than 5 points
    below, else "Stable".  On the reference document's cohort table (Mitchell 2026) this gives
    its words: 102 -> 108 Improving, 101 -> 106 Stable, 98 -> 103 Concerning, 105 Strong start.
    """
    got = [v for v in values if v is not None and not np.isnan(v)]
    if not got:
        return "Too young"
    if len(got) == 1:
        v = got[0]
        return "Strong start" if v >= 1.05 - 1e-12 else "Concerning" if v < 1.0 else "Early days"
    if min(got) < 1.0:
        return "Concerning"
    change = got[-1] - got[0]
    if change > 0.05 + 1e-12:
        return "Improving"
    if change < -0.05 - 1e-12:
        return "Declining"
    return "Stable"


def cohort_milestones(mrr: pd.DataFrame, *, ages: Sequence[int] = (6, 12, 24), period: str = "M") -> pd.DataFrame:
    """The reference document's cohort view: revenue retention (cohort NRR) at month 6, 12, 24.

    One row per cohort: ``cohort, size, start_mrr``, one column per age
    (``month_6``...; NaN where the cohort is too young) and ``trend`` (see
    :func:`milestone_trend`).
    """
    t = cohort_table(mrr, metric="revenue", period=period)
    rows = []
    for first_day, row in t.iterrows():
        vals = [row.get(a, np.nan) for a in ages]
        rows.append({"cohort": first_day, "size": t.attrs["size"][first_day],
                     "start_mrr": t.attrs["start_mrr"][first_day],
                     **{f"month_{a}": v for a, v in zip(ages, vals)}, "trend": milestone_trend(vals)})
    out = pd.DataFrame(rows, columns=["cohort", "size", "start_mrr", *[f"month_{a}" for a in ages], "trend"])
    out["cohort"] = out["cohort"].astype("datetime64[ns]")
    out.attrs["ages"] = list(ages)
    return out


def layer_cake(mrr: pd.DataFrame, *, period: str = "Q") -> pd.DataFrame:
    """MRR by acquisition cohort over calendar time (the layer cake).

    Rows: calendar periods, as their first days (``datetime64[ns]``), with the
    MRR at the end of each (the data's last month for a final period it covers
    only in part, flagged by its label in ``.attrs["partial"]``); columns: cohorts
    by first paying period, labelled ``2024-Q1`` (text column names).  Each row sums to the company's MRR.

    Examples
    --------
    >>> import nrrkit as nk
    >>> cake = layer_cake(nk.datasets.load_tiny(), period="M")
    >>> cake.sum(axis=1).tolist()   # the bridge's end MRR, month by month
    [430.0, 450.0, 720.0, 590.0]
    """
    p = _check("mrr", period, "month0")
    panel = build(mrr)
    v = panel.values
    paying = v > 0
    ever = paying.any(axis=1)
    pid, periods = period_codes(panel, p)
    n_p = len(periods)
    lasts = np.array([len(pid) - 1 - int(np.argmax(pid[::-1] == q)) for q in range(n_p)])
    cohort = pid[np.argmax(paying[ever], axis=1)]
    snaps = v[ever][:, lasts]
    used = np.unique(cohort)
    table = np.zeros((n_p, len(used)))
    for j, c in enumerate(used):
        table[:, j] = snaps[cohort == c].sum(axis=0)
    out = pd.DataFrame(table, index=pd.DatetimeIndex(month_starts(ordinals(periods)), name="period"),
                       columns=pd.Index(_label(periods[used]), name="cohort"))
    months = panel.months()
    partial = [label(q, p) for q, last in zip(periods, lasts) if p != "M" and months[last] != q.asfreq("M", "end")]
    out.attrs.update({"period": p, "partial": partial})
    return out
