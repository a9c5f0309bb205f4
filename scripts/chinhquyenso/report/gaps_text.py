"""Item non-response in the report's tables (issue 25): a table's class rows (``tables.CLASS``)
apart from its answers, shown as counts without a share, and the note saying what the shares
are out of (the valid answers) and how many gave each class. Nothing is said when no one did."""

from __future__ import annotations

import pandas as pd

from ..vn_format import number
from .vn_text import join


def shown(value) -> bool:
    return not pd.isna(value)


def split_classes(frame: pd.DataFrame | None) -> tuple[pd.DataFrame | None, pd.DataFrame]:
    """A table's rows of answers and its item non-response rows (``tables.CLASS``)."""
    from ..tables import CLASS

    if frame is None or CLASS not in frame:
        return frame, frame.iloc[0:0] if frame is not None else pd.DataFrame()
    gap = frame[CLASS].fillna("").astype(str) != ""
    return frame[~gap], frame[gap]


def classes_said(classes: pd.DataFrame, label_col: str = "nhan") -> str:
    """'5 người trả lời «Không biết» và 2 người trả lời «Từ chối trả lời»'; a count the
    disclosure stage hid is not quoted: 'số người trả lời «Không biết» được ẩn'."""
    said = [
        f"{number(int(r['n']))} người trả lời «{r[label_col]}»"
        for _, r in classes.iterrows()
        if shown(r["n"])
    ]
    hidden = [f"«{r[label_col]}»" for _, r in classes.iterrows() if not shown(r["n"])]
    if hidden:
        said.append(f"số người trả lời {join(hidden)} được ẩn")
    return join(said)


def base_note(valid, classes: pd.DataFrame, label_col: str = "nhan") -> str:
    """What a share with item non-response is out of: 'tỷ lệ tính trên số câu trả lời hợp lệ
    (n = 195); 5 người trả lời «Không biết»' (the base unquoted when hidden)."""
    base = f" (n = {number(int(valid))})" if shown(valid) else ""
    return f"tỷ lệ tính trên số câu trả lời hợp lệ{base}; {classes_said(classes, label_col)}"


def share_note(groups: list[dict]) -> str:
    """The shares table's note on item non-response: '' when nobody gave any."""
    notes = [n for g in groups for n in g["khuyet"]]
    return f" Riêng {'; '.join(notes)}." if notes else ""


def with_gaps(rows: list[dict], part: pd.DataFrame, gaps: pd.DataFrame, cell) -> tuple[list[dict], list[str]]:
    """Share rows with each item's item non-response rows after it (a count, no share), and one
    note per such item saying what its share is out of."""
    if gaps.empty:
        return rows, []
    out, notes = [], []
    for row, r in zip(rows, part.itertuples(index=False), strict=True):
        mine = gaps[gaps["chi_bao"] == r.chi_bao]
        out += [row] + [{"nhan": g.nhan, **cell(g.n, float("nan")), "tra_loi": ""} for g in mine.itertuples()]
        if len(mine):
            notes.append(f"với «{r.nhan}», {base_note(r.co_so, mine)}")
    return out, notes


def level_gaps(levels: pd.DataFrame, labels: dict[str, str], cell) -> tuple[list[str], list[list[dict]], str]:
    """The levels table's item non-response (``tables.level_class_columns``): the headers of its
    extra columns (each class, then the valid answers), each row's cells there (counts, no
    share), and the note saying, per activity with any, what its shares are out of."""
    from ..tables import LEVEL_VALID, level_class_columns

    columns = level_class_columns(levels.columns)
    if not columns:
        return [], [[] for _ in range(len(levels))], ""
    heads = [labels[c] for c in columns.values()]
    rows, notes = [], []
    for _, r in levels.iterrows():
        rows.append([cell(r[c], float("nan")) for c in [*columns, LEVEL_VALID]])
        mine = pd.DataFrame({"n": [r[c] for c in columns], "nhan": heads})
        mine = mine[mine["n"].isna() | (mine["n"].fillna(0) > 0)]
        if len(mine):
            notes.append(f"với «{r['nhan']}», {base_note(r[LEVEL_VALID], mine)}")
    return [*heads, "Hợp lệ"], rows, f" Riêng {'; '.join(notes)}." if notes else ""
