"""``summary.pdf``: the pack on three printed pages, for a deck appendix or an email.

Pages of 8.27 x 11 inches (A4's width, Letter's height), so they print on either
paper without shrinking or losing a line.  Page 1 is the summary; page 2 holds the
definitions, the rules for the level and the sources with their links; page 3 the scenario
year by year with every input and check, so the PDF stands on its own.  Laid out with matplotlib (the project
already draws its charts with it): the headline figures with their interval and caution,
where the NRR comes from, concentration, two charts, benchmarks with their sources, the
top signals (at most 5) and the definition in one line.
"""

from __future__ import annotations

import io
import textwrap

from ..sources import SOURCES
from .figures import TOP_SIGNALS, WINDOW, Figures, in_currency
from .folder import SUMMARY, WORKBOOK
from .glossary import rules, terms
from .page import customers_line, headline_title, level_tile, scenario_lines, source_name
from .text import WARN, month_stamps, pct

__all__ = ["PAGE", "PAGES", "page_figure", "summary_pdf", "summary_png"]

#: The page in inches: A4 is 8.27 x 11.69, Letter 8.5 x 11; this fits both.
PAGE = (8.27, 11.0)
MARGIN = 0.45
INK, GREY, LIGHT, ACCENT = "#263238", "#546e7a", "#cfd8dc", "#1a237e"


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
        lines = textwrap.wrap(s, chars, break_on_hyphens=False) or [""]  # a link is never cut at a hyphen
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


def page_figure(fig: Figures, source: str, page: int = 1):
    """Page 1 (the summary), page 2 (definitions, rules, sources) or page 3 (the scenario)
    as a matplotlib Figure (no pyplot)."""
    from matplotlib.figure import Figure

    from . import charts

    with charts.style():
        f = Figure(figsize=PAGE, dpi=100)
        if page == 1:
            _draw(f, fig, source, charts)
        elif page == 2:
            _draw_definitions(f, fig)
        else:
            _draw_scenario(f, fig)
    return f


def _draw_definitions(f, fig: Figures) -> None:
    """Page 2: everything a reader needs to check page 1 without nrrkit's documentation."""

    p = _Page(f)
    W = PAGE[0] - 2 * MARGIN
    x0 = MARGIN
    title = headline_title(fig) + ": definitions, rules and sources"
    y = p.wrapped(x0, 0.42, title, W, 13, line=1.2, weight="bold", color=ACCENT) + 0.08
    y = p.heading(x0, y, "Definitions")
    for term, text in terms():
        p.text(x0, y, term, 6.6, weight="bold")
        y = p.wrapped(x0 + 1.75, y, text, W - 1.75, 6.6, line=1.3) + 0.03
    y += 0.08
    y = p.heading(x0, y, "Rules the pack applies")
    for rule, text in rules():
        p.text(x0, y, rule, 6.6, weight="bold")
        y = p.wrapped(x0 + 1.75, y, text, W - 1.75, 6.6, line=1.3) + 0.03
    y += 0.08
    y = p.heading(x0, y, "Sources")
    for x in SOURCES:
        when = x.date or x.year
        text = (f"{x.author}, \u201c{x.title}\u201d" + (f", {x.kind}" if x.kind else "")
                + (f", {when}" if when else "") + (f". Used for: {x.used_for}." if x.used_for else ""))
        p.text(x0, y, x.short, 6.4, weight="bold")
        y = p.wrapped(x0 + 1.75, y, text, W - 1.75, 6.2, line=1.3)
        if x.link:  # on a line of its own, and a link a reader can click in the PDF
            p.text(x0 + 1.75, y, x.link, 6.2, color=ACCENT).set_url(x.link)
            y += 6.2 * 1.3 / 72
        y += 0.03
    _footer(p, 2, y)


def _footer(p: _Page, page: int, y: float) -> None:
    from ..version import __version__

    p.rule(PAGE[1] - 0.5)
    p.text(MARGIN, PAGE[1] - 0.4, f"nrrkit {__version__}  ·  page {page} of {PAGES}  ·  every figure is traced by "
                                  f"formulas in {WORKBOOK}", 6.2, color=GREY)
    if y > PAGE[1] - 0.55:  # pragma: no cover - guarded by the tests (every pack's pages fit)
        raise AssertionError(f"page {page} runs {y - PAGE[1] + 0.55:.2f} in past its bottom margin")


