"""Show a notebook's stored widgets as static HTML: the apps as they were saved, offline.

myst-nb writes a widget output as a ``<script>`` for the ipywidgets HTML manager, a
JavaScript bundle it loads from a CDN.  This site loads nothing from the network, so the
stored widget state (``metadata.widgets`` of the .ipynb, written by ``notebooks/src/build.py``)
is rendered here instead: boxes as flex rows and columns, an ``Image`` as its PNG, ``HTML``
as its HTML, sliders, dropdowns and toggle buttons as their label and value.  Nothing
moves (there is no kernel); the notebook says how to run it.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

from docutils import nodes

VIEW = "application/vnd.jupyter.widget-view+json"
STATE = "application/vnd.jupyter.widget-state+json"
PREFIX = f'<script type="{VIEW}">'


def _state(path: Path) -> dict:
    try:
        meta = json.loads(path.read_text(encoding="utf-8")).get("metadata", {})
    except (OSError, ValueError):
        return {}
    return meta.get("widgets", {}).get(STATE, {}).get("state", {})


def _ref(value) -> str:
    return value[len("IPY_MODEL_"):] if isinstance(value, str) and value.startswith("IPY_MODEL_") else ""


def _label(text: str) -> str:
    return f'<span class="nbw-label">{html.escape(text)}</span>' if text else ""


def render(model_id: str, state: dict, depth: int = 0) -> str:
    """The HTML of one widget model and its children (unknown models render as nothing)."""
    model = state.get(model_id)
    if model is None or depth > 20:
        return ""
    name, s = model.get("model_name", ""), model.get("state", {})
    desc = s.get("description") or ""
    if name in ("VBoxModel", "HBoxModel", "BoxModel", "GridBoxModel"):
        inner = "".join(render(_ref(c), state, depth + 1) for c in s.get("children", []))
        kind = "nbw-hbox" if name == "HBoxModel" else "nbw-vbox"
        return f'<div class="{kind}">{inner}</div>'
    if name == "ImageModel":
        data = next((b.get("data") for b in model.get("buffers", []) if b.get("path") == ["value"]), None)
        if not data:
            return ""
        fmt = html.escape(s.get("format") or "png")
        width = f' width="{html.escape(str(s["width"]))}"' if s.get("width") else ""
        return f'<img class="nbw-image" alt="the app\'s chart as stored" src="data:image/{fmt};base64,{data}"{width}>'
    if name in ("HTMLModel", "HTMLMathModel"):
        return f'<div class="nbw-html">{_label(desc)}{s.get("value") or ""}</div>'
    if name == "LabelModel":
        return f'<div class="nbw-html">{html.escape(str(s.get("value") or ""))}</div>'
    if name in ("FloatSliderModel", "IntSliderModel", "FloatLogSliderModel"):
        lo, hi, value = (float(s.get(k) or 0) for k in ("min", "max", "value"))
        fmt = s.get("readout_format") or (".2f" if name != "IntSliderModel" else "d")
        try:
            shown = format(int(value) if fmt.endswith("d") else value, fmt)
        except (TypeError, ValueError):
            shown = str(value)
        share = 0 if hi <= lo else max(0.0, min(1.0, (value - lo) / (hi - lo)))
        return (f'<div class="nbw-row">{_label(desc)}<span class="nbw-track">'
                f'<span class="nbw-fill" style="width:{share * 100:.1f}%"></span></span>'
                f'<span class="nbw-value">{html.escape(shown)}</span></div>')
    if name in ("FloatTextModel", "BoundedFloatTextModel", "IntTextModel", "BoundedIntTextModel", "TextModel"):
        return f'<div class="nbw-row">{_label(desc)}<span class="nbw-box">{html.escape(str(s.get("value")))}</span></div>'
    if name in ("DropdownModel", "SelectModel", "RadioButtonsModel"):
        labels, index = s.get("_options_labels") or [], s.get("index")
        shown = labels[index] if isinstance(index, int) and 0 <= index < len(labels) else ""
        return f'<div class="nbw-row">{_label(desc)}<span class="nbw-box">{html.escape(shown)} &#9662;</span></div>'
    if name == "ToggleButtonsModel":
        labels, index = s.get("_options_labels") or [], s.get("index")
        buttons = "".join(f'<span class="nbw-toggle{" nbw-on" if i == index else ""}">{html.escape(t)}</span>'
                          for i, t in enumerate(labels))
        return f'<div class="nbw-row">{_label(desc)}{buttons}</div>'
    if name in ("CheckboxModel", "ToggleButtonModel"):
        mark = "&#9745;" if s.get("value") else "&#9744;"
        return f'<div class="nbw-row">{mark} {html.escape(desc)}</div>'
    if name in ("FloatProgressModel", "IntProgressModel"):
        return (f'<div class="nbw-row">{_label(desc)}<progress max="{float(s.get("max") or 1)}" '
                f'value="{float(s.get("value") or 0)}"></progress></div>')
    return ""


def _replace_views(app, doctree, docname: str) -> None:
    path = Path(app.env.doc2path(docname))
    if path.suffix != ".ipynb":
        return
    state = _state(path)
    for node in list(doctree.findall(nodes.raw)):
        text = node.astext()
        if not text.startswith(PREFIX):
            continue
        try:
            view = json.loads(html.unescape(text[len(PREFIX):-len("</script>")]))
        except ValueError:
            continue
        body = render(view.get("model_id", ""), state)
        if not body:
            body = '<p class="nbw-missing">(an app: run the notebook to see it)</p>'
        snapshot = ('<div class="nbw-snapshot">' + body +
                    '<p class="nbw-note">The app as stored in the notebook; run the notebook in JupyterLab '
                    'to move it.</p></div>')
        node.replace_self(nodes.raw("", snapshot, format="html"))
    # the HTML manager's state script and its CDN bundle are not needed: drop them from the page
    files = getattr(app.env, "nb_metadata", {}).get(docname, {}).get("js_files", {})
    for key in [k for k in files if k.startswith("ipywidgets")]:
        del files[key]


def setup(app):
    app.connect("doctree-resolved", _replace_views)
    app.add_css_file("widget_snapshot.css")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
