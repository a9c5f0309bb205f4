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


def _categories(spec: dict, scales: dict[str, dict]) -> tuple[str, tuple[Category, ...]]:
    if "scale" in spec:
        scale = scales[spec["scale"]]
        cats = tuple(Category(_code(code, scale["type"]), tuple(raw)) for code, raw in scale["codes"].items())
        return scale["type"], cats
    cats = tuple(
        Category(c["value"], tuple(c["raw"]), str(c.get("label") or "")) for c in spec.get("categories", ())
    )
    return spec.get("type", "category"), cats


def _code(code: Any, scale_type: str) -> Any:
    if scale_type == "boolean":
        return bool(code)
    if scale_type == "ordinal":
        return int(code)
    return code


def _variable(spec: dict, scales: dict[str, dict]) -> Variable:
    from .nonresponse import merged

    vtype, cats = _categories(spec, scales)
    scale_missing = scales[spec["scale"]].get("missing") if "scale" in spec else None
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
        short_label=spec.get("short_label") or spec.get("label", ""),
        type=vtype,
        categories=cats,
        range=tuple(rng) if rng else None,
        only_if=spec.get("only_if"),
        item=spec.get("item"),
        format=spec.get("format"),
        separator=spec.get("separator", ";"),
        decimal=str(spec.get("decimal", ",")),
        scale=spec.get("scale"),
        allow_empty=bool(spec.get("allow_empty", False)),
        required=bool(spec.get("required", True)),
        options=options,
        missing=merged(scale_missing, spec.get("missing")),
    )


def load_codebook(path: str | Path) -> Codebook:
    """Read and check a codebook YAML file."""
    from .codebook_check import read_document
    from .design.spec import design_options

    path = Path(path)
    # The file's own structure first: YAML, repeated keys, keys, types, names, scales, items,
    # only_if, blocks sharing items or variables (codebook_check, with lines).
    doc = read_document(path)
    scales = doc.get("scales", {})
    problems: list[str] = []
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
        missing_classes={k: v["label"] for k, v in (doc.get("missing_classes") or {}).items()},
        design=design_options(doc.get("design"), problems),
    )
    for name, mapping in book.crosswalk.items():
        if name not in book or book[name].type != "category":
            problems.append(f"crosswalk: '{name}' không phải biến phân loại trong codebook")
            continue
        for old, new in mapping.items():
            if new is not None and not isinstance(new, str):
                problems.append(f"crosswalk.{name}: '{old}' -> {new!r} phải là tên đơn vị hoặc null")
    book = _with_blocks(book, doc, scales, problems)
    if problems:
        raise ValueError(f"{path}: codebook không hợp lệ:\n  " + "\n  ".join(problems))
    return book


def _scale(name: str, spec: dict) -> Scale:
    labels = {_code(code, spec.get("type", "")): raw[0] for code, raw in spec.get("codes", {}).items()}
    return Scale(name, spec.get("type", ""), labels, spec.get("summary_from"), spec.get("high_from"))


