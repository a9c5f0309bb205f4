"""Issue 23, item 1: models that meet degenerate data.

A survey of one respondent, or three (one per province), everyone answering «Không», the same
tenure for everyone, a covariate with one level, an ordinal outcome with one observed level:
before fitting, each model is checked on its own sample (chinhquyenso.models.estimable); what
cannot be estimated — a covariate, a model, or the whole modelling part — is left out with one
Vietnamese sentence the report prints, never a traceback. Models that can be estimated are
still fitted, and fitted exactly as on clean data.

Each case builds a small clean table from the demo and asserts the exact outcome: which models
and covariates are left out, and the exact sentence stored for the report.
"""

import json

import numpy as np
import pandas as pd
import pytest
import yaml

from chinhquyenso import models as M
from conftest import ROOT

ONE_LEVEL = "chỉ có một mức trong dữ liệu; bỏ biến này khỏi mô hình"
SEPARATION = (
    "trong một nhóm người trả lời (theo các biến độc lập), mọi người có cùng một câu trả lời, nên "
    "tỷ số chênh của nhóm đó không xác định (tách biệt hoàn toàn)"
)
OUTPUTS = ("per_activity", "pooled", "brant", "bivariate", "predictions")


@pytest.fixture(scope="module")
def spec(codebook):
    cfg = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))["models"]
    return M.spec_from_config(cfg, {v.name: v.label for v in codebook.variables}, codebook.roles)


@pytest.fixture(scope="module")
def fit(spec, codebook):
    """The models stage on a clean table, as the rule runs it (without its files)."""

    def run(clean):
        return M.fit_stage(clean, spec, M.book_levels_for(spec, codebook), codebook.activities)

    return run


@pytest.fixture(scope="module")
def demo(clean_demo, fit):
    return fit(clean_demo[0])


def _nobody_takes_part(clean, codebook, activities=None):
    acts = codebook.activities
    out = clean.copy()
    for a in activities or list(acts):  # as the clean stage writes them: boolean and Int8 columns
        out[acts.takes[a]] = pd.Series(False, index=out.index, dtype=out[acts.takes[a]].dtype)
        out[acts.level[a]] = pd.Series(pd.NA, index=out.index, dtype=out[acts.level[a]].dtype)
    return out


def _left_out(result) -> dict:
    return {(o["mo_hinh"], o["hoat_dong"]): o["ly_do"] for o in result["summary"].get("khong_uoc_luong", [])}


def _rows(table: pd.DataFrame, model: str, activity: str, other: bool = False) -> pd.DataFrame:
    """A model's rows for one activity (``other``: for every other activity)."""
    hit = (table["hoat_dong"] == activity) != other
    return table[(table["mo_hinh"] == model) & hit].reset_index(drop=True)


def _estimated(table: pd.DataFrame) -> pd.DataFrame:
    return table[~table["tinh_trang"].map(M.not_estimated)]


def test_the_demo_says_nothing_is_left_out(demo):
    """Clean data: no key about what was left out (tom_tat.json stays as it was)."""
    summary = demo["summary"]
    assert not {"bo_phan_tich", "khong_uoc_luong", "dieu_chinh_mo_hinh"} & set(summary)
    assert summary["dieu_chinh_dac_ta"] == []
    assert len(_estimated(demo["per_activity"])) == len(demo["per_activity"]) == 14 * 2 * 6


def test_one_respondent_leaves_out_the_whole_modelling_part(clean_demo, fit):
    result = fit(clean_demo[0].iloc[:1])
    summary = result["summary"]
    assert summary["bo_phan_tich"] == (
        "khảo sát chỉ có 1 người trả lời, không đủ để so sánh giữa các nhóm người trả lời"
    )
    assert summary["dieu_chinh_dac_ta"] == [
        f"Giới tính: {ONE_LEVEL}",
        f"Cấp hành chính của đơn vị công tác: {ONE_LEVEL}",
        "Thâm niên công tác (năm): mọi người trả lời có cùng một giá trị; bỏ biến này khỏi mô hình",
        f"Tỉnh/thành phố: {ONE_LEVEL}",
    ]
    assert summary["bien_doc_lap"] == [] and summary["kr20_tham_gia"] is None
    for key in OUTPUTS:  # nothing fitted: every table empty, with its columns
        assert result[key].empty and len(result[key].columns) > 0


