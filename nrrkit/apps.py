"""What-if apps for the notebooks: one ipywidgets class per app.

Each app is built from the same functions the notebooks' text uses; a callback
only reads the widgets, calls nrrkit, and redraws.  Every app exposes

- ``.widget``: the ipywidgets box to display (``display(app)`` works too);
- ``.kpi``: an HTML widget whose text holds the key figures (tests and the
  browser checks read it);
- ``.update()``: recompute and redraw (called on every widget change);
- ``.error``: the last error shown to the user, or "" (errors are displayed in
  the app, never swallowed).

Sliders that trigger heavy recomputation use ``continuous_update=False``.
"""

from __future__ import annotations

import html
import time

import ipywidgets as w
import matplotlib.pyplot as plt
import pandas as pd

from . import levers, plot, scenarios
from .benchmarks import assess
from .errors import DataError

__all__ = ["NRRCalculator", "RetentionExplorer", "CohortExplorer", "SegmentExplorer", "LeverExplorer",
           "ScenarioExplorer"]


def _pct(x: float, digits: int = 1) -> str:
    return f"{x * 100:.{digits}f}%"


def _kpis(pairs: list[tuple[str, str]]) -> str:
    cells = "".join(
        f"<div style='display:inline-block;margin:0 18px 6px 0'><div style='font-size:11px;color:#546e7a'>"
        f"{html.escape(k)}</div><div class='nrrkit-kpi' data-name='{html.escape(k)}' "
        f"style='font-size:20px;font-weight:600'>{html.escape(v)}</div></div>"
        for k, v in pairs)
    return f"<div class='nrrkit-kpis'>{cells}</div>"


class _App:
    """Shared plumbing: a KPI line, an error line, an output area for the chart."""

    figsize = (7.5, 3.6)

    def __init__(self) -> None:
        self.kpi = w.HTML()
        self.message = w.HTML()
        self.out = w.Output()
        self.error = ""
        self.last_seconds = 0.0
        self.values: dict[str, float] = {}

    def _controls(self) -> list[w.Widget]:  # pragma: no cover - overridden
        return []

    def _build(self) -> None:
        for c in self._controls():
            c.observe(lambda _change: self.update(), names="value")
        self.widget = w.VBox([w.HBox(self._controls(), layout=w.Layout(flex_flow="row wrap")), self.kpi,
                              self.message, self.out])
        self.update()

    def _compute(self) -> tuple[list[tuple[str, str]], object]:  # pragma: no cover - overridden
        raise NotImplementedError

    def update(self) -> None:
        began = time.perf_counter()
        try:
            pairs, draw = self._compute()
            self.kpi.value = _kpis(pairs)
            self.error = ""
            self.message.value = ""
            with self.out:
                self.out.clear_output(wait=True)
                if getattr(self, "ax", None) is not None:
                    plt.close(self.ax.figure)  # one live figure per app
                fig, ax = plt.subplots(figsize=self.figsize, layout="constrained")
                draw(ax)
                self.ax = ax  # what was drawn, for tests and inspection
                plt.show()
        except DataError as exc:  # shown to the user, not swallowed
            self.error = str(exc)
            self.message.value = f"<span style='color:#c62828'>{html.escape(self.error)}</span>"
        self.last_seconds = time.perf_counter() - began

    def _ipython_display_(self) -> None:  # pragma: no cover - notebook display
        from IPython.display import display

        display(self.widget)


def _slider(description: str, value: float, lo: float, hi: float, step: float, *,
            continuous: bool = True, fmt: str = ".1%") -> w.FloatSlider:
    return w.FloatSlider(value=value, min=lo, max=hi, step=step, description=description, readout_format=fmt,
                         continuous_update=continuous, style={"description_width": "initial"},
                         layout=w.Layout(width="330px"))


class NRRCalculator(_App):
    """01: start MRR, expansion, contraction and churn -> NRR, GRR, assessment and a bridge chart."""

    def __init__(self, start: float = 100_000, expansion: float = 15_000, contraction: float = 3_000,
                 churn: float = 5_000) -> None:
        super().__init__()
        self.start = w.BoundedFloatText(value=start, min=0, max=1e12, step=1000, description="start MRR",
                                        style={"description_width": "initial"}, layout=w.Layout(width="230px"))
        top = max(start, expansion, contraction, churn, 1.0)
        step = 10 ** max(0, len(str(int(top))) - 3)  # about a thousand steps across the range

        def amount(name: str, value: float) -> w.FloatSlider:
            return _slider(name, value, 0.0, float(top), float(step), fmt=",.0f")

        self.expansion = amount("expansion", expansion)
        self.contraction = amount("contraction", contraction)
        self.churn = amount("churn", churn)
        self._build()

    def _controls(self):
        return [self.start, self.expansion, self.contraction, self.churn]

    def _compute(self):
        from .retention import grr, nrr

        s, e, c, k = self.start.value, self.expansion.value, self.contraction.value, self.churn.value
        n, g = nrr(s, e, c, k), grr(s, c, k)
        self.values = {"nrr": n, "grr": g}
        bridge = pd.DataFrame({"period": ["calculator"], "start_mrr": [s], "new": [0.0], "reactivation": [0.0],
                               "expansion": [e], "contraction": [c], "churn": [k], "end_mrr": [s + e - c - k]})
        return ([("NRR", _pct(n)), ("GRR", _pct(g)), ("assessment", assess(n)), ("end MRR", f"{s + e - c - k:,.0f}")],
                lambda ax: plot.bridge_waterfall(bridge, ax=ax, title="Start MRR to end MRR"))


