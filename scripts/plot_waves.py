"""Rule figure_waves: change between survey waves per activity, with confidence intervals."""

from pathlib import Path

from chinhquyenso import figures
from chinhquyenso.smk import run
from chinhquyenso.tables import read_table


def main(smk):
    figures.use_project_style(Path(smk.input.fonts[0]).parent)
    participation = read_table(smk.input.participation)
    levels = read_table(smk.input.levels)
    last = participation["dot_sau"].astype(str).iloc[-1]  # the latest pair when there are more
    figures.save(
        figures.wave_change_chart(
            participation[participation["dot_sau"].astype(str) == last],
            levels[levels["dot_sau"].astype(str) == last],
        ),
        [smk.output.svg, smk.output.png],
    )


run(main, snakemake)  # noqa: F821 - injected by Snakemake
