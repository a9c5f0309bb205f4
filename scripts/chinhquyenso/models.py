"""Who takes part, and how much: models of participation by gender, administrative level and tenure.

Two faces of participation, both modelled on the same covariates (config ``models:``):
- taking part directly in an activity (yes/no): logistic regression;
- the level of participation (1-5), among those who take part: proportional-odds ordinal
  logistic regression (statsmodels ``OrderedModel`` with ``distr="logit"``). Its results are
  conditional on taking part.

Per activity (14 + 14 models, p-values adjusted across the 14 activities), pooled over
activities in long format (activity fixed effects, standard errors clustered by respondent),
and on two indices (number of activities; mean level). Design matrices are built here, by hand,
with explicit reference categories: no formula engine, no ``0 +`` pitfalls.
"""

from __future__ import annotations

import itertools
import logging
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .codebook import Block, label_unit
from .safe_text import write_csv

log = logging.getLogger(__name__)

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


@dataclass(frozen=True)
class Covariate:
    name: str
    type: str  # category | linear | bands
    reference: str | None = None
    edges: tuple[int, ...] = ()
    label: str = ""

    @property
    def unit(self) -> str:
        """Unit of a linear or banded covariate, from its label ('... (năm)'), else 'đơn vị'."""
        return label_unit(self.label) or "đơn vị"


@dataclass
class ModelSpec:
    covariates: list[Covariate]
    focal: list[str]
    confidence: float = 0.95
    multiple_testing: str = "fdr_bh"
    min_cases: int = 5
    # role -> variable (codebook ``roles:``): tenure and the breakdowns of checks and predictions
    roles: dict[str, str] = field(default_factory=dict)
    merge_sparse_levels: bool = False  # config models.merge_sparse_levels

    @property
    def alpha(self) -> float:
        return 1 - self.confidence


def spec_from_config(cfg: dict, labels: dict[str, str], roles: dict[str, str] | None = None) -> ModelSpec:
    covs = [
        Covariate(name, c["type"], c.get("reference"), tuple(c.get("edges", ())), labels.get(name, name))
        for name, c in cfg["covariates"].items()
    ]
    return ModelSpec(
        covs,
        list(cfg["focal"]),
        float(cfg["confidence"]),
        cfg["multiple_testing"],
        int(cfg["min_cases"]),
        dict(roles or {}),
        bool(cfg.get("merge_sparse_levels", False)),
    )


@dataclass
class Design:
    """Covariate columns (no intercept) with what each column means."""

    X: pd.DataFrame
    terms: dict[str, tuple[str, str]] = field(default_factory=dict)  # column -> (covariate, level)
    references: dict[str, str] = field(default_factory=dict)  # covariate -> reference level


def is_slope(term) -> bool:
    """A linear covariate's term (``nhan`` "mỗi năm", as ``design`` names it), not a category
    against its reference."""
    return str(term["nhan"]).startswith("mỗi ")


def _band_labels(edges: tuple[int, ...], unit: str) -> list[str]:
    return [f"{a}–{b - 1} {unit}" for a, b in zip(edges[:-1], edges[1:], strict=True)]


def design(frame: pd.DataFrame, spec: ModelSpec, levels: dict[str, list[str]]) -> Design:
    """Dummy columns for categories (reference left out), tenure linear or in bands."""
    cols, terms, refs = {}, {}, {}
    for cov in spec.covariates:
        if cov.type == "linear":
            cols[cov.name] = frame[cov.name].astype(float).to_numpy()
            terms[cov.name] = (cov.name, f"mỗi {cov.unit}")  # a slope: one more unit
            continue
        if cov.type == "bands":
            labels = _band_labels(cov.edges, cov.unit)
            raw = frame[cov.name].astype(float)
            outside = sorted({int(v) for v in raw[(raw < cov.edges[0]) | (raw >= cov.edges[-1])].dropna()})
            if outside:  # never a silent reference band for a value no band holds
                raise ValueError(
                    f"config models.covariates.{cov.name}: giá trị {', '.join(map(str, outside[:10]))} "
                    f"nằm ngoài các mốc {list(cov.edges)} (khoảng [{cov.edges[0]}, {cov.edges[-1]})); "
                    "nới mốc đầu hoặc mốc cuối"
                )
            values = pd.cut(raw, bins=list(cov.edges), right=False, labels=labels)
            categories, reference = labels, cov.reference or labels[0]
            refs[cov.name] = reference
        else:
            values = frame[cov.name].astype(str)
            categories, reference = levels[cov.name], cov.reference
        refs[cov.name] = reference
        # integer codes once, then one cheap comparison per dummy (34 provinces x 10^6 rows)
        codes = pd.Categorical(values.astype(str), categories=categories).codes
        for i, level in enumerate(categories):
            if level == reference:
                continue
            col = f"{cov.name}={level}"
            cols[col] = (codes == i).astype(float)
            terms[col] = (cov.name, level)
    return Design(pd.DataFrame(cols, index=frame.index), terms, refs)


