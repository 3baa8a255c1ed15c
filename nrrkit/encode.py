"""Text columns as integer codes, on every core.

A column read from Parquet or CSV arrives as an Arrow ``ChunkedArray``: many chunks, each
plain text (CSV) or dictionary-encoded with a dictionary of its own (Parquet: the chunks of
one row group share one).  :func:`encode` turns it into one integer code per row and the
distinct values, in the order of their first appearance, without a single-threaded pass
over the rows:

1. each plain chunk is dictionary-encoded on its own, chunks in parallel (Arrow releases
   the GIL);
2. the distinct dictionaries (a shared one counted once) are merged by one hash pass over
   their entries -- at most one entry per distinct value per chunk, far fewer than the rows;
3. each chunk's indices are mapped through the merge, chunks in parallel (numpy releases
   the GIL).

The row-wise steps of the read that follow (checks, lookups, counts) run in blocks of rows on
the same threads (:func:`blocks`, :func:`gather`, :func:`code_counts`, :func:`take_text`).
The threads are the dense engine's (:mod:`nrrkit.engine`: every core, ``NRRKIT_THREADS`` or
``set_threads``; 1 is the serial path, and Arrow then parses the file on one thread too).
This module imports nothing else from nrrkit but :mod:`nrrkit.engine`.

Examples
--------
>>> import pyarrow as pa
>>> codes, values = encode(pa.chunked_array([["b", "a", "b"], ["c", "a"]]))
>>> codes.tolist(), values.to_pylist()
([0, 1, 0, 2, 1], ['b', 'a', 'c'])
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .engine import map_ordered, threads

__all__ = ["encode", "categorical", "code_dtype", "groups", "blocks", "gather", "code_counts", "take_text"]


def code_dtype(n: int) -> np.dtype:
    """The integer type pandas gives the codes of ``n`` categories (int8 up to 126, then int16, ...)."""
    for t in (np.int8, np.int16, np.int32):
        if n < np.iinfo(t).max:
            return np.dtype(t)
    return np.dtype(np.int64)


def _chunks(values) -> list:
    import pyarrow as pa

    if isinstance(values, pa.ChunkedArray):
        return [c for c in values.chunks if len(c)]
    return [values] if len(values) else []


def _dictionary_key(d) -> tuple:
    """What makes two chunks' dictionaries one: the same buffers, offset and length."""
    return tuple(0 if b is None else b.address for b in d.buffers()) + (d.offset, len(d))


