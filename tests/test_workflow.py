"""Integration: the whole workflow in a temporary copy of the project, read back from the PDF."""

import csv
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from conftest import ROOT

pytestmark = pytest.mark.integration
SNAKEMAKE = str(Path(sys.executable).parent / "snakemake")
PROJECT_FILES = (
    "Snakefile",
    "config.yaml",
    "environment.yml",
    "workflow",
    "scripts",
    "resources",
    "profiles",
    "plugins",
)


def _copy_project(dest: Path) -> Path:
    for name in PROJECT_FILES:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(
                src, dest / name, ignore=shutil.ignore_patterns("__pycache__", "build", "*.egg-info")
            )
        else:
            shutil.copy2(src, dest / name)
    return dest


def _edit_yaml(path: Path, change) -> None:
    """Load a YAML file, let ``change`` modify it in place, write it back."""
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(doc)
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")


def _snakemake(workdir: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([SNAKEMAKE, "--cores", "2", *args], cwd=workdir, capture_output=True, text=True)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    work = _copy_project(tmp_path_factory.mktemp("project"))
    _edit_yaml(work / "config.yaml", lambda c: c["report"].update(date="2026-11-22"))
    run = _snakemake(work)
    assert run.returncode == 0, run.stderr[-4000:]
    return work


def _pdf_text(path: Path) -> str:
    reader = PdfReader(path)
    text = "\n".join(page.extract_text() for page in reader.pages)
    return " ".join(unicodedata.normalize("NFC", text).split())  # line breaks fall anywhere in a PDF


def test_pdf_has_table_1_numbers_and_diacritics(built):
    pdf = built / "results/report/bao_cao.pdf"
    text = _pdf_text(pdf)
    assert "Bảng 1. Cơ cấu giới tính" in text
    for number in ("181", "179", "50,3", "49,7", "42,5", "57,5", "58,3", "41,7"):
        assert number in text, number
    for word in ("Bình Dương", "Đồng Nai", "chính quyền số", "Rất cao", "ngày 22 tháng 11 năm 2026"):
        assert word in text, word
    assert "Dữ liệu minh họa" in text


def test_pdf_has_the_dti_table_with_sources(built):
    text = _pdf_text(built / "results/report/bao_cao.pdf")
    assert "Xếp hạng chuyển đổi số theo trụ cột (DTI) năm 2022" in text
    assert "Nhận thức số 35* 1* 44*" in text  # the article's Bảng 2, row 1, unverified here
    assert "Phụ lục C. Nguồn tài liệu" in text and "Số liệu có nguồn ghi khác nhau" in text


def test_user_adds_a_pdf_report_and_sees_its_extract_verified(tmp_path):
    from weasyprint import HTML

    work = _copy_project(tmp_path)
    pdf = work / "resources/documents/van_ban/bao_cao_tinh_2025.pdf"
    pdf.parent.mkdir(parents=True, exist_ok=True)
    HTML(
        string="<p>Năm 2025, tỷ lệ hồ sơ xử lý trực tuyến của tỉnh đạt 81,3% trên tổng số hồ sơ.</p>"
    ).write_pdf(pdf)
    _edit_yaml(
        work / "resources/documents/nguon.yaml",
        lambda doc: doc["sources"].append(
            {
                "id": "tinh2025",
                "title": "Báo cáo chuyển đổi số năm 2025",
                "author": "UBND tỉnh",
                "year": 2025,
                "type": "báo cáo",
                "citation": "UBND tỉnh (2025). Báo cáo.",
                "file": "resources/documents/van_ban/bao_cao_tinh_2025.pdf",
            }
        ),
    )
    _edit_yaml(
        work / "resources/documents/trich_xuat.yaml",
        lambda doc: doc["extracts"].append(
            {
                "id": "dn_ho_so_2025",
                "province": "Đồng Nai",
                "period": "2025",
                "indicator": "ty_le_ho_so_truc_tuyen",
                "value": 81.3,
                "source": "tinh2025",
                "locator": "trang 1",
                "quote": "xử lý trực tuyến của tỉnh đạt 81,3%",
            }
        ),
    )
    run = _snakemake(work, "results/documents/trich_xuat_kiem_chung.csv", "results/documents/candidates.csv")
    assert run.returncode == 0, run.stderr[-3000:]
    checked = (work / "results/documents/trich_xuat_kiem_chung.csv").read_text(encoding="utf-8")
    line = next(x for x in checked.splitlines() if x.startswith("dn_ho_so_2025"))
    assert "đã kiểm chứng" in line
    assert "81,3%" in (work / "results/documents/candidates.csv").read_text(encoding="utf-8")


def test_pdf_has_the_model_section_with_fitted_numbers(built):
    import pandas as pd

    text = _pdf_text(built / "results/report/bao_cao.pdf")
    assert "Phân tích theo giới tính, cấp hành chính và thâm niên" in text
    assert "minh họa phương pháp, không phải phát hiện" in text
    pooled = pd.read_csv(built / "results/models/gop_va_chi_so.csv")
    tenure = pooled[(pooled["mo_hinh"] == "gop_logit_tham_gia") & (pooled["so_hang"] == "tham_nien")].iloc[0]
    shown = f"{tenure['or_']:.2f}".replace(".", ",")
    assert f"OR = {shown}" in text  # the sentence quotes the fitted odds ratio


SECTION_HEADINGS = (
    "Mục lục",
    "1. Đặt vấn đề",
    "2. Dữ liệu và phương pháp",
    "3. Bối cảnh chuyển đổi số của các địa phương",
    "4. Kết quả khảo sát",
    "4.1. Tham gia trực tiếp",
    "4.2. Mức độ tham gia",
    "4.3. Đào tạo và kỹ năng số",
    "5. Kết quả phỏng vấn sâu",  # the demo's (illustrative) interviews
    "6. Phân tích theo giới tính, cấp hành chính và thâm niên",
    "7. Kết luận và khuyến nghị",
    "Phụ lục A. Đối chiếu",
    "Phụ lục B. Nhật ký làm sạch",
    "Phụ lục C. Nguồn tài liệu",
    "Phụ lục D. Danh mục trích đoạn phỏng vấn sâu",
    "Phụ lục E. Chẩn đoán mô hình",
)


def test_pdf_has_every_section_and_no_raw_floats(built):
    import re

    text = _pdf_text(built / "results/report/bao_cao.pdf")
    for heading in SECTION_HEADINGS:
        assert heading in text, heading
    # Bảng 3 (levels) numbers with a decimal comma: item 1 is 115 at 40,1%, 91 at 31,7%
    assert "115 40,1 91 31,7 46 16,0" in text
    # no unformatted float such as 0.4972 (a dot followed by 3 digits is a thousands group: 10.000);
    # appendix F lists software versions (0.15.0), which are not numbers of the report
    body = text[: text.find("Báo cáo được tạo bằng quy trình Snakemake")]
    assert len(body) > 20000
    assert not re.search(r"\b\d+\.\d{4,}\b|\b0\.\d+\b", body)
    assert not re.search(r"\d\.\d+\s?%", text)  # no decimal point before a per-cent sign
    assert re.search(r"Trang \d+/\d+", text)


def test_one_report_per_province(built):
    text = _pdf_text(built / "results/report/bao_cao_tinh_binh_duong.pdf")
    assert "Báo cáo riêng cho Bình Dương" in text
    sample = "Mẫu gồm 120 người trả lời tại Bình Dương (Bảng 1), trong đó 51 nam (42,5%) và 69 nữ (57,5%)"
    assert sample in text
    assert "Phân tích theo giới tính, cấp hành chính và thâm niên" not in text  # models: whole sample only
    import re

    overall = _pdf_text(built / "results/report/bao_cao.pdf")
    changes = [int(re.search(r"đã ghi nhận (\d+) thay đổi", t).group(1)) for t in (overall, text)]
    assert 0 < changes[1] < changes[0]  # the province's own cleaning log, not the whole sample's


def test_pdf_is_pdfa_with_tables_attached(built):
    reader = PdfReader(built / "results/report/bao_cao.pdf")
    assert "bang_gioi_tinh_theo_tinh.csv" in reader.attachments
    meta = reader.metadata
    assert meta.title == "Chuyên viên trẻ trong xây dựng chính quyền số" and meta.author
    root = reader.trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data()
    assert b'pdfaid:part="3"' in xmp and b'pdfaid:conformance="A"' in xmp  # PDF/A-3a: tagged
    assert root["/Lang"] == "vi" and "/OutputIntents" in root


def test_every_report_pdf_is_tagged_for_screen_readers(built):
    """Tagged PDF/A-3a, every report: a structure tree in reading order, /Lang "vi", table header
    cells (TH) linked to their data cells, every chart with the alt text of its <img>; pdfua (the
    machine-checkable rules of PDF/UA-1) finds no error; pdfinfo says "Tagged: yes"."""
    import re

    import pdfua
    import pikepdf

    from chinhquyenso.report.html_blocks import read_blocks

    pdfs = sorted((built / "results/report").glob("*.pdf"))
    assert len(pdfs) == 4
    for pdf in pdfs:
        if shutil.which("pdfinfo"):
            info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
            assert re.search(r"^Tagged:\s+yes$", info, re.M), pdf.name
        errors = [f for f in pdfua.validate(str(pdf)).findings if f.severity >= pdfua.Severity.ERROR]
        assert not errors, [(f.rule_id, f.message) for f in errors]
        with pikepdf.open(pdf) as doc:
            root = doc.Root
            assert root.MarkInfo.Marked and str(root.Lang) == "vi" and "/StructTreeRoot" in root
            roles: dict[str, list] = {}
            todo = [root.StructTreeRoot]
            while todo:
                node = todo.pop()
                if "/S" in node:
                    roles.setdefault(str(node.S), []).append(node)
                kids = node.get("/K")
                kids = kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
                todo += [k for k in kids if isinstance(k, pikepdf.Dictionary)]
        html = pdf.with_suffix(".html").read_text(encoding="utf-8")
        alts = sorted(b.alt for b in read_blocks(html) if b.kind == "figure")
        assert sorted(str(f.get("/Alt")) for f in roles.get("/Figure", [])) == alts, pdf.name
        assert roles.get("/TH") and all("/Headers" in td.A for td in roles["/TD"]), pdf.name
        assert roles.get("/H1") and roles.get("/H2") and roles.get("/Table"), pdf.name


def test_fonts_are_embedded(built):
    reader = PdfReader(built / "results/report/bao_cao.pdf")
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            desc = font.get_object()
            descriptor = (
                desc.get("/FontDescriptor") or desc["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            )
            descriptor = descriptor.get_object()
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), desc["/BaseFont"]
            fonts.add(str(desc["/BaseFont"]).split("+")[-1])
    # only the vendored faces (resources/fonts), never a system font picked up by fontconfig
    assert "Noto-Serif" in fonts
    assert fonts <= {
        "Noto-Serif",
        "Noto-Serif-Bold",
        "Noto-Serif-Italic",
        "Noto-Serif-BoldItalic",
        "Noto-Sans",
        "Noto-Sans-Bold",
    }, fonts


def test_chart_labels_are_text_of_the_vendored_fonts(built):
    """The charts' labels are text in the PDF (searchable, selectable): every bar label of the
    direct-participation chart, computed from its table, is on the chart's page; and no font
    but the vendored ones is anywhere in the file, charts included."""
    import pandas as pd

    from chinhquyenso.report.render import foreign_fonts
    from chinhquyenso.vn_format import percent
    from conftest import embedded_fonts

    numbering = pd.read_csv(built / "results/report/bao_cao_bang_bieu.csv")
    caption = numbering.loc[numbering["id"] == "bieu_do_1_tham_gia_truc_tiep", "so"].item() + "."
    table = pd.read_csv(built / "results/tables/tham_gia_truc_tiep.csv")
    labels = {percent(n, b, sign=True) for n, b in zip(table["n"], table["co_so"], strict=True)}
    pages = [
        "".join(page.extract_text().split()) for page in PdfReader(built / "results/report/bao_cao.pdf").pages
    ]
    page = next(p for p in pages if caption.replace(" ", "") in p)
    assert len(labels) > 5 and all(label in page for label in labels), (labels, page)
    fonts = embedded_fonts(built / "results/report/bao_cao.pdf")
    assert {"Noto-Sans", "Noto-Serif"} <= fonts and not foreign_fonts(fonts), fonts


def _raw_identifiers() -> set[str]:
    from openpyxl import load_workbook

    ws = load_workbook(ROOT / "resources/survey/khao_sat_2023_xuat_tho.xlsx", read_only=True).worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    header = list(rows[0])
    wanted = [header.index(h) for h in ("Mã phiếu", "Họ và tên", "Số điện thoại", "Email")]
    return {str(r[i]) for r in rows[1:] for i in wanted}


def test_no_personal_data_or_raw_id_reaches_results(built):
    import pandas as pd

    secrets = _raw_identifiers()
    assert len(secrets) > 1000  # 363 rows x 4 identifiers, nearly all distinct
    texts = {}
    for path in (built / "results").rglob("*"):
        if path.suffix in {".csv", ".txt", ".log", ".html", ".svg"}:
            texts[path] = path.read_text(encoding="utf-8", errors="replace")
        elif path.suffix == ".parquet":
            texts[path] = pd.read_parquet(path).astype(str).to_csv()
        elif path.suffix == ".pdf":
            texts[path] = _pdf_text(path)
    assert any(p.suffix == ".parquet" for p in texts) and any(p.suffix == ".pdf" for p in texts)
    for path, text in texts.items():
        leaked = [s for s in secrets if s in text]
        assert not leaked, f"{path}: {leaked[:3]}"


def test_validation_report_written(built):
    summary = (built / "results/validation/tom_tat.txt").read_text(encoding="utf-8")
    assert "Lỗi: 0; cảnh báo (đã tự sửa và ghi nhật ký): 3" in summary
    assert "dòng thử nghiệm" in summary and "phiếu nộp lặp lại" in summary


def test_every_rule_logged_and_outputs_in_place(built):
    for path in (
        "results/clean/khao_sat.parquet",
        "results/clean/nhat_ky_lam_sach.csv",
        "results/tables/bang_gioi_tinh_theo_tinh.csv",
        "results/tables/muc_do_tham_gia.csv",
        "results/internal/tables/muc_do_tham_gia.csv",
        "results/tables/kiem_soat_cong_bo.csv",
        "results/figures/bieu_do_1_tham_gia_truc_tiep.svg",
        "results/figures/bieu_do_1_tham_gia_truc_tiep.png",
        "results/reproduction/doi_chieu.csv",
        "results/report/bao_cao.html",
    ):
        assert (built / path).stat().st_size > 0, path
    logs = sorted(p.name for p in (built / "results/logs").rglob("*.log"))
    assert (built / "results/validation/van_de.csv").exists()
    # province tables and charts: one job each for all provinces; reports: one job per province
    per_province = ["province_figures.log", "province_tables.log"] + [
        f"{rule}_{t}.log"
        for t in ("binh_duong", "dong_nai", "tphcm")
        for rule in ("render_province_report", "word_province_report", "province_workbook")
    ]
    assert logs == sorted(
        [
            "check_documents.log",
            "check_interviews.log",
            "check_reproduction.log",
            "clean_survey.log",
            "describe_effects.log",
            "descriptive_tables.log",
            "document_candidates.log",
            "figure_dti.log",
            "figures_models.log",
            "figures_survey.log",
            "fit_models.log",
            "manifest.log",
            "protect_tables.log",
            "render_report.log",
            "word_report.log",
            "workbook.log",
            *per_province,
        ]
    )


def test_nothing_to_do_on_second_run(built):
    run = _snakemake(built, "-n")
    assert run.returncode == 0 and "Nothing to be done" in run.stdout + run.stderr


def test_wrong_config_key_stops_before_any_job(tmp_path):
    work = _copy_project(tmp_path)
    _edit_yaml(work / "config.yaml", lambda c: c["report"].update(titel="sai chính tả"))
    run = _snakemake(work, "-n")
    assert run.returncode != 0
    out = run.stdout + run.stderr
    assert "config report: khóa 'titel' không có" in out and "was unexpected" not in out  # in Vietnamese


def test_bad_survey_file_stops_with_every_problem_and_no_output(tmp_path):
    work = _copy_project(tmp_path)
    _edit_yaml(
        work / "config.yaml", lambda c: c["survey"].update(path="resources/demo/khao_sat_2023_demo.csv")
    )
    demo = work / "resources/demo/khao_sat_2023_demo.csv"
    lines = demo.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace(",Nam,", ",Nữa,", 1).replace(",Nữ,", ",Nữa,", 1)
    lines[5] = lines[5].replace(",Có,", ",Cóa,", 1)
    demo.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run = _snakemake(work, "results/clean/khao_sat.parquet")
    assert run.returncode != 0
    summary = (work / "results/validation/tom_tat.txt").read_text(encoding="utf-8")
    assert "khao_sat_2023_demo.csv, dòng 2, cột «Giới tính», giá trị «Nữa»" in summary
    assert "dòng 6" in summary
    assert "khao_sat_2023_demo.csv, dòng 2, cột «Giới tính»" in run.stderr  # on the console too
    assert (work / "results/validation/van_de.csv").exists()
    assert not (work / "results/clean/khao_sat.parquet").exists()
    assert not (work / "results/clean/nhat_ky_lam_sach.csv").exists()


def test_snakemake_html_report(built):
    run = subprocess.run(
        [SNAKEMAKE, "--report", "results/report.html"], cwd=built, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert "never awaited" not in run.stderr  # Snakemake's own warning (see the Snakefile)
    html = (built / "results/report.html").read_text(encoding="utf-8", errors="replace")
    assert "bieu_do_1_tham_gia_truc_tiep.svg" in html and "bao_cao.pdf" in html


def test_one_figure_alone_matches_the_manifest(built):
    import hashlib
    import json

    target = "results/figures/bieu_do_rao_can.svg"
    recorded = json.loads((built / "results/manifest.json").read_text(encoding="utf-8"))["outputs"][target]
    (built / target).unlink()
    # the console's verbose switch: Snakemake's own job blocks, which name each rule run
    run = _snakemake(built, target, "--logger-chinhquyenso-verbose")
    assert run.returncode == 0, run.stderr[-2000:]
    assert (
        "rule figures_survey:" in run.stdout + run.stderr and "render_report" not in run.stdout + run.stderr
    )
    assert hashlib.sha256((built / target).read_bytes()).hexdigest() == recorded


def test_two_clean_runs_give_identical_bytes(built, tmp_path):
    """A second build, in another folder and another process, hashes to the same bytes:
    every table, figure, model output and PDF (logs and benchmark timings excepted)."""
    import json

    other = _copy_project(tmp_path)
    _edit_yaml(other / "config.yaml", lambda c: c["report"].update(date="2026-11-22"))
    run = _snakemake(other)
    assert run.returncode == 0, run.stderr[-3000:]
    first = json.loads((built / "results/manifest.json").read_text(encoding="utf-8"))
    second = json.loads((other / "results/manifest.json").read_text(encoding="utf-8"))
    assert first["inputs"] == second["inputs"]
    # what shapes the PDFs' bytes beyond Python packages is recorded (README, "Reproducing")
    assert first["pdf_libraries"] == second["pdf_libraries"] and first["pdf_libraries"]["font_subsetter"]
    assert len(first["outputs"]) > 50
    differing = sorted(k for k in first["outputs"] if first["outputs"][k] != second["outputs"].get(k))
    assert not differing, differing
    assert "results/report/bao_cao.pdf" in first["outputs"]
    # the published manifest lists published files only; raw ones have their own, internal one
    assert not any(
        k.startswith(("results/clean/", "results/internal/", "results/validation/")) for k in first["outputs"]
    )
    internal = [
        json.loads((d / "results/internal/manifest.json").read_text(encoding="utf-8")) for d in (built, other)
    ]
    assert "results/clean/khao_sat.parquet" in internal[0]["outputs"]
    assert internal[0]["outputs"] == internal[1]["outputs"]


def _slurm_cluster_up() -> bool:
    if not shutil.which("sinfo"):
        return False
    out = subprocess.run(["sinfo", "-h", "-o", "%T"], capture_output=True, text=True)
    return out.returncode == 0 and any(s in out.stdout for s in ("idle", "mixed", "allocated"))


def test_slurm_run_matches_the_local_run(built, tmp_path):
    """The same workflow through snakemake-executor-plugin-slurm (profiles/slurm) on a real SLURM
    cluster (CI starts a single-node one: tests/slurm/start_cluster.sh) gives the same bytes."""
    import json
    import os

    if not _slurm_cluster_up():
        if os.environ.get("REQUIRE_SLURM") == "1":
            pytest.fail("REQUIRE_SLURM=1 but no SLURM node answers sinfo: run tests/slurm/start_cluster.sh")
        pytest.skip("no SLURM cluster here (tests/slurm/start_cluster.sh starts one; CI does)")
    work = _copy_project(tmp_path)
    _edit_yaml(work / "config.yaml", lambda c: c["report"].update(date="2026-11-22"))
    run = subprocess.run(
        [SNAKEMAKE, "--profile", "profiles/slurm", "--slurm-keep-successful-logs"],
        cwd=work,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, (run.stdout + run.stderr)[-4000:]
    # the jobs really went through sbatch: SLURM wrote a log for each rule that is not local
    slurm_dir = work / "results/logs/slurm"
    slurm_logs = {part for p in slurm_dir.rglob("*.log") for part in p.relative_to(slurm_dir).parts}
    assert {"rule_fit_models", "rule_render_report", "rule_clean_survey"} <= slurm_logs, slurm_logs
    assert "rule_manifest" not in slurm_logs  # a localrule
    local = json.loads((built / "results/manifest.json").read_text(encoding="utf-8"))
    cluster = json.loads((work / "results/manifest.json").read_text(encoding="utf-8"))
    assert local["inputs"] == cluster["inputs"]
    differing = sorted(k for k in local["outputs"] if local["outputs"][k] != cluster["outputs"].get(k))
    assert not differing, differing
    assert set(local["outputs"]) == set(cluster["outputs"])


def test_one_wave_report_has_no_comparison_section(built):
    text = _pdf_text(built / "results/report/bao_cao.pdf")
    assert "So sánh các đợt khảo sát" not in text
    assert not (built / "results/comparison").exists()


def test_report_text_lint_on_the_demo(built):
    """report.lint (tests/test_report_text.py) on the whole report and every province report."""
    from chinhquyenso.report.lint import lint_report

    reports = sorted((built / "results/report").glob("bao_cao*.html"))
    assert built / "results/report/bao_cao.html" in reports and len(reports) > 1
    problems = [p for path in reports for p in lint_report(path)]
    assert not problems, f"{len(problems)} lỗi văn bản báo cáo (report.lint):\n" + "\n".join(problems)


def test_two_waves_add_a_comparison_section(tmp_path):
    import pandas as pd

    work = _copy_project(tmp_path)
    shutil.copytree(ROOT / "tests/fixtures/dot_2026", work / "tests/fixtures/dot_2026")
    _edit_yaml(work / "config.yaml", lambda c: c["report"].update(date="2026-11-22"))
    run = _snakemake(
        work, "results/report/bao_cao.pdf", "--configfile", "tests/fixtures/dot_2026/cau_hinh_hai_dot.yaml"
    )
    assert run.returncode == 0, run.stderr[-4000:]
    assert (work / "results/clean/dot_2026/khao_sat.parquet").exists()
    assert (work / "results/validation/dot_2026/tom_tat.txt").exists()
    text = _pdf_text(work / "results/report/bao_cao.pdf")
    assert "So sánh các đợt khảo sát" in text
    assert "Ánh xạ đơn vị hành chính giữa các đợt khảo sát" in text
    assert "Bình Dương (đợt 2023, 120 người) được tính vào TP. Hồ Chí Minh" in text
    assert "«Quận/huyện» (đợt 2023, 125 người)" in text
    assert "Tỉnh/thành phố Tây Ninh Tây Ninh 64 chỉ có ở đợt 2026" in text  # Bảng: ánh xạ
    assert (
        "«Triển khai nền tảng trợ lý ảo» (chỉ có ở đợt 2023; "
        "69,4% trong 360 người trả lời của đợt đó tham gia)" in text
    )
    assert "Dữ liệu đợt 2023 và 2026 là dữ liệu giả lập" in text
    # the table's row for hd01 shows the shares and change the comparison table holds
    part = pd.read_csv(work / "results/comparison/tham_gia.csv")
    hd01 = part[part["hoat_dong"] == "hd01"].iloc[0]
    from chinhquyenso.vn_format import percent

    before = percent(int(hd01["n_truoc"]), int(hd01["co_so_truoc"]))
    after = percent(int(hd01["n_sau"]), int(hd01["co_so_sau"]))
    assert f"Xây dựng cổng thông tin điện tử {before} {after}" in text
    from chinhquyenso.report.lint import lint_report

    problems = lint_report(work / "results/report/bao_cao.html")
    assert not problems, f"{len(problems)} lỗi văn bản báo cáo (report.lint):\n" + "\n".join(problems)
    # a wave with the same year as the main one is refused before any job
    _edit_yaml(
        work / "tests/fixtures/dot_2026/cau_hinh_hai_dot.yaml", lambda c: c["waves"][0].update(year=2023)
    )
    run = _snakemake(work, "-n", "--configfile", "tests/fixtures/dot_2026/cau_hinh_hai_dot.yaml")
    assert run.returncode != 0 and "mỗi đợt khảo sát cần một năm riêng" in run.stdout + run.stderr


def test_readme_maps_every_numbered_table_and_figure_of_the_demo(built):
    """README, "Mỗi bảng, biểu đồ của báo cáo mẫu đến từ đâu": every Bảng/Biểu đồ number of the
    demo report, with the id (file stem) the render wrote for it."""
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Mỗi bảng, biểu đồ của báo cáo mẫu đến từ đâu", 1)[1].split("\n#", 1)[0]
    documented = {}
    for kind, first, last, ident in re.findall(
        r"^\| (Bảng|Biểu đồ) (\d+)(?:–(\d+))? \| `([^`]+)`", section, re.M
    ):
        for no in range(int(first), int(last or first) + 1):
            documented[f"{kind} {no}"] = ident
    numbering = (built / "results/report/bao_cao_bang_bieu.csv").read_text(encoding="utf-8").splitlines()[1:]
    written = dict(line.split(",", 1) for line in numbering)
    assert set(documented) == set(written)
    for number, ident in written.items():
        pattern = re.escape(documented[number]).replace(re.escape("<tỉnh>"), r"\w+")
        assert re.fullmatch(pattern, ident), (number, ident, documented[number])


def test_a_killed_run_recovers_with_make_recover_to_identical_bytes(built, tmp_path):
    """kill -9 in the middle of a run (jobs running, the folder locked, outputs half written),
    then the two commands of `make recover`: the same bytes as an uninterrupted run."""
    import json
    import os
    import signal
    import time

    recipe = (ROOT / "Makefile").read_text(encoding="utf-8").split("\nrecover:", 1)[1].split("\n\n", 1)[0]
    assert "snakemake --unlock" in recipe and "--rerun-incomplete" in recipe
    work = _copy_project(tmp_path)
    _edit_yaml(work / "config.yaml", lambda c: c["report"].update(date="2026-11-22"))
    proc = subprocess.Popen(
        [SNAKEMAKE, "--cores", "2"],
        cwd=work,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not list((work / "results/tables").glob("*.csv")):
        time.sleep(0.2)  # killed once the tables are being written: later jobs not done
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert not (work / "results/report/bao_cao.pdf").exists()
    again = _snakemake(work)
    said = (again.stdout + again.stderr).lower()  # why a plain rerun is not enough: locked, or incomplete
    assert again.returncode != 0 and ("lock" in said or "incomplete" in said)
    assert _snakemake(work, "--unlock").returncode == 0
    run = _snakemake(work, "--rerun-incomplete")
    assert run.returncode == 0, run.stderr[-3000:]
    first = json.loads((built / "results/manifest.json").read_text(encoding="utf-8"))
    second = json.loads((work / "results/manifest.json").read_text(encoding="utf-8"))
    differing = sorted(k for k in first["outputs"] if first["outputs"][k] != second["outputs"].get(k))
    assert not differing, differing
    assert not list(work.rglob("*.tmp")) and not list((work / "results").rglob("*.pdf.tmp"))


def test_a_failing_rule_prints_one_vietnamese_paragraph_and_no_traceback(tmp_path):
    """An error inside a job (here: tenure outside the configured band edges) reaches the console
    as one paragraph naming the step, its inputs, the cause and the log; the traceback stays in
    the log; nothing of the failed job is left behind."""
    work = _copy_project(tmp_path)
    bands = {"type": "bands", "edges": [1, 4, 8, 12]}  # the demo has tenure up to 16
    _edit_yaml(work / "config.yaml", lambda c: c["models"]["covariates"].update(tham_nien=bands))
    run = _snakemake(work, "results/models/theo_hoat_dong.csv")
    out = run.stdout + run.stderr
    assert run.returncode != 0
    assert "LỖI ở bước «fit_models»: config models.covariates.tham_nien: giá trị 12, 13" in out
    assert "results/logs/models/fit_models.log" in out and "Traceback" not in out
    assert "Traceback" in (work / "results/logs/models/fit_models.log").read_text(encoding="utf-8")
    assert not (work / "results/models/theo_hoat_dong.csv").exists()


def test_word_report_has_every_table_with_the_csvs_numbers(built):
    import pandas as pd
    from docx import Document

    doc = Document(built / "results/report/bao_cao.docx")
    numbering = pd.read_csv(built / "results/report/bao_cao_bang_bieu.csv")
    captions = [p.text.split(".")[0] for p in doc.paragraphs if p.style.name == "Caption"]
    assert captions == [c for c in captions if c] and set(numbering["so"]) == set(captions)
    levels = pd.read_csv(built / "results/tables/muc_do_tham_gia.csv")
    texts = {c.text for t in doc.tables for row in t.rows for c in row.cells}
    assert {str(n) for n in levels["n_tham_gia"]} <= texts
    assert len(doc.inline_shapes) == len(numbering[numbering["so"].str.startswith("Biểu đồ")])  # every chart
    for name in ["bao_cao", *(f"bao_cao_tinh_{t}" for t in ("binh_duong", "dong_nai", "tphcm"))]:
        _assert_a_manuscript(built / f"results/report/{name}.docx", built / f"results/report/{name}.html")
        assert_word_tables_are_the_reports(
            built / f"results/report/{name}.docx", built / f"results/report/{name}.html"
        )


def _table_grid(table) -> list[list[str]]:
    """A report table (html_blocks.Table) as the grid Word shows: a spanned cell repeated in
    every column and row it covers, as python-docx reads merged cells."""
    out, pending = [], {}  # column -> (text, rows still covered)
    for row in table.head + table.body:
        line, col, cells = [], 0, list(row)
        while cells or col in pending:
            if col in pending:
                text, left = pending.pop(col)
                if left > 1:
                    pending[col] = (text, left - 1)
                line.append(text)
                col += 1
                continue
            cell = cells.pop(0)
            for _ in range(cell.colspan):
                if cell.rowspan > 1:
                    pending[col] = (_plain_cell(cell.text), cell.rowspan - 1)
                line.append(_plain_cell(cell.text))
                col += 1
        out.append(line)
    return out


def _plain_cell(text: str) -> str:
    return " ".join(text.replace("\u2060", "").replace("\u00a0", " ").split())


def assert_word_tables_are_the_reports(docx, html_path) -> None:
    """Issue 24: the Word file has every table of the report (numbered or not), cell by cell."""
    from docx import Document

    from chinhquyenso.report.html_blocks import read_blocks

    tables = [b.table for b in read_blocks(html_path.read_text(encoding="utf-8")) if b.kind == "table"]
    doc = Document(docx)
    assert len(doc.tables) == len(tables), (docx.name, len(doc.tables), len(tables))
    for table, word in zip(tables, doc.tables, strict=True):
        got = [[_plain_cell(c.text) for c in row.cells] for row in word.rows]
        assert got == _table_grid(table), (docx.name, table.id)


def _assert_a_manuscript(docx, html_path) -> None:
    """What issue 24 asks of every Word file: columns within the text width, no number broken,
    no theme font, Vietnamese, the contents listed, header rows repeated, every picture with
    the report's alt text."""
    import re
    import zipfile

    from docx import Document

    from chinhquyenso.report.docx_tables import WJ
    from chinhquyenso.report.html_blocks import read_blocks

    html = html_path.read_text(encoding="utf-8")
    doc = Document(docx)
    with zipfile.ZipFile(docx) as z:
        styles, settings = z.read("word/styles.xml").decode(), z.read("word/settings.xml").decode()
    assert "Theme=" not in styles and "cstheme" not in styles, docx.name
    assert set(re.findall(r'<w:lang w:val="([^"]+)"', styles)) == {"vi-VN"}
    assert doc.core_properties.language == "vi-VN" and "<w:updateFields" in settings
    assert doc.styles["Heading 1"].font.name == "Times New Roman"
    text_width = doc.sections[0].page_width - doc.sections[0].left_margin - doc.sections[0].right_margin
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    for table in doc.tables:
        grid = [int(col.get(f"{w}w")) for col in table._tbl.tblGrid.findall(f"{w}gridCol")]
        assert sum(grid) * 635 <= text_width + 635 * 20, docx.name  # twips -> EMU
        assert table.rows[0]._tr.find(f"{w}trPr/{w}tblHeader") is not None
        cells = [c.text for row in table.rows for c in row.cells]
        assert not [t for t in cells if re.search(r"\d[–/]\d|< \d", t)], cells  # joined: "0,64⁠–⁠1,12"
    assert any(WJ in c.text for t in doc.tables for row in t.rows for c in row.cells) or "–" not in html
    headings = [b.text for b in read_blocks(html) if b.kind == "heading" and b.level >= 2]
    entries = [p.text for p in doc.paragraphs if p.style.name in ("toc 1", "toc 2")]
    assert entries == headings, docx.name
    alts = [b.alt for b in read_blocks(html) if b.kind == "figure"]
    assert [s._inline.docPr.get("descr") for s in doc.inline_shapes] == alts and all(alts)


def test_workbook_holds_every_numbered_table_with_the_csvs_numbers(built):
    import pandas as pd
    from openpyxl import load_workbook

    numbering = pd.read_csv(built / "results/report/bao_cao_bang_bieu.csv")
    tables = numbering[numbering["so"].str.startswith("Bảng ")]
    book = load_workbook(built / "results/report/bang_bieu.xlsx")
    assert book.sheetnames[1:] == list(tables["so"])
    sheet = book[tables.set_index("id").at["muc_do_tham_gia", "so"]]
    numbers = {c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, int | float)}
    levels = pd.read_csv(built / "results/tables/muc_do_tham_gia.csv")
    assert set(levels["n_tham_gia"]) <= numbers and set(levels["n_rat_cao"]) <= numbers
    for name in ["bang_bieu", *(f"bang_bieu_tinh_{t}" for t in ("binh_duong", "dong_nai", "tphcm"))]:
        _assert_an_analysts_workbook(built, name)


def _assert_an_analysts_workbook(built, name: str) -> None:
    """Every workbook (the overall one and one per province, beside its Word file): one sheet
    per numbered table of its report, years printed as written, every sheet on A4 one page wide."""
    import pandas as pd
    from openpyxl import load_workbook

    report = name.replace("bang_bieu", "bao_cao")
    numbering = pd.read_csv(built / f"results/report/{report}_bang_bieu.csv")
    book = load_workbook(built / f"results/report/{name}.xlsx")
    assert book.sheetnames[1:] == [s for s in numbering["so"] if s.startswith("Bảng ")], name
    years = [c for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value in (2022, 2023)]
    assert years and {c.number_format for c in years} == {"[$-42A]0"}, name  # "2022", not "2.022"
    for ws in book.worksheets:
        assert ws.page_setup.paperSize == 9 and ws.sheet_properties.pageSetUpPr.fitToPage, (name, ws.title)
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0), (name, ws.title)
    manifest = (built / "results/manifest.json").read_text(encoding="utf-8")
    assert f'"results/report/{name}.xlsx"' in manifest  # published, with its hash
    _assert_every_row_as_the_pdf_prints_it(built, report, book)


def _assert_every_row_as_the_pdf_prints_it(built, report: str, book) -> None:
    """Row by row, the sheet holds the report's values: numbers as numbers, an unverified value
    ("35*" in the PDF) as the number 35 with "*" in the column after it."""
    from chinhquyenso.report.html_blocks import read_tables
    from chinhquyenso.report.workbook import as_number, split_mark

    pdf = _pdf_text(built / f"results/report/{report}.pdf")
    marked = 0
    for table in read_tables((built / f"results/report/{report}.html").read_text(encoding="utf-8")):
        sheet = book[table.caption.split(".")[0]]
        first = len(table.head) + 2
        rows = sheet.iter_rows(min_row=first, max_row=first + len(table.body) - 1, values_only=True)
        for ours, theirs in zip(rows, table.body, strict=True):
            expected = []
            for cell in theirs:
                text, mark = (cell.text, "") if cell.colspan > 1 else split_mark(cell.text)
                parsed = None if cell.header else as_number(text)
                expected += [v for v in (parsed[0] if parsed else text, mark) if v != ""]
                if mark and parsed:
                    marked += 1
                    assert cell.text in pdf, cell.text  # the number and its asterisk, as printed
            assert [v for v in ours if v not in (None, "")] == expected, (report, table.caption)
    assert marked > 10, report  # the DTI ranks at least


def _add_province_without_respondents(codebook: dict) -> None:
    variable = next(v for v in codebook["variables"] if v["name"] == codebook["roles"]["province"])
    variable["categories"].append({"value": "Tây Ninh", "raw": ["Tây Ninh"]})


def test_with_a_high_threshold_every_published_file_comes_from_protected_tables(tmp_path):
    """report.min_cell: 20 on the demo: cells are hidden in every report; what each PDF attaches
    is byte for byte the protected table, the charts and reports read only protected tables, and
    only the disclosure stage and the reproduction check read the raw ones. The codebook also
    lists a province nobody answered from: it gets no report, and the run goes through."""
    import csv
    import io

    work = _copy_project(tmp_path)
    _edit_yaml(work / "config.yaml", lambda c: c["report"].update(date="2026-11-22", min_cell=20))
    _edit_yaml(work / "resources/codebook.yaml", _add_province_without_respondents)
    run = _snakemake(work)
    assert run.returncode == 0, run.stderr[-4000:]
    assert sorted(p.name for p in (work / "results/report").glob("bao_cao_tinh_*.pdf")) == [
        "bao_cao_tinh_binh_duong.pdf",
        "bao_cao_tinh_dong_nai.pdf",
        "bao_cao_tinh_tphcm.pdf",
    ]
    said = (work / "results/logs/tables/province_tables.log").read_text(encoding="utf-8")
    assert "tỉnh «Tây Ninh» có trong codebook nhưng không có người trả lời: không lập báo cáo" in said
    summary = list(csv.DictReader((work / "results/tables/kiem_soat_cong_bo.csv").open(encoding="utf-8")))
    assert sum(int(r["so_o_an"]) for r in summary) > 0
    said = (work / "results/logs/disclosure/protect_tables.log").read_text(encoding="utf-8")
    assert "ô nhỏ" in said and "ô bổ sung" in said  # which are small: in the log only
    for pdf in sorted((work / "results/report").glob("*.pdf")):
        province = pdf.stem.removeprefix("bao_cao_tinh_") if "tinh" in pdf.stem else ""
        folder = work / "results/tables" / ("tinh/" + province if province else "")
        attachments = PdfReader(pdf).attachments
        for name in [n for n in attachments if not n.startswith("gop_va_chi_so")]:
            assert attachments[name][0] == (folder / name).read_bytes(), (pdf.name, name)
        assert "(ẩn)" in _pdf_text(pdf) and "Kiểm soát công bố số liệu" in _pdf_text(pdf)
    # a chart every bar of which is hidden is left out, with a sentence, not drawn empty
    numbering = (work / "results/report/bao_cao_tinh_binh_duong_bang_bieu.csv").read_text(encoding="utf-8")
    assert "bieu_do_muc_do" not in numbering
    assert "Biểu đồ phân bố mức độ theo hoạt động không được trình bày" in _pdf_text(
        work / "results/report/bao_cao_tinh_binh_duong.pdf"
    )
    # which rule reads what: Snakemake's own record of every output's inputs
    listing = _snakemake(work, "--detailed-summary")
    assert listing.returncode == 0, listing.stderr[-2000:]
    rows = list(csv.DictReader(io.StringIO(listing.stdout), delimiter="\t"))
    readers = {r["rule"] for r in rows if "results/internal/tables/" in r["input-file(s)"]}
    assert readers == {"protect_tables", "check_reproduction"}, readers


def _jobs(listing: str) -> set[str]:
    """Rule names of the 'Job stats' table that ``snakemake -n`` prints."""
    table = listing.split("Job stats:", 1)[1].split("\n\n", 1)[0]
    return {line.split()[0] for line in table.splitlines()[3:] if line.strip() and line.split()[0] != "total"}


def test_an_edited_module_reruns_the_rules_that_use_it_and_what_follows_only(built):
    """A package module is an input of every rule whose script uses it (chinhquyenso.code_deps):
    an edited model function re-runs the models and what is made from them, nothing else."""
    import os

    cases = {
        "scripts/chinhquyenso/models/fitting.py": {
            "fit_models",
            "describe_effects",
            "figures_models",
            "render_report",
            "word_report",
            "workbook",
            "manifest",
            "all",
        },
        "scripts/chinhquyenso/disclosure/audit.py": {
            "protect_tables",
            "figures_survey",
            "province_figures",
            "render_report",
            "render_province_report",
            "word_report",
            "word_province_report",
            "workbook",
            "province_workbook",
            "manifest",
            "all",
        },
    }
    for module, expected in cases.items():
        path = built / module
        before, stat = path.read_bytes(), path.stat()
        try:
            path.write_bytes(before + "\n# một chỉnh sửa\n".encode())
            run = _snakemake(built, "-n")
            assert run.returncode == 0, run.stderr[-2000:]
            assert _jobs(run.stdout) == expected, module
        finally:  # the built project as it was, for the other tests
            path.write_bytes(before)
            os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    again = _snakemake(built, "-n")
    assert "Nothing to be done" in again.stdout + again.stderr


def test_a_survey_of_one_respondent_gives_a_report_that_says_what_it_could_not_estimate(tmp_path):
    """The most degenerate survey still ends in a report: no model can be estimated (said in one
    sentence), every count is hidden, and no province reaches the threshold for a report."""
    work = _copy_project(tmp_path)
    rows = (work / "resources/demo/khao_sat_2023_demo.csv").read_text(encoding="utf-8").splitlines()
    (work / "resources/survey/mot_nguoi.csv").write_text("\n".join(rows[:2]) + "\n", encoding="utf-8")

    def one_respondent(c):
        c["survey"]["path"] = "resources/survey/mot_nguoi.csv"
        c["report"]["date"] = "2026-11-22"
        c["reproduction"]["published"] = None  # the article's figures are of 360 respondents

    _edit_yaml(work / "config.yaml", one_respondent)
    run = _snakemake(work)
    assert run.returncode == 0, run.stderr[-4000:]
    text = " ".join(_pdf_text(work / "results/report/bao_cao.pdf").split())
    assert "Mẫu gồm 1 người trả lời" in text
    assert "khảo sát chỉ có 1 người trả lời" in text  # why the models are left out
    assert not list((work / "results/report").glob("bao_cao_tinh_*"))
    for name in ("tham_gia_truc_tiep", "ty_le_khac", "cap_hanh_chinh"):  # a sample of 1: all hidden
        with (work / f"results/tables/{name}.csv").open(encoding="utf-8") as fh:
            assert all(r["n"] == "" for r in csv.DictReader(fh)), name
