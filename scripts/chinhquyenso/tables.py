"""Descriptive tables of the survey, computed from the clean table.

Every table is tidy and keeps counts and their base (``n``, ``co_so``); percentages are
derived from them at presentation time (``vn_format.percent``) so that rounding happens once,
half-up, from exact fractions.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .codebook import Codebook

TOTAL = "Tổng cộng"
LIKERT_COLUMNS = {1: "n_rat_thap", 2: "n_thap", 3: "n_trung_binh", 4: "n_cao", 5: "n_rat_cao"}
HIGH_LEVEL = 3  # "Trung bình" and above, the article's "mức độ từ TB đến Rất cao"


def gender_by_province(clean: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Bảng 1: respondents by gender within each province, plus the total column."""
    provinces = codebook["tinh"].values
    genders = codebook["gioi_tinh"].values
    counts = pd.crosstab(clean["tinh"], clean["gioi_tinh"], dropna=False)
    counts = counts.reindex(index=provinces, columns=genders, fill_value=0)
    counts = counts[counts.sum(axis=1) > 0]  # a province report holds one province
    counts.loc[TOTAL] = counts.sum()
    rows = [
        {"tinh": prov, "gioi_tinh": g, "n": int(counts.at[prov, g]), "co_so": int(counts.loc[prov].sum())}
        for prov in counts.index
        for g in genders
    ]
    return pd.DataFrame(rows)


def category_distribution(clean: pd.DataFrame, codebook: Codebook, variable: str) -> pd.DataFrame:
    """Counts of one categorical variable (e.g. administrative level), in codebook order."""
    values = codebook[variable].values
    counts = clean[variable].value_counts().reindex(values, fill_value=0)
    return pd.DataFrame({variable: values, "n": counts.to_numpy(dtype=int), "co_so": len(clean)})


