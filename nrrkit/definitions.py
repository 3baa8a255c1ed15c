"""The definition card (docs/definitions.md, section 9).

Every retention figure nrrkit returns carries one, in ``result.attrs["definition"]``,
so whoever reads the number can tell how it was computed: the method, the window,
the base and end months (how each row's follow from its month, or the one month of
a one-month table), the value basis, the reactivation rule, the segment attribute
and when it was read, the filters and the currency.
"""

from __future__ import annotations

import pandas as pd

from ._record import Record

VALUE_BASIS = "month-end MRR snapshot (one row per customer per calendar month)"


class Definition(Record):
    """How a figure was computed.  ``print(card)`` gives a readable block.

    A dict (so it survives pandas copies and Parquet files) whose keys are also
    attributes: metric, method, window, base_month, end_month, reactivation,
    segment, segment_read, filters, currency, value_basis, notes.
    """

    def __init__(
        self,
        metric: str,
        method: str,
        window: int | None,
        base_month: str | None,
        end_month: str | None,
        reactivation: str,
        segment: str | None = None,
        segment_read: str | None = None,
        filters: str = "none",
        currency: str = "unspecified (one currency assumed)",
        value_basis: str = VALUE_BASIS,
        notes: list[str] | None = None,
    ) -> None:
        super().__init__(metric=metric, method=method, window=window, base_month=base_month,
                         end_month=end_month, reactivation=reactivation, segment=segment,
                         segment_read=segment_read, filters=filters, currency=currency,
                         value_basis=value_basis, notes=list(notes or []))

    def at(self, month, base_month=None) -> Definition:
        """The same card for a table of one end month (``month``, base month ``base_month``).

        A card of a multi-month table describes the base and end month of each row; a
        table cut to one month names that month instead.
        """
        card = Definition(**self)
        card.end_month = _month_text(month)
        card.base_month = _month_text(base_month) if base_month is not None else card.base_month
        return card

    def rows(self) -> list[tuple[str, str]]:
        window = "-" if self.window is None else f"{self.window} month{'s' if self.window != 1 else ''}"
        rows = [
            ("metric", self.metric),
            ("method", self.method),
            ("window", window),
            ("base month", self.base_month or "-"),
            ("end month", self.end_month or "-"),
            ("value basis", self.value_basis),
            ("reactivation", self.reactivation),
            ("segment", self.segment or "none (all customers)"),
        ]
        if self.segment:
            rows.append(("segment read at", self.segment_read or "-"))
        rows += [("filters", self.filters), ("currency", self.currency)]
        rows += [("note", n) for n in self.notes]
        return rows

    def __str__(self) -> str:
        width = max(len(k) for k, _ in self.rows())
        return "\n".join(f"{k:<{width}} : {v}" for k, v in self.rows())

    def _repr_html_(self) -> str:  # pragma: no cover - notebook display
        body = "".join(f"<tr><th style='text-align:left'>{k}</th><td style='text-align:left'>{v}</td></tr>"
                       for k, v in self.rows())
        return f"<table>{body}</table>"

    def to_frame(self) -> pd.DataFrame:
        """The card as a two-column table (``item, value``), as printed."""
        return pd.DataFrame(self.rows(), columns=["item", "value"])


def definition(result: pd.DataFrame) -> Definition | None:
    """The definition card that travels with a result (None if it has none)."""
    card = result.attrs.get("definition")
    if isinstance(card, dict) and not isinstance(card, Definition):  # e.g. read back from a Parquet file
        card = Definition(**card)
    return card


def _month_text(month) -> str:
    """``2024-06`` for a month given as its first day (a Timestamp) or a Period; other values as text."""
    import datetime

    if isinstance(month, datetime.date):
        from .months import label

        return label(month)
    return str(month)
