"""The kind of a question guessed from its answers (or taken from the form when it says).

Item non-response answers («Không biết», SPSS user-missing codes) are set aside first: they
are declared as missing classes, not as answers, and do not decide the kind.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from .evidence import Column
from .identifiers import identifier_reason
from .text import ascii_fold, has_word, strip_numbering
from .vocab import MISSING_CLASSES, NO_WORDS, ORDINAL_LEXICON, ROLE_WORDS, YES_WORDS

# Timestamp formats exports use, the day-first (Vietnamese) reading before the month-first one.
DATETIME_FORMATS = (
    "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S",
    "%Y/%m/%d %H:%M:%S", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M", "%d-%m-%Y %H:%M:%S",
    "%d/%m/%Y", "%Y-%m-%d",
)  # fmt: skip
LEVEL_HEADER_WORDS = ("mức độ", "mức", "đánh giá", "thang điểm")  # a question about a level
MAX_CHOICES = 70  # more distinct answers than this (and mostly unique): free text


@dataclass
class Guess:
    kind: str
    why: str  # Vietnamese, for the report
    confirm: str = ""  # non-empty: the analyst must confirm (the YAML comment says this)
    yes: list[str] = field(default_factory=list)  # yes/no: spellings of yes, of no
    no: list[str] = field(default_factory=list)
    levels: list[str] = field(default_factory=list)  # ordinal: answers lowest first
    mid: str | None = None  # ordinal: the neutral answer, when known
    separator: str | None = None
    options: list[str] = field(default_factory=list)  # multiselect options, by frequency
    format: str | None = None
    missing: dict[str, list[str]] = field(default_factory=dict)  # class -> spellings found
    identifier: str | None = None  # why it is an identifier


def missing_answers(column: Column) -> dict[str, list[str]]:
    """Answers of ``column`` that are item non-response, by class (spellings as written)."""
    found: dict[str, list[str]] = {}
    for answer in column.answers:
        folded = ascii_fold(answer)
        for cls, (_label, words) in MISSING_CLASSES.items():
            if folded and folded in {ascii_fold(w) for w in words}:
                found.setdefault(cls, []).append(answer)
    # An SPSS user-missing cell: the class its label names (its code added as a spelling, since
    # the cleaning matches either), else the first class found, else "don't know" (to confirm).
    for cell, code in sorted(column.user_missing.items()):
        cls = next((c for c, spellings in found.items() if cell in spellings), None)
        if cls is None:
            cls = next(iter(found), "khong_biet")
            found.setdefault(cls, []).append(cell)
        if code not in found[cls]:
            found[cls].append(code)
    return found


def substantive(column: Column, missing: dict[str, list[str]]) -> Counter:
    """The non-empty answers that are not item non-response, with their counts."""
    skip = {a for spellings in missing.values() for a in spellings} | set(column.user_missing)
    return Counter({a: n for a, n in column.answers.items() if a.strip() and a not in skip})


def yes_no(answers: list[str]) -> tuple[list[str], list[str]] | None:
    """Spellings of yes and of no when every answer starts with a yes- or a no-word."""
    yes, no = [], []
    for a in answers:
        words = f" {ascii_fold(a)} "
        is_no = any(words.startswith(f" {ascii_fold(w)} ") for w in NO_WORDS)
        is_yes = any(words.startswith(f" {ascii_fold(w)} ") for w in YES_WORDS)
        if is_no:
            no.append(a)
        elif is_yes:
            yes.append(a)
        else:
            return None
    return (yes, no) if yes and no else None


def lexicon_order(answers: list[str]) -> tuple[list[str], str | None] | None:
    """Answers in the order of the intensity list all of them belong to, with its mid word."""
    folded = {ascii_fold(a): a for a in answers}
    for scale in ORDINAL_LEXICON:
        levels = [ascii_fold(w) for w in scale["levels"]]
        if len(folded) >= 3 and set(folded) <= set(levels):
            mid = ascii_fold(scale["mid"])
            return [folded[w] for w in levels if w in folded], folded.get(mid)
    return None


def datetime_format(answers: list[str]) -> str | None:
    """The first format every (sampled) answer parses with."""
    sample = [a.strip() for a in answers[:200]]
    for fmt in DATETIME_FORMATS:
        try:
            for a in sample:
                dt.datetime.strptime(a, fmt)
        except ValueError:
            continue
        return fmt
    return None


def multiselect(column: Column, answers: Counter) -> tuple[str, list[str]] | None:
    """(separator, options) when the cells are recurring options joined by ";" (or ",")."""
    for sep in (";", ","):
        with_sep = sum(n for a, n in answers.items() if sep in a)
        if not with_sep or with_sep < 0.1 * sum(answers.values()):
            continue
        parts: Counter = Counter()
        for a, n in answers.items():
            for part in a.split(sep):
                if part.strip():
                    parts[part.strip()] += n
        if 2 <= len(parts) <= MAX_CHOICES and len(parts) < len(answers) + 2:
            singles = sum(1 for p in parts if p in answers)
            if sep == ";" or singles >= len(parts) / 2:  # "," splits prose too: need evidence
                return sep, [p for p, _n in parts.most_common()]
    return None


def reference_order(answers: list[str], scales: dict[str, list[list[str]]]) -> tuple[str, list[str]] | None:
    """(scale name, answers lowest first) when every answer is a spelling of one reference
    ordinal scale (``scales``: name -> its codes' spellings, lowest code first)."""
    folded = {ascii_fold(a): a for a in answers}
    for name, codes in scales.items():
        rank = {ascii_fold(s): i for i, spellings in enumerate(codes) for s in spellings}
        if folded and set(folded) <= set(rank):
            return name, sorted(folded.values(), key=lambda a: rank[ascii_fold(a)])
    return None


def _declared(column: Column, missing: dict[str, list[str]]) -> Guess:
    guess = Guess(column.declared_kind, "biểu mẫu khai báo", missing=missing, separator=column.separator)
    choices = list(column.choices or [])
    if column.declared_kind == "yes_no":
        split = yes_no(choices)
        guess.yes, guess.no = split if split else (choices[:1], choices[1:])
    elif column.declared_kind == "ordinal":
        guess.levels = choices
    elif column.declared_kind == "multiselect":
        guess.options = choices
        guess.separator = column.separator or " "
    return guess


def _shape(column: Column, answers: Counter) -> Guess | None:
    """Kinds read off the answers' shape: timestamp, integer, respondent ID."""
    values = list(answers)
    header = strip_numbering(column.header)
    fmt = datetime_format(values) if any(":" in v or "/" in v for v in values[:20]) else None
    if fmt:
        return Guess("datetime", f"mọi giá trị đọc được theo định dạng {fmt}", format=fmt)
    unique = column.n_distinct is not None and column.n_distinct == column.n_answered > 4
    if unique and has_word(header, ROLE_WORDS["id"]):
        return Guess("id", "mỗi phiếu một giá trị khác nhau, tiêu đề là mã phiếu")
    rng = column.integer_range
    if rng is None and column.n_distinct is None:
        from .evidence import integer_range

        rng = integer_range(values)
    if rng is not None:  # distinct small numbers are still numbers (a code needs a header saying so)
        return Guess("integer", f"mọi giá trị là số nguyên, từ {rng[0]} đến {rng[1]}")
    if unique and all(" " not in v for v in values[:200]):
        return Guess("id", "mỗi phiếu một mã khác nhau", confirm="đoán là mã phiếu vì mọi giá trị khác nhau")
    return None


def guess_kind(column: Column, ref_scales: dict[str, list[list[str]]]) -> Guess:
    """The kind of ``column`` (``KINDS``), with what decided it."""
    missing = missing_answers(column)
    if column.declared_kind:
        return _declared(column, missing)
    reason = identifier_reason(column)
    if reason:
        return Guess("identifier", reason, identifier=reason, missing={})
    answers = substantive(column, missing)
    if not answers:
        return Guess(
            "text", "cột không có câu trả lời", confirm="cột trống: không đoán được loại", missing=missing
        )
    guess = _shape(column, answers) or _choice(column, answers, ref_scales)
    guess.missing = missing
    return guess


def _choice(column: Column, answers: Counter, ref_scales: dict) -> Guess:
    """Kinds read off the answers' words: yes/no, ordered scale, multi-select, one choice."""
    values = list(answers)
    split = yes_no(values) if len(values) <= 4 else None
    if split:
        return Guess("yes_no", "các câu trả lời là có/không", yes=split[0], no=split[1])
    ref = reference_order(values, ref_scales)
    if ref and len(values) >= 2:
        return Guess("ordinal", f"đáp án thuộc thang «{ref[0]}» của sổ mã năm trước", levels=ref[1])
    lex = lexicon_order(values)
    if lex:
        return Guess("ordinal", "đáp án là các mức độ theo từ ngữ (ít → nhiều)", levels=lex[0], mid=lex[1])
    if 3 <= len(values) <= 7 and has_word(strip_numbering(column.header), LEVEL_HEADER_WORDS):
        unsure = "không biết thứ tự các mức (từ ngữ lạ): đã xếp theo số lần được chọn"
        return Guess("ordinal", "câu hỏi về mức độ", unsure, levels=[a for a, _n in answers.most_common()])
    multi = multiselect(column, answers)
    if multi:
        sep_name = "dấu chấm phẩy" if multi[0] == ";" else "dấu phẩy"
        confirm = "" if multi[0] == ";" else "tách theo dấu phẩy: kiểm tra phương án nào tự chứa dấu phẩy"
        return Guess("multiselect", f"chọn nhiều, ngăn cách bằng {sep_name}", confirm=confirm,
                     separator=multi[0], options=multi[1])  # fmt: skip
    many = column.n_distinct if column.n_distinct is not None else len(values)
    if many <= MAX_CHOICES and many <= max(2, column.n_answered / 2):
        confirm = "" if many <= 12 else f"{many} đáp án khác nhau: có thể là câu trả lời tự do"
        return Guess("single_choice", f"{many} đáp án lặp lại", confirm=confirm)
    return Guess("text", "câu trả lời tự do (nhiều giá trị khác nhau)")
