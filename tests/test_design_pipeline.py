"""The sampling design in the pipeline (issue 27, phase 2): the codebook's design roles and
types, the startup check of survey.weighting, the clean stage's design problems, the design
stage's weighted shares and what the report says of them. The workflow runs (a synthetic
stratified, clustered survey; the demo post-stratified) are in test_design_workflow.py."""

import numpy as np
import pandas as pd
import pytest
import yaml

from chinhquyenso.clean_stage import clean_to_files
from chinhquyenso.codebook import load_codebook
from chinhquyenso.design import simple_design, stage
from chinhquyenso.design.check import totals_files, totals_problems
from chinhquyenso.design.estimates import svymean
from chinhquyenso.problems import SurveyValidationError
from chinhquyenso.report.design_context import design_context
from chinhquyenso.synthetic import SyntheticSpec, design_codebook, generate, write
from conftest import CODEBOOK, ROOT

TOTALS = "resources/thiet_ke_mau/tong_the_minh_hoa.yaml"


def _synthetic(tmp_path, n=600, design=None, **options):
    """A synthetic export with a design and its codebook declaring it; (csv, codebook path)."""
    design = {"psu_per_stratum": 8, **(design or {})}
    doc = design_codebook(yaml.safe_load(CODEBOOK.read_text(encoding="utf-8")), design)
    doc.setdefault("design", {}).update(options)
    book_path = tmp_path / "codebook.yaml"
    book_path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    book = load_codebook(book_path)
    frame = generate(book, SyntheticSpec(n=n, seed=11, design=design))
    write(frame, tmp_path / "khao_sat.csv", book, SyntheticSpec(n=n, seed=11, design=design))
    return tmp_path / "khao_sat.csv", book_path


def _clean(tmp_path, csv, book_path):
    out = {k: tmp_path / f"{k}.out" for k in ("table", "cleaning_log", "problems_csv", "summary")}
    return clean_to_files(csv, book_path, **out)


def test_codebook_declares_the_design_and_checks_its_types(tmp_path):
    csv, book_path = _synthetic(tmp_path, n=300)
    book = load_codebook(book_path)
    assert {r: book.role(r) for r in ("weight", "psu", "strata")} == {
        "weight": "trong_so",
        "psu": "don_vi_mau",
        "strata": book.role("province"),
    }
    assert book.design == {"lonely_psu": "fail", "nest": False}
    doc = yaml.safe_load(book_path.read_text(encoding="utf-8"))
    doc["roles"]["weight"] = doc["roles"]["gender"]  # a category cannot be a weight
    doc["design"] = {"lonely_psu": "bo_qua", "nest": "co"}
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ValueError) as err:
        load_codebook(bad)
    text = str(err.value)
    assert (
        f"roles.weight: biến '{doc['roles']['gender']}' có loại 'category', cần number hoặc integer" in text
    )
    assert "design.lonely_psu: «bo_qua» không hợp lệ (có: fail, certainty, adjust)" in text
    assert "design.nest: «co» phải là true hoặc false" in text


def test_number_column_decimal_mark_and_problems(tmp_path):
    csv, book_path = _synthetic(tmp_path, n=300)
    frame = pd.read_csv(csv, dtype=str, keep_default_na=False)
    frame.loc[3, "Trọng số"] = "12,5"  # the codebook says decimal "." (a machine export)
    frame.loc[7, "Trọng số"] = "mười"
    frame.to_csv(csv, index=False)
    with pytest.raises(SurveyValidationError) as err:
        _clean(tmp_path, csv, book_path)
    found = {(p.dong, p.cot, p.gia_tri, p.ma_quy_tac) for p in err.value.problems}
    assert found == {(5, "Trọng số", "12,5", "so_thap_phan"), (9, "Trọng số", "mười", "so_thap_phan")}
    # with decimal "," the Vietnamese spelling reads, dots grouping thousands
    doc = yaml.safe_load(book_path.read_text(encoding="utf-8"))
    next(v for v in doc["variables"] if v["name"] == "trong_so")["decimal"] = ","
    book_path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    frame["Trọng số"] = ["1.234,5", "12,5", "7"] + ["30"] * (len(frame) - 3)
    frame.to_csv(csv, index=False)
    clean = _clean(tmp_path, csv, book_path).clean
    assert clean["trong_so"].head(3).tolist() == [1234.5, 12.5, 7.0]
    assert str(clean["trong_so"].dtype) == "Float64" and str(clean["don_vi_mau"].dtype) == "string"


