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
# # 05 - Five-year scenarios
#
# **You will learn:** how NRR compounds into ARR, why two companies with the same growth today
# can be very different businesses, what their growth costs, how ARR splits by vintage, and the
# ceiling a leaky bucket runs into. **You need:** `04`. Amounts are in dollars (10M is ten million).

# %% tags=["parameters"]
DATA = None
MAX_MONTH = "2025-12"

# %%
import matplotlib.pyplot as plt

import nrrkit as nk
from nrrkit import apps, plot, scenarios, sources
from nrrkit.exercises import Exercises

plt.rcParams["figure.dpi"] = 80
ex = Exercises("05")

# %% [markdown]
# ## NRR compounds
#
# Each year, last year's ARR is multiplied by NRR and new business is added:
# ARR next year = ARR this year x NRR + new business. Worked example: 10M at NRR 125% with new
# business worth 20% of ARR ends year 1 at 10 x 1.25 + 2 = 14.5M. The same company at NRR 105%
# ends at 12.5M. The gap looks small in year 1 and doubles by year 5, because NRR multiplies a
# larger base every year. This is the five-year table of Sarah Mitchell's guide (2026).

# %%
# NBVAL_CHECK_OUTPUT
both = scenarios.compare_scenarios({"NRR 105%": dict(start_arr=10e6, nrr=1.05, new_rate=0.2),
                                    "NRR 125%": dict(start_arr=10e6, nrr=1.25, new_rate=0.2)})
for row in both.itertuples(index=False):
    print(f"year {row[0]}: ${row[1] / 1e6:5.1f}M vs ${row[2] / 1e6:5.1f}M  (NRR 125% / NRR 105% = {row[3]:.2f}x)")
print("Source:", sources.MITCHELL_2026)

# %%
fig, ax = plt.subplots(figsize=(8, 4), layout="constrained")
plot.scenario_lines(both, ax=ax)
plt.show()

# %% [markdown]
# ## Company A and Company B: the same 14.5M after a year
#
# Company A keeps and grows its customers (NRR 125%) and adds new business worth 20% of ARR.
# Company B loses some (NRR 95%) and makes up for it with new business worth 50% of ARR. Both
# end year 1 at 14.5M. The difference is what the growth costs: if each dollar of new ARR costs a dollar
# of sales and marketing, B spends 5M to A's 2M in year 1, and the gap widens every year
# because B must buy back what it loses. A model where new business is a share of ARR lets B
# keep pace with A forever, but only by spending far more; the spend panel shows it.

# %%
# NBVAL_CHECK_OUTPUT
ab = scenarios.compare_scenarios({
    "Company A": dict(start_arr=10e6, nrr=1.25, new_rate=0.2, spend_per_new_dollar=1.0),
    "Company B": dict(start_arr=10e6, nrr=0.95, new_rate=0.5, spend_per_new_dollar=1.0)})
for name, p in ab.attrs["projections"].items():
    print(f"{name}: ARR year 1 ${p.end_arr.iloc[0] / 1e6:.1f}M, year 5 ${p.end_arr.iloc[-1] / 1e6:.1f}M; "
          f"new-business spend year 1 ${p.spend.iloc[0] / 1e6:.1f}M, five years ${p.spend.sum() / 1e6:.1f}M")

# %%
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4), layout="constrained")
plot.scenario_lines(ab, ax=ax1)
plot.spend_lines(ab, ax=ax2)
plt.show()

# %% [markdown]
# With a **fixed** amount of new business a year instead (the same 5M every year), B stops
# keeping pace: what it loses grows with its ARR while what it adds does not.

# %%
# NBVAL_CHECK_OUTPUT
fixed = scenarios.compare_scenarios({"Company A": dict(start_arr=10e6, nrr=1.25, new_arr=2e6),
                                     "Company B": dict(start_arr=10e6, nrr=0.95, new_arr=5e6)})
print(f"year 5 with fixed new business: A ${fixed['Company A'].iloc[-1] / 1e6:.1f}M, "
      f"B ${fixed['Company B'].iloc[-1] / 1e6:.1f}M")

# %% [markdown]
# ## Explore
#
# Choose how new business is modelled (a share of ARR, or fixed dollars a year) and what it
# costs. The ratio in the KPI and on the chart is the same one, read the same way: your scenario
# divided by the same company at NRR 100%.
#
# **NRR fade:** few companies hold a high NRR for five years. "NRR fades toward 100%" closes a
# share of the gap each year: at 125% with a 30% fade, NRR runs 125%, 117.5%, 112.3%, ... If NRR
# starts *below* 100%, fading toward 100% means losing less each year, so ARR rises; the app says
# which way it goes.

# %% tags=["nbval-ignore-output"]
scenario_app = apps.ScenarioExplorer(start_arr=10e6, nrr=1.25, new_rate=0.2)
scenario_app

# %% [markdown]
# ## Layers by vintage
#
# Stack each year's ARR by where it came from: the starting base and each year's new business,
# every layer compounding at NRR. With NRR above 100% the old layers grow; below, they shrink.

# %%
fig, ax = plt.subplots(figsize=(8, 4.2), layout="constrained")
plot.arr_layers(scenarios.layers(10e6, nrr=1.25, new_rate=0.2), ax=ax)
plt.show()

# %% [markdown]
# ## The leaky bucket
#
# With a fixed amount of new business a year and NRR below 100%, ARR stops growing at a ceiling
# where what leaks out equals what comes in: ceiling = new business / (1 - NRR). 2M a year at
# NRR 90% tops out at 2 / 0.1 = 20M, however long you sell.

# %%
# NBVAL_CHECK_OUTPUT
c = scenarios.ceiling(2e6, 0.9)
print(c.note)

# %% [markdown]
# ## A scenario calibrated from your data
#
# `calibrate` reads the starting ARR, the 12-month NRR and the new-business rate from the data.

# %%
# NBVAL_CHECK_OUTPUT
mrr = nk.datasets.load_sample() if DATA is None else nk.read_mrr(DATA, max_month=MAX_MONTH)
cal = scenarios.calibrate(mrr)
print(f"start ARR ${cal.start_arr / 1e6:.1f}M, NRR {cal.nrr:.1%}, new business {cal.new_rate:.1%} of ARR")
print("ARR by year ($M):", (cal.project().end_arr / 1e6).round(1).tolist())

# %% [markdown]
# ## Exercises
#
# Money can be a number (`2500000`) or text (`"$2.5M"`).
#
# **q1.** Start 5M ARR, NRR 110%, new business 30% of each year's starting ARR: ARR after 5
# years?

# %%
# NBVAL_CHECK_OUTPUT
answer = ...
ex.check("q1", answer)

# %% [markdown]
# **q2.** With 3M of new ARR a year and NRR 80%, what is the most ARR can ever reach?

# %%
# NBVAL_CHECK_OUTPUT
answer = ...
ex.check("q2", answer)

# %% [markdown]
# **q3.** Company A (start 10M, NRR 125%, new business 20% of ARR) pays 1.50 dollars of sales and
# marketing per dollar of new ARR: total new-business spend over 5 years?

# %%
# NBVAL_CHECK_OUTPUT
answer = ...
ex.check("q3", answer)
