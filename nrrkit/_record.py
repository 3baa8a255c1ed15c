"""A small record type that is also a plain dict.

Results carry their definition card and load report in ``DataFrame.attrs``; pandas
deep-copies attrs on every operation and writes them as JSON into Parquet files,
so the records are dicts (JSON-ready, cheap to copy) with attribute access.
"""

from __future__ import annotations

from typing import Any


class Record(dict):
    """A dict whose keys are also attributes (``card.window == card["window"]``)."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value: Any) -> None:
        self[name] = value

    def to_dict(self) -> dict[str, Any]:
        return dict(self)

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={v!r}" for k, v in self.items())
        return f"{type(self).__name__}({inner})"
