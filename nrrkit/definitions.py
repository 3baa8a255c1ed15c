"""The definition card (shared/SPEC.md section 9).

Every retention figure nrrkit returns carries one, in ``result.attrs["definition"]``,
so whoever reads the number can tell how it was computed: the method, the window,
the base and end months, the value basis, the reactivation rule, the segment
attribute and when it was read, the filters and the currency.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import pandas as pd

VALUE_BASIS = "month-end MRR snapshot (one row per customer per calendar month)"


@dataclass
class Definition:
    """How a figure was computed.  ``print(card)`` gives a readable block."""

    metric: str
    method: str
    window: int | None
    base_month: str | None
    end_month: str | None
    reactivation: str
    segment: str | None = None
    segment_read: str | None = None
    filters: str = "none"
    currency: str = "unspecified (one currency assumed)"
    value_basis: str = VALUE_BASIS
    notes: list[str] = field(default_factory=list)

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

    def to_dict(self) -> dict:
        return asdict(self)

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.rows(), columns=["item", "value"])


def definition(result: pd.DataFrame) -> Definition | None:
    """The definition card that travels with a result (None if it has none)."""
    return result.attrs.get("definition")
