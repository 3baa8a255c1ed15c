"""Subscription and contract lines (``customer_id, start, end, amount, interval``) into month-end MRR."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from ..errors import DataError
from ..parsing import parse_money
from .columns import resolve
from .files import Raw, read_source
from .lines import Lines, currency_codes, currency_role, line_periods, optional_column, to_table

__all__ = ["from_subscriptions", "INTERVAL_FACTORS", "NOT_REVENUE"]

#: Factors that turn one billing interval's amount into MRR.  Tools disagree on
#: weeks and days; these are the defaults of docs/definitions.md, section 1.
INTERVAL_FACTORS: dict[str, float] = {
    "month": 1.0,
    "quarter": 1 / 3,
    "half-year": 1 / 6,
    "year": 1 / 12,
    "week": 52 / 12,
    "day": 365 / 12,
}
_INTERVAL_ALIASES = {
    "month": "month", "monthly": "month", "mo": "month", "m": "month", "1m": "month", "months": "month",
    "quarter": "quarter", "quarterly": "quarter", "q": "quarter", "3m": "quarter", "quarters": "quarter",
    "half-year": "half-year", "halfyear": "half-year", "half year": "half-year", "semiannual": "half-year",
    "semi-annual": "half-year", "biannual": "half-year", "6m": "half-year",
    "year": "year", "yearly": "year", "annual": "year", "annually": "year", "y": "year", "12m": "year",
    "years": "year",
    "week": "week", "weekly": "week", "w": "week", "weeks": "week",
    "day": "day", "daily": "day", "d": "day", "days": "day",
}
_EVERY = re.compile(r"^(?:every\s+)?(\d+)\s*[- ]?\s*([a-z\- ]+?)s?$")

#: Statuses of a billing export that are not revenue (a trial, a payment never completed).
NOT_REVENUE = ("trialing", "incomplete", "incomplete_expired", "paused")


def from_subscriptions(
    source: Any,
    *,
    customer: str = "customer_id",
    start: str = "start",
    end: str = "end",
    amount: str = "amount",
    interval: str = "interval",
    interval_count: str | None = None,
    quantity: str | None = None,
    amount_is: str = "total",
    status: str | None = None,
    not_revenue: tuple[str, ...] | list[str] = NOT_REVENUE,
    currency: str | None = None,
    rates: Any = None,
    basis: str = "constant",
    as_of: Any = None,
    renewal_grace: int = 0,
    factors: dict[str, float] | None = None,
    decimal: str = ".",
    sheet: str | int | None = None,
    max_month: Any = None,
    month_format: str | None = None,
    keep: list[str] | None = None,
    shape_reason: str = "",
    _raw: Raw | None = None,
) -> pd.DataFrame:
    """Turn subscription or contract lines into the MRR table (a month-end snapshot).

    A line counts in month *m* when it is active on the last day of *m*:
    ``start <= month end`` and (``end`` is empty or ``end > month end``).  An empty
    ``end`` runs to ``as_of`` (default: the latest month among the starts and ends).
    The table's span (its horizon) runs to that month too, so a line that ends before it
    churns in the month it ends, even when no line is active afterwards.

    Amounts are normalised to a month with ``factors`` (default :data:`INTERVAL_FACTORS`:
    month x1, quarter /3, half-year /6, year /12, week x52/12, day x365/12); an interval
    written ``every 3 months`` (or a count in ``interval_count``) divides by the count.
    Billing exports also carry, each read when the column exists (or is named):

    - ``quantity``: seats; ``amount_is="unit"`` multiplies the amount by it, ``"total"``
      (default) takes the amount as the line's total.  A quantity of 0 or less is an error.
    - ``status``: lines whose status is in ``not_revenue`` (default trialing, incomplete,
      incomplete_expired, paused) are not revenue; they are left out and counted in the load
      report, which also lists the statuses counted as revenue.
    - ``currency``: a column of currency codes, converted with ``rates`` (see
      :mod:`nrrkit.io.currency`); a currency code such as ``"USD"`` names the one currency.

    ``renewal_grace`` (days, default 0) bridges a gap shorter than that between two paid
    periods of one customer as continuous revenue.  Several lines of one customer in one
    month are summed; attribute columns named in ``keep`` are carried from the line.

    Examples
    --------
    >>> import pandas as pd, nrrkit as nk
    >>> lines = pd.DataFrame({"customer_id": ["a", "a"], "start": ["2024-01-01", "2024-03-01"],
    ...                       "end": ["2024-03-01", None], "amount": [1200, 300], "interval": ["year", "quarter"]})
    >>> t = nk.from_subscriptions(lines, as_of="2024-04")
    >>> t.assign(month=t.month.astype(str))[["month", "mrr"]].values.tolist()
    [['2024-01-01', 100.0], ['2024-02-01', 100.0], ['2024-03-01', 100.0], ['2024-04-01', 100.0]]
    """
    if amount_is not in ("total", "unit"):
        raise DataError(f"amount_is must be 'total' (the line's amount) or 'unit' (per seat, times quantity), "
                        f"not {amount_is!r}")
    table_factors = dict(INTERVAL_FACTORS)
    if factors:
        for k, v in factors.items():
            table_factors[_INTERVAL_ALIASES.get(k.strip().lower(), k)] = float(v)
    raw = _raw if _raw is not None else read_source(source, sheet=sheet)
    cols = resolve(raw, {"customer_id": customer, "start": start, "end": end, "amount": amount, "interval": interval})
    frame = raw.frame
    if len(frame) == 0:
        raise DataError(f"{raw.source}: has a header but no data rows; add one row per subscription line")
    left_out: list[dict] = []
    status_col = optional_column(raw, status, "status")
    if status_col is not None:
        flags = {s.strip().lower() for s in not_revenue}
        st = frame[status_col].astype(str).str.strip().str.lower()
        drop = st.isin(flags).to_numpy()
        kept = st[~drop].value_counts()
        status_note = ("statuses counted as revenue: " + ", ".join(f"{k} {n:,}" for k, n in kept.items())
                       + f" (not revenue: {', '.join(sorted(flags))}; not_revenue= changes the list)")
        if drop.any():
            counts = st[drop].value_counts()
            shown = ", ".join(f"{n} {k}" for k, n in counts.items())
            left_out.append({"what": f"{int(drop.sum())} line(s) whose status is not revenue ({shown}; column "
                                     f"'{status_col}', first at {raw.locate(int(np.argmax(drop)))})",
                             "rows": int(drop.sum()), "label": "status", "mrr": 0.0,
                             "first_row": raw.locate(int(np.argmax(drop)))})
            raw = raw.subset(np.flatnonzero(~drop))
            frame = raw.frame
            if len(frame) == 0:
                raise DataError(f"{raw.source}: every line has a status that is not revenue ({shown})")
    cust_codes, cust_names, starts, ends = line_periods(raw, cols, month_format)
    cur_col, label = currency_role(raw, currency)
    money, symbol = parse_money(frame[cols["amount"]], raw.where(cols["amount"]), decimal=decimal,
                                one_symbol=cur_col is None)
    factor, counts = _interval_factors(raw, cols["interval"], table_factors)
    count_col = optional_column(raw, interval_count, "interval_count")
    if count_col is not None:
        n, _ = parse_money(frame[count_col], raw.where(count_col))
        bad = (n <= 0) | (n != np.round(n))
        if bad.any():
            pos = int(np.argmax(bad))
            raise raw.where(count_col).error(pos, frame[count_col].iloc[pos], "is not a whole number of intervals",
                                             "write 1, 2, 3, ... (every 3 months is 3)", int(bad.sum()) - 1)
        counts = counts * n
    qty_col = optional_column(raw, quantity, "quantity")
    if qty_col is not None:
        blank = frame[qty_col].isna().to_numpy() | (frame[qty_col].astype(str).str.strip() == "").to_numpy()
        if blank.any():
            pos = int(np.argmax(blank))
            raise raw.where(qty_col).error(pos, "", "is empty", "write the number of seats (1 or more), or delete the "
                                           "line if it is not revenue", int(blank.sum()) - 1)
        q, _ = parse_money(frame[qty_col], raw.where(qty_col), signed=True)
        bad = q <= 0
        if bad.any():
            pos = int(np.argmax(bad))
            raise raw.where(qty_col).error(pos, frame[qty_col].iloc[pos], "is not a quantity above 0",
                                           "a line with no seats is not revenue: fix or delete it", int(bad.sum()) - 1)
        if amount_is == "unit":
            money = money * q
    backwards = ~np.isnat(ends) & (ends < starts)
    if backwards.any():
        pos = int(np.argmax(backwards))
        raise raw.where(cols["end"]).error(pos, frame[cols["end"]].iloc[pos], "is before the line's start",
                                           "swap start and end, or fix the date")
    lines = Lines(raw, cust_codes, cust_names, starts, ends, money * factor / counts,
                  codes=currency_codes(raw, cur_col) if cur_col else None, symbol=symbol, left_out=left_out,
                  currency_column=cur_col or "")
    lines.carry(keep)
    if status_col is not None:
        lines.notes.append(status_note)
    if qty_col is not None:
        lines.notes.append(f"column '{qty_col}' read as the quantity; amounts are "
                           + ("per unit, multiplied by it" if amount_is == "unit" else "line totals (amount_is='total')"))
    return to_table(lines, as_of=as_of, max_month=max_month, rates=rates, basis=basis, renewal_grace=renewal_grace, currency_label=label,
                    shape="subscriptions", reason=shape_reason or "the file has start and end dates per line",
                    first_note="")


def _interval_factors(raw: Raw, column: str, table: dict[str, float]) -> tuple[np.ndarray, np.ndarray]:
    """Each line's factor to a month and its interval count (``every 3 months``: month, 3)."""
    texts = raw.frame[column].astype(str).str.strip().str.lower()
    factor = np.empty(len(texts))
    count = np.ones(len(texts))
    uniq = pd.unique(texts)
    parsed: dict[str, tuple[float, float] | None] = {}
    for u in uniq:
        name = _INTERVAL_ALIASES.get(u, u if u in table else None)
        n = 1.0
        if name is None:
            m = _EVERY.match(u)
            if m:
                word = m.group(2).strip()
                name = _INTERVAL_ALIASES.get(word, _INTERVAL_ALIASES.get(word + "s"))
                n = float(m.group(1))
                if n <= 0:
                    name = None
        parsed[u] = (table[name], n) if name is not None and name in table else None
    bad = texts.map(lambda u: parsed[u] is None).to_numpy(dtype=bool)
    if bad.any():
        pos = int(np.argmax(bad))
        raise raw.where(column).error(pos, raw.frame[column].iloc[pos], "is not a billing interval",
                                      f"use one of {', '.join(table)} (or 'every 3 months')", int(bad.sum()) - 1)
    pairs = texts.map(parsed)
    factor[:] = [p[0] for p in pairs]
    count[:] = [p[1] for p in pairs]
    return factor, count
