"""Subscription and contract lines: ``customer_id, start, end, amount, interval`` into month-end MRR."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from ..errors import DataError
from ..parsing import Located, ordinals_to_periods, parse_money, to_period
from .columns import resolve
from .files import Raw, read_source
from .long import canonical, customer_ids

__all__ = ["from_subscriptions", "INTERVAL_FACTORS"]


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
    "month": "month", "monthly": "month", "mo": "month", "m": "month", "1m": "month",
    "quarter": "quarter", "quarterly": "quarter", "q": "quarter", "3m": "quarter",
    "half-year": "half-year", "halfyear": "half-year", "half year": "half-year", "semiannual": "half-year",
    "semi-annual": "half-year", "biannual": "half-year", "6m": "half-year",
    "year": "year", "yearly": "year", "annual": "year", "annually": "year", "y": "year", "12m": "year",
    "week": "week", "weekly": "week", "w": "week",
    "day": "day", "daily": "day", "d": "day",
}


def from_subscriptions(
    source: Any,
    *,
    customer: str = "customer_id",
    start: str = "start",
    end: str = "end",
    amount: str = "amount",
    interval: str = "interval",
    as_of: Any = None,
    factors: dict[str, float] | None = None,
    decimal: str = ".",
    sheet: str | int | None = None,
    currency: str | None = None,
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
    Amounts are normalised to a month with ``factors`` (default
    :data:`INTERVAL_FACTORS`: month x1, quarter /3, half-year /6, year /12,
    week x52/12, day x365/12).  Several lines of one customer in one month are
    summed.  Attribute columns named in ``keep`` are carried from the line (the
    first line of the customer-month when several are active).

    Examples
    --------
    >>> import pandas as pd, nrrkit as nk
    >>> lines = pd.DataFrame({"customer_id": ["a", "a"], "start": ["2024-01-01", "2024-03-01"],
    ...                       "end": ["2024-03-01", None], "amount": [1200, 300], "interval": ["year", "quarter"]})
    >>> t = nk.from_subscriptions(lines, as_of="2024-04")
    >>> t.assign(month=t.month.astype(str))[["month", "mrr"]].values.tolist()
    [['2024-01', 100.0], ['2024-02', 100.0], ['2024-03', 100.0], ['2024-04', 100.0]]
    """
    table_factors = dict(INTERVAL_FACTORS)
    if factors:
        for k, v in factors.items():
            table_factors[_INTERVAL_ALIASES.get(k.strip().lower(), k)] = float(v)
    raw = _raw if _raw is not None else read_source(source, sheet=sheet)
    cols = resolve(raw, {"customer_id": customer, "start": start, "end": end, "amount": amount, "interval": interval})
    frame = raw.frame
    if len(frame) == 0:
        raise DataError(f"{raw.source}: has a header but no data rows; add one row per subscription line")
    cust_codes, cust_names = customer_ids(frame[cols["customer_id"]], raw.where(cols["customer_id"]))
    starts = parse_dates(frame[cols["start"]], raw.where(cols["start"]), allow_empty=False)
    ends = parse_dates(frame[cols["end"]], raw.where(cols["end"]), allow_empty=True)
    money, symbol = parse_money(frame[cols["amount"]], raw.where(cols["amount"]), decimal=decimal)
    ivals = frame[cols["interval"]].astype(str).str.strip().str.lower()
    where_i = raw.where(cols["interval"])
    names = ivals.map(lambda s: _INTERVAL_ALIASES.get(s, s if s in table_factors else None))
    bad = names.isna().to_numpy()
    if bad.any():
        pos = int(np.argmax(bad))
        raise where_i.error(pos, frame[cols["interval"]].iloc[pos], "is not a billing interval",
                            f"use one of {', '.join(table_factors)}", int(bad.sum()) - 1)
    factor = names.map(table_factors).to_numpy(dtype="float64")
    backwards = ~np.isnat(ends) & (ends < starts)
    if backwards.any():
        pos = int(np.argmax(backwards))
        raise raw.where(cols["end"]).error(pos, frame[cols["end"]].iloc[pos], "is before the line's start",
                                           "swap start and end, or fix the date")
    start_m = month_ord(starts)
    end_known = ~np.isnat(ends)
    if as_of is None:
        last = int(max(start_m.max(), month_ord(ends[end_known]).max() if end_known.any() else start_m.max()))
    else:
        last = int(to_period(as_of, "as_of").ordinal)
    # A line is active at the end of its start month (start <= that month's end).  It is active
    # at the end of month m only while end > m's last day; an end date inside month E (its last
    # day included) is never after E's last day, so the last active month is E - 1.
    end_m = np.full(len(frame), last, dtype="int64")
    if end_known.any():
        end_m[end_known] = np.minimum(month_ord(ends[end_known]) - 1, last)
    lo = int(start_m.min())
    n_lines = len(frame)
    lengths = np.maximum(end_m - start_m + 1, 0)
    line_idx = np.repeat(np.arange(n_lines), lengths)
    offsets = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    line_month = start_m[line_idx] + offsets
    mrr = money[line_idx] * factor[line_idx]
    canon = pd.DataFrame({
        "customer_id": cust_names.take(cust_codes[line_idx]),
        "month": ordinals_to_periods(line_month),
        "mrr": mrr,
    })
    for a in keep or []:
        if a not in frame.columns:
            raise DataError(f"{raw.source}, row 1: no column '{a}' to keep (columns: {', '.join(map(str, frame.columns))})")
        canon[a] = frame[a].to_numpy()[line_idx]
    report_rows = n_lines
    if len(canon) == 0:
        raise DataError(f"{raw.source}: no line is active at the end of any month up to {pd.Period(ordinal=last, freq='M')}")
    canon = canon.sort_values(["customer_id", "month"], kind="stable").reset_index(drop=True)
    long_raw = Raw(canon, raw.source, "frame", None, list(raw.notes))
    last_p = pd.Period(ordinal=max(last, lo), freq="M")
    table = canonical(long_raw, {"customer_id": "customer_id", "month": "month", "mrr": "mrr"},
                      duplicates="sum", month_format=None, decimal=".", currency=currency or symbol,
                      max_month=last_p, as_of=last_p, shape="subscriptions",
                      shape_reason=shape_reason or "the file has start and end dates per line")
    rep = table.attrs["load_report"]
    rep.notes.insert(0, f"{report_rows:,} subscription lines became {rep.rows_read:,} line-months "
                        f"(month-end snapshot up to {pd.Period(ordinal=last, freq='M')})")
    rep.rows_read = report_rows
    idle = int((lengths == 0).sum())
    if idle:
        first_idle = int(np.argmax(lengths == 0))
        rep.notes.append(
            f"{idle:,} line(s) are never active at a month end (start and end inside one month, or after as_of), "
            f"so they add no MRR; the first is {raw.locate(first_idle)}"
        )
    return table


