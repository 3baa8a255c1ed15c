"""The ``nrrkit`` command line.

    nrrkit metrics FILE [--window N] [--method M] [--by COL [--total]] [--format table|csv|json]
    nrrkit bridge FILE [--freq M|Q|Y] [--by COL]
    nrrkit movements FILE [--reactivation-window N]
    nrrkit compare FILE [--window N] [--month YYYY-MM]
    nrrkit summary FILE | cohorts FILE | segments FILE --by COL | signals FILE
    nrrkit pack FILE -o DIR [--by COL] [--as-of YYYY-MM] [--company NAME]
                [--new-rate RATE | --new-arr AMOUNT] [--anonymize [--keep COL]] [--force]
    nrrkit report FILE -o DIR [--by COL] [--window N] [--format csv|parquet|json]
    nrrkit project --start-arr 10e6 --nrr 1.25 --new-rate 0.2 [--years 5]
    nrrkit what-if FILE --churn -0.2 [--by COL] [--segment NAME]
    nrrkit sample -o FILE
    nrrkit room --people 30 [--notebook NAME] [--port 8866] [--voila]   (the dashboards for a workshop room)
    nrrkit room-kit -o DIR [--platform linux --platform mac-arm ...] [--python 3.11 ...]   (offline install kit)
    nrrkit metrics|bridge|movements|cohorts|report --db PATH_OR_URL --table NAME ...   (computed in the database)

Every command that reads a file takes the reading flags (--shape, the column flags, --currency,
--rate, --renewal-grace, --totals, --as-of, ...): the shape is detected and reported.

The arguments and the types of their values are in :mod:`nrrkit.cliargs`.
Bad input ends with exit code 2 and one line on stderr; never a traceback.
The load report goes to stderr so that csv and json on stdout stay clean.
Money is rounded to cents in every output (the API keeps full precision);
months are written YYYY-MM, quarters YYYY-Qn.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path

from .cliargs import glue_negative_percents, parser
from .errors import DataError, DataWarning

RATE_COLUMNS = {"nrr", "grr", "logo_retention", "nrr_adjusted", "grr_adjusted", "growth", "expansion_rate",
                "contraction_rate", "churn_rate", "share_of_start", "value"}
POINT_COLUMNS = {"difference", "nrr_change"}  # differences of rates, shown in percentage points
COUNT_PREFIX = ("customers", "new_customers", "reactivated_customers", "expanded_customers",
                "contracted_customers", "churned_customers")


def _load(args: argparse.Namespace):
    from .io import read_mrr

    options = dict(
        shape=args.shape, customer=args.customer_col, month=args.month_col, mrr=args.mrr_col,
        start=args.start_col, end=args.end_col, amount=args.amount_col, interval=args.interval_col,
        keep=_keep(args), where=args.where, coupons=args.coupons, export=args.export, amounts_in=args.amounts_in,
        totals=args.totals, duplicates=args.duplicates, month_format=args.month_format, decimal=args.decimal,
        sheet=args.sheet, max_month=args.max_month, currency=args.currency,
        factors=dict(args.interval_factor) or None, rates=dict(args.rate) or args.rates, basis=args.basis,
        interval_count=args.interval_count_col, quantity=args.quantity_col, amount_is=args.amount_is,
        status=args.status_col, not_revenue=(tuple(x.strip() for x in args.not_revenue.split(",") if x.strip())
                                             if args.not_revenue else None),
        renewal_grace=args.renewal_grace, end_inclusive=args.end_inclusive,
    )
    # --as-of applies while reading (open lines run to it, invoice periods are cut at it), on every command
    try:
        table = read_mrr(args.file, as_of=args.as_of, **options)
    except DataError as exc:
        if args.command != "pack" or args.as_of is None or "is after as_of" not in str(exc):
            raise
        # a table of months with rows after --as-of: the pack cuts it there itself and says how many rows it left
        table = read_mrr(args.file, **options)
    if not args.quiet:
        print(table.attrs["load_report"], file=sys.stderr)
    return table


def _span_of(table):
    from .io.horizon import span_periods

    return span_periods(table)


def _too_short(first, last, window: int, method: str) -> str:
    """Why a window does not fit the data's span (``first`` to ``last``), and the longest window that does."""
    from .retention import months_needed, window_that_fits

    months = last.ordinal - first.ordinal + 1
    fits = window_that_fits(months, method)
    hint = f"; try --window {fits}" if fits else ""
    return (f"the data covers {months} month(s) ({first} to {last}); a {window}-month window with method "
            f"{method} needs at least {months_needed(window, method)}{hint}")


