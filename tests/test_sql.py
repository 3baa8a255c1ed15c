"""nrrkit.sql (the definitions in SQL, through Ibis) held to the pandas engine, on DuckDB and SQLite.

Every measure is compared with ``pd.testing.assert_frame_equal`` (dtypes included): money to
1e-9 (well inside a cent) and the ratios to 1e-12, on the bundled sample, on generated
companies, on the tiny company, on a case worked out by hand and on random tables
(hypothesis).  Then the horizon, the SQL text taken away (run through DuckDB directly),
the one-line messages for bad input and the sources a table can be read from.

Cost: Ibis compiles every SQL measure (0.1 to 0.2 s each), so the matrices of arguments are
chosen rather than multiplied out: ``PAIRWISE`` holds every pair of values of two arguments
(checked below) and runs on the sample in DuckDB and a generated company in SQLite; the other
datasets get one of each measure (``FEW``) or their edge cases (``EDGES``).
``NRRKIT_SQL_FULL=1`` runs the full product on every dataset and backend instead.
"""

from __future__ import annotations

import datetime as dt
import sqlite3

import duckdb
import ibis
import numpy as np
import pandas as pd
import pytest
import sqlglot
from hypothesis import given
from hypothesis import strategies as st

import nrrkit as nk
import nrrkit.sql as nks
from nrrkit.errors import DataError
from nrrkit.tables import plain_table

from .sqlcases import (  # noqa: F401 - the test_hand_case_* functions run here, on this module's hand fixture
    BASE,
    BRIDGE_COLS,
    EACH,
    EDGES,
    FEW,
    FULL,
    HAND,
    MEASURES,
    PAIRWISE,
    assert_same,
    cases,
    check_equal,
    check_random_bridge,
    check_random_table,
    check_repeated_months,
    connect,
    dataset,
    db_table,
    hypothesis_settings,
    opened,
    pairs_covered,
    pandas_result,
    raw_tables,
    refused,
    run_pandas,
    run_sql,
    test_hand_case_cohorts_and_movements,
    test_hand_case_monthly_bridge,
    test_hand_case_quarterly_and_segment_bridge,
    test_hand_case_retention,
    test_hand_case_table,
    values_covered,
)

# Ibis 12's notices against pandas 3 and DuckDB 2 (thousands per run, none ours to act on)
pytestmark = [pytest.mark.filterwarnings("ignore:.*future.infer_string.*"),
              pytest.mark.filterwarnings("ignore::DeprecationWarning:ibis")]

BACKENDS = ("duckdb", "sqlite")


# --------------------------------------------------------------------------- 1. equality on real companies


def test_pairwise_matrix_covers_every_pair_of_the_full_product():
    for func in ("bridge", "retention", "movements", "cohort_table"):
        assert pairs_covered(PAIRWISE, func) == pairs_covered(FULL, func), func


def test_each_covers_every_value_of_every_keyword():
    for func in ("bridge", "retention", "movements", "cohort_table"):
        assert values_covered(EACH, func) == values_covered(FULL, func), func


PLAN = [
    ("sample", "duckdb", PAIRWISE),
    ("sample", "sqlite", FEW),
    ("gen300", "duckdb", FEW),
    ("gen300", "sqlite", PAIRWISE),
    ("gen200", "duckdb", FEW),
    ("gen200", "sqlite", FEW),
    ("tiny", "duckdb", EDGES),
    ("tiny", "sqlite", EDGES),
]


@pytest.mark.parametrize(("name", "backend", "func", "params"), list(cases(PLAN)))
def test_sql_equals_pandas(name, backend, func, params):
    check_equal(name, backend, func, params)


@pytest.mark.parametrize("backend", BACKENDS)
def test_opened_sample_is_read_whole(backend):
    src = opened("sample", backend)
    s = dataset("sample")
    assert (src.rows, src.customers, src.customer_months) == (len(s), s.customer_id.nunique(), len(s))
    assert src.horizon == (s.month.min().to_period("M"), s.month.max().to_period("M"))  # MrrTable: Periods
    assert src.attributes == [c for c in s.columns if c not in ("customer_id", "month", "mrr")]
    assert src.report().startswith(f"Read table 'mrr' in the {backend} connection: {len(s):,} rows, "
                                   f"{s.customer_id.nunique():,} customers, 2023-01 to 2025-12 (36 months)")


# --------------------------------------------------------------------------- 2. a case worked by hand
# (sqlcases.HAND: the table and its arithmetic; the test_hand_case_* tests are imported above)


@pytest.fixture(scope="module", params=BACKENDS)
def hand(request):
    return db_table(HAND, request.param, plain=True, as_of="2024-06")


