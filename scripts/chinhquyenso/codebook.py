"""The codebook: raw survey headers and answers -> canonical variables and codes.

The codebook is a YAML file (``resources/codebook.yaml``); this module reads it into small
typed objects and offers the look-ups the rest of the package needs. It holds no survey
wording of its own: next year's questionnaire is a codebook edit.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .problems import ERROR, WARNING

_SPACES = re.compile(r"\s+")

# Which problems stop the run (ERROR) and which are fixed and logged (WARNING), unless the
# codebook's `validation:` section says otherwise. Rule ids are listed in resources/codebook.yaml.
DEFAULT_POLICY = {
    "thieu_cot": ERROR,
    "cot_trung": ERROR,
    "cot_thua": WARNING,
    "gia_tri_la": ERROR,
    "so_nguyen": ERROR,
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
}


def fold(text: str) -> str:
    """Normal form used to compare raw text: NFC, single spaces, trimmed, case-folded."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", str(text))).strip().casefold()


@dataclass(frozen=True)
class Category:
    """One canonical value and the raw spellings accepted for it (first = the form's own)."""

    value: Any
    raw: tuple[str, ...]


@dataclass(frozen=True)
class Variable:
    name: str
    headers: tuple[str, ...]
    label: str = ""
    # id | identifier | datetime | integer | category | boolean | ordinal | multiselect
    type: str = "category"
    categories: tuple[Category, ...] = ()
    range: tuple[int, int] | None = None
    only_if: str | None = None
    item: str | None = None
    format: str | None = None
    separator: str = ";"
    allow_empty: bool = False
    required: bool = True
    options: tuple[Variable, ...] = ()

    @property
    def values(self) -> list[Any]:
        """Canonical values in codebook order."""
        return [c.value for c in self.categories]


@dataclass(frozen=True)
class ItemGroup:
    label: str
    entries: dict[str, str]


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

    def variable_for(self, item: str, prefix: str) -> Variable:
        """The variable named ``<prefix>_<item>`` (e.g. ``tham_gia_hd01``)."""
        return self[f"{prefix}_{item}"]


def _categories(spec: dict, scales: dict[str, dict]) -> tuple[str, tuple[Category, ...]]:
    if "scale" in spec:
        scale = scales[spec["scale"]]
        cats = tuple(Category(_code(code, scale["type"]), tuple(raw)) for code, raw in scale["codes"].items())
        return scale["type"], cats
    cats = tuple(Category(c["value"], tuple(c["raw"])) for c in spec.get("categories", ()))
    return spec.get("type", "category"), cats


def _code(code: Any, scale_type: str) -> Any:
    if scale_type == "boolean":
        return bool(code)
    if scale_type == "ordinal":
        return int(code)
    return code


def _variable(spec: dict, scales: dict[str, dict]) -> Variable:
    vtype, cats = _categories(spec, scales)
    options = tuple(
        Variable(
            name=o["name"],
            headers=(),
            item=o.get("item"),
            type="boolean",
            categories=(Category(True, tuple(o["raw"])),),
        )
        for o in spec.get("options", ())
    )
    rng = spec.get("range")
    return Variable(
        name=spec["name"],
        headers=tuple(spec["headers"]),
        label=spec.get("label", ""),
        type=vtype,
        categories=cats,
        range=tuple(rng) if rng else None,
        only_if=spec.get("only_if"),
        item=spec.get("item"),
        format=spec.get("format"),
        separator=spec.get("separator", ";"),
        allow_empty=bool(spec.get("allow_empty", False)),
        required=bool(spec.get("required", True)),
        options=options,
    )


def load_codebook(path: str | Path) -> Codebook:
    """Read and check a codebook YAML file."""
    path = Path(path)
    with path.open(encoding="utf-8") as fh:
        doc = yaml.safe_load(fh)
    scales = doc.get("scales", {})
    problems = []
    for spec in doc["variables"]:
        if "scale" in spec and spec["scale"] not in scales:
            problems.append(f"biến {spec['name']}: thang đo '{spec['scale']}' không có trong scales")
    if problems:
        raise ValueError(f"{path}: codebook không hợp lệ:\n  " + "\n  ".join(problems))
    variables = tuple(_variable(spec, scales) for spec in doc["variables"])
    items = {
        key: ItemGroup(label=g["label"], entries=dict(g["entries"]))
        for key, g in doc.get("items", {}).items()
    }
    policy = {k: {"error": ERROR, "warning": WARNING}.get(v, v) for k, v in doc.get("validation", {}).items()}
    for rule, level in policy.items():
        if rule not in DEFAULT_POLICY:
            problems.append(f"validation: quy tắc '{rule}' không tồn tại (có: {', '.join(DEFAULT_POLICY)})")
        if level not in (ERROR, WARNING):
            problems.append(f"validation.{rule}: '{level}' phải là error hoặc warning")
    book = Codebook(
        path=path,
        variables=variables,
        items=items,
        min_age_at_entry=doc.get("consistency", {}).get("min_age_at_entry"),
        policy=policy,
        test_rows=tuple(doc.get("test_rows", ())),
        pseudonym_prefix=doc.get("pseudonym_prefix", "PH"),
        repeat_window_minutes=float(doc.get("repeat_window_minutes", 60)),
        crosswalk={k: dict(v) for k, v in doc.get("crosswalk", {}).get("variables", {}).items()},
        crosswalk_info={k: str(v) for k, v in doc.get("crosswalk", {}).items() if k != "variables"},
    )
    for name, mapping in book.crosswalk.items():
        if name not in book or book[name].type != "category":
            problems.append(f"crosswalk: '{name}' không phải biến phân loại trong codebook")
            continue
        for old, new in mapping.items():
            if new is not None and not isinstance(new, str):
                problems.append(f"crosswalk.{name}: '{old}' -> {new!r} phải là tên đơn vị hoặc null")
    known_items = {i for g in items.values() for i in g.entries}
    for var in book._by_name.values():
        if var.item is not None and var.item not in known_items:
            problems.append(f"biến {var.name}: mục '{var.item}' không có trong items")
        if var.only_if is not None and var.only_if not in book:
            problems.append(f"biến {var.name}: only_if '{var.only_if}' không phải biến đã khai báo")
    if problems:
        raise ValueError(f"{path}: codebook không hợp lệ:\n  " + "\n  ".join(problems))
    return book
