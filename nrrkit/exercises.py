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
``"107.0 %"``; money as ``64100000``, ``"$64.1M"`` or ``"64,100,000"``; a choice as
``"b"``.  A rounded answer is right when it is the expected value rounded to the
digits written (``"$36M"`` for $36.06M, ``"87%"`` for 0.8703), with at least two
significant digits, and to no coarser than a whole percent for a rate.

In a dashboard (Voila, code hidden) a check whose answer is still ``...`` shows the
question with an input box (or the choices) and a Check button, so every exercise
can be answered without code.  The worked solutions live in
``notebooks/solutions.ipynb``, apart from the lessons.  See ``docs/definitions.md``
for every definition used.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

__all__ = ["Exercises", "Result", "QUESTIONS", "parse_rate", "parse_money", "parse_points", "written_unit"]


# --------------------------------------------------------------------------- reading answers


def _number(text: str) -> float:
    t = text.strip().replace(",", "").replace("_", "").replace(" ", "")
    return float(t)


def written_unit(text: str) -> float | None:
    """Half a unit of the last digit written (``"36"`` -> 0.5, ``"36.1"`` -> 0.05), or None when the
    number has fewer than two significant digits (too coarse to count as a rounding).

    Trailing zeros of a whole number are read as rounding (``"36,000,000"`` -> 500,000).
    """
    t = text.strip().replace(",", "").replace("_", "").replace(" ", "").lstrip("+-")
    if "e" in t.lower():
        return None
    if "." in t:
        whole, frac = t.split(".", 1)
        digits = (whole + frac).lstrip("0")
        return 0.5 * 10 ** -len(frac) if len(digits) >= 2 else None
    stripped = t.rstrip("0")
    zeros = len(t) - len(stripped)
    return 0.5 * 10 ** zeros if len(stripped.lstrip("0")) >= 2 else None


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


def _rate_unit(answer) -> float | None:
    """Half a unit of the last digit of a rate answer, as a fraction."""
    text = answer if isinstance(answer, str) else repr(float(answer))
    s = text.strip()
    percent = s.endswith("%") or abs(_number(s.rstrip("%"))) > 3
    unit = written_unit(s.rstrip("%").strip())
    if unit is None:
        return None
    return unit / 100 if percent else unit


_SUFFIX = {"K": 1e3, "M": 1e6, "B": 1e9}


def _money_parts(answer) -> tuple[float, float | None]:
    if isinstance(answer, str):
        s = answer.strip().replace("$", "").replace(" ", "")
        mult = 1.0
        if s and s[-1].upper() in _SUFFIX:
            mult = _SUFFIX[s[-1].upper()]
            s = s[:-1]
        unit = written_unit(s)
        return _number(s) * mult, (unit * mult if unit is not None else None)
    v = float(answer)
    text = repr(v)[:-2] if repr(v).endswith(".0") else repr(v)
    return v, written_unit(text)


def parse_money(answer) -> float:
    """Money as a number: ``64.1e6``, ``"$64.1M"``, ``"64,100,000"`` -> 64100000.0."""
    return _money_parts(answer)[0]


def parse_points(answer) -> list[float]:
    """A change of NRR, read both ways a person may mean it: ``"0.5 points"``, ``"0.5%"`` -> [0.005];
    a bare ``0.5`` -> [0.5, 0.005] (a fraction, or points)."""
    if isinstance(answer, str):
        s = answer.strip().lower()
        for word in ("percentage points", "points", "point", "pts", "pt", "pp", "%"):
            if s.endswith(word):
                return [_number(s[: -len(word)]) / 100]
        v = _number(s)
    else:
        v = float(answer)
    return [v, v / 100]


# --------------------------------------------------------------------------- the questions


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


def _q01_who_left(mrr):
    last = _last(mrr)
    logo_churn = 1 - last.logo_retention
    revenue_churn = last.churn / last.start_mrr
    return "a" if revenue_churn < logo_churn else "b"


def _q02_investor_method(_):
    from .retention import METHODS

    return "abcd"[["survivors", "cohort", "lazy", "compounded"].index(METHODS[0])]  # the default is the standard


def _q02_quarterly(mrr):
    return float(_last(mrr, window=3).nrr)


def _q02_expansion(mrr):
    last = _last(mrr)
    return float(last.nrr - last.grr)


def _q03_month12(mrr):
    from .cohorts import cohort_curve

    return float(cohort_curve(mrr, period="M").set_index("age").loc[12, "value"])


def _q03_trap(mrr):
    from .segments import segment_summary

    s = segment_summary(mrr, "segment")
    return "a" if float(s.iloc[-1].nrr) > float(s.attrs["average_of_segments"]) else "b"


