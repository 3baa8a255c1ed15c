"""The analyst's one-off study: one representation of months and ids, tables that leave Python
unchanged, cards that describe their table, quarter-end views with totals, cents in the CLI.

Hand-computed values use the tiny company (nrrkit.datasets.TINY_CSV):

    A: Jan 100, Feb 100, Mar 150, Apr 150         (SMB)
    B: Jan 200, Feb 150, Mar 150, Apr 0           (Enterprise)
    C: Jan 50,  Apr 80                            (SMB)
    D: Feb 120, Mar 120, Apr 60                   (Enterprise)
    E: Mar 300, Apr 300                           (Enterprise)
    F: Jan 80,  Feb 80                            (SMB)
"""

from __future__ import annotations

import io
import json
import math
import re
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import nrrkit as nk
from nrrkit.tables import cohorts_long, period_text, round_money, write_table

from .test_properties import SETTINGS, tables


@pytest.fixture(scope="module")
def tiny():
    return nk.datasets.load_tiny()


@pytest.fixture(scope="module")
def sample():
    return nk.datasets.load_sample()


# --------------------------------------------------------------------------- retention(at=, total=)


def test_at_quarter_keeps_only_quarter_end_months_with_the_monthly_values(sample):
    monthly = nk.retention(sample, window=12)
    quarterly = nk.retention(sample, window=12, at="Q")
    expected = monthly[monthly["month"].dt.month.isin([3, 6, 9, 12])].reset_index(drop=True).assign(complete=True)
    pd.testing.assert_frame_equal(quarterly, expected, check_exact=True)
    # the sample runs 2023-01 .. 2025-12: 12-month windows end 2024-01 .. 2025-12, quarter ends 2024-03 .. 2025-12
    assert [f"{m:%Y-%m}" for m in quarterly["month"]] == ["2024-03", "2024-06", "2024-09", "2024-12",
                                                          "2025-03", "2025-06", "2025-09", "2025-12"]
    yearly = nk.retention(sample, window=12, at="Y")
    assert [f"{m:%Y-%m}" for m in yearly["month"]] == ["2024-12", "2025-12"]
    pd.testing.assert_frame_equal(yearly, expected[expected["month"].dt.month == 12].reset_index(drop=True))


def test_at_quarter_includes_the_partial_last_quarter(sample):
    # cut at 2025-11: the last quarter (Q4 2025) is covered to November only; its row is November's,
    # marked complete=False, with November's monthly figures (nothing averaged or extrapolated)
    cut = nk.through(sample, "2025-11")
    monthly = nk.retention(cut, window=12)
    quarterly = nk.retention(cut, window=12, at="Q")
    assert [f"{m:%Y-%m}" for m in quarterly["month"]][-2:] == ["2025-09", "2025-11"]
    assert quarterly["complete"].tolist() == [True] * 7 + [False]
    nov = monthly[monthly["month"] == "2025-11"].reset_index(drop=True).assign(complete=False)
    pd.testing.assert_frame_equal(quarterly.tail(1).reset_index(drop=True), nov, check_exact=True)
    assert "2025-11 for the quarter it covers only in part (complete=False)" in quarterly.attrs["definition"].end_month
    # at="Y": December 2024 (complete) and November 2025 (the partial year)
    yearly = nk.retention(cut, window=12, at="Y")
    assert [f"{m:%Y-%m}" for m in yearly["month"]] == ["2024-12", "2025-11"]
    assert yearly["complete"].tolist() == [True, False]


