"""The design in the pipeline: the sampling design the codebook declares (roles ``weight``,
``strata``, ``psu``, ``fpc`` and its ``design:`` options) and, with ``survey.weighting`` in the
config, weights post-stratified or raked to a table of known totals (weighting.py); then the
design-based share of every share indicator of the form, overall and per province, for the
report's weighted table.

Without a declared design and without weighting nothing here runs (the workflow has no such
rule): every output is then the same as without this feature.

Small cells: a weighted share is published only when its domain has at least ``min_cell``
respondents and neither those who said yes nor those who said no are fewer than ``min_cell``
(1..min_cell − 1): the unweighted n beside a share would otherwise give a small count away.
The rule is on unweighted counts, as the disclosure stage's.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..codebook import Codebook
from ..products import SHARE_KINDS
from .estimates import domain_means
from .spec import DESIGN_ROLES, SurveyDesign, design_from_frame, simple_design
from .weighting import WeightSummary, calibrated_design, read_totals, summarise

TOTAL = "Tổng cộng"


@dataclass(frozen=True)
class BuiltDesign:
    design: SurveyDesign
    weights: WeightSummary
    summary: dict  # what the methods text says (design_summary)


def build(clean: pd.DataFrame, codebook: Codebook, weighting: str | Path | None, where: str) -> BuiltDesign:
    """The design of the clean table; DesignError (every problem, in Vietnamese) otherwise."""
    roles = {r: codebook.role(r) for r in DESIGN_ROLES if codebook.role(r)}
    options = codebook.design or {}
    design = design_from_frame(
        clean, roles, options.get("lonely_psu", "fail"), bool(options.get("nest")), where
    ) or simple_design(n=len(clean))
    method, source, illustrative, iterations = (
        ("khai_bao" if roles.get("weight") else "bang_nhau"),
        "",
        False,
        0,
    )
    weights = summarise(design.weights)
    if weighting:
        totals = read_totals(Path(weighting))
        design, weights = calibrated_design(design, clean, totals)
        method, source, illustrative = totals.method, totals.source, totals.illustrative
        iterations = weights.iterations
        calibrated_on = [v for variables in totals.tables for v in variables]
    else:
        calibrated_on = []
    summary = {
        "bien": roles,
        "so_tang": int(design.n_strata) if roles.get("strata") else 0,
        "so_psu": int(design.n_psu_total) if roles.get("psu") else 0,
        "lonely_psu": options.get("lonely_psu", "fail"),
        "nest": bool(options.get("nest")),
        "trong_so": method,
        "hieu_chinh_theo": calibrated_on,
        "nguon_tong_the": source,
        "minh_hoa": illustrative,
        "vong_lap": iterations,
        "n": int(weights.n),
        "tong_trong_so": weights.total,
        "trong_so_nho_nhat": weights.minimum,
        "trong_so_lon_nhat": weights.maximum,
        "n_hieu_dung_kish": weights.kish_n,
        "deff_trong_so": weights.deff_weighting,
        "bac_tu_do": int(design.degf),
    }
    return BuiltDesign(design, weights, summary)


def share_indicators(clean: pd.DataFrame, codebook: Codebook) -> list[tuple[str, str, str, np.ndarray]]:
    """(block id, item, label, 0/1 with NaN for no answer) of every share the tables show:
    taking part in each activity, yes/no indicators, ratings at the summary band or above,
    multi-select options."""
    out = []
    acts = codebook.activities
    if acts is not None:
        for item, label in acts.items.items():
            out.append((acts.id, item, label, _binary(clean[acts.takes[item]])))
    for block in codebook.blocks_of(*SHARE_KINDS):
        if block.kind == "indicators":
            out += [(block.id, v, codebook[v].label or v, _binary(clean[v])) for v in block.variables]
        elif block.kind == "ratings":
            for item, label in block.items.items():
                level = pd.to_numeric(clean[block.level[item]], errors="coerce").to_numpy(dtype=float)
                hit = np.where(np.isnan(level), np.nan, (level >= block.scale.summary_from).astype(float))
                out.append((block.id, item, label, hit))
        else:
            for (item, label), var in zip(block.items.items(), block.variables, strict=True):
                out.append((block.id, item, label, _binary(clean[var])))
    return out


def _binary(column: pd.Series) -> np.ndarray:
    """1/0, NaN where there is no answer (item non-response, not asked)."""
    values = column.astype("boolean")
    return np.where(values.isna().to_numpy(), np.nan, values.fillna(False).to_numpy(dtype=float))


def _domains(clean: pd.DataFrame, codebook: Codebook) -> list[tuple[list[str], np.ndarray]]:
    """The whole sample, then each province with respondents: (names, each row's group)."""
    out = [([TOTAL], np.zeros(len(clean), dtype=np.int64))]
    prov = codebook.role("province")
    if prov:
        values = [v for v in codebook[prov].values if (clean[prov] == v).any()]
        out.append((values, pd.Index(values).get_indexer(clean[prov].astype(object)).astype(np.int64)))
    return out


def weighted_shares(
    clean: pd.DataFrame, codebook: Codebook, design: SurveyDesign, min_cell: int, level: float
) -> pd.DataFrame:
    """One row per share indicator and domain (the whole sample, then each province with
    respondents): weighted % (``ty_le``), its SE, logit interval and design effect, the
    unweighted base ``n`` and unweighted % for comparison; ``an`` marks a suppressed cell."""
    items = share_indicators(clean, codebook)
    if not items:
        return pd.DataFrame()
    Y = np.column_stack([y for *_, y in items])
    rows = []
    for names, groups in _domains(clean, codebook):
        est = domain_means(Y, design, groups, len(names))
        low, high = est.logit_interval(level)
        for g, domain in enumerate(names):
            for j, (block, item, label, y) in enumerate(items):
                member = (groups == g) & ~np.isnan(y)
                yes = int(np.nansum(y[member]))
                n = int(est.n[g, j])
                small = n < min_cell or 0 < yes < min_cell or 0 < n - yes < min_cell
                rows.append(
                    {
                        "tinh": domain,
                        "nhom": block,
                        "chi_bao": item,
                        "nhan": label,
                        "n": n,
                        "ty_le_khong_trong_so": 100.0 * yes / n if n else np.nan,
                        "ty_le": 100.0 * est.estimate[g, j],
                        "sai_so_chuan": 100.0 * est.se[g, j],
                        "can_duoi": 100.0 * low[g, j],
                        "can_tren": 100.0 * high[g, j],
                        "deff": est.deff[g, j],
                        "an": bool(small),
                    }
                )
    return _suppress(
        pd.DataFrame(rows), ("ty_le_khong_trong_so", "ty_le", "sai_so_chuan", "can_duoi", "can_tren", "deff")
    )


MEAN_COLUMNS = [
    "tinh",
    "nhom",
    "bien",
    "nhan",
    "n",
    "trung_binh_khong_trong_so",
    "trung_binh",
    "sai_so_chuan",
    "can_duoi",
    "can_tren",
    "deff",
    "an",
]


def weighted_means(
    clean: pd.DataFrame, codebook: Codebook, design: SurveyDesign, min_cell: int, level: float
) -> pd.DataFrame:
    """The design-based mean of every numeric question (the numeric blocks), overall and per
    province: weighted mean, its SE, the t interval on the domain's degrees of freedom (R's
    ``confint(svymean)`` with ``df = degf``), the design effect, the unweighted n and mean; a
    mean of fewer than ``min_cell`` answers is hidden (``an``)."""
    from scipy import stats

    items = [(b.id, v) for b in codebook.blocks_of("numeric") for v in b.variables]
    if not items:
        return pd.DataFrame(columns=MEAN_COLUMNS)
    Y = np.column_stack([pd.to_numeric(clean[v], errors="coerce").to_numpy(dtype=float) for _, v in items])
    rows = []
    for names, groups in _domains(clean, codebook):
        est = domain_means(Y, design, groups, len(names))
        with np.errstate(invalid="ignore"):
            half = stats.t.ppf(0.5 + level / 2, np.where(est.df >= 1, est.df, np.nan)) * est.se
        for g, domain in enumerate(names):
            for j, (block, var) in enumerate(items):
                answered = Y[(groups == g) & ~np.isnan(Y[:, j]), j]
                rows.append(
                    {
                        "tinh": domain,
                        "nhom": block,
                        "bien": var,
                        "nhan": codebook[var].label or var,
                        "n": len(answered),
                        "trung_binh_khong_trong_so": answered.mean() if len(answered) else np.nan,
                        "trung_binh": est.estimate[g, j],
                        "sai_so_chuan": est.se[g, j],
                        "can_duoi": est.estimate[g, j] - half[g, j],
                        "can_tren": est.estimate[g, j] + half[g, j],
                        "deff": est.deff[g, j],
                        "an": len(answered) < min_cell,
                    }
                )
    return _suppress(pd.DataFrame(rows, columns=MEAN_COLUMNS), MEAN_COLUMNS[5:-1])


def _suppress(frame: pd.DataFrame, columns) -> pd.DataFrame:
    """Every estimate of a hidden row emptied: only its n is printed."""
    frame.loc[frame["an"], list(columns)] = np.nan
    return frame


def weights_table(clean: pd.DataFrame, codebook: Codebook, design: SurveyDesign) -> pd.DataFrame:
    """Each respondent's weight by source row and pseudonym (never a raw ID)."""
    out = pd.DataFrame({"dong_nguon": clean["dong_nguon"].to_numpy()})
    id_var = codebook.respondent_id
    if id_var and id_var in clean:
        out[id_var] = clean[id_var].to_numpy()
    out["trong_so"] = design.weights
    return out
