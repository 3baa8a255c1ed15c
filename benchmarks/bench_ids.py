"""What plain text customer ids cost against a Categorical, on the benchmark company.

    python benchmarks/bench_ids.py                 # 200k customers x 36 months (3.8M rows)
    python benchmarks/bench_ids.py --customers 50000

The loader stores customer ids as plain text so that they compare, filter and concat like
strings.  This script measures, in one process on the same table (best of ``--runs``):
building the id column from codes, the panel's customer codes (paid by every function
call), the column's memory, and ``bridge`` + ``retention`` with each kind of column.
It reuses the Parquet file of ``bench_core.py`` (benchmarks/_work/) or writes it.

Measured 2026-11-23 on the project's 2-core x86_64 machine (python 3.11.7, pandas 3.1.1,
numpy 2.4.6), 200,000 customers, 3,813,093 rows, load from other work on the machine:
column 0.002 s vs 0.028 s; codes per call 0.031 s vs 0.212 s; memory 18.3 MB vs 57.7 MB;
bridge + retention 0.81 s vs 1.32 s (Categorical vs text).  A second run, under heavier
load: codes 0.068 s vs 0.199 s, bridge + retention 1.67 s vs 1.05 s: beyond the ~0.15-0.2 s
of codes per call, the difference is inside the machine's noise.
"""

from __future__ import annotations

import argparse
import time

import pandas as pd


def best(f, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        f()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    from bench_core import make_data

    import nrrkit as nk
    from nrrkit.panel import _customer_codes  # the function under measurement

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--customers", type=int, default=200_000)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    mrr = nk.read_mrr(make_data(args.customers), max_month="2030-12")
    codes, names = pd.factorize(mrr["customer_id"].to_numpy())
    names = pd.Index(names, dtype="str")
    codes = codes.astype("int32")
    cat = pd.Series(pd.Categorical.from_codes(codes, categories=names, validate=False))
    text = pd.Series(names.take(codes).array)
    as_cat = mrr.assign(customer_id=cat.to_numpy())
    rows = [
        ("build the id column", best(lambda: pd.Categorical.from_codes(codes, categories=names, validate=False),
                                     args.runs), best(lambda: names.take(codes).array, args.runs)),
        ("customer codes (each call)", best(lambda: _customer_codes(cat), args.runs),
         best(lambda: _customer_codes(text), args.runs)),
        ("bridge + retention", best(lambda: (nk.bridge(as_cat), nk.retention(as_cat)), max(1, args.runs // 2)),
         best(lambda: (nk.bridge(mrr), nk.retention(mrr)), max(1, args.runs // 2))),
    ]
    print(f"{len(mrr):,} rows, {len(names):,} customers, pandas {pd.__version__}")
    for label, a, b in rows:
        print(f"  {label:28s} Categorical {a:6.3f} s   text {b:6.3f} s")
    print(f"  {'memory of the column':28s} Categorical {cat.memory_usage(deep=True) / 1e6:6.1f} MB  "
          f"text {text.memory_usage(deep=True) / 1e6:6.1f} MB")


if __name__ == "__main__":
    main()
