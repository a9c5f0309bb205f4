"""Rule figures_models: forest plot of odds ratios; with tenure in the models, predictions.

Every declared file is written, also when the data could not support a model (see
chinhquyenso.models.estimable): the chart then says what could not be estimated, and the
report leaves it out."""

from pathlib import Path

from chinhquyenso import figures
from chinhquyenso.answered import load_answered
from chinhquyenso.models.effects import with_value_labels
from chinhquyenso.smk import run
from chinhquyenso.tables import read_table


def main(smk):
    book = load_answered(smk.input.codebook, smk.config["survey"])
    acts = book.activities
    figures.use_project_style(Path(smk.input.fonts[0]).parent)
    shown = {name: book.value_labels(name) for name in smk.params.focal}  # groups as the report prints them
    per = with_value_labels(read_table(smk.input.per_activity), shown)
    pooled = with_value_labels(read_table(smk.input.pooled), shown)
    labels = {v.name: v.short_label or v.label for v in book.variables}
    terms = figures.focal_terms(pooled, "gop_logit_tham_gia", smk.params.focal, labels)
    if not terms:  # the pooled logit left out (models.estimable): the terms of the per-activity ones
        terms = list(dict.fromkeys(figures.focal_terms(per, "logit_tham_gia", smk.params.focal, labels)))
    figures.save(
        figures.forest_chart(per, pooled, acts.items, terms, alpha=1 - float(smk.params.confidence)),
        [smk.output.forest_svg, smk.output.forest_png],
    )
    if not hasattr(smk.input, "predictions"):
        return  # no tenure in this form's models: no prediction chart
    pred = read_table(smk.input.predictions)
    by = {
        r: (book.role(r), book[book.role(r)].values)
        for r in ("admin_level", "gender")
        if book.role(r) in pred
    }
    tenure = book.role("tenure")
    high = acts.scale.band_label(acts.scale.high_from)
    fig = figures.prediction_chart(
        pred,
        {
            "ty_le_tham_gia": "Tỷ lệ hoạt động trực tiếp tham gia (dự đoán)",
            "ty_le_muc_cao": f"Tỷ lệ ở mức {high} trong các hoạt động tham gia (dự đoán)",
        },
        by.get("admin_level"),
        by.get("gender"),
        (tenure, book[tenure].label),
    )
    figures.save(fig, [smk.output.pred_svg, smk.output.pred_png])


run(main, snakemake)  # noqa: F821 - injected by Snakemake
