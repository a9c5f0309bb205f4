"""The Vietnamese text layer: how the report's generated sentences say counts, ranges, lists and
the numbers they quote from a table.

Every number a generated sentence takes from a table goes through ``quote``, which marks it
with the id of the table it comes from; the report-text lint (tests) checks each marked number
against that table's cells. Vietnamese nouns do not inflect for number, but the sentence does:
"không có hoạt động nào" rather than "0 hoạt động", "một tỉnh" rather than "1 tỉnh, thành phố".
"""

from __future__ import annotations

from decimal import Decimal
from numbers import Real

from markupsafe import Markup, escape

from ..vn_format import number


def count(n: int, noun: str, *, none: str | None = None) -> str:
    """ "3 hoạt động"; for 0, "không có <noun> nào" (or ``none`` when the sentence needs
    another turn of phrase)."""
    if n == 0:
        return none if none is not None else f"không có {noun} nào"
    return f"{number(int(n))} {noun}"


def of_total(part: int, whole: int, noun: str) -> str:
    """ "8 trong 14 hoạt động"; "cả 14 hoạt động"; "không hoạt động nào trong 14"."""
    if part == 0:
        return f"không {noun} nào trong {number(int(whole))}"
    if part == whole:
        return f"cả {number(int(whole))} {noun}" if whole > 1 else f"{noun} duy nhất"
    return f"{number(int(part))} trong {number(int(whole))} {noun}"


def span(low: Real | Decimal, high: Real | Decimal, unit: str, decimals: int = 0) -> str:
    """A range with its unit: "từ 21 đến 39 tuổi"; one value when both ends are equal."""
    lo, hi = number(low, decimals), number(high, decimals)
    return f"{lo} {unit}" if lo == hi else f"từ {lo} đến {hi} {unit}"


def join(items: list, last: str = "và"):
    """ "a", "a và b", "a, b và c". Items that carry markup (numbers marked by ``quote``) give
    markup, the others escaped; plain items give plain text."""
    items = [i if isinstance(i, Markup) else str(i) for i in items if str(i)]
    glue = Markup if any(isinstance(i, Markup) for i in items) else str
    if len(items) <= 1:
        return glue(items[0]) if items else ""
    return glue(", ").join(items[:-1]) + glue(f" {last} ") + items[-1]


def first_upper(text: str) -> str:
    """The text with its first letter capitalised and the rest as written ("thâm niên (mỗi năm)"
    -> "Thâm niên (mỗi năm)"; str.capitalize would lower a label such as "TP. <tên>")."""
    return text[:1].upper() + text[1:]


def first_lower(text: str) -> str:
    """A label as it reads mid-sentence: its first letter lower-cased ("Giới tính" -> "giới tính"),
    but a first word in capitals kept ("TP. <tên>", "DTI": a name or an abbreviation) and the
    rest as written (a province named inside stays a proper noun)."""
    word = text.split(" ", 1)[0]
    if sum(c.isupper() for c in word) > 1:
        return text
    return text[:1].lower() + text[1:]


def quote(text: str, table: str) -> Markup:
    """A number ``text`` (already formatted) that a sentence takes from table ``table`` (the id
    its caption has in the registry of numbered tables): marked so that the lint can check it."""
    return Markup('<span class="so" data-bang="{}">{}</span>').format(table, text)


def plain(value) -> str:
    """Text with the quote marks removed (Word, the workbook and log lines need none)."""
    return Markup(value).striptags() if isinstance(value, Markup) else str(escape(value))
