"""No respondent code in any message or log (issue 21, item 5).

The raw codes of the ``id`` column (here ``P25-1000`` ...) may never be seen: not in an
exception's message, the validation report (tom_tat.txt, van_de.csv), the cleaning log, the
rule's log file or the console. Rows, columns and pseudonyms may. Each case builds the demo
export with codes like the tester's, breaks it, and looks for every code, in every spelling
(NFC, NFD, upper and lower case), in everything the run showed or wrote.
"""

import json
import subprocess
import sys
import unicodedata

import pandas as pd
import pytest
from test_bad_inputs import AGE, HEADER, ID, LINES, _fields, _line

from chinhquyenso import redact
from chinhquyenso.clean_stage import clean_to_files
from chinhquyenso.codebook import load_codebook
from chinhquyenso.problems import SurveyValidationError
from conftest import CODEBOOK, ROOT

CODES = [f"P25-{1000 + n}" for n in range(len(LINES) - 1)]  # file row r holds CODES[r - 2]
OUT = {
    "table": "clean/khao_sat.parquet",
    "cleaning_log": "clean/nhat_ky_lam_sach.csv",
    "problems_csv": "validation/van_de.csv",
    "summary": "validation/tom_tat.txt",
}


def survey_rows(codes: dict[int, str] | None = None) -> list[list[str]]:
    """The demo's rows (header first) with the tester's kind of codes; ``codes``: file row ->
    another code for that row."""
    rows = [_fields(line) for line in LINES]
    at = HEADER.index(ID)
    for r, row in enumerate(rows[1:], start=2):
        row[at] = (codes or {}).get(r, CODES[r - 2])
    return rows


def as_bytes(rows: list[list[str]]) -> bytes:
    return ("\n".join(_line(r) for r in rows) + "\n").encode("utf-8")


def paths(tmp_path) -> dict:
    out = {k: tmp_path / "results" / v for k, v in OUT.items()}
    for p in out.values():
        p.parent.mkdir(parents=True, exist_ok=True)
    return out


def clean(tmp_path, data: bytes, codebook=CODEBOOK):
    """Run the clean stage; (the error or None, output paths)."""
    survey = tmp_path / "khao_sat.csv"
    survey.write_bytes(data)
    out = paths(tmp_path)
    try:
        clean_to_files(survey, codebook, **{k: str(v) for k, v in out.items()})
    except Exception as err:  # each test says which error it expects
        return err, out
    return None, out


def spellings(code: str) -> set[str]:
    return {f(unicodedata.normalize(n, code)) for n in ("NFC", "NFD") for f in (str, str.upper, str.lower)}


def assert_no_code(*texts: str, codes=CODES) -> None:
    text = "\n".join(texts)
    found = [s for c in codes for s in spellings(c) if s in text]
    assert not found, (found[:5], text[:3000])


def written(out: dict) -> list[str]:
    """The text of every file the stage wrote (the Parquet table as its cells)."""
    texts = [p.read_text(encoding="utf-8") for k, p in out.items() if k != "table" and p.exists()]
    if out["table"].exists():
        texts.append(pd.read_parquet(out["table"]).astype(str).to_csv())
    return texts


def traceback_text(err: BaseException) -> str:
    import traceback

    return "".join(traceback.format_exception(err))


def without_id_role(tmp_path):
    """The project codebook without `roles: id` (the tester's crash: codes were neither checked
    for duplicates nor replaced by pseudonyms, and pandera listed them)."""
    text = CODEBOOK.read_text(encoding="utf-8")
    assert "\n  id: ma_phieu\n" in text
    path = tmp_path / "codebook.yaml"
    path.write_text(text.replace("\n  id: ma_phieu\n", "\n"), encoding="utf-8")
    return path


def dup_problem(row: int, other: int) -> str:
    where = f"[lỗi] khao_sat.csv, dòng {row}, cột «Mã phiếu», giá trị «[ẩn]»"
    return f"{where}: mã người trả lời ở dòng {row} trùng với dòng {other}"


# --- (i) one code on two rows ---------------------------------------------------------------------

PHU = "PHÚ-1005"
VARIANTS = {
    "giống hệt": (CODES[5], CODES[5]),
    "NFC và NFD": (PHU, unicodedata.normalize("NFD", PHU)),
    "khoảng trắng, chữ thường": (PHU, f"  {PHU.lower()} "),
}


