"""Net and gross revenue retention and logo retention (docs/definitions.md, sections 3 and 9).

For an end month t and a window of w months, the base month is b = t - w and the
base cohort B is every customer paying (MRR > 0) in b.  Over B:

- ``start_mrr`` = MRR in b; ``end_mrr`` = MRR in t (0 for churned customers);
- ``expansion`` = sum of max(mrr_t - mrr_b, 0) and ``contraction`` = sum of
  max(mrr_b - mrr_t, 0), both over customers still paying in t;
- ``churn`` = sum of mrr_b over customers paying nothing in t;
- NRR = end / start; GRR = (start - contraction - churn) / start (never above 1);
  logo retention = customers of B paying in t / size of B.

A member of B that churns and comes back inside the window counts at its MRR in t;
customers that first pay after b are not in B.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd

from .definitions import Definition
from .engine import WORK
from .errors import DataError, DataWarning
from .months import month_start, month_starts, ordinals
from .months import period as as_period
from .movements import currency_note, flows, period_segments, value_filters, value_notes
from .panel import Panel, build, map_blocks, masked_count, masked_sum
from .parsing import to_period

__all__ = ["retention", "period_ends", "compare_methods", "nrr", "grr", "months_needed", "window_that_fits", "METHODS",
           "RETENTION_COLUMNS"]

METHODS = ("cohort", "cohort_avg", "compounded", "survivors", "lazy")

RETENTION_COLUMNS = (
    "month", "base_month", "customers_start", "customers_retained", "start_mrr", "end_mrr",
    "expansion", "contraction", "churn", "nrr", "grr", "logo_retention",
)
_SUMS = ("customers_start", "customers_retained", "start_mrr", "end_mrr", "expansion", "contraction", "churn")

_METHOD_TEXT = {
    "cohort": "cohort: customers paying in the base month, measured at the end month "
              "(the public-company and lender standard)",
    "cohort_avg": "cohort_avg: end MRR summed over the last {w} end months / their start MRR "
                  "(dollar-weighted smoothing)",
    "compounded": "compounded: product of the {w} one-month cohort NRRs ending at the end month, "
                  "each on its own base",
    "survivors": "survivors: base cohort limited to customers still paying at the end month "
                 "(a contrast only: it hides churn)",
    "lazy": "lazy: (MRR at the end month - new - reactivation inside the window) / MRR at the base month",
}


def months_needed(window: int, method: str = "cohort") -> int:
    """Months of data a ``window`` needs for one end month: the base month and ``window`` more;
    ``cohort_avg`` averages ``window`` end months, so twice the window.

    >>> months_needed(12), months_needed(3, "cohort_avg")
    (13, 6)
    """
    return 2 * window if method == "cohort_avg" else window + 1


def window_that_fits(months: int, method: str = "cohort") -> int | None:
    """The longest of the usual windows (12, 6, 3, 1 months) that ``months`` of data hold, or None.

    >>> window_that_fits(8), window_that_fits(5, "cohort_avg"), window_that_fits(1)
    (6, 1, None)
    """
    return next((w for w in (12, 6, 3, 1) if months_needed(w, method) <= months), None)


def _check(window: int, method: str) -> None:
    if not isinstance(window, (int, np.integer)) or isinstance(window, bool) or window < 1:
        raise DataError(f"window must be a whole number of months >= 1, not {window!r}")
    if method not in METHODS:
        raise DataError(f"method must be one of {', '.join(METHODS)}, not {method!r}")


def _cohort_arrays(panel: Panel, w: int, by: str | None, survivors: bool = False):
    """Window sums for every end month t >= w: dict of (groups, n_m - w) arrays."""
    n_m = panel.n_months
    k = max(n_m - w, 0)
    if by is not None:
        seg, labels = panel.segments[by]
        n_g = len(labels)
    else:
        seg, labels, n_g = None, pd.Index(["all"]), 1
    acc = {name: np.zeros((n_g, k)) for name in _SUMS}
    if k <= 0:
        return acc, labels
    def one(blk: slice) -> dict[str, np.ndarray]:  # the block's sums; runs on the engine's threads
        vb = panel.values[blk, :k]
        vt = panel.values[blk, w:]
        in_base = vb > 0
        paying = vt > 0
        kept = in_base & paying
        member = kept if survivors else in_base
        groups = seg[blk, :k] if seg is not None else None  # the segment in the base month
        up = kept & (vt > vb)
        down = kept & (vt < vb)
        out = {
            "customers_start": masked_count(member, groups, n_g),
            "customers_retained": masked_count(kept, groups, n_g),
            "start_mrr": masked_sum(vb, member, groups, n_g),
            "end_mrr": masked_sum(vt, member, groups, n_g),
            "expansion": masked_sum(vt, up, groups, n_g) - masked_sum(vb, up, groups, n_g),
            "contraction": masked_sum(vb, down, groups, n_g) - masked_sum(vt, down, groups, n_g),
        }
        if not survivors:
            out["churn"] = masked_sum(vb, in_base & ~paying, groups, n_g)
        return out

    for part in map_blocks(one, panel.values.shape[0]):  # added up in block order: the same to the last bit
        for name, a in part.items():
            acc[name] += a
    return acc, labels


def _ratios(frame: pd.DataFrame) -> pd.DataFrame:
    start = frame["start_mrr"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        ok = start > 0
        frame["nrr"] = np.where(ok, frame["end_mrr"].to_numpy() / np.where(ok, start, 1), np.nan)
        gr = (start - frame["contraction"].to_numpy() - frame["churn"].to_numpy())
        frame["grr"] = np.where(ok, gr / np.where(ok, start, 1), np.nan)
        n = frame["customers_start"].to_numpy()
        frame["logo_retention"] = np.where(n > 0, frame["customers_retained"].to_numpy() / np.where(n > 0, n, 1), np.nan)
    return frame


def _frame(panel: Panel, acc: dict, labels: pd.Index, ends: np.ndarray, w: int, by: str | None,
           cols: np.ndarray) -> pd.DataFrame:
    """Rows for end-month column indices ``ends``; ``cols`` selects them in ``acc``."""
    parts = []
    for g, label in enumerate(labels):
        part = pd.DataFrame({
            "month": month_starts(panel.first + ends),
            "base_month": month_starts(panel.first + ends - w),
        })
        if by is not None:
            part.insert(1, by, label)
        for name in _SUMS:
            vals = acc[name][g, cols]
            part[name] = vals.round().astype("int64") if name.startswith("customers") else vals
        parts.append(part)
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=list(RETENTION_COLUMNS))
    if by is not None:
        # a segment with no base customers has no ratio, but the lazy shortcut can still give it
        # movements (customers who joined inside the window); keep those rows so totals recombine
        amounts = out[["start_mrr", "end_mrr", "expansion", "contraction", "churn"]].abs().sum(axis=1)
        out = out[(out["customers_start"] > 0) | (amounts > 0)]
        out = out.sort_values(["month", by], kind="stable").reset_index(drop=True)
    return out


def _lazy_arrays(panel: Panel, w: int, by: str | None):
    """The bridge shortcut: MRR_b plus the expansion, contraction and churn of the window's months.

    Equals (MRR_t - new - reactivation inside the window) / MRR_b, since the bridge reconciles.
    By segment, each customer sits for the whole window in its segment at b (or, if it did not
    pay at b, its first paying month in the window), like a bridge over the window as one period.
    """
    n_m = panel.n_months
    k = max(n_m - w, 0)
    labels = panel.segments[by][1] if by is not None else pd.Index(["all"])
    n_g = len(labels)
    out = {name: np.zeros((n_g, k)) for name in _SUMS}
    if k == 0:
        return out, labels
    firsts = np.arange(1, k + 1)  # window months b+1 .. t for t = w .. n_m-1
    lasts = np.arange(w, n_m)
    names = ("expansion", "contraction", "churn")
    churned = np.zeros((n_g, k))
    def one(blk: slice) -> dict[str, np.ndarray]:  # the block's sums; runs on the engine's threads
        v = panel.values[blk]
        f = flows(v, None)
        csum = {name: np.concatenate([np.zeros((v.shape[0], 1)), np.cumsum(f[name], axis=1)], axis=1)
                for name in names}
        csum["churn_n"] = np.concatenate([np.zeros((v.shape[0], 1)),
                                          np.cumsum(f["churn_m"].astype("float64"), axis=1)], axis=1)
        # per customer and window: the sums over months b+1 .. t
        per = {name: c[:, lasts + 1] - c[:, firsts] for name, c in csum.items()}
        base = v[:, :k]
        groups = period_segments(v, panel.segments[by][0][blk], firsts, lasts) if by is not None else None
        base_groups = groups
        touched = groups >= 0 if groups is not None else None  # paid at b or inside the window
        part = {name: masked_sum(per[name], touched, groups, n_g) for name in names}
        part["churned"] = masked_sum(per["churn_n"], touched, groups, n_g)
        part["start_mrr"] = masked_sum(base, base > 0, base_groups, n_g)
        part["customers_start"] = masked_count(base > 0, base_groups, n_g)
        return part

    for part in map_blocks(one, panel.values.shape[0]):  # added up in block order: the same to the last bit
        for name in names:
            out[name] += part[name]
        churned += part["churned"]
        out["start_mrr"] += part["start_mrr"]
        out["customers_start"] += part["customers_start"]
    out["end_mrr"] = out["start_mrr"] + out["expansion"] - out["contraction"] - out["churn"]
    # customers paying at t less the new and reactivated movements in the window (the shortcut's
    # own count, which can differ from the cohort's)
    out["customers_retained"] = out["customers_start"] - churned
    return out, labels


def retention(
    mrr: pd.DataFrame,
    *,
    window: int = 12,
    method: str = "cohort",
    by: str | None = None,
    at: str = "M",
    total: bool = False,
    currency_basis: str = "constant",
) -> pd.DataFrame:
    """NRR, GRR and logo retention for every end month the data allows.

    Parameters
    ----------
    mrr : DataFrame
        The MRR table (:func:`nrrkit.read_mrr`).
    window : int
        Months between the base month and the end month: 12 (the investor
        definition, default), 3 (quarterly) or 1 (monthly).
    method : {"cohort", "cohort_avg", "compounded", "survivors", "lazy"}
        ``"cohort"`` (default) follows the base cohort to the end month.
        ``"cohort_avg"`` divides the end MRR summed over the last ``window`` end months
        by their summed start MRR.  ``"compounded"`` multiplies the ``window``
        one-month cohort NRRs ending at t (its amount columns are the sums of those
        monthly amounts; GRR and logo retention are compounded the same way).
        ``"survivors"`` keeps only base customers still paying at t (churn is 0 by
        construction).  ``"lazy"`` takes MRR at t less the new and reactivated MRR
        of the monthly bridge inside the window, over MRR at b.
    by : str, optional
        An attribute column.  Each base customer is placed in the segment it had in
        the base month.  Amounts over segments add up to the unsegmented figure
        exactly (except for ``"compounded"``, a product of ratios).
    at : {"M", "Q", "Y"}
        Which end months to report: every month (``"M"``, default), only the
        months that end a calendar quarter (March, June, September, December:
        ``"Q"``) or a calendar year (December: ``"Y"``).  The figures are the
        monthly ones at those months, nothing averaged.  A quarter (year) the data
        covers only in part is reported at the data's last month, with
        ``complete=False``: with ``at="Q"`` or ``"Y"`` the table has a ``complete``
        column, True at quarter (year) ends.
    total : bool
        With ``by``: add a ``Total`` row for every end month, the unsegmented
        figure itself (all base customers; never an average of the segments).
    currency_basis : {"constant", "actual"}
        For a table read at each month's exchange rate (``basis="actual"``): measure at
        constant rates (default: NRR moves only with what customers pay) or at each month's
        rate.  Named on the definition card.  Tables in one currency are not affected.

    Returns
    -------
    DataFrame
        ``month, base_month, customers_start, customers_retained, start_mrr, end_mrr,
        expansion, contraction, churn, nrr, grr, logo_retention`` (with the ``by``
        column after ``month``; with ``at="Q"``/``"Y"`` a last ``complete`` column).
        Rates are fractions (1.07 = 107%).  Months are the month's first day
        (``datetime64[ns]``: ``2024-12-01`` is December 2024); the ``by`` column is text.  ``.attrs["definition"]`` holds
        the definition card, which says how each row's base month follows from its
        end month.

    Examples
    --------
    >>> import nrrkit as nk
    >>> r = nk.retention(nk.datasets.load_tiny(), window=3)
    >>> r[["month", "start_mrr", "end_mrr", "nrr"]].astype(str).values.tolist()
    [['2024-04-01', '430.0', '230.0', '0.5348837209302325']]

    Twelve-month NRR at quarter ends, by segment, with the company total:

    >>> r = nk.retention(nk.datasets.load_sample(), at="Q", by="segment", total=True)
    >>> r[r["month"] == "2024-12"][["segment", "nrr"]].round(4).values.tolist()
    [['Enterprise', 1.2274], ['Mid-Market', 1.1188], ['SMB', 1.0086], ['Total', 1.1871]]
    """
    _check(window, method)
    from .fx import at_basis

    mrr = at_basis(mrr, currency_basis)  # a table at each month's exchange rate: constant rates by default
    step = _at_step(at)
    if total and by is None:
        raise DataError("total=True adds a Total row per end month to a table split by= an attribute; pass by= too")
    panel = build(mrr, by, work=WORK["retention lazy" if method == "lazy" else "retention"])
    n_m = panel.n_months
    w = int(window)
    if method in ("cohort", "survivors"):
        acc, labels = _cohort_arrays(panel, w, by, survivors=(method == "survivors"))
        ends = np.arange(w, n_m)
        out = _ratios(_frame(panel, acc, labels, ends, w, by, np.arange(len(ends))))
    elif method == "lazy":
        acc, labels = _lazy_arrays(panel, w, by)
        ends = np.arange(w, n_m)
        out = _ratios(_frame(panel, acc, labels, ends, w, by, np.arange(len(ends))))
    elif method == "cohort_avg":
        acc, labels = _cohort_arrays(panel, w, by)
        k = max(n_m - w, 0)
        if k >= w:
            rolled = {name: np.stack([a[:, j - w + 1 : j + 1].sum(axis=1) for j in range(w - 1, k)], axis=1)
                      for name, a in acc.items()}
        else:
            rolled = {name: np.zeros((len(labels), 0)) for name in acc}
        ends = np.arange(2 * w - 1, n_m)
        out = _ratios(_frame(panel, rolled, labels, ends, w, by, np.arange(len(ends))))
    else:  # compounded
        acc, labels = _cohort_arrays(panel, 1, by)  # one-month windows, end months 1 .. n_m-1
        k = max(n_m - w, 0)
        ends = np.arange(w, n_m)
        with np.errstate(divide="ignore", invalid="ignore"):
            start = acc["start_mrr"]
            m_nrr = np.where(start > 0, acc["end_mrr"] / np.where(start > 0, start, 1), np.nan)
            m_grr = np.where(start > 0, (start - acc["contraction"] - acc["churn"]) / np.where(start > 0, start, 1), np.nan)
            n0 = acc["customers_start"]
            m_logo = np.where(n0 > 0, acc["customers_retained"] / np.where(n0 > 0, n0, 1), np.nan)
        # one-month column j has end month j + 1; the window ending at t uses columns t-w .. t-1
        summed = {name: np.stack([a[:, t - w : t].sum(axis=1) for t in ends], axis=1) if k else
                  np.zeros((len(labels), 0)) for name, a in acc.items()}
        out = _frame(panel, summed, labels, ends, w, by, np.arange(len(ends)))
        prods = {}
        for name, m in (("nrr", m_nrr), ("grr", m_grr), ("logo_retention", m_logo)):
            prods[name] = np.stack([m[:, t - w : t].prod(axis=1) for t in ends], axis=1) if k else np.zeros((len(labels), 0))
        if by is None:
            for name in prods:
                out[name] = prods[name][0]
        else:
            lab_pos = {lab: i for i, lab in enumerate(labels)}
            gi = out[by].map(lab_pos).to_numpy()
            ti = (ordinals(out["month"]) - panel.first - w).astype(int)
            for name in prods:
                out[name] = prods[name][gi, ti] if len(out) else np.array([])
    out = out[[c for c in ("month", by, *RETENTION_COLUMNS[1:]) if c is not None]]
    if by is not None:
        out[by] = out[by].astype(str)
    if total:
        if (out[by] == TOTAL).any():
            raise DataError(f"'{by}' has a segment called {TOTAL!r}; rename it before asking for total=True")
        whole = retention(mrr, window=window, method=method).assign(**{by: TOTAL})
        out = pd.concat([out, whole[out.columns]], ignore_index=True)
        out = out.sort_values("month", kind="stable").reset_index(drop=True)
    out = _at_rows(out, step)
    need = months_needed(w, method)
    if out.empty and need > n_m:  # empty because the window is too long (not because of at= or by=)
        fits = window_that_fits(n_m, method)
        warnings.warn(f"no {w}-month window fits the data: it covers {n_m} month(s) and a {w}-month window with "
                      f"method {method} needs at least {need}, so the result is empty"
                      + (f"; try window={fits}" if fits else ""), DataWarning, stacklevel=2)
    out.attrs["definition"] = _card(panel, w, method, by, out, mrr, at=at.upper(), total=total)
    return out


TOTAL = "Total"
_AT = {"M": 1, "Q": 3, "Y": 12, "A": 12}


def _at_step(at: str) -> int:
    step = _AT.get(str(at).upper())
    if step is None:
        raise DataError(f"at must be 'M' (every end month), 'Q' (quarter ends) or 'Y' (year ends), not {at!r}")
    return step


def _at_rows(out: pd.DataFrame, step: int) -> pd.DataFrame:
    """The rows at quarter (year) ends, and the last month's rows when it ends none: ``complete`` says which."""
    if step == 1:
        return out
    month = out["month"].dt.month.to_numpy()
    ends = month % step == 0
    last = (out["month"] == out["month"].max()).to_numpy() if len(out) else ends
    out = out[ends | last].reset_index(drop=True)
    out["complete"] = out["month"].dt.month.to_numpy() % step == 0
    return out


