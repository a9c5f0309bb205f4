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

from .docx_styles import LANGUAGE, apply_profile, ask_to_update_fields
from .docx_tables import add_table
from .html_blocks import Block, read_blocks, squash
from .workbook import save_reproducibly

# Nghị định 30/2020/NĐ-CP: top/bottom 20–25 mm, left 30–35 mm, right 15–20 mm; Times New Roman 13
DEFAULT_PROFILE = {
    "font": "Times New Roman",
    "size_pt": 13,
    "margins_mm": {"top": 20, "bottom": 20, "left": 30, "right": 15},
    "line_spacing": 1.15,
    "space_after_pt": 6,
}


def _field_char(kind: str):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    el = OxmlElement("w:fldChar")
    el.set(qn("w:fldCharType"), kind)
    if kind == "begin":
        el.set(qn("w:dirty"), "true")  # Word updates it on opening
    return el


def _field(paragraph, instruction: str, result: str = "") -> None:
    """A Word field (PAGE...) in ``paragraph``, showing ``result`` until Word computes it."""
    _field_start(paragraph, instruction)
    paragraph.add_run(result)
    paragraph.add_run()._r.append(_field_char("end"))


def _field_start(paragraph, instruction: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    paragraph.add_run()._r.append(_field_char("begin"))
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = instruction
    paragraph.add_run()._r.append(instr)
    paragraph.add_run()._r.append(_field_char("separate"))


def _contents(doc, headings: list[tuple[int, str]]) -> None:
    """The table of contents: a TOC field whose result already lists the headings, one
    paragraph each in Word's "toc 1"/"toc 2" styles (page numbers come when Word updates it; a
    program that never updates fields still shows the list)."""
    doc.add_paragraph("Mục lục", style="TOC Heading")
    entries = headings or [(2, "")]
    for i, (level, text) in enumerate(entries):
        paragraph = doc.add_paragraph(style="toc 1" if level <= 2 else "toc 2")
        if i == 0:
            _field_start(paragraph, 'TOC \\o "1-2" \\h \\z \\u')
        paragraph.add_run(text)
        if i == len(entries) - 1:
            paragraph.add_run()._r.append(_field_char("end"))


def _add_figure(doc, block: Block, width) -> None:
    """A chart: its caption above, the PNG with the report's alt text as the picture's
    description (what a screen reader says in Word), its notes below."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    caption = doc.add_paragraph(block.text, style="Caption")
    caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption.paragraph_format.keep_with_next = True
    png = Path(block.image.removeprefix("file://")).with_suffix(".png")
    if not png.exists():  # never a report with a chart silently missing
        raise FileNotFoundError(f"{png}: thiếu ảnh PNG của «{block.text}» cho báo cáo Word")
    shape = doc.add_picture(str(png), width=width)
    shape._inline.docPr.set("descr", block.alt or block.text)
    doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for note in block.notes:
        doc.add_paragraph().add_run(note).italic = True


def _add_quote_line(doc, block: Block) -> None:
    """An interview quote (indented, italic), its attribution (indented, right-aligned, the
    quote kept with it) or the line introducing them (kept with the first), as the PDF prints them."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    p = doc.add_paragraph()
    fmt = p.paragraph_format
    if "quote-lead" in block.cls:  # the line that introduces the quotes stays with the first
        p.add_run(block.text)
        p.alignment, fmt.keep_with_next = WD_ALIGN_PARAGRAPH.JUSTIFY, True
        return
    fmt.left_indent, fmt.right_indent = Mm(10), Mm(8)
    run = p.add_run(block.text)
    if "quote-text" in block.cls:
        run.italic = True
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        fmt.keep_with_next, fmt.space_after = True, Pt(0)
    else:
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        run.font.size = Pt(9.5)


def _page(doc, margins: dict) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(margins["top"]), Mm(margins["bottom"])
    section.left_margin, section.right_margin = Mm(margins["left"]), Mm(margins["right"])
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _field(footer, "PAGE", "1")


def write_docx(
    blocks: list[Block], path: str | Path, profile: dict, day: dt.date, title: str, author: str
) -> None:
    """The Word report; byte-identical for the same blocks, profile and day."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.shared import Cm, Mm

    profile = {**DEFAULT_PROFILE, **(profile or {})}
    margins = {**DEFAULT_PROFILE["margins_mm"], **profile.get("margins_mm", {})}
    text_width = 210 - margins["left"] - margins["right"]
    doc = Document()
    _page(doc, margins)
    apply_profile(doc, profile)

    in_cover, in_abstract = True, False
    for block in blocks:
        if block.kind == "heading" and "abstract-title" in block.cls:
            in_abstract = True  # front matter (Tóm tắt / Abstract) stays before the contents
            if doc.paragraphs[-1].text:
                doc.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)
        elif block.kind == "heading" and block.level >= 2 and in_cover:
            in_cover = False  # the cover ends: contents on a page of their own
            doc.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)
            _contents(doc, [(b.level, b.text) for b in blocks if b.kind == "heading" and b.level >= 2])
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        if block.kind == "heading":
            if block.level == 1:
                doc.add_paragraph(block.text, style="Title").alignment = WD_ALIGN_PARAGRAPH.CENTER
                continue
            if block.text.startswith("Phụ lục"):
                doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
            doc.add_paragraph(block.text, style="Heading 1" if block.level == 2 else "Heading 2")
        elif block.kind == "para" and {"quote-lead", "quote-text", "quote-by"} & set(block.cls.split()):
            _add_quote_line(doc, block)
        elif block.kind == "para":
            p = doc.add_paragraph(block.text)
            centred = in_cover and not in_abstract
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER if centred else WD_ALIGN_PARAGRAPH.JUSTIFY
        elif block.kind == "table" and block.table is not None:
            caption = doc.add_paragraph(block.text, style="Caption")
            caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
            caption.paragraph_format.keep_with_next = True
            add_table(doc, block.table, profile, text_width)
            for note in block.table.notes:
                doc.add_paragraph().add_run(note).italic = True
        elif block.kind == "figure":
            _add_figure(doc, block, Cm(15) if "du_doan" in Path(block.image).name else Mm(text_width))

    ask_to_update_fields(doc)
    stamp = dt.datetime.combine(day, dt.time())
    props = doc.core_properties
    props.title, props.author, props.last_modified_by = title, author, author
    props.created = props.modified = stamp
    props.revision, props.language = 1, LANGUAGE
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
