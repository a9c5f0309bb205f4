"""Context of the models section and appendix D: tables, interpretation sentences, diagnostics."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from ..models import MODEL_NAMES, is_slope, not_estimated
from ..models.effects import with_value_labels
from ..vn_format import number
from .models_checks import BRANT_COVARIANCE, bivariate_sentence, brant_rows, brant_sentence, warnings_sentence
from .models_effects import effect_groups, method_sentence, per_activity_counts, where_it_holds
from .models_text import (
    EFFECTS,
    comparison,
    conclusion,
    outcomes,
    p_text,
    ratio,
    result_sentences,
    share,
    unit,
)
from .render import image_src
from .vn_text import first_lower, first_upper, join

MODEL_COLUMNS = {
    "gop_logit_tham_gia": "Tham gia trực tiếp (logit gộp)",
    "gop_thu_bac_muc_do": "Mức độ tham gia (thứ bậc gộp)",
    "chi_so_so_hoat_dong": "Số hoạt động tham gia (GLM nhị thức)",
    "chi_so_muc_do_tb": "Mức độ trung bình (OLS, hệ số)",
}


def _or_text(row, as_ratio: bool = True) -> str:
    est = ratio(row["or_"]) if as_ratio else number(Decimal(str(row["he_so"])), 2)
    if as_ratio:
        low, high = ratio(row["ci_thap"]), ratio(row["ci_cao"])
    else:  # signed bounds: "đến", since a dash between "−0,13" and "0,09" reads as a range sign
        low, high = (number(Decimal(str(row[c])), 2) for c in ("ci_thap", "ci_cao"))
        return f"{est} ({low} đến {high})"
    return f"{est} ({low}–{high})"


METHOD_WORDS = {
    "fdr_bh": "Benjamini–Hochberg",
    "bonferroni": "Bonferroni",
    "holm": "Holm",
    "fdr_by": "Benjamini–Yekutieli",
    "none": "không hiệu chỉnh",
}


def _bivariate_name(test: str, labels: dict[str, str]) -> str:
    """'chi2_<var>_tham_gia' -> 'kiểm định χ² giữa giới tính và việc tham gia' (models.bivariate
    names its tests); said in words, not as "giới tính × tham gia", for a reader of the body text."""
    kind, _, rest = test.partition("_")
    var = rest.rsplit("_", 2)[0]  # every test name ends in a two-word outcome
    label = labels.get(var, var).lower()
    return {
        "chi2": f"kiểm định χ² giữa {label} và việc tham gia",
        "kruskal": f"kiểm định Kruskal–Wallis so sánh mức độ theo {label}",
        "spearman": f"tương quan hạng Spearman giữa {label} và mức độ",
    }.get(kind, test)


def _readable_groups(status: str, labels: dict[str, str]) -> str:
    """'cap_hanh_chinh=Tỉnh/thành phố' -> 'Cấp hành chính: Tỉnh/thành phố' in a model's status."""
    for name in sorted(labels, key=len, reverse=True):
        status = status.replace(f"{name}=", f"{labels[name]}: ")
    return status


def _join_roles(roles: dict[str, str], labels: dict[str, str]) -> str:
    """The dimensions of the prediction chart: 'thâm niên, giới tính và cấp hành chính'."""
    return join(
        [labels.get(roles[r], roles[r]).lower() for r in ("tenure", "gender", "admin_level") if roles.get(r)]
    )


def _fallback(model: str, fitted, omitted: dict[str, str]) -> list[str]:
    """The sentence a result paragraph (and the conclusion) prints when a pooled model gives no
    interpretation: left out, and why; or no analysed covariate left in it."""
    name = MODEL_NAMES[model]
    if model in omitted:
        return [f"Không ước lượng được {name}: {omitted[model]}."]
    if fitted[fitted["mo_hinh"] == model].empty:
        return []
    return [f"{first_upper(name)} không còn biến phân tích nào có từ hai mức trở lên trong mẫu của mô hình."]


def _term_rows(pooled) -> list:
    """The terms of the pooled and index models, in the order of the first model that has them
    (the pooled logit first: every term when it was estimated)."""
    seen, out = set(), []
    for model in MODEL_COLUMNS:
        for _, t in pooled[pooled["mo_hinh"] == model].iterrows():
            if t["so_hang"] not in seen:
                seen.add(t["so_hang"])
                out.append(t)
    return out


