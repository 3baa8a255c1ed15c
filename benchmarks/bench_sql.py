"""Speed and memory of nrrkit.sql (Ibis on DuckDB) against the pandas engine (issue 15).

    python benchmarks/bench_sql.py --part a --runs 3      # 1M customers x 36 months, both engines
    python benchmarks/bench_sql.py --part a --sizes 50000 --runs 1
    python benchmarks/bench_sql.py --part b               # 10M customers x 60 months, DuckDB only
    python benchmarks/bench_sql.py --part b --memory-limit default 4GB
    python benchmarks/bench_sql.py --part b --customers 200000 --memory-limit 1GB

Part A reads the company ``nrrkit.datasets.generate`` makes (36 months, seed 1, ids and
months as text in a Parquet file: the file bench_core.py writes, reused when it exists) and
times, each in a fresh process (wall time from before the first import, so importing the
library counts):

- pandas: ``nk.read_mrr`` (every check of its validation) + ``nk.bridge(freq="M")`` +
  ``nk.retention(window=12)`` + ``nk.cohort_table()``;
- sql: ``nks.mrr_table(path)`` (DuckDB reads the Parquet file in place; the checking query)
  + the same three measures built as Ibis expressions and run by ``nks.to_pandas``, on 2
  DuckDB threads.

Each process also times a quarterly bridge by segment after the three measures; it is
reported apart (its own time, and the peak memory once it has run).  The results of the two
engines are compared frame by frame (relative tolerance 1e-9) before anything is reported.
Each engine runs once first (discarded: the first process after a pause pays for the file
and memory caches), then ``--runs`` times alternately; the medians are reported.  Peak memory
is ``VmHWM`` of /proc/self/status in the measured process (the resident peak, DuckDB's own
buffers included).

Part B writes a company of ``--customers`` (10M) over ``--months`` (60) straight from DuckDB
SQL (deterministic: every draw is a hash of the customer number and a salt), with arrivals
growing over the span, a lifetime per customer (churn), reactivations, expansions and
contractions at a few change points, a segment, and ids and months as text
('C00000001', '2021-01'), then times ``nks.mrr_table`` + bridge + retention + cohort_table
in one fresh process per ``--memory-limit`` (DuckDB's default, 80% of RAM, unless told), on
2 threads; under a limit DuckDB spills to a temporary directory under benchmarks/_work/,
whose largest size during the run is reported.  The pandas engine is not run there: its
memory is estimated from the peak per row that part A measured.

The split: ``import`` is the library's import (``import nrrkit`` is lazy, so the pandas
engine's import of pandas falls in its read), ``read`` is ``read_mrr`` or ``mrr_table`` (the
checks included), then one measure each.  Figures go to
benchmarks/_work/bench_sql_<part>_<customers>[_<limits>].json with the machine, the commit and
the UTC time, and a Markdown table for the README is printed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import pickle
import platform
import re
import shutil
import statistics
import subprocess
import sys
import textwrap
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = HERE / "_work"
THREADS = 2
STEPS = ("import", "read", "bridge", "retention", "cohorts")

_PEAK = "int(next(ln for ln in open('/proc/self/status') if ln.startswith('VmHWM')).split()[1]) / 1024"

PANDAS_RUN = textwrap.dedent(
    f"""
    import json, pickle, sys, time
    t0 = time.perf_counter()
    import nrrkit as nk
    t_imp = time.perf_counter()
    src, out, segment = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
    mrr = nk.read_mrr(src, max_month="2099-12")
    t1 = time.perf_counter()
    b = nk.bridge(mrr, freq="M")
    t2 = time.perf_counter()
    r = nk.retention(mrr, window=12)
    t3 = time.perf_counter()
    c = nk.cohort_table(mrr)
    t4 = time.perf_counter()
    res = {{"total": t4 - t0, "import": t_imp - t0, "read": t1 - t_imp, "bridge": t2 - t1,
            "retention": t3 - t2, "cohorts": t4 - t3, "peak_mb": {_PEAK}, "rows": len(mrr),
            "customers": int(mrr.customer_id.nunique())}}
    frames = {{"bridge": b, "retention": r, "cohorts": c,
               "cohort_attrs": {{k: dict(c.attrs[k]) for k in ("size", "start_mrr")}}}}
    if segment:
        t5 = time.perf_counter()
        frames["segment_q"] = nk.bridge(mrr, freq="Q", by="segment")
        res["segment_q"] = time.perf_counter() - t5
        res["peak_segment_mb"] = {_PEAK}
    with open(out, "wb") as fh:
        pickle.dump(frames, fh)
    print(json.dumps(res))
    """
)

SQL_RUN = textwrap.dedent(
    f"""
    import json, pickle, sys, time
    t0 = time.perf_counter()
    import ibis
    import nrrkit.sql as nks
    t_imp = time.perf_counter()
    src_path, out, segment, threads, limit, tmp = sys.argv[1:7]
    if limit:  # a connection of our own, so the limit holds from the checking query on
        con = ibis.duckdb.connect(threads=int(threads), memory_limit=limit, temp_directory=tmp)
        src = nks.mrr_table(con.read_parquet(src_path, table_name="mrr"))
    else:
        src = nks.mrr_table(src_path)
        con = ibis.get_backend(src.expr)
        default_threads = con.raw_sql("SELECT current_setting('threads')").fetchall()[0][0]
        con.raw_sql(f"SET threads = {{int(threads)}}").fetchall()
    settings = con.raw_sql("SELECT current_setting('threads'), current_setting('memory_limit')").fetchall()[0]
    t1 = time.perf_counter()
    b = nks.to_pandas(nks.bridge(src, freq="M"))
    t2 = time.perf_counter()
    r = nks.to_pandas(nks.retention(src, window=12))
    t3 = time.perf_counter()
    c = nks.to_pandas(nks.cohort_table(src))
    t4 = time.perf_counter()
    res = {{"total": t4 - t0, "import": t_imp - t0, "read": t1 - t_imp, "bridge": t2 - t1,
            "retention": t3 - t2, "cohorts": t4 - t3, "peak_mb": {_PEAK}, "rows": src.rows,
            "customers": src.customers, "customer_months": src.customer_months,
            "threads": int(settings[0]), "memory_limit": settings[1],
            "default_threads": None if limit else int(default_threads),
            "duckdb": sys.modules["duckdb"].__version__, "ibis": ibis.__version__}}
    frames = {{"bridge": b, "retention": r, "cohorts": c,
               "cohort_attrs": {{k: dict(c.attrs[k]) for k in ("size", "start_mrr")}}}}
    if segment == "1":
        t5 = time.perf_counter()
        frames["segment_q"] = nks.to_pandas(nks.bridge(src, freq="Q", by="segment"))
        res["segment_q"] = time.perf_counter() - t5
        res["peak_segment_mb"] = {_PEAK}
    with open(out, "wb") as fh:
        pickle.dump(frames, fh)
    print(json.dumps(res))
    """
)


# --------------------------------------------------------------------------- data


def company_parquet(customers: int) -> Path:
    """The Parquet file of bench_core.py (generate(n, 36, seed=1), ids and months as text)."""
    path = WORK / f"company_{customers}.parquet"
    if not path.exists():
        import nrrkit as nk

        WORK.mkdir(exist_ok=True)
        print(f"generating {customers:,} customers x 36 months with nrrkit.datasets.generate ...", flush=True)
        table = nk.datasets.generate(customers, 36, seed=1, start="2023-01")
        table = table.assign(month=table.month.dt.strftime("%Y-%m"), customer_id=table.customer_id.astype(str))
        table.to_parquet(path, index=False)
    import pyarrow.parquet as pq

    schema = pq.read_schema(path)
    missing = {"customer_id", "month", "mrr", "segment"} - set(schema.names)
    if missing:
        raise SystemExit(f"{path}: no column {', '.join(sorted(missing))}; delete the file to generate it again")
    return path


#: Behaviour of the SQL-generated company per segment: share of customers, median starting
#: MRR, mean lifetime in months (exponential: the monthly churn is about 1 / lifetime), the
#: chance a churned customer comes back, and the chance each change point is an expansion.
SEGMENTS = (
    ("SMB", 0.62, 180.0, 30.0, 0.20, 0.75),
    ("Mid-Market", 0.28, 1_600.0, 60.0, 0.12, 0.80),
    ("Enterprise", 0.10, 9_000.0, 120.0, 0.06, 0.85),
)


def company_sql(customers: int, months: int, path: Path, start_year: int = 2021, memory_limit: str = "6GB") -> str:
    """The DuckDB statement that writes the part B company to ``path``."""

    def u(salt: int) -> str:  # a uniform draw in (0, 1), fixed by the customer number and the salt
        return f"((hash(i, {salt}) % 1000003) + 0.5) / 1000003.0"

    def by_segment(k: int) -> str:
        return "CASE seg " + " ".join(f"WHEN '{s[0]}' THEN {s[k]}" for s in SEGMENTS) + " END"

    edges, acc = [], 0.0
    for s in SEGMENTS:
        acc += s[1]
        edges.append((s[0], acc))
    seg_case = "CASE " + " ".join(f"WHEN {u(1)} < {e:.4f} THEN '{name}'" for name, e in edges[:-1]) + \
        f" ELSE '{edges[-1][0]}' END"
    changes = 4
    factors = " * ".join(f"CASE WHEN m - s >= o{k} THEN f{k} ELSE 1 END" for k in range(changes))
    change_cols = ",\n".join(
        f"1 + floor({u(10 + k)} * 36)::BIGINT AS o{k}, "
        f"CASE WHEN {u(20 + k)} < {by_segment(5)} THEN 1 + 0.10 + 0.35 * {u(30 + k)} "
        f"ELSE 1 - 0.10 - 0.25 * {u(30 + k)} END AS f{k}"
        for k in range(changes)
    )
    return textwrap.dedent(f"""
        COPY (
        WITH c0 AS (
            SELECT i, {seg_case} AS seg FROM range(1, {customers} + 1) t(i)
        ), c AS (
            SELECT i, seg,
                CASE WHEN {u(2)} < 0.30 THEN 0
                     ELSE least({months} - 1, 1 + floor(({months} - 1) * sqrt({u(3)})))::BIGINT END AS s,
                1 + floor(-ln({u(4)}) * {by_segment(3)})::BIGINT AS life,
                greatest(10, round({by_segment(2)} * exp(0.6 * sqrt(-2 * ln({u(5)})) * cos(2 * pi() * {u(6)})))) AS base,
                {u(7)} < {by_segment(4)} AS comes_back,
                1 + floor({u(8)} * 12)::BIGINT AS gap,
                1 + floor(-ln({u(9)}) * {by_segment(3)})::BIGINT AS life2,
                0.6 + 0.5 * {u(40)} AS back_factor,
                {change_cols}
            FROM c0
        ), spans AS (
            SELECT *, unnest(list_concat(
                range(s, least(s + life, {months})),
                CASE WHEN comes_back THEN range(s + life + gap, least(s + life + gap + life2, {months}))
                     ELSE []::BIGINT[] END)) AS m
            FROM c
        )
        SELECT printf('C%08d', i) AS customer_id,
               printf('%04d-%02d', {start_year} + m // 12, m % 12 + 1) AS month,
               greatest(1.0, round(base * {factors}
                                   * CASE WHEN m >= s + life THEN back_factor ELSE 1 END, 0))::DOUBLE AS mrr,
               seg AS segment
        FROM spans
        ) TO '{path}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 1000000)
    """)


def make_big(customers: int, months: int) -> Path:
    path = WORK / f"sqlgen_{customers}x{months}.parquet"
    if path.exists():
        return path
    WORK.mkdir(exist_ok=True)
    free = shutil.disk_usage(WORK).free
    need = customers * months * 2  # about 1 byte a row once compressed; twice that to be safe
    if free < need + 5e9:
        raise SystemExit(f"{WORK}: {free / 1e9:.1f} GB free; the {customers:,} x {months} file needs about "
                         f"{need / 1e9:.1f} GB (and DuckDB's temporary files more)")
    import duckdb

    print(f"writing {customers:,} customers x {months} months with DuckDB SQL ({free / 1e9:.0f} GB free) ...",
          flush=True)
    t0 = time.perf_counter()
    tmp = path.with_suffix(".tmp")
    con = duckdb.connect()
    con.execute(f"SET threads = {THREADS}")
    con.execute("SET memory_limit = '6GB'")
    con.execute(f"SET temp_directory = '{WORK / 'duckdb_tmp'}'")
    con.execute("SET enable_progress_bar = false")
    con.execute(company_sql(customers, months, tmp))
    con.close()
    tmp.rename(path)
    print(f"  written in {time.perf_counter() - t0:.0f} s: {path.stat().st_size / 1e9:.2f} GB", flush=True)
    return path


# --------------------------------------------------------------------------- running and checking


def run(code: str, *args, watch: Path | None = None) -> dict:
    """Run ``code`` in a fresh process; with ``watch``, also the most bytes that folder held meanwhile."""
    t0 = time.perf_counter()
    spilled = 0
    with subprocess.Popen([sys.executable, "-c", code, *map(str, args)], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True) as proc:
        if watch is not None:
            while proc.poll() is None:
                spilled = max(spilled, folder_bytes(watch))
                time.sleep(0.5)
        stdout, stderr = proc.communicate()
    if proc.returncode != 0:
        raise SystemExit(stderr)
    res = json.loads(stdout.strip().splitlines()[-1])
    res["process_wall"] = time.perf_counter() - t0
    if watch is not None:
        res["spilled_mb"] = spilled / 2**20
    return res


def folder_bytes(folder: Path) -> int:
    total = 0
    for root, _dirs, files in os.walk(folder):
        for f in files:
            try:
                total += os.stat(os.path.join(root, f)).st_size
            except OSError:  # removed meanwhile
                pass
    return total


def check_same(out_pandas: Path, out_sql: Path) -> None:
    import numpy as np
    import pandas as pd

    with open(out_pandas, "rb") as fh:
        a = pickle.load(fh)
    with open(out_sql, "rb") as fh:
        b = pickle.load(fh)
    for key in ("bridge", "retention", "cohorts", "segment_q"):
        if key not in a:
            continue
        left, right = a[key], b[key]
        if key == "retention":
            left = left.reset_index(drop=True)
        try:
            pd.testing.assert_frame_equal(left, right, check_exact=False, rtol=1e-9, check_freq=False)
        except AssertionError as exc:
            raise SystemExit(f"the engines differ on {key}: {exc}") from None
    for k in ("size", "start_mrr"):
        x, y = a["cohort_attrs"][k], b["cohort_attrs"][k]
        if x.keys() != y.keys() or not np.allclose([x[c] for c in x], [y[c] for c in x], rtol=1e-9, atol=0):
            raise SystemExit(f"the engines differ on the cohorts' {k}")


def median(results: list[dict]) -> dict:
    """The run of median wall time (its split adds up to it); peaks and the segment step as their own medians."""
    ranked = sorted(results, key=lambda r: r["total"])
    out = dict(ranked[(len(ranked) - 1) // 2])
    for k in ("peak_mb", "segment_q", "peak_segment_mb"):
        if k in out:
            out[k] = statistics.median(r[k] for r in results)
    out["runs"] = len(results)
    out["total_all"] = [round(r["total"], 2) for r in results]
    out["peak_all"] = [round(r["peak_mb"]) for r in results]
    return out


# --------------------------------------------------------------------------- reporting


def machine() -> dict:
    import duckdb
    import ibis
    import numpy as np
    import pandas as pd
    import pyarrow

    cpu = next((ln.split(":", 1)[1].strip() for ln in open("/proc/cpuinfo") if ln.startswith("model name")), "?")
    mem = next(int(ln.split()[1]) for ln in open("/proc/meminfo") if ln.startswith("MemTotal"))
    return {
        "cores": os.cpu_count(), "cpu": cpu, "ram_gb": round(mem / 1024**2, 1), "arch": platform.machine(),
        "python": platform.python_version(), "pandas": pd.__version__, "numpy": np.__version__,
        "pyarrow": pyarrow.__version__, "duckdb": duckdb.__version__, "ibis": ibis.__version__,
        "duckdb_threads": THREADS, "load_average": os.getloadavg(), "code": code_state(),
    }


def code_state() -> str:
    """The commit measured, and whether nrrkit/ had changes not yet committed (read-only git)."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=HERE, capture_output=True,
                              text=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "nrrkit"], cwd=HERE.parent,
                               capture_output=True, text=True).stdout.strip()
    except OSError:
        return "?"
    return head + (" + uncommitted changes in nrrkit/" if dirty else "")


