"""What the report says of the sampling design (results/design/, rule survey_design): the
methods paragraph (the design's variables, strata, PSUs, lonely-PSU rule; how the weights were
built, from which totals, whether illustrative; their range, Kish's effective n and the design
effect due to weighting; which estimates are design-based) and the weighted shares table
(weighted %, its interval and design effect, the unweighted n beside it). Formatted the
Vietnamese way (vn_format)."""

from __future__ import annotations

import math

import pandas as pd

from ..codebook import Codebook
from ..design.stage import TOTAL
from ..vn_format import number

LONELY = {
    "fail": "không cho phép tầng chỉ có một đơn vị mẫu",
    "certainty": "tầng chỉ có một đơn vị mẫu được coi là lấy toàn bộ (không đóng góp phương sai)",
    "adjust": "đơn vị mẫu duy nhất của một tầng được so với trung bình chung",
}
METHOD = {
    "poststratify": "hậu phân tầng (post-stratification) theo bảng tổng thể chéo",
    "rake": "cào theo biên (raking) tới tổng thể của từng biến",
}


# The design-based models (results/models/tom_tat.json, theo_thiet_ke), as the methods text
# names them, and as the models section does.
DESIGN_MODELS = (
    (
        {"logit_tham_gia", "thu_bac_muc_do"},
        "các mô hình riêng từng hoạt động (logit tham gia, thứ bậc mức độ)",
        "các mô hình riêng từng hoạt động",
    ),
    (
        {"gop_logit_tham_gia", "gop_thu_bac_muc_do"},
        "hai mô hình gộp mọi hoạt động",
        "hai mô hình gộp mọi hoạt động",
    ),
    (
        {"chi_so_so_hoat_dong", "chi_so_muc_do_tb"},
        "hai mô hình chỉ số (số hoạt động tham gia, mức độ trung bình)",
        "hai mô hình chỉ số tổng hợp",
    ),
    (
        {"du_doan_ty_le_muc_cao"},
        "các dự đoán tỷ lệ tham gia và tỷ lệ ở mức cao",
        "mô hình tỷ lệ lượt tham gia ở mức cao dùng cho dự đoán",
    ),
)


def _fmt(value, decimals: int = 1) -> str:
    return (
        "" if value is None or (isinstance(value, float) and math.isnan(value)) else number(value, decimals)
    )


def _label(book: Codebook, name: str) -> str:
    return (book[name].short_label or book[name].label or name) if name in book else name


