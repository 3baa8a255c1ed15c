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


# --------------------------------------------------------------------------- the investor pack of a young company
# tests/founder.py: small_company_sheet() is 24 months (2024-01 to 2025-12) with 13 base customers in 2024-12.


@pytest.fixture(scope="module")
def small():
    from nrrkit.pack.figures import Figures

    from .founder import small_company_sheet

    table = nk.from_wide(small_company_sheet())
    return table, Figures(table, "segment", 300, False, company="Small Co", currency="USD")


def test_small_company_headline_counts_and_level_rule(small):
    _, fig = small
    # 9 of the 13 base customers pay in 2025-12, and 12 of the 13 new ones (Zephyr left): 21 pay now; 29 ever paid
    assert (fig.customers_now, fig.base_customers, fig.customers_ever) == (21, 13, 29)
    from nrrkit.pack.page import customers_line, level_tile

    assert customers_line(fig) == ("21 customers paying in 2025-12; base cohort 13 customers paying in 2024-12; "
                                   "29 have paid at some point")
    # NRR 12,510 / 10,000 = 125.1% reads "Excellent", but 13 base customers and GRR 59.6% cannot carry it
    assert fig.level == "Excellent" and not fig.verdict.shown
    value, why = level_tile(fig)
    assert value == "Withheld" and why.startswith("the NRR's level (Excellent) is withheld: small sample: 13 base")
    assert "GRR 59.6% is under 85%" in why


def test_small_company_trend_says_it_is_short(small):
    _, fig = small
    # bases of the end months 2025-01..03 are the customers paying in 2024-01..03: 3, 6 and 8 (under 10)
    assert fig.trend_dropped == 3 and len(fig.trend) == 9
    assert fig.trend_note == ("only 9 end months of 12 (3 with a base under 10 customers not drawn): too few points "
                              "to read a trend")


def test_small_company_scenario_rates_months_and_checks(small):
    _, fig = small
    s = fig.scenario
    inputs = {x["figure"]: x for x in s["inputs"]}
    # every rate with the months it came from
    assert inputs["NRR"]["value"] == pytest.approx(1.251) and "base 2024-12 (13 customers), end 2025-12" in \
        inputs["NRR"]["source"]
    assert inputs["new business a year"]["value"] == pytest.approx(12 * 13_400)  # new MRR of 2025 x 12
    assert "2025-01..2025-12" in inputs["new business a year"]["source"]
    assert inputs["new-business rate"]["value"] == pytest.approx(1.34)  # 13,400 / MRR of 2024-12 (10,000)
    # ACV 12 x 25,510 / 21 = 14,577 US dollars: the $12-25k band, median NRR 102%
    assert inputs["long-run NRR"]["value"] == pytest.approx(1.02) and "$12-25k" in inputs["long-run NRR"]["source"]
    status = {c["check"]: c["status"] for c in s["checks"]}
    # exactly 24 months: the year before cannot be measured, so those checks did not run (never "no flag")
    assert status == {"history": "passed", "base size": "flagged", "NRR against benchmark": "flagged",
                      "NRR a year earlier": "not run", "new business a year earlier": "not run"}
    assert len(s["cautions"]) == 2
    # the default path: new ARR 160,800 a year held flat; NRR 125.1% fading in a straight line to 102% in year 5
    # (steps of (1.02 - 1.251) / 4 = -0.05775); year 1 = 306,120 x 1.251 + 160,800 = 543,756.12
    p = fig.projection
    assert p["nrr"].tolist() == pytest.approx([1.251, 1.19325, 1.1355, 1.07775, 1.02])
    assert p["new_arr"].tolist() == pytest.approx([160_800] * 5)
    assert p["end_arr"].iloc[0] == pytest.approx(306_120 * 1.251 + 160_800)
    # the measured rates compounded (the contrast): 306,120 x (1.251 + 1.34) in year 1
    assert fig.projection_measured["end_arr"].iloc[0] == pytest.approx(306_120 * 2.591)


