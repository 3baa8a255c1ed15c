"""The tiny company (nrrkit.datasets.load_tiny), every figure worked out by hand.

    customer  2024-01 2024-02 2024-03 2024-04
    A (SMB)     100     100     150     150
    B (Ent)     200     150     150       0
    C (SMB)      50       -       -      80
    D (Ent)       -     120     120      60
    E (Ent)       -       -     300     300
    F (SMB)      80      80       -       -
"""

from __future__ import annotations

import pandas as pd
import pytest

import nrrkit as nk


@pytest.fixture(scope="module")
def tiny():
    return nk.datasets.load_tiny()


def test_movements_spelled_out(tiny):
    mv = nk.movements(tiny)
    got = {(r.customer_id, f"{r.month:%Y-%m}"): (r.movement, r.change) for r in mv.itertuples()}
    assert got == {
        ("A", "2024-01"): ("new", 100), ("A", "2024-02"): ("flat", 0),
        ("A", "2024-03"): ("expansion", 50), ("A", "2024-04"): ("flat", 0),
        ("B", "2024-01"): ("new", 200), ("B", "2024-02"): ("contraction", -50),
        ("B", "2024-03"): ("flat", 0), ("B", "2024-04"): ("churn", -150),
        ("C", "2024-01"): ("new", 50), ("C", "2024-02"): ("churn", -50),
        ("C", "2024-04"): ("reactivation", 80),
        ("D", "2024-02"): ("new", 120), ("D", "2024-03"): ("flat", 0), ("D", "2024-04"): ("contraction", -60),
        ("E", "2024-03"): ("new", 300), ("E", "2024-04"): ("flat", 0),
        ("F", "2024-01"): ("new", 80), ("F", "2024-02"): ("flat", 0), ("F", "2024-03"): ("churn", -80),
    }


def test_reactivation_window(tiny):
    # C paid in January, nothing in February and March (2 unpaid months), returns in April
    def c_april(window):
        mv = nk.movements(tiny, reactivation_window=window)
        return mv[(mv.customer_id == "C") & (mv.month == "2024-04")].movement.iloc[0]

    assert c_april(None) == "reactivation"
    assert c_april(2) == "reactivation"  # a gap of 2 is not more than 2
    assert c_april(1) == "new"           # a gap of 2 is more than 1
    b = nk.bridge(tiny, reactivation_window=1)
    assert b.iloc[3][["new", "reactivation"]].tolist() == [80.0, 0.0]


def test_monthly_bridge_by_hand(tiny):
    b = nk.bridge(tiny)
    cols = ["start_mrr", "new", "reactivation", "expansion", "contraction", "churn", "end_mrr"]
    assert b[cols].values.tolist() == [
        # Jan: nothing before the data, so A100 + B200 + C50 + F80 are new
        [0, 430, 0, 0, 0, 0, 430],
        # Feb: 430 + D120 new - B 50 contraction - C 50 churn = 450
        [430, 120, 0, 0, 50, 50, 450],
        # Mar: 450 + E300 new + A 50 expansion - F 80 churn = 720
        [450, 300, 0, 50, 0, 80, 720],
        # Apr: 720 + C80 reactivation - D 60 contraction - B 150 churn = 590
        [720, 0, 80, 0, 60, 150, 590],
    ]
    counts = ["customers_start", "customers_end", "new_customers", "reactivated_customers", "churned_customers"]
    assert b[counts].values.tolist() == [[0, 4, 4, 0, 0], [4, 4, 1, 0, 1], [4, 4, 1, 0, 1], [4, 4, 0, 1, 1]]


def test_quarterly_and_yearly_bridge(tiny):
    q = nk.bridge(tiny, freq="Q")
    # a quarter is its first day, with its label beside it
    assert q.period.tolist() == [pd.Timestamp("2024-01-01"), pd.Timestamp("2024-04-01")]
    assert q.period.dtype == "datetime64[ns]" and q.period_label.tolist() == ["2024-Q1", "2024-Q2"]
    # Q1 = Jan + Feb + Mar movements; start = MRR of Dec 2023 (none) = 0; end = MRR of March = 720
    assert q.iloc[0][["start_mrr", "new", "expansion", "contraction", "churn", "end_mrr"]].tolist() == \
        [0, 850, 50, 50, 130, 720]
    assert q.complete.tolist() == [True, False]  # the data has only April of Q2
    y = nk.bridge(tiny, freq="Y")
    assert y.period.tolist() == [pd.Timestamp("2024-01-01")] and y.period_label.tolist() == ["2024"]
    # 0 + 850 new + 80 reactivation + 50 expansion - 110 contraction - 280 churn = 590
    assert y.iloc[0][["new", "reactivation", "expansion", "contraction", "churn", "end_mrr"]].tolist() == \
        [850, 80, 50, 110, 280, 590]


def test_bridge_by_segment(tiny):
    b = nk.bridge(tiny, by="segment")
    feb = b[b.period == "2024-02"].set_index("segment")
    # SMB: A100 + C50 + F80 = 230, C churns 50 -> 180;  Enterprise: B200 -50 contraction + D120 new = 270
    assert feb.loc["SMB", ["start_mrr", "churn", "end_mrr"]].tolist() == [230, 50, 180]
    assert feb.loc["Enterprise", ["start_mrr", "new", "contraction", "end_mrr"]].tolist() == [200, 120, 50, 270]


