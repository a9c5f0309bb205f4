"""Turn a raw survey export (text cells, see ``readers``) into the typed, canonical table.

``clean_survey`` maps headers and answers through the codebook, checks every cell and every
row, applies the fixes the codebook allows (variant spellings, test rows, repeated submissions),
drops direct identifiers, replaces respondent IDs by pseudonyms, and returns:

- the clean table, one row per respondent;
- the cleaning log: every change, with row, old value, new value and reason;
- every problem found (errors and warnings).

If any problem is an error (the codebook's ``validation:`` section decides, with defaults in
``codebook.DEFAULT_POLICY``), :class:`SurveyValidationError` is raised with all of them at once.
Personal data never appears in a problem, a log entry or the output.

Values are decoded once per distinct raw text, not once per cell, so a million rows take seconds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from . import nonresponse
from .codebook import Codebook, Variable, fold
from .ingest_answers import (
    decode_categorical,
    decode_datetime,
    decode_integer,
    decode_multiselect,
)
from .ingest_numbers import decode_code, decode_number
from .problems import ERROR, WARNING, Change, Problem, SurveyValidationError, changes_frame
from .readers import RawSurvey

HIDDEN = "[ẩn]"  # shown instead of personal data
# Text a spreadsheet would run as a formula (CSV injection): "=...", "@...", "+A1", "-cmd".
# A cell a spreadsheet would run: = or @ first, or a sign followed by anything but a plain number
# ("-2+3+cmd|..." included; "-5", "+84" and a lone "-" are not formulas).
FORMULA = re.compile(r"^\s*(?:[=@]|[+\-](?=\s*\S)(?!\s*\d+(?:[.,]\d+)*\s*$))")


__all__ = ["SurveyValidationError", "Problem", "Change", "clean_survey", "CleanResult"]


@dataclass
class CleanResult:
    clean: pd.DataFrame
    log: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)


class _Collector:
    """Collects problems and changes with the codebook's policy applied."""

    def __init__(self, file: str, codebook: Codebook):
        self.file = file
        self.codebook = codebook
        self.problems: list[Problem] = []
        self.changes: list[Change] = []

    def problem(self, rule: str, row: int | None, col: str, value: str, message: str) -> str:
        level = self.codebook.level(rule)
        self.problems.append(Problem(self.file, row, col, value, message, rule, level))
        return level

    def change(self, row: int, col: str, var: str, old: str, new: str, reason: str) -> None:
        self.changes.append(Change(int(row), col, var, old, new, reason))


def _match_headers(columns: list[str], codebook: Codebook, out: _Collector) -> dict[str, str]:
    """Canonical variable name -> raw header (as written)."""
    folded: dict[str, list[str]] = {}
    for col in columns:
        folded.setdefault(fold(col), []).append(col)
    found: dict[str, str] = {}
    for var in codebook.variables:
        keys = dict.fromkeys(fold(h) for h in var.headers)
        hits = [c for key in keys for c in folded.get(key, [])]  # same name twice counts twice
        if not hits:
            if var.required:
                out.problem(
                    "thieu_cot", None, var.headers[0], "", f"thiếu cột bắt buộc của biến «{var.name}»"
                )
            elif var.type != "identifier":
                _absent_question(var, out)
        elif len(hits) > 1:
            out.problem("cot_trung", 1, " | ".join(hits), "", f"nhiều cột cùng khớp biến «{var.name}»")
        else:
            found[var.name] = hits[0]
            if hits[0] != var.headers[0]:
                out.change(
                    1,
                    hits[0],
                    var.name,
                    hits[0],
                    var.headers[0],
                    "tiêu đề cột khớp codebook qua cách viết khác",
                )
    for col in columns:
        if col not in found.values():
            out.problem("cot_thua", 1, col, "", "cột không có trong codebook, không sử dụng")
            out.change(1, col, "", "", "", "bỏ cột không có trong codebook")
    return found


def _absent_question(var: Variable, out: _Collector) -> None:
    """A ``required: false`` question the export does not have: left out of every table, model
    and report section (``answered``), said in the validation report and the cleaning log."""
    said = f"«{var.label}» (biến «{var.name}»)" if var.label else f"biến «{var.name}»"
    level = out.problem(
        "cot_vang",
        None,
        var.headers[0],
        "",
        f"tệp không có cột của câu hỏi không bắt buộc {said}: câu hỏi được bỏ khỏi bảng, mô hình và báo cáo",
    )
    if level == WARNING:
        out.change(1, var.headers[0], var.name, "", "", "không có cột của câu hỏi không bắt buộc: bỏ câu hỏi")


