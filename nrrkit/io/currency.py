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
import re
from typing import Any

import numpy as np
import pandas as pd

from ..errors import DataError, shorten
from ..parsing import Located, to_period

#: Columns of a table read at each month's exchange rate (see nrrkit.fx): the amount in the
#: line's own currency, and its currency code.
LOCAL_COLUMN = "mrr_local"
CURRENCY_COLUMN = "currency"

__all__ = ["LOCAL_COLUMN", "CURRENCY_COLUMN", "Rates", "read_rates", "check_symbol", "SYMBOL_CODES", "BASES", "currency_role",
           "holds_codes", "rates_hint"]

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

    def complete(self, codes: np.ndarray, notes: list[str]) -> None:
        """Fixed rates that leave out exactly one currency of the data and set none at 1: that currency is
        the reporting currency (``--rate EUR=1.1 --rate GBP=1.27`` on USD, EUR and GBP lines: USD at 1)."""
        if self.fixed is None or self.reporting:
            return
        missing = sorted(set(np.unique(codes).tolist()) - set(self.fixed))
        if len(missing) == 1:
            self.fixed[missing[0]] = 1.0
            notes.append(f"{missing[0]} has no rate and no other currency is at 1: {missing[0]} is the reporting "
                         f"currency (rate 1)")

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


#: The codes each currency symbol can stand for.
SYMBOL_CODES = {"$": {"USD", "CAD", "AUD", "NZD", "SGD", "HKD", "MXN"}, "€": {"EUR"}, "£": {"GBP"}, "¥": {"JPY", "CNY"}}


def rates_hint(codes) -> str:
    """What to pass for amounts in several currencies: every code, the most used one at 1 (the
    reporting currency) and a rate to fill in for each other (nrrkit never guesses a rate)."""
    counts = pd.Series([c for c in codes if c]).value_counts(sort=False)
    order = sorted(counts.index, key=lambda c: (-counts[c], c))
    first, rest = order[0], order[1:]
    py = ", ".join([f"'{first}': 1"] + [f"'{c}': RATE" for c in rest])
    cli = " ".join([f"--rate {first}=1"] + [f"--rate {c}=RATE" for c in rest])
    return (f"give each currency's rate in one reporting currency, RATE being what one unit is worth in "
            f"{first}: rates={{{py}}} (CLI: {cli})")


def check_symbol(raw, symbol: str, label: str | None) -> None:
    """Amounts written with one currency's symbol cannot be named another currency."""
    if not symbol or not label or label == symbol:
        return
    if label.strip().upper() not in SYMBOL_CODES.get(symbol, {label.strip().upper()}):
        raise DataError(f"{raw.source}: the amounts are written with {symbol} but currency={label!r} names another "
                        f"currency; give the currency the amounts are in, or a column of codes and rates")


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
    source, locate = "rates", (lambda i: f"row {i + 1}")
    if isinstance(rates, (str, bytes)) or hasattr(rates, "__fspath__"):
        from .files import read_source

        raw = read_source(rates)
        rates, source, locate = raw.frame, raw.source, raw.locate
    if not isinstance(rates, pd.DataFrame):
        raise DataError(f"rates must be a dict such as {{'USD': 1, 'EUR': 1.08}} or a table with columns "
                        f"month, currency, rate; not a {type(rates).__name__}")
    cols = {str(c).strip().lower(): c for c in rates.columns}
    if not {"month", "currency", "rate"} <= set(cols):
        raise DataError(f"{source}: the rates table needs the columns month, currency and rate (it has "
                        f"{', '.join(map(str, rates.columns))})")
    table: dict[str, dict[int, float]] = {}
    seen: dict[tuple[str, int], int] = {}
    for i, (m, c, r) in enumerate(zip(rates[cols["month"]], rates[cols["currency"]], rates[cols["rate"]])):
        code = str(c).strip().upper()
        try:
            month = to_period(m, "month")
            rate = _check_rate(code, r, f" in {month}")
        except DataError as exc:
            raise DataError(f"{source}, {locate(i)}: {exc}") from None
        if (code, month.ordinal) in seen and table[code][int(month.ordinal)] != rate:
            raise DataError(f"{source}, {locate(i)}: a second rate for {code} in {month} ({rate:g}, and "
                            f"{table[code][int(month.ordinal)]:g} at {locate(seen[(code, month.ordinal)])}); keep one")
        seen[(code, month.ordinal)] = i
        table.setdefault(code, {})[int(month.ordinal)] = rate
    return Rates(table, None, basis)


