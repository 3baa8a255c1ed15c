"""Where a table lives: connections (DuckDB, SQLite, any Ibis URL, Spark) and the table in them.

:func:`connect` turns a path or URL into an Ibis connection, :func:`spark` starts (or joins) a
Spark session, and :func:`open_table` finds the table :func:`nrrkit.sql.mrr_table` checks.
"""

from __future__ import annotations

import contextlib
import os
import re
import warnings
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from ..errors import DataError
from ..io.columns import suggest

_DB_SUFFIXES = {".duckdb": "duckdb", ".ddb": "duckdb", ".db": "duckdb", ".sqlite": "sqlite", ".sqlite3": "sqlite"}
_FILE_SUFFIXES = (".parquet", ".pq", ".csv", ".tsv", ".csv.gz")


def load_ibis():
    """Ibis, or a one-line DataError saying how to install it."""
    try:
        import ibis
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise DataError("nrrkit.sql needs Ibis and DuckDB: pip install 'nrrkit[sql]'") from exc
    return ibis



def connect(source: str | os.PathLike, *, read_only: bool = True):
    """An Ibis connection for a path or URL.

    - ``.duckdb`` / ``.ddb`` / ``.db``: a DuckDB database file (opened read-only);
    - ``.sqlite`` / ``.sqlite3``: a SQLite database file;
    - ``.parquet`` / ``.csv``: an in-memory DuckDB that reads the file in place;
    - ``pyspark://[WAREHOUSE][?KEY=VALUE&...]``: a Spark session (:func:`spark`), each
      parameter a Spark property such as ``spark.master=local[4]``;
    - anything else with ``://``: :func:`ibis.connect` (``duckdb://``, ``postgres://``, ``snowflake://`` ...).
    """
    ibis = load_ibis()
    text = str(source)
    if text.lower().startswith("pyspark://"):
        url = urlsplit(text)
        return spark(warehouse=unquote(url.netloc + url.path) or None, **dict(parse_qsl(url.query)))
    if "://" in text:
        try:
            return ibis.connect(text)
        except Exception as exc:
            raise DataError(f"{text}: cannot connect ({first_line(exc)}); check the URL and that the "
                            f"backend is installed (pip install 'ibis-framework[NAME]')") from exc
    path = Path(text)
    if not path.exists():
        raise DataError(f"{path.name}: no such file ({path.resolve()}); check the path")
    suffix = "".join(path.suffixes[-2:]).lower() if path.name.lower().endswith(".csv.gz") else path.suffix.lower()
    kind = _DB_SUFFIXES.get(suffix)
    if kind is not None:
        kind = _sniff(path) or kind  # a .db file may be either: its first bytes say which
    if kind is not None:
        try:
            with quiet():
                if kind == "duckdb":
                    return ibis.duckdb.connect(str(path), read_only=read_only)
                return ibis.sqlite.connect(str(path))
        except Exception as exc:
            raise DataError(f"{path.name}: cannot open it as a {'DuckDB' if kind == 'duckdb' else 'SQLite'} "
                            f"database ({first_line(exc)})") from exc
    if suffix in _FILE_SUFFIXES:
        return ibis.duckdb.connect()
    raise DataError(f"{path.name}: unknown database type '{path.suffix}'; use a .duckdb or .sqlite file, a "
                    f".parquet or .csv file, or a URL such as postgres://...")


def spark(master: str | None = None, *, warehouse: str | None = None, **conf: str):
    """An Ibis connection to a Spark session: the one running, or one started with ``conf``.

    ``master`` is Spark's ``--master`` (``local[*]``, ``local[4]``, ``spark://host:7077``,
    ``yarn`` ...; default: Spark's own, ``local[*]``), ``warehouse`` the folder of Spark's
    catalog of tables (``spark.sql.warehouse.dir``), and every other keyword a Spark property
    (``**{"spark.driver.memory": "8g"}``).  Spark's console progress bars are off unless
    asked for, and its log shows errors only.  To use a session of your own, pass it to
    :func:`mrr_table` (or ``ibis.pyspark.connect(session)``).  Needs ``pip install
    'nrrkit[spark]'`` and Java 17 or later.
    """
    ibis = load_ibis()
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise DataError("Spark needs PySpark and Java 17+: pip install 'nrrkit[spark]'") from exc
    settings = {"spark.ui.showConsoleProgress": "false", **conf}
    if master:
        settings["spark.master"] = master
    if warehouse:
        settings["spark.sql.warehouse.dir"] = str(Path(warehouse).absolute())
    builder = SparkSession.builder.appName("nrrkit")
    for key, value in settings.items():
        builder = builder.config(key, value)
    try:
        session = builder.getOrCreate()
    except Exception as exc:  # no Java, a master that does not answer, a bad property
        raise DataError(f"cannot start Spark ({first_line(exc)}); check that Java 17+ is installed "
                        f"(java -version) and the master URL") from exc
    session.sparkContext.setLogLevel("ERROR")
    return ibis.pyspark.connect(session)


def _backend(source):
    """An Ibis connection for ``source`` when it is a connection already or a Spark session, else None."""
    ibis = load_ibis()
    if isinstance(source, ibis.BaseBackend):
        return source
    kind = type(source)
    if kind.__name__ == "SparkSession" and kind.__module__.startswith("pyspark."):
        return ibis.pyspark.connect(source)  # a session of the user's (classic or Spark Connect)
    return None


