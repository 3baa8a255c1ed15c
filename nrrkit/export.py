"""The fundraising pack: a workbook, charts and a one-page summary from one call.

    pack(mrr, "pack/", by="segment")          # or: nrrkit pack revenue.csv -o pack --by segment

writes into ``pack/``:

- ``nrr-pack.xlsx``: Definitions, Customer MRR, MRR Bridge, ARR Funnel, Retention,
  Cohorts and Benchmarks.  Every derived cell (movement sums, ratios, growth, totals)
  is an Excel formula over the cells it comes from, with nrrkit's own figure stored as
  its value, so viewers that never recalculate show the same numbers as Excel;
- ``charts/``: PNG and SVG of the bridge waterfall, NRR and GRR trend, cohort
  heatmap, layer cake, segment NRR (with ``by``) and the calibrated five-year scenario;
- ``summary.html``: one self-contained page (charts embedded, nothing fetched).

The pack measures with the investor definition of docs/definitions.md: 12-month cohort
NRR/GRR/logo retention, month-end MRR snapshots, no limit on reactivation (a
returning customer is a reactivation, never new).
"""

from __future__ import annotations

import base64
import html
import io
import math
import os
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from . import sources
from ._record import Record
from .errors import DataError

__all__ = ["pack", "pseudonyms", "anonymize", "WORKBOOK", "SUMMARY", "CHARTS", "OUTPUTS"]

WORKBOOK = "nrr-pack.xlsx"
SUMMARY = "summary.html"
CHARTS = {
    "bridge-waterfall": "MRR bridge of the last 12 months",
    "nrr-grr-trend": "12-month NRR and GRR by end month, on the benchmark levels",
    "cohort-heatmap": "revenue retention by quarterly cohort",
    "layer-cake": "MRR by acquisition cohort",
    "segment-nrr": "NRR and GRR by segment",
    "scenario": "five-year ARR calibrated from the data",
}
#: Every path the pack may write, relative to its folder (``--force`` replaces only these).
OUTPUTS = (WORKBOOK, SUMMARY, *(f"charts/{n}.{ext}" for n in CHARTS for ext in ("png", "svg")))

WINDOW = 12  # the investor definition: 12-month cohort retention
BRIDGE_MONTHS = 24
_UNSAFE = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet may run text starting with these
_ATTR_RESERVED = ("customer_id", "month", "mrr")


# --------------------------------------------------------------------------- anonymising


def pseudonyms(mrr: pd.DataFrame) -> pd.Series:
    """Stable pseudonyms ``C0001``, ``C0002``, ... for the customers of ``mrr``.

    Customers are numbered by their first paying month, then by id; a customer that
    never paid comes last.  Appending later months keeps every existing pseudonym
    (new customers get the next numbers), so the founder can rebuild the key with
    this function at any time; the key itself is never written into a pack.

    Examples
    --------
    >>> import nrrkit as nk
    >>> pseudonyms(nk.datasets.load_tiny()).head(3).to_dict()
    {'A': 'C0001', 'B': 'C0002', 'C': 'C0003'}
    """
    from .panel import build

    panel = build(mrr)
    paying = panel.values > 0
    first = np.where(paying.any(axis=1), paying.argmax(axis=1), panel.n_months)
    n = len(first)
    order = np.lexsort((np.arange(n), first))  # the panel's rows are in sorted id order
    width = max(4, len(str(n)))
    names = np.empty(n, dtype=object)
    names[order] = [f"C{i + 1:0{width}d}" for i in range(n)]
    return pd.Series(names, index=pd.Index(panel.customers, name="customer_id"), name="pseudonym")


def anonymize(mrr: pd.DataFrame, *, by: str | None = None, keep: Sequence[str] = ()) -> pd.DataFrame:
    """The MRR table with pseudonyms for customer ids and only the ``by`` and ``keep`` attributes.

    Every other attribute column is dropped: free text such as a company name, an
    owner or a note could name the customer.  A kept column that holds a customer id
    is refused.  Amounts and months are unchanged, so every figure stays the same.
    """
    from .panel import canonical

    table = canonical(mrr)
    attrs = [c for c in table.columns if c not in _ATTR_RESERVED]
    kept = list(dict.fromkeys([*([by] if by else []), *keep]))
    for c in kept:
        if c not in attrs:
            raise DataError(f"cannot keep column '{c}': no such attribute (attributes: {', '.join(attrs) or 'none'})")
    names = pseudonyms(table)
    ids = set(names.index)
    for c in kept:
        values = pd.Series(table[c].dropna().astype(str).unique())
        leak = values[values.isin(ids)]
        if len(leak):
            raise DataError(f"--anonymize: column '{c}' holds customer ids (such as '{leak.iloc[0]}'); "
                            f"it cannot be kept, pick another column or leave it out")
    out = table[["customer_id", "month", "mrr", *kept]].copy()
    out["customer_id"] = pd.Categorical(names.reindex(table["customer_id"].astype(str)).to_numpy())
    return out


_anonymize_table = anonymize  # pack() has a parameter of the same name


# --------------------------------------------------------------------------- the output folder


def _check_folder(out_dir: str | os.PathLike, force: bool) -> Path:
    """Refuse a file, or a folder that holds files when force is off (nothing is written yet)."""
    path = Path(out_dir).expanduser()
    if path.exists() and not path.is_dir():
        raise DataError(f"{path}: exists and is not a folder; give a folder for the pack")
    if path.is_dir() and any(path.iterdir()) and not force:
        raise DataError(f"{path}: the folder is not empty; choose a new folder or pass --force "
                        f"(nrrkit then replaces only its own files)")
    return path


def _prepare(out_dir: str | os.PathLike, force: bool) -> Path:
    """The resolved output folder, created, with the pack's earlier files removed."""
    path = _check_folder(out_dir, force)
    path.mkdir(parents=True, exist_ok=True)
    root = path.resolve()
    charts = root / "charts"
    if charts.is_symlink() or (charts.exists() and not charts.is_dir()):
        raise DataError(f"{charts}: is a link or a file; the pack writes its charts into a folder of its own there")
    for rel in OUTPUTS:
        target = root / rel
        if target.is_symlink():
            raise DataError(f"{target}: is a link; remove it, the pack never writes through links")
        if target.exists():
            target.unlink()  # --force: our own earlier output only, so no stale chart outlives a new run
    charts.mkdir(exist_ok=True)
    return root


def _write_bytes(root: Path, rel: str, data: bytes) -> Path:
    """Write one output file inside ``root`` (a temporary file renamed into place)."""
    target = (root / rel).resolve()
    if root not in target.parents:  # pragma: no cover - OUTPUTS are fixed names
        raise DataError(f"{rel}: outside the pack folder")
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".nrrkit-", suffix=target.suffix)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the file the user's usual mode
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


class _Progress:
    """``[2/8] the MRR bridge ... 0.4 s`` lines on stderr."""

    def __init__(self, enabled: bool, steps: int) -> None:
        self.enabled, self.steps, self.k, self.t0 = enabled, steps, 0, None

    def __call__(self, label: str) -> None:
        self.done()
        self.k += 1
        self.t0 = time.perf_counter()
        if self.enabled:
            print(f"[{self.k}/{self.steps}] {label} ...", end="", file=sys.stderr, flush=True)

    def done(self) -> None:
        if self.t0 is not None and self.enabled:
            print(f" {time.perf_counter() - self.t0:.1f} s", file=sys.stderr, flush=True)
        self.t0 = None

    def abort(self) -> None:
        """End an open progress line so that an error message starts on a line of its own."""
        if self.t0 is not None and self.enabled:
            print(" stopped", file=sys.stderr, flush=True)
        self.t0 = None


# --------------------------------------------------------------------------- the figures


