# ---
# jupyter:
#   jupytext:
#     formats: ipynb,src//py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 05 - Five-year scenarios
#
# **You will learn:** how NRR compounds into ARR, the difference between the *gap* between two
# companies and their *ratio*, why two companies with the same growth today can be very different
# businesses and what their growth costs, how ARR splits by vintage, the ceiling a leaky bucket
# runs into, and how to turn your own data into a five-year scenario an investor would accept.
# **You need:** `04`. Amounts are in dollars ($10M is ten million).

# %% tags=["parameters"]
DATA = None
MAX_MONTH = "2025-12"

# %%
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import Markdown, display

import nrrkit as nk
from nrrkit import apps, plot, scenarios, sources
from nrrkit.exercises import Exercises

plt.rcParams["figure.dpi"] = 80
ex = Exercises("05")
money = plot.money


def pct(x, digits=0):
    return f"{x * 100:.{digits}f}%"


# %% [markdown]
# ## NRR compounds
#
# Each year, last year's ARR is multiplied by NRR and the year's new business is added:
#
# `ARR next year = ARR this year x NRR + new business`
#
# The five-year table of Sarah Mitchell's guide (2026) compares two companies that differ only in
# NRR. The cell below computes it, and the sentence after it is written from the computed table.

# %%
# NBVAL_CHECK_OUTPUT
START, NEW_RATE, LOW, HIGH = 10e6, 0.20, 1.05, 1.25
low_name, high_name = f"NRR {pct(LOW)}", f"NRR {pct(HIGH)}"
both = scenarios.compare_scenarios({low_name: dict(start_arr=START, nrr=LOW, new_rate=NEW_RATE),
                                    high_name: dict(start_arr=START, nrr=HIGH, new_rate=NEW_RATE)})
five = pd.DataFrame({"year": both["year"],
                     f"ARR at {low_name}": both[low_name].map(money),
                     f"ARR at {high_name}": both[high_name].map(money),
                     "gap (difference)": (both[high_name] - both[low_name]).map(money),
                     f"ratio ({high_name} / {low_name})": both[f"{high_name} / {low_name}"].map("{:.2f}x".format)})
print(five.to_string(index=False))
print("Source:", sources.MITCHELL_2026)

# %%
gap = both[high_name] - both[low_name]
ratio = both[f"{high_name} / {low_name}"]
y1 = both.iloc[0]
display(Markdown(
    f"Worked example, year 1: {money(START)} x {HIGH:.2f} + {pct(NEW_RATE)} of {money(START)} = "
    f"{money(y1[high_name])} at {high_name}, against {money(START)} x {LOW:.2f} + {money(START * NEW_RATE)} = "
    f"{money(y1[low_name])} at {low_name}. Two different measures of how far apart they drift:\n\n"
    f"- the **gap** (the difference in dollars) grows from {money(gap.iloc[0])} in year 1 to "
    f"{money(gap.iloc[-1])} in year {len(both)}, {gap.iloc[-1] / gap.iloc[0]:.1f} times as large;\n"
    f"- the **ratio** (one divided by the other) grows from {ratio.iloc[0]:.2f}x to {ratio.iloc[-1]:.2f}x: after "
    f"{len(both)} years the {high_name} company is {ratio.iloc[-1]:.1f} times the size of the other.\n\n"
    f"The ratio depends only on the two growth rates ({pct(HIGH - 1 + NEW_RATE)} and {pct(LOW - 1 + NEW_RATE)} a year), "
    f"because NRR multiplies a larger base every year; the gap also grows with the size of the company."))

# %%
fig, ax = plt.subplots(figsize=(8, 4), layout="constrained")
plot.scenario_lines(both, ax=ax)
plt.show()

# %% [markdown]
# ## Company A and Company B: the same ARR after a year
#
# Company A keeps and grows its customers (high NRR) and adds a modest share of new business;
# Company B loses some of its customers' revenue (NRR below 100%) and makes up for it with much
# more new business. Each dollar of new ARR costs sales and marketing spend; here a dollar per
# dollar. The companies are those of Sarah Mitchell's guide (2026).

