"""Invoice lines with a service period (no interval) into month-end MRR (docs/definitions.md, section 1)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..errors import DataError
from ..parsing import parse_money
from .columns import resolve
from .files import Raw, read_source
from .lines import Lines, currency_codes, currency_role, line_periods, to_table

__all__ = ["from_invoices", "DAYS_PER_MONTH"]

#: An average month, in days: a period's length in months is its days / (365 / 12).
DAYS_PER_MONTH = 365 / 12


def from_invoices(
    source: Any,
    *,
    customer: str = "customer_id",
    start: str = "start",
    end: str = "end",
    amount: str = "amount",
    currency: str | None = None,
    rates: Any = None,
    basis: str = "constant",
    as_of: Any = None,
    keep: list[str] | None = None,
    renewal_grace: int = 0,
    end_inclusive: bool = False,
    decimal: str = ".",
    sheet: str | int | None = None,
    max_month: Any = None,
    month_format: str | None = None,
    shape_reason: str = "",
    _raw: Raw | None = None,
) -> pd.DataFrame:
    """Turn invoice lines with a service period into the MRR table (a month-end snapshot).

    Each line's amount pays for the whole period from ``start`` to ``end``; its MRR is
    ``amount / (days / (365/12))``, counted at every month end inside the period (start on or
    before the month end, end after it).  ``end`` is the first day no longer paid for; a file
    whose ends are the last paid day says ``end_inclusive=True`` (a day is added to each end).

    - Credit notes and refunds are negative lines: they net against the customer's other
      lines in the same months; only a negative *net* customer-month is an error, naming the
      customer, the month and the lines behind it.
    - A line whose start and end are the same day as written (a one-time charge: setup, a
      service fee) is not recurring revenue: the load report counts it and its value; it is not
      spread (also with ``end_inclusive=True``).
    - ``currency`` names a column of currency codes converted with ``rates`` (a dict of fixed
      rates, or a table by month; see :mod:`nrrkit.io.currency`), or is the one currency.
    - ``renewal_grace`` (days) bridges a gap shorter than that between two paid periods of
      one customer (a renewal paid late) as continuous revenue.
    - The load report reconciles the money to the cent: the lines' total value = the value
      of the days inside the span + before it + after it + one-time charges.

    Examples
    --------
    >>> import pandas as pd, nrrkit as nk
    >>> lines = pd.DataFrame({"customer_id": ["a", "a"], "start": ["2024-01-01", "2024-02-01"],
    ...                       "end": ["2025-01-01", "2024-02-01"], "amount": [3660, 500]})
    >>> t = nk.from_invoices(lines, as_of="2024-03")
    >>> t.assign(month=t.month.astype(str))[["month", "mrr"]].round(2).values.tolist()
    [['2024-01-01', 304.17], ['2024-02-01', 304.17], ['2024-03-01', 304.17]]
    """
    raw = _raw if _raw is not None else read_source(source, sheet=sheet)
    cols = resolve(raw, {"customer_id": customer, "start": start, "end": end, "amount": amount})
    frame = raw.frame
    if len(frame) == 0:
        raise DataError(f"{raw.source}: has a header but no data rows; add one row per invoice line")
    cust_codes, cust_names, starts, ends = line_periods(raw, cols, month_format)
    if np.isnat(ends).any():
        pos = int(np.argmax(np.isnat(ends)))
        raise raw.where(cols["end"]).error(pos, "", "is empty", "an invoice line pays for a period: give the first "
                                           "day it no longer pays for", int(np.isnat(ends).sum()) - 1)
    # a line whose start and end are the same day as written is a one-time charge, whatever the end convention
    one_time = ends == starts
    if end_inclusive:
        ends = ends + np.timedelta64(1, "D")
        ends = np.where(one_time, starts, ends)
    backwards = ends < starts
    if backwards.any():
        pos = int(np.argmax(backwards))
        raise raw.where(cols["end"]).error(
            pos, frame[cols["end"]].iloc[pos], "is before the line's start",
            "swap start and end, or fix the date" + ("" if end_inclusive else
                                                       " (if ends are the last paid day, pass end_inclusive=True)"))
    cur_col, label = currency_role(raw, currency)
    money, symbol = parse_money(frame[cols["amount"]], raw.where(cols["amount"]), decimal=decimal, signed=True,
                                one_symbol=cur_col is None)
    days = (ends - starts).astype("int64")
    with np.errstate(divide="ignore", invalid="ignore"):
        mrr = np.where(one_time, 0.0, money / (days / DAYS_PER_MONTH))
    lines = Lines(raw, cust_codes, cust_names, starts, ends, mrr,
                  codes=currency_codes(raw, cur_col) if cur_col else None, symbol=symbol, value=money,
                  currency_column=cur_col or "")
    lines.carry(keep)
    credits = (money < 0) & ~one_time
    if credits.any():
        lines.notes.append(f"{int(credits.sum())} credit line(s) (negative amounts, {money[credits].sum():,.2f} in "
                           f"all) net against the customers' other lines of the same months")
    lines.notes.append("ends read as " + ("the last paid day (end_inclusive=True: one day added)" if end_inclusive
                                          else "the first day no longer paid for (exclusive)"))
    return to_table(lines, as_of=as_of, max_month=max_month, rates=rates, basis=basis, renewal_grace=renewal_grace, currency_label=label,
                    shape="invoices", reason=shape_reason or "the file has service periods and no interval column",
                    first_note=f"; MRR = amount / (days / {DAYS_PER_MONTH:.4g})", one_time=one_time)
