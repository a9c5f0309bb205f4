"""Direct personal identifiers, recognised from the header and from the answers' shape.

Only shapes are tested (an e-mail address, a Vietnamese phone number, a 9- or 12-digit ID card
number): no value is ever copied out, so the draft and its report never show one.
"""

from __future__ import annotations

import re

from .evidence import Column
from .text import ascii_fold, has_word, split_matrix, strip_numbering
from .vocab import IDENTIFIER_WORDS

EMAIL = re.compile(r"^[\w.+-]+@[\w-]+(\.[\w-]+)+$")
PHONE = re.compile(r"^(\+84|0084|0)\s?[1-9](?:[\s.]?\d){8,9}$")
ID_CARD = re.compile(r"^(\d{9}|\d{12})$")  # CMND (9 digits) or CCCD (12 digits)
SHAPES = {"e-mail": EMAIL, "số điện thoại": PHONE, "số CMND/CCCD": ID_CARD}
SHARE = 0.6  # of the distinct non-empty answers, for a shape to name the column


def identifier_reason(column: Column) -> str | None:
    """Why ``column`` is a direct identifier (a Vietnamese phrase for the report), or None."""
    header = strip_numbering(column.header)
    short = len(ascii_fold(header).split()) <= 6  # "Số điện thoại", not "… dùng điện thoại …"
    if split_matrix(column.header)[1] is None and short and has_word(header, IDENTIFIER_WORDS):
        return "tiêu đề cột là thông tin định danh cá nhân"
    values = [str(v).strip() for v in column.answers if str(v).strip()]
    if not values:
        return None
    for what, shape in SHAPES.items():
        hits = sum(1 for v in values if shape.match(v))
        if hits >= SHARE * len(values):
            return f"giá trị có dạng {what}"
    return None
