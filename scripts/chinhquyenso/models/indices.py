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
from .estimable import (
    COLLINEAR,
    NO_ERRORS,
    NO_SOLUTION,
    NOT_ESTIMATED,
    ModelDesign,
    Omissions,
    check_fit,
    collinear,
    model_design,
    too_few,
)
from .fitting import TERM_COLUMNS, SandwichFit, collapse, converged, tidy, with_constant
from .spec import Design, ModelSpec, Patterns, covariate_patterns, design, grid_dimensions, wide_outcomes


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
    ok = converged((score * w[:, None]).sum(axis=0), float((w * trials).sum()))  # not IRLS's message
    return SandwichFit(np.asarray(res.params), cov, ok), list(exog.columns)


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


def _has_leverage_one(X: pd.DataFrame, weights: np.ndarray) -> bool:
    """A respondent alone fixes a parameter (leverage 1): HC3 divides by 1 − leverage."""
    A, w = with_constant(X).to_numpy(dtype=float), np.asarray(weights, dtype=float)
    inverse = np.linalg.pinv(A.T @ (A * w[:, None]))
    leverage = np.einsum("ij,jk,ik->i", A, inverse, A)
    return bool((leverage > 1 - 1e-9).any())


def _index_check(
    d: Design, spec: ModelSpec, Xc: pd.DataFrame, n: int, who: str, exact: bool
) -> tuple[ModelDesign | None, str | None]:
    """The columns an index model keeps on its sample, or why it cannot be estimated."""
    md = model_design(d, spec, Xc)
    k = 1 + len(md.columns)
    if n <= k:
        return None, too_few(n, k, who, spec.min_cases, exact)
    if collinear(Xc[md.columns]):
        return None, COLLINEAR
    return md, None


def _count_reason(count: np.ndarray, n_acts: int) -> str | None:
    if count.sum() == 0:
        return "không người trả lời nào tham gia hoạt động nào"
    if (count == n_acts).all():
        return "mọi người trả lời tham gia mọi hoạt động"
    return None


def _left_out(model: str, n: int, reason: str) -> dict:
    return {
        **dict.fromkeys(TERM_COLUMNS, np.nan),
        "mo_hinh": model,
        "hoat_dong": "tất cả",
        "n": n,
        "hoi_tu": False,
        "tinh_trang": f"{NOT_ESTIMATED}: {reason}",
    }


def indices(
    frame: pd.DataFrame,
    activities: Block,
    spec: ModelSpec,
    levels: dict[str, list[str]],
    patterns: Patterns | None = None,
    omissions: Omissions | None = None,
    survey=None,
) -> tuple:
    """Number of activities taken part in (binomial GLM, HC1) and mean level among them (OLS,
    HC3, t); with ``survey`` (design.SurveyDesign of ``frame``'s rows) both design-based
    (svy_logit on the share k/K, svy_linear; t on the design's degrees of freedom). Returns
    the tidy rows, the count model (for predictions; None when it could not be estimated), the
    counts and the respondents x activities taking-part matrix. A model its data cannot
    support is one row whose status says why."""
    omissions = omissions if omissions is not None else Omissions()
    patterns = patterns or covariate_patterns(frame, spec, levels)
    d = patterns.design
    takes, level = wide_outcomes(frame, activities)
    count = takes.sum(axis=1)
    Xc, yc, w = collapse(d.X, count, patterns.ids)
    rows: list[dict] = []
    res_count = None
    reason = _count_reason(count, len(activities))
    md = None
    if reason is None:
        md, reason = _index_check(d, spec, Xc, len(count), "người trả lời", True)
    if reason is None:
        try:
            if survey is None:
                res_count, names = binomial_hc1(yc, np.full(len(yc), len(activities)), Xc[md.columns], w)
            else:  # imported here: design.models imports this package
                from ..design.models import svy_logit

                res_count = svy_logit(d.X[list(md.columns)], patterns.ids, count / len(activities), survey)
                names = list(res_count.names)
            res_count.names = names
            status = "ổn" if res_count.converged else "không hội tụ"
            rows = tidy(
                res_count,
                names,
                md.design,
                "chi_so_so_hoat_dong",
                "tất cả",
                len(count),
                res_count.converged,
                status,
                spec.alpha,
                drop=("const",),
                **({"clusters": res_count.clusters} if survey is not None else {}),
            )
            reason = check_fit(rows)
        except Exception:  # noqa: BLE001 - whatever the fit raises, the reader gets a sentence
            reason = NO_SOLUTION
    if reason is not None:
        res_count, rows = None, [_left_out("chi_so_so_hoat_dong", len(count), reason)]
        omissions.model("chi_so_so_hoat_dong", "tất cả", reason)
    else:
        omissions.change("chi_so_so_hoat_dong", "tất cả", md.notes)
    has = count > 0
    level_rows = _mean_level(takes, level, has, d, patterns, spec, omissions, survey)
    return pd.DataFrame(rows + level_rows, columns=TERM_COLUMNS), res_count, count, takes


