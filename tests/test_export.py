"""The fundraising pack: the workbook recomputes, reconciles, keeps text as text; anonymising
leaves no id behind; nothing is written outside the folder; the summary page fetches nothing."""

from __future__ import annotations

import math
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

import nrrkit as nk
from nrrkit import export
from nrrkit.cli import main
from nrrkit.pack.workbook import Book

from .founder import founder_sheet
from .office import poison, recalculate

# --------------------------------------------------------------------------- a company small enough to do by hand
#
# 14 months, 2024-01 .. 2025-02.  Customer ids and two segment names are text a spreadsheet
# would run as a formula; the pack must keep them as text.
#   A  100 a month; 150 from 2025-01 (expansion +50)                         segment SMB
#   B  200 from 2024-01 to 2024-06, then 0 (churn of 200 in 2024-07)         segment "\t=cmd|' /C calc'!A0"
#   C  50 from 2024-03; 30 from 2024-10 (contraction 20)                     SMB, then "Mid" from 2025-01
#   D  80 in 2024-05..07; 0 in 2024-08..11 (churn 80); back at 60 in 2024-12 (reactivation)   "@SUM(1+1)"
#   E  40 from 2025-02 (new)                                                 SMB
#   F  a row of 0 in 2024-01 only: never pays, so no cohort and in no figure  SMB
A, B, C, D, E = '=HYPERLINK("http://evil.example","x")', "+1+2", "-3", "@SUM(1)", "=1+1"
SEG_B, SEG_D = "\t=cmd|' /C calc'!A0", "@SUM(1+1)"
MONTHS = [str(p) for p in pd.period_range("2024-01", "2025-02", freq="M")]


def _hand_company() -> pd.DataFrame:
    rows = []
    for m in MONTHS:
        rows.append((A, m, 150.0 if m >= "2025-01" else 100.0, "SMB"))
        rows.append((B, m, 200.0 if m <= "2024-06" else 0.0, SEG_B))
        if m >= "2024-03":
            rows.append((C, m, 50.0 if m < "2024-10" else 30.0, "SMB" if m < "2025-01" else "Mid"))
        if m >= "2024-05":
            rows.append((D, m, 80.0 if m <= "2024-07" else 60.0 if m >= "2024-12" else 0.0, SEG_D))
        if m >= "2025-02":
            rows.append((E, m, 40.0, "SMB"))
    rows.append(("F", "2024-01", 0.0, "SMB"))
    return nk.read_mrr(pd.DataFrame(rows, columns=["customer_id", "month", "mrr", "segment"]))


