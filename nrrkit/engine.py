"""How the dense engine uses the machine: threads for the customer blocks, and a memory check.

Every measure of nrrkit (the bridge, retention, cohorts) turns the MRR table into a
customers x months matrix (:mod:`nrrkit.panel`) and walks it in blocks of customers.
The blocks are independent, and numpy releases the GIL inside its vectorised kernels,
so they run on a pool of threads; their results are added up in block order, so the
figures are the same to the last bit whatever the number of threads.

Threads: all the cores this process may use (``os.sched_getaffinity`` where the platform has
it, else ``os.cpu_count()``), or the environment variable ``NRRKIT_THREADS``, or
:func:`set_threads` (which wins over both).  One thread is the serial path.

Memory: before the matrix is allocated, :func:`check_memory` compares an estimate of what
the computation needs (:func:`dense_bytes`) with the memory the machine has available
(``MemAvailable`` of ``/proc/meminfo`` on Linux; elsewhere ``psutil`` if it is installed,
else no check) and refuses, in one line, a table that would push the machine into swap,
pointing to :mod:`nrrkit.sql`, which computes the same figures inside DuckDB.

Pages: numpy asks Linux for 2 MB pages ("transparent huge pages") for every array of 4 MB or
more, and Arrow's allocator (mimalloc) for its own blocks.  In a virtual machine whose balloon
device reports free memory to the host (free page reporting, as Firecracker and cloud sandboxes
do), a free 2 MB block is exactly what the guest hands back, so each such page is backed anew by
the host when it is first written: on the project's 2-core machine that cost 1-3 s of system time
per read of a million customers.  Where that is the case, :func:`plain_pages` turns huge pages off
for the process while nrrkit reads and measures (Linux's ``PR_SET_THP_DISABLE``; where that call
is refused, numpy's request alone), and puts back what was there afterwards; elsewhere, or where
the user set ``NUMPY_MADVISE_HUGEPAGE`` (numpy's own switch), nothing changes.  Parsing into
another allocator instead was tried and dropped: jemalloc or the system's saved 0.5-0.8 s of a
1,000,000-customer CSV read but cost 3-15 s of a 4,000,000-customer one.
"""

from __future__ import annotations

import functools
import os
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import TypeVar

from .errors import DataError

__all__ = ["threads", "set_threads", "map_ordered", "available_memory", "container_memory", "dense_bytes", "check_memory",
           "plain_pages", "huge_pages_refaulted", "ENV_THREADS", "BLOCK_BYTES_PER_CELL", "WORK", "FILL_BYTES_PER_ROW", "MOVEMENTS_PER_ROW"]

#: the environment variable that sets the number of threads (a whole number >= 1; 1 = serial)
ENV_THREADS = "NRRKIT_THREADS"

_threads: int | None = None  # set_threads(); None = the environment, else every core

T = TypeVar("T")
R = TypeVar("R")


def _cores() -> int:
    if hasattr(os, "sched_getaffinity"):
        try:
            return max(len(os.sched_getaffinity(0)), 1)
        except OSError:  # pragma: no cover - a platform that has the call but refuses it
            pass
    return os.cpu_count() or 1


def threads() -> int:
    """The number of threads the dense engine uses: :func:`set_threads`, else ``NRRKIT_THREADS``, else every core.

    Examples
    --------
    >>> import nrrkit.engine as ne
    >>> ne.set_threads(1); ne.threads()
    1
    >>> ne.set_threads(None)  # back to NRRKIT_THREADS or every core
    """
    if _threads is not None:
        return _threads
    raw = os.environ.get(ENV_THREADS, "").strip()
    if not raw:
        return _cores()
    try:
        n = int(raw)
    except ValueError:
        n = 0
    if n < 1:
        raise DataError(f"{ENV_THREADS}={raw!r}: give a whole number of threads >= 1 (1 = serial), "
                        f"or unset it to use every core ({_cores()} here)")
    return n