class RetentionExplorer(_App):
    """02: window, method and segment -> NRR, GRR and logo retention over time."""

    figsize = (7.5, 3.8)

    def __init__(self, mrr: pd.DataFrame, *, attributes: list[str] | None = None) -> None:
        super().__init__()
        from .retention import METHODS

        self.mrr = mrr
        attrs = attributes or [c for c in mrr.columns if c not in ("customer_id", "month", "mrr")]
        self.window = w.Dropdown(options=[("12 months", 12), ("3 months", 3), ("1 month", 1)], value=12,
                                 description="window")
        self.method = w.Dropdown(options=list(METHODS), value="cohort", description="method")
        self.segment_by = w.Dropdown(options=["(all customers)", *attrs], value="(all customers)",
                                     description="segment by")
        self.segment = w.Dropdown(options=["(all)"], value="(all)", description="segment")
        self.segment_by.observe(self._segments, names="value")
        self._build()

    def _controls(self):
        return [self.window, self.method, self.segment_by, self.segment]

    def _segments(self, change) -> None:
        by = change["new"]
        opts = ["(all)"] if by == "(all customers)" else ["(all)", *sorted(map(str, self.mrr[by].dropna().unique()))]
        self.segment.options = opts
        self.segment.value = "(all)"

    def _compute(self):
        from .retention import retention

        by = None if self.segment_by.value == "(all customers)" else self.segment_by.value
        r = retention(self.mrr, window=self.window.value, method=self.method.value, by=by)
        if by is not None and self.segment.value != "(all)":
            r = r[r[by].astype(str) == self.segment.value].drop(columns=by)
            r.attrs = retention(self.mrr, window=self.window.value, method=self.method.value).attrs
        elif by is not None:
            r = retention(self.mrr, window=self.window.value, method=self.method.value)
        if r.empty:
            raise DataError(f"no {self.window.value}-month window fits this data; choose a shorter window")
        last = r.iloc[-1]
        self.values = {"nrr": float(last["nrr"]), "grr": float(last["grr"]), "logo": float(last["logo_retention"])}
        return ([("end month", str(last["month"])), ("NRR", _pct(last["nrr"])), ("GRR", _pct(last["grr"])),
                 ("logo retention", _pct(last["logo_retention"])), ("assessment", assess(last["nrr"]))],
                lambda ax: plot.nrr_trend(r, ax=ax))


class CohortExplorer(_App):
    """03: metric and cohort period -> the cohort heatmap, with the dollar-weighted curve's KPIs."""

    figsize = (8, 4.5)

    def __init__(self, mrr: pd.DataFrame) -> None:
        super().__init__()
        self.mrr = mrr
        self.metric = w.Dropdown(options=["revenue", "logos"], value="revenue", description="metric")
        self.period = w.Dropdown(options=[("quarter", "Q"), ("month", "M"), ("year", "Y")], value="Q",
                                 description="cohort period")
        self._build()

    def _controls(self):
        return [self.metric, self.period]

    def _compute(self):
        from .cohorts import cohort_curve, cohort_table

        t = cohort_table(self.mrr, metric=self.metric.value, period=self.period.value)
        c = cohort_curve(self.mrr, metric=self.metric.value, period=self.period.value).set_index("age")
        unit = {"M": "month", "Q": "quarter", "Y": "year"}[self.period.value]
        pairs = [("cohorts", str(len(t)))]
        for age in (1, 4) if self.period.value != "Y" else (1, 2):
            if age in c.index:
                pairs.append((f"{unit} {age}, all cohorts", _pct(c.loc[age, "value"])))
                self.values[f"age_{age}"] = float(c.loc[age, "value"])
        return pairs, lambda ax: plot.cohort_heatmap(t, ax=ax, annotate=t.size <= 150)


