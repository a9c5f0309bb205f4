"""Descriptive tables of the survey, computed from the clean table.

Every table is tidy and keeps counts and their base (``n``, ``co_so``); percentages are
derived from them at presentation time (``vn_format.percent``) so that rounding happens once,
half-up, from exact fractions. These are the raw tables (results/internal/tables/): the
disclosure stage (``disclosure``) hides small cells before anything publishes them.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from . import nonresponse
from .codebook import Block, Codebook, Scale
from .plan import SHARE_KINDS, breakdown_dimensions, table_keys
from .safe_text import write_csv
from .vn_format import slug

TOTAL = "Tổng cộng"
# Column of a table's item non-response rows: the class id (empty on the rows of answers). Only
# a table with such a row has the column; a share's base (co_so) is then the valid answers.
CLASS = "lop_khuyet"


def nonresponse_counts(clean: pd.DataFrame, codebook: Codebook, var: str) -> dict[str, int]:
    """Class id -> how many gave that item non-response to ``var`` (classes with any, in order)."""
    col = nonresponse.companion(var)
    if col not in clean:
        return {}
    counts = clean[col].value_counts()
    return {c: int(counts[c]) for c in codebook.missing_classes if counts.get(c, 0)}


def _framed(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    """Rows as a table; the class column only when some row is item non-response."""
    if not any(CLASS in r for r in rows):
        return pd.DataFrame(rows, columns=columns)
    return pd.DataFrame(rows, columns=[*columns, CLASS]).fillna({CLASS: ""})


def answers_only(frame: pd.DataFrame) -> pd.DataFrame:
    """A table without its item non-response rows (the rows of answers)."""
    if CLASS not in frame:
        return frame
    return frame[frame[CLASS].fillna("").astype(str) == ""].reset_index(drop=True)


def level_columns(scale: Scale) -> dict[int, str]:
    """Count column of each level of an ordinal scale, named from its label: 'Mức độ cao' -> n_muc_do_cao."""
    return {code: f"n_{slug(label)}" for code, label in scale.labels.items()}


def summary_column(scale: Scale) -> str:
    """Count column of the summarised band, e.g. n_trung_binh_den_rat_cao."""
    top = list(scale.labels.values())[-1]
    return f"n_{slug(scale.labels[scale.summary_from])}_den_{slug(top)}"


def gender_by_province(clean: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Respondents by gender within each province, plus the total column."""
    prov_var, sex_var = codebook.role("province"), codebook.role("gender")
    provinces, genders = codebook[prov_var].values, codebook[sex_var].values
    counts = pd.crosstab(clean[prov_var], clean[sex_var], dropna=False)
    counts = counts.reindex(index=provinces, columns=genders, fill_value=0)
    counts = counts[counts.sum(axis=1) > 0]  # a province report holds one province
    counts.loc[TOTAL] = counts.sum()
    rows = [
        {prov_var: prov, sex_var: g, "n": int(counts.at[prov, g]), "co_so": int(counts.loc[prov].sum())}
        for prov in counts.index
        for g in genders
    ]
    return pd.DataFrame(rows, columns=[prov_var, sex_var, "n", "co_so"])


def category_distribution(clean: pd.DataFrame, codebook: Codebook, variable: str) -> pd.DataFrame:
    """Counts of one categorical variable (e.g. administrative level), in codebook order, with
    the number who answered (``n_tra_loi``, the table's total row) and the sample (``co_so``)."""
    values = codebook[variable].values
    counts = clean[variable].value_counts().reindex(values, fill_value=0).to_numpy(dtype=int)
    answered, size = int(counts.sum()), len(clean)
    rows = [
        {variable: v, "n": int(k), "n_tra_loi": answered, "co_so": size}
        for v, k in zip(values, counts, strict=True)
    ]
    rows += [
        {variable: codebook.missing_classes[c], "n": k, "n_tra_loi": answered, "co_so": size, CLASS: c}
        for c, k in nonresponse_counts(clean, codebook, variable).items()
    ]
    return _framed(rows, [variable, "n", "n_tra_loi", "co_so"])


# Levels table with item non-response: a count column per class and the valid base. The double
# underscore keeps them apart from the level columns (``slug`` never yields one) and inside the
# ``n_*`` counts the disclosure stage protects.
LEVEL_CLASS, LEVEL_VALID = "n__khuyet_", "n__hop_le"


def level_class_columns(columns) -> dict[str, str]:
    """Count column -> class id of the levels table's item non-response, from its ``columns``
    (none without any)."""
    return {c: c.removeprefix(LEVEL_CLASS) for c in columns if c.startswith(LEVEL_CLASS)}


def level_base(levels: pd.DataFrame) -> str:
    """Base of the levels' shares: the valid answers when some participant gave item
    non-response on a level, else all those taking part."""
    return LEVEL_VALID if LEVEL_VALID in levels else "n_tham_gia"


