"""One codebook entry per column: last year's entry updated from the new answers, or a new
entry from the guessed kind. Scales and blocks are decided later (``blocks``), over all columns.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from ..codebook import fold
from ..vn_format import slug
from .answers import CategoryPlan, plan_categories
from .evidence import Column
from .kinds import Guess
from .match import Match, role_of_header
from .text import ascii_fold, split_matrix, strip_numbering

# Words that say nothing of a question's topic, left out of the names the draft makes.
FILLER = set(
    "anh chi ban em cua cac nhung la gi nao khong co da duoc hay vui long xin cho biet sau "
    "theo o tai trong nay nam qua bao nhieu muc do thuc hien".split()
)


@dataclass
class Planned:
    """A column and the entry the draft writes for it, with what is still to confirm."""

    column: Column
    guess: Guess
    spec: dict
    match: Match | None = None
    confirm: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # decisions, for the report
    categories: CategoryPlan | None = None
    role: str | None = None

    @property
    def name(self) -> str:
        return self.spec["name"]

    @property
    def stem(self) -> str:
        return split_matrix(self.column.header)[0]

    @property
    def item_text(self) -> str | None:
        return split_matrix(self.column.header)[1]


def topic_name(text: str, taken: set[str], words: int = 4) -> str:
    """A new variable name from a question's words: 'Anh/chị đã hoàn thành bao nhiêu khóa học
    trực tuyến?' -> 'hoan_thanh_khoa_hoc'; made unique against ``taken``."""
    parts = [w for w in slug(ascii_fold(strip_numbering(text))).split("_") if w not in FILLER]
    base = "_".join(parts[:words]) or "cau_hoi"
    if base[0].isdigit():
        base = "c_" + base
    name, i = base, 2
    while name in taken:
        name, i = f"{base}_{i}", i + 1
    taken.add(name)
    return name


def headers_with(new: str, old: list[str]) -> list[str]:
    """The form's own spelling first, then last year's others."""
    return [new, *[h for h in old if fold(h) != fold(new)]]


def matched(column: Column, guess: Guess, match: Match, ref_spec: dict, province: bool) -> Planned:
    """Last year's entry for a column that asks the same question."""
    spec = copy.deepcopy(ref_spec)
    spec["headers"] = headers_with(column.header, list(ref_spec.get("headers") or []))
    plan = Planned(column, guess, spec, match)
    if not match.sure:
        plan.confirm.append(
            f"câu hỏi được ghép với biến năm trước theo lời câu hỏi (độ tin cậy {match.score:.0f}%)"
        )
    if fold(ref_spec["headers"][0]) != fold(column.header):
        plan.notes.append("tiêu đề đổi so với năm trước")
    vtype = spec.get("type", "category")
    if vtype == "category" and "scale" not in spec:
        _categories(plan, spec.get("categories") or [], province)
    elif vtype == "integer":
        _widen(plan, column)
    elif vtype == "datetime" and guess.format and guess.format != spec.get("format"):
        plan.notes.append(f"định dạng thời điểm đổi: {spec.get('format')} → {guess.format}")
        spec["format"] = guess.format
    elif vtype == "multiselect":
        _options(plan, spec)
    return plan


def _categories(plan: Planned, reference: list[dict], province: bool) -> None:
    answers = {a: n for a, n in plan.column.answers.items() if a.strip() and not _is_missing(plan, a)}
    cats = plan_categories(answers, reference, province)
    plan.categories = cats
    plan.spec["categories"] = [
        {k: v for k, v in c.items() if k in ("value", "label", "raw") and v} for c in cats.categories
    ]
    near = [m for m in cats.mappings if m.how == "gần"]
    if near:
        plan.confirm.append(
            "đáp án ghép gần đúng: " + "; ".join(f"«{m.answer}» → «{m.value}» ({m.score:.0f}%)" for m in near)
        )


def _is_missing(plan: Planned, answer: str) -> bool:
    return (
        any(answer in spellings for spellings in plan.guess.missing.values())
        or answer in plan.column.user_missing
    )


def _widen(plan: Planned, column: Column) -> None:
    seen = column.integer_range
    old = plan.spec.get("range")
    if seen is None:
        return
    if not old:
        plan.spec["range"] = list(seen)
        plan.confirm.append(f"khoảng giá trị lấy từ dữ liệu ({seen[0]} đến {seen[1]})")
    elif seen[0] < old[0] or seen[1] > old[1]:
        plan.spec["range"] = [min(seen[0], old[0]), max(seen[1], old[1])]
        plan.confirm.append(
            f"dữ liệu từ {seen[0]} đến {seen[1]}, ngoài khoảng năm trước [{old[0]}, {old[1]}]: đã nới khoảng"
        )


def _options(plan: Planned, spec: dict) -> None:
    """Last year's options the answers still use (in last year's order), then the new ones."""
    from .match import similarity

    guess = plan.guess
    if guess.separator and guess.separator != spec.get("separator", ";"):
        spec["separator"] = guess.separator
    seen = list(guess.options or [])
    kept, taken = [], {o["name"] for o in spec.get("options", [])}
    for option in spec.get("options", []):
        scored = [(max(similarity(a, r) for r in option["raw"]), a) for a in seen]
        score, answer = max(scored, default=(0, None))
        if answer is not None and score >= 85:
            option["raw"] = headers_with(answer, option["raw"])
            kept.append(option)
            seen.remove(answer)
            if score < 100:
                plan.confirm.append(f"phương án «{answer}» ghép với «{option['raw'][1]}» ({score:.0f}%)")
        else:
            plan.notes.append(f"phương án «{option['raw'][0]}» không còn ai chọn: đã bỏ")
    for answer in seen:
        kept.append({"name": topic_name(f"{spec['name']} {answer}", taken, words=6), "raw": [answer]})
        plan.notes.append(f"phương án mới «{answer}»")
    spec["options"] = kept


def new_variable(column: Column, guess: Guess, taken: set[str], province: bool) -> Planned:
    """A new entry for a question last year's codebook does not have."""
    stem, item = split_matrix(column.header)
    name = topic_name(f"{stem} {item or ''}", taken)
    spec: dict = {"name": name, "label": item or strip_numbering(column.header), "headers": [column.header]}
    plan = Planned(column, guess, spec, role=role_of_header(column.header))
    if guess.confirm:
        plan.confirm.append(guess.confirm)
    kind = guess.kind
    if kind in ("identifier", "text"):
        spec.update(type="identifier", required=False)
        spec.pop("label")
        if kind == "text":
            plan.confirm.append("câu trả lời tự do: khai báo identifier để bị bỏ khi nhập, không in ra")
    elif kind == "id":
        spec["type"] = "id"
    elif kind == "datetime":
        spec.update(type="datetime", format=guess.format)
    elif kind == "integer":
        spec["type"] = "integer"
        _widen(plan, column)
    elif kind == "multiselect":
        spec.update(type="multiselect", separator=guess.separator or ";", allow_empty=True, options=[])
        _options(plan, spec)
    elif kind == "single_choice":
        spec["type"] = "category"
        _categories(plan, [], province)
    return plan  # yes_no and ordinal: scale and item set with the blocks
