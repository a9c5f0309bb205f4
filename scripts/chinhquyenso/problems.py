"""Problems found in an input file, and changes made to it: the two records a researcher reads."""

from __future__ import annotations

from dataclasses import dataclass, fields
from operator import attrgetter

import pandas as pd

from . import atomic
from .safe_text import shown, write_csv

ERROR = "lỗi"
WARNING = "cảnh báo"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, located so a researcher can find it."""

    tep: str  # file
    dong: int | None  # row as numbered in the file; None for the whole file
    cot: str  # column header as written in the file
    gia_tri: str  # the offending value ("[ẩn]" for personal data)
    quy_tac: str  # the rule broken, in Vietnamese
    ma_quy_tac: str = "doc_tep"  # rule id, as used in the codebook's `validation:` section
    muc_do: str = ERROR  # ERROR stops the run; WARNING is fixed and logged

    def __str__(self) -> str:
        where = f"dòng {self.dong}" if self.dong is not None else "toàn tệp"
        col = f", cột «{shown(self.cot)}»" if self.cot else ""
        val = f", giá trị «{shown(self.gia_tri)}»" if self.gia_tri else ""
        return f"[{self.muc_do}] {self.tep}, {where}{col}{val}: {self.quy_tac}"


class SurveyValidationError(ValueError):
    """Raised with every problem of an input file at once (errors and warnings)."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        self.summary = ""  # the readable report, once written (clean_stage)
        errors = [p for p in problems if p.muc_do == ERROR]
        lines = "\n".join(f"  - {p}" for p in errors)
        super().__init__(f"Dữ liệu khảo sát có {len(errors)} lỗi, dừng xử lý:\n{lines}")


@dataclass(frozen=True)
class Change:
    """One entry of the cleaning log."""

    dong: int
    cot: str
    bien: str
    gia_tri_cu: str
    gia_tri_moi: str
    ly_do: str


def _frame(items: list, cls) -> pd.DataFrame:
    names = [f.name for f in fields(cls)]
    get = attrgetter(*names)  # plain tuples: asdict() deep-copies and is slow on 10^5 items
    return pd.DataFrame([get(item) for item in items], columns=names)


def _visible(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Values from the input file as a reader should see them (``safe_text.shown``)."""
    for name in columns:
        frame[name] = frame[name].map(shown)
    return frame


def problems_frame(problems: list[Problem]) -> pd.DataFrame:
    """One row per problem; ``gia_tri_nhap``: the value as typed, between «», beside ``gia_tri``
    (which a spreadsheet-safe CSV writes as '-3 when it looks like a formula)."""
    frame = _visible(_frame(problems, Problem), ["cot", "gia_tri"])
    position = frame.columns.get_loc("gia_tri") + 1
    frame.insert(position, "gia_tri_nhap", [f"«{v}»" if v else "" for v in frame["gia_tri"]])
    return frame


def changes_frame(changes: list[Change]) -> pd.DataFrame:
    return _visible(_frame(changes, Change), ["cot", "gia_tri_cu", "gia_tri_moi"])


def summary_text(file: str, description: str, problems: list[Problem], n_rows: int | None) -> str:
    """A readable summary in Vietnamese: counts by rule, then every problem."""
    errors = [p for p in problems if p.muc_do == ERROR]
    warnings = [p for p in problems if p.muc_do == WARNING]
    lines = [f"Kiểm tra dữ liệu: {file} ({description})"]
    if n_rows is not None:
        lines.append(f"Số dòng dữ liệu: {n_rows}")
    lines.append(f"Lỗi: {len(errors)}; cảnh báo (đã tự sửa và ghi nhật ký): {len(warnings)}")
    if errors:
        lines.append("KẾT LUẬN: dừng xử lý; sửa các lỗi dưới đây rồi chạy lại.")
    else:
        lines.append("KẾT LUẬN: dữ liệu hợp lệ.")
    by_rule: dict[tuple[str, str], int] = {}
    for p in problems:
        by_rule[(p.muc_do, p.quy_tac)] = by_rule.get((p.muc_do, p.quy_tac), 0) + 1
    if by_rule:
        lines.append("")
        lines.append("Theo loại:")
        lines += [f"  {n:>6}  [{level}] {rule}" for (level, rule), n in sorted(by_rule.items())]
        lines.append("")
        lines.append("Chi tiết:")
        lines += [f"  - {p}" for p in problems]
    return "\n".join(lines) + "\n"


def write_validation(
    problems: list[Problem], csv_path, summary_path, *, file: str, description: str, n_rows: int | None
) -> str:
    """Write every problem (CSV) and the readable summary; return the summary text."""
    write_csv(problems_frame(problems), csv_path)
    text = summary_text(file, description, problems, n_rows)
    atomic.write_text(summary_path, text)
    return text
