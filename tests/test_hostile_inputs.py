"""Hostile and odd inputs beyond a bad cell (issue 13): readers, codebooks, config paths and
schema, safe echoing into CSV outputs and messages, and the error edge of every rule.

Each case asserts the parts of its message a user needs (file, row, column, value, rule or key),
that nothing downstream was written, and that no output cell could run as a spreadsheet formula.
"""

import csv
import io
from pathlib import Path

import pytest
import yaml
from openpyxl import Workbook
from test_bad_inputs import AGE, HEADER, LINES, PROV, SEX, _fields, _line, with_cell

from chinhquyenso import config_check
from chinhquyenso.clean_stage import clean_to_files
from chinhquyenso.codebook import load_codebook
from chinhquyenso.problems import SurveyValidationError
from chinhquyenso.readers import read_survey
from chinhquyenso.safe_text import FORMULA_START, cell, shown
from chinhquyenso.smk import failure_paragraph
from conftest import CODEBOOK, ROOT

OUT = {
    "table": "clean/khao_sat.parquet",
    "cleaning_log": "clean/nhat_ky_lam_sach.csv",
    "problems_csv": "validation/van_de.csv",
    "summary": "validation/tom_tat.txt",
}


def _clean(tmp_path, data: bytes, suffix=".csv", codebook=CODEBOOK, sheet=None):
    survey = tmp_path / f"khao_sat{suffix}"
    survey.write_bytes(data)
    out = {k: tmp_path / "results" / v for k, v in OUT.items()}
    for p in out.values():
        p.parent.mkdir(parents=True, exist_ok=True)
    return (
        survey,
        out,
        lambda: clean_to_files(survey, codebook, sheet=sheet, **{k: str(v) for k, v in out.items()}),
    )


def _refused(tmp_path, data: bytes, suffix=".csv", **kw):
    survey, out, run = _clean(tmp_path, data, suffix, **kw)
    with pytest.raises(SurveyValidationError) as info:
        run()
    assert not out["table"].exists() and not out["cleaning_log"].exists()
    assert out["summary"].stat().st_size > 0 and out["problems_csv"].stat().st_size > 0
    _assert_csv_safe(out["problems_csv"])
    return info.value.problems, out


def _assert_csv_safe(path: Path):
    for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8"))):
        for value in row:
            assert not value.startswith(FORMULA_START), (path.name, value)


def _xlsx(sheets, path=None) -> bytes:
    """A workbook from {title: (rows, hidden)}; formulas as '=...' strings (no cached values)."""
    book = Workbook()
    book.remove(book.active)
    for title, (rows, hidden) in sheets.items():
        ws = book.create_sheet(title)
        for r in rows:
            ws.append(r)
        if hidden:
            ws.sheet_state = "hidden"
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


DEMO_ROWS = [_fields(line) for line in LINES]


# --- readers ----------------------------------------------------------------------------------

READER_CASES = [  # fmt: skip
    # (name, bytes, suffix, row, column, message)
    ("Excel có mật khẩu", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le") + b"\0" * 64,
     ".xlsx", None, "", "đặt mật khẩu"),
    ("tệp .xls đổi đuôi", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, ".xlsx", None, "", "Excel 97–2003"),
    ("CSV đổi đuôi .xlsx", "\n".join(LINES[:5]).encode(), ".xlsx", None, "", "CSV mang đuôi .xlsx"),
    ("văn bản đổi đuôi .xlsx", "chỉ là một dòng chữ".encode(), ".xlsx", None, "", "không phải tệp Excel"),
    ("Excel rỗng 0 byte", b"", ".xlsx", None, "", "tệp rỗng"),
    ("công thức chưa tính", _xlsx({"Dữ liệu": ([HEADER, *[r[:] for r in DEMO_ROWS[1:4]], [*DEMO_ROWS[4][:-1], "=A1&B1"]], False)}),
     ".xlsx", 5, HEADER[-1], "công thức chưa có giá trị"),
    ("ô ngoài các cột có tiêu đề", _xlsx({"Dữ liệu": ([HEADER, DEMO_ROWS[1], [*DEMO_ROWS[2], "thừa"]], False)}),
     ".xlsx", 3, "", "ngoài các cột có tiêu đề"),
    ("trang tính hiện chỉ có tiêu đề", _xlsx({"Cũ": (DEMO_ROWS[:20], True), "Mới": ([HEADER], False)}),
     ".xlsx", 1, "", "chỉ có dòng tiêu đề"),
    ("UTF-16 chỉ có tiêu đề", b"\xff\xfe\x00" + b"abc", ".csv", 1, "", "chỉ có dòng tiêu đề"),
]  # fmt: skip