def _months_text(out: pd.DataFrame, w: int, at: str, n_months: int | None) -> tuple[str, str]:
    """The card's end and base month: how each row's follow from its month, or the one month."""
    which = {"M": "", "Q": ", quarter ends only", "Y": ", year ends only", "A": ", year ends only"}[at]
    if which and len(out) and "complete" in out.columns and not out["complete"].all():
        unit = "quarter" if at == "Q" else "year"
        which += (f", and the data's last month {as_period(out['month'].max())} for the {unit} it covers only "
                  f"in part (complete=False)")
    if len(out) and out["month"].nunique() > 1:
        first, last = as_period(out["month"].min()), as_period(out["month"].max())
        ends = f"each row's month: {first} to {last}{which}"
        bases = f"each row's base_month, its month less {w} month{'s' if w != 1 else ''}: {first - w} to {last - w}"
        return ends, bases
    if len(out):
        return str(as_period(out["month"].iloc[0])), str(as_period(out["base_month"].iloc[0]))
    if at != "M" and (n_months is None or n_months > w):
        text = f"none: no {w}-month window ends at a {'quarter' if at == 'Q' else 'year'} end in the data"
    else:
        text = f"none: the data covers {n_months} month(s), a {w}-month window needs {w + 1}"
    return text, text


_AVG_NOTE = " (each row averages the {w} windows ending in the {w} months up to its end month)"


