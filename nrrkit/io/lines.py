"""Lines with a period (subscriptions, contracts, invoices) into month-end MRR.

Shared by :mod:`~nrrkit.io.subscriptions` and :mod:`~nrrkit.io.invoices`: each reader turns
its rows into :class:`Lines` (customer, start, end, monthly amount, currency), and
:func:`to_table` spreads them over month ends, converts currencies, bridges renewal gaps,
reconciles the money and hands a long table to :func:`~nrrkit.io.long.canonical`.

A line counts in month *m* when it is active on the last day of *m*: ``start <= month end``
and (``end`` is empty or ``end > month end``); ``end`` is the first day no longer paid for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..errors import DataError, shorten
from ..months import month_starts
from ..parsing import Located, to_period
from .columns import resolve
from .currency import CURRENCY_COLUMN, LOCAL_COLUMN, check_symbol, currency_role, holds_codes, rates_hint, read_rates
from .files import Raw, norm_name
from .long import canonical, customer_ids

__all__ = ["Lines", "line_periods", "to_table", "parse_dates", "month_ord", "currency_codes", "currency_role", "optional_column"]


@dataclass
class Lines:
    raw: Raw
    cust_codes: np.ndarray
    cust_names: pd.Index
    starts: np.ndarray  # datetime64[D]
    ends: np.ndarray  # datetime64[D], exclusive; NaT = open
    mrr: np.ndarray  # monthly amount per line, in the line's currency
    codes: np.ndarray | None = None  # currency code per line
    keep: dict[str, np.ndarray] = field(default_factory=dict)
    symbol: str = ""
    notes: list[str] = field(default_factory=list)
    left_out: list[dict] = field(default_factory=list)
    value: np.ndarray | None = None  # what each line is worth over its whole period (invoices)
    currency_column: str = ""
    conversion: str = ""
    card: list[str] = field(default_factory=list)  # what the definition card must say (discounts applied, ...)

    def carry(self, keep: list[str] | None) -> None:
        """Carry the attribute columns ``keep`` from each line into the months it pays for."""
        frame = self.raw.frame
        for a in keep or []:
            if a not in frame.columns:
                raise DataError(f"{self.raw.source}, {self.raw.header_where}: no column '{a}' to keep "
                                f"(columns: {', '.join(map(str, frame.columns))})")
            self.keep[a] = frame[a].to_numpy()
            self.raw.used.add(a)


def optional_column(raw: Raw, name: str | None, default: str) -> str | None:
    """The column for an optional role: the one named, or the default name when the file has it."""
    cols = list(map(str, raw.frame.columns))
    if name is not None:
        return resolve(raw, {name: name})[name]
    match = [c for c in cols if norm_name(c) == norm_name(default)]
    if len(match) == 1:
        raw.used.add(match[0])
        return match[0]
    return None


def currency_codes(raw: Raw, column: str) -> np.ndarray:
    """The currency code of each row (``eur`` and `` EUR`` are one currency)."""
    vals = raw.frame[column]
    ok, bad = holds_codes(vals)
    if not ok:
        pos = int(np.argmax((vals.astype(str).str.strip() == bad).to_numpy()))
        raise raw.where(column).error(pos, bad, "is not a currency code", "write codes such as USD; if every amount is "
                                      "already in one currency pass amounts_in='USD' (CLI: --amounts-in USD)")
    codes = np.array([("" if pd.isna(v) else str(v).strip().upper()) for v in vals.tolist()], dtype=object)
    empty = codes == ""
    if empty.any():
        pos = int(np.argmax(empty))
        raise raw.where(column).error(pos, "", "is empty", "every line needs its currency code, such as USD",
                                      int(empty.sum()) - 1)
    return codes


def _last_month(lines: Lines, as_of: Any, max_month: Any = None) -> int:
    """``as_of``, or the latest month among the starts and ends, but never after this month (or ``max_month``).

    Prepaid contracts end in the future: a span running to their ends would count every contract
    that simply runs out as churn.
    """
    if as_of is not None:
        return int(to_period(as_of, "as_of").ordinal)
    # a line split into stretches (a discount that ends) counts by its own start and end: where a discount
    # ends is a price the line schedules, not a month the data knows
    pos = lines.raw.pos_map
    if pos is not None and len(pos) == len(lines.starts):
        first, last = ~pd.Index(pos).duplicated(keep="first"), ~pd.Index(pos).duplicated(keep="last")
    else:
        first = last = np.ones(len(lines.starts), dtype=bool)
    start_m = month_ord(lines.starts[first])
    ends = lines.ends[last]
    known = ~np.isnat(ends)
    ends_m = month_ord(ends[known]) if known.any() else start_m
    latest = int(max(start_m.max(), ends_m.max()))
    cap = to_period(max_month, "max_month") if max_month is not None else pd.Timestamp.today().to_period("M")
    if latest > cap.ordinal:
        lines.notes.append(f"the lines run to {pd.Period(ordinal=latest, freq='M')}; the span ends at {cap} "
                           f"({'max_month' if max_month is not None else 'this month'}); pass as_of='YYYY-MM' "
                           f"(CLI: --as-of) to choose its last month")
        return int(cap.ordinal)
    return latest


def _spread(lines: Lines, last: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Line index and month of every month end at which a line is active, and each line's active months."""
    start_m = month_ord(lines.starts)
    known = ~np.isnat(lines.ends)
    # active at the end of its start month; at the end of month m only while end > m's last day: an end
    # inside month E (its last day included) is never after E's last day, so the last active month is E - 1
    end_m = np.full(len(start_m), last, dtype="int64")
    if known.any():
        end_m[known] = np.minimum(month_ord(lines.ends[known]) - 1, last)
    lengths = np.maximum(end_m - start_m + 1, 0)
    line_idx = np.repeat(np.arange(len(start_m)), lengths)
    offsets = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    return line_idx, start_m[line_idx] + offsets, lengths


