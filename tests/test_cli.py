"""The command line: outputs carry the spec's column names, bad input exits 2 with one line."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import nrrkit as nk
from nrrkit.cli import main

BAD = Path(__file__).parent / "data" / "bad"


def test_metrics_csv(capsys, tiny_csv, run):
    code, out, err = run("metrics", tiny_csv, "--window", "3", "--format", "csv")
    assert code == 0
    frame = pd.read_csv(io.StringIO(out), dtype={"month": str, "base_month": str})
    assert list(frame.columns) == ["month", "base_month", "customers_start", "customers_retained", "start_mrr",
                                   "end_mrr", "expansion", "contraction", "churn", "nrr", "grr", "logo_retention"]
    row = frame.iloc[0]
    assert (row.month, row.base_month, row.start_mrr, row.end_mrr) == ("2024-04", "2024-01", 430, 230)
    assert row.nrr == pytest.approx(230 / 430)
    assert "Loaded tiny.csv: 17 rows, 6 customers, 4 months" in err  # the load report goes to stderr


def test_metrics_table_shows_percent_and_card(capsys, tiny_csv, run):
    code, out, _ = run("metrics", tiny_csv, "--window", "1", "--by", "segment")
    assert code == 0
    assert "78.3%" in out  # SMB Feb: 180/230
    assert "75.0%" in out  # Enterprise Feb: 150/200
    assert "segment read at : the base month" in out


def test_metrics_json(capsys, tiny_csv, run):
    code, out, _ = run("metrics", tiny_csv, "--window", "1", "--method", "survivors", "--format", "json")
    payload = json.loads(out)
    assert payload["definition"]["window"] == 1 and payload["definition"]["method"].startswith("survivors")
    assert [r["month"] for r in payload["rows"]] == ["2024-02", "2024-03", "2024-04"]
    assert payload["rows"][2]["nrr"] == pytest.approx(510 / 570)


def test_metrics_json_reads_back_as_the_docs_say(tmp_path, tiny_csv, run):
    code, out, _ = run("metrics", tiny_csv, "--window", "1", "--method", "survivors", "--format", "json")
    path = tmp_path / "nrr.json"
    path.write_text(out)
    by_pandas = pd.DataFrame(json.load(open(path))["rows"])
    pd.testing.assert_frame_equal(nk.read_table(path), by_pandas)
    assert by_pandas["month"].tolist() == ["2024-02", "2024-03", "2024-04"]
    assert by_pandas["nrr"].iloc[2] == pytest.approx(510 / 570)  # survivors, April: 510 of the 570 at the base


def test_bridge_quarterly_csv(capsys, tiny_csv, run):
    code, out, _ = run("bridge", tiny_csv, "--freq", "Q", "--format", "csv", "-q")
    frame = pd.read_csv(io.StringIO(out))
    assert frame.period.tolist() == ["2024-Q1", "2024-Q2"]  # quarters as YYYY-Qn in every file
    assert frame.end_mrr.tolist() == [720, 590]


def test_movements_csv(capsys, tiny_csv, run):
    code, out, _ = run("movements", tiny_csv, "--format", "csv", "-q")
    frame = pd.read_csv(io.StringIO(out))
    assert list(frame.columns) == ["customer_id", "month", "mrr", "prev_mrr", "movement", "change"]
    assert frame.movement.value_counts().to_dict() == {"new": 6, "flat": 6, "churn": 3, "contraction": 2,
                                                       "expansion": 1, "reactivation": 1}


def test_compare(capsys, tiny_csv, run):
    code, out, _ = run("compare", tiny_csv, "--window", "1", "--format", "csv", "-q")
    frame = pd.read_csv(io.StringIO(out)).set_index("method")
    assert list(frame.index) == list(nk.METHODS)
    # window 1 ending April: cohort 510/720; survivors drop B (150 -> 0): 510/570
    assert frame.loc["cohort", "nrr"] == pytest.approx(510 / 720)
    assert frame.loc["survivors", "difference"] == pytest.approx(510 / 570 - 510 / 720)


def test_column_names_and_shapes(capsys, tmp_path, run):
    path = tmp_path / "renamed.csv"
    path.write_text("account,period,revenue\nx,2024-01,10\nx,2024-02,12\n")
    code, out, _ = run("metrics", path, "--window", "1", "--customer-col", "account", "--month-col",
                       "period", "--mrr-col", "revenue", "--format", "csv", "-q")
    assert code == 0 and pd.read_csv(io.StringIO(out)).nrr.iloc[0] == pytest.approx(1.2)
    wide = tmp_path / "wide.csv"
    wide.write_text("customer_id,2024-01,2024-02\nx,10,12\n")
    code, out, _ = run("metrics", wide, "--shape", "wide", "--window", "1", "--format", "csv", "-q")
    assert code == 0 and pd.read_csv(io.StringIO(out)).nrr.iloc[0] == pytest.approx(1.2)


@pytest.mark.parametrize("name", ["text_in_mrr.csv", "empty.csv", "several_sheets.xlsx", "ragged_row.csv",
                                  "missing_column.csv"])
def test_bad_input_exits_2_with_one_line(capsys, name, run):
    code, out, err = run("metrics", BAD / name)
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1 and err.startswith("nrrkit: error: ")
    assert "Traceback" not in err


def test_missing_file_and_short_data(capsys, tmp_path, tiny_csv, run):
    code, _, err = run("metrics", tmp_path / "nope.csv")
    assert code == 2 and "no such file" in err
    code, _, err = run("metrics", tiny_csv, "-q")  # 4 months cannot hold a 12-month window
    assert code == 2 and "a 12-month window with method cohort needs at least 13; try --window 3" in err


def test_sample_writes_the_bundled_company(capsys, tmp_path, run):
    out = tmp_path / "sample.csv"
    code, _, err = run("sample", "-o", out)
    assert code == 0 and "wrote 36,890 rows" in err
    frame = nk.read_mrr(out, max_month="2025-12")
    assert frame.customer_id.nunique() == 2000
    code, _, err = run("sample", "-o", out)
    assert code == 2 and "already exists" in err
    code, _, _ = run("sample", "-o", tmp_path / "gen.parquet", "--customers", "30", "--months", "6")
    assert code == 0 and nk.read_mrr(tmp_path / "gen.parquet").customer_id.nunique() <= 30


def test_console_script_has_no_traceback(tmp_path):
    # the installed entry point, as a user runs it
    result = subprocess.run([sys.executable, "-m", "nrrkit", "metrics", str(BAD / "negative_mrr.csv")],
                            capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "nrrkit: error: negative_mrr.csv, row 3, column 'mrr': value '-50' is negative; MRR cannot be below 0: "
        "record a refund or credit as lower MRR in that month, not as a negative row."
    )


def test_project_csv_reproduces_the_article(capsys, run):
    code, out, _ = run("project", "--start-arr", "10e6", "--nrr", "1.05", "--new-rate", "0.2",
                       "--format", "csv")
    frame = pd.read_csv(io.StringIO(out))
    assert code == 0
    assert (frame.end_arr / 1e6).round(1).tolist() == [12.5, 15.6, 19.5, 24.4, 30.5]
    with pytest.raises(SystemExit) as exit_:  # argparse: one of --new-rate / --new-arr is required
        main(["project", "--start-arr", "10e6", "--nrr", "1.1"])
    assert exit_.value.code == 2
    assert "one of the arguments --new-rate --new-arr is required" in capsys.readouterr().err


def test_what_if_on_the_tiny_company(capsys, tiny_csv, run):
    # window 3 ending April: start 430, expansion 80, contraction 0, churn 280 (B 200 + F 80)
    code, out, _ = run("what-if", tiny_csv, "--window", "3", "--churn", "-0.5", "--format", "csv", "-q")
    row = pd.read_csv(io.StringIO(out)).iloc[0]
    assert row.adj_churn == 140
    assert row.nrr_adjusted == pytest.approx((430 + 80 - 0 - 140) / 430)
    assert row.nrr_change == pytest.approx(140 / 430)


def test_summary_json_matches_the_api(capsys, run):
    code, out, _ = run("summary", Path(__file__).parents[1] / "data" / "sample_mrr.csv", "--max-month",
                       "2025-12", "--format", "json", "-q")
    payload = json.loads(out)
    sample = nk.datasets.load_sample()
    last = nk.retention(sample).iloc[-1]
    assert payload["nrr"] == pytest.approx(last.nrr) and payload["grr"] == pytest.approx(last.grr)
    ci = nk.nrr_interval(sample)
    assert (payload["interval"]["low"], payload["interval"]["high"]) == pytest.approx((ci.low, ci.high))
    assert payload["assessment"] == nk.assess(last.nrr) == "Great"
    assert payload["definition"]["window"] == 12


def test_summary_table(capsys, tiny_csv, run):
    code, out, _ = run("summary", tiny_csv, "--window", "3", "-q")
    assert code == 0
    assert "NRR               53.5%" in out and "logo retention    50.0%   (2 of 4 customers)" in out
    # levels describe 12-month figures: a 3-month NRR is not rated (docs/definitions.md, section 7)
    assert "not rated: levels describe 12-month figures, this is a 3-month one" in out and "Definition" in out


def test_cohorts_segments_signals_csv(capsys, tiny_csv, run):
    code, out, _ = run("cohorts", tiny_csv, "--format", "csv", "-q")
    frame = pd.read_csv(io.StringIO(out))
    assert list(frame.columns) == ["cohort", "age_0", "age_1", "age_2", "age_3"]
    assert frame.iloc[0].age_3 == pytest.approx(230 / 430)
    code, out, _ = run("segments", tiny_csv, "--by", "segment", "--window", "1", "--format", "csv", "-q")
    frame = pd.read_csv(io.StringIO(out)).set_index("segment")
    assert frame.loc["Total", "nrr"] == pytest.approx(510 / 720)
    code, out, err = run("signals", tiny_csv, "-q")
    assert code == 2 and "at least 13 months" in err


def test_rates_and_amounts_as_people_type_them(capsys, tiny_csv, run):
    # 10M and 10e6 are one amount; 105% and 1.05 one rate: the article's 12.5M after year 1
    # (10M x 1.05 + 10M x 0.2 = 12.5M)
    code, out, _ = run("project", "--start-arr", "10M", "--nrr", "105%", "--new-rate", "20%", "--format", "csv")
    assert code == 0
    assert (pd.read_csv(io.StringIO(out)).end_arr / 1e6).round(1).tolist() == [12.5, 15.6, 19.5, 24.4, 30.5]
    code, out, _ = run("project", "--start-arr", "$2,500K", "--nrr", "1", "--new-arr", "0.5M", "--years", "1",
                       "--format", "csv")
    assert pd.read_csv(io.StringIO(out)).end_arr.tolist() == [3_000_000.0]  # 2.5M x 1 + 0.5M
    # -20% right after the flag (argparse alone would take it for an option): the same as -0.2,
    # churn 280 x 0.8 = 224 over the 3 months to April
    code, out, _ = run("what-if", tiny_csv, "--window", "3", "--churn", "-20%", "--format", "csv", "-q")
    assert code == 0 and pd.read_csv(io.StringIO(out)).iloc[0].adj_churn == pytest.approx(224)
    # a percentage typed without its sign is refused in one line, not projected to 12,500%
    for argv, said in ((["project", "--start-arr", "10e6", "--nrr", "125", "--new-rate", "0.3"],
                        "argument --nrr: 125 as a fraction is 12,500%; write 1.25 or 125% (see nrrkit project --help)"),
                       (["what-if", str(tiny_csv), "--churn", "-20"],
                        "argument --churn: -20 as a fraction is -2,000%; write -0.2 or -20%"),
                       (["project", "--start-arr", "ten", "--nrr", "1.1", "--new-rate", "0.1"],
                        "argument --start-arr: 'ten' is not an amount; write 10000000, 10e6 or 10M")):
        with pytest.raises(SystemExit) as exit_:
            main(argv)
        err = capsys.readouterr().err
        assert exit_.value.code == 2 and said in err and len(err.strip().splitlines()) == 1, err


def test_segments_defaults_to_the_segment_column(capsys, tiny_csv, tmp_path, run):
    code, out, _ = run("segments", tiny_csv, "--window", "1", "--format", "csv", "-q")
    frame = pd.read_csv(io.StringIO(out)).set_index("segment")
    assert frame.loc["Total", "nrr"] == pytest.approx(510 / 720)  # as with --by segment
    plain = tmp_path / "plain.csv"
    plain.write_text("customer_id,month,mrr,region\na,2024-01,10,EU\na,2024-02,10,EU\n")
    code, _, err = run("segments", plain, "-q")
    assert code == 2
    assert err.strip() == ("nrrkit: error: plain.csv: segments needs --by COL, the attribute to segment by; "
                           "its attributes are region")


def test_summary_by_without_enterprise_says_where_segments_are(capsys, run):
    # summary is the company's headline; --by alone used to change nothing, in silence
    code, _, err = run("summary", "data/sample_mrr.csv", "--by", "segment", "-q")
    assert code == 2 and err.strip() == (
        "nrrkit: error: summary: --by names the column of the --enterprise segment (--by segment --enterprise "
        "NAME); for figures by segment, run nrrkit metrics sample_mrr.csv --by segment")
    code, out, _ = run("summary", "data/sample_mrr.csv", "--by", "segment", "--enterprise", "Enterprise", "-q")
    assert code == 0 and "122.5%" in out  # the company's 12-month NRR to 2025-12, as the docs show
