"""02-your-data as a tool: other column names through its parameters, a one-line message for a
file it cannot read (the run stops: papermill exits with an error) or a history shorter than the
window (the run goes on and says so)."""

from __future__ import annotations

import json
from pathlib import Path

import papermill as pm
import pytest

import nrrkit as nk

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def _run(tmp_path, **parameters) -> tuple[str, list]:
    out = tmp_path / "out.ipynb"
    pm.execute_notebook(str(NOTEBOOKS / "02-your-data.ipynb"), str(out), parameters=parameters,
                        kernel_name="python3", cwd=str(NOTEBOOKS), progress_bar=False)
    cells = [c for c in json.loads(out.read_text())["cells"] if c["cell_type"] == "code"]
    outputs = [o for c in cells for o in c.get("outputs", [])]
    text = "\n".join("".join(o.get("text", "")) + "".join(o.get("data", {}).get("text/plain", "")) for o in outputs)
    return text, outputs


def test_own_column_names_and_a_short_history(tmp_path):
    table = nk.datasets.generate(60, 8, seed=3, start="2025-01")       # 8 months: too short for 12
    data = tmp_path / "short.csv"
    table.rename(columns={"customer_id": "Account", "month": "Period", "mrr": "Monthly revenue"}).assign(
        Period=lambda d: d.Period.astype(str)).to_csv(data, index=False)
    text, outputs = _run(tmp_path, DATA=str(data), CUSTOMER="Account", MONTH="Period", MRR="Monthly revenue",
                         MAX_MONTH="2025-08")
    assert "Loaded short.csv" in text
    assert "The data covers 8 month(s); a 12-month window needs at least 13. Set WINDOW to 7 or less" in text
    assert not [o for o in outputs if o["output_type"] == "error"]
    # with a window that fits, the same file gives nrrkit's figure for it
    text, _ = _run(tmp_path, DATA=str(data), CUSTOMER="Account", MONTH="Period", MRR="Monthly revenue",
                   MAX_MONTH="2025-08", WINDOW=3)
    mrr = nk.read_mrr(data, customer="Account", month="Period", mrr="Monthly revenue", max_month="2025-08")
    last = nk.retention(mrr, window=3).iloc[-1]
    assert f"{last.month:%Y-%m} (base {last.base_month:%Y-%m}): NRR {last.nrr:.1%}, GRR {last.grr:.1%}" in text


def test_a_file_it_cannot_read_gives_one_line(tmp_path):
    data = tmp_path / "bad.csv"
    data.write_text("customer_id,month,mrr\nacme,2024-01,100\nbeta,2024-01,-50\n")
    # a batch run must not carry on as if it had read the file: it stops with the reader's one line
    with pytest.raises(pm.PapermillExecutionError) as info:
        _run(tmp_path, DATA=str(data))
    assert info.value.ename == "DataError"
    line = info.value.evalue
    assert "\n" not in line and line.startswith("Could not read the data: bad.csv, row 3, column 'mrr'")
    assert "-50" in line
