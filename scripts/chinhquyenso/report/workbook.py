"""The report's tables as an Excel workbook (results/report/bang_bieu.xlsx): one sheet per
numbered table, from the rendered report itself, so every number is the one the PDF prints.

Each sheet holds the caption ("Bảng n. …"), the table (header rows frozen, merged header cells
as in the report), the source and suppression notes. Cells that read as Vietnamese numbers
("1.234", "49,7", "−0,02") become numbers with a format of the same decimals; everything else
("(ẩn)", "–", "0,84 (0,64–1,12)") stays text. A contents sheet links to every table. The file is
byte-identical on every rebuild: fixed document dates and zip entry times from ``report.date``.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

from .html_blocks import Cell, Table, read_tables, squash

VI = "[$-42A]"  # Vietnamese locale of a number format: 1.234,5 and 49,7% whatever the reader's settings
NUMBER = re.compile(r"^([−-]?)(\d{1,3}(?:\.\d{3})*|\d+)(?:,(\d+))?(%?)$")


def as_number(text: str) -> tuple[float | int, str] | None:
    """'1.234,5' -> (1234.5, '#,##0.0'); '49,7%' -> (0.497, '0.0%'); None if not a number."""
    m = NUMBER.match(text)
    if not m:
        return None
    sign, whole, decimals, pct = m.groups()
    digits = whole.replace(".", "") + (f".{decimals}" if decimals else "")
    value = float(digits) if decimals else int(digits)
    value = -value if sign else value
    places = len(decimals or "")
    fmt = VI + "#,##0" + ("." + "0" * places if places else "")
    if pct:
        return value / 100, VI + "0" + ("." + "0" * places if places else "") + "%"
    return value, fmt


def write_workbook(tables: list[Table], path: str | Path, title: str, day: dt.date) -> None:
    """One sheet per table plus a contents sheet; byte-identical for the same tables and day."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.hyperlink import Hyperlink

    book = Workbook()
    contents = book.active
    contents.title = "Mục lục"
    contents.append([title])
    contents.append(["Mỗi trang tính là một bảng của báo cáo, cùng số và cùng con số như bản PDF."])
    contents["A1"].font = Font(bold=True, size=12)
    contents.append([])
    bold = Font(bold=True)
    for i, table in enumerate(tables):
        number = table.caption.split(".", 1)[0]  # "Bảng 3"
        ws = book.create_sheet(number)
        ws.append([table.caption])
        ws["A1"].font = bold
        widths: dict[int, int] = {}
        wrapped: dict[int, list[Cell]] = {}
        r = 2
        taken: set[tuple[int, int]] = set()
        for rows, is_head in ((table.head, True), (table.body, False)):
            for row in rows:
                c = 1
                for cell in row:
                    while (r, c) in taken:
                        c += 1
                    target = ws.cell(row=r, column=c)
                    parsed = None if is_head or cell.header else as_number(cell.text)
                    if parsed:
                        target.value, target.number_format = parsed
                    else:
                        target.value = cell.text
                    if is_head:
                        target.font = bold
                    centre = "center" if is_head and c > 1 else None
                    target.alignment = Alignment(wrap_text=True, vertical="top", horizontal=centre)
                    if cell.colspan > 1 or cell.rowspan > 1:
                        ws.merge_cells(
                            start_row=r,
                            start_column=c,
                            end_row=r + cell.rowspan - 1,
                            end_column=c + cell.colspan - 1,
                        )
                        taken |= {(r + i, c + j) for i in range(cell.rowspan) for j in range(cell.colspan)}
                    if cell.colspan == 1:
                        widths[c] = max(widths.get(c, 0), min(60, len(cell.text) + 2))
                    c += cell.colspan
                wrapped[r] = row
                r += 1
            if is_head:
                ws.freeze_panes = ws.cell(row=r, column=1)
        span = max([1, *widths])
        total = sum(max(8, w) for w in widths.values()) or 80
        for row_no, text, font in [(1, table.caption, bold)] + [
            (r + 1 + i, note, Font(italic=True)) for i, note in enumerate(table.notes)
        ]:
            cell = ws.cell(row=row_no, column=1, value=text)
            cell.font, cell.alignment = font, Alignment(wrap_text=True, vertical="top")
            if span > 1:
                ws.merge_cells(start_row=row_no, start_column=1, end_row=row_no, end_column=span)
            ws.row_dimensions[row_no].height = 15 * (1 + len(text) // max(20, int(total * 1.1)))
        for col, width in widths.items():
            ws.column_dimensions[get_column_letter(col)].width = max(8, width)
        for row_no, row in wrapped.items():  # Excel does not grow a row for wrapped text by itself
            lines = max(
                1 + len(cell.text) // max(1, max(8, widths.get(i + 1, 60)) - 1) for i, cell in enumerate(row)
            )
            if lines > 1:
                ws.row_dimensions[row_no].height = 15 * lines
        # printing (and PDF export) on A4, one page wide
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = "landscape" if total > 110 else "portrait"
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        link = contents.cell(row=4 + i, column=1, value=table.caption)  # after the title lines
        link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{number}'!A1")  # inside the workbook
        link.font = Font(color="0563C1", underline="single")
    contents.column_dimensions["A"].width = 100
    stamp = dt.datetime.combine(day, dt.time())
    book.properties.created = book.properties.modified = stamp
    book.properties.title = title
    book.properties.creator = "chinhquyenso"
    from ..atomic import replacing

    with replacing(path) as tmp:  # whole or not at all: a full disk leaves no half a workbook
        save_reproducibly(book.save, tmp, stamp)


def save_reproducibly(save, path: str | Path, stamp: dt.datetime) -> None:
    """``save(tmp)`` an Office file, then write it to ``path`` with no build time in it."""
    tmp = Path(str(path) + ".tmp")
    try:
        save(tmp)
        fixed_zip(tmp, Path(path), stamp)
    finally:
        tmp.unlink(missing_ok=True)


def fixed_zip(src: Path, dest: Path, stamp: dt.datetime) -> None:
    """Copy an Office file (a zip) with no build time left in it: every entry dated ``stamp``,
    and the document's created/modified dates set to it (openpyxl stamps "modified" with the
    time of saving, whatever the properties say)."""
    when = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "docProps/core.xml":
                text = data.decode("utf-8")
                for tag in ("dcterms:created", "dcterms:modified"):
                    text = re.sub(rf"(<{tag}[^>]*>)[^<]*(</{tag}>)", rf"\g<1>{when}\g<2>", text)
                data = text.encode("utf-8")
            info = zipfile.ZipInfo(item.filename, date_time=stamp.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            zout.writestr(info, data)


def workbook_from_report(html_path: str | Path, out: str | Path) -> int:
    """Rule workbook: the rendered report -> its tables workbook; the title and the date (for
    the document properties and zip times) are the report's own. Returns the number of tables."""
    html = Path(html_path).read_text(encoding="utf-8")
    title = re.search(r"<title>(.*?)</title>", html, re.S)
    created = re.search(r'name="dcterms.created" content="(\d{4}-\d{2}-\d{2})', html)
    tables = read_tables(html)
    if not tables:
        raise ValueError(f"{html_path}: báo cáo không có bảng đánh số nào")
    day = dt.date.fromisoformat(created.group(1)) if created else dt.date(2000, 1, 1)
    write_workbook(tables, out, squash(title.group(1)) if title else "Bảng số liệu", day)
    return len(tables)
