"""What a subscription line really pays, on a Stripe-like subscriptions export (the done criterion of issue 24).

tests/data/exports/stripe_subscriptions.csv has the columns of Stripe's Dashboard subscriptions export;
tests/data/exports/stripe_coupons.csv those of its coupons export.  Rates: USD 1, EUR 1.1, GBP 1.27.
Every customer-month below is computed by hand; a month end counts when the line pays on its last day.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nrrkit as nk
from nrrkit import cli

DATA = Path(__file__).parent / "data" / "exports"
SUBS = DATA / "stripe_subscriptions.csv"
COUPONS = DATA / "stripe_coupons.csv"
RATES = {"USD": 1, "EUR": 1.1, "GBP": 1.27}


def _months(first: str, last: str) -> list[str]:
    return [str(p) for p in pd.period_range(first, last, freq="M")]


def _expected() -> dict[tuple[str, str], float]:
    e: dict[tuple[str, str], float] = {}

    def put(cust, first, last, mrr):
        for m in _months(first, last):
            e[(cust, m)] = round(mrr, 2)

    put("cus_A", "2024-12", "2025-12", 49 * 2)  # 2 seats x 49.00 unit price = 98
    put("cus_B", "2024-12", "2025-12", 49 * 10 * 0.8)  # 10 seats = 490, FOREVER20 (20% forever) = 392
    # EUR 100, HALF3 (50% repeating 3 months) from 2024-12-15 to 2025-03-15: month ends Dec, Jan, Feb at 50 EUR
    put("cus_C", "2024-12", "2025-02", 100 * 0.5 * 1.1)  # 55 USD
    put("cus_C", "2025-03", "2025-12", 100 * 1.1)  # 110 USD
    put("cus_D", "2024-12", "2025-12", 300 / 3 * 1.27)  # GBP 300 every 3 months = 100 GBP a month = 127 USD
    # trial 2024-12-20 to 2025-01-03 covers the December month end: revenue from January, 3 x 49 = 147
    put("cus_E", "2025-01", "2025-12", 49 * 3)
    # cus_F: a trial 2025-02-10 to 2025-03-12 that ended (canceled) without converting: never revenue
    # cus_G: FREE (100% off forever): 0 every month (present in the table with MRR 0)
    put("cus_G", "2024-12", "2025-12", 0.0)
    put("cus_H", "2025-03", "2025-12", 49 * 2 - 10)  # 98 less TENOFF (10.00 off each monthly invoice) = 88
    # EUR 200 monthly from 2025-02-01, WELCOME (25% once = the first billing period, one month): Feb at 150 EUR
    put("cus_I", "2025-02", "2025-02", 200 * 0.75 * 1.1)  # 165 USD
    put("cus_I", "2025-03", "2025-12", 200 * 1.1)  # 220 USD
    # GBP 600 every 3 months = 200 GBP a month; WELCOME once = the first quarter, 2025-01-10 to 2025-04-10
    put("cus_J", "2025-01", "2025-03", 200 * 0.75 * 1.27)  # 150 GBP = 190.50 USD
    put("cus_J", "2025-04", "2025-12", 200 * 1.27)  # 254 USD
    put("cus_K", "2024-12", "2025-12", 49 * 4)  # past_due is revenue: 196
    # cus_L paused (a trial ended with no payment method), cus_M still trialing, cus_N incomplete: no revenue
    put("cus_O", "2024-12", "2025-05", 100 * 1.1)  # EUR 100 until it ended 2025-06-20 (June's month end is after)
    put("cus_P", "2024-12", "2025-12", 1200 / 12)  # 1200 a year = 100
    put("cus_Q", "2024-12", "2025-08", 49 * 5)  # canceled at period end: ended 2025-09-01, paid through August
    put("cus_R", "2024-12", "2025-05", 49 * 2)  # 2 seats until 2025-06-01 ...
    put("cus_R", "2025-06", "2025-12", 49 * 6)  # ... then 6 seats on a new line: 294
    # EUR 80 x 2 seats = 160 EUR; trial to 2025-02-01, then HALF3 from 2025-02-01 to 2025-05-01: Feb-Apr at 80 EUR
    put("cus_S", "2025-02", "2025-04", 160 * 0.5 * 1.1)  # 88 USD
    put("cus_S", "2025-05", "2025-12", 160 * 1.1)  # 176 USD
    # active, cancellation asked on 2025-11-20 for the period's end (Canceled At, Cancel At Period End true):
    # still paying when the export was taken
    put("cus_T", "2025-01", "2025-12", 49.0)
    return e


def _got(table: pd.DataFrame) -> dict[tuple[str, str], float]:
    return {(str(c), str(pd.Period(m, "M"))): round(float(v), 2)
            for c, m, v in zip(table["customer_id"], table["month"], table["mrr"])}


def test_every_customer_month_to_the_cent_from_the_export_alone():
    table = nk.read_mrr(SUBS, rates=RATES, coupons=COUPONS)
    got, want = _got(table), _expected()
    assert set(got) == set(want), (sorted(set(got) - set(want)), sorted(set(want) - set(got)))
    wrong = {k: (got[k], want[k]) for k in want if got[k] != pytest.approx(want[k], abs=0.005)}
    assert not wrong
    rep = nk.load_report(table)
    assert rep.export == "stripe_subscriptions" and rep.first_month == "2024-12" and rep.last_month == "2025-12"
    # the last month's MRR: 98 + 392 + 110 + 127 + 147 + 0 + 88 + 220 + 254 + 196 + 100 + 294 + 176 + 49 = 2251
    assert rep.last_mrr == pytest.approx(2251.0)
    assert "MRR in 2025-12 USD 2,251.00 (ARR USD 27,012.00)" in str(rep)
    # the customers a note counts are named
    assert "(cus_F, cus_L, cus_M, cus_N)" in str(rep)
    assert any("cus_L, cus_N" in x["what"] and "paused" in x["what"] for x in rep.left_out)
    # discounts are said on the definition card
    card = nk.retention(table).attrs["definition"]
    assert any("discounts applied" in n for n in card.notes) and any("trial end" in n for n in card.notes)


def test_twelve_month_nrr_by_hand_and_on_the_command_line(capsys):
    table = nk.read_mrr(SUBS, rates=RATES, coupons=COUPONS)
    last = nk.retention(table, window=12).iloc[-1]
    # base 2024-12: A 98 + B 392 + C 55 + D 127 + K 196 + O 110 + P 100 + Q 245 + R 98 = 1421 (9 customers)
    # the same customers in 2025-12: 98 + 392 + 110 + 127 + 196 + 0 + 100 + 0 + 294 = 1317 (7 of 9 still paying)
    assert (str(last["base_month"])[:7], str(last["month"])[:7]) == ("2024-12", "2025-12")
    assert last["start_mrr"] == pytest.approx(1421) and last["end_mrr"] == pytest.approx(1317)
    assert last["nrr"] == pytest.approx(1317 / 1421)
    assert (last["customers_start"], last["customers_retained"]) == (9, 7)
    # the command: rates of EUR and GBP only, so USD (no rate, none at 1) is the reporting currency
    code = cli.main(["metrics", str(SUBS), "--rate", "EUR=1.1", "--rate", "GBP=1.27",
                     "--coupons", str(COUPONS), "--format", "csv"])
    out, err = capsys.readouterr()
    assert code == 0, err
    row = pd.read_csv(io.StringIO(out)).iloc[-1]
    assert row["nrr"] == pytest.approx(1317 / 1421, abs=1e-9) and row["start_mrr"] == pytest.approx(1421)
    assert "recognised Stripe's export" in err and "USD is the reporting currency (rate 1)" in err


def test_without_the_coupons_export_every_coupon_is_a_warning_never_silently_zero():
    table = nk.read_mrr(SUBS, rates=RATES)
    rep = nk.load_report(table)
    (w,) = [w for w in rep.warnings if "coupon with no terms" in w]
    # B, C, G, H, I, J, S carry a coupon: 7 lines, read at full price until the coupons export is given
    assert w.startswith("7 line(s)") and "--coupons FILE" in w and "cus_B" in w
    assert _got(table)[("cus_G", "2025-01")] == 49.0
    assert str(rep).index("warning:") < str(rep).index("lines became")  # warnings come before the notes


def test_statuses_are_one_list_in_python_and_on_the_command_line(tmp_path, capsys):
    path = tmp_path / "subs.csv"
    pd.DataFrame({"customer_id": ["a", "b", "c", "d"], "status": ["active", "paused", "past_due", "trialing"],
                  "amount": [10, 20, 30, 40], "interval": ["month"] * 4, "start": ["2025-01-01"] * 4,
                  "end": [""] * 4}).to_csv(path, index=False)
    t = nk.read_mrr(path, as_of="2025-02")
    assert t.groupby("customer_id", observed=True)["mrr"].first().to_dict() == {"a": 10.0, "c": 30.0}
    code = cli.main(["metrics", str(path), "--as-of", "2025-02", "--window", "1", "--format", "csv"])
    out, err = capsys.readouterr()
    assert code == 0 and pd.read_csv(io.StringIO(out))["start_mrr"].iloc[-1] == 40  # a 10 + c 30: paused is not
    assert "past_due is revenue" in err


def test_a_paused_line_with_a_pause_date_paid_until_then():
    lines = pd.DataFrame({"customer_id": ["a", "b"], "status": ["paused", "paused"], "amount": [10, 20],
                          "interval": ["month"] * 2, "start": ["2025-01-01"] * 2, "end": [""] * 2,
                          "pause_date": ["2025-03-15", ""]})
    t = nk.from_subscriptions(lines, as_of="2025-04")
    # a paid January and February month ends and paused on 15 March (before March's end); b never paid
    assert _got(t) == {("a", "2025-01"): 10.0, ("a", "2025-02"): 10.0}


def test_a_current_period_end_never_ends_an_active_line():
    lines = pd.DataFrame({"customer_id": ["a", "b"], "status": ["active", "canceled"], "amount": [10, 20],
                          "interval": ["month"] * 2, "start": ["2025-01-01"] * 2,
                          "current_period_end": ["2025-03-01", "2025-02-01"]})
    t = nk.from_subscriptions(lines, end="current_period_end", as_of="2025-04")
    # a is active: its current-period end is ignored and it pays through April; b ended 2025-02-01
    assert _got(t) == {**{("a", m): 10.0 for m in _months("2025-01", "2025-04")}, ("b", "2025-01"): 20.0}
    assert any("current-period end: ignored on the 1 line(s) still running" in n for n in nk.load_report(t).notes)


def test_amounts_that_repeat_across_quantities_are_a_warning():
    lines = pd.DataFrame({"customer_id": ["a", "b", "c"], "quantity": [2, 5, 10], "amount": [49, 49, 49],
                          "interval": ["month"] * 3, "start": ["2025-01-01"] * 3, "end": [""] * 3})
    t = nk.from_subscriptions(lines, as_of="2025-01")
    (w,) = nk.load_report(t).warnings
    assert "49.00 appears with quantities 2 to 10" in w and "amount_is='unit'" in w
    assert t["mrr"].sum() == 147  # read as line totals, as the warning says
    assert nk.from_subscriptions(lines, as_of="2025-01", amount_is="unit")["mrr"].sum() == 49 * 17
    assert not nk.load_report(nk.from_subscriptions(lines, as_of="2025-01", amount_is="total")).warnings


def test_discount_columns_of_the_export_itself():
    lines = pd.DataFrame({"customer_id": ["a", "b", "c"], "amount": [100, 100, 300], "interval": ["month"] * 2 + ["year"],
                          "start": ["2025-01-10"] * 3, "end": [""] * 3, "percent_off": [10, "", ""],
                          "amount_off": ["", 30, 120], "discount_duration": ["repeating", "forever", "once"],
                          "duration_in_months": [2, "", ""]})
    t = _got(nk.from_subscriptions(lines, as_of="2025-04"))
    # a: 10% for 2 months from 2025-01-10 (to 2025-03-10): Jan, Feb at 90, then 100
    assert [t[("a", m)] for m in _months("2025-01", "2025-04")] == [90.0, 90.0, 100.0, 100.0]
    assert [t[("b", m)] for m in _months("2025-01", "2025-04")] == [70.0] * 4  # 30 off forever
    # c: 300 a year = 25 a month; 120 off the first (yearly) invoice = 10 a month off for 12 months: 15
    assert [t[("c", m)] for m in _months("2025-01", "2025-04")] == [15.0] * 4


def test_months_are_added_as_calendar_months_with_the_day_clipped():
    import numpy as np

    from nrrkit.io.terms import _add_months

    d = np.array(["2025-01-31", "2024-12-15", "2024-01-31", "2025-01-10", "NaT"], dtype="datetime64[D]")
    got = _add_months(d, np.array([1, 3, 1, 1.5, 2]))
    # 31 Jan + 1 month = 28 Feb (2024: 29 Feb, a leap year); 15 Dec + 3 = 15 Mar; 1.5 months = 46 days
    assert [str(x) for x in got] == ["2025-02-28", "2025-03-15", "2024-02-29", "2025-02-25", "NaT"]
    lines = pd.DataFrame({"customer_id": ["a"], "amount": [100], "interval": ["month"], "start": ["2025-01-31"],
                          "end": [""], "percent_off": [50], "discount_duration": ["once"]})
    t = _got(nk.from_subscriptions(lines, as_of="2025-03"))
    # once = the first billing period, 31 Jan to 28 Feb: only January's month end is discounted
    assert t == {("a", "2025-01"): 50.0, ("a", "2025-02"): 100.0, ("a", "2025-03"): 100.0}


def test_end_inclusive_on_subscription_lines_as_on_invoice_lines():
    lines = pd.DataFrame({"customer_id": ["a"], "amount": [10], "interval": ["month"], "start": ["2025-01-01"],
                          "end": ["2025-02-28"]})
    # 28 Feb as the first day no longer paid for: February's month end is not paid; as the last paid day it is
    assert _got(nk.from_subscriptions(lines, as_of="2025-03")) == {("a", "2025-01"): 10.0}
    assert _got(nk.read_mrr(lines, as_of="2025-03", end_inclusive=True)) == {("a", "2025-01"): 10.0,
                                                                            ("a", "2025-02"): 10.0}


def test_a_coupon_missing_from_the_coupons_export_is_a_warning(tmp_path):
    coupons = pd.read_csv(COUPONS)
    path = tmp_path / "coupons.csv"
    coupons[coupons["id"] != "HALF3"].to_csv(path, index=False)
    rep = nk.load_report(nk.read_mrr(SUBS, rates=RATES, coupons=path))
    (w,) = [w for w in rep.warnings if "coupon with no terms" in w]
    # HALF3 is on cus_C's and cus_S's lines
    assert w.startswith("2 line(s) carry a coupon with no terms (HALF3;") and "customers cus_C, cus_S" in w
    assert "add them to the coupons export" in w


@settings(max_examples=40, deadline=None)
@given(pct=st.integers(1, 100), duration=st.sampled_from(["forever", "once", "repeating"]),
       months=st.integers(1, 14), day=st.integers(1, 28), seats=st.integers(1, 9))
def test_a_discount_lowers_the_mrr_only_while_it_applies(pct, duration, months, day, seats):
    lines = pd.DataFrame({"customer_id": ["a"], "amount": [120], "interval": ["month"], "quantity": [seats],
                          "start": [f"2024-01-{day:02d}"], "end": [""], "percent_off": [pct],
                          "discount_duration": [duration], "duration_in_months": [months]})
    got = _got(nk.from_subscriptions(lines, as_of="2025-12", amount_is="unit"))
    full = 120.0 * seats
    # the discount covers the month ends before its end: forever all 24, once the first 1, repeating `months`
    n = {"forever": 24, "once": 1, "repeating": months}[duration]
    want = [round(full * (1 - pct / 100), 2)] * n + [full] * (24 - n)
    assert [got[("a", m)] for m in _months("2024-01", "2025-12")] == pytest.approx(want)


def test_an_amount_off_coupon_in_another_currency_is_a_warning(tmp_path):
    subs = pd.read_csv(SUBS, dtype=str, keep_default_na=False)
    subs.loc[subs["Customer ID"] == "cus_C", "Coupon"] = "TENOFF"  # 10.00 USD off a line billed in EUR
    path = tmp_path / "subs.csv"
    subs.to_csv(path, index=False)
    t = nk.read_mrr(path, rates=RATES, coupons=COUPONS)
    (w,) = [w for w in nk.load_report(t).warnings if "another currency" in w]
    assert w.startswith("1 line(s) carry an amount-off coupon in another currency than the line's (TENOFF; "
                        "customers cus_C)")
    assert _got(t)[("cus_C", "2025-01")] == pytest.approx((100 - 10) * 1.1)  # as written: 10 off 100 EUR
