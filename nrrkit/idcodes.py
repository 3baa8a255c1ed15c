"""Customer-id codes computed once per table.

The MRR table keeps customer ids as plain text; every measure builds integer codes for them
(:mod:`nrrkit.panel`).  Factorising millions of ids on every call is the slowest step, so the
codes of an id column are remembered by the identity of its array.  Only Arrow-backed arrays are
remembered, and an entry dies with its array.  Such an array is edited in place by swapping the
Arrow data it holds (``table.loc[i, "customer_id"] = "x"``), so an entry also names that data
(``__arrow_array__``, Arrow's own protocol) and is not used once the data changed.
"""

from __future__ import annotations

import weakref

import numpy as np
import pandas as pd

__all__ = ["remember_codes", "cached_codes"]

_CODES: dict[int, tuple] = {}


def remember_codes(array, codes: np.ndarray, ids: pd.Index) -> None:
    """Record the sorted-order ``codes`` and ``ids`` of an id column's ``array``."""
    if not isinstance(array, pd.arrays.ArrowStringArray):  # a mutable array could change under the cache
        return
    key = id(array)
    try:
        ref = weakref.ref(array, lambda _ref, key=key: _CODES.pop(key, None))
        data = weakref.ref(array.__arrow_array__())
    except (TypeError, AttributeError):
        return
    _CODES[key] = (ref, data, codes, ids)


def cached_codes(array) -> tuple[np.ndarray, pd.Index] | None:
    """The codes remembered for ``array``, or None (never remembered, or its values changed since)."""
    hit = _CODES.get(id(array))
    if hit is None or hit[0]() is not array or len(hit[2]) != len(array):
        return None
    if hit[1]() is not array.__arrow_array__():  # an id was edited in place: the codes are stale
        return None
    return hit[2], hit[3]
