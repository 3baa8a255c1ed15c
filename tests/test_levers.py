"""The lever model (SPEC 5): the article's three tables, sensitivity, tornado, what-if on data."""

from __future__ import annotations

import numpy as np
import pytest

import nrrkit as nk
from nrrkit import levers


def test_annual_and_monthly_churn_compound():
    # 3% a month: 1 - 0.97**12 = 1 - 0.6938424 = 0.3061576 (not 36%)
    assert levers.annual_churn(0.03) == pytest.approx(0.3061576, abs=1e-7)
    assert levers.monthly_churn(0.3061576) == pytest.approx(0.03, abs=1e-7)
    for m in (0.0, 0.005, 0.02, 0.2, 1.0):
        assert levers.monthly_churn(levers.annual_churn(m)) == pytest.approx(m)


@pytest.mark.parametrize("bad", [-0.01, 1.5, float("nan"), "x"])
def test_levers_refuse_values_outside_0_1(bad):
    with pytest.raises(nk.DataError):
        levers.annual_churn(bad)
    with pytest.raises(nk.DataError):
        levers.nrr_from_levers(churn=bad, contraction=0, expansion=0)


def test_nrr_and_grr_from_levers():
    assert levers.nrr_from_levers(churn=0.10, contraction=0.03, expansion=0.20) == pytest.approx(1.07)
    assert levers.grr_from_levers(churn=0.10, contraction=0.03) == pytest.approx(0.87)
    with pytest.raises(nk.DataError, match="cannot exceed"):
        levers.nrr_from_levers(churn=0.7, contraction=0.5, expansion=0)


def test_churn_table_reproduces_001_and_explains_the_rounding():
    t = levers.churn_table().set_index("monthly_churn")
    # the article's printed figures (001, "Impact of Churn Reduction")
    assert (t.annual_churn_article * 100).round().tolist() == [46, 30, 21, 11, 6]
    assert (t.nrr_article * 100).round().tolist() == [64, 80, 89, 99, 104]
    # exact: 1 - (1 - m)**12, then NRR = 1 - annual + 0.10
    exact = {0.05: 0.4596399, 0.03: 0.3061576, 0.02: 0.2152833, 0.01: 0.1136151, 0.005: 0.0583772}
    for m, a in exact.items():
        assert t.loc[m, "annual_churn"] == pytest.approx(a, abs=1e-7)
        assert t.loc[m, "nrr"] == pytest.approx(1 - a + 0.10, abs=1e-7)
    # 79.4% and 88.5% are not the article's 80% and 89%; the other three agree to the percent
    assert t.differs.tolist() == [False, True, True, False, False]
    assert "takes annual churn as 30% (exactly 30.6%)" in t.loc[0.03, "why"]
    assert "prints 80% where the exact figure is 79.4%" in t.loc[0.03, "why"]


def test_expansion_and_contraction_tables_reproduce_001_exactly():
    e = levers.expansion_table()
    assert (e.nrr * 100).round(6).tolist() == [90, 100, 110, 120, 130]
    assert (e.nrr_article * 100).round(6).tolist() == [90, 100, 110, 120, 130] and not e.differs.any()
    c = levers.contraction_table()
    # 1 - 0.05 churn - contraction + 0.10 expansion
    assert (c.nrr * 100).round(6).tolist() == [95, 98, 100, 102, 104]
    assert not c.differs.any()
    assert "Sarah Mitchell" in c.attrs["source"] and "Holy Grail" in c.attrs["source"]


def test_sensitivity_grid_and_frontier():
    g = levers.sensitivity_grid(x="churn", y="expansion", x_values=[0.0, 0.1, 0.2], y_values=[0.0, 0.1, 0.3],
                                fixed={"contraction": 0.05})
    # NRR = 1 - churn - 0.05 + expansion
    assert g.loc[0.3, 0.1] == pytest.approx(1 - 0.1 - 0.05 + 0.3)
    assert g.loc[0.0, 0.2] == pytest.approx(0.75)
    assert g.attrs["fixed"] == {"contraction": 0.05}
    f = levers.break_even(x="churn", y="expansion", x_values=[0.0, 0.1, 0.97], fixed={"contraction": 0.05})
    # NRR = 1  <=>  expansion = churn + contraction
    assert f.expansion.tolist()[:2] == pytest.approx([0.05, 0.15])
    assert np.isnan(f.expansion.iloc[2])  # would need expansion of 0.97 + 0.05 = 1.02 > 1
    for x, y in zip(f.churn[:2], f.expansion[:2]):
        assert levers.nrr_from_levers(churn=x, contraction=0.05, expansion=y) == pytest.approx(1.0)


def test_tornado():
    t = levers.tornado({"churn": 0.10, "contraction": 0.02, "expansion": 0.15}, step=0.05)
    assert t.attrs["base_nrr"] == pytest.approx(1.03)
    swing = dict(zip(t.lever, t.swing))
    # churn and expansion move 5 points each way (10 points); contraction can only fall 2 points
    assert swing["churn"] == pytest.approx(0.10) and swing["expansion"] == pytest.approx(0.10)
    assert swing["contraction"] == pytest.approx(0.07)
    assert t.lever.iloc[-1] == "contraction"  # sorted by swing


def test_what_if_on_the_sample_by_hand():
    mrr = nk.datasets.load_sample()
    r = nk.retention(mrr, by="segment")
    smb = r[(r.month == r.month.max()) & (r.segment == "SMB")].iloc[0]
    w = levers.what_if(mrr, churn=-0.2, by="segment", segment="SMB").set_index("segment")
    # SMB: churn cut by a fifth; NRR_adj = (start + exp - con - 0.8 * churn) / start
    expected = (smb.start_mrr + smb.expansion - smb.contraction - 0.8 * smb.churn) / smb.start_mrr
    assert w.loc["SMB", "nrr_adjusted"] == pytest.approx(expected)
    assert w.loc["SMB", "nrr_change"] == pytest.approx(0.2 * smb.churn / smb.start_mrr)
    # other segments unchanged; the total is the sum of the segments' adjusted amounts
    assert w.loc["Enterprise", "nrr_change"] == 0
    total = nk.retention(mrr).iloc[-1]
    assert w.loc["Total", "nrr"] == pytest.approx(total.nrr)
    assert w.loc["Total", "nrr_adjusted"] == pytest.approx(total.nrr + 0.2 * smb.churn / total.start_mrr)


def test_what_if_refuses_bad_changes():
    mrr = nk.datasets.load_sample()
    with pytest.raises(nk.DataError, match="cannot remove more than all"):
        levers.what_if(mrr, churn=-1.5)
    with pytest.raises(nk.DataError, match="segment= needs by="):
        levers.what_if(mrr, segment="SMB")
    with pytest.raises(nk.DataError, match="no segment 'Startup'"):
        levers.what_if(mrr, by="segment", segment="Startup")


def test_no_source_is_cited_by_a_file_name():
    # Every citation a user can see names a document by title and author, never by a file of ours.
    import re

    from nrrkit import benchmarks, sources
    texts = list(sources.ALL.values()) + [levers.churn_table().attrs["source"]]
    for table in benchmarks.all_tables().values():
        texts += table["source"].unique().tolist()
    for text in texts:
        assert not re.search(r"\.txt|\.md|shared/|seeds", text), text
