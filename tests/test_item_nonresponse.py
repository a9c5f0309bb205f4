"""Item non-response as data (issue 25): declared in the codebook, read from SPSS user-missing
codes and from «Không biết»/«Từ chối trả lời» answers, kept apart from valid answers in the clean
table, the cleaning log, the tables, the report and the models."""

import pandas as pd
import pytest
import yaml

from chinhquyenso import nonresponse, tables
from chinhquyenso.codebook import load_codebook
from chinhquyenso.ingest import clean_survey
from chinhquyenso.problems import SurveyValidationError
from chinhquyenso.readers import read_survey
from conftest import CODEBOOK, DEMO

CLASSES = {"khong_biet": {"label": "Không biết"}, "tu_choi": {"label": "Từ chối trả lời"}}


def _doc() -> dict:
    return yaml.safe_load(CODEBOOK.read_text(encoding="utf-8"))


def _write(doc: dict, path):
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _variable(doc: dict, name: str) -> dict:
    return next(v for v in doc["variables"] if v["name"] == name)


def _book(tmp_path, *, scale=None, own=None, classes=CLASSES):
    """The demo codebook with missing classes, the 5-level scale's ``missing`` and variables' own."""
    doc = _doc()
    if classes is not None:
        doc["missing_classes"] = classes
    level_scale = next(n for n, s in doc["scales"].items() if s["type"] == "ordinal")
    if scale is not None:
        doc["scales"][level_scale]["missing"] = scale
    for name, missing in (own or {}).items():
        _variable(doc, name)["missing"] = missing
    return _write(doc, tmp_path / "codebook.yaml")


def _roles():
    doc = _doc()
    ratings = next(b for b in doc["blocks"] if b["kind"] == "ratings")
    rated = next(
        v["name"] for v in doc["variables"] if v.get("item") in doc["items"][ratings["items"]]["entries"]
    )
    return (
        doc["roles"]["age"],
        rated,
        _variable(doc, rated)["headers"][0],
        _variable(doc, doc["roles"]["age"]),
    )


# --- (1) SPSS user-missing codes -------------------------------------------------------------------


def _write_sav(frame: pd.DataFrame, path, coded: dict[str, dict[float, str]], missing: dict[str, list]):
    """``frame`` as SPSS holds it: the ``coded`` headers as numbers (value labels given), the rest
    as text; ``missing``: header -> user-missing values (pyreadstat ``missing_ranges``)."""
    import pyreadstat

    data, labels, formats, names = {}, {}, {}, {}
    for i, col in enumerate(frame.columns):
        name = f"v{i:02d}"
        names[col] = name
        if col in coded:
            words = {label: code for code, label in coded[col].items()}
            data[name] = frame[col].map(lambda v, w=words: w.get(v, v)).astype(float)
            labels[name] = coded[col]
        else:
            data[name] = frame[col]
            formats[name] = f"A{max(1, *(len(v.encode('utf-8')) for v in frame[col]))}"
    pyreadstat.write_sav(
        pd.DataFrame(data),
        str(path),
        column_labels=list(frame.columns),
        variable_value_labels={name: v for name, v in labels.items() if v},
        variable_format=formats,
        missing_ranges={names[c]: values for c, values in missing.items()},
    )


@pytest.fixture(scope="module")
def sav_export(tmp_path_factory, codebook):
    """The demo's first 80 rows, a rating and the age with SPSS user-missing codes 98/99: the
    rating's 98 labelled «Không biết», its 99 and the age's 99 without a label."""
    age, rated, rated_header, age_spec = _roles()
    frame = read_survey(DEMO).frame.head(80).copy()
    age_header = age_spec["headers"][0]
    scale = codebook.scales[codebook[rated].scale]
    frame.loc[[3, 10], rated_header] = "Không biết"
    frame.loc[[5], rated_header] = "99"
    frame.loc[[7, 12, 20], age_header] = "99"
    coded = {rated_header: {float(c): label for c, label in scale.labels.items()} | {98.0: "Không biết"}}
    coded[age_header] = {}
    path = tmp_path_factory.mktemp("sav") / "khao_sat.sav"
    _write_sav(frame, path, coded, {rated_header: [98, 99], age_header: [99]})
    return path, rated, rated_header, age, age_header


def test_spss_user_missing_codes_are_read_as_such(sav_export):
    path, _, rated_header, _, age_header = sav_export
    raw = read_survey(path)
    assert raw.user_missing[rated_header] == {"Không biết": "98", "99": "99"}
    assert raw.user_missing[age_header] == {"99": "99"}
    assert raw.frame[rated_header].iloc[3] == "Không biết"  # a labelled code shows as its label
    assert raw.frame[age_header].iloc[7] == "99"