def participation_levels(clean: pd.DataFrame, acts: Block, classes=()) -> pd.DataFrame:
    """Per activity, how many take part directly and at which level of the scale; with the
    participants' item non-response on the level (``classes``: the codebook's class ids in
    order), a count per class that any activity has and the valid base (participants less those)."""
    columns = level_columns(acts.scale)
    rows, gaps = [], {}
    for item, label in acts.items.items():
        takes_part = clean[acts.takes[item]].fillna(False).astype(bool)
        level = clean[acts.level[item]]
        row = {acts.id: item, "nhan": label, "co_so_mau": len(clean)}
        for code, col in columns.items():
            row[col] = int((level == code).sum())
        row[summary_column(acts.scale)] = int((level >= acts.scale.summary_from).sum())
        row["n_tham_gia"] = int(takes_part.sum())
        said = clean.get(nonresponse.companion(acts.level[item]))
        gaps[item] = {c: 0 if said is None else int((said[takes_part] == c).sum()) for c in classes}
        rows.append(row)
    found = [c for c in classes if any(g[c] for g in gaps.values())]
    if not found:
        return pd.DataFrame(rows)
    for row, item in zip(rows, acts.items, strict=True):
        row |= {f"{LEVEL_CLASS}{c}": gaps[item][c] for c in found}
        row[LEVEL_VALID] = row["n_tham_gia"] - sum(gaps[item][c] for c in found)
    return pd.DataFrame(rows)


def direct_participation(levels: pd.DataFrame) -> pd.DataFrame:
    """Share of all respondents taking part directly in each activity, from the highest."""
    item_col = levels.columns[0]
    out = levels[[item_col, "nhan", "n_tham_gia", "co_so_mau"]].rename(
        columns={"n_tham_gia": "n", "co_so_mau": "co_so"}
    )
    out = out.assign(ty_le=100.0 * out["n"] / out["co_so"])
    return out.sort_values(["n", item_col], ascending=[False, True], kind="stable").reset_index(drop=True)


SHARE_COLUMNS = ["nhom", "chi_bao", "nhan", "n", "co_so"]


