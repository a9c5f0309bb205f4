"""Rule clean_survey: raw export -> typed table (Parquet), cleaning log and validation report.

The validation report (results/validation/) is declared as log files, so it survives a failed
run: when the input has errors the job fails, nothing downstream is written, and the report
says what to fix. Under the project's logger plugin the console ends on a paragraph that quotes
the report's problems from the job's log, so the report is not printed a second time above it.
"""

import sys

from chinhquyenso.clean_stage import clean_to_files
from chinhquyenso.problems import SurveyValidationError
from chinhquyenso.smk import plugin_shows_failures, run


def main(smk):
    try:
        clean_to_files(
            smk.input.survey,
            smk.input.codebook,
            table=smk.output.table,
            cleaning_log=smk.output.log_table,
            problems_csv=smk.log.problems,
            summary=smk.log.summary,
            delimiter=smk.params.delimiter,
            sheet=smk.params.sheet,
        )
    except SurveyValidationError as err:
        if not plugin_shows_failures():  # Snakemake's own console: the report there too
            print(err.summary, file=sys.__stderr__)
            err.shown_on_console = True
        raise


run(main, snakemake)  # noqa: F821 - injected by Snakemake
