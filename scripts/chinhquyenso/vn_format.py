"""Vietnamese presentation of numbers, percentages and dates.

Every number the reader sees passes through this module, so that the decimal comma,
the thousands dot and the rounding rule are the same everywhere in the report.

Rounding is half-up on exact decimal arithmetic (``decimal.Decimal``), which is how the
published article rounds; binary floats would turn 0.45 into 0.4499999... and round it down.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from numbers import Rational, Real

from babel.numbers import format_decimal

LOCALE = "vi_VN"


def _to_decimal(value: Real | Decimal | str) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, Rational):  # int, Fraction: exact
        value = Fraction(value)
        return Decimal(value.numerator) / Decimal(value.denominator)
    # floats go through repr so that 46.9 stays 46.9 rather than 46.899999...
    return Decimal(repr(float(value))) if not isinstance(value, str) else Decimal(value)


def round_half_up(value: Real | Decimal | str, decimals: int = 1) -> Decimal:
    """Round ``value`` half-up to ``decimals`` places, exactly."""
    quantum = Decimal(1).scaleb(-decimals)
    return _to_decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)


def percent_value(count: int, base: int, decimals: int = 1) -> Decimal:
    """``count / base`` as a percentage, rounded half-up from the exact fraction."""
    if base <= 0:
        raise ValueError(f"cơ số tính tỷ lệ phải dương, nhận được {base}")
    return round_half_up(Fraction(100 * int(count), int(base)), decimals)


MINUS = "\u2212"  # the true minus sign, not the hyphen Babel's locale data gives


def number(value: Real | Decimal, decimals: int = 0) -> str:
    """Format a number the Vietnamese way: ``1234567.8`` -> ``"1.234.567,8"``, ``-0.5`` -> ``"−0,5"``.

    A value that rounds to zero is printed without a sign (never "−0,00")."""
    rounded = round_half_up(value, decimals)
    if rounded == 0:
        rounded = abs(rounded)
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    text = format_decimal(rounded, format=pattern, locale=LOCALE, decimal_quantization=True)
    return MINUS + text[1:] if text.startswith("-") else text


def percent(count: int, base: int, decimals: int = 1, sign: bool = False) -> str:
    """Percentage of ``count`` over ``base``: ``percent(179, 360)`` -> ``"49,7"``.

    With ``sign=True`` the result carries the per-cent sign: ``"49,7%"``.
    """
    text = number(percent_value(count, base, decimals), decimals)
    return text + "%" if sign else text


def long_date(day: dt.date) -> str:
    """Administrative Vietnamese date: ``date(2026, 11, 22)`` -> ``"ngày 22 tháng 11 năm 2026"``.

    As Decree 30/2020/NĐ-CP prescribes for official documents, days below 10 and the
    months 1 and 2 take a leading zero ("ngày 05 tháng 02 năm 2026", "tháng 3").
    """
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def nfc(text: str) -> str:
    """Unicode NFC, the form in which Vietnamese text is compared and printed."""
    return unicodedata.normalize("NFC", text)


def slug(name: str) -> str:
    """ASCII name part for file and column names: 'Đơn vị mới' -> 'don_vi_moi'."""
    text = unicodedata.normalize("NFD", str(name).replace("Đ", "D").replace("đ", "d"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return "_".join("".join(c if c.isalnum() else " " for c in text).split())
