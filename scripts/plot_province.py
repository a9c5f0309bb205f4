"""Rule province_figures: the survey charts of every province's report (SVG), in one job."""

from pathlib import Path

from chinhquyenso import figures
from chinhquyenso.codebook import load_codebook
from chinhquyenso.smk import run
from chinhquyenso.survey_figures import draw_all


def main(smk):
    figures.use_project_style(Path(smk.input.fonts[0]).parent)
    book = load_codebook(smk.input.codebook)
    inp = dict(smk.input.items())
    for t in smk.params.provinces:
        tables = {k.split("__", 1)[1]: v for k, v in inp.items() if k.startswith(f"{t}__")}
        paths = {f: [smk.output[f"{t}__{f}"], smk.output[f"{t}__{f}__png"]] for f in smk.params.figures}
        draw_all(tables, book, paths)


run(main, snakemake)  # noqa: F821 - injected by Snakemake