def test_three_respondents_one_per_province(clean_demo, fit):
    three = clean_demo[0].groupby("tinh", observed=True).head(1)
    assert set(three["tinh"].astype(str)) == {"TPHCM", "Bình Dương", "Đồng Nai"}
    result = fit(three)
    summary = result["summary"]
    # gender (1 column), administrative level (2 of 3 levels: 1), tenure (1), province (2), intercept
    assert summary["bo_phan_tich"] == (
        "khảo sát chỉ có 3 người trả lời, trong khi mỗi mô hình phải ước lượng ít nhất 6 tham số "
        "(cần nhiều người trả lời hơn số tham số)"
    )
    assert summary["dieu_chinh_dac_ta"] == [
        # the level is named in the sample paragraph (issue 25: named once)
        "Cấp hành chính của đơn vị công tác: bỏ khỏi mô hình mức không có người trả lời "
        "(nêu tên ở phần dữ liệu)"
    ]
    assert "khong_uoc_luong" not in summary  # nothing was tried
    assert all(result[key].empty for key in OUTPUTS)


def test_nobody_taking_part_in_anything(clean_demo, codebook, fit):
    result = fit(_nobody_takes_part(clean_demo[0], codebook))
    summary = result["summary"]
    assert summary["bo_phan_tich"] == (
        "không người trả lời nào trực tiếp tham gia hoạt động nào, nên không có khác biệt nào để mô hình hóa"
    )
    left_out = _left_out(result)
    for a in codebook.activities:
        assert left_out[("logit_tham_gia", a)] == "không người trả lời nào tham gia hoạt động này"
        assert left_out[("thu_bac_muc_do", a)] == (
            "không người trả lời nào tham gia hoạt động này, nên không có mức độ tham gia để mô hình hóa"
        )
    for model in ("gop_logit_tham_gia", "gop_thu_bac_muc_do", "chi_so_so_hoat_dong", "chi_so_muc_do_tb"):
        assert left_out[(model, "tất cả")] == "không người trả lời nào tham gia hoạt động nào"
    # one row per model left out, its status saying why; no estimate anywhere
    per, pooled = result["per_activity"], result["pooled"]
    assert len(per) == 28 and len(pooled) == 4
    assert per["tinh_trang"].str.startswith("không ước lượng được: ").all()
    assert per["he_so"].isna().all() and pooled["he_so"].isna().all()
    assert set(result["brant"]["canh_bao"]) == {"không người trả lời nào tham gia hoạt động này"}
    assert result["bivariate"].empty and result["predictions"].empty
    assert summary["kr20_tham_gia"] is None


def test_same_tenure_for_everyone_drops_tenure_and_its_predictions(clean_demo, fit):
    clean = clean_demo[0].assign(tham_nien=5)
    result = fit(clean)
    summary = result["summary"]
    assert summary["dieu_chinh_dac_ta"] == [
        "Thâm niên công tác (năm): mọi người trả lời có cùng một giá trị; bỏ biến này khỏi mô hình"
    ]
    assert "bo_phan_tich" not in summary
    reason = "biến Thâm niên công tác (năm) đã bị bỏ khỏi mô hình, nên không có dự đoán theo biến này"
    assert _left_out(result) == {
        ("du_doan_ty_le_tham_gia", "tất cả"): reason,
        ("du_doan_ty_le_muc_cao", "tất cả"): reason,
    }
    assert [c["ten"] for c in summary["bien_doc_lap"]] == ["gioi_tinh", "cap_hanh_chinh", "tinh"]
    per, pooled = result["per_activity"], result["pooled"]
    assert len(_estimated(per)) == len(per) == 14 * 2 * 5  # every model, without tenure
    assert "tham_nien" not in set(per["bien"]) | set(pooled["bien"])
    assert set(pooled["mo_hinh"]) == {
        "gop_logit_tham_gia",
        "gop_thu_bac_muc_do",
        "chi_so_so_hoat_dong",
        "chi_so_muc_do_tb",
    }
    assert result["predictions"].empty and "tham_nien" in result["predictions"].columns


