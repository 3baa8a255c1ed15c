"""Properties that must hold for any MRR table, checked with hypothesis, and a cross-check
of every method against the naive reference implementation in tests/reference.py."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import nrrkit as nk

from . import reference

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
AMOUNTS = st.sampled_from([0.0, 0.0, 0.0, 10.0, 25.0, 40.0, 99.5, 100.0, 250.0, 1000.0])


@st.composite
def tables(draw, fixed_segments: bool = False):
    n_c = draw(st.integers(1, 7))
    n_m = draw(st.integers(2, 15))
    start = draw(st.integers(0, 11))
    rows = []
    for c in range(n_c):
        fixed = draw(st.sampled_from(["SMB", "Mid", "Ent"]))
        for m in range(n_m):
            v = draw(AMOUNTS)
            explicit_zero = draw(st.booleans())
            if v > 0 or explicit_zero:
                seg = fixed if fixed_segments else draw(st.sampled_from(["SMB", "Mid", "Ent"]))
                rows.append((f"cust{c}", pd.Period("2022-01", "M") + start + m, v, seg))
    if not rows or sum(r[2] for r in rows) == 0:
        rows.append(("cust0", pd.Period("2022-01", "M") + start, 10.0, "SMB"))
    frame = pd.DataFrame(rows, columns=["customer_id", "month", "mrr", "segment"])
    return nk.read_mrr(frame)


def _close(a, b):
    return np.allclose(np.asarray(a, dtype=float), np.asarray(b, dtype=float), rtol=1e-12, atol=1e-9,
                       equal_nan=True)


def _identity(b: pd.DataFrame) -> np.ndarray:
    return (b.start_mrr + b.new + b.reactivation + b.expansion - b.contraction - b.churn - b.end_mrr).to_numpy()


@SETTINGS
@given(tables(), st.sampled_from(["M", "Q", "Y"]), st.sampled_from([None, "segment"]))
def test_bridge_identity_every_period_and_segment(table, freq, by):
    b = nk.bridge(table, freq=freq, by=by)
    assert _close(_identity(b), 0)
    counts = b.customers_start + b.new_customers + b.reactivated_customers - b.churned_customers
    assert (counts == b.customers_end).all()
    # segments add up to the total, period by period
    if by:
        total = nk.bridge(table, freq=freq)
        summed = b.groupby("period")[["start_mrr", "new", "churn", "end_mrr"]].sum()
        assert _close(summed.values, total.set_index("period").loc[summed.index, summed.columns].values)


@SETTINGS
@given(tables())
def test_quarterly_bridge_is_the_sum_of_monthly(table):
    m = nk.bridge(table, freq="M")
    q = nk.bridge(table, freq="Q")
    m["q"] = m.period.dt.to_period("Q").dt.start_time  # each month's quarter, as its first day
    assert (q.period.dt.month % 3 == 1).all() and (q.period.dt.day == 1).all()
    for row in q.itertuples():
        inside = m[m.q == row.period]
        for col in ("new", "reactivation", "expansion", "contraction", "churn", "new_customers", "churned_customers"):
            assert _close(getattr(row, col), inside[col].sum())
        assert _close(row.start_mrr, inside.start_mrr.iloc[0])
        assert _close(row.end_mrr, inside.end_mrr.iloc[-1])


@SETTINGS
@given(tables(), st.integers(1, 6))
def test_grr_at_most_one_and_at_most_nrr(table, window):
    r = nk.retention(table, window=window)
    r = r[r.start_mrr > 0]
    assert (r.grr <= 1 + 1e-12).all()
    assert (r.grr <= r.nrr + 1e-12).all()
    assert (r.grr >= -1e-12).all()
    assert ((r.logo_retention >= 0) & (r.logo_retention <= 1)).all()
    # NRR = (start + expansion - contraction - churn) / start, as the spec writes it
    assert _close(r.nrr, (r.start_mrr + r.expansion - r.contraction - r.churn) / r.start_mrr)


@SETTINGS
@given(tables(), st.integers(1, 5), st.sampled_from(["cohort", "cohort_avg", "survivors", "lazy"]))
def test_segment_totals_recombine_exactly(table, window, method):
    total = nk.retention(table, window=window, method=method).set_index("month")
    seg = nk.retention(table, window=window, method=method, by="segment")
    sums = seg.groupby("month")[["start_mrr", "end_mrr", "expansion", "contraction", "churn",
                                 "customers_start", "customers_retained"]].sum()
    nonzero = total[total.customers_start > 0]
    assert _close(sums.loc[nonzero.index].values, nonzero[sums.columns].values)
    # the recombined ratio is the unsegmented ratio: sums of numerators over sums of denominators
    assert _close((sums.end_mrr / sums.start_mrr).loc[nonzero.index], nonzero.nrr)


@SETTINGS
@given(tables(), st.randoms(use_true_random=False))
def test_invariant_under_row_order_and_relabelling(table, rnd):
    order = list(range(len(table)))
    rnd.shuffle(order)
    shuffled = table.iloc[order].reset_index(drop=True)
    ids = sorted(table.customer_id.unique())
    new_ids = [f"z{rnd.randint(0, 10**9)}_{i}" for i in range(len(ids))]
    relabelled = shuffled.assign(customer_id=shuffled.customer_id.map(dict(zip(ids, new_ids))))
    for w in (1, 3):
        a = nk.retention(table, window=w)
        b = nk.retention(relabelled, window=w)
        assert _close(a[["start_mrr", "end_mrr", "nrr", "grr", "logo_retention"]].values,
                      b[["start_mrr", "end_mrr", "nrr", "grr", "logo_retention"]].values)
    assert _close(nk.bridge(table).iloc[:, 1:8].values, nk.bridge(relabelled).iloc[:, 1:8].values)


@SETTINGS
@given(tables(), st.sampled_from([0.5, 3.0, 1000.0, 1 / 12]))
def test_scaling_leaves_every_rate_unchanged(table, k):
    scaled = table.assign(mrr=table.mrr * k)
    for method in nk.METHODS:
        a = nk.retention(table, window=2, method=method)
        b = nk.retention(scaled, window=2, method=method)
        assert _close(a[["nrr", "grr", "logo_retention"]].values, b[["nrr", "grr", "logo_retention"]].values)


@SETTINGS
@given(tables())
def test_window_one_cohort_equals_the_bridge_for_existing_customers(table):
    r = nk.retention(table, window=1).set_index("month")
    b = nk.bridge(table).set_index("period").iloc[1:]  # the first month has no month before it
    b = b[b.start_mrr > 0]
    from_bridge = (b.start_mrr + b.expansion - b.contraction - b.churn) / b.start_mrr
    assert _close(r.loc[b.index, "nrr"], from_bridge)


@SETTINGS
@given(tables(), st.sampled_from([None, 0, 1, 2]))
def test_movements_match_the_reference(table, window):
    ref = reference.movements(table, reactivation_window=window)
    mv = nk.movements(table, reactivation_window=window)
    got = {(r.customer_id, reference.month_number(r.month)): (r.movement, r.change) for r in mv.itertuples()}
    assert got.keys() == ref.keys()
    for key, (kind, change) in ref.items():
        assert got[key][0] == kind
        assert _close(got[key][1], change)


@SETTINGS
@given(tables(), st.integers(1, 4), st.sampled_from(list(nk.METHODS)))
def test_every_method_matches_the_reference(table, window, method):
    r = nk.retention(table, window=window, method=method)
    for row in r.itertuples():
        try:
            expected = reference.nrr(table, reference.month_number(row.month), window, method)
        except ZeroDivisionError:
            expected = np.nan
        assert _close(row.nrr, expected), (method, f"{row.month:%Y-%m}")


@SETTINGS
@given(st.lists(st.tuples(st.sampled_from("abc"), st.sampled_from(["2024-01", "2024-02"]),
                          st.decimals(0, 10_000, places=2).map(str)), min_size=1, max_size=12))
def test_money_in_equals_money_out(rows):
    frame = pd.DataFrame(rows, columns=["customer_id", "month", "mrr"])
    table = nk.read_mrr(frame, max_month="2024-02")
    assert table.mrr.sum() == pytest.approx(sum(float(v) for _, _, v in rows), abs=1e-9)
    report = nk.load_report(table)
    assert report.rows_read - report.rows_summed == len(table)


def test_sample_company_properties():
    mrr = nk.datasets.load_sample()
    b = nk.bridge(mrr, by="segment")
    assert np.abs(_identity(b)).max() < 1e-6
    r = nk.retention(mrr, by="segment")
    last = r[r.month == r.month.max()].set_index("segment")
    # the segments land near the reference table of 001 (102% / 115% / 125%)
    assert last.loc["SMB", "nrr"] == pytest.approx(1.02, abs=0.03)
    assert last.loc["Mid-Market", "nrr"] == pytest.approx(1.15, abs=0.03)
    assert last.loc["Enterprise", "nrr"] == pytest.approx(1.25, abs=0.03)
    # averaging the three percentages is not the company's NRR
    total = nk.retention(mrr).iloc[-1]
    assert total.nrr == pytest.approx(last.end_mrr.sum() / last.start_mrr.sum(), rel=1e-12)
    assert abs(last.nrr.mean() - total.nrr) > 0.01
