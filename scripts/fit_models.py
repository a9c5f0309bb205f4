"""Rule fit_models: the clean table -> every model, check and prediction (results/models/)."""

from chinhquyenso.models import write_stage
from chinhquyenso.smk import run


def main(smk):
    write_stage(
        smk.input.table,
        smk.input.codebook,
        smk.params.models,
        dict(smk.output.items()),
        smk.params.min_cell,
        getattr(smk.params, "weighting", None),  # survey.weighting: design-based models
    )


run(main, snakemake)  # noqa: F821 - injected by Snakemake