class _Figures:
    """Everything the pack shows, computed once by nrrkit's public functions."""

    def __init__(self, table: pd.DataFrame, by: str | None, n_boot: int, progress: bool):
        from . import benchmarks
        from .cohorts import _cohort_arrays, cohort_curve, cohort_table, layer_cake
        from .customers import nrr_interval
        from .monitoring import signals
        from .movements import bridge
        from .panel import MISSING_SEGMENT, build
        from .retention import retention
        from .scenarios import calibrate
        from .segments import segment_summary

        self.table, self.by = table, by
        self.panel = panel = build(table, by=by)
        self.months = panel.months()
        self.as_of = self.months[-1]
        paying = panel.values > 0
        self.first = np.where(paying.any(axis=1), paying.argmax(axis=1), -1)  # cohort month index, -1 never paid
        self.bridge_m = bridge(table)
        self.bridge_q = bridge(table, freq="Q")
        self.ret = retention(table, window=WINDOW)
        self.ret_by = retention(table, window=WINDOW, by=by) if by else None
        self.card = self.ret.attrs["definition"]
        self.cohort_mrr = cohort_table(table, metric="mrr", period="Q")
        ages = self.cohort_mrr.columns
        self.cohort_rev = cohort_table(table, metric="revenue", period="Q").reindex(columns=ages)
        self.cohort_logo = cohort_table(table, metric="logos", period="Q").reindex(columns=ages)
        self.curve_rev = cohort_curve(table, metric="revenue", period="Q").set_index("age")
        self.curve_logo = cohort_curve(table, metric="logos", period="Q").set_index("age")
        counts = _cohort_arrays(table, "Q", "logos", "month0")[0]
        self.cohort_count = pd.DataFrame(counts[:, : len(ages)], index=self.cohort_mrr.index, columns=ages)
        self.cake = layer_cake(table, period="Q")
        last = self.ret.iloc[-1]
        self.headline = last
        self.level = benchmarks.assess(float(last["nrr"]))
        end_paying = int((panel.values[:, -1] > 0).sum())
        self.mrr_now = float(panel.values[:, -1].sum())
        self.acv = 12 * self.mrr_now / end_paying if end_paying else None
        self.bench = benchmarks.compare_to_benchmarks(nrr=float(last["nrr"]), grr=float(last["grr"]), acv=self.acv)
        self.bench_seg: list[tuple[str, pd.DataFrame]] = []
        self.summary_seg = segment_summary(table, by) if by else None
        if by:
            at = self.ret_by[self.ret_by["month"] == self.as_of]
            for _, row in at.iterrows():
                try:
                    cmp = benchmarks.compare_to_benchmarks(nrr=float(row["nrr"]), grr=float(row["grr"]),
                                                           segment=str(row[by]))
                except DataError:  # a segment name the benchmark tables do not know
                    continue
                self.bench_seg.append((str(row[by]), cmp[cmp["table"] != "levels"]))
        self.tables = benchmarks.all_tables()
        self.signals = signals(table)
        self.interval = nrr_interval(table, window=WINDOW, n_boot=n_boot, progress=progress)
        self.scenario = calibrate(table, window=WINDOW)
        self.projection = self.scenario.project()
        self.missing_label = MISSING_SEGMENT
        # does any customer change segment? (then the workbook gets a Customer Segment sheet)
        self.seg_varies = False
        if by:
            codes, labels = panel.segments[by]
            has = codes >= 0
            lo = np.where(has, codes, np.iinfo(np.int32).max).min(axis=1)
            hi = np.where(has, codes, -1).max(axis=1)
            self.seg_varies = bool((has.any(axis=1) & (lo != hi)).any())
            self.seg_labels = np.asarray(labels, dtype=object)
            self.seg_codes = codes


# --------------------------------------------------------------------------- the workbook


def _col(c: int) -> str:
    from xlsxwriter.utility import xl_col_to_name

    return xl_col_to_name(c)


def _cell(r: int, c: int, *, abs_row: bool = False) -> str:
    return f"{_col(c)}{'$' if abs_row else ''}{r + 1}"