@contextlib.contextmanager
def quiet():
    """Silence the deprecation notices Ibis 12 raises against pandas 3 and DuckDB 2 (not the user's to act on)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"ibis\.")
        warnings.filterwarnings("ignore", category=FutureWarning, module=r"ibis\.")
        warnings.filterwarnings("ignore", message=r".*future\.infer_string.*")
        yield


def _sniff(path: Path) -> str | None:
    """'sqlite' or 'duckdb' from a database file's header (None if it is neither, or unreadable)."""
    try:
        with open(path, "rb") as f:
            head = f.read(16)
    except OSError:
        return None
    if head.startswith(b"SQLite format 3\x00"):
        return "sqlite"
    if head[8:12] == b"DUCK":
        return "duckdb"
    return None


def first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]


def open_table(source, table: str | None = None):
    """The Ibis table named ``table`` in ``source`` (a path, URL, connection, Spark session or Ibis table).

    ``table`` may also be the path of a Parquet or CSV file, which the engine of ``source``
    reads in place (Spark reads it on its workers).
    """
    ibis = load_ibis()
    if isinstance(source, ibis.Table):
        return source, _expr_name(source)
    if isinstance(source, (str, os.PathLike)):
        text = str(source)
        path = Path(text)
        if (table is not None and "://" not in str(table) and str(table).lower().endswith(_FILE_SUFFIXES)
                and not Path(table).exists()):
            # before the engine starts (Spark takes seconds): a file's name that is not there
            engine = path.name if "://" not in text else text.split("?")[0]
            raise DataError(f"{table}: no such file; check the path (it is read by {engine})")
        con = connect(source)
        if "://" not in text and (path.suffix.lower() in _FILE_SUFFIXES or text.lower().endswith(".csv.gz")):
            return _read_file(con, path, table or re.sub(r"\W", "_", path.name.split(".")[0]) or "mrr", "")
        where = path.name if "://" not in text else text.split("?")[0]
    else:  # an Ibis connection or a Spark session
        con = _backend(source)
        if con is None:
            raise DataError(f"cannot read a table from {type(source).__name__}: give a path, a URL, an Ibis "
                            f"connection or table, or a Spark session")
        where = f"the {getattr(con, 'name', 'database')} connection"
    if table is not None and _is_data_file(table):  # a Parquet or CSV file, read in place by the engine
        path = Path(table)
        return _read_file(con, path, re.sub(r"\W", "_", path.name.split(".")[0]) or "mrr", f"{where} ")
    if table is None:
        names = _list_tables(con)
        if len(names) == 1:  # one table: that is the one
            with quiet():
                return con.table(names[0]), f"table '{names[0]}' in {where}"
        raise DataError(f"{where}: name the table to read with table='...' (CLI: --table)"
                        f"{_table_list(names) if names else ''}")
    if str(table).lower().endswith(_FILE_SUFFIXES) and not Path(table).exists():
        # a file's name that is not there: say so, rather than "no table" in the database
        raise DataError(f"{table}: no such file; check the path (it is read by {where})")
    try:
        with quiet():
            return con.table(table), f"table '{table}' in {where}"
    except Exception as exc:
        names = _list_tables(con)
        close = suggest(table, names)
        raise DataError(
            f"{where}: no table '{table}'"
            + (f"; did you mean '{close}'?" if close else "")
            + (_table_list(names) if names else " (it has no tables)")
        ) from exc


def _table_list(names: list[str]) -> str:
    """" (tables: a, b, ...)": the first eight names, for an error message."""
    return f" (tables: {', '.join(names[:8])}{', ...' if len(names) > 8 else ''})"


_CSV_SUFFIXES = (".csv", ".tsv", ".csv.gz")


def _read_file(con, path: Path, name: str, who: str):
    """A Parquet or CSV file (or a folder of Parquet files) read in place by the engine of ``con``, as an
    Ibis table and its name."""
    reader = con.read_csv if path.name.lower().endswith(_CSV_SUFFIXES) else con.read_parquet
    try:
        with quiet():
            return reader(str(path), table_name=name), path.name
    except Exception as exc:
        raise DataError(f"{path.name}: {who}cannot read it ({first_line(exc)})") from exc


def _is_data_file(name: str) -> bool:
    """Whether a table name is rather a Parquet or CSV file, or a folder (of Parquet files), that exists."""
    path = Path(name)
    return (path.is_file() and str(name).lower().endswith(_FILE_SUFFIXES)) or ("/" in str(name) and path.is_dir())


def _list_tables(con) -> list[str]:
    try:
        return sorted(con.list_tables())
    except Exception:
        pass
    try:  # Ibis 12's DuckDB list_tables calls a method DuckDB 2 removed; ask the catalog directly
        rows = con.raw_sql("SELECT table_name FROM information_schema.tables").fetchall()
        return sorted({str(r[0]) for r in rows})
    except Exception:  # pragma: no cover - a backend that cannot list
        return []


def _expr_name(t) -> str:
    try:
        return f"table '{t.get_name()}'"
    except Exception:
        return "the table"
