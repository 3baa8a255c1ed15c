"""Everything the pack shows, measured once with nrrkit's public functions.

The workbook, the charts, the page and the PDF all read the same :class:`Figures`, so
no two parts of the pack can disagree.  Nothing here formats or draws.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..benchmarks import (
    FULL_TREND,
    TINY_BASE,
    acv_in_benchmark_currency,
    all_tables,
    assess,
    caution,
    compare_to_benchmarks,
    is_rated,
    level_verdict,
)
from ..cohorts import cohort_curve, cohort_table, layer_cake
from ..customers import accounts, nrr_interval, ratio_interval
from ..errors import DataError
from ..monitoring import LEVEL_ORDER, signals
from ..months import labels, ordinals
from ..movements import bridge
from ..panel import MISSING_SEGMENT, build
from ..retention import retention
from ..scenarios import FAR_ABOVE, acv_band, calibrate
from ..segments import segment_summary
from ..sources import SAAS_CAPITAL, SOURCES
from .text import Currency

__all__ = ["Figures", "WINDOW", "BRIDGE_MONTHS", "TOP_SIGNALS"]

WINDOW = 12  # the investor definition: 12-month cohort retention
BRIDGE_MONTHS = 24
TOP_SIGNALS = 5  # at most this many signal groups on the first page of the PDF
CONCENTRATION_TOP = (1, 5, 10)


def _as_periods(frame: pd.DataFrame, freq: str = "M") -> pd.DataFrame:
    """The pack's month arithmetic reads Periods: a result's first days (its month columns, ``period``, a
    cohort index) as ``Period`` in a copy used inside the pack only (results themselves carry dates)."""
    out = frame.copy()
    for c in ("month", "base_month"):
        if c in out.columns:
            out[c] = out[c].dt.to_period("M")
    if "period" in out.columns:
        out["period"] = out["period"].dt.to_period(freq)
        out = out.drop(columns="period_label", errors="ignore")
    if isinstance(out.index, pd.DatetimeIndex):
        out.index = out.index.to_period(freq)
    out.attrs = frame.attrs
    return out


class Figures:
    """The pack's figures for ``table`` (already cut at the as-of month and anonymized if asked)."""

    def __init__(self, table: pd.DataFrame, by: str | None, n_boot: int, progress: bool, *,
                 company: str | None = None, currency: str | None = None, new_rate: float | None = None,
                 new_arr: float | None = None, usd_rate: float | None = None):
        self.table, self.by, self.company = table, by, company
        self.panel = panel = build(table, by=by)
        self.months = panel.months()
        self.as_of = self.months[-1]
        paying = panel.values > 0
        self.first = np.where(paying.any(axis=1), paying.argmax(axis=1), -1)  # cohort month index, -1 never paid
        self.bridge_m = _as_periods(bridge(table))
        self.bridge_q = _as_periods(bridge(table, freq="Q"), "Q")
        self.ret = _as_periods(retention(table, window=WINDOW))
        self.ret_by = _as_periods(retention(table, window=WINDOW, by=by)) if by else None
        self.card = self.ret.attrs["definition"]
        self.currency = Currency(currency, None)
        # cohorts (quarterly)
        self.cohort_mrr = _as_periods(cohort_table(table, metric="mrr", period="Q"), "Q")
        ages = self.cohort_mrr.columns
        self.cohort_rev = _as_periods(cohort_table(table, metric="revenue", period="Q"), "Q").reindex(columns=ages)
        self.cohort_logo = _as_periods(cohort_table(table, metric="logos", period="Q"), "Q").reindex(columns=ages)
        self.curve_rev = cohort_curve(table, metric="revenue", period="Q").set_index("age")
        self.curve_logo = cohort_curve(table, metric="logos", period="Q").set_index("age")
        size = self.cohort_mrr.attrs["size"]
        self.cohort_size = pd.Series([int(size[c]) for c in self.cohort_mrr.index], index=self.cohort_mrr.index)
        # customers paying at each age = logo retention x cohort size (a whole number, rounded off float dust)
        self.cohort_count = np.rint(self.cohort_logo.mul(self.cohort_size, axis=0))
        self.cake = layer_cake(table, period="Q")
        self.cake.index = pd.Index(labels(ordinals(self.cake.index), "Q", months=True), name="period")  # 2024-Q1
        # the headline, its interval and its caution
        last = self.ret.iloc[-1]
        self.headline = last
        self.base_customers = int(last["customers_start"])
        self.interval = nrr_interval(table, window=WINDOW, n_boot=n_boot, progress=progress)
        self.level = assess(float(last["nrr"]))
        self.caution = caution(self.base_customers, self.interval.low, self.interval.high)
        end_paying = int((panel.values[:, -1] > 0).sum())
        self.customers_now = end_paying  # paying in the as-of month (not everyone who ever paid)
        self.customers_ever = int((self.first >= 0).sum())
        self.mrr_now = float(panel.values[:, -1].sum())
        self.acv = 12 * self.mrr_now / end_paying if end_paying else None
        # the ACV bands are in US dollars: compared only in US dollars (converted with a given rate)
        self.acv_usd, self.acv_note = acv_in_benchmark_currency(self.acv, self.currency.code, usd_rate)
        self.bench = compare_to_benchmarks(nrr=float(last["nrr"]), grr=float(last["grr"]),
                                                      acv=self.acv_usd)
        self.tables = all_tables()
        self.missing_label = MISSING_SEGMENT
        self._segments(n_boot)
        self._concentration()
        self._signals()
        critical = [g["message"] for g in self.signal_groups if g["level"] == "critical"]
        #: the level, shown (with GRR) or withheld with its reasons: level_verdict's rule
        self.verdict = level_verdict(float(last["nrr"]), float(last["grr"]), self.base_customers,
                                                self.interval.low, self.interval.high, critical=critical)
        if not self.verdict.shown:  # the levels row of the benchmarks says the level is withheld, as the tile does
            self.bench.loc[self.bench["table"] == "levels", "position"] = "withheld"
        self._trend()
        self.scenario = _scenario(table, new_rate, new_arr, self.currency, self.acv, self.acv_usd, self.acv_note,
                                  usd_rate)
        self.projection = self.scenario.project()  # the defensible path: new business flat, NRR fading
        self.projection_measured = self.scenario.project(path="measured")  # the contrast, never the default

    # ------------------------------------------------------------------ segments

    def _segments(self, n_boot: int) -> None:
        """Per segment at the as-of month: figures, an interval, rated or not, the caution, benchmarks."""
        by, panel = self.by, self.panel
        self.summary_seg = segment_summary(self.table, by) if by else None
        self.seg_rows: list[dict] = []
        self.bench_seg: list[tuple[str, pd.DataFrame]] = []
        self.seg_varies = False
        if not by:
            return
        codes, labels = panel.segments[by]
        has = codes >= 0
        lo = np.where(has, codes, np.iinfo(np.int32).max).min(axis=1)
        hi = np.where(has, codes, -1).max(axis=1)
        self.seg_varies = bool((has.any(axis=1) & (lo != hi)).any())
        self.seg_labels = np.asarray(labels, dtype=object)
        self.seg_codes = codes
        t = panel.n_months - 1
        b = t - WINDOW
        v = panel.values
        at = self.ret_by[self.ret_by["month"] == self.as_of]
        for _, row in at.iterrows():
            label = str(row[by])
            k = int(np.flatnonzero(self.seg_labels == label)[0])
            members = (codes[:, b] == k) & (v[:, b] > 0)
            low, high = ratio_interval(v[members, b], v[members, t], n_boot=n_boot)
            n = int(row["customers_start"])
            rated = is_rated(n)
            self.seg_rows.append({
                "segment": label, "customers": n, "start_mrr": float(row["start_mrr"]),
                "nrr": float(row["nrr"]), "grr": float(row["grr"]), "logo_retention": float(row["logo_retention"]),
                "low": low, "high": high, "rated": rated,
                "level": assess(float(row["nrr"])) if rated and np.isfinite(row["nrr"]) else None,
                "caution": caution(n, low, high),
            })
            if not rated:
                continue
            try:
                cmp = compare_to_benchmarks(nrr=float(row["nrr"]), grr=float(row["grr"]), segment=label)
            except DataError:  # a segment name the benchmark tables do not know
                continue
            self.bench_seg.append((label, cmp[cmp["table"] != "levels"]))

    def segment(self, label: str) -> dict:
        return next(r for r in self.seg_rows if r["segment"] == label)

    # ------------------------------------------------------------------ concentration

    def _concentration(self) -> None:
        """NRR without the top expanders of the window, and the share of MRR in the largest customers."""
        acc = accounts(self.table, window=WINDOW)
        self.accounts = acc
        gains = acc[acc["change"] > 0]  # accounts() sorts by change (largest first), then id
        self.expanders = gains.head(max(CONCENTRATION_TOP))
        n_gains = len(gains)
        start, end = float(acc["start_mrr"].sum()), float(acc["end_mrr"].sum())
        rows = []
        for k in sorted({min(k, n_gains) for k in CONCENTRATION_TOP} - {0}):
            top = gains.head(k)
            s, e = start - float(top["start_mrr"].sum()), end - float(top["end_mrr"].sum())
            rows.append({"removed": k, "label": (f"without the top {k} expander{'s' if k > 1 else ''}"
                                                 if k in CONCENTRATION_TOP else f"without all {k} expanders"),
                         "nrr": e / s if s > 0 else np.nan,
                         "expansion_share": float(top["change"].sum()) / float(gains["change"].sum())})
        self.concentration = pd.DataFrame(rows, columns=["removed", "label", "nrr", "expansion_share"])
        now = self.panel.values[:, -1]
        order = np.lexsort((np.arange(len(now)), -now))  # largest MRR first, then id order
        top10 = [i for i in order[:10] if now[i] > 0]
        self.largest = top10  # panel row numbers of the (up to) 10 largest customers
        self.top10_share = float(now[top10].sum()) / self.mrr_now if self.mrr_now > 0 else np.nan

    # ------------------------------------------------------------------ signals

    def _signals(self) -> None:
        """The signals of the last 12 end months from bases of at least TINY_BASE customers, grouped."""
        floor = TINY_BASE
        every = signals(self.table, min_customers=floor)
        recent = _as_periods(signals(self.table, min_customers=floor, last=WINDOW, money=self.currency.short))
        self.signals = recent
        self.signals_suppressed = int(recent.attrs["suppressed"])
        self.signals_earlier = len(every) - len(recent)
        groups = []
        for (metric, segment, level), g in recent.groupby(["metric", "segment", "level"], sort=False):
            latest = g.iloc[0]  # newest first
            groups.append({"metric": metric, "segment": segment, "level": level, "months": len(g),
                           "first": g["month"].min(), "last": g["month"].max(), "value": float(latest["value"]),
                           "threshold": latest["threshold"], "message": latest["message"]})
        groups.sort(key=lambda x: (LEVEL_ORDER[x["level"]], -x["last"].ordinal, -x["months"]))
        self.signal_groups = groups

    # ------------------------------------------------------------------ trend

    def _trend(self) -> None:
        """The retention series for the trend chart: end months whose base has fewer than TINY_BASE
        customers are left out (a 0% from one churned customer says nothing)."""
        r = self.ret
        floor = TINY_BASE
        keep = r["customers_start"] >= floor
        if not keep.any():  # a company this small: drop only the empty bases
            floor = 1
            keep = r["customers_start"] >= floor
        self.trend = r[keep].reset_index(drop=True)
        self.trend.attrs = dict(r.attrs)
        self.trend_floor = floor
        self.trend_dropped = int((~keep).sum())
        n = len(self.trend)
        #: a trend of fewer than 12 end months says so (a short line is easily read as a direction)
        self.trend_note = "" if n >= FULL_TREND else (
            f"only {n} end month{'s' if n != 1 else ''} of {FULL_TREND}"
            + (f" ({self.trend_dropped} with a base under {floor} customers not drawn)" if self.trend_dropped else "")
            + ": too few points to read a trend")


