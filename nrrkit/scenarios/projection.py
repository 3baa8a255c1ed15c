"""Five-year ARR compounding (docs/definitions.md, section 6).

    ARR[y + 1] = ARR[y] * NRR[y] + NEW[y]

New business is either a rate of the year's starting ARR (then growth = NRR - 1 +
new_rate) or a fixed amount a year (then, with NRR < 1, ARR tends to
NEW / (1 - NRR): the leaky bucket).  The reference figures are those of
[Mitchell 2026] ("The Compound Effect of High NRR" and "Scenario
Comparison: Two $10M ARR Companies").
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from .._record import Record
from ..errors import DataError

__all__ = ["project_arr", "compare_scenarios", "layers", "ceiling", "nrr_schedule", "nrr_fade", "positive"]


def positive(name: str, value: float, *, allow_zero: bool = True) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise DataError(f"{name} must be a number, not {value!r}") from None
    if not math.isfinite(v) or v < 0 or (v == 0 and not allow_zero):
        raise DataError(f"{name} is {value!r}; it must be a {'positive' if not allow_zero else 'non-negative'} number")
    return v


def nrr_schedule(start: float, *, years: int = 5, floor: float = 1.0, decay: float = 0.0) -> list[float]:
    """An NRR per year that decays from ``start`` towards ``floor``.

    Each year closes ``decay`` of the remaining gap: ``floor + (start - floor) * (1 - decay) ** (y - 1)``.
    A company at 125% with decay 0.3 and floor 105% runs 125%, 119%, 114.8%, ...

    Examples
    --------
    >>> [round(x, 3) for x in nrr_schedule(1.25, years=3, floor=1.05, decay=0.3)]
    [1.25, 1.19, 1.148]
    """
    positive("start", start)
    positive("floor", floor)
    if not 0 <= decay <= 1:
        raise DataError(f"decay is {decay!r}; it is the share of the gap to the floor closed each year, from 0 to 1")
    return [floor + (start - floor) * (1 - decay) ** y for y in range(int(years))]


def nrr_fade(start: float, long_run: float, *, years: int = 5, over: int = 5) -> list[float]:
    """An NRR per year that moves in a straight line from ``start`` (year 1) to ``long_run`` (year ``over``).

    After year ``over`` it stays at ``long_run``.  A company at 120% fading to 100% over
    five years runs 120%, 115%, 110%, 105%, 100%: each year 5 points, a quarter of the gap.
    When ``start`` is at or below ``long_run`` the NRR is held at ``start`` (a fade never
    assumes the company gets better).

    Examples
    --------
    >>> [round(x, 3) for x in nrr_fade(1.20, 1.00, years=6, over=5)]
    [1.2, 1.15, 1.1, 1.05, 1.0, 1.0]
    """
    a = positive("start", start)
    b = positive("long_run", long_run)
    if int(over) < 1:
        raise DataError(f"over is {over!r}; the fade takes at least one year")
    if a <= b or int(over) == 1:
        return [a if a <= b else b] * int(years)
    step = (b - a) / (int(over) - 1)
    return [a + step * min(y, int(over) - 1) for y in range(int(years))]


def _nrr_per_year(nrr, years: int, schedule: Mapping | None) -> list[float]:
    if isinstance(nrr, (list, tuple, np.ndarray, pd.Series)):
        values = [float(x) for x in nrr]
        if len(values) < years:
            raise DataError(f"nrr has {len(values)} yearly values; {years} years need {years}")
        values = values[:years]
    else:
        start = positive("nrr", nrr)
        values = nrr_schedule(start, years=years, **dict(schedule)) if schedule else [start] * years
    for v in values:
        positive("nrr", v)
    return values


def project_arr(
    start_arr: float,
    *,
    nrr,
    new_rate: float | None = None,
    new_arr: float | None = None,
    years: int = 5,
    nrr_schedule: Mapping | None = None,
    spend_per_new_dollar: float | None = None,
) -> pd.DataFrame:
    """Project ARR year by year: ``end = start * NRR + new``.

    Parameters
    ----------
    start_arr : float
        ARR at the start of year 1.
    nrr : float or sequence
        NRR for every year (1.25), or one value per year.
    new_rate, new_arr : float
        New business as a rate of each year's starting ARR (0.2), or as a fixed
        amount a year.  Give one of them.
    nrr_schedule : dict, optional
        ``{"floor": 1.05, "decay": 0.3}``: NRR decays from ``nrr`` towards the floor
        (see :func:`nrr_schedule`).
    spend_per_new_dollar : float, optional
        Sales and marketing spend per $1 of new ARR (capital efficiency); adds a ``spend`` column.

    Returns
    -------
    DataFrame
        ``year, start_arr, nrr, retained_arr, new_arr, end_arr, growth`` (and ``spend``).

    Examples
    --------
    >>> p = project_arr(10e6, nrr=1.25, new_rate=0.2)
    >>> (p.end_arr / 1e6).round(1).tolist()   # the article's $14.5M ... $64.1M
    [14.5, 21.0, 30.5, 44.2, 64.1]
    """
    start = positive("start_arr", start_arr, allow_zero=True)
    years = int(years)
    if years < 1:
        raise DataError(f"years is {years}; project at least one year")
    if (new_rate is None) == (new_arr is None):
        raise DataError("give new business either as new_rate (a fraction of ARR) or as new_arr (an amount a year)")
    rate = positive("new_rate", new_rate) if new_rate is not None else None
    fixed = positive("new_arr", new_arr) if new_arr is not None else None
    spend_rate = positive("spend_per_new_dollar", spend_per_new_dollar) if spend_per_new_dollar is not None else None
    nrrs = _nrr_per_year(nrr, years, nrr_schedule)
    rows = []
    arr = start
    for y in range(1, years + 1):
        retained = arr * nrrs[y - 1]
        new = arr * rate if rate is not None else fixed
        end = retained + new
        row = {"year": y, "start_arr": arr, "nrr": nrrs[y - 1], "retained_arr": retained, "new_arr": new,
               "end_arr": end, "growth": end / arr - 1 if arr > 0 else np.nan}
        if spend_rate is not None:
            row["spend"] = new * spend_rate
        rows.append(row)
        arr = end
    out = pd.DataFrame(rows)
    out.attrs["assumptions"] = {"start_arr": start, "nrr": nrrs, "new_rate": rate, "new_arr": fixed,
                                "spend_per_new_dollar": spend_rate}
    return out


def compare_scenarios(scenarios: Mapping[str, Mapping], *, years: int | None = None) -> pd.DataFrame:
    """Several scenarios side by side: end ARR per year, and each one's ratio to the first.

    ``scenarios`` maps a name to the keyword arguments of :func:`project_arr`
    (``start_arr`` included).  Returns ``year``, one end-ARR column per scenario, and
    ``"<name> / <first>"`` ratio columns (the article's 2.1x after five years).

    Examples
    --------
    >>> c = compare_scenarios({"NRR 105%": dict(start_arr=10e6, nrr=1.05, new_rate=0.2),
    ...                        "NRR 125%": dict(start_arr=10e6, nrr=1.25, new_rate=0.2)})
    >>> round(float(c["NRR 125% / NRR 105%"].iloc[-1]), 1)
    2.1
    """
    if len(scenarios) < 1:
        raise DataError("give at least one scenario")
    frames = {}
    for name, params in scenarios.items():
        p = dict(params)
        if years is not None:
            p["years"] = years
        if "start_arr" not in p:
            raise DataError(f"scenario {name!r} has no start_arr")
        frames[name] = project_arr(p.pop("start_arr"), **p)
    first = next(iter(frames))
    out = pd.DataFrame({"year": frames[first]["year"]})
    for name, f in frames.items():
        out[name] = f["end_arr"].to_numpy()
    for name in list(frames)[1:]:
        out[f"{name} / {first}"] = out[name] / out[first]
    out.attrs["projections"] = frames
    return out


def layers(
    start_arr: float,
    *,
    nrr,
    new_rate: float | None = None,
    new_arr: float | None = None,
    years: int = 5,
    nrr_schedule: Mapping | None = None,
) -> pd.DataFrame:
    """ARR by vintage: the starting base and each year's new business, each compounding at NRR.

    Returns one row per year-end (year 0 = the start) and one column per layer
    (``"base"``, ``"new in year 1"``, ...).  Each row sums to :func:`project_arr`'s ``end_arr``.
    """
    p = project_arr(start_arr, nrr=nrr, new_rate=new_rate, new_arr=new_arr, years=years, nrr_schedule=nrr_schedule)
    nrrs = p["nrr"].to_numpy()
    news = p["new_arr"].to_numpy()
    n = len(p)
    table = np.zeros((n + 1, n + 1))
    table[0, 0] = float(start_arr)
    for y in range(1, n + 1):
        table[y, :] = table[y - 1, :] * nrrs[y - 1]
        table[y, y] = news[y - 1]  # new business arrives at the end of its year
    cols = ["base"] + [f"new in year {y}" for y in range(1, n + 1)]
    out = pd.DataFrame(table, columns=cols)
    out.insert(0, "year", range(n + 1))
    return out


def ceiling(new_arr: float, nrr: float, *, start_arr: float = 0.0, share: float = 0.9) -> Record:
    """The leaky-bucket limit of ARR with a fixed amount of new business and NRR < 1.

    With ``ARR[y+1] = ARR[y] * NRR + NEW``, ARR tends to ``NEW / (1 - NRR)``; from
    ``start_arr`` the gap closes by a factor NRR a year, so reaching ``share`` of the
    limit takes ``log(1 - share') / log(NRR)`` years, where share' is the share of
    the gap to close.  With NRR >= 1 there is no ceiling (``limit`` is inf).

    Examples
    --------
    >>> c = ceiling(2e6, 0.9)     # $2M of new ARR a year, NRR 90%
    >>> round(c.limit), round(c.years_to_share, 2), c.whole_years
    (20000000, 21.85, 22)
    """
    new = positive("new_arr", new_arr)
    r = positive("nrr", nrr)
    start = positive("start_arr", start_arr)
    if not 0 < share < 1:
        raise DataError("share must be between 0 and 1 (0.9 for 90% of the ceiling)")
    if r >= 1:
        return Record(limit=math.inf, years_to_share=math.inf, whole_years=None, share=share,
                      note="NRR is at or above 100%: ARR keeps growing, there is no ceiling")
    limit = new / (1 - r)
    target = share * limit
    if start >= target:
        return Record(limit=limit, years_to_share=0.0, whole_years=0, share=share,
                      note="ARR already starts at or above that share of the ceiling")
    # ARR_y = L - (L - start) * r**y  >=  share * L   <=>   r**y <= (1 - share) * L / (L - start)
    y = math.log((1 - share) * limit / (limit - start)) / math.log(r)
    return Record(limit=limit, years_to_share=y, whole_years=math.ceil(y - 1e-12), share=share,
                  note=f"ARR tends to {limit:,.0f}; it reaches {share:.0%} of that after {y:.1f} years")


