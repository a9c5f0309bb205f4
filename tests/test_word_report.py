"""The report as a Word file: real headings and a TOC field, tables with repeated header rows
and the report's numbers, captions numbered as in the PDF, the style profile, byte-identical
rebuilds, opened by a real word processor."""

import datetime as dt
import os
import re
import shutil
import time

import pytest
from docx import Document
from docx.shared import Mm, Pt

from chinhquyenso.report.docx_report import write_docx
from chinhquyenso.report.docx_tables import NBSP, WJ, as_printed, text_mm
from chinhquyenso.report.html_blocks import read_blocks, read_tables, squash
from conftest import libreoffice_pdf_text

PROFILE = {
    "font": "Times New Roman",
    "size_pt": 14,
    "margins_mm": {"top": 25, "bottom": 25, "left": 30, "right": 20},
}


@pytest.fixture(scope="module")
def docx_path(report_html, tmp_path_factory):
    path = tmp_path_factory.mktemp("docx") / "bao_cao.docx"
    write_docx(read_blocks(report_html), path, PROFILE, dt.date(2026, 11, 22), "Báo cáo", "Nhóm nghiên cứu")
    return path


def test_headings_tables_and_captions_as_in_the_report(report_html, docx_path):
    doc = Document(docx_path)
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    html_headings = [
        re.sub(r"<[^>]+>", "", h) for h in re.findall(r"<h2[^>]*id=[^>]*>(.*?)</h2>", report_html)
    ]
    assert headings == html_headings and "2. Dữ liệu và phương pháp" in headings
    # the contents' title is outside the outline: the contents do not list themselves
    assert [p.text for p in doc.paragraphs if p.style.name == "TOC Heading"] == ["Mục lục"]
    captions = [p.text for p in doc.paragraphs if p.style.name == "Caption"]
    tables = read_tables(report_html)
    assert [c for c in captions if c.startswith("Bảng ")] == [t.caption for t in tables]
    assert len(doc.tables) == len(tables)
    first = doc.tables[0]
    cells = [c.text for row in first.rows for c in row.cells]
    assert "179" in cells and "49,7" in cells  # the report's numbers, as printed
    header = first.rows[0]._tr.trPr
    assert (
        header is not None
        and header.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblHeader") is not None
    )
    assert "w:instrText" in doc.element.xml and 'TOC \\o "1-2"' in doc.element.xml  # a field Word updates


def test_style_profile_fonts_and_margins(docx_path):
    doc = Document(docx_path)
    normal = doc.styles["Normal"].font
    assert normal.name == "Times New Roman" and normal.size == Pt(14)
    section = doc.sections[0]
    got = (section.top_margin, section.left_margin, section.right_margin)
    assert all(abs(a - b) < Mm(0.1) for a, b in zip(got, (Mm(25), Mm(30), Mm(20)), strict=True))  # twips
    assert "PAGE" in section.footer.paragraphs[0]._p.xml  # page numbers


def test_demo_notice_and_sources_are_kept(docx_path):
    text = "\n".join(p.text for p in Document(docx_path).paragraphs)
    assert "Dữ liệu minh họa." in text and "Nguồn: Dữ liệu minh họa, khảo sát năm 2023." in text


def test_byte_identical_on_a_rebuild(report_html, tmp_path):
    blocks = read_blocks(report_html)
    write_docx(blocks, tmp_path / "a.docx", PROFILE, dt.date(2026, 11, 22), "Báo cáo", "Nhóm")
    time.sleep(1.1)
    write_docx(blocks, tmp_path / "b.docx", PROFILE, dt.date(2026, 11, 22), "Báo cáo", "Nhóm")
    assert (tmp_path / "a.docx").read_bytes() == (tmp_path / "b.docx").read_bytes()
    assert Document(tmp_path / "a.docx").core_properties.created == dt.datetime(2026, 11, 22, tzinfo=dt.UTC)


@pytest.mark.skipif(
    not shutil.which("soffice") and not os.environ.get("REQUIRE_LIBREOFFICE"),
    reason="LibreOffice not installed (.ci/run installs libreoffice-writer-nogui)",
)
def test_libreoffice_opens_the_word_report(docx_path, tmp_path):
    text = libreoffice_pdf_text(docx_path, tmp_path)
    assert "Bảng 1. Cơ cấu giới tính" in text and "49,7" in text and "2. Dữ liệu và phương pháp" in text


