"""The disclosure stage: raw tables in, published tables out, and a count of what was hidden.

Rule ``protect_tables`` reads every raw table of the whole sample and of each province (they are
published together, so they are protected together), hides the cells ``audit.protect`` chooses
and writes the published tables: a hidden count is an empty cell, and so is every column derived
from it (``products.Product.derived``). Rows sorted by a count put hidden rows last, so that their
place in the order says nothing about their size.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from .. import products
from ..codebook import Codebook
from .audit import Protection, protect
from .cells import CellModel, build

log = logging.getLogger(__name__)

# Published: how many cells each table hides, not why. Which are small (primary) and which
# protect them (secondary) would tell an attacker that a table's hidden cells are all at least
# the threshold; that split goes to the rule's log only.
SUMMARY_COLUMNS = ["bang", "pham_vi", "so_o", "so_o_an", "chua_bao_ve_du"]


def _hidden_places(
    model: CellModel, protection: Protection
) -> dict[tuple[str, str], dict[tuple[int, str], str]]:
    """(table key, population) -> (row, column) -> 'so_nho' or 'bo_sung' (why it is hidden)."""
    out: dict[tuple[str, str], dict[tuple[int, str], str]] = {}
    for cell in protection.hidden:
        why = "so_nho" if cell in protection.primary else "bo_sung"
        for key, pop, row, col in model.places[cell]:
            out.setdefault((key, pop), {})[(row, col)] = why
    return out


def published_table(frame: pd.DataFrame, key: str, hidden: dict[tuple[int, str], str]) -> pd.DataFrame:
    """The raw table with its hidden counts and what derives from them left empty."""
    out = frame.copy()
    derived = products.by_key(key).derived
    for row, col in hidden:
        out[col] = out[col].astype("Int64")  # whole numbers stay whole; a hidden one is empty
        out.loc[row, col] = pd.NA
        for dcol, src in derived.items():
            if src == col:
                out[dcol] = out[dcol].astype("Int64" if out[dcol].dtype.kind in "iu" else "float64")
                out.loc[row, dcol] = pd.NA if out[dcol].dtype == "Int64" else np.nan
    if key == "direct" and hidden:  # sorted by n: hidden rows last, by item
        item = out.columns[0]
        out = out.sort_values(["n", item], ascending=[False, True], na_position="last", kind="stable")
        out = out.reset_index(drop=True)
    return out


def without_ranges(profile: pd.DataFrame) -> pd.DataFrame:
    """The sample profile with its smallest and largest values (age, tenure) left empty."""
    out = profile.copy()
    out["gia_tri"] = out["gia_tri"].astype("Int64")
    out.loc[out["chi_bao"].str.endswith(("_min", "_max")), "gia_tri"] = pd.NA
    return out


def _summary_rows(model: CellModel, protection: Protection, tables: dict[str, dict[str, pd.DataFrame]]):
    """Per table and population: count cells printed, hidden as small, hidden to protect them."""
    printed: dict[tuple[str, str], set] = {}
    for cell, places in model.places.items():
        for key, pop, _, _ in places:
            printed.setdefault((key, pop), set()).add(cell)
    rows = []
    for pop, computed in tables.items():
        for key in computed:
            cells = printed.get((key, pop))
            if not cells:
                continue
            log.info(
                "%s, %s: %d ô, ẩn %d ô nhỏ, %d ô bổ sung",
                products.by_key(key).id,
                pop or "toàn mẫu",
                len(cells),
                len(cells & protection.primary),
                len(cells & protection.secondary),
            )
            rows.append(
                {
                    "bang": products.by_key(key).id,
                    "pham_vi": pop,
                    "so_o": len(cells),
                    "so_o_an": len(cells & protection.hidden),
                    "chua_bao_ve_du": len(cells & protection.unprotected),
                }
            )
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)


def protect_tables(
    tables: dict[str, dict[str, pd.DataFrame]], book: Codebook, min_cell: int
) -> tuple[dict[str, dict[str, pd.DataFrame]], pd.DataFrame]:
    """``tables``: population ("" = whole sample, else a province) -> table key -> raw table.
    Returns the published tables in the same shape, and one summary row per table and population."""
    model = build(tables, book)
    protection = protect(model, min_cell)
    places = _hidden_places(model, protection)
    published = {
        pop: {key: published_table(frame, key, places.get((key, pop), {})) for key, frame in computed.items()}
        for pop, computed in tables.items()
    }
    for pop in model.whole & set(published):  # a range there is one person's value
        published[pop]["profile"] = without_ranges(published[pop]["profile"])
    log.info(
        "bảo vệ ô nhỏ (ngưỡng %d): %d ô đếm được in, ẩn %d ô nhỏ và %d ô bổ sung; %d ô không thể bảo vệ đủ",
        min_cell,
        len(model.shown),
        len(protection.primary),
        len(protection.secondary),
        len(protection.unprotected),
    )
    return published, _summary_rows(model, protection, tables)
