"""Separation: when a logit's maximum-likelihood estimate does not exist (some coefficients run
off to infinity), found by linear programming rather than read off where an optimiser stopped.

Binary logit (Albert & Anderson 1984; the linear program of Konis 2007, as in R's
detectseparation): the estimate is infinite when a direction d != 0 has x_i'd >= 0 for every
row with y = 1 and x_i'd <= 0 for every row with y = 0. The rows with a strict inequality for
some such direction are fitted with probability 0 or 1 in the limit (``rows``); the coefficients
that move along such directions are infinite (``terms``), the others keep finite limits, which
a fit on the other rows gives (``Separation.kept_columns``).

Cumulative (proportional-odds) logit: the same with one direction for the slopes and the cut
points together (``ordinal_separation``). Frequency weights do not matter: only which rows have
a positive weight."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .spec import Design, ModelSpec

TOL = 1e-7  # on directions scaled to at most 1: HiGHS's feasibility tolerance is 1e-7


@dataclass(frozen=True)
class Separation:
    """``rows``: fitted with probability 0 or 1 in the limit; ``terms``: columns whose
    coefficient is infinite; ``complete``: every row is (complete separation)."""

    rows: np.ndarray
    terms: np.ndarray

    @property
    def complete(self) -> bool:
        return bool(self.rows.all())


def _scaled(X: np.ndarray) -> np.ndarray:
    """Columns scaled to a largest absolute value of 1: the LP's bounds then mean the same for
    a dummy and for tenure in years."""
    scale = np.abs(X).max(axis=0)
    return X / np.where(scale > 0, scale, 1.0)


def _strict_rows(A: np.ndarray, hard: np.ndarray | None = None) -> np.ndarray:
    """Rows of ``A`` (constraints A v >= 0 on a cone, with ``hard`` v >= 0 too) that some v of
    the cone makes strictly positive: max sum t subject to A v >= t, 0 <= t <= 1, |v| <= 1e3.
    Directions are a cone, so a row that can be positive reaches t = 1 unless the bound on v
    stops it. Equal rows are one constraint (collapsed rows repeat at a cut)."""
    from scipy import sparse
    from scipy.optimize import linprog

    unique, back = np.unique(A, axis=0, return_inverse=True)
    n, n_free = unique.shape
    hard = np.zeros((0, n_free)) if hard is None else hard
    c = np.r_[np.zeros(n_free), -np.ones(n)]
    A_ub = sparse.vstack(
        [
            sparse.hstack([sparse.csr_matrix(-unique), sparse.identity(n)]),
            sparse.hstack([sparse.csr_matrix(-hard), sparse.csr_matrix((len(hard), n))]),
        ],
        format="csr",
    )
    bounds = [(-1e3, 1e3)] * n_free + [(0.0, 1.0)] * n
    res = linprog(c, A_ub=A_ub, b_ub=np.zeros(A_ub.shape[0]), bounds=bounds, method="highs")
    if res.status != 0:  # HiGHS did not solve a bounded, feasible problem: say nothing is separated
        return np.zeros(len(A), dtype=bool)
    return (res.x[n_free:] > 1e-3)[back.ravel()]


def _overlap(X: np.ndarray, y: np.ndarray, low, high) -> bool:
    """True when the estimate surely exists, without a linear program: the covariate patterns
    observed at both ``low`` and ``high`` (the binary logit's 0 and 1, the cumulative logit's
    extreme levels) span, with the intercept, the space of every pattern. On such a pattern a
    direction must have x'd both >= and <= each cut point (cut points non-decreasing: all equal
    to x'd; 0 in the binary logit), so x'd is one constant on every pattern and no row can be
    strict. At survey sizes nearly every pattern has both ends: the program is rarely needed."""
    patterns, which = np.unique(np.asarray(X, dtype=float), axis=0, return_inverse=True)
    which = which.ravel()
    has_low = np.bincount(which, weights=(y == low), minlength=len(patterns)) > 0
    has_high = np.bincount(which, weights=(y == high), minlength=len(patterns)) > 0
    every = np.column_stack([np.ones(len(patterns)), patterns])
    both = every[has_low & has_high]
    return len(both) > 0 and np.linalg.matrix_rank(both) == np.linalg.matrix_rank(every)


def binary_separation(X: np.ndarray, y: np.ndarray) -> Separation | None:
    """Separation in a binary logit with design ``X`` (the intercept column included) and 0/1
    outcome ``y``, on rows that have a positive weight. None when the estimate exists."""
    if _overlap(X, (np.asarray(y) > 0).astype(int), 0, 1):
        return None
    X = _scaled(np.asarray(X, dtype=float))
    s = np.where(np.asarray(y) > 0, 1.0, -1.0)
    rows = _strict_rows(X * s[:, None])
    if not rows.any():
        return None
    # Directions are the vectors with X_R d = 0 on the other rows R (and positive on ``rows``):
    # a coefficient is infinite when the null space of X_R moves it.
    rest = X[~rows]
    if len(rest) == 0:
        return Separation(rows, np.ones(X.shape[1], dtype=bool))
    _, sv, vt = np.linalg.svd(rest, full_matrices=True)
    rank = int((sv > sv.max() * 1e-10).sum()) if len(sv) else 0
    null = vt[rank:]
    terms = np.abs(null).max(axis=0) > 1e-8 if len(null) else np.zeros(X.shape[1], dtype=bool)
    return Separation(rows, terms)


def kept_columns(X: np.ndarray, sep: Separation) -> list[int]:
    """A basis of the columns of X on the rows left by ``sep``, holding every finite term: the
    fit on those rows and columns gives the finite coefficients' limits, and its fitted values."""
    rest = np.asarray(X, dtype=float)[~sep.rows]
    order = [j for j in range(X.shape[1]) if not sep.terms[j]] + [
        j for j in range(X.shape[1]) if sep.terms[j]
    ]
    keep: list[int] = []
    for j in order:  # greedy: the finite terms are independent on these rows (null space above)
        if np.linalg.matrix_rank(rest[:, keep + [j]]) == len(keep) + 1:
            keep.append(j)
    return sorted(keep)


