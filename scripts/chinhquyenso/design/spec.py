"""The sampling design of a survey: weights, strata, primary sampling units (PSUs) and an optional
finite population correction, read from a clean frame by the codebook's roles, validated, and the
linearisation variance every design-based estimate rests on.

The variance follows R's ``survey`` package (``svyrecvar`` for a one-stage design with PSUs drawn
with replacement, its default): the estimator's influence (or score) values are summed per PSU,
centred on their stratum's mean and their squares added up with the factor f_h · n_h/(n_h − 1),
n_h the PSUs of stratum h in the whole sample (a domain keeps every PSU: see ``estimates``) and
f_h = 1 − n_h/N_h with an fpc, 1 without. A stratum of one PSU ("lonely PSU") follows R's
``options(survey.lonely.psu)``: "fail" (the default here, as in R) stops with a message;
"certainty" counts the stratum as taken whole (no variance); "adjust" centres its PSU on the
population mean (zero for the influence of an estimator) instead of its stratum's.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import sparse

from .calibration import Calibration, residuals

DESIGN_ROLES = ("weight", "strata", "psu", "fpc")
LONELY_PSU = ("fail", "certainty", "adjust")


def declared(codebook, weighting: str | None) -> bool:
    """Does this run have a design (declared roles or weighting to totals)? Here, not in
    ``stage``: the Snakefile asks it at every start, and ``stage`` loads scipy.stats."""
    return bool(weighting) or any(codebook.role(r) for r in DESIGN_ROLES)


# The codebook's `design:`: how the variance treats a stratum of one PSU, and whether PSU codes
# are numbered within their stratum (R's options(survey.lonely.psu) and svydesign(nest=TRUE)).
DESIGN_DEFAULTS = {"lonely_psu": "fail", "nest": False}


def design_options(spec, problems: list[str]) -> dict:
    """``design:`` (lonely_psu, nest) over its defaults; problems in Vietnamese."""
    spec = spec or {}
    if not isinstance(spec, dict):
        problems.append("design: phải là một bảng khóa (lonely_psu, nest)")
        return dict(DESIGN_DEFAULTS)
    for key in set(spec) - set(DESIGN_DEFAULTS):
        problems.append(f"design: khóa «{key}» không có (có: {', '.join(DESIGN_DEFAULTS)})")
    out = {**DESIGN_DEFAULTS, **{k: v for k, v in spec.items() if k in DESIGN_DEFAULTS}}
    if out["lonely_psu"] not in LONELY_PSU:
        problems.append(
            f"design.lonely_psu: «{out['lonely_psu']}» không hợp lệ (có: {', '.join(LONELY_PSU)})"
        )
    if not isinstance(out["nest"], bool):
        problems.append(f"design.nest: «{out['nest']}» phải là true hoặc false")
    return out


class DesignError(ValueError):
    """The design declared cannot be used; the message lists every problem, in Vietnamese."""


@dataclass(frozen=True)
class SurveyDesign:
    """One row per respondent. ``strata``: stratum index 0..H−1; ``psu``: PSU index 0..C−1,
    unique across strata (nested); ``fpc``: per stratum, the factor f_h (1: no correction)."""

    weights: np.ndarray
    strata: np.ndarray
    psu: np.ndarray
    fpc: np.ndarray
    lonely_psu: str = "fail"
    variables: dict[str, str] = field(default_factory=dict)  # role -> codebook variable
    strata_labels: tuple[str, ...] = ()
    calibration: Calibration | None = None  # weights post-stratified or raked (weighting.py)

    @property
    def n(self) -> int:
        return len(self.weights)

    @property
    def n_strata(self) -> int:
        return len(self.fpc)

    @property
    def psu_stratum(self) -> np.ndarray:
        """The stratum of each PSU."""
        out = np.zeros(self.n_psu_total, dtype=np.int64)
        out[self.psu] = self.strata
        return out

    @property
    def n_psu_total(self) -> int:
        return int(self.psu.max()) + 1 if self.n else 0

    @property
    def psu_per_stratum(self) -> np.ndarray:
        return np.bincount(self.psu_stratum, minlength=self.n_strata)

    @property
    def degf(self) -> int:
        """Degrees of freedom of the design (PSUs − strata), as R's ``degf``."""
        return self.n_psu_total - self.n_strata

    def scale(self) -> np.ndarray:
        """Per PSU: the factor its centred total's square is counted with."""
        n_h = self.psu_per_stratum.astype(float)
        with np.errstate(divide="ignore", invalid="ignore"):
            per = np.where(n_h > 1, self.fpc * n_h / (n_h - 1), self.fpc)
        if self.lonely_psu == "certainty":
            per = np.where(n_h > 1, per, 0.0)
        per = np.where(self.fpc < 1e-7, 0.0, per)  # a stratum taken whole (as R)
        return per[self.psu_stratum]


