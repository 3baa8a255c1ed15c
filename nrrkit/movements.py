"""Movements per customer-month and the MRR bridge (docs/definitions.md, section 2).

With ``prev`` the customer's MRR in month t-1 and ``cur`` in month t:

1. ``prev > 0`` and ``cur > 0``: expansion (``cur - prev``) if up, contraction
   (``prev - cur``) if down, otherwise flat;
2. ``prev > 0`` and ``cur == 0``: churn (``prev``);
3. ``prev == 0`` and ``cur > 0``: new if the customer never paid before t, else
   reactivation; with ``reactivation_window=N`` a return after more than N unpaid
   months counts as new.

The first month of the data has no month before it inside the data, so every
customer paying in it is *new* there (its bridge starts at 0).  Retention never
depends on this: it starts from a base month inside the data.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .engine import MOVEMENTS_PER_ROW, WORK
from .errors import DataError
from .months import labels as period_labels
from .months import month_starts, ordinals
from .panel import Panel, build, map_blocks, masked_count, masked_sum

__all__ = ["movements", "bridge", "MOVEMENTS"]

#: Movement labels in the order the bridge adds them up.
MOVEMENTS = ("new", "reactivation", "expansion", "contraction", "churn", "flat")



def _check_window(reactivation_window: int | None) -> None:
    if reactivation_window is not None and (
        not isinstance(reactivation_window, (int, np.integer)) or reactivation_window < 0
    ):
        raise DataError(
            f"reactivation_window must be a whole number of months >= 0 or None, not {reactivation_window!r}"
        )


def _masks(v: np.ndarray, reactivation_window: int | None) -> dict[str, np.ndarray]:
    """The previous month's MRR and one boolean mask per movement, for a block of customers."""
    prev = np.zeros_like(v)
    prev[:, 1:] = v[:, :-1]
    paying, was = v > 0, prev > 0
    starts = paying & ~was
    # paid in some month strictly before t?
    paid_before = np.zeros_like(paying)
    paid_before[:, 1:] = np.logical_or.accumulate(paying, axis=1)[:, :-1]
    is_new = ~paid_before
    if reactivation_window is not None:
        cols = np.arange(v.shape[1])
        # last month with MRR > 0 strictly before t (-1 if none)
        last_paid = np.maximum.accumulate(np.where(paying, cols[None, :], -1), axis=1)
        before = np.full_like(last_paid, -1)
        before[:, 1:] = last_paid[:, :-1]
        gap = cols[None, :] - before - 1  # unpaid months between the last payment and t
        is_new |= gap > reactivation_window
    both = paying & was
    return {
        "prev": prev,
        "cur": v,
        "new_m": starts & is_new,
        "react_m": starts & ~is_new,
        "exp_m": both & (v > prev),
        "con_m": both & (v < prev),
        "churn_m": was & ~paying,
        "flat_m": both & (v == prev),
    }


def flows(v: np.ndarray, reactivation_window: int | None) -> dict[str, np.ndarray]:
    """:func:`_masks` plus the amount of every movement in every cell."""
    f = _masks(v, reactivation_window)
    prev = f["prev"]
    diff = v - prev
    f.update(
        new=np.where(f["new_m"], v, 0.0),
        reactivation=np.where(f["react_m"], v, 0.0),
        expansion=np.where(f["exp_m"], diff, 0.0),
        contraction=np.where(f["con_m"], -diff, 0.0),
        churn=np.where(f["churn_m"], prev, 0.0),
    )
    return f


