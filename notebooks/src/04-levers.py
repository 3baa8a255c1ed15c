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
# # 04 - Levers
#
# **You will learn:** the three levers of NRR (churn, contraction, expansion) in the four-number
# model, and why that model alone cannot say which lever matters most; how monthly churn
# compounds into annual churn; why losing customers and losing revenue are different numbers;
# how far each lever has really moved for a company, what a segment's lever weighs in the
# company's NRR, and where to spend next quarter. **You need:** `01`.

# %% tags=["parameters"]
DATA = None
MAX_MONTH = "2025-12"
SEGMENT = "segment"

# %%
import textwrap

import matplotlib.pyplot as plt
from IPython.display import Markdown, display

import nrrkit as nk
from nrrkit import apps, levers, plot, sources
from nrrkit.exercises import Exercises

plt.rcParams["figure.dpi"] = 80
ex = Exercises("04")
mrr = nk.datasets.load_sample() if DATA is None else nk.read_mrr(DATA, max_month=MAX_MONTH)


def pct(x, digits=1):
    return f"{x * 100:.{digits}f}%"


def pts(x, digits=1):
    return f"{x * 100:.{digits}f} points"


# %% [markdown]
# ## Step 1: the four-number model
#
# Write each lever as a share of the revenue the base customers paid a year ago (their
# **starting ARR**): churn 10% means the customers who left took 10% of it with them. Then
#
# `NRR = 1 - churn - contraction + expansion` and `GRR = 1 - churn - contraction`.
#
# Worked example (the cell computes it): churn 10%, contraction 3%, expansion 15%.

# %%
# NBVAL_CHECK_OUTPUT
example = {"churn": 0.10, "contraction": 0.03, "expansion": 0.15}
print(f"NRR = 1 - {example['churn']} - {example['contraction']} + {example['expansion']} = "
      f"{levers.nrr_from_levers(**example):.1%}; GRR = {levers.grr_from_levers(churn=0.10, contraction=0.03):.1%}")

# %% [markdown]
# **Why every lever is point for point here.** NRR is a *sum* of the three levers, each with a
# weight of +1 or -1. One point less churn adds exactly one point of NRR; so does one point less
# contraction, and one point more expansion, whatever the other two are. Moving each lever by the
# same 5 points therefore gives three bars of the same length: the model alone cannot tell you
# which lever matters most. Two things it leaves out decide that, and the rest of this notebook
# measures both on the company's own data: **how far each lever can really move**, and **how much
# of the revenue it acts on** (a segment's share of the base).

# %%
same_step = levers.tornado(example, step=0.05)
fig, ax = plt.subplots(figsize=(8, 3), layout="constrained")
plot.tornado(same_step, ax=ax)
plt.show()

# %% [markdown]
# Each end of a bar names the lever setting that gives it: for churn the left end (lower NRR) is
# the *higher* churn. Contraction is clipped: it cannot go below 0%.
#
# The grid below is the same model over two levers at once (contraction held at 3%): each cell is
# an NRR, and the black line is where NRR is exactly 100%. The lines of equal NRR are straight,
# at 45 degrees: one point of churn is traded for one point of expansion.

# %%
grid = levers.sensitivity_grid(x="churn", y="expansion", fixed={"contraction": 0.03})
fig, ax = plt.subplots(figsize=(8, 5), layout="constrained")
plot.sensitivity_heatmap(grid, ax=ax)
plt.show()

# %% [markdown]
# Move the levers yourself. Rates are in percent: type `15` or `15%` into a readout. The toggle
# shows churn a month or a year (the next section explains the difference); the scenario stays
# the same when you switch.

# %% tags=["nbval-ignore-output"]
lever_app = apps.LeverExplorer(**example)
lever_app

# %% [markdown]
# ## The non-linear side, 1: monthly churn compounds
#
# Churn quoted a month does not multiply by 12. Each month a share of what is *left* survives:
# with 3% of revenue churning each month, 97% survives a month and 0.97^12 of it survives the
# year. `levers.annual_churn(monthly)` computes `1 - (1 - monthly) ** 12`; `levers.monthly_churn(annual)`
# goes the other way. Both are used below.

# %%
# NBVAL_CHECK_OUTPUT
print(f"levers.annual_churn(0.03) = {levers.annual_churn(0.03):.4f}  (3% a month is {levers.annual_churn(0.03):.1%} "
      f"a year, not {12 * 0.03:.0%})")
print(f"levers.monthly_churn(0.25) = {levers.monthly_churn(0.25):.4f}  (25% a year is {levers.monthly_churn(0.25):.2%} "
      f"a month, not {0.25 / 12:.2%})")
for row in levers.churn_table().itertuples():  # the guide's reason on its own lines: it fits a page's width
    print(f"{row.monthly_churn:.1%}/month -> {row.annual_churn:.1%}/year -> NRR {row.nrr:.1%} with 10% expansion "
          f"(guide: {row.nrr_article:.0%})")
    print(textwrap.fill(row.why, width=84, initial_indent="    ", subsequent_indent="    "))
