"""Per-activity models (a logit of taking part and an ordinal model of the level, for each
activity, p-values adjusted across activities) and the pooled models over all activities
(activity fixed effects, standard errors clustered by respondent)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..codebook import Block
from .fitting import TERM_COLUMNS, SandwichFit, collapse, fit_logit, fit_ordinal, tidy
from .sparse import merge_thin_extremes, model_status, sparse_diagnosis
from .spec import ModelSpec, Patterns, covariate_patterns, wide_outcomes


def per_activity(
    frame: pd.DataFrame,
    activities: Block,
    spec: ModelSpec,
    levels: dict[str, list[str]],
    patterns: Patterns | None = None,
) -> pd.DataFrame:
    """One logit (taking part) and one ordinal model (level among participants) per activity.
    ``patterns``: the respondents' covariate patterns, when already grouped."""
    from statsmodels.stats.multitest import multipletests

    rows = []
    patterns = patterns or covariate_patterns(frame, spec, levels)
    d_all, pattern = patterns.design, patterns.ids
    for act in activities:
        y = frame[activities.takes[act]].astype(bool).to_numpy().astype(int)
        Xc, yc, w = collapse(d_all.X, y, pattern)
        diagnosis = sparse_diagnosis(yc, Xc, d_all, spec.min_cases, w, {0: "không tham gia", 1: "tham gia"})
        try:
            res, names, ok = fit_logit(yc, Xc, weights=w)
            rows += tidy(
                res,
                names,
                d_all,
                "logit_tham_gia",
                act,
                len(y),
                ok,
                model_status(ok, diagnosis),
                spec.alpha,
                drop=("const",),
            )
        except Exception as err:  # perfect separation, singular matrix
            rows.append(
                {
                    **dict.fromkeys(TERM_COLUMNS, np.nan),
                    "mo_hinh": "logit_tham_gia",
                    "hoat_dong": act,
                    "n": len(y),
                    "hoi_tu": False,
                    "tinh_trang": f"không ước lượng được: {err}",
                }
            )
        takes = y == 1
        yl = frame.loc[takes, activities.level[act]].astype(int).to_numpy()
        Xc, yc, w = collapse(d_all.X, yl, pattern[takes])
        d = d_all
        merged = []
        if spec.merge_sparse_levels:
            yl, merged = merge_thin_extremes(yl, Xc, yc, w, d, spec.min_cases, activities.scale.labels)
            Xc, yc, w = collapse(d_all.X, yl, pattern[takes])
        diagnosis = merged + sparse_diagnosis(yc, Xc, d, spec.min_cases, w, activities.scale.labels)
        try:
            res, names, ok = fit_ordinal(yc, Xc, weights=w)
            rows += tidy(
                res,
                names,
                d,
                "thu_bac_muc_do",
                act,
                len(yl),
                ok,
                model_status(ok, diagnosis),
                spec.alpha,
                drop=tuple(n for n in names if n not in d.X.columns),
            )  # thresholds
        except Exception as err:
            rows.append(
                {
                    **dict.fromkeys(TERM_COLUMNS, np.nan),
                    "mo_hinh": "thu_bac_muc_do",
                    "hoat_dong": act,
                    "n": len(yl),
                    "hoi_tu": False,
                    "tinh_trang": f"không ước lượng được: {err}",
                }
            )
    out = pd.DataFrame(rows, columns=TERM_COLUMNS)
    for (_model, _term), part in out.groupby(["mo_hinh", "so_hang"]):
        ok = part["p"].notna()
        if ok.any() and spec.multiple_testing == "none":
            out.loc[part.index[ok], "p_hieu_chinh"] = part.loc[ok, "p"]
        elif ok.any():
            out.loc[part.index[ok], "p_hieu_chinh"] = multipletests(
                part.loc[ok, "p"], method=spec.multiple_testing
            )[1]
    return out


