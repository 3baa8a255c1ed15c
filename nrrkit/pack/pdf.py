"""``summary.pdf``: the pack on one printed page, for a deck appendix or an email.

One page of 8.27 x 11 inches (A4's width, Letter's height), so it prints on either
paper without shrinking or losing a line.  Laid out with matplotlib (the project
already draws its charts with it): the headline figures with their interval and caution,
where the NRR comes from, concentration, two charts, benchmarks with their sources, the
top signals (at most 5) and the definition in one line.
"""

from __future__ import annotations

import io
import textwrap

from .. import sources
from ..scenarios import describe_new_business
from .figures import TOP_SIGNALS, WINDOW, Figures
from .folder import SUMMARY, WORKBOOK
from .page import headline_title, source_name
from .text import pct

__all__ = ["PAGE", "page_figure", "summary_pdf", "summary_png"]

#: The page in inches: A4 is 8.27 x 11.69, Letter 8.5 x 11; this fits both.
PAGE = (8.27, 11.0)
MARGIN = 0.45
INK, GREY, LIGHT, ACCENT, WARN = "#263238", "#546e7a", "#cfd8dc", "#1a237e", "#bf360c"


class _Page:
    """Text placed in inches from the top-left corner of the page."""

    def __init__(self, f):
        self.f = f
        self.w, self.h = PAGE

    def text(self, x: float, y: float, s: str, size: float = 7.5, **kw):
        kw.setdefault("color", INK)
        return self.f.text(x / self.w, 1 - y / self.h, s, fontsize=size, va="top", **kw)

    def wrapped(self, x: float, y: float, s: str, width_in: float, size: float = 7, line: float = 1.35, **kw) -> float:
        """Wrap ``s`` to ``width_in`` inches; returns the y below the last line."""
        chars = max(20, int(width_in * 72 / (0.56 * size)))
        lines = textwrap.wrap(s, chars) or [""]
        for k, ln in enumerate(lines):
            self.text(x, y + k * size * line / 72, ln, size, **kw)
        return y + len(lines) * size * line / 72

    def rule(self, y: float, x0: float = MARGIN, x1: float | None = None):
        from matplotlib.lines import Line2D

        x1 = self.w - MARGIN if x1 is None else x1
        self.f.add_artist(Line2D([x0 / self.w, x1 / self.w], [1 - y / self.h] * 2, color=LIGHT, lw=0.8))

    def box(self, x: float, y: float, w: float, h: float):
        from matplotlib.patches import FancyBboxPatch

        self.f.add_artist(FancyBboxPatch((x / self.w, 1 - (y + h) / self.h), w / self.w, h / self.h,
                                         boxstyle="round,pad=0,rounding_size=0.006", transform=self.f.transFigure,
                                         facecolor="white", edgecolor=LIGHT, lw=0.8))

    def heading(self, x: float, y: float, s: str) -> float:
        self.text(x, y, s, 9, weight="bold", color=ACCENT)
        return y + 0.2

    def table(self, x: float, y: float, cols: list[tuple[str, float, str]], rows: list[list[str]],
              size: float = 7, line: float = 0.16, bold_last: bool = False) -> float:
        """Columns (header, width in inches, "l" or "r"); cells cut to fit their column."""
        def cell(cx: float, width: float, align: str, s: str, yy: float, **kw):
            chars = max(3, int(width * 72 / (0.56 * size)) - 1)
            s = s if len(s) <= chars else s[: chars - 1] + "…"
            if align == "r":
                self.text(cx + width - 0.05, yy, s, size, ha="right", **kw)
            else:
                self.text(cx, yy, s, size, **kw)

        cx = x
        for head, width, align in cols:
            cell(cx, width, align, head, y, color=GREY)
            cx += width
        y += line
        self.rule(y - 0.03, x, x + sum(c[1] for c in cols))
        for k, row in enumerate(rows):
            cx = x
            weight = "bold" if bold_last and k == len(rows) - 1 else "normal"
            for (_, width, align), v in zip(cols, row):
                cell(cx, width, align, v, y, weight=weight)
                cx += width
            y += line
        return y