@pytest.fixture(scope="module")
def hand(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hand") / "pack"
    res = export.pack(_hand_company(), folder, by="segment", n_boot=200)
    return folder, res


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sample") / "pack"
    mrr = nk.datasets.load_sample()
    res = export.pack(mrr, folder, by="segment")
    return folder, res, mrr


def _values(path: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(path, data_only=True)


def _rows(ws, first: int = 5) -> list[tuple]:
    return [r for r in ws.iter_rows(min_row=first, values_only=True) if r[0] is not None]


# --------------------------------------------------------------------------- hand-computed figures


def test_hand_retention_row(hand):
    folder, res = hand
    ws = _values(folder / export.WORKBOOK)["Retention"]
    rows = _rows(ws)
    # Only end month 2025-02 has a 12-month window (base 2024-02: A 100 and B 200 paying).
    total = rows[0]
    assert total[:4] == ("2025Q1 to Feb", "2025-02", "2024-02", "All customers")
    # base customers 2, retained 1 (B churned); start 100 + 200 = 300; expansion A +50; churn B 200;
    # end 300 + 50 - 0 - 200 = 150; NRR 150/300; GRR (300 - 0 - 200)/300; logo 1/2
    assert total[4:11] == (2, 1, 300, 50, 0, 200, 150)
    assert total[11] == pytest.approx(0.5) and total[12] == pytest.approx(1 / 3) and total[13] == pytest.approx(0.5)
    assert (res.nrr, res.cells["nrr"]) == (pytest.approx(0.5), "Retention!L5")
    # segment rows, at the base month's segment: SMB = A (100 -> 150), B's segment = B (200 -> 0)
    seg = {r[3]: r for r in rows[1:]}
    assert set(seg) == {"SMB", SEG_B}
    assert seg["SMB"][4:12] == (1, 1, 100, 50, 0, 0, 150, pytest.approx(1.5))
    assert seg[SEG_B][4:12] == (1, 0, 200, 0, 0, 200, 0, 0)


def test_hand_bridge_and_funnel(hand):
    folder, _ = hand
    wb = _values(folder / export.WORKBOOK)
    bridge = {r[0]: r for r in _rows(wb["MRR Bridge"])}
    assert len(bridge) == 14  # fewer than 24 months: all of them
    # month, #, start, new, react, exp, contr, churn, end, net, ARR, cust start, new, react, churned, end, ref, diff
    assert bridge["2024-01"][2:9] == (0, 300, 0, 0, 0, 0, 300)  # first month: A + B new
    assert bridge["2024-07"][2:9] == (430, 0, 0, 0, 0, 200, 230)  # A100 B200 C50 D80; B churns
    assert bridge["2024-10"][2:9] == (150, 0, 0, 0, 20, 0, 130)  # C 50 -> 30
    assert bridge["2024-12"][2:9] == (130, 0, 60, 0, 0, 0, 190)  # D returns at 60
    # 2025-01: A 100 -> 150; 2025-02 starts at A150 + C30 + D60 = 240, E arrives with 40: 280, ARR 3,360;
    # customers 3 -> 4 with one new
    assert bridge["2025-01"][5] == 50
    assert bridge["2025-02"][2:16] == (240, 40, 0, 0, 0, 0, 280, 40, 3360, 3, 1, 0, 0, 4)
    funnel = {r[0]: r for r in _rows(wb["ARR Funnel"])}
    assert list(funnel) == ["2024Q1", "2024Q2", "2024Q3", "2024Q4"]  # 2025Q1 is not complete
    # 2024Q3: begins at 12 x 430 = 5160; churn 12 x (200 + 80) = 3360; ends at 12 x 150 = 1800
    q3 = funnel["2024Q3"]
    assert q3[1:10] == (5160, 0, 0, 0, 0, 0, 3360, -3360, 1800)
    assert q3[10] == pytest.approx(1800 / 5160 - 1)
    # 2024Q4: reactivation 12 x 60 = 720, contraction 12 x 20 = 240, ends at 12 x 190 = 2280
    assert funnel["2024Q4"][1:10] == (1800, 0, 720, 0, 720, 240, 0, 480, 2280)
    assert funnel["2024Q4"][11] is None  # no month 2023-12 for a year-on-year growth


def test_hand_cohorts(hand):
    folder, _ = hand
    ws = _values(folder / export.WORKBOOK)["Cohorts"]
    cells = list(ws.iter_rows(values_only=True))
    start = next(i for i, r in enumerate(cells) if r[0] == "Revenue retention (cohort MRR at the age / starting MRR)")
    q1 = cells[start + 2]
    # 2024Q1 = A, B, C; starting MRR 100 + 200 + 50 = 350; at 2024-03 350, 2024-06 350, 2024-09 150, 2024-12 130
    assert q1[0] == "2024Q1"
    assert q1[3:7] == pytest.approx((1.0, 1.0, 150 / 350, 130 / 350))
    q2 = cells[start + 3]  # 2024Q2 = D: 80, then 0 at 2024-09, then 60 at 2024-12
    assert q2[0] == "2024Q2" and q2[3:6] == pytest.approx((1.0, 0.0, 0.75))


def test_hand_pack_text_stays_text(hand):
    folder, _ = hand
    wb = openpyxl.load_workbook(folder / export.WORKBOOK)  # formulas, not values
    ids = {A, B, C, D, E}
    ws = wb["Customer MRR"]
    seen = {}
    for row in ws.iter_rows(min_row=6, max_col=4):
        seen[row[0].value] = row
    assert set(seen) == ids | {"F"}
    assert seen["F"][1].value.startswith('=IF(COUNTIF(') and seen[A][1].value.startswith('=IF(COUNTIF(')
    never = _values(folder / export.WORKBOOK)["Customer MRR"]
    assert [(r[0], r[1], r[2]) for r in never.iter_rows(min_row=6, max_col=3, values_only=True)
            if r[0] in ("F", A)] == [(A, 1, "2024-01"), ("F", None, None)]  # F never paid: no cohort
    for cid, row in ((k, v) for k, v in seen.items() if k != "F"):
        assert row[0].data_type == "s" and row[0].value == cid  # text, unchanged
    texts = ids | {SEG_B, SEG_D}
    hostile = [c for row in ws.iter_rows(min_row=6, max_col=4) for c in row if c.value in texts]
    assert {c.value for c in hostile} == texts and len(hostile) == 7  # 5 ids; B's and D's segments
    assert all(c.data_type == "s" and c.quotePrefix for c in hostile)  # text, with Excel's quote prefix
    # the segment labels of the Retention sheet, too
    labels = [r[3] for r in wb["Retention"].iter_rows(min_row=5, max_col=4) if r[3].value]
    assert any(c.value == SEG_B and c.data_type == "s" for c in labels)


def test_quoted_text_keeps_its_format(tmp_path):
    path = tmp_path / "q.xlsx"
    with open(path, "wb") as fh:
        book = Book(fh)
        ws = book.sheet("S")
        book.text(ws, 0, 0, "=title", "title")
        book.text(ws, 1, 0, "plain")
        book.wb.close()
    ws = openpyxl.load_workbook(path)["S"]
    assert (ws["A1"].value, ws["A1"].quotePrefix, ws["A1"].font.b, ws["A1"].font.sz) == ("=title", True, True, 14)
    assert (ws["A2"].value, ws["A2"].quotePrefix) == ("plain", False)


def test_hand_segment_changes_get_their_own_sheet(hand):
    folder, _ = hand
    wb = _values(folder / export.WORKBOOK)
    assert wb.sheetnames == ["Summary", "Customer MRR", "Customer Segment", "MRR Bridge", "ARR Funnel",
                             "Retention", "Cohorts", "Concentration", "Benchmarks", "Definitions"]
    seg = {r[0]: r[1:] for r in wb["Customer Segment"].iter_rows(min_row=6, values_only=True)}
    assert seg[C][:2] == (None, None) and seg[C][2] == "SMB" and seg[C][12] == "Mid"  # 2024-03 SMB, 2025-01 Mid


@pytest.fixture(scope="module")
def founder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("founder") / "pack"
    table = nk.from_wide(founder_sheet())
    res = export.pack(table, folder, by="segment", company="Fjordline Software", currency="EUR")
    return folder, res, table


@pytest.mark.parametrize("which", ["hand", "sample", "founder"])
def test_every_formula_recomputes_in_libreoffice(which, request, tmp_path):
    folder = request.getfixturevalue(which)[0]
    book = folder / export.WORKBOOK
    poisoned = tmp_path / export.WORKBOOK
    replaced = poison(book, poisoned)
    stored, formulas = _values(book), openpyxl.load_workbook(book)
    computed = _values(recalculate(poisoned, tmp_path))
    n, wrong = 0, []
    for ws in formulas.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.data_type != "f":
                    continue
                n += 1
                want, got = stored[ws.title][c.coordinate].value, computed[ws.title][c.coordinate].value
                if isinstance(want, (int, float)) and isinstance(got, (int, float)):
                    ok = math.isclose(want, got, rel_tol=1e-9, abs_tol=1e-6)
                else:
                    ok = (want or None) == (got or None)
                if not ok:
                    wrong.append(f"{ws.title}!{c.coordinate} {c.value[:70]}: stored {want!r}, LibreOffice {got!r}")
    assert n == replaced and n > (4000 if which == "sample" else 150)
    assert not wrong, "\n".join(wrong[:20])
    # the text that looks like a formula is still text after LibreOffice saved the file
    if which == "hand":
        ids = {r[0] for r in computed["Customer MRR"].iter_rows(min_row=6, values_only=True)}
        assert ids == {A, B, C, D, E, "F"}


# --------------------------------------------------------------------------- the sample company


def test_sample_stored_values_are_nrrkit_figures(sample):
    folder, res, mrr = sample
    wb = _values(folder / export.WORKBOOK)
    r = nk.retention(mrr, window=12)
    last = r.iloc[-1]
    ws = wb["Retention"]
    sheet, cell = res.cells["nrr"].split("!")
    assert ws[cell].value == pytest.approx(last["nrr"], rel=1e-12)
    row = int(cell[1:])
    assert ws[f"M{row}"].value == pytest.approx(last["grr"], rel=1e-12)
    assert ws[f"N{row}"].value == pytest.approx(last["logo_retention"], rel=1e-12)
    assert ws[f"G{row}"].value == pytest.approx(last["start_mrr"], rel=1e-12)
    # every quarter-end row matches nrrkit.retention, segments included
    by = nk.retention(mrr, window=12, by="segment").assign(month=lambda f: f["month"].dt.strftime("%Y-%m"))
    seg = by.set_index(["month", "segment"])
    tot = r.assign(month=r["month"].dt.strftime("%Y-%m")).set_index("month")
    checked = 0
    for x in _rows(ws):
        want = tot.loc[x[1]] if x[3] == "All customers" else seg.loc[(x[1], x[3])]
        assert x[4:11] == pytest.approx((want.customers_start, want.customers_retained, want.start_mrr,
                                         want.expansion, want.contraction, want.churn, want.end_mrr), rel=1e-12)
        assert x[11] == pytest.approx(want.nrr, rel=1e-12)
        checked += 1
    assert checked == 8 * 4  # 2024Q1..2025Q4, the total and three segments
    # the bridge sheet: the last 24 months of nrrkit.bridge
    b = nk.bridge(mrr).iloc[-24:]
    rows = _rows(wb["MRR Bridge"])
    assert [x[0] for x in rows] == b["period"].dt.strftime("%Y-%m").tolist()
    got = np.array([x[2:9] for x in rows], dtype=float)
    want = b[["start_mrr", "new", "reactivation", "expansion", "contraction", "churn", "end_mrr"]].to_numpy()
    np.testing.assert_allclose(got, want, rtol=1e-12)
    # the funnel: 12 x the quarterly bridge
    q = nk.bridge(mrr, freq="Q").iloc[-8:]
    funnel = _rows(wb["ARR Funnel"])
    assert [x[0] for x in funnel] == q["period"].dt.to_period("Q").astype(str).tolist()  # the sheet's 2024Q1
    np.testing.assert_allclose([x[9] for x in funnel], 12 * q["end_mrr"].to_numpy(), rtol=1e-12)
    np.testing.assert_allclose([x[6] + x[7] for x in funnel], 12 * (q["contraction"] + q["churn"]).to_numpy(),
                               rtol=1e-12)
    # the headline on the Definitions sheet links to the same figure
    defs = {x[0]: x[1] for x in wb["Summary"].iter_rows(values_only=True) if x[0]}
    assert defs["NRR (12-month cohort)"] == pytest.approx(last["nrr"], rel=1e-12)
    assert defs["ARR, 2025-12 (12 x MRR)"] == pytest.approx(12 * b["end_mrr"].iloc[-1], rel=1e-12)


def test_sample_bridge_sheet_reconciles(sample):
    folder, _, mrr = sample
    wb = _values(folder / export.WORKBOOK)
    rows = _rows(wb["MRR Bridge"])
    totals = {h: v for h, v in zip(next(wb["Customer MRR"].iter_rows(min_row=5, max_row=5, values_only=True)),
                                   next(wb["Customer MRR"].iter_rows(min_row=4, max_row=4, values_only=True)))}
    prev_end = None
    for (month, _, start, new, react, exp, contr, churn, end, net, arr, c0, cn, cr, cc, c1, ref, diff) in rows:
        assert end == pytest.approx(start + new + react + exp - contr - churn, abs=1e-6)
        assert net == pytest.approx(end - start, abs=1e-6)
        assert c1 == c0 + cn + cr - cc
        assert ref == pytest.approx(totals[month], rel=1e-12) and end == pytest.approx(ref, abs=1e-6)
        assert abs(diff) < 1e-6 and arr == pytest.approx(12 * end)
        if prev_end is not None:
            assert start == pytest.approx(prev_end)
        prev_end = end
    checks = {x[0]: x[1] for x in wb["Summary"].iter_rows(values_only=True) if x[0]}
    assert abs(checks["Bridge ending MRR vs Customer MRR"]) < 1e-6
    assert abs(checks["Retention ending MRR, two ways"]) < 1e-6


def test_sample_segments_recombine(sample):
    folder, _, _ = sample
    rows = _rows(_values(folder / export.WORKBOOK)["Retention"])
    for month in {x[1] for x in rows}:
        group = [x for x in rows if x[1] == month]
        total, segs = group[0], group[1:]
        assert total[3] == "All customers" and len(segs) == 3
        for k in range(4, 11):  # customers and every amount add up; the ratios are never averaged
            assert sum(s[k] for s in segs) == pytest.approx(total[k], rel=1e-12)


def test_sample_cohorts_and_layer_cake(sample):
    folder, _, mrr = sample
    ws = _values(folder / export.WORKBOOK)["Cohorts"]
    cells = list(ws.iter_rows(values_only=True))
    rev = nk.cohort_table(mrr, period="Q")
    start = next(i for i, r in enumerate(cells) if r[0] and r[0].startswith("Revenue retention"))
    for k, (label, row) in enumerate(rev.iterrows()):
        got = cells[start + 2 + k]
        assert got[0] == str(label.to_period("Q"))  # the index is the quarter's first day; the sheet writes 2024Q1
        want = row.to_numpy()
        assert [g if g is not None else np.nan for g in got[3:3 + len(want)]] == pytest.approx(want, nan_ok=True)
    curve = nk.cohort_curve(mrr, period="Q")
    weighted = cells[start + 2 + len(rev)]
    assert weighted[0] == "All cohorts (dollar-weighted)"
    assert weighted[3:3 + len(curve)] == pytest.approx(curve["value"].tolist(), rel=1e-12)
    cake = next(i for i, r in enumerate(cells) if r[0] == "MRR by cohort at each quarter end (the layer cake)")
    for r in cells[cake + 2:]:
        if r[0] is None:
            break
        filled = [v for v in r if isinstance(v, float | int)]
        total, ref, diff = filled[-3:]
        assert total == pytest.approx(ref, rel=1e-12) and abs(diff) < 1e-6


def test_sample_charts_and_html(sample):
    folder, res, _ = sample
    names = sorted(p.name for p in (folder / "charts").iterdir())
    assert names == sorted(f"{n}.{e}" for n in export.CHARTS for e in ("png", "svg"))
    for p in (folder / "charts").iterdir():
        data = p.read_bytes()
        assert len(data) > 10_000
        if p.suffix == ".svg":
            links = re.findall(rb"""href=["']([^"']{0,12})""", data) + re.findall(rb"url\(([^)]{0,12})", data)
            assert all(x.startswith((b"#", b"data:")) for x in links), links  # embedded images, local ids
    page = (folder / export.SUMMARY).read_text()
    assert page.count("data:image/svg+xml;base64,") == len(export.CHARTS)
    assert not re.search(r"""src=["']?(https?:|//)""", page)  # nothing is fetched
    # the only outside addresses are the sources' links, which a reader clicks
    outside = set(re.findall(r"""href=['"](https?://[^'"]+)""", page))
    assert outside == {s.link for s in nk.sources.SOURCES if s.link}
    assert f"{res.nrr * 100:.1f}%" in page and res.cells["nrr"] in page
    assert "default-src 'none'" in page  # the page itself forbids any fetch


def test_charts_are_deterministic(sample, tmp_path):
    folder, _, mrr = sample
    export.pack(mrr, tmp_path / "again", by="segment", n_boot=200)
    for name in export.CHARTS:
        assert (folder / "charts" / f"{name}.svg").read_bytes() == (tmp_path / "again" / "charts" / f"{name}.svg").read_bytes()


# --------------------------------------------------------------------------- anonymising


def test_anonymize_leaves_no_original_id(tmp_path):
    mrr = nk.datasets.load_sample()
    ids = mrr["customer_id"].astype(str)
    renamed = "acct-" + ids.str[1:] + "-northwind"  # ids that cannot collide with C0001-style pseudonyms
    raw = mrr.assign(customer_id=renamed, company_name="Company of " + renamed, owner="owner-" + renamed)
    table = nk.read_mrr(raw)
    plain = export.pack(table, tmp_path / "plain", by="segment", n_boot=200)
    anon = export.pack(table, tmp_path / "anon", by="segment", anonymize=True, keep=["plan"], n_boot=200)
    originals = set(renamed)
    pattern = re.compile("|".join(re.escape(i) for i in sorted(originals, key=len, reverse=True)).encode())
    n_files = 0
    for path in (tmp_path / "anon").rglob("*"):
        if path.is_dir():
            continue
        n_files += 1
        blobs = [path.read_bytes()]
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as z:
                blobs += [z.read(n) for n in z.namelist()]
        for blob in blobs:
            hit = pattern.search(blob)
            assert hit is None, f"{path.name} holds {hit.group()!r}"
            assert b"Company of" not in blob and b"owner-" not in blob  # free text dropped
    assert n_files == 3 + 2 * len(export.CHARTS)
    # the plain pack does hold the ids (so the search above can find them)
    with zipfile.ZipFile(tmp_path / "plain" / export.WORKBOOK) as z:
        assert any(pattern.search(z.read(n)) for n in z.namelist())
    # pseudonyms, in first-paying-month order; the kept column and the segment stay; figures unchanged
    wb = _values(tmp_path / "anon" / export.WORKBOOK)
    ws = wb["Customer MRR"]
    head = next(ws.iter_rows(min_row=5, max_row=5, values_only=True))
    assert head[:6] == ("Customer", "First paying month #", "Cohort (first paying month)", "segment", "plan", "2023-01")
    ids_out = [r[0] for r in ws.iter_rows(min_row=6, values_only=True)]
    assert ids_out[:3] == ["C0001", "C0002", "C0003"] and len(set(ids_out)) == 2000
    firsts = [r[1] for r in ws.iter_rows(min_row=6, values_only=True)]
    key = export.pseudonyms(table)
    assert sorted(ids_out) == sorted(key.tolist())
    assert firsts == sorted(firsts)  # rows are in pseudonym order, and C0001 is among the first to pay
    assert anon.dropped == ["pricing", "channel", "company_name", "owner"] and plain.dropped == []
    assert (anon.nrr, anon.grr) == pytest.approx((plain.nrr, plain.grr), rel=1e-12)  # same sums, other order
    assert anon.interval == plain.interval  # the bootstrap resamples amounts, never ids: not one digit moves


def test_pseudonyms_are_stable_when_months_are_added():
    mrr = nk.datasets.load_sample()
    early = mrr[mrr["month"] <= pd.Timestamp("2024-12-01")]
    before, after = export.pseudonyms(early), export.pseudonyms(mrr)
    assert (after.reindex(before.index) == before).all()


def test_anonymize_refuses_a_kept_column_of_ids():
    mrr = nk.datasets.load_sample()
    table = nk.read_mrr(mrr.assign(account=mrr["customer_id"].astype(str)))
    with pytest.raises(nk.DataError, match="column 'account' holds customer ids"):
        export.anonymize(table, keep=["account"])
    with pytest.raises(nk.DataError, match="cannot keep column 'nope'"):
        export.anonymize(table, keep=["nope"])


# --------------------------------------------------------------------------- the folder


def test_folder_rules(tmp_path):
    mrr = _hand_company()
    parent = tmp_path / "room"
    parent.mkdir()
    (parent / "keep.txt").write_text("mine")
    before = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(nk.DataError, match="the folder is not empty; choose a new folder or pass --force"):
        export.pack(mrr, parent, n_boot=200)
    assert sorted(p.name for p in parent.iterdir()) == ["keep.txt"]  # nothing written
    export.pack(mrr, parent, by="segment", force=True, n_boot=200)
    assert (parent / "keep.txt").read_text() == "mine" and (parent / "charts" / "segment-nrr.svg").exists()
    export.pack(mrr, parent, force=True, n_boot=200)  # no --by: the old segment chart must not linger
    assert not (parent / "charts" / "segment-nrr.svg").exists()
    assert sorted(p.name for p in parent.iterdir()) == sorted(["charts", export.WORKBOOK, "keep.txt", export.SUMMARY,
                                                               export.PDF])
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # nothing beside the folder
    with pytest.raises(nk.DataError, match="exists and is not a folder"):
        export.pack(mrr, parent / "keep.txt", n_boot=200)


def test_folder_refuses_links(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    room = tmp_path / "room"
    room.mkdir()
    (room / "charts").symlink_to(outside, target_is_directory=True)
    with pytest.raises(nk.DataError, match="is a link or a file"):
        export.pack(_hand_company(), room, force=True, n_boot=200)
    (room / "charts").unlink()
    (room / export.SUMMARY).symlink_to(outside / "page.html")
    with pytest.raises(nk.DataError, match="is a link; remove it"):
        export.pack(_hand_company(), room, force=True, n_boot=200)
    assert list(outside.iterdir()) == []


def test_pack_refuses_short_data_and_bad_as_of(tmp_path):
    with pytest.raises(nk.DataError, match=r"covers 4 month\(s\), 2024-01 to 2024-04; .* at least 13"):
        export.pack(nk.datasets.load_tiny(), tmp_path / "p")
    with pytest.raises(nk.DataError, match="as-of month 2026-01 is outside the data"):
        export.pack(_hand_company(), tmp_path / "p", as_of="2026-01")
    assert not (tmp_path / "p").exists()


def test_as_of_cuts_the_data_and_says_so(tmp_path):
    mrr = nk.datasets.load_sample()
    res = export.pack(mrr, tmp_path / "p", as_of="2025-06", n_boot=200)
    want = nk.retention(nk.through(mrr, "2025-06"), window=12).iloc[-1]
    assert res.as_of == "2025-06" and res.nrr == pytest.approx(want["nrr"], rel=1e-12)
    defs = {x[0]: x[1] for x in _values(tmp_path / "p" / export.WORKBOOK)["Summary"].iter_rows(values_only=True)
            if x[0]}
    assert defs["filters"].startswith("months after 2025-06 left out (as-of 2025-06): ")


# --------------------------------------------------------------------------- the command line


def test_cli_pack(tmp_path, capsys):
    src = tmp_path / "revenue.csv"
    raw = nk.datasets.load_sample()
    raw.assign(month=raw["month"].dt.strftime("%Y-%m")).to_csv(src, index=False)
    code = main(["pack", str(src), "-o", str(tmp_path / "out"), "--by", "segment"])
    out, err = capsys.readouterr()
    assert code == 0
    assert "[1/7] checking the data and the folder" in err and "[7/7] writing 15 files" in err
    assert "  nrr-pack.xlsx" in out and "  charts/scenario.svg" in out
    assert "NRR 122.5% (" in out and "Great" in out  # 400+ base customers, GRR 91.4%: the level is shown
    code = main(["pack", str(src), "-o", str(tmp_path / "out"), "-q"])
    out, err = capsys.readouterr()
    assert code == 2 and err.count("\n") == 1 and "the folder is not empty" in err
    # without --anonymize, --keep is the reader's: a subscriptions export carries its segment column into the pack
    subs = Path(__file__).resolve().parents[1] / "data" / "sample_subscriptions.csv"
    code = main(["pack", str(subs), "-o", str(tmp_path / "x"), "--keep", "segment", "--by", "segment", "-q"])
    out = capsys.readouterr().out
    assert code == 0 and "NRR 122.5% (" in out
    assert "SMB" in (tmp_path / "x" / "summary.html").read_text()
    code = main(["pack", str(src), "-o", str(tmp_path / "anon"), "--by", "segment", "--anonymize", "--keep", "plan", "-q"])
    out = capsys.readouterr().out
    assert code == 0 and "--anonymize left out the attribute columns pricing, channel (keep one with" in out


def test_cli_pack_error_is_one_line(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "nrrkit", "pack", str(tmp_path / "missing.csv"), "-o",
                           str(tmp_path / "o")], capture_output=True, text=True)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr


# --------------------------------------------------------------------------- a founder's small sheet (tests/founder.py)


def _strings(path: Path) -> str:
    """Every text of a workbook (shared strings and inline strings), as one string."""
    with zipfile.ZipFile(path) as z:
        return "\n".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))


