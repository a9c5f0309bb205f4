"""Rule figures_survey: barriers, the five levels per activity, breakdowns by group."""

from pathlib import Path

from chinhquyenso import figures
from chinhquyenso.smk import run
from chinhquyenso.tables import read_table


def main(smk):
    figures.use_project_style(Path(smk.input.fonts[0]).parent)
    out = smk.output
    figures.save(figures.barrier_chart(read_table(smk.input.shares)), [out.barriers_svg, out.barriers_png])
    figures.save(figures.level_chart(read_table(smk.input.levels)), [out.levels_svg, out.levels_png])
    figures.save(figures.breakdown_chart(read_table(smk.input.breakdowns)), [out.groups_svg, out.groups_png])


run(main, snakemake)  # noqa: F821 - injected by Snakemake
