"""Result tables out of Python: CSV, JSON and Parquet in one call (docs/definitions.md, "Tables and files").

Inside Python every result uses one representation: a month is its first day
(``datetime64[ns]``, ``2024-06-01``; a quarter or year is its first day too, with a
``period_label`` such as ``2024-Q2`` or ``2024``), customer ids and segment labels
are text, amounts and rates are float64 at full precision.  Results of different
functions therefore join on ``month``/``period``/``cohort`` and ``customer_id``
without conversion, and every other tool reads the dates as dates.

In CSV and JSON files a date is written as its month, ``YYYY-MM`` (every nrrkit date
is a month's first day), labels as they are (``2024-Q2``); in Parquet files dates are
DATE columns (DuckDB, Polars, Arrow and Spark read them as dates).  Numbers keep
every digit (nothing rounded), missing values are empty (CSV) or ``null`` (JSON).
The JSON and Parquet files also carry the column types and the result's ``.attrs``
(its definition card), so :func:`read_table` gives back the very table that was
written::

    import nrrkit as nk
    tables = nk.study(mrr, by="segment")          # bridge M and Q, retention, cohorts, segments, movers
    nk.write_tables(tables, "out/", format="parquet")   # one file per table + index.json
    nk.read_table("out/retention_quarterly.parquet")    # the same DataFrame again

``nrrkit report FILE -o DIR`` does the same from the command line.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .errors import DataError
from .months import is_month_starts, label, labels, month_starts, ordinals

__all__ = ["FORMATS", "MONEY_COLUMNS", "period_text", "plain_table", "round_money", "write_tables", "read_table",
           "study"]

FORMATS = ("csv", "json", "parquet")
INDEX_FILE = "index.json"
_META_KEY = b"nrrkit"
_SCHEMA_VERSION = 1

#: Columns that hold money (rounded to cents by the command line, never by the API).
MONEY_COLUMNS = frozenset({
    "mrr", "prev_mrr", "change", "start_mrr", "end_mrr", "new", "reactivation", "expansion", "contraction", "churn",
    "adj_expansion", "adj_contraction", "adj_churn", "start_arr", "retained_arr", "new_arr", "end_arr", "spend",
    "total_mrr", "numerator_mrr",
})


# --------------------------------------------------------------------------- text forms


def period_text(p: pd.Period) -> str:
    """``2024-01`` for a month (a Period or a month's first day), ``2024-Q1`` for a quarter, ``2024`` for a year."""
    if p is None or p is pd.NaT:
        return None  # type: ignore[return-value]
    if isinstance(p, (pd.Timestamp, np.datetime64)):
        return label(p)
    code = _freq_code(p.freq)
    if code == "M":
        return f"{p.year:04d}-{p.month:02d}"
    if code == "Q":
        return f"{p.year:04d}-Q{p.quarter}"
    if code == "Y":
        return f"{p.year:04d}"
    return str(p)


def _freq_code(freq) -> str:
    name = getattr(freq, "freqstr", str(freq)).upper()
    if name.startswith("Q"):
        return "Q" if name in ("Q", "Q-DEC", "QE", "QE-DEC") else "other"
    if name.startswith(("Y", "A")):
        return "Y" if name in ("Y", "A", "Y-DEC", "A-DEC", "YE", "YE-DEC") else "other"
    return "M" if name in ("M", "ME") else "other"


def periods_from_text(values, freq: str) -> pd.arrays.PeriodArray:
    """The periods :func:`period_text` wrote: ``2024-01`` (M), ``2024-Q1`` (Q), ``2024`` (Y).

    Empty or missing text is NaT.  Read by position (year, then month or quarter), so a column
    of millions of months costs a few array operations, not a parse per value.
    """
    if freq not in ("M", "Q", "Y"):
        return pd.array([_parse_period(x, freq) for x in values], dtype=pd.PeriodDtype(freq))
    s = pd.Series(values, dtype="object")
    missing = (s.isna() | (s.astype(str) == "")).to_numpy()
    filler = {"M": "1970-01", "Q": "1970-Q1", "Y": "1970"}[freq]
    t = s.where(~missing, filler).astype(str)
    years = t.str.slice(0, 4).astype("int64").to_numpy() - 1970
    if freq == "M":
        ords = years * 12 + t.str.slice(5, 7).astype("int64").to_numpy() - 1
    elif freq == "Q":
        ords = years * 4 + t.str.slice(-1).astype("int64").to_numpy() - 1
    else:
        ords = years
    ords = np.where(missing, np.iinfo("int64").min, ords).astype("int64")  # the minimum is NaT's ordinal
    return pd.arrays.PeriodArray(ords, dtype=pd.PeriodDtype(freq))


def dates_from_text(values, freq: str = "M") -> pd.DatetimeIndex:
    """First days (``datetime64[ns]``) of the periods written ``2024-01``, ``2024-Q1`` or ``2024``; empty is NaT."""
    per = pd.PeriodIndex(periods_from_text(values, freq))
    if freq != "M":
        per = per.asfreq("M", "start")
    return month_starts(per.asi8)


def _parse_period(text, code: str):
    if text is None or (isinstance(text, float) and math.isnan(text)) or text == "":
        return pd.NaT
    s = str(text)
    if code == "Q":
        return pd.Period(s.replace("-Q", "Q"), freq="Q")
    return pd.Period(s, freq=code)


def _kind(dtype) -> dict:
    """How a column is written and read back."""
    if isinstance(dtype, pd.PeriodDtype):
        code = _freq_code(dtype.freq)
        if code == "other":
            raise DataError(f"cannot write a column of periods {dtype}; months, quarters and years only")
        return {"kind": "period", "freq": code}
    if isinstance(dtype, np.dtype) and dtype.kind == "M":
        return {"kind": "date"}
    if isinstance(dtype, pd.CategoricalDtype):
        return {"kind": "category", "categories": [str(c) for c in dtype.categories], "ordered": bool(dtype.ordered)}
    if pd.api.types.is_bool_dtype(dtype):
        return {"kind": "bool"}
    if pd.api.types.is_integer_dtype(dtype):
        return {"kind": "int", "dtype": str(dtype)}
    if pd.api.types.is_float_dtype(dtype):
        return {"kind": "float"}
    if pd.api.types.is_string_dtype(dtype):  # pandas' text dtype, or object columns of text
        return {"kind": "text", "dtype": str(dtype)}
    raise DataError(f"cannot write a column of type {dtype}; convert it to text or numbers first")


def _schema(frame: pd.DataFrame) -> dict:
    index_names: list = []
    if not isinstance(frame.index, pd.RangeIndex) or frame.index.name is not None:
        index_names = [n if n is not None else "index" for n in frame.index.names]
    flat = frame.reset_index() if index_names else frame
    if index_names:
        flat.columns = [*index_names, *frame.columns]
    cols = []
    for name, col in flat.items():
        if not isinstance(name, (str, int, np.integer)) or isinstance(name, bool):
            raise DataError(f"cannot write a column named {name!r}; column names must be text or whole numbers")
        cols.append({"name": str(name), "label": "int" if isinstance(name, (int, np.integer)) else "str",
                     **_kind(col.dtype)})
    return {"version": _SCHEMA_VERSION, "columns": cols, "index": [str(n) for n in index_names],
            "columns_name": frame.columns.name}


def plain_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The table as CSV and JSON files carry it: dates as ``YYYY-MM`` text, categories as text,
    a meaningful index (a cohort table's) as the first column, column names as text.

    Amounts are not rounded.  The result's ``to_json``, ``to_csv`` and ``round`` work as on any
    table of text and numbers.

    Examples
    --------
    >>> import nrrkit as nk
    >>> b = nk.bridge(nk.datasets.load_tiny(), freq="Q")
    >>> plain_table(b)[["period", "period_label", "start_mrr", "end_mrr"]].values.tolist()
    [['2024-01', '2024-Q1', 0.0, 720.0], ['2024-04', '2024-Q2', 720.0, 590.0]]
    """
    schema = _schema(frame)
    flat = frame.reset_index() if schema["index"] else frame.copy()
    flat.columns = [c["name"] for c in schema["columns"]]
    for c in schema["columns"]:
        col = flat[c["name"]]
        if c["kind"] == "period":
            flat[c["name"]] = _text([period_text(p) if not pd.isna(p) else None for p in col])
        elif c["kind"] == "date":
            flat[c["name"]] = _date_text(col)
        elif c["kind"] == "category":
            flat[c["name"]] = _text([str(x) if not pd.isna(x) else None for x in col])
    flat.attrs = {}
    return flat


def _date_text(col: pd.Series):
    """``YYYY-MM`` for a month's first day; any other instant in full ISO form (nothing lost)."""
    values = col.to_numpy()
    if is_month_starts(pd.Series(values[~np.isnat(values)])):
        return _text([None if np.isnat(v) else label(v) for v in values])
    return _text([None if np.isnat(v) else pd.Timestamp(v).isoformat() for v in values])


def _text(values: list):
    """Text with missing values kept missing: pandas' ``str`` dtype (pandas 3), else object."""
    try:
        return pd.array(values, dtype=pd.StringDtype(na_value=np.nan))
    except TypeError:  # pandas 2.2: text columns are object columns
        return np.array(values, dtype=object)


def _restore(flat: pd.DataFrame, schema: dict, from_text: bool = False) -> pd.DataFrame:
    out = {}
    for c in schema["columns"]:
        col = flat[c["name"]]
        kind = c["kind"]
        if kind == "period":  # a file of an older version, or a table of Periods: their first days
            vals = dates_from_text(col.astype(object).where(col.notna(), None).to_numpy(), c["freq"]).to_numpy()
        elif kind == "date":
            vals = _dates_back(col)
        elif kind == "category":
            vals = pd.Categorical(col.astype(object).where(col.notna(), None), categories=c["categories"],
                                  ordered=c["ordered"])
        elif kind == "bool":
            vals = (col.astype(str) == "True").to_numpy() if from_text else col.astype(bool).to_numpy()
        elif kind == "int":
            vals = pd.to_numeric(col).astype(c["dtype"]).to_numpy()
        elif kind == "float" and from_text:  # Python's float() reads back every digit the file holds
            vals = np.array([math.nan if x is None or x == "" else float(x) for x in col], dtype="float64")
        elif kind == "float":
            vals = pd.to_numeric(col).astype("float64").to_numpy()
        else:
            vals = col.astype(c["dtype"]) if c["dtype"] != "object" else col.astype(object)
            vals = vals.array
        out[c["name"]] = vals
    frame = pd.DataFrame(out, index=None)
    frame.columns = [int(c["name"]) if c["label"] == "int" else c["name"] for c in schema["columns"]]
    if schema["index"]:
        frame = frame.set_index(schema["index"])
        if len(schema["index"]) == 1 and schema["index"] == ["index"]:
            frame.index.name = None
    frame.columns = pd.Index(list(frame.columns), name=schema.get("columns_name"))  # ages: int64 again
    return frame


def _dates_back(col: pd.Series):
    """A date column as written (``YYYY-MM`` text, ISO text, or Parquet dates) -> ``datetime64[ns]``."""
    obj = col.astype(object).where(col.notna(), None)
    text = [v for v in obj if v is not None]
    if text and all(isinstance(v, str) and len(v) == 7 for v in text):
        return dates_from_text(obj.to_numpy(), "M").to_numpy()
    return pd.to_datetime(obj).astype("datetime64[ns]").to_numpy()


def _attrs_json(attrs: Mapping) -> dict:
    """``.attrs`` as plain JSON values (a missing number, NaN, becomes null)."""
    return _finite(json.loads(json.dumps(dict(attrs), default=_json_default)))


def _finite(value):
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return value


def _json_default(value: Any):
    if isinstance(value, (pd.Period, pd.Timestamp)):
        return period_text(value)
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating,)):
        return float(value)
    if isinstance(value, np.ndarray):
        return value.tolist()
    return str(value)


