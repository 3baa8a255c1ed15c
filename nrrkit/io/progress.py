"""A progress bar for reads that take a while: shown on a terminal after 2 seconds, silent otherwise.

The readers call :func:`step` between their stages; :func:`reading` opens the bar around a
whole read.  Piped output, notebooks' captured streams and tests see nothing (tqdm turns
itself off when standard error is not a terminal), and a read that ends within 2 seconds
never draws it.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from contextvars import ContextVar

__all__ = ["reading", "step", "DELAY"]

#: Seconds before the bar appears.
DELAY = 2.0
_current: ContextVar = ContextVar("nrrkit_read_progress", default=None)
_STAGES = ("reading the file", "customer ids", "months", "amounts", "checking rows", "building the table")


@contextlib.contextmanager
def reading(source: str, progress: bool | None = None) -> Iterator[None]:
    """Show a bar named after ``source`` while the block runs (``progress``: None = on a terminal only)."""
    if progress is False or _current.get() is not None:
        yield
        return
    from tqdm.auto import tqdm

    bar = tqdm(total=len(_STAGES), desc=f"reading {source}", unit="step", delay=DELAY, file=sys.stderr,
               disable=None if progress is None else False, leave=False, bar_format="{desc}: {bar} {n}/{total} {postfix}")
    token = _current.set(bar)
    try:
        yield
    finally:
        _current.reset(token)
        bar.close()


def step(name: str) -> None:
    """Mark the start of stage ``name`` of the current read (no-op outside :func:`reading`)."""
    bar = _current.get()
    if bar is not None:
        bar.set_postfix_str(name, refresh=False)
        bar.update(1)
