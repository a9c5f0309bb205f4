"""Rows of the survey tables as the templates print them: counts and percentages formatted by
``vn_format``, a count the disclosure stage hid (NaN) shown as "(ẩn)" and its percentage left
empty (a percentage needs its count and its base published)."""

from __future__ import annotations

import pandas as pd

from ..codebook import Codebook
from ..plan import breakdown_titles
from ..tables import TOTAL, level_base, level_columns, summary_column
from ..vn_format import number, percent

HIDDEN = {"n": "(ẩn)", "pct": "", "an": True}


def shown(value) -> bool:
    """A published count: not hidden by the disclosure stage."""
    return not pd.isna(value)


def pct(n, base) -> str:
    """The percentage when count and base are both published and the base is positive, else ''."""
    return percent(int(n), int(base)) if shown(n) and shown(base) and int(base) > 0 else ""


def cell(n, base) -> dict:
    """A count and its percentage, or the hidden cell."""
    return HIDDEN if not shown(n) else {"n": number(int(n)), "pct": pct(n, base), "an": False}


def gender_rows(gender: pd.DataFrame) -> tuple[list[str], list[dict]]:
    """Columns (provinces, then the total) and rows (genders, then the total) of the gender table."""
    prov_col, sex_col = gender.columns[:2]
    provinces = list(dict.fromkeys(gender[prov_col]))
    if len(provinces) == 2 and TOTAL in provinces:  # one province: its total column repeats it
        provinces.remove(TOTAL)
    sexes = list(dict.fromkeys(gender[sex_col]))
    parts = {p: gender[gender[prov_col] == p].set_index(sex_col) for p in provinces}
    rows = [
        {
            "nhan": sex,
            "is_total": False,
            "cells": [cell(parts[p].at[sex, "n"], parts[p].at[sex, "co_so"]) for p in provinces],
        }
        for sex in sexes
    ]
    rows.append(
        {
            "nhan": "Tổng",
            "is_total": True,
            "cells": [cell(parts[p]["co_so"].iloc[0], parts[p]["co_so"].iloc[0]) for p in provinces],
        }
    )
    return provinces, rows


def simple_rows(frame: pd.DataFrame, label_col: str) -> list[dict]:
    rows = [
        {"nhan": r[label_col], **cell(r["n"], r["co_so"]), "is_total": False} for _, r in frame.iterrows()
    ]
    rows.append(
        {"nhan": "Tổng", **cell(frame["n_tra_loi"].iloc[0], frame["co_so"].iloc[0]), "is_total": True}
    )
    return rows


def level_rows(levels: pd.DataFrame, scale, gaps: list[list[dict]] | None = None) -> list[dict]:
    """Rows of the levels table; ``gaps``: each row's item non-response cells (``level_gaps``)."""
    rows, gaps = [], gaps or [[] for _ in range(len(levels))]
    summary = summary_column(scale)
    for i, (_, r), extra in zip(range(1, len(levels) + 1), levels.iterrows(), gaps, strict=True):
        base, total = r[level_base(levels)], r["n_tham_gia"]
        cells = [cell(r[col], base) for col in level_columns(scale).values()]
        high = cell(r[summary], base)
        rows.append(
            {
                "stt": i,
                "nhan": r["nhan"],
                "cells": cells,
                "high": high,
                "n_total": number(int(total)) if shown(total) else HIDDEN["n"],
                "khuyet": extra,
                "an": any(c["an"] for c in [*cells, *extra]) or high["an"] or not shown(total),
            }
        )
    return rows


def breakdown_rows(table: pd.DataFrame | None, book: Codebook) -> list[dict]:
    if table is None:
        return []
    names = breakdown_titles(book)
    rows = []
    for _, r in table.iterrows():
        hidden = not shown(r["n"])
        rows.append(
            {
                "chieu": names.get(r["chieu"], r["chieu"]),
                "nhom": r["nhom"],
                "n": HIDDEN["n"] if hidden else number(int(r["n"])),
                "tham_gia": HIDDEN["n"] if hidden else pct(r["n_luot_tham_gia"], r["n_luot_co_the"]) or "–",
                "cao": HIDDEN["n"] if hidden else pct(r["n_luot_cao"], r["n_luot_tham_gia"]) or "–",
                "an": hidden,
            }
        )
    return rows
