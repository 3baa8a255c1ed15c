"""What-if apps for the notebooks: one ipywidgets class per app.

Each app is built from the same functions the notebooks' text uses; a callback
only reads the widgets, calls nrrkit, and redraws.  Every app exposes

- ``.widget``: the ipywidgets box to display (``display(app)`` works too);
- ``.kpi``: an HTML widget whose text holds the key figures (tests and the
  browser checks read it);
- ``.image``: the chart, a PNG in an ``ipywidgets.Image``;
- ``.update()``: recompute and redraw (called on every widget change);
- ``.error``: the last error shown to the user, or "" (errors are displayed in
  the app, never swallowed);
- ``.copy()``: a new app with the same settings, sharing the computed results
  (``.widget.nrrkit_copy`` makes one for the room server's next visitor).

How the chart is drawn, and why
-------------------------------
Each app keeps one matplotlib figure for its whole life.  The layout is computed
once (constrained layout on the first draw, then frozen), each update redraws the
axes' artists, and the figure is rendered to PNG straight into the Image widget.
There is no ``Output`` widget: output captured by an ``Output`` widget while a
dashboard page executes makes the server-side executor send messages back to the
kernel in the middle of a cell, which is where Voila pages used to stall for good
(docs/architecture.md, "Design choices"; docs/notebooks.md, "Running the dashboards for a room").

Rates are entered in percent points (the slider shows ``15.0`` for 15%, and its
readout accepts ``15`` or ``15%``); money in $M where a slider holds it.
"""

from __future__ import annotations

import html
import io
import time
import warnings

import ipywidgets as w
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from . import levers, plot, scenarios
from .benchmarks import assess
from .errors import DataError, DataWarning
from .tables import period_text

__all__ = ["NRRCalculator", "RetentionExplorer", "CohortExplorer", "SegmentExplorer", "LeverExplorer",
           "ScenarioExplorer"]

#: Pixels per inch of the app charts (a 7.5 in wide chart is 600 px).
DPI = 80


def _pct(x: float, digits: int = 1) -> str:
    return f"{x * 100:.{digits}f}%"


def _kpis(pairs: list[tuple[str, str]]) -> str:
    cells = "".join(
        f"<div style='display:inline-block;margin:0 18px 6px 0'><div style='font-size:12px;color:#546e7a'>"
        f"{html.escape(k)}</div><div class='nrrkit-kpi' data-name='{html.escape(k)}' "
        f"style='font-size:20px;font-weight:600'>{html.escape(v)}</div></div>"
        for k, v in pairs)
    return f"<div class='nrrkit-kpis'>{cells}</div>"


