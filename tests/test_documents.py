"""Document extracts: provenance (pass, quote missing, value mismatch, text absent, PDF),
conflicts, candidates, and the DTI table of the default data."""

import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

from chinhquyenso.document_candidates import all_candidates
from chinhquyenso.document_text import read_source_text
from chinhquyenso.documents import (
    UNVERIFIED,
    VERIFIED,
    ProvenanceError,
    check_provenance,
    dti_table,
    load_extracts,
    load_indicators,
    load_sources,
    resolve,
)
from conftest import PUBLISHED, ROOT

FIXTURE = Path(__file__).parent / "fixtures/documents/bao_cao_mau.txt"


@pytest.fixture(scope="module")
def indicators():
    return load_indicators(ROOT / "resources/documents/chi_so.yaml")


def _project(tmp_path, extracts, file="van_ban/bao_cao_mau.txt", copy=True):
    """A tiny project: one source (the fixture text), the given extracts."""
    if copy and file:
        (tmp_path / file).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(FIXTURE, tmp_path / file)
    sources = {
        "sources": [
            {
                "id": "mau",
                "title": "Báo cáo mẫu",
                "author": "Nhóm phát triển",
                "year": 2025,
                "type": "văn bản kiểm thử",
                "citation": "Báo cáo mẫu (2025).",
                "file": file,
            }
        ]
    }
    (tmp_path / "nguon.yaml").write_text(yaml.safe_dump(sources, allow_unicode=True), encoding="utf-8")
    (tmp_path / "trich_xuat.yaml").write_text(
        yaml.safe_dump({"extracts": extracts}, allow_unicode=True), encoding="utf-8"
    )
    return tmp_path


def _check(project, indicators):
    sources = load_sources(project / "nguon.yaml")
    extracts = load_extracts(project / "trich_xuat.yaml", sources, indicators)
    return check_provenance(extracts, sources, project)


def _extract(**kw):
    base = {
        "id": "e1",
        "province": "Mẫu",
        "period": "2025",
        "indicator": "tram_bts",
        "value": 1234,
        "source": "mau",
        "locator": "mục 1",
        "quote": "có 1.234 trạm thu phát sóng di động",
    }
    return {**base, **kw}


def test_quote_across_a_line_break_is_found_and_verified(tmp_path, indicators):
    checked = _check(_project(tmp_path, [_extract()]), indicators)
    row = checked.iloc[0]
    assert row["trang_thai"] == VERIFIED and row["dong"] == 4 and row["gia_tri_doc_lai"] == "1234"


@pytest.mark.parametrize(
    ("extract", "read_back"),
    [
        (
            _extract(
                id="r", indicator="tthc_truc_tuyen", value=1050, of=1500, quote="cung cấp 1.050/1.500 thủ tục"
            ),
            "1050/1500",
        ),
        (
            _extract(id="p", indicator="ty_le_ho_so_truc_tuyen", value=71.25, quote="trực tuyến đạt 71,25%"),
            "71.25",
        ),
        (_extract(id="k", indicator="dti_tong_the", value=3, quote="đứng thứ ba trong vùng"), "3"),
        (
            _extract(
                id="q",
                indicator="to_cong_nghe_so_cong_dong",
                value=2000,
                qualifier="hơn",
                quote="hơn 2.000 tổ công nghệ số cộng đồng",
            ),
            "2000",
        ),
        (
            _extract(
                id="m",
                indicator="thanh_vien_to_cong_nghe",
                value=12500,
                qualifier="gần",
                quote="gần 12,5 nghìn thành viên",
            ),
            "12500",
        ),
    ],
)
def test_kinds_of_numbers_read_back(tmp_path, indicators, extract, read_back):
    row = _check(_project(tmp_path, [extract]), indicators).iloc[0]
    assert row["trang_thai"] == VERIFIED and row["gia_tri_doc_lai"] == read_back


