"""Mapping, checking and cleaning the raw export (chinhquyenso.ingest)."""

import unicodedata

import pandas as pd
import pytest

from chinhquyenso.codebook import fold, load_codebook
from chinhquyenso.ingest import SurveyValidationError, clean_survey
from chinhquyenso.ingest_answers import spelling_reason
from chinhquyenso.problems import ERROR, WARNING
from chinhquyenso.schema import clean_schema
from conftest import as_raw


def _h(codebook, name):
    return codebook[name].headers[0]


def _fail(frame, codebook, name="khao_sat.csv"):
    with pytest.raises(SurveyValidationError) as info:
        clean_survey(as_raw(frame, name), codebook)
    return info.value.problems


def test_demo_file_cleans_without_changes(clean_demo, codebook):
    clean, log = clean_demo
    assert len(clean) == 360
    assert log.empty
    clean_schema(codebook).validate(clean)
    assert list(clean["tinh"].cat.categories) == ["TPHCM", "Bình Dương", "Đồng Nai"]
    assert clean["dong_nguon"].tolist() == list(range(2, 362))


def test_ids_are_pseudonyms(clean_demo):
    clean, _ = clean_demo
    assert clean["ma_phieu"].iloc[0] == "PH-0001"
    assert not clean["ma_phieu"].str.startswith("KS2023").any()


def test_levels_only_where_participating(clean_demo):
    clean, _ = clean_demo
    for i in range(1, 15):
        takes_part = clean[f"tham_gia_hd{i:02d}"]
        level = clean[f"muc_do_hd{i:02d}"]
        assert (level.notna() == takes_part).all()


def test_fold_normalises_unicode_space_and_case():
    assert fold("  Trung   BÌNH ") == fold("trung bình")
    assert fold(unicodedata.normalize("NFD", "Nữ")) == fold("Nữ")


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (unicodedata.normalize("NFD", "Nữ"), "chuẩn hóa Unicode (NFC)"),
        (" Nữ  ", "bỏ khoảng trắng thừa"),
        ("NỮ", "chữ hoa/thường"),
        ("Nu", "cách viết khác có trong codebook"),
    ],
)
def test_spelling_reason(raw, reason):
    assert spelling_reason(raw, "Nữ") == reason


def test_variant_spellings_are_mapped_and_logged(raw_demo, codebook):
    raw = raw_demo.head(3).copy()
    prov, sex = _h(codebook, "tinh"), _h(codebook, "gioi_tinh")
    raw.loc[0, prov] = "TP.HCM"
    raw.loc[1, sex] = unicodedata.normalize("NFD", " nữ ")
    result = clean_survey(as_raw(raw), codebook)
    assert result.clean.loc[0, "tinh"] == "TPHCM"
    assert result.clean.loc[1, "gioi_tinh"] == "Nữ"
    log = result.log
    assert len(log) == 2
    first = log.iloc[0]
    assert (first["dong"], first["cot"], first["gia_tri_cu"], first["gia_tri_moi"]) == (
        2,
        prov,
        "TP.HCM",
        "TP. Hồ Chí Minh",
    )


def test_all_problems_reported_together_with_location(raw_demo, codebook):
    raw = raw_demo.head(5).copy()
    sex, age, tenure = (_h(codebook, n) for n in ("gioi_tinh", "tuoi", "tham_nien"))
    act, level = _h(codebook, "tham_gia_hd01"), _h(codebook, "muc_do_hd01")
    raw.loc[0, sex] = "Khác"
    raw.loc[1, age] = "ba mươi"
    raw.loc[2, tenure] = "20"
    raw.loc[2, age] = "25"
    raw.loc[3, act] = "Không"  # level still filled in
    raw.loc[4, _h(codebook, "ma_phieu")] = raw.loc[0, _h(codebook, "ma_phieu")]
    problems = _fail(raw, codebook)
    where = {(p.dong, p.cot, p.ma_quy_tac) for p in problems}
    assert (2, sex, "gia_tri_la") in where
    assert (3, age, "so_nguyen") in where
    assert (4, tenure, "tham_nien_tuoi") in where  # tenure 20 > age 25 - 18
    assert (5, level, "muc_do_thua") in where
    assert {p.dong for p in problems if p.ma_quy_tac == "trung_ma"} == {2, 6}
    bad_sex = next(p for p in problems if p.cot == sex)
    assert bad_sex.gia_tri == "Khác" and bad_sex.tep == "khao_sat.csv" and bad_sex.muc_do == ERROR
    assert all(p.gia_tri == "[ẩn]" for p in problems if p.ma_quy_tac == "trung_ma")


def test_missing_column_named(raw_demo, codebook):
    raw = raw_demo.head(2).drop(columns=[_h(codebook, "tuoi")])
    problems = _fail(raw, codebook)
    assert [(p.ma_quy_tac, p.cot) for p in problems] == [("thieu_cot", "Tuổi")]


def test_unknown_column_is_logged_not_silently_dropped(raw_demo, codebook):
    raw = raw_demo.head(2).assign(**{"Ghi chú": ["", ""]})
    result = clean_survey(as_raw(raw), codebook)
    assert result.log["cot"].tolist() == ["Ghi chú"]
    assert [p.ma_quy_tac for p in result.problems] == ["cot_thua"]
    assert result.problems[0].muc_do == WARNING