def period_ends(result: pd.DataFrame, at: str = "Q") -> pd.DataFrame:
    """The rows of a :func:`retention` result whose month ends a quarter (``"Q"``) or year (``"Y"``).

    The same table as ``retention(..., at=at)`` without computing anything again; the
    definition card is rewritten for the rows kept.
    """
    step = _at_step(at)
    card = result.attrs.get("definition")
    out = _at_rows(result, step) if step > 1 else result.copy()
    if card is not None:
        card = Definition(**card)
        ends, bases = _months_text(out, int(card.window), str(at).upper(), None)
        if card.method.startswith("cohort_avg"):
            bases += _AVG_NOTE.format(w=card.window)
        card.end_month, card.base_month = ends, bases
        out.attrs["definition"] = card
    return out


def _card(panel: Panel, w: int, method: str, by: str | None, out: pd.DataFrame, mrr: pd.DataFrame,
          at: str = "M", total: bool = False) -> Definition:
    ends, bases = _months_text(out, w, at, panel.n_months)
    notes = []
    if total:
        notes.append(f"the {TOTAL} rows are the figures over all base customers (summed amounts, equal to the "
                     f"unsegmented result), never an average of the segments")
    if method == "cohort_avg":
        bases += _AVG_NOTE.format(w=w)
    if method == "compounded":
        notes.append("amount columns are sums of the one-month windows; the ratios are products of the monthly ratios")
    return Definition(
        metric="net revenue retention (NRR), gross revenue retention (GRR), logo retention",
        method=_METHOD_TEXT[method].format(w=w),
        window=w,
        base_month=bases,
        end_month=ends,
        reactivation=("a base customer who churns and returns inside the window counts at its MRR in the end month"
                      if method != "lazy" else "new and reactivated MRR of the monthly bridge are both left out"),
        segment=by,
        segment_read=("the base month" if method in ("cohort", "survivors", "cohort_avg") else
                      "the base month of each one-month window" if method == "compounded" else
                      "the month before each movement (else its first paying month)") if by else None,
        currency=currency_note(mrr),
        filters=value_filters(mrr),
        notes=notes + value_notes(mrr),
    )