def test_a_covariate_with_one_level_leaves_every_model(clean_demo, demo, fit):
    result = fit(clean_demo[0].assign(gioi_tinh="Nam"))
    summary = result["summary"]
    assert summary["dieu_chinh_dac_ta"] == [f"Giới tính: {ONE_LEVEL}"]
    assert "khong_uoc_luong" not in summary and "bo_phan_tich" not in summary
    per = result["per_activity"]
    assert len(_estimated(per)) == len(per) == 14 * 2 * 5
    assert "gioi_tinh" not in set(per["bien"]) | set(result["pooled"]["bien"])
    assert not result["predictions"].empty  # the chart keeps the administrative levels


def test_a_covariate_with_one_level_in_one_model_sample(clean_demo, codebook, demo, fit):
    """Only men take part in hd01: gender leaves the ordinal model of hd01 (its sample has one
    level) and is said in that model's status; the logit of hd01 is separated (no woman takes
    part), so it is left out; every other model is fitted, the other activities' ordinal models
    exactly as on the demo."""
    acts = codebook.activities
    clean = clean_demo[0].copy()
    women = clean["gioi_tinh"] == "Nữ"
    clean.loc[women, acts.takes["hd01"]] = False
    clean.loc[women, acts.level["hd01"]] = pd.NA
    result = fit(clean)
    per = result["per_activity"]
    note = "bỏ biến Giới tính: chỉ có một mức trong mẫu của mô hình"
    ordinal = _rows(per, "thu_bac_muc_do", "hd01")
    assert "gioi_tinh" not in set(ordinal["bien"]) and len(ordinal) == 5
    assert ordinal["tinh_trang"].str.startswith(note).all()
    assert {"mo_hinh": "thu_bac_muc_do", "hoat_dong": "hd01", "ghi_chu": note} in result["summary"][
        "dieu_chinh_mo_hinh"
    ]
    assert _left_out(result) == {("logit_tham_gia", "hd01"): f"{SEPARATION}: Giới tính «Nữ»"}
    others = ["so_hang", "he_so", "se", "p", "n", "tinh_trang"]
    pd.testing.assert_frame_equal(
        _rows(per, "thu_bac_muc_do", "hd01", other=True)[others],
        _rows(demo["per_activity"], "thu_bac_muc_do", "hd01", other=True)[others],
        check_dtype=False,
    )


def test_an_ordinal_outcome_with_one_observed_level(clean_demo, codebook, demo, fit):
    acts = codebook.activities
    clean = clean_demo[0].copy()
    took = clean[acts.takes["hd01"]].astype(bool)
    clean.loc[took, acts.level["hd01"]] = 3
    result = fit(clean)
    reason = "mọi người tham gia hoạt động này chọn cùng một mức độ"
    assert _left_out(result) == {("thu_bac_muc_do", "hd01"): reason}
    per = result["per_activity"]
    row = _rows(per, "thu_bac_muc_do", "hd01")
    assert row["tinh_trang"].tolist() == [f"không ước lượng được: {reason}"]
    brant = result["brant"]
    assert brant[brant["hoat_dong"] == "hd01"]["canh_bao"].tolist() == [reason]
    # every other model is fitted; the logit of hd01 (same answers) exactly as on the demo
    assert len(_estimated(per)) == 27 * 6 and set(_estimated(result["pooled"])["mo_hinh"]) == set(
        demo["pooled"]["mo_hinh"]
    )
    logit = _rows(per, "logit_tham_gia", "hd01")
    pd.testing.assert_frame_equal(
        logit, _rows(demo["per_activity"], "logit_tham_gia", "hd01"), check_dtype=False
    )


