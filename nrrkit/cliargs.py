"""The ``nrrkit`` command line's arguments: the parser of every command and the types of its values.

:func:`parser` builds it (the CLI reference of the documentation is written from it);
:mod:`nrrkit.cli` runs what it parses.  Rates are read as fractions or percentages
(``1.25``, ``125%``), amounts with K, M or B (``10M``), and a mistake is one line.
"""

from __future__ import annotations

import argparse
import math
import re

from .version import __version__

__all__ = ["parser", "Parser", "fraction", "amount", "factor", "glue_negative_percents", "add_input", "add_format"]


def fraction(most: float | None = None):
    """An argparse type: a rate as a fraction (``1.25``) or a percentage (``125%``).

    A bare number beyond ``most`` is refused as a percentage typed without its sign
    (``--nrr 125`` would be 12,500%).
    """
    def parse(text: str) -> float:
        s = text.strip()
        pct = s.endswith("%")
        try:
            value = float(s[:-1] if pct else s)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"{text!r} is not a number; write a fraction such as 0.25 or a percentage such as 25%") from None
        if not math.isfinite(value):
            raise argparse.ArgumentTypeError(f"{text!r} is not a finite number")
        if pct:
            return value / 100
        if most is not None and abs(value) > most:
            raise argparse.ArgumentTypeError(
                f"{text} as a fraction is {value:,.0%}; write {value / 100:g} or {text}%")
        return value

    return parse


SCALE = {"K": 1e3, "M": 1e6, "B": 1e9}


def amount(text: str) -> float:
    """An argparse type: an amount such as ``10000000``, ``10e6``, ``10M``, ``2.5K`` or ``$1,200``."""
    s = text.strip().replace(",", "").replace("_", "").lstrip("$€£")
    scale = SCALE.get(s[-1:].upper()) if s[-1:].isalpha() and s[-1:].upper() != "E" else None
    try:
        value = float(s[:-1] if scale else s) * (scale or 1)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an amount; write 10000000, 10e6 or 10M") from None
    if not math.isfinite(value) or value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not an amount of 0 or more")
    return value


def glue_negative_percents(given: list[str]) -> list[str]:
    """``--churn -20%`` as ``--churn=-20%``: argparse would take ``-20%`` for an option."""
    out: list[str] = []
    for a in given:
        if re.fullmatch(r"-(\d+\.?\d*|\.\d+)%", a) and out and out[-1].startswith("--") and "=" not in out[-1]:
            out[-1] = f"{out[-1]}={a}"
        else:
            out.append(a)
    return out


