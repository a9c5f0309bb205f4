# Survey of young civil servants in digital-government work -> Vietnamese PDF report.
#
# Outputs follow results/<stage>/<thing>.<ext>:
#   results/clean/      typed survey table and cleaning log
#   results/internal/   raw descriptive tables: read by the disclosure stage and the
#                       reproduction check only, never published or attached
#   results/tables/     published descriptive tables (small cells hidden: disclosure stage)
#   results/models/     regression models, checks and predictions
#   results/figures/    charts (SVG for the report, PNG for screens)
#   results/documents/  document extracts: provenance check, conflicts, chosen values
#   results/interviews/ in-depth interviews: verified, protected excerpts; themes by province
#   results/reproduction/  computed vs published figures
#   results/comparison/ survey waves compared (config waves:)
#   results/report/     the report (HTML and PDF)
#   results/logs/<stage>/  one log per job

import warnings

from snakemake.utils import min_version

min_version("9.0")

# Snakemake 9 leaves a coroutine of its own unawaited when it computes input sizes for
# `--report` (snakemake/snakemake#4280): three English RuntimeWarnings that say nothing
# about this workflow. Only that warning is silenced.
warnings.filterwarnings(
    "ignore",
    message=r"coroutine '.*_predicated_size_files.*' was never awaited",
    category=RuntimeWarning,
)


configfile: "config.yaml"


report: "workflow/report/workflow.rst"


include: "workflow/rules/common.smk"
include: "workflow/rules/clean.smk"
include: "workflow/rules/documents.smk"
include: "workflow/rules/tables.smk"
include: "workflow/rules/design.smk"
include: "workflow/rules/disclosure.smk"
include: "workflow/rules/models.smk"
include: "workflow/rules/figures.smk"
include: "workflow/rules/reproduction.smk"
include: "workflow/rules/waves.smk"
include: "workflow/rules/report.smk"


# In-depth interviews: only when config `interviews:` declares them.
if config.get("interviews"):

    include: "workflow/rules/interviews.smk"


# On a cluster (profiles/slurm) these run on the submitting node: no work worth a batch job.
localrules:
    all,
    manifest,


rule all:
    default_target: True
    input:
        final_outputs,  # province reports: those with respondents (checkpoint province_tables)
