"""The report's tables as an Excel workbook: read from the rendered report, numbers as numbers
with Vietnamese formats, byte-identical rebuilds, opened by a real spreadsheet program."""

import datetime as dt
import os
import shutil

import pytest
from openpyxl import load_workbook

from chinhquyenso.report.html_blocks import read_tables
from chinhquyenso.report.workbook import as_number, split_mark, write_workbook
from conftest import libreoffice_pdf_text


@pytest.fixture(scope="module")
def html(report_html):
    return report_html


@pytest.mark.parametrize(
    ("text", "value", "fmt"),
    [
        ("1.234", 1234, "[$-42A]#,##0"),
        ("49,7", 49.7, "[$-42A]#,##0.0"),
        ("−0,02", -0.02, "[$-42A]#,##0.00"),
        ("85,45%", 0.8545, "[$-42A]0.00%"),
        ("3.103.499", 3103499, "[$-42A]#,##0"),
        ("2022", 2022, "[$-42A]0"),  # a year prints as written, not "2.022"
    ],
)
def test_vietnamese_numbers_become_numbers(text, value, fmt):
    got, got_fmt = as_number(text)
    assert got == pytest.approx(value) and got_fmt == fmt


@pytest.mark.parametrize(
    "text", ["(ẩn)", "–", "0,84 (0,64–1,12)", "< 0,001", "35*", "1.352/1.886", "01", "07/3/2022"]
)
def test_other_cells_stay_text(text):
    assert as_number(text) is None


def test_every_numbered_table_is_a_sheet_with_the_reports_numbers(html, tmp_path):
    tables = read_tables(html)
    captions = [t.caption.split(".")[0] for t in tables]
    assert captions == [f"Bảng {i}" for i in range(1, len(tables) + 1)] and len(tables) >= 5
    out = tmp_path / "bang_bieu.xlsx"
    write_workbook(tables, out, "Báo cáo", dt.date(2026, 11, 22))
    book = load_workbook(out)
    assert book.sheetnames == ["Mục lục", *captions]
    sheet = book["Bảng 1"]
    assert sheet["A1"].value.startswith("Bảng 1. Cơ cấu giới tính")
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert 181 in values and 49.7 in values  # Nữ 179 (49,7%) as in the report, as numbers
    assert sheet.freeze_panes == "A4"  # below the two header rows
    assert any(isinstance(v, str) and v.startswith("Nguồn:") for v in values)
    link = book["Mục lục"]["A4"]
    assert link.value.startswith("Bảng 1.") and link.hyperlink.location == "'Bảng 1'!A1"


def test_the_workbook_is_byte_identical_on_a_rebuild(html, tmp_path):
    tables = read_tables(html)
    import time

    write_workbook(tables, tmp_path / "a.xlsx", "Báo cáo", dt.date(2026, 11, 22))
    time.sleep(1.1)  # openpyxl stamps the time of saving, to the second: it must not reach the file
    write_workbook(tables, tmp_path / "b.xlsx", "Báo cáo", dt.date(2026, 11, 22))
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()
    assert not list(tmp_path.glob("*.tmp"))


@pytest.mark.skipif(
    not shutil.which("soffice") and not os.environ.get("REQUIRE_LIBREOFFICE"),
    reason="LibreOffice not installed (.ci/run installs libreoffice-calc-nogui)",
)
def test_libreoffice_opens_the_workbook_and_prints_vietnamese_numbers(html, tmp_path):
    out = tmp_path / "bang_bieu.xlsx"
    write_workbook(read_tables(html), out, "Báo cáo", dt.date(2026, 11, 22))
    text = libreoffice_pdf_text(out, tmp_path)
    assert "Bảng 1. Cơ cấu giới tính" in text and "49,7" in text


def _expected_row(row) -> list:
    """A body row as the sheet holds it: each value (a number when it reads as one), then its
    verification mark "*" (in a column of its own), empty cells left out."""
    out = []
    for cell in row:
        text, mark = (cell.text, "") if cell.colspan > 1 else split_mark(cell.text)
        parsed = None if cell.header else as_number(text)
        out += [v for v in (parsed[0] if parsed else text, mark) if v != ""]
    return out


