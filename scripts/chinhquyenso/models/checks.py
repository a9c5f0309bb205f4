"""Checks beside the models: the Brant-style test of proportional odds, Cronbach's alpha, and
bivariate tests by gender, administrative level and tenure."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from ..codebook import Block
from .estimable import collinear, model_design
from .fitting import collapse, with_constant
from .spec import Design, ModelSpec, Patterns, covariate_patterns


def brant_test(y: np.ndarray, X: pd.DataFrame, weights: np.ndarray | None = None) -> pd.DataFrame:
    """Brant-style test of proportional odds: do the slopes of the cumulative binary logits
    (level > k, for each cut-point k) differ? Wald test on the stacked estimates, with their
    joint covariance from the per-observation influence functions (Brant 1990). ``weights``:
    counts of collapsed rows (see collapse); the result is the same as on every row."""
    import statsmodels.api as sm
    from scipy import stats

    exog = with_constant(X).to_numpy(dtype=float)
    y = np.asarray(y)
    w = np.ones(len(y)) if weights is None else np.asarray(weights, dtype=float)
    cuts = sorted(np.unique(y))[:-1]
    k, p = len(cuts), exog.shape[1]
    betas, influences = [], []
    thin: set[str] = set()  # dummies with fewer than 5 cases on one side of a cut: unstable
    for c in cuts:
        yb = (y > c).astype(float)
        for name in X.columns:
            col = X[name].to_numpy()
            if (
                set(np.unique(col)) <= {0.0, 1.0}
                and min(w[(col == 1) & (yb == 1)].sum(), w[(col == 1) & (yb == 0)].sum()) < 5
            ):
                thin.add(name)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = sm.GLM(yb, exog, family=sm.families.Binomial(), freq_weights=w).fit(maxiter=300)
        mu = res.predict(exog)
        hessian = exog.T @ (exog * (w * mu * (1 - mu))[:, None])
        influences.append((exog * (yb - mu)[:, None]) @ np.linalg.inv(hessian))  # n x p
        betas.append(np.asarray(res.params))
    beta = np.concatenate([b[1:] for b in betas])  # slopes only
    psi = np.concatenate([inf[:, 1:] for inf in influences], axis=1)
    cov = psi.T @ (psi * w[:, None])
    q = p - 1
    rows = []

    def wald(idx: list[int]) -> tuple[float, int]:
        # contrasts: slope j at cut 1 minus slope j at cut m, for m = 2..k
        D = np.zeros(((k - 1) * len(idx), k * q))
        r = 0
        for j in idx:
            for m in range(1, k):
                D[r, j], D[r, m * q + j] = 1, -1
                r += 1
        diff = D @ beta
        stat = float(diff @ np.linalg.pinv(D @ cov @ D.T) @ diff)
        return stat, D.shape[0]

    for j, name in enumerate(X.columns):
        stat, df = wald([j])
        rows.append(
            {
                "so_hang": name,
                "chi2": stat,
                "bac_tu_do": df,
                "p": float(stats.chi2.sf(stat, df)),
                "canh_bao": "ô thưa (< 5 trường hợp ở một phía ngưỡng): không tin cậy"
                if name in thin
                else "",
            }
        )
    stat, df = wald(list(range(q)))
    rows.append(
        {
            "so_hang": "tổng thể",
            "chi2": stat,
            "bac_tu_do": df,
            "p": float(stats.chi2.sf(stat, df)),
            "canh_bao": "có ô thưa" if thin else "",
        }
    )
    return pd.DataFrame(rows)


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
    """The Brant-style test of each activity's ordinal model, on collapsed rows. An activity
    whose test cannot be computed (its ordinal model left out, in ``left_out``; two levels, one
    threshold) has one row "tổng thể" without a statistic, its warning saying why."""
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
                    table = brant_test(yc, Xc[md.columns], w)
                if not np.isfinite(table[["chi2", "p"]].to_numpy(dtype=float)).all():
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