def page_figure(fig: Figures, source: str):
    """The page as a matplotlib Figure (no pyplot)."""
    from matplotlib.figure import Figure

    from . import charts

    with charts.style():
        f = Figure(figsize=PAGE, dpi=100)
        _draw(f, fig, source, charts)
    return f


def _draw(f, fig: Figures, source: str, charts) -> None:
    p = _Page(f)
    h = fig.headline
    cur = fig.currency
    iv = fig.interval
    W = PAGE[0] - 2 * MARGIN
    x0 = MARGIN
    # 1. title
    title = headline_title(fig)
    size = 16 if len(title) <= 52 else 12
    lines = textwrap.wrap(title, 52 if size == 16 else 72)[:2]
    for k, line in enumerate(lines):
        p.text(x0, 0.42 + k * size * 1.2 / 72, line, size, weight="bold", color=ACCENT)
    sub_y = 0.42 + len(lines) * size * 1.2 / 72 + 0.1
    sub = (f"As of {fig.as_of}  ·  data {fig.months[0]} to {fig.as_of}  ·  {len(fig.panel.customers):,} customers  ·  "
           f"amounts in {cur.label}" + ("" if source == "DataFrame" else f"  ·  read from {source}"))
    y = p.wrapped(x0, sub_y, sub, W, 7.5, color=GREY)
    # 2. headline tiles
    y += 0.1
    tiles = [
        ("ARR", cur.short(12 * fig.mrr_now), f"12 x MRR of {fig.as_of}"),
        ("NRR, 12-month cohort", pct(h["nrr"]), f"{iv.level:.0%} interval {pct(iv.low)} to {pct(iv.high)}"),
        ("GRR", pct(h["grr"]), "revenue kept before expansion"),
        ("Logo retention", pct(h["logo_retention"]),
         f"{int(h['customers_retained']):,} of {int(h['customers_start']):,} base customers"),
        ("Level of the NRR", fig.level, f"levels of {source_name(sources.MITCHELL_2026)}"),
    ]
    gap = 0.1
    tw = (W - gap * (len(tiles) - 1)) / len(tiles)
    for k, (label, value, note) in enumerate(tiles):
        tx = x0 + k * (tw + gap)
        p.box(tx, y, tw, 0.78)
        p.text(tx + 0.08, y + 0.07, label, 6.5, color=GREY)
        p.text(tx + 0.08, y + 0.22, value, 15, weight="bold", color=ACCENT)
        if fig.caution and k == 4:
            note = "small sample: see the caution below"
        p.text(tx + 0.08, y + 0.56, note, 5.6, color=WARN if fig.caution and k == 4 else GREY)
    y += 0.88
    if fig.caution:
        y = p.wrapped(x0, y, f"Caution: {fig.caution}. Read the level as a direction, not a verdict.", W, 7.5,
                      color=WARN, weight="bold")
    else:
        y = p.wrapped(x0, y, f"Base of {fig.base_customers:,} customers; the 90% interval spans "
                             f"{(iv.high - iv.low) * 100:.0f} points: no small-sample caution.", W, 7, color=GREY)
    y += 0.12
    # 3. the NRR bridge and concentration
    half = (W - 0.3) / 2
    yl = p.heading(x0, y, f"Where the NRR comes from ({h['base_month']} to {h['month']})")
    yl = p.table(x0, yl, [("", half - 1.25, "l"), (f"amount ({cur.code or 'plain'})", 1.25, "r")], [
        [f"Starting MRR of {int(h['customers_start']):,} base customers", cur.full(h["start_mrr"])],
        ["+ expansion", cur.full(h["expansion"])],
        ["- contraction", cur.full(h["contraction"])],
        ["- churn", cur.full(h["churn"])],
        ["= ending MRR", cur.full(h["end_mrr"])],
        ["NRR = ending / starting", pct(h["nrr"])],
    ], bold_last=True)
    xr = x0 + half + 0.3
    yr = p.heading(xr, y, "Concentration")
    rows = [["all base customers", pct(h["nrr"]), ""]]
    rows += [[x.label, pct(x.nrr), pct(x.expansion_share)] for x in fig.concentration.itertuples()]
    rows.append([f"top {len(fig.largest)} customers' share of MRR", pct(fig.top10_share), ""])
    yr = p.table(xr, yr, [("", half - 1.6, "l"), ("NRR", 0.7, "r"), ("of expansion", 0.9, "r")], rows)
    y = max(yl, yr) + 0.12
    # 4. two charts
    ch = 3.3
    bottom = 1 - (y + ch) / PAGE[1]
    ax1 = f.add_axes((x0 / PAGE[0] + 0.055, bottom + 0.035, half / PAGE[0] - 0.065, (ch - 0.75) / PAGE[1]))
    _trend_small(fig, ax1, charts)
    ax2 = f.add_axes((xr / PAGE[0] + 0.085, bottom + 0.035, half / PAGE[0] - 0.14, (ch - 0.75) / PAGE[1]))
    _heatmap_small(fig, ax2)
    y += ch + 0.1
    # 5. benchmarks
    y = p.heading(x0, y, "Against benchmarks (each source defines NRR its own way: a direction, not a verdict)")
    brows = [[f"All customers {x.metric.upper()}", pct(x.value), f"{x.row} ({x.benchmark})", x.position,
              source_name(x.source)] for x in fig.bench.itertuples()]
    for label, frame in fig.bench_seg:  # one row per rated segment: its target of the segment table
        for x in frame[frame["table"] == "segments"].itertuples():
            if len(brows) < 8:
                brows.append([f"{label} {x.metric.upper()}", pct(x.value), f"{x.row} ({x.benchmark})", x.position,
                              source_name(x.source)])
    unrated = [s for s in fig.seg_rows if not s["rated"]]
    y = p.table(x0, y, [("figure", 1.9, "l"), ("value", 0.7, "r"), ("  benchmark", 2.35, "l"),
                        ("position", 0.8, "l"), ("source", W - 5.75, "l")], brows)
    if unrated:
        names = ", ".join(f"{s['segment']} ({s['customers']})" for s in unrated[:8])
        if len(unrated) > 8:
            names += f" and {len(unrated) - 8} more"
        y = p.wrapped(x0, y + 0.02, f"Not rated (under 30 base customers): {names}.", W, 6.5, color=GREY)
    cited = []
    for short, citation in sources.ALL.items():
        if short in {r[4] for r in brows}:
            cited.append(f"{short}: {citation}.")
    y = p.wrapped(x0, y + 0.03, "Sources. " + " ".join(cited), W, 6.2, color=GREY)
    y += 0.1
    # 6. top signals
    y = p.heading(x0, y, f"Top warning signals, last {WINDOW} months")
    groups = fig.signal_groups[:TOP_SIGNALS]
    if not groups:
        y = p.wrapped(x0, y, "None: every threshold of the reference dashboard is met.", W, 7)
    for g in groups:
        when = f"{g['months']} months to {g['last']}" if g["months"] > 1 else str(g["last"])
        y = p.wrapped(x0, y, f"[{g['level']}] {g['message']} ({when})", W, 6.8,
                      color=WARN if g["level"] != "medium" else INK)
    left = len(fig.signal_groups) - len(groups)
    notes = []
    if left > 0:
        notes.append(f"{left} more signal(s) in {SUMMARY}")
    if fig.signals_suppressed:
        notes.append(f"{fig.signals_suppressed} signal(s) from end months whose base had fewer than "
                     f"{fig.signals.attrs['min_customers']} customers suppressed")
    if notes:
        y = p.wrapped(x0, y, "; ".join(notes) + ".", W, 6.5, color=GREY)
    y += 0.1
    # 7. the scenario, in one paragraph
    sc = fig.scenario
    end = fig.projection["end_arr"].iloc[-1]
    text = (f"Five-year scenario: ARR {cur.short(sc['start_arr'])} to {cur.short(end)} with NRR {pct(sc['nrr'])} "
            f"(measured) and {describe_new_business(sc, cur.short)}.")
    if sc["flags"]:
        text += " Flagged: " + "; ".join(sc["flags"]) + "."
    y = p.heading(x0, y, "Scenario")
    y = p.wrapped(x0, y, text, W, 6.8, color=WARN if sc["flags"] else INK)
    # 8. the definition, and the footer
    from .. import __version__

    p.rule(PAGE[1] - 0.66)
    p.text(x0, PAGE[1] - 0.56, "Definition: NRR = this month's MRR of the customers who paid 12 months ago / their MRR "
                               "then (month-end MRR; new customers excluded).", 7)
    p.text(x0, PAGE[1] - 0.42, f"All definitions: {sources.DEFINITIONS_DOC}.", 6.2, color=GREY)
    p.text(x0, PAGE[1] - 0.28, f"nrrkit {__version__}  ·  every figure is traced by formulas in {WORKBOOK}  ·  "
                              f"the long form is {SUMMARY}", 6.2, color=GREY)