def _draw_scenario(f, fig: Figures) -> None:
    """Page 3: the scenario year by year, every figure it takes with its months or source, and the checks."""
    p = _Page(f)
    cur = fig.currency
    W = PAGE[0] - 2 * MARGIN
    x0 = MARGIN
    y = p.wrapped(x0, 0.42, headline_title(fig) + ": the five-year scenario", W, 13, line=1.2, weight="bold",
                  color=ACCENT) + 0.08
    main, _contrast = scenario_lines(fig)
    y = p.wrapped(x0, y, "Default path: " + main, W, 7.2) + 0.06
    rows = [[str(int(x.year)), cur.short(x.start_arr, True), pct(x.nrr), cur.short(x.new_arr, True), cur.short(x.end_arr, True)]
            for x in fig.projection.itertuples()]
    y = p.table(x0, y, [("year", 0.6, "l"), ("starting ARR", 1.2, "r"), ("NRR", 0.8, "r"), ("new ARR", 1.2, "r"),
                        ("ending ARR", 1.2, "r")], rows) + 0.06
    y = p.wrapped(x0, y, "ARR[y+1] = ARR[y] x NRR[y] + new business.", W, 6.4, color=GREY) + 0.1
    sc = fig.scenario
    y = p.heading(x0, y, "The scenario: every figure it takes, and the checks")
    money_rows = {"starting ARR", "new business a year"}
    for x in sc["inputs"]:
        value = cur.short(x["value"]) if x["figure"] in money_rows else in_currency(x["shown"], cur)
        p.text(x0, y, f"{x['figure']}: {value}", 6.4, weight="bold")
        y = p.wrapped(x0 + 2.15, y, f"{x['basis']}: {in_currency(x['source'], cur)}", W - 2.15, 6.2,
                      line=1.3) + 0.02
    y += 0.04
    for x in sc["checks"]:
        color = WARN if x["status"] == "flagged" else INK
        p.text(x0, y, f"{x['check']}: {x['status']}", 6.4, weight="bold", color=color)
        y = p.wrapped(x0 + 2.15, y, in_currency(x["detail"], cur), W - 2.15, 6.2, line=1.3, color=color) + 0.02
    _main, contrast = scenario_lines(fig)
    y = p.wrapped(x0, y + 0.04, contrast, W, 6.4, color=GREY) + 0.08
    # the chart, in the room left above the footer
    room = PAGE[1] - 0.6 - (y + 0.15)
    if room > 2.4:
        from . import charts

        ax = f.add_axes((x0 / PAGE[0] + 0.07, 0.6 / PAGE[1] + 0.9 / PAGE[1], W / PAGE[0] - 0.1,
                         (room - 1.25) / PAGE[1]))
        charts.draw_scenario(fig, ax, legend_in_axes=True)
    _footer(p, 3, y)


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
    sub = (f"As of {fig.as_of}  ·  data {fig.months[0]} to {fig.as_of}  ·  {customers_line(fig)}  ·  "
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
        ("Level of the NRR", *level_tile(fig)),
    ]
    gap = 0.1
    tw = (W - gap * (len(tiles) - 1)) / len(tiles)
    for k, (label, value, note) in enumerate(tiles):
        tx = x0 + k * (tw + gap)
        p.box(tx, y, tw, 0.78)
        p.text(tx + 0.08, y + 0.07, label, 6.5, color=GREY)
        withheld = k == 4 and not fig.verdict.shown
        p.text(tx + 0.08, y + 0.22, value, 15, weight="bold", color=WARN if withheld else ACCENT)
        if withheld:
            note = f"{fig.verdict.level} by NRR alone; see why below"
        elif k == 4:
            note = fig.verdict.pairing
        p.wrapped(tx + 0.08, y + 0.53, note, tw - 0.14, 5.6, line=1.2, color=WARN if withheld else GREY)
    y += 0.88
    if not fig.verdict.shown:
        y = p.wrapped(x0, y, f"Level withheld: {'; '.join(fig.verdict.reasons)}.", W, 7.5, color=WARN,
                      weight="bold")
    elif fig.caution:
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
    _heatmap_small(fig, ax2, charts)
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
    if fig.acv is not None and fig.acv_usd is None:
        brows.append(["Average ACV", cur.short(fig.acv), "SaaS Capital ACV bands (US dollars)", "not compared",
                      "SaaS Capital 2023"])
    unrated = [s for s in fig.seg_rows if not s["rated"]]
    y = p.table(x0, y, [("figure", 1.9, "l"), ("value", 0.7, "r"), ("  benchmark", 2.35, "l"),
                        ("position", 0.8, "l"), ("source", W - 5.75, "l")], brows)
    if unrated:
        names = ", ".join(f"{s['segment']} ({s['customers']})" for s in unrated[:8])
        if len(unrated) > 8:
            names += f" and {len(unrated) - 8} more"
        y = p.wrapped(x0, y + 0.02, f"Not rated (under 30 base customers): {names}.", W, 6.5, color=GREY)
    if fig.acv is not None and fig.acv_usd is None:
        y = p.wrapped(x0, y + 0.02, f"ACV bands: {fig.acv_note}.", W, 6.5, color=WARN)
    y = p.wrapped(x0, y + 0.03, "Sources with titles and links: page 2.", W, 6.2, color=GREY)
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
    # 7. the scenario: the default path, its cautions (page 2 has every input and check)
    main, _contrast = scenario_lines(fig)
    y = p.heading(x0, y, "Five-year scenario (default path; its inputs, checks and the measured contrast: page 3)")
    y = p.wrapped(x0, y, main, W, 6.8)
    for c in fig.scenario["cautions"]:
        y = p.wrapped(x0, y, "Caution: " + in_currency(c, cur), W, 6.5, color=WARN)
    # 8. the definition, and the footer
    from ..version import __version__

    p.rule(PAGE[1] - 0.66)
    p.text(x0, PAGE[1] - 0.56, "Definition: NRR = this month's MRR of the customers who paid 12 months ago / their MRR "
                               "then (month-end MRR; new customers excluded).", 7)
    p.text(x0, PAGE[1] - 0.42, "Every term, the rules for the level and the sources with their links: page 2; the "
                               "scenario's inputs and checks: page 3.", 6.2, color=GREY)
    p.text(x0, PAGE[1] - 0.28, f"nrrkit {__version__}  ·  every figure is traced by formulas in {WORKBOOK}  ·  "
                              f"the long form is {SUMMARY}", 6.2, color=GREY)


