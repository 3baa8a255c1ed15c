"""ipywidgets as plain HTML controls: what a dashboard page draws, and how a press reaches the widget.

A widget is named by its *path* in its slot: the slot's number, then the child index at each box
(``"2.0.1"``: slot 2, first child of the root, second child of that).  Every page of a notebook has
the same slots with the same trees, so a path names the same control in anybody's copy.

:func:`state` reduces a widget to the few plain values the page shows (a slider's value, range and
readout; a dropdown's labels and chosen index; an image as a ``data:`` URL); :func:`to_html` draws
the controls from those states; :func:`apply` sets a value or presses a button on the server's
widget, exactly as the widget's own front end would, so the app's callbacks run unchanged.
"""

from __future__ import annotations

import base64
import hashlib
import html
import math

import ipywidgets as w

__all__ = ["walk", "state", "states", "changes", "to_html", "apply", "ControlError"]


class ControlError(ValueError):
    """A request that names no control, or a value the control cannot take."""


def walk(root: w.Widget, prefix: str):
    """``(path, widget)`` for the root and every widget inside its boxes, depth first."""
    yield prefix, root
    if isinstance(root, w.Box):
        for i, child in enumerate(root.children):
            yield from walk(child, f"{prefix}.{i}")


def find(root: w.Widget, prefix: str, path: str) -> w.Widget:
    for p, widget in walk(root, prefix):
        if p == path:
            return widget
    raise ControlError(f"no control {path!r} on this page")


def _shown(widget: w.Widget) -> bool:
    layout = getattr(widget, "layout", None)
    return not (layout is not None and layout.display == "none")


def _readout(widget) -> str:
    fmt = getattr(widget, "readout_format", "") or ""
    try:
        return format(widget.value, fmt)
    except (ValueError, TypeError):
        return str(widget.value)


def _labels(widget) -> list[str]:
    return [str(label) for label in widget._options_labels]


def state(widget: w.Widget) -> dict:
    """The plain values a page needs to show ``widget`` as it is now."""
    s: dict = {"shown": _shown(widget)}
    if isinstance(widget, w.Image):
        data = bytes(widget.value or b"")
        s["digest"] = hashlib.blake2b(data, digest_size=12).hexdigest()
        s["_bytes"] = data
        s["format"] = widget.format
    elif isinstance(widget, (w.HTML, w.Label, w.HTMLMath)):
        s["value"] = widget.value
    elif isinstance(widget, (w.FloatSlider, w.IntSlider)):
        s.update(value=widget.value, min=widget.min, max=widget.max, step=widget.step, readout=_readout(widget),
                 description=widget.description, disabled=widget.disabled)
    elif isinstance(widget, (w.BoundedFloatText, w.FloatText, w.BoundedIntText, w.IntText)):
        s.update(value=widget.value, description=widget.description, disabled=widget.disabled,
                 min=getattr(widget, "min", None), max=getattr(widget, "max", None), step=widget.step)
    elif isinstance(widget, (w.Dropdown, w.RadioButtons, w.ToggleButtons, w.Select)):
        s.update(labels=_labels(widget), index=widget.index, description=widget.description,
                 disabled=widget.disabled)
    elif isinstance(widget, w.Text):
        s.update(value=widget.value, placeholder=widget.placeholder, description=widget.description)
    elif isinstance(widget, w.Checkbox):
        s.update(value=widget.value, description=widget.description)
    elif isinstance(widget, w.Button):
        s.update(description=widget.description, style=widget.button_style, disabled=widget.disabled)
    elif not isinstance(widget, w.Box):
        s["unsupported"] = type(widget).__name__  # drawn as a note: the page still works around it
    return s


def states(root: w.Widget, prefix: str) -> dict[str, dict]:
    return {path: state(widget) for path, widget in walk(root, prefix)}