def _trend_small(fig: Figures, ax, charts) -> None:
    from ..plot import COLORS, PERCENT

    data = fig.trend
    x = data["month"].dt.to_timestamp()
    ax.plot(x, data["nrr"], color=COLORS["nrr"], lw=1.6, marker="o", ms=2.5, label="NRR")
    ax.plot(x, data["grr"], color=COLORS["grr"], lw=1.4, ls="--", marker="o", ms=2, label="GRR")
    ax.axhline(1.0, color="black", lw=0.6)
    ax.yaxis.set_major_formatter(PERCENT)
    charts.one_month_margin(ax, x)
    charts.month_axis(ax, max(len(data), 3), 5)
    ax.tick_params(labelsize=6)
    ax.set_title(f"{WINDOW}-month NRR (solid) and GRR (dashed) by end month", fontsize=8)
    note = f"{fig.trend_dropped} month(s) with a base under {fig.trend_floor} not drawn" if fig.trend_dropped else ""
    ax.set_xlabel(note, fontsize=6, color=GREY)


def _heatmap_small(fig: Figures, ax) -> None:
    from ..plot import cohort_heatmap

    table = fig.cohort_rev
    cohort_heatmap(table, ax=ax, annotate=table.shape[1] <= 8 and len(table) <= 12)
    for t in ax.texts:
        t.set_fontsize(5.5)
    step = max(1, len(table) // 12)
    rows = list(range(0, len(table), step))
    ax.set_yticks(rows, [f"{table.index[i]} (n={int(fig.cohort_size.iloc[i]):,})" for i in rows], fontsize=6)
    ax.tick_params(labelsize=6)
    ax.set_ylabel("")
    ax.set_xlabel("age (quarters)", fontsize=6.5)
    ax.set_title("Revenue retention by quarterly cohort", fontsize=8)
    cb = ax.images[0].colorbar if ax.images and ax.images[0].colorbar is not None else None
    if cb is not None:
        cb.ax.tick_params(labelsize=6)


def summary_pdf(fig: Figures, source: str) -> bytes:
    """The page as PDF bytes (no creation date: the same data gives the same file)."""
    buf = io.BytesIO()
    page_figure(fig, source).savefig(buf, format="pdf", metadata={"Creator": "nrrkit", "CreationDate": None,
                                                                  "Producer": "nrrkit (matplotlib)"})
    return buf.getvalue()


def summary_png(fig: Figures, source: str, dpi: int = 110) -> bytes:
    """The same page as PNG (for a screenshot)."""
    buf = io.BytesIO()
    page_figure(fig, source).savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()
