"""Write the curated notebooks (run from the repository root, then execute them):

    .venv/bin/python notebooks/make_notebooks.py
    .venv/bin/jupyter nbconvert --to notebook --execute --inplace notebooks/0*.ipynb

Cells marked ``# NBVAL_CHECK_OUTPUT`` print key numbers as text; nbval compares
them with the stored output, so a silent change in a definition fails the tests.
Cells that display a widget are tagged ``nbval-ignore-output``.
"""

from __future__ import annotations

from pathlib import Path

import nbformat as nbf

HERE = Path(__file__).resolve().parent
SETUP = """import matplotlib.pyplot as plt
import nrrkit as nk
from nrrkit import apps, levers, plot, scenarios

plt.rcParams["figure.dpi"] = 80"""


def md(text: str):
    return nbf.v4.new_markdown_cell(text.strip())


def code(text: str, *, check: bool = False, widget: bool = False, parameters: bool = False):
    src = ("# NBVAL_CHECK_OUTPUT\n" if check else "") + text.strip()
    cell = nbf.v4.new_code_cell(src)
    tags = []
    if widget:
        tags.append("nbval-ignore-output")
    if parameters:
        tags.append("parameters")
    if tags:
        cell.metadata["tags"] = tags
    return cell


def write(name: str, cells: list) -> None:
    nb = nbf.v4.new_notebook()
    nb.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
                   "language_info": {"name": "python"}}
    nb.cells = cells
    nbf.write(nb, HERE / name)


INDEX = [
    md("""
# nrrkit notebooks: net revenue retention, step by step

**What this set answers:** how much revenue your existing customers bring back a year later (NRR),
how much of it you keep before any expansion (GRR), where that number comes from (cohorts,
segments, single accounts), which lever moves it most, and what it does to ARR over five years.

**You need:** this repository installed (`pip install -e ".[lab]"`). Every notebook runs offline on
the bundled sample company; `02-your-data` shows how to point them at your own file.

| notebook | what it teaches |
|---|---|
| `01-nrr-in-ten-minutes` | the formula with four numbers, GRR beside NRR, the reference examples, a calculator |
| `02-your-data` | loading and validation, the monthly bridge, NRR/GRR/logo retention over time, the method comparison |
| `03-cohorts-and-segments` | cohort heatmaps and curves, the layer cake, segments and the averaging trap, concentration, the interval, benchmarks, signals |
| `04-levers` | churn, contraction and expansion as levers, the article's three tables, sensitivity, tornado, what-if on your data |
| `05-five-year-scenarios` | compounding, Company A vs B, layers by vintage, the leaky bucket, a scenario from your data |
"""),
    code(SETUP),
    md("## The sample company in four lines"),
    code("""mrr = nk.datasets.load_sample()
print(nk.load_report(mrr))"""),
    code("""latest = nk.retention(mrr, window=12).iloc[-1]
print(f"{latest.month}: NRR {latest.nrr:.1%}, GRR {latest.grr:.1%}, logo retention {latest.logo_retention:.1%}")
print(f"start MRR {latest.start_mrr:,.2f} -> end MRR {latest.end_mrr:,.2f}")""", check=True),
    md("The definition card travels with every figure:"),
    code("""print(nk.retention(mrr, window=12).attrs["definition"])"""),
    md("""
## Load your own data

```python
mrr = nk.read_mrr("revenue.csv")                 # one row per customer per month: customer_id, month, mrr
mrr = nk.from_wide("founder_sheet.xlsx")          # one row per customer, one column per month
mrr = nk.from_subscriptions("lines.csv", as_of="2025-12")   # customer_id, start, end, amount, interval
```

If a row is wrong, the error names the file, the row as you count it in a spreadsheet, the
column, the value and what to do.

## Glossary

- **MRR**: monthly recurring revenue of a customer in a calendar month (a month-end snapshot).
- **Base cohort**: every customer paying in the base month b = end month - window.
- **NRR**: MRR of the base cohort in the end month / its MRR in the base month. Churned customers count as 0; customers who joined later are not in it.
- **GRR**: the same with expansion left out: (start - contraction - churn) / start; never above 100%.
- **Logo retention**: base customers still paying / base customers.
- **Movements**: new, reactivation, expansion, contraction, churn (and flat), month by month; the bridge adds them up.

## Try this

1. Print `nk.retention(mrr, window=3).iloc[-1].nrr`. Is quarterly NRR closer to 100% than yearly? (It should be: less time has passed.)
2. Check the bridge: `b = nk.bridge(mrr)`, then `(b.start_mrr + b.new + b.reactivation + b.expansion - b.contraction - b.churn - b.end_mrr).abs().max()` is 0 up to rounding.
"""),
    code("""b = nk.bridge(mrr)
residual = (b.start_mrr + b.new + b.reactivation + b.expansion - b.contraction - b.churn - b.end_mrr).abs().max()
print(f"largest bridge residual: {residual:.6f}")""", check=True),
]

