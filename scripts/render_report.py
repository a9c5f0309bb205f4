"""Rules render_report and render_province_report: tables + figures -> HTML -> PDF/A-3a, tagged.

All the work is in chinhquyenso.report (inputs.render_from_rule and the functions it calls)."""

import logging

from chinhquyenso.report.inputs import render_from_rule
from chinhquyenso.smk import run
from chinhquyenso.system_check import pdf_libraries, require_weasyprint, subset_advice


def main(smk):
    require_weasyprint()
    log = logging.getLogger(f"rule.{smk.rule}")
    libraries = pdf_libraries()  # also in the manifest and appendix F: they shape the PDF's bytes
    log.info("thư viện dựng PDF: %s", ", ".join(f"{k} {v}" for k, v in libraries.items()))
    if libraries["harfbuzz_subset"] is None:
        log.warning(subset_advice())
    render_from_rule(smk.input, smk.output, smk.params)


run(main, snakemake)  # noqa: F821 - injected by Snakemake
