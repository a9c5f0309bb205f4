"""Ambiguity in the codebook and Excel serial dates (issue 23, items 2 and 5).

The codebook check (``codebook_check``, run by ``config_check.load_checked`` when the workflow
starts) refuses, before any data is read and naming file, line and key, what would otherwise
pass silently or be blamed on the data: a key written twice (YAML keeps the second), one item in
two item groups, one item group or variable in two blocks, ``only_if`` circles and references to
a variable that does not exist or is not yes/no, empty groups and blocks, scale codes out of
order. Every problem is listed, not only the first.

Timestamps written as Excel serial day numbers are read as dates: a workbook's number cells with
the workbook's date system (1900 or 1904), serial-looking text in a CSV with the 1900 system, and
each conversion is written to the cleaning log.

The codebooks are the project's own, edited as text so that line numbers are those of a file a
person would open; expected line numbers are found in that text, not hard-coded.
"""

import csv
import datetime as dt
import io

import pandas as pd
import pytest
from openpyxl import Workbook
from openpyxl.utils.datetime import CALENDAR_MAC_1904
from test_bad_inputs import HEADER, LINES, TIME, _fields

from chinhquyenso.clean_stage import clean_to_files
from chinhquyenso.codebook import load_codebook
from chinhquyenso.codebook_check import parse
from chinhquyenso.ingest import clean_survey
from chinhquyenso.problems import SurveyValidationError
from chinhquyenso.readers import read_survey
from conftest import CODEBOOK, as_raw

BASE = CODEBOOK.read_text(encoding="utf-8")
REPEATED = "(YAML lặng lẽ chỉ giữ giá trị sau); xóa hoặc gộp một trong hai"
ONLY_ONE_BLOCK = "mỗi biến chỉ thuộc một khối"


def line_of(text: str, needle: str, after: int = 0) -> int:
    """The number (from 1) of the first line after line ``after`` that contains ``needle``."""
    for number, line in enumerate(text.splitlines(), start=1):
        if number > after and needle in line:
            return number
    raise AssertionError(f"«{needle}» không có trong codebook")


def replaced(old: str, new: str, text: str = BASE) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def problems(tmp_path, text: str) -> tuple[str, list[str]]:
    """The codebook's path and the problems its check lists (one per line of the message)."""
    path = tmp_path / "codebook.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError) as info:
        load_codebook(path)
    head, *listed = str(info.value).split("\n  ")
    assert head == f"{path}: codebook không hợp lệ:", head
    return str(path), listed


# --- (1) a key written twice, at any depth ----------------------------------------------------


def test_a_repeated_top_level_key_is_refused_with_both_lines(tmp_path):
    text = BASE + '\npseudonym_prefix: "XX"\n'
    first = line_of(text, "pseudonym_prefix:")
    second = line_of(text, "pseudonym_prefix:", after=first)
    _path, listed = problems(tmp_path, text)
    assert listed == [f"dòng {second}, khóa «pseudonym_prefix»: khóa trùng với dòng {first} {REPEATED}"]


def test_a_repeated_item_label_is_refused_not_silently_replaced(tmp_path):
    """The motivating case: the second, wrong label used to win without a word."""
    text = replaced(
        '      hd02: "Triển khai cổng dữ liệu mở"\n',
        '      hd02: "Triển khai cổng dữ liệu mở"\n      hd01: "Nhãn sai"\n',
    )
    first = line_of(text, "hd01: ")
    second = line_of(text, "hd01: ", after=first)
    _path, listed = problems(tmp_path, text)
    assert listed == [
        f"dòng {second}, khóa «items.hoat_dong.entries.hd01»: khóa trùng với dòng {first} {REPEATED}"
    ]


def test_a_repeated_key_inside_a_list_item_names_its_position(tmp_path):
    text = replaced("    range: [18, 45]\n", "    range: [18, 45]\n    range: [18, 60]\n")
    first = line_of(text, "range: [18, 45]")
    position = _position(text, line_of(text, "  - name: tuoi"))
    assert position == 10  # thoi_diem_nop, ma_phieu, four identifiers, tinh, cap_hanh_chinh, gioi_tinh, tuoi
    _path, listed = problems(tmp_path, text)
    assert listed == [
        f"dòng {first + 1}, khóa «variables[{position}].range»: khóa trùng với dòng {first} {REPEATED}"
    ]