TEN_MINUTES = [
    md("""
# 01 - NRR in ten minutes

**You will learn:** the NRR formula with four numbers, why GRR belongs beside it, and how to read
the reference documents' examples. **You need:** nothing but nrrkit.

NRR = (start MRR + expansion - contraction - churn) / start MRR

GRR = (start MRR - contraction - churn) / start MRR
"""),
    code(SETUP),
    md("## The reference examples, computed"),
    code("""examples = [
    ("001 simple example", 100_000, 15_000, 3_000, 5_000),
    ("001 comparison example", 100_000, 20_000, 3_000, 7_000),
    ("001 monthly example", 500_000, 35_000, 8_000, 12_000),
    ("003 eighty-percent example", 10_000, 1_000, 1_000, 2_000),
]
for name, start, expansion, contraction, churn in examples:
    n, g = nk.nrr(start, expansion, contraction, churn), nk.grr(start, contraction, churn)
    print(f"{name:<28} NRR {n:.0%}  GRR {g:.0%}  ({nk.assess(n)})")""", check=True),
    md("""
GRR of 90% with NRR of 110% means: the base keeps 90% of its revenue and expansion adds 20
points on top. Two companies with the same NRR can have very different GRR; the one with the
lower GRR depends on expansion to stand still.

## A calculator

Change the four numbers; NRR, GRR, the assessment and the bridge update.
"""),
    code("""calc = apps.NRRCalculator(start=100_000, expansion=15_000, contraction=3_000, churn=5_000)
calc""", widget=True),
    md("The same numbers without the widget (every figure on this page comes from nrrkit):"),
    code("""print(f"NRR {calc.values['nrr']:.1%}, GRR {calc.values['grr']:.1%}")""", check=True),
    md("""
## Try this

1. Set churn to 0 and contraction to 0. What are NRR and GRR? (GRR is 100%: nothing was lost.)
2. Find the expansion that brings NRR back to exactly 100% with 5,000 churn and 3,000 contraction.
   Check it in the next cell.
"""),
    code("""answer = 8_000   # expansion = churn + contraction
assert abs(nk.nrr(100_000, answer, 3_000, 5_000) - 1.0) < 1e-12
print("NRR is exactly 100% when expansion equals churn plus contraction")""", check=True),
]

