"""Matching the columns a reader needs to the names in the file, with suggestions that help."""

from __future__ import annotations

import difflib
import re

from ..errors import DataError
from .files import Raw, norm_name

__all__ = ["resolve", "suggest", "OPTIONS"]

#: For each role: the keyword of the Python readers and the CLI flag that names its column.
OPTIONS = {
    "customer_id": ("customer", "--customer-col"),
    "month": ("month", "--month-col"),
    "mrr": ("mrr", "--mrr-col"),
    "start": ("start", "--start-col"),
    "end": ("end", "--end-col"),
    "amount": ("amount", "--amount-col"),
    "interval": ("interval", "--interval-col"),
}


#: Names a hand-kept sheet uses for a role, tried only when the caller left the default name.
SYNONYMS = {
    "customer_id": ("customer", "customer id", "customer name", "customers", "account", "account id", "account name",
                    "client", "client name", "company", "company name", "name"),
    "month": ("period", "month end", "billing month", "date"),
    "mrr": ("monthly recurring revenue", "mrr amount", "mrr usd"),
}
DEFAULTS = {"customer_id": "customer_id", "month": "month", "mrr": "mrr", "start": "start", "end": "end",
            "amount": "amount", "interval": "interval"}


def _words(s: str) -> list[str]:
    return [w for w in re.split(r"[^0-9a-z]+", str(s).lower()) if w]


def suggest(given: str, columns: list[str]) -> str | None:
    """The column most like ``given``, comparing whole names and words.

    A column whose first word is (or begins with) the wanted word ranks first (``Start (UTC)``
    and ``Ended At (UTC)`` for ``start`` and ``end``), then one that holds it as a later word
    (``Trial End``), then plain similarity of the whole names.
    """
    g = norm_name(given)
    gw = _words(given)
    best, score = None, 0.0
    for c in columns:
        n = norm_name(c)
        cw = _words(c)
        s = difflib.SequenceMatcher(None, g, n).ratio()
        s = s if s >= 0.75 else 0.0
        if gw and cw and cw[0] == gw[0] and all(w in cw for w in gw):
            s = max(s, 0.95)
        elif gw and cw and cw[0].startswith(gw[0]) and len(gw[0]) >= 3:
            s = max(s, 0.9)
        elif gw and all(w in cw for w in gw):
            s = max(s, 0.85)
        elif g and n.startswith(g):
            s = max(s, 0.8)
        if s > score:
            best, score = c, s
    return best if score >= 0.75 else None


def resolve(raw: Raw, wanted: dict[str, str], *, shape_hint: str = "") -> dict[str, str]:
    """Map each role (``customer_id``, ``month``, ...) to the input's column name.

    An exact name wins; otherwise a name equal but for case, spaces and underscores is
    taken and reported.  A missing column raises a one-line error that suggests the most
    similar column, names the keyword and the CLI flag, and, when the file looks like
    another shape, the shape to read it as.
    """
    cols = list(map(str, raw.frame.columns))
    found: dict[str, str] = {}
    missing = []
    for canon, given in wanted.items():
        if given in cols:
            found[canon] = given
            continue
        matches = [c for c in cols if norm_name(c) == norm_name(given)]
        if len(matches) == 1:
            found[canon] = matches[0]
            raw.notes.append(f"column '{matches[0]}' used as {canon} (matched '{given}' ignoring case and spaces)")
        elif given == DEFAULTS.get(canon):
            alias = [c for c in cols if c not in found.values()
                     and norm_name(c) in {norm_name(x) for x in SYNONYMS.get(canon, ())}]
            if len(alias) == 1:
                found[canon] = alias[0]
                raw.notes.append(f"column '{alias[0]}' used as {canon} (there is no '{given}' column; "
                                 f"name another with {OPTIONS[canon][0]}='...'"
                                 + (f", CLI {OPTIONS[canon][1]})" if OPTIONS[canon][1] else ")"))
            else:
                missing.append((canon, given))
        else:
            missing.append((canon, given))
    if missing:
        canon, given = missing[0]
        if not len(raw.frame) and not cols:
            raise DataError(f"{raw.source}: the file is empty; expected a header row such as customer_id,month,mrr")
        option, flag = OPTIONS.get(canon, (canon, ""))
        hint = suggest(given, [c for c in cols if c not in found.values()])
        suggestion = f"did you mean '{hint}'? " if hint else ""
        shape = f"; {shape_hint}" if shape_hint else ""
        raise DataError(
            f"{raw.source}, {raw.header_where}: no column '{given}' for {canon} (columns: {', '.join(cols) or 'none'}); "
            f"{suggestion}name the right one with {option}='...'" + (f" (CLI: {flag})" if flag else "") + shape
        )
    raw.used.update(found.values())
    return found