def _bridge_gaps(lines: Lines, cust: np.ndarray, months: np.ndarray, mrr: np.ndarray, grace: int, last: int):
    """Unpaid month ends inside a gap shorter than ``grace`` days between two paid periods of one customer.

    Returns the rows to add (customer code, month, MRR at the month before the gap) and the gaps bridged.
    """
    if not grace:
        return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0), []
    paid = pd.Series(mrr).groupby([cust, months]).sum()
    paid_map = paid.to_dict()
    order = np.lexsort((lines.starts.astype("int64"), lines.cust_codes))
    far = np.datetime64("2999-12-31", "D")
    add_c, add_m, add_v, gaps = [], [], [], []
    prev_c, cover_end = -1, None
    for i in order:
        c = int(lines.cust_codes[i])
        s = lines.starts[i]
        e = lines.ends[i] if not np.isnat(lines.ends[i]) else far
        if c != prev_c:
            prev_c, cover_end = c, e
            continue
        gap = int((s - cover_end).astype(int)) if s > cover_end else 0
        if 0 < gap < grace:
            first_m = int(month_ord(np.array([cover_end]))[0])
            last_m = min(int(month_ord(np.array([s]))[0]) - 1, last)
            before = paid_map.get((c, first_m - 1), 0.0)
            if last_m >= first_m and before > 0:
                for m in range(first_m, last_m + 1):
                    if paid_map.get((c, m), 0.0) == 0:
                        add_c.append(c)
                        add_m.append(m)
                        add_v.append(before)
                gaps.append({"customer": str(lines.cust_names[c]), "from": str(cover_end), "to": str(s), "days": gap,
                             "months": last_m - first_m + 1, "churn_removed": before})
        cover_end = max(cover_end, e)
    return (np.array(add_c, dtype=np.int64), np.array(add_m, dtype=np.int64), np.array(add_v, dtype=float), gaps)