def movements(
    mrr: pd.DataFrame, *, reactivation_window: int | None = None, by: str | None = None
) -> pd.DataFrame:
    """Classify every customer-month in which the customer pays or stops paying.

    Parameters
    ----------
    mrr : DataFrame
        The MRR table (:func:`nrrkit.read_mrr`).
    reactivation_window : int, optional
        A return after more than this many unpaid months counts as new rather than
        reactivation.  Default: no limit (every return is a reactivation).
    by : str, optional
        An attribute to carry onto each row, read in month t (in month t-1 for churn rows).

    Returns
    -------
    DataFrame
        ``customer_id, month, mrr, prev_mrr, movement, change`` (``month`` the month's first
        day, ``datetime64[ns]``) with ``movement`` one of
        new, reactivation, expansion, contraction, churn, flat, and ``change = mrr -
        prev_mrr``.  Sorted by customer and month.

    Examples
    --------
    >>> import nrrkit as nk
    >>> mv = nk.movements(nk.datasets.load_tiny())
    >>> mv[mv.customer_id == "C"][["month", "mrr", "movement"]].astype(str).values.tolist()
    [['2024-01-01', '50.0', 'new'], ['2024-02-01', '0.0', 'churn'], ['2024-04-01', '80.0', 'reactivation']]
    """
    _check_window(reactivation_window)
    panel = build(mrr, by, work=WORK["movements"], per_row=MOVEMENTS_PER_ROW)

    def one(blk: slice):  # the block's movements, in customer then month order
        f = _masks(panel.values[blk], reactivation_window)
        r, c = np.nonzero((f["cur"] > 0) | (f["prev"] > 0))
        lab = np.select([f["new_m"][r, c], f["react_m"][r, c], f["exp_m"][r, c], f["con_m"][r, c],
                         f["churn_m"][r, c]], [0, 1, 2, 3, 4], default=5)
        return r + blk.start, c, lab, f["cur"][r, c], f["prev"][r, c]

    parts = map_blocks(one, panel.values.shape[0])  # in block order: the rows of the whole matrix, in order
    rows, cols, label, cur, prev = (np.concatenate([p[i] for p in parts]) for i in range(5))
    del parts  # the blocks' arrays, now copied
    out = pd.DataFrame(
        {
            "customer_id": panel.customers.take(rows),
            "month": month_starts(panel.first + cols),
            "mrr": cur,
            "prev_mrr": prev,
            "movement": pd.Categorical.from_codes(label, categories=list(MOVEMENTS)),
            "change": cur - prev,
        }
    )
    if by is not None:
        codes, labels = panel.segments[by]
        read_at = np.where(label == 4, cols - 1, cols)
        out[by] = labels.take(codes[rows, read_at])
    return out


_PERIOD_FREQ = {"M": "M", "Q": "Q", "Y": "Y", "A": "Y"}


def period_codes(panel: Panel, freq: str) -> tuple[np.ndarray, pd.PeriodIndex]:
    """Period number of every month column, and the periods."""
    f = _PERIOD_FREQ.get(str(freq).upper())
    if f is None:
        raise DataError(f"freq must be 'M', 'Q' or 'Y', not {freq!r}")
    months = panel.months()
    if f == "M":
        return np.arange(panel.n_months), months
    per = months.asfreq(f)
    codes, uniques = pd.factorize(per)
    return codes, pd.PeriodIndex(uniques)


def period_segments(v: np.ndarray, seg: np.ndarray, firsts: np.ndarray, lasts: np.ndarray) -> np.ndarray:
    """Segment code of every customer in every period (customers x periods).

    A customer is placed in the segment it had in the month before the period if it
    paid then (the period's base, as retention reads segments at the base month);
    otherwise in the segment of its first paying month inside the period.
    Customers with neither get -1 (they have no movement in the period).
    """
    out = np.full((v.shape[0], len(firsts)), -1, dtype="int32")
    for p, (a, z) in enumerate(zip(firsts, lasts)):
        if a > 0:
            base_paid = v[:, a - 1] > 0
            out[base_paid, p] = seg[base_paid, a - 1]
        else:
            base_paid = np.zeros(v.shape[0], dtype=bool)
        window = v[:, a : z + 1] > 0
        any_paid = window.any(axis=1) & ~base_paid
        if any_paid.any():
            first = a + np.argmax(window[any_paid], axis=1)
            out[any_paid, p] = seg[np.flatnonzero(any_paid), first]
    return out


_AMOUNTS = ("new", "reactivation", "expansion", "contraction", "churn")
_COUNTS = {
    "new_customers": "new_m",
    "reactivated_customers": "react_m",
    "expanded_customers": "exp_m",
    "contracted_customers": "con_m",
    "churned_customers": "churn_m",
}

BRIDGE_COLUMNS = (
    "period", "start_mrr", "new", "reactivation", "expansion", "contraction", "churn", "end_mrr",
    "customers_start", "customers_end", "new_customers", "reactivated_customers",
    "expanded_customers", "contracted_customers", "churned_customers", "complete",
)


