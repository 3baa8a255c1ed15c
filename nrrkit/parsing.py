"""Cell-level parsing shared by every loader: money amounts and months.

Both parsers work on the *distinct* values of a column (a revenue export has a
few dozen month strings and a few thousand amounts repeated over millions of
rows), so each distinct text is parsed once.  Errors are raised as
:class:`nrrkit.DataError` naming the first offending row; the message counts
how many other rows share the problem so the user can fix them in one pass.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .encode import code_counts, gather
from .errors import DataError, shorten
from .months import ordinals

#: Currency symbols accepted in front of (or behind) an amount. One file may use one.
CURRENCY_SYMBOLS = "$€£¥"

_MISSING_WORDS = {"nan", "na", "n/a", "null", "none", "#n/a", "-", "--", "#value!", "#ref!"}
_INF_WORDS = {"inf", "+inf", "infinity", "+infinity", "-inf", "-infinity", "#div/0!"}

_NUM_PLAIN = re.compile(r"^(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_NUM_US_GROUPED = re.compile(r"^\d{1,3}(,\d{3})+(\.\d*)?$")
_NUM_EU_GROUPED = re.compile(r"^\d{1,3}(\.\d{3})+(,\d+)?$")
_NUM_EU_SPACE = re.compile(r"^\d{1,3}([ \u00a0\u202f]\d{3})+(,\d+)?$")
_NUM_EU_PLAIN = re.compile(r"^\d+(,\d+)?$")
_NUM_SPACE_GROUPED = re.compile(r"^\d{1,3}([ \u00a0\u202f]\d{3})+(\.\d*)?$")  # 1 200 or 1 200.50: spaces group, a point decimal
#: Currency codes read before or after an amount ("USD 50.00", "1.200,50 EUR"), like a symbol.
CURRENCY_CODES = frozenset(
    "USD EUR GBP JPY CHF CAD AUD NZD SEK NOK DKK ISK PLN CZK HUF RON BGN UAH TRY ILS AED SAR INR CNY HKD TWD "
    "SGD KRW THB IDR MYR PHP VND BRL MXN ARS CLP COP PEN ZAR NGN KES EGP".split())
_CODE_BEFORE = re.compile(r"^([A-Za-z]{3})\s*(\S.*)$")
_CODE_AFTER = re.compile(r"^(.*\d)\s*([A-Za-z]{3})$")
_LOOKS_EU = re.compile(r"^(\d{1,3}(\.\d{3})+,\d+|\d+,\d{1,2}|\d+,\d{4,})$")


@dataclass(frozen=True)
class Located:
    """Where a column's values came from, for error messages."""

    source: str
    column: str
    locate: Callable[[int], str]  # position in the frame -> "row 5" / "record 5"

    def error(self, pos: int, value: object, problem: str, fix: str, others: int = 0) -> DataError:
        more = f" (and {others} more row{'s' if others != 1 else ''} like it)" if others else ""
        return DataError(
            f"{self.source}, {self.locate(pos)}, column '{self.column}': "
            f"value {shorten(value)} {problem}{more}; {fix}."
        )


# --------------------------------------------------------------------------- money


class _MoneyProblem(Exception):
    def __init__(self, problem: str, fix: str):
        super().__init__(problem)
        self.problem = problem
        self.fix = fix


_FIX_NUMBER = "write the monthly amount as a plain number such as 1200.50 (or 0 if nothing was paid)"
# one wording for a negative amount, whether the column holds text or numbers
_NEGATIVE = "is negative"
_FIX_NEGATIVE = "MRR cannot be below 0: record a refund or credit as lower MRR in that month, not as a negative row"


