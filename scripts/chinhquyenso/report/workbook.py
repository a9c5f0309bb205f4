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
MARKED = re.compile(r"^(.*?)\s*(\*)$")  # a value the report marks as not verified: "35*"
LINE_PT = 15  # the height of one line of Calibri 11 (openpyxl's default font), in points


def as_number(text: str) -> tuple[float | int, str] | None:
    """'1.234,5' -> (1234.5, '#,##0.0'); '49,7%' -> (0.497, '0.0%'); '2022' -> (2022, '0');
    None if not a number."""
    m = NUMBER.match(text)
    if not m:
        return None
    sign, whole, decimals, pct = m.groups()
    if len(whole) > 1 and whole.startswith("0"):
        return None  # a code ("01"): a number would lose its zero
    if len(whole) >= 4 and "." not in whole and not (decimals or pct or sign):
        return int(whole), VI + "0"  # a year or a code (2022): the report prints it with no separator
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
    from openpyxl.styles import Font
    from openpyxl.worksheet.hyperlink import Hyperlink

    book = Workbook()
    contents = book.active
    contents.title = "Mục lục"
    contents.append([title])
    contents.append(["Mỗi trang tính là một bảng của báo cáo, cùng số và cùng con số như bản PDF."])
    contents["A1"].font = Font(bold=True, size=12)
    contents.append([])
    for i, table in enumerate(tables):
        number = table.caption.split(".", 1)[0]  # "Bảng 3"
        write_sheet(book.create_sheet(number), table)
        link = contents.cell(row=4 + i, column=1, value=table.caption)  # after the title lines
        link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{number}'!A1")  # inside the workbook
        link.font = Font(color="0563C1", underline="single")
    contents.column_dimensions["A"].width = 100
    print_on_a4(contents, 100)
    stamp = dt.datetime.combine(day, dt.time())
    book.properties.created = book.properties.modified = stamp
    book.properties.title = title
    book.properties.creator = "chinhquyenso"
    from ..atomic import replacing

    with replacing(path) as tmp:  # whole or not at all: a full disk leaves no half a workbook
        save_reproducibly(book.save, tmp, stamp)


def split_mark(text: str) -> tuple[str, str]:
    """'35*' -> ('35', '*'): a value and its verification mark ("*": not verified)."""
    m = MARKED.match(text)
    return (m.group(1), m.group(2)) if m else (text, "")


def sheet_columns(table: Table) -> tuple[dict[tuple[int, int], Cell], list[int], set[int]]:
    """The table on its grid, the sheet column (1-based) of each grid column, and the grid
    columns whose values carry a verification mark: each of those gets a column of its own
    for the mark, right after it, so the values stay numbers."""
    from .docx_tables import place

    grid, width = place(table)
    head = len(table.head)
    marked = {
        c for (r, c), cell in grid.items() if r >= head and cell.colspan == 1 and split_mark(cell.text)[1]
    }
    columns, at = [], 1
    for c in range(width):
        columns.append(at)
        at += 2 if c in marked else 1
    return grid, columns, marked


