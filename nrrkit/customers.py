"""Account-level views of a retention window: who expanded, who left, how concentrated
the expansion is, and how sure the NRR figure is (a bootstrap interval)."""

from __future__ import annotations

import time
from collections.abc import Sequence

import numpy as np
import pandas as pd

from ._record import Record
from .errors import DataError
from .months import label
from .panel import build, canonical
from .parsing import to_period

__all__ = ["accounts", "top_movers", "concentration", "nrr_interval", "ratio_interval", "bootstrap_ratio"]


def _window(mrr: pd.DataFrame, window: int, month) -> tuple:
    panel = build(mrr)
    if not isinstance(window, (int, np.integer)) or window < 1:
        raise DataError(f"window must be a whole number of months >= 1, not {window!r}")
    if panel.n_months <= window:
        raise DataError(f"the data covers {panel.n_months} month(s); a {window}-month window needs {window + 1}")
    t = panel.n_months - 1 if month is None else panel.index_of(to_period(month, "month"))
    if not window <= t < panel.n_months:
        raise DataError(f"no {window}-month window ends in {to_period(month, 'month')}; end months run from "
                        f"{panel.month(window)} to {panel.month(panel.n_months - 1)}")
    return panel, t, t - window


def accounts(mrr: pd.DataFrame, *, window: int = 12, month=None) -> pd.DataFrame:
    """Every customer of the base cohort, with its start and end MRR.

    Columns: ``customer_id`` (text), ``base_month, month`` (the months' first days, ``datetime64[ns]``),
    ``start_mrr, end_mrr, change``, ``movement`` (comparing the end month with the
    base month only: ``expansion`` if it pays more, ``contraction`` if it still pays
    but less, ``churn`` if it pays nothing in the end month, ``flat`` otherwise),
    ``returned`` (True if it stopped paying inside the window and came back: such a
    customer is never ``churn``), then the customer's attributes as they were in
    the base month.  Sorted by change, largest first.  The sums of ``start_mrr`` and
    ``end_mrr`` are the window's start and end MRR; the ``change`` of the
    ``contraction`` rows and of the ``churn`` rows add up to the window's
    contraction and churn of :func:`nrrkit.retention`.

    Examples
    --------
    >>> import nrrkit as nk
    >>> a = nk.accounts(nk.datasets.load_tiny(), window=3)
    >>> a[["customer_id", "start_mrr", "end_mrr", "movement"]].values.tolist()
    [['A', 100.0, 150.0, 'expansion'], ['C', 50.0, 80.0, 'expansion'], ['F', 80.0, 0.0, 'churn'], ['B', 200.0, 0.0, 'churn']]
    """
    mrr = canonical(mrr)
    panel, t, b = _window(mrr, window, month)
    v = panel.values
    base = v[:, b] > 0
    start, end = v[base, b], v[base, t]
    gap = (v[base, b + 1 : t] == 0).any(axis=1) if t - b > 1 else np.zeros(int(base.sum()), dtype=bool)
    movement = np.select([end == 0, end > start, end < start], ["churn", "expansion", "contraction"], "flat")
    ids = panel.customers[base]
    out = pd.DataFrame({
        "customer_id": ids,
        "base_month": pd.Series(panel.start(b), index=range(len(ids))),
        "month": pd.Series(panel.start(t), index=range(len(ids))),
        "start_mrr": start,
        "end_mrr": end,
        "change": end - start,
        "movement": movement,
        "returned": gap & (end > 0),
    })
    attrs = [c for c in mrr.columns if c not in ("customer_id", "month", "mrr")]
    if attrs:
        at_base = mrr.loc[mrr["month"] == panel.start(b), ["customer_id", *attrs]].copy()
        at_base["customer_id"] = at_base["customer_id"].astype(str)
        at_base = at_base.drop_duplicates("customer_id")
        out = out.merge(at_base, on="customer_id", how="left")
    out = out.sort_values(["change", "customer_id"], ascending=[False, True], kind="stable").reset_index(drop=True)
    return out