def test_founder_headline_caution_and_segments(founder):
    folder, res, _ = founder
    # by hand (tests/founder.py): start 10,000, end 12,510, contraction 290, churn 3,750, 9 of 13 kept
    assert res.nrr == pytest.approx(1.251) and res.grr == pytest.approx(0.596)
    assert res.logo_retention == pytest.approx(9 / 13)
    assert res.level == "Excellent"
    low, high = res.interval
    assert high - low > 0.20  # 13 customers cannot pin NRR to 20 points
    assert res.caution == (f"small sample: 13 base customers (under 30); the 90% interval spans "
                           f"{(high - low) * 100:.0f} points (over 20)")
    wb = _values(folder / export.WORKBOOK)
    rows = _rows(wb["Retention"])
    total = rows[0]
    # the level the NRR alone would have is withheld in the workbook as on the page: 13 customers, GRR 59.6%
    assert total[3] == "All customers" and total[16] == "withheld (Excellent by NRR)"
    assert total[17] == "; ".join(res.level_reasons) and total[17].startswith(res.caution)
    segs = {r[3]: r for r in rows[1:]}
    # the blank segment cell is "(no segment)" (as on the command line), never an empty label; every segment
    # is under 30: shown, not rated
    assert set(segs) == {"(no segment)", "Enterprise", "Mid-Market", "SMB"}
    assert {r[16] for r in segs.values()} == {"not rated"}
    assert segs["Enterprise"][4:12] == (3, 2, 6000, 5500, 0, 2500, 9000, pytest.approx(1.5))  # Acme, Birch; Lumen
    page = (folder / export.SUMMARY).read_text()
    assert res.caution in page and "(no segment)" in page and "not rated" in page and "(missing)" not in page
    # GRR 59.6% and 13 base customers: the level is withheld, with both reasons, everywhere
    assert not res.level_shown and len(res.level_reasons) == 2 and "GRR 59.6% is under 85%" in res.level_reasons[1]
    assert "Withheld" in page and "the NRR&#x27;s level (Excellent) is withheld" in page
    bench = [r for r in wb["Benchmarks"].iter_rows(min_row=5, values_only=True) if r[0]]
    assert [r[5] for r in bench if r[0] == "Enterprise NRR"] == ["not rated"]
    assert not any(r[0].startswith("Enterprise") and "segment" in str(r[2]) for r in bench)  # no segment rating
    # benchmark tables by their titles, never their keys; the amounts are in EUR: the ACV is not compared with
    # the US-dollar bands (no rate given)
    assert not any(str(r[2]).startswith(("saas_capital", "bessemer_")) for r in bench)
    acv = next(r for r in bench if str(r[0]).startswith("Average ACV"))
    assert acv[5] == "not compared" and "in EUR and the ACV bands in US dollars" in acv[7]


