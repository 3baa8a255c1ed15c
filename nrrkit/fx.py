"""Exchange-rate effects when amounts in several currencies are read at each month's rate.

A table read with ``rates=<table by month>, basis="actual"`` holds ``mrr`` at each month's own
rate, the local amount in :data:`LOCAL_COLUMN`, the currency code in :data:`CURRENCY_COLUMN`,
and the rates in ``attrs["fx_rates"]``.  Its bridge has an ``fx`` line (docs/definitions.md,
section 1): each month's movements (new, reactivation, expansion, contraction, churn) are
valued at that month's rates, so they move only with what customers pay, and

    fx(t) = sum over currencies of (rate(t) - rate(t-1)) x the opening MRR in that currency

is the revaluation of the customers' MRR between the two months, so that
``end = start + fx + new + reactivation + expansion - contraction - churn`` holds at actual
rates.  Retention reads the table at constant rates (each currency at the rate of the span's
last month) unless told ``currency_basis="actual"``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .errors import DataError
from .io.currency import CURRENCY_COLUMN, LOCAL_COLUMN
from .months import STEP, labels, month_starts, ordinals

__all__ = ["LOCAL_COLUMN", "CURRENCY_COLUMN", "BASES", "has_fx", "at_basis", "bridge_with_fx"]

BASES = ("constant", "actual")
_AMOUNTS = ("new", "reactivation", "expansion", "contraction", "churn")


def has_fx(mrr) -> bool:
    return isinstance(mrr, pd.DataFrame) and LOCAL_COLUMN in mrr.columns and isinstance(mrr.attrs.get("fx_rates"), dict)


def _codes(mrr: pd.DataFrame) -> np.ndarray:
    column = mrr.attrs.get("fx_currency", CURRENCY_COLUMN)
    return mrr[column].astype(str).str.strip().str.upper().to_numpy()


def _rate_lookup(mrr: pd.DataFrame) -> dict[str, dict[int, float]]:
    return {code: {int(pd.Period(m, "M").ordinal): float(r) for m, r in by_month.items()}
            for code, by_month in mrr.attrs["fx_rates"].items()}


def at_basis(mrr: pd.DataFrame, basis: str) -> pd.DataFrame:
    """The table with ``mrr`` at ``basis`` rates ("constant" or "actual"); other tables as they are."""
    if basis not in BASES:
        raise DataError(f"currency_basis must be 'constant' or 'actual', not {basis!r}")
    if not has_fx(mrr):
        return mrr
    out = mrr.drop(columns=[LOCAL_COLUMN])
    out.attrs = {k: v for k, v in mrr.attrs.items() if not k.startswith("fx_")}
    if basis == "constant":
        rates = _rate_lookup(mrr)
        last = int(pd.Period(mrr.attrs["fx_last"], "M").ordinal)
        codes = _codes(mrr)
        out["mrr"] = mrr[LOCAL_COLUMN].to_numpy() * np.array([rates[c][last] for c in codes])
    out.attrs["currency_basis"] = basis
    return out


def bridge_with_fx(mrr: pd.DataFrame, bridge, *, freq: str = "M", by: str | None = None,
                   reactivation_window: int | None = None) -> pd.DataFrame:
    """The bridge at actual rates, movements at each month's rates, and the ``fx`` line.

    ``bridge`` is :func:`nrrkit.bridge` itself, which calls this function for a table read at
    each month's rates: it computes the bridge of each currency's local amounts, which this
    function values at the rates of each month.
    """
    rates = _rate_lookup(mrr)
    key = "__segment_currency__"
    seg = mrr[by].astype(str) if by is not None else pd.Series("", index=mrr.index)
    local = mrr.drop(columns=[c for c in ("mrr",) if c in mrr.columns]).rename(columns={LOCAL_COLUMN: "mrr"})
    local = local.assign(**{key: seg.to_numpy() + "\x1f" + _codes(mrr).astype(object)})
    local.attrs = {k: v for k, v in mrr.attrs.items() if k != "fx_rates"}
    monthly = bridge(local, freq="M", by=key, reactivation_window=reactivation_window)
    parts = monthly[key].str.split("\x1f", n=1, expand=True)
    monthly["__seg__"], monthly["__cur__"] = parts[0], parts[1]
    t = ordinals(monthly["period"])
    r_now = np.array([rates[c].get(int(m), np.nan) for c, m in zip(monthly["__cur__"], t)])
    r_before = np.array([rates[c].get(int(m) - 1, np.nan) for c, m in zip(monthly["__cur__"], t)])
    # the first month of the span has no opening MRR: its rate before does not matter
    r_before = np.where(monthly["start_mrr"].to_numpy() == 0, r_now, r_before)
    if np.isnan(r_now).any() or np.isnan(r_before).any():
        raise DataError("rates: the table needs a rate for every currency in every month of the span")
    valued = pd.DataFrame({"period": monthly["period"], "__seg__": monthly["__seg__"]})
    valued["start_mrr"] = monthly["start_mrr"] * r_before
    valued["fx"] = monthly["start_mrr"] * (r_now - r_before)
    for k in _AMOUNTS:
        valued[k] = monthly[k] * r_now
    valued["end_mrr"] = monthly["end_mrr"] * r_now
    counts = [c for c in monthly.columns if c.startswith("customers") or c.endswith("_customers")]
    for c in counts:
        valued[c] = monthly[c]
    step = STEP[{"A": "Y"}.get(str(freq).upper()[0], str(freq).upper()[0])]
    if step > 1:  # each month's quarter (year), as its first day
        valued["period"] = month_starts(t // step * step)
    group = ["period", "__seg__"]
    flows = valued.groupby(group, sort=True)[["fx", *_AMOUNTS, *[c for c in counts if c not in
                                                                ("customers_start", "customers_end")]]].sum()
    month_order = t
    valued["__m__"] = month_order
    first_m = valued.groupby(group)["__m__"].transform("min") == valued["__m__"]
    last_m = valued.groupby(group)["__m__"].transform("max") == valued["__m__"]
    start = valued[first_m].groupby(group)[["start_mrr", "customers_start"]].sum()
    end = valued[last_m].groupby(group)[["end_mrr", "customers_end"]].sum()
    out = pd.concat([start, flows, end], axis=1).fillna(0).reset_index()
    reference = bridge(at_basis(mrr, "actual"), freq=freq, by=by, reactivation_window=reactivation_window)
    out = out.rename(columns={"__seg__": by}) if by is not None else out.drop(columns="__seg__")
    months_in = valued.groupby("period")["__m__"].nunique()
    full = {"M": 1, "Q": 3, "Y": 12, "A": 12}[str(freq).upper()[0]]
    out["complete"] = out["period"].map(months_in).to_numpy() == full
    if "period_label" in reference.columns:
        out["period_label"] = labels(ordinals(out["period"]), str(freq).upper()[0], months=True)
    columns = [c for c in reference.columns]
    columns.insert(columns.index("start_mrr") + 1, "fx")
    out = out[columns]
    out.attrs = dict(reference.attrs)
    card = out.attrs.get("definition")
    if card is not None:
        card = type(card)(**card)
        card.currency = (f"{card.currency}; movements at each month's rates, fx = the revaluation of the "
                         f"opening MRR between months")
        out.attrs["definition"] = card
    return out