def test_keys_are_compared_as_loaded_yes_is_true(tmp_path):
    text = replaced(
        '      false: ["Không", "Khong", "No"]\n', '      false: ["Không", "Khong", "No"]\n      yes: ["Ừ"]\n'
    )
    first = line_of(text, 'true: ["Có"')
    _path, listed = problems(tmp_path, text)
    assert listed == [
        f"dòng {first + 2}, khóa «scales.co_khong.codes.yes»: khóa trùng với dòng {first} {REPEATED}"
    ]


def test_every_repeated_key_is_listed_with_the_other_problems(tmp_path):
    text = replaced("    range: [18, 45]\n", "    range: [45, 18]\n")
    text = replaced("version: 1\n", "version: 1\nversion: 2\n", text)
    text = replaced("  - name: tuoi\n", '  - name: tuoi\n    label: "Tuổi"\n', text)
    _path, listed = problems(tmp_path, text)
    version = line_of(text, "version: 1")
    label = line_of(text, 'label: "Tuổi"')
    age = line_of(text, "  - name: tuoi")
    assert listed == [
        f"dòng {version + 1}, khóa «version»: khóa trùng với dòng {version} {REPEATED}",
        f"dòng {label + 1}, khóa «variables[{_position(text, age)}].label»: "
        f"khóa trùng với dòng {label} {REPEATED}",
        f"dòng {age}, biến «tuoi»: 'range' [45, 18] bị đảo: số đầu phải nhỏ hơn hoặc bằng số sau",
    ]


def _position(text: str, line: int) -> int:
    """The position (from 1) in `variables:` of the list item starting at ``line``."""
    start = text.splitlines().index("variables:") + 1
    return [x.startswith("  - ") for x in text.splitlines()[start:line]].count(True)


def test_a_merge_key_override_is_not_a_repeat():
    doc, _lines, repeated = parse("base: &b {a: 1, b: 2}\nother:\n  <<: *b\n  b: 3\n")
    assert repeated == [] and doc["other"] == {"a": 1, "b": 3}


# --- (2) one item in two groups, one group or variable in two blocks -----------------------------


def test_an_item_in_two_groups_is_refused(tmp_path):
    text = replaced(
        '      cd03: "Tập huấn kỹ năng an toàn thông tin cho người dân"\n',
        '      cd03: "Tập huấn kỹ năng an toàn thông tin cho người dân"\n      hd01: "Xây dựng cổng"\n',
    )
    first = line_of(text, "hd01: ")
    second = line_of(text, "hd01: ", after=first)
    _path, listed = problems(tmp_path, text)
    assert listed == [
        f"dòng {second}, items.cong_dong.entries.hd01: mục «hd01» đã có trong nhóm «hoat_dong» "
        f"(dòng {first}); mỗi mục chỉ thuộc một nhóm"
    ]


def test_an_item_group_in_two_blocks_is_refused(tmp_path):
    text = replaced(
        '  - {id: rao_can, kind: multiselect, variable: rao_can, title: "Rào cản"}\n',
        '  - {id: rao_can, kind: multiselect, variable: rao_can, title: "Rào cản"}\n'
        '  - {id: cong_dong_2, kind: ratings, items: cong_dong, title: "Hỗ trợ người dân (2)"}\n',
    )
    _path, listed = problems(tmp_path, text)
    assert listed == [
        f"dòng {line_of(text, 'id: cong_dong_2')}, blocks[6] (cong_dong_2): nhóm mục «cong_dong» đã thuộc "
        f"khối «cong_dong» (dòng {line_of(text, 'id: cong_dong,')}); mỗi nhóm mục chỉ thuộc một khối"
    ]