@pytest.mark.parametrize("case", READER_CASES, ids=[c[0] for c in READER_CASES])
def test_reader_refuses_with_what_the_file_is(case, tmp_path):
    _name, data, suffix, row, column, message = case
    problems, out = _refused(tmp_path, data, suffix)
    hits = [p for p in problems if p.dong == row and p.cot == column and message in p.quy_tac]
    assert hits, [str(p) for p in problems]
    assert message in out["summary"].read_text(encoding="utf-8")


def test_every_structural_problem_is_listed_not_only_the_first(tmp_path):
    lines = list(LINES)
    head = _fields(lines[0])
    head[HEADER.index(AGE)] = " "  # blank header ...
    lines[0] = _line(head)
    lines[6] = lines[6] + ",thừa"  # ... and a row with one cell too many, further down
    lines[9] = lines[9] + ",thừa,thừa"
    problems, _ = _refused(tmp_path, ("\n".join(lines) + "\n").encode())
    rules = [(p.dong, p.quy_tac.split(" (")[0]) for p in problems]
    assert (1, "tiêu đề cột trống") in rules
    assert any(r == 7 for r, _ in rules) and any(r == 10 for r, _ in rules), rules


def test_formulas_without_values_are_all_listed(tmp_path):
    rows = [HEADER, *[r[:] for r in DEMO_ROWS[1:6]]]
    rows[2][HEADER.index(AGE)] = "=B2+1"
    rows[4][HEADER.index(SEX)] = "=IF(1,2,3)"
    problems, _ = _refused(tmp_path, _xlsx({"Dữ liệu": (rows, False)}), ".xlsx")
    found = {(p.dong, p.cot) for p in problems if "công thức chưa có giá trị" in p.quy_tac}
    assert found == {(3, AGE), (5, SEX)}


def test_hidden_sheet_is_skipped_and_named(tmp_path):
    old = [HEADER, *[r[:] for r in DEMO_ROWS[1:3]]]
    book = _xlsx({"Bản cũ": (old, True), "Câu trả lời": ([HEADER, *DEMO_ROWS[1:]], False)})
    path = tmp_path / "x.xlsx"
    path.write_bytes(book)
    raw = read_survey(path)
    assert len(raw.frame) == len(LINES) - 1  # the visible sheet, not the 2-row hidden copy
    assert "Câu trả lời" in raw.description and "bỏ qua trang tính ẩn «Bản cũ»" in raw.description


def test_cr_only_line_ends_are_read(tmp_path):
    path = tmp_path / "mac.csv"
    path.write_bytes(("\r".join(LINES) + "\r").encode())
    raw = read_survey(path)
    assert len(raw.frame) == len(LINES) - 1 and "xuống dòng kiểu CR" in raw.description
    assert raw.rows[4] == 6  # rows numbered as the file's lines


def test_very_wide_header_is_checked_not_crashed(tmp_path):
    wide = "x" * 200_000
    lines = list(LINES)
    lines[0] = lines[0] + "," + wide
    lines[1:] = [line + ",1" for line in lines[1:]]
    _survey, out, run = _clean(tmp_path, ("\n".join(lines) + "\n").encode())
    run()  # an extra column is a warning: dropped and logged
    text = out["problems_csv"].read_text(encoding="utf-8")
    assert "dài 200.000 ký tự" in text and wide not in text