def _parse_money_text(text: str, decimal: str, signed: bool = False) -> tuple[float, str]:
    """Parse one amount; return (value, currency symbol or '')."""
    s = text.strip()
    if s == "":
        raise _MoneyProblem(
            "is empty", "write 0 if the customer paid nothing that month, or delete the row"
        )
    low = s.lower()
    if low in _MISSING_WORDS:
        raise _MoneyProblem(
            "is a missing-value marker, not an amount",
            "write 0 if the customer paid nothing that month, or the amount it paid",
        )
    if low in _INF_WORDS:
        raise _MoneyProblem("is infinite", "check the formula that produced it and write the amount")
    negative = False
    if s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1].strip()
    if s.startswith("-") or s.startswith("\u2212"):
        negative, s = True, s[1:].strip()
    symbol = ""
    before, after = _CODE_BEFORE.match(s), _CODE_AFTER.match(s)
    if before and before.group(1).upper() in CURRENCY_CODES:  # USD 1,200.50
        symbol, s = before.group(1).upper(), before.group(2).strip()
    elif after and after.group(2).upper() in CURRENCY_CODES:  # 1.200,50 EUR
        symbol, s = after.group(2).upper(), after.group(1).strip()
    elif s and s[0] in CURRENCY_SYMBOLS:
        symbol, s = s[0], s[1:].strip()
    elif s and s[-1] in CURRENCY_SYMBOLS:
        symbol, s = s[-1], s[:-1].strip()
    if s.startswith(("-", "\u2212")):
        negative, s = True, s[1:].strip()
    if decimal == ".":
        if _NUM_PLAIN.match(s):
            value = float(s)
        elif _NUM_US_GROUPED.match(s):
            value = float(s.replace(",", ""))
        elif _NUM_SPACE_GROUPED.match(s):
            value = float(re.sub(r"[ \u00a0\u202f]", "", s))
        elif _LOOKS_EU.match(s) or (_NUM_EU_SPACE.match(s) and "," in s):
            raise _MoneyProblem(
                "uses a comma as the decimal mark",
                "pass decimal=',' (CLI: --decimal ,) if the file writes 1.200,50 for one thousand two hundred and a half",
            )
        else:
            raise _MoneyProblem("is not a number", _FIX_NUMBER)
    else:
        if _NUM_EU_PLAIN.match(s):
            value = float(s.replace(",", "."))
        elif _NUM_EU_GROUPED.match(s) or _NUM_EU_SPACE.match(s):
            value = float(re.sub(r"[. \u00a0\u202f]", "", s).replace(",", "."))
        else:
            raise _MoneyProblem(
                "is not a number in the decimal=',' format", "write it as 1200,50 or 1.200,50"
            )
    if negative and signed:
        value = -value
    elif negative and value != 0:
        raise _MoneyProblem(_NEGATIVE, _FIX_NEGATIVE)
    if not math.isfinite(value):
        raise _MoneyProblem("is too large to be an amount", "check the value")
    return value, symbol


def parse_money(values: pd.Series, where: Located, *, decimal: str = ".", signed: bool = False,
                one_symbol: bool = True) -> tuple[np.ndarray, str]:
    """Parse an MRR column into float64, refusing anything that is not a non-negative amount.

    Returns the values and the currency symbol seen ('' if none).  Accepts
    ``1200``, ``1200.5``, ``1,200.50``, ``$1,200.50`` (one currency symbol for the
    whole column), and with ``decimal=','`` also ``1.200,50``.
    """
    if decimal not in (".", ","):
        raise DataError(f"decimal must be '.' or ',', not {decimal!r}")
    n = len(values)
    if pd.api.types.is_bool_dtype(values.dtype):
        raise where.error(0, values.iloc[0], "is true/false, not an amount", _FIX_NUMBER)
    if pd.api.types.is_numeric_dtype(values.dtype):
        arr = values.to_numpy(dtype="float64", na_value=np.nan)
        _check_numbers(arr if not signed else np.abs(arr), values, where)
        return arr, ""
    # Object / string column: parse each distinct value once.
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    parsed = np.empty(len(uniques), dtype="float64")
    symbols: dict[str, int] = {}
    bad: dict[int, _MoneyProblem] = {}
    for k, u in enumerate(uniques):
        try:
            if isinstance(u, (bool, np.bool_)):
                raise _MoneyProblem("is true/false, not an amount", _FIX_NUMBER)
            if isinstance(u, (int, float, np.integer, np.floating)):
                v = float(u)
                if math.isnan(v):
                    raise _MoneyProblem("is empty (NaN)", "write 0 if the customer paid nothing that month")
                if math.isinf(v):
                    raise _MoneyProblem("is infinite", "check the formula that produced it")
                if v < 0 and not signed:
                    raise _MoneyProblem(_NEGATIVE, _FIX_NEGATIVE)
                parsed[k] = v
                continue
            if isinstance(u, (_dt.date, _dt.datetime, pd.Timestamp)):
                raise _MoneyProblem("is a date, not an amount", "check that the MRR column is the right one")
            v, sym = _parse_money_text(str(u), decimal, signed)
            parsed[k] = v
            if sym:
                symbols.setdefault(sym, k)
        except _MoneyProblem as p:
            bad[k] = p
    if -1 in codes:
        pos = int(np.argmax(codes == -1))
        others = int((codes == -1).sum()) - 1
        raise where.error(pos, "", "is empty", "write 0 if the customer paid nothing that month, or delete the row", others)
    if bad:
        bad_codes = np.fromiter(bad.keys(), dtype=np.int64)
        is_bad = np.isin(codes, bad_codes)
        pos = int(np.argmax(is_bad))
        p = bad[int(codes[pos])]
        same = int((codes == codes[pos]).sum()) - 1
        others = int(is_bad.sum()) - 1
        raise where.error(pos, uniques[codes[pos]], p.problem, p.fix, others if others else same)
    if len(symbols) > 1 and one_symbol:
        first_two = sorted(symbols.items(), key=lambda kv: int(np.argmax(codes == kv[1])))
        sym2, k2 = first_two[1]
        pos = int(np.argmax(codes == k2))
        raise where.error(
            pos,
            uniques[k2],
            f"uses the currency {sym2} while earlier rows use {first_two[0][0]}",
            "nrrkit reports in one currency: put each line's currency in its own column and give the rates "
            "(currency= and rates=; CLI: --currency COLUMN and --rate CODE=X), or convert the amounts first",
        )
    out = parsed[codes] if n else np.empty(0, dtype="float64")
    return out, next(iter(symbols), "")


