"""Five-year ARR compounding (docs/definitions.md, section 6).

    ARR[y + 1] = ARR[y] * NRR[y] + NEW[y]

- :mod:`.projection`: :func:`project_arr`, :func:`compare_scenarios`, :func:`layers`,
  :func:`ceiling`, the NRR paths :func:`nrr_schedule` and :func:`nrr_fade`;
- :mod:`.calibration`: :func:`calibrate`, a scenario measured from the data, with the months
  each figure comes from, a source for every assumed level, checks and cautions, and a
  defensible default path (new business held at last year's dollars, NRR fading to a
  benchmark level).
"""

from __future__ import annotations

from .calibration import (
           FADE_YEARS,
           FAR_ABOVE,
           MIN_HISTORY,
           PATHS,
           STATUSES,
           Scenario,
           acv_band,
           calibrate,
           describe_new_business,
           describe_nrr,
)
from .projection import ceiling, compare_scenarios, layers, nrr_fade, nrr_schedule, project_arr

__all__ = ["project_arr", "compare_scenarios", "layers", "ceiling", "nrr_schedule", "nrr_fade", "calibrate",
           "Scenario", "describe_new_business", "describe_nrr", "acv_band", "MIN_HISTORY", "FAR_ABOVE",
           "FADE_YEARS", "PATHS", "STATUSES"]
