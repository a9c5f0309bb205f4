"""Issue 27 in the whole workflow: (a) a synthetic survey drawn with strata, PSUs and unequal
weights (scripts/make_synthetic_data.py --design), its codebook declaring them; (b) the demo
post-stratified to the illustrative totals (config survey.weighting). Each report states the
design and prints the weighted shares with the unweighted n; N, the counts and the check
against the published article stay unweighted. Without a design nothing of it runs (the demo
byte-identical: checked by hand against main, see the branch's report)."""

import json

import make_synthetic_data
import openpyxl
import pandas as pd
import pytest
from test_workflow import _copy_project, _edit_yaml, _pdf_text, _snakemake

from chinhquyenso.vn_format import number, slug

pytestmark = pytest.mark.integration
TOTALS = "resources/thiet_ke_mau/tong_the_minh_hoa.yaml"


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    work = _copy_project(tmp_path_factory.mktemp("thiet_ke"))
    out = work / "resources/survey/gia_lap_thiet_ke"
    args = ["--n", "1500", "--design", "--psu-per-stratum", "10", "--out-dir", str(out)]
    assert make_synthetic_data.main(args) == 0

    def change(config):
        config["survey"].update(path=str(out.relative_to(work) / "khao_sat.csv"), illustrative=True)
        config["survey"]["codebook"] = str(out.relative_to(work) / "codebook.yaml")
        config["reproduction"]["published"] = None
        config["report"]["date"] = "2026-11-30"

    _edit_yaml(work / "config.yaml", change)
    # what the tests read, not every report (the province, Word and Excel reports of a design
    # are made by weighted_demo's whole run): a third of the run's jobs
    run = _snakemake(work, *SYNTHETIC_READS)
    assert run.returncode == 0, run.stderr[-4000:]
    return work


SYNTHETIC_READS = (
    "results/report/bao_cao.pdf",
    "results/design/thiet_ke.json",
    "results/design/trong_so.csv",
    "results/design/ty_le_co_trong_so.csv",
    "results/models/theo_hoat_dong.csv",
)


@pytest.fixture(scope="module")
def weighted_demo(tmp_path_factory):
    work = _copy_project(tmp_path_factory.mktemp("hau_phan_tang"))
    _edit_yaml(
        work / "config.yaml",
        lambda c: (c["survey"].update(weighting=TOTALS), c["report"].update(date="2026-11-30")),
    )
    run = _snakemake(work)
    assert run.returncode == 0, run.stderr[-4000:]
    return work


def test_synthetic_design_report_states_strata_psus_and_weights(synthetic):
    summary = json.loads((synthetic / "results/design/thiet_ke.json").read_text(encoding="utf-8"))
    assert summary["so_tang"] == 3 and summary["so_psu"] == 30 and summary["trong_so"] == "khai_bao"
    weights = pd.read_csv(synthetic / "results/design/trong_so.csv")
    assert len(weights) == 1500 and weights["trong_so"].min() == pytest.approx(summary["trong_so_nho_nhat"])
    assert weights["ma_phieu"].str.startswith("PH-").all()  # pseudonyms, never the raw codes
    text = _pdf_text(synthetic / "results/report/bao_cao.pdf")
    assert "gồm 3 tầng theo «Tỉnh/thành phố» và 30 đơn vị mẫu bậc một (PSU, «Đơn vị mẫu»)" in text
    assert "không cho phép tầng chỉ có một đơn vị mẫu" in text
    assert f"cỡ mẫu hiệu dụng Kish {number(summary['n_hieu_dung_kish'], 1)} trên 1.500 người trả lời" in text
    assert "Tỷ lệ có trọng số theo thiết kế mẫu" in text and "tỷ lệ có trọng số; n không trọng số" in text
    # the per-activity and index models are design-based: PSUs as clusters, said in the report
    per = pd.read_csv(synthetic / "results/models/theo_hoat_dong.csv")
    assert (per.loc[per["he_so"].notna(), "so_cum"] == 30).all()
    assert "Theo thiết kế mẫu. Với thiết kế mẫu và trọng số nêu ở phần phương pháp, các mô hình riêng" in text
    shares = pd.read_csv(synthetic / "results/design/ty_le_co_trong_so.csv")
    # clustered answers: design effects above 1 for the activities
    overall = shares[(shares["tinh"] == "Tổng cộng") & (shares["nhom"] == "hoat_dong")]
    assert (overall["deff"] > 1).all()
    row = overall.iloc[0]
    assert f"{number(row['ty_le'], 1)} {number(row['can_duoi'], 1)}–{number(row['can_tren'], 1)}" in text