def _keep(args: argparse.Namespace) -> list[str] | None:
    """--keep and a --by column: attributes carried from each line, the same on every command."""
    keep = list(args.keep)
    by = getattr(args, "by", None)
    if by and by not in keep:
        keep.append(by)
    return keep or None


def _plain(frame):
    """Months as YYYY-MM text (quarters YYYY-Qn), categories as text, money rounded to cents:
    what csv and json carry."""
    from .tables import plain_table, round_money

    return plain_table(_labelled(round_money(frame)))


def _labelled(frame):
    """A quarter's or year's rows show their label (2024-Q1) as the period, as the command line always has."""
    if "period_label" not in frame.columns:
        return frame
    out = frame.drop(columns="period")
    out = out.rename(columns={"period_label": "period"})
    out.attrs = frame.attrs
    return out


def _table_text(frame) -> str:
    import pandas as pd

    from .tables import period_text

    shown = _labelled(frame).copy()
    for c in shown.columns:
        col = shown[c]
        if frame.attrs.get("rates") and str(c).startswith("age_"):
            shown[c] = [("" if (isinstance(v, float) and math.isnan(v)) else f"{v * 100:.1f}%") for v in col]
        elif c in POINT_COLUMNS:
            shown[c] = [("" if (v is None or (isinstance(v, float) and math.isnan(v))) else f"{v * 100:+.1f} pts")
                        for v in col]
        elif c in RATE_COLUMNS:
            shown[c] = [("" if (v is None or (isinstance(v, float) and math.isnan(v))) else f"{v * 100:.1f}%")
                        for v in col]
        elif c.startswith(COUNT_PREFIX):
            shown[c] = col.map(lambda v: f"{int(v):,}")
        elif pd.api.types.is_float_dtype(col.dtype):
            shown[c] = [("" if math.isnan(v) else f"{v:,.2f}") for v in col]
        elif isinstance(col.dtype, pd.PeriodDtype) or pd.api.types.is_datetime64_dtype(col.dtype):
            shown[c] = [period_text(p) for p in col]
    return shown.to_string(index=False)


def _emit(frame, fmt: str, out) -> None:
    card = frame.attrs.get("definition")
    if fmt == "csv":
        _plain(frame).to_csv(out, index=False, lineterminator="\n")
    elif fmt == "json":
        payload = {"rows": json.loads(_plain(frame).to_json(orient="records", double_precision=15))}
        if card is not None:
            payload["definition"] = card.to_dict()
        json.dump(payload, out, indent=2)
        out.write("\n")
    else:
        out.write(_table_text(frame) + "\n")
        if card is not None:
            out.write("\nDefinition\n" + str(card) + "\n")


def _run(args: argparse.Namespace) -> int:
    from . import bridge, compare_methods, movements, retention

    out = sys.stdout
    if args.command == "sample":
        return _sample(args)
    if args.command in ("room", "room-kit"):
        return _room(args)
    if args.command == "project":
        from .scenarios import project_arr

        schedule = {"floor": args.nrr_floor, "decay": args.nrr_decay} if args.nrr_floor is not None else None
        result = project_arr(args.start_arr, nrr=args.nrr, new_rate=args.new_rate, new_arr=args.new_arr,
                             years=args.years, nrr_schedule=schedule, spend_per_new_dollar=args.spend_per_new_dollar)
        _emit(result, args.format, out)
        return 0
    if getattr(args, "db", None) is not None or (hasattr(args, "db") and args.file is None):
        return _run_db(args, out)
    if getattr(args, "spark_master", None) is not None:
        raise DataError("--spark-master applies to Spark: add --db pyspark:// --table FILE_OR_TABLE to compute there")
    table = _load(args)
    if args.command == "metrics":
        result = retention(table, window=args.window, method=args.method, by=args.by, total=args.total)
        if result.empty:
            raise DataError(f"{Path(args.file).name}: {_too_short(*_span_of(table), args.window, args.method)}")
    elif args.command == "bridge":
        result = bridge(table, freq=args.freq, by=args.by, reactivation_window=args.reactivation_window)
    elif args.command == "movements":
        result = movements(table, reactivation_window=args.reactivation_window)
    elif args.command == "summary":
        return _summary(table, args, out)
    elif args.command == "pack":
        return _pack(table, args, out)
    elif args.command == "report":
        return _report(table, args, out)
    elif args.command == "cohorts":
        from .cohorts import cohort_table

        result = cohort_table(table, metric=args.metric, period=args.period, baseline=args.baseline)
        result = _cohort_columns(result, args.metric, args.period)
    elif args.command == "segments":
        from .segments import segment_summary

        result = segment_summary(table, _segment_column(table, args.by, args.file), window=args.window)
    elif args.command == "signals":
        from .monitoring import signals

        result = signals(table, enterprise=args.enterprise, by=args.by, last=args.last)
        if result.empty and args.format == "table":
            out.write("No warning signals: every threshold of the reference dashboard is met.\n")
            return 0
    elif args.command == "what-if":
        from .levers import what_if

        result = what_if(table, window=args.window, churn=args.churn, contraction=args.contraction,
                         expansion=args.expansion, by=args.by, segment=args.segment)
    else:
        result = compare_methods(table, window=args.window, month=args.month)
    _emit(result, args.format, out)
    return 0


