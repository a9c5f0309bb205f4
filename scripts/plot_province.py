"""Rule province_figures: the survey charts of one province's report (SVG)."""

from pathlib import Path

from chinhquyenso import figures
from chinhquyenso.smk import run
from chinhquyenso.tables import read_table


def main(smk):
    figures.use_project_style(Path(smk.input.fonts[0]).parent)
    inp, out = smk.input, smk.output
    figures.save(figures.direct_participation_chart(read_table(inp.direct)), [out.bieu_do_1])
    figures.save(figures.barrier_chart(read_table(inp.shares)), [out.barriers_svg])
    figures.save(figures.level_chart(read_table(inp.levels)), [out.levels_svg])
    figures.save(figures.breakdown_chart(read_table(inp.breakdowns)), [out.groups_svg])


run(main, snakemake)  # noqa: F821 - injected by Snakemake