def test_21_months_is_a_visible_caution():
    from nrrkit.pack.figures import Figures

    from .founder import small_company_sheet

    sheet = small_company_sheet().drop(columns=["2024-01", "2024-02", "2024-03"])
    fig = Figures(nk.from_wide(sheet), None, 200, False, currency="USD")
    checks = {c["check"]: c for c in fig.scenario["checks"]}
    assert checks["history"]["status"] == "flagged"
    assert checks["history"]["detail"].startswith("only 21 months of data (2024-04 to 2025-12), under 24")
    assert checks["history"]["detail"] in fig.scenario["cautions"]
    assert fig.projection["new_arr"].tolist() == pytest.approx([160_800] * 5)  # last year's dollars, held


def test_acv_in_another_currency_is_converted_or_not_compared():
    from nrrkit.pack.figures import Figures
    from nrrkit.pack.page import scenario_lines

    from .founder import small_company_sheet

    table = nk.from_wide(small_company_sheet())
    aud = Figures(table, None, 200, False, currency="AUD")
    # ACV 14,577 AUD is not placed in a US-dollar band: no SaaS Capital row, the check does not run, NRR fades to 100%
    assert aud.acv_usd is None and "the amounts are in AUD" in aud.acv_note
    assert "saas_capital_2023" not in set(aud.bench["table"])
    check = next(c for c in aud.scenario["checks"] if c["check"] == "NRR against benchmark")
    assert check["status"] == "not run" and "AUD" in check["detail"]
    assert aud.scenario["long_run_nrr"] == 1.0
    main, _ = scenario_lines(aud)
    assert "AUD" in main and "$" not in main.replace("ACV $", "")  # amounts in AUD, never in dollars
    # with the value of one US dollar (1.5 AUD): 14,577 / 1.5 = US$9,718, the <$12k band (median NRR 100%)
    conv = Figures(table, None, 200, False, currency="AUD", usd_rate=1.5)
    assert conv.acv_usd == pytest.approx(12 * 25_510 / 21 / 1.5)
    row = conv.bench[conv.bench["table"] == "saas_capital_2023"].iloc[0]
    assert row["row"] == "<$12k" and conv.scenario["long_run_nrr"] == 1.0
    check = next(c for c in conv.scenario["checks"] if c["check"] == "NRR against benchmark")
    assert check["status"] == "flagged" and "US$9,718" in check["detail"]


def test_heatmap_scale_is_fixed_and_marks_values_above_it():
    from matplotlib.figure import Figure

    from nrrkit.pack import charts

    table = pd.DataFrame([[1.0, 0.47, 2.5], [1.0, 0.51, np.nan]], index=["2024Q1", "2024Q2"], columns=[0, 1, 2])
    table.attrs["period"] = "Q"
    ax = Figure().subplots()
    im = charts.heatmap(table, ax)
    assert (im.norm.vmin, im.norm.vcenter, im.norm.vmax) == (0.0, 1.0, 2.0)
    # 47% and 51% are well to the red side (0.235 and 0.255 of the scale, 0.5 being 100%)
    assert im.norm(0.47) == pytest.approx(0.235) and im.norm(0.51) == pytest.approx(0.255)
    texts = [t.get_text() for t in ax.texts]
    assert "▲250%" in texts and "47%" in texts
    assert im.colorbar.extend == "max" and "over" in im.colorbar.ax.get_title(loc="left")


def test_segment_chart_draws_the_company_nrr_and_ticks_on_quarters(small):
    from nrrkit.pack import charts

    _, fig = small
    ax = charts.figure(fig, "segment-nrr").axes[0]
    dashed = [ln for ln in ax.get_lines() if ln.get_linestyle() == "--"]
    assert [ln.get_ydata()[0] for ln in dashed] == [pytest.approx(1.251)]
    labels = [t.get_text() for t in ax.figure.legends[0].get_texts()]
    assert "company NRR 125.1% (all 13 base customers)" in labels
    trend = charts.figure(fig, "nrr-grr-trend")
    trend.canvas.draw()
    ticks = [t.get_text() for t in trend.axes[0].get_xticklabels() if t.get_text()]
    assert ticks and all(t[-2:] in ("01", "04", "07", "10") for t in ticks)
    assert charts.quarter_months(pd.Timestamp("2023-01-01"), pd.Timestamp("2025-12-01"), 8) == (1, 7)
