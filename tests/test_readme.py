"""The README: short, one test command, and its examples run as pasted on the bundled sample.

The Python block runs from the repository folder as a user pastes it, and must print the
figures the README shows under it; the CLI block runs as written (``.venv/bin/nrrkit`` is
``python -m nrrkit`` here) and must print the lines shown under it.  The figures themselves are
pinned by the tests of the measures; here they pin that the README's text is current.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from .ports import free_port

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, re.S)


def test_readme_is_short_and_gives_one_test_command():
    assert len(README.splitlines()) <= 150
    bash = "\n".join(_blocks("bash"))
    assert bash.count("bash .ci/run") == 1
    # the test command is bash .ci/run; the line it ends with is quoted in the text, the same as in .ci/run
    ci_line = (ROOT / ".ci" / "run").read_text().rstrip().splitlines()[-1]
    assert ci_line in README and "pytest" not in bash
    # the quick start opens the index notebook directly (JupyterLab's printed address lands on it)
    assert "--LabApp.default_url=/lab/tree/notebooks/00-index.ipynb" in bash
    assert "jupyter trust notebooks/*.ipynb" in bash  # JupyterLab draws stored widgets only in a trusted notebook
    assert (ROOT / "notebooks" / "00-index.ipynb").exists()
    # .ci/run ends with the install-and-test line that CI runs
    assert (ROOT / ".ci" / "run").read_text().rstrip().splitlines()[-1] == (
        'python3 -m venv .venv && .venv/bin/pip install -q -e ".[test]" && .venv/bin/python -m pytest -q')


def test_readme_names_only_files_that_exist():
    for path in re.findall(r"\b((?:data|notebooks|docs|tests)/[\w./-]+\.\w+)", README):
        if "*" not in path and "_build" not in path and "NAME" not in path:
            assert (ROOT / path).exists(), path


def test_readme_python_example_runs_as_pasted(monkeypatch):
    python = _blocks("python")
    assert len(python) == 1
    shown = _blocks("text")[0]  # the output printed under it
    monkeypatch.chdir(ROOT)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(python[0], "README.md", "exec"), {"__name__": "__readme__"})  # noqa: S102 - the README's own example
    printed = out.getvalue()
    assert shown.strip() in printed
    # the sample's December 2025 figures (computed again here, not read from the README)
    import nrrkit as nk

    r = nk.retention(nk.read_mrr(ROOT / "data" / "sample_mrr.csv"), window=12)
    assert f"{r['nrr'].iloc[-1]:.3f}" == "1.225" and "Total 1.225 0.914           0.870" in printed
    assert "method       : cohort" in printed or "method          : cohort" in printed


def test_readme_cli_example_runs_as_pasted():
    commands = [ln for block in _blocks("bash") for ln in block.splitlines() if ln.startswith(".venv/bin/nrrkit ")]
    assert commands == [".venv/bin/nrrkit summary data/sample_mrr.csv"]
    args = commands[0].split()[1:]
    r = subprocess.run([sys.executable, "-m", "nrrkit", *args], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    shown = _blocks("text")[1]
    for line in shown.strip().splitlines():
        if line.strip() != "...":  # the README shows the first lines, then "..."
            assert line in r.stdout.splitlines(), line


def test_quick_start_address_opens_the_index_notebook(tmp_path):
    """JupyterLab started with the quick start's flags prints an address on the index notebook, and its
    root redirects there (not to the Launcher), as a user on a server would open it."""
    pytest.importorskip("jupyterlab")
    command = next(ln for block in _blocks("bash") for ln in block.splitlines() if "jupyter lab" in ln)
    flags = command.split("jupyter lab", 1)[1].split()
    assert flags == ["--allow-root", "--LabApp.default_url=/lab/tree/notebooks/00-index.ipynb"]
    port = free_port()
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"), JUPYTER_DATA_DIR=str(tmp_path / "data"))
    log = tmp_path / "lab.log"
    with log.open("w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "jupyterlab", *flags, "--no-browser", f"--port={port}",
                                 "--ServerApp.ip=127.0.0.1", "--ServerApp.token=readme-test"],
                                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(240):
            if "/lab/tree/notebooks/00-index.ipynb?token=" in log.read_text():
                break
            time.sleep(0.5)
        printed = log.read_text()
        assert f"{base}/lab/tree/notebooks/00-index.ipynb?token=" in printed, printed[-2000:]
        with urllib.request.urlopen(f"{base}/?token=readme-test", timeout=30) as r:  # follows the redirect
            assert r.url.startswith(f"{base}/lab/tree/notebooks/00-index.ipynb") and r.status == 200
        with urllib.request.urlopen(f"{base}/api/contents/notebooks/00-index.ipynb?content=0&token=readme-test",
                                    timeout=30) as r:
            assert r.status == 200
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
