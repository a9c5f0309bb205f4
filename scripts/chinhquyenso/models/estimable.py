"""What a model can estimate on the data it meets, checked before fitting.

A survey of a handful of respondents, an activity nobody takes part in, the same tenure for
everyone: statsmodels and numpy then fail with their own words ("Singular matrix", "There
should not be a constant in the model"). Each model is checked first, on its own sample:

- every covariate has at least two observed levels (a number: two values) in the sample, else
  it leaves that model; a level nobody in the sample has leaves it too, and a missing reference
  is replaced by the most frequent level (``model_design``);
- the outcome takes at least two values (both answers; two levels of an ordinal outcome);
- there are more respondents than parameters, and the covariates are not collinear.

A model that fails a check is left out with the reason, one Vietnamese sentence a reader can
act on (no pipeline internals); the report says what was left out and why (``Omissions``).
A model that passes is fitted exactly as before: on data where every check passes, nothing
here changes a number.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..vn_format import number
from .spec import Design, ModelSpec

NOT_ESTIMATED = "không ước lượng được"

# what each model is called in the report's sentences (the per-activity ones name the activity)
MODEL_NAMES = {
    "logit_tham_gia": "mô hình tham gia",
    "thu_bac_muc_do": "mô hình mức độ tham gia",
    "gop_logit_tham_gia": "mô hình gộp về việc trực tiếp tham gia",
    "gop_thu_bac_muc_do": "mô hình gộp về mức độ tham gia",
    "chi_so_so_hoat_dong": "mô hình số hoạt động tham gia",
    "chi_so_muc_do_tb": "mô hình mức độ trung bình",
    "du_doan_ty_le_tham_gia": "dự đoán tỷ lệ hoạt động tham gia",
    "du_doan_ty_le_muc_cao": "dự đoán tỷ lệ ở mức cao",
}


def not_estimated(status) -> bool:
    """A model's status (``tinh_trang``) says it was left out."""
    return str(status).startswith(NOT_ESTIMATED)


@dataclass
class Omissions:
    """What the stage left out: models (with the reason) and, inside models that were fitted,
    the changes made to fit that model's sample (a covariate dropped, a reference replaced)."""

    models: list[dict] = field(default_factory=list)  # {"mo_hinh", "hoat_dong", "ly_do"}
    changes: list[dict] = field(default_factory=list)  # {"mo_hinh", "hoat_dong", "ghi_chu"}
    thin: list[dict] = field(default_factory=list)  # {"mo_hinh", "hoat_dong"}: a level with few answers

    def model(self, model: str, activity: str, reason: str) -> None:
        self.models.append({"mo_hinh": model, "hoat_dong": activity, "ly_do": reason})

    def change(self, model: str, activity: str, notes: list[str]) -> None:
        self.changes += [{"mo_hinh": model, "hoat_dong": activity, "ghi_chu": n} for n in notes]


@dataclass
class ModelDesign:
    """The covariate columns one model keeps, and what was changed to get them."""

    design: Design
    notes: list[str]

    @property
    def columns(self) -> list[str]:
        return list(self.design.X.columns)


def count_text(n: int, min_cases: int, exact: bool = False) -> str:
    """A count for a sentence; a count of a subgroup under the threshold is never quoted
    (disclosure control): "dưới 5". ``exact``: the whole sample (printed anyway)."""
    return number(int(n)) if exact or n >= min_cases else f"dưới {number(min_cases)}"