def _mean_level(
    takes, level, has, d: Design, patterns: Patterns, spec: ModelSpec, omissions: Omissions, survey=None
) -> list[dict]:
    """The mean level among the activities taken part in (OLS, HC3, t), or the row saying why not."""
    model, n = "chi_so_muc_do_tb", int(has.sum())
    reason = md = None
    if n == 0:
        reason = "không người trả lời nào tham gia hoạt động nào"
    else:
        mean_level = np.nanmean(np.where(takes == 1, level, np.nan)[has], axis=1)
        Xl, yl, wl = collapse(d.X, mean_level, patterns.ids[has])
        if len(np.unique(yl)) < 2:
            reason = "mọi người có tham gia có cùng mức độ trung bình"
        else:
            md, reason = _index_check(d, spec, Xl, n, "người có tham gia ít nhất một hoạt động", False)
        if reason is None and _has_leverage_one(Xl[md.columns], wl):
            reason = (
                "có nhóm (theo các biến độc lập) chỉ có một người có tham gia, nên không tính được "
                "sai số chuẩn vững HC3"
            )
    if reason is None:
        try:
            extra = {}
            if survey is None:
                res_level, names = ols_hc3(yl, Xl[md.columns], wl)
            else:  # the domain of those taking part, every PSU kept
                from ..design.models import svy_linear

                y_all = np.full(len(has), np.nan)
                y_all[has] = mean_level
                res_level = svy_linear(d.X[list(md.columns)], patterns.ids, y_all, survey, has)
                names, extra = list(res_level.names), {"clusters": res_level.clusters}
            level_rows = tidy(
                res_level, names, md.design, model, "tất cả", n, True, "ổn", spec.alpha, ("const",), **extra
            )
            ci = res_level.conf_int(alpha=spec.alpha)
            for r in level_rows:  # OLS: the coefficient is a difference in mean level, not an odds ratio
                r["or_"] = np.nan
                r["ci_thap"], r["ci_cao"] = (float(v) for v in ci[names.index(r["so_hang"])])
            reason = check_fit(level_rows)
        except Exception:  # noqa: BLE001 - whatever the fit raises, the reader gets a sentence
            reason = NO_SOLUTION
    if reason is not None:
        omissions.model(model, "tất cả", reason)
        return [_left_out(model, n, reason)]
    omissions.change(model, "tất cả", md.notes)
    return level_rows


def _predicted(res: SandwichFit, gx: np.ndarray, alpha: float) -> tuple[np.ndarray, ...]:
    """Predicted probability with its interval: the normal interval of the linear predictor,
    through the inverse link (statsmodels' get_prediction, method "endpoint")."""
    from scipy import stats
    from scipy.special import expit

    eta = gx @ res.params
    se = np.sqrt(np.einsum("ij,jk,ik->i", gx, res.cov, gx))
    z = stats.norm.ppf(1 - alpha / 2)
    return expit(eta), expit(eta - z * se), expit(eta + z * se)


PREDICTION_COLUMNS = ["ket_qua", "du_doan", "ci_thap", "ci_cao"]


def prediction_columns(spec: ModelSpec, levels: dict[str, list[str]]) -> list[str]:
    """The columns of the predictions table: the grid (covariates at their reference, the
    chart's dimensions, tenure), then the prediction."""
    refs = [c.name for c in spec.covariates if c.type == "category"]
    return (
        list(dict.fromkeys([*refs, *grid_dimensions(spec, levels), spec.roles["tenure"]]))
        + PREDICTION_COLUMNS
    )


