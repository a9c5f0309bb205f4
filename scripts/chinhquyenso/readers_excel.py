"""Reading an Excel workbook (``.xlsx``/``.xlsm``) into text cells with the row numbers a
person sees, for ``readers.read_survey``: the first visible sheet or a named one, hidden sheets
named in the report, formula cells without a saved value refused, which cells Excel stores as
numbers and the workbook's date system (1900 or 1904). A password-protected workbook, an old
``.xls`` or a text file named ``.xlsx`` is refused for what it is."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .problems import Problem, SurveyValidationError
from .readers import (
    DELIMITERS,
    EXCEL_1904,
    OLE2,
    RawSurvey,
    RowProblems,
    _header_problems,
    _refuse,
    cell_text,
)


def not_a_workbook(path: Path) -> str | None:
    """What a file named .xlsx is when it is not a workbook, from its first bytes."""
    with path.open("rb") as fh:
        head = fh.read(4096)
    if not head.strip():
        return "tệp rỗng"
    if head.startswith(OLE2):
        data = path.read_bytes()
        if "EncryptedPackage".encode("utf-16-le") in data:
            return (
                "tệp Excel được đặt mật khẩu (mã hóa): mở bằng Excel, bỏ mật khẩu "
                "(Tệp > Thông tin > Bảo vệ sổ làm việc) và lưu lại"
            )
        return "tệp Excel 97–2003 (.xls) mang đuôi .xlsx: mở bằng Excel và lưu lại dạng .xlsx"
    if head.startswith(b"PK\x03\x04"):
        return None
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        return "không phải tệp Excel (.xlsx): nội dung không phải bảng tính"
    if any(d in text.split("\n", 1)[0] for d in DELIMITERS):
        return "tệp văn bản dạng CSV mang đuôi .xlsx: đổi đuôi tệp thành .csv (và survey.path) rồi chạy lại"
    return "không phải tệp Excel (.xlsx): tệp là văn bản"


def pick_sheet(path: Path, book, sheet: str | None):
    """The sheet to read: the one named, else the first visible one (a hidden sheet is often an
    old copy of the data); the description says which, and which hidden sheets were skipped."""
    if sheet is not None:
        if sheet not in book.sheetnames:
            raise _refuse(path, f"không có trang tính «{sheet}» (có: {', '.join(book.sheetnames)})")
        return book[sheet], ""
    visible = [ws for ws in book.worksheets if getattr(ws, "sheet_state", "visible") == "visible"]
    if not visible:
        raise _refuse(path, "tệp Excel không có trang tính nào đang hiện")
    hidden = [ws.title for ws in book.worksheets if ws not in visible]
    note = f"; bỏ qua trang tính ẩn {', '.join(f'«{t}»' for t in hidden)}" if hidden else ""
    return visible[0], note


def read_excel(path: Path, *, sheet: str | None = None) -> RawSurvey:
    from openpyxl import load_workbook

    wrong = not_a_workbook(path)
    if wrong:
        raise _refuse(path, wrong)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
        formulas = load_workbook(path, read_only=True, data_only=False)  # to tell "empty" from "not computed"
    except Exception as err:  # openpyxl raises several types for a damaged file
        raise _refuse(
            path, f"không đọc được tệp Excel (tệp hỏng hoặc không phải .xlsx): {type(err).__name__}"
        ) from err
    problems: list[Problem] = []  # rows kept: their cells are where their headers say
    try:
        ws, note = pick_sheet(path, book, sheet)
        epoch = book.epoch
        rows_iter = ws.iter_rows(values_only=True)
        formula_rows = formulas[ws.title].iter_rows(values_only=True)
        header_row = next(rows_iter, None)
        next(formula_rows, None)
        if header_row is None:
            raise _refuse(path, f"trang tính «{ws.title}» rỗng")
        header = [cell_text(h) for h in header_row]
        while header and not header[-1].strip():  # trailing empty columns Excel keeps
            header.pop()
        header_problems = _header_problems(path, header)
        if header_problems:
            raise SurveyValidationError(header_problems)
        records, numbers = [], []
        number_at: dict[int, list[int]] = {}  # column -> records whose cell is a number
        for number, values in enumerate(rows_iter, start=2):
            written = next(formula_rows, ())
            cells = [cell_text(v) for v in values[: len(header)]]
            cells += [""] * (len(header) - len(cells))
            numeric = [i for i, v in enumerate(values[: len(header)]) if type(v) in (int, float)]
            for i, (value, source) in enumerate(zip(values[: len(header)], written, strict=False)):
                if value is None and isinstance(source, str) and source.startswith("="):
                    problems.append(
                        Problem(
                            path.name,
                            number,
                            header[i],
                            source,
                            "công thức chưa có giá trị (mở tệp bằng Excel và lưu lại để tính)",
                        )
                    )
            if any(cell_text(v).strip() for v in values[len(header) :]):
                # not shown: a cell outside every column may be anything, a code or a name
                problems.append(
                    Problem(path.name, number, "", "", "dòng có giá trị ngoài các cột có tiêu đề")
                )
            if any(c.strip() for c in cells):
                for i in numeric:
                    number_at.setdefault(i, []).append(len(records))
                records.append(cells)
                numbers.append(number)
        title = ws.title
    finally:
        book.close()
        formulas.close()
    if not records:
        raise (
            SurveyValidationError(problems)
            if problems
            else _refuse(path, "trang tính chỉ có dòng tiêu đề, không có dòng dữ liệu", row=1)
        )
    frame = pd.DataFrame(records, columns=header, dtype=str)
    masks: dict[str, np.ndarray] = {}
    for i, where in number_at.items():
        mask = masks.setdefault(header[i], np.zeros(len(records), dtype=bool))
        mask[where] = True
    system = "; hệ thống ngày 1904" if epoch == EXCEL_1904 else ""
    raw = RawSurvey(
        frame,
        np.asarray(numbers, dtype=np.int64),
        path,
        f"Excel, trang tính «{title}»{note}{system}",
        epoch=epoch,
        number_cells=masks,
    )
    if problems:  # every row read: the others' answers are checked too
        raise RowProblems(problems, raw)
    return raw


# --- SPSS -----------------------------------------------------------------------------------