@pytest.fixture(scope="module")
def book(html, tmp_path_factory):
    out = tmp_path_factory.mktemp("xlsx") / "bang_bieu.xlsx"
    write_workbook(read_tables(html), out, "Báo cáo", dt.date(2026, 11, 22))
    return load_workbook(out)


def test_every_table_carries_the_reports_numbers_and_marks(html, book):
    """Row by row, every value of the report in the sheet: numbers as numbers, a mark ("35*")
    as the number 35 and "*" in the next column."""
    for table in read_tables(html):
        sheet = book[table.caption.split(".")[0]]
        first = len(table.head) + 2
        rows = list(sheet.iter_rows(min_row=first, max_row=first + len(table.body) - 1, values_only=True))
        for ours, theirs in zip(rows, table.body, strict=True):
            assert [v for v in ours if v not in (None, "")] == _expected_row(theirs), table.caption


def _dti_and_indicators():
    """The shapes of the demo's DTI table (ranks, unverified: "35*") and of an indicator table
    (a value with its unit, a year)."""
    from chinhquyenso.report.html_blocks import Cell, Table

    def head(*texts):
        return [[Cell(t, header=True) for t in texts]]

    dti = Table("dti", "Bảng 1. Xếp hạng", head("Chỉ số", "TPHCM", "Bình Dương"))
    dti.body = [[Cell("Nhận thức số", header=True), Cell("35*"), Cell("1")]]
    dti.body.append([Cell("Ghi chú", colspan=3, header=True)])
    indicators = Table("cb", "Bảng 2. Chỉ báo", head("Chỉ báo", "Giá trị", "Thời điểm"))
    indicators.body = [
        [Cell("Trạm BTS", header=True), Cell("3.666 trạm*"), Cell("2023")],
        [Cell("Tỷ lệ", header=True), Cell("85,45%*"), Cell("01/2025")],
    ]
    return [dti, indicators]


def test_marked_values_are_numbers_with_the_mark_beside_them(tmp_path):
    out = tmp_path / "x.xlsx"
    write_workbook(_dti_and_indicators(), out, "x", dt.date(2026, 11, 22))
    book = load_workbook(out)
    dti = [[c.value for c in row] for row in book["Bảng 1"].iter_rows(min_row=2, max_row=4)]
    assert dti[0] == ["Chỉ số", "TPHCM", None, "Bình Dương"]  # "TPHCM" over its value and mark
    assert dti[1] == ["Nhận thức số", 35, "*", 1] and dti[2][0] == "Ghi chú"
    assert {"B2:C2", "A4:D4"} <= {str(r) for r in book["Bảng 1"].merged_cells.ranges}
    rows = [[c.value for c in row] for row in book["Bảng 2"].iter_rows(min_row=3, max_row=4)]
    assert rows[0] == ["Trạm BTS", "3.666 trạm", "*", 2023] and rows[1][:3] == ["Tỷ lệ", 0.8545, "*"]
    assert book["Bảng 2"]["D3"].number_format == "[$-42A]0"  # 2023 prints "2023", not "2.023"
    assert rows[1][3] == "01/2025"


def test_every_sheet_prints_on_a4_one_page_wide(book):
    for ws in book.worksheets:
        setup = ws.page_setup
        assert str(setup.paperSize) == ws.PAPERSIZE_A4 and ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert (setup.fitToWidth, setup.fitToHeight) == (1, 0), ws.title


def test_the_workbook_of_a_province_without_a_report_now_is_removed(tmp_path):
    """A province that lost its report (no respondents, under the threshold) loses its workbook
    too: an old one would stay published with the numbers of an earlier run."""
    from chinhquyenso import products

    for name in ("bang_bieu_tinh_a.xlsx", "bang_bieu_tinh_b.xlsx", "bao_cao_tinh_b.docx", "bang_bieu.xlsx"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    removed = products.remove_old_province_reports(tmp_path, ["a"])
    assert sorted(p.name for p in removed) == ["bang_bieu_tinh_b.xlsx", "bao_cao_tinh_b.docx"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bang_bieu.xlsx", "bang_bieu_tinh_a.xlsx"]
