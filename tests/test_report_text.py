"""The report-text lint (report.lint) on small hand-written HTML: each rule passes legitimate
Vietnamese text and catches what it is for."""

import pytest

from chinhquyenso.report import lint
from chinhquyenso.report.vn_text import quote

SOURCE = '<p class="source">Nguồn: Dữ liệu minh họa, khảo sát năm 2023.</p>'


def _table(table_id: str, *rows: tuple[str, ...]) -> str:
    """A table as macros.html.j2 renders it."""
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return (
        f'<figure class="table" id="bang-{table_id}"><figcaption>Bảng 1. Bảng thử</figcaption>'
        f"<table><thead><tr><th>Nhóm</th><th>n</th><th>%</th></tr></thead><tbody>{body}</tbody></table>"
        f"{SOURCE}</figure>"
    )


def _report(body: str, appendix: str = "") -> str:
    return (
        '<!DOCTYPE html><html lang="vi"><head><title>Báo cáo</title></head><body>'
        '<nav class="toc"><ul><li><a href="#ket_qua">1. Kết quả</a></li></ul></nav>'
        f'<h2 id="ket_qua">1. Kết quả</h2>{body}'
        f'<h2 id="tai_lap" class="appendix">Phụ lục F. Thông tin tái lập</h2>{appendix}</body></html>'
    )


# Text a Vietnamese report legitimately prints, which no rule may flag.
LEGIT = _report(
    '<p class="cover-date">TP. Hồ Chí Minh, ngày 22 tháng 11 năm 2026</p>'
    '<h3 id="muc_do">1.1. Mức độ tham gia theo thang Likert (hồi quy logit, proportional odds)</h3>'
    "<p>Mẫu gồm 360 người trả lời thuộc 3 tỉnh, thành phố, trong đó 181 nam (50,3%), 179 nữ (49,7%) "
    "(Bảng 1). Thâm niên từ 1–3 năm chiếm 25,0%; xem mục 4.1 và Phụ lục D. Bị bác bỏ ở 8/14 hoạt động, "
    "trong đó 3 hoạt động có ô thưa. Cỡ mẫu: 5.040 lượt của 360 người; p &lt; 0,001; hệ số −0,42.</p>"
    "<p>Độ tin cậy theo KR-20 là 0,86; Cronbach's α bằng 0,70; kiểm định Kruskal–Wallis và Spearman, "
    "p hiệu chỉnh Benjamini–Hochberg. Đây là vấn đề nan giải của ThS. Nguyễn Văn A. tại TP. Hồ Chí Minh.</p>"
    "<p>Năm 2023, trong đó quý I/2024 có 12 hoạt động. Văn bản số 942/QĐ-TTg ngày 15/6/2022.</p>"
    + _table("gioi_tinh", ("Nam", "181", "50,3"), ("Nữ", "179", "49,7"))
    + _table("cap", ("Phường/xã", "193", "53,6"))
    + _table("tham_nien", ("1–3 năm", "90", "25,0")),
    appendix="<p>Mã nguồn ở commit <code>d116eb4</code>, Python 3.11.7; "
    "tệp <code>resources/codebook.yaml</code>, statsmodels 0.15.0; README, mục «Reproducing a result».</p>",
)


def test_legitimate_vietnamese_passes_every_rule():
    assert lint.lint_html(LEGIT) == []


def test_sentences_split_on_full_stops_but_not_abbreviations():
    text = "Tại TP. Hồ Chí Minh có 120 người. Xem Phụ lục D. 14 mô hình có cảnh báo! Hết"
    assert lint.sentences(text) == [
        "Tại TP. Hồ Chí Minh có 120 người.",
        "Xem Phụ lục D. 14 mô hình có cảnh báo!",
        "Hết",
    ]


# --- rule 1 -----------------------------------------------------------------------------------

SAID = "Mức chênh rất nhỏ, không có ý nghĩa thống kê ở mức 5%."


def test_a_sentence_said_twice_passes_and_three_times_fails():
    assert lint.repeated_sentences(_report(f"<p>{SAID} Một.</p><p>Hai câu.   {SAID}</p>")) == []
    problems = lint.repeated_sentences(_report(f"<p>{SAID}</p><p>{SAID}</p><ul><li>{SAID}</li></ul>"))
    assert len(problems) == 1 and "3 lần" in problems[0] and SAID in problems[0]


def test_captions_source_notes_and_cells_may_repeat():
    tables = "".join(_table(f"b{i}", ("Nam", "181", "50,3")) for i in range(4))
    assert lint.repeated_sentences(_report(tables)) == []
    assert lint.repeated_sentences(_report(SOURCE * 3)) == []  # a source under an unnumbered table


# --- rule 2 -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "<p>Chi tiết trong results/models/kiem_dinh.csv.</p>",
        "<p>Các cách viết khác có trong tệp codebook.yaml của dự án.</p>",
        "<p>Xem README của dự án.</p>",
        "<p>Dữ liệu đọc từ /home/an/khao_sat.xlsx hôm qua.</p>",
        "<p>Biến gioi_tinh được mã hóa lại.</p>",
        "<p>Tệp <code>khao_sat</code> là dữ liệu minh họa.</p>",
        '<h3 id="x">1.1. Results by group</h3>',
        '<figure class="table" id="bang-x"><figcaption>Bảng 2. Survey sample</figcaption></figure>',
    ],
)
def test_paths_files_code_and_english_headings_fail_outside_the_appendix(body):
    assert lint.leaked_names(_report(body)), body
    assert lint.leaked_names(_report("", appendix=body)) == []  # "Thông tin tái lập" may


