"""Respondent codes kept out of every message, log line and report (issue 21).

The raw codes of the survey's ``id`` column (e.g. ``P25-1008``) must never be shown: the clean
table carries pseudonyms, and problems name rows and columns instead. This module is the
defensive edge behind that: the clean stage passes the raw codes it has read to ``remember``,
and ``scrub`` replaces any of them in a text by :data:`MASK`. ``smk.run`` scrubs everything
written to a rule's log (and the console paragraph), the clean stage its problems, cleaning log
and any unexpected error.

Why a registry of the codes actually read, not a pattern: a codebook declares no shape for its
codes (``P25-1008``, ``KS2023-0001``, ``0912``...), so a pattern would miss some codes and hide
innocent text. The registry is exact, and it matches a code however it is written in the text:
NFC or NFD, any case, any spacing, inside quotes or brackets. It holds 64-bit hashes of the codes
only (8 bytes each), never the codes themselves: 8 MB at a million respondents.

Limits: the registry lives in the process that read the survey (each Snakemake job is one; only
the clean rules read raw codes, every later rule reads pseudonyms). Codes shorter than
:data:`MIN_LENGTH` characters are not scrubbed: they identify nobody outside the file and would
hide every row number and count equal to them (a longer all-digit code still hides an equal
number). Text a C library writes straight to file descriptor 2 bypasses ``sys.stderr``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # numpy and pandas are imported on first use: smk.run starts every rule
    import numpy as np
    import pandas as pd

MASK = "[mã đã ẩn]"
MIN_LENGTH = 3
MAX_WORDS = 6  # a code written with spaces ("P25 1008") is matched up to this many words
# A word: a run of characters other than spaces, quotes, brackets and separators, not ending in
# sentence punctuation ("P25-1008." is the code followed by a full stop).
WORD = re.compile(r"[^\s\"'`«»“”‘’,;:=|()\[\]{}<>]*[^\s\"'`«»“”‘’,;:=|()\[\]{}<>.…!?]")

_codes: np.ndarray | None = None  # sorted hashes of the codes' keys; None: none remembered
_longest = 1  # most words in one code


def _hash(keys: list[str] | np.ndarray) -> np.ndarray:
    import numpy as np
    import pandas as pd

    return pd.util.hash_array(np.asarray(keys, dtype=object), categorize=False)


def _known(hashes: np.ndarray) -> np.ndarray:
    at = _codes.searchsorted(hashes).clip(max=len(_codes) - 1)  # _codes is sorted
    return _codes[at] == hashes


def _fold(word: str) -> str:
    return unicodedata.normalize("NFC", word).casefold()


def remember(values: Iterable[object]) -> None:
    """Add raw codes (a column as read) to the ones ``scrub`` hides in this process."""
    import numpy as np
    import pandas as pd

    global _codes, _longest
    text = pd.Series(values, dtype=object).dropna().astype(str).str.normalize("NFC").str.casefold()
    keys = text.str.findall(WORD.pattern).str.join(" ")
    keys = keys[keys.str.len() >= MIN_LENGTH]
    if keys.empty:
        return
    old = np.empty(0, dtype=np.uint64) if _codes is None else _codes
    merged = np.sort(np.concatenate([_hash(keys.to_numpy()), old]))
    _codes = merged[np.r_[True, merged[1:] != merged[:-1]]]  # sorted, each once
    _longest = max(_longest, min(MAX_WORDS, 1 + int(keys.str.count(" ").max())))


def known() -> int:
    """How many distinct codes are remembered."""
    return 0 if _codes is None else len(_codes)


def scrub(text: str) -> str:
    """``text`` with every remembered code (as one word or several consecutive ones) masked."""
    if _codes is None or not text:
        return text
    spans = [m.span() for m in WORD.finditer(text)]
    words = [_fold(text[a:b]) for a, b in spans]
    hidden = []
    for n in range(1, min(_longest, len(words)) + 1):
        grams = [" ".join(words[i : i + n]) for i in range(len(words) - n + 1)]
        for i in _known(_hash(grams)).nonzero()[0]:
            hidden.append((spans[i][0], spans[i + n - 1][1]))
    return _masked(text, hidden) if hidden else text


def _masked(text: str, spans: list[tuple[int, int]]) -> str:
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:  # overlapping codes: one mask
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out, at = [], 0
    for start, end in merged:
        out += [text[at:start], MASK]
        at = end
    return "".join(out) + text[at:]


def scrub_values(values: pd.Series) -> pd.Series:
    """``scrub`` applied to each value of a column (once per distinct value)."""
    if _codes is None or values.empty:
        return values
    return values.map({v: scrub(v) if isinstance(v, str) else v for v in values.unique()})


class RedactedError(RuntimeError):
    """An unexpected error whose message named a respondent code: the same message with the
    code masked, raised with the original traceback (its frames, not its text)."""


def redacted(err: BaseException) -> BaseException:
    """``err`` itself if its message names no remembered code, else a :class:`RedactedError`
    to raise ``from None`` (so the original text is not chained into the traceback)."""
    text = f"{type(err).__name__}: {err}"
    clean = scrub(text)
    if clean == text:
        return err
    return RedactedError(clean).with_traceback(err.__traceback__)


class ScrubbedStream:
    """A text stream (a rule's log file) through which every write is scrubbed."""

    def __init__(self, stream):
        self.stream = stream

    def write(self, text: str) -> int:
        self.stream.write(scrub(text))
        return len(text)

    def writelines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str):  # flush, fileno, encoding... of the file itself
        return getattr(self.stream, name)
