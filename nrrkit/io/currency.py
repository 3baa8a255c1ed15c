"""Amounts in several currencies, converted to one reporting currency (docs/definitions.md, section 1).

A rate is the value of one unit of a line's currency in the reporting currency: reported
amount = amount x rate, and the reporting currency's own rate is 1.  Rates are either fixed
(a dict, ``{"USD": 1, "EUR": 1.08}``) or a table by month (columns ``month, currency, rate``).
The default basis is constant currency: one fixed rate per currency (with a table, the rate of
the span's last month), so NRR moves only with what customers pay.  ``basis="actual"`` takes
each month's own rate.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from ..errors import DataError, shorten
from ..parsing import Located, to_period

__all__ = ["Rates", "read_rates", "BASES"]

BASES = ("constant", "actual")


class Rates:
    """Rates by currency (and month), validated once."""

    def __init__(self, table: dict[str, dict[int, float]] | None, fixed: dict[str, float] | None, basis: str):
        self.table = table  # currency -> {month ordinal: rate}
        self.fixed = fixed  # currency -> rate
        self.basis = basis

    @property
    def currencies(self) -> list[str]:
        return sorted(self.fixed or self.table or {})

    @property
    def reporting(self) -> str:
        """The currency whose rate is 1 (empty when none or several are)."""
        if self.fixed is not None:
            ones = [c for c, r in self.fixed.items() if r == 1]
        else:
            ones = [c for c, by_month in self.table.items() if all(r == 1 for r in by_month.values())]
        return ones[0] if len(ones) == 1 else ""

    def describe(self) -> str:
        if self.fixed is not None:
            shown = ", ".join(f"{c} {r:g}" for c, r in sorted(self.fixed.items()))
            return f"fixed rates to {self.reporting or 'the reporting currency'} ({shown})"
        if self.basis == "actual":
            return f"each month's rate to {self.reporting or 'the reporting currency'} (actual rates)"
        return f"constant currency: each currency at its rate of the span's last month, to {self.reporting or 'the reporting currency'}"

    def check_known(self, codes: np.ndarray, where: Located) -> None:
        """Every line's currency must have a rate."""
        known = set(self.currencies)
        unknown = ~np.isin(codes, list(known))
        if unknown.any():
            pos = int(np.argmax(unknown))
            code = codes[pos]
            raise where.error(pos, code, "is a currency with no rate",
                              f"add its rate to rates= (CLI: --rate {code or 'XXX'}=1.0; rates given: "
                              f"{', '.join(self.currencies)})", int((codes == code).sum()) - 1)

    def for_months(self, codes: np.ndarray, months: np.ndarray, last: int) -> np.ndarray:
        """The rate of each (currency, month) pair, on the chosen basis."""
        out = np.empty(len(codes), dtype="float64")
        for code in np.unique(codes):
            sel = codes == code
            if self.fixed is not None:
                out[sel] = self.fixed[code]
                continue
            by_month = self.table[code]
            if self.basis == "constant":
                if last not in by_month:
                    raise DataError(f"rates: no rate for {code} in {pd.Period(ordinal=last, freq='M')}, the span's "
                                    f"last month (constant currency uses it); add that month to the rates table")
                out[sel] = by_month[last]
                continue
            wanted = months[sel]
            missing = sorted(set(np.unique(wanted).tolist()) - set(by_month))
            if missing:
                shown = ", ".join(str(pd.Period(ordinal=m, freq="M")) for m in missing[:3])
                raise DataError(f"rates: no rate for {code} in {shown}" + (f" and {len(missing) - 3} more month(s)"
                                                                          if len(missing) > 3 else "")
                                + "; the table needs every month in which a line in that currency is paid")
            lookup = np.vectorize(by_month.__getitem__, otypes=[float])
            out[sel] = lookup(wanted)
        return out


def _check_rate(code: str, rate: Any, month: str = "") -> float:
    try:
        r = float(rate)
    except (TypeError, ValueError):
        raise DataError(f"rates: the rate of {code}{month} is {shorten(rate)}, not a number; a rate is the value "
                        f"of one {code} in the reporting currency, such as 1.08") from None
    if not math.isfinite(r) or r <= 0:
        raise DataError(f"rates: the rate of {code}{month} is {rate!r}; a rate is the value of one {code} in the "
                        f"reporting currency and must be above 0")
    return r


def read_rates(rates: Any, basis: str = "constant") -> Rates:
    """Validate ``rates``: a dict of fixed rates, or a DataFrame / CSV path with ``month, currency, rate``."""
    if basis not in BASES:
        raise DataError(f"basis must be 'constant' or 'actual', not {basis!r}")
    if isinstance(rates, dict):
        if not rates:
            raise DataError("rates is empty; give one rate per currency, such as {'USD': 1, 'EUR': 1.08}")
        return Rates(None, {str(c).strip().upper(): _check_rate(str(c).strip().upper(), r) for c, r in rates.items()},
                     "constant")
    if isinstance(rates, (str, bytes)) or hasattr(rates, "__fspath__"):
        from .files import read_source

        rates = read_source(rates).frame
    if not isinstance(rates, pd.DataFrame):
        raise DataError(f"rates must be a dict such as {{'USD': 1, 'EUR': 1.08}} or a table with columns "
                        f"month, currency, rate; not a {type(rates).__name__}")
    cols = {str(c).strip().lower(): c for c in rates.columns}
    if not {"month", "currency", "rate"} <= set(cols):
        raise DataError(f"rates: the table needs the columns month, currency and rate (it has "
                        f"{', '.join(map(str, rates.columns))})")
    table: dict[str, dict[int, float]] = {}
    for m, c, r in zip(rates[cols["month"]], rates[cols["currency"]], rates[cols["rate"]]):
        code = str(c).strip().upper()
        month = to_period(m, "rates month")
        table.setdefault(code, {})[int(month.ordinal)] = _check_rate(code, r, f" in {month}")
    return Rates(table, None, basis)
