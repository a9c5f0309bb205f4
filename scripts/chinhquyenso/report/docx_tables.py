"""The report's tables as Word tables, sized to their content as a journal's editor sizes them:
label columns wide, number columns as narrow as their widest value, all within the text width,
and numbers never broken across lines.

Widths are computed here, not left to the word processor: a fixed layout is the one Word and
LibreOffice draw alike. Text widths are measured with Times New Roman's advance widths (those
of its metric twin Liberation Serif), so no font file is read and the bytes do not depend on the
machine. Inside a number nothing may break: a no-break space after "<" ("< 0,001") and word
joiners (U+2060) around an en dash or a slash between digits ("0,64–1,12", "20/22"), which
LibreOffice honours; the widths leave room for every number on one line anyway.
"""

from __future__ import annotations

import re
import unicodedata

from .html_blocks import Cell, Table

NBSP, WJ = "\u00a0", "\u2060"
# Advance widths (1/1000 em) of Times New Roman's printable ASCII, U+0020 to U+007E.
_ASCII = (
    "250 333 408 500 500 833 778 180 333 333 500 564 250 333 250 278 500 500 500 500 500 500 500 "
    "500 500 500 278 278 564 564 564 444 921 722 667 667 722 611 556 722 722 333 389 722 611 889 "
    "722 722 556 722 667 556 611 722 722 944 722 722 611 333 278 333 469 500 333 444 500 444 500 "
    "444 333 500 500 278 278 500 278 778 500 500 500 500 333 389 278 500 500 722 500 500 444 480 "
    "200 480 541"
)
WIDTHS = dict(zip(map(chr, range(32, 127)), map(int, _ASCII.split()), strict=True))
WIDTHS.update({"–": 500, "−": 564, "«": 500, "»": 500, "…": 1000, "đ": 500, "Đ": 722, "χ": 549})
WIDTHS.update({"ơ": 520, "Ơ": 780, "ư": 540, "Ư": 760, NBSP: 250, WJ: 0, "²": 300, "≤": 549, "≥": 549})
NUMERIC = re.compile(r"^[\d.,+−<>()–* /%\u00a0\u2060]+$")
CELL_PADDING_MM = 2 * 40 / 56.7 + 0.8  # the 40-twip cell margins (docx_report) and a little air
# a label column grows to the first width before short columns take their whole text (a few
# words a line, not one), to the second after them
LABEL_MM = (25.0, 38.0)
SHORT_MM = 35.0  # a column whose longest text fits in this is kept on one line when it can be
PLACEHOLDERS = {"(ẩn)", "–", "—"}  # suppressed or empty values, aligned with the numbers


def keep_together(text: str) -> str:
    """A cell's text with no line break possible inside a number, an interval or "< 0,001"."""
    text = re.sub(r"([<>≤≥]) (?=[\d−])", rf"\1{NBSP}", text)
    return re.sub(r"(?<=[\d)])\s*([–/])\s*(?=[\d−(])", rf"{WJ}\1{WJ}", text)


def as_printed(text: str) -> str:
    """The cell's text as the report prints it (word joiners out, no-break spaces as spaces)."""
    return text.replace(WJ, "").replace(NBSP, " ")


def text_mm(text: str, size_pt: float, bold: bool = False) -> float:
    """The width of ``text`` set in Times New Roman at ``size_pt`` points, in millimetres."""
    units = 0
    for ch in text:
        base = unicodedata.normalize("NFD", ch)[0]  # "ế" is as wide as "e"
        units += WIDTHS.get(ch, WIDTHS.get(base, 556))
    return units / 1000 * size_pt * (1.06 if bold else 1.0) * 25.4 / 72


def place(table: Table) -> tuple[dict[tuple[int, int], Cell], int]:
    """Every cell on a grid (rowspans take cells of the rows below): {(row, column): cell}, and
    the number of columns."""
    grid: dict[tuple[int, int], Cell] = {}
    taken: set[tuple[int, int]] = set()
    for r, row in enumerate(table.head + table.body):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            grid[(r, c)] = cell
            taken |= {(r + i, c + j) for i in range(cell.rowspan) for j in range(cell.colspan)}
            c += cell.colspan
    width = max((c + cell.colspan for (_r, c), cell in grid.items()), default=1)
    return grid, width


def column_widths(table: Table, size_pt: float, text_width_mm: float) -> list[float]:
    """Column widths (mm) from the content. Each column starts as wide as its longest
    unbreakable piece (a whole number, a word of a label), then grows, while there is room, in
    this order: label columns to a readable width, short columns (values, dates, names) to their
    whole text on one line, labels wider, then every column toward its longest text."""
    low, high, whole = _bounds(table, size_pt)
    if sum(whole) <= text_width_mm:
        return whole  # every cell on one line: the table as wide as its content
    if sum(low) >= text_width_mm:  # even the unbreakable pieces overflow: shrink all alike
        return [w * text_width_mm / sum(low) for w in low]
    widths = list(low)

    def labels(mm: float) -> list[float]:
        return [min(hi, mm) if hi > 2 * lo else lo for lo, hi in zip(low, high, strict=True)]

    short = [hi if hi <= SHORT_MM else lo for lo, hi in zip(low, high, strict=True)]
    for target in (labels(LABEL_MM[0]), short, labels(LABEL_MM[1]), high, whole):
        widths = _grow(widths, target, text_width_mm - sum(widths))
    return widths


