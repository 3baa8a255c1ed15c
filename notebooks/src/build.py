"""Regenerate each notebook from its py:percent source and execute it, widget state stored.

A development tool (not part of the package)::

    .venv/bin/python notebooks/src/build.py                              # every notebook
    .venv/bin/python notebooks/src/build.py notebooks/src/04-levers.py   # one or more

For each ``notebooks/src/NAME.py`` (jupytext py:percent, the file to edit and review) it writes
``notebooks/NAME.ipynb`` with the same cells and the pairing metadata, executes it in a fresh
``python3`` kernel whose working folder is ``notebooks/`` and which imports nrrkit from this
checkout, and stores every output and the state of every widget (``store_widget_state``), so
JupyterLab, the documentation site and a code host show the apps without running anything.
The first cell that raises stops the build with the notebook's name and the error.

The sources sit in ``src/`` so that a learner's file browser in ``notebooks/`` shows the
notebooks alone (jupytext's pairing ``ipynb,src//py:percent``).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent  # notebooks/src
ROOT = HERE.parents[1]


def sources() -> list[Path]:
    """Every notebook source: the .py files here with a jupytext header."""
    return sorted(p for p in HERE.glob("*.py") if "jupytext:" in p.read_text(encoding="utf-8")[:400])


def build(source: Path, timeout: int = 900) -> Path:
    """Write ``source``'s .ipynb from it and execute it in place; returns the .ipynb's path."""
    import jupytext
    from nbconvert.preprocessors import ExecutePreprocessor

    notebook = jupytext.read(source)
    notebook.metadata.setdefault("kernelspec", {"display_name": "Python 3", "language": "python", "name": "python3"})
    env_path = os.environ.get("PYTHONPATH", "")
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env_path) if p)  # the kernel imports this nrrkit
    try:
        executor = ExecutePreprocessor(timeout=timeout, kernel_name="python3", store_widget_state=True)
        executor.preprocess(notebook, {"metadata": {"path": str(target(source).parent)}})
    finally:
        os.environ["PYTHONPATH"] = env_path
        if not env_path:
            del os.environ["PYTHONPATH"]
    out = target(source)
    jupytext.write(notebook, out, fmt="ipynb")
    return out


def target(source: Path) -> Path:
    """The notebook a source writes: ``notebooks/NAME.ipynb`` for ``notebooks/src/NAME.py``."""
    return source.parent.parent / source.with_suffix(".ipynb").name


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sources", nargs="*", type=Path, help="notebooks/src/NAME.py files (default: every notebook)")
    parser.add_argument("--timeout", type=int, default=900, help="seconds a cell may run (900)")
    args = parser.parse_args(argv)
    todo = [p.resolve() for p in args.sources] or sources()
    for source in todo:
        if source.suffix != ".py" or not source.exists():
            parser.error(f"{source}: not a notebook source (notebooks/src/NAME.py)")
        start = time.perf_counter()
        try:
            target = build(source, timeout=args.timeout)
        except Exception as exc:  # noqa: BLE001 - name the notebook, then stop
            print(f"{source.name}: {type(exc).__name__}: {str(exc).strip().splitlines()[-1] if str(exc).strip() else ''}",
                  file=sys.stderr)
            return 1
        shown = target.relative_to(ROOT) if target.is_relative_to(ROOT) else target
        print(f"{shown}: executed in {time.perf_counter() - start:.0f} s, widget state stored")
    return 0


if __name__ == "__main__":
    sys.exit(main())
