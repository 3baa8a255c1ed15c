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
print(ex.check("q1", last.customers_retained))  # the column listed under the retention figures
b = nk.bridge(mrr).iloc[-1]
print(ex.check("q2", b.end_mrr - b.start_mrr))

# %% [markdown]
# ## 01 - NRR in ten minutes
#
# q4: logo retention (the share of base customers still paying) is below GRR (the share of base
# revenue kept, after churn and contraction). So a larger share of customers left than of
# revenue: the customers who left paid less than the average base customer.

# %%
# NBVAL_CHECK_OUTPUT
ex = Exercises("01")
print(ex.check("q1", nk.nrr(200_000, 30_000, 10_000, 14_000)))
print(ex.check("q2", nk.grr(200_000, 10_000, 14_000)))
print(ex.check("q3", 3_000 + 5_000))          # expansion must replace what was lost
logo_churn = 1 - last.logo_retention
revenue_churn = last.churn / last.start_mrr
print(ex.check("q4", "a" if revenue_churn < logo_churn else "b"))

# %% [markdown]
# ## 02 - Your data
#
# q1: the cohort method follows every base customer, the ones who left at 0; survivors leaves them
# out, which is why it looks best and why an investor will not take it. q3: NRR - GRR is the
# expansion rate, since NRR = 1 - churn - contraction + expansion and GRR = 1 - churn - contraction.

# %%
# NBVAL_CHECK_OUTPUT
ex = Exercises("02")
print(ex.check("q1", "b"))
print(ex.check("q2", nk.retention(mrr, window=3).iloc[-1].nrr))
print(ex.check("q3", last.nrr - last.grr))

# %% [markdown]
# ## 03 - Cohorts and segments
#
# q2: the company NRR weighs each segment by its starting MRR. Enterprise has both the highest NRR
# and the largest share of the starting MRR, so the weighted figure is above the plain average.

# %%
# NBVAL_CHECK_OUTPUT
ex = Exercises("03")
curve = nk.cohort_curve(mrr, period="M").set_index("age")
print(ex.check("q1", curve.loc[12, "value"]))
seg = nk.segment_summary(mrr, "segment")
parts = seg.iloc[:-1]                          # leave out the Total row
top_share = parts.sort_values("share_of_start").iloc[-1]
print(ex.check("q2", "a" if top_share.nrr == parts.nrr.max() else "b"))
print(ex.check("q3", nk.nrr_interval(mrr, level=0.8, progress=False).low))

# %% [markdown]
# ## 04 - Levers
#
# q2: a segment's lever moves company NRR by the change in its rate times its share of the base.
# Half of SMB's churn is half of its churned MRR, over the company's base MRR. q3: Enterprise's
# revenue churn is above its logo churn, so the customers who left were larger than average.

# %%
# NBVAL_CHECK_OUTPUT
ex = Exercises("04")
print(ex.check("q1", levers.monthly_churn(0.12)))
half = levers.what_if(mrr, churn=-0.5, by="segment", segment="SMB")
print(ex.check("q2", half.set_index("segment").loc["Total", "nrr_change"]))
ent = levers.logo_and_revenue_churn(mrr, by="segment").set_index("segment").loc["Enterprise"]
print(ex.check("q3", "a" if ent.revenue_churn > ent.logo_churn else "b"))

# %% [markdown]
# ## 05 - Five-year scenarios
#
# q2: at the ceiling what leaks out equals what comes in: new = ceiling x (1 - NRR).
# q3: each company grows by NRR - 1 + new rate a year (30% and 40%), so the ratio after five years
# is (1.4 / 1.3) ** 5, whatever the start.

# %%
# NBVAL_CHECK_OUTPUT
ex = Exercises("05")
print(ex.check("q1", scenarios.project_arr(10e6, nrr=1.05, new_arr=2e6).end_arr.iloc[-1]))
print(ex.check("q2", 30e6 * (1 - 0.90)))
print(ex.check("q3", (1.4 / 1.3) ** 5))
