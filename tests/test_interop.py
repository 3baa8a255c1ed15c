"""Results that go anywhere: every public result of both engines, read by the tools an analyst uses.

For every table nrrkit returns (the pandas functions, and :mod:`nrrkit.sql` on DuckDB through
``to_pandas``), months, quarters and years are dates (the period's first day, ``datetime64[ns]``),
so with no conversion:

- ``to_json()`` works and ``to_json(date_format="iso")`` writes ``2024-01-01T00:00:00...``;
- ``to_parquet`` is read back by DuckDB, Polars and pyarrow as DATE or TIMESTAMP (never BIGINT),
  and so are nrrkit's own Parquet files (``write_tables``, DATE columns);
- ``duckdb.sql("select ... from df")`` and ``polars.from_pandas(df)`` see dates;
- ``to_excel`` writes date cells that openpyxl reads back as datetimes;
- matplotlib's ``ax.plot(df.month, df.nrr)`` and seaborn's ``lineplot(x="month")`` draw a dated axis;
- ``write_tables``/``read_table`` round trips (CSV, JSON, Parquet) give back the same table.

A result with a meaningful index (a cohort table, the layer cake) carries its dates in the index:
``to_json``, ``to_parquet`` and ``to_excel`` take it as it is; DuckDB, Polars and seaborn, which read
columns, get ``df.reset_index()``, the usual pandas step.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import nrrkit as nk  # noqa: E402
from nrrkit.levers import what_if  # noqa: E402
from nrrkit.tables import cohorts_long  # noqa: E402

DATE_NAMES = {"month", "base_month", "period", "cohort"}
NO_DATES = {"cohort_curve", "concentration", "mix_shift", "dashboard"}  # ages, removals, segments, metrics


def _pandas_results() -> dict:
    tiny = nk.datasets.load_tiny()
    sample = nk.datasets.load_sample()
    cut = nk.through(sample, "2025-11")  # a partial last quarter
    return {
        "read_mrr": tiny,
        "movements": nk.movements(tiny, by="segment"),
        "bridge_m": nk.bridge(tiny),
        "bridge_q": nk.bridge(tiny, freq="Q"),
        "bridge_y_by": nk.bridge(tiny, freq="Y", by="segment"),
        "retention": nk.retention(tiny, window=1),
        "retention_q_partial": nk.retention(cut, window=12, at="Q"),
        "retention_by_total": nk.retention(tiny, window=1, by="segment", total=True),
        "compare_methods": nk.compare_methods(sample),
        "cohort_table_m": nk.cohort_table(tiny),
        "cohort_table_q": nk.cohort_table(sample, period="Q", metric="logos"),
        "cohort_curve": nk.cohort_curve(tiny),
        "cohort_milestones": nk.cohort_milestones(sample),
        "cohorts_long": cohorts_long(tiny),
        "layer_cake": nk.layer_cake(sample),
        "accounts": nk.accounts(tiny, window=3),
        "top_movers": nk.top_movers(tiny, 2, window=3),
        "concentration": nk.concentration(sample),
        "segment_summary": nk.segment_summary(sample, "segment"),
        "mix_shift": nk.mix_shift(sample, "segment"),
        "signals": nk.signals(sample),
        "dashboard": nk.dashboard(sample),
        "what_if": what_if(sample, churn=-0.2, by="segment"),
    }


def _sql_results() -> dict:
    pytest.importorskip("ibis")
    import ibis

    import nrrkit.sql as nks

    db = ibis.duckdb.connect()
    t = nks.mrr_table(db.create_table("tiny", nk.plain_table(nk.datasets.load_tiny())))
    return {
        "sql_bridge_m": nks.to_pandas(nks.bridge(t)),
        "sql_bridge_q": nks.to_pandas(nks.bridge(t, freq="Q")),
        "sql_bridge_y_by": nks.to_pandas(nks.bridge(t, freq="Y", by="segment")),
        "sql_retention": nks.to_pandas(nks.retention(t, window=1)),
        "sql_retention_q_total": nks.to_pandas(nks.retention(t, window=1, at="Q", by="segment", total=True)),
        "sql_movements": nks.to_pandas(nks.movements(t)),
        "sql_cohort_table_m": nks.to_pandas(nks.cohort_table(t)),
        "sql_cohort_table_q": nks.to_pandas(nks.cohort_table(t, period="Q")),
        "sql_cohorts_long": nks.cohorts_long(t),
        "sql_accounts": nks.to_pandas(nks.accounts(t, window=3)),
        "sql_top_movers": nks.to_pandas(nks.top_movers(t, 2, window=3)),
    }


_CACHE: dict = {}


def _results() -> dict:
    if not _CACHE:
        _CACHE.update(_pandas_results())
        try:
            _CACHE.update(_sql_results())
        except pytest.skip.Exception:  # pragma: no cover - without the sql extra
            pass
    return _CACHE


PANDAS_NAMES = [
    "read_mrr", "movements", "bridge_m", "bridge_q", "bridge_y_by", "retention", "retention_q_partial",
    "retention_by_total", "compare_methods", "cohort_table_m", "cohort_table_q", "cohort_curve",
    "cohort_milestones", "cohorts_long", "layer_cake", "accounts", "top_movers", "concentration",
    "segment_summary", "mix_shift", "signals", "dashboard", "what_if",
]
SQL_NAMES = ["sql_bridge_m", "sql_bridge_q", "sql_bridge_y_by", "sql_retention", "sql_retention_q_total",
             "sql_movements", "sql_cohort_table_m", "sql_cohort_table_q", "sql_cohorts_long", "sql_accounts",
             "sql_top_movers"]
ALL = PANDAS_NAMES + SQL_NAMES


def _get(name: str) -> pd.DataFrame:
    results = _results()
    if name not in results:
        pytest.skip("nrrkit.sql needs the sql extra")
    return results[name]


def _date_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if pd.api.types.is_datetime64_dtype(frame[c].dtype)]


def _columns_view(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame as column-reading tools see it: a meaningful index becomes columns."""
    if isinstance(frame.index, pd.DatetimeIndex) or frame.index.name is not None:
        return frame.reset_index()
    return frame


