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
# # 03 - Cohorts and segments
#
# **You will learn:** which customers produce your NRR: cohorts by start date and how to read
# their ages, why the average curve is dollar-weighted, the layer cake, segments (and why
# averaging their percentages is wrong), how much rests on a few accounts, how sure the figure
# is, where it sits against benchmarks, and which warning signals are on. **You need:** `01`, `02`.

# %% tags=["parameters"]
DATA = None
SEGMENT = "segment"
ENTERPRISE = "Enterprise"
MAX_MONTH = "2025-12"

# %%
import matplotlib.pyplot as plt
from IPython.display import Markdown, display

import nrrkit as nk
from nrrkit import apps, plot, sources
from nrrkit.exercises import Exercises
from nrrkit.months import label

plt.rcParams["figure.dpi"] = 80
ex = Exercises("03")
mrr = nk.datasets.load_sample() if DATA is None else nk.read_mrr(DATA, max_month=MAX_MONTH)

# %% [markdown]
# ## Cohorts and their ages
#
# A **cohort** is every customer who started paying in the same period, say the first quarter of
# 2024. Its **age** counts periods since then: age 1 is the end of the next quarter, age 4 a
# year later. Each cell of the heatmap is the cohort's MRR at that age divided by what its
# customers paid when they started. 130% at age 4 means that group of customers pays 30% more a
# year on, churn included.
#
# **Why age 0 of a quarterly cohort is not 100%:** the cell at age 0 is the cohort's MRR at the
# end of its first quarter, and it is divided by what each customer paid in its first month. A
# customer who joined in January has had two months to upgrade or leave by the end of March, so
# the quarter's first cell is already a little above or below 100%.
#
# **Why it matters:** a single NRR mixes customers of every age. Cohorts show whether recent
# customers behave like the old ones: if the newer rows are paler at the same age, the product
# or the customer mix has changed. Blue is above 100%, red below; the colour scale is centred on
# 100% so equal gaps look equally strong.

# %%
table = nk.cohort_table(mrr, period="Q")
fig, ax = plt.subplots(figsize=(9, 4.8), layout="constrained")
plot.cohort_heatmap(table, ax=ax)
plt.show()

# %%
first_paid = mrr[mrr["mrr"] > 0].groupby("customer_id")["month"].min()
data_start = mrr["month"].min()
first_q = first_paid[first_paid.dt.quarter.eq(data_start.quarter) & first_paid.dt.year.eq(data_start.year)]
already = int((first_q == data_start).sum())
display(Markdown(
    f"**The first row is different.** The first cohort ({label(table.index[0], 'Q')}) holds {len(first_q):,} of the "
    f"{len(first_paid):,} customers, and {already:,} of them ({already / len(first_q):.0%}) already pay in "
    f"{data_start:%Y-%m}, the first month of the data. Most of them were customers before the data starts: the "
    f"data cannot see when they really signed, so their age counts from {data_start:%Y-%m}, and the row mixes "
    f"customers of every true age. Read the later cohorts for how new customers behave."))

# %% [markdown]
# ## The average curve is dollar-weighted
#
# To summarise all cohorts at one age, nrrkit adds up their MRR at that age and divides by the
# sum of their starting MRR, rather than averaging the percentages. Worked example: a 100,000
# cohort at 120% and a 10,000 cohort at 50%. Averaging the percentages gives 85%; in dollars
# the two cohorts started at 110,000 and now pay 125,000, which is 113.6%. The dollars are
# what your bank account sees, so the curve uses them.

# %%
# NBVAL_CHECK_OUTPUT
print(f"percent average {(1.20 + 0.50) / 2:.1%}, dollar-weighted {(100_000 * 1.20 + 10_000 * 0.50) / 110_000:.1%}")
curve = nk.cohort_curve(mrr, period="Q").set_index("age")
for age in (1, 4, 8):
    print(f"after {age} quarter(s): {curve.loc[age, 'value']:.1%} of starting MRR "
          f"({curve.loc[age, 'cohorts']} cohorts, dollar-weighted)")

# %% [markdown]
# The same curve by month of age: `nk.cohort_table(mrr, period="M")` and
# `nk.cohort_curve(mrr, period="M")` (quarters are `"Q"`, years `"Y"`). Each thin line is one
# monthly cohort, the thick line the dollar-weighted curve.

