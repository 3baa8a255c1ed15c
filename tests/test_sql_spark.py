"""nrrkit.sql on Spark (PySpark through Ibis's pyspark backend), held to the pandas engine as on
DuckDB and SQLite: the same checks from tests/sqlcases.py on the sample (every value of every
keyword), a generated company, the tiny company's edge cases, the case worked by hand and random
tables (hypothesis); then the ways in: a SparkSession, a ``pyspark://`` URL, a Parquet file read
by Spark, and the CLI.

One local session (``local[2]``, two shuffle partitions, no web UI) serves the whole module:
``sqlcases.spark_session`` starts it on first use and the module's fixture stops it at the end.
Each test database is a new session of it (``newSession``: its own temporary views, no files
written).  Spark starts a query in about a second however small the table, so the matrices are
the small ones (``EACH``, ``FEW``, ``EDGES``) and the random tables few.  Without Java (Spark
runs on the JVM) the module is skipped, saying so.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import nrrkit.sql as nks
from nrrkit.tables import plain_table

from .sqlcases import (  # noqa: F401 - the test_hand_case_* functions run here, on this module's hand fixture
    BASE,
    EACH,
    EDGES,
    FEW,
    HAND,
    MEASURES,
    SPARK_CONF,
    assert_same,
    cases,
    check_equal,
    check_random_bridge,
    check_random_table,
    check_repeated_months,
    dataset,
    db_table,
    hypothesis_settings,
    opened,
    pandas_result,
    raw_tables,
    refused,
    run_sql,
    spark_session,
    test_hand_case_cohorts_and_movements,
    test_hand_case_monthly_bridge,
    test_hand_case_quarterly_and_segment_bridge,
    test_hand_case_retention,
    test_hand_case_table,
)


def _java() -> str | None:
    home = os.environ.get("JAVA_HOME")
    if home and (Path(home) / "bin" / "java").exists():
        return str(Path(home) / "bin" / "java")
    return shutil.which("java")


pytestmark = [
    pytest.mark.skipif(_java() is None, reason="Java is not installed: Spark runs on the JVM "
                                               "(Debian: apt-get install default-jre-headless; .ci/run does it)"),
    pytest.mark.filterwarnings("ignore:.*future.infer_string.*"),
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
    pytest.mark.filterwarnings("ignore::FutureWarning"),
]

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module", autouse=True)
def spark():
    """The module's Spark session: started once, stopped when the module is done."""
    session = spark_session()
    warehouse = session.conf.get("spark.sql.warehouse.dir").removeprefix("file:")
    yield session
    spark_session.cache_clear()
    session.stop()
    shutil.rmtree(warehouse, ignore_errors=True)  # the empty catalog folder in the temporary directory


# --------------------------------------------------------------------------- 1. equality on real companies

PLAN = [
    ("sample", "spark", EACH),
    ("gen300", "spark", FEW),
    ("tiny", "spark", EDGES),
]


@pytest.mark.parametrize(("name", "backend", "func", "params"), list(cases(PLAN)))
def test_spark_equals_pandas(name, backend, func, params):
    check_equal(name, backend, func, params)


def test_spark_reads_the_sample_whole():
    src = opened("sample", "spark")
    s = dataset("sample")
    assert (src.rows, src.customers, src.customer_months) == (len(s), s.customer_id.nunique(), len(s))
    assert src.horizon == (s.month.min().to_period("M"), s.month.max().to_period("M"))
    assert src.report().startswith(f"Read table 'mrr' in the pyspark connection: {len(s):,} rows, "
                                   f"{s.customer_id.nunique():,} customers, 2023-01 to 2025-12 (36 months)")


# --------------------------------------------------------------------------- 2. the case worked by hand


@pytest.fixture(scope="module")
def hand(spark):
    return db_table(HAND, "spark", plain=True, as_of="2024-06")


def test_repeated_months_are_found_in_every_word_of_a_long_span_in_spark():
    check_repeated_months("spark")


# --------------------------------------------------------------------------- 3. hypothesis properties


@hypothesis_settings(8)
@given(data=raw_tables(), measure=MEASURES)
def test_random_tables_equal_pandas_in_spark(data, measure):
    check_random_table("spark", data, measure)


@hypothesis_settings(4)
@given(data=raw_tables(), freq=st.sampled_from("MQY"), window=st.sampled_from([None, 0, 1]))
def test_random_bridges_balance_in_spark(data, freq, window):
    check_random_bridge("spark", data, freq, window)


# --------------------------------------------------------------------------- 4. bad input, one line


def test_spark_bad_input_is_one_line():
    refused(BASE.assign(month=["2024-01", "Jan 2024", "2024-02"]), "spark", "table 'mrr' in the pyspark connection",
            "column 'month'", "value 'Jan 2024' (customer 'b') is not a month")
    refused(BASE.assign(mrr=[10.0, -5.0, -3.0]), "spark", "column 'mrr'",
            "value '-5.0' (customer 'b') is negative (and 1 more row like it)")


# --------------------------------------------------------------------------- 5. the ways in


def test_a_spark_session_a_url_and_a_parquet_file(spark, tmp_path):
    """mrr_table takes the user's SparkSession as it is; pyspark:// URLs name Spark properties; a
    Parquet file named as the table is read by Spark in place."""
    # a user's own DataFrame, as a temporary view of their session
    spark.createDataFrame(plain_table(dataset("tiny"))).createOrReplaceTempView("revenue")
    moves = ("movements", dict(by="segment"))
    src = nks.mrr_table(spark, "revenue")
    assert src.name == "table 'revenue' in the pyspark connection"
    assert_same_as_tiny(src, moves)
    path = tmp_path / "tiny.parquet"
    plain_table(dataset("tiny")).to_parquet(path)
    url = f"pyspark://{tmp_path / 'warehouse'}?spark.sql.shuffle.partitions=2"
    src = nks.mrr_table(url, str(path))  # the running session (Spark has one per process), as the URL asks
    assert src.name == "tiny.parquet"
    assert spark.conf.get("spark.sql.shuffle.partitions") == "2"
    assert_same_as_tiny(src, moves)


def assert_same_as_tiny(src, spec):
    assert_same(run_sql(src, *spec), pandas_result("tiny", *spec))


def test_cli_on_spark_prints_what_the_file_route_prints(tmp_path):
    """nrrkit metrics --db pyspark:// --spark-master local[2] --table FILE.parquet = nrrkit metrics FILE.csv."""
    plain = plain_table(dataset("sample"))
    plain.to_parquet(tmp_path / "sample.parquet")
    plain.to_csv(tmp_path / "sample.csv", index=False)
    conf = "&".join(f"{k}={v}" for k, v in SPARK_CONF.items() if k != "spark.master")

    def run(*args):
        r = subprocess.run([sys.executable, "-m", "nrrkit", "metrics", *args, "--by", "segment", "-q"],
                           capture_output=True, text=True, timeout=300, cwd=tmp_path)
        assert r.returncode == 0, r.stderr
        return [ln for ln in r.stdout.splitlines() if "computed in the database" not in ln]

    got = run("--db", f"pyspark://{tmp_path / 'warehouse'}?{conf}", "--spark-master", "local[2]",
              "--table", "sample.parquet")
    assert got == run("sample.csv")
    assert not (ROOT / "spark-warehouse").exists() and not (tmp_path / "spark-warehouse").exists()
