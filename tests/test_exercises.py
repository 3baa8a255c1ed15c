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
        if q.kind == "choice":
            wrong = next(k for k, _ in q.options if k != expected)
        elif q.kind == "name":
            wrong = expected + "x"
        else:
            wrong = expected + 1 if q.kind == "count" else expected * 1.1 + 0.01
    first, second = ex.check(qid, wrong), ex.check(qid, wrong)
    assert not first and not second
    assert "Hint" not in first.message and "Hint:" in second.message and q.hint in second.message
    ok = ex.check(qid, right)
    assert ok and ok.message == f"{qid}: right."
    shown = " ".join(r.message + repr(r) + str(vars(r)) for r in (first, second, ok)) + q.hint + q.text
    if q.kind not in ("name", "accept", "choice"):
        leaks = [f for f in _forms(float(expected)) if f in shown]
        assert leaks == [], f"the expected value shows as {leaks}"


def test_answers_in_the_forms_people_write():
    ex = Exercises("01", MRR)
    # 01 q1: (200,000 + 30,000 - 10,000 - 14,000) / 200,000 = 206,000 / 200,000 = 103%
    for answer in (1.03, "103%", "103.0 %", 103, "1.03"):
        assert ex.check("q1", answer), answer
    assert not ex.check("q1", 1.04) and not ex.check("q1", "104%")
    ex5 = Exercises("05", MRR)
    # 05 q2: to settle at $30M with NRR 90%, new ARR = 30M x (1 - 0.9) = $3M a year
    for answer in (3e6, "$3M", "3,000,000", "$3.0M", "$3,000K"):
        assert ex5.check("q2", answer), answer
    assert not ex5.check("q2", "$2M") and not ex5.check("q2", "$30M")


def test_rounding_a_person_would_write():
    ex5 = Exercises("05", MRR)
    # 05 q1: 10M x 1.05**5 + 2M x (1.05**5 - 1) / 0.05 = 12.7628 + 11.0513 = $23.81M
    for answer in ("$23.8M", "$24M", "23,800,000", 23.81e6, "$23.81M"):
        assert ex5.check("q1", answer), answer
    for answer in ("$23M", "$25M", "$2E7", 2e7, "$20M"):  # off by more than the digits written allow
        assert not ex5.check("q1", answer), answer
    ex1 = Exercises("01", MRR)
    # 01 q2: (200,000 - 10,000 - 14,000) / 200,000 = 88%
    for answer in ("88%", 0.88, "88.0%", 88):
        assert ex1.check("q2", answer), answer
    ex2 = Exercises("02", MRR)
    last = nk.retention(MRR).iloc[-1]
    share = last.nrr - last.grr  # 02 q3: expansion / start, 31.1% on the sample
    assert ex2.check("q3", f"{share:.0%}") and ex2.check("q3", round(share, 2)) and ex2.check("q3", f"{share:.1%}")
    assert not ex2.check("q3", "0.3") and not ex2.check("q3", f"{share + 0.01:.0%}")
    # a rate is never accepted coarser than a whole percent: "1.2" is not 122.5%
    ex3 = Exercises("03", MRR)
    assert not ex3.check("q1", "1")
    ex4 = Exercises("04", MRR)
    # 04 q2: half of SMB's churned MRR over the company's base MRR, read as points or as a fraction
    want = Exercises("04", MRR)._question("q2").expected(MRR)
    for answer in (f"{want * 100:.2f} points", f"{want * 100:.1f}", f"{want * 100:.2f}%", round(want, 4)):
        assert ex4.check("q2", answer), answer
    assert not ex4.check("q2", f"{want * 200:.1f} points")
    # 05 q3: (1.4 / 1.3) ** 5 = 1.4485
    for answer in ("1.45x", 1.45, "1.448", "1.45"):
        assert ex5.check("q3", answer), answer
    assert not ex5.check("q3", "1.4") and not ex5.check("q3", 2.1)


def test_choices_by_letter():
    ex = Exercises("02", MRR)
    for answer in ("b", "B", "(b)", "b) cohort"):
        assert ex.check("q1", answer), answer
    assert not ex.check("q1", "a")
    assert "could not read 'z'" in ex.check("q1", "z").message
    assert "  b) cohort: it follows every customer" in ex.question("q1")


def test_dashboard_mode_gives_an_input_and_a_check_button():
    import ipywidgets as w

    ex = Exercises("05", MRR)
    placeholder = ex.check("q1", ...)
    assert placeholder.ask is not None and repr(placeholder.ask) == "<exercise input>"
    box = placeholder.ask()
    title, row, verdict = box.children
    entry, button = row.children
    assert isinstance(entry, w.Text) and button.description == "Check"
    entry.value = "$24M"
    button.click()
    assert verdict.value == "q1: right."
    entry.value = "$30M"
    button.click()
    assert verdict.value.startswith("q1: not yet")
    choice = Exercises("04", MRR).check("q3", ...).ask()
    radio = choice.children[1].children[0]
    assert isinstance(radio, w.RadioButtons) and [v for _, v in radio.options] == ["a", "b", "c"]
    radio.value = "b"
    choice.children[1].children[1].click()
    assert choice.children[2].value in ("q3: right.", "q3: not yet. Check your working and try again.")


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
