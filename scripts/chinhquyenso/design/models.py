"""Design-based logistic and proportional-odds models: weighted pseudo-likelihood fits (Newton's
method with analytic Hessians, here and in ``ordinal``; the project's fits of ``models.fitting``
when it cannot proceed) with the linearisation variance of R's ``svyglm``
(``family=quasibinomial``) and ``svyolr``: V = A⁻¹ B A⁻¹, A the Hessian of the weighted
log-likelihood, B the design variance (``spec.variance``) of the score totals: summed per PSU,
centred within strata, times f_h · n_h/(n_h − 1).

Respondents with the same covariate pattern and outcome are collapsed into one row weighted by
the sum of their weights: the weighted likelihood, its score and Hessian are sums over
respondents, so the fit is that of the full data, on a few thousand rows. A respondent's score
is their weight times their row's score per unit of weight, so the PSU totals of the score come
from a sparse table of each row's weight in each PSU (the collapse within PSU, without fitting
on PSUs × patterns rows): the variance is also that of the full data. A model on a domain (the participants of
an activity) keeps every PSU of the design, as R's ``subset``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.special import expit

from ..models.fitting import SandwichFit, fit_logit, fit_ordinal, with_constant
from ..models.fitting import converged as scores_converged
from .ordinal import fit_newton
from .spec import SurveyDesign, variance, variance_of_totals


def patterns_of(X: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """The distinct rows of ``X`` (one per covariate pattern) and each row's pattern id; the
    project's stage has them already (``models.covariate_patterns``)."""
    ids, _ = pd.factorize(pd.MultiIndex.from_frame(X))
    first = np.unique(ids, return_index=True)[1]
    return X.iloc[first].reset_index(drop=True), ids


@dataclass(frozen=True)
class Collapsed:
    """Observations with the same covariate pattern and outcome as one row weighted by the sum
    of their weights (``X``, ``y``, ``w``); ``psu_weights`` (PSUs × rows, sparse): the part of
    each row's weight in each PSU; ``members`` (respondents × rows, sparse): how many of each
    respondent's observations a row holds (one per respondent in a per-activity model; one per
    activity taken part in, in a pooled model)."""

    X: pd.DataFrame
    y: np.ndarray
    w: np.ndarray
    psu_weights: sparse.csr_matrix
    members: sparse.csr_matrix

    def variance(self, scores: np.ndarray, design: SurveyDesign) -> np.ndarray:
        """B: the design variance of the score totals. A respondent's score is their weight
        times the sum of their rows' scores per unit of weight, so a PSU's total is its weights
        in each row times those; with calibrated weights, respondent by respondent
        (calibration.py)."""
        unit = np.divide(scores, self.w[:, None], out=np.zeros_like(scores), where=self.w[:, None] > 0)
        if design.calibration is None:
            return variance_of_totals(np.asarray(self.psu_weights @ unit), design)
        return variance(design.weights[:, None] * np.asarray(self.members @ unit), design)

    @property
    def psus(self) -> np.ndarray:
        """The PSUs with a respondent of the domain."""
        return np.flatnonzero(np.diff(self.psu_weights.indptr) > 0)


def _collapsed(X, y, respondent, row, n_rows, design) -> Collapsed:
    """``Collapsed`` from each observation's respondent and row."""
    w_obs = design.weights[respondent]
    weights = np.bincount(row, weights=w_obs, minlength=n_rows)
    by_psu = sparse.csr_matrix((w_obs, (design.psu[respondent], row)), shape=(design.n_psu_total, n_rows))
    by_psu.sum_duplicates()
    members = sparse.csr_matrix((np.ones(len(row)), (respondent, row)), shape=(design.n, n_rows))
    members.sum_duplicates()
    return Collapsed(X, y, weights, by_psu, members)


