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
        book = export._Book(fh)
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
    assert wb.sheetnames == ["Definitions", "Customer MRR", "Customer Segment", "MRR Bridge", "ARR Funnel",
                             "Retention", "Cohorts", "Benchmarks"]
    seg = {r[0]: r[1:] for r in wb["Customer Segment"].iter_rows(min_row=6, values_only=True)}
    assert seg[C][:2] == (None, None) and seg[C][2] == "SMB" and seg[C][12] == "Mid"  # 2024-03 SMB, 2025-01 Mid


@pytest.mark.parametrize("which", ["hand", "sample"])
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
    by = nk.retention(mrr, window=12, by="segment").assign(month=lambda f: f["month"].astype(str))
    seg = by.set_index(["month", "segment"])
    tot = r.assign(month=r["month"].astype(str)).set_index("month")
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
    assert [x[0] for x in rows] == b["period"].astype(str).tolist()
    got = np.array([x[2:9] for x in rows], dtype=float)
    want = b[["start_mrr", "new", "reactivation", "expansion", "contraction", "churn", "end_mrr"]].to_numpy()
    np.testing.assert_allclose(got, want, rtol=1e-12)
    # the funnel: 12 x the quarterly bridge
    q = nk.bridge(mrr, freq="Q").iloc[-8:]
    funnel = _rows(wb["ARR Funnel"])
    assert [x[0] for x in funnel] == q["period"].astype(str).tolist()
    np.testing.assert_allclose([x[9] for x in funnel], 12 * q["end_mrr"].to_numpy(), rtol=1e-12)
    np.testing.assert_allclose([x[6] + x[7] for x in funnel], 12 * (q["contraction"] + q["churn"]).to_numpy(),
                               rtol=1e-12)
    # the headline on the Definitions sheet links to the same figure
    defs = {x[0]: x[1] for x in wb["Definitions"].iter_rows(values_only=True) if x[0]}
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
    checks = {x[0]: x[1] for x in wb["Definitions"].iter_rows(values_only=True) if x[0]}
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
        assert got[0] == str(label)  # the index is a Period[Q]; the sheet writes its text
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
    assert not re.search(r"""(src|href)=["']?(https?:|//)""", page)
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
    assert n_files == 2 + 2 * len(export.CHARTS)
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


def test_pseudonyms_are_stable_when_months_are_added():
    mrr = nk.datasets.load_sample()
    early = mrr[mrr["month"] <= pd.Period("2024-12", "M")]
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
    assert sorted(p.name for p in parent.iterdir()) == sorted(["charts", export.WORKBOOK, "keep.txt", export.SUMMARY])
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
    defs = {x[0]: x[1] for x in _values(tmp_path / "p" / export.WORKBOOK)["Definitions"].iter_rows(values_only=True)
            if x[0]}
    assert defs["filters"].startswith("months after 2025-06 left out (as-of 2025-06): ")


# --------------------------------------------------------------------------- the command line


def test_cli_pack(tmp_path, capsys):
    src = tmp_path / "revenue.csv"
    raw = nk.datasets.load_sample()
    raw.assign(month=raw["month"].astype(str)).to_csv(src, index=False)
    code = main(["pack", str(src), "-o", str(tmp_path / "out"), "--by", "segment"])
    out, err = capsys.readouterr()
    assert code == 0
    assert "[1/6] checking the data and the folder" in err and "[6/6] writing 14 files" in err
    assert "  nrr-pack.xlsx" in out and "  charts/scenario.svg" in out
    assert "NRR 122.5% (" in out and "Great" in out
    code = main(["pack", str(src), "-o", str(tmp_path / "out"), "-q"])
    out, err = capsys.readouterr()
    assert code == 2 and err.count("\n") == 1 and "the folder is not empty" in err
    code = main(["pack", str(src), "-o", str(tmp_path / "x"), "--keep", "plan", "-q"])
    assert code == 2 and "(--keep with --anonymize)" in capsys.readouterr().err
    code = main(["pack", str(src), "-o", str(tmp_path / "anon"), "--by", "segment", "--anonymize", "--keep", "plan", "-q"])
    out = capsys.readouterr().out
    assert code == 0 and "--anonymize left out the attribute columns pricing, channel (keep one with" in out


def test_cli_pack_error_is_one_line(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "nrrkit", "pack", str(tmp_path / "missing.csv"), "-o",
                           str(tmp_path / "o")], capture_output=True, text=True)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
