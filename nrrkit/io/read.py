"""The front door: :func:`read_mrr` reads any supported shape and says which one it read and why."""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from ..engine import plain_pages
from ..errors import DataError
from .columns import resolve
from .exports import known_unused, mapping, profile
from .files import Raw, norm_name, read_source, source_name
from .filters import apply_where, column_warnings
from .invoices import from_invoices
from .long import canonical
from .progress import reading
from .subscriptions import from_subscriptions
from .totals import check_totals_option
from .wide import from_wide, month_columns

__all__ = ["read_mrr", "SHAPES", "detect_shape"]

SHAPES = ("auto", "long", "wide", "subscriptions", "invoices")


def _has(raw: Raw, name: str) -> bool:
    cols = list(map(str, raw.frame.columns))
    return name in cols or any(norm_name(c) == norm_name(name) for c in cols)


def detect_shape(raw: Raw, *, customer: str, month: str, mrr: str, start: str, end: str,
                 month_format: str | None = None, interval: str = "interval") -> tuple[str, str]:
    """The shape of a file and the reason, from its header alone."""
    if _has(raw, month) and _has(raw, mrr):
        return "long", f"it has a '{month}' and an '{mrr}' column (one row per customer and month)"
    skip = {c for c in raw.frame.columns if norm_name(c) == norm_name(customer)}
    months = _months_in_header(raw, skip, month_format)
    if len(months) >= 2:
        return "wide", (f"{len(months)} column headers are months ({months[0][0]} to {months[-1][0]}): "
                        f"one row per customer, one column per month")
    if not (_has(raw, start) and _has(raw, end)):
        problem = _header_problem(raw, skip, month_format)
        if problem is not None:  # a header that looks like a month but is not one: the clearest thing to say
            raise problem
    if _has(raw, start) and _has(raw, end):
        if _has(raw, interval):
            return "subscriptions", (f"it has '{start}' and '{end}' date columns and an '{interval}' column "
                                     f"(one row per subscription line)")
        return "invoices", (f"it has '{start}' and '{end}' date columns and no '{interval}' column (invoice lines: "
                            f"each amount pays for its whole period)")
    return "long", ""


def _months_in_header(raw: Raw, skip: set, month_format) -> list:
    """The month columns of a header, for detection only (the reader reports them itself)."""
    n_notes = len(raw.notes)
    try:
        months, _t, _a = month_columns(raw, skip, month_format=month_format, max_month=pd.Period("2999-12", "M"))
    except DataError:
        months = []
    del raw.notes[n_notes:]
    return months


def _header_problem(raw: Raw, skip: set, month_format) -> DataError | None:
    """The error a wide reading of the header raises (a header that looks like a month but is not one), if any,
    when at least one other header is a month."""
    n_notes = len(raw.notes)
    try:
        month_columns(raw, skip, month_format=month_format, max_month=pd.Period("2999-12", "M"))
        return None
    except DataError as exc:
        others = [c for c in raw.frame.columns if c not in skip and _months_in_header(
            Raw(raw.frame.iloc[:0][[c]], raw.source, raw.kind, None, []), set(), month_format)]
        return exc if others else None
    finally:
        del raw.notes[n_notes:]


def _hint(raw: Raw, shape: str, *, customer: str, start: str, end: str, month_format) -> str:
    """A sentence telling which shape a file that failed as ``shape`` looks like, and how to read it."""
    months = _months_in_header(raw, set(), month_format)
    if shape != "wide" and len(months) >= 2:
        return (f"the file looks wide ({len(months)} column headers are months): read it with shape='wide' "
                f"(CLI: --shape wide)")
    cols = list(map(str, raw.frame.columns))
    words = {"start", "started", "end", "ended", "ends", "from", "to", "period", "begin", "cancel", "canceled",
             "cancelled", "valid", "until"}
    datey = [c for c in cols if words & set(re.split(r"[^a-z]+", re.sub(r"([a-z])([A-Z])", r"\1 \2", c).lower()))]
    has_interval = any(w in c.lower() for c in cols for w in ("interval", "billing period", "frequency", "plan"))
    if len(datey) >= 2 and has_interval and shape != "subscriptions":
        return (f"the file looks like subscription lines (columns {', '.join(repr(c) for c in datey[:3])}): read it with "
                f"shape='subscriptions' and start=, end=, amount=, interval= (CLI: --shape subscriptions "
                f"--start-col ... --end-col ... --amount-col ... --interval-col ...)")
    if len(datey) >= 2 and shape != "invoices":
        return (f"the file looks like invoice lines with a service period (columns "
                f"{', '.join(repr(c) for c in datey[:3])}): read it with shape='invoices' and start=, end=, amount= "
                f"(CLI: --shape invoices --start-col ... --end-col ... --amount-col ...)")
    return ""


