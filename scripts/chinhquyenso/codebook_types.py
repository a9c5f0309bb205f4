"""The codebook's typed objects: variables with their categories and spellings, item groups,
scales, blocks, the roles and the validation policy, and the look-ups the rest of the package
needs (``codebook.load_codebook`` builds them from the YAML file)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .problems import ERROR, WARNING

_SPACES = re.compile(r"\s+")

# Which problems stop the run (ERROR) and which are fixed and logged (WARNING), unless the
# codebook's `validation:` section says otherwise. Rule ids are listed in resources/codebook.yaml.
DEFAULT_POLICY = {
    "thieu_cot": ERROR,
    "cot_vang": WARNING,
    "cot_trung": ERROR,
    "cot_thua": WARNING,
    "gia_tri_la": ERROR,
    "so_nguyen": ERROR,
    "so_thap_phan": ERROR,  # a `type: number` answer that is not a number (design weights)
    "ngoai_khoang": ERROR,
    "thoi_diem": ERROR,
    "bo_trong": ERROR,
    "thieu_muc_do": ERROR,
    "muc_do_thua": ERROR,
    "tham_nien_tuoi": ERROR,
    "trung_ma": ERROR,
    "trung_phieu": WARNING,
    "dong_thu": WARNING,
    "cong_thuc": ERROR,
    "thieu_lop_khuyet": ERROR,  # an SPSS user-missing value no missing class takes (nonresponse)
}


def label_unit(label: str) -> str:
    """The unit a label ends with in brackets: 'Thâm niên công tác (năm)' -> 'năm' ('' if none)."""
    found = re.search(r"\(([^()]+)\)\s*$", label)
    return found.group(1).strip() if found else ""


def fold(text: str) -> str:
    """Normal form used to compare raw text: NFC, single spaces, trimmed, case-folded."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", str(text))).strip().casefold()


@dataclass(frozen=True)
class Category:
    """One canonical value, the raw spellings accepted for it (first = the form's own) and the
    label the report prints for it (``label:``; the value itself when none is given)."""

    value: Any
    raw: tuple[str, ...]
    label: str = ""


@dataclass(frozen=True)
class Variable:
    name: str
    headers: tuple[str, ...]
    label: str = ""
    short_label: str = ""  # for chart panels and table stubs; defaults to label
    # id | identifier | datetime | integer | number | code | category | boolean | ordinal | multiselect
    # (number: a decimal, e.g. a sampling weight; code: a free code such as a sampled unit's)
    type: str = "category"
    categories: tuple[Category, ...] = ()
    range: tuple[int, int] | None = None
    only_if: str | None = None
    item: str | None = None
    scale: str | None = None
    format: str | None = None
    separator: str = ";"
    decimal: str = ","  # type number: the decimal mark ("," as Vietnamese writes it, or ".")
    allow_empty: bool = False
    required: bool = True
    options: tuple[Variable, ...] = ()
    # item non-response: (class id, raw spellings and SPSS codes) (nonresponse.merged)
    missing: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def values(self) -> list[Any]:
        """Canonical values in codebook order."""
        return [c.value for c in self.categories]

    def spelling(self, value: Any) -> str:
        """The form's own spelling of ``value``: the first raw answer listed for it."""
        for cat in self.categories:
            if cat.value == value:
                return cat.raw[0]
        raise KeyError(f"{self.name}: {value!r}")

    def answer(self, value: Any) -> str:
        """The bare answer word of ``value``, without the question's words a shared scale's label
        may carry: the shortest accepted spelling that the form's own spelling starts with, word
        for word (a form's "X tham gia" with "X" also accepted -> "X"); else the form's own."""
        own = self.spelling(value)
        words = fold(own).split(" ")
        raws = next(c.raw for c in self.categories if c.value == value)
        heads = [r for r in raws if fold(r) and fold(r).split(" ") == words[: len(fold(r).split(" "))]]
        return min(heads, key=len) if heads else own

    def display(self, value: Any) -> str:
        """What the reader sees for ``value``: its category's ``label:`` if the codebook gives
        one, else the value itself (tables, CSVs and reproduction keys keep the value)."""
        for cat in self.categories:
            if cat.value == value and cat.label:
                return cat.label
        return str(value)


@dataclass(frozen=True)
class ItemGroup:
    label: str
    entries: dict[str, str]


@dataclass(frozen=True)
class Scale:
    """A named answer scale. For an ordinal scale, ``summary_from`` is the lowest code of the
    band the report summarises (e.g. "medium and above") and ``high_from`` the lowest "high" code."""

    name: str
    type: str
    labels: dict[Any, str]  # code -> the form's own label
    summary_from: int | None = None
    high_from: int | None = None

    def band_label(self, start: int) -> str:
        """'Cao/Rất cao' for the codes from ``start`` up."""
        return "/".join(label for code, label in self.labels.items() if code >= start)


