"""Rule figure_dti: DTI ranks by pillar for the provinces, as SVG and PNG."""

from pathlib import Path

from chinhquyenso import figures
from chinhquyenso.smk import run
from chinhquyenso.tables import read_table


def main(smk):
    figures.use_project_style(Path(smk.input.fonts[0]).parent)
    labels = dict(getattr(smk.params, "labels", None) or {})  # codebook label: of each province
    fig = figures.dti_chart(read_table(smk.input.table), smk.params.provinces, labels=labels)
    figures.save(fig, [smk.output.svg, smk.output.png])


run(main, snakemake)  # noqa: F821 - injected by Snakemake
