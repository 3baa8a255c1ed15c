"""nrrkit.sql on a real PostgreSQL server: the same figures as the pandas engine, and the SQL that
``to_sql(..., dialect="postgres")`` prints runs in Postgres as printed.

Postgres is stricter than DuckDB and SQLite (no boolean-to-integer casts, typed NULLs, integer
division), so it catches SQL the two embedded engines forgive.  The test starts a throwaway
server of Debian's ``postgresql`` package (installed by ``.ci/run``) on a Unix socket in a
temporary folder; as root it runs the server as ``nobody`` (Postgres refuses to run as root).
Without the server binaries (a laptop without Postgres) the module is skipped, saying why.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from .ports import free_port

ibis = pytest.importorskip("ibis")
pytest.importorskip("psycopg")

import nrrkit as nk  # noqa: E402
import nrrkit.sql as nks  # noqa: E402
from nrrkit.tables import plain_table  # noqa: E402


def _bin(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name)


INITDB, PG_CTL = _bin("initdb"), _bin("pg_ctl")
pytestmark = pytest.mark.skipif(INITDB is None or PG_CTL is None,
                                reason="PostgreSQL server binaries not installed (Debian: apt-get install postgresql)")


@pytest.fixture(scope="module")
def pg():
    """A Postgres server on a Unix socket, with the sample company in table ``mrr``; yields an Ibis connection."""
    import tempfile

    # not under pytest's tmp_path: its folders are private to the user running pytest, and the
    # server may run as another user
    root = Path(tempfile.mkdtemp(prefix="nrrkit-pg-"))
    data, sock = root / "data", root / "sock"
    sock.mkdir()
    as_user: list[str] = []
    user = None
    if os.geteuid() == 0:  # Postgres will not run as root
        user = "nobody"
        as_user = ["runuser", "-u", user, "--"]
        for d in (root, sock):
            shutil.chown(d, user=user)
    else:
        import getpass

        user = getpass.getuser()
    env = {**os.environ, "LC_ALL": "C"}
    subprocess.run([*as_user, INITDB, "-D", str(data), "-A", "trust", "-U", user, "-E", "UTF8", "--no-sync"], check=True,
                   capture_output=True, env=env, timeout=120)
    port = free_port()
    opts = f"-c listen_addresses='' -k {sock} -p {port} -c fsync=off -c full_page_writes=off"
    subprocess.run([*as_user, PG_CTL, "-D", str(data), "-o", opts, "-l", str(root / "log"), "-w", "-t", "60",
                    "start"], check=True, capture_output=True, env=env, timeout=120)
    try:
        con = ibis.postgres.connect(host=str(sock), port=port, user=user, database="postgres")
        con.create_table("mrr", plain_table(nk.datasets.load_sample()))
        con.nrrkit_url = f"postgres://{user}@/postgres?host={sock}&port={port}"  # for the CLI test
        yield con
        con.disconnect()
    finally:
        subprocess.run([*as_user, PG_CTL, "-D", str(data), "-m", "immediate", "stop"], capture_output=True,
                       env=env, timeout=60)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def src(pg):
    return nks.mrr_table(pg, "mrr")


SAMPLE = nk.datasets.load_sample()


def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True), rtol=1e-12, atol=1e-9)


@pytest.mark.parametrize("by", [None, "segment"])
def test_retention_in_postgres_equals_pandas(src, by):
    got = nks.to_pandas(nks.retention(src, window=12, by=by))
    _same(got, nk.retention(SAMPLE, window=12, by=by))
    if by is None:  # the headline of the sample: 2024-12 -> 2025-12, NRR = end / start of the base cohort
        last = got.iloc[-1]
        assert f"{last['month']:%Y-%m}" == "2025-12"
        assert last["nrr"] == pytest.approx(last["end_mrr"] / last["start_mrr"], rel=1e-12)


@pytest.mark.parametrize("freq, by", [("M", None), ("Q", "segment"), ("Y", None)])
def test_bridge_in_postgres_equals_pandas(src, freq, by):
    _same(nks.to_pandas(nks.bridge(src, freq=freq, by=by, reactivation_window=2)),
          nk.bridge(SAMPLE, freq=freq, by=by, reactivation_window=2))


def test_movements_cohorts_and_movers_in_postgres(src):
    _same(nks.to_pandas(nks.movements(src, by="segment")), nk.movements(SAMPLE, by="segment"))
    for period in ("M", "Q"):
        pd.testing.assert_frame_equal(nks.to_pandas(nks.cohort_table(src, period=period)),
                                      nk.cohort_table(SAMPLE, period=period), rtol=1e-12)
    got = nks.to_pandas(nks.top_movers(src, 5))
    want = nk.top_movers(SAMPLE, 5)
    _same(got.drop(columns="movement"), want.drop(columns="movement"))
    assert got["movement"].astype(str).tolist() == want["movement"].astype(str).tolist()


def test_postgres_sql_text_runs_as_printed(pg, src):
    """The text of to_sql(..., "postgres"), sent to the server as is, gives nrrkit's figures."""
    for expr in (nks.retention(src, window=12, by="segment"), nks.bridge(src, freq="Q")):
        text = nks.to_sql(expr, dialect="postgres")
        assert 'FROM "mrr"' in text
        cur = pg.raw_sql(text)
        rows = cur.fetchall()
        names = [d[0] for d in cur.description]
        got = pd.DataFrame(rows, columns=names)
        want = nks.to_pandas(expr, keep_text=True)
        assert list(got.columns) == list(want.columns)
        for c in want.columns:
            if pd.api.types.is_float_dtype(want[c]):
                assert got[c].astype(float).to_numpy() == pytest.approx(want[c].to_numpy(), rel=1e-12, nan_ok=True)
            else:
                assert got[c].astype(str).tolist() == want[c].astype(str).tolist()


def test_postgres_bad_input_is_one_line(pg):
    bad = pd.DataFrame({"customer_id": ["a", "b"], "month": ["2024-01", "Jan 2024"], "mrr": [10.0, 5.0]})
    pg.create_table("bad_month", bad, overwrite=True)
    with pytest.raises(nk.DataError) as err:
        nks.mrr_table(pg, "bad_month")
    msg = str(err.value)
    assert "\n" not in msg
    assert "column 'month': value 'Jan 2024' (customer 'b') is not a month" in msg



def test_cli_db_url_gives_the_file_route_figures(pg, tmp_path):
    """nrrkit metrics --db postgres://... --table mrr prints what the file route prints (but the card's note)."""
    import sys

    sample = tmp_path / "sample.csv"
    plain_table(SAMPLE).to_csv(sample, index=False)

    def run(*args):
        r = subprocess.run([sys.executable, "-m", "nrrkit", "metrics", *args, "--by", "segment", "-q"],
                           capture_output=True, text=True, timeout=300)
        assert r.returncode == 0, r.stderr
        return [ln for ln in r.stdout.splitlines() if "computed in the database" not in ln]

    assert run("--db", pg.nrrkit_url, "--table", "mrr") == run(str(sample))