def top_movers(mrr: pd.DataFrame, n: int = 10, *, window: int = 12, month=None) -> pd.DataFrame:
    """The ``n`` biggest gains and the ``n`` biggest losses of the window: up to ``2 * n`` rows.

    ``n`` counts movers *per direction*: ``top_movers(mrr, 10)`` gives at most ten gains
    (``direction == "gain"``, ranks 1 to 10) and then at most ten losses (ranks 1 to 10),
    so 20 rows when the window has at least ten of each; fewer when it has fewer.  (The ten
    biggest movers either way: ``accounts(mrr).sort_values("change", key=abs).tail(10)``.)

    The columns of :func:`accounts` plus ``rank`` (1 = biggest, per direction),
    ``direction`` (``gain`` or ``loss``) and ``share_of_change``.  The loss side
    mixes two kinds of loss, and ``movement`` says which: ``contraction`` (still
    paying in the end month, less) or ``churn`` (paying nothing in the end month).
    ``share_of_change`` is each account's change over the total of its direction:
    all gains, or all losses (contraction and churn together), so it says how
    concentrated the movement is, not which kind of loss dominates.

    Examples
    --------
    >>> import nrrkit as nk
    >>> m = nk.top_movers(nk.datasets.load_tiny(), 2, window=3)
    >>> m[["direction", "rank", "customer_id", "change", "movement"]].values.tolist()
    [['gain', 1, 'A', 50.0, 'expansion'], ['gain', 2, 'C', 30.0, 'expansion'], ['loss', 1, 'B', -200.0, 'churn'], ['loss', 2, 'F', -80.0, 'churn']]
    """
    if n < 1:
        raise DataError("n must be at least 1")
    acc = accounts(mrr, window=window, month=month)
    gains = acc[acc["change"] > 0]
    losses = acc[acc["change"] < 0].sort_values("change", kind="stable")
    up = gains.head(n).assign(direction="gain", share_of_change=lambda f: f["change"] / gains["change"].sum())
    down = losses.head(n).assign(direction="loss", share_of_change=lambda f: f["change"] / losses["change"].sum())
    out = pd.concat([up, down], ignore_index=True)
    out.insert(0, "rank", np.concatenate([np.arange(1, len(up) + 1), np.arange(1, len(down) + 1)]))
    return out


def concentration(mrr: pd.DataFrame, *, window: int = 12, top: Sequence[int] = (1, 5, 10), month=None) -> pd.DataFrame:
    """NRR with the top N expanding customers taken out of the base cohort.

    A 130% NRR that falls to 104% without its largest customer says something the
    headline does not.  Returns one row per N (0 = nothing removed): ``removed,
    nrr, change`` (against N = 0), ``expansion_share`` (the removed customers'
    share of all expansion) and ``customers``.
    """
    acc = accounts(mrr, window=window, month=month)
    gains = acc[acc["change"] > 0].sort_values("change", ascending=False, kind="stable")
    total_exp = gains["change"].sum()
    rows = []
    base_nrr = acc["end_mrr"].sum() / acc["start_mrr"].sum()
    for k in (0, *top):
        removed = gains.head(k)
        keep = acc[~acc["customer_id"].isin(removed["customer_id"])]
        nrr = keep["end_mrr"].sum() / keep["start_mrr"].sum() if keep["start_mrr"].sum() > 0 else np.nan
        rows.append({"removed": k, "nrr": nrr, "change": nrr - base_nrr,
                     "expansion_share": removed["change"].sum() / total_exp if total_exp > 0 else 0.0,
                     "customers": ", ".join(removed["customer_id"].astype(str)) if k else ""})
    return pd.DataFrame(rows)