def _q(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


class _Book:
    """An XlsxWriter workbook in constant-memory mode (every sheet written row by row),
    with the pack's formats and writers that never let text turn into a formula."""

    def __init__(self, fh):
        import xlsxwriter

        self.wb = xlsxwriter.Workbook(fh, {"constant_memory": True, "in_memory": False,
                                           "strings_to_formulas": False, "strings_to_urls": False,
                                           "strings_to_numbers": False})
        self.wb.set_properties({"title": "NRR pack", "comments": "written by nrrkit; every derived cell is a formula"})
        self._props = {
            "title": {"bold": True, "font_size": 14},
            "note": {"italic": True, "font_color": "#546e7a"},
            "head": {"bold": True, "bottom": 1, "bg_color": "#eceff1", "text_wrap": True, "valign": "top"},
            "section": {"bold": True, "font_size": 12, "font_color": "#1a237e"},
            "text": {},
            "bold": {"bold": True},
            "money": {"num_format": "#,##0.00"},
            "money_bold": {"num_format": "#,##0.00", "bold": True},
            "int": {"num_format": "#,##0"},
            "pct": {"num_format": "0.0%"},
            "pct_bold": {"num_format": "0.0%", "bold": True},
            "check": {"num_format": "0.000000", "font_color": "#2e7d32"},
        }
        self.fmt = {name: self.wb.add_format(props) for name, props in self._props.items()}
        self._quoted: dict[str, object] = {}

    def sheet(self, name: str):
        return self.wb.add_worksheet(name)

    def text(self, ws, r: int, c: int, value, fmt: str = "text") -> None:
        s = "" if value is None else str(value)
        f = self.fmt[fmt]
        if s.startswith(_UNSAFE):  # stored as text, shown with Excel's quote prefix: never run as a formula
            if fmt not in self._quoted:  # the same look, plus the quote prefix
                self._quoted[fmt] = self.wb.add_format({**self._props[fmt], "quote_prefix": True})
            f = self._quoted[fmt]
        ws.write_string(r, c, s, f)

    def num(self, ws, r: int, c: int, value, fmt: str = "money") -> None:
        if value is None or (isinstance(value, float) and not math.isfinite(value)):
            ws.write_blank(r, c, None, self.fmt[fmt])
        else:
            ws.write_number(r, c, float(value), self.fmt[fmt])

    def formula(self, ws, r: int, c: int, formula: str, value, fmt: str = "money") -> None:
        """A formula cell with nrrkit's figure stored as its value (what non-recalculating viewers show)."""
        if isinstance(value, (float, np.floating)) and not math.isfinite(float(value)):
            raise AssertionError(f"non-finite value for {formula}")  # pragma: no cover - guarded by callers
        v = value if isinstance(value, str) else float(value)
        ws.write_formula(r, c, formula, self.fmt[fmt], v)

    def header(self, ws, r: int, names: Sequence[str], c0: int = 0) -> None:
        for i, n in enumerate(names):
            self.text(ws, r, c0 + i, n, "head")


class _Grid:
    """Where the months and customers sit on the Customer MRR sheet (0-based rows and columns)."""

    SHEET = "Customer MRR"
    SEG_SHEET = "Customer Segment"
    MONTH_ROW, TOTAL_ROW, HEAD_ROW, TOP = 2, 3, 4, 5

    def __init__(self, n_customers: int, months: pd.PeriodIndex, attributes: list[str]):
        self.n, self.months, self.attributes = n_customers, months, attributes
        self.first_col = 3 + len(attributes)
        self.bottom = self.TOP + max(n_customers, 1) - 1

    def col(self, j: int) -> int:
        return self.first_col + j

    def _range(self, sheet: str, c: int) -> str:
        return f"{_q(sheet)}!${_col(c)}${self.TOP + 1}:${_col(c)}${self.bottom + 1}"

    def rng(self, j: int) -> str:
        """The MRR of every customer in month ``j``."""
        return self._range(self.SHEET, self.col(j))

    def total(self, j: int) -> str:
        return f"{_q(self.SHEET)}!{_cell(self.TOTAL_ROW, self.col(j), abs_row=True)}"

    def cohort_rng(self) -> str:
        return self._range(self.SHEET, 1)

    def seg_rng(self, j: int, varies: bool, seg_col: int) -> str:
        """The segment of every customer in month ``j`` (one column when no customer changes segment)."""
        return self._range(self.SEG_SHEET, 1 + j) if varies else self._range(self.SHEET, seg_col)


def _latest_attributes(fig: _Figures, attributes: list[str]) -> dict[str, np.ndarray]:
    """Each customer's attribute values in its latest row."""
    from .panel import _customer_codes

    t = fig.table
    codes, _ = _customer_codes(t["customer_id"])
    order = np.lexsort((t["month"].array.asi8, codes))
    last_rows = order[np.r_[codes[order][1:] != codes[order][:-1], True]]
    cust = codes[last_rows]
    out = {}
    for a in attributes:
        values = np.full(len(fig.panel.customers), None, dtype=object)
        col = t[a].to_numpy(dtype=object)[last_rows]
        values[cust] = [None if (v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA) else v for v in col]
        if a == fig.by:
            values = np.array([fig.missing_label if v is None else v for v in values], dtype=object)
        out[a] = values
    return out


def _write_customer_sheet(book: _Book, fig: _Figures, grid: _Grid, source: str) -> None:
    ws = book.sheet(grid.SHEET)
    v = fig.panel.values
    n_m = len(fig.months)
    currency = fig.card.get("currency", "")
    book.text(ws, 0, 0, "Customer MRR: one row per customer, one column per calendar month (month-end MRR)", "title")
    book.text(ws, 1, 0, f"Source: {source}. Currency: {currency}. A 0 means the customer paid nothing that month. "
                        "Everything else in this workbook is computed from this table.", "note")
    book.text(ws, grid.MONTH_ROW, 0, "Month #", "bold")
    for j in range(n_m):
        book.num(ws, grid.MONTH_ROW, grid.col(j), j + 1, "int")
    book.text(ws, grid.TOTAL_ROW, 0, "Total MRR", "bold")
    totals = v.sum(axis=0)
    top, bottom = grid.TOP + 1, grid.bottom + 1
    for j in range(n_m):
        c = _col(grid.col(j))
        book.formula(ws, grid.TOTAL_ROW, grid.col(j), f"=SUM({c}{top}:{c}{bottom})", totals[j], "money_bold")
    names = ["Customer", "First paying month #", "Cohort (first paying month)", *grid.attributes,
             *[str(m) for m in fig.months]]
    book.header(ws, grid.HEAD_ROW, names)
    attrs = _latest_attributes(fig, grid.attributes)
    labels = [str(m) for m in fig.months]
    first_m, last_m = _col(grid.col(0)), _col(grid.col(n_m - 1))
    head = f"${first_m}${grid.HEAD_ROW + 1}:${last_m}${grid.HEAD_ROW + 1}"
    write_number = ws.write_number
    money = book.fmt["money"]
    for i, cust in enumerate(fig.panel.customers):
        r = grid.TOP + i
        book.text(ws, r, 0, cust)
        row = f"{first_m}{r + 1}:{last_m}{r + 1}"
        k = int(fig.first[i])
        book.formula(ws, r, 1, f'=IF(COUNTIF({row},">0")=0,"",MATCH(TRUE,INDEX({row}>0,0),0))',
                     k + 1 if k >= 0 else "", "int")
        book.formula(ws, r, 2, f'=IF(B{r + 1}="","",INDEX({head},B{r + 1}))', labels[k] if k >= 0 else "")
        for a_i, a in enumerate(grid.attributes):
            value = attrs[a][i]
            if value is not None:
                book.text(ws, r, 3 + a_i, value)
        c0 = grid.first_col
        for j in range(n_m):
            write_number(r, c0 + j, v[i, j], money)
    ws.freeze_panes(grid.TOP, grid.first_col)
    ws.set_column(0, 0, 14)
    ws.set_column(1, 2, 11)
    ws.set_column(3, 2 + len(grid.attributes), 13)
    ws.set_column(grid.first_col, grid.first_col + n_m - 1, 11)
    ws.autofilter(grid.HEAD_ROW, 0, grid.bottom, grid.first_col + n_m - 1)


def _write_segment_sheet(book: _Book, fig: _Figures, grid: _Grid) -> None:
    """Each customer's segment in each month, for segment attributes that change over time."""
    ws = book.sheet(grid.SEG_SHEET)
    book.text(ws, 0, 0, f"Customer {fig.by}: the '{fig.by}' of each customer in each month", "title")
    book.text(ws, 1, 0, "Retention by segment places each customer in its segment of the base month; "
                        "some customers change segment, so it is read here month by month.", "note")
    book.text(ws, grid.MONTH_ROW, 0, "Month #", "bold")
    for j in range(len(fig.months)):
        book.num(ws, grid.MONTH_ROW, 1 + j, j + 1, "int")
    book.header(ws, grid.HEAD_ROW, ["Customer", *[str(m) for m in fig.months]])
    for i, cust in enumerate(fig.panel.customers):
        r = grid.TOP + i
        book.text(ws, r, 0, cust)
        for j, code in enumerate(fig.seg_codes[i]):
            if code >= 0:
                book.text(ws, r, 1 + j, fig.seg_labels[code])
    ws.freeze_panes(grid.TOP, 1)
    ws.set_column(0, len(fig.months), 12)


def _bridge_rows(fig: _Figures) -> list[int]:
    """Month indices of the bridge sheet: the last 24 months (all of them for shorter data)."""
    n = len(fig.months)
    return list(range(max(0, n - BRIDGE_MONTHS), n))


BRIDGE_HEAD = ["Month", "Month #", "Starting MRR", "New", "Reactivation", "Expansion", "Contraction", "Churn",
               "Ending MRR", "Net new MRR", "Ending ARR (12 x MRR)", "Customers at start", "New customers",
               "Reactivated customers", "Churned customers", "Customers at end",
               "Ending MRR in Customer MRR", "Difference (must be 0)"]


def _write_bridge_sheet(book: _Book, fig: _Figures, grid: _Grid) -> dict[int, int]:
    """The monthly bridge; returns month index -> sheet row."""
    ws = book.sheet("MRR Bridge")
    b = fig.bridge_m.set_index(fig.bridge_m["period"].astype(str))
    book.text(ws, 0, 0, f"MRR bridge, month by month (last {BRIDGE_MONTHS} months)", "title")
    book.text(ws, 1, 0, "Each movement is a SUMPRODUCT over two adjacent month columns of Customer MRR: expansion = "
                        "increases of customers paying in both months; contraction = decreases of customers still "
                        "paying; churn = last month's MRR of customers now at 0; new = MRR of customers whose first "
                        "paying month is this one; reactivation = other returning customers. "
                        "Ending = starting + new + reactivation + expansion - contraction - churn.", "note")
    book.header(ws, 3, BRIDGE_HEAD)
    rows = {}
    coh = grid.cohort_rng()
    for k, j in enumerate(_bridge_rows(fig)):
        r = 4 + k
        rows[j] = r
        x = b.loc[str(fig.months[j])]
        R = r + 1
        book.text(ws, r, 0, str(fig.months[j]))
        book.num(ws, r, 1, j + 1, "int")
        C = grid.rng(j)
        if j == 0:  # the first month of the data: everything paying is new
            for c, key in ((2, "start_mrr"), (4, "reactivation"), (5, "expansion"), (6, "contraction"), (7, "churn")):
                book.num(ws, r, c, x[key])
            book.formula(ws, r, 3, f"=SUMPRODUCT(({coh}=B{R})*{C})", x["new"])
            book.num(ws, r, 11, x["customers_start"], "int")
            book.formula(ws, r, 12, f"=COUNTIF({coh},B{R})", x["new_customers"], "int")
            book.num(ws, r, 13, x["reactivated_customers"], "int")
            book.num(ws, r, 14, x["churned_customers"], "int")
        else:
            P = grid.rng(j - 1)
            if k == 0:
                book.formula(ws, r, 2, f"={grid.total(j - 1)}", x["start_mrr"])
                book.formula(ws, r, 11, f'=COUNTIF({P},">0")', x["customers_start"], "int")
            else:
                book.formula(ws, r, 2, f"=I{R - 1}", x["start_mrr"])
                book.formula(ws, r, 11, f"=P{R - 1}", x["customers_start"], "int")
            book.formula(ws, r, 3, f"=SUMPRODUCT(({coh}=B{R})*{C})", x["new"])
            book.formula(ws, r, 4, f"=SUMPRODUCT(({P}=0)*({C}>0)*{C})-D{R}", x["reactivation"])
            book.formula(ws, r, 5, f"=SUMPRODUCT(({P}>0)*({C}>{P})*({C}-{P}))", x["expansion"])
            book.formula(ws, r, 6, f"=SUMPRODUCT(({C}>0)*({P}>{C})*({P}-{C}))", x["contraction"])
            book.formula(ws, r, 7, f"=SUMPRODUCT(({P}>0)*({C}=0)*{P})", x["churn"])
            book.formula(ws, r, 12, f"=COUNTIF({coh},B{R})", x["new_customers"], "int")
            book.formula(ws, r, 13, f"=SUMPRODUCT(({P}=0)*({C}>0))-M{R}", x["reactivated_customers"], "int")
            book.formula(ws, r, 14, f"=SUMPRODUCT(({P}>0)*({C}=0))", x["churned_customers"], "int")
        book.formula(ws, r, 8, f"=C{R}+D{R}+E{R}+F{R}-G{R}-H{R}", x["end_mrr"], "money_bold")
        book.formula(ws, r, 9, f"=I{R}-C{R}", x["end_mrr"] - x["start_mrr"])
        book.formula(ws, r, 10, f"=12*I{R}", 12 * x["end_mrr"])
        book.formula(ws, r, 15, f"=L{R}+M{R}+N{R}-O{R}", x["customers_end"], "int")
        total = float(fig.panel.values[:, j].sum())
        book.formula(ws, r, 16, f"={grid.total(j)}", total)
        book.formula(ws, r, 17, f"=I{R}-Q{R}", x["end_mrr"] - total, "check")
    ws.freeze_panes(4, 1)
    ws.set_column(0, 1, 9)
    ws.set_column(2, 17, 14)
    return rows


FUNNEL_HEAD = ["Quarter", "Beginning ARR", "New logo ARR", "Reactivation ARR", "Expansion ARR", "Gross new ARR",
               "Contraction ARR", "Churned ARR", "Net new ARR", "Ending ARR", "Growth QoQ", "Growth YoY",
               "Ending ARR a year earlier"]


def _write_funnel_sheet(book: _Book, fig: _Figures, grid: _Grid, bridge_rows: dict[int, int]) -> None:
    ws = book.sheet("ARR Funnel")
    book.text(ws, 0, 0, "ARR funnel by quarter (ARR = 12 x MRR)", "title")
    book.text(ws, 1, 0, "Each movement is 12 x the sum of the quarter's three months on the MRR Bridge sheet. "
                        "Gross new = new logo + reactivation + expansion; net new = gross new - contraction - churn. "
                        "Only quarters whose three months are all on the bridge sheet are shown.", "note")
    book.header(ws, 3, FUNNEL_HEAD)
    q = fig.bridge_q.set_index(fig.bridge_q["period"].astype(str))
    ends = fig.bridge_m.set_index(fig.bridge_m["period"].astype(str))["end_mrr"]
    months = fig.months
    r = 4
    for j in sorted(bridge_rows):
        m = months[j]
        if m.month % 3 != 1 or j + 2 not in bridge_rows:
            continue
        quarter = m.asfreq("Q")
        x = q.loc[str(quarter)]
        r1, r3 = bridge_rows[j] + 1, bridge_rows[j + 2] + 1
        R = r + 1
        book.text(ws, r, 0, str(quarter))
        book.formula(ws, r, 1, f"=12*'MRR Bridge'!C{r1}", 12 * x["start_mrr"])
        for c, (key, col) in enumerate((("new", "D"), ("reactivation", "E"), ("expansion", "F")), start=2):
            book.formula(ws, r, c, f"=12*SUM('MRR Bridge'!{col}{r1}:{col}{r3})", 12 * x[key])
        book.formula(ws, r, 5, f"=C{R}+D{R}+E{R}", 12 * (x["new"] + x["reactivation"] + x["expansion"]))
        book.formula(ws, r, 6, f"=12*SUM('MRR Bridge'!G{r1}:G{r3})", 12 * x["contraction"])
        book.formula(ws, r, 7, f"=12*SUM('MRR Bridge'!H{r1}:H{r3})", 12 * x["churn"])
        book.formula(ws, r, 8, f"=F{R}-G{R}-H{R}", 12 * (x["end_mrr"] - x["start_mrr"]))
        book.formula(ws, r, 9, f"=B{R}+I{R}", 12 * x["end_mrr"], "money_bold")
        if x["start_mrr"] > 0:
            book.formula(ws, r, 10, f"=J{R}/B{R}-1", x["end_mrr"] / x["start_mrr"] - 1, "pct")
        year_ago = j + 2 - 12
        if year_ago >= 0:
            then = float(ends.loc[str(months[year_ago])])
            book.formula(ws, r, 12, f"=12*{grid.total(year_ago)}", 12 * then)
            if then > 0:
                book.formula(ws, r, 11, f"=J{R}/M{R}-1", x["end_mrr"] / then - 1, "pct")
        r += 1
    ws.freeze_panes(4, 1)
    ws.set_column(0, 0, 9)
    ws.set_column(1, 12, 15)


RET_HEAD = ["Quarter", "End month", "Base month", "Segment (at the base month)", "Base customers",
            "Retained customers", "Starting MRR", "Expansion", "Contraction", "Churn", "Ending MRR", "NRR", "GRR",
            "Logo retention", "Ending MRR of base customers", "Difference (must be 0)", "Level (NRR)"]


def _retention_months(fig: _Figures) -> list[int]:
    """Quarter-end months with a full window, plus the as-of month."""
    out = [j for j, m in enumerate(fig.months) if j >= WINDOW and m.month % 3 == 0]
    last = len(fig.months) - 1
    if last not in out:
        out.append(last)
    return out


RET_TOP = 4  # first data row (0-based) of the Retention sheet


def _retention_rows(fig: _Figures) -> list[tuple[int, str, pd.Series, bool]]:
    """The Retention sheet's rows in order: (end month index, label, nrrkit's row, is the total row)."""
    total = fig.ret.set_index(fig.ret["month"].astype(str))
    rows = []
    for j in _retention_months(fig):
        t = fig.months[j]
        rows.append((j, "All customers", total.loc[str(t)], True))
        if fig.ret_by is not None:
            rows += [(j, str(x[fig.by]), x, False) for _, x in fig.ret_by[fig.ret_by["month"] == t].iterrows()]
    return rows


def _headline_cells(fig: _Figures) -> dict:
    """Where the Retention sheet puts the as-of figures (the Definitions sheet, written first, links to them)."""
    cells: dict = {}
    last = len(fig.months) - 1
    for k, (j, label, _, is_total) in enumerate(_retention_rows(fig)):
        R = RET_TOP + k + 1
        if j != last:
            continue
        if is_total:
            cells.update({"nrr": f"Retention!L{R}", "grr": f"Retention!M{R}", "logo_retention": f"Retention!N{R}",
                          "start_mrr": f"Retention!G{R}", "end_mrr": f"Retention!K{R}"})
        else:
            cells.setdefault("segments", {})[label] = {"nrr": f"Retention!L{R}", "grr": f"Retention!M{R}"}
    return cells


def _write_retention_sheet(book: _Book, fig: _Figures, grid: _Grid) -> None:
    """NRR, GRR, logo retention per quarter, in the order of :func:`_retention_rows`."""
    from .benchmarks import assess

    ws = book.sheet("Retention")
    book.text(ws, 0, 0, f"{WINDOW}-month retention by quarter: NRR, GRR and logo retention", "title")
    book.text(ws, 1, 0, f"Base cohort = customers paying in the base month ({WINDOW} months before the end month). "
                        "NRR = ending MRR / starting MRR; GRR = (starting - contraction - churn) / starting; "
                        "logo retention = retained / base customers. Segment rows place each customer in its segment "
                        "of the base month; their amounts add up to the all-customers row.", "note")
    book.header(ws, RET_TOP - 1, RET_HEAD)
    seg_col = 3 + grid.attributes.index(fig.by) if fig.by else None
    for k, (j, label, x, is_total) in enumerate(_retention_rows(fig)):
        r = RET_TOP + k
        R = r + 1
        t, b = fig.months[j], j - WINDOW
        B, T = grid.rng(b), grid.rng(j)
        book.text(ws, r, 0, str(t.asfreq("Q")) + ("" if t.month % 3 == 0 else f" to {t.strftime('%b')}"))
        book.text(ws, r, 1, str(t))
        book.text(ws, r, 2, str(fig.months[b]))
        book.text(ws, r, 3, label, "bold" if is_total else "text")
        if is_total:
            w = ""
            book.formula(ws, r, 4, f'=COUNTIF({B},">0")', x["customers_start"], "int")
            book.formula(ws, r, 5, f'=COUNTIFS({B},">0",{T},">0")', x["customers_retained"], "int")
            book.formula(ws, r, 6, f"={grid.total(b)}", x["start_mrr"])
        else:  # EXACT: case-sensitive, and segment text is never read as a criterion
            w = f"EXACT({grid.seg_rng(b, fig.seg_varies, seg_col)},$D{R})*"
            book.formula(ws, r, 4, f"=SUMPRODUCT({w}({B}>0))", x["customers_start"], "int")
            book.formula(ws, r, 5, f"=SUMPRODUCT({w}({B}>0)*({T}>0))", x["customers_retained"], "int")
            book.formula(ws, r, 6, f"=SUMPRODUCT({w}({B}>0)*{B})", x["start_mrr"])
        book.formula(ws, r, 7, f"=SUMPRODUCT({w}({B}>0)*({T}>{B})*({T}-{B}))", x["expansion"])
        book.formula(ws, r, 8, f"=SUMPRODUCT({w}({T}>0)*({B}>{T})*({B}-{T}))", x["contraction"])
        book.formula(ws, r, 9, f"=SUMPRODUCT({w}({B}>0)*({T}=0)*{B})", x["churn"])
        end = x["start_mrr"] + x["expansion"] - x["contraction"] - x["churn"]
        book.formula(ws, r, 10, f"=G{R}+H{R}-I{R}-J{R}", x["end_mrr"])
        if x["start_mrr"] > 0:
            bold = "pct_bold" if is_total else "pct"
            book.formula(ws, r, 11, f"=K{R}/G{R}", x["nrr"], bold)
            book.formula(ws, r, 12, f"=(G{R}-I{R}-J{R})/G{R}", x["grr"], bold)
            book.formula(ws, r, 13, f"=F{R}/E{R}", x["logo_retention"], "pct")
            book.text(ws, r, 16, assess(float(x["nrr"])))
        book.formula(ws, r, 14, f"=SUMPRODUCT({w}({B}>0)*{T})", x["end_mrr"])
        book.formula(ws, r, 15, f"=K{R}-O{R}", end - x["end_mrr"], "check")
    ws.freeze_panes(RET_TOP, 4)
    ws.set_column(0, 2, 10)
    ws.set_column(3, 3, 16)
    ws.set_column(4, 16, 13)


def _write_cohort_sheet(book: _Book, fig: _Figures, grid: _Grid) -> None:
    ws = book.sheet("Cohorts")
    mrr_t, rev, logo, cnt = fig.cohort_mrr, fig.cohort_rev, fig.cohort_logo, fig.cohort_count
    ages = list(mrr_t.columns)
    size, start = mrr_t.attrs["size"], mrr_t.attrs["start_mrr"]
    cohorts = list(mrr_t.index)
    book.text(ws, 0, 0, "Cohorts: customers grouped by the quarter of their first payment", "title")
    book.text(ws, 1, 0, "Age k = k quarters after the cohort's first quarter; MRR at an age is the month-end MRR of "
                        "that quarter's last month. Starting MRR = each customer's MRR in its own first paying month. "
                        "Empty cells: the data does not reach that age yet. 'All cohorts' rows are dollar-weighted: "
                        "the sum of the column over the cohorts that reached the age / the sum of their starting "
                        "MRR (or customers).", "note")
    age_head = [f"Age {a}" for a in ages]
    r = 3

    def block_head(title: str, first: list[str]) -> int:
        nonlocal r
        book.text(ws, r, 0, title, "section")
        book.header(ws, r + 1, [*first, *age_head])
        r += 2
        return r

    # 1. MRR by cohort and age (the numbers the ratios divide)
    top_mrr = block_head("Cohort MRR at each age", ["Cohort", "Customers", "Starting MRR"])
    for c in cohorts:
        book.text(ws, r, 0, c)
        book.num(ws, r, 1, size[c], "int")
        book.num(ws, r, 2, start[c])
        for k, a in enumerate(ages):
            val = mrr_t.loc[c, a]
            if not np.isnan(val):
                book.num(ws, r, 3 + k, val)
        r += 1
    bot_mrr = r - 1
    r += 1
    def ratio_block(title: str, ratios: pd.DataFrame, top: int, bot: int, den: str, label: str,
                    curve: pd.DataFrame) -> None:
        """Each cohort's ratio (a cell of the block at rows top..bot / its column ``den``), and the weighted row."""
        nonlocal r
        block_head(title, ["Cohort", "", ""])
        for i, c in enumerate(cohorts):
            src = top + i + 1
            book.text(ws, r, 0, c)
            for k, a in enumerate(ages):
                val = ratios.loc[c, a]
                if not np.isnan(val):
                    book.formula(ws, r, 3 + k, f"={_col(3 + k)}{src}/${den}{src}", val, "pct")
            r += 1
        book.text(ws, r, 0, label, "bold")
        for k, a in enumerate(ages):
            if a in curve.index:
                span = f"{_col(3 + k)}{top + 1}:{_col(3 + k)}{bot + 1}"
                book.formula(ws, r, 3 + k, f"=SUM({span})/SUMPRODUCT(ISNUMBER({span})*${den}{top + 1}:${den}{bot + 1})",
                             curve.loc[a, "value"], "pct_bold")
        r += 2

    # 2. revenue retention = MRR at age / starting MRR
    ratio_block("Revenue retention (cohort MRR at the age / starting MRR)", rev, top_mrr, bot_mrr, "C",
                "All cohorts (dollar-weighted)", fig.curve_rev)
    # 3. customers paying at each age, and logo retention
    top_cnt = block_head("Customers paying at each age", ["Cohort", "Customers", ""])
    for i, c in enumerate(cohorts):
        book.text(ws, r, 0, c)
        book.formula(ws, r, 1, f"=B{top_mrr + i + 1}", size[c], "int")
        for k, a in enumerate(ages):
            if not np.isnan(mrr_t.loc[c, a]):
                book.num(ws, r, 3 + k, cnt.loc[c, a], "int")
        r += 1
    bot_cnt = r - 1
    r += 1
    ratio_block("Logo retention (customers paying at the age / cohort customers)", logo, top_cnt, bot_cnt, "B",
                "All cohorts (customer-weighted)", fig.curve_logo)
    # 4. the layer cake: MRR by cohort at each quarter end, tied to Customer MRR
    cake = fig.cake
    book.text(ws, r, 0, "MRR by cohort at each quarter end (the layer cake)", "section")
    n_c = cake.shape[1]
    book.header(ws, r + 1, ["Quarter", "Month", "", *list(cake.columns), "Total", "Customer MRR total",
                            "Difference (must be 0)"])
    r += 2
    months = [str(m) for m in fig.months]
    for q, row in cake.iterrows():
        month = min(pd.Period(q, freq="Q").asfreq("M", "end"), fig.as_of)
        j = months.index(str(month))
        book.text(ws, r, 0, q + (" (to date)" if q in cake.attrs["partial"] else ""))
        book.text(ws, r, 1, str(month))
        for k, val in enumerate(row.to_numpy()):
            book.num(ws, r, 3 + k, val)
        R = r + 1
        tot = float(row.sum())
        book.formula(ws, r, 3 + n_c, f"=SUM(D{R}:{_col(2 + n_c)}{R})", tot, "money_bold")
        ref = float(fig.panel.values[:, j].sum())
        book.formula(ws, r, 4 + n_c, f"={grid.total(j)}", ref)
        book.formula(ws, r, 5 + n_c, f"={_col(3 + n_c)}{R}-{_col(4 + n_c)}{R}", tot - ref, "check")
        r += 1
    ws.freeze_panes(0, 1)
    ws.set_column(0, 0, 26)
    ws.set_column(1, 5 + n_c, 12)


BENCH_HEAD = ["Figure", "Value", "Benchmark table", "Row", "Benchmark", "Position", "Source", "Year", "Definition"]


def _write_benchmark_sheet(book: _Book, fig: _Figures, grid: _Grid, cells: dict) -> None:
    ws = book.sheet("Benchmarks")
    book.text(ws, 0, 0, f"Where the figures of {fig.as_of} sit against published benchmarks", "title")
    book.text(ws, 1, 0, "Each source defines NRR its own way (window, cohort, usage or contract revenue); "
                        "read a comparison as a direction, not a verdict. Values link to the Retention sheet.", "note")
    book.header(ws, 3, BENCH_HEAD)
    r = 4
    last = len(fig.months) - 1

    def rows(label: str, frame: pd.DataFrame, refs: dict) -> None:
        nonlocal r
        for x in frame.itertuples():
            book.text(ws, r, 0, f"{label} {x.metric.upper()}")
            book.formula(ws, r, 1, f"={refs[x.metric]}", x.value, "pct")
            for c, v in enumerate((x.table, x.row, x.benchmark, x.position, x.source, x.year, x.definition), start=2):
                book.text(ws, r, c, v)
            r += 1

    rows("All customers", fig.bench, cells)
    for label, frame in fig.bench_seg:
        rows(label, frame, cells["segments"][label])
    if fig.acv is not None:
        book.text(ws, r, 0, "Average ACV (ARR / paying customers)")
        book.formula(ws, r, 1, f'=12*{grid.total(last)}/COUNTIF({grid.rng(last)},">0")', fig.acv)
        book.text(ws, r, 2, "picks the SaaS Capital 2023 band above")
        r += 1
    r += 1
    for name, table in fig.tables.items():
        book.text(ws, r, 0, f"Benchmark table: {name}", "section")
        book.header(ws, r + 1, list(table.columns))
        r += 2
        for rec in table.itertuples(index=False):
            for c, v in enumerate(rec):
                if isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool):
                    fv = float(v)
                    if math.isfinite(fv):
                        fmt = "pct" if ("nrr" in table.columns[c] or "grr" in table.columns[c]) else "int"
                        book.num(ws, r, c, fv, fmt)
                    else:
                        book.text(ws, r, c, "no bound")
                else:
                    book.text(ws, r, c, v)
            r += 1
        r += 1
    ws.set_column(0, 0, 30)
    ws.set_column(1, 5, 14)
    ws.set_column(6, 8, 40)


