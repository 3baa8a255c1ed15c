"""A retention study computed in the database: the tables of :func:`nrrkit.tables.study`."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .accounts import top_movers
from .measures import bridge, cohort_table, retention
from .results import to_pandas
from .source import as_source

__all__ = ["study", "cohorts_long", "retention_total"]

TOTAL = "Total"


def cohorts_long(data, *, period: str = "Q") -> pd.DataFrame:
    """Cohorts by age as one tidy table, as :func:`nrrkit.tables.cohorts_long`: ``cohort, age,
    customers, paying, start_mrr, mrr, revenue_retention, logo_retention``."""
    src = as_source(data)
    rows = to_pandas(cohort_table(src, metric="mrr", period=period), keep_text=True)
    rows = rows[rows["age"].notna()].reset_index(drop=True)  # cohorts with no complete period have no cells
    from .results import period_column

    out = pd.DataFrame({
        "cohort": period_column(rows["cohort"]).to_numpy(),
        "age": rows["age"].astype("int64").to_numpy(),
        "customers": rows["cohort_size"].astype("int64").to_numpy(),
        "paying": rows["customers"].astype("int64").to_numpy(),
        "start_mrr": rows["cohort_start_mrr"].astype("float64").to_numpy(),
        "mrr": rows["mrr"].astype("float64").to_numpy(),
    })
    with np.errstate(divide="ignore", invalid="ignore"):
        out["revenue_retention"] = out["mrr"] / out["start_mrr"]
        out["logo_retention"] = out["paying"] / out["customers"]
    if str(period).upper() != "M":  # a quarter or year: its label next to its first day
        out.insert(1, "cohort_label", rows["cohort"].astype("str").to_numpy())
    out.attrs = {"period": str(period).upper()}
    return out


def retention_total(data, *, window: int = 12, by: str | None = None, method: str = "cohort") -> pd.DataFrame:
    """:func:`nrrkit.retention` with ``total=True``, computed in the database.

    With ``by``: the rows per segment and, for every end month, a ``Total`` row that is the
    figure over all base customers (a second query, never an average of the segments).
    Without ``by``: the plain result.
    """
    from ..errors import DataError
    from ..retention import retention_card

    src = as_source(data)
    r = to_pandas(retention(src, window=window, by=by, method=method))
    if by is None:
        return r
    if (r[by] == TOTAL).any():
        raise DataError(f"'{by}' has a segment called {TOTAL!r}; rename it before asking for the Total rows")
    whole = to_pandas(retention(src, window=window, method=method)).assign(**{by: TOTAL})
    card = r.attrs.get("definition")
    r = pd.concat([r, whole[r.columns]], ignore_index=True).sort_values("month", kind="stable").reset_index(drop=True)
    first, _ = src.horizon
    total_card = retention_card(r, first=first, months=src.months, window=window, method=method, by=by, total=True)
    total_card.notes = [*total_card.notes, *[n for n in (card.notes if card else []) if n not in total_card.notes]]
    r.attrs["definition"] = total_card
    return r


def load_report_table(src) -> pd.DataFrame:
    first, last = src.horizon
    items = [
        ("source", src.name), ("computed_in", "the database (nrrkit.sql through Ibis)"),
        ("rows", src.rows), ("customers", src.customers), ("first_month", first), ("last_month", last),
        ("months", src.months), ("rows_summed", src.rows - src.customer_months),
    ]
    return pd.DataFrame({"item": [k for k, _ in items], "value": [str(v) for _, v in items]}).astype("str")


def study(data, *, by: str | None = None, window: int = 12, movers: int = 10,
          cohort_period: str = "Q", progress: bool | None = None) -> dict[str, pd.DataFrame]:
    """The tables of :func:`nrrkit.tables.study`, each computed in the database.

    ``bridge_monthly``, ``bridge_quarterly``, ``retention`` (with ``Total`` rows when ``by``
    is given), ``retention_quarterly``, ``cohorts``, ``segments`` (with ``by``), ``movers``
    and ``load_report``; only results come back into Python.  ``progress``: a bar on standard
    error naming each query while it runs (None, the default: on a terminal, after 2 seconds).
    """
    import sys

    from tqdm.auto import tqdm

    from ..retention import period_ends
    from ..segments import segment_summary_of

    src = as_source(data)
    steps = ["retention", "monthly bridge",
             "quarterly bridge", "cohorts", "movers"]
    bar = tqdm(total=len(steps), desc="computing in the database", unit="query", delay=2.0, file=sys.stderr,
               disable=None if progress is None else not progress, leave=False,
               bar_format="{desc}: {bar} {n}/{total} {postfix}")

    def run(name: str, make):
        bar.set_postfix_str(name, refresh=False)
        result = make()
        bar.update(1)
        return result

    try:
        r = run("retention" if by is None else "retention by segment, and the Total rows",
                lambda: retention_total(src, window=window, by=by))
        out: dict[str, pd.DataFrame] = {
            "bridge_monthly": run("monthly bridge", lambda: to_pandas(bridge(src))),
            "bridge_quarterly": run("quarterly bridge", lambda: to_pandas(bridge(src, freq="Q"))),
            "retention": r,
            "retention_quarterly": period_ends(r, "Q"),
            "cohorts": run("cohorts", lambda: cohorts_long(src, period=cohort_period)),
        }
        fits = len(r) > 0 and r["customers_start"].sum() > 0
        if by is not None and fits:
            out["segments"] = segment_summary_of(r)
        if fits:
            out["movers"] = run("movers", lambda: to_pandas(top_movers(src, movers, window=window)))
    finally:
        bar.close()
    out["load_report"] = load_report_table(src)
    return out
