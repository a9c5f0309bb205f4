"""Design-based shares and means: the weighted estimate, its linearisation (Taylor) standard
error, the design effect, the share's interval on the logit scale, and the unweighted n, for the
whole sample or for domains (subgroups), as R's ``svymean``/``svyciprop``/``svyby``.

A domain is estimated as R's ``subset``/``svyby`` does: respondents outside it keep their place
with zero influence, so every PSU of the design stays in the variance (a PSU without members of
the domain contributes a zero total, centred like the others), and n_h is the PSUs of the whole
sample. Dropping the other rows instead would understate the SE. A missing answer (NaN) puts a
respondent outside the domain of that variable, as ``na.rm=TRUE`` does.

Definitions (R ``survey`` 4.1):
- estimate ȳ = Σw·y / Σw over the domain; influence z = w·(y − ȳ)/Σw (zero outside);
- variance: ``spec.variance`` of z (``svyrecvar``);
- deff (``svymean(deff=TRUE)``): the variance over that of a simple random sample of the same n
  drawn without replacement from a population of Σw: s²·(Σw − n)/(Σw · n), s² the weighted
  variance Σw(y − ȳ)²/Σw · n/(n − 1) (``svyvar``); undefined (NaN) when Σw ≤ n (R: NA
  below, Inf at Σw = n: weights that do not scale to a population leave nothing to compare with);
- the share's interval (``svyciprop(method="logit")``): expit(logit p ± t·SE/(p(1 − p))), t on
  the domain's degrees of freedom (its PSUs − its strata, R's ``degf`` of the subset).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats
from scipy.special import expit, logit

from .calibration import residuals
from .spec import SurveyDesign, centred, psu_totals


@dataclass(frozen=True)
class Estimates:
    """Arrays of shape (domains, variables)."""

    estimate: np.ndarray
    se: np.ndarray
    deff: np.ndarray
    n: np.ndarray  # unweighted respondents with an answer in the domain
    weighted: np.ndarray  # Σw over them (the estimated population)
    df: np.ndarray  # degrees of freedom for intervals

    def logit_interval(self, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
        return logit_interval(self.estimate, self.se, self.df, level)


def logit_interval(p, se, df, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """R's ``svyciprop(method="logit")``: a Wald interval for logit(p) with SE/(p(1 − p)),
    t quantile on ``df``, back-transformed. Undefined (NaN) at p = 0 or 1 and when df < 1, where
    the logit fit of R does not exist either."""
    p, se, df = (np.asarray(a, dtype=float) for a in (p, se, df))
    with np.errstate(divide="ignore", invalid="ignore"):
        t = stats.t.ppf(0.5 + level / 2, np.where(df >= 1, df, np.nan))
        half = t * se / (p * (1 - p))
        ok = (p > 0) & (p < 1)
        low = np.where(ok, expit(logit(p) - half), np.nan)
        high = np.where(ok, expit(logit(p) + half), np.nan)
    return low, high


def _one(y: np.ndarray, groups: np.ndarray, n_groups: int, design: SurveyDesign, replace: bool):
    """One variable (NaN: no answer) in every domain ``groups`` (−1: in none)."""
    w = design.weights
    valid = ~np.isnan(y) & (groups >= 0)
    g, yv, wv = groups[valid], y[valid], w[valid]
    total = np.bincount(g, weights=wv, minlength=n_groups)
    n = np.bincount(g, minlength=n_groups)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = np.bincount(g, weights=wv * yv, minlength=n_groups) / total
        resid = yv - mean[g]
        z = wv * resid / total[g]
        s2 = np.bincount(g, weights=wv * resid**2, minlength=n_groups) / total * n / (n - 1)
    C = design.n_psu_total
    key = design.psu[valid] * n_groups + g
    if design.calibration is None:
        totals = np.bincount(key, weights=z, minlength=C * n_groups).reshape(C, n_groups)
    else:  # residuals from the calibration cells, row by row (every row: see calibration.py)
        x = np.zeros((len(y), n_groups))
        x[np.flatnonzero(valid), g] = z
        totals = psu_totals(residuals(x, w, design.calibration), design.psu, C)
    d = centred(totals, design)
    var = (d * d * design.scale()[:, None]).sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        srs = s2 / n if replace else s2 * (total - n) / (total * n)
        deff = np.where(replace | (total > n), var / srs, np.nan)
    present = np.zeros(C * n_groups, dtype=bool)
    present[key] = True
    present = present.reshape(C, n_groups)
    strata = np.zeros((design.n_strata, n_groups), dtype=bool)
    np.logical_or.at(strata, design.psu_stratum, present)
    df = present.sum(axis=0) - strata.sum(axis=0)
    var = np.where(n > 0, var, np.nan)
    return mean, np.sqrt(var), deff, n, total, df


def domain_means(
    Y: np.ndarray,
    design: SurveyDesign,
    groups: np.ndarray | None = None,
    n_groups: int | None = None,
    replace: bool = False,
) -> Estimates:
    """Means (shares, for 0/1 columns) of each column of ``Y`` (n × k, NaN: no answer) in each
    domain: ``groups`` gives each respondent's domain 0..G−1 (−1: none); without it, one domain,
    the whole sample. A domain defined by a subgroup AND answering is handled per column.
    ``replace``: the design effect against a simple random sample with replacement, s²/n (R's
    ``deff="replace"``), for weights that do not add up to a population."""
    Y = np.asarray(Y, dtype=float)
    if Y.ndim == 1:
        Y = Y[:, None]
    if groups is None:
        groups, n_groups = np.zeros(len(Y), dtype=np.int64), 1
    groups = np.asarray(groups, dtype=np.int64)
    n_groups = int(groups.max()) + 1 if n_groups is None else n_groups
    cols = [_one(Y[:, j], groups, n_groups, design, replace) for j in range(Y.shape[1])]
    est, se, deff, n, total, df = (np.column_stack([c[i] for c in cols]) for i in range(6))
    return Estimates(est, se, deff, n.astype(np.int64), total, df.astype(np.int64))


def svymean(y, design: SurveyDesign, domain: np.ndarray | None = None) -> dict:
    """One mean (or share) in the sample or in the domain ``domain`` (a boolean mask)."""
    groups = None if domain is None else np.where(np.asarray(domain, dtype=bool), 0, -1)
    e = domain_means(np.asarray(y, dtype=float), design, groups, 1)
    low, high = e.logit_interval()
    return {
        "estimate": float(e.estimate[0, 0]),
        "se": float(e.se[0, 0]),
        "deff": float(e.deff[0, 0]),
        "n": int(e.n[0, 0]),
        "weighted": float(e.weighted[0, 0]),
        "df": int(e.df[0, 0]),
        "ci_low": float(low[0, 0]),
        "ci_high": float(high[0, 0]),
    }
