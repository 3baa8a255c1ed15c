"""Exercises for the notebooks: a check that says right or wrong without showing the answer.

Each notebook ends with a few exercises.  The learner computes a number (or a name)
and calls::

    from nrrkit.exercises import Exercises
    ex = Exercises("01")
    ex.check("q1", my_answer)

The expected value is computed here, from nrrkit and the data, only when the check
runs; it is never printed, returned or stored on the result.  A first miss says
"not yet"; from the second miss on, the check adds a hint (a pointer to the lesson,
never the value).  ``ex.question("q1")`` prints the question again.

Answers are read the way people write them: a rate as ``1.07``, ``"107%"`` or
``"107.0 %"``; money as ``64100000``, ``"$64.1M"`` or ``"64,100,000"``.  The
worked solutions live in ``notebooks/solutions.ipynb``, apart from the lessons.
See ``docs/definitions.md`` for every definition used.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ClassVar

__all__ = ["Exercises", "Result", "QUESTIONS", "parse_rate", "parse_money"]


# --------------------------------------------------------------------------- reading answers


def _number(text: str) -> float:
    t = text.strip().replace(",", "").replace("_", "").replace(" ", "")
    return float(t)


def parse_rate(answer) -> float:
    """A rate as a fraction: ``1.07``, ``"107%"``, ``"107.0 %"`` -> 1.07.

    A bare number above 3 is read as percent (``107`` -> 1.07): no retention rate
    in these exercises is above 300%.
    """
    if isinstance(answer, str):
        s = answer.strip()
        if s.endswith("%"):
            return _number(s[:-1]) / 100
        value = _number(s)
    else:
        value = float(answer)
    return value / 100 if abs(value) > 3 else value


_SUFFIX = {"K": 1e3, "M": 1e6, "B": 1e9}


def parse_money(answer) -> float:
    """Money as a number: ``64.1e6``, ``"$64.1M"``, ``"64,100,000"`` -> 64100000.0."""
    if isinstance(answer, str):
        s = answer.strip().replace("$", "").replace(" ", "")
        mult = 1.0
        if s and s[-1].upper() in _SUFFIX:
            mult = _SUFFIX[s[-1].upper()]
            s = s[:-1]
        return _number(s) * mult
    return float(answer)


# --------------------------------------------------------------------------- the questions


@dataclass(frozen=True)
class Question:
    """One exercise: its text, how to read and compare the answer, and a hint."""

    text: str
    kind: str  # "rate", "money", "count", "name", "accept" (a function decides)
    expected: Callable  # (data) -> value; for "accept": (data, answer) -> bool
    hint: str
    tolerance: float = 0.0005  # rates: half a tenth of a point; money: relative


def _sample():
    from .datasets import load_sample

    return load_sample()


def _last(mrr, **kw):
    from .retention import retention

    return retention(mrr, **kw).iloc[-1]


def _q00_retained(mrr):
    return int(_last(mrr).customers_retained)


def _q00_net_new(mrr):
    from .movements import bridge

    b = bridge(mrr).iloc[-1]
    return float(b.end_mrr - b.start_mrr)


def _q01_nrr(_):
    from .retention import nrr

    return nrr(200_000, 30_000, 10_000, 14_000)


def _q01_grr(_):
    from .retention import grr

    return grr(200_000, 10_000, 14_000)


def _q01_break_even(_, answer) -> bool:
    from .retention import nrr

    return abs(nrr(100_000, parse_money(answer), 3_000, 5_000) - 1.0) < 1e-9


def _q01_logo(mrr):
    return float(_last(mrr).logo_retention)


def _q02_highest_method(mrr):
    from .retention import compare_methods

    c = compare_methods(mrr)
    return str(c.sort_values("nrr").iloc[-1]["method"])


def _q02_quarterly(mrr):
    return float(_last(mrr, window=3).nrr)


def _q02_smb_grr(mrr):
    from .retention import retention

    r = retention(mrr, by="segment")
    return float(r[r.segment == "SMB"].iloc[-1].grr)


def _q03_month12(mrr):
    from .cohorts import cohort_curve

    return float(cohort_curve(mrr, period="M").set_index("age").loc[12, "value"])


def _q03_trap(mrr):
    from .segments import segment_summary

    return float(segment_summary(mrr, "pricing", window=3).attrs["average_of_segments"])


def _q03_interval_low(mrr):
    from .customers import nrr_interval

    return float(nrr_interval(mrr, level=0.8, progress=False).low)


def _q04_monthly(_):
    from .levers import monthly_churn

    return monthly_churn(0.12)


def _q04_levers(_):
    from .levers import annual_churn, nrr_from_levers

    return nrr_from_levers(churn=annual_churn(0.02), contraction=0.03, expansion=0.15)


def _q04_what_if(mrr):
    from .levers import what_if

    w = what_if(mrr, expansion=0.1, by="segment", segment="Enterprise")
    return float(w[w.segment == "Total"].nrr_adjusted.iloc[0])


def _q05_arr(_):
    from .scenarios import project_arr

    return float(project_arr(5e6, nrr=1.10, new_rate=0.30).end_arr.iloc[-1])


def _q05_ceiling(_):
    from .scenarios import ceiling

    return float(ceiling(3e6, 0.8).limit)


def _q05_spend(_):
    from .scenarios import project_arr

    return float(project_arr(10e6, nrr=1.25, new_rate=0.2, spend_per_new_dollar=1.5).spend.sum())


QUESTIONS: dict[str, dict[str, Question]] = {
    "00": {
        "q1": Question("How many of the base customers of the last 12-month window (ending 2025-12) still pay?",
                       "count", _q00_retained,
                       "The retention table has a column that counts the base customers still paying; "
                       "look at its last row."),
        "q2": Question("By how much did total MRR change in the last month of the bridge (end MRR - start MRR)?",
                       "money", _q00_net_new,
                       "Take the last row of nk.bridge(mrr) and subtract its start_mrr from its end_mrr.",
                       tolerance=1e-6),
    },
    "01": {
        "q1": Question("A company starts the year at $200,000 MRR; its customers expand by $30,000, contract by "
                       "$10,000 and churn $14,000. What is its NRR?", "rate", _q01_nrr,
                       "NRR = (start + expansion - contraction - churn) / start; nk.nrr takes the four numbers "
                       "in that order."),
        "q2": Question("Same company: what is its GRR?", "rate", _q01_grr,
                       "GRR leaves expansion out: (start - contraction - churn) / start."),
        "q3": Question("Start $100,000, contraction $3,000, churn $5,000: how much expansion brings NRR to "
                       "exactly 100%?", "accept", _q01_break_even,
                       "NRR is 100% when what was gained equals what was lost."),
        "q4": Question("What is the sample company's logo retention over the last 12 months?", "rate", _q01_logo,
                       "Logo retention counts customers, not dollars: the retention table's "
                       "logo_retention column, last row."),
    },
    "02": {
        "q1": Question("Which method gives the highest 12-month NRR on this data? (its name as a string)",
                       "name", _q02_highest_method,
                       "nk.compare_methods(mrr) puts every method side by side; sort by nrr."),
        "q2": Question("What is the 3-month NRR of the last month?", "rate", _q02_quarterly,
                       "Pass window=3 to nk.retention and read the last row."),
        "q3": Question("What is the 12-month GRR of the SMB segment in the last month?", "rate", _q02_smb_grr,
                       "nk.retention(mrr, by='segment') has one row per segment and month; keep SMB, "
                       "then the last row."),
    },
    "03": {
        "q1": Question("On the monthly cohort curve, what share of starting MRR is left at age 12 "
                       "(dollar-weighted over all cohorts)?", "rate", _q03_month12,
                       "nk.cohort_curve(mrr, period='M') has one row per age in months; read value at age 12."),
        "q2": Question("Segment by pricing with a 3-month window: what is the plain average of the segment "
                       "NRRs (the figure not to quote)?", "rate", _q03_trap,
                       "nk.segment_summary(mrr, 'pricing', window=3) keeps that average in "
                       ".attrs['average_of_segments']; the segment explorer shows it too."),
        "q3": Question("What is the lower end of an 80% interval for NRR (instead of 90%)?", "rate",
                       _q03_interval_low, "nk.nrr_interval takes level=0.8; read .low."),
    },
    "04": {
        "q1": Question("Which constant monthly churn compounds to 12% a year?", "rate", _q04_monthly,
                       "A customer survives a year with probability (1 - monthly) ** 12; "
                       "levers.monthly_churn goes the other way for you.", tolerance=0.00005),
        "q2": Question("With 2% monthly churn, 3% contraction and 15% expansion (both annual), what is NRR?",
                       "rate", _q04_levers,
                       "Turn the monthly churn into annual churn first (levers.annual_churn), "
                       "then NRR = 1 - churn - contraction + expansion."),
        "q3": Question("If Enterprise customers expanded 10% more (everything else as measured), what would "
                       "the company's NRR be?", "rate", _q04_what_if,
                       "10% more expansion is expansion=0.1 in levers.what_if, with by='segment' and "
                       "segment='Enterprise'; read nrr_adjusted on the Total row."),
    },
    "05": {
        "q1": Question("Start $5M ARR, NRR 110%, new business 30% of each year's starting ARR: ARR after "
                       "5 years?", "money", _q05_arr,
                       "scenarios.project_arr gives one row per year; end_arr of the last row.",
                       tolerance=0.001),
        "q2": Question("With $3M of new ARR a year and NRR 80%, what is the most ARR can ever reach?", "money",
                       _q05_ceiling,
                       "Each year keeps NRR of last year's ARR and adds the new business; at the limit "
                       "the two balance: limit = new / (1 - NRR).", tolerance=0.001),
        "q3": Question("Company A (start $10M, NRR 125%, new business 20% of ARR) pays $1.50 per $1 of new "
                       "ARR: total new-business spend over 5 years?", "money", _q05_spend,
                       "Pass spend_per_new_dollar=1.5 to scenarios.project_arr and add up the spend column.",
                       tolerance=0.001),
    },
}


# --------------------------------------------------------------------------- checking


@dataclass
class Result:
    """What a check says.  It holds the verdict and the message, never the expected value."""

    question: str
    correct: bool
    message: str

    def __repr__(self) -> str:
        return self.message

    def __bool__(self) -> bool:
        return self.correct


@dataclass
class Exercises:
    """The exercises of one notebook (``"00"`` to ``"05"``), checked against ``mrr``.

    ``mrr`` defaults to the bundled sample company, the data the lessons use.
    ``Exercises.silent = True`` (a notebook run as a tool on someone's own data, such as
    notebook 02 in batch) makes every check say nothing, so the run's output holds no
    unanswered exercises.
    """

    silent: ClassVar[bool] = False
    notebook: str
    mrr: object = None
    misses: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        from .errors import DataError

        key = str(self.notebook)[:2]
        if key not in QUESTIONS:
            raise DataError(f"no exercises for notebook {self.notebook!r}; use one of {', '.join(QUESTIONS)}")
        self.notebook = key

    def _data(self):
        if self.mrr is None:
            self.mrr = _sample()
        return self.mrr

    def _question(self, qid: str) -> Question:
        from .errors import DataError

        qs = QUESTIONS[self.notebook]
        if qid not in qs:
            raise DataError(f"notebook {self.notebook} has exercises {', '.join(qs)}, not {qid!r}")
        return qs[qid]

    def question(self, qid: str) -> str:
        """The text of exercise ``qid``."""
        return self._question(qid).text

    def _is_right(self, q: Question, answer) -> bool:
        data = self._data()
        if q.kind == "accept":
            return bool(q.expected(data, answer))
        want = q.expected(data)
        if q.kind == "name":
            return str(answer).strip().lower() == str(want).strip().lower()
        if q.kind == "count":
            return float(answer) == float(want)
        got = parse_rate(answer) if q.kind == "rate" else parse_money(answer)
        if not math.isfinite(got):
            return False
        if q.kind == "rate":
            return abs(got - want) <= q.tolerance
        return abs(got - want) <= q.tolerance * max(abs(want), 1.0)

    def check(self, qid: str, answer) -> Result | None:
        """Say whether ``answer`` to exercise ``qid`` is right, without showing the expected value
        (nothing at all when :attr:`silent`)."""
        q = self._question(qid)
        if self.silent:
            return None
        if answer is None or answer is Ellipsis:
            return Result(qid, False, f"{qid}: replace the ... with your answer, then run the cell again.")
        try:
            right = self._is_right(q, answer)
        except (TypeError, ValueError):
            unit = {"rate": "a rate such as 0.95 or '95%'", "money": "an amount such as 2500000 or '$2.5M'",
                    "count": "a whole number", "accept": "an amount such as 2500 or '$2.5K'",
                    "name": "a name in quotes"}[q.kind]
            return Result(qid, False, f"{qid}: could not read {answer!r} as {unit}; try again.")
        if right:
            self.misses.pop(qid, None)
            return Result(qid, True, f"{qid}: right.")
        self.misses[qid] = self.misses.get(qid, 0) + 1
        if self.misses[qid] == 1:
            return Result(qid, False, f"{qid}: not yet. Check your working and try again.")
        return Result(qid, False, f"{qid}: not yet. Hint: {q.hint}")

