"""Every app driven in plain pytest: set widget values, read the numbers it shows."""

from __future__ import annotations

import re

import pytest

import nrrkit as nk
from nrrkit import apps, levers, scenarios


def kpi(app, name: str) -> str:
    m = re.search(rf"data-name='{re.escape(name)}'[^>]*>([^<]*)<", app.kpi.value)
    assert m, app.kpi.value
    return m.group(1)


def test_calculator_shows_the_107_example_and_reacts():
    app = apps.NRRCalculator()  # 100K start, 15K expansion, 3K contraction, 5K churn
    assert kpi(app, "NRR") == "107.0%" and kpi(app, "GRR") == "92.0%" and kpi(app, "assessment") == "Good"
    app.expansion.value = 20_000
    app.churn.value = 7_000   # the GRR 90% / NRR 110% example
    assert kpi(app, "NRR") == "110.0%" and kpi(app, "GRR") == "90.0%"
    heights = [p.get_height() for p in app.ax.patches]  # the bridge chart was redrawn
    assert heights[0] == 100_000 and heights[3] == 20_000 and heights[-1] == 100_000 + 20_000 - 3_000 - 7_000
    app.start.value = 0
    assert "starting MRR must be above 0" in app.error and "starting MRR must be above 0" in app.message.value
    app.start.value = 100_000
    assert app.error == "" and kpi(app, "NRR") == "110.0%"


def test_lever_explorer_monthly_basis():
    app = apps.LeverExplorer(churn=0.10, contraction=0.03, expansion=0.15)
    assert kpi(app, "NRR") == "102.0%"  # 1 - 0.10 - 0.03 + 0.15
    app.basis.value = "monthly churn"      # converts 10% a year to 0.874% a month
    assert app.churn.value == pytest.approx(levers.monthly_churn(0.10), abs=5e-5)
    app.churn.value = 0.03                 # 3% a month = 30.6% a year
    assert kpi(app, "annual churn") == "30.6%"
    assert app.values["nrr"] == pytest.approx(1 - levers.annual_churn(0.03) - 0.03 + 0.15)
    app.expansion.value = 0.40
    assert kpi(app, "NRR") == f"{(1 - levers.annual_churn(0.03) - 0.03 + 0.40) * 100:.1f}%"


def test_scenario_explorer_matches_project_arr():
    app = apps.ScenarioExplorer(start_arr=10e6, nrr=1.25, new_rate=0.2, years=5)
    assert kpi(app, "ARR after 5 years") == "$64.1M"
    expected = scenarios.project_arr(10e6, nrr=1.25, new_rate=0.2).end_arr.iloc[-1] / \
        scenarios.project_arr(10e6, nrr=1.0, new_rate=0.2).end_arr.iloc[-1]
    assert kpi(app, "vs NRR 100%") == f"{expected:.2f}x"
    app.nrr.value = 1.05
    assert kpi(app, "ARR after 5 years") == "$30.5M"
    app.decay.value = 0.5  # 105% decaying halfway to 100% each year
    sched = scenarios.nrr_schedule(1.05, floor=1.0, decay=0.5)
    assert app.values["end_arr"] == pytest.approx(
        scenarios.project_arr(10e6, nrr=sched, new_rate=0.2).end_arr.iloc[-1])


def test_retention_explorer_on_the_sample():
    mrr = nk.datasets.load_sample()
    app = apps.RetentionExplorer(mrr)
    last = nk.retention(mrr).iloc[-1]
    assert kpi(app, "NRR") == f"{last.nrr * 100:.1f}%" and kpi(app, "end month") == "2025-12"
    app.window.value = 3
    assert app.values["nrr"] == pytest.approx(nk.retention(mrr, window=3).iloc[-1].nrr)
    app.segment_by.value = "segment"
    app.segment.value = "SMB"
    smb = nk.retention(mrr, window=3, by="segment")
    smb = smb[smb.segment == "SMB"].iloc[-1]
    assert kpi(app, "NRR") == f"{smb.nrr * 100:.1f}%"
    app.method.value = "survivors"
    assert app.values["grr"] <= 1


def test_cohort_explorer():
    mrr = nk.datasets.load_sample()
    app = apps.CohortExplorer(mrr)
    curve = nk.cohort_curve(mrr, period="Q").set_index("age")
    assert kpi(app, "quarter 4, all cohorts") == f"{curve.loc[4, 'value'] * 100:.1f}%"
    app.metric.value = "logos"
    curve = nk.cohort_curve(mrr, metric="logos", period="Q").set_index("age")
    assert kpi(app, "quarter 1, all cohorts") == f"{curve.loc[1, 'value'] * 100:.1f}%"


def test_segment_explorer():
    mrr = nk.datasets.load_sample()
    app = apps.SegmentExplorer(mrr)
    seg = nk.segment_summary(mrr, app.by.value)
    assert kpi(app, "company NRR") == f"{seg.nrr.iloc[-1] * 100:.1f}%"
    app.by.value = "pricing"
    app.window.value = 3
    seg = nk.segment_summary(mrr, "pricing", window=3)
    assert kpi(app, "company NRR") == f"{seg.nrr.iloc[-1] * 100:.1f}%"
    assert kpi(app, "average of segments") == f"{seg.attrs['average_of_segments'] * 100:.1f}%"
    assert kpi(app, "segments") == "2"  # seat and usage
