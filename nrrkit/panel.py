"""The dense customers x months matrix behind every definition.

The public functions take and return tidy DataFrames; internally each one turns
the MRR table into a :class:`Panel` (integer codes for customers and months, a
float64 matrix of MRR with 0 where a customer paid nothing) so that every
definition of docs/definitions.md is a handful of column operations.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TypeVar

import numpy as np
import pandas as pd

from .engine import check_memory, map_ordered, plain_pages, threads
from .errors import DataError
from .idcodes import cached_codes, remember_codes
from .io.horizon import span_of
from .months import month_ordinals, month_starts, ordinals

#: The one label of a customer-month with no value (or a blank one) in the segment attribute: the CLI,
#: the pack and the SQL measures all show it.
MISSING_SEGMENT = "(no segment)"

T = TypeVar("T")


@dataclass
class Panel:
    customers: pd.Index  # customer ids, one per matrix row
    first: int  # month ordinal (months since 1970-01) of column 0
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

    def starts(self) -> pd.DatetimeIndex:
        """The first day of every month column (how results carry months)."""
        return month_starts(np.arange(self.first, self.first + self.n_months, dtype="int64"))

    def start(self, j: int) -> pd.Timestamp:
        """The first day of month column ``j``."""
        return month_starts([self.first + j])[0]

    def month(self, j: int) -> pd.Period:
        return pd.Period(ordinal=self.first + j, freq="M")

    def index_of(self, month) -> int:
        """Column of a month given as a Period, a first day or text."""
        from .months import ordinal

        return ordinal(month) - self.first


def frame_of(mrr):
    """A DataFrame as is; a database table of :mod:`nrrkit.sql` (an ``MrrTable``) read into pandas."""
    if not isinstance(mrr, pd.DataFrame) and hasattr(mrr, "last_with_rows") and callable(getattr(mrr, "to_frame", None)):
        return mrr.to_frame()
    return mrr


def canonical(mrr: pd.DataFrame) -> pd.DataFrame:
    """Accept a canonical MRR table as is (an ``MrrTable`` of :mod:`nrrkit.sql` read into pandas);
    send anything else through :func:`read_mrr`."""
    return _canonical(mrr)[0]


def _canonical(mrr) -> tuple[pd.DataFrame, np.ndarray]:
    """:func:`canonical` and the month ordinals of its rows (read once: the check needs them too)."""
    mrr = frame_of(mrr)
    if not isinstance(mrr, pd.DataFrame):
        raise DataError(
            f"expected the MRR table (a DataFrame from nrrkit.read_mrr), got {type(mrr).__name__}"
        )
    if {"customer_id", "month", "mrr"} <= set(mrr.columns) and mrr["mrr"].dtype == "float64":
        month = mrr["month"]
        if isinstance(month.dtype, np.dtype) and month.dtype.kind == "M":
            ords, firsts = _month_ordinals(month.to_numpy())
            if firsts:
                return mrr, ords
    from .io import read_mrr

    out = read_mrr(mrr)
    return out, ordinals(out["month"])


def _month_ordinals(a: np.ndarray) -> tuple[np.ndarray, bool]:
    """:func:`nrrkit.months.month_ordinals` in chunks on the engine's threads (value by value: the same result)."""
    n = len(a)
    if threads() <= 1 or n <= 2 * FILL_ROWS:
        return month_ordinals(a)
    out = np.empty(n, dtype="int64")

    def one(part: slice) -> bool:
        months, firsts = month_ordinals(a[part])
        out[part] = months
        return firsts

    return out, all(map_ordered(one, [slice(i, min(i + FILL_ROWS, n)) for i in range(0, n, FILL_ROWS)]))