def test_at_quarter_hand_computed(tiny):
    # one-month windows ending at a quarter end: only 2024-03 (base 2024-02).
    # Base Feb: A100 + B150 + D120 + F80 = 450; March: A150 + B150 + D120 + F0 = 420 (E is new, not in the base)
    # NRR 420 / 450 = 0.9333; expansion A +50; churn F 80; GRR (450 - 0 - 80) / 450 = 0.8222
    # The data ends in April, inside Q2: April's row follows, complete=False.
    r = nk.retention(tiny, window=1, at="Q")
    assert len(r) == 2 and r["complete"].tolist() == [True, False]
    row = r.iloc[0]
    assert (row["month"], row["base_month"]) == (pd.Timestamp("2024-03-01"), pd.Timestamp("2024-02-01"))
    assert (row["start_mrr"], row["end_mrr"], row["expansion"], row["churn"]) == (450.0, 420.0, 50.0, 80.0)
    assert row["nrr"] == pytest.approx(420 / 450) and row["grr"] == pytest.approx(370 / 450)
    # April (base March): A150 + B150 + D120 + E300 = 720 -> A150 + D60 + E300 = 510
    assert r.iloc[1]["month"] == pd.Timestamp("2024-04-01") and r.iloc[1]["nrr"] == pytest.approx(510 / 720)
    one = nk.retention(nk.through(tiny, "2024-03"), window=1, at="Q")  # data to March: one complete row
    assert len(one) == 1 and one.attrs["definition"].end_month == "2024-03"  # a one-row table names its month
    # no December in the data: the year is partial; its row is April's, and says so
    y = nk.retention(tiny, window=1, at="Y")
    assert y["month"].tolist() == [pd.Timestamp("2024-04-01")] and y["complete"].tolist() == [False]


@pytest.mark.parametrize("method", ["cohort", "cohort_avg"])
def test_period_ends_and_summary_of_a_result_equal_the_direct_calls(sample, method):
    from nrrkit.retention import period_ends
    from nrrkit.segments import segment_summary_of

    r = nk.retention(sample, window=12, method=method, by="segment", total=True)
    for at in ("Q", "Y"):
        direct = nk.retention(sample, window=12, method=method, by="segment", total=True, at=at)
        got = period_ends(r, at)
        pd.testing.assert_frame_equal(got, direct, check_exact=True)
        assert got.attrs["definition"] == direct.attrs["definition"]
    for month in (None, "2025-06"):
        direct = nk.segment_summary(sample, "segment", month=month) if method == "cohort" else None
        if direct is not None:
            got = segment_summary_of(r, month=month)
            pd.testing.assert_frame_equal(got, direct, check_exact=True)
            assert got.attrs["definition"] == direct.attrs["definition"]
    with pytest.raises(nk.DataError, match="total=True"):
        segment_summary_of(nk.retention(sample, window=12))


@SETTINGS
@given(tables(), st.sampled_from(nk.METHODS), st.integers(1, 4), st.sampled_from(["Q", "Y"]))
def test_property_total_and_period_ends(table, method, window, at):
    whole = nk.retention(table, window=window, method=method)
    split = nk.retention(table, window=window, method=method, by="segment", total=True)
    total = split[split["segment"] == "Total"].drop(columns="segment").reset_index(drop=True)
    pd.testing.assert_frame_equal(total, whole, check_exact=True)
    ends = nk.retention(table, window=window, method=method, at=at)
    step = 3 if at == "Q" else 12
    keep = (whole["month"].dt.month % step == 0) | (whole["month"] == whole["month"].max())
    expected = whole[keep].reset_index(drop=True).assign(complete=lambda f: f["month"].dt.month % step == 0)
    pd.testing.assert_frame_equal(ends, expected, check_exact=True)


@SETTINGS
@given(tables())
def test_property_tables_round_trip(tmp_path_factory, table):
    folder = tmp_path_factory.mktemp("rt")
    for name, frame in nk.study(table, by="segment", window=1).items():
        for fmt in ("json", "parquet"):
            back = nk.read_table(write_table(frame, folder / f"{name}.{fmt}"))
            pd.testing.assert_frame_equal(back, frame, check_exact=True, obj=name)


def test_at_refuses_other_periods(tiny):
    with pytest.raises(nk.DataError, match="at must be 'M'"):
        nk.retention(tiny, window=1, at="W")


@pytest.mark.parametrize("method", nk.METHODS)
def test_total_rows_are_the_unsegmented_figures_exactly(sample, method):
    whole = nk.retention(sample, window=3, method=method)
    split = nk.retention(sample, window=3, method=method, by="segment", total=True)
    total = split[split["segment"] == "Total"].drop(columns="segment").reset_index(drop=True)
    pd.testing.assert_frame_equal(total, whole, check_exact=True)
    # and the segments' amounts add up to it (sums of numerators, never averaged ratios)
    seg = split[split["segment"] != "Total"].groupby("month")[["start_mrr", "end_mrr", "churn"]].sum()
    np.testing.assert_allclose(seg.to_numpy(), whole.set_index("month")[["start_mrr", "end_mrr", "churn"]]
                               .loc[seg.index].to_numpy(), rtol=1e-12)