@pytest.mark.parametrize("backend", BACKENDS)
def test_zero_month1_base_is_missing_not_infinite(backend):
    # one customer: 10 in January, nothing in February, 10 in March.  With baseline="month1" every
    # ratio divides by the cohort's February MRR, 0: no ratio exists (as NRR over an empty base)
    frame = pd.DataFrame({"customer_id": ["c0", "c0"], "month": ["2022-01", "2022-03"], "mrr": [10.0, 10.0]})
    for metric in ("revenue", "logos"):
        got = nks.to_pandas(nks.cohort_table(db_table(frame, backend, plain=True), metric=metric, baseline="month1"))
        assert got.shape == (1, 0) and got.index[0] == pd.Timestamp("2022-01-01")
        want = nk.cohort_table(nk.read_mrr(frame), metric=metric, baseline="month1")
        assert not np.isinf(want.to_numpy(float)).any(), want  # the pandas engine: inf at ages 0 and 2
        pd.testing.assert_frame_equal(got, want, check_freq=False)


@pytest.mark.parametrize("backend", BACKENDS)
def test_repeated_months_are_found_in_every_word_of_a_long_span(backend):
    check_repeated_months(backend)


# --------------------------------------------------------------------------- 3. hypothesis properties
# (sqlcases.raw_tables: the random tables; the checks are sqlcases.check_random_*)


@pytest.mark.parametrize("backend", BACKENDS)
@hypothesis_settings(25)
@given(data=raw_tables(), measure=MEASURES)
def test_random_tables_equal_pandas(backend, data, measure):
    check_random_table(backend, data, measure)


@pytest.mark.parametrize("backend", BACKENDS)
@hypothesis_settings(15)
@given(data=raw_tables(), freq=st.sampled_from("MQY"), window=st.sampled_from([None, 0, 1]))
def test_random_bridges_balance_and_segments_add_up(backend, data, freq, window):
    check_random_bridge(backend, data, freq, window)


# --------------------------------------------------------------------------- 4. the horizon


@pytest.mark.parametrize("backend", BACKENDS)
def test_as_of_after_the_data_runs_the_span_to_it(backend):
    tiny = nk.datasets.load_tiny()
    src = db_table(tiny, backend, as_of="2024-07")
    ext = nk.through(tiny, "2024-07")
    assert src.horizon == (pd.Period("2024-01", "M"), pd.Period("2024-07", "M"))
    b = nks.to_pandas(nks.bridge(src))
    # every month of the span has a row; all who paid in April churn into the empty May
    assert [f"{p:%Y-%m}" for p in b.period] == [f"2024-0{i}" for i in range(1, 8)]
    assert b.loc[4, ["start_mrr", "churn", "end_mrr", "churned_customers"]].tolist() == [590.0, 590.0, 0.0, 4]
    assert (b.loc[5:, BRIDGE_COLS] == 0).all().all()
    assert_same(b, nk.bridge(ext))
    for func, params in [("bridge", dict(freq="Q", by="segment")), ("retention", dict(window=2, by="segment")),
                         ("retention", dict(window=1)), ("movements", dict(by="segment")),
                         ("cohort_table", dict(metric="logos"))]:
        assert_same(run_sql(src, func, params), run_pandas(ext, func, params))


@pytest.mark.parametrize("backend", BACKENDS)
def test_as_of_on_the_sample(backend):
    sample = dataset("sample")
    con = opened("sample", backend).expr.get_backend()
    src = nks.mrr_table(con, "mrr", as_of="2026-03")
    ext = nk.through(sample, "2026-03")
    b = nks.to_pandas(nks.bridge(src))
    assert len(b) == 39
    assert b.churn.iloc[36] == pytest.approx(b.end_mrr.iloc[35], rel=1e-12)
    assert b.end_mrr.iloc[36:].tolist() == [0.0, 0.0, 0.0]
    assert_same(b, nk.bridge(ext))
    assert_same(nks.to_pandas(nks.retention(src, window=3)), nk.retention(ext, window=3))


# --------------------------------------------------------------------------- 5. SQL to take away

ROUND_TRIP = [
    ("retention", dict(window=12, by="segment")),
    ("bridge", dict(freq="Q", reactivation_window=2)),
    ("movements", dict(by="segment")),
]


@pytest.fixture(scope="module")
def duckdb_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("sql") / "company.duckdb"
    plain = plain_table(dataset("gen300"))  # noqa: F841 - read by DuckDB's replacement scan below
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE revenue_by_month AS SELECT * FROM plain")
    con.close()
    return path


