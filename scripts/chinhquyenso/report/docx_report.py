"""The report as an editable Word file (results/report/bao_cao.docx), from the rendered report,
so every number, caption and table number is the one the PDF prints.

Real Word structure, so authors can submit and editors can track changes: headings with Word's
heading styles and a TOC field Word fills in on opening; tables as Word tables (header rows
repeated on each page, numbers right-aligned) with "Bảng n." above and "Nguồn: …" below; figures
as the PNG charts at print resolution with "Biểu đồ n." above; page numbers in the footer. The
style profile (font, size, margins, spacing) comes from config ``report.docx``. Byte-identical
on every rebuild: fixed document properties and zip entry times from the report's date.
"""

from __future__ import annotations

import datetime as dt
import html as html_lib
import re
from pathlib import Path

from .html_blocks import Block, Cell, Table, read_blocks, squash
from .workbook import save_reproducibly

# Nghị định 30/2020/NĐ-CP: top/bottom 20–25 mm, left 30–35 mm, right 15–20 mm; Times New Roman 13
DEFAULT_PROFILE = {
    "font": "Times New Roman",
    "size_pt": 13,
    "margins_mm": {"top": 20, "bottom": 20, "left": 30, "right": 15},
    "line_spacing": 1.15,
    "space_after_pt": 6,
}


def _field(paragraph, instruction: str, placeholder: str | list[str] = "") -> None:
    """A Word field (TOC, PAGE...) in ``paragraph``; Word computes its result."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def char(kind):
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        if kind == "begin":
            el.set(qn("w:dirty"), "true")  # Word updates it on opening
        return el

    run = paragraph.add_run()
    run._r.append(char("begin"))
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = instruction
    paragraph.add_run()._r.append(instr)
    paragraph.add_run()._r.append(char("separate"))
    # the result shown until the field is updated (programs that never update fields show it)
    for i, line in enumerate([placeholder] if isinstance(placeholder, str) else placeholder):
        if i:
            paragraph.add_run().add_break()
        paragraph.add_run(line)
    paragraph.add_run()._r.append(char("end"))


def _repeat_header(row) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(el)


def _narrow_cell_margins(table, twips: int = 40) -> None:
    """Left/right cell padding of about 0.7 mm (Word's default is 1.9 mm): wide tables fit."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(twips))
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    table._tbl.tblPr.append(margins)


def _font(style, name: str, size: float | None = None, bold: bool | None = None) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    style.font.name = name
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)
    if size:
        style.font.size = Pt(size)
    if bold is not None:
        style.font.bold = bold
    style.font.color.rgb = RGBColor(0, 0, 0)


def _add_table(doc, table: Table, profile: dict, text_width_mm: float) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    from .workbook import as_number

    rows = table.head + table.body
    width = max(sum(c.colspan for c in row) for row in rows) if rows else 1
    # rowspans take cells of the rows below: place every cell on a grid first
    grid: dict[tuple[int, int], tuple[Cell, int, int]] = {}
    taken: set[tuple[int, int]] = set()
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            grid[(r, c)] = (cell, cell.rowspan, cell.colspan)
            taken |= {(r + i, c + j) for i in range(cell.rowspan) for j in range(cell.colspan)}
            c += cell.colspan
    out = doc.add_table(rows=len(rows), cols=width)
    out.style = "Table Grid"
    out.alignment = WD_TABLE_ALIGNMENT.CENTER
    out.autofit = False
    # column widths from the longest text of each column (labels wide, numbers narrow)
    wide = width > 10  # e.g. levels × (n, %): a smaller type and narrower labels
    need = [3] * width
    for (_r, c), (cell, _rs, colspan) in grid.items():
        if colspan == 1:
            need[c] = max(need[c], min(20 if wide else 32, len(cell.text)))
    # value columns as wide as their longest text (numbers never wrap), labels take the rest
    size = 7.5 if wide else max(9, profile["size_pt"] - 2)
    char_mm = 0.19 * size
    widths = [(n + 1) * char_mm + 1.5 for n in need]  # + the narrow cell margins set below
    label = need.index(max(need))  # the widest text: the label column gets what is left
    widths[label] = max(25.0, text_width_mm - sum(widths) + widths[label])
    if sum(widths) > text_width_mm:  # too many columns even so: shrink all alike
        widths = [w * text_width_mm / sum(widths) for w in widths]
    small = Pt(size)
    for (r, c), (cell, rowspan, colspan) in grid.items():
        target = out.cell(r, c)
        if rowspan > 1 or colspan > 1:
            target = target.merge(out.cell(min(r + rowspan, len(rows)) - 1, min(c + colspan, width) - 1))
        paragraph = target.paragraphs[0]
        run = paragraph.add_run(cell.text)
        run.font.size = small
        run.bold = r < len(table.head)
        paragraph.paragraph_format.space_after = Pt(0)
        if r < len(table.head) and c > 0:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif c > 0 and (as_number(cell.text) or re.match(r"^[\d.,−<>()–* /%]+$", cell.text)):
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for r in range(len(table.head)):
        _repeat_header(out.rows[r])
    from docx.shared import Mm

    _narrow_cell_margins(out)
    for c, column in enumerate(out.columns):
        column.width = Mm(widths[c])  # the table grid (LibreOffice reads this)
    for row in out.rows:
        for c, cell in enumerate(row.cells):
            cell.width = Mm(widths[c])  # each cell (Word reads this)