@pytest.mark.parametrize("role", [True, False], ids=["roles.id", "không có roles.id"])
@pytest.mark.parametrize("variant", VARIANTS, ids=list(VARIANTS))
def test_a_duplicated_code_is_named_by_rows(variant, role, tmp_path, caplog):
    first, second = VARIANTS[variant]
    caplog.set_level("INFO")
    book = CODEBOOK if role else without_id_role(tmp_path)
    err, out = clean(tmp_path, as_bytes(survey_rows({7: first, 12: second})), book)
    assert isinstance(err, SurveyValidationError)
    dups = [str(p) for p in err.problems if p.ma_quy_tac == "trung_ma"]
    assert dups == [dup_problem(7, 12), dup_problem(12, 7)]
    assert f"  - {dup_problem(12, 7)}" in str(err).splitlines()
    assert f"  - {dup_problem(12, 7)}" in out["summary"].read_text(encoding="utf-8").splitlines()
    assert not out["table"].exists() and not out["cleaning_log"].exists()
    codes = [*CODES, first, second]
    assert_no_code(str(err), traceback_text(err), caplog.text, *written(out), codes=codes)


def test_three_rows_with_one_code_name_each_other(tmp_path):
    err, _ = clean(tmp_path, as_bytes(survey_rows({3: CODES[0], 9: CODES[0]})))
    messages = {p.dong: p.quy_tac for p in err.problems if p.ma_quy_tac == "trung_ma"}
    assert messages == {
        2: "mã người trả lời ở dòng 2 trùng với dòng 3, 9",
        3: "mã người trả lời ở dòng 3 trùng với dòng 2, 9",
        9: "mã người trả lời ở dòng 9 trùng với dòng 2, 3",
    }
    assert_no_code(str(err))


def test_without_id_role_the_table_still_has_pseudonyms(tmp_path):
    err, out = clean(tmp_path, as_bytes(survey_rows()), without_id_role(tmp_path))
    assert err is None
    table = pd.read_parquet(out["table"])
    assert table["ma_phieu"].iloc[0] == "PH-0001" and table["ma_phieu"].iloc[-1] == "PH-0360"
    assert_no_code(*written(out))


def test_a_kept_duplicate_is_logged_without_its_code(tmp_path):
    """As a warning the later row is dropped; the cleaning log names rows, never the code."""
    text = CODEBOOK.read_text(encoding="utf-8").replace("validation:\n", "validation:\n  trung_ma: warning\n")
    book = tmp_path / "codebook.yaml"
    book.write_text(text, encoding="utf-8")
    err, out = clean(tmp_path, as_bytes(survey_rows({12: CODES[5].lower()})), book)
    assert err is None
    log = pd.read_csv(out["cleaning_log"], dtype=str, keep_default_na=False)
    dropped = log[log["ly_do"] == "bỏ dòng trùng mã phiếu (giữ dòng đầu)"]
    assert dropped[["dong", "cot", "bien", "gia_tri_cu", "gia_tri_moi"]].values.tolist() == [
        ["12", "Mã phiếu", "ma_phieu", "[ẩn]", ""]
    ]
    assert_no_code(*written(out), codes=[*CODES, CODES[5].lower()])


def test_a_code_the_schema_refuses_is_not_listed(tmp_path, monkeypatch):
    """The clean table's schema, if it ever saw raw codes (a bug of the cleaning), is reported by
    variable and row in Vietnamese, without pandera's list of failing values."""
    import chinhquyenso.clean_stage as stage

    real = stage.clean_survey

    def raw_codes_left(raw, codebook):
        result = real(raw, codebook)
        codes = list(CODES)
        codes[10] = codes[5]  # file rows 7 and 12
        result.clean["ma_phieu"] = pd.array(codes, dtype="string")
        return result

    monkeypatch.setattr(stage, "clean_survey", raw_codes_left)
    err, out = clean(tmp_path, as_bytes(survey_rows()))
    assert isinstance(err, SurveyValidationError)
    assert [str(p) for p in err.problems] == [dup_problem(7, 12), dup_problem(12, 7)]
    assert not out["table"].exists()
    assert_no_code(str(err), traceback_text(err), *written(out))


# --- (ii) rows that cannot be read ------------------------------------------------------------


