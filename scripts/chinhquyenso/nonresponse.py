"""Item non-response as data (issue 25): «Không biết», «Từ chối trả lời», SPSS user-missing codes.

The codebook declares classes of item non-response (``missing_classes:``, in the order tables
show them) and, on a scale or a variable, the raw spellings and SPSS codes of each class
(``missing:``; a variable's own merged over its scale's). At cleaning such a cell is blank in the
analytic column and its class id is kept in the companion column ``<variable>__khuyet``
(``companion``); each cell is written to the cleaning log. A value the SPSS file declares
user-missing is item non-response even when the codebook does not list it: it takes the class
whose spellings (or label) include its code or its value label, and is an error (rule
``thieu_lop_khuyet``) when none does. Tables count each class on its own row; models leave out
respondents with item non-response on their variables and say how many.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from .codebook import Variable, fold
from .problems import WARNING

RULE = "thieu_lop_khuyet"
SUFFIX = "__khuyet"
# Types whose cells can be item non-response (a multi-select cell, a code or a timestamp cannot).
TYPES = ("category", "boolean", "ordinal", "integer")
_CLASS_ID = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def companion(name: str) -> str:
    """The clean table's column holding the class of item non-response of variable ``name``."""
    return f"{name}{SUFFIX}"


def merged(scale_missing, own_missing) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Class -> spellings, the variable's own over its scale's (a spelling the variable puts in
    another class moves there), in the order first declared."""
    classes: dict[str, list[str]] = {}
    where: dict[str, str] = {}
    for source in (scale_missing or {}, own_missing or {}):
        for cls, spellings in source.items():
            for raw in spellings or ():
                key = fold(str(raw))
                if key in where:
                    classes[where[key]] = [s for s in classes[where[key]] if fold(s) != key]
                where[key] = str(cls)
                classes.setdefault(str(cls), []).append(str(raw))
    return tuple((cls, tuple(raws)) for cls, raws in classes.items() if raws)


def spellings(var: Variable) -> dict[str, str]:
    """Folded spelling -> class id of ``var``'s declared item non-response."""
    return {fold(raw): cls for cls, raws in var.missing for raw in raws}


# --- codebook checks --------------------------------------------------------------------------


def classes_problems(doc: dict, line) -> tuple[list[str], dict[str, str]]:
    """``missing_classes:`` itself; returns the problems and class id -> label."""
    spec = doc.get("missing_classes")
    if spec is None:
        return [], {}
    at = f"dòng {line('missing_classes')}, missing_classes"
    if not isinstance(spec, dict) or not spec:
        return [
            f'{at}: phải là bảng «mã lớp: {{label: "Nhãn"}}», ví dụ khong_biet: {{label: "Không biết"}}'
        ], {}
    out, labels, seen = [], {}, {}
    for cls, body in spec.items():
        where = f"dòng {line('missing_classes', str(cls))}, missing_classes.{cls}"
        if not isinstance(cls, str) or not _CLASS_ID.match(cls):
            out.append(f"{where}: mã lớp «{cls}» phải là một tên không dấu (chữ, số, gạch dưới)")
            continue
        label = body.get("label") if isinstance(body, dict) else None
        if not isinstance(label, str) or not label.strip():
            out.append(f"{where}: cần 'label' (nhãn người đọc thấy, ví dụ «Không biết»)")
            continue
        if fold(label) in seen:
            out.append(f"{where}: nhãn «{label}» trùng với lớp «{seen[fold(label)]}»")
        seen.setdefault(fold(label), cls)
        labels[cls] = label
    return out, labels