def test_design_problems_stop_the_clean_stage_by_row_never_by_id(tmp_path):
    csv, book_path = _synthetic(tmp_path, n=300, design={"psu_per_stratum": 1})
    frame = pd.read_csv(csv, dtype=str, keep_default_na=False)
    frame.loc[0, "Trọng số"] = "0"
    frame.to_csv(csv, index=False)
    with pytest.raises(SurveyValidationError) as err:
        _clean(tmp_path, csv, book_path)
    lines = [str(p) for p in err.value.problems]
    assert all(p.ma_quy_tac == "thiet_ke" for p in err.value.problems)
    assert any("«trong_so»" in s and "≤ 0 ở dòng 2" in s for s in lines), lines
    summary = (tmp_path / "summary.out").read_text(encoding="utf-8")
    assert "SYN-" not in summary and "ma_phieu" not in summary
    # one PSU per stratum: the lonely-PSU rule is named, with R's options
    csv, book_path = _synthetic(tmp_path, n=300, design={"psu_per_stratum": 1})
    with pytest.raises(SurveyValidationError) as err:
        _clean(tmp_path, csv, book_path)
    assert "lonely_psu: certainty" in str(err.value.problems[0])
    csv, book_path = _synthetic(tmp_path, n=300, design={"psu_per_stratum": 1}, lonely_psu="certainty")
    assert len(_clean(tmp_path, csv, book_path).clean) == 300


def test_weighting_totals_are_checked_against_the_codebook(tmp_path, codebook):
    config = {"survey": {"weighting": str(ROOT / TOTALS)}}
    assert totals_problems(config, codebook) == []
    assert totals_files({"survey": {"weighting": TOTALS}}) == [
        TOTALS,
        TOTALS.replace("tong_the_minh_hoa.yaml", "tong_the_tinh_cap.csv"),
    ]
    (tmp_path / "t.yaml").write_text("method: rake\nmargins: {tinh: a.csv, nganh: b.csv}\n", encoding="utf-8")
    (tmp_path / "a.csv").write_text("tinh,tong_so\nTPHCM,10\nHà Nội,5\n", encoding="utf-8")
    (tmp_path / "b.csv").write_text("nganh,tong_so\nx,15\n", encoding="utf-8")
    found = totals_problems({"survey": {"weighting": str(tmp_path / "t.yaml")}}, codebook)
    assert any("a.csv, dòng 3, cột «tinh»: «Hà Nội» không phải giá trị của biến" in p for p in found), found
    assert any("b.csv: cột «nganh» không phải biến của codebook" in p for p in found), found
    assert totals_problems({"survey": {"weighting": None}}, codebook) == []


def test_weighted_shares_against_svymean_and_small_cells(tmp_path):
    csv, book_path = _synthetic(tmp_path, n=900)
    clean = _clean(tmp_path, csv, book_path).clean
    book = load_codebook(book_path)
    built = stage.build(clean, book, None, "x")
    assert built.summary["so_tang"] == 3 and built.summary["so_psu"] == 24
    assert built.summary["trong_so"] == "khai_bao"
    shares = stage.weighted_shares(clean, book, built.design, 5, 0.95)
    items = stage.share_indicators(clean, book)
    assert len(shares) == len(items) * 4  # the whole sample and three provinces
    first = shares.iloc[0]
    ref = svymean(items[0][3], built.design)
    assert first["ty_le"] == pytest.approx(100 * ref["estimate"], abs=1e-9)
    assert first["sai_so_chuan"] == pytest.approx(100 * ref["se"], abs=1e-9)
    assert first["can_duoi"] == pytest.approx(100 * ref["ci_low"], abs=1e-9)
    assert first["n"] == int((~np.isnan(items[0][3])).sum())
    # a province of four respondents: every share of it hidden, its n kept
    part = clean.iloc[:4].reset_index(drop=True)
    small = stage.weighted_shares(part, book, simple_design(part["trong_so"].to_numpy(float)), 5, 0.95)
    assert small["an"].all() and small["ty_le"].isna().all() and (small["n"] <= 4).all()