def _reconcile(lines: Lines, rate: np.ndarray, lo: int, hi: int, one_time: np.ndarray, currency: str) -> str:
    """Money in = money out: the lines' value split by day into the span, before it, after it, and one-time charges."""
    value = np.where(one_time, 0.0, lines.value) * rate
    one_time_value = np.where(one_time, lines.value, 0.0) * rate
    span_start = np.datetime64(str(pd.Period(ordinal=lo, freq="M").start_time.date()), "D")
    span_end = np.datetime64(str((pd.Period(ordinal=hi, freq="M") + 1).start_time.date()), "D")
    s, e = lines.starts, lines.ends
    days = (e - s).astype("int64").astype(float)
    def part(a, b):
        lo_d = np.maximum(s, a)
        hi_d = np.minimum(e, b)
        return np.clip((hi_d - lo_d).astype("int64"), 0, None).astype(float)
    far_past = np.datetime64("1900-01-01", "D")
    far_future = np.datetime64("2999-12-31", "D")
    with np.errstate(invalid="ignore", divide="ignore"):
        share_in = np.where(days > 0, part(span_start, span_end) / days, 0.0)
        share_before = np.where(days > 0, part(far_past, span_start) / days, 0.0)
        share_after = np.where(days > 0, part(span_end, far_future) / days, 0.0)
    total = float(value.sum() + one_time_value.sum())
    inside, before, after = float((value * share_in).sum()), float((value * share_before).sum()), \
        float((value * share_after).sum())
    ot = float(one_time_value.sum())
    diff = total - (inside + before + after + ot)  # 0 by construction: the day shares of a line add up to 1
    cur = f"{currency} " if currency else ""
    off = f" (the parts differ from the total by {diff:,.2f})" if abs(diff) >= 0.005 else ""
    return (f"money in = money out: the lines are worth {cur}{total:,.2f} = {cur}{inside:,.2f} for days inside the span "
            f"({pd.Period(ordinal=lo, freq='M')} to {pd.Period(ordinal=hi, freq='M')}) + {cur}{before:,.2f} before it "
            f"+ {cur}{after:,.2f} after it + {cur}{ot:,.2f} of one-time charges ({int(one_time.sum())} line(s), not "
            f"recurring revenue){off}")