def header(facts: dict) -> str:
    return (f"machine: {facts['cores']} cores ({facts['cpu']}, {facts['arch']}), {facts['ram_gb']} GB RAM, "
            f"Python {facts['python']}, pandas {facts['pandas']}, numpy {facts['numpy']}, pyarrow "
            f"{facts['pyarrow']}, DuckDB {facts['duckdb']} ({THREADS} threads), Ibis {facts['ibis']}; "
            f"load average {', '.join(f'{x:.2f}' for x in facts['load_average'])}")


def split(r: dict) -> str:
    return " / ".join(f"{r[k]:.2f}" for k in STEPS)


def table(rows: list[dict]) -> str:
    lines = [
        "| engine | customers x months | rows | wall time | peak memory | split: import / read+check / bridge / "
        "retention / cohorts (s) | bridge by segment, quarterly |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        if "failed" in r:
            lines.append(f"| {r['label']} | {r['customers']:,} x {r['months']} | | failed after "
                         f"{r['seconds_to_failure']:.0f} s | | {r['failed'][:120]} | |")
            continue
        seg = f"{r['segment_q']:.2f} s (peak {r['peak_segment_mb']:,.0f} MB)" if "segment_q" in r else ""
        lines.append(f"| {r['label']} | {r['customers']:,} x {r['months']} | {r['rows']:,} | {r['total']:.2f} s | "
                     f"{r['peak_mb']:,.0f} MB | {split(r)} | {seg} |")
    return "\n".join(lines)


def save(part: str, facts: dict, started: str, rows: list[dict], extra: dict | None = None) -> Path:
    name = "_".join(sorted({str(r["customers"]) for r in rows}) + [r["memory_limit_asked"] for r in rows
                                                                  if "memory_limit_asked" in r])
    path = WORK / f"bench_sql_{part}_{name}.json"
    doc = {"part": part, "started_utc": started,
           "finished_utc": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S"),
           "machine": facts, "results": rows, **(extra or {})}
    path.write_text(json.dumps(doc, indent=2, default=str))
    return path


# --------------------------------------------------------------------------- the two parts


def part_a(sizes: list[int], runs: int, segment: bool) -> list[dict]:
    rows = []
    engines = [("pandas", PANDAS_RUN), ("sql", SQL_RUN)]
    for n in sizes:
        src = company_parquet(n)
        out = {name: WORK / f"bench_sql_out_{name}_{n}.pickle" for name, _ in engines}

        def once(name: str, code: str, src: Path = src, out: dict = out) -> dict:
            args = [src, out[name], "1" if segment else "0"]
            if name == "sql":
                args += [THREADS, "", WORK / "duckdb_tmp"]
            return run(code, *args)

        results = {name: [] for name, _ in engines}
        for name, code in engines:  # warm-up, discarded
            once(name, code)
        check_same(out["pandas"], out["sql"])
        print(f"{n:,} customers: the pandas engine and nrrkit.sql on DuckDB agree (rtol 1e-9) on the monthly "
              f"bridge, 12-month retention, the revenue cohort table" + (" and the quarterly bridge by segment"
                                                                       if segment else ""), flush=True)
        for _ in range(runs):
            for name, code in engines:
                results[name].append(once(name, code))
                r = results[name][-1]
                print(f"  {name:6s} {r['total']:6.2f} s  peak {r['peak_mb']:7,.0f} MB  split {split(r)}", flush=True)
        check_same(out["pandas"], out["sql"])
        for name, _ in engines:
            med = median(results[name])
            label = "pandas (nk.read_mrr + measures)" if name == "pandas" else \
                f"nrrkit.sql, Ibis on DuckDB ({THREADS} threads)"
            rows.append({"engine": name, "label": label, "months": 36, "source": str(src.name), **med})
        p, s = rows[-2], rows[-1]
        print(f"  median: pandas {p['total']:.2f} s / {p['peak_mb']:,.0f} MB, sql {s['total']:.2f} s / "
              f"{s['peak_mb']:,.0f} MB; sql / pandas time {s['total'] / p['total']:.2f}, memory "
              f"{s['peak_mb'] / p['peak_mb']:.2f}", flush=True)
    return rows


def part_b(customers: int, months: int, limits: list[str], segment: bool) -> tuple[list[dict], dict]:
    src = make_big(customers, months)
    tmp = WORK / "duckdb_tmp"
    tmp.mkdir(exist_ok=True)
    rows = []
    for limit in limits:
        limit = "" if limit == "default" else limit
        print(f"running nrrkit.sql on {src.name} (memory limit: {limit or 'DuckDB default'}) ...", flush=True)
        t0 = time.perf_counter()
        try:
            r = run(SQL_RUN, src, WORK / f"bench_sql_out_sql_{customers}x{months}.pickle", "1" if segment else "0",
                    THREADS, limit, tmp, watch=tmp)
        except SystemExit as exc:  # e.g. DuckDB out of memory under a tight limit: say so, keep the other runs
            text = str(exc.code)
            where = [ln.strip() for ln in text.splitlines() if ln.strip().startswith("File ")]
            error = next((ln.strip() for ln in reversed(text.splitlines())
                          if re.match(r"^[\w.]+(Error|Exception): ", ln.strip())), text.strip().splitlines()[-1])
            rows.append({"engine": "sql", "label": f"nrrkit.sql, memory_limit {limit or 'default'}: FAILED",
                         "failed": error, "where": where[1] if len(where) > 1 else "", "customers": customers,
                         "months": months, "memory_limit_asked": limit or "default",
                         "seconds_to_failure": round(time.perf_counter() - t0, 1)})
            print(f"  failed after {rows[-1]['seconds_to_failure']:.0f} s: {error} ({rows[-1]['where']})", flush=True)
            continue
        label = f"nrrkit.sql, Ibis on DuckDB ({THREADS} threads, memory_limit {r['memory_limit']}" + \
            (", set)" if limit else ", default)")
        r.update({"engine": "sql", "label": label, "months": months, "source": src.name, "runs": 1,
                  "file_gb": round(src.stat().st_size / 1e9, 2), "memory_limit_asked": limit or "default"})
        rows.append(r)
        print(f"  {r['total']:.1f} s, peak {r['peak_mb']:,.0f} MB, most spilled to disk {r['spilled_mb']:,.0f} MB, "
              f"split {split(r)}", flush=True)
    return rows, {"data_sql": company_sql(customers, months, src)}


def pandas_estimate(rows_b: int) -> dict | None:
    """The pandas engine's peak at ``rows_b`` rows, from the peak per row of part A's largest run."""
    a = [r for path in WORK.glob("bench_sql_a_*.json") for r in json.loads(path.read_text())["results"]
         if r["engine"] == "pandas"]
    if not a:
        return None
    big = max(a, key=lambda r: r["rows"])
    per_row = big["peak_mb"] * 2**20 / big["rows"]
    mem = next(int(ln.split()[1]) for ln in open("/proc/meminfo") if ln.startswith("MemTotal")) / 1024
    return {"from_rows": big["rows"], "from_peak_mb": big["peak_mb"], "bytes_per_row": round(per_row, 1),
            "rows": rows_b, "estimated_peak_mb": round(per_row * rows_b / 2**20), "ram_mb": round(mem)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--part", choices=("a", "b"), default="a")
    ap.add_argument("--sizes", type=int, nargs="+", default=[1_000_000], help="part A: customers (36 months)")
    ap.add_argument("--runs", type=int, default=3, help="part A: measured runs per engine")
    ap.add_argument("--customers", type=int, default=10_000_000, help="part B: customers")
    ap.add_argument("--months", type=int, default=60, help="part B: months")
    ap.add_argument("--memory-limit", nargs="+", default=["default"],
                    help="part B: one run per DuckDB memory_limit given ('default' = DuckDB's own), e.g. default 4GB")
    ap.add_argument("--no-segment", action="store_true", help="skip the quarterly bridge by segment")
    args = ap.parse_args()

    started = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")
    facts = machine()
    print(f"{started} UTC; {header(facts)}", flush=True)
    WORK.mkdir(exist_ok=True)
    if args.part == "a":
        rows = part_a(args.sizes, args.runs, not args.no_segment)
        path = save("a", facts, started, rows)
        note = (f"median of {args.runs} runs after one discarded warm-up run each; the split is that of the "
                f"median run, the peaks and the segment step their own medians")
    else:
        rows, extra = part_b(args.customers, args.months, args.memory_limit, not args.no_segment)
        done = [r for r in rows if "failed" not in r]
        est = pandas_estimate(done[0]["rows"]) if done else None
        if est:
            extra["pandas_estimate"] = est
        path = save("b", facts, started, rows, extra)
        note = "one run"
        if est:
            print(f"pandas engine, estimated: {est['bytes_per_row']:.0f} bytes a row at its peak (part A, "
                  f"{est['from_rows']:,} rows: {est['from_peak_mb']:,.0f} MB) x {est['rows']:,} rows = "
                  f"{est['estimated_peak_mb']:,} MB against {est['ram_mb']:,} MB of RAM")
    print()
    print(f"Measured {started} UTC ({note}; wall time includes imports; peak = VmHWM of the process).")
    print(table(rows))
    print(f"\nfigures: {path}")


if __name__ == "__main__":
    main()
