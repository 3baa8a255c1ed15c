"""Speed and memory of the core engine against the same computation in DuckDB SQL.

    python benchmarks/bench_core.py                     # 200k and 1M customers, CSV and Parquet, 3 runs each
    python benchmarks/bench_core.py --sizes 200000 --runs 5 --formats csv

For each size the script generates a company with ``nrrkit.datasets.generate``
(36 months), writes it to CSV and to Parquet (customer_id and month as text, as an
export would), then times, each in a fresh process:

- nrrkit: ``read_mrr`` (validation included) + monthly ``bridge`` + 12-month
  cohort ``retention`` for every end month;
- pandas (CSV only): ``pandas.read_csv(engine="pyarrow")`` alone, the yardstick for
  what reading the file costs (nrrkit's read also validates every cell);
- DuckDB: the same three steps in SQL (read the Parquet file, sum duplicates,
  monthly bridge with new/reactivation/expansion/contraction/churn, 12-month
  cohort retention for every end month), on the same number of threads (2).

Both results are written to Parquet and compared figure by figure (relative
tolerance 1e-9); the script stops if they differ.  Each engine runs once first
(discarded: the first process after a pause pays for the machine's memory and file
caches), then ``--runs`` times alternately; the script reports the median wall time,
import included, and the median peak resident memory of each process (``VmHWM`` of
/proc/self/status: ``ru_maxrss`` can report the memory of the benchmark script that started the
process).  Needs the
``bench`` extra: ``pip install -e ".[bench]"``.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
WORK = HERE / "_work"

NRRKIT = textwrap.dedent(
    """
    import json, sys, time
    t0 = time.perf_counter()
    import nrrkit as nk
    src, out = sys.argv[1], sys.argv[2]
    mrr = nk.read_mrr(src, max_month="2030-12")
    t1 = time.perf_counter()
    b = nk.bridge(mrr)
    t2 = time.perf_counter()
    r = nk.retention(mrr, window=12)
    t3 = time.perf_counter()
    peak = int(next(ln for ln in open('/proc/self/status') if ln.startswith('VmHWM')).split()[1]) / 1024
    b.assign(period=b.period.astype(str)).to_parquet(out + ".bridge.parquet")
    r.assign(month=r.month.astype(str)).to_parquet(out + ".retention.parquet")
    print(json.dumps({"total": t3 - t0, "read": t1 - t0, "bridge": t2 - t1, "retention": t3 - t2,
                      "peak_mb": peak, "rows": len(mrr)}))
    """
)

DUCKDB = textwrap.dedent(
    """
    import json, sys, time
    t0 = time.perf_counter()
    import duckdb
    src, out = sys.argv[1], sys.argv[2]
    reader = (f"read_parquet('{src}')" if src.endswith(".parquet") else
              f"read_csv('{src}', header=true, columns={{'customer_id': 'VARCHAR', 'month': 'VARCHAR', "
              f"'mrr': 'DOUBLE', 'segment': 'VARCHAR', 'plan': 'VARCHAR', 'pricing': 'VARCHAR', 'channel': 'VARCHAR'}})")
    con = duckdb.connect()
    con.execute("SET threads = 2")
    con.execute("SET enable_progress_bar = false")
    con.execute(f'''
        CREATE TEMP TABLE base AS
        SELECT customer_id AS c,
               CAST(substr(month, 1, 4) AS INTEGER) * 12 + CAST(substr(month, 6, 2) AS INTEGER) - 1 AS m,
               SUM(mrr) AS v
        FROM {reader} GROUP BY 1, 2''')
    t1 = time.perf_counter()
    bridge = con.execute('''
        WITH bounds AS (SELECT MIN(m) AS lo, MAX(m) AS hi FROM base),
        firsts AS (SELECT c, MIN(m) AS first_paid FROM base WHERE v > 0 GROUP BY c),
        pairs AS (
            SELECT c, m FROM base WHERE v > 0
            UNION
            SELECT c, m + 1 FROM base, bounds WHERE v > 0 AND m + 1 <= hi),
        mv AS (
            SELECT p.m, COALESCE(cur.v, 0) AS cur, COALESCE(prev.v, 0) AS prev, f.first_paid
            FROM pairs p
            JOIN firsts f ON f.c = p.c
            LEFT JOIN base cur ON cur.c = p.c AND cur.m = p.m
            LEFT JOIN base prev ON prev.c = p.c AND prev.m = p.m - 1)
        SELECT m,
            SUM(prev) AS start_mrr,
            SUM(CASE WHEN prev = 0 AND cur > 0 AND m = first_paid THEN cur ELSE 0 END) AS new,
            SUM(CASE WHEN prev = 0 AND cur > 0 AND m > first_paid THEN cur ELSE 0 END) AS reactivation,
            SUM(CASE WHEN prev > 0 AND cur > prev THEN cur - prev ELSE 0 END) AS expansion,
            SUM(CASE WHEN prev > 0 AND cur > 0 AND cur < prev THEN prev - cur ELSE 0 END) AS contraction,
            SUM(CASE WHEN prev > 0 AND cur = 0 THEN prev ELSE 0 END) AS churn,
            SUM(cur) AS end_mrr,
            COUNT(*) FILTER (WHERE prev > 0) AS customers_start,
            COUNT(*) FILTER (WHERE cur > 0) AS customers_end,
            COUNT(*) FILTER (WHERE prev = 0 AND cur > 0 AND m = first_paid) AS new_customers,
            COUNT(*) FILTER (WHERE prev > 0 AND cur = 0) AS churned_customers
        FROM mv GROUP BY m ORDER BY m''').df()
    t2 = time.perf_counter()
    retention = con.execute('''
        SELECT b.m + 12 AS m,
            COUNT(*) AS customers_start,
            COUNT(*) FILTER (WHERE COALESCE(e.v, 0) > 0) AS customers_retained,
            SUM(b.v) AS start_mrr,
            SUM(COALESCE(e.v, 0)) AS end_mrr,
            SUM(CASE WHEN e.v > 0 THEN GREATEST(e.v - b.v, 0) ELSE 0 END) AS expansion,
            SUM(CASE WHEN e.v > 0 THEN GREATEST(b.v - e.v, 0) ELSE 0 END) AS contraction,
            SUM(CASE WHEN COALESCE(e.v, 0) = 0 THEN b.v ELSE 0 END) AS churn
        FROM base b LEFT JOIN base e ON e.c = b.c AND e.m = b.m + 12
        WHERE b.v > 0 AND b.m + 12 <= (SELECT MAX(m) FROM base)
        GROUP BY 1 ORDER BY 1''').df()
    t3 = time.perf_counter()
    peak = int(next(ln for ln in open('/proc/self/status') if ln.startswith('VmHWM')).split()[1]) / 1024
    bridge.to_parquet(out + ".bridge.parquet")
    retention.to_parquet(out + ".retention.parquet")
    print(json.dumps({"total": t3 - t0, "read": t1 - t0, "bridge": t2 - t1, "retention": t3 - t2,
                      "peak_mb": peak}))
    """
)


PANDAS = textwrap.dedent(
    """
    import json, sys, time
    t0 = time.perf_counter()
    import pandas as pd
    frame = pd.read_csv(sys.argv[1], engine="pyarrow")
    t1 = time.perf_counter()
    peak = int(next(ln for ln in open('/proc/self/status') if ln.startswith('VmHWM')).split()[1]) / 1024
    print(json.dumps({"total": t1 - t0, "read": t1 - t0, "bridge": 0.0, "retention": 0.0, "peak_mb": peak,
                      "rows": len(frame)}))
    """
)


def make_data(customers: int, fmt: str, seed: int = 1) -> Path:
    import nrrkit as nk

    path = WORK / f"company_{customers}.{fmt}"
    if not path.exists():
        WORK.mkdir(exist_ok=True)
        print(f"generating {customers:,} customers x 36 months as {fmt} ...", flush=True)
        table = nk.datasets.generate(customers, 36, seed=seed, start="2023-01")
        table = table.assign(month=table.month.dt.strftime("%Y-%m"), customer_id=table.customer_id.astype(str))
        if fmt == "parquet":
            table.to_parquet(path, index=False)
        else:
            table.to_csv(path, index=False)
    return path


def run(code: str, src: Path, out: Path) -> dict:
    proc = subprocess.run([sys.executable, "-c", code, str(src), str(out)], capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(proc.stderr)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def month_ordinals(labels: pd.Series) -> np.ndarray:
    return pd.PeriodIndex(labels, freq="M").asi8


def check_same(out_n: Path, out_d: Path) -> None:
    bn = pd.read_parquet(str(out_n) + ".bridge.parquet")
    bd = pd.read_parquet(str(out_d) + ".bridge.parquet")
    bn = bn.assign(m=month_ordinals(bn.period) + 1970 * 12).set_index("m")
    bd = bd.set_index("m")
    cols = ["start_mrr", "new", "reactivation", "expansion", "contraction", "churn", "end_mrr",
            "customers_start", "customers_end", "new_customers", "churned_customers"]
    assert bn.index.equals(bd.index), "bridge months differ"
    np.testing.assert_allclose(bn[cols].to_numpy(float), bd[cols].to_numpy(float), rtol=1e-9)
    rn = pd.read_parquet(str(out_n) + ".retention.parquet")
    rd = pd.read_parquet(str(out_d) + ".retention.parquet")
    rn = rn.assign(m=month_ordinals(rn.month) + 1970 * 12).set_index("m")
    rd = rd.set_index("m")
    cols = ["customers_start", "customers_retained", "start_mrr", "end_mrr", "expansion", "contraction", "churn"]
    assert rn.index.equals(rd.index), "retention months differ"
    np.testing.assert_allclose(rn[cols].to_numpy(float), rd[cols].to_numpy(float), rtol=1e-9)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[200_000, 1_000_000])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--formats", nargs="+", default=["csv", "parquet"], choices=("csv", "parquet"))
    args = ap.parse_args()
    import duckdb

    print(f"machine: {platform.machine()}, {platform.processor() or 'cpu'}, python {platform.python_version()}, "
          f"pandas {pd.__version__}, numpy {np.__version__}, duckdb {duckdb.__version__}")
    rows = []
    for n in args.sizes:
        for fmt in args.formats:
            src = make_data(n, fmt)
            engines = [("nrrkit", NRRKIT), ("duckdb", DUCKDB)] + ([("pandas", PANDAS)] if fmt == "csv" else [])
            results = {name: [] for name, _ in engines}
            for name, code in engines:  # warm-up, discarded
                run(code, src, WORK / f"out_{name}_{n}")
            for i in range(args.runs):
                for name, code in engines:
                    results[name].append(run(code, src, WORK / f"out_{name}_{n}"))
                if i == 0:
                    check_same(WORK / f"out_nrrkit_{n}", WORK / f"out_duckdb_{n}")
                    print(f"{n:,} customers, {fmt}: nrrkit and DuckDB agree on every bridge and retention figure "
                          f"({results['nrrkit'][0]['rows']:,} rows)")
            med = {}
            for name, rs in results.items():
                med[name] = {k: statistics.median(r[k] for r in rs)
                             for k in ("total", "read", "bridge", "retention", "peak_mb")}
                rows.append({"customers": n, "format": fmt, "engine": name, **med[name]})
                print(f"  {name:7s} total {med[name]['total']:6.2f}s (read {med[name]['read']:.2f}, bridge "
                      f"{med[name]['bridge']:.2f}, retention {med[name]['retention']:.2f})  "
                      f"peak {med[name]['peak_mb']:,.0f} MB", flush=True)
            print(f"  nrrkit / DuckDB time: {med['nrrkit']['total'] / med['duckdb']['total']:.2f}")
            if "pandas" in med:
                print(f"  nrrkit read / pandas.read_csv(engine='pyarrow'): "
                      f"{med['nrrkit']['read'] / med['pandas']['read']:.2f}")
    print(pd.DataFrame(rows).to_markdown(index=False, floatfmt=".2f") if _has_tabulate() else pd.DataFrame(rows))


def _has_tabulate() -> bool:
    try:
        import tabulate  # noqa: F401
    except ImportError:
        return False
    return True


if __name__ == "__main__":
    main()