def to_table(lines: Lines, *, as_of: Any, rates: Any, basis: str, renewal_grace: int, currency_label: str | None,
             shape: str, reason: str, first_note: str, one_time: np.ndarray | None = None,
             max_month: Any = None) -> pd.DataFrame:
    """Spread the lines over month ends and build the canonical table (see the module docstring)."""
    raw = lines.raw
    if renewal_grace is None or int(renewal_grace) < 0:
        raise DataError(f"renewal_grace must be a number of days (0 or more), not {renewal_grace!r}")
    grace = int(renewal_grace)
    one_time = np.zeros(len(lines.mrr), dtype=bool) if one_time is None else one_time
    recurring = ~one_time
    last = _last_month(lines, as_of, max_month)
    line_idx, months, lengths = _spread(lines, last)
    keep_line = recurring[line_idx]
    line_idx, months = line_idx[keep_line], months[keep_line]
    rate_line = np.ones(len(lines.mrr))
    mrr_rows = lines.mrr[line_idx]
    local_rows = fx_rates = None
    card_currency = currency_label or lines.symbol
    check_symbol(raw, lines.symbol, currency_label)
    if lines.codes is not None:
        distinct = sorted(set(lines.codes.tolist()))
        if rates is None and len(distinct) > 1:
            raise DataError(f"{raw.source}: the lines are in {len(distinct)} currencies ({', '.join(distinct)}); "
                            f"{rates_hint(lines.codes.tolist())}")
        if rates is None:
            card_currency = distinct[0]
        else:
            r = read_rates(rates, basis)
            r.complete(lines.codes, lines.notes)
            r.check_known(lines.codes, raw.where(lines.currency_column))
            month_rate = r.for_months(lines.codes[line_idx], months, last)
            rate_line = r.for_months(lines.codes, np.full(len(lines.codes), last), last)
            if r.table is not None and r.basis == "actual":  # keep the local amounts, for the bridge's fx line
                local_rows = mrr_rows
                fx_rates = {c: {str(pd.Period(ordinal=m, freq="M")): v for m, v in by_month.items()}
                            for c, by_month in r.table.items()}
            mrr_rows = mrr_rows * month_rate
            card_currency = r.reporting or card_currency
            lines.notes.append(f"amounts converted with {r.describe()}")
            lines.conversion = r.describe()
    elif rates is not None:
        raise DataError(f"{raw.source}: rates were given but no currency column; name it with currency='...' "
                        f"(CLI: --currency COLUMN)")
    cust = lines.cust_codes[line_idx]
    # credits net against the customer's other lines of the month: only a negative net month is an error
    if (lines.mrr < 0).any() and len(cust):
        net = pd.Series(mrr_rows).groupby([cust, months]).sum()
        neg = net[net < -0.005]
        if len(neg):
            (c, m), v = next(iter(neg.items()))
            behind = sorted({int(i) for i in line_idx[(cust == c) & (months == m)]})
            rows = ", ".join(raw.locate(i).replace("row ", "") for i in behind[:6])
            raise DataError(
                f"{raw.source}: customer {shorten(lines.cust_names[c])} has a negative MRR in "
                f"{pd.Period(ordinal=int(m), freq='M')} ({v:,.2f}); the lines behind it are row(s) {rows}: a credit "
                f"larger than what the customer pays that month is not recurring revenue; check the credit's period "
                f"or amount" + (f" (and {len(neg) - 1} more such month(s))" if len(neg) > 1 else ""))
    add_c, add_m, add_v, gaps = _bridge_gaps(lines, cust, months, mrr_rows, grace, last)
    canon = pd.DataFrame({
        "customer_id": np.concatenate([lines.cust_names.take(cust).to_numpy(dtype=object),
                                       lines.cust_names.take(add_c).to_numpy(dtype=object)]),
        "month": month_starts(np.concatenate([months, add_m])),
        "mrr": np.concatenate([mrr_rows, add_v]),
    })
    if local_rows is not None:
        # a bridged renewal gap holds the month before it in its own currency too
        local_fill = _bridge_gaps(lines, cust, months, local_rows, grace, last)[2]
        canon[LOCAL_COLUMN] = np.concatenate([local_rows, local_fill])
        src_codes = np.concatenate([line_idx, np.full(len(add_c), -1)])
        codes_rows = lines.codes[np.maximum(src_codes, 0)].astype(object)
        if len(add_c):  # the currency of the month before the gap
            prev = pd.Series(lines.codes[line_idx]).groupby([cust, months]).first().to_dict()
            codes_rows[len(line_idx):] = [prev.get((c, m - 1), "") for c, m in zip(add_c, add_m)]
        canon[CURRENCY_COLUMN] = codes_rows
    src = np.concatenate([line_idx, np.full(len(add_c), -1)])
    for a, values in lines.keep.items():
        filled = values[np.maximum(src, 0)]
        canon[a] = filled
    if len(canon) == 0:
        raise DataError(f"{raw.source}: no line is active at the end of any month up to "
                        f"{pd.Period(ordinal=last, freq='M')}")
    canon = canon.sort_values(["customer_id", "month"], kind="stable").reset_index(drop=True)
    if lines.keep and len(add_c):  # a bridged month takes its attributes from the month before the gap
        for a in lines.keep:
            canon[a] = canon.groupby("customer_id", sort=False)[a].ffill() if canon[a].isna().any() else canon[a]
    # one row per customer-month: several active lines (and credits) add up; attributes from the first line
    n_rows = len(canon)
    agg = {"mrr": "sum", **{a: "first" for a in lines.keep}}
    if local_rows is not None:
        mixed = canon.groupby(["customer_id", "month"], sort=False)[CURRENCY_COLUMN].nunique()
        if (mixed > 1).any():
            (c, m) = mixed[mixed > 1].index[0]
            raise DataError(f"{raw.source}: customer {shorten(c)} is billed in two currencies in {m}; reading at each "
                            f"month's rate (basis='actual') needs one currency per customer and month: use "
                            f"basis='constant'")
        agg.update({LOCAL_COLUMN: "sum", CURRENCY_COLUMN: "first"})
    canon = canon.groupby(["customer_id", "month"], sort=False, as_index=False).agg(agg)
    canon["mrr"] = canon["mrr"].clip(lower=0.0)  # a credit that exactly cancels leaves float dust
    if n_rows > len(canon):
        lines.notes.append(f"{n_rows - len(canon):,} line-month(s) fall in a customer-month another line of the "
                           f"customer also pays for; their MRR is added up (attributes from the first line)")
    long_raw = Raw(canon, raw.source, "frame", None, list(raw.notes))
    lo = int(month_ord(lines.starts[recurring]).min()) if recurring.any() else last
    last_p = pd.Period(ordinal=max(last, lo), freq="M")
    table = canonical(long_raw, {"customer_id": "customer_id", "month": "month", "mrr": "mrr"},
                      duplicates="sum", month_format=None, decimal=".", currency=card_currency,
                      max_month=last_p, as_of=last_p, shape=shape, shape_reason=reason,
                      left_out=list(raw.left_out) + lines.left_out)
    rep = table.attrs["load_report"]
    rep.warnings = list(raw.warnings)
    rep.card_notes = list(raw.attrs.get("card_notes", [])) + list(lines.card)
    if fx_rates is not None:
        table.attrs["fx_rates"] = fx_rates
        table.attrs["fx_last"] = str(pd.Period(ordinal=last, freq="M"))
        table.attrs["fx_currency"] = CURRENCY_COLUMN
    if lines.conversion:
        rep.conversion = lines.conversion
    src_pos = raw.pos_map if raw.pos_map is not None else np.arange(len(lines.mrr))
    first_seg = ~pd.Index(src_pos).duplicated()  # a line split into stretches (a discount that ends) counts once
    n_lines = int(first_seg.sum())
    rep.notes.insert(0, f"{n_lines:,} lines became {len(line_idx):,} line-months (month-end snapshot up to "
                        f"{pd.Period(ordinal=last, freq='M')}){first_note}")
    rep.rows_read = n_lines + sum(int(x.get("rows", 0)) for x in list(raw.left_out) + lines.left_out)
    rep.notes[1:1] = lines.notes
    missing = len(lines.cust_names) - rep.customers
    if missing > 0:
        absent = np.setdiff1d(np.arange(len(lines.cust_names)), np.unique(cust))
        who = ", ".join(map(str, lines.cust_names.take(absent))) if 0 < len(absent) <= 10 else ""
        rep.notes.append(f"{missing:,} customer(s) have no line paid at any month end up to "
                         f"{pd.Period(ordinal=last, freq='M')} (pilots shorter than a month, one-time charges only, "
                         f"trials, or lines that start later): they are not in the MRR table"
                         + (f" ({who})" if who else ""))
    if shape == "invoices" and recurring.any() and as_of is None:
        last_start = int(month_ord(lines.starts[recurring]).max())
        if last - last_start >= 2:
            rep.warnings.append(
                f"no line starts after {pd.Period(ordinal=last_start, freq='M')} while the span runs to "
                f"{pd.Period(ordinal=last, freq='M')}: billing seems to stop in "
                f"{pd.Period(ordinal=last_start, freq='M')}, and the months after it read as churn; pass "
                f"as_of='{pd.Period(ordinal=last_start, freq='M')}' (CLI: --as-of) if the export ends there")
    if rep.get("last_mrr", 0) == 0 and rep.customers and as_of is None:
        rep.warnings.append(f"nobody pays in {rep.last_month}, the span's last month (every line ended before it): "
                            f"if the export stops there, pass as_of='{pd.Period(rep.last_month, 'M') - 1}' "
                            f"(CLI: --as-of) so its customers do not read as churned")
    uniq_frame = raw.frame[first_seg] if not first_seg.all() else raw.frame
    dup = uniq_frame.astype(str).duplicated().to_numpy() if len(uniq_frame) <= 1_000_000 else np.zeros(0, bool)
    same = int(dup.sum())
    if same:  # the same line twice doubles its revenue: a warning, naming the first
        at = raw.locate(int(np.flatnonzero(first_seg)[int(np.argmax(dup))]))
        rep.warnings.append(f"{same:,} line(s) repeat an earlier line in every column (the first at {at}; an export "
                            f"pasted twice?); each is counted, as the file says: delete the copies if they are one")
    idle = int(((lengths == 0) & recurring & first_seg).sum())
    if idle:
        first_idle = int(np.argmax((lengths == 0) & recurring))
        rep.notes.append(
            f"{idle:,} line(s) are never active at a month end (start and end inside one month, or after as_of), "
            f"so they add no MRR; the first is {raw.locate(first_idle)}")
    if grace:
        removed = sum(g["churn_removed"] for g in gaps)
        rep.renewal_gaps = {"grace_days": grace, "gaps_bridged": len(gaps), "months_filled": int(len(add_c)),
                            "churn_removed": removed}
        rep.notes.append(f"renewal_grace={grace} days: {len(gaps)} renewal gap(s) shorter than the grace bridged as "
                         f"continuous revenue ({len(add_c)} month end(s) filled at the MRR before the gap), which "
                         f"removes {removed:,.2f} of churn and as much reactivation")
        table.attrs["renewal_grace"] = grace
    if lines.value is not None:
        rep.notes.append(_reconcile(lines, rate_line, int(pd.Period(rep.first_month, "M").ordinal),
                                    int(pd.Period(rep.last_month, "M").ordinal), one_time, card_currency))
    return table


