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
can be answered without code.  A page that shows no code at all (``nrrkit room``'s
workers) sets ``Exercises.on_page = True``, as does a Voila kernel: the checks then say "type your answer in
the box and press Check" instead of "run the cell", and hints that name a function
give a way to the answer on the page instead.  The worked solutions live in
``notebooks/solutions.ipynb``, apart from the lessons.  See ``docs/definitions.md``
for every definition used.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ClassVar

from .answers import money_parts, number, parse_money, parse_points, parse_rate, points_unit, rate_unit, written_unit
from .questions import QUESTIONS, Question

__all__ = ["Exercises", "Result", "Question", "QUESTIONS", "parse_rate", "parse_money", "parse_points", "written_unit"]


_FORMS = {"rate": "a rate such as 0.95 or '95%'", "money": "an amount such as 2500000 or '$2.5M'",
          "count": "a whole number", "accept": "an amount such as 2500 or '$2.5K'", "name": "a name in quotes",
          "ratio": "a number such as 1.5 (or '1.5x')", "points": "points of NRR such as 1.2 or '1.2 points'",
          "choice": "a letter such as 'b'"}
#: What a form says on a page with no code: no quotes (they are Python's, and a box takes the text as it is).
_PAGE_FORMS = {**{kind: text.replace("'", "") for kind, text in _FORMS.items()},
               "name": "a name", "choice": "one of the letters"}


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

        if self.ask is None or not Exercises.on_page:
            print(self.message)  # on a page the box says it all: no line above it
        if self.ask is not None:
            display(self.ask())


@dataclass
class Exercises:
    """The exercises of one notebook (``"00"`` to ``"05"``), checked against ``mrr``.

    ``mrr`` defaults to the bundled sample company, the data the lessons use.
    ``Exercises.silent = True`` (a notebook run as a tool on someone's own data, such as
    notebook 02 in batch) makes every check say nothing, so the run's output holds no
    unanswered exercises.  ``Exercises.on_page = True`` (set by the room server's workers,
    whose pages show no code) words every message for the answer box and its Check button,
    and gives the hints that name no function.
    """

    silent: ClassVar[bool] = False
    # shown on a page with no code: the room server's workers set it; a Voila kernel has VOILA_KERNEL_ID set
    on_page: ClassVar[bool] = bool(os.environ.get("VOILA_KERNEL_ID"))
    notebook: str
    mrr: object = None
    misses: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        from ..errors import DataError

        key = str(self.notebook)[:2]
        if key not in QUESTIONS:
            raise DataError(f"no exercises for notebook {self.notebook!r}; use one of {', '.join(QUESTIONS)}")
        self.notebook = key

    def __repr__(self) -> str:
        return f"Exercises({self.notebook!r})"

    def _data(self):
        if self.mrr is None:
            from ..datasets import load_sample

            self.mrr = load_sample()
        return self.mrr

    def _question(self, qid: str) -> Question:
        from ..errors import DataError

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
            return any(math.isfinite(g) and abs(g - want) <= q.tolerance + points_unit(answer, g)
                       for g in parse_points(answer))
        if q.kind == "rate":
            got = parse_rate(answer)
            unit = rate_unit(answer)
            slack = min(unit, 0.005) if unit is not None else 0.0  # never coarser than a whole percent
        elif q.kind == "ratio":
            text = str(answer).strip().rstrip("xX").strip()
            got = number(text) if isinstance(answer, str) else float(answer)
            unit = written_unit(text if isinstance(answer, str) else repr(float(answer)))
            slack = min(unit, 0.005) if unit is not None else 0.0
        else:
            got, unit = money_parts(answer)
            slack = min(unit, 0.025 * abs(want)) if unit is not None else 0.0  # "$36M" for $36.06M
            return math.isfinite(got) and abs(got - want) <= max(q.tolerance * max(abs(want), 1.0), slack) + 1e-9
        if not math.isfinite(got):
            return False
        return abs(got - want) <= max(q.tolerance, slack) + 1e-12

    def check(self, qid: str, answer) -> Result | None:
        """Say whether ``answer`` to exercise ``qid`` is right, without showing the expected value
        (nothing at all when :attr:`silent`)."""
        q = self._question(qid)
        if self.silent:
            return None
        if answer is None or answer is Ellipsis:
            if self.on_page:
                what = "choose your answer below" if q.kind == "choice" else "type your answer in the box below"
                text = f"{qid}: {what} and press Check."
            else:
                text = (f"{qid}: replace the ... with your answer, then run the cell again "
                        f"(or answer in the box below and press Check).")
            return Result(qid, False, text, ask=_Ask(self, qid))
        try:
            right = self._is_right(q, answer)
        except (TypeError, ValueError):
            form = (_PAGE_FORMS if self.on_page else _FORMS)[q.kind]
            return Result(qid, False, f"{qid}: could not read {answer!r} as {form}; try again.")
        if right:
            self.misses.pop(qid, None)
            return Result(qid, True, f"{qid}: right.")
        self.misses[qid] = self.misses.get(qid, 0) + 1
        if self.misses[qid] == 1:
            return Result(qid, False, f"{qid}: not yet. Check your working and try again.")
        return Result(qid, False, f"{qid}: not yet. Hint: {q.hint_for(self.on_page)}")

    def widget(self, qid: str):
        """The exercise as widgets: the question, an input (or the choices), a Check button and the verdict."""
        import html

        import ipywidgets as w

        q = self._question(qid)
        # on a page the question is the text right above the box: the box says only which one it answers
        title = w.HTML(f"<b>{html.escape(qid)}.</b> " + ("Your answer:" if self.on_page else html.escape(q.text)))
        if q.kind == "choice":
            entry = w.RadioButtons(options=[(f"{k}) {t}", k) for k, t in q.options], value=None,
                                   layout=w.Layout(width="auto"))
        else:
            form = (_PAGE_FORMS if self.on_page else _FORMS)[q.kind]
            # wide enough for the whole example it gives ("an amount such as 2500 or '$2.5K'")
            entry = w.Text(placeholder=form, layout=w.Layout(width=f"{max(24, len(form) + 4)}ch"))
        button = w.Button(description="Check", button_style="primary")
        verdict = w.HTML()

        def run(_=None):
            value = entry.value
            if isinstance(value, str):  # "25%" typed with the quotes the notebook's examples show
                value = value.strip().strip("'\"").strip()
            if value is None or (isinstance(value, str) and not value):
                verdict.value = "Type an answer first." if q.kind != "choice" else "Choose an answer first."
                return
            verdict.value = html.escape(self.check(qid, value).message)

        button.on_click(run)
        box = w.VBox([title, w.HBox([entry, button]) if q.kind != "choice" else w.VBox([entry, button]), verdict])
        # another person's box (the room server): their own tries, counted for hints apart from this one's
        box.nrrkit_copy = lambda: Exercises(self.notebook, self._data()).widget(qid)
        return box


class _Ask:
    """Builds the widget of one exercise when displayed (its repr shows no number)."""

    def __init__(self, exercises: Exercises, qid: str) -> None:
        self._exercises, self._qid = exercises, qid

    def __call__(self):
        return self._exercises.widget(self._qid)

    def __repr__(self) -> str:
        return "<exercise input>"