def test_total_hand_computed_with_quarter_ends(tiny):
    # window 1 ending 2024-04, segments read in March: Enterprise B150 + D120 + E300 = 570 -> 0 + 60 + 300 = 360;
    # SMB A150 -> 150 (C did not pay in March); Total 720 -> 510, NRR 510 / 720 = 0.7083
    r = nk.retention(tiny, window=1, by="segment", total=True)
    april = r[r["month"] == "2024-04"]
    assert april[["segment", "start_mrr", "end_mrr"]].values.tolist() == [
        ["Enterprise", 570.0, 360.0], ["SMB", 150.0, 150.0], ["Total", 720.0, 510.0]]
    assert april["nrr"].iloc[-1] == pytest.approx(510 / 720)
    assert "Total rows" in " ".join(r.attrs["definition"].notes)


def test_total_needs_by_and_a_free_label(tiny):
    with pytest.raises(nk.DataError, match="pass by="):
        nk.retention(tiny, window=1, total=True)
    clash = tiny.assign(segment=tiny["segment"].where(tiny["segment"] != "SMB", "Total"))
    with pytest.raises(nk.DataError, match="segment called 'Total'"):
        nk.retention(clash, window=1, by="segment", total=True)


def test_segment_summary_total_is_the_unsegmented_figure(sample):
    s = nk.segment_summary(sample, "segment", window=12)
    whole = nk.retention(sample, window=12).iloc[-1]
    total = s.iloc[-1]
    assert total["segment"] == "Total"
    for c in ("start_mrr", "end_mrr", "expansion", "contraction", "churn", "nrr"):
        assert total[c] == whole[c]  # exactly, not approximately


# --------------------------------------------------------------------------- definition cards


def test_cards_of_one_month_tables_name_their_month(sample):
    s = nk.segment_summary(sample, "segment", window=3, month="2025-06")
    assert (s.attrs["definition"].base_month, s.attrs["definition"].end_month) == ("2025-03", "2025-06")
    from nrrkit.levers import what_if

    w = what_if(sample, window=3, churn=-0.2, by="segment", month="2025-06")
    assert (w.attrs["definition"].base_month, w.attrs["definition"].end_month) == ("2025-03", "2025-06")
    c = nk.compare_methods(sample, window=12, month="2025-06")
    assert (c.attrs["definition"].base_month, c.attrs["definition"].end_month) == ("2024-06", "2025-06")


def test_card_of_a_multi_month_table_says_how_rows_differ(sample):
    card = nk.retention(sample, window=3).attrs["definition"]
    # windows of 3 months over 2023-01 .. 2025-12 end 2023-04 .. 2025-12, bases 2023-01 .. 2025-09
    assert card.end_month == "each row's month: 2023-04 to 2025-12"
    assert card.base_month == "each row's base_month, its month less 3 months: 2023-01 to 2025-09"
    q = nk.retention(sample, window=12, at="Q").attrs["definition"]
    assert q.end_month == "each row's month: 2024-03 to 2025-12, quarter ends only"


def test_cli_summary_card_names_the_month_shown(capsys, tiny_csv, run):
    code, out, _ = run("summary", tiny_csv, "--window", "3", "--format", "json", "-q")
    assert code == 0
    payload = json.loads(out)
    assert (payload["definition"]["base_month"], payload["definition"]["end_month"]) == ("2024-01", "2024-04")
    code, out, _ = run("summary", tiny_csv, "--window", "1", "-q")
    assert re.search(r"base month +: 2024-03\n", out) and re.search(r"end month +: 2024-04\n", out)


# --------------------------------------------------------------------------- ids and months join


def test_ids_behave_like_text(tiny, tiny_csv):
    ids = tiny["customer_id"]
    assert pd.api.types.is_string_dtype(ids.dtype) and not isinstance(ids.dtype, pd.CategoricalDtype)
    assert len(tiny[ids < "C"]) == 8  # A and B, four months each
    assert tiny[ids.str.startswith("D")]["mrr"].sum() == 300.0  # D: 120 + 120 + 60
    again = nk.read_mrr(tiny_csv)
    both = pd.concat([tiny, again], ignore_index=True)
    assert both["customer_id"].dtype == ids.dtype
    one = tiny[ids == "E"]
    assert one.groupby("customer_id").size().to_dict() == {"E": 2}  # no empty groups for the other ids
    assert sorted(set(one["customer_id"])) == ["E"]