def write_docx(
    blocks: list[Block], path: str | Path, profile: dict, day: dt.date, title: str, author: str
) -> None:
    """The Word report; byte-identical for the same blocks, profile and day."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.shared import Cm, Mm, Pt

    profile = {**DEFAULT_PROFILE, **(profile or {})}
    margins = {**DEFAULT_PROFILE["margins_mm"], **profile.get("margins_mm", {})}
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(margins["top"]), Mm(margins["bottom"])
    section.left_margin, section.right_margin = Mm(margins["left"]), Mm(margins["right"])
    normal = doc.styles["Normal"]
    _font(normal, profile["font"], profile["size_pt"])
    normal.paragraph_format.line_spacing = profile["line_spacing"]
    normal.paragraph_format.space_after = Pt(profile["space_after_pt"])
    for name, size in (("Title", profile["size_pt"] + 5), ("Heading 1", profile["size_pt"] + 1),
                       ("Heading 2", profile["size_pt"]), ("Caption", profile["size_pt"] - 1)):  # fmt: skip
        _font(doc.styles[name], profile["font"], size, bold=True)
    doc.styles["Caption"].font.italic = False
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _field(footer, "PAGE", "1")

    in_cover, in_abstract = True, False
    for block in blocks:
        if block.kind == "heading" and "abstract-title" in block.cls:
            in_abstract = True  # front matter (Tóm tắt / Abstract) stays before the contents
            if doc.paragraphs[-1].text:
                doc.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)
        elif block.kind == "heading" and block.level >= 2 and in_cover:
            in_cover = False  # the cover ends: contents on a page of their own, Word fills them
            doc.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)
            doc.add_paragraph("Mục lục", style="Heading 1")
            headings = [b.text for b in blocks if b.kind == "heading" and b.level >= 2]
            _field(doc.add_paragraph(), 'TOC \\o "1-2" \\h \\z \\u', headings)
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        if block.kind == "heading":
            if block.level == 1:
                doc.add_paragraph(block.text, style="Title").alignment = WD_ALIGN_PARAGRAPH.CENTER
                continue
            if block.text.startswith("Phụ lục"):
                doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
            doc.add_paragraph(block.text, style="Heading 1" if block.level == 2 else "Heading 2")
        elif block.kind == "para":
            p = doc.add_paragraph(block.text)
            if in_cover and not in_abstract:
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            else:
                p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        elif block.kind == "table" and block.table is not None:
            caption = doc.add_paragraph(block.text, style="Caption")
            caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
            caption.paragraph_format.keep_with_next = True
            _add_table(doc, block.table, profile, 210 - margins["left"] - margins["right"])
            for note in block.table.notes:
                note_p = doc.add_paragraph()
                note_p.add_run(note).italic = True
        elif block.kind == "figure":
            caption = doc.add_paragraph(block.text, style="Caption")
            caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
            caption.paragraph_format.keep_with_next = True
            png = Path(block.image.removeprefix("file://")).with_suffix(".png")
            if not png.exists():  # never a report with a chart silently missing
                raise FileNotFoundError(f"{png}: thiếu ảnh PNG của «{block.text}» cho báo cáo Word")
            width = Mm(210 - margins["left"] - margins["right"]) if "du_doan" not in png.name else Cm(15)
            doc.add_picture(str(png), width=width)
            doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
            for note in block.notes:
                doc.add_paragraph().add_run(note).italic = True

    settings = doc.settings.element
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.append(update)
    stamp = dt.datetime.combine(day, dt.time())
    props = doc.core_properties
    props.title, props.author, props.last_modified_by = title, author, author
    props.created = props.modified = stamp
    props.revision = 1
    from ..atomic import replacing

    with replacing(path) as tmp:  # whole or not at all: a full disk leaves no half a document
        save_reproducibly(doc.save, tmp, stamp)


def docx_from_report(html_path: str | Path, out: str | Path, profile: dict) -> int:
    """Rule word_report: the rendered report -> Word; returns the number of tables."""
    html = Path(html_path).read_text(encoding="utf-8")
    title = re.search(r"<title>(.*?)</title>", html, re.S)
    author = re.search(r'<meta name="author" content="([^"]*)"', html)
    created = re.search(r'name="dcterms.created" content="(\d{4}-\d{2}-\d{2})', html)
    blocks = read_blocks(html)
    day = dt.date.fromisoformat(created.group(1)) if created else dt.date(2000, 1, 1)
    # the HTML escapes them ("&amp;"); the document's properties hold the text itself
    title_text = html_lib.unescape(squash(title.group(1))) if title else ""
    write_docx(blocks, out, profile, day, title_text, html_lib.unescape(author.group(1)) if author else "")
    return sum(1 for b in blocks if b.kind == "table")