def bridge_arrays(panel: Panel, freq: str, by: str | None, reactivation_window: int | None):
    """Bridge amounts and counts as arrays (segments x periods), for internal reuse."""
    pid, periods = period_codes(panel, freq)
    n_p = len(periods)
    firsts = np.array([int(np.argmax(pid == p)) for p in range(n_p)])
    lasts = np.array([len(pid) - 1 - int(np.argmax(pid[::-1] == p)) for p in range(n_p)])
    if by is not None:
        seg_all, labels = panel.segments[by]
        n_g = len(labels)
    else:
        seg_all, labels, n_g = None, pd.Index(["all"]), 1
    acc = {k: np.zeros((n_g, n_p)) for k in (*_AMOUNTS, *_COUNTS, "start_mrr", "end_mrr",
                                              "customers_start", "customers_end")}

    def one(blk: slice) -> dict[str, np.ndarray]:  # the block's sums; runs on the engine's threads
        v = panel.values[blk]
        f = _masks(v, reactivation_window)
        prev = f["prev"]
        if seg_all is not None:
            segp = period_segments(v, seg_all[blk], firsts, lasts)
            groups = segp[:, pid]  # customers x months
        else:
            segp = groups = None

        def per(mat: np.ndarray, mask: np.ndarray) -> np.ndarray:  # (n_g, periods)
            return np.add.reduceat(masked_sum(mat, mask, groups, n_g), firsts, axis=1)

        out = {
            "new": per(v, f["new_m"]),
            "reactivation": per(v, f["react_m"]),
            "expansion": per(v, f["exp_m"]) - per(prev, f["exp_m"]),
            "contraction": per(prev, f["con_m"]) - per(v, f["con_m"]),
            "churn": per(prev, f["churn_m"]),
        }
        for k, m in _COUNTS.items():
            out[k] = np.add.reduceat(masked_count(f[m], groups, n_g), firsts, axis=1)
        start = prev[:, firsts]
        end = v[:, lasts]
        out["start_mrr"] = masked_sum(start, start > 0, segp, n_g)
        out["end_mrr"] = masked_sum(end, end > 0, segp, n_g)
        out["customers_start"] = masked_count(start > 0, segp, n_g)
        out["customers_end"] = masked_count(end > 0, segp, n_g)
        return out

    for part in map_blocks(one, panel.values.shape[0]):  # added up in block order: the same to the last bit
        for k, a in part.items():
            acc[k] += a
    return acc, pid, periods, labels


def bridge(
    mrr: pd.DataFrame,
    *,
    freq: str = "M",
    by: str | None = None,
    reactivation_window: int | None = None,
) -> pd.DataFrame:
    """The MRR bridge: opening MRR, each movement, closing MRR, per period (and segment).

    ``end_mrr = start_mrr + new + reactivation + expansion - contraction - churn``
    holds exactly in every row.  Quarterly and yearly rows add up the monthly
    movements inside the period; their start is the MRR of the month before the
    period and their end the MRR of its last month.  The ``*_customers`` columns
    count movements (a customer who churns and returns inside a quarter counts
    once in each), so ``customers_end = customers_start + new_customers +
    reactivated_customers - churned_customers`` holds as well.  ``complete`` is
    False for a quarter or year that the data covers only in part.

    ``period`` is the period's first day (``datetime64[ns]``: ``2024-04-01`` for
    April 2024, for the second quarter of 2024 and, with ``freq="Y"``, ``2024-01-01``
    for 2024); quarters and years also get a text ``period_label`` (``2024-Q2``,
    ``2024``).

    With ``by``, each customer belongs in a period to the segment it had in the
    month before the period (the period's base) if it paid then, and otherwise to
    the segment of its first paying month in the period; so the identity holds for
    every segment, and a customer that changes segment moves with its whole MRR at
    the next period's start.

    Examples
    --------
    >>> import nrrkit as nk
    >>> b = nk.bridge(nk.datasets.load_tiny())
    >>> b[["start_mrr", "new", "expansion", "contraction", "churn", "end_mrr"]].iloc[1].tolist()
    [430.0, 120.0, 0.0, 50.0, 50.0, 450.0]
    """
    _check_window(reactivation_window)
    from .fx import bridge_with_fx, has_fx

    if has_fx(mrr):  # amounts at each month's rate: an fx line (see nrrkit.fx)
        return bridge_with_fx(mrr, bridge, freq=freq, by=by, reactivation_window=reactivation_window)
    panel = build(mrr, by, work=WORK["bridge"])
    acc, pid, periods, labels = bridge_arrays(panel, freq, by, reactivation_window)
    n_p, n_g = len(periods), len(labels)
    months_per = np.bincount(pid, minlength=n_p)
    full = {"M": 1, "Q": 3, "Y": 12}[_PERIOD_FREQ[str(freq).upper()]]
    frames = []
    starts = month_starts(ordinals(periods))  # a period's first day (a quarter's: its first month)
    code = _PERIOD_FREQ[str(freq).upper()]
    for g in range(n_g):
        part = pd.DataFrame({"period": starts})
        if code != "M":
            part["period_label"] = period_labels(periods.asi8, code)
        if by is not None:
            part[by] = labels[g]
        for k in ("start_mrr", *_AMOUNTS, "end_mrr"):
            part[k] = acc[k][g]
        for k in ("customers_start", "customers_end", *_COUNTS):
            part[k] = acc[k][g].round().astype("int64")
        part["complete"] = months_per == full
        if by is not None:
            active = (part[["start_mrr", "end_mrr", *_AMOUNTS]].abs().sum(axis=1) > 0).to_numpy()
            part = part[active]
        frames.append(part)
    out = pd.concat(frames, ignore_index=True)
    if by is not None:
        out = out.sort_values(["period", by], kind="stable").reset_index(drop=True)
    cols = ["period"] + (["period_label"] if code != "M" else []) + ([by] if by is not None else []) + \
        list(BRIDGE_COLUMNS[1:])
    out = out[cols]
    out.attrs["definition"] = _bridge_card(panel, freq, by, reactivation_window, mrr)
    return out


