"""Speakers protected: no protected name in what is published, attributions that single no one out.

- Names of the protected list (interviewees, other people, units, places) are refused in quotes,
  or replaced by their bracketed role (config ``interviews.names: refuse | replace``). Messages
  never print them: ``mask`` says "tên thứ N trong danh sách bảo vệ" instead.
- The attribution under a quote carries only the attributes the config allows, years of service
  as a band. Issue 17's rule for tables applies to speakers: while the survey has fewer than
  ``report.min_cell`` respondents with the attribution's combination of attributes, attributes
  are dropped in the config's order (``drop_order``), and the excerpt carries a note saying so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from ..tables import tenure_band_labels
from .excerpts import Excerpt
from .register import Interview, ProtectedName, Settings

ROLE_OF = {"province": "province", "admin_level": "admin_level", "gender": "gender", "tenure_band": "tenure"}


class Protector:
    """Finds the protected names in a text (NFC, case-insensitive, whole words)."""

    def __init__(self, names: list[ProtectedName], mode: str = "refuse"):
        self.names = sorted(names, key=lambda n: len(n.name), reverse=True)  # longest first
        self.mode = mode
        self._patterns = [
            (
                n,
                re.compile(
                    r"(?<!\w)" + r"\s+".join(map(re.escape, n.name.split())) + r"(?!\w)", re.IGNORECASE
                ),
            )
            for n in self.names
        ]

    def found(self, text: str) -> list[ProtectedName]:
        """The protected names ``text`` holds, in list order."""
        return sorted((n for n, p in self._patterns if p.search(text)), key=lambda n: n.number)

    def mask(self, text: str) -> str:
        """``text`` fit for a message or a log: each protected name said by its number."""
        for n, pattern in self._patterns:
            text = pattern.sub(f"‹{n.said}›", text)
        return text

    def protect(self, excerpt: Excerpt) -> tuple[str, list[str]]:
        """The quote as published and the problems: a name refused, or one with no ``replace``."""
        names = self.found(excerpt.quote)
        head = f"trích đoạn {excerpt.id} (phỏng vấn {excerpt.transcript})"
        problems = [
            f"{head}, supports: có {n.said}; ghi phần báo cáo không kèm tên"
            for n in self.found(excerpt.supports)
        ]
        if not names:
            return excerpt.quote, problems
        said = ", ".join(n.said for n in names)
        if self.mode == "refuse":
            problems.append(
                f"{head}: câu trích có {said}; bỏ tên bằng dấu … hoặc thay bằng vai trò trong ngoặc "
                "vuông (ví dụ [cán bộ phường]), hoặc đặt interviews.names: replace"
            )
            return excerpt.quote, problems
        quote = excerpt.quote
        for n, pattern in self._patterns:
            if not pattern.search(quote):
                continue
            if not n.replace:
                problems.append(
                    f"{head}: câu trích có {n.said}, mục này của danh sách chưa có replace: [vai trò]"
                )
            quote = pattern.sub(n.replace or "[…]", quote)
        return quote, problems


# --- attribution --------------------------------------------------------------------------


@dataclass(frozen=True)
class Attribution:
    text: str  # e.g. "PVS, CV03, <tỉnh>, <giới tính>, thâm niên 4–7 năm"
    kept: tuple[str, ...]
    dropped: tuple[str, ...]
    note: str


def tenure_band(years: int, edges: list[int]) -> tuple[int, int] | None:
    """The band [a, b) of ``edges`` holding ``years``, or None outside them."""
    for a, b in zip(edges[:-1], edges[1:], strict=True):
        if a <= years < b:
            return a, b
    return None


def _matches(clean: pd.DataFrame, book, iv: Interview, attrs: list[str], edges: list[int]) -> int:
    """Survey respondents sharing the interviewee's values of ``attrs``."""
    keep = pd.Series(True, index=clean.index)
    for attr in attrs:
        var = book.role(ROLE_OF[attr])
        if attr == "tenure_band":
            a, b = tenure_band(iv.tenure, edges)
            years = pd.to_numeric(clean[var], errors="coerce")
            keep &= (years >= a) & (years < b)
        else:
            keep &= clean[var].astype("string") == iv.values[attr]
    return int(keep.sum())


def _shown_value(attr: str, iv: Interview, book, edges: list[int]) -> str:
    var = book.role(ROLE_OF[attr])
    if attr == "tenure_band":
        a, b = tenure_band(iv.tenure, edges)
        band = tenure_band_labels([a, b])[0]
        return f"{(book[var].short_label or book[var].label).lower()} {band}"
    return book.display(var, iv.values[attr])


def attribute_label(attr: str, book) -> str:
    var = book.role(ROLE_OF[attr])
    return book[var].short_label or book[var].label or var


def attribution(
    iv: Interview, settings: Settings, book, clean: pd.DataFrame, min_cell: int, edges: list[int]
) -> Attribution:
    """The attribution printed under a quote of ``iv`` and, when attributes had to go, why."""
    attrs = list(settings.attribution)
    outside = "tenure_band" in attrs and tenure_band(iv.tenure, edges) is None
    if outside:
        attrs.remove("tenure_band")
    order = [a for a in settings.drop_order if a in attrs] + [
        a for a in reversed(attrs) if a not in settings.drop_order
    ]
    dropped = []
    while attrs and _matches(clean, book, iv, attrs, edges) < min_cell:
        gone = order[len(dropped)]
        attrs.remove(gone)
        dropped.append(gone)
    notes = []
    if outside:
        notes.append(f"thâm niên ngoài các khoảng {edges[0]}–{edges[-1] - 1} năm nên không ghi")
    if dropped:
        names = ", ".join(attribute_label(a, book) for a in dropped)
        notes.append(
            f"bỏ {names} khỏi ghi danh: tổ hợp các đặc điểm có ít hơn {min_cell} người trả lời khảo sát"
        )
    text = ", ".join([settings.label, iv.id, *(_shown_value(a, iv, book, edges) for a in attrs)])
    return Attribution(text, tuple(attrs), tuple(dropped), "; ".join(notes))


def role_problems(settings: Settings, book) -> list[str]:
    """Attributes the config asks for that the codebook cannot count (no variable of the role)."""
    return [
        f"config interviews.attribution: «{a}» cần biến giữ vai trò {ROLE_OF[a]} trong codebook (không có)"
        for a in settings.attribution
        if book.role(ROLE_OF[a]) is None
    ]
