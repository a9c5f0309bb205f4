"""The Word report's styles as a journal's editor expects them: every style in the profile's
font (the template's theme fonts removed: a theme font overrides the named one, and LibreOffice
then shows headings in a sans font), Vietnamese as the language of the document and its styles
(Word's spelling and grammar checks, hyphenation), and Word asked to update the fields (the
table of contents' page numbers) when the file is opened.
"""

from __future__ import annotations

LANGUAGE = "vi-VN"
THEME_FONTS = ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")
# CT_Settings' children that come after w:updateFields (ECMA-376 §17.15.1.78): it goes before them
AFTER_UPDATE_FIELDS = (
    "hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids", "mathPr",
    "attachedSchema", "themeFontLang", "clrSchemeMapping", "doNotIncludeSubdocsInStats",
    "doNotAutoCompressPictures", "forceUpgrade", "captions", "readModeInkLockDown", "smartTagType",
    "schemaLibrary", "shapeDefaults", "doNotEmbedSmartTags", "decimalSymbol", "listSeparator",
)  # fmt: skip


def apply_profile(doc, profile: dict) -> None:
    """Font, sizes, spacing and language of the profile on the document's styles."""
    from docx.shared import Pt

    _fonts_everywhere(doc, profile["font"])
    _language(doc)
    normal = doc.styles["Normal"]
    _font(normal, profile["font"], profile["size_pt"])
    normal.paragraph_format.line_spacing = profile["line_spacing"]
    normal.paragraph_format.space_after = Pt(profile["space_after_pt"])
    size = profile["size_pt"]
    for name, points in (
        ("Title", size + 5),
        ("Heading 1", size + 1),
        ("Heading 2", size),
        ("Caption", size - 1),
    ):
        _font(doc.styles[name], profile["font"], points, bold=True)
    doc.styles["Caption"].font.italic = False
    _contents_styles(doc, profile["font"], size)


def _font(style, font: str, size: float, bold: bool | None = None) -> None:
    from docx.shared import Pt, RGBColor

    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(_w(attr), font)
    style.font.size = Pt(size)
    if bold is not None:
        style.font.bold = bold
    style.font.color.rgb = RGBColor(0, 0, 0)
    color = style.element.rPr.find(_w("color"))
    for attr in ("themeColor", "themeShade", "themeTint"):  # a theme colour would override black
        color.attrib.pop(_w(attr), None)


def _fonts_everywhere(doc, font: str) -> None:
    """Every w:rFonts of styles.xml (the defaults and each style) names ``font``, no theme font."""
    styles = doc.styles.element
    defaults = styles.find(_w("docDefaults"))
    defaults.find(_w("rPrDefault")).find(_w("rPr")).get_or_add_rFonts()
    for fonts in styles.iter(_w("rFonts")):
        for attr in THEME_FONTS:
            fonts.attrib.pop(_w(attr), None)
        for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
            fonts.set(_w(attr), font)


def _language(doc) -> None:
    """Vietnamese for the document's defaults, its styles and the theme's font language."""
    from docx.oxml import OxmlElement

    styles = doc.styles.element
    r_pr = styles.find(_w("docDefaults")).find(_w("rPrDefault")).find(_w("rPr"))
    for el in [*styles.iter(_w("lang")), *doc.settings.element.iter(_w("themeFontLang"))]:
        el.set(_w("val"), LANGUAGE)
        el.set(_w("eastAsia"), LANGUAGE)
        el.attrib.pop(_w("bidi"), None)
    if r_pr.find(_w("lang")) is None:
        lang = OxmlElement("w:lang")
        lang.set(_w("val"), LANGUAGE)
        r_pr.append(lang)
    normal = doc.styles["Normal"].element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(_w("val"), LANGUAGE)
    lang.set(_w("eastAsia"), LANGUAGE)
    normal.append(lang)  # the last child CT_RPr allows before rPrChange (none here)


def _contents_styles(doc, font: str, size: float) -> None:
    """Word's built-in contents styles "toc 1"/"toc 2" (the template has "TOC Heading", for
    the "Mục lục" title: outside the outline, so the contents do not list themselves)."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import Mm, Pt

    for level in (1, 2):
        style = doc.styles.add_style(f"toc {level}", WD_STYLE_TYPE.PARAGRAPH, builtin=True)
        style.style_id = f"TOC{level}"
        style.base_style = doc.styles["Normal"]
        style.font.name = font
        style.paragraph_format.left_indent = Mm(6 * (level - 1))
        style.paragraph_format.space_after = Pt(size / 4)


def ask_to_update_fields(doc) -> None:
    """w:updateFields: Word offers to update the fields (the contents' page numbers) on opening."""
    from docx.oxml import OxmlElement

    settings = doc.settings.element
    update = OxmlElement("w:updateFields")
    update.set(_w("val"), "true")
    later = [el for el in settings if el.tag.split("}")[-1] in AFTER_UPDATE_FIELDS]
    if later:
        later[0].addprevious(update)
    else:
        settings.append(update)


def _w(name: str) -> str:
    from docx.oxml.ns import qn

    return qn(f"w:{name}")
