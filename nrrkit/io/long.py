"""The long shape: one row per customer and month, and the canonical MRR table every shape ends in."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from ..encode import blocks, code_counts, gather, take_text
from ..engine import map_ordered
from ..errors import DataError, shorten
from ..idcodes import remember_codes
from ..months import month_starts
from ..parsing import Located, parse_money, parse_months, to_period
from .currency import LOCAL_COLUMN, check_symbol, rates_hint
from .files import Raw
from .horizon import set_horizon
from .progress import step
from .report import LoadReport
from .totals import MONTH_WORDS, total_labels

__all__ = ["CANONICAL", "canonical", "customer_ids"]

CANONICAL = ("customer_id", "month", "mrr")


def customer_ids(values: pd.Series, where: Located) -> tuple[np.ndarray, pd.Index]:
    """Factorize customer ids after stripping white space; refuse empty ids.

    Returns one code per row and the cleaned ids (``" a"`` and ``"a"`` are one customer).
    """
    if isinstance(values.dtype, pd.CategoricalDtype):  # dictionary-encoded Parquet column
        codes = np.asarray(values.array.codes)  # a view: .cat.codes copies
        uniques = pd.Index(values.cat.categories)
        counts = code_counts(codes, len(uniques))  # one pass, in blocks on every core
        missing = int(counts[0])
        used = counts[1:] > 0
        if not used.all():  # a dictionary entry no row uses: renumber without it
            remap = np.cumsum(used) - 1
            codes = np.where(codes >= 0, remap[np.maximum(codes, 0)], -1)
            uniques = uniques[used]
    else:
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        missing = int((codes == -1).sum())
    if missing:
        pos = int(np.argmax(codes == -1))
        raise where.error(pos, "", "is empty", "every row needs a customer id; fill it in or delete the row",
                          missing - 1)
    is_text = pd.api.types.is_string_dtype(uniques.dtype) and not pd.api.types.is_object_dtype(uniques.dtype)
    if is_text:
        import pyarrow as pa
        import pyarrow.compute as pc

        arrow = pa.array(uniques.to_numpy(dtype=object)) if not hasattr(uniques.array, "_pa_array") else \
            uniques.array._pa_array
        stripped = pc.utf8_trim_whitespace(arrow)
        if pc.all(pc.and_(pc.equal(stripped, arrow), pc.greater(pc.utf8_length(arrow), 0))).as_py():
            return codes, pd.Index(uniques, dtype="str")  # nothing to strip, nothing empty: keep the codes
        texts_arr = pd.Series(uniques).str.strip().to_numpy(dtype=object)
    else:
        texts = []
        for u in uniques:
            if isinstance(u, (float, np.floating)) and float(u).is_integer():
                u = int(u)  # Excel stores 1001 as 1001.0
            texts.append(str(u).strip())
        texts_arr = np.array(texts, dtype=object)
    empty = texts_arr == ""
    if empty.any():
        is_bad = np.isin(codes, np.flatnonzero(empty))
        pos = int(np.argmax(is_bad))
        raise where.error(pos, values.iloc[pos], "is blank", "every row needs a customer id; fill it in or delete the row",
                          int(is_bad.sum()) - 1)
    if is_text and bool((texts_arr == np.asarray(uniques, dtype=object)).all()):
        return codes, pd.Index(uniques, dtype="str")  # nothing to strip: keep the codes
    codes2, uniques2 = pd.factorize(texts_arr)
    return codes2[codes], pd.Index(uniques2, dtype="str")


_ARR = re.compile(r"(?<![A-Za-z])ARR(?![A-Za-z])|annual recurring|annuali[sz]ed", re.IGNORECASE)


def _warn_arr(raw: Raw, cols: dict[str, str], shape: str) -> None:
    """A sheet that says it holds ARR (its title, its amount column, its file name) is read as MRR: warn.

    Every amount is a month's revenue; ARR amounts would make the MRR, the ARR and every amount shown 12 times
    too large (the rates, NRR and GRR, do not change).
    """
    said = []
    if shape == "long" and _ARR.search(str(cols["mrr"])):
        said.append(f"its amount column is '{cols['mrr']}'")
    for n in raw.notes:
        if n.startswith("the header is row") and "were skipped (" in n and _ARR.search(n.split("were skipped (", 1)[1]):
            said.append("its title says so (" + n.split("were skipped (", 1)[1].rstrip(")") + ")")
            break
    stem = str(raw.source).rsplit(".", 1)[0]
    if _ARR.search(stem):
        said.append(f"its name is '{raw.source}'")
    if said:
        raw.warnings.append(f"the file seems to hold ARR ({'; '.join(said)}), but every amount is read as MRR, a "
                            f"month's revenue: if the amounts are annual, divide them by 12 first, or every amount "
                            f"shown (MRR, ARR) is 12 times too large (NRR, GRR and logo retention do not change)")


def _warn_case_variants(raw: Raw, cust_codes: np.ndarray, cust_names: pd.Index) -> None:
    """Ids that differ only in case or inner spaces ('Acme Corp', 'ACME corp'): two customers, and a warning.

    A hand-kept sheet that writes one customer two ways would count a churn and a new customer, or
    split one customer's revenue in two; nrrkit never merges ids itself, it says so.
    """
    if len(cust_names) < 2 or not pd.api.types.is_string_dtype(cust_names.dtype):
        return
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = getattr(cust_names.array, "_pa_array", None)
    arr = pa.array(np.asarray(cust_names, dtype=object)) if arr is None else arr.combine_chunks()
    folded = pc.utf8_lower(arr)
    # plain ids (ASCII, printable, no double space: 'C0000001', 'acme-corp') are checked without a
    # regular expression; white space is folded only where there is some to fold
    plain = pc.all(pc.ascii_is_printable(arr)).as_py() and not pc.any(pc.match_substring(arr, "  ")).as_py()
    if not plain and pc.any(pc.match_substring_regex(folded, r"\s\s|[^\S ]")).as_py():
        folded = pc.replace_substring_regex(folded, r"\s+", " ")
    if not pc.any(pc.not_equal(folded, arr)).as_py():
        return  # ids are distinct, so when folding changes none, none clash
    if plain and not pc.any(pc.not_equal(pc.utf8_upper(arr), arr)).as_py():
        return  # every letter is a capital: two ids that differ only in case would need a small letter
    if len(pc.unique(folded)) == len(cust_names):
        return
    groups = pd.Series(np.arange(len(cust_names))).groupby(folded.to_numpy(zero_copy_only=False)).agg(list)
    clashes = [g for g in groups if len(g) > 1]
    first_row = {}
    order = np.flatnonzero(np.isin(cust_codes, [c for g in clashes[:3] for c in g]))
    for pos in order:
        first_row.setdefault(int(cust_codes[pos]), int(pos))
    shown = "; ".join(" and ".join(f"{shorten(cust_names[c])} ({raw.locate(first_row[c])})" for c in g[:3])
                      for g in clashes[:3])
    more = f" and {len(clashes) - 3} more such group(s)" if len(clashes) > 3 else ""
    raw.warnings.append(f"{len(clashes)} customer(s) have ids written two ways that differ only in case or spaces "
                        f"({shown}{more}): each way is read as its own customer; if they are one customer, write "
                        f"the id the same way on every row")


def canonical(
    raw: Raw,
    cols: dict[str, str],
    *,
    duplicates: str,
    month_format: str | None,
    decimal: str,
    currency: str | None,
    max_month: Any,
    as_of: Any = None,
    totals: str = "drop",
    shape: str = "long",
    shape_reason: str = "",
    left_out: list[dict] | None = None,
    horizon_hint: Any = None,
    rates: Any = None,
    basis: str = "constant",
    amounts_in: str | None = None,
) -> pd.DataFrame:
    """Validate a long table (one row per customer and month) and build the canonical MRR table.

    Every other shape ends here, so the checks, the summing of duplicates, the span of months
    and the load report are the same whatever was read.
    """
    frame = raw.frame
    if len(frame) == 0:
        raise DataError(f"{raw.source}: has a header but no data rows; add one row per customer and month")
    mm = to_period(max_month, "max_month") if max_month is not None else None
    last_wanted = to_period(as_of, "as_of") if as_of is not None else None
    if last_wanted is not None and (mm is None or mm < last_wanted):
        mm = max(last_wanted, pd.Timestamp.today().to_period("M")) if mm is None else mm
    left_out = list(raw.left_out) + list(left_out or [])
    step("customer ids")
    try:
        cust_codes, cust_names = customer_ids(frame[cols["customer_id"]], raw.where(cols["customer_id"]))
    except DataError:  # a blank id: is it a total under the table (no customer, no month, the sum above)?
        summed = _leave_out_unlabelled_sums(raw, cols, totals, left_out, decimal) if shape == "long" else raw
        if summed is raw:
            raise
        raw, frame = summed, summed.frame
        cust_codes, cust_names = customer_ids(frame[cols["customer_id"]], raw.where(cols["customer_id"]))
    if shape in ("long", "wide"):
        _warn_case_variants(raw, cust_codes, cust_names)
        _warn_arr(raw, cols, shape)
    attrs_now = [c for c in frame.columns if c not in cols.values()]
    total_ids = total_labels(cust_names, lambda: _group_names(frame, attrs_now, cols, cust_names))
    if len(total_ids):
        keep = _leave_out_total_ids(raw, cols, cust_codes, cust_names, total_ids, totals, left_out, decimal)
        raw = raw.subset(keep)
        frame = raw.frame
        if len(frame) == 0:
            raise DataError(f"{raw.source}: every row is a total; there are no customer rows to read")
        cust_codes, cust_names = _renumber(cust_codes[keep], cust_names)
    step("months")
    ords = parse_months(frame[cols["month"]], raw.where(cols["month"]), month_format=month_format, max_month=mm,
                        notes=raw.notes)
    step("amounts")
    money, symbol = parse_money(frame[cols["mrr"]], raw.where(cols["mrr"]), decimal=decimal)
    currency, conversion = _convert(raw, currency, rates, basis, ords, money, last_wanted, amounts_in)
    if conversion is None:
        check_symbol(raw, symbol, currency)
    local = None
    if conversion is not None:
        local = money if raw.attrs.get("fx_rates") else None  # read at each month's rate: keep the local amount
        money = conversion
    step("checking rows")
    if last_wanted is not None:
        late = ords > last_wanted.ordinal
        if late.any():
            pos = int(np.argmax(late))
            raise raw.where(cols["month"]).error(
                pos, frame[cols["month"]].iloc[pos], f"is after as_of {last_wanted}",
                "remove the later rows, or choose a later as_of (CLI: --as-of)", int(late.sum()) - 1)
    attrs = [c for c in frame.columns if c not in cols.values()]
    for a in attrs:
        if a in CANONICAL:
            raise DataError(
                f"{raw.source}, row 1: column '{a}' has a reserved name while '{cols[a]}' is used as {a}; rename one of them"
            )
    n = len(frame)
    lo, hi_rows = int(ords.min()), int(ords.max())
    hi = max(hi_rows, int(last_wanted.ordinal)) if last_wanted is not None else hi_rows
    if horizon_hint is not None and last_wanted is None:  # a table that carried its span (nrrkit's own Parquet)
        hi = max(hi, int(to_period(horizon_hint, "horizon").ordinal))
    span = hi - lo + 1
    has_dupes = _has_duplicates(cust_codes, ords, lo, span, len(cust_names))
    keep = np.ones(n, dtype=bool)
    if has_dupes:
        key = cust_codes.astype("int64") * span + (ords - lo)
        dup_first = pd.Index(key).duplicated(keep="first")
        if duplicates == "error":
            pos = int(np.argmax(dup_first))
            first = int(np.argmax(key == key[pos]))
            raise DataError(
                f"{raw.source}, {raw.locate(pos)}, column '{cols['customer_id']}': value "
                f"{shorten(cust_names[cust_codes[pos]])} already has a row for "
                f"{pd.Period(ordinal=int(ords[pos]), freq='M')} "
                f"at {raw.locate(first)}; remove one, or pass duplicates='sum' to add them up"
            )
        if duplicates != "sum":
            raise DataError(f"duplicates must be 'sum' or 'error', not {duplicates!r}")
        # sum amounts into the first row of each customer-month; attributes come from that first row
        codes, uniq = pd.factorize(key)
        money = np.bincount(codes, weights=money, minlength=len(uniq))[codes]
        keep = ~dup_first
    kept_pos = np.flatnonzero(keep) if has_dupes else None

    def kept(arr):
        return arr if kept_pos is None else arr.take(kept_pos)

    step("building the table")
    code_type = np.int32 if len(cust_names) < 2**31 else np.int64
    row_codes = kept(cust_codes).astype(code_type, copy=False)
    kept_ords = kept(ords)
    # the months first: what the report needs of the ordinals is taken now, and they (8 bytes a row) are
    # freed before the ids' text is built, which is the read's peak of memory
    month_col = _month_starts(kept_ords, lo, hi_rows)
    months_with_rows = int(np.count_nonzero(code_counts(ords, hi_rows + 1)[1 + lo:]))
    kept_money = kept(money)
    last_mrr = float(kept_money[kept_ords == hi].sum())
    del ords, kept_ords
    columns = {
        # plain text ids (pandas' string dtype): they compare, filter and concat like any text
        "customer_id": _take_ids(cust_names, row_codes),
        "month": month_col,
        "mrr": kept_money,
    }
    for a in attrs:  # keep the column's own array (Arrow strings stay Arrow strings)
        columns[a] = kept(frame[a].array)
    if local is not None:
        columns[LOCAL_COLUMN] = kept(local)
    out = pd.DataFrame(columns, copy=False)
    # the panel numbers customers in sorted id order: hand it the codes we already have
    order = _sort_order(cust_names)
    rank = np.empty(len(order), dtype="int64")
    rank[order] = np.arange(len(order))
    remember_codes(out["customer_id"].array, gather(rank, row_codes), cust_names[order])
    set_horizon(out, pd.Period(ordinal=lo, freq="M"), pd.Period(ordinal=hi, freq="M"))
    report = LoadReport(
        source=raw.source,
        shape=shape,
        shape_reason=shape_reason,
        last_month_with_rows=str(pd.Period(ordinal=hi_rows, freq="M")),
        left_out=left_out,
        rows_read=n + sum(int(x.get("rows", 0)) for x in left_out),
        blank_rows=raw.blank_rows,
        rows_summed=int(n - (len(kept_pos) if kept_pos is not None else n)),
        customers=len(cust_names),
        months=span,
        first_month=str(pd.Period(ordinal=lo, freq="M")),
        last_month=str(pd.Period(ordinal=hi, freq="M")),
        total_mrr=float(out["mrr"].sum()),
        last_mrr=last_mrr,
        warnings=list(raw.warnings),
        card_notes=list(raw.attrs.get("card_notes", [])),
        currency=currency or symbol,
        notes=list(raw.notes),
    )
    missing_months = (hi_rows - lo + 1) - months_with_rows
    if missing_months:
        report.notes.append(
            f"{missing_months} calendar month(s) between {report.first_month} and {report.last_month_with_rows} "
            f"have no rows; they count as months in which nobody paid"
        )
    if has_dupes:
        n_sum = report.rows_summed
        involved = np.flatnonzero(pd.Index(key).duplicated(keep=False))
        same = int(frame.iloc[involved].astype(str).duplicated().sum()) if len(involved) <= 1_000_000 else 0
        exact = (f"; {same:,} of them repeat an earlier row in every column (an export glitch?)" if same else "")
        report.notes.append(
            f"{n_sum:,} row{'s' if n_sum != 1 else ''} shared a customer and month with an earlier row and "
            f"{'were' if n_sum != 1 else 'was'} added to it "
            f"(attributes kept from the first row){exact}; pass duplicates='error' to refuse them instead"
        )
    if raw.attrs.get("conversion"):
        report.conversion = raw.attrs["conversion"]
    if local is not None:
        out.attrs.update(fx_rates=raw.attrs["fx_rates"], fx_last=str(pd.Period(ordinal=hi, freq="M")),
                         fx_currency=raw.attrs["fx_currency"])
    out.attrs["load_report"] = report
    return out


def _has_duplicates(cust_codes: np.ndarray, ords: np.ndarray, lo: int, span: int, customers: int) -> bool:
    """Whether two rows share a customer and a month (``ords`` are month ordinals from ``lo``)."""
    n = len(cust_codes)
    if customers * span > 1_000_000_000 or lo < 0:
        return bool(pd.Index(cust_codes.astype("int64") * span + (ords - lo)).has_duplicates)
    # one flag per possible customer-month, set in blocks of rows on every core (each block writes
    # only True): fewer flags set than rows means duplicates
    # (the first lo flags are never set: code * span + month ordinal needs no shift by lo)
    seen = np.zeros(customers * span + lo, dtype=bool)

    def mark(block):
        a, b = block
        key = np.multiply(cust_codes[a:b], span, dtype=np.int64)
        key += ords[a:b]
        seen[key] = True

    map_ordered(mark, blocks(n))
    return int(np.count_nonzero(seen)) < n


def _take_ids(names: pd.Index, codes: np.ndarray):
    """``names.take(codes).array``: Arrow text taken in blocks on every core (pandas' ``str`` dtype kept)."""
    arrow = getattr(names.array, "_pa_array", None)
    if arrow is None or not isinstance(names.array, pd.arrays.ArrowStringArray):
        return names.take(codes).array
    arrow = arrow.combine_chunks() if hasattr(arrow, "combine_chunks") else arrow
    return pd.arrays.ArrowStringArray(take_text(arrow, codes), dtype=names.dtype)


def _month_starts(ords: np.ndarray, lo: int, hi: int) -> pd.DatetimeIndex:
    """:func:`nrrkit.months.month_starts` of validated ordinals, looked up in blocks on every core."""
    if lo < 0:
        return month_starts(ords)
    table = month_starts(np.arange(hi + 1)).asi8  # the first day of every month up to the last one (a few hundred)
    # copy=False: the gathered array is ours; a copy would be another 8 bytes a row at the read's peak
    return pd.DatetimeIndex(gather(table, ords).view("datetime64[ns]"), copy=False)


def _renumber(codes: np.ndarray, names: pd.Index) -> tuple[np.ndarray, pd.Index]:
    used = np.bincount(codes, minlength=len(names)) > 0
    if used.all():
        return codes, names
    remap = np.cumsum(used) - 1
    return remap[codes], names[used]


def _group_names(frame, attrs, cols, cust_names) -> set[str]:
    """Names a subtotal row may carry: attribute values (segments), months, and other customers' ids."""
    names: set[str] = set()
    for a in attrs:
        col = frame[a]
        uniq = col.cat.categories if isinstance(col.dtype, pd.CategoricalDtype) else pd.unique(col)
        if len(uniq) <= 10_000:
            names.update(str(u) for u in uniq if not pd.isna(u))
    month = frame[cols["month"]]
    uniq = month.cat.categories if isinstance(month.dtype, pd.CategoricalDtype) else pd.unique(month)
    for u in uniq[:10_000]:
        text = str(u).strip()
        names.add(text)
        names.update(text.split())  # "Jan 2024" -> "Jan", "2024"
    names.update(str(c) for c in cust_names)
    names.update(MONTH_WORDS)  # "Total Jan", "March subtotal"
    return names


def _blank(col: pd.Series) -> np.ndarray:
    return col.isna().to_numpy() | col.astype(str).str.strip().isin(["", "nan", "None", "<NA>"]).to_numpy()


def _leave_out_unlabelled_sums(raw, cols, totals, left_out, decimal):
    """A row with no customer and no month whose amount is the sum of the rows above it (Excel's AutoSum under
    a long table): a total, never a customer (the definitions, 'Rows that are not customers')."""
    frame = raw.frame
    cand = _blank(frame[cols["customer_id"]]) & _blank(frame[cols["month"]])
    if not cand.any():
        return raw
    where = Located(raw.source, cols["mrr"], raw.locate)
    try:
        money, _ = parse_money(frame[cols["mrr"]].where(~cand, "0"), where, decimal=decimal)
        sums, _ = parse_money(frame[cols["mrr"]][cand].reset_index(drop=True),
                              Located(raw.source, cols["mrr"], lambda i: raw.locate(int(np.flatnonzero(cand)[i]))),
                              decimal=decimal)
    except DataError:
        return raw  # an amount that is not a number: its own error comes later, as for any row
    above = np.cumsum(money) - money  # the sum of the customer rows above each row
    pos = np.flatnonzero(cand)
    is_sum = np.abs(sums - above[pos]) <= np.maximum(0.005, 1e-9 * np.abs(above[pos]))
    if not is_sum.any():
        return raw
    first = int(pos[np.argmax(is_sum)])
    if totals == "error":
        shown = frame[cols["mrr"]].iloc[first]
        shown = int(shown) if isinstance(shown, float) and shown.is_integer() else shown  # 150, as the file has it
        raise raw.where(cols["mrr"]).error(first, shown, "is a total, not a customer (the "
                                           "row has no customer and no month, and its amount is the sum of the rows "
                                           "above)", "delete it, or pass totals='drop' (CLI: --totals drop) to leave "
                                           "it out")
    for i, v in zip(pos[is_sum], sums[is_sum]):
        left_out.append({"what": f"{raw.locate(int(i))} (no customer, no month): a total, not a customer; its "
                                 f"{v:,.2f} equals the sum of the {int((~cand[:i]).sum())} rows above it",
                         "rows": 1, "label": "", "mrr": float(v), "first_row": raw.locate(int(i))})
    keep = np.ones(len(frame), dtype=bool)
    keep[pos[is_sum]] = False
    return raw.subset(np.flatnonzero(keep))


def _leave_out_total_ids(raw, cols, cust_codes, cust_names, total_ids, totals, left_out, decimal):
    """Rows whose customer id is a total label (``Total``, ``Total SMB``, ``Acme Total``): never a customer."""
    is_tot = np.isin(cust_codes, total_ids)
    pos = int(np.argmax(is_tot))
    label = str(cust_names[cust_codes[pos]])
    if totals == "error":
        raise raw.where(cols["customer_id"]).error(
            pos, label, "is a total, not a customer",
            "delete the total rows, or pass totals='drop' (CLI: --totals drop) to leave them out",
            int(is_tot.sum()) - 1)
    rows = int(is_tot.sum())
    where = np.flatnonzero(is_tot)
    try:  # what the total rows hold, for the report (a subtotal row may have no month or a formula)
        held, _ = parse_money(raw.frame[cols["mrr"]].iloc[where].reset_index(drop=True),
                              Located(raw.source, cols["mrr"], lambda i: raw.locate(int(where[i]))), decimal=decimal)
        amount = f"; they hold {float(held.sum()):,.2f} of MRR, not counted"
        mrr = float(held.sum())
    except DataError:
        amount, mrr = "", 0.0
    labels = sorted({str(cust_names[c]) for c in np.unique(cust_codes[is_tot])})
    shown = ", ".join(shorten(x) for x in labels[:4]) + (f" and {len(labels) - 4} more" if len(labels) > 4 else "")
    left_out.append({"what": f"{rows} row(s) from {raw.locate(pos)}, column '{cols['customer_id']}' ({shown}): "
                             f"totals, not customers (their labels say so){amount}",
                     "rows": rows, "label": label, "mrr": mrr, "first_row": raw.locate(pos)})
    return np.flatnonzero(~is_tot)


def _convert(raw, currency, rates, basis, ords, money, last_wanted, amounts_in=None):
    """A column of currency codes converted with ``rates``; ``currency`` may instead name the one currency."""
    from .currency import currency_role

    col, label = currency_role(raw, currency, amounts_in, detect=False)
    if col is None:
        currency = label
        if rates is not None:
            raise DataError(f"{raw.source}: rates were given but no currency column; name it with currency='...' "
                            f"(CLI: --currency COLUMN)")
        return currency, None
    from .currency import read_rates

    vals = raw.frame[col]
    codes = np.array([("" if pd.isna(v) else str(v).strip().upper()) for v in vals.tolist()], dtype=object)
    distinct = sorted(set(codes.tolist()) - {""})
    if rates is None:
        if len(distinct) > 1:
            raise DataError(f"{raw.source}: column '{col}' holds {len(distinct)} currencies ({', '.join(distinct)}); "
                            f"{rates_hint(codes.tolist())}")
        return (distinct[0] if distinct else None), None
    r = read_rates(rates, basis)
    r.complete(codes, raw.notes)
    r.check_known(codes, raw.where(col))
    last = int(last_wanted.ordinal) if last_wanted is not None else int(ords.max())
    raw.notes.append(f"amounts converted with {r.describe()}")
    raw.attrs["conversion"] = r.describe()
    if r.table is not None and r.basis == "actual":
        raw.attrs["fx_rates"] = {c: {str(pd.Period(ordinal=m, freq="M")): v for m, v in by_month.items()}
                                 for c, by_month in r.table.items()}
        raw.attrs["fx_currency"] = col
    return r.reporting or None, money * r.for_months(codes, ords, last)


def _sort_order(names: pd.Index) -> np.ndarray:
    """``names.argsort()``, through Arrow's sort when the ids are Arrow text (several times faster)."""
    array = getattr(names.array, "_pa_array", None)
    if array is None:
        return names.argsort()
    import pyarrow.compute as pc

    return pc.array_sort_indices(array.combine_chunks() if hasattr(array, "combine_chunks") else array).to_numpy()
