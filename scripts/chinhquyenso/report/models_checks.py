"""What the report says about the checks beside the models: the Brant test of proportional
odds, the bivariate tests and the models with a warning, each summarised once."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from ..vn_format import number
from .models_text import p_text
from .vn_text import count, join

# The covariance of the stacked binary fits the Brant test uses (models.checks.brant_test).
BRANT_COVARIANCE = "ma trận hiệp phương sai theo mô hình của Brant (1990)"


def _untestable(overall: pd.DataFrame) -> pd.DataFrame:
    return overall[overall["chi2"].isna()]


def brant_sentence(brant: pd.DataFrame, n_activities: int, alpha: float) -> str:
    """How many activities the test could be done for, how many reject the assumption, and why
    the others could not be tested (one sentence; the reasons are listed in the appendix)."""
    overall = brant[brant["so_hang"] == "tổng thể"]
    tested = overall[overall["chi2"].notna()]
    rejected = int((tested["p"] < alpha).sum())
    lead = (
        "Giả định tỷ lệ chênh đồng nhất của các mô hình mức độ được kiểm tra bằng kiểm định Brant "
        "(so sánh hệ số của các hồi quy logistic nhị phân tại từng ngưỡng)"
    )
    if tested.empty:
        return f"{lead}, nhưng kiểm định không thực hiện được ở hoạt động nào."
    if rejected:
        verdict = f"giả định bị bác bỏ ở {count(rejected, 'hoạt động')}"
    else:
        verdict = (
            "giả định không bị bác bỏ ở hoạt động nào" if len(tested) > 1 else "giả định không bị bác bỏ"
        )
    if len(tested) == n_activities:
        return f"{lead}: trong cả {number(n_activities)} hoạt động, {verdict}."
    reasons = _untestable(overall)["canh_bao"].fillna("").astype(str)
    separated = int(reasons.str.contains("tách biệt", regex=False).sum())
    cause = (
        "tách biệt ở một ngưỡng: mọi hoặc gần như mọi câu trả lời của một nhóm nằm về một phía ngưỡng, "
        "nên hệ số của nhóm đó không hữu hạn"
    )
    why = (
        f", vì {cause}"
        if separated == len(reasons)
        else f", phần lớn vì {cause}"
        if separated * 2 > len(reasons)
        else ""
    )
    return (
        f"{lead}. Kiểm định thực hiện được ở {number(len(tested))} trong {number(n_activities)} hoạt "
        f"động, và {verdict}; ở {count(len(reasons), 'hoạt động')} còn lại kiểm định không "
        f"thực hiện được{why}."
    )


def brant_rows(brant: pd.DataFrame, names: dict[str, str]) -> tuple[list[dict], list[str]]:
    """The appendix table: one row per activity (the overall test), and the notes: a reason
    shared by several untested activities is said once, as a lettered note ``names``:
    activity code -> its label."""
    overall = brant[brant["so_hang"] == "tổng thể"]
    reasons: list[str] = []
    rows = []
    for _, r in overall.iterrows():
        note = r["canh_bao"] if isinstance(r["canh_bao"], str) else ""
        if pd.isna(r["chi2"]) and note:
            why = note.removeprefix("không kiểm định được: ")
            if why not in reasons:
                reasons.append(why)
            note = f"không kiểm định được ({chr(ord('a') + reasons.index(why))})"
        rows.append(
            {
                "hoat_dong": names.get(r["hoat_dong"], r["hoat_dong"]),
                "chi2": number(Decimal(str(r["chi2"])), 1) if pd.notna(r["chi2"]) else "–",
                "df": int(r["bac_tu_do"]) if pd.notna(r["bac_tu_do"]) else "",
                "p": p_text(float(r["p"])) if pd.notna(r["p"]) else "",
                "canh_bao": note,
            }
        )
    return rows, [f"({chr(ord('a') + k)}) {why[:1].upper()}{why[1:]}." for k, why in enumerate(reasons)]


def bivariate_sentence(tests: list[dict], n_activities: int, alpha_pct: str = "5") -> str:
    """ "Các kiểm định hai biến (chưa hiệu chỉnh) có ý nghĩa ở 1 trong 14 hoạt động với …";
    ``alpha_pct``: the significance level in per cent, the share expected by chance."""
    if not tests:
        return ""
    some = [t for t in tests if t["so"]]
    none = [t["ten"] for t in tests if not t["so"]]
    if not some:
        return f"Không kiểm định hai biến nào (chưa hiệu chỉnh) có ý nghĩa ở hoạt động nào: {join(none)}."
    parts = []
    for t in some:
        where = (
            f"cả {number(t['tong'])}"
            if t["so"] == t["tong"]
            else f"{number(t['so'])} trong {number(t['tong'])}"
        )
        parts.append(f"{where} hoạt động với {t['ten']}")
    tail = f"; với {join(none, 'và')}, không hoạt động nào" if none else ""
    return (
        f"Các kiểm định hai biến (chưa hiệu chỉnh) có ý nghĩa ở {join(parts)}{tail}; khi không có khác "
        f"biệt thật, khoảng {alpha_pct}% số kiểm định chưa hiệu chỉnh vẫn có ý nghĩa do ngẫu nhiên."
    )


def warnings_sentence(statuses: list[str]) -> str:
    """The per-activity models with a warning that matters for the reader (``statuses``: their
    ``tinh_trang``, see models.sparse.model_status), said once, with the kinds of warning."""
    if not statuses:
        return "Không mô hình riêng nào có cảnh báo (không hội tụ, gộp mức hay bỏ biến)."
    kinds = []
    if any("không hội tụ" in s for s in statuses):
        kinds.append("không hội tụ")
    if any("gộp mức" in s for s in statuses):
        kinds.append("gộp mức có quá ít câu trả lời")
    if any("không hội tụ" not in s and "gộp mức" not in s for s in statuses):
        kinds.append("bỏ biến hoặc đổi nhóm tham chiếu")
    return (
        f"{count(len(statuses), 'mô hình riêng').capitalize()} có cảnh báo ({join(kinds, 'hoặc')}); "
        "chúng vẫn được trình bày."
    )