def _check_numbers(arr: np.ndarray, original: pd.Series, where: Located) -> None:
    checks = (
        (np.isnan(arr), "is empty (NaN)", "write 0 if the customer paid nothing that month, or the amount it paid"),
        (np.isinf(arr), "is infinite", "check the formula that produced it and write the amount"),
        (arr < 0, _NEGATIVE, _FIX_NEGATIVE),
    )
    for mask, problem, fix in checks:
        if mask.any():
            pos = int(np.argmax(mask))
            raise where.error(pos, original.iloc[pos], problem, fix, int(mask.sum()) - 1)


# --------------------------------------------------------------------------- months

_ISO = re.compile(
    r"^(?P<y>\d{4})[-/.](?P<m>\d{1,2})(?:[-/.](?P<d>\d{1,2}))?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$"
)
_NAMED = re.compile(r"^(?P<name>[^\W\d_]{3,10})\.?[ \-']?(?P<y>\d{4})$")
_NAMED_SHORT = re.compile(r"^(?P<name>[^\W\d_]{3,10})\.?[ \-']+'?(?P<y>\d{2})$")  # Excel's Jan-24, Jan '24
_MONTH_YEAR = re.compile(r"^(?P<m>\d{1,2})[-/.](?P<y>\d{4})$")
_DAY_MONTH_AMBIG = re.compile(r"^(?P<a>\d{1,2})[-/.](?P<b>\d{1,2})[-/.](?P<y>\d{2}|\d{4})$")
_SHORT_YEAR = re.compile(r"^(?P<a>\d{1,2})[-/.](?P<y>\d{2})$")
#: Month names of German, French, Spanish, Italian, Dutch and Portuguese sheets that differ from the
#: English ones ('Mär 2024', 'janv. 2024', 'Okt 24'), lower case.
LOCAL_MONTHS: dict[str, int] = {
    **dict.fromkeys(("januar", "janv", "janvier", "ene", "enero", "gen", "gennaio", "januari", "janeiro"), 1),
    **dict.fromkeys(("februar", "févr", "fevr", "fév", "fev", "février", "fevrier", "febr", "febrero", "febbraio",
                     "februari", "fevereiro"), 2),
    **dict.fromkeys(("mär", "märz", "mrz", "maerz", "mars", "marzo", "mrt", "maart", "março", "marco"), 3),
    **dict.fromkeys(("avr", "avril", "abr", "abril", "aprile"), 4),
    **dict.fromkeys(("mai", "mayo", "mag", "maggio", "mei", "maio"), 5),
    **dict.fromkeys(("juni", "juin", "junio", "giu", "giugno", "junho"), 6),
    **dict.fromkeys(("juli", "juil", "juillet", "julio", "lug", "luglio", "julho"), 7),
    **dict.fromkeys(("août", "aout", "ago", "agosto", "augustus"), 8),
    **dict.fromkeys(("septembre", "set", "septiembre", "setiembre", "settembre", "setembro"), 9),
    **dict.fromkeys(("okt", "oktober", "octobre", "octubre", "ott", "ottobre", "out", "outubro"), 10),
    **dict.fromkeys(("novembre", "noviembre", "novembro"), 11),
    **dict.fromkeys(("dez", "dezember", "déc", "décembre", "decembre", "dic", "diciembre", "dicembre", "dezembro"),
                    12),
}
_MONTH_NAMES = {
    **LOCAL_MONTHS,
    **{_dt.date(2000, i, 1).strftime("%b").lower(): i for i in range(1, 13)},
    **{_dt.date(2000, i, 1).strftime("%B").lower(): i for i in range(1, 13)},
    "sept": 9,
}

