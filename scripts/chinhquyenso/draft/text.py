"""Question text as the draft compares it: numbering removed, case and diacritics folded, a
matrix header split into its stem (the question) and its item (the row of the grid)."""

from __future__ import annotations

import re
import unicodedata

from ..codebook import fold

# "Câu 5a.", "Câu 12:", "5a)", "5a.", "Q5.", "Q5a -", "C5." at the start of a header
_NUMBERING = re.compile(
    r"^\s*(?:(?:câu|cau|q|c)\s*)?\d+[a-zđ]?\s*[.):\-–]\s*|^\s*(?:câu|cau)\s*\d+[a-zđ]?\s+", re.I
)
_BRACKET_ITEM = re.compile(r"^(?P<stem>.*?)\s*\[(?P<item>[^\[\]]+)\]\s*$", re.S)
_COLON_ITEM = re.compile(r"^(?P<stem>[^:]{6,}?)\s*:\s*(?P<item>[^:]{3,}?)\s*\??\s*$", re.S)


def strip_numbering(header: str) -> str:
    """'Câu 5a. Giới tính' -> 'Giới tính' (a header that is only a number stays as it is)."""
    stripped = _NUMBERING.sub("", str(header), count=1).strip()
    return stripped or str(header).strip()


def ascii_fold(text: str) -> str:
    """Case- and diacritic-insensitive form: 'Tỉnh Lâm Đồng' -> 'tinh lam dong'."""
    text = fold(text).replace("đ", "d")
    text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return " ".join("".join(c if c.isalnum() else " " for c in text).split())


def split_matrix(header: str) -> tuple[str, str | None]:
    """A grid question's header -> (stem, item): 'Q [item]' and 'Q: item'; else (header, None)."""
    text = strip_numbering(header)
    for pattern in (_BRACKET_ITEM, _COLON_ITEM):
        found = pattern.match(text)
        if found and found.group("stem").strip():
            return found.group("stem").strip(), found.group("item").strip()
    return text, None


def has_word(text: str, words) -> bool:
    """Whether the folded ``text`` contains one of ``words`` (folded) as whole words."""
    folded = f" {ascii_fold(text)} "
    return any(f" {ascii_fold(w)} " in folded for w in words)
