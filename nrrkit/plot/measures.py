"""The measures' charts: the bridge, NRR over time, cohorts, layers, segments and movers."""

from __future__ import annotations

import matplotlib as mpl
import numpy as np
import pandas as pd

from ..errors import DataError
from .style import (
    COLORS,
    MIN_FONT,
    MONEY,
    PERCENT,
    axes,
    centred_norm,
    dates,
    index_labels,
    money,
    percent,
    period_names,
    style,
)

__all__ = ["bridge_waterfall", "nrr_trend", "cohort_heatmap", "cohort_curves", "layer_cake", "segment_bars", "top_movers"]

# --------------------------------------------------------------------------- where NRR comes from


def _bridge_totals(data: pd.DataFrame) -> dict[str, float]:
    needed = {"start_mrr", "new", "reactivation", "expansion", "contraction", "churn", "end_mrr"}
    if not isinstance(data, pd.DataFrame) or not needed <= set(data.columns) or data.empty:
        raise DataError("bridge_waterfall needs the DataFrame of nrrkit.bridge")
    seg = [c for c in data.columns[1:3] if c not in needed and c != "period_label"]  # the by column, if any
    if seg and data[seg[0]].nunique() > 1:
        raise DataError("bridge_waterfall draws one segment: filter the bridge to one segment first")
    return {
        "start": float(data["start_mrr"].iloc[0]),
        "new": float(data["new"].sum()),
        "reactivation": float(data["reactivation"].sum()),
        "expansion": float(data["expansion"].sum()),
        "contraction": -float(data["contraction"].sum()),
        "churn": -float(data["churn"].sum()),
        "end": float(data["end_mrr"].iloc[-1]),
    }


def bridge_waterfall(data: pd.DataFrame, *, ax=None, title: str | None = None):
    """The MRR bridge as a waterfall: start, each movement, end.

    ``data`` is the output of :func:`nrrkit.bridge`, whole or a slice of its rows:
    the chart starts at the first row's start MRR, adds up the movements of every
    row, and ends at the last row's end MRR (so 12 monthly rows give the year's bridge).
    """
    t = _bridge_totals(data)
    with style():
        ax = axes(ax)
        level = t["start"]
        names = ["start", "new", "reactivation", "expansion", "contraction", "churn", "end"]
        for i, name in enumerate(names):
            if name in ("start", "end"):
                ax.bar(i, t[name], color=COLORS[name], width=0.65)
                ax.text(i, t[name], money(t[name]), ha="center", va="bottom", fontsize=MIN_FONT)
                continue
            delta = t[name]
            ax.bar(i, abs(delta), bottom=level if delta >= 0 else level + delta, color=COLORS[name], width=0.65)
            ax.text(i, max(level, level + delta), ("+" if delta >= 0 else "-") + money(abs(delta)),
                    ha="center", va="bottom", fontsize=MIN_FONT)
            level += delta
        ax.set_xticks(range(len(names)), ["start MRR", "new", "reactivation", "expansion", "contraction", "churn",
                                          "end MRR"])
        ax.yaxis.set_major_formatter(MONEY)
        names_ = period_names(data)
        first, last = names_[0], names_[-1]
        span = first if first == last else f"{first} to {last}"
        ax.set_title(title or f"MRR bridge, {span}")
        ax.grid(axis="x", visible=False)
    return ax


