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
# # 02 - Your data
#
# **You will learn:** how nrrkit reads and checks a revenue file, how the monthly bridge
# reconciles, how NRR, GRR and logo retention move month by month, and why two tools can give
# different NRRs for the same data. **You need:** `01`, and your own file if you have one.
#
# **Use it as a tool:** set the parameters in the next cell (or pass them with papermill:
# `papermill 02-your-data.ipynb out.ipynb -p DATA revenue.csv -p MRR "Monthly Revenue"`), then run
# all cells. Your numbers are never checked against anything: the cells only compute and show.
# `-p DATA revenue.csv` alone is enough for most files: the shape and known billing exports
# (Stripe and others) are read from the header. A file that cannot be read stops the run with one
# line saying why (papermill exits with an error), and a run on your own data leaves the
# exercises out.

# %% tags=["parameters"]
DATA = None            # a path to your .csv/.xlsx/.parquet, or None for the sample company
SHAPE = "auto"         # "auto" (from the header), "long": one row per customer and month; "wide": one
                       # column per month; "subscriptions": lines with start, end, amount, interval;
                       # "invoices": lines whose amount pays for the period from start to end
CUSTOMER = "customer_id"   # the column that names the customer
MONTH = "month"            # long shape: the column with the month
MRR = "mrr"                # long shape: the column with what the customer paid that month
START, END = "start", "end"    # subscription and invoice lines: the columns of the dates
AMOUNT = "amount"              # ... the amount of each line
INTERVAL = "interval"          # subscription lines: the billing interval (month, year, ...)
CURRENCY = None            # a column with each line's currency (then RATES converts them)
RATES = None               # {"EUR": 1.08, ...}: the value of one unit in the reporting currency
SHEET = None               # .xlsx: the sheet's name or number (default: the one with data)
MONTH_FORMAT = None        # e.g. "%d/%m/%Y" when months are not written year first
DECIMAL = "."              # "," for 1.200,50
AS_OF = None               # the last month of the span, e.g. "2025-06" (default: the data's last month)
MAX_MONTH = None           # the latest month accepted; None: up to the current month (a later one is a typo)
OPTIONS = {}               # any other keyword of nk.read_mrr, e.g. {"quantity": "seats", "renewal_grace": 7}
                           # (papermill: -y 'OPTIONS: {quantity: seats}')
WINDOW = 12                # months between the base month and the end month
BY = None                  # an attribute column (e.g. "segment", "plan") for the segment tables
EXERCISES = None           # None: shown with the sample company, left out with your own DATA

# %%
import matplotlib.pyplot as plt

import nrrkit as nk
from nrrkit import apps, plot
from nrrkit.exercises import Exercises

plt.rcParams["figure.dpi"] = 80
Exercises.silent = not (EXERCISES if EXERCISES is not None else DATA is None)  # a run on your data: no exercises


def load(path):
    """Read the file in the shape the parameters describe."""
    if path is None:
        return nk.datasets.load_sample()
    return nk.read_mrr(path, shape=SHAPE, customer=CUSTOMER, month=MONTH, mrr=MRR, start=START, end=END,
                       amount=AMOUNT, interval=INTERVAL, currency=CURRENCY, rates=RATES, sheet=SHEET,
                       month_format=MONTH_FORMAT, decimal=DECIMAL, as_of=AS_OF, max_month=MAX_MONTH,
                       **(OPTIONS or {}))


try:
    mrr = load(DATA)
except nk.DataError as err:  # one line saying why; papermill stops here and exits with an error
    why = str(err).replace("pass max_month='YYYY-MM' (CLI: --max-month)",
                           "set MAX_MONTH = 'YYYY-MM' in the parameters cell (papermill: -p MAX_MONTH YYYY-MM)")
    raise nk.DataError(f"Could not read the data: {why}") from None
print(nk.load_report(mrr))

# %% [markdown]
# ## What the checks do
#
# Reading stops at the first problem, with one line naming the file, the row as a spreadsheet
# counts it, the column, the value and what to do. Money may carry `$` and thousands
# separators; `1.200,50` needs `DECIMAL = ","`. Several rows for one customer and month are
# added up (several subscriptions), and the report says how many. A bad row looks like this:

# %%
# NBVAL_CHECK_OUTPUT
import pandas as pd

bad = pd.DataFrame({"customer_id": ["acme", "beta"], "month": ["2024-01", "2024-01"], "mrr": ["100", "-50"]})
try:
    nk.read_mrr(bad)
except nk.DataError as err:
    print(err)

# %% [markdown]
# ## Is there enough history?
#
# A 12-month NRR needs a base month twelve months before the end month, so at least 13 months of
# data. With less, the notebook says so here and the cells below show nothing rather than fail.

