"""How much of nrrkit.sql's run time its checks take: ``mrr_table`` against bridge + 12-month retention.

    python benchmarks/bench_sql_checks.py --sizes 200000 1000000 --runs 3

On bench_sql.py's company (``nrrkit.datasets.generate(n, 36, seed=1)``, Parquet in
benchmarks/_work/, written when missing), in one process per size: a new DuckDB connection
reads the file in place, then ``nks.mrr_table`` (the checks), ``nks.to_pandas(nks.bridge(src))``
and ``nks.to_pandas(nks.retention(src, window=12))``, ``--runs`` times.  Printed: the least
wall time of each step, and the CPU seconds of the process (every DuckDB thread) of the checks
and of the whole, with the checks' share of each.  The queries the checks ran are counted.
To compare with an earlier version, run the same command at that commit.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import textwrap
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_sql import company_parquet  # noqa: E402

RUN = textwrap.dedent("""
    import resource, sys, time, warnings
    warnings.filterwarnings("ignore")
    import ibis
    import nrrkit.sql as nks

    def cpu():
        r = resource.getrusage(resource.RUSAGE_SELF)
        return r.ru_utime + r.ru_stime

    queries = [0]
    execute = ibis.expr.types.Expr.execute

    def counted(self, *a, **k):
        queries[0] += 1
        return execute(self, *a, **k)

    ibis.expr.types.Expr.execute = counted
    path, runs = sys.argv[1], int(sys.argv[2])
    best = {}
    for _ in range(runs):
        con = ibis.duckdb.connect()
        t = con.read_parquet(path, table_name="mrr")
        queries[0] = 0
        c0, t0 = cpu(), time.perf_counter()
        src = nks.mrr_table(t)
        c1, t1, n = cpu(), time.perf_counter(), queries[0]
        nks.to_pandas(nks.bridge(src))
        t2 = time.perf_counter()
        nks.to_pandas(nks.retention(src, window=12))
        c3, t3 = cpu(), time.perf_counter()
        for k, v in dict(checks=t1 - t0, bridge=t2 - t1, retention=t3 - t2, whole=t3 - t0,
                         cpu_checks=c1 - c0, cpu_whole=c3 - c0).items():
            best[k] = min(best.get(k, float("inf")), v)
        con.disconnect()
    print(f"{src.rows:,} rows: checks {best['checks']:.2f} s ({n} queries), bridge {best['bridge']:.2f} s, "
          f"retention {best['retention']:.2f} s, whole {best['whole']:.2f} s; checks {best['checks'] / best['whole']:.0%} "
          f"of the whole; CPU: checks {best['cpu_checks']:.2f} s of {best['cpu_whole']:.2f} s "
          f"({best['cpu_checks'] / best['cpu_whole']:.0%})")
""")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[200_000, 1_000_000], help="customers (36 months)")
    ap.add_argument("--runs", type=int, default=3, help="runs per size (the least time of each step is printed)")
    args = ap.parse_args()
    for n in args.sizes:
        path = company_parquet(n)
        # run from benchmarks/: the nrrkit measured is the one on the path (PYTHONPATH, or installed), not the
        # folder the command was started in
        out = subprocess.run([sys.executable, "-c", RUN, str(path.resolve()), str(args.runs)], capture_output=True,
                             text=True, cwd=Path(__file__).resolve().parent)
        if out.returncode != 0:
            raise SystemExit(out.stderr)
        print(f"{n:,} customers x 36 months, {out.stdout.strip().splitlines()[-1]}", flush=True)  # after DuckDB's progress bars


if __name__ == "__main__":
    main()
