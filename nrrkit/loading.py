"""Loading revenue data into the canonical MRR table (docs/definitions.md, section 1).

The canonical table has one row per customer per calendar month:

``customer_id`` (str), ``month`` (``Period[M]``), ``mrr`` (float64, >= 0), and any
other columns kept as attributes.  Every loader validates at the boundary, once,
and either returns that table or raises :class:`nrrkit.DataError` with a one-line
message.  No row is dropped or changed silently: whatever was normalised is listed
in the load report (``table.attrs["load_report"]``).
"""

from __future__ import annotations

import csv
import difflib
import io
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ._record import Record
from .errors import DataError, shorten
from .parsing import Located, ordinals_to_periods, parse_money, parse_months, to_period

__all__ = ["read_mrr", "from_wide", "from_subscriptions", "LoadReport", "load_report"]

CANONICAL = ("customer_id", "month", "mrr")


class LoadReport(Record):
    """What a loader read and what it did to it.

    Attributes
    ----------
    source : str
        File name, or ``"DataFrame"``.
    rows_read : int
        Data rows in the input (header and blank rows excluded).
    blank_rows : int
        Rows with every cell empty, skipped.
    rows_summed : int
        Rows folded into another row of the same customer and month (several
        subscriptions of one customer): ``rows_read - rows_summed`` rows remain.
    customers, months : int
        Distinct customers, and calendar months from the first to the last.
    first_month, last_month : str
    total_mrr : float
        Sum of ``mrr`` over the loaded table; equal to the sum of the parsed input.
    currency : str
        The currency symbol the data used, or the one the caller named ('' if neither).
    notes : list of str
        Every normalisation applied (byte-order mark removed, delimiter detected,
        column matched by case, sheet chosen, ...).
    """

    def __init__(self, source: str, rows_read: int = 0, blank_rows: int = 0, rows_summed: int = 0,
                 customers: int = 0, months: int = 0, first_month: str = "", last_month: str = "",
                 total_mrr: float = 0.0, currency: str = "", notes: list[str] | None = None) -> None:
        super().__init__(source=source, rows_read=rows_read, blank_rows=blank_rows, rows_summed=rows_summed,
                         customers=customers, months=months, first_month=first_month, last_month=last_month,
                         total_mrr=total_mrr, currency=currency, notes=list(notes or []))

    def __str__(self) -> str:
        lines = [
            f"Loaded {self.source}: {self.rows_read:,} rows, {self.customers:,} customers, "
            f"{self.months} months ({self.first_month} to {self.last_month}), "
            f"total MRR {self.currency or ''}{self.total_mrr:,.2f}",
        ]
        if self.blank_rows:
            lines.append(f"  {self.blank_rows:,} blank row(s) skipped")
        lines += [f"  {n}" for n in self.notes]  # summed duplicates are one of the notes
        return "\n".join(lines)



def load_report(table: pd.DataFrame) -> LoadReport | None:
    """The :class:`LoadReport` a loader attached to ``table`` (None for a hand-made table)."""
    rep = table.attrs.get("load_report")
    return LoadReport(**rep) if isinstance(rep, dict) and not isinstance(rep, LoadReport) else rep


# --------------------------------------------------------------------------- reading files


@dataclass
class _Raw:
    frame: pd.DataFrame  # cells as read; columns = header names
    source: str
    kind: str  # csv, excel, parquet, frame
    rows: np.ndarray | None  # user-visible row numbers per frame position (csv/excel)
    notes: list[str]
    blank_rows: int = 0

    def locate(self, pos: int) -> str:
        if self.rows is not None:
            return f"row {int(self.rows[pos])}"
        if self.kind == "parquet":
            return f"record {pos + 1}"
        label = self.frame.index[pos]
        return f"row {pos + 1} (index {label!r})"

    def where(self, column: str) -> Located:
        return Located(self.source, column, self.locate)


def _source_name(source: Any) -> str:
    if isinstance(source, (str, os.PathLike)):
        return Path(source).name
    return "DataFrame"