def bridge_card(*, first: pd.Period, months: int, freq: str = "M", by: str | None = None,
                reactivation_window: int | None = None, mrr: pd.DataFrame | None = None):
    """The definition card of a bridge computed elsewhere (:mod:`nrrkit.sql`) over the given span."""
    span = Panel(pd.Index([]), int(first.ordinal), np.zeros((0, int(months))))
    return _bridge_card(span, freq, by, reactivation_window, mrr if mrr is not None else pd.DataFrame())


def _bridge_card(panel: Panel, freq: str, by: str | None, window: int | None, mrr: pd.DataFrame):
    from .definitions import Definition

    months = panel.months()
    unit = {"M": "month", "Q": "quarter", "Y": "year"}[_PERIOD_FREQ[str(freq).upper()]]
    return Definition(
        metric="MRR bridge",
        method=f"movements per customer-month, added up per {unit}",
        window=None,
        base_month=(f"each row's start is the MRR of the month before {'it' if unit == 'month' else 'its ' + unit} "
                    f"(the first row starts at 0: the data has no month before {months[0]})"),
        end_month=(f"each row's end is the MRR of its month: {_span(months[0], months[-1])}" if unit == "month" else
                   f"each row's end is the MRR of the last month of its {unit} in the data: "
                   f"{_span(_last_month(months, 0, unit), months[-1])}"),
        reactivation=_reactivation_text(window),
        segment=by,
        segment_read="the month before each period (else the first paying month in it)" if by else None,
        currency=currency_note(mrr),
        filters=value_filters(mrr),
        notes=value_notes(mrr),
    )


def _span(first, last) -> str:
    return str(first) if first == last else f"{first} to {last}"


def _last_month(months: pd.PeriodIndex, i: int, unit: str) -> pd.Period:
    """The last month of the data inside the period of month ``i``."""
    per = months.asfreq(unit[0].upper())
    return months[per == per[i]][-1]


def _reactivation_text(window: int | None) -> str:
    if window is None:
        return "a customer who returns after any gap is a reactivation (no time limit)"
    return f"a return after more than {window} unpaid month(s) counts as new; shorter gaps are reactivations"


def currency_note(mrr: pd.DataFrame) -> str:
    rep = mrr.attrs.get("load_report") if isinstance(mrr, pd.DataFrame) else None
    text = (rep.get("currency", "") if isinstance(rep, dict) else "") or "unspecified (one currency assumed)"
    conversion = rep.get("conversion") if isinstance(rep, dict) else None
    if conversion and mrr.attrs.get("currency_basis"):
        conversion = f"{conversion}; read at {mrr.attrs['currency_basis']} rates"
    return f"{text} ({conversion})" if conversion else text


def value_filters(mrr: pd.DataFrame) -> str:
    """The row filter the reader applied (``where=``), as the card's filters line ("none" without one)."""
    rep = mrr.attrs.get("load_report") if isinstance(mrr, pd.DataFrame) else None
    items = [x for x in (rep.get("left_out") or []) if x.get("label") == "where"] if isinstance(rep, dict) else []
    return "; ".join(f"left out {x['what']}" for x in items) or "none"


def value_notes(mrr: pd.DataFrame) -> list[str]:
    """What the reader did to the values that a definition card must say (discounts applied, trials, rows
    filtered, renewal gaps bridged)."""
    rep = mrr.attrs.get("load_report") if isinstance(mrr, pd.DataFrame) else None
    said = [n for n in (rep.get("card_notes") or []) if not n.startswith("rows left out")] \
        if isinstance(rep, dict) else []  # discounts, trials (filters have the card's own line)
    gaps = rep.get("renewal_gaps") if isinstance(rep, dict) else None
    if not gaps:
        return said
    return said + [f"renewal_grace={gaps['grace_days']} days: {gaps['gaps_bridged']} renewal gap(s) shorter than that "
            f"counted as continuous revenue, removing {gaps['churn_removed']:,.2f} of churn (and as much reactivation)"]
