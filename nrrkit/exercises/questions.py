"""The exercises of each notebook: the question, how to read the answer, a hint, and the function
that computes the expected value from the data when a check runs (see :mod:`nrrkit.exercises`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .answers import parse_money

__all__ = ["Question", "QUESTIONS"]


@dataclass(frozen=True)
class Question:
    """One exercise: its text, how to read and compare the answer, and a hint.

    ``kind``: "rate", "money", "count", "ratio", "points" (a change of NRR), "choice" (one of
    ``options``, by letter), "name", or "accept" (``expected(data, answer)`` decides).
    """

    text: str
    kind: str
    expected: Callable  # (data) -> value; for "accept": (data, answer) -> bool
    hint: str
    tolerance: float = 0.0005  # rates and points: absolute; money: relative; ratios: absolute
    options: tuple = ()  # choice: (("a", "text"), ...)
    page_hint: str = ""  # the hint on a page that shows no code (the room server), when ``hint`` names code

    def hint_for(self, on_page: bool) -> str:
        """The hint as the reader sees it: on a page with no code, one that names no function."""
        return self.page_hint if on_page and self.page_hint else self.hint


def _last(mrr, **kw):
    from ..retention import retention

    return retention(mrr, **kw).iloc[-1]


def _q00_retained(mrr):
    return int(_last(mrr).customers_retained)


def _q00_net_new(mrr):
    from ..movements import bridge

    b = bridge(mrr).iloc[-1]
    return float(b.end_mrr - b.start_mrr)


def _q01_nrr(_):
    from ..retention import nrr

    return nrr(200_000, 30_000, 10_000, 14_000)


def _q01_grr(_):
    from ..retention import grr

    return grr(200_000, 10_000, 14_000)


def _q01_break_even(_, answer) -> bool:
    from ..retention import nrr

    return abs(nrr(100_000, parse_money(answer), 3_000, 5_000) - 1.0) < 1e-9


def _q01_who_left(mrr):
    last = _last(mrr)
    logo_churn = 1 - last.logo_retention
    revenue_churn = last.churn / last.start_mrr
    return "a" if revenue_churn < logo_churn else "b"


def _q02_investor_method(_):
    from ..retention import METHODS

    return "abcd"[["survivors", "cohort", "lazy", "compounded"].index(METHODS[0])]  # the default is the standard


def _q02_quarterly(mrr):
    return float(_last(mrr, window=3).nrr)


def _q02_expansion(mrr):
    last = _last(mrr)
    return float(last.nrr - last.grr)


def _q03_month12(mrr):
    from ..cohorts import cohort_curve

    return float(cohort_curve(mrr, period="M").set_index("age").loc[12, "value"])


def _q03_trap(mrr):
    from ..segments import segment_summary

    s = segment_summary(mrr, "segment")
    return "a" if float(s.iloc[-1].nrr) > float(s.attrs["average_of_segments"]) else "b"


def _q03_interval_low(mrr):
    from ..customers import nrr_interval

    return float(nrr_interval(mrr, level=0.8, progress=False).low)


def _q04_monthly(_):
    from ..levers import monthly_churn

    return monthly_churn(0.12)


def _q04_half_smb(mrr):
    from ..levers import segment_weights

    w = segment_weights(mrr, change=0.5).set_index(["segment", "lever"])
    return float(w.loc[("SMB", "churn"), "company_nrr_change"])


def _q04_enterprise_leavers(mrr):
    from ..levers import logo_and_revenue_churn

    e = logo_and_revenue_churn(mrr, by="segment").set_index("segment").loc["Enterprise"]
    ratio = e.churned_avg_mrr / e.base_avg_mrr
    return "c" if abs(ratio - 1) < 0.05 else "a" if ratio > 1 else "b"


def _q05_fixed(_):
    from ..scenarios import project_arr

    return float(project_arr(10e6, nrr=1.05, new_arr=2e6).end_arr.iloc[-1])


def _q05_new_for_ceiling(_):
    from ..scenarios import ceiling

    new = 30e6 * (1 - 0.90)
    assert abs(ceiling(new, 0.90).limit - 30e6) < 1e-3  # the leaky bucket's ceiling is then $30M
    return new


def _q05_ratio(_):
    from ..scenarios import compare_scenarios

    c = compare_scenarios({"110": dict(start_arr=20e6, nrr=1.10, new_rate=0.2),
                           "120": dict(start_arr=20e6, nrr=1.20, new_rate=0.2)})
    return float(c["120 / 110"].iloc[-1])


_NEEDS_CODE = ("This one takes a line of code, which a room page does not run: try it in the notebook in "
               "JupyterLab, or ask the instructor.")

QUESTIONS: dict[str, dict[str, Question]] = {
    "00": {
        "q1": Question("How many of the base customers of the last 12-month window (ending 2025-12) still pay?",
                       "count", _q00_retained,
                       "The retention table has a column that counts the base customers still paying "
                       "(its columns are listed above); read it on the last row."),
        "q2": Question("By how much did total MRR change in the last month of the bridge (end MRR - start MRR)?",
                       "money", _q00_net_new,
                       "Take the last row of nk.bridge(mrr) and subtract its start_mrr from its end_mrr.",
                       tolerance=1e-6,
                       page_hint="MRR in the last month is printed near the top of the page; the change is that "
                                 "month's MRR minus the month before's. " + _NEEDS_CODE),
    },
    "01": {
        "q1": Question("A company starts the year at $200,000 MRR; its customers expand by $30,000, contract by "
                       "$10,000 and churn $14,000. What is its NRR?", "rate", _q01_nrr,
                       "NRR = (start + expansion - contraction - churn) / start; nk.nrr takes the four numbers "
                       "in that order.",
                       page_hint="NRR = (start + expansion - contraction - churn) / start; the calculator above "
                                 "shows it when you enter the four amounts."),
        "q2": Question("Same company: what is its GRR?", "rate", _q01_grr,
                       "GRR leaves expansion out: (start - contraction - churn) / start.",
                       page_hint="GRR leaves expansion out: (start - contraction - churn) / start; the calculator "
                                 "above shows it too."),
        "q3": Question("Start $100,000, contraction $3,000, churn $5,000: how much expansion brings NRR to "
                       "exactly 100%?", "accept", _q01_break_even,
                       "NRR is 100% when what was gained equals what was lost."),
        "q4": Question("Compare the sample company's logo retention with its GRR (both printed above). What does "
                       "that say about the base customers who stopped paying?", "choice", _q01_who_left,
                       "Logo retention counts customers, GRR counts dollars (and GRR also loses contraction). "
                       "If a bigger share of customers left than of revenue, were the leavers small or large?",
                       options=(("a", "they paid less than the average base customer"),
                                ("b", "they paid more than the average base customer"),
                                ("c", "nothing: logo retention and GRR measure the same thing"))),
    },
    "02": {
        "q1": Question("Which method would you quote to an investor, and why?", "choice", _q02_investor_method,
                       "Read again what each method leaves out; an investor wants every base customer counted, "
                       "the ones who left at 0.",
                       options=(("a", "survivors: it is the highest, so it shows the business at its best"),
                                ("b", "cohort: it follows every customer of the base month, churned ones at 0, "
                                      "as public companies and lenders do"),
                                ("c", "lazy: it only needs the monthly bridge"),
                                ("d", "compounded: it multiplies twelve monthly figures, so it is the most precise"))),
        "q2": Question("What is the 3-month NRR of the last month?", "rate", _q02_quarterly,
                       "Pass window=3 to nk.retention (the WINDOW parameter above does the same) and read the "
                       "last row.",
                       page_hint="Set the retention explorer above to a 3-month window and read NRR in its last "
                                 "month."),
        "q3": Question("Using the NRR and GRR printed above: what share of the base's starting MRR did expansion "
                       "add over the last 12 months?", "rate", _q02_expansion,
                       "NRR = 1 - churn - contraction + expansion and GRR = 1 - churn - contraction: "
                       "subtract one from the other."),
    },
    "03": {
        "q1": Question("On the monthly cohort curve, what share of starting MRR is left at age 12 "
                       "(dollar-weighted over all cohorts)?", "rate", _q03_month12,
                       "nk.cohort_curve(mrr, period='M') has one row per age in months; read value at age 12.",
                       page_hint="The chart of monthly cohort curves above draws it as the thick line; read it "
                                 "at age 12. " + _NEEDS_CODE),
        "q2": Question("In the segment table above, the plain average of the segment NRRs is not the company "
                       "NRR. Why does it come out on the side it does?", "choice", _q03_trap,
                       "The company NRR weighs each segment by its starting MRR; compare each segment's NRR "
                       "with its share of start MRR.",
                       options=(("a", "the segments with the higher NRR hold more of the starting MRR, so they "
                                       "weigh more in the company figure"),
                                ("b", "the segments with the lower NRR hold more of the starting MRR, so they "
                                      "weigh more in the company figure"),
                                ("c", "the company figure also counts customers who joined during the year"))),
        "q3": Question("What is the lower end of an 80% interval for NRR (instead of 90%)?", "rate",
                       _q03_interval_low, "nk.nrr_interval takes level= as shown above (level=0.8); read .low.",
                       page_hint="An 80% interval holds fewer of the draws than the 90% one printed above, so it "
                                 "is narrower and its lower end higher. " + _NEEDS_CODE),
    },
    "04": {
        "q1": Question("Which constant monthly churn compounds to 12% a year?", "rate", _q04_monthly,
                       "A customer survives a year with probability (1 - monthly) ** 12; "
                       "levers.monthly_churn goes the other way for you.", tolerance=0.00005,
                       page_hint="A customer survives a year with probability (1 - monthly) ** 12. In the lever "
                                 "app above, set churn a year to 12 and switch to monthly churn: the slider "
                                 "then shows the same churn a month."),
        "q2": Question("Cut SMB churn in half (everything else as measured): by how many points does the "
                       "company's NRR rise?", "points", _q04_half_smb,
                       "A segment's lever moves company NRR by the change in the segment's rate x the segment's "
                       "share of the base; the table above shows a fifth, and the effect is linear.",
                       tolerance=0.0002),
        "q3": Question("Compare Enterprise's logo churn and revenue churn in the table above. Were the "
                       "Enterprise customers who left...", "choice", _q04_enterprise_leavers,
                       "Revenue churn above logo churn means a bigger share of dollars left than of customers.",
                       options=(("a", "larger than the average Enterprise customer"),
                                ("b", "smaller than the average Enterprise customer"),
                                ("c", "about the same size"))),
    },
    "05": {
        "q1": Question("Start $10M ARR, NRR 105%, new business a fixed $2M a year: ARR after 5 years?", "money",
                       _q05_fixed,
                       "scenarios.project_arr takes new_arr= for a fixed amount a year; end_arr of the last row.",
                       tolerance=0.001,
                       page_hint="In the scenario app above choose new business 'fixed $ a year' and set start "
                                 "ARR 10, NRR 105, new business 2 and 5 years; read ARR after 5 years."),
        "q2": Question("A company with NRR 90% wants its ARR to settle at $30M (the ceiling of its leaky bucket). "
                       "How much new ARR must it add every year?", "money", _q05_new_for_ceiling,
                       "At the ceiling what leaks out (ARR x (1 - NRR)) equals what comes in.", tolerance=0.001),
        "q3": Question("Two companies start at $20M ARR with new business worth 20% of ARR a year, one at NRR 110% "
                       "and one at NRR 120%. After five years, how many times the first one's ARR does the second "
                       "have (the ratio)?", "ratio", _q05_ratio,
                       "Each grows by NRR - 1 + new rate a year; the ratio after five years is the ratio of "
                       "(1 + growth) ** 5, whatever the start.", tolerance=0.005),
    },
}


