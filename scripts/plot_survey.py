"""Rule figures_survey: the survey charts this form gives (chinhquyenso.plan.survey_figures)."""

from pathlib import Path

from chinhquyenso import figures
from chinhquyenso.answered import load_answered
from chinhquyenso.smk import run
from chinhquyenso.survey_figures import draw_all


def main(smk):
    figures.use_project_style(Path(smk.input.fonts[0]).parent)
    book = load_answered(smk.input.codebook, smk.config["survey"])
    outputs = {f: [smk.output[f"{f}__svg"], smk.output[f"{f}__png"]] for f in smk.params.figures}
    draw_all(dict(smk.input.items()), book, outputs)


run(main, snakemake)  # noqa: F821 - injected by Snakemake