def _write_definitions_sheet(book: _Book, fig: _Figures, grid: _Grid, cells: dict, source: str,
                             notes: list[str], card_rows: list[tuple[str, str]], anonymized: bool) -> str:
    from . import __version__

    ws = book.sheet("Definitions")
    last = len(fig.months) - 1
    book.text(ws, 0, 0, f"NRR pack: {source}, as of {fig.as_of}", "title")
    book.text(ws, 1, 0, f"Written by nrrkit {__version__}. Every derived cell of this workbook is a formula over the "
                        "cells it comes from; click a cell to see it. The stored values are nrrkit's figures.", "note")
    r = 3
    book.text(ws, r, 0, "Headline figures", "section")
    r += 1
    heads = [("NRR (12-month cohort)", cells["nrr"], fig.headline["nrr"], "pct_bold"),
             ("GRR (12-month cohort)", cells["grr"], fig.headline["grr"], "pct_bold"),
             ("Logo retention (12-month cohort)", cells["logo_retention"], fig.headline["logo_retention"], "pct_bold"),
             (f"MRR, {fig.as_of}", grid.total(last), fig.mrr_now, "money_bold")]
    for label, ref, value, fmt in heads:
        book.text(ws, r, 0, label)
        book.formula(ws, r, 1, f"={ref}", value, fmt)
        book.text(ws, r, 2, f"from {ref.replace(chr(39), '')}")
        r += 1
    book.text(ws, r, 0, f"ARR, {fig.as_of} (12 x MRR)")
    book.formula(ws, r, 1, f"=12*B{r}", 12 * fig.mrr_now, "money_bold")
    book.text(ws, r, 2, "12 x the MRR above")
    arr_cell = f"Definitions!B{r + 1}"
    r += 1
    iv = fig.interval
    book.text(ws, r, 0, f"NRR {iv.level:.0%} interval (bootstrap)")
    book.num(ws, r, 1, iv.low, "pct")
    book.num(ws, r, 2, iv.high, "pct")
    book.text(ws, r, 3, f"{iv.method}; {iv.n_boot:,} draws, seed {iv.seed}; nrrkit.nrr_interval (not a formula)")
    r += 1
    book.text(ws, r, 0, "Level (NRR)")
    book.text(ws, r, 1, fig.level)
    book.text(ws, r, 2, "nrrkit.assess: under 100% concerning, 100-105 basic, 105-115 good, 115-125 great, "
                        "125-140 excellent, 140+ world-class (" + sources.MITCHELL_2026 + ")")
    r += 2
    book.text(ws, r, 0, "Data", "section")
    r += 1
    n_c = len(fig.panel.customers)
    data_rows = [("Source", source), ("Months", f"{fig.months[0]} to {fig.as_of} ({len(fig.months)} months)"),
                 ("Customer ids", "pseudonyms C0001... (--anonymize)" if anonymized else "as in the source")]
    for k, v in data_rows:
        book.text(ws, r, 0, k)
        book.text(ws, r, 1, v)
        r += 1
    book.text(ws, r, 0, "Customers")
    book.formula(ws, r, 1, f"=COUNTA({_q(grid.SHEET)}!$A${grid.TOP + 1}:$A${grid.bottom + 1})", n_c, "int")
    r += 1
    book.text(ws, r, 0, "Sum of MRR over all rows")
    book.formula(ws, r, 1, f"=SUM({_q(grid.SHEET)}!{_cell(grid.TOTAL_ROW, grid.col(0))}:"
                           f"{_cell(grid.TOTAL_ROW, grid.col(last))})", float(fig.panel.values.sum()))
    book.text(ws, r, 2, "equals the total of the load report when nothing was left out: no row is dropped")
    r += 1
    for n in notes:
        book.text(ws, r, 0, "Load note")
        book.text(ws, r, 1, n)
        r += 1
    r += 1
    book.text(ws, r, 0, "Definition card", "section")
    r += 1
    for k, v in card_rows:
        book.text(ws, r, 0, k)
        book.text(ws, r, 1, v)
        r += 1
    r += 1
    book.text(ws, r, 0, "How each figure is computed", "section")
    book.header(ws, r + 1, ["Sheet", "Figure", "How", "nrrkit"])
    r += 2
    for row in _RECIPES:
        for c, v in enumerate(row):
            book.text(ws, r, c, v)
        r += 1
    r += 1
    book.text(ws, r, 0, "Checks (each must be 0)", "section")
    r += 1
    for label, formula, value in _checks(fig, grid):
        book.text(ws, r, 0, label)
        book.formula(ws, r, 1, formula, value, "check")
        r += 1
    ws.set_column(0, 0, 34)
    ws.set_column(1, 1, 22)
    ws.set_column(2, 3, 60)
    return arr_cell