def test_an_activity_nobody_takes_part_in(clean_demo, codebook, fit):
    """Its two models are left out, and it leaves the pooled models (no information in it)."""
    result = fit(_nobody_takes_part(clean_demo[0], codebook, ["hd05"]))
    assert _left_out(result) == {
        ("logit_tham_gia", "hd05"): "không người trả lời nào tham gia hoạt động này",
        ("thu_bac_muc_do", "hd05"): (
            "không người trả lời nào tham gia hoạt động này, nên không có mức độ tham gia để mô hình hóa"
        ),
    }
    assert result["summary"]["dieu_chinh_mo_hinh"] == [
        {
            "mo_hinh": "gop_logit_tham_gia",
            "hoat_dong": "tất cả",
            "ghi_chu": "bỏ 1 hoạt động mà không ai tham gia hoặc mọi người đều tham gia "
            "(không mang thông tin về khác biệt giữa các nhóm)",
        },
        {
            "mo_hinh": "gop_thu_bac_muc_do",
            "hoat_dong": "tất cả",
            "ghi_chu": "bỏ 1 hoạt động không có người tham gia",
        },
    ]
    pooled = result["pooled"]
    assert pooled.loc[pooled["mo_hinh"] == "gop_logit_tham_gia", "n"].iloc[0] == 360 * 13


def test_the_stage_writes_every_declared_file(clean_demo, spec, codebook, tmp_path):
    """One respondent: every file Snakemake expects exists and reads back (CSV with its header,
    JSON), and the charts drawn from them say that nothing could be estimated."""
    from chinhquyenso import figures
    from chinhquyenso.tables import read_table

    table = tmp_path / "khao_sat.parquet"
    clean_demo[0].iloc[:1].to_parquet(table, index=False)
    cfg = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))["models"]
    out = {k: tmp_path / f"{k}.csv" for k in OUTPUTS} | {"summary": tmp_path / "tom_tat.json"}
    M.write_stage(table, ROOT / "resources/codebook.yaml", cfg, out)
    tables = {k: read_table(out[k]) for k in OUTPUTS}
    assert all(t.empty and len(t.columns) for t in tables.values())
    assert json.loads(out["summary"].read_text(encoding="utf-8"))["bo_phan_tich"].startswith(
        "khảo sát chỉ có 1"
    )
    figures.use_project_style(ROOT / "resources/fonts")
    forest = figures.forest_chart(tables["per_activity"], tables["pooled"], codebook.activities.items, [])
    paths = [tmp_path / "or.svg", tmp_path / "or.png"]
    figures.save(forest, paths)
    assert "Không ước lượng được tỷ số chênh" in paths[0].read_text(encoding="utf-8")
    pred = figures.prediction_chart(
        tables["predictions"], {"ty_le_tham_gia": "x"}, None, None, ("tham_nien", "t")
    )
    figures.save(pred, [tmp_path / "du_doan.svg"])
    assert "Không ước lượng được dự đoán" in (tmp_path / "du_doan.svg").read_text(encoding="utf-8")


def _report_text(report_context, result, codebook, tmp_path, clean) -> str:
    """The report rendered with the models' context built from ``result`` (fitted on ``clean``),
    as plain text."""
    import re

    from chinhquyenso import report
    from chinhquyenso.models.effects import effects
    from chinhquyenso.report.models_context import models_context

    svg = tmp_path / "m.svg"
    svg.write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", encoding="utf-8")
    cfg = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
    mo_hinh = models_context(
        per=result["per_activity"],
        pooled=result["pooled"],
        brant=result["brant"],
        bivariate=result["bivariate"],
        summary=json.loads(json.dumps(result["summary"])),  # as read back from tom_tat.json
        effects=effects(
            result["pooled"],
            result["predictions"],
            clean,
            cfg["models"]["focal"],
            codebook.roles.get("tenure"),
            1 - cfg["models"]["confidence"],
            cfg["models"]["effect_size_points"],
        ),
        figures={"forest": svg, "predictions": svg},
        illustrative=True,
        focal=cfg["models"]["focal"],
        labels={v.name: v.short_label or v.label for v in codebook.variables},
        roles=codebook.roles,
        high_label=codebook.activities.scale.band_label(codebook.activities.scale.high_from),
        effect_points=cfg["models"]["effect_size_points"],
    )
    flags = {"models": True, "models_fitted": not mo_hinh.get("bo_phan_tich")}  # as build_context sets
    context = {**report_context, "mo_hinh": mo_hinh, "co": {**report_context["co"], **flags}}
    html = report.render_html(context, ROOT / "workflow/templates")
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_report_says_why_the_models_are_left_out(report_context, clean_demo, codebook, fit, tmp_path):
    few = clean_demo[0].groupby("tinh", observed=True).head(1)
    text = _report_text(report_context, fit(few), codebook, tmp_path, few)
    reason = (
        "khảo sát chỉ có 3 người trả lời, trong khi mỗi mô hình phải ước lượng ít nhất 6 tham số "
        "(cần nhiều người trả lời hơn số tham số)"
    )
    assert f"Mô hình. Phần mô hình đa biến không được thực hiện: {reason}." in text
    assert f"Dữ liệu không đủ để ước lượng mô hình: {reason}." in text  # the conclusion
    assert "Ước lượng (khoảng tin cậy" not in text and "Kiểm định Brant về giả định tỷ lệ chênh" not in text
    assert "Traceback" not in text and "Singular" not in text


