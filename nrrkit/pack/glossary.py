"""The definitions printed inside the pack: one list, the same words in the workbook, the page and the PDF.

An investor reads the pack without access to nrrkit's documentation, so every term a figure
uses is defined here in plain words (what is counted, over which customers, with the formula),
together with the rules the pack applies (when the level is shown, what the scenario assumes).
"""

from __future__ import annotations

from ..benchmarks import FULL_TREND, GRR_FLOOR, SMALL_BASE, TINY_BASE, WIDE_INTERVAL

__all__ = ["TERMS", "terms", "rules"]

#: (term, definition) in the order a reader needs them.
TERMS: tuple[tuple[str, str], ...] = (
    ("MRR", "Monthly recurring revenue: what each customer pays for one month of service, read at the end of "
            "each calendar month (annual or quarterly contracts are spread over their months). A customer "
            "absent in a month, or at 0, pays nothing that month."),
    ("ARR", "Annual recurring revenue = 12 x MRR of the month shown."),
    ("Base cohort", "The customers paying in the base month, 12 months before the end month. Customers who "
                    "start paying later are not in it; the pack measures what happened to these customers."),
    ("NRR (net revenue retention)", "MRR of the base cohort in the end month / their MRR in the base month = "
                                    "(starting + expansion - contraction - churn) / starting. New customers "
                                    "are never counted; a base customer who leaves and comes back counts at "
                                    "its MRR in the end month."),
    ("GRR (gross revenue retention)", "(starting - contraction - churn) / starting: the revenue kept before any "
                                      "expansion; each customer counts at most at its starting MRR, so GRR "
                                      "never exceeds 100%."),
    ("Logo retention", "Base customers still paying in the end month / base customers."),
    ("Expansion", "The increase of MRR of base customers paying more in the end month than in the base month."),
    ("Contraction", "The decrease of MRR of base customers still paying, but less, in the end month."),
    ("Churn", "The base-month MRR of base customers paying nothing in the end month."),
    ("New and reactivation (bridge)", "In the monthly bridge: MRR of customers paying for the first time "
                                      "(new), or paying again after at least one month at 0 (reactivation)."),
    ("Cohort (heatmap)", "Customers grouped by the quarter of their first payment; revenue retention at age k "
                         "= the cohort's MRR k quarters later / its MRR in its first month."),
    ("90% interval", "The range within which the NRR falls in 90% of resamples of the base customers "
                     "(bootstrap): how much the figure depends on which customers happened to be in the base."),
    ("ACV", "Average annual contract value = ARR / customers paying in the last month; it picks the SaaS Capital "
            "band, whose amounts are in US dollars."),
)


def terms() -> list[tuple[str, str]]:
    """The definitions as (term, sentence) pairs."""
    return list(TERMS)


def rules() -> list[tuple[str, str]]:
    """The rules the pack applies to what it shows, as (rule, sentence) pairs."""
    return [
        ("Level of the NRR", "The level (Concerning under 100%, Basic 100-105%, Good 105-115%, Great 115-125%, "
                             "Excellent 125-140%, World-class 140%+; Mitchell 2026) is shown next to the GRR "
                             f"only when the base cohort has at least {SMALL_BASE} customers, the 90% "
                             f"interval spans at most {WIDE_INTERVAL * 100:.0f} points, GRR is at "
                             f"least {GRR_FLOOR:.0%} and no critical warning signal was raised in the "
                             "last 12 months. Otherwise it is withheld and the pack says why."),
        ("Segments", f"A segment with fewer than {SMALL_BASE} base customers is shown but not rated. "
                     "The company's NRR sums the segments' amounts; it is never an average of their rates."),
        ("Trend", f"End months whose base cohort has fewer than {TINY_BASE} customers are not drawn; "
                  f"a trend of fewer than {FULL_TREND} end months says so."),
        ("Benchmarks", "Each source measures NRR its own way: a comparison is a direction, not a verdict. Money "
                       "bands are in US dollars; amounts in another currency are converted with a rate the "
                       "founder gives, or not compared."),
    ]


