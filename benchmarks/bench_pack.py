"""Time of ``nrrkit.export.pack`` by step, and the size of what it writes.

    python benchmarks/bench_pack.py                    # the sample, 20k and 100k customers
    python benchmarks/bench_pack.py --sizes 2000 --runs 3

For each size: a generated company over 36 months (the sample for 2,000), packed (workbook, charts,
summary.html and the one-page summary.pdf) with
``by="segment"`` into a fresh folder; the steps are the ones the CLI prints.  Reports the
median of ``--runs`` runs, the workbook and folder sizes, and the peak memory of the process.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import platform
import re
import resource
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "Agg")

import nrrkit as nk  # noqa: E402
from nrrkit import export  # noqa: E402


def one_run(mrr, folder: Path) -> dict[str, float]:
    err = io.StringIO()
    began = time.perf_counter()
    with contextlib.redirect_stderr(err):
        export.pack(mrr, folder, by="segment", progress=True)
    total = time.perf_counter() - began
    # "[k/N] label ... 1.2 s"; a progress bar of the bootstrap may sit between the label and the time
    steps = {m.group(1): float(m.group(2)) for m in re.finditer(r"\[\d+/\d+\] (.+?) \.\.\..*? ([\d.]+) s\n",
                                                                 err.getvalue(), flags=re.S)}
    return {"total": total, **steps}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[2000, 20000, 100000])
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    for n in args.sizes:
        mrr = nk.datasets.load_sample() if n == 2000 else nk.read_mrr(nk.datasets.generate(n, 36, seed=1))
        runs = []
        for k in range(args.runs):
            with tempfile.TemporaryDirectory() as tmp:
                folder = Path(tmp) / "pack"
                runs.append(one_run(mrr, folder))
                if k == 0:
                    book = (folder / export.WORKBOOK).stat().st_size
                    size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
        keys = list(runs[0])
        med = {key: statistics.median(r[key] for r in runs) for key in keys}
        print(f"\n{n:,} customers x 36 months ({len(mrr):,} rows): median of {args.runs}: {med['total']:.2f} s; "
              f"workbook {book / 1e6:.1f} MB, folder {size / 1e6:.1f} MB")
        for key in keys[1:]:
            print(f"  {med[key]:6.2f} s  {key}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak resident memory of the process: {peak:,.0f} MB")


if __name__ == "__main__":
    main()