YOUR_DATA = [
    md("""
# 02 - Your data

**You will learn:** how nrrkit loads and checks revenue data, how the monthly bridge reconciles,
and how NRR, GRR and logo retention move over time, with every definitional choice explicit.
**You need:** the sample company, or your own file (set `DATA` in the parameters cell; papermill
can set it too: `papermill 02-your-data.ipynb out.ipynb -p DATA my.csv`).
"""),
    code("""DATA = None          # a path to your .csv/.xlsx/.parquet, or None for the sample company
WINDOW = 12
MAX_MONTH = "2025-12"   # the latest month accepted (the sample ends in December 2025)""", parameters=True),
    code(SETUP),
    code("""mrr = nk.datasets.load_sample() if DATA is None else nk.read_mrr(DATA, max_month=MAX_MONTH)
report = nk.load_report(mrr)
print(report)"""),
    md("""
What validation checks: every MRR is a non-negative number (`$1,200.50` is fine, `1.200,50`
needs `decimal=","`), every month is a real month in one layout, no customer id is blank, and
several rows for one customer and month are summed (the report says how many). Bad input stops
with one line naming the row:
"""),
    code("""import pandas as pd
bad = pd.DataFrame({"customer_id": ["acme", "beta"], "month": ["2024-01", "2024-01"], "mrr": ["100", "-50"]})
try:
    nk.read_mrr(bad)
except nk.DataError as err:
    print(err)""", check=True),
    md("## The monthly bridge"),
    code("""bridge = nk.bridge(mrr)
bridge.tail(3)[["period", "start_mrr", "new", "reactivation", "expansion", "contraction", "churn", "end_mrr"]]"""),
    code("""fig, ax = plt.subplots(figsize=(8, 3.8), layout="constrained")
plot.bridge_waterfall(bridge.tail(12), ax=ax)
plt.show()"""),
    md("## NRR, GRR and logo retention over time"),
    code("""r = nk.retention(mrr, window=WINDOW)
last = r.iloc[-1]
print(f"{last.month} (base {last.base_month}): NRR {last.nrr:.1%}, GRR {last.grr:.1%}, "
      f"logo retention {last.logo_retention:.1%}")
print(f"{last.customers_retained} of {last.customers_start} base customers still pay")""", check=True),
    code("""print(r.attrs["definition"])"""),
    code("""fig, ax = plt.subplots(figsize=(8, 3.8), layout="constrained")
plot.nrr_trend(r, ax=ax)
plt.show()"""),
    md("""
## Why does my number not match the other tool?

The same data under the five methods. Each sentence is computed from your data.
"""),
    code("""cmp = nk.compare_methods(mrr, window=WINDOW)
for row in cmp.itertuples():
    print(f"{row.method:<11} NRR {row.nrr:.1%}  {row.why}")""", check=True),
    md("## Explore: window, method and segment"),
    code("""explorer = apps.RetentionExplorer(mrr)
explorer""", widget=True),
    md("""
## Try this

1. Set the method to `survivors`. Why is NRR higher? (It leaves out the customers who left.)
2. Compute the 3-month NRR of the last month and check that it lies between 90% and 110%:
"""),
    code("""q = nk.retention(mrr, window=3).iloc[-1].nrr
assert 0.9 < q < 1.1
print(f"3-month NRR {q:.1%}")""", check=True),
]

COHORTS = [
    md("""
# 03 - Cohorts and segments

**You will learn:** which customers produce NRR: cohorts by start date, the layer cake, segments
(and why averaging their percentages is wrong), single accounts, how sure the figure is, how it
compares with benchmarks, and which warning signals are on. **You need:** `02-your-data`.
"""),
    code("""DATA = None
SEGMENT = "segment"
ENTERPRISE = "Enterprise"
MAX_MONTH = "2025-12\"""", parameters=True),
    code(SETUP),
    code("""mrr = nk.datasets.load_sample() if DATA is None else nk.read_mrr(DATA, max_month=MAX_MONTH)"""),
    md("## Cohorts"),
    code("""table = nk.cohort_table(mrr, period="Q")
fig, ax = plt.subplots(figsize=(9, 4.5), layout="constrained")
plot.cohort_heatmap(table, ax=ax)
plt.show()"""),
    code("""curve = nk.cohort_curve(mrr, period="Q").set_index("age")
for age in (1, 4, 8):
    print(f"after {age} quarter(s): {curve.loc[age, 'value']:.1%} of starting MRR "
          f"({curve.loc[age, 'cohorts']} cohorts, dollar-weighted)")""", check=True),
    code("""fig, ax = plt.subplots(figsize=(8, 3.8), layout="constrained")
plot.cohort_curves(nk.cohort_table(mrr), curve=nk.cohort_curve(mrr), ax=ax)
plt.show()"""),
    code("""fig, ax = plt.subplots(figsize=(8, 3.8), layout="constrained")
plot.layer_cake(nk.layer_cake(mrr, period="Q"), ax=ax)
plt.show()"""),
    code("""nk.cohort_milestones(mrr).tail(6)"""),
    md("## Segments, and the averaging trap"),
    code("""seg = nk.segment_summary(mrr, SEGMENT)
for row in seg.itertuples():
    print(f"{row.segment:<11} NRR {row.nrr:.1%}  GRR {row.grr:.1%}  share of start MRR {row.share_of_start:.0%}")
print(f"average of the segment NRRs: {seg.attrs['average_of_segments']:.1%} - not the company's NRR")""",
         check=True),
    md("Pick another attribute (plan, pricing, channel) or another window:"),
    code("""segments = apps.SegmentExplorer(mrr)
segments""", widget=True),
    code("""shift = nk.mix_shift(mrr, SEGMENT)
print(f"NRR changed {shift.attrs['change'] * 100:+.1f} points from {shift.attrs['start']} to {shift.attrs['end']}: "
      f"{shift.attrs['performance'] * 100:+.1f} from performance, {shift.attrs['mix'] * 100:+.1f} from mix")""",
         check=True),
    md("## Accounts, concentration and how sure the figure is"),
    code("""fig, ax = plt.subplots(figsize=(8, 4.5), layout="constrained")
plot.top_movers(nk.top_movers(mrr, 8), ax=ax)
plt.show()"""),
    code("""for row in nk.concentration(mrr).itertuples():
    print(f"without the top {row.removed:>2} expanders: NRR {row.nrr:.1%}")
ci = nk.nrr_interval(mrr, progress=False)   # no progress bar: this output is checked
print(f"NRR {ci.nrr:.1%}, 90% interval {ci.low:.1%} to {ci.high:.1%} ({ci.customers} customers)")""", check=True),
    md("## Benchmarks, signals and the dashboard"),
    code("""last = nk.retention(mrr).iloc[-1]
nk.compare_to_benchmarks(nrr=last.nrr, grr=last.grr, stage="Series B")[["table", "row", "metric", "benchmark",
                                                                       "position", "source"]]"""),
    code("""sig = nk.signals(mrr, enterprise=ENTERPRISE, by=SEGMENT, last=12)
print(f"{len(sig)} signal(s) in the last 12 end months")
for row in sig.itertuples():
    print(f"[{row.level}] {row.month}: {row.message}")""", check=True),
    code("""nk.dashboard(mrr)"""),
    md("## Explore cohorts"),
    code("""cohorts = apps.CohortExplorer(mrr)
cohorts""", widget=True),
    md("""
## Try this

1. Switch the cohort view to logos. Do customers stay as well as their revenue does?
2. Show that the company NRR is the start-MRR-weighted average of the segment NRRs:
"""),
    code("""parts = seg.iloc[:-1]
weighted = (parts.nrr * parts.start_mrr).sum() / parts.start_mrr.sum()
assert abs(weighted - seg.nrr.iloc[-1]) < 1e-12
print(f"weighted average {weighted:.1%} = company NRR {seg.nrr.iloc[-1]:.1%}")""", check=True),
]

