"""Open a table in a database (or a Parquet/CSV file through DuckDB) as an MRR table.

:func:`mrr_table` checks the table the way :func:`nrrkit.read_mrr` checks a file (missing
columns, blank ids, months that are not months, empty or negative MRR, rows after
``as_of``) with two small queries, and returns an :class:`MrrTable`: the Ibis
expression every measure of :mod:`nrrkit.sql` builds on, with its horizon.

A database table has no row numbers, so an error names the table, the column, the value
and the customer id of a row that holds it (with how many rows do).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..errors import DataError, shorten
from ..io.columns import suggest
from ..parsing import to_period
from .connections import first_line, load_ibis, open_table, quiet

#: Month keys are year * 12 + month - 1 (January 2024 = 24288); a pandas Period[M]
#: ordinal is the same number less this.
KEY_OFFSET = 1970 * 12


@dataclass
class MrrTable:
    """A checked MRR table in a database: the canonical expression and its span.

    ``expr`` has the columns ``customer_id`` (text), ``month_key`` (year * 12 + month - 1),
    ``mrr`` (float64) and every attribute column as the source holds it.  ``first`` and
    ``last`` are the month keys of the horizon (docs/definitions.md, section 1).
    """

    expr: Any
    first: int
    last: int
    name: str
    rows: int
    customers: int
    customer_months: int
    attributes: list[str] = field(default_factory=list)
    last_with_rows: int | None = None
    columns: dict[str, str] = field(default_factory=dict)  # role -> the source's column name

    @property
    def months(self) -> int:
        return self.last - self.first + 1

    def period(self, key: int) -> pd.Period:
        return pd.Period(ordinal=key - KEY_OFFSET, freq="M")

    @property
    def horizon(self) -> tuple[pd.Period, pd.Period]:
        return self.period(self.first), self.period(self.last)

    def to_frame(self) -> pd.DataFrame:
        """The whole table in pandas: the MRR table :func:`nrrkit.read_mrr` gives, over the same span.

        Every pandas function of nrrkit (levers, scenarios, the pack) accepts an ``MrrTable``
        through this; it reads every row, so keep it for tables that fit in memory.
        """
        from ..io import read_mrr
        from ..months import month_starts

        with quiet():
            raw = self.expr.to_pandas()
        frame = pd.DataFrame({"customer_id": raw["customer_id"].astype("str").to_numpy(),
                              "month": month_starts(raw["month_key"].to_numpy(dtype="int64") - KEY_OFFSET),
                              "mrr": raw["mrr"].astype("float64").to_numpy()})
        for a in self.attributes:
            frame[a] = raw[a].to_numpy()
        last = self.period(self.last)
        return read_mrr(frame, through=last, max_month=max(last, pd.Timestamp.today().to_period("M")))

    def report(self) -> str:
        """What was read, in the load report's words."""
        first, last = self.horizon
        summed = self.rows - self.customer_months
        lines = [
            f"Read {self.name}: {self.rows:,} rows, {self.customers:,} customers, {first} to {last} "
            f"({self.months} months), computed in the database",
        ]
        if self.last_with_rows is not None and self.last_with_rows != self.last:
            lines.append(f"  the span runs to {last}; the last month with rows is {self.period(self.last_with_rows)}")
        if summed:
            lines.append(f"  {summed:,} row{'' if summed == 1 else 's'} repeat{'s' if summed == 1 else ''} a customer and "
                         f"month already seen: the MRR of each customer-month is summed")
        return "\n".join(lines)


def _column(t, role: str, given: str, name: str, flag: str, keyword: str) -> str:
    cols = list(t.columns)
    if given in cols:
        return given
    for c in cols:  # a name that differs in case or surrounding spaces only
        if str(c).strip().lower() == given.strip().lower():
            return c
    close = suggest(given, cols)
    also = f"; did you mean '{close}'?" if close else ""
    raise DataError(
        f"{name}: no column '{given}' for {role} (columns: {', '.join(map(str, cols))}){also}; "
        f"name the right one with {keyword}='...' (CLI: {flag})"
    )


