"""Real revenue files: rows that are not customers, titles and merged headers, the horizon, the
front door's shape detection, suggestions, the CLI's reading flags, and the CSV fast path.

Every expected figure is worked out by hand in the comments (docs/definitions.md, section 1).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nrrkit as nk
from nrrkit import cli

BAD = Path(__file__).parent / "data" / "bad"


def _bridge(t: pd.DataFrame) -> pd.DataFrame:
    b = nk.bridge(t)
    return b.assign(period=b.period.dt.strftime("%Y-%m")).set_index("period")


# --------------------------------------------------------------------------- totals


def test_founders_sheet_total_row_is_left_out_and_named():
    t = nk.read_mrr(BAD / "wide_total_row.csv")
    rep = nk.load_report(t)
    assert rep.shape == "wide" and "3 column headers are months" in rep.shape_reason
    # Globex 1,200 + 1,200 + 1,500 = 3,900; Initech 800 + 800 = 1,600; Hooli 300 + 350 + 350.50 = 1,000.50
    assert t["mrr"].sum() == pytest.approx(6500.50, abs=0.005)
    assert sorted(t["customer_id"].astype(str).unique()) == ["Globex", "Hooli", "Initech"]
    (item,) = rep.left_out
    # header = row 1, Globex 2, Initech 3, blank 4, Hooli 5, Total 6
    assert item["label"] == "Total" and item["first_row"] == "row 6"
    assert "equals the sum of the 3 customer rows above it" in item["what"]
    assert rep.blank_rows == 1 and rep.currency == "$"
    assert "left out: row 6 ('Total')" in str(rep)
    b = _bridge(t)
    # March: Initech leaves (800); Globex +300 and Hooli +0.50 expand
    assert b.loc["2024-03", "churn"] == 800 and b.loc["2024-03", "expansion"] == pytest.approx(300.5)
    assert b.loc["2024-03", "end_mrr"] == pytest.approx(1850.5)


def test_totals_error_refuses_the_total_row():
    with pytest.raises(nk.DataError) as err:
        nk.read_mrr(BAD / "wide_total_row.csv", totals="error")
    msg = str(err.value)
    assert msg.startswith("wide_total_row.csv, row 6: 'Total' is a total, not a customer") and "totals='drop'" in msg
    assert "\n" not in msg


def test_subtotals_per_segment_and_grand_total():
    t = nk.read_mrr(BAD / "wide_subtotals.csv")
    rep = nk.load_report(t)
    # A 100 + 100, B 50, C 1,000 + 1,100, D 500 + 500 = 3,350: no subtotal and no grand total counted
    assert t["mrr"].sum() == 3350
    assert [x["first_row"] for x in rep.left_out] == ["row 4", "row 7", "row 8"]
    assert [x["label"] for x in rep.left_out] == ["SMB Subtotal", "Total Enterprise", "Grand total"]
    assert "a subtotal" in rep.left_out[1]["what"] and "4 customer rows" in rep.left_out[2]["what"]
    assert set(t["segment"].astype(str)) == {"SMB", "Enterprise"}


def test_total_columns_are_not_months():
    t = nk.read_mrr(BAD / "wide_total_column.csv")
    rep = nk.load_report(t)
    assert t["mrr"].sum() == 70  # a: 10 + 20 + 30, b: 5 + 5
    assert [x["label"] for x in rep.left_out] == ["Total", "FY2024"]
    assert "equals each row's sum of the month columns" in rep.left_out[0]["what"]
    assert set(t.columns) == {"customer_id", "month", "mrr"}
    with pytest.raises(nk.DataError, match=r"row 1, column 'Total': a total column, not a month"):
        nk.read_mrr(BAD / "wide_total_column.csv", totals="error")


def test_unlabelled_sum_row_at_the_bottom():
    t = nk.read_mrr(BAD / "wide_unlabelled_total.csv")
    # a 100 + 110, b 50 + 60 = 320; the last row (150, 170) is their sum, with no id
    assert t["mrr"].sum() == 320
    assert nk.load_report(t).left_out[0]["first_row"] == "row 4"


def test_long_subtotals_and_excel_subtotal_rows(tmp_path):
    # labels that carry a segment, a month or another row's id; Excel's Data > Subtotal leaves the month empty
    path = tmp_path / "long.csv"
    path.write_text("customer_id,month,mrr,segment\n"
                    "acme,2024-01,100,SMB\nbeta,2024-01,50,SMB\nTotal SMB,2024-01,150,\nTotal Jan,2024-01,150,\n"
                    "acme,2024-02,100,SMB\nSubtotal - SMB,2024-02,100,\nacme Total,,200,\nGrand Total,,350,\n")
    t = nk.read_mrr(path)
    assert t["mrr"].sum() == 250  # acme 100 + 100, beta 50
    (item,) = nk.load_report(t).left_out
    assert item["rows"] == 5 and item["first_row"] == "row 4" and item["mrr"] == 950  # 150 + 150 + 100 + 200 + 350
    assert nk.bridge(t)["churn"].tolist() == [0, 50]


def test_a_named_customer_equal_to_the_rows_above_is_a_customer():
    raw = pd.DataFrame({"customer": ["A", "B", "C", "Dino Dental"], "plan": ["Pro"] * 4,
                        "2024-01": [10, 20, 30, 60], "2024-02": [10, 20, 30, 60]})
    t = nk.read_mrr(raw)
    assert t["mrr"].sum() == 240 and not nk.load_report(t).left_out


def test_excel_month_headers():
    raw = pd.DataFrame({"customer": ["A", "B"], "Jan-24": [10, 5], "Feb '24": [10, 5], "Mar 24": [12, 0]})
    t = nk.read_mrr(raw)
    assert nk.horizon(t) == (pd.Timestamp("2024-01-01"), pd.Timestamp("2024-03-01")) and t["mrr"].sum() == 42
    slashed = pd.DataFrame({"customer": ["A"], "1/1/2024": [1], "2/1/2024": [2], "3/1/2024": [3]})
    t = nk.read_mrr(slashed)
    assert t.month.dt.strftime("%Y-%m").tolist() == ["2024-01", "2024-02", "2024-03"]
    assert any("month headers read as month/day/year" in n for n in nk.load_report(t).notes)
    us = pd.DataFrame({"customer_id": ["a", "a"], "month": ["1/31/2024", "2/29/2024"], "mrr": [1, 2]})
    assert nk.read_mrr(us).month.dt.strftime("%Y-%m").tolist() == ["2024-01", "2024-02"]


def test_a_company_called_total_something_is_a_customer():
    raw = pd.DataFrame({"customer_id": ["Total Wine & More", "Acme"], "2024-01": [10, 20], "2024-02": [10, 25]})
    t = nk.read_mrr(raw)
    assert t["mrr"].sum() == 65 and not nk.load_report(t).left_out


def test_long_file_with_a_total_customer():
    t = nk.read_mrr(BAD / "long_total_id.csv")
    rep = nk.load_report(t)
    assert t["mrr"].sum() == 250  # acme 100 + 100, beta 50
    (item,) = rep.left_out
    assert item["rows"] == 2 and item["first_row"] == "row 4" and item["mrr"] == 250  # 150 + 100
    assert "totals, not customers (their labels say so); they hold 250.00 of MRR" in item["what"]
    assert _bridge(t).loc["2024-02", "churn"] == 50
    with pytest.raises(nk.DataError, match=r"row 4, column 'customer_id': value 'TOTAL' is a total"):
        nk.read_mrr(BAD / "long_total_id.csv", totals="error")


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.integers(0, 5000), min_size=3, max_size=3), min_size=2, max_size=8))
def test_a_total_row_never_changes_the_table(rows):
    # property: appending the sum row (labelled or not) leaves the loaded table as it was
    months = ["2024-01", "2024-02", "2024-03"]
    frame = pd.DataFrame(rows, columns=months).assign(customer_id=[f"c{i}" for i in range(len(rows))])
    if frame[months].to_numpy().sum() == 0:
        return
    plain = nk.read_mrr(frame[["customer_id", *months]])
    for label in ("Total", ""):
        with_total = pd.concat([frame, pd.DataFrame([{**frame[months].sum().to_dict(), "customer_id": label}])],
                               ignore_index=True)[["customer_id", *months]]
        t = nk.read_mrr(with_total)
        assert t["mrr"].sum() == plain["mrr"].sum()
        assert len(t) == len(plain)


# --------------------------------------------------------------------------- headers


def test_title_rows_above_the_header():
    t = nk.read_mrr(BAD / "title_above_header.csv")
    rep = nk.load_report(t)
    assert t["mrr"].sum() == 150
    assert any("the header is row 4" in n and "Acme Inc. MRR export" in n for n in rep.notes)
    # rows keep the numbers the file shows: acme is row 5
    raw = (BAD / "title_above_header.csv").read_text() + "acme,2024-01,7\n"
    path = Path(pytest.importorskip("tempfile").mkdtemp()) / "t.csv"
    path.write_text(raw)
    with pytest.raises(nk.DataError, match=r"t.csv, row 7, column 'customer_id': value 'acme' already has a row "
                                           r"for 2024-01 at row 5"):
        nk.read_mrr(path, duplicates="error")


def test_merged_header_cells_from_excel():
    t = nk.read_mrr(BAD / "merged_header.xlsx")
    rep = nk.load_report(t)
    # Globex 100 + 120 + 130, Initech 50 + 50; the Total row (150, 170, 130) is left out
    assert t["mrr"].sum() == 450 and rep.shape == "wide"
    assert rep.left_out[0]["first_row"] == "row 7"
    assert any("its name 'Customer' comes from the cell above" in n for n in rep.notes)
    assert any("the header is row 4" in n for n in rep.notes)


# --------------------------------------------------------------------------- the horizon


def test_churn_into_months_after_the_last_row_counts():
    t = nk.read_mrr(BAD / "all_churned_before_as_of.csv", as_of="2024-04")
    assert nk.horizon(t) == (pd.Timestamp("2024-01-01"), pd.Timestamp("2024-04-01"))
    b = _bridge(t)
    # beta (50) leaves in February, acme (100) in March; April is a month in which nobody pays
    assert list(b.index) == ["2024-01", "2024-02", "2024-03", "2024-04"]
    assert b["churn"].tolist() == [0, 50, 100, 0] and b["end_mrr"].tolist() == [150, 100, 0, 0]
    r = nk.retention(t, window=1).set_index(nk.retention(t, window=1).month.dt.strftime("%Y-%m"))
    assert r.loc["2024-03", "nrr"] == 0 and r.loc["2024-03", "start_mrr"] == 100
    rep = nk.load_report(t)
    assert rep.last_month == "2024-04" and rep.last_month_with_rows == "2024-02"
    # without as_of the span ends with the last row
    assert len(nk.bridge(nk.read_mrr(BAD / "all_churned_before_as_of.csv"))) == 2


def test_rows_after_as_of_are_refused():
    with pytest.raises(nk.DataError, match=r"row 4, column 'month': value '2024-02' is after as_of 2024-01"):
        nk.read_mrr(BAD / "all_churned_before_as_of.csv", as_of="2024-01")


def test_subscription_lines_that_all_end_before_as_of():
    lines = pd.DataFrame({"customer_id": ["a", "b"], "start": ["2019-11-01", "2019-12-01"],
                          "end": ["2020-02-01", "2020-02-01"], "amount": [100, 50], "interval": ["month", "month"]})
    t = nk.from_subscriptions(lines, as_of="2020-03")
    b = _bridge(t)
    # both lines are paid at the end of January and not at the end of February: 150 churns in 2020-02
    assert b.loc["2020-02", "churn"] == 150 and b.loc["2020-03", "end_mrr"] == 0
    assert nk.load_report(t).last_month == "2020-03"
    cohorts = nk.cohort_table(t)
    assert cohorts.shape[1] >= 4  # ages 0..3 of the 2019-11 cohort reach March 2020


def test_span_survives_parquet_and_is_told_for_csv(tmp_path):
    t = nk.read_mrr(BAD / "all_churned_before_as_of.csv", as_of="2024-04")
    t.to_parquet(tmp_path / "t.parquet")
    back = nk.read_mrr(tmp_path / "t.parquet")
    assert nk.horizon(back)[1] == pd.Timestamp("2024-04-01")
    assert _bridge(back)["churn"].tolist() == [0, 50, 100, 0]
    t.assign(month=t.month.dt.strftime("%Y-%m")).to_csv(tmp_path / "t.csv", index=False)
    assert nk.horizon(nk.read_mrr(tmp_path / "t.csv"))[1] == pd.Timestamp("2024-02-01")
    assert nk.horizon(nk.read_mrr(tmp_path / "t.csv", through="2024-04"))[1] == pd.Timestamp("2024-04-01")


def test_through_cuts_or_extends_the_span():
    t = nk.read_mrr(BAD / "all_churned_before_as_of.csv")
    cut = nk.through(t, "2024-01")
    assert len(cut) == 2 and nk.horizon(cut)[1] == pd.Timestamp("2024-01-01")
    longer = nk.through(t, "2024-05")
    assert len(nk.bridge(longer)) == 5 and nk.bridge(longer)["churn"].sum() == 150


# --------------------------------------------------------------------------- the front door


def test_shape_is_detected_and_reported(tmp_path):
    assert nk.load_report(nk.read_mrr(BAD / "semicolon.csv")).shape == "long"
    lines = tmp_path / "lines.csv"
    lines.write_text("customer_id,start,end,amount,interval\na,2024-01-01,,1200,year\n")
    rep = nk.load_report(nk.read_mrr(lines, as_of="2024-03"))
    assert rep.shape == "subscriptions" and "'start' and 'end' date columns" in rep.shape_reason


def test_a_wide_sheet_read_as_long_names_the_shape():
    with pytest.raises(nk.DataError) as err:
        nk.read_mrr(BAD / "wide_total_row.csv", shape="long")
    msg = str(err.value)
    assert "no column 'month'" in msg and "shape='wide'" in msg and "--shape wide" in msg


def test_suggestions_compare_whole_names(tmp_path):
    export = tmp_path / "billing.csv"
    export.write_text("id,Customer ID,Status,Amount,Interval,Start (UTC),Ended At (UTC)\n"
                      "s1,cus_A,active,1200,year,2023-01-15 10:00:00,\n")
    with pytest.raises(nk.DataError, match=r"no column 'start' for start .*did you mean 'Start \(UTC\)'\?"):
        nk.read_mrr(export, shape="subscriptions", customer="Customer ID")
    with pytest.raises(nk.DataError, match=r"did you mean 'Ended At \(UTC\)'\?"):
        nk.read_mrr(export, shape="subscriptions", customer="Customer ID", start="Start (UTC)", end="ended")


def test_cli_reads_a_billing_export_with_flags_alone(tmp_path, capsys):
    export = tmp_path / "billing.csv"
    export.write_text(
        "id,Customer ID,Status,Plan,Amount,Interval,Start (UTC),Ended At (UTC)\n"
        "s1,cus_A,active,Pro,1200,year,2023-01-15 10:00:00,\n"
        "s2,cus_B,canceled,Basic,50,month,2023-02-01 09:00:00,2023-08-01 09:00:00\n"
        "s3,cus_C,active,Basic,60,month,2023-03-10 00:00:00,\n")
    code = cli.main(["metrics", str(export), "--window", "3", "--customer-col", "Customer ID", "--start-col",
                     "Start (UTC)", "--end-col", "Ended At (UTC)", "--keep", "Plan", "--as-of", "2023-12",
                     "--format", "csv"])
    out, err = capsys.readouterr()
    assert code == 0 and "read as subscriptions" in err
    rows = pd.read_csv(pd.io.common.StringIO(out)).set_index("month")
    # at the end of August B (50) is gone: the May base (A 100, B 50, C 60 = 210) keeps 160
    assert rows.loc["2023-08", "start_mrr"] == 210 and rows.loc["2023-08", "churn"] == 50
    assert rows.loc["2023-08", "nrr"] == pytest.approx(160 / 210)


def test_cli_wide_sheet_with_total_row(capsys):
    code = cli.main(["bridge", str(BAD / "wide_total_row.csv"), "--format", "csv"])
    out, err = capsys.readouterr()
    assert code == 0 and "left out: row 6 ('Total')" in err
    b = pd.read_csv(pd.io.common.StringIO(out))
    assert b["end_mrr"].tolist() == [2300.0, 2350.0, 1850.5]
    assert cli.main(["bridge", str(BAD / "wide_total_row.csv"), "--totals", "error"]) == 2
    assert "is a total, not a customer" in capsys.readouterr().err


# --------------------------------------------------------------------------- the CSV fast path


def test_fast_and_careful_csv_paths_agree(tmp_path):
    table = nk.datasets.generate(6000, 30, seed=5, start="2023-01")  # over 4 MB: Arrow reads the file itself
    plain = table.assign(month=table.month.dt.strftime("%Y-%m"))
    fast = tmp_path / "fast.csv"
    plain.to_csv(fast, index=False)
    assert fast.stat().st_size > 4 << 20
    # a quoted line break in one attribute sends the file down the careful (all-text) path
    careful = tmp_path / "careful.csv"
    plain.assign(channel=plain.channel.astype(str).where(plain.index != 5, "in\nbound")).to_csv(careful, index=False)
    a, b = nk.read_mrr(fast), nk.read_mrr(careful)
    assert a["mrr"].sum() == pytest.approx(b["mrr"].sum(), rel=1e-12)
    pd.testing.assert_frame_equal(nk.retention(a), nk.retention(b))
    pd.testing.assert_frame_equal(nk.bridge(a), nk.bridge(b))


def test_row_numbers_count_blank_lines_in_the_fast_path(tmp_path):
    path = tmp_path / "gaps.csv"
    path.write_text("customer_id,month,mrr\na,2024-01,1\n\nb,2024-01,2\n\na,2024-01,3\n")
    with pytest.raises(nk.DataError, match=r"row 6, column 'customer_id': value 'a' already has a row for "
                                           r"2024-01 at row 2"):
        nk.read_mrr(path, duplicates="error")
    assert nk.load_report(nk.read_mrr(path)).blank_rows == 2


def test_import_is_light():
    code = ("import sys, nrrkit\nimport nrrkit.cli\nprint(sorted(m for m in ('matplotlib', 'ipywidgets', 'xlsxwriter',"
            " 'pandas') if m in sys.modules))\nnrrkit.read_mrr\nprint('matplotlib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split("\n")
    assert out[0] == "[]" and out[1] == "False"


def test_public_names_are_the_functions():
    import nrrkit.movements  # noqa: F401  (importing the module must not replace the function)
    import nrrkit.retention  # noqa: F401

    assert callable(nk.retention) and callable(nk.movements) and nk.retention.__name__ == "retention"
    # tiny company, 2024-01 -> 2024-02: A 100 -> 100, B 200 -> 150, C 50 -> 0, F 80 -> 80: 330 / 430
    assert nk.retention(nk.datasets.load_tiny(), window=1)["nrr"].iloc[0] == pytest.approx(330 / 430)


def test_cli_interval_factor_and_currency(tmp_path, capsys):
    lines = tmp_path / "lines.csv"
    lines.write_text("customer_id,start,end,amount,interval\na,2024-01-01,,1200,year\n")
    # 1,200 a year is 100 a month by default (/12), 120 with year=0.1
    assert cli.main(["bridge", str(lines), "--as-of", "2024-02", "--format", "csv", "-q"]) == 0
    assert pd.read_csv(pd.io.common.StringIO(capsys.readouterr().out))["end_mrr"].tolist() == [100.0, 100.0]
    assert cli.main(["bridge", str(lines), "--as-of", "2024-02", "--interval-factor", "year=0.1", "--currency",
                     "EUR", "--format", "json", "-q"]) == 0
    payload = __import__("json").loads(capsys.readouterr().out)
    assert [r["end_mrr"] for r in payload["rows"]] == [120.0, 120.0] and payload["definition"]["currency"] == "EUR"
    with pytest.raises(SystemExit) as exit_:  # argparse: usage and one line, exit 2
        cli.main(["bridge", str(lines), "--interval-factor", "year"])
    assert exit_.value.code == 2 and "is not NAME=NUMBER" in capsys.readouterr().err


def test_the_pack_says_what_the_reader_left_out(tmp_path):
    months = [str(p) for p in pd.period_range("2024-01", "2025-02", freq="M")]
    rows = [{"customer": f"c{i}", **{m: 100 + 10 * i for m in months}} for i in range(3)]
    rows.append({"customer": "Total", **{m: sum(r[m] for r in rows) for m in months}})
    t = nk.read_mrr(pd.DataFrame(rows))
    assert t["mrr"].sum() == (100 + 110 + 120) * 14
    res = nk.export.pack(t, tmp_path / "pack", n_boot=200)
    page = (tmp_path / "pack" / "summary.html").read_text()
    assert "left out: row 4 (index 3) (&#x27;Total&#x27;)" in page or "left out: row 4 (index 3) ('Total')" in page
    assert "read as wide" in page and res.nrr == pytest.approx(1.0)