# --- safe echoing -------------------------------------------------------------------------------

HOSTILE = ['=HYPERLINK("http://x.example","bấm")', "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)",
           "\t=1+1", "\r=1+1"]  # fmt: skip


@pytest.mark.parametrize("value", HOSTILE, ids=["hyperlink", "plus-cmd", "minus-cmd", "at-sum", "tab", "cr"])
def test_formula_text_in_a_cell_is_refused_and_neutralised(value, tmp_path):
    row = 5
    problems, out = _refused(tmp_path, with_cell(row, PROV, value)())
    # a CR inside a cell splits the record for some readers: then the row is refused as malformed
    assert any(p.dong == row and p.cot in (PROV, "") for p in problems), [str(p) for p in problems]
    cells = [c for r in csv.reader(io.StringIO(out["problems_csv"].read_text(encoding="utf-8"))) for c in r]
    # the value is there, neutralised ('=...) or made visible (<U+0009>=...), never live; the
    # cells of a row split by a CR are not shown at all (any of them may be a respondent code)
    assert any(c.startswith(("'", "<U+")) for c in cells) or value.startswith("\r"), cells


@pytest.mark.parametrize("value", HOSTILE[:4], ids=["hyperlink", "plus-cmd", "minus-cmd", "at-sum"])
def test_formula_text_in_a_header_never_reaches_a_csv_unescaped(value, tmp_path):
    lines = list(LINES)
    head = _fields(lines[0])
    head.append(value)  # an unknown column: dropped with a warning that names its header
    lines[0] = _line(head)
    lines[1:] = [line + ",x" for line in lines[1:]]
    _survey, out, run = _clean(tmp_path, ("\n".join(lines) + "\n").encode())
    run()
    for name in ("problems_csv", "cleaning_log"):
        _assert_csv_safe(out[name])
    cells = [c for r in csv.reader(io.StringIO(out["problems_csv"].read_text(encoding="utf-8"))) for c in r]
    assert "'" + value in cells


INVISIBLE = [
    ("Nam\u200b", "Nam<U+200B>"),
    ("N\x00am", "N<U+0000>am"),
    ("\ufeffNữ", "<U+FEFF>Nữ"),
    ("Nam\u202e", "Nam<U+202E>"),
]


@pytest.mark.parametrize(("value", "visible"), INVISIBLE, ids=["zero-width", "nul", "bom", "bidi"])
def test_invisible_characters_are_shown(value, visible, tmp_path):
    problems, out = _refused(tmp_path, with_cell(4, SEX, value)())
    assert any(visible in str(p) for p in problems), [str(p) for p in problems]
    assert visible in out["problems_csv"].read_text(encoding="utf-8")
    assert visible in out["summary"].read_text(encoding="utf-8")


def test_a_huge_cell_is_cut_with_its_length(tmp_path):
    problems, out = _refused(tmp_path, with_cell(6, SEX, "Nữ" * 500_000)())
    summary = out["summary"].read_text(encoding="utf-8")
    assert "(dài 1.000.000 ký tự)" in summary and len(summary) < 20_000


DISGUISED = ["-2+3+cmd|' /C calc'!A0", "+1+cmd", "-A1"]


@pytest.mark.parametrize("value", DISGUISED, ids=["minus-digit-cmd", "plus-digit", "minus-ref"])
def test_a_formula_disguised_as_a_number_is_called_a_formula(value, tmp_path):
    problems, _ = _refused(tmp_path, with_cell(7, AGE, value)())
    rules = [p.quy_tac for p in problems if p.dong == 7 and p.cot == AGE]
    assert rules[0] == "ô có dạng công thức bảng tính" and "không phải số nguyên" not in " ".join(rules)


def test_safe_text_rules():
    assert cell("=1") == "'=1" and cell("-5") == "'-5" and cell("Nam") == "Nam" and cell(-5) == -5
    assert shown("a\u200bb") == "a<U+200B>b" and shown("x" * 300).endswith("(dài 300 ký tự)")