def public(s: dict) -> dict:
    """A state as the page receives it: an image as its ``data:`` URL, nothing private."""
    out = {k: v for k, v in s.items() if not k.startswith("_")}
    if "_bytes" in s:
        out["src"] = f"data:image/{s['format']};base64,{base64.b64encode(s['_bytes']).decode()}" if s["_bytes"] else ""
    return out


def changes(before: dict[str, dict], after: dict[str, dict], always: str | None = None) -> dict[str, dict]:
    """The controls whose state differs (and ``always``, the one the person touched), as the page receives them."""
    return {p: public(s) for p, s in after.items() if p == always or before.get(p) != s}


def _attrs(**kw) -> str:
    return "".join(f' {k.replace("_", "-")}="{html.escape(str(v), quote=True)}"' for k, v in kw.items() if v is not None)


def _plain(x):
    """A whole float without its ".0" (a number box shows 100000, not 100000.0)."""
    return int(x) if isinstance(x, float) and x.is_integer() else x


def _label(text: str) -> str:
    return f"<span class='nk-desc'>{html.escape(text)}</span>" if text else ""


def to_html(widget: w.Widget, path: str, s: dict, inner: str = "") -> str:
    """One control as HTML, drawn from its state ``s``; ``inner`` holds a box's children."""
    hide = "" if s["shown"] else " style='display:none'"
    tag = f"data-w='{path}'"
    width = getattr(getattr(widget, "layout", None), "width", None)
    if isinstance(widget, w.Box):
        kind = "hbox" if isinstance(widget, w.HBox) else "vbox"
        return f"<div class='nk-{kind}' {tag}{hide}>{inner}</div>"
    if isinstance(widget, w.Image):
        src = public(s)["src"]
        size = f" style='width:{html.escape(width)};max-width:100%'" if width else ""
        img = f"<img class='nk-image' alt='chart'{size} src='{src}'>"
        return f"<div class='nk-imagebox' data-kind='image' {tag}{hide}>{img}</div>"
    if isinstance(widget, (w.HTML, w.Label, w.HTMLMath)):
        body = s["value"] if not isinstance(widget, w.Label) else html.escape(s["value"])
        return f"<div class='nk-html' data-kind='html' {tag}{hide}>{body}</div>"
    if isinstance(widget, (w.FloatSlider, w.IntSlider)):
        rng = (f"<input type='range' aria-label='{html.escape(s['description'], quote=True)}'"
               f"{_attrs(min=s['min'], max=s['max'], step=s['step'], value=s['value'])}>")
        readout = (f"<input class='nk-readout' type='text' inputmode='decimal' aria-label='"
                   f"{html.escape(s['description'], quote=True)} value'{_attrs(value=s['readout'])}>")
        return (f"<label class='nk-slider' data-kind='slider' {tag}{hide}>{_label(s['description'])}{rng}"
                f"{readout}</label>")
    if isinstance(widget, (w.BoundedFloatText, w.FloatText, w.BoundedIntText, w.IntText)):
        box = (f"<input type='number' aria-label='{html.escape(s['description'], quote=True)}'"
               f"{_attrs(min=_plain(s['min']), max=_plain(s['max']), step=_plain(s['step']), value=_plain(s['value']))}>")
        return f"<label class='nk-number' data-kind='number' {tag}{hide}>{_label(s['description'])}{box}</label>"
    if isinstance(widget, w.Dropdown):
        options = "".join(f"<option value='{i}'{' selected' if i == s['index'] else ''}>{html.escape(t)}</option>"
                          for i, t in enumerate(s["labels"]))
        return (f"<label class='nk-select' data-kind='select' {tag}{hide}>{_label(s['description'])}"
                f"<select>{options}</select></label>")
    if isinstance(widget, w.ToggleButtons):
        buttons = "".join(f"<button type='button' data-i='{i}' class='nk-toggle{' on' if i == s['index'] else ''}'>"
                          f"{html.escape(t)}</button>" for i, t in enumerate(s["labels"]))
        return (f"<div class='nk-toggles' data-kind='toggles' {tag}{hide}>{_label(s['description'])}"
                f"{buttons}</div>")
    if isinstance(widget, (w.RadioButtons, w.Select)):
        name = f"r{path}"
        radios = "".join(f"<label class='nk-radio'><input type='radio' name='{name}' value='{i}'"
                         f"{' checked' if i == s['index'] else ''}> {html.escape(t)}</label>"
                         for i, t in enumerate(s["labels"]))
        return f"<div class='nk-radios' data-kind='radios' {tag}{hide}>{_label(s['description'])}{radios}</div>"
    if isinstance(widget, w.Text):
        box = f"<input type='text'{_attrs(value=s['value'], placeholder=s['placeholder'])}>"
        return f"<label class='nk-text' data-kind='text' {tag}{hide}>{_label(s['description'])}{box}</label>"
    if isinstance(widget, w.Checkbox):
        box = f"<input type='checkbox'{' checked' if s['value'] else ''}>"
        return f"<label class='nk-check' data-kind='check' {tag}{hide}>{box} {html.escape(s['description'])}</label>"
    if isinstance(widget, w.Button):
        style = f" nk-{s['style']}" if s["style"] else ""
        return (f"<button type='button' class='nk-button{style}' data-kind='button' {tag}{hide}>"
                f"{html.escape(s['description'])}</button>")
    return (f"<div class='nk-unsupported' data-kind='unsupported' {tag}{hide}>(a {html.escape(s['unsupported'])} "
            "is not shown on room pages: open the notebook in JupyterLab to use it)</div>")