_FAMILY_LABEL = {
    "iso": "year first, such as 2024-01 or 2024-01-31",
    "named": "a month name, such as Jan 2024",
    "month_year": "month/year, such as 01/2024",
}

MIN_YEAR = 1990


class _MonthProblem(Exception):
    def __init__(self, problem: str, fix: str, family: str | None = None):
        super().__init__(problem)
        self.problem = problem
        self.fix = fix
        self.family = family


def _ordinal(year: int, month: int) -> int:
    return (year - 1970) * 12 + month - 1


def _check_ym(y: int, m: int, d: int | None = None) -> None:
    if not 1 <= m <= 12:
        raise _MonthProblem(f"has month {m}, which does not exist", "write the month as 01 to 12")
    if d is not None:
        try:
            _dt.date(y, m, d)
        except ValueError:
            raise _MonthProblem(f"is not a real date (day {d} of month {m})", "fix the day") from None


def _parse_month_text(text: str) -> tuple[int, str]:
    """Return (ordinal, family) for one month text without a named format."""
    s = text.strip()
    if not s:
        raise _MonthProblem("is empty", "fill in the month (such as 2024-01) or delete the row")
    m = _ISO.match(s)
    if m:
        y, mo = int(m["y"]), int(m["m"])
        _check_ym(y, mo, int(m["d"]) if m["d"] else None)
        return _ordinal(y, mo), "iso"
    m = _NAMED.match(s)
    if m and m["name"].lower() in _MONTH_NAMES:
        return _ordinal(int(m["y"]), _MONTH_NAMES[m["name"].lower()]), "named"
    m = _NAMED_SHORT.match(s)
    if m and m["name"].lower() in _MONTH_NAMES:  # a month name makes a two-digit year unambiguous
        return _ordinal(2000 + int(m["y"]), _MONTH_NAMES[m["name"].lower()]), "named"
    m = _MONTH_YEAR.match(s)
    if m:
        y, mo = int(m["y"]), int(m["m"])
        _check_ym(y, mo)
        return _ordinal(y, mo), "month_year"
    m = _DAY_MONTH_AMBIG.match(s)
    if m:
        a, b = int(m["a"]), int(m["b"])
        sep = next(ch for ch in s if ch in "-/.")
        year = "%Y" if len(m["y"]) == 4 else "%y"
        if a <= 12 and b <= 12 and a != b:
            problem = "is ambiguous: it could be day/month/year or month/day/year"
        else:
            problem = "has its day and month in an order nrrkit cannot tell from this value alone"
        raise _MonthProblem(
            problem,
            f"name the layout with month_format='%d{sep}%m{sep}{year}' or '%m{sep}%d{sep}{year}' (CLI: --month-format), "
            "or write months as 2024-01",
        )
    if _SHORT_YEAR.match(s):
        raise _MonthProblem(
            "has a two-digit year, which is ambiguous",
            "write the year in full (2024-01), or name the layout with month_format",
        )
    raise _MonthProblem(
        "is not a month nrrkit can read",
        "write months as 2024-01 or 2024-01-31, or name the layout with month_format='...' (CLI: --month-format)",
    )


