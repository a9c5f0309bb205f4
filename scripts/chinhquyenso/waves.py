"""Comparison of survey waves (e.g. 2023 and a later year) on common ground.

Waves may differ in their units (the 2025 reorganisation merged provinces and removed the
district level), in their activities (one dropped, one added) and in their wording. Each
wave's codebook says how its units map to the common ones (``crosswalk:``); activities are
matched by their item ids in the codebooks. What exists in one wave only is reported as such, never
silently left out.

Tests, per activity, over respondents whose province exists on the common ground of both waves:
- direct participation: difference of proportions (later − earlier, percentage points), score
  confidence interval and score test (statsmodels ``confint_proportions_2indep`` /
  ``test_proportions_2indep``, method "score");
- level among participants: difference of mean levels (1–5), Welch confidence interval and
  t-test (unequal variances);
p-values adjusted across activities as the models are (config ``models.multiple_testing``).
Per common unit (province; administrative level): the mean share of common activities a
respondent takes part in, Welch interval and test.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .codebook import Codebook
from .safe_text import write_csv

# Roles whose units are put on common ground (codebook ``roles:``, ``crosswalk:``).
UNIT_ROLES = ("province", "admin_level")
BOTH = "cả hai đợt"


@dataclass(frozen=True)
class Wave:
    label: str  # what the report calls the wave, e.g. "2023"
    clean: pd.DataFrame
    codebook: Codebook


def only_in(label: str) -> str:
    return f"chỉ có ở đợt {label}"


def unit_roles(waves: list[Wave]) -> list[str]:
    """The unit roles every wave's form has."""
    return [r for r in UNIT_ROLES if all(w.codebook.role(r) for w in waves)]


def common_units(wave: Wave, role: str) -> pd.Series:
    """Each respondent's unit (of the variable playing ``role``) on the common ground (NaN when
    it has no counterpart)."""
    variable = wave.codebook.role(role)
    values = wave.clean[variable].astype(str)
    mapping = {v: wave.codebook.common_unit(variable, v) for v in values.unique()}
    return values.map(mapping)


def unit_mapping(waves: list[Wave]) -> pd.DataFrame:
    """How each wave's units were mapped: one row per wave, variable and original unit."""
    roles = unit_roles(waves)
    present = {role: [set(common_units(w, role).dropna()) for w in waves] for role in roles}
    rows = []
    for i, w in enumerate(waves):
        for role in roles:
            var = w.codebook.role(role)
            counts = w.clean[var].astype(str).value_counts()
            for value in [v for v in w.codebook[var].values if counts.get(v, 0) > 0]:
                target = w.codebook.common_unit(var, value)
                others = [present[role][j] for j in range(len(waves)) if j != i]
                in_all = target is not None and all(target in s for s in others)
                rows.append(
                    {
                        "dot": w.label,
                        "bien": var,
                        "don_vi_goc": value,
                        "don_vi_chung": target if target is not None else "",
                        "n": int(counts[value]),
                        "doi_doi": target is not None and target != value,
                        "pham_vi": BOTH
                        if in_all
                        else ("không có đơn vị tương ứng" if target is None else only_in(w.label)),
                    }
                )
    return pd.DataFrame(rows)


def _common_ground(earlier: Wave, later: Wave) -> tuple[np.ndarray, np.ndarray]:
    """Masks of the respondents of both waves whose province exists, mapped, in both waves."""
    if "province" not in unit_roles([earlier, later]):
        return np.ones(len(earlier.clean), bool), np.ones(len(later.clean), bool)
    a, b = common_units(earlier, "province"), common_units(later, "province")
    shared = set(a.dropna()) & set(b.dropna())
    return a.isin(shared).to_numpy(), b.isin(shared).to_numpy()


def _activities(earlier: Wave, later: Wave) -> list[tuple[str, str, str]]:
    """(item, label, status) in the earlier wave's order, then items new in the later one."""
    first = earlier.codebook.activities.items
    second = later.codebook.activities.items
    out = [(k, second.get(k, v), BOTH if k in second else only_in(earlier.label)) for k, v in first.items()]
    out += [(k, v, only_in(later.label)) for k, v in second.items() if k not in first]
    return out


