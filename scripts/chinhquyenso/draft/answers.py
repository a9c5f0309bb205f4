"""Answer spellings of a category question mapped to last year's categories, or new ones.

An answer that folds equal to an accepted spelling keeps its category silently; a near one
(similarity, diacritics and prefixes such as "Tỉnh", "TP" aside) is mapped with a confidence;
the rest become new categories. For the province question, answers are first put in the
form of the provincial units in force since 1/7/2025 (``resources/units/tinh_thanh_2025.yaml``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..codebook import fold
from .match import similarity
from .text import ascii_fold

UNITS_FILE = Path(__file__).resolve().parents[3] / "resources/units/tinh_thanh_2025.yaml"
UNIT_BASIS = "Nghị quyết 202/2025/QH15 của Quốc hội về sắp xếp đơn vị hành chính cấp tỉnh (hiệu lực 1/7/2025)"
_PREFIX = re.compile(r"^(tinh|thanh pho|tp)\s+")
NEAR = 85.0  # similarity from which an answer is taken as a spelling of an existing category


@dataclass
class Mapping:
    """What the draft does with one answer spelling of a category question."""

    answer: str
    value: str  # the category it goes to
    how: str  # "giống" (same spelling), "gần" (similar), "đơn vị 2025", "mới"
    score: float = 100.0
    count: int = 0


@dataclass
class CategoryPlan:
    categories: list[dict] = field(default_factory=list)  # value, raw, label (codebook order)
    mappings: list[Mapping] = field(default_factory=list)
    unused: list[str] = field(default_factory=list)  # last year's values nobody chose


def units() -> dict[str, str]:
    """Folded name without prefix -> the unit's name, for the 34 units of 2025."""
    doc = yaml.safe_load(UNITS_FILE.read_text(encoding="utf-8"))
    return {_PREFIX.sub("", ascii_fold(u["name"])): u["name"] for u in doc["provinces"]}


def as_unit(answer: str, table: dict[str, str]) -> str | None:
    """'Tỉnh Bắc Ninh', 'TP Hà Nội', 'Thành phố Cần Thơ' -> the 2025 unit's name (or None)."""
    key = _PREFIX.sub("", ascii_fold(answer).replace("tp ", "tp "))
    return table.get(key)


def _existing(answer: str, categories: list[dict]) -> tuple[dict | None, float]:
    folded = ascii_fold(answer)
    for cat in categories:
        spellings = [str(cat["value"]), *(cat.get("raw") or []), str(cat.get("label") or "")]
        if any(ascii_fold(s) == folded for s in spellings if s):
            return cat, 100.0
    # one category whose words are all in the answer (category «X», answer «X giới»), or the reverse
    words = set(folded.split())
    within = [
        c for c in categories
        if any(s and (set(ascii_fold(s).split()) <= words or words <= set(ascii_fold(s).split()))
               for s in [str(c["value"]), *(c.get("raw") or [])])
    ]  # fmt: skip
    if len(within) == 1:
        return within[0], 90.0
    best, score = None, 0.0
    for cat in categories:
        for s in [str(cat["value"]), *(cat.get("raw") or []), str(cat.get("label") or "")]:
            if s and (sc := similarity(answer, s)) > score:
                best, score = cat, sc
    return (best, score) if score >= NEAR else (None, score)


def plan_categories(answers: dict[str, int], reference: list[dict], province: bool) -> CategoryPlan:
    """Categories for a question with ``answers`` (spelling -> count, most frequent first)."""
    plan = CategoryPlan(categories=[{**c, "raw": list(c.get("raw") or [])} for c in reference])
    table = units() if province else {}
    used: set[str] = set()
    for answer, count in answers.items():
        unit = as_unit(answer, table) if province else None
        cat, score = _existing(unit or answer, plan.categories)
        if cat is not None:
            how = "giống" if score == 100.0 else "gần"
        else:
            cat = {"value": unit or answer, "raw": []}
            plan.categories.append(cat)
            how, score = ("đơn vị 2025" if unit else "mới"), 100.0
        if not any(fold(r) == fold(answer) for r in cat["raw"]):  # what the cleaning compares
            cat["raw"].append(answer)
        if unit and not any(fold(r) == fold(unit) for r in cat["raw"]):
            cat["raw"].append(unit)
        plan.mappings.append(Mapping(answer, str(cat["value"]), how, round(score, 1), count))
        used.add(str(cat["value"]))
    plan.unused = [str(c["value"]) for c in plan.categories if str(c["value"]) not in used]
    plan.categories = [_form_first(c, answers) for c in plan.categories if str(c["value"]) in used]
    return plan


def _form_first(cat: dict, answers: dict[str, int]) -> dict:
    """The category with the form's own spelling (its most frequent answer) first in ``raw``."""
    seen = [r for r in cat["raw"] if r in answers]
    if seen:
        top = max(seen, key=lambda r: answers[r])
        cat["raw"] = [top, *[r for r in cat["raw"] if r != top]]
    return cat
