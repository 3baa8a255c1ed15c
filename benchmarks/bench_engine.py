"""Threads and memory of the dense engine: ``nk.bridge`` and ``nk.retention`` on one thread and on every core,
and the peak memory of ``read_mrr`` + bridge + retention, fitted per row to predict a bigger company.

    python benchmarks/bench_engine.py                          # 200k and 1M customers x 36 months, 3 processes each
    python benchmarks/bench_engine.py --sizes 200000 --runs 2 --predict 4000000x60

For each size the script generates a company with ``nrrkit.datasets.generate`` (36 months, the
Parquet file of benchmarks/bench_core.py: customer_id and month as text), then, each in a fresh
process:

- times: ``read_mrr`` once, then ``bridge(mrr)`` and ``retention(mrr, window=12)`` three times
  each, with ``NRRKIT_THREADS=1`` (the serial path) and with every core, the processes
  alternating; it reports the minimum wall time over all runs and checks that both give the
  same figures to the last bit;
- memory: the peak resident memory of the process (``VmHWM`` of /proc/self/status) during
  ``read_mrr``, the memory the table holds once read (``VmRSS``), the peak during the measures
  alone (``VmHWM`` reset after the read through /proc/self/clear_refs), and nrrkit's own estimate
  of what the measures need above the table (``nrrkit.engine.dense_bytes``, for the bridge).

It then fits peak = a + b x rows through the sizes' peaks and predicts the peak of
``--predict`` (customers x months; its rows counted from a generated company of 200,000
customers over the same months, scaled).  Linux only (it reads /proc).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = HERE / "_work"

CHILD = textwrap.dedent(
    """
    import hashlib, json, sys, time
    def status(key):
        return int(next(ln for ln in open('/proc/self/status') if ln.startswith(key)).split()[1]) * 1024
    import nrrkit as nk
    import nrrkit.engine as ne
    from nrrkit.panel import BLOCK, FILL_ROWS
    start = status("VmRSS")
    mrr = nk.read_mrr(sys.argv[1], max_month="2030-12")
    read_peak, held = status("VmHWM"), status("VmRSS")
    with open("/proc/self/clear_refs", "w") as fh:  # VmHWM starts again from VmRSS: the measures' own peak
        fh.write("5")
    times, digest = {}, hashlib.sha256()
    for name, fn in (("bridge", lambda: nk.bridge(mrr)), ("retention", lambda: nk.retention(mrr, window=12))):
        times[name] = []
        for _ in range(int(sys.argv[2])):
            t = time.perf_counter()
            out = fn()
            times[name].append(time.perf_counter() - t)
        digest.update(out.select_dtypes("number").to_numpy().tobytes())
    rep = mrr.attrs["load_report"]
    print(json.dumps({"rows": len(mrr), "customers": rep["customers"], "months": rep["months"],
                      "threads": ne.threads(), "times": times, "digest": digest.hexdigest(),
                      "start": start, "read_peak": read_peak, "held": held, "measures_peak": status("VmHWM"),
                      "estimate": ne.dense_bytes(rep["customers"], rep["months"], len(mrr), block=BLOCK,
                                                 chunk=FILL_ROWS, work=ne.WORK["bridge"])}))
    """
)


def make_data(customers: int, months: int = 36, seed: int = 1) -> Path:
    import nrrkit as nk

    path = WORK / (f"company_{customers}.parquet" if months == 36 else f"company_{customers}x{months}.parquet")
    if not path.exists():
        WORK.mkdir(exist_ok=True)
        print(f"generating {customers:,} customers x {months} months ...", flush=True)
        table = nk.datasets.generate(customers, months, seed=seed, start="2023-01")
        table = table.assign(month=table.month.dt.strftime("%Y-%m"), customer_id=table.customer_id.astype(str))
        table.to_parquet(path, index=False)
    return path


def child(path: Path, threads: int | None, repeats: int) -> dict:
    env = dict(os.environ)
    env.pop("NRRKIT_THREADS", None)
    if threads is not None:
        env["NRRKIT_THREADS"] = str(threads)
    proc = subprocess.run([sys.executable, "-c", CHILD, str(path), str(repeats)], capture_output=True, text=True,
                          env=env)
    if proc.returncode != 0:
        raise SystemExit(proc.stderr)
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    out["peak"] = max(out["read_peak"], out["measures_peak"])
    return out


def rows_per_customer(months: int) -> float:
    import nrrkit as nk

    return len(nk.datasets.generate(200_000, months, seed=1, start="2023-01")) / 200_000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[200_000, 1_000_000])
    ap.add_argument("--runs", type=int, default=3, help="fresh processes per size and thread count")
    ap.add_argument("--repeats", type=int, default=3, help="calls of each measure per process")
    ap.add_argument("--predict", default="4000000x60", help="customers x months to predict the peak of")
    args = ap.parse_args()
    import numpy as np

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"machine: {cores} cores for this process, load average {os.getloadavg()[0]:.1f} at the start")
    peaks, last_runs = [], {}
    for size in args.sizes:
        path = make_data(size)
        runs = last_runs = {1: [], None: []}
        for _ in range(args.runs):
            for threads in (1, None):
                runs[threads].append(child(path, threads, args.repeats))
        digests = {r["digest"] for rs in runs.values() for r in rs}
        assert len(digests) == 1, "the threaded figures differ from the serial ones"
        r0 = runs[None][0]
        print(f"\n{size:,} customers x {r0['months']} months, {r0['rows']:,} rows "
              f"(figures identical on 1 and {r0['threads']} threads)")
        for threads, rs in runs.items():
            label = "1 thread" if threads == 1 else f"{rs[0]['threads']} threads"
            best = {m: min(t for r in rs for t in r["times"][m]) for m in ("bridge", "retention")}
            mb = 2**20
            print(f"  {label:>10}: bridge {best['bridge']:.3f} s, retention {best['retention']:.3f} s (min); "
                  f"peak {min(r['peak'] for r in rs) / mb:,.0f}-{max(r['peak'] for r in rs) / mb:,.0f} MB "
                  f"(read {min(r['read_peak'] for r in rs) / mb:,.0f}-{max(r['read_peak'] for r in rs) / mb:,.0f}, "
                  f"table held {min(r['held'] - r['start'] for r in rs) / mb:,.0f} MB after import), "
                  f"the measures {max(r['measures_peak'] - r['held'] for r in rs) / mb:,.0f} MB at most above the "
                  f"table (estimate {rs[0]['estimate'] / mb:,.0f} MB)")
            peaks += [(r["rows"], r["peak"], threads) for r in rs]
    if len(args.sizes) >= 2:
        rows = np.array([p[0] for p in peaks], dtype=float)
        peak = np.array([p[1] for p in peaks], dtype=float)
        b, a = np.polyfit(rows, peak, 1)
        cust, months = (int(x) for x in args.predict.lower().split("x"))
        pred_rows = cust * rows_per_customer(months)
        print(f"\nfit over {len(peaks)} processes: peak = {a / 2**20:,.0f} MB + {b:.1f} bytes x rows")
        # the largest size's per-row figures: the read's peak, and the table held once read
        big = [r for rs in last_runs.values() for r in rs]
        read_row = max((r["read_peak"] - r["start"]) / r["rows"] for r in big)
        held_row = max((r["held"] - r["start"]) / r["rows"] for r in big)
        start = max(r["start"] for r in big)
        dense = dense_estimate(cust, months, int(pred_rows), cores)
        model = start + max(read_row * pred_rows, held_row * pred_rows + dense)
        print(f"{cust:,} x {months}: about {pred_rows / 1e6:,.1f}M rows -> predicted peak {(a + b * pred_rows) / 1e9:,.1f} GB "
              f"by the fit; by parts {model / 1e9:,.1f} GB = import {start / 1e9:.1f} GB + the larger of the read "
              f"({read_row:.0f} bytes a row: {read_row * pred_rows / 1e9:,.1f} GB) and the table "
              f"({held_row:.0f} bytes a row: {held_row * pred_rows / 1e9:,.1f} GB) + the measures' estimate on "
              f"{cores} threads ({dense / 1e9:,.1f} GB)")


def dense_estimate(customers: int, months: int, rows: int, threads: int) -> float:
    import nrrkit.engine as ne
    from nrrkit.panel import BLOCK, FILL_ROWS

    return ne.dense_bytes(customers, months, rows, block=BLOCK, chunk=FILL_ROWS, workers=threads,
                          work=ne.WORK["bridge"])


if __name__ == "__main__":
    main()
