from decimal import Decimal

import pytest

from chinhquyenso.vn_numbers import find_numbers, parse_number, to_decimal


@pytest.mark.parametrize(
    ("text", "kind", "value", "of", "qualifier"),
    [
        ("1.352/1.886 thủ tục", "ratio", "1352", "1886", None),
        ("đạt 85,45%", "percent", "85.45", None, None),
        ("3.103.499 nhân khẩu", "count", "3103499", None, None),
        ("gần 16,2 triệu", "count", "16200000", None, "gần"),
        ("hơn 2.000 cán bộ", "count", "2000", None, "hơn"),
        ("Khoảng 86% dân số", "percent", "86", None, "khoảng"),
        ("đứng thứ hai trong 63 tỉnh", "rank", "2", None, None),
        ("đứng thứ 5 toàn quốc", "rank", "5", None, None),
        ("xếp thứ 54/147", "ratio", "54", "147", None),
        ("trên 10.000 camera", "count", "10000", None, "trên"),
    ],
)
def test_parse_number(text, kind, value, of, qualifier):
    parsed = parse_number(text)
    assert parsed.kind == kind
    assert parsed.value == Decimal(value)
    assert parsed.of == (Decimal(of) if of else None)
    assert parsed.qualifier == qualifier


def test_list_of_ranks():
    parsed = parse_number("lần lượt xếp hạng 02 - 22 - 43")
    assert parsed.kind == "list" and parsed.values == (Decimal(2), Decimal(22), Decimal(43))


def test_dot_is_thousands_comma_is_decimal():
    assert to_decimal("2.000") == 2000
    assert to_decimal("2,5") == Decimal("2.5")
    assert to_decimal("1.234.567,89") == Decimal("1234567.89")


def test_dates_years_document_numbers_and_names_are_not_statistics():
    text = (
        "Quyết định số 942/QĐ-TTg ngày 15/6/2021, năm 2022, quý I/2024, giai đoạn 2020 - 2030, "
        "Bảng 2, mạng 5G"
    )
    assert find_numbers(text) == []


def test_several_numbers_in_order():
    found = find_numbers("3,2 triệu có sử dụng data, đạt 85,45%, đứng thứ 5")
    assert [(p.kind, p.value) for p in found] == [
        ("count", Decimal("3200000")),
        ("percent", Decimal("85.45")),
        ("rank", Decimal(5)),
    ]


def test_no_number_is_an_error():
    with pytest.raises(ValueError, match="không tìm thấy số"):
        parse_number("không có con số nào")