def read_mrr(
    source: Any,
    *,
    shape: str = "auto",
    customer: str = "customer_id",
    month: str = "month",
    mrr: str = "mrr",
    start: str = "start",
    end: str = "end",
    amount: str = "amount",
    interval: str = "interval",
    keep: list[str] | None = None,
    interval_count: str | None = None,
    quantity: str | None = None,
    amount_is: str | None = None,
    status: str | None = None,
    not_revenue: tuple[str, ...] | list[str] | None = None,
    currency: str | None = None,
    amounts_in: str | None = None,
    rates: Any = None,
    coupons: Any = None,
    where: str | None = None,
    export: str | None = None,
    basis: str = "constant",
    renewal_grace: int = 0,
    end_inclusive: bool = False,
    as_of: Any = None,
    through: Any = None,
    totals: str = "drop",
    duplicates: str = "sum",
    month_format: str | None = None,
    decimal: str = ".",
    sheet: str | int | None = None,
    max_month: Any = None,
    factors: dict[str, float] | None = None,
    progress: bool | None = None,
) -> pd.DataFrame:
    """Read revenue data of any supported shape into the canonical MRR table.

    Parameters
    ----------
    source : path or DataFrame
        A ``.csv`` (comma, semicolon, tab or pipe separated; UTF-8, with or without a
        byte-order mark, or Windows-1252), ``.xlsx`` or ``.parquet`` file, or a DataFrame.
    shape : {"auto", "long", "wide", "subscriptions", "invoices"}
        ``long``: one row per customer and month.  ``wide``: one row per customer, one
        column per month (a founder's sheet; see :func:`from_wide`).  ``subscriptions``:
        contract lines with start and end dates and a billing interval (see
        :func:`from_subscriptions`).  ``invoices``: lines whose amount pays for a service
        period, with no interval (see :func:`from_invoices`).  ``auto`` (default) reads the
        header: a month and an MRR column make it long; several month headers make it wide;
        start and end columns make it subscriptions (with an interval column) or invoices.
        The load report says which shape was read and why.
    customer, month, mrr : str
        Column names of the long shape (``customer`` for every shape).  A name that
        differs only by case, spaces or underscores (``MRR``, ``Customer ID``) is matched
        and the match is reported.
    start, end, amount, interval, keep, interval_count, quantity, amount_is, status, not_revenue :
        Columns of subscription and invoice lines, attribute columns to keep from them, and
        the billing-export options of :func:`from_subscriptions` (statuses follow one
        documented list: past_due is revenue, trialing not yet, incomplete never).
    export : str, optional
        A known billing export (``"stripe_subscriptions"``, ``"stripe_invoice_lines"``,
        ``"chargebee_subscriptions"``, ``"recurly_subscriptions"``).  By default it is
        recognised from the header, and then no column keyword is needed; the load report names
        it and every column it used for what (docs/guide/billing-exports.md).
    coupons : path or DataFrame, optional
        The vendor's coupons export, for a subscriptions export that names only each line's
        coupon (Stripe's): its percent or amount off and duration (forever, once, repeating for
        N months) lower the line's MRR while it applies.
    where : str, optional
        Rows to keep, as a pandas query (``"cancelled == 0 and validInvoice == 1"``; a column
        name with spaces in backticks).  Applied before anything else; the load report and the
        definition card say which rows were left out and how much money they held.
    currency, amounts_in, rates, basis :
        ``currency`` names a column of currency codes (then ``rates`` converts them to one
        reporting currency: a dict of fixed rates or a table by month; ``basis`` "constant"
        or "actual").  ``amounts_in="AUD"`` says every amount is already in AUD (any currency
        column is then not used).  ``currency="AUD"`` when the file has no column of that
        name means the same; a name that is both a column and a code is refused with both
        readings.  A column of numbers is never read as currency codes.
    renewal_grace, end_inclusive :
        Lines only: bridge renewal gaps shorter than ``renewal_grace`` days; ends (of invoice
        and subscription lines alike) are the last paid day.
    as_of, through : str, optional
        The last month of the table's span (its horizon, docs/definitions.md section 1);
        ``through`` is the same keyword under another name.  By default the latest month
        with a row.  Months up to it in which nobody pays are still months: churn into
        them counts.  Rows after it are refused.
    totals : {"drop", "error"}
        A total or subtotal row (a label such as Total, or values equal to the sum of the
        rows above) or a total column is never a customer or a month: ``"drop"`` leaves it
        out and names it in the load report, ``"error"`` refuses the file.
    duplicates : {"sum", "error"}
        Several rows for one customer and month (several subscriptions) are summed, and
        the report says how many; ``"error"`` refuses them.
    month_format : str, optional
        A ``strptime`` layout such as ``"%d/%m/%Y"`` when months are not written year
        first (``2024-01``, ``2024-01-31``), as a month name (``Jan 2024``) or as
        ``01/2024``.  ``01/02/2024`` without a format is refused as ambiguous.
    decimal : {".", ","}
        The decimal mark of amounts written as text.  With ``","``, ``1.200,50`` reads as 1200.5.
    sheet : str or int, optional
        The sheet of an Excel file.  Without it a workbook must have one sheet with data.
    max_month : str, optional
        The latest month accepted (default: the current month, or ``as_of`` when later);
        later months are refused as typos.
    factors : dict, optional
        Interval factors of subscription lines (see :data:`INTERVAL_FACTORS`).
    progress : bool, optional
        A progress bar on standard error for a read that takes over 2 seconds; by default
        only when standard error is a terminal (never in a pipe or a test).

    Returns
    -------
    DataFrame
        ``customer_id, month, mrr`` and the input's other columns as attributes, one row per
        customer and month.  ``customer_id`` holds the ids as pandas text (``str``
        dtype), whatever the file stored them as.  ``.attrs["load_report"]`` holds the :class:`LoadReport`,
        ``.attrs["horizon"]`` the span of months (see :func:`horizon`).

    Raises
    ------
    DataError
        With one line naming the file, the row (as the file shows it), the column, the
        value and what to do.

    Examples
    --------
    >>> import pandas as pd, nrrkit as nk
    >>> raw = pd.DataFrame({"customer_id": [" a", "a", "b"],
    ...                     "month": ["2024-01", "2024-01-31", "2024-02"],
    ...                     "mrr": ["$1,200.50", "100", "80"]})
    >>> table = nk.read_mrr(raw)
    >>> table[["customer_id", "mrr"]].to_dict("list")
    {'customer_id': ['a', 'b'], 'mrr': [1300.5, 80.0]}
    >>> nk.load_report(table).rows_summed
    1
    """
    if shape not in SHAPES:
        raise DataError(f"shape must be one of {', '.join(SHAPES)}, not {shape!r}")
    if duplicates not in ("sum", "error"):
        raise DataError(f"duplicates must be 'sum' or 'error', not {duplicates!r}")
    check_totals_option(totals)
    if as_of is not None and through is not None and str(as_of) != str(through):
        raise DataError(f"as_of={as_of!r} and through={through!r} name two different ends; give one of them")
    last = as_of if as_of is not None else through
    lines_options = dict(interval_count=interval_count, quantity=quantity, amount_is=amount_is, status=status,
                         rates=rates, basis=basis, renewal_grace=renewal_grace, coupons=coupons, export=export,
                         amounts_in=amounts_in)
    if not_revenue is not None:
        lines_options["not_revenue"] = tuple(not_revenue)
    with reading(source_name(source), progress), plain_pages():
        return _read(source, shape=shape, customer=customer, month=month, mrr=mrr, start=start, end=end,
                     amount=amount, interval=interval, keep=keep, last=last, totals=totals, duplicates=duplicates,
                     month_format=month_format, decimal=decimal, sheet=sheet, currency=currency,
                     max_month=max_month, factors=factors, end_inclusive=end_inclusive, lines_options=lines_options,
                     where=where)


