"""Levers measured on the company's own data (docs/definitions.md, section 5).

In the four-number model (:func:`nrrkit.levers.nrr_from_levers`) every lever moves NRR
point for point, because NRR is a sum of them; "which lever matters most" then
depends only on how far each lever can really move, and on how much of the base
it acts on.  These functions measure both:

- :func:`lever_rates`: each lever's annual rate (a share of the base's starting MRR)
  in every 12-month window of the data, overall or by segment;
- :func:`lever_ranges`: how far each rate moved over the data (its best and worst
  window), and what that range is worth in points of company NRR;
- :func:`segment_weights`: the same relative change (a fifth less churn) in each
  segment, and what it moves company NRR by: the segment's rate x its share of the base;
- :func:`where_to_spend`: each segment's lever brought back to the best rate that
  segment has already reached, ranked by the company NRR (and ARR) it would add;
- :func:`churn_compounding` and :func:`logo_and_revenue_churn`: the non-linear side,
  monthly churn compounding into annual churn, and customers lost against dollars lost.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import DataError
from ..movements import bridge
from ..panel import canonical
from ..retention import retention
from .model import LEVERS, annual_churn, tornado

__all__ = ["lever_rates", "lever_ranges", "measured_tornado", "segment_weights", "where_to_spend", "churn_compounding",
           "logo_and_revenue_churn", "BETTER"]

#: Which way is better for each lever: churn and contraction lower, expansion higher.
BETTER = {"churn": -1.0, "contraction": -1.0, "expansion": 1.0}


def _month_text(m) -> str:
    return (m if isinstance(m, pd.Period) else pd.Period(m, "M")).strftime("%Y-%m")


def lever_rates(mrr: pd.DataFrame, *, window: int = 12, by: str | None = None) -> pd.DataFrame:
    """Each lever's rate in every ``window``-month cohort window of the data.

    Returns one row per end month (and segment): ``month`` (and ``by``), ``customers_start``,
    ``start_mrr``, ``share`` (the segment's share of the company's base MRR that month; 1 without
    ``by``), ``churn``, ``contraction``, ``expansion`` (each the amount / ``start_mrr``), ``nrr``,
    ``grr`` and ``logo_churn`` (1 - logo retention).  ``nrr == 1 - churn - contraction + expansion``
    holds in every row.
    """
    mrr = canonical(mrr)
    r = retention(mrr, window=window, by=by)
    if r.empty:
        raise DataError(f"no {window}-month window fits in the data; it needs at least {window + 1} months")
    out = r[["month", *([by] if by else []), "customers_start", "start_mrr"]].copy()
    total = r.groupby("month")["start_mrr"].transform("sum") if by else r["start_mrr"]
    out["share"] = r["start_mrr"] / total
    for lever in LEVERS:
        out[lever] = r[lever] / r["start_mrr"]
    out["nrr"] = r["nrr"]
    out["grr"] = r["grr"]
    out["logo_churn"] = 1 - r["logo_retention"]
    out.attrs["definition"] = r.attrs.get("definition")
    return out.reset_index(drop=True)


def lever_ranges(mrr: pd.DataFrame, *, window: int = 12, by: str | None = None) -> pd.DataFrame:
    """How far each lever's annual rate moved over the data, and what that is worth in company NRR.

    For each lever (and segment): ``current`` (the last window's rate), ``best`` and ``worst``
    (the lowest and highest churn or contraction, the highest and lowest expansion, over every
    window of the data) with the end months they were reached (``best_month``, ``worst_month``),
    ``range`` (``|worst - best|``, in points of the segment's NRR, since a lever moves its own
    NRR point for point), ``share`` (the segment's share of the company base in the last window)
    and ``company_swing`` (``range x share``: the points of company NRR the lever moved over).
    ``nrr_at_best`` and ``nrr_at_worst`` are the segment's (or company's) NRR with that lever at its
    best or worst and the other two as now.  Sorted by ``company_swing``, largest first.
    """
    rates = lever_rates(mrr, window=window, by=by)
    rows = []
    groups = rates.groupby(by, sort=True) if by else [(None, rates)]
    for label, g in groups:
        g = g.sort_values("month")
        last = g.iloc[-1]
        for lever in LEVERS:
            values = g[lever].to_numpy()
            i_best = int(np.argmax(values * BETTER[lever]))
            i_worst = int(np.argmin(values * BETTER[lever]))
            best, worst = float(values[i_best]), float(values[i_worst])
            now = float(last[lever])
            nrr = float(last["nrr"])
            row = {"lever": lever, "current": now, "best": best, "worst": worst,
                   "best_month": _month_text(g["month"].iloc[i_best]),
                   "worst_month": _month_text(g["month"].iloc[i_worst]),
                   "range": abs(worst - best), "share": float(last["share"]),
                   # a lever moves its own NRR point for point: + for expansion, - for churn and contraction
                   "nrr": nrr, "nrr_at_best": nrr + BETTER[lever] * (best - now),
                   "nrr_at_worst": nrr + BETTER[lever] * (worst - now),
                   "windows": len(g)}
            row["company_swing"] = row["range"] * row["share"]
            if by:
                row = {by: label, **row}
            rows.append(row)
    out = pd.DataFrame(rows).sort_values("company_swing", ascending=False, kind="stable").reset_index(drop=True)
    first, end = rates["month"].min(), rates["month"].max()
    out.attrs["windows"] = f"{window}-month windows ending {_month_text(first)} to {_month_text(end)}"
    return out


def measured_tornado(mrr: pd.DataFrame, *, window: int = 12) -> pd.DataFrame:
    """The tornado of :func:`nrrkit.levers.tornado` with each lever over the range it really moved.

    The base is the last window's levers; each lever runs from its lowest to its highest annual
    rate over every window of the data (``lever_ranges``), so the bars rank the levers by how much
    NRR they have moved for this company.  ``.attrs["ranges"]`` says which months.
    """
    ranges = lever_ranges(mrr, window=window)
    base = dict(zip(ranges["lever"], ranges["current"]))
    spans = {row.lever: (min(row.best, row.worst), max(row.best, row.worst)) for row in ranges.itertuples()}
    out = tornado(base, ranges=spans)
    months = ranges.set_index("lever")[["best_month", "worst_month"]]
    attrs = dict(out.attrs)
    out = out.join(months, on="lever")
    out.attrs.update(attrs)
    out.attrs["ranges"] = ranges.attrs["windows"]
    return out


def _last_rows(mrr: pd.DataFrame, window: int, by: str) -> tuple[pd.DataFrame, float, str]:
    mrr = canonical(mrr)
    r = retention(mrr, window=window, by=by)
    if r.empty:
        raise DataError(f"no {window}-month window fits in the data; it needs at least {window + 1} months")
    t = r["month"].max()
    last = r[r["month"] == t].reset_index(drop=True)
    return last, float(last["start_mrr"].sum()), _month_text(t)


def segment_weights(mrr: pd.DataFrame, *, by: str = "segment", window: int = 12, change: float = 0.2) -> pd.DataFrame:
    """The same relative improvement of each lever in each segment, and what it moves NRR by.

    Each lever improves by ``change`` of its measured amount in the last window (0.2: a fifth
    less churn, a fifth less contraction, a fifth more expansion), one segment at a time.

    Returns one row per segment and lever: ``by``, ``lever``, ``share`` (the segment's share of the
    company's base MRR), ``rate`` (the lever's amount / the segment's start MRR), ``amount``,
    ``segment_nrr_change`` (``change x rate``, points of the segment's own NRR) and
    ``company_nrr_change`` (``change x amount / company start MRR`` = ``segment_nrr_change x share``),
    sorted by ``company_nrr_change``, largest first.  The company figure is the one
    :func:`nrrkit.levers.what_if` gives for that segment and lever.
    """
    if not 0 < float(change) <= 1:
        raise DataError(f"change is {change!r}; give the relative improvement as a fraction, 0.2 for a fifth")
    last, total, month = _last_rows(mrr, window, by)
    rows = []
    for _, row in last.iterrows():
        share = row["start_mrr"] / total
        for lever in LEVERS:
            rate = row[lever] / row["start_mrr"]
            rows.append({by: row[by], "lever": lever, "share": share, "rate": rate, "amount": float(row[lever]),
                         "segment_nrr_change": change * rate, "company_nrr_change": change * row[lever] / total})
    out = pd.DataFrame(rows).sort_values("company_nrr_change", ascending=False, kind="stable").reset_index(drop=True)
    out.attrs.update({"month": month, "change": float(change), "company_start_mrr": total})
    return out


def where_to_spend(mrr: pd.DataFrame, *, by: str = "segment", window: int = 12) -> pd.DataFrame:
    """Where a quarter's effort moves company NRR most: each segment's lever back to its own best.

    For each segment and lever, the room to improve is the gap between the current rate and the
    best rate that segment has already reached in a window of the data (``lever_ranges``): a target
    the company has shown it can hit.  ``company_nrr_gain`` = that gap x the segment's share of
    the base; ``arr_gain`` = the gain x the company's base MRR x 12 (the ARR a year it is worth on
    today's base).  Sorted by ``company_nrr_gain``, largest first; the first row is where to spend.
    """
    ranges = lever_ranges(mrr, window=window, by=by)
    _, total, month = _last_rows(mrr, window, by)
    out = ranges[[by, "lever", "share", "current", "best", "best_month"]].copy()
    gap = np.where(out["lever"] == "expansion", out["best"] - out["current"], out["current"] - out["best"])
    out["gap"] = np.maximum(gap, 0.0)
    out["company_nrr_gain"] = out["gap"] * out["share"]
    out["arr_gain"] = out["company_nrr_gain"] * total * 12
    out = out.sort_values("company_nrr_gain", ascending=False, kind="stable").reset_index(drop=True)
    out.attrs.update({"month": month, "company_start_mrr": total, "windows": ranges.attrs["windows"]})
    return out


def churn_compounding(mrr: pd.DataFrame, *, window: int = 12, by: str | None = None) -> pd.DataFrame:
    """Monthly revenue churn, what it compounds to in a year, and what the 12-month cohort measured.

    ``monthly`` is the dollar-weighted monthly churn of the last ``window`` months of the bridge
    (churned MRR / MRR at the start of each month, summed over the months); ``times_12`` is the
    wrong annualisation, ``compounded`` is ``1 - (1 - monthly) ** 12``; ``cohort`` is the churn of
    the 12-month cohort (the base customers of a year ago).  The cohort figure is lower than the
    compounded one when customers who joined during the year churn more than established ones.
    """
    mrr = canonical(mrr)
    b = bridge(mrr, by=by)
    periods = b["period"]
    months = sorted(periods.unique())[-window:]
    inside = b[periods.isin(months)]
    r = retention(mrr, window=window, by=by)
    t = r["month"].max()
    last = r[r["month"] == t]
    rows = []
    groups = inside.groupby(by, sort=True) if by else [(None, inside)]
    for label, g in groups:
        monthly = float(g["churn"].sum() / g["start_mrr"].sum()) if g["start_mrr"].sum() > 0 else np.nan
        cohort_row = last[last[by] == label] if by else last
        cohort = float(cohort_row["churn"].sum() / cohort_row["start_mrr"].sum()) if len(cohort_row) else np.nan
        row = {"monthly": monthly, "times_12": 12 * monthly, "compounded": annual_churn(min(monthly, 1.0)),
               "cohort": cohort}
        rows.append({by: label, **row} if by else row)
    out = pd.DataFrame(rows)
    out.attrs["months"] = f"{_month_text(months[0])} to {_month_text(months[-1])}"
    return out


def logo_and_revenue_churn(mrr: pd.DataFrame, *, window: int = 12, by: str | None = None) -> pd.DataFrame:
    """Customers lost against dollars lost, over the last ``window``-month cohort window.

    ``logo_churn`` = base customers no longer paying / base customers; ``revenue_churn`` = their
    MRR / the base's MRR; ``churned_avg_mrr`` and ``base_avg_mrr`` compare the size of the customers
    who left with the average base customer.  Revenue churn is below logo churn when the customers
    who leave are smaller than average (often the case: small accounts churn more).
    """
    mrr = canonical(mrr)
    r = retention(mrr, window=window, by=by)
    t = r["month"].max()
    last = r[r["month"] == t].reset_index(drop=True)
    churned = last["customers_start"] - last["customers_retained"]
    out = pd.DataFrame({
        **({by: last[by]} if by else {}),
        "customers_start": last["customers_start"], "customers_churned": churned,
        "logo_churn": churned / last["customers_start"], "revenue_churn": last["churn"] / last["start_mrr"],
        "churned_avg_mrr": np.where(churned > 0, last["churn"] / churned.where(churned > 0, 1), np.nan),
        "base_avg_mrr": last["start_mrr"] / last["customers_start"],
    })
    out.attrs["month"] = _month_text(t)
    return out
