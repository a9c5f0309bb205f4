"""Rule describe_effects: the pooled models' interpreted terms as odds ratios and as changes in
predicted shares (results/models/do_lon_hieu_ung.csv)."""

from chinhquyenso.codebook import load_codebook
from chinhquyenso.models.effects import write_effects
from chinhquyenso.smk import run


def main(smk):
    write_effects(
        smk.input.pooled,
        getattr(smk.input, "predictions", None),
        smk.input.table,
        smk.params.models,
        load_codebook(smk.input.codebook).roles,
        smk.output.effects,
    )


run(main, snakemake)  # noqa: F821 - injected by Snakemake
