"""The pack's workbook: every derived cell an Excel formula, with nrrkit's figure stored as its value.

Sheets: Summary, Customer MRR (the base of everything), Customer Segment (when a
customer changes segment), MRR Bridge, ARR Funnel, Retention, Cohorts, Concentration,
Benchmarks and Definitions (:mod:`.notes` writes the sheets that explain).  Every sheet prints
one page wide with its header row repeated (:class:`.book.Book`).  Viewers that never
recalculate show nrrkit's numbers; Excel or LibreOffice recalculating gives the same ones (the
tests check every formula cell in LibreOffice).
"""

from __future__ import annotations

import io
import math

import numpy as np
import pandas as pd

from ..benchmarks import is_rated, level_verdict
from ..errors import DataError
from .anonymize import RESERVED
from .book import Book, Grid
from .book import col_name as _col
from .book import quote_sheet as _q
from .figures import BRIDGE_MONTHS, WINDOW, Figures
from .notes import write_benchmark_sheet, write_definitions_sheet, write_summary_sheet
from .text import base_customers

__all__ = ["Book", "write_workbook"]

def _latest_attributes(fig: Figures, attributes: list[str]) -> dict[str, np.ndarray]:
    """Each customer's attribute values in its latest row, in the order of the panel's customers."""
    t = fig.table
    codes, uniq = pd.factorize(t["customer_id"])  # integer codes: sorting them is cheap
    order = np.lexsort((t["month"].array.asi8, codes))  # by customer, then month: each one's last row is its latest
    last_rows = order[np.r_[codes[order][1:] != codes[order][:-1], True]]
    cust = fig.panel.customers.get_indexer(pd.Index(np.asarray(uniq, dtype=object)).astype(str)[codes[last_rows]])
    out = {}
    for a in attributes:
        values = np.full(len(fig.panel.customers), None, dtype=object)
        col = t[a].to_numpy(dtype=object)[last_rows]
        values[cust] = [None if (v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA) else v for v in col]
        if a == fig.by:
            values = np.array([fig.missing_label if v is None else v for v in values], dtype=object)
        out[a] = values
    return out