def _read_source(source: Any, *, sheet: str | int | None = None) -> _Raw:
    if isinstance(source, pd.DataFrame):
        raw = _Raw(source, "DataFrame", "frame", None, [])
        _check_header(list(map(str, source.columns)), raw)
        return raw
    if not isinstance(source, (str, os.PathLike)):
        raise DataError(
            f"cannot read a {type(source).__name__}; pass a path to a .csv, .xlsx or .parquet file, or a DataFrame"
        )
    path = Path(source)
    name = path.name
    if not path.exists():
        raise DataError(f"{name}: no such file ({path}); check the path")
    if path.is_dir():
        raise DataError(f"{name}: is a folder, not a file; pass the path of a .csv, .xlsx or .parquet file")
    suffix = "".join(s.lower() for s in path.suffixes[-2:]) if path.suffix.lower() == ".gz" else path.suffix.lower()
    if suffix in (".csv", ".txt", ".tsv", ".csv.gz", ".tsv.gz"):
        return _read_csv(path)
    if suffix in (".xlsx", ".xlsm"):
        return _read_excel(path, sheet)
    if suffix in (".parquet", ".pq"):
        return _read_parquet(path)
    if suffix == ".xls":
        raise DataError(f"{name}: the old .xls format is not supported; save it as .xlsx or .csv")
    raise DataError(f"{name}: unknown file type '{path.suffix}'; use .csv, .xlsx or .parquet")


def _decode(path: Path, data: bytes, notes: list[str]) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        notes.append("a UTF-8 byte-order mark at the start of the file was removed")
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
        notes.append("the file was UTF-16 text (Excel's 'Unicode text'); it was read as such")
        return text
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        notes.append("the file is not UTF-8; it was read as Windows-1252 (Excel's default on Windows)")
        return data.decode("cp1252")


def _read_csv(path: Path) -> _Raw:
    name = path.name
    data = path.read_bytes()
    if path.suffix.lower() == ".gz":
        import gzip

        data = gzip.decompress(data)
    notes: list[str] = []
    if not data.strip():
        raise DataError(
            f"{name}: the file is empty; expected a header row such as customer_id,month,mrr and one row per customer and month"
        )
    text = _decode(path, data, notes)
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    counts = {d: first.count(d) for d in (",", ";", "\t", "|")}
    delim = max(counts, key=lambda d: counts[d])
    if counts[delim] == 0:
        delim = ","
    if delim != ",":
        shown = {"\t": "tab", ";": "semicolon", "|": "pipe"}[delim]
        notes.append(f"the columns are separated by {shown}s; detected from the header")
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=delim,
            header=None,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            engine="c",
            quoting=csv.QUOTE_MINIMAL,
        )
    except pd.errors.ParserError as exc:
        m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
        if m:
            exp, line, saw = m.groups()
            raise DataError(
                f"{name}, row {line}: has {saw} values but the header has {exp}; an amount such as 1,200 "
                f"must be in quotes (\"1,200\"), or save the file with a separator that no value contains"
            ) from None
        raise DataError(f"{name}: cannot be read as CSV ({str(exc).strip()}); check the file") from None
    except pd.errors.EmptyDataError:
        raise DataError(f"{name}: the file is empty; expected a header row such as customer_id,month,mrr") from None
    # Physical row numbers: pandas keeps blank lines as rows when skip_blank_lines=False,
    # but a quoted field spanning lines makes one record; count records (as a spreadsheet does).
    header = [str(h) for h in frame.iloc[0].tolist()]
    body = frame.iloc[1:].reset_index(drop=True)
    body.columns = range(body.shape[1])
    rows = np.arange(2, len(body) + 2)
    raw = _Raw(body, name, "csv", rows, notes)
    _finish_header(header, raw)
    return raw


