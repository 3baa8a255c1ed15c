"""Charts: ``nrrkit.plot.<chart>(data, *, ax=None, ...) -> Axes``.

Every function draws on ``ax`` (a new figure when None) and returns it, so charts
sit side by side like any matplotlib axes.  One house style: a small palette with
one colour per movement used everywhere, rates on percent axes, money as $1.2M.
Styling is applied with a local ``rc_context``; nothing global is changed.

The charts of the measures are in :mod:`.measures`, those of the levers and scenarios in
:mod:`.levers`, the house style (colours, money and percent labels) in :mod:`.style`.
"""

from __future__ import annotations

from .levers import arr_layers, scenario_lines, segment_levers, sensitivity_heatmap, spend_lines, tornado
from .measures import bridge_waterfall, cohort_curves, cohort_heatmap, layer_cake, nrr_trend, segment_bars, top_movers
from .style import COLORS, money, money_exact, percent

__all__ = [
    "COLORS", "money", "money_exact", "percent", "sensitivity_heatmap", "tornado", "scenario_lines", "spend_lines",
    "arr_layers", "segment_levers",
    "bridge_waterfall", "nrr_trend", "cohort_heatmap", "cohort_curves", "layer_cake", "segment_bars", "top_movers",
]
