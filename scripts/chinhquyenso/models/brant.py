"""Brant's (1990) test of proportional odds, which separation cannot fool.

For each cut-point k the binary logit "level > k" is fitted; the test asks whether a term's
slopes differ across cuts (Wald test on the stacked estimates). Their covariance is Brant's
model-based one, as Stata's ``brant`` and R's ``brant`` package compute it:
Var(b_m) = (X'W_m X)^-1 and Cov(b_m, b_l) = (X'W_m X)^-1 X'W_ml X (X'W_l X)^-1, with
W_m = diag(pi_m (1 - pi_m)), W_ml = diag(pi_l (1 - pi_m)) for m <= l, pi_m the fitted
P(level > cut m) of the m-th binary logit; frequency weights multiply each row's term.

A binary logit with separation (``separation``) has infinite coefficients: its "estimate" is
where an optimiser stopped and a Wald statistic on it measures nothing. Such a term is not
tested (no statistic; ``canh_bao`` says why) and neither is the overall test of its activity.
The other terms are: their estimates at that cut are the finite limits (a fit on the rows the
separation does not decide), and the decided rows, whose outcome the limit fixes, add nothing
to the covariance. ``tests/r/brant.R`` computes the same independently with R's glm."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .separation import Separation, binary_separation, kept_columns

NOT_TESTABLE = "không kiểm định được"


def logit_newton(X: np.ndarray, y: np.ndarray, w: np.ndarray, tol: float = 1e-13) -> np.ndarray:
    """Weighted binary logit by Newton's method with step halving, to the precision of the
    arithmetic (max |score| / total weight <= ``tol``); a non-separated problem only."""
    from scipy.special import expit, log_expit

    def loglik(b):
        eta = X @ b
        return float(w @ (y * log_expit(eta) + (1 - y) * log_expit(-eta)))

    b, ll, total = np.zeros(X.shape[1]), loglik(np.zeros(X.shape[1])), w.sum()
    for _ in range(100):
        mu = expit(X @ b)
        g = X.T @ (w * (y - mu))
        if np.abs(g).max() <= tol * total:
            break
        step = np.linalg.solve(X.T @ (X * (w * mu * (1 - mu))[:, None]), g)
        if g @ step <= 1e-8 * total:  # Newton decrement: in the quadratic region, no line search
            b, ll = b + step, loglik(b + step)  # (its last digits are rounding there)
            if np.abs(step).max() <= 1e-11 * (1 + np.abs(b).max()):
                break
            continue
        for scale in 0.5 ** np.arange(30):  # halve while the log-likelihood falls
            new = loglik(b + scale * step)
            if new >= ll:
                break
        b, ll = b + scale * step, new
    return b


def _cut_fit(exog: np.ndarray, yb: np.ndarray, w: np.ndarray):
    """One cut: the separation (or None), the kept columns, the estimates on them, the fitted
    P(level > cut) of every row (0 or 1 where separation decides it) and (X'W X)^-1 X_0' with
    X_0 the design with decided rows zeroed."""
    from scipy.special import expit

    sep = binary_separation(exog, yb)
    cols = kept_columns(exog, sep) if sep is not None else list(range(exog.shape[1]))
    free = np.ones(len(yb), dtype=bool) if sep is None else ~sep.rows
    Xm = exog[:, cols] * free[:, None]
    if not free.any():  # complete separation: every term is infinite, nothing to estimate
        return sep, [], np.zeros(0), yb, np.zeros((0, len(yb)))
    b = logit_newton(Xm[free], yb[free], w[free])
    pi = np.where(free, expit(Xm @ b), yb)
    A = Xm.T @ (Xm * (w * pi * (1 - pi))[:, None])
    return sep, cols, b, pi, np.linalg.solve(A, Xm.T)


def _wald(beta: np.ndarray, cov: np.ndarray, idx: list[int], k: int, q: int) -> tuple[float, int]:
    """Slope j at cut 1 minus slope j at cut m, m = 2..k, for j in ``idx`` (positions among
    the ``q`` testable terms of each cut's block)."""
    D = np.zeros(((k - 1) * len(idx), k * q))
    r = 0
    for j in idx:
        for m in range(1, k):
            D[r, j], D[r, m * q + j] = 1, -1
            r += 1
    diff = D @ beta
    V = D @ cov @ D.T
    try:
        stat = float(diff @ np.linalg.solve(V, diff))
    except np.linalg.LinAlgError:
        stat = float(diff @ np.linalg.pinv(V) @ diff)
    return stat, D.shape[0]


def _cut_name(values, i: int, labels: dict | None) -> str:
    lab = labels or {}
    return f"«{lab.get(values[i], values[i])} | {lab.get(values[i + 1], values[i + 1])}»"


def _separated_terms(seps: list[Separation | None], names: list[str], values, labels) -> dict[str, str]:
    """Term -> why it cannot be tested: the kind of separation and the cuts where it is."""
    where: dict[str, list[tuple[str, bool]]] = {}
    for i, sep in enumerate(seps):
        if sep is None:
            continue
        for j, name in enumerate(names):
            if sep.terms[j + 1]:
                where.setdefault(name, []).append((_cut_name(values, i, labels), sep.complete))
    return {
        name: "tách biệt "
        + ("hoàn toàn" if any(c for _, c in cuts) else "gần hoàn toàn")
        + " ở ngưỡng "
        + ", ".join(n for n, _ in cuts)
        for name, cuts in where.items()
    }


def brant_test(
    y: np.ndarray,
    X: pd.DataFrame,
    weights: np.ndarray | None = None,
    labels: dict | None = None,
    term_names: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Brant's test per term and overall (``so_hang`` "tổng thể"), Brant's covariance (module
    docstring). ``weights``: counts of collapsed rows; ``labels``: level -> its label, to name
    a cut-point; ``term_names``: column -> the term in words, for the overall row's reason."""
    from scipy import stats

    exog = np.column_stack([np.ones(len(X)), X.to_numpy(dtype=float)])
    y = np.asarray(y)
    w = np.ones(len(y)) if weights is None else np.asarray(weights, dtype=float)
    values = sorted(np.unique(y))
    fits = [_cut_fit(exog, (y > c).astype(float), w) for c in values[:-1]]
    names = list(X.columns)
    reasons = _separated_terms([f[0] for f in fits], names, values, labels)
    testable = [j for j, n in enumerate(names) if n not in reasons]
    k, q = len(fits), len(testable)
    beta, blocks = np.zeros(k * q), []
    for m, (_, cols, b, _, G) in enumerate(fits):
        pos = [cols.index(j + 1) for j in testable]
        beta[m * q : (m + 1) * q] = b[pos]
        blocks.append(G[pos])
    cov = np.zeros((k * q, k * q))
    for m in range(k):
        for n in range(m, k):  # m <= n: W_mn = w pi_n (1 - pi_m)
            pm, pn = fits[m][3], fits[n][3]
            block = blocks[m] @ (blocks[n] * (w * pn * (1 - pm))[None, :]).T
            cov[m * q : (m + 1) * q, n * q : (n + 1) * q] = block
            cov[n * q : (n + 1) * q, m * q : (m + 1) * q] = block.T
    rows = []
    for j, name in enumerate(names):
        row = {"so_hang": name, "chi2": np.nan, "bac_tu_do": np.nan, "p": np.nan, "canh_bao": ""}
        if name in reasons:
            row["canh_bao"] = f"{NOT_TESTABLE}: {reasons[name]}"
        else:
            stat, df = _wald(beta, cov, [testable.index(j)], k, q)
            row |= {"chi2": stat, "bac_tu_do": df, "p": float(stats.chi2.sf(stat, df))}
        rows.append(row)
    overall = {"so_hang": "tổng thể", "chi2": np.nan, "bac_tu_do": np.nan, "p": np.nan, "canh_bao": ""}
    if reasons:
        said = [f"hệ số của {(term_names or {}).get(n, n)} không hữu hạn ({r})" for n, r in reasons.items()]
        overall["canh_bao"] = f"{NOT_TESTABLE}: " + "; ".join(said)
    else:
        stat, df = _wald(beta, cov, list(range(q)), k, q)
        overall |= {"chi2": stat, "bac_tu_do": df, "p": float(stats.chi2.sf(stat, df))}
    rows.append(overall)
    return pd.DataFrame(rows)
