"""The dense customers x months matrix behind every definition.

The public functions take and return tidy DataFrames; internally each one turns
the MRR table into a :class:`Panel` (integer codes for customers and months, a
float64 matrix of MRR with 0 where a customer paid nothing) so that every
definition of shared/SPEC.md is a handful of column operations.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .errors import DataError

MISSING_SEGMENT = "(missing)"


@dataclass
class Panel:
    customers: pd.Index  # customer ids, one per matrix row
    first: int  # Period[M] ordinal of column 0
    values: np.ndarray  # (customers, months) float64 MRR, 0 = paid nothing
    segments: dict[str, tuple[np.ndarray, pd.Index]] = field(default_factory=dict)
    # attribute -> (codes matrix int32 with -1 where the customer has no row, labels)

    @property
    def n_months(self) -> int:
        return self.values.shape[1]

    def months(self) -> pd.PeriodIndex:
        return pd.PeriodIndex(
            pd.arrays.PeriodArray(np.arange(self.first, self.first + self.n_months, dtype="int64"),
                                  dtype=pd.PeriodDtype("M"))
        )

    def month(self, j: int) -> pd.Period:
        return pd.Period(ordinal=self.first + j, freq="M")

    def index_of(self, month: pd.Period) -> int:
        return int(month.ordinal) - self.first


def canonical(mrr: pd.DataFrame) -> pd.DataFrame:
    """Accept a canonical MRR table as is; send anything else through :func:`read_mrr`."""
    if not isinstance(mrr, pd.DataFrame):
        raise DataError(
            f"expected the MRR table (a DataFrame from nrrkit.read_mrr), got {type(mrr).__name__}"
        )
    ok = (
        {"customer_id", "month", "mrr"} <= set(mrr.columns)
        and mrr["month"].dtype == pd.PeriodDtype("M")
        and mrr["mrr"].dtype == "float64"
    )
    if ok:
        return mrr
    from .loading import read_mrr

    return read_mrr(mrr)


def build(mrr: pd.DataFrame, by: str | None = None) -> Panel:
    """Build the panel of an MRR table (and the codes of attribute ``by``)."""
    mrr = canonical(mrr)
    if len(mrr) == 0:
        raise DataError("the MRR table is empty; there is nothing to measure")
    if by is not None and by not in mrr.columns:
        attrs = [c for c in mrr.columns if c not in ("customer_id", "month", "mrr")]
        raise DataError(
            f"no attribute column '{by}' to segment by (attributes: {', '.join(map(str, attrs)) or 'none'})"
        )
    if by in ("customer_id", "month", "mrr"):
        raise DataError(f"cannot segment by '{by}'; choose an attribute column such as segment or plan")
    cust_codes, customers = pd.factorize(mrr["customer_id"], sort=True)
    ords = mrr["month"].array.asi8
    lo, hi = int(ords.min()), int(ords.max())
    n_m = hi - lo + 1
    n_c = len(customers)
    flat = cust_codes.astype("int64") * n_m + (ords - lo)
    # bincount sums several rows of one customer-month, as read_mrr's default does
    values = np.bincount(flat, weights=mrr["mrr"].to_numpy(dtype="float64"), minlength=n_c * n_m)
    values = values.reshape(n_c, n_m)
    panel = Panel(pd.Index(customers), lo, values)
    if by is not None:
        col = mrr[by]
        filled = col.astype(object).where(col.notna(), MISSING_SEGMENT)
        seg_codes, labels = pd.factorize(filled.astype(str), sort=True)
        codes = np.full(n_c * n_m, -1, dtype="int32")
        codes[flat] = seg_codes
        panel.segments[by] = (codes.reshape(n_c, n_m), pd.Index(labels))
    return panel


def group_sum(matrix: np.ndarray, groups: np.ndarray | None, n_groups: int) -> np.ndarray:
    """Column sums of ``matrix`` (customers x k), split by a group code per cell.

    Returns (n_groups, k); with ``groups=None`` returns (1, k).  Cells with a
    negative group code must hold 0 (they are customers outside every segment).
    """
    if groups is None:
        return matrix.sum(axis=0, keepdims=True, dtype="float64")
    k = matrix.shape[1]
    g = np.where(groups < 0, 0, groups).astype("int64")
    key = g * k + np.arange(k)[None, :]
    out = np.bincount(key.ravel(), weights=matrix.ravel().astype("float64"), minlength=n_groups * k)
    return out.reshape(n_groups, k)
