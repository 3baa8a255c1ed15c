"""Sample companies shipped with nrrkit, and the generator that made them.

- :func:`load_sample`: a synthetic B2B SaaS company, 2,000 customers over 36
  months (2023-01 to 2025-12), with segments, plans, pricing models and channels.
- :func:`load_sample_subscriptions`: the same company as subscription lines.
- :func:`load_sample_invoices`: the same company as invoice lines (service periods, credit
  notes, USD and EUR, renewals paid a few days late, setup fees).
- :func:`load_tiny`: six customers over four months, every movement spelled out.
- :func:`generate`: the documented generator, deterministic per seed.
"""

from __future__ import annotations

import io
from importlib import resources

import numpy as np
import pandas as pd

from ..errors import DataError
from ..io import read_mrr
from ..months import month_starts, ordinals
from ..parsing import to_period

__all__ = ["generate", "load_sample", "load_sample_subscriptions", "load_sample_invoices", "load_tiny",
           "to_subscriptions", "to_invoices", "SAMPLE_RATES",
           "SEGMENT_PROFILES", "SAMPLE_AS_OF"]

#: The last month of the bundled sample company.
SAMPLE_AS_OF = "2025-12"

#: Monthly behaviour per segment.  ``median_mrr``: starting MRR (log-normal, sigma 0.6);
#: ``churn``: chance a paying customer stops in a month; ``contraction`` / ``expansion``:
#: chance of a downgrade / upgrade in a month, with the size drawn uniformly from the range;
#: ``reactivation``: chance a churned customer returns in a month (at 60-110% of its old MRR).
#: Tuned so that the 12-month cohort NRR of the sample lands near the segment table of
#: [Mitchell 2026] (SMB ~102%, Mid-Market ~115%, Enterprise ~125%).
SEGMENT_PROFILES: dict[str, dict] = {
    "SMB": dict(share=0.62, median_mrr=180.0, churn=0.021, contraction=0.018, contraction_size=(0.15, 0.4),
                expansion=0.082, expansion_size=(0.1, 0.45), reactivation=0.03, usage_share=0.25),
    "Mid-Market": dict(share=0.28, median_mrr=1_600.0, churn=0.008, contraction=0.012, contraction_size=(0.1, 0.3),
                       expansion=0.09, expansion_size=(0.1, 0.35), reactivation=0.02, usage_share=0.35),
    "Enterprise": dict(share=0.10, median_mrr=9_000.0, churn=0.003, contraction=0.008, contraction_size=(0.05, 0.25),
                       expansion=0.09, expansion_size=(0.12, 0.36), reactivation=0.01, usage_share=0.45),
}
_CHANNELS = {
    "SMB": (["self-serve", "inbound", "partner", "outbound"], [0.5, 0.3, 0.12, 0.08]),
    "Mid-Market": (["self-serve", "inbound", "partner", "outbound"], [0.1, 0.45, 0.2, 0.25]),
    "Enterprise": (["self-serve", "inbound", "partner", "outbound"], [0.0, 0.25, 0.2, 0.55]),
}
_PLANS = (("Starter", 0.0), ("Pro", 500.0), ("Business", 3_000.0), ("Enterprise", 10_000.0))