def declaration_problems(where: str, missing, classes: dict[str, str], answers: set[str]) -> list[str]:
    """One ``missing:`` mapping (of a scale or a variable): known classes, lists of text, no
    spelling in two classes, none that is also a valid answer (``answers``, folded)."""
    if not isinstance(missing, dict) or not missing:
        return [
            f"{where}, missing: phải là bảng «lớp: [cách viết, mã SPSS]», "
            'ví dụ khong_biet: ["Không biết", "98"]'
        ]
    out, seen = [], {}
    known = ", ".join(classes) if classes else "chưa khai báo missing_classes"
    for cls, raws in missing.items():
        if cls not in classes:
            out.append(f"{where}, missing: lớp «{cls}» không có trong missing_classes (có: {known})")
        if not isinstance(raws, list) or not raws or not all(isinstance(r, str | int) for r in raws):
            out.append(
                f'{where}, missing.{cls}: phải là danh sách cách viết (văn bản, mã SPSS viết như "98")'
            )
            continue
        for raw in raws:
            key = fold(str(raw))
            if key in answers:
                out.append(f"{where}, missing.{cls}: «{raw}» cũng là một câu trả lời hợp lệ của câu hỏi")
            if key in seen and seen[key] != cls:
                out.append(f"{where}, missing: «{raw}» có ở cả hai lớp «{seen[key]}» và «{cls}»")
            seen.setdefault(key, cls)
    return out


def variable_problems(at: str, spec: dict, scales: dict, classes: dict[str, str]) -> list[str]:
    """A variable's ``missing:``: its type can have item non-response, and its spellings are not
    answers (its scale's or categories' spellings, or a number in its range)."""
    if "missing" not in spec:
        return []
    scale = scales.get(spec.get("scale")) if isinstance(spec.get("scale"), str) else None
    kind = scale.get("type") if isinstance(scale, dict) else spec.get("type", "category")
    if kind not in TYPES:
        return [f"{at}: loại «{kind}» không có câu trả lời thiếu ('missing' chỉ dùng cho {', '.join(TYPES)})"]
    answers = answer_spellings(spec, scale)
    out = declaration_problems(at, spec["missing"], classes, answers)
    rng = spec.get("range")
    if kind == "integer" and isinstance(rng, list) and len(rng) == 2 and isinstance(spec["missing"], dict):
        for cls, raws in spec["missing"].items():
            for raw in raws if isinstance(raws, list) else []:
                text = str(raw).strip()
                if re.fullmatch(r"[+-]?\d+", text) and rng[0] <= int(text) <= rng[1]:
                    out.append(
                        f"{at}, missing.{cls}: «{raw}» nằm trong khoảng trả lời hợp lệ {rng[0]}–{rng[1]}"
                    )
    return out


def answer_spellings(spec: dict, scale: dict | None) -> set[str]:
    """Folded valid answers of a variable spec (its scale's codes or its categories)."""
    if isinstance(scale, dict) and isinstance(scale.get("codes"), dict):
        return {fold(str(r)) for raws in scale["codes"].values() for r in raws or ()}
    cats = spec.get("categories")
    return (
        {fold(str(r)) for c in cats if isinstance(c, dict) for r in c.get("raw") or ()}
        if isinstance(cats, list)
        else set()
    )


# --- cleaning -----------------------------------------------------------------------------------


def separate(var: Variable, header: str, values: pd.Series, rows, classes: dict[str, str], user_missing, out):
    """``values`` with item non-response blanked, and the class id of each such cell (None
    elsewhere), or None when no cell is item non-response. ``user_missing``: the SPSS file's
    user-missing cell texts of this column -> their codes. Each cell is logged; a user-missing
    value of no class is a problem (RULE) naming file, row, column and value."""
    table = spellings(var)
    user_missing = user_missing or {}
    if not table and not user_missing:
        return values, None
    by_label = {fold(label): cls for cls, label in classes.items()}
    codes, uniques = pd.factorize(values)
    found = np.full(len(uniques) + 1, None, dtype=object)
    blank = np.zeros(len(uniques) + 1, dtype=bool)
    for k, raw in enumerate(uniques):
        hit = table.get(fold(raw))
        if hit is None and raw in user_missing:
            code = user_missing[raw]
            hit = table.get(fold(code)) or by_label.get(fold(raw)) or by_label.get(fold(code))
            if hit is None:
                blank[k] = _no_class(var, header, raw, code, rows[codes == k], classes, out)
                continue
        if hit is not None:
            found[k], blank[k] = hit, True
            reason = f"câu trả lời thiếu: lớp «{classes.get(hit, hit)}», ghi ở cột {companion(var.name)}"
            for row in rows[codes == k]:
                out.change(row, header, var.name, raw, "", reason)
    if not blank.any():
        return values, None
    cells = pd.Series(found[codes], index=values.index, dtype=object)
    return values.where(~blank[codes], ""), cells if cells.notna().any() else None