def tree_html(root: w.Widget, prefix: str) -> str:
    """The whole slot as HTML, every control in its present state."""

    def draw(widget: w.Widget, path: str) -> str:
        inner = ""
        if isinstance(widget, w.Box):
            inner = "".join(draw(child, f"{path}.{i}") for i, child in enumerate(widget.children))
        return to_html(widget, path, state(widget), inner)

    return draw(root, prefix)


def _number(text) -> float:
    if isinstance(text, bool):
        raise ValueError(text)
    if isinstance(text, (int, float)):
        value = float(text)
    else:
        value = float(str(text).strip().rstrip("%").replace(",", "").replace("$", "").strip())
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def apply(widget: w.Widget, action: str, value=None) -> None:
    """Set ``value`` on ``widget`` (``action="set"``) or press it (``"click"``), as its front end would.

    A value the control cannot read leaves it as it was; the page then receives its state again.
    """
    if action == "click":
        if not isinstance(widget, w.Button):
            raise ControlError("only a button can be pressed")
        if not widget.disabled:
            widget.click()
        return
    if action != "set":
        raise ControlError(f"unknown action {action!r}")
    try:
        if isinstance(widget, (w.FloatSlider, w.IntSlider, w.BoundedFloatText, w.FloatText, w.BoundedIntText,
                               w.IntText)):
            number = _number(value)
            if isinstance(widget, (w.IntSlider, w.BoundedIntText, w.IntText)):
                number = int(round(number))
            if isinstance(widget, (w.FloatSlider, w.IntSlider, w.BoundedFloatText, w.BoundedIntText)):
                number = min(max(number, widget.min), widget.max)  # as the slider's own front end clamps
            widget.value = number
        elif isinstance(widget, (w.Dropdown, w.RadioButtons, w.ToggleButtons, w.Select)):
            index = int(value)
            if not 0 <= index < len(widget.options):
                raise ControlError(f"no choice {index}")
            widget.index = index
        elif isinstance(widget, w.Text):
            widget.value = str(value)[:10_000]
        elif isinstance(widget, w.Checkbox):
            widget.value = bool(value)
        else:
            raise ControlError(f"a {type(widget).__name__} takes no value")
    except ControlError:
        raise
    except (TypeError, ValueError):
        return  # not a number: the page gets the control's state back and shows what it holds
