"""Read a raw survey export, whatever tool wrote it, into text cells with file row numbers.

Supported: CSV/TSV text in UTF-8, UTF-8 with BOM or UTF-16 (Excel's "Unicode text"), with a
comma, semicolon or tab delimiter (detected from the header line, or given); Excel ``.xlsx``
(a named sheet or the first); SPSS ``.sav`` with value labels applied.

Every cell comes back as text exactly as written (numbers as their digits, empty as ``""``), and
every record keeps the row number a person sees when opening the file, so that error messages
can point at it. For a workbook, the reader also says which cells Excel stores as numbers and
from which day the workbook counts dates (its date system, 1900 or 1904): a timestamp that lost
its date format is a number of days, read as a date by the cleaning (``ingest``). Files in a
legacy Vietnamese 8-bit encoding (TCVN3/ABC, VNI) or that cannot be decoded are refused with a
message that says so.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .problems import Problem, SurveyValidationError

TEXT_SUFFIXES = {".csv", ".tsv", ".txt"}
EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
SPSS_SUFFIXES = {".sav", ".zsav"}
DELIMITERS = (",", ";", "\t")
DELIMITER_NAMES = {",": "dấu phẩy", ";": "dấu chấm phẩy", "\t": "tab"}
csv.field_size_limit(2**31 - 1)  # a very wide header or a huge cell is data to check, not a crash
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls, or an .xlsx encrypted with a password
# Day 0 of Excel's two date systems (as openpyxl names them): serial 1 is 1900-01-01 in the
# 1900 system (Windows, and the dates of a CSV saved by Excel), 1904-01-02 in the 1904 system.
EXCEL_1900 = dt.datetime(1899, 12, 30)
EXCEL_1904 = dt.datetime(1904, 1, 1)


@dataclass
class RawSurvey:
    """Text cells as written, plus where each record stands in the file."""

    frame: pd.DataFrame  # every column is text; headers as written
    rows: np.ndarray  # row number in the file of each record (header row = 1 for text/Excel)
    path: Path
    description: str  # e.g. "CSV, UTF-8, dấu chấm phẩy" or "Excel, trang tính 'Sheet1'"
    # Day 0 of the serial day numbers a timestamp may be written as: the workbook's date system
    # for Excel, 1900 for text (what Excel writes), None for SPSS (no serial dates).
    epoch: dt.datetime | None = EXCEL_1900
    # Excel: header -> which records hold a number cell in that column (columns with any only)
    number_cells: dict[str, np.ndarray] = field(default_factory=dict)
    # SPSS: header -> {cell text of a user-missing value (its value label if it has one): its code
    # as text}; read as item non-response (``nonresponse``). Iterating it gives the cell texts.
    user_missing: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.path.name


class RowProblems(SurveyValidationError):
    """Rows the reader could not take as they are (a cell too many or too few, one beyond every
    header, a formula without its value), with ``rest``: the file's other rows, read, so that
    their answers are checked too and every problem of the file is listed at once."""

    def __init__(self, problems: list[Problem], rest: RawSurvey | None = None):
        super().__init__(problems)
        self.rest = rest


def _refuse(path: Path, message: str, row: int | None = None) -> SurveyValidationError:
    return SurveyValidationError([Problem(path.name, row, "", "", message)])


def read_survey(path: str | Path, *, delimiter: str | None = None, sheet: str | None = None) -> RawSurvey:
    """Read a survey export by its suffix; raise :class:`SurveyValidationError` if unreadable."""
    path = Path(path)
    if not path.exists():
        raise _refuse(path, f"không tìm thấy tệp {path}")
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return read_text(path, delimiter=delimiter)
    if suffix in EXCEL_SUFFIXES:
        from .readers_excel import read_excel  # its own module; it uses this one's types

        return read_excel(path, sheet=sheet)
    if suffix in SPSS_SUFFIXES:
        return read_spss(path)
    supported = ", ".join(sorted(TEXT_SUFFIXES | EXCEL_SUFFIXES | SPSS_SUFFIXES))
    raise _refuse(path, f"định dạng tệp «{suffix}» không được hỗ trợ (hỗ trợ: {supported})")


# --- text -----------------------------------------------------------------------------------


def _looks_like_legacy_vietnamese(data: bytes) -> bool:
    """8-bit text: no NUL bytes, mostly ASCII with a sprinkle of high bytes (TCVN3, VNI)."""
    if b"\x00" in data:
        return False
    sample = data[:200_000]
    high = sum(b >= 0x80 for b in sample)
    return 0 < high < 0.35 * len(sample)


def decode_text(path: Path, data: bytes) -> tuple[str, str]:
    """Bytes -> text and the name of the encoding found; refuse legacy and undecodable files."""
    if data.startswith(b"PK\x03\x04"):
        raise _refuse(path, "tệp là tệp nén (có thể là Excel .xlsx bị đổi đuôi), không phải văn bản CSV")
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError as err:
            raise _refuse(path, f"tệp UTF-16 bị hỏng ở byte {err.start}") from err
    encoding = "UTF-8 có BOM" if data.startswith(codecs.BOM_UTF8) else "UTF-8"
    body = data[3:] if data.startswith(codecs.BOM_UTF8) else data
    try:
        return body.decode("utf-8"), encoding
    except UnicodeDecodeError as err:
        line = body[: err.start].count(b"\n") + 1
        if _looks_like_legacy_vietnamese(body):
            raise _refuse(
                path,
                "tệp không ở bảng mã Unicode (UTF-8) mà có vẻ dùng bảng mã tiếng Việt cũ 8-bit "
                "(TCVN3/ABC hoặc VNI); hãy chuyển sang Unicode (ví dụ bằng công cụ chuyển mã của "
                "Unikey) rồi chạy lại",
                row=line,
            ) from err
        raise _refuse(
            path, f"không giải mã được tệp: byte 0x{body[err.start]:02X} không hợp lệ trong UTF-8", row=line
        ) from err


def detect_delimiter(header_line: str) -> str:
    """The delimiter that splits the header line into the most fields (quotes respected)."""
    best, best_fields = ",", 0
    for delim in DELIMITERS:
        fields = len(next(csv.reader([header_line], delimiter=delim)))
        if fields > best_fields:
            best, best_fields = delim, fields
    return best


def read_text(path: Path, *, delimiter: str | None = None) -> RawSurvey:
    data = path.read_bytes()
    if not data.strip():
        raise _refuse(path, "tệp rỗng")
    line_ends = ""
    if b"\r" in data and b"\n" not in data:  # classic Mac line ends: one record per CR
        data, line_ends = data.replace(b"\r", b"\n"), ", xuống dòng kiểu CR"
    parsed = None
    if data.startswith(codecs.BOM_UTF8) or not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # UTF-8 (the usual case): parse the bytes directly, never holding the file as a Python
        # string (for a million rows that string alone takes gigabytes).
        body = data[3:] if data.startswith(codecs.BOM_UTF8) else data
        encoding = "UTF-8 có BOM" if body is not data else "UTF-8"
        try:
            # a cheap look at the start: binary or 8-bit files go straight to the careful path
            codecs.getincrementaldecoder("utf-8")().decode(body[:65536], final=False)
            first_line = body.split(b"\n", 1)[0].rstrip(b"\r").decode("utf-8")
        except UnicodeDecodeError:
            first_line = None
        if first_line is not None and not data.startswith(b"PK\x03\x04"):
            delim = delimiter or detect_delimiter(first_line)
            parsed = _read_fast(body, first_line, delim)
    if parsed is None:  # another encoding, or something is off: decode, then read with care
        text, encoding = decode_text(path, data)
        text = text.lstrip("\ufeff")
        first_line = text.split("\n", 1)[0].rstrip("\r")
        delim = delimiter or detect_delimiter(first_line)
        if encoding == "UTF-16":
            parsed = _read_fast(text.encode("utf-8"), first_line, delim)
        if parsed is None:
            try:
                parsed = _read_checked(path, text, delim)
            except RowProblems as err:
                frame, rows = err.rest
                err.rest = RawSurvey(frame, rows, path, _text_description(encoding, delim, line_ends))
                raise
    frame, rows = parsed
    _check_header(path, list(frame.columns))
    return RawSurvey(frame, rows, path, _text_description(encoding, delim, line_ends))


def _text_description(encoding: str, delim: str, line_ends: str) -> str:
    return f"CSV, {encoding}, {DELIMITER_NAMES.get(delim, repr(delim))}{line_ends}"


def _read_fast(body: bytes, first_line: str, delim: str) -> tuple[pd.DataFrame, np.ndarray] | None:
    """Arrow's multi-threaded reader, for well-formed UTF-8 files whose records are single lines.

    Returns None when the bytes are not valid UTF-8, a row has the wrong number of cells, a
    quoted cell spans lines, or the parser fails, so that ``_read_checked`` can report row
    numbers a person can find.
    """
    import pyarrow as pa
    from pyarrow import csv as pacsv

    header = next(csv.reader([first_line], delimiter=delim), None)
    if not header:
        return None
    invalid = []

    def on_invalid(row):
        invalid.append(row)
        return "skip"

    try:
        table = pacsv.read_csv(
            io.BytesIO(body),
            read_options=pacsv.ReadOptions(block_size=1 << 24),
            parse_options=pacsv.ParseOptions(
                delimiter=delim, newlines_in_values=True, invalid_row_handler=on_invalid
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={h: pa.string() for h in header},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
                null_values=[],
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowKeyError, ValueError):
        return None
    if invalid or table.num_columns != len(header) or table.num_rows == 0:
        return None
    # One record per non-blank physical line: then line numbers are those lines' numbers.
    lines = body.count(b"\n") + (0 if body.endswith(b"\n") else 1)
    if lines == table.num_rows + 1:
        numbers = np.arange(2, table.num_rows + 2, dtype=np.int64)
    else:
        numbers = np.fromiter(
            (i for i, line in enumerate(body.split(b"\n"), start=1) if line.strip()), dtype=np.int64
        )
        if len(numbers) != table.num_rows + 1:
            return None  # a quoted cell spans lines
        numbers = numbers[1:]
    frame = table.to_pandas()
    frame.columns = header
    filled = np.zeros(len(frame), dtype=bool)  # drop rows of empty cells only (e.g. ";;;")
    for i in range(frame.shape[1]):
        filled |= (frame.iloc[:, i].str.strip() != "").to_numpy()
    if not filled.any():
        return None
    if not filled.all():
        frame, numbers = frame[filled].reset_index(drop=True), numbers[filled]
    return frame, numbers


def _read_checked(path: Path, text: str, delim: str) -> tuple[pd.DataFrame, np.ndarray]:
    """The csv module, record by record: exact row numbers and every malformed row reported."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim, strict=True)
    starts: list[int] = []
    records: list[list[str]] = []
    problems: list[Problem] = []  # the file cannot be read on
    row_problems: list[Problem] = []  # a malformed row, left out; the others are read
    header: list[str] | None = None
    line_before = 0
    try:
        for record in reader:
            start = line_before + 1
            line_before = reader.line_num
            if header is None:
                header = record
                problems += _header_problems(path, header)
                continue
            if not any(cell.strip() for cell in record):
                continue  # blank line
            if len(record) != len(header):
                # no value shown: the cells are misaligned, any of them may be a code or a name
                row_problems.append(
                    Problem(
                        path.name,
                        start,
                        "",
                        "",
                        f"dòng có {len(record)} ô, tiêu đề có {len(header)} ô "
                        f"(phân cách bằng {DELIMITER_NAMES.get(delim, repr(delim))})",
                    )
                )
                continue
            starts.append(start)
            records.append(record)
    except csv.Error as err:
        problems.append(Problem(path.name, line_before + 1, "", "", f"tệp CSV hỏng: {_csv_error(err)}"))
    if header is None:
        raise _refuse(path, "tệp rỗng")
    if problems or (row_problems and not starts):
        raise SurveyValidationError(problems + row_problems)
    if not starts:
        raise _refuse(path, "tệp chỉ có dòng tiêu đề, không có dòng dữ liệu", row=1)
    frame = pd.DataFrame(records, columns=header, dtype=str)
    if row_problems:  # read_text makes the rest a RawSurvey
        raise RowProblems(row_problems, (frame, np.asarray(starts, dtype=np.int64)))
    return frame, np.asarray(starts, dtype=np.int64)


