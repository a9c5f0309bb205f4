"""Per-activity models (a logit of taking part and an ordinal model of the level, for each
activity, p-values adjusted across activities) and the pooled models over all activities
(activity fixed effects, standard errors clustered by respondent)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..codebook import Block
from ..vn_format import number
from .estimable import (
    COLLINEAR,
    NO_SOLUTION,
    NOT_ESTIMATED,
    SEPARATION,
    Omissions,
    check_fit,
    collinear,
    model_design,
    too_few,
)
from .fitting import TERM_COLUMNS, SandwichFit, collapse, fit_logit, fit_ordinal, tidy
from .separation import separated_terms
from .sparse import merge_thin_extremes, model_status, sparse_diagnosis
from .spec import Design, ModelSpec, Patterns, covariate_patterns, wide_outcomes


def _left_out(model: str, activity: str, n: int, reason: str) -> dict:
    """The one row of a model left out: its status says why."""
    return {
        **dict.fromkeys(TERM_COLUMNS, np.nan),
        "mo_hinh": model,
        "hoat_dong": activity,
        "n": n,
        "hoi_tu": False,
        "tinh_trang": f"{NOT_ESTIMATED}: {reason}",
    }


def _outcome_reason(kind: str, y: np.ndarray) -> str | None:
    """A per-activity outcome that cannot be modelled: one answer for everyone, or none."""
    values = np.unique(y)
    if kind == "logit":
        if len(values) < 2:
            return (
                "không người trả lời nào tham gia hoạt động này"
                if len(values) == 0 or values[0] == 0
                else "mọi người trả lời đều tham gia hoạt động này"
            )
        return None
    if len(values) == 0:
        return "không người trả lời nào tham gia hoạt động này, nên không có mức độ tham gia để mô hình hóa"
    if len(values) < 2:
        return "mọi người tham gia hoạt động này chọn cùng một mức độ"
    return None


def _fit_one(kind, act, y, Xc, yc, w, d_all, spec, labels, omissions, merged=(), svy=None):
    """One per-activity model after its checks: its tidy rows, or the one row saying why it
    was left out."""
    model = "logit_tham_gia" if kind == "logit" else "thu_bac_muc_do"
    who = "người trả lời" if kind == "logit" else "người tham gia hoạt động này"
    reason = _outcome_reason(kind, yc)
    if reason is None:
        md = model_design(d_all, spec, Xc)
        X = Xc[md.columns]
        k = (1 + len(md.columns)) if kind == "logit" else len(md.columns) + len(np.unique(yc)) - 1
        if len(y) <= k:
            reason = too_few(len(y), k, who, spec.min_cases, exact=kind == "logit")
        elif collinear(X):
            reason = COLLINEAR
        elif infinite := separated_terms(kind, X, yc, md.design, spec):
            # infinite estimates (found by linear programming, not by where an optimiser
            # stopped): the model is left out, its reason naming the terms
            reason = f"{SEPARATION}: {', '.join(infinite)}"
    if reason is not None:
        omissions.model(model, act, reason)
        return [_left_out(model, act, len(y), reason)]
    d = md.design
    # thin cells: in the rule's log (and the summary's list), not in the status, since every
    # model of a small survey has some; the status says what changes how a reader reads it
    if any("câu trả lời" in t for t in sparse_diagnosis(yc, X, d, spec.min_cases, w, labels)):
        omissions.thin.append({"mo_hinh": model, "hoat_dong": act})
    diagnosis = list(merged)
    try:
        if svy is not None:  # design-based (design/models.py): the same checks came first
            res, names, ok, clusters = _design_fit(kind, d_all.X[list(md.columns)], *svy)
        elif kind == "logit":
            res, names, ok = fit_logit(yc, X, weights=w)
        else:
            res, names, ok = fit_ordinal(yc, X, weights=w)
        drop = ("const",) if kind == "logit" else tuple(n for n in names if n not in d.X.columns)
        status = model_status(ok, md.notes + diagnosis)
        extra = {"clusters": clusters} if svy is not None else {}
        rows = tidy(res, names, d, model, act, len(y), ok, status, spec.alpha, drop, **extra)
    except Exception:  # noqa: BLE001 - whatever the fit raises, the reader gets a sentence
        rows, reason = [], NO_SOLUTION
    reason = reason or check_fit(rows)
    if reason is not None:
        omissions.model(model, act, reason)
        return [_left_out(model, act, len(y), reason)]
    omissions.change(model, act, md.notes)
    return rows


def _design_fit(kind, patterns: pd.DataFrame, survey, ids: np.ndarray, y: np.ndarray, domain):
    """A weighted pseudo-likelihood fit with linearisation variance (PSUs and strata
    honoured): (result, names, converged, PSUs of the domain)."""
    from ..design.models import svy_logit, svy_ordinal

    fit = svy_logit if kind == "logit" else svy_ordinal
    res = fit(patterns, ids, y, survey, domain)
    return res, list(res.names), bool(res.converged), int(res.clusters)


def per_activity(
    frame: pd.DataFrame,
    activities: Block,
    spec: ModelSpec,
    levels: dict[str, list[str]],
    patterns: Patterns | None = None,
    omissions: Omissions | None = None,
    survey=None,
) -> pd.DataFrame:
    """One logit (taking part) and one ordinal model (level among participants) per activity;
    with ``survey`` (design.SurveyDesign of ``frame``'s rows) design-based fits.
    ``patterns``: the respondents' covariate patterns, when already grouped. A model its data
    cannot support (see estimable) is one row whose status says why; ``omissions`` collects
    those and the covariates dropped from a model."""
    from statsmodels.stats.multitest import multipletests

    omissions = omissions if omissions is not None else Omissions()
    rows = []
    patterns = patterns or covariate_patterns(frame, spec, levels)
    d_all, pattern = patterns.design, patterns.ids
    for act in activities:
        y = frame[activities.takes[act]].astype(bool).to_numpy().astype(int)
        Xc, yc, w = collapse(d_all.X, y, pattern)
        labels = {0: "không tham gia", 1: "tham gia"}
        svy = None if survey is None else (survey, pattern, y.astype(float), None)
        rows += _fit_one("logit", act, y, Xc, yc, w, d_all, spec, labels, omissions, svy=svy)
        takes = y == 1
        yl = frame.loc[takes, activities.level[act]].astype(int).to_numpy()
        Xc, yc, w = collapse(d_all.X, yl, pattern[takes])
        merged = []
        if spec.merge_sparse_levels and len(np.unique(yc)) > 2:
            yl, merged = merge_thin_extremes(yl, Xc, yc, w, d_all, spec.min_cases, activities.scale.labels)
            Xc, yc, w = collapse(d_all.X, yl, pattern[takes])
        if survey is not None:  # the level of participants only: a domain of the design
            y_all = np.full(len(frame), np.nan)
            y_all[takes] = yl
            svy = (survey, pattern, y_all, takes)
        rows += _fit_one(
            "ordinal", act, yl, Xc, yc, w, d_all, spec, activities.scale.labels, omissions, merged, svy
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


@dataclass
class _Cells:
    """The (pattern, activity, outcome) cells of a pooled model, with their counts."""

    X: pd.DataFrame  # covariates of the cell's pattern, then activity fixed effects
    y: np.ndarray
    w: np.ndarray
    cell_of: np.ndarray  # each observation's cell, in the order of ``present``
    present: np.ndarray  # respondents x activities: an observation


def _pooled_cells(outcome: np.ndarray, Z: pd.DataFrame, pattern: np.ndarray, activities: list[str]) -> _Cells:
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
    return _Cells(X, y, counts.astype(float), cell_of, present)


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
    return _fit_cells(_pooled_cells(outcome, Z, pattern, activities), kind)


def _fit_cells(c: _Cells, kind: str, survey=None):
    if survey is not None:  # weighted pseudo-likelihood, linearisation variance (design/models)
        from ..design.models import collapse_observations, logit_on, ordinal_on

        respondent, _ = np.nonzero(c.present)  # same order as the cells' observations
        rows = collapse_observations(c.X, c.y, respondent, c.cell_of, survey)
        res = (logit_on if kind == "logit" else ordinal_on)(rows, survey)
        return res, list(res.names), int(c.present.sum())
    X, y, w, present = c.X, c.y, c.w, c.present
    n = present.shape[0]
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
    incidence = sparse.csr_matrix((np.ones(len(resp)), (resp, c.cell_of)), shape=(n, len(y)))
    meat = cell_score.T @ ((incidence.T @ incidence) @ cell_score)
    g, nobs, k = int(present.any(axis=1).sum()), int(present.sum()), cell_score.shape[1]
    h_inv = np.linalg.inv(hessian)
    cov = h_inv @ meat @ h_inv.T * (g / (g - 1)) * ((nobs - 1) / (nobs - k))
    return SandwichFit(np.asarray(res.params), cov, ok, g), names, nobs


def _pooled_outcome_reason(kind: str, outcome: np.ndarray) -> tuple[str | None, np.ndarray, list[str]]:
    """Whether a pooled outcome can be modelled, the activities that carry information about
    the covariates, and what leaving the others out means. An activity nobody takes part in, or
    everyone does, has an infinite fixed effect in the logit and adds nothing else; an activity
    nobody takes part in has no level."""
    present = ~np.isnan(outcome)
    values = np.unique(outcome[present])
    if kind == "logit":
        if len(values) < 2:
            return (
                (
                    "không người trả lời nào tham gia hoạt động nào"
                    if len(values) == 0 or values[0] == 0
                    else "mọi người trả lời tham gia mọi hoạt động"
                ),
                np.zeros(outcome.shape[1], bool),
                [],
            )
        keep = np.array(
            [len(np.unique(outcome[present[:, j], j])) > 1 for j in range(outcome.shape[1])], dtype=bool
        )
        if not keep.any():
            return "ở mỗi hoạt động, hoặc không ai tham gia, hoặc mọi người đều tham gia", keep, []
        dropped = int((~keep).sum())
        note = (
            f"bỏ {number(dropped)} hoạt động mà không ai tham gia hoặc mọi người đều tham gia "
            "(không mang thông tin về khác biệt giữa các nhóm)"
        )
        return None, keep, [note] if dropped else []
    if len(values) == 0:
        return "không người trả lời nào tham gia hoạt động nào", np.zeros(outcome.shape[1], bool), []
    if len(values) < 2:
        return "mọi lượt tham gia có cùng một mức độ", np.zeros(outcome.shape[1], bool), []
    keep = present.any(axis=0)
    dropped = int((~keep).sum())
    note = f"bỏ {number(dropped)} hoạt động không có người tham gia"
    return None, keep, [note] if dropped else []


def _pooled_one(
    model, kind, outcome, d: Design, pattern, activities, spec, omissions, survey=None
) -> list[dict]:
    """One pooled model after its checks: its tidy rows, or the one row saying why it was left out."""
    reason, keep, notes = _pooled_outcome_reason(kind, outcome)
    present = ~np.isnan(outcome)
    nobs = int(present[:, keep].sum())
    if reason is None:
        outcome = outcome[:, keep]
        acts = [a for a, k in zip(activities, keep, strict=True) if k]
        sample = present[:, keep].any(axis=1)
        md = model_design(d, spec, d.X.iloc[np.unique(pattern[sample])])
        g = int(sample.sum())
        n_between = 1 + len(md.columns)  # the covariates differ between respondents only
        n_levels = len(np.unique(outcome[~np.isnan(outcome)]))
        k = len(md.columns) + len(acts) - 1 + (1 if kind == "logit" else n_levels - 1)
        who = "người trả lời" if kind == "logit" else "người có tham gia ít nhất một hoạt động"
        if g <= n_between:
            reason = too_few(g, n_between, who, spec.min_cases, exact=kind == "logit")
        elif nobs <= k:
            reason = too_few(nobs, k, "lượt (người × hoạt động)", spec.min_cases)
        else:
            cells = _pooled_cells(outcome, d.X[md.columns], pattern, acts)
            if collinear(cells.X):
                reason = COLLINEAR
    if reason is None:
        try:
            res, names, nobs = _fit_cells(cells, kind, survey)
            other = tuple(n for n in names if n not in md.columns)  # intercept, activity effects, thresholds
            rows = tidy(
                res,
                names,
                md.design,
                model,
                "tất cả",
                nobs,
                res.converged,
                "ổn" if res.converged else "không hội tụ",
                spec.alpha,
                drop=other,
                clusters=res.clusters,
            )
            reason = check_fit(rows)
        except Exception:  # noqa: BLE001 - whatever the fit raises, the reader gets a sentence
            reason = NO_SOLUTION
    if reason is not None:
        omissions.model(model, "tất cả", reason)
        return [_left_out(model, "tất cả", nobs, reason)]
    omissions.change(model, "tất cả", notes + md.notes)
    return rows


def pooled(
    frame: pd.DataFrame,
    activities: Block,
    spec: ModelSpec,
    levels: dict[str, list[str]],
    patterns: Patterns | None = None,
    omissions: Omissions | None = None,
    survey=None,
) -> pd.DataFrame:
    """Logit and ordinal models over all activities: activity fixed effects, SEs clustered by
    respondent; with ``survey`` (design.SurveyDesign of ``frame``'s rows), weighted fits whose
    variance sums each respondent's scores per PSU (respondents of zero weight left out, as in
    the per-activity models). A model its data cannot support is one row whose status says why."""
    omissions = omissions if omissions is not None else Omissions()
    patterns = patterns or covariate_patterns(frame, spec, levels)
    d, pattern = patterns.design, patterns.ids
    takes, level = wide_outcomes(frame, activities)
    weighted_out = np.zeros(len(frame), bool) if survey is None else survey.weights <= 0
    rows = []
    for model, outcome, kind in (
        ("gop_logit_tham_gia", takes.astype(float), "logit"),
        ("gop_thu_bac_muc_do", np.where(takes, level, np.nan), "ordinal"),
    ):
        outcome[weighted_out] = np.nan
        rows += _pooled_one(model, kind, outcome, d, pattern, list(activities), spec, omissions, survey)
    return pd.DataFrame(rows, columns=TERM_COLUMNS)
