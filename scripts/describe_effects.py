"""Rule describe_effects: the pooled models' interpreted terms as odds ratios and as changes in
predicted shares (results/models/do_lon_hieu_ung.csv)."""

from chinhquyenso.answered import load_answered
from chinhquyenso.models.effects import write_effects
from chinhquyenso.smk import run


def main(smk):
    write_effects(
        smk.input.pooled,
        getattr(smk.input, "predictions", None),
        smk.input.table,
        smk.params.models,
        load_answered(smk.input.codebook, smk.config["survey"]).roles,
        smk.output.effects,
    )


run(main, snakemake)  # noqa: F821 - injected by Snakemake
