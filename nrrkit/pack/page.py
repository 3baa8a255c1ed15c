"""``summary.html``: the pack's long form, one self-contained page (charts embedded, nothing fetched).

Sections, each listed in the table of contents: headline figures (with interval and
caution), where the NRR comes from, concentration, benchmarks, warning signals (grouped),
segments, the five-year scenario, charts, the definition card, sources, load notes.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Sequence

from ..benchmarks import TABLE_TITLES
from ..scenarios import describe_new_business, describe_nrr
from ..sources import MITCHELL_2026, SOURCES, by_citation
from .figures import WINDOW, Figures, in_currency
from .folder import CHARTS, PDF, WORKBOOK
from .glossary import rules, terms
from .text import base_customers, pct

__all__ = ["summary_html", "source_name", "headline_title", "table_title", "level_tile", "customers_line",
           "scenario_lines"]

_CSS = """
body{font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;margin:2rem auto;max-width:1100px;
color:#263238;line-height:1.4;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #cfd8dc}
.sub{color:#546e7a;margin-top:0}.kpis{display:flex;flex-wrap:wrap;gap:1rem;margin:1rem 0}
.kpi{border:1px solid #cfd8dc;border-radius:8px;padding:.7rem 1rem;min-width:150px;max-width:260px}
.kpi .v{font-size:1.6rem;font-weight:700;color:#1a237e}.kpi .v.withheld{color:#bf360c}.kpi .l{font-size:.8rem;color:#546e7a}
.kpi .t{font-size:.72rem;color:#78909c}.caution{color:#bf360c;font-size:.78rem;font-weight:600}
table{border-collapse:collapse;font-size:.85rem;margin:.5rem 0}
th,td{border-bottom:1px solid #eceff1;padding:.25rem .6rem;text-align:left;vertical-align:top}
td.n{text-align:right;font-variant-numeric:tabular-nums}th{background:#eceff1}
nav.toc{border:1px solid #eceff1;border-radius:8px;padding:.5rem 1rem;font-size:.85rem}
nav.toc ol{margin:.2rem 0;columns:2}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(480px,1fr));gap:1rem}
figure{margin:0}figure img{width:100%;height:auto;border:1px solid #eceff1}figcaption{font-size:.8rem;color:#546e7a}
.critical{color:#b71c1c;font-weight:700}.high{color:#e65100;font-weight:700}.medium{color:#8d6e00}
.flag{color:#bf360c}
@media print{.charts{grid-template-columns:1fr 1fr}body{margin:0}nav.toc{display:none}}
"""

def source_name(citation: str) -> str:
    """The short name of a citation of :mod:`nrrkit.sources` ("Mitchell 2026")."""
    found = by_citation(citation)
    return found.short if found else citation


def table_title(key: str) -> str:
    """What a benchmark table is called where a person reads it (never its key)."""
    return TABLE_TITLES.get(key, key)


def level_tile(fig: Figures) -> tuple[str, str]:
    """The level tile: (value, note). The level with the GRR next to it, or "Withheld" and why."""
    v = fig.verdict
    if v.shown:
        return v.level, f"{v.pairing}; levels of {source_name(MITCHELL_2026)}"
    return "Withheld", f"the NRR's level ({v.level}) is withheld: " + "; ".join(v.reasons)


def customers_line(fig: Figures) -> str:
    """Who the figures are about: customers paying now, the base cohort, and everyone who ever paid."""
    h = fig.headline
    return (f"{fig.customers_now:,} customers paying in {fig.as_of}; base cohort {fig.base_customers:,} customers "
            f"paying in {h['base_month']}; {fig.customers_ever:,} have paid at some point")


def scenario_lines(fig: Figures) -> tuple[str, str]:
    """The scenario in two sentences: the default path, and the measured rates compounded (a contrast)."""
    sc, cur = fig.scenario, fig.currency
    end = float(fig.projection["end_arr"].iloc[-1])
    measured = float(fig.projection_measured["end_arr"].iloc[-1])
    main = (f"ARR {cur.short(sc['start_arr'])} to {cur.short(end)} in five years: "
            f"{describe_nrr(sc)}; {describe_new_business(sc, cur.short)}.")
    contrast = (f"Compounding the measured rates for five years instead (NRR {pct(sc['nrr'])} every year, "
                f"{describe_new_business(sc, cur.short, path='measured')}) would give {cur.short(measured)}: "
                "not the default, because the data cannot show those rates last.")
    return in_currency(main, cur), in_currency(contrast, cur)


def headline_title(fig: Figures) -> str:
    return f"{fig.company}: net revenue retention" if fig.company else "Net revenue retention"


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], numeric: Sequence[int] = (),
           classes: Sequence[str] | None = None) -> str:
    e = html.escape
    head = "".join(f"<th>{e(h)}</th>" for h in headers)
    body = []
    for k, row in enumerate(rows):
        cls = f" class='{e(classes[k])}'" if classes and classes[k] else ""
        cells = "".join(f"<td class='n'>{e(str(v))}</td>" if i in numeric else f"<td>{e(str(v))}</td>"
                        for i, v in enumerate(row))
        body.append(f"<tr{cls}>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _shown(label: str) -> str:
    return "".join(" " if ord(ch) < 32 else ch for ch in label)


def summary_html(fig: Figures, charts: dict, source: str, cells: dict, card_rows, notes: list[str],
                 anonymized: bool) -> str:
    from ..version import __version__

    e = html.escape
    h = fig.headline
    cur = fig.currency
    iv = fig.interval
    caution_html = f"<div class='caution'>{e(fig.caution)}</div>" if fig.caution else ""
    kpis = [
        ("ARR", cur.short(12 * fig.mrr_now), f"12 x MRR of {fig.as_of} ({cur.full(fig.mrr_now)})", cells["arr"], ""),
        ("NRR", pct(h["nrr"]), f"{iv.level:.0%} interval {pct(iv.low)} to {pct(iv.high)}", cells["nrr"],
         caution_html),
        ("GRR", pct(h["grr"]), "never above 100%", cells["grr"], ""),
        ("Logo retention", pct(h["logo_retention"]),
         f"{int(h['customers_retained']):,} of {int(h['customers_start']):,} base customers", cells["logo_retention"],
         ""),
        ("Level of the NRR", *level_tile(fig), None, "" if fig.verdict.shown else
         "<div class='caution'>withheld: see the rule under Definitions</div>"),
    ]
    tiles = "".join(
        f"<div class='kpi' data-name='{e(k.lower())}'><div class='l'>{e(k)}</div>"
        f"<div class='v{' withheld' if v == 'Withheld' else ''}'>{e(v)}</div>"
        f"<div class='t'>{e(t)}</div>" + (f"<div class='t'>workbook: {e(ref)}</div>" if ref else "") + extra + "</div>"
        for k, v, t, ref, extra in kpis
    )
    amounts = _table(
        ["", f"amount ({cur.code})" if cur.stated else "amount"],
        [(f"Starting MRR of the {int(h['customers_start']):,} base customers ({h['base_month']})",
          cur.full(h["start_mrr"])),
         ("+ expansion", cur.full(h["expansion"])), ("- contraction", cur.full(h["contraction"])),
         ("- churn", cur.full(h["churn"])), (f"= ending MRR ({h['month']})", cur.full(h["end_mrr"])),
         ("NRR = ending / starting", pct(h["nrr"]))],
        numeric=(1,),
    )
    conc_rows = [("NRR, all base customers", pct(h["nrr"]), "")]
    conc_rows += [(f"NRR {x.label}", pct(x.nrr), pct(x.expansion_share)) for x in fig.concentration.itertuples()]
    conc = _table(["", "NRR", "their share of all expansion"], conc_rows, (1, 2))
    conc += (f"<p>The {len(fig.largest)} largest customers hold <b>{pct(fig.top10_share)}</b> of the MRR of "
             f"{fig.as_of} ({cur.full(fig.mrr_now)}). Customers and amounts: the Concentration sheet of "
             f"<code>{WORKBOOK}</code>.</p>")
    bench_rows = [("All customers " + x.metric.upper(), pct(x.value), table_title(x.table), x.row, x.benchmark,
                   x.position, source_name(x.source), fig.caution) for x in fig.bench.itertuples()]
    for label, frame in fig.bench_seg:
        note = fig.segment(label)["caution"]
        bench_rows += [(f"{_shown(label)} {x.metric.upper()}", pct(x.value), table_title(x.table), x.row,
                        x.benchmark, x.position, source_name(x.source), note) for x in frame.itertuples()]
    for seg in fig.seg_rows:
        if not seg["rated"]:
            bench_rows.append((f"{_shown(seg['segment'])} NRR", pct(seg["nrr"]), "", "", "", "not rated", "",
                               f"{base_customers(seg['customers'])} (under 30)"))
    bench = _table(["figure", "value", "table", "row", "benchmark", "position", "source", "caution"], bench_rows, (1,))
    if fig.acv is not None and fig.acv_usd is not None:
        conv = f" = US${fig.acv_usd:,.0f}, {fig.acv_note}" if fig.acv_note else ""
        bench += (f"<p class='sub'>The SaaS Capital band is the one of the average annual contract value, "
                  f"{cur.short(fig.acv)}{e(conv)} (ARR / paying customers; the bands are in US dollars). Each "
                  f"source defines NRR its own way: read a comparison as a direction, not a verdict. Sources in "
                  f"full: <a href='#sources'>Sources</a>.</p>")
    elif fig.acv is not None:
        bench += (f"<p class='sub caution'>SaaS Capital's bands by annual contract value: {e(fig.acv_note)}.</p>")
    groups = fig.signal_groups
    if groups:
        sig_html = _table(["level", "signal", "months", "latest value", "threshold", "what it means"],
                          [(g["level"], g["metric"] + ("" if g["segment"] == "all" else f" ({g['segment']})"),
                            f"{g['months']} ({g['first']} to {g['last']})" if g["months"] > 1 else str(g["last"]),
                            pct(g["value"]), g["threshold"], g["message"]) for g in groups], (3,),
                          classes=[g["level"] for g in groups])
    else:
        sig_html = ("<p>No warning signal in the last 12 months: every threshold of the reference dashboard "
                    f"({e(source_name(MITCHELL_2026))}) is met.</p>")
    extra = []
    if fig.signals_suppressed:
        extra.append(f"{fig.signals_suppressed} signal(s) of end months whose base cohort had fewer than "
                     f"{fig.signals.attrs['min_customers']} customers are not shown (a rate of a few customers "
                     "moves by tens of points with each of them)")
    if fig.signals_earlier:
        extra.append(f"{fig.signals_earlier} earlier signal(s) are in <code>nrrkit signals</code>")
    if extra:
        sig_html += "<p class='sub'>" + "; ".join(extra) + ".</p>"
    seg_html = ""
    if fig.seg_rows:
        seg_html = f"<h2 id='segments'>By {e(str(fig.by))}</h2>" + _table(
            ["segment", "base customers", "starting MRR", "NRR", "90% interval", "GRR", "logo retention", "level",
             "caution"],
            [(_shown(r["segment"]), f"{r['customers']:,}", cur.full(r["start_mrr"]), pct(r["nrr"]),
              f"{pct(r['low'])} to {pct(r['high'])}", pct(r["grr"]), pct(r["logo_retention"]),
              r["level"] if r["rated"] else "not rated", r["caution"]) for r in fig.seg_rows], (1, 2, 3, 5, 6))
        seg_html += (f"<p class='sub'>Segments under 30 base customers are shown but not rated. The company's NRR, "
                     f"{pct(h['nrr'])}, sums the segments' amounts (it is not an average of their rates); the "
                     "segment chart draws it as a dashed line.</p>")
    sc = fig.scenario
    proj = fig.projection
    main, contrast = scenario_lines(fig)
    cautions = "".join(f"<li class='flag'>{e(in_currency(c, cur))}</li>" for c in sc["cautions"])
    scen_rows = [(int(x.year), cur.short(x.start_arr, True), pct(x.nrr), cur.short(x.new_arr, True), cur.short(x.end_arr, True))
                 for x in proj.itertuples()]
    money_rows = {"starting ARR", "new business a year"}
    inputs = [(x["figure"], cur.short(x["value"]) if x["figure"] in money_rows else in_currency(x["shown"], cur),
               x["basis"], in_currency(x["source"], cur)) for x in sc["inputs"]]
    checks = [(x["check"], x["status"], in_currency(x["detail"], cur)) for x in sc["checks"]]
    scen_html = (
        f"<p><b>{e(main)}</b></p>"
        + (f"<p class='caution'>Cautions</p><ul>{cautions}</ul>" if cautions else "")
        + _table(["year", "starting ARR", "NRR", "new ARR", "ending ARR"], scen_rows, (1, 2, 3, 4))
        + "<p class='sub'>ARR[y+1] = ARR[y] x NRR[y] + new business. Set the new business yourself with "
          "<code>--new-rate</code> or <code>--new-arr</code>.</p>"
        + f"<p class='sub'>{e(contrast)}</p>"
        + "<h3>Every figure the scenario takes, and where it comes from</h3>"
        + _table(["figure", "value", "basis", "months or source"], inputs, (1,))
        + "<h3>Checks</h3>"
        + _table(["check", "result", "what the data shows"], checks,
                 classes=["flag" if x[1] == "flagged" else "" for x in checks])
        + "<p class='sub'>A check the data cannot support is \"not run\" and says what it needs; it is never "
          "counted as passed.</p>"
    )
    figs = "".join(
        f"<figure><img alt='{e(CHARTS[name])}' src='data:image/svg+xml;base64,"
        f"{base64.b64encode(svg).decode()}'><figcaption>{e(CHARTS[name])} (charts/{name}.svg, .png)"
        f"</figcaption></figure>"
        for name, (_png, svg) in charts.items()
    )
    headline_card = [(k, str(h["base_month"]) if k == "base month" else str(h["month"]) if k == "end month" else v)
                     for k, v in card_rows]
    card = _table(["item", "value"], headline_card)
    src_html = "".join(
        f"<li><b>{e(x.short)}</b>: {e(x.author)}, <i>{e(x.title)}</i>"
        + (f", {e(x.kind)}" if x.kind else "") + (f", {e(str(x.date or x.year))}" if (x.date or x.year) else "")
        + (f", <a href='{e(x.link)}'>{e(x.link)}</a>" if x.link else "")
        + (f". Used for: {e(x.used_for)}." if x.used_for else "") + "</li>"
        for x in SOURCES)
    defs_html = _table(["term", "definition"], terms()) + "<h3>Rules the pack applies</h3>" + _table(
        ["rule", "what it says"], rules())
    note_html = "".join(f"<li>{e(n)}</li>" for n in notes)
    ids = "Customer ids are pseudonyms (C0001...)." if anonymized else ""
    toc = [("headline", "Headline figures"), ("bridge", "Where the NRR comes from"), ("concentration", "Concentration"),
           ("benchmarks", "Against benchmarks"), ("signals", "Warning signals")]
    if seg_html:
        toc.append(("segments", f"By {fig.by}"))
    toc += [("scenario", "Five-year scenario"), ("charts", "Charts"), ("definitions", "Definitions"),
            ("card", "Definition card"), ("sources", "Sources")]
    if note_html:
        toc.append(("notes", "Load notes"))
    toc_html = "<nav class='toc'><b>Contents</b><ol>" + "".join(
        f"<li><a href='#{k}'>{e(v)}</a></li>" for k, v in toc) + "</ol></nav>"
    title = headline_title(fig)
    trend_html = f"<p class='caution'>Trend: {e(fig.trend_note)}.</p>" if fig.trend_note else ""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(title)}, {fig.as_of}</title><style>{_CSS}</style></head>
<body>
<h1>{e(title)}</h1>
<p class="sub">As of {fig.as_of}; data {fig.months[0]} to {fig.as_of}; {e(customers_line(fig))}; read from
{e(source)}. Amounts in {e(cur.label)}. {ids} Every figure is in <code>{WORKBOOK}</code>, traced back to the customer
table by formulas; <code>{PDF}</code> is the printed version (summary; definitions and sources; the
scenario).</p>
{toc_html}
<h2 id="headline">Headline figures</h2>
<div class="kpis">{tiles}</div>{trend_html}
<h2 id="bridge">Where the NRR comes from</h2>{amounts}
<p class="sub">NRR = ending / starting MRR of the customers paying in {h['base_month']}; GRR = (starting - contraction -
churn) / starting. The interval resamples the {iv.customers:,} base customers ({iv.n_boot:,} draws, seed {iv.seed});
it depends on the amounts only, so pseudonyms do not move it.</p>
<h2 id="concentration">Concentration</h2>{conc}
<h2 id="benchmarks">Against benchmarks</h2>{bench}
<h2 id="signals">Warning signals of the last {WINDOW} months</h2>{sig_html}
{seg_html}
<h2 id="scenario">Five-year scenario</h2>{scen_html}
<h2 id="charts">Charts</h2><div class="charts">{figs}</div>
<h2 id="definitions">Definitions</h2>{defs_html}
<h2 id="card">Definition card</h2>{card}
<h2 id="sources">Sources</h2><ul>{src_html}</ul>
{"<h2 id='notes'>Load notes</h2><ul>" + note_html + "</ul>" if note_html else ""}
<p class="sub">Written by nrrkit {__version__}.</p>
</body></html>
"""
