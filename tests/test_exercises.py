"""The exercise checker: a right answer is accepted in the forms people write it, a wrong one is
refused, the hint comes on the second miss, and the expected value never appears in anything the
check shows or returns."""

from __future__ import annotations

import re

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


# --------------------------------------------------------------------------- no answer above its question


def _shown_forms(kind: str, v: float) -> set[str]:
    """The ways a person would see the expected value printed: 87.0%, 0.870, 980, $23.8M, 1.45x ..."""
    from nrrkit import plot

    if kind == "rate":
        return {f"{v:.1%}", f"{v:.2%}", f"{v:.3f}", f"{v:.4f}", f"{v * 100:.1f} %"}
    if kind == "points":
        return {f"{v * 100:.2f} points", f"{v * 100:.1f} points", f"{v * 100:.2f} pts", f"{v * 100:.1f} pts",
                f"{v * 100:.2f}%", f"{v:.4f}"}
    if kind == "money":
        return {plot.money(v), f"{v:,.0f}", f"${v / 1e6:.1f}M", f"{v / 1e6:.2f}M", plot.money_exact(v)}
    if kind == "count":
        return {f"{int(v):,}", f"{int(v)}"}
    if kind == "ratio":
        return {f"{v:.2f}x", f"{v:.2f}", f"{v:.1f}x"}
    return set()


def _text_above(cells) -> str:
    import html
    import re

    parts = []
    for c in cells:
        parts.append("".join(c["source"]) if c["cell_type"] == "markdown" else "")
        for o in c.get("outputs", []):
            parts.append("".join(o.get("text", "")))
            data = o.get("data", {})
            for mime in ("text/plain", "text/markdown", "text/html"):
                text = "".join(data.get(mime, ""))
                if mime == "text/html":
                    text = html.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<style.*?</style>", "", text, flags=re.S)))
                parts.append(text)
    return "\n".join(parts)


def _leaks(kind: str, want: float, above: str) -> list[str]:
    import re

    return sorted(f for f in _shown_forms(kind, want) if re.search(rf"(?<![\d.,]){re.escape(f)}(?![\d]|[.,]\d)", above))


def test_the_scan_finds_a_printed_answer():
    # the case: 01 q4 asked for logo retention, 87.0% (980 of 1,126), printed in the lesson above
    cells = [{"cell_type": "code", "source": ["print(...)"],
              "outputs": [{"output_type": "stream", "text": ["logo retention 87.0% (980 of 1,126 still pay)\n"]}]},
             {"cell_type": "markdown", "source": ["ARR after five years: $23.8M"]}]
    above = _text_above(cells)
    assert _leaks("rate", 980 / 1126, above) == ["87.0%"]
    assert _leaks("count", 980, above) == ["980"]
    assert _leaks("money", 23.81e6, above) == ["$23.8M"]
    assert _leaks("count", 98, above) == [] and _leaks("rate", 0.87, "187.0%") == []


