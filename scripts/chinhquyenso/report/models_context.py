"""Context of the models section and appendix D: tables, interpretation sentences, diagnostics."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from ..models import is_slope
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
    controls); ``labels``: variable -> short label; ``roles``: the codebook's roles."""
    alpha = 1 - float(summary["do_tin_cay"])
    terms = pooled[pooled["mo_hinh"] == "gop_logit_tham_gia"][["so_hang", "bien", "nhan", "tham_chieu"]]
    rows = []
    for _, t in terms.iterrows():
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
    overall = brant[brant["so_hang"] == "tổng thể"]
    flagged = per[per["tinh_trang"].astype(str) != "ổn"].drop_duplicates(["mo_hinh", "hoat_dong"])
    bv = bivariate.groupby("kiem_dinh", sort=False)["p"].apply(lambda p: int((p < alpha).sum()))
    sizes = []  # rows and clusters of each model: the pooled SEs rest on respondents, not rows
    for model, title in MODEL_COLUMNS.items():
        hit = pooled[pooled["mo_hinh"] == model]
        if hit.empty:
            continue
        n, clusters = int(hit["n"].iloc[0]), int(hit["so_cum"].iloc[0]) if "so_cum" in hit else None
        rows_text = f"{number(n)} lượt (người × hoạt động) của " if clusters not in (None, n) else ""
        sizes.append(f"{title.split(' (')[0].lower()}: {rows_text}{number(clusters or n)} người")
    return {
        "bang": rows,
        "co_mau": "; ".join(sizes),
        "cot": list(MODEL_COLUMNS.values()),
        "cau": sentences,
        "dem": counts,
        "kr20": number(Decimal(str(summary["kr20_tham_gia"])), 2),
        "alpha_muc_do": (
            number(Decimal(str(summary["alpha_muc_do_du"])), 2)
            if summary["alpha_muc_do_du"] is not None
            else None
        ),
        "n_du": number(summary["so_nguoi_du_moi_muc_do"]),
        "brant_bac_bo": number(int((overall["p"] < alpha).sum())),
        "brant_o_thua": number(int((overall["canh_bao"].fillna("") != "").sum())),
        "so_mo_hinh_canh_bao": number(len(flagged)),
        "khong_hoi_tu": number(len(summary["khong_hoi_tu"])),
        "hai_bien": [{"ten": _bivariate_name(k, labels), "so": number(int(v))} for k, v in bv.items()],
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
        "chieu_du_doan": _join(
            [
                labels.get(roles[r], roles[r]).lower()
                for r in ("tenure", "gender", "admin_level")
                if roles.get(r)
            ]
        ),
        "bieu_do_or": image_src(figures["forest"]),
        "bieu_do_du_doan": image_src(figures["predictions"]) if figures.get("predictions") else None,
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
                "chi2": number(Decimal(str(r["chi2"])), 1),
                "df": int(r["bac_tu_do"]),
                "p": _p_text(float(r["p"])),
                "canh_bao": r["canh_bao"] if isinstance(r["canh_bao"], str) else "",
            }
            for _, r in overall.iterrows()
        ],
    }