def _trend_small(fig: Figures, ax, charts) -> None:
    from ..plot.style import COLORS, PERCENT

    data = fig.trend
    x = month_stamps(data["month"])
    ax.plot(x, data["nrr"], color=COLORS["nrr"], lw=1.6, marker="o", ms=2.5, label="NRR")
    ax.plot(x, data["grr"], color=COLORS["grr"], lw=1.4, ls="--", marker="o", ms=2, label="GRR")
    ax.axhline(1.0, color="black", lw=0.6)
    ax.yaxis.set_major_formatter(PERCENT)
    charts.one_month_margin(ax, x)
    charts.month_axis(ax, x, 6)
    ax.tick_params(labelsize=6)
    if fig.trend_note:  # under the title, above the lines: where the eye starts
        lines = textwrap.wrap("Caution: " + fig.trend_note, 72)
        ax.set_title(f"{WINDOW}-month NRR (solid) and GRR (dashed) by end month", fontsize=8, pad=5 + 7 * len(lines))
        ax.text(0.0, 1.015, "\n".join(lines), transform=ax.transAxes, ha="left", va="bottom", fontsize=5.6,
                color=WARN, fontweight="bold", linespacing=1.1)
    else:
        ax.set_title(f"{WINDOW}-month NRR (solid) and GRR (dashed) by end month", fontsize=8)
        note = f"{fig.trend_dropped} month(s) with a base under {fig.trend_floor} not drawn" if fig.trend_dropped \
            else ""
        ax.set_xlabel(note, fontsize=6, color=GREY)


def _heatmap_small(fig: Figures, ax, charts) -> None:
    table = fig.cohort_rev
    im = charts.heatmap(table, ax, sizes=fig.cohort_size, annotate=table.shape[1] <= 8 and len(table) <= 12,
                        fontsize=5.5)
    step = max(1, len(table) // 12)
    rows = list(range(0, len(table), step))
    ax.set_yticks(rows, [f"{table.index[i]} (n={int(fig.cohort_size.iloc[i]):,})" for i in rows], fontsize=6)
    ax.tick_params(labelsize=6)
    ax.set_ylabel("")
    ax.set_xlabel("age (quarters)", fontsize=6.5)
    ax.set_title("Revenue retention by quarterly cohort (0-200%)", fontsize=8)
    if im.colorbar is not None:
        im.colorbar.ax.tick_params(labelsize=6)


PAGES = 3


def summary_pdf(fig: Figures, source: str) -> bytes:
    """The pages as PDF bytes (no creation date: the same data gives the same file)."""
    from matplotlib.backends.backend_pdf import PdfPages

    buf = io.BytesIO()
    with PdfPages(buf, metadata={"Creator": "nrrkit", "CreationDate": None, "Producer": "nrrkit (matplotlib)"}) as pdf:
        for k in range(1, PAGES + 1):
            pdf.savefig(page_figure(fig, source, k))
    return buf.getvalue()


def summary_png(fig: Figures, source: str, dpi: int = 110, page: int = 1) -> bytes:
    """One page as PNG (for a screenshot)."""
    buf = io.BytesIO()
    page_figure(fig, source, page).savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()
