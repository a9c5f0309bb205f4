"""Checks beside the models: Brant's test of proportional odds for every activity (the test
itself: ``brant``), Cronbach's alpha, and bivariate tests by gender, administrative level and
tenure."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..codebook import Block
from .brant import brant_test
from .estimable import collinear, model_design
from .fitting import collapse
from .separation import term_words
from .spec import Design, ModelSpec, Patterns, covariate_patterns

BRANT_COLUMNS = ["so_hang", "chi2", "bac_tu_do", "p", "canh_bao", "hoat_dong"]


def _brant_reason(yc: np.ndarray, Xc: pd.DataFrame, n: int, d: Design, spec: ModelSpec):
    """The columns of an activity's ordinal model, or why its Brant test cannot be computed."""
    values = np.unique(yc)
    if len(values) == 0:
        return None, "không người trả lời nào tham gia hoạt động này"
    if len(values) < 2:
        return None, "mọi người tham gia hoạt động này chọn cùng một mức độ"
    if len(values) < 3:
        return None, "chỉ có hai mức độ được chọn: chỉ có một ngưỡng, không có gì để kiểm định"
    md = model_design(d, spec, Xc)
    k = len(md.columns) + len(values) - 1
    if n <= k or collinear(Xc[md.columns]):
        return None, "mô hình mức độ của hoạt động này không ước lượng được"
    return md, None


def brant_all(
    clean: pd.DataFrame,
    activities: Block,
    spec: ModelSpec,
    levels: dict[str, list[str]],
    patterns: Patterns | None = None,
    left_out: set[str] = frozenset(),
) -> pd.DataFrame:
    """Brant's test of each activity's ordinal model, on collapsed rows. An activity whose test
    cannot be computed (its ordinal model left out, in ``left_out``; two levels, one threshold)
    has one row "tổng thể" without a statistic, its warning saying why; a term that separation
    makes untestable, and then the overall test, has no statistic either (see brant)."""
    patterns = patterns or covariate_patterns(clean, spec, levels)
    out = []
    for act in activities:
        took = clean[activities.takes[act]].astype(bool).to_numpy()
        y = clean.loc[took, activities.level[act]].astype(int).to_numpy()
        Xc, yc, w = collapse(patterns.design.X, y, patterns.ids[took])
        md, reason = _brant_reason(yc, Xc, len(y), patterns.design, spec)
        if reason is None and act in left_out:
            reason = "mô hình mức độ của hoạt động này không ước lượng được"
        if reason is None:
            try:
                with np.errstate(all="ignore"):
                    words = term_words(md.design, spec)
                    table = brant_test(yc, Xc[md.columns], w, activities.scale.labels, words)
                tested = table["canh_bao"] == ""
                if not np.isfinite(table.loc[tested, ["chi2", "p"]].to_numpy(dtype=float)).all():
                    reason = "không tính được kiểm định với dữ liệu này"
            except Exception:  # noqa: BLE001 - whatever the test raises, the reader gets a sentence
                reason = "không tính được kiểm định với dữ liệu này"
        if reason is not None:
            table = pd.DataFrame(
                [
                    {
                        "so_hang": "tổng thể",
                        "chi2": np.nan,
                        "bac_tu_do": np.nan,
                        "p": np.nan,
                        "canh_bao": reason,
                    }
                ]
            )
        out.append(table.assign(hoat_dong=act))
    if not out:
        return pd.DataFrame(columns=BRANT_COLUMNS)
    out = pd.concat(out, ignore_index=True)
    if out["bac_tu_do"].isna().any():  # degrees of freedom stay whole numbers beside the empty ones
        out["bac_tu_do"] = out["bac_tu_do"].astype("Int64")
    return out


def cronbach_alpha(items: np.ndarray) -> float:
    """Cronbach's alpha of complete rows; on 0/1 items it equals KR-20."""
    items = np.asarray(items, dtype=float)
    k = items.shape[1]
    return float(k / (k - 1) * (1 - items.var(axis=0, ddof=1).sum() / items.sum(axis=1).var(ddof=1)))


BIVARIATE_COLUMNS = ["hoat_dong", "kiem_dinh", "thong_ke", "p", "hieu_ung", "do_do_hieu_ung", "n"]


def bivariate(frame: pd.DataFrame, activities: Block, roles: dict[str, str]) -> pd.DataFrame:
    """Per activity, for the roles the form has: χ² gender × taking part (Cramér's V);
    Kruskal–Wallis level by administrative level (ε²); Spearman tenure × level. A test the data
    cannot support (one gender, or everyone taking part alike; fewer than two groups of
    participants, or one level for all; fewer than three participants, or one value) has no row."""
    from scipy import stats

    gender, admin, tenure = (roles.get(r) for r in ("gender", "admin_level", "tenure"))
    rows = []
    for act in activities:
        takes = frame[activities.takes[act]].astype(bool)
        sub = frame[takes]
        if gender:
            table = pd.crosstab(frame[gender].astype(str), takes)
            if min(table.shape) >= 2:
                chi2, p, dof, _ = stats.chi2_contingency(table, correction=False)
                v = float(np.sqrt(chi2 / (table.to_numpy().sum() * (min(table.shape) - 1))))
                rows.append(
                    {
                        "hoat_dong": act,
                        "kiem_dinh": f"chi2_{gender}_tham_gia",
                        "thong_ke": chi2,
                        "p": p,
                        "hieu_ung": v,
                        "do_do_hieu_ung": "Cramér V",
                        "n": int(table.to_numpy().sum()),
                    }
                )
        if admin:
            groups = [
                g[activities.level[act]].astype(float).to_numpy()
                for _, g in sub.groupby(admin, observed=True)
            ]
            values = np.concatenate(groups) if groups else np.array([])
            if len(groups) > 1 and len(np.unique(values)) > 1:
                h, p = stats.kruskal(*groups)
                n = sum(len(g) for g in groups)
                rows.append(
                    {
                        "hoat_dong": act,
                        "kiem_dinh": f"kruskal_{admin}_muc_do",
                        "thong_ke": h,
                        "p": p,
                        "hieu_ung": float(h / (n - 1)),
                        "do_do_hieu_ung": "epsilon²",
                        "n": n,
                    }
                )
        if tenure:
            x, y = sub[tenure].astype(float), sub[activities.level[act]].astype(float)
            if len(sub) >= 3 and x.nunique() > 1 and y.nunique() > 1:
                rho, p = stats.spearmanr(x, y)
                rows.append(
                    {
                        "hoat_dong": act,
                        "kiem_dinh": f"spearman_{tenure}_muc_do",
                        "thong_ke": rho,
                        "p": p,
                        "hieu_ung": rho,
                        "do_do_hieu_ung": "rho",
                        "n": len(sub),
                    }
                )
    return pd.DataFrame(rows, columns=BIVARIATE_COLUMNS)
