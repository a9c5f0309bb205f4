"""Rule word_report: the report as an editable Word file (chinhquyenso.report.docx_report)."""

import logging

from chinhquyenso.report.docx_report import docx_from_report
from chinhquyenso.smk import run


def main(smk):
    n = docx_from_report(smk.input.html, smk.output.docx, smk.params.profile)
    logging.getLogger(__name__).info("ghi %s: %d bảng", smk.output.docx, n)


run(main, snakemake)  # noqa: F821 - injected by Snakemake
