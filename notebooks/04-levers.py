# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 04 - Levers
#
# **You will learn:** the three levers of NRR (churn, contraction, expansion), why monthly churn
# compounds, which lever moves NRR most from where you stand, and what a change means on your own
# data. **You need:** `01`.

# %% tags=["parameters"]
DATA = None
MAX_MONTH = "2025-12"

# %%
import matplotlib.pyplot as plt

import nrrkit as nk
from nrrkit import apps, levers, plot, sources
from nrrkit.exercises import Exercises

plt.rcParams["figure.dpi"] = 80
ex = Exercises("04")

# %% [markdown]
# ## Three levers, as shares of last year's revenue
#
# Write each lever as a share of the revenue the base customers paid a year ago: churn 10% means
# customers who left took 10% of it with them. Then NRR = 1 - churn - contraction + expansion.
# Worked example: churn 10%, contraction 3%, expansion 15% gives 1 - 0.10 - 0.03 + 0.15 = 102%.
# GRR = 1 - churn - contraction = 87%.

# %%
# NBVAL_CHECK_OUTPUT
print(f"NRR {levers.nrr_from_levers(churn=0.10, contraction=0.03, expansion=0.15):.1%}, "
      f"GRR {levers.grr_from_levers(churn=0.10, contraction=0.03):.1%}")

# %% [markdown]
# ## Monthly churn compounds
#
# 3% of customers leaving each month is not 36% a year. Each month 97% of what is left survives,
# so after twelve months 0.97^12 = 69.4% survives: annual churn is 30.6%. The gap grows with the
# rate: 5% a month is 46% a year, not 60%.
#
# **Why it matters:** a founder who multiplies monthly churn by 12 overstates annual churn and
# understates NRR; one who quotes a monthly churn of 2% as "24% a year" to an investor who
# compounds it will be corrected. The table below (after Sarah Mitchell's guide, 2026; every row
# with 10% expansion and no contraction) computes each row exactly and shows the guide's rounded
# figure beside it.

# %%
# NBVAL_CHECK_OUTPUT
print(f"3% a month: 1 - 0.97^12 = {levers.annual_churn(0.03):.1%} a year (not 36%)")
for row in levers.churn_table().itertuples():
    print(f"{row.monthly_churn:.1%}/month -> {row.annual_churn:.1%}/year -> NRR {row.nrr:.1%}  "
          f"(guide {row.nrr_article:.0%}; {row.why})")
print("Source:", sources.MITCHELL_2026)

# %% [markdown]
# Expansion and contraction act one for one: each point of expansion adds a point of NRR, each
# point of contraction removes one.

# %%
# NBVAL_CHECK_OUTPUT
for row in levers.expansion_table().itertuples():
    print(f"expansion {row.expansion:.0%} with 10% churn -> NRR {row.nrr:.0%}")
for row in levers.contraction_table().itertuples():
    print(f"contraction {row.contraction:.0%} with 10% expansion, 5% churn -> NRR {row.nrr:.0%}")

# %% [markdown]
# ## Move the levers
#
# Rates are in percent: type `15` or `15%` into a readout. The toggle shows churn a month or a
# year; the scenario stays the same when you switch. The tornado moves each lever 5 points down
# and up from where you stand; a lever that cannot go below 0% is marked as clipped, so its
# shorter bar does not mean it matters less.

# %% tags=["nbval-ignore-output"]
lever_app = apps.LeverExplorer(churn=0.10, contraction=0.03, expansion=0.15)
lever_app

# %% [markdown]
# ## Sensitivity and the 100% line
#
# Each cell is the NRR for one pair of churn and expansion (contraction held at 3%). The black
# line is where NRR is exactly 100%: to its left your existing customers grow revenue, to its
# right they shrink it.

# %%
grid = levers.sensitivity_grid(x="churn", y="expansion", fixed={"contraction": 0.03})
fig, ax = plt.subplots(figsize=(8, 5), layout="constrained")
plot.sensitivity_heatmap(grid, ax=ax)
plt.show()

# %% [markdown]
# ## What-if on your own data
#
# `levers.what_if` changes the amounts measured in your last 12-month window, relatively:
# `churn=-0.2` means **a fifth less churned MRR** than you actually lost (if SMB customers took
# 50,000 away, the what-if assumes 40,000), everything else as measured. Here the change is
# applied to SMB only; the Total row adds the segments' dollars up.

# %%
# NBVAL_CHECK_OUTPUT
mrr = nk.datasets.load_sample() if DATA is None else nk.read_mrr(DATA, max_month=MAX_MONTH)
w = levers.what_if(mrr, churn=-0.2, by="segment", segment="SMB")
for row in w.itertuples():
    print(f"{row.segment:<11} churned MRR {row.churn:>10,.0f} -> {row.adj_churn:>10,.0f}   "
          f"NRR {row.nrr:.1%} -> {row.nrr_adjusted:.1%}  ({row.nrr_change * 100:+.1f} points)")

# %% [markdown]
# ## Exercises
#
# **q1.** Which constant monthly churn compounds to 12% a year? (Give it as a fraction or with
# `%`, to two decimals of a percent.)

# %%
# NBVAL_CHECK_OUTPUT
answer = ...
ex.check("q1", answer)

# %% [markdown]
# **q2.** With 2% monthly churn, 3% contraction and 15% expansion (both a year), what is NRR?

# %%
# NBVAL_CHECK_OUTPUT
answer = ...
ex.check("q2", answer)

# %% [markdown]
# **q3.** If Enterprise customers expanded 10% more (everything else as measured), what would the
# company's NRR be?

# %%
# NBVAL_CHECK_OUTPUT
answer = ...
ex.check("q3", answer)