def _write_customer_sheet(book: Book, fig: Figures, grid: Grid, source: str) -> None:
    v = fig.panel.values
    n_m = len(fig.months)
    ws = book.sheet(grid.SHEET, [(0, 0, 14), (1, 2, 11), (3, 2 + len(grid.attributes), 13),
                                 (grid.first_col, grid.first_col + n_m - 1, 11)], head_row=grid.HEAD_ROW)
    currency = fig.currency.label
    book.banner(ws, 0, "Customer MRR: one row per customer, one column per calendar month (month-end MRR)", "title")
    book.banner(ws, 1, f"Source: {source}. Currency: {currency}. A 0 means the customer paid nothing that month. "
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
    ws.autofilter(grid.HEAD_ROW, 0, grid.bottom, grid.first_col + n_m - 1)


def _write_segment_sheet(book: Book, fig: Figures, grid: Grid) -> None:
    """Each customer's segment in each month, for segment attributes that change over time."""
    ws = book.sheet(grid.SEG_SHEET, [(0, len(fig.months), 12)], head_row=grid.HEAD_ROW)
    book.banner(ws, 0, f"Customer {fig.by}: the '{fig.by}' of each customer in each month", "title")
    book.banner(ws, 1, "Retention by segment places each customer in its segment of the base month; "
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


def _bridge_rows(fig: Figures) -> list[int]:
    """Month indices of the bridge sheet: the last 24 months (all of them for shorter data)."""
    n = len(fig.months)
    return list(range(max(0, n - BRIDGE_MONTHS), n))


BRIDGE_HEAD = ["Month", "Month #", "Starting MRR", "New", "Reactivation", "Expansion", "Contraction", "Churn",
               "Ending MRR", "Net new MRR", "Ending ARR (12 x MRR)", "Customers at start", "New customers",
               "Reactivated customers", "Churned customers", "Customers at end",
               "Ending MRR in Customer MRR", "Difference (must be 0)"]


def _write_bridge_sheet(book: Book, fig: Figures, grid: Grid) -> dict[int, int]:
    """The monthly bridge; returns month index -> sheet row."""
    ws = book.sheet("MRR Bridge", [(0, 1, 9), (2, 17, 14)], head_row=3)
    b = fig.bridge_m.set_index(fig.bridge_m["period"].astype(str))
    book.banner(ws, 0, f"MRR bridge, month by month (last {BRIDGE_MONTHS} months)", "title")
    book.banner(ws, 1, "Each movement is a SUMPRODUCT over two adjacent month columns of Customer MRR: expansion = "
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
        book.formula(ws, r, 17, f"=ROUND(I{R}-Q{R},2)", round(x["end_mrr"] - total, 2), "check")
    ws.freeze_panes(4, 1)
    return rows


FUNNEL_HEAD = ["Quarter", "Beginning ARR", "New logo ARR", "Reactivation ARR", "Expansion ARR", "Gross new ARR",
               "Contraction ARR", "Churned ARR", "Net new ARR", "Ending ARR", "Growth QoQ", "Growth YoY",
               "Ending ARR a year earlier"]


def _write_funnel_sheet(book: Book, fig: Figures, grid: Grid, bridge_rows: dict[int, int]) -> None:
    ws = book.sheet("ARR Funnel", [(0, 0, 9), (1, 12, 15)], head_row=3)
    book.banner(ws, 0, "ARR funnel by quarter (ARR = 12 x MRR)", "title")
    book.banner(ws, 1, "Each movement is 12 x the sum of the quarter's three months on the MRR Bridge sheet. "
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


RET_HEAD = ["Quarter", "End month", "Base month", "Segment (at the base month)", "Base customers",
            "Retained customers", "Starting MRR", "Expansion", "Contraction", "Churn", "Ending MRR", "NRR", "GRR",
            "Logo retention", "Ending MRR of base customers", "Difference (must be 0)", "Level (NRR)", "Caution"]


def _retention_months(fig: Figures) -> list[int]:
    """Quarter-end months with a full window, plus the as-of month."""
    out = [j for j, m in enumerate(fig.months) if j >= WINDOW and m.month % 3 == 0]
    last = len(fig.months) - 1
    if last not in out:
        out.append(last)
    return out


RET_TOP = 4  # first data row (0-based) of the Retention sheet


def _retention_rows(fig: Figures) -> list[tuple[int, str, pd.Series, bool]]:
    """The Retention sheet's rows in order: (end month index, label, nrrkit's row, is the total row)."""
    total = fig.ret.set_index(fig.ret["month"].astype(str))
    rows = []
    for j in _retention_months(fig):
        t = fig.months[j]
        rows.append((j, "All customers", total.loc[str(t)], True))
        if fig.ret_by is not None:
            rows += [(j, str(x[fig.by]), x, False) for _, x in fig.ret_by[fig.ret_by["month"] == t].iterrows()]
    return rows


def _headline_cells(fig: Figures) -> dict:
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


def _write_retention_sheet(book: Book, fig: Figures, grid: Grid) -> None:
    """NRR, GRR, logo retention per quarter, in the order of :func:`_retention_rows`."""
    ws = book.sheet("Retention", [(0, 2, 10), (3, 3, 16), (4, 16, 13), (17, 17, 60)], head_row=RET_TOP - 1)
    book.banner(ws, 0, f"{WINDOW}-month retention by quarter: NRR, GRR and logo retention", "title")
    book.banner(ws, 1, f"Base cohort = customers paying in the base month ({WINDOW} months before the end month). "
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
            n = int(x["customers_start"])
            if j == len(fig.months) - 1 and is_total:  # the headline: the pack's verdict (interval, signals)
                verdict = fig.verdict
            elif j == len(fig.months) - 1:
                seg = fig.segment(label)
                verdict = level_verdict(float(x["nrr"]), float(x["grr"]), n, seg["low"], seg["high"])
            else:
                verdict = level_verdict(float(x["nrr"]), float(x["grr"]), n)
            if is_total or is_rated(n):
                # the level where the rule allows it, else withheld with the reasons (benchmarks.level_verdict)
                book.text(ws, r, 16, verdict.level if verdict.shown else f"withheld ({verdict.level} by NRR)")
                note = "; ".join(verdict.reasons)
            else:
                book.text(ws, r, 16, "not rated")
                note = f"segment of {base_customers(n)} (under 30): shown, not rated"
            if note:
                book.text(ws, r, 17, note)
        book.formula(ws, r, 14, f"=SUMPRODUCT({w}({B}>0)*{T})", x["end_mrr"])
        book.formula(ws, r, 15, f"=ROUND(K{R}-O{R},2)", round(end - x["end_mrr"], 2), "check")
    ws.freeze_panes(RET_TOP, 4)


def _write_cohort_sheet(book: Book, fig: Figures, grid: Grid) -> None:
    mrr_t, rev, logo, cnt = fig.cohort_mrr, fig.cohort_rev, fig.cohort_logo, fig.cohort_count
    ages = list(mrr_t.columns)
    ws = book.sheet("Cohorts", [(0, 0, 26), (1, 5 + max(len(ages), fig.cake.shape[1]), 12)])
    size, start = mrr_t.attrs["size"], mrr_t.attrs["start_mrr"]
    cohorts = list(mrr_t.index)
    book.banner(ws, 0, "Cohorts: customers grouped by the quarter of their first payment", "title")
    book.banner(ws, 1, "Age k = k quarters after the cohort's first quarter; MRR at an age is the month-end MRR of "
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
        book.formula(ws, r, 5 + n_c, f"=ROUND({_col(3 + n_c)}{R}-{_col(4 + n_c)}{R},2)", round(tot - ref, 2), "check")
        r += 1
    ws.freeze_panes(0, 1)


def _checks(fig: Figures, grid: Grid) -> list[tuple[str, str, float]]:
    n_b = len(_bridge_rows(fig))
    n_r = len(_retention_rows(fig))
    return [
        ("Bridge ending MRR vs Customer MRR", f"=SUMPRODUCT(ABS('MRR Bridge'!R5:R{4 + n_b}))", 0.0),
        ("Retention ending MRR, two ways", f"=SUMPRODUCT(ABS(Retention!P5:P{4 + n_r}))", 0.0),
    ]


def write_workbook(fig: Figures, source: str, notes: list[str], card_rows, anonymized: bool) -> tuple[bytes, dict]:
    """The workbook's bytes, and the cells of the headline figures."""
    attributes = [c for c in fig.table.columns if c not in RESERVED]
    if fig.by and fig.by in attributes:  # the segment first
        attributes.remove(fig.by)
        attributes.insert(0, fig.by)
    n_c = len(fig.panel.customers)
    if Grid.TOP + n_c > 1_048_576:
        raise DataError(f"{n_c:,} customers do not fit on one Excel sheet (1,048,571 at most); "
                        "pack a segment or a sample of the customers")
    grid = Grid(n_c, fig.months, attributes)
    cells = _headline_cells(fig)
    buf = io.BytesIO()
    title = f"{fig.company}: NRR pack" if fig.company else "NRR pack"
    book = Book(buf, title=title, money_format=fig.currency.excel_format())
    arr_cell = write_summary_sheet(book, fig, grid, cells, source, notes, card_rows, anonymized, _checks(fig, grid))
    _write_customer_sheet(book, fig, grid, source)
    if fig.by and fig.seg_varies:
        _write_segment_sheet(book, fig, grid)
    rows = _write_bridge_sheet(book, fig, grid)
    _write_funnel_sheet(book, fig, grid, rows)
    _write_retention_sheet(book, fig, grid)
    _write_cohort_sheet(book, fig, grid)
    conc = _write_concentration_sheet(book, fig, grid, cells)
    write_benchmark_sheet(book, fig, grid, cells)
    write_definitions_sheet(book, fig)
    book.wb.close()
    return buf.getvalue(), {**cells, "arr": arr_cell, **conc}


def _write_concentration_sheet(book: Book, fig: Figures, grid: Grid, cells: dict) -> dict:
    """NRR without the top expanders, and the share of MRR in the largest customers, by formulas over
    Customer MRR; returns the cells of the figures."""
    ws = book.sheet("Concentration", [(0, 0, 8), (1, 1, 44), (2, 4, 16)], head_row=3)
    last = len(fig.months) - 1
    b, t = last - WINDOW, last
    cb, ct = _col(grid.col(b)), _col(grid.col(t))
    cm = _q(grid.SHEET)
    book.text(ws, 0, 0, f"Concentration: how much of the NRR rests on a few customers ({fig.months[b]} to {fig.as_of})",
              "title")
    book.banner(ws, 1, "Top expanders = base customers with the largest increase of MRR over the window. NRR without "
                        "the top k = (ending MRR - their ending MRR) / (starting MRR - their starting MRR), over the "
                        "base cohort of the Retention sheet. Amounts link to Customer MRR.", "note")
    book.header(ws, 3, ["Rank", "Customer", f"MRR {fig.months[b]}", f"MRR {fig.as_of}", "Change"])
    r = 4
    for k, x in enumerate(fig.expanders.itertuples(), start=1):
        row = grid.TOP + fig.panel.customers.get_loc(str(x.customer_id)) + 1
        R = r + 1
        book.num(ws, r, 0, k, "int")
        book.text(ws, r, 1, x.customer_id)
        book.formula(ws, r, 2, f"={cm}!{cb}{row}", x.start_mrr)
        book.formula(ws, r, 3, f"={cm}!{ct}{row}", x.end_mrr)
        book.formula(ws, r, 4, f"=D{R}-C{R}", x.end_mrr - x.start_mrr)
        r += 1
    first = 5
    r += 1
    out: dict = {}
    start_ref, end_ref = cells["start_mrr"], cells["end_mrr"]
    book.header(ws, r, ["", "Figure", "NRR", "Share of all expansion"])
    r += 1
    book.text(ws, r, 1, "NRR, all base customers")
    book.formula(ws, r, 2, f"={cells['nrr']}", fig.headline["nrr"], "pct_bold")
    r += 1
    all_gain = float(fig.accounts.loc[fig.accounts["change"] > 0, "change"].sum())
    for x in fig.concentration.itertuples():
        last_row = first + x.removed - 1
        R = r + 1
        book.text(ws, r, 1, f"NRR {x.label}")
        if np.isfinite(x.nrr):
            book.formula(ws, r, 2, f"=({end_ref}-SUM(D{first}:D{last_row}))/({start_ref}-SUM(C{first}:C{last_row}))",
                         x.nrr, "pct_bold")
        if all_gain > 0:
            exp_cell = _expansion_cell(cells)
            book.formula(ws, r, 3, f"=SUM(E{first}:E{last_row})/{exp_cell}", x.expansion_share, "pct")
        out[f"nrr_without_{x.removed}"] = f"Concentration!C{R}"
        r += 1
    r += 1
    book.text(ws, r, 0, f"The largest customers by MRR, {fig.as_of}", "section")
    r += 1
    book.header(ws, r, ["Rank", "Customer", f"MRR {fig.as_of}", "Share of MRR"])
    r += 1
    top = r + 1
    total = grid.total(last)
    now = fig.panel.values[:, -1]
    for k, i in enumerate(fig.largest, start=1):
        row = grid.TOP + i + 1
        R = r + 1
        book.num(ws, r, 0, k, "int")
        book.text(ws, r, 1, fig.panel.customers[i])
        book.formula(ws, r, 2, f"={cm}!{ct}{row}", now[i])
        book.formula(ws, r, 3, f"=C{R}/{total}", now[i] / fig.mrr_now, "pct")
        r += 1
    if fig.largest:
        R = r + 1
        book.text(ws, r, 1, f"Top {len(fig.largest)} customers' share of MRR", "bold")
        book.formula(ws, r, 3, f"=SUM(C{top}:C{r})/{total}", fig.top10_share, "pct_bold")
        out["top10_share"] = f"Concentration!D{R}"
    return out


def _expansion_cell(cells: dict) -> str:
    """The expansion of the headline row (column H of the same Retention row as the NRR)."""
    return cells["nrr"].replace("!L", "!H")