# --------------------------------------------------------------------------- the dtype itself


def test_the_matrix_covers_both_engines():
    names = set(_results())
    assert set(PANDAS_NAMES) <= names
    if "sql_bridge_m" in names:
        assert set(SQL_NAMES) <= names


@pytest.mark.parametrize("name", ALL)
def test_months_are_first_days_and_nothing_is_a_period(name):
    frame = _get(name)
    view = _columns_view(frame)
    for c in view.columns:
        col = view[c]
        assert not isinstance(col.dtype, pd.PeriodDtype), (name, c)
        if col.dtype == object:
            assert not any(isinstance(v, (pd.Period, pd.Timestamp, dt.date)) for v in col), (name, c)
        if c in DATE_NAMES:
            assert col.dtype == "datetime64[ns]", (name, c, col.dtype)
            values = col.dropna()
            assert ((values.dt.day == 1) & (values.dt.normalize() == values)).all(), (name, c)
    if "period_label" in view.columns:  # quarters and years: the first day and its label agree
        for first, text in zip(view["period"], view["period_label"]):
            quarter = f"{first.year}-Q{(first.month - 1) // 3 + 1}"
            assert text in (quarter, str(first.year)) and first.month in (1, 4, 7, 10), (name, text, first)
    if name not in NO_DATES:
        assert _date_columns(view), f"{name} has no date column"