@plain_pages()
def build(mrr: pd.DataFrame, by: str | None = None, *, work: int | None = None, per_row: int = 0) -> Panel:
    """Build the panel of an MRR table (and the codes of attribute ``by``).

    ``work``: bytes a cell of a block of customers needs while the caller's measure works on it
    (default :data:`nrrkit.engine.BLOCK_BYTES_PER_CELL`, the most any measure needs), for the
    memory check made before the matrix is allocated; ``per_row``: bytes per row of the table for
    what the caller returns.
    """
    given = mrr
    hit = _kept(given, by)
    if hit is not None:  # the matrix of this table's last measure, its columns unchanged since
        panel, rows, source = hit
        check_memory(len(panel.customers), panel.n_months, rows, block=BLOCK, chunk=FILL_ROWS,
                     segments=by is not None, work=work, per_row=per_row, source=source, built=True)
        return panel
    _forget()  # the last table's matrix goes before a new one is allocated
    mrr, ords = _canonical(mrr)
    if len(mrr) == 0:
        raise DataError("the MRR table is empty; there is nothing to measure")
    if by is not None and by not in mrr.columns:
        attrs = [c for c in mrr.columns if c not in ("customer_id", "month", "mrr")]
        raise DataError(
            f"no attribute column '{by}' to segment by (attributes: {', '.join(map(str, attrs)) or 'none'})"
        )
    if by in ("customer_id", "month", "mrr"):
        raise DataError(f"cannot segment by '{by}'; choose an attribute column such as segment or plan")
    cust_codes, customers = _customer_codes(mrr["customer_id"])
    # the span runs over the table's recorded horizon (months in which nobody pays included)
    lo, hi = span_of(mrr, int(ords.min()), int(ords.max()))
    n_m = hi - lo + 1
    n_c = len(customers)
    report = mrr.attrs.get("load_report")
    source = report.get("source") if hasattr(report, "get") else None
    check_memory(n_c, n_m, len(mrr), block=BLOCK, chunk=FILL_ROWS, segments=by is not None, work=work,
                 per_row=per_row, source=source or None)
    weights = mrr["mrr"].to_numpy(dtype="float64")
    seg_codes = labels = None
    if by is not None:
        seg_codes, labels = _attribute_codes(mrr[by])
    values, codes = _fill(cust_codes, ords, lo, weights, seg_codes, n_c, n_m)
    panel = Panel(pd.Index(customers), lo, values)
    if by is not None:
        panel.segments[by] = (codes, pd.Index(labels))
    if mrr is given:  # a canonical table (another frame was read anew, and is read anew next time)
        _keep(mrr, by, panel, source or None)
    return panel


# --------------------------------------------------------------------------- the last matrix, kept

# A notebook, a dashboard or the CLI's summary asks several measures of one table: the bridge,
# then retention, then the cohorts.  Each needs the same matrix, so the last one built is kept
# with its table and used again while the table's columns are unchanged.  One matrix is kept
# (8 bytes per customer-month, 12 with by=), only for a table nrrkit read, and only while it lives.
#
# "Unchanged" rests on pandas' copy-on-write (pandas 3, or pandas 2 with the option on): the entry
# holds each column it read as a Series, so pandas copies a column before any write to it through
# the table (``table.loc[i, "mrr"] = x``), and the column's data then sits elsewhere.  The entry
# compares where each column's data sits (an Arrow column: its Arrow data object), the table's
# length and its recorded horizon; any difference builds the matrix anew.  Arrays handed out are
# read-only, so no measure can change the kept matrix.

_kept_lock = threading.Lock()
_slot: dict = {}


def _copy_on_write() -> bool:
    """Whether pandas copies shared data before a write (always in pandas 3; an option in pandas 2)."""
    if int(pd.__version__.split(".")[0]) >= 3:
        return True
    return pd.get_option("mode.copy_on_write") is True


def _marks(mrr: pd.DataFrame, by: str | None) -> tuple[list, list] | None:
    """Where the data of every column the matrix is made from sits, and the references that hold it
    (None: a column kind whose data cannot be followed, which is never kept)."""
    marks, held = [], []
    for name in ("customer_id", "month", "mrr") + ((by,) if by is not None else ()):
        col = mrr[name]
        arr = col.array
        if isinstance(arr, pd.arrays.ArrowExtensionArray):  # edited in place by swapping its Arrow data
            data = arr.__arrow_array__()
            marks.append(("arrow", data))
        elif isinstance(col.dtype, pd.CategoricalDtype):
            codes = arr.codes
            marks.append(("codes", codes.__array_interface__["data"][0], codes.strides, col.dtype))
        elif isinstance(col.dtype, np.dtype):
            a = col.to_numpy()  # a view of the table's block
            marks.append(("numpy", a.__array_interface__["data"][0], a.strides, a.dtype))
        else:
            return None
        held.append(col)
    return marks, held


def _same(a: list, b: list) -> bool:
    if len(a) != len(b):
        return False
    for x, y in zip(a, b):
        if x[0] != y[0] or (x[1] is not y[1] if x[0] == "arrow" else x != y):
            return False
    return True


