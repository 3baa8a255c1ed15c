"""02-your-data reruns on another company through its parameters cell (papermill)."""

from __future__ import annotations

import json
from pathlib import Path

import papermill as pm

import nrrkit as nk

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def test_your_data_notebook_on_another_file(tmp_path):
    table = nk.datasets.generate(400, 24, seed=11, start="2023-01")
    data = tmp_path / "other.csv"
    table.assign(month=table.month.astype(str)).to_csv(data, index=False)
    out = tmp_path / "out.ipynb"
    pm.execute_notebook(str(NOTEBOOKS / "02-your-data.ipynb"), str(out), parameters={"DATA": str(data), "MAX_MONTH":
                        "2024-12"}, kernel_name="python3", cwd=str(NOTEBOOKS), progress_bar=False)
    text = "\n".join("".join(o.get("text", "")) for c in json.loads(out.read_text())["cells"]
                     if c["cell_type"] == "code" for o in c.get("outputs", []))
    last = nk.retention(nk.read_mrr(data, max_month="2024-12")).iloc[-1]
    assert f"{last.month} (base {last.base_month}): NRR {last.nrr:.1%}, GRR {last.grr:.1%}" in text
    # the load report names the file and counts its rows (one per customer-month), not the 400 customers
    rows = len(table)
    assert f"Loaded other.csv: {rows:,} rows, 400 customers, 24 months (2023-01 to 2024-12)" in text
