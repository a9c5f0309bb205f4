"""The modelling stage (rule fit_models): every model and check, written as tidy CSV files and
a machine-readable summary."""

from __future__ import annotations

import json
import logging

import numpy as np
import pandas as pd

from ..codebook import Block, load_codebook
from ..safe_text import write_csv
from .activities import per_activity, pooled
from .checks import bivariate, brant_all, cronbach_alpha
from .indices import indices, predictions
from .spec import ModelSpec, covariate_patterns, fit_to_data, spec_from_config, wide_outcomes

log = logging.getLogger(__name__)


def run_all(clean: pd.DataFrame, spec: ModelSpec, levels: dict[str, list[str]], activities: Block) -> dict:
    """Every model and check; returns tidy frames and a machine-readable summary."""
    patterns = covariate_patterns(clean, spec, levels)  # once: every model is fitted on them
    per = per_activity(clean, activities, spec, levels, patterns)
    pool = pooled(clean, activities, spec, levels, patterns)
    idx, res_count, count, takes = indices(clean, activities, spec, levels, patterns)
    brant = brant_all(clean, activities, spec, levels, patterns)
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
        "kr20_tham_gia": cronbach_alpha(takes),
        "alpha_muc_do_du": cronbach_alpha(levels_wide[complete]) if complete.sum() > 2 else None,
        "so_nguoi_du_moi_muc_do": int(complete.sum()),
        "khong_hoi_tu": per.loc[~per["hoi_tu"].astype(bool), ["mo_hinh", "hoat_dong", "tinh_trang"]]
        .drop_duplicates()
        .to_dict("records"),
        "gop_muc_thua": sorted(
            set(per.loc[per["tinh_trang"].astype(str).str.contains("đã gộp mức", regex=False), "hoat_dong"])
        ),
        "it_truong_hop": per.loc[
            per["tinh_trang"].astype(str).str.contains("câu trả lời", regex=False), ["mo_hinh", "hoat_dong"]
        ]
        .drop_duplicates()
        .to_dict("records"),
    }
    return {
        "per_activity": per,
        "pooled": pd.concat([pool, idx], ignore_index=True),
        "brant": brant,
        "bivariate": bivariate(clean, activities, spec.roles),
        "predictions": (
            predictions(clean, activities, spec, levels, res_count, patterns)
            if spec.roles.get("tenure") in {c.name for c in spec.covariates}
            else pd.DataFrame()
        ),
        "summary": summary,
    }


def write_stage(clean_path, codebook_path, model_cfg: dict, out: dict) -> None:
    book = load_codebook(codebook_path)
    clean = pd.read_parquet(clean_path)
    labels = {v.name: v.label for v in book.variables}
    spec = spec_from_config(model_cfg, labels, book.roles)
    book_levels = {
        name: book[name].values
        for name in {c.name for c in spec.covariates if c.type == "category"}
        | {book.role(r) for r in ("gender", "admin_level") if book.role(r)}
    }
    spec, levels, notes = fit_to_data(spec, clean, book_levels)
    for note in notes:
        log.warning(note)
    result = run_all(clean, spec, levels, book.activities)
    result["summary"]["dieu_chinh_dac_ta"] = notes
    for key in ("per_activity", "pooled", "brant", "bivariate", "predictions"):
        if key not in out:
            continue  # predictions: only when tenure is a covariate (plan.has_predictions)
        write_csv(result[key], out[key], float_format="%.10g")
    with open(out["summary"], "w", encoding="utf-8") as fh:
        json.dump(result["summary"], fh, ensure_ascii=False, indent=1, sort_keys=True)
