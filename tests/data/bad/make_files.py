"""Write the bad-input corpus (run from the repository root: python tests/data/bad/make_files.py).

Each file holds one kind of bad (or awkward) input; tests/test_bad_inputs.py says
the message each must give, or the normalisation it gets.
"""

from pathlib import Path

import openpyxl
import pandas as pd

here = Path(__file__).resolve().parent
H = "customer_id,month,mrr\n"
texts = {
    "text_in_mrr.csv": H + "acme,2024-01,100\nacme,2024-02,abc\n",
    "negative_mrr.csv": H + "acme,2024-01,100\nbeta,2024-01,-50\n",
    "european_decimals.csv": H + 'acme,2024-01,"1.200,50"\n',
    "european_semicolon.csv": "customer_id;month;mrr\nacme;2024-01;1.200,50\nbeta;2024-01;99,90\n",
    "currency_symbols.csv": H + 'acme,2024-01,"$1,200.50"\nbeta,2024-01,$80\ngamma,2024-01,"1,000"\n',
    "mixed_currency.csv": H + "acme,2024-01,$100\nbeta,2024-01,€100\n",
    "bad_month.csv": H + "acme,2024-01,100\nacme,2024-13,100\n",
    "not_a_date.csv": H + "acme,2024-02-30,100\n",
    "ambiguous_month.csv": H + "acme,01/02/2024,100\nacme,01/03/2024,100\n",
    "two_digit_year.csv": H + "acme,01/24,100\n",
    "blank_id.csv": H + "acme,2024-01,100\n   ,2024-01,100\n",
    "missing_column.csv": "customer_id,month,revenue\nacme,2024-01,100\n",
    "empty.csv": "",
    "header_only.csv": H,
    "semicolon.csv": "customer_id;month;mrr\nacme;2024-01;100\nbeta;2024-01;50.5\n",
    "duplicate_header.csv": "customer_id,month,mrr,mrr\nacme,2024-01,100,200\n",
    "nan_mrr.csv": H + "acme,2024-01,100\nbeta,2024-01,NaN\n",
    "inf_mrr.csv": H + "acme,2024-01,inf\n",
    "empty_mrr.csv": H + "acme,2024-01,100\nbeta,2024-01,\n",
    "future_month.csv": H + "acme,2024-01,100\nacme,2099-01,100\n",
    "ancient_month.csv": H + "acme,0202-01,100\n",
    "mixed_formats.csv": H + "acme,2024-01,100\nacme,Feb 2024,100\n",
    "ragged_row.csv": H + "acme,2024-01,100\nbeta,2024-01,1,200\n",
    "duplicate_rows.csv": H + "acme,2024-01,100\nacme,2024-01,50\nbeta,2024-01,70\n",
    "case_columns.csv": "Customer ID,Month,MRR\nacme,2024-01,100\n",
    "unnamed_column_with_data.csv": "customer_id,month,mrr,\nacme,2024-01,100,oops\n",
    "trailing_empty_column.csv": "customer_id,month,mrr,\nacme,2024-01,100,\n",
    "blank_rows.csv": H + "acme,2024-01,100\n,,\n\nbeta,2024-01,50\n",
    "tab_separated.tsv": "customer_id\tmonth\tmrr\nacme\t2024-01\t100\n",
    "wide_bad_header.csv": "customer_id,segment,2024-01,2024-13\nacme,SMB,100,100\n",
    "subs_bad_interval.csv": "customer_id,start,end,amount,interval\nacme,2024-01-01,,1200,fortnight\n",
    "subs_end_before_start.csv": "customer_id,start,end,amount,interval\nacme,2024-03-01,2024-01-01,100,month\n",
    "boolean_mrr.csv": H + "acme,2024-01,TRUE\n",
    # Rows and columns that are not customers or months (the load report names each one)
    "wide_total_row.csv": (  # a founder's sheet: money as text, a blank row, a Notes column, a Total row
        "Customer,Segment,Jan 2024,Feb 2024,Mar 2024,Notes\n"
        'Globex,SMB,"$1,200.00","$1,200.00","$1,500.00",upsold in March\n'
        "Initech,Mid-Market,$800.00,$800.00,,churned in March\n"
        "\n"
        "Hooli,SMB,$300.00,$350.00,$350.50,\n"
        'Total,,"$2,300.00","$2,350.00","$1,850.50",\n'
    ),
    "wide_subtotals.csv": (
        "customer,segment,2024-01,2024-02\n"
        "A,SMB,100,100\nB,SMB,50,0\nSMB Subtotal,,150,100\n"
        "C,Enterprise,1000,1100\nD,Enterprise,500,500\nTotal Enterprise,,1500,1600\n"
        "Grand total,,1650,1700\n"
    ),
    "wide_total_column.csv": "customer_id,2024-01,2024-02,2024-03,Total,FY2024\na,10,20,30,60,60\nb,5,5,0,10,10\n",
    "wide_unlabelled_total.csv": "customer_id,2024-01,2024-02\na,100,110\nb,50,60\n,150,170\n",
    "title_above_header.csv": "Acme Inc. MRR export,,\nexported 2024-04-02,,\n,,\n" + H + "acme,2024-01,100\nbeta,2024-01,50\n",
    "long_total_id.csv": H + "acme,2024-01,100\nbeta,2024-01,50\nTOTAL,2024-01,150\nacme,2024-02,100\nTOTAL,2024-02,100\n",
    "all_churned_before_as_of.csv": H + "acme,2024-01,100\nbeta,2024-01,50\nacme,2024-02,100\n",
}
for name, text in texts.items():
    (here / name).write_text(text, encoding="utf-8", newline="")