def add_input(p: argparse.ArgumentParser, db: bool = False) -> None:
    if db:
        p.add_argument("file", nargs="?", help="revenue data: .csv, .xlsx or .parquet (or --db)")
        d = p.add_argument_group("computing in a database instead (nrrkit.sql through Ibis; only results come back)")
        d.add_argument("--db", default=None, metavar="PATH_OR_URL",
                       help="a .duckdb or .sqlite file, a .parquet/.csv file read by DuckDB, or a URL "
                            "(postgres://..., snowflake://..., pyspark://[WAREHOUSE][?spark.property=value] for "
                            "Spark); uses --customer-col, --month-col, --mrr-col, --as-of, --duplicates")
        d.add_argument("--table", default=None, metavar="NAME",
                       help="the table of MRR per customer and month (not needed when the database holds one "
                            "table), or a .parquet/.csv file the database reads in place (e.g. Spark)")
        d.add_argument("--spark-master", default=None, metavar="MASTER",
                       help="with --db pyspark://: where Spark runs, as spark-submit's --master: local[*] (Spark's "
                            "default: every core here), local[4], spark://HOST:7077, yarn")
    else:
        p.add_argument("file", help="revenue data: .csv, .xlsx or .parquet")
    g = p.add_argument_group("reading the file (every reader's keyword has a flag)")
    g.add_argument("--shape", choices=("auto", "long", "wide", "subscriptions", "invoices"), default="auto",
                   help="auto (default): read from the header; long: one row per customer and month; wide: one "
                        "column per month; subscriptions: lines with start and end dates and an interval; "
                        "invoices: lines whose amount pays for a service period")
    g.add_argument("--customer-col", default="customer_id", metavar="COL", help="customer id column (customer_id)")
    g.add_argument("--month-col", default="month", metavar="COL", help="long: month column (month)")
    g.add_argument("--mrr-col", default="mrr", metavar="COL", help="long: MRR column (mrr)")
    g.add_argument("--start-col", default="start", metavar="COL", help="subscriptions: start date column (start)")
    g.add_argument("--end-col", default="end", metavar="COL", help="subscriptions: end date column (end)")
    g.add_argument("--amount-col", default="amount", metavar="COL", help="subscriptions: amount column (amount)")
    g.add_argument("--interval-col", default="interval", metavar="COL",
                   help="subscriptions: billing interval column (interval)")
    g.add_argument("--interval-count-col", default=None, metavar="COL",
                   help="subscriptions: intervals per billing (3 with interval month = every 3 months)")
    g.add_argument("--quantity-col", default=None, metavar="COL", help="subscriptions: seats per line")
    g.add_argument("--amount-is", default=None, choices=("total", "unit"),
                   help="subscriptions: the amount is the line's total or per unit (times the quantity); default: "
                        "the known export's rule (Stripe: unit), else total with a warning when amounts repeat "
                        "across quantities")
    g.add_argument("--status-col", default=None, metavar="COL",
                   help="subscription and invoice lines: status column (a 'status' column is read by default)")
    g.add_argument("--not-revenue", default=None, metavar="S1,S2",
                   help="more statuses that are never revenue (the documented list applies anyway: past_due is "
                        "revenue; trialing, in_trial, future not yet; incomplete, incomplete_expired, failed and "
                        "paused without a pause date never)")
    g.add_argument("--export", default=None, metavar="NAME",
                   help="a known billing export (stripe_subscriptions, stripe_invoice_lines, chargebee_subscriptions, "
                        "recurly_subscriptions; default: recognised from the header; none: read with the column "
                        "flags only)")
    g.add_argument("--coupons", default=None, metavar="FILE",
                   help="the vendor's coupons export, for a subscriptions export that names each line's coupon")
    g.add_argument("--where", default=None, metavar="EXPR",
                   help="rows to keep, a pandas query, e.g. \"cancelled == 0 and validInvoice == 1\" (names with "
                        "spaces in backticks); the load report says what it left out")
    g.add_argument("--renewal-grace", default=0, type=int, metavar="DAYS",
                   help="lines: a gap shorter than DAYS between two paid periods is continuous revenue (0)")
    g.add_argument("--end-inclusive", action="store_true",
                   help="lines: ends are the last paid day (default: the first day no longer paid for)")
    g.add_argument("--interval-factor", action="append", default=[], metavar="NAME=X", type=factor,
                   help="subscriptions: MRR factor of a billing interval, e.g. week=4.33 (repeatable)")
    g.add_argument("--keep", action="append", default=[], metavar="COL",
                   help="attribute column to keep, on every command: carried from each line into the MRR table, and "
                        "kept by pack --anonymize (repeatable; a --by column is always kept)")
    g.add_argument("--totals", default="drop", choices=("drop", "error"),
                   help="total and subtotal rows or columns: leave out with a note (default) or refuse")
    g.add_argument("--month-format", default=None, metavar="FMT", help="strptime layout, e.g. %%d/%%m/%%Y")
    g.add_argument("--decimal", default=".", choices=(".", ","), metavar="MARK",
                   help="decimal mark of amounts written as text: . (1,200.50) or , (1.200,50)")
    g.add_argument("--sheet", default=None, help="sheet of an Excel workbook")
    g.add_argument("--currency", default=None, metavar="COL",
                   help="the column of currency codes (converted with --rate or --rates; default: a column named "
                        "currency); a code such as AUD that is not a column means --amounts-in AUD")
    g.add_argument("--amounts-in", default=None, metavar="CODE",
                   help="every amount is already in this currency (e.g. AUD); a currency column is then not used")
    g.add_argument("--rate", action="append", default=[], metavar="CODE=X", type=factor,
                   help="fixed rate: the value of one CODE in the reporting currency, e.g. EUR=1.08 (repeatable; "
                        "the reporting currency is the one at 1)")
    g.add_argument("--rates", default=None, metavar="FILE", help="rates by month: a file with month, currency, rate")
    g.add_argument("--basis", default="constant", choices=("constant", "actual"),
                   help="with --rates: one rate per currency (the span's last month; default) or each month's own")
    g.add_argument("--duplicates", default="sum", choices=("sum", "error"),
                   help="several rows for one customer and month: add them up (default) or refuse")
    g.add_argument("--max-month", default=None, metavar="YYYY-MM", help="latest month accepted (default: this month)")
    g.add_argument("--as-of", "--through", dest="as_of", default=None, metavar="YYYY-MM",
                   help="the last month of the data's span (default: the latest month with a row); months up to it "
                        "in which nobody pays still count; open subscription lines run to it")
    g.add_argument("--quiet", "-q", action="store_true", help="do not print the load report on stderr")