# Kinds of question block the report knows how to show (README, "Chạy lại với dữ liệu năm sau").
BLOCK_KINDS = {
    "activities": "hoạt động (có tham gia không + mức độ)",
    "indicators": "câu hỏi có/không",
    "ratings": "mục thang thứ bậc hỏi mọi người",
    "multiselect": "câu hỏi chọn nhiều",
    "single_choice": "câu hỏi chọn một",
    "numeric": "câu hỏi số",
}
# Roles a variable can play; the models and breakdowns name covariates by variable.
ROLES = {
    "id": ("id",),
    "submitted_at": ("datetime",),
    "province": ("category",),
    "admin_level": ("category",),
    "gender": ("category",),
    "age": ("integer",),
    "tenure": ("integer",),
    # the sampling design (design/spec.py); `design:` sets lonely_psu and nest
    "weight": ("number", "integer"),
    "strata": ("category", "code", "integer"),
    "psu": ("category", "code", "integer"),
    "fpc": ("number", "integer"),
}


@dataclass(frozen=True)
class Block:
    """A question block of the form: what it asks (its variables, or its items) and how the
    report shows it (``kind``). ``takes``/``level``: item -> variable, for activities."""

    id: str
    kind: str
    title: str
    items: dict[str, str] = field(default_factory=dict)  # item -> label
    variables: tuple[str, ...] = ()
    takes: dict[str, str] = field(default_factory=dict)
    level: dict[str, str] = field(default_factory=dict)
    scale: Scale | None = None
    group_label: str = ""  # the item group's label, e.g. "Hoạt động xây dựng chính quyền số"

    def __iter__(self):
        """Item ids in codebook order (activities are iterated as items)."""
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


@dataclass(frozen=True)
class Codebook:
    path: Path
    variables: tuple[Variable, ...]
    items: dict[str, ItemGroup]
    min_age_at_entry: int | None = None
    policy: dict[str, str] = field(default_factory=dict)
    test_rows: tuple[dict, ...] = ()
    pseudonym_prefix: str = "PH"
    repeat_window_minutes: float = 60.0
    # variable -> {old unit: new unit or None}; see `crosswalk:` in resources/codebook.yaml
    crosswalk: dict[str, dict[str, str | None]] = field(default_factory=dict)
    crosswalk_info: dict[str, str] = field(default_factory=dict)
    roles: dict[str, str] = field(default_factory=dict)
    blocks: tuple[Block, ...] = ()
    scales: dict[str, Scale] = field(default_factory=dict)
    missing_classes: dict[str, str] = field(default_factory=dict)  # class id -> label, in order
    design: dict = field(default_factory=dict)  # `design:` (lonely_psu, nest): design/spec.py
    _by_name: dict[str, Variable] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        for var in self.variables:
            self._by_name[var.name] = var
            for opt in var.options:
                self._by_name[opt.name] = opt

    def level(self, rule: str) -> str:
        """ "lỗi" or "cảnh báo" for a validation rule id (codebook `validation:`, else default)."""
        return self.policy.get(rule, DEFAULT_POLICY.get(rule, ERROR))

    @property
    def identifiers(self) -> list[Variable]:
        """Direct identifiers (names, phones, e-mails, signatures): dropped at ingest."""
        return [v for v in self.variables if v.type == "identifier"]

    def __getitem__(self, name: str) -> Variable:
        return self._by_name[name]

    def __contains__(self, name: str) -> bool:
        return name in self._by_name

    def item_label(self, item: str) -> str:
        for group in self.items.values():
            if item in group.entries:
                return group.entries[item]
        raise KeyError(item)

    def group_items(self, group: str) -> dict[str, str]:
        """Item id -> label for one item group, in codebook order."""
        return dict(self.items[group].entries)

    def common_unit(self, variable: str, value: str) -> str | None:
        """The unit ``value`` of ``variable`` belongs to on the waves' common ground (the
        crosswalk's target, None when it has no counterpart; unlisted values are unchanged)."""
        mapping = self.crosswalk.get(variable, {})
        return mapping[value] if value in mapping else value

    def display(self, name: str | None, value: Any) -> str:
        """The printed label of ``value`` of variable ``name`` (``Variable.display``); the value
        itself for a variable the codebook does not have."""
        return self[name].display(value) if name and name in self else str(value)

    def value_labels(self, name: str | None) -> dict[Any, str]:
        """Value -> printed label for every category of ``name`` that has a ``label:``."""
        if not name or name not in self:
            return {}
        return {c.value: c.label for c in self[name].categories if c.label}

    def role(self, role: str) -> str | None:
        """The variable playing ``role`` (``province``, ``gender``...), or None if the form has none."""
        return self.roles.get(role)

    @property
    def respondent_id(self) -> str | None:
        """The respondent code: the ``roles: id`` variable, else the form's ``type: id`` variable.

        Without the role the codes would otherwise go unchecked for duplicates and reach the
        clean table raw instead of as pseudonyms.
        """
        return self.role("id") or next((v.name for v in self.variables if v.type == "id"), None)

    def block(self, block_id: str) -> Block:
        return next(b for b in self.blocks if b.id == block_id)

    def blocks_of(self, *kinds: str) -> list[Block]:
        return [b for b in self.blocks if b.kind in kinds]

    @property
    def activities(self) -> Block | None:
        """The activities block (at most one per form), or None."""
        found = self.blocks_of("activities")
        return found[0] if found else None
