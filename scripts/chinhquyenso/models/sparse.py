"""Thin outcome categories: what a reader can act on when cells hold few answers, and the
optional merge of a thin extreme level into its neighbour (config models.merge_sparse_levels)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .spec import Design

log = logging.getLogger(__name__)


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
    otherwise that some cells of a level are thin. ``labels``: outcome code -> its label.

    Not a model's status any more (a small survey has thin cells in every model, so a status
    saying so tells the reader nothing): the stage logs these facts, with the counts and groups,
    in the rule's log, and lists the models with a thin level in the summary (``it_truong_hop``).
    The sentences still quote no count and name no group: a level's total is a cell of the
    levels table the disclosure stage may hide."""
    out = []
    for value, t in thinness(y, X, d, min_cases, weights).items():
        name = f"«{labels.get(value, value)}»" if labels else str(value)
        if t.rare:
            out.append(f"mức {name} có rất ít câu trả lời")
        elif t.thin:
            out.append(f"mức {name} có ít câu trả lời ở nhiều nhóm")
        elif t.thin_groups:
            out.append(f"một số ô thưa ở mức {name}")
        if t.rare or t.thin or t.thin_groups:
            log.info(
                "ô thưa ở mức %s: %d câu trả lời; dưới %d ở %d/%d nhóm (%s)",
                name,
                t.total,
                min_cases,
                len(t.thin_groups),
                t.n_groups,
                ", ".join(t.thin_groups),
            )
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
    """One status that can carry several conditions: "ổn", or e.g. "không hội tụ; đã gộp mức
    ...". ``diagnosis``: what changes how the model is read (a covariate dropped, a level
    merged), never thin cells alone."""
    conditions = ([] if converged else ["không hội tụ"]) + diagnosis
    return "; ".join(conditions) if conditions else "ổn"
