"""Values from outside the project, made safe to show and to write.

Anything read from an input file can reach a message, the validation report or a CSV the
project writes. Three things are done to it on the way out:

- ``shown``: invisible and control characters (NUL, zero-width space, BOM, bidi marks...) are
  written as ``<U+200B>`` so a flagged value never looks valid, and a long value is cut with its
  length stated;
- ``cell``: a text cell starting with ``= + - @``, tab or CR gets the usual protective apostrophe,
  so a spreadsheet opening the CSV never runs it as a formula (OWASP "CSV injection");
- ``write_csv``: every CSV output of the workflow goes through ``cell`` (text columns only:
  numbers stay numbers) with the same encoding and line ends, and is written whole or not at all
  (``atomic.replacing``).
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
LIMIT = 200  # characters of a value shown in a message or report


def shown(value: object, limit: int = LIMIT) -> str:
    """``value`` as a reader should see it: invisible characters named, long text cut."""
    text = "" if value is None else str(value)
    if len(text) <= limit and text.isprintable():
        return text  # the usual case, without a look at every character
    if len(text) > limit:
        text = f"{text[:limit]}… (dài {len(text):,} ký tự)".replace(",", ".")
    return "".join(
        f"<U+{ord(c):04X}>" if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") and c not in "\n" else c
        for c in text
    )


def cell(value: object) -> object:
    """A text cell neutralised for spreadsheets; other values unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every text cell (and header) passed through ``cell``."""
    out = frame.copy()
    for name in out.columns:
        if out[name].dtype == object or pd.api.types.is_string_dtype(out[name]):
            out[name] = out[name].map(cell)
    out.columns = [cell(str(c)) for c in out.columns]
    return out


COMPRESSION = {".gz": "gzip", ".bz2": "bz2", ".zip": "zip", ".xz": "xz", ".zst": "zstd"}


def write_csv(frame: pd.DataFrame, path: str | Path, **options) -> None:
    """Write an output CSV: UTF-8, LF line ends, no index, text cells neutralised; written to a
    temporary file renamed into place when complete (``atomic.replacing``)."""
    from .atomic import replacing

    options.setdefault("compression", COMPRESSION.get(Path(path).suffix))  # "x.csv.tmp" infers none
    with replacing(path) as tmp:
        safe_frame(frame).to_csv(tmp, index=False, encoding="utf-8", lineterminator="\n", **options)
