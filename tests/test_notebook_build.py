"""notebooks/src/build.py: a notebook regenerated from its py:percent source and executed, with its
outputs and the widget state of its app stored (what JupyterLab and the docs draw unrun)."""

from __future__ import annotations

import importlib.util
import json
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _build_module():
    spec = importlib.util.spec_from_file_location("notebook_build", ROOT / "notebooks" / "src" / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_sources_are_the_paired_text_files():
    names = [p.name for p in _build_module().sources()]
    assert names == sorted(p.with_suffix(".py").name for p in (ROOT / "notebooks").glob("*.ipynb"))
    assert "build.py" not in names



def test_the_notebooks_folder_holds_the_notebooks_alone():
    """What a learner's file browser shows in notebooks/: the notebooks and one folder of sources."""
    import subprocess

    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    tracked = subprocess.run(["git", "ls-files", "notebooks"], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout.split()
    top = {p.split("/")[1] for p in tracked}
    assert top == {p.name for p in (ROOT / "notebooks").glob("*.ipynb")} | {"src"}


def test_build_executes_and_stores_the_widget_state(tmp_path):
    pytest.importorskip("nbconvert")
    jupytext = pytest.importorskip("jupytext")
    (tmp_path / "src").mkdir()
    source = tmp_path / "src" / "01-nrr-in-ten-minutes.py"
    shutil.copy(ROOT / "notebooks" / "src" / source.name, source)
    assert _build_module().main([str(source)]) == 0
    nb = json.loads((tmp_path / "01-nrr-in-ten-minutes.ipynb").read_text())  # beside src/, as in notebooks/
    # the same cells as the text file, every code cell executed, no error
    assert ["".join(c["source"]) for c in nb["cells"]] == [c["source"] for c in jupytext.read(source)["cells"]]
    assert nb["metadata"]["jupytext"]["formats"] == "ipynb,src//py:percent"
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(c["execution_count"] for c in code)
    assert not [o for c in code for o in c["outputs"] if o["output_type"] == "error"]
    # the calculator's view and its state, chart included, are in the file
    state = nb["metadata"]["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    views = [o["data"]["application/vnd.jupyter.widget-view+json"]["model_id"] for c in code for o in c["outputs"]
             if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    assert views and all(v in state for v in views)
    images = [m for m in state.values() if m["model_name"] == "ImageModel"]
    assert images and all(b["data"] for m in images for b in m["buffers"])
    # the stored worked example of the text: NRR of 100,000 + 15,000 - 3,000 - 5,000 is 107%
    printed = "".join("".join(o.get("text", "")) for c in code for o in c["outputs"])
    assert "107" in printed