class _App:
    """Shared plumbing: a KPI line, a note line, an error line, and the chart as an Image."""

    figsize = (7.5, 3.6)
    ncols = 1

    def __new__(cls, *args, **kwargs):
        self = super().__new__(cls)
        self._made_with = (args, kwargs)  # what copy() builds the next one from
        return self

    def __init__(self) -> None:
        self.kpi = w.HTML()
        self.note = w.HTML()
        self.message = w.HTML()
        self.image = w.Image(format="png", layout=w.Layout(width=f"{int(self.figsize[0] * DPI)}px",
                                                           height="auto"))
        self.error = ""
        self.last_seconds = 0.0       # the last update, wall clock
        self.last_cpu_seconds = 0.0   # ... and the CPU time it used (what the machine's load does not change)
        self.values: dict[str, float] = {}
        self.fig = Figure(figsize=self.figsize, dpi=DPI, layout="constrained")
        self._canvas = FigureCanvasAgg(self.fig)
        axes = self.fig.subplots(1, self.ncols)
        self.axes = list(axes) if self.ncols > 1 else [axes]
        self._laid_out = False
        if not hasattr(self, "_cache"):  # a copy shares its original's results
            self._cache: dict = {}

    @property
    def ax(self):
        """The (first) axes drawn on, for tests and inspection."""
        return self.axes[0]

    def _controls(self) -> list[w.Widget]:  # pragma: no cover - overridden
        return []

    def _build(self) -> None:
        for c in self._controls():
            c.observe(lambda _change: self.update(), names="value")
        self.widget = w.VBox([w.HBox(self._controls(), layout=w.Layout(flex_flow="row wrap")), self.kpi,
                              self.note, self.message, self.image])
        self.widget.nrrkit_copy = lambda: self.copy().widget
        self.update()

    def copy(self) -> _App:
        """A new app as this one was made (its own widgets and figure), sharing the results computed so far."""
        args, kwargs = self._made_with
        new = type(self).__new__(type(self), *args, **kwargs)
        new._cache = self._cache  # results of nrrkit on the same data: read only
        new.__init__(*args, **kwargs)
        return new

    def _cached(self, key, compute):
        """Results of nrrkit calls on the app's data, kept per setting (the data never changes)."""
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]

    def _compute(self):  # pragma: no cover - overridden
        raise NotImplementedError

    def _relayout(self) -> None:
        """Lay the figure out again on the next draw (when tick labels or titles change size)."""
        if self._laid_out:
            self.fig.set_layout_engine("constrained")
            self._laid_out = False

    def _render(self, draw) -> None:
        for ax in self.axes:
            ax.clear()
            ax.dataLim.set_points(ax.dataLim.null().get_points())  # clear() keeps the old data limits
            ax.ignore_existing_data_limits = True
        draw(*self.axes)
        if not self._laid_out:
            self.fig.get_layout_engine().execute(self.fig)  # once: the layout is then frozen
            self.fig.set_layout_engine("none")
            self._laid_out = True
        self.image.value = self._png()

    def _png(self) -> bytes:
        """Draw the figure once and encode it (savefig would draw it twice; fast zlib level)."""
        from PIL import Image

        self._canvas.draw()
        buf = io.BytesIO()
        Image.frombuffer("RGBA", self._canvas.get_width_height(), self._canvas.buffer_rgba(), "raw", "RGBA", 0,
                         1).save(buf, format="png", compress_level=1)
        return buf.getvalue()

    def update(self) -> None:
        began, began_cpu = time.perf_counter(), time.process_time()
        try:
            pairs, draw, note = self._compute()
            self._render(draw)  # the chart first: when the numbers change on screen, it has arrived
            self.image.layout.display = ""
            self.kpi.value = _kpis(pairs)
            self.note.value = f"<div style='font-size:13px;color:#37474f;max-width:760px'>{note}</div>" if note else ""
            self.error = ""
            self.message.value = ""
        except DataError as exc:  # shown to the user, not swallowed; no figure of an earlier setting stays up
            self.error = str(exc)
            self.values = {}
            self.kpi.value = ""
            self.note.value = ""
            self.image.layout.display = "none"
            self.message.value = (f"<div style='color:#c62828;font-size:14px;padding:8px 0'>{html.escape(self.error)}"
                                  f"</div>")
        self.last_seconds = time.perf_counter() - began
        self.last_cpu_seconds = time.process_time() - began_cpu

    def _ipython_display_(self) -> None:  # pragma: no cover - notebook display
        from IPython.display import display

        display(self.widget)


def _slider(description: str, value: float, lo: float, hi: float, step: float, *,
            continuous: bool = True, fmt: str = ".1f", width: str = "380px") -> w.FloatSlider:
    return w.FloatSlider(value=value, min=lo, max=hi, step=step, description=description, readout_format=fmt,
                         continuous_update=continuous, style={"description_width": "initial"},
                         layout=w.Layout(width=width))


def _rate_slider(description: str, fraction: float, lo: float, hi: float, step: float) -> w.FloatSlider:
    """A rate slider in percent points: value 15.0 is 15%; its readout accepts "15" and "15%"."""
    return _slider(f"{description} (%)", round(fraction * 100, 6), lo * 100, hi * 100, step * 100)


def _dropdown(description: str, options, value, width: str = "260px") -> w.Dropdown:
    return w.Dropdown(options=options, value=value, description=description,
                      style={"description_width": "initial"}, layout=w.Layout(width=width))