def set_threads(n: int | None) -> None:
    """Use ``n`` threads for the dense engine (1 = serial); ``None`` goes back to ``NRRKIT_THREADS`` or every core."""
    global _threads
    if n is not None and (not isinstance(n, int) or isinstance(n, bool) or n < 1):
        raise DataError(f"set_threads takes a whole number of threads >= 1 (1 = serial) or None, not {n!r}")
    _threads = n


def map_ordered(fn: Callable[[T], R], items: Iterable[T]) -> list[R]:
    """``[fn(x) for x in items]``, on :func:`threads` threads when there are several items.

    The results come back in the order of ``items``, so a caller that adds them up in
    that order gets the serial path's figures to the last bit.
    """
    items = list(items)
    workers = min(threads(), len(items))
    with plain_pages():
        if workers <= 1:
            return [fn(x) for x in items]
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="nrrkit") as pool:
            return list(pool.map(fn, items))


# --------------------------------------------------------------------------- pages

_VIRTIO_BALLOON = "0x0005"  # the virtio device id of a memory balloon
_FREE_PAGE_REPORTING = 5  # its feature bit: free guest memory is reported to the host, which takes it back


@functools.cache
def huge_pages_refaulted(root: str = "/sys") -> bool:
    """True where numpy's huge pages are slow: Linux hands them out only on request (``madvise``),
    and a virtio balloon reports free memory to the host, so every fresh 2 MB page is backed anew."""
    try:
        with open(f"{root}/kernel/mm/transparent_hugepage/enabled") as fh:
            if "[madvise]" not in fh.read():
                return False  # "always": every page is huge anyway; "never": numpy's request is ignored
        base = f"{root}/bus/virtio/devices"
        for dev in os.listdir(base):
            try:
                with open(f"{base}/{dev}/device") as fh:
                    if fh.read().strip() != _VIRTIO_BALLOON:
                        continue
                with open(f"{base}/{dev}/features") as fh:
                    bits = fh.read().strip()
            except OSError:
                continue
            if len(bits) > _FREE_PAGE_REPORTING and bits[_FREE_PAGE_REPORTING] == "1":
                return True
    except OSError:
        return False
    return False


def _numpy_off() -> Callable[[], None] | None:
    """Turn numpy's huge-page request off; the function that puts it back (None: numpy has no switch)."""
    import numpy as np

    core = getattr(np, "_core", None) or getattr(np, "core", None)
    setter = getattr(getattr(core, "multiarray", None), "_set_madvise_hugepage", None)
    if setter is None:
        return None
    before = bool(setter(False))
    return lambda: setter(before)


#: Linux's prctl options that read and set whether the process may have transparent huge pages
_PR_SET_THP_DISABLE, _PR_GET_THP_DISABLE = 41, 42


def _process_off() -> Callable[[], None] | None:
    """Turn huge pages off for the whole process (every allocator); the function that puts them
    back (None: not Linux, or the call is refused, as a sandbox's seccomp filter may)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    before = prctl(_PR_GET_THP_DISABLE, 0, 0, 0, 0)
    if before < 0 or (not before and prctl(_PR_SET_THP_DISABLE, 1, 0, 0, 0) != 0):
        return None
    return lambda: None if before else prctl(_PR_SET_THP_DISABLE, 0, 0, 0, 0)


def _pages_off() -> Callable[[], None] | None:
    """Huge pages off for the process, else numpy's request off; the function that puts it back."""
    return _process_off() or _numpy_off()


def _switch() -> Callable[[], Callable[[], None] | None] | None:
    """What :func:`plain_pages` turns off here: huge pages where they are slow, unless the user set
    numpy's own switch (``NUMPY_MADVISE_HUGEPAGE``); None: nothing."""
    if not huge_pages_refaulted() or "NUMPY_MADVISE_HUGEPAGE" in os.environ:
        return None
    return _pages_off


_pages_lock = threading.Lock()
_pages_depth = 0
_pages_undo: Callable[[], None] | None = None