def test_front_matter_in_two_languages_in_the_pdf_html_and_the_word_file(report_context, tmp_path):
    import yaml

    from chinhquyenso import report
    from chinhquyenso.report.context import _meta
    from conftest import ROOT

    config = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
    config["report"].update(
        title_en="Young civil servants in building digital government",
        abstract_vi="Bài viết phân tích sự tham gia của chuyên viên trẻ.",
        abstract_en="The article analyses how young civil servants take part.",
        keywords_en=["digital government", "survey"],
    )
    meta = _meta(config, dt.date(2026, 11, 22), ["TPHCM"])
    assert meta["tieu_de_en"].startswith("Young") and meta["tu_khoa_en"] == ["digital government", "survey"]
    html = report.render_html(
        {**report_context, "meta": {**report_context["meta"], **meta}}, ROOT / "workflow/templates"
    )
    front = html[html.index('<section class="abstract">') : html.index('<nav class="toc">')]
    for text in (
        "Tóm tắt",
        "Bài viết phân tích",
        "Abstract",
        "Young civil servants",
        "Keywords:</strong> digital government; survey",
    ):
        assert text in front, text
    path = tmp_path / "x.docx"
    write_docx(read_blocks(html), path, {}, dt.date(2026, 11, 22), "x", "y")
    paragraphs = [p.text for p in Document(path).paragraphs]
    assert paragraphs.index("Abstract") < paragraphs.index("Mục lục")  # front matter before contents
    assert "The article analyses how young civil servants take part." in paragraphs
    assert "Tóm tắt" not in report.render_html(report_context, ROOT / "workflow/templates")  # only when set


def test_a_chart_without_its_png_stops_the_word_report(report_html, tmp_path):
    from chinhquyenso.report.html_blocks import Block

    blocks = [
        *read_blocks(report_html),
        Block("figure", "Biểu đồ 9. Thử", image=str(tmp_path / "khong_co.svg")),
    ]
    with pytest.raises(FileNotFoundError, match="khong_co.png: thiếu ảnh PNG của «Biểu đồ 9. Thử»"):
        write_docx(blocks, tmp_path / "x.docx", {}, dt.date(2026, 11, 22), "x", "y")
    assert not list(tmp_path.glob("x.docx*"))  # nothing half-written


def test_every_table_carries_the_reports_cells(report_html, docx_path):
    doc_tables = Document(docx_path).tables
    html_tables = read_tables(report_html)
    assert len(doc_tables) == len(html_tables)
    for ours, theirs in zip(doc_tables, html_tables, strict=True):
        in_word = {as_printed(c.text) for row in ours.rows for c in row.cells if c.text}
        in_report = {c.text for row in theirs.head + theirs.body for c in row if c.text}
        assert in_word == in_report, theirs.caption


def test_properties_hold_the_title_as_typed_not_as_html(report_html, tmp_path):
    """A title with '&' and '<' is escaped in the HTML; the Word file's properties show it as typed."""
    from chinhquyenso.report.docx_report import docx_from_report

    html = report_html.replace("<title>", "<title>Đoàn &amp; Hội &lt;2026&gt; ", 1)
    (tmp_path / "r.html").write_text(html, encoding="utf-8")  # its charts: absolute paths
    docx_from_report(tmp_path / "r.html", tmp_path / "r.docx", PROFILE)
    assert Document(tmp_path / "r.docx").core_properties.title.startswith("Đoàn & Hội <2026> ")


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _part(path, name: str) -> str:
    import zipfile

    with zipfile.ZipFile(path) as z:
        return z.read(name).decode("utf-8")


def _grid_mm(table) -> list[float]:
    return [int(col.get(f"{W}w")) / 56.6929 for col in table._tbl.tblGrid.findall(f"{W}gridCol")]


def test_columns_are_sized_to_their_content_within_the_text_width(docx_path):
    """Label columns wide, number columns as wide as their widest value (a number never wraps:
    an estimate and its interval may go on two lines, each whole), the table within the text
    width."""
    from chinhquyenso.report.docx_tables import CELL_PADDING_MM, is_number_cell

    text_width = 210 - PROFILE["margins_mm"]["left"] - PROFILE["margins_mm"]["right"]
    doc = Document(docx_path)
    for table in doc.tables:
        widths = _grid_mm(table)
        assert sum(widths) <= text_width + 0.5
        size = table.rows[-1].cells[-1].paragraphs[0].runs[0].font.size.pt
        for row in table.rows[len([r for r in table.rows if r._tr.trPr is not None]) :]:
            for c, cell in enumerate(row.cells):
                if c and is_number_cell(as_printed(cell.text)):
                    widest = max(text_mm(piece, size) for piece in cell.text.split(" "))
                    assert widest + CELL_PADDING_MM <= widths[c] + 0.05, (cell.text, widths[c])
    first = _grid_mm(doc.tables[0])  # fits: every column as wide as its text, none 70 mm wide
    assert first[0] >= text_mm("Tổng", 12) + CELL_PADDING_MM and max(first) < 20


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("< 0,001", f"<{NBSP}0,001"),
        ("0,84 (0,64–1,12)", f"0,84 (0,64{WJ}–{WJ}1,12)"),
        ("−0,02 (−0,13–0,09)", f"−0,02 (−0,13{WJ}–{WJ}0,09)"),
        ("20/22", f"20{WJ}/{WJ}22"),
        ("1.352/1.886 thủ tục*", f"1.352{WJ}/{WJ}1.886 thủ tục*"),
        ("Phường/xã", "Phường/xã"),  # words may still break at a slash
    ],
)
def test_numbers_intervals_and_p_values_cannot_break(text, kept):
    from chinhquyenso.report.docx_tables import keep_together

    assert keep_together(text) == kept and as_printed(kept) == text