def model_design(d_all: Design, spec: ModelSpec, X: pd.DataFrame) -> ModelDesign:
    """The columns of ``d_all`` a model on the rows ``X`` (its sample's covariate patterns, or
    collapsed rows) can estimate. A covariate with one observed level (a number with one value)
    in the sample leaves the model; a level nobody in the sample has leaves it; a reference
    nobody has is replaced by the most frequent level present. Returns ``d_all`` itself when
    nothing changes."""
    keep: list[str] = []
    references = dict(d_all.references)
    notes: list[str] = []
    for cov in spec.covariates:
        cols = [c for c, (name, _level) in d_all.terms.items() if name == cov.name and c in d_all.X]
        if not cols:
            continue
        values = X[cols].to_numpy(dtype=float)
        if cov.type == "linear":
            if len(np.unique(values[:, 0])) < 2:
                notes.append(f"bỏ biến {cov.label}: chỉ có một giá trị trong mẫu của mô hình")
                references.pop(cov.name, None)
                continue
            keep += cols
            continue
        has_ref = bool((values == 0).all(axis=1).any())
        present = [c for i, c in enumerate(cols) if (values[:, i] == 1).any()]
        n_levels = len(present) + has_ref
        if n_levels < 2:
            notes.append(f"bỏ biến {cov.label}: chỉ có một mức trong mẫu của mô hình")
            references.pop(cov.name, None)
            continue
        absent = [d_all.terms[c][1] for c in cols if c not in present]
        if absent:
            notes.append(
                f"{cov.label}: không có người trả lời ở mức {', '.join(absent)} trong mẫu của mô hình; "
                "bỏ mức này khỏi mô hình"
            )
        if not has_ref:  # the most frequent level present becomes the reference
            sizes = [(values[:, cols.index(c)] == 1).sum() for c in present]
            new_ref = present[int(np.argmax(sizes))]
            notes.append(
                f"{cov.label}: mức tham chiếu «{references[cov.name]}» không có trong mẫu của mô hình; "
                f"dùng «{d_all.terms[new_ref][1]}»"
            )
            references[cov.name] = d_all.terms[new_ref][1]
            present.remove(new_ref)
        keep += present
    if not notes:
        return ModelDesign(d_all, [])
    terms = {c: d_all.terms[c] for c in keep}
    return ModelDesign(Design(d_all.X[keep], terms, references), notes)


def collinear(X: pd.DataFrame, intercept: bool = True) -> bool:
    """The columns (and an intercept) are linearly dependent on these rows."""
    A = X.to_numpy(dtype=float)
    if intercept:
        A = np.column_stack([np.ones(len(A)), A])
    if A.shape[1] == 0:
        return False
    return int(np.linalg.matrix_rank(A)) < A.shape[1]


COLLINEAR = (
    "các biến độc lập trùng nhau trong mẫu của mô hình (một biến được xác định hoàn toàn bởi các "
    "biến khác), nên không tách được ảnh hưởng của từng biến"
)
NO_SOLUTION = "phương pháp ước lượng không tìm được nghiệm xác định với dữ liệu này"
NO_ERRORS = "không tính được sai số chuẩn với dữ liệu này"


def too_few(n: int, k: int, who: str, min_cases: int, exact: bool = False) -> str:
    return (
        f"chỉ có {count_text(n, min_cases, exact)} {who}, không nhiều hơn số tham số phải ước lượng "
        f"({number(k)})"
    )


SEPARATION = (
    "trong một nhóm người trả lời (theo các biến độc lập), mọi người có cùng một câu trả lời, nên "
    "tỷ số chênh của nhóm đó không xác định (tách biệt hoàn toàn)"
)


def check_fit(rows: list[dict]) -> str | None:
    """A fitted model whose reported estimates are not all finite numbers: the reason. A finite
    coefficient with an infinite interval of its odds ratio is the mark of separation (the
    likelihood keeps growing as the coefficient runs off to infinity)."""
    for r in rows:
        values = np.asarray([r[c] for c in ("he_so", "se", "p")], dtype=float)
        if not np.all(np.isfinite(values)):
            return NO_ERRORS
    for r in rows:
        bounds = np.asarray([r["ci_thap"], r["ci_cao"]], dtype=float)
        if np.isnan(r["or_"]):  # OLS: the interval of a difference, no odds ratio
            if not np.all(np.isfinite(bounds)):
                return NO_ERRORS
            continue
        values = np.r_[float(r["or_"]), bounds]
        if not np.all(np.isfinite(values)) or (values == 0).any():
            return SEPARATION
    return None


def section_reason(n: int, n_columns: int, n_covariates: int) -> str | None:
    """Why no model at all can be estimated before fitting any: too few respondents for the
    smallest model (an intercept and one parameter per design column), or no covariate left
    that varies. None: try the models one by one."""
    if n <= 1 + n_columns:
        if n_covariates == 0:
            return (
                f"khảo sát chỉ có {number(n)} người trả lời, không đủ để so sánh giữa các nhóm người trả lời"
            )
        return (
            f"khảo sát chỉ có {number(n)} người trả lời, trong khi mỗi mô hình phải ước lượng ít nhất "
            f"{number(1 + n_columns)} tham số (cần nhiều người trả lời hơn số tham số)"
        )
    if n_covariates == 0:
        return "không biến độc lập nào có từ hai mức (hai giá trị) trở lên trong dữ liệu"
    return None