def retention_card(out: pd.DataFrame, *, first: pd.Period, months: int, window: int, method: str = "cohort",
                   by: str | None = None, at: str = "M", total: bool = False,
                   mrr: pd.DataFrame | None = None) -> Definition:
    """The definition card of a retention table computed elsewhere (:mod:`nrrkit.sql`).

    ``first`` and ``months`` give the span of the data; ``mrr`` only lends its ``attrs``
    (currency, renewal gaps), so an empty frame or None will do.
    """
    span = Panel(pd.Index([]), int(first.ordinal), np.zeros((0, int(months))))
    return _card(span, window, method, by, out, mrr if mrr is not None else pd.DataFrame(), at=at, total=total)


def rows_at(mrr: pd.DataFrame, *, window: int = 12, by: str | None = None, month=None, total: bool = False):
    """The retention rows of one end month (default: the last), the month, and the full result.

    The rows carry the definition card of that one month (base and end month named).

    Raises a DataError naming the valid end months when the window does not fit.
    """
    r = retention(mrr, window=window, by=by, total=total)
    if r.empty:
        raise DataError(f"no {window}-month window fits in the data; it needs at least {window + 1} months "
                        f"(try a shorter window)")
    t = to_period(month, "month") if month is not None else as_period(r["month"].max())
    rows = r[r["month"] == month_start(t)]
    if rows.empty:
        raise DataError(f"no {window}-month window ends in {t}; end months run from {as_period(r['month'].min())} "
                        f"to {as_period(r['month'].max())}")
    rows.attrs["definition"] = r.attrs["definition"].at(t, t - window)  # the rows are one end month
    return rows, t, r