# ---------------------------------------------------------------------- the scenario in the pack's currency

#: The long-run NRR of the default path when no benchmark band applies (amounts not in US dollars):
#: 100%, a base that neither grows nor shrinks.
NEUTRAL_NRR = 1.0


def _scenario(table, new_rate, new_arr, cur, acv, acv_usd, acv_note, usd_rate):
    """:func:`nrrkit.scenarios.calibrate`, with the benchmark of the long-run NRR read in US dollars.

    The SaaS Capital bands are in US dollars.  With amounts in US dollars the calibration is used as
    it is.  With another currency and a rate for one US dollar, the band is the one of the converted
    ACV.  Without a rate (or a stated currency) no band applies: the benchmark check is "not run",
    and the default path fades NRR to 100% instead, saying why.
    """
    usd = cur.code.upper() in ("USD", "US$", "$")
    if usd or acv is None:
        return calibrate(table, window=WINDOW, new_rate=new_rate, new_arr=new_arr)
    if acv_usd is not None:
        band = acv_band(acv_usd)
        level = float(band.median_nrr)
        where = (f"the SaaS Capital 2023 median NRR for ACV {band.acv_band} ({level:.0%}), the band of this company's "
                 f"average ACV of {cur.short(acv)} (US${acv_usd:,.0f}, {acv_note})")
    else:
        band, level = None, NEUTRAL_NRR
        where = f"no benchmark band applies ({acv_note}); NRR 100%, a base that neither grows nor shrinks"
    s = calibrate(table, window=WINDOW, new_rate=new_rate, new_arr=new_arr, long_run_nrr=level)
    s["long_run_basis"] = "assumed"
    s["long_run_source"] = where + (f"; source: {SAAS_CAPITAL}" if band is not None else "")
    s["acv_band"] = str(band.acv_band) if band is not None else "not compared"
    for row in s["inputs"]:
        if row["figure"] == "long-run NRR":
            row["basis"], row["source"] = "assumed", s["long_run_source"]
    nrr = float(s["nrr"])
    for c in s["checks"]:
        if c["check"] != "NRR against benchmark":
            continue
        if band is None:
            c["status"], c["detail"] = "not run", f"no benchmark band to compare with: {acv_note}"
        elif nrr > level + FAR_ABOVE + 1e-12:
            c["status"], c["detail"] = "flagged", (f"NRR {nrr:.1%} is {(nrr - level) * 100:.1f} points above {where}; "
                                                   "few companies hold such a rate for five years, which is why the "
                                                   "default path fades it")
        else:
            c["status"], c["detail"] = "passed", f"NRR {nrr:.1%} is within {FAR_ABOVE * 100:.0f} points of {where}"
    s["cautions"] = [c["detail"] for c in s["checks"] if c["status"] == "flagged"]
    s["flags"] = s["cautions"]
    return s


_DOLLARS = re.compile(r"(?<!ACV )(?<!US)\$(?=\d)")


def in_currency(text: str, cur) -> str:
    """A sentence of :mod:`nrrkit.scenarios` as the pack prints it: amounts ("$25,510") in the pack's
    currency (benchmark bands such as "ACV $12-25k" stay in US dollars, where they belong), and each
    full citation replaced by its short name (the sources section lists them with their links)."""
    for src in SOURCES:
        text = text.replace(f"source: {src}", f"source: {src.short}").replace(str(src), src.short)
    if cur.symbol == "$" or not cur.code:
        return text if cur.code else _DOLLARS.sub("", text)
    prefix = cur.symbol or f"{cur.code} "
    return _DOLLARS.sub(prefix, text)
