"""The weighted proportional-odds fit by Newton's method with the analytic Hessian, in the
parameters R's ``polr``/``svyolr`` report: logit P(Y ≤ k) = ζ_k − xβ.

With a province fixed effect the collapsed data have tens of thousands of rows and forty
parameters; the project's BFGS fit (``models.fitting.fit_ordinal``) then needs hundreds of
score evaluations, Newton's method about ten. Same likelihood, same maximum: when Newton's
method cannot proceed (a singular Hessian, e.g. separation) the caller falls back to the
project's fit.
"""

from __future__ import annotations

import numpy as np
from scipy.special import expit

from ..models.fitting import converged


def pieces(params, X, k, w):
    """Log-likelihood, per-row gradient of log p (n × P) and the Hessian (P × P)."""
    p_beta = X.shape[1]
    beta, zeta = params[:p_beta], params[p_beta:]
    m = len(zeta)
    eta = X @ beta
    n = len(k)
    upper, lower = k < m, k > 0  # the category has an upper / a lower cut point
    u = np.where(upper, zeta[np.minimum(k, m - 1)] - eta, np.inf)
    low = np.where(lower, zeta[np.maximum(k - 1, 0)] - eta, -np.inf)
    Fu, Fl = expit(u), expit(low)
    prob = np.clip(Fu - Fl, 1e-300, None)
    fu, fl = Fu * (1 - Fu), Fl * (1 - Fl)  # 0 at ±inf
    dfu, dfl = fu * (1 - 2 * Fu), fl * (1 - 2 * Fl)
    rows = np.arange(n)
    Eu = np.zeros((n, p_beta + m))
    El = np.zeros((n, p_beta + m))
    Eu[:, :p_beta] = -X * upper[:, None]
    El[:, :p_beta] = -X * lower[:, None]
    Eu[rows[upper], p_beta + k[upper]] = 1.0
    El[rows[lower], p_beta + k[lower] - 1] = 1.0
    G = Eu * (fu / prob)[:, None] - El * (fl / prob)[:, None]
    H = (
        (Eu * (w * dfu / prob)[:, None]).T @ Eu
        - (El * (w * dfl / prob)[:, None]).T @ El
        - (G * w[:, None]).T @ G
    )
    return float(w @ np.log(prob)), G, H


def _start(X, k, w, m) -> np.ndarray:
    """β = 0; ζ at the logits of the weighted cumulative shares."""
    shares = np.cumsum(np.bincount(k, weights=w, minlength=m + 1))[:-1] / w.sum()
    return np.r_[np.zeros(X.shape[1]), np.log(shares / (1 - shares))]


def fit_newton(y: np.ndarray, X: np.ndarray, w: np.ndarray, max_steps: int = 100):
    """(params [β, ζ], per-row scores w·∇log p, Hessian, converged) or None when Newton's method
    cannot proceed. ``y``: the outcome's levels (sorted unique values are the categories)."""
    levels, k = np.unique(y, return_inverse=True)
    m = len(levels) - 1
    X = np.asarray(X, dtype=float)
    params = _start(X, k, w, m)
    ll, G, H = pieces(params, X, k, w)
    for _ in range(max_steps):
        try:
            step = np.linalg.solve(H, (G * w[:, None]).sum(axis=0))
        except np.linalg.LinAlgError:
            return None
        for scale in (1.0, 0.5, 0.25, 0.125, 0.0625):
            trial = params - scale * step
            if np.all(np.diff(trial[X.shape[1] :]) > 0):
                new = pieces(trial, X, k, w)
                if np.isfinite(new[0]) and new[0] >= ll - 1e-12 * abs(ll):
                    break
        else:
            return None
        params, (ll, G, H) = trial, new
        if np.abs(scale * step).max() < 1e-11 * (1 + np.abs(params).max()):
            break
    scores = G * w[:, None]
    if not np.isfinite(params).all():
        return None
    return params, scores, H, converged(scores.sum(axis=0), float(w.sum()))
