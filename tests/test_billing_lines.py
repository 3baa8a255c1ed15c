"""Billing data as it is: invoice lines with service periods, credit notes, one-time charges,
currencies, subscription exports (quantity, interval counts, statuses) and renewal gaps.

The hand-built company below is spelled out line by line; every expected figure is worked out
in the comments (docs/definitions.md, section 1).  An average month is 365/12 days, so a
365-day period is exactly 12 months and its MRR is the amount / 12.
"""

from __future__ import annotations

import pandas as pd
import pytest

import nrrkit as nk
from nrrkit import cli
from nrrkit.datasets import SAMPLE_RATES

RATES = {"USD": 1, "EUR": 1.1}


def company() -> pd.DataFrame:
    return pd.DataFrame(
        [
            # acme (USD): a year at 12,000 -> 1,000 a month; a credit note of 1,200 for the same year
            # (-100 a month), so 900 is paid at every month end of 2025; the renewal (13,200 a year:
            # 1,100 a month) starts on 10 February 2026, 40 days after the year ended: 31 January unpaid
            ("acme", "2025-01-01", "2026-01-01", "12000", "USD"),
            ("acme", "2025-01-01", "2026-01-01", "-1200", "USD"),
            ("acme", "2026-02-10", "2027-02-10", "13200", "USD"),
            # beta (EUR): a year at EUR 6,000 -> EUR 500 -> USD 550 a month; not renewed: gone in January 2026
            ("beta", "2025-01-01", "2026-01-01", "6000", "EUR"),
            # gamma (USD): a setup fee (a period of no length: not recurring) and a year at 3,600 -> 300
            # a month from March 2025 to February 2026
            ("gamma", "2025-03-01", "2025-03-01", "250", "USD"),
            ("gamma", "2025-03-01", "2026-03-01", "3600", "USD"),
        ],
        columns=["customer_id", "start", "end", "amount", "currency"],
    )


def _by_month(t: pd.DataFrame) -> pd.DataFrame:
    return t.assign(month=t.month.dt.strftime("%Y-%m")).pivot_table(index="month", columns="customer_id", values="mrr")


def test_invoice_lines_month_by_month():
    t = nk.read_mrr(company(), currency="currency", rates=RATES, as_of="2026-03")
    rep = nk.load_report(t)
    assert rep.shape == "invoices" and rep.currency == "USD"
    m = _by_month(t)
    assert m.loc["2025-01", "acme"] == pytest.approx(900) and m.loc["2025-12", "acme"] == pytest.approx(900)
    assert m.loc["2025-01", "beta"] == pytest.approx(550)
    assert pd.isna(m.loc["2025-02", "gamma"]) and m.loc["2025-03", "gamma"] == pytest.approx(300)
    assert pd.isna(m.loc["2026-01", "acme"]) and m.loc["2026-02", "acme"] == pytest.approx(1100)
    assert pd.isna(m.loc["2026-03", "gamma"])  # its year ended on 1 March 2026
    b = nk.bridge(t).assign(period=lambda d: d.period.dt.strftime("%Y-%m")).set_index("period")
    assert b.loc["2026-01", "churn"] == pytest.approx(900 + 550)
    assert b.loc["2026-02", "reactivation"] == pytest.approx(1100)
    assert b.loc["2026-03", "churn"] == pytest.approx(300)


def test_money_in_equals_money_out():
    t = nk.from_invoices(company(), currency="currency", rates=RATES, as_of="2026-03")
    note = next(n for n in nk.load_report(t).notes if n.startswith("money in = money out"))
    # 12,000 - 1,200 + 13,200 + 6,000 x 1.1 + 250 + 3,600 = 34,450.  The span runs from 1 Jan 2025 to
    # 1 Apr 2026: the renewal has 50 of its 365 days inside (13,200 x 50/365 = 1,808.22), 315 after
    # (11,391.78); inside = 12,000 - 1,200 + 1,808.22 + 6,600 + 3,600 = 22,808.22; one-time: 250
    assert "worth USD 34,450.00 = USD 22,808.22 for days inside the span" in note
    assert "+ USD 0.00 before it + USD 11,391.78 after it + USD 250.00 of one-time charges (1 line(s)" in note