def _read_excel(path: Path, sheet: str | int | None) -> _Raw:
    import openpyxl

    name = path.name
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # zip errors, invalid xml ...
        raise DataError(f"{name}: cannot be opened as an Excel workbook ({type(exc).__name__}); save it again as .xlsx") from None
    notes: list[str] = []
    try:
        names = wb.sheetnames
        if sheet is not None:
            if isinstance(sheet, int):
                if not 0 <= sheet < len(names):
                    raise DataError(f"{name}: has {len(names)} sheets; sheet number {sheet} does not exist")
                ws = wb[names[sheet]]
            elif sheet not in names:
                raise DataError(f"{name}: has no sheet '{sheet}' (sheets: {', '.join(names)}); name one of them")
            else:
                ws = wb[sheet]
            rows = list(ws.iter_rows(values_only=True))
        elif len(names) == 1:
            ws = wb[names[0]]
            rows = list(ws.iter_rows(values_only=True))
        else:
            sheets = {n: list(wb[n].iter_rows(values_only=True)) for n in names}
            filled = [n for n, r in sheets.items() if any(any(c not in (None, "") for c in row) for row in r)]
            if len(filled) == 1:
                notes.append(f"read sheet '{filled[0]}' (the only one of {len(names)} sheets with data)")
                rows = sheets[filled[0]]
            else:
                raise DataError(
                    f"{name}: has {len(names)} sheets with data ({', '.join(filled)}); "
                    f"name the one to read with sheet='...' (CLI: --sheet)"
                )
    finally:
        wb.close()
    first = next((i for i, r in enumerate(rows) if any(c not in (None, "") for c in r)), None)
    if first is None:
        raise DataError(f"{name}: the sheet is empty; expected a header row such as customer_id, month, mrr")
    header = ["" if c is None else str(c) for c in rows[first]]
    width = len(header)
    while width and header[width - 1] == "":
        width -= 1
    body_rows = [list(r[:width]) + [None] * (width - len(r)) for r in rows[first + 1 :]]
    body = pd.DataFrame(body_rows, columns=range(width), dtype=object)
    body = body.map(lambda v: "" if v is None else v)
    raw = _Raw(body, name, "excel", np.arange(first + 2, first + 2 + len(body_rows)), notes)
    _finish_header(header[:width], raw)
    return raw


def _read_parquet(path: Path) -> _Raw:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        schema = pq.read_schema(path)
        # text columns are read dictionary-encoded: a few distinct strings repeated over
        # millions of rows decode once, and arrive as pandas Categoricals with integer codes
        text = [f.name for f in schema if pa.types.is_string(f.type) or pa.types.is_large_string(f.type)]
        table = pq.read_table(path, read_dictionary=text)
        frame = pd.DataFrame({name: _arrow_column(table.column(name)) for name in table.column_names}, copy=False)
    except Exception as exc:
        raise DataError(f"{path.name}: cannot be read as Parquet ({type(exc).__name__}: {exc}); check the file") from None
    raw = _Raw(frame, path.name, "parquet", None, [])
    _check_header(list(map(str, frame.columns)), raw)
    return raw


