"""Rules render_report and render_province_report: tables + figures -> HTML -> PDF/A-3b.

All the work is in chinhquyenso.report (inputs.render_from_rule and the functions it calls)."""

from chinhquyenso.report.inputs import render_from_rule
from chinhquyenso.smk import run
from chinhquyenso.system_check import require_weasyprint


def main(smk):
    require_weasyprint()
    render_from_rule(smk.input, smk.output, smk.params)


run(main, snakemake)  # noqa: F821 - injected by Snakemake