def _q03_interval_low(mrr):
    from .customers import nrr_interval

    return float(nrr_interval(mrr, level=0.8, progress=False).low)


def _q04_monthly(_):
    from .levers import monthly_churn

    return monthly_churn(0.12)


def _q04_half_smb(mrr):
    from .levers import segment_weights

    w = segment_weights(mrr, change=0.5).set_index(["segment", "lever"])
    return float(w.loc[("SMB", "churn"), "company_nrr_change"])


def _q04_enterprise_leavers(mrr):
    from .levers import logo_and_revenue_churn

    e = logo_and_revenue_churn(mrr, by="segment").set_index("segment").loc["Enterprise"]
    ratio = e.churned_avg_mrr / e.base_avg_mrr
    return "c" if abs(ratio - 1) < 0.05 else "a" if ratio > 1 else "b"


def _q05_fixed(_):
    from .scenarios import project_arr

    return float(project_arr(10e6, nrr=1.05, new_arr=2e6).end_arr.iloc[-1])


def _q05_new_for_ceiling(_):
    from .scenarios import ceiling

    new = 30e6 * (1 - 0.90)
    assert abs(ceiling(new, 0.90).limit - 30e6) < 1e-3  # the leaky bucket's ceiling is then $30M
    return new


def _q05_ratio(_):
    from .scenarios import compare_scenarios

    c = compare_scenarios({"110": dict(start_arr=20e6, nrr=1.10, new_rate=0.2),
                           "120": dict(start_arr=20e6, nrr=1.20, new_rate=0.2)})
    return float(c["120 / 110"].iloc[-1])


QUESTIONS: dict[str, dict[str, Question]] = {
    "00": {
        "q1": Question("How many of the base customers of the last 12-month window (ending 2025-12) still pay?",
                       "count", _q00_retained,
                       "The retention table has a column that counts the base customers still paying "
                       "(its columns are listed above); read it on the last row."),
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
                       "last row."),
        "q3": Question("Using the NRR and GRR printed above: what share of the base's starting MRR did expansion "
                       "add over the last 12 months?", "rate", _q02_expansion,
                       "NRR = 1 - churn - contraction + expansion and GRR = 1 - churn - contraction: "
                       "subtract one from the other."),
    },
    "03": {
        "q1": Question("On the monthly cohort curve, what share of starting MRR is left at age 12 "
                       "(dollar-weighted over all cohorts)?", "rate", _q03_month12,
                       "nk.cohort_curve(mrr, period='M') has one row per age in months; read value at age 12."),
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
                       _q03_interval_low, "nk.nrr_interval takes level= as shown above (level=0.8); read .low."),
    },
    "04": {
        "q1": Question("Which constant monthly churn compounds to 12% a year?", "rate", _q04_monthly,
                       "A customer survives a year with probability (1 - monthly) ** 12; "
                       "levers.monthly_churn goes the other way for you.", tolerance=0.00005),
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
                       tolerance=0.001),
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


# --------------------------------------------------------------------------- checking


_FORMS = {"rate": "a rate such as 0.95 or '95%'", "money": "an amount such as 2500000 or '$2.5M'",
          "count": "a whole number", "accept": "an amount such as 2500 or '$2.5K'", "name": "a name in quotes",
          "ratio": "a number such as 1.5 (or '1.5x')", "points": "points of NRR such as 1.2 or '1.2 points'",
          "choice": "a letter such as 'b'"}


@dataclass
class Result:
    """What a check says.  It holds the verdict and the message, never the expected value.

    A check of a placeholder (``...``) displays, in a notebook or a dashboard, an input box
    (or the choices) and a Check button, so the exercise can be answered without code.
    """

    question: str
    correct: bool
    message: str
    ask: Callable | None = field(default=None, repr=False)

    def __repr__(self) -> str:
        return self.message

    def __bool__(self) -> bool:
        return self.correct

    def _ipython_display_(self) -> None:  # pragma: no cover - notebook display
        from IPython.display import display

        print(self.message)
        if self.ask is not None:
            display(self.ask())