def test_the_report_lists_the_models_left_out(report_context, clean_demo, codebook, fit, tmp_path):
    acts = codebook.activities
    clean = clean_demo[0].copy()
    clean.loc[clean[acts.takes["hd01"]].astype(bool), acts.level["hd01"]] = 3
    text = _report_text(report_context, fit(clean), codebook, tmp_path, clean)
    assert (
        "Những phần sau không ước lượng được với dữ liệu này, nên không được trình bày: "
        "1 mô hình riêng theo hoạt động (liệt kê cùng lý do ở Phụ lục"
    ) in text
    assert "hd01 mô hình mức độ tham gia mọi người tham gia hoạt động này chọn cùng một mức độ" in text
    assert "Ước lượng (khoảng tin cậy" in text  # the pooled models are still reported


@pytest.mark.parametrize("n", [12, 30])
def test_small_samples_never_fail(clean_demo, fit, n):
    """A handful of respondents: models separate or have too few cases; each is left out with a
    reason or fitted, and every estimate printed is a finite number."""
    result = fit(clean_demo[0].iloc[:n])
    for key in ("per_activity", "pooled"):
        fitted = _estimated(result[key])
        assert np.isfinite(fitted[["he_so", "se", "p", "ci_thap", "ci_cao"]].to_numpy(dtype=float)).all()
    assert all(r["ly_do"] and "Error" not in r["ly_do"] for r in result["summary"].get("khong_uoc_luong", []))


def _every_level_three(clean, codebook):
    acts = codebook.activities
    out = clean.copy()
    for a in acts:
        out.loc[out[acts.takes[a]].astype(bool), acts.level[a]] = 3
    return out


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        (
            "nobody",
            "Mô hình. Phần mô hình đa biến không được thực hiện: không người trả lời nào trực tiếp tham gia "
            "hoạt động nào, nên không có khác biệt nào để mô hình hóa.",
        ),
        (
            "same_level",
            "Không ước lượng được mô hình gộp về mức độ tham gia: mọi lượt tham gia có cùng một mức độ.",
        ),
        (
            "same_tenure",
            "Những phần sau không ước lượng được với dữ liệu này, nên không được trình bày: dự đoán theo "
            "thâm niên, giới tính và cấp hành chính: biến Thâm niên công tác (năm) đã bị bỏ khỏi mô hình, "
            "nên không có dự đoán theo biến này.",
        ),
    ],
)
def test_the_report_renders_every_degenerate_case(
    report_context, clean_demo, codebook, fit, tmp_path, case, expected
):
    clean = {
        "nobody": lambda c: _nobody_takes_part(c, codebook),
        "same_level": lambda c: _every_level_three(c, codebook),
        "same_tenure": lambda c: c.assign(tham_nien=5),
    }[case](clean_demo[0])
    text = _report_text(report_context, fit(clean), codebook, tmp_path, clean)
    assert expected in text
    assert "nan" not in text.split() and "NaN" not in text