# %%
months = 0 if mrr is None else mrr["month"].nunique()
ENOUGH = mrr is not None and months > WINDOW
if mrr is not None and not ENOUGH:
    print(f"The data covers {months} month(s); a {WINDOW}-month window needs at least {WINDOW + 1}. "
          f"Set WINDOW to {max(months - 1, 1)} or less, or load a longer history.")

# %% [markdown]
# ## The monthly bridge
#
# Month by month, MRR moves by new, reactivated, expanding, contracting and churned customers.
# The waterfall adds up the last twelve months: start on the left, end on the right, each
# movement in between.

# %%
if mrr is not None:
    bridge = nk.bridge(mrr)
    fig, ax = plt.subplots(figsize=(8, 3.8), layout="constrained")
    plot.bridge_waterfall(bridge.tail(12), ax=ax)
    plt.show()

# %% [markdown]
# ## NRR, GRR and logo retention over time
#
# For every end month, nrrkit takes the customers who paid in the base month (end month minus
# the window) and compares what they pay now with what they paid then. A line that climbs means
# your existing customers are expanding faster than they leave.

# %%
# NBVAL_CHECK_OUTPUT
if ENOUGH:
    r = nk.retention(mrr, window=WINDOW)
    last = r.iloc[-1]
    print(f"{last.month:%Y-%m} (base {last.base_month:%Y-%m}): NRR {last.nrr:.1%}, GRR {last.grr:.1%}, "
          f"logo retention {last.logo_retention:.1%}")
    print(f"{last.customers_retained} of {last.customers_start} base customers still pay")

# %%
if ENOUGH:
    fig, ax = plt.subplots(figsize=(8, 3.8), layout="constrained")
    plot.nrr_trend(r, ax=ax)
    plt.show()

# %% [markdown]
# ## Why does my number not match the other tool?
#
# NRR has one formula but several ways to pick the customers and the months. The **cohort**
# method (nrrkit's default) follows the customers of one base month. Others average several
# windows, multiply twelve monthly ratios, or keep only the customers still paying
# (**survivors**, which hides churn and so always looks best). Each line below is computed from
# the data and says why it differs.

# %%
# NBVAL_CHECK_OUTPUT
if ENOUGH:
    cmp = nk.compare_methods(mrr, window=WINDOW)
    for row in cmp.itertuples():
        print(f"{row.method:<11} NRR {row.nrr:.1%}  {row.why}")

# %% [markdown]
# ## By segment
#
# With `BY` set to an attribute column (`"segment"`, `"plan"`...), the same figures per segment at
# the last end month, and the quarter ends, each with the company `Total` (the figure over all base
# customers, never an average of the segments).

# %%
if ENOUGH and BY is not None:
    summary = nk.segment_summary(mrr, BY, window=WINDOW)
    print(summary[["segment", "start_mrr", "nrr", "grr", "logo_retention", "share_of_start"]].round(3)
          .to_string(index=False))
    by_quarter = nk.retention(mrr, window=WINDOW, by=BY, at="Q", total=True)
    print(by_quarter.pivot(index="month", columns=BY, values="nrr").round(3).tail(8).to_string())
elif BY is not None:
    print(f"BY = {BY!r}: the segment tables need at least {WINDOW + 1} months")

# %% [markdown]
# ## Explore: window, method and segment
#
# A level ("Great") is shown only for a 12-month window: the scale is yearly.

# %% tags=["nbval-ignore-output"]
explorer = apps.RetentionExplorer(mrr) if ENOUGH else None
explorer

# %% [markdown]
# ## Exercises
#
# These use the sample company.

# %% [markdown] tags=["notebook-only"]
# They check against the sample company, whatever `DATA` says. Answer in place of `...`, or in
# the box under the cell.

# %% [markdown]
# **q1.** Which method would you quote to an investor, and why?

# %% [markdown] tags=["notebook-only"]
# Answer with the letter: a) survivors: it is the highest, so it shows the business at its best;
# b) cohort: it follows every customer of the base month, churned ones at 0, as public companies
# and lenders do; c) lazy: it only needs the monthly bridge; d) compounded: it multiplies twelve
# monthly figures, so it is the most precise.

# %%
ex = Exercises("02")
answer = ...
ex.check("q1", answer)

# %% [markdown]
# **q2.** What is the 3-month NRR of the last month? (A 3-month window: the retention explorer
# above can show one.)

# %%
answer = ...
ex.check("q2", answer)

# %% [markdown]
# **q3.** Using the NRR and GRR printed above: what share of the base's starting MRR did
# expansion add over the last 12 months? (A rate such as `0.25` or `"25%"`.)

# %%
answer = ...
ex.check("q3", answer)
