"""Invoice lines with a service period (no interval) into month-end MRR (docs/definitions.md, section 1)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..errors import DataError
from ..parsing import parse_money
from .columns import resolve
from .currency import currency_role
from .files import Raw, read_source
from .lines import Lines, currency_codes, line_periods, optional_column, to_table

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
    amounts_in: str | None = None,
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
    export: str | None = None,
    status: str | None = None,
    not_revenue: tuple[str, ...] | list[str] | None = None,
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
      rates, or a table by month; see :mod:`nrrkit.io.currency`); ``amounts_in="AUD"`` says
      every amount is already in AUD.
    - ``export`` names a known export (``"stripe_invoice_lines"``; default: recognised from the
      header), whose documented columns replace the column keywords.
    - ``status`` (default: a ``status`` column, or the export's invoice status): the one documented
      list of statuses (:data:`nrrkit.io.exports.STATUS_RULES`) applies to invoice lines too: a line
      of a void invoice is never revenue, of a draft not yet; paid, open and uncollectible are
      revenue (as past_due and unpaid are).  ``not_revenue`` adds statuses that are never revenue.
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
    from .exports import REVENUE, mapping, profile
    from .long import customer_ids
    from .terms import status_left_out, status_rules

    raw = _raw if _raw is not None else read_source(source, sheet=sheet)
    prof = profile(export, raw.frame.columns)
    if prof is not None and prof.shape != "invoices":
        prof = None if export is None else prof
        if prof is not None:
            raise DataError(f"{raw.source}: export={export!r} is a subscriptions export; read it with "
                            f"from_subscriptions or read_mrr")
    extra_notes = []
    if prof is not None:
        roles = mapping(prof, raw.frame.columns)
        cols = {r: roles[r] for r in ("customer_id", "start", "end", "amount")}
        given = {r: v for r, v, d in (("customer_id", customer, "customer_id"), ("start", start, "start"),
                                      ("end", end, "end"), ("amount", amount, "amount")) if v != d}
        cols.update(resolve(raw, given) if given else {})
        raw.used.update(cols.values())
        extra_notes.append(f"recognised {prof.vendor}'s export ({prof.name}): " + "; ".join(
            f"{r} <- '{c}'" for r, c in roles.items() if r != "invoice"))
        if roles.get("plan") and roles["plan"] not in (keep or []):
            keep = [*(keep or []), roles["plan"]]
    else:
        cols = resolve(raw, {"customer_id": customer, "start": start, "end": end, "amount": amount})
    frame = raw.frame
    if len(frame) == 0:
        raise DataError(f"{raw.source}: has a header but no data rows; add one row per invoice line")
    status_col = roles.get("status") if prof is not None and status is None else optional_column(raw, status,
                                                                                                  "status")
    if status_col is not None:
        raw.used.add(status_col)
    rule, st, status_note = status_rules(raw, status_col, not_revenue, None)
    status_out: list[dict] = []
    if (rule != REVENUE).any():  # lines a status leaves out are not read further (their dates may be anything)
        codes_all, names_all = customer_ids(frame[cols["customer_id"]], raw.where(cols["customer_id"]))
        status_out = status_left_out(raw, rule, st, names_all, codes_all)
        if (rule != REVENUE).all():
            raise DataError(f"{raw.source}: no line is revenue ({'; '.join(x['what'] for x in status_out)})")
        raw = raw.subset(np.flatnonzero(rule == REVENUE))
        frame = raw.frame
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
    if prof is not None and currency is None and amounts_in is None and roles.get("currency"):
        currency = roles["currency"]  # the export's documented column of codes
    cur_col, label = currency_role(raw, currency, amounts_in)
    money, symbol = parse_money(frame[cols["amount"]], raw.where(cols["amount"]), decimal=decimal, signed=True,
                                one_symbol=cur_col is None)
    days = (ends - starts).astype("int64")
    with np.errstate(divide="ignore", invalid="ignore"):
        mrr = np.where(one_time, 0.0, money / (days / DAYS_PER_MONTH))
    lines = Lines(raw, cust_codes, cust_names, starts, ends, mrr,
                  codes=currency_codes(raw, cur_col) if cur_col else None, symbol=symbol, value=money,
                  currency_column=cur_col or "", left_out=status_out)
    if status_note:
        lines.notes.append(status_note)
    lines.carry(keep)
    credits = (money < 0) & ~one_time
    if credits.any():
        lines.notes.append(f"{int(credits.sum())} credit line(s) (negative amounts, {money[credits].sum():,.2f} in "
                           f"all) net against the customers' other lines of the same months")
    lines.notes.extend(extra_notes)
    lines.notes.append("ends read as " + ("the last paid day (end_inclusive=True: one day added)" if end_inclusive
                                          else "the first day no longer paid for (exclusive)"))
    return to_table(lines, as_of=as_of, max_month=max_month, rates=rates, basis=basis, renewal_grace=renewal_grace, currency_label=label,
                    shape="invoices", reason=shape_reason or "the file has service periods and no interval column",
                    first_note=f"; MRR = amount / (days / {DAYS_PER_MONTH:.4g})", one_time=one_time)