class SegmentExplorer(_App):
    """03: segment attribute and window -> NRR and GRR per segment, the total, and the averaging trap."""

    def __init__(self, mrr: pd.DataFrame, *, attributes: list[str] | None = None) -> None:
        super().__init__()
        self.mrr = mrr
        attrs = attributes or [c for c in mrr.columns if c not in ("customer_id", "month", "mrr")]
        if not attrs:
            raise DataError("the MRR table has no attribute column to segment by")
        self.by = w.Dropdown(options=attrs, value=attrs[0], description="segment by")
        self.window = w.Dropdown(options=[("12 months", 12), ("3 months", 3), ("1 month", 1)], value=12,
                                 description="window")
        self._build()

    def _controls(self):
        return [self.by, self.window]

    def _compute(self):
        from .segments import segment_summary

        s = segment_summary(self.mrr, self.by.value, window=self.window.value)
        total = s.iloc[-1]
        best = s.iloc[:-1].sort_values("nrr").iloc[-1]
        self.values = {"nrr": float(total["nrr"]), "average": float(s.attrs["average_of_segments"])}
        return ([("company NRR", _pct(total["nrr"])), ("average of segments", _pct(s.attrs["average_of_segments"])),
                 ("highest", f"{best['segment']} {_pct(best['nrr'])}"), ("segments", str(len(s) - 1))],
                lambda ax: plot.segment_bars(s, ax=ax))


class LeverExplorer(_App):
    """04: churn (monthly or annual), contraction and expansion sliders -> NRR and GRR live."""

    def __init__(self, churn: float = 0.10, contraction: float = 0.03, expansion: float = 0.15) -> None:
        super().__init__()
        self.basis = w.ToggleButtons(options=["annual churn", "monthly churn"], value="annual churn",
                                     style={"button_width": "110px"})
        self.churn = _slider("churn", churn, 0.0, 0.6, 0.005)
        self.contraction = _slider("contraction", contraction, 0.0, 0.3, 0.005)
        self.expansion = _slider("expansion", expansion, 0.0, 0.8, 0.005)
        self.basis.observe(self._basis, names="value")
        self._build()

    def _controls(self):
        return [self.basis, self.churn, self.contraction, self.expansion]

    def _basis(self, change) -> None:
        # keep the same economics: convert the slider's value to the other basis
        if change["new"] == "monthly churn":
            self.churn.max = 0.1
            self.churn.value = round(levers.monthly_churn(min(self.churn.value, 0.999)), 4)
        else:
            self.churn.max = 0.6
            self.churn.value = round(levers.annual_churn(self.churn.value), 3)

    def annual_churn(self) -> float:
        return levers.annual_churn(self.churn.value) if self.basis.value == "monthly churn" else self.churn.value

    def _compute(self):
        c = self.annual_churn()
        n = levers.nrr_from_levers(churn=c, contraction=self.contraction.value, expansion=self.expansion.value)
        g = levers.grr_from_levers(churn=c, contraction=self.contraction.value)
        self.values = {"nrr": n, "grr": g, "annual_churn": c}
        t = levers.tornado({"churn": c, "contraction": self.contraction.value, "expansion": self.expansion.value})
        return ([("annual churn", _pct(c)), ("NRR", _pct(n)), ("GRR", _pct(g)), ("assessment", assess(n))],
                lambda ax: plot.tornado(t, ax=ax))


class ScenarioExplorer(_App):
    """05: start ARR, NRR, new-business rate, years and NRR decay -> five-year ARR against a 100%-NRR twin."""

    def __init__(self, start_arr: float = 10e6, nrr: float = 1.25, new_rate: float = 0.20, years: int = 5,
                 decay: float = 0.0, floor: float = 1.0) -> None:
        super().__init__()
        self.start = w.FloatLogSlider(value=start_arr, base=10, min=5, max=9, step=0.05, description="start ARR",
                                      readout_format=".3s", style={"description_width": "initial"},
                                      layout=w.Layout(width="330px"))
        self.nrr = _slider("NRR", nrr, 0.7, 1.8, 0.01, fmt=".0%")
        self.new_rate = _slider("new business (share of ARR)", new_rate, 0.0, 1.0, 0.01, fmt=".0%")
        self.years = w.IntSlider(value=years, min=1, max=10, description="years", style={"description_width": "initial"})
        self.decay = _slider("NRR decay a year", decay, 0.0, 1.0, 0.05, fmt=".0%")
        self.floor = floor
        self._build()

    def _controls(self):
        return [self.start, self.nrr, self.new_rate, self.years, self.decay]

    def _compute(self):
        params = dict(start_arr=self.start.value, new_rate=self.new_rate.value, years=self.years.value)
        sched = {"floor": self.floor, "decay": self.decay.value} if self.decay.value > 0 else None
        c = scenarios.compare_scenarios({
            "your scenario": dict(params, nrr=self.nrr.value, nrr_schedule=sched),
            "NRR 100%": dict(params, nrr=1.0),
        })
        end = float(c["your scenario"].iloc[-1])
        ratio = float(c["NRR 100% / your scenario"].iloc[-1])
        self.values = {"end_arr": end, "ratio": 1 / ratio}
        return ([(f"ARR after {self.years.value} years", plot.money(end)),
                 ("vs NRR 100%", f"{1 / ratio:.2f}x"),
                 ("growth year 1", _pct(float(c.attrs['projections']['your scenario']['growth'].iloc[0])))],
                lambda ax: plot.scenario_lines(c, ax=ax))
