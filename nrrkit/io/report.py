"""The load report: what a reader read, what it did to it, and the span of months it covers."""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from .._record import Record

__all__ = ["LoadReport", "load_report"]


class LoadReport(Record):
    """What a reader read and what it did to it.

    Attributes
    ----------
    source : str
        File name, or ``"DataFrame"``.
    shape : str
        The shape read (``long``, ``wide``, ``subscriptions``) and, in ``shape_reason``, why.
    rows_read : int
        Data rows in the input (header, title and blank rows excluded).
    blank_rows : int
        Rows with every cell empty, skipped.
    rows_summed : int
        Rows folded into another row of the same customer and month (several
        subscriptions of one customer): ``rows_read - rows_summed`` rows remain.
    customers, months : int
        Distinct customers, and calendar months in the span.
    first_month, last_month : str
        The span (the horizon, docs/definitions.md section 1): from the first month with
        a row to ``as_of`` when given, otherwise to the latest month with a row.
    last_month_with_rows : str
        The latest month that has a row; earlier than ``last_month`` when the caller
        said the data runs further (months in which nobody pays).
    total_mrr : float
        Sum of ``mrr`` over every month of the loaded table (the reconciliation figure: equal
        to the sum of the parsed input less the rows left out); not a month's MRR.
    last_mrr : float
        The MRR of the span's last month (``last_month``); its ARR is 12 times it.
    currency : str
        The currency symbol the data used, or the one the caller named ('' if none).
    left_out : list of dict
        Rows and columns that are not customers or months (total and subtotal rows, a
        total column), each with where it was, its label and why it was left out.
    warnings : list of str
        What changes revenue and needs a look: revenue-changing columns left unused, flag
        columns no filter uses, coupons with no terms, billing that seems to stop.  Shown first.
    unused : list of str
        Every column of the input that no reader role, filter or attribute used.
    card_notes : list of str
        What the definition card says about the values (discounts applied, rows filtered).
    notes : list of str
        Every normalisation applied (byte-order mark removed, delimiter detected,
        column matched by case, sheet chosen, title rows skipped, ...).
    """

    def __init__(self, source: str, rows_read: int = 0, blank_rows: int = 0, rows_summed: int = 0,
                 customers: int = 0, months: int = 0, first_month: str = "", last_month: str = "",
                 total_mrr: float = 0.0, currency: str = "", notes: list[str] | None = None,
                 shape: str = "long", shape_reason: str = "", last_month_with_rows: str = "",
                 left_out: list[dict] | None = None, renewal_gaps: dict | None = None, conversion: str = "",
                 warnings: list[str] | None = None, unused: list[str] | None = None, last_mrr: float = 0.0,
                 card_notes: list[str] | None = None, export: str = "", **more: Any) -> None:
        super().__init__(source=source, shape=shape, shape_reason=shape_reason, rows_read=rows_read,
                         blank_rows=blank_rows, rows_summed=rows_summed, customers=customers, months=months,
                         first_month=first_month, last_month=last_month,
                         last_month_with_rows=last_month_with_rows or last_month, total_mrr=total_mrr,
                         currency=currency, left_out=list(left_out or []), notes=list(notes or []),
                         warnings=list(warnings or []), unused=list(unused or []), last_mrr=float(last_mrr),
                         card_notes=list(card_notes or []), export=export)
        if renewal_gaps:
            self["renewal_gaps"] = dict(renewal_gaps)
        if conversion:
            self["conversion"] = conversion
        self.update(more)  # what a reader adds for one shape (unused_columns, ...), kept when read back from a file

    def __str__(self) -> str:
        cur = f"{self.currency or ''}{' ' if self.currency[-1:].isalpha() else ''}"
        last = self.get("last_mrr", 0.0)
        lines = [
            f"Loaded {self.source}: {_count(self.rows_read, 'row')}, {_count(self.customers, 'customer')}, "
            f"{_count(self.months, 'month')} ({self.first_month} to {self.last_month}); "
            f"MRR in {self.last_month} {cur}{last:,.2f} (ARR {cur}{12 * last:,.2f})",
        ]
        if self.shape_reason:
            lines.append(f"  read as {self.shape}: {self.shape_reason}")
        lines += [f"  warning: {w}" for w in self.get("warnings", [])]
        if self.last_month_with_rows and self.last_month_with_rows != self.last_month:
            lines.append(f"  the span runs to {self.last_month}; the last row is in {self.last_month_with_rows}, "
                         f"so the months after it count as months in which nobody paid")
        if self.blank_rows:
            lines.append(f"  {self.blank_rows:,} blank row(s) skipped")
        for item in self.left_out:
            lines.append(f"  left out: {item['what']}")
        lines += [f"  {n}" for n in self.notes]  # summed duplicates are one of the notes
        if self.get("unused"):
            # the example names a column as the file does: the first one not left unused on purpose (an entry
            # with a reason reads 'Quantity (Amount is already the line's total)'), else the first one
            plain = self.get("unused_columns") or []
            reasons = set(self.unused)
            first = next((c for c in plain if c in reasons), plain[0] if plain else self.unused[0])
            flag = first if re.fullmatch(r"[\w.\-]+", first) else "'" + first.replace("'", "'\\''") + "'"
            lines.append(f"  columns not used: {', '.join(self.unused)} (to carry one as an attribute, for segments: "
                         f"keep=[{first!r}] in Python, --keep {flag} on the command line)")
        return "\n".join(lines)


def load_report(table: pd.DataFrame) -> LoadReport | None:
    """The :class:`LoadReport` a reader attached to ``table`` (None for a hand-made table)."""
    rep = table.attrs.get("load_report")
    if isinstance(rep, dict) and not isinstance(rep, LoadReport):
        return LoadReport(**{k: v for k, v in rep.items() if k in LoadReport.__init__.__code__.co_varnames})
    return rep


def _count(n: int, noun: str) -> str:
    """``1 customer``, ``2,000 customers``."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"