def line_periods(raw: Raw, cols: dict[str, str], month_format: str | None):
    """Each line's customer code, and its start and end dates (end empty allowed: an open line)."""
    frame = raw.frame
    cust_codes, cust_names = customer_ids(frame[cols["customer_id"]], raw.where(cols["customer_id"]))
    starts = parse_dates(frame[cols["start"]], raw.where(cols["start"]), allow_empty=False, fmt=month_format,
                         notes=raw.notes)
    ends = parse_dates(frame[cols["end"]], raw.where(cols["end"]), allow_empty=True, fmt=month_format,
                       notes=raw.notes)
    return cust_codes, cust_names, starts, ends


def parse_dates(values: pd.Series, where: Located, *, allow_empty: bool, fmt: str | None = None,
                notes: list[str] | None = None) -> np.ndarray:
    """Dates (day precision) as datetime64[D]; empty cells become NaT when allowed.

    Year-first dates (``2024-01-31``, with or without a time) are read without a layout; others
    with ``fmt`` (a strptime layout such as ``%d.%m.%Y``; the readers pass ``month_format``).  A
    time and a time-zone offset are dropped: the date is the calendar day as written.
    """
    import datetime as dt

    out = np.full(len(values), np.datetime64("NaT"), dtype="datetime64[D]")
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    parsed = np.full(len(uniques), np.datetime64("NaT"), dtype="datetime64[D]")
    iso = re.compile(r"^\d{4}-\d{1,2}(-\d{1,2})?([ T].*)?$")
    zoned = 0
    for k, u in enumerate(uniques):
        if isinstance(u, (pd.Timestamp, np.datetime64)) or hasattr(u, "year"):
            ts = pd.Timestamp(u)
            parsed[k] = np.datetime64(ts.date(), "D") if not pd.isna(ts) else np.datetime64("NaT")
            continue
        s = str(u).strip()
        if s == "" or s.lower() in ("nan", "nat", "none", "null"):
            continue
        if fmt is not None and not iso.match(s):
            try:
                parsed[k] = np.datetime64(dt.datetime.strptime(s, fmt).date(), "D")
                continue
            except ValueError:
                pos = int(np.argmax(codes == k))
                raise where.error(pos, u, f"does not match the layout {fmt!r}", "fix the date or the layout "
                                  "(month_format=; CLI: --month-format)") from None
        if not iso.match(s):
            pos = int(np.argmax(codes == k))
            raise where.error(pos, u, "is not a date nrrkit can read", _layout_hint(uniques))
        zoned += bool(re.search(r"(Z|[+-]\d{2}:?\d{2})$", s)) and ("T" in s or " " in s)
        try:
            parsed[k] = np.datetime64(pd.Timestamp(s if len(s) > 7 else s + "-01").date(), "D")
        except ValueError:
            pos = int(np.argmax(codes == k))
            raise where.error(pos, u, "is not a real date", "write dates as 2024-01-31") from None
    if zoned and notes is not None:
        notes.append(f"column '{where.column}': {zoned} distinct timestamp(s) carry a time-zone offset; each is read "
                     f"as the calendar day written, without converting to another zone")
    ok = codes >= 0
    out[ok] = parsed[codes[ok]]
    if not allow_empty:
        empty = np.isnat(out)
        if empty.any():
            pos = int(np.argmax(empty))
            raise where.error(pos, values.iloc[pos], "is empty", "every line needs a start date", int(empty.sum()) - 1)
    return out