# --- codebook ----------------------------------------------------------------------------------

BASE = yaml.safe_load(CODEBOOK.read_text(encoding="utf-8"))


def _edit_codebook(change):
    doc = yaml.safe_load(CODEBOOK.read_text(encoding="utf-8"))
    change(doc)
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)


def _var(doc, name):
    return next(v for v in doc["variables"] if v["name"] == name)


CODEBOOK_CASES = [
    ("thiếu headers", lambda d: _var(d, "tuoi").pop("headers"), ["biến «tuoi»", "cần 'headers:'"]),
    ("headers rỗng", lambda d: _var(d, "tuoi").update(headers=[]), ["biến «tuoi»", "headers"]),
    ("type viết sai", lambda d: _var(d, "tuoi").update(type="interger"), ["biến «tuoi»", "type «interger» không có"]),
    ("khóa biến viết sai", lambda d: _var(d, "tuoi").update(rnage=[1, 2]), ["biến «tuoi»", "'rnage'"]),
    ("khóa gốc viết sai", lambda d: d.update(varaibles=[]), ["khóa «varaibles» không có"]),
    ("biến trùng tên", lambda d: d["variables"].append(dict(_var(d, "tuoi"), headers=["Tuổi khác"])),
     ["biến «tuoi»", "tên biến trùng với biến ở dòng"]),
    ("một tiêu đề cho hai biến", lambda d: _var(d, "tham_nien")["headers"].append("Tuổi"),
     ["biến «tham_nien»", "tiêu đề «Tuổi» đã thuộc biến «tuoi»"]),
    ("một đáp án hai mã", lambda d: _var(d, "gioi_tinh")["categories"][1]["raw"].append("nam"),
     ["biến «gioi_tinh»", "«nam» có ở cả hai mã «Nam» và «Nữ»"]),
    ("thang đo một cách viết hai mã", lambda d: d["scales"]["likert5"]["codes"][2].append("Rất thấp"),
     ["scales.likert5", "«Rất thấp» có ở cả hai mã «1» và «2»"]),
    ("khoảng bị đảo", lambda d: _var(d, "tuoi").update(range=[45, 18]), ["biến «tuoi»", "[45, 18] bị đảo"]),
    ("khoảng không phải số", lambda d: _var(d, "tuoi").update(range=["a", 5]), ["biến «tuoi»", "'range'"]),
    ("thiếu variables", lambda d: d.pop("variables"), ["thiếu danh sách 'variables:'"]),
    ("thang đo không khai báo", lambda d: _var(d, "da_tap_huan").update(scale="co_khong_2"), ["co_khong_2"]),
    ("vai trò trỏ biến lạ", lambda d: d["roles"].update(gender="gioi"), ["roles.gender", "«gioi»"[1:-1]]),
    ("khối kind sai", lambda d: d["blocks"].append({"id": "x", "kind": "matrix"}), ["kind 'matrix' không tồn tại"]),
]  # fmt: skip


@pytest.mark.parametrize("case", CODEBOOK_CASES, ids=[c[0] for c in CODEBOOK_CASES])
def test_codebook_mistakes_are_named_before_any_data_is_read(case, tmp_path):
    _name, change, parts = case
    path = tmp_path / "codebook.yaml"
    path.write_text(_edit_codebook(change), encoding="utf-8")
    with pytest.raises(ValueError) as info:
        load_codebook(path)
    message = str(info.value)
    assert str(path) in message and "Traceback" not in message
    for part in parts:
        assert part in message, message
    if "biến «" in parts[0]:
        assert "dòng " in message  # the line of the variable in the file


BAD_YAML = [
    ("scales: [\n  a: 1\n", ["dòng 3", "YAML"]),
    ('variables:\n  - name: x\n    headers: ["a"\n', ["YAML"]),
    ("", ["bảng khóa YAML"]),
    ("- một\n- hai\n", ["bảng khóa YAML"]),
]


