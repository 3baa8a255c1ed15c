"""Row filters (``where=``) and the columns nobody used (docs/definitions.md section 1).

:func:`apply_where` leaves rows out before anything else is read, and records which rows and
how much money they held.  :func:`column_warnings` names the columns a reader left unused and
warns about those that change revenue (a trial, a coupon, a quantity, a status, a cancelled
flag) and about flag columns (cancelled, void, valid, deleted, test, refunded) that no filter uses.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..errors import DataError
from .exports import STATUS_RULES
from .files import Raw, norm_name

__all__ = ["apply_where", "column_warnings", "FLAG_WORDS", "REVENUE_WORDS"]

#: Column names that look like a flag saying a row is not revenue (``valid``: a row that is not valid).
FLAG_WORDS = ("cancelled", "canceled", "void", "voided", "valid", "deleted", "test", "refunded", "istest")
#: Column names whose values change what a line pays, so an unused one is a warning.
REVENUE_WORDS = ("trial", "coupon", "discount", "quantity", "seats", "intervalcount", "billingperiod", "status",
                 "state", "cancel", "percentoff", "amountoff", "pause")
_TRUE = {"1", "true", "yes", "y", "t", "1.0"}
_FALSE = {"0", "false", "no", "n", "f", "0.0", ""}


def _referenced(where: str, columns) -> list[str]:
    """The columns a ``where`` expression names (bare or in backticks)."""
    found = []
    for c in map(str, columns):
        if f"`{c}`" in where or re.search(rf"(?<![\w`]){re.escape(c)}(?![\w`])", where):
            found.append(c)
    return found


def _typed(col: pd.Series) -> pd.Series:
    """A column as the filter should see it: numbers as numbers, true/false as booleans, else text."""
    text = col.astype(str).str.strip()
    text = text.where(~(col.isna().to_numpy() | text.str.lower().isin(["nan", "none", "nat", "<na>"]).to_numpy()), "")
    low = set(text.str.lower().unique())
    if low - {""} and low <= {"true", "false", "yes", "no", "t", "f", "y", "n", ""}:
        return text.str.lower().isin(_TRUE)
    num = pd.to_numeric(text.str.replace(",", "", regex=False).str.replace("$", "", regex=False), errors="coerce")
    if num.notna().sum() == (text != "").sum() and (text != "").any():
        return num  # an empty cell is NaN: it equals nothing
    return col


def apply_where(raw: Raw, where: str, money_col: str | None) -> Raw:
    """``raw`` without the rows ``where`` leaves out, each recorded in ``raw.left_out``."""
    cols = _referenced(where, raw.frame.columns)
    view = raw.frame.copy(deep=False)
    for c in cols:
        view[c] = _typed(view[c])
    try:
        keep = view.eval(where, engine="python")
    except Exception as exc:  # a pandas parse or name error: one line, with what to do
        raise DataError(f"{raw.source}: where={where!r} cannot be read ({type(exc).__name__}: {exc}); write a pandas "
                        f"query such as \"cancelled == 0 and validInvoice == 1\" (a column name with spaces in "
                        f"backticks: `Invoice Status` == 'paid')") from None
    if not (isinstance(keep, pd.Series) and keep.dtype == bool):
        raise DataError(f"{raw.source}: where={where!r} does not say yes or no for each row; write a condition "
                        f"such as \"cancelled == 0\"")
    keep = keep.to_numpy()
    raw.used.update(cols)
    drop = ~keep
    if not keep.any():
        raise DataError(f"{raw.source}: where={where!r} leaves out every row; check the condition")
    if drop.any():
        pos = np.flatnonzero(drop)
        rows = ", ".join(raw.locate(int(i)).replace("row ", "") for i in pos[:5]) + (", ..." if len(pos) > 5 else "")
        money = ""
        if money_col is not None and money_col in raw.frame.columns:
            vals = pd.to_numeric(raw.frame[money_col].iloc[pos].astype(str).str.replace(r"[^0-9.\-]", "", regex=True),
                                 errors="coerce")
            money = f", holding {vals.sum():,.2f} in column '{money_col}'"
        what = f"{len(pos):,} row(s) by where={where!r} (row(s) {rows}{money})"
        raw.left_out.append({"what": what, "rows": int(len(pos)), "label": "where", "mrr": 0.0,
                             "first_row": raw.locate(int(pos[0]))})
        raw.attrs.setdefault("card_notes", []).append(f"rows left out before reading: {what}")
        raw = raw.subset(np.flatnonzero(keep))
    return raw


def column_warnings(raw: Raw, columns, *, kept: set, where: str | None, known: dict[str, str] | None = None,
                    lines: bool = True) -> tuple[list[str], list[str]]:
    """The columns nobody used, and the warnings about them (flags no filter uses, unused revenue columns)."""
    known = known or {}
    used = set(raw.used) | set(kept) | set(_referenced(where, columns) if where else [])
    warnings, unused = [], []
    for c in map(str, columns):
        n = norm_name(c).replace(".", "")
        flag_word = next((w for w in FLAG_WORDS if n == w or n.startswith(w) or n.endswith(w) or
                          n.startswith("is" + w)), None)
        if flag_word and c not in used - set(kept) and (where is None or c not in _referenced(where, columns)):
            vals = raw.frame[c].astype(str).str.strip().str.lower()
            if set(vals.unique()) <= _TRUE | _FALSE:
                bad = ~vals.isin(_TRUE) if flag_word == "valid" else vals.isin(_TRUE)
                if bad.any():
                    cond = f"{c} == 1" if flag_word == "valid" else f"{c} == 0"
                    cond = cond if re.fullmatch(r"\w+", c) else cond.replace(c, f"`{c}`")
                    warnings.append(f"column '{c}' looks like a flag ({int(bad.sum()):,} row(s) say "
                                    f"{'not valid' if flag_word == 'valid' else flag_word}) and no filter uses it: "
                                    f"those rows count as revenue; leave them out with where=\"{cond}\" "
                                    f"(CLI: --where \"{cond}\")")
                    if lines and c not in used:
                        unused.append(c)
                    continue
        if not lines or c in used:
            continue
        unused.append(c + (f" ({known[c]})" if c in known else ""))
        if c in known:
            continue
        if n in ("state", "status") or n.endswith(("state", "status")):
            # a status changes revenue; a US state or a delivery status does not: look at the values
            vals = set(raw.frame[c].astype(str).str.strip().str.lower().unique()[:200])
            if not vals & (set(STATUS_RULES) | {"paid", "void", "open", "draft", "uncollectible", "refunded"}):
                continue
        if any(w in n for w in REVENUE_WORDS):
            vals = raw.frame[c]
            if (vals.isna() | vals.astype(str).str.strip().str.lower().isin(["", "nan", "none", "<na>"])).all():
                continue  # an empty column changes nothing
            warnings.append(f"column '{c}' is not used, and a column like it changes what a line pays (a trial, a "
                            f"discount, seats, an interval count, a status, a pause or a cancellation); check that the "
                            f"revenue is right without it, or name its role")
    return warnings, unused