_RECIPES = [
    ("Customer MRR", "First paying month #", "position of the first month with MRR > 0 in the row", "cohort_table"),
    ("MRR Bridge", "New", "MRR this month of customers whose first paying month # is this month", "bridge"),
    ("MRR Bridge", "Reactivation", "MRR of customers at 0 last month and paying now, minus New", "bridge"),
    ("MRR Bridge", "Expansion / Contraction", "increase / decrease of customers paying in both months", "bridge"),
    ("MRR Bridge", "Churn", "last month's MRR of customers now at 0", "bridge"),
    ("MRR Bridge", "Ending MRR", "starting + new + reactivation + expansion - contraction - churn; equals the "
                                 "Customer MRR total (Difference column)", "bridge"),
    ("ARR Funnel", "every movement", "12 x the sum of the quarter's months on MRR Bridge", "bridge(freq='Q')"),
    ("ARR Funnel", "Growth QoQ / YoY", "ending ARR / beginning ARR - 1; / ending ARR a year earlier - 1", "bridge"),
    ("Retention", "Starting MRR, Expansion, Contraction, Churn",
     "SUMPRODUCT over the base-month and end-month columns of Customer MRR, base cohort only", "retention"),
    ("Retention", "NRR / GRR / Logo retention",
     "ending / starting MRR; (starting - contraction - churn) / starting; retained / base customers", "retention"),
    ("Cohorts", "Revenue / logo retention", "cohort MRR (customers) at the age / starting MRR (customers)",
     "cohort_table(period='Q')"),
    ("Cohorts", "All cohorts", "column sum / the sum of starting MRR of the cohorts that reached the age",
     "cohort_curve(period='Q')"),
    ("Benchmarks", "Position", "the figure against each table's band", "compare_to_benchmarks"),
]


