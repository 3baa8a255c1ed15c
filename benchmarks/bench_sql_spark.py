"""nrrkit.sql on Spark (local[*]) against nrrkit.sql on DuckDB (every core), on the same Parquet file.

    python benchmarks/bench_sql_spark.py --sizes 200000 --runs 3
    python benchmarks/bench_sql_spark.py --sizes 1000000 --runs 3 --driver-memory 8g

The company is bench_sql.py's (and bench_core.py's): ``nrrkit.datasets.generate(n, 36,
seed=1)``, ids and months as text, in benchmarks/_work/company_<n>.parquet (written when
missing).  Each engine runs in a fresh process, as a user would run it:

- duckdb: ``nks.mrr_table(path)`` (DuckDB reads the file in place) on every core;
- spark: ``nks.spark(master)`` starts a Spark session (Spark's defaults, but the driver's
  memory), then ``nks.mrr_table(con, path)`` (Spark reads the file in place).

Then the monthly bridge, the 12-month retention and the revenue cohort table, each run by
``nks.to_pandas``.  The split is import / session start / read+check / bridge / retention /
cohorts (wall seconds; the start is 0 for DuckDB).  The results of the two engines are compared
(relative tolerance 1e-9) before anything is reported; each engine runs once first
(discarded), then ``--runs`` times alternately, and the minimum and the median are reported
(the machine may be shared: the minimum is the least disturbed run).  Spark's memory is the
JVM's, not this process's, so no peak is reported.  Figures go to
benchmarks/_work/bench_sql_spark_<customers>.json with the machine and the time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import textwrap
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_sql import WORK, check_same, code_state, company_parquet, run  # noqa: E402

STEPS = ("import", "start", "read", "bridge", "retention", "cohorts")

_MEASURES = """
t1 = time.perf_counter()
b = nks.to_pandas(nks.bridge(src, freq="M"))
t2 = time.perf_counter()
r = nks.to_pandas(nks.retention(src, window=12))
t3 = time.perf_counter()
c = nks.to_pandas(nks.cohort_table(src))
t4 = time.perf_counter()
res = {"total": t4 - t0, "import": t_imp - t0, "start": t_start - t_imp, "read": t1 - t_start,
       "bridge": t2 - t1, "retention": t3 - t2, "cohorts": t4 - t3, "rows": src.rows, "customers": src.customers}
with open(out, "wb") as fh:
    pickle.dump({"bridge": b, "retention": r, "cohorts": c,
                 "cohort_attrs": {k: dict(c.attrs[k]) for k in ("size", "start_mrr")}}, fh)
print(json.dumps(res))
"""

DUCKDB_RUN = textwrap.dedent("""
import json, os, pickle, sys, time
t0 = time.perf_counter()
import ibis
import nrrkit.sql as nks
t_imp = time.perf_counter()
path, out = sys.argv[1:3]
con = ibis.duckdb.connect(threads=os.cpu_count())
t_start = time.perf_counter()
src = nks.mrr_table(con.read_parquet(path, table_name="mrr"))
""") + _MEASURES

SPARK_RUN = textwrap.dedent("""
import json, pickle, sys, time
t0 = time.perf_counter()
import nrrkit.sql as nks
t_imp = time.perf_counter()
path, out, master, memory = sys.argv[1:5]
con = nks.spark(master, **{"spark.driver.memory": memory})
t_start = time.perf_counter()
src = nks.mrr_table(con, path)
""") + _MEASURES


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1_000_000], help="customers (36 months)")
    ap.add_argument("--runs", type=int, default=3, help="measured runs per engine")
    ap.add_argument("--master", default="local[*]", help="Spark's master (default local[*]: every core)")
    ap.add_argument("--driver-memory", default="4g", help="spark.driver.memory (Spark's default, 1g, is small)")
    args = ap.parse_args()

    import duckdb
    import ibis
    import pyspark

    started = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")
    cpu = next((ln.split(":", 1)[1].strip() for ln in open("/proc/cpuinfo") if ln.startswith("model name")), "?")
    mem = next(int(ln.split()[1]) for ln in open("/proc/meminfo") if ln.startswith("MemTotal")) / 1024**2
    facts = {"cores": os.cpu_count(), "cpu": cpu, "ram_gb": round(mem, 1), "duckdb": duckdb.__version__,
             "ibis": ibis.__version__, "pyspark": pyspark.__version__, "master": args.master,
             "driver_memory": args.driver_memory, "load_average": os.getloadavg(), "code": code_state()}
    print(f"{started} UTC; {facts['cores']} cores ({cpu}), {facts['ram_gb']} GB RAM; DuckDB {duckdb.__version__}, "
          f"PySpark {pyspark.__version__} ({args.master}), Ibis {ibis.__version__}; load average "
          f"{', '.join(f'{x:.2f}' for x in facts['load_average'])}", flush=True)
    rows = []
    for n in args.sizes:
        src = company_parquet(n)
        out = {e: WORK / f"bench_sql_spark_out_{e}_{n}.pickle" for e in ("duckdb", "spark")}
        code = {"duckdb": (DUCKDB_RUN, []), "spark": (SPARK_RUN, [args.master, args.driver_memory])}
        results = {e: [] for e in code}
        for e, (c, extra) in code.items():  # warm-up, discarded
            run(c, src, out[e], *extra)
        check_same(out["duckdb"], out["spark"])
        print(f"{n:,} customers: nrrkit.sql on Spark and on DuckDB agree (rtol 1e-9) on the monthly bridge, "
              f"12-month retention and the revenue cohort table", flush=True)
        for _ in range(args.runs):
            for e, (c, extra) in code.items():
                r = run(c, src, out[e], *extra)
                results[e].append(r)
                print(f"  {e:6s} {r['total']:6.2f} s  split {' / '.join(f'{r[k]:.2f}' for k in STEPS)}", flush=True)
        for e in code:
            best = min(results[e], key=lambda r: r["total"])
            rows.append({"engine": e, "customers": n, "months": 36, "rows": best["rows"], "min": best,
                         "median_total": statistics.median(r["total"] for r in results[e]),
                         "all_totals": [round(r["total"], 2) for r in results[e]]})
    print("\n| engine | customers x months | rows | wall time, min (median) | split of the min run: import / "
          "start / read+check / bridge / retention / cohorts (s) |\n|---|---|---|---|---|")
    for r in rows:
        label = f"nrrkit.sql on Spark {args.master}" if r["engine"] == "spark" else \
            f"nrrkit.sql on DuckDB ({os.cpu_count()} threads)"
        m = r["min"]
        print(f"| {label} | {r['customers']:,} x 36 | {r['rows']:,} | {m['total']:.2f} s ({r['median_total']:.2f} s) "
              f"| {' / '.join(f'{m[k]:.2f}' for k in STEPS)} |")
    path = WORK / f"bench_sql_spark_{'_'.join(str(n) for n in args.sizes)}.json"
    path.write_text(json.dumps({"started_utc": started, "machine": facts, "results": rows}, indent=2, default=str))
    print(f"\nfigures: {path}")


if __name__ == "__main__":
    main()
