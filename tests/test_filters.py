"""Row filters (where=, --where), flag columns, unused columns, currency keywords and the report's wording."""

from __future__ import annotations

import io
import json

import numpy as np
import pandas as pd
import pytest

import nrrkit as nk
from nrrkit import cli


def _invoices(n_months: int = 15) -> pd.DataFrame:
    """Monthly invoice lines of three customers in AUD, with a cancelled duplicate and an invalid invoice.

    Each line pays for one calendar month; its MRR is amount / (days / (365/12)).
    """
    rows = []
    starts = pd.date_range("2024-01-01", periods=n_months, freq="MS")
    for cust, country, amount, months in (("c1", "AU", 100.0, n_months), ("c2", "NZ", 300.0, n_months),
                                          ("c3", "AU", 50.0, 6)):
        for s in starts[:months]:
            rows.append({"invoiceId": len(rows) + 1, "customerId": cust, "country": country, "currency": "AUD",
                         "start": s.date().isoformat(), "end": (s + pd.offsets.MonthBegin()).date().isoformat(),
                         "amount": amount, "cancelled": 0, "validInvoice": 1})
    # a cancelled copy of c2's first invoice, and an invalid invoice for c3 in month 8 (after it left)
    rows.append({**rows[n_months], "invoiceId": len(rows) + 1, "cancelled": 1})
    rows.append({**rows[-2], "invoiceId": len(rows) + 1, "customerId": "c3", "country": "AU", "amount": 999.0,
                 "start": "2024-08-01", "end": "2024-09-01", "cancelled": 0, "validInvoice": 0})
    return pd.DataFrame(rows)


WHERE = "cancelled == 0 and validInvoice == 1"


@pytest.fixture
def invoices(tmp_path):
    path = tmp_path / "invoice_lines.csv"
    _invoices().to_csv(path, index=False)
    return path


def test_where_leaves_rows_out_and_says_how_much_money_they_held(invoices):
    t = nk.read_mrr(invoices, customer="customerId", amounts_in="AUD", where=WHERE, as_of="2025-03")
    rep = nk.load_report(t)
    (item,) = [x for x in rep.left_out if x["label"] == "where"]
    # the cancelled copy (300.00, row 38 = header + 15 + 15 + 6 lines + 1) and the invalid invoice (999.00, row 39)
    assert item["rows"] == 2 and "row(s) 38, 39" in item["what"] and "holding 1,299.00 in column 'amount'" in item["what"]
    assert rep.rows_read == 38  # every line of the file, the two left out included
    # the same table as reading a file from which the rows were removed by hand
    clean = _invoices().query(WHERE)
    u = nk.read_mrr(clean, customer="customerId", amounts_in="AUD", as_of="2025-03")
    assert np.allclose(t["mrr"], u["mrr"]) and len(t) == len(u)
    # January: c1 100 / (31 / (365/12)) + c2 300 / (31 / (365/12)) + c3 50 / (31 / (365/12))
    jan = t[t["month"].astype(str).str.startswith("2024-01")]["mrr"].sum()
    assert jan == pytest.approx(450 / (31 / (365 / 12)))
    card = nk.retention(t).attrs["definition"]
    assert card.filters.startswith("left out 2 row(s) by where='cancelled == 0 and validInvoice == 1'")
    assert not [w for w in rep.warnings if "flag" in w]  # the flags are used by the filter


def test_flag_columns_no_filter_uses_are_warnings(invoices):
    t = nk.read_mrr(invoices, customer="customerId", amounts_in="AUD", as_of="2025-03")
    rep = nk.load_report(t)
    flags = [w for w in rep.warnings if "looks like a flag" in w]
    assert len(flags) == 2
    assert "column 'cancelled' looks like a flag (1 row(s) say cancelled)" in flags[0]
    assert 'where="validInvoice == 1"' in flags[1] and '--where "validInvoice == 1"' in flags[1]
    # every column not used is listed
    assert rep.unused == ["invoiceId", "country", "currency", "cancelled", "validInvoice"]
    assert "columns not used: invoiceId, country, currency, cancelled, validInvoice" in str(rep)


def test_where_on_a_long_table_and_bad_where_is_one_line():
    raw = pd.DataFrame({"customer_id": ["a", "b", "c"], "month": ["2024-01"] * 3, "mrr": [10, 20, 30],
                        "Is Test": ["false", "true", "false"]})
    t = nk.read_mrr(raw, where="`Is Test` == False")
    assert t["mrr"].sum() == 40 and "holding 20.00 in column 'mrr'" in nk.load_report(t).left_out[0]["what"]
    with pytest.raises(nk.DataError, match=r"^DataFrame: where='mrr >' cannot be read .* backticks"):
        nk.read_mrr(raw, where="mrr >")
    with pytest.raises(nk.DataError, match="leaves out every row"):
        nk.read_mrr(raw, where="mrr > 100")


