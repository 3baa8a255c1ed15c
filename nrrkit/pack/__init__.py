"""The fundraising pack: a workbook, charts, a long-form page and a one-page PDF from one call.

    pack(mrr, "pack/", by="segment", company="Acme")   # or: nrrkit pack revenue.csv -o pack --company Acme

writes into ``pack/``:

- ``nrr-pack.xlsx`` (:mod:`.workbook`): every derived cell an Excel formula over the
  cells it comes from, with nrrkit's own figure stored as its value;
- ``charts/`` (:mod:`.charts`): PNG and SVG of the bridge waterfall, the NRR and GRR
  trend, the cohort heatmap, the layer cake, segment NRR (with ``by``) and the scenario;
- ``summary.html`` (:mod:`.page`): the long form, with a table of contents;
- ``summary.pdf`` (:mod:`.pdf`): one printed page that fits A4 and Letter.

Everything is measured once (:mod:`.figures`) with the investor definition of
docs/definitions.md: 12-month cohort NRR/GRR/logo retention, month-end MRR snapshots, no
limit on reactivation.  The parts: :mod:`.anonymize` (pseudonyms), :mod:`.folder` (what
the pack may write, and how), :mod:`.text` (numbers and currency).
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import pandas as pd

from .._record import Record
from ..errors import DataError
from .anonymize import RESERVED, anonymize, pseudonyms
from .folder import CHARTS, OUTPUTS, PDF, SUMMARY, WORKBOOK, Progress, check_folder, prepare, write_bytes

__all__ = ["pack", "pseudonyms", "anonymize", "WORKBOOK", "SUMMARY", "PDF", "CHARTS", "OUTPUTS"]

_anonymize_table = anonymize  # pack() has a parameter of the same name


def pack(
    mrr: pd.DataFrame,
    out_dir: str | os.PathLike,
    *,
    by: str | None = None,
    as_of=None,
    company: str | None = None,
    currency: str | None = None,
    new_rate: float | None = None,
    new_arr: float | None = None,
    anonymize: bool = False,
    keep: Sequence[str] = (),
    force: bool = False,
    n_boot: int = 2000,
    progress: bool = False,
) -> Record:
    """Write the fundraising pack of ``mrr`` into the folder ``out_dir``.

    Parameters
    ----------
    by : str, optional
        Attribute for the segment rows, the segment chart and the segment benchmarks.
        A blank value is shown as ``(missing)``.
    as_of : "YYYY-MM", optional
        Last month of the pack (default: the last month of the data); later rows are left
        out, and the definition card says so.
    company : str, optional
        The company's name: the title of the workbook, the page, the PDF and every chart.
    currency : str, optional
        The reporting currency ("USD", "EUR", "$"...), shown with every amount (default: the
        currency the loader found, else the amounts are plain numbers and the pack says so).
    new_rate, new_arr : float, optional
        The scenario's new business, set by the founder: a fraction of each year's ARR
        (0.3), or an amount a year.  By default it is measured (see
        :func:`nrrkit.scenarios.calibrate`) and the legend says which.
    anonymize : bool
        Replace customer ids with :func:`pseudonyms` everywhere and drop every attribute
        column except ``by`` and ``keep``.  No figure changes, the interval included.
    force : bool
        Write into a folder that is not empty, replacing only the pack's own files.
    progress : bool
        Print each step and its time on stderr (the CLI turns this on).

    Returns
    -------
    Record
        ``folder``, ``files`` (paths written), ``as_of``, ``nrr``, ``grr``,
        ``logo_retention``, ``level``, ``caution``, ``interval``, ``cells`` (where each
        headline figure sits in the workbook), ``dropped`` (the attribute columns
        ``anonymize`` left out), ``scenario_flags``.
    """
    steps = Progress(progress, 7)
    try:
        return _pack(mrr, out_dir, by=by, as_of=as_of, company=company, currency=currency, new_rate=new_rate,
                     new_arr=new_arr, anonymize=anonymize, keep=keep, force=force, n_boot=n_boot, progress=progress,
                     steps=steps)
    except BaseException:
        steps.abort()
        raise


def _pack(mrr, out_dir, *, by, as_of, company, currency, new_rate, new_arr, anonymize, keep, force, n_boot,
          progress, steps) -> Record:
    from ..io import load_report, through
    from ..io.horizon import span_periods
    from ..months import month_start
    from ..panel import canonical
    from ..parsing import to_period
    from . import charts, page, pdf
    from .figures import WINDOW, Figures
    from .workbook import write_workbook

    steps("checking the data and the folder")
    if keep and not anonymize:
        raise DataError("keep names the attribute columns an anonymized pack keeps (--keep with --anonymize); "
                        "without anonymize every attribute is kept already")
    if company is not None:
        company = " ".join(str(company).split())
        if not company:
            raise DataError("the company name is empty; give the name to print on the pack, such as --company \"Acme\"")
        if len(company) > 80:
            raise DataError(f"the company name has {len(company)} characters; give at most 80")
    table = canonical(mrr)
    report = load_report(table)
    source = report.source if report else "DataFrame"
    # everything the reader did: the shape it read, the rows and columns it left out, then its notes
    notes = ([f"read as {report.shape}: {report.shape_reason}"] if report and report.get("shape_reason") else []) + \
        [f"left out: {x['what']}" for x in (report.get("left_out") or [])] + list(report.notes) if report else []
    if by is not None and by not in table.columns:
        attrs = [c for c in table.columns if c not in RESERVED]
        raise DataError(f"no attribute column '{by}' to segment by (attributes: {', '.join(attrs) or 'none'})")
    if by in RESERVED:
        raise DataError(f"cannot segment by '{by}'; choose an attribute column such as segment or plan")
    first, last = span_periods(table)
    filters = "none"
    if as_of is not None:
        t = to_period(as_of, "as-of month")
        if t > last or t < first:
            raise DataError(f"as-of month {t} is outside the data ({first} to {last}); pick a month inside it")
        later = int((table["month"] > month_start(t)).sum())
        if later:
            filters = f"months after {t} left out (as-of {t}): {later:,} rows"
        table = through(table, t)  # a plain filter would keep the file's span (the months after t)
        last = t
    n_months = last.ordinal - first.ordinal + 1
    if n_months < WINDOW + 1:
        raise DataError(f"{source}: the data covers {n_months} month(s), {first} to {last}; the pack measures "
                        f"12-month NRR, which needs at least {WINDOW + 1}")
    base = last - WINDOW
    if not ((table["month"] == month_start(base)) & (table["mrr"] > 0)).any():
        raise DataError(f"{source}: no customer pays in {base}, 12 months before {last}, so the 12-month NRR of "
                        f"{last} has no base customers; check the file's first months, or pass --as-of with a "
                        "month whose year-earlier month has paying customers")
    check_folder(out_dir, force)
    if by is not None:  # a blank segment is a missing one: shown as "(missing)", never as an empty label
        col = table[by]
        blank = col.notna() & col.astype(str).str.strip().eq("")
        if blank.any():
            table = table.copy()
            table[by] = col.astype(object).where(~blank, None)
            notes.append(f"{int(blank.sum()):,} row(s) with a blank '{by}' shown as (missing)")
    dropped: list[str] = []
    if anonymize:
        kept = {by, *keep}
        dropped = [c for c in table.columns if c not in RESERVED and c not in kept]
        original = set(table["customer_id"].astype(str).unique())
        table = _anonymize_table(table, by=by, keep=keep)
        notes = [n for n in notes if not any(i in n for i in original)]

    steps("measuring: bridge, retention, cohorts, benchmarks, intervals, scenario")
    found = (report.get("currency") or None) if report else None  # the code or symbol the reader found
    fig = Figures(table, by, n_boot, progress, company=company, currency=currency or found, new_rate=new_rate,
                  new_arr=new_arr)
    card = dict(fig.card)
    card["filters"] = filters
    if currency or not found:  # the card keeps the reader's own words (conversions) unless the caller named one
        card["currency"] = fig.currency.label
    if by:
        card["segment"], card["segment_read"] = f"{by} (segment rows)", "the base month"
    card_rows = _card_rows(card)
    steps(f"building {WORKBOOK} ({len(fig.panel.customers):,} customers x {len(fig.months)} months)")
    book, cells = write_workbook(fig, source, notes, card_rows, anonymize)
    steps("drawing the charts")
    drawn = charts.render_all(fig)
    steps(f"building {SUMMARY}")
    html = page.summary_html(fig, drawn, source, cells, card_rows, notes, anonymize)
    steps(f"building {PDF}")
    one_page = pdf.summary_pdf(fig, source)
    steps(f"writing {len(drawn) * 2 + 3} files")
    root = prepare(out_dir, force)
    written = [write_bytes(root, WORKBOOK, book)]
    for name, (png, svg) in drawn.items():
        written.append(write_bytes(root, f"charts/{name}.png", png))
        written.append(write_bytes(root, f"charts/{name}.svg", svg))
    written.append(write_bytes(root, SUMMARY, html.encode("utf-8")))
    written.append(write_bytes(root, PDF, one_page))
    steps.done()
    h = fig.headline
    return Record(folder=str(root), files=[str(p) for p in written], as_of=str(fig.as_of), nrr=float(h["nrr"]),
                  grr=float(h["grr"]), logo_retention=float(h["logo_retention"]), level=fig.level,
                  caution=fig.caution, interval=(fig.interval.low, fig.interval.high), cells=cells, dropped=dropped,
                  scenario_flags=list(fig.scenario["flags"]), company=company)


def _card_rows(card: dict) -> list[tuple[str, str]]:
    from ..definitions import Definition

    return Definition(**card).rows()
