"""The same definitions inside a SQL engine, through Ibis.

Open a table where it lives, build a measure as an Ibis expression, and run it there;
only the result comes back into Python::

    import nrrkit.sql as nks

    t = nks.mrr_table("company.duckdb", "mrr")        # or a Parquet file, a URL, a connection
    expr = nks.retention(t, window=12, by="segment")  # an Ibis expression: nothing has run yet
    frame = nks.to_pandas(expr)                       # the table nrrkit.retention gives
    print(nks.to_sql(expr, dialect="snowflake"))      # SQL to paste into a warehouse

``bridge``, ``retention`` (methods cohort and survivors, any window, ``by=``), ``movements``
and ``cohort_table`` follow docs/definitions.md exactly as the pandas functions of the same
names do; the tests hold the two engines to the cent and the ratios to 1e-12 on DuckDB and
SQLite.  DuckDB is the embedded default (a ``.duckdb`` file, or Parquet and CSV read in
place); any Ibis backend works.
"""

from __future__ import annotations

from .measures import bridge, cohort_table, movements, retention
from .results import DIALECTS, to_pandas, to_sql
from .source import MrrTable, connect, mrr_table

__all__ = ["mrr_table", "MrrTable", "connect", "bridge", "retention", "movements", "cohort_table",
           "to_pandas", "to_sql", "DIALECTS"]