def test_a_model_table_keeps_its_numbers_whole_in_word(tmp_path):
    """Bảng 12's shape: an estimate with its interval in each of four models; at the report's
    size they cannot all fit on one line, so the interval goes under its estimate, whole."""
    from chinhquyenso.report.html_blocks import Block, Cell, Table

    head = [[Cell("Biến", header=True)] + [Cell(t, header=True) for t in ["Ước lượng (KTC)", "p"] * 4]]
    body = [
        [Cell("Tỉnh/thành phố (tham chiếu: Phường/xã)", header=True)]
        + [Cell(t) for t in ["0,84 (0,64–1,12)", "< 0,001", "1,03 (0,85–1,25)", "0,730"] * 2]
    ]
    table = Table("x", "Bảng 1. Thử", head, body)
    path = tmp_path / "x.docx"
    write_docx([Block("table", table.caption, table=table)], path, {}, dt.date(2026, 11, 22), "x", "y")
    ours = Document(path).tables[0]
    texts = [c.text for c in ours.rows[1].cells]
    assert texts[1] == f"0,84 (0,64{WJ}–{WJ}1,12)" and texts[2] == f"<{NBSP}0,001"
    widths = _grid_mm(ours)
    assert sum(widths) <= 165 + 0.5 and widths[0] >= 20  # the label keeps a readable width
    for c, text in enumerate(texts[1:], 1):
        assert max(text_mm(piece, 11) for piece in text.split(" ")) + 2.2 <= widths[c] + 0.05


def test_every_style_in_the_profiles_font_and_in_vietnamese(docx_path):
    styles = _part(docx_path, "word/styles.xml")
    assert not re.search(r"w:(asciiTheme|hAnsiTheme|eastAsiaTheme|cstheme)=", styles)
    doc = Document(docx_path)
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Caption", "toc 1"):
        assert doc.styles[name].font.name in (None, "Times New Roman"), name
    assert doc.styles["Heading 1"].font.name == "Times New Roman"
    langs = re.findall(r'<w:lang w:val="([^"]+)"', styles)
    assert langs and set(langs) == {"vi-VN"}
    assert re.search(r'<w:docDefaults>.*<w:lang w:val="vi-VN".*</w:docDefaults>', styles, re.S)
    assert doc.core_properties.language == "vi-VN"
    assert '<w:updateFields w:val="true"/>' in _part(docx_path, "word/settings.xml")


def test_contents_list_the_headings_before_word_updates_them(report_html, docx_path):
    """The TOC field's result holds the headings, one paragraph each ("toc 1", "toc 2"), in the
    report's order, no page numbers (Word adds them when it updates the field)."""
    body = Document(docx_path).element.body
    paragraphs = list(body.iter(f"{W}p"))
    begin = next(i for i, p in enumerate(paragraphs) if "TOC \\o" in "".join(p.itertext()))
    end = next(
        i
        for i in range(begin, len(paragraphs))
        if paragraphs[i].find(f".//{W}fldChar[@{W}fldCharType='end']") is not None
    )
    entries = ["".join(t.text for t in p.iter(f"{W}t")) for p in paragraphs[begin : end + 1]]
    headings = [
        squash(re.sub(r"<[^>]+>", "", h))
        for h in re.findall(r"<h[23][^>]*id=[^>]*>(.*?)</h[23]>", report_html)
    ]
    assert entries == headings and "2. Dữ liệu và phương pháp" in entries
    styles = {p.find(f"{W}pPr/{W}pStyle").get(f"{W}val") for p in paragraphs[begin : end + 1]}
    assert styles == {"TOC1", "TOC2"}


def test_every_picture_carries_the_reports_alt_text(report_html, docx_path):
    figures = [b for b in read_blocks(report_html) if b.kind == "figure"]
    pictures = Document(docx_path).inline_shapes
    assert len(pictures) == len(figures) > 0
    for picture, figure in zip(pictures, figures, strict=True):
        assert figure.alt and picture._inline.docPr.get("descr") == figure.alt


def test_every_tables_header_rows_repeat_on_each_page(report_html, docx_path):
    for ours, theirs in zip(Document(docx_path).tables, read_tables(report_html), strict=True):
        marked = [r._tr.find(f"{W}trPr/{W}tblHeader") is not None for r in ours.rows]
        assert marked == [i < len(theirs.head) for i in range(len(ours.rows))], theirs.caption