_WHY = {
    "cohort": "The reference figure: every customer paying in {b}, followed to {t}, churned customers at 0.",
    "cohort_avg": "Adds up the {w} windows ending {t0} to {t}, so it moves slowly; it is {d} because the earlier "
                  "windows were {dir_word}.",
    "compounded": "Multiplies {w} one-month NRRs, each over the customers paying the month before, so customers "
                  "who joined after {b} count too; it is {d} because they {dir_verb} than the {b} base.",
    "survivors": "Leaves out the {churned} base customer(s) who stopped paying ({churn} of MRR), so it cannot "
                 "be lower than the cohort figure; it is {d}.",
    "lazy": "Takes MRR in {t} less the new and reactivated MRR of the monthly bridge, so it counts the expansion, "
            "contraction and churn of customers who joined after {b}, and a base customer who leaves and returns "
            "is not netted; it is {d}.",
}


def compare_methods(mrr: pd.DataFrame, *, window: int = 12, month=None) -> pd.DataFrame:
    """The same data under every method, side by side, with why each one differs.

    Parameters
    ----------
    month : str or Period, optional
        The end month (default: the last month of the data).

    Returns
    -------
    DataFrame
        One row per method: ``method, month, base_month, nrr, grr, logo_retention,
        start_mrr, end_mrr, difference`` (NRR minus the cohort NRR, as a fraction)
        and ``why``, one sentence computed from the data.
    """
    _check(window, "cohort")
    table = build(mrr)  # validates once; retention() rebuilds its own panel
    last = table.month(table.n_months - 1)
    t = to_period(month, "month") if month is not None else last
    rows = []
    base = None
    for m in METHODS:
        r = retention(mrr, window=window, method=m)
        hit = r[r["month"] == month_start(t)]
        if hit.empty:
            rows.append({"method": m, "month": month_start(t), "base_month": month_start(t - window), "nrr": math.nan, "grr": math.nan,
                         "logo_retention": math.nan, "start_mrr": math.nan, "end_mrr": math.nan,
                         "customers_start": 0, "churned_customers": 0, "churn": math.nan})
            continue
        row = hit.iloc[0]
        rows.append({"method": m, "month": month_start(t), "base_month": row["base_month"], "nrr": row["nrr"],
                     "grr": row["grr"], "logo_retention": row["logo_retention"], "start_mrr": row["start_mrr"],
                     "end_mrr": row["end_mrr"], "customers_start": row["customers_start"],
                     "churned_customers": row["customers_start"] - row["customers_retained"], "churn": row["churn"]})
        if m == "cohort":
            base = row
    out = pd.DataFrame(rows)
    ref = out.loc[out["method"] == "cohort", "nrr"].iloc[0]
    out["difference"] = out["nrr"] - ref
    whys = []
    for _, row in out.iterrows():
        m = row["method"]
        if math.isnan(row["nrr"]):
            whys.append(f"Not available for {t}: this method needs {months_needed(window, m)} months of data up to "
                        f"the end month.")
            continue
        d = row["difference"] * 100
        dtxt = "the same" if abs(d) < 0.05 else f"{abs(d):.1f} points {'higher' if d > 0 else 'lower'}"
        b = as_period(row["base_month"])
        text = _WHY[m].format(
            b=b, t=t, w=window, t0=t - (window - 1), d=dtxt,
            dir_word="stronger" if d > 0 else "weaker",
            dir_verb="did better" if d > 0 else "did worse",
            churned=int(base["customers_start"] - base["customers_retained"]) if base is not None else 0,
            churn=f"{base['churn']:,.0f}" if base is not None else "0",
        )
        whys.append(text)
    out["why"] = whys
    out = out[["method", "month", "base_month", "nrr", "grr", "logo_retention", "start_mrr", "end_mrr",
               "difference", "why"]]
    out.attrs["definition"] = retention(mrr, window=window).attrs["definition"].at(t, t - window)
    return out