@pytest.mark.parametrize(("func", "params"), ROUND_TRIP, ids=[f for f, _ in ROUND_TRIP])
def test_to_sql_runs_in_duckdb_itself(duckdb_file, func, params):
    src = nks.mrr_table(duckdb_file, "revenue_by_month")
    expr = getattr(nks, func)(src, **params)
    text = nks.to_sql(expr, dialect="duckdb")
    via_ibis = nks.to_pandas(expr, keep_text=True)
    src.expr.get_backend().disconnect()  # DuckDB opens a file once per process with one configuration
    con = duckdb.connect(str(duckdb_file))
    try:
        raw = con.sql(text).df()
    finally:
        con.close()
    assert list(raw.columns) == list(via_ibis.columns)
    assert len(raw) == len(via_ibis) > 0
    expected = plain_table(pandas_result("gen300", func, params).reset_index(drop=True))
    if "period_label" in expected.columns:  # the database's text of a quarter is its label
        expected["period"] = expected.pop("period_label")
    for col in raw.columns:
        if pd.api.types.is_numeric_dtype(via_ibis[col]) or pd.api.types.is_bool_dtype(via_ibis[col]):
            np.testing.assert_allclose(raw[col].to_numpy(float), via_ibis[col].to_numpy(float), rtol=1e-12)
            np.testing.assert_allclose(raw[col].to_numpy(float), expected[col].to_numpy(float), rtol=1e-12,
                                       atol=1e-9)
        else:
            assert raw[col].astype(str).tolist() == via_ibis[col].astype(str).tolist() == \
                expected[col].astype(str).tolist(), col


@pytest.mark.parametrize("dialect", nks.DIALECTS)
def test_to_sql_every_listed_dialect_names_the_source_table(duckdb_file, dialect):
    """nks.DIALECTS is a promise: each measure compiles for each dialect and reads the table by its name."""
    src = nks.mrr_table(duckdb_file, "revenue_by_month")
    more = [("cohort_table", dict(period="Q", baseline="month1")), ("top_movers", dict(n=5))]
    for func, params in [*ROUND_TRIP, *more]:
        text = nks.to_sql(getattr(nks, func)(src, **params), dialect=dialect)
        assert "revenue_by_month" in text
        if dialect in ("postgres", "snowflake", "bigquery", "duckdb"):
            tree = sqlglot.parse_one(text, read=dialect)
            assert "revenue_by_month" in {t.name for t in tree.find_all(sqlglot.exp.Table)}
    src.expr.get_backend().disconnect()


def test_to_sql_unknown_dialect_is_one_line():
    src = db_table(dataset("tiny"), "duckdb")
    with pytest.raises(DataError) as err:
        nks.to_sql(nks.bridge(src), dialect="nosuchsql")
    msg = str(err.value)
    assert "\n" not in msg and "'nosuchsql'" in msg and "dialects: duckdb, snowflake" in msg


@pytest.mark.parametrize("backend", BACKENDS)
def test_missing_column_suggests_the_close_one(backend):
    refused(BASE.rename(columns={"customer_id": "cust_id"}), backend, f"table 'mrr' in the {backend} connection",
            "no column 'customer_id' for customer_id", "(columns: cust_id, month, mrr, segment)",
            "did you mean 'cust_id'?", "customer='...'", "--customer-col")


@pytest.mark.parametrize("backend", BACKENDS)
def test_month_column_of_integers(backend):
    refused(BASE.assign(month=[202401, 202401, 202402]), backend, "table 'mrr'", "column 'month'",
            "holds int64 values, not months", "text such as 2024-01", "month='...'")


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("value", ["2024-13", "Jan 2024", "2024-1", "24-01"])
def test_text_that_is_not_a_month(backend, value):
    refused(BASE.assign(month=["2024-01", value, "2024-02"]), backend, "table 'mrr'", "column 'month'",
            f"value '{value}' (customer 'b') is not a month", "text such as 2024-01 or 2024-01-31")


@pytest.mark.parametrize("backend", BACKENDS)
def test_empty_month(backend):
    msg = refused(BASE.assign(month=["2024-01", None, "2024-02"]), backend, "table 'mrr'", "column 'month'",
                  "the row of customer 'b' has no month", "fill in the month", "text such as 2024-01")
    assert "nan" not in msg.lower() and "None" not in msg  # an empty cell has no value to quote


@pytest.mark.parametrize("backend", BACKENDS)
def test_negative_mrr(backend):
    refused(BASE.assign(mrr=[10.0, -5.0, -3.0]), backend, "table 'mrr'", "column 'mrr'",
            "value '-5.0' (customer 'b') is negative (and 1 more row like it)", "MRR cannot be below 0")