def test_report_says_how_weights_were_built(clean_demo, codebook):
    clean, _ = clean_demo
    built = stage.build(clean, codebook, ROOT / TOTALS, "x")
    s = built.summary
    assert s["trong_so"] == "poststratify" and s["minh_hoa"] is True
    # post-stratified weights reach the totals cell by cell; N unchanged
    table = pd.read_csv(ROOT / "resources/thiet_ke_mau/tong_the_tinh_cap.csv")
    assert built.design.weights.sum() == pytest.approx(table["tong_so"].sum())
    assert s["n"] == len(clean)
    shares = stage.weighted_shares(clean, codebook, built.design, 5, 0.95)
    means = stage.weighted_means(clean, codebook, built.design, 5, 0.95)
    ctx = design_context(s, shares, means, codebook, 0.95)
    text = " ".join(ctx["cau"])
    assert "hậu phân tầng (post-stratification)" in text and "minh họa" in text
    assert f"trên {len(clean)} người trả lời" in text and "Kish" in text
    assert "," in ctx["rows"][0]["pct"] and "." not in ctx["rows"][0]["pct"]  # decimal comma
    assert ctx["minh_hoa"] and len(ctx["rows"]) == (shares["tinh"] == stage.TOTAL).sum()  # whole sample


def test_per_activity_models_are_design_based(tmp_path, codebook):
    from chinhquyenso.design.models import svy_logit
    from chinhquyenso.models.spec import covariate_patterns
    from chinhquyenso.models.stage import book_levels_for, fit_stage, spec_from_config, write_stage

    csv, book_path = _synthetic(tmp_path, n=900)
    result = _clean(tmp_path, csv, book_path)
    book = load_codebook(book_path)
    config = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))["models"]
    out = {k: tmp_path / f"{k}.csv" for k in ("per_activity", "pooled", "brant", "bivariate")}
    write_stage(tmp_path / "table.out", book_path, config, {**out, "summary": tmp_path / "s.json"})
    per = pd.read_csv(out["per_activity"])
    fitted = per[per["he_so"].notna()]
    assert (fitted["so_cum"] == 24).all()  # PSUs, not respondents
    summary = yaml.safe_load((tmp_path / "s.json").read_text(encoding="utf-8"))
    assert summary["theo_thiet_ke"] == [
        "logit_tham_gia",
        "thu_bac_muc_do",
        "gop_logit_tham_gia",
        "gop_thu_bac_muc_do",
        "chi_so_so_hoat_dong",
        "chi_so_muc_do_tb",
        "du_doan_ty_le_muc_cao",
    ]
    pooled = pd.read_csv(out["pooled"])
    overall = pooled[pooled["he_so"].notna()]
    assert set(overall["mo_hinh"]) == set(summary["theo_thiet_ke"][2:6]) and (overall["so_cum"] == 24).all()
    # the first activity's logit is svy_logit's on the same patterns
    labels = {v.name: v.label for v in book.variables}
    spec = spec_from_config(config, labels, book.roles)
    levels = book_levels_for(spec, book)
    patterns = covariate_patterns(result.clean, spec, levels)
    act = next(iter(book.activities))
    y = result.clean[book.activities.takes[act]].astype(float).to_numpy()
    design = stage.build(result.clean, book, None, "x").design
    ref = svy_logit(patterns.design.X, patterns.ids, y, design)
    rows = fitted[(fitted["mo_hinh"] == "logit_tham_gia") & (fitted["hoat_dong"] == act)]
    got = dict(zip(rows["so_hang"], rows["he_so"], strict=True))
    want = dict(zip(ref.names, ref.params, strict=True))
    assert got and all(got[k] == pytest.approx(want[k], rel=1e-8) for k in got)
    se = dict(zip(ref.names, ref.bse, strict=True))
    assert all(s == pytest.approx(se[k], rel=1e-8) for k, s in zip(rows["so_hang"], rows["se"], strict=True))
    # the count index: svy_logit of the share of activities taken part in
    takes = np.column_stack([result.clean[v].astype(float) for v in book.activities.takes.values()])
    ref = svy_logit(patterns.design.X, patterns.ids, takes.mean(axis=1), design)
    got = overall[overall["mo_hinh"] == "chi_so_so_hoat_dong"].set_index("so_hang")["he_so"]
    want = dict(zip(ref.names, ref.params, strict=True))
    assert all(v == pytest.approx(want[k], rel=1e-8) for k, v in got.items())
    # without the design, the same respondents' model is the project's (SEs by respondent)
    plain = fit_stage(result.clean, spec, levels, book.activities)["per_activity"]
    plain = plain[plain["he_so"].notna()]
    assert (plain["so_cum"] == plain["n"]).all() and len(plain) == len(fitted)
