"""What a subscription line really pays: trials, discounts, statuses and ends (docs/definitions.md section 1).

:func:`paid_segments` turns each line's dates, status and discount into the stretches of time it
pays for and its MRR in each: a line pays from its paid start (its trial end, else its start)
until the earliest of its end, its cancel-effective date and, for a paused line, its pause date;
a discount lowers the MRR while it applies (forever, once = the first billing period, or
repeating: every billing period that starts within N months of the paid start), and 100% off is 0.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..errors import DataError
from ..parsing import parse_money
from .exports import ENDED, NEVER, NOT_YET, REVENUE, STATUS_RULES, column_for
from .files import Raw, read_source

__all__ = ["Discounts", "read_coupons", "paid_segments", "named", "status_key", "status_rules", "status_left_out"]

DURATIONS = ("forever", "once", "repeating")


def named(names, limit: int = 10) -> str:
    """``a, b, c`` when there are ``limit`` or fewer names, else empty."""
    names = sorted({str(n) for n in names})
    return ", ".join(names) if 0 < len(names) <= limit else ""


@dataclass
class Discounts:
    """Each line's discount: percent off, amount off (per billing period), duration, months."""

    percent: np.ndarray
    amount: np.ndarray
    duration: np.ndarray  # "", forever, once, repeating
    months: np.ndarray
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def any(self) -> bool:
        return bool((self.duration != "").any())


def read_coupons(coupons: Any) -> dict[str, tuple[float, float, str, float, str]]:
    """A coupons export (Stripe's, or any table with id, percent off, amount off, duration,
    duration in months, and the currency of an amount off) as
    ``{id: (percent, amount, duration, months, currency)}``."""
    raw = read_source(coupons)
    cols = list(map(str, raw.frame.columns))
    role = {r: column_for(cols, names) for r, names in {
        "id": ("id", "coupon id", "coupon", "code"), "percent": ("percent off", "percent_off"),
        "amount": ("amount off", "amount_off"), "duration": ("duration",),
        "months": ("duration in months", "duration_in_months"), "currency": ("currency",)}.items()}
    if role["id"] is None or role["duration"] is None or (role["percent"] is None and role["amount"] is None):
        raise DataError(f"{raw.source}: a coupons export needs the columns id, Duration and Percent Off or Amount Off "
                        f"(it has {', '.join(cols)})")
    out: dict[str, tuple[float, float, str, float]] = {}
    frame = raw.frame

    def num(col, i):
        if col is None:
            return 0.0
        v = frame[col].iloc[i]
        if pd.isna(v) or str(v).strip() == "":
            return 0.0
        text = str(v).strip()
        if col == role["percent"] and text.endswith("%"):
            text = text[:-1].strip()  # 20% is 20
        try:
            n, _ = parse_money(pd.Series([text]), raw.where(col))
        except DataError:
            raise raw.where(col).error(i, v, "is not a number", "write the coupon's percent or amount off as a "
                                       "number, such as 20 or 10.00") from None
        return float(n[0])

    first_row: dict[str, int] = {}
    for i in range(len(frame)):
        cid = str(frame[role["id"]].iloc[i]).strip()
        dur = str(frame[role["duration"]].iloc[i]).strip().lower()
        if dur not in DURATIONS:
            raise raw.where(role["duration"]).error(i, frame[role["duration"]].iloc[i], "is not a coupon duration",
                                                    "write forever, once or repeating")
        pct, amt, months = num(role["percent"], i), num(role["amount"], i), num(role["months"], i)
        if pct == 0 and amt == 0:
            raise raw.where(role["percent"] or role["amount"]).error(
                i, "", "gives the coupon no percent and no amount off", "write the coupon's terms")
        if not 0 <= pct <= 100:
            raise raw.where(role["percent"]).error(i, pct, "is not a percent from 0 to 100", "fix the coupon")
        if dur == "repeating" and months <= 0:
            raise raw.where(role["months"] or role["duration"]).error(
                i, months, "is not a number of months for a repeating coupon", "write how many months it repeats")
        cur = frame[role["currency"]].iloc[i] if role["currency"] is not None else None
        terms = (pct, amt, dur, months, "" if pd.isna(cur) else str(cur).strip().upper())
        if cid in out and out[cid] != terms:  # which one applies? nrrkit will not pick
            raise raw.where(role["id"]).error(
                i, frame[role["id"]].iloc[i], f"is a coupon already at {raw.locate(first_row[cid])} with other terms",
                "keep one row per coupon id (the terms that applied), or give each coupon its own id")
        out[cid] = terms
        first_row.setdefault(cid, i)
    return out


