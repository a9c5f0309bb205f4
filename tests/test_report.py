import html as html_lib
import re

import pandas as pd
import pytest
from test_fonts import missing_glyphs

from chinhquyenso import report, vn_format
from conftest import ROOT


@pytest.fixture(scope="module")
def context(report_context):
    return report_context


@pytest.fixture(scope="module")
def html(report_html):
    return report_html


def test_captions_are_numbered_in_order(html):
    captions = re.findall(r"<figcaption>((?:Bảng|Biểu đồ) \d+)\.", html)
    assert captions == [
        "Bảng 1",
        "Bảng 2",
        "Biểu đồ 1",
        "Bảng 3",
        "Biểu đồ 2",
        "Bảng 4",
        "Biểu đồ 3",
        "Bảng 5",
        "Bảng 6",  # the appendices' tables are numbered too (issue 24)
    ]


def test_numbers_are_vietnamese(html):
    assert "179 nữ (49,7%)" in html
    assert "181 nam (50,3%)" in html
    assert "phường/xã 53,6%" in html
    assert "ngày 22 tháng 11 năm 2026" in html
    assert not re.search(r"\d\.\d%", html)  # no decimal point before a per-cent sign


def test_every_table_and_figure_has_a_source_note(html):
    assert html.count("<figcaption>") == html.count('<p class="source">Nguồn:')


def test_demo_notice_on_cover(html):
    assert "Dữ liệu minh họa." in html


def test_data_is_escaped(context):
    hostile = dict(context, meta=dict(context["meta"], tieu_de="<script>alert(1)</script>"))
    out = report.render_html(hostile, ROOT / "workflow/templates")
    assert "<script>" not in out and "&lt;script&gt;" in out


def test_fetcher_refuses_remote_and_outside_files(tmp_path):
    from weasyprint.urls import FatalURLFetchingError

    fetcher = report._fetcher([tmp_path])
    inside = tmp_path / "a.txt"
    inside.write_text("ok", encoding="utf-8")
    assert fetcher.fetch(inside.as_uri()) is not None
    with pytest.raises(FatalURLFetchingError):
        fetcher.fetch("http://example.org/x.png")
    with pytest.raises(FatalURLFetchingError):
        fetcher.fetch("file:///etc/passwd")


HOSTILE = [
    '<img src="http://127.0.0.1:9/x.png">',
    "<script>alert(1)</script>",
    '<a href="file:///etc/passwd">mật khẩu</a>',
    '<link rel="stylesheet" href="http://127.0.0.1:9/x.css">',
]


def test_hostile_text_is_printed_as_text_and_nothing_is_fetched(context, tmp_path):
    from pypdf import PdfReader

    log = pd.DataFrame(
        [
            {
                "dong": i + 2,
                "cot": "Giới tính",
                "bien": "gioi_tinh",
                "gia_tri_cu": text,
                "gia_tri_moi": "",
                "ly_do": text,  # printed in the appendix's count by reason
            }
            for i, text in enumerate(HOSTILE)
        ]
    )
    hostile = dict(context, nhat_ky=report._cleaning_log(log))
    hostile["meta"] = dict(context["meta"], tieu_de=HOSTILE[1])
    html = report.render_html(hostile, ROOT / "workflow/templates")
    for text in HOSTILE:
        assert text not in html  # escaped, never live markup
    assert "&lt;img src=&#34;http://127.0.0.1:9/x.png&#34;&gt;" in html
    pdf = tmp_path / "x.pdf"
    # a fetch of anything outside the project (http, file:///etc) would raise and stop the render
    report.write_pdf(
        html,
        ROOT / "workflow/templates/report.css",
        ROOT / "resources/fonts",
        pdf,
        allowed_roots=[ROOT, tmp_path.parent.parent],
    )  # the test session's temporary folders
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "<script>alert(1)</script>" in text and "file:///etc/passwd" in text


def test_hidden_cells_print_as_hidden_and_take_their_percentages_with_them(codebook):
    # a published levels row (disclosure stage): two levels hidden (empty), the rest printed
    row = {"hoat_dong": "hd01", "nhan": "x", "co_so_mau": 40, "n_rat_thap": None, "n_thap": None}
    row |= {
        "n_trung_binh": 12,
        "n_cao": 10,
        "n_rat_cao": 10,
        "n_trung_binh_den_rat_cao": 32,
        "n_tham_gia": 40,
    }
    rows = report.level_rows(pd.DataFrame([row]), codebook.activities.scale)
    assert [c["n"] for c in rows[0]["cells"]] == ["(ẩn)", "(ẩn)", "12", "10", "10"]
    assert [c["pct"] for c in rows[0]["cells"]] == ["", "", "30,0", "25,0", "25,0"]
    # with its base hidden, a row's percentages would give the base away: none is printed
    rows = report.level_rows(pd.DataFrame([row | {"n_tham_gia": None}]), codebook.activities.scale)
    assert [c["pct"] for c in rows[0]["cells"]] == ["", "", "", "", ""] and rows[0]["n_total"] == "(ẩn)"


def test_overall_report_hides_nothing(context):
    # every cell of the published tables has 5 or more respondents: the article's figures show
    assert not context["bang_gioi_tinh"]["co_an"]
    assert not context["bang_cap"]["co_an"]
    assert not context["hoat_dong"]["co_an"]


def test_report_text_is_covered_by_the_fonts_the_stylesheet_names(html):
    text = html_lib.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<style.*?</style>", " ", html, flags=re.S)))
    text += vn_format.number(-0.25, 2)  # negative numbers print with the minus sign
    for font in (
        "NotoSerif-Regular.ttf",
        "NotoSerif-Bold.ttf",
        "NotoSerif-Italic.ttf",
        "NotoSans-Regular.ttf",
    ):
        assert not missing_glyphs(text, font), (font, sorted(missing_glyphs(text, font)))
    assert len(set(text)) > 60  # Vietnamese letters, digits, punctuation: the check has content
