"""Candidates for next year's extracts: every numeric statement of each source document, with
its sentence, page and line, and the indicator its keywords suggest (results/documents/
candidates.csv, rule document_candidates). A person then checks them into the extracts file."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from .document_text import SourceText, read_source_text
from .documents import Indicator, Source, fmt_decimal, source_path
from .vn_numbers import ParsedNumber, find_numbers

_SENTENCE_END = re.compile(r"(?<=[.;!?])\s+(?=[A-ZĐÀ-Ỹ0-9“\"(])")


def guess_indicator(sentence: str, number: ParsedNumber, indicators: dict[str, Indicator]) -> str:
    """The indicator whose keywords the sentence mentions most, if the kind of number fits."""
    folded = sentence.casefold()
    best, best_hits = "", 0
    for ind in indicators.values():
        hits = sum(k.casefold() in folded for k in ind.keywords)
        if ind.kind == "rank":  # a rank is "thứ hai" or "19/63", not any number near the word
            fits = number.kind == "rank" or (number.kind == "ratio" and number.of in (63, 34))
        else:
            fits = ind.kind == number.kind or (ind.kind == "count" and number.kind == "count")
        if hits > best_hits and fits:
            best, best_hits = ind.id, hits
    return best


def candidates(name: str, text: SourceText, indicators: dict[str, Indicator]) -> list[dict]:
    """Every numeric statement of a document, with its sentence and a guessed indicator."""
    rows = []
    start = 0
    for sentence in _SENTENCE_END.split(text.text):
        offset = text.text.find(sentence, start)
        start = offset + len(sentence)
        for number in find_numbers(sentence):
            page, line = text.locate(offset + number.start)
            rows.append(
                {
                    "tai_lieu": name,
                    "trang": page,
                    "dong": line,
                    "cau": sentence[:300],
                    "so": number.text,
                    "loai": number.kind,
                    "gia_tri": fmt_decimal(number.value),
                    "mau_so": fmt_decimal(number.of),
                    "dinh_luong": number.qualifier or "",
                    "chi_so_doan": guess_indicator(sentence, number, indicators),
                }
            )
    return rows


def all_candidates(sources: dict[str, Source], root: Path, indicators: dict[str, Indicator]) -> pd.DataFrame:
    rows = []
    for src in sources.values():
        path = source_path(src, root)
        if path is not None and path.exists():
            rows += candidates(path.name, read_source_text(path), indicators)
    columns = [
        "tai_lieu",
        "trang",
        "dong",
        "cau",
        "so",
        "loai",
        "gia_tri",
        "mau_so",
        "dinh_luong",
        "chi_so_doan",
    ]
    return pd.DataFrame(rows, columns=columns)
