"""Rule compare_waves: clean tables of every survey wave -> comparison tables (results/comparison/)."""

from chinhquyenso.smk import run
from chinhquyenso.waves import write_stage


def main(smk):
    write_stage(
        list(smk.input.tables),
        list(smk.input.codebooks),
        list(smk.params.labels),
        smk.params.models,
        dict(smk.output.items()),
    )


run(main, snakemake)  # noqa: F821 - injected by Snakemake