CSV_ERRORS = {  # the csv module's messages, as a user would say them
    "unexpected end of data": "tệp kết thúc khi một ô trong ngoặc kép chưa đóng",
    "line contains NUL": "dòng chứa ký tự NUL (<U+0000>)",
    "new-line character seen in unquoted field": "ký tự xuống dòng nằm trong ô không có ngoặc kép",
}


def _csv_error(err: csv.Error) -> str:
    text = str(err)
    for english, vietnamese in CSV_ERRORS.items():
        if english in text:
            return vietnamese
    if "expected after" in text:
        return "sau dấu ngoặc kép đóng phải là dấu phân cách hoặc hết dòng"
    return f"lỗi cú pháp CSV ({text})"


def _header_problems(path: Path, header: list[str]) -> list[Problem]:
    return [
        Problem(path.name, 1, f"(cột {i})", "", "tiêu đề cột trống")
        for i, h in enumerate(header, start=1)
        if not str(h).strip()
    ]


def _check_header(path: Path, header: list[str]) -> None:
    problems = _header_problems(path, header)
    if problems:
        raise SurveyValidationError(problems)


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value:  # NaN
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    return str(value)


def read_spss(path: Path) -> RawSurvey:
    """SPSS .sav: value labels applied; headers are the variable labels (the question text).
    User-missing values (SPSS "missing values") are read as what they are, not as blanks, and
    listed in ``RawSurvey.user_missing``: a labelled one shows as its label."""
    import pyreadstat

    try:
        frame, meta = pyreadstat.read_sav(str(path), user_missing=True)
    except Exception as err:  # pyreadstat.ReadstatError and OSError
        raise _refuse(path, f"không đọc được tệp SPSS: {err}") from err
    labels = meta.column_names_to_labels
    header = [labels.get(name) or name for name in frame.columns]
    columns, user_missing = {}, {}
    for i, (col, head) in enumerate(zip(frame.columns, header, strict=True)):
        values = meta.variable_value_labels.get(col, {})
        codes = frame[col].map(cell_text)
        text = frame[col].map(lambda v, lab=values: lab.get(v, v) if v == v and v is not None else v)
        columns[i] = text.map(cell_text)
        flagged = _user_missing(frame[col], meta.missing_ranges.get(col) or [])
        if flagged.any():
            user_missing[head] = dict(zip(columns[i][flagged], codes[flagged], strict=True))
    text = pd.DataFrame(columns)
    text.columns = header
    if text.empty:
        raise _refuse(path, "tệp SPSS không có ca nào")
    # SPSS numbers cases from 1; there is no header row.
    return RawSurvey(
        text.astype(str),
        np.arange(1, len(text) + 1, dtype=np.int64),
        path,
        "SPSS .sav",
        epoch=None,
        user_missing=user_missing,
    )


def _user_missing(values: pd.Series, ranges: list[dict]) -> np.ndarray:
    """Cells whose value is one of the column's SPSS missing values or ranges."""
    flagged = np.zeros(len(values), dtype=bool)
    for rng in ranges:
        lo, hi = rng.get("lo"), rng.get("hi")
        if isinstance(lo, str) or isinstance(hi, str):
            flagged |= values.isin({lo, hi}).to_numpy()
        else:
            number = pd.to_numeric(values, errors="coerce")
            flagged |= number.between(lo, hi).fillna(False).to_numpy()
    return flagged