def test_a_variable_in_two_blocks_is_refused(tmp_path):
    text = replaced(
        '  - {id: rao_can, kind: multiselect, variable: rao_can, title: "Rào cản"}\n',
        '  - {id: rao_can, kind: multiselect, variable: rao_can, title: "Rào cản"}\n'
        '  - id: tham_gia\n    kind: indicators\n    title: "Tham gia"\n'
        "    variables: [co_ky_nang_so, tham_gia_hd01]\n",
    )
    listed_at = line_of(text, "variables: [co_ky_nang_so, tham_gia_hd01]")
    _path, listed = problems(tmp_path, text)
    assert listed == [
        f"dòng {listed_at}, blocks[6] (tham_gia): biến «co_ky_nang_so» đã thuộc khối «nang_luc» "
        f"(dòng {line_of(text, 'id: nang_luc')}); {ONLY_ONE_BLOCK}",
        f"dòng {listed_at}, blocks[6] (tham_gia): biến «tham_gia_hd01» đã thuộc khối «hoat_dong» "
        f"(dòng {line_of(text, 'id: hoat_dong')}); {ONLY_ONE_BLOCK}",
    ]


# --- (3) only_if ------------------------------------------------------------------------------


def _cycle_text() -> str:
    """muc_do_hd01 and muc_do_hd02 each asked only if the other is answered: passed the check,
    then failed in cleaning with "Invalid value 'False' for dtype 'Int8'", blamed on the data."""
    text = replaced("only_if: tham_gia_hd01,", "only_if: muc_do_hd02,")
    return replaced("only_if: tham_gia_hd02,", "only_if: muc_do_hd01,", text)


def test_an_only_if_cycle_is_refused_with_its_circle(tmp_path):
    text = _cycle_text()
    one, two = line_of(text, "name: muc_do_hd01,"), line_of(text, "name: muc_do_hd02,")
    kind = "phải là biến có/không (type: boolean hoặc thang có/không), biến này có loại «ordinal»"
    _path, listed = problems(tmp_path, text)
    assert listed == [
        f"dòng {one}, biến «muc_do_hd01»: only_if «muc_do_hd02» {kind}",
        f"dòng {two}, biến «muc_do_hd02»: only_if «muc_do_hd01» {kind}",
        f"dòng {one}, biến «muc_do_hd01»: only_if tạo vòng lặp muc_do_hd01 → muc_do_hd02 → muc_do_hd01; "
        "bỏ only_if ở một biến trong vòng",
    ]


def test_an_only_if_cycle_between_yes_no_questions_is_refused(tmp_path):
    text = replaced(
        "    scale: co_khong\n  - name: co_ky_nang_so\n",
        "    scale: co_khong\n    only_if: co_ky_nang_so\n  - name: co_ky_nang_so\n",
    )
    text = replaced(
        "    scale: co_khong\n  # The 14 activities",
        "    scale: co_khong\n    only_if: da_tap_huan\n  # The 14 activities",
        text,
    )
    _path, listed = problems(tmp_path, text)
    assert listed == [
        f"dòng {line_of(text, 'only_if: co_ky_nang_so')}, biến «da_tap_huan»: only_if tạo vòng lặp "
        "da_tap_huan → co_ky_nang_so → da_tap_huan; bỏ only_if ở một biến trong vòng"
    ]


def test_an_only_if_on_itself_is_a_cycle(tmp_path):
    text = replaced(
        "{name: tham_gia_hd03, item: hd03,", "{name: tham_gia_hd03, item: hd03, only_if: tham_gia_hd03,"
    )
    _path, listed = problems(tmp_path, text)  # muc_do_hd03 -> tham_gia_hd03 leads into it: said once
    assert listed == [
        f"dòng {line_of(text, 'name: tham_gia_hd03,')}, biến «tham_gia_hd03»: only_if tạo vòng lặp "
        "tham_gia_hd03 → tham_gia_hd03; bỏ only_if ở một biến trong vòng"
    ]


def test_an_only_if_cycle_stops_the_run_before_the_data_is_read(tmp_path):
    codebook = tmp_path / "codebook.yaml"
    codebook.write_text(_cycle_text(), encoding="utf-8")
    survey = tmp_path / "khao_sat.csv"
    survey.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    out = {k: tmp_path / f"{k}.out" for k in ("table", "cleaning_log", "problems_csv", "summary")}
    with pytest.raises(ValueError, match="vòng lặp") as info:
        clean_to_files(survey, codebook, **{k: str(v) for k, v in out.items()})
    assert "Int8" not in str(info.value)
    assert not any(p.exists() for p in out.values())  # nothing blamed on the data


def test_only_if_to_an_unknown_variable_is_refused(tmp_path):
    text = replaced("only_if: tham_gia_hd01,", "only_if: tham_gia_hd99,")
    _path, listed = problems(tmp_path, text)
    assert listed == [
        f"dòng {line_of(text, 'name: muc_do_hd01,')}, biến «muc_do_hd01»: "
        "only_if «tham_gia_hd99» không có trong variables"
    ]