def test_founder_concentration_by_hand(founder):
    folder, res, table = founder
    wb = _values(folder / export.WORKBOOK)
    ws = wb["Concentration"]
    got: dict = {}
    for r in ws.iter_rows(min_row=4, values_only=True):
        if r[1]:
            got.setdefault(r[1], r)  # a customer's first row: the expanders' table comes first
    # expanders: Acme +4,000, Birch +1,500, Juno +900, Gale +150 (tests/founder.py)
    assert [got[n][4] for n in ("Acme", "Birch", "Juno", "Gale")] == [4000, 1500, 900, 150]
    # without Acme: (12,510 - 6,000) / (10,000 - 2,000) = 81.375%; its share of expansion 4,000 / 6,550
    assert got["NRR without the top 1 expander"][2] == pytest.approx(6510 / 8000)
    assert got["NRR without the top 1 expander"][3] == pytest.approx(4000 / 6550)
    # without all four: (12,510 - 11,150) / (10,000 - 4,600) = 25.19%
    assert got["NRR without all 4 expanders"][2] == pytest.approx(1360 / 5400)
    # nrrkit.concentration agrees
    c = nk.concentration(table).set_index("removed")
    assert c.loc[1, "nrr"] == pytest.approx(6510 / 8000)
    # top 10 customers of 2025-12: 6,000 + 3,500 + 3,000 + 1,800 + 1,200 + 500 + 400 + 400 + 350 + 300 = 17,450
    # of 18,110
    assert got["Top 10 customers' share of MRR"][3] == pytest.approx(17450 / 18110)
    assert res.cells["top10_share"].startswith("Concentration!D")


