"""Synthetic survey exports of any size, drawn from a model, for tests and benchmarks.

Unlike the demo file (``demo_data``), which reproduces the article's published counts, these
files are drawn from a stated model and reproduce nothing: they exist to test a second survey
wave and to measure the workflow at national size. Every file carries "synthetic" in its
respondent IDs (``SYN``...) and the folder it is written to says so in a README.

The model, per respondent: province and administrative level drawn from the codebook's
categories (with optional weights); gender 50/50; age 22–35 and tenure 1 to min(16, age − 18);
for each activity a logit participation probability ``base + effects + shared factor + shift``
and, for participants, a five-level answer from an ordered logit on the same score.
Everything is vectorised, so a million rows take seconds.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .codebook import Codebook
from .demo_data import write_export


@dataclass(frozen=True)
class SyntheticSpec:
    """What to draw. Effects are on the logit scale; unnamed levels have no effect."""

    n: int
    seed: int = 2026
    id_prefix: str = "SYN"
    start: str = "2026-06-01T07:30:00"
    days: int = 30
    province_weights: dict[str, float] = field(default_factory=dict)
    level_weights: dict[str, float] = field(default_factory=dict)
    base_rate: float = 0.45  # participation share of the average respondent, before `shift`
    shift: float = 0.0  # added to every activity's logit (a later wave's change)
    shift_by_item: dict[str, float] = field(default_factory=dict)
    female: float = -0.15
    tenure_per_year: float = 0.04
    level_effects: dict[str, float] = field(default_factory=dict)
    shared_sd: float = 0.9


def _draw_category(rng, values: list, weights: dict, n: int) -> np.ndarray:
    w = np.array([float(weights.get(v, 1.0)) for v in values])
    return rng.choice(len(values), size=n, p=w / w.sum())


def _labels(var, codes: np.ndarray) -> np.ndarray:
    """The form's own label (first raw spelling) for category indices ``codes``."""
    labels = np.array([c.raw[0] for c in var.categories] + [""], dtype=object)
    return labels[codes]


def generate(codebook: Codebook, spec: SyntheticSpec) -> pd.DataFrame:
    """A raw export (form headers, text answers) with ``spec.n`` synthetic respondents."""
    rng = np.random.default_rng(spec.seed)
    n = spec.n
    tinh_var, cap_var = codebook["tinh"], codebook["cap_hanh_chinh"]
    tinh = _draw_category(rng, tinh_var.values, spec.province_weights, n)
    cap = _draw_category(rng, cap_var.values, spec.level_weights, n)
    female = rng.random(n) < 0.5
    age = rng.integers(22, 36, n)
    entry = codebook.min_age_at_entry or 18
    tenure = 1 + (rng.random(n) * np.minimum(16, age - entry)).astype(int)
    level_effect = np.array([spec.level_effects.get(v, 0.0) for v in cap_var.values])[cap]
    score = (
        np.log(spec.base_rate / (1 - spec.base_rate))
        + spec.female * female
        + spec.tenure_per_year * (tenure - tenure.mean())
        + level_effect
        + rng.normal(0.0, spec.shared_sd, n)
        + spec.shift
    )
    cols: dict[str, np.ndarray] = {}
    yes_no = codebook["da_tap_huan"]
    yes, no = (next(c.raw[0] for c in yes_no.categories if c.value is v) for v in (True, False))

    def boolean(mask: np.ndarray) -> np.ndarray:
        return np.where(mask, yes, no).astype(object)

    likert = codebook[f"muc_do_{next(iter(codebook.group_items('hoat_dong')))}"]
    likert_labels = np.array([c.raw[0] for c in likert.categories] + [""], dtype=object)
    cuts = np.array([-2.0, -0.8, 0.6, 2.0])

    def five_levels(lp: np.ndarray) -> np.ndarray:
        latent = lp + rng.logistic(0.0, 1.0, len(lp))
        return np.searchsorted(cuts, latent)  # 0..4 = codes 1..5

    for i, item in enumerate(codebook.group_items("hoat_dong")):
        lp = score + 0.25 * np.sin(i) + spec.shift_by_item.get(item, 0.0)  # activities differ
        takes = rng.random(n) < 1 / (1 + np.exp(-lp))
        cols[f"tham_gia_{item}"] = boolean(takes)
        level = np.where(takes, five_levels(lp - 0.3), len(likert_labels) - 1)
        cols[f"muc_do_{item}"] = likert_labels[level]
    for group in ("cong_dong", "thanh_thieu_nien"):
        for item in codebook.group_items(group):
            cols[f"muc_do_{item}"] = likert_labels[five_levels(score)]
    cols["da_tap_huan"] = boolean(rng.random(n) < 0.68)
    cols["co_ky_nang_so"] = boolean(rng.random(n) < 1 / (1 + np.exp(-(score + 1.0))))

    start = dt.datetime.fromisoformat(spec.start)
    # office hours (07:30-17:00) on the fieldwork days, in submission order, all distinct
    seconds = rng.integers(0, spec.days, n) * 86400 + rng.integers(0, 34200, n)
    seconds = np.sort(seconds) + np.arange(n) % 60  # distinct even at a million rows
    stamps = pd.to_datetime(start) + pd.to_timedelta(seconds, unit="s")

    out: dict[str, object] = {}
    for var in codebook.variables:
        if var.type == "identifier":
            continue
        header = var.headers[0]
        if var.name == "thoi_diem_nop":
            out[header] = stamps.strftime(var.format)
        elif var.name == "ma_phieu":
            out[header] = [f"{spec.id_prefix}-{i:07d}" for i in range(1, n + 1)]
        elif var.name == "tinh":
            out[header] = _labels(var, tinh)
        elif var.name == "cap_hanh_chinh":
            out[header] = _labels(var, cap)
        elif var.name == "gioi_tinh":
            gender = np.array([var.values.index("Nữ" if f else "Nam") for f in (False, True)])[
                female.astype(int)
            ]
            out[header] = _labels(var, gender)
        elif var.name == "tuoi":
            out[header] = age.astype(str)
        elif var.name == "tham_nien":
            out[header] = tenure.astype(str)
        elif var.type == "multiselect":
            chosen = [
                np.where(rng.random(n) < 0.25 + 0.1 * k, o.categories[0].raw[0], "")
                for k, o in enumerate(var.options)
            ]
            joined = pd.Series(chosen[0], dtype=object)
            for c in chosen[1:]:
                joined = joined.str.cat(pd.Series(c, dtype=object), sep=var.separator)
            out[header] = joined.str.replace(f"{var.separator}+", var.separator, regex=True).str.strip(
                var.separator
            )
        elif var.name in cols:
            out[header] = cols[var.name]
        elif var.required:
            raise KeyError(f"biến {var.name}: bộ sinh dữ liệu giả lập chưa biết cách tạo")
    return pd.DataFrame(out)


# CSV in UTF-8 with LF line ends, written under a temporary name and moved into place
write_csv = write_export
