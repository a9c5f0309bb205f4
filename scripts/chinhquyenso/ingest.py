"""Ingest a raw survey export and turn it into the typed, canonical table.

``clean_survey`` maps headers and answers through the codebook, checks every cell, and
either returns the clean table plus a log of every change, or raises
:class:`SurveyValidationError` listing *all* problems found, each with the file, the row as
numbered in the file, the header as written, the value and the rule broken.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from pathlib import Path

import pandas as pd

from .codebook import Codebook, Variable, fold

# Row 1 of a CSV export is the header, so data row i (0-based) is line i + 2 of the file.
FIRST_DATA_ROW = 2


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, located so a researcher can find it."""

    tep: str  # file
    dong: int | None  # row as numbered in the file (header = 1); None for the whole file
    cot: str  # column header as written in the file
    gia_tri: str  # the offending value
    quy_tac: str  # the rule broken, in Vietnamese

    def __str__(self) -> str:
        where = f"dòng {self.dong}" if self.dong is not None else "toàn tệp"
        return f"{self.tep}, {where}, cột «{self.cot}», giá trị «{self.gia_tri}»: {self.quy_tac}"


class SurveyValidationError(ValueError):
    """Raised with every problem of an input file at once."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"Dữ liệu khảo sát có {len(problems)} lỗi, dừng xử lý:\n{lines}")


@dataclass(frozen=True)
class Change:
    """One entry of the cleaning log."""

    dong: int
    cot: str
    bien: str
    gia_tri_cu: str
    gia_tri_moi: str
    ly_do: str


def read_raw_csv(path: str | Path) -> pd.DataFrame:
    """Read a CSV export as text, exactly as written (no type guessing, no NA guessing)."""
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig", na_filter=False)


def _match_headers(
    columns: list[str], codebook: Codebook, file: str
) -> tuple[dict[str, str], list[Problem], list[str]]:
    """Map canonical variable name -> raw header; report missing and duplicated matches."""
    folded = {}
    for col in columns:
        folded.setdefault(fold(col), []).append(col)
    found: dict[str, str] = {}
    problems: list[Problem] = []
    for var in codebook.variables:
        hits = [c for h in var.headers for c in folded.get(fold(h), [])]
        hits = list(dict.fromkeys(hits))
        if not hits:
            problems.append(
                Problem(file, None, var.headers[0], "", f"thiếu cột bắt buộc của biến «{var.name}»")
            )
        elif len(hits) > 1:
            problems.append(Problem(file, 1, " | ".join(hits), "", f"nhiều cột cùng khớp biến «{var.name}»"))
        else:
            found[var.name] = hits[0]
    unused = [c for c in columns if c not in found.values()]
    return found, problems, unused


def _lookup(var: Variable) -> dict[str, tuple[object, bool]]:
    """folded raw text -> (canonical value, is the form's own label)."""
    table: dict[str, tuple[object, bool]] = {}
    for cat in var.categories:
        for i, raw in enumerate(cat.raw):
            table.setdefault(fold(raw), (cat.value, i == 0 and raw == raw.strip()))
    return table


def _decode_column(
    var: Variable, header: str, values: pd.Series, file: str
) -> tuple[pd.Series | pd.DataFrame, list[Problem], list[Change]]:
    problems: list[Problem] = []
    changes: list[Change] = []
    rows = values.index + FIRST_DATA_ROW

    def bad(row: int, value: str, rule: str) -> None:
        problems.append(Problem(file, int(row), header, value, rule))

    if var.type == "id":
        out = values.map(lambda v: fold(v).upper() if v.strip() else None)
        for row, raw, new in zip(rows, values, out, strict=True):
            if new is None:
                bad(row, raw, "mã phiếu trống")
            elif raw != new:
                changes.append(Change(row, header, var.name, raw, new, "chuẩn hóa mã phiếu"))
        return out.astype("string"), problems, changes

    if var.type == "datetime":
        parsed = []
        for row, raw in zip(rows, values, strict=True):
            try:
                parsed.append(dt.datetime.strptime(raw.strip(), var.format))
            except ValueError:
                bad(row, raw, f"không đọc được thời điểm theo định dạng {var.format}")
                parsed.append(pd.NaT)
        return pd.Series(parsed, index=values.index, dtype="datetime64[ns]"), problems, changes

    if var.type == "integer":
        parsed = []
        lo, hi = var.range or (None, None)
        for row, raw in zip(rows, values, strict=True):
            text = raw.strip()
            if not text.lstrip("-").isdigit():
                bad(row, raw, "không phải số nguyên")
                parsed.append(pd.NA)
                continue
            number = int(text)
            if lo is not None and not lo <= number <= hi:
                bad(row, raw, f"ngoài khoảng cho phép {lo}–{hi}")
            parsed.append(number)
        return pd.Series(parsed, index=values.index, dtype="Int16"), problems, changes

    if var.type == "multiselect":
        options = {o.name: _lookup(o) for o in var.options}
        result = pd.DataFrame(False, index=values.index, columns=list(options))
        for idx, row, raw in zip(values.index, rows, values, strict=True):
            parts = [p for p in raw.split(var.separator) if p.strip()]
            if not parts and not var.allow_empty:
                bad(row, raw, "không được để trống")
            for part in parts:
                key = fold(part)
                hit = [(name, tab[key]) for name, tab in options.items() if key in tab]
                if not hit:
                    bad(row, part.strip(), "lựa chọn không có trong codebook")
                    continue
                name, (_, own) = hit[0]
                result.at[idx, name] = True
                if not own:
                    label = var.options[[o.name for o in var.options].index(name)].categories[0]
                    changes.append(Change(row, header, name, part, label.raw[0], "đồng nhất cách viết"))
        return result, problems, changes

    # category, boolean, ordinal: through the lookup table
    table = _lookup(var)
    decoded = []
    for row, raw in zip(rows, values, strict=True):
        if not raw.strip():
            decoded.append(None)  # emptiness is judged by the only_if rule below
            continue
        hit = table.get(fold(raw))
        if hit is None:
            allowed = ", ".join(c.raw[0] for c in var.categories)
            bad(row, raw, f"giá trị không có trong codebook (cho phép: {allowed})")
            decoded.append(None)
            continue
        value, own = hit
        if not own or raw != raw.strip():
            primary = var.categories[var.values.index(value)].raw[0]
            changes.append(Change(row, header, var.name, raw, primary, "đồng nhất cách viết"))
        decoded.append(value)
    series = pd.Series(decoded, index=values.index, dtype=object)
    if var.type == "boolean":
        series = series.astype("boolean")
    elif var.type == "ordinal":
        series = series.astype("Int8")
    else:
        series = pd.Categorical(series, categories=var.values, ordered=False)
        series = pd.Series(series, index=values.index)
    return series, problems, changes


def clean_survey(raw: pd.DataFrame, codebook: Codebook, file: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Map a raw export to the canonical table.

    Returns ``(clean, log)``; ``log`` has one row per changed cell or dropped column.
    Raises :class:`SurveyValidationError` with every problem found.
    """
    header_map, problems, unused = _match_headers(list(raw.columns), codebook, file)
    changes: list[Change] = [
        Change(1, col, "", col, "", "cột không có trong codebook, không sử dụng") for col in unused
    ]
    clean = pd.DataFrame(index=raw.index)
    clean["dong_nguon"] = (raw.index + FIRST_DATA_ROW).astype("int32")
    for var in codebook.variables:
        if var.name not in header_map:
            continue
        header = header_map[var.name]
        decoded, probs, chg = _decode_column(var, header, raw[header], file)
        problems += probs
        changes += chg
        if isinstance(decoded, pd.DataFrame):
            for col in decoded.columns:
                clean[col] = decoded[col].astype(bool)
        else:
            clean[var.name] = decoded

    # Presence rules: conditional answers exactly when the condition holds; others always.
    for var in codebook.variables:
        if var.name not in clean or var.type == "multiselect":
            continue
        header = header_map[var.name]
        present = clean[var.name].notna()
        if var.only_if and var.only_if in clean:
            condition = clean[var.only_if].fillna(False).astype(bool)
            cond_header = header_map[var.only_if]
            for idx in clean.index[condition & ~present]:
                problems.append(
                    Problem(
                        file, int(idx + FIRST_DATA_ROW), header, "", f"thiếu mức độ dù «{cond_header}» là Có"
                    )
                )
            for idx in clean.index[~condition & present]:
                problems.append(
                    Problem(
                        file,
                        int(idx + FIRST_DATA_ROW),
                        header,
                        raw.at[idx, header],
                        f"có mức độ dù «{cond_header}» không phải Có",
                    )
                )
        elif var.type not in ("datetime", "integer", "id"):
            for idx in clean.index[~present & (raw[header].str.strip() == "")]:
                problems.append(Problem(file, int(idx + FIRST_DATA_ROW), header, "", "không được để trống"))

    if "ma_phieu" in clean:
        dup = clean["ma_phieu"].duplicated(keep=False) & clean["ma_phieu"].notna()
        for idx in clean.index[dup]:
            problems.append(
                Problem(
                    file,
                    int(idx + FIRST_DATA_ROW),
                    header_map["ma_phieu"],
                    raw.at[idx, header_map["ma_phieu"]],
                    "mã phiếu bị trùng",
                )
            )

    if codebook.min_age_at_entry is not None and {"tuoi", "tham_nien"} <= set(clean):
        limit = clean["tuoi"] - codebook.min_age_at_entry
        too_long = (clean["tham_nien"] > limit).fillna(False)
        for idx in clean.index[too_long]:
            problems.append(
                Problem(
                    file,
                    int(idx + FIRST_DATA_ROW),
                    header_map["tham_nien"],
                    raw.at[idx, header_map["tham_nien"]],
                    f"thâm niên vượt quá tuổi ({clean.at[idx, 'tuoi']}) trừ {codebook.min_age_at_entry}",
                )
            )

    if problems:
        problems.sort(key=lambda p: (p.dong if p.dong is not None else 0, p.cot))
        raise SurveyValidationError(problems)
    log = pd.DataFrame([asdict(c) for c in changes], columns=list(Change.__dataclass_fields__))
    return clean.reset_index(drop=True), log
