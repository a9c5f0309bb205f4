"""The clean stage as one call: read, check, clean, and write its files (or only the report).

On success: the clean table (Parquet), the cleaning log (CSV) and the validation report.
On any error: only the validation report (problems CSV + readable summary), then
:class:`SurveyValidationError`; no downstream file is written.

No respondent code leaves this stage (issue 21): the codes read are remembered
(``redact.remember``) before anything is checked, so that a problem's value, the cleaning log
and an unexpected error's message are scrubbed of them; a failure of the clean table's schema
is reported by variable and row, never with pandera's list of failing values.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

import pandas as pd

from . import atomic, redact
from .codebook import Codebook, fold, load_codebook
from .ingest import HIDDEN, CleanResult, clean_survey, duplicate_code
from .problems import ERROR, Problem, SurveyValidationError, write_validation
from .readers import RawSurvey, RowProblems, read_survey
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
        raw = read_every_problem(survey, codebook, delimiter=delimiter, sheet=sheet)
        remember_codes(raw, codebook)
        report.update(description=raw.description, n_rows=len(raw.frame))
        log.info(
            "đọc %s (%s): %d dòng, %d cột", name, raw.description, len(raw.frame), len(raw.frame.columns)
        )
        result = clean_survey(raw, codebook)
        check_contract(result.clean, codebook, name)
        check_design(result.clean, codebook, name)
    except SurveyValidationError as err:
        shown = SurveyValidationError(redacted_problems(err.problems))
        shown.summary = write_validation(shown.problems, problems_csv, summary, **report)
        raise shown.with_traceback(err.__traceback__) from None  # the original text may name a code
    except Exception as err:  # unexpected: the report still says the run stopped, and why
        hidden = redact.redacted(err)
        what = redact.scrub(f"{type(err).__name__}: {err}")
        failed = Problem(name, None, "", "", f"lỗi không mong đợi khi đọc, làm sạch tệp: {what}")
        write_validation([failed], problems_csv, summary, **report)
        if hidden is err:
            raise
        raise hidden from None
    result = CleanResult(result.clean, redacted_log(result.log), redacted_problems(result.problems))
    write_validation(result.problems, problems_csv, summary, **report)
    with atomic.replacing(table) as tmp:  # whole or not at all
        result.clean.to_parquet(tmp, index=False)
    write_csv(result.log, cleaning_log)
    log.info(
        "ghi %d dòng sạch, %d thay đổi trong nhật ký, %d cảnh báo",
        len(result.clean),
        len(result.log),
        len(result.problems),
    )
    return result


def read_every_problem(survey, codebook: Codebook, **how) -> RawSurvey:
    """``read_survey``; when some rows cannot be taken as they are, the other rows are cleaned
    too, so that one run lists every problem of the file: those rows' and every answer's."""
    try:
        return read_survey(survey, **how)
    except RowProblems as err:
        if err.rest is None:
            raise
        remember_codes(err.rest, codebook)
        try:
            found = clean_survey(err.rest, codebook).problems
        except SurveyValidationError as more:
            found = more.problems
        except Exception:  # the rows' problems stand; the rest is checked once they are fixed
            log.exception("kiểm tra các dòng còn lại thất bại")
            found = []
        said = {(p.dong, p.cot) for p in err.problems if p.cot}  # a formula's cell: said once
        extra = [p for p in found if (p.dong, p.cot) not in said]
        everything = sorted([*err.problems, *extra], key=lambda p: (p.dong or 0, p.cot))
        raise SurveyValidationError(everything) from None


def remember_codes(raw: RawSurvey, codebook: Codebook) -> None:
    """Every column the codebook's respondent code could be read from (all of them if two
    headers match: the duplicate is an error, but both columns hold codes)."""
    id_var = codebook.respondent_id
    if id_var is None:
        return
    headers = {fold(h) for h in codebook[id_var].headers}
    for column in raw.frame.columns:
        if fold(column) in headers:
            redact.remember(raw.frame[column])


def redacted_problems(problems: list[Problem]) -> list[Problem]:
    """Problems with any respondent code in their value masked (once per distinct value)."""
    hidden = {value: redact.scrub(value) for value in {p.gia_tri for p in problems}}
    return [p if hidden[p.gia_tri] == p.gia_tri else replace(p, gia_tri=hidden[p.gia_tri]) for p in problems]


def redacted_log(changes: pd.DataFrame) -> pd.DataFrame:
    """The cleaning log with any respondent code in an old or new value masked."""
    out = changes.copy()
    for column in ("gia_tri_cu", "gia_tri_moi"):
        out[column] = redact.scrub_values(out[column])
    return out


def check_design(clean: pd.DataFrame, codebook: Codebook, name: str) -> None:
    """The design the codebook declares (roles weight/strata/psu/fpc) is usable: every problem
    (a weight ≤ 0, a lonely PSU, PSUs across strata...) in the validation report, rule thiet_ke.
    The messages name source rows (``dong_nguon``), never respondent codes."""
    from .design import DESIGN_ROLES, DesignError, design_from_frame

    roles = {r: codebook.role(r) for r in DESIGN_ROLES if codebook.role(r)}
    if not roles:
        return
    header = {v: codebook[v].headers[0] for v in roles.values()}
    try:
        design_from_frame(clean, roles, codebook.design["lonely_psu"], codebook.design["nest"], name)
    except DesignError as err:
        lines = str(err).splitlines()
        raise SurveyValidationError(
            [
                Problem(
                    name,
                    None,
                    next((h for v, h in header.items() if f"«{v}»" in line), ""),
                    "",
                    line,
                    "thiet_ke",
                    ERROR,
                )
                for line in lines
            ]
        ) from None


def check_contract(clean: pd.DataFrame, codebook: Codebook, name: str) -> None:
    """The clean table against its schema (``schema.clean_schema``). A failure is a bug of the
    cleaning, reported by variable and row: pandera's own message lists the failing values,
    which for the ``id`` column are respondent codes."""
    import pandera.errors

    try:
        clean_schema(codebook).validate(clean, lazy=True)
    except pandera.errors.SchemaErrors as err:
        raise SurveyValidationError(_contract_problems(err.failure_cases, clean, codebook, name)) from None


def _contract_problems(cases: pd.DataFrame, clean, codebook: Codebook, name: str) -> list[Problem]:
    rows = clean["dong_nguon"].reset_index(drop=True)
    id_var = codebook.respondent_id
    problems = []
    for (column, check), group in cases.groupby(["column", "check"], dropna=False, sort=False):
        found = [int(rows[i]) for i in pd.to_numeric(group["index"], errors="coerce").dropna().astype(int)]
        if column == id_var and check == "field_uniqueness":
            problems += _duplicate_codes(group, rows, codebook[id_var].headers[0], name)
            continue
        message = f"bảng sạch không đúng quy ước dữ liệu (kiểm tra {check}){_at_rows(found)}"
        column = "" if pd.isna(column) else str(column)
        problems.append(Problem(name, None, column, "", message, "hop_dong", ERROR))
    return problems


def _at_rows(found: list[int]) -> str:
    if not found:
        return ""
    listed = ", ".join(map(str, found[:5])) + (" …" if len(found) > 5 else "")
    return f" ở {len(found)} dòng (dòng {listed})"


def _duplicate_codes(group: pd.DataFrame, rows: pd.Series, header: str, name: str) -> list[Problem]:
    """A code on several rows of the clean table: the codes group the rows and are dropped."""
    out = []
    for _, same in group.groupby("failure_case", sort=False):
        numbers = sorted(int(rows[int(i)]) for i in same["index"])
        out += [
            Problem(name, r, header, HIDDEN, duplicate_code(r, numbers), "trung_ma", ERROR) for r in numbers
        ]
    return out
