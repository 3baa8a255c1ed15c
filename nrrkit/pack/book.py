"""The pack's XlsxWriter workbook: formats, text that never turns into a formula, and sheets laid out
for print (fitted to the page width, header rows repeated, long text wrapped instead of cut)."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from .text import clean

__all__ = ["Book", "Grid", "PORTRAIT_CHARS", "col_name", "cell_ref", "quote_sheet"]

#: A sheet wider than this many characters of column width prints landscape.
PORTRAIT_CHARS = 110
#: Title and note rows merge across at most this many columns (wide sheets: the first ones).
MAX_BANNER_COL = 11
_WRAPPABLE = {"text", "bold", "note"}


def col_name(c: int) -> str:
    from xlsxwriter.utility import xl_col_to_name

    return xl_col_to_name(c)


def cell_ref(r: int, c: int, *, abs_row: bool = False) -> str:
    return f"{col_name(c)}{'$' if abs_row else ''}{r + 1}"


def quote_sheet(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


_UNSAFE = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet may run text starting with these


class Book:
    """An XlsxWriter workbook in constant-memory mode (every sheet written row by row),
    with the pack's formats and writers that never let text turn into a formula."""

    def __init__(self, fh, *, title: str = "NRR pack", money_format: str = "#,##0.00"):
        import xlsxwriter

        self.wb = xlsxwriter.Workbook(fh, {"constant_memory": True, "in_memory": False,
                                           "strings_to_formulas": False, "strings_to_urls": False,
                                           "strings_to_numbers": False})
        self.wb.set_properties({"title": title, "comments": "written by nrrkit; every derived cell is a formula"})
        self._props = {
            "title": {"bold": True, "font_size": 14},
            "note": {"italic": True, "font_color": "#546e7a"},
            "head": {"bold": True, "bottom": 1, "bg_color": "#eceff1", "text_wrap": True, "valign": "top"},
            "section": {"bold": True, "font_size": 12, "font_color": "#1a237e"},
            "text": {"valign": "top"},
            "bold": {"bold": True, "valign": "top"},
            "money": {"num_format": money_format},
            "money_bold": {"num_format": money_format, "bold": True},
            "int": {"num_format": "#,##0"},
            "pct": {"num_format": "0.0%"},
            "pct_bold": {"num_format": "0.0%", "bold": True},
            "check": {"num_format": "0.00", "font_color": "#2e7d32"},
            "wrap": {"text_wrap": True, "valign": "top"},
        }
        for props in self._props.values():  # every cell aligned to the top of its row (rows of wrapped text)
            props.setdefault("valign", "top")
        self.fmt = {name: self.wb.add_format(props) for name, props in self._props.items()}
        self._quoted: dict[str, object] = {}
        self._widths: dict[str, dict[int, float]] = {}
        self._rows: dict[tuple[str, int], int] = {}

    def sheet(self, name: str, widths: Sequence[tuple[int, int, float]] = (), *, head_row: int | None = None,
              landscape: bool | None = None):
        """A new sheet laid out for print: the column widths (first, last, width) set before anything is
        written (so :meth:`text` can wrap what would not fit), fitted to one page wide, landscape when
        wider than a portrait page, the header row repeated on every printed page, page numbers below."""
        ws = self.wb.add_worksheet(name)
        cols: dict[int, float] = {}
        for first, last, width in widths:
            ws.set_column(first, last, width)
            for c in range(first, last + 1):
                cols[c] = width
        self._widths[ws.name] = cols
        total = sum(cols.values())
        ws.fit_to_pages(1, 0)
        if landscape if landscape is not None else total > PORTRAIT_CHARS:
            ws.set_landscape()
        ws.set_paper(9)  # A4; fit to width keeps it on Letter too
        ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
        if head_row is not None:
            ws.repeat_rows(head_row)
        ws.set_footer(f"&L{name}&R&P / &N")
        ws.hide_gridlines(0)
        return ws

    def _tall(self, ws, r: int, lines: int) -> None:
        """Make row ``r`` tall enough for ``lines`` lines of wrapped text (spreadsheets do not grow a row
        for wrapped text written by a program, so printed text would be cut)."""
        key = (ws.name, r)
        if lines > self._rows.get(key, 1):
            self._rows[key] = lines
            ws.set_row(r, 15 * lines)

    def width(self, ws, c: int) -> float:
        return self._widths.get(ws.name, {}).get(c, 8.43)

    def banner(self, ws, r: int, text: str, fmt: str = "note", last_col: int | None = None) -> None:
        """A title or note row: merged across the sheet's columns and wrapped, with the row as tall as
        its lines (a long sentence is never cut at the edge of the printed page)."""
        cols = self._widths.get(ws.name, {})
        last = last_col if last_col is not None else max([c for c in cols if c <= MAX_BANNER_COL] or [0])
        width = sum(self.width(ws, c) for c in range(0, last + 1))
        size = 14 if fmt == "title" else 11
        per_line = max(10.0, width * 11 / size * 0.95)
        lines = max(1, math.ceil(len(text) / per_line))
        ws.set_row(r, lines * size * 1.35)
        key = fmt + "_banner"
        if key not in self.fmt:
            self.fmt[key] = self.wb.add_format({**self._props[fmt], "text_wrap": True, "valign": "top"})
        if last > 0:
            ws.merge_range(r, 0, r, last, "", self.fmt[key])
        self.text(ws, r, 0, text, key, wrap=False)

    def text(self, ws, r: int, c: int, value, fmt: str = "text", *, wrap: bool = True) -> None:
        """Text that stays text; longer than its column, it wraps (never cut off) unless ``wrap=False``."""
        s = "" if value is None else str(value)
        if wrap and fmt in _WRAPPABLE and len(s) > self.width(ws, c) * 1.1:
            lines = max(s.count("\n") + 1, math.ceil(len(s) / max(self.width(ws, c) * 1.05, 4)))
            self._tall(ws, r, lines)
            key = fmt + "_wrap"
            if key not in self.fmt:
                self._props[key] = {**self._props[fmt], "text_wrap": True, "valign": "top"}
                self.fmt[key] = self.wb.add_format(self._props[key])
            fmt = key
        f = self.fmt[fmt]
        if s.startswith(_UNSAFE):  # stored as text, shown with Excel's quote prefix: never run as a formula
            if fmt not in self._quoted:  # the same look, plus the quote prefix
                props = self._props.get(fmt) or self._props[fmt.rsplit("_", 1)[0]]
                self._quoted[fmt] = self.wb.add_format({**props, "quote_prefix": True})
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
        if fmt == "check":
            v = clean(v)
        ws.write_formula(r, c, formula, self.fmt[fmt], v)

    def wide(self, ws, r: int, c0: int, c1: int, value, fmt: str = "text") -> None:
        """Text across columns ``c0`` to ``c1`` (merged), wrapped, the row as tall as its lines."""
        s = "" if value is None else str(value)
        width = sum(self.width(ws, c) for c in range(c0, c1 + 1))
        self._tall(ws, r, max(1, math.ceil(len(s) / max(width * 1.05, 4))))
        key = fmt + "_wrap"
        if key not in self.fmt:
            self._props[key] = {**self._props[fmt], "text_wrap": True, "valign": "top"}
            self.fmt[key] = self.wb.add_format(self._props[key])
        if c1 > c0:
            ws.merge_range(r, c0, r, c1, "", self.fmt[key])
        self.text(ws, r, c0, s, key, wrap=False)

    def link(self, ws, r: int, c: int, url: str) -> None:
        """A link a reader can click (only http and https addresses)."""
        if not url.startswith(("https://", "http://")):
            raise ValueError(f"not a web address: {url!r}")  # pragma: no cover - the sources are ours
        if "link" not in self.fmt:
            self.fmt["link"] = self.wb.add_format({"font_color": "#1a237e", "underline": 1})
        ws.write_url(r, c, url, self.fmt["link"], string=url)

    def header(self, ws, r: int, names: Sequence[str], c0: int = 0) -> None:
        lines = max([math.ceil(len(str(n)) / max(self.width(ws, c0 + i) * 1.05, 4)) for i, n in enumerate(names)]
                    or [1])
        self._tall(ws, r, lines)
        for i, n in enumerate(names):
            self.text(ws, r, c0 + i, n, "head")




class Grid:
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
        return f"{quote_sheet(sheet)}!${col_name(c)}${self.TOP + 1}:${col_name(c)}${self.bottom + 1}"

    def rng(self, j: int) -> str:
        """The MRR of every customer in month ``j``."""
        return self._range(self.SHEET, self.col(j))

    def total(self, j: int) -> str:
        return f"{quote_sheet(self.SHEET)}!{cell_ref(self.TOTAL_ROW, self.col(j), abs_row=True)}"

    def cohort_rng(self) -> str:
        return self._range(self.SHEET, 1)

    def seg_rng(self, j: int, varies: bool, seg_col: int) -> str:
        """The segment of every customer in month ``j`` (one column when no customer changes segment)."""
        return self._range(self.SEG_SHEET, 1 + j) if varies else self._range(self.SHEET, seg_col)