_CODE = re.compile(r"^[A-Za-z]{3}$")


def holds_codes(values: pd.Series) -> tuple[bool, str]:
    """Whether every filled cell is a three-letter currency code, and the first that is not."""
    for v in pd.unique(values.dropna()):
        t = str(v).strip()
        if t and not _CODE.match(t):
            return False, t
    return True, ""


def _norm(s: str) -> str:
    return re.sub(r"[\s_\-]+", "", str(s).strip().lower())


def currency_role(raw, currency: str | None, amounts_in: str | None = None, *,
                  detect: bool = True) -> tuple[str | None, str | None]:
    """The column of currency codes, or the one currency every amount is already in.

    The rule (docs/guide/billing-exports.md, "Currencies"): ``amounts_in="AUD"`` always means
    every amount is already in AUD.  ``currency=`` names a column when the file has one of that
    name holding currency codes; a three-letter code that is not a column means every amount is
    in it.  A name that is both a column holding something else and a currency code is refused
    with both readings.  A column of numbers is never read as currencies.  With neither keyword,
    a column named ``currency`` (when ``detect``) is the column of codes.
    """
    cols = list(map(str, raw.frame.columns))
    default = [c for c in cols if _norm(c) in ("currency", "currencycode")]
    if amounts_in is not None:
        code = str(amounts_in).strip().upper()
        if not _CODE.match(code):
            raise DataError(f"amounts_in={amounts_in!r} (CLI: --amounts-in) is not a currency code; write three "
                            f"letters such as 'AUD' (a column of codes is named with currency='COLUMN', CLI: --currency)")
        if currency is not None:
            raise DataError(f"give currency={currency!r} (a column of codes) or amounts_in={amounts_in!r} (every "
                            f"amount already in one currency), not both")
        if default:
            raw.notes.append(f"column '{default[0]}' not used: amounts_in='{code}' says every amount is already "
                             f"in {code}")
        return None, code
    if currency is None:
        if not detect or not default:
            return None, None
        ok, bad = holds_codes(raw.frame[default[0]])
        if not ok:
            raise DataError(f"{raw.source}: column '{default[0]}' holds {bad!r}, not a currency code; if every amount "
                            f"is already in one currency say which with amounts_in='USD' (CLI: --amounts-in USD)")
        raw.used.add(default[0])
        return default[0], None
    name = str(currency)
    match = [c for c in cols if c == name] or [c for c in cols if _norm(c) == _norm(name)]
    is_code = bool(_CODE.match(name.strip()))
    if match:
        col = match[0]
        ok, bad = holds_codes(raw.frame[col])
        if ok:
            raw.used.add(col)
            return col, None
        if is_code:
            raise DataError(f"{raw.source}: currency={name!r} has two readings: the column '{col}' (it holds "
                            f"{bad!r}, not currency codes) or every amount already in {name.upper()}; for the "
                            f"second pass amounts_in='{name.upper()}' (CLI: --amounts-in {name.upper()}); for a "
                            f"column of codes pass currency='COLUMN' (CLI: --currency COLUMN)")
        raise DataError(f"{raw.source}: column '{col}' holds {bad!r}, not a currency code such as USD; name the column "
                        f"of codes with currency='COLUMN', or say every amount is in one currency with "
                        f"amounts_in='USD'")
    if default and is_code:
        raw.notes.append(f"column '{default[0]}' not used: currency='{name.upper()}' is not a column, so every "
                         f"amount is read as already in {name.upper()} (amounts_in= says it without doubt)")
    return None, name
