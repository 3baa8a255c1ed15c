"""The workbook's sheets that explain: Summary (the headline and how each figure is computed),
Definitions (every term, the pack's rules, the sources with their links) and Benchmarks.

Written in plain words for an investor: no function names, no internal keys, no paths.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..benchmarks import BENCHMARK_CURRENCY
from ..sources import SOURCES, by_citation
from .book import Book, Grid
from .book import cell_ref as _cell
from .book import quote_sheet as _q
from .figures import Figures, in_currency
from .glossary import rules, terms
from .page import level_tile, source_name, table_title
from .text import base_customers

__all__ = ["write_summary_sheet", "write_definitions_sheet", "write_benchmark_sheet", "RECIPES", "SUMMARY_SHEET",
           "DEFINITIONS_SHEET"]

SUMMARY_SHEET = "Summary"
DEFINITIONS_SHEET = "Definitions"

#: How each figure of the workbook is computed, sheet by sheet (plain words).
RECIPES = [
    ("Customer MRR", "First paying month #", "position of the first month with MRR > 0 in the row"),
    ("MRR Bridge", "New", "MRR this month of customers whose first paying month # is this month"),
    ("MRR Bridge", "Reactivation", "MRR of customers at 0 last month and paying now, minus New"),
    ("MRR Bridge", "Expansion / Contraction", "increase / decrease of customers paying in both months"),
    ("MRR Bridge", "Churn", "last month's MRR of customers now at 0"),
    ("MRR Bridge", "Ending MRR", "starting + new + reactivation + expansion - contraction - churn; equals the "
                                 "Customer MRR total (Difference column)"),
    ("ARR Funnel", "every movement", "12 x the sum of the quarter's months on MRR Bridge"),
    ("ARR Funnel", "Growth QoQ / YoY", "ending ARR / beginning ARR - 1; / ending ARR a year earlier - 1"),
    ("Retention", "Starting MRR, Expansion, Contraction, Churn",
     "sums over the base-month and end-month columns of Customer MRR, base cohort only"),
    ("Retention", "NRR / GRR / Logo retention",
     "ending / starting MRR; (starting - contraction - churn) / starting; retained / base customers"),
    ("Cohorts", "Revenue / logo retention", "cohort MRR (customers) at the age / starting MRR (customers)"),
    ("Cohorts", "All cohorts", "column sum / the sum of starting MRR of the cohorts that reached the age"),
    ("Benchmarks", "Position", "the figure against each table's band: below, within or above"),
]

_COLUMN_WORDS = {"nrr_low": "NRR from", "nrr_high": "NRR to", "target_nrr": "target NRR",
                 "typical_low": "typical NRR from", "typical_high": "typical NRR to", "acv_low": "ACV from (US$)",
                 "acv_high": "ACV to (US$)", "median_nrr": "median NRR", "median_grr": "median GRR",
                 "grr_low": "GRR from", "grr_high": "GRR to", "acv_band": "ACV band (US$)", "acv": "ACV (US$)",
                 "metric_name": "what the company calls it", "as_of": "as of", "nrr": "NRR as filed"}
_SKIP = {"source", "year", "definition"}


def write_summary_sheet(book: Book, fig: Figures, grid: Grid, cells: dict, source: str, notes: list[str],
                        card_rows: list[tuple[str, str]], anonymized: bool,
                        checks: list[tuple[str, str, float]]) -> str:
    """The first sheet: headline figures linked to their cells, the level's verdict, the data, the card,
    how each figure is computed, the checks. Returns the cell of the ARR."""
    from ..version import __version__

    ws = book.sheet(SUMMARY_SHEET, [(0, 0, 34), (1, 1, 24), (2, 2, 60), (3, 3, 40)])
    last = len(fig.months) - 1
    book.banner(ws, 0, f"{fig.company + ': ' if fig.company else ''}NRR pack, as of {fig.as_of}", "title")
    book.banner(ws, 1, f"Written by nrrkit {__version__}. Every derived cell of this workbook is a formula over the "
                       "cells it comes from; click a cell to see it. The stored values are nrrkit's figures. Every "
                       "term is defined on the Definitions sheet.", "note")
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
    arr_cell = f"{SUMMARY_SHEET}!B{r + 1}"
    r += 1
    book.text(ws, r, 0, f"Customers paying in {fig.as_of}")
    book.formula(ws, r, 1, f'=COUNTIF({grid.rng(last)},">0")', fig.customers_now, "int")
    book.wide(ws, r, 2, 3, f"base cohort: {base_customers(fig.base_customers)} paying in "
                           f"{fig.headline['base_month']}; {fig.customers_ever:,} customers have paid at some point")
    r += 1
    iv = fig.interval
    book.text(ws, r, 0, f"NRR {iv.level:.0%} interval (bootstrap)")
    book.num(ws, r, 1, iv.low, "pct")
    book.num(ws, r, 2, iv.high, "pct")
    book.wide(ws, r, 3, 3, f"{iv.n_boot:,} resamples of the base customers (seed {iv.seed}); computed, not a formula")
    r += 1
    value, why = level_tile(fig)
    book.text(ws, r, 0, "Level of the NRR")
    book.text(ws, r, 1, value, "bold")
    book.wide(ws, r, 2, 3, why)
    r += 1
    book.text(ws, r, 0, "Caution")
    book.wide(ws, r, 1, 3, fig.caution or "none: 30+ base customers and a 90% interval within 20 points")
    r += 1
    if fig.trend_note:
        book.text(ws, r, 0, "Trend")
        book.wide(ws, r, 1, 3, fig.trend_note)
        r += 1
    for c in fig.scenario["cautions"]:
        book.text(ws, r, 0, "Scenario caution")
        book.wide(ws, r, 1, 3, in_currency(c, fig.currency))
        r += 1
    r += 1
    book.text(ws, r, 0, "Data", "section")
    r += 1
    n_c = len(fig.panel.customers)
    data_rows = [("Company", fig.company or "not named (pass --company)"), ("Source", source),
                 ("Currency", fig.currency.label),
                 ("Months", f"{fig.months[0]} to {fig.as_of} ({len(fig.months)} months)"),
                 ("Customer ids", "pseudonyms C0001... (--anonymize)" if anonymized else "as in the source")]
    for k, v in data_rows:
        book.text(ws, r, 0, k)
        book.wide(ws, r, 1, 3, v)
        r += 1
    book.text(ws, r, 0, "Customers who ever paid")
    book.formula(ws, r, 1, f"=COUNTA({_q(grid.SHEET)}!$A${grid.TOP + 1}:$A${grid.bottom + 1})", n_c, "int")
    r += 1
    book.text(ws, r, 0, "Sum of MRR over all rows")
    book.formula(ws, r, 1, f"=SUM({_q(grid.SHEET)}!{_cell(grid.TOTAL_ROW, grid.col(0))}:"
                           f"{_cell(grid.TOTAL_ROW, grid.col(last))})", float(fig.panel.values.sum()))
    book.text(ws, r, 2, "equals the total of the load report when nothing was left out: no row is dropped")
    r += 1
    for n in notes:
        book.text(ws, r, 0, "Load note")
        book.wide(ws, r, 1, 3, n)
        r += 1
    r += 1
    book.text(ws, r, 0, "Definition card", "section")
    r += 1
    for k, v in card_rows:
        book.text(ws, r, 0, k)
        book.wide(ws, r, 1, 3, v)
        r += 1
    r += 1
    book.text(ws, r, 0, "How each figure is computed", "section")
    book.header(ws, r + 1, ["Sheet", "Figure", "How"])
    r += 2
    for row in RECIPES:
        for c, v in enumerate(row):
            book.text(ws, r, c, v)
        r += 1
    r += 1
    book.text(ws, r, 0, "Checks (each must be 0)", "section")
    r += 1
    for label, formula, value in checks:
        book.text(ws, r, 0, label)
        book.formula(ws, r, 1, formula, value, "check")
        r += 1
    return arr_cell


def write_definitions_sheet(book: Book, fig: Figures) -> None:
    """Every term in plain words, the rules the pack applies, and the sources with their links."""
    ws = book.sheet(DEFINITIONS_SHEET, [(0, 0, 30), (1, 1, 100)], head_row=3)
    book.banner(ws, 0, "Definitions, rules and sources", "title")
    book.banner(ws, 1, "What every figure of this pack means, the rules it applies to what it shows, and the "
                       "documents its reference figures come from.", "note")
    book.header(ws, 3, ["Term", "Definition"])
    r = 4
    for term, text in terms():
        book.text(ws, r, 0, term, "bold")
        book.text(ws, r, 1, text)
        r += 1
    r += 1
    book.text(ws, r, 0, "Rules the pack applies", "section")
    r += 1
    for rule, text in rules():
        book.text(ws, r, 0, rule, "bold")
        book.text(ws, r, 1, text)
        r += 1
    r += 1
    book.text(ws, r, 0, "Sources", "section")
    r += 1
    for x in SOURCES:
        book.text(ws, r, 0, x.short, "bold")
        when = x.date or x.year
        book.text(ws, r, 1, f"{x.author}, \u201c{x.title}\u201d" + (f", {x.kind}" if x.kind else "")
                  + (f", {when}" if when else "") + (f". Used for: {x.used_for}." if x.used_for else ""))
        r += 1
        if x.link:
            book.link(ws, r, 1, x.link)
            r += 1


def write_benchmark_sheet(book: Book, fig: Figures, grid: Grid, cells: dict) -> None:
    """Each figure against each benchmark (values linked to the Retention sheet), then the tables."""
    ws = book.sheet("Benchmarks", [(0, 0, 30), (1, 1, 12), (2, 2, 34), (3, 3, 16), (4, 4, 18), (5, 5, 12),
                                   (6, 6, 18), (7, 7, 40)])
    book.banner(ws, 0, f"Where the figures of {fig.as_of} sit against published benchmarks", "title")
    book.banner(ws, 1, "Each source defines NRR its own way (window, cohort, usage or contract revenue); read a "
                       "comparison as a direction, not a verdict. Values link to the Retention sheet; the sources "
                       "with their links are on the Definitions sheet.", "note")
    book.header(ws, 3, ["Figure", "Value", "Benchmark table", "Row", "Benchmark", "Position", "Source", "Caution"])
    r = 4
    last = len(fig.months) - 1

    def rows(label: str, frame: pd.DataFrame, refs: dict, note: str) -> None:
        nonlocal r
        for x in frame.itertuples():
            book.text(ws, r, 0, f"{label} {x.metric.upper()}")
            book.formula(ws, r, 1, f"={refs[x.metric]}", x.value, "pct")
            for c, v in enumerate((table_title(x.table), x.row, x.benchmark, x.position, source_name(x.source),
                                   note), start=2):
                book.text(ws, r, c, v)
            r += 1

    rows("All customers", fig.bench, cells, fig.caution)
    for label, frame in fig.bench_seg:
        rows(label, frame, cells["segments"][label], fig.segment(label)["caution"])
    for seg in fig.seg_rows:
        if not seg["rated"]:
            book.text(ws, r, 0, f"{seg['segment']} NRR")
            book.formula(ws, r, 1, f"={cells['segments'][seg['segment']]['nrr']}", seg["nrr"], "pct")
            book.text(ws, r, 5, "not rated")
            book.text(ws, r, 7, f"segment of {base_customers(seg['customers'])} (under 30): shown, not rated")
            r += 1
    if fig.acv is not None:
        book.text(ws, r, 0, f"Average ACV ({fig.currency.code or 'currency not stated'})")
        book.formula(ws, r, 1, f'=12*{grid.total(last)}/COUNTIF({grid.rng(last)},">0")', fig.acv)
        if fig.acv_usd is None:
            book.text(ws, r, 2, table_title("saas_capital_2023"))
            book.text(ws, r, 5, "not compared")
            book.text(ws, r, 7, fig.acv_note)
        else:
            book.text(ws, r, 2, "picks the SaaS Capital 2023 band above"
                      + (f" (US${fig.acv_usd:,.0f}: {fig.acv_note})" if fig.acv_note else " (in US dollars)"))
        r += 1
    r += 1
    for name, table in fig.tables.items():
        book.text(ws, r, 0, table_title(name), "section")
        r += 1
        first = table.iloc[0]
        src = by_citation(str(first["source"]))
        said = ("each company's own filing (the source column)" if name == "companies"
                else src.short if src else str(first["source"]))
        book.wide(ws, r, 0, 7, f"Source: {said}; definition: {first['definition']}", "note")
        r += 1
        if name == "companies":  # the filing by its short name (the Definitions sheet cites it in full)
            table = table.assign(source=[by_citation(str(x)).short for x in table["source"]])
        skip = _SKIP - {"source"} | {"nrr_low", "nrr_high", "filing"} if name == "companies" else _SKIP
        columns = [c for c in table.columns if c not in skip]
        book.header(ws, r, [_COLUMN_WORDS.get(c, c.replace("_", " ")) for c in columns])
        r += 1
        for rec in table[columns].itertuples(index=False):
            for c, v in enumerate(rec):
                col = columns[c]
                if isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool):
                    fv = float(v)
                    if math.isfinite(fv):
                        fmt = "pct" if any(k in col for k in ("nrr", "grr", "typical", "rate")) else "int"
                        book.num(ws, r, c, fv, fmt)
                    else:
                        book.text(ws, r, c, "no bound")
                else:
                    book.text(ws, r, c, v)
            r += 1
        r += 1
    book.text(ws, r, 0, f"Money bands are in {BENCHMARK_CURRENCY}.", "note", wrap=False)