def test_demo_post_stratified_keeps_n_and_the_unweighted_check(weighted_demo):
    work = weighted_demo
    text = _pdf_text(work / "results/report/bao_cao.pdf")
    assert "Trọng số được lập bằng hậu phân tầng (post-stratification)" in text
    assert "Bảng tổng thể này là số liệu minh họa" in text
    assert "(trọng số minh họa)" in text
    assert "Mẫu gồm 360 người trả lời" in text  # N unchanged
    comparison = pd.read_csv(work / "results/reproduction/doi_chieu.csv", dtype=str)
    # the article is unweighted: every published figure still matches the unweighted counts
    assert set(comparison["trang_thai"]) == {"khớp", "sai lệch trong bài báo"}
    shares = pd.read_csv(work / "results/design/ty_le_co_trong_so.csv")
    total = shares[shares["tinh"] == "Tổng cộng"].iloc[0]
    assert total["n"] == 360 and total["ty_le"] != pytest.approx(total["ty_le_khong_trong_so"])
    # the unweighted share of the design table is the count table's share
    raw = pd.read_csv(work / "results/internal/tables/tham_gia_truc_tiep.csv")
    first = raw.loc[raw.iloc[:, 0] == total["chi_bao"]].iloc[0]
    assert total["ty_le_khong_trong_so"] == pytest.approx(100 * first["n"] / first["co_so"])
    assert "Phụ lục" in text and "Tỷ lệ có trọng số ở Phụ lục A" in text


def test_province_reports_and_workbooks_carry_the_weighted_shares(weighted_demo):
    work = weighted_demo
    shares = pd.read_csv(work / "results/design/ty_le_co_trong_so.csv")
    pooled = pd.read_csv(work / "results/models/gop_va_chi_so.csv")
    summary = json.loads((work / "results/models/tom_tat.json").read_text(encoding="utf-8"))
    assert {"gop_logit_tham_gia", "gop_thu_bac_muc_do", "du_doan_ty_le_muc_cao"} <= set(
        summary["theo_thiet_ke"]
    )
    # the demo's weights are post-stratified: every respondent is their own PSU
    fitted = pooled[(pooled["mo_hinh"] == "gop_logit_tham_gia") & pooled["he_so"].notna()]
    assert len(fitted) and (fitted["so_cum"] == 360).all()
    reports = sorted((work / "results/report").glob("bao_cao_tinh_*.pdf"))
    assert reports
    for pdf in reports:
        text = _pdf_text(pdf)
        assert "Tỷ lệ có trọng số theo thiết kế mẫu (trọng số minh họa)" in text
        assert (
            "Trên toàn mẫu, trọng số từ" in text and "phương sai vẫn tính trên toàn bộ thiết kế mẫu" in text
        )
    # each province's report prints its own weighted shares, not the whole sample's
    for value, rows in shares[shares["tinh"] != "Tổng cộng"].groupby("tinh"):
        text = _pdf_text(work / f"results/report/bao_cao_tinh_{slug(value)}.pdf")
        shown = rows[~rows["an"]].iloc[0]
        assert (
            f"{number(shown['ty_le'], 1)} {number(shown['can_duoi'], 1)}–{number(shown['can_tren'], 1)}"
            in text
        )
    book = openpyxl.load_workbook(work / "results/report/bang_bieu.xlsx", read_only=True)
    captions = [book[name]["A1"].value or "" for name in book.sheetnames[1:]]
    assert any("Tỷ lệ có trọng số theo thiết kế mẫu" in c for c in captions)


def test_the_snakefile_asks_for_a_design_without_loading_scipy_stats(tmp_path):
    """Every `snakemake` start (a no-op's too) asks whether the run has a design: the question is
    answered by design.spec.declared (also the model stage's), which must not load scipy.stats
    (half a second of each start): with and without roles and totals."""
    import subprocess
    import sys

    from chinhquyenso.codebook import load_codebook
    from chinhquyenso.design.spec import declared
    from conftest import CODEBOOK, ROOT

    probe = "import sys; import chinhquyenso.design.spec; print('scipy.stats' in sys.modules)"
    run = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT / "scripts", capture_output=True, text=True, check=True
    )
    assert run.stdout.strip() == "False"
    out = tmp_path / "thiet_ke"
    args = ["--n", "60", "--design", "--psu-per-stratum", "2", "--out-dir", str(out)]
    assert make_synthetic_data.main(args) == 0
    plain, designed = load_codebook(CODEBOOK), load_codebook(out / "codebook.yaml")
    assert [declared(plain, None), declared(designed, None), declared(plain, TOTALS)] == [False, True, True]
