"""Sphinx configuration of nrrkit's documentation site.

Build (offline, warnings as errors) from the repository root::

    .venv/bin/python -m sphinx -W -b html docs docs/_build/html

The notebooks are rendered from their stored outputs and widget state; nothing is executed.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path.insert(0, str(ROOT))  # document this checkout, installed or not
sys.path.insert(0, str(DOCS / "_ext"))

import nrrkit  # noqa: E402

project = "nrrkit"
author = "the nrrkit contributors"
copyright = "the nrrkit contributors"  # noqa: A001 - Sphinx's name
version = release = nrrkit.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "numpydoc",
    "myst_nb",  # Markdown pages (MyST) and the notebooks, from their stored outputs
    "sphinxarg.ext",  # the CLI reference, from nrrkit.cli's argparse parser
    "widget_snapshot",  # the notebooks' stored apps as static HTML (_ext/widget_snapshot.py)
]

# -- the notebooks: copied from notebooks/ on every build (nothing cached), never executed -------
NOTEBOOKS = DOCS / "notebooks"
shutil.rmtree(NOTEBOOKS, ignore_errors=True)
NOTEBOOKS.mkdir()
for _nb in sorted((ROOT / "notebooks").glob("*.ipynb")):
    shutil.copy2(_nb, NOTEBOOKS / _nb.name)

nb_execution_mode = "off"  # render what the .ipynb stores (outputs and widget state)
nb_merge_streams = True
nb_ipywidgets_js = {}  # no CDN bundle: widget_snapshot draws the stored state
myst_enable_extensions = ["colon_fence", "deflist"]  # no dollarmath: "$12k to $25k" is money, not maths
myst_heading_anchors = 3

source_suffix = {".rst": "restructuredtext", ".md": "myst-nb", ".ipynb": "myst-nb"}
exclude_patterns = ["_build", "**.ipynb_checkpoints"]
templates_path = ["_templates"]

# -- the CLI reference: a page per command, from the parser (written anew on every build) ----------
from nrrkit.cliargs import parser as _cli_parser  # noqa: E402

CLI = DOCS / "cli"
shutil.rmtree(CLI, ignore_errors=True)
CLI.mkdir()
_commands = next(a for a in _cli_parser()._actions if a.__class__.__name__ == "_SubParsersAction")
_helps = {a.dest: (a.help or "") for a in _commands._choices_actions}
for _name in _commands.choices:
    (CLI / f"{_name}.md").write_text(
        f"# nrrkit {_name}\n\n{_helps[_name][:1].upper()}{_helps[_name][1:]}.\n\n"
        f"```{{eval-rst}}\n.. argparse::\n   :module: nrrkit.cliargs\n   :func: parser\n   :prog: nrrkit\n"
        f"   :path: {_name}\n   :nodescription:\n```\n", encoding="utf-8")

# -- API reference ------------------------------------------------------------------------------
shutil.rmtree(DOCS / "api" / "generated", ignore_errors=True)  # written anew from the docstrings
autosummary_generate = True
autosummary_imported_members = True
autosummary_ignore_module_all = False  # a module's page lists its __all__
autodoc_default_options = {"members": False}
autodoc_typehints = "none"  # numpydoc's Parameters sections say the types in words
numpydoc_show_class_members = False  # classes list their methods in their own autosummary
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False

# -- the look -----------------------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = "nrrkit"
html_static_path = ["_static"]
html_theme_options = {
    "navigation_with_keys": False,
    "header_links_before_dropdown": 7,
    "show_toc_level": 2,
    "footer_start": ["copyright"],
    "footer_end": [],
}
html_show_sourcelink = False