# --------------------------------------------------------------------------- calculators


def _amounts(**kw: float) -> dict[str, float]:
    out = {}
    for name, v in kw.items():
        try:
            f = float(v)
        except (TypeError, ValueError):
            raise DataError(f"{name} must be a number, not {v!r}") from None
        if not math.isfinite(f):
            raise DataError(f"{name} must be a finite number, not {v!r}")
        if f < 0:
            raise DataError(f"{name} is {f:g}; amounts are entered as positive numbers (churn of 5000, not -5000)")
        out[name] = f
    if out["start"] <= 0:
        raise DataError(f"start is {out['start']:g}; the starting MRR must be above 0 to divide by it")
    lost = out.get("contraction", 0.0) + out.get("churn", 0.0)
    if lost > out["start"]:
        raise DataError(
            f"contraction + churn ({lost:,.10g}) exceed the starting MRR ({out['start']:,.10g}); "
            f"existing customers cannot lose more than they paid"
        )
    return out


def nrr(start: float, expansion: float, contraction: float, churn: float) -> float:
    """Net revenue retention from four numbers: (start + expansion - contraction - churn) / start.

    Examples
    --------
    >>> round(nrr(100_000, 15_000, 3_000, 5_000), 4)   # the 107% example
    1.07
    """
    a = _amounts(start=start, expansion=expansion, contraction=contraction, churn=churn)
    return (a["start"] + a["expansion"] - a["contraction"] - a["churn"]) / a["start"]


def grr(start: float, contraction: float, churn: float) -> float:
    """Gross revenue retention: (start - contraction - churn) / start; never above 1.

    Examples
    --------
    >>> round(grr(100_000, 3_000, 7_000), 4)
    0.9
    """
    a = _amounts(start=start, contraction=contraction, churn=churn)
    return (a["start"] - a["contraction"] - a["churn"]) / a["start"]