def _segment_column(table, by: str | None, file: str) -> str:
    """``--by``, or the table's ``segment`` column when it has one."""
    if by is not None:
        return by
    if "segment" in table.columns:
        return "segment"
    attrs = [c for c in map(str, table.columns) if c not in ("customer_id", "month", "mrr")]
    named = f"its attributes are {', '.join(attrs)}" if attrs else "it has no attribute column to segment by"
    raise DataError(f"{Path(file).name}: segments needs --by COL, the attribute to segment by; {named}")


#: reading flags that apply to a file only; with --db they are refused rather than ignored
_FILE_ONLY = ("shape", "start_col", "end_col", "amount_col", "interval_col", "interval_count_col", "quantity_col",
              "amount_is", "status_col", "not_revenue", "renewal_grace", "end_inclusive", "interval_factor", "keep",
              "totals", "month_format", "decimal", "sheet", "currency", "rate", "rates", "basis", "max_month",
              "where", "coupons", "export", "amounts_in")


def _run_db(args: argparse.Namespace, out) -> int:
    """metrics, bridge, movements, cohorts and report computed in a database (nrrkit.sql)."""
    if args.db is None:
        raise DataError("give the revenue file, or --db PATH_OR_URL --table NAME to compute in a database")
    if args.file is not None:
        raise DataError(f"give the file {args.file} or --db {args.db}, not both")
    extra = ["-o", "x"] if args.command == "report" else []
    defaults = parser().parse_args([args.command, "--db", "x", *extra])
    for dest in _FILE_ONLY:
        if getattr(args, dest) != getattr(defaults, dest):
            flag = "--" + dest.replace("_", "-")
            raise DataError(f"{flag} applies to reading a file; with --db the table already holds MRR per customer and "
                            f"month (only --customer-col, --month-col, --mrr-col, --as-of and --duplicates apply)")
    if args.command == "metrics" and args.method not in ("cohort", "survivors"):
        raise DataError(f"--method {args.method} runs on files only (nrrkit.retention in pandas); with --db use "
                        f"--method cohort or survivors")
    import nrrkit.sql as nks

    db = args.db
    if args.spark_master is not None:
        if not db.lower().startswith("pyspark://"):
            raise DataError(f"--spark-master applies to Spark: give --db pyspark:// (not {db})")
        db += ("&" if "?" in db else "?") + "spark.master=" + args.spark_master
    src = nks.mrr_table(db, args.table, customer=args.customer_col, month=args.month_col, mrr=args.mrr_col,
                        as_of=args.as_of, duplicates=args.duplicates)
    if not args.quiet:
        print(src.report(), file=sys.stderr)
    if args.command == "metrics":
        if args.total and args.by is None:
            raise DataError("--total adds a Total row per end month to a table split by an attribute; pass --by too")
        from .sql.study import retention_total

        result = (retention_total(src, window=args.window, method=args.method, by=args.by) if args.total else
                  nks.to_pandas(nks.retention(src, window=args.window, method=args.method, by=args.by)))
        if result.empty:
            first, last = src.horizon
            raise DataError(f"{src.name}: {_too_short(first, last, args.window, args.method)}")
    elif args.command == "bridge":
        result = nks.to_pandas(nks.bridge(src, freq=args.freq, by=args.by,
                                          reactivation_window=args.reactivation_window))
    elif args.command == "movements":
        result = nks.to_pandas(nks.movements(src, reactivation_window=args.reactivation_window))
    elif args.command == "cohorts":
        result = nks.to_pandas(nks.cohort_table(src, metric=args.metric, period=args.period, baseline=args.baseline))
        result = _cohort_columns(result, args.metric, args.period)
    else:
        from .sql.study import study

        progress = False if args.quiet else None
        return _write_report(lambda: study(src, by=args.by, window=args.window, progress=progress), src.name, args, out)
    _emit(result, args.format, out)
    return 0