def test_outputs_join_on_month_and_id(tiny):
    mv = nk.movements(tiny)
    acc = nk.accounts(tiny, window=3)
    movers = nk.top_movers(tiny, 5, window=3)
    for frame in (mv, acc, movers):
        assert frame["customer_id"].dtype == tiny["customer_id"].dtype
    # movements join the MRR table on (customer_id, month): every paying month's mrr is the table's
    joined = mv[mv["mrr"] > 0].merge(tiny, on=["customer_id", "month"], suffixes=("", "_table"))
    assert len(joined) == int((mv["mrr"] > 0).sum())
    assert (joined["mrr"] == joined["mrr_table"]).all()
    # accounts join movements on id: F's churn in 2024-03 is the -80 of its window
    f = acc.merge(mv[mv["movement"] == "churn"], on="customer_id", suffixes=("", "_mv"))
    assert f.loc[f["customer_id"] == "F", ["change", "month_mv"]].astype(str).values.tolist() == [["-80.0",
                                                                                                  "2024-03-01"]]
    # retention months join the monthly bridge's periods (both first days): 2024-04 ends at 230 / 590 total
    r = nk.retention(tiny, window=3)
    b = nk.bridge(tiny)
    rb = r.merge(b, left_on="month", right_on="period", suffixes=("", "_bridge"))
    assert rb[["end_mrr", "end_mrr_bridge"]].values.tolist() == [[230.0, 590.0]]
    # quarterly cohorts join the quarterly bridge: every customer's first quarter is 2024Q1, so the cohort's MRR
    # at age 0 is the bridge's end of 2024Q1: A150 + B150 + D120 + E300 = 720
    cq = nk.cohort_table(tiny, metric="mrr", period="Q")
    bq = nk.bridge(tiny, freq="Q")
    assert cq.index.dtype == bq["period"].dtype
    m = bq.merge(cq[[0]], left_on="period", right_index=True)
    assert m[["end_mrr", 0]].values.tolist() == [[720.0, 720.0]]
    assert cq.attrs["size"][cq.index[0]] == cq.attrs["size"]["2024Q1"] == 6
    # in files, the same joins hold on text
    # (a period as the month of its first day, the quarter's label beside it)
    assert nk.plain_table(bq)["period"].tolist() == ["2024-01", "2024-04"]
    assert nk.plain_table(bq)["period_label"].tolist() == ["2024-Q1", "2024-Q2"]
    assert nk.plain_table(cohorts_long(tiny))["cohort"].tolist() == ["2024-01"]
    assert nk.plain_table(cohorts_long(tiny))["cohort_label"].tolist() == ["2024-Q1"]


# --------------------------------------------------------------------------- movers and cohorts say what they mean


def test_top_movers_say_contraction_or_churn(tiny):
    # window 1 ending 2024-04: B 150 -> 0 (churn), D 120 -> 60 (contraction); losses 150 + 60 = 210
    m = nk.top_movers(tiny, 5, window=1)
    loss = m[m["direction"] == "loss"]
    assert loss[["customer_id", "change", "movement"]].values.tolist() == [["B", -150.0, "churn"],
                                                                           ["D", -60.0, "contraction"]]
    assert loss["share_of_change"].tolist() == pytest.approx([150 / 210, 60 / 210])
    r = nk.retention(tiny, window=1).iloc[-1]
    assert -loss.loc[loss["movement"] == "churn", "change"].sum() == r["churn"]
    assert -loss.loc[loss["movement"] == "contraction", "change"].sum() == r["contraction"]


def test_cohorts_long_quarter_age_zero_is_not_one(tiny):
    # 2024Q1: six customers who started at A100 + B200 + C50 + F80 + D120 + E300 = 850; at the end of March
    # four pay (A, B, D, E) A150 + B150 + D120 + E300 = 720
    c = cohorts_long(tiny, period="Q")
    row = c.iloc[0]
    assert (row["cohort"], row["cohort_label"], row["age"], row["customers"], row["paying"]) == (
        pd.Timestamp("2024-01-01"), "2024-Q1", 0, 6, 4)
    assert (row["start_mrr"], row["mrr"]) == (850.0, 720.0)
    assert row["revenue_retention"] == pytest.approx(720 / 850) and row["logo_retention"] == pytest.approx(4 / 6)


# --------------------------------------------------------------------------- leaving Python unchanged