def test_spss_user_missing_cleaned_into_classes_and_logged(sav_export, tmp_path):
    path, rated, rated_header, age, age_header = sav_export
    book = load_codebook(_book(tmp_path, scale={"tu_choi": ["99"]}, own={age: {"tu_choi": ["99"]}}))
    result = clean_survey(read_survey(path), book)
    clean, log = result.clean, result.log
    cls = clean[nonresponse.companion(rated)]
    assert cls.iloc[[3, 10]].tolist() == ["khong_biet", "khong_biet"]  # by its label: the class label
    assert cls.iloc[5] == "tu_choi"
    assert cls.notna().sum() == 3 and clean[rated].iloc[[3, 5, 10]].isna().all()
    assert clean[nonresponse.companion(age)].iloc[[7, 12, 20]].tolist() == ["tu_choi"] * 3
    assert clean[age].iloc[[7, 12, 20]].isna().all() and clean[age].notna().sum() == 77
    entries = log[log["bien"].isin([rated, age]) & log["ly_do"].str.startswith("câu trả lời thiếu")]
    assert sorted(entries["dong"].tolist()) == [4, 6, 8, 11, 13, 21]  # SPSS cases from 1
    assert set(entries.loc[entries["bien"] == age, "gia_tri_cu"]) == {"99"}
    assert not [p for p in result.problems if p.ma_quy_tac == "bo_trong"]


def test_spss_user_missing_of_no_class_is_a_precise_error(sav_export, tmp_path):
    path, _, rated_header, age, age_header = sav_export
    book = load_codebook(_book(tmp_path, scale={"tu_choi": ["99"]}))  # the age's 99: no class
    with pytest.raises(SurveyValidationError) as info:
        clean_survey(read_survey(path), book)
    found = [p for p in info.value.problems if p.ma_quy_tac == nonresponse.RULE]
    assert [(p.tep, p.dong, p.cot, p.gia_tri) for p in found] == [
        ("khao_sat.sav", r, age_header, "99") for r in (8, 13, 21)
    ]
    assert "không thuộc lớp câu trả lời thiếu nào của biến" in found[0].quy_tac
    assert f"«{age}»" in found[0].quy_tac and "khong_biet (Không biết)" in found[0].quy_tac


# --- (3) bad declarations ---------------------------------------------------------------------------


def _refused(tmp_path, **how) -> str:
    with pytest.raises(ValueError) as info:
        load_codebook(_book(tmp_path, **how))
    return str(info.value)


def test_an_unknown_class_is_refused(tmp_path):
    message = _refused(tmp_path, scale={"khong_ro": ["Không rõ"]})
    assert "lớp «khong_ro» không có trong missing_classes (có: khong_biet, tu_choi)" in message


def test_classes_used_without_missing_classes_are_refused(tmp_path):
    message = _refused(tmp_path, scale={"khong_biet": ["Không biết"]}, classes=None)
    assert "lớp «khong_biet» không có trong missing_classes (có: chưa khai báo missing_classes)" in message


def test_a_spelling_that_is_a_valid_answer_is_refused(tmp_path, codebook):
    age, rated, *_ = _roles()
    answer = codebook.scales[codebook[rated].scale].labels[1]
    low = codebook[age].range[0]
    message = _refused(tmp_path, scale={"khong_biet": [answer.upper()]}, own={age: {"tu_choi": [str(low)]}})
    assert f"«{answer.upper()}» cũng là một câu trả lời hợp lệ của câu hỏi" in message
    assert f"«{low}» nằm trong khoảng trả lời hợp lệ" in message


def test_one_spelling_in_two_classes_and_bad_shapes_are_listed_together(tmp_path):
    message = _refused(
        tmp_path,
        scale={"khong_biet": ["KB"], "tu_choi": ["kb"]},
        classes={"khong_biet": {"label": "Không biết"}, "tu_choi": {}, "tu choi": {"label": "x"}},
    )
    assert "«kb» có ở cả hai lớp «khong_biet» và «tu_choi»" in message
    assert "missing_classes.tu_choi: cần 'label'" in message
    assert "mã lớp «tu choi» phải là một tên không dấu" in message


def test_missing_on_a_type_without_item_nonresponse_is_refused(tmp_path, codebook):
    stamp = codebook.role("submitted_at")
    message = _refused(tmp_path, own={stamp: {"khong_biet": ["?"]}})
    assert f"biến «{stamp}»: loại «datetime» không có câu trả lời thiếu" in message


def test_declared_classes_change_nothing_without_item_nonresponse(tmp_path, clean_demo):
    book = load_codebook(_book(tmp_path, scale={"khong_biet": ["Không biết"], "tu_choi": ["99"]}))
    result = clean_survey(read_survey(DEMO), book)
    pd.testing.assert_frame_equal(result.clean, clean_demo[0])
    pd.testing.assert_frame_equal(result.log, clean_demo[1])
    assert tables.compute_all(result.clean, book).keys() == tables.compute_all(clean_demo[0], book).keys()