(here / "bom.csv").write_bytes(b"\xef\xbb\xbf" + (H + "acme,2024-01,100\n").encode())
(here / "cp1252.csv").write_bytes((H + "caf\u00e9,2024-01,100\n").encode("cp1252"))
(here / "not_utf8_mrr.csv").write_bytes(H.encode() + b"acme,2024-01,100\xa0\xa0x\n")

# a workbook with two sheets that both hold data
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "Summary"
ws.append(["total", 150])
ws2 = wb.create_sheet("MRR")
ws2.append(["customer_id", "month", "mrr"])
ws2.append(["acme", "2024-01", 100])
ws2.append(["beta", "2024-01", 50])
wb.save(here / "several_sheets.xlsx")

# a workbook with one data sheet and an empty one: the data sheet is chosen
wb = openpyxl.Workbook()
wb.active.title = "Notes"
ws = wb.create_sheet("Data")
ws.append(["customer_id", "month", "mrr"])
ws.append([1001, pd.Timestamp("2024-01-31").to_pydatetime(), 100])
ws.append([1002, pd.Timestamp("2024-02-29").to_pydatetime(), "oops"])
wb.save(here / "excel_text_in_mrr.xlsx")

# a formula that was never calculated has no stored value
wb = openpyxl.Workbook()
ws = wb.active
ws.append(["customer_id", "month", "mrr"])
ws.append(["acme", "2024-01", 100])
ws.append(["beta", "2024-01", "=B2*2"])
wb.save(here / "excel_formula_no_value.xlsx")

# a sheet with a title and a header over two rows (merged cells), and a Total row
wb = openpyxl.Workbook()
ws = wb.active
ws["A1"] = "Acme Inc. - monthly recurring revenue"
ws.append([])
ws.append(["Customer", "Segment", "MRR (USD)", None, None])
ws.append([None, None, "2024-01", "2024-02", "2024-03"])
ws.merge_cells("A3:A4")
ws.merge_cells("B3:B4")
ws.merge_cells("C3:E3")
ws.append(["Globex", "SMB", 100, 120, 130])
ws.append(["Initech", "SMB", 50, 50, None])
ws.append(["Total", None, 150, 170, 130])
wb.save(here / "merged_header.xlsx")

# parquet with a NaN amount
pd.DataFrame({"customer_id": ["acme", "beta"], "month": ["2024-01", "2024-01"],
              "mrr": [100.0, float("nan")]}).to_parquet(here / "nan_mrr.parquet", index=False)
print("written")