def test_a_quarter_is_its_first_day_with_its_label():
    b = _get("bridge_q")
    # the tiny company runs 2024-01 .. 2024-04: Q1 (complete) and Q2 (April only)
    assert b["period"].tolist() == [pd.Timestamp("2024-01-01"), pd.Timestamp("2024-04-01")]
    assert b["period_label"].tolist() == ["2024-Q1", "2024-Q2"] and b["complete"].tolist() == [True, False]
    y = _get("bridge_y_by")
    assert set(y["period"]) == {pd.Timestamp("2024-01-01")} and set(y["period_label"]) == {"2024"}


# --------------------------------------------------------------------------- JSON


@pytest.mark.parametrize("name", ALL)
def test_to_json_both_ways(name):
    frame = _get(name)
    with warnings.catch_warnings():  # pandas 3 announces that its default will become ISO dates
        warnings.simplefilter("ignore")
        frame.to_json()  # pandas' default (epoch milliseconds) works
    records = json.loads(_columns_view(frame).to_json(orient="records", date_format="iso"))
    assert len(records) == len(frame)
    for c in _date_columns(_columns_view(frame)):
        for r in records:
            if r[c] is not None:
                assert re.fullmatch(r"\d{4}-\d\d-01T00:00:00(\.000)?(Z)?", r[c]), (name, c, r[c])


# --------------------------------------------------------------------------- Parquet, DuckDB, Polars, Arrow


def _parquet_types(path) -> dict:
    import duckdb
    import polars as pl
    import pyarrow.parquet as pq

    duck = {n: str(t) for n, t in zip(*[duckdb.sql(f"select * from '{path}'").columns,
                                         duckdb.sql(f"select * from '{path}'").types])}
    polars = {n: str(t) for n, t in pl.read_parquet(path).schema.items()}
    arrow = {f.name: str(f.type) for f in pq.read_schema(path)}
    return {"duckdb": duck, "polars": polars, "pyarrow": arrow}


def _assert_dates(types: dict, columns, what: str) -> None:
    for c in columns:
        assert re.match(r"(DATE|TIMESTAMP)", types["duckdb"][c]), (what, "duckdb", c, types["duckdb"][c])
        assert re.match(r"(Date|Datetime)", types["polars"][c]), (what, "polars", c, types["polars"][c])
        assert re.match(r"(date32|timestamp)", types["pyarrow"][c]), (what, "pyarrow", c, types["pyarrow"][c])


@pytest.mark.parametrize("name", ALL)
def test_to_parquet_reads_back_as_dates_everywhere(name, tmp_path):
    frame = _get(name)
    path = tmp_path / "t.parquet"
    frame.to_parquet(path)  # the index too (a cohort table's cohorts)
    types = _parquet_types(path)
    _assert_dates(types, _date_columns(_columns_view(frame)), name)
    # nrrkit's own Parquet (write_tables): DATE columns, and read_table gives the very table back
    nk.write_tables({"t": frame}, tmp_path / "own", format="parquet")
    own = _parquet_types(tmp_path / "own" / "t.parquet")
    _assert_dates(own, _date_columns(_columns_view(frame)), name + " (write_tables)")
    for c in _date_columns(_columns_view(frame)):
        assert own["duckdb"][c] == "DATE" and own["pyarrow"][c] == "date32[day]", (name, c)


@pytest.mark.parametrize("name", ALL)
def test_duckdb_and_polars_on_the_frame(name):
    import duckdb
    import polars as pl

    df = _columns_view(_get(name))
    rel = duckdb.sql("select * from df")
    types = dict(zip(rel.columns, (str(t) for t in rel.types)))
    pl_types = {n: str(t) for n, t in pl.from_pandas(df).schema.items()}
    for c in _date_columns(df):
        assert types[c].startswith(("DATE", "TIMESTAMP")), (name, c, types[c])
        assert pl_types[c].startswith(("Date", "Datetime")), (name, c, pl_types[c])
    if "month" in df.columns and len(df):
        # a date filter reads the month as a date: every row on or after the first month
        first = df["month"].min().date().isoformat()
        got = duckdb.sql(f"select count(*) from df where month >= DATE '{first}'").fetchall()[0][0]
        assert got == len(df)