def factor(text: str) -> tuple[str, float]:
    name, sep, value = text.partition("=")
    try:
        if not sep or not name.strip():
            raise ValueError
        return name.strip(), float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not NAME=NUMBER, e.g. week=4.33 or EUR=1.08") from None


def add_format(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=("table", "csv", "json"), default="table", help="output format (table)")


class Parser(argparse.ArgumentParser):
    """argparse, with a mistake said in one line (and where to read more) instead of the whole usage."""

    def error(self, message: str):  # noqa: D102 - argparse's hook
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def parser() -> argparse.ArgumentParser:
    top = Parser(
        prog="nrrkit",
        description="Net revenue retention from your revenue data: bridge, NRR, GRR, logo retention.",
    )
    top.add_argument("--version", action="version", version=f"nrrkit {__version__}")
    sub = top.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    p = sub.add_parser("metrics", help="NRR, GRR and logo retention for every end month")
    add_input(p, db=True)
    p.add_argument("--window", type=int, default=12, help="months from base to end month (12)")
    p.add_argument("--method", default="cohort",
                   choices=("cohort", "cohort_avg", "compounded", "survivors", "lazy"), help="(cohort)")
    p.add_argument("--by", default=None, metavar="COL", help="segment by an attribute column (read at the base month)")
    p.add_argument("--total", action="store_true",
                   help="with --by: a Total row for every end month (all base customers, never an average)")
    add_format(p)

    p = sub.add_parser("bridge", help="the MRR bridge per month, quarter or year")
    add_input(p, db=True)
    p.add_argument("--freq", default="M", choices=("M", "Q", "Y"), help="period (M)")
    p.add_argument("--by", default=None, metavar="COL", help="segment by an attribute column")
    p.add_argument("--reactivation-window", type=int, default=None, metavar="N",
                   help="a return after more than N unpaid months counts as new")
    add_format(p)

    p = sub.add_parser("movements", help="each customer-month's movement (new, expansion, ..., churn)")
    add_input(p, db=True)
    p.add_argument("--reactivation-window", type=int, default=None, metavar="N",
                   help="a return after more than N unpaid months counts as new")
    add_format(p)

    p = sub.add_parser("compare", help="the same data under every retention method, and why they differ")
    add_input(p)
    p.add_argument("--window", type=int, default=12, help="(12)")
    p.add_argument("--month", default=None, metavar="YYYY-MM", help="end month (the last month of the data)")
    add_format(p)

    p = sub.add_parser("summary", help="headline NRR, GRR and logo retention with an interval, assessment, signals")
    add_input(p)
    p.add_argument("--window", type=int, default=12, help="(12)")
    p.add_argument("--by", default=None, metavar="COL",
                   help="the column --enterprise's segment is read from (default segment); the headline stays the "
                        "company's: nrrkit metrics --by COL gives figures by segment")
    p.add_argument("--enterprise", default=None, metavar="NAME", help="segment held to the 110%% enterprise bar")
    p.add_argument("--format", choices=("table", "json"), default="table", help="output format (table)")

    p = sub.add_parser("pack", help="the fundraising pack: workbook with formulas, charts, a printable summary")
    add_input(p)
    p.add_argument("-o", "--output", required=True, metavar="DIR", help="folder to write the pack into")
    p.add_argument("--by", default=None, metavar="COL", help="segment rows, chart and benchmarks by this attribute")
    p.add_argument("--anonymize", action="store_true",
                   help="pseudonyms C0001... for customer ids; drop attribute columns other than --by and --keep")
    p.add_argument("--force", action="store_true", help="write into a folder that is not empty "
                                                        "(replaces only the pack's own files)")
    p.add_argument("--company", default=None, metavar="NAME", help="the company's name, the title of every file")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--new-rate", type=fraction(3), default=None, metavar="RATE",
                   help="scenario: new business as a fraction of each year's ARR (0.3 or 30%%; default: measured)")
    g.add_argument("--new-arr", type=amount, default=None, metavar="AMOUNT",
                   help="scenario: new business as an amount of ARR a year (default: measured)")
    p.add_argument("--usd-rate", type=float, default=None, metavar="X",
                   help="the value of one US dollar in the reporting currency (1.52 for AUD), to compare the "
                        "average contract value with the benchmarks' US-dollar bands; without it, amounts in "
                        "another currency are not compared")

    p = sub.add_parser("report", help="one read, every table: bridge (M and Q), retention, cohorts, segments, "
                                      "movers and the load report, with an index.json")
    add_input(p, db=True)
    p.add_argument("-o", "--output", required=True, metavar="DIR", help="folder to write the tables into")
    p.add_argument("--by", default=None, metavar="COL",
                   help="segment retention (with Total rows) and add the segments table")
    p.add_argument("--window", type=int, default=12, help="months from base to end month (12)")
    p.add_argument("--format", choices=("csv", "parquet", "json"), default="csv", help="file format (csv)")
    p.add_argument("--force", action="store_true", help="write into a folder that is not empty and holds no "
                                                        "earlier report")

    p = sub.add_parser("cohorts", help="retention by cohort and age")
    add_input(p, db=True)
    p.add_argument("--metric", choices=("revenue", "logos", "mrr"), default="revenue", help="(revenue)")
    p.add_argument("--period", choices=("M", "Q", "Y"), default="M", help="cohort and age period (M)")
    p.add_argument("--baseline", choices=("month0", "month1"), default="month0", help="(month0)")
    add_format(p)

    p = sub.add_parser("segments", help="NRR, GRR and rates per segment, with the total")
    add_input(p)
    p.add_argument("--by", default=None, metavar="COL",
                   help="the attribute to segment by (default: the column 'segment', when there is one)")
    p.add_argument("--window", type=int, default=12, help="(12)")
    add_format(p)

    p = sub.add_parser("signals", help="warning signals on the 12-month metrics")
    add_input(p)
    p.add_argument("--enterprise", default=None, metavar="NAME", help="segment held to the 110%% enterprise bar")
    p.add_argument("--by", default=None, metavar="COL", help="the column --enterprise's segment is read from (default segment)")
    p.add_argument("--last", type=int, default=None, metavar="N", help="only the last N end months")
    add_format(p)

    p = sub.add_parser("project", help="five-year ARR projection from NRR and new business")
    p.add_argument("--start-arr", type=amount, required=True, metavar="ARR", help="ARR at the start, e.g. 10e6 or 10M")
    p.add_argument("--nrr", type=fraction(3), required=True, help="NRR as a fraction or a percentage: 1.25 or 125%%")
    new = p.add_mutually_exclusive_group(required=True)
    new.add_argument("--new-rate", type=fraction(3), metavar="RATE",
                     help="new business as a share of each year's starting ARR: 0.3 or 30%%")
    new.add_argument("--new-arr", type=amount, metavar="AMOUNT", help="new business as a fixed amount a year, e.g. 2M")
    p.add_argument("--years", type=int, default=5, help="(5)")
    p.add_argument("--nrr-floor", type=fraction(3), default=None, help="NRR decays towards this floor (1.05 or 105%%)")
    p.add_argument("--nrr-decay", type=fraction(1), default=0.0,
                   help="share of the gap to the floor closed each year (0.2 or 20%%)")
    p.add_argument("--spend-per-new-dollar", type=float, default=None, help="adds a spend column")
    add_format(p)

    p = sub.add_parser("what-if", help="NRR and GRR with churn, contraction or expansion changed, on your data")
    add_input(p)
    p.add_argument("--churn", type=fraction(5), default=0.0, help="relative change of churned MRR: -0.2 or -20%%")
    p.add_argument("--contraction", type=fraction(5), default=0.0, help="relative change of contraction (-0.2 or -20%%)")
    p.add_argument("--expansion", type=fraction(5), default=0.0, help="relative change of expansion (0.1 or 10%%)")
    p.add_argument("--window", type=int, default=12, help="(12)")
    p.add_argument("--by", default=None, metavar="COL", help="segment attribute")
    p.add_argument("--segment", default=None, help="apply the change to this segment only (needs --by)")
    add_format(p)

    p = sub.add_parser("sample", help="write the bundled sample company (or a generated one) to a file")
    p.add_argument("-o", "--output", required=True, metavar="FILE",
                   help=".csv, .xlsx, .parquet or .duckdb (a DuckDB database with the table mrr)")
    p.add_argument("--customers", type=int, default=None, help="generate this many customers instead")
    p.add_argument("--months", type=int, default=36, help="months of a generated company (36)")
    p.add_argument("--seed", type=int, default=0, help="random seed of a generated company (0)")
    p.add_argument("--subscriptions", action="store_true", help="write the sample as subscription lines")
    p.add_argument("--force", action="store_true", help="overwrite an existing file")

    p = sub.add_parser("room", help="serve the notebooks as dashboards to a workshop room (light pages, or Voila)",
                       description="Serve the notebooks as dashboards without code to everyone on this machine's "
                                   "network. Each page holds the notebook's text and outputs and its apps as plain "
                                   "controls, and each person's presses go to their own copy of the app in a worker "
                                   "process (one per 2 people): no kernel and no JupyterLab front end per person. "
                                   "--voila serves them with Voila instead (with --people N, N preheated kernels). "
                                   "Ctrl-C stops the room.")
    p.add_argument("--people", type=int, default=None,
                   help="participants (default 30); copies of the room notebook's apps are made ahead for them "
                        "(with --voila: this many kernels run ahead of time, plus spares)")
    p.add_argument("--notebook", default="01-nrr-in-ten-minutes.ipynb",
                   help="the notebook the room opens first, ready before the server says so "
                        "(default: 01-nrr-in-ten-minutes.ipynb)")
    p.add_argument("--notebooks", default="notebooks", metavar="DIR", help="the folder of notebooks (default: notebooks)")
    p.add_argument("--port", type=int, default=8866, help="port to listen on (default 8866)")
    p.add_argument("--ip", default="0.0.0.0", help="address to listen on (default: every address of this machine)")
    p.add_argument("--workers", type=int, default=None, metavar="N",
                   help="worker processes drawing the apps (default: one per 2 people, 1 to 8 per core)")
    p.add_argument("--voila", action="store_true",
                   help="serve with Voila (the JupyterLab front end and a kernel per page) instead")
    p.add_argument("--refill-after", type=float, default=120.0, metavar="SECONDS",
                   help="with --voila: replace a kernel a page took after this long, once the room has arrived "
                        "(default 120)")

    p = sub.add_parser("room-kit", help="a folder to install nrrkit on laptops with no internet (wheels, notebooks)",
                       description="Prepare a folder that installs nrrkit and its notebooks on laptops with no "
                                   "internet: the wheels of the quick start's install for the platforms and Python "
                                   "versions named, the notebooks, the sample data and install.sh / install.bat.")
    p.add_argument("-o", "--output", required=True, metavar="DIR")
    p.add_argument("--platform", action="append", default=None, metavar="NAME",
                   help="laptops' platform: linux, linux-arm, mac-intel, mac-arm or windows (repeat; default: this one)")
    p.add_argument("--python", action="append", default=None, metavar="X.Y",
                   help="laptops' Python version, e.g. 3.12 (repeat; default: this one)")
    return top
