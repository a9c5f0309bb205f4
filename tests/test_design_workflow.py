"""Issue 27 in the whole workflow: (a) a synthetic survey drawn with strata, PSUs and unequal
weights (scripts/make_synthetic_data.py --design), its codebook declaring them; (b) the demo
post-stratified to the illustrative totals (config survey.weighting). Each report states the
design and prints the weighted shares with the unweighted n; N, the counts and the check
against the published article stay unweighted. Without a design nothing of it runs (the demo
byte-identical: checked by hand against main, see the branch's report)."""

import json

import make_synthetic_data
import pandas as pd
import pytest
from test_workflow import _copy_project, _edit_yaml, _pdf_text, _snakemake

from chinhquyenso.vn_format import number

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


def test_the_snakefile_decides_a_design_as_the_design_stage_does(tmp_path):
    """common.smk says whether a run has a design without importing design.stage (scipy.stats at
    every start): its expression gives declared()'s answer, with and without roles and totals."""
    import re

    from chinhquyenso.codebook import load_codebook
    from chinhquyenso.design.spec import DESIGN_ROLES
    from chinhquyenso.design.stage import declared
    from conftest import CODEBOOK, ROOT

    smk = (ROOT / "workflow/rules/common.smk").read_text(encoding="utf-8")
    weighting_of = re.search(r"^_weighting = (.+)$", smk, re.MULTILINE).group(1)
    expression = re.search(r"^HAS_DESIGN = (.+)$", smk, re.MULTILINE).group(1)
    out = tmp_path / "thiet_ke"
    assert (
        make_synthetic_data.main(["--n", "60", "--design", "--psu-per-stratum", "2", "--out-dir", str(out)])
        == 0
    )
    books = [load_codebook(CODEBOOK), load_codebook(out / "codebook.yaml")]
    assert [any(b.role(r) for r in DESIGN_ROLES) for b in books] == [False, True]
    for book in books:
        for weighting in (None, TOTALS):
            names = {
                "config": {"survey": {"weighting": weighting}},
                "CODEBOOK": book,
                "DESIGN_ROLES": DESIGN_ROLES,
            }
            names["_weighting"] = eval(weighting_of, names)  # noqa: S307 - the project's own file
            assert eval(expression, names) == declared(book, weighting)  # noqa: S307 - the project's own file