# --------------------------------------------------------------------------- Excel


@pytest.mark.parametrize("name", ALL)
def test_to_excel_writes_date_cells(name, tmp_path):
    import openpyxl

    frame = _get(name)
    if len(frame) > 2000:  # keep the test fast: the first rows carry every column's type
        frame = frame.head(2000)
    path = tmp_path / "t.xlsx"
    has_index = isinstance(frame.index, pd.DatetimeIndex) or frame.index.name is not None
    frame.to_excel(path, index=has_index)
    ws = openpyxl.load_workbook(path).active
    header = [c.value for c in ws[1]]
    view = _columns_view(frame)
    for c in _date_columns(view):
        j = header.index(c)
        cells = [row[j] for row in ws.iter_rows(min_row=2, max_row=min(ws.max_row, 30))]
        got = [x.value for x in cells if x.value is not None]
        assert got and all(isinstance(v, dt.datetime) for v in got), (name, c, got[:3])
        assert got[0] == view[c].dropna().iloc[0].to_pydatetime()


# --------------------------------------------------------------------------- matplotlib and seaborn


def _x_is_dated(ax) -> bool:
    return isinstance(ax.xaxis.get_major_locator(), mdates.DateLocator) or isinstance(
        ax.xaxis.get_major_formatter(), (mdates.DateFormatter, mdates.AutoDateFormatter, mdates.ConciseDateFormatter))


def _plot_pair(df: pd.DataFrame):
    dates = _date_columns(df)
    numbers = [c for c in df.columns if pd.api.types.is_float_dtype(df[c].dtype)]
    return (dates[0], numbers[0]) if dates and numbers else None


@pytest.mark.parametrize("name", ALL)
def test_matplotlib_plot_has_a_date_axis(name):
    df = _columns_view(_get(name)).head(500)
    pair = _plot_pair(df)
    if pair is None:
        pytest.skip(f"{name} has no date column to plot against")
    x, y = pair
    fig, ax = plt.subplots()
    try:
        ax.plot(df[x], df[y])
        assert _x_is_dated(ax), name
        lo, hi = ax.get_xlim()
        first = df[x].min()
        # the axis is in days since 1970 and holds the first month, not month numbers (665 .. 680)
        assert lo <= mdates.date2num(first) <= hi and hi > 10_000
    finally:
        plt.close(fig)


@pytest.mark.parametrize("name", ALL)
def test_seaborn_lineplot_has_a_date_axis(name):
    sns = pytest.importorskip("seaborn")
    df = _columns_view(_get(name)).head(500)
    pair = _plot_pair(df)
    if pair is None:
        pytest.skip(f"{name} has no date column to plot against")
    x, y = pair
    fig, ax = plt.subplots()
    try:
        sns.lineplot(data=df, x=x, y=y, errorbar=None, ax=ax)
        assert _x_is_dated(ax), name
        assert ax.get_xlim()[1] > 10_000  # days since 1970, not month numbers
    finally:
        plt.close(fig)


# --------------------------------------------------------------------------- nrrkit's own files


@pytest.mark.parametrize("fmt", ["csv", "json", "parquet"])
@pytest.mark.parametrize("name", ALL)
def test_read_table_round_trip(name, fmt, tmp_path):
    frame = _get(name)
    nk.write_tables({"t": frame}, tmp_path, format=fmt)
    back = nk.read_table(tmp_path / f"t.{fmt}")
    pd.testing.assert_frame_equal(back, frame, check_exact=True)
    if fmt == "csv":  # text files carry a date as its month, YYYY-MM
        text = (tmp_path / "t.csv").read_text().splitlines()
        header = text[0].split(",")
        view = _columns_view(frame)
        for c in _date_columns(view):
            if len(view):
                first = text[1].split(",")[header.index(c)]
                assert re.fullmatch(r"\d{4}-\d\d", first), (name, c, first)


