"""nrrkit: net revenue retention, computed the way an investor recomputes it.

The public API is a handful of functions over the canonical MRR table
(one row per customer per month; see :func:`read_mrr`)::

    import nrrkit as nk
    mrr = nk.read_mrr("revenue.csv")
    nk.bridge(mrr)                      # monthly MRR bridge, reconciled
    nk.retention(mrr, window=12)        # NRR, GRR, logo retention per end month
    nk.compare_methods(mrr)             # why another tool shows another number
    nk.export.pack(mrr, "pack/")        # workbook with formulas, charts, one-page summary

Definitions: docs/definitions.md in the project, summarised in the README.
"""

from . import benchmarks, datasets, export, levers, plot, scenarios
from .benchmarks import assess, compare_to_benchmarks
from .cohorts import cohort_curve, cohort_milestones, cohort_table, layer_cake
from .customers import accounts, concentration, nrr_interval, top_movers
from .definitions import Definition, definition
from .errors import DataError
from .loading import LoadReport, from_subscriptions, from_wide, load_report, read_mrr
from .monitoring import dashboard, signals
from .movements import MOVEMENTS, bridge, movements
from .retention import METHODS, compare_methods, grr, nrr, retention
from .scenarios import project_arr
from .segments import mix_shift, segment_summary

__version__ = "0.1.0"

__all__ = [
    "accounts",
    "assess",
    "benchmarks",
    "cohort_curve",
    "cohort_milestones",
    "cohort_table",
    "compare_to_benchmarks",
    "concentration",
    "dashboard",
    "export",
    "layer_cake",
    "mix_shift",
    "nrr_interval",
    "segment_summary",
    "signals",
    "top_movers",
    "DataError",
    "Definition",
    "LoadReport",
    "METHODS",
    "MOVEMENTS",
    "bridge",
    "compare_methods",
    "datasets",
    "definition",
    "from_subscriptions",
    "from_wide",
    "grr",
    "load_report",
    "movements",
    "levers",
    "nrr",
    "plot",
    "project_arr",
    "read_mrr",
    "retention",
    "scenarios",
]
