"""The worked examples of the reference documents (shared/seeds/).

001_a30811d6f780129f.txt ("Net Revenue Retention: The Holy Grail Metric") and
003_dd6a68e9cec987ce.txt ("How to Maximise Net Revenue Retention").
"""

from __future__ import annotations

import pandas as pd
import pytest

import nrrkit as nk


def test_001_simple_example_107():
    # (100K + 15K - 3K - 5K) / 100K = 107%
    assert nk.nrr(100_000, 15_000, 3_000, 5_000) == pytest.approx(1.07)


def test_001_comparison_example_grr_90_nrr_110():
    # GRR (100K - 3K - 7K) / 100K = 90%; NRR (100K + 20K - 3K - 7K) / 100K = 110%
    assert nk.grr(100_000, 3_000, 7_000) == pytest.approx(0.90)
    assert nk.nrr(100_000, 20_000, 3_000, 7_000) == pytest.approx(1.10)


def test_001_monthly_example_103():
    # 500,000 + 35,000 - 8,000 - 12,000 = 515,000 ending MRR; 515 / 500 = 103%
    assert nk.nrr(500_000, 35_000, 8_000, 12_000) == pytest.approx(1.03)


def test_001_monthly_example_through_the_engine():
    # The same example as customer data: X expands 400K -> 435K, Y contracts 50K -> 42K,
    # Z (12K) churns, W stays at 38K.  Start 500K, end 515K.
    rows = [("X", "2024-01", 400_000), ("X", "2024-02", 435_000), ("Y", "2024-01", 50_000),
            ("Y", "2024-02", 42_000), ("Z", "2024-01", 12_000), ("W", "2024-01", 38_000),
            ("W", "2024-02", 38_000)]
    table = nk.read_mrr(pd.DataFrame(rows, columns=["customer_id", "month", "mrr"]))
    r = nk.retention(table, window=1).iloc[0]
    assert (r.start_mrr, r.expansion, r.contraction, r.churn, r.end_mrr) == (500_000, 35_000, 8_000, 12_000, 515_000)
    assert r.nrr == pytest.approx(1.03)
    assert r.grr == pytest.approx((500_000 - 8_000 - 12_000) / 500_000)  # 96%


def test_001_opening_example_125():
    # $1M of ARR from existing customers becomes $1.25M a year later, no new logos: NRR 125%
    rows = [("a", "2024-01", 600_000 / 12), ("b", "2024-01", 400_000 / 12),
            ("a", "2025-01", 900_000 / 12), ("b", "2025-01", 350_000 / 12)]
    table = nk.read_mrr(pd.DataFrame(rows, columns=["customer_id", "month", "mrr"]))
    r = nk.retention(table, window=12).iloc[0]
    assert r.nrr == pytest.approx(1.25)


def test_003_eighty_percent_example():
    # MRR 10,000; upsell 1,000; downgrades 1,000; churn 2,000: (10000 + 1000 - 2000 - 1000) / 10000 = 80%
    assert nk.nrr(10_000, 1_000, 1_000, 2_000) == pytest.approx(0.80)


@pytest.mark.parametrize(
    "args,message",
    [
        ((0, 1, 1, 1), "start is 0; the starting MRR must be above 0"),
        ((-5, 1, 1, 1), "start is -5; amounts are entered as positive numbers"),
        ((100, -1, 0, 0), "expansion is -1"),
        ((100, 0, 60, 50), "contraction + churn (110) exceed the starting MRR (100)"),
        # big amounts with thousands separators, never as 1.2e+06 or 1200000.0
        ((1_000_000, 0, 700_000, 500_000), "contraction + churn (1,200,000) exceed the starting MRR (1,000,000)"),
        ((100, "x", 0, 0), "expansion must be a number, not 'x'"),
        ((100, float("nan"), 0, 0), "expansion must be a finite number"),
    ],
)
def test_calculator_refuses_bad_numbers(args, message):
    with pytest.raises(nk.DataError) as err:
        nk.nrr(*args)
    assert message in str(err.value)
