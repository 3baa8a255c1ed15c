"""What the pack needs from the engine: an interval that ignores ids and row order, the small-sample
caution, signals from tiny bases suppressed with a count, and a scenario whose new business is
measured over a stated period and flagged when the data does not support it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import nrrkit as nk
from nrrkit import benchmarks
from nrrkit.customers import ratio_interval
from nrrkit.scenarios import calibrate, describe_new_business


def _company(schedule: dict[str, list[float]], first: str = "2023-01") -> pd.DataFrame:
    rows = [(c, str(pd.Period(first, "M") + i), v) for c, values in schedule.items() for i, v in enumerate(values)
            if v > 0]
    return nk.read_mrr(pd.DataFrame(rows, columns=["customer_id", "month", "mrr"]), max_month="2030-12")


# --------------------------------------------------------------------------- the interval


def test_interval_ignores_ids_and_row_order():
    mrr = nk.datasets.load_sample()
    plain = nk.nrr_interval(mrr, n_boot=300)
    raw = mrr.sample(frac=1, random_state=7).reset_index(drop=True)  # another row order
    raw["customer_id"] = "zz-" + raw["customer_id"].astype(str).str[::-1]  # other labels, another sort order
    other = nk.nrr_interval(nk.read_mrr(raw), n_boot=300)
    assert (other.low, other.high, other.nrr) == (plain.low, plain.high, plain.nrr)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(1, 500), st.integers(0, 800)), min_size=1, max_size=25), st.randoms())
def test_ratio_interval_depends_on_the_pairs_only(pairs, rnd):
    start = np.array([p[0] for p in pairs], dtype=float)
    end = np.array([p[1] for p in pairs], dtype=float)
    order = list(range(len(pairs)))
    rnd.shuffle(order)
    assert ratio_interval(start, end, n_boot=200) == ratio_interval(start[order], end[order], n_boot=200)


# --------------------------------------------------------------------------- cautions and bands


def test_caution_thresholds():
    # 30 customers and a 20-point interval are the limits: no caution at the limit, one beyond it
    assert benchmarks.caution(30, 1.00, 1.20) == ""
    assert benchmarks.caution(29) == "small sample: 29 base customers (under 30)"
    assert benchmarks.caution(1) == "small sample: 1 base customer (under 30)"
    assert benchmarks.caution(400, 1.0, 1.21) == "small sample: the 90% interval spans 21 points (over 20)"
    assert benchmarks.is_rated(30) and not benchmarks.is_rated(29)
    with pytest.raises(nk.DataError):
        benchmarks.caution(-1)


def test_concerning_band_reads_under_100():
    c = nk.compare_to_benchmarks(nrr=0.9)
    assert c.loc[c.table == "levels", "benchmark"].tolist() == ["under 100%"]  # not "-inf%-100%"


# --------------------------------------------------------------------------- signals


def test_signals_from_tiny_bases_are_suppressed_with_a_count():
    # two customers for a year; b leaves in month 12: GRR 50% and expansion 0% on a base of 2
    tiny = _company({"a": [100] * 14, "b": [100] * 12})
    every = nk.signals(tiny)
    assert len(every) > 0 and every.attrs["suppressed"] == 0
    kept = nk.signals(tiny, min_customers=3)
    assert kept.empty and kept.attrs["suppressed"] == len(every)
    assert len(nk.signals(tiny, min_customers=2)) == len(every)  # a base of 2 is not under 2


# --------------------------------------------------------------------------- the scenario


def test_new_rate_above_the_year_before_is_flagged_and_not_used():
    # a pays 100 from 2023-01. 2023-02: n1 (10) is the only new customer of 2023-02..2024-01;
    # 2024-02: n2 (50) the only one of 2024-02..2025-01.
    # rate of the last year = 50 / MRR 2024-01 (110) = 45.5%; the year before = 10 / MRR 2023-01 (100) = 10%
    mrr = _company({"a": [100] * 25, "n1": [0] + [10] * 24, "n2": [0] * 13 + [50] * 12})
    s = calibrate(mrr)
    assert s.history_months == 25 and s.new_period == "2024-02 to 2025-01"
    assert s.new_rate == pytest.approx(50 / 110) and s.prior_rate == pytest.approx(0.10)
    assert s.assumption(path="measured") == {"new_rate": pytest.approx(0.10)}
    assert ("the new-business rate of 2024-02 to 2025-01, 45.5% of ARR, exceeds the 10.0% of the 12 months before; "
            "the data supports the lower rate, which the measured path uses") in s.cautions
    assert describe_new_business(s, path="measured") == ("new business 10.0% of ARR a year (measured 2023-02 to "
                                                         "2024-01, the lower of two years)")
    # ARR 12 x 160 = 1,920; NRR of the base (a, n1) = 1; year 1 = 1,920 x (1 + 0.10)
    assert s.project(path="measured")["end_arr"].iloc[0] == pytest.approx(1920 * 1.10)
    # the default path holds last year's new ARR (12 x 50 = 600) and NRR at 100% (not above the long run)
    assert s.assumption() == {"new_arr": 600} and s.project()["end_arr"].iloc[0] == pytest.approx(1920 + 600)


def test_a_steady_company_keeps_its_measured_rate():
    mrr = nk.datasets.load_sample()
    s = calibrate(mrr)
    assert s.new_basis == "measured" and s.prior_rate > s.new_rate
    assert s.assumption(path="measured") == {"new_rate": s.new_rate}
    assert describe_new_business(s, path="measured") == (f"new business {s.new_rate:.1%} of ARR a year (measured "
                                                         "2025-01 to 2025-12)")
    with pytest.raises(nk.DataError, match="either as new_rate"):
        calibrate(mrr, new_rate=0.2, new_arr=1e6)