class NRRCalculator(_App):
    """01: start MRR, expansion, contraction and churn -> NRR, GRR and a bridge chart."""

    def __init__(self, start: float = 100_000, expansion: float = 15_000, contraction: float = 3_000,
                 churn: float = 5_000) -> None:
        super().__init__()
        self.start = w.BoundedFloatText(value=start, min=0, max=1e12, step=1000, description="start MRR ($)",
                                        style={"description_width": "initial"}, layout=w.Layout(width="230px"))
        self.expansion = _slider("expansion ($)", expansion, 0.0, 1.0, 1.0, fmt=",.0f")
        self.contraction = _slider("contraction ($)", contraction, 0.0, 1.0, 1.0, fmt=",.0f")
        self.churn = _slider("churn ($)", churn, 0.0, 1.0, 1.0, fmt=",.0f")
        self._rescale(start, {"expansion": expansion, "contraction": contraction, "churn": churn})
        self.start.observe(lambda change: self._rescale(change["new"]), names="value")
        self._build()

    def _rescale(self, start: float, values: dict | None = None) -> None:
        """Slider ranges follow start MRR: contraction and churn up to all of it, expansion up to twice it."""
        values = values or {"expansion": self.expansion.value, "contraction": self.contraction.value,
                            "churn": self.churn.value}
        base = max(float(start), 1.0)
        step = float(10 ** max(0, len(str(int(base))) - 4))  # about a thousand steps across the range
        for name, top in (("expansion", 2 * base), ("contraction", base), ("churn", base)):
            slider = getattr(self, name)
            top = max(top, values[name])  # never cut a value the user set
            if top > slider.max:
                slider.max = top
                slider.step = step
            else:
                slider.step = step
                slider.max = top
            slider.value = values[name]

    def _controls(self):
        return [self.start, self.expansion, self.contraction, self.churn]

    def _compute(self):
        from .retention import grr, nrr

        s, e, c, k = self.start.value, self.expansion.value, self.contraction.value, self.churn.value
        money = plot.money_exact  # the app's own format ($100,000), in its errors too
        if s <= 0:
            raise DataError(f"start MRR is {money(s)}: NRR divides by it, so it must be above $0")
        if c + k > s:
            raise DataError(f"contraction + churn ({money(c)} + {money(k)} = {money(c + k)}) exceed start MRR "
                            f"({money(s)}): existing customers cannot lose more than they paid; lower contraction "
                            "or churn, or raise start MRR")
        n, g = nrr(s, e, c, k), grr(s, c, k)
        self.values = {"nrr": n, "grr": g}
        bridge = pd.DataFrame({"period": ["calculator"], "start_mrr": [s], "new": [0.0], "reactivation": [0.0],
                               "expansion": [e], "contraction": [c], "churn": [k], "end_mrr": [s + e - c - k]})
        note = (f"If these are a year's movements, NRR {_pct(n)} is <b>{assess(n)}</b> on the scale of the "
                "performance levels (a 12-month scale; see notebook 03).")
        return ([("NRR", _pct(n)), ("GRR", _pct(g)), ("end MRR", plot.money_exact(s + e - c - k))],
                lambda ax: plot.bridge_waterfall(bridge, ax=ax, title="Start MRR to end MRR"), note)


class RetentionExplorer(_App):
    """02: window, method and segment -> NRR, GRR and logo retention over time."""

    figsize = (7.5, 3.8)

    def __init__(self, mrr: pd.DataFrame, *, attributes: list[str] | None = None) -> None:
        super().__init__()
        from .retention import METHODS

        self.mrr = mrr
        attrs = attributes or [c for c in mrr.columns if c not in ("customer_id", "month", "mrr")]
        self.window = _dropdown("window", [("12 months", 12), ("3 months", 3), ("1 month", 1)], 12, "200px")
        self.method = _dropdown("method", list(METHODS), "cohort", "220px")
        self.segment_by = _dropdown("segment by", ["(all customers)", *attrs], "(all customers)")
        self.segment = _dropdown("segment", ["(all)"], "(all)")
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

        window, method = self.window.value, self.method.value
        by = None if self.segment_by.value == "(all customers)" else self.segment_by.value
        def quiet(**kw):  # a window too long for the data is said below, once, as the app's own message
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DataWarning)
                return retention(self.mrr, window=window, method=method, **kw)

        r = self._cached(("all", window, method), quiet)
        if by is not None and self.segment.value != "(all)":
            per = self._cached((by, window, method), lambda: quiet(by=by))
            attrs = r.attrs
            r = per[per[by].astype(str) == self.segment.value].drop(columns=by)
            r.attrs = attrs
        if r.empty:
            raise DataError(f"no {window}-month window fits this data; choose a shorter window")
        last = r.iloc[-1]
        self.values = {"nrr": float(last["nrr"]), "grr": float(last["grr"]), "logo": float(last["logo_retention"])}
        level = assess(last["nrr"]) if window == 12 else "12-month only"
        note = "" if window == 12 else (
            f"A {window}-month NRR is not on the yearly scale of levels: {_pct(last['nrr'])} over {window} "
            f"month(s) would compound to about {_pct(last['nrr'] ** (12 / window))} a year.")
        return ([("end month", period_text(last["month"])), ("NRR", _pct(last["nrr"])), ("GRR", _pct(last["grr"])),
                 ("logo retention", _pct(last["logo_retention"])), ("level", level)],
                lambda ax: plot.nrr_trend(r, ax=ax), note)


