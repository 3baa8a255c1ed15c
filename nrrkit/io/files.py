"""Reading a file (CSV, Excel, Parquet) or a DataFrame into cells with user-visible row numbers.

Every reader returns a :class:`Raw`: the cells under their header names, and for each
row the row number a person sees in the file (the header row is row 1 unless a title
sits above it).  Nothing here decides what the columns mean; the shapes do
(:mod:`nrrkit.io.long`, :mod:`nrrkit.io.wide`, :mod:`nrrkit.io.lines`).
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..encode import categorical
from ..engine import threads
from ..errors import DataError, shorten
from ..parsing import Located, looks_like_month

__all__ = ["Raw", "read_source", "source_name", "norm_name", "find_header"]

#: Rows looked at to find the header row (titles and notes may sit above it).
HEADER_SCAN = 30


@dataclass
class Raw:
    frame: pd.DataFrame  # cells as read; columns = header names
    source: str
    kind: str  # csv, excel, parquet, frame
    rows: np.ndarray | None  # user-visible row numbers per frame position (csv/excel)
    notes: list[str]
    blank_rows: int = 0
    header_row: int = 1  # the row number of the header as the user sees it
    attrs: dict = field(default_factory=dict)  # a DataFrame's or a Parquet file's attrs
    pos_map: np.ndarray | None = None  # position in the input, once rows were left out
    row_offset: int | None = None  # rows = position + row_offset (a file with no blank line), without an array
    used: set = field(default_factory=set)  # columns a reader used (shared by every subset)
    left_out: list = field(default_factory=list)  # rows left out before the reader (where=), shared by subsets
    warnings: list = field(default_factory=list)  # what changes revenue and the caller should look at

    def locate(self, pos: int) -> str:
        if self.rows is not None:
            return f"row {int(self.rows[pos])}"
        orig = int(self.pos_map[pos]) if self.pos_map is not None else pos
        if self.row_offset is not None:
            return f"row {orig + self.row_offset}"
        if self.kind == "parquet":
            return f"record {orig + 1}"
        label = self.frame.index[pos]
        label = label.item() if hasattr(label, "item") else label  # 3, never np.int64(3)
        return f"row {orig + 1} (index {label!r})"

    def subset(self, keep: np.ndarray) -> Raw:
        """The same input without the rows left out; row numbers still point into the file."""
        pos_map = keep if self.pos_map is None else self.pos_map[keep]
        return Raw(self.frame.iloc[keep], self.source, self.kind, None if self.rows is None else self.rows[keep],
                   self.notes, self.blank_rows, self.header_row, self.attrs, pos_map, self.row_offset, self.used,
                   self.left_out, self.warnings)

    def where(self, column: str) -> Located:
        return Located(self.source, column, self.locate)

    @property
    def header_where(self) -> str:
        return f"row {self.header_row}"


def norm_name(s: str) -> str:
    """A column name folded for matching: lower case, no spaces, underscores or dashes."""
    return re.sub(r"[\s_\-]+", "", str(s).strip().lower())


def source_name(source: Any) -> str:
    if isinstance(source, (str, os.PathLike)):
        return Path(source).name
    return "DataFrame"


def read_source(source: Any, *, sheet: str | int | None = None, text: Iterable[str] = (),
                numbers: Iterable[str] = ()) -> Raw:
    """Read ``source`` into a :class:`Raw`.

    ``text`` and ``numbers`` name the columns the caller will read as text (ids, months)
    and as amounts: a CSV is then parsed with those types straight away (the fast path),
    and only falls back to reading every cell as text when a value does not fit.
    """
    if isinstance(source, pd.DataFrame):
        raw = Raw(source, "DataFrame", "frame", None, [], attrs=dict(source.attrs))
        check_header(list(map(str, source.columns)), raw)
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
        return read_csv(path, text=set(text), numbers=set(numbers))
    if suffix in (".xlsx", ".xlsm"):
        return read_excel(path, sheet)
    if suffix in (".parquet", ".pq"):
        return read_parquet(path)
    if suffix == ".xls":
        raise DataError(f"{name}: the old .xls format is not supported; save it as .xlsx or .csv")
    raise DataError(f"{name}: unknown file type '{path.suffix}'; use .csv, .xlsx or .parquet")


# --------------------------------------------------------------------------- the header row


def _filled(cells) -> int:
    return sum(1 for c in cells if c is not None and str(c).strip() != "")


def find_header(grid: list[list], wanted: Iterable[str] = ()) -> int:
    """Index of the header row among the first rows of a sheet.

    A title, a date or a note above the table fills one or two cells; the header fills
    most of the columns.  The header is the first row that holds one of the names the
    caller asked for, else the first row filled at least 60% as much as the fullest row.
    """
    grid = grid[:HEADER_SCAN]
    counts = [_filled(r) for r in grid]
    if not counts or max(counts) == 0:
        return 0
    wanted_norm = {norm_name(w) for w in wanted if w}
    if wanted_norm:
        for i, r in enumerate(grid):
            if counts[i] >= 2 and any(c is not None and norm_name(c) in wanted_norm for c in r):
                # a fuller row above it is the header (a data cell can hold a wanted word: "month")
                above = [j for j in range(i) if counts[j] >= max(3, counts[i])]
                return above[0] if above else i
    top = max(counts)
    first = next((i for i, k in enumerate(counts) if k >= max(2, 0.6 * top)), None)
    if first is None:
        return next(i for i, k in enumerate(counts) if k)
    if first + 1 < len(grid):
        # a header over two rows: names in this row, months in the next one under its empty cells
        # (Excel's merged cells: "Customer" over both rows, "Revenue" over the month columns)
        row, below = grid[first], grid[first + 1]
        months_below = [j for j, c in enumerate(below) if looks_like_month(c)]
        gaps = [j for j in months_below if j >= len(row) or row[j] is None or str(row[j]).strip() == ""]
        if len(months_below) >= 2 and gaps:
            return first + 1
    return first


def _skipped_note(grid: list[list], h: int, first_row_number: int) -> str | None:
    above = [(first_row_number + i, [str(c).strip() for c in r if c is not None and str(c).strip()])
             for i, r in enumerate(grid[:h])]
    above = [(n, cells) for n, cells in above if cells]
    if not above:
        return None
    shown = "; ".join(f"row {n}: {shorten(' '.join(cells), 50)}" for n, cells in above[:3])
    more = f" and {len(above) - 3} more" if len(above) > 3 else ""
    return (f"the header is row {first_row_number + h}; the row(s) above it (a title, a note or the upper half of a merged header) were skipped "
            f"({shown}{more})")


def _fill_merged(header: list, above: list | None, notes: list[str]) -> list:
    """A header cell merged over two rows (Excel) has its text in the row above: take it from there."""
    if above is None:
        return header
    out = list(header)
    for j, c in enumerate(out):
        if (c is None or str(c).strip() == "") and j < len(above) and above[j] is not None and str(above[j]).strip():
            out[j] = above[j]
            notes.append(f"column {j + 1} has no name in the header row; its name '{str(above[j]).strip()}' "
                         f"comes from the cell above (a merged header)")
    return out


# --------------------------------------------------------------------------- CSV


def decode(path: Path, data: bytes, notes: list[str]) -> str:
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


def _sniff(text: str) -> tuple[str, list[list[str]], list[int]]:
    """The delimiter, the first rows split into cells, and their physical line indices."""
    lines = text[: 1 << 16].splitlines()[: HEADER_SCAN * 2]
    nonblank = [(i, ln) for i, ln in enumerate(lines) if ln.strip()][:HEADER_SCAN]
    # the separator that splits the most lines into the same number (2 or more) of cells, quotes
    # respected: '1.200,50' in a file separated by semicolons has a comma, but the commas split
    # the lines unevenly (a title row above the header is one cell whatever the separator)
    best, delim = (0, 0), ","
    for d in (",", ";", "\t", "|"):
        counts = [len(next(csv.reader([ln], delimiter=d), [])) for _, ln in nonblank]
        split = [c for c in counts if c > 1]
        if not split:
            continue
        width = max(set(split), key=lambda c: (split.count(c), c))
        score = (split.count(width), width)
        if score > best:
            best, delim = score, d
    grid = [next(csv.reader([ln], delimiter=delim), []) for _, ln in nonblank]
    return delim, grid, [i for i, _ in nonblank]


def read_csv(path: Path, *, text: set[str] = frozenset(), numbers: set[str] = frozenset()) -> Raw:
    name = path.name
    gz = path.suffix.lower() == ".gz"
    big = not gz and path.stat().st_size > (1 << 22)
    # a big plain file is not read into Python: its head finds the separator and the header, and
    # Arrow reads the file itself; anything it cannot take is read whole for the careful path
    data = _head_bytes(path) if big else path.read_bytes()
    if gz:
        import gzip

        data = gzip.decompress(data)
    notes: list[str] = []
    if not data[:4096].strip() and not data.strip():
        raise DataError(
            f"{name}: the file is empty; expected a header row such as customer_id,month,mrr and one row per customer and month"
        )
    # Only the head is decoded up front (to find the separator and the header); Arrow checks the
    # rest is UTF-8 as it parses, and any file it cannot take is decoded whole for the careful path.
    head = _utf8_head(data)
    sniff_text = head if head is not None else decode(path, data, [])
    delim, grid, line_idx = _sniff(sniff_text)
    if delim != ",":
        shown = {"\t": "tab", ";": "semicolon", "|": "pipe"}[delim]
        notes.append(f"the columns are separated by {shown}s; detected from the header")
    h = find_header(grid, list(text) + list(numbers)) if grid else 0
    header_line = line_idx[h] if grid else 0  # physical line index (0-based) of the header
    skipped = _skipped_note(grid, h, 1) if h else None
    if skipped:
        notes.append(skipped)
    header = _fill_merged(grid[h], grid[h - 1] if h else None, notes) if grid else []
    raw = None
    plain_header = header and all(str(c).strip() for c in header) and len({str(c).strip() for c in header}) == len(header)
    bom = data.startswith(b"\xef\xbb\xbf")
    if plain_header and head is not None:
        raw = _read_csv_arrow(name, path if big and not bom else data, delim, header_line,
                              [str(c).strip() for c in header], text, numbers, list(notes))
        if raw is not None and bom:
            raw.notes.insert(0, "a UTF-8 byte-order mark at the start of the file was removed")
    if raw is None:
        if big:
            data = path.read_bytes()
        decoded = decode(path, data, notes)
        raw = _read_csv_text(name, decoded, delim, header_line, header, notes)
    raw.header_row = header_line + 1
    return raw


def _head_bytes(path: Path) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(1 << 16) + b"x" * 8  # marks that the file goes on past the head


def _utf8_head(data: bytes) -> str | None:
    """The first 64 KB as text when the file is UTF-8 (byte-order mark dropped); None otherwise."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    head = data[3:1 << 16] if data.startswith(b"\xef\xbb\xbf") else data[:1 << 16]
    if len(data) > len(head) + 3:
        cut = head.rfind(b"\n")
        head = head[:cut] if cut > 0 else head
    try:
        return head.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _read_csv_text(name: str, decoded: str, delim: str, header_line: int, header: list, notes: list[str]) -> Raw:
    """Every cell as text (the careful path: any file pandas' C parser can read)."""
    try:
        frame = pd.read_csv(
            io.StringIO(decoded),
            sep=delim,
            header=None,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            skiprows=header_line,
            engine="c",
            quoting=csv.QUOTE_MINIMAL,
        )
    except pd.errors.ParserError as exc:
        m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
        if m:
            exp, line, saw = m.groups()
            raise DataError(
                f"{name}, row {int(line) + header_line}: has {saw} values but the header has {exp}; an amount such as "
                f"1,200 must be in quotes (\"1,200\"), or save the file with a separator that no value contains"
            ) from None
        raise DataError(f"{name}: cannot be read as CSV ({str(exc).strip()}); check the file") from None
    except pd.errors.EmptyDataError:
        raise DataError(f"{name}: the file is empty; expected a header row such as customer_id,month,mrr") from None
    # Row numbers count records (a quoted field spanning lines is one row, as in a spreadsheet);
    # blank lines are kept as rows so the numbers match what an editor shows.
    first = [str(h) for h in frame.iloc[0].tolist()]
    header = [str(c) if c is not None and str(c).strip() else first[j] for j, c in enumerate(header)] \
        if len(header) == len(first) else first
    body = frame.iloc[1:].reset_index(drop=True)
    body.columns = range(body.shape[1])
    rows = np.arange(header_line + 2, header_line + 2 + len(body))
    raw = Raw(body, name, "csv", rows, notes)
    finish_header(header, raw)
    return raw


