"""Several survey waves: the synthetic 2026 wave, the 2025 crosswalk, the comparison."""

import numpy as np
import pandas as pd
import pytest
import yaml
from scipy import stats

from chinhquyenso.codebook import load_codebook
from chinhquyenso.ingest import clean_survey
from chinhquyenso.models import fit_to_data, spec_from_config
from chinhquyenso.readers import read_survey
from chinhquyenso.synthetic import SyntheticSpec, generate, write_csv
from chinhquyenso.waves import BOTH, Wave, compare_pair, compare_waves
from conftest import CODEBOOK, ROOT

WAVE2 = ROOT / "tests/fixtures/dot_2026"


@pytest.fixture(scope="module")
def wave2():
    book = load_codebook(WAVE2 / "codebook.yaml")
    result = clean_survey(read_survey(WAVE2 / "khao_sat_2026_gia_lap.csv"), book)
    return Wave("2026", result.clean, book)


@pytest.fixture(scope="module")
def wave1(clean_demo, codebook):
    return Wave("2023", clean_demo[0], codebook)


def test_synthetic_wave_regenerates_byte_for_byte(tmp_path):
    fields = yaml.safe_load((WAVE2 / "gia_lap.yaml").read_text(encoding="utf-8"))
    book = load_codebook(ROOT / fields.pop("codebook"))
    committed = ROOT / fields.pop("out")
    write_csv(generate(book, SyntheticSpec(**fields)), tmp_path / "again.csv")
    assert (tmp_path / "again.csv").read_bytes() == committed.read_bytes()


def test_synthetic_wave_is_labelled_and_passes_validation(wave2):
    assert len(wave2.clean) == 420
    assert "GIẢ LẬP" in (WAVE2 / "README.md").read_text(encoding="utf-8")
    assert "GIẢ LẬP" in (WAVE2 / "codebook.yaml").read_text(encoding="utf-8")
    raw = read_survey(WAVE2 / "khao_sat_2026_gia_lap.csv").frame
    assert raw["Mã phiếu"].str.startswith("SYN2026-").all()
    # the reorganised units: no district level, the new provinces
    assert set(wave2.clean["cap_hanh_chinh"]) == {"Phường/xã", "Tỉnh/thành phố"}
    assert set(wave2.clean["tinh"]) == {"TP. Hồ Chí Minh", "Đồng Nai", "Tây Ninh"}


def test_crosswalk_maps_the_2025_reorganisation(codebook):
    assert codebook.common_unit("tinh", "Bình Dương") == "TP. Hồ Chí Minh"
    assert codebook.common_unit("tinh", "TPHCM") == "TP. Hồ Chí Minh"
    assert codebook.common_unit("tinh", "Bình Phước") == "Đồng Nai"
    assert codebook.common_unit("cap_hanh_chinh", "Quận/huyện") is None
    assert codebook.common_unit("cap_hanh_chinh", "Phường/xã") == "Phường/xã"
    assert codebook.common_unit("tinh", "Tây Ninh") == "Tây Ninh"  # not listed: unchanged
    assert "202/2025/QH15" in codebook.crosswalk_info["basis"]


def test_crosswalk_on_an_unknown_variable_is_refused(tmp_path):
    doc = yaml.safe_load(CODEBOOK.read_text(encoding="utf-8"))
    doc["crosswalk"]["variables"]["quan_huyen"] = {"Quận 1": "Phường Sài Gòn"}
    doc["crosswalk"]["variables"]["tinh"]["Long An"] = 5
    path = tmp_path / "cb.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ValueError) as err:
        load_codebook(path)
    assert "crosswalk: 'quan_huyen'" in str(err.value) and "'Long An' -> 5" in str(err.value)


def test_unit_mapping_says_what_became_what(wave1, wave2):
    mapping = compare_waves([wave1, wave2], 0.95, "fdr_bh")["mapping"]
    row = mapping[(mapping["dot"] == "2023") & (mapping["don_vi_goc"] == "Bình Dương")].iloc[0]
    assert row["don_vi_chung"] == "TP. Hồ Chí Minh" and row["doi_doi"] and row["n"] == 120
    district = mapping[mapping["don_vi_goc"] == "Quận/huyện"].iloc[0]
    assert district["pham_vi"] == "không có đơn vị tương ứng" and district["n"] == 125
    tay_ninh = mapping[mapping["don_vi_goc"] == "Tây Ninh"].iloc[0]
    assert tay_ninh["pham_vi"] == "chỉ có ở đợt 2026"
    assert mapping.groupby("dot")["n"].sum().to_dict() == {"2023": 720, "2026": 840}  # two variables


def test_participation_change_per_activity(wave1, wave2):
    part = compare_pair(wave1, wave2, 0.95, "fdr_bh")["participation"]
    # activities present in one wave only are reported, not compared
    status = dict(zip(part["hoat_dong"], part["pham_vi"], strict=True))
    assert status["hd12"] == "chỉ có ở đợt 2023" and status["hd15"] == "chỉ có ở đợt 2026"
    assert sum(s == BOTH for s in status.values()) == 13
    assert part.loc[part["hoat_dong"] == "hd15", "p"].isna().all()
    # Tây Ninh exists in 2026 only: its respondents are outside the common ground
    both = part[part["pham_vi"] == BOTH]
    n_tay_ninh = int((wave2.clean["tinh"] == "Tây Ninh").sum())
    assert (both["co_so_sau"] == 420 - n_tay_ninh).all() and (both["co_so_truoc"] == 360).all()
    # counts straight from the data; the change is their difference in percentage points
    hd01 = both[both["hoat_dong"] == "hd01"].iloc[0]
    common = wave2.clean[wave2.clean["tinh"] != "Tây Ninh"]
    assert hd01["n_sau"] == int(common["tham_gia_hd01"].sum())
    assert hd01["n_truoc"] == int(wave1.clean["tham_gia_hd01"].sum()) == 287  # Bảng 3 of the article
    assert hd01["chenh_lech"] == pytest.approx(100 * (hd01["n_sau"] / hd01["co_so_sau"] - 287 / 360))
    assert (both["ci_thap"] <= both["chenh_lech"]).all() and (both["chenh_lech"] <= both["ci_cao"]).all()
    # the score test of two proportions agrees with Pearson's chi-square (no continuity correction)
    # up to its small-sample factor n/(n-1)
    table = np.array(
        [
            [hd01["n_truoc"], hd01["co_so_truoc"] - hd01["n_truoc"]],
            [hd01["n_sau"], hd01["co_so_sau"] - hd01["n_sau"]],
        ]
    )
    chi2 = stats.chi2_contingency(table, correction=False)[1]
    assert hd01["p"] == pytest.approx(chi2, rel=0.05)
    assert (both["p_hieu_chinh"] >= both["p"] - 1e-12).all()