@dataclass(frozen=True)
class Thinness:
    """How one outcome category stands: its answers in all, and the covariate groups (reference
    groups included) where it has fewer than ``min_cases``."""

    total: int
    thin_groups: list[str]
    n_groups: int
    min_cases: int

    @property
    def rare(self) -> bool:  # too few answers in all
        return self.total < self.min_cases

    @property
    def thin(self) -> bool:  # few in all, or in more than half of the groups: the category is the cause
        return self.rare or (self.n_groups > 0 and len(self.thin_groups) * 2 > self.n_groups)


def thinness(
    y: np.ndarray, X: pd.DataFrame, d: Design, min_cases: int, weights: np.ndarray | None = None
) -> dict:
    """Outcome value -> its ``Thinness`` (``weights``: counts of collapsed rows)."""
    w = np.ones(len(y)) if weights is None else np.asarray(weights)
    groups: list[tuple[str, np.ndarray]] = []
    for cov, ref in d.references.items():  # categorical covariates: every level, the reference too
        cols = [c for c, (v, _lvl) in d.terms.items() if v == cov and c in X]
        if not cols:
            continue
        dummies = X[cols].to_numpy() == 1
        groups.append((f"{cov}={ref}", ~dummies.any(axis=1)))
        groups += [(f"{cov}={d.terms[c][1]}", dummies[:, i]) for i, c in enumerate(cols)]
    out = {}
    for value in np.unique(y):
        hit = y == value
        thin = [g for g, mask in groups if w[hit & mask].sum() < min_cases]
        out[value] = Thinness(int(round(w[hit].sum())), thin, len(groups), min_cases)
    return out


def sparse_diagnosis(
    y: np.ndarray,
    X: pd.DataFrame,
    d: Design,
    min_cases: int,
    weights: np.ndarray | None = None,
    labels: dict | None = None,
) -> list[str]:
    """What a reader can act on when cells are thin: a category thin overall is named as the
    cause (e.g. an extreme level few people chose: merge it, or read its estimates with care);
    otherwise the thin cells are listed. ``labels``: outcome code -> its label."""
    out = []
    for value, t in thinness(y, X, d, min_cases, weights).items():
        name = f"«{labels.get(value, value)}»" if labels else str(value)
        if t.rare:
            out.append(f"mức {name} chỉ có {t.total} câu trả lời")
        elif t.thin:
            out.append(
                f"mức {name} ít ({t.total} câu trả lời): "
                f"dưới {min_cases} ở {len(t.thin_groups)}/{t.n_groups} nhóm"
            )
        elif t.thin_groups:
            out.append(f"ô dưới {min_cases} câu trả lời ở mức {name}: {', '.join(t.thin_groups)}")
    return out