def _read_csv_arrow(name: str, data: bytes | Path, delim: str, header_line: int, header: list[str],
                    text: set[str], numbers: set[str], notes: list[str]) -> Raw | None:
    """The fast path: Arrow's parser with the types the caller expects; None when the file needs the careful path."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    wanted_num = {norm_name(t) for t in numbers}
    wanted_text = {norm_name(t) for t in text}
    types = {}
    for hname in header:
        k = norm_name(hname)
        # every text column arrives dictionary-encoded by the parser's threads, a dictionary per block
        # (nrrkit.encode merges them): ids and months are parsed once per distinct value, and an
        # attribute such as a segment or a plan, the same few words on millions of rows, is held as
        # 4-byte codes rather than as text (a quarter of the memory at 1M customers x 36 months)
        types[hname] = pa.float64() if k in wanted_num else pa.dictionary(pa.int32(), pa.large_string())
    if isinstance(data, bytes):
        source = io.BytesIO(data[3:] if data.startswith(b"\xef\xbb\xbf") else data)
        size = len(data)
    else:
        source = str(data)  # a path: Arrow reads it in blocks while it parses
        size = data.stat().st_size
    try:
        # empty lines are not skipped: one makes the read fail and the careful path counts it, so
        # every record here is one line and a row's number is its position + the header's line + 2
        table = pacsv.read_csv(
            source,
            read_options=pacsv.ReadOptions(skip_rows=header_line + 1, column_names=header,
                                           use_threads=threads() > 1, block_size=parse_block(size)),
            parse_options=pacsv.ParseOptions(delimiter=delim, ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(column_types=types, strings_can_be_null=False,
                                                 quoted_strings_can_be_null=False, null_values=[""]),
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
        return None  # a value that does not fit its type, a ragged or empty line, a quoted line break...
    if table.num_rows == 0:
        return None
    import pyarrow.compute as pc

    for hname in header:
        col = table.column(hname)
        if col.null_count:  # an empty amount: the careful path words the error
            return None
        if pa.types.is_floating(col.type):
            # a negative or non-finite amount is an error, quoted as the file writes it: the careful path
            bad = pc.or_(pc.less(col, 0), pc.invert(pc.is_finite(col)))
            if pc.any(bad).as_py():
                return None
    if not any(pa.types.is_floating(table.column(h).type) for h in header):  # noqa: SIM102
        # all text (a wide sheet): an empty line or a line of separators leaves every cell empty;
        # the careful path skips and counts such rows
        empty = None
        for h in header:
            col = table.column(h)
            col = col.cast(col.type.value_type) if pa.types.is_dictionary(col.type) else col
            e = pc.equal(pc.utf8_length(pc.utf8_trim_whitespace(col)), 0)
            empty = e if empty is None else pc.and_(empty, e)
        if pc.any(empty).as_py():
            return None

    def convert(name, col):
        if norm_name(name) in wanted_text or not pa.types.is_dictionary(col.type):
            return arrow_column(col)
        return attribute_column(col)

    frame = pd.DataFrame({h: convert(h, table.column(h)) for h in header}, copy=False)
    return Raw(frame, name, "csv", None, notes, row_offset=header_line + 2)


def parse_block(size: int) -> int:
    """Bytes per block of Arrow's CSV parser for a file of ``size`` bytes: four blocks per thread, 1-16 MB.

    Each block is parsed on one thread and gets a dictionary of its own for every text column.
    Arrow's default (1 MB) cuts a 1 GB file into a thousand blocks, a thousand dictionaries of
    customer ids to merge; 16 MB blocks read the benchmark's 1M x 36 file (1 GB) in 1.8 s where
    1 MB blocks took 2.3 s (medians), and 32 MB or larger blocks were slower again (2-core VM, 2026-12-05).
    Four blocks per thread keep every core busy on a smaller file.

    >>> parse_block(1 << 30) >> 20, parse_block(10_000) >> 20
    (16, 1)
    """
    per_block = size // (4 * max(1, threads()))
    return int(min(1 << 24, max(1 << 20, per_block)))


def _string_dtype():
    """pandas' text dtype backed by Arrow, with NaN for missing values (the default text dtype of pandas 3)."""
    try:
        return pd.StringDtype("pyarrow", na_value=np.nan)
    except TypeError:  # pandas 2.2
        return pd.StringDtype("pyarrow_numpy")


