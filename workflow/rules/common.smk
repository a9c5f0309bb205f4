from pathlib import Path

from snakemake.exceptions import WorkflowError
from snakemake.utils import validate

validate(config, "../schemas/config.schema.yaml")

TABLES = {
    "gender": "results/tables/bang_gioi_tinh_theo_tinh.csv",
    "admin_levels": "results/tables/cap_hanh_chinh.csv",
    "levels": "results/tables/muc_do_tham_gia.csv",
    "direct": "results/tables/tham_gia_truc_tiep.csv",
    "shares": "results/tables/ty_le_khac.csv",
    "profile": "results/tables/ho_so_mau.csv",
}

# Vendored fonts are inputs of the rules that draw text: a new font rebuilds figures and report.
FONTS = sorted(str(p) for p in Path(config["report"]["font_dir"]).glob("*.ttf"))
if not FONTS:
    raise WorkflowError(
        f"config report.font_dir: no .ttf font in '{config['report']['font_dir']}'"
    )


def reproduction_enabled():
    return bool(config["reproduction"].get("published"))


def report_inputs(wildcards):
    inputs = dict(TABLES)
    inputs.update(
        cleaning_log="results/clean/nhat_ky_lam_sach.csv",
        bieu_do_1="results/figures/bieu_do_1_tham_gia_truc_tiep.svg",
        template=f"{config['report']['template_dir']}/report.html.j2",
        css=f"{config['report']['template_dir']}/report.css",
        fonts=FONTS,
    )
    if reproduction_enabled():
        inputs["comparison"] = "results/reproduction/doi_chieu.csv"
    return inputs


def final_outputs():
    outputs = ["results/report/bao_cao.pdf"]
    if reproduction_enabled():
        outputs.append("results/reproduction/doi_chieu.csv")
    return outputs
