"""The clean stage as one call: read, check, clean, and write its files (or only the report).

On success: the clean table (Parquet), the cleaning log (CSV) and the validation report.
On any error: only the validation report (problems CSV + readable summary), then
:class:`SurveyValidationError`; no downstream file is written.
"""

from __future__ import annotations

import logging
from pathlib import Path

from .codebook import load_codebook
from .ingest import CleanResult, clean_survey
from .problems import Problem, SurveyValidationError, write_validation
from .readers import read_survey
from .safe_text import write_csv
from .schema import clean_schema

log = logging.getLogger(__name__)


def clean_to_files(
    survey: str | Path,
    codebook_path: str | Path,
    *,
    table: str | Path,
    cleaning_log: str | Path,
    problems_csv: str | Path,
    summary: str | Path,
    delimiter: str | None = None,
    sheet: str | None = None,
) -> CleanResult:
    codebook = load_codebook(codebook_path)
    name = Path(survey).name
    report = {"file": name, "description": name, "n_rows": None}
    try:
        raw = read_survey(survey, delimiter=delimiter, sheet=sheet)
        report.update(description=raw.description, n_rows=len(raw.frame))
        log.info(
            "đọc %s (%s): %d dòng, %d cột", name, raw.description, len(raw.frame), len(raw.frame.columns)
        )
        result = clean_survey(raw, codebook)
    except SurveyValidationError as err:
        err.summary = write_validation(err.problems, problems_csv, summary, **report)
        raise
    except Exception as err:  # unexpected: the report still says the run stopped, and why
        failed = Problem(
            name, None, "", "", f"lỗi không mong đợi khi đọc, làm sạch tệp: {type(err).__name__}: {err}"
        )
        write_validation([failed], problems_csv, summary, **report)
        raise
    write_validation(result.problems, problems_csv, summary, **report)
    clean_schema(codebook).validate(result.clean)
    result.clean.to_parquet(table, index=False)
    write_csv(result.log, cleaning_log)
    log.info(
        "ghi %d dòng sạch, %d thay đổi trong nhật ký, %d cảnh báo",
        len(result.clean),
        len(result.log),
        len(result.problems),
    )
    return result
