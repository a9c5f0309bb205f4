"""Read numbers as Vietnamese documents write them.

    "85,45%"            -> percent 85.45
    "3.103.499"         -> count 3103499
    "1.352/1.886"       -> ratio 1352 of 1886
    "54/147"            -> ratio 54 of 147 (a rank "54/147" reads the same way)
    "02 - 22 - 43"      -> list 2, 22, 43
    "gần 16,2 triệu"    -> count 16200000, qualifier "gần"
    "hơn 2.000"         -> count 2000, qualifier "hơn"
    "đứng thứ hai"      -> rank 2

The dot groups thousands and the comma marks decimals. A lone "2.000" is two thousand, never
two; "2,5" is two and a half.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

# A number: digit groups of three after dots, optional decimal comma part.
_NUM = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
_QUALIFIERS = ("gần", "hơn", "trên", "khoảng", "dưới", "tối thiểu", "tối đa", "xấp xỉ", "chỉ")
_QUAL = "|".join(sorted(_QUALIFIERS, key=len, reverse=True))
_MULTIPLIERS = {"nghìn": 10**3, "ngàn": 10**3, "triệu": 10**6, "tỷ": 10**9, "tỉ": 10**9}
_MULT = "|".join(_MULTIPLIERS)
ORDINALS = {
    "nhất": 1,
    "hai": 2,
    "nhì": 2,
    "ba": 3,
    "tư": 4,
    "bốn": 4,
    "năm": 5,
    "sáu": 6,
    "bảy": 7,
    "tám": 8,
    "chín": 9,
    "mười": 10,
}

_PATTERNS = [
    ("list", re.compile(rf"(?<![\d.,/])({_NUM})(?:\s*[-–]\s*({_NUM})){{2,}}(?![\d/])")),
    ("ratio", re.compile(rf"(?<![\d.,])({_NUM})\s*/\s*({_NUM})(?![\d])")),
    ("percent", re.compile(rf"(?<![\d.,])({_NUM})\s*%")),
    ("count", re.compile(rf"(?<![\d.,/])({_NUM})(?:\s+({_MULT})\b)?(?![\d/]|\s*%)")),
]
_ORDINAL = re.compile(r"\bthứ\s+(" + "|".join(ORDINALS) + r"|\d+)\b(?!\s*/\s*\d)")  # "thứ 54/147" is a ratio
# Spans that hold digits but no statistic: dates, years, document numbers ("14/STTTT-CNTT").
_NOT_STATISTICS = re.compile(
    r"\d{1,2}/\d{1,2}/\d{4}"  # 20/5/2022
    r"|\b(?:năm|quý [IV]+/|tháng \d{1,2}/)\s*\d{4}\b"  # năm 2022, quý I/2024
    r"|(?<![\d.,])\d+(?:/\d+)?(?:/|-)[A-ZĐ]"  # 160-BC/..., 14/STTTT, 942/QĐ-TTg
    r"|\b(?:Bảng|Biểu đồ|Hình|Điều|Khoản|Chương|Đề án)\s+\d+"  # cross-references
    r"|(?<![\d.,])\d+[A-Za-z]\w*"  # names such as 5G, 4G, 3G
    r"|(?<![\d.,/])(?:19[5-9]\d|20[0-4]\d)(?!\d|[.,]\d|\s*%|/)"  # a bare year: 2020 - 2030
)
_QUALIFIER_BEFORE = re.compile(rf"(?:^|\s)({_QUAL})\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class ParsedNumber:
    """A number found in text, with what kind of statement carries it."""

    kind: str  # percent | count | ratio | rank | list
    value: Decimal
    of: Decimal | None = None  # denominator of a ratio or rank ("54/147")
    qualifier: str | None = None  # "gần", "hơn", ...
    values: tuple[Decimal, ...] = field(default=())  # the members of a list
    text: str = ""  # the matched text
    start: int = 0  # position in the text it was found in


def to_decimal(text: str) -> Decimal:
    """'3.103.499' -> 3103499; '85,45' -> 85.45."""
    return Decimal(text.replace(".", "").replace(",", "."))


def _qualifier(text: str, start: int) -> str | None:
    hit = _QUALIFIER_BEFORE.search(text[max(0, start - 12) : start])
    return hit.group(1).lower() if hit else None


def find_numbers(text: str) -> list[ParsedNumber]:
    """Every numeric statement in ``text``, in order, each span read once (lists before ratios
    before percentages before plain counts)."""
    text = unicodedata.normalize("NFC", text)
    taken: list[tuple[int, int]] = []
    found: list[ParsedNumber] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    taken += [(m.start(), m.end()) for m in _NOT_STATISTICS.finditer(text)]
    skipped = len(taken)
    for m in _ORDINAL.finditer(text):  # before counts: "thứ 5" is a rank, not a count
        if free(m.start(), m.end()):
            word = m.group(1)
            rank = int(word) if word.isdigit() else ORDINALS[word]
            found.append(ParsedNumber("rank", Decimal(rank), text=m.group(0), start=m.start()))
            taken.append((m.start(), m.end()))
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            if not free(m.start(), m.end()):
                continue
            qual = _qualifier(text, m.start())
            if kind == "list":
                members = tuple(to_decimal(x) for x in re.findall(_NUM, m.group(0)))
                item = ParsedNumber("list", members[0], values=members, text=m.group(0), start=m.start())
            elif kind == "ratio":
                item = ParsedNumber(
                    "ratio",
                    to_decimal(m.group(1)),
                    of=to_decimal(m.group(2)),
                    qualifier=qual,
                    text=m.group(0),
                    start=m.start(),
                )
            elif kind == "percent":
                item = ParsedNumber(
                    "percent", to_decimal(m.group(1)), qualifier=qual, text=m.group(0), start=m.start()
                )
            else:
                value = to_decimal(m.group(1)) * _MULTIPLIERS.get(m.group(2) or "", 1)
                item = ParsedNumber("count", value, qualifier=qual, text=m.group(0), start=m.start())
            taken.append((m.start(), m.end()))
            found.append(item)
    del taken[:skipped]
    return sorted(found, key=lambda p: p.start)


def parse_number(text: str) -> ParsedNumber:
    """The first numeric statement of a short quote; ValueError if there is none."""
    found = find_numbers(text)
    if not found:
        raise ValueError(f"không tìm thấy số trong «{text}»")
    return found[0]