def _mask_formulas(raw: pd.DataFrame, header_map: dict[str, str], rows, codebook, out) -> pd.DataFrame:
    """Cells a spreadsheet would execute are refused (or, as a warning, emptied).

    Identifiers and respondent codes are skipped: they never reach an output, and a problem
    would show their value."""
    private = [v.name for v in codebook.identifiers] + [codebook.respondent_id]
    skip = {header_map[name] for name in private if name in header_map}
    for header in header_map.values():
        if header in skip:
            continue
        values = raw[header]
        flagged = [v for v in pd.unique(values) if FORMULA.match(v)]
        hits = values.isin(flagged).to_numpy() if flagged else np.zeros(len(values), dtype=bool)
        for row, value in zip(rows[hits], values[hits], strict=True):
            if out.problem("cong_thuc", row, header, value, "ô có dạng công thức bảng tính") == WARNING:
                out.change(row, header, "", value, "", "bỏ ô có dạng công thức")
        if hits.any():
            raw.loc[hits, header] = ""
    return raw


def _test_rows(raw, header_map, rows, codebook, out) -> np.ndarray:
    """Rows the codebook's `test_rows:` rules mark as tests (e.g. an ID starting with TEST)."""
    drop = np.zeros(len(raw), dtype=bool)
    for rule in codebook.test_rows:
        header = header_map.get(rule["variable"])
        if header is None:
            continue
        pattern = re.compile(rule["pattern"], re.IGNORECASE)
        values = raw[header]
        marked = {v for v in pd.unique(values) if pattern.search(fold(v))}
        drop |= values.isin(marked).to_numpy()
    for row in rows[drop]:
        level = out.problem("dong_thu", row, "", "", "dòng thử nghiệm (theo quy tắc test_rows của codebook)")
        if level == WARNING:
            out.change(row, "", "", "", "", "bỏ dòng thử nghiệm")
    return drop


def clean_survey(raw: RawSurvey, codebook: Codebook) -> CleanResult:
    """Map, check and clean a raw export. Raises SurveyValidationError if any problem is an error."""
    out = _Collector(raw.name, codebook)
    rows = np.asarray(raw.rows)
    header_map = _match_headers(list(raw.frame.columns), codebook, out)
    frame = raw.frame.loc[:, list(dict.fromkeys(header_map.values()))].copy()
    frame = frame.astype(str)
    frame = _mask_formulas(frame, header_map, rows, codebook, out)
    is_test = _test_rows(frame, header_map, rows, codebook, out)
    if codebook.level("dong_thu") == ERROR:
        is_test[:] = False  # reported as errors; nothing is dropped
    identifiers = {v.name for v in codebook.identifiers}
    for name in identifiers & set(header_map):
        out.change(1, header_map[name], name, "", "", "bỏ cột dữ liệu cá nhân (nhận dạng trực tiếp)")

    keep = ~is_test
    frame = frame[keep].reset_index(drop=True)
    rows = rows[keep]
    clean = pd.DataFrame(index=frame.index)
    clean["dong_nguon"] = rows.astype("int32")
    for var in codebook.variables:
        if var.name in header_map and var.name not in identifiers:
            _decode(var, header_map[var.name], raw, frame, keep, rows, clean, codebook, out)

    _presence_rules(clean, frame, header_map, rows, codebook, out)
    _consistency_rules(clean, frame, header_map, rows, codebook, out)
    clean, rows = _duplicates(clean, frame, header_map, rows, codebook, out)

    if any(p.muc_do == ERROR for p in out.problems):
        out.problems.sort(key=lambda p: (p.dong or 0, p.cot))
        raise SurveyValidationError(out.problems)

    id_var = codebook.respondent_id
    if id_var in clean:  # pseudonyms: the raw IDs never leave this function
        width = max(4, len(str(len(clean))))
        clean[id_var] = pd.array(
            [f"{codebook.pseudonym_prefix}-{i:0{width}d}" for i in range(1, len(clean) + 1)], dtype="string"
        )
    out.changes.sort(key=lambda c: (c.dong, c.cot))
    return CleanResult(clean.reset_index(drop=True), changes_frame(out.changes), out.problems)