def test_renewal_grace_bridges_the_late_renewal_and_changes_grr():
    late = nk.from_invoices(company(), currency="currency", rates=RATES, as_of="2026-03")
    graced = nk.from_invoices(company(), currency="currency", rates=RATES, as_of="2026-03", renewal_grace=45)
    r0 = nk.retention(late).assign(month=lambda d: d.month.dt.strftime("%Y-%m")).set_index("month")
    r1 = nk.retention(graced).assign(month=lambda d: d.month.dt.strftime("%Y-%m")).set_index("month")
    # base January 2025: acme 900 + beta 550 = 1,450.  January 2026 without grace: both unpaid, GRR 0;
    # with 45 days of grace acme's 40-day gap is bridged at 900: GRR = NRR = 900 / 1,450 = 62.07%
    assert r0.loc["2026-01", "grr"] == 0 and r1.loc["2026-01", "grr"] == pytest.approx(900 / 1450)
    # February: acme pays 1,100 again either way: NRR 1,100 / 1,450, GRR min(1,100, 900) / 1,450
    assert r1.loc["2026-02", "nrr"] == pytest.approx(1100 / 1450) and r1.loc["2026-02", "grr"] == pytest.approx(900 / 1450)
    gaps = nk.load_report(graced).renewal_gaps
    assert gaps == {"grace_days": 45, "gaps_bridged": 1, "months_filled": 1, "churn_removed": pytest.approx(900)}
    b = nk.bridge(graced).assign(period=lambda d: d.period.dt.strftime("%Y-%m")).set_index("period")
    assert b.loc["2026-01", "churn"] == pytest.approx(550) and b.loc["2026-02", "reactivation"] == 0
    assert b.loc["2026-02", "expansion"] == pytest.approx(200)  # 900 -> 1,100
    card = nk.retention(graced).attrs["definition"]
    assert any("renewal_grace=45 days: 1 renewal gap" in n for n in card.notes)
    # a grace of 40 days or less leaves the 40-day gap alone
    assert nk.load_report(nk.from_invoices(company(), currency="currency", rates=RATES, as_of="2026-03",
                                           renewal_grace=40)).renewal_gaps["gaps_bridged"] == 0


def test_end_conventions():
    exclusive = pd.DataFrame({"customer_id": ["a"], "start": ["2025-01-01"], "end": ["2026-01-01"], "amount": [1200]})
    inclusive = exclusive.assign(end=["2025-12-31"])
    # both pay 365 days: 1,200 / 12 = 100 a month, January to December 2025
    a = nk.from_invoices(exclusive, as_of="2026-01")
    b = nk.from_invoices(inclusive, as_of="2026-01", end_inclusive=True)
    pd.testing.assert_frame_equal(a[["customer_id", "month", "mrr"]], b[["customer_id", "month", "mrr"]])
    assert a["mrr"].tolist() == pytest.approx([100.0] * 12)
    # read as exclusive, the inclusive file pays 364 days: 1,200 / (364 / (365/12)) = 100.27 and not on 31 December
    c = nk.from_invoices(inclusive, as_of="2026-01")
    assert c["mrr"].iloc[0] == pytest.approx(1200 / (364 / (365 / 12))) and len(c) == 11


def test_time_zones_read_the_date_as_written():
    lines = pd.DataFrame({"customer_id": ["a"], "start": ["2025-01-31T23:30:00-05:00"],
                          "end": ["2025-03-01T00:00:00+01:00"], "amount": [290]})
    t = nk.from_invoices(lines, as_of="2025-03")
    # 31 January to 1 March as written: 29 days; paid at the ends of January and February
    assert t.month.dt.strftime("%Y-%m").tolist() == ["2025-01", "2025-02"]
    assert t["mrr"].iloc[0] == pytest.approx(290 / (29 / (365 / 12)))


