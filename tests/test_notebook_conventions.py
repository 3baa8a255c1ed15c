"""The committed notebooks keep the conventions that make nbval meaningful.

nbval compares a ``# NBVAL_CHECK_OUTPUT`` cell with its *stored* output; a notebook
regenerated from its paired text file but not executed has none, and would pass vacuously.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("0*.ipynb"))
HERE = Path(__file__).resolve().parents[1] / "notebooks"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_conventions(path):
    nb = json.loads(path.read_text())
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    checked = [c for c in code if "NBVAL_CHECK_OUTPUT" in "".join(c["source"])]
    assert checked, "every notebook pins some numbers"
    for c in checked:
        assert c.get("outputs"), f"a checked cell has no stored output (execute the notebook): {c['source'][:80]}"
        assert all(o.get("output_type") != "error" for o in c["outputs"])
    for c in code:
        src = "".join(c["source"])
        if "apps." in src and ("Explorer(" in src or "Calculator(" in src):
            assert "nbval-ignore-output" in c["metadata"].get("tags", []), "widget cells are not compared"
    text = "".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    assert "## Exercises" in text
    if path.name[:2] in ("02", "03", "04", "05"):
        assert any("parameters" in c["metadata"].get("tags", []) for c in code), "papermill parameters cell"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_matches_its_text_file(path):
    """Each notebook is paired with a py:percent file (jupytext); the two hold the same cells."""
    import jupytext

    text = jupytext.read(path.parent / "src" / path.with_suffix(".py").name)
    nb = json.loads(path.read_text())
    assert ["".join(c["source"]) for c in nb["cells"]] == [c["source"] for c in text["cells"]]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_exercises_show_no_answer(path):
    """Every notebook ends with 2-4 exercises, each a check of the learner's own answer; the source
    holds no expected value (the checker computes it), and the stored outputs only say what to do."""
    from nrrkit.exercises import QUESTIONS

    nb = json.loads(path.read_text())
    checks = [c for c in nb["cells"] if c["cell_type"] == "code" and "ex.check(" in "".join(c["source"])]
    assert 2 <= len(checks) <= 4 and len(checks) == len(QUESTIONS[path.name[:2]])
    for c in checks:
        assert "answer = ...\n" in "".join(c["source"])
        out = "".join("".join(o.get("text", "")) + "".join(o.get("data", {}).get("text/plain", ""))
                      for o in c["outputs"])
        assert "replace the ... with your answer" in out


VIEW = "application/vnd.jupyter.widget-view+json"
STATE = "application/vnd.jupyter.widget-state+json"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_apps_have_their_widget_state_stored(path):
    """Every app a notebook shows is stored with its widget state (notebooks/src/build.py executes with
    store_widget_state), its chart included: JupyterLab, the docs and a code host draw it unrun."""
    nb = json.loads(path.read_text())
    state = nb["metadata"].get("widgets", {}).get(STATE, {}).get("state", {})
    app_cells = [c for c in nb["cells"] if c["cell_type"] == "code"
                 and "apps." in "".join(c["source"]) and ("Explorer(" in "".join(c["source"]) or "Calculator(" in "".join(c["source"]))]
    for cell in app_cells:
        views = [o["data"][VIEW]["model_id"] for o in cell.get("outputs", []) if VIEW in o.get("data", {})]
        assert views, f"an app cell has no stored widget output (run notebooks/src/build.py): {cell['source'][:1]}"
        for model_id in views:
            assert model_id in state, "the app's widget state is not stored (run notebooks/src/build.py)"
            tree, todo = [], [model_id]
            while todo:
                model = state[todo.pop()]
                tree.append(model)
                todo += [c[len("IPY_MODEL_"):] for c in model["state"].get("children", [])]
            images = [m for m in tree if m["model_name"] == "ImageModel"]
            assert images and all(any(b["path"] == ["value"] and b["data"] for b in m.get("buffers", [])) for m in images)
