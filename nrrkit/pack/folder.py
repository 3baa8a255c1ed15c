"""The pack's folder: what it may write, and writing it safely.

A folder that holds files is refused unless ``force`` is given; with it, only the
pack's own files (:data:`OUTPUTS`) are replaced.  Nothing is written through a link,
and each file is written to a temporary name inside the folder and renamed into place.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

from ..errors import DataError

__all__ = ["WORKBOOK", "SUMMARY", "PDF", "CHARTS", "OUTPUTS", "check_folder", "prepare", "write_bytes", "Progress"]

WORKBOOK = "nrr-pack.xlsx"
SUMMARY = "summary.html"
PDF = "summary.pdf"
CHARTS = {
    "bridge-waterfall": "MRR bridge of the last 12 months",
    "nrr-grr-trend": "12-month NRR and GRR by end month, on the benchmark levels",
    "cohort-heatmap": "revenue retention by quarterly cohort, with each cohort's size",
    "layer-cake": "MRR by acquisition cohort",
    "segment-nrr": "NRR and GRR by segment",
    "scenario": "five-year ARR on the default path (last year's new business held, NRR fading to a benchmark "
                "level), with the measured rates compounded as a contrast",
}
#: Every path the pack may write, relative to its folder (``force`` replaces only these).
OUTPUTS = (WORKBOOK, SUMMARY, PDF, *(f"charts/{n}.{ext}" for n in CHARTS for ext in ("png", "svg")))


def check_folder(out_dir: str | os.PathLike, force: bool) -> Path:
    """Refuse a file, or a folder that holds files when force is off (nothing is written yet)."""
    path = Path(out_dir).expanduser()
    if path.exists() and not path.is_dir():
        raise DataError(f"{path}: exists and is not a folder; give a folder for the pack")
    if path.is_dir() and any(path.iterdir()) and not force:
        raise DataError(f"{path}: the folder is not empty; choose a new folder or pass --force "
                        f"(nrrkit then replaces only its own files)")
    return path


def prepare(out_dir: str | os.PathLike, force: bool) -> Path:
    """The resolved output folder, created, with the pack's earlier files removed."""
    path = check_folder(out_dir, force)
    path.mkdir(parents=True, exist_ok=True)
    root = path.resolve()
    charts = root / "charts"
    if charts.is_symlink() or (charts.exists() and not charts.is_dir()):
        raise DataError(f"{charts}: is a link or a file; the pack writes its charts into a folder of its own there")
    for rel in OUTPUTS:
        target = root / rel
        if target.is_symlink():
            raise DataError(f"{target}: is a link; remove it, the pack never writes through links")
        if target.exists():
            target.unlink()  # force: our own earlier output only, so no stale chart outlives a new run
    charts.mkdir(exist_ok=True)
    return root


def write_bytes(root: Path, rel: str, data: bytes) -> Path:
    """Write one output file inside ``root`` (a temporary file renamed into place)."""
    target = (root / rel).resolve()
    if root not in target.parents:  # pragma: no cover - OUTPUTS are fixed names
        raise DataError(f"{rel}: outside the pack folder")
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".nrrkit-", suffix=target.suffix)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the file the user's usual mode
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


class Progress:
    """``[2/8] the MRR bridge ... 0.4 s`` lines on stderr."""

    def __init__(self, enabled: bool, steps: int) -> None:
        self.enabled, self.steps, self.k, self.t0 = enabled, steps, 0, None

    def __call__(self, label: str) -> None:
        self.done()
        self.k += 1
        self.t0 = time.perf_counter()
        if self.enabled:
            print(f"[{self.k}/{self.steps}] {label} ...", end="", file=sys.stderr, flush=True)

    def done(self) -> None:
        if self.t0 is not None and self.enabled:
            print(f" {time.perf_counter() - self.t0:.1f} s", file=sys.stderr, flush=True)
        self.t0 = None

    def abort(self) -> None:
        """End an open progress line so that an error message starts on a line of its own."""
        if self.t0 is not None and self.enabled:
            print(" stopped", file=sys.stderr, flush=True)
        self.t0 = None