LEVERS = [
    md("""
# 04 - Levers

**You will learn:** how churn, contraction and expansion move NRR, why monthly churn compounds
(3% a month is 30.6% a year, not 36%), the reference article's three tables, and which lever
moves your own NRR most. **You need:** `01`.

Every lever is an annual share of starting ARR: NRR = 1 - churn - contraction + expansion.
"""),
    code(SETUP),
    code("""DATA = None
MAX_MONTH = "2025-12\"""", parameters=True),
    md("## The article's three tables (001, 'The Three Levers of NRR Optimization')"),
    code("""t = levers.churn_table()
for row in t.itertuples():
    print(f"{row.monthly_churn:.1%}/month -> {row.annual_churn:.1%}/year -> NRR {row.nrr:.1%}  "
          f"(article {row.nrr_article:.0%}; {row.why})")""", check=True),
    code("""for row in levers.expansion_table().itertuples():
    print(f"expansion {row.expansion:.0%} with 10% churn -> NRR {row.nrr:.0%}")
for row in levers.contraction_table().itertuples():
    print(f"contraction {row.contraction:.0%} with 10% expansion, 5% churn -> NRR {row.nrr:.0%}")""", check=True),
    md("## Move the levers"),
    code("""lever_app = apps.LeverExplorer(churn=0.10, contraction=0.03, expansion=0.15)
lever_app""", widget=True),
    md("## Sensitivity and the 100% frontier"),
    code("""grid = levers.sensitivity_grid(x="churn", y="expansion", fixed={"contraction": 0.03})
fig, ax = plt.subplots(figsize=(8, 5), layout="constrained")
plot.sensitivity_heatmap(grid, ax=ax)
plt.show()"""),
    code("""fig, ax = plt.subplots(figsize=(8, 3), layout="constrained")
plot.tornado(levers.tornado({"churn": 0.10, "contraction": 0.03, "expansion": 0.15}), ax=ax)
plt.show()"""),
    md("## What-if on your data"),
    code("""mrr = nk.datasets.load_sample() if DATA is None else nk.read_mrr(DATA, max_month=MAX_MONTH)
w = levers.what_if(mrr, churn=-0.2, by="segment", segment="SMB")
for row in w.itertuples():
    print(f"{row.segment:<11} NRR {row.nrr:.1%} -> {row.nrr_adjusted:.1%}  ({row.nrr_change * 100:+.1f} points)")""",
         check=True),
    md("""
## Try this

1. With the lever app on monthly churn, what monthly churn gives NRR 100% with 3% contraction and 15% expansion?
2. Check the answer: annual churn must be 12%, so monthly churn is 1 - 0.88 ** (1/12):
"""),
    code("""m = levers.monthly_churn(0.12)
assert abs(levers.nrr_from_levers(churn=levers.annual_churn(m), contraction=0.03, expansion=0.15) - 1) < 1e-12
print(f"monthly churn {m:.3%} gives NRR 100%")""", check=True),
]