def line_discounts(raw: Raw, roles: dict[str, str], coupons: Any, custs: pd.Index, cust_codes,
                   line_codes: np.ndarray | None = None) -> Discounts:
    """The discount of each line: from the export's own discount columns, or its coupon looked up in ``coupons``."""
    n = len(raw.frame)
    d = Discounts(np.zeros(n), np.zeros(n), np.full(n, "", dtype=object), np.zeros(n))
    frame = raw.frame
    if roles.get("percent_off") or roles.get("amount_off"):
        for r in ("percent_off", "amount_off"):
            if roles.get(r):
                col = frame[roles[r]].astype(str).str.strip().str.rstrip("%")  # 20% is 20
                v, _ = parse_money(col.where((col != "") & (col.str.lower() != "nan"), "0"), raw.where(roles[r]))
                (d.percent if r == "percent_off" else d.amount)[:] = np.nan_to_num(v)
        has = (d.percent > 0) | (d.amount > 0)
        dur_col = roles.get("discount_duration")
        if dur_col:
            d.duration[:] = np.where(has, frame[dur_col].astype(str).str.strip().str.lower(), "")
        else:
            d.duration[:] = np.where(has, "forever", "")
            if has.any():
                d.notes.append("discount columns with no duration column: every discount read as forever")
        if roles.get("discount_months"):
            m, _ = parse_money(frame[roles["discount_months"]].where(
                frame[roles["discount_months"]].astype(str).str.strip() != "", "0"), raw.where(roles["discount_months"]))
            d.months[:] = np.nan_to_num(m)
        bad = has & ~np.isin(d.duration, DURATIONS)
        if bad.any():
            pos = int(np.argmax(bad))
            raise raw.where(dur_col).error(pos, frame[dur_col].iloc[pos], "is not a discount duration",
                                           "write forever, once or repeating")
        return d
    col = roles.get("coupon")
    if not col:
        return d
    ids = frame[col].astype(str).str.strip().to_numpy()
    has = ~(frame[col].isna().to_numpy() | np.isin(ids, ["", "nan", "None"]))
    if not has.any():
        return d
    terms = read_coupons(coupons) if coupons is not None else {}
    missing = sorted({i for i, h in zip(ids, has) if h and i not in terms})
    for k in np.flatnonzero(has):
        t = terms.get(ids[k])
        if t is not None:
            d.percent[k], d.amount[k], d.duration[k], d.months[k] = t[:4]
    if line_codes is not None:  # an amount off in one currency on a line billed in another
        other = np.array([bool(terms.get(i) and terms[i][1] > 0 and terms[i][4] and terms[i][4] != c)
                          for i, c in zip(ids, line_codes)]) & has
        if other.any():
            who = named(custs.take(cust_codes[other]))
            d.warnings.append(f"{int(other.sum())} line(s) carry an amount-off coupon in another currency than the "
                              f"line's ({', '.join(sorted(set(ids[other])))}"
                              + (f"; customers {who}" if who else "") + "): the amount is taken off as written")
    if missing:
        lines = has & np.isin(ids, missing)
        who = named(custs.take(cust_codes[lines]))
        how = ("pass the vendor's coupons export with coupons= (CLI: --coupons FILE)" if coupons is None else
               "add them to the coupons export")
        d.warnings.append(f"{int(lines.sum())} line(s) carry a coupon with no terms ({', '.join(missing[:5])}"
                          f"{', ...' if len(missing) > 5 else ''}; column '{col}'"
                          + (f"; customers {who}" if who else "") + f"): they are read at full price; {how}")
    return d