# --------------------------------------------------------------------------- Excel and Parquet


def read_excel(path: Path, sheet: str | int | None) -> Raw:
    import openpyxl

    name = path.name
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # zip errors, invalid xml ...
        with open(path, "rb") as fh:
            head = fh.read(4096)
        if head[:2] != b"PK" and _utf8_head(head) is not None and any(d in head for d in (b",", b";", b"\t")):
            raise DataError(f"{name}: is a text file (a CSV), not an Excel workbook; rename it to "
                            f"{path.stem}.csv and read that") from None
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
    h = first + find_header([list(r) for r in rows[first:first + HEADER_SCAN]])
    if h > first:
        note = _skipped_note([list(r) for r in rows[first:h]], h - first, first + 1)
        if note:
            notes.append(note)
    merged = _fill_merged(list(rows[h]), list(rows[h - 1]) if h > first else None, notes)
    first = h
    header = ["" if c is None else (c.strftime("%Y-%m") if hasattr(c, "strftime") else str(c)) for c in merged]
    width = len(header)
    while width and header[width - 1] == "":
        width -= 1
    body_rows = [list(r[:width]) + [None] * (width - len(r)) for r in rows[first + 1 :]]
    body = pd.DataFrame(body_rows, columns=range(width), dtype=object)
    body = body.map(lambda v: "" if v is None else v)
    raw = Raw(body, name, "excel", np.arange(first + 2, first + 2 + len(body_rows)), notes)
    finish_header(header[:width], raw)
    raw.header_row = first + 1
    return raw