def _grow(widths: list[float], target: list[float], room: float) -> list[float]:
    """``widths`` moved toward ``target``, all alike, as far as ``room`` allows."""
    need = [max(0.0, t - w) for w, t in zip(widths, target, strict=True)]
    share = min(1.0, room / sum(need)) if sum(need) > 0 else 0.0
    return [w + n * share for w, n in zip(widths, need, strict=True)]


def _bounds(table: Table, size_pt: float) -> tuple[list[float], list[float]]:
    """Each column's narrowest and widest width (mm): its longest unbreakable piece, its longest
    text with a header on two lines, its longest text on one line. A cell spanning columns (a
    group header) may wrap: it asks only for its longest word."""
    grid, width = place(table)
    low, high, whole = [0.0] * width, [0.0] * width, [0.0] * width
    spans = []
    for (r, c), cell in grid.items():
        bold = r < len(table.head)
        text = keep_together(cell.text)
        need_low = max((text_mm(w, size_pt, bold) for w in text.split(" ")), default=0) + CELL_PADDING_MM
        need_whole = text_mm(text, size_pt, bold) + CELL_PADDING_MM
        # a header may take two lines: the body's values decide the column's width
        need_high = max(need_low, need_whole / 2 + CELL_PADDING_MM) if bold else need_whole
        if cell.colspan == 1:
            low[c], high[c] = max(low[c], need_low), max(high[c], need_high)
            whole[c] = max(whole[c], need_whole)
        else:
            spans.append((c, cell.colspan, need_low))
    for c, span, need in spans:
        short = max(0.0, need - sum(low[c : c + span]))
        for j in range(c, c + span):
            low[j] += short / span
            high[j], whole[j] = max(high[j], low[j]), max(whole[j], low[j])
    return low, high, whole


def is_number_cell(text: str) -> bool:
    from .workbook import as_number

    return bool(as_number(text) or NUMERIC.match(text) or text in PLACEHOLDERS)


def add_table(doc, table: Table, profile: dict, text_width_mm: float) -> None:
    """``table`` as a Word table: header rows bold and repeated on each page (w:tblHeader),
    numbers right-aligned and unbreakable, widths from the content."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    grid, width = place(table)
    rows = len(table.head) + len(table.body)
    size = 7.5 if width > 10 else max(9, profile["size_pt"] - 2)  # levels × (n, %): smaller type
    widths = column_widths(table, size, text_width_mm)
    out = doc.add_table(rows=rows, cols=width)
    out.style = "Table Grid"
    out.alignment = WD_TABLE_ALIGNMENT.CENTER
    out.autofit = False  # a fixed layout: Word and LibreOffice draw the same widths
    # Every cell taken once, before any merge: ``Table.cell`` walks the whole table at each call
    # (a 100-row table took seconds). A merge removes only cells of its own span, never placed.
    cells = [row.cells for row in out.rows]
    for (r, c), cell in grid.items():
        target = cells[r][c]
        if cell.rowspan > 1 or cell.colspan > 1:
            target = target.merge(cells[min(r + cell.rowspan, rows) - 1][min(c + cell.colspan, width) - 1])
        paragraph = target.paragraphs[0]
        run = paragraph.add_run(keep_together(cell.text))
        run.font.size = Pt(size)
        run.bold = r < len(table.head)
        paragraph.paragraph_format.space_after = Pt(0)
        if r < len(table.head) and c > 0:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif c > 0 and is_number_cell(cell.text):
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for r in range(len(table.head)):
        _repeat_header(out.rows[r])
    _table_properties(out, sum(widths))
    for c, column in enumerate(out.columns):
        column.width = Mm(widths[c])  # the table grid (LibreOffice reads this)
    for row in out.rows:
        for c, cell in enumerate(row.cells):
            cell.width = Mm(widths[c])  # each cell (Word reads this)


def _repeat_header(row) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(el)


def _table_properties(table, width_mm: float) -> None:
    """The table's width (the sum of its columns) and left/right cell padding of 40 twips,
    about 0.7 mm (Word's default is 1.9 mm): wide tables fit."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tbl_pr = table._tbl.tblPr
    tbl_w = tbl_pr.find(qn("w:tblW"))
    if tbl_w is None:
        tbl_w = OxmlElement("w:tblW")
        tbl_pr.append(tbl_w)
    tbl_w.set(qn("w:w"), str(round(width_mm * 56.6929)))  # twips
    tbl_w.set(qn("w:type"), "dxa")
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), "40")
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    look = tbl_pr.find(qn("w:tblLook"))  # the schema's order: tblCellMar comes before tblLook
    if look is None:
        tbl_pr.append(margins)
    else:
        look.addprevious(margins)