def _add_months(dates: np.ndarray, months: np.ndarray) -> np.ndarray:
    """``dates`` plus a number of months each (whole months as calendar months, a day clipped to the month's end)."""
    out = np.full(len(dates), np.datetime64("NaT"), dtype="datetime64[D]")
    months = np.asarray(months, dtype=float)
    ok = ~np.isnat(dates) & np.isfinite(months)
    whole = ok & (months == np.round(months))
    d = dates[whole]
    first = d.astype("datetime64[M]")
    day = (d - first.astype("datetime64[D]")).astype("int64")
    target = first + months[whole].astype("int64").astype("timedelta64[M]")
    length = ((target + 1).astype("datetime64[D]") - target.astype("datetime64[D]")).astype("int64")
    out[whole] = target.astype("datetime64[D]") + np.minimum(day, length - 1).astype("timedelta64[D]")
    frac = ok & ~whole
    out[frac] = dates[frac] + np.round(months[frac] * 365 / 12).astype("int64").astype("timedelta64[D]")
    return out


@dataclass
class Segments:
    index: np.ndarray  # line of each segment
    starts: np.ndarray
    ends: np.ndarray
    mrr: np.ndarray
    left_out: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    card: list[str] = field(default_factory=list)


def status_key(value) -> str:
    """A status as the documented list writes it: ``'Past due'`` and ``'past-due'`` are ``'past_due'``."""
    return re.sub(r"[\s\-]+", "_", str(value).strip().lower())


def status_rules(raw: Raw, status_col: str | None, not_revenue, pause: np.ndarray | None):
    """Each line's rule (revenue, not revenue yet, never revenue) and the load report's sentence."""
    n = len(raw.frame)
    if status_col is None:
        return np.full(n, REVENUE, dtype=object), np.full(n, "", dtype=object), ""
    col = raw.frame[status_col]
    # 'Past due', 'past-due' and 'PAST_DUE' are past_due (a Dashboard shows statuses in words; a sheet
    # re-typed by hand writes them so): the documented list is matched ignoring case, spaces and hyphens
    st = col.astype(str).map(status_key).where(col.notna(), "").to_numpy(dtype=object)
    st[np.isin(st, ["nan", "none", "<na>"])] = ""
    rules = dict(STATUS_RULES)
    if not_revenue is not None:
        for s in not_revenue:
            rules[status_key(s)] = NEVER
    rule = np.array([rules.get(s, REVENUE) for s in st], dtype=object)
    if pause is not None:  # a paused line with a pause date paid until that date
        rule = np.where((st == "paused") & ~np.isnat(pause), REVENUE, rule)
    kept = pd.Series(st[rule == REVENUE]).replace("", "(no status)").value_counts()
    unknown = sorted(set(st) - set(rules) - {""})
    text = ("statuses counted as revenue: " + ", ".join(f"{k} {n:,}" for k, n in kept.items())
            + f" (not revenue: {', '.join(sorted(k if k != 'paused' else 'paused without a pause date' for k, v in rules.items() if v != REVENUE))}"
            + "; past_due is revenue)"
            + (f"; statuses nrrkit does not know, read as revenue by their dates: {', '.join(unknown)}" if unknown
               else ""))
    return rule, st, text


def status_left_out(raw: Raw, rule: np.ndarray, st: np.ndarray, custs: pd.Index, cust_codes: np.ndarray) -> list[dict]:
    """The load report's entries for the lines a status leaves out (never revenue, not revenue yet)."""
    out = []
    for what, label in ((NEVER, "never paid"), (NOT_YET, "not revenue yet")):
        drop = rule == what
        if drop.any():
            counts = pd.Series(st[drop]).value_counts()
            shown = ", ".join(f"{c:,} {k}" for k, c in counts.items())
            who = named(custs.take(cust_codes[drop]))
            first = raw.locate(int(np.argmax(drop)))
            out.append({"what": f"{int(drop.sum()):,} line(s) whose status is not revenue ({shown}: {label}; "
                                f"first at {first}" + (f"; customers {who}" if who else "") + ")",
                        "rows": int(drop.sum()), "label": "status", "mrr": 0.0, "first_row": first})
    return out


