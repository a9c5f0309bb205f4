"""HTML (jinja2) and PDF (WeasyPrint) rendering, and figure addresses."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from ..vn_format import nfc
from .sections import Numbering, arrange, load_sections

log = logging.getLogger(__name__)

# Tagged PDF/A-3a: a structure tree (headings, reading order, tables with header cells linked to
# their data cells, charts with the alt text of their <img>), /Lang from <html lang="vi">, and
# still an archival PDF/A-3 whose attached CSV files carry their relationship (/AF). WeasyPrint's
# "pdf/ua-1" writes the same tags but is no PDF/A: no output intent, attachments without /AF.
# Both rebuild byte-identical; tagging adds about 0.4 s (10 %) to the overall report's render.
PDF_VARIANT = "pdf/a-3a"

# The vendored faces (resources/fonts) the report's @font-face declares, for the text and, since
# the charts' SVGs keep their text as text ('Noto Sans'), for the charts too.
FACES = (
    ("Noto Serif", "NotoSerif-Regular.ttf", "normal", "normal"),
    ("Noto Serif", "NotoSerif-Bold.ttf", "bold", "normal"),
    ("Noto Serif", "NotoSerif-Italic.ttf", "normal", "italic"),
    ("Noto Serif", "NotoSerif-BoldItalic.ttf", "bold", "italic"),
    ("Noto Sans", "NotoSans-Regular.ttf", "normal", "normal"),
    ("Noto Sans", "NotoSans-Bold.ttf", "bold", "normal"),
)


def image_src(path: Path) -> str:
    """A figure's address in the HTML: relative to the project, so that the HTML (and the
    manifest's hash of it) does not depend on where the project lives."""
    path = Path(path)
    return path.as_uri() if path.is_absolute() else path.as_posix()


def _environment(template_dir: str | Path) -> Environment:
    return Environment(
        loader=FileSystemLoader(str(template_dir)),
        autoescape=select_autoescape(["html", "xml", "j2"]),
        undefined=StrictUndefined,  # a missing number is an error, not a blank
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_html(
    context: dict,
    template_dir: str | Path,
    template: str = "report.html.j2",
    numbering: Numbering | None = None,
) -> str:
    """The report's HTML. The sections come from ``<template_dir>/sections.yaml`` (those whose
    needs ``context["co"]`` meets); tables and figures are numbered in a first pass."""
    env = _environment(template_dir)
    sections = arrange(load_sections(Path(template_dir) / "sections.yaml"), context["co"])
    for sec in [s for top in sections for s in (top, *top.children)]:
        sec.title = env.from_string(sec.title).render(**context).strip()
    num = numbering or Numbering()
    ctx = {**context, "sections": sections, "num": num}
    ctx["so_muc"] = {s.id: s.number for top in sections for s in (top, *top.children)}
    env.get_template(template).render(**ctx)  # first pass: where each table and figure stands
    num.final = True
    return nfc(env.get_template(template).render(**ctx))


def _fetcher(allowed_roots: list[Path]):
    from weasyprint.urls import FatalURLFetchingError, URLFetcher

    roots = [r.resolve() for r in allowed_roots]

    class ProjectFetcher(URLFetcher):
        """Only data: URLs and files under the project; anything else stops the render."""

        def fetch(self, url, headers=None):
            if url.startswith("file:"):
                from urllib.parse import unquote, urlparse

                path = Path(unquote(urlparse(url).path)).resolve()
                if not any(path.is_relative_to(r) for r in roots):
                    raise FatalURLFetchingError(f"tệp ngoài thư mục dự án: {path}")
            elif not url.startswith("data:"):
                raise FatalURLFetchingError(f"không cho phép tải tài nguyên ngoài: {url}")
            return super().fetch(url, headers)

    return ProjectFetcher(allowed_protocols=("file", "data"), allow_redirects=False)


def write_pdf(
    html: str,
    css_path: str | Path,
    font_dir: str | Path,
    out_pdf: str | Path,
    allowed_roots: list[Path],
    attachments: list[Path] = (),
    stamp: dt.datetime | None = None,
    variant: str = PDF_VARIANT,
) -> None:
    """HTML + stylesheet -> tagged PDF/A-3a with the vendored fonts embedded and the tables' data
    attached as CSV files (PDF/A-3 allows attachments). ``stamp`` dates the attachments, so
    that two renders of the same data give the same bytes."""
    import os

    from weasyprint import CSS, HTML, Attachment
    from weasyprint.text.fonts import FontConfiguration

    # fontTools stamps the subset fonts with the current time unless SOURCE_DATE_EPOCH is set:
    # take it from the report's date, so two renders of the same inputs give the same bytes.
    stamp = stamp or dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    os.environ.setdefault("SOURCE_DATE_EPOCH", str(int(stamp.timestamp())))

    fetcher = _fetcher(allowed_roots)
    fonts = FontConfiguration()
    font_css = "\n".join(
        f'@font-face {{ font-family: "{family}"; src: url("{(Path(font_dir) / file).resolve().as_uri()}");'
        f" font-weight: {weight}; font-style: {style}; }}"
        for family, file, weight, style in FACES
    )
    stylesheets = [
        CSS(string=font_css, font_config=fonts, url_fetcher=fetcher),
        CSS(filename=str(css_path), font_config=fonts, url_fetcher=fetcher),
    ]
    # relative image paths in the HTML resolve against the project folder (the working directory)
    document = HTML(string=html, base_url=Path.cwd().as_uri() + "/", url_fetcher=fetcher)
    out_pdf = Path(out_pdf)
    files = [
        Attachment(
            filename=str(path),
            url_fetcher=fetcher,
            name=Path(path).name,
            description=f"Dữ liệu của bảng: {Path(path).name}",
            created=stamp,
            modified=stamp,
            relationship="Data",
        )
        for path in attachments
    ]
    from ..atomic import replacing

    # whole or not at all: a failed render (a full disk) leaves no half-written PDF nor its
    # temporary file, and a refused write is said in Vietnamese (atomic.DiskFault)
    with replacing(out_pdf) as tmp:
        options = {"stylesheets": stylesheets, "pdf_variant": variant, "attachments": files}
        rendered = document.render(font_config=fonts, **options)
        rendered.write_pdf(tmp, **options)
        # the fonts WeasyPrint embedded, pages and charts alike (tests read them back from the PDF:
        # conftest.embedded_fonts)
        foreign = foreign_fonts({font.family.replace(" ", "-") for font in rendered.fonts.values()})
        if foreign:  # a character the Noto faces lack, set in whatever font the system had
            log.warning(
                "PDF %s dùng phông hệ thống %s ngoài các phông của dự án (resources/fonts): có ký tự "
                "mà Noto không có; PDF sẽ khác nhau giữa các máy. Kiểm tra văn bản, nhãn biểu đồ.",
                out_pdf.name,
                ", ".join(sorted(foreign)),
            )


def foreign_fonts(names: set[str]) -> set[str]:
    """Fonts not of the vendored families (a system font fontconfig substituted)."""
    families = {family.replace(" ", "-") for family, *_ in FACES}
    return {n for n in names if not any(n == f or n.startswith(f + "-") for f in families)}
