"""The fundraising pack (kept under its first name): ``nrrkit.export.pack`` is :func:`nrrkit.pack.pack`.

The pack lives in the :mod:`nrrkit.pack` subpackage, one module per part (figures,
workbook, charts, page, pdf, anonymize, folder); this module re-exports its public names.
"""

from __future__ import annotations

from .pack import CHARTS, OUTPUTS, PDF, SUMMARY, WORKBOOK, anonymize, pack, pseudonyms

__all__ = ["pack", "pseudonyms", "anonymize", "WORKBOOK", "SUMMARY", "PDF", "CHARTS", "OUTPUTS"]