def _read(source, *, shape, customer, month, mrr, start, end, amount, interval, keep, last, totals, duplicates,
          month_format, decimal, sheet, currency, max_month, factors, end_inclusive, lines_options,
          where=None) -> pd.DataFrame:
    raw = read_source(source, sheet=sheet, text=[customer, month], numbers=[mrr, amount])
    original = raw
    reason = ""
    prof = profile(lines_options["export"], raw.frame.columns) if shape in ("auto", "subscriptions", "invoices") \
        else None
    if prof is not None and shape in ("auto", prof.shape):
        shape = prof.shape
        reason = f"the header is {prof.vendor}'s {prof.name.split('_', 1)[1].replace('_', ' ')} export ({prof.name})"
    if shape == "auto":
        shape, reason = detect_shape(raw, customer=customer, month=month, mrr=mrr, start=start, end=end,
                                     month_format=month_format, interval=interval)
    if where:
        money_col = (mapping(prof, raw.frame.columns).get("amount") if prof is not None else
                     next((c for c in map(str, raw.frame.columns)
                           if norm_name(c) == norm_name(mrr if shape == "long" else amount)), None))
        raw = apply_where(raw, where, money_col)
    table = _read_shape(raw, shape=shape, reason=reason, customer=customer, month=month, mrr=mrr, start=start,
                        end=end, amount=amount, interval=interval, keep=keep, last=last, totals=totals,
                        duplicates=duplicates, month_format=month_format, decimal=decimal, sheet=sheet,
                        currency=currency, max_month=max_month, factors=factors, end_inclusive=end_inclusive,
                        lines_options=lines_options)
    rep = table.attrs.get("load_report")
    if rep is not None:
        lines = shape in ("subscriptions", "invoices")
        warns, unused = column_warnings(original, original.frame.columns, kept=set(map(str, table.columns)),
                                        where=where, known=known_unused(prof, original.frame.columns), lines=lines)
        rep.warnings = warns + list(rep.get("warnings", []))
        rep.unused = unused
        rep["unused_columns"] = [c for c in map(str, original.frame.columns)
                                 if any(u == c or u.startswith(c + " (") for u in unused)]
        if prof is not None:
            rep.export = prof.name
    return table


