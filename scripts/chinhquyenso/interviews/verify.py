"""Every quote found verbatim in its transcript, as the documents' extracts are in their sources.

Both sides are normalised by the documents' own normaliser (``document_text.normalise_lines``: NFC,
whitespace folded). A quote may leave words out ("…" or "...": any gap) and add a bracketed
clarification ("[thuần thục]"): the parts between them must be found in order; a bracket may
stand for at most ``BRACKET_GAP`` characters of the transcript (a name or a few words it
replaces), an elision for any number.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass

from ..document_text import SourceText, normalise_lines
from ..safe_text import shown
from .excerpts import Excerpt

BRACKET_GAP = 80
_MARKS = re.compile(r"(…|\.\.\.|\[[^\[\]]*\])")


@dataclass(frozen=True)
class Part:
    text: str
    gap: int | None  # the most characters allowed before it (None: any; first part: None)


@dataclass(frozen=True)
class Found:
    start: int  # offset in the normalised transcript (0-based)
    end: int
    paragraph: int  # 1-based: the non-empty line of the transcript the quote starts in


def parts_of(quote: str) -> list[Part]:
    """The pieces of a quote that must be in the transcript, with the gap allowed before each."""
    out: list[Part] = []
    gap: int | None = 0  # before the next piece: 0 adjacent, None any
    for piece in _MARKS.split(normalise_lines([quote]).text):
        if _MARKS.fullmatch(piece):
            elided = piece in ("…", "...")
            gap = None if elided or gap is None else BRACKET_GAP
            continue
        text = piece.strip()
        if text:
            out.append(Part(text, gap if out else None))
            gap = 0
    return out


def _follow(text: str, parts: list[Part], start: int) -> tuple[int, int]:
    """(end of the match, number of parts matched) following ``parts[1:]`` from ``start``."""
    end = start + len(parts[0].text)
    for k, part in enumerate(parts[1:], start=1):
        limit = len(text) if part.gap is None else end + part.gap + len(part.text)
        at = text.find(part.text, end, limit)
        if at < 0:
            return end, k
        end = at + len(part.text)
    return end, len(parts)


def locate(text: SourceText, quote: str) -> tuple[Found | None, int]:
    """Where the quote stands, or (None, the 0-based index of the first part never found)."""
    parts = parts_of(quote)
    if not parts:
        return None, 0
    best, at = 0, text.text.find(parts[0].text)
    while at >= 0:
        end, matched = _follow(text.text, parts, at)
        if matched == len(parts):
            return Found(at, end, bisect.bisect_right(text.starts, at)), matched
        best = max(best, matched)
        at = text.text.find(parts[0].text, at + 1)
    return None, best


def verify(excerpt: Excerpt, text: SourceText, mask: Callable[[str], str]) -> tuple[Found | None, str]:
    """The excerpt's place in its transcript, or the problem naming the excerpt and the part of
    its quote that is not there (protected names masked; no transcript path)."""
    found, matched = locate(text, excerpt.quote)
    if found:
        return found, ""
    parts = parts_of(excerpt.quote)
    head = f"trích đoạn {excerpt.id} (phỏng vấn {excerpt.transcript})"
    if not parts:
        return (
            None,
            f"{head}: câu trích chỉ có dấu lược hoặc ngoặc vuông, không có lời nào của người được phỏng vấn",
        )
    missing = parts[matched].text
    if len(parts) == 1:
        why = "không có nguyên văn trong bản ghi"
    elif matched == 0:
        why = f"phần đầu «{mask(shown(missing))}» không có trong bản ghi"
    else:
        why = (
            f"phần thứ {matched + 1} «{mask(shown(missing))}» không có trong bản ghi sau phần trước nó "
            "(dấu lược … cho bỏ qua bao nhiêu chữ cũng được; "
            f"ngoặc vuông [ ] chỉ thay tối đa {BRACKET_GAP} ký tự)"
        )
    if len(parts) == 1:
        why += f": «{mask(shown(missing))}»"
    return None, f"{head}: {why}; chép lại đúng nguyên văn bản ghi"