def mrr_table(
    source,
    table: str | None = None,
    *,
    customer: str = "customer_id",
    month: str = "month",
    mrr: str = "mrr",
    as_of=None,
    duplicates: str = "sum",
) -> MrrTable:
    """Open and check a table of one row per customer and month (docs/definitions.md, section 1).

    Parameters
    ----------
    source : path, URL, Ibis connection, SparkSession or Ibis table
        A ``.duckdb`` or ``.sqlite`` file, a ``.parquet`` or ``.csv`` file (read in place by
        DuckDB), a URL for :func:`ibis.connect` (``pyspark://`` for Spark: :func:`connect`),
        a connection, a ``pyspark.sql.SparkSession`` (taken through
        ``ibis.pyspark.connect``), or a table expression.
    table : str
        The table's name (not needed for a file or a table expression), or the path of a
        Parquet or CSV file for the engine of ``source`` to read in place (Spark reads it
        on its workers).
    customer, month, mrr : str
        The columns holding the customer id, the month (a date, a timestamp or ISO text
        such as ``2024-01`` or ``2024-01-31``) and the MRR (a number >= 0).
    as_of : str or Period, optional
        The last month of the span (default: the latest month with a row); rows after it
        are refused, as :func:`nrrkit.read_mrr` refuses them.
    duplicates : {"sum", "error"}
        Several rows for one customer and month: add them up (default; the report says how
        many) or refuse the table, naming one such customer and month.

    Every other column is an attribute (``by=``).  Several rows for one customer and month
    are summed.  Two queries check the table: the distinct month values with their row
    counts (checked in Python), and one aggregate over the rows grouped by customer id (rows,
    blank and padded ids, empty and negative amounts, customers, and whether any customer has
    two rows in a month); nothing else is read into Python.  Only for a table that needs it
    does a third query run: an example row of bad input (for the message), or the exact count
    of customer-months when some are repeated (or ids are padded with spaces).
    """
    load_ibis()  # a clear message when Ibis is not installed
    t, name = open_table(source, table)
    c_col = _column(t, "customer_id", customer, name, "--customer-col", "customer")
    m_col = _column(t, "month", month, name, "--month-col", "month")
    v_col = _column(t, "mrr", mrr, name, "--mrr-col", "mrr")
    vtype = t[v_col].type()
    if not vtype.is_numeric() or vtype.is_boolean():
        raise DataError(
            f"{name}, column '{v_col}': holds {vtype} values, not numbers; store MRR as a number in the database "
            f"(e.g. CAST({v_col} AS DOUBLE)), or name another column with mrr='...' (CLI: --mrr-col)"
        )
    cid = t[c_col].cast("string")
    blank_id = cid.isnull() | (cid.strip().length() == 0)
    value = t[v_col].cast("float64")
    # 1. the months: one row per distinct value (a few dozen), checked here in Python
    months = _months(t, t[m_col], name, m_col)
    # 2. every other check in one query, over the rows grouped by customer id: each id's rows,
    # empty and negative amounts, and whether two of its rows share a month; then the ids' own
    # checks (blank, padded with spaces) once per id rather than once per row
    bits = {} if months.bad else _month_bits(months.check_key, months.first, months.last)
    per_id = t.group_by(c=cid).aggregate(n=t.count(), empty=t[v_col].isnull().sum(), negative=(value < 0).sum(),
                                         **bits)
    blank = per_id.c.isnull() | (per_id.c.strip().length() == 0)
    shared = _shares_a_month(per_id, len(bits) // 2)
    checks = per_id.aggregate(
        rows=per_id.n.sum(),
        blank_ids=per_id.n.sum(where=blank),
        padded_ids=(per_id.c != per_id.c.strip()).fill_null(False).sum(),
        empty_mrr=per_id.empty.sum(),
        negative=per_id.negative.sum(),
        customers=per_id.c.count(),
        **({"ids_with_shared_months": shared.sum()} if bits else {}),
    )
    try:
        with quiet():
            row = checks.execute().iloc[0]
    except Exception as exc:
        raise DataError(f"{name}: the database refused the checking query ({first_line(exc)})") from exc
    got = {k: 0 if pd.isna(v) else int(v) for k, v in row.items()}  # an empty table sums to NULL

    def example(cond, col):
        with quiet():
            row = t.filter(cond).select(c=cid, v=t[col].cast("string")).limit(1).execute()
        if not len(row):  # pragma: no cover - the count said there was one
            return "?", "?"
        return row["c"].iloc[0], row["v"].iloc[0]

    def more(n: int) -> str:
        return f" (and {n - 1:,} more row{'s' if n > 2 else ''} like it)" if n > 1 else ""

    n_rows = got["rows"]
    if n_rows == 0:
        raise DataError(f"{name}: the table is empty; there is nothing to measure")
    if got["blank_ids"]:
        _, v = example(blank_id, m_col)
        raise DataError(f"{name}, column '{c_col}': a row of month {shorten(v)} has no customer id{more(got['blank_ids'])}; "
                        f"every row needs a customer id: fill it in or delete the row")
    if months.empty:
        c, _ = example(t[m_col].isnull(), m_col)
        raise DataError(f"{name}, column '{m_col}': the row of customer {shorten(c)} has no month"
                        f"{more(months.empty)}; fill in the month (a date, or text such as 2024-01) or delete the row")
    if months.bad:
        v, n = months.bad[0]
        c, _ = example(t[m_col] == v, m_col)
        n_bad = sum(k for _, k in months.bad)
        raise DataError(f"{name}, column '{m_col}': value {shorten(v)} (customer {shorten(c)}) is not a month"
                        f"{more(n_bad)}; write months as dates or as text such as 2024-01 or 2024-01-31")
    if got["empty_mrr"]:
        c, _ = example(t[v_col].isnull(), v_col)
        raise DataError(f"{name}, column '{v_col}': the row of customer {shorten(c)} is empty{more(got['empty_mrr'])}; "
                        f"write 0 if the customer paid nothing that month, or delete the row")
    if got["negative"]:
        c, v = example(value < 0, v_col)
        raise DataError(f"{name}, column '{v_col}': value {shorten(v)} (customer {shorten(c)}) is negative"
                        f"{more(got['negative'])}; MRR cannot be below 0: record a refund or credit as lower MRR "
                        f"in that month, not as a negative row")
    first, last = months.first, months.last
    end = last
    key = months.key
    if as_of is not None:
        as_of = to_period(as_of, "as_of")
        end = int(as_of.ordinal) + KEY_OFFSET
        if end < last:
            later = t.filter(key > end)
            with quiet():
                n_after = int(later.count().execute())
            c, v = example(key > end, m_col)
            raise DataError(f"{name}, column '{m_col}': value {shorten(v)} (customer {shorten(c)}) is after as_of "
                            f"{as_of}{more(n_after)}; remove the later rows or move as_of")
    attrs = [c for c in t.columns if c not in (c_col, m_col, v_col)]
    padded_ids = bool(got["padded_ids"])
    # strip white space only where there is some (ids as pandas strips them)
    expr = t.select(customer_id=cid.strip() if padded_ids else cid, month_key=key, mrr=value,
                    **{a: t[a] for a in attrs if a not in ("customer_id", "month_key", "mrr")})
    if duplicates not in ("sum", "error"):
        raise DataError(f"duplicates must be 'sum' or 'error', not {duplicates!r}")
    n_pairs, customers = n_rows, got["customers"]
    if padded_ids or got.get("ids_with_shared_months"):
        # several rows in a customer-month (or ' a' and 'a', one customer): count the customers and
        # customer-months exactly, of the stripped ids and parsed months (only for such tables)
        ids = expr.group_by("customer_id").aggregate(m=expr.month_key.nunique())
        with quiet():
            again = ids.aggregate(customers=ids.count(), pairs=ids.m.sum()).execute().iloc[0]
        n_pairs, customers = int(again["pairs"]), int(again["customers"])
    if duplicates == "error" and n_pairs < n_rows:
        counts = expr.group_by(["customer_id", "month_key"]).aggregate(n=expr.count())
        with quiet():
            one = counts.filter(counts.n > 1).order_by(["customer_id", "month_key"]).limit(1).execute().iloc[0]
        extra = n_rows - n_pairs
        raise DataError(
            f"{name}: customer {shorten(one['customer_id'])} has {int(one['n'])} rows in "
            f"{pd.Period(ordinal=int(one['month_key']) - KEY_OFFSET, freq='M')}"
            f"{f' ({extra:,} extra rows in all)' if extra > int(one['n']) - 1 else ''}; remove one, or pass "
            f"duplicates='sum' (CLI: --duplicates sum) to add them up"
        )
    return MrrTable(expr=expr, first=first, last=end, name=name, rows=n_rows, customers=customers,
                    customer_months=n_pairs,
                    attributes=[a for a in attrs if a not in ("customer_id", "month_key", "mrr")],
                    last_with_rows=last, columns={"customer_id": c_col, "month": m_col, "mrr": v_col})


#: Months per word of :func:`_month_bits`: the bits of 31 months fit an int32 (1 << 30 at
#: most), and their sums (int64 in every engine) stay far from an overflow, which Spark's
#: ANSI mode refuses, however many rows share a customer-month.
_WORD = 31


def _month_bits(key, first: int, last: int) -> dict:
    """Per customer, the sum of its rows' month bits and the number of its rows, per word of months.

    Each row sets the bit of its month (``1 << (month - first)``, in words of :data:`_WORD`
    months).  Over a customer's rows of one word the sum of the bits has as many bits set as
    there are rows exactly when no bit is added twice, i.e. when no two rows share a month
    (adding a bit already set carries, which leaves fewer bits set).  A sum and a count are
    plain aggregates every engine has, much cheaper than ``COUNT(DISTINCT customer, month)``;
    :func:`_shares_a_month` counts the bits, once per customer.
    """
    ibis = load_ibis()
    idx = key - first
    words = (last - first) // _WORD + 1
    one = ibis.literal(1, type="int32")  # int32 << int32: the one shift PostgreSQL has for a literal 1
    out = {}
    for w in range(words):
        if words == 1:
            out["s0"] = (one << idx.cast("int32")).sum()
            out["r0"] = idx.notnull().sum()
        else:
            inside = idx // _WORD == w
            out[f"s{w}"] = (one << (idx % _WORD).cast("int32")).sum(where=inside)
            out[f"r{w}"] = inside.sum()
    return out


def _shares_a_month(per_id, words: int):
    """Whether a customer (a row of ``per_id``) has two rows in one month: bits set < rows, in some word."""
    ibis = load_ibis()
    shared = ibis.literal(False)
    for w in range(words):
        x = per_id[f"s{w}"].fill_null(0) & 0x7FFFFFFF  # a carry past the word's 31 bits leaves fewer set
        # the bits set of a 31-bit number, by adding neighbouring bit counts (no loop over the bits)
        x = x - ((x >> 1) & 0x55555555)
        x = (x & 0x33333333) + ((x >> 2) & 0x33333333)
        x = (x + (x >> 4)) & 0x0F0F0F0F
        bits_set = ((x * 0x01010101) >> 24) & 0xFF
        shared = shared | (bits_set != per_id[f"r{w}"].fill_null(0))
    return shared


@dataclass
class _Months:
    key: Any  # the month key expression the measures use
    first: int
    last: int
    empty: int  # rows with no month
    bad: list  # (value, rows) of text that is not a month, most frequent first
    check_key: Any = None  # the same keys, computed more cheaply where the values allow (for the checks)


_ISO_MONTH = re.compile(r"^[0-9]{4}-(0[1-9]|1[0-2])([-T ].*)?$")


def _months(t, col, name: str, column: str) -> _Months:
    """Read the distinct month values (with their row counts) and check them here.

    A table has few distinct months, so this is one small grouped query however many rows
    there are, and the checks can be exactly those of the file readers' ISO months.
    """
    dtype = col.type()
    if dtype.is_date() or dtype.is_timestamp():
        key = col.year().cast("int64") * 12 + col.month().cast("int64") - 1
        g = t.group_by(k=key).aggregate(n=t.count())
        with quiet():
            rows = g.execute()
        nulls = int(rows.loc[rows["k"].isna(), "n"].sum())
        keys = rows["k"].dropna().astype("int64")
        return _Months(key=key, first=int(keys.min()) if len(keys) else 0, last=int(keys.max()) if len(keys) else 0,
                       empty=nulls, bad=[], check_key=key)
    if not dtype.is_string():
        raise DataError(
            f"{name}, column '{column}': holds {dtype} values, not months; store the month as a date, a timestamp "
            f"or text such as 2024-01 (e.g. CAST(... AS DATE)), or name another column with month='...' "
            f"(CLI: --month-col)"
        )
    g = t.group_by(v=col).aggregate(n=t.count())
    try:
        with quiet():
            rows = g.execute()
    except Exception as exc:
        raise DataError(f"{name}: the database refused the checking query ({first_line(exc)})") from exc
    empty, bad, keys, padded = 0, [], {}, False
    for v, n in zip(rows["v"], rows["n"]):
        if v is None or (isinstance(v, float) and pd.isna(v)):
            empty += int(n)
            continue
        text = str(v).strip()
        padded |= text != str(v)
        if not _ISO_MONTH.match(text):
            bad.append((str(v), int(n)))
            continue
        keys.setdefault(int(text[:4]) * 12 + int(text[5:7]) - 1, []).append(v)
    bad.sort(key=lambda x: (-x[1], x[0]))
    s = col.strip() if padded else col
    key = s.substr(0, 4).cast("int64") * 12 + s.substr(5, 2).cast("int64") - 1
    first = min(keys) if keys else 0
    last = max(keys) if keys else 0
    check_key = key
    if not padded and all(len(str(v)) == 7 for vs in keys.values() for v in vs):
        # every value is YYYY-MM: one replace and one cast give YYYYMM (a third of the checking
        # query's cost at 200k customers went to two substrings and two casts)
        ym = col.replace("-", "").cast("int64")
        check_key = (ym // 100) * 12 + ym % 100 - 1
    return _Months(key=key, first=first, last=last, empty=empty, bad=bad, check_key=check_key)


def as_source(data) -> MrrTable:
    """An :class:`MrrTable` as it is, or :func:`mrr_table` of anything else (default columns)."""
    return data if isinstance(data, MrrTable) else mrr_table(data)