def test_only_if_to_a_variable_that_is_not_yes_no_is_refused(tmp_path):
    text = replaced("only_if: tham_gia_hd01,", "only_if: tuoi,")
    _path, listed = problems(tmp_path, text)
    assert listed == [
        f"dòng {line_of(text, 'name: muc_do_hd01,')}, biến «muc_do_hd01»: "
        "only_if «tuoi» phải là biến có/không (type: boolean hoặc thang có/không), biến này có loại «integer»"
    ]


def test_only_if_to_an_option_of_a_multiselect_is_refused(tmp_path):
    text = replaced("only_if: tham_gia_hd01,", "only_if: rao_can_rc01,")
    _path, listed = problems(tmp_path, text)
    assert listed == [
        f"dòng {line_of(text, 'name: muc_do_hd01,')}, biến «muc_do_hd01»: "
        "only_if «rao_can_rc01» là một lựa chọn của câu chọn nhiều «rao_can», "
        "không phải biến có/không có cột riêng"
    ]


def test_a_condition_with_a_condition_is_settled_first(raw_demo, tmp_path):
    """co_ky_nang_so -> tham_gia_hd01 -> da_tap_huan, the first listed before its condition: a
    participation emptied (warning) no longer counts as "Có" for the question asked after it."""
    text = replaced(
        "    scale: co_khong\n  # The 14 activities",
        "    scale: co_khong\n    only_if: tham_gia_hd01\n  # The 14 activities",
    )
    text = replaced(
        "{name: tham_gia_hd01, item: hd01,", "{name: tham_gia_hd01, item: hd01, only_if: da_tap_huan,", text
    )
    text = replaced("validation:\n", "validation:\n  muc_do_thua: warning\n", text)
    path = tmp_path / "codebook.yaml"
    path.write_text(text, encoding="utf-8")
    book = load_codebook(path)
    h = {name: book[name].headers[0] for name in ("da_tap_huan", "tham_gia_hd01", "co_ky_nang_so")}
    raw = raw_demo.head(1).copy()
    raw.loc[0, [h["da_tap_huan"], h["tham_gia_hd01"], h["co_ky_nang_so"]]] = ["Không", "Có", "Có"]
    raw.loc[0, book["muc_do_hd01"].headers[0]] = ""
    result = clean_survey(as_raw(raw), book)
    row = result.clean.iloc[0]
    assert pd.isna(row["tham_gia_hd01"]) and pd.isna(row["co_ky_nang_so"])
    emptied = result.log[result.log["ly_do"] == "bỏ mức độ của hoạt động không tham gia"]
    assert list(emptied["bien"]) == ["co_ky_nang_so", "tham_gia_hd01"]  # log order: by column


# --- (4) empty groups and blocks ----------------------------------------------------------------


def test_an_empty_item_group_gets_its_own_message(tmp_path):
    start = line_of(BASE, "  cong_dong:")
    lines = BASE.splitlines(keepends=True)
    text = "".join(lines[: start + 1]) + "    entries: {}\n" + "".join(lines[start + 5 :])
    _path, listed = problems(tmp_path, text)
    assert f"dòng {start}, items.cong_dong: nhóm mục rỗng, 'entries' không có mục nào" in listed
    block = line_of(text, "id: cong_dong,")
    assert f"dòng {block}, blocks[3] (cong_dong): khối rỗng, nhóm mục «cong_dong» không có mục nào" in listed
    assert not any("thang đo thứ bậc" in p for p in listed)  # the message of another problem, before


def test_an_empty_block_gets_its_own_message(tmp_path):
    text = replaced("variables: [da_tap_huan, co_ky_nang_so]}", "variables: []}")
    _path, listed = problems(tmp_path, text)
    assert listed == [
        f"dòng {line_of(text, 'id: nang_luc')}, blocks[2] (nang_luc): "
        "khối rỗng, 'variables' không có biến nào"
    ]