def _level_bands(ax, x, nrr: pd.Series, grr: pd.Series | None, ylo: float, yhi: float) -> float | None:
    """Shade the NRR levels (Mitchell 2026) behind the NRR line only, and Bessemer's 2019 GRR bands
    behind the GRR line when it runs below the NRR line; a band is labelled where it is tall enough
    for its label (no label collides with another)."""
    from ..benchmarks import BESSEMER_2019, level_bands

    split = ylo
    if grr is not None:
        g_hi, n_lo = float(np.nanmax(grr)), float(np.nanmin(nrr))
        split = (g_hi + n_lo) / 2 if g_hi < n_lo else ylo
    span = yhi - ylo

    n_left = max(2, len(x) * 2 // 5)  # the labels sit over the left part of the chart
    left = np.concatenate([np.asarray(v, dtype=float)[:n_left] for v in (nrr, grr) if v is not None])

    def shade(bands, lo_limit, hi_limit, shades):
        for (name, b0, b1), colour in zip(bands, shades):
            lo, hi = max(b0, lo_limit), min(b1, hi_limit)
            if hi <= lo:
                continue
            ax.axhspan(lo, hi, color=colour, zorder=0, lw=0)
            if hi - lo >= 0.07 * span:  # room for a label: where it is farthest from the lines
                spots = [lo + 0.035 * span, (lo + hi) / 2, hi - 0.035 * span]
                y = max(spots, key=lambda v: np.min(np.abs(left - v)) if len(left) else 0)
                ax.text(x.iloc[0], y, f" {name}", va="center", fontsize=MIN_FONT, color="#607d8b", zorder=1)

    shade(level_bands(), split, yhi, ["#ffebee", "#fff8e1", "#f1f8e9", "#e8f5e9", "#e3f2fd", "#ede7f6"])
    if split > ylo:
        grr_bands = [(f"GRR {r.segment} band (Bessemer 2019)", r.grr_low, min(r.grr_high, 1.0))
                     for r in BESSEMER_2019.itertuples()]
        shade(grr_bands, ylo, split, ["#fbe9e7", "#fff3e0", "#f9fbe7"])
        ax.text(x.iloc[-1], split, "NRR levels above, GRR bands below ", ha="right", va="bottom",
                fontsize=MIN_FONT, color="#607d8b")
        return split
    return None


def nrr_trend(data: pd.DataFrame, *, ax=None, bands: bool = True, grr: bool = True):
    """NRR (and GRR) over end months, on the benchmark levels of Mitchell 2026, with the definition
    in a footnote.  ``data`` is the output of :func:`nrrkit.retention` (no ``by``)."""
    if not isinstance(data, pd.DataFrame) or not {"month", "nrr", "grr"} <= set(data.columns):
        raise DataError("nrr_trend needs the DataFrame of nrrkit.retention")
    if len(data.columns) > 1 and data.columns[1] != "base_month":
        raise DataError("nrr_trend draws one series: use retention() without by=, or filter to one segment")
    with style():
        ax = axes(ax)
        x = dates(data["month"])
        values = pd.concat([data["nrr"], data["grr"]]) if grr else data["nrr"]
        lo, hi = float(np.nanmin(values)), float(np.nanmax(values))
        pad = max((hi - lo) * 0.15, 0.03)
        ylo, yhi = lo - pad, hi + pad
        card_window = (data.attrs.get("definition") or {}).get("window")
        split = None
        if bands and card_window in (None, 12):  # the levels are a yearly scale
            split = _level_bands(ax, x, data["nrr"], data["grr"] if grr else None, ylo, yhi)
        ax.plot(x, data["nrr"], color=COLORS["nrr"], lw=2, label="NRR")
        if grr:
            ax.plot(x, data["grr"], color=COLORS["grr"], lw=2, ls="--", label="GRR")
        ax.axhline(1.0, color="black", lw=0.8)
        if split is not None:  # where the NRR levels end and the GRR bands begin
            ax.axhline(split, color="#90a4ae", lw=0.8, ls=":")
        ax.set_ylim(ylo, yhi)
        ax.yaxis.set_major_formatter(PERCENT)
        last = data.iloc[-1]
        ax.annotate(percent(last["nrr"], 1), (x.iloc[-1], last["nrr"]), textcoords="offset points", xytext=(-4, 7),
                    ha="right", fontsize=MIN_FONT, color=COLORS["nrr"], fontweight="bold")
        card = data.attrs.get("definition")
        w = card.get("window") if card else None
        ax.set_title(f"{w}-month NRR and GRR by end month" if w else "NRR and GRR by end month")
        if card:
            ax.annotate(f"{card['method'].split(':')[0]} method, window {w} months, base month = end month - {w}; "
                        f"{card['value_basis'].split(' (')[0]}", (0, 0), xycoords="axes fraction",
                        xytext=(0, -28), textcoords="offset points", fontsize=MIN_FONT, color="#546e7a", va="top")
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))  # beside the lines, never on them
    return ax


