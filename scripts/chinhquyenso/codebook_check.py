"""Checks of a codebook file itself, before any data is read: the YAML, its keys and types,
and the mistakes that would otherwise be blamed on the data or pass silently:

- a key written twice in one mapping, at any depth (YAML keeps the second without a word;
  found while reading, ``codebook_yaml``, which also gives every key its line);
- a variable without headers, two variables with one name, one header for two variables, one
  answer under two codes, an inverted range;
- ambiguity: one item in two item groups, one item group or one variable in two blocks, an
  empty item group or block, a multi-select question without options;
- ``only_if`` naming a variable that does not exist or is not yes/no, or going round in a
  circle (a → b → a);
- order: an ordinal scale's codes not increasing, ``summary_from`` above ``high_from``, a yes/no
  scale whose codes are not the YAML booleans true/false (a quoted "false" reads as yes).

Every problem names the file, the line and the key, in Vietnamese; all are listed at once.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from . import nonresponse
from .codebook import fold  # codebook imports this module only when it loads a file
from .codebook_yaml import parse

TOP_KEYS = {
    "version", "scales", "items", "roles", "blocks", "variables", "crosswalk", "consistency",
    "pseudonym_prefix", "repeat_window_minutes", "test_rows", "validation", "missing_classes",
    "design",
}  # fmt: skip
VARIABLE_KEYS = {
    "name", "label", "short_label", "headers", "type", "categories", "range", "only_if", "item",
    "scale", "format", "separator", "allow_empty", "required", "options", "missing",
    "decimal",
}  # fmt: skip
TYPES = (
    "id", "identifier", "datetime", "integer", "number", "code", "category", "boolean", "ordinal",
    "multiselect",
)  # fmt: skip
# Keys an older codebook had that now live elsewhere: where each went, said instead of "no such key".
MOVED_KEYS = {
    "document_indicators": (
        "không còn thuộc codebook: các chỉ số của số liệu trích từ tài liệu nay ở một tệp riêng, "
        "tệp mà khóa documents.indicators của config.yaml trỏ tới (của dự án: "
        "resources/documents/chi_so.yaml, cùng khóa document_indicators:); chuyển mục này sang "
        "tệp đó rồi xóa khỏi codebook"
    ),
}


def read_document(path: Path) -> dict:
    """The codebook's YAML document; ValueError listing every structural problem."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ValueError(f"{path}: không có tệp codebook") from None
    except UnicodeDecodeError as err:
        raise ValueError(f"{path}: codebook phải là văn bản UTF-8 (byte lạ ở vị trí {err.start})") from None
    try:
        doc, lines, repeated = parse(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f", dòng {mark.line + 1}, cột {mark.column + 1}" if mark else ""
        what = getattr(err, "problem", None) or "cú pháp YAML sai"
        raise ValueError(f"{path}{where}: codebook không đọc được (YAML: {what})") from None
    problems = repeated + document_problems(doc, lines)
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


def _line(lines: dict, *path) -> object:
    return lines.get(tuple(path), "?")


def _scale_order_problems(at: str, scale: dict) -> list[str]:
    """Codes in order: an ordinal scale's codes are integers increasing as written (the report
    reads the last as the top of the scale) and its summary band contains its high band; a
    yes/no scale's codes are the YAML booleans (a quoted "false" would read as yes)."""
    codes = list(scale["codes"])
    if scale.get("type") == "boolean":
        wrong = [c for c in codes if not isinstance(c, bool)]
        if wrong:
            return [
                f"{at}: mã của thang có/không phải là true hoặc false (viết không có ngoặc kép), "
                f"nhận {', '.join(f'«{c!r}»' for c in wrong)}"
            ]
        return []
    if scale.get("type") != "ordinal":
        return []
    numbers = []
    for code in codes:
        try:
            numbers.append(int(code))
        except (TypeError, ValueError):
            return [f"{at}: mã «{code}» của thang thứ bậc phải là số nguyên"]
        if isinstance(code, bool) or (isinstance(code, float) and not code.is_integer()):
            return [f"{at}: mã «{code}» của thang thứ bậc phải là số nguyên"]
    out = []
    repeated = sorted({n for n in numbers if numbers.count(n) > 1})
    if repeated:
        out.append(f"{at}: mã {', '.join(map(str, repeated))} khai báo hai lần (viết khác nhau)")
    elif numbers != sorted(numbers):
        out.append(
            f"{at}: mã của thang thứ bậc phải tăng dần theo thứ tự khai báo, từ thấp đến cao "
            f"(đang là {', '.join(map(str, numbers))})"
        )
    low, high = scale.get("summary_from"), scale.get("high_from")
    if isinstance(low, int) and isinstance(high, int) and low > high:
        out.append(
            f"{at}: summary_from ({low}) lớn hơn high_from ({high}); nhóm tóm tắt (từ summary_from "
            "trở lên) phải chứa nhóm mức cao (từ high_from trở lên)"
        )
    return out


def _items_problems(items, lines: dict) -> tuple[list[str], dict[str, str]]:
    """Item groups well formed, not empty, and no item in two groups; item -> its group."""
    out: list[str] = []
    owner: dict[str, str] = {}
    if items is None:
        return out, owner
    if not isinstance(items, dict):
        return [
            f"dòng {_line(lines, 'items')}, items: phải là bảng các nhóm mục (tên nhóm: label, entries)"
        ], owner
    for group, spec in items.items():
        at = f"dòng {_line(lines, 'items', str(group))}, items.{group}"
        if not isinstance(spec, dict) or "label" not in spec or "entries" not in spec:
            out.append(f"{at}: nhóm mục cần 'label' và 'entries' (mã mục: nhãn)")
        entries = spec.get("entries") if isinstance(spec, dict) else None
        if entries is not None and not isinstance(entries, dict):
            out.append(f"{at}: 'entries' phải là bảng mã mục: nhãn")
        elif isinstance(spec, dict) and "entries" in spec and not entries:
            out.append(f"{at}: nhóm mục rỗng, 'entries' không có mục nào")
        for item in entries if isinstance(entries, dict) else ():
            if item in owner:
                first = _line(lines, "items", owner[item], "entries", str(item))
                out.append(
                    f"dòng {_line(lines, 'items', str(group), 'entries', str(item))}, "
                    f"items.{group}.entries.{item}: mục «{item}» đã có trong nhóm «{owner[item]}» "
                    f"(dòng {first}); mỗi mục chỉ thuộc một nhóm"
                )
            else:
                owner[item] = str(group)
    return out, owner


def _var_type(spec: dict, scales: dict) -> str:
    scale = scales.get(spec.get("scale")) if isinstance(spec.get("scale"), str) else None
    if isinstance(scale, dict):
        return str(scale.get("type"))
    return str(spec.get("type", "category"))


def _only_if_problems(specs: dict, lines: dict, scales: dict, options: dict) -> list[str]:
    """``only_if`` names a declared yes/no variable, and the conditions never go round in a
    circle (each answer would wait for the other: the cleaning would fail on the data)."""
    out = []
    target: dict[str, str] = {}
    for name, (i, spec) in specs.items():
        cond = spec.get("only_if")
        if cond is None:
            continue
        at = f"dòng {_line(lines, 'variables', i, 'only_if')}, biến «{name}»"
        if not isinstance(cond, str) or cond not in specs:
            if isinstance(cond, str) and cond in options:
                out.append(
                    f"{at}: only_if «{cond}» là một lựa chọn của câu chọn nhiều «{options[cond]}», "
                    "không phải biến có/không có cột riêng"
                )
            else:
                out.append(f"{at}: only_if «{cond}» không có trong variables")
            continue
        kind = _var_type(specs[cond][1], scales)
        if kind != "boolean":
            out.append(
                f"{at}: only_if «{cond}» phải là biến có/không (type: boolean hoặc thang có/không), "
                f"biến này có loại «{kind}»"
            )
        target[name] = cond
    reported: set[str] = set()
    for start in specs:  # each variable has at most one condition: follow the chain
        chain, name = [], start
        while name in target and name not in chain and name not in reported:
            chain.append(name)
            name = target[name]
        if name in chain:
            circle = chain[chain.index(name) :]
            first = min(circle, key=lambda n: specs[n][0])  # said once, at the first in the file
            k = circle.index(first)
            shown = " → ".join([*circle[k:], *circle[:k], first])
            out.append(
                f"dòng {_line(lines, 'variables', specs[first][0], 'only_if')}, biến «{first}»: "
                f"only_if tạo vòng lặp {shown}; bỏ only_if ở một biến trong vòng"
            )
        reported.update(chain)
    return out


def _blocks_problems(doc: dict, lines: dict, specs: dict, item_group: dict[str, str]) -> list[str]:
    """No item group and no variable in two blocks (the second would show answers of the first
    under its own title), and no empty block. An item in two groups is said once, by the items
    check: its variables count for the first group only."""
    blocks = doc.get("blocks")
    items = doc.get("items") if isinstance(doc.get("items"), dict) else {}
    if not isinstance(blocks, list):
        return []
    out = []
    group_of: dict[str, tuple[str, object]] = {}  # item group -> (block, line)
    var_of: dict[str, tuple[str, object]] = {}  # variable -> (block, line)
    for i, spec in enumerate(blocks):
        if not isinstance(spec, dict) or not spec.get("id"):
            continue  # said by the block check (codebook._with_blocks)
        line = _line(lines, "blocks", i)
        at = f"dòng {line}, blocks[{i + 1}] ({spec['id']})"
        claimed: list[tuple[str, object]] = []  # (variable, line)
        if "variables" in spec:
            names = spec["variables"]
            if not names:
                out.append(f"{at}: khối rỗng, 'variables' không có biến nào")
            for j, name in enumerate(names if isinstance(names, list) else []):
                claimed.append((str(name), _line(lines, "blocks", i, "variables", j)))
        if isinstance(spec.get("variable"), str):
            claimed.append((spec["variable"], _line(lines, "blocks", i, "variable")))
        group = spec.get("items")
        if isinstance(group, str):
            entries = items[group].get("entries") if isinstance(items.get(group), dict) else None
            if isinstance(items.get(group), dict) and "entries" in items[group] and not entries:
                out.append(f"{at}: khối rỗng, nhóm mục «{group}» không có mục nào")
            if group in group_of:
                other, other_line = group_of[group]
                out.append(
                    f"{at}: nhóm mục «{group}» đã thuộc khối «{other}» (dòng {other_line}); "
                    "mỗi nhóm mục chỉ thuộc một khối"
                )
            else:
                group_of[group] = (spec["id"], line)
                members = {it for it in entries or () if item_group.get(it) == group}
                claimed += [(n, line) for n, (_, v) in specs.items() if v.get("item") in members]
        for name, where in claimed:
            if name in var_of:
                other, other_line = var_of[name]
                out.append(
                    f"dòng {where}, blocks[{i + 1}] ({spec['id']}): biến «{name}» đã thuộc khối "
                    f"«{other}» (dòng {other_line}); mỗi biến chỉ thuộc một khối"
                )
            else:
                var_of[name] = (spec["id"], where)
    return out


def document_problems(doc, lines: dict) -> list[str]:
    if not isinstance(doc, dict):
        return ["tệp phải là một bảng khóa YAML (scales:, items:, roles:, blocks:, variables: …)"]
    out = []
    for key in doc:
        if key in MOVED_KEYS:
            out.append(f"dòng {_line(lines, str(key))}: khóa «{key}» {MOVED_KEYS[key]}")
        elif key not in TOP_KEYS:
            out.append(
                f"dòng {_line(lines, str(key))}: khóa «{key}» không có (có: {', '.join(sorted(TOP_KEYS))})"
            )
    found, classes = nonresponse.classes_problems(doc, lambda *p: _line(lines, *p))
    out += found
    scales = doc.get("scales") or {}
    for name, scale in scales.items() if isinstance(scales, dict) else []:
        at = f"dòng {_line(lines, 'scales', str(name))}, scales.{name}"
        if not isinstance(scale, dict) or not isinstance(scale.get("codes"), dict):
            out.append(f"{at}: thang đo cần 'type' và 'codes'")
            continue
        out += _answers_problems(at, scale["codes"])
        out += _scale_order_problems(at, scale)
        if "missing" in scale:
            answers = nonresponse.answer_spellings({}, scale)
            out += nonresponse.declaration_problems(at, scale["missing"], classes, answers)
    scales = scales if isinstance(scales, dict) else {}
    found, item_group = _items_problems(doc.get("items"), lines)
    out += found
    known_items = isinstance(doc.get("items"), dict | None)  # else said above, once
    variables = doc.get("variables")
    if not isinstance(variables, list) or not variables:
        return [*out, "thiếu danh sách 'variables:' (mỗi cột của tệp xuất là một biến)"]
    names: dict[str, object] = {}
    headers: dict[str, str] = {}
    specs: dict[str, tuple[int, dict]] = {}  # name -> (position, spec), the first of each name
    options: dict[str, str] = {}  # option name -> its multi-select variable
    id_at: tuple[str, object] | None = None  # the respondent code's variable and line
    for i, spec in enumerate(variables):
        line = _line(lines, "variables", i)
        if not isinstance(spec, dict) or not spec.get("name"):
            out.append(f"dòng {line}: mỗi biến cần 'name'")
            continue
        name = str(spec["name"])
        at = f"dòng {line}, biến «{name}»"
        if name in names:
            out.append(f"{at}: tên biến trùng với biến ở dòng {names[name]}")
        names.setdefault(name, line)
        specs.setdefault(name, (i, spec))
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
        if "scale" in spec and spec["scale"] not in scales:
            out.append(f"{at}: thang đo '{spec['scale']}' không có trong scales")
        out += nonresponse.variable_problems(at, spec, scales, classes)
        if "scale" not in spec and spec.get("type", "category") not in TYPES:
            out.append(f"{at}: type «{spec.get('type')}» không có (có: {', '.join(TYPES)})")
        if "item" in spec and spec["item"] not in item_group and known_items:
            out.append(f"{at}: mục «{spec['item']}» không có trong items")
        if "categories" in spec:
            cats = spec["categories"]
            if not isinstance(cats, list) or not all(
                isinstance(c, dict) and "value" in c and c.get("raw") for c in cats
            ):
                out.append(f"{at}: mỗi mục của 'categories' cần 'value' và 'raw'")
            else:
                out += _answers_problems(at, {c["value"]: c["raw"] for c in cats})
        if spec.get("decimal", ",") not in (",", "."):
            out.append(f'{at}: \'decimal\' phải là "," hoặc "." (dấu thập phân), nhận {spec["decimal"]!r}')
        rng = spec.get("range")
        if rng is not None:
            if not (isinstance(rng, list) and len(rng) == 2 and all(isinstance(x, int) for x in rng)):
                out.append(f"{at}: 'range' phải là [nhỏ nhất, lớn nhất] (số nguyên), nhận {rng!r}")
            elif rng[0] > rng[1]:
                out.append(f"{at}: 'range' [{rng[0]}, {rng[1]}] bị đảo: số đầu phải nhỏ hơn hoặc bằng số sau")
        if spec.get("type") == "multiselect":
            opts = spec.get("options")
            if not isinstance(opts, list) or not opts:
                out.append(f"{at}: câu chọn nhiều không có lựa chọn nào ('options')")
            for j, opt in enumerate(opts if isinstance(opts, list) else []):
                oline = _line(lines, "variables", i, "options", j)
                if not isinstance(opt, dict) or not opt.get("name") or not opt.get("raw"):
                    out.append(
                        f"dòng {oline}, biến «{name}»: mỗi lựa chọn trong 'options' cần 'name' và 'raw'"
                    )
                    continue
                oname = str(opt["name"])
                oat = f"dòng {oline}, lựa chọn «{oname}» của biến «{name}»"
                if oname in names:  # a variable and an option are looked up by one name
                    out.append(f"{oat}: tên trùng với biến hay lựa chọn ở dòng {names[oname]}")
                names.setdefault(oname, oline)
                options.setdefault(oname, name)
                if "item" in opt and opt["item"] not in item_group and known_items:
                    out.append(f"{oat}: mục «{opt['item']}» không có trong items")
    out += _only_if_problems(specs, lines, scales, options)
    out += _blocks_problems(doc, lines, specs, item_group)
    return out