def _checks(fig: _Figures, grid: _Grid) -> list[tuple[str, str, float]]:
    n_b = len(_bridge_rows(fig))
    n_r = len(_retention_rows(fig))
    return [
        ("Bridge ending MRR vs Customer MRR", f"=SUMPRODUCT(ABS('MRR Bridge'!R5:R{4 + n_b}))", 0.0),
        ("Retention ending MRR, two ways", f"=SUMPRODUCT(ABS(Retention!P5:P{4 + n_r}))", 0.0),
    ]


def _write_workbook(fig: _Figures, source: str, notes: list[str], card_rows, anonymized: bool) -> tuple[bytes, dict]:
    """The workbook's bytes, and the cells of the headline figures."""
    attributes = [c for c in fig.table.columns if c not in _ATTR_RESERVED]
    if fig.by and fig.by in attributes:  # the segment first
        attributes.remove(fig.by)
        attributes.insert(0, fig.by)
    n_c = len(fig.panel.customers)
    if _Grid.TOP + n_c > 1_048_576:
        raise DataError(f"{n_c:,} customers do not fit on one Excel sheet (1,048,571 at most); "
                        "pack a segment or a sample of the customers")
    grid = _Grid(n_c, fig.months, attributes)
    cells = _headline_cells(fig)
    buf = io.BytesIO()
    book = _Book(buf)
    arr_cell = _write_definitions_sheet(book, fig, grid, cells, source, notes, card_rows, anonymized)
    _write_customer_sheet(book, fig, grid, source)
    if fig.by and fig.seg_varies:
        _write_segment_sheet(book, fig, grid)
    rows = _write_bridge_sheet(book, fig, grid)
    _write_funnel_sheet(book, fig, grid, rows)
    _write_retention_sheet(book, fig, grid)
    _write_cohort_sheet(book, fig, grid)
    _write_benchmark_sheet(book, fig, grid, cells)
    book.wb.close()
    return buf.getvalue(), {**cells, "arr": arr_cell}


