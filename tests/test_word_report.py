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
from chinhquyenso.report.html_blocks import read_blocks, read_tables
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
    assert headings == ["Mục lục", *html_headings] and "2. Dữ liệu và phương pháp" in headings
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
        in_word = {c.text for row in ours.rows for c in row.cells if c.text}
        in_report = {c.text for row in theirs.head + theirs.body for c in row if c.text}
        assert in_word == in_report, theirs.caption


def test_properties_hold_the_title_as_typed_not_as_html(report_html, tmp_path):
    """A title with '&' and '<' is escaped in the HTML; the Word file's properties show it as typed."""
    from chinhquyenso.report.docx_report import docx_from_report

    html = report_html.replace("<title>", "<title>Đoàn &amp; Hội &lt;2026&gt; ", 1)
    (tmp_path / "r.html").write_text(html, encoding="utf-8")  # its charts: absolute paths
    docx_from_report(tmp_path / "r.html", tmp_path / "r.docx", PROFILE)
    assert Document(tmp_path / "r.docx").core_properties.title.startswith("Đoàn & Hội <2026> ")