def test_window_one_cohort_by_hand(tiny):
    r = nk.retention(tiny, window=1)
    cols = ["customers_start", "customers_retained", "start_mrr", "end_mrr", "expansion", "contraction", "churn"]
    assert r[cols].values.tolist() == [
        [4, 3, 430, 330, 0, 50, 50],   # base Jan {A100,B200,C50,F80}; Feb A100 B150 C0 F80
        [4, 3, 450, 420, 50, 0, 80],   # base Feb {A100,B150,D120,F80}; Mar A150 B150 D120 F0
        [4, 3, 720, 510, 0, 60, 150],  # base Mar {A150,B150,D120,E300}; Apr A150 B0 D60 E300
    ]
    assert r.nrr.tolist() == pytest.approx([330 / 430, 420 / 450, 510 / 720])
    assert r.grr.tolist() == pytest.approx([330 / 430, 370 / 450, 510 / 720])
    assert r.logo_retention.tolist() == [0.75, 0.75, 0.75]


def test_three_month_cohort_by_hand(tiny):
    r = nk.retention(tiny, window=3).iloc[0]
    # base Jan: A100 B200 C50 F80 = 430; April: A150, B0, C80 (churned and back: counts), F0 = 230
    assert (f"{r.month:%Y-%m}", f"{r.base_month:%Y-%m}") == ("2024-04", "2024-01")
    assert (r.start_mrr, r.end_mrr, r.expansion, r.contraction, r.churn) == (430, 230, 80, 0, 280)
    assert r.nrr == pytest.approx(230 / 430)            # 53.49%
    assert r.grr == pytest.approx((430 - 0 - 280) / 430)  # = min(150,100) + min(80,50) = 150 / 430
    assert r.logo_retention == 0.5                       # A and C of 4


def test_every_method_by_hand(tiny):
    def at_april(method, window):
        r = nk.retention(tiny, window=window, method=method)
        return r[r.month == "2024-04"].iloc[0]

    # cohort, window 2, end Apr, base Feb {A100,B150,D120,F80} = 450 -> A150 B0 D60 F0 = 210
    assert at_april("cohort", 2).nrr == pytest.approx(210 / 450)
    # cohort_avg, window 2: windows ending Mar (430 -> 300) and Apr (450 -> 210)
    avg = at_april("cohort_avg", 2)
    assert (avg.start_mrr, avg.end_mrr) == (430 + 450, 300 + 210)
    assert avg.nrr == pytest.approx(510 / 880)
    # compounded, window 2: one-month NRRs of Mar (420/450) and Apr (510/720) multiplied
    assert at_april("compounded", 2).nrr == pytest.approx(420 / 450 * 510 / 720)
    # survivors, window 3: base Jan customers paying in Apr are A (100 -> 150) and C (50 -> 80)
    s = at_april("survivors", 3)
    assert (s.start_mrr, s.end_mrr, s.churn, s.logo_retention) == (150, 230, 0, 1.0)
    # lazy, window 3: (MRR Apr 590 - new 120 - new 300 - reactivation 80) / MRR Jan 430 = 90 / 430
    lazy = at_april("lazy", 3)
    assert lazy.end_mrr == 90 and lazy.nrr == pytest.approx(90 / 430)
    assert (lazy.expansion, lazy.contraction, lazy.churn) == (50, 110, 280)


def test_retention_by_segment_reads_the_base_month(tiny):
    r = nk.retention(tiny, window=1, by="segment")
    feb = r[r.month == "2024-02"].set_index("segment")
    assert feb.loc["SMB", ["start_mrr", "end_mrr"]].tolist() == [230, 180]  # A100 C50 F80 -> A100 F80
    assert feb.loc["Enterprise", ["start_mrr", "end_mrr"]].tolist() == [200, 150]
    total = nk.retention(tiny, window=1)
    assert feb.start_mrr.sum() == total.start_mrr.iloc[0] and feb.end_mrr.sum() == total.end_mrr.iloc[0]


def test_definition_card(tiny):
    card = nk.retention(tiny, window=3, by="segment").attrs["definition"]
    text = str(card)
    for fragment in ("method", "cohort", "window       ", "3 months", "base month", "2024-01", "end month",
                     "2024-04", "month-end MRR snapshot", "reactivation", "segment read at : the base month",
                     "filters", "currency"):
        assert fragment in text, fragment
    assert nk.definition(nk.retention(tiny, window=3)).window == 3


def test_compare_methods(tiny):
    c = nk.compare_methods(tiny, window=1).set_index("method")
    assert list(c.index) == list(nk.METHODS)
    assert c.loc["cohort", "nrr"] == pytest.approx(510 / 720)
    assert c.loc["survivors", "nrr"] == pytest.approx(510 / 570)  # base Mar survivors: A150 D120 E300 = 570 -> A150 D60 E300 = 510
    assert c.loc["survivors", "difference"] == pytest.approx(510 / 570 - 510 / 720)
    assert "1 base customer(s) who stopped paying (150 of MRR)" in c.loc["survivors", "why"]
    assert all(isinstance(w, str) and w.endswith(".") for w in c.why)


def test_a_window_longer_than_the_data_warns_and_says_what_fits():
    # the sample covers 36 months (2023-01 to 2025-12): a 40-month window needs 41, so no end month
    # qualifies; the result is empty, as the CLI's error says, and the warning names a window that fits
    import warnings

    from nrrkit.errors import DataWarning

    mrr = nk.datasets.load_sample()
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        r = nk.retention(mrr, window=40)
    assert r.empty
    assert [str(w.message) for w in seen if issubclass(w.category, DataWarning)] == [
        "no 40-month window fits the data: it covers 36 month(s) and a 40-month window with method cohort needs "
        "at least 41, so the result is empty; try window=12"]
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataWarning)
        assert len(nk.retention(mrr, window=12)) == 24  # end months 2024-01 .. 2025-12: no warning
