"""Headers of the new export matched to last year's variables by their question text.

Numbering ("Câu 5a.") is removed and case and diacritics folded; a grid question's header
("Question [item]" or "Question: item") is compared stem with stem and item with item, so the
14 rows of one grid are told apart by their items. A column may only match a variable of a
compatible kind (a yes/no column never takes a level question's name), and one variable takes
one column: the best pairs first.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz

from ..codebook import Variable
from .evidence import Column
from .kinds import Guess
from .text import ascii_fold, has_word, split_matrix, strip_numbering
from .vocab import ROLE_WORDS

SURE = 90.0  # from here a match needs no confirmation
ENOUGH = 70.0  # below this a column is a new question
# Column kinds (draft.evidence.KINDS) a codebook type may be matched with.
COMPATIBLE = {
    "boolean": {"yes_no"},
    "ordinal": {"ordinal", "single_choice"},
    "category": {"single_choice", "yes_no", "ordinal", "text"},
    "integer": {"integer"},
    "datetime": {"datetime"},
    "id": {"id", "integer", "text"},
    "identifier": {"identifier", "text", "id"},
    "multiselect": {"multiselect", "single_choice"},
}


@dataclass(frozen=True)
class Match:
    variable: str
    score: float  # 0-100

    @property
    def sure(self) -> bool:
        return self.score >= SURE


def similarity(a: str, b: str) -> float:
    """Token-based similarity of two texts (0-100), after folding; 100 when they fold equal."""
    fa, fb = ascii_fold(a), ascii_fold(b)
    if fa == fb:
        return 100.0
    return 0.5 * fuzz.token_sort_ratio(fa, fb) + 0.5 * fuzz.token_set_ratio(fa, fb)


def header_similarity(new: str, old: str) -> float:
    """Similarity of two headers; grid headers stem with stem and item with item."""
    stem_a, item_a = split_matrix(new)
    stem_b, item_b = split_matrix(old)
    if item_a and item_b:
        stem, item = similarity(stem_a, stem_b), similarity(item_a, item_b)
        return 0.3 * stem + 0.7 * item if stem >= 50 else min(stem, item)
    if item_a or item_b:
        return 0.9 * similarity(strip_numbering(new), strip_numbering(old))
    return similarity(stem_a, stem_b)


def role_of_header(header: str) -> str | None:
    """The profile role a header's words name ('Năm nay anh/chị bao nhiêu tuổi?' -> age)."""
    text = strip_numbering(header)
    for role in ("submitted_at", "tenure", "age", "gender", "province", "admin_level", "id"):
        if has_word(text, ROLE_WORDS[role]):
            return role
    return None


def answer_overlap(column: Column, guess: Guess, var: Variable) -> float:
    """Share of the column's answers (a multi-select's options) that are spellings of ``var``."""
    if var.type == "multiselect":
        known = {ascii_fold(r) for o in var.options for c in o.categories for r in c.raw}
        answers = guess.options
    elif var.type == "category":
        known = {ascii_fold(r) for c in var.categories for r in (*c.raw, str(c.value))}
        answers = [a for a in column.answers if a.strip()]
    else:
        return 0.0
    if not answers:
        return 0.0
    return sum(ascii_fold(a) in known for a in answers) / len(answers)


def match_columns(
    columns: list[Column], guesses: dict[int, Guess], variables: list[Variable], roles: dict[str, str]
) -> dict[int, Match]:
    """Column position -> the reference variable it is (best pairs first, one to one)."""
    role_of = {name: role for role, name in roles.items()}
    pairs = []
    for col in columns:
        kind = guesses[col.position].kind
        for var in variables:
            if kind not in COMPATIBLE.get(var.type, set()):
                continue
            score = max(header_similarity(col.header, h) for h in var.headers)
            overlap = answer_overlap(col, guesses[col.position], var)
            if overlap >= 0.5 and score >= 30:  # the same answers: the same question, reworded
                score = max(score, 55 + 40 * overlap)
            if var.name in role_of and role_of_header(col.header) == role_of[var.name]:
                score = max(score, ENOUGH + 5)  # same profile question, reworded
            if score >= ENOUGH:
                pairs.append((score, -col.position, col.position, var.name))
    taken_cols: dict[int, Match] = {}
    taken_vars: set[str] = set()
    for score, _order, position, name in sorted(pairs, reverse=True):
        if position not in taken_cols and name not in taken_vars:
            taken_cols[position] = Match(name, round(score, 1))
            taken_vars.add(name)
    return taken_cols
