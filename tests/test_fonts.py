"""The vendored fonts carry every glyph the report and its charts print (no missing-glyph boxes,
no system font substituted)."""

import warnings

import pytest
from fontTools.ttLib import TTFont

from chinhquyenso import figures
from chinhquyenso.vn_format import number
from conftest import ROOT

FONTS = ROOT / "resources/fonts"


def _cmap(name: str) -> set[int]:
    return set(TTFont(FONTS / name).getBestCmap())


def missing_glyphs(text: str, font: str) -> set[str]:
    have = _cmap(font)
    return {c for c in text if not c.isspace() and ord(c) not in have}


def test_every_vendored_font_has_the_minus_sign():
    for path in sorted(FONTS.glob("*.ttf")):
        assert 0x2212 in _cmap(path.name), path.name
    assert number(-1.5, 1) == "\u22121,5"


def test_chart_labels_with_minus_signs_draw_without_missing_glyphs(tmp_path):
    import matplotlib.pyplot as plt

    figures.use_project_style(FONTS)
    fig, ax = plt.subplots()
    ax.plot([-3, 0, 2], [-0.5, 0.1, 0.4])  # negative ticks: matplotlib prints them with U+2212
    ax.set_title("Thay đổi tỷ lệ (điểm %): " + figures.number_label(-1.5))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.savefig(tmp_path / "x.svg")
    plt.close(fig)
    assert not [w for w in caught if "missing from" in str(w.message)], [str(w.message) for w in caught]


def _chart_pdf(tmp_path, labels: list[str]):
    """A bar chart drawn and saved as the figure rules do, rendered into a PDF as the report
    rule does; returns the SVG text and the PDF's path."""
    from chinhquyenso.report.render import write_pdf

    figures.use_project_style(FONTS)
    fig = figures.percent_bars(labels, [45, 9], [360, 72], figures.PALETTE[0], "Tỷ lệ (N = 360)")
    figures.save(fig, [tmp_path / "bieu_do.svg", tmp_path / "bieu_do.png"])
    chart = (tmp_path / "bieu_do.svg").as_uri()
    html = f'<html lang="vi"><body><h1>Biểu đồ</h1><img src="{chart}"></body></html>'
    pdf = tmp_path / "x.pdf"
    write_pdf(html, ROOT / "workflow/templates/report.css", FONTS, pdf, allowed_roots=[ROOT, tmp_path])
    return (tmp_path / "bieu_do.svg").read_text(encoding="utf-8"), pdf


def test_chart_labels_are_text_of_the_vendored_font_in_the_pdf(tmp_path):
    """The SVG keeps its text as <text> (not glyph outlines); in the PDF the chart's labels are
    extractable text, set in the vendored Noto Sans: no system font anywhere in the file."""
    import re

    from pypdf import PdfReader

    from chinhquyenso.report.render import foreign_fonts
    from conftest import embedded_fonts

    svg, pdf = _chart_pdf(tmp_path, ["Đồng Nai", "Bình Dương"])
    assert "<text" in svg and "Bình Dương" in svg and "font-family: 'Noto Sans'" in svg
    assert not re.search(r'<path id="[^"]*DejaVu', svg)  # no glyph outlines
    # letters of SVG text are placed one by one: extractors infer the spaces between words from
    # the gaps (poppler does here, pypdf not always), so compare without them
    text = "".join(PdfReader(pdf).pages[0].extract_text().split())
    for label in ("Đồng Nai", "Bình Dương", "12,5%", "Tỷ lệ (N = 360)"):
        assert label.replace(" ", "") in text, (label, text)
    fonts = embedded_fonts(pdf)
    assert "Noto-Sans" in fonts and not foreign_fonts(fonts), fonts


@pytest.mark.filterwarnings("ignore:Glyph 8984")  # matplotlib's own notice of the same gap
def test_a_character_the_vendored_fonts_lack_is_reported(tmp_path, caplog):
    """U+2318 is in no Noto face the project ships: fontconfig substitutes a system font, which
    makes the PDF machine-dependent; the render says so in its log."""
    import shutil
    import subprocess

    from chinhquyenso.report.render import foreign_fonts
    from conftest import embedded_fonts

    if (
        not shutil.which("fc-list")
        or not subprocess.run(["fc-list", ":charset=2318"], capture_output=True, text=True).stdout.strip()
    ):
        pytest.skip("no system font has U+2318")
    with caplog.at_level("WARNING"):
        _, pdf = _chart_pdf(tmp_path, ["Đồng Nai \u2318", "Bình Dương"])
    foreign = foreign_fonts(embedded_fonts(pdf))
    assert foreign
    assert any(
        "phông hệ thống" in r.getMessage() and next(iter(foreign)) in r.getMessage() for r in caplog.records
    )