def test_a_period_month_table_of_an_older_version_is_still_read():
    tiny = nk.datasets.load_tiny()
    old = tiny.assign(month=tiny["month"].dt.to_period("M"))
    pd.testing.assert_frame_equal(nk.bridge(old), nk.bridge(tiny))
    # and month-end dates (as a warehouse stores them) go through the reader
    ends = tiny.assign(month=tiny["month"] + pd.offsets.MonthEnd(0))
    pd.testing.assert_frame_equal(nk.retention(ends, window=1), nk.retention(tiny, window=1))
    assert nk.read_mrr(ends)["month"].tolist() == tiny["month"].tolist()


@pytest.mark.parametrize("month", ["2024-04", "2024-04-30", pd.Period("2024-04", "M"), pd.Timestamp("2024-04-15"),
                                   dt.date(2024, 4, 1), np.datetime64("2024-04-01")])
def test_month_keywords_take_text_periods_and_dates(month):
    tiny = nk.datasets.load_tiny()
    # April, window 3: base January {A100, B200, C50, F80} = 430 -> A150 + C80 = 230
    acc = nk.accounts(tiny, window=3, month=month)
    assert acc["start_mrr"].sum() == 430 and acc["end_mrr"].sum() == 230
    assert (acc["month"] == pd.Timestamp("2024-04-01")).all()
    rows = nk.segment_summary(tiny, "segment", window=3, month=month)
    assert rows["month"].iloc[-1] == pd.Timestamp("2024-04-01") and rows["end_mrr"].iloc[-1] == 230
    assert nk.horizon(nk.through(tiny, month))[1] == pd.Timestamp("2024-04-01")


# --------------------------------------------------------------------------- percent ticks


@pytest.mark.parametrize("value,text", [(0.875, "87.5%"), (0.925, "92.5%"), (0.975, "97.5%"), (0.9, "90%"),
                                        (1.0, "100%"), (0.0, "0%"), (1.05, "105%"), (1.2345, "123.45%"),
                                        (-0.025, "-2.5%")])
def test_percent_ticks_say_the_gridline_value(value, text):
    assert nk.plot.style.percent_tick(value) == text


@pytest.mark.parametrize("ylim", [(0.86, 0.99), (0.8625, 0.9875), (0.9, 1.3), (0.99, 1.01), (0.5, 1.5)])
def test_percent_axis_labels_equal_their_gridlines(ylim):
    tiny = nk.datasets.load_tiny()
    fig, ax = plt.subplots()
    try:
        nk.plot.nrr_trend(nk.retention(tiny, window=1), ax=ax)
        ax.set_ylim(*ylim)
        fig.canvas.draw()
        for tick, label in zip(ax.get_yticks(), ax.get_yticklabels()):
            if ylim[0] <= tick <= ylim[1]:
                assert float(label.get_text().rstrip("%")) / 100 == pytest.approx(tick, abs=1e-12), label.get_text()
    finally:
        plt.close(fig)