def collapse_weighted(
    patterns: pd.DataFrame,
    pattern: np.ndarray,
    y: np.ndarray,
    design: SurveyDesign,
    domain: np.ndarray | None = None,
) -> Collapsed:
    """Respondents of the domain (default: all) with a positive weight and an outcome, collapsed
    by (covariate pattern, outcome). ``patterns``/``pattern`` as ``models.collapse`` (covariates
    per pattern id; each respondent's id)."""
    y = np.asarray(y, dtype=float)
    keep = (design.weights > 0) & ~np.isnan(y)
    if domain is not None:
        keep &= np.asarray(domain, dtype=bool)
    kept = np.flatnonzero(keep)
    codes, levels = pd.factorize(y[kept], sort=True)
    key = np.asarray(pattern)[kept].astype(np.int64) * len(levels) + codes
    cells, row = np.unique(key, return_inverse=True)
    X = patterns.iloc[cells // len(levels)].reset_index(drop=True)
    return _collapsed(X, np.asarray(levels)[cells % len(levels)], kept, row, len(cells), design)


def collapse_observations(
    X: pd.DataFrame, y: np.ndarray, respondent: np.ndarray, row: np.ndarray, design: SurveyDesign
) -> Collapsed:
    """Rows already collapsed elsewhere (the pooled models' (pattern, activity, outcome) cells:
    ``X``, ``y``), with each observation's respondent and row, weighted by the design."""
    return _collapsed(X, np.asarray(y, dtype=float), np.asarray(respondent), np.asarray(row), len(y), design)


def _domain_df(design: SurveyDesign, present: np.ndarray) -> tuple[int, int]:
    """PSUs of the domain and its degrees of freedom (its PSUs − its strata), as R's degf."""
    return len(present), len(present) - len(np.unique(design.psu_stratum[present]))


def svy_logit(
    patterns: pd.DataFrame,
    pattern: np.ndarray,
    y: np.ndarray,
    design: SurveyDesign,
    domain: np.ndarray | None = None,
) -> SandwichFit:
    """Logistic regression of ``y`` as ``svyglm(family=quasibinomial)``: estimates, the
    design-based covariance, t inference on degf − p + 1 (R's ``summary.svyglm``). ``y`` is 0/1,
    or a share k/K of K trials (a count index: the same estimates as K binomial trials)."""
    return logit_on(collapse_weighted(patterns, pattern, y, design, domain), design)


def logit_on(c: Collapsed, design: SurveyDesign) -> SandwichFit:
    """``svy_logit`` on rows already collapsed."""
    X, yc, w = c.X, c.y, c.w
    exog = with_constant(X)
    names, E = list(exog.columns), exog.to_numpy(dtype=float)
    beta = _logit_newton(E, yc, w)
    if beta is None:  # Newton's method from zero could not proceed: the project's fit, polished
        res, names, _ = fit_logit(yc, X, weights=w)
        beta = _logit_newton(E, yc, w, np.asarray(res.params, dtype=float), steps=3)
        beta = np.asarray(res.params, dtype=float) if beta is None else beta
    mu = expit(E @ beta)
    A_inv = np.linalg.inv(E.T @ (E * (w * mu * (1 - mu))[:, None]))
    scores = E * (w * (yc - mu))[:, None]
    cov = A_inv @ c.variance(scores, design) @ A_inv
    ok = scores_converged(scores.sum(axis=0), w.sum())  # the project's one convergence rule
    clusters, df = _domain_df(design, c.psus)
    return SandwichFit(beta, cov, ok, clusters, df - len(beta) + 1, names)


def svy_linear(
    patterns: pd.DataFrame,
    pattern: np.ndarray,
    y: np.ndarray,
    design: SurveyDesign,
    domain: np.ndarray | None = None,
) -> SandwichFit:
    """Weighted least squares as ``svyglm(family=gaussian)``: estimates, design-based
    covariance (A = X'WX), t inference on degf − p + 1."""
    c = collapse_weighted(patterns, pattern, y, design, domain)
    exog = with_constant(c.X)
    E = exog.to_numpy(dtype=float)
    A = E.T @ (E * c.w[:, None])
    beta = np.linalg.solve(A, E.T @ (c.w * c.y))
    scores = E * (c.w * (c.y - E @ beta))[:, None]
    A_inv = np.linalg.inv(A)
    clusters, df = _domain_df(design, c.psus)
    return SandwichFit(
        beta,
        A_inv @ c.variance(scores, design) @ A_inv,
        True,
        clusters,
        df - len(beta) + 1,
        list(exog.columns),
    )


def _logit_newton(E, y, w, beta=None, steps: int = 50) -> np.ndarray | None:
    """Newton's method (IRLS) for the weighted logit to the precision of the arithmetic; None
    when it cannot proceed or does not settle (separation: judged by the caller's checks)."""
    beta = np.zeros(E.shape[1]) if beta is None else beta
    for _ in range(steps):
        mu = expit(E @ beta)
        try:
            step = np.linalg.solve(E.T @ (E * (w * mu * (1 - mu))[:, None]), E.T @ (w * (y - mu)))
        except np.linalg.LinAlgError:
            return None
        beta = beta + step
        if not np.isfinite(beta).all():
            return None
        if np.abs(step).max() < 1e-12 * (1 + np.abs(beta).max()):
            return beta
    return beta if steps < 50 else None


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
    return ordinal_on(collapse_weighted(patterns, pattern, y, design, domain), design)


def ordinal_on(c: Collapsed, design: SurveyDesign) -> SandwichFit:
    """``svy_ordinal`` on rows already collapsed."""
    X, yc, w = c.X, c.y, c.w
    fit = fit_newton(yc, X.to_numpy(dtype=float), w)
    if fit is not None:
        params, scores, H, converged = fit
        H_inv = np.linalg.inv(H)
        cov = H_inv @ c.variance(scores, design) @ H_inv
    else:  # Newton's method could not proceed: the project's fit, in its parameters
        params, cov, converged = _project_fit(c, design)
    k = X.shape[1]
    levels = sorted(np.unique(yc))
    names = list(X.columns) + [f"{_fmt(a)}|{_fmt(b)}" for a, b in zip(levels[:-1], levels[1:], strict=True)]
    clusters, df = _domain_df(design, c.psus)
    return SandwichFit(params, cov, converged, clusters, df - k, names)


def _project_fit(c: Collapsed, design: SurveyDesign) -> tuple[np.ndarray, np.ndarray, bool]:
    """``fit_ordinal`` (cut points as increments θ), its sandwich taken to (β, ζ)."""
    res, _, converged = fit_ordinal(c.y, c.X, weights=c.w)
    model = res.model
    theta = np.asarray(res.params, dtype=float)
    H_inv = np.linalg.inv(model.hessian(theta))
    cov_theta = H_inv @ c.variance(model.score_obs(theta), design) @ H_inv
    k = c.X.shape[1]
    m = len(theta) - k
    J = np.eye(len(theta))  # d(β, ζ)/d(β, θ): ζ_j = θ_1 + Σ_{2≤l≤j} exp(θ_l)
    J[k:, k:] = np.tril(np.ones((m, m)))
    J[k:, k + 1 :] *= np.exp(theta[k + 1 :])[None, :]
    params = np.r_[theta[:k], np.cumsum(np.r_[theta[k], np.exp(theta[k + 1 :])])]
    return params, J @ cov_theta @ J.T, converged


def _fmt(level) -> str:
    return str(int(level)) if float(level).is_integer() else str(level)
