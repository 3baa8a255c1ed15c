"""A deliberately naive implementation of shared/SPEC.md sections 2 and 3, written from
the text with dictionaries and loops, to check the vectorised engine against."""

from __future__ import annotations

import pandas as pd


def month_number(m) -> int:
    """Months since January 1970 of a month given as its first day (a Timestamp) or a Period."""
    return int(m.ordinal) if isinstance(m, pd.Period) else (m.year - 1970) * 12 + m.month - 1


def to_dict(table: pd.DataFrame) -> tuple[dict, list[int]]:
    mrr: dict[tuple[str, int], float] = {}
    for c, m, v in table[["customer_id", "month", "mrr"]].itertuples(index=False):
        k = month_number(m)
        mrr[(c, k)] = mrr.get((c, k), 0.0) + v
    months = list(range(min(k[1] for k in mrr), max(k[1] for k in mrr) + 1))
    return mrr, months


def movements(table: pd.DataFrame, reactivation_window=None) -> dict:
    mrr, months = to_dict(table)
    customers = sorted({c for c, _ in mrr})
    out = {}
    for c in customers:
        last_paid = None
        for t in months:
            prev = mrr.get((c, t - 1), 0.0)
            cur = mrr.get((c, t), 0.0)
            if prev > 0 and cur > 0:
                kind = "expansion" if cur > prev else "contraction" if cur < prev else "flat"
            elif prev > 0:
                kind = "churn"
            elif cur > 0:
                if last_paid is None:
                    kind = "new"
                elif reactivation_window is not None and t - last_paid - 1 > reactivation_window:
                    kind = "new"
                else:
                    kind = "reactivation"
            else:
                kind = None
            if kind:
                out[(c, t)] = (kind, cur - prev)
            if cur > 0:
                last_paid = t
    return out


def cohort(table: pd.DataFrame, b: int, t: int, survivors: bool = False) -> dict:
    mrr, _ = to_dict(table)
    base = {c: v for (c, m), v in mrr.items() if m == b and v > 0}
    if survivors:
        base = {c: v for c, v in base.items() if mrr.get((c, t), 0.0) > 0}
    r = dict(start=0.0, end=0.0, expansion=0.0, contraction=0.0, churn=0.0, n=len(base), kept=0)
    for c, vb in base.items():
        vt = mrr.get((c, t), 0.0)
        r["start"] += vb
        r["end"] += vt
        if vt > 0:
            r["kept"] += 1
            r["expansion"] += max(vt - vb, 0)
            r["contraction"] += max(vb - vt, 0)
        else:
            r["churn"] += vb
    return r


def nrr(table: pd.DataFrame, t: int, w: int, method: str = "cohort") -> float:
    if method in ("cohort", "survivors"):
        r = cohort(table, t - w, t, survivors=method == "survivors")
        return r["end"] / r["start"]
    if method == "cohort_avg":
        rs = [cohort(table, e - w, e) for e in range(t - w + 1, t + 1)]
        return sum(r["end"] for r in rs) / sum(r["start"] for r in rs)
    if method == "compounded":
        p = 1.0
        for e in range(t - w + 1, t + 1):
            r = cohort(table, e - 1, e)
            p *= r["end"] / r["start"]
        return p
    if method == "lazy":
        mrr, _ = to_dict(table)
        mv = movements(table)
        total_t = sum(v for (c, m), v in mrr.items() if m == t)
        total_b = sum(v for (c, m), v in mrr.items() if m == t - w)
        added = sum(ch for (c, m), (k, ch) in mv.items() if t - w < m <= t and k in ("new", "reactivation"))
        return (total_t - added) / total_b
    raise ValueError(method)
