"""Known billing exports: each vendor's export as one profile (docs/guide/billing-exports.md).

A :class:`Profile` holds, in one place, the column names a vendor documents for its export,
which role each plays (customer, start, trial end, unit price, quantity, interval, status,
coupon, ...), and the rules that differ between vendors (whether the amount is a unit price,
what a status means).  :func:`detect` recognises a profile from the header alone; a caller
can also name one (``read_mrr(path, export="stripe_subscriptions")``).  Column names are
matched ignoring case, spaces, underscores and a vendor's table prefix (``subscriptions.``).

The statuses are one documented list, :data:`STATUS_RULES`, used identically by Python and
the command line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import DataError

__all__ = ["Profile", "PROFILES", "STATUS_RULES", "REVENUE", "NOT_YET", "NEVER", "ENDED", "detect", "profile", "column_for",
           "GENERIC_ROLES"]

#: what a status says about a line's months (docs/definitions.md section 1)
REVENUE = "revenue"  # pays from its paid start (trial end, else start) until its end
NOT_YET = "not revenue yet"  # still trialing, or starts later: no month is paid yet
NEVER = "never revenue"  # never paid: a payment never completed, a trial that ended unpaid

#: One documented list, used by every reader, in Python and on the command line.  A status
#: not listed is revenue (its dates say which months) and is named in the load report.
STATUS_RULES: dict[str, str] = {
    "active": REVENUE,
    "past_due": REVENUE,  # an invoice is late, the subscription still runs: revenue
    "unpaid": REVENUE,  # Stripe: retries are over, the subscription is still in place
    "canceled": REVENUE,  # paid until its end date
    "cancelled": REVENUE,
    "non_renewing": REVENUE,  # Chargebee: paid until its scheduled cancellation
    "expired": REVENUE,  # Recurly: paid until it expired
    "transferred": REVENUE,
    # invoice lines (an invoice's status, on each of its lines)
    "paid": REVENUE,
    "open": REVENUE,  # issued, not paid yet: as past_due
    "uncollectible": REVENUE,  # Stripe: written off after the service was given: as unpaid
    "void": NEVER,  # Stripe: the invoice was cancelled, nothing was ever owed
    "voided": NEVER,
    "draft": NOT_YET,  # not issued yet
    "trialing": NOT_YET,
    "in_trial": NOT_YET,
    "future": NOT_YET,
    "incomplete": NEVER,
    "incomplete_expired": NEVER,
    "failed": NEVER,  # Recurly: never created (card validation failed)
    # Stripe: a trial ended without a payment method; with a pause date on the line (Chargebee,
    # Recurly) the line paid until that date instead
    "paused": NEVER,
}


#: Statuses that say a line has stopped: its end (or cancel-effective) date says when
ENDED = ("canceled", "cancelled", "expired", "ended", "terminated")


@dataclass(frozen=True)
class Profile:
    """One vendor's export: its documented columns by role, and its rules."""

    name: str
    vendor: str
    title: str  # the vendor's documentation page, cited in the guide
    shape: str  # "subscriptions" or "invoices"
    columns: dict[str, tuple[str, ...]]  # role -> the names the vendor uses (first = documented)
    detect_by: tuple[str, ...]  # roles whose columns must all be present to recognise the export
    amount_is: str = "total"  # "unit": a unit price, times the quantity
    paused_until: str = ""  # the role holding the date a paused line stopped paying
    prefix: str = ""  # a table prefix on every column name (Chargebee: "subscriptions.")
    notes: tuple[str, ...] = field(default_factory=tuple)
    known_unused: dict[str, str] = field(default_factory=dict)  # documented columns not read, and why


def _n(s: str) -> str:
    return re.sub(r"[\s_\-.()]+", "", str(s).strip().lower())


#: Column names the generic subscription reader looks for when no profile matched.
GENERIC_ROLES: dict[str, tuple[str, ...]] = {
    "trial_end": ("trial_end", "trial end", "trial_ends_at", "trial end date"),
    "coupon": ("coupon", "coupon_id", "coupon code"),
    "percent_off": ("percent_off", "discount_percent", "discount %"),
    "amount_off": ("amount_off", "discount_amount"),
    "discount_duration": ("discount_duration", "coupon_duration"),
    "discount_months": ("discount_months", "duration_in_months"),
    "pause_date": ("pause_date", "paused_at"),
    "cancel_effective": (),
}