# %%
A = dict(start_arr=10e6, nrr=1.25, new_rate=0.2, spend_per_new_dollar=1.0)
B = dict(start_arr=10e6, nrr=0.95, new_rate=0.5, spend_per_new_dollar=1.0)
ab = scenarios.compare_scenarios({"Company A": A, "Company B": B})
rows = []
for name, p in ab.attrs["projections"].items():
    params = A if name == "Company A" else B
    rows.append({"company": name, "NRR": pct(params["nrr"]), "new business (share of ARR)": pct(params["new_rate"]),
                 "ARR year 1": money(p.end_arr.iloc[0]), f"ARR year {len(p)}": money(p.end_arr.iloc[-1]),
                 "spend year 1": money(p.spend.iloc[0]), f"spend, {len(p)} years": money(p.spend.sum())})
display(pd.DataFrame(rows).style.hide(axis="index"))

# %%
pa, pb = ab.attrs["projections"]["Company A"], ab.attrs["projections"]["Company B"]
display(Markdown(
    f"Both end year 1 at {money(pa.end_arr.iloc[0])}. To get there B spends {money(pb.spend.iloc[0])} on new "
    f"business to A's {money(pa.spend.iloc[0])}, because B must first buy back the "
    f"{money(B['start_arr'] * (1 - B['nrr']))} its customers stopped paying. Over {len(pa)} years B spends "
    f"{money(pb.spend.sum())} to A's {money(pa.spend.sum())}, "
    + (f"{pb.spend.sum() / pa.spend.sum():.1f} times as much, to end at the same {money(pb.end_arr.iloc[-1])}: "
       f"both grow {pct(A['nrr'] - 1 + A['new_rate'])} a year."
       if abs(pb.end_arr.iloc[-1] - pa.end_arr.iloc[-1]) < 1 else
       f"and ends at {money(pb.end_arr.iloc[-1])} against A's {money(pa.end_arr.iloc[-1])}.")))

# %%
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4), layout="constrained")
plot.scenario_lines(ab, ax=ax1)
plot.spend_lines(ab, ax=ax2)
plt.show()

# %% [markdown]
# A model where new business is a share of ARR lets B win more new business as it grows. With a
# **fixed** amount of new business a year instead (each company's year-1 amount, every year), B
# falls behind: what it loses grows with its ARR while what it adds does not.

# %%
fixed = scenarios.compare_scenarios({"Company A": dict(start_arr=10e6, nrr=1.25, new_arr=pa.new_arr.iloc[0]),
                                     "Company B": dict(start_arr=10e6, nrr=0.95, new_arr=pb.new_arr.iloc[0])})
display(Markdown(
    f"With {money(pa.new_arr.iloc[0])} (A) and {money(pb.new_arr.iloc[0])} (B) of new ARR every year, year "
    f"{len(fixed)} ends at {money(fixed['Company A'].iloc[-1])} for A and {money(fixed['Company B'].iloc[-1])} for B."))

# %% [markdown]
# ## Explore
#
# Choose how new business is modelled (a share of ARR, or fixed dollars a year) and what it
# costs. The ratio in the KPI and on the chart is the same one, read the same way: your scenario
# divided by the same company at NRR 100%.
#
# **NRR fade:** few companies hold a high NRR for years. "NRR fade" closes a share of the gap to
# 100% each year; the note under the chart says where NRR ends. If NRR starts *below* 100%,
# fading toward 100% means losing less each year, so ARR rises.

# %% tags=["nbval-ignore-output"]
scenario_app = apps.ScenarioExplorer(start_arr=10e6, nrr=1.25, new_rate=0.2)
scenario_app

# %% [markdown]
# ## Layers by vintage
#
# Stack each year's ARR by where it came from: the starting base and each year's new business,
# every layer compounding at NRR. With NRR above 100% the old layers grow; below, they shrink.

# %%
lay = scenarios.layers(10e6, nrr=1.25, new_rate=0.2)
fig, ax = plt.subplots(figsize=(8, 4.2), layout="constrained")
plot.arr_layers(lay, ax=ax)
plt.show()
last_row = lay.iloc[-1]
display(Markdown(f"After {int(last_row.year)} years the starting base alone is {money(last_row.base)} of the "
                 f"{money(last_row.drop('year').sum())}: at NRR {pct(1.25)} it grew {last_row.base / lay.base.iloc[0]:.1f}x."))