def other_shares(clean: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """One row per yes/no indicator (share yes), rating item (share at the scale's summary band
    or above) and multi-select option (share choosing it); ``nhom`` is the block id."""
    n = len(clean)
    rows = []
    for block in codebook.blocks_of(*SHARE_KINDS):
        if block.kind == "indicators":
            counts = {
                v: (codebook[v].label or v, clean[v].fillna(False).astype(bool)) for v in block.variables
            }
        elif block.kind == "ratings":
            counts = {
                item: (label, clean[block.level[item]] >= block.scale.summary_from)
                for item, label in block.items.items()
            }
        else:
            counts = {
                item: (label, clean[var].fillna(False).astype(bool))
                for (item, label), var in zip(block.items.items(), block.variables, strict=True)
            }
        for key, (label, hit) in counts.items():
            var = key if block.kind == "indicators" else block.level.get(key)
            gaps = nonresponse_counts(clean, codebook, var) if var else {}
            valid = n - sum(gaps.values())  # the base: valid answers
            rows.append(
                {"nhom": block.id, "chi_bao": key, "nhan": label, "n": int(hit.sum()), "co_so": valid}
            )
            rows += [
                {
                    "nhom": block.id,
                    "chi_bao": key,
                    "nhan": codebook.missing_classes[c],
                    "n": k,
                    "co_so": valid,
                }
                | {CLASS: c}
                for c, k in gaps.items()
            ]
    return _framed(rows, SHARE_COLUMNS)


def choice_distribution(clean: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Single-choice blocks: how many chose each answer (base: those who answered)."""
    rows = []
    for block in codebook.blocks_of("single_choice"):
        for var in block.variables:
            answered = clean[var].notna()
            counts = clean.loc[answered, var].astype(str).value_counts()
            for value in codebook[var].values:
                rows.append(
                    {
                        "nhom": block.id,
                        "bien": var,
                        "nhan": codebook[var].label or var,
                        "gia_tri": value,
                        "n": int(counts.get(str(value), 0)),
                        "co_so": int(answered.sum()),
                    }
                )
            base = {
                "nhom": block.id,
                "bien": var,
                "nhan": codebook[var].label or var,
                "co_so": int(answered.sum()),
            }
            rows += [
                {**base, "gia_tri": codebook.missing_classes[c], "n": k, CLASS: c}
                for c, k in nonresponse_counts(clean, codebook, var).items()
            ]
    return _framed(rows, ["nhom", "bien", "nhan", "gia_tri", "n", "co_so"])


def numeric_summary(clean: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Numeric blocks: n answered, smallest, median, mean and largest value."""
    rows = []
    for block in codebook.blocks_of("numeric"):
        for var in block.variables:
            x = pd.to_numeric(clean[var], errors="coerce").dropna().astype(float)
            stats = (x.min(), x.median(), x.mean(), x.max()) if len(x) else (float("nan"),) * 4
            rows.append(
                {
                    "nhom": block.id,
                    "bien": var,
                    "nhan": codebook[var].label or var,
                    "n": len(x),
                    "nho_nhat": stats[0],
                    "trung_vi": stats[1],
                    "trung_binh": stats[2],
                    "lon_nhat": stats[3],
                }
            )
            rows += [
                {"nhom": block.id, "bien": var, "nhan": codebook.missing_classes[c], "n": k, CLASS: c}
                for c, k in nonresponse_counts(clean, codebook, var).items()
            ]
    return _framed(rows, ["nhom", "bien", "nhan", "n", "nho_nhat", "trung_vi", "trung_binh", "lon_nhat"])


def sample_profile(clean: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Size and ranges of the sample (age and tenure when the form asks them), for the methods section."""
    rows = [{"chi_bao": "n", "gia_tri": len(clean)}]
    for role in ("age", "tenure"):
        var = codebook.role(role)
        if var and clean[var].notna().any():
            rows += [
                {"chi_bao": f"{var}_min", "gia_tri": int(clean[var].min())},
                {"chi_bao": f"{var}_max", "gia_tri": int(clean[var].max())},
            ]
    province = codebook.role("province")
    if province:
        rows.append({"chi_bao": f"so_{province}", "gia_tri": int(clean[province].nunique())})
    return pd.DataFrame(rows)


def compute_all(
    clean: pd.DataFrame, codebook: Codebook, tenure_edges: list[int] = (1, 4, 8, 12, 17)
) -> dict[str, pd.DataFrame]:
    """Every descriptive table this form gives (the registry's ``products.tables``), by key."""
    acts = codebook.activities
    levels = participation_levels(clean, acts, tuple(codebook.missing_classes)) if acts is not None else None
    makers = {
        "gender": lambda: gender_by_province(clean, codebook),
        "admin_levels": lambda: category_distribution(clean, codebook, codebook.role("admin_level")),
        "levels": lambda: levels,
        "direct": lambda: direct_participation(levels),
        "shares": lambda: other_shares(clean, codebook),
        "choices": lambda: choice_distribution(clean, codebook),
        "numeric": lambda: numeric_summary(clean, codebook),
        "profile": lambda: sample_profile(clean, codebook),
        "breakdowns": lambda: breakdowns(clean, codebook, list(tenure_edges)),
    }
    return {key: makers[key]() for key in table_keys(codebook)}


def write_table(frame: pd.DataFrame, path: str | Path) -> None:
    """Tables are CSV in UTF-8 with LF line ends and a fixed float format (stable bytes)."""
    write_csv(frame, path, float_format="%.6f")


def read_table(path: str | Path) -> pd.DataFrame:
    return pd.read_csv(path, encoding="utf-8")


def tenure_band_labels(edges: list[int]) -> list[str]:
    return [f"{a}–{b - 1} năm" for a, b in zip(edges[:-1], edges[1:], strict=True)]


def breakdowns(clean: pd.DataFrame, codebook: Codebook, tenure_edges: list[int]) -> pd.DataFrame:
    """Share of the activities taken part in, and share of those at the scale's high levels, by
    gender, administrative level and tenure band (those the form has; means over respondents)."""
    acts = codebook.activities
    takes = pd.concat([clean[acts.takes[a]].fillna(False).astype(bool) for a in acts], axis=1).to_numpy()
    high = pd.concat(
        [(clean[acts.level[a]] >= acts.scale.high_from).fillna(False).astype(bool) for a in acts], axis=1
    ).to_numpy()
    frame = pd.DataFrame({"n_tham_gia": takes.sum(axis=1), "n_cao": high.sum(axis=1)})
    order = {}
    for role in breakdown_dimensions(codebook):
        var = codebook.role(role)
        if role == "tenure":
            labels = tenure_band_labels(tenure_edges)
            bands = pd.cut(clean[var].astype(float), bins=tenure_edges, right=False, labels=labels)
            frame[f"{var}_nhom"] = bands.astype(str).to_numpy()
            order[f"{var}_nhom"] = labels
        else:
            frame[var] = clean[var].astype(str).to_numpy()
            order[var] = codebook[var].values
    rows = []
    for dim, values in order.items():
        for value in values:
            part = frame[frame[dim] == value]
            rows.append(
                {
                    "chieu": dim,
                    "nhom": value,
                    "n": len(part),
                    "n_luot_tham_gia": int(part["n_tham_gia"].sum()),
                    "n_luot_co_the": len(part) * len(acts),
                    "n_luot_cao": int(part["n_cao"].sum()),
                }
            )
    return pd.DataFrame(rows)
