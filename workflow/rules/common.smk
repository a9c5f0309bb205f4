import os
import sys
from pathlib import Path

from snakemake.exceptions import WorkflowError
from snakemake.utils import validate

# The package is importable while the job graph is built: the codebook decides which tables,
# charts and report sections this form gives (chinhquyenso.plan).
sys.path.insert(0, str(Path(workflow.basedir) / "scripts"))
from chinhquyenso import config_check, plan, products  # noqa: E402
from chinhquyenso.design import check as design_check  # noqa: E402
from chinhquyenso.design.spec import declared  # noqa: E402
from chinhquyenso.code_deps import modules_of  # noqa: E402
from chinhquyenso.vn_format import slug  # noqa: E402

SCHEMA = Path(workflow.basedir) / "workflow/schemas/config.schema.yaml"
_schema_problems = config_check.schema_problems(
    config, SCHEMA
)  # in Vietnamese, every key
if _schema_problems:
    raise WorkflowError(
        "Cấu hình (config.yaml) không hợp lệ:\n  - " + "\n  - ".join(_schema_problems)
    )
validate(config, "../schemas/config.schema.yaml")  # fills the schema's defaults

try:  # config and codebook agree, or the run stops here, before any job
    CODEBOOK = config_check.load_checked(config, workflow.basedir)
except config_check.ConfigError as err:
    raise WorkflowError(str(err)) from None
# The registry (chinhquyenso.products) says which tables and charts this form gives. Raw tables
# stay in results/internal/ (read by the disclosure stage and the reproduction check only); every
# published file is made from the protected copies in results/tables/.
TABLES = plan.table_files(CODEBOOK)
RAW_TABLES = plan.table_files(CODEBOOK, products.INTERNAL_TABLES)
SURVEY_FIGURES = plan.survey_figures(CODEBOOK)
HAS_ACTIVITIES = CODEBOOK.activities is not None
# predictions are drawn along tenure: only when the form asks it and the models use it
HAS_PREDICTIONS = HAS_ACTIVITIES and plan.has_predictions(CODEBOOK, config["models"])
# `documents: null`: no document extracts (no context section); `dti_period: null`: no DTI ranks.
DOCUMENTS = config.get("documents") or {}
HAS_DTI = bool(DOCUMENTS.get("dti_period"))
# `interviews: null`: no in-depth interviews (rule check_interviews is not even included, no
# interview section in the reports).
INTERVIEWS = config.get("interviews") or {}
if INTERVIEWS:  # checked before any rule lists their files (the manifest hashes them)
    from chinhquyenso.interviews.register import settings_problems

    _interview_problems = settings_problems(INTERVIEWS, workflow.basedir)
    if _interview_problems:
        raise WorkflowError(
            "Cấu hình phỏng vấn sâu (config.yaml, interviews:) không dùng được:\n  - "
            + "\n  - ".join(_interview_problems)
        )
INTERVIEW_RESULTS = {
    "iv_excerpts": "results/interviews/trich_doan_kiem_chung.csv",
    "iv_themes": "results/interviews/chu_de_theo_tinh.csv",
    "iv_summary": "results/interviews/tom_tat.json",
}
# A sampling design (codebook roles weight/strata/psu/fpc) or weights calibrated to totals
# (survey.weighting): rule survey_design runs and the report's estimates are design-based.
DESIGN_TOTALS = design_check.totals_files(config)
HAS_DESIGN = declared(CODEBOOK, config["survey"].get("weighting"))


SCRIPTS = os.path.relpath(Path(workflow.basedir) / "scripts")


def code_of(script):
    """The package files a rule's script runs (chinhquyenso.code_deps), as inputs of the rule:
    an edited module re-runs the rules that use it, and everything downstream, nothing else.
    """
    return modules_of(f"{SCRIPTS}/{script}", SCRIPTS)


def mem_mb(base, per_input_mb):
    """Memory request (MB) of a job: ``base`` plus ``per_input_mb`` per MB of its inputs,
    doubled on a retry (SLURM kills a job that exceeds its request). Factors are from
    benchmarks/bench_workflow.py runs at N = 1M (README, "Measured")."""

    def request(wildcards, input, attempt):
        return int((base + per_input_mb * input.size_mb) * (2 ** (attempt - 1)))

    return request


def runtime_min(base, per_input_mb):
    """Run-time request (minutes), growing with the inputs' size like mem_mb."""

    def request(wildcards, input, attempt):
        return int((base + per_input_mb * input.size_mb) * attempt)

    return request


def in_report(paths, category, caption="../report/bang.rst"):
    """Annotate outputs for Snakemake's HTML report (snakemake --report)."""
    return {
        k: report(v, caption=caption, category=category, labels={"tệp": Path(v).name})
        for k, v in paths.items()
    }


# Vendored fonts are inputs of the rules that draw text: a new font rebuilds figures and report.
FONTS = sorted(str(p) for p in Path(config["report"]["font_dir"]).glob("*.ttf"))
if not FONTS:
    raise WorkflowError(
        f"Cấu hình (config.yaml), khóa report.font_dir: thư mục «{config['report']['font_dir']}» "
        "không có tệp phông chữ .ttf nào; đặt các tệp phông (ví dụ Noto Serif) vào đó"
    )