def _restore_attrs(attrs: dict) -> dict:
    from .definitions import Definition

    out = dict(attrs)
    if isinstance(out.get("definition"), dict):
        out["definition"] = Definition(**out["definition"])
    if isinstance(out.get("load_report"), dict):
        from .io import LoadReport

        out["load_report"] = LoadReport(**out["load_report"])
    return out


def _json_value(v):
    if isinstance(v, float) and not math.isfinite(v):
        return None if math.isnan(v) else ("Infinity" if v > 0 else "-Infinity")
    if isinstance(v, np.generic):
        return _json_value(v.item())
    if v is pd.NA or v is pd.NaT:
        return None
    return v


# --------------------------------------------------------------------------- writing and reading


def _format_of(path: Path, format: str | None) -> str:
    fmt = (format or path.suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        raise DataError(f"{path.name}: format must be one of {', '.join(FORMATS)} (from format= or the file's "
                        f"ending), not {fmt or 'none'!r}")
    return fmt


def write_table(frame: pd.DataFrame, path, *, format: str | None = None) -> Path:
    """Write one result table to ``path`` (CSV, JSON or Parquet, from ``format`` or the file's ending)."""
    path = Path(path)
    fmt = _format_of(path, format)
    schema = _schema(frame)
    flat = plain_table(frame)
    attrs = _attrs_json(frame.attrs)
    if fmt == "csv":
        flat.to_csv(path, index=False, lineterminator="\n")
    elif fmt == "json":
        rows = [{k: _json_value(v) for k, v in zip(flat.columns, rec)}
                for rec in flat.itertuples(index=False, name=None)]
        payload = {"schema": schema, "attrs": attrs, "rows": rows}
        path.write_text(json.dumps(payload, indent=1, allow_nan=False) + "\n", encoding="utf-8")
    else:
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.Table.from_pandas(flat, preserve_index=False)
        whole = frame.reset_index() if schema["index"] else frame
        for i, c in enumerate(schema["columns"]):  # dates as DATE columns: every Parquet reader sees dates
            if c["kind"] == "date":
                values = whole.iloc[:, i].to_numpy()
                day = is_month_starts(pd.Series(values[~np.isnat(values)]))
                table = table.set_column(i, c["name"], pa.array(values.astype("datetime64[D]") if day else values))
        meta = dict(table.schema.metadata or {})
        meta.pop(b"pandas", None)  # the schema below says how to read it back
        meta[_META_KEY] = json.dumps({"schema": schema, "attrs": attrs}).encode()
        pq.write_table(table.replace_schema_metadata(meta), path)
    return path


def read_table(path) -> pd.DataFrame:
    """Read a table written by :func:`write_tables` (or ``nrrkit report``) back into the API's types.

    JSON and Parquet files carry their column types and definition card: the table
    comes back exactly as it was written (dates, text ids, full-precision amounts,
    ``.attrs``).  A column written as periods (by an older version, or a table of
    ``Period`` values) comes back as the periods' first days, as results carry them.  A CSV file is read with the types listed in the ``index.json`` of
    its folder when there is one, else as plain text and numbers.
    """
    path = Path(path)
    fmt = _format_of(path, None)
    if not path.exists():
        raise DataError(f"{path}: no such file")
    if fmt == "json":
        payload = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(payload, dict) and "schema" not in payload and isinstance(payload.get("rows"), list):
            # the command line's --format json: its records as they were printed (months as YYYY-MM text)
            return pd.DataFrame(payload["rows"])
        if not isinstance(payload, dict) or "schema" not in payload:
            raise DataError(f"{path.name}: not a table written by nrrkit (no schema nor rows)")
        schema = payload["schema"]
        names = [c["name"] for c in schema["columns"]]
        rows = [[(math.nan if (v is None and c["kind"] == "float") else
                  float(v) if isinstance(v, str) and c["kind"] == "float" else v)
                 for v, c in zip((r.get(n) for n in names), schema["columns"])] for r in payload["rows"]]
        flat = pd.DataFrame(rows, columns=names, dtype=object) if rows else pd.DataFrame(columns=names, dtype=object)
        frame = _restore(flat, schema)
        frame.attrs = _restore_attrs(payload.get("attrs", {}))
        return frame
    if fmt == "parquet":
        import pyarrow.parquet as pq

        table = pq.read_table(path)
        meta = (table.schema.metadata or {}).get(_META_KEY)
        flat = table.to_pandas()
        if meta is None:
            return flat
        info = json.loads(meta)
        frame = _restore(flat, info["schema"])
        frame.attrs = _restore_attrs(info.get("attrs", {}))
        return frame
    entry = _index_entry(path)
    if entry is None:
        return pd.read_csv(path)
    flat = pd.read_csv(path, dtype=str, keep_default_na=False)
    for c in entry["schema"]["columns"]:  # an empty cell is a missing value, except in a text column
        if c["kind"] != "text":
            flat[c["name"]] = flat[c["name"]].replace({"": None})
    frame = _restore(flat, entry["schema"], from_text=True)
    frame.attrs = _restore_attrs(entry.get("attrs", {}))
    return frame


def _index_entry(path: Path) -> dict | None:
    index = path.parent / INDEX_FILE
    if not index.exists():
        return None
    try:
        listing = json.loads(index.read_text(encoding="utf-8"))
    except ValueError:
        return None
    for t in listing.get("tables", []):
        if t.get("file") == path.name:
            return t
    return None


def write_tables(tables, folder, *, format: str = "csv", describe: Mapping[str, str] | None = None,
                 cents: bool = False) -> Path:
    """Write result tables into ``folder``, one file each, and an ``index.json`` listing them.

    Parameters
    ----------
    tables : DataFrame or mapping of name to DataFrame
        Any nrrkit results (a single one is written as ``table``); :func:`study` gives the usual set.
    folder : path
        Created if needed; files of the same names are replaced.
    format : {"csv", "json", "parquet"}
        CSV and JSON: dates as ``YYYY-MM``; Parquet: DATE columns.  Labels (``2024-Q1``) as text;
        nothing rounded.
    describe : mapping of name to text, optional
        One line per table for the index (default: the descriptions of :func:`study`).
    cents : bool
        Round money columns to cents (:func:`round_money`), as the command line does;
        the index says which was done.  Default False: every digit kept.

    Returns
    -------
    Path
        The index file: for every table its file, rows, column types, a description and its
        definition card (``null`` for tables without one).
    """
    fmt = str(format).lower()
    if fmt not in FORMATS:
        raise DataError(f"format must be one of {', '.join(FORMATS)}, not {format!r}")
    if isinstance(tables, pd.DataFrame):
        tables = {"table": tables}
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise DataError(f"{folder}: exists and is not a folder")
    folder.mkdir(parents=True, exist_ok=True)
    text = {**DESCRIPTIONS, **(describe or {})}
    entries = []
    for name, frame in tables.items():
        if not isinstance(frame, pd.DataFrame):
            raise DataError(f"{name}: expected a DataFrame, got {type(frame).__name__}")
        if cents:
            frame = round_money(frame)
        path = write_table(frame, folder / f"{name}.{fmt}", format=fmt)
        attrs = _attrs_json(frame.attrs)
        entries.append({"name": name, "file": path.name, "rows": len(frame), "description": text.get(name, ""),
                        "definition": attrs.get("definition"), "schema": _schema(frame), "attrs": attrs})
    index = folder / INDEX_FILE
    months = ("DATE columns (the month's first day); labels as text (2024-Q1, 2024)" if fmt == "parquet" else
              "YYYY-MM, the month of each date (every date is a month's first day); labels as text (2024-Q1, 2024)")
    payload = {"format": fmt, "months": months,
               "money": "rounded to cents" if cents else "full precision", "tables": entries}
    index.write_text(json.dumps(payload, indent=1, allow_nan=False, default=_json_default) + "\n", encoding="utf-8")
    return index


def round_money(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with the money columns (:data:`MONEY_COLUMNS`, or every number of an MRR cohort table)
    rounded to cents; rates and counts untouched.  The command line shows money this way."""
    out = frame.copy()
    every = frame.attrs.get("metric") == "mrr"
    for c in out.columns:
        if pd.api.types.is_float_dtype(out[c].dtype) and (every or c in MONEY_COLUMNS):
            out[c] = out[c].round(2)
    return out


# --------------------------------------------------------------------------- the study


DESCRIPTIONS = {
    "bridge_monthly": "MRR bridge per month: start + new + reactivation + expansion - contraction - churn = end",
    "bridge_quarterly": "MRR bridge per quarter (the months' movements added up; complete=False for a part quarter)",
    "retention": "NRR, GRR and logo retention for every end month (with by: per segment, and the Total rows)",
    "retention_quarterly": "the same figures at quarter-end months only",
    "cohorts": "quarterly cohorts by age: customers and MRR, revenue and logo retention (age 0 is the end of the "
               "first quarter, so usually under 100%)",
    "segments": "per segment and Total at the last end month, with expansion, contraction and churn rates",
    "movers": "the biggest gains and losses of the window, with movement contraction or churn on the loss side",
    "load_report": "what was read: rows, customers, months, rows summed or left out, notes",
}


def cohorts_long(mrr: pd.DataFrame, *, period: str = "Q") -> pd.DataFrame:
    """:func:`nrrkit.cohort_table` as one tidy table: ``cohort`` (the cohort's first day), ``cohort_label``
    (``2024-Q1``; quarters and years only), ``age, customers, paying, start_mrr, mrr, revenue_retention,
    logo_retention`` (one row per cohort and age the data reaches)."""
    from .cohorts import cohort_table

    money = cohort_table(mrr, metric="mrr", period=period)
    logos = cohort_table(mrr, metric="logos", period=period)
    size, start = money.attrs["size"], money.attrs["start_mrr"]
    rows = money.stack(future_stack=True).rename("mrr").reset_index()
    rows = rows[rows["mrr"].notna()].reset_index(drop=True)
    keys = list(rows["cohort"])  # first days; the attrs answer for them
    rows.insert(2, "customers", np.array([size[x] for x in keys], dtype="int64"))
    share = logos.stack(future_stack=True).reindex(pd.MultiIndex.from_frame(rows[["cohort", "age"]])).to_numpy()
    rows.insert(3, "paying", np.rint(share * rows["customers"].to_numpy()).astype("int64"))
    rows.insert(4, "start_mrr", np.array([start[x] for x in keys], dtype="float64"))
    with np.errstate(divide="ignore", invalid="ignore"):
        rows["revenue_retention"] = rows["mrr"] / rows["start_mrr"]
        rows["logo_retention"] = rows["paying"] / rows["customers"]
    rows["age"] = rows["age"].astype("int64")
    p = money.attrs["period"]
    if p != "M":  # a quarter or year: its label next to its first day
        rows.insert(1, "cohort_label", _text(labels(ordinals(rows["cohort"]), p, months=True)))
    rows.attrs = {"period": money.attrs["period"]}  # not the MRR table's attrs: only mrr is money here
    return rows


def study(mrr: pd.DataFrame, *, by: str | None = None, window: int = 12, movers: int = 10,
          cohort_period: str = "Q") -> dict[str, pd.DataFrame]:
    """The tables of a retention study from one MRR table, ready for :func:`write_tables`.

    ``bridge_monthly``, ``bridge_quarterly``, ``retention`` (every end month) and
    ``retention_quarterly`` (quarter ends; both per segment with ``Total`` rows when ``by``
    is given), ``cohorts`` (:func:`cohorts_long`), ``segments`` (with ``by``),
    ``movers`` (:func:`nrrkit.top_movers`) and ``load_report``.  Retention, segments and
    movers use the same ``window``.  A table the data is too short for is left out
    (the index of :func:`write_tables` lists what was written).
    """
    from .customers import top_movers
    from .movements import bridge
    from .retention import period_ends, retention
    from .segments import segment_summary_of

    r = retention(mrr, window=window, by=by, total=by is not None)
    out: dict[str, pd.DataFrame] = {
        "bridge_monthly": bridge(mrr),
        "bridge_quarterly": bridge(mrr, freq="Q"),
        "retention": r,
        "retention_quarterly": period_ends(r, "Q"),  # = retention(..., at="Q"), not computed twice
        "cohorts": cohorts_long(mrr, period=cohort_period),
    }
    fits = len(r) > 0
    if by is not None and fits:
        out["segments"] = segment_summary_of(r)  # = segment_summary(mrr, by, window=window)
    if fits:
        out["movers"] = top_movers(mrr, movers, window=window)
    rep = mrr.attrs.get("load_report")
    if rep is not None:
        out["load_report"] = load_report_table(rep)
    return out


def load_report_table(report) -> pd.DataFrame:
    """A load report as a tidy two-column table (``item, value``, both text)."""
    lists = ("notes", "left_out", "warnings", "unused", "card_notes")
    items = [(k, v) for k, v in dict(report).items() if k not in lists and not isinstance(v, list)]
    items += [("warning", w) for w in report.get("warnings", [])]
    items += [("left_out", x.get("what", str(x))) for x in report.get("left_out", [])]
    items += [("note", n) for n in report.get("notes", [])]
    items += [("not_used", c) for c in report.get("unused", [])]
    frame = pd.DataFrame({"item": [k for k, _ in items], "value": [str(v) for _, v in items]})
    return frame.astype({"item": "str", "value": "str"})