def simple_design(weights: np.ndarray | None = None, n: int | None = None) -> SurveyDesign:
    """Every respondent a PSU, one stratum, no fpc: weights only (or none)."""
    w = np.ones(n) if weights is None else np.asarray(weights, dtype=float)
    return SurveyDesign(w, np.zeros(len(w), dtype=np.int64), np.arange(len(w)), np.ones(1))


def psu_totals(values: np.ndarray, psu: np.ndarray, n_psu: int) -> np.ndarray:
    """Sums of the rows of ``values`` (n × p) per PSU: C × p."""
    values = np.asarray(values, dtype=float)
    if values.ndim == 1:
        values = values[:, None]
    summer = sparse.csr_matrix((np.ones(len(psu)), (psu, np.arange(len(psu)))), shape=(n_psu, len(psu)))
    return np.asarray(summer @ values)


def centred(totals: np.ndarray, design: SurveyDesign) -> np.ndarray:
    """PSU totals centred on their stratum's mean over all its PSUs (R's ``onestrat``); the PSU
    of a lonely stratum under "adjust" is left uncentred (centred on the population mean 0)."""
    stratum = design.psu_stratum
    n_h = design.psu_per_stratum
    sums = np.zeros((design.n_strata, totals.shape[1]))
    np.add.at(sums, stratum, totals)
    means = sums / np.maximum(n_h, 1)[:, None]
    if design.lonely_psu == "adjust":
        means[n_h == 1] = 0.0
    return totals - means[stratum]


def variance(values: np.ndarray, design: SurveyDesign, psu: np.ndarray | None = None, full: bool = True):
    """The linearisation variance of Σ ``values`` (rows: influence or score values, one per row
    of the design, or per collapsed cell with ``psu`` its PSU). ``full``: the p × p covariance;
    otherwise the p variances only (cheaper for many estimates at once). A calibrated design
    needs one row per respondent (see calibration.py)."""
    if design.calibration is not None:
        values = residuals(
            values if np.ndim(values) == 2 else np.asarray(values)[:, None],
            design.weights,
            design.calibration,
        )
    totals = psu_totals(values, design.psu if psu is None else psu, design.n_psu_total)
    return variance_of_totals(totals, design, full)


def variance_of_totals(totals: np.ndarray, design: SurveyDesign, full: bool = True):
    """``variance`` from the PSU totals (C × p) themselves."""
    d = centred(totals, design)
    s = design.scale()
    if full:
        return (d * s[:, None]).T @ d
    return (d * d * s[:, None]).sum(axis=0)


def _rows(frame: pd.DataFrame, mask: np.ndarray, limit: int = 20) -> str:
    """Row numbers of the source file (``dong_nguon`` when the clean frame has it), never IDs."""
    rows = frame["dong_nguon"].to_numpy()[mask] if "dong_nguon" in frame else np.flatnonzero(mask) + 1
    shown = ", ".join(str(int(r)) for r in rows[:limit])
    return shown + (f" và {len(rows) - limit} dòng khác" if len(rows) > limit else "")