def test_a_multiselect_without_options_is_refused(tmp_path):
    start = line_of(BASE, "    options:")
    lines = BASE.splitlines(keepends=True)
    text = "".join(lines[: start - 1]) + "    options: []\n" + "".join(lines[start + 5 :])
    _path, listed = problems(tmp_path, text)
    at = line_of(text, "  - name: rao_can")
    assert f"dòng {at}, biến «rao_can»: câu chọn nhiều không có lựa chọn nào ('options')" in listed


# --- (5) order inside the codebook --------------------------------------------------------------


def test_ordinal_codes_out_of_order_are_refused(tmp_path):
    text = replaced('      4: ["Cao"]\n      5: ["Rất cao"]\n', '      5: ["Rất cao"]\n      4: ["Cao"]\n')
    _path, listed = problems(tmp_path, text)
    assert listed == [
        f"dòng {line_of(text, '  likert5:')}, scales.likert5: mã của thang thứ bậc phải tăng dần theo thứ tự "
        "khai báo, từ thấp đến cao (đang là 1, 2, 3, 5, 4)"
    ]


def test_summary_band_above_high_band_is_refused(tmp_path):
    text = replaced("    summary_from: 3\n    high_from: 4\n", "    summary_from: 4\n    high_from: 3\n")
    _path, listed = problems(tmp_path, text)
    assert listed == [
        f"dòng {line_of(text, '  likert5:')}, scales.likert5: summary_from (4) lớn hơn high_from (3); "
        "nhóm tóm tắt (từ summary_from trở lên) phải chứa nhóm mức cao (từ high_from trở lên)"
    ]


def test_a_quoted_false_in_a_yes_no_scale_is_refused(tmp_path):
    text = replaced('      false: ["Không", "Khong", "No"]', '      "false": ["Không", "Khong", "No"]')
    _path, listed = problems(tmp_path, text)
    assert listed == [
        f"dòng {line_of(text, '  co_khong:')}, scales.co_khong: "
        "mã của thang có/không phải là true hoặc false (viết không có ngoặc kép), nhận «'false'»"
    ]


def test_one_ordinal_code_written_two_ways_is_refused(tmp_path):
    text = replaced('      2: ["Thấp"]\n', '      "1": ["Thấp"]\n')
    _path, listed = problems(tmp_path, text)
    assert listed == [
        f"dòng {line_of(text, '  likert5:')}, scales.likert5: mã 1 khai báo hai lần (viết khác nhau)"
    ]


def test_the_project_codebooks_pass():
    from conftest import ROOT

    for path in [CODEBOOK, *sorted((ROOT / "tests/fixtures").glob("*/codebook.yaml"))]:
        load_codebook(path)


# --- Excel serial dates -------------------------------------------------------------------------

ROWS = [_fields(line) for line in LINES]
T = HEADER.index(TIME)
SERIAL_REASON = "số ngày kiểu Excel đọc thành thời điểm (hệ thống ngày {})"


def _workbook(path, serials: dict[int, float], epoch=None):
    """The demo as a workbook, with number cells in the timestamp column at the given file rows."""
    book = Workbook()
    if epoch is not None:
        book.epoch = epoch
    ws = book.active
    for number, row in enumerate(ROWS, start=1):
        ws.append([serials.get(number, cell) if i == T else cell for i, cell in enumerate(row)])
    book.save(path)
    return path


def _stamp(result, file_row: int):
    clean = result.clean
    return clean.loc[clean["dong_nguon"] == file_row, "thoi_diem_nop"].item()


@pytest.mark.parametrize(
    ("epoch", "system", "expected"),
    [
        (None, 1900, {3: dt.datetime(2023, 7, 16, 12, 0), 4: dt.datetime(2023, 7, 3, 9, 44, 8)}),
        (CALENDAR_MAC_1904, 1904, {3: dt.datetime(2027, 7, 17, 12, 0), 4: dt.datetime(2027, 7, 4, 9, 44, 8)}),
    ],
    ids=["hệ thống ngày 1900", "hệ thống ngày 1904"],
)
def test_serial_dates_in_a_workbook_use_its_date_system(epoch, system, expected, codebook, tmp_path):
    # 45113.40564814815 is 03/07/2023 09:44:08 in the 1900 system (row 2's own timestamp)
    path = _workbook(tmp_path / "khao_sat.xlsx", {3: 45123.5, 4: 45110.40564814815}, epoch)
    raw = read_survey(path)
    assert raw.number_cells[TIME].sum() == 2
    assert raw.description.endswith("hệ thống ngày 1904") == (system == 1904)
    result = clean_survey(raw, codebook)
    for row, when in expected.items():
        assert _stamp(result, row) == pd.Timestamp(when)
    log = result.log[result.log["ly_do"] == SERIAL_REASON.format(system)]
    assert log[["dong", "cot", "gia_tri_cu"]].values.tolist() == [
        [3, TIME, "45123.5"],
        [4, TIME, "45110.40564814815"],
    ]
    assert list(log["gia_tri_moi"]) == [
        f"{expected[3]:%Y-%m-%d %H:%M:%S}",
        f"{expected[4]:%Y-%m-%d %H:%M:%S}",
    ]