def read_parquet(path: Path) -> Raw:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        schema = pq.read_schema(path)
        # text columns are read dictionary-encoded: a few distinct strings repeated over
        # millions of rows decode once, and arrive as pandas Categoricals with integer codes
        text = [f.name for f in schema if pa.types.is_string(f.type) or pa.types.is_large_string(f.type)]
        table = pq.read_table(path, read_dictionary=text, use_threads=threads() > 1)
        frame = pd.DataFrame({name: arrow_column(table.column(name)) for name in table.column_names}, copy=False)
    except Exception as exc:
        raise DataError(f"{path.name}: cannot be read as Parquet ({type(exc).__name__}: {exc}); check the file") from None
    meta = (table.schema.metadata or {}).get(b"PANDAS_ATTRS")
    attrs = {}
    if meta:
        import json

        try:
            attrs = json.loads(meta)
        except ValueError:
            attrs = {}
    raw = Raw(frame, path.name, "parquet", None, [], attrs=attrs if isinstance(attrs, dict) else {})
    check_header(list(map(str, frame.columns)), raw)
    return raw


def arrow_column(col):
    """One Arrow column as pandas: a dictionary-encoded one as a Categorical (:func:`nrrkit.encode.categorical`)."""
    import pyarrow as pa

    if not pa.types.is_dictionary(col.type):
        return col.to_pandas()
    return categorical(col)


def attribute_column(col):
    """A dictionary-encoded text attribute as pandas: a Categorical when its values repeat, else text.

    A segment, a plan or a channel (a few values over many rows) becomes a Categorical, as it
    does from Parquet. A column with a different value on most rows (a note, an invoice number)
    is decoded to pandas' Arrow-backed text, where a Categorical would only add a dictionary.
    """
    import pyarrow as pa

    cat = categorical(col)
    if 2 * len(cat.categories) <= len(cat):
        return cat
    text_dtype = _string_dtype()
    return col.cast(pa.large_string()).to_pandas(
        types_mapper=lambda t: text_dtype if t in (pa.string(), pa.large_string()) else None)


def check_header(header: list[str], raw: Raw) -> None:
    seen: dict[str, int] = {}
    for i, h in enumerate(header):
        key = h.strip()
        if key in seen:
            raise DataError(
                f"{raw.source}, row 1: the column name '{key}' appears twice (columns {seen[key] + 1} and {i + 1}); "
                f"rename one of them"
            )
        seen[key] = i


def finish_header(header: list[str], raw: Raw) -> None:
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
    check_header(names, raw)
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