def _sentences(s: dict, book: Codebook, models=(), whole_sample: bool = True) -> list[str]:
    roles = s.get("bien") or {}
    out = []
    if roles.get("strata") or roles.get("psu"):
        parts = []
        if roles.get("strata"):
            parts.append(f"{number(s['so_tang'])} tầng theo «{_label(book, roles['strata'])}»")
        if roles.get("psu"):
            parts.append(f"{number(s['so_psu'])} đơn vị mẫu bậc một (PSU, «{_label(book, roles['psu'])}»)")
        fpc = f"; hiệu chỉnh tổng thể hữu hạn theo «{_label(book, roles['fpc'])}»" if roles.get("fpc") else ""
        out.append(f"Mẫu được chọn theo thiết kế gồm {' và '.join(parts)}{fpc}; {LONELY[s['lonely_psu']]}.")
    if s["trong_so"] in METHOD:
        cells = ", ".join(f"«{_label(book, v)}»" for v in s.get("hieu_chinh_theo") or [])
        base = (
            f"trọng số «{_label(book, roles['weight'])}» của dữ liệu"
            if roles.get("weight")
            else "trọng số bằng nhau"
        )
        note = (
            " Bảng tổng thể này là số liệu minh họa, không phải số liệu chính thức." if s["minh_hoa"] else ""
        )
        out.append(
            f"Trọng số được lập bằng {METHOD[s['trong_so']]} ({cells}), xuất phát từ {base}; "
            f"nguồn tổng thể: {s['nguon_tong_the'] or 'không ghi'}.{note}"
        )
    elif roles.get("weight"):
        out.append(f"Trọng số là biến «{_label(book, roles['weight'])}» của dữ liệu.")
    out.append(
        ("Trọng số" if whole_sample else "Trên toàn mẫu, trọng số")
        + f" từ {_fmt(s['trong_so_nho_nhat'], 2)} đến {_fmt(s['trong_so_lon_nhat'], 2)}; "
        f"cỡ mẫu hiệu dụng Kish {_fmt(s['n_hieu_dung_kish'])} trên {number(s['n'])} người trả lời, "
        f"hiệu ứng thiết kế do trọng số (1 + CV²) {_fmt(s['deff_trong_so'], 2)}."
    )
    fitted = [methods for needed, methods, _ in DESIGN_MODELS if needed <= set(models)]
    listed = (
        "các tỷ lệ có trọng số cùng sai số chuẩn (tuyến tính hóa Taylor), khoảng tin cậy (trên "
        "thang logit) và hiệu ứng thiết kế (deff) của bảng tỷ lệ có trọng số"
    )
    if fitted:
        listed += (
            "; " + "; ".join(fitted) + " (hợp lý giả có trọng số, phương sai tuyến tính hóa theo đơn "
            "vị mẫu và tầng, suy luận t theo bậc tự do của thiết kế)"
        )
    out.append(f"Các ước lượng theo thiết kế mẫu gồm: {listed}.")
    rest = "kiểm định Brant, kiểm định hai biến" if fitted else "các mô hình, kiểm định"
    unweighted = (
        f"Các bảng số đếm, các bảng tỷ lệ khác, {rest} và phần đối chiếu với số liệu đã công bố"
        if whole_sample
        else "Các bảng số đếm và các bảng tỷ lệ khác"
    )
    out.append(f"{unweighted} vẫn tính trên số người trả lời không trọng số.")
    return out


def _models_phrase(models: set) -> str:
    """The models fitted design-based, for the models section ("" when none)."""
    names = [short for needed, _, short in DESIGN_MODELS if needed <= models]
    if len(names) > 1:
        return ", ".join(names[:-1]) + " và " + names[-1]
    return "".join(names)


def design_context(
    summary: dict,
    shares: pd.DataFrame,
    means: pd.DataFrame,
    book: Codebook,
    confidence: float,
    models=(),
    domain=None,
) -> dict:
    """The report's ``thiet_ke``: the methods sentences and the weighted shares table;
    ``models``: the models fitted design-based (results/models/tom_tat.json, theo_thiet_ke);
    ``domain``: a province's report prints that province's shares (the whole sample's
    report, the whole sample's only: 34 provinces × every indicator would be a thousand rows)."""
    whole = shares[shares["tinh"] == (domain or TOTAL)] if len(shares) else shares
    mean_rows = [
        {
            "nhan": r.nhan,
            "n": number(int(r.n)),
            "tb": "(ẩn)" if r.an else _fmt(r.trung_binh, 2),
            "khoang": "" if r.an or pd.isna(r.can_duoi) else f"{_fmt(r.can_duoi, 2)}–{_fmt(r.can_tren, 2)}",
            "deff": "" if r.an else _fmt(r.deff, 2),
        }
        for r in means[means["tinh"] == (domain or TOTAL)].itertuples(index=False)
    ]
    rows = []
    for r in whole.itertuples(index=False):
        rows.append(
            {
                "nhan": r.nhan,
                "n": number(int(r.n)),
                "pct": "(ẩn)" if r.an else _fmt(r.ty_le),
                "khoang": "" if r.an or pd.isna(r.can_duoi) else f"{_fmt(r.can_duoi)}–{_fmt(r.can_tren)}",
                "deff": "" if r.an else _fmt(r.deff, 2),
            }
        )
    return {
        "cau": _sentences(summary, book, models, whole_sample=domain is None),
        "mo_hinh": _models_phrase(set(models)),
        "rows": rows,
        "trung_binh": mean_rows,
        "co_an_trung_binh": any(r["tb"] == "(ẩn)" for r in mean_rows),
        "co_an": bool(whole["an"].any()) if len(whole) else False,
        "muc_tin_cay": number(100 * confidence, 0),
        "minh_hoa": bool(summary.get("minh_hoa")),
    }