# %%
fig, ax = plt.subplots(figsize=(8, 3.8), layout="constrained")
plot.cohort_curves(nk.cohort_table(mrr, period="M"), curve=nk.cohort_curve(mrr, period="M"), ax=ax)
plt.show()

# %% [markdown]
# ## The layer cake
#
# The layer cake stacks today's MRR by the quarter each customer started. Each band is one
# cohort; a band that thickens over time is a cohort that expands. If the old bands thin out
# quickly, growth depends on new customers replacing lost ones. A founder can point at the
# bottom layers and say "customers from two years ago pay us more today than when they signed".

# %%
fig, ax = plt.subplots(figsize=(8, 4.2), layout="constrained")
plot.layer_cake(nk.layer_cake(mrr, period="Q"), ax=ax)
plt.show()

# %% [markdown]
# ## Segments, and the averaging trap
#
# NRR per segment (Enterprise, Mid-Market, SMB) shows where expansion comes from. The company
# NRR is **not** the average of the segment NRRs: it weighs each segment by its starting MRR.
# With Enterprise at 130% on 800K and SMB at 90% on 200K, the average of the two is 110%
# but the company figure is (800 x 1.30 + 200 x 0.90) / 1000 = 122%. Quoting the plain average
# understates (or overstates) the business.

# %%
# NBVAL_CHECK_OUTPUT
seg = nk.segment_summary(mrr, SEGMENT)
for row in seg.itertuples():
    print(f"{row.segment:<11} NRR {row.nrr:.1%}  GRR {row.grr:.1%}  share of start MRR {row.share_of_start:.0%}")
print(f"average of the segment NRRs: {seg.attrs['average_of_segments']:.1%} - not the company's NRR")

# %% [markdown]
# Pick another attribute (plan, pricing, channel) or another window:

# %% tags=["nbval-ignore-output"]
segments = apps.SegmentExplorer(mrr)
segments

# %% [markdown]
# **Mix shift:** NRR can move because each segment changed (performance) or because the weights
# moved, for instance more of the base is now Enterprise (mix). nrrkit splits the change in two.

# %%
# NBVAL_CHECK_OUTPUT
shift = nk.mix_shift(mrr, SEGMENT)
print(f"NRR changed {shift.attrs['change'] * 100:+.1f} points from {shift.attrs['start']} to {shift.attrs['end']}: "
      f"{shift.attrs['performance'] * 100:+.1f} from performance, {shift.attrs['mix'] * 100:+.1f} from mix")

# %% [markdown]
# ## Accounts and concentration
#
# A 130% NRR that rests on one customer tripling is fragile. The chart lists the largest gains
# and losses of the year; the lines under it recompute NRR with the top 1, 5 and 10 expanding
# customers taken out. If NRR falls below 100% without five customers, say so before an
# investor finds it.

# %%
fig, ax = plt.subplots(figsize=(8, 4.5), layout="constrained")
plot.top_movers(nk.top_movers(mrr, 8), ax=ax)
plt.show()

# %%
# NBVAL_CHECK_OUTPUT
for row in nk.concentration(mrr).itertuples():
    print(f"without the top {row.removed:>2} expanders: NRR {row.nrr:.1%}")

# %% [markdown]
# ## How sure is the figure? The interval
#
# NRR is computed from a particular set of customers. Had a few different customers been in the
# base, the figure would differ. The **bootstrap** redraws the base cohort 2,000 times (with
# replacement) and recomputes NRR each time; the middle 90% of those draws is the interval. The
# fewer the customers, and the more NRR rests on a few of them, the wider it is. `level=` sets
# how much of the draws the interval holds: `level=0.95` is wider than the default 90%.

# %%
# NBVAL_CHECK_OUTPUT
ci = nk.nrr_interval(mrr, progress=False)   # no progress bar: this output is checked
wide = nk.nrr_interval(mrr, level=0.95, progress=False)
print(f"NRR {ci.nrr:.1%}, 90% interval {ci.low:.1%} to {ci.high:.1%} ({ci.customers:,} base customers)")
print(f"level=0.95: {wide.low:.1%} to {wide.high:.1%}")