PROFILES: dict[str, Profile] = {p.name: p for p in (
    Profile(
        name="stripe_subscriptions", vendor="Stripe", shape="subscriptions", amount_is="unit",
        title='Stripe, "Subscriptions" export of the Dashboard and "The Subscription object" (Stripe API reference)',
        columns={
            # Start Date is the subscription's start; Start, where an export has both, is the start of its current
            # plan configuration (Stripe's API changelog, 2019-10-17): a subscription changed since it began would
            # read as new on the day of the change
            "customer_id": ("Customer ID",), "start": ("Start Date (UTC)", "Start (UTC)"),
            "end": ("Ended At (UTC)",), "cancel_effective": ("Canceled At (UTC)",),
            "amount": ("Amount",), "interval": ("Interval",), "interval_count": ("Interval Count",),
            "quantity": ("Quantity",), "status": ("Status",), "currency": ("Currency",),
            "trial_end": ("Trial End (UTC)",), "coupon": ("Coupon",), "plan": ("Plan",),
            "current_period_end": ("Current Period End (UTC)",),
            "current_period_start": ("Current Period Start (UTC)",),
        },
        detect_by=("customer_id", "start", "end", "amount", "interval", "status"),
        notes=("Amount is the plan's unit price: MRR = Amount x Quantity / interval (months x Interval Count)",
               "Canceled At ends a canceled line only when Ended At is empty; Current Period End is never an end"),
        known_unused={"Current Period End (UTC)": "a current-period end never ends an active subscription",
                      "Start (UTC)": "the start of the current plan configuration; Start Date is the subscription's "
                                     "start",
                      "Trial Start (UTC)": "revenue starts at the trial end",
                      "Cancel At Period End": "the end is Ended At (or Canceled At once canceled)",
                      "Cancel At (UTC)": "a scheduled cancellation: the line pays until it happens, and then Ended "
                                         "At holds it",
                      "Created (UTC)": "the start says when it pays", "Tax Percent": "MRR is before tax",
                      "Application Fee Percent": "a platform fee, not the customer's price"},
    ),
    Profile(
        name="stripe_invoice_lines", vendor="Stripe", shape="invoices",
        title='Stripe, "Invoice line items" export of the Dashboard and "The Invoice Line Item object" '
              '(Stripe API reference)',
        columns={
            "customer_id": ("Customer ID",), "start": ("Period Start (UTC)",),
            "end": ("Period End (UTC)",), "amount": ("Amount",), "currency": ("Currency",),
            "invoice": ("Invoice ID",), "plan": ("Plan", "Price ID"), "status": ("Invoice Status", "Status"),
        },
        detect_by=("customer_id", "start", "end", "amount", "invoice"),
        notes=("each line's Amount pays for its service period, Period Start to Period End",
               "a line of a void invoice is never revenue, of a draft not yet"),
        known_unused={"Invoice ID": "lines of one invoice are read one by one",
                      "Quantity": "Amount is already the line's total",
                      "Proration": "a proration is a line like any other; a credit is negative"},
    ),
    Profile(
        name="chargebee_subscriptions", vendor="Chargebee", shape="subscriptions", amount_is="unit",
        prefix="subscriptions.", paused_until="pause_date",
        title='Chargebee, "Subscriptions" (Chargebee API reference) and "Export data" (Chargebee Billing docs)',
        columns={
            "customer_id": ("customer_id",), "start": ("started_at", "start_date"), "end": ("cancelled_at",),
            "amount": ("plan_unit_price",), "quantity": ("plan_quantity",), "interval": ("billing_period_unit",),
            "interval_count": ("billing_period",), "status": ("status",), "currency": ("currency_code",),
            "trial_end": ("trial_end",), "pause_date": ("pause_date",), "plan": ("plan_id",),
            "current_period_end": ("current_term_end",), "current_period_start": ("current_term_start",),
        },
        detect_by=("customer_id", "start", "amount", "quantity", "interval", "status"),
        known_unused={"current_term_end": "a current-term end never ends an active subscription",
                      "mrr": "nrrkit computes MRR from the price, quantity and billing period",
                      "activated_at": "revenue starts at started_at, or at trial_end after a trial",
                      "trial_start": "revenue starts at the trial end"},
        notes=("plan_unit_price x plan_quantity every billing_period billing_period_units",
               "cancelled_at ends the line (a future cancelled_at is a scheduled end); paused lines paid until "
               "pause_date"),
    ),
    Profile(
        name="recurly_subscriptions", vendor="Recurly", shape="subscriptions", amount_is="unit",
        paused_until="pause_date",
        title='Recurly, "Subscriptions - export" (Recurly product docs)',
        columns={
            "customer_id": ("account_code",), "start": ("activated_at",), "end": ("expires_at",),
            "amount": ("unit_amount",), "quantity": ("quantity",),
            "interval": ("plan_interval_unit", "interval_unit"),
            "interval_count": ("plan_interval_length", "interval_length"), "status": ("state",),
            "currency": ("currency",), "trial_end": ("trial_ends_at",), "pause_date": ("paused_at",),
            "plan": ("plan_code",), "current_period_end": ("current_period_ends_at",),
            "current_period_start": ("current_period_started_at",),
            "cancel_effective": (),
        },
        detect_by=("customer_id", "start", "end", "amount", "status", "interval"),
        known_unused={"current_period_ends_at": "a current-period end never ends an active subscription",
                      "canceled_at": "the end is expires_at (a canceled subscription runs to its term's end)",
                      "trial_started_at": "revenue starts at the trial end"},
        notes=("unit_amount x quantity every plan_interval_length plan_interval_units",
               "expires_at ends the line (an expired or canceled subscription paid until then)"),
    ),
)}