@pytest.mark.parametrize("backend", BACKENDS)
def test_empty_mrr(backend):
    refused(BASE.assign(mrr=[10.0, None, 3.0]), backend, "table 'mrr'", "column 'mrr'",
            "the row of customer 'b' is empty", "write 0 if the customer paid nothing that month")


@pytest.mark.parametrize("backend", BACKENDS)
def test_text_mrr_column(backend):
    refused(BASE.assign(mrr=["10", "20", "30"]), backend, "table 'mrr'", "column 'mrr'",
            "holds string values, not numbers", "CAST(mrr AS DOUBLE)", "mrr='...'")


@pytest.mark.parametrize("backend", BACKENDS)
def test_blank_customer_id(backend):
    refused(BASE.assign(customer_id=["a", "  ", None]), backend, "table 'mrr'", "column 'customer_id'",
            "a row of month '2024-01' has no customer id (and 1 more row like it)", "fill it in or delete the row")


@pytest.mark.parametrize("backend", BACKENDS)
def test_rows_after_as_of(backend):
    refused(BASE, backend, "table 'mrr'", "column 'month'", "value '2024-02' (customer 'b') is after as_of 2024-01",
            "remove the later rows or move as_of", as_of="2024-01")


@pytest.mark.parametrize("backend", BACKENDS)
def test_empty_table(backend):
    refused(BASE.iloc[:0], backend, "table 'mrr'", "the table is empty")


@pytest.mark.parametrize("backend", BACKENDS)
def test_no_such_table_suggests_one(backend):
    con = connect(backend)
    con.create_table("mrr", BASE)
    with pytest.raises(DataError) as err:
        nks.mrr_table(con, "mrrr")
    msg = str(err.value)
    assert "\n" not in msg
    assert f"the {backend} connection: no table 'mrrr'; did you mean 'mrr'? (tables: mrr)" in msg
    assert nks.mrr_table(con, "mrr").rows == 3  # the connection still works after the refusal
    assert nks.mrr_table(con).name == f"table 'mrr' in the {backend} connection"  # its one table
    con.create_table("other", BASE)
    with pytest.raises(DataError) as err:
        nks.mrr_table(con)
    assert str(err.value) == (f"the {backend} connection: name the table to read with table='...' (CLI: --table) "
                              f"(tables: mrr, other)")


def test_paths_that_cannot_be_read(tmp_path):
    with pytest.raises(DataError, match=r"^none\.duckdb: no such file \(.*none\.duckdb\); check the path$"):
        nks.mrr_table(tmp_path / "none.duckdb", "mrr")
    (tmp_path / "book.xlsx").write_bytes(b"PK")
    with pytest.raises(DataError) as err:
        nks.mrr_table(tmp_path / "book.xlsx", "mrr")
    assert str(err.value) == ("book.xlsx: unknown database type '.xlsx'; use a .duckdb or .sqlite file, "
                              "a .parquet or .csv file, or a URL such as postgres://...")
    (tmp_path / "notes.db").write_text("not a database\n")  # neither header: opened as DuckDB, which refuses
    with pytest.raises(DataError, match=r"^notes\.db: cannot open it as a DuckDB database \(.*not a valid DuckDB"):
        nks.mrr_table(tmp_path / "notes.db", "mrr")
    with pytest.raises(DataError, match=r"^as_of 'soon' is not a month; give it as 'YYYY-MM'$"):
        nks.mrr_table(_tiny_duckdb(tmp_path), as_of="soon")


def _tiny_duckdb(folder):
    path = folder / "tiny.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE mrr AS SELECT 'A' AS customer_id, '2024-01' AS month, 10.0 AS mrr")
    con.close()
    return path


@pytest.mark.parametrize("backend", BACKENDS)
def test_bad_arguments_of_the_measures(backend):
    src = db_table(BASE, backend, plain=True)
    cases = [
        (lambda: nks.retention(src, window=0), "window must be a whole number of months >= 1, not 0"),
        (lambda: nks.retention(src, window=1.5), "window must be a whole number of months >= 1, not 1.5"),
        (lambda: nks.bridge(src, reactivation_window=-1),
         "reactivation_window must be a whole number of months >= 0, not -1"),
        (lambda: nks.bridge(src, by="region"),
         f"table 'mrr' in the {backend} connection: no attribute column 'region' to segment by (attributes: segment)"),
        (lambda: nks.retention(src, by="plan"), "no attribute column 'plan' to segment by (attributes: segment)"),
        (lambda: nks.movements(src, by="mrr"), "cannot segment by 'mrr'"),
        (lambda: nks.retention(src, method="lazy"),
         "nrrkit.sql computes method 'cohort' or 'survivors', not 'lazy'; the other methods run in pandas: "
         "nrrkit.retention(..., method='lazy')"),
        (lambda: nks.bridge(src, freq="W"), "freq must be 'M', 'Q' or 'Y', not 'W'"),
        (lambda: nks.cohort_table(src, metric="arr"), "metric must be one of revenue, logos, mrr, not 'arr'"),
        (lambda: nks.cohort_table(src, baseline="month2"), "baseline must be 'month0' or 'month1', not 'month2'"),
    ]
    for call, text in cases:
        with pytest.raises(DataError) as err:
            call()
        assert text in str(err.value) and "\n" not in str(err.value), (text, str(err.value))