def parse_dates(values: pd.Series, where: Located, *, allow_empty: bool) -> np.ndarray:
    """Dates (day precision) as datetime64[D]; empty cells become NaT when allowed."""
    out = np.full(len(values), np.datetime64("NaT"), dtype="datetime64[D]")
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    parsed = np.full(len(uniques), np.datetime64("NaT"), dtype="datetime64[D]")
    iso = re.compile(r"^\d{4}-\d{1,2}(-\d{1,2})?([ T].*)?$")
    for k, u in enumerate(uniques):
        if isinstance(u, (pd.Timestamp, np.datetime64)) or hasattr(u, "year"):
            ts = pd.Timestamp(u)
            parsed[k] = np.datetime64(ts.date(), "D") if not pd.isna(ts) else np.datetime64("NaT")
            continue
        s = str(u).strip()
        if s == "" or s.lower() in ("nan", "nat", "none", "null"):
            continue
        if not iso.match(s):
            pos = int(np.argmax(codes == k))
            raise where.error(pos, u, "is not a date nrrkit can read", "write dates as 2024-01-31")
        try:
            parsed[k] = np.datetime64(pd.Timestamp(s if len(s) > 7 else s + "-01").date(), "D")
        except ValueError:
            pos = int(np.argmax(codes == k))
            raise where.error(pos, u, "is not a real date", "write dates as 2024-01-31") from None
    ok = codes >= 0
    out[ok] = parsed[codes[ok]]
    if not allow_empty:
        empty = np.isnat(out)
        if empty.any():
            pos = int(np.argmax(empty))
            raise where.error(pos, values.iloc[pos], "is empty", "every line needs a start date", int(empty.sum()) - 1)
    return out


def month_ord(d: np.ndarray) -> np.ndarray:
    m = d.astype("datetime64[M]").astype("int64")
    return m  # months since 1970-01 == Period[M] ordinal
