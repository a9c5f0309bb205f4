"""The effects table of the models section (Bảng "Độ lớn của các khác biệt") and what the text
says about where a pooled effect holds among the per-activity models."""

from __future__ import annotations

import pandas as pd
from markupsafe import Markup

from ..models.spec import is_slope
from ..vn_format import number
from .models_text import comparison, p_text, points, ratio, share, unit
from .vn_text import first_upper, quote

COUNTS = "theo_hoat_dong"  # the per-activity counts table's id (template and lint)
PER_ACTIVITY = {"gop_logit_tham_gia": "logit_tham_gia", "gop_thu_bac_muc_do": "thu_bac_muc_do"}


def effect_groups(effects: pd.DataFrame, labels: dict[str, str], high_label: str) -> list[dict]:
    """The effects table: one group of rows per pooled model, in the order of its terms."""
    titles = {
        "gop_logit_tham_gia": "Tham gia trực tiếp (tỷ lệ hoạt động tham gia)",
        "gop_thu_bac_muc_do": f"Mức độ tham gia (tỷ lệ lượt tham gia ở mức {high_label})",
    }
    groups = []
    for model, part in effects.groupby("mo_hinh", sort=False):
        groups.append(
            {"ten": titles.get(model, model), "dong": [_effect_row(r, labels) for _, r in part.iterrows()]}
        )
    return groups


def _effect_row(r, labels: dict[str, str]) -> dict:
    has_ends = pd.notna(r["ty_le_tu"]) and pd.notna(r["ty_le_den"])
    if is_slope(r):
        what = comparison(r, labels).split(" (")[0].capitalize()
        what = f"{what}: từ {r['tu']} đến {r['den']} {unit(r)}" if has_ends else f"{what} ({r['nhan']})"
    else:
        what = comparison(r, labels)
    return {
        "so_sanh": what,
        "or_": ratio(r["or_"]),
        "ktc": f"{ratio(r['ci_thap'])}–{ratio(r['ci_cao'])}",
        "p": p_text(float(r["p"])),
        "tu": share(r["ty_le_tu"]) if has_ends else "–",
        "den": share(r["ty_le_den"]) if has_ends else "–",
        "chenh": points(r["ty_le_tu"], r["ty_le_den"]).replace("-", "−") if has_ends else "–",
        "do_lon": r["do_lon"] if bool(r["co_y_nghia"]) else "không có ý nghĩa",
    }


def method_sentence(
    effects: pd.DataFrame, cutoffs: list[float], labels: dict[str, str], alpha_pct: str
) -> str:
    """How the size of an effect is judged, said once in the methods text."""
    a, b, c = (number(x, 0) if float(x).is_integer() else number(x, 1) for x in cutoffs)
    held = effects["giu_co_dinh"].dropna()
    held = held[held.astype(str) != ""]
    slope = effects[effects["nhan"].astype(str).str.startswith("mỗi ")]
    grid = ""
    if len(held) and len(slope):
        name = comparison(slope.iloc[0], labels).split(" (")[0]
        median = f"{number(float(held.iloc[0]), 0)} {unit(slope.iloc[0])}"
        grid = (
            f" Khi so sánh các nhóm, {name} được giữ ở trung vị của mẫu ({median});"
            f" với {name}, mức chênh tính từ giá trị nhỏ nhất đến lớn nhất quan sát được."
        )
    if effects["ty_le_tu"].notna().any():
        return (
            "Hướng và độ lớn chỉ được nêu cho khác biệt có ý nghĩa thống kê ở mức "
            f"{alpha_pct}%. Độ lớn được đánh giá trên thang tỷ lệ dự đoán từ các mô hình chỉ số (như ở "
            "biểu đồ tỷ lệ dự đoán), các biến khác ở nhóm tham chiếu: chênh lệch dưới "
            f"{a} điểm phần trăm là rất nhỏ, từ {a} đến dưới {b} là nhỏ, từ {b} đến dưới {c} là vừa, "
            f"từ {c} trở lên là lớn.{grid}"
        )
    return (
        "Hướng và độ lớn chỉ được nêu cho khác biệt có ý nghĩa thống kê ở mức "
        f"{alpha_pct}%; độ lớn theo max(OR, 1/OR): dưới 1,25 rất nhỏ, dưới 1,5 nhỏ, dưới 2,5 vừa, "
        "từ 2,5 trở lên lớn."
    )


def per_activity_counts(
    per: pd.DataFrame, focal: list[str], alpha: float, labels: dict[str, str]
) -> list[dict]:
    """Per model and term: how many activities show a significant difference after adjustment,
    each way (the per-activity counts table)."""
    counts = []
    for (model, term), part in per[per["bien"].isin(focal)].groupby(["mo_hinh", "so_hang"], sort=False):
        sig = part[part["p_hieu_chinh"] < alpha]
        first = part.iloc[0]
        counts.append(
            {
                "mo_hinh_goc": model,
                "so_hang": term,
                "mo_hinh": "Tham gia" if model == "logit_tham_gia" else "Mức độ",
                "nhan": first_upper(comparison(first, labels)),
                "cao": int((sig["or_"] > 1).sum()),
                "thap": int((sig["or_"] < 1).sum()),
                "so": int(part["or_"].notna().sum()),
            }
        )
    counts.sort(
        key=lambda c: c["mo_hinh_goc"] != "logit_tham_gia"
    )  # taking part first, as in the models' order
    return counts


def where_it_holds(counts: list[dict], effects: pd.DataFrame) -> dict[tuple[str, str], Markup]:
    """(pooled model, term) -> where the pooled effect holds among the per-activity models, in
    the direction of the pooled estimate."""
    out = {}
    for _, r in effects.iterrows():
        hit = [
            c
            for c in counts
            if c["mo_hinh_goc"] == PER_ACTIVITY.get(r["mo_hinh"]) and c["so_hang"] == r["so_hang"]
        ]
        if not hit or not hit[0]["so"]:
            continue
        n = hit[0]["cao"] if float(r["or_"]) > 1 else hit[0]["thap"]
        whole = hit[0]["so"]
        if n == 0:
            out[(r["mo_hinh"], r["so_hang"])] = Markup("không rõ ở hoạt động riêng nào sau hiệu chỉnh")
        elif n == whole:
            out[(r["mo_hinh"], r["so_hang"])] = Markup("rõ ở cả {} hoạt động khi ước lượng riêng").format(
                quote(number(n), COUNTS)
            )
        else:
            out[(r["mo_hinh"], r["so_hang"])] = Markup(
                "rõ ở {} trong {} hoạt động khi ước lượng riêng"
            ).format(quote(number(n), COUNTS), number(whole))
    return out