def test_accepted_terms_and_acronyms_in_headings_pass():
    body = '<h3 id="x">1.1. Hồi quy logit và OLS, GLM; kiểm định Brant, KR-20, Cramér\'s V (DTI, PDF/A)</h3>'
    assert lint.leaked_names(_report(body)) == []
    assert lint.english_words("Phụ lục E. Survey codebook") == ["Survey"]  # "codebook" is accepted
    assert lint.english_words("Định danh điện tử (VNeID) tại TPHCM, UBND cấp xã") == []


def test_only_files_the_pdf_attaches_may_be_named():
    body = "<p>Tệp <code>ho_so_mau.csv</code> và theo_nhom.csv được đính kèm.</p>"
    assert lint.leaked_names(_report(body), attached={"ho_so_mau.csv", "theo_nhom.csv"}) == []
    problems = lint.leaked_names(_report(body), attached={"ho_so_mau.csv"})
    assert len(problems) == 1 and "theo_nhom.csv" in problems[0]


def test_an_english_abstract_is_not_a_leak():
    body = '<h2 class="abstract-title">Abstract</h2><p lang="en">Young officials in digital government.</p>'
    assert lint.leaked_names(_report(body)) == []


# --- rule 3 -----------------------------------------------------------------------------------


def _quoted(number: str, table_id: str = "gioi_tinh") -> str:
    return _report(
        f"<p>Có {quote(number, table_id)} người trả lời là nam.</p>"
        + _table(
            "gioi_tinh", ("Nam", "181", "50,3"), ("Hệ số", "−0,42", "&lt; 0,001"), ("Tổng", "5.040", "100,0")
        )
    )


@pytest.mark.parametrize("number", ["181", "50,3%", "181/5.040", "−0,42", "< 0,001", "100"])
def test_a_quoted_number_found_in_its_table_passes(number):
    assert lint.quoted_numbers(_quoted(number)) == []


@pytest.mark.parametrize("number", ["182", "50,4%", "0,42", "0,001", "5.041", "không"])
def test_a_quoted_number_not_in_its_table_fails(number):
    problems = lint.quoted_numbers(_quoted(number))
    assert len(problems) == 1 and "gioi_tinh" in problems[0] and "là nam" in problems[0]


def test_a_number_quoted_from_a_missing_table_fails():
    problems = lint.quoted_numbers(_quoted("181", "khong_co"))
    assert len(problems) == 1 and "khong_co" in problems[0]


def test_number_tokens_read_vietnamese_numbers():
    from decimal import Decimal

    assert lint.number_tokens("p < 0,001; −1,5; 3.103.499; 8/14; KR-20") == [
        ("<", Decimal("0.001")),
        ("", Decimal("-1.5")),
        ("", Decimal("3103499")),
        ("", Decimal("8")),
        ("", Decimal("14")),
        ("", Decimal("20")),
    ]


# --- rule 4 -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "Bị bác bỏ ở 8/14 hoạt động, trong đó 14 hoạt động có ô thưa.",
        "Có 120 người trả lời, trong đó 121 nam.",
        "Có 120 người trả lời, trong đó 120,5% là nam.",
    ],
)
def test_a_part_larger_than_its_whole_fails(sentence):
    problems = lint.part_larger_than_whole(_report(f"<p>{sentence}</p>"))
    assert len(problems) == 1 and "trong đó" in problems[0]


@pytest.mark.parametrize(
    "sentence",
    [
        "Bị bác bỏ ở 8/14 hoạt động, trong đó 3 hoạt động có ô thưa.",
        "Mẫu gồm 360 người trả lời thuộc 3 tỉnh, thành phố, trong đó 181 nam (50,3%).",
        "Có 120 người trả lời, trong đó 42,5% là nam.",
        "Năm 2023 có nhiều hoạt động, trong đó 14 hoạt động mới.",
    ],
)
def test_a_part_within_its_whole_passes(sentence):
    assert lint.part_larger_than_whole(_report(f"<p>{sentence}</p>")) == []


# --- rule 5 -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "OR = 0.84",
        "tỷ lệ 45.2%",
        "p = 0,00012",
        "p = 1e-05",
        "giá trị nan",
        "NaN",
        "None",
        "trung bình 3.14159",
    ],
)
def test_raw_numbers_fail_in_the_body(text):
    assert lint.raw_numbers(_report(f"<p>Kết quả: {text}.</p>"))
    assert lint.raw_numbers(_report(_table("x", ("Nhóm", text)))), "cells too"
    assert lint.raw_numbers(_report("", appendix=f"<p>Phiên bản: {text}.</p>")) == []


@pytest.mark.parametrize(
    "text",
    [
        "OR = 0,84",
        "5.040 lượt",
        "mục 4.1",
        "Vị trí: mục 1.2; mục 1.1.",
        "vấn đề nan giải",
        "1.352/1.886 thủ tục",
    ],
)
def test_vietnamese_numbers_pass(text):
    assert lint.raw_numbers(_report(f'<h3 id="y">4.1. Mức độ</h3><p>Kết quả: {text}.</p>')) == []


def test_lint_report_names_the_file(tmp_path):
    path = tmp_path / "bao_cao.html"
    path.write_text(_report("<p>OR = 0.84 ở nhóm nữ.</p>"), encoding="utf-8")
    problems = lint.lint_report(path)
    assert len(problems) == 1 and problems[0].startswith("bao_cao.html: ")
