"""Rule check_interviews: register, transcripts, excerpts -> verified, protected excerpts."""

import logging
from pathlib import Path

import pandas as pd

from chinhquyenso.codebook import load_codebook
from chinhquyenso.interviews.stage import write_stage
from chinhquyenso.report.sections import load_sections, quotable_ids
from chinhquyenso.smk import run

log = logging.getLogger(__name__)


def main(smk):
    write_stage(
        section=smk.params.interviews,
        book=load_codebook(smk.input.codebook),
        clean=pd.read_parquet(smk.input.clean),
        min_cell=smk.params.min_cell,
        edges=list(smk.params.tenure_bands),
        root=Path.cwd(),
        out=dict(smk.output.items()),
        sections=quotable_ids(load_sections(smk.input.sections)),
    )


run(main, snakemake)  # noqa: F821 - injected by Snakemake