#: Layouts a date column is often written in once a spreadsheet has opened and saved an export (tried in
#: this order to suggest one; nrrkit never picks one itself, since 01/02/2025 reads two ways)
DATE_LAYOUTS = ("%m/%d/%Y %H:%M", "%d/%m/%Y %H:%M", "%m/%d/%Y %H:%M:%S", "%d/%m/%Y %H:%M:%S", "%m/%d/%Y %I:%M %p",
                "%m/%d/%Y", "%d/%m/%Y", "%m/%d/%y", "%d/%m/%y", "%d.%m.%Y", "%d.%m.%Y %H:%M", "%d.%m.%Y %H:%M:%S",
                "%d-%m-%Y", "%Y/%m/%d", "%Y/%m/%d %H:%M", "%Y/%m/%d %H:%M:%S", "%b %d, %Y", "%d %b %Y",
                "%B %d, %Y", "%d %B %Y", "%b %d, %Y, %I:%M %p", "%b %d, %Y %I:%M %p")


def _layout_hint(values) -> str:
    """What to do about a column of dates nrrkit cannot read: the layouts that read every value in it."""
    import datetime as dt

    texts = [str(v).strip() for v in values if not (isinstance(v, float) and np.isnan(v)) and str(v).strip()
             and str(v).strip().lower() not in ("nan", "nat", "none", "null")][:2000]
    iso = re.compile(r"^\d{4}-\d{1,2}(-\d{1,2})?([ T].*)?$")
    texts = [t for t in texts if not iso.match(t)]

    def reads(layout):
        for t in texts:
            try:
                dt.datetime.strptime(t, layout)
            except ValueError:
                return False
        return True

    if texts and all(re.fullmatch(r"\d{9,10}(\.0+)?", t) for t in texts):
        return ("the column holds Unix timestamps (seconds since 1970), as an API writes them: convert them to dates "
                "(2024-01-31) before reading, e.g. pd.to_datetime(column, unit='s')")
    if texts and all(re.fullmatch(r"\d{5}(\.\d+)?", t) and 20000 <= float(t) <= 80000 for t in texts):
        return ("the column holds Excel date serial numbers (a date cell saved as a number): format the column as "
                "dates in Excel before saving, or write dates as 2024-01-31")
    fits = [f for f in DATE_LAYOUTS if reads(f)] if texts else []
    flag = " (CLI: --month-format '{}')"
    if len(fits) == 1:
        return f"name their layout with month_format={fits[0]!r}" + flag.format(fits[0])
    if fits:
        shown = " or ".join(repr(f) for f in fits[:2])
        return (f"every date in the column reads as {shown}: name the one your file uses with month_format= "
                f"(CLI: --month-format), or write dates as 2024-01-31")
    return ("write dates as 2024-01-31, or name their layout with month_format='%d.%m.%Y' (CLI: --month-format)")


def month_ord(d: np.ndarray) -> np.ndarray:
    m = d.astype("datetime64[M]").astype("int64")
    return m  # months since 1970-01 == Period[M] ordinal
