"""Rows and columns of a spreadsheet that are not customers or months (docs/definitions.md, section 1).

A hand-kept sheet often ends with a Total row, has a Subtotal row under each segment, or
a Total / YTD / FY2024 column after the months.  None of them is a customer or a month:
counted as one, a Total row doubles every figure.  They are recognised by their label, or
by their values equalling the sum of the rows above them, and are left out with a note in
the load report (or refused, with ``totals="error"``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np

from ..errors import DataError, shorten

__all__ = ["MONTH_WORDS", "TOTAL_LABELS", "is_total_label", "total_labels", "mentions_total", "find_total_rows", "is_total_column_header",
           "check_totals_option"]

#: Labels of a total or subtotal row, compared after folding case, spaces and a trailing colon.
TOTAL_LABELS = frozenset({
    "total", "totals", "grand total", "grandtotal", "subtotal", "sub total", "sub-total", "sum", "overall",
    "all customers", "total customers", "total mrr", "total arr", "total revenue", "total recurring revenue",
    "summe", "gesamt", "gesamtsumme", "insgesamt", "zwischensumme",  # German
    "totaal", "subtotaal", "som",  # Dutch
    "totale", "subtotale", "totale complessivo",  # Italian
    "suma", "suma total", "total general", "subtotal general",  # Spanish
    "somme", "sous-total", "sous total", "total général",  # French
    "totalt", "summa", "yhteensä", "i alt", "razem", "celkem", "итого", "всего",  # Nordic, Polish, Czech, Russian
    "合計", "小計", "合计", "总计", "小计", "총계", "합계",  # Japanese, Chinese, Korean
})
_TOTAL_WORD = re.compile(r"(?i)\b(grand\s+total|sub[-\s]?total|totals?|summe|gesamt|totaal|totale|somme|итого)\b")
# every total label holds one of these (a cheap filter before the exact test)
_ANY_TOTAL = ("(?i)tot|sum|somme|gesamt|sous|^som$|suma|summa|overall|all customers|yhteens|i alt|razem|celkem|итого|всего|"
              "合計|小計|合计|总计|小计|총계|합계")
_TOTAL_COLUMN = re.compile(
    r"(?i)^(totals?|grand total|sum|summe|gesamt|ytd|ytd total|total ytd|year to date|annual|annual total|"
    r"year total|fy\s?'?\d{2,4}|\d{4}|\d{4}\s?total|total\s?\d{4}|q[1-4][\s\-/]?'?\d{2,4}|\d{4}[\s\-/]?q[1-4]|"
    r"h[12][\s\-/]?\d{4}|\d{4}[\s\-/]?h[12]|total (mrr|arr|revenue))$"
)


#: Month names a subtotal row may carry ("Total Jan", "March subtotal").
MONTH_WORDS = frozenset(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "january", "february",
     "march", "april", "june", "july", "august", "september", "october", "november", "december"])


def _fold(text: object) -> str:
    s = str(text).strip().lower()
    s = re.sub(r"[\s:*=]+$", "", s)
    return re.sub(r"\s+", " ", s)


def is_total_label(text: object, groups: Iterable[str] = ()) -> bool:
    """True for a label that only a total row carries: ``Total``, ``Grand Total:``, ``SMB Subtotal``.

    ``groups`` are the sheet's attribute values (segments): ``Total SMB`` and ``SMB total`` are
    totals, ``Total Wine & More`` (a real company) is not.
    """
    s = _fold(text)
    if not s:
        return False
    if s in TOTAL_LABELS:
        return True
    folded_groups = {_fold(g) for g in groups if _fold(g)}
    m = re.match(r"^(?:grand\s+|sub[-\s]?)?totals?(?:\s+(?:for|of|-|–))?\s+(.+)$", s) \
        or re.match(r"^(.+?)\s+(?:-\s+)?(?:sub[-\s]?)?totals?$", s)
    return bool(m and _fold(m.group(1)) in folded_groups)


def total_labels(values, groups=None) -> np.ndarray:
    """Positions of ``values`` that are total labels; a vectorised first pass keeps it fast on many ids.

    ``groups`` (the names a subtotal may carry: segments, months, other ids) is a callable, called only
    when some value holds a total word.
    """
    import pandas as pd

    idx = pd.Index(values).astype(str)
    candidates = np.flatnonzero(idx.str.len().to_numpy() <= 60) if len(idx) else np.empty(0, dtype=np.int64)
    if len(candidates):
        sub = idx[candidates]
        hit = np.asarray(sub.str.contains(_ANY_TOTAL, regex=True), dtype=bool)
        candidates = candidates[hit]
    if not len(candidates):
        return np.empty(0, dtype=np.int64)
    names = groups() if callable(groups) else (groups or ())
    return np.array([i for i in candidates if is_total_label(idx[i], names)], dtype=np.int64)


def mentions_total(text: object) -> bool:
    """True when a label contains a total word (weaker than :func:`is_total_label`)."""
    return bool(_TOTAL_WORD.search(str(text)))


def is_total_column_header(text: object) -> bool:
    """True for a header such as Total, YTD, Sum, FY2024, 2024 or Q1 2024: a total, not a month."""
    return bool(_TOTAL_COLUMN.match(str(text).strip()))


def check_totals_option(totals: str) -> None:
    if totals not in ("drop", "error"):
        raise DataError(f"totals must be 'drop' (leave total rows out, with a note) or 'error', not {totals!r}")


def _money(x: float) -> str:
    return f"{x:,.2f}"


def find_total_rows(labels: list[list[str]], ids: list[str], values: np.ndarray, *,
                    groups: Iterable[str] = (), month_names: list[str] | None = None) -> list[tuple[int, str, str]]:
    """Positions of total and subtotal rows, each with its label and a sentence saying why.

    Parameters
    ----------
    labels : list of lists of str
        The text cells of each row (the id and the attributes).
    ids : list of str
        The id cell of each row ('' when blank).
    values : (rows, months) array
        The row's amounts per month (0 where empty).
    """
    n, k = values.shape
    groups = list(groups)
    found: list[tuple[int, str, str]] = []
    block = np.zeros(k)  # rows since the previous total
    block_rows = 0
    grand = np.zeros(k)  # every customer row so far
    grand_rows = 0
    subtotals = np.zeros(k)
    n_sub = 0
    for i in range(n):
        v = values[i]
        cells = [c for c in labels[i] if str(c).strip()]
        label = next((c for c in cells if is_total_label(c, groups)), None)
        loose = next((c for c in cells if mentions_total(c)), None)
        shown = label or loose or (cells[0] if cells else "")
        nonzero = bool(np.abs(v).sum() > 0.005)

        def close(target: np.ndarray, v: np.ndarray = v) -> bool:
            return bool(np.allclose(v, target, rtol=1e-9, atol=0.005))

        eq_block = nonzero and block_rows >= 2 and close(block)
        eq_grand = nonzero and grand_rows >= 2 and close(grand)
        eq_subs = nonzero and n_sub >= 2 and close(subtotals)
        equal = eq_block or eq_grand or eq_subs
        # a row with a customer's name is a customer, whatever its amounts add up to
        unlabelled_ok = (not ids[i].strip()) or loose is not None
        if label is not None or (equal and unlabelled_ok):
            if eq_grand or eq_subs:
                why = f"it equals the sum of the {grand_rows} customer rows above it in every month"
            elif eq_block:
                why = f"it equals the sum of the {block_rows} rows above it (a subtotal) in every month"
                subtotals += v
                n_sub += 1
            else:
                target = block if block_rows else grand
                if month_names and k:
                    j = int(np.argmax(np.abs(v - target)))
                    why = (f"its label says it is a total (it does not equal the sum of the rows above it: "
                           f"{_money(v[j])} against {_money(target[j])} in {month_names[j]})")
                else:
                    why = "its label says it is a total"
            found.append((i, str(shown), why))
            block[:] = 0
            block_rows = 0
            continue
        if not nonzero and not cells:
            continue
        block += v
        block_rows += 1
        grand += v
        grand_rows += 1
    return found


def describe(where: str, label: str, why: str) -> str:
    return f"{where} ({shorten(label) if label else 'no label'}): a total, not a customer; {why}"
