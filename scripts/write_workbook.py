"""Rule workbook: every numbered table of the report, as an Excel workbook (report.workbook)."""

import logging

from chinhquyenso.report.workbook import workbook_from_report
from chinhquyenso.smk import run


def main(smk):
    n = workbook_from_report(smk.input.html, smk.output.xlsx)
    logging.getLogger(__name__).info("ghi %d bảng vào %s", n, smk.output.xlsx)


run(main, snakemake)  # noqa: F821 - injected by Snakemake
