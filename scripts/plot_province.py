"""Rule province_figures: the survey charts of every province's report (SVG), in one job."""

from pathlib import Path

from chinhquyenso import figures
from chinhquyenso.smk import run
from chinhquyenso.tables import read_table


def main(smk):
    figures.use_project_style(Path(smk.input.fonts[0]).parent)
    inp, out = smk.input, smk.output
    for t in smk.params.provinces:
        figures.save(
            figures.direct_participation_chart(read_table(inp[f"{t}__direct"])), [out[f"{t}__bieu_do_1"]]
        )
        figures.save(figures.barrier_chart(read_table(inp[f"{t}__shares"])), [out[f"{t}__bieu_do_rao_can"]])
        figures.save(figures.level_chart(read_table(inp[f"{t}__levels"])), [out[f"{t}__bieu_do_muc_do"]])
        figures.save(
            figures.breakdown_chart(read_table(inp[f"{t}__breakdowns"])), [out[f"{t}__bieu_do_theo_nhom"]]
        )


run(main, snakemake)  # noqa: F821 - injected by Snakemake
