"""The annual lever model of NRR (docs/definitions.md, section 5).

Every lever is an annual fraction of starting ARR:

    NRR = 1 - churn - contraction + expansion
    GRR = 1 - churn - contraction

Monthly churn compounds into annual churn, it does not multiply by 12:
``annual_churn(m) = 1 - (1 - m) ** 12`` (3% a month is 30.6% a year, not 36%).

The three reference tables come from [Mitchell 2026] ("Net Revenue
Retention: The Holy Grail Metric", section "The Three Levers of NRR Optimization").
That article rounds annual churn to a whole percent before it computes NRR; the
tables here show the exact figure beside the article's and say where they differ.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from .. import sources
from ..errors import DataError
from ..months import month_start
from ..panel import canonical
from ..retention import rows_at

__all__ = [
    "annual_churn", "monthly_churn", "nrr_from_levers", "grr_from_levers",
    "churn_table", "expansion_table", "contraction_table",
    "sensitivity_grid", "break_even", "tornado", "what_if", "LEVERS",
]

LEVERS = ("churn", "contraction", "expansion")


def _fraction(name: str, value: float) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise DataError(f"{name} must be a number, not {value!r}") from None
    if not (0.0 <= v <= 1.0) or math.isnan(v):
        raise DataError(
            f"{name} is {v:g}; levers are fractions between 0 and 1 (0.05 for 5%), and churn and "
            f"contraction are entered as positive numbers"
        )
    return v


def annual_churn(monthly: float) -> float:
    """Annual churn from a constant monthly churn rate: ``1 - (1 - monthly) ** 12``.

    Examples
    --------
    >>> round(annual_churn(0.03), 4)   # not 0.36
    0.3062
    """
    m = _fraction("monthly churn", monthly)
    return 1.0 - (1.0 - m) ** 12


def monthly_churn(annual: float) -> float:
    """The constant monthly churn rate that compounds to ``annual``: ``1 - (1 - annual) ** (1/12)``.

    Examples
    --------
    >>> round(monthly_churn(0.3062), 4)
    0.03
    """
    a = _fraction("annual churn", annual)
    return 1.0 - (1.0 - a) ** (1.0 / 12.0)


def nrr_from_levers(*, churn: float, contraction: float, expansion: float) -> float:
    """NRR from annual levers: ``1 - churn - contraction + expansion``.

    Examples
    --------
    >>> round(nrr_from_levers(churn=0.05, contraction=0.05, expansion=0.10), 10)
    1.0
    """
    c, k, e = _fraction("churn", churn), _fraction("contraction", contraction), _fraction("expansion", expansion)
    if c + k > 1.0 + 1e-12:
        raise DataError(f"churn + contraction is {c + k:g}; together they cannot exceed all of the starting ARR (1)")
    return 1.0 - c - k + e


def grr_from_levers(*, churn: float, contraction: float) -> float:
    """GRR from annual levers: ``1 - churn - contraction``."""
    return nrr_from_levers(churn=churn, contraction=contraction, expansion=0.0)


# --------------------------------------------------------------------------- the article's tables

SOURCE = sources.MITCHELL_2026 + ", section 'The Three Levers of NRR Optimization'"

#: The article's printed figures (reference data, cited; nrrkit computes its own beside them).
#: Lever 1, 10% expansion: monthly churn -> (annual churn, NRR) as printed.
ARTICLE_CHURN = {0.05: (0.46, 0.64), 0.03: (0.30, 0.80), 0.02: (0.21, 0.89), 0.01: (0.11, 0.99), 0.005: (0.06, 1.04)}
#: Lever 2, 10% churn: annual expansion -> NRR as printed.
ARTICLE_EXPANSION = {0.0: 0.90, 0.10: 1.00, 0.20: 1.10, 0.30: 1.20, 0.40: 1.30}
#: Lever 3, 10% expansion and 5% churn: contraction -> NRR as printed.
ARTICLE_CONTRACTION = {0.10: 0.95, 0.07: 0.98, 0.05: 1.00, 0.03: 1.02, 0.01: 1.04}


def _article(table: dict, key: float):
    for k, v in table.items():
        if abs(k - key) < 1e-12:
            return v
    return None


def churn_table(
    monthly: Sequence[float] = (0.05, 0.03, 0.02, 0.01, 0.005), *, expansion: float = 0.10
) -> pd.DataFrame:
    """Lever 1: monthly churn -> annual churn -> NRR with 10% expansion (no contraction).

    ``annual_churn`` and ``nrr`` are computed exactly (``1 - (1 - m) ** 12``).
    ``annual_churn_article`` and ``nrr_article`` are the figures Mitchell 2026 prints; it takes
    annual churn to a whole percent before computing NRR (3% a month -> "30%" ->
    "80%", where exactly 30.6% -> 79.4%).  ``differs`` is True where the exact NRR
    and the article's round to different whole percents, and ``why`` says by how much.
    Rows for rates the article does not print have NaN article columns.
    """
    rows = []
    for m in monthly:
        a = annual_churn(m)
        nrr = nrr_from_levers(churn=a, contraction=0.0, expansion=expansion)
        art = _article(ARTICLE_CHURN, m) if abs(expansion - 0.10) < 1e-12 else None
        a_art, nrr_art = art if art else (np.nan, np.nan)
        differs = bool(art) and round(nrr * 100) != round(nrr_art * 100)
        if not art:
            why = "not in Mitchell's table (2026)"
        elif differs:
            why = (f"Mitchell's table (2026) takes annual churn as {a_art:.0%} (exactly {a:.1%}) before computing NRR, "
                   f"so it prints {nrr_art:.0%} where the exact figure is {nrr:.1%}")
        else:
            why = f"the same to the whole percent ({nrr:.1%} exactly)"
        rows.append({"monthly_churn": m, "annual_churn": a, "annual_churn_article": a_art, "expansion": expansion,
                     "nrr": nrr, "nrr_article": nrr_art, "differs": differs, "why": why})
    out = pd.DataFrame(rows)
    out.attrs["source"] = SOURCE + ", 'Impact of Churn Reduction'"
    return out


def _exact_table(lever: str, values: Sequence[float], article: dict | None, **fixed: float) -> pd.DataFrame:
    rows = []
    for v in values:
        levers = {"churn": 0.0, "contraction": 0.0, "expansion": 0.0, **fixed, lever: v}
        nrr = nrr_from_levers(**levers)
        printed = _article(article, v) if article is not None else None
        rows.append({lever: v, **{k: fixed[k] for k in fixed}, "nrr": nrr,
                     "grr": grr_from_levers(churn=levers["churn"], contraction=levers["contraction"]),
                     "nrr_article": printed if printed is not None else np.nan,
                     "differs": printed is not None and round(nrr * 100) != round(printed * 100),
                     "why": ("exact: the article's levers are already annual, nothing is rounded"
                             if printed is not None else "not in the article")})
    return pd.DataFrame(rows)


def expansion_table(
    expansion: Sequence[float] = (0.0, 0.10, 0.20, 0.30, 0.40), *, churn: float = 0.10
) -> pd.DataFrame:
    """Lever 2: annual expansion 0-40% with 10% churn -> NRR 90-130%, exactly as the article prints."""
    out = _exact_table("expansion", expansion, ARTICLE_EXPANSION if abs(churn - 0.10) < 1e-12 else None, churn=churn)
    out.attrs["source"] = SOURCE + ", 'Expansion Revenue Impact'"
    return out


def contraction_table(
    contraction: Sequence[float] = (0.10, 0.07, 0.05, 0.03, 0.01), *, expansion: float = 0.10, churn: float = 0.05
) -> pd.DataFrame:
    """Lever 3: contraction 10-1% with 10% expansion and 5% churn -> NRR 95-104%, exactly as printed."""
    ok = abs(expansion - 0.10) < 1e-12 and abs(churn - 0.05) < 1e-12
    out = _exact_table("contraction", contraction, ARTICLE_CONTRACTION if ok else None, expansion=expansion, churn=churn)
    out.attrs["source"] = SOURCE + ", 'Contraction Prevention'"
    return out


# --------------------------------------------------------------------------- sensitivity


def _levers(fixed: dict | None, **override: float) -> dict[str, float]:
    base = {"churn": 0.10, "contraction": 0.05, "expansion": 0.15}
    for k, v in (fixed or {}).items():
        if k not in LEVERS:
            raise DataError(f"unknown lever {k!r}; levers are {', '.join(LEVERS)}")
        base[k] = v
    base.update(override)
    return base


def _check_axis(name: str) -> None:
    if name not in LEVERS:
        raise DataError(f"unknown lever {name!r}; levers are {', '.join(LEVERS)}")


def sensitivity_grid(
    *,
    x: str = "churn",
    y: str = "expansion",
    x_values: Sequence[float] = tuple(np.round(np.arange(0.0, 0.31, 0.05), 2)),
    y_values: Sequence[float] = tuple(np.round(np.arange(0.0, 0.41, 0.05), 2)),
    fixed: dict | None = None,
    metric: str = "nrr",
) -> pd.DataFrame:
    """NRR (or GRR) over a grid of two levers, the third held at ``fixed``.

    Returns a DataFrame with one row per ``y`` value and one column per ``x`` value
    (index and columns named after the levers); ``.attrs`` records the fixed lever.
    Combinations where churn + contraction exceed 1 are NaN.

    Examples
    --------
    >>> g = sensitivity_grid(x="churn", y="expansion", x_values=[0.1], y_values=[0.0, 0.2], fixed={"contraction": 0})
    >>> round(float(g.loc[0.2, 0.1]), 6)
    1.1
    """
    _check_axis(x)
    _check_axis(y)
    if x == y:
        raise DataError("x and y must be two different levers")
    if metric not in ("nrr", "grr"):
        raise DataError("metric must be 'nrr' or 'grr'")
    third = next(lever for lever in LEVERS if lever not in (x, y))
    lv = _levers(fixed)
    values = np.full((len(y_values), len(x_values)), np.nan)
    for i, yv in enumerate(y_values):
        for j, xv in enumerate(x_values):
            args = {**lv, x: xv, y: yv}
            if args["churn"] + args["contraction"] > 1:
                continue
            values[i, j] = (nrr_from_levers(**args) if metric == "nrr"
                            else grr_from_levers(churn=args["churn"], contraction=args["contraction"]))
    out = pd.DataFrame(values, index=pd.Index(list(y_values), name=y), columns=pd.Index(list(x_values), name=x))
    out.attrs.update({"x": x, "y": y, "fixed": {third: lv[third]}, "metric": metric})
    return out


def break_even(
    *,
    x: str = "churn",
    y: str = "expansion",
    x_values: Sequence[float] = tuple(np.round(np.arange(0.0, 0.31, 0.01), 2)),
    fixed: dict | None = None,
    target: float = 1.0,
) -> pd.DataFrame:
    """The NRR = 100% frontier: for each ``x`` value, the ``y`` value that puts NRR at ``target``.

    NRR is linear in every lever (+1 for expansion, -1 for churn and contraction),
    so the frontier is exact.  Values of ``y`` outside [0, 1] are NaN: no setting of
    that lever reaches the target.
    """
    _check_axis(x)
    _check_axis(y)
    third = next(lever for lever in LEVERS if lever not in (x, y))
    lv = _levers(fixed)
    sign = {"churn": -1.0, "contraction": -1.0, "expansion": 1.0}
    rows = []
    for xv in x_values:
        # target = 1 + sign_x * x + sign_y * y + sign_third * third
        yv = (target - 1.0 - sign[x] * xv - sign[third] * lv[third]) / sign[y]
        ok = 0.0 <= yv <= 1.0
        rows.append({x: xv, y: yv if ok else np.nan})
    out = pd.DataFrame(rows)
    out.attrs.update({"x": x, "y": y, "fixed": {third: lv[third]}, "target": target})
    return out


def tornado(baseline: dict, *, step: float = 0.05, ranges: dict | None = None) -> pd.DataFrame:
    """Each lever moved down and up around ``baseline``: by ``step`` points, or over ``ranges``.

    ``ranges`` maps a lever to the ``(low, high)`` rates it can really take (for example the
    range it moved over in the company's own history: :func:`nrrkit.levers.measured_tornado`).

    Returns one row per lever, sorted by how far it swings NRR: ``lever, base, low, high,
    nrr_low, nrr_high, swing`` (``nrr_low`` is the NRR with the lever at ``low``: for churn and
    contraction that is the *higher* NRR), with the base NRR in ``.attrs["base_nrr"]``.
    Moves are clipped to [0, 1], so a lever near 0 swings less.  In this additive model every
    lever moves NRR point for point, so with the same step every unclipped lever swings NRR by
    2 x step: only ranges that differ from lever to lever can rank them.
    """
    lv = _levers(None, **{k: _fraction(k, v) for k, v in baseline.items() if k in LEVERS})
    if ranges is None and not 0 < step <= 1:
        raise DataError(f"step is {step!r}; give it as a fraction of ARR, such as 0.05 for 5 points")
    for k in ranges or {}:
        _check_axis(k)
    base_nrr = nrr_from_levers(**lv)
    rows = []
    for lever in LEVERS:
        if ranges is not None and lever in ranges:
            lo, hi = sorted(_fraction(lever, v) for v in ranges[lever])
        else:
            lo, hi = max(lv[lever] - step, 0.0), min(lv[lever] + step, 1.0)
        n_lo = nrr_from_levers(**{**lv, lever: lo})
        up = {**lv, lever: hi}
        if up["churn"] + up["contraction"] > 1:  # cannot lose more than everything
            hi = 1 - (lv["churn"] + lv["contraction"] - lv[lever])
            up[lever] = hi
        n_hi = nrr_from_levers(**up)
        rows.append({"lever": lever, "base": lv[lever], "low": lo, "high": hi, "nrr_low": n_lo, "nrr_high": n_hi,
                     "swing": abs(n_hi - n_lo)})
    out = pd.DataFrame(rows).sort_values("swing", ascending=False, kind="stable").reset_index(drop=True)
    out.attrs["base_nrr"] = base_nrr
    out.attrs["step"] = None if ranges is not None else step
    return out


# --------------------------------------------------------------------------- what-if on measured data


def what_if(
    mrr: pd.DataFrame,
    *,
    window: int = 12,
    churn: float = 0.0,
    contraction: float = 0.0,
    expansion: float = 0.0,
    by: str | None = None,
    segment: str | None = None,
    month=None,
) -> pd.DataFrame:
    """Apply relative lever changes to the measured window amounts and recompute NRR and GRR.

    ``churn=-0.2`` means 20% less churned MRR than measured; ``expansion=0.1``
    means 10% more expansion.  The amounts are those of the 12-month cohort window
    ending at ``month`` (default: the last month of the data).  With ``by``, each
    segment is adjusted on its own amounts, and ``segment`` limits the change to
    one segment (the others keep their measured amounts); the total row is the sum
    of the segments' amounts.

    ``mrr`` is the MRR table, or a database table of :mod:`nrrkit.sql` (an ``MrrTable``).

    Returns one row per segment plus ``"Total"``: ``start_mrr`` and the measured and
    adjusted expansion, contraction and churn, ``nrr``, ``nrr_adjusted``, ``grr``,
    ``grr_adjusted`` and ``nrr_change`` (adjusted - measured, a fraction).
    """
    mrr = canonical(mrr)  # a DataFrame, or a database table of nrrkit.sql (MrrTable) read once into pandas
    changes = {"churn": churn, "contraction": contraction, "expansion": expansion}
    for k, v in changes.items():
        try:
            f = float(v)
        except (TypeError, ValueError):
            raise DataError(f"{k} must be a number such as -0.2 (20% less), not {v!r}") from None
        if not math.isfinite(f) or f < -1:
            raise DataError(f"{k} is {v!r}; a relative change cannot remove more than all of it (-1 is -100%)")
        changes[k] = f
    if segment is not None and by is None:
        raise DataError("segment= needs by= (the attribute the segment belongs to)")
    r, t, _ = rows_at(mrr, window=window, by=by, month=month)
    if by is not None and segment is not None and segment not in set(r[by]):
        raise DataError(f"no segment {segment!r} in '{by}' at {t} (segments: {', '.join(map(str, r[by]))})")
    rows = []
    for _, row in r.iterrows():
        label = row[by] if by is not None else "Total"
        apply = segment is None or label == segment
        rows.append(_adjust(label, row, changes if apply else {"churn": 0.0, "contraction": 0.0, "expansion": 0.0}))
    out = pd.DataFrame(rows)
    if by is not None:
        total = out[["start_mrr", "expansion", "contraction", "churn", "adj_expansion", "adj_contraction",
                     "adj_churn"]].sum()
        out = pd.concat([out, pd.DataFrame([_ratios_row("Total", total)])], ignore_index=True)
    out.insert(0, "month", pd.Series(month_start(t), index=out.index))
    out = out.rename(columns={"label": by or "segment"})
    out.attrs["definition"] = r.attrs["definition"]
    out.attrs["changes"] = {**changes, "segment": segment}
    return out


def _adjust(label, row: pd.Series, changes: dict) -> dict:
    amounts = {
        "start_mrr": row["start_mrr"],
        "expansion": row["expansion"],
        "contraction": row["contraction"],
        "churn": row["churn"],
        "adj_expansion": row["expansion"] * (1 + changes["expansion"]),
        "adj_contraction": row["contraction"] * (1 + changes["contraction"]),
        "adj_churn": row["churn"] * (1 + changes["churn"]),
    }
    if amounts["adj_contraction"] + amounts["adj_churn"] > amounts["start_mrr"] + 1e-9:
        raise DataError(f"{label}: the adjusted contraction and churn exceed the starting MRR; use a smaller increase")
    return _ratios_row(label, pd.Series(amounts))


def _ratios_row(label, a: pd.Series) -> dict:
    s = a["start_mrr"]
    nrr = (s + a["expansion"] - a["contraction"] - a["churn"]) / s
    nrr_adj = (s + a["adj_expansion"] - a["adj_contraction"] - a["adj_churn"]) / s
    grr = (s - a["contraction"] - a["churn"]) / s
    grr_adj = (s - a["adj_contraction"] - a["adj_churn"]) / s
    return {"label": label, **{k: float(a[k]) for k in a.index}, "nrr": nrr, "nrr_adjusted": nrr_adj,
            "grr": grr, "grr_adjusted": grr_adj, "nrr_change": nrr_adj - nrr}