def _value_to_ordinal(u: object, month_format: str | None) -> tuple[int, str]:
    if isinstance(u, pd.Period):
        return _ordinal(u.year, u.month), "date"
    if isinstance(u, (pd.Timestamp, _dt.datetime, _dt.date, np.datetime64)):
        ts = pd.Timestamp(u)
        if pd.isna(ts):
            raise _MonthProblem("is empty", "fill in the month or delete the row")
        return _ordinal(ts.year, ts.month), "date"
    if isinstance(u, (float, np.floating)) and math.isnan(u):
        raise _MonthProblem("is empty", "fill in the month (such as 2024-01) or delete the row")
    if isinstance(u, (int, float, np.integer, np.floating)) and month_format is None:
        raise _MonthProblem(
            "is a number, not a month",
            "write months as 2024-01, or name the layout with month_format='%Y%m' (CLI: --month-format)",
        )
    text = str(u).strip()
    if isinstance(u, (float, np.floating)) and float(u).is_integer():
        text = str(int(u))
    if month_format is not None:
        try:
            d = _dt.datetime.strptime(text, month_format)
        except ValueError:
            raise _MonthProblem(
                f"does not match month_format {month_format!r}",
                "fix the value or the format (see Python's strftime codes)",
            ) from None
        return _ordinal(d.year, d.month), "format"
    return _parse_month_text(text)


def parse_months(
    values: pd.Series,
    where: Located,
    *,
    month_format: str | None = None,
    max_month: pd.Period | None = None,
    notes: list[str] | None = None,
) -> np.ndarray:
    """Parse a month column into int64 monthly ordinals (``pandas.Period`` ordinals, freq M).

    Without ``month_format`` the readable layouts are: year first (``2024-01``,
    ``2024-01-31``, ``2024/01``, with or without a time), a month name
    (``Jan 2024``), month/year (``01/2024``), and real dates.  A column may mix
    ``2024-01`` and ``2024-01-31`` (both are year first) but not two different
    layouts.  ``01/02/2024`` is refused as ambiguous.  Months after
    ``max_month`` (default: the current calendar month) or before 1990 are
    refused as typos.
    """
    if isinstance(values.dtype, pd.PeriodDtype):
        arr = ordinals(values)
        if values.isna().any():
            pos = int(np.argmax(values.isna().to_numpy()))
            raise where.error(pos, "", "is empty", "fill in the month or delete the row")
        ords = months_used = np.asarray(arr, dtype="int64")
    elif pd.api.types.is_datetime64_any_dtype(values.dtype):
        na = values.isna().to_numpy()
        if na.any():
            pos = int(np.argmax(na))
            raise where.error(pos, "", "is empty", "fill in the month or delete the row", int(na.sum()) - 1)
        dt = values.dt
        ords = months_used = ((dt.year.to_numpy() - 1970) * 12 + dt.month.to_numpy() - 1).astype("int64")
    else:
        if isinstance(values.dtype, pd.CategoricalDtype):  # dictionary-encoded: codes come free
            codes = np.asarray(values.array.codes)  # a view: .cat.codes copies
            uniques = values.cat.categories
        else:
            codes, uniques = pd.factorize(values, use_na_sentinel=True)
        counts = code_counts(codes, len(uniques))  # rows per month (and empty ones), one pass on every core
        if counts[0]:
            pos = int(np.argmax(codes == -1))
            raise where.error(pos, "", "is empty", "fill in the month (such as 2024-01) or delete the row",
                              int(counts[0]) - 1)
        uord = np.empty(len(uniques), dtype="int64")
        fams: list[str] = [""] * len(uniques)
        bad: dict[int, _MonthProblem] = {}
        # a dictionary-encoded column may keep entries no row uses any more (rows left out as totals)
        used = counts[1:] > 0
        for k, u in enumerate(uniques):
            if not used[k]:
                uord[k] = 0
                continue
            try:
                uord[k], fams[k] = _value_to_ordinal(u, month_format)
            except _MonthProblem as p:
                bad[k] = p
        order = infer_day_month(uniques[list(bad)]) if bad and month_format is None else None
        if order is not None:
            fmt, why = order
            for k in list(bad):
                try:
                    uord[k], fams[k] = _value_to_ordinal(uniques[k], fmt)
                    del bad[k]
                except _MonthProblem:
                    pass
            if notes is not None:
                notes.append(f"column '{where.column}': dates read as {why}")
        if bad:
            is_bad = np.isin(codes, np.fromiter(bad.keys(), dtype=np.int64))
            pos = int(np.argmax(is_bad))
            p = bad[int(codes[pos])]
            raise where.error(pos, uniques[codes[pos]], p.problem, p.fix, int(is_bad.sum()) - 1)
        text_fams = {f for f in fams if f in _FAMILY_LABEL}
        if len(text_fams) > 1:
            # first row of each layout, in file order
            first_pos = {}
            for f in text_fams:
                ks = np.array([k for k, ff in enumerate(fams) if ff == f])
                first_pos[f] = int(np.argmax(np.isin(codes, ks)))
            (f1, p1), (f2, p2) = sorted(first_pos.items(), key=lambda kv: kv[1])[:2]
            raise where.error(
                p2,
                uniques[codes[p2]],
                f"is written as {_FAMILY_LABEL[f2]}, but {where.locate(p1)} is written as {_FAMILY_LABEL[f1]}",
                "write every month the same way (2024-01 is safest)",
            )
        ords = gather(uord, codes)
        months_used = uord[used]  # the range checks below look at each month once, not at every row
    if len(ords):
        limit = max_month if max_month is not None else pd.Timestamp.today().to_period("M")
        lim = int(limit.ordinal)
        if months_used.max() > lim:
            too_late = ords > lim
            pos = int(np.argmax(too_late))
            raise where.error(
                pos,
                values.iloc[pos],
                f"is after {limit} (MRR is what customers paid, not a plan)",
                "fix the year, or pass max_month='YYYY-MM' (CLI: --max-month) if later months are intended",
                int(too_late.sum()) - 1,
            )
        if months_used.min() < _ordinal(MIN_YEAR, 1):
            too_early = ords < _ordinal(MIN_YEAR, 1)
            pos = int(np.argmax(too_early))
            raise where.error(pos, values.iloc[pos], f"is before {MIN_YEAR}", "fix the year", int(too_early.sum()) - 1)
    return ords


