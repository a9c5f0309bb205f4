"""Checks of a codebook file itself, before any data is read: the YAML, its keys and types,
and the mistakes that would otherwise be blamed on the data (a variable without headers, two
variables with one name, one answer under two codes, an inverted range).

Every problem names the file, the line and the key, in Vietnamese; all are listed at once.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from .codebook import fold  # codebook imports this module only when it loads a file

TOP_KEYS = {
    "version", "scales", "items", "roles", "blocks", "variables", "crosswalk", "consistency",
    "pseudonym_prefix", "repeat_window_minutes", "test_rows", "validation",
}  # fmt: skip
VARIABLE_KEYS = {
    "name", "label", "short_label", "headers", "type", "categories", "range", "only_if", "item",
    "scale", "format", "separator", "allow_empty", "required", "options",
}  # fmt: skip
TYPES = ("id", "identifier", "datetime", "integer", "category", "boolean", "ordinal", "multiselect")


def _lines(text: str) -> dict:
    """Line numbers (1-based) of the top-level keys and of each item of ``variables`` and
    ``scales``, from the YAML node tree (the parsed document has no line numbers)."""
    out: dict = {"variables": [], "scales": {}, "top": {}}
    root = yaml.compose(text)
    if not isinstance(root, yaml.MappingNode):
        return out
    for key, value in root.value:
        out["top"][key.value] = key.start_mark.line + 1
        if key.value == "variables" and isinstance(value, yaml.SequenceNode):
            out["variables"] = [item.start_mark.line + 1 for item in value.value]
        if key.value == "scales" and isinstance(value, yaml.MappingNode):
            out["scales"] = {k.value: k.start_mark.line + 1 for k, _ in value.value}
    return out


def read_document(path: Path) -> dict:
    """The codebook's YAML document; ValueError listing every structural problem."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ValueError(f"{path}: không có tệp codebook") from None
    except UnicodeDecodeError as err:
        raise ValueError(f"{path}: codebook phải là văn bản UTF-8 (byte lạ ở vị trí {err.start})") from None
    try:
        doc = yaml.safe_load(text)
        lines = _lines(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f", dòng {mark.line + 1}, cột {mark.column + 1}" if mark else ""
        what = getattr(err, "problem", None) or "cú pháp YAML sai"
        raise ValueError(f"{path}{where}: codebook không đọc được (YAML: {what})") from None
    problems = document_problems(doc, lines)
    if problems:
        raise ValueError(f"{path}: codebook không hợp lệ:\n  " + "\n  ".join(problems))
    return doc


def _answers_problems(where: str, answers: dict) -> list[str]:
    """One raw spelling under two codes (compared as the cleaning compares: folded)."""
    seen: dict[str, object] = {}
    out = []
    for code, raws in answers.items():
        for raw in raws or []:
            key = fold(raw)
            if key in seen and seen[key] != code:
                out.append(f"{where}: cách viết «{raw}» có ở cả hai mã «{seen[key]}» và «{code}»")
            seen.setdefault(key, code)
    return out


def document_problems(doc, lines: dict) -> list[str]:
    if not isinstance(doc, dict):
        return ["tệp phải là một bảng khóa YAML (scales:, items:, roles:, blocks:, variables: …)"]
    out = []
    for key in doc:
        if key not in TOP_KEYS:
            out.append(
                f"dòng {lines['top'].get(key, '?')}: khóa «{key}» không có "
                f"(có: {', '.join(sorted(TOP_KEYS))})"
            )
    scales = doc.get("scales") or {}
    for name, scale in scales.items() if isinstance(scales, dict) else []:
        at = f"dòng {lines['scales'].get(name, '?')}, scales.{name}"
        if not isinstance(scale, dict) or not isinstance(scale.get("codes"), dict):
            out.append(f"{at}: thang đo cần 'type' và 'codes'")
            continue
        out += _answers_problems(at, scale["codes"])
    variables = doc.get("variables")
    if not isinstance(variables, list) or not variables:
        return [*out, "thiếu danh sách 'variables:' (mỗi cột của tệp xuất là một biến)"]
    names: dict[str, int] = {}
    headers: dict[str, str] = {}
    id_at: tuple[str, object] | None = None  # the respondent code's variable and line
    for i, spec in enumerate(variables):
        line = lines["variables"][i] if i < len(lines["variables"]) else "?"
        if not isinstance(spec, dict) or not spec.get("name"):
            out.append(f"dòng {line}: mỗi biến cần 'name'")
            continue
        name = str(spec["name"])
        at = f"dòng {line}, biến «{name}»"
        if name in names:
            out.append(f"{at}: tên biến trùng với biến ở dòng {names[name]}")
        names.setdefault(name, line)
        unknown = sorted(set(spec) - VARIABLE_KEYS)
        if unknown:
            out.append(
                f"{at}: khóa {', '.join(map(repr, unknown))} không có "
                f"(có: {', '.join(sorted(VARIABLE_KEYS))})"
            )
        heads = spec.get("headers")
        if (
            not isinstance(heads, list)
            or not heads
            or not all(isinstance(h, str) and h.strip() for h in heads)
        ):
            out.append(f"{at}: cần 'headers:' là danh sách các cách viết tiêu đề cột")
        else:
            for h in heads:
                other = headers.setdefault(fold(h), name)
                if other != name:
                    out.append(f"{at}: tiêu đề «{h}» đã thuộc biến «{other}»")
        if spec.get("type") == "id":
            if id_at is not None:  # one code per respondent: a second would stay raw in the table
                out.append(f"{at}: chỉ được có một biến type: id (đã có «{id_at[0]}» ở dòng {id_at[1]})")
            id_at = id_at or (name, line)
        if "scale" not in spec and spec.get("type", "category") not in TYPES:
            out.append(f"{at}: type «{spec.get('type')}» không có (có: {', '.join(TYPES)})")
        if "categories" in spec:
            cats = spec["categories"]
            if not isinstance(cats, list) or not all(
                isinstance(c, dict) and "value" in c and c.get("raw") for c in cats
            ):
                out.append(f"{at}: mỗi mục của 'categories' cần 'value' và 'raw'")
            else:
                out += _answers_problems(at, {c["value"]: c["raw"] for c in cats})
        rng = spec.get("range")
        if rng is not None:
            if not (isinstance(rng, list) and len(rng) == 2 and all(isinstance(x, int) for x in rng)):
                out.append(f"{at}: 'range' phải là [nhỏ nhất, lớn nhất] (số nguyên), nhận {rng!r}")
            elif rng[0] > rng[1]:
                out.append(f"{at}: 'range' [{rng[0]}, {rng[1]}] bị đảo: số đầu phải nhỏ hơn hoặc bằng số sau")
    return out