def test_renamed_header_accepted_through_codebook(raw_demo, codebook):
    raw = raw_demo.head(2).rename(columns={"Tuổi": "Tuổi (năm)"})
    result = clean_survey(as_raw(raw), codebook)
    assert result.clean["tuoi"].notna().all()
    assert "tiêu đề cột khớp codebook qua cách viết khác" in set(result.log["ly_do"])


def test_codebook_with_unknown_scale_is_refused(tmp_path):
    path = tmp_path / "cb.yaml"
    path.write_text("variables:\n  - {name: a, headers: [A], scale: nope}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="thang đo 'nope'"):
        load_codebook(path)


def test_codebook_with_unknown_policy_rule_is_refused(tmp_path):
    path = tmp_path / "cb.yaml"
    path.write_text(
        "variables:\n  - {name: a, headers: [A], type: integer, range: [0, 1]}\n"
        "validation:\n  khong_co: warning\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="khong_co"):
        load_codebook(path)


def test_policy_turns_an_error_into_a_logged_fix(raw_demo, codebook, tmp_path):
    source = codebook.path.read_text(encoding="utf-8")
    lenient = tmp_path / "codebook.yaml"
    lenient.write_text(
        source.replace("validation:\n", "validation:\n  gia_tri_la: warning\n"), encoding="utf-8"
    )
    book = load_codebook(lenient)
    raw = raw_demo.head(2).copy()
    raw.loc[1, _h(book, "gioi_tinh")] = "Khác"
    result = clean_survey(as_raw(raw), book)
    assert pd.isna(result.clean.loc[1, "gioi_tinh"])
    assert result.log.iloc[-1]["ly_do"] == "bỏ giá trị không có trong codebook"
    assert result.problems[0].muc_do == WARNING


def test_empty_required_answer_is_an_error(raw_demo, codebook):
    raw = raw_demo.head(2).copy()
    raw.loc[1, _h(codebook, "da_tap_huan")] = " "
    problems = _fail(raw, codebook)
    assert [(p.dong, p.ma_quy_tac) for p in problems] == [(3, "bo_trong")]


def test_multiselect_unknown_option(raw_demo, codebook):
    raw = raw_demo.head(1).copy()
    col = _h(codebook, "rao_can")
    raw.loc[0, col] = "Mạng chậm;Áp lực công việc của công chức, viên chức cao"
    (problem,) = _fail(raw, codebook)
    assert problem.gia_tri == "Mạng chậm" and problem.cot == col


def test_test_rows_and_repeated_submission_dropped_and_logged(raw_demo, codebook):
    raw = raw_demo.head(4).copy()
    id_col = _h(codebook, "ma_phieu")
    raw.loc[0, id_col] = "TEST-1"
    repeat = raw.iloc[[2]].assign(**{id_col: "KS2023-9999"})
    raw = pd.concat([raw, repeat], ignore_index=True)
    result = clean_survey(as_raw(raw), codebook)
    assert len(result.clean) == 3
    assert result.clean["dong_nguon"].tolist() == [3, 4, 5]
    reasons = dict(zip(result.log["dong"], result.log["ly_do"], strict=True))
    assert reasons == {2: "bỏ dòng thử nghiệm", 6: "bỏ phiếu nộp lặp lại"}


def test_identifiers_dropped_and_never_echoed(raw_demo, codebook):
    raw = raw_demo.head(2).copy()
    raw.insert(2, "Họ và tên", ["Nguyễn Văn Bí Mật", "=HYPERLINK(1)"])
    raw.insert(3, "Số điện thoại", ["0912345678", "0987654321"])
    result = clean_survey(as_raw(raw), codebook)
    assert "ho_ten" not in result.clean and "so_dien_thoai" not in result.clean
    text = result.log.to_csv() + "".join(str(p) for p in result.problems)
    for secret in ("Bí Mật", "0912345678", "HYPERLINK"):
        assert secret not in text
    assert set(result.log["ly_do"]) == {"bỏ cột dữ liệu cá nhân (nhận dạng trực tiếp)"}


def test_clean_types(clean_demo):
    clean, _ = clean_demo
    assert str(clean["tuoi"].dtype) == "Int16"
    assert str(clean["muc_do_hd01"].dtype) == "Int8"
    assert str(clean["tham_gia_hd01"].dtype) == "boolean"
    assert clean["rao_can_rc01"].dtype == bool
    assert pd.api.types.is_datetime64_any_dtype(clean["thoi_diem_nop"])


def test_identical_answers_far_apart_in_time_are_two_people(raw_demo, codebook):
    raw = raw_demo.head(3).copy()
    id_col, time_col = _h(codebook, "ma_phieu"), _h(codebook, "thoi_diem_nop")
    twin = raw.iloc[[1]].assign(**{id_col: "KS2023-9999", time_col: "27/10/2023 16:00:00"})
    result = clean_survey(as_raw(pd.concat([raw, twin], ignore_index=True)), codebook)
    assert len(result.clean) == 4 and result.log.empty