def test_a_row_with_a_cell_too_many_is_not_echoed(tmp_path):
    rows = survey_rows()
    rows[7].append("thừa")  # file row 8
    err, out = clean(tmp_path, as_bytes(rows))
    assert isinstance(err, SurveyValidationError)
    n = len(HEADER)
    expected = f"[lỗi] khao_sat.csv, dòng 8: dòng có {n + 1} ô, tiêu đề có {n} ô (phân cách bằng dấu phẩy)"
    assert [str(p) for p in err.problems] == [expected]
    assert_no_code(str(err), *written(out))


def test_a_row_split_by_another_delimiter_is_not_echoed(tmp_path):
    rows = [_line(r) for r in survey_rows()]
    rows[7] = rows[7].replace(",", ";")
    err, out = clean(tmp_path, ("\n".join(rows) + "\n").encode("utf-8"))
    assert str(err.problems[0]).startswith("[lỗi] khao_sat.csv, dòng 8: dòng có 1 ô, tiêu đề có")
    assert_no_code(str(err), *written(out))


def test_a_code_in_the_wrong_column_is_masked(tmp_path):
    """A shifted cell puts a respondent's code under «Tuổi»: the problem says where, not what."""
    rows = survey_rows()
    rows[8][HEADER.index(AGE)] = CODES[7]  # file row 9
    err, out = clean(tmp_path, as_bytes(rows))
    assert [str(p) for p in err.problems] == [
        "[lỗi] khao_sat.csv, dòng 9, cột «Tuổi», giá trị «[mã đã ẩn]»: không phải số nguyên"
    ]
    assert_no_code(str(err), *written(out))


def test_a_code_written_as_a_formula_is_not_echoed(tmp_path, caplog):
    """Codes are never written anywhere (pseudonyms are), so a formula-like code is no risk and
    is not reported with its value."""
    caplog.set_level("INFO")
    odd = "=P25-9999"
    err, out = clean(tmp_path, as_bytes(survey_rows({5: odd})))
    assert err is None
    assert_no_code(caplog.text, *written(out), codes=[*CODES, odd])


# --- the edge: an unexpected error, and a failing rule ------------------------------------------


def test_an_unexpected_error_naming_a_code_is_raised_masked(tmp_path, monkeypatch):
    import chinhquyenso.clean_stage as stage

    def broken(raw, codebook):
        raise ValueError(f"series 'ma_phieu' contains duplicate values: 7 {CODES[5]} 12 {CODES[5].lower()}")

    monkeypatch.setattr(stage, "clean_survey", broken)
    err, out = clean(tmp_path, as_bytes(survey_rows()))
    assert isinstance(err, redact.RedactedError)
    assert str(err) == "ValueError: series 'ma_phieu' contains duplicate values: 7 [mã đã ẩn] 12 [mã đã ẩn]"
    assert err.__suppress_context__ and "in broken" in traceback_text(err)  # where, not what
    assert "[lỗi] khao_sat.csv, toàn tệp: lỗi không mong đợi khi đọc, làm sạch tệp: ValueError: " in (
        out["summary"].read_text(encoding="utf-8")
    )
    assert_no_code(traceback_text(err), *written(out))


def test_an_unexpected_error_without_a_code_is_kept_as_it_is(tmp_path, monkeypatch):
    import chinhquyenso.clean_stage as stage

    def broken(raw, codebook):
        raise KeyError("da_tap_huan")

    monkeypatch.setattr(stage, "clean_survey", broken)
    err, _ = clean(tmp_path, as_bytes(survey_rows()))
    assert type(err) is KeyError


RULE = """
import json, logging, sys
sys.path.insert(0, {scripts!r})
from types import SimpleNamespace
from chinhquyenso import redact, smk
args = json.loads(sys.argv[1])
rule = SimpleNamespace(rule="clean_survey", input=[args["survey"], args["codebook"]], log=[args["log"]])


def main(smk_):
{body}


smk.run(main, rule)
"""

# The tester's crash: pandera's own error on a table that kept the raw codes (as when the
# codebook had no `roles: id`), raised inside the clean stage.
PANDERA_IN_THE_STAGE = """
    import pandas as pd
    import chinhquyenso.clean_stage as stage
    from chinhquyenso.schema import clean_schema

    real = stage.clean_survey

    def raw_codes_left(raw, codebook):
        result = real(raw, codebook)
        codes = list(args["codes"])
        codes[10] = codes[5]  # file rows 7 and 12
        result.clean["ma_phieu"] = pd.array(codes, dtype="string")
        return result

    stage.clean_survey = raw_codes_left
    stage.check_contract = lambda clean, codebook, name: clean_schema(codebook).validate(clean)
    stage.clean_to_files(args["survey"], args["codebook"], **args["out"])
"""

