"""The same definitions inside a SQL engine, through Ibis.

Open a table where it lives, build a measure as an Ibis expression, and run it there;
only the result comes back into Python::

    import nrrkit.sql as nks

    t = nks.mrr_table("company.duckdb", "mrr")        # or a Parquet file, a URL, a connection
    expr = nks.retention(t, window=12, by="segment")  # an Ibis expression: nothing has run yet
    frame = nks.to_pandas(expr)                       # the table nrrkit.retention gives
    print(nks.to_sql(expr, dialect="snowflake"))      # SQL to paste into a warehouse

``bridge``, ``retention`` (methods cohort and survivors, any window, ``by=``), ``movements``,
``cohort_table``, ``accounts`` and ``top_movers`` follow docs/definitions.md exactly as the pandas functions of the same
names do; the tests hold the two engines to the cent and the ratios to 1e-12 on DuckDB,
SQLite, PostgreSQL and Spark.  DuckDB is the embedded default (a ``.duckdb`` file, or Parquet
and CSV read in place); any Ibis backend works, and a Spark session is taken as it is
(``nks.mrr_table(spark, "mrr")``, or :func:`spark` to start one).  :func:`study` gives the
tables of ``nrrkit report``.
"""

from __future__ import annotations

try:
    import ibis  # noqa: F401
except ImportError as exc:  # pragma: no cover - depends on the install
    raise ImportError("nrrkit.sql needs Ibis and DuckDB: pip install 'nrrkit[sql]'") from exc

from .accounts import accounts, top_movers
from .connections import connect, spark
from .measures import bridge, cohort_table, movements, retention
from .results import DIALECTS, to_pandas, to_sql
from .source import MrrTable, mrr_table
from .study import cohorts_long, study

__all__ = ["mrr_table", "MrrTable", "connect", "spark", "bridge", "retention", "movements", "cohort_table",
           "accounts", "top_movers", "study", "cohorts_long", "to_pandas", "to_sql", "DIALECTS"]
