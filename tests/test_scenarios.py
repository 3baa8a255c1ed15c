"""Five-year compounding (SPEC 6), against 001's tables and by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest

import nrrkit as nk
from nrrkit import scenarios


def test_001_five_year_table():
    # "The Compound Effect of High NRR": $10M start, 20% new business
    low = scenarios.project_arr(10e6, nrr=1.05, new_rate=0.2)
    high = scenarios.project_arr(10e6, nrr=1.25, new_rate=0.2)
    assert (low.end_arr / 1e6).round(1).tolist() == [12.5, 15.6, 19.5, 24.4, 30.5]
    assert (high.end_arr / 1e6).round(1).tolist() == [14.5, 21.0, 30.5, 44.2, 64.1]
    # year 2 by hand: 12.5 * 1.05 + 0.2 * 12.5 = 13.125 + 2.5 = 15.625
    assert low.end_arr.iloc[1] == pytest.approx(15.625e6)
    # growth = NRR - 1 + new rate, every year
    assert high.growth.tolist() == pytest.approx([0.45] * 5)


def test_001_ratio_after_five_years():
    c = scenarios.compare_scenarios({"NRR 105%": dict(start_arr=10e6, nrr=1.05, new_rate=0.2),
                                     "NRR 125%": dict(start_arr=10e6, nrr=1.25, new_rate=0.2)})
    assert round(c["NRR 125% / NRR 105%"].iloc[-1], 1) == 2.1  # 64.08 / 30.54 = 2.098


def test_001_company_a_and_b():
    a = scenarios.project_arr(10e6, nrr=1.25, new_rate=0.2, years=1, spend_per_new_dollar=1.0).iloc[0]
    b = scenarios.project_arr(10e6, nrr=0.95, new_rate=0.5, years=1, spend_per_new_dollar=1.0).iloc[0]
    assert a.end_arr == pytest.approx(14.5e6) and b.end_arr == pytest.approx(14.5e6)
    assert a.retained_arr - a.start_arr == pytest.approx(2.5e6)   # +$2.5M from existing customers
    assert b.retained_arr - b.start_arr == pytest.approx(-0.5e6)  # -$0.5M
    # "Company A spends $2M to grow $4.5M. Company B spends $5M"
    assert (a.spend, b.spend) == pytest.approx((2e6, 5e6))


def test_fixed_new_business_and_the_ceiling():
    # $2M new a year, NRR 90%: ARR -> 2 / (1 - 0.9) = $20M
    p = scenarios.project_arr(0, nrr=0.9, new_arr=2e6, years=60)
    assert p.end_arr.iloc[-1] == pytest.approx(20e6, rel=1e-2)
    c = scenarios.ceiling(2e6, 0.9)
    assert c.limit == pytest.approx(20e6)
    # from 0, ARR_y = L (1 - 0.9**y) >= 0.9 L  <=>  0.9**y <= 0.1  <=>  y >= ln 0.1 / ln 0.9 = 21.85
    assert c.years_to_share == pytest.approx(math.log(0.1) / math.log(0.9))
    assert c.whole_years == 22
    assert p.end_arr.iloc[21] >= 0.9 * 20e6 > p.end_arr.iloc[20]
    # starting at $10M: the gap of $10M must shrink to $2M: 0.9**y <= 0.2 -> 15.28 years
    assert scenarios.ceiling(2e6, 0.9, start_arr=10e6).years_to_share == pytest.approx(math.log(0.2) / math.log(0.9))
    assert math.isinf(scenarios.ceiling(1e6, 1.05).limit)


def test_nrr_schedule_and_layers():
    sched = scenarios.nrr_schedule(1.25, years=3, floor=1.05, decay=0.5)
    assert sched == pytest.approx([1.25, 1.15, 1.10])  # the gap of 20 points halves each year
    p = scenarios.project_arr(10e6, nrr=1.25, new_rate=0.2, years=3, nrr_schedule={"floor": 1.05, "decay": 0.5})
    assert p.nrr.tolist() == pytest.approx(sched)
    lay = scenarios.layers(10e6, nrr=1.25, new_rate=0.2)
    proj = scenarios.project_arr(10e6, nrr=1.25, new_rate=0.2)
    assert lay.drop(columns="year").sum(axis=1).iloc[1:].tolist() == pytest.approx(proj.end_arr.tolist())
    # the base compounds alone: 10M * 1.25**5 = 30.52M
    assert lay.base.iloc[-1] == pytest.approx(10e6 * 1.25**5)
    # year 1's new business ($2M) then compounds four years: 2M * 1.25**4
    assert lay["new in year 1"].iloc[-1] == pytest.approx(2e6 * 1.25**4)


def test_project_arr_refuses_bad_input():
    with pytest.raises(nk.DataError, match="either as new_rate"):
        scenarios.project_arr(10e6, nrr=1.1)
    with pytest.raises(nk.DataError, match="nrr is -1"):
        scenarios.project_arr(10e6, nrr=-1, new_rate=0.1)
    with pytest.raises(nk.DataError, match="5 years need 5"):
        scenarios.project_arr(10e6, nrr=[1.1, 1.2], new_rate=0.1)


def test_calibrate_on_the_sample_by_hand():
    mrr = nk.datasets.load_sample()
    s = scenarios.calibrate(mrr)
    b = nk.bridge(mrr).set_index("period")
    r = nk.retention(mrr).iloc[-1]
    dec25, dec24 = b.index[-1], b.index[-13]
    assert s.start_arr == pytest.approx(12 * b.loc[dec25, "end_mrr"])
    assert s.nrr == pytest.approx(r.nrr)
    assert s.new_rate == pytest.approx(b.loc[b.index[-12] : dec25, "new"].sum() / b.loc[dec24, "end_mrr"])
    p = s.project(path="measured")
    assert p.end_arr.iloc[0] == pytest.approx(s.start_arr * (s.nrr + s.new_rate))
    assert s.definition.window == 12
    # the default path: new business held at last year's dollars, NRR fading to the SaaS Capital median of
    # the company's ACV band ($62.9M ARR / 1,615 customers = $38,930: the $25-50k band, median 103%)
    d = s.project()
    assert d["new_arr"].tolist() == pytest.approx([12 * b.loc[b.index[-12] : dec25, "new"].sum()] * 5)
    assert s.acv == pytest.approx(s.start_arr / b.loc[dec25, "customers_end"]) and s.acv_band == "$25-50k"
    assert d["nrr"].iloc[0] == pytest.approx(s.nrr) and d["nrr"].iloc[-1] == pytest.approx(1.03)
    assert d.end_arr.iloc[-1] < p.end_arr.iloc[-1] / 2
    assert s.checks_table().status.tolist() == ["passed", "passed", "flagged", "passed", "passed"]
    assert len(s.cautions) == 1 and "19.5 points above the SaaS Capital 2023 median NRR for ACV $25-50k" in s.cautions[0]
    assert s.flags is s.cautions


def _company(schedule: dict[str, list[float]], first: str) -> pd.DataFrame:
    rows = [(c, str(pd.Period(first, "M") + i), v) for c, values in schedule.items() for i, v in enumerate(values)
            if v > 0]
    return nk.read_mrr(pd.DataFrame(rows, columns=["customer_id", "month", "mrr"]))


def test_nrr_fade_by_hand():
    # 120% to 100% over five years: 20 points in four steps of 5
    assert scenarios.nrr_fade(1.2, 1.0) == pytest.approx([1.20, 1.15, 1.10, 1.05, 1.00])
    assert scenarios.nrr_fade(1.2, 1.0, years=7) == pytest.approx([1.20, 1.15, 1.10, 1.05, 1.00, 1.00, 1.00])
    assert scenarios.nrr_fade(0.95, 1.03) == [0.95] * 5  # never fades upwards


def test_defensible_path_by_hand():
    # a pays 62,500 from 2023-12, 75,000 from 2025-06; n is new in 2025-01 at 25,000. 25 months.
    mrr = _company({"a": [62_500] * 18 + [75_000] * 7, "n": [0] * 13 + [25_000] * 12}, "2023-12")
    s = scenarios.calibrate(mrr, long_run_nrr=1.0)
    # start ARR = 12 x (75,000 + 25,000) = 1.2M; NRR = 75,000 / 62,500 = 120%; new = 12 x 25,000 = 300K
    assert s.start_arr == pytest.approx(1.2e6) and s.nrr == pytest.approx(1.2) and s.new_arr_12m == pytest.approx(3e5)
    p = s.project()
    # NRR 120, 115, 110, 105, 100%; new held at $300K:
    # y1 1.2M x 1.20 + 0.3M = 1.74M; y2 1.74 x 1.15 + 0.3 = 2.301M; y3 2.301 x 1.10 + 0.3 = 2.8311M;
    # y4 2.8311 x 1.05 + 0.3 = 3.272655M; y5 3.272655 x 1.00 + 0.3 = 3.572655M
    assert p["nrr"].tolist() == pytest.approx([1.20, 1.15, 1.10, 1.05, 1.00])
    assert p["end_arr"].tolist() == pytest.approx([1.74e6, 2.301e6, 2.8311e6, 3.272655e6, 3.572655e6])
    assert p.attrs["path"] == "defensible"
    src = s.inputs_table().set_index("figure")
    assert src.loc["NRR", "source"] == "12-month cohort NRR, base 2024-12 (1 customer), end 2025-12"
    assert src.loc["new business a year", "source"] == "new MRR of 2025-01..2025-12 ($25,000) x 12"
    assert src.loc["long-run NRR", "source"] == "set by the founder"
    assert scenarios.describe_nrr(s) == ("NRR 120% (measured, 12 months to 2025-12) fading to 100% by year 5 "
                                         "(set by the founder)")
    # checks: 25 months passed; 1 base customer flagged; ACV 1.2M / 2 = 600K (>$250k band, median 110%):
    # 120% is 10 points above, within 15: passed; NRR a year earlier 62,500 / 62,500 = 100%, moved 20 points:
    # flagged; new-business rate 25,000 / 62,500 = 40% against 0 / 62,500 the year before: flagged
    assert s.checks_table().status.tolist() == ["passed", "flagged", "passed", "flagged", "flagged"]
    assert len(s.cautions) == 3
    # the measured path compounds 120% and the lower of the two rates (0%): 1.2M x 1.2**5
    assert s.project(path="measured")["end_arr"].iloc[-1] == pytest.approx(1.2e6 * 1.2**5)


def test_checks_that_cannot_run_say_so():
    # 24 months: no month before the prior year, so both year-earlier checks are "not run", never passed
    mrr = _company({"a": [1000] * 24, "b": [0] * 6 + [500] * 18}, "2024-01")
    s = scenarios.calibrate(mrr)
    c = s.checks_table().set_index("check")
    assert c.loc["history", "status"] == "passed"
    assert c.loc["NRR a year earlier", "status"] == "not run"
    assert c.loc["new business a year earlier", "status"] == "not run"
    assert "needs 25 months of data" in c.loc["NRR a year earlier", "detail"]
    assert not any("not run" in x for x in s.cautions)
    # 15 months: the history check is flagged and is a caution a reader sees
    short = scenarios.calibrate(_company({"a": [1000] * 15, "b": [0] * 6 + [500] * 9}, "2024-10"))
    assert short.checks_table().set_index("check").loc["history", "status"] == "flagged"
    assert any(x.startswith("only 15 months of data (2024-10 to 2025-12), under 24") for x in short.cautions)
    with pytest.raises(nk.DataError, match="path must be one of defensible, measured"):
        short.project(path="optimistic")


def test_month_outside_the_data_is_a_clear_error():
    mrr = nk.datasets.load_sample()
    with pytest.raises(nk.DataError, match="no 12-month window ends in 2030-01; end months run from 2024-01"):
        scenarios.calibrate(mrr, month="2030-01")
    with pytest.raises(nk.DataError, match="'soon' is not a month"):
        scenarios.calibrate(mrr, month="soon")
    with pytest.raises(nk.DataError, match="no 12-month window ends in 2030-01"):
        nk.dashboard(mrr, month="2030-01")
    # and a month inside the data works: June 2025's NRR is the retention row of June 2025
    r = nk.retention(mrr).set_index("month")
    assert scenarios.calibrate(mrr, month="2025-06").nrr == pytest.approx(r.loc[pd.Timestamp("2025-06-01"), "nrr"])


from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@given(start=st.floats(0.8, 1.6), long_run=st.floats(0.9, 1.2), over=st.integers(1, 8), years=st.integers(1, 12))
def test_nrr_fade_properties(start, long_run, over, years):
    path = scenarios.nrr_fade(start, long_run, years=years, over=over)
    assert len(path) == years and path[0] == pytest.approx(min(start, long_run) if over == 1 else start)
    if start <= long_run:
        assert path == [start] * years  # never fades upwards
    else:
        assert all(a >= b - 1e-12 for a, b in zip(path, path[1:]))  # falls, then holds
        if years >= over:
            assert path[over - 1:] == pytest.approx([long_run] * (years - over + 1))
