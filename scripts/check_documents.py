"""Rule check_documents: document extracts -> provenance check, conflicts, chosen values, DTI table."""

import logging
from pathlib import Path

from chinhquyenso.codebook import load_codebook
from chinhquyenso.documents import write_stage
from chinhquyenso.smk import run

log = logging.getLogger(__name__)


def _provinces(book) -> list[str]:
    """The form's provinces (none when it has no province role)."""
    return book[book.role("province")].values if book.role("province") else []


def main(smk):
    write_stage(
        sources_path=smk.input.sources,
        extracts_path=list(smk.input.extracts),
        indicators_path=smk.input.indicators,
        root=Path.cwd(),
        prefer=smk.params.prefer,
        provinces=_provinces(load_codebook(smk.input.codebook)),
        dti_period=smk.params.dti_period,
        out=dict(smk.output.items()),
    )
    log.info("đã kiểm tra trích xuất tài liệu")


run(main, snakemake)  # noqa: F821 - injected by Snakemake
