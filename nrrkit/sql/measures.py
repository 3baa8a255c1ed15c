"""The definitions as Ibis expressions: movements, the bridge, retention and cohorts.

Each function takes an :class:`~nrrkit.sql.source.MrrTable` (or anything
:func:`~nrrkit.sql.mrr_table` opens) and returns an Ibis table expression that runs in
the database; nothing is read into Python until you execute it.  The rules are those of
docs/definitions.md, sections 1 to 4, and of the pandas functions of the same names; the
tests hold the two to the cent (ratios to 1e-12).

How the SQL works, in three ideas:

- *Customer-months*: rows are summed per customer and month; only months with MRR > 0
  are kept (a month with no row and a month with MRR 0 are the same: nothing paid).
- *Pairs by union, not by joins or lags*: a customer's month t and month t - 1 (or t - w)
  meet by stacking the paying rows with a copy shifted by one (or w) months and summing
  per customer and month.  A hash aggregation; it needs no sort, and every SQL engine has it.
- *A month spine*: months (and periods, and cohort ages) in which nobody pays still get
  their row, from a small table of digits cross-joined with itself (portable SQL: no
  arrays, no recursive queries).
"""

from __future__ import annotations

import ibis

from ..errors import DataError
from ..panel import MISSING_SEGMENT
from .results import remember
from .source import MrrTable, as_source

__all__ = ["movements", "bridge", "retention", "cohort_table"]

_SIZE = {"M": 1, "Q": 3, "Y": 12}
MOVEMENTS = ("new", "reactivation", "expansion", "contraction", "churn", "flat")


def _freq(freq: str, what: str = "freq") -> str:
    f = {"A": "Y"}.get(str(freq).upper(), str(freq).upper())
    if f not in _SIZE:
        raise DataError(f"{what} must be 'M', 'Q' or 'Y', not {freq!r}")
    return f


def _check_by(src: MrrTable, by: str | None) -> None:
    if by is None:
        return
    if by in ("customer_id", "month", "mrr", "month_key") or by in src.columns.values():
        raise DataError(f"cannot segment by '{by}'; choose an attribute column such as segment or plan")
    if by not in src.attributes:
        raise DataError(f"{src.name}: no attribute column '{by}' to segment by "
                        f"(attributes: {', '.join(src.attributes) or 'none'})")


def _window_arg(w, name: str = "window", low: int = 1) -> int:
    if isinstance(w, bool) or not isinstance(w, int) or w < low:
        raise DataError(f"{name} must be a whole number of months >= {low}, not {w!r}")
    return w


# --------------------------------------------------------------------------- building blocks


def _int(x):
    return x.cast("int64")


def _count(cond):
    """How many rows meet ``cond``: a sum of 1s (Postgres cannot cast a boolean to a bigint)."""
    return ibis.ifelse(cond, 1, 0).cast("int64").sum()


