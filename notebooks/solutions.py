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
# # Solutions to the exercises
#
# Try each exercise in its own notebook first: the check there tells you right or not yet, and
# gives a hint after the second miss. Each solution below is the code a learner can write with
# the lesson above the exercise, followed by the same check.

# %%
import nrrkit as nk
from nrrkit import levers, scenarios
from nrrkit.exercises import Exercises

mrr = nk.datasets.load_sample()

# %% [markdown]
# ## 00 - index

# %%
# NBVAL_CHECK_OUTPUT
ex = Exercises("00")
last = nk.retention(mrr, window=12).iloc[-1]
print(ex.check("q1", last.customers_retained))
b = nk.bridge(mrr).iloc[-1]
print(ex.check("q2", b.end_mrr - b.start_mrr))

# %% [markdown]
# ## 01 - NRR in ten minutes

# %%
# NBVAL_CHECK_OUTPUT
ex = Exercises("01")
print(ex.check("q1", nk.nrr(200_000, 30_000, 10_000, 14_000)))
print(ex.check("q2", nk.grr(200_000, 10_000, 14_000)))
print(ex.check("q3", 3_000 + 5_000))          # expansion must replace what was lost
print(ex.check("q4", last.customers_retained / last.customers_start))

# %% [markdown]
# ## 02 - Your data

# %%
# NBVAL_CHECK_OUTPUT
ex = Exercises("02")
cmp = nk.compare_methods(mrr)
print(ex.check("q1", cmp.sort_values("nrr").iloc[-1].method))
print(ex.check("q2", nk.retention(mrr, window=3).iloc[-1].nrr))
by_segment = nk.retention(mrr, by="segment")
print(ex.check("q3", by_segment[by_segment.segment == "SMB"].iloc[-1].grr))

# %% [markdown]
# ## 03 - Cohorts and segments

# %%
# NBVAL_CHECK_OUTPUT
ex = Exercises("03")
curve = nk.cohort_curve(mrr, period="M").set_index("age")
print(ex.check("q1", curve.loc[12, "value"]))
pricing = nk.segment_summary(mrr, "pricing", window=3)
parts = pricing.iloc[:-1]                      # leave out the Total row
print(ex.check("q2", parts.nrr.mean()))
print(ex.check("q3", nk.nrr_interval(mrr, level=0.8, progress=False).low))

# %% [markdown]
# ## 04 - Levers

# %%
# NBVAL_CHECK_OUTPUT
ex = Exercises("04")
print(ex.check("q1", 1 - (1 - 0.12) ** (1 / 12)))
print(ex.check("q2", levers.nrr_from_levers(churn=levers.annual_churn(0.02), contraction=0.03, expansion=0.15)))
w = levers.what_if(mrr, expansion=0.1, by="segment", segment="Enterprise")
print(ex.check("q3", w[w.segment == "Total"].nrr_adjusted.iloc[0]))

# %% [markdown]
# ## 05 - Five-year scenarios

# %%
# NBVAL_CHECK_OUTPUT
ex = Exercises("05")
print(ex.check("q1", scenarios.project_arr(5e6, nrr=1.10, new_rate=0.30).end_arr.iloc[-1]))
print(ex.check("q2", 3e6 / (1 - 0.80)))
print(ex.check("q3", scenarios.project_arr(10e6, nrr=1.25, new_rate=0.2, spend_per_new_dollar=1.5).spend.sum()))
