"""Benchmarks (SPEC 7), warning signals and the dashboard (SPEC 8), on companies built to trip them."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import nrrkit as nk
from nrrkit import benchmarks


def company(schedule: dict[str, list[float]], segment: str = "Enterprise"):
    """Customers with MRR month by month from 2023-01 (0 = no row)."""
    rows = [(c, str(pd.Period("2023-01", "M") + i), v, segment)
            for c, values in schedule.items() for i, v in enumerate(values) if v > 0]
    return nk.read_mrr(pd.DataFrame(rows, columns=["customer_id", "month", "mrr", "segment"]), max_month="2030-12")


# one customer, 100 for a year, then 99, 98, 97, 96, 95: NRR falls every month and sits under 100%
DECLINING = company({"x": [100] * 12 + [99, 98, 97, 96, 95]})
# five customers at 100; in month 12 a falls to 70; in 13 b leaves; in 14 c leaves
LEAKY = company({"a": [100] * 12 + [70, 70, 70], "b": [100] * 13, "c": [100] * 14, "d": [100] * 15,
                 "e": [100] * 15})


def test_tables_carry_source_year_and_definition():
    for name, t in benchmarks.all_tables().items():
        assert {"source", "year", "definition"} <= set(t.columns), name
        assert t.source.str.len().min() > 10 and t.definition.str.len().min() > 10
    sc = benchmarks.SAAS_CAPITAL_2023
    assert (sc.median_nrr * 100).round().tolist() == [100, 102, 103, 105, 107, 110]
    assert (sc.median_grr * 100).round().tolist() == [90, 90, 92, 93, 93, 93]
    b = benchmarks.BESSEMER_2019.set_index("segment")
    assert b.loc["SMB", ["grr_low", "grr_high", "nrr_low", "nrr_high"]].tolist() == [0.70, 0.80, 0.80, 1.00]
    assert b.loc["Enterprise", "nrr_low"] == 1.0 and math.isinf(b.loc["Enterprise", "nrr_high"])
    assert benchmarks.STAGES.set_index("stage").loc["Series B", "target_nrr"] == 1.15
    assert benchmarks.COMPANIES.set_index("company").loc["Snowflake", "nrr_low"] == 1.69


@pytest.mark.parametrize("nrr,level", [(0.999, "Concerning"), (1.0, "Basic"), (1.0499, "Basic"), (1.05, "Good"),
                                       (1.15, "Great"), (1.2499, "Great"), (1.25, "Excellent"), (1.40, "World-class"),
                                       (1.69, "World-class")])
def test_assess_lower_bound_inclusive(nrr, level):
    assert nk.assess(nrr) == level


def test_assess_refuses_percentages():
    with pytest.raises(nk.DataError, match="fractions in nrrkit"):
        nk.assess(107)


def test_compare_to_benchmarks_by_hand():
    c = nk.compare_to_benchmarks(nrr=1.12, grr=0.88, stage="Series A", segment="SMB", acv=30_000)
    got = {(r.table, r.metric): (r.benchmark, r.position) for r in c.itertuples()}
    assert got[("levels", "nrr")] == ("105%-115%", "within")                   # Good
    assert got[("stages", "nrr")] == ("target 110%+, typical 105%-115%", "within")
    assert got[("segments", "nrr")] == ("100%-110%", "above")                  # SMB 100-110%
    assert got[("bessemer_2019", "nrr")] == ("80%-100%", "above")
    assert got[("bessemer_2019", "grr")] == ("70%-80%", "above")
    assert got[("saas_capital_2023", "nrr")] == ("median 103%", "above")      # $25-50k band
    assert got[("saas_capital_2023", "grr")] == ("median 92%", "below")
    assert c.caveat.str.contains("defines NRR its own way").all()
    with pytest.raises(nk.DataError, match="unknown stage"):
        nk.compare_to_benchmarks(nrr=1.1, stage="Series Z")


def test_declining_nrr_is_critical():
    s = nk.signals(DECLINING)
    crit = s[s.level == "critical"]
    # end months 2024-01..05 have NRR 99, 98, 97, 96, 95%: three falls in a row by 2024-04 and 2024-05
    assert sorted(f"{m:%Y-%m}" for m in crit.month) == ["2024-04", "2024-05"]
    assert crit.iloc[0].value == pytest.approx(0.95)
    assert "fallen three months running, to 95.0% (from 98.0%)" in crit.iloc[0].message
    # expansion is 0 every month: a medium signal each month; contraction 1-5% never over 5%
    assert (s[s.metric == "expansion_rate"].level == "medium").sum() == 5
    assert s[s.metric == "contraction_rate"].empty and s[s.metric == "grr"].empty
    assert s.level.map({"critical": 0, "high": 1, "medium": 2}).groupby(s.month).is_monotonic_increasing.all()


def test_grr_churn_and_contraction_signals():
    s = nk.signals(LEAKY)
    by = {(f"{r.month:%Y-%m}", r.metric): r for r in s.itertuples()}
    # 2024-01: a 100 -> 70: contraction 30 / 500 = 6% (> 5%); GRR 94% is fine
    assert by[("2024-01", "contraction_rate")].value == pytest.approx(0.06)
    assert ("2024-01", "grr") not in by
    # 2024-02: b gone too: GRR (500 - 30 - 100) / 500 = 74%
    assert by[("2024-02", "grr")].value == pytest.approx(0.74) and by[("2024-02", "grr")].level == "high"
    # churned MRR 0 -> 100 is not "up 20%" (nothing to compare with); 100 -> 200 is +100%
    assert ("2024-02", "churn") not in by
    assert by[("2024-03", "churn")].value == pytest.approx(1.0)
    assert "rose 100.0% on the month before (100 to 200)" in by[("2024-03", "churn")].message
    assert s[s.level == "critical"].empty  # only two falls in a row


def test_enterprise_signal_and_last():
    s = nk.signals(LEAKY, enterprise="Enterprise")
    ent = s[s.segment == "Enterprise"]
    assert ent.value.tolist() == pytest.approx([0.54, 0.74, 0.94])  # newest first
    assert (ent.level == "high").all()
    assert set(nk.signals(LEAKY, last=1).month.dt.strftime("%Y-%m")) == {"2024-03"}
    with pytest.raises(nk.DataError, match="no segment 'Ent'"):
        nk.signals(LEAKY, enterprise="Ent")


def test_dashboard_by_hand():
    d = nk.dashboard(DECLINING).set_index("metric")
    # 2024-05 against 2024-02: NRR 95% (was 98%)
    assert d.loc["Overall NRR", "current"] == pytest.approx(0.95)
    assert d.loc["Overall NRR", "change_3m"] == pytest.approx(-0.03)
    assert d.loc["Overall NRR", ["trend", "status"]].tolist() == ["↓", "below target"]
    assert d.loc["GRR", ["current", "status"]].tolist() == [pytest.approx(0.95), "on target"]
    assert d.loc["Expansion rate", "current"] == 0 and d.loc["Logo retention", "current"] == 1
    assert d.loc["Revenue churn", ["current", "status"]].tolist() == [0, "on target"]
    assert d.loc["GRR", "target"] == 0.90 and d.loc["Overall NRR", "target"] == 1.15
    assert np.isnan(nk.dashboard(LEAKY).set_index("metric").loc["GRR", "change_3m"])  # no month 3 back
