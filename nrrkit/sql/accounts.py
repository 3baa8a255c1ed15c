"""Account-level views in the database: the base cohort's customers and the biggest movers."""

from __future__ import annotations

import ibis

from ..errors import DataError
from .measures import month_label, paying
from .source import KEY_OFFSET, MrrTable, as_source

__all__ = ["accounts", "top_movers"]


def _end_month(src: MrrTable, window: int, month) -> int:
    from ..parsing import to_period

    if isinstance(window, bool) or not isinstance(window, int) or window < 1:
        raise DataError(f"window must be a whole number of months >= 1, not {window!r}")
    if src.months <= window:
        raise DataError(f"the data covers {src.months} month(s); a {window}-month window needs {window + 1}")
    t = src.last if month is None else int(to_period(month, "month").ordinal) + KEY_OFFSET
    if not src.first + window <= t <= src.last:
        first, last = src.period(src.first + window), src.period(src.last)
        raise DataError(f"no {window}-month window ends in {src.period(t)}; end months run from {first} to {last}")
    return t


def accounts(data, *, window: int = 12, month=None):
    """Every customer of the base cohort with its start and end MRR, as :func:`nrrkit.accounts`.

    Columns ``customer_id, base_month, month, start_mrr, end_mrr, change, movement, returned``
    and the attributes as they were in the base month (of several rows in that month, the
    smallest value), largest change first.
    """
    src = as_source(data)
    t = _end_month(src, window, month)
    b = t - window
    p = paying(src)
    base = p.filter(p.m == b)
    end = p.filter(p.m == t).select(c_t="customer_id", v_t="mrr")
    mid = p.filter((p.m > b) & (p.m < t))
    inside = mid.group_by("customer_id").aggregate(paid=mid.count()).rename(c_i="customer_id")
    j = base.left_join(end, base.customer_id == end.c_t).left_join(inside, base.customer_id == inside.c_i)
    start, fin = j.mrr, j.v_t.fill_null(0.0)
    movement = ibis.cases((fin == 0, "churn"), (fin > start, "expansion"), (fin < start, "contraction"), else_="flat")
    out = j.select(
        customer_id=j.customer_id, base_month=month_label(ibis.literal(b)), month=month_label(ibis.literal(t)),
        start_mrr=start, end_mrr=fin, change=fin - start, movement=movement,
        returned=(j.paid.fill_null(0) < t - b - 1) & (fin > 0),
    )
    if src.attributes:
        e = src.expr
        at_base = e.filter(e.month_key == b).group_by("customer_id").aggregate(
            **{a: e[a].min() for a in src.attributes}).rename(c_a="customer_id")
        out = out.left_join(at_base, out.customer_id == at_base.c_a).drop("c_a")
    return out.order_by([ibis.desc("change"), "customer_id"])


def top_movers(data, n: int = 10, *, window: int = 12, month=None):
    """The ``n`` biggest gains and losses of the window, as :func:`nrrkit.top_movers`.

    The columns of :func:`accounts` plus ``rank``, ``direction`` (gain or loss) and
    ``share_of_change`` (each account's change over all changes of its direction).
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise DataError("n must be at least 1")
    acc = accounts(data, window=window, month=month)
    gains = acc.filter(acc.change > 0)
    losses = acc.filter(acc.change < 0)
    up = gains.mutate(direction=ibis.literal("gain"), total=gains.change.sum().over(),
                      rank=ibis.row_number().over(order_by=[ibis.desc(gains.change), gains.customer_id]) + 1)
    down = losses.mutate(direction=ibis.literal("loss"), total=losses.change.sum().over(),
                         rank=ibis.row_number().over(order_by=[losses.change, losses.customer_id]) + 1)
    both = up.filter(up["rank"] <= n).union(down.filter(down["rank"] <= n))
    cols = ["rank", *[c for c in acc.columns], "direction"]
    out = both.select(*cols, share_of_change=both.change / both.total)
    return out.order_by([ibis.desc(out.direction == "gain"), "rank"])