def _keep(mrr: pd.DataFrame, by: str | None, panel: Panel, source: str | None) -> None:
    # only a table nrrkit read (or pandas made from one: a filter, a copy), whose columns pandas
    # owns; a frame built on the caller's own numpy arrays could change under it with no write
    # through pandas
    if not _copy_on_write() or "load_report" not in mrr.attrs:
        return
    marked = _marks(mrr, by)
    if marked is None:
        return
    panel.values.flags.writeable = False
    for codes, _labels in panel.segments.values():
        codes.flags.writeable = False
    key = id(mrr)
    try:
        ref = weakref.ref(mrr, lambda _ref, key=key: _forget(key))
    except TypeError:
        return
    horizon = mrr.attrs.get("horizon")
    with _kept_lock:
        _slot.clear()
        _slot.update(key=key, ref=ref, by=by, marks=marked[0], held=marked[1], rows=len(mrr),
                     horizon=dict(horizon) if isinstance(horizon, dict) else horizon, panel=panel, source=source)


def _kept(mrr, by: str | None) -> tuple[Panel, int, str | None] | None:
    """The kept matrix when ``mrr`` is its table, with ``by``, and unchanged; else None."""
    with _kept_lock:
        entry = dict(_slot)
    if not entry or entry["key"] != id(mrr) or entry["ref"]() is not mrr or entry["by"] != by:
        return None
    if len(mrr) != entry["rows"] or mrr.attrs.get("horizon") != entry["horizon"]:
        return None
    try:
        marked = _marks(mrr, by)
    except KeyError:  # a column was dropped
        return None
    if marked is None or not _same(marked[0], entry["marks"]):
        return None
    return entry["panel"], entry["rows"], entry["source"]


def _forget(key: int | None = None) -> None:
    """Drop the kept matrix (only if it is ``key``'s, when given)."""
    with _kept_lock:
        if key is None or _slot.get("key") == key:
            _slot.clear()


#: rows of the table per chunk when the matrix is filled on several threads
FILL_ROWS = 1 << 20


def _fill(cust: np.ndarray, ords: np.ndarray, lo: int, weights: np.ndarray, seg: np.ndarray | None, n_c: int,
          n_m: int):
    """The (customers x months) matrix of summed ``weights`` and, with ``seg``, the codes matrix (-1: no row).

    ``cust`` is each row's customer code, ``ords - lo`` its month column.

    Several rows of one customer-month are summed in row order (``np.bincount``).  When the
    customer codes are sorted (a table from read_mrr is), the rows split into chunks of whole
    customers whose parts of the matrix do not overlap: each chunk is filled on its own thread,
    adding its rows in the same order, so the matrix is the same to the last bit.
    """
    n = len(cust)
    if threads() > 1 and n > 2 * FILL_ROWS and bool((cust[1:] >= cust[:-1]).all()):
        cuts = np.unique(np.searchsorted(cust, cust[np.arange(0, n, FILL_ROWS)], side="left"))
        starts = [int(x) for x in cuts]
        ends = starts[1:] + [n]
        # chunk i covers customers cust[start] .. the customer before the next chunk's first
        c_lo = [int(cust[a]) if i else 0 for i, a in enumerate(starts)]
        c_hi = c_lo[1:] + [n_c]
    else:  # one pass over the whole table (the serial path): no copy of the matrix
        flat = cust.astype("int64", copy=False) * n_m + (ords - lo)
        values = np.bincount(flat, weights=weights, minlength=n_c * n_m).reshape(n_c, n_m)
        codes = None
        if seg is not None:
            codes = np.full(n_c * n_m, -1, dtype="int32")
            codes[flat] = seg
            codes = codes.reshape(n_c, n_m)
        return values, codes
    values = np.empty((n_c, n_m), dtype="float64")
    codes = np.empty((n_c, n_m), dtype="int32") if seg is not None else None

    def one(i: int) -> None:
        a, z, c0, c1 = starts[i], ends[i], c_lo[i], c_hi[i]
        flat = (cust[a:z] - c0).astype("int64", copy=False) * n_m + (ords[a:z] - lo)
        values[c0:c1] = np.bincount(flat, weights=weights[a:z], minlength=(c1 - c0) * n_m).reshape(c1 - c0, n_m)
        if codes is not None:
            part = codes[c0:c1].reshape(-1)
            part.fill(-1)
            part[flat] = seg[a:z]

    map_ordered(one, range(len(starts)))
    return values, codes


