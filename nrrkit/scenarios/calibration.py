"""A five-year scenario measured from the data, the way an investor would accept it
(docs/definitions.md, section 6).

:func:`calibrate` measures the starting ARR, the 12-month cohort NRR and the new
business of the last 12 months, says which months each figure comes from, and
runs checks whose result is "passed", "flagged" or "not run" (a check the data
cannot support is never reported as passed).  Every flagged check is a caution.

The default path (``Scenario.project()``) is the defensible one:

- new business held at last year's dollars (the new ARR of the last 12 months, a
  fixed amount a year), not a rate that grows with ARR;
- NRR fading in a straight line from the measured figure (year 1) to a long-run
  level (year 5): by default the SaaS Capital 2023 median NRR of the company's ACV
  band, or a level the founder sets (``long_run_nrr=1.0``).

``Scenario.project(path="measured")`` compounds the measured rates for five years,
as a contrast (the "if nothing changes" line).
"""

from __future__ import annotations

import pandas as pd

from .. import sources
from .._record import Record
from ..benchmarks import SAAS_CAPITAL_2023, SMALL_BASE
from ..errors import DataError
from ..movements import bridge
from ..panel import canonical
from ..retention import rows_at
from .projection import nrr_fade, positive, project_arr

__all__ = ["calibrate", "Scenario", "describe_new_business", "describe_nrr", "MIN_HISTORY", "FAR_ABOVE",
           "FADE_YEARS", "PATHS", "STATUSES", "acv_band"]

#: Under this many months of history the scenario carries a caution: the year before the last
#: 12 months is not in the data, so nothing says the last year's figures are typical.
MIN_HISTORY = 24
#: An NRR more than this above the benchmark median (15 points) is "far above" it: a caution.
FAR_ABOVE = 0.15
#: The default path reaches the long-run NRR in this year (a straight line from year 1).
FADE_YEARS = 5
#: An NRR that moved by more than this (10 points) in a year is not a stable rate: a caution.
UNSTABLE = 0.10
PATHS = ("defensible", "measured")
STATUSES = ("passed", "flagged", "not run")


def _month(value) -> pd.Period:
    """A month as a Period whatever the result carries (Period or first-of-month datetime)."""
    return value if isinstance(value, pd.Period) else pd.Period(value, "M")


def _label(value) -> str:
    return _month(value).strftime("%Y-%m")


def _periods(col: pd.Series) -> pd.Series:
    if isinstance(col.dtype, pd.PeriodDtype):
        return col
    return pd.to_datetime(col).dt.to_period("M")


def acv_band(acv: float) -> pd.Series:
    """The SaaS Capital 2023 row (``acv_band``, ``median_nrr``, ``median_grr``, ...) of an ACV."""
    a = positive("acv", acv)
    t = SAAS_CAPITAL_2023
    return t[(t.acv_low <= a) & (a < t.acv_high)].iloc[0]


def _pct(x: float) -> str:
    return f"{x:.1%}" if abs(x * 1000 - round(x * 1000)) > 1e-9 or round(x * 1000) % 10 else f"{x:.0%}"


def _money(x: float) -> str:
    return f"${x:,.0f}"