def _high_model(frame, activities, spec, d: Design, patterns: Patterns, takes, level, survey=None):
    """The binomial model of the activities at a high level among those taken part in: the fit
    and its parameter names, or why it cannot be used for predictions. With ``survey``, the
    weighted fit with design-based variance (``_svy_high``)."""
    high = ((level >= activities.scale.high_from) & (takes == 1)).astype(int)
    n_take, n_high = takes.sum(axis=1), high.sum(axis=1)
    has = n_take > 0
    label = activities.scale.band_label(activities.scale.high_from)
    if not has.any():
        return None, None, "không người trả lời nào tham gia hoạt động nào"
    if n_high.sum() == 0:
        return None, None, f"không lượt tham gia nào ở mức {label}"
    if (n_high[has] == n_take[has]).all():
        return None, None, f"mọi lượt tham gia đều ở mức {label}"
    # one code per (activities at a high level, activities taken part in)
    m = len(activities) + 1
    Xh, code, w = collapse(d.X, n_high[has] * m + n_take[has], patterns.ids[has])
    md, reason = _index_check(d, spec, Xh, int(has.sum()), "người có tham gia ít nhất một hoạt động", False)
    if reason is None and md.notes:
        reason = (
            f"mô hình tỷ lệ ở mức {label} phải bỏ bớt biến ({'; '.join(md.notes)}), nên không dùng để dự đoán"
        )
    if reason is not None:
        return None, None, reason
    try:
        if survey is None:
            res_high, names = binomial_hc1(code // m, code % m, Xh, w)
        else:
            res_high = _svy_high(d, patterns.ids, takes, high, survey)
            names = list(res_high.names)
    except Exception:  # noqa: BLE001 - whatever the fit raises, the reader gets a sentence
        return None, None, NO_SOLUTION
    if not np.all(np.isfinite(res_high.bse)):
        return None, None, NO_ERRORS
    return res_high, names, None


def _svy_high(d: Design, pattern: np.ndarray, takes, high, survey) -> SandwichFit:
    """The high-level model under the design: a logit over every (respondent, activity taken
    part in) observation, which is the binomial model of n_high of n_take trials; each
    respondent's observations summed in their PSU's score (design.models.collapse_observations)."""
    from ..design.models import collapse_observations, logit_on

    respondent, activity = np.nonzero((takes == 1) & (survey.weights > 0)[:, None])
    y = high[respondent, activity]
    cells, row = np.unique(pattern[respondent].astype(np.int64) * 2 + y, return_inverse=True)
    X = d.X.iloc[cells // 2].reset_index(drop=True)
    return logit_on(collapse_observations(X, cells % 2, respondent, row, survey), survey)


def predictions(
    frame: pd.DataFrame,
    activities: Block,
    spec: ModelSpec,
    levels: dict[str, list[str]],
    res_count: SandwichFit | None,
    patterns: Patterns | None = None,
    omissions: Omissions | None = None,
    survey=None,
) -> pd.DataFrame:
    """Predicted share of activities taken part, and of those at the scale's high levels, across
    tenure min..max by gender and administrative level (other covariates at their reference), with CIs.
    ``res_count``: the count model (None: not estimated, no prediction of taking part); an
    outcome whose model cannot be estimated has no rows, and ``omissions`` says why."""
    omissions = omissions if omissions is not None else Omissions()
    patterns = patterns or covariate_patterns(frame, spec, levels)
    d = patterns.design
    takes, level = wide_outcomes(frame, activities)
    res_high, names, reason = _high_model(frame, activities, spec, d, patterns, takes, level, survey)
    if reason is not None:
        omissions.model("du_doan_ty_le_muc_cao", "tất cả", reason)
    every = ["const", *d.X.columns]
    if res_count is None:
        omissions.model(
            "du_doan_ty_le_tham_gia", "tất cả", "mô hình số hoạt động tham gia không ước lượng được"
        )
    elif res_count.names not in (None, every):
        omissions.model(
            "du_doan_ty_le_tham_gia",
            "tất cả",
            "mô hình số hoạt động tham gia phải bỏ bớt biến, nên không dùng để dự đoán",
        )
        res_count = None
    fits = [(o, r) for o, r in (("ty_le_tham_gia", res_count), ("ty_le_muc_cao", res_high)) if r is not None]
    if not fits:
        return pd.DataFrame(columns=prediction_columns(spec, levels))
    names = names or every
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
    for outcome, res in fits:
        mean, lower, upper = _predicted(res, gx, spec.alpha)
        out.append(grid.assign(ket_qua=outcome, du_doan=mean, ci_thap=lower, ci_cao=upper))
    return pd.concat(out, ignore_index=True)