def bootstrap_ratio(start: np.ndarray, end: np.ndarray, *, n_boot: int = 2000, seed: int = 0,
                    progress: bool | None = None) -> np.ndarray:
    """Bootstrap draws of sum(end) / sum(start) over customers resampled with replacement."""
    rng = np.random.default_rng(seed)
    n = len(start)
    out = np.empty(n_boot)
    chunk = max(1, min(n_boot, 20_000_000 // max(n, 1)))  # bound the index matrix to ~160 MB
    began = time.perf_counter()
    bar = None
    done = 0
    while done < n_boot:
        k = min(chunk, n_boot - done)
        idx = rng.integers(0, n, size=(k, n))
        s, e = start[idx].sum(axis=1), end[idx].sum(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            out[done : done + k] = np.where(s > 0, e / np.where(s > 0, s, 1), np.nan)
        done += k
        if bar is None and progress is not False and (progress or time.perf_counter() - began > 1.0) and done < n_boot:
            from tqdm.auto import tqdm

            bar = tqdm(total=n_boot, initial=done, desc="bootstrap", unit="draw")
        elif bar is not None:
            bar.update(k)
    if bar is not None:
        bar.close()
    return out


def ratio_interval(start: np.ndarray, end: np.ndarray, *, level: float = 0.9, n_boot: int = 2000, seed: int = 0,
                   progress: bool | None = None) -> tuple[float, float]:
    """The percentile-bootstrap interval of sum(end) / sum(start) over customers (one pair each).

    The customers are resampled in an order fixed by their amounts alone, so that renaming
    them (pseudonyms) or reordering the rows cannot move the interval: equal (start, end)
    pairs are interchangeable, so any order among them gives the same draws.
    """
    start, end = np.asarray(start, dtype="float64"), np.asarray(end, dtype="float64")
    if len(start) == 0:
        return float("nan"), float("nan")
    order = np.lexsort((end, start))
    draws = bootstrap_ratio(start[order], end[order], n_boot=n_boot, seed=seed, progress=progress)
    lo, hi = np.nanquantile(draws, [(1 - level) / 2, 1 - (1 - level) / 2])
    return float(lo), float(hi)


def nrr_interval(
    mrr: pd.DataFrame,
    *,
    window: int = 12,
    level: float = 0.9,
    n_boot: int = 2000,
    seed: int = 0,
    month=None,
    progress: bool | None = None,
) -> Record:
    """A bootstrap interval for NRR over the base-cohort customers.

    The base cohort is resampled with replacement ``n_boot`` times and NRR
    recomputed each time; the interval holds the central ``level`` of those draws
    (percentile bootstrap).  It answers "how much could this figure move with a
    slightly different set of customers?": a founder with 40 customers should not
    quote 130% without it.  A progress bar appears when the work takes over a second.

    The customers are resampled in the order of their (start, end) amounts, not of
    their ids: the interval depends on the amounts only, so pseudonyms or another
    row order give the same interval for the same seed.

    Returns a record with ``nrr, low, high, level, customers, n_boot, seed, month,
    base_month, method``.
    """
    if not 0 < level < 1:
        raise DataError(f"level is {level!r}; give it as a fraction such as 0.9 for a 90% interval")
    if n_boot < 100:
        raise DataError(f"n_boot is {n_boot}; use at least 100 draws (2000 is the default)")
    acc = accounts(mrr, window=window, month=month)
    start, end = acc["start_mrr"].to_numpy(), acc["end_mrr"].to_numpy()
    lo, hi = ratio_interval(start, end, level=level, n_boot=n_boot, seed=seed, progress=progress)
    return Record(
        nrr=float(end.sum() / start.sum()), low=float(lo), high=float(hi), level=level, customers=len(acc),
        n_boot=n_boot, seed=seed, month=label(acc["month"].iloc[0]), base_month=label(acc["base_month"].iloc[0]),
        method="percentile bootstrap over base-cohort customers (resampled with replacement)",
    )