class Scenario(Record):
    """A scenario measured from data.

    Keys: ``start_arr``, ``nrr``, ``grr``, ``new_arr_12m`` (last year's new ARR), ``new_rate``
    (that as a rate of ARR), ``long_run_nrr`` and ``fade_years`` (the default path),
    ``inputs`` (every figure with its value, basis and source: months for a measured one,
    a citation for an assumed one), ``checks`` (check, status, detail) and ``cautions``
    (the detail of every flagged check; ``flags`` is the same list).
    """

    def nrr_path(self, years: int = 5, *, path: str = "defensible") -> list[float]:
        """The NRR of each year: fading to the long-run level (default) or held at the measured figure."""
        _path(path)
        if path == "measured":
            return [self["nrr"]] * int(years)
        return nrr_fade(self["nrr"], self["long_run_nrr"], years=years, over=self["fade_years"])

    def assumption(self, *, path: str = "defensible") -> dict:
        """The new business assumed: ``{"new_rate": r}`` or ``{"new_arr": amount}``.

        The defensible path holds last year's new ARR (``new_arr_12m``) unless the founder set the
        new business; the measured path compounds the measured rate (held flat in dollars under
        24 months of history, and the lower of two years' rates when the last is higher).
        """
        _path(path)
        if self["new_basis"] == "set" or path == "measured":
            if self.get("new_arr") is not None and self.get("new_mode") == "amount":
                return {"new_arr": self["new_arr"]}
            return {"new_rate": self["assumed_rate"]}
        return {"new_arr": self["new_arr_12m"]}

    def project(self, years: int = 5, *, path: str = "defensible", **overrides) -> pd.DataFrame:
        """Run the scenario: ``path="defensible"`` (default) or ``"measured"``; keywords of
        :func:`~nrrkit.scenarios.project_arr` override (``nrr=``, ``new_rate=``, ``new_arr=``)."""
        params = {"nrr": self.nrr_path(years, path=path), **self.assumption(path=path), "years": years}
        if "new_rate" in overrides or "new_arr" in overrides:
            params.pop("new_rate", None)
            params.pop("new_arr", None)
        params.update(overrides)
        out = project_arr(self["start_arr"], **params)
        out.attrs["path"] = path
        out.attrs["described"] = f"{describe_nrr(self, path=path)}; {describe_new_business(self, path=path)}"
        return out

    def params(self, *, path: str = "defensible", years: int = 5) -> dict:
        """Keyword arguments for :func:`~nrrkit.scenarios.project_arr` (``start_arr`` included)."""
        return {"start_arr": self["start_arr"], "nrr": self.nrr_path(years, path=path),
                **self.assumption(path=path), "years": years}

    def inputs_table(self) -> pd.DataFrame:
        """``figure, value, shown, basis, source``: every figure the scenario took."""
        return pd.DataFrame(self["inputs"], columns=["figure", "value", "shown", "basis", "source"])

    def checks_table(self) -> pd.DataFrame:
        """``check, status, detail``: what was checked and what came of it."""
        return pd.DataFrame(self["checks"], columns=["check", "status", "detail"])


def _path(path: str) -> None:
    if path not in PATHS:
        raise DataError(f"path must be one of {', '.join(PATHS)}, not {path!r}")


