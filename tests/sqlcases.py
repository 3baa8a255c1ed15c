"""What the tests of nrrkit.sql share, whatever the engine: tables put into a database, the pandas
engine's results to hold them to, the matrices of measure arguments, the case worked by hand,
random tables (hypothesis) and the checks run on them.

tests/test_sql.py runs them on DuckDB and SQLite, tests/test_sql_spark.py on a local Spark
session.  The hand-case tests are defined here once and imported by each module, which gives
them its own ``hand`` fixture (the case in that module's engines).
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import os

import ibis
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st

import nrrkit as nk
import nrrkit.sql as nks
from nrrkit.errors import DataError
from nrrkit.tables import plain_table

RATIOS = ["nrr", "grr", "logo_retention"]


# --------------------------------------------------------------------------- helpers


#: Spark's settings for the tests: two local cores, two shuffle partitions (the default, 200,
#: makes every small query 200 tasks), no web UI or progress bars, a catalog in a temporary
#: folder, and nothing fetched at run time (no spark.jars.packages).
SPARK_CONF = {
    "spark.master": "local[2]",
    "spark.sql.shuffle.partitions": "2",
    "spark.default.parallelism": "2",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.execution.arrow.pyspark.enabled": "true",
    "spark.driver.memory": "1g",
}


@functools.cache
def spark_session():
    """One local Spark session for the whole test run (started on first use: about 10 s)."""
    import tempfile

    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("nrrkit-tests")
    conf = {**SPARK_CONF, "spark.sql.warehouse.dir": tempfile.mkdtemp(prefix="nrrkit-spark-warehouse-")}
    for key, value in conf.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


def connect(backend: str):
    """A new, empty database of ``backend``; for Spark a new session (its own temporary views) of the one running."""
    if backend == "spark":
        return ibis.pyspark.connect(spark_session().newSession())
    return ibis.duckdb.connect() if backend == "duckdb" else ibis.sqlite.connect()


def put(con, name: str, frame: pd.DataFrame):
    """``frame`` as table ``name`` of ``con`` (in Spark a temporary view: nothing written to disk)."""
    if con.name == "pyspark":
        return con.create_view(name, ibis.memtable(frame), overwrite=True)
    return con.create_table(name, frame)


def db_table(frame: pd.DataFrame, backend: str, *, name: str = "mrr", plain: bool = False, **kw) -> nks.MrrTable:
    """``frame`` written to a new in-memory database of ``backend`` and opened with ``nks.mrr_table``."""
    con = connect(backend)
    put(con, name, frame if plain else plain_table(frame))
    return nks.mrr_table(con, name, **kw)


def run_sql(src, func: str, params: dict) -> pd.DataFrame:
    return nks.to_pandas(getattr(nks, func)(src, **params))


def run_pandas(frame: pd.DataFrame, func: str, params: dict) -> pd.DataFrame:
    return getattr(nk, func)(frame, **params)


def assert_same(got: pd.DataFrame, want: pd.DataFrame) -> None:
    """The SQL engine's table is the pandas engine's: same columns, dtypes, rows and values."""
    if isinstance(want.index, pd.DatetimeIndex):  # a cohort table: cohorts by ages, sizes in attrs
        # a ratio over a zero base is missing, as NRR over an empty base is; the pandas engine
        # writes inf for a month-1 base of 0 (test_zero_month1_base_is_missing_not_infinite)
        want = want.replace([np.inf, -np.inf], np.nan)
        want = want.loc[:, want.notna().any(axis=0)]
        pd.testing.assert_frame_equal(got, want, check_dtype=True, check_exact=False, rtol=1e-12, atol=1e-12,
                                      check_freq=False)
        for key in ("size", "start_mrr"):
            assert dict(got.attrs[key]) == pytest.approx(dict(want.attrs[key]), rel=1e-12, abs=1e-9), key
        return
    want = want.reset_index(drop=True)
    pd.testing.assert_frame_equal(got, want, check_dtype=True, check_exact=False, rtol=1e-12, atol=1e-9)
    ratios = [c for c in RATIOS if c in want.columns]
    if ratios:  # the ratios again, without the money's absolute slack
        pd.testing.assert_frame_equal(got[ratios], want[ratios], check_exact=False, rtol=1e-12, atol=1e-14)


def identity(b: pd.DataFrame) -> np.ndarray:
    return (b.start_mrr + b.new + b.reactivation + b.expansion - b.contraction - b.churn - b.end_mrr).to_numpy()



# --------------------------------------------------------------------------- 1. equality on real companies

BRIDGE_FULL = [("bridge", dict(freq=f, by=b, reactivation_window=w))
               for f in "MQY" for b in (None, "segment") for w in (None, 0, 2)]
RETENTION_FULL = [("retention", dict(window=w, by=b, method=m))
                  for w in (1, 3, 12) for b in (None, "segment") for m in ("cohort", "survivors")]
MOVEMENTS_FULL = [("movements", dict(by=b, reactivation_window=w)) for b in (None, "segment") for w in (None, 0, 2)]
COHORT_FULL = [("cohort_table", dict(metric=m, period=p, baseline=b))
               for m in ("revenue", "logos", "mrr") for p in "MQY" for b in ("month0", "month1")]
FULL = BRIDGE_FULL + RETENTION_FULL + MOVEMENTS_FULL + COHORT_FULL

# every value of every argument, and every pair of values of two arguments, at least once
PAIRWISE = [
    ("bridge", dict(freq="M", by=None, reactivation_window=None)),
    ("bridge", dict(freq="M", by="segment", reactivation_window=0)),
    ("bridge", dict(freq="M", by=None, reactivation_window=2)),
    ("bridge", dict(freq="Q", by="segment", reactivation_window=None)),
    ("bridge", dict(freq="Q", by=None, reactivation_window=0)),
    ("bridge", dict(freq="Q", by="segment", reactivation_window=2)),
    ("bridge", dict(freq="Y", by="segment", reactivation_window=None)),
    ("bridge", dict(freq="Y", by=None, reactivation_window=0)),
    ("bridge", dict(freq="Y", by="segment", reactivation_window=2)),
    ("retention", dict(window=1, by=None, method="cohort")),
    ("retention", dict(window=1, by="segment", method="survivors")),
    ("retention", dict(window=3, by=None, method="cohort")),
    ("retention", dict(window=3, by="segment", method="survivors")),
    ("retention", dict(window=12, by="segment", method="cohort")),
    ("retention", dict(window=12, by=None, method="survivors")),
    *MOVEMENTS_FULL,
    ("cohort_table", dict(metric="revenue", period="M", baseline="month0")),
    ("cohort_table", dict(metric="revenue", period="Q", baseline="month1")),
    ("cohort_table", dict(metric="revenue", period="Y", baseline="month0")),
    ("cohort_table", dict(metric="logos", period="M", baseline="month1")),
    ("cohort_table", dict(metric="logos", period="Q", baseline="month0")),
    ("cohort_table", dict(metric="logos", period="Y", baseline="month1")),
    ("cohort_table", dict(metric="mrr", period="M", baseline="month0")),
    ("cohort_table", dict(metric="mrr", period="Q", baseline="month1")),
    ("cohort_table", dict(metric="mrr", period="Y", baseline="month0")),
]
# one of each measure, with segments (a second generated company; the larger datasets on the other backend)
FEW = [
    ("bridge", dict(freq="Q", by="segment", reactivation_window=1)),
    ("retention", dict(window=6, by="segment", method="cohort")),
    ("movements", dict(by="segment", reactivation_window=1)),
    ("cohort_table", dict(metric="revenue", period="Q", baseline="month1")),
]
# the tiny company's edges: a return after two unpaid months (new with window 0, reactivation with 2),
# a window longer than the data (no end month), a year with no complete period
EDGES = [
    ("bridge", dict(freq="M", by=None, reactivation_window=None)),
    ("bridge", dict(freq="Q", by="segment", reactivation_window=0)),
    ("bridge", dict(freq="Y", by=None, reactivation_window=2)),
    ("retention", dict(window=1, by="segment", method="cohort")),
    ("retention", dict(window=3, by=None, method="survivors")),
    ("retention", dict(window=12, by=None, method="cohort")),
    ("movements", dict(by="segment", reactivation_window=0)),
    ("cohort_table", dict(metric="revenue", period="M", baseline="month1")),
    ("cohort_table", dict(metric="logos", period="Q", baseline="month0")),
    ("cohort_table", dict(metric="mrr", period="Y", baseline="month0")),
]
#: NRRKIT_SQL_FULL=1 runs the full product of arguments on every dataset and backend (a few minutes).
EVERYTHING = os.environ.get("NRRKIT_SQL_FULL") == "1"
# every value of every keyword of every measure at least once, in three specs each (an engine slow to start
# a query, Spark, runs these on the sample rather than every pair)
EACH = [
    ("bridge", dict(freq="M", by=None, reactivation_window=None)),
    ("bridge", dict(freq="Q", by="segment", reactivation_window=0)),
    ("bridge", dict(freq="Y", by="segment", reactivation_window=2)),
    ("retention", dict(window=1, by=None, method="cohort")),
    ("retention", dict(window=3, by="segment", method="survivors")),
    ("retention", dict(window=12, by="segment", method="cohort")),
    ("movements", dict(by=None, reactivation_window=None)),
    ("movements", dict(by="segment", reactivation_window=0)),
    ("movements", dict(by="segment", reactivation_window=2)),
    ("cohort_table", dict(metric="revenue", period="M", baseline="month0")),
    ("cohort_table", dict(metric="logos", period="Q", baseline="month1")),
    ("cohort_table", dict(metric="mrr", period="Y", baseline="month0")),
]


def values_covered(specs, func):
    return {(a, p[a]) for f, p in specs if f == func for a in p}


def pairs_covered(specs, func):
    params = [p for f, p in specs if f == func]
    seen = set()
    for p in params:
        seen |= {(a, p[a], b, p[b]) for a, b in itertools.combinations(sorted(p), 2)}
    return seen


DATASETS = {
    "sample": nk.datasets.load_sample,
    "gen300": lambda: nk.datasets.generate(300, 30, seed=5),
    "gen200": lambda: nk.datasets.generate(200, 20, seed=11, start="2023-08"),
    "tiny": nk.datasets.load_tiny,
}


@functools.cache
def dataset(name: str) -> pd.DataFrame:
    return DATASETS[name]()


@functools.cache
def _pandas_result(name: str, func: str, key: tuple) -> pd.DataFrame:
    return run_pandas(dataset(name), func, dict(key))


def pandas_result(name: str, func: str, params: dict) -> pd.DataFrame:
    return _pandas_result(name, func, tuple(sorted(params.items(), key=lambda kv: kv[0])))


_OPEN: dict = {}


def opened(name: str, backend: str) -> nks.MrrTable:
    """The dataset in a database of ``backend``, opened once for the whole module."""
    if (name, backend) not in _OPEN:
        _OPEN[name, backend] = db_table(dataset(name), backend)
    return _OPEN[name, backend]




def cases(plan):
    """pytest parameters (name, backend, func, params) of a plan: (dataset, backend, specs) triples."""
    for name, backend, specs in plan:
        specs = FULL if EVERYTHING else specs
        for func, params in specs:
            label = ",".join(f"{k}={v}" for k, v in params.items())
            yield pytest.param(name, backend, func, params, id=f"{name}-{backend}-{func}-{label}")


def check_equal(name: str, backend: str, func: str, params: dict) -> None:
    assert_same(run_sql(opened(name, backend), func, params), pandas_result(name, func, params))

# --------------------------------------------------------------------------- 2. a case worked by hand

# Four customers, January to May 2024, read as of June 2024 (nobody has a row in June).
#
#            Jan   Feb   Mar   Apr      May   | Jun (span end, no rows)
#   A SMB    100   100   150   150      120   |  -
#   B Ent    200   0     -     50       50    |  -      (Feb is an explicit 0 row)
#   C SMB    -     80    80    30 + 50  80    |  -      (two rows in April: summed to 80)
#   D Ent    60    60    -     -        -     |  -
#
# Monthly bridge (end = start + new + reactivation + expansion - contraction - churn):
#   Jan: 0   + new 360 (A 100, B 200, D 60)                          = 360
#   Feb: 360 + new 80 (C) - churn 200 (B)                            = 240
#   Mar: 240 + expansion 50 (A 100 -> 150) - churn 60 (D)            = 230
#   Apr: 230 + reactivation 50 (B, back after Feb and Mar unpaid)    = 280
#   May: 280 - contraction 30 (A 150 -> 120)                         = 250
#   Jun: 250 - churn 250 (A 120, B 50, C 80: churn into the empty month that ends the span) = 0
# With reactivation_window=1 B's return after 2 unpaid months (> 1) is new (50), with 2 it stays
# a reactivation.
# Quarters: Q1 = 0 + new 440 + expansion 50 - churn 260 = 230;
#           Q2 = 230 + reactivation 50 - contraction 30 - churn 250 = 0 (complete: April to June).
# Retention, window 3:
#   Apr (base Jan: A 100, B 200, D 60 = 360): A 150, B 50, D 0 -> end 200, expansion 50,
#     contraction 150, churn 60; NRR 200/360, GRR (360 - 150 - 60)/360 = 150/360, logos 2/3.
#     By segment: SMB 150/100 = 1.5; Ent (B, D) 50/260.  Survivors keep A and B only: 200/300.
#   May (base Feb: A 100, C 80, D 60 = 240): A 120, C 80, D 0 -> end 200, expansion 20, churn 60;
#     NRR 200/240, GRR 180/240, logos 2/3.
#   Jun (base Mar: A 150, C 80 = 230): end 0, churn 230; NRR 0, GRR 0, logos 0.
# Monthly cohorts (revenue, month0): Jan (A, B, D; 360) -> Feb 160, Mar 150, Apr 200, May 170, Jun 0;
#   Feb (C; 80) -> 80 to May, 0 in June.
HAND_ROWS = [
    ("A", "2024-01", 100.0, "SMB"), ("A", "2024-02", 100.0, "SMB"), ("A", "2024-03", 150.0, "SMB"),
    ("A", "2024-04", 150.0, "SMB"), ("A", "2024-05", 120.0, "SMB"),
    ("B", "2024-01", 200.0, "Ent"), ("B", "2024-02", 0.0, "Ent"), ("B", "2024-04", 50.0, "Ent"),
    ("B", "2024-05", 50.0, "Ent"),
    ("C", "2024-02", 80.0, "SMB"), ("C", "2024-03", 80.0, "SMB"), ("C", "2024-04", 30.0, "SMB"),
    ("C", "2024-04", 50.0, "SMB"), ("C", "2024-05", 80.0, "SMB"),
    ("D", "2024-01", 60.0, "Ent"), ("D", "2024-02", 60.0, "Ent"),
]
HAND = pd.DataFrame(HAND_ROWS, columns=["customer_id", "month", "mrr", "segment"])
BRIDGE_COLS = ["start_mrr", "new", "reactivation", "expansion", "contraction", "churn", "end_mrr"]


def test_hand_case_table(hand):
    assert (hand.rows, hand.customers, hand.customer_months) == (16, 4, 15)
    assert hand.horizon == (pd.Period("2024-01", "M"), pd.Period("2024-06", "M"))
    assert (hand.first, hand.last, hand.last_with_rows) == (2024 * 12, 2024 * 12 + 5, 2024 * 12 + 4)
    lines = hand.report().splitlines()
    assert lines[1] == "  the span runs to 2024-06; the last month with rows is 2024-05"
    assert lines[2].startswith("  1 row") and lines[2].endswith("summed")


def test_hand_case_monthly_bridge(hand):
    b = nks.to_pandas(nks.bridge(hand))
    assert [f"{p:%Y-%m}" for p in b.period] == ["2024-01", "2024-02", "2024-03", "2024-04", "2024-05", "2024-06"]
    assert b[BRIDGE_COLS].values.tolist() == [
        # start  new  react  exp  contr  churn  end
        [0.0, 360.0, 0.0, 0.0, 0.0, 0.0, 360.0],
        [360.0, 80.0, 0.0, 0.0, 0.0, 200.0, 240.0],
        [240.0, 0.0, 0.0, 50.0, 0.0, 60.0, 230.0],
        [230.0, 0.0, 50.0, 0.0, 0.0, 0.0, 280.0],
        [280.0, 0.0, 0.0, 0.0, 30.0, 0.0, 250.0],
        [250.0, 0.0, 0.0, 0.0, 0.0, 250.0, 0.0],
    ]
    assert b.customers_end.tolist() == [3, 3, 2, 3, 3, 0]
    assert b.new_customers.tolist() == [3, 1, 0, 0, 0, 0]
    assert b.churned_customers.tolist() == [0, 1, 1, 0, 0, 3]
    assert b.reactivated_customers.tolist() == [0, 0, 0, 1, 0, 0]
    assert b.complete.all()
    w1 = nks.to_pandas(nks.bridge(hand, reactivation_window=1)).set_index(b.period.dt.strftime("%Y-%m"))
    assert (w1.loc["2024-04", "new"], w1.loc["2024-04", "reactivation"]) == (50.0, 0.0)
    w2 = nks.to_pandas(nks.bridge(hand, reactivation_window=2)).set_index(b.period.dt.strftime("%Y-%m"))
    assert (w2.loc["2024-04", "new"], w2.loc["2024-04", "reactivation"]) == (0.0, 50.0)
    assert_same(b, nk.bridge(nk.through(nk.read_mrr(HAND), "2024-06")))


def test_hand_case_quarterly_and_segment_bridge(hand):
    q = nks.to_pandas(nks.bridge(hand, freq="Q"))
    assert q.period_label.tolist() == ["2024-Q1", "2024-Q2"]
    assert q[BRIDGE_COLS].values.tolist() == [[0.0, 440.0, 0.0, 50.0, 0.0, 260.0, 230.0],
                                              [230.0, 0.0, 50.0, 0.0, 30.0, 250.0, 0.0]]
    assert q.complete.tolist() == [True, True]
    seg = nks.to_pandas(nks.bridge(hand, by="segment"))
    feb = seg[seg.period == pd.Timestamp("2024-02-01")].set_index("segment")
    # SMB: A flat at 100, C new 80; Ent: B churns 200, D flat at 60
    assert feb.loc["SMB", BRIDGE_COLS].tolist() == [100.0, 80.0, 0.0, 0.0, 0.0, 0.0, 180.0]
    assert feb.loc["Ent", BRIDGE_COLS].tolist() == [260.0, 0.0, 0.0, 0.0, 0.0, 200.0, 60.0]


def test_hand_case_retention(hand):
    r = nks.to_pandas(nks.retention(hand, window=3)).set_index("month")
    assert [f"{m:%Y-%m}" for m in r.index] == ["2024-04", "2024-05", "2024-06"]
    apr, may, jun = (r.loc[pd.Timestamp(m)] for m in ("2024-04", "2024-05", "2024-06"))
    assert f"{apr.base_month:%Y-%m}" == "2024-01"
    assert [apr.start_mrr, apr.end_mrr, apr.expansion, apr.contraction, apr.churn] == [360.0, 200.0, 50.0, 150.0, 60.0]
    assert (apr.customers_start, apr.customers_retained) == (3, 2)
    assert apr.nrr == pytest.approx(200 / 360, rel=1e-12)
    assert apr.grr == pytest.approx(150 / 360, rel=1e-12)
    assert apr.logo_retention == pytest.approx(2 / 3, rel=1e-12)
    assert [may.start_mrr, may.end_mrr, may.expansion, may.contraction, may.churn] == [240.0, 200.0, 20.0, 0.0, 60.0]
    assert (may.nrr, may.grr) == (pytest.approx(200 / 240, rel=1e-12), pytest.approx(180 / 240, rel=1e-12))
    assert [jun.start_mrr, jun.end_mrr, jun.churn, jun.nrr, jun.grr, jun.logo_retention] == [230.0, 0, 230.0, 0, 0, 0]
    seg = nks.to_pandas(nks.retention(hand, window=3, by="segment"))
    seg_apr = seg[seg.month == pd.Timestamp("2024-04-01")].set_index("segment")
    assert seg_apr.loc["SMB", "nrr"] == pytest.approx(1.5, rel=1e-12)
    assert seg_apr.loc["Ent", "nrr"] == pytest.approx(50 / 260, rel=1e-12)
    surv = nks.to_pandas(nks.retention(hand, window=3, method="survivors")).set_index("month")
    assert surv.loc[pd.Timestamp("2024-04-01"), "nrr"] == pytest.approx(200 / 300, rel=1e-12)
    assert (surv.loc[pd.Timestamp("2024-04-01"), "start_mrr"], surv.loc[pd.Timestamp("2024-04-01"), "customers_start"]) \
        == (300.0, 2)
    # one month: every customer paying in May churns into the empty June
    one = nks.to_pandas(nks.retention(hand, window=1)).set_index("month")
    assert one.loc[pd.Timestamp("2024-06-01"), ["start_mrr", "end_mrr", "churn"]].tolist() == [250.0, 0.0, 250.0]
    assert_same(nks.to_pandas(nks.retention(hand, window=3)),
                nk.retention(nk.through(nk.read_mrr(HAND), "2024-06"), window=3))


def test_hand_case_cohorts_and_movements(hand):
    c = nks.to_pandas(nks.cohort_table(hand, metric="mrr"))
    jan, feb = pd.Timestamp("2024-01-01"), pd.Timestamp("2024-02-01")
    assert c.loc[jan].tolist() == [360.0, 160.0, 150.0, 200.0, 170.0, 0.0]
    assert c.loc[feb].iloc[:5].tolist() == [80.0, 80.0, 80.0, 80.0, 0.0]
    assert np.isnan(c.loc[feb].iloc[5])  # after the last month: missing, never 0
    assert (c.attrs["size"]["2024-01"], c.attrs["start_mrr"]["2024-01"]) == (3, 360.0)
    mv = nks.to_pandas(nks.movements(hand))
    got = {(r.customer_id, f"{r.month:%Y-%m}"): (r.movement, r.change) for r in mv.itertuples()}
    assert got[("B", "2024-02")] == ("churn", -200.0)
    assert got[("B", "2024-04")] == ("reactivation", 50.0)
    assert got[("C", "2024-04")] == ("flat", 0.0)
    assert got[("A", "2024-05")] == ("contraction", -30.0)
    assert got[("D", "2024-03")] == ("churn", -60.0)
    assert [got[(c_, "2024-06")] for c_ in "ABC"] == [("churn", -120.0), ("churn", -50.0), ("churn", -80.0)]
    assert ("B", "2024-03") not in got and ("D", "2024-04") not in got  # nothing happens in an unpaid stretch


def check_repeated_months(backend: str) -> None:
    # mrr_table finds customers with two rows in a month by the bits their months set, in words of
    # 31 months.  Over 40 months (2022-01 to 2025-04) 2022-01 and 2024-08 set bit 0 of words 0
    # and 1: two different months.  Rows: A 2 (2 months), B 2 (both in 2025-04, the last month of
    # word 1: 1 month), C 2 (two days of 2022-01: 1 month), D 1 -> 7 rows, 4 customers, 5 customer-months
    rows = [("A", "2022-01", 10.0), ("A", "2024-08", 10.0), ("B", "2025-04", 5.0), ("B", "2025-04", 7.0),
            ("C", "2022-01-05", 1.0), ("C", "2022-01-20", 2.0), ("D", "2023-03", 4.0)]
    frame = pd.DataFrame(rows, columns=["customer_id", "month", "mrr"])
    src = db_table(frame, backend, plain=True)
    assert (src.rows, src.customers, src.customer_months, src.months) == (7, 4, 5, 40)
    assert src.report().splitlines()[1] == "  2 rows repeat a customer and month already seen: the MRR of each " \
                                           "customer-month is summed"
    assert_same(run_sql(src, "bridge", {}), nk.bridge(nk.read_mrr(frame)))
    # without B's and C's repeats every row is its own customer-month (the check finds none)
    once = db_table(frame.drop([3, 5]), backend, plain=True)
    assert (once.rows, once.customers, once.customer_months) == (5, 4, 5)
    with pytest.raises(DataError, match=r"customer 'B' has 2 rows in 2025-04 \(2 extra rows in all\)"):
        db_table(frame, backend, plain=True, duplicates="error")


# --------------------------------------------------------------------------- 3. hypothesis properties

# No shrinking: each step runs SQL (0.2 s), and shrinking a failure took five minutes.  To see a
# failure at its smallest, run with HYPOTHESIS_SHRINK=1.
PHASES = tuple(Phase) if os.environ.get("HYPOTHESIS_SHRINK") == "1" else (Phase.explicit, Phase.reuse, Phase.generate)


def hypothesis_settings(max_examples: int):
    return settings(max_examples=max_examples, deadline=None, phases=PHASES, suppress_health_check=[HealthCheck.too_slow])


AMOUNTS = st.sampled_from([0.0, 0.0, 0.0, 10.0, 25.0, 40.0, 99.5, 100.0, 250.0, 1000.0])
SEGMENTS = st.sampled_from(["SMB", "Mid", "Ent"])
PADS = st.sampled_from(["", "", "", " ", "  "])


@st.composite
def raw_tables(draw):
    """A table as a database holds it: ids maybe padded with spaces, explicit zero rows, gaps,
    several rows in a customer-month, months as text (2024-01 or 2024-01-17), dates or timestamps;
    and the pandas engine's reading of it.  Returns (frame for the database, as_of, pandas table)."""
    n_c = draw(st.integers(1, 5))
    n_m = draw(st.integers(2, 9))
    start = pd.Period("2022-01", "M") + draw(st.integers(0, 11))
    form = draw(st.sampled_from(["text", "day", "date", "timestamp"]))

    def month_value(p: pd.Period):
        day = draw(st.integers(1, 28))
        if form == "text":
            return f"{p.year:04d}-{p.month:02d}"
        if form == "day":
            return f"{p.year:04d}-{p.month:02d}-{day:02d}"
        if form == "date":
            return dt.date(p.year, p.month, day)
        return pd.Timestamp(p.year, p.month, day, draw(st.integers(0, 23)))

    rows = []
    for c in range(n_c):
        fixed = draw(SEGMENTS)
        moving = draw(st.booleans())
        for m in range(n_m):
            v = draw(AMOUNTS)
            if v > 0 or draw(st.booleans()):  # no row, or an explicit zero row
                seg = draw(SEGMENTS) if moving else fixed
                parts = [v, draw(AMOUNTS)] if draw(st.integers(0, 4)) == 0 else [v]  # several rows: summed
                for part in parts:
                    rows.append((draw(PADS) + f"c{c}" + draw(PADS), month_value(start + m), part, seg))
    if not any(r[2] > 0 for r in rows):
        rows.append(("c0", month_value(start), 10.0, "SMB"))
    frame = pd.DataFrame(rows, columns=["customer_id", "month", "mrr", "segment"])
    if form == "timestamp":
        frame["month"] = pd.to_datetime(frame["month"])
    last = max(pd.Period(m, "M") for m in frame["month"])
    extra = draw(st.integers(0, 2))
    as_of = str(last + extra) if extra else None
    table = nk.read_mrr(frame)
    if as_of:
        table = nk.through(table, as_of)
    return frame, as_of, table