def _decode(var, header, raw: RawSurvey, frame, keep, rows, clean, codebook: Codebook, out) -> None:
    """One variable's column(s) of the clean table, from its (test rows dropped) raw cells;
    item non-response first: blank in the column, its class in the companion column."""
    values, classes = frame[header], None
    if var.type in nonresponse.TYPES:
        # decoded as blank; ``frame`` keeps the text: an answer, though not a value, is not "empty"
        found = raw.user_missing.get(header)
        values, classes = nonresponse.separate(
            var, header, values, rows, codebook.missing_classes, found, out
        )
    if var.type == "id":
        decoded = id_keys(values)
        for row in rows[(decoded == "").to_numpy()]:
            out.problem("bo_trong", row, header, "", "mã phiếu trống")
        clean[var.name] = decoded.astype("string")
    elif var.type == "datetime":
        cells = raw.number_cells.get(header)
        cells = None if cells is None else cells[keep]
        clean[var.name] = decode_datetime(var, header, values, rows, out, raw.epoch, cells)
    elif var.type == "integer":
        clean[var.name] = decode_integer(var, header, values, rows, out)
    elif var.type == "number":
        clean[var.name] = decode_number(var, header, values, rows, out)
    elif var.type == "code":
        clean[var.name] = decode_code(values)
    elif var.type == "multiselect":
        for col, series in decode_multiselect(var, header, values, rows, out).items():
            clean[col] = series.astype(bool)
    else:
        clean[var.name] = decode_categorical(var, header, values, rows, out)
    if classes is not None:
        clean[nonresponse.companion(var.name)] = nonresponse.as_column(classes, codebook.missing_classes)


def _presence_rules(clean, frame, header_map, rows, codebook, out) -> None:
    """Conditional answers exactly when their condition holds; other answers always. A
    condition that has a condition itself (a -> b -> c) is settled first, so that an answer
    emptied by a warning no longer counts as a yes for what depends on it."""
    for var in _conditions_first(codebook.variables):
        if var.name not in clean or var.type in ("multiselect", "id"):
            continue
        header = header_map[var.name]
        present = clean[var.name].notna().to_numpy()
        # item non-response is an answer, though not a value: never "left empty"
        blank = (frame[header].str.strip() == "").to_numpy() & ~nonresponse.answered_missing(clean, var.name)
        if var.only_if and var.only_if in clean:
            condition = clean[var.only_if].fillna(False).astype(bool).to_numpy()
            nonresponse.not_asked(clean, var, condition, header, rows, out)
            cond_header = header_map[var.only_if]
            for row in rows[condition & ~present & blank]:
                out.problem("thieu_muc_do", row, header, "", f"thiếu mức độ dù «{cond_header}» là Có")
            extra = ~condition & present
            for i in np.flatnonzero(extra):
                raw = frame[header].iat[i]
                if (
                    out.problem(
                        "muc_do_thua", rows[i], header, raw, f"có mức độ dù «{cond_header}» không phải Có"
                    )
                    == WARNING
                ):
                    out.change(rows[i], header, var.name, raw, "", "bỏ mức độ của hoạt động không tham gia")
            if extra.any():
                clean.loc[extra, var.name] = pd.NA
        else:
            for row in rows[blank]:
                out.problem("bo_trong", row, header, "", "không được để trống")


def _conditions_first(variables) -> list[Variable]:
    """Variables in codebook order, except that one whose ``only_if`` chain is longer comes after
    the ones it depends on (the codebook check refuses circles)."""
    by_name = {v.name: v for v in variables}

    def depth(var: Variable) -> int:
        n, seen = 0, {var.name}
        while var.only_if in by_name and var.only_if not in seen:
            var = by_name[var.only_if]
            seen.add(var.name)
            n += 1
        return max(n, 1)  # 0 and 1 keep their order: an unconditional answer is never emptied

    return sorted(variables, key=depth)


def _consistency_rules(clean, frame, header_map, rows, codebook, out) -> None:
    age, tenure = codebook.role("age"), codebook.role("tenure")
    if codebook.min_age_at_entry is None or not age or not tenure or not {age, tenure} <= set(clean):
        return
    limit = clean[age] - codebook.min_age_at_entry
    too_long = (clean[tenure] > limit).fillna(False).to_numpy()
    header = header_map[tenure]
    for i in np.flatnonzero(too_long):
        raw = frame[header].iat[i]
        message = f"thâm niên vượt quá tuổi ({clean[age].iat[i]}) trừ {codebook.min_age_at_entry}"
        if out.problem("tham_nien_tuoi", rows[i], header, raw, message) == WARNING:
            out.change(rows[i], header, tenure, raw, "", "bỏ thâm niên không khớp tuổi")
    if too_long.any() and codebook.level("tham_nien_tuoi") == WARNING:
        clean.loc[too_long, tenure] = pd.NA


