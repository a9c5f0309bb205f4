"""The modelling stage (rule fit_models): every model and check, written as tidy CSV files and
a machine-readable summary."""

from __future__ import annotations

import json
import logging

import numpy as np
import pandas as pd

from .. import atomic
from ..answered import absent_from, without
from ..codebook import Block, load_codebook
from ..design.spec import declared
from ..nonresponse import model_sample
from ..safe_text import write_csv
from .activities import per_activity, pooled
from .checks import BIVARIATE_COLUMNS, BRANT_COLUMNS, bivariate, brant_all, cronbach_alpha
from .estimable import NOT_ESTIMATED, Omissions, not_estimated, section_reason
from .fitting import TERM_COLUMNS
from .indices import PREDICTION_COLUMNS, indices, prediction_columns, predictions
from .spec import ModelSpec, covariate_patterns, fit_to_data, spec_from_config, wide_outcomes
from .threads import one_blas_thread

log = logging.getLogger(__name__)


def _finite_or_none(value) -> float | None:
    return float(value) if value is not None and np.isfinite(value) else None


def _alpha(items: np.ndarray) -> float | None:
    """Cronbach's alpha (KR-20 on 0/1 items), or None when the data cannot give one (fewer than
    two respondents, or every respondent with the same total)."""
    if len(items) < 2:
        return None
    with np.errstate(all="ignore"):
        return _finite_or_none(cronbach_alpha(items))


PER_ACTIVITY = ["logit_tham_gia", "thu_bac_muc_do"]
OVERALL = ["gop_logit_tham_gia", "gop_thu_bac_muc_do", "chi_so_so_hoat_dong", "chi_so_muc_do_tb"]


def _nothing_fitted_reason(omitted: list[dict], takes: np.ndarray) -> str:
    """Why no model could be estimated, once every model has been tried."""
    if takes.sum() == 0:
        return (
            "không người trả lời nào trực tiếp tham gia hoạt động nào, nên không có khác biệt nào "
            "để mô hình hóa"
        )
    reasons = list(dict.fromkeys(o["ly_do"] for o in omitted if o["mo_hinh"].startswith(("gop_", "chi_so_"))))
    return "không mô hình nào ước lượng được với dữ liệu này (" + "; ".join(reasons) + ")"


def _empty_tables(spec: ModelSpec, levels: dict[str, list[str]]) -> dict:
    return {
        "per_activity": pd.DataFrame(columns=TERM_COLUMNS),
        "pooled": pd.DataFrame(columns=TERM_COLUMNS),
        "brant": pd.DataFrame(columns=BRANT_COLUMNS),
        "bivariate": pd.DataFrame(columns=BIVARIATE_COLUMNS),
        "predictions": pd.DataFrame(
            columns=prediction_columns(spec, levels) if spec.roles.get("tenure") else PREDICTION_COLUMNS
        ),
    }