def test_founder_scenario_is_flagged_and_not_a_ramp(founder):
    folder, _, table = founder
    from nrrkit.scenarios import calibrate

    s = calibrate(table)
    # 15 months of history: the rate (new MRR 5,600 / MRR of 2024-12, 10,000 = 56%) is not compounded; the new
    # ARR of 2025 (12 x 5,600 = 67,200) is held flat
    assert s.history_months == 15 and s.new_rate == pytest.approx(0.56)
    assert s.new_mode == "amount" and s.new_arr == pytest.approx(67200) and s.new_basis == "measured"
    assert s.flags[0].startswith("only 15 months of data (2024-10 to 2025-12), under 24")
    p = s.project()
    assert p["new_arr"].tolist() == pytest.approx([67200] * 5)
    assert p["end_arr"].iloc[0] == pytest.approx(12 * 18110 * 1.251 + 67200)
    page = (folder / export.SUMMARY).read_text()
    assert "only 15 months of data (2024-10 to 2025-12), under 24" in page and "held flat" in page
    # a founder's own figure: stated as set, in the legend's words too
    set_by = calibrate(table, new_rate=0.3)
    assert set_by.assumption() == {"new_rate": 0.3} and set_by.new_basis == "set"
    from nrrkit.scenarios import describe_new_business

    assert describe_new_business(set_by).endswith("(set by the founder)")
    assert calibrate(table, new_arr=50_000).project()["new_arr"].tolist() == [50_000] * 5