def _customer_codes(col: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Customer codes numbered in sorted id order, reusing a Categorical's codes when there are."""
    if not isinstance(col.dtype, pd.CategoricalDtype):
        hit = cached_codes(col.array)
        if hit is not None:
            return hit
        codes, uniq = pd.factorize(col, sort=True)
        uniq = pd.Index(uniq, dtype="str")
        remember_codes(col.array, codes, uniq)
        return codes, uniq
    codes = col.cat.codes.to_numpy().astype("int64")
    cats = pd.Index(col.cat.categories.astype(str))
    used = np.bincount(codes, minlength=len(cats)) > 0
    kept = cats[used]
    order = kept.argsort()
    rank = np.empty(len(kept), dtype="int64")
    rank[order] = np.arange(len(kept))
    full = np.full(len(cats), -1, dtype="int64")
    full[np.flatnonzero(used)] = rank
    return full[codes], kept[order]


def _attribute_codes(col: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Integer codes and sorted text labels of an attribute; missing values get their own label."""
    if isinstance(col.dtype, pd.CategoricalDtype):
        codes = col.cat.codes.to_numpy().astype("int64")
        labels = [str(c) for c in col.cat.categories]
    else:
        codes, uniq = pd.factorize(col, use_na_sentinel=True)
        labels = [str(u) for u in uniq]
    labels = [lab if lab.strip() else MISSING_SEGMENT for lab in labels]  # a blank cell is a missing value
    if (codes < 0).any():
        labels.append(MISSING_SEGMENT)
        codes = np.where(codes < 0, len(labels) - 1, codes)
    # merge labels that read the same as text (1 and "1"), then sort them
    final, remap = np.unique(np.array(labels, dtype=object).astype(str), return_inverse=True)
    return remap[codes].astype("int32"), pd.Index(final, dtype="str")


#: customers per block: small temporaries are reused by the allocator, not re-faulted
BLOCK = 16_384


def blocks(n: int) -> Iterator[slice]:
    """Slices of ``BLOCK`` customers covering ``n`` customers (one empty slice when there are none)."""
    for s in range(0, max(n, 1), BLOCK):
        yield slice(s, min(s + BLOCK, n))


def map_blocks(fn: Callable[[slice], T], n: int) -> list[T]:
    """``fn`` of every block of :func:`blocks`, run on the engine's threads (:mod:`nrrkit.engine`),
    returned in block order: add them up in that order and the figures do not depend on the threads."""
    return map_ordered(fn, blocks(n))


def masked_sum(matrix: np.ndarray, mask: np.ndarray | None, groups: np.ndarray | None, n_groups: int) -> np.ndarray:
    """Column sums of ``matrix`` over the cells where ``mask`` is True, split by group.

    ``matrix`` and ``mask`` are (customers x k); ``groups`` is a segment code per cell
    (or None for one group).  Returns (n_groups, k).  Only the selected cells are
    touched, so a sparse mask (churn, say) costs little.
    """
    k = matrix.shape[1]
    if groups is None:
        if mask is None:
            return matrix.sum(axis=0, keepdims=True, dtype="float64")
        # einsum multiplies by the boolean mask on the fly: no temporary, 2-3x faster than where=
        return np.einsum("ij,ij->j", matrix, mask)[None, :]
    if mask is None:
        mask = np.ones(matrix.shape, dtype=bool)
    rows, cols = np.nonzero(mask)
    g = groups[rows, cols].astype("int64")
    if (g < 0).any():
        raise AssertionError("a selected cell has no segment")  # internal invariant
    out = np.bincount(g * k + cols, weights=matrix[rows, cols], minlength=n_groups * k)
    return out.reshape(n_groups, k)


def masked_count(mask: np.ndarray, groups: np.ndarray | None, n_groups: int) -> np.ndarray:
    """How many cells of each column are True, split by group: (n_groups, k)."""
    k = mask.shape[1]
    if groups is None:
        return np.einsum("ij->j", mask.view(np.uint8), dtype=np.int64)[None, :].astype("float64")
    rows, cols = np.nonzero(mask)
    g = groups[rows, cols].astype("int64")
    return np.bincount(g * k + cols, minlength=n_groups * k).reshape(n_groups, k).astype("float64")
