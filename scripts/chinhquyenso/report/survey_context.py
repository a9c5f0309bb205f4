"""Context of the survey sections: the sample, each question block the form declares, the
conclusion. Every number is formatted here by ``vn_format``; the templates only place them.

What is shown follows the codebook's roles and blocks (``codebook.blocks``): a block the form
does not ask has no context, and the section registry leaves out what needs it.
"""

from __future__ import annotations

import pandas as pd

from ..codebook import Codebook, label_unit
from ..plan import breakdown_titles
from ..tables import TOTAL, level_columns, protect, summary_column
from ..vn_format import number, percent

HIDDEN = {"n": "(ẩn)", "pct": "", "an": True}


def join_vi(words: list[str]) -> str:
    """'A', 'A và B', 'A, B và C'."""
    words = [str(w) for w in words]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " và " + words[-1] if words else ""


def _cell(n: int, base: int, hidden: bool) -> dict:
    return HIDDEN if hidden else {"n": number(n), "pct": percent(n, base), "an": False}


def gender_rows(gender: pd.DataFrame, min_cell: int = 5) -> tuple[list[str], list[dict]]:
    """Columns (provinces, then the total) and rows (genders, then the total) of the gender table."""
    prov_col, sex_col = gender.columns[:2]
    provinces = list(dict.fromkeys(gender[prov_col]))
    sexes = list(dict.fromkeys(gender[sex_col]))
    columns = {}
    for prov in provinces:
        part = gender[gender[prov_col] == prov].set_index(sex_col)
        counts = [int(part.at[sex, "n"]) for sex in sexes]
        columns[prov] = (counts, int(part["co_so"].iloc[0]), protect(counts, min_cell))
    rows = [
        {
            "nhan": sex,
            "is_total": False,
            "cells": [_cell(columns[p][0][k], columns[p][1], columns[p][2][k]) for p in provinces],
        }
        for k, sex in enumerate(sexes)
    ]
    rows.append(
        {
            "nhan": "Tổng",
            "is_total": True,
            "cells": [_cell(columns[p][1], columns[p][1], False) for p in provinces],
        }
    )
    return provinces, rows


def simple_rows(frame: pd.DataFrame, label_col: str, min_cell: int = 5) -> list[dict]:
    hidden = protect([int(n) for n in frame["n"]], min_cell)
    rows = [
        {"nhan": r[label_col], **_cell(int(r["n"]), int(r["co_so"]), h), "is_total": False}
        for (_, r), h in zip(frame.iterrows(), hidden, strict=True)
    ]
    total = int(frame["n"].sum())
    rows.append(
        {
            "nhan": "Tổng",
            "n": number(total),
            "pct": percent(total, int(frame["co_so"].iloc[0])),
            "is_total": True,
        }
    )
    return rows


def level_rows(levels: pd.DataFrame, scale, min_cell: int = 5) -> list[dict]:
    rows = []
    summary = summary_column(scale)
    for i, (_, r) in enumerate(levels.iterrows(), start=1):
        base = int(r["n_tham_gia"])
        counts = [int(r[col]) for col in level_columns(scale).values()]
        cells = [_cell(c, base, h) for c, h in zip(counts, protect(counts, min_cell), strict=True)]
        high = int(r[summary])
        rows.append(
            {
                "stt": i,
                "nhan": r["nhan"],
                "cells": cells,
                "high": {"n": number(high), "pct": percent(high, base)},
                "n_total": number(base),
                "an": any(c["an"] for c in cells),
            }
        )
    return rows


