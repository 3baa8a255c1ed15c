"""Other shapes of revenue data: wide spreadsheets, subscription lines, Excel and Parquet files."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

import nrrkit as nk


def test_wide_csv_with_attributes_and_empty_cells(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text("Customer,Segment,Jan 2024,Feb 2024,Mar 2024\n"
                    "acme,SMB,100,,\"1,200\"\n"
                    "beta,Enterprise,,50,50\n")
    t = nk.from_wide(path, customer="Customer")
    assert [(c, f"{m:%Y-%m}", v) for c, m, v in t[["customer_id", "month", "mrr"]].itertuples(index=False)] == [
        ("acme", "2024-01", 100.0), ("acme", "2024-03", 1200.0), ("beta", "2024-02", 50.0), ("beta", "2024-03", 50.0)]
    assert t["Segment"].tolist() == ["SMB", "SMB", "Enterprise", "Enterprise"]
    rep = nk.load_report(t)
    assert rep.rows_read == 2 and rep.total_mrr == 1400.0


def test_wide_error_points_at_the_spreadsheet_cell(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text("customer_id,2024-01,2024-02\nacme,100,oops\n")
    with pytest.raises(nk.DataError, match=r"wide.csv, row 2, column '2024-02': value 'oops' is not a number"):
        nk.from_wide(path)


def test_wide_excel_with_date_headers(tmp_path):
    frame = pd.DataFrame({"customer_id": ["a", "b"], pd.Timestamp("2024-01-31"): [10, 20],
                          pd.Timestamp("2024-02-29"): [15, None]})
    path = tmp_path / "wide.xlsx"
    frame.to_excel(path, index=False)
    t = nk.from_wide(path)
    assert t["mrr"].tolist() == [10.0, 15.0, 20.0]
    assert t["month"].dt.strftime("%Y-%m").tolist() == ["2024-01", "2024-02", "2024-01"]


def test_subscription_normalisation_factors():
    lines = pd.DataFrame({
        "customer_id": ["m", "q", "h", "y", "w", "d"],
        "start": ["2024-01-15"] * 6, "end": [""] * 6,
        "amount": [100, 300, 600, 1200, 10, 1],
        "interval": ["month", "quarterly", "half-year", "annual", "week", "day"],
    })
    t = nk.from_subscriptions(lines, as_of="2024-01").set_index("customer_id").mrr
    # month x1, quarter /3, half-year /6, year /12, week x52/12, day x365/12
    assert t.to_dict() == pytest.approx({"m": 100, "q": 100, "h": 100, "y": 100, "w": 10 * 52 / 12, "d": 365 / 12})
    t2 = nk.from_subscriptions(lines, as_of="2024-01", factors={"week": 4}).set_index("customer_id").mrr
    assert t2["w"] == 40


def test_subscription_month_end_snapshot():
    # a line counts in month m when start <= end of m and (end empty or end > end of m)
    lines = pd.DataFrame({
        "customer_id": ["a", "b", "c", "d"],
        "start": ["2024-01-31", "2024-01-01", "2024-02-10", "2024-01-05"],
        "end": ["2024-03-31", "2024-03-01", "2024-02-20", ""],
        "amount": [10, 20, 30, 40], "interval": ["month"] * 4,
    })
    t = nk.from_subscriptions(lines, as_of="2024-04")
    # c never shows at a month end: the report says so rather than dropping it silently
    assert "1 line(s) are never active at a month end" in " ".join(nk.load_report(t).notes)
    # c is the third line of a DataFrame (no header row): row 3, index 2
    assert "the first is row 3 (index 2)" in " ".join(nk.load_report(t).notes)
    got = {(c, f"{m:%Y-%m}") for c, m in t[["customer_id", "month"]].itertuples(index=False)}
    assert got == {
        ("a", "2024-01"), ("a", "2024-02"),           # ends on Mar 31 = March's last day: not active then
        ("b", "2024-01"), ("b", "2024-02"),           # ends Mar 1: not active at the end of March
        # c starts and ends inside February: never active at a month end
        ("d", "2024-01"), ("d", "2024-02"), ("d", "2024-03"), ("d", "2024-04"),  # open: runs to as_of
    }


def test_sample_subscriptions_give_back_the_sample():
    lines = nk.datasets.load_sample_subscriptions()
    t = nk.from_subscriptions(lines, as_of="2025-12", keep=["segment"])
    s = nk.datasets.load_sample()
    a = t.set_index(["customer_id", "month"]).mrr.sort_index()
    b = s.set_index(["customer_id", "month"]).mrr.sort_index()
    assert a.index.equals(b.index)
    assert np.allclose(a.values, b.values, rtol=0, atol=1e-9)
    assert set(lines.interval) == {"month", "quarter", "year"}


def test_parquet_and_xlsx_round_trip(tmp_path):
    tiny = nk.datasets.load_tiny()
    plain = tiny.assign(month=tiny.month.dt.strftime("%Y-%m"))
    plain.to_parquet(tmp_path / "t.parquet")
    plain.to_excel(tmp_path / "t.xlsx", index=False)
    for name in ("t.parquet", "t.xlsx"):
        t = nk.read_mrr(tmp_path / name)
        assert nk.retention(t, window=3).nrr.iloc[0] == pytest.approx(230 / 430)


def test_canonical_tables_are_accepted_and_raw_frames_validated():
    tiny = nk.datasets.load_tiny()
    raw = tiny.assign(month=tiny.month.dt.strftime("%Y-%m"), mrr=tiny.mrr.astype(str))
    assert nk.bridge(raw).end_mrr.tolist() == nk.bridge(tiny).end_mrr.tolist()
    with pytest.raises(nk.DataError, match="no attribute column 'region'"):
        nk.bridge(tiny, by="region")
    with pytest.raises(nk.DataError, match="method must be one of"):
        nk.retention(tiny, method="average")
    with pytest.raises(nk.DataError, match="window must be a whole number"):
        nk.retention(tiny, window=0)


def test_generator_is_deterministic_and_documented():
    a = nk.datasets.generate(300, 24, seed=5)
    b = nk.datasets.generate(300, 24, seed=5)
    pd.testing.assert_frame_equal(a, b)
    assert not a.equals(nk.datasets.generate(300, 24, seed=6))
    assert a.customer_id.nunique() == 300 and a.month.nunique() == 24
    mv = nk.movements(a).movement.value_counts()
    assert {"new", "expansion", "contraction", "churn", "reactivation", "flat"} <= set(mv[mv > 0].index)


def test_semicolons_win_over_the_commas_of_european_amounts(tmp_path):
    # each line has as many commas (decimal marks) as semicolons; only the semicolons split every
    # line into the same 4 cells
    path = tmp_path / "umsatz.csv"
    path.write_text("Kunde;2024-01;2024-02;2024-03\nA;1.200,50 €;1.300,50 €;1.300,50 €\nB;900,00 €;950,25 €;0,00 €\n",
                    encoding="utf-8")
    mrr = nk.read_mrr(path, customer="Kunde", decimal=",")
    by_month = mrr.groupby("month")["mrr"].sum()
    # January 1,200.50 + 900.00; February 1,300.50 + 950.25; March 1,300.50 + 0
    assert by_month.round(2).tolist() == [2100.50, 2250.75, 1300.50]
    assert "the columns are separated by semicolons; detected from the header" in nk.load_report(mrr).notes


def test_a_csv_saved_under_xlsx_is_named_as_text(tmp_path):
    path = tmp_path / "revenue.xlsx"
    path.write_text("customer_id,month,mrr\na,2024-01,10\n")
    with pytest.raises(nk.DataError) as err:
        nk.read_mrr(path)
    assert str(err.value) == ("revenue.xlsx: is a text file (a CSV), not an Excel workbook; rename it to revenue.csv "
                              "and read that")


@pytest.mark.parametrize("ids, clash", [
    (["ACME", "C0000001", "B-2"], False),      # capitals only: no two can differ only in case
    (["ACME", "Acme", "C1"], True),            # one written two ways
    (["A  B", "A B", "C1"], True),             # a double space
    (["A\tB", "A B", "C1"], True),             # a tab for a space
    (["Åse", "ÅSE", "C1"], True),              # beyond ASCII
    (["acme", "beta", "C1"], False),
])
def test_ids_written_two_ways_are_found_on_every_path(ids, clash):
    frame = pd.DataFrame({"customer_id": ids, "month": ["2024-01"] * 3, "mrr": [10.0, 20.0, 30.0]})
    warnings = nk.load_report(nk.read_mrr(frame)).warnings
    assert any("differ only in case or spaces" in w for w in warnings) == clash, warnings


def test_month_names_of_other_languages_in_a_long_file(tmp_path):
    # the month column of a long sheet in German and French, next to English: one family (a month name)
    path = tmp_path / "umsatz.csv"
    path.write_text("customer_id,month,mrr\na,Jan 2024,100\na,Feb 2024,110\na,Mär 2024,120\n"
                    "b,janv. 2024,50\nb,févr. 2024,50\nb,mars 2024,0\n", encoding="utf-8")
    mrr = nk.read_mrr(path)
    assert [str(m.date()) for m in sorted(mrr["month"].unique())] == ["2024-01-01", "2024-02-01", "2024-03-01"]
    # March: a 120, b 0 -> 120; February: 110 + 50
    assert mrr.groupby("month")["mrr"].sum().tolist() == [150.0, 160.0, 120.0]


@pytest.mark.parametrize(("cells", "decimal", "want", "currency"), [
    (["USD 50.00", "usd 1,200"], ".", [50.0, 1200.0], "USD"),          # a code before the amount, any case
    (["50.00 USD", "1200USD"], ".", [50.0, 1200.0], "USD"),            # or after it
    (["EUR 1.200,50", "3,5 EUR"], ",", [1200.5, 3.5], "EUR"),          # with a comma decimal
    (["1 200", "1 200.50", "12 345 678.9"], ".", [1200.0, 1200.5, 12345678.9], ""),  # spaces group thousands
])
def test_amounts_with_a_currency_code_or_spaces(cells, decimal, want, currency):
    frame = pd.DataFrame({"customer_id": [f"c{i}" for i in range(len(cells))], "month": "2025-01", "mrr": cells})
    mrr = nk.read_mrr(frame, decimal=decimal)
    assert mrr["mrr"].tolist() == want
    assert nk.load_report(mrr).currency == currency


@pytest.mark.parametrize(("cells", "message"), [
    (["1 200,50"], "value '1 200,50' uses a comma as the decimal mark"),       # --decimal , reads it
    (["ABC 5"], "value 'ABC 5' is not a number"),                               # not a currency code
    (["USD 50", "EUR 60"], "value 'EUR 60' uses the currency EUR while earlier rows use USD"),
])
def test_amounts_refused_with_the_reason(cells, message):
    frame = pd.DataFrame({"customer_id": [f"c{i}" for i in range(len(cells))], "month": "2025-01", "mrr": cells})
    with pytest.raises(nk.DataError, match=re.escape(message)):
        nk.read_mrr(frame)
