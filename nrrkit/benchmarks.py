"""Benchmark tables (docs/definitions.md, section 7), each row with its source, year and definition.

Every source measures NRR its own way (window, cohort or not, which customers);
a comparison is a rough placement, not a verdict.  :func:`compare_to_benchmarks`
says so in every row it returns.

Sources
-------
- [Mitchell 2026]: Sarah Mitchell, "Net Revenue Retention: The Holy Grail Metric" (31 January 2026):
  performance levels, stage targets, segment targets, company examples.
- SaaS Capital, "2023 B2B SaaS retention benchmarks": medians by ACV.
- Bessemer Venture Partners, 2019 retention bands by customer segment.

The citations themselves are in :mod:`nrrkit.sources`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd

from . import sources
from ._record import Record
from .errors import DataError

__all__ = ["LEVELS", "STAGES", "SEGMENTS", "COMPANIES", "SAAS_CAPITAL_2023", "BESSEMER_2019", "assess",
           "compare_to_benchmarks", "all_tables", "CAVEAT", "caution", "is_rated", "SMALL_BASE", "WIDE_INTERVAL",
           "TINY_BASE", "TABLE_TITLES", "BENCHMARK_CURRENCY", "acv_in_benchmark_currency", "level_verdict",
           "GRR_FLOOR", "FULL_TREND"]

SRC_MITCHELL = sources.MITCHELL_2026
DEF_MITCHELL = "(start + expansion - contraction - churn) / start; Mitchell (2026) does not fix the window or the cohort"
SRC_SAASCAP = sources.SAAS_CAPITAL_2023
DEF_SAASCAP = "annual NRR and GRR of private B2B SaaS companies, medians by annual contract value"
SRC_BVP = sources.BESSEMER_2019
DEF_BVP = "annual NRR and GRR bands by customer segment"

CAVEAT = ("each source defines NRR its own way (window, cohort, which customers count); "
          "read the position as rough, not exact")

_inf = math.inf

#: Performance levels (Mitchell 2026, "NRR Benchmarks by Performance Level"); lower bound inclusive.
LEVELS = pd.DataFrame(
    [
        ("Concerning", -_inf, 1.00, "Losing revenue from existing customers"),
        ("Basic", 1.00, 1.05, "Minimal expansion; focus on retention"),
        ("Good", 1.05, 1.15, "Solid expansion and retention"),
        ("Great", 1.15, 1.25, "Strong product-market fit"),
        ("Excellent", 1.25, 1.40, "Best-in-class performance"),
        ("World-class", 1.40, _inf, "Exceptional expansion engine"),
    ],
    columns=["level", "nrr_low", "nrr_high", "meaning"],
).assign(source=SRC_MITCHELL, year=2026, definition=DEF_MITCHELL)

#: NRR by company stage (Mitchell 2026, "NRR by Company Stage").
STAGES = pd.DataFrame(
    [
        ("Seed", 1.00, 0.95, 1.10, "Product-market fit"),
        ("Series A", 1.10, 1.05, 1.15, "Retention foundation"),
        ("Series B", 1.15, 1.10, 1.20, "Expansion programs"),
        ("Series C+", 1.20, 1.15, 1.30, "Scale expansion"),
        ("Public", 1.20, 1.20, 1.40, "Predictable NRR"),
    ],
    columns=["stage", "target_nrr", "typical_low", "typical_high", "focus"],
).assign(source=SRC_MITCHELL, year=2026, definition=DEF_MITCHELL)

#: NRR targets by customer segment (Mitchell 2026, "NRR by Customer Segment").
SEGMENTS = pd.DataFrame(
    [
        ("SMB", "under $1K ACV", 1.00, 1.10, "Lower expansion, higher churn"),
        ("Mid-Market", "$1K-$25K ACV", 1.10, 1.20, "Moderate expansion, good retention"),
        ("Enterprise", "$25K+ ACV", 1.20, 1.40, "Strong expansion, excellent retention"),
        ("API/Usage-based", "usage pricing", 1.20, 1.60, "Natural expansion with usage"),
    ],
    columns=["segment", "acv", "nrr_low", "nrr_high", "why"],
).assign(source=SRC_MITCHELL, year=2026, definition=DEF_MITCHELL)

#: Public companies' NRR as each filed it with the SEC (each company defines its own rate: Snowflake's
#: is trailing-12-month product revenue of customers a year ago, Slack's the ARR of paid customers).
COMPANIES = pd.DataFrame(
    [
        ("Snowflake", 1.58, "2023-01-31", "net revenue retention rate", "Usage-based pricing",
         sources.SNOWFLAKE_10K),
        ("Slack", 1.32, "2020-01-31", "Net Dollar Retention Rate", "Seat expansion", sources.SLACK_10K),
    ],
    columns=["company", "nrr", "as_of", "metric_name", "driver", "filing"],
)
COMPANIES["nrr_low"] = COMPANIES["nrr"]
COMPANIES["nrr_high"] = COMPANIES["nrr"]
COMPANIES["source"] = [str(f) for f in COMPANIES["filing"]]
COMPANIES["year"] = [f.year for f in COMPANIES["filing"]]
COMPANIES["filing"] = [f.title for f in COMPANIES["filing"]]
COMPANIES["definition"] = "as filed; each company defines its retention rate in its filing"

#: SaaS Capital 2023 medians by ACV band.
SAAS_CAPITAL_2023 = pd.DataFrame(
    [
        ("<$12k", 0, 12_000, 1.00, 0.90),
        ("$12-25k", 12_000, 25_000, 1.02, 0.90),
        ("$25-50k", 25_000, 50_000, 1.03, 0.92),
        ("$50-100k", 50_000, 100_000, 1.05, 0.93),
        ("$100-250k", 100_000, 250_000, 1.07, 0.93),
        (">$250k", 250_000, _inf, 1.10, 0.93),
    ],
    columns=["acv_band", "acv_low", "acv_high", "median_nrr", "median_grr"],
).assign(source=SRC_SAASCAP, year=2023, definition=DEF_SAASCAP)

#: Bessemer 2019 bands by segment ("> x" bands have no upper bound).
BESSEMER_2019 = pd.DataFrame(
    [
        ("SMB", "under $12K ACV", 0.70, 0.80, 0.80, 1.00),
        ("Mid-Market", "$12-50K ACV", 0.80, 0.90, 0.90, 1.20),
        ("Enterprise", "$50K+ ACV", 0.90, _inf, 1.00, _inf),
    ],
    columns=["segment", "acv", "grr_low", "grr_high", "nrr_low", "nrr_high"],
).assign(source=SRC_BVP, year=2019, definition=DEF_BVP)


def all_tables() -> dict[str, pd.DataFrame]:
    """Every benchmark table by name (the names are keys for code; :data:`TABLE_TITLES` says them in words)."""
    return {"levels": LEVELS, "stages": STAGES, "segments": SEGMENTS, "companies": COMPANIES,
            "saas_capital_2023": SAAS_CAPITAL_2023, "bessemer_2019": BESSEMER_2019}


#: What each benchmark table is called where a person reads it (never the key).
TABLE_TITLES = {
    "levels": "Performance levels (Mitchell 2026)",
    "stages": "NRR by company stage (Mitchell 2026)",
    "segments": "NRR targets by customer segment (Mitchell 2026)",
    "companies": "Public companies' NRR, as filed with the SEC",
    "saas_capital_2023": "SaaS Capital 2023: median NRR and GRR by annual contract value",
    "bessemer_2019": "Bessemer 2019: retention bands by customer segment",
}

#: The currency of every money figure in the benchmark tables (ACV bands).
BENCHMARK_CURRENCY = "USD"
_USD = {"USD", "US$", "$"}


def acv_in_benchmark_currency(acv: float | None, currency: str | None, usd_rate: float | None = None
                              ) -> tuple[float | None, str]:
    """An average contract value in the benchmarks' currency (US dollars), or None with the reason.

    ``currency`` is the reporting currency of ``acv`` (a code or symbol; None or "" when the data
    did not say); ``usd_rate`` is the value of one US dollar in that currency (the rate convention
    of nrrkit's readers: reported amount = amount x rate).  An amount in another currency, or in
    a currency nobody named, is converted with the rate or not compared at all.

    Examples
    --------
    >>> acv_in_benchmark_currency(18_000, "USD")
    (18000.0, '')
    >>> acv_in_benchmark_currency(30_000, "AUD", usd_rate=1.5)[0]   # 30,000 AUD / 1.5 AUD per USD
    20000.0
    >>> acv_in_benchmark_currency(30_000, "AUD")[0] is None
    True
    """
    if acv is None or not math.isfinite(float(acv)):
        return None, "no paying customer in the last month"
    code = (currency or "").strip().upper()
    if code in _USD:
        return float(acv), ""
    if usd_rate is not None:
        r = _rate("usd_rate", usd_rate)
        if r <= 0:
            raise DataError("usd_rate must be above 0: the value of one US dollar in the reporting currency")
        shown = code or "the data's currency"
        return float(acv) / r, f"converted from {shown} at {r:g} per US dollar"
    if not code:
        return None, ("the currency of the amounts is not stated, and the ACV bands are in US dollars: "
                      "not compared (state the currency, and a rate for one US dollar if it is not USD)")
    return None, (f"the amounts are in {code} and the ACV bands in US dollars: not compared "
                  "(give the value of one US dollar in " + code + " to compare)")


def _rate(name: str, value) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise DataError(f"{name} must be a number such as 1.07 for 107%, not {value!r}") from None
    if not math.isfinite(v) or v < 0:
        raise DataError(f"{name} is {value!r}; give it as a fraction such as 1.07 for 107%")
    if v > 10:
        raise DataError(f"{name} is {v:g}; rates are fractions in nrrkit (1.07 = 107%), not percentages")
    return v


def assess(nrr: float) -> str:
    """The level of an NRR (Mitchell 2026's table; the lower bound of each band is inclusive).

    Examples
    --------
    >>> [assess(x) for x in (0.99, 1.00, 1.05, 1.15, 1.25, 1.40)]
    ['Concerning', 'Basic', 'Good', 'Great', 'Excellent', 'World-class']
    """
    v = _rate("nrr", nrr)
    for row in LEVELS.itertuples():
        if row.nrr_low - 1e-12 <= v < row.nrr_high - 1e-12:
            return row.level
    return "World-class"  # pragma: no cover


_SEGMENT_ALIASES = {"smb": "SMB", "small": "SMB", "mid-market": "Mid-Market", "midmarket": "Mid-Market",
                    "mid market": "Mid-Market", "mm": "Mid-Market", "enterprise": "Enterprise", "ent": "Enterprise",
                    "usage": "API/Usage-based", "api": "API/Usage-based", "api/usage-based": "API/Usage-based"}


def _position(v: float, lo: float, hi: float) -> str:
    if v < lo - 1e-12:
        return "below"
    if v > hi + 1e-12:
        return "above"
    return "within"


def _band(lo: float, hi: float) -> str:
    if math.isinf(hi):
        return f"{lo:.0%}+" if lo > -_inf else "any"
    if math.isinf(lo):
        return f"under {hi:.0%}"
    if lo == hi:
        return f"{lo:.0%}"
    return f"{lo:.0%}-{hi:.0%}"


def compare_to_benchmarks(
    *, nrr: float, grr: float | None = None, stage: str | None = None, segment: str | None = None,
    acv: float | None = None,
) -> pd.DataFrame:
    """Where an NRR (and GRR) sits against every relevant benchmark table.

    Always: the performance level.  With ``stage`` ("Seed", "Series A", ...): the
    stage table.  With ``segment`` ("SMB", "Mid-Market", "Enterprise", "usage"):
    Mitchell 2026's segment targets and Bessemer's 2019 bands.  With ``acv`` (annual contract
    value in currency units): the SaaS Capital 2023 median of that band.

    Returns one row per comparison: ``table`` (a key for code), ``title`` (the table as a
    person reads it), ``row, metric, value, benchmark, position`` (below / within / above;
    for a median: below / at / above), ``source, year, definition, caveat``.  ``acv`` is in
    US dollars, the currency of the bands (see :func:`acv_in_benchmark_currency`).
    """
    v = _rate("nrr", nrr)
    g = _rate("grr", grr) if grr is not None else None
    if g is not None and g > 1 + 1e-9:
        raise DataError(f"grr is {g:g}; GRR cannot exceed 1 (100%)")
    rows = []

    def add(table, row, metric, value, bench, position, src):
        rows.append({"table": table, "title": TABLE_TITLES[table], "row": row, "metric": metric, "value": value,
                     "benchmark": bench,
                     "position": position, "source": src.source, "year": src.year, "definition": src.definition,
                     "caveat": CAVEAT})

    level = assess(v)
    lv = LEVELS[LEVELS.level == level].iloc[0]
    add("levels", level, "nrr", v, _band(lv.nrr_low, lv.nrr_high), "within", lv)
    if stage is not None:
        match = STAGES[STAGES.stage.str.lower() == str(stage).strip().lower()]
        if match.empty:
            raise DataError(f"unknown stage {stage!r}; stages are {', '.join(STAGES.stage)}")
        s = match.iloc[0]
        add("stages", s.stage, "nrr", v, f"target {s.target_nrr:.0%}+, typical {_band(s.typical_low, s.typical_high)}",
            _position(v, s.typical_low, s.typical_high), s)
    if segment is not None:
        key = _SEGMENT_ALIASES.get(str(segment).strip().lower(), str(segment).strip())
        match = SEGMENTS[SEGMENTS.segment == key]
        if match.empty:
            raise DataError(f"unknown segment {segment!r}; segments are {', '.join(SEGMENTS.segment)}")
        s = match.iloc[0]
        add("segments", s.segment, "nrr", v, _band(s.nrr_low, s.nrr_high), _position(v, s.nrr_low, s.nrr_high), s)
        bvp = BESSEMER_2019[BESSEMER_2019.segment == key]
        if not bvp.empty:
            b = bvp.iloc[0]
            add("bessemer_2019", b.segment, "nrr", v, _band(b.nrr_low, b.nrr_high), _position(v, b.nrr_low, b.nrr_high), b)
            if g is not None:
                add("bessemer_2019", b.segment, "grr", g, _band(b.grr_low, b.grr_high),
                    _position(g, b.grr_low, b.grr_high), b)
    if acv is not None:
        a = float(acv)
        if not math.isfinite(a) or a < 0:
            raise DataError(f"acv is {acv!r}; give the annual contract value as an amount, such as 18000")
        band = SAAS_CAPITAL_2023[(SAAS_CAPITAL_2023.acv_low <= a) & (a < SAAS_CAPITAL_2023.acv_high)].iloc[0]

        def vs_median(x, m):
            return "at" if abs(x - m) < 0.005 else "above" if x > m else "below"

        add("saas_capital_2023", band.acv_band, "nrr", v, f"median {band.median_nrr:.0%}",
            vs_median(v, band.median_nrr), band)
        if g is not None:
            add("saas_capital_2023", band.acv_band, "grr", g, f"median {band.median_grr:.0%}",
                vs_median(g, band.median_grr), band)
    out = pd.DataFrame(rows)
    out["value"] = out["value"].astype(float)
    return out


def level_bands() -> list[tuple[str, float, float]]:
    """(level, low, high) with finite bounds for charts (0.5 and 2.0 stand in for the open ends)."""
    return [(r.level, max(r.nrr_low, 0.5), min(r.nrr_high, 2.0)) for r in LEVELS.itertuples()]


#: A rated figure whose base cohort has fewer customers than this carries a small-sample caution
#: (docs/definitions.md, section 7), and a segment this small is shown but not rated.
SMALL_BASE = 30
#: ... and so does one whose interval spans more than this (20 points).
WIDE_INTERVAL = 0.20
#: A signal or a trend point measured on fewer base customers than this is suppressed (counted, not shown).
TINY_BASE = 10


def caution(customers: int, low: float | None = None, high: float | None = None, *,
            min_customers: int = SMALL_BASE, max_span: float = WIDE_INTERVAL) -> str:
    """The small-sample caution of a rated figure, or ``""`` when none is due.

    A level (:func:`assess`) read from a base cohort of fewer than ``min_customers``
    customers, or whose interval (``low`` to ``high``, for example the 90% interval
    of :func:`nrrkit.nrr_interval`) spans more than ``max_span``, is fragile: one
    customer more or less can move it by a band or two.

    Examples
    --------
    >>> caution(13, 0.358, 1.836)
    'small sample: 13 base customers (under 30); the 90% interval spans 148 points (over 20)'
    >>> caution(400, 1.15, 1.29)
    ''
    """
    if customers < 0:
        raise DataError(f"customers is {customers!r}; give the number of base customers")
    parts = []
    if customers < min_customers:
        parts.append(f"{customers:,} base customer{'s' if customers != 1 else ''} (under {min_customers})")
    if low is not None and high is not None and math.isfinite(low) and math.isfinite(high):
        span = high - low
        if span > max_span + 1e-12:
            parts.append(f"the 90% interval spans {span * 100:.0f} points (over {max_span * 100:.0f})")
    return "small sample: " + "; ".join(parts) if parts else ""


def is_rated(customers: int, *, min_customers: int = SMALL_BASE) -> bool:
    """Whether a segment's figure gets a level: its base cohort has at least ``min_customers`` customers.

    Smaller segments are shown with their figures but without a level.

    Examples
    --------
    >>> is_rated(10), is_rated(30)
    (False, True)
    """
    return customers >= min_customers


#: The level of an NRR is withheld when GRR is under this (the reference dashboard's GRR threshold,
#: Mitchell 2026: a base that loses more than 15% of its revenue a year before any expansion).
GRR_FLOOR = 0.85
#: A 12-month trend has this many end months; with fewer, the chart says how many it drew.
FULL_TREND = 12


def level_verdict(nrr: float, grr: float, customers: int, low: float | None = None, high: float | None = None,
                  *, critical: Sequence[str] = ()) -> Record:
    """The level of an NRR, shown only when the rest of the data can stand behind it.

    The rule (the same in the pack, its tiles and ``nrrkit summary``): the level of
    :func:`assess` is *shown*, always next to the GRR, when

    1. no small-sample caution applies (:func:`caution`: 30+ base customers and a 90%
       interval of at most 20 points), and
    2. GRR is at least :data:`GRR_FLOOR` (85%): a high NRR over a base that loses more than
       15% of its revenue a year rests on a few expanding customers, and
    3. no critical warning signal was raised in the last 12 months (``critical``: their
       sentences, for example NRR under 100% and falling).

    Otherwise it is *withheld*, and ``reasons`` says why in plain sentences.

    Returns
    -------
    Record
        ``level`` (the :func:`assess` level), ``shown`` (bool), ``reasons`` (list of str),
        ``label`` (the level, or "withheld"), ``pairing`` ("with GRR 91.4%").

    Examples
    --------
    >>> level_verdict(1.22, 0.914, 400, 1.15, 1.29).label
    'Great'
    >>> v = level_verdict(1.251, 0.596, 13, 0.445, 2.044)
    >>> v.label, len(v.reasons)
    ('withheld', 2)
    """
    level = assess(nrr)
    reasons = []
    small = caution(customers, low, high)
    if small:
        reasons.append(small)
    g = _rate("grr", grr)
    if g < GRR_FLOOR - 1e-12:
        reasons.append(f"GRR {g:.1%} is under {GRR_FLOOR:.0%}: the base loses {1 - g:.1%} of its revenue in a year "
                       "before any expansion")
    for sentence in critical:
        reasons.append(f"critical signal: {sentence}")
    shown = not reasons
    return Record(level=level, shown=shown, reasons=reasons, label=level if shown else "withheld",
                  pairing=f"with GRR {g:.1%}")