def _arrow_column(col):
    """One Arrow column as pandas, building Categoricals straight from dictionary indices."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not pa.types.is_dictionary(col.type):
        return col.to_pandas()
    arr = col.unify_dictionaries().combine_chunks() if col.num_chunks != 1 else col.chunk(0)
    if not isinstance(arr, pa.DictionaryArray):  # combine_chunks of one chunk
        arr = arr.dictionary_encode()
    codes = pc.fill_null(arr.indices, -1).to_numpy(zero_copy_only=False)
    categories = pd.Index(arr.dictionary.to_pandas())
    return pd.Categorical.from_codes(codes, categories=categories, validate=False)


def _check_header(header: list[str], raw: _Raw) -> None:
    seen: dict[str, int] = {}
    for i, h in enumerate(header):
        key = h.strip()
        if key in seen:
            raise DataError(
                f"{raw.source}, row 1: the column name '{key}' appears twice (columns {seen[key] + 1} and {i + 1}); "
                f"rename one of them"
            )
        seen[key] = i


def _finish_header(header: list[str], raw: _Raw) -> None:
    """Name the body's columns from the header row, dropping empty unnamed columns."""
    if len(raw.frame) == 0 and not any(h.strip() for h in header):
        raise DataError(f"{raw.source}: the file is empty; expected a header row such as customer_id,month,mrr")
    keep, names = [], []
    for i, h in enumerate(header):
        h = h.strip()
        if h == "":
            col = raw.frame[i] if i in raw.frame.columns else pd.Series([], dtype=object)
            has_data = bool((col.astype(str).str.strip() != "").any()) if len(col) else False
            if has_data:
                pos = int(np.argmax((col.astype(str).str.strip() != "").to_numpy()))
                raise DataError(
                    f"{raw.source}, {raw.locate(pos)}: column {i + 1} holds {shorten(col.iloc[pos])} "
                    f"but has no name in the header; add a name"
                )
            raw.notes.append(f"column {i + 1} has no name and no data; ignored")
            continue
        keep.append(i)
        names.append(h)
    _check_header(names, raw)
    frame = raw.frame[keep].copy()
    frame.columns = names
    # blank rows (every cell empty) carry no data: skip and count them
    if len(frame):
        blank = np.ones(len(frame), dtype=bool)
        for c in frame.columns:
            col = frame[c]
            blank &= (col.astype(str).str.strip() == "").to_numpy()
        if blank.any():
            raw.blank_rows = int(blank.sum())
            frame = frame.loc[~blank].reset_index(drop=True)
            raw.rows = raw.rows[~blank]
    raw.frame = frame


def _resolve(raw: _Raw, wanted: dict[str, str]) -> dict[str, str]:
    """Map canonical names to the input's column names; case/space/underscore-insensitive as a fallback."""
    cols = list(map(str, raw.frame.columns))

    def norm(s: str) -> str:
        return re.sub(r"[\s_\-]+", "", s.strip().lower())

    found: dict[str, str] = {}
    missing = []
    for canon, given in wanted.items():
        if given in cols:
            found[canon] = given
            continue
        matches = [c for c in cols if norm(c) == norm(given)]
        if len(matches) == 1:
            found[canon] = matches[0]
            raw.notes.append(f"column '{matches[0]}' used as {canon} (matched '{given}' ignoring case and spaces)")
        else:
            missing.append((canon, given))
    if missing:
        canon, given = missing[0]
        hint = difflib.get_close_matches(given, cols, n=1, cutoff=0.5)
        option = {"customer_id": "customer", "month": "month", "mrr": "mrr"}.get(canon, canon)
        flag = {"customer_id": "--customer-col", "month": "--month-col", "mrr": "--mrr-col"}.get(canon, "")
        suggestion = f"did you mean '{hint[0]}'? " if hint else ""
        if not len(raw.frame) and not cols:
            raise DataError(f"{raw.source}: the file is empty; expected a header row such as customer_id,month,mrr")
        raise DataError(
            f"{raw.source}, row 1: no column '{given}' for {canon} (columns: {', '.join(cols) or 'none'}); "
            f"{suggestion}name the right one with {option}='...'" + (f" (CLI: {flag})" if flag else "")
        )
    return found


