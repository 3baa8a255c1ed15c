"""Pseudonyms for customer ids, and the MRR table an anonymized pack is built from.

Amounts and months are untouched, and every figure of the pack depends on amounts and
months only (the bootstrap interval included: :func:`nrrkit.nrr_interval` resamples
customers in the order of their amounts, not of their ids), so an anonymized pack shows
the same figures as the plain one.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..errors import DataError
from ..panel import build, canonical

__all__ = ["pseudonyms", "anonymize", "RESERVED"]

#: The columns of the MRR table that are not attributes.
RESERVED = ("customer_id", "month", "mrr")


def pseudonyms(mrr: pd.DataFrame) -> pd.Series:
    """Stable pseudonyms ``C0001``, ``C0002``, ... for the customers of ``mrr``.

    Customers are numbered by their first paying month, then by id; a customer that
    never paid comes last.  Appending later months keeps every existing pseudonym
    (new customers get the next numbers), so the founder can rebuild the key with
    this function at any time; the key itself is never written into a pack.

    Examples
    --------
    >>> import nrrkit as nk
    >>> pseudonyms(nk.datasets.load_tiny()).head(3).to_dict()
    {'A': 'C0001', 'B': 'C0002', 'C': 'C0003'}
    """
    panel = build(mrr)
    paying = panel.values > 0
    first = np.where(paying.any(axis=1), paying.argmax(axis=1), panel.n_months)
    n = len(first)
    order = np.lexsort((np.arange(n), first))  # the panel's rows are in sorted id order
    width = max(4, len(str(n)))
    names = np.empty(n, dtype=object)
    names[order] = [f"C{i + 1:0{width}d}" for i in range(n)]
    return pd.Series(names, index=pd.Index(panel.customers, name="customer_id"), name="pseudonym")


def anonymize(mrr: pd.DataFrame, *, by: str | None = None, keep: Sequence[str] = ()) -> pd.DataFrame:
    """The MRR table with pseudonyms for customer ids and only the ``by`` and ``keep`` attributes.

    Every other attribute column is dropped: free text such as a company name, an
    owner or a note could name the customer.  A kept column that holds a customer id
    is refused.  Amounts and months are unchanged, so every figure stays the same.
    """
    table = canonical(mrr)
    attrs = [c for c in table.columns if c not in RESERVED]
    kept = list(dict.fromkeys([*([by] if by else []), *keep]))
    for c in kept:
        if c not in attrs:
            raise DataError(f"cannot keep column '{c}': no such attribute (attributes: {', '.join(attrs) or 'none'})")
    names = pseudonyms(table)
    ids = set(names.index)
    for c in kept:
        values = pd.Series(table[c].dropna().astype(str).unique())
        leak = values[values.isin(ids)]
        if len(leak):
            raise DataError(f"--anonymize: column '{c}' holds customer ids (such as '{leak.iloc[0]}'); "
                            f"it cannot be kept, pick another column or leave it out")
    out = table[["customer_id", "month", "mrr", *kept]].copy()
    out["customer_id"] = pd.Categorical(names.reindex(table["customer_id"].astype(str)).to_numpy())
    return out