def test_the_sample_company_as_invoice_lines_gives_back_its_mrr():
    table = nk.datasets.load_sample()
    back = nk.from_invoices(nk.datasets.load_sample_invoices(), currency="currency", rates=SAMPLE_RATES,
                            as_of="2025-12")

    def keyed(t):
        t = t[t.mrr > 0]
        return t.set_index(t.customer_id.astype(str) + "|" + t.month.dt.strftime("%Y-%m"))["mrr"]

    a, b = keyed(table), keyed(back)
    assert a.index.sort_values().equals(b.index.sort_values())
    assert (a - b.reindex(a.index)).abs().max() < 0.02  # amounts are billed in cents
    rep = nk.load_report(back)
    assert any("credit line(s)" in n for n in rep.notes) and any("one-time charges" in n for n in rep.notes)
    r0, r1 = nk.retention(table).iloc[-1], nk.retention(back).iloc[-1]
    assert r1["nrr"] == pytest.approx(r0["nrr"], abs=1e-6) and r1["customers_start"] == r0["customers_start"]


# --------------------------------------------------------------------------- subscription exports


def test_subscription_export_quantity_interval_count_status():
    export = pd.DataFrame({
        "customer_id": ["a", "b", "c", "d"],
        "status": ["active", "active", "trialing", "canceled"],
        "quantity": [5, 1, 3, 2],
        "amount": [20, 900, 10, 50],
        "interval": ["month", "every 3 months", "month", "month"],
        "start": ["2025-01-01", "2025-01-01", "2025-01-01", "2025-01-01"],
        "end": ["", "", "", "2025-03-01"],
    })
    t = nk.from_subscriptions(export, amount_is="unit", as_of="2025-03")
    m = _by_month(t)
    # a: 5 seats x 20 = 100 a month; b: 900 every 3 months = 300 a month x 1 seat; c is a trial: not revenue;
    # d: 2 x 50 = 100 until its end on 1 March
    assert m.loc["2025-01"].to_dict() == {"a": 100.0, "b": 300.0, "d": 100.0}
    assert "c" not in m.columns and pd.isna(m.loc["2025-03", "d"])
    (item,) = nk.load_report(t).left_out
    assert item["rows"] == 1 and "1 trialing" in item["what"] and "row 3 (index 2)" in item["what"]
    # amount_is="total": the amount is the line's total, whatever the quantity
    assert _by_month(nk.from_subscriptions(export, as_of="2025-03")).loc["2025-01", "a"] == 20


def test_cli_reads_invoices_with_rates_and_grace(tmp_path, capsys):
    path = tmp_path / "invoices.csv"
    company().to_csv(path, index=False)
    code = cli.main(["metrics", str(path), "--currency", "currency", "--rate", "USD=1", "--rate", "EUR=1.1",
                     "--renewal-grace", "45", "--as-of", "2026-03", "--format", "csv"])
    out, err = capsys.readouterr()
    assert code == 0 and "read as invoices" in err and "1 renewal gap(s)" in err
    r = pd.read_csv(pd.io.common.StringIO(out)).set_index("month")
    assert r.loc["2026-01", "grr"] == pytest.approx(900 / 1450)


# --------------------------------------------------------------------------- bad input


def _bad(lines: pd.DataFrame, **kw) -> str:
    # written as a file, so messages name rows as the file shows them (header = row 1)
    import tempfile
    from pathlib import Path

    path = Path(tempfile.mkdtemp()) / "invoices.csv"
    lines.to_csv(path, index=False)
    with pytest.raises(nk.DataError) as err:
        nk.from_invoices(path, **kw)
    msg = str(err.value)
    assert "\n" not in msg
    return msg