def _customer_ids(values: pd.Series, where: Located) -> tuple[np.ndarray, pd.Index]:
    """Factorize customer ids after stripping white space; refuse empty ids.

    Returns one code per row and the cleaned ids (``" a"`` and ``"a"`` are one customer).
    """
    if isinstance(values.dtype, pd.CategoricalDtype):  # dictionary-encoded Parquet column
        codes = values.cat.codes.to_numpy()
        uniques = pd.Index(values.cat.categories)
        used = np.bincount(codes if codes.min() >= 0 else codes[codes >= 0], minlength=len(uniques)) > 0
        if not used.all():  # a dictionary entry no row uses: renumber without it
            remap = np.cumsum(used) - 1
            codes = np.where(codes >= 0, remap[np.maximum(codes, 0)], -1)
            uniques = uniques[used]
    else:
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
    if -1 in codes:
        pos = int(np.argmax(codes == -1))
        raise where.error(pos, "", "is empty", "every row needs a customer id; fill it in or delete the row",
                          int((codes == -1).sum()) - 1)
    is_text = pd.api.types.is_string_dtype(uniques.dtype) and not pd.api.types.is_object_dtype(uniques.dtype)
    if is_text:
        texts_arr = pd.Series(uniques).str.strip().to_numpy(dtype=object)
    else:
        texts = []
        for u in uniques:
            if isinstance(u, (float, np.floating)) and float(u).is_integer():
                u = int(u)  # Excel stores 1001 as 1001.0
            texts.append(str(u).strip())
        texts_arr = np.array(texts, dtype=object)
    empty = texts_arr == ""
    if empty.any():
        is_bad = np.isin(codes, np.flatnonzero(empty))
        pos = int(np.argmax(is_bad))
        raise where.error(pos, values.iloc[pos], "is blank", "every row needs a customer id; fill it in or delete the row",
                          int(is_bad.sum()) - 1)
    if is_text and bool((texts_arr == np.asarray(uniques, dtype=object)).all()):
        return codes, pd.Index(uniques, dtype="str")  # nothing to strip: keep the codes
    codes2, uniques2 = pd.factorize(texts_arr)
    return codes2[codes], pd.Index(uniques2, dtype="str")


def _canonical(
    raw: _Raw,
    cols: dict[str, str],
    *,
    duplicates: str,
    month_format: str | None,
    decimal: str,
    currency: str | None,
    max_month: Any,
) -> pd.DataFrame:
    frame = raw.frame
    if len(frame) == 0:
        raise DataError(f"{raw.source}: has a header but no data rows; add one row per customer and month")
    mm = to_period(max_month, "max_month") if max_month is not None else None
    cust_codes, cust_names = _customer_ids(frame[cols["customer_id"]], raw.where(cols["customer_id"]))
    ords = parse_months(frame[cols["month"]], raw.where(cols["month"]), month_format=month_format, max_month=mm)
    money, symbol = parse_money(frame[cols["mrr"]], raw.where(cols["mrr"]), decimal=decimal)
    attrs = [c for c in frame.columns if c not in cols.values()]
    for a in attrs:
        if a in CANONICAL:
            raise DataError(
                f"{raw.source}, row 1: column '{a}' has a reserved name while '{cols[a]}' is used as {a}; rename one of them"
            )
    n = len(frame)
    lo, hi = int(ords.min()), int(ords.max())
    span = hi - lo + 1
    key = cust_codes.astype("int64") * span + (ords - lo)
    if len(cust_names) * span <= 1_000_000_000:
        # one flag per possible customer-month: fewer distinct flags than rows means duplicates
        seen = np.zeros(len(cust_names) * span, dtype=bool)
        seen[key] = True
        has_dupes = int(np.count_nonzero(seen)) < n
        del seen
    else:
        has_dupes = bool(pd.Index(key).has_duplicates)
    keep = np.ones(n, dtype=bool)
    if has_dupes:
        dup_first = pd.Index(key).duplicated(keep="first")
        if duplicates == "error":
            pos = int(np.argmax(dup_first))
            first = int(np.argmax(key == key[pos]))
            raise DataError(
                f"{raw.source}, {raw.locate(pos)}, column '{cols['customer_id']}': value "
                f"{shorten(cust_names[cust_codes[pos]])} already has a row for "
                f"{pd.Period(ordinal=int(ords[pos]), freq='M')} "
                f"at {raw.locate(first)}; remove one, or pass duplicates='sum' to add them up"
            )
        if duplicates != "sum":
            raise DataError(f"duplicates must be 'sum' or 'error', not {duplicates!r}")
        # sum amounts into the first row of each customer-month; attributes come from that first row
        codes, uniq = pd.factorize(key)
        money = np.bincount(codes, weights=money, minlength=len(uniq))[codes]
        keep = ~dup_first
    kept_pos = np.flatnonzero(keep) if has_dupes else None

    def kept(arr):
        return arr if kept_pos is None else arr.take(kept_pos)

    code_type = np.int32 if len(cust_names) < 2**31 else np.int64
    columns = {
        # text ids stored once each, with integer codes per row (a pandas Categorical)
        "customer_id": pd.Categorical.from_codes(kept(cust_codes).astype(code_type, copy=False),
                                                 categories=cust_names, validate=False),
        "month": ordinals_to_periods(kept(ords)),
        "mrr": kept(money),
    }
    for a in attrs:  # keep the column's own array (Arrow strings stay Arrow strings)
        columns[a] = kept(frame[a].array)
    out = pd.DataFrame(columns, copy=False)
    months_with_rows = int(np.count_nonzero(np.bincount(ords - lo, minlength=span)))
    report = LoadReport(
        source=raw.source,
        rows_read=n,
        blank_rows=raw.blank_rows,
        rows_summed=int(n - (len(kept_pos) if kept_pos is not None else n)),
        customers=len(cust_names),
        months=span,
        first_month=str(pd.Period(ordinal=lo, freq="M")),
        last_month=str(pd.Period(ordinal=hi, freq="M")),
        total_mrr=float(out["mrr"].sum()),
        currency=currency or symbol,
        notes=list(raw.notes),
    )
    missing_months = span - months_with_rows
    if missing_months:
        report.notes.append(
            f"{missing_months} calendar month(s) between {report.first_month} and {report.last_month} have no rows; "
            f"they count as months in which nobody paid"
        )
    if has_dupes:
        n_sum = report.rows_summed
        report.notes.append(
            f"{n_sum:,} row{'s' if n_sum != 1 else ''} shared a customer and month with an earlier row and "
            f"{'were' if n_sum != 1 else 'was'} added to it "
            f"(attributes kept from the first row); pass duplicates='error' to refuse them instead"
        )
    out.attrs["load_report"] = report
    return out