class CohortExplorer(_App):
    """03: metric and cohort period -> the cohort heatmap, with the dollar-weighted curve's KPIs."""

    figsize = (8, 4.6)

    def __init__(self, mrr: pd.DataFrame) -> None:
        super().__init__()
        self.mrr = mrr
        self.metric = _dropdown("metric", ["revenue", "logos"], "revenue", "200px")
        self.period = _dropdown("cohort period", [("quarter", "Q"), ("month", "M"), ("year", "Y")], "Q", "240px")
        self._build()

    def _controls(self):
        return [self.metric, self.period]

    def _compute(self):
        from .cohorts import cohort_curve, cohort_table

        metric, period = self.metric.value, self.period.value
        t = self._cached(("table", metric, period), lambda: cohort_table(self.mrr, metric=metric, period=period))
        c = self._cached(("curve", metric, period),
                         lambda: cohort_curve(self.mrr, metric=metric, period=period).set_index("age"))
        unit = {"M": "month", "Q": "quarter", "Y": "year"}[period]
        pairs = [("cohorts", str(len(t)))]
        self.values = {}
        for age in (1, 4) if period != "Y" else (1, 2):
            if age in c.index:
                pairs.append((f"{unit} {age}, all cohorts", _pct(c.loc[age, "value"])))
                self.values[f"age_{age}"] = float(c.loc[age, "value"])
        if metric == "logos":
            note = (f"Each cell is the share of the cohort's customers still paying at that age ({unit}s since "
                    "they started). It can only fall below 100% (a customer is counted once, however much it "
                    "expands), so the cells are red; the darker, the more customers have left.")
        else:
            note = (f"Each cell is the cohort's MRR at that age ({unit}s since it started) divided by what its "
                    "customers paid when they started: blue is above 100%, red below; the darker, the further "
                    "from 100%.")
        return pairs, lambda ax: plot.cohort_heatmap(t, ax=ax, annotate=t.size <= 150, colorbar=False), note


class SegmentExplorer(_App):
    """03: segment attribute and window -> NRR and GRR per segment, the total, and the averaging trap."""

    def __init__(self, mrr: pd.DataFrame, *, attributes: list[str] | None = None) -> None:
        super().__init__()
        self.mrr = mrr
        attrs = attributes or [c for c in mrr.columns if c not in ("customer_id", "month", "mrr")]
        if not attrs:
            raise DataError("the MRR table has no attribute column to segment by")
        self.by = _dropdown("segment by", attrs, attrs[0])
        self.window = _dropdown("window", [("12 months", 12), ("3 months", 3), ("1 month", 1)], 12, "200px")
        self._build()

    def _controls(self):
        return [self.by, self.window]

    def _compute(self):
        from .segments import segment_summary

        by, window = self.by.value, self.window.value
        s = self._cached((by, window), lambda: segment_summary(self.mrr, by, window=window))
        total = s.iloc[-1]
        best = s.iloc[:-1].sort_values("nrr").iloc[-1]
        self.values = {"nrr": float(total["nrr"]), "average": float(s.attrs["average_of_segments"])}
        return ([("company NRR", _pct(total["nrr"])), ("average of segments", _pct(s.attrs["average_of_segments"])),
                 ("highest", f"{best['segment']} {_pct(best['nrr'])}"), ("segments", str(len(s) - 1))],
                lambda ax: plot.segment_bars(s, ax=ax), "")