# %%
span = (ci.high - ci.low) * 100
display(Markdown(
    f"With {ci.customers:,} base customers the 90% interval spans {span:.1f} points ({ci.low:.1%} to {ci.high:.1%}): "
    f"NRR sums what each customer's revenue did, and a few customers who expand a lot move it far, so even a "
    f"large base leaves a wide interval. Quote the interval next to the figure: "
    + ("it is wide enough for the level to change inside it." if nk.assess(ci.low) != nk.assess(ci.high) else
       f"the whole interval is in one level, {nk.assess(ci.nrr)}.")))

# %% [markdown]
# ## Benchmarks: the whole scale, and what it applies to
#
# The performance levels grade a **12-month** NRR (apply them to a 1- or 3-month figure only
# after annualising it). The stage table gives the NRR investors expect at each funding stage.
# Each source measures NRR its own way, so a position is a rough placement, not a verdict.

# %%
# NBVAL_CHECK_OUTPUT
for row in nk.benchmarks.LEVELS.itertuples():
    span = (f"under {row.nrr_high:.0%}" if row.nrr_low == float("-inf") else
            f"{row.nrr_low:.0%} and above" if row.nrr_high == float("inf") else
            f"{row.nrr_low:.0%} to under {row.nrr_high:.0%}")
    print(f"{row.level:<12} {span:<20} {row.meaning}")
print("Source:", sources.MITCHELL_2026)

# %%
last = nk.retention(mrr).iloc[-1]
nk.compare_to_benchmarks(nrr=last.nrr, grr=last.grr, stage="Series B")[["table", "row", "metric", "benchmark",
                                                                       "position", "source"]]

# %% [markdown]
# ## Warning signals, with their thresholds
#
# Six signals watch the 12-month figures month by month (thresholds from the same guide):
#
# | signal | fires when | level |
# |---|---|---|
# | NRR falling | NRR under 100% and down three months in a row | critical |
# | GRR low | GRR under 85% | high |
# | churn jump | churned MRR up 20% or more on the month before | high |
# | weak expansion | expansion under 10% of starting MRR | medium |
# | heavy contraction | contraction over 5% of starting MRR | medium |
# | enterprise slipping | NRR of the enterprise segment under 110% | high |
#
# A signal is a prompt to look, not a verdict: one bad month of churn can be one large customer.

# %%
# NBVAL_CHECK_OUTPUT
sig = nk.signals(mrr, enterprise=ENTERPRISE, by=SEGMENT, last=12)
print(f"{len(sig)} signal(s) in the last 12 end months")
for row in sig.itertuples():
    print(f"[{row.level}] {row.month:%Y-%m}: {row.message}")

# %% [markdown]
# The dashboard puts the monthly figures beside their targets (rates as percent, the 3-month
# change in points):

# %%
dash = nk.dashboard(mrr)
dash["target"] = [f"{d} {t:.0%}" for d, t in zip(dash["direction"], dash["target"])]
dash.drop(columns="direction").style.format({"current": "{:.1%}",
                                             "change_3m": lambda v: f"{v * 100:+.1f} pts"}).hide(axis="index")

# %% [markdown]
# ## Explore cohorts
#
# Switch between revenue and logo retention, and between monthly, quarterly and yearly cohorts.

# %% tags=["nbval-ignore-output"]
cohorts = apps.CohortExplorer(mrr)
cohorts

# %% [markdown]
# ## Exercises

# %% [markdown] tags=["notebook-only"]
# Answer in place of `...`, or in the box under the cell.

# %% [markdown]
# **q1.** On the *monthly* cohort curve, what share of starting MRR is left at age 12
# (dollar-weighted over all cohorts)?

# %%
answer = ...
ex.check("q1", answer)

# %% [markdown]
# **q2.** In the segment table above, the plain average of the segment NRRs is not the company
# NRR. Why does it come out on the side it does?

# %% [markdown] tags=["notebook-only"]
# Answer with the letter: a) the segments with the higher NRR hold more of the starting MRR, so
# they weigh more in the company figure; b) the segments with the lower NRR hold more of the
# starting MRR, so they weigh more in the company figure; c) the company figure also counts
# customers who joined during the year.

# %%
answer = ...
ex.check("q2", answer)

# %% [markdown]
# **q3.** What is the lower end of an 80% interval for NRR (instead of 90%)?

# %%
answer = ...
ex.check("q3", answer)
