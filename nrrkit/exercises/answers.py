"""Reading an exercise answer the way a person writes it (see :mod:`nrrkit.exercises`)."""

from __future__ import annotations

__all__ = ["number", "written_unit", "parse_rate", "rate_unit", "money_parts", "parse_money", "parse_points",
           "points_unit"]


def number(text: str) -> float:
    t = text.strip().replace(",", "").replace("_", "").replace(" ", "")
    return float(t)


def written_unit(text: str) -> float | None:
    """Half a unit of the last digit written (``"36"`` -> 0.5, ``"36.1"`` -> 0.05), or None when the
    number has fewer than two significant digits (too coarse to count as a rounding).

    Trailing zeros of a whole number are read as rounding (``"36,000,000"`` -> 500,000).
    """
    t = text.strip().replace(",", "").replace("_", "").replace(" ", "").lstrip("+-")
    if "e" in t.lower():
        return None
    if "." in t:
        whole, frac = t.split(".", 1)
        digits = (whole + frac).lstrip("0")
        return 0.5 * 10 ** -len(frac) if len(digits) >= 2 else None
    stripped = t.rstrip("0")
    zeros = len(t) - len(stripped)
    return 0.5 * 10 ** zeros if len(stripped.lstrip("0")) >= 2 else None


def parse_rate(answer) -> float:
    """A rate as a fraction: ``1.07``, ``"107%"``, ``"107.0 %"`` -> 1.07.

    A bare number above 3 is read as percent (``107`` -> 1.07): no retention rate
    in these exercises is above 300%.
    """
    if isinstance(answer, str):
        s = answer.strip()
        if s.endswith("%"):
            return number(s[:-1]) / 100
        value = number(s)
    else:
        value = float(answer)
    return value / 100 if abs(value) > 3 else value


def rate_unit(answer) -> float | None:
    """Half a unit of the last digit of a rate answer, as a fraction."""
    text = answer if isinstance(answer, str) else repr(float(answer))
    s = text.strip()
    percent = s.endswith("%") or abs(number(s.rstrip("%"))) > 3
    unit = written_unit(s.rstrip("%").strip())
    if unit is None:
        return None
    return unit / 100 if percent else unit


_SUFFIX = {"K": 1e3, "M": 1e6, "B": 1e9}


def money_parts(answer) -> tuple[float, float | None]:
    if isinstance(answer, str):
        s = answer.strip().replace("$", "").replace(" ", "")
        mult = 1.0
        if s and s[-1].upper() in _SUFFIX:
            mult = _SUFFIX[s[-1].upper()]
            s = s[:-1]
        unit = written_unit(s)
        return number(s) * mult, (unit * mult if unit is not None else None)
    v = float(answer)
    text = repr(v)[:-2] if repr(v).endswith(".0") else repr(v)
    return v, written_unit(text)


def parse_money(answer) -> float:
    """Money as a number: ``64.1e6``, ``"$64.1M"``, ``"64,100,000"`` -> 64100000.0."""
    return money_parts(answer)[0]


def parse_points(answer) -> list[float]:
    """A change of NRR, read both ways a person may mean it: ``"0.5 points"``, ``"0.5%"`` -> [0.005];
    a bare ``0.5`` -> [0.5, 0.005] (a fraction, or points)."""
    if isinstance(answer, str):
        s = answer.strip().lower()
        for word in ("percentage points", "points", "point", "pts", "pt", "pp", "%"):
            if s.endswith(word):
                return [number(s[: -len(word)]) / 100]
        v = number(s)
    else:
        v = float(answer)
    return [v, v / 100]


def points_unit(answer, got: float) -> float:
    """The rounding slack of a points answer: half a unit of the last digit written, at most 0.05 points."""
    text = answer.strip().lower() if isinstance(answer, str) else repr(float(answer))
    for word in ("percentage points", "points", "point", "pts", "pt", "pp", "%"):
        if text.endswith(word):
            text = text[: -len(word)].strip()
            break
    unit = written_unit(text)
    if unit is None:
        return 0.0
    scale = 1.0 if abs(got - number(text)) < 1e-15 else 0.01  # read as a fraction, or as points
    return min(unit * scale, 0.0005)
