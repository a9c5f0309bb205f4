"""Effects on a scale a reader can weigh: each interpreted term of the pooled models as its odds
ratio and as the change in a predicted share, in percentage points.

An odds ratio per unit says little on its own: tenure's 1,14 per year is small per year and
large across the sixteen years the sample spans. So a slope is also reported from the lowest to
the highest observed value, and a category against its reference, as predicted shares from the
index models (the predictions of Biểu đồ "Tỷ lệ dự đoán", the other covariates at their
reference); the words for the size of an effect come from that change (cut-offs in config
``models.effect_size_points``), its significance from the pooled model's p-value.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..vn_format import round_half_up

# pooled model -> the predicted share that puts it on the probability scale (models.indices)
SHARE_OF = {"gop_logit_tham_gia": "ty_le_tham_gia", "gop_thu_bac_muc_do": "ty_le_muc_cao"}
SIZE_WORDS = ("rất nhỏ", "nhỏ", "vừa", "lớn")
EFFECT_COLUMNS = [
    "mo_hinh",
    "bien",
    "so_hang",
    "nhan",
    "tham_chieu",
    "or_",
    "ci_thap",
    "ci_cao",
    "p",
    "co_y_nghia",
    "ket_qua",
    "tu",
    "den",
    "ty_le_tu",
    "ty_le_den",
    "chenh_diem",
    "do_lon",
    "giu_co_dinh",
]


def with_value_labels(frame: pd.DataFrame, value_labels: dict[str, dict]) -> pd.DataFrame:
    """A models table whose groups (``nhan``, ``tham_chieu``) print with the codebook's labels
    (``value_labels``: variable -> value -> label); the CSVs keep the values."""
    if frame.empty or not any(value_labels.values()):
        return frame
    out = frame.copy()
    for col in ("nhan", "tham_chieu"):
        out[col] = [
            value_labels.get(var, {}).get(value, value)
            for var, value in zip(out["bien"], out[col], strict=True)
        ]
    return out


def size_word(points: float, cutoffs: list[float]) -> str:
    """The word for a change of ``points`` percentage points: below cutoffs[0] "rất nhỏ", ..."""
    return SIZE_WORDS[int(np.searchsorted(np.asarray(cutoffs, dtype=float), abs(points), side="right"))]


def odds_size_word(odds_ratio: float) -> str:
    """Without predictions (no tenure in the models): the size from max(OR, 1/OR)."""
    r = max(odds_ratio, 1 / odds_ratio)
    return SIZE_WORDS[int(np.searchsorted([1.25, 1.5, 2.5], r, side="right"))]


def held_tenure(clean: pd.DataFrame, tenure: str, grid: pd.Series) -> int:
    """The tenure at which categories are compared: the sample's median, rounded half up, on the grid."""
    median = int(round_half_up(float(clean[tenure].astype(float).median()), 0))
    values = np.sort(grid.astype(int).unique())
    return int(values[np.abs(values - median).argmin()])


def _at(pred: pd.DataFrame, outcome: str, where: dict) -> float | None:
    hit = pred[pred["ket_qua"] == outcome]
    for col, value in where.items():
        hit = hit[hit[col].astype(str) == str(value)]
    return float(hit["du_doan"].iloc[0]) if len(hit) == 1 else None


def _ends(term, pred: pd.DataFrame, refs: dict, tenure: str | None, held: int | None):
    """(from, to, share at from, share at to, what is held fixed) of one term; None: no prediction."""
    outcome = SHARE_OF.get(term["mo_hinh"])
    if pred is None or pred.empty or outcome is None or tenure is None:
        return None
    if term["bien"] == tenure:
        low, high = int(pred[tenure].min()), int(pred[tenure].max())
        a, b = _at(pred, outcome, {**refs, tenure: low}), _at(pred, outcome, {**refs, tenure: high})
        return None if a is None or b is None else (low, high, a, b, "")
    if term["bien"] not in pred.columns:
        return None  # not a dimension of the prediction grid (a control)
    base = {**refs, tenure: held}
    a = _at(pred, outcome, base)
    b = _at(pred, outcome, {**base, term["bien"]: term["nhan"]})
    return None if a is None or b is None else (term["tham_chieu"], term["nhan"], a, b, str(held))


def effects(
    pooled: pd.DataFrame,
    pred: pd.DataFrame | None,
    clean: pd.DataFrame,
    focal: list[str],
    tenure: str | None,
    alpha: float,
    cutoffs: list[float],
) -> pd.DataFrame:
    """One row per interpreted term of each pooled model (``SHARE_OF``)."""
    terms = pooled[pooled["mo_hinh"].isin(list(SHARE_OF)) & pooled["bien"].isin(focal)]
    terms = terms[terms["or_"].notna()]
    refs = {}
    if pred is not None and not pred.empty:
        refs = {
            t["bien"]: t["tham_chieu"]
            for _, t in pooled.iterrows()
            if t["bien"] in pred.columns and t["bien"] != tenure and isinstance(t["tham_chieu"], str)
        }
    held = held_tenure(clean, tenure, pred[tenure]) if refs and tenure else None
    rows = []
    for _, t in terms.iterrows():
        ends = _ends(t, pred, refs, tenure, held)
        row = {c: t[c] for c in EFFECT_COLUMNS[:9]}
        row["co_y_nghia"] = bool(float(t["p"]) < alpha)
        if ends is None:
            row |= {"ket_qua": "", "tu": "", "den": "", "ty_le_tu": np.nan, "ty_le_den": np.nan}
            row |= {"chenh_diem": np.nan, "do_lon": odds_size_word(float(t["or_"])), "giu_co_dinh": ""}
        else:
            low, high, a, b, fixed = ends
            points = 100 * (b - a)
            row |= {"ket_qua": SHARE_OF[t["mo_hinh"]], "tu": low, "den": high, "ty_le_tu": a, "ty_le_den": b}
            row |= {"chenh_diem": points, "do_lon": size_word(points, cutoffs), "giu_co_dinh": fixed}
        rows.append(row)
    return pd.DataFrame(rows, columns=EFFECT_COLUMNS)


def write_effects(pooled_path, predictions_path, clean_path, model_cfg: dict, roles: dict, out) -> None:
    """Rule describe_effects."""
    from ..safe_text import write_csv
    from ..tables import read_table

    pred = read_table(predictions_path) if predictions_path else None
    tenure = roles.get("tenure")
    columns = [tenure] if tenure and pred is not None else []
    clean = pd.read_parquet(clean_path, columns=columns) if columns else pd.DataFrame()
    table = effects(
        read_table(pooled_path),
        pred,
        clean,
        list(model_cfg["focal"]),
        tenure if columns else None,
        1 - float(model_cfg["confidence"]),
        list(model_cfg["effect_size_points"]),
    )
    write_csv(table, out, float_format="%.10g")
