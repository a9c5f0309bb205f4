"""Rule check_documents: document extracts -> provenance check, conflicts, chosen values, DTI table."""

import logging
from pathlib import Path

from chinhquyenso.codebook import load_codebook
from chinhquyenso.documents import write_stage
from chinhquyenso.smk import run

log = logging.getLogger(__name__)


def main(smk):
    write_stage(
        sources_path=smk.input.sources,
        extracts_path=list(smk.input.extracts),
        codebook_path=smk.input.codebook,
        root=Path.cwd(),
        prefer=smk.params.prefer,
        provinces=load_codebook(smk.input.codebook)["tinh"].values,
        dti_period=smk.params.dti_period,
        out=dict(smk.output.items()),
    )
    log.info("đã kiểm tra trích xuất tài liệu")


run(main, snakemake)  # noqa: F821 - injected by Snakemake