PROVINCES = (
    CODEBOOK[CODEBOOK.role("province")].values if CODEBOOK.role("province") else []
)


# One report per province: results/report/bao_cao_tinh_<slug>.pdf
PROVINCE_BY_SLUG = {slug(p): p for p in PROVINCES}


wildcard_constraints:
    tinh="|".join(PROVINCE_BY_SLUG) or "__none__",


def province_name(wildcards):
    return PROVINCE_BY_SLUG[wildcards.tinh]


# Province tables and charts: one folder per province with respondents, under these three.
PROVINCE_RAW_DIR = f"{products.INTERNAL_TABLES}/tinh"
PROVINCE_TABLE_DIR = f"{products.PUBLISHED_TABLES}/tinh"
PROVINCE_FIGURE_DIR = "results/figures/tinh"


def province_tables(tinh, folder=products.PUBLISHED_TABLES):
    return products.province_table_files(CODEBOOK, tinh, folder)


def present_provinces():
    """File-name slugs of the codebook's provinces that have respondents, in codebook order: the
    folders checkpoint province_tables wrote. A province the codebook lists and the survey does
    not reach gets no report (a national codebook, a survey of three provinces)."""
    if not PROVINCE_BY_SLUG:
        return []
    folder = Path(checkpoints.province_tables.get().output[0])
    return [t for t in PROVINCE_BY_SLUG if (folder / t).is_dir()]


def province_files(wildcards):
    """A province report's own tables and charts (table key or chart id -> path), inside the
    province folders its rule declares as inputs."""
    files = dict(province_tables(wildcards.tinh))
    files.update(
        {k: f"{PROVINCE_FIGURE_DIR}/{wildcards.tinh}/{k}.svg" for k in SURVEY_FIGURES}
    )
    return files


def province_report_inputs(wildcards):
    """What a province's report reads: what every report reads, and the folders of the
    provinces' tables and charts (the models, the reproduction check and the waves concern
    the whole sample)."""
    inputs = common_report_inputs()
    inputs["province_tables"] = PROVINCE_TABLE_DIR
    if SURVEY_FIGURES:
        inputs["province_figures"] = PROVINCE_FIGURE_DIR
    inputs["clean_table"] = (
        "results/clean/khao_sat.parquet"  # to keep the province's log rows
    )
    if HAS_DESIGN:  # the province's weighted shares (variance from the whole design)
        inputs.update(
            design_summary="results/design/thiet_ke.json",
            design_shares="results/design/ty_le_co_trong_so.csv",
            design_means="results/design/trung_binh_co_trong_so.csv",
        )
    return inputs


# Survey waves: `survey` is the wave the report analyses; `waves` are the others to compare
# with it. Keyed by year, in time order.
WAVES = {
    str(w["year"]): w for w in sorted(config.get("waves", []), key=lambda w: w["year"])
}


def wave_labels():
    """Every wave's year, in time order (the main wave among them)."""
    return sorted([str(config["survey"]["year"]), *WAVES], key=int)


def wave_inputs(kind):
    """Clean tables or codebooks of every wave, in the order of wave_labels()."""
    main = str(config["survey"]["year"])
    if kind == "tables":
        return [
            (
                "results/clean/khao_sat.parquet"
                if y == main
                else f"results/clean/dot_{y}/khao_sat.parquet"
            )
            for y in wave_labels()
        ]
    return [
        config["survey"]["codebook"] if y == main else WAVES[y]["codebook"]
        for y in wave_labels()
    ]


COMPARISON = {
    "participation": "results/comparison/tham_gia.csv",
    "levels": "results/comparison/muc_do.csv",
    "units": "results/comparison/theo_don_vi.csv",
    "mapping": "results/comparison/anh_xa_don_vi.csv",
}


def extract_files():
    """The document extracts: the main file and each wave's own, if any."""
    if not DOCUMENTS:
        return []
    return [DOCUMENTS["extracts"]] + [
        w["extracts"] for w in WAVES.values() if w.get("extracts")
    ]


def document_texts():
    """Source texts named in the sources file that are present in the project."""
    import yaml

    if not DOCUMENTS:
        return []
    with open(DOCUMENTS["sources"], encoding="utf-8") as fh:
        sources = yaml.safe_load(fh)["sources"]
    return sorted(
        s["file"] for s in sources if s.get("file") and Path(s["file"]).exists()
    )


def interview_transcripts():
    """Every transcript file of the interviews' folder: an edited one re-runs their check."""
    folder = Path(INTERVIEWS["transcripts"])
    return sorted(
        str(p) for p in folder.iterdir() if p.suffix.lower() in (".txt", ".md", ".docx")
    )


def interview_files():
    """The interviews' declared files (hashes in the manifest; nothing of them is copied):
    register, protected names, themes, excerpts and every transcript."""
    if not INTERVIEWS:
        return []
    from chinhquyenso.interviews.register import Settings

    cfg = Settings.from_config(INTERVIEWS)
    return [
        cfg.register,
        cfg.protected,
        cfg.themes,
        *cfg.excerpts,
        *interview_transcripts(),
    ]


