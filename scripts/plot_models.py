"""Rule figures_models: forest plot of odds ratios and predicted-probability chart."""

from pathlib import Path

from chinhquyenso import figures
from chinhquyenso.codebook import load_codebook
from chinhquyenso.smk import run
from chinhquyenso.tables import read_table


def main(smk):
    book = load_codebook(smk.input.codebook)
    figures.use_project_style(Path(smk.input.fonts[0]).parent)
    per, pooled = read_table(smk.input.per_activity), read_table(smk.input.pooled)
    terms = [(t, lbl) for t, lbl in figures.focal_terms(pooled, "gop_logit_tham_gia")]
    fig = figures.forest_chart(per, pooled, book.group_items("hoat_dong"), terms)
    figures.save(fig, [smk.output.forest_svg, smk.output.forest_png])
    fig = figures.prediction_chart(
        read_table(smk.input.predictions),
        {
            "ty_le_tham_gia": "Tỷ lệ hoạt động trực tiếp tham gia (dự đoán)",
            "ty_le_muc_cao": "Tỷ lệ ở mức Cao/Rất cao trong các hoạt động tham gia (dự đoán)",
        },
        book["cap_hanh_chinh"].values,
        book["gioi_tinh"].values,
    )
    figures.save(fig, [smk.output.pred_svg, smk.output.pred_png])


run(main, snakemake)  # noqa: F821 - injected by Snakemake