@dataclass
class Exercises:
    """The exercises of one notebook (``"00"`` to ``"05"``), checked against ``mrr``.

    ``mrr`` defaults to the bundled sample company, the data the lessons use.
    """

    notebook: str
    mrr: object = None
    misses: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        from .errors import DataError

        key = str(self.notebook)[:2]
        if key not in QUESTIONS:
            raise DataError(f"no exercises for notebook {self.notebook!r}; use one of {', '.join(QUESTIONS)}")
        self.notebook = key

    def __repr__(self) -> str:
        return f"Exercises({self.notebook!r})"

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
        """The text of exercise ``qid`` (with its choices)."""
        q = self._question(qid)
        return q.text + "".join(f"\n  {k}) {t}" for k, t in q.options)

    def _is_right(self, q: Question, answer) -> bool:
        data = self._data()
        if q.kind == "accept":
            return bool(q.expected(data, answer))
        want = q.expected(data)
        if q.kind == "name":
            return str(answer).strip().lower() == str(want).strip().lower()
        if q.kind == "choice":
            letters = {k for k, _ in q.options}
            got = str(answer).strip().strip("()").strip(")").lower()[:1]
            if got not in letters:
                raise ValueError(answer)
            return got == want
        if q.kind == "count":
            return float(str(answer).replace(",", "")) == float(want)
        if q.kind == "points":
            return any(math.isfinite(g) and abs(g - want) <= q.tolerance + _points_unit(answer, g)
                       for g in parse_points(answer))
        if q.kind == "rate":
            got = parse_rate(answer)
            unit = _rate_unit(answer)
            slack = min(unit, 0.005) if unit is not None else 0.0  # never coarser than a whole percent
        elif q.kind == "ratio":
            text = str(answer).strip().rstrip("xX").strip()
            got = _number(text) if isinstance(answer, str) else float(answer)
            unit = written_unit(text if isinstance(answer, str) else repr(float(answer)))
            slack = min(unit, 0.005) if unit is not None else 0.0
        else:
            got, unit = _money_parts(answer)
            slack = min(unit, 0.025 * abs(want)) if unit is not None else 0.0  # "$36M" for $36.06M
            return math.isfinite(got) and abs(got - want) <= max(q.tolerance * max(abs(want), 1.0), slack) + 1e-9
        if not math.isfinite(got):
            return False
        return abs(got - want) <= max(q.tolerance, slack) + 1e-12

    def check(self, qid: str, answer) -> Result:
        """Say whether ``answer`` to exercise ``qid`` is right, without showing the expected value."""
        q = self._question(qid)
        if answer is None or answer is Ellipsis:
            return Result(qid, False, f"{qid}: replace the ... with your answer, then run the cell again "
                                      f"(or answer in the box below and press Check).",
                          ask=_Ask(self, qid))
        try:
            right = self._is_right(q, answer)
        except (TypeError, ValueError):
            return Result(qid, False, f"{qid}: could not read {answer!r} as {_FORMS[q.kind]}; try again.")
        if right:
            self.misses.pop(qid, None)
            return Result(qid, True, f"{qid}: right.")
        self.misses[qid] = self.misses.get(qid, 0) + 1
        if self.misses[qid] == 1:
            return Result(qid, False, f"{qid}: not yet. Check your working and try again.")
        return Result(qid, False, f"{qid}: not yet. Hint: {q.hint}")

    def widget(self, qid: str):
        """The exercise as widgets: the question, an input (or the choices), a Check button and the verdict."""
        import html

        import ipywidgets as w

        q = self._question(qid)
        title = w.HTML(f"<b>{html.escape(qid)}.</b> {html.escape(q.text)}")
        if q.kind == "choice":
            entry = w.RadioButtons(options=[(f"{k}) {t}", k) for k, t in q.options], value=None,
                                   layout=w.Layout(width="auto"))
        else:
            entry = w.Text(placeholder=_FORMS[q.kind], layout=w.Layout(width="260px"))
        button = w.Button(description="Check", button_style="primary")
        verdict = w.HTML()

        def run(_=None):
            value = entry.value
            if value is None or (isinstance(value, str) and not value.strip()):
                verdict.value = "Type an answer first." if q.kind != "choice" else "Choose an answer first."
                return
            verdict.value = html.escape(self.check(qid, value).message)

        button.on_click(run)
        return w.VBox([title, w.HBox([entry, button]) if q.kind != "choice" else w.VBox([entry, button]), verdict])


class _Ask:
    """Builds the widget of one exercise when displayed (its repr shows no number)."""

    def __init__(self, exercises: Exercises, qid: str) -> None:
        self._exercises, self._qid = exercises, qid

    def __call__(self):
        return self._exercises.widget(self._qid)

    def __repr__(self) -> str:
        return "<exercise input>"


def _points_unit(answer, got: float) -> float:
    """The rounding slack of a points answer: half a unit of the last digit written, at most 0.05 points."""
    text = answer.strip().lower() if isinstance(answer, str) else repr(float(answer))
    for word in ("percentage points", "points", "point", "pts", "pt", "pp", "%"):
        if text.endswith(word):
            text = text[: -len(word)].strip()
            break
    unit = written_unit(text)
    if unit is None:
        return 0.0
    scale = 1.0 if abs(got - _number(text)) < 1e-15 else 0.01  # read as a fraction, or as points
    return min(unit * scale, 0.0005)