def generate(
    customers: int = 2_000,
    months: int = 36,
    *,
    seed: int = 0,
    start: str = "2023-01",
    existing_share: float = 0.35,
    profiles: dict[str, dict] | None = None,
) -> pd.DataFrame:
    """Simulate a B2B SaaS company's MRR, month by month.

    Parameters
    ----------
    customers : int
        Customers who ever pay.  ``existing_share`` of them already pay in the first
        month; the others arrive over the following months at a rate growing 3% a month.
    months : int
        Calendar months from ``start``.
    seed : int
        The same seed gives the same company, row for row.
    profiles : dict, optional
        Per-segment behaviour; default :data:`SEGMENT_PROFILES`.

    Returns
    -------
    DataFrame
        The canonical MRR table (``customer_id, month, mrr``) with attributes
        ``segment`` (fixed), ``plan`` (follows MRR, so it changes on upgrades and
        downgrades), ``pricing`` (``seat`` or ``usage``; usage MRR also drifts a
        little every month) and ``channel`` (fixed).  Only paying months have rows.

    Examples
    --------
    >>> t = generate(50, 12, seed=1)
    >>> sorted(t.columns)
    ['channel', 'customer_id', 'month', 'mrr', 'plan', 'pricing', 'segment']
    >>> bool((generate(50, 12, seed=1) == t).all().all())
    True
    """
    if customers < 1 or months < 2:
        raise DataError("generate needs at least 1 customer and 2 months")
    profiles = profiles or SEGMENT_PROFILES
    rng = np.random.default_rng(seed)
    names = list(profiles)
    shares = np.array([profiles[s]["share"] for s in names], dtype=float)
    seg = rng.choice(len(names), size=customers, p=shares / shares.sum())
    p = {key: np.array([profiles[s][key] for s in names], dtype=float)[seg]
         for key in ("median_mrr", "churn", "contraction", "expansion", "reactivation", "usage_share")}
    lo_c = np.array([profiles[s]["contraction_size"][0] for s in names])[seg]
    hi_c = np.array([profiles[s]["contraction_size"][1] for s in names])[seg]
    lo_e = np.array([profiles[s]["expansion_size"][0] for s in names])[seg]
    hi_e = np.array([profiles[s]["expansion_size"][1] for s in names])[seg]
    usage = rng.random(customers) < p["usage_share"]
    channel = np.empty(customers, dtype=object)
    for i, s in enumerate(names):
        opts, probs = _CHANNELS.get(s, (["inbound"], [1.0]))
        idx = seg == i
        channel[idx] = rng.choice(opts, size=int(idx.sum()), p=probs)
    # arrival month: existing customers at 0, the rest on a 3%-a-month growing curve
    existing = rng.random(customers) < existing_share
    weights = 1.03 ** np.arange(1, months)
    arrival = np.where(existing, 0, 1 + rng.choice(months - 1, size=customers, p=weights / weights.sum()))
    base = np.round(p["median_mrr"] * np.exp(rng.normal(0.0, 0.6, customers)), 0)
    base = np.maximum(base, 10.0)
    mrr = np.zeros((customers, months))
    current = np.zeros(customers)
    last_paid = np.zeros(customers)
    for t in range(months):
        u = rng.random((5, customers))
        paying = current > 0
        arriving = arrival == t
        # churn, then changes for those who stay
        churning = paying & (u[0] < p["churn"])
        up = paying & ~churning & (u[1] < p["expansion"])
        down = paying & ~churning & ~up & (u[2] < p["contraction"])
        nxt = current.copy()
        nxt[up] *= 1 + rng.uniform(lo_e[up], hi_e[up])
        nxt[down] *= 1 - rng.uniform(lo_c[down], hi_c[down])
        drift = paying & ~churning & usage & ~up & ~down
        nxt[drift] *= np.exp(rng.normal(0.004, 0.03, int(drift.sum())))
        last_paid[churning] = current[churning]
        nxt[churning] = 0.0
        back = (~paying) & (last_paid > 0) & (u[3] < p["reactivation"])
        nxt[back] = last_paid[back] * rng.uniform(0.6, 1.1, int(back.sum()))
        nxt[arriving] = base[arriving]
        current = np.where(usage, np.round(nxt, 2), np.round(nxt, 0))
        current = np.where(current > 0, np.maximum(current, 1.0), 0.0)
        mrr[:, t] = current
    width = max(5, len(str(customers)))
    rows, cols = np.nonzero(mrr > 0)
    ids = np.array([f"C{i + 1:0{width}d}" for i in range(customers)], dtype=object)
    first = to_period(start, "start").ordinal
    values = mrr[rows, cols]
    plan_edges = np.array([e for _, e in _PLANS])
    plan_names = np.array([n for n, _ in _PLANS], dtype=object)
    data = {
        "customer_id": pd.array(ids[rows], dtype="str"),
        "month": month_starts(first + cols),
        "mrr": values,
        "segment": pd.Categorical.from_codes(seg[rows], categories=names).astype(str),
        "plan": plan_names[np.searchsorted(plan_edges, values, side="right") - 1],
        "pricing": np.where(usage[rows], "usage", "seat"),
        "channel": channel[rows],
    }
    table = pd.DataFrame(data)
    for c in ("plan", "pricing", "channel"):
        table[c] = table[c].astype("str")
    return table


def to_subscriptions(table: pd.DataFrame, *, seed: int = 0) -> pd.DataFrame:
    """Write an MRR table as subscription lines that :func:`nrrkit.from_subscriptions` turns back into it.

    Each run of months at one MRR becomes a line (``start`` = first day of its first
    month, ``end`` = first day of the month after its last month, empty when it runs
    to the end of the data).  Seat customers are billed yearly (amount = 12 x MRR) or
    quarterly (3 x MRR) for some lines, so the normalisation is exercised.
    """
    t = table.sort_values(["customer_id", "month"], kind="stable").reset_index(drop=True)
    ords = ordinals(t["month"])
    cust = t["customer_id"].to_numpy()
    mrr = t["mrr"].to_numpy()
    new_run = np.ones(len(t), dtype=bool)
    new_run[1:] = (cust[1:] != cust[:-1]) | (ords[1:] != ords[:-1] + 1) | (mrr[1:] != mrr[:-1])
    first_idx = np.flatnonzero(new_run)
    last_idx = np.append(first_idx[1:] - 1, len(t) - 1)
    last_month = ords.max()
    rng = np.random.default_rng(seed)
    pricing = t["pricing"].to_numpy()[first_idx] if "pricing" in t else np.full(len(first_idx), "seat")
    draw = rng.random(len(first_idx))
    interval = np.where(pricing == "usage", "month", np.where(draw < 0.3, "year", np.where(draw < 0.45, "quarter", "month")))
    mult = np.select([interval == "year", interval == "quarter"], [12.0, 3.0], 1.0)
    end_ord = ords[last_idx] + 1
    lines = pd.DataFrame({
        "customer_id": cust[first_idx],
        "start": month_starts(ords[first_idx]).strftime("%Y-%m-%d"),
        "end": np.where(end_ord > last_month, "",
                        month_starts(end_ord).strftime("%Y-%m-%d")),
        "amount": np.round(mrr[first_idx] * mult, 2),
        "interval": interval,
    })
    for c in ("segment", "pricing", "channel"):
        if c in t:
            lines[c] = t[c].to_numpy()[first_idx]
    return lines


