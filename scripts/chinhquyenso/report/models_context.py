"""Context of the models section and appendix D: tables, interpretation sentences, diagnostics."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pandas as pd

from ..models import MODEL_NAMES, is_slope, not_estimated
from ..vn_format import number
from .render import image_src

MODEL_COLUMNS = {
    "gop_logit_tham_gia": "Tham gia trực tiếp (logit gộp)",
    "gop_thu_bac_muc_do": "Mức độ tham gia (thứ bậc gộp)",
    "chi_so_so_hoat_dong": "Số hoạt động tham gia (GLM nhị thức)",
    "chi_so_muc_do_tb": "Mức độ trung bình (OLS, hệ số)",
}


def _or_text(row, ratio: bool = True) -> str:
    est = row["or_"] if ratio else row["he_so"]
    low, high = (number(Decimal(str(row[c])), 2) for c in ("ci_thap", "ci_cao"))
    return f"{number(Decimal(str(est)), 2)} ({low}–{high})"


def _p_text(p: float) -> str:
    return "< 0,001" if p < 0.001 else number(Decimal(str(p)), 3)


def size_word(odds_ratio: float) -> str:
    """Stated rule for the size of an odds ratio (symmetric on the log scale)."""
    r = max(odds_ratio, 1 / odds_ratio)
    return "rất nhỏ" if r < 1.25 else "nhỏ" if r < 1.5 else "vừa" if r < 2.5 else "lớn"


def interpret(row, alpha: float, outcome: str, labels: dict[str, str]) -> str:
    """One sentence from the numbers: direction, size, significance."""
    or_ = float(row["or_"])
    direction = "cao hơn" if or_ > 1 else "thấp hơn"
    if is_slope(row):
        who = f"{str(row['nhan']).capitalize()} {labels.get(row['bien'], row['bien']).lower()} thêm"
        subject = f"đi kèm khả năng {outcome} {direction}"
    else:
        who = f"Nhóm {row['nhan']}"
        subject = f"có khả năng {outcome} {direction} so với nhóm {row['tham_chieu']}"
    sig = "có ý nghĩa thống kê" if float(row["p"]) < alpha else "không có ý nghĩa thống kê"
    p_text = _p_text(float(row["p"]))
    p_text = p_text if p_text.startswith("<") else f"= {p_text}"
    return (
        f"{who} {subject} (OR = {number(Decimal(str(or_)), 2)}; p {p_text}); "
        f"mức chênh {size_word(or_)}, {sig} ở mức {number(Decimal(str(alpha * 100)), 0)}%."
    )


METHOD_WORDS = {
    "fdr_bh": "Benjamini–Hochberg",
    "bonferroni": "Bonferroni",
    "holm": "Holm",
    "fdr_by": "Benjamini–Yekutieli",
    "none": "không hiệu chỉnh",
}


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " và " + words[-1] if words else ""


def _bivariate_name(test: str, labels: dict[str, str]) -> str:
    """'chi2_<var>_tham_gia' -> 'χ² giới tính × tham gia' (models.bivariate names its tests)."""
    kind, _, rest = test.partition("_")
    var = rest.rsplit("_", 2)[0]  # every test name ends in a two-word outcome
    label = labels.get(var, var).lower()
    return {
        "chi2": f"χ² {label} × tham gia",
        "kruskal": f"Kruskal–Wallis mức độ theo {label}",
        "spearman": f"Spearman {label} × mức độ",
    }.get(kind, test)


def _readable_groups(status: str, labels: dict[str, str]) -> str:
    """'cap_hanh_chinh=Tỉnh/thành phố' -> 'Cấp hành chính: Tỉnh/thành phố' in a model's status."""
    for name in sorted(labels, key=len, reverse=True):
        status = status.replace(f"{name}=", f"{labels[name]}: ")
    return status


def _join_roles(roles: dict[str, str], labels: dict[str, str]) -> str:
    """The dimensions of the prediction chart: 'thâm niên, giới tính và cấp hành chính'."""
    return _join(
        [labels.get(roles[r], roles[r]).lower() for r in ("tenure", "gender", "admin_level") if roles.get(r)]
    )


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]


def _fallback(model: str, fitted, omitted: dict[str, str]) -> list[str]:
    """The sentence a result paragraph (and the conclusion) prints when a pooled model gives no
    interpretation: left out, and why; or no analysed covariate left in it."""
    name = MODEL_NAMES[model]
    if model in omitted:
        return [f"Không ước lượng được {name}: {omitted[model]}."]
    if fitted[fitted["mo_hinh"] == model].empty:
        return []
    return [f"{_first_upper(name)} không còn biến phân tích nào có từ hai mức trở lên trong mẫu của mô hình."]


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