def _no_class(var, header, raw, code, rows, classes, out) -> bool:
    """A user-missing value no class takes: the problem (and, as a warning, the blank cell)."""
    said = f"«{raw}»" + (f" (mã {code})" if code != raw else "")
    known = ", ".join(f"{c} ({label})" for c, label in classes.items()) or "chưa khai báo missing_classes"
    message = (
        f"giá trị {said} là giá trị thiếu do người dùng khai báo trong tệp SPSS nhưng không thuộc lớp "
        f"câu trả lời thiếu nào của biến «{var.name}»; thêm nó vào 'missing:' của biến hoặc thang đo "
        f"(các lớp: {known})"
    )
    warned = False
    for row in rows:
        if out.problem(RULE, row, header, raw, message) == WARNING:
            out.change(row, header, var.name, raw, "", "bỏ giá trị thiếu SPSS không thuộc lớp nào")
            warned = True
    return warned


def answered_missing(clean: pd.DataFrame, name: str) -> np.ndarray:
    """Rows whose answer to ``name`` is item non-response (answered, but not an answer)."""
    col = companion(name)
    return clean[col].notna().to_numpy() if col in clean else np.zeros(len(clean), dtype=bool)


def not_asked(clean: pd.DataFrame, var: Variable, asked: np.ndarray, header: str, rows, out) -> None:
    """Item non-response where the question was not asked (its ``only_if`` is not yes) is
    structural absence, not item non-response: the class is cleared, and the clearing logged."""
    col = companion(var.name)
    if col not in clean:
        return
    gone = clean[col].notna().to_numpy() & ~asked
    for i in np.flatnonzero(gone):
        out.change(
            rows[i],
            header,
            var.name,
            str(clean[col].iat[i]),
            "",
            "câu hỏi không dành cho người trả lời này: để trống",
        )
    if gone.any():
        clean.loc[gone, col] = None


def as_column(cells: pd.Series, classes: dict[str, str]) -> pd.Series:
    """The companion column: class ids as a categorical in ``missing_classes`` order."""
    return pd.Series(pd.Categorical(cells, categories=list(classes)), index=cells.index)


# --- models ----------------------------------------------------------------------------------------


def model_sample(clean: pd.DataFrame, names, labels: dict[str, str], classes: dict[str, str]):
    """``clean`` without the respondents with item non-response on any of the models' variables
    (``names``), what was left out by variable and class (for the models' summary) and the
    sentence the report prints; ``{}`` and ``""`` when nobody was."""
    cols = [companion(n) for n in dict.fromkeys(names) if companion(n) in clean]
    if not cols:
        return clean, {}, ""
    gaps = clean[cols].notna()
    drop = gaps.any(axis=1).to_numpy()
    if not drop.any():
        return clean, {}, ""
    by_var = {
        col.removesuffix(SUFFIX): {c: int(k) for c, k in clean[col].value_counts().items() if k}
        for col in cols
        if gaps[col].any()
    }
    said = "; ".join(
        f"{labels.get(v) or v}: " + ", ".join(f"{k} «{classes.get(c, c)}»" for c, k in counts.items())
        for v, counts in by_var.items()
    )
    note = (
        f"bỏ {_vn(int(drop.sum()))} người trả lời có câu trả lời thiếu ở biến của mô hình khỏi mọi "
        f"mô hình ({said})"
    )
    record = {"so_nguoi": int(drop.sum()), "theo_bien": by_var}
    return clean[~drop].reset_index(drop=True), record, note


def _vn(n: int) -> str:
    from .vn_format import number

    return number(n)