def test_a_number_cell_is_a_serial_not_a_year(codebook, tmp_path):
    result = clean_survey(read_survey(_workbook(tmp_path / "k.xlsx", {5: 45123, 6: 2023})), codebook)
    assert _stamp(result, 5) == pd.Timestamp(2023, 7, 16)
    assert _stamp(result, 6) == pd.Timestamp(1905, 7, 15)  # as Excel shows it, and logged


def _csv(path, cells: dict[int, str]):
    rows = [list(r) for r in ROWS]
    for number, value in cells.items():
        rows[number - 1][T] = value
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def test_serial_dates_in_a_csv_are_read_with_1900_and_logged(tmp_path):
    survey = _csv(tmp_path / "khao_sat.csv", {3: "45123.5", 6: " 45123,25 "})
    out = {
        "table": tmp_path / "results/clean/khao_sat.parquet",
        "cleaning_log": tmp_path / "results/clean/nhat_ky_lam_sach.csv",
        "problems_csv": tmp_path / "results/validation/van_de.csv",
        "summary": tmp_path / "results/validation/tom_tat.txt",
    }
    for p in out.values():
        p.parent.mkdir(parents=True, exist_ok=True)
    result = clean_to_files(survey, CODEBOOK, **{k: str(v) for k, v in out.items()})
    assert _stamp(result, 3) == pd.Timestamp(2023, 7, 16, 12, 0)
    assert _stamp(result, 6) == pd.Timestamp(2023, 7, 16, 6, 0)
    log = pd.read_csv(out["cleaning_log"], dtype=str, keep_default_na=False)
    rows = log[log["ly_do"] == SERIAL_REASON.format(1900)].to_dict("records")
    assert rows == [
        {"dong": "3", "cot": TIME, "bien": "thoi_diem_nop", "gia_tri_cu": "45123.5",
         "gia_tri_moi": "2023-07-16 12:00:00", "ly_do": SERIAL_REASON.format(1900)},
        {"dong": "6", "cot": TIME, "bien": "thoi_diem_nop", "gia_tri_cu": " 45123,25 ",
         "gia_tri_moi": "2023-07-16 06:00:00", "ly_do": SERIAL_REASON.format(1900)},
    ]  # fmt: skip


@pytest.mark.parametrize("value", ["4512", "451234", "45123.5.1", "-45123"])
def test_text_that_is_not_a_serial_is_still_unreadable(value, codebook, tmp_path):
    raw = read_survey(_csv(tmp_path / "khao_sat.csv", {7: value}))
    with pytest.raises(SurveyValidationError) as info:
        clean_survey(raw, codebook)
    (problem,) = info.value.problems
    assert (problem.dong, problem.cot, problem.gia_tri) == (7, TIME, value)
    assert problem.quy_tac == "không đọc được thời điểm (định dạng %d/%m/%Y %H:%M:%S hoặc ISO)"


# --- issue 25 (c): an old-format codebook says where a moved key went -------------------------


def test_document_indicators_in_an_old_codebook_say_where_they_moved(tmp_path):
    old = BASE + '\ndocument_indicators:\n  dti_tong: {label: "Chuyển đổi số", unit: "hạng/63"}\n'
    _path, listed = problems(tmp_path, old)
    assert len(listed) == 1, listed
    line = line_of(old, "document_indicators:")
    assert listed[0].startswith(f"dòng {line}: khóa «document_indicators» không còn thuộc codebook")
    assert "documents.indicators" in listed[0] and "resources/documents/chi_so.yaml" in listed[0]
    assert "(có:" not in listed[0]  # not the bare list of allowed keys
