import datetime as dt
from decimal import Decimal

import pytest

from chinhquyenso.vn_format import long_date, nfc, number, percent, percent_value, round_half_up


def test_thousands_dot_and_decimal_comma():
    assert number(2000) == "2.000"
    assert number(3103499) == "3.103.499"
    assert number(1234567.85, 1) == "1.234.567,9"
    assert number(Decimal("85.45"), 2) == "85,45"


def test_percent_is_half_up_from_exact_fraction():
    assert percent(179, 360) == "49,7"
    assert percent(181, 360, sign=True) == "50,3%"
    # 1/40 = 2.5 %: half-up gives 3, banker's rounding would give 2
    assert percent(1, 40, decimals=0) == "3"
    # 0.45 is not exact in binary; exact arithmetic still rounds it up
    assert round_half_up(0.45, 1) == Decimal("0.5")
    assert percent_value(127, 289) == Decimal("43.9")
    assert percent_value(36, 268) == Decimal("13.4")


def test_percent_rejects_empty_base():
    with pytest.raises(ValueError, match="cơ số"):
        percent(1, 0)


def test_long_date_follows_administrative_style():
    assert long_date(dt.date(2026, 11, 22)) == "ngày 22 tháng 11 năm 2026"
    assert long_date(dt.date(2026, 2, 5)) == "ngày 05 tháng 02 năm 2026"
    assert long_date(dt.date(2026, 3, 5)) == "ngày 05 tháng 3 năm 2026"


def test_nfc_composes_decomposed_text():
    decomposed = "Nu\u0303"  # u + combining tilde, as pasted from some Mac apps
    assert nfc(decomposed) == "Nũ"