MEASURES = st.one_of(
    st.builds(lambda f, b, w: ("bridge", dict(freq=f, by=b, reactivation_window=w)),
              st.sampled_from("MQY"), st.sampled_from([None, "segment"]), st.sampled_from([None, 0, 1, 2])),
    st.builds(lambda w, b, m: ("retention", dict(window=w, by=b, method=m)),
              st.integers(1, 4), st.sampled_from([None, "segment"]), st.sampled_from(["cohort", "survivors"])),
    st.builds(lambda b, w: ("movements", dict(by=b, reactivation_window=w)),
              st.sampled_from([None, "segment"]), st.sampled_from([None, 0, 1, 2])),
    st.builds(lambda m, p, b: ("cohort_table", dict(metric=m, period=p, baseline=b)),
              st.sampled_from(["revenue", "logos", "mrr"]), st.sampled_from("MQY"),
              st.sampled_from(["month0", "month1"])),
)



def check_random_table(backend, data, measure) -> None:
    frame, as_of, table = data
    func, params = measure
    src = db_table(frame, backend, plain=True, as_of=as_of)
    assert src.rows == len(frame)
    assert src.customers == table.customer_id.nunique()
    got = run_sql(src, func, params)
    assert_same(got, run_pandas(table, func, params))
    if func == "bridge":
        assert np.abs(identity(got)).max() < 1e-9