def encode(values) -> tuple[np.ndarray, Any]:
    """One integer code per value (``-1`` where it is missing) and the distinct values.

    Parameters
    ----------
    values : pyarrow.ChunkedArray or pyarrow.Array
        Plain values (text, numbers) or dictionary-encoded ones, in any number of chunks.

    Returns
    -------
    codes : numpy.ndarray
        ``values[i] == distinct[codes[i]]``; the smallest integer type pandas would use for
        as many categories (:func:`code_dtype`).
    distinct : pyarrow.Array
        The distinct values in the order in which they first appear (a dictionary's entries
        no row uses stay in it).
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    chunks = _chunks(values)
    value_type = values.type.value_type if pa.types.is_dictionary(values.type) else values.type
    if not chunks:
        return np.empty(0, dtype=np.int8), pa.array([], type=value_type)
    if pa.types.is_dictionary(chunks[0].type):  # Parquet's dictionary pages: encoded already
        encoded = chunks
    else:
        encoded = [c for part in map_ordered(lambda part: [pc.dictionary_encode(c) for c in part], groups(chunks))
                   for c in part]
    offsets: dict[tuple, int] = {}
    dictionaries = []
    chunk_offset = []
    total = 0
    for c in encoded:
        key = _dictionary_key(c.dictionary)
        if key not in offsets:
            offsets[key] = total
            dictionaries.append(c.dictionary)
            total += len(c.dictionary)
        chunk_offset.append(offsets[key])
    merged = pc.dictionary_encode(pa.concat_arrays(dictionaries) if len(dictionaries) > 1 else dictionaries[0])
    distinct = merged.dictionary
    dtype = code_dtype(len(distinct))
    # a missing entry in a dictionary is a missing value: code -1
    transpose = (pc.fill_null(merged.indices, -1) if merged.indices.null_count else merged.indices)
    transpose = transpose.to_numpy(zero_copy_only=False).astype(dtype, copy=False)
    starts = np.concatenate([[0], np.cumsum([len(c) for c in encoded])])
    codes = np.empty(int(starts[-1]), dtype=dtype)
    # a dictionary whose entries land on consecutive codes (the same dictionary in every row group,
    # or each row group's own ids, as in a file sorted by customer) needs a shift, not a lookup
    shift: dict[int, int | None] = {}
    for start, d in zip(offsets.values(), dictionaries):
        table = transpose[start:start + len(d)]
        consecutive = len(table) and np.array_equal(table, np.arange(table[0], table[0] + len(table)))
        shift[start] = int(table[0]) if consecutive else None

    def fill(i: int) -> None:
        c = encoded[i]
        out = codes[starts[i]:starts[i + 1]]
        indices = c.indices
        if indices.null_count:
            missing = indices.is_null().to_numpy(zero_copy_only=False)
            indices = pc.fill_null(indices, 0)
        else:
            missing = None
        table = transpose[chunk_offset[i]:chunk_offset[i] + len(c.dictionary)]
        if not len(table):  # an empty dictionary: every value of the chunk is missing
            out[:] = -1
            return
        by = shift[chunk_offset[i]]
        if by is None:
            np.take(table, indices.to_numpy(), out=out, mode="clip")  # "clip": no buffered copy; indices are valid
        else:  # added in int64 (an int16 index plus its shift can pass int16); the codes fit the code type
            np.add(indices.to_numpy(), by, out=out, dtype=np.int64, casting="unsafe")
        if missing is not None:
            out[missing] = -1

    map_ordered(lambda part: [fill(i) for i in part], groups(list(range(len(encoded))), [len(c) for c in encoded]))
    return codes, distinct


def categorical(values) -> pd.Categorical:
    """An Arrow column (plain or dictionary-encoded, any number of chunks) as a pandas Categorical.

    The categories are the distinct values in the order of first appearance, as pandas
    builds them from the dictionary (Arrow text stays Arrow text); a missing value has code -1.
    """
    codes, distinct = encode(values)
    return pd.Categorical.from_codes(codes, categories=pd.Index(distinct.to_pandas()), validate=False)


def groups(items: list, sizes: list[int] | None = None) -> list[list]:
    """``items`` (chunks of a column) in consecutive groups of about equal rows, one group per thread.

    A task per group rather than per chunk: a column of a thousand small chunks would otherwise be
    a thousand tasks, each waiting for the GIL to start and to finish.
    """
    sizes = [len(x) for x in items] if sizes is None else sizes
    total = sum(sizes)
    k = max(1, min(threads(), total // BLOCK, len(items)))
    out: list[list] = [[] for _ in range(k)]
    done = 0
    for item, size in zip(items, sizes):
        out[min(k - 1, done * k // max(total, 1))].append(item)
        done += size
    return [g for g in out if g]


# --------------------------------------------------------------------------- row-wise work in blocks

#: Rows per block of the row-wise steps: large enough that a thread's start costs nothing.
BLOCK = 1 << 20


def blocks(n: int) -> list[tuple[int, int]]:
    """``range(n)`` cut into blocks of :data:`BLOCK` to twice as many rows, which the threads take in turn.

    Blocks of a million rows rather than one per thread: a block's temporary arrays stay a few
    MB, which the allocator reuses, where one large temporary per thread is fresh memory to map
    (about as slow as the work itself).
    """
    k = max(1, n // BLOCK)
    edges = np.linspace(0, n, k + 1).astype(np.int64)
    return [(int(a), int(b)) for a, b in zip(edges[:-1], edges[1:])]


def gather(table: np.ndarray, index: np.ndarray) -> np.ndarray:
    """``table[index]`` in blocks on every thread (``index`` holds valid positions, none negative)."""
    out = np.empty(len(index), dtype=table.dtype)

    def one(block):
        a, b = block
        np.take(table, index[a:b], out=out[a:b], mode="clip")

    map_ordered(one, blocks(len(index)))
    return out


def code_counts(codes: np.ndarray, k: int) -> np.ndarray:
    """Rows per code: ``counts[0]`` rows with code -1 (missing), ``counts[c + 1]`` rows with code ``c``."""

    def one(block):
        part = codes[block[0]:block[1]]
        out = np.zeros(k + 1, dtype=np.int64)
        if part.min() >= 0:  # nothing missing (the usual case): no shifted copy
            out[1:] = np.bincount(part, minlength=k)
        else:
            out += np.bincount(part.astype(np.intp) + 1, minlength=k + 1)
        return out

    if not len(codes):
        return np.zeros(k + 1, dtype=np.int64)
    # one block per thread, not per million rows: each block's counts are k long (a million
    # customers: as long as a block), and are added up after
    n = len(codes)
    per_thread = max(1, min(threads(), n // BLOCK))
    edges = np.linspace(0, n, per_thread + 1).astype(np.int64)
    counts = map_ordered(one, list(zip(edges[:-1].tolist(), edges[1:].tolist())))
    total = counts[0]
    for c in counts[1:]:
        total += c
    return total


def take_text(values, index: np.ndarray):
    """``values.take(index)`` for Arrow text, in blocks on every thread: a ChunkedArray, one chunk per block."""
    import pyarrow as pa

    return pa.chunked_array(map_ordered(lambda ab: values.take(index[ab[0]:ab[1]]), blocks(len(index))), type=values.type)
