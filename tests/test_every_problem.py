"""One run lists every problem of a file: a row the reader cannot take as it is does not hide the
wrong answers of the other rows, and a value is shown as typed beside its spreadsheet-safe cell."""

import csv
import io

import pytest
from openpyxl import Workbook

from chinhquyenso.clean_stage import clean_to_files
from chinhquyenso.problems import SurveyValidationError
from conftest import CODEBOOK, DEMO

LINES = DEMO.read_text(encoding="utf-8").splitlines()
HEADER = next(csv.reader([LINES[0]]))
GENDER = next(h for h in HEADER if h.startswith("Giới tính"))


def _rows() -> list[list[str]]:
    return [next(csv.reader([line])) for line in LINES[1:]]


def _csv(rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows([HEADER, *rows])
    return buf.getvalue().encode("utf-8")


def _clean(path, tmp_path):
    out = {k: tmp_path / f"{k}.out" for k in ("table", "cleaning_log", "problems_csv", "summary")}
    with pytest.raises(SurveyValidationError) as err:
        clean_to_files(path, CODEBOOK, **out)
    assert not out["table"].exists() and not out["cleaning_log"].exists()  # nothing downstream
    return err.value, out


def test_a_row_with_a_cell_too_many_does_not_hide_a_wrong_answer_elsewhere(tmp_path):
    rows = _rows()
    rows[2] = [*rows[2], "thừa"]  # file row 4: one cell too many
    rows[5][HEADER.index(GENDER)] = "Khác"  # file row 7: an answer the codebook does not know
    path = tmp_path / "khao_sat.csv"
    path.write_bytes(_csv(rows))
    err, _ = _clean(path, tmp_path)
    said = [str(p) for p in err.problems]
    assert any(s.startswith("[lỗi] khao_sat.csv, dòng 4: dòng có") for s in said), said
    assert any(
        s.startswith(
            f"[lỗi] khao_sat.csv, dòng 7, cột «{GENDER}», giá trị «Khác»: giá trị không có trong codebook"
        )
        for s in said
    ), said


def test_an_excel_row_with_a_cell_beyond_the_headers_and_a_wrong_answer_lists_both(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for i, row in enumerate(_rows(), start=2):
        if i == 5:
            row[HEADER.index(GENDER)] = "Khác"
            row = [*row, "ngoài cột"]  # the same row: a cell outside every column
        sheet.append(row)
    path = tmp_path / "khao_sat.xlsx"
    book.save(path)
    err, _ = _clean(path, tmp_path)
    said = [str(p) for p in err.problems]
    assert "[lỗi] khao_sat.xlsx, dòng 5: dòng có giá trị ngoài các cột có tiêu đề" in said
    assert any(s.startswith(f"[lỗi] khao_sat.xlsx, dòng 5, cột «{GENDER}», giá trị «Khác»") for s in said), (
        said
    )


def test_a_value_is_shown_as_typed_beside_its_neutralised_cell(tmp_path):
    rows = _rows()
    rows[3][HEADER.index(GENDER)] = "-3"  # looks like a formula to a spreadsheet
    path = tmp_path / "khao_sat.csv"
    path.write_bytes(_csv(rows))
    _, out = _clean(path, tmp_path)
    problems = list(csv.DictReader(out["problems_csv"].open(encoding="utf-8")))
    row = next(p for p in problems if p["cot"] == GENDER)
    assert row["gia_tri"] == "'-3" and row["gia_tri_nhap"] == "«-3»"