def write_sheet(ws, table: Table) -> None:
    """One table: caption, header rows (frozen, merged as in the report), body, notes; numbers
    as numbers with the report's decimals, each mark in the column after its value."""
    from openpyxl.styles import Alignment, Font

    grid, columns, marked = sheet_columns(table)
    head = len(table.head)
    last = columns[-1] + (1 if len(columns) - 1 in marked else 0)
    # (sheet row, first column, last column) -> text: for the widths and the rows' heights
    texts: dict[tuple[int, int, int], str] = {}
    headers: set[tuple[int, int, int]] = set()
    for (r, c), cell in grid.items():
        row, col = r + 2, columns[c]
        end = c + cell.colspan - 1
        alone = r >= head and cell.colspan == 1  # a value: its mark, if any, in the next column
        end_col = columns[end] + (1 if end in marked and not alone else 0)
        text, mark = split_mark(cell.text) if alone else (cell.text, "")
        target = ws.cell(row=row, column=col)
        parsed = None if r < head or cell.header else as_number(text)
        if parsed:
            target.value, target.number_format = parsed
        else:
            target.value = text
        if c in marked and alone:
            ws.cell(row=row, column=col + 1, value=mark or None).alignment = Alignment(vertical="top")
        target.font = Font(bold=r < head)
        centre = "center" if r < head and c > 0 else None
        target.alignment = Alignment(wrap_text=True, vertical="top", horizontal=centre)
        if cell.rowspan > 1 or end_col > col:
            ws.merge_cells(
                start_row=row, start_column=col, end_row=row + cell.rowspan - 1, end_column=end_col
            )
        if cell.rowspan == 1:
            texts[(row, col, end_col)] = text
            if r < head:
                headers.add((row, col, end_col))
    ws.freeze_panes = ws.cell(row=head + 2, column=1)
    widths = _widths(texts, headers, last, {columns[c] + 1 for c in marked})
    _row_heights(ws, texts, widths)
    below = len(table.head) + len(table.body) + 3
    notes = [(1, table.caption, Font(bold=True))] + [
        (below + i, n, Font(italic=True)) for i, n in enumerate(table.notes)
    ]
    for row_no, text, font in notes:  # caption above, notes below: across the table, wrapped
        cell = ws.cell(row=row_no, column=1, value=text)
        cell.font, cell.alignment = font, Alignment(wrap_text=True, vertical="top")
        if last > 1:
            ws.merge_cells(start_row=row_no, start_column=1, end_row=row_no, end_column=last)
        ws.row_dimensions[row_no].height = LINE_PT * _lines(text, sum(widths.values()))
    ws.print_title_rows = f"2:{head + 1}"  # the header rows again on every printed page
    print_on_a4(ws, sum(widths.values()))


def _widths(
    texts: dict[tuple[int, int, int], str], headers: set, last: int, marks: set[int]
) -> dict[int, float]:
    """Column widths (characters): as wide as the longest value, within 6–45 (a header may wrap
    once: half its text, or its longest word); a mark column 3. A cell across columns (a header
    over a value and its mark) widens the first of them if they are too narrow together."""
    widths = {col: 3.0 if col in marks else 6.0 for col in range(1, last + 1)}
    for key in sorted(texts, key=lambda k: k[2] - k[1]):  # single columns first
        row, first, end = key
        need = len(texts[key])
        if key in headers:
            need = max([len(w) for w in texts[key].split()] + [(need + 1) // 2])
        need = min(45.0, need * 1.1 + 2)
        short = need - sum(widths[c] for c in range(first, end + 1))
        if short > 0 and first not in marks:
            widths[first] += short
    return widths


def _row_heights(ws, texts: dict[tuple[int, int, int], str], widths: dict[int, float]) -> None:
    """Widths set, and each row as tall as its most wrapped cell (Excel does not grow a row
    for wrapped text by itself): no clipped text, no empty bands."""
    from openpyxl.utils import get_column_letter

    for col, width in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = width
    lines: dict[int, int] = {}
    for (row, first, end), text in texts.items():
        width = sum(widths[c] for c in range(first, end + 1))
        lines[row] = max(lines.get(row, 1), _lines(text, width))
    for row, n in lines.items():
        if n > 1:
            ws.row_dimensions[row].height = LINE_PT * n


def _lines(text: str, width: float) -> int:
    """Lines ``text`` takes in a column ``width`` characters wide (words are not split)."""
    lines, used = 1, 0.0
    for word in text.split():
        size = len(word) * 0.95 + 1  # a letter is narrower than the digit a width unit counts
        if used and used + size > width - 1:
            lines, used = lines + 1, 0.0
        used += size
    return lines


def print_on_a4(ws, width: float) -> None:
    """Printing (and PDF export) on A4, one page wide, as many pages down as the table needs;
    landscape when the columns are too wide for a portrait page at a readable size."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if width > 110 else "portrait"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


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