# --------------------------------------------------------------------------- charts


def _charts(fig: _Figures) -> dict[str, tuple[bytes, bytes]]:
    """name -> (png, svg) of every chart the data allows."""
    import matplotlib as mpl
    from matplotlib.figure import Figure

    from . import plot
    from .scenarios import compare_scenarios

    def render(draw: Callable, size=(8, 4.5)) -> tuple[bytes, bytes]:
        f = Figure(figsize=size, layout="constrained")
        draw(f.subplots())
        out = []
        with mpl.rc_context({"svg.hashsalt": "nrrkit", "svg.fonttype": "path"}):
            for fmt, meta in (("png", {"Software": "nrrkit"}), ("svg", {"Date": None, "Creator": "nrrkit"})):
                b = io.BytesIO()
                f.savefig(b, format=fmt, dpi=150, metadata=meta)
                out.append(b.getvalue())
        return out[0], out[1]

    charts = {}
    last12 = fig.bridge_m.iloc[-WINDOW:]
    charts["bridge-waterfall"] = render(lambda ax: plot.bridge_waterfall(last12, ax=ax))
    charts["nrr-grr-trend"] = render(lambda ax: plot.nrr_trend(fig.ret, ax=ax))
    n_coh = len(fig.cohort_rev)
    charts["cohort-heatmap"] = render(lambda ax: plot.cohort_heatmap(fig.cohort_rev, ax=ax),
                                      (8, max(3.5, 0.3 * n_coh + 1.5)))
    charts["layer-cake"] = render(lambda ax: plot.layer_cake(fig.cake, ax=ax))
    if fig.summary_seg is not None:  # control characters (a tab, say) have no glyph: drawn as spaces
        shown = fig.summary_seg.assign(segment=fig.summary_seg["segment"].str.replace(r"[\x00-\x1f]", " ", regex=True))
        charts["segment-nrr"] = render(lambda ax: plot.segment_bars(shown, ax=ax))
    s = fig.scenario
    measured = f"as measured: NRR {s.nrr:.1%}, new {s.new_rate:.1%} of ARR"
    flat = "NRR 100%, same new business"
    scen = compare_scenarios({measured: dict(start_arr=s.start_arr, nrr=s.nrr, new_rate=s.new_rate),
                              flat: dict(start_arr=s.start_arr, nrr=1.0, new_rate=s.new_rate)})

    def scenario(ax):
        plot.scenario_lines(scen, ax=ax)
        ax.set_title(f"Five-year ARR from {s.month}, calibrated on the data")

    charts["scenario"] = render(scenario)
    return charts


# --------------------------------------------------------------------------- summary.html


def _pct(x: float, digits: int = 1) -> str:
    return "n/a" if x is None or not math.isfinite(float(x)) else f"{float(x) * 100:.{digits}f}%"


def _money(x: float, currency: str = "") -> str:
    from .plot import money

    return money(float(x)).replace("$", currency or "$")


_CSS = """
body{font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;margin:2rem auto;max-width:1100px;
color:#263238;line-height:1.4;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #cfd8dc}
.sub{color:#546e7a;margin-top:0}.kpis{display:flex;flex-wrap:wrap;gap:1rem;margin:1rem 0}
.kpi{border:1px solid #cfd8dc;border-radius:8px;padding:.7rem 1rem;min-width:150px}
.kpi .v{font-size:1.6rem;font-weight:700;color:#1a237e}.kpi .l{font-size:.8rem;color:#546e7a}
.kpi .t{font-size:.72rem;color:#78909c}table{border-collapse:collapse;font-size:.85rem;margin:.5rem 0}
th,td{border-bottom:1px solid #eceff1;padding:.25rem .6rem;text-align:left;vertical-align:top}
td.n{text-align:right;font-variant-numeric:tabular-nums}th{background:#eceff1}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(480px,1fr));gap:1rem}
figure{margin:0}figure img{width:100%;height:auto;border:1px solid #eceff1}figcaption{font-size:.8rem;color:#546e7a}
.critical{color:#b71c1c;font-weight:700}.high{color:#e65100;font-weight:700}.medium{color:#f9a825}
@media print{.charts{grid-template-columns:1fr 1fr}body{margin:0}}
"""


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], numeric: Sequence[int] = ()) -> str:
    e = html.escape
    head = "".join(f"<th>{e(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td class='n'>{e(str(v))}</td>" if i in numeric else f"<td>{e(str(v))}</td>"
                         for i, v in enumerate(row)) + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _summary_html(fig: _Figures, charts: dict, source: str, cells: dict, card_rows, notes: list[str],
                  anonymized: bool) -> str:
    from . import __version__

    e = html.escape
    h = fig.headline
    cur = fig.card.get("currency", "")
    symbol = cur if len(cur) <= 3 and not cur.startswith("unspecified") else ""
    iv = fig.interval
    kpis = [
        ("ARR", _money(12 * fig.mrr_now, symbol), f"12 x MRR of {fig.as_of}", cells["arr"]),
        ("NRR", _pct(h["nrr"]), f"{iv.level:.0%} interval {_pct(iv.low)} to {_pct(iv.high)}", cells["nrr"]),
        ("GRR", _pct(h["grr"]), "never above 100%", cells["grr"]),
        ("Logo retention", _pct(h["logo_retention"]), f"{int(h['customers_retained']):,} of "
                                                       f"{int(h['customers_start']):,} base customers",
         cells["logo_retention"]),
        ("Level", fig.level, "nrrkit.assess on the NRR (levels of Mitchell, 2026)", None),
    ]
    tiles = "".join(
        f"<div class='kpi' data-name='{e(k.lower())}'><div class='l'>{e(k)}</div><div class='v'>{e(v)}</div>"
        f"<div class='t'>{e(t)}</div>" + (f"<div class='t'>workbook: {e(ref)}</div>" if ref else "") + "</div>"
        for k, v, t, ref in kpis
    )
    amounts = _table(
        ["", "amount"],
        [("Starting MRR (base cohort, " + str(h["base_month"]) + ")", f"{h['start_mrr']:,.2f}"),
         ("+ expansion", f"{h['expansion']:,.2f}"), ("- contraction", f"{h['contraction']:,.2f}"),
         ("- churn", f"{h['churn']:,.2f}"), ("= ending MRR (" + str(h["month"]) + ")", f"{h['end_mrr']:,.2f}")],
        numeric=(1,),
    )
    bench_rows = [(f"{x.metric.upper()}", _pct(x.value), x.table, x.row, x.benchmark, x.position, x.source)
                  for x in fig.bench.itertuples()]
    for label, frame in fig.bench_seg:
        bench_rows += [(f"{label} {x.metric.upper()}", _pct(x.value), x.table, x.row, x.benchmark, x.position,
                        x.source) for x in frame.itertuples()]
    bench = _table(["figure", "value", "table", "row", "benchmark", "position", "source"], bench_rows, (1,))
    if fig.acv is not None:
        bench += (f"<p class='sub'>The SaaS Capital band is the one of the average annual contract value, "
                  f"{_money(fig.acv, symbol)} (ARR / paying customers). Each source defines NRR its own way: read a "
                  f"comparison as a direction, not a verdict.</p>")
    sig = fig.signals
    recent = sig[sig["month"] > fig.as_of - WINDOW] if len(sig) else sig
    if len(recent):
        sig_html = _table(["month", "level", "metric", "value", "threshold", "what it means"],
                          [(str(x.month), x.level, x.metric, _pct(x.value), x.threshold, x.message)
                           for x in recent.itertuples()], (3,))
    else:
        sig_html = "<p>No warning signal in the last 12 months: every threshold of the reference dashboard is met.</p>"
    if len(sig) > len(recent):
        sig_html += f"<p class='sub'>{len(sig) - len(recent)} earlier signal(s) are in <code>nrrkit signals</code>.</p>"
    seg_html = ""
    if fig.summary_seg is not None:
        s = fig.summary_seg
        seg_html = "<h2>By " + e(str(fig.by)) + "</h2>" + _table(
            ["segment", "base customers", "starting MRR", "NRR", "GRR", "logo retention", "share of start"],
            [(x.segment, f"{int(x.customers_start):,}", f"{x.start_mrr:,.2f}", _pct(x.nrr), _pct(x.grr),
              _pct(x.logo_retention), _pct(x.share_of_start)) for x in s.itertuples()], (1, 2, 3, 4, 5, 6))
        seg_html += (f"<p class='sub'>The plain average of the segment NRRs is {_pct(s.attrs['average_of_segments'])}; "
                     "it is not the company's NRR (the total row sums the amounts).</p>")
    sc = fig.scenario
    proj = fig.projection
    scen_html = (f"<p>Calibrated on the data: starting ARR {_money(sc.start_arr, symbol)}, NRR {_pct(sc.nrr)}, new "
                 f"business {_pct(sc.new_rate)} of ARR a year. {e(sc.note)}. Five years on: "
                 f"{_money(proj['end_arr'].iloc[-1], symbol)} (ARR[y+1] = ARR[y] x NRR + new).</p>")
    figs = "".join(
        f"<figure><img alt='{e(CHARTS[name])}' src='data:image/svg+xml;base64,"
        f"{base64.b64encode(svg).decode()}'><figcaption>{e(CHARTS[name])} (charts/{name}.svg, .png)"
        f"</figcaption></figure>"
        for name, (_png, svg) in charts.items()
    )
    headline_card = [(k, str(h["base_month"]) if k == "base month" else str(h["month"]) if k == "end month" else v)
                     for k, v in card_rows]
    card = _table(["item", "value"], headline_card)
    note_html = "".join(f"<li>{e(n)}</li>" for n in notes)
    ids = "Customer ids are pseudonyms (C0001...)." if anonymized else ""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>NRR summary: {e(source)}, {fig.as_of}</title><style>{_CSS}</style></head>