#: Rate of the sample's second currency (value of one EUR in USD), fixed.
SAMPLE_RATES = {"USD": 1.0, "EUR": 1.1}


def to_invoices(table: pd.DataFrame, *, seed: int = 0, eur_share: float = 0.2, credit_share: float = 0.02,
                late_share: float = 0.1, late_days: tuple[int, int] = (2, 20)) -> pd.DataFrame:
    """Write an MRR table as invoice lines with service periods that :func:`nrrkit.from_invoices` turns back into it.

    Each run of months at one MRR is billed in service periods of 1, 3 or 12 months (the last
    one cut at the end of the run), each line's amount = MRR x days / (365/12), so that every
    month end inside the run comes back at the same MRR (within the rounding of cents).  Along the way:

    - about ``eur_share`` of the customers are billed in EUR (amount / 1.1; convert with
      :data:`SAMPLE_RATES`);
    - about ``credit_share`` of the lines are over-billed by 20% and credited back by a credit
      note for the same period (net: the same MRR);
    - about ``late_share`` of the renewals inside a run start ``late_days`` late (by default 2 to
      19 days: within the same month, so the month end is still paid and the MRR does not change;
      with up to 45 days some renewals miss a month end, which is what ``renewal_grace`` is for);
    - a one-time setup fee (a zero-length period) opens about a tenth of the customers' first lines.
    """
    t = table.sort_values(["customer_id", "month"], kind="stable").reset_index(drop=True)
    ords = ordinals(t["month"])
    cust = t["customer_id"].astype(str).to_numpy()
    mrr = t["mrr"].to_numpy()
    paid = mrr > 0
    new_run = np.ones(len(t), dtype=bool)
    new_run[1:] = (cust[1:] != cust[:-1]) | (ords[1:] != ords[:-1] + 1) | (mrr[1:] != mrr[:-1])
    rng = np.random.default_rng(seed)
    customers = pd.unique(cust)
    eur = set(customers[rng.random(len(customers)) < eur_share])
    last_month = int(ords.max())
    rows = []
    seen_first = set()
    first_idx = np.flatnonzero(new_run)
    last_idx = np.append(first_idx[1:] - 1, len(t) - 1)
    for a, b in zip(first_idx, last_idx):
        if not paid[a]:
            continue
        c, value = cust[a], float(mrr[a])
        m, end_run = int(ords[a]), int(ords[b]) + 1
        open_ended = end_run > last_month
        period = int(rng.choice([1, 3, 12], p=[0.5, 0.3, 0.2]))
        first_line = True
        while m < end_run:
            stop = min(m + period, end_run) if not open_ended else m + period
            start_day = pd.Period(ordinal=m, freq="M").start_time
            end_day = pd.Period(ordinal=stop, freq="M").start_time
            if not first_line and rng.random() < late_share:
                late = start_day + pd.Timedelta(days=int(rng.integers(*late_days)))
                start_day = late if late < end_day - pd.Timedelta(days=7) else start_day
            days = (end_day - start_day).days
            amount = value * days / (365 / 12)
            currency = "EUR" if c in eur else "USD"
            scale = 1 / SAMPLE_RATES["EUR"] if currency == "EUR" else 1.0
            credit = rng.random() < credit_share
            billed = amount * (1.2 if credit else 1.0)
            rows.append((c, start_day, end_day, round(billed * scale, 2), currency))
            if credit:
                rows.append((c, start_day, end_day, round(-amount * 0.2 * scale, 2), currency))
            if first_line and c not in seen_first and rng.random() < 0.1:
                rows.append((c, start_day, start_day, round(500 * scale, 2), currency))
            seen_first.add(c)
            first_line = False
            m = stop
    out = pd.DataFrame(rows, columns=["customer_id", "start", "end", "amount", "currency"])
    out["start"] = out["start"].dt.strftime("%Y-%m-%d")
    out["end"] = out["end"].dt.strftime("%Y-%m-%d")
    latest = t.drop_duplicates("customer_id", keep="last").assign(customer_id=lambda d: d.customer_id.astype(str))
    for c in ("segment", "channel"):  # attributes a CRM join would add; read them with keep=[...]
        if c in t:
            out[c] = out["customer_id"].map(latest.set_index("customer_id")[c]).to_numpy()
    return out