def _activities(computed: dict, book: Codebook, min_cell: int) -> dict | None:
    acts = book.activities
    if acts is None:
        return None
    levels, direct = computed["levels"], computed["direct"]
    top, bottom = direct.iloc[0], direct.iloc[-1]
    share = levels[summary_column(acts.scale)] / levels["n_tham_gia"].where(levels["n_tham_gia"] > 0)
    lo, hi = share.idxmin(), share.idxmax()
    rows = level_rows(levels, acts.scale, min_cell)
    labels = list(acts.scale.labels.values())
    return {
        "tieu_de": acts.title,
        "nhom": (acts.group_label or acts.title).lower(),
        "so_hd": number(len(acts)),
        "cao_nhat": {"nhan": top["nhan"], "pct": percent(int(top["n"]), int(top["co_so"]))},
        "thap_nhat": {"nhan": bottom["nhan"], "pct": percent(int(bottom["n"]), int(bottom["co_so"]))},
        "muc": labels,
        "thang": "; ".join(f"{code}: {label.lower()}" for code, label in acts.scale.labels.items()),
        "so_muc": number(len(labels)),
        "muc_tom_tat": f"Từ {acts.scale.labels[acts.scale.summary_from]} đến {labels[-1]}",
        "muc_cao": acts.scale.band_label(acts.scale.high_from),
        "bang": rows,
        "co_an": any(r["an"] for r in rows),
        "min": percent(int(levels.at[lo, summary_column(acts.scale)]), int(levels.at[lo, "n_tham_gia"])),
        "max": percent(int(levels.at[hi, summary_column(acts.scale)]), int(levels.at[hi, "n_tham_gia"])),
    }


def _share_groups(shares: pd.DataFrame | None, book: Codebook) -> list[dict]:
    """One row group per yes/no, rating or multi-select block, in codebook order."""
    if shares is None:
        return []
    groups = []
    for block in book.blocks:
        part = shares[shares["nhom"] == block.id]
        if part.empty:
            continue
        if block.kind == "multiselect":
            part = part.sort_values("n", ascending=False, kind="stable")
        suffix = {
            "ratings": f" (mức {block.scale.labels[block.scale.summary_from].lower()} trở lên)"
            if block.scale
            else "",
            "multiselect": " (người trả lời chọn)",
        }.get(block.kind, "")
        rows = [
            {
                "nhan": r.nhan,
                "n": number(int(r.n)),
                "pct": percent(int(r.n), int(r.co_so)),
                # a yes/no question's "yes" as the form words it
                "tra_loi": book[r.chi_bao].spelling(True) if block.kind == "indicators" else "",
            }
            for r in part.itertuples(index=False)
        ]
        groups.append(
            {
                "id": block.id,
                "kind": block.kind,
                "tieu_de": block.title + suffix,
                "ten": block.title,
                "rows": rows,
            }
        )
    return groups


def _choices(choices: pd.DataFrame | None) -> list[dict]:
    if choices is None:
        return []
    out = []
    for _var, part in choices.groupby("bien", sort=False):
        out.append(
            {
                "nhan": part["nhan"].iloc[0],
                "rows": [
                    {"nhan": r.gia_tri, "n": number(int(r.n)), "pct": percent(int(r.n), int(r.co_so))}
                    for r in part.itertuples(index=False)
                ],
                "co_so": number(int(part["co_so"].iloc[0])),
            }
        )
    return out


def _numeric(table: pd.DataFrame | None) -> list[dict]:
    if table is None:
        return []
    from decimal import Decimal

    def fmt(x, d=1):
        return "–" if pd.isna(x) else number(Decimal(str(round(float(x), d))), d)

    return [
        {
            "nhan": r.nhan,
            "n": number(int(r.n)),
            "min": fmt(r.nho_nhat, 0),
            "median": fmt(r.trung_vi),
            "mean": fmt(r.trung_binh),
            "max": fmt(r.lon_nhat, 0),
        }
        for r in table.itertuples(index=False)
    ]


def breakdown_rows(table: pd.DataFrame | None, book: Codebook) -> list[dict]:
    if table is None:
        return []
    names = breakdown_titles(book)
    rows = []
    for _, r in table.iterrows():
        hidden = str(r["an"]) == "True"
        empty = int(r["n"]) == 0
        rows.append(
            {
                "chieu": names.get(r["chieu"], r["chieu"]),
                "nhom": r["nhom"],
                "n": "(ẩn)" if hidden else number(int(r["n"])),
                "tham_gia": "(ẩn)"
                if hidden
                else "–"
                if empty
                else percent(int(r["n_luot_tham_gia"]), int(r["n_luot_co_the"])),
                "cao": "(ẩn)"
                if hidden
                else "–"
                if not int(r["n_luot_tham_gia"])
                else percent(int(r["n_luot_cao"]), int(r["n_luot_tham_gia"])),
                "an": hidden,
            }
        )
    return rows