def test_the_results_guide_runs_as_written(tmp_path, monkeypatch):
    """The Python blocks of docs/guide/results.md, run in order in an empty folder."""
    from pathlib import Path

    text = (Path(__file__).resolve().parents[1] / "docs" / "guide" / "results.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert len(blocks) >= 6
    monkeypatch.chdir(tmp_path)
    scope: dict = {}
    try:
        for block in blocks:
            exec(compile(block, "results.md", "exec"), scope)  # noqa: S102 - the guide's own examples
        assert scope["r"]["month"].dtype == "datetime64[ns]"
        assert json.loads(scope["text"])[0]["month"].startswith("2024-01-01T00:00:00")
        assert (tmp_path / "retention.xlsx").exists() and (tmp_path / "cohorts.xlsx").exists()
    finally:
        plt.close("all")


# --------------------------------------------------------------------------- the same keywords in both engines

SQL_TWINS = ("retention", "bridge", "cohort_table", "movements", "accounts", "top_movers")


@pytest.mark.parametrize("func", SQL_TWINS)
def test_every_keyword_of_the_pandas_function_exists_in_nrrkit_sql(func):
    import inspect

    nks = pytest.importorskip("nrrkit.sql")
    pandas_params = inspect.signature(getattr(nk, func)).parameters
    sql_params = inspect.signature(getattr(nks, func)).parameters
    missing = [p for p in list(pandas_params)[1:] if p not in sql_params]
    assert not missing, f"nrrkit.sql.{func} lacks {missing}"
    for p in list(pandas_params)[1:]:  # and with the same defaults
        assert sql_params[p].default == pandas_params[p].default, (func, p)


@pytest.fixture(scope="module")
def sample_in_duckdb():
    ibis = pytest.importorskip("ibis")
    import nrrkit.sql as nks

    sample = nk.datasets.load_sample()
    cut = nk.through(sample, "2025-11")  # the last quarter is partial
    db = ibis.duckdb.connect()
    return cut, nks.mrr_table(db.create_table("mrr", nk.plain_table(cut)))


@pytest.mark.parametrize("kw", [dict(at="Q"), dict(at="Y"), dict(at="Q", by="segment", total=True),
                                dict(by="plan", total=True), dict(window=3, at="Q", method="survivors"),
                                dict(currency_basis="actual")])
def test_sql_retention_takes_at_total_and_currency_basis(sample_in_duckdb, kw):
    import nrrkit.sql as nks

    cut, t = sample_in_duckdb
    got = nks.to_pandas(nks.retention(t, **kw))
    want = nk.retention(cut, **kw)
    pd.testing.assert_frame_equal(got, want, check_exact=False, rtol=1e-12, atol=1e-9)
    assert got.attrs["definition"].end_month == want.attrs["definition"].end_month
    if kw.get("at") == "Q":
        assert got["complete"].tolist()[-1] is False and f"{got['month'].iloc[-1]:%Y-%m}" == "2025-11"


def test_sql_refuses_what_it_does_not_compute_in_one_line(sample_in_duckdb):
    import nrrkit.sql as nks

    _, t = sample_in_duckdb
    for call, words in ((lambda: nks.retention(t, method="lazy"), "the other methods run in pandas"),
                        (lambda: nks.retention(t, total=True), "pass by= too"),
                        (lambda: nks.retention(t, at="W"), "at must be 'M'"),
                        (lambda: nks.retention(t, currency_basis="spot"), "currency_basis must be")):
        with pytest.raises(nk.DataError, match=words) as info:
            call()
        assert "\n" not in str(info.value)


def test_levers_and_scenarios_take_a_database_table(sample_in_duckdb):
    from nrrkit import scenarios

    cut, t = sample_in_duckdb
    pd.testing.assert_frame_equal(what_if(t, churn=-0.2, by="segment"), what_if(cut, churn=-0.2, by="segment"))
    a, b = scenarios.calibrate(t), scenarios.calibrate(cut)
    assert (a.start_arr, a.nrr, a.new_rate) == pytest.approx((b.start_arr, b.nrr, b.new_rate), rel=1e-12)
    pd.testing.assert_frame_equal(nk.retention(t), nk.retention(cut))  # every pandas function does


def test_top_movers_returns_n_per_direction_as_documented():
    tiny = nk.datasets.load_tiny()
    # window 3 (January -> April): gains A +50, C +30; losses B -200, F -80
    one = nk.top_movers(tiny, 1, window=3)
    assert one[["direction", "rank", "customer_id", "change"]].values.tolist() == [["gain", 1, "A", 50.0],
                                                                                   ["loss", 1, "B", -200.0]]
    ten = nk.top_movers(tiny, 10, window=3)  # up to 10 each way: the window has 2 of each
    assert len(ten) == 4 and ten.groupby("direction").size().to_dict() == {"gain": 2, "loss": 2}
    assert "up to ``2 * n`` rows" in nk.top_movers.__doc__.splitlines()[0]