def _duplicates(clean, frame, header_map, rows, codebook, out):
    """Repeated submissions are dropped; one ID on different answers is refused.

    A repeated submission has the same answers and the same direct identifiers (when the export
    has any) as an earlier row, sent within `repeat_window_minutes` of it. Identical answers far
    apart in time are two people who answered alike, and are kept.
    """
    id_var, stamp_var = codebook.respondent_id, codebook.role("submitted_at")
    answers = [c for c in clean.columns if c not in ("dong_nguon", id_var, stamp_var)]
    drop = np.zeros(len(clean), dtype=bool)
    if answers and len(clean) > 1:
        key = pd.util.hash_pandas_object(clean[answers], index=False).to_numpy()
        ident = [header_map[v.name] for v in codebook.identifiers if v.name in header_map]
        if ident:  # hashed, never kept
            key = key ^ pd.util.hash_pandas_object(frame[ident].apply(fold_series), index=False).to_numpy()
        order = np.lexsort((np.arange(len(key)), key))
        same = np.zeros(len(key), dtype=bool)
        same[order[1:]] = key[order[1:]] == key[order[:-1]]
        if stamp_var in clean:
            stamps = clean[stamp_var].to_numpy()
            gap = np.full(len(key), np.timedelta64("NaT"), dtype="timedelta64[ns]")
            gap[order[1:]] = stamps[order[1:]] - stamps[order[:-1]]
            window = np.timedelta64(int(codebook.repeat_window_minutes * 60), "s")
            same &= ~np.isnat(gap) & (gap <= window)
        previous = np.empty(len(key), dtype=np.int64)
        previous[order[1:]] = rows[order[:-1]]
        for i in np.flatnonzero(same):
            level = out.problem(
                "trung_phieu", rows[i], "", "", f"phiếu nộp lặp lại: trả lời giống hệt dòng {previous[i]}"
            )
            if level == WARNING:
                drop[i] = True
                out.change(rows[i], "", "", f"giống dòng {previous[i]}", "", "bỏ phiếu nộp lặp lại")
    if id_var in clean:
        _same_code(clean[id_var].mask(drop), header_map[id_var], id_var, rows, drop, out)
    keep = ~drop
    return clean[keep].reset_index(drop=True), rows[keep]


def id_keys(values: pd.Series) -> pd.Series:
    """Respondent codes as compared: NFC, single spaces, trimmed, case-folded (codebook.fold,
    vectorised), so "HÀ-001", its NFD spelling and " hà-001 " are one code."""
    spaced = values.str.normalize("NFC").str.replace(r"\s+", " ", regex=True)
    return spaced.str.strip().str.casefold()


def duplicate_code(row: int, rows: list[int]) -> str:
    """The message for a respondent code on several ``rows`` (in file order), said for ``row``:
    row numbers only, never the code; at most five other rows are named."""
    others = [r for r in rows[:6] if r != row][:5]
    more = len(rows) - 1 - len(others)
    listed = ", ".join(map(str, others)) + (f" và {more} dòng khác" if more else "")
    return f"mã người trả lời ở dòng {row} trùng với dòng {listed}"


def _same_code(ids: pd.Series, header: str, id_var: str, rows, drop, out) -> None:
    """One code on several rows (repeated submissions already dropped): each row is reported
    with the others; as a warning, the first row is kept."""
    clashing = (ids.duplicated(keep=False) & ids.notna() & (ids != "")).to_numpy()
    if not clashing.any():
        return
    where = np.flatnonzero(clashing)
    for _, positions in pd.Series(where).groupby(ids.iloc[where].to_numpy(), sort=False):
        members = positions.tolist()
        numbers = [int(rows[i]) for i in members]
        for k, i in enumerate(members):
            level = out.problem("trung_ma", rows[i], header, HIDDEN, duplicate_code(numbers[k], numbers))
            if level == WARNING and k > 0:
                drop[i] = True
                out.change(rows[i], header, id_var, HIDDEN, "", "bỏ dòng trùng mã phiếu (giữ dòng đầu)")


def fold_series(values: pd.Series) -> pd.Series:
    codes, uniques = pd.factorize(values)
    folded = np.array([fold(u) for u in uniques] + [""], dtype=object)
    return pd.Series(folded[codes], index=values.index)
