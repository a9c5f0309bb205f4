"""The codebook: raw survey headers and answers -> canonical variables and codes.

The codebook is a YAML file (``resources/codebook.yaml``); this module reads it into small
typed objects and offers the look-ups the rest of the package needs. It holds no survey
wording of its own: next year's questionnaire is a codebook edit.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .codebook_types import (
    BLOCK_KINDS,
    DEFAULT_POLICY,
    ROLES,
    Block,
    Category,
    Codebook,
    ItemGroup,
    Scale,
    Variable,
    fold,
    label_unit,
)
from .problems import ERROR, WARNING

# The types are defined in codebook_types and used from here: one import for the rest of the
# package.
__all__ = [
    "BLOCK_KINDS",
    "DEFAULT_POLICY",
    "ROLES",
    "Block",
    "Category",
    "Codebook",
    "ItemGroup",
    "Scale",
    "Variable",
    "fold",
    "label_unit",
    "load_codebook",
]


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