def check_random_bridge(backend, data, freq, window) -> None:
    frame, as_of, table = data
    src = db_table(frame, backend, plain=True, as_of=as_of)
    seg = nks.to_pandas(nks.bridge(src, freq=freq, by="segment", reactivation_window=window))
    assert np.abs(identity(seg)).max() < 1e-9
    counts = seg.customers_start + seg.new_customers + seg.reactivated_customers - seg.churned_customers
    assert (counts == seg.customers_end).all()
    assert_same(seg, nk.bridge(table, freq=freq, by="segment", reactivation_window=window))
    # the total (the SQL total equals it: test_random_tables_equal_pandas) has every period of the
    # span, and the segments add up to it
    total = nk.bridge(table, freq=freq, reactivation_window=window)
    first, last = src.horizon
    want = pd.period_range(first.asfreq(freq), last.asfreq(freq), freq=freq).to_timestamp()  # first days
    assert total.period.tolist() == list(want)
    cols = [*BRIDGE_COLS, "customers_start", "customers_end", "new_customers", "reactivated_customers",
            "expanded_customers", "contracted_customers", "churned_customers"]
    summed = seg.groupby("period")[cols].sum().reindex(total.period, fill_value=0)
    np.testing.assert_allclose(summed.to_numpy(float), total[cols].to_numpy(float), rtol=1e-12, atol=1e-9)


# --------------------------------------------------------------------------- 6. bad input

BASE = pd.DataFrame({"customer_id": ["a", "b", "b"], "month": ["2024-01", "2024-01", "2024-02"],
                     "mrr": [10.0, 20.0, 30.0], "segment": ["x", "y", "y"]})


def refused(frame: pd.DataFrame, backend: str, *parts: str, **kw) -> str:
    con = connect(backend)
    put(con, "mrr", frame)
    with pytest.raises(DataError) as err:
        nks.mrr_table(con, "mrr", **kw)
    msg = str(err.value)
    assert "\n" not in msg, msg
    for part in parts:
        assert part in msg, (part, msg)
    return msg