def _adjust(p: pd.Series, method: str) -> pd.Series:
    from statsmodels.stats.multitest import multipletests

    out = pd.Series(np.nan, index=p.index)
    ok = p.notna()
    if method == "none":
        out[ok] = p[ok]
    elif ok.any():
        out[ok] = multipletests(p[ok].to_numpy(), method=method)[1]
    return out


def _welch(x: np.ndarray, y: np.ndarray, alpha: float) -> tuple[float, float, float, float]:
    """Difference of means y − x, Welch interval and p-value (NaN when either is too small)."""
    if len(x) < 2 or len(y) < 2:
        return (float(np.mean(y) - np.mean(x)) if len(x) and len(y) else np.nan), np.nan, np.nan, np.nan
    from statsmodels.stats.weightstats import CompareMeans, DescrStatsW

    cm = CompareMeans(DescrStatsW(y), DescrStatsW(x))
    low, high = cm.tconfint_diff(alpha=alpha, usevar="unequal")
    _, p, _ = cm.ttest_ind(usevar="unequal")
    return float(np.mean(y) - np.mean(x)), float(low), float(high), float(p)


def compare_pair(earlier: Wave, later: Wave, confidence: float, method: str) -> dict[str, pd.DataFrame]:
    """Participation and level by activity, and participation by common unit, later vs earlier."""
    from statsmodels.stats.proportion import confint_proportions_2indep, test_proportions_2indep

    alpha = 1 - confidence
    mask_a, mask_b = _common_ground(earlier, later)
    a, b = earlier.clean[mask_a], later.clean[mask_b]
    pair = {"dot_truoc": earlier.label, "dot_sau": later.label}
    part, level = [], []
    activities = _activities(earlier, later)
    for item, label, status in activities:
        row = {**pair, "hoat_dong": item, "nhan": label, "pham_vi": status}
        if status != BOTH:  # its share over all of that wave's respondents (nothing to compare with)
            wave = earlier if status == only_in(earlier.label) else later
            takes = wave.clean[wave.codebook.activities.takes[item]].fillna(False).astype(bool)
            part.append({**row, "n_mot_dot": int(takes.sum()), "co_so_mot_dot": len(wave.clean)})
            level.append(row)
            continue
        acts_a, acts_b = earlier.codebook.activities, later.codebook.activities
        ta = a[acts_a.takes[item]].fillna(False).astype(bool)
        tb = b[acts_b.takes[item]].fillna(False).astype(bool)
        ka, na, kb, nb = int(ta.sum()), len(a), int(tb.sum()), len(b)
        low, high = confint_proportions_2indep(kb, nb, ka, na, method="score", compare="diff", alpha=alpha)
        test = test_proportions_2indep(kb, nb, ka, na, method="score", compare="diff")
        part.append(
            {
                **row,
                "n_truoc": ka,
                "co_so_truoc": na,
                "n_sau": kb,
                "co_so_sau": nb,
                "chenh_lech": 100 * (kb / nb - ka / na),
                "ci_thap": 100 * float(low),
                "ci_cao": 100 * float(high),
                "p": float(test.pvalue),
            }
        )
        la = a.loc[ta.to_numpy(), acts_a.level[item]].astype(float).to_numpy()
        lb = b.loc[tb.to_numpy(), acts_b.level[item]].astype(float).to_numpy()
        diff, lo, hi, p = _welch(la, lb, alpha)
        level.append(
            {
                **row,
                "n_truoc": len(la),
                "tb_truoc": float(la.mean()) if len(la) else np.nan,
                "n_sau": len(lb),
                "tb_sau": float(lb.mean()) if len(lb) else np.nan,
                "chenh_lech": diff,
                "ci_thap": lo,
                "ci_cao": hi,
                "p": p,
            }
        )
    part_df, level_df = pd.DataFrame(part), pd.DataFrame(level)
    for frame in (part_df, level_df):
        frame["p_hieu_chinh"] = _adjust(frame["p"], method) if "p" in frame else np.nan
    items = [i for i, _, status in activities if status == BOTH]
    units = _by_unit(earlier, later, items, (mask_a, mask_b), alpha, method)
    return {"participation": part_df, "levels": level_df, "units": units}


def _participation_index(wave: Wave, items: list[str]) -> np.ndarray:
    """Per respondent, the share of ``items`` taken part in directly."""
    takes = wave.codebook.activities.takes
    cols = [wave.clean[takes[i]].fillna(False).astype(bool).to_numpy() for i in items]
    return np.column_stack(cols).mean(axis=1)