def test_founder_company_and_currency_everywhere(founder):
    folder, _, _ = founder
    page = (folder / export.SUMMARY).read_text()
    assert "<title>Fjordline Software: net revenue retention, 2025-12</title>" in page
    assert "<h1>Fjordline Software: net revenue retention</h1>" in page
    assert "€10,000.00" in page and "€12,510.00" in page  # the NRR bridge, in euros
    wb = openpyxl.load_workbook(folder / export.WORKBOOK)
    assert wb.properties.title == "Fjordline Software: NRR pack"
    assert wb["Summary"]["A1"].value == "Fjordline Software: NRR pack, as of 2025-12"
    money = wb["MRR Bridge"]["C6"]
    assert "€" in money.number_format  # every amount cell shows the currency
    pdf = (folder / export.PDF).read_bytes()
    assert pdf.startswith(b"%PDF")


def test_pdf_pages_fit_a4_and_letter(founder, sample):
    for folder in (founder[0], sample[0]):
        data = (folder / export.PDF).read_bytes()
        # three pages (/Pages is the tree, not a page): summary; definitions and sources; the scenario
        assert len(re.findall(rb"/Type\s*/Page\b", data)) == 3
        for found in re.finditer(rb"/MediaBox\s*\[\s*([\d.\s]+)\]", data):
            box = [float(x) for x in found.group(1).split()]
            width, height = (box[2] - box[0]) / 72, (box[3] - box[1]) / 72
            assert width <= 8.27 + 1e-6 and height <= 11.0 + 1e-6  # A4 8.27 x 11.69 in, Letter 8.5 x 11 in
            assert width > 8 and height > 10.9  # and it uses the page


def _pack_figures(which: str):
    from nrrkit.pack.figures import Figures

    if which == "sample":
        return Figures(nk.datasets.load_sample(), "segment", 200, False, company="Northwind Analytics",
                       currency="USD")
    if which == "founder":
        return Figures(nk.from_wide(founder_sheet()), "segment", 200, False, company="Fjordline Software")
    if which == "small":
        from .founder import small_company_sheet

        return Figures(nk.from_wide(small_company_sheet()), "segment", 200, False, company="Small Co",
                       currency="USD")
    # fourteen segments with long names, a long company name, a currency code written out
    mrr = nk.datasets.load_sample()
    names = ["Public sector and government agencies", "Healthcare providers (EU)", "Retail", "Fintech start-ups",
             "Manufacturing", "Education", "Media & publishing", "Logistics", "Energy", "Non-profit", "Legal",
             "Hospitality", "Agriculture", "Telecom"]
    number = mrr["customer_id"].astype(str).str[1:].astype(int)
    table = nk.read_mrr(mrr.assign(industry=[names[i % len(names)] for i in number]))
    return Figures(table, "industry", 200, False, company="A very long company name that goes on, Incorporated",
                   currency="CHF")


