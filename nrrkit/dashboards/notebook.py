"""Run a notebook once, in this process, and keep what a reader of its dashboard sees.

The notebook's code cells run in an IPython shell inside the server's worker (no kernel, no
Jupyter front end): markdown becomes HTML; printed text, tables, figures and ``display``
output become static HTML; and every widget shown (an nrrkit app, an exercise's answer box)
becomes a *slot*: its controls drawn as plain HTML, plus the way to make another copy of it for
each person (:attr:`Slot.copy`).  A person's page shows the static parts as they are and talks
to their own copy of each slot.
"""

from __future__ import annotations

import base64
import contextlib
import html
import io
from dataclasses import dataclass, field
from pathlib import Path

from . import controls

__all__ = ["Slot", "Page", "run_notebook", "title_of"]

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
#: The tag of a markdown cell written for a reader of the code ("write your answer in place of
#: ``...`` and run the cell"): a page, which shows no code, leaves it out.
NOTEBOOK_ONLY = "notebook-only"


@dataclass
class Slot:
    """One live widget tree of a page: the copy drawn on the page, and how to make another."""

    number: int
    root: object
    copy: object  # callable returning a fresh root, or None when the widget cannot be copied (shown, not live)

    @property
    def live(self) -> bool:
        return self.copy is not None


@dataclass
class Page:
    name: str
    title: str
    body: str
    slots: list[Slot] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def title_of(nb) -> str:
    """The notebook's first heading, or its file name."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return ""


def _markdown():
    import mistune

    return mistune.create_markdown(escape=False, plugins=["table", "strikethrough"])


class _Outputs:
    """What one cell shows, in order: text written to stdout or stderr, and displayed data."""

    def __init__(self) -> None:
        self.items: list[tuple[str, object]] = []

    def stream(self, name: str, text: str) -> None:
        if self.items and self.items[-1][0] == name:
            self.items[-1] = (name, self.items[-1][1] + text)
        else:
            self.items.append((name, text))

    def display(self, data: dict) -> None:
        self.items.append(("display", data))


class _Stream(io.TextIOBase):
    def __init__(self, outputs: _Outputs, name: str) -> None:
        self._outputs, self._name = outputs, name

    def write(self, text: str) -> int:
        self._outputs.stream(self._name, text)
        return len(text)


class _Shell:
    """The one IPython shell of this process, its display sent to the cell being run."""

    _instance = None

    @classmethod
    def get(cls) -> _Shell:
        if cls._instance is None:
            cls._instance = cls()
        return cls._instance

    def __init__(self) -> None:
        from IPython.core.displayhook import DisplayHook
        from IPython.core.displaypub import DisplayPublisher
        from IPython.core.interactiveshell import InteractiveShell

        outer = self
        self.outputs = _Outputs()

        class Publisher(DisplayPublisher):
            def publish(self, data, metadata=None, source=None, *, transient=None, update=False, **kwargs):
                outer.outputs.display(data)

            def clear_output(self, wait=False):
                outer.outputs.items.clear()

        class Hook(DisplayHook):
            def write_output_prompt(self):
                pass

            def write_format_data(self, format_dict, md_dict=None):
                outer.outputs.display(format_dict)

            def finish_displayhook(self):
                pass

        shell = InteractiveShell.instance()
        shell.display_pub = Publisher(shell=shell)
        shell.displayhook = Hook(shell=shell, cache_size=0)
        shell.display_trap.hook = shell.displayhook  # the trap swaps sys.displayhook in while a cell runs
        shell.colors = "nocolor"
        shell.enable_gui = lambda gui=None: None  # no event loop to hook: figures are only ever drawn inline
        shell.enable_matplotlib("inline")
        self.shell = shell

    def run(self, source: str, cwd: Path) -> tuple[_Outputs, bool]:
        self.outputs = _Outputs()
        with contextlib.redirect_stdout(_Stream(self.outputs, "stdout")), \
                contextlib.redirect_stderr(_Stream(self.outputs, "stderr")), contextlib.chdir(cwd):
            result = self.shell.run_cell(source, store_history=False)
        return self.outputs, not result.success


def _lookup(model_id: str):
    from ipywidgets.widgets.widget import _instances

    return _instances.get(model_id)


def _display_html(data: dict, markdown) -> str:
    if "image/png" in data:
        png = data["image/png"]
        png = png if isinstance(png, str) else base64.b64encode(png).decode()
        return f"<img class='nk-figure' alt='figure' src='data:image/png;base64,{png}'>"
    if "text/html" in data:
        return f"<div class='nk-rich'>{data['text/html']}</div>"
    if "text/markdown" in data:
        return f"<div class='nk-md'>{markdown(data['text/markdown'])}</div>"
    if "text/plain" in data:
        return f"<pre class='nk-out'>{html.escape(data['text/plain'])}</pre>"
    return ""


def run_notebook(path: str | Path, *, first_slot: int = 0) -> Page:
    """Run the notebook at ``path`` top to bottom and return its dashboard page.

    Code is never shown (as on a Voila dashboard), nor markdown cells tagged ``notebook-only``
    (:data:`NOTEBOOK_ONLY`); an error in a cell is shown where it happened and listed in
    :attr:`Page.errors`.
    """
    import nbformat

    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    shell = _Shell.get()
    shell.shell.reset(new_session=False)
    markdown = _markdown()
    parts: list[str] = []
    slots: list[Slot] = []
    errors: list[str] = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            if NOTEBOOK_ONLY in cell.metadata.get("tags", []):
                continue  # words for a reader of the code ("run the cell"), which a page does not show
            parts.append(f"<div class='nk-cell nk-md'>{markdown(cell.source)}</div>")
            continue
        if cell.cell_type != "code" or not cell.source.strip():
            continue
        outputs, failed = shell.run(cell.source, path.parent)
        pieces = []
        for kind, item in outputs.items:
            if kind in ("stdout", "stderr"):
                if item.strip():
                    pieces.append(f"<pre class='nk-out nk-{kind}'>{html.escape(item)}</pre>")
                continue
            model = item.get(WIDGET_VIEW, {}).get("model_id") if isinstance(item, dict) else None
            root = _lookup(model) if model else None
            if root is None:
                pieces.append(_display_html(item, markdown))
                continue
            number = first_slot + len(slots)
            slots.append(Slot(number, root, getattr(root, "nrrkit_copy", None)))
            live = "" if slots[-1].live else " nk-static"
            pieces.append(f"<div class='nk-slot{live}' data-slot='{number}'>"
                          f"{controls.tree_html(root, str(number))}</div>")
        if failed:
            errors.append(f"{path.name}: a cell failed: {cell.source.strip().splitlines()[0][:80]}")
            pieces.append("<div class='nk-error'>This part of the notebook failed to run on the server; "
                          "tell the instructor.</div>")
        if pieces:
            parts.append(f"<div class='nk-cell nk-code'>{''.join(pieces)}</div>")
    return Page(path.stem, title_of(nb) or path.stem, "\n".join(parts), slots, errors)