@pytest.mark.parametrize(
    ("text", "parts"),
    BAD_YAML,
    ids=["ngoặc không đóng", "danh sách không đóng", "tệp rỗng", "không phải bảng khóa"],
)
def test_malformed_codebook_yaml_names_the_line(text, parts, tmp_path):
    path = tmp_path / "codebook.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError) as info:
        load_codebook(path)
    for part in parts:
        assert part in str(info.value)


def test_a_codebook_mistake_is_not_blamed_on_the_data(tmp_path):
    path = tmp_path / "codebook.yaml"
    path.write_text(_edit_codebook(lambda d: _var(d, "tuoi").update(range=[45, 18])), encoding="utf-8")
    _survey, out, run = _clean(tmp_path, "\n".join(LINES).encode(), codebook=path)
    with pytest.raises(ValueError, match="bị đảo"):
        run()
    assert not out["problems_csv"].exists()  # no "361 data errors"


# --- config: paths and schema ---------------------------------------------------------------------


def _config():
    return yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))


def _only(section, key, value):
    """A config naming one path (path_problems checks the keys present)."""
    return {section: {key: value}}


PATH_CASES = [
    ("đường dẫn tuyệt đối ra ngoài", ("survey", "path"), "/etc/passwd", "nằm ngoài thư mục dự án"),
    ("../ ra ngoài", ("survey", "path"), "../ngoai/khao_sat.csv", "nằm ngoài thư mục dự án"),
    ("thư mục mẫu ngoài dự án", ("report", "template_dir"), "/tmp", "nằm ngoài thư mục dự án"),
    ("thư mục phông ngoài dự án", ("report", "font_dir"), "/usr/share/fonts", "nằm ngoài thư mục dự án"),
    ("codebook ngoài dự án", ("survey", "codebook"), "/etc/hostname", "nằm ngoài thư mục dự án"),
    ("số liệu công bố ngoài dự án", ("reproduction", "published"), "/etc/hosts", "nằm ngoài thư mục dự án"),
    ("tệp không có", ("survey", "path"), "data/khong_co.csv", "không có tệp hay thư mục"),
    ("tài liệu ngoài dự án", ("documents", "sources"), "../../nguon.yaml", "nằm ngoài thư mục dự án"),
]


@pytest.mark.parametrize("case", PATH_CASES, ids=[c[0] for c in PATH_CASES])
def test_path_policy(case, tmp_path):
    _name, (section, key), value, message = case
    (tmp_path / "data").mkdir()
    found = config_check.path_problems(_only(section, key, value), tmp_path)
    assert len(found) == 1 and found[0].startswith(f"config {section}.{key}: "), found
    assert f"«{value}»" in found[0] and message in found[0], found


def test_symlink_out_of_the_project_is_refused(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "khao_sat.csv").symlink_to("/etc/passwd")
    found = config_check.path_problems(_only("survey", "path", "data/khao_sat.csv"), tmp_path)
    assert any("liên kết tới «/etc/passwd»" in p for p in found), found


def test_wave_paths_are_checked_too(tmp_path):
    (tmp_path / "codebook.yaml").write_text("x", encoding="utf-8")
    cfg = {"waves": [{"year": 2026, "path": "/etc/passwd", "codebook": "codebook.yaml"}]}
    assert [p.split(":")[0] for p in config_check.path_problems(cfg, tmp_path)] == ["config waves[1].path"]


def test_the_project_config_passes():
    assert config_check.path_problems(_config(), ROOT) == []
    assert config_check.schema_problems(_config(), ROOT / "workflow/schemas/config.schema.yaml") == []


