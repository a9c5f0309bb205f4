"""Coded excerpts: which interview, the quote as the report prints it, its themes and the report
section or finding it supports. Written by hand (YAML) or by ``qdpx`` from a QDA project.

    excerpts:
      - id: TD01
        transcript: CV03          # pseudonym of the register
        quote: "… phải thuần thục [kỹ năng] …"   # "…"/"..." elide, [ ] clarify
        themes: [ky_nang_so]      # codes of the themes file
        supports: "ket_luan"      # the report section (or finding) the quote supports
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from ..atomic import write_text
from ..safe_text import shown
from .register import InterviewError, nfc, read_yaml


@dataclass(frozen=True)
class Excerpt:
    id: str
    transcript: str
    quote: str
    themes: tuple[str, ...]
    supports: str = ""


def _themes_of(value) -> list[str]:
    if isinstance(value, str):
        return [nfc(t) for t in value.split(";") if nfc(t)]
    return [nfc(t) for t in value or [] if nfc(t)]


def load_excerpts(path: Path, shown_as: str, interviews: set[str], themes: dict[str, str]) -> list[Excerpt]:
    """Every excerpt, checked against the register's pseudonyms and the themes' codes."""
    entries, problems = read_yaml(path, shown_as, "excerpts")
    out, seen = [], set()
    for i, entry in enumerate(entries, start=1):
        eid = nfc(entry.get("id") or "")
        where = f"{shown_as}, mục {i}" + (f" ({shown(eid)})" if eid else "")
        found = []
        if not eid:
            found.append(f"{where}, id: cần mã trích đoạn")
        elif eid in seen:
            found.append(f"{where}, id: mã «{shown(eid)}» đã có ở mục trước")
        seen.add(eid)
        transcript = nfc(entry.get("transcript") or "")
        if transcript not in interviews:
            found.append(f"{where}, transcript: «{shown(transcript)}» không có trong danh sách phỏng vấn")
        quote = nfc(entry.get("quote") or "")
        if not quote:
            found.append(f"{where}, quote: cần câu trích")
        codes = _themes_of(entry.get("themes"))
        unknown = [c for c in codes if c not in themes]
        if not codes:
            found.append(f"{where}, themes: cần ít nhất một chủ đề (có: {', '.join(themes)})")
        elif unknown:
            found.append(
                f"{where}, themes: chủ đề {', '.join(map(shown, unknown))} không có (có: {', '.join(themes)})"
            )
        problems += found
        if not found:
            out.append(Excerpt(eid, transcript, quote, tuple(codes), nfc(entry.get("supports") or "")))
    if problems:
        raise InterviewError(problems)
    return out


def _dump(doc: dict, head: str) -> str:
    body = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=100)
    return head + body


def write_excerpts(path: Path, excerpts: list[Excerpt], head: str = "") -> None:
    doc = {
        "excerpts": [
            {
                "id": e.id,
                "transcript": e.transcript,
                "quote": e.quote,
                "themes": list(e.themes),
                "supports": e.supports,
            }
            for e in excerpts
        ]
    }
    write_text(path, _dump(doc, head))


def write_themes(path: Path, themes: dict[str, str], head: str = "") -> None:
    write_text(path, _dump({"themes": [{"code": c, "title": t} for c, t in themes.items()]}, head))