SCENARIOS = [
    md("""
# 05 - Five-year scenarios

**You will learn:** how NRR compounds into ARR, why two companies with the same growth today can
be worth very different amounts, how new business and NRR split the ARR by vintage, and the ceiling
a leaky bucket runs into. **You need:** `04`.

ARR next year = ARR this year x NRR + new business.
"""),
    code(SETUP),
    code("""DATA = None
MAX_MONTH = "2025-12\"""", parameters=True),
    md("## The article's five-year table ($10M start, 20% new business)"),
    code("""both = scenarios.compare_scenarios({"NRR 105%": dict(start_arr=10e6, nrr=1.05, new_rate=0.2),
                                    "NRR 125%": dict(start_arr=10e6, nrr=1.25, new_rate=0.2)})
for row in both.itertuples(index=False):
    print(f"year {row[0]}: {row[1] / 1e6:5.1f}M vs {row[2] / 1e6:5.1f}M ({row[3]:.2f}x)")""", check=True),
    code("""fig, ax = plt.subplots(figsize=(8, 4), layout="constrained")
plot.scenario_lines(both, ax=ax)
plt.show()"""),
    md("## Company A and Company B: the same $14.5M, very different businesses"),
    code("""a = scenarios.project_arr(10e6, nrr=1.25, new_rate=0.2, years=1, spend_per_new_dollar=1).iloc[0]
b = scenarios.project_arr(10e6, nrr=0.95, new_rate=0.5, years=1, spend_per_new_dollar=1).iloc[0]
print(f"A: ${a.end_arr / 1e6:.1f}M, new business ${a.new_arr / 1e6:.1f}M")
print(f"B: ${b.end_arr / 1e6:.1f}M, new business ${b.new_arr / 1e6:.1f}M")""", check=True),
    md("## Explore"),
    code("""scenario_app = apps.ScenarioExplorer(start_arr=10e6, nrr=1.25, new_rate=0.2)
scenario_app""", widget=True),
    md("## Layers by vintage"),
    code("""fig, ax = plt.subplots(figsize=(8, 4), layout="constrained")
plot.arr_layers(scenarios.layers(10e6, nrr=1.25, new_rate=0.2), ax=ax)
plt.show()"""),
    md("## The leaky bucket"),
    code("""c = scenarios.ceiling(2e6, 0.9)
print(c.note)""", check=True),
    md("## A scenario calibrated from your data"),
    code("""mrr = nk.datasets.load_sample() if DATA is None else nk.read_mrr(DATA, max_month=MAX_MONTH)
cal = scenarios.calibrate(mrr)
print(f"start ARR {cal.start_arr / 1e6:.1f}M, NRR {cal.nrr:.1%}, new business {cal.new_rate:.1%} of ARR")
print((cal.project().end_arr / 1e6).round(1).tolist())""", check=True),
    md("""
## Try this

1. In the app, lower NRR to 95% and raise new business to 50%: you get Company B. What happens by year 5?
2. With $2M of new ARR a year and NRR 90%, ARR can never pass $20M. Check it:
"""),
    code("""p = scenarios.project_arr(0, nrr=0.9, new_arr=2e6, years=50)
assert p.end_arr.max() < 20e6
print(f"after 50 years: {p.end_arr.iloc[-1] / 1e6:.2f}M")""", check=True),
]


def main() -> None:
    write("00-index.ipynb", INDEX)
    write("01-nrr-in-ten-minutes.ipynb", TEN_MINUTES)
    write("02-your-data.ipynb", YOUR_DATA)
    write("03-cohorts-and-segments.ipynb", COHORTS)
    write("04-levers.ipynb", LEVERS)
    write("05-five-year-scenarios.ipynb", SCENARIOS)


if __name__ == "__main__":
    main()
