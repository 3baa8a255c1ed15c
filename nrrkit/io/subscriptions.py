"""Subscription and contract lines (``customer_id, start, end, amount, interval``) into month-end MRR."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from ..errors import DataError
from ..parsing import parse_money
from .columns import resolve
from .currency import currency_role
from .exports import ENDED, REVENUE, STATUS_RULES
from .files import Raw, norm_name, read_source
from .lines import Lines, currency_codes, optional_column, parse_dates, to_table
from .long import customer_ids

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
    "semi-annual": "half-year", "biannual": "half-year", "6m": "half-year", "semi-annually": "half-year",
    "semiannually": "half-year", "biannually": "half-year", "half-yearly": "half-year", "halfyearly": "half-year",
    "half yearly": "half-year", "six-monthly": "half-year", "every six months": "half-year",
    "per month": "month", "a month": "month", "per year": "year", "a year": "year", "per annum": "year",
    "p.a.": "year", "per quarter": "quarter", "per week": "week",
    "year": "year", "yearly": "year", "annual": "year", "annually": "year", "y": "year", "12m": "year",
    "years": "year",
    "week": "week", "weekly": "week", "w": "week", "weeks": "week",
    "day": "day", "daily": "day", "d": "day", "days": "day",
}
#: Intervals that are a count of another: fortnightly is every 2 weeks, biennial every 2 years
_MULTIPLE = {"fortnightly": ("week", 2.0), "biweekly": ("week", 2.0), "bi-weekly": ("week", 2.0),
             "biennial": ("year", 2.0), "biennially": ("year", 2.0), "every other month": ("month", 2.0),
             "every other year": ("year", 2.0)}
_EVERY = re.compile(r"^(?:every\s+)?(\d+)\s*[- ]?\s*([a-z\- ]+?)s?$")

#: Statuses that are not revenue (from the one documented list, :data:`nrrkit.io.exports.STATUS_RULES`).
NOT_REVENUE = tuple(k for k, v in STATUS_RULES.items() if v != REVENUE)


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
    amount_is: str | None = None,
    status: str | None = None,
    not_revenue: tuple[str, ...] | list[str] | None = None,
    currency: str | None = None,
    amounts_in: str | None = None,
    rates: Any = None,
    basis: str = "constant",
    coupons: Any = None,
    export: str | None = None,
    as_of: Any = None,
    renewal_grace: int = 0,
    end_inclusive: bool = False,
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

    A line counts in month *m* when it pays on the last day of *m*.  What a line really pays
    (docs/definitions.md section 1; docs/guide/billing-exports.md):

    - it pays from its paid start (its trial end when it has one, else ``start``) until the
      earliest of ``end``, its cancel-effective date and, for a paused line, its pause date; an
      empty end runs to ``as_of`` (default: the latest month among the starts and ends).  A trial
      that never converted is never revenue;
    - amounts are normalised to a month with ``factors`` (default :data:`INTERVAL_FACTORS`:
      month x1, quarter /3, half-year /6, year /12, week x52/12, day x365/12); an interval
      written ``every 3 months``, or a count in ``interval_count``, divides by the count;
    - ``quantity``: seats; ``amount_is="unit"`` multiplies the amount by it, ``"total"`` takes the
      amount as the line's total.  Left out, a known export's rule applies (Stripe: unit), else
      total, with a warning when one amount repeats across quantities;
    - ``status``: one documented list (:data:`nrrkit.io.exports.STATUS_RULES`): past_due is
      revenue, trialing is not revenue yet, incomplete and Stripe's paused never paid;
      ``not_revenue`` adds statuses that are never revenue;
    - discounts: percent or amount off, forever, once (the first billing period) or repeating
      for N months from the paid start, from the file's own discount columns or, when it names
      only a coupon, from the vendor's coupons export given as ``coupons``; 100% off is 0;
    - ``currency`` names a column of currency codes (converted with ``rates``, see
      :mod:`nrrkit.io.currency`); ``amounts_in="USD"`` says every amount is already in USD;
    - ``export`` names a known export (``"stripe_subscriptions"``, ...; default: recognised
      from the header), whose documented columns replace the column keywords.

    ``end`` is the first day no longer paid for; ``end_inclusive=True`` reads it as the last
    paid day, as for invoice lines.  ``renewal_grace`` (days, default 0) bridges a gap shorter
    than that between two paid periods of one customer as continuous revenue.  Several lines of one customer in one
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
    from .exports import GENERIC_ROLES, column_for, mapping, profile
    from .terms import line_discounts, paid_segments, status_rules

    if amount_is not in (None, "total", "unit"):
        raise DataError(f"amount_is must be 'total' (the line's amount) or 'unit' (per seat, times quantity), "
                        f"not {amount_is!r}")
    table_factors = dict(INTERVAL_FACTORS)
    if factors:
        for k, v in factors.items():
            table_factors[_INTERVAL_ALIASES.get(k.strip().lower(), k)] = float(v)
    raw = _raw if _raw is not None else read_source(source, sheet=sheet)
    prof = profile(export, raw.frame.columns)
    if prof is not None and prof.shape != "subscriptions":
        raise DataError(f"{raw.source}: the file is {prof.vendor}'s {prof.name} export, read as invoice lines: use "
                        f"from_invoices or read_mrr")
    frame = raw.frame
    if len(frame) == 0:
        raise DataError(f"{raw.source}: has a header but no data rows; add one row per subscription line")
    notes: list[str] = []
    if prof is not None:
        roles = mapping(prof, frame.columns)
        cols = {"customer_id": roles["customer_id"], "start": roles["start"], "amount": roles["amount"],
                "interval": roles["interval"]}
        if "end" in roles:
            cols["end"] = roles["end"]
        # a column keyword the caller gave wins over the export's documented column
        given = {r: v for r, v, d in (("customer_id", customer, "customer_id"), ("start", start, "start"),
                                      ("end", end, "end"), ("amount", amount, "amount"),
                                      ("interval", interval, "interval")) if v != d}
        cols.update(resolve(raw, given) if given else {})
        for r, v in (("interval_count", interval_count), ("quantity", quantity), ("status", status)):
            if v is not None:
                roles[r] = optional_column(raw, v, r)
        raw.used.update(cols.values())
        amount_is = amount_is or prof.amount_is
        notes.append(f"recognised {prof.vendor}'s export ({prof.name}): " + "; ".join(
            f"{r} <- '{c}'" for r, c in roles.items() if r not in ("current_period_end",)))
        notes.extend(f"{prof.vendor}: {n}" for n in prof.notes)
        if roles.get("plan") and roles["plan"] not in (keep or []):
            keep = [*(keep or []), roles["plan"]]
    else:
        cols = resolve(raw, {"customer_id": customer, "start": start, "end": end, "amount": amount,
                             "interval": interval})
        roles = {}
        for r in ("interval_count", "quantity", "status"):
            c = optional_column(raw, {"interval_count": interval_count, "quantity": quantity,
                                      "status": status}[r], r)
            if c is not None:
                roles[r] = c
        for r, names in GENERIC_ROLES.items():
            c = column_for(frame.columns, names)
            if c is not None and c not in cols.values():
                roles[r] = c
    raw.used.update(v for k, v in roles.items() if k != "current_period_end")
    cust_codes, cust_names = customer_ids(frame[cols["customer_id"]], raw.where(cols["customer_id"]))
    starts = parse_dates(frame[cols["start"]], raw.where(cols["start"]), allow_empty=False, fmt=month_format,
                         notes=raw.notes)

    if prof is not None:  # a second start column (Stripe's Start beside Start Date): say where they differ
        other = next((c for c in (column_for(frame.columns, (n,), prof.prefix) for n in prof.columns["start"])
                      if c is not None and c != cols["start"]), None)
        if other is not None:
            alt = parse_dates(frame[other], raw.where(other), allow_empty=True, fmt=month_format)
            later = ~np.isnat(alt) & (alt.astype("datetime64[M]") != starts.astype("datetime64[M]"))
            if later.any():
                notes.append(f"{int(later.sum()):,} line(s) have a '{other}' in another month than their "
                             f"'{cols['start']}' (the first at {raw.locate(int(np.argmax(later)))}): a plan change "
                             f"since the subscription began; each line is read from '{cols['start']}'")

    def dates(role):
        c = cols.get(role) or roles.get(role)
        if not c:
            return None
        return parse_dates(frame[c], raw.where(c), allow_empty=True, fmt=month_format, notes=raw.notes)

    ends = dates("end")
    if ends is None:
        ends = np.full(len(frame), np.datetime64("NaT"), dtype="datetime64[D]")
    elif end_inclusive:  # the last paid day: the first day no longer paid for is the next one
        ends = ends + np.timedelta64(1, "D")
        notes.append("ends read as the last paid day (end_inclusive=True: one day added)")
    status_col = roles.get("status")
    pause = dates("pause_date")
    rule, st, status_note = status_rules(raw, status_col, not_revenue, pause)
    if prof is None and cols.get("end") and any(w in norm_name(cols["end"]) for w in
                                                ("currentperiodend", "currenttermend", "periodends", "periodend")):
        if status_col is None:
            raw.warnings.append(f"the end column '{cols['end']}' looks like a current-period end (the end of the "
                                f"period paid so far), not the end of the subscription: active lines would churn; "
                                f"name the column of ended or canceled dates with end=")
        else:
            running = np.isin(st, ["active", "past_due", "unpaid", "trialing", "in_trial"])
            if (running & ~np.isnat(ends)).any():
                notes.append(f"column '{cols['end']}' is a current-period end: ignored on the "
                             f"{int((running & ~np.isnat(ends)).sum())} line(s) still running (status active, "
                             f"past_due, ...), since a current-period end never ends an active subscription")
                ends = np.where(running, np.datetime64("NaT"), ends)
    if prof is not None and currency is None and amounts_in is None and roles.get("currency"):
        currency = roles["currency"]  # the export's documented column of codes
    cur_col, label = currency_role(raw, currency, amounts_in)
    money, symbol = parse_money(frame[cols["amount"]], raw.where(cols["amount"]), decimal=decimal,
                                one_symbol=cur_col is None)
    factor, counts = _interval_factors(raw, cols["interval"], table_factors)
    count_col = roles.get("interval_count")
    if count_col is not None:
        n, _ = parse_money(frame[count_col].where(frame[count_col].astype(str).str.strip() != "", "1"),
                           raw.where(count_col))
        bad = (n <= 0) | (n != np.round(n))
        if bad.any():
            pos = int(np.argmax(bad))
            raise raw.where(count_col).error(pos, frame[count_col].iloc[pos], "is not a whole number of intervals",
                                             "write 1, 2, 3, ... (every 3 months is 3)", int(bad.sum()) - 1)
        counts = counts * n
    qty_col = roles.get("quantity")
    if qty_col is not None:
        blank = frame[qty_col].isna().to_numpy() | (frame[qty_col].astype(str).str.strip() == "").to_numpy()
        if blank.any():
            pos = int(np.argmax(blank))
            metered = ("; in a billing export an empty quantity usually means a usage-based (metered) price, whose "
                       "revenue the invoice lines export holds: read that one instead" if prof is not None else "")
            raise raw.where(qty_col).error(pos, "", "is empty", "write the number of seats (1 or more), or delete the "
                                           "line if it is not revenue" + metered, int(blank.sum()) - 1)
        q, _ = parse_money(frame[qty_col], raw.where(qty_col), signed=True)
        bad = q < 0
        if bad.any():
            pos = int(np.argmax(bad))
            raise raw.where(qty_col).error(pos, frame[qty_col].iloc[pos], "is not a quantity (0 or more seats)",
                                           "write the number of seats, or fix the line", int(bad.sum()) - 1)
        zero = q == 0
        if zero.any():
            # no seats: a unit price pays nothing; a line total is what the line says it pays
            pos = int(np.argmax(zero))
            pays = ("they pay nothing (unit price x 0)" if (amount_is or "total") == "unit" else
                    "their amounts are read as line totals, as the other lines'")
            raw.warnings.append(f"{int(zero.sum())} line(s) have quantity 0, the first at {raw.locate(pos)}: {pays}")
        if amount_is is None:
            per = pd.DataFrame({"a": money, "q": q}).groupby("a")["q"].nunique()
            rep = per[per > 1]
            if len(rep):
                a0 = rep.index[0]
                qs = sorted(set(q[money == a0].tolist()))
                raw.warnings.append(
                    f"column '{qty_col}' is read as the quantity and amounts as line totals, but {a0:,.2f} appears "
                    f"with quantities {qs[0]:g} to {qs[-1]:g}: if amounts are unit prices pass amount_is='unit' "
                    f"(CLI: --amount-is unit); amount_is='total' silences this")
        if (amount_is or "total") == "unit":
            money = money * q
    backwards = ~np.isnat(ends) & (ends < starts)
    if backwards.any():
        pos = int(np.argmax(backwards))
        raise raw.where(cols["end"]).error(pos, frame[cols["end"]].iloc[pos], "is before the line's start",
                                           "swap start and end, or fix the date")
    monthly = money * factor / counts
    discounts = line_discounts(raw, roles, coupons, cust_names, cust_codes,
                               currency_codes(raw, cur_col) if cur_col else None)
    raw.warnings.extend(discounts.warnings)
    notes.extend(discounts.notes)
    cancel_effective = dates("cancel_effective")
    _check_ended(raw, rule, st, ends, cancel_effective, status_col, cols.get("end"), roles.get("cancel_effective"))
    seg = paid_segments(raw, starts=starts, ends=ends, monthly=monthly, rule=rule, st=st,
                        trial_end=dates("trial_end"), cancel_effective=cancel_effective, pause=pause,
                        discounts=discounts, period_months=counts / factor,
                        factor_count=factor / counts, custs=cust_names, cust_codes=cust_codes)
    if len(seg.index) == 0:
        shown = "; ".join(x["what"] for x in seg.left_out) or "no line pays at any month end"
        raise DataError(f"{raw.source}: no line is revenue ({shown})")
    if as_of is None and roles.get("current_period_start"):
        as_of = _export_month(dates("current_period_start"), seg, roles["current_period_start"], notes, max_month)
    sub = raw.subset(seg.index)
    codes = currency_codes(raw, cur_col)[seg.index] if cur_col else None
    lines = Lines(sub, cust_codes[seg.index], cust_names, seg.starts, seg.ends, seg.mrr, codes=codes, symbol=symbol,
                  left_out=seg.left_out, currency_column=cur_col or "")
    lines.carry(keep)
    if status_note:
        lines.notes.append(status_note)
    if qty_col is not None:
        lines.notes.append(f"column '{qty_col}' read as the quantity; amounts are "
                           + ("per unit, multiplied by it" if amount_is == "unit" else "line totals (amount_is='total')"))
    lines.notes.extend(notes + seg.notes)
    lines.card.extend(seg.card)
    if prof is not None:  # a vendor's export shows each subscription as it is on the day it was taken
        lines.notes.append(f"{prof.vendor}'s subscriptions export holds each subscription as it is today (price, "
                           f"seats, plan) over its whole life: a change inside a subscription moves its past months "
                           f"too, so it shows as no expansion or contraction; the invoice lines export shows them")
        lines.card.append("each subscription at its price on the day of the export (changes inside a subscription "
                          "are not expansion or contraction)")
    return to_table(lines, as_of=as_of, max_month=max_month, rates=rates, basis=basis, renewal_grace=renewal_grace,
                    currency_label=label, shape="subscriptions",
                    reason=shape_reason or "the file has start and end dates per line", first_note="")


def _check_ended(raw: Raw, rule, st, ends, cancel_effective, status_col, end_col, cancel_col) -> None:
    """A line whose status says it ended (canceled, expired) but that has no end date is refused.

    Read as it stands it would pay to the end of the span: revenue after the cancellation, invented.
    """
    if status_col is None:
        return
    stopped = np.isin(st, list(ENDED)) & (rule == REVENUE) & np.isnat(ends)
    if cancel_effective is not None:
        stopped &= np.isnat(cancel_effective)
    if stopped.any():
        pos = int(np.argmax(stopped))
        dates = " or ".join(f"'{c}'" for c in (end_col, cancel_col) if c) or "an end column"
        raise raw.where(status_col).error(
            pos, raw.frame[status_col].iloc[pos], f"says the line ended, but it has no end date ({dates} is empty)",
            "write the date it stopped paying in the end column (or correct the status); nrrkit will not count "
            "revenue after a cancellation it cannot date", int(stopped.sum()) - 1)


def _export_month(cps: np.ndarray, seg, column: str, notes: list[str], max_month) -> str | None:
    """The span's last month from the latest current-period start (when the export was taken).

    A subscriptions export holds the lines as they were on the day it was taken; a running line's
    current period started on or before that day, so the latest one dates the export.  Without it
    the span would end at the latest start or end, and the months after it would be missing.
    """
    from ..parsing import to_period

    known = cps[~np.isnat(cps)]
    if not len(known):
        return None
    taken = int(known.max().astype("datetime64[M]").astype("int64"))
    # each line's paid start (its first stretch): a later stretch starts where a discount ends, which is a
    # change of price the export schedules, not a line that started later
    # and each line's end (its last stretch's end)
    step = seg.index[1:] != seg.index[:-1]
    paid_starts = seg.starts[np.r_[True, step]] if len(seg.index) else seg.starts
    line_ends = seg.ends[np.r_[step, True]] if len(seg.index) else seg.ends
    dated = np.concatenate([paid_starts, line_ends[~np.isnat(line_ends)]])
    latest = int(dated.max().astype("datetime64[M]").astype("int64")) if len(dated) else taken
    last_start = int(paid_starts.max().astype("datetime64[M]").astype("int64")) if len(paid_starts) else taken
    cap = to_period(max_month, "max_month") if max_month is not None else pd.Timestamp.today().to_period("M")
    taken = max(taken, last_start)  # a line that started later was in the export too
    if taken == latest or taken > cap.ordinal:
        return None
    month = str(pd.Period(ordinal=taken, freq="M"))
    why = ("the months after it are not in the export yet" if taken > latest else
           f"later ends (to {pd.Period(ordinal=latest, freq='M')}) are scheduled, not yet paid")
    notes.append(f"the span runs to {month}, the latest current-period start in column '{column}' (the export was "
                 f"taken then; {why}); as_of= (CLI: --as-of) chooses another month")
    return month


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
        if name is None and u in _MULTIPLE:
            name, n = _MULTIPLE[u]
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