@pytest.mark.parametrize("which", ["sample", "founder", "small", "crowded"])
def test_no_text_overlaps_on_any_chart_or_the_page(which):
    from nrrkit.pack import charts, pdf

    fig = _pack_figures(which)
    names = charts.available(fig)
    assert names == list(export.CHARTS)
    for name in names:
        assert charts.overlaps(charts.figure(fig, name)) == [], name
    for page in range(1, pdf.PAGES + 1):
        assert charts.overlaps(pdf.page_figure(fig, "revenue.csv", page)) == [], page


def test_overlap_check_sees_an_overlap():
    from matplotlib.figure import Figure

    from nrrkit.pack import charts

    f = Figure(figsize=(4, 3))
    ax = f.subplots()
    ax.bar([0, 1], [1, 1])
    ax.text(0.1, 0.5, "AAAA", transform=ax.transAxes)
    ax.text(0.12, 0.5, "BBBB", transform=ax.transAxes)
    ax.text(0.97, 0.2, "a text running off the image", transform=ax.transAxes)
    ax.legend(["bars"], loc="center")
    hits = charts.overlaps(f)
    assert ("AAAA", "BBBB") in hits and ("a text running off the image", "the edge of the image") in hits
    assert ("legend", "a bar") in hits


def test_chart_details_sizes_thin_months_and_assumption():
    from nrrkit.pack import charts

    fig = _pack_figures("founder")
    heat = charts.figure(fig, "cohort-heatmap").axes[0]
    labels = [t.get_text() for t in heat.get_yticklabels()]
    assert labels[0] == "2024Q4 (n=13)" and "2025Q2 (n=2)" in labels  # cohort sizes on the heatmap
    # end months 2025-10 and 2025-11 have bases of 4 and 8 customers: not drawn; 2025-12 (13) is
    assert pd.to_datetime(fig.trend["month"].astype(str)).dt.strftime("%Y-%m").tolist() == ["2025-12"]
    assert fig.trend_dropped == 2
    # one end month of 12 drawn: the chart says so in the caution colour
    trend = charts.figure(fig, "nrr-grr-trend").axes[0]
    caution = [t for t in trend.texts if t.get_text().startswith("Caution")]
    assert caution[0].get_text() == ("Caution: only 1 end month of 12 (2 with a base under 10 customers not drawn): "
                                     "too few points to read a trend")
    assert fig.trend_note in caution[0].get_text()
    legend = [t.get_text().replace("\n", " ") for t in charts.figure(fig, "scenario").legends[0].get_texts()]
    # the default path: new ARR of 2025 held flat (no currency stated: plain numbers), NRR fading to 100% (no
    # benchmark band without a currency)
    assert legend[0].startswith("default: NRR 125.1% (measured, 12 months to 2025-12) fading to 100% by year 5")
    assert legend[0].endswith("new ARR 67.2K a year, held flat (measured: new ARR won 2025-01 to 2025-12)")
    assert legend[1].startswith("not the default: the measured rates compounded")


def test_signals_from_tiny_bases_are_suppressed_and_counted():
    fig = _pack_figures("founder")
    every = nk.signals(nk.from_wide(founder_sheet()), last=12)
    assert fig.signals_suppressed == len(every) - len(fig.signals) > 0
    assert len(fig.signal_groups) <= len(fig.signals)


def test_no_file_name_or_path_of_ours_anywhere(founder, sample):
    from nrrkit.pack import pdf

    leak = re.compile(r"(?<![\d,.])001(?![\d,.])|001_|SPEC|shared/|seeds|\.txt\b")  # "4,001,591.70" is a number
    for folder in (founder[0], sample[0]):
        page = re.sub(r"data:image/svg\+xml;base64,[^']*", "", (folder / export.SUMMARY).read_text())
        for text in (page, _strings(folder / export.WORKBOOK)):
            assert not leak.search(text), leak.search(text)
    fig = _pack_figures("founder")
    words = " ".join(t.get_text() for k in range(1, pdf.PAGES + 1)
                     for t in pdf.page_figure(fig, "revenue.csv", k).findobj(lambda a: hasattr(a, "get_text")))
    assert not leak.search(words)
    assert "Sarah Mitchell" in words and "Net Revenue Retention: The Holy Grail Metric" in words
    # no internal key and no repository path anywhere a user looks
    internal = re.compile(r"saas_capital_2023|bessemer_2019|docs/definitions|nrrkit repository|\(missing\)")
    for folder in (founder[0], sample[0]):
        page = re.sub(r"data:image/svg\+xml;base64,[^']*", "", (folder / export.SUMMARY).read_text())
        for text in (page, _strings(folder / export.WORKBOOK), words):
            assert not internal.search(text), internal.search(text)
    assert "-inf" not in _strings(sample[0] / export.WORKBOOK)


def test_check_cells_show_zero_within_a_cent(sample):
    from nrrkit.pack.text import Currency, pct

    assert Currency("USD", None).full(-4.5e-13) == "$0.00" and Currency(None, None).short(-4.5e-13) == "0"
    assert pct(-1e-15) == "0.0%" and Currency("CHF", None).short(-1234.0) == "-CHF 1.2K"
    # in a table column the decimal stays, so 168.0M lines up under 146.3M
    assert Currency("USD", None).short(168e6, column=True) == "$168.0M" and Currency("USD", None).short(168e6) == "$168M"
    wb = openpyxl.load_workbook(sample[0] / export.WORKBOOK)
    checks = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row
              if isinstance(c.value, str) and c.value.startswith("=ROUND(")]
    assert len(checks) > 24
    values = _values(sample[0] / export.WORKBOOK)
    assert all(values[c.parent.title][c.coordinate].value == 0 for c in checks)
    assert {c.number_format for c in checks} == {"0.00"}


