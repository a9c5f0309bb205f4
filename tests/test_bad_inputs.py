"""A corpus of bad inputs: each is refused with the right row and column, and nothing downstream
is written (only the validation report). Cases are built from the demo file so they stay in step
with the codebook."""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from chinhquyenso.clean_stage import clean_to_files
from chinhquyenso.problems import SurveyValidationError
from conftest import CODEBOOK, DEMO

LINES = DEMO.read_text(encoding="utf-8").splitlines()
HEADER = next(csv.reader([LINES[0]]))


def col(prefix: str) -> str:
    return next(h for h in HEADER if h.startswith(prefix))


def _fields(line: str) -> list[str]:
    return next(csv.reader([line]))


def _line(fields: list[str]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="").writerow(fields)
    return buf.getvalue()


def with_cell(file_row: int, header: str, value: str) -> Callable[[], bytes]:
    """The demo with one cell changed; file_row as numbered in the file (header = 1)."""

    def build() -> bytes:
        lines = list(LINES)
        fields = _fields(lines[file_row - 1])
        fields[HEADER.index(header)] = value
        lines[file_row - 1] = _line(fields)
        return ("\n".join(lines) + "\n").encode("utf-8")

    return build


def with_lines(transform: Callable[[list[str]], list[str]]) -> Callable[[], bytes]:
    return lambda: ("\n".join(transform(list(LINES))) + "\n").encode("utf-8")


def raw_bytes(data: bytes) -> Callable[[], bytes]:
    return lambda: data


def _participant_row(activity: str, takes_part: bool) -> int:
    i = HEADER.index(col(f"Anh/chị có trực tiếp tham mưu/tham gia các hoạt động sau không? [{activity}"))
    want = "Có" if takes_part else "Không"
    return next(n for n, line in enumerate(LINES[1:], start=2) if _fields(line)[i] == want)


ACT = "Xây dựng cổng thông tin điện tử"
PART_COL = col(f"Anh/chị có trực tiếp tham mưu/tham gia các hoạt động sau không? [{ACT}")
LEVEL_COL = col(f"Mức độ tham mưu/tham gia của anh/chị [{ACT}")
SEX, AGE, TENURE, PROV = col("Giới tính"), col("Tuổi"), col("Thâm niên"), col("Tỉnh/thành phố")
LEVEL_ADMIN, TRAINED, BARRIERS = col("Đơn vị công tác"), col("Anh/chị đã được đào tạo"), col("Theo anh/chị")
ID, TIME = col("Mã phiếu"), col("Dấu thời gian")


def _drop_column(lines, header):
    i = HEADER.index(header)
    out = []
    for line in lines:
        fields = _fields(line)
        del fields[i]
        out.append(_line(fields))
    return out


def _duplicate_header(lines):
    fields = _fields(lines[0])
    fields[HEADER.index(AGE)] = SEX
    return [_line(fields)] + lines[1:]


def _duplicate_id(lines):
    fields = _fields(lines[4])
    fields[HEADER.index(ID)] = _fields(lines[1])[HEADER.index(ID)]
    lines[4] = _line(fields)
    return lines


def _semicolon_row(lines):
    lines[7] = lines[7].replace(",", ";")
    return lines


