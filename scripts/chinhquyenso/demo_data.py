"""Rebuild an illustrative respondent-level survey file from the published aggregates.

The real microdata is not public. This generator makes a file that has the shape of a survey
tool's export (Vietnamese headers from the codebook, answers as text labels) and that
reproduces every published count exactly, while the structure the article does not publish
is chosen on purpose (``resources/demo/gia_dinh_tai_tao.yaml``).

How counts stay exact: for each activity a latent score is drawn from the respondent's
covariates plus noise; respondents are ranked by it, and "takes part" and then the five
levels are handed out down the ranking in the published numbers. Covariate effects therefore
shape *who* gets each answer, never *how many*.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from .codebook import Codebook
from .published import PublishedFigures, count_from_percent


def largest_remainder(total: int, weights: dict) -> dict:
    """Split ``total`` in proportion to ``weights`` into integers that sum to ``total``."""
    wsum = sum(weights.values())
    exact = {k: Decimal(total) * Decimal(w) / Decimal(wsum) for k, w in weights.items()}
    out = {k: int(v) for k, v in exact.items()}
    short = total - sum(out.values())
    # ties broken by the order of `weights`, so the split is deterministic
    for k in sorted(exact, key=lambda k: exact[k] - out[k], reverse=True)[:short]:
        out[k] += 1
    return out


def _hand_out(scores: np.ndarray, counts: list[tuple[object, int]], default: object) -> np.ndarray:
    """Give the first count the highest scores, the next count the next ones, and so on."""
    order = np.argsort(-scores, kind="stable")
    out = np.full(len(scores), default, dtype=object)
    start = 0
    for value, n in counts:
        out[order[start : start + n]] = value
        start += n
    return out


def _respondents(pub: PublishedFigures, roles: dict, assume: dict, rng: np.random.Generator) -> pd.DataFrame:
    frames = []
    # provinces in the order of the assumptions file (the draws depend on it)
    for prov, by_level in assume["cap_hanh_chinh_theo_tinh"].items():
        genders = [g for g, n in pub.gender_by_province[prov].items() for _ in range(n)]
        levels = [lv for lv, n in by_level.items() for _ in range(n)]
        if len(genders) != len(levels):
            raise ValueError(f"{prov}: {len(genders)} người theo giới tính, {len(levels)} theo cấp")
        frames.append(
            pd.DataFrame(
                {
                    roles["province"]: prov,
                    roles["gender"]: rng.permutation(genders),
                    roles["admin_level"]: rng.permutation(levels),
                }
            )
        )
    people = pd.concat(frames, ignore_index=True)
    n = len(people)

    tmin, tmax = pub.tenure_range
    amin, amax = pub.age_range
    w = np.asarray(assume["tham_nien_trong_so"], dtype=float)
    tenure = rng.choice(np.arange(tmin, tmax + 1), size=n, p=w / w.sum())
    entry_w = assume["tuoi_vao_nganh_trong_so"]
    entry_ages = np.asarray(list(entry_w), dtype=int)
    ew = np.asarray(list(entry_w.values()), dtype=float)
    age = np.minimum(tenure + rng.choice(entry_ages, size=n, p=ew / ew.sum()), amax)
    # Guarantee the published extremes: someone of tenure 1 aged 21, someone of tenure 16 aged 39.
    young = int(np.flatnonzero(tenure == tmin)[0]) if (tenure == tmin).any() else 0
    tenure[young], age[young] = tmin, amin
    senior = int(np.flatnonzero(tenure == tmax)[0]) if (tenure == tmax).any() else n - 1
    if senior == young:
        senior = n - 1
    tenure[senior], age[senior] = tmax, amax
    people[roles["tenure"]] = tenure
    people[roles["age"]] = age
    return people


def generate(pub: PublishedFigures, codebook: Codebook, assume: dict) -> pd.DataFrame:
    """The demo survey as a raw export: one row per respondent, text cells, form headers."""
    rng = np.random.default_rng(assume["seed"])
    roles = codebook.roles
    people = _respondents(pub, roles, assume, rng)
    n = len(people)
    if n != pub.n:
        raise ValueError(f"tạo được {n} người, bài báo công bố {pub.n}")
    lat = assume["tiem_an"]
    level_of = people[roles["admin_level"]]

    def effect(column: str, effects: dict) -> np.ndarray:
        return people[column].map(effects).fillna(0.0).to_numpy(float)

    tenure_c = people[roles["tenure"]].to_numpy(float) - people[roles["tenure"]].mean()
    base = lat["tham_nien_moi_nam"] * tenure_c + effect(roles["gender"], lat["theo_gioi"])
    base = base + effect(roles["admin_level"], lat["cap"])
    shared = rng.normal(0.0, lat["sd_nhan_to_chung"], n)

    def noise() -> np.ndarray:
        return rng.normal(0.0, lat["sd_nhieu"], n)

    answers: dict[str, np.ndarray] = {}
    low_share = assume["ty_le_rat_thap_trong_muc_thap"]
    activities = codebook.activities
    for item, counts in pub.table3.items():
        extra = np.zeros(n)
        for level, effects in lat["cap_theo_hoat_dong"].items():
            extra += (level_of == level).to_numpy(float) * effects.get(item, 0.0)
        takes_part = _hand_out(base + extra + shared + noise(), [(True, counts["n_total"])], False)
        low = counts["n_total"] - counts["tb_to_rat_cao"]
        rat_thap = low * low_share[0] // low_share[1]
        level_score = base + extra + lat["he_so_nhan_to_muc_do"] * shared + noise()
        level_score = np.where(takes_part.astype(bool), level_score, -np.inf)
        levels = _hand_out(
            level_score,
            [
                (5, counts["rat_cao"]),
                (4, counts["cao"]),
                (3, counts["trung_binh"]),
                (2, low - rat_thap),
                (1, rat_thap),
            ],
            None,
        )
        answers[activities.takes[item]] = takes_part
        answers[activities.level[item]] = levels

    for block in codebook.blocks_of("indicators"):
        for var in block.variables:
            k = count_from_percent(pub.shares[var], n)
            answers[var] = _hand_out(base + shared + noise(), [(True, k)], False)

    high_split = assume["phan_bo_muc_cao"]
    low_split = assume["phan_bo_muc_thap"]
    for block in codebook.blocks_of("ratings"):
        for item in block:
            high = count_from_percent(pub.shares[item], n)
            hi = largest_remainder(high, high_split)
            lo = largest_remainder(n - high, low_split)
            order = sorted({**hi, **lo}.items(), reverse=True)  # highest code first
            answers[block.level[item]] = _hand_out(base + shared + noise(), order, None)

    fixed = assume["so_nguoi_chon"]
    by_level = assume["lua_chon_theo_cap"]
    for block in codebook.blocks_of("multiselect"):
        for item, var in zip(block, block.variables, strict=True):
            share = pub.shares.get(item)
            k = fixed[item] if share is None else count_from_percent(share, n)
            # e.g. commune offices report weaker infrastructure more often (chosen structure)
            bump = effect(roles["admin_level"], by_level[item]) if item in by_level else 0.0
            answers[var] = _hand_out(bump + noise(), [(True, k)], False)

    start, end = (dt.datetime.fromisoformat(d) for d in assume["thoi_gian_khao_sat"])
    # submissions during office hours (07:30-17:00) on days of the fieldwork window
    days = rng.integers(0, (end - start).days + 1, n)
    stamps = np.sort(days * 86400 + rng.integers(27000, 61200, n))
    order = rng.permutation(n)  # submission order mixes provinces

    people = people.iloc[order].reset_index(drop=True)
    answers = {k: v[order] for k, v in answers.items()}
    return _as_export(people, answers, stamps, start, codebook, assume["tien_to_ma_phieu"])


def _label(var, value) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return var.spelling(value)


def _as_export(people, answers, stamps, start, codebook: Codebook, id_prefix: str) -> pd.DataFrame:
    """Write the answers as the form exports them: first header spelling, first label."""
    cols: dict[str, list[str]] = {}
    n = len(people)
    for var in codebook.variables:
        if var.type == "identifier":
            continue  # the demo carries no personal data (the messy export adds fake ones)
        header = var.headers[0]
        if var.name == codebook.role("submitted_at"):
            cols[header] = [(start + dt.timedelta(seconds=int(s))).strftime(var.format) for s in stamps]
        elif var.name == codebook.role("id"):
            cols[header] = [f"{id_prefix}-{i + 1:04d}" for i in range(n)]
        elif var.name in people:
            if var.type == "integer":
                cols[header] = [str(int(v)) for v in people[var.name]]
            else:
                cols[header] = [_label(var, v) for v in people[var.name]]
        elif var.type == "multiselect":
            cols[header] = [
                var.separator.join(o.categories[0].raw[0] for o in var.options if answers[o.name][i])
                for i in range(n)
            ]
        else:
            cols[header] = [_label(var, v) for v in answers[var.name]]
    return pd.DataFrame(cols)


def write_export(frame: pd.DataFrame, path: str | Path) -> None:
    """CSV in UTF-8 with LF line ends; written to a temporary name, then moved into place."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    frame.to_csv(tmp, index=False, encoding="utf-8", lineterminator="\n")
    tmp.replace(path)


def load_assumptions(path: str | Path) -> dict:
    with Path(path).open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)