def calibrate(mrr: pd.DataFrame, *, window: int = 12, month=None, new_rate: float | None = None,
              new_arr: float | None = None, long_run_nrr: float | None = None,
              fade_years: int = FADE_YEARS) -> Scenario:
    """Measure a scenario from the data (docs/definitions.md, section 6).

    - starting ARR = 12 x MRR of the end month (default: the last month);
    - NRR = the 12-month cohort NRR ending that month (base month 12 months earlier);
    - new business = 12 x the new MRR of the last 12 months (``new_arr_12m``), and as a rate:
      that over 12 x the MRR 12 months earlier (``new_rate``);
    - long-run NRR = the SaaS Capital 2023 median NRR of the company's ACV band (ACV = ARR /
      paying customers), or ``long_run_nrr`` when given; the default path fades NRR to it by
      year ``fade_years``.

    ``new_rate`` (a fraction of each year's ARR) or ``new_arr`` (an amount a year) set the new
    business instead of measuring it (both paths then use it).  ``mrr`` is the MRR table, or a
    database table of :mod:`nrrkit.sql` (an ``MrrTable``).

    Returns a :class:`Scenario`: ``.project()`` runs the defensible path,
    ``.project(path="measured")`` compounds the measured rates.

    Examples
    --------
    >>> import nrrkit as nk
    >>> s = calibrate(nk.datasets.load_sample())
    >>> s.checks_table().status.tolist()
    ['passed', 'passed', 'flagged', 'passed', 'passed']
    """
    if new_rate is not None and new_arr is not None:
        raise DataError("give the new business either as new_rate (a fraction of ARR) or as new_arr (an amount a year)")
    mrr = canonical(mrr)  # a DataFrame, or a database table of nrrkit.sql (MrrTable) read once into pandas
    rows, t_raw, r = rows_at(mrr, window=window, month=month)
    t = _month(t_raw)
    row = rows.iloc[0]
    b = bridge(mrr)
    per = _periods(b["period"])
    b = b.assign(period=per.to_numpy())
    at = b.set_index("period")
    if t - window not in at.index:
        raise DataError(f"no MRR in {_label(t - window)}; the new-business rate needs the MRR of that month")
    base_mrr = float(at.loc[t, "end_mrr"])
    customers = int(at.loc[t, "customers_end"])
    mrr_then = float(at.loc[t - window, "end_mrr"])
    if mrr_then <= 0:
        raise DataError(f"total MRR in {_label(t - window)} is 0; the new-business rate needs MRR to divide by")
    new_mrr = float(b.loc[(b["period"] > t - window) & (b["period"] <= t), "new"].sum())
    first = b["period"].iloc[0]
    history = t.ordinal - first.ordinal + 1
    lo, hi = _label(t - window + 1), _label(t)
    period = f"{lo} to {hi}"
    measured = new_mrr / mrr_then
    start_arr = 12 * base_mrr
    nrr, grr = float(row["nrr"]), float(row["grr"])
    base_n = int(row["customers_start"])

    checks, inputs = [], []

    def check(name, status, detail):
        checks.append({"check": name, "status": status, "detail": detail})

    def put(figure, value, shown, basis, source):
        inputs.append({"figure": figure, "value": value, "shown": shown, "basis": basis, "source": source})

    # 1. history
    span = f"{_label(first)} to {hi}"
    if history >= MIN_HISTORY:
        check("history", "passed", f"{history} months of data ({span}): at least {MIN_HISTORY}, so the year before "
                                   f"the last 12 months is in the data too")
    else:
        check("history", "flagged", f"only {history} months of data ({span}), under {MIN_HISTORY}: there is no full "
                                    f"year before the last 12 months, so nothing shows that the last year's NRR and "
                                    f"new business are typical rather than a first-year ramp")
    # 2. base size
    if base_n >= SMALL_BASE:
        check("base size", "passed", f"the NRR is measured on {base_n:,} customers paying in {_label(t - window)} "
                                     f"(at least {SMALL_BASE})")
    else:
        check("base size", "flagged", f"the NRR is measured on only {base_n:,} customers paying in "
                                      f"{_label(t - window)} (under {SMALL_BASE}): one customer more or less moves it "
                                      f"a lot")
    # 3. NRR against the benchmark of the company's ACV band
    acv = start_arr / customers if customers else 0.0
    band = acv_band(acv)
    median = float(band.median_nrr)
    bench = f"the SaaS Capital 2023 median NRR for ACV {band.acv_band} ({median:.0%})"
    if nrr > median + FAR_ABOVE + 1e-12:
        check("NRR against benchmark", "flagged",
              f"NRR {_pct(nrr)} is {(nrr - median) * 100:.1f} points above {bench}, the band of this company's "
              f"average ACV of {_money(acv)} (source: {sources.SAAS_CAPITAL_2023}); few companies hold such a rate "
              f"for five years, which is why the default path fades it")
    else:
        check("NRR against benchmark", "passed",
              f"NRR {_pct(nrr)} is within {FAR_ABOVE * 100:.0f} points of {bench}, the band of this company's "
              f"average ACV of {_money(acv)} (source: {sources.SAAS_CAPITAL_2023})")
    # 4. NRR a year earlier, 5. the new-business rate a year earlier: both need the month before the prior year
    prior_rate = prior_nrr = None
    needed = 2 * window + 1
    if history < needed:
        why = (f"needs {needed} months of data (a full year before the last 12 months, and the month before that "
               f"year to measure from); the data has {history}")
        check("NRR a year earlier", "not run", why)
        check("new business a year earlier", "not run", why)
    else:
        months = r["month"].map(_month) if not isinstance(r["month"].dtype, pd.PeriodDtype) else r["month"]
        earlier = r[(months == t - window).to_numpy()]
        if not earlier.empty:
            prior_nrr = float(earlier["nrr"].iloc[0])
            moved = nrr - prior_nrr
            text = (f"NRR {_pct(prior_nrr)} in the 12 months to {_label(t - window)}, {_pct(nrr)} in the 12 months "
                    f"to {hi}")
            if abs(moved) > UNSTABLE + 1e-12:
                check("NRR a year earlier", "flagged", f"{text}: it moved {abs(moved) * 100:.1f} points in a year "
                                                       f"(over {UNSTABLE * 100:.0f}), so it is not yet a stable rate")
            else:
                check("NRR a year earlier", "passed", f"{text}: within {UNSTABLE * 100:.0f} points")
        mrr_before = float(at.loc[t - 2 * window, "end_mrr"])
        before = b[(b["period"] > t - 2 * window) & (b["period"] <= t - window)]
        prior_period = f"{_label(t - 2 * window + 1)} to {_label(t - window)}"
        if mrr_before > 0:
            prior_rate = float(before["new"].sum()) / mrr_before
            if measured > prior_rate + 0.005:
                check("new business a year earlier", "flagged",
                      f"the new-business rate of {period}, {measured:.1%} of ARR, exceeds the {prior_rate:.1%} of "
                      f"the 12 months before; the data supports the lower rate, which the measured path uses")
            else:
                check("new business a year earlier", "passed",
                      f"the new-business rate of {period}, {measured:.1%} of ARR, is not above the {prior_rate:.1%} "
                      f"of {prior_period}")
        else:
            check("new business a year earlier", "not run", f"total MRR in {_label(t - 2 * window)} is 0")

    # the measured path's new business (as before: flat dollars under 24 months, the lower of two rates)
    mode, assumed, basis = "rate", measured, "measured"
    if history < MIN_HISTORY:
        mode = "amount"
    elif prior_rate is not None and measured > prior_rate + 0.005:
        assumed = prior_rate
    if new_rate is not None:
        assumed, mode, basis = positive("new_rate", new_rate), "rate", "set"
    elif new_arr is not None:
        mode, basis = "amount", "set"
    amount = positive("new_arr", new_arr) if new_arr is not None else 12 * new_mrr

    if long_run_nrr is None:
        long_run = median
        long_source = (f"{bench}: the band of this company's average ACV of {_money(acv)} "
                       f"(ARR {_money(start_arr)} / {customers:,} paying customers in {hi}); source: "
                       f"{sources.SAAS_CAPITAL_2023}")
        long_basis = "assumed"
    else:
        long_run = positive("long_run_nrr", long_run_nrr)
        long_source = "set by the founder"
        long_basis = "set"
    fade_years = int(fade_years)
    if fade_years < 1:
        raise DataError(f"fade_years is {fade_years}; the fade takes at least one year")

    put("starting ARR", start_arr, _money(start_arr), "measured", f"12 x MRR of {hi} ({_money(base_mrr)})")
    put("NRR", nrr, _pct(nrr), "measured",
        f"{window}-month cohort NRR, base {_label(t - window)} ({base_n:,} customer{'s' if base_n != 1 else ''}), "
        f"end {hi}")
    put("GRR", grr, _pct(grr), "measured", f"{window}-month cohort GRR, base {_label(t - window)}, end {hi}")
    put("new business a year", 12 * new_mrr, _money(12 * new_mrr), "measured",
        f"new MRR of {lo}..{hi} ({_money(new_mrr)}) x 12")
    put("new-business rate", measured, f"{measured:.1%}", "measured",
        f"new MRR of {lo}..{hi} / MRR of {_label(t - window)} ({_money(mrr_then)}); reactivations not counted as new")
    if basis == "set":
        what = _money(amount) + " a year" if mode == "amount" else f"{assumed:.1%} of ARR a year"
        put("new business (set)", amount if mode == "amount" else assumed, what, "set", "set by the founder")
    put("long-run NRR", long_run, _pct(long_run), long_basis, long_source)
    put("fade", fade_years, f"{fade_years} years", "assumed",
        f"nrrkit's default: NRR moves in a straight line from the measured {_pct(nrr)} in year 1 to the long-run "
        f"{_pct(long_run)} in year {fade_years}" if nrr > long_run else
        f"the measured NRR {_pct(nrr)} is not above the long-run {_pct(long_run)}, so the default path holds it")

    cautions = [c["detail"] for c in checks if c["status"] == "flagged"]
    return Scenario(
        month=hi,
        start_arr=start_arr,
        nrr=nrr,
        grr=grr,
        new_rate=measured,
        prior_rate=prior_rate,
        prior_period=(f"{_label(t - 2 * window + 1)} to {_label(t - window)}" if prior_rate is not None else None),
        prior_nrr=prior_nrr,
        assumed_rate=assumed if mode == "rate" else None,
        new_arr=amount if mode == "amount" else None,
        new_arr_12m=12 * new_mrr,
        new_mode=mode,
        new_basis=basis,
        new_period=period,
        history_months=history,
        acv=acv,
        acv_band=str(band.acv_band),
        long_run_nrr=long_run,
        long_run_source=long_source,
        long_run_basis=long_basis,
        fade_years=fade_years,
        inputs=inputs,
        checks=checks,
        cautions=cautions,
        flags=cautions,
        mrr=base_mrr,
        customers=customers,
        new_mrr_12m=new_mrr,
        mrr_12m_ago=mrr_then,
        definition=rows.attrs["definition"],
        note=(f"start ARR = 12 x MRR of {hi}; NRR = {window}-month cohort NRR, base {_label(t - window)}, end {hi}; "
              f"new business = new MRR {lo}..{hi} x 12 (reactivations not counted as new)"),
    )