def test_missing_quote_stops_with_document(tmp_path, indicators):
    project = _project(tmp_path, [_extract(quote="có 1.243 trạm thu phát sóng di động")])
    with pytest.raises(ProvenanceError) as info:
        _check(project, indicators)
    (failure,) = info.value.failures
    assert "trích xuất e1: không tìm thấy câu trích" in failure and "bao_cao_mau.txt" in failure


def test_value_mismatch_stops_with_line_and_both_values(tmp_path, indicators):
    project = _project(
        tmp_path,
        [
            _extract(value=1243),
            _extract(id="e2", value=99.5, indicator="ty_le_eform", quote="phủ sóng 99,5%", qualifier="gần"),
        ],
    )
    with pytest.raises(ProvenanceError) as info:
        _check(project, indicators)
    first, second = info.value.failures
    assert "bao_cao_mau.txt, dòng 4, trích xuất e1: giá trị ghi 1243, câu trích cho 1234" in first
    assert "từ định lượng ghi «gần»" in second  # every failure reported, not just the first


def test_text_saved_under_another_name_is_pointed_out(tmp_path, indicators):
    from chinhquyenso.documents import misnamed_texts

    project = _project(tmp_path, [_extract()], copy=False)
    (project / "van_ban").mkdir()
    shutil.copy(FIXTURE, project / "van_ban" / "Bao cao mau (1).txt")  # the browser's name for it
    (hint,) = misnamed_texts(load_sources(project / "nguon.yaml"), project)
    assert "nguồn mau: khai báo tệp «van_ban/bao_cao_mau.txt» nhưng không có" in hint
    assert "«Bao cao mau (1).txt»" in hint


def test_absent_text_is_unverified_never_trusted(tmp_path, indicators):
    checked = _check(_project(tmp_path, [_extract(value=9999)], copy=False), indicators)
    assert checked.iloc[0]["trang_thai"] == UNVERIFIED


def test_pdf_source_is_verified_with_page(tmp_path, indicators):
    from weasyprint import HTML

    pdf = tmp_path / "van_ban/bao_cao.pdf"
    pdf.parent.mkdir(parents=True)
    html = (
        "<p>Trang một.</p><p style='break-before: page'>Tỷ lệ hồ sơ xử lý trực tuyến đạt 64,5% "
        "trong năm 2025.</p>"
    )
    HTML(string=html).write_pdf(pdf)
    project = _project(
        tmp_path,
        [_extract(indicator="ty_le_ho_so_truc_tuyen", value=64.5, quote="trực tuyến đạt 64,5%")],
        file="van_ban/bao_cao.pdf",
        copy=False,
    )
    row = _check(project, indicators).iloc[0]
    assert row["trang_thai"] == VERIFIED and row["trang"] == 2
    assert read_source_text(pdf).text.startswith("Trang một.")


def test_bad_extract_references_listed_together(tmp_path, indicators):
    project = _project(tmp_path, [_extract(source="khong_co"), _extract(id="e2", indicator="la")])
    with pytest.raises(ValueError) as info:
        _check(project, indicators)
    assert "nguồn «khong_co»" in str(info.value) and "chỉ số «la»" in str(info.value)


def _checked_rows(*rows):
    cols = ["ma", "tinh", "ky", "chi_so", "gia_tri", "mau_so", "nguon", "vi_tri", "trang_thai"]
    return pd.DataFrame([dict(zip(cols, r, strict=True)) for r in rows])