def test_cli_pack_company_currency_and_new_rate(tmp_path, capsys):
    src = tmp_path / "sheet.csv"
    founder_sheet().to_csv(src, index=False)
    code = main(["pack", str(src), "--shape", "wide", "-o", str(tmp_path / "out"), "--by", "segment", "-q",
                 "--company", "Fjordline Software", "--currency", "EUR", "--new-rate", "0.25"])
    out = capsys.readouterr().out
    assert code == 0 and "small sample: 13 base customers" in out and "summary.pdf" in out
    page = (tmp_path / "out" / export.SUMMARY).read_text()
    assert "new business 25.0% of ARR a year (set by the founder)" in page
    code = main(["pack", str(src), "--shape", "wide", "-o", str(tmp_path / "o2"), "-q", "--new-rate", "-1"])
    assert code == 2 and "new_rate is -1.0" in capsys.readouterr().err


def _schedule(schedule: dict[str, list[float]]) -> pd.DataFrame:
    rows = [(c, str(pd.Period("2024-01", "M") + i), v) for c, vals in schedule.items() for i, v in enumerate(vals)
            if v > 0]
    return nk.read_mrr(pd.DataFrame(rows, columns=["customer_id", "month", "mrr"]))


def test_pack_refuses_an_empty_base_month(tmp_path):
    # z pays in 2024-01 only, a from 2024-03: nobody pays in 2024-02, the base month of 2025-02
    mrr = _schedule({"z": [10], "a": [0, 0] + [100] * 12})
    with pytest.raises(nk.DataError, match=r"no customer pays in 2024-02, 12 months before 2025-02"):
        export.pack(mrr, tmp_path / "p", n_boot=200)
    assert not (tmp_path / "p").exists()


def test_scenario_chart_when_both_lines_end_together():
    from nrrkit.pack import charts
    from nrrkit.pack.figures import Figures

    # NRR exactly 100%: the scenario and the NRR-100% line are the same line; one end label, no overlap
    fig = Figures(_schedule({"a": [100] * 14, "b": [50] * 14}), None, 200, False)
    f = charts.figure(fig, "scenario")
    assert charts.overlaps(f) == []
    ends = [t.get_text() for t in f.axes[0].texts if t.get_text() and not t.get_text().startswith("Caution")]
    assert ends == ["1.8K"]  # 12 x 150 = 1,800 of ARR, no new business: flat for five years


# --------------------------------------------------------------------------- the pack an investor receives


@pytest.fixture(scope="module")
def small_pack(tmp_path_factory):
    from .founder import small_company_sheet

    tmp = tmp_path_factory.mktemp("small")
    src = tmp / "small.csv"
    small_company_sheet().to_csv(src, index=False)
    return tmp, src


def test_small_company_pack_from_the_command_line(small_pack, capsys):
    tmp, src = small_pack
    code = main(["pack", str(src), "-o", str(tmp / "pack"), "--by", "segment", "--currency", "USD", "-q",
                 "--company", "Small Co"])
    out = capsys.readouterr().out
    assert code == 0 and "level withheld (small sample: 13 base customers" in out
    page = (tmp / "pack" / export.SUMMARY).read_text()
    assert "21 customers paying in 2025-12; base cohort 13 customers paying in 2024-12; 29 have paid" in page
    assert "Withheld" in page and "(no segment)" in page and "No flag" not in page
    # the checks: each with its status; the two the data cannot support say "not run" and why
    assert page.count("<td>not run</td>") == 2 and "needs 25 months of data" in page
    assert "fading to 102% by year 5 (SaaS Capital 2023 median for ACV $12-25k)" in page
    assert "new ARR $160.8K a year, held flat" in page
    # the definitions are inside the pack, and the sources carry their links
    assert "<h2 id=\"definitions\">Definitions</h2>" in page and "GRR (gross revenue retention)" in page
    assert "https://www.sec.gov/Archives/edgar/data/1640147/000164014723000030/" in page
    # nrrkit summary carries the same rule and caution
    code = main(["summary", str(src)])
    out = capsys.readouterr().out
    assert "assessment      withheld (Excellent by NRR alone): small sample: 13 base customers" in out
    assert "caution         small sample: 13 base customers (under 30)" in out
    # and the command line names a blank segment as the pack does
    code = main(["segments", str(src), "--by", "segment"])
    assert code == 0 and "(no segment)" in capsys.readouterr().out


def test_small_company_workbook_prints(small_pack):
    from .office import pdf_pages, to_pdf

    tmp, src = small_pack
    book = tmp / "print" / export.WORKBOOK
    assert main(["pack", str(src), "-o", str(tmp / "print"), "--by", "segment", "--currency", "USD", "-q"]) == 0
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames[0] == "Summary" and wb.sheetnames[-1] == "Definitions"
    for ws in wb.worksheets:
        # one page wide, as tall as it needs; landscape when wider than a portrait page
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth in (None, 1), ws.title  # 1 is
        # the default of the file format
        assert ws.page_setup.fitToHeight == 0, ws.title
        width = sum((ws.column_dimensions[c].width or 8.43) for c in ws.column_dimensions)
        if width > 110:
            assert ws.page_setup.orientation == "landscape", ws.title
        merged = {c for r in ws.merged_cells.ranges for row in ws[r.coord] for c in (x.coordinate for x in row)}
        last = ws.max_column
        for row in ws.iter_rows():
            for k, cell in enumerate(row):
                if not isinstance(cell.value, str) or cell.value.startswith("=") or cell.alignment.wrap_text \
                        or cell.coordinate in merged:
                    continue
                # text longer than its column wraps, spans merged columns, or runs into empty cells of the
                # printed width: never cut at the edge of a cell or of the page
                room = 0.0
                for nxt in row[k:last]:
                    if nxt is not cell and nxt.value not in (None, ""):
                        break
                    room += ws.column_dimensions[nxt.column_letter].width or 8.43
                assert len(cell.value) <= room * 1.1, (ws.title, cell.coordinate, cell.value[:40])
    titles = {ws.title: ws.print_title_rows for ws in wb.worksheets}
    assert titles["Customer MRR"] == "$5:$5" and titles["MRR Bridge"] == "$4:$4" and titles["Retention"] == "$4:$4"
    # method notes in plain words: no function of nrrkit is named anywhere a reader looks
    words = _strings(book)
    assert not re.search(r"nrrkit\.|cohort_table|compare_to_benchmarks|nrr_interval|assess\(|bridge\(", words)
    # LibreOffice prints it on a handful of pages (it was 52 with text cut off)
    pages = pdf_pages(to_pdf(book, tmp))
    assert 8 <= pages <= 16