def _header_map(columns, prefix: str = "") -> dict[str, str]:
    out = {}
    for c in map(str, columns):
        key = c[len(prefix):] if prefix and c.lower().startswith(prefix) else c
        out.setdefault(_n(key), c)
    return out


def column_for(columns, names: tuple[str, ...], prefix: str = "") -> str | None:
    """The header's column for one of ``names`` (case, spaces, underscores and the prefix ignored)."""
    header = _header_map(columns, prefix)
    for name in names:
        hit = header.get(_n(name))
        if hit is not None:
            return hit
    return None


def mapping(p: Profile, columns) -> dict[str, str]:
    """Role -> the file's column, for every role of ``p`` the header has."""
    found = {}
    for role, names in p.columns.items():
        col = column_for(columns, names, p.prefix)
        if col is not None:
            found[role] = col
    return found


def detect(columns) -> Profile | None:
    """The known export whose identifying columns are all in the header (None when none is)."""
    for p in PROFILES.values():
        m = mapping(p, columns)
        if all(r in m for r in p.detect_by):
            return p
    return None


def profile(name: str | Profile | None, columns) -> Profile | None:
    """The profile named (checked against the header), or the one the header shows."""
    if isinstance(name, Profile):
        return name
    if name is None:
        return detect(columns)
    if name in ("none", "generic", ""):
        return None
    if name not in PROFILES:
        raise DataError(f"export={name!r} is not a known export; use one of {', '.join(PROFILES)} (or leave it out to "
                        f"detect it from the header)")
    p = PROFILES[name]
    m = mapping(p, columns)
    missing = [p.columns[r][0] for r in p.detect_by if r not in m]
    if missing:
        raise DataError(f"export={name!r}: the file has no column {', '.join(repr(x) for x in missing)} that "
                        f"{p.vendor}'s export has; check the file, or read it with column keywords instead")
    return p


def known_unused(p: Profile | None, columns) -> dict[str, str]:
    """The file's columns that ``p`` documents but deliberately does not read, with the reason."""
    if p is None:
        return {}
    out = {}
    for name, why in p.known_unused.items():
        c = column_for(columns, (name,), p.prefix)
        if c is not None:
            out[c] = why
    return out
