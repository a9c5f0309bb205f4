"""The two indices of participation, the number of activities taken part in and the mean level
among them, modelled on the covariates, and the predictions drawn from them along tenure.

Both are fitted on collapsed rows (see fitting.collapse): respondents with the same covariate
pattern and the same outcome are one row, counted by a frequency weight, so a million
respondents cost no more than a few thousand rows. The estimates are the row-level ones, and
the robust covariances are computed here from each respondent's score, so they are the
row-level ones too (statsmodels' robust covariances would treat a collapsed row as one
observation); tests/test_models.py checks both against the fit on every row.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from ..codebook import Block
from .fitting import TERM_COLUMNS, SandwichFit, collapse, tidy, with_constant
from .spec import ModelSpec, Patterns, covariate_patterns, design, grid_dimensions, wide_outcomes


def binomial_hc1(
    successes: np.ndarray, trials: np.ndarray, X: pd.DataFrame, weights: np.ndarray
) -> tuple[SandwichFit, list[str]]:
    """Binomial GLM (logit link) of ``successes`` out of ``trials`` on collapsed rows ``X``
    (``weights``: respondents per row), with the row-level HC1 sandwich: HC0 · n/(n − k), as
    R's sandwich::vcovHC(type = "HC1"); statsmodels' GLM "HC1" applies no n/(n − k)."""
    import statsmodels.api as sm

    exog = with_constant(X)
    endog = np.column_stack([successes, trials - successes])
    res = sm.GLM(endog, exog, family=sm.families.Binomial(), freq_weights=weights).fit()
    A, w = exog.to_numpy(dtype=float), np.asarray(weights, dtype=float)
    p = np.asarray(res.predict(exog))
    score = A * (successes - trials * p)[:, None]  # one respondent's score
    bread = np.linalg.inv(A.T @ (A * (w * trials * p * (1 - p))[:, None]))
    n, k = w.sum(), A.shape[1]
    cov = bread @ (score.T @ (score * w[:, None])) @ bread * n / (n - k)
    return SandwichFit(np.asarray(res.params), cov, bool(res.converged)), list(exog.columns)


def ols_hc3(y: np.ndarray, X: pd.DataFrame, weights: np.ndarray) -> tuple[SandwichFit, list[str]]:
    """OLS on collapsed rows (``weights``: respondents per row) with the row-level HC3 sandwich
    and t inference on the row-level residual degrees of freedom n − k. A respondent's leverage
    depends on their covariates only, so it is the same for every respondent of a row."""
    exog = with_constant(X)
    A, w = exog.to_numpy(dtype=float), np.asarray(weights, dtype=float)
    root = np.sqrt(w)
    beta = np.linalg.lstsq(A * root[:, None], y * root, rcond=None)[0]
    inverse = np.linalg.inv(A.T @ (A * w[:, None]))
    leverage = np.einsum("ij,jk,ik->i", A, inverse, A)
    resid = (y - A @ beta) / (1 - leverage)
    cov = inverse @ (A.T @ (A * (w * resid**2)[:, None])) @ inverse
    n, k = w.sum(), A.shape[1]
    return SandwichFit(beta, cov, True, df_resid=n - k), list(exog.columns)


def indices(
    frame: pd.DataFrame,
    activities: Block,
    spec: ModelSpec,
    levels: dict[str, list[str]],
    patterns: Patterns | None = None,
) -> tuple:
    """Number of activities taken part in (binomial GLM, HC1) and mean level among them (OLS,
    HC3, t). Returns the tidy rows, the count model (for predictions), the counts and the
    respondents x activities taking-part matrix."""
    patterns = patterns or covariate_patterns(frame, spec, levels)
    d = patterns.design
    takes, level = wide_outcomes(frame, activities)
    count = takes.sum(axis=1)
    Xc, yc, w = collapse(d.X, count, patterns.ids)
    res_count, names = binomial_hc1(yc, np.full(len(yc), len(activities)), Xc, w)
    has = count > 0
    mean_level = np.nanmean(np.where(takes == 1, level, np.nan)[has], axis=1)
    Xl, yl, wl = collapse(d.X, mean_level, patterns.ids[has])
    res_level, _ = ols_hc3(yl, Xl, wl)
    status = "ổn" if res_count.converged else "không hội tụ"
    rows = tidy(
        res_count,
        names,
        d,
        "chi_so_so_hoat_dong",
        "tất cả",
        len(count),
        res_count.converged,
        status,
        spec.alpha,
        drop=("const",),
    )
    level_rows = tidy(
        res_level,
        names,
        d,
        "chi_so_muc_do_tb",
        "tất cả",
        int(has.sum()),
        True,
        "ổn",
        spec.alpha,
        drop=("const",),
    )
    ci = res_level.conf_int(alpha=spec.alpha)
    for r in level_rows:  # OLS: the coefficient is a difference in mean level, not an odds ratio
        r["or_"] = np.nan
        r["ci_thap"], r["ci_cao"] = (float(v) for v in ci[names.index(r["so_hang"])])
    return pd.DataFrame(rows + level_rows, columns=TERM_COLUMNS), res_count, count, takes


def _predicted(res: SandwichFit, gx: np.ndarray, alpha: float) -> tuple[np.ndarray, ...]:
    """Predicted probability with its interval: the normal interval of the linear predictor,
    through the inverse link (statsmodels' get_prediction, method "endpoint")."""
    from scipy import stats
    from scipy.special import expit

    eta = gx @ res.params
    se = np.sqrt(np.einsum("ij,jk,ik->i", gx, res.cov, gx))
    z = stats.norm.ppf(1 - alpha / 2)
    return expit(eta), expit(eta - z * se), expit(eta + z * se)


def predictions(
    frame: pd.DataFrame,
    activities: Block,
    spec: ModelSpec,
    levels: dict[str, list[str]],
    res_count: SandwichFit,
    patterns: Patterns | None = None,
) -> pd.DataFrame:
    """Predicted share of activities taken part, and of those at the scale's high levels, across
    tenure min..max by gender and administrative level (other covariates at their reference), with CIs."""
    patterns = patterns or covariate_patterns(frame, spec, levels)
    d = patterns.design
    takes, level = wide_outcomes(frame, activities)
    high = ((level >= activities.scale.high_from) & (takes == 1)).astype(int)
    n_take, n_high = takes.sum(axis=1), high.sum(axis=1)
    has = n_take > 0
    # one code per (activities at a high level, activities taken part in)
    m = len(activities) + 1
    Xh, code, w = collapse(d.X, n_high[has] * m + n_take[has], patterns.ids[has])
    res_high, names = binomial_hc1(code // m, code % m, Xh, w)
    tenure_var = spec.roles["tenure"]
    tenure = range(int(frame[tenure_var].min()), int(frame[tenure_var].max()) + 1)
    refs = {c.name: c.reference for c in spec.covariates if c.type == "category"}
    dims = grid_dimensions(spec, levels)
    grid = pd.DataFrame(
        [
            {**refs, **dict(zip(dims, combo, strict=True)), tenure_var: t}
            for combo in itertools.product(*(levels[d] for d in dims))
            for t in tenure
        ]
    )
    gx = with_constant(design(grid, spec, levels).X)[names].to_numpy(dtype=float)
    out = []
    for outcome, res in (("ty_le_tham_gia", res_count), ("ty_le_muc_cao", res_high)):
        mean, lower, upper = _predicted(res, gx, spec.alpha)
        out.append(grid.assign(ket_qua=outcome, du_doan=mean, ci_thap=lower, ci_cao=upper))
    return pd.concat(out, ignore_index=True)
