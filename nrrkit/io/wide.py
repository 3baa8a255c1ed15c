"""The wide shape: one row per customer, one column per month (a founder's spreadsheet)."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from ..errors import DataError, shorten
from ..months import month_starts
from ..parsing import LOCAL_MONTHS, Located, infer_day_month, parse_money, parse_months, to_period
from .columns import resolve
from .files import Raw, read_source
from .long import canonical
from .totals import check_totals_option, describe, find_total_rows, is_total_column_header

__all__ = ["from_wide", "month_columns"]

_LOOKS_LIKE_DATE = re.compile(r"\d{4}|\d{1,2}[/.-]\d{1,2}")
_ACCOUNTING_ZERO = r"\s*[$€£¥]?\s*[-–—]\s*[$€£¥]?\s*"
_DAY_MONTH = re.compile(r"^\d{1,2}[-/.]\d{1,2}[-/.](\d{2}|\d{4})$")


_EN = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
#: Month names in the other languages founders keep their sheets in (German, French, Spanish, Italian, Dutch,
#: Portuguese): a header such as 'Mär 24', 'janv. 2024' or 'Dez 2024' is that month
_LOCAL_HEADER = re.compile(r"^(?P<name>[^\W\d_]{3,10})\.?(?P<rest>[ \-']+'?\d{2}|[ \-']?\d{4})$")
_NAME_YY = re.compile(r"^[^\W\d_]{3,10}\.?[ \-']+'?\d{2}$")  # a word and a two-digit year: 'Mär 24'


def _in_english(text: str) -> str:
    """A month header written in another language, in English ('Mär 24' -> 'Mar 24'); else ``text``."""
    m = _LOCAL_HEADER.match(text)
    if not m:
        return text
    k = LOCAL_MONTHS.get(m["name"].lower())
    return text if k is None else _EN[k - 1].capitalize() + m["rest"]


def _holds_amounts(col: pd.Series) -> bool:
    """Every filled cell of the column is a number (an amount, maybe with a currency symbol)."""
    text = col.astype(str).str.strip()
    filled = ~_is_blank(col)
    if not filled.any():
        return False
    nums = pd.to_numeric(text[filled].str.replace(r"[$€£¥,.\s]", "", regex=True).str.lstrip("-"), errors="coerce")
    return bool(nums.notna().all())


def month_columns(raw: Raw, skip: set, *, month_format: str | None = None, max_month=None):
    """Split the header into month columns ``[(name, ordinal)]``, total columns and attribute columns."""
    months: list[tuple[Any, int]] = []
    total_cols: list[Any] = []
    attrs: list[Any] = []
    local: list[str] = []
    header_where = Located(raw.source, "", lambda pos: raw.header_where)
    # headers such as 1/1/2024, 2/1/2024, ...: the row of headers settles which number is the month
    slashed = [str(c).strip() for c in raw.frame.columns if c not in skip and _DAY_MONTH.match(str(c).strip())]
    order = infer_day_month(slashed) if month_format is None and len(slashed) >= 2 else None
    if order is not None:
        raw.notes.append(f"month headers read as {order[1]}")
    for c in raw.frame.columns:
        if c in skip:
            continue
        text = str(c).strip()
        if is_total_column_header(text):
            total_cols.append(c)
            continue
        fmt = order[0] if order is not None and text in slashed else month_format
        english = _in_english(text) if fmt is None and not isinstance(c, pd.Timestamp) else text
        try:
            o = parse_months(pd.Series([english if english != text else c], dtype=object), header_where,
                             month_format=fmt, max_month=max_month)
            months.append((c, int(o[0])))
            if english != text:
                local.append(f"{text} as {english}")
        except DataError as exc:
            if _NAME_YY.match(text) and _holds_amounts(raw.frame[c]):
                # 'Mär 24' in a sheet nrrkit cannot read as a month would be an attribute, and that month's
                # revenue would be lost without a word: refuse it
                raise DataError(
                    f"{raw.source}, {raw.header_where}, column '{text}': the header looks like a month (a name and a "
                    f"two-digit year) and the column holds amounts, but nrrkit cannot read it as a month; write it "
                    f"as 2024-03 or Mar 24, or name the layout with month_format (CLI: --month-format)") from None
            if _LOOKS_LIKE_DATE.search(text) or isinstance(c, pd.Timestamp):
                raise DataError(
                    f"{raw.source}, {raw.header_where}, column '{text}': the header looks like a month but "
                    + str(exc).split(": value ", 1)[-1].split(" ", 1)[-1]
                ) from None
            attrs.append(c)
    if local:
        raw.notes.append(f"{len(local)} month header(s) in another language read as months ("
                         f"{', '.join(local[:3])}{', ...' if len(local) > 3 else ''})")
    return months, total_cols, attrs


def _is_blank(col: pd.Series) -> np.ndarray:
    return col.isna().to_numpy() | (col.astype(str).str.strip() == "").to_numpy()


def _warn_repeated_rows(raw: Raw, ids: list[str], rows: np.ndarray, any_amount: np.ndarray) -> None:
    """A customer on two rows of a wide sheet (one row per customer): added up, and a warning names the rows."""
    seen: dict[str, list[int]] = {}
    for i in rows:
        if ids[i] and any_amount[i]:
            seen.setdefault(ids[i], []).append(int(i))
    repeated = {k: v for k, v in seen.items() if len(v) > 1}
    if not repeated:
        return
    name, at = next(iter(repeated.items()))
    where = "rows " + " and ".join(raw.locate(i).replace("row ", "", 1) for i in at[:3])
    more = f" ({len(repeated) - 1} more customer(s) like it)" if len(repeated) > 1 else ""
    raw.warnings.append(f"customer {shorten(name)} is on {len(at)} rows ({where}){more}: a wide sheet has one row per "
                        f"customer, so their amounts are added up month by month; if a row is there twice by "
                        f"mistake, delete it")


def from_wide(
    source: Any,
    *,
    customer: str = "customer_id",
    month_format: str | None = None,
    decimal: str = ".",
    sheet: str | int | None = None,
    currency: str | None = None,
    max_month: Any = None,
    as_of: Any = None,
    totals: str = "drop",
    rates: Any = None,
    basis: str = "constant",
    shape_reason: str = "",
    _raw: Raw | None = None,
) -> pd.DataFrame:
    """Read a founder's spreadsheet: one row per customer, one column per month.

    Every column whose header is a month (``2024-01``, ``Jan 2024``, a date cell) holds
    that month's MRR; the other columns (segment, plan, notes...) are attributes that hold
    for every month.  An empty month cell means the customer paid nothing that month (the
    same as 0); every other cell must be an amount (``$1,200.00`` is read as 1200).  A
    header that looks like a date but is not a real month is an error, so a mistyped month
    is never mistaken for an attribute.

    Rows and columns that are not customers or months are left out and named in the load
    report (``totals="error"`` refuses them instead): a Total, Subtotal or Sum row (by its
    label, or because it equals the sum of the rows above it), and a Total, YTD, FY2024 or
    quarter column.  A title above the header is skipped and reported.

    Examples
    --------
    >>> import pandas as pd, nrrkit as nk
    >>> wide = pd.DataFrame({"customer_id": ["a", "b", "Total"], "segment": ["SMB", "SMB", ""],
    ...                      "2024-01": [100, None, 100], "2024-02": [120, 50, 170]})
    >>> t = nk.from_wide(wide)
    >>> t[["customer_id", "month", "mrr"]].astype(str).values.tolist()
    [['a', '2024-01-01', '100.0'], ['a', '2024-02-01', '120.0'], ['b', '2024-02-01', '50.0']]
    >>> nk.load_report(t).left_out[0]["label"]
    'Total'
    """
    check_totals_option(totals)
    raw = _raw if _raw is not None else read_source(source, sheet=sheet)
    cols = resolve(raw, {"customer_id": customer})
    frame = raw.frame
    if len(frame) == 0:
        raise DataError(f"{raw.source}: has a header but no data rows; add one row per customer")
    mm = to_period(max_month, "max_month") if max_month is not None else None
    if as_of is not None and mm is None:
        mm = max(to_period(as_of, "as_of"), pd.Timestamp.today().to_period("M"))
    month_cols, total_cols, attr_cols = month_columns(raw, {cols["customer_id"]}, month_format=month_format,
                                                      max_month=mm)
    if not month_cols:
        raise DataError(
            f"{raw.source}, {raw.header_where}: no column header is a month (columns: "
            f"{', '.join(map(str, frame.columns))}); name the month columns 2024-01, 2024-02, ..., or name their "
            f"layout with month_format='%b-%y' (CLI: --month-format)"
        )
    if as_of is not None:
        late = [c for c, o in month_cols if o > to_period(as_of, "as_of").ordinal]
        if late:
            raise DataError(f"{raw.source}, {raw.header_where}, column '{late[0]}': the month is after as_of "
                            f"{to_period(as_of, 'as_of')} ({len(late)} month column(s) are); remove the later "
                            f"columns, or choose a later as_of (CLI: --as-of)")
    have = sorted(o for _c, o in month_cols)
    gaps = [o for o in range(have[0], have[-1] + 1) if o not in set(have)]
    if gaps:  # a month column deleted or hidden reads as a month nobody paid: everyone churns, then comes back
        shown = ", ".join(str(pd.Period(ordinal=o, freq="M")) for o in gaps[:3]) + (" ..." if len(gaps) > 3 else "")
        raw.warnings.append(f"the sheet has no column for {len(gaps)} month(s) inside its span ({shown}): each reads "
                            f"as a month in which nobody paid, so every customer churns into it and comes back after "
                            f"it; add the missing column (an empty one says nobody paid)")
    seen: dict[int, Any] = {}
    for c, o in month_cols:
        if o in seen:
            raise DataError(
                f"{raw.source}, {raw.header_where}: columns '{seen[o]}' and '{c}' are the same month; merge or rename one"
            )
        seen[o] = c
    n = len(frame)
    values = np.zeros((n, len(month_cols)))
    filled = np.zeros((n, len(month_cols)), dtype=bool)
    symbols = set()
    dashes = 0
    for j, (c, _o) in enumerate(month_cols):
        dash = frame[c].astype(str).str.fullmatch(_ACCOUNTING_ZERO).to_numpy(dtype=bool)
        dashes += int(dash.sum())
        p = np.flatnonzero(~_is_blank(frame[c]) & ~dash)
        where = Located(raw.source, str(c), lambda i, p=p: raw.locate(int(p[i])))
        vals, sym = parse_money(frame[c].iloc[p].reset_index(drop=True), where, decimal=decimal)
        values[p, j] = vals
        filled[p, j] = True
        if sym:
            symbols.add(sym)
    notes = raw.notes
    if dashes:
        notes.append(f"{dashes} month cell(s) hold an accounting zero ('-' or '$ -'); read as 0")
    left_out: list[dict] = []
    id_col = cols["customer_id"]
    ids = ["" if pd.isna(v) else str(v).strip() for v in frame[id_col].tolist()]
    text_cols = [id_col] + [a for a in attr_cols]
    labels = [[("" if pd.isna(v) else str(v)) for v in row] for row in frame[text_cols].itertuples(index=False)]
    groups = set()
    for a in attr_cols:
        groups.update(str(v).strip() for v in frame[a].tolist() if not pd.isna(v) and str(v).strip())
    month_names = [str(pd.Period(ordinal=o, freq="M")) for _c, o in month_cols]
    total_rows = find_total_rows(labels, ids, values, groups=groups, month_names=month_names)
    if total_rows:
        i, label, why = total_rows[0]
        if totals == "error":
            raise DataError(
                f"{raw.source}, {raw.locate(i)}: {shorten(label) if label else 'the row'} is a total, not a customer "
                f"({why}); delete it, or pass totals='drop' (CLI: --totals drop) to leave it out"
            )
        for i, label, why in total_rows:
            left_out.append({"what": describe(raw.locate(i), label, why), "rows": 1, "label": label,
                             "mrr": float(values[i].sum()), "first_row": raw.locate(i)})
    for c in total_cols:
        col_vals = frame[c]
        text = col_vals.astype(str)
        if decimal == ",":  # 3.701,00 is 3701.00
            text = text.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
        nums = pd.to_numeric(text.str.replace(r"[$€£¥,\s]", "", regex=True), errors="coerce")
        row_sum = values.sum(axis=1)
        ok = ~_is_blank(col_vals)
        equal = bool(ok.any()) and bool(np.allclose(nums[ok].to_numpy(dtype=float), row_sum[ok], rtol=1e-9, atol=0.005,
                                                    equal_nan=False))
        why = ("it equals each row's sum of the month columns" if equal else
               "its header is a total or a period, not a month")
        if totals == "error":
            raise DataError(f"{raw.source}, {raw.header_where}, column '{c}': a total column, not a month ({why}); "
                            f"delete it, or pass totals='drop' (CLI: --totals drop) to leave it out")
        left_out.append({"what": f"column '{c}': a total, not a month; {why}", "rows": 0, "label": str(c),
                         "mrr": 0.0, "first_row": raw.header_where})
    drop = {i for i, _l, _w in total_rows}
    any_amount = filled.any(axis=1)
    no_id = np.array([not x for x in ids])
    # rows with neither an id nor an amount (a note under the table) carry no revenue: say so
    stray = [i for i in range(n) if i not in drop and no_id[i] and not any_amount[i]]
    if stray:
        first = stray[0]
        text = " ".join(x for x in labels[first] if x.strip())
        notes.append(f"{len(stray)} row(s) have no customer id and no amount (the first, {raw.locate(first)}: "
                     f"{shorten(text, 50)}); they hold no revenue and were not read")
        drop.update(stray)
    never = [i for i in range(n) if i not in drop and not no_id[i] and not any_amount[i]]
    if never:
        notes.append(f"{len(never)} customer row(s) have no amount in any month (the first, {raw.locate(never[0])}: "
                     f"{shorten(ids[never[0]])}); they are not in the MRR table")
    keep_rows = np.array([i for i in range(n) if i not in drop], dtype=np.int64)
    _warn_repeated_rows(raw, ids, keep_rows, any_amount)
    for a in attr_cols:
        if re.search(r"\d", str(a)) and _holds_amounts(frame[a]):
            raw.warnings.append(f"column '{a}' holds amounts, but its header is not a month nrrkit can read: it is "
                                f"kept as an attribute and none of it counts as revenue; if it is a month, write its "
                                f"header as 2024-03 or Mar 2024")
    if attr_cols:
        notes.append(f"column(s) {', '.join(repr(str(a)) for a in attr_cols)} kept as attributes (each row's value "
                     f"holds for every month)")
    pos_list, ord_list, mrr_list = [], [], []
    for j, (_c, o) in enumerate(month_cols):
        p = keep_rows[filled[keep_rows, j]]
        pos_list.append(p)
        ord_list.append(np.full(len(p), o, dtype=np.int64))
        mrr_list.append(values[p, j])
    p = np.concatenate(pos_list)
    if len(p) == 0:
        raise DataError(f"{raw.source}: every month cell is empty; there is no revenue to read")
    o = np.concatenate(ord_list)
    v = np.concatenate(mrr_list)
    order = np.lexsort((o, p))
    p, o, v = p[order], o[order], v[order]
    canon = pd.DataFrame({"customer_id": frame[id_col].to_numpy()[p],
                          "month": month_starts(o), "mrr": v})
    for a in attr_cols:
        canon[str(a)] = frame[a].to_numpy()[p]
    rows = raw.rows[p] if raw.rows is not None else None
    long_raw = Raw(canon, raw.source, "csv" if rows is not None else raw.kind, rows, list(notes), raw.blank_rows,
                   raw.header_row, pos_map=None if rows is not None else (p if raw.pos_map is None else raw.pos_map[p]),
                   attrs={"card_notes": list(raw.attrs.get("card_notes", []))}, left_out=list(raw.left_out),
                   warnings=list(raw.warnings))
    long_raw.notes.append(f"{len(month_cols)} month columns read ({month_cols[0][0]} to {month_cols[-1][0]}); "
                          f"empty cells count as 0")
    reason = shape_reason or f"{len(month_cols)} column headers are months"
    table = canonical(
        long_raw, {"customer_id": "customer_id", "month": "month", "mrr": "mrr"},
        duplicates="sum", month_format=None, decimal=".", currency=currency if currency is not None else next(iter(symbols), None),
        max_month=mm, as_of=as_of, totals=totals, shape="wide", shape_reason=reason, left_out=left_out,
        rates=rates, basis=basis,
    )
    table.attrs["load_report"].rows_read = n - len(total_rows) + sum(int(x.get("rows", 0)) for x in raw.left_out)
    return table
