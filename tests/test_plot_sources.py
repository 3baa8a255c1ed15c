"""The charts of where NRR comes from draw exactly the package's numbers (asserted on the artists)."""

from __future__ import annotations

import numpy as np
import pytest

import nrrkit as nk
from nrrkit import plot


@pytest.fixture(scope="module")
def sample():
    return nk.datasets.load_sample()


def test_bridge_waterfall_bars_equal_the_bridge(sample):
    b = nk.bridge(sample).tail(12)
    ax = plot.bridge_waterfall(b)
    bars = ax.patches
    heights = [p.get_height() for p in bars]
    assert heights[0] == pytest.approx(b.start_mrr.iloc[0])
    assert heights[1:6] == pytest.approx([b.new.sum(), b.reactivation.sum(), b.expansion.sum(),
                                          b.contraction.sum(), b.churn.sum()])
    assert heights[6] == pytest.approx(b.end_mrr.iloc[-1])
    # the churn bar hangs from the running level: its bottom + height = start + new + react + exp - con
    level = b.start_mrr.iloc[0] + b.new.sum() + b.reactivation.sum() + b.expansion.sum() - b.contraction.sum()
    assert bars[5].get_y() + bars[5].get_height() == pytest.approx(level)
    assert ax.get_title() == "MRR bridge, 2025-01 to 2025-12"


def test_nrr_trend_draws_the_series_and_the_definition(sample):
    r = nk.retention(sample)
    ax = plot.nrr_trend(r)
    nrr_line, grr_line = ax.lines[0], ax.lines[1]
    assert np.allclose(nrr_line.get_ydata(), r.nrr) and np.allclose(grr_line.get_ydata(), r.grr)
    assert any("window 12 months" in t.get_text() for t in ax.texts)
    assert any(t.get_text().strip() == "Great" for t in ax.texts)  # a benchmark band


def test_cohort_heatmap_array_is_the_table(sample):
    t = nk.cohort_table(sample, period="Q")
    ax = plot.cohort_heatmap(t)
    arr = ax.get_images()[0].get_array()
    assert np.allclose(arr.filled(np.nan), t.to_numpy(), equal_nan=True)
    assert arr.mask.sum() == t.isna().sum().sum()  # missing cells stay empty, not 0


def test_cohort_curves_bold_line_is_the_curve(sample):
    t = nk.cohort_table(sample)
    c = nk.cohort_curve(sample)
    ax = plot.cohort_curves(t, curve=c)
    bold = [ln for ln in ax.lines if ln.get_linewidth() > 2][0]
    assert np.allclose(bold.get_ydata(), c.value)


def test_layer_cake_stacks_to_total_mrr(sample):
    cake = nk.layer_cake(sample)
    ax = plot.layer_cake(cake)
    top = ax.collections[-1].get_paths()[0].vertices[:, 1].max()
    assert top == pytest.approx(cake.sum(axis=1).max())


def test_segment_bars_and_top_movers(sample):
    s = nk.segment_summary(sample, "segment")
    ax = plot.segment_bars(s)
    heights = [p.get_height() for p in ax.patches]
    assert heights[: len(s)] == pytest.approx(s.nrr.tolist()) and heights[len(s):] == pytest.approx(s.grr.tolist())
    tm = nk.top_movers(sample, 5)
    ax = plot.top_movers(tm)
    assert sorted(p.get_width() for p in ax.patches) == pytest.approx(sorted(tm.change))
