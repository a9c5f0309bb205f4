"""Rule province_figures: the survey charts of every province's report (SVG, and PNG for its
Word report), in one job, into one folder per province (results/figures/tinh/<slug>/)."""

from pathlib import Path

from chinhquyenso import figures, products
from chinhquyenso.answered import load_answered
from chinhquyenso.smk import run
from chinhquyenso.survey_figures import draw_all


def main(smk):
    figures.use_project_style(Path(smk.input.fonts[0]).parent)
    book = load_answered(smk.input.codebook, smk.config["survey"])
    source, target = Path(smk.input.tables), Path(smk.output[0])
    target.mkdir(parents=True, exist_ok=True)
    for slug in smk.params.provinces:
        if not (source / slug).is_dir():
            continue  # no respondents there: no report
        (target / slug).mkdir(exist_ok=True)
        tables = {key: source / slug / f"{products.by_key(key).id}.csv" for key in smk.params.tables}
        paths = {f: [target / slug / f"{f}.svg", target / slug / f"{f}.png"] for f in smk.params.figures}
        draw_all(tables, book, paths)


run(main, snakemake)  # noqa: F821 - injected by Snakemake