NOTEBOOKS = sorted((__import__("pathlib").Path(__file__).resolve().parents[1] / "notebooks").glob("0*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_no_expected_value_appears_above_its_question(path):
    """Scan the executed notebook: nothing above a check cell (markdown, printed output, tables, widget
    text) shows the value that check expects, in any of the forms a person would read it."""
    import json
    import re

    nb = json.loads(path.read_text())
    key = path.name[:2]
    cells = nb["cells"]
    checked = 0
    for i, c in enumerate(cells):
        m = re.search(r'ex\.check\("(q\d)"', "".join(c["source"])) if c["cell_type"] == "code" else None
        if not m:
            continue
        q = QUESTIONS[key][m.group(1)]
        if q.kind in ("choice", "name", "accept"):
            continue  # a letter or a name, not a number to look up
        found = _leaks(q.kind, float(q.expected(MRR)), _text_above(cells[:i]))
        assert found == [], f"{path.name} {m.group(1)}: the expected value is printed above as {found}"
        checked += 1
    assert checked >= 1 or all(q.kind in ("choice", "name", "accept") for q in QUESTIONS[key].values())


def test_every_question_is_asked_in_its_notebook_with_a_widget_in_dashboard_mode():
    import json
    import re

    for path in NOTEBOOKS:
        nb = json.loads(path.read_text())
        asked = {re.search(r'ex\.check\("(q\d)"', "".join(c["source"])).group(1) for c in nb["cells"]
                 if c["cell_type"] == "code" and "ex.check(" in "".join(c["source"])}
        assert asked == set(QUESTIONS[path.name[:2]])
        for c in nb["cells"]:
            if c["cell_type"] == "code" and "ex.check(" in "".join(c["source"]):
                mimes = {m for o in c["outputs"] for m in o.get("data", {})}
                assert "application/vnd.jupyter.widget-view+json" in mimes, path.name  # the input and its button


# -- where the exercise is shown: a notebook (code, cells) or a room page (no code) ----------------

_CODE = re.compile(r"\b(nk|levers|scenarios|plot)\.\w+|\w+=|\.low\b|\(mrr")


def test_a_page_words_the_check_for_the_box_and_a_notebook_for_the_cell(monkeypatch):
    ex = Exercises("01", MRR)
    # JupyterLab (the default): the ... in the cell, and the box as the other way
    assert ex.check("q1", ...).message == ("q1: replace the ... with your answer, then run the cell again "
                                           "(or answer in the box below and press Check).")
    monkeypatch.setattr(Exercises, "on_page", True)  # what the room server's workers set
    assert ex.check("q1", ...).message == "q1: type your answer in the box below and press Check."
    assert ex.check("q4", ...).message == "q4: choose your answer below and press Check."
    # the same check, right and wrong, reads the same in both places
    assert ex.check("q1", "103%").message == "q1: right."  # (200 + 30 - 10 - 14) / 200 = 103%
    # a box on a page shows the forms without Python's quotes
    assert ex.widget("q1").children[1].children[0].placeholder == "a rate such as 0.95 or 95%"
    assert ex.check("q1", "lots").message == "q1: could not read 'lots' as a rate such as 0.95 or 95%; try again."
    monkeypatch.setattr(Exercises, "on_page", False)
    assert ex.widget("q1").children[1].children[0].placeholder == "a rate such as 0.95 or '95%'"


def test_a_page_does_not_ask_twice(monkeypatch, capsys):
    """On a page the question is the text right above the box: the box names the exercise only, and
    the check prints no line of its own; a notebook's box keeps the question (its code sits between)."""
    from IPython.core.interactiveshell import InteractiveShell

    InteractiveShell.instance()  # display() needs a shell
    ex = Exercises("01", MRR)
    q1 = QUESTIONS["01"]["q1"]
    assert q1.text in ex.widget("q1").children[0].value
    ex.check("q1", ...)._ipython_display_()
    assert capsys.readouterr().out.startswith("q1: replace the ... with your answer")
    monkeypatch.setattr(Exercises, "on_page", True)
    assert ex.widget("q1").children[0].value == "<b>q1.</b> Your answer:"
    ex.check("q1", ...)._ipython_display_()
    assert "q1:" not in capsys.readouterr().out
    # every box is wide enough for the example it shows: "an amount such as 2500 or $2.5K" is 31 characters
    for qid in QUESTIONS["01"]:
        box = ex.widget(qid).children[1].children[0]
        if hasattr(box, "placeholder"):
            assert int(box.layout.width.removesuffix("ch")) >= len(box.placeholder) + 4


def test_a_hint_that_names_code_has_a_page_hint_that_does_not(monkeypatch):
    for key, questions in QUESTIONS.items():
        for qid, q in questions.items():
            page = q.hint_for(True)
            assert not _CODE.search(page), f"{key} {qid}: the page hint names code: {page}"
            assert q.hint_for(False) == q.hint  # JupyterLab keeps its hint
            if _CODE.search(q.hint):
                assert q.page_hint, f"{key} {qid}: its hint names code and it has no page hint"
    # the page hint is what a second miss says on a page; the notebook's hint in a notebook
    monkeypatch.setattr(Exercises, "on_page", True)
    ex = Exercises("01", MRR)
    ex.check("q1", 0.5), ex.check("q1", 0.5)
    assert ex.check("q1", 0.5).message == ("q1: not yet. Hint: NRR = (start + expansion - contraction - churn) / "
                                           "start; the calculator above shows it when you enter the four amounts.")
    monkeypatch.setattr(Exercises, "on_page", False)
    assert ex.check("q1", 0.5).message.endswith("nk.nrr takes the four numbers in that order.")


def test_words_for_a_reader_of_the_code_are_tagged_notebook_only():
    """A room page leaves out markdown cells tagged notebook-only; every exercise instruction that
    speaks of the ``...`` or of running a cell is in one, and the notebook still shows it."""
    import json

    for path in NOTEBOOKS:
        nb = json.loads(path.read_text())
        tagged = 0
        for c in nb["cells"]:
            text = "".join(c["source"])
            if c["cell_type"] == "markdown" and ("in place of `...`" in text or "run the cell" in text):
                assert "notebook-only" in c["metadata"].get("tags", []), (path.name, text[:60])
                tagged += 1
        assert tagged >= 1, path.name


def test_a_page_lists_a_choices_options_once():
    """A choice's options are the radio buttons on a page: the notebook's own list of them ("Answer with
    the letter: a) ...") is in a notebook-only cell, and no untagged cell names a variable of the code."""
    import json

    for path in NOTEBOOKS:
        nb = json.loads(path.read_text())
        for c in nb["cells"]:
            text = "".join(c["source"])
            if c["cell_type"] != "markdown" or "notebook-only" in c["metadata"].get("tags", []):
                continue
            assert not re.search(r"(^|\s)a\) .*\bb\) ", text, re.S), (path.name, text[:80])  # options listed
            assert "with the letter" not in text and "`DATA`" not in text, (path.name, text[:80])


def test_a_box_takes_the_answer_with_the_quotes_the_notebook_shows(monkeypatch):
    """The markdown writes examples as code ("25%" in quotes); typed into a box as shown, they are read."""
    monkeypatch.setattr(Exercises, "on_page", True)
    box = Exercises("01", MRR).widget("q1")
    entry, button = box.children[1].children
    entry.value = '"103%"'  # (200 + 30 - 10 - 14) / 200 = 103%
    button.click()
    assert box.children[2].value == "q1: right."
