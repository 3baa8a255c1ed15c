"""The documents nrrkit takes its reference figures from, cited so a reader can open them.

Each source is a :class:`Source`: title, author or publisher, year, a link where one is
public, and what nrrkit takes from it.  ``str(source)`` is the full citation printed next to
a figure that comes from that document (benchmark tables, lever tables, the five-year
example, warning-signal thresholds, public companies' NRR).  The constants below the
sources (``MITCHELL_2026`` ...) are those citations as plain text, for code that printed
them before the sources carried links.

The definitions themselves are restated in the project's own words in the definitions
document of the project's docs, and inside every pack (:mod:`nrrkit.pack.glossary`).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Source", "MITCHELL", "COMMONS_OS", "VENMATE", "PATEL_CSB", "SAAS_CAPITAL", "BESSEMER", "SNOWFLAKE_10K",
           "SLACK_10K", "MITCHELL_2026", "COMMONS_OS_2026", "VENMATE_2025", "PATEL", "SAAS_CAPITAL_2023",
           "BESSEMER_2019", "DEFINITIONS_DOC", "ALL", "SOURCES", "by_citation"]


@dataclass(frozen=True)
class Source:
    """One document: who wrote it, what it is called, when, where to open it, what nrrkit takes from it.

    ``short`` is the name a table row carries ("SaaS Capital 2023"); ``str()`` is the full
    citation.  ``link`` is empty when the document has no public address nrrkit could check.
    """

    short: str
    author: str
    title: str
    year: int | None
    kind: str
    link: str = ""
    used_for: str = ""
    date: str = ""  # the day of publication, when known ("31 January 2026"); else the year is printed

    def __str__(self) -> str:
        year = f", {self.date or self.year}" if (self.date or self.year) else ""
        kind = f", {self.kind}" if self.kind else ""
        link = f", {self.link}" if self.link else ""
        return f'{self.author}, "{self.title}"{kind}{year}{link}'

    @property
    def citation(self) -> str:
        return str(self)


#: The practitioner guide behind the levels, stage/segment targets, lever tables, five-year table,
#: Company A vs B, the dashboard targets and the warning-signal thresholds.  No public link was found.
MITCHELL = Source("Mitchell 2026", "Sarah Mitchell", "Net Revenue Retention: The Holy Grail Metric", 2026,
                  "business blog article (no public link found)", "",
                  "performance levels, stage and segment targets, lever tables, five-year example, "
                  "warning-signal thresholds", date="31 January 2026")
#: Principles, practices and anti-patterns (GRR hidden by NRR, averaging across segments).
COMMONS_OS = Source("Commons OS 2026", "Commons OS Pattern Library", "Net Revenue Retention (FF047)", 2026,
                    "pattern, CC-BY-SA-4.0", "https://commons-os.github.io/patterns/net-revenue-retention/",
                    "principles and anti-patterns")
#: Cohort consistency, segment- and account-level NRR, leading indicators.
VENMATE = Source("Venmate 2025", "Venmate", "Net Revenue Retention (NRR)", 2025, "customer-success glossary", "",
                 "cohort consistency, segment and account NRR")
#: The four-variable formula and its 80% example.
PATEL_CSB = Source("Patel, CustomerSuccessBox", "Jahan Patel", "How to Maximise Net Revenue Retention", None,
                   "CustomerSuccessBox blog", "", "the four-variable formula")
#: Medians of NRR and GRR by annual contract value (private B2B SaaS companies, 2022 data, surveyed Q1 2023).
SAAS_CAPITAL = Source("SaaS Capital 2023", "SaaS Capital", "2023 B2B SaaS Retention Benchmarks (Research Brief)",
                      2023, "survey of more than 1,500 private B2B SaaS companies",
                      "https://www.saas-capital.com/research/saas-retention-benchmarks-for-private-b2b-companies/",
                      "median NRR and GRR by annual contract value (in US dollars)")
#: Retention bands by customer segment (State of the Cloud 2019).
BESSEMER = Source("Bessemer 2019", "Bessemer Venture Partners", "State of the Cloud 2019", 2019, "report",
                  "https://www.bvp.com/atlas/state-of-the-cloud-2019",
                  "gross and net retention bands for SMB (under $12K ACV), mid-market ($12-50K) and enterprise "
                  "($50K+) customers")
#: Snowflake's net revenue retention rate as filed with the SEC.
SNOWFLAKE_10K = Source("Snowflake 10-K FY2023", "Snowflake Inc.",
                       "Annual Report on Form 10-K for the fiscal year ended January 31, 2023", 2023,
                       "SEC filing (accession 0001640147-23-000030)",
                       "https://www.sec.gov/Archives/edgar/data/1640147/000164014723000030/",
                       "net revenue retention rate as of January 31, 2023, as filed")
#: Slack's net dollar retention rate as filed with the SEC.
SLACK_10K = Source("Slack 10-K FY2020", "Slack Technologies, Inc.",
                   "Annual Report on Form 10-K for the fiscal year ended January 31, 2020", 2020,
                   "SEC filing (accession 0001764925-20-000251)",
                   "https://www.sec.gov/Archives/edgar/data/1764925/000176492520000251/",
                   "Net Dollar Retention Rate as of January 31, 2020, as filed")

#: Every source, in the order a sources page lists them.
SOURCES: tuple[Source, ...] = (MITCHELL, SAAS_CAPITAL, BESSEMER, SNOWFLAKE_10K, SLACK_10K, COMMONS_OS, VENMATE,
                               PATEL_CSB)

# the citations as text (kept: notebooks and the lever tables print them)
MITCHELL_2026 = str(MITCHELL)
COMMONS_OS_2026 = str(COMMONS_OS)
VENMATE_2025 = str(VENMATE)
PATEL = str(PATEL_CSB)
SAAS_CAPITAL_2023 = str(SAAS_CAPITAL)
BESSEMER_2019 = str(BESSEMER)

#: Where the definitions live, for anything a user reads: inside the pack itself.
DEFINITIONS_DOC = ("the Definitions sheet of the workbook and the Definitions section of the page "
                   "(every term in plain words, with its formula)")

#: Short name -> full citation.
ALL = {s.short: str(s) for s in SOURCES}


def by_citation(citation: str) -> Source | None:
    """The :class:`Source` whose full citation (or short name) is ``citation``; None if none."""
    return next((s for s in SOURCES if citation in (str(s), s.short)), None)