def _references(pooled, labels: dict[str, str], skip: tuple[str, ...] = ()) -> str:
    """The reference group of each categorical covariate (but ``skip``), for a table's note."""
    refs = {}
    for t in _term_rows(pooled):
        if not is_slope(t) and t["bien"] not in skip:
            refs.setdefault(t["bien"], t["tham_chieu"])
    return "; ".join(f"{labels.get(v, v).lower()}: {ref}" for v, ref in refs.items())


def _controls(summary: dict, pooled, focal: list[str], labels: dict[str, str]) -> list[str]:
    """The control covariates by name, a categorical one with its groups (the province variable
    and an administrative level may share a word)."""
    out = []
    for c in summary["bien_doc_lap"]:
        if c["ten"] in focal:
            continue
        rows = [t for t in _term_rows(pooled) if t["bien"] == c["ten"]]
        groups = [rows[0]["tham_chieu"], *(t["nhan"] for t in rows)] if rows and not is_slope(rows[0]) else []
        name = first_lower(c["nhan"] or labels.get(c["ten"], c["ten"]))  # mid-sentence; groups as written
        out.append(f"{name} ({join(groups)})" if groups else name)
    return out


def _pooled_table(pooled, focal: list[str], labels: dict[str, str]) -> list[dict]:
    """Rows of the pooled and index models' table: every term, its estimate in each model
    (the reference groups are in the table's note)."""
    rows = []
    for t in _term_rows(pooled):
        label = f"{labels.get(t['bien'], t['bien'])} ({t['nhan']})" if is_slope(t) else t["nhan"]
        cells = []
        for model in MODEL_COLUMNS:
            hit = pooled[(pooled["mo_hinh"] == model) & (pooled["so_hang"] == t["so_hang"])]
            if hit.empty:
                cells.append({"est": "–", "p": ""})
                continue
            r = hit.iloc[0]
            cells.append({"est": _or_text(r, model != "chi_so_muc_do_tb"), "p": p_text(float(r["p"]))})
        rows.append({"nhan": label, "cells": cells, "kiem_soat": t["bien"] not in focal})
    return rows


def _alt_odds(effects, labels: dict[str, str]) -> str:
    """The forest chart's key numbers for its alt text: the pooled odds ratios of taking part."""
    part = effects[effects["mo_hinh"] == "gop_logit_tham_gia"]
    return "; ".join(f"{comparison(r, labels)} OR {ratio(r['or_'])}" for _, r in part.iterrows())


def _alt_predictions(effects, outs, labels: dict[str, str]) -> str:
    """The prediction chart's key numbers for its alt text: each slope's shares at both ends."""
    said = []
    for _, r in effects[effects["ty_le_tu"].notna()].iterrows():
        if is_slope(r):
            what = outs[r["mo_hinh"]].short
            low = f"{share(r['ty_le_tu'])}% ({r['tu']} {unit(r)})"
            said.append(f"{what} từ {low} đến {share(r['ty_le_den'])}% ({r['den']} {unit(r)})")
    return "; ".join(said)


def _sizes(pooled) -> str:
    """Rows and clusters of each model: the pooled SEs rest on respondents, not rows."""
    sizes = []
    for model, title in MODEL_COLUMNS.items():
        hit = pooled[pooled["mo_hinh"] == model]
        if hit.empty:
            continue
        n, clusters = int(hit["n"].iloc[0]), int(hit["so_cum"].iloc[0]) if "so_cum" in hit else None
        rows_text = f"{number(n)} lượt (người × hoạt động) của " if clusters not in (None, n) else ""
        sizes.append(f"{title.split(' (')[0].lower()}: {rows_text}{number(clusters or n)} người")
    return "; ".join(sizes)


def _left_out(summary: dict, roles: dict, labels: dict) -> tuple[dict, list[str]]:
    """The overall models and predictions left out, with the reason."""
    left_out = summary.get("khong_uoc_luong", [])
    omitted = {o["mo_hinh"]: o["ly_do"] for o in left_out if o["hoat_dong"] == "tất cả"}
    dropped = [f"{MODEL_NAMES[m]}: {r}" for m, r in omitted.items() if m in MODEL_COLUMNS]
    forecasts = [m for m in ("du_doan_ty_le_tham_gia", "du_doan_ty_le_muc_cao") if m in omitted]
    if len(forecasts) == 2 and omitted[forecasts[0]] == omitted[forecasts[1]]:
        dropped.append(f"dự đoán theo {_join_roles(roles, labels)}: {omitted[forecasts[0]]}")
    else:
        dropped += [f"{MODEL_NAMES[m]}: {omitted[m]}" for m in forecasts]
    return omitted, dropped


