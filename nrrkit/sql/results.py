"""Leaving the database: results as the pandas engine's tables, and SQL to take away."""

from __future__ import annotations

import weakref

import pandas as pd

from ..errors import DataError

# what each measure was asked for, so that to_pandas can attach the same definition card
# as the pandas engine; keyed by id() (an Ibis expression's == builds an expression)
_MADE: dict[int, tuple] = {}


def remember(expr, kind: str, src, **params):
    """Note how ``expr`` was made (``kind``, its source and keywords); returns ``expr``."""
    key = id(expr)
    _MADE[key] = (kind, src, params)
    weakref.finalize(expr, _MADE.pop, key, None)
    return expr


def card_of(expr, frame: pd.DataFrame):
    """The definition card of a measure's result, or None for an expression nrrkit did not make."""
    made = _MADE.get(id(expr))
    if made is None:
        return None
    kind, src, p = made
    first, _ = src.horizon
    note = f"computed in the database by nrrkit.sql (Ibis) from {src.name}"
    if kind == "retention":
        from ..retention import retention_card

        card = retention_card(frame, first=first, months=src.months, window=p["window"], method=p["method"],
                              by=p["by"], at=p.get("at", "M"), total=p.get("total", False))
    elif kind == "bridge":
        from ..movements import bridge_card

        card = bridge_card(first=first, months=src.months, freq=p["freq"], by=p["by"],
                           reactivation_window=p["reactivation_window"])
    else:
        return None
    card.notes = [*card.notes, note]
    return card

#: Dialects ``to_sql`` is tested or documented for; any dialect Ibis compiles to is accepted.
DIALECTS = ("duckdb", "snowflake", "bigquery", "postgres", "databricks", "trino", "mysql", "sqlite")

_MONTH_COLS = ("month", "base_month")
_RATIOS = ("nrr", "grr", "logo_retention")


def to_sql(expr, dialect: str = "duckdb") -> str:
    """The SQL of a measure, for ``dialect`` (snowflake, bigquery, postgres, duckdb, ...).

    The query reads the source table by its name, so it runs in the warehouse that holds it.
    """
    import ibis

    try:
        return str(ibis.to_sql(expr, dialect=dialect))
    except Exception as exc:
        raise DataError(f"cannot write this query in the {dialect!r} dialect ({str(exc).splitlines()[0][:160]}); "
                        f"dialects: {', '.join(DIALECTS)}") from exc


def label_freq(text: pd.Series) -> str:
    """``M``, ``Q`` or ``Y``: the frequency of the database's labels ('2024-01', '2024-Q1', '2024')."""
    sample = str(text.iloc[0]) if len(text) else "2024-01"
    return "Q" if "-Q" in sample else "Y" if len(sample) == 4 else "M"


def period_column(text: pd.Series) -> pd.Series:
    """'2024-01', '2024-Q1' or '2024' (the database's labels) as the periods' first days (``datetime64[ns]``)."""
    from ..tables import dates_from_text

    return pd.Series(dates_from_text(text.to_numpy(), label_freq(text)), index=text.index)


def to_pandas(expr, *, keep_text: bool = False) -> pd.DataFrame:
    """Run a measure and return the table the pandas function of the same name returns.

    Months and periods become their first days (``datetime64[ns]``; quarters and years also a
    ``period_label`` text column, ``2024-Q1``), counts ``int64``, missing ratios NaN,
    movements a categorical; a :func:`~nrrkit.sql.cohort_table` becomes the wide table
    (cohorts by ages) with ``attrs["size"]`` and ``attrs["start_mrr"]``.
    ``keep_text=True`` leaves months as the database's text (``2024-01``).
    """
    from .connections import quiet

    with quiet():
        frame = expr.to_pandas() if hasattr(expr, "to_pandas") else expr.execute()
    frame = frame.reset_index(drop=True)
    if {"cohort", "age", "value"} <= set(frame.columns) and not keep_text:
        return _cohort_wide(frame)
    for c in frame.columns:
        if c.startswith("customers") or c.endswith("_customers"):
            frame[c] = frame[c].fillna(0).astype("int64")
        elif c in _RATIOS or c in ("start_mrr", "end_mrr", "new", "reactivation", "expansion", "contraction", "churn",
                                   "mrr", "prev_mrr", "change"):
            frame[c] = pd.to_numeric(frame[c], errors="coerce").astype("float64")
        elif c == "complete":
            frame[c] = frame[c].astype(bool)
    if not keep_text:
        if "period" in frame.columns and label_freq(frame["period"]) != "M":
            frame.insert(frame.columns.get_loc("period") + 1, "period_label", frame["period"].astype("str"))
        for c in (*_MONTH_COLS, "period"):
            if c in frame.columns:
                frame[c] = period_column(frame[c])
    if "movement" in frame.columns and "prev_mrr" in frame.columns:
        from ..movements import MOVEMENTS

        frame["movement"] = pd.Categorical(frame["movement"], categories=list(MOVEMENTS))
    for c in frame.columns:
        if frame[c].dtype == object:
            frame[c] = frame[c].astype("str")
    card = card_of(expr, frame) if not keep_text else None
    if card is not None:
        frame.attrs["definition"] = card
    return frame


def _cohort_wide(frame: pd.DataFrame) -> pd.DataFrame:
    from ..cohorts import ByLabel

    if not len(frame):
        return pd.DataFrame(index=pd.DatetimeIndex([], dtype="datetime64[ns]", name="cohort"))
    cells = frame[frame["age"].notna()]
    wide = cells.pivot(index="cohort", columns="age", values="value").astype("float64")
    sizes = frame.drop_duplicates("cohort").set_index("cohort")
    wide = wide.reindex(sorted(sizes.index))  # cohorts with no complete period yet: a row of no cells
    labels = list(wide.index)
    freq = label_freq(pd.Series(labels))
    index = pd.DatetimeIndex(period_column(pd.Series(labels)), name="cohort")
    out = pd.DataFrame(wide.to_numpy(), index=index,
                       columns=pd.Index([int(a) for a in wide.columns], dtype="int64", name="age"))
    out = out.loc[:, out.notna().any(axis=0)]
    out.attrs.update({
        "size": ByLabel(((str(lab), int(sizes.loc[lab, "cohort_size"])) for lab in labels), freq),
        "start_mrr": ByLabel(((str(lab), float(sizes.loc[lab, "cohort_start_mrr"])) for lab in labels), freq),
    })
    return out


