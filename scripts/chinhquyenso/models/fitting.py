"""Fitting one model: logistic and proportional-odds ordinal regression on collapsed rows with
frequency weights, sandwich covariances, and the tidy table every model is reported in."""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .spec import Design

TERM_COLUMNS = [
    "mo_hinh",
    "hoat_dong",
    "bien",
    "so_hang",
    "nhan",
    "tham_chieu",
    "he_so",
    "se",
    "or_",
    "ci_thap",
    "ci_cao",
    "p",
    "p_hieu_chinh",
    "n",
    "so_cum",  # clusters the SEs rest on: respondents (pooled models: n counts person-activity rows)
    "hoi_tu",
    "tinh_trang",
]


def collapse(
    patterns: pd.DataFrame, y: np.ndarray, pattern: np.ndarray
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Observations with the same covariates (``pattern``: each observation's covariate pattern
    id; ``patterns``: the covariates of each id, see pattern_table) and the same outcome,
    collapsed into one row and its count.

    The log-likelihood, score and Hessian of these models are sums over observations, so a fit
    on the collapsed rows with frequency weights gives the same estimates and the same
    model-based standard errors as a fit on every row; a national sample of a million
    respondents has a few thousand covariate patterns (tests/test_models.py checks equality)."""
    y = np.asarray(y)
    codes, uniques = pd.factorize(y, sort=True)
    key = np.asarray(pattern, dtype=np.int64) * len(uniques) + codes
    keys, first, counts = np.unique(key, return_index=True, return_counts=True)
    X = patterns.iloc[keys // len(uniques)].reset_index(drop=True)
    return X, y[first], counts.astype(float)


def with_constant(X: pd.DataFrame) -> pd.DataFrame:
    """The design with an intercept column "const" first, even when a column is constant."""
    import statsmodels.api as sm

    return sm.add_constant(X, has_constant="add")


# Converged: the score per unit of weight (the mean score of one respondent) is this small, in
# every direction. Scale-free: it does not grow with the sample as the summed gradient does,
# and it judges the point reached, not the optimiser's message ("precision loss" from BFGS at
# a gradient of 1e-8 per respondent on 10^5 rows is a converged fit).
SCORE_TOL = 1e-6


def converged(score: np.ndarray, total_weight: float) -> bool:
    score = np.asarray(score, dtype=float)
    return bool(np.isfinite(score).all() and np.abs(score).max(initial=0.0) <= SCORE_TOL * total_weight)


def fit_logit(y: np.ndarray, X: pd.DataFrame, weights: np.ndarray | None = None):
    import statsmodels.api as sm

    exog = with_constant(X)
    w = np.ones(len(y)) if weights is None else np.asarray(weights, dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if weights is not None:  # collapsed rows: the binomial GLM is the same likelihood as Logit
            res = sm.GLM(y, exog, family=sm.families.Binomial(), freq_weights=w).fit(maxiter=300)
            mu = np.asarray(res.predict(exog))
        else:
            res = sm.Logit(y, exog).fit(disp=0, maxiter=300)
            mu = np.asarray(res.predict(exog))
    score = exog.to_numpy(dtype=float).T @ (w * (np.asarray(y, dtype=float) - mu))
    return res, list(exog.columns), converged(score, float(w.sum()))


def _logit_ordered_model():
    """OrderedModel (logit link) with the analytic score, so that BFGS and the cluster-robust
    covariance do not differentiate the likelihood numerically (50 times slower on 10^5 rows)."""
    from scipy.special import expit
    from statsmodels.miscmodels.ordinal_model import OrderedModel

    class LogitOrderedModel(OrderedModel):
        def _pieces(self, params):
            params = np.asarray(params, dtype=float)
            k = self.exog.shape[1]
            beta, theta = params[:k], params[k:]
            cuts = np.cumsum(np.r_[theta[0], np.exp(theta[1:])])
            edges = np.r_[-np.inf, cuts, np.inf]
            y = np.asarray(self.endog, dtype=int)  # 0-based category codes
            eta = self.exog @ beta
            return theta, cuts, y, edges[y + 1] - eta, edges[y] - eta

        freq_weights = None  # set on collapsed data (see collapse): each row counts this many times

        def _w(self, values):
            if self.freq_weights is None:
                return values
            w = self.freq_weights
            return values * (w if values.ndim == 1 else w[:, None])

        def loglikeobs(self, params):
            _, _, _, upper, lower = self._pieces(params)
            return self._w(np.log(np.clip(expit(upper) - expit(lower), 1e-300, None)))

        def hessian(self, params):
            # analytic: the Hessian in the cut points (design.ordinal.pieces), taken to the
            # increments theta by the chain rule; c_j = theta_1 + sum_{2<=l<=j} exp(theta_l)
            from ..design.ordinal import pieces

            theta, cuts, y, _, _ = self._pieces(params)
            k, m = self.exog.shape[1], len(cuts)
            w = np.ones(len(y)) if self.freq_weights is None else self.freq_weights
            X = np.asarray(self.exog, dtype=float)
            _, G, H = pieces(np.r_[np.asarray(params, dtype=float)[:k], cuts], X, y, w)
            J = np.eye(k + m)
            J[k:, k:] = np.tril(np.ones((m, m)))
            J[k:, k + 1 :] *= np.exp(theta[1:])[None, :]
            h = J.T @ H @ J
            g_cut = (G[:, k:] * w[:, None]).sum(axis=0)  # weighted score in the cut points
            second = np.exp(theta[1:]) * np.cumsum(g_cut[::-1])[::-1][1:]  # d2 c_j / d theta_l^2
            h[np.arange(k + 1, k + m), np.arange(k + 1, k + m)] += second
            return (h + h.T) / 2

        def score_obs(self, params):
            theta, cuts, y, upper, lower = self._pieces(params)
            fu, fl = expit(upper), expit(lower)
            du = np.where(np.isfinite(upper), fu * (1 - fu), 0.0)  # logistic density
            dl = np.where(np.isfinite(lower), fl * (1 - fl), 0.0)
            prob = np.clip(fu - fl, 1e-300, None)
            g_beta = -self.exog * ((du - dl) / prob)[:, None]
            m = len(cuts)
            # d log p / d c_j: + du / p for the upper cut (index y), - dl / p for the lower (y - 1)
            g_cut = np.zeros((len(y), m))
            rows = np.arange(len(y))
            has_upper, has_lower = y < m, y > 0
            g_cut[rows[has_upper], y[has_upper]] += du[has_upper] / prob[has_upper]
            g_cut[rows[has_lower], y[has_lower] - 1] -= dl[has_lower] / prob[has_lower]
            # c_j = theta_1 + sum_{l<=j, l>=2} exp(theta_l)
            jac = np.tril(np.ones((m, m)))
            jac[:, 1:] *= np.exp(theta[1:])[None, :]
            return self._w(np.column_stack([g_beta, g_cut @ jac]))

        def score(self, params):
            return self.score_obs(params).sum(axis=0)

    return LogitOrderedModel


def fit_ordinal(y: np.ndarray, X: pd.DataFrame, weights: np.ndarray | None = None):
    """Proportional odds, logit link. Returns the fit, parameter names and convergence.

    BFGS finds the neighbourhood; Newton steps on the analytic score and its Jacobian then
    polish the estimate to the precision of the arithmetic, so that the estimates (and the
    convergence judged by ``converged``) do not depend on where BFGS happened to stop."""
    observed = sorted(np.unique(y))
    endog = pd.Series(pd.Categorical(y, categories=observed, ordered=True))
    # distr="logit": OrderedModel's default link is probit
    model = _logit_ordered_model()(endog, X.reset_index(drop=True), distr="logit")
    if weights is not None:
        model.freq_weights = np.asarray(weights, dtype=float)
    total = float(len(y) if weights is None else np.sum(weights))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = model.fit(method="bfgs", disp=0, maxiter=2000, gtol=1e-8)
        start = _newton_polish(model, np.asarray(res.params, dtype=float))
        if start is not None:  # the result at the polished point: its Hessian, SEs, everything
            res = model.fit(start_params=start, method="newton", maxiter=0, disp=0)
    ok = converged(model.score(np.asarray(res.params, dtype=float)), total)
    return res, list(res.params.index), ok


def _newton_polish(model, params: np.ndarray, steps: int = 8) -> np.ndarray | None:
    """Newton steps from ``params`` (halved while the log-likelihood falls); None when the
    first step cannot be taken (a singular Hessian: e.g. separation, judged elsewhere)."""
    if not np.isfinite(params).all():
        return None
    best, ll = params, model.loglike(params)
    for _ in range(steps):
        g = model.score(best)
        try:
            step = np.linalg.solve(model.hessian(best), g)
        except np.linalg.LinAlgError:
            break
        if not np.isfinite(step).all():
            break
        for scale in (1.0, 0.5, 0.25, 0.125):
            trial = best - scale * step
            new = model.loglike(trial)
            if np.isfinite(new) and new >= ll - 1e-12 * abs(ll):
                break
        else:
            break
        moved = np.abs(trial - best).max()
        best, ll = trial, new
        if moved < 1e-13 * (1 + np.abs(best).max()):
            break
    return None if best is params else best


def cut_points(res) -> list[float]:
    """Thresholds on the latent scale: OrderedModel stores the increments, exp-transformed."""
    return list(res.model.transform_threshold_params(np.asarray(res.params))[1:-1])


@dataclass
class SandwichFit:
    """Estimates with a sandwich covariance computed here (collapsed rows: see collapse), read
    like a statsmodels result: normal z inference, or t on ``df_resid`` degrees of freedom."""

    params: np.ndarray
    cov: np.ndarray
    converged: bool = True
    clusters: int = 0  # respondents, when the sandwich is clustered by respondent
    df_resid: float | None = None  # t inference (OLS); None: normal
    names: list[str] | None = None  # parameter names, when kept with the fit (the count model)

    @property
    def bse(self) -> np.ndarray:
        return np.sqrt(np.diag(self.cov))

    def _dist(self):
        from scipy import stats

        return stats.norm if self.df_resid is None else stats.t(self.df_resid)

    @property
    def pvalues(self) -> np.ndarray:
        return 2 * self._dist().sf(np.abs(self.params / self.bse))

    def conf_int(self, alpha: float) -> np.ndarray:
        half = self._dist().ppf(1 - alpha / 2) * self.bse
        return np.column_stack([self.params - half, self.params + half])


def tidy(
    res,
    names,
    d: Design,
    model: str,
    activity: str,
    n: int,
    converged: bool,
    status: str,
    alpha: float,
    drop: tuple[str, ...] = (),
    clusters: int | None = None,
) -> list[dict]:
    with np.errstate(over="ignore"):  # a separated model: exp() overflows, see estimable.check_fit
        return _tidy(res, names, d, model, activity, n, converged, status, alpha, drop, clusters)


def _tidy(res, names, d, model, activity, n, converged, status, alpha, drop, clusters) -> list[dict]:
    params = pd.Series(np.asarray(res.params), index=names)
    bse = pd.Series(np.asarray(res.bse), index=names)
    pvalues = pd.Series(np.asarray(res.pvalues), index=names)
    ci = np.asarray(res.conf_int(alpha=alpha))
    ci = pd.DataFrame(ci, index=names)
    rows = []
    for col in names:
        if col in drop:
            continue
        cov, level = d.terms.get(col, (col, ""))
        rows.append(
            {
                "mo_hinh": model,
                "hoat_dong": activity,
                "bien": cov,
                "so_hang": col,
                "nhan": level,
                "tham_chieu": d.references.get(cov, ""),
                "he_so": params[col],
                "se": bse[col],
                "or_": float(np.exp(params[col])),
                "ci_thap": float(np.exp(ci.loc[col, 0])),
                "ci_cao": float(np.exp(ci.loc[col, 1])),
                "p": pvalues[col],
                "p_hieu_chinh": np.nan,
                "n": n,
                "so_cum": n if clusters is None else clusters,
                "hoi_tu": converged,
                "tinh_trang": status,
            }
        )
    return rows