# --------------------------------------------------------------------------- 7. sources

MOVES = ("movements", dict(by="segment"))


def _check_source(source, want_name: str, **kw):
    src = nks.mrr_table(source, **kw)
    assert src.name == want_name
    assert_same(run_sql(src, *MOVES), pandas_result("tiny", *MOVES))
    return src


def test_parquet_and_csv_read_in_place(tmp_path):
    plain = plain_table(dataset("tiny"))
    plain.to_parquet(tmp_path / "tiny.parquet")
    plain.to_csv(tmp_path / "tiny.csv", index=False)
    _check_source(tmp_path / "tiny.parquet", "tiny.parquet")
    _check_source(str(tmp_path / "tiny.csv"), "tiny.csv")
    # a file (or a folder of Parquet files, as Spark writes them) named as the table of a connection:
    # read by that connection's engine
    (tmp_path / "parts").mkdir()
    plain.to_parquet(tmp_path / "parts" / "part-0.parquet")
    con = ibis.duckdb.connect()
    _check_source(con, "tiny.csv", table=str(tmp_path / "tiny.csv"))
    _check_source(con, "parts", table=f"{tmp_path / 'parts'}/")
    assert nks.mrr_table(con, str(tmp_path / "tiny.parquet")).rows == len(plain)


def test_database_files_with_table(tmp_path):
    plain = plain_table(dataset("tiny"))  # noqa: F841 - read by DuckDB's replacement scan below
    con = duckdb.connect(str(tmp_path / "co.duckdb"))
    con.execute("CREATE TABLE other AS SELECT 1 AS x; CREATE TABLE mrr AS SELECT * FROM plain")
    con.close()
    lite = sqlite3.connect(tmp_path / "co.sqlite")
    plain_table(dataset("tiny")).to_sql("mrr", lite, index=False)
    lite.close()
    d = _check_source(tmp_path / "co.duckdb", "table 'mrr' in co.duckdb", table="mrr")
    d.expr.get_backend().disconnect()
    _check_source(str(tmp_path / "co.sqlite"), "table 'mrr' in co.sqlite", table="mrr")
    with pytest.raises(DataError, match=r"^co\.duckdb: name the table to read with table='\.\.\.' "
                                        r"\(CLI: --table\) \(tables: mrr, other\)$"):
        nks.mrr_table(tmp_path / "co.duckdb")


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_ibis_table_expression(backend):
    con = connect(backend)
    con.create_table("mrr", plain_table(dataset("tiny")))
    _check_source(con.table("mrr"), "table 'mrr'")
    # any expression: here the Enterprise customers only, against the pandas engine on the same rows
    ent = con.table("mrr").filter(lambda t: t.segment == "Enterprise")
    src = nks.mrr_table(ent)
    tiny = dataset("tiny")
    want = nk.through(tiny[tiny.segment == "Enterprise"].reset_index(drop=True), "2024-04")
    assert_same(nks.to_pandas(nks.bridge(src)), nk.bridge(want))


def _months_as(kind: str, months: pd.Series):
    text = months.astype(str)
    if kind == "date":
        return [dt.date(int(s[:4]), int(s[5:7]), 1) for s in text]
    if kind == "timestamp":
        return pd.to_datetime(text + "-15 13:45:00")
    if kind == "padded":
        return (" " + text + " ").tolist()  # text with white space around it
    return (text + "-28").tolist()  # text 'YYYY-MM-DD'


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(("kind", "dtype"), [("date", "date"), ("timestamp", "timestamp"), ("text", "string"),
                                             ("padded", "string")])
def test_month_column_types(backend, kind, dtype):
    plain = plain_table(dataset("tiny"))
    plain["month"] = _months_as(kind, plain["month"])
    con = connect(backend)
    con.create_table("mrr", plain)
    assert str(con.table("mrr").schema()["month"]).startswith(dtype)
    _check_source(con, f"table 'mrr' in the {backend} connection", table="mrr")