def models_context(
    *,
    per,
    pooled,
    brant,
    bivariate,
    summary,
    figures: dict[str, Path],
    illustrative: bool,
    focal: list[str],
    labels: dict[str, str],
    roles: dict[str, str],
) -> dict:
    """``focal``: the covariates the report interprets (config models.focal; the others are
    controls); ``labels``: variable -> short label; ``roles``: the codebook's roles.

    What the data could not support (``models.estimable``) is said, never shown as numbers:
    ``bo_phan_tich``, why the whole modelling part is left out (the section keeps its
    descriptive table and chart); ``bo_mo_hinh``, the models left out; a table or chart with
    nothing estimated is left out. A model that was estimated is reported as it always was."""
    alpha = 1 - float(summary["do_tin_cay"])
    whole = summary.get("bo_phan_tich")
    left_out = summary.get("khong_uoc_luong", [])
    omitted = {o["mo_hinh"]: o["ly_do"] for o in left_out if o["hoat_dong"] == "tất cả"}
    per = per[~per["tinh_trang"].map(not_estimated).astype(bool)]
    pooled = pooled[~pooled["tinh_trang"].map(not_estimated).astype(bool)]
    rows = []
    for t in _term_rows(pooled):
        label = (
            f"{labels.get(t['bien'], t['bien'])} ({t['nhan']})"
            if is_slope(t)
            else f"{t['nhan']} (tham chiếu: {t['tham_chieu']})"
        )
        cells = []
        for model in MODEL_COLUMNS:
            hit = pooled[(pooled["mo_hinh"] == model) & (pooled["so_hang"] == t["so_hang"])]
            if hit.empty:
                cells.append({"est": "–", "p": ""})
                continue
            r = hit.iloc[0]
            cells.append({"est": _or_text(r, ratio=model != "chi_so_muc_do_tb"), "p": _p_text(float(r["p"]))})
        rows.append({"nhan": label, "cells": cells, "kiem_soat": t["bien"] not in focal})
    focal_rows = pooled[pooled["bien"].isin(focal)]
    sentences = {
        "tham_gia": [
            interpret(r, alpha, "trực tiếp tham gia", labels)
            for _, r in focal_rows[focal_rows["mo_hinh"] == "gop_logit_tham_gia"].iterrows()
        ],
        "muc_do": [
            interpret(r, alpha, "tự đánh giá mức độ tham gia", labels)
            for _, r in focal_rows[focal_rows["mo_hinh"] == "gop_thu_bac_muc_do"].iterrows()
        ],
    }
    if whole:  # the conclusion quotes the last sentence of "tham_gia": it says why there is none
        sentences = {"tham_gia": [f"Dữ liệu không đủ để ước lượng mô hình: {whole}."], "muc_do": []}
    else:
        for key, model in (("tham_gia", "gop_logit_tham_gia"), ("muc_do", "gop_thu_bac_muc_do")):
            sentences[key] = sentences[key] or _fallback(model, pooled, omitted)
        sentences["tham_gia"] = sentences["tham_gia"] or [
            "Mô hình gộp về việc trực tiếp tham gia không còn biến phân tích nào."
        ]
    counts = []
    for (model, _term), part in per[per["bien"].isin(focal)].groupby(["mo_hinh", "so_hang"], sort=False):
        sig = part[part["p_hieu_chinh"] < alpha]
        counts.append(
            {
                "mo_hinh": "tham gia" if model == "logit_tham_gia" else "mức độ",
                "nhan": f"{labels.get(part['bien'].iloc[0], '').lower()} ({part['nhan'].iloc[0]})"
                if is_slope(part.iloc[0])
                else f"{part['nhan'].iloc[0]} so với {part['tham_chieu'].iloc[0]}",
                "cao": number(int((sig["or_"] > 1).sum())),
                "thap": number(int((sig["or_"] < 1).sum())),
            }
        )
    counts.sort(key=lambda c: c["mo_hinh"] != "tham gia")  # taking part first, as in the models' order
    overall = brant[brant["so_hang"] == "tổng thể"]
    tested = overall[overall["chi2"].notna()]
    flagged = per[per["tinh_trang"].astype(str) != "ổn"].drop_duplicates(["mo_hinh", "hoat_dong"])
    bv = bivariate.groupby("kiem_dinh", sort=False)["p"]
    sizes = []  # rows and clusters of each model: the pooled SEs rest on respondents, not rows
    for model, title in MODEL_COLUMNS.items():
        hit = pooled[pooled["mo_hinh"] == model]
        if hit.empty:
            continue
        n, clusters = int(hit["n"].iloc[0]), int(hit["so_cum"].iloc[0]) if "so_cum" in hit else None
        rows_text = f"{number(n)} lượt (người × hoạt động) của " if clusters not in (None, n) else ""
        sizes.append(f"{title.split(' (')[0].lower()}: {rows_text}{number(clusters or n)} người")
    per_left = [o for o in left_out if o["hoat_dong"] != "tất cả"]
    dropped = [f"{MODEL_NAMES[m]}: {r}" for m, r in omitted.items() if m in MODEL_COLUMNS]
    forecasts = [m for m in ("du_doan_ty_le_tham_gia", "du_doan_ty_le_muc_cao") if m in omitted]
    if len(forecasts) == 2 and omitted[forecasts[0]] == omitted[forecasts[1]]:
        dropped.append(f"dự đoán theo {_join_roles(roles, labels)}: {omitted[forecasts[0]]}")
    else:
        dropped += [f"{MODEL_NAMES[m]}: {omitted[m]}" for m in forecasts]
    changes = summary.get("dieu_chinh_mo_hinh", [])
    predictions_left = {"du_doan_ty_le_tham_gia", "du_doan_ty_le_muc_cao"} <= set(omitted)
    forest = (
        per[per["mo_hinh"] == "logit_tham_gia"]["bien"].isin(focal).any()
        or pooled[pooled["mo_hinh"] == "gop_logit_tham_gia"]["bien"].isin(focal).any()
    )
    return {
        "bo_phan_tich": whole,
        "bo_mo_hinh": dropped,  # the overall models and predictions left out, with the reason
        "so_rieng_bo": number(len(per_left)),  # per-activity models left out (listed in the appendix)
        "khong_uoc_luong": [
            {
                "hoat_dong": o["hoat_dong"],
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
        "bang": rows,
        "co_gach": any(c["est"] == "–" for r in rows for c in r["cells"]),  # a term without estimate
        "co_mau": "; ".join(sizes),
        "cot": list(MODEL_COLUMNS.values()),
        "cau": sentences,
        "dem": counts,
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
        "brant_bac_bo": number(int((tested["p"] < alpha).sum())),
        "brant_o_thua": number(int((tested["canh_bao"].fillna("") != "").sum())),
        "brant_so": number(len(tested)),
        "brant_du": len(tested) == len(summary["hoat_dong"]),
        "so_mo_hinh_canh_bao": number(len(flagged)),
        "khong_hoi_tu": number(len(summary["khong_hoi_tu"])),
        "hai_bien": [
            {"ten": _bivariate_name(k, labels), "so": number(int((p < alpha).sum())), "tong": number(len(p))}
            for k, p in bv
        ],
        "muc_y_nghia": number(Decimal(str(alpha * 100)), 0),
        "do_tin_cay": number(Decimal(str(summary["do_tin_cay"] * 100)), 0),
        "hieu_chinh": METHOD_WORDS[summary["hieu_chinh_p"]],
        "dieu_chinh": summary.get("dieu_chinh_dac_ta", []),
        "gop_muc": number(len(summary.get("gop_muc_thua", []))),
        "bien": [c["nhan"] for c in summary["bien_doc_lap"] if c["ten"] in focal],
        "kiem_soat": [
            labels.get(c["ten"], c["nhan"]) for c in summary["bien_doc_lap"] if c["ten"] not in focal
        ],
        "tieu_de": _join([labels.get(f, f).lower() for f in focal]),
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
                "hoat_dong": r["hoat_dong"],
                "mo_hinh": "logit tham gia" if r["mo_hinh"] == "logit_tham_gia" else "thứ bậc mức độ",
                "tinh_trang": _readable_groups(str(r["tinh_trang"]), labels),
            }
            for _, r in flagged.iterrows()
        ],
        "brant": [
            {
                "hoat_dong": r["hoat_dong"],
                "chi2": number(Decimal(str(r["chi2"])), 1) if pd.notna(r["chi2"]) else "–",
                "df": int(r["bac_tu_do"]) if pd.notna(r["bac_tu_do"]) else "",
                "p": _p_text(float(r["p"])) if pd.notna(r["p"]) else "",
                "canh_bao": r["canh_bao"] if isinstance(r["canh_bao"], str) else "",
            }
            for _, r in overall.iterrows()
        ],
    }
