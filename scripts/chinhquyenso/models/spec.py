"""What the models are fitted on: the covariates from the configuration, their design columns,
and respondents grouped by covariate pattern.

Design matrices are built here, by hand, with explicit reference categories: no formula engine,
no ``0 +`` pitfalls.
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..codebook import Block, label_unit

log = logging.getLogger(__name__)


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
            # the bands the data has (fit_to_data), else every band
            categories, reference = levels.get(cov.name, labels), cov.reference or labels[0]
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


@dataclass
class Patterns:
    """Respondents grouped by covariate pattern. Every model here depends on a respondent only
    through their pattern and outcomes, so the design is built for the patterns, not for every
    row: a national sample of a million respondents has a few thousand patterns."""

    ids: np.ndarray  # each respondent's pattern: a row of design.X
    design: Design  # one row per pattern (ids 0..P-1)


def covariate_patterns(frame: pd.DataFrame, spec: ModelSpec, levels: dict[str, list[str]]) -> Patterns:
    """Group ``frame``'s rows by their covariates (the same ids for the same values in any
    subset of rows) and build the design of each group once."""
    names = [c.name for c in spec.covariates]
    values = frame[names]
    ids = values.groupby(names, sort=True, dropna=False, observed=True).ngroup().to_numpy()
    first = pd.Series(np.arange(len(frame))).groupby(ids).first().to_numpy()
    return Patterns(ids, design(values.iloc[first].reset_index(drop=True), spec, levels))


def wide_outcomes(frame: pd.DataFrame, activities: Block) -> tuple[np.ndarray, np.ndarray]:
    """Respondents x activities: taking part (0/1) and the level (NaN where there is none)."""
    takes = np.column_stack([frame[activities.takes[a]].astype(bool) for a in activities]).astype(int)
    level = np.column_stack([frame[activities.level[a]].astype(float) for a in activities])
    return takes, level


def grid_dimensions(spec: ModelSpec, levels: dict[str, list[str]]) -> list[str]:
    """The categorical roles the prediction chart splits by (gender, administrative level), when present."""
    return [spec.roles[r] for r in ("gender", "admin_level") if spec.roles.get(r) in levels]


def _value_counts(clean: pd.DataFrame, cov: Covariate) -> tuple[pd.Series, list[str]]:
    """How many respondents have each level of a categorical or banded covariate, and its
    levels in order (a banded covariate's levels are its bands)."""
    if cov.type == "bands":
        labels = _band_labels(cov.edges, cov.unit)
        raw = clean[cov.name].astype(float)
        values = pd.cut(raw, bins=list(cov.edges), right=False, labels=labels).astype(str)
        return values.value_counts(), labels
    return clean[cov.name].astype(str).value_counts(), []


def _absent_levels_note(cov: Covariate, absent: list, roles: dict) -> str:
    """Levels nobody has, said once in the report: a province or administrative level is named
    in the sample paragraph (the codebook declares it, the sample has nobody there), so the
    models' note counts them (the rule log names them); other covariates name them here."""
    names = ", ".join(map(str, absent))
    if cov.name not in (roles.get("province"), roles.get("admin_level")):
        return f"{cov.label}: không có người trả lời ở mức {names}; bỏ mức này khỏi mô hình"
    log.info("%s: bỏ khỏi mô hình các mức không có người trả lời: %s", cov.label, names)
    which = f"{len(absent)} mức" if len(absent) > 1 else "mức"
    return f"{cov.label}: bỏ khỏi mô hình {which} không có người trả lời (nêu tên ở phần dữ liệu)"


def fit_to_data(
    spec: ModelSpec, clean: pd.DataFrame, book_levels: dict[str, list[str]]
) -> tuple[ModelSpec, dict[str, list[str]], list[str]]:
    """Adapt the specification to the levels the data has, saying what changed.

    A later wave may lack a level the codebook or config names (no district level after the
    2025 reorganisation; a province report holds one province): empty levels leave the model,
    a missing reference is replaced by the most frequent level, and a covariate left with one
    level, or a number everyone answered alike (the same tenure for all), is dropped (it
    cannot vary). Each change is returned as a sentence for the log and the report."""
    covariates, levels, notes = [], {}, []
    for cov in spec.covariates:
        if cov.type == "linear":
            if clean[cov.name].astype(float).dropna().nunique() < 2:
                notes.append(f"{cov.label}: mọi người trả lời có cùng một giá trị; bỏ biến này khỏi mô hình")
                continue
            covariates.append(cov)
            continue
        counts, bands = _value_counts(clean, cov)
        all_levels = bands or book_levels[cov.name]
        present = [v for v in all_levels if counts.get(v, 0) > 0]
        absent = [v for v in all_levels if v not in present]
        if len(present) < 2:
            notes.append(f"{cov.label}: chỉ có một mức trong dữ liệu; bỏ biến này khỏi mô hình")
            continue
        if absent:
            notes.append(_absent_levels_note(cov, absent, spec.roles))
        reference = cov.reference or (bands[0] if bands else None)
        if reference not in present:
            new_ref = max(present, key=lambda v: (counts[v], -present.index(v)))
            notes.append(
                f"{cov.label}: mức tham chiếu «{reference}» không có trong dữ liệu; dùng «{new_ref}»"
            )
            cov = Covariate(cov.name, cov.type, new_ref, cov.edges, cov.label)
        covariates.append(cov)
        if not bands or absent:  # a banded covariate keeps every band unless the data lack one
            levels[cov.name] = present
    for name in (spec.roles.get(r) for r in ("gender", "admin_level")):  # the prediction grid's dimensions
        if name and name in book_levels and name not in levels:
            counts = clean[name].astype(str).value_counts()
            levels[name] = [v for v in book_levels[name] if counts.get(v, 0) > 0]
    kept = {c.name for c in covariates}
    new = dataclasses.replace(spec, covariates=covariates, focal=[f for f in spec.focal if f in kept])
    return new, levels, notes
