"""Rule clean_survey: raw export -> typed table (Parquet) and cleaning log (CSV)."""

import logging
from pathlib import Path

from chinhquyenso.codebook import load_codebook
from chinhquyenso.ingest import SurveyValidationError, clean_survey, read_raw_csv
from chinhquyenso.schema import clean_schema
from chinhquyenso.smk import run

log = logging.getLogger(__name__)


def main(smk):
    codebook = load_codebook(smk.input.codebook)
    raw = read_raw_csv(smk.input.survey)
    log.info("đọc %s: %d dòng, %d cột", smk.input.survey, len(raw), len(raw.columns))
    try:
        clean, changes = clean_survey(raw, codebook, Path(smk.input.survey).name)
    except SurveyValidationError as err:
        print(err, file=__import__("sys").__stderr__)  # also on the console, not only in the log
        raise
    clean_schema(codebook).validate(clean)
    clean.to_parquet(smk.output.table, index=False)
    changes.to_csv(smk.output.log_table, index=False, encoding="utf-8", lineterminator="\n")
    log.info("ghi %d dòng sạch, %d thay đổi trong nhật ký", len(clean), len(changes))


run(main, snakemake)  # noqa: F821 - injected by Snakemake
