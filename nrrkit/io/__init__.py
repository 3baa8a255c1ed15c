"""Reading revenue data into the canonical MRR table (docs/definitions.md, section 1).

One idea per file:

- :mod:`~nrrkit.io.files`: CSV, Excel, Parquet or a DataFrame into cells with the row
  numbers a person sees (title rows above the header skipped and reported);
- :mod:`~nrrkit.io.columns`: finding the columns, with suggestions by whole-name similarity;
- :mod:`~nrrkit.io.long`, :mod:`~nrrkit.io.wide`, :mod:`~nrrkit.io.lines`: the shapes;
- :mod:`~nrrkit.io.exports`: known billing exports (a profile per vendor) and the status list;
- :mod:`~nrrkit.io.terms`: what a subscription line really pays (trials, discounts, ends);
- :mod:`~nrrkit.io.filters`: ``where=`` row filters and the columns nobody used;
- :mod:`~nrrkit.io.totals`: rows and columns that are not customers or months;
- :mod:`~nrrkit.io.horizon`: the span of months a table covers;
- :mod:`~nrrkit.io.report`: the load report;
- :mod:`~nrrkit.io.read`: the front door, :func:`read_mrr`, which detects the shape.

Every reader validates at the boundary, once, and either returns the table or raises
:class:`nrrkit.DataError` with a one-line message.  Nothing is dropped or changed silently:
whatever was normalised or left out is in the load report (``table.attrs["load_report"]``).
"""

from .exports import PROFILES, STATUS_RULES
from .horizon import horizon, through
from .invoices import from_invoices
from .read import SHAPES, read_mrr
from .report import LoadReport, load_report
from .subscriptions import INTERVAL_FACTORS, NOT_REVENUE, from_subscriptions
from .wide import from_wide

__all__ = ["read_mrr", "from_wide", "from_subscriptions", "from_invoices", "NOT_REVENUE", "LoadReport", "load_report", "horizon", "through",
           "SHAPES", "INTERVAL_FACTORS", "PROFILES", "STATUS_RULES"]