class LeverExplorer(_App):
    """04: churn (monthly or annual), contraction and expansion sliders -> NRR and GRR live.

    The scenario is held as annual rates; the monthly/annual toggle only changes how
    churn is shown and entered, so switching back and forth never moves NRR.
    """

    def __init__(self, churn: float = 0.10, contraction: float = 0.03, expansion: float = 0.15) -> None:
        super().__init__()
        self._annual = float(churn)
        self._switching = False
        self.basis = w.ToggleButtons(options=["annual churn", "monthly churn"], value="annual churn",
                                     style={"button_width": "120px"})
        self.churn = _rate_slider("churn a year", churn, 0.0, 0.6, 0.001)
        self.contraction = _rate_slider("contraction a year", contraction, 0.0, 0.3, 0.001)
        self.expansion = _rate_slider("expansion a year", expansion, 0.0, 0.8, 0.001)
        self.basis.observe(self._basis, names="value")
        self.churn.observe(self._churn_moved, names="value")
        self._build()

    def _controls(self):
        return [self.basis, self.churn, self.contraction, self.expansion]

    def _churn_moved(self, change) -> None:
        if self._switching:
            return
        v = change["new"] / 100
        self._annual = levers.annual_churn(v) if self.basis.value == "monthly churn" else v

    def _basis(self, change) -> None:
        # the scenario (annual churn) stays; only the slider's unit changes
        self._switching = True
        try:
            if change["new"] == "monthly churn":
                self.churn.description = "churn a month (%)"
                self.churn.step, self.churn.readout_format = 0.001, ".3f"
                self.churn.max = 10.0
                self.churn.value = levers.monthly_churn(min(self._annual, 0.999)) * 100
            else:
                self.churn.description = "churn a year (%)"
                self.churn.step, self.churn.readout_format = 0.1, ".1f"
                self.churn.max = 60.0
                self.churn.value = self._annual * 100
        finally:
            self._switching = False
        self.update()

    def annual_churn(self) -> float:
        """The scenario's annual churn (exact, whatever the slider's unit)."""
        return self._annual

    def _compute(self):
        c = self._annual
        con, exp = self.contraction.value / 100, self.expansion.value / 100
        n = levers.nrr_from_levers(churn=c, contraction=con, expansion=exp)
        g = levers.grr_from_levers(churn=c, contraction=con)
        self.values = {"nrr": n, "grr": g, "annual_churn": c}
        t = levers.tornado({"churn": c, "contraction": con, "expansion": exp})
        monthly = levers.monthly_churn(min(c, 0.999))
        note = (f"Churn {_pct(c)} a year is {_pct(monthly, 2)} a month, compounded: "
                f"(1 - {monthly:.4f})^12 = {1 - c:.3f} of customers' MRR survives the year.")
        return ([("annual churn", _pct(c)), ("NRR", _pct(n)), ("GRR", _pct(g)), ("level", assess(n))],
                lambda ax: plot.tornado(t, ax=ax), note)


