"""A founder's billing exports as the vendors really write them, read with no column keyword.

``stripe_subscriptions_all_columns.csv`` is a Stripe Dashboard subscriptions export with every
column (and some it gained over the years: ``Cancel At (UTC)``, metadata), quoted amounts with
thousands separators, a 2-yearly plan, a weekly plan, yen, every status, and coupons of each
duration.  Every expected MRR below is worked out by hand from the definitions (section 1,
"What a subscription line really pays").  Rates: USD 1, EUR 1.1, JPY 0.0065.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import nrrkit as nk
from nrrkit.errors import DataError

DATA = Path(__file__).parent / "data" / "exports"
RATES = {"USD": 1, "EUR": 1.1, "JPY": 0.0065}
STRIPE = DATA / "stripe_subscriptions_all_columns.csv"
COUPONS = DATA / "stripe_coupons_all_columns.csv"


def _months(a: str, b: str) -> list[str]:
    return [str(p) for p in pd.period_range(a, b, freq="M")]


def _got(t: pd.DataFrame) -> dict:
    return {(str(c), str(pd.Period(m, "M"))): float(v) for c, m, v in zip(t["customer_id"], t["month"], t["mrr"])}


def _want_stripe() -> dict:
    want = {}

    def put(c, a, b, v):
        for m in _months(a, b):
            want[(c, m)] = v

    end = "2025-12"
    put("cus_A", "2025-01", end, 2 * 49.0)  # 49.00 x 2 seats
    put("cus_B", "2025-01", end, 1200 / 12)  # "1,200.00" a year, from 20 Jan: paying at the end of January
    put("cus_C", "2025-01", end, 2400 / 24)  # "2,400.00" every 2 years (Interval Count 2) = 100
    put("cus_D", "2025-01", end, 3 * 5000 * 0.0065)  # 5000 JPY x 3 = 15,000 JPY = 97.50 USD
    put("cus_E", "2025-02", end, 49.0)  # trial to 14 Feb: paying from the end of February, not January
    put("cus_F", "2025-01", "2025-03", 50.0)  # 50% off repeating 3 months from 1 Jan: January to March
    put("cus_F", "2025-04", end, 100.0)  # then full price
    put("cus_G", "2025-01", end, 0.0)  # 100% off forever: a customer paying 0
    put("cus_H", "2025-01", end, 200.0)  # past_due is revenue
    put("cus_I", "2025-01", end, 150.0)  # unpaid is revenue (the subscription is still in place)
    put("cus_M", "2025-01", "2025-05", 100.0)  # canceled, Ended At 15 Jun: last paid month end is May's
    put("cus_N", "2025-01", end, 100.0)  # active, cancel at period end asked on 20 Nov: still pays
    put("cus_O", "2025-01", end, 100.0)  # canceled, Ended At 15 Jan 2026: pays at the end of December
    put("cus_Q", "2025-01", end, 300 / 3)  # 300.00 every 3 months
    put("cus_R", "2025-01", end, 25 * 52 / 12)  # 25.00 a week = 108.33
    put("cus_S", "2025-01", end, 1200 * 0.75 / 12)  # 25% off once = the first yearly period: all of 2025 at 75
    put("cus_T", "2025-01", end, 2 * 49 - 10.0)  # $10 off forever on 98 = 88
    put("cus_U", "2025-01", end, (1200 - 120) / 12)  # $120 off the first year = 90
    put("cus_V", "2025-01", end, 2 * 80 * 1.1)  # 80 EUR x 2 = 176 USD
    # cus_J incomplete, cus_K incomplete_expired, cus_L paused (a trial that ended unpaid): never paid;
    # cus_W still trialing: not revenue yet
    return want


def test_stripe_dashboard_export_every_column():
    t = nk.read_mrr(STRIPE, coupons=COUPONS, rates=RATES)
    rep = nk.load_report(t)
    assert rep.export == "stripe_subscriptions"
    assert _got(t) == pytest.approx(_want_stripe())
    # the export was taken in December 2025 (latest Current Period Start, 14 Dec): the span ends there.
    # Two lines change price in January 2026 (the once-off coupons of cus_S and cus_U end with their first
    # year); that is a price the export schedules, not a line that starts later, and it does not push the
    # span into a month the export knows nothing of (it used to, and January 2026 read as 96.2% NRR)
    assert (rep.first_month, rep.last_month) == ("2025-01", "2025-12")
    # NRR December 2025 over 6 months (base June 2025): cus_M churned in June (ended 15 Jun) and is not in
    # the base; every base customer pays the same in December: 1,731.83 / 1,731.83
    r = nk.retention(t, window=6)
    dec = r[r["month"] == pd.Timestamp("2025-12-01")].iloc[0]
    start = 98 + 100 + 100 + 97.5 + 49 + 100 + 0 + 200 + 150 + 100 + 100 + 100 + 25 * 52 / 12 + 75 + 88 + 90 + 176
    assert dec["start_mrr"] == pytest.approx(start)  # 1,731.83
    assert dec["nrr"] == pytest.approx(1.0) and dec["grr"] == pytest.approx(1.0)
    # cus_G pays 0 (100% off) so it is not in the base: 16 customers pay in June
    assert dec["customers_start"] == 16
    # NRR over 6 months to June 2025 (base December 2024: nobody) is not defined; to July (base January):
    # January paid 1,732.83 (cus_F at 50, cus_M at 100, no cus_E); July: cus_M churned (-100), cus_F +50
    jul = r[r["month"] == pd.Timestamp("2025-07-01")].iloc[0]
    assert jul["start_mrr"] == pytest.approx(start - 49 - 50 + 100)
    assert jul["end_mrr"] == pytest.approx(start - 49 - 50 + 100 - 100 + 50)
    assert jul["churn"] == pytest.approx(100) and jul["expansion"] == pytest.approx(50)
    # the export is a picture of each subscription today: the report and the definition card say that a change
    # inside a subscription (cus_R's seats, say) cannot show as expansion or contraction
    assert any("holds each subscription as it is today" in n for n in rep.notes)
    assert "each subscription at its price on the day of the export (changes inside a subscription are not " \
           "expansion or contraction)" in rep.card_notes
    # Stripe's Cancel At is known and not read (it is a scheduled cancellation); no warning about it
    assert not any("Cancel At (UTC)" in w for w in rep.warnings)
    assert any(u.startswith("Cancel At (UTC) (a scheduled cancellation") for u in rep.unused)


def test_statuses_written_in_words_are_the_documented_statuses(tmp_path):
    # a sheet re-typed from the Dashboard writes 'Past due', 'Incomplete expired', 'In trial': they are
    # past_due, incomplete_expired and in_trial.  'Incomplete expired' used to be an unknown status read as
    # revenue: here it spans three month ends, so it would have added 3 x 49.00
    lines = pd.DataFrame({
        "customer_id": ["a", "b", "c", "d"],
        "start": ["2025-01-01", "2025-01-01", "2025-01-01", "2025-01-01"],
        "end": ["", "2025-04-01", "", ""],
        "amount": [100, 49, 30, 20], "interval": "month",
        "status": ["Past due", "Incomplete expired", "In-Trial", "NON RENEWING"],
    })
    t = nk.read_mrr(lines, shape="subscriptions", as_of="2025-03")
    got = _got(t)
    # a: past_due is revenue, 100 a month; d: non_renewing is revenue, 20; b never paid, c not yet
    assert got == pytest.approx({**{("a", m): 100.0 for m in _months("2025-01", "2025-03")},
                                 **{("d", m): 20.0 for m in _months("2025-01", "2025-03")}})
    rep = nk.load_report(t)
    assert any("incomplete_expired" in x["what"] and "never paid" in x["what"] for x in rep.left_out)
    assert any("in_trial" in x["what"] and "not revenue yet" in x["what"] for x in rep.left_out)
    # not_revenue is matched the same way
    t2 = nk.read_mrr(lines, shape="subscriptions", as_of="2025-03", not_revenue=["Non-renewing"])
    assert set(t2["customer_id"]) == {"a"}


def test_dates_an_excel_save_rewrote_name_the_layout_that_reads_them(tmp_path):
    # a Stripe export opened in Excel and saved again: dates become 1/5/2025 9:12 (month first, US)
    raw = pd.read_csv(STRIPE, dtype=str, keep_default_na=False)
    for c in ("Created (UTC)", "Start (UTC)", "Current Period Start (UTC)", "Ended At (UTC)", "Trial End (UTC)",
              "Canceled At (UTC)"):
        raw[c] = [pd.Timestamp(x).strftime("%-m/%-d/%Y %-H:%M") if x else "" for x in raw[c]]
    p = tmp_path / "subscriptions.csv"
    raw.to_csv(p, index=False)
    with pytest.raises(DataError) as e:
        nk.read_mrr(p, coupons=COUPONS, rates=RATES)
    # only the month-first layout reads every date of the column (20/1/2025 has no 20th month)
    assert str(e.value) == ("subscriptions.csv, row 2, column 'Start (UTC)': value '1/5/2025 9:12' is not a date "
                            "nrrkit can read; name their layout with month_format='%m/%d/%Y %H:%M' (CLI: "
                            "--month-format '%m/%d/%Y %H:%M').")
    t = nk.read_mrr(p, coupons=COUPONS, rates=RATES, month_format="%m/%d/%Y %H:%M")
    assert _got(t) == pytest.approx(_want_stripe())


# --- a founder's hand-kept sheet -------------------------------------------------------------------


def _xlsx(path: Path, rows: list[list]) -> Path:
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def test_founder_sheet_with_a_title_a_total_and_one_customer_typed_two_ways(tmp_path):
    p = _xlsx(tmp_path / "mrr.xlsx", [
        ["Acme SaaS Inc. - MRR by customer (confidential)"], [],
        ["Customer", "Segment", "Jan-24", "Feb-24", "Mar-24", "Apr-24"],
        ["Alpha", "Ent", "$1,200.50", "$1,200.50", "$1,300.50", "$1,300.50"],
        ["Beta", "SMB", "$500.00", "$500.00", "", ""],
        ["Gamma", "SMB", "", "$250.00", "$250.00", "$300.00"],
        ["alpha ", "SMB", "$100.00", "$100.00", "$100.00", "$100.00"],
        ["Delta", "SMB", "$400.00", "$400.00", "$400.00", "$0.00"],
        ["Total", "", "$2,200.50", "$2,450.50", "$2,050.50", "$1,700.50"],
    ])
    t = nk.read_mrr(p)
    rep = nk.load_report(t)
    assert rep.shape == "wide" and any(n.startswith("the header is row 3") for n in rep.notes)
    # 'alpha ' is stripped to 'alpha' (the definitions: ids are stripped of surrounding spaces), and stays
    # its own customer: nrrkit never merges 'Alpha' and 'alpha' itself, but it says so, naming both rows
    assert sorted(set(t["customer_id"])) == ["Alpha", "Beta", "Delta", "Gamma", "alpha"]
    assert any("'Alpha' (row 4) and 'alpha' (row 7)" in w and "differ only in case" in w for w in rep.warnings)
    assert any("row 9 ('Total')" in x["what"] for x in rep.left_out)
    assert any("'Segment' kept as attributes" in n for n in rep.notes)
    # NRR April 2024 over 3 months, base January: Alpha 1,200.50 + Beta 500 + alpha 100 + Delta 400 = 2,200.50
    # (Gamma starts in February).  April: Alpha 1,300.50 + alpha 100 (Beta and Delta pay 0) = 1,400.50
    r = nk.retention(t, window=3)
    apr = r[r["month"] == pd.Timestamp("2024-04-01")].iloc[0]
    assert apr["start_mrr"] == pytest.approx(2200.50) and apr["end_mrr"] == pytest.approx(1400.50)
    assert apr["nrr"] == pytest.approx(1400.50 / 2200.50)  # 63.6%
    assert apr["grr"] == pytest.approx((1200.50 + 100) / 2200.50)  # 59.1%: Alpha's +100 is expansion
    assert apr["logo_retention"] == pytest.approx(2 / 4)
    assert apr["churn"] == pytest.approx(900.0) and apr["expansion"] == pytest.approx(100.0)


def test_founder_sheet_with_a_customer_pasted_twice_warns_and_names_the_rows(tmp_path):
    p = _xlsx(tmp_path / "mrr.xlsx", [["Customer", "Jan-24", "Feb-24", "Mar-24"], ["Alpha", 100, 100, 100],
                                      ["Beta", 50, 50, 50], ["Alpha", 100, 100, 100]])
    t = nk.read_mrr(p)
    rep = nk.load_report(t)
    # the definitions: several rows of one customer and month are summed and said; in a wide sheet (one row
    # per customer) that is more likely a row pasted twice, so it is a warning naming the sheet's rows
    assert t.groupby("customer_id")["mrr"].sum().to_dict() == {"Alpha": 600.0, "Beta": 150.0}
    assert rep.warnings[0].startswith("customer 'Alpha' is on 2 rows (rows 2 and 4): a wide sheet has one row per "
                                      "customer")


# --- Stripe invoice line items: prorations, a setup fee, yen, void and draft invoices ------------------

DAYS = 365 / 12  # the definitions: an invoice line's MRR = amount / (days / (365/12))


def test_stripe_invoice_lines_with_void_and_draft_invoices():
    t = nk.read_mrr(DATA / "stripe_invoice_lines_statuses.csv", rates={"USD": 1, "JPY": 0.0065}, as_of="2025-04")
    rep = nk.load_report(t)
    got = _got(t)
    # cus_A: 98.00 for January (31 days) = 96.17; February (28 days) = 106.46
    assert got[("cus_A", "2025-01")] == pytest.approx(98 / (31 / DAYS))
    assert got[("cus_A", "2025-02")] == pytest.approx(98 / (28 / DAYS))
    # March: 98.00 for the month (31 days), and the upgrade on 15 Mar from 2 to 5 seats: a credit of -53.77 and a
    # charge of 134.44, each for the 17 days to 1 April: 96.17 - 96.21 + 240.55 = 240.51
    assert got[("cus_A", "2025-03")] == pytest.approx((98 / 31 - 53.77 / 17 + 134.44 / 17) * DAYS)
    assert got[("cus_A", "2025-04")] == pytest.approx(245 / (30 / DAYS))
    # cus_B: "120,000" JPY for 365 days (10 Jan 2025 to 10 Jan 2026) = 10,000 JPY a month = 65.00 USD
    assert got[("cus_B", "2025-04")] == pytest.approx(120_000 * 0.0065 / 12)
    # cus_C: January's invoice is void (never owed): no January; the 500.00 setup fee (a period of no length)
    # is a one-time charge; February and March paid; April's invoice is a draft (not issued yet): no April
    assert ("cus_C", "2025-01") not in got and ("cus_C", "2025-04") not in got
    assert got[("cus_C", "2025-02")] == pytest.approx(300 / (28 / DAYS))
    assert got[("cus_C", "2025-03")] == pytest.approx(300 / (31 / DAYS))
    whats = [x["what"] for x in rep.left_out]
    assert any("1 void: never paid; first at row 9; customers cus_C" in w for w in whats)
    assert any("1 draft: not revenue yet; first at row 13; customers cus_C" in w for w in whats)
    assert not any("Invoice Status" in w for w in rep.warnings)  # it is read, so no 'not used' warning
    # the void and draft lines used to count: January and April then held cus_C's 300.00 (the line
    # wrongly in the MRR, with a warning that the status column was not used)
    assert sum(v for (c, m), v in got.items() if m == "2025-01") == pytest.approx(98 / (31 / DAYS) + 65.0)


def test_a_generic_invoice_file_reads_its_status_column_and_not_revenue(tmp_path):
    lines = pd.DataFrame({"customer_id": ["a", "a", "b", "b"],
                          "start": ["2025-01-01", "2025-02-01", "2025-01-01", "2025-02-01"],
                          "end": ["2025-02-01", "2025-03-01", "2025-02-01", "2025-03-01"],
                          "amount": [310.0, 280.0, 620.0, 560.0],
                          "status": ["Paid", "Void", "paid", "refunded"]})
    t = nk.read_mrr(lines, shape="invoices", as_of="2025-02")
    # 310 / (31 days / 30.42) = 304.17; a's February line is void; b's 'refunded' is a status nrrkit does not
    # know: read as revenue by its dates, and named in the report
    assert _got(t) == pytest.approx({("a", "2025-01"): 310 / (31 / DAYS), ("b", "2025-01"): 620 / (31 / DAYS),
                                     ("b", "2025-02"): 560 / (28 / DAYS)})
    assert any("statuses nrrkit does not know, read as revenue by their dates: refunded" in n
               for n in nk.load_report(t).notes)
    t2 = nk.read_mrr(lines, shape="invoices", as_of="2025-02", not_revenue=["refunded"])
    assert ("b", "2025-02") not in _got(t2)


def test_the_keep_example_names_a_column_as_the_file_writes_it():
    t = nk.read_mrr(DATA / "stripe_invoice_lines_statuses.csv", rates={"USD": 1, "JPY": 0.0065}, as_of="2025-04")
    text = str(nk.load_report(t))
    # it used to say keep=['Invoice ID (lines of one invoice are read one by one)']: a column that does not exist
    assert "keep=['Invoice Number'] in Python, --keep 'Invoice Number' on the command line" in text


def test_a_repeating_coupon_discounts_whole_billing_periods():
    # Stripe applies a 'repeating for N months' coupon to every invoice made within N months; an invoice pays
    # for a whole billing period, so the discount lasts whole periods
    lines = pd.DataFrame({"customer_id": ["y", "q", "m"], "start": ["2025-01-01"] * 3, "end": [""] * 3,
                          "amount": [1200, 300, 100], "interval": ["year", "quarter", "month"],
                          "percent_off": [50] * 3, "discount_duration": ["repeating"] * 3,
                          "duration_in_months": [3, 4, 3]})
    got = _got(nk.read_mrr(lines, shape="subscriptions", as_of="2025-12"))
    want = {}
    for m in _months("2025-01", "2025-12"):
        # y: 1,200 a year, 50% off for 3 months: the invoice of 1 Jan 2025 (within the 3 months) pays the whole
        # year at 600, so every month of 2025 is 50 (it used to be 50 for January to March, then 100)
        want[("y", m)] = 50.0
        # q: 300 a quarter, 50% off for 4 months: the invoices of 1 Jan and 1 Apr are within 4 months, so 50 to
        # June, then 100 (it used to be 50 to April)
        want[("q", m)] = 50.0 if m <= "2025-06" else 100.0
        # m: 100 a month, 3 months: January to March at 50 (unchanged: 3 periods are 3 months)
        want[("m", m)] = 50.0 if m <= "2025-03" else 100.0
    assert got == pytest.approx(want)


def test_a_canceled_line_with_no_end_date_is_refused(tmp_path):
    # read as it stood, 'canceled' with no end paid to the end of the span: 6 months of revenue after a
    # cancellation nobody dated (it used to be counted: a 100.00 customer paying to June)
    p = tmp_path / "subs.csv"
    pd.DataFrame({"customer_id": ["a", "b"], "start": ["2025-01-01"] * 2, "end": ["2025-03-01", ""],
                  "amount": [100, 100], "interval": ["month"] * 2, "status": ["canceled", "Cancelled"]}).to_csv(p, index=False)
    with pytest.raises(DataError) as e:
        nk.read_mrr(p, as_of="2025-06")
    assert str(e.value) == ("subs.csv, row 3, column 'status': value 'Cancelled' says the line ended, but it has no "
                            "end date ('end' is empty); write the date it stopped paying in the end column (or "
                            "correct the status); nrrkit will not count revenue after a cancellation it cannot date.")
    # Stripe's export: a canceled line with an empty Ended At ends at its Canceled At (unchanged)
    raw = pd.read_csv(STRIPE, dtype=str, keep_default_na=False)
    raw.loc[raw["id"] == "sub_1M", "Ended At (UTC)"] = ""
    q = tmp_path / "stripe.csv"
    raw.to_csv(q, index=False)
    assert _got(nk.read_mrr(q, coupons=COUPONS, rates=RATES)) == pytest.approx(_want_stripe())
    raw.loc[raw["id"] == "sub_1M", "Canceled At (UTC)"] = ""
    raw.to_csv(q, index=False)
    with pytest.raises(DataError, match=r"row 14, column 'Status': value 'canceled' says the line ended, but it has "
                                        r"no end date \('Ended At \(UTC\)' or 'Canceled At \(UTC\)' is empty\)"):
        nk.read_mrr(q, coupons=COUPONS, rates=RATES)


def test_an_empty_stripe_quantity_says_what_it_usually_is(tmp_path):
    raw = pd.read_csv(STRIPE, dtype=str, keep_default_na=False)
    raw.loc[raw["id"] == "sub_1A", "Quantity"] = ""
    p = tmp_path / "stripe.csv"
    raw.to_csv(p, index=False)
    with pytest.raises(DataError, match=r"row 2, column 'Quantity': value '' is empty; write the number of seats .*"
                                        r"usually means a usage-based \(metered\) price"):
        nk.read_mrr(p, coupons=COUPONS, rates=RATES)


def test_month_headers_in_another_language_are_months():
    # a German sheet: 'Mär 24' was not a month nrrkit knew, so the column became an attribute and March's
    # 120 + 50 = 170 of MRR disappeared without a word
    sheet = pd.DataFrame({"Kunde": ["Alpha", "Beta"], "Jan 24": [100, 50], "Feb 24": [100, 50],
                          "Mär 24": [120, 50], "Dez 2024": [120, 0], "janv. 2025": [130, 0]})
    t = nk.read_mrr(sheet, customer="Kunde")
    by_month = {str(pd.Period(m, "M")): v for m, v in t.groupby("month")["mrr"].sum().items()}
    assert by_month == {"2024-01": 150.0, "2024-02": 150.0, "2024-03": 170.0, "2024-12": 120.0, "2025-01": 130.0}
    assert any(n.startswith("3 month header(s) in another language read as months (Mär 24 as Mar 24, Dez 2024 as "
                            "Dec 2024, janv. 2025 as Jan 2025)") for n in nk.load_report(t).notes)
    # NRR January 2025 over 12 months (base January 2024: 150): Alpha 130, Beta 0 -> 130 / 150
    r = nk.retention(t, window=12)
    assert r[r["month"] == pd.Timestamp("2025-01-01")]["nrr"].iloc[0] == pytest.approx(130 / 150)


def test_a_month_header_nrrkit_cannot_read_is_never_an_attribute_silently():
    sheet = pd.DataFrame({"Customer": ["Alpha", "Beta"], "Jan 24": [100, 50], "Feb 24": [100, 50],
                          "Mrc 24": ["$120", ""]})
    with pytest.raises(DataError) as e:
        nk.read_mrr(sheet)
    # it used to be 'no column month for month', the long shape's complaint, naming nothing wrong
    assert str(e.value).startswith("DataFrame, row 1, column 'Mrc 24': the header looks like a month (a name and a "
                                   "two-digit year) and the column holds amounts")
    # a header with a typo that is no month at all: kept as an attribute, with a warning (Seats stays quiet)
    sheet = sheet.rename(columns={"Mrc 24": "Mar. 2O24"}).assign(Seats=[3, 4])
    rep = nk.load_report(nk.read_mrr(sheet))
    assert rep.warnings == ["column 'Mar. 2O24' holds amounts, but its header is not a month nrrkit can read: it is "
                            "kept as an attribute and none of it counts as revenue; if it is a month, write its "
                            "header as 2024-03 or Mar 2024"]


def test_a_european_sheet_with_a_total_column_says_it_equals_the_sum():
    sheet = pd.DataFrame({"Kunde": ["Alpha", "Beta"], "Jan 24": ["1.200,50 €", "50,00 €"],
                          "Feb 24": ["1.200,50 €", "50,00 €"], "Mär 24": ["1.300,00 €", ""],
                          "Summe": ["3.701,00 €", "100,00 €"]})
    t = nk.read_mrr(sheet, customer="Kunde", decimal=",")
    # Alpha: 1,200.50 + 1,200.50 + 1,300.00 = 3,701.00; Beta: 50 + 50 = 100 (it used to read 3.701,00 as 3.701
    # and say only that the header was a total)
    assert nk.load_report(t).left_out[0]["what"] == ("column 'Summe': a total, not a month; it equals each row's "
                                                     "sum of the month columns")
    assert t["mrr"].sum() == pytest.approx(3701.0 + 100.0)


def test_a_coupons_export_with_percent_signs_and_a_coupon_twice(tmp_path):
    coupons = pd.read_csv(COUPONS, dtype=str, keep_default_na=False)
    # 'Percent Off' written 50% (a sheet's percent format): 50
    p = tmp_path / "coupons.csv"
    coupons.assign(**{"Percent Off": coupons["Percent Off"].where(coupons["Percent Off"] == "", coupons["Percent Off"]
                                                                  + "%")}).to_csv(p, index=False)
    assert _got(nk.read_mrr(STRIPE, coupons=p, rates=RATES)) == pytest.approx(_want_stripe())
    # the same coupon twice with other terms: which applied?  It used to be the last row, silently (REP3 at 20%
    # forever: cus_F at 80 from January instead of 50 then 100)
    twice = pd.concat([coupons, coupons[coupons["id"] == "REP3"].assign(**{"Percent Off": "20", "Duration": "forever",
                                                                           "Duration In Months": ""})])
    twice.to_csv(p, index=False)
    with pytest.raises(DataError) as e:
        nk.read_mrr(STRIPE, coupons=p, rates=RATES)
    assert str(e.value) == ("coupons.csv, row 7, column 'id': value 'REP3' is a coupon already at row 2 with other "
                            "terms; keep one row per coupon id (the terms that applied), or give each coupon its own "
                            "id.")
    coupons.assign(**{"Percent Off": coupons["Percent Off"].where(coupons["id"] != "FREE", "all")}).to_csv(p, index=False)
    with pytest.raises(DataError, match=r"row 3, column 'Percent Off': value 'all' is not a number; write the "
                                        r"coupon's percent or amount off as a number"):
        nk.read_mrr(STRIPE, coupons=p, rates=RATES)


def test_intervals_as_a_sheet_writes_them():
    intervals = ["Semi-annually", "Fortnightly", "Biennial", "per annum", "Half-yearly", "every 2 years"]
    lines = pd.DataFrame({"customer_id": list("abcdef"), "start": ["2025-01-01"] * 6, "end": [""] * 6,
                          "amount": [600, 50, 2400, 1200, 600, 2400], "interval": intervals})
    got = _got(nk.read_mrr(lines, shape="subscriptions", as_of="2025-01"))
    # 600 every 6 months = 100; 50 every 2 weeks = 50 x 52 / 12 / 2 = 108.33; 2,400 every 2 years = 100;
    # 1,200 a year = 100 ('Semi-annually', 'Fortnightly' and 'Biennial' used to be refused as no interval)
    assert got == pytest.approx({("a", "2025-01"): 100.0, ("b", "2025-01"): 50 * 52 / 12 / 2, ("c", "2025-01"): 100.0,
                                 ("d", "2025-01"): 100.0, ("e", "2025-01"): 100.0, ("f", "2025-01"): 100.0})


def test_stripe_start_date_is_the_subscriptions_start_not_its_last_plan_change(tmp_path):
    # Stripe's changelog (2019-10-17): 'start' is when the current plan configuration started, 'start_date' when
    # the subscription did.  cus_A changed plan on 10 June 2025: read from Start (UTC) it would be a new customer
    # in June (and out of every base month before it); from Start Date (UTC) it pays 98 from January
    raw = pd.read_csv(STRIPE, dtype=str, keep_default_na=False)
    raw.loc[raw["id"] == "sub_1A", "Start (UTC)"] = "2025-06-10 00:00:00"
    p = tmp_path / "stripe.csv"
    raw.to_csv(p, index=False)
    t = nk.read_mrr(p, coupons=COUPONS, rates=RATES)
    assert _got(t) == pytest.approx(_want_stripe())
    rep = nk.load_report(t)
    assert any(n.startswith("1 line(s) have a 'Start (UTC)' in another month than their 'Start Date (UTC)' (the "
                            "first at row 2): a plan change") for n in rep.notes)
    # an export with Start (UTC) alone (the older layout) reads it, as before
    t2 = nk.read_mrr(STRIPE.parent / "stripe_subscriptions.csv", coupons=STRIPE.parent / "stripe_coupons.csv",
                     rates={"USD": 1, "EUR": 1.1, "GBP": 1.27})
    assert nk.load_report(t2).export == "stripe_subscriptions"


@pytest.mark.parametrize("starts, says", [
    (["1735689600", "1738368000"], "the column holds Unix timestamps (seconds since 1970)"),
    (["45658", "45689"], "the column holds Excel date serial numbers"),
    # 01/02/2025 and 03/04/2025 read both ways: nrrkit names both layouts and picks neither
    (["01/02/2025", "03/04/2025"], "every date in the column reads as '%m/%d/%Y' or '%d/%m/%Y': name the one your "
                                   "file uses with month_format="),
    (["31.01.2025", "28.02.2025"], "name their layout with month_format='%d.%m.%Y'"),
])
def test_a_date_column_nrrkit_cannot_read_says_what_it_holds(tmp_path, starts, says):
    p = tmp_path / "subs.csv"
    pd.DataFrame({"customer_id": ["a", "b"], "start": starts, "end": ["", ""], "amount": [100, 100],
                  "interval": ["month", "month"]}).to_csv(p, index=False)
    with pytest.raises(DataError) as e:
        nk.read_mrr(p)
    assert str(e.value).startswith(f"subs.csv, row 2, column 'start': value '{starts[0]}' is not a date nrrkit can "
                                   f"read; {says}")


def test_a_discount_that_ends_later_does_not_stretch_a_files_span():
    # y: 1,200 a year from January 2025 with 25% off its first year (75 a month); m: 100 a month from June.
    # The latest start is June 2025: the span ends there (it ran to January 2026, the month y's discount ends,
    # with 7 months nobody wrote down and a +25 'expansion' in January 2026)
    lines = pd.DataFrame({"customer_id": ["y", "m"], "start": ["2025-01-01", "2025-06-01"], "end": ["", ""],
                          "amount": [1200, 100], "interval": ["year", "month"], "percent_off": [25, 0],
                          "discount_duration": ["once", ""]})
    t = nk.read_mrr(lines, shape="subscriptions")
    assert nk.horizon(t)[1] == pd.Timestamp("2025-06-01")
    assert _got(t) == pytest.approx({**{("y", m): 75.0 for m in _months("2025-01", "2025-06")},
                                     ("m", "2025-06"): 100.0})


def test_an_autosum_under_a_long_sheet_is_a_total(tmp_path):
    p = tmp_path / "mrr.csv"
    p.write_text("customer_id,month,mrr\nA,2024-01,100\nB,2024-01,50\nA,2024-02,100\n,,250\n")
    t = nk.read_mrr(p)
    # 100 + 50 + 100 = 250: the last row (no customer, no month) is Excel's AutoSum, not a customer (it used to be
    # refused as a blank customer id, which said nothing of a total)
    assert t["mrr"].sum() == 250.0
    assert nk.load_report(t).left_out[0]["what"] == ("row 5 (no customer, no month): a total, not a customer; its "
                                                     "250.00 equals the sum of the 3 rows above it")
    with pytest.raises(DataError, match=r"mrr.csv, row 5, column 'mrr': value '250' is a total, not a customer"):
        nk.read_mrr(p, totals="error")
    # a blank row whose amount is no such sum is still refused, as a row with no customer
    p.write_text("customer_id,month,mrr\nA,2024-01,100\nB,2024-01,50\n,,140\n")
    with pytest.raises(DataError, match=r"row 4, column 'customer_id': value '' is blank"):
        nk.read_mrr(p)


def test_a_subscription_pasted_twice_is_a_warning(tmp_path):
    raw = pd.read_csv(STRIPE, dtype=str, keep_default_na=False)
    p = tmp_path / "stripe.csv"
    pd.concat([raw, raw[raw["id"] == "sub_1B"]]).to_csv(p, index=False)
    t = nk.read_mrr(p, coupons=COUPONS, rates=RATES)
    # counted twice, as the file says (cus_B at 2 x 100), and now a warning naming the copy (it was a note)
    assert _got(t)[("cus_B", "2025-12")] == pytest.approx(200.0)
    assert nk.load_report(t).warnings == [
        "1 line(s) repeat an earlier line in every column (the first at row 24; an export pasted twice?); each is "
        "counted, as the file says: delete the copies if they are one"]


def test_a_sheet_that_says_it_holds_arr_warns(tmp_path):
    p = _xlsx(tmp_path / "customers.xlsx", [["ARR by customer (USD)"], ["Customer", "Jan-24", "Feb-24"],
                                           ["A", 12000, 12000], ["B", 6000, 0]])
    t = nk.read_mrr(p)
    # read as MRR (the definitions: every amount is a month's revenue): A's 12,000 is MRR 12,000, ARR 144,000,
    # 12 times what the title says; NRR is the same either way (12,000 / 18,000 in February)
    assert nk.load_report(t).last_mrr == 12000.0
    assert nk.load_report(t).warnings == [
        "the file seems to hold ARR (its title says so (row 1: 'ARR by customer (USD)')), but every amount is read "
        "as MRR, a month's revenue: if the amounts are annual, divide them by 12 first, or every amount shown (MRR, "
        "ARR) is 12 times too large (NRR, GRR and logo retention do not change)"]
    q = tmp_path / "mrr.csv"
    q.write_text("customer_id,month,ARR\nA,2024-01,1200\n")
    assert "its amount column is 'ARR'" in nk.load_report(nk.read_mrr(q, mrr="ARR")).warnings[0]


def test_a_wide_sheet_missing_a_month_column_warns():
    sheet = pd.DataFrame({"Customer": ["A", "B"], "Jan-24": [100, 50], "Feb-24": [100, 50], "Apr-24": [100, 50]})
    t = nk.read_mrr(sheet)
    # no March column: March is a month nobody paid (the definitions: the span's months are months), so March's
    # 1-month NRR is 0 / 150 and April's customers come back; the sheet is more likely missing a column: a warning
    r = nk.retention(t, window=1)
    assert r[r["month"] == pd.Timestamp("2024-03-01")]["nrr"].iloc[0] == 0.0
    assert nk.load_report(t).warnings == [
        "the sheet has no column for 1 month(s) inside its span (2024-03): each reads as a month in which nobody "
        "paid, so every customer churns into it and comes back after it; add the missing column (an empty one says "
        "nobody paid)"]
