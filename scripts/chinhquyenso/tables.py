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


def compute_all(clean: pd.DataFrame, codebook: Codebook) -> dict[str, pd.DataFrame]:
    """Every descriptive table, keyed as the workflow names them (``TABLES`` in common.smk)."""
    levels = participation_levels(clean, codebook)
    return {
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