def test_same_wave_twice_shows_no_change(wave1):
    again = Wave("2024", wave1.clean, wave1.codebook)
    out = compare_pair(wave1, again, 0.95, "fdr_bh")
    part, levels = out["participation"], out["levels"]
    assert (part["chenh_lech"] == 0).all() and (part["p"] > 0.99).all()
    assert (levels["chenh_lech"].abs() < 1e-12).all()
    units = out["units"]
    # both waves go to today's units, so the former district level has no counterpart in either
    assert set(units["pham_vi"]) == {BOTH, "không có đơn vị tương ứng"}
    assert (units.loc[units["pham_vi"] == BOTH, "chenh_lech"].abs() < 1e-9).all()


def test_level_change_is_a_welch_test(wave1, wave2):
    levels = compare_pair(wave1, wave2, 0.95, "fdr_bh")["levels"]
    row = levels[levels["hoat_dong"] == "hd07"].iloc[0]
    common = wave2.clean[wave2.clean["tinh"] != "Tây Ninh"]
    a = wave1.clean.loc[wave1.clean["tham_gia_hd07"].astype(bool), "muc_do_hd07"].astype(float)
    b = common.loc[common["tham_gia_hd07"].astype(bool), "muc_do_hd07"].astype(float)
    welch = stats.ttest_ind(b, a, equal_var=False)
    assert row["chenh_lech"] == pytest.approx(b.mean() - a.mean())
    assert row["p"] == pytest.approx(welch.pvalue)
    assert row["n_truoc"] == len(a) and row["n_sau"] == len(b)


def test_units_compared_on_common_ground(wave1, wave2):
    units = compare_pair(wave1, wave2, 0.95, "fdr_bh")["units"]
    hcm = units[(units["bien"] == "tinh") & (units["don_vi_chung"] == "TP. Hồ Chí Minh")].iloc[0]
    assert hcm["n_truoc"] == 240  # TPHCM + Bình Dương of 2023
    assert hcm["pham_vi"] == BOTH
    lost = units[(units["bien"] == "cap_hanh_chinh") & (units["pham_vi"] == "không có đơn vị tương ứng")]
    assert lost["n_truoc"].tolist() == [125]


def test_models_adapt_to_levels_absent_from_the_data(clean_demo, codebook):
    cfg = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))["models"]
    spec = spec_from_config(cfg, {v.name: v.label for v in codebook.variables})
    no_district = clean_demo[0][clean_demo[0]["cap_hanh_chinh"] != "Quận/huyện"]
    book_levels = {n: codebook[n].values for n in ("tinh", "gioi_tinh", "cap_hanh_chinh")}
    new, levels, notes = fit_to_data(spec, no_district, book_levels)
    assert levels["cap_hanh_chinh"] == ["Phường/xã", "Tỉnh/thành phố"]
    assert any("Quận/huyện" in n for n in notes)
    one_province = clean_demo[0][clean_demo[0]["tinh"] == "Đồng Nai"]
    new, levels, notes = fit_to_data(spec, one_province, book_levels)
    assert "tinh" not in [c.name for c in new.covariates]
    assert any("chỉ có một mức" in n for n in notes)
    # a reference the data lacks is replaced, and said so
    cfg2 = {**cfg, "covariates": {**cfg["covariates"], "tinh": {"type": "category", "reference": "TPHCM"}}}
    spec2 = spec_from_config(cfg2, {v.name: v.label for v in codebook.variables})
    new, _, notes = fit_to_data(spec2, clean_demo[0][clean_demo[0]["tinh"] != "TPHCM"], book_levels)
    assert next(c for c in new.covariates if c.name == "tinh").reference in ("Bình Dương", "Đồng Nai")
    assert any("TPHCM" in n for n in notes)


def test_models_run_on_the_reorganised_wave(wave2, tmp_path):
    import json

    from chinhquyenso.models import write_stage

    cfg = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))["models"]
    table = tmp_path / "w2.parquet"
    wave2.clean.to_parquet(table, index=False)
    keys = ("per_activity", "pooled", "brant", "bivariate", "predictions")
    out = {k: tmp_path / f"{k}.csv" for k in keys} | {"summary": tmp_path / "s.json"}
    write_stage(table, WAVE2 / "codebook.yaml", cfg, out)
    summary = json.loads(out["summary"].read_text(encoding="utf-8"))
    assert summary["hoat_dong"][-1] == "hd15" and len(summary["hoat_dong"]) == 14
    assert any("TPHCM" in n for n in summary["dieu_chinh_dac_ta"])
    pooled = pd.read_csv(out["pooled"])
    assert "cap_hanh_chinh=Quận/huyện" not in set(pooled["so_hang"])
    assert pooled["he_so"].notna().all()
