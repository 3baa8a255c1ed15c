"""The readers moved to :mod:`nrrkit.io`; this module keeps the old import path working."""

from .io import INTERVAL_FACTORS, LoadReport, from_invoices, from_subscriptions, from_wide, load_report, read_mrr  # noqa: F401

__all__ = ["read_mrr", "from_wide", "from_subscriptions", "LoadReport", "load_report", "INTERVAL_FACTORS"]