def _conclusion(share_groups: list[dict]) -> list[dict]:
    """Key numbers of the other blocks the conclusion quotes: each yes/no indicator, and the
    two most chosen options of each multi-select question."""
    out = []
    for g in share_groups:
        if g["kind"] == "indicators":
            out.append(
                {"ten": g["ten"], "cau": "; ".join(f"{r['nhan'].lower()}: {r['pct']}%" for r in g["rows"])}
            )
        elif g["kind"] == "multiselect":
            top = g["rows"][:2]
            out.append(
                {
                    "ten": g["ten"],
                    "cau": "được chọn nhiều nhất là "
                    + join_vi([f"«{r['nhan']}» ({r['pct']}%)" for r in top]),
                }
            )
    return out


def survey_context(
    *, config: dict, computed: dict[str, pd.DataFrame], book: Codebook, figures: dict[str, str]
) -> dict:
    """The sample and every question block's numbers (``computed``: tables.compute_all)."""
    min_cell = int(config["report"].get("min_cell", 5))
    profile = computed["profile"]
    prof = dict(zip(profile["chi_bao"], profile["gia_tri"], strict=True))
    n = int(prof["n"])
    mau = {
        "n": number(n),
        "min_cell": number(min_cell),
        "tinh": [],
        "so_tinh": "0",
        "ranges": [],
        "gioi_tinh": [],
    }
    if book.role("province"):
        mau["so_tinh"] = number(int(prof[f"so_{book.role('province')}"]))
        mau["nhan_tinh"] = book[book.role("province")].short_label
    for role in ("age", "tenure"):
        var = book.role(role)
        if var and f"{var}_min" in prof:
            mau["ranges"].append(
                {
                    "nhan": book[var].short_label,
                    "don_vi": label_unit(book[var].label),
                    "min": number(int(prof[f"{var}_min"])),
                    "max": number(int(prof[f"{var}_max"])),
                }
            )
    context: dict = {"mau": mau}
    if "gender" in computed:
        gender = computed["gender"]
        provinces, rows = gender_rows(gender, min_cell)
        mau["tinh"] = [p for p in provinces if p != TOTAL]
        total = gender[gender[gender.columns[0]] == TOTAL]
        mau["gioi_tinh"] = [
            {"nhan": r[gender.columns[1]], "n": number(int(r["n"])), "pct": percent(int(r["n"]), n)}
            for _, r in total.iterrows()
        ]
        context["bang_gioi_tinh"] = {
            "tinh": provinces,
            "rows": rows,
            "co_an": any(c["an"] for r in rows for c in r["cells"]),
        }
    if "admin_levels" in computed:
        levels = computed["admin_levels"]
        rows = simple_rows(levels, levels.columns[0], min_cell)
        context["bang_cap"] = {
            "nhan": book[book.role("admin_level")].short_label,
            "rows": rows,
            "co_an": any(r.get("an") for r in rows),
            "text": [
                {"nhan": r[levels.columns[0]], "pct": percent(int(r["n"]), int(r["co_so"]))}
                for _, r in levels.iterrows()
            ],
        }
    shares = computed.get("shares")
    groups = _share_groups(shares, book)
    context.update(
        hoat_dong=_activities(computed, book, min_cell),
        ty_le_khac={
            "nhom": groups,
            "ten": join_vi([g["ten"].lower() if i else g["ten"] for i, g in enumerate(groups)]),
        }
        if groups
        else None,
        lua_chon=_choices(computed.get("choices")),
        thong_ke_so=_numeric(computed.get("numeric")),
        theo_nhom=breakdown_rows(computed.get("breakdowns"), book),
        chieu_nhom=join_vi([t.lower() for t in breakdown_titles(book).values()]),
        # a number (tenure) shown in bands in the breakdowns
        chia_khoang=book[book.role("tenure")].short_label if book.role("tenure") else "",
        hinh=dict(figures),
        bieu_do_chon=[{"id": f"bieu_do_{b.id}", "ten": b.title} for b in book.blocks_of("multiselect")],
        ket_luan_khoi=_conclusion(groups),
    )
    return context
