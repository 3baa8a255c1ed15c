"""The documents nrrkit takes its reference figures from, cited so a reader can find them.

Each constant is the citation printed next to a figure that comes from that document
(benchmark tables, lever tables, the five-year example, warning-signal thresholds).
The definitions themselves are restated in the project's own words in
``docs/definitions.md``.
"""

from __future__ import annotations

__all__ = ["MITCHELL_2026", "COMMONS_OS_2026", "VENMATE_2025", "PATEL", "SAAS_CAPITAL_2023", "BESSEMER_2019",
           "DEFINITIONS_DOC", "ALL"]

#: The practitioner guide behind the levels, stage/segment targets, lever tables, five-year table,
#: Company A vs B, the dashboard targets and the warning-signal thresholds.
MITCHELL_2026 = ('Sarah Mitchell, "Net Revenue Retention: The Holy Grail Metric", '
                 "business blog article, 31 January 2026")
#: Principles, practices and anti-patterns (GRR hidden by NRR, averaging across segments).
COMMONS_OS_2026 = ('Commons OS Pattern Library, "Net Revenue Retention" (FF047), 2026, CC-BY-SA-4.0, '
                   "https://commons-os.github.io/patterns/net-revenue-retention/")
#: Cohort consistency, segment- and account-level NRR, leading indicators.
VENMATE_2025 = 'Venmate, "Net Revenue Retention (NRR)", customer-success glossary, 2025'
#: The four-variable formula and its 80% example.
PATEL = 'Jahan Patel, "How to Maximise Net Revenue Retention", CustomerSuccessBox blog'
#: Medians of NRR and GRR by annual contract value.
SAAS_CAPITAL_2023 = 'SaaS Capital, "2023 B2B SaaS retention benchmarks" (medians by ACV)'
#: Retention bands by customer segment.
BESSEMER_2019 = "Bessemer Venture Partners, 2019 retention bands by customer segment"

#: Where the definitions live, for anything a user reads.
DEFINITIONS_DOC = "nrrkit's definitions (docs/definitions.md in the nrrkit repository)"

ALL = {
    "Mitchell 2026": MITCHELL_2026,
    "Commons OS 2026": COMMONS_OS_2026,
    "Venmate 2025": VENMATE_2025,
    "Patel, CustomerSuccessBox": PATEL,
    "SaaS Capital 2023": SAAS_CAPITAL_2023,
    "Bessemer 2019": BESSEMER_2019,
}