def test_pack_by_country_from_invoice_lines_in_one_command(invoices, tmp_path, capsys):
    out = tmp_path / "pack"
    code = cli.main(["pack", str(invoices), "-o", str(out), "--customer-col", "customerId", "--amounts-in", "AUD",
                     "--where", WHERE, "--by", "country", "--as-of", "2025-03", "-q"])
    text, err = capsys.readouterr()
    assert code == 0, err
    # 12-month NRR at 2025-03 against 2024-03: c1 and c2 pay the same monthly amounts (March has 31 days both
    # years), c3 left in 2024-06: NRR = (100 + 300) / (100 + 300 + 50) of the same day-weighted MRR
    assert "NRR 88.9%" in text
    notes = (out / "summary.html").read_text()
    assert "where=&#x27;cancelled == 0 and validInvoice == 1&#x27;" in notes or "cancelled == 0" in notes
    assert "NZ" in notes and "AU" in notes


def test_cli_by_keeps_the_column_and_keep_means_the_same_everywhere(invoices, capsys):
    code = cli.main(["metrics", str(invoices), "--customer-col", "customerId", "--amounts-in", "AUD", "--where",
                     WHERE, "--by", "country", "--as-of", "2025-03", "--format", "csv"])
    out, err = capsys.readouterr()
    assert code == 0, err
    r = pd.read_csv(io.StringIO(out))
    assert set(r["country"]) == {"AU", "NZ"}
    code = cli.main(["summary", str(invoices), "--customer-col", "customerId", "--amounts-in", "AUD", "--where",
                     WHERE, "--keep", "country", "--as-of", "2025-03", "--format", "json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert json.loads(out)["nrr"] == pytest.approx(400 / 450)


def test_currency_keywords_cannot_be_confused(tmp_path):
    lines = pd.DataFrame({"customer_id": ["a", "b"], "start": ["2024-01-01"] * 2, "end": ["2024-02-01"] * 2,
                          "AUD": [3747.5, 100.0], "currency": ["AUD", "EUR"]})
    # amounts_in: every amount is already in AUD; the currency column is not used (and the report says so)
    t = nk.read_mrr(lines, amount="AUD", amounts_in="AUD")
    assert nk.load_report(t).currency == "AUD" and "column 'currency' not used" in str(nk.load_report(t))
    # currency='AUD' names a column of numbers and is a code: both readings, and the keyword for each
    with pytest.raises(nk.DataError, match=r"currency='AUD' has two readings: the column 'AUD' \(it holds '3747.5'.*"
                                           r"amounts_in='AUD'.*currency='COLUMN'"):
        nk.read_mrr(lines, amount="AUD", currency="AUD")
    # a column of numbers is never read as currencies
    with pytest.raises(nk.DataError, match=r"column 'fx' holds '1.5', not a currency code"):
        nk.read_mrr(lines.assign(fx=[1.5, 2.0]), amount="AUD", currency="fx")
    with pytest.raises(nk.DataError, match=r"column 'currency' holds '1.5', not a currency code.*amounts_in='USD'"):
        nk.read_mrr(lines.assign(currency=[1.5, 2.0]), amount="AUD")
    # a code that is not a column, with no such column: every amount is in it
    t = nk.read_mrr(lines.drop(columns="currency"), amount="AUD", currency="NZD")
    assert nk.load_report(t).currency == "NZD"


def test_no_internal_text_in_a_report(tmp_path):
    frame = pd.DataFrame({"customer_id": ["a", "b"], "month": ["2024-01", "2024-02"], "mrr": [10, -5]},
                         index=np.array([7, 9], dtype=np.int64))
    with pytest.raises(nk.DataError) as err:
        nk.read_mrr(frame)
    assert "np.int64" not in str(err.value) and "(index 9)" in str(err.value)


def test_unused_columns_that_change_revenue_are_warnings():
    lines = pd.DataFrame({"customer_id": ["a"], "start": ["2024-01-01"], "end": [""], "amount": [10],
                          "interval": ["month"], "Seats Bought": [3], "notes": ["x"]})
    rep = nk.load_report(nk.read_mrr(lines, as_of="2024-02"))
    assert rep.unused == ["Seats Bought", "notes"]
    (w,) = rep.warnings
    assert w.startswith("column 'Seats Bought' is not used, and a column like it changes what a line pays")


def test_billing_that_stops_is_a_warning(tmp_path):
    rows = [{"customer_id": "a", "start": f"2024-{m:02d}-01", "end": f"2024-{m + 1:02d}-01", "amount": 100}
            for m in range(1, 6)]
    rows.append({"customer_id": "b", "start": "2024-05-01", "end": "2025-05-01", "amount": 1200})
    t = nk.read_mrr(pd.DataFrame(rows))
    (w,) = [w for w in nk.load_report(t).warnings if "billing seems to stop" in w]
    assert "no line starts after 2024-05 while the span runs to 2025-05" in w and "as_of='2024-05'" in w


def test_a_state_column_of_places_is_listed_but_not_a_warning():
    lines = pd.DataFrame({"customer_id": ["a", "b"], "start": ["2024-01-01"] * 2, "end": [""] * 2, "amount": [10, 20],
                          "interval": ["month"] * 2, "state": ["CA", "NY"], "invoice status": ["paid", "void"]})
    rep = nk.load_report(nk.read_mrr(lines, as_of="2024-02"))
    assert rep.unused == ["state", "invoice status"]
    # US states say nothing about revenue; an invoice status of paid and void does
    assert [w.split("'")[1] for w in rep.warnings] == ["invoice status"]