def _with_blocks(book: Codebook, doc: dict, scales: dict, problems: list[str]) -> Codebook:
    """Read ``roles:`` and ``blocks:``, checking that every name they use is declared with the
    right type; problems are appended (in Vietnamese, naming the key and the block)."""
    from dataclasses import replace

    scale_objs = {name: _scale(name, spec) for name, spec in scales.items()}
    for name, sc in scale_objs.items():
        for key in ("summary_from", "high_from"):
            value = getattr(sc, key)
            if value is not None and value not in sc.labels:
                problems.append(
                    f"scales.{name}.{key}: {value!r} không phải mã của thang đo (có: {list(sc.labels)})"
                )
    roles = dict(doc.get("roles") or {})
    for role, name in roles.items():
        if role not in ROLES:
            problems.append(f"roles: vai trò '{role}' không tồn tại (có: {', '.join(ROLES)})")
        elif name not in book:
            problems.append(f"roles.{role}: biến '{name}' không có trong variables")
        elif book[name].type not in ROLES[role]:
            problems.append(
                f"roles.{role}: biến '{name}' có loại '{book[name].type}', cần {' hoặc '.join(ROLES[role])}"
            )
    blocks, seen = [], set()
    for i, spec in enumerate(doc.get("blocks") or []):
        where = f"blocks[{i + 1}]" + (
            f" ({spec.get('id')})" if isinstance(spec, dict) and spec.get("id") else ""
        )
        if not isinstance(spec, dict) or not spec.get("id") or not spec.get("kind"):
            problems.append(f"{where}: mỗi khối cần 'id' và 'kind'")
            continue
        if spec["id"] in seen:
            problems.append(f"{where}: id '{spec['id']}' trùng với một khối trước")
        seen.add(spec["id"])
        if spec["kind"] not in BLOCK_KINDS:
            problems.append(f"{where}: kind '{spec['kind']}' không tồn tại (có: {', '.join(BLOCK_KINDS)})")
            continue
        block = _block(book, spec, scale_objs, where, problems)
        if block is not None:
            blocks.append(block)
    if len([b for b in blocks if b.kind == "activities"]) > 1:
        problems.append("blocks: chỉ được có một khối kind: activities")
    return replace(book, roles=roles, blocks=tuple(blocks), scales=scale_objs)


def _block(
    book: Codebook, spec: dict, scales: dict[str, Scale], where: str, problems: list[str]
) -> Block | None:
    kind, title = spec["kind"], str(spec.get("title") or spec["id"])
    expected = {"indicators": "boolean", "single_choice": "category", "numeric": "integer"}
    if kind in expected:
        names = list(spec.get("variables") or [])
        if not names:
            problems.append(f"{where}: khối {kind} cần danh sách 'variables'")
        for name in names:
            if name not in book:
                problems.append(f"{where}: biến '{name}' không có trong variables")
            elif book[name].type != expected[kind]:
                problems.append(
                    f"{where}: biến '{name}' có loại '{book[name].type}', khối {kind} cần '{expected[kind]}'"
                )
        return Block(spec["id"], kind, title, variables=tuple(names))
    if kind == "multiselect":
        name = spec.get("variable")
        if name not in book or book[name].type != "multiselect":
            problems.append(f"{where}: 'variable' phải là một biến type: multiselect (nhận: {name!r})")
            return None
        options = book[name].options
        items = {
            o.item or o.name: (book.item_label(o.item) if o.item else o.categories[0].raw[0]) for o in options
        }
        return Block(spec["id"], kind, title, items=items, variables=tuple(o.name for o in options))
    group = spec.get("items")
    if group not in book.items:
        problems.append(f"{where}: 'items' phải là một nhóm trong items (nhận: {group!r})")
        return None
    items = book.group_items(group)
    takes, level, missing = {}, {}, []
    for item in items:
        measures = [v for v in book._by_name.values() if v.item == item]
        lv = [v for v in measures if v.type == "ordinal"]
        tk = [v for v in measures if v.type == "boolean"]
        if len(lv) != 1 or (kind == "activities" and len(tk) != 1):
            missing.append(item)
            continue
        level[item] = lv[0].name
        if kind == "activities":
            takes[item] = tk[0].name
    if missing:
        need = "một biến có/không và một biến mức độ" if kind == "activities" else "một biến mức độ"
        problems.append(f"{where}: mục {', '.join(missing)} cần đúng {need} (khai báo bằng item:)")
        return None
    scale_names = {book[v].scale for v in level.values()}
    scale = scales.get(next(iter(scale_names))) if len(scale_names) == 1 else None
    if scale is None or scale.type != "ordinal":
        problems.append(f"{where}: các biến mức độ phải dùng chung một thang đo thứ bậc (scale)")
    elif scale.summary_from is None or scale.high_from is None:
        problems.append(f"{where}: thang đo '{scale.name}' cần summary_from và high_from")
    variables = tuple(takes.values()) + tuple(level.values())
    return Block(
        spec["id"],
        kind,
        title,
        items=items,
        variables=variables,
        takes=takes,
        level=level,
        scale=scale,
        group_label=book.items[group].label,
    )
