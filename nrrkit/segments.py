"""NRR by segment, and how the segment mix moves the company figure.

The company NRR is a weighted sum of segment NRRs, the weights being each
segment's share of starting MRR.  Averaging segment percentages ignores those
weights and gives a different (wrong) number; :func:`segment_summary` records
that average in ``.attrs`` so a notebook can show the trap next to the real figure.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .errors import DataError
from .months import month_start
from .months import period as as_period
from .parsing import to_period
from .retention import TOTAL, retention, rows_at

__all__ = ["segment_summary", "segment_summary_of", "mix_shift"]

_AMOUNTS = ["customers_start", "customers_retained", "start_mrr", "end_mrr", "expansion", "contraction", "churn"]


def _rates(frame: pd.DataFrame) -> pd.DataFrame:
    s = frame["start_mrr"]
    frame["nrr"] = frame["end_mrr"] / s
    frame["grr"] = (s - frame["contraction"] - frame["churn"]) / s
    frame["logo_retention"] = frame["customers_retained"] / frame["customers_start"]
    frame["expansion_rate"] = frame["expansion"] / s
    frame["contraction_rate"] = frame["contraction"] / s
    frame["churn_rate"] = frame["churn"] / s
    return frame


def segment_summary(mrr: pd.DataFrame, by: str, *, window: int = 12, month=None) -> pd.DataFrame:
    """Per segment and in total: start MRR, NRR, GRR, logo retention, and expansion,
    contraction and churn as rates of start MRR.

    One end month (``month``, default: the last); the definition card names it.
    The ``Total`` row is the unsegmented figure itself (all base customers), so
    it is exactly what :func:`nrrkit.retention` gives without ``by``; the segments'
    amounts add up to it.  ``.attrs["average_of_segments"]`` holds the plain
    average of the segment NRRs, which is *not* the company's NRR.

    Examples
    --------
    >>> import nrrkit as nk
    >>> s = segment_summary(nk.datasets.load_tiny(), "segment", window=1)
    >>> s[["segment", "start_mrr", "end_mrr"]].values.tolist()
    [['Enterprise', 570.0, 360.0], ['SMB', 150.0, 150.0], ['Total', 720.0, 510.0]]
    """
    rows, t, _ = rows_at(mrr, window=window, by=by, month=month, total=True)
    return _summary(rows, by, t)


def segment_summary_of(result: pd.DataFrame, *, month=None) -> pd.DataFrame:
    """:func:`segment_summary` of a ``retention(..., by=..., total=True)`` result you already have.

    The same table, without reading the customers again; ``month`` defaults to the last.
    """
    card = result.attrs.get("definition")
    by = card.segment if card is not None else None
    if by is None or by not in result.columns or not (result[by] == TOTAL).any():
        raise DataError("segment_summary_of needs a result of retention(..., by=..., total=True)")
    if result.empty:
        raise DataError("the retention result has no rows; no window fits in the data")
    t = to_period(month, "month") if month is not None else as_period(result["month"].max())
    rows = result[result["month"] == month_start(t)]
    if rows.empty:
        raise DataError(f"no row ends in {t}; end months run from {as_period(result['month'].min())} to "
                        f"{as_period(result['month'].max())}")
    rows.attrs["definition"] = card.at(t, rows["base_month"].iloc[0])
    return _summary(rows, by, t)


def _summary(rows: pd.DataFrame, by: str, t) -> pd.DataFrame:
    out = rows[[by, *_AMOUNTS]].reset_index(drop=True)  # the segments, then the Total row
    for c in _AMOUNTS:
        out[c] = out[c].astype("float64" if not c.startswith("customers") else "int64")
    out = _rates(out)
    out["share_of_start"] = out["start_mrr"] / float(out["start_mrr"].iloc[-1])
    out.insert(0, "month", pd.Series(month_start(t), index=out.index))
    out = out.rename(columns={by: "segment"}) if by != "segment" else out
    out.attrs["definition"] = rows.attrs["definition"]
    out.attrs["average_of_segments"] = float(out["nrr"].iloc[:-1].mean())
    out.attrs["by"] = by
    return out


def mix_shift(mrr: pd.DataFrame, by: str, *, window: int = 12, start=None, end=None) -> pd.DataFrame:
    """Split the change in NRR between two end months into performance and mix.

    With w_s the segment's share of starting MRR and N_s its NRR, company NRR =
    sum of w_s N_s.  Between ``start`` and ``end`` (default: the last end month and
    the one 12 months earlier, or the first available):

    - performance = sum of (average w_s) x (change in N_s): segments did better or worse;
    - mix = sum of (change in w_s) x (average N_s): the weights moved.

    The two add up to the change exactly (the midpoint split: no leftover
    interaction term).  A segment present at only one of the two months counts its
    NRR at that month for both, so it adds only to mix.

    Returns one row per segment plus ``Total``: ``weight_start, weight_end,
    nrr_start, nrr_end, performance, mix``; ``.attrs`` holds the three totals.
    """
    r = retention(mrr, window=window, by=by)
    if r.empty:
        raise DataError(f"no {window}-month window fits in the data; try a shorter window")
    months = sorted(as_period(m) for m in r["month"].unique())
    t1 = to_period(end, "end") if end is not None else months[-1]
    if start is not None:
        t0 = to_period(start, "start")
    else:
        t0 = t1 - 12 if (t1 - 12) in set(months) else months[0]
    if t0 not in set(months) or t1 not in set(months):
        raise DataError(f"start and end must be end months between {months[0]} and {months[-1]}")
    if t0 == t1:
        raise DataError("start and end are the same month; there is no change to split")

    def weights(t):
        rows = r[r["month"] == month_start(t)].set_index(by)
        return rows["start_mrr"] / rows["start_mrr"].sum(), rows["end_mrr"] / rows["start_mrr"], rows

    w0, n0, rows0 = weights(t0)
    w1, n1, rows1 = weights(t1)
    segs = sorted(set(w0.index) | set(w1.index), key=str)
    w0, w1 = w0.reindex(segs).fillna(0.0), w1.reindex(segs).fillna(0.0)
    n0, n1 = n0.reindex(segs), n1.reindex(segs)
    n0, n1 = n0.fillna(n1), n1.fillna(n0)
    perf = (w0 + w1) / 2 * (n1 - n0)
    mix = (w1 - w0) * (n0 + n1) / 2
    out = pd.DataFrame({"segment": segs, "weight_start": w0.values, "weight_end": w1.values,
                        "nrr_start": n0.values, "nrr_end": n1.values, "performance": perf.values, "mix": mix.values})
    total_start = rows0["end_mrr"].sum() / rows0["start_mrr"].sum()
    total_end = rows1["end_mrr"].sum() / rows1["start_mrr"].sum()
    out.loc[len(out)] = ["Total", 1.0, 1.0, total_start, total_end, perf.sum(), mix.sum()]
    out.attrs.update({"start": str(t0), "end": str(t1), "change": total_end - total_start,
                      "performance": float(perf.sum()), "mix": float(mix.sum()), "by": by})
    if not np.isclose(perf.sum() + mix.sum(), total_end - total_start, atol=1e-12):  # pragma: no cover
        raise AssertionError("mix shift parts do not add up")
    return out