def _read_packaged(name: str) -> bytes:
    return resources.files(__package__).joinpath(name).read_bytes()


def load_sample() -> pd.DataFrame:
    """The bundled sample company: 2,000 customers, 36 months (2023-01 to 2025-12).

    Made by ``generate(2000, 36, seed=24, start="2023-01")`` (``data/make_sample.py``; seed 24 of
    the first 60 puts the segments' 12-month NRR closest to the reference table) and shipped as
    ``nrrkit/datasets/sample_mrr.csv.gz`` (also ``data/sample_mrr.csv``).  Columns:
    ``customer_id, month, mrr, segment, plan, pricing, channel``.  About 44,000 rows;
    segments SMB, Mid-Market and Enterprise.  A row looks like
    ``C00001, 2023-01, 112.0, SMB, Starter, seat, self-serve``.

    Examples
    --------
    >>> import datetime
    >>> t = load_sample()
    >>> t["customer_id"].nunique(), t["month"].min().date(), t["month"].max().date()
    (2000, datetime.date(2023, 1, 1), datetime.date(2025, 12, 1))
    """
    raw = pd.read_csv(io.BytesIO(_read_packaged("sample_mrr.csv.gz")), compression="gzip", dtype=str,
                      keep_default_na=False)
    table = read_mrr(raw, max_month=SAMPLE_AS_OF)
    table.attrs["load_report"].source = "nrrkit sample company (sample_mrr.csv.gz)"
    return table


def load_sample_subscriptions() -> pd.DataFrame:
    """The sample company as subscription lines (``customer_id, start, end, amount, interval`` + attributes).

    ``nrrkit.from_subscriptions(lines, as_of="2025-12", keep=["segment", "pricing", "channel"])``
    gives back the MRR of :func:`load_sample` for every customer and month.
    """
    return pd.read_csv(io.BytesIO(_read_packaged("sample_subscriptions.csv.gz")), compression="gzip", dtype=str,
                       keep_default_na=False)


def load_sample_invoices() -> pd.DataFrame:
    """The sample company as invoice lines (``customer_id, start, end, amount, currency, segment, channel``).

    ``nrrkit.from_invoices(lines, currency="currency", rates=SAMPLE_RATES, as_of="2025-12")`` gives
    back the MRR of :func:`load_sample` for every customer and month, within 2 cents (the
    amounts are billed in cents, and a short period divides the rounding by less than a
    month); the load report reconciles the setup fees and credit notes.
    """
    return pd.read_csv(io.BytesIO(_read_packaged("sample_invoices.csv.gz")), compression="gzip", dtype=str,
                       keep_default_na=False)


TINY_CSV = """customer_id,month,mrr,segment
A,2024-01,100,SMB
A,2024-02,100,SMB
A,2024-03,150,SMB
A,2024-04,150,SMB
B,2024-01,200,Enterprise
B,2024-02,150,Enterprise
B,2024-03,150,Enterprise
B,2024-04,0,Enterprise
C,2024-01,50,SMB
C,2024-04,80,SMB
D,2024-02,120,Enterprise
D,2024-03,120,Enterprise
D,2024-04,60,Enterprise
E,2024-03,300,Enterprise
E,2024-04,300,Enterprise
F,2024-01,80,SMB
F,2024-02,80,SMB
"""


def load_tiny() -> pd.DataFrame:
    """Six customers over four months (2024-01 to 2024-04); every movement is spelled out.

    ======== ======= ======= ======= ======= =====================================
    customer 2024-01 2024-02 2024-03 2024-04 movements
    ======== ======= ======= ======= ======= =====================================
    A (SMB)  100     100     150     150     new, flat, expansion +50, flat
    B (Ent)  200     150     150     0       new, contraction 50, flat, churn 150
    C (SMB)  50      -       -       80      new, churn 50, -, reactivation 80
    D (Ent)  -       120     120     60      new, flat, contraction 60
    E (Ent)  -       -       300     300     new, flat
    F (SMB)  80      80      -       -       new, flat, churn 80
    ======== ======= ======= ======= ======= =====================================

    B's April row is an explicit 0; the other gaps are missing rows (the same thing).
    """
    table = read_mrr(pd.read_csv(io.StringIO(TINY_CSV), dtype=str), max_month="2024-04")
    table.attrs["load_report"].source = "nrrkit tiny company"
    return table