def _cohort_columns(result, metric: str, period: str):
    from .months import labels, ordinals

    period = str(period).upper()[:1]
    result = result.reset_index()
    result.columns = ["cohort", *[f"age_{c}" for c in result.columns[1:]]]
    if period in ("Q", "Y", "A") and len(result):
        # a quarter's or a year's cohort by its label (2023-Q1, 2023), as bridge --freq Q prints its periods
        result["cohort"] = labels(ordinals(result["cohort"]), "Y" if period == "A" else period, months=True)
    result.attrs["rates"] = metric != "mrr"
    return result


def _pack(table, args: argparse.Namespace, out) -> int:
    from .pack import pack

    # --keep also names the columns a line reader carries; the pack's own keep applies with --anonymize only
    res = pack(table, args.output, by=args.by, as_of=args.as_of, anonymize=args.anonymize,
               keep=args.keep if args.anonymize else (),
               force=args.force, progress=not args.quiet, company=args.company,
               new_rate=args.new_rate, new_arr=args.new_arr, usd_rate=args.usd_rate)
    if res.dropped:
        out.write(f"--anonymize left out the attribute columns {', '.join(res.dropped)} (keep one with --keep COL)\n")
    out.write(f"Pack of {res.as_of} written to {res.folder}:\n")
    for path in res.files:
        out.write(f"  {Path(path).relative_to(res.folder)}\n")
    level = res.level if res.level_shown else f"level withheld ({'; '.join(res.level_reasons)})"
    out.write(f"NRR {res.nrr:.1%} ({res.interval[0]:.1%} to {res.interval[1]:.1%}), GRR {res.grr:.1%}, "
              f"logo retention {res.logo_retention:.1%}: {level}"
              f"{' (' + res.caution + ')' if res.caution and res.level_shown else ''}. Open summary.pdf, "
              f"summary.html, or {Path(res.files[0]).name} (NRR in {res.cells['nrr']}).\n")
    for flag in res.scenario_flags:
        out.write(f"Scenario: {flag}.\n")
    return 0


def _report(table, args: argparse.Namespace, out) -> int:
    from .tables import study

    return _write_report(lambda: study(table, by=args.by, window=args.window), Path(args.file).name, args, out)


def _write_report(make, source: str, args: argparse.Namespace, out) -> int:
    from .tables import DESCRIPTIONS, FORMATS, INDEX_FILE, write_tables

    folder = Path(args.output)
    if folder.exists() and not folder.is_dir():
        raise DataError(f"{folder}: exists and is not a folder; choose another -o")
    ours = {INDEX_FILE} | {f"{n}.{f}" for n in DESCRIPTIONS for f in FORMATS}
    others = sorted(p.name for p in folder.iterdir() if p.name not in ours) if folder.exists() else []
    if others and not (folder / INDEX_FILE).exists() and not args.force:
        raise DataError(f"{folder}: is not empty ({', '.join(others[:3])}{', ...' if len(others) > 3 else ''}); "
                        f"choose an empty folder or pass --force")
    if args.window < 1:
        raise DataError(f"--window must be 1 or more, not {args.window}")
    tables = make()
    index = write_tables(tables, folder, format=args.format, cents=True)
    out.write(f"{len(tables)} tables from {source} written to {folder} ({args.format}, money rounded to cents):\n")
    width = max(len(f"{n}.{args.format}") for n in tables)
    for name, frame in tables.items():
        out.write(f"  {name + '.' + args.format:<{width}}  {len(frame):>7,} rows  {DESCRIPTIONS.get(name, '')}\n")
    out.write(f"  {index.name:<{width}}  the list: each table's file, columns and definition card\n")
    if not len(tables["retention"]):
        out.write(f"note: no {args.window}-month window fits in the data, so the retention tables are empty and "
                  f"there are no segments or movers (try --window 3)\n")
    return 0