# %% [markdown]
# ## The leaky bucket
#
# With a fixed amount of new business a year and NRR below 100%, ARR stops growing at a ceiling
# where what leaks out equals what comes in: `ceiling = new business / (1 - NRR)`.

# %%
bucket_new, bucket_nrr = 2e6, 0.90
c = scenarios.ceiling(bucket_new, bucket_nrr)
display(Markdown(
    f"{money(bucket_new)} of new ARR a year at NRR {pct(bucket_nrr)}: ceiling = {money(bucket_new)} / "
    f"(1 - {bucket_nrr}) = {money(c.limit)}, however long the company sells. Starting from nothing it reaches "
    f"{pct(c.share)} of that after {c.years_to_share:.1f} years."))

# %% [markdown]
# ## A scenario calibrated from your data
#
# `scenarios.calibrate` measures the starting ARR, the 12-month NRR and last year's new business
# from the data, says which months each figure comes from, gives a source for every level it
# assumes, and runs checks (passed, flagged, or not run when the data cannot support them).
# By default it follows a path an investor would accept: new business held at last year's
# dollars, and NRR fading in a straight line to a long-run level with a named source.

# %%
# NBVAL_CHECK_OUTPUT
mrr = nk.datasets.load_sample() if DATA is None else nk.read_mrr(DATA, max_month=MAX_MONTH)
cal = scenarios.calibrate(mrr)
for row in cal.inputs_table().itertuples():
    print(f"{row.figure}: {row.shown} ({row.basis}; {row.source})")

# %%
display(cal.checks_table().style.hide(axis="index"))
display(Markdown("**Cautions:**\n\n" + ("\n".join(f"- {c}" for c in cal.cautions) if cal.cautions else "none")))

# %%
default = cal.project()
measured = cal.project(path="measured")
path = pd.DataFrame({"year": default.year, "NRR (defensible)": default.nrr.map("{:.1%}".format),
                     "new business (defensible)": default.new_arr.map(money),
                     "ARR, defensible path": default.end_arr.map(money),
                     "ARR, measured rates compounded": measured.end_arr.map(money)})
display(path.style.hide(axis="index"))

# %%
paths = scenarios.compare_scenarios({"defensible path": cal.params(), "measured rates compounded": cal.params(
    path="measured")})
fig, ax = plt.subplots(figsize=(8, 4), layout="constrained")
plot.scenario_lines(paths, ax=ax)
plt.show()

# %%
display(Markdown(
    f"**The scenario:** {scenarios.describe_nrr(cal)}; {scenarios.describe_new_business(cal, money)}. From {money(cal.start_arr)} of ARR it reaches "
    f"{money(default.end_arr.iloc[-1])} in year {len(default)}. Compounding the measured rates unchanged "
    f"(NRR {pct(cal.nrr, 1)} and new business {pct(cal.new_rate, 1)} of ARR every year) would reach "
    f"{money(measured.end_arr.iloc[-1])}, {measured.end_arr.iloc[-1] / default.end_arr.iloc[-1]:.1f} times as much: "
    f"that line assumes last year's rates hold for {len(measured)} years and new business grows with ARR, "
    f"which an investor will not take on trust."))

# %% [markdown]
# ## Exercises
#
# Money can be a number (`2500000`) or text (`$2.5M`); round as you would in a memo.

# %% [markdown] tags=["notebook-only"]
# Answer in place of `...`, or in the box under the cell (text in quotes in the code: `"$2.5M"`).

# %% [markdown]
# **q1.** Start $10M ARR, NRR 105%, new business a fixed $2M a year: ARR after 5 years?

# %%
answer = ...
ex.check("q1", answer)

# %% [markdown]
# **q2.** A company with NRR 90% wants its ARR to settle at $30M (the ceiling of its leaky
# bucket). How much new ARR must it add every year?

# %%
answer = ...
ex.check("q2", answer)

# %% [markdown]
# **q3.** Two companies start at $20M ARR with new business worth 20% of ARR a year, one at NRR
# 110% and one at NRR 120%. After five years, how many times the first one's ARR does the second
# have (the ratio, such as `1.23`)?

# %%
answer = ...
ex.check("q3", answer)