def merge_thin_extremes(
    y, Xc, yc, w, d: Design, min_cases: int, labels: dict
) -> tuple[np.ndarray, list[str]]:
    """Merge the lowest or highest level into its neighbour while it is thin (``Thinness.thin``);
    ``y``: one answer per respondent, ``yc``/``Xc``/``w``: the same collapsed. Returns the new
    answers and what was merged."""
    y, yc, notes = y.copy(), yc.copy(), []
    while len(np.unique(yc)) > 2:
        values = np.unique(yc)
        state = thinness(yc, Xc, d, min_cases, w)
        thin = [v for v in (values[0], values[-1]) if state[v].thin]
        if not thin:
            break
        v = thin[0]  # the lowest first, then look again
        into = values[1] if v == values[0] else values[-2]
        y[y == v], yc[yc == v] = into, into
        notes.append(f"đã gộp mức «{labels.get(v, v)}» vào «{labels.get(into, into)}»")
    return y, notes


def model_status(converged: bool, diagnosis: list[str]) -> str:
    """One status that can carry several conditions: "ổn", or e.g. "không hội tụ; mức «1» ..."."""
    conditions = ([] if converged else ["không hội tụ"]) + diagnosis
    return "; ".join(conditions) if conditions else "ổn"


def _tidy(
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


def pattern_table(X: pd.DataFrame, pattern: np.ndarray) -> pd.DataFrame:
    """One row of ``X`` per covariate pattern id (ids 0..P-1, as covariate_patterns numbers them)."""
    rows = pd.Series(np.arange(len(X))).groupby(np.asarray(pattern)).first().to_numpy()
    return X.iloc[rows].reset_index(drop=True)


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


def fit_logit(y: np.ndarray, X: pd.DataFrame, weights: np.ndarray | None = None):
    import statsmodels.api as sm

    exog = sm.add_constant(X, has_constant="add")
    if weights is not None:  # collapsed rows: the binomial GLM is the same likelihood as Logit
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = sm.GLM(y, exog, family=sm.families.Binomial(), freq_weights=weights).fit(maxiter=300)
        return res, list(exog.columns), bool(res.converged)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = sm.Logit(y, exog).fit(disp=0, maxiter=300)
    return res, list(exog.columns), bool(res.mle_retvals.get("converged", False))


def _logit_ordered_model():
    """OrderedModel (logit link) with the analytic score, so that BFGS and the cluster-robust
    covariance do not differentiate the likelihood numerically (50 times slower on 10^5 rows)."""
    from scipy.special import expit
    from statsmodels.miscmodels.ordinal_model import OrderedModel
    from statsmodels.tools.numdiff import approx_fprime

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
            # Jacobian of the analytic score: k + 1 score evaluations instead of k^2 likelihoods
            h = approx_fprime(np.asarray(params, dtype=float), self.score, centered=True)
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
    """Proportional odds, logit link. Returns the fit, parameter names and convergence."""
    observed = sorted(np.unique(y))
    endog = pd.Series(pd.Categorical(y, categories=observed, ordered=True))
    # distr="logit": OrderedModel's default link is probit
    model = _logit_ordered_model()(endog, X.reset_index(drop=True), distr="logit")
    if weights is not None:
        model.freq_weights = np.asarray(weights, dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = model.fit(method="bfgs", disp=0, maxiter=2000, gtol=1e-8)
    return res, list(res.params.index), bool(res.mle_retvals.get("converged", False))


def cut_points(res) -> list[float]:
    """Thresholds on the latent scale: OrderedModel stores the increments, exp-transformed."""
    return list(res.model.transform_threshold_params(np.asarray(res.params))[1:-1])


def covariate_patterns(X: pd.DataFrame) -> np.ndarray:
    """One id per distinct covariate row (same ids for the same rows of any subset)."""
    return X.groupby(list(X.columns), sort=True, dropna=False).ngroup().to_numpy()


def per_activity(
    frame: pd.DataFrame, activities: Block, spec: ModelSpec, levels: dict[str, list[str]]
) -> pd.DataFrame:
    """14 logits (taking part) and 14 ordinal models (level among participants)."""
    from statsmodels.stats.multitest import multipletests

    rows = []
    d_all = design(frame, spec, levels)
    pattern = covariate_patterns(d_all.X)
    patterns = pattern_table(d_all.X, pattern)
    for act in activities:
        y = frame[activities.takes[act]].astype(bool).to_numpy().astype(int)
        Xc, yc, w = collapse(patterns, y, pattern)
        diagnosis = sparse_diagnosis(yc, Xc, d_all, spec.min_cases, w, {0: "không tham gia", 1: "tham gia"})
        try:
            res, names, ok = fit_logit(yc, Xc, weights=w)
            rows += _tidy(
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
        Xc, yc, w = collapse(patterns, yl, pattern[takes])
        d = d_all
        merged = []
        if spec.merge_sparse_levels:
            yl, merged = merge_thin_extremes(yl, Xc, yc, w, d, spec.min_cases, activities.scale.labels)
            Xc, yc, w = collapse(patterns, yl, pattern[takes])
        diagnosis = merged + sparse_diagnosis(yc, Xc, d, spec.min_cases, w, activities.scale.labels)
        try:
            res, names, ok = fit_ordinal(yc, Xc, weights=w)
            rows += _tidy(
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


@dataclass
class ClusteredFit:
    """Estimates with a cluster-robust covariance, as statsmodels reports them (normal z)."""

    params: np.ndarray
    cov: np.ndarray
    converged: bool
    clusters: int = 0  # respondents: the clusters of the sandwich

    @property
    def bse(self) -> np.ndarray:
        return np.sqrt(np.diag(self.cov))

    @property
    def pvalues(self) -> np.ndarray:
        from scipy import stats

        return 2 * stats.norm.sf(np.abs(self.params / self.bse))

    def conf_int(self, alpha: float) -> np.ndarray:
        from scipy import stats

        z = stats.norm.ppf(1 - alpha / 2)
        return np.column_stack([self.params - z * self.bse, self.params + z * self.bse])


def pooled_fit(outcome: np.ndarray, Z: pd.DataFrame, pattern: np.ndarray, activities: Block, kind: str):
    """A model over every (respondent, activity) observation, with activity fixed effects and
    standard errors clustered by respondent, without building the long table.

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
    n_pat = int(pattern.max()) + 1
    keys = np.where(present, (np.arange(n_act)[None, :] * n_pat + pattern[:, None]) * len(values) + codes, -1)
    cells, cell_of, counts = np.unique(keys[present], return_inverse=True, return_counts=True)
    act = cells // (n_pat * len(values))
    pat = (cells // len(values)) % n_pat
    y = values[cells % len(values)]
    Zp = pattern_table(Z, pattern).to_numpy(dtype=float)
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
    return ClusteredFit(np.asarray(res.params), cov, ok, g), names, nobs


def pooled(
    frame: pd.DataFrame, activities: Block, spec: ModelSpec, levels: dict[str, list[str]]
) -> pd.DataFrame:
    """Logit and ordinal models over all activities: activity fixed effects, SEs clustered by respondent."""
    d = design(frame, spec, levels)
    pattern = covariate_patterns(d.X)
    takes = np.column_stack([frame[activities.takes[a]].astype(bool).to_numpy() for a in activities])
    level = np.column_stack([frame[activities.level[a]].astype(float).to_numpy() for a in activities])
    rows = []
    for model, outcome, kind in (
        ("gop_logit_tham_gia", takes.astype(float), "logit"),
        ("gop_thu_bac_muc_do", np.where(takes, level, np.nan), "ordinal"),
    ):
        res, names, nobs = pooled_fit(outcome, d.X, pattern, list(activities), kind)
        other = tuple(n for n in names if n not in d.X.columns)  # intercept, activity effects, thresholds
        rows += _tidy(
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


def hc1(n: int, k: int) -> dict:
    """fit() arguments for a true HC1 sandwich: HC0 times n / (n − k). For a GLM, statsmodels'
    cov_type="HC1" applies no small-sample factor (it equals HC0); R's sandwich::vcovHC(type =
    "HC1") does, and so does this."""
    return {"cov_type": "HC0", "cov_kwds": {"scaling_factor": n / (n - k)}}


def indices(frame: pd.DataFrame, activities: Block, spec: ModelSpec, levels: dict[str, list[str]]) -> tuple:
    """Number of activities (binomial GLM, robust SEs) and mean level (OLS, HC3)."""
    import statsmodels.api as sm

    takes = np.column_stack([frame[activities.takes[a]].astype(bool) for a in activities]).astype(int)
    count = takes.sum(axis=1)
    d = design(frame, spec, levels)
    exog = sm.add_constant(d.X, has_constant="add")
    glm = sm.GLM(np.column_stack([count, len(activities) - count]), exog, family=sm.families.Binomial())
    res_count = glm.fit(**hc1(len(count), exog.shape[1]))
    lv = np.column_stack([frame[activities.level[a]].astype(float) for a in activities])
    has = count > 0
    mean_level = np.nanmean(np.where(takes == 1, lv, np.nan)[has], axis=1)
    # HC3 with t inference on the residual degrees of freedom (the usual choice for OLS)
    res_level = sm.OLS(mean_level, exog[has]).fit(cov_type="HC3", use_t=True)
    rows = _tidy(
        res_count,
        list(exog.columns),
        d,
        "chi_so_so_hoat_dong",
        "tất cả",
        len(count),
        True,
        "ổn",
        spec.alpha,
        drop=("const",),
    )
    level_rows = _tidy(
        res_level,
        list(exog.columns),
        d,
        "chi_so_muc_do_tb",
        "tất cả",
        int(has.sum()),
        True,
        "ổn",
        spec.alpha,
        drop=("const",),
    )
    for r in level_rows:  # OLS: the coefficient is a difference in mean level, not an odds ratio
        r["or_"], r["ci_thap"], r["ci_cao"] = np.nan, np.nan, np.nan
        ci = np.asarray(res_level.conf_int(alpha=spec.alpha))[list(exog.columns).index(r["so_hang"])]
        r["ci_thap"], r["ci_cao"] = float(ci[0]), float(ci[1])
    return pd.DataFrame(rows + level_rows, columns=TERM_COLUMNS), res_count, count, takes


# --- checks ---------------------------------------------------------------------------------


def brant_test(y: np.ndarray, X: pd.DataFrame, weights: np.ndarray | None = None) -> pd.DataFrame:
    """Brant-style test of proportional odds: do the slopes of the cumulative binary logits
    (level > k, for each cut-point k) differ? Wald test on the stacked estimates, with their
    joint covariance from the per-observation influence functions (Brant 1990). ``weights``:
    counts of collapsed rows (see collapse); the result is the same as on every row."""
    import statsmodels.api as sm
    from scipy import stats

    exog = sm.add_constant(X, has_constant="add").to_numpy(dtype=float)
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


def cronbach_alpha(items: np.ndarray) -> float:
    """Cronbach's alpha of complete rows; on 0/1 items it equals KR-20."""
    items = np.asarray(items, dtype=float)
    k = items.shape[1]
    return float(k / (k - 1) * (1 - items.var(axis=0, ddof=1).sum() / items.sum(axis=1).var(ddof=1)))


def bivariate(frame: pd.DataFrame, activities: Block, roles: dict[str, str]) -> pd.DataFrame:
    """Per activity, for the roles the form has: χ² gender × taking part (Cramér's V);
    Kruskal–Wallis level by administrative level (ε²); Spearman tenure × level."""
    from scipy import stats

    gender, admin, tenure = (roles.get(r) for r in ("gender", "admin_level", "tenure"))
    rows = []
    for act in activities:
        takes = frame[activities.takes[act]].astype(bool)
        sub = frame[takes]
        if gender:
            table = pd.crosstab(frame[gender].astype(str), takes)
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
            h, p = stats.kruskal(*groups) if len(groups) > 1 else (np.nan, np.nan)
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
            rho, p = stats.spearmanr(sub[tenure].astype(float), sub[activities.level[act]].astype(float))
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
    return pd.DataFrame(
        rows, columns=["hoat_dong", "kiem_dinh", "thong_ke", "p", "hieu_ung", "do_do_hieu_ung", "n"]
    )


def grid_dimensions(spec: ModelSpec, levels: dict[str, list[str]]) -> list[str]:
    """The categorical roles the prediction chart splits by (gender, administrative level), when present."""
    return [spec.roles[r] for r in ("gender", "admin_level") if spec.roles.get(r) in levels]


def predictions(frame, activities, spec: ModelSpec, levels, res_count) -> pd.DataFrame:
    """Predicted share of activities taken part, and of those at the scale's high levels, across
    tenure min..max by gender and administrative level (other covariates at their reference), with CIs."""
    import statsmodels.api as sm

    takes = np.column_stack([frame[activities.takes[a]].astype(bool) for a in activities]).astype(int)
    high = np.column_stack(
        [
            (frame[activities.level[a]].astype(float) >= activities.scale.high_from).fillna(False)
            for a in activities
        ]
    ).astype(int)
    n_take, n_high = takes.sum(axis=1), high.sum(axis=1)
    d = design(frame, spec, levels)
    exog = sm.add_constant(d.X, has_constant="add")
    has = n_take > 0
    res_high = sm.GLM(
        np.column_stack([n_high, n_take - n_high])[has], exog[has], family=sm.families.Binomial()
    ).fit(**hc1(int(has.sum()), exog.shape[1]))
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
    gx = sm.add_constant(design(grid, spec, levels).X, has_constant="add")[exog.columns]
    out = []
    for outcome, res in (("ty_le_tham_gia", res_count), ("ty_le_muc_cao", res_high)):
        pred = res.get_prediction(gx).summary_frame(alpha=spec.alpha)
        out.append(
            grid.assign(
                ket_qua=outcome,
                du_doan=pred["mean"].to_numpy(),
                ci_thap=pred["mean_ci_lower"].to_numpy(),
                ci_cao=pred["mean_ci_upper"].to_numpy(),
            )
        )
    return pd.concat(out, ignore_index=True)


# --- the stage ------------------------------------------------------------------------------


def fit_to_data(
    spec: ModelSpec, clean: pd.DataFrame, book_levels: dict[str, list[str]]
) -> tuple[ModelSpec, dict[str, list[str]], list[str]]:
    """Adapt the specification to the levels the data has, saying what changed.

    A later wave may lack a level the codebook or config names (no district level after the
    2025 reorganisation; a province report holds one province): empty levels leave the model,
    a missing reference is replaced by the most frequent level, and a covariate left with one
    level is dropped (it cannot vary). Each change is returned as a sentence for the log and
    the report."""
    covariates, levels, notes = [], {}, []
    for cov in spec.covariates:
        if cov.type != "category":
            covariates.append(cov)
            continue
        counts = clean[cov.name].astype(str).value_counts()
        present = [v for v in book_levels[cov.name] if counts.get(v, 0) > 0]
        absent = [v for v in book_levels[cov.name] if v not in present]
        if absent:
            notes.append(
                f"{cov.label}: không có người trả lời ở mức {', '.join(absent)}; bỏ mức này khỏi mô hình"
            )
        if len(present) < 2:
            notes.append(f"{cov.label}: chỉ có một mức trong dữ liệu; bỏ biến này khỏi mô hình")
            continue
        if cov.reference not in present:
            new_ref = max(present, key=lambda v: (counts[v], -present.index(v)))
            notes.append(
                f"{cov.label}: mức tham chiếu «{cov.reference}» không có trong dữ liệu; dùng «{new_ref}»"
            )
            cov = Covariate(cov.name, cov.type, new_ref, cov.edges, cov.label)
        covariates.append(cov)
        levels[cov.name] = present
    for name in (spec.roles.get(r) for r in ("gender", "admin_level")):  # the prediction grid's dimensions
        if name and name in book_levels and name not in levels:
            counts = clean[name].astype(str).value_counts()
            levels[name] = [v for v in book_levels[name] if counts.get(v, 0) > 0]
    kept = {c.name for c in covariates}
    new = ModelSpec(
        covariates,
        [f for f in spec.focal if f in kept],
        spec.confidence,
        spec.multiple_testing,
        spec.min_cases,
        spec.roles,
    )
    return new, levels, notes


def brant_all(
    clean: pd.DataFrame, activities: Block, spec: ModelSpec, levels: dict[str, list[str]]
) -> pd.DataFrame:
    """The Brant-style test of each activity's ordinal model, on collapsed rows."""
    d_all = design(clean, spec, levels)
    pattern = covariate_patterns(d_all.X)
    patterns = pattern_table(d_all.X, pattern)
    out = []
    for act in activities:
        took = clean[activities.takes[act]].astype(bool).to_numpy()
        y = clean.loc[took, activities.level[act]].astype(int).to_numpy()
        Xc, yc, w = collapse(patterns, y, pattern[took])
        out.append(brant_test(yc, Xc, w).assign(hoat_dong=act))
    return pd.concat(out, ignore_index=True)


def run_all(clean: pd.DataFrame, spec: ModelSpec, levels: dict[str, list[str]], activities: Block) -> dict:
    """Every model and check; returns tidy frames and a machine-readable summary."""
    per = per_activity(clean, activities, spec, levels)
    pool = pooled(clean, activities, spec, levels)
    idx, res_count, count, takes = indices(clean, activities, spec, levels)
    brant = brant_all(clean, activities, spec, levels)
    levels_wide = np.column_stack([clean[activities.level[a]].astype(float) for a in activities])
    complete = ~np.isnan(levels_wide).any(axis=1)
    summary = {
        "so_nguoi": int(len(clean)),
        "hoat_dong": list(activities),
        "bien_doc_lap": [
            {"ten": c.name, "loai": c.type, "tham_chieu": c.reference, "nhan": c.label}
            for c in spec.covariates
        ],
        "do_tin_cay": spec.confidence,
        "hieu_chinh_p": spec.multiple_testing,
        "kr20_tham_gia": cronbach_alpha(takes),
        "alpha_muc_do_du": cronbach_alpha(levels_wide[complete]) if complete.sum() > 2 else None,
        "so_nguoi_du_moi_muc_do": int(complete.sum()),
        "khong_hoi_tu": per.loc[~per["hoi_tu"].astype(bool), ["mo_hinh", "hoat_dong", "tinh_trang"]]
        .drop_duplicates()
        .to_dict("records"),
        "gop_muc_thua": sorted(
            set(per.loc[per["tinh_trang"].astype(str).str.contains("đã gộp mức", regex=False), "hoat_dong"])
        ),
        "it_truong_hop": per.loc[
            per["tinh_trang"].astype(str).str.contains("câu trả lời", regex=False), ["mo_hinh", "hoat_dong"]
        ]
        .drop_duplicates()
        .to_dict("records"),
    }
    return {
        "per_activity": per,
        "pooled": pd.concat([pool, idx], ignore_index=True),
        "brant": brant,
        "bivariate": bivariate(clean, activities, spec.roles),
        "predictions": (
            predictions(clean, activities, spec, levels, res_count)
            if spec.roles.get("tenure") in {c.name for c in spec.covariates}
            else pd.DataFrame()
        ),
        "summary": summary,
    }


def write_stage(clean_path, codebook_path, model_cfg: dict, out: dict) -> None:
    import json

    from .codebook import load_codebook

    book = load_codebook(codebook_path)
    clean = pd.read_parquet(clean_path)
    labels = {v.name: v.label for v in book.variables}
    spec = spec_from_config(model_cfg, labels, book.roles)
    book_levels = {
        name: book[name].values
        for name in {c.name for c in spec.covariates if c.type == "category"}
        | {book.role(r) for r in ("gender", "admin_level") if book.role(r)}
    }
    spec, levels, notes = fit_to_data(spec, clean, book_levels)
    for note in notes:
        log.warning(note)
    result = run_all(clean, spec, levels, book.activities)
    result["summary"]["dieu_chinh_dac_ta"] = notes
    for key in ("per_activity", "pooled", "brant", "bivariate", "predictions"):
        if key not in out:
            continue  # predictions: only when tenure is a covariate (plan.has_predictions)
        write_csv(result[key], out[key], float_format="%.10g")
    with open(out["summary"], "w", encoding="utf-8") as fh:
        json.dump(result["summary"], fh, ensure_ascii=False, indent=1, sort_keys=True)