class ScenarioExplorer(_App):
    """05: start ARR, NRR, new business (share of ARR or fixed dollars), its cost, years and NRR fade
    -> ARR and cumulative new-business spend, against the same company with NRR 100%."""

    figsize = (9.5, 3.8)
    ncols = 2

    def __init__(self, start_arr: float = 10e6, nrr: float = 1.25, new_rate: float = 0.20, years: int = 5,
                 decay: float = 0.0, floor: float = 1.0, *, new_model: str = "share of ARR",
                 new_arr: float = 2e6, spend_per_new_dollar: float = 1.0) -> None:
        super().__init__()
        self.start = _slider("start ARR ($M)", start_arr / 1e6, 0.1, 100.0, 0.1)
        self.nrr = _rate_slider("NRR", nrr, 0.5, 1.8, 0.005)
        self.new_model = w.ToggleButtons(options=["share of ARR", "fixed $ a year"], value=new_model,
                                         description="new business", style={"button_width": "110px",
                                                                            "description_width": "initial"})
        self.new_rate = _rate_slider("new business, of ARR", new_rate, 0.0, 1.0, 0.005)
        self.new_arr = _slider("new business ($M a year)", new_arr / 1e6, 0.0, 50.0, 0.1)
        self.cost = _slider("spend per dollar of new ARR", spend_per_new_dollar, 0.0, 3.0, 0.05, fmt=".2f")
        self.years = w.IntSlider(value=years, min=1, max=10, description="years",
                                 style={"description_width": "initial"}, layout=w.Layout(width="340px"))
        self.decay = _rate_slider("NRR fade a year", decay, 0.0, 1.0, 0.05)
        self.floor = floor
        self._build()

    def _controls(self):
        return [self.start, self.nrr, self.new_model, self.new_rate, self.new_arr, self.cost, self.years, self.decay]

    def _render(self, draw) -> None:
        # the same years as the last drawing: the chart functions move their lines in place
        if self._laid_out and getattr(self, "_drawn_years", None) == self.years.value:
            draw(*self.axes)
            self.image.value = self._png()
            if self._fits():
                return
        # other years (other tick labels), or money labels grown past the frozen layout ($4000B at the
        # sliders' ends pushed the axis title out of the figure): the layout is computed again
        self._relayout()
        super()._render(draw)  # on cleared axes: the chart functions draw their lines anew
        self._drawn_years = self.years.value

    def _fits(self) -> bool:
        """Whether each chart's y tick labels and title are inside the figure, clear of the chart on their left."""
        renderer = self._canvas.get_renderer()
        left = 0.0
        for ax in self.axes:
            boxes = [ax.yaxis.label.get_window_extent(renderer)]
            boxes += [t.get_window_extent(renderer) for t in ax.get_yticklabels() if t.get_visible() and t.get_text()]
            if min(b.x0 for b in boxes) < left - 0.5:
                return False
            left = ax.get_window_extent(renderer).x1
        return True

    def _compute(self):
        fixed = self.new_model.value == "fixed $ a year"
        self.new_rate.layout.display = "none" if fixed else ""
        self.new_arr.layout.display = "" if fixed else "none"
        nb = {"new_arr": self.new_arr.value * 1e6} if fixed else {"new_rate": self.new_rate.value / 100}
        params = dict(start_arr=self.start.value * 1e6, years=self.years.value,
                      spend_per_new_dollar=self.cost.value, **nb)
        nrr, fade = self.nrr.value / 100, self.decay.value / 100
        sched = {"floor": self.floor, "decay": fade} if fade > 0 else None
        twin, yours = "NRR 100%", "your scenario"
        c = scenarios.compare_scenarios({twin: dict(params, nrr=1.0), yours: dict(params, nrr=nrr, nrr_schedule=sched)})
        ratio_col = f"{yours} / {twin}"
        end = float(c[yours].iloc[-1])
        ratio = float(c[ratio_col].iloc[-1])
        mine = c.attrs["projections"][yours]
        spend = float(mine["spend"].sum())
        self.values = {"end_arr": end, "ratio": ratio, "spend": spend}
        notes = []
        if fade > 0:
            last = float(mine["nrr"].iloc[-1])
            way = "falls" if nrr > self.floor else "rises"
            shown = self.years.value
            if _pct(last) == _pct(nrr):  # one year shown, or NRR already where it fades to: it did not move
                notes.append(f"NRR fades toward {_pct(self.floor, 0)} (each year closes {_pct(fade, 0)} of the gap to "
                             f"it), but over the {shown} year{'' if shown == 1 else 's'} shown it stays at {_pct(nrr)}.")
            else:
                notes.append(f"NRR fades toward {_pct(self.floor, 0)}: each year closes {_pct(fade, 0)} of the gap to it, "
                             f"so it {way} from {_pct(nrr)} to {_pct(last)} in year {shown}."
                             + (" Below 100%, fading toward 100% means losing less each year, so ARR rises."
                                if nrr < self.floor else ""))
        if fixed:
            notes.append("New business is a fixed amount a year: it does not grow with ARR.")
        else:
            notes.append("New business is a share of each year's starting ARR: a company that grows wins more new "
                         "business, and pays for it.")
        years = self.years.value
        return ([(f"ARR after {years} year{'' if years == 1 else 's'}", plot.money(end)),
                 ("your scenario / NRR 100%", f"{ratio:.2f}x"),
                 ("new-business spend, total", plot.money(spend)),
                 ("growth year 1", _pct(float(mine["growth"].iloc[0])))],
                lambda ax1, ax2: (plot.scenario_lines(c, ax=ax1), plot.spend_lines(c, ax=ax2)), " ".join(notes))