def pooled_fit(outcome: np.ndarray, Z: pd.DataFrame, pattern: np.ndarray, activities: list[str], kind: str):
    """A model over every (respondent, activity) observation, with activity fixed effects and
    standard errors clustered by respondent, without building the long table. ``Z``: the
    covariates of each pattern (a row per pattern id), ``pattern``: each respondent's pattern id.

    ``outcome`` is respondents x activities (NaN where there is no observation, e.g. no level
    for an activity not taken part in). The estimates come from collapsed rows (pattern,
    activity, outcome) with frequency weights; the cluster-robust ("sandwich") covariance sums
    each respondent's score over their activities, as statsmodels' cov_type="cluster" does,
    with its small-sample factor G/(G-1) * (n-1)/(n-k). A million respondents x 14 activities
    then needs a few hundred MB instead of a 14-million-row design matrix."""
    n, n_act = outcome.shape
    present = ~np.isnan(outcome)
    values = np.unique(outcome[present])
    codes = np.where(present, np.searchsorted(values, np.nan_to_num(outcome, nan=values[0])), -1)
    n_pat = len(Z)
    keys = np.where(present, (np.arange(n_act)[None, :] * n_pat + pattern[:, None]) * len(values) + codes, -1)
    cells, cell_of, counts = np.unique(keys[present], return_inverse=True, return_counts=True)
    act = cells // (n_pat * len(values))
    pat = (cells // len(values)) % n_pat
    y = values[cells % len(values)]
    Zp = Z.to_numpy(dtype=float)
    fe = np.zeros((len(cells), n_act - 1))
    has_fe = act > 0
    fe[np.flatnonzero(has_fe), act[has_fe] - 1] = 1.0
    X = pd.DataFrame(
        np.column_stack([Zp[pat], fe]), columns=[*Z.columns, *(f"hoat_dong_{a}" for a in activities[1:])]
    )
    w = counts.astype(float)
    if kind == "logit":
        res, names, ok = fit_logit(y.astype(int), X, weights=w)
        exog = np.column_stack([np.ones(len(y)), X.to_numpy()])
        mu = np.asarray(res.predict())
        cell_score = exog * (y - mu)[:, None]
        hessian = -(exog.T @ (exog * (w * mu * (1 - mu))[:, None]))
    else:
        res, names, ok = fit_ordinal(y.astype(int), X, weights=w)
        model = res.model
        hessian = model.hessian(np.asarray(res.params))
        model.freq_weights = None  # one observation's score per cell
        cell_score = model.score_obs(np.asarray(res.params))
        model.freq_weights = w
    # Each respondent's score is the sum of their observations' cell scores: S = M C, with M the
    # respondents x cells incidence matrix. The "meat" S'S = C' (M'M) C, and M'M is small and
    # sparse (cells only co-occur within a covariate pattern), so S is never built.
    from scipy import sparse

    resp, _ = np.nonzero(present)  # same order as keys[present]
    incidence = sparse.csr_matrix((np.ones(len(resp)), (resp, cell_of)), shape=(n, len(cells)))
    meat = cell_score.T @ ((incidence.T @ incidence) @ cell_score)
    g, nobs, k = int(present.any(axis=1).sum()), int(present.sum()), cell_score.shape[1]
    h_inv = np.linalg.inv(hessian)
    cov = h_inv @ meat @ h_inv.T * (g / (g - 1)) * ((nobs - 1) / (nobs - k))
    return SandwichFit(np.asarray(res.params), cov, ok, g), names, nobs


def pooled(
    frame: pd.DataFrame,
    activities: Block,
    spec: ModelSpec,
    levels: dict[str, list[str]],
    patterns: Patterns | None = None,
) -> pd.DataFrame:
    """Logit and ordinal models over all activities: activity fixed effects, SEs clustered by respondent."""
    patterns = patterns or covariate_patterns(frame, spec, levels)
    d, pattern = patterns.design, patterns.ids
    takes, level = wide_outcomes(frame, activities)
    rows = []
    for model, outcome, kind in (
        ("gop_logit_tham_gia", takes.astype(float), "logit"),
        ("gop_thu_bac_muc_do", np.where(takes, level, np.nan), "ordinal"),
    ):
        res, names, nobs = pooled_fit(outcome, d.X, pattern, list(activities), kind)
        other = tuple(n for n in names if n not in d.X.columns)  # intercept, activity effects, thresholds
        rows += tidy(
            res,
            names,
            d,
            model,
            "tất cả",
            nobs,
            res.converged,
            "ổn" if res.converged else "không hội tụ",
            spec.alpha,
            drop=other,
            clusters=res.clusters,
        )
    return pd.DataFrame(rows, columns=TERM_COLUMNS)