def _read_shape(raw, *, shape, reason, customer, month, mrr, start, end, amount, interval, keep, last, totals,
                duplicates, month_format, decimal, sheet, currency, max_month, factors, end_inclusive,
                lines_options) -> pd.DataFrame:
    hint_args = dict(customer=customer, start=start, end=end, month_format=month_format)
    if shape == "wide":
        return from_wide(None, customer=customer, month_format=month_format, decimal=decimal,
                         currency=currency if lines_options["amounts_in"] is None else lines_options["amounts_in"],
                         rates=lines_options["rates"], basis=lines_options["basis"],
                         max_month=max_month, as_of=last, totals=totals, shape_reason=reason, _raw=raw)
    if shape == "subscriptions":
        try:
            return from_subscriptions(None, customer=customer, start=start, end=end, amount=amount,
                                      interval=interval, as_of=last, factors=factors, decimal=decimal,
                                      currency=currency, keep=keep, shape_reason=reason, _raw=raw, max_month=max_month,
                                      month_format=month_format, end_inclusive=end_inclusive, **lines_options)
        except DataError as exc:
            hint = _hint(raw, "subscriptions", **hint_args) if ": no column '" in str(exc) else ""
            raise DataError(f"{exc}; {hint}" if hint else str(exc)) from None
    if shape == "invoices":
        opts = {k: v for k, v in lines_options.items() if k in ("rates", "basis", "renewal_grace", "export",
                                                                 "amounts_in", "status", "not_revenue")}
        try:
            return from_invoices(None, customer=customer, start=start, end=end, amount=amount, as_of=last,
                                 decimal=decimal, currency=currency, keep=keep, end_inclusive=end_inclusive,
                                 shape_reason=reason, _raw=raw, max_month=max_month, month_format=month_format, **opts)
        except DataError as exc:
            hint = _hint(raw, "subscriptions", **hint_args) if ": no column '" in str(exc) else ""
            raise DataError(f"{exc}; {hint}" if hint else str(exc)) from None
    try:
        cols = resolve(raw, {"customer_id": customer, "month": month, "mrr": mrr})
    except DataError as exc:
        hint = _hint(raw, "long", **hint_args)
        raise DataError(f"{exc}; {hint}" if hint else str(exc)) from None
    hint_last = raw.attrs.get("horizon", {}).get("last") if isinstance(raw.attrs.get("horizon"), dict) else None
    return canonical(
        raw, cols, duplicates=duplicates, month_format=month_format, decimal=decimal, currency=currency,
        rates=lines_options["rates"], basis=lines_options["basis"],
        max_month=max_month, as_of=last, totals=totals, shape="long", shape_reason=reason,
        horizon_hint=hint_last, amounts_in=lines_options["amounts_in"],
    )