def cohort_heatmap(table: pd.DataFrame, *, ax=None, annotate: bool | None = None, colorbar: bool = True):
    """A cohort table (:func:`nrrkit.cohort_table`) as a heatmap; empty cells stay blank.

    Retention is coloured on a scale centred on 100% with the same reach both ways
    (red below, blue above); each cell's text is dark or white for contrast.
    """
    if not isinstance(table, pd.DataFrame) or table.empty:
        raise DataError("cohort_heatmap needs the DataFrame of nrrkit.cohort_table")
    metric = table.attrs.get("metric", "revenue")
    values = table.to_numpy(dtype=float)
    with style():
        ax = axes(ax, (8, max(3.0, 0.22 * len(table) + 1.5)))
        masked = np.ma.masked_invalid(values)
        if metric == "mrr":
            im = ax.imshow(masked, aspect="auto", cmap="Blues")
            fmt = MONEY
        else:
            norm = centred_norm(values)
            im = ax.imshow(masked, aspect="auto", cmap="RdBu", norm=norm)
            fmt = PERCENT
        ax.set_xlabel(f"age ({ {'M': 'months', 'Q': 'quarters', 'Y': 'years'}[table.attrs.get('period', 'M')] })")
        ax.set_ylabel("cohort")
        step = max(1, len(table) // 24)
        ax.set_yticks(range(0, len(table), step), index_labels(table.index, table.attrs.get("period", "M"))[::step])
        xstep = max(1, values.shape[1] // 12)
        ax.set_xticks(range(0, values.shape[1], xstep))  # whole ages only (no 0.5 years)
        ax.grid(False)
        if annotate if annotate is not None else values.size <= 150:
            for i in range(values.shape[0]):
                for j in range(values.shape[1]):
                    if np.isfinite(values[i, j]):
                        label = money(values[i, j]) if metric == "mrr" else percent(values[i, j])
                        strong = abs(im.norm(values[i, j]) - 0.5) > 0.3
                        ax.text(j, i, label, ha="center", va="center", fontsize=MIN_FONT,
                                color="white" if strong else "black")
        what = {"revenue": "Revenue retention", "logos": "Logo retention", "mrr": "MRR"}[metric]
        ax.set_title(f"{what} by cohort and age")
        if colorbar:
            ax.figure.colorbar(im, ax=ax, format=fmt)
    return ax


def cohort_curves(table: pd.DataFrame, *, ax=None, curve: pd.DataFrame | None = None, max_lines: int = 36):
    """Each cohort's retention by age (thin lines) and the dollar-weighted average (thick).

    ``table`` is :func:`nrrkit.cohort_table`; ``curve`` (optional) is
    :func:`nrrkit.cohort_curve` for the same data, drawn in bold.
    """
    if not isinstance(table, pd.DataFrame) or table.empty:
        raise DataError("cohort_curves needs the DataFrame of nrrkit.cohort_table")
    with style():
        ax = axes(ax)
        for _, row in table.tail(max_lines).iterrows():
            ax.plot(row.index, row.values, color=COLORS["neutral"], alpha=0.35, lw=0.8)
        if curve is not None:
            ax.plot(curve["age"], curve["value"], color=COLORS["nrr"], lw=2.5, label="all cohorts (dollar-weighted)")
            ax.legend(loc="upper left")
        ax.axhline(1.0, color="black", lw=0.8)
        ax.yaxis.set_major_formatter(PERCENT)
        ax.set_xlabel("age")
        what = {"revenue": "Revenue retention", "logos": "Logo retention"}.get(table.attrs.get("metric"), "Retention")
        ax.set_title(f"{what} curves by cohort")
    return ax


def layer_cake(data: pd.DataFrame, *, ax=None):
    """MRR by acquisition cohort over calendar time (:func:`nrrkit.layer_cake`), stacked."""
    if not isinstance(data, pd.DataFrame) or data.empty:
        raise DataError("layer_cake needs the DataFrame of nrrkit.layer_cake")
    with style():
        ax = axes(ax)
        x = np.arange(len(data))
        cmap = mpl.colormaps["viridis"]
        n = data.shape[1]
        ax.stackplot(x, data.T.to_numpy(), colors=[cmap(i / max(n - 1, 1)) for i in range(n)],
                     labels=list(data.columns), alpha=0.9)
        step = max(1, len(data) // 12)
        ax.set_xticks(x[::step], index_labels(data.index, data.attrs.get("period", "M"))[::step], rotation=45,
                      ha="right")
        ax.yaxis.set_major_formatter(MONEY)
        ax.set_ylabel("MRR")
        ax.set_title("MRR by acquisition cohort (layer cake)")
        if n <= 16:
            ax.legend(loc="upper left", ncols=2, title="cohort")
        ax.set_xlim(0, len(data) - 1 if len(data) > 1 else 1)
    return ax


def segment_bars(summary: pd.DataFrame, *, ax=None):
    """NRR and GRR per segment, with the total (:func:`nrrkit.segment_summary`)."""
    if not isinstance(summary, pd.DataFrame) or not {"segment", "nrr", "grr"} <= set(summary.columns):
        raise DataError("segment_bars needs the DataFrame of nrrkit.segment_summary")
    with style():
        ax = axes(ax)
        x = np.arange(len(summary))
        ax.bar(x - 0.2, summary["nrr"], width=0.4, color=COLORS["nrr"], label="NRR")
        ax.bar(x + 0.2, summary["grr"], width=0.4, color=COLORS["grr"], label="GRR")
        for i, (n, g) in enumerate(zip(summary["nrr"], summary["grr"])):
            ax.text(i - 0.2, n, percent(n), ha="center", va="bottom", fontsize=MIN_FONT)
            ax.text(i + 0.2, g, percent(g), ha="center", va="bottom", fontsize=MIN_FONT)
        ax.set_xticks(x, list(summary["segment"]))
        ax.axhline(1.0, color="black", lw=0.8)
        avg = summary.attrs.get("average_of_segments")
        if avg is not None:  # drawn across the Total's NRR bar only, so it runs through no other bar's label
            total = len(summary) - 1
            ax.hlines(avg, total - 0.45, total + 0.05, color=COLORS["churn"], lw=2, ls=":",
                      label=f"average of segments {percent(avg, 1)} (not the company's NRR)")
        ax.yaxis.set_major_formatter(PERCENT)
        ax.set_ylim(0, max(summary["nrr"].max(), 1.0) * 1.15)
        ax.set_title(f"NRR and GRR by {summary.attrs.get('by', 'segment')}")
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncols=3)  # under the axes, off the bars
        ax.grid(axis="x", visible=False)
    return ax


def top_movers(data: pd.DataFrame, *, ax=None):
    """The biggest gains and losses of the window (:func:`nrrkit.top_movers`)."""
    if not isinstance(data, pd.DataFrame) or not {"customer_id", "change"} <= set(data.columns):
        raise DataError("top_movers needs the DataFrame of nrrkit.top_movers")
    rows = data.sort_values("change", kind="stable").reset_index(drop=True)
    with style():
        ax = axes(ax, (7, max(3.0, 0.28 * len(rows) + 1)))
        colors = [COLORS["expansion"] if c > 0 else COLORS["churn"] if e == 0 else COLORS["contraction"]
                  for c, e in zip(rows["change"], rows.get("end_mrr", rows["change"]))]
        ax.barh(np.arange(len(rows)), rows["change"], color=colors)
        ax.set_yticks(np.arange(len(rows)), list(rows["customer_id"]))
        ax.axvline(0, color="black", lw=0.8)
        ax.xaxis.set_major_formatter(MONEY)
        ax.set_xlabel("change in MRR over the window")
        ax.set_title("Top movers: largest gains and losses")
        ax.grid(axis="y", visible=False)
    return ax
