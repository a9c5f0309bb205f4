"""The vendored fonts carry every glyph the report and its charts print (no missing-glyph boxes,
no system font substituted)."""

import warnings

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