def reproduction_enabled():
    return bool(config["reproduction"].get("published"))


TEMPLATES = sorted(
    str(p) for p in Path(config["report"]["template_dir"]).rglob("*.j2")
) + [f"{config['report']['template_dir']}/sections.yaml"]


def reference_codebooks():
    """Codebooks the methods section compares this form with: survey.reference_codebook and
    the other waves' codebooks."""
    refs = [config["survey"].get("reference_codebook")]
    refs += [w["codebook"] for w in WAVES.values()]
    return list(dict.fromkeys(r for r in refs if r))


def common_report_inputs():
    """Inputs of every report, the overall one and each province's."""
    inputs = dict(
        disclosure="results/tables/kiem_soat_cong_bo.csv",
        cleaning_log="results/clean/nhat_ky_lam_sach.csv",
        template=f"{config['report']['template_dir']}/report.html.j2",
        templates=TEMPLATES,  # every partial: editing one section re-renders the reports
        css=f"{config['report']['template_dir']}/report.css",
        fonts=FONTS,
        codebook=config["survey"]["codebook"],
        survey=config["survey"]["path"],
        config_file="config.yaml",
        reference_codebooks=reference_codebooks(),
    )
    if DOCUMENTS:
        inputs.update(
            doc_checked="results/documents/trich_xuat_kiem_chung.csv",
            doc_chosen="results/documents/gia_tri_chon.csv",
            doc_conflicts="results/documents/xung_dot.csv",
            dti="results/documents/bang_dti.csv",
            doc_sources=DOCUMENTS["sources"],
            doc_indicators=DOCUMENTS["indicators"],
        )
    if HAS_DTI:
        inputs["bieu_do_dti"] = "results/figures/bieu_do_dti.svg"
    if INTERVIEWS:
        inputs.update(INTERVIEW_RESULTS)
    return inputs


def report_inputs(wildcards):
    """The overall report: every report's inputs, the whole sample's tables and charts, and what
    concerns the whole sample only (models, reproduction check, waves)."""
    inputs = common_report_inputs()
    inputs.update(TABLES)
    inputs.update({k: f"results/figures/{k}.svg" for k in SURVEY_FIGURES})
    if HAS_ACTIVITIES:
        inputs.update(
            models_per_activity="results/models/theo_hoat_dong.csv",
            models_pooled="results/models/gop_va_chi_so.csv",
            models_brant="results/models/kiem_dinh_ty_le_chenh.csv",
            models_bivariate="results/models/kiem_dinh_hai_bien.csv",
            models_summary="results/models/tom_tat.json",
            models_effects="results/models/do_lon_hieu_ung.csv",
            bieu_do_ty_so_chenh="results/figures/bieu_do_ty_so_chenh.svg",
        )
    if HAS_PREDICTIONS:
        inputs["bieu_do_du_doan"] = "results/figures/bieu_do_du_doan.svg"
    if HAS_DESIGN:
        inputs.update(
            design_summary="results/design/thiet_ke.json",
            design_shares="results/design/ty_le_co_trong_so.csv",
            design_means="results/design/trung_binh_co_trong_so.csv",
        )
    if reproduction_enabled():
        inputs["comparison"] = "results/reproduction/doi_chieu.csv"
        inputs["published"] = config["reproduction"]["published"]
    if WAVES:
        inputs.update({f"so_sanh_{k}": v for k, v in COMPARISON.items()})
        inputs["bieu_do_so_sanh_dot"] = "results/figures/bieu_do_so_sanh_dot.svg"
        inputs["wave_codebooks"] = wave_inputs("codebooks")
    return inputs


def provenance_inputs():
    """Every file the workflow reads that is not made by it."""
    files = [
        "config.yaml",
        config["survey"]["path"],
        config["survey"]["codebook"],
        *([DOCUMENTS["sources"]] if DOCUMENTS else []),
        *extract_files(),
        *TEMPLATES,
        f"{config['report']['template_dir']}/report.css",
        *reference_codebooks(),
        *FONTS,
        *document_texts(),
        *interview_files(),
    ]
    if reproduction_enabled():
        files.append(config["reproduction"]["published"])
    files += DESIGN_TOTALS
    for wave in WAVES.values():
        files += [wave["path"], wave["codebook"]]
    return list(dict.fromkeys(files))


def final_outputs(wildcards=None, manifest=True):
    outputs = [
        "results/report/bao_cao.pdf",
        "results/report/bang_bieu.xlsx",
        "results/report/bao_cao.docx",
    ]
    if DOCUMENTS:
        outputs.append("results/documents/candidates.csv")
    if manifest:
        outputs.append("results/manifest.json")
    outputs += [
        f"results/report/{name}_tinh_{t}.{ext}"
        for t in present_provinces()
        for name, ext in (
            ("bao_cao", "pdf"),
            ("bao_cao", "docx"),
            ("bang_bieu", "xlsx"),
        )
    ]
    if reproduction_enabled():
        outputs.append("results/reproduction/doi_chieu.csv")
    return outputs
