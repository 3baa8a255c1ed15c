"""02-your-data reruns on another company through its parameters cell (papermill)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import papermill as pm

import nrrkit as nk

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def test_your_data_notebook_on_another_file(tmp_path):
    table = nk.datasets.generate(400, 24, seed=11, start="2023-01")
    data = tmp_path / "other.csv"
    table.assign(month=table.month.dt.strftime("%Y-%m")).to_csv(data, index=False)
    out = tmp_path / "out.ipynb"
    pm.execute_notebook(str(NOTEBOOKS / "02-your-data.ipynb"), str(out), parameters={"DATA": str(data), "MAX_MONTH":
                        "2024-12"}, kernel_name="python3", cwd=str(NOTEBOOKS), progress_bar=False)
    text = "\n".join("".join(o.get("text", "")) for c in json.loads(out.read_text())["cells"]
                     if c["cell_type"] == "code" for o in c.get("outputs", []))
    last = nk.retention(nk.read_mrr(data, max_month="2024-12")).iloc[-1]
    assert f"{last.month:%Y-%m} (base {last.base_month:%Y-%m}): NRR {last.nrr:.1%}, GRR {last.grr:.1%}" in text
    # the load report names the file and counts its rows (one per customer-month), not the 400 customers
    rows = len(table)
    assert f"Loaded other.csv: {rows:,} rows, 400 customers, 24 months (2023-01 to 2024-12)" in text


def _papermill(tmp_path, *params: str) -> tuple[subprocess.CompletedProcess, str]:
    """``papermill 02-your-data.ipynb out.ipynb -p ...`` as a user types it; the run and its text outputs."""
    out = tmp_path / "out.ipynb"
    args = [sys.executable, "-m", "papermill", str(NOTEBOOKS / "02-your-data.ipynb"), str(out), "-k", "python3",
            "--no-progress-bar", "--cwd", str(NOTEBOOKS)]
    for p in params:
        args += ["-p", *p.split("=", 1)]
    run = subprocess.run(args, capture_output=True, text=True, timeout=600)
    text = ""
    if out.exists():
        text = "\n".join("".join(o.get("text", "")) + "".join(o.get("data", {}).get("text/plain", ""))
                         for c in json.loads(out.read_text())["cells"] if c["cell_type"] == "code"
                         for o in c.get("outputs", []))
    return run, text


def test_a_new_file_in_batch_with_only_data(tmp_path):
    """Months past 2025-12 (the sample's end) need no MAX_MONTH; BY gives the segment tables;
    the exercises (about the sample company) are left out of a run on someone's own data."""
    table = nk.datasets.generate(300, 20, seed=3, start="2025-01")  # 2025-01 .. 2026-08
    data = tmp_path / "newer.csv"
    table.assign(month=table.month.dt.strftime("%Y-%m")).to_csv(data, index=False)
    run, text = _papermill(tmp_path, f"DATA={data}", "BY=segment")
    assert run.returncode == 0, run.stderr[-2000:]
    mrr = nk.read_mrr(data)
    last = nk.retention(mrr).iloc[-1]
    assert f"{last.month:%Y-%m} (base {last.base_month:%Y-%m}): NRR {last.nrr:.1%}" in text
    assert last.month == pd.Timestamp("2026-08-01")
    # the segment table at the last end month, Total included, as segment_summary gives it
    s = nk.segment_summary(mrr, "segment")
    for row in s.itertuples():
        assert f"{row.segment}" in text and f"{row.nrr:.3f}" in text
    assert "Total" in text
    assert "replace the ... with your answer" not in text  # no unanswered exercises in a batch run


def test_a_subscription_export_is_read_from_its_header(tmp_path):
    subs = nk.datasets.load_sample_subscriptions()
    data = tmp_path / "subscriptions.csv"
    subs.to_csv(data, index=False)
    run, text = _papermill(tmp_path, f"DATA={data}")
    assert run.returncode == 0, run.stderr[-2000:]
    last = nk.retention(nk.read_mrr(data)).iloc[-1]
    assert "read as subscriptions" in text
    assert f"{last.month:%Y-%m} (base {last.base_month:%Y-%m}): NRR {last.nrr:.1%}" in text


def test_a_load_failure_stops_the_batch_with_one_line(tmp_path):
    run, _ = _papermill(tmp_path, f"DATA={tmp_path / 'missing.csv'}")
    assert run.returncode != 0
    last = [line for line in run.stderr.splitlines() if line.strip()][-1]
    assert last.startswith("DataError: Could not read the data: missing.csv: no such file")
    assert last.endswith("check the path")
    # a month after the current one names the notebook's parameter, not the function's keyword
    bad = tmp_path / "typo.csv"
    pd.DataFrame({"customer_id": ["a", "a"], "month": ["2024-01", "2204-02"], "mrr": [10, 10]}).to_csv(bad, index=False)
    run, _ = _papermill(tmp_path, f"DATA={bad}")
    last = [line for line in run.stderr.splitlines() if line.strip()][-1]
    assert run.returncode != 0 and "MAX_MONTH" in last and "max_month=" not in last
