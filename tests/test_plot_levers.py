"""The lever and scenario charts draw the numbers the package computes (asserted on the artists)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest

import nrrkit as nk
from nrrkit import levers, plot, scenarios


def test_money_and_percent_labels():
    assert [plot.money(v) for v in (1.2e6, 350_000, 900, 64.08e6, -2.5e6)] == ["$1.2M", "$350K", "$900", "$64.1M",
                                                                               "-$2.5M"]
    assert plot.percent(1.07) == "107%" and plot.percent(0.794, 1) == "79.4%"


def test_sensitivity_heatmap_draws_the_grid_and_the_frontier():
    grid = levers.sensitivity_grid(x="churn", y="expansion", fixed={"contraction": 0.05})
    ax = plot.sensitivity_heatmap(grid)
    image = ax.get_images()[0]
    assert np.allclose(np.asarray(image.get_array()), grid.to_numpy(), equal_nan=True)
    # the frontier: every vertex of the 100% contour satisfies expansion = churn + 0.05 (in grid steps of 5 pts)
    contour = [c for c in ax.collections if hasattr(c, "get_paths") and c.get_paths()]
    vertices = np.vstack([p.vertices for c in contour for p in c.get_paths()])
    x_pts = np.interp(vertices[:, 0], range(len(grid.columns)), grid.columns)
    y_pts = np.interp(vertices[:, 1], range(len(grid.index)), grid.index)
    assert np.allclose(y_pts, x_pts + 0.05, atol=1e-9)
    assert "contraction 5%" in ax.get_title()


def test_tornado_bars_are_the_swings():
    data = levers.tornado({"churn": 0.10, "contraction": 0.02, "expansion": 0.15}, step=0.05)
    ax = plot.tornado(data)
    widths = sorted(round(p.get_width(), 9) for p in ax.patches)
    assert widths == sorted(round(s, 9) for s in data.swing)
    assert ax.lines[0].get_xdata()[0] == pytest.approx(1.03)  # the baseline


def test_scenario_lines_plot_the_projection_and_the_ratio():
    data = scenarios.compare_scenarios({"NRR 105%": dict(start_arr=10e6, nrr=1.05, new_rate=0.2),
                                        "NRR 125%": dict(start_arr=10e6, nrr=1.25, new_rate=0.2)})
    ax = plot.scenario_lines(data)
    high = ax.lines[1]
    assert np.allclose(high.get_ydata()[1:], data["NRR 125%"])
    assert high.get_ydata()[0] == 10e6
    # the ratio is the data's own column, named the way it divides: 64.1M / 30.5M = 2.10x
    assert any("NRR 125% / NRR 105%" in t.get_text() and t.get_text().endswith("2.10x") for t in ax.texts)
    assert ax.yaxis.get_major_formatter()(64.1e6, 0) == "$64.1M"


def test_arr_layers_stack_to_the_projection():
    data = scenarios.layers(10e6, nrr=1.25, new_rate=0.2)
    ax = plot.arr_layers(data)
    tops = {}
    for p in ax.patches:
        x = round(p.get_x() + p.get_width() / 2)
        tops[x] = max(tops.get(x, 0), p.get_y() + p.get_height())
    proj = scenarios.project_arr(10e6, nrr=1.25, new_rate=0.2)
    assert [tops[y] for y in range(1, 6)] == pytest.approx(proj.end_arr.tolist())


def test_charts_share_an_axes_and_leave_global_style_alone():
    before = dict(plt.rcParams)
    fig, (a, b) = plt.subplots(1, 2)
    assert plot.tornado(levers.tornado({"churn": 0.1, "contraction": 0.05, "expansion": 0.2}), ax=a) is a
    assert plot.arr_layers(scenarios.layers(1e6, nrr=1.1, new_rate=0.3), ax=b) is b
    assert dict(plt.rcParams) == before
    with pytest.raises(nk.DataError, match="needs the DataFrame"):
        plot.tornado(None)