@contextmanager
def plain_pages() -> Iterator[None]:
    """Huge pages off inside the block, where they are slow (:func:`huge_pages_refaulted`).

    Nested and concurrent blocks share the switch: the first block turns it off, the last puts
    back what was there.  Elsewhere this does nothing; the figures never depend on it.
    """
    global _pages_depth, _pages_undo
    off = _switch()
    if off is None:
        yield
        return
    with _pages_lock:
        if _pages_depth == 0:
            _pages_undo = off()
        _pages_depth += 1
    try:
        yield
    finally:
        with _pages_lock:
            _pages_depth -= 1
            if _pages_depth == 0 and _pages_undo is not None:
                _pages_undo()
                _pages_undo = None


# --------------------------------------------------------------------------- memory

#: bytes one cell of a block of customers needs, per thread, while a measure works on it: the
#: most any measure needs (retention's lazy method by segment, 130, measured with tracemalloc);
#: the measures pass their own figure (:data:`WORK`)
BLOCK_BYTES_PER_CELL = 130

#: bytes a block cell needs, per measure (measured with tracemalloc on blocks of 16,384 customers x 36
#: months, the most over by= and reactivation_window=, rounded up)
WORK = {"bridge": 64, "movements": 64, "retention": 32, "retention lazy": BLOCK_BYTES_PER_CELL}

#: bytes per row of the table for the table :func:`nrrkit.movements` returns and the arrays it is made
#: from (measured: the table 49 bytes a row, 63 with ``by=``, the arrays 40; at 1M customers on 2 threads
#: the whole call took 3.0 GB above the table, 7 bytes a row more than this figure at 128 would give)
MOVEMENTS_PER_ROW = 160

#: bytes a row of the table needs while the matrix is filled on one thread: its month number, its
#: position in the matrix and their temporaries (measured: 24.0); on several threads, 9 a row (the
#: month numbers and one comparison) and 32 a row of every chunk in flight
FILL_BYTES_PER_ROW = 24


def available_memory() -> int | None:
    """Bytes the machine can still give without swapping, or None where it cannot say.

    ``MemAvailable`` of ``/proc/meminfo`` (Linux), lowered to what a container's memory limit
    leaves (cgroup v2 or v1: the limit less the memory in use, reclaimable file cache not
    counted); elsewhere ``psutil.virtual_memory().available`` if psutil is installed.
    """
    have = None
    try:
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    have = int(line.split()[1]) * 1024
                    break
    except (OSError, ValueError, IndexError):
        have = None
    if have is None:
        try:
            import psutil
        except ImportError:
            return None
        try:
            return int(psutil.virtual_memory().available)
        except Exception:  # pragma: no cover - psutil on a platform it does not know
            return None
    box = container_memory()
    return have if box is None else min(have, box)


#: where Linux shows the process's memory cgroup (v2, then v1) inside a container
CGROUP_ROOTS = ("/sys/fs/cgroup", "/sys/fs/cgroup/memory")


def container_memory(roots: tuple[str, ...] | None = None) -> int | None:
    """What a container's memory limit leaves: limit - (usage - inactive file cache); None without a limit.

    cgroup v2 (``memory.max``, ``memory.current``, ``inactive_file`` of ``memory.stat``) or v1
    (``memory.limit_in_bytes``, ``memory.usage_in_bytes``, ``total_inactive_file``).
    """
    for root in CGROUP_ROOTS if roots is None else roots:
        for limit_f, usage_f, inactive in (("memory.max", "memory.current", "inactive_file"),
                                           ("memory.limit_in_bytes", "memory.usage_in_bytes", "total_inactive_file")):
            try:
                with open(os.path.join(root, limit_f)) as fh:
                    raw = fh.read().strip()
                if raw == "max" or int(raw) >= 1 << 60:  # no limit
                    return None
                with open(os.path.join(root, usage_f)) as fh:
                    used = int(fh.read().strip())
            except (OSError, ValueError):
                continue
            cache = 0
            try:
                with open(os.path.join(root, "memory.stat")) as fh:
                    for line in fh:
                        key, _, value = line.partition(" ")
                        if key == inactive:
                            cache = int(value)
                            break
            except (OSError, ValueError):
                cache = 0
            return max(int(raw) - max(used - cache, 0), 0)
    return None