def run_all(
    clean: pd.DataFrame,
    spec: ModelSpec,
    levels: dict[str, list[str]],
    activities: Block,
    tenure_dropped: str | None = None,
    survey=None,
) -> dict:
    """Every model and check; returns tidy frames and a machine-readable summary.

    What the data cannot support is left out, and the summary says why (see estimable):
    ``bo_phan_tich``, the whole modelling section (too few respondents for the smallest model,
    no covariate that varies, or no model estimable); ``khong_uoc_luong``, each model left out
    and its reason; ``dieu_chinh_mo_hinh``, what was changed inside a fitted model (a covariate
    with one level in its sample dropped). Each key is there only when it has something to say.
    ``tenure_dropped``: the label of tenure when the configuration has it as a covariate but the
    data made it leave the models (``fit_to_data``): the predictions along it are left out."""
    has_tenure = spec.roles.get("tenure") in {c.name for c in spec.covariates}
    _, levels_wide = wide_outcomes(clean, activities)
    complete = ~np.isnan(levels_wide).any(axis=1)
    summary = {
        "so_nguoi": int(len(clean)),
        "hoat_dong": list(activities),
        "bien_doc_lap": [
            {"ten": c.name, "loai": c.type, "tham_chieu": c.reference, "nhan": c.label}
            for c in spec.covariates
        ],
        "do_tin_cay": spec.confidence,
        "hieu_chinh_p": spec.multiple_testing,
    }
    patterns = covariate_patterns(clean, spec, levels) if spec.covariates else None  # every model's
    n_columns = patterns.design.X.shape[1] if patterns else 0
    whole = section_reason(len(clean), n_columns, len(spec.covariates))
    if whole is not None:  # not one model: nothing is fitted, every table is empty
        summary |= {
            "kr20_tham_gia": None,
            "alpha_muc_do_du": None,
            "so_nguoi_du_moi_muc_do": int(complete.sum()),
            "khong_hoi_tu": [],
            "gop_muc_thua": [],
            "it_truong_hop": [],
            "bo_phan_tich": whole,
        }
        return {**_empty_tables(spec, levels), "summary": summary}
    omissions = Omissions()
    per = per_activity(clean, activities, spec, levels, patterns, omissions, survey)
    pool = pooled(clean, activities, spec, levels, patterns, omissions, survey)
    idx, res_count, count, takes = indices(clean, activities, spec, levels, patterns, omissions, survey)
    left_out = set(
        per.loc[(per["mo_hinh"] == "thu_bac_muc_do") & per["tinh_trang"].map(not_estimated), "hoat_dong"]
    )
    brant = brant_all(clean, activities, spec, levels, patterns, left_out)
    fitted = per[~per["tinh_trang"].map(not_estimated)]
    fitted_models = set(zip(fitted["mo_hinh"], fitted["hoat_dong"], strict=True))
    summary |= {
        "kr20_tham_gia": _alpha(takes),
        "alpha_muc_do_du": _alpha(levels_wide[complete]) if complete.sum() > 2 else None,
        "so_nguoi_du_moi_muc_do": int(complete.sum()),
        "khong_hoi_tu": fitted.loc[~fitted["hoi_tu"].astype(bool), ["mo_hinh", "hoat_dong", "tinh_trang"]]
        .drop_duplicates()
        .to_dict("records"),
        "gop_muc_thua": sorted(
            set(
                fitted.loc[
                    fitted["tinh_trang"].astype(str).str.contains("đã gộp mức", regex=False), "hoat_dong"
                ]
            )
        ),
        # per-activity models with a level few chose (overall or in many groups): the rule's
        # log has the cells; the models' statuses do not carry it (see activities._fit_one)
        "it_truong_hop": [t for t in omissions.thin if (t["mo_hinh"], t["hoat_dong"]) in fitted_models],
    }
    if has_tenure:
        pred = predictions(clean, activities, spec, levels, res_count, patterns, omissions, survey)
    elif tenure_dropped:
        pred = _empty_tables(spec, levels)["predictions"]
        reason = f"biến {tenure_dropped} đã bị bỏ khỏi mô hình, nên không có dự đoán theo biến này"
        omissions.model("du_doan_ty_le_tham_gia", "tất cả", reason)
        omissions.model("du_doan_ty_le_muc_cao", "tất cả", reason)
    else:
        pred = pd.DataFrame()  # tenure is no covariate: no predictions (plan.has_predictions)
    if omissions.models:
        summary["khong_uoc_luong"] = omissions.models
    if omissions.changes:
        summary["dieu_chinh_mo_hinh"] = omissions.changes
    every_model = {(m, a) for m in PER_ACTIVITY for a in activities} | {(m, "tất cả") for m in OVERALL}
    if every_model <= {(o["mo_hinh"], o["hoat_dong"]) for o in omissions.models}:
        summary["bo_phan_tich"] = _nothing_fitted_reason(omissions.models, takes)
    return {
        "per_activity": per,
        "pooled": pd.concat([pool, idx], ignore_index=True),
        "brant": brant,
        "bivariate": bivariate(clean, activities, spec.roles),
        "predictions": pred,
        "summary": summary,
    }