def _mod(x, n: int):
    """x mod n as an integer on every engine (SQLite's MOD gives a real number)."""
    return x - (x // n) * n


def _two(x):
    """'01' .. '12' from 1 .. 12, without LPAD (whose SQL differs by engine): the last two digits of 100 + x."""
    return _int(x + 100).cast("string").right(2)


def month_label(key):
    """'2024-01' from a month key (year * 12 + month - 1)."""
    return _int(key // 12).cast("string").concat("-", _two(_mod(key, 12) + 1))


def period_label(p, freq: str):
    """The text of a period number: '2024-01' (M), '2024-Q1' (Q), '2024' (Y)."""
    if freq == "M":
        return month_label(p)
    if freq == "Q":
        return _int(p // 4).cast("string").concat("-Q", _int(_mod(p, 4) + 1).cast("string"))
    return _int(p).cast("string")


def spine(lo: int, hi: int, name: str = "k"):
    """A one-column table of the whole numbers lo .. hi, in portable SQL (no arrays, no recursion).

    A two-row table (0 and 1) cross-joined with itself once per binary digit: 6 joins for the
    months of 5 years, and every engine runs it.
    """
    n = hi - lo + 1
    if n <= 0:
        return ibis.literal(lo, type="int64").name(name).as_table().filter(ibis.literal(False))
    bit = ibis.literal(0, type="int64").name("d").as_table().union(ibis.literal(1, type="int64").name("d").as_table())
    places = max(1, (n - 1).bit_length())
    grid = bit.rename(d0="d")
    for j in range(1, places):
        grid = grid.cross_join(bit.rename(**{f"d{j}": "d"}))
    k = sum((grid[f"d{j}"] * 2**j for j in range(1, places)), grid["d0"])
    return grid.select(**{name: k + lo}).filter(lambda t: t[name] <= hi)


def _segment(t, by: str | None):
    if by is None:
        return {}
    return {"seg": t[by].cast("string").fill_null(MISSING_SEGMENT)}


def paying(src: MrrTable, by: str | None = None):
    """One row per customer and month with MRR > 0: customer_id, m, mrr (and seg)."""
    t = src.expr  # every row lies in the span (mrr_table refuses rows after as_of)
    if src.rows == src.customer_months:  # one row per customer-month already: nothing to sum
        g = t.select("customer_id", m=t.month_key, mrr=t.mrr, **_segment(t, by))
    elif by is None:
        g = t.group_by(["customer_id", "month_key"]).aggregate(mrr=t.mrr.sum()).rename(m="month_key")
    else:
        # several rows in one customer-month: MRR summed; of differing attribute values the smallest
        # (a database table has no row order to take the first from)
        g = t.group_by(["customer_id", "month_key"]).aggregate(mrr=t.mrr.sum(), seg=_segment(t, by)["seg"].min())
        g = g.rename(m="month_key")
    return g.filter(g.mrr > 0)


def pairs(src: MrrTable, by: str | None = None, reactivation_window: int | None = None):
    """Every customer-month that pays or follows a paying month, with this and last month's MRR.

    Columns: customer_id, m, cur, prev, is_first (the customer's first paying month), gap
    (unpaid months since its last paying month), and with ``by`` seg_cur and seg_prev.
    Paying rows look back to the customer's previous paying month (a lag); a paying month
    not followed by one (a lead) adds the churn row of the next month, inside the span.
    """
    p = paying(src, by)
    win = ibis.window(group_by=p.customer_id, order_by=p.m)
    extra = {"pseg": p.seg.lag().over(win)} if by is not None else {}
    lagged = p.mutate(pm=p.m.lag().over(win), pv=p.mrr.lag().over(win), nm=p.m.lead().over(win), **extra)
    follows = lagged.pm == lagged.m - 1
    seg_cur, seg_churn = {}, {}
    if by is not None:
        seg_cur = {"seg_cur": lagged.seg, "seg_prev": ibis.ifelse(follows, lagged.pseg, ibis.null("string"))}
        seg_churn = {"seg_cur": ibis.null("string"), "seg_prev": lagged.seg}
    cur = lagged.select(
        "customer_id", "m", cur=lagged.mrr, prev=ibis.ifelse(follows, lagged.pv, 0.0),
        is_first=lagged.pm.isnull(), gap=_int(lagged.m - lagged.pm - 1), **seg_cur,
    )
    ends = lagged.filter((lagged.nm.isnull() | (lagged.nm > lagged.m + 1)) & (lagged.m < src.last))
    churn = ends.select(
        "customer_id", m=ends.m + 1, cur=ibis.literal(0.0), prev=ends.mrr, is_first=ibis.literal(False),
        gap=ibis.null("int64"), **seg_churn,
    )
    return cur.union(churn)


def _flags(g, reactivation_window: int | None):
    start = (g.cur > 0) & (g.prev == 0)
    is_new = g.is_first
    if reactivation_window is not None:
        is_new = is_new | (g.gap > reactivation_window).fill_null(False)
    both = (g.cur > 0) & (g.prev > 0)
    return {
        "new": start & is_new,
        "reactivation": start & ~is_new,
        "expansion": both & (g.cur > g.prev),
        "contraction": both & (g.cur < g.prev),
        "churn": (g.prev > 0) & (g.cur == 0),
        "flat": both & (g.cur == g.prev),
    }


# --------------------------------------------------------------------------- the measures


def movements(data, *, reactivation_window: int | None = None, by: str | None = None):
    """Each customer-month's movement, as :func:`nrrkit.movements` (docs/definitions.md, section 2).

    Columns ``customer_id, month ('2024-01'), mrr, prev_mrr, movement, change`` (and ``by``,
    read in the month itself, in the month before for churn), ordered by customer and month.
    """
    src = as_source(data)
    _check_by(src, by)
    if reactivation_window is not None:
        _window_arg(reactivation_window, "reactivation_window", low=0)
    g = pairs(src, by, reactivation_window)
    f = _flags(g, reactivation_window)
    label = ibis.cases(*[(f[name], name) for name in MOVEMENTS[:-1]], else_="flat")
    cols = {"customer_id": g.customer_id, "month": month_label(g.m), "mrr": g.cur, "prev_mrr": g.prev,
            "movement": label, "change": g.cur - g.prev}
    if by is not None:
        cols[by] = ibis.ifelse(f["churn"], g.seg_prev, g.seg_cur)
    return g.select(**cols).order_by(["customer_id", "month"])


_AMOUNT_OF = {
    "new": lambda g: g.cur,
    "reactivation": lambda g: g.cur,
    "expansion": lambda g: g.cur - g.prev,
    "contraction": lambda g: g.prev - g.cur,
    "churn": lambda g: g.prev,
}
_COUNT_OF = {"new": "new_customers", "reactivation": "reactivated_customers", "expansion": "expanded_customers",
             "contraction": "contracted_customers", "churn": "churned_customers"}
BRIDGE_COLUMNS = (
    "period", "start_mrr", "new", "reactivation", "expansion", "contraction", "churn", "end_mrr",
    "customers_start", "customers_end", "new_customers", "reactivated_customers",
    "expanded_customers", "contracted_customers", "churned_customers", "complete",
)


def bridge(data, *, freq: str = "M", by: str | None = None, reactivation_window: int | None = None):
    """The MRR bridge per month, quarter or year, as :func:`nrrkit.bridge` (section 2).

    ``end_mrr = start_mrr + new + reactivation + expansion - contraction - churn`` in every
    row.  A quarter's (year's) start is the MRR of the month before its first month in the
    data, its end the MRR of its last month in the data.  With ``by`` a customer belongs, for
    a whole period, to its segment in the month before the period if it paid then, else to
    its segment in its first paying month of the period; only periods in which a segment has
    MRR or a movement get its row.  Without ``by``, every period of the span has a row.
    """
    src = as_source(data)
    f_ = _freq(freq)
    _check_by(src, by)
    if reactivation_window is not None:
        _window_arg(reactivation_window, "reactivation_window", low=0)
    size = _SIZE[f_]
    g = pairs(src, by, reactivation_window)
    flags = _flags(g, reactivation_window)
    p = g.m // size if size > 1 else g.m
    pfirst = ibis.greatest(p * size, src.first) if size > 1 else g.m
    plast = ibis.least(p * size + size - 1, src.last) if size > 1 else g.m
    g = g.mutate(p=_int(p), at_start=g.m == pfirst, at_end=g.m == plast, **{f"is_{k}": v for k, v in flags.items()})
    zero = ibis.literal(0.0)

    def sums(g):
        return {
            "start_mrr": ibis.ifelse(g.at_start, g.prev, zero).sum(),
            **{k: ibis.ifelse(g[f"is_{k}"], fn(g), zero).sum() for k, fn in _AMOUNT_OF.items()},
            "end_mrr": ibis.ifelse(g.at_end, g.cur, zero).sum(),
            "customers_start": _count(g.at_start & (g.prev > 0)),
            "customers_end": _count(g.at_end & (g.cur > 0)),
            **{c: _count(g[f"is_{k}"]) for k, c in _COUNT_OF.items()},
        }

    if by is None:
        aggs = sums(g)
        out = g.group_by("p").aggregate(**aggs)
    else:
        row_seg = ibis.ifelse(g.prev > 0, g.seg_prev, g.seg_cur)
        if size == 1:  # a month is its own period: each row is the customer's first (and only) in it
            g = g.mutate(seg=row_seg)
            aggs = sums(g)
            out = g.group_by(["p", "seg"]).aggregate(**aggs)
        else:
            # per customer and period first (the segment of its first row: the smallest "month|segment"
            # text, months written with a fixed width), then per period and segment; two aggregations
            # instead of a window sorted by customer
            tag = _int(g.m - src.first + 100000).cast("string").concat(row_seg)
            per_customer = g.group_by(["customer_id", "p"]).aggregate(tag=tag.min(), **sums(g))
            per_customer = per_customer.mutate(seg=per_customer.tag.substr(6))
            aggs = {k: per_customer[k].sum() for k in sums(g)}
            out = per_customer.group_by(["p", "seg"]).aggregate(**aggs)
    lo, hi = src.first // size, src.last // size
    if by is None:
        periods = spine(lo, hi, "p")
        out = periods.left_join(out, "p").select(
            "p", **{k: out[k].fill_null(0) for k in aggs}
        )
    first_m = ibis.greatest(out.p * size, src.first) if size > 1 else out.p
    last_m = ibis.least(out.p * size + size - 1, src.last) if size > 1 else out.p
    complete = (last_m - first_m + 1) == size
    cols = {"period": period_label(out.p, f_)}
    if by is not None:
        cols[by] = out.seg
    cols.update({k: out[k] for k in BRIDGE_COLUMNS[1:-1]})
    cols["complete"] = complete
    expr = out.select(**cols).order_by(["period", *([by] if by else [])])
    return remember(expr, "bridge", src, freq=f_, by=by, reactivation_window=reactivation_window)


RETENTION_COLUMNS = (
    "month", "base_month", "customers_start", "customers_retained", "start_mrr", "end_mrr",
    "expansion", "contraction", "churn", "nrr", "grr", "logo_retention",
)


def retention(data, *, window: int = 12, method: str = "cohort", by: str | None = None, at: str = "M",
              total: bool = False, currency_basis: str = "constant"):
    """NRR, GRR and logo retention for every end month, as :func:`nrrkit.retention` (section 3).

    The base cohort of end month t is every customer paying in t - ``window``; with ``by``
    each is placed in its segment in that base month.  ``method`` is ``"cohort"`` (the
    default, the investor definition) or ``"survivors"`` (the contrast that keeps only base
    customers still paying at t); the other methods run in pandas (:func:`nrrkit.retention`).
    Without ``by`` every end month of the span has a row (ratios are NULL where the base is
    empty); with it, only segments with base customers do.  ``at="Q"`` (``"Y"``) keeps the
    quarter (year) ends and the data's last month when it ends none, with a ``complete``
    column (False for that partial period); ``total=True`` (with ``by``) adds a ``Total`` row
    per end month, the figure over all base customers.  ``currency_basis`` is accepted for
    the pandas function's signature: a database table holds one currency, so both bases
    give the same figures.

    Examples
    --------
    >>> import ibis, nrrkit as nk, nrrkit.sql as nks
    >>> db = ibis.duckdb.connect()
    >>> t = nks.mrr_table(db.create_table("mrr", nk.plain_table(nk.datasets.load_tiny())))
    >>> r = nks.to_pandas(nks.retention(t, window=3))
    >>> r[["month", "start_mrr", "end_mrr", "nrr"]].astype(str).values.tolist()
    [['2024-04-01', '430.0', '230.0', '0.5348837209302325']]
    """
    src = as_source(data)
    w = _window_arg(window)
    step = {"M": 1, "Q": 3, "Y": 12, "A": 12}.get(str(at).upper())
    if step is None:
        raise DataError(f"at must be 'M' (every end month), 'Q' (quarter ends) or 'Y' (year ends), not {at!r}")
    if currency_basis not in ("constant", "actual"):
        raise DataError(f"currency_basis must be 'constant' or 'actual', not {currency_basis!r}")
    if total and by is None:
        raise DataError("total=True adds a Total row per end month to a table split by= an attribute; pass by= too")
    if method not in ("cohort", "survivors"):
        raise DataError(f"nrrkit.sql computes method 'cohort' or 'survivors', not {method!r}; "
                        f"the other methods run in pandas: nrrkit.retention(..., method={method!r})")
    _check_by(src, by)
    p = paying(src, by)
    base = p.filter(p.m + w <= src.last)
    later = p.filter(p.m - w >= src.first)
    later = later.select(c_t="customer_id", m_t="m", v_t="mrr")
    j = base.left_join(later, [base.customer_id == later.c_t, later.m_t == base.m + w])
    g = j.select(b=j.m, mrr_b=j.mrr, mrr_t=j.v_t.fill_null(0.0), **({"seg": j.seg} if by is not None else {}))
    if method == "survivors":
        g = g.filter(g.mrr_t > 0)
    kept = g.mrr_t > 0
    zero = ibis.literal(0.0)
    amounts = {
        "customers_start": g.count(),
        "customers_retained": _count(kept),
        "start_mrr": g.mrr_b.sum(),
        "end_mrr": g.mrr_t.sum(),
        "expansion": ibis.ifelse(kept & (g.mrr_t > g.mrr_b), g.mrr_t - g.mrr_b, zero).sum(),
        "contraction": ibis.ifelse(kept & (g.mrr_t < g.mrr_b), g.mrr_b - g.mrr_t, zero).sum(),
        "churn": ibis.ifelse(~kept, g.mrr_b, zero).sum(),
    }
    keys = ["b", "seg"] if by is not None else ["b"]
    out = g.group_by(keys).aggregate(**amounts)
    if by is None:
        ends = spine(src.first, src.last - w, "b")
        out = ends.left_join(out, "b").select("b", **{k: out[k].fill_null(0) for k in amounts})
    if step > 1:  # quarter (year) ends, and the data's last month when it ends none (complete says which)
        out = out.filter((_mod(out.b + w + 1, step) == 0) | (out.b + w == src.last))
    start = out.start_mrr
    ok = start > 0
    cols = {"month": month_label(out.b + w)}
    if by is not None:
        cols[by] = out.seg
    cols["base_month"] = month_label(out.b)
    cols.update({k: out[k] for k in amounts})
    cols["nrr"] = ibis.ifelse(ok, out.end_mrr / ibis.ifelse(ok, start, 1.0), ibis.null("float64"))
    cols["grr"] = ibis.ifelse(ok, (start - out.contraction - out.churn) / ibis.ifelse(ok, start, 1.0),
                              ibis.null("float64"))
    n = out.customers_start
    cols["logo_retention"] = ibis.ifelse(n > 0, out.customers_retained.cast("float64") / ibis.ifelse(n > 0, n, 1),
                                         ibis.null("float64"))
    if step > 1:
        cols["complete"] = _mod(out.b + w + 1, step) == 0
    result = out.select(**cols)
    if total:
        from ..retention import TOTAL

        attr = src.expr[by]
        if int(src.expr.filter(attr.cast("string") == TOTAL).count().execute()):
            raise DataError(f"'{by}' has a segment called {TOTAL!r}; rename it before asking for total=True")
        whole = retention(src, window=w, method=method, at=at)
        whole = whole.mutate(**{by: ibis.literal(TOTAL).cast(result[by].type())}).select(*result.columns)
        result = result.union(whole)
        order = ["month", (result[by] == TOTAL).cast("int8"), by]
    else:
        order = ["month", *([by] if by else [])]
    return remember(result.order_by(order), "retention", src, window=w, method=method, by=by, at=str(at).upper(),
                    total=bool(total))


def cohort_table(data, *, metric: str = "revenue", period: str = "M", baseline: str = "month0"):
    """Retention by cohort and age, as :func:`nrrkit.cohort_table` (section 4), in long form.

    One row per cohort and age the data reaches: ``cohort`` ('2024-01', '2024-Q1', '2024'),
    ``age``, ``cohort_size``, ``cohort_start_mrr`` (what each customer paid in its own first
    month, summed), ``mrr`` and ``customers`` (the cohort's MRR and paying customers at the
    end of the period ``age`` periods after its first), and ``value``: the chosen metric
    (revenue retention, logo retention or MRR).  Ages past the last complete period have no
    row; a cohort whose first period is not complete has one row with no age (NULL); :func:`nrrkit.sql.to_pandas` turns it into the pandas function's wide table.
    """
    if metric not in ("revenue", "logos", "mrr"):
        raise DataError(f"metric must be one of revenue, logos, mrr, not {metric!r}")
    if baseline not in ("month0", "month1"):
        raise DataError(f"baseline must be 'month0' or 'month1', not {baseline!r}")
    src = as_source(data)
    f_ = _freq(period, "period")
    size = _SIZE[f_]
    p = paying(src)
    firsts = p.group_by("customer_id").aggregate(first_m=p.m.min())
    pj = p.join(firsts, "customer_id")
    cohort_of = pj.first_m // size if size > 1 else pj.first_m
    pj = pj.mutate(c=_int(cohort_of))
    sizes = pj.group_by("c").aggregate(
        cohort_size=pj.customer_id.nunique(),
        cohort_start_mrr=ibis.ifelse(pj.m == pj.first_m, pj.mrr, 0.0).sum(),
    )
    # a period's snapshot is its last month; a period counts once the data reaches that month
    snap = pj.filter(_mod(pj.m, size) == size - 1) if size > 1 else pj
    age = (snap.m // size if size > 1 else snap.m) - snap.c
    cells = snap.group_by(["c", _int(age).name("age")]).aggregate(mrr=snap.mrr.sum(), customers=snap.count())
    last_full = (src.last + 1) // size - 1  # the last period whose last month is in the span
    first_p = src.first // size
    ages = spine(0, max(last_full - first_p, 0), "age")
    grid = sizes.cross_join(ages).filter(lambda t: t.c + t.age <= last_full)
    out = grid.left_join(cells, ["c", "age"]).select(
        "c", "age", "cohort_size", "cohort_start_mrr",
        mrr=cells.mrr.fill_null(0.0), customers=cells.customers.fill_null(0),
    )
    # a cohort whose first period the data has not finished yet: one row, no age, so it is listed
    young = sizes.filter(sizes.c > last_full).select(
        "c", age=ibis.null("int64"), cohort_size=sizes.cohort_size, cohort_start_mrr=sizes.cohort_start_mrr,
        mrr=ibis.null("float64"), customers=ibis.null("int64"),
    )
    out = out.union(young)
    num = {"revenue": out.mrr, "logos": out.customers.cast("float64"), "mrr": out.mrr}[metric]
    if metric == "mrr":
        value = num
    else:
        den = out.cohort_start_mrr if metric == "revenue" else out.cohort_size.cast("float64")
        if baseline == "month1":
            den = ibis.ifelse(out.age == 1, num, ibis.null("float64")).max().over(ibis.window(group_by=out.c))
        value = ibis.ifelse(den != 0, num / den, ibis.null("float64"))
    return out.select(cohort=period_label(out.c, f_), age=out.age, cohort_size=out.cohort_size,
                      cohort_start_mrr=out.cohort_start_mrr, mrr=out.mrr, customers=out.customers,
                      value=value).order_by(["cohort", "age"])