def infer_day_month(values) -> tuple[str, str] | None:
    """The layout of ``d/m/Y``-or-``m/d/Y`` dates when the column itself settles it, with the reason.

    ``31/01/2024`` can only be day first and ``1/31/2024`` month first; a column of headers
    ``1/1/2024, 2/1/2024, 3/1/2024`` (the day always 1, the other number counting up) is
    month first.  Returns None when nothing settles it (the values stay ambiguous).
    """
    pairs = []
    for v in values:
        m = _DAY_MONTH_AMBIG.match(str(v).strip())
        if not m:
            return None
        sep = next(ch for ch in str(v).strip() if ch in "-/.")
        pairs.append((int(m["a"]), int(m["b"]), sep, len(m["y"])))
    if not pairs or len({(p[2], p[3]) for p in pairs}) != 1:
        return None
    sep, ylen = pairs[0][2], pairs[0][3]
    year = "%Y" if ylen == 4 else "%y"
    a_big = any(a > 12 for a, *_ in pairs)
    b_big = any(b > 12 for _, b, *_ in pairs)
    if a_big and not b_big:
        return f"%d{sep}%m{sep}{year}", f"day{sep}month{sep}year (a first number above 12 can only be a day)"
    if b_big and not a_big:
        return f"%m{sep}%d{sep}{year}", f"month{sep}day{sep}year (a second number above 12 can only be a day)"
    if len(set(pairs)) >= 3 and not a_big and not b_big:  # two values are too few to see a pattern
        if len({b for _, b, *_ in pairs}) == 1 and len({a for a, *_ in pairs}) > 1:
            return f"%m{sep}%d{sep}{year}", f"month{sep}day{sep}year (the second number is always {pairs[0][1]})"
        if len({a for a, *_ in pairs}) == 1 and len({b for _, b, *_ in pairs}) > 1:
            return f"%d{sep}%m{sep}{year}", f"day{sep}month{sep}year (the first number is always {pairs[0][0]})"
    return None


def to_period(value: object, what: str = "month") -> pd.Period:
    """One month given by the caller (``'2024-06'``, a Period or a date) -> ``Period[M]``."""
    if value is None:
        raise DataError(f"{what} is missing; give it as 'YYYY-MM'")
    if isinstance(value, pd.Period):
        return value.asfreq("M")
    try:
        return pd.Period(value, freq="M")
    except (ValueError, TypeError):
        raise DataError(f"{what} {value!r} is not a month; give it as 'YYYY-MM'") from None


def looks_like_month(value: object) -> bool:
    """True when ``value`` reads as a month on its own (``2024-01``, ``Jan 2024``, a date cell)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return False
    try:
        _value_to_ordinal(value, None)
    except (_MonthProblem, ValueError, TypeError, OverflowError):
        return False
    return True
