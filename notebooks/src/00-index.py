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
# # nrrkit notebooks: net revenue retention, step by step
#
# **What this set answers:** how much of last year's revenue your existing customers pay you
# today (NRR), how much of it you keep before any upsell (GRR), where that number comes from
# (cohorts, segments, single accounts), which lever moves it most, and what it does to ARR over
# five years.
#
# **You need:** nrrkit installed (`pip install -e ".[lab]"`). Every notebook runs offline on the
# bundled sample company; `02-your-data` points them at your own file. The definitions behind
# every figure are in nrrkit's definitions document (`docs/definitions.md`).
#
# | notebook | what it teaches |
# |---|---|
# | `01-nrr-in-ten-minutes` | MRR and ARR, the NRR and GRR formulas with four numbers, logo retention, a calculator |
# | `02-your-data` | loading your file, the monthly bridge, NRR over time, why tools disagree (methods) |
# | `03-cohorts-and-segments` | cohorts and their ages, dollar weighting, the layer cake, segments, concentration, the interval, benchmarks, warning signals |
# | `04-levers` | churn, contraction and expansion; why monthly churn compounds; which lever matters most |
# | `05-five-year-scenarios` | NRR compounding into ARR, Company A vs B and what their growth costs, the leaky bucket |
#
# Each notebook ends with exercises. You write the answer; `ex.check(...)` says right or not yet
# (with a hint after the second miss) and never shows the expected value. Worked solutions are in
# `solutions.ipynb`: try first.

# %%
import matplotlib.pyplot as plt

import nrrkit as nk
from nrrkit.exercises import Exercises

plt.rcParams["figure.dpi"] = 80
ex = Exercises("00")

# %% [markdown]
# ## The sample company
#
# The data is one row per customer per month with what the customer paid that month (its
# **MRR**, monthly recurring revenue). This is all nrrkit needs.

# %%
# NBVAL_CHECK_OUTPUT
mrr = nk.datasets.load_sample()
last_month = mrr["month"].max()
last_mrr = mrr.loc[mrr["month"] == last_month, "mrr"].sum()
print(f"{len(mrr):,} rows: {mrr['customer_id'].nunique():,} customers over {mrr['month'].nunique()} months "
      f"({mrr['month'].min():%Y-%m} to {last_month:%Y-%m})")
print(f"MRR in {last_month:%Y-%m}: {last_mrr:,.0f} a month, so ARR = 12 x MRR = {12 * last_mrr:,.0f} a year")
mrr.head(3)

# %% [markdown]
# ## One figure and its card
#
# `nk.retention` computes the retention figures for every end month. The last row is the most
# recent year: of the customers who paid twelve months earlier (the **base cohort**), how much
# do they pay now, compared with then (NRR), and how many of them are still paying (logo
# retention).

# %%
# NBVAL_CHECK_OUTPUT
r = nk.retention(mrr, window=12)
latest = r.iloc[-1]
print(f"{latest.month:%Y-%m}: NRR {latest.nrr:.1%}, GRR {latest.grr:.1%}, logo retention {latest.logo_retention:.1%}")
print(f"base month {latest.base_month:%Y-%m}: {latest.customers_start:,} customers paying {latest.start_mrr:,.0f} a month")
print("columns of the retention table:", ", ".join(r.columns))

# %% [markdown]
# Every figure carries a definition card: the method, the window and what counts as revenue.
# Two tools that disagree almost always differ on one of these lines.

# %%
print(r.attrs["definition"])

# %% [markdown]
# ## The monthly bridge
#
# The bridge explains how MRR moved from one month to the next: **new** customers,
# **reactivation** (a customer who had left comes back), **expansion** (a customer pays more),
# **contraction** (pays less), **churn** (stops paying). Every month, to the cent:
#
# `end = start + new + reactivation + expansion - contraction - churn`

# %%
# NBVAL_CHECK_OUTPUT
b = nk.bridge(mrr)
residual = (b.start_mrr + b.new + b.reactivation + b.expansion - b.contraction - b.churn - b.end_mrr).abs().max()
print(f"largest bridge residual over {len(b)} months: {residual:.6f}")
print("columns of the bridge:", ", ".join(b.columns))

# %% [markdown]
# ## Exercises

# %% [markdown] tags=["notebook-only"]
# Write your answer in place of `...`, run the cell, and read what the check says (or answer in
# the box under the cell).

# %% [markdown]
# **q1.** How many of the base customers of the last 12-month window still pay in the last
# month? (Use the retention table above.)

# %%
answer = ...
ex.check("q1", answer)

# %% [markdown]
# **q2.** By how much did total MRR change in the last month of the bridge (end MRR minus start
# MRR)?

# %%
answer = ...
ex.check("q2", answer)