def test_bad_invoice_lines():
    base = company()
    msg = _bad(base.assign(end=base.end.where(base.index != 3, "2024-06-01")), currency="currency", rates=RATES)
    assert "row 5, column 'end': value '2024-06-01' is before the line's start" in msg and "end_inclusive=True" in msg
    # a credit larger than the month's charges
    credit = pd.concat([base, pd.DataFrame([("beta", "2025-06-01", "2025-07-01", "-2000", "EUR")],
                                           columns=base.columns)], ignore_index=True)
    msg = _bad(credit, currency="currency", rates=RATES)
    assert "customer 'beta' has a negative MRR in 2025-06" in msg and "row(s) 5, 8" in msg
    msg = _bad(base, currency="currency", rates={"USD": 1})
    assert "row 5, column 'currency': value 'EUR' is a currency with no rate" in msg and "--rate EUR=1.0" in msg
    assert "rate of EUR is 0" in _bad(base, currency="currency", rates={"USD": 1, "EUR": 0})
    assert "rate of EUR is -1.1" in _bad(base, currency="currency", rates={"USD": 1, "EUR": -1.1})
    table = pd.DataFrame({"month": [f"2025-{m:02d}" for m in range(1, 13)] * 2,
                          "currency": ["USD"] * 12 + ["EUR"] * 12, "rate": [1] * 12 + [1.1] * 11 + [1.2]})
    ok = nk.from_invoices(base, currency="currency", rates=table, basis="actual", as_of="2025-12")
    assert _by_month(ok).loc["2025-12", "beta"] == pytest.approx(500 * 1.2)  # December's own rate
    msg = _bad(base, currency="currency", rates=table.iloc[:-3], basis="actual", as_of="2025-12")
    assert "rates: no rate for EUR in 2025-10, 2025-11, 2025-12" in msg
    assert "are in 2 currencies (EUR, USD)" in _bad(base, currency="currency")
    mixed = base.assign(amount=["$12000", "$-1200", "$13200", "€6000", "$250", "$3600"]).drop(columns="currency")
    assert "row 5, column 'amount': value '€6000' uses the currency € while earlier rows use $" in _bad(mixed)
    msg = _bad(base.assign(end=base.end.where(base.index != 0, "")), currency="currency", rates=RATES)
    assert "row 2, column 'end': value '' is empty" in msg


def test_bad_subscription_quantities():
    export = pd.DataFrame({"customer_id": ["a", "b"], "quantity": [1, 0], "amount": [20, 30], "interval": ["month"] * 2,
                           "start": ["2025-01-01"] * 2, "end": ["", ""]})
    with pytest.raises(nk.DataError, match=r"row 1 \(index 0\), column 'quantity': value '-2' is not a quantity "
                                           r"\(0 or more seats\)"):
        nk.from_subscriptions(export.assign(quantity=[-2, 1]), as_of="2025-02")


def test_a_line_with_no_seats_pays_nothing_per_unit():
    # a per-seat plan whose customer removed every seat but kept the subscription (Stripe shows such
    # lines as active, quantity 0): 30 x 0 = 0 a month, and the load report says so
    export = pd.DataFrame({"customer_id": ["a", "b"], "quantity": [2, 0], "amount": [20, 30], "interval": ["month"] * 2,
                           "start": ["2025-01-01"] * 2, "end": ["", ""]})
    mrr = nk.from_subscriptions(export, amount_is="unit", as_of="2025-02")
    assert _by_month(mrr).loc["2025-02", "a"] == 40.0  # 20 x 2 seats
    assert "b" not in set(mrr[mrr.mrr > 0].customer_id)  # 30 x 0 seats: never paying
    report = str(nk.load_report(mrr))
    assert "1 line(s) have quantity 0, the first at row 2 (index 1): they pay nothing (unit price x 0)" in report
    # amounts given as line totals: the quantity does not change them, and the report says how they were read
    mrr = nk.from_subscriptions(export, amount_is="total", as_of="2025-02")
    assert _by_month(mrr).loc["2025-02", "b"] == 30.0
    assert "their amounts are read as line totals" in str(nk.load_report(mrr))