def _by_unit(
    earlier: Wave,
    later: Wave,
    items: list[str],
    ground: tuple[np.ndarray, np.ndarray],
    alpha: float,
    method: str,
) -> pd.DataFrame:
    """Participation index by common unit; ``items``: activities in both waves; ``ground``: the
    respondents of each wave on common ground (see _common_ground)."""
    ia, ib = _participation_index(earlier, items), _participation_index(later, items)
    ground_a, ground_b = ground
    rows = []
    for role in unit_roles([earlier, later]):
        var = later.codebook.role(role)
        ua, ub = common_units(earlier, role).to_numpy(), common_units(later, role).to_numpy()
        if role != "province":  # other breakdowns over the provinces both waves cover, as the activities
            ua, ub = np.where(ground_a, ua, "__ngoai__"), np.where(ground_b, ub, "__ngoai__")
        order = list(
            dict.fromkeys(
                u for u in (*pd.unique(ua), *pd.unique(ub)) if isinstance(u, str) and u != "__ngoai__"
            )
        )
        for unit in order:
            xa, xb = ia[ua == unit], ib[ub == unit]
            row = {"dot_truoc": earlier.label, "dot_sau": later.label, "bien": var, "don_vi_chung": unit}
            row.update(n_truoc=len(xa), n_sau=len(xb))
            if len(xa) and len(xb):
                diff, lo, hi, p = _welch(xa, xb, alpha)
                row.update(
                    pham_vi=BOTH,
                    tb_truoc=100 * xa.mean(),
                    tb_sau=100 * xb.mean(),
                    chenh_lech=100 * diff,
                    ci_thap=100 * lo,
                    ci_cao=100 * hi,
                    p=p,
                )
            else:
                row["pham_vi"] = only_in(earlier.label if len(xa) else later.label)
            rows.append(row)
        # respondents whose unit has no counterpart (e.g. the former district level)
        for wave, units in ((earlier, ua), (later, ub)):
            lost = int(pd.isna(pd.Series(units)).sum())
            if lost:
                rows.append(
                    {
                        "dot_truoc": earlier.label,
                        "dot_sau": later.label,
                        "bien": var,
                        "don_vi_chung": "",
                        "n_truoc": lost if wave is earlier else 0,
                        "n_sau": lost if wave is later else 0,
                        "pham_vi": "không có đơn vị tương ứng",
                    }
                )
    out = pd.DataFrame(rows)
    out["p_hieu_chinh"] = _adjust(out["p"], method) if "p" in out else np.nan
    return out


def compare_waves(waves: list[Wave], confidence: float, method: str) -> dict[str, pd.DataFrame]:
    """Each wave against the one before it (waves in time order)."""
    pairs = [compare_pair(a, b, confidence, method) for a, b in zip(waves[:-1], waves[1:], strict=True)]
    out = {key: pd.concat([p[key] for p in pairs], ignore_index=True) for key in pairs[0]}
    out["mapping"] = unit_mapping(waves)
    return out


def write_stage(tables: list[str], codebooks: list[str], labels: list[str], cfg: dict, out: dict) -> None:
    """Rule compare_waves: every wave's clean table -> the comparison tables (results/comparison/)."""
    import logging

    from .codebook import load_codebook

    log = logging.getLogger(__name__)
    waves = [
        Wave(label, pd.read_parquet(t), load_codebook(c))
        for label, t, c in zip(labels, tables, codebooks, strict=True)
    ]
    result = compare_waves(waves, float(cfg["confidence"]), cfg["multiple_testing"])
    keys = {"participation": "participation", "levels": "levels", "units": "units", "mapping": "mapping"}
    for key, name in keys.items():
        write_csv(result[key], out[name], float_format="%.10g")
    for row in result["participation"].itertuples(index=False):
        if row.pham_vi != BOTH:
            log.info("hoạt động %s (%s): %s, không so sánh", row.hoat_dong, row.nhan, row.pham_vi)
    for row in result["mapping"].itertuples(index=False):
        if row.doi_doi or row.pham_vi != BOTH:
            log.info(
                "đợt %s, %s «%s» -> «%s» (%s)",
                row.dot,
                row.bien,
                row.don_vi_goc,
                row.don_vi_chung,
                row.pham_vi,
            )