def paid_segments(raw: Raw, *, starts, ends, monthly, rule, st, trial_end, cancel_effective, pause,
                  discounts: Discounts, period_months: np.ndarray, factor_count: np.ndarray,
                  custs: pd.Index, cust_codes: np.ndarray) -> Segments:
    """The stretches each revenue line pays for, with its MRR in each (see the module docstring)."""
    n = len(starts)
    out = Segments(np.empty(0, np.int64), starts[:0], ends[:0], np.empty(0))
    out.left_out.extend(status_left_out(raw, rule, st, custs, cust_codes))
    live = rule == REVENUE
    paid_start = starts.copy()
    if trial_end is not None:
        later = ~np.isnat(trial_end) & (trial_end > starts)
        paid_start = np.where(later, trial_end, starts)
        if later.any():
            out.card.append("revenue starts at each line's trial end")
    end = ends.copy()
    # a cancel date ends a line only once it is canceled: on a running line it is the day a cancellation at
    # the period's end was asked for (Stripe's Canceled At), and the line still pays
    ended = (st == "") | np.isin(st, list(ENDED))
    for extra in (cancel_effective, pause):
        if extra is not None:
            use = np.isnat(end) & ~np.isnat(extra) & ended
            if extra is pause:
                use = ~np.isnat(extra) & (st == "paused") & (np.isnat(end) | (extra < end))
            end = np.where(use, extra, end)
    unconverted = live & ~np.isnat(end) & (end <= paid_start) & (paid_start > starts)
    if unconverted.any():
        who = named(custs.take(cust_codes[unconverted]))
        out.notes.append(f"{int(unconverted.sum())} line(s) ended before or when their trial did: a trial that never "
                         f"converted is never revenue" + (f" (customers {who})" if who else ""))
    live = live & ~unconverted
    if trial_end is not None and (later & live).any():
        out.notes.append(f"{int((later & live).sum()):,} line(s) pay from their trial end, not their start")
    # discounts: one stretch at the discounted MRR, then the rest at the full MRR
    disc_mrr = monthly.copy()
    has = live & (discounts.duration != "")
    if has.any():
        off = np.where(discounts.percent > 0, monthly * (1 - discounts.percent / 100),
                       monthly - discounts.amount * factor_count)
        disc_mrr = np.where(has, np.maximum(off, 0.0), monthly)
        # a discount applies to whole billing periods: 'once' to the first; 'repeating for N months' to every
        # period that starts within N months of the paid start (a 3-month coupon on a yearly plan discounts the
        # whole first year, as the vendor bills it; on a monthly plan, 3 periods = 3 months)
        periods = np.ceil(discounts.months / period_months - 1e-9)
        span = np.where(discounts.duration == "once", period_months,
                        np.where(discounts.duration == "repeating", periods * period_months, np.nan))
        disc_end = _add_months(paid_start, np.where(has & (discounts.duration != "forever"), span, np.nan))
        kinds = pd.Series(discounts.duration[has]).value_counts()
        said = "discounts applied (" + ", ".join(f"{c:,} {k}" for k, c in kinds.items()) + " line(s))"
        out.card.append(said)
        out.notes.append(said + ": the MRR is the discounted price while a discount applies")
        free = has & (disc_mrr == 0)
        if free.any():
            out.notes.append(f"{int(free.sum())} line(s) are 100% off while their discount applies (MRR 0)"
                             + (f": customers {named(custs.take(cust_codes[free]))}" if named(
                                 custs.take(cust_codes[free])) else ""))
    else:
        disc_end = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    split = has & ~np.isnat(disc_end)
    plain = live & ~split
    cut = np.where(np.isnat(end), disc_end, np.minimum(disc_end, np.where(np.isnat(end), disc_end, end)))
    rest = split & (np.isnat(end) | (disc_end < end))
    parts = [(np.flatnonzero(plain), paid_start, end, np.where(has, disc_mrr, monthly)),
             (np.flatnonzero(split), paid_start, cut, disc_mrr),
             (np.flatnonzero(rest), disc_end, end, monthly)]
    idx = np.concatenate([p[0] for p in parts])
    order = np.argsort(idx, kind="stable")
    out.index = idx[order]
    out.starts = np.concatenate([p[1][p[0]] for p in parts])[order]
    out.ends = np.concatenate([p[2][p[0]] for p in parts])[order]
    out.mrr = np.concatenate([p[3][p[0]] for p in parts]).astype(float)[order]
    return out
