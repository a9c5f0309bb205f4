"""A source document's text, normalised for matching quotes (NFC, whitespace collapsed, lines
re-joined) with a map back to its pages and lines: text and Markdown as written, PDF through
pypdf's text extraction. Used by the documents' provenance check and by the interviews."""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

TEXT_SUFFIXES = {".txt", ".md"}


@dataclass
class SourceText:
    """A document's text, normalised for matching, with a map back to its lines and pages."""

    text: str  # NFC, whitespace collapsed, lines re-joined with single spaces
    starts: list[int] = field(default_factory=list)  # offset in `text` where each line begins
    lines: list[tuple[int | None, int]] = field(default_factory=list)  # (page, line) of each

    def locate(self, offset: int) -> tuple[int | None, int]:
        return self.lines[bisect.bisect_right(self.starts, offset) - 1]


SPACE = re.compile(r"\s+")


def normalise_lines(pages: list[str]) -> SourceText:
    """NFC, collapse whitespace, re-join lines; page numbers kept when there are several pages."""
    out = SourceText("")
    parts: list[str] = []
    offset = 0
    for p, page in enumerate(pages, start=1):
        for n, line in enumerate(page.splitlines(), start=1):
            clean = SPACE.sub(" ", unicodedata.normalize("NFC", line)).strip()
            if not clean:
                continue
            out.starts.append(offset)
            out.lines.append((p if len(pages) > 1 else None, n))
            parts.append(clean)
            offset += len(clean) + 1
    out.text = " ".join(parts)
    return out


def read_source_text(path: str | Path) -> SourceText:
    """Text or Markdown as is; PDF through pypdf's text extraction, page by page."""
    path = Path(path)
    if path.suffix.lower() == ".pdf":
        from pypdf import PdfReader

        return normalise_lines([page.extract_text() or "" for page in PdfReader(path).pages])
    if path.suffix.lower() in TEXT_SUFFIXES:
        return normalise_lines([path.read_text(encoding="utf-8-sig")])
    raise ValueError(f"{path}: định dạng văn bản nguồn không hỗ trợ (dùng .txt, .md hoặc .pdf)")