def participation_levels(clean: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Bảng 3: per activity, how many take part directly and at which of the five levels."""
    rows = []
    for item, label in codebook.group_items("hoat_dong").items():
        takes_part = clean[codebook.variable_for(item, "tham_gia").name].fillna(False).astype(bool)
        level = clean[codebook.variable_for(item, "muc_do").name]
        row = {"hoat_dong": item, "nhan": label, "co_so_mau": len(clean)}
        for code, col in LIKERT_COLUMNS.items():
            row[col] = int((level == code).sum())
        row["n_tb_den_rat_cao"] = int((level >= HIGH_LEVEL).sum())
        row["n_tham_gia"] = int(takes_part.sum())
        rows.append(row)
    return pd.DataFrame(rows)


def direct_participation(levels: pd.DataFrame) -> pd.DataFrame:
    """Biểu đồ 1: share of all respondents taking part directly, sorted from the highest."""
    out = levels[["hoat_dong", "nhan", "n_tham_gia", "co_so_mau"]].rename(
        columns={"n_tham_gia": "n", "co_so_mau": "co_so"}
    )
    out = out.assign(ty_le=100.0 * out["n"] / out["co_so"])
    return out.sort_values(["n", "hoat_dong"], ascending=[False, True], kind="stable").reset_index(drop=True)


def other_shares(clean: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Training, skills, community and youth work (level >= Trung bình) and barriers."""
    n = len(clean)
    rows = []
    for var in ("da_tap_huan", "co_ky_nang_so"):
        rows.append(
            {
                "nhom": "nang_luc",
                "chi_bao": var,
                "nhan": codebook[var].label,
                "n": int(clean[var].fillna(False).sum()),
                "co_so": n,
            }
        )
    for group in ("cong_dong", "thanh_thieu_nien"):
        for item, label in codebook.group_items(group).items():
            level = clean[codebook.variable_for(item, "muc_do").name]
            rows.append(
                {
                    "nhom": group,
                    "chi_bao": item,
                    "nhan": label,
                    "n": int((level >= HIGH_LEVEL).sum()),
                    "co_so": n,
                }
            )
    for item, label in codebook.group_items("rao_can").items():
        rows.append(
            {
                "nhom": "rao_can",
                "chi_bao": item,
                "nhan": label,
                "n": int(clean[f"rao_can_{item}"].sum()),
                "co_so": n,
            }
        )
    return pd.DataFrame(rows)


def sample_profile(clean: pd.DataFrame) -> pd.DataFrame:
    """Size and ranges of the sample, for the methods section."""
    return pd.DataFrame(
        [
            {"chi_bao": "n", "gia_tri": len(clean)},
            {"chi_bao": "tuoi_min", "gia_tri": int(clean["tuoi"].min())},
            {"chi_bao": "tuoi_max", "gia_tri": int(clean["tuoi"].max())},
            {"chi_bao": "tham_nien_min", "gia_tri": int(clean["tham_nien"].min())},
            {"chi_bao": "tham_nien_max", "gia_tri": int(clean["tham_nien"].max())},
            {"chi_bao": "so_tinh", "gia_tri": int(clean["tinh"].nunique())},
        ]
    )


def compute_all(
    clean: pd.DataFrame, codebook: Codebook, tenure_edges: list[int] = (1, 4, 8, 12, 17), min_cell: int = 5
) -> dict[str, pd.DataFrame]:
    """Every descriptive table, keyed as the workflow names them (``TABLES`` in common.smk)."""
    levels = participation_levels(clean, codebook)
    return {
        "breakdowns": breakdowns(clean, codebook, list(tenure_edges), min_cell),
        "gender": gender_by_province(clean, codebook),
        "admin_levels": category_distribution(clean, codebook, "cap_hanh_chinh"),
        "levels": levels,
        "direct": direct_participation(levels),
        "shares": other_shares(clean, codebook),
        "profile": sample_profile(clean),
    }


def write_table(frame: pd.DataFrame, path: str | Path) -> None:
    """Tables are CSV in UTF-8 with LF line ends and a fixed float format (stable bytes)."""
    frame.to_csv(path, index=False, encoding="utf-8", lineterminator="\n", float_format="%.6f")


def read_table(path: str | Path) -> pd.DataFrame:
    return pd.read_csv(path, encoding="utf-8")


def suppress_small(frame: pd.DataFrame, group_col: str, n_col: str, min_cell: int) -> pd.DataFrame:
    """Small-cell protection: a group with fewer than ``min_cell`` respondents is suppressed, and
    when a dimension has exactly one suppressed group, the next smallest is suppressed too, so
    that the hidden one cannot be recovered from the total."""
    out = frame.copy()
    out["an"] = False
    for _, part in out.groupby(group_col, sort=False):
        small = part.index[part[n_col] < min_cell]
        out.loc[small, "an"] = True
        if len(small) == 1 and len(part) > 1:
            rest = part.drop(index=small)
            out.loc[rest[n_col].idxmin(), "an"] = True
    return out


def tenure_band_labels(edges: list[int]) -> list[str]:
    return [f"{a}–{b - 1} năm" for a, b in zip(edges[:-1], edges[1:], strict=True)]


def breakdowns(
    clean: pd.DataFrame, codebook: Codebook, tenure_edges: list[int], min_cell: int
) -> pd.DataFrame:
    """Share of the 14 activities taken part in, and share of those at Cao/Rất cao, by gender,
    administrative level and tenure band (means over respondents), with small-cell protection."""
    acts = list(codebook.group_items("hoat_dong"))
    takes = pd.concat([clean[f"tham_gia_{a}"].astype(bool) for a in acts], axis=1).to_numpy()
    high = pd.concat(
        [(clean[f"muc_do_{a}"] >= 4).fillna(False).astype(bool) for a in acts], axis=1
    ).to_numpy()
    frame = pd.DataFrame(
        {
            "gioi_tinh": clean["gioi_tinh"].astype(str),
            "cap_hanh_chinh": clean["cap_hanh_chinh"].astype(str),
            "tham_nien_nhom": pd.cut(
                clean["tham_nien"].astype(float),
                bins=tenure_edges,
                right=False,
                labels=tenure_band_labels(tenure_edges),
            ).astype(str),
            "n_tham_gia": takes.sum(axis=1),
            "n_cao": high.sum(axis=1),
        }
    )
    order = {
        "gioi_tinh": codebook["gioi_tinh"].values,
        "cap_hanh_chinh": codebook["cap_hanh_chinh"].values,
        "tham_nien_nhom": tenure_band_labels(tenure_edges),
    }
    rows = []
    for dim, values in order.items():
        for value in values:
            part = frame[frame[dim] == value]
            taken = int(part["n_tham_gia"].sum())
            rows.append(
                {
                    "chieu": dim,
                    "nhom": value,
                    "n": len(part),
                    "n_luot_tham_gia": taken,
                    "n_luot_co_the": len(part) * len(acts),
                    "n_luot_cao": int(part["n_cao"].sum()),
                }
            )
    return suppress_small(pd.DataFrame(rows), "chieu", "n", min_cell)
