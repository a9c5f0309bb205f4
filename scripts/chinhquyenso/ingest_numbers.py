"""Decoding of the two column types a sampling design needs (design/spec.py): ``number``, a
decimal such as a weight, and ``code``, a free code such as a sampled unit's.

A ``number`` is read with the codebook's ``decimal`` mark: "," (the default, as Vietnamese
writes numbers: 1.234,5 — dots group thousands) or "." (a machine export: 1234.5, no grouping).
Anything else is a problem (rule so_thap_phan) naming the row, column and value; never guessed:
"2.000" is two thousand with ",", two with ".".
"""

from __future__ import annotations

import unicodedata

import pandas as pd

from .problems import WARNING

PATTERNS = {
    ",": r"[+-]?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?",
    ".": r"[+-]?\d+(?:\.\d+)?",
}


def decode_number(var, header, values: pd.Series, rows, out) -> pd.Series:
    """Float64 column of a ``type: number`` variable; blanks stay blank (the presence rules
    report a required one)."""
    stripped = values.str.strip()
    ok = stripped.str.fullmatch(PATTERNS[var.decimal])
    text = stripped.where(ok, None)
    if var.decimal == ",":
        text = text.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    numbers = pd.to_numeric(text, errors="coerce")
    bad = (numbers.isna() & (stripped != "")).to_numpy()
    mark = "dấu phẩy" if var.decimal == "," else "dấu chấm"
    for row, raw in zip(rows[bad], values[bad], strict=True):
        message = f"không phải số (phần thập phân sau {mark}, theo khóa decimal của codebook)"
        if out.problem("so_thap_phan", row, header, raw, message) == WARNING:
            out.change(row, header, var.name, raw, "", "bỏ giá trị không phải số")
    return numbers.astype("Float64")


def decode_code(values: pd.Series) -> pd.Series:
    """A free code, trimmed and in NFC; blank stays blank."""
    text = values.map(lambda v: unicodedata.normalize("NFC", str(v)).strip())
    return text.where(text != "", None).astype("string")