def book_levels_for(spec: ModelSpec, book) -> dict[str, list[str]]:
    """The codebook's levels of the categorical covariates and of the prediction grid's roles."""
    return {
        name: book[name].values
        for name in {c.name for c in spec.covariates if c.type == "category"}
        | {book.role(r) for r in ("gender", "admin_level") if book.role(r)}
    }


def fit_stage(
    clean: pd.DataFrame, spec: ModelSpec, book_levels: dict[str, list[str]], activities: Block, survey=None
) -> dict:
    """The stage without its files: adapt the specification to the data (``fit_to_data``), then
    every model and check (``run_all``); the summary says what was adapted or left out."""
    with one_blas_thread():  # the same digits under Snakemake or not (see threads)
        return _fit_stage(clean, spec, book_levels, activities, survey)


def _fit_stage(clean, spec, book_levels, activities, survey=None) -> dict:
    adapted, levels, notes = fit_to_data(spec, clean, book_levels)
    for note in notes:
        log.warning(note)
    kept = {c.name for c in adapted.covariates}
    tenure = next(
        (c for c in spec.covariates if c.name == spec.roles.get("tenure") and c.name not in kept), None
    )
    dropped = tenure.label if tenure else None
    result = run_all(clean, adapted, levels, activities, tenure_dropped=dropped, survey=survey)
    if survey is not None:  # which models are design-based (report: methods)
        result["summary"]["theo_thiet_ke"] = [*PER_ACTIVITY, *OVERALL, "du_doan_ty_le_muc_cao"]
    result["summary"]["dieu_chinh_dac_ta"] = notes
    for key in ("bo_phan_tich",):
        if key in result["summary"]:
            log.warning("không ước lượng mô hình: %s", result["summary"][key])
    for o in result["summary"].get("khong_uoc_luong", []):
        log.warning("%s (%s): %s: %s", o["mo_hinh"], o["hoat_dong"], NOT_ESTIMATED, o["ly_do"])
    return result


def write_stage(
    clean_path, codebook_path, model_cfg: dict, out: dict, min_published: int = 5, weighting=None
) -> None:
    """Rule fit_models. ``min_published`` (report.min_cell): a bivariate test on fewer people is
    not published, since its size would be a count the disclosure stage may hide."""
    clean = pd.read_parquet(clean_path)
    full = load_codebook(codebook_path)  # without the optional questions the data lack
    book = without(full, absent_from(full, clean.columns))
    labels = {v.name: v.label for v in book.variables}
    spec = spec_from_config(model_cfg, labels, book.roles)
    acts = book.activities
    outcomes = [*acts.takes.values(), *acts.level.values()] if acts is not None else []
    names = [c.name for c in spec.covariates] + outcomes
    # item non-response on a model's variable: the respondent leaves the models, counted
    clean, gaps, note = model_sample(clean, names, labels, book.missing_classes)
    survey = None  # the sampling design, of the model sample (design/stage.py)
    if declared(book, weighting):
        from ..design import stage as design_stage  # scipy.stats: only a run with a design

        survey = design_stage.build(clean.reset_index(drop=True), book, weighting, str(clean_path)).design
    result = fit_stage(clean, spec, book_levels_for(spec, book), acts, survey)
    if gaps:
        result["summary"]["bo_khong_tra_loi"] = gaps
        result["summary"]["dieu_chinh_dac_ta"].insert(0, note)
    tests = result["bivariate"]
    small = tests["n"] < min_published
    for row in tests[small].itertuples(index=False):
        log.info(
            "kiểm định %s (%s) không công bố: dưới %d người", row.kiem_dinh, row.hoat_dong, min_published
        )
    result["bivariate"] = tests[~small].reset_index(drop=True)
    for key in ("per_activity", "pooled", "brant", "bivariate", "predictions"):
        if key not in out:
            continue  # predictions: only when tenure is a covariate (plan.has_predictions)
        write_csv(result[key], out[key], float_format="%.10g")
    # whole or not at all (chinhquyenso.atomic); the same bytes as json.dump
    atomic.write_text(
        out["summary"], json.dumps(result["summary"], ensure_ascii=False, indent=1, sort_keys=True)
    )