<body>
<h1>Net revenue retention: {e(source)}</h1>
<p class="sub">As of {fig.as_of}; data {fig.months[0]} to {fig.as_of}, {len(fig.panel.customers):,} customers. {ids}
Every figure is in <code>{WORKBOOK}</code>, traced back to the customer table by formulas.</p>
<div class="kpis">{tiles}</div>
<h2>Where the NRR comes from</h2>{amounts}
<p class="sub">NRR = ending / starting MRR of the customers paying in {h['base_month']}; GRR = (starting - contraction -
churn) / starting. The interval resamples the {iv.customers:,} base customers ({iv.n_boot:,} draws, seed {iv.seed}).</p>
<h2>Against benchmarks</h2>{bench}
<h2>Warning signals</h2>{sig_html}
{seg_html}
<h2>Five-year scenario</h2>{scen_html}
<h2>Charts</h2><div class="charts">{figs}</div>
<h2>Definition card</h2>{card}
{"<h2>Load notes</h2><ul>" + note_html + "</ul>" if note_html else ""}
<p class="sub">Written by nrrkit {__version__}. Definitions: {sources.DEFINITIONS_DOC}; benchmark figures from the
sources named in the table.</p>
</body></html>
"""


# --------------------------------------------------------------------------- pack


def pack(
    mrr: pd.DataFrame,
    out_dir: str | os.PathLike,
    *,
    by: str | None = None,
    as_of=None,
    anonymize: bool = False,
    keep: Sequence[str] = (),
    force: bool = False,
    n_boot: int = 2000,
    progress: bool = False,
) -> Record:
    """Write the fundraising pack of ``mrr`` into the folder ``out_dir``.

    Parameters
    ----------
    by : str, optional
        Attribute for the segment rows, the segment chart and the segment benchmarks.
    as_of : "YYYY-MM", optional
        Last month of the pack (default: the last month of the data); later rows are left
        out, and the definition card says so.
    anonymize : bool
        Replace customer ids with :func:`pseudonyms` everywhere and drop every attribute
        column except ``by`` and ``keep``.
    force : bool
        Write into a folder that is not empty, replacing only the pack's own files.
    progress : bool
        Print each step and its time on stderr (the CLI turns this on).

    Returns
    -------
    Record
        ``folder``, ``files`` (paths written), ``as_of``, ``nrr``, ``grr``,
        ``logo_retention``, ``cells`` (where each headline figure sits in the workbook),
        ``dropped`` (the attribute columns ``anonymize`` left out).
    """
    steps = _Progress(progress, 6)
    try:
        return _pack(mrr, out_dir, by=by, as_of=as_of, anonymize=anonymize, keep=keep, force=force, n_boot=n_boot,
                     progress=progress, steps=steps)
    except BaseException:
        steps.abort()
        raise


def _pack(mrr, out_dir, *, by, as_of, anonymize, keep, force, n_boot, progress, steps) -> Record:
    from .loading import load_report
    from .panel import canonical
    from .parsing import to_period

    steps("checking the data and the folder")
    if keep and not anonymize:
        raise DataError("keep names the attribute columns an anonymized pack keeps (--keep with --anonymize); "
                        "without anonymize every attribute is kept already")
    table = canonical(mrr)
    report = load_report(table)
    source = report.source if report else "DataFrame"
    notes = list(report.notes) if report else []
    if by is not None and by not in table.columns:
        attrs = [c for c in table.columns if c not in _ATTR_RESERVED]
        raise DataError(f"no attribute column '{by}' to segment by (attributes: {', '.join(attrs) or 'none'})")
    if by in _ATTR_RESERVED:
        raise DataError(f"cannot segment by '{by}'; choose an attribute column such as segment or plan")
    from .io import horizon, through

    first, last = horizon(table) or (table["month"].min(), table["month"].max())
    filters = "none"
    if as_of is not None:
        t = to_period(as_of, "as-of month")
        if t > last or t < first:
            raise DataError(f"as-of month {t} is outside the data ({first} to {last}); pick a month inside it")
        later = int((table["month"] > t).sum())
        if later:
            filters = f"months after {t} left out (as-of {t}): {later:,} rows"
        table = through(table, t)  # a plain filter would keep the file's span (the months after t)
        last = t
    n_months = last.ordinal - first.ordinal + 1
    if n_months < WINDOW + 1:
        raise DataError(f"{source}: the data covers {n_months} month(s), {first} to {last}; the pack measures "
                        f"12-month NRR, which needs at least {WINDOW + 1}")
    _check_folder(out_dir, force)
    dropped: list[str] = []
    if anonymize:
        kept = {by, *keep}
        dropped = [c for c in table.columns if c not in _ATTR_RESERVED and c not in kept]
        original = set(table["customer_id"].astype(str).unique())
        table = _anonymize_table(table, by=by, keep=keep)
        notes = [n for n in notes if not any(i in n for i in original)]

    steps("measuring: bridge, retention, cohorts, benchmarks, interval")
    fig = _Figures(table, by, n_boot, progress)
    card = dict(fig.card)
    card["filters"] = filters
    if by:
        card["segment"], card["segment_read"] = f"{by} (segment rows)", "the base month"
    card_rows = _card_rows(card)
    steps(f"building {WORKBOOK} ({len(fig.panel.customers):,} customers x {len(fig.months)} months)")
    book, cells = _write_workbook(fig, source, notes, card_rows, anonymize)
    steps("drawing the charts")
    charts = _charts(fig)
    steps(f"building {SUMMARY}")
    page = _summary_html(fig, charts, source, cells, card_rows, notes, anonymize)
    steps(f"writing {len(charts) * 2 + 2} files")
    root = _prepare(out_dir, force)
    written = [_write_bytes(root, WORKBOOK, book)]
    for name, (png, svg) in charts.items():
        written.append(_write_bytes(root, f"charts/{name}.png", png))
        written.append(_write_bytes(root, f"charts/{name}.svg", svg))
    written.append(_write_bytes(root, SUMMARY, page.encode("utf-8")))
    steps.done()
    h = fig.headline
    return Record(folder=str(root), files=[str(p) for p in written], as_of=str(fig.as_of), nrr=float(h["nrr"]),
                  grr=float(h["grr"]), logo_retention=float(h["logo_retention"]), level=fig.level,
                  interval=(fig.interval.low, fig.interval.high), cells=cells, dropped=dropped)


def _card_rows(card: dict) -> list[tuple[str, str]]:
    from .definitions import Definition

    return Definition(**card).rows()
