"""nrrkit: net revenue retention, computed the way an investor recomputes it.

The public API is a handful of functions over the canonical MRR table
(one row per customer per month; see :func:`read_mrr`)::

    import nrrkit as nk
    mrr = nk.read_mrr("revenue.csv")
    nk.bridge(mrr)                      # monthly MRR bridge, reconciled
    nk.retention(mrr, window=12)        # NRR, GRR, logo retention per end month
    nk.compare_methods(mrr)             # why another tool shows another number
    nk.export.pack(mrr, "pack/")        # workbook with formulas, charts, a PDF summary

Definitions: docs/definitions.md in the project, summarised in docs/definitions-in-brief.md.
"""

import sys
import types
from typing import TYPE_CHECKING

from .errors import DataError, DataWarning
from .version import __version__  # noqa: F401 - nrrkit.__version__

# Every name loads on first use (PEP 562): ``nrrkit --help`` answers without importing pandas,
# and charts, widgets and the pack (matplotlib, ipywidgets, xlsxwriter) load only when used.
_SUBMODULES = ("benchmarks", "datasets", "levers", "scenarios", "sources", "plot", "pack", "apps", "io", "sql", "room")
#: Other names of a subpackage: ``nrrkit.export`` is the pack (its first name, kept for old code).
_ALIASES = {"export": "pack"}
_NAMES = {
    "assess": "benchmarks", "compare_to_benchmarks": "benchmarks",
    "cohort_curve": "cohorts", "cohort_milestones": "cohorts", "cohort_table": "cohorts", "layer_cake": "cohorts",
    "accounts": "customers", "concentration": "customers", "nrr_interval": "customers", "top_movers": "customers",
    "Definition": "definitions", "definition": "definitions",
    "LoadReport": "io", "from_subscriptions": "io", "from_invoices": "io", "from_wide": "io", "horizon": "io", "load_report": "io",
    "read_mrr": "io", "through": "io",
    "dashboard": "monitoring", "signals": "monitoring",
    "MOVEMENTS": "movements", "bridge": "movements", "movements": "movements",
    "METHODS": "retention", "compare_methods": "retention", "grr": "retention", "nrr": "retention",
    "retention": "retention",
    "project_arr": "scenarios",
    "mix_shift": "segments", "segment_summary": "segments",
    "plain_table": "tables", "read_table": "tables", "study": "tables", "write_tables": "tables",
}


def __getattr__(name: str):
    import importlib

    if name in _SUBMODULES or name in _ALIASES:
        value = importlib.import_module(f".{_ALIASES.get(name, name)}", __name__)
    elif name in _NAMES:
        value = getattr(importlib.import_module(f".{_NAMES[name]}", __name__), name)
    else:
        raise AttributeError(f"module 'nrrkit' has no attribute {name!r}")
    globals()[name] = value
    return value


class _Package(types.ModuleType):
    """``nrrkit.retention`` and ``nrrkit.movements`` are functions, though modules of the same names exist.

    Importing a submodule sets an attribute of the same name on its package; these two
    properties keep the public functions in place whatever was imported first.
    """

    @property
    def retention(self):
        from .retention import retention

        return retention

    @retention.setter
    def retention(self, _module) -> None:
        pass  # the module stays reachable as sys.modules["nrrkit.retention"]

    @property
    def movements(self):
        from .movements import movements

        return movements

    @movements.setter
    def movements(self, _module) -> None:
        pass


sys.modules[__name__].__class__ = _Package


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_SUBMODULES) | set(_ALIASES) | set(_NAMES))


if TYPE_CHECKING:  # for editors and type checkers: the names as plain imports
    from . import apps, benchmarks, datasets, io, levers, pack, plot, room, scenarios, sources, sql  # noqa: F401
    from . import pack as export  # noqa: F401
    from .benchmarks import assess, compare_to_benchmarks  # noqa: F401
    from .cohorts import cohort_curve, cohort_milestones, cohort_table, layer_cake  # noqa: F401
    from .customers import accounts, concentration, nrr_interval, top_movers  # noqa: F401
    from .definitions import Definition, definition  # noqa: F401
    from .io import LoadReport, from_invoices, from_subscriptions, from_wide, horizon, load_report, read_mrr, through  # noqa: F401
    from .monitoring import dashboard, signals  # noqa: F401
    from .movements import MOVEMENTS, bridge, movements  # noqa: F401
    from .retention import METHODS, compare_methods, grr, nrr, retention  # noqa: F401
    from .scenarios import project_arr  # noqa: F401
    from .segments import mix_shift, segment_summary  # noqa: F401
    from .tables import plain_table, read_table, study, write_tables  # noqa: F401

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
    "pack",
    "room",
    "layer_cake",
    "mix_shift",
    "nrr_interval",
    "segment_summary",
    "signals",
    "top_movers",
    "DataError",
    "DataWarning",
    "Definition",
    "LoadReport",
    "METHODS",
    "MOVEMENTS",
    "bridge",
    "compare_methods",
    "datasets",
    "definition",
    "from_subscriptions",
    "from_invoices",
    "from_wide",
    "grr",
    "horizon",
    "through",
    "sources",
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