def _truncate(lines):
    return lines[:-1] + [lines[-1][: len(lines[-1]) // 2]]


def _unterminated_quote(lines):
    return lines + ['"' + lines[-1]]


def _blank_header(lines):
    fields = _fields(lines[0])
    fields[HEADER.index(AGE)] = " "
    return [_line(fields)] + lines[1:]


@dataclass
class Case:
    name: str
    build: Callable[[], bytes]
    row: int | None
    column: str  # "" when the problem concerns the whole row or file
    message: str  # a phrase the rule's message must contain
    suffix: str = ".csv"


CASES = [
    Case("tệp rỗng", raw_bytes(b""), None, "", "tệp rỗng"),
    Case("chỉ có tiêu đề", raw_bytes((LINES[0] + "\n").encode()), 1, "", "chỉ có dòng tiêu đề"),
    Case("thiếu cột bắt buộc", with_lines(lambda ls: _drop_column(ls, SEX)), None, SEX, "thiếu cột bắt buộc"),
    Case("hai cột cùng một biến", with_lines(_duplicate_header), 1, f"{SEX} | {SEX}", "nhiều cột"),
    Case(
        "tiêu đề trống", with_lines(_blank_header), 1, f"(cột {HEADER.index(AGE) + 1})", "tiêu đề cột trống"
    ),
    Case(
        "Likert ngoài thang",
        with_cell(_participant_row(ACT, True), LEVEL_COL, "6"),
        _participant_row(ACT, True),
        LEVEL_COL,
        "không có trong codebook",
    ),
    Case(
        "mức độ khi không tham gia",
        with_cell(_participant_row(ACT, False), LEVEL_COL, "Cao"),
        _participant_row(ACT, False),
        LEVEL_COL,
        "có mức độ dù",
    ),
    Case(
        "tham gia mà thiếu mức độ",
        with_cell(_participant_row(ACT, True), LEVEL_COL, ""),
        _participant_row(ACT, True),
        LEVEL_COL,
        "thiếu mức độ",
    ),
    Case("trùng mã phiếu", with_lines(_duplicate_id), 5, ID, "mã người trả lời ở dòng 5 trùng với dòng 2"),
    Case("tỉnh lạ", with_cell(3, PROV, "Bà Rịa - Vũng Tàu"), 3, PROV, "không có trong codebook"),
    Case(
        "cấp hành chính lạ", with_cell(4, LEVEL_ADMIN, "Cấp thôn"), 4, LEVEL_ADMIN, "không có trong codebook"
    ),
    Case("giới tính lạ", with_cell(9, SEX, "Khác"), 9, SEX, "không có trong codebook"),
    Case("tuổi ngoài khoảng", with_cell(6, AGE, "70"), 6, AGE, "ngoài khoảng"),
    Case("thâm niên không phải số", with_cell(7, TENURE, "năm năm"), 7, TENURE, "không phải số nguyên"),
    Case("thâm niên vượt tuổi", with_cell(8, TENURE, "27"), 8, TENURE, "thâm niên vượt quá tuổi"),
    Case("thời điểm hỏng", with_cell(10, TIME, "31/02/2023 25:00:00"), 10, TIME, "không đọc được thời điểm"),
    Case("rào cản lạ", with_cell(11, BARRIERS, "Mạng chậm"), 11, BARRIERS, "lựa chọn không có"),
    Case("bỏ trống câu bắt buộc", with_cell(12, TRAINED, ""), 12, TRAINED, "không được để trống"),
    Case("ô dạng công thức", with_cell(13, AGE, "=1+1"), 13, AGE, "công thức"),
    Case("ô dạng công thức @", with_cell(14, BARRIERS, "@SUM(A1)"), 14, BARRIERS, "công thức"),
    Case("lẫn dấu phân cách", with_lines(_semicolon_row), 8, "", "dòng có 1 ô"),
    Case("tệp bị cắt cụt", with_lines(_truncate), len(LINES), "", "tiêu đề có 44 ô"),
    Case("ngoặc kép không đóng", with_lines(_unterminated_quote), len(LINES) + 1, "", "tệp CSV hỏng"),
    Case("bảng mã TCVN3", raw_bytes(b"Gi\xedi t\xddnh,Tu\xe9i\nN\xf7,25\n"), 1, "", "TCVN3"),
    Case("tệp Excel đổi đuôi", raw_bytes(b"PK\x03\x04" + b"\x00" * 40), None, "", "tệp nén"),
    Case("định dạng không hỗ trợ", raw_bytes(b"%PDF-1.7"), None, "", "không được hỗ trợ", ".pdf"),
    Case("Excel hỏng", raw_bytes(b"not a zip"), None, "", "không phải tệp Excel", ".xlsx"),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_is_refused_with_location(case, tmp_path):
    survey = tmp_path / f"khao_sat{case.suffix}"
    survey.write_bytes(case.build())
    out = {
        k: tmp_path / "results" / v
        for k, v in {
            "table": "clean/khao_sat.parquet",
            "cleaning_log": "clean/nhat_ky_lam_sach.csv",
            "problems_csv": "validation/van_de.csv",
            "summary": "validation/tom_tat.txt",
        }.items()
    }
    for path in out.values():
        path.parent.mkdir(parents=True, exist_ok=True)
    with pytest.raises(SurveyValidationError) as info:
        clean_to_files(survey, CODEBOOK, **{k: str(v) for k, v in out.items()})
    hits = [
        p
        for p in info.value.problems
        if p.dong == case.row and p.cot == case.column and case.message in p.quy_tac
    ]
    assert hits, "\n".join(str(p) for p in info.value.problems[:5])
    assert all(p.tep == survey.name for p in info.value.problems)
    # nothing downstream; the report is there and says the same
    assert not out["table"].exists() and not out["cleaning_log"].exists()
    summary = out["summary"].read_text(encoding="utf-8")
    assert "dừng xử lý" in summary and case.message in summary
    assert case.message in out["problems_csv"].read_text(encoding="utf-8")


def test_corpus_is_large_enough():
    assert len(CASES) >= 20
