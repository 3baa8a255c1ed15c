"""A founder's own small sheet, as a founder keeps it: one row per customer, one column per
month, a segment column with a blank cell, 15 months (2024-10 to 2025-12), 13 customers
paying in the base month 2024-12 and five new ones in 2025.

The 12-month window ending 2025-12 (base month 2024-12), by hand:

    customer  segment     2024-12  2025-12  movement
    Acme      Enterprise    2,000    6,000  expansion +4,000 (2025-06)
    Birch     Enterprise    1,500    3,000  expansion +1,500 (2025-03)
    Cobalt    Mid-Market      800        0  churn (2025-05)
    Delta     Mid-Market      600      400  contraction 200 (2025-08)
    Echo      SMB             300        0  churn (2025-02)
    Fjord     SMB             250      250  flat
    Gale      SMB             200      350  expansion +150 (2025-09)
    Harbor    (blank)         500      500  flat
    Iris      SMB             150        0  churn (2025-10)
    Juno      Mid-Market      900    1,800  expansion +900 (2025-04)
    Kite      SMB             120      120  flat
    Lumen     Enterprise    2,500        0  churn (2025-11)
    Mosaic    SMB             180       90  contraction 90 (2025-07)

    start 10,000; expansion 6,550; contraction 290; churn 3,750; end 12,510
    NRR 12,510 / 10,000 = 125.1%; GRR (10,000 - 290 - 3,750) / 10,000 = 59.6%; logo retention 9 / 13

New customers in 2025: Nova 400 (2025-02), Orbit 1,200 (2025-04), Pylon 3,500 (2025-06),
Quartz 200 (2025-09), Rivet 300 (2025-11): new MRR 5,600 in the 12 months, new ARR 67,200.
MRR 2025-12 = 12,510 + 5,600 = 18,110, ARR 217,320.
"""

from __future__ import annotations

import pandas as pd

MONTHS = [str(p) for p in pd.period_range("2024-10", "2025-12", freq="M")]

# name, segment, first month, MRR, [(from month, new MRR)], ("" = a blank segment cell)
_PATHS = [
    ("Acme", "Enterprise", "2024-10", 2000, [("2025-06", 6000)]),
    ("Birch", "Enterprise", "2024-10", 1500, [("2025-03", 3000)]),
    ("Cobalt", "Mid-Market", "2024-11", 800, [("2025-05", 0)]),
    ("Delta", "Mid-Market", "2024-11", 600, [("2025-08", 400)]),
    ("Echo", "SMB", "2024-12", 300, [("2025-02", 0)]),
    ("Fjord", "SMB", "2024-12", 250, []),
    ("Gale", "SMB", "2024-10", 200, [("2025-09", 350)]),
    ("Harbor", "", "2024-11", 500, []),
    ("Iris", "SMB", "2024-12", 150, [("2025-10", 0)]),
    ("Juno", "Mid-Market", "2024-10", 900, [("2025-04", 1800)]),
    ("Kite", "SMB", "2024-12", 120, []),
    ("Lumen", "Enterprise", "2024-11", 2500, [("2025-11", 0)]),
    ("Mosaic", "SMB", "2024-12", 180, [("2025-07", 90)]),
    ("Nova", "SMB", "2025-02", 400, []),
    ("Orbit", "Mid-Market", "2025-04", 1200, []),
    ("Pylon", "Enterprise", "2025-06", 3500, []),
    ("Quartz", "SMB", "2025-09", 200, []),
    ("Rivet", "SMB", "2025-11", 300, []),
]


def _wide(paths, months) -> pd.DataFrame:
    """One row per customer, one column per month: each path starts at ``first`` with ``mrr`` and
    takes each ``(month, value)`` change from that month on; empty = paid nothing."""
    rows = []
    for name, segment, first, mrr, changes in paths:
        row = {"customer_id": name, "segment": segment}
        level = None
        for m in months:
            if m == first:
                level = mrr
            for when, value in changes:
                if m == when:
                    level = value
            row[m] = level if level else None
        rows.append(row)
    return pd.DataFrame(rows)


def founder_sheet() -> pd.DataFrame:
    """The wide sheet (customer, segment, one column per month; empty = paid nothing)."""
    return _wide(_PATHS, MONTHS)


# --------------------------------------------------------------------------- a 24-month sheet

#: 24 months, 2024-01 to 2025-12: the founder's 13 base customers (same MRR in 2024-12 and the
#: same 2025 movements as above, so the same window: NRR 125.1%, GRR 59.6%, 9 of 13 retained),
#: started one by one in 2024; three customers who paid in 2024 and left before the base month;
#: thirteen new customers in 2025 (one of whom leaves again).
MONTHS_24 = [str(p) for p in pd.period_range("2024-01", "2025-12", freq="M")]

_FIRST_24 = {"Acme": "2024-01", "Birch": "2024-02", "Cobalt": "2024-03", "Delta": "2024-04", "Echo": "2024-05",
             "Fjord": "2024-06", "Gale": "2024-01", "Harbor": "2024-07", "Iris": "2024-08", "Juno": "2024-02",
             "Kite": "2024-09", "Lumen": "2024-03", "Mosaic": "2024-10"}

_PATHS_24 = [
    *[(name, seg, _FIRST_24[name], mrr, changes) for name, seg, _first, mrr, changes in _PATHS[:13]],
    ("Ash", "SMB", "2024-01", 400, [("2024-07", 0)]),
    ("Bay", "Mid-Market", "2024-02", 400, [("2024-09", 0)]),
    ("Cliff", "SMB", "2024-04", 300, [("2024-11", 0)]),
    *_PATHS[13:],
    ("Sable", "Enterprise", "2025-01", 2000, []),
    ("Tundra", "Mid-Market", "2025-03", 1500, []),
    ("Umber", "Mid-Market", "2025-05", 1000, []),
    ("Vale", "SMB", "2025-07", 800, []),
    ("Wren", "SMB", "2025-08", 600, []),
    ("Xeno", "SMB", "2025-10", 500, []),
    ("Yarrow", "Mid-Market", "2025-12", 1000, []),
    ("Zephyr", "SMB", "2025-02", 400, [("2025-09", 0)]),
]


def small_company_sheet() -> pd.DataFrame:
    """A 24-month wide sheet (2024-01 to 2025-12) of a young company: 13 base customers in 2024-12.

    Window 2024-12 to 2025-12, by hand: the 13 base customers of :func:`founder_sheet` (start
    10,000, expansion 6,550, contraction 290, churn 3,750, end 12,510: NRR 125.1%, GRR 59.6%).
    New MRR in 2025: 400 + 1,200 + 3,500 + 200 + 300 (Nova ... Rivet) + 2,000 + 1,500 + 1,000 + 800
    + 600 + 500 + 1,000 + 400 (Sable ... Zephyr) = 13,400; new-business rate 13,400 / 10,000 = 134%.
    Zephyr (400) leaves in 2025-09.  MRR 2025-12 = 12,510 + 13,400 - 400 = 25,510 (ARR 306,120),
    paid by 9 + 12 = 21 customers; 29 customers paid at some point.
    """
    return _wide(_PATHS_24, MONTHS_24)