def _results(sample):
    from nrrkit.levers import what_if

    out = dict(nk.study(sample, by="segment"))
    out.update({
        "movements": nk.movements(sample, by="segment"),
        "accounts": nk.accounts(sample),
        "cohort_table_m": nk.cohort_table(sample),
        "cohort_table_q": nk.cohort_table(sample, period="Q", metric="logos"),
        "cohort_table_y": nk.cohort_table(sample, period="Y", metric="mrr"),
        "bridge_yearly_by": nk.bridge(sample, freq="Y", by="plan"),
        "compare": nk.compare_methods(sample),
        "what_if": what_if(sample, churn=-0.2, by="segment"),
        "mrr": sample,
    })
    return out


@pytest.mark.parametrize("fmt", ["json", "parquet", "csv"])
def test_every_table_round_trips(sample, tmp_path, fmt):
    tables = _results(sample)
    index = nk.write_tables(tables, tmp_path, format=fmt)
    listing = json.loads(index.read_text())
    assert [t["name"] for t in listing["tables"]] == list(tables)
    assert listing["money"] == "full precision"
    for name, frame in tables.items():
        back = nk.read_table(tmp_path / f"{name}.{fmt}")
        pd.testing.assert_frame_equal(back, frame, check_exact=True, obj=name)
        card = frame.attrs.get("definition")
        assert back.attrs.get("definition") == card, name
        if card is not None:
            assert isinstance(back.attrs["definition"], nk.Definition)


def test_files_write_months_as_text_and_keep_every_digit(tiny, tmp_path):
    b = nk.bridge(tiny, freq="Q")
    path = write_table(b, tmp_path / "bq.csv")
    # Q1: new A100 + B200 + C50 + F80 (Jan) + D120 (Feb) + E300 (Mar) = 850; expansion A +50; contraction
    # B 200 -> 150 = 50; churn C 50 (Feb) + F 80 (Mar) = 130; end 850 + 50 - 50 - 130 = 720
    # (the period as its first month, then its label)
    assert path.read_text().splitlines()[1].startswith("2024-01,2024-Q1,0.0,850.0,0.0,50.0,50.0,130.0,720.0,")
    noisy = pd.DataFrame({"month": pd.period_range("2024-01", periods=2, freq="M"), "mrr": [0.1 + 0.2, 1 / 3]})
    for fmt in ("json", "parquet"):
        p = write_table(noisy, tmp_path / f"n.{fmt}")
        back = nk.read_table(p)
        assert back["mrr"].tolist() == [0.1 + 0.2, 1 / 3]  # 0.30000000000000004 stays
    payload = json.loads((tmp_path / "n.json").read_text())
    assert [r["month"] for r in payload["rows"]] == ["2024-01", "2024-02"]
    assert period_text(pd.Period("2024", freq="Y")) == "2024"