# Any rule: a message, a warning and a stray print naming a code the job has read.
ANY_MESSAGE = """
    redact.remember(args["codes"])
    logging.getLogger("x").warning("mã %s lạ", args["code"])
    print("in ra stderr:", args["code"], file=sys.stderr)
    raise RuntimeError(f"không xử lý được phiếu {args['code']}.")
"""


def run_rule(tmp_path, body: str) -> tuple[subprocess.CompletedProcess, str, dict]:
    """A rule's script (``smk.run`` with a stand-in for Snakemake's object) in its own process,
    as Snakemake runs it: its console output, its log text and the output paths."""
    survey = tmp_path / "khao_sat.csv"
    survey.write_bytes(as_bytes(survey_rows()))
    out = paths(tmp_path)
    log = tmp_path / "results/logs/clean/clean_survey.log"
    log.parent.mkdir(parents=True)
    args = {
        "survey": str(survey),
        "codebook": str(CODEBOOK),
        "log": str(log),
        "out": {k: str(v) for k, v in out.items()},
        "codes": CODES,
        "code": CODES[5],
    }
    script = tmp_path / "rule.py"
    script.write_text(RULE.format(scripts=str(ROOT / "scripts"), body=body.strip("\n")), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script), json.dumps(args)], capture_output=True, text=True, timeout=300
    )
    return done, log.read_text(encoding="utf-8"), out


def test_the_testers_crash_shows_no_code(tmp_path):
    done, log, out = run_rule(tmp_path, PANDERA_IN_THE_STAGE)
    assert done.returncode == 1
    assert done.stderr.startswith(
        "LỖI ở bước «clean_survey»: SchemaError: series 'ma_phieu' contains duplicate "
        "values:; 5     [mã đã ẩn]; 10    [mã đã ẩn]; Name: ma_phieu, dtype: string. Đầu vào: "
    )
    assert "Traceback" in log and "[mã đã ẩn]" in log and "quy tắc clean_survey thất bại" in log
    assert_no_code(done.stdout, done.stderr, log, *written(out))


def test_a_failing_rule_shows_no_code(tmp_path):
    done, log, _ = run_rule(tmp_path, ANY_MESSAGE)
    assert done.returncode == 1
    paragraph = (
        "LỖI ở bước «clean_survey»: không xử lý được phiếu [mã đã ẩn].. Đầu vào: "
        f"{tmp_path / 'khao_sat.csv'}, {CODEBOOK}. Chi tiết kỹ thuật (để báo lỗi cho nhóm phát triển): "
        f"{tmp_path / 'results/logs/clean/clean_survey.log'}."
    )
    assert done.stderr.splitlines() == [paragraph]
    assert "WARNING x: mã [mã đã ẩn] lạ" in log and "in ra stderr: [mã đã ẩn]" in log
    assert "RuntimeError: không xử lý được phiếu [mã đã ẩn]." in log  # logged and final traceback
    assert_no_code(done.stdout, done.stderr, log)


# --- the scrub itself, and the codebook --------------------------------------------------------


def test_scrub_finds_a_code_however_it_is_written():
    redact.remember(["HÀ-2031", "Q 77 X", "ab"])
    nfd = unicodedata.normalize("NFD", "hà-2031")
    masked = redact.scrub(f"[{nfd!r}], «HÀ-2031». q  77 x; ab")
    assert masked == "['[mã đã ẩn]'], «[mã đã ẩn]». [mã đã ẩn]; ab"
    assert redact.scrub("HÀ-20310 và XHÀ-2031") == "HÀ-20310 và XHÀ-2031"  # longer words are not codes


def test_a_codebook_with_two_id_variables_is_refused(tmp_path):
    text = CODEBOOK.read_text(encoding="utf-8")
    second = "  - {name: ma_khac, headers: [Mã khác], type: id}\n"
    text = text.replace("    type: id\n", "    type: id\n" + second, 1)
    path = tmp_path / "codebook.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match="chỉ được có một biến type: id") as info:
        load_codebook(path)
    assert "biến «ma_khac»: chỉ được có một biến type: id (đã có «ma_phieu» ở dòng" in str(info.value)
