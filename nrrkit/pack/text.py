"""How the pack writes numbers: percentages, amounts with their currency, 0 within a cent as 0."""

from __future__ import annotations

import math

__all__ = ["CENT", "clean", "pct", "money", "amount", "Currency", "base_customers", "WARN", "month_stamps"]

#: The colour of a caution, everywhere in the pack.
WARN = "#bf360c"

#: Amounts closer to 0 than this are shown as 0 (floating-point dust such as -4.5e-13).
CENT = 0.005

_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "$": "$", "€": "€", "£": "£", "¥": "¥"}


def clean(x: float) -> float:
    """``x``, with anything within half a cent of 0 made exactly 0 (never ``-0``)."""
    v = float(x)
    return 0.0 if abs(v) < CENT else v


def pct(x, digits: int = 1) -> str:
    """0.1234 -> '12.3%'; 'n/a' for a missing or infinite rate."""
    if x is None or not math.isfinite(float(x)):
        return "n/a"
    v = float(x) * 100
    return f"{0.0 if abs(v) < 0.5 * 10 ** -digits else v:.{digits}f}%"


class Currency:
    """The reporting currency of a pack: a code or symbol given by the caller or found by the loader.

    ``label`` is what the page says the amounts are in; :meth:`short` and :meth:`full`
    write an amount with it ($1.2M, EUR 1.2M; $1,234.50, CHF 1,234.50).  Without a
    currency the amounts are written as plain numbers and ``label`` says the currency
    was not stated.
    """

    def __init__(self, given: str | None, found: str | None) -> None:
        raw = (given or "").strip()
        if not raw:
            f = (found or "").strip()
            raw = "" if (not f or f.startswith("unspecified")) else f
        self.code = raw
        self.symbol = _SYMBOLS.get(raw.upper(), _SYMBOLS.get(raw, ""))
        self.stated = bool(raw)
        self.label = raw if raw else "currency not stated (pass --currency)"

    def _wrap(self, body: str, negative: bool) -> str:
        sign = "-" if negative else ""
        if self.symbol:
            return f"{sign}{self.symbol}{body}"
        if self.code:
            return f"{sign}{self.code} {body}"
        return f"{sign}{body}"

    def short(self, x: float, column: bool = False) -> str:
        """$1.2M, $350K, $900 (0 within a cent is $0); ``column=True`` keeps the decimal ($168.0M),
        so the amounts of a table's column line up."""
        v = clean(x)
        a = abs(v)
        for div, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
            if a >= div:
                body = f"{a / div:.1f}"
                return self._wrap((body if column else body.rstrip("0").rstrip(".")) + suffix, v < 0)
        return self._wrap(f"{a:,.0f}", v < 0)

    def full(self, x: float) -> str:
        """$1,234.50 (0 within a cent is $0.00)."""
        v = clean(x)
        return self._wrap(f"{abs(v):,.2f}", v < 0)

    def excel_format(self) -> str:
        """An Excel number format that shows the currency with every amount."""
        if self.symbol:
            s = self.symbol if self.symbol == "$" else f'"{self.symbol}"'
            return f"{s}#,##0.00;-{s}#,##0.00"
        if self.code:
            code = self.code.replace('"', "")
            return f'"{code} "#,##0.00;-"{code} "#,##0.00'
        return "#,##0.00"


def money(x: float, currency: Currency | None = None) -> str:
    return (currency or Currency(None, None)).short(x)


def amount(x: float, currency: Currency | None = None) -> str:
    return (currency or Currency(None, None)).full(x)


def base_customers(n: int) -> str:
    """'1 base customer', '13 base customers'."""
    return f"{n:,} base customer{'' if n == 1 else 's'}"


def month_stamps(months):
    """Months (a Series of pandas Periods, or of datetime64 first days) as timestamps for a date axis."""
    import pandas as pd

    s = pd.Series(months)
    if isinstance(s.dtype, pd.PeriodDtype):
        return s.dt.to_timestamp()
    return pd.to_datetime(s)
