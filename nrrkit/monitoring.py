"""Warning signals and the NRR dashboard (docs/definitions.md, section 8; thresholds and targets
from [Mitchell 2026], "NRR Warning Signals" and "The NRR Dashboard").

Both read the monthly series of 12-month cohort metrics: for every end month, the
NRR, GRR, logo retention and the expansion, contraction and churn of the window
as shares of its starting MRR.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .errors import DataError
from .months import label, month_start
from .parsing import to_period
from .retention import retention

__all__ = ["signals", "dashboard", "metric_series", "LEVEL_ORDER", "DASHBOARD_TARGETS"]

LEVEL_ORDER = {"critical": 0, "high": 1, "medium": 2}


def metric_series(mrr: pd.DataFrame, *, window: int = 12, by: str | None = None) -> pd.DataFrame:
    """The monthly series of window metrics: ``retention`` plus expansion, contraction
    and churn as rates of starting MRR."""
    r = retention(mrr, window=window, by=by)
    s = r["start_mrr"]
    return r.assign(expansion_rate=r["expansion"] / s, contraction_rate=r["contraction"] / s,
                    churn_rate=r["churn"] / s)


def _pct(x: float) -> str:
    return f"{x * 100:.1f}%"


def signals(
    mrr: pd.DataFrame, *, enterprise: str | None = None, by: str | None = None, window: int = 12,
    last: int | None = None, min_customers: int | None = None, money=None,
) -> pd.DataFrame:
    """Warning signals on the 12-month cohort metrics, month by month.

    ========================================  =========  ========
    signal                                    threshold  level
    ========================================  =========  ========
    NRR under 100% and down 3+ months in row  < 100%     critical
    GRR under 85%                             < 85%      high
    churned MRR up 20%+ on the month before   +20%       high
    expansion under 10% of starting MRR       < 10%      medium
    contraction over 5% of starting MRR       > 5%       medium
    NRR of the enterprise segment under 110%  < 110%     high
    ========================================  =========  ========

    Parameters
    ----------
    enterprise : str, optional
        The segment to hold to the 110% enterprise bar (for example "Enterprise"),
        read from attribute ``by`` (default ``"segment"``).
    last : int, optional
        Keep only the signals of the last ``last`` end months.
    min_customers : int, optional
        Suppress the signals of end months whose base cohort (of the company, or of the
        enterprise segment) has fewer customers: a rate measured on one or two customers
        moves by tens of points with each of them.  How many were suppressed is in
        ``.attrs["suppressed"]`` (the pack uses :data:`nrrkit.benchmarks.TINY_BASE`).
    money : callable, optional
        Writes an amount in the messages (the pack passes one that shows its currency);
        default ``f"{x:,.0f}"``.

    Returns
    -------
    DataFrame
        ``month, metric, segment, value, threshold, level, message``; the most recent
        month first, then by level (critical, high, medium).  ``.attrs["suppressed"]``
        counts the signals left out by ``min_customers`` (0 without it).
    """
    s = metric_series(mrr, window=window)
    if s.empty:
        raise DataError(f"signals need at least {window + 1} months of data")
    rows = []
    fmt = money or (lambda x: f"{x:,.0f}")
    suppressed: list = []  # the months of the signals left out
    floor = int(min_customers) if min_customers is not None else 0

    def add(month, metric, value, threshold, level, message, segment="all", base=None):
        if base is not None and base < floor:
            suppressed.append(month)
            return
        rows.append({"month": month, "metric": metric, "segment": segment, "value": float(value),
                     "threshold": threshold, "level": level, "message": message})

    nrr = s["nrr"].to_numpy()
    churn = s["churn"].to_numpy()
    bases = s["customers_start"].to_numpy()
    for i, row in enumerate(s.itertuples()):
        m = row.month
        base = int(bases[i]) if i < 1 else int(min(bases[i], bases[i - 1]))  # a change compares two months
        if i >= 3 and nrr[i] < 1 and nrr[i] < nrr[i - 1] < nrr[i - 2] < nrr[i - 3]:
            add(m, "nrr", nrr[i], "under 100% and down 3+ months in a row", "critical",
                f"12-month NRR has fallen three months running, to {_pct(nrr[i])} (from {_pct(nrr[i - 3])}): "
                f"existing customers are shrinking, and faster each month.", base=base)
        if row.grr < 0.85:
            add(m, "grr", row.grr, "under 85%", "high",
                f"GRR is {_pct(row.grr)}: the base loses {_pct(1 - row.grr)} of its revenue in a year before any "
                f"expansion (fix retention before pushing expansion).", base=int(bases[i]))
        if i >= 1 and churn[i - 1] > 0 and churn[i] >= 1.2 * churn[i - 1]:
            add(m, "churn", churn[i] / churn[i - 1] - 1, "up 20%+ on the month before", "high",
                f"Churned MRR of the 12-month window rose {_pct(churn[i] / churn[i - 1] - 1)} on the month before "
                f"({fmt(churn[i - 1])} to {fmt(churn[i])}).", base=base)
        if row.expansion_rate < 0.10:
            add(m, "expansion_rate", row.expansion_rate, "under 10%", "medium",
                f"Expansion is {_pct(row.expansion_rate)} of starting MRR: the base is not growing on its own.", base=int(bases[i]))
        if row.contraction_rate > 0.05:
            add(m, "contraction_rate", row.contraction_rate, "over 5%", "medium",
                f"Contraction is {_pct(row.contraction_rate)} of starting MRR: downgrades are eroding revenue.", base=int(bases[i]))
    if enterprise is not None:
        attr = by or "segment"
        seg = metric_series(mrr, window=window, by=attr)
        mine = seg[seg[attr].astype(str) == str(enterprise)]
        if mine.empty:
            raise DataError(f"no segment {enterprise!r} in '{attr}' (segments: "
                            f"{', '.join(sorted(map(str, seg[attr].unique())))})")
        for row in mine.itertuples():
            if row.nrr < 1.10:
                add(row.month, "nrr", row.nrr, "under 110% for enterprise", "high",
                    f"{enterprise} NRR is {_pct(row.nrr)}, under the 110% an enterprise segment should clear.",
                    segment=str(enterprise), base=int(row.customers_start))
    out = pd.DataFrame(rows, columns=["month", "metric", "segment", "value", "threshold", "level", "message"])
    out["month"] = out["month"].astype("datetime64[ns]")  # the month's first day, as every result
    if last is not None:
        keep = set(sorted(s["month"].unique())[-int(last):])
        suppressed = [m for m in suppressed if m in keep]
    if not out.empty:
        if last is not None:
            out = out[out["month"].isin(keep)]
        out = out.assign(_lvl=out["level"].map(LEVEL_ORDER)).sort_values(["month", "_lvl"], ascending=[False, True],
                                                                           kind="stable")
        out = out.drop(columns="_lvl").reset_index(drop=True)
    out.attrs["suppressed"] = len(suppressed)
    out.attrs["min_customers"] = floor
    return out


#: Targets of Mitchell 2026's dashboard: (metric, column, target, direction).
DASHBOARD_TARGETS = (
    ("Overall NRR", "nrr", 1.15, "at least"),
    ("GRR", "grr", 0.90, "at least"),
    ("Expansion rate", "expansion_rate", 0.20, "at least"),
    ("Logo retention", "logo_retention", 0.85, "at least"),
    ("Revenue churn", "churn_rate", 0.05, "under"),
)


def dashboard(mrr: pd.DataFrame, *, window: int = 12, month=None) -> pd.DataFrame:
    """Mitchell 2026's NRR dashboard computed from the data.

    One row per metric (overall NRR, GRR, expansion rate, logo retention, revenue
    churn, all over the 12-month window): ``target``, ``current``, ``change_3m``
    (points since three end months earlier), ``trend`` (an arrow: up, down or
    flat within half a point), ``status`` (on target or not).  Revenue churn is the
    churned MRR of the window as a share of its starting MRR.
    """
    s = metric_series(mrr, window=window)
    if s.empty:
        raise DataError(f"the dashboard needs at least {window + 1} months of data")
    if month is None:
        idx = len(s) - 1
    else:
        t = to_period(month, "month")
        hits = np.flatnonzero(s["month"] == month_start(t))
        if not len(hits):
            raise DataError(f"no {window}-month window ends in {t}; end months run from {label(s['month'].min())} "
                            f"to {label(s['month'].max())}")
        idx = int(hits[0])
    now = s.iloc[idx]
    before = s.iloc[idx - 3] if idx >= 3 else None
    rows = []
    for name, col, target, direction in DASHBOARD_TARGETS:
        cur = float(now[col])
        change = cur - float(before[col]) if before is not None else np.nan
        arrow = "" if np.isnan(change) else ("↑" if change > 0.005 else "↓" if change < -0.005 else "→")
        ok = cur >= target if direction == "at least" else cur < target
        rows.append({"metric": name, "target": target, "direction": direction, "current": cur, "change_3m": change,
                     "trend": arrow, "status": "on target" if ok else "below target" if direction == "at least"
                     else "off target: above the limit (lower is better)"})
    out = pd.DataFrame(rows)
    out.attrs.update({"month": label(now["month"]), "compared_with": label(before["month"]) if before is not None else None,
                      "definition": s.attrs.get("definition")})
    return out
