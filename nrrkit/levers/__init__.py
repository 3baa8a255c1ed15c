"""NRR's levers (docs/definitions.md, section 5).

- :mod:`.model`: the annual lever model, ``NRR = 1 - churn - contraction + expansion``, the
  reference tables, the sensitivity grid, the 100% frontier, the tornado and the what-if on
  measured amounts;
- :mod:`.measured`: the levers on the company's own data: how far each moved, what a segment's
  lever weighs in company NRR, where to spend, and the non-linear side (monthly churn
  compounding, logo against revenue churn).
"""

from __future__ import annotations

from .measured import (
                       BETTER,
                       churn_compounding,
                       lever_ranges,
                       lever_rates,
                       logo_and_revenue_churn,
                       measured_tornado,
                       segment_weights,
                       where_to_spend,
)
from .model import (
                       ARTICLE_CHURN,
                       ARTICLE_CONTRACTION,
                       ARTICLE_EXPANSION,
                       LEVERS,
                       SOURCE,
                       annual_churn,
                       break_even,
                       churn_table,
                       contraction_table,
                       expansion_table,
                       grr_from_levers,
                       monthly_churn,
                       nrr_from_levers,
                       sensitivity_grid,
                       tornado,
                       what_if,
)

__all__ = [
    "annual_churn", "monthly_churn", "nrr_from_levers", "grr_from_levers",
    "churn_table", "expansion_table", "contraction_table",
    "sensitivity_grid", "break_even", "tornado", "measured_tornado", "what_if", "LEVERS",
    "lever_rates", "lever_ranges", "segment_weights", "where_to_spend", "churn_compounding",
    "logo_and_revenue_churn", "BETTER", "SOURCE", "ARTICLE_CHURN", "ARTICLE_EXPANSION", "ARTICLE_CONTRACTION",
]