def _summary(table, args: argparse.Namespace, out) -> int:
    """The headline, with the cautions the pack shows: the small-sample caution, the level shown only
    when the rule of :func:`nrrkit.benchmarks.level_verdict` allows it (else withheld, with why)."""
    from .benchmarks import caution, level_verdict
    from .customers import nrr_interval
    from .monitoring import signals
    from .retention import retention
    from .tables import period_text

    if args.by is not None and args.enterprise is None:
        # summary is the company's headline; --by only says where the --enterprise segment is read
        raise DataError(f"summary: --by names the column of the --enterprise segment (--by {args.by} --enterprise "
                        f"NAME); for figures by {args.by}, run nrrkit metrics {Path(args.file).name} --by {args.by}")
    r = retention(table, window=args.window)
    if r.empty:
        raise DataError(f"{Path(args.file).name}: {_too_short(*_span_of(table), args.window, 'cohort')}")
    last = r.iloc[-1]
    ci = nrr_interval(table, window=args.window, progress=False)
    sig = signals(table, enterprise=args.enterprise, by=args.by, window=args.window, last=3)
    year = signals(table, enterprise=args.enterprise, by=args.by, window=args.window, last=12)
    critical = list(dict.fromkeys(year.loc[year["level"] == "critical", "message"])) if len(year) else []
    card = r.attrs["definition"].at(last["month"], last["base_month"])  # the one month shown
    n = int(last["customers_start"])
    rated = args.window == 12  # levels describe 12-month figures
    verdict = level_verdict(last["nrr"], last["grr"], n, ci.low, ci.high, critical=critical)
    small = caution(n, ci.low, ci.high)
    if not rated:
        level_text = f"not rated: levels describe 12-month figures, this is a {args.window}-month one"
    elif verdict.shown:
        from .sources import MITCHELL

        level_text = (f"{verdict.level} {verdict.pairing} (levels of {MITCHELL.author}, \"{MITCHELL.title}\", "
                      f"{MITCHELL.year}: under 100% concerning ... 140%+ world-class)")
    else:
        level_text = f"withheld ({verdict.level} by NRR alone): " + "; ".join(verdict.reasons)
    cautions = ([small] if small else []) + ([] if verdict.shown or not rated else
                                             [r_ for r_ in verdict.reasons if r_ != small])
    if args.format == "json":
        payload = {
            "month": period_text(last["month"]), "base_month": period_text(last["base_month"]),
            "nrr": last["nrr"], "grr": last["grr"], "logo_retention": last["logo_retention"],
            "interval": {"low": ci.low, "high": ci.high, "level": ci.level, "n_boot": ci.n_boot, "method": ci.method},
            "assessment": verdict.label if rated else "not rated", "level_by_nrr": verdict.level,
            "cautions": cautions,
            "amounts": {k: round(float(last[k]), 2) for k in ("start_mrr", "end_mrr", "expansion", "contraction",
                                                                "churn")},
            "customers": {"start": n, "retained": int(last["customers_retained"])},
            "signals": json.loads(_plain(sig).to_json(orient="records")), "definition": card.to_dict(),
        }
        json.dump(payload, out, indent=2)
        out.write("\n")
        return 0
    lines = [
        f"{args.window}-month retention, {last['base_month']:%Y-%m} to {last['month']:%Y-%m}",
        f"  NRR             {last['nrr'] * 100:6.1f}%   ({ci.level:.0%} interval {ci.low * 100:.1f}% to "
        f"{ci.high * 100:.1f}%, bootstrap over {ci.customers:,} customers)",
        f"  GRR             {last['grr'] * 100:6.1f}%",
        f"  logo retention  {last['logo_retention'] * 100:6.1f}%   ({int(last['customers_retained']):,} of "
        f"{n:,} customers)",
        f"  assessment      {level_text}",
        f"  amounts         start {last['start_mrr']:,.2f}  + expansion {last['expansion']:,.2f}  - contraction "
        f"{last['contraction']:,.2f}  - churn {last['churn']:,.2f}  = end {last['end_mrr']:,.2f}",
    ]
    if small:
        lines.append(f"  caution         {small}")
    lines += ["", "Signals (last 3 end months)" if len(sig) else "Signals: none in the last 3 end months"]
    lines += [f"  [{row.level}] {row.month}: {row.message}" for row in sig.head(10).itertuples()]
    lines += ["", "Definition", str(card)]
    out.write("\n".join(lines) + "\n")
    return 0