def ordinal_separation(X: np.ndarray, y: np.ndarray) -> np.ndarray | None:
    """Slopes of a proportional-odds logit (``X`` without intercept; ``y`` 0-based level codes,
    every level 0..K-1 present) that are infinite, or None when the estimate exists.

    A direction (d for the slopes, e for the K-1 cut points, e non-decreasing) does not lower
    the likelihood when, for each row at level k, e_k - x'd >= 0 (k < K-1) and x'd - e_{k-1}
    >= 0 (k > 0); separation when one row is strict."""
    from scipy.optimize import linprog

    y = np.asarray(y, dtype=int)
    if _overlap(X, y, 0, int(y.max())):
        return None
    X = _scaled(np.asarray(X, dtype=float))
    n, p = X.shape
    m = int(y.max())  # cut points
    eye = np.eye(m)
    upper, lower = y < m, y > 0  # e_k - x'd >= 0 ; x'd - e_{k-1} >= 0
    A = np.vstack([np.hstack([-X[upper], eye[y[upper]]]), np.hstack([X[lower], -eye[y[lower] - 1]])])
    order = np.hstack([np.zeros((m - 1, p)), np.diff(np.eye(m), axis=0)])  # e_{k+1} - e_k >= 0
    if not _strict_rows(A, order).any():
        return None
    cone = np.vstack([A, order])
    infinite = np.zeros(p, dtype=bool)
    for j in range(p):  # does some direction move slope j? (only when separation is there)
        for sign in (1.0, -1.0):
            c = np.zeros(p + m)
            c[j] = -sign
            res = linprog(c, A_ub=-cone, b_ub=np.zeros(len(cone)), bounds=[(-1, 1)] * (p + m), method="highs")
            if res.status == 0 and -res.fun > TOL * 10:
                infinite[j] = True
                break
    return infinite


def term_words(d: Design, spec: ModelSpec) -> dict[str, str]:
    """Design column -> the term in words: "<label> «<level>»" for a dummy, the label for a slope."""
    labels = {c.name: c.label or c.name for c in spec.covariates}
    return {
        col: f"{labels.get(cov, cov)} «{level}»" if cov in d.references else labels.get(cov, cov)
        for col, (cov, level) in d.terms.items()
    }


def separated_terms(kind: str, X: pd.DataFrame, y: np.ndarray, d: Design, spec: ModelSpec) -> list[str]:
    """The terms, in words (no count), whose estimate separation makes infinite in a model;
    empty when its estimate exists. ``kind``: "logit" (y 0/1) or "ordinal" (y the levels);
    ``X``: the model's covariate columns on collapsed rows."""
    A = X.to_numpy(dtype=float)
    if kind == "logit":
        sep = binary_separation(np.column_stack([np.ones(len(A)), A]), y)
        infinite = None if sep is None else sep.terms[1:]
    else:
        infinite = ordinal_separation(A, np.searchsorted(np.unique(y), y))
    if infinite is None:
        return []
    words = term_words(d, spec)
    return [words.get(c, c) for c, bad in zip(X.columns, infinite, strict=True) if bad]
