"""Design-based logistic and proportional-odds models: weighted pseudo-likelihood fits (the
project's own fits, ``models.fitting``) with the linearisation variance of R's ``svyglm``
(``family=quasibinomial``) and ``svyolr``: V = A⁻¹ B A⁻¹, A the Hessian of the weighted
log-likelihood, B the design variance (``spec.variance``) of the score totals: summed per PSU,
centred within strata, times f_h · n_h/(n_h − 1).

Respondents of one PSU with the same covariate pattern and outcome are collapsed into one row
weighted by the sum of their weights: the weighted likelihood, its score and Hessian are sums
over respondents, and so are the PSU totals of the score (each row stays inside its PSU), so
the fit and its variance are those of the full data. A model on a domain (the participants of
an activity) keeps every PSU of the design, as R's ``subset``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import expit

from ..models.fitting import SandwichFit, fit_logit, fit_ordinal, with_constant
from .spec import SurveyDesign, variance


def patterns_of(X: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """The distinct rows of ``X`` (one per covariate pattern) and each row's pattern id; the
    project's stage has them already (``models.covariate_patterns``)."""
    ids, _ = pd.factorize(pd.MultiIndex.from_frame(X))
    first = np.unique(ids, return_index=True)[1]
    return X.iloc[first].reset_index(drop=True), ids


def collapse_within_psu(
    patterns: pd.DataFrame,
    pattern: np.ndarray,
    y: np.ndarray,
    design: SurveyDesign,
    domain: np.ndarray | None = None,
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray, np.ndarray, tuple[np.ndarray, np.ndarray]]:
    """Rows of the domain (default: all) with a positive weight and an outcome, collapsed by
    (PSU, covariate pattern, outcome): covariates, outcome, summed weight and PSU of each row.
    ``patterns``/``pattern`` as ``models.collapse`` (covariates per pattern id; each row's id).
    Last: the rows kept and the collapsed row of each."""
    y = np.asarray(y, dtype=float)
    keep = (design.weights > 0) & ~np.isnan(y)
    if domain is not None:
        keep &= np.asarray(domain, dtype=bool)
    codes, levels = pd.factorize(y[keep], sort=True)
    n_patterns = len(patterns)
    key = (design.psu[keep].astype(np.int64) * n_patterns + np.asarray(pattern)[keep]) * len(levels) + codes
    cells, inverse = np.unique(key, return_inverse=True)
    weights = np.bincount(inverse, weights=design.weights[keep], minlength=len(cells))
    X = patterns.iloc[(cells // len(levels)) % n_patterns].reset_index(drop=True)
    psu = cells // len(levels) // n_patterns
    return X, np.asarray(levels)[cells % len(levels)], weights, psu, (np.flatnonzero(keep), inverse)


def _design_variance(scores, w, psu, rows, design: SurveyDesign) -> np.ndarray:
    """B from the collapsed rows' scores; for calibrated weights, each respondent's own score
    (its weight times its row's score per unit of weight) is needed: see calibration.py."""
    if design.calibration is None:
        return variance(scores, design, psu)
    kept, cell = rows
    per_row = np.zeros((design.n, scores.shape[1]))
    per_row[kept] = design.weights[kept, None] * (scores / w[:, None])[cell]
    return variance(per_row, design)


def _domain_df(design: SurveyDesign, psu: np.ndarray) -> tuple[int, int]:
    """PSUs of the domain and its degrees of freedom (its PSUs − its strata), as R's degf."""
    present = np.unique(psu)
    return len(present), len(present) - len(np.unique(design.psu_stratum[present]))


def svy_logit(
    patterns: pd.DataFrame,
    pattern: np.ndarray,
    y: np.ndarray,
    design: SurveyDesign,
    domain: np.ndarray | None = None,
) -> SandwichFit:
    """Logistic regression of 0/1 ``y`` as ``svyglm(family=quasibinomial)``: estimates, the
    design-based covariance, t inference on degf − p + 1 (R's ``summary.svyglm``)."""
    X, yc, w, psu, rows = collapse_within_psu(patterns, pattern, y, design, domain)
    res, names, _ = fit_logit(yc, X, weights=w)
    E = with_constant(X).to_numpy(dtype=float)
    beta = np.asarray(res.params, dtype=float)
    for _ in range(3):  # Newton steps to the precision of the arithmetic (GLM stops at 1e-8)
        mu = expit(E @ beta)
        A = E.T @ (E * (w * mu * (1 - mu))[:, None])
        step = np.linalg.solve(A, E.T @ (w * (yc - mu)))
        beta = beta + step
        if np.abs(step).max() < 1e-12 * (1 + np.abs(beta).max()):
            break
    mu = expit(E @ beta)
    A_inv = np.linalg.inv(E.T @ (E * (w * mu * (1 - mu))[:, None]))
    scores = E * (w * (yc - mu))[:, None]
    cov = A_inv @ _design_variance(scores, w, psu, rows, design) @ A_inv
    ok = bool(np.abs(scores.sum(axis=0)).max() <= 1e-6 * w.sum())
    clusters, df = _domain_df(design, psu)
    return SandwichFit(beta, cov, ok, clusters, df - len(beta) + 1, names)


def svy_ordinal(
    patterns: pd.DataFrame,
    pattern: np.ndarray,
    y: np.ndarray,
    design: SurveyDesign,
    domain: np.ndarray | None = None,
) -> SandwichFit:
    """Proportional odds (logit link) as ``svyolr``: logit P(Y ≤ k) = ζ_k − xβ. Parameters are
    β then the cut points ζ (not the project's increments), their covariance design-based; t
    inference on degf − p (R's ``svyolr`` df.residual)."""
    X, yc, w, psu, rows = collapse_within_psu(patterns, pattern, y, design, domain)
    res, _, converged = fit_ordinal(yc, X, weights=w)
    model = res.model
    theta = np.asarray(res.params, dtype=float)
    scores = model.score_obs(theta)
    H_inv = np.linalg.inv(model.hessian(theta))
    cov_theta = H_inv @ _design_variance(scores, w, psu, rows, design) @ H_inv
    k = X.shape[1]
    m = len(theta) - k
    J = np.eye(len(theta))  # d(β, ζ)/d(β, θ): ζ_j = θ_1 + Σ_{2≤l≤j} exp(θ_l)
    J[k:, k:] = np.tril(np.ones((m, m)))
    J[k:, k + 1 :] *= np.exp(theta[k + 1 :])[None, :]
    params = np.r_[theta[:k], np.cumsum(np.r_[theta[k], np.exp(theta[k + 1 :])])]
    levels = sorted(np.unique(yc))
    names = list(X.columns) + [f"{_fmt(a)}|{_fmt(b)}" for a, b in zip(levels[:-1], levels[1:], strict=True)]
    clusters, df = _domain_df(design, psu)
    return SandwichFit(params, J @ cov_theta @ J.T, converged, clusters, df - k, names)


def _fmt(level) -> str:
    return str(int(level)) if float(level).is_integer() else str(level)