def test_plain_table_to_json_and_round_without_warnings(sample):
    r = nk.retention(sample, by="segment", total=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        flat = nk.plain_table(r)
        rows = json.loads(flat.to_json(orient="records"))
        flat.round(4)
        json.dumps(flat.to_dict("records"))
    assert rows[0]["month"] == "2024-01" and rows[0]["base_month"] == "2023-01"


def test_nan_and_empty_tables_round_trip(tmp_path):
    frame = pd.DataFrame({"month": pd.DatetimeIndex(["2024-01-01", None]).astype("datetime64[ns]"),
                          "nrr": [math.nan, 1.5], "customer_id": pd.array(["a", "b"], dtype="str")})
    for fmt in ("json", "parquet"):
        for f in (frame, frame.iloc[:0]):
            back = nk.read_table(write_table(f, tmp_path / f"x.{fmt}"))
            pd.testing.assert_frame_equal(back, f, check_exact=True)
        # a table of Periods (as an older version wrote them) comes back as the months' first days
        old = frame.assign(month=pd.PeriodIndex(["2024-01", None], freq="M"))
        back = nk.read_table(write_table(old, tmp_path / f"p.{fmt}"))
        pd.testing.assert_frame_equal(back, frame, check_exact=True)


# --------------------------------------------------------------------------- the command line


NOISY = "customer_id,month,mrr\na,2024-01,0.1\nb,2024-01,0.2\na,2024-02,0.1\nb,2024-02,0.2\n"


def test_cli_money_in_cents_api_in_full(capsys, tmp_path, run):
    path = tmp_path / "noisy.csv"
    path.write_text(NOISY)
    b = nk.bridge(nk.read_mrr(path))
    assert b["end_mrr"].iloc[0] == 0.1 + 0.2 == 0.30000000000000004  # the API keeps every digit
    code, out, _ = run("bridge", path, "--format", "csv", "-q")
    assert code == 0 and "0.30000000000000004" not in out
    frame = pd.read_csv(io.StringIO(out))
    assert frame["end_mrr"].tolist() == [0.3, 0.3]
    code, out, _ = run("bridge", path, "--format", "json", "-q")
    assert [r["end_mrr"] for r in json.loads(out)["rows"]] == [0.3, 0.3]
    code, out, _ = run("bridge", path, "--freq", "Q", "-q")
    assert "2024-Q1" in out and "0.30" in out and "0.3000000" not in out


def test_round_money_leaves_rates_alone():
    f = pd.DataFrame({"start_mrr": [1 / 3], "nrr": [1 / 3], "customers_start": [3]})
    assert round_money(f).iloc[0].tolist() == [0.33, 1 / 3, 3]


@pytest.mark.parametrize("fmt", ["csv", "parquet", "json"])
def test_cli_report_one_read_every_table(capsys, tmp_path, monkeypatch, fmt, run):
    src = tmp_path / "sample.csv"
    nk.plain_table(nk.datasets.load_sample()).to_csv(src, index=False)
    reads = []
    real = nk.io.read_mrr
    monkeypatch.setattr(nk.io, "read_mrr", lambda *a, **k: reads.append(a) or real(*a, **k))
    out_dir = tmp_path / "study"
    code, out, err = run("report", src, "-o", out_dir, "--by", "segment", "--format", fmt)
    assert code == 0, err
    assert len(reads) == 1
    listing = json.loads((out_dir / "index.json").read_text())
    names = [t["name"] for t in listing["tables"]]
    assert names == ["bridge_monthly", "bridge_quarterly", "retention", "retention_quarterly", "cohorts",
                     "segments", "movers", "load_report"]
    assert listing["money"] == "rounded to cents"
    cards = {t["name"]: t["definition"] for t in listing["tables"]}
    assert cards["retention_quarterly"]["end_month"] == "each row's month: 2024-03 to 2025-12, quarter ends only"
    assert cards["segments"]["end_month"] == "2025-12" and cards["load_report"] is None
    mrr = nk.read_mrr(src)
    want = round_money(nk.retention(mrr, by="segment", total=True, at="Q"))
    back = nk.read_table(out_dir / f"retention_quarterly.{fmt}")
    pd.testing.assert_frame_equal(back, want, check_exact=True)
    total = back[back["segment"] == "Total"].drop(columns="segment").reset_index(drop=True)
    pd.testing.assert_frame_equal(total, round_money(nk.retention(mrr, at="Q")), check_exact=True)
    assert "retention_quarterly." + fmt in out
    # a second run into the same folder replaces the report; a folder of other files needs --force
    assert run("report", src, "-o", out_dir, "-q", "--format", fmt)[0] == 0
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("mine")
    code, out, err = run("report", src, "-o", other, "-q")
    assert code == 2 and err.count("\n") == 1 and "--force" in err


def test_cli_report_short_data_says_why(capsys, tiny_csv, tmp_path, run):
    code, out, err = run("report", tiny_csv, "-o", tmp_path / "r", "-q")
    assert code == 0
    assert "no 12-month window fits" in out
    assert nk.read_table(tmp_path / "r" / "retention.csv").empty


# --------------------------------------------------------------------------- errors


def test_negative_amount_message_is_the_same_for_numbers_and_text():
    numbers = pd.DataFrame({"customer_id": ["a"], "month": ["2024-01"], "mrr": [-5.0]})
    text = numbers.assign(mrr=["-5"])
    objects = numbers.assign(mrr=pd.Series([-5.0], dtype=object))
    tails = []
    for frame in (numbers, text, objects):
        with pytest.raises(nk.DataError) as exc:
            nk.read_mrr(frame)
        msg = str(exc.value)
        assert "is negative" in msg
        tails.append(msg.split("is negative", 1)[1])
    assert tails[0] == tails[1] == tails[2]
    assert tails[0].endswith("record a refund or credit as lower MRR in that month, not as a negative row.")
