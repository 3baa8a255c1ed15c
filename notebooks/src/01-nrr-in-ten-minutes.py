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
# # 01 - NRR in ten minutes
#
# **You will learn:** what MRR and ARR are, how NRR and GRR are computed from four numbers, what
# logo retention adds, and how to read a level such as "Good". **You need:** nothing but nrrkit.

# %%
import matplotlib.pyplot as plt

import nrrkit as nk
from nrrkit import apps
from nrrkit.exercises import Exercises

plt.rcParams["figure.dpi"] = 80
ex = Exercises("01")

# %% [markdown]
# ## MRR and ARR
#
# **MRR** (monthly recurring revenue) is what your customers pay you each month for the
# subscription, without one-off fees. **ARR** (annual recurring revenue) is the same run rate
# over a year: ARR = 12 x MRR. A company whose customers pay 125,000 a month has 1.5M of ARR
# (amounts in these notebooks are in dollars; 1.5M is one and a half million).
# Investors quote ARR; the data usually arrives as MRR. Every ratio in these notebooks (NRR, GRR)
# is the same whichever you use, because the 12 cancels out.

# %%
# NBVAL_CHECK_OUTPUT
monthly = 125_000
print(f"MRR {monthly:,} a month is ARR {12 * monthly:,} a year")

# %% [markdown]
# ## NRR: what last year's customers pay you now
#
# Take the customers who paid you a year ago. Add up what they paid then (the **start**). Over
# the year some paid more (**expansion**), some paid less (**contraction**), some left
# (**churn**, counted as everything they used to pay). Customers who joined during the year are
# *not* in it: NRR is about the customers you already had.
#
# NRR = (start + expansion - contraction - churn) / start
#
# Worked example: start 100,000, expansion 15,000, contraction 3,000, churn 5,000. The same
# customers now pay 100,000 + 15,000 - 3,000 - 5,000 = 107,000, so NRR = 107%.
#
# **Why it matters to a founder:** above 100%, your existing customers grow revenue by
# themselves, before you sign anyone new. Investors read it as "does the product get more
# valuable to the customers who have it?"

# %%
# NBVAL_CHECK_OUTPUT
print(f"NRR {nk.nrr(100_000, 15_000, 3_000, 5_000):.1%}")

# %% [markdown]
# ## GRR: what you keep before any upsell
#
# GRR leaves expansion out: GRR = (start - contraction - churn) / start. In the example,
# (100,000 - 3,000 - 5,000) / 100,000 = 92%. GRR can never exceed 100%.
#
# **Why it matters:** NRR can hide a leaky base. Two companies at NRR 110% can have GRR 95% (a
# loyal base with modest upsell) or GRR 80% (a fifth of the revenue walks away each year and
# expansion papers over it). The second one must keep upselling just to stand still.

# %%
# NBVAL_CHECK_OUTPUT
for name, start, expansion, contraction, churn in [("loyal base", 100_000, 15_000, 3_000, 2_000),
                                                   ("leaky base", 100_000, 30_000, 8_000, 12_000)]:
    n, g = nk.nrr(start, expansion, contraction, churn), nk.grr(start, contraction, churn)
    print(f"{name:<11} NRR {n:.0%}  GRR {g:.0%}")

# %% [markdown]
# ## Logo retention: customers, not dollars
#
# Logo retention counts customers: of the customers paying at the start, the share still paying
# at the end. If 50 customers paid a year ago and 44 of them still pay, logo retention is
# 44 / 50 = 88%, whatever they pay now.
#
# **Why it matters:** a company can have NRR 120% while losing a third of its customers, if a
# few large ones expand a lot. Logo retention tells you whether the product keeps customers;
# NRR tells you whether it keeps revenue. Read them together.

# %%
# NBVAL_CHECK_OUTPUT
mrr = nk.datasets.load_sample()
last = nk.retention(mrr).iloc[-1]
print(f"sample company, {last.month:%Y-%m}: NRR {last.nrr:.1%}, GRR {last.grr:.1%}, "
      f"logo retention {last.logo_retention:.1%} ({last.customers_retained:,} of {last.customers_start:,} base "
      f"customers still pay)")

# %% [markdown]
# ## Levels: a yearly scale
#
# Practitioners grade NRR on a six-step scale (printed below, from Sarah Mitchell, "Net Revenue
# Retention: The Holy Grail Metric", 2026). The scale is for **12-month** NRR: a 3-month NRR of
# 105% compounds to about 122% a year, so grading it "Good" would be wrong. nrrkit only gives a
# level to a 12-month figure.

# %%
# NBVAL_CHECK_OUTPUT
for row in nk.benchmarks.LEVELS.itertuples():
    span = (f"under {row.nrr_high:.0%}" if row.nrr_low == float("-inf") else
            f"{row.nrr_low:.0%} and above" if row.nrr_high == float("inf") else
            f"{row.nrr_low:.0%} to under {row.nrr_high:.0%}")
    print(f"{row.level:<12} {span:<20} {row.meaning}")
print(f"107% over a year: {nk.assess(1.07)}")
print(f"105% over 3 months compounds to {1.05 ** 4:.1%} a year")

# %% [markdown]
# ## A calculator
#
# Move the four numbers; NRR, GRR and the bridge follow. Amounts are in dollars.

# %% tags=["nbval-ignore-output"]
calc = apps.NRRCalculator(start=100_000, expansion=15_000, contraction=3_000, churn=5_000)
calc

# %% [markdown]
# ## Exercises

# %% [markdown] tags=["notebook-only"]
# Write your answer in place of `...` (a number such as `1.05`, or text such as `"105%"`), run the
# cell, and read what the check says (or answer in the box under the cell).

# %% [markdown]
# **q1.** A company starts the year at 200,000 MRR; its customers expand by 30,000, contract
# by 10,000 and churn 14,000. What is its NRR?

# %%
answer = ...
ex.check("q1", answer)

# %% [markdown]
# **q2.** The same company: what is its GRR?

# %%
answer = ...
ex.check("q2", answer)

# %% [markdown]
# **q3.** Start 100,000, contraction 3,000, churn 5,000: how much expansion (in dollars)
# brings NRR to exactly 100%?

# %%
answer = ...
ex.check("q3", answer)

# %% [markdown]
# **q4.** Compare the sample company's logo retention with its GRR (both printed above). What does
# that say about the base customers who stopped paying?

# %% [markdown] tags=["notebook-only"]
# Answer with the letter: a) they paid less than the average base customer; b) they paid more
# than the average base customer; c) nothing: logo retention and GRR measure the same thing.

# %%
answer = ...
ex.check("q4", answer)
