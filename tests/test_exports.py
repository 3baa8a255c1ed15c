"""Known billing exports, recognised by their headers and read with no column keyword.

Each file under tests/data/exports/ is built from the columns its vendor documents (see
docs/guide/billing-exports.md); every expected MRR below is worked out by hand.
Rates: USD 1, EUR 1.1, GBP 1.27.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import nrrkit as nk
from nrrkit.io.exports import PROFILES, STATUS_RULES, detect

DATA = Path(__file__).parent / "data" / "exports"
RATES = {"USD": 1, "EUR": 1.1, "GBP": 1.27}
DAYS = 365 / 12  # an average month


def _table(name: str, **kw) -> tuple[dict, nk.LoadReport]:
    t = nk.read_mrr(DATA / f"{name}.csv", rates=RATES, **kw)
    got = {(str(c), str(pd.Period(m, "M"))): float(v) for c, m, v in zip(t["customer_id"], t["month"], t["mrr"])}
    return got, nk.load_report(t)


def test_stripe_invoice_line_items():
    got, rep = _table("stripe_invoice_lines", as_of="2025-12")
    assert rep.export == "stripe_invoice_lines" and rep.shape == "invoices"
    # cus_A: 147.00 a month; January has 31 days: 147 / (31 / (365/12)) = 144.23; February 28 days: 159.69
    assert got[("cus_A", "2025-01")] == pytest.approx(147 / (31 / DAYS))
    assert got[("cus_A", "2025-02")] == pytest.approx(147 / (28 / DAYS))
    # cus_B: 3650 EUR for 365 days = 304.17 EUR a month = 334.58 USD, every month of 2025
    assert all(got[("cus_B", f"2025-{m:02d}")] == pytest.approx(3650 / 12 * 1.1) for m in range(1, 13))
    # cus_C: 273.75 GBP for 91 days (1 Jan to 2 Apr) = 91.50 GBP a month; a proration credit of -50 GBP for
    # 18 days (15 Mar to 2 Apr) = -84.49 GBP a month nets against March: (91.50 - 84.49) x 1.27 = 8.90 USD
    q = 273.75 / (91 / DAYS)
    assert got[("cus_C", "2025-01")] == pytest.approx(q * 1.27)
    assert got[("cus_C", "2025-03")] == pytest.approx((q - 50 / (18 / DAYS)) * 1.27)
    assert ("cus_A", "2025-04") not in got and ("cus_C", "2025-04") not in got
    assert "Quantity (Amount is already the line's total)" in ", ".join(rep.unused)


def test_chargebee_subscriptions():
    got, rep = _table("chargebee_subscriptions")
    assert rep.export == "chargebee_subscriptions" and (rep.first_month, rep.last_month) == ("2025-01", "2025-04")
    want = {}
    for m in ("2025-01", "2025-02", "2025-03", "2025-04"):
        want[("cust_1", m)] = 4 * 25.0  # 4 x 25.00 monthly
        want[("cust_2", m)] = 10 * 120 / 12  # 10 x 120.00 a year = 100; non_renewing runs to its cancelled_at
    for m in ("2025-01", "2025-02"):
        want[("cust_4", m)] = 25.0  # trial to 15 Jan, cancelled 20 Mar: January and February month ends
        want[("cust_5", m)] = 2 * 25.0  # paused on 10 Mar: paid through February
    for m in ("2025-02", "2025-03", "2025-04"):
        want[("cust_6", m)] = 3 * 90 / 3 * 1.1  # 3 x 90.00 EUR every 3 months = 90 EUR a month = 99 USD
    # cust_3 is in_trial: not revenue yet.  The span ends at the latest current_term_start (2025-04), not
    # at cust_2's scheduled cancellation in 2026
    assert got == pytest.approx(want)


def test_recurly_subscriptions():
    got, rep = _table("recurly_subscriptions")
    assert rep.export == "recurly_subscriptions" and rep.last_month == "2025-04"
    want = {}
    for m in ("2025-01", "2025-02", "2025-03", "2025-04"):
        want[("acct_1", m)] = 5 * 10.0  # 5 x 10.00 monthly
        want[("acct_2", m)] = 1200 / 12  # 1200.00 every 12 months; canceled: runs to expires_at (2026-01-15)
    for m in ("2025-01", "2025-02"):
        want[("acct_3", m)] = 2 * 10.0  # expired 1 March: January and February
    for m in ("2025-02", "2025-03", "2025-04"):
        want[("acct_4", m)] = 10 * 1.1  # EUR 10, trial to 10 February: from February, 11 USD
    # acct_5 failed (never paid), acct_6 future (not yet)
    assert got == pytest.approx(want)
    assert any("acct_5" in x["what"] and "failed" in x["what"] for x in rep.left_out)


def test_profiles_are_detected_from_the_header_or_named():
    for name in ("stripe_subscriptions", "stripe_invoice_lines", "chargebee_subscriptions", "recurly_subscriptions"):
        header = pd.read_csv(DATA / f"{name}.csv", nrows=0).columns
        assert detect(header).name == name
    with pytest.raises(nk.DataError, match="export='paddle' is not a known export; use one of stripe_subscriptions"):
        nk.read_mrr(DATA / "recurly_subscriptions.csv", export="paddle")
    with pytest.raises(nk.DataError, match="export='stripe_subscriptions': the file has no column 'Customer ID'"):
        nk.read_mrr(DATA / "recurly_subscriptions.csv", export="stripe_subscriptions")
    assert set(PROFILES) >= {"stripe_subscriptions", "stripe_invoice_lines"}
    assert STATUS_RULES["past_due"] == "revenue" and STATUS_RULES["paused"] == "never revenue"
