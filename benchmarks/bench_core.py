"""nrrkit against hand-written DuckDB SQL, as a user would time it: one file, read and measured.

    python benchmarks/bench_core.py                          # 1000000x36 and 4000000x60, Parquet and CSV, 3 runs
    python benchmarks/bench_core.py 200000x36 --runs 1       # a quick check of the script (about a minute)
    python benchmarks/bench_core.py 1000000x36 --formats parquet --runs 1
    python benchmarks/bench_core.py --sizes 200000 1000000   # sizes without months are over --months (36)

For each size (customers x months) the script generates a company with
``nrrkit.datasets.generate`` (seed 1; months ending 2025-12, so 36 months start in 2023-01),
writes it to CSV and to Parquet (customer_id and month as text, as an export would; files are
kept in benchmarks/_work/ and reused), then times, each in a fresh process:

- nrrkit: ``read_mrr`` (every check of its validation) + monthly ``bridge`` + 12-month
  ``retention`` for every end month, on all cores (Arrow's and numpy's threads);
- nrrkit.sql on DuckDB (all cores): ``nks.mrr_table`` on the file (its checks included) and the
  same two measures as Ibis expressions (``--no-sql`` leaves it out);
- DuckDB SQL on all cores (DuckDB's default threads) -- the main yardstick -- and on 2 threads:
  the same three steps written by hand (read the file, sum duplicates, monthly bridge with
  new/reactivation/expansion/contraction/churn, 12-month retention for every end month);
- pyarrow: ``pyarrow.parquet.read_table`` or ``pyarrow.csv.read_csv`` of the file alone, the
  yardstick for what reading it costs (``read_mrr`` also validates every cell).

The bridge and retention of nrrkit and of nrrkit.sql are each compared with DuckDB's figure by
figure (relative tolerance 1e-9) on the first run; the script stops if any differs.  Each engine
runs once first (discarded: the first process after a pause pays for memory the machine has
to find), then ``--runs`` times alternately; the median is reported.  Before each process the
file is read once, untimed, so that every engine finds it in the page cache (at 4,000,000 x 60
the process before may have pushed it out).  ``total`` is the wall
time of the process from before its first import, importing included; ``read`` is the read
alone (``read_mrr``, ``mrr_table``, DuckDB's aggregate of the file, pyarrow's read), after the
libraries are imported; peak memory is ``VmHWM`` of /proc/self/status in the measured process.

It prints the machine (CPU model, cores, memory), the date and the package versions, then
rows per second of the input file for each engine and each ratio: nrrkit / DuckDB on all
cores, nrrkit / DuckDB on 2 threads, read_mrr / pyarrow's read.  The figures also go to
benchmarks/_work/bench_core.json.  Needs the ``bench`` extra (DuckDB; the nrrkit.sql column the
``sql`` extra): ``pip install -e ".[bench,sql]"``.  4000000x60 needs about 19 GB of memory
(pyarrow's plain read peaks at 13.1 GB from Parquet and 19.0 GB from the 6.3 GB CSV; nrrkit at 8.2 GB;
the company is generated a million customers at a time).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
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
LAST_MONTH = "2025-12"  # every generated company ends here: before today, so no max_month is needed
DEFAULT_SIZES = ["1000000x36", "4000000x60"]

_PEAK = "int(next(ln for ln in open('/proc/self/status') if ln.startswith('VmHWM')).split()[1]) / 1024"

# the end both nrrkit scripts share: the peak, both results for the check, and the timings
_FINISH = f"""peak = {_PEAK}
    b.assign(period=b.period.astype(str)).to_parquet(out + ".bridge.parquet")
    r.assign(month=r.month.astype(str)).to_parquet(out + ".retention.parquet")
    print(json.dumps({{"total": t3 - t0, "import": t_imp - t0, "read": t1 - t_imp, "bridge": t2 - t1,
                      "retention": t3 - t2, "peak_mb": peak}}))"""

NRRKIT = textwrap.dedent(
    f"""
    import json, sys, time
    t0 = time.perf_counter()
    import nrrkit as nk
    import pandas, pyarrow.parquet, pyarrow.csv
    src, out = sys.argv[1], sys.argv[2]
    t_imp = time.perf_counter()
    mrr = nk.read_mrr(src)
    t1 = time.perf_counter()
    b = nk.bridge(mrr)
    t2 = time.perf_counter()
    r = nk.retention(mrr, window=12)
    t3 = time.perf_counter()
    {_FINISH}
    """
)

NRRKIT_SQL = textwrap.dedent(
    f"""
    import json, sys, time
    t0 = time.perf_counter()
    import ibis
    import nrrkit.sql as nks
    src, out = sys.argv[1], sys.argv[2]
    t_imp = time.perf_counter()
    table = nks.mrr_table(src)
    t1 = time.perf_counter()
    b = nks.to_pandas(nks.bridge(table, freq="M"))
    t2 = time.perf_counter()
    r = nks.to_pandas(nks.retention(table, window=12))
    t3 = time.perf_counter()
    {_FINISH}
    """
)

DUCKDB = textwrap.dedent(
    f"""
    import json, sys, time
    t0 = time.perf_counter()
    import duckdb
    src, out, threads = sys.argv[1], sys.argv[2], sys.argv[3]
    reader = (f"read_parquet('{{src}}')" if src.endswith(".parquet") else
              f"read_csv('{{src}}', header=true, columns={{{{'customer_id': 'VARCHAR', 'month': 'VARCHAR', "
              f"'mrr': 'DOUBLE', 'segment': 'VARCHAR', 'plan': 'VARCHAR', 'pricing': 'VARCHAR', 'channel': 'VARCHAR'}}}})")
    con = duckdb.connect()
    if threads != "all":
        con.execute(f"SET threads = {{int(threads)}}")
    used = con.execute("SELECT current_setting('threads')").fetchone()[0]
    con.execute("SET enable_progress_bar = false")
    t_imp = time.perf_counter()
    con.execute(f'''
        CREATE TEMP TABLE base AS
        SELECT customer_id AS c,
               CAST(substr(month, 1, 4) AS INTEGER) * 12 + CAST(substr(month, 6, 2) AS INTEGER) - 1 AS m,
               SUM(mrr) AS v
        FROM {{reader}} GROUP BY 1, 2''')
    t1 = time.perf_counter()
    bridge = con.execute('''
        -- each paying month next to the customer's previous row (LAG), and a churn row in the
        -- month after a paying month that has no paying month after it (window functions: 4-5x
        -- faster in DuckDB than joining every customer-month to its previous one)
        WITH paid AS (SELECT c, m, v FROM base WHERE v > 0),
        bounds AS (SELECT MAX(m) AS hi FROM base),
        w AS (SELECT c, m, v,
                CASE WHEN LAG(m) OVER win = m - 1 THEN LAG(v) OVER win ELSE 0 END AS prev,
                LEAD(m) OVER win AS nm,
                MIN(m) OVER (PARTITION BY c) AS first_paid
              FROM paid WINDOW win AS (PARTITION BY c ORDER BY m)),
        mv AS (
            SELECT m, v AS cur, prev, first_paid FROM w
            UNION ALL
            SELECT m + 1, 0, v, first_paid FROM w, bounds WHERE (nm IS NULL OR nm > m + 1) AND m + 1 <= hi)
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
    peak = {_PEAK}
    bridge.to_parquet(out + ".bridge.parquet")
    retention.to_parquet(out + ".retention.parquet")
    print(json.dumps({{"total": t3 - t0, "import": t_imp - t0, "read": t1 - t_imp, "bridge": t2 - t1,
                      "retention": t3 - t2, "peak_mb": peak, "threads": int(used)}}))
    """
)

PYARROW = textwrap.dedent(
    f"""
    import json, sys, time
    t0 = time.perf_counter()
    import pyarrow.parquet as pq, pyarrow.csv as pacsv
    src = sys.argv[1]
    t_imp = time.perf_counter()
    table = pq.read_table(src) if src.endswith(".parquet") else pacsv.read_csv(src)
    t1 = time.perf_counter()
    print(json.dumps({{"total": t1 - t0, "import": t_imp - t0, "read": t1 - t_imp, "bridge": 0.0, "retention": 0.0,
                      "peak_mb": {_PEAK}, "rows": table.num_rows}}))
    """
)


# --------------------------------------------------------------------------- data


def parse_size(spec: str, months: int = 36) -> tuple[int, int]:
    """``"1000000x36"`` -> (1000000, 36); ``"200000"`` -> (200000, ``months``); ``1_000_000`` and ``1e6`` read too."""
    text = spec.lower().replace("_", "").replace(",", "")
    customers, _, m = text.partition("x")
    try:
        return int(float(customers)), int(m) if m else months
    except ValueError:
        raise SystemExit(f"size {spec!r}: write customers x months, such as 1000000x36") from None


PART = 1_000_000  # customers generated at a time


def make_data(customers: int, fmt: str = "parquet", seed: int = 1, months: int = 36) -> Path:
    """The generated company as ``fmt`` in benchmarks/_work/ (written once, then reused).

    36 months are company_<customers>.<fmt> (the file bench_sql.py and bench_ids.py reuse);
    other spans company_<customers>x<months>.<fmt>.
    """
    import nrrkit as nk

    name = f"company_{customers}" if months == 36 else f"company_{customers}x{months}"
    path = WORK / f"{name}.{fmt}"
    if not path.exists():
        WORK.mkdir(exist_ok=True)
        start = str(pd.Period(LAST_MONTH, freq="M") - (months - 1))
        print(f"generating {customers:,} customers x {months} months ({start} to {LAST_MONTH}) as {fmt} ...",
              flush=True)
        tmp = path.with_suffix(".tmp")
        # in parts of at most a million customers (4M x 60 in one piece needs more than 24 GB):
        # each part is its own generated company (seed + part) whose ids carry the part's number,
        # so the file has `customers` distinct customers; one part is the company of earlier runs
        parts = -(-customers // PART)
        writer = None
        for part in range(parts):
            size = min(PART, customers - part * PART)
            table = nk.datasets.generate(size, months, seed=seed + part, start=start)
            ids = table.customer_id.astype(str)
            table = table.assign(month=table.month.dt.strftime("%Y-%m"),
                                 customer_id=ids if parts == 1 else f"p{part}-" + ids)
            if fmt == "parquet":
                import pyarrow as pa
                import pyarrow.parquet as pq

                arrow = pa.Table.from_pandas(table, preserve_index=False)
                writer = writer or pq.ParquetWriter(tmp, arrow.schema)
                writer.write_table(arrow.cast(writer.schema))
            else:
                table.to_csv(tmp, index=False, header=part == 0, mode="w" if part == 0 else "a")
            del table
        if writer is not None:
            writer.close()
        tmp.rename(path)  # a run stopped halfway leaves no half-written file behind to be reused
    return path


# --------------------------------------------------------------------------- running and checking


def read_through(path: str | Path) -> None:
    """Read the file once, untimed, so that the next process finds it in the page cache.

    At 4,000,000 x 60 the processes before (pyarrow's read peaks at 18.7 GB of 23.5) push the
    6.3 GB CSV out of the cache, and whichever engine runs next would pay the disk for it.
    """
    with open(path, "rb") as fh:
        while fh.read(1 << 24):
            pass


def run(code: str, *args) -> dict:
    proc = subprocess.run([sys.executable, "-c", code, *map(str, args)], capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(proc.stderr)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def month_ordinals(labels: pd.Series) -> np.ndarray:
    return pd.PeriodIndex(labels, freq="M").asi8


def check_same(out_n: Path, out_d: Path, engine: str = "nrrkit") -> None:
    """The bridge and retention of ``engine`` against DuckDB's, figure by figure (rtol 1e-9)."""
    bn = pd.read_parquet(str(out_n) + ".bridge.parquet")
    bd = pd.read_parquet(str(out_d) + ".bridge.parquet")
    bn = bn.assign(m=month_ordinals(bn.period) + 1970 * 12).set_index("m")
    bd = bd.set_index("m")
    cols = ["start_mrr", "new", "reactivation", "expansion", "contraction", "churn", "end_mrr",
            "customers_start", "customers_end", "new_customers", "churned_customers"]
    assert bn.index.equals(bd.index), f"{engine} and DuckDB: bridge months differ"
    np.testing.assert_allclose(bn[cols].to_numpy(float), bd[cols].to_numpy(float), rtol=1e-9,
                               err_msg=f"{engine} and DuckDB: bridge figures differ")
    rn = pd.read_parquet(str(out_n) + ".retention.parquet")
    rd = pd.read_parquet(str(out_d) + ".retention.parquet")
    rn = rn.assign(m=month_ordinals(rn.month) + 1970 * 12).set_index("m")
    rd = rd.set_index("m")
    cols = ["customers_start", "customers_retained", "start_mrr", "end_mrr", "expansion", "contraction", "churn"]
    assert rn.index.equals(rd.index), f"{engine} and DuckDB: retention months differ"
    np.testing.assert_allclose(rn[cols].to_numpy(float), rd[cols].to_numpy(float), rtol=1e-9,
                               err_msg=f"{engine} and DuckDB: retention figures differ")


# --------------------------------------------------------------------------- the machine


def machine() -> dict:
    """CPU model, cores, memory, date and versions: what a figure must be quoted with."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as fh:
            cpu = next((ln.split(":", 1)[1].strip() for ln in fh if ln.startswith("model name")), cpu)
    except OSError:
        pass
    memory_gb = None
    try:
        with open("/proc/meminfo") as fh:
            kb = next(int(ln.split()[1]) for ln in fh if ln.startswith("MemTotal"))
        memory_gb = round(kb / 1024**2, 1)
    except (OSError, StopIteration):
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    versions = {"python": platform.python_version()}
    for mod in ("nrrkit", "numpy", "pandas", "pyarrow", "duckdb", "ibis"):
        try:
            versions[mod] = __import__(mod).__version__
        except (ImportError, AttributeError):
            versions[mod] = None
    try:
        commit = subprocess.run(["git", "-C", str(HERE), "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True).stdout.strip() or None
    except OSError:
        commit = None
    return {"cpu": cpu, "cores": cores, "memory_gb": memory_gb, "os": f"{platform.system()} {platform.release()}",
            "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"), "commit": commit,
            "load_average": os.getloadavg()[0] if hasattr(os, "getloadavg") else None, "versions": versions}


def machine_line(m: dict) -> str:
    v = m["versions"]
    shown = ", ".join(f"{k} {v[k]}" for k in ("python", "nrrkit", "numpy", "pandas", "pyarrow", "duckdb", "ibis")
                      if v.get(k))
    mem = f"{m['memory_gb']} GB" if m["memory_gb"] else "memory unknown"
    return (f"machine: {m['cpu']}, {m['cores']} cores, {mem}, {m['os']}; {m['date']}"
            f" (load average {m['load_average']:.1f}); {shown}; commit {m['commit']}")


# --------------------------------------------------------------------------- main


def _has_module(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("size", nargs="*", help="customers x months, such as 1000000x36 (default: "
                                            + " ".join(DEFAULT_SIZES) + ")")
    ap.add_argument("--sizes", nargs="+", default=None, help="the same, as an option (a bare number is over --months)")
    ap.add_argument("--months", type=int, default=36, help="months of a size given without them (default 36)")
    ap.add_argument("--runs", type=int, default=3, help="timed runs of each engine, after one discarded run")
    ap.add_argument("--formats", nargs="+", default=["parquet", "csv"], choices=("csv", "parquet"))
    ap.add_argument("--no-sql", action="store_true", help="leave out nrrkit.sql on DuckDB")
    ap.add_argument("--no-warmup", action="store_true", help="no discarded first run")
    args = ap.parse_args()
    import duckdb  # noqa: F401  (the yardstick: stop early when the bench extra is missing)

    specs = list(args.size) + list(args.sizes or []) or DEFAULT_SIZES
    sizes = [parse_size(s, args.months) for s in specs]
    info = machine()
    print(machine_line(info), flush=True)
    engines = [("nrrkit", NRRKIT, ()), ("duckdb_all", DUCKDB, ("all",)), ("duckdb_2", DUCKDB, ("2",)),
               ("pyarrow", PYARROW, ())]
    if not args.no_sql and _has_module("ibis"):
        engines.insert(1, ("nrrkit_sql", NRRKIT_SQL, ()))
    elif not args.no_sql:
        print("nrrkit.sql left out: Ibis is not installed (pip install -e '.[sql]')")
    rows_out = []
    for customers, months in sizes:
        for fmt in args.formats:
            src = make_data(customers, fmt, months=months)
            tag = f"{customers}x{months}_{fmt}"
            results: dict[str, list[dict]] = {name: [] for name, _, _ in engines}

            def once(name, code, extra, tag=tag, src=src):
                out = WORK / f"out_{name}_{tag}"
                read_through(src)
                return run(code, src, out, *extra) if code is not PYARROW else run(code, src)

            if not args.no_warmup:
                for name, code, extra in engines:
                    once(name, code, extra)
            for i in range(args.runs):
                for name, code, extra in engines:
                    results[name].append(once(name, code, extra))
                if i == 0:
                    check_same(WORK / f"out_nrrkit_{tag}", WORK / f"out_duckdb_all_{tag}", "nrrkit")
                    if "nrrkit_sql" in results:
                        check_same(WORK / f"out_nrrkit_sql_{tag}", WORK / f"out_duckdb_all_{tag}", "nrrkit.sql")
            n_rows = results["pyarrow"][0]["rows"]
            print(f"\n{customers:,} customers x {months} months, {fmt} ({n_rows:,} rows): nrrkit"
                  f"{', nrrkit.sql' if 'nrrkit_sql' in results else ''} and DuckDB agree on every bridge and "
                  f"retention figure", flush=True)
            med = {}
            for name, rs in results.items():
                med[name] = {k: statistics.median(r[k] for r in rs)
                             for k in ("total", "import", "read", "bridge", "retention", "peak_mb")}
                med[name]["min_total"] = min(r["total"] for r in rs)
                med[name]["min_read"] = min(r["read"] for r in rs)
                if "threads" in rs[0]:
                    med[name]["threads"] = rs[0]["threads"]
                label = {"nrrkit": "nrrkit", "nrrkit_sql": "nrrkit.sql on DuckDB",
                         "duckdb_all": f"DuckDB SQL, all cores ({rs[0].get('threads')} threads)",
                         "duckdb_2": "DuckDB SQL, 2 threads", "pyarrow": "pyarrow read alone"}[name]
                m = med[name]
                print(f"  {label:32s} {m['total']:7.2f} s  {n_rows / m['total'] / 1e6:6.2f} M rows/s   "
                      f"(import {m['import']:.2f}, read {m['read']:.2f}, bridge {m['bridge']:.2f}, "
                      f"retention {m['retention']:.2f}; min {m['min_total']:.2f})  peak {m['peak_mb']:,.0f} MB",
                      flush=True)
                rows_out.append({"customers": customers, "months": months, "format": fmt, "rows": n_rows,
                                 "engine": name, **m})
            ratios = {
                "nrrkit / DuckDB all cores": med["nrrkit"]["total"] / med["duckdb_all"]["total"],
                "nrrkit / DuckDB 2 threads": med["nrrkit"]["total"] / med["duckdb_2"]["total"],
                "read_mrr / pyarrow read": med["nrrkit"]["read"] / med["pyarrow"]["read"],
            }
            if "nrrkit_sql" in med:
                ratios["nrrkit.sql / DuckDB all cores"] = med["nrrkit_sql"]["total"] / med["duckdb_all"]["total"]
            for k, v in ratios.items():
                print(f"  {k:32s} {v:7.2f}")
            rows_out.append({"customers": customers, "months": months, "format": fmt, "rows": n_rows,
                             "engine": "ratios", **ratios})
    WORK.mkdir(exist_ok=True)
    (WORK / "bench_core.json").write_text(json.dumps({"machine": info, "runs": args.runs, "results": rows_out},
                                                     indent=1))
    print("\n" + machine_line(info))
    print(markdown(rows_out, args.runs))


def markdown(rows: list[dict], runs: int) -> str:
    """The figures as the table of docs/benchmarks.md (medians of ``runs`` runs)."""
    head = ("| customers x months | file | rows | nrrkit | of which read_mrr | nrrkit.sql on DuckDB | "
            "DuckDB SQL, all cores | DuckDB SQL, 2 threads | pyarrow read | nrrkit / DuckDB all | "
            "nrrkit / DuckDB 2 | read_mrr / pyarrow |")
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    keyed: dict[tuple, dict] = {}
    for r in rows:
        keyed.setdefault((r["customers"], r["months"], r["format"]), {})[r["engine"]] = r
    for (c, m, f), e in keyed.items():
        def t(name, field="total", e=e):
            return f"{e[name][field]:.2f} s" if name in e else ""

        rt = e["ratios"]
        lines.append(f"| {c:,} x {m} | {f} | {e['nrrkit']['rows']:,} | {t('nrrkit')} | {t('nrrkit', 'read')} | "
                     f"{t('nrrkit_sql')} | {t('duckdb_all')} | {t('duckdb_2')} | {t('pyarrow', 'read')} | "
                     f"{rt['nrrkit / DuckDB all cores']:.2f} | {rt['nrrkit / DuckDB 2 threads']:.2f} | "
                     f"{rt['read_mrr / pyarrow read']:.2f} |")
    return f"(medians of {runs} run{'s' if runs != 1 else ''})\n" + "\n".join(lines)


if __name__ == "__main__":
    main()
