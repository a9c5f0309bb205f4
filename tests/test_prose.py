"""The report's generated sentences outside the models part (issue 22): 0, 1 and many said
properly, ranges with their units, a yes/no question's bare yes, the printed labels of codebook
values, and the two-wave conclusion's sentences."""

import pandas as pd
import yaml

from chinhquyenso.codebook import load_codebook
from chinhquyenso.report.context import reproduction_sentence
from chinhquyenso.report.documents_context import checking_sentence
from chinhquyenso.report.survey_text import labelled, place, ranges_sentence, yes_sentence
from chinhquyenso.report.waves_context import conclusion
from conftest import CODEBOOK, ROOT


def _province_label():
    """The value of the province variable that has a ``label:`` in the codebook, and the label."""
    doc = yaml.safe_load(CODEBOOK.read_text(encoding="utf-8"))
    var = next(v for v in doc["variables"] if v["name"] == doc["roles"]["province"])
    cat = next(c for c in var["categories"] if c.get("label"))
    return var["name"], cat["value"], cat["label"]


def test_a_value_prints_as_its_label_and_keeps_its_value(codebook):
    var, value, label = _province_label()
    assert codebook.display(var, value) == label != value
    assert codebook.value_labels(var) == {value: label}
    assert value in codebook[var].values  # data and reproduction keys keep the value
    other = next(v for v in codebook[var].values if v != value)
    assert codebook.display(var, other) == other  # no label: the value itself


def test_the_readers_tables_carry_labels(codebook):
    var, value, label = _province_label()
    gender = pd.DataFrame(
        {var: [value, "Tổng cộng"], "gioi_tinh": ["Nam", "Nam"], "n": [5, 5], "co_so": [9, 9]}
    )
    out = labelled({"gender": gender}, codebook)["gender"]
    assert list(out[var]) == [label, "Tổng cộng"] and list(gender[var]) == [value, "Tổng cộng"]


def test_a_yes_no_question_is_answered_with_its_bare_yes():
    book = load_codebook(ROOT / "tests/fixtures/bang_hoi_2026_doi_ten/codebook.yaml")
    own = book["co_chung_chi"].spelling(True)  # the shared scale's spelling: "Có tham gia"
    assert book["co_chung_chi"].answer(True) == own.split(" ")[0] != own
    rows = [{"nhan": "A", "pct": "98,6", "tra_loi": "Có"}, {"nhan": "B", "pct": "87,2", "tra_loi": "Có"}]
    text = yes_sentence([{"kind": "indicators", "rows": rows}])
    assert text == "Tỷ lệ người trả lời «Có» là 98,6% với câu hỏi «A» và 87,2% với câu hỏi «B»."


def test_a_yes_no_question_whose_share_is_hidden_is_named_not_dropped():
    rows = [{"nhan": "A", "pct": "", "tra_loi": "Có"}, {"nhan": "B", "pct": "85,0", "tra_loi": "Có"}]
    text = yes_sentence([{"kind": "indicators", "rows": rows}])
    assert text.startswith("Tỷ lệ người trả lời «Có» là 85,0% với câu hỏi «B».")
    assert "câu hỏi «A» được ẩn" in text and "%" not in text.split("«A»")[1]
    only_hidden = yes_sentence([{"kind": "indicators", "rows": rows[:1]}])
    assert only_hidden.startswith("Tỷ lệ của câu hỏi «A» được ẩn")


def test_ranges_have_their_units_and_places_their_number(codebook):
    age, tenure = codebook.role("age"), codebook.role("tenure")
    prof = {f"{age}_min": 21, f"{age}_max": 39, f"{tenure}_min": 1, f"{tenure}_max": 16}
    text = ranges_sentence(prof, codebook)
    assert "từ 21 đến 39 tuổi" in text and "từ 1 đến 16 năm" in text and "39 năm" not in text
    assert place(["Đồng Nai"], 1) == "tại Đồng Nai"
    assert place(["A", "B", "C"], 3) == "thuộc 3 tỉnh, thành phố"


def test_counts_of_none_some_and_all():
    assert "chưa có số liệu nào được kiểm chứng" in checking_sentence(55, 0)
    assert " 0 " not in checking_sentence(55, 0)
    assert "cả 55 số liệu đã được kiểm chứng" in checking_sentence(55, 55)
    assert "3 số liệu đã được" in checking_sentence(55, 3) and "52 số liệu còn lại" in checking_sentence(
        55, 3
    )
    assert reproduction_sentence(10, 10, 0, 0) == "Cả 10 số liệu đều khớp."
    text = reproduction_sentence(184, 178, 6, 0)
    assert "178 số liệu khớp" in text and "không có số liệu nào khác" in text and " 0 " not in text


def test_the_waves_conclusion_names_the_largest_significant_changes():
    rows = [
        {
            "nhan": "A",
            "truoc": "69,2",
            "sau": "55,9",
            "chenh": "−13,3",
            "co_y_nghia": True,
            "gia_tri_chenh": -13.3,
        },
        {
            "nhan": "B",
            "truoc": "76,4",
            "sau": "67,7",
            "chenh": "−8,7",
            "co_y_nghia": False,
            "gia_tri_chenh": -8.7,
        },
    ]
    out = [str(s) for s in conclusion(rows, "2023", "2026", "không thay đổi")]
    assert out[0] == (
        "So với đợt 2023, tỷ lệ trực tiếp tham gia ở đợt 2026 giảm có ý nghĩa thống kê ở 1 trong 2 "
        "hoạt động, không hoạt động nào tăng có ý nghĩa."
    )
    assert "Hoạt động giảm có ý nghĩa là «A»" in out[1] and "xuống" in out[1] and "B" not in out[1]
    assert 'data-bang="tham_gia">55,9<' in out[1]  # numbers marked with the table they come from
    assert len(out) == 3