print(textwrap.fill(f"Source: {sources.MITCHELL_2026}", width=88, subsequent_indent="    "))

# %% [markdown]
# **Why it matters:** a founder who multiplies monthly churn by 12 overstates annual churn and
# understates NRR, and the gap grows with the rate. On the company's own data: each segment's
# monthly revenue churn over the last twelve months (churned MRR / MRR at the start of each
# month), multiplied by 12, compounded, and what the 12-month cohort measured.

# %%
comp = levers.churn_compounding(mrr, by=SEGMENT)
comp.rename(columns={"monthly": "monthly churn", "times_12": "x 12 (wrong)", "compounded": "compounded a year",
                     "cohort": "12-month cohort churn"}).style.format(
    {c: "{:.1%}" for c in ["monthly churn", "x 12 (wrong)", "compounded a year", "12-month cohort churn"]}
).hide(axis="index")

# %%
worst = comp.sort_values("monthly").iloc[-1]
display(Markdown(
    f"Over {comp.attrs['months']}, {worst[SEGMENT]} lost {pct(worst.monthly, 2)} of its MRR a month: "
    f"{pct(worst.times_12)} a year if multiplied by 12, {pct(worst.compounded)} compounded. Its 12-month cohort "
    f"churn is lower again, {pct(worst.cohort)}, because the monthly figure also counts the customers who "
    f"joined during the year, and young customers leave more often than established ones."))

# %% [markdown]
# ## The non-linear side, 2: customers lost are not revenue lost
#
# "3% of customers left" is **logo churn**: it counts customers. The lever model uses **revenue
# churn**: the share of the base's *revenue* that left. They differ whenever the customers who
# leave are not average-sized. Over the last 12-month window, by segment:

# %%
lr = levers.logo_and_revenue_churn(mrr, by=SEGMENT)
lr[[SEGMENT, "customers_start", "customers_churned", "logo_churn", "revenue_churn"]].rename(columns={
    "customers_start": "base customers", "customers_churned": "customers who left",
    "logo_churn": "logo churn (customers)", "revenue_churn": "revenue churn (MRR)"}).style.format(
    {"logo churn (customers)": "{:.1%}", "revenue churn (MRR)": "{:.1%}", "base customers": "{:,}",
     "customers who left": "{:,}"}).hide(axis="index")

# %%
total = levers.logo_and_revenue_churn(mrr).iloc[0]
display(Markdown(
    f"For the whole company, {total.customers_churned:,.0f} of {total.customers_start:,.0f} base customers left "
    f"({pct(total.logo_churn)} logo churn), taking {pct(total.revenue_churn)} of the base's MRR. Where revenue "
    f"churn is below logo churn, the customers who left were smaller than the average customer; where it is "
    f"above, they were larger. Keeping one large account can be worth more than keeping many small ones."))

# %% [markdown]
# ## How far each lever has really moved
#
# The four-number model says every point is worth a point. The question is how many points each
# lever can move. The company's own history answers it: `levers.lever_ranges` measures each
# lever's annual rate in every 12-month window of the data and reports its best and worst.

# %%
ranges = levers.lever_ranges(mrr)
ranges[["lever", "current", "best", "best_month", "worst", "worst_month", "range"]].rename(columns={
    "current": "now", "best_month": "best: 12 months to", "worst_month": "worst: 12 months to",
    "range": "range (points of NRR)"}).style.format(
    {"now": "{:.1%}", "best": "{:.1%}", "worst": "{:.1%}", "range (points of NRR)": lambda v: f"{v * 100:.1f}"}
).hide(axis="index")

# %% [markdown]
# The tornado again, now with each lever over the range it really moved, around today's NRR:

# %%
measured = levers.measured_tornado(mrr)
fig, ax = plt.subplots(figsize=(8.5, 3.2), layout="constrained")
plot.tornado(measured, ax=ax)
plt.show()

# %%
top, second = ranges.iloc[0], ranges.iloc[1]
display(Markdown(
    f"Over the {ranges.attrs['windows']}, **{top.lever}** moved most: from {pct(top.worst)} (12 months to "
    f"{top.worst_month}) to {pct(top.best)} (to {top.best_month}), {pts(top.range)} of NRR. {second.lever.capitalize()} "
    f"moved {pts(second.range)}, {ranges.iloc[2].lever} {pts(ranges.iloc[2].range)}. For this company, "
    f"{top.lever} is the lever that has moved NRR most; whether it is the one to work on depends on where it acts, "
    f"which the next section measures."))

# %% [markdown]
# ## Segment weight: the same change, very different effects
#
# A lever acts on one segment's revenue. Improving it by the same share in each segment moves the
# segment's own NRR by `change x rate`, and the company's NRR by that **times the segment's share of
# the base** (the base's MRR in the base month). A small segment with terrible churn can matter
# less than a large one with modest churn. The table: each lever improved by a fifth (a fifth less
# churn or contraction, a fifth more expansion), one segment at a time, in points of company NRR.