def describe_new_business(s: Scenario, money=None, *, path: str = "defensible") -> str:
    """The new business a scenario assumes, in words, with where it comes from (for legends and pages).

    ``money`` formats an amount (default: ``f"{x:,.0f}"``).
    """
    fmt = money or (lambda x: f"{x:,.0f}")
    a = s.assumption(path=path)
    what = (f"new business {a['new_rate']:.1%} of ARR a year" if "new_rate" in a
            else f"new ARR {fmt(a['new_arr'])} a year, held flat")
    if s["new_basis"] == "set":
        return f"{what} (set by the founder)"
    if "new_arr" in a:
        return f"{what} (measured: new ARR won {s['new_period']})"
    if s.get("prior_rate") is not None and abs(a["new_rate"] - s["new_rate"]) > 1e-12:
        return f"{what} (measured {s['prior_period']}, the lower of two years)"
    return f"{what} (measured {s['new_period']})"


def describe_nrr(s: Scenario, *, path: str = "defensible") -> str:
    """The NRR a scenario assumes, in words: measured, and how it fades on the default path."""
    _path(path)
    measured = f"NRR {_pct(s['nrr'])} (measured, 12 months to {s['month']})"
    if path == "measured" or s["nrr"] <= s["long_run_nrr"]:
        return f"{measured}, held"
    where = ("set by the founder" if s["long_run_basis"] == "set"
             else f"SaaS Capital 2023 median for ACV {s['acv_band']}")
    return f"{measured} fading to {_pct(s['long_run_nrr'])} by year {s['fade_years']} ({where})"