def _sample(args: argparse.Namespace) -> int:
    from .datasets import generate, load_sample, load_sample_subscriptions, to_subscriptions

    path = Path(args.output)
    if path.exists() and not args.force:
        raise DataError(f"{path.name}: already exists; pass --force to overwrite it")
    if args.customers is not None:
        table = generate(args.customers, args.months, seed=args.seed)
        frame = to_subscriptions(table, seed=args.seed) if args.subscriptions else table
    else:
        frame = load_sample_subscriptions() if args.subscriptions else load_sample()
    frame = _plain(frame)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        frame.to_csv(path, index=False)
    elif suffix == ".parquet":
        frame.to_parquet(path, index=False)
    elif suffix == ".xlsx":
        frame.to_excel(path, index=False, sheet_name="MRR")
    elif suffix == ".duckdb":
        _write_duckdb(frame, path, "subscriptions" if args.subscriptions else "mrr")
    else:
        raise DataError(f"{path.name}: unknown file type '{path.suffix}'; use .csv, .xlsx, .parquet or .duckdb")
    print(f"wrote {len(frame):,} rows to {path}", file=sys.stderr)
    return 0


def _room(args: argparse.Namespace) -> int:
    from . import room

    if args.command == "room" and args.voila:
        return room.serve(args.notebooks, people=args.people, notebook=args.notebook, port=args.port, ip=args.ip,
                          refill_after=args.refill_after)
    if args.command == "room":
        from . import dashboards

        if args.workers is not None and args.workers < 1:
            raise DataError(f"--workers must be 1 or more (got {args.workers})")
        return dashboards.serve(args.notebooks, people=30 if args.people is None else args.people,
                                notebook=args.notebook, port=args.port, ip=args.ip, workers=args.workers)
    out = room.kit(args.output, platforms=args.platform, pythons=args.python)
    n = len(list((out / "wheels").glob("*.whl")))
    print(f"wrote {n} wheels, the notebooks and install.sh / install.bat to {out}; on each laptop, inside that "
          f"folder: {room.install_command()}", file=sys.stderr)
    return 0


def _write_duckdb(frame, path: Path, table: str) -> None:
    """A DuckDB database file holding ``frame`` as ``table`` (months as YYYY-MM text, as in the CSV)."""
    try:
        import duckdb
    except ImportError:
        raise DataError("writing a .duckdb file needs DuckDB: pip install 'nrrkit[sql]'") from None
    if path.exists():
        path.unlink()  # --force was given (checked above)
    con = duckdb.connect(str(path))
    try:
        con.register("frame", frame)
        con.execute(f'CREATE TABLE "{table}" AS SELECT * FROM frame')
    finally:
        con.close()


#: the commands that compute in a database with --db
DB_COMMANDS = ("metrics", "bridge", "movements", "cohorts", "report")


def main(argv: Sequence[str] | None = None) -> int:
    command_line = parser()
    given = glue_negative_percents(list(sys.argv[1:] if argv is None else argv))
    command = next((a for a in given if not a.startswith("-")), None)
    if "--db" in given and command not in DB_COMMANDS:
        print(f"nrrkit: error: {command or 'this command'} reads files only; --db works with "
              f"{', '.join(DB_COMMANDS)}", file=sys.stderr)
        return 2
    args = command_line.parse_args(given)
    try:
        with warnings.catch_warnings():
            # a result left empty by a window longer than the data is said by the command itself, in one line
            warnings.simplefilter("ignore", DataWarning)
            return _run(args)
    except DataError as exc:
        print(f"nrrkit: error: {exc}", file=sys.stderr)
        return 2
    except (FileNotFoundError, PermissionError, IsADirectoryError) as exc:
        print(f"nrrkit: error: {exc.filename or ''}: {exc.strerror}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # e.g. piped into head
        return 0
    except KeyboardInterrupt:
        print("nrrkit: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # the last net: one line, never a traceback
        print(f"nrrkit: internal error ({type(exc).__name__}: {exc}); please report it with the command you ran",
              file=sys.stderr)
        return 1


def run() -> None:  # pragma: no cover - the console script
    """``nrrkit``: run :func:`main` and leave with its exit code.

    After an error the process ends at once (``os._exit``) once the message is written: a
    native thread pool (Arrow's, after a read that raised) torn down at interpreter exit could
    otherwise abort the process after the message was printed, and the exit code would not be 2.
    """
    import os

    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    if code:
        os._exit(code)
    sys.exit(code)


if __name__ == "__main__":  # pragma: no cover
    run()
