"""The one exception nrrkit raises for bad input, and the one warning it gives for a result that is empty."""

from __future__ import annotations


class DataError(ValueError):
    """Input that nrrkit refuses, with a one-line message a person can act on.

    The message names the source, the row as the user counts it (the header is
    row 1), the column, the offending value, and what to do about it.
    """


class DataWarning(UserWarning):
    """A result that holds nothing for a reason the caller can fix (a window longer than the data)."""


def where(source: str, row: int | None = None, column: str | None = None) -> str:
    """Format the location part of an error message: ``file.csv, row 4, column 'mrr'``."""
    parts = [source]
    if row is not None:
        parts.append(f"row {row}")
    if column is not None:
        parts.append(f"column '{column}'")
    return ", ".join(parts)


def shorten(value: object, limit: int = 40) -> str:
    """Quote a cell value for an error message, cut to ``limit`` characters."""
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()  # numpy scalar -> Python scalar
    text = value if isinstance(value, str) else str(value)
    text = text.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return f"'{text}'"