def test_monthly_rates_give_the_bridge_an_fx_line():
    # EUR is worth 1.00 USD in January 2025 and 0.01 more each month (1.14 in March 2026)
    months = [str(p) for p in pd.period_range("2025-01", "2026-03", freq="M")]
    rates = pd.concat([pd.DataFrame({"month": months, "currency": "EUR", "rate": [1 + 0.01 * i for i in range(15)]}),
                       pd.DataFrame({"month": months, "currency": "USD", "rate": 1.0})])
    t = nk.from_invoices(company(), currency="currency", rates=rates, basis="actual", as_of="2026-03")
    b = nk.bridge(t).assign(period=lambda d: d.period.dt.strftime("%Y-%m")).set_index("period")
    moves = b["new"] + b["reactivation"] + b["expansion"] - b["contraction"] - b["churn"]
    assert ((b["start_mrr"] + b["fx"] + moves - b["end_mrr"]).abs() < 1e-9).all()
    # February 2025: beta's EUR 500 is revalued from 1.00 to 1.01: fx = 5; nothing else moves
    assert b.loc["2025-02", "fx"] == pytest.approx(5) and moves["2025-02"] == pytest.approx(0)
    # January 2026: beta (EUR 500) leaves, valued at January's 1.12: churn 560 + acme's 900; fx on the opening
    # EUR 500 from 1.11 to 1.12 = 5
    assert b.loc["2026-01", "churn"] == pytest.approx(1460) and b.loc["2026-01", "fx"] == pytest.approx(5)
    q = nk.bridge(t, freq="Q").set_index("period_label")
    assert q.loc["2025-Q2", "fx"] == pytest.approx(15) and q.loc["2025-Q2", "end_mrr"] == pytest.approx(1725)
    assert q.loc["2025-Q2", "period"] == pd.Timestamp("2025-04-01")  # the quarter's first day
    # retention at constant rates (default) does not move with the rate; at actual rates it does
    r = nk.retention(t, window=1)
    assert r["nrr"].iloc[0] == pytest.approx(1.0) and "read at constant rates" in r.attrs["definition"].currency
    actual = nk.retention(t, window=1, currency_basis="actual")
    assert actual["nrr"].iloc[0] == pytest.approx(1405 / 1400)  # 900 + 505 over 900 + 500


def test_late_renewals_and_the_grace_on_real_looking_lines():
    # half the renewals of the sample company paid 5 to 44 days late: some miss a month end
    table = nk.datasets.load_sample()
    late = nk.datasets.to_invoices(table, seed=24, late_share=0.5, late_days=(5, 45))
    r = {}
    for grace in (0, 45):
        t = nk.from_invoices(late, currency="currency", rates=SAMPLE_RATES, as_of="2025-12", renewal_grace=grace)
        r[grace] = nk.retention(t).iloc[-1]
    truth = nk.retention(table).iloc[-1]
    # without grace a late renewal is churn then reactivation: GRR drops from 91.40% to 90.25%
    assert r[0]["grr"] == pytest.approx(0.9025, abs=5e-5) and truth["grr"] == pytest.approx(0.9140, abs=5e-5)
    # 45 days of grace bridge every gap: the figures of the MRR table come back
    assert r[45]["grr"] == pytest.approx(truth["grr"], abs=1e-6) and r[45]["nrr"] == pytest.approx(truth["nrr"], abs=1e-6)


def test_a_long_table_in_two_currencies_at_monthly_rates():
    raw = pd.DataFrame({"customer_id": ["a", "a", "b", "b"], "month": ["2025-01", "2025-02"] * 2,
                        "mrr": [100, 100, 200, 220], "Currency": ["usd", "usd", "EUR", "EUR"]})
    rates = pd.DataFrame({"month": ["2025-01", "2025-02"] * 2, "currency": ["USD", "USD", "EUR", "EUR"],
                          "rate": [1, 1, 1.0, 1.1]})
    t = nk.read_mrr(raw, currency="Currency", rates=rates, basis="actual")
    b = nk.bridge(t).set_index(nk.bridge(t).period.dt.strftime("%Y-%m"))
    # February: b's EUR 200 revalued from 1.0 to 1.1 (fx 20), then grows EUR 20 valued at 1.1 (expansion 22)
    assert b.loc["2025-02", "fx"] == pytest.approx(20) and b.loc["2025-02", "expansion"] == pytest.approx(22)
    assert b.loc["2025-02", "end_mrr"] == pytest.approx(100 + 242)
    constant = nk.retention(t, window=1)["nrr"].iloc[0]
    assert constant == pytest.approx((100 + 220 * 1.1) / (100 + 200 * 1.1))  # both months at February's rate


