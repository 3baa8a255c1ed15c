"""Every file in tests/data/bad/ gives the message it must give, or its documented normalisation.

A message must be one line and name the file, the row as the user counts it
(header = row 1), the column and the value, and say what to do.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import nrrkit as nk

BAD = Path(__file__).parent / "data" / "bad"

# file, loader keyword arguments, the fragments the message must contain
ERRORS = [
    ("text_in_mrr.csv", {}, ["text_in_mrr.csv, row 3, column 'mrr': value 'abc' is not a number", "plain number"]),
    ("negative_mrr.csv", {}, ["row 3, column 'mrr': value '-50' is negative", "refund or credit"]),
    ("european_decimals.csv", {}, ["row 2, column 'mrr': value '1.200,50' uses a comma as the decimal mark",
                                   "decimal=','"]),
    ("european_semicolon.csv", {}, ["row 2, column 'mrr': value '1.200,50'", "(and 1 more row like it)"]),
    ("mixed_currency.csv", {}, ["row 3, column 'mrr': value '€100' uses the currency €", "one currency"]),
    ("bad_month.csv", {}, ["row 3, column 'month': value '2024-13' has month 13"]),
    ("not_a_date.csv", {}, ["row 2, column 'month': value '2024-02-30' is not a real date"]),
    ("ambiguous_month.csv", {}, ["row 2, column 'month': value '01/02/2024' is ambiguous", "month_format="]),
    ("two_digit_year.csv", {}, ["row 2, column 'month': value '01/24' has a two-digit year"]),
    ("blank_id.csv", {}, ["row 3, column 'customer_id': value '   ' is blank", "needs a customer id"]),
    ("missing_column.csv", {}, ["row 1: no column 'mrr'", "columns: customer_id, month, revenue", "mrr='...'"]),
    ("empty.csv", {}, ["empty.csv: the file is empty", "header row"]),
    ("header_only.csv", {}, ["header_only.csv: has a header but no data rows"]),
    ("duplicate_header.csv", {}, ["row 1: the column name 'mrr' appears twice (columns 3 and 4)"]),
    ("nan_mrr.csv", {}, ["row 3, column 'mrr': value 'NaN' is a missing-value marker"]),
    ("nan_mrr.parquet", {}, ["nan_mrr.parquet, record 2, column 'mrr': value 'nan' is empty (NaN)"]),
    ("inf_mrr.csv", {}, ["row 2, column 'mrr': value 'inf' is infinite"]),
    ("empty_mrr.csv", {}, ["row 3, column 'mrr': value '' is empty", "write 0"]),
    ("future_month.csv", {}, ["row 3, column 'month': value '2099-01' is after", "max_month="]),
    ("ancient_month.csv", {}, ["row 2, column 'month': value '0202-01' is before 1990"]),
    ("mixed_formats.csv", {}, ["row 3, column 'month': value 'Feb 2024' is written as a month name",
                               "but row 2 is written as year first"]),
    ("ragged_row.csv", {}, ["ragged_row.csv, row 3: has 4 values but the header has 3", '"1,200"']),
    ("several_sheets.xlsx", {}, ["several_sheets.xlsx: has 2 sheets with data (Summary, MRR)", "sheet="]),
    ("excel_text_in_mrr.xlsx", {}, ["excel_text_in_mrr.xlsx, row 3, column 'mrr': value 'oops' is not a number"]),
    ("excel_formula_no_value.xlsx", {}, ["row 3, column 'mrr': value '' is empty"]),
    ("unnamed_column_with_data.csv", {}, ["row 2: column 4 holds 'oops' but has no name"]),
    ("boolean_mrr.csv", {}, ["row 2, column 'mrr': value 'TRUE' is not a number"]),
    ("duplicate_rows.csv", {"duplicates": "error"}, ["row 3, column 'customer_id': value 'acme' already has a row "
                                                     "for 2024-01 at row 2", "duplicates='sum'"]),
    ("not_utf8_mrr.csv", {}, ["row 2, column 'mrr'", "is not a number"]),
]

WIDE_ERRORS = [
    ("wide_bad_header.csv", ["row 1, column '2024-13': the header looks like a month but has month 13"]),
]
SUB_ERRORS = [
    ("subs_bad_interval.csv", ["row 2, column 'interval': value 'fortnight' is not a billing interval",
                               "month, quarter, half-year, year, week, day"]),
    ("subs_end_before_start.csv", ["row 2, column 'end': value '2024-01-01' is before the line's start"]),
]


def _check_message(msg: str, fragments: list[str]) -> None:
    assert "\n" not in msg, msg
    assert "Traceback" not in msg
    for f in fragments:
        assert f in msg, f"{f!r} not in {msg!r}"


@pytest.mark.parametrize("name,kwargs,fragments", ERRORS, ids=[e[0] for e in ERRORS])
def test_bad_file_message(name, kwargs, fragments):
    with pytest.raises(nk.DataError) as err:
        nk.read_mrr(BAD / name, **kwargs)
    _check_message(str(err.value), fragments)
    assert isinstance(err.value, ValueError)


@pytest.mark.parametrize("name,fragments", WIDE_ERRORS)
def test_bad_wide_message(name, fragments):
    with pytest.raises(nk.DataError) as err:
        nk.from_wide(BAD / name)
    _check_message(str(err.value), fragments)


@pytest.mark.parametrize("name,fragments", SUB_ERRORS)
def test_bad_subscriptions_message(name, fragments):
    with pytest.raises(nk.DataError) as err:
        nk.from_subscriptions(BAD / name)
    _check_message(str(err.value), fragments)


def test_corpus_covers_at_least_twenty_kinds():
    normalised = [n for n in NORMALISED]
    assert len(ERRORS) + len(WIDE_ERRORS) + len(SUB_ERRORS) + len(normalised) >= 20
    files = {p.name for p in BAD.iterdir() if p.suffix != ".py"}
    named = {e[0] for e in ERRORS} | {e[0] for e in WIDE_ERRORS} | {e[0] for e in SUB_ERRORS} | set(NORMALISED)
    named |= REAL_FILES  # their tests, with hand-worked figures, are in test_real_files.py
    assert files == named, f"files without a test: {files - named}; tests without a file: {named - files}"


#: Rows and columns that are not customers, titles, merged headers and the horizon (test_real_files.py).
REAL_FILES = {"wide_total_row.csv", "wide_subtotals.csv", "wide_total_column.csv", "wide_unlabelled_total.csv",
              "title_above_header.csv", "merged_header.xlsx", "long_total_id.csv", "all_churned_before_as_of.csv"}


# file -> (kwargs, expected rows as (customer, month, mrr), fragment of a report note or None)
NORMALISED = {
    "bom.csv": ({}, [("acme", "2024-01", 100.0)], "byte-order mark"),
    "semicolon.csv": ({}, [("acme", "2024-01", 100.0), ("beta", "2024-01", 50.5)], "semicolons"),
    "tab_separated.tsv": ({}, [("acme", "2024-01", 100.0)], "tabs"),
    # "$1,200.50" and "1,000" are accepted as written (SPEC 1)
    "currency_symbols.csv": ({}, [("acme", "2024-01", 1200.5), ("beta", "2024-01", 80.0),
                                  ("gamma", "2024-01", 1000.0)], None),
    "european_semicolon.csv": ({"decimal": ","}, [("acme", "2024-01", 1200.5), ("beta", "2024-01", 99.9)],
                               "semicolons"),
    "case_columns.csv": ({}, [("acme", "2024-01", 100.0)], "column 'MRR' used as mrr"),
    "cp1252.csv": ({}, [("café", "2024-01", 100.0)], "Windows-1252"),
    "trailing_empty_column.csv": ({}, [("acme", "2024-01", 100.0)], "no name and no data"),
    "blank_rows.csv": ({}, [("acme", "2024-01", 100.0), ("beta", "2024-01", 50.0)], None),
    # 100 + 50 for acme in 2024-01: summed, and the report says one row was summed
    "duplicate_rows.csv": ({}, [("acme", "2024-01", 150.0), ("beta", "2024-01", 70.0)], "1 row shared"),
    "ambiguous_month.csv": ({"month_format": "%d/%m/%Y"}, [("acme", "2024-02", 100.0), ("acme", "2024-03", 100.0)],
                            None),
    "several_sheets.xlsx": ({"sheet": "MRR"}, [("acme", "2024-01", 100.0), ("beta", "2024-01", 50.0)], None),
}


@pytest.mark.parametrize("name", list(NORMALISED))
def test_normalisation(name):
    kwargs, rows, note = NORMALISED[name]
    table = nk.read_mrr(BAD / name, **kwargs)
    got = [(c, f"{m:%Y-%m}", v) for c, m, v in table[["customer_id", "month", "mrr"]].itertuples(index=False)]
    assert got == rows
    report = nk.load_report(table)
    if note:
        assert any(note in n for n in report.notes), report.notes
    assert report.total_mrr == sum(r[2] for r in rows)  # money in = money out


def test_blank_rows_are_counted_not_hidden():
    report = nk.load_report(nk.read_mrr(BAD / "blank_rows.csv"))
    assert report.blank_rows == 2 and report.rows_read == 2


def test_duplicates_report():
    report = nk.load_report(nk.read_mrr(BAD / "duplicate_rows.csv"))
    assert (report.rows_read, report.rows_summed, report.customers) == (3, 1, 2)


def test_excel_picks_the_only_sheet_with_data_and_reads_integer_ids():
    # excel_text_in_mrr.xlsx has an empty "Notes" sheet and a "Data" sheet; its row 3 is bad,
    # so read the good part through a DataFrame of the same cells to check the ids
    wb_rows = pd.read_excel(BAD / "excel_text_in_mrr.xlsx", sheet_name="Data").iloc[:1]
    table = nk.read_mrr(wb_rows)
    assert table["customer_id"].tolist() == ["1001"]
    assert table["month"].iloc[0] == pd.Timestamp("2024-01-01")


def test_error_for_dataframe_names_the_index():
    frame = pd.DataFrame({"customer_id": ["a", "b"], "month": ["2024-01", "2024-01"], "mrr": [1.0, -2.0]},
                         index=["x", "y"])
    with pytest.raises(nk.DataError, match=r"DataFrame, row 2 \(index 'y'\), column 'mrr': value '-2.0' is negative"):
        nk.read_mrr(frame)


def test_unknown_file_type_and_missing_file(tmp_path):
    with pytest.raises(nk.DataError, match="unknown file type '.json'"):
        (tmp_path / "x.json").write_text("{}")
        nk.read_mrr(tmp_path / "x.json")
    with pytest.raises(nk.DataError, match="no such file"):
        nk.read_mrr(tmp_path / "missing.csv")