def read_mrr(
    source: Any,
    *,
    customer: str = "customer_id",
    month: str = "month",
    mrr: str = "mrr",
    duplicates: str = "sum",
    month_format: str | None = None,
    decimal: str = ".",
    sheet: str | int | None = None,
    currency: str | None = None,
    max_month: Any = None,
) -> pd.DataFrame:
    """Read revenue data into the canonical MRR table.

    Parameters
    ----------
    source : path or DataFrame
        A ``.csv`` (comma, semicolon, tab or pipe separated; UTF-8, with or without
        a byte-order mark, or Windows-1252), ``.xlsx`` or ``.parquet`` file, or a DataFrame.
    customer, month, mrr : str
        Names of the input's columns.  A name that differs only by case, spaces or
        underscores (``MRR``, ``Customer ID``) is matched and the match is reported.
    duplicates : {"sum", "error"}
        Several rows for one customer and month (several subscriptions) are summed,
        and the report says how many; ``"error"`` refuses them.
    month_format : str, optional
        A ``strptime`` layout such as ``"%d/%m/%Y"`` when months are not written
        year first (``2024-01``, ``2024-01-31``), as a month name (``Jan 2024``) or
        as ``01/2024``.  ``01/02/2024`` without a format is refused as ambiguous.
    decimal : {".", ","}
        The decimal mark of amounts written as text.  With ``","``, ``1.200,50``
        reads as 1200.5.
    sheet : str or int, optional
        The sheet of an Excel file.  Without it a workbook must have one sheet with data.
    currency : str, optional
        The currency to print on the definition card; by default the symbol used
        in the data, if any.
    max_month : str, optional
        The latest month accepted (default: the current month); later months are
        refused as typos.

    Returns
    -------
    DataFrame
        ``customer_id, month, mrr`` and the input's other columns as attributes, one
        row per customer and month, in the input's order.  ``customer_id`` holds the
        ids as text, stored as a pandas Categorical (each distinct id once, an integer
        code per row: a 20-million-row table stays small and fast).  ``.attrs["load_report"]``
        holds the :class:`LoadReport`.

    Raises
    ------
    DataError
        With one line naming the file, the row (header = row 1), the column, the
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
    if duplicates not in ("sum", "error"):
        raise DataError(f"duplicates must be 'sum' or 'error', not {duplicates!r}")
    raw = _read_source(source, sheet=sheet)
    cols = _resolve(raw, {"customer_id": customer, "month": month, "mrr": mrr})
    return _canonical(
        raw, cols, duplicates=duplicates, month_format=month_format, decimal=decimal,
        currency=currency, max_month=max_month,
    )


# --------------------------------------------------------------------------- wide


def from_wide(
    source: Any,
    *,
    customer: str = "customer_id",
    month_format: str | None = None,
    decimal: str = ".",
    sheet: str | int | None = None,
    currency: str | None = None,
    max_month: Any = None,
) -> pd.DataFrame:
    """Read a founder's spreadsheet: one row per customer, one column per month.

    Every column whose header is a month (``2024-01``, ``Jan 2024``, a date cell)
    holds that month's MRR; the other columns (segment, plan, ...) are attributes
    that hold for every month.  An empty month cell means the customer paid
    nothing that month (the same as 0); every other cell must be an amount.  A
    header that looks like a date but is not a real month is an error, so a
    mistyped month is never mistaken for an attribute.

    Examples
    --------
    >>> import pandas as pd, nrrkit as nk
    >>> wide = pd.DataFrame({"customer_id": ["a", "b"], "segment": ["SMB", "SMB"],
    ...                      "2024-01": [100, None], "2024-02": [120, 50]})
    >>> nk.from_wide(wide)[["customer_id", "month", "mrr"]].astype(str).values.tolist()
    [['a', '2024-01', '100.0'], ['a', '2024-02', '120.0'], ['b', '2024-02', '50.0']]
    """
    raw = _read_source(source, sheet=sheet)
    cols = _resolve(raw, {"customer_id": customer})
    frame = raw.frame
    if len(frame) == 0:
        raise DataError(f"{raw.source}: has a header but no data rows; add one row per customer")
    month_cols: list[tuple[Any, int]] = []
    attr_cols: list[Any] = []
    mm = to_period(max_month, "max_month") if max_month is not None else None
    header_where = Located(raw.source, "", lambda pos: "row 1")
    for c in frame.columns:
        if c == cols["customer_id"]:
            continue
        text = str(c).strip()
        looks_like_date = bool(re.search(r"\d{4}|\d{1,2}[/.-]\d{1,2}", text)) or isinstance(c, pd.Timestamp)
        try:
            o = parse_months(pd.Series([c], dtype=object), header_where, month_format=month_format, max_month=mm)
            month_cols.append((c, int(o[0])))
        except DataError as exc:
            if looks_like_date:
                raise DataError(
                    f"{raw.source}, row 1, column '{text}': the header looks like a month but "
                    + str(exc).split(": value ", 1)[-1].split(" ", 1)[-1]
                ) from None
            attr_cols.append(c)
    if not month_cols:
        raise DataError(
            f"{raw.source}, row 1: no column header is a month (columns: {', '.join(map(str, frame.columns))}); "
            f"name the month columns 2024-01, 2024-02, ..."
        )
    seen: dict[int, Any] = {}
    for c, o in month_cols:
        if o in seen:
            raise DataError(
                f"{raw.source}, row 1: columns '{seen[o]}' and '{c}' are the same month; merge or rename one"
            )
        seen[o] = c
    ids = frame[cols["customer_id"]]
    n = len(frame)
    long_parts = []
    for c, o in month_cols:
        col = frame[c]
        blank = col.isna().to_numpy() | (col.astype(str).str.strip() == "").to_numpy()
        long_parts.append((c, o, np.flatnonzero(~blank)))
    pos = np.concatenate([p for _, _, p in long_parts])
    if len(pos) == 0:
        raise DataError(f"{raw.source}: every month cell is empty; there is no revenue to read")
    rows = raw.rows if raw.rows is not None else np.arange(1, n + 1)
    parts = []
    for c, o, p in long_parts:
        where = Located(raw.source, str(c), lambda i, p=p: raw.locate(int(p[i])))
        vals, _sym = parse_money(frame[c].iloc[p].reset_index(drop=True), where, decimal=decimal)
        parts.append(pd.DataFrame({"_pos": p, "_ord": o, "_mrr": vals}))
    longf = pd.concat(parts, ignore_index=True).sort_values(["_pos", "_ord"], kind="stable")
    p = longf["_pos"].to_numpy()
    canon = pd.DataFrame({"customer_id": ids.to_numpy()[p], "month": [str(pd.Period(ordinal=int(o), freq="M")) for o in longf["_ord"]],
                          "mrr": longf["_mrr"].to_numpy()})
    for a in attr_cols:
        canon[str(a)] = frame[a].to_numpy()[p]
    # reuse the long-table validation (ids, duplicate customers), pointing at the wide row
    long_raw = _Raw(canon, raw.source, "csv", rows[p] if raw.rows is not None else p + 1, list(raw.notes), raw.blank_rows)
    long_raw.notes.append(f"{len(month_cols)} month columns read ({month_cols[0][0]} to {month_cols[-1][0]}); empty cells count as 0")
    table = _canonical(
        long_raw, {"customer_id": "customer_id", "month": "month", "mrr": "mrr"},
        duplicates="sum", month_format=None, decimal=".", currency=currency, max_month=mm,
    )
    table.attrs["load_report"].rows_read = n
    return table


# --------------------------------------------------------------------------- subscriptions

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
) -> pd.DataFrame:
    """Turn subscription or contract lines into the MRR table (a month-end snapshot).

    A line counts in month *m* when it is active on the last day of *m*:
    ``start <= month end`` and (``end`` is empty or ``end > month end``).  An empty
    ``end`` runs to ``as_of`` (default: the latest month among the starts and ends).
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
    raw = _read_source(source, sheet=sheet)
    cols = _resolve(raw, {"customer_id": customer, "start": start, "end": end, "amount": amount, "interval": interval})
    frame = raw.frame
    if len(frame) == 0:
        raise DataError(f"{raw.source}: has a header but no data rows; add one row per subscription line")
    cust_codes, cust_names = _customer_ids(frame[cols["customer_id"]], raw.where(cols["customer_id"]))
    starts = _parse_dates(frame[cols["start"]], raw.where(cols["start"]), allow_empty=False)
    ends = _parse_dates(frame[cols["end"]], raw.where(cols["end"]), allow_empty=True)
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
    start_m = _month_ord(starts)
    end_known = ~np.isnat(ends)
    if as_of is None:
        last = int(max(start_m.max(), _month_ord(ends[end_known]).max() if end_known.any() else start_m.max()))
    else:
        last = int(to_period(as_of, "as_of").ordinal)
    # A line is active at the end of its start month (start <= that month's end).  It is active
    # at the end of month m only while end > m's last day; an end date inside month E (its last
    # day included) is never after E's last day, so the last active month is E - 1.
    end_m = np.full(len(frame), last, dtype="int64")
    if end_known.any():
        end_m[end_known] = np.minimum(_month_ord(ends[end_known]) - 1, last)
    lo = int(start_m.min())
    n_lines = len(frame)
    lengths = np.maximum(end_m - start_m + 1, 0)
    line_idx = np.repeat(np.arange(n_lines), lengths)
    offsets = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    month_ord = start_m[line_idx] + offsets
    mrr = money[line_idx] * factor[line_idx]
    canon = pd.DataFrame({
        "customer_id": cust_names.take(cust_codes[line_idx]),
        "month": ordinals_to_periods(month_ord),
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
    long_raw = _Raw(canon, raw.source, "frame", None, list(raw.notes))
    table = _canonical(long_raw, {"customer_id": "customer_id", "month": "month", "mrr": "mrr"},
                       duplicates="sum", month_format=None, decimal=".", currency=currency or symbol,
                       max_month=pd.Period(ordinal=max(last, lo), freq="M"))
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


def _parse_dates(values: pd.Series, where: Located, *, allow_empty: bool) -> np.ndarray:
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


def _month_ord(d: np.ndarray) -> np.ndarray:
    m = d.astype("datetime64[M]").astype("int64")
    return m  # months since 1970-01 == Period[M] ordinal
