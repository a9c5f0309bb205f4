"""Readers: the same survey in every accepted format gives the same clean data and checks."""

import codecs

import numpy as np
import pandas as pd
import pytest

from chinhquyenso import reproduction, tables
from chinhquyenso.ingest import clean_survey
from chinhquyenso.problems import SurveyValidationError
from chinhquyenso.readers import detect_delimiter, read_survey
from conftest import DEMO, MESSY


@pytest.fixture(scope="module")
def demo_text():
    return DEMO.read_text(encoding="utf-8")


def _write_sav(frame: pd.DataFrame, path):
    """The demo as SPSS would hold it: numeric codes with value labels, question text as labels."""
    import pyreadstat

    data, value_labels, column_labels, formats = {}, {}, [], {}
    for i, col in enumerate(frame.columns):
        name = f"v{i:02d}"
        column_labels.append(col)
        values = frame[col]
        if values.str.fullmatch(r"\d+").all():
            data[name] = values.astype(float)
            continue
        labels = sorted(v for v in values.unique() if v)
        if len(labels) <= 40 and all(len(v.encode("utf-8")) <= 120 for v in labels):  # SPSS label limit
            codes = {label: k for k, label in enumerate(labels, start=1)}
            data[name] = values.map(lambda v, c=codes: c.get(v, np.nan)).astype(float)
            value_labels[name] = {float(k): label for label, k in codes.items()}
        else:  # a long text column: width in bytes, or SPSS cuts multi-byte text short
            data[name] = values
            formats[name] = f"A{max(len(v.encode('utf-8')) for v in values)}"
    pyreadstat.write_sav(
        pd.DataFrame(data),
        str(path),
        column_labels=column_labels,
        variable_value_labels=value_labels,
        variable_format=formats,
    )


def test_delimiter_detection():
    assert detect_delimiter('a;"b;c";d') == ";"
    assert detect_delimiter("a\tb\tc") == "\t"
    assert detect_delimiter('"x, y",z') == ","


@pytest.mark.parametrize(
    ("encoding", "delimiter", "label"),
    [
        ("utf-8", ",", "CSV, UTF-8, dấu phẩy"),
        ("utf-8-sig", ";", "CSV, UTF-8 có BOM, dấu chấm phẩy"),
        ("utf-16", "\t", "CSV, UTF-16, tab"),
    ],
)
def test_text_variants_read_identically(tmp_path, codebook, clean_demo, encoding, delimiter, label):
    frame = read_survey(DEMO).frame
    path = tmp_path / "export.csv"
    frame.to_csv(path, sep=delimiter, index=False, encoding=encoding, lineterminator="\r\n")
    raw = read_survey(path)
    assert raw.description == label
    pd.testing.assert_frame_equal(raw.frame, frame)
    clean = clean_survey(raw, codebook).clean
    pd.testing.assert_frame_equal(clean, clean_demo[0])


def test_delimiter_from_config_overrides_detection(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a;b,c\n1;2,3\n", encoding="utf-8")
    assert list(read_survey(path, delimiter=";").frame.columns) == ["a", "b,c"]


def test_quoted_newline_keeps_file_row_numbers(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text('a,b\n1,"two\nlines"\n3,4\n', encoding="utf-8")
    raw = read_survey(path)
    assert raw.rows.tolist() == [2, 4]
    assert raw.frame.iloc[0, 1] == "two\nlines"


def test_messy_xlsx_clean_csv_and_sav_give_identical_data_and_checks(tmp_path, codebook, published):
    sav = tmp_path / "khao_sat.sav"
    _write_sav(read_survey(DEMO).frame, sav)
    results = {}
    for path in (MESSY, DEMO, sav):
        clean = clean_survey(read_survey(path), codebook).clean.drop(columns="dong_nguon")
        check = reproduction.compare(published, tables.compute_all(clean, codebook), codebook.roles)
        results[path.suffix] = (clean, check)
    base_clean, base_check = results[".csv"]
    for suffix in (".xlsx", ".sav"):
        clean, check = results[suffix]
        pd.testing.assert_frame_equal(clean, base_clean, obj=suffix)
        pd.testing.assert_frame_equal(check, base_check, obj=suffix)
    assert reproduction.summary(base_check)[reproduction.LECH] == 0


def test_messy_xlsx_fixes_are_logged(codebook):
    result = clean_survey(read_survey(MESSY), codebook)
    reasons = set(result.log["ly_do"])
    assert {
        "bỏ dòng thử nghiệm",
        "bỏ phiếu nộp lặp lại",
        "chuẩn hóa Unicode (NFC)",
        "chữ hoa/thường",
        "bỏ cột dữ liệu cá nhân (nhận dạng trực tiếp)",
    } <= reasons
    assert len(result.clean) == 360


def test_excel_named_sheet_and_missing_sheet(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Khác"
    ws = book.create_sheet("Dữ liệu")
    ws.append(["a", "b"])
    ws.append([1, "x"])
    path = tmp_path / "x.xlsx"
    book.save(path)
    raw = read_survey(path, sheet="Dữ liệu")
    assert raw.frame.to_dict("records") == [{"a": "1", "b": "x"}]
    with pytest.raises(SurveyValidationError, match="không có trang tính «Thiếu»"):
        read_survey(path, sheet="Thiếu")


def test_legacy_vietnamese_encoding_refused(tmp_path):
    # "Giới tính" and "Nữ" in TCVN3 (ABC): Vietnamese letters as single high bytes
    path = tmp_path / "tcvn3.csv"
    path.write_bytes(b"Gi\xedi t\xddnh,Tu\xe9i\nN\xf7,25\n")
    with pytest.raises(SurveyValidationError) as info:
        read_survey(path)
    (problem,) = info.value.problems
    assert "TCVN3" in problem.quy_tac and "Unicode" in problem.quy_tac and problem.dong == 1


def test_binary_file_refused_as_undecodable(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(SurveyValidationError, match="không giải mã được"):
        read_survey(path)


def test_utf16_without_bom_is_not_mistaken_for_text(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes("Giới tính\nNữ\n".encode("utf-16-le"))
    with pytest.raises(SurveyValidationError, match="không giải mã được"):
        read_survey(path)


def test_bom_constants_are_what_we_think():
    assert codecs.BOM_UTF8 == b"\xef\xbb\xbf"


def test_messy_export_generator_reproduces_committed_cells(tmp_path):
    import subprocess
    import sys

    from conftest import ROOT

    out = tmp_path / "messy.xlsx"
    subprocess.run(
        [sys.executable, str(ROOT / "scripts/make_messy_export.py"), "--out", str(out)],
        check=True,
        capture_output=True,
    )
    again, committed = read_survey(out), read_survey(MESSY)
    pd.testing.assert_frame_equal(again.frame, committed.frame)
    assert again.rows.tolist() == committed.rows.tolist()
