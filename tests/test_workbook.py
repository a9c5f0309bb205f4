"""The report's tables as an Excel workbook: read from the rendered report, numbers as numbers
with Vietnamese formats, byte-identical rebuilds, opened by a real spreadsheet program."""

import datetime as dt
import os
import shutil

import pytest
from openpyxl import load_workbook

from chinhquyenso.report.html_blocks import read_tables
from chinhquyenso.report.workbook import as_number, write_workbook
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
    ],
)
def test_vietnamese_numbers_become_numbers(text, value, fmt):
    got, got_fmt = as_number(text)
    assert got == pytest.approx(value) and got_fmt == fmt


@pytest.mark.parametrize("text", ["(ẩn)", "–", "0,84 (0,64–1,12)", "< 0,001", "35*", "1.352/1.886"])
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


def test_every_table_carries_the_reports_numbers(html, tmp_path):
    tables = read_tables(html)
    out = tmp_path / "bang_bieu.xlsx"
    write_workbook(tables, out, "Báo cáo", dt.date(2026, 11, 22))
    book = load_workbook(out)
    for table in tables:
        sheet = book[table.caption.split(".")[0]]
        values = {c.value for row in sheet.iter_rows() for c in row if c.value is not None}
        for row in table.head + table.body:
            for cell in row:
                parsed = None if cell.header else as_number(cell.text)
                expected = parsed[0] if parsed else cell.text
                assert expected in values or not cell.text, (table.caption, cell.text)
