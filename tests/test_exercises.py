"""The exercise checker: a right answer is accepted in the forms people write it, a wrong one is
refused, the hint comes on the second miss, and the expected value never appears in anything the
check shows or returns."""

from __future__ import annotations

import pytest

import nrrkit as nk
from nrrkit.exercises import QUESTIONS, Exercises, parse_money, parse_rate

MRR = nk.datasets.load_sample()


def _forms(value: float) -> set[str]:
    """The ways the expected value could leak into a message."""
    forms = {f"{value}", f"{value:.4f}", f"{value:.3f}", f"{value:.2f}", f"{value:,.0f}", f"{value:.0f}",
             f"{value * 100:.1f}", f"{value * 100:.2f}", f"{value / 1e6:.1f}M", f"{value / 1e6:.2f}"}
    return {f for f in forms if sum(ch.isdigit() for ch in f) >= 2}


def _cases():
    for nb, qs in QUESTIONS.items():
        for qid, q in qs.items():
            yield nb, qid, q


@pytest.mark.parametrize("nb,qid,q", list(_cases()), ids=[f"{n}-{i}" for n, i, _ in _cases()])
def test_right_wrong_hint_and_no_leak(nb, qid, q):
    ex = Exercises(nb, MRR)
    if q.kind == "accept":
        right, wrong, expected = 8_000, 7_000, 8_000.0   # 01 q3: expansion = 3,000 + 5,000
    else:
        expected = q.expected(MRR)
        right = expected
        wrong = (expected + "x") if q.kind == "name" else (expected + 1 if q.kind == "count" else expected * 1.1 + 0.01)
    first, second = ex.check(qid, wrong), ex.check(qid, wrong)
    assert not first and not second
    assert "Hint" not in first.message and "Hint:" in second.message and q.hint in second.message
    ok = ex.check(qid, right)
    assert ok and ok.message == f"{qid}: right."
    shown = " ".join(r.message + repr(r) + str(vars(r)) for r in (first, second, ok)) + q.hint + q.text
    if q.kind not in ("name", "accept"):
        leaks = [f for f in _forms(float(expected)) if f in shown]
        assert leaks == [], f"the expected value shows as {leaks}"


def test_answers_in_the_forms_people_write():
    ex = Exercises("01", MRR)
    # 01 q1: (200,000 + 30,000 - 10,000 - 14,000) / 200,000 = 206,000 / 200,000 = 103%
    for answer in (1.03, "103%", "103.0 %", 103, "1.03"):
        assert ex.check("q1", answer), answer
    assert not ex.check("q1", 1.04) and not ex.check("q1", "104%")
    ex5 = Exercises("05", MRR)
    # 05 q2: $3M a year at NRR 80% tends to 3 / (1 - 0.8) = $15M
    for answer in (15e6, "$15M", "15,000,000", "$15.0M"):
        assert ex5.check("q2", answer), answer
    assert not ex5.check("q2", "$20M")


def test_placeholder_and_unreadable_answers_are_not_misses():
    ex = Exercises("04", MRR)
    assert "replace the ..." in ex.check("q2", ...).message
    assert "could not read" in ex.check("q2", "about ninety").message
    assert "Hint" not in ex.check("q2", 0.5).message   # the first real miss


def test_parsers():
    assert parse_rate("107%") == pytest.approx(1.07) and parse_rate(107) == pytest.approx(1.07)
    assert parse_rate(0.95) == 0.95 and parse_rate("0.95") == 0.95
    assert parse_money("$64.1M") == pytest.approx(64.1e6) and parse_money("2,500") == 2500.0
    assert parse_money("$350K") == pytest.approx(350e3)


def test_unknown_notebook_or_question_is_a_clear_error():
    with pytest.raises(nk.DataError, match="use one of 00, 01"):
        Exercises("09")
    with pytest.raises(nk.DataError, match="has exercises q1, q2"):
        Exercises("00", MRR).check("q7", 1)
