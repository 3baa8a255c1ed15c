"""Cohorts, segments and customer-level views, by hand and against the definitions (SPEC 4)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import nrrkit as nk
from nrrkit import cohorts
from nrrkit.customers import bootstrap_ratio


@pytest.fixture(scope="module")
def tiny():
    return nk.datasets.load_tiny()


def table(rows):
    return nk.read_mrr(pd.DataFrame(rows, columns=["customer_id", "month", "mrr", "segment"]), max_month="2030-12")


# --------------------------------------------------------------------------- cohorts


def test_cohort_table_by_hand(tiny):
    rev = nk.cohort_table(tiny)
    # Jan cohort A100 B200 C50 F80 = 430: Feb 330, Mar 300 (C and F gone), Apr 230 (A150 + C80 back)
    assert rev.loc["2024-01-01"].tolist() == pytest.approx([1, 330 / 430, 300 / 430, 230 / 430])
    # Feb cohort D: 120, 120, 60; Mar cohort E: 300, 300; cells past the data are NaN, never 0
    assert rev.loc["2024-02-01", [0, 1, 2]].tolist() == pytest.approx([1, 1, 0.5])
    assert np.isnan(rev.loc["2024-02-01", 3]) and rev.loc["2024-03-01", [2, 3]].isna().all()
    logos = nk.cohort_table(tiny, metric="logos")
    assert logos.loc["2024-01-01"].tolist() == [1, 0.75, 0.5, 0.5]  # 4 -> 3 -> 2 (A, B) -> 2 (A, C)
    mrr = nk.cohort_table(tiny, metric="mrr")
    assert mrr.loc["2024-01-01"].tolist() == [430, 330, 300, 230]
    assert rev.attrs["size"] == {"2024-01": 4, "2024-02": 1, "2024-03": 1}


def test_quarterly_cohort_and_month1_baseline(tiny):
    q = nk.cohort_table(tiny, period="Q")
    # one Q1 cohort: each customer's first MRR 100+200+50+120+300+80 = 850; end of March 150+150+120+300 = 720;
    # Q2 is only April in the data: past the data, so no age-1 column
    assert q.loc["2024-01-01"].tolist() == pytest.approx([720 / 850])
    m1 = nk.cohort_table(tiny, baseline="month1")
    assert m1.loc["2024-01-01"].tolist() == pytest.approx([430 / 330, 1, 300 / 330, 230 / 330])


def test_cohort_curve_is_dollar_weighted(tiny):
    c = nk.cohort_curve(tiny).set_index("age")
    # age 1: (330 + 120 + 300) / (430 + 120 + 300) = 750 / 850, not the mean of 76.7%, 100%, 100%
    assert c.loc[1, "value"] == pytest.approx(750 / 850)
    assert c.loc[1, "value"] != pytest.approx(np.mean([330 / 430, 1, 1]))
    # age 2: only the Jan and Feb cohorts reached it: (300 + 60) / (430 + 120)
    assert (c.loc[2, "value"], c.loc[2, "cohorts"]) == (pytest.approx(360 / 550), 2)


def test_cohort_curve_on_the_sample_matches_the_table():
    mrr = nk.datasets.load_sample()
    t = nk.cohort_table(mrr, metric="mrr")
    curve = nk.cohort_curve(mrr).set_index("age")
    starts = pd.Series(nk.cohort_table(mrr).attrs["start_mrr"])
    for age in (0, 6, 12, 24):
        reached = t[age].notna()
        assert curve.loc[age, "value"] == pytest.approx(t.loc[reached, age].sum() / starts[reached].sum())


def test_milestone_trend_reproduces_001():
    # 001 "Cohort NRR Table": Jan 102/108 Improving, Feb 101/106 Stable, Mar 98/103 Concerning, Apr 105 Strong start
    assert cohorts.milestone_trend([1.02, 1.08, np.nan]) == "Improving"
    assert cohorts.milestone_trend([1.01, 1.06, np.nan]) == "Stable"
    assert cohorts.milestone_trend([0.98, 1.03, np.nan]) == "Concerning"
    assert cohorts.milestone_trend([1.05, np.nan, np.nan]) == "Strong start"
    assert cohorts.milestone_trend([np.nan] * 3) == "Too young"


def test_cohort_milestones_on_the_sample():
    ms = nk.cohort_milestones(nk.datasets.load_sample())
    t = nk.cohort_table(nk.datasets.load_sample())
    row = ms.set_index("cohort").loc["2024-01-01"]
    assert row.month_6 == pytest.approx(t.loc["2024-01-01", 6]) and row.month_12 == pytest.approx(t.loc["2024-01-01", 12])
    assert np.isnan(row.month_24)  # 2024-01 + 24 = 2026-01, past the data
    assert set(ms.trend) <= {"Improving", "Stable", "Concerning", "Declining", "Strong start", "Early days", "Too young"}


def test_layer_cake_adds_up_to_the_bridge():
    mrr = nk.datasets.load_sample()
    cake = nk.layer_cake(mrr, period="Q")
    q = nk.bridge(mrr, freq="Q")
    assert cake.sum(axis=1).tolist() == pytest.approx(q.end_mrr.tolist())
    # a cohort has no MRR before it starts
    assert cake.loc["2023-01-01", "2024-Q1"] == 0


# --------------------------------------------------------------------------- segments


def test_segment_summary_by_hand(tiny):
    s = nk.segment_summary(tiny, "segment", window=1).set_index("segment")
    # base March: Enterprise B150 D120 E300 = 570 -> April B0 D60 E300 = 360; SMB A150 -> A150
    assert s.loc["Enterprise", ["start_mrr", "end_mrr", "churn", "contraction"]].tolist() == [570, 360, 150, 60]
    assert s.loc["Enterprise", "churn_rate"] == pytest.approx(150 / 570)
    assert s.loc["Total", "nrr"] == pytest.approx(510 / 720)
    assert s.attrs["average_of_segments"] == pytest.approx((360 / 570 + 1.0) / 2)


def test_averaging_segment_percentages_is_wrong_on_the_sample():
    mrr = nk.datasets.load_sample()
    s = nk.segment_summary(mrr, "segment").set_index("segment")
    total = nk.retention(mrr).iloc[-1].nrr
    assert s.loc["Total", "nrr"] == pytest.approx(total, rel=1e-12)
    # 127.0%, 115.0%, 102.7% average to 114.9%; the company is at 122.5% (Enterprise weighs 68%)
    assert s.attrs["average_of_segments"] == pytest.approx(s.nrr.iloc[:3].mean())
    assert total - s.attrs["average_of_segments"] > 0.07


def test_mix_shift_by_hand():
    # A: 50, 50, 50 (NRR 1.0 both months); B: 50, 60, 72 (NRR 1.2 both months)
    rows = [(c, m, v, c) for c, vals in (("A", (50, 50, 50)), ("B", (50, 60, 72)))
            for m, v in zip(("2024-01", "2024-02", "2024-03"), vals)]
    ms = nk.mix_shift(table(rows), "segment", window=1, start="2024-02", end="2024-03").set_index("segment")
    # total 110/100 = 1.1 -> 122/110 = 1.10909: no segment changed, so it is all mix
    assert ms.attrs["change"] == pytest.approx(122 / 110 - 1.1)
    assert ms.attrs["performance"] == pytest.approx(0)
    assert ms.attrs["mix"] == pytest.approx((50 / 110 - 0.5) * 1.0 + (60 / 110 - 0.5) * 1.2)


def test_mix_shift_parts_add_up_on_the_sample():
    ms = nk.mix_shift(nk.datasets.load_sample(), "segment")
    assert ms.attrs["performance"] + ms.attrs["mix"] == pytest.approx(ms.attrs["change"], abs=1e-12)
    seg = ms.iloc[:-1]
    assert seg.performance.sum() + seg.mix.sum() == pytest.approx(ms.attrs["change"])
    assert (ms.attrs["start"], ms.attrs["end"]) == ("2024-12", "2025-12")


# --------------------------------------------------------------------------- customers


def test_accounts_top_movers_and_concentration_by_hand(tiny):
    acc = nk.accounts(tiny, window=3)
    # base Jan: A 100 -> 150, C 50 -> 80 (churned in Feb, back in Apr), F 80 -> 0, B 200 -> 0
    assert acc[["customer_id", "change", "movement"]].values.tolist() == [
        ["A", 50, "expansion"], ["C", 30, "expansion"], ["F", -80, "churn"], ["B", -200, "churn"]]
    assert acc.returned.tolist() == [False, True, False, False]
    assert (acc.start_mrr.sum(), acc.end_mrr.sum()) == (430, 230)
    tm = nk.top_movers(tiny, 1, window=3)
    assert tm[["direction", "customer_id"]].values.tolist() == [["gain", "A"], ["loss", "B"]]
    assert tm.share_of_change.tolist() == pytest.approx([50 / 80, 200 / 280])
    con = nk.concentration(tiny, window=3, top=(1,)).set_index("removed")
    # without A: start 200 + 50 + 80 = 330, end 0 + 80 + 0 = 80
    assert con.loc[1, "nrr"] == pytest.approx(80 / 330)
    assert con.loc[1, "expansion_share"] == pytest.approx(50 / 80)
    assert con.loc[0, "nrr"] == pytest.approx(230 / 430)


def test_interval_covers_the_true_nrr():
    # 200 companies of 60 customers: 10% churn to 0, the rest grow by a factor with mean 1.2,
    # independent of size: the true NRR is 0.9 x 1.2 = 1.08
    rng = np.random.default_rng(7)
    hits = 0
    for _ in range(200):
        start = rng.lognormal(6, 0.8, 60)
        growth = np.where(rng.random(60) < 0.1, 0.0, rng.lognormal(np.log(1.2) - 0.045, 0.3, 60))
        draws = bootstrap_ratio(start, start * growth, n_boot=400, seed=int(rng.integers(1e9)), progress=False)
        lo, hi = np.quantile(draws, [0.05, 0.95])
        hits += lo <= 1.08 <= hi
    assert 0.80 <= hits / 200 <= 0.97  # a 90% interval covers about 90% of the time


def test_interval_is_wide_for_few_customers_and_reproducible():
    small = nk.datasets.generate(60, 24, seed=3)
    big = nk.datasets.generate(3000, 24, seed=3)
    a, b = nk.nrr_interval(small), nk.nrr_interval(big)
    assert a.low < a.nrr < a.high and b.low < b.nrr < b.high
    assert (a.high - a.low) > 2 * (b.high - b.low)
    assert nk.nrr_interval(small, seed=1) == nk.nrr_interval(small, seed=1)
    assert a.nrr == pytest.approx(nk.retention(small).iloc[-1].nrr)
    with pytest.raises(nk.DataError, match="level is 90"):
        nk.nrr_interval(small, level=90)