def test_what_an_analyst_met_on_an_erp_export(tmp_path):
    base = company()
    # a prepaid contract ending in 2099: without as_of the span stops at max_month, not in 2099
    future = pd.concat([base, pd.DataFrame([("delta", "2025-01-01", "2099-01-01", "740400", "USD")],
                                           columns=base.columns)], ignore_index=True)
    t = nk.from_invoices(future, currency="currency", rates=RATES, max_month="2026-03")
    assert nk.horizon(t)[1] == pd.Timestamp("2026-03-01")
    assert any("the lines run to 2099-01; the span ends at 2026-03 (max_month)" in n for n in nk.load_report(t).notes)
    # an ERP's same-day setup fee stays a one-time charge when ends are inclusive
    incl = base.assign(end=pd.to_datetime(base.end).sub(pd.Timedelta(days=1)).dt.strftime("%Y-%m-%d")
                       .where(base.start != base.end, base.end))
    a = nk.from_invoices(incl, currency="currency", rates=RATES, as_of="2026-03", end_inclusive=True)
    b = nk.from_invoices(base, currency="currency", rates=RATES, as_of="2026-03")
    assert a["mrr"].sum() == pytest.approx(b["mrr"].sum())
    # the symbol of the amounts and the currency named must agree
    with pytest.raises(nk.DataError, match=r"written with \$ but currency='EUR'"):
        nk.from_invoices(base.drop(columns="currency").assign(amount="$" + base.amount.str.lstrip("-")),
                         currency="EUR", as_of="2026-03")
    # with a currency column, symbols of several currencies are fine
    sym = base.assign(amount=["$12000", "-$1200", "$13200", "€6000", "$250", "$3600"])
    c = nk.from_invoices(sym, currency="currency", rates=RATES, as_of="2026-03")
    assert c["mrr"].sum() == pytest.approx(b["mrr"].sum())
    # two different rates for one currency and month
    rates = pd.DataFrame({"month": ["2025-01", "2025-01"], "currency": ["EUR", "EUR"], "rate": [1.1, 1.2]})
    rates.to_csv(tmp_path / "rates.csv", index=False)
    with pytest.raises(nk.DataError, match=r"rates.csv, row 3: a second rate for EUR in 2025-01 \(1.2, and 1.1 at row 2\)"):
        nk.from_invoices(base, currency="currency", rates=tmp_path / "rates.csv", basis="actual")
    # day.month.year dates with a layout; time zones noted
    de = base.assign(start=pd.to_datetime(base.start).dt.strftime("%d.%m.%Y"),
                     end=pd.to_datetime(base.end).dt.strftime("%d.%m.%Y"))
    d = nk.from_invoices(de, currency="currency", rates=RATES, as_of="2026-03", month_format="%d.%m.%Y")
    assert d["mrr"].sum() == pytest.approx(b["mrr"].sum())
    tz = base.assign(start=base.start + "T00:00:00+02:00")
    assert any("time-zone offset" in n for n in nk.load_report(
        nk.from_invoices(tz, currency="currency", rates=RATES, as_of="2026-03")).notes)


def test_paused_subscriptions_are_not_revenue_and_kept_statuses_are_listed():
    export = pd.DataFrame({"customer_id": ["a", "b", "c"], "status": ["active", "paused", "past_due"],
                           "amount": [10, 20, 30], "interval": ["month"] * 3, "start": ["2025-01-01"] * 3,
                           "end": [""] * 3})
    t = nk.from_subscriptions(export, as_of="2025-01")
    assert t["mrr"].sum() == 40  # a 10 + c 30; b is paused
    assert any(n.startswith("statuses counted as revenue: active 1, past_due 1") for n in nk.load_report(t).notes)


def test_the_rates_hint_names_every_currency_and_works_as_written():
    """The error for lines in several currencies names each of them, the most used at 1; the CLI flags
    it prints, with numbers in place of RATE, read the file (they used to leave a currency out)."""
    import re
    import shlex
    from pathlib import Path

    from nrrkit.cli import main

    path = Path(__file__).parent / "data" / "exports" / "stripe_subscriptions.csv"
    with pytest.raises(nk.DataError) as err:
        nk.read_mrr(path)
    msg = str(err.value)
    assert "the lines are in 3 currencies (EUR, GBP, USD)" in msg
    assert "rates={'USD': 1, 'EUR': RATE, 'GBP': RATE} (CLI: --rate USD=1 --rate EUR=RATE --rate GBP=RATE)" in msg
    flags = shlex.split(re.search(r"\(CLI: (.*)\)$", msg).group(1).replace("RATE", "1.1"))
    assert main(["metrics", str(path), *flags]) == 0