# %%
weights = levers.segment_weights(mrr, by=SEGMENT, change=0.2)
table = weights.pivot(index=SEGMENT, columns="lever", values="company_nrr_change") * 100
table["share of base"] = weights.groupby(SEGMENT)["share"].first()
table[["share of base", "churn", "contraction", "expansion"]].rename(columns={
    "churn": "churn a fifth lower", "contraction": "contraction a fifth lower",
    "expansion": "expansion a fifth higher"}).style.format(
    {"share of base": "{:.1%}", "churn a fifth lower": "+{:.2f} pts", "contraction a fifth lower": "+{:.2f} pts",
     "expansion a fifth higher": "+{:.2f} pts"})

# %%
fig, ax = plt.subplots(figsize=(8.5, 4.6), layout="constrained")
plot.segment_levers(weights, ax=ax)
plt.show()

# %%
churn_rows = weights[weights.lever == "churn"].sort_values("rate")
high, low = churn_rows.iloc[-1], churn_rows.iloc[0]
display(Markdown(
    f"{high[SEGMENT]} has the highest churn rate ({pct(high.rate)} of its base revenue a year), yet it is "
    f"{pct(high.share)} of the company's base: a fifth less {high[SEGMENT]} churn moves its own NRR by "
    f"{pts(high.segment_nrr_change)} and the company's by only {pts(high.company_nrr_change, 2)} "
    f"({pct(high.rate)} x 0.2 x {pct(high.share)}). {low[SEGMENT]}, at {pct(low.rate)} churn but "
    f"{pct(low.share)} of the base, moves the company by {pts(low.company_nrr_change, 2)} for the same fifth."))

# %% [markdown]
# The same result from the what-if that edits the measured amounts, for a fifth less churn in the
# segment with the highest churn rate (`levers.what_if` recomputes every segment and the total from
# the dollars):

# %%
# NBVAL_CHECK_OUTPUT
wi = levers.what_if(mrr, churn=-0.2, by=SEGMENT, segment=high[SEGMENT])
for row in wi.itertuples():
    print(f"{getattr(row, SEGMENT):<11} churned MRR {row.churn:>10,.0f} -> {row.adj_churn:>10,.0f}   "
          f"NRR {row.nrr:.1%} -> {row.nrr_adjusted:.1%}  ({row.nrr_change * 100:+.2f} points)")

# %% [markdown]
# ## Where to spend next quarter
#
# A realistic target for a lever is a rate the segment has **already reached** in one of its
# 12-month windows. `levers.where_to_spend` brings each segment's lever back to its own best,
# one at a time, and ranks them by the company NRR that adds (and what that is worth in ARR a
# year on today's base).

# %%
spend = levers.where_to_spend(mrr, by=SEGMENT)
spend.head(5)[
    [SEGMENT, "lever", "share", "current", "best", "best_month", "company_nrr_gain", "arr_gain"]].rename(columns={
        "share": "share of base", "current": "rate now", "best": "its best", "best_month": "best: 12 months to",
        "company_nrr_gain": "company NRR gained", "arr_gain": "ARR a year"}).style.format(
    {"share of base": "{:.1%}", "rate now": "{:.1%}", "its best": "{:.1%}",
     "company NRR gained": lambda v: f"+{v * 100:.2f} pts", "ARR a year": lambda v: plot.money(v)}
).hide(axis="index")

# %%
first, runner = spend.iloc[0], spend.iloc[1]
display(Markdown(
    f"**Where to spend:** {first[SEGMENT]} {first.lever}. It is {pct(first.current)} of {first[SEGMENT]}'s base "
    f"revenue now and was {pct(first.best)} in the 12 months to {first.best_month}; getting back there adds "
    f"{pts(first.company_nrr_gain, 2)} of company NRR, about {plot.money(first.arr_gain)} of ARR a year, because "
    f"{first[SEGMENT]} is {pct(first.share)} of the base. Next: {runner[SEGMENT]} {runner.lever} "
    f"({pts(runner.company_nrr_gain, 2)}, {plot.money(runner.arr_gain)}). The ranking uses the company's own best "
    f"windows, so every target has been reached before; it says where effort pays, not what the effort costs."))

# %% [markdown]
# ## Exercises
#
# These use the sample company.

# %% [markdown] tags=["notebook-only"]
# Answer in place of `...`, or in the box under the cell.

# %% [markdown]
# **q1.** Which constant monthly churn compounds to 12% a year? (A rate, such as `0.0123` or
# `"1.23%"`.)

# %%
answer = ...
ex.check("q1", answer)

# %% [markdown]
# **q2.** Cut SMB churn in half (everything else as measured): by how many points does the
# company's NRR rise? (For example `"0.8 points"`.)

# %%
answer = ...
ex.check("q2", answer)

# %% [markdown]
# **q3.** Compare Enterprise's logo churn and revenue churn in the table above. Were the
# Enterprise customers who left larger than the average Enterprise customer, smaller, or about
# the same size?

# %% [markdown] tags=["notebook-only"]
# Answer with the letter: a) larger than the average Enterprise customer, b) smaller than the
# average Enterprise customer, c) about the same size.

# %%
answer = ...
ex.check("q3", answer)
