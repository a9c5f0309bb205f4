import os
import shutil
from pathlib import Path

import numpy as np
import pytest

from chinhquyenso.codebook import load_codebook
from chinhquyenso.ingest import clean_survey
from chinhquyenso.published import load_published
from chinhquyenso.readers import RawSurvey, read_survey

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "resources/demo/khao_sat_2023_demo.csv"
CODEBOOK = ROOT / "resources/codebook.yaml"
PUBLISHED = ROOT / "resources/published/published_figures.yaml"
ASSUMPTIONS = ROOT / "resources/demo/gia_dinh_tai_tao.yaml"
MESSY = ROOT / "resources/survey/khao_sat_2023_xuat_tho.xlsx"


def as_raw(frame, name="x.csv", first_row=2):
    """Wrap a frame of text cells as a RawSurvey whose rows are numbered like a CSV file."""
    rows = np.arange(first_row, first_row + len(frame), dtype=np.int64)
    return RawSurvey(frame.reset_index(drop=True), rows, Path(name), "kiểm thử")


@pytest.fixture(scope="session")
def codebook():
    return load_codebook(CODEBOOK)


@pytest.fixture(scope="session")
def published(codebook):
    return load_published(PUBLISHED, codebook)


@pytest.fixture(scope="session")
def raw_demo():
    """The clean demo CSV as text cells (a plain DataFrame; tests copy and damage it)."""
    return read_survey(DEMO).frame


@pytest.fixture(scope="session")
def clean_demo(codebook):
    result = clean_survey(read_survey(DEMO), codebook)
    return result.clean, result.log


@pytest.fixture(scope="module")
def report_context(clean_demo, codebook, published, tmp_path_factory):
    """The demo report's context, with empty stand-ins for the charts."""
    import datetime as dt

    import yaml

    from chinhquyenso import report, reproduction, tables

    clean, log = clean_demo
    computed = tables.compute_all(clean, codebook)
    svg = tmp_path_factory.mktemp("fig") / "b1.svg"
    svg.write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", encoding="utf-8")
    from PIL import Image

    Image.new("RGB", (40, 20), "white").save(svg.with_suffix(".png"))  # what the Word report embeds
    figures = ("bieu_do_1_tham_gia_truc_tiep", "bieu_do_rao_can", "bieu_do_muc_do", "bieu_do_theo_nhom")
    return report.build_context(
        config=yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8")),
        book=codebook,
        computed=computed,
        comparison=reproduction.compare(published, computed, codebook.roles).astype(str),
        cleaning_log=log,
        figures=dict.fromkeys(figures, svg),
        today=dt.date(2026, 11, 22),
    )


@pytest.fixture(scope="module")
def report_html(report_context):
    from chinhquyenso import report

    return report.render_html(report_context, ROOT / "workflow/templates")


def libreoffice_pdf_text(document, outdir) -> str:
    """Convert an Office file to PDF with LibreOffice (as a user's program opens it); its text."""
    import os
    import subprocess

    from pypdf import PdfReader

    run = subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(outdir), str(document)],
        capture_output=True,
        text=True,
        timeout=240,
        env={**os.environ, "HOME": str(outdir)},
    )
    assert run.returncode == 0, run.stderr
    pdf = Path(outdir) / (Path(document).stem + ".pdf")
    return " ".join(" ".join(page.extract_text() for page in PdfReader(pdf).pages).split())


def embedded_fonts(pdf: str | Path) -> set[str]:
    """The fonts a PDF uses, on its pages and inside the charts (form XObjects, patterns), by
    name without the subset prefix ("ABCDEF+Noto-Sans-Bold" -> "Noto-Sans-Bold")."""
    from pypdf import PdfReader

    names: set[str] = set()
    seen: set[int] = set()

    def walk(resources) -> None:
        resources = resources.get_object()
        if id(resources) in seen:
            return
        seen.add(id(resources))
        for font in resources.get("/Font", {}).values():
            names.add(str(font.get_object()["/BaseFont"]).lstrip("/").split("+")[-1])
        for kind in ("/XObject", "/Pattern"):
            for item in resources.get(kind, {}).values():
                item = item.get_object()
                if "/Resources" in item:
                    walk(item["/Resources"])

    for page in PdfReader(pdf).pages:
        if "/Resources" in page:
            walk(page["/Resources"])
    return names


@pytest.fixture(scope="module")
def rscript():
    """Debian's Rscript, for tests against an independent computation in R (tests/r/): skipped
    where R is absent, a failure under REQUIRE_R=1 (CI)."""
    found = shutil.which("Rscript")
    if found is None:
        if os.environ.get("REQUIRE_R") == "1":
            pytest.fail("REQUIRE_R=1 nhưng không tìm thấy Rscript")
        pytest.skip("Rscript không có trên máy này (REQUIRE_R=1 để bắt buộc)")
    return found