def design_from_frame(
    frame: pd.DataFrame,
    roles: dict[str, str],
    lonely_psu: str = "fail",
    nest: bool = False,
    where: str = "dữ liệu",
) -> SurveyDesign | None:
    """The design named by ``roles`` (codebook roles ``weight``, ``strata``, ``psu``, ``fpc``:
    role -> variable); None when none is declared. Without ``psu`` every respondent is a PSU;
    without ``strata`` one stratum; without ``weight`` equal weights. ``nest``: PSU codes are
    numbered within their stratum (R's ``nest=TRUE``); otherwise a code in two strata is an error.
    ``fpc``: the number of PSUs in the stratum's population, or (every value ≤ 1) the sampling
    fraction, as R's ``svydesign(fpc=)``. Raises DesignError listing every problem."""
    named = {r: roles[r] for r in DESIGN_ROLES if roles.get(r)}
    if not named:
        return None
    if lonely_psu not in LONELY_PSU:
        raise DesignError(f"lonely_psu = «{lonely_psu}» không hợp lệ (có: {', '.join(LONELY_PSU)})")
    problems = [
        f"{where}: thiếu cột «{name}» (vai trò {role} của thiết kế mẫu)"
        for role, name in named.items()
        if name not in frame
    ]
    if problems:
        raise DesignError("\n".join(problems))
    n = len(frame)
    weights = np.ones(n)
    if "weight" in named:
        col = named["weight"]
        weights = pd.to_numeric(frame[col], errors="coerce").to_numpy(dtype=float)
        bad = ~np.isfinite(weights) | (weights <= 0)
        if bad.any():
            problems.append(
                f"{where}, cột «{col}»: trọng số trống, không phải số hoặc ≤ 0 ở dòng {_rows(frame, bad)}"
            )
    strata, strata_labels = np.zeros(n, dtype=np.int64), ("",)
    for role in ("strata", "psu"):
        if role in named and frame[named[role]].isna().any():
            missing = frame[named[role]].isna().to_numpy()
            problems.append(f"{where}, cột «{named[role]}»: trống ở dòng {_rows(frame, missing)}")
    if problems:
        raise DesignError("\n".join(problems))
    if "strata" in named:
        codes, uniques = pd.factorize(frame[named["strata"]], sort=True)
        strata, strata_labels = codes.astype(np.int64), tuple(str(u) for u in uniques)
    psu = np.arange(n, dtype=np.int64)
    if "psu" in named:
        psu = _psu_codes(frame[named["psu"]], strata, nest, named, where, problems)
    fpc = np.ones(len(strata_labels))
    if "fpc" in named:
        fpc = _fpc(frame, named["fpc"], strata, psu, strata_labels, where, problems)
    design = SurveyDesign(weights, strata, psu, fpc, lonely_psu, named, strata_labels)
    lonely = np.flatnonzero(design.psu_per_stratum == 1)
    if len(lonely) and lonely_psu == "fail":
        names = ", ".join(f"«{strata_labels[h]}»" for h in lonely[:20])
        problems.append(
            f"{where}: tầng {names} (cột «{named.get('strata')}») chỉ có một đơn vị mẫu (PSU): không ước "
            "lượng được phương sai trong tầng. Chọn lonely_psu: certainty (coi tầng là lấy toàn bộ) "
            "hoặc adjust (so với trung bình chung), như options(survey.lonely.psu) của R"
        )
    if problems:
        raise DesignError("\n".join(problems))
    return design


def _psu_codes(column: pd.Series, strata: np.ndarray, nest: bool, named: dict, where: str, problems: list):
    """PSU index 0..C−1 of each row, a PSU being (stratum, code); without ``nest`` a code met in
    two strata is a problem (R's svydesign: "clusters not nested in strata")."""
    raw = column.astype(str).to_numpy()
    psu = pd.factorize(pd.MultiIndex.from_arrays([strata, raw]), sort=True)[0].astype(np.int64)
    if not nest:
        spread = pd.Series(strata).groupby(raw).nunique()
        crossing = spread[spread > 1]
        if len(crossing):
            codes = ", ".join(f"«{c}»" for c in crossing.index[:20])
            problems.append(
                f"{where}, cột «{named['psu']}»: đơn vị mẫu (PSU) {codes} "
                f"nằm ở nhiều tầng (cột «{named.get('strata')}»); nếu mã PSU chỉ duy nhất trong từng "
                "tầng, khai báo nest: true"
            )
    return psu


def _fpc(frame, col, strata, psu, labels, where, problems) -> np.ndarray:
    """Per stratum f_h = 1 − n_h/N_h from a population size N_h (> 1) or a fraction (≤ 1)."""
    values = pd.to_numeric(frame[col], errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(values) | (values <= 0)
    if bad.any():
        problems.append(f"{where}, cột «{col}»: fpc trống, không phải số hoặc ≤ 0 ở dòng {_rows(frame, bad)}")
        return np.ones(len(labels))
    n_strata = len(labels)
    per = pd.Series(values).groupby(strata).agg(["min", "max"])
    varies = per.index[per["min"] != per["max"]]
    if len(varies):
        names = ", ".join(f"«{labels[h]}»" for h in varies)
        problems.append(f"{where}, cột «{col}»: fpc khác nhau trong cùng một tầng (tầng {names})")
    n_h = pd.Series(psu).groupby(strata).nunique().reindex(range(n_strata)).to_numpy(dtype=float)
    level = per["max"].reindex(range(n_strata)).to_numpy(dtype=float)
    if (values <= 1).all():
        return 1.0 - level  # sampling fractions
    small = level < n_h
    if small.any():
        names = ", ".join(f"«{labels[h]}»" for h in np.flatnonzero(small))
        problems.append(f"{where}, cột «{col}»: số PSU của tổng thể nhỏ hơn số PSU trong mẫu ở tầng {names}")
    return (level - n_h) / level