def _sentences(effects, pooled, omitted, whole, outs, labels, alpha_pct, confidence) -> dict:
    """The results paragraphs: from the effects table, or why there is nothing to say."""
    if whole:  # the conclusion quotes the last sentence of "tham_gia": it says why there is none
        return {"tham_gia": [f"Dữ liệu không đủ để ước lượng mô hình: {whole}."], "muc_do": []}
    leads = {
        "tham_gia": "Về việc trực tiếp tham gia, ",
        "muc_do": "Về mức độ tham gia của những người có tham gia, ",
    }
    sentences = {
        key: result_sentences(
            effects, model, outs[model], labels, alpha_pct, confidence, leads[key], again=key == "muc_do"
        )
        or _fallback(model, pooled, omitted)
        for key, model in (("tham_gia", "gop_logit_tham_gia"), ("muc_do", "gop_thu_bac_muc_do"))
    }
    sentences["tham_gia"] = sentences["tham_gia"] or [
        "Mô hình gộp về việc trực tiếp tham gia không còn biến phân tích nào."
    ]
    return sentences


def models_context(
    *,
    per,
    pooled,
    brant,
    bivariate,
    summary,
    effects,
    figures: dict[str, Path],
    illustrative: bool,
    focal: list[str],
    labels: dict[str, str],
    roles: dict[str, str],
    high_label: str,
    effect_points: list[float],
    activity_names: dict[str, str] | None = None,
    value_labels: dict[str, dict] | None = None,
) -> dict:
    """``focal``: the covariates the report interprets (config models.focal; the others are
    controls); ``labels``: variable -> short label; ``roles``: the codebook's roles;
    ``effects``: results/models/do_lon_hieu_ung.csv; ``high_label``: the scale's high band;
    ``activity_names``: activity code -> label (the appendix's tables name activities);
    ``value_labels``: variable -> value -> the codebook's printed label of a group.

    What the data could not support (``models.estimable``) is said, never shown as numbers:
    ``bo_phan_tich``, why the whole modelling part is left out (the section keeps its
    descriptive table and chart); ``bo_mo_hinh``, the models left out; a table or chart with
    nothing estimated is left out. A model that was estimated is reported as it always was."""
    alpha = 1 - float(summary["do_tin_cay"])
    alpha_pct = number(Decimal(str(alpha * 100)), 0)
    confidence = number(Decimal(str(summary["do_tin_cay"] * 100)), 0)
    whole = summary.get("bo_phan_tich")
    left_out = summary.get("khong_uoc_luong", [])
    omitted, dropped = _left_out(summary, roles, labels)
    shown = value_labels or {}
    per = with_value_labels(per[~per["tinh_trang"].map(not_estimated).astype(bool)], shown)
    pooled = with_value_labels(pooled[~pooled["tinh_trang"].map(not_estimated).astype(bool)], shown)
    effects = with_value_labels(effects, shown)
    outs = outcomes(high_label)
    counts = per_activity_counts(per, focal, alpha, labels)
    flagged = per[per["tinh_trang"].astype(str) != "ổn"].drop_duplicates(["mo_hinh", "hoat_dong"])
    tests = [
        {"ten": _bivariate_name(k, labels), "so": int((p < alpha).sum()), "tong": len(p)}
        for k, p in bivariate.groupby("kiem_dinh", sort=False)["p"]
    ]
    per_left = [o for o in left_out if o["hoat_dong"] != "tất cả"]
    changes = summary.get("dieu_chinh_mo_hinh", [])
    predictions_left = {"du_doan_ty_le_tham_gia", "du_doan_ty_le_muc_cao"} <= set(omitted)
    forest = (
        per[per["mo_hinh"] == "logit_tham_gia"]["bien"].isin(focal).any()
        or pooled[pooled["mo_hinh"] == "gop_logit_tham_gia"]["bien"].isin(focal).any()
    )
    n_activities = len(summary["hoat_dong"])
    table = _pooled_table(pooled, focal, labels)
    names = activity_names or {}
    brant_table, brant_notes = brant_rows(brant, names)
    return {
        "bo_phan_tich": whole,
        "bo_mo_hinh": dropped,
        "so_rieng_bo": number(len(per_left)),  # per-activity models left out (listed in the appendix)
        "khong_uoc_luong": [
            {
                "hoat_dong": names.get(o["hoat_dong"], o["hoat_dong"]),
                "mo_hinh": MODEL_NAMES.get(o["mo_hinh"], o["mo_hinh"]),
                "ly_do": o["ly_do"],
            }
            for o in left_out
        ],
        "dieu_chinh_mo_hinh": [
            f"{MODEL_NAMES[c['mo_hinh']]}: {c['ghi_chu']}" for c in changes if c["hoat_dong"] == "tất cả"
        ],
        "so_rieng_dieu_chinh": number(
            len({(c["mo_hinh"], c["hoat_dong"]) for c in changes if c["hoat_dong"] != "tất cả"})
        ),
        "bang": table,
        "co_gach": any(c["est"] == "–" for r in table for c in r["cells"]),  # a term without estimate
        "co_mau": _sizes(pooled),
        "cot": list(MODEL_COLUMNS.values()),
        "cau": _sentences(effects, pooled, omitted, whole, outs, labels, alpha_pct, confidence),
        "ket_luan": []
        if whole
        else conclusion(effects, outs, labels, where_it_holds(counts, effects), focal),
        "hieu_ung": effect_groups(effects, labels, high_label) if not whole else [],
        "cach_danh_gia": method_sentence(effects, effect_points, labels, alpha_pct),
        "id_hieu_ung": EFFECTS,
        "alt_or": _alt_odds(effects, labels),
        "alt_du_doan": _alt_predictions(effects, outs, labels),
        "hieu_ung_ty_le": bool(effects["ty_le_tu"].notna().any()),  # predicted shares to show
        "hieu_ung_thieu": bool(effects["ty_le_tu"].isna().any()),  # a term without them ("–")
        "mo_hinh_du_doan": (
            "mô hình nhị thức của số hoạt động tham gia và mô hình nhị thức của số lượt tham gia "
            f"ở mức {high_label} trên số hoạt động tham gia"
        ),
        "dem": [{**c, "cao": number(c["cao"]), "thap": number(c["thap"])} for c in counts],
        "kr20": (
            number(Decimal(str(summary["kr20_tham_gia"])), 2)
            if summary["kr20_tham_gia"] is not None
            else None
        ),
        "alpha_muc_do": (
            number(Decimal(str(summary["alpha_muc_do_du"])), 2)
            if summary["alpha_muc_do_du"] is not None
            else None
        ),
        "n_du": number(summary["so_nguoi_du_moi_muc_do"]),
        "brant_cau": brant_sentence(brant, n_activities, alpha),
        "brant_hiep_phuong_sai": BRANT_COVARIANCE,
        "brant_so": number(int(brant.loc[brant["so_hang"] == "tổng thể", "chi2"].notna().sum())),
        "brant_du": bool(brant.loc[brant["so_hang"] == "tổng thể", "chi2"].notna().all()),
        "canh_bao_cau": warnings_sentence([str(s) for s in flagged["tinh_trang"]]),
        "hai_bien_cau": bivariate_sentence(tests, n_activities, alpha_pct),
        "muc_y_nghia": alpha_pct,
        "do_tin_cay": confidence,
        "hieu_chinh": METHOD_WORDS[summary["hieu_chinh_p"]],
        "dieu_chinh": summary.get("dieu_chinh_dac_ta", []),
        "gop_muc": number(len(summary.get("gop_muc_thua", []))),
        "bien": [
            first_lower(c["nhan"]) for c in summary["bien_doc_lap"] if c["ten"] in focal
        ],  # mid-sentence
        "kiem_soat": _controls(summary, pooled, focal, labels),
        "tham_chieu": _references(pooled, labels),
        # the prediction chart's lines are gender and level: the others held at their reference
        "tham_chieu_khac": _references(
            pooled, labels, tuple(roles[r] for r in ("gender", "admin_level") if roles.get(r))
        ),
        "tieu_de": join([labels.get(f, f).lower() for f in focal]),
        "chieu_du_doan": _join_roles(roles, labels),
        "bieu_do_or": image_src(figures["forest"]) if forest and not whole else None,
        # activities without a point in the forest chart: their logit left out
        "or_thieu": any(o["mo_hinh"] == "logit_tham_gia" for o in per_left),
        "bieu_do_du_doan": (
            image_src(figures["predictions"])
            if figures.get("predictions") and not whole and not predictions_left
            else None
        ),
        "minh_hoa": illustrative,
        "chan_doan": [
            {
                "hoat_dong": names.get(r["hoat_dong"], r["hoat_dong"]),
                "mo_hinh": "logit tham gia" if r["mo_hinh"] == "logit_tham_gia" else "thứ bậc mức độ",
                "tinh_trang": _readable_groups(str(r["tinh_trang"]), labels),
            }
            for _, r in flagged.iterrows()
        ],
        "brant": brant_table,
        "brant_chu_thich": brant_notes,
    }