SCHEMA_CASES = [
    ("khóa viết sai", lambda c: c["report"].update(tempalte_dir="x"), "config report: khóa 'tempalte_dir' không có"),
    ("sai kiểu", lambda c: c["report"].update(min_cell="năm"), "config report.min_cell: phải là số nguyên"),
    ("thiếu khóa", lambda c: c["survey"].pop("codebook"), "config survey: thiếu khóa 'codebook'"),
    ("giá trị ngoài danh sách", lambda c: c["models"].update(multiple_testing="bonferoni"),
     "config models.multiple_testing: phải là một trong"),
]  # fmt: skip


@pytest.mark.parametrize("case", SCHEMA_CASES, ids=[c[0] for c in SCHEMA_CASES])
def test_schema_errors_are_in_vietnamese(case):
    _name, change, message = case
    cfg = _config()
    change(cfg)
    found = config_check.schema_problems(cfg, ROOT / "workflow/schemas/config.schema.yaml")
    assert any(p.startswith(message) for p in found), found


def test_an_old_documents_section_names_the_file_its_missing_key_points_to():
    """Issue 25 (c): a config from before the document indicators left the codebook."""
    cfg = _config()
    cfg["documents"].pop("indicators")
    found = config_check.schema_problems(cfg, ROOT / "workflow/schemas/config.schema.yaml")
    assert len(found) == 1, found
    assert found[0].startswith("config documents: thiếu khóa 'indicators' (")
    assert "indicators: resources/documents/chi_so.yaml" in found[0] and "document_indicators" in found[0]


# --- the edge of every rule -----------------------------------------------------------------------


class _Smk:
    rule = "descriptive_tables"
    input = ["results/clean/khao_sat.parquet", "resources/codebook.yaml"]
    log = ["results/logs/tables/descriptive_tables.log"]


def test_an_unexpected_error_is_one_vietnamese_paragraph():
    text = failure_paragraph(_Smk(), KeyError("da_tap_huan"))
    assert text.startswith("LỖI ở bước «descriptive_tables»: 'da_tap_huan'.")
    assert "results/clean/khao_sat.parquet" in text and "results/logs/tables/descriptive_tables.log" in text
    assert "\n" not in text and "Traceback" not in text


def test_a_full_disk_is_called_a_full_disk():
    text = failure_paragraph(_Smk(), OSError(28, "No space left on device"))
    assert "ổ đĩa đã đầy" in text


def test_an_unexpected_cleaning_error_still_writes_the_report(tmp_path, monkeypatch):
    import chinhquyenso.clean_stage as stage

    def broken(*_args, **_kw):
        raise RuntimeError("hỏng bất ngờ")

    monkeypatch.setattr(stage, "clean_survey", broken)
    _survey, out, run = _clean(tmp_path, ("\n".join(LINES) + "\n").encode())
    with pytest.raises(RuntimeError):
        run()
    assert "lỗi không mong đợi" in out["summary"].read_text(encoding="utf-8")
    assert not out["table"].exists()


def test_source_texts_are_not_committed():
    assert "/resources/documents/van_ban/" in (ROOT / ".gitignore").read_text(encoding="utf-8")


def test_corpus_counts():
    """The table-driven part of the bad-input corpus (tests/test_bad_inputs.py and this file's
    case tables); the single-case tests above come on top."""
    from test_bad_inputs import CASES

    tables = (READER_CASES, HOSTILE, INVISIBLE, DISGUISED, CODEBOOK_CASES, BAD_YAML, PATH_CASES, SCHEMA_CASES)
    assert len(CASES) + sum(len(t) for t in tables) >= 70


def test_a_full_disk_during_the_render_leaves_no_half_written_pdf(tmp_path, monkeypatch):
    from weasyprint.document import Document

    from chinhquyenso.report.render import write_pdf

    def disk_full(self, target, *_args, **_kw):
        Path(target).write_bytes(b"%PDF-1.7 half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Document, "write_pdf", disk_full)
    out = tmp_path / "bao_cao.pdf"
    with pytest.raises(OSError):
        write_pdf("<p>x</p>", ROOT / "workflow/templates/report.css", ROOT / "resources/fonts", out, [ROOT])
    assert list(tmp_path.iterdir()) == []
