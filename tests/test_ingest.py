import unicodedata

import pandas as pd
import pytest
from chinhquyenso.codebook import fold, load_codebook
from chinhquyenso.ingest import SurveyValidationError, clean_survey
from chinhquyenso.schema import clean_schema


def _header(codebook, name):
    return codebook[name].headers[0]


def test_demo_file_cleans_without_changes(clean_demo, codebook):
    clean, log = clean_demo
    assert len(clean) == 360
    assert log.empty
    clean_schema(codebook).validate(clean)
    assert list(clean["tinh"].cat.categories) == ["TPHCM", "Bình Dương", "Đồng Nai"]
    assert clean["dong_nguon"].tolist() == list(range(2, 362))


def test_levels_only_where_participating(clean_demo):
    clean, _ = clean_demo
    for i in range(1, 15):
        takes_part = clean[f"tham_gia_hd{i:02d}"]
        level = clean[f"muc_do_hd{i:02d}"]
        assert (level.notna() == takes_part).all()


def test_fold_normalises_unicode_space_and_case():
    assert fold("  Trung   BÌNH ") == fold("trung bình")
    assert fold(unicodedata.normalize("NFD", "Nữ")) == fold("Nữ")


def test_variant_spellings_are_mapped_and_logged(raw_demo, codebook):
    raw = raw_demo.head(3).copy()
    prov = _header(codebook, "tinh")
    sex = _header(codebook, "gioi_tinh")
    raw.loc[0, prov] = "TP.HCM"
    raw.loc[1, sex] = unicodedata.normalize("NFD", " nữ ")
    clean, log = clean_survey(raw, codebook, "x.csv")
    assert clean.loc[0, "tinh"] == "TPHCM"
    assert clean.loc[1, "gioi_tinh"] == "Nữ"
    assert len(log) == 2
    first = log.iloc[0]
    assert (first["dong"], first["cot"], first["gia_tri_cu"], first["gia_tri_moi"]) == (
        2,
        prov,
        "TP.HCM",
        "TP. Hồ Chí Minh",
    )
    assert set(log["ly_do"]) == {"đồng nhất cách viết"}


def test_all_problems_reported_together_with_location(raw_demo, codebook):
    raw = raw_demo.head(5).copy()
    sex, age, tenure = (_header(codebook, n) for n in ("gioi_tinh", "tuoi", "tham_nien"))
    act, level = _header(codebook, "tham_gia_hd01"), _header(codebook, "muc_do_hd01")
    raw.loc[0, sex] = "Khác"
    raw.loc[1, age] = "ba mươi"
    raw.loc[2, tenure] = "20"
    raw.loc[2, age] = "25"
    raw.loc[3, act] = "Không"  # level still filled in
    raw.loc[4, _header(codebook, "ma_phieu")] = raw.loc[0, _header(codebook, "ma_phieu")]
    with pytest.raises(SurveyValidationError) as info:
        clean_survey(raw, codebook, "khao_sat.csv")
    problems = info.value.problems
    where = {(p.dong, p.cot) for p in problems}
    assert (2, sex) in where
    assert (3, age) in where
    assert (4, tenure) in where  # tenure 20 > age 25 - 18
    assert (5, level) in where
    assert {p.dong for p in problems if p.quy_tac == "mã phiếu bị trùng"} == {2, 6}
    bad_sex = next(p for p in problems if p.cot == sex)
    assert bad_sex.gia_tri == "Khác" and bad_sex.tep == "khao_sat.csv"
    message = str(info.value)
    assert "khao_sat.csv, dòng 2" in message and "«Khác»" in message


def test_missing_and_unknown_columns(raw_demo, codebook):
    raw = raw_demo.head(2).drop(columns=[_header(codebook, "tuoi")]).assign(**{"Ghi chú": ["", ""]})
    with pytest.raises(SurveyValidationError) as info:
        clean_survey(raw, codebook, "x.csv")
    assert any("thiếu cột bắt buộc" in p.quy_tac and p.cot == "Tuổi" for p in info.value.problems)


def test_unknown_column_is_logged_not_silently_dropped(raw_demo, codebook):
    raw = raw_demo.head(2).assign(**{"Ghi chú": ["", ""]})
    _, log = clean_survey(raw, codebook, "x.csv")
    assert log["cot"].tolist() == ["Ghi chú"]


def test_renamed_header_accepted_through_codebook(raw_demo, codebook):
    raw = raw_demo.head(2).rename(columns={"Tuổi": "Tuổi (năm)"})
    clean, _ = clean_survey(raw, codebook, "x.csv")
    assert clean["tuoi"].notna().all()


def test_codebook_with_unknown_scale_is_refused(tmp_path):
    path = tmp_path / "cb.yaml"
    path.write_text("variables:\n  - {name: a, headers: [A], scale: nope}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="thang đo 'nope'"):
        load_codebook(path)


def test_empty_required_answer_is_an_error(raw_demo, codebook):
    raw = raw_demo.head(2).copy()
    raw.loc[1, _header(codebook, "da_tap_huan")] = " "
    with pytest.raises(SurveyValidationError) as info:
        clean_survey(raw, codebook, "x.csv")
    assert [(p.dong, p.quy_tac) for p in info.value.problems] == [(3, "không được để trống")]


def test_multiselect_unknown_option(raw_demo, codebook):
    raw = raw_demo.head(1).copy()
    col = _header(codebook, "rao_can")
    raw.loc[0, col] = "Mạng chậm;Áp lực công việc của công chức, viên chức cao"
    with pytest.raises(SurveyValidationError) as info:
        clean_survey(raw, codebook, "x.csv")
    (problem,) = info.value.problems
    assert problem.gia_tri == "Mạng chậm" and problem.cot == col


def test_clean_types(clean_demo):
    clean, _ = clean_demo
    assert str(clean["tuoi"].dtype) == "Int16"
    assert str(clean["muc_do_hd01"].dtype) == "Int8"
    assert str(clean["tham_gia_hd01"].dtype) == "boolean"
    assert clean["rao_can_rc01"].dtype == bool
    assert pd.api.types.is_datetime64_any_dtype(clean["thoi_diem_nop"])