def dense_bytes(customers: int, months: int, rows: int, *, block: int, chunk: int, segments: bool = False,
                workers: int | None = None, work: int | None = None, per_row: int = 0, built: bool = False) -> int:
    """Bytes a dense measure needs on top of the MRR table it reads: an estimate made before allocating.

    - the matrix: 8 bytes (float64) per customer-month, and 4 more (int32 codes) with ``by=``;
    - while it is filled: :data:`FILL_BYTES_PER_ROW` bytes per row of the table on one thread; on
      several (tables of more than two chunks of ``chunk`` rows), 9 bytes a row and 32 bytes a row of
      every chunk in flight;
    - per thread (at most one per block), one block of ``block`` customers x months at ``work``
      bytes a cell (default :data:`BLOCK_BYTES_PER_CELL`, see :data:`WORK`);
    - ``per_row`` bytes per row of the table for what the measure returns (:func:`nrrkit.movements`
      returns about one row per row of the table: :data:`MOVEMENTS_PER_ROW`).

    ``built``: the matrix is there already (kept from the table's last measure), so neither it nor
    its filling is counted.

    Examples
    --------
    1,000 customers x 12 months, 10,000 rows, 2 threads, blocks of 500 customers, chunks of
    65,536 rows (so the matrix is filled on one thread):
    1,000 x 12 x 8 = 96,000 (matrix) + 24 x 10,000 = 240,000 (rows)
    + 2 x 500 x 12 x 130 = 1,560,000 (blocks) = 1,896,000 bytes.

    >>> dense_bytes(1_000, 12, 10_000, block=500, chunk=65_536, workers=2)
    1896000
    """
    workers = max(threads() if workers is None else workers, 1)
    work = BLOCK_BYTES_PER_CELL if work is None else work
    n_blocks = max(-(-customers // block), 1)
    matrix = 0 if built else customers * months * (12 if segments else 8)
    if built:
        filling = 0
    elif workers > 1 and rows > 2 * chunk:
        filling = 9 * rows + min(workers, -(-rows // chunk)) * chunk * 32
    else:
        filling = FILL_BYTES_PER_ROW * rows
    blocks = min(workers, n_blocks) * min(block, customers) * months * work
    return matrix + filling + blocks + per_row * rows


def _size(n: float) -> str:
    """Bytes as a person reads them: 12.3 GB, 456 MB, 3.7 kB."""
    if n >= 1e9:
        return f"{n / 1e9:.1f} GB"
    if n >= 1e6:
        return f"{n / 1e6:.0f} MB"
    if n >= 1e3:
        return f"{n / 1e3:.1f} kB"
    return f"{n:.0f} bytes"


def check_memory(customers: int, months: int, rows: int, *, block: int, chunk: int, segments: bool = False,
                 work: int | None = None, per_row: int = 0, source: str | None = None, built: bool = False) -> None:
    """Refuse, in one line, a computation that needs more memory than the machine has available.

    ``source`` is the file the table was read from (it names the way to read it in DuckDB).
    Where :func:`available_memory` cannot say, nothing is checked.
    """
    size = {"block": block, "chunk": chunk, "segments": segments, "work": work, "per_row": per_row, "built": built}
    need = dense_bytes(customers, months, rows, **size)
    have = available_memory()
    if have is None or need <= have:
        return
    serial = dense_bytes(customers, months, rows, workers=1, **size)
    fewer = (f"; or run on one thread ({ENV_THREADS}=1), which needs about {_size(serial)}"
             if threads() > 1 and serial <= have else "")
    if source and source.lower().endswith((".csv", ".parquet")):
        how = (f'nrrkit.sql.mrr_table("{source}") in Python, or the same nrrkit command with --db {source} in place '
               f"of the file")
    else:  # a workbook, a DataFrame: DuckDB reads Parquet and CSV in place
        how = ("save the table as Parquet, then nrrkit.sql.mrr_table(path) in Python, or --db PATH in place of the "
               "file on the command line")
    raise DataError(
        f"{source + ': ' if source else ''}{customers:,} customers x {months} months need about {_size(need)} "
        f"of memory to compute here and the machine has {_size(have)} available; compute the figures inside "
        f"DuckDB with nrrkit.sql instead ({how}){fewer}"
    )