def test_conflict_listed_and_preferred_source_wins():
    checked = _checked_rows(
        ("a", "Bình Dương", "2022", "dti_tong_the", "19", "63", "web", "tiêu đề", UNVERIFIED),
        ("b", "Bình Dương", "2022", "dti_tong_the", "22", "", "bai_bao", "Bảng 2", VERIFIED),
        ("c", "TPHCM", "2022", "dti_tong_the", "2", "", "bai_bao", "Bảng 2", VERIFIED),
    )
    chosen, conflicts = resolve(checked, prefer=["bai_bao"])
    assert chosen.set_index("tinh").loc["Bình Dương", "gia_tri"] == "22"
    assert len(conflicts) == 2 and set(conflicts["nguon"]) == {"web", "bai_bao"}
    assert conflicts["cach_chon"].iloc[0] == "nguồn ưu tiên trong cấu hình"
    chosen, conflicts = resolve(checked, prefer=[])
    assert chosen.set_index("tinh").loc["Bình Dương", "gia_tri"] == "19"
    assert "chưa cấu hình" in conflicts["cach_chon"].iloc[0]


def test_candidates_list_numeric_statements_with_guess(tmp_path, indicators):
    project = _project(tmp_path, [_extract()])
    found = all_candidates(load_sources(project / "nguon.yaml"), project, indicators)
    numbers = dict(zip(found["so"], found["chi_so_doan"], strict=True))
    assert numbers["1.234"] == "tram_bts"
    assert numbers["71,25%"] == "ty_le_ho_so_truc_tuyen"
    assert numbers["12/63"] == "dti_tong_the"
    assert set(found["tai_lieu"]) == {"bao_cao_mau.txt"} and (found["dong"] > 0).all()
    assert "2025" not in numbers  # a year is not a statistic


def test_demo_extracts_give_the_articles_table_2(indicators):
    published = yaml.safe_load(PUBLISHED.read_text(encoding="utf-8"))["table_2_dti_rank_2022"]
    sources = load_sources(ROOT / "resources/documents/nguon.yaml")
    extracts = load_extracts(ROOT / "resources/documents/trich_xuat.yaml", sources, indicators)
    checked = check_provenance(extracts, sources, ROOT)
    chosen, conflicts = resolve(checked, prefer=["luyen2024"])
    table = dti_table(chosen, indicators, ["TPHCM", "Bình Dương", "Đồng Nai"], "2022")
    labels = {"dti_tong_the": "Chuyển đổi số"}
    for _, row in table.iterrows():
        expected = published[labels.get(row["chi_so"], row["nhan"])]
        assert {p: row[p] for p in expected} == expected
    # the known disagreement of the article's sources is listed, not hidden
    bd = conflicts[conflicts["tinh"] == "Bình Dương"]
    assert set(bd["gia_tri"]) == {"22", "19"}


def test_config_periods_must_be_periods_of_the_extracts(tmp_path):
    """A period no extract has would silently empty the context section: refused, with the
    periods there are."""
    from chinhquyenso.document_periods import period_problems

    extracts = tmp_path / "trich.yaml"
    extracts.write_text(
        "extracts:\n  - {id: a, period: '2022'}\n  - {id: b, period: '01/2025'}\n", encoding="utf-8"
    )
    config = {"documents": {"extracts": str(extracts), "periods": ["01/2025", "2O25"], "dti_period": "2025"}}
    found = period_problems(config, tmp_path)
    assert len(found) == 2
    assert found[0].startswith("config documents.periods: kỳ «2O25» không có")
    assert found[0].endswith("các kỳ có: 01/2025, 2022")
    assert "documents.dti_period: kỳ «2025»" in found[1] and "null để bỏ bảng xếp hạng DTI" in found[1]
    assert (
        period_problems(
            {**config, "documents": {**config["documents"], "periods": None, "dti_period": None}}, tmp_path
        )
        == []
    )
    assert period_problems({"documents": None}, tmp_path) == []


def test_readme_lists_the_periods_of_the_extracts():
    """The README's next-year steps list the valid `documents.periods` values: those of the
    project's extracts, no more, no fewer."""
    import re

    from chinhquyenso.document_periods import extract_periods

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    step = readme[readme.index("**Chọn kỳ**") :].split("\n7. ")[0]
    listed = re.findall(r'`"([^"`]+)"`', step)
    assert sorted(listed) == extract_periods(["resources/documents/trich_xuat.yaml"], ROOT)
