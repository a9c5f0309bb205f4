"""The published counts as one system of cells and equations, the way an attacker sees them.

A cell is the number of respondents of a population (the whole sample ``""`` or a province) with
one value of one variable: ``(population, variable, value)``. The same cell keeps one id in every
table that prints it (a province's women in Bảng 1 of the overall report, in Bảng 1 of the
province's report and in its breakdowns table), and the equations are everything the published
files say about how cells add up: categories to their total, the levels of an activity to those
who take part, the yes and the no of a yes/no item to the sample, the provinces to the whole sample.
Totals that are not printed but that the published files give away (those who answered a
question, each population's size) are taken as known: an attacker may know them.

One function per table key (``BUILDERS``) reads a raw table into the model: which cells it prints
(``places``: table key, population, row, column) and which equations it implies.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from ..codebook import Codebook
from ..tables import CLASS, LEVEL_VALID, TOTAL, level_class_columns, level_columns, summary_column

CellId = tuple[str, str, str]  # (population, variable, value); population "" = the whole sample
Place = tuple[str, str, int, str]  # (table key, population of the table, row index, column)
ALL = "*"  # the value of a margin: every value of the variable
YES, NO = "co", "khong"


@dataclass
class CellModel:
    value: dict[CellId, int] = field(default_factory=dict)
    places: dict[CellId, list[Place]] = field(default_factory=dict)
    # cells that may not be shown small although no table prints them (the no of a yes/no item)
    sensitive_unshown: set[CellId] = field(default_factory=set)
    equations: set[tuple[tuple[tuple[CellId, int], ...], int]] = field(default_factory=set)
    sizes: dict[str, int] = field(default_factory=dict)  # population -> respondents
    # populations smaller than the threshold: even their zeros are hidden (a zero beside a
    # population of 3 tells where the 3 are), so a hidden cell there may be zero
    whole: set[str] = field(default_factory=set)
    # counts another published file gives when they are not small (a model's sample size)
    public: set[CellId] = field(default_factory=set)

    def cell(self, cell: CellId, value: int, place: Place | None = None, sensitive: bool = False) -> CellId:
        """Register a cell (and where it is printed); returns its id. Two tables that count the
        same people print one cell; if their counts differ (e.g. Bảng 1's total leaves out
        respondents without a province), the second is a cell of its own."""
        pop, var, val = cell
        k = 1
        while cell in self.value and self.value[cell] != int(value):
            cell, k = (pop, f"{var}#{k}", val), k + 1
        self.value[cell] = int(value)
        self.places.setdefault(cell, [])
        if place is not None:
            self.places[cell].append(place)
        elif sensitive:
            self.sensitive_unshown.add(cell)
        return cell

    def equation(self, terms: dict[CellId, int], rhs: int) -> None:
        """Σ coefficient · cell = rhs; the same equation from two tables is kept once."""
        self.equations.add((tuple(sorted(terms.items())), int(rhs)))

    @property
    def shown(self) -> set[CellId]:
        return {c for c, p in self.places.items() if p}


def _binary(model: CellModel, pop: str, var: str, yes: int, place: Place, sensitive_no: bool) -> None:
    """A yes/no count printed with the population as its base: no = size - yes."""
    size = model.sizes[pop]
    model.cell((pop, var, YES), yes, place)
    model.cell((pop, var, NO), size - yes, sensitive=sensitive_no)
    model.equation({(pop, var, YES): 1, (pop, var, NO): 1}, size)


MISSING = "(không trả lời)"
BLANK = "(để trống)"  # of those without an answer, those who gave no item non-response either


def _split(part: pd.DataFrame, key: str, pop: str, var: str, count: str, model: CellModel):
    """A table's rows of answers, and the cells of its item non-response rows (``tables.CLASS``):
    each class a printed cell like any other."""
    if CLASS not in part:
        return part, []
    gap = part[CLASS].fillna("").astype(str) != ""
    cells = [
        model.cell((pop, var, f"khuyet:{r[CLASS]}"), r[count], (key, pop, i, count))
        for i, r in part[gap].iterrows()
    ]
    return part[~gap], cells


def _gaps(model: CellModel, unanswered: CellId, classes: list[CellId]) -> None:
    """Those without an answer are the item non-response classes and the rest (printed nowhere)."""
    if not classes:
        return
    pop, var, _ = unanswered
    rest = model.value[unanswered] - sum(model.value[c] for c in classes)
    blank = model.cell((pop, var, BLANK), rest)
    model.equation({unanswered: 1, **dict.fromkeys(classes, -1), blank: -1}, 0)


def _partition(model: CellModel, pop: str, var: str, cells: list[CellId]) -> None:
    """Categories of one variable and those who did not answer (printed nowhere, not sensitive)
    add up to the population."""
    left = model.sizes[pop] - sum(model.value[c] for c in cells)
    missing = model.cell((pop, var, MISSING), left)
    model.equation({**dict.fromkeys(cells, 1), missing: 1}, model.sizes[pop])


def gender(model: CellModel, frame: pd.DataFrame, pop: str, book: Codebook) -> None:
    prov_col, sex_col = frame.columns[:2]
    rows: dict[str, tuple[set, set]] = {}  # population -> (its gender cells, its total cells)
    for i, r in frame.iterrows():
        p = pop if r[prov_col] == TOTAL else str(r[prov_col])
        model.sizes.setdefault(p, int(r["co_so"]))  # a province without a report of its own
        cells, totals = rows.setdefault(p, (set(), set()))
        cells.add(model.cell((p, sex_col, str(r[sex_col])), r["n"], ("gender", pop, i, "n")))
        totals.add(model.cell((p, sex_col, ALL), r["co_so"], ("gender", pop, i, "co_so")))
    for cells, totals in rows.values():
        for total in totals:  # a population's size: known
            model.equation({**dict.fromkeys(cells, 1), total: -1}, 0)
            model.equation({total: 1}, model.value[total])


def _answered(model: CellModel, part: pd.DataFrame, key: str, pop: str, var: str, columns: tuple) -> None:
    """One variable's categories (``columns``: value column, count column) and the number who
    answered (third column, printed on every row): a cell like any other, hidden when small;
    item non-response rows are cells of their own, part of those who did not answer."""
    value, count, total = columns
    part, classes = _split(part, key, pop, var, count, model)
    cells = [
        model.cell((pop, var, str(r[value])), r[count], (key, pop, i, count)) for i, r in part.iterrows()
    ]
    answered = {model.cell((pop, var, ALL), r[total], (key, pop, i, total)) for i, r in part.iterrows()}
    for cell in answered:
        model.equation({**dict.fromkeys(cells, 1), cell: -1}, 0)
        _partition(model, pop, var, [cell])
        _gaps(model, (pop, var, MISSING), classes)


def admin_levels(model: CellModel, frame: pd.DataFrame, pop: str, book: Codebook) -> None:
    var = frame.columns[0]
    _answered(model, frame, "admin_levels", pop, var, (var, "n", "n_tra_loi"))


def levels(model: CellModel, frame: pd.DataFrame, pop: str, book: Codebook) -> None:
    acts = book.activities
    columns, summary = level_columns(acts.scale), summary_column(acts.scale)
    for i, r in frame.iterrows():
        item = str(r.iloc[0])
        lv, tk = acts.level[item], acts.takes[item]
        for code, col in columns.items():
            model.cell((pop, lv, str(code)), r[col], ("levels", pop, i, col))
        model.cell((pop, lv, summary), r[summary], ("levels", pop, i, summary))
        model.cell((pop, tk, YES), r["n_tham_gia"], ("levels", pop, i, "n_tham_gia"))
        high = {(pop, lv, str(c)): -1 for c in columns if c >= acts.scale.summary_from}
        model.equation({(pop, lv, summary): 1, **high}, 0)
        base = _level_gaps(model, r, pop, i, lv, tk)
        # those taking part without a level (none in a consistent export) are taken as known
        unrated = int(r[LEVEL_VALID if LEVEL_VALID in r else "n_tham_gia"]) - sum(
            int(r[c]) for c in columns.values()
        )
        model.equation({**{(pop, lv, str(c)): 1 for c in columns}, base: -1}, -unrated)
        if pop == "":  # the whole sample's participants: each activity's model gives its size
            model.public.add((pop, tk, YES))


def _level_gaps(model: CellModel, r: pd.Series, pop: str, i: int, lv: str, tk: str) -> CellId:
    """The base of an activity's levels: those taking part, or with item non-response on the
    level, the valid answers (printed) with each class a printed cell, adding up to them."""
    if LEVEL_VALID not in r:
        return (pop, tk, YES)
    valid = model.cell((pop, lv, ALL), r[LEVEL_VALID], ("levels", pop, i, LEVEL_VALID))
    classes = [
        model.cell((pop, lv, f"khuyet:{cls}"), r[col], ("levels", pop, i, col))
        for col, cls in level_class_columns(r.index).items()
    ]
    model.equation({valid: 1, **dict.fromkeys(classes, 1), (pop, tk, YES): -1}, 0)
    return valid


def direct(model: CellModel, frame: pd.DataFrame, pop: str, book: Codebook) -> None:
    acts = book.activities
    for i, r in frame.iterrows():
        _binary(model, pop, acts.takes[str(r.iloc[0])], r["n"], ("direct", pop, i, "n"), True)


def shares(model: CellModel, frame: pd.DataFrame, pop: str, book: Codebook) -> None:
    if CLASS in frame:
        return _shares_with_gaps(model, frame, pop)
    for i, r in frame.iterrows():
        _binary(model, pop, f"{r['nhom']}:{r['chi_bao']}", r["n"], ("shares", pop, i, "n"), True)


def _shares_with_gaps(model: CellModel, frame: pd.DataFrame, pop: str) -> None:
    """Shares whose base is the valid answers (printed: a cell), the yes and the no of those,
    and the item non-response classes: valid answers and classes add up to the population."""
    for (block, item), part in frame.groupby(["nhom", "chi_bao"], sort=False):
        var = f"{block}:{item}"
        answers, classes = _split(part, "shares", pop, var, "n", model)
        i, r = next(answers.iterrows())
        yes = model.cell((pop, var, YES), r["n"], ("shares", pop, i, "n"))
        valid = model.cell((pop, var, ALL), r["co_so"], ("shares", pop, i, "co_so") if classes else None)
        no = model.cell((pop, var, NO), int(r["co_so"]) - int(r["n"]), sensitive=True)
        model.equation({yes: 1, no: 1, valid: -1}, 0)
        unanswered = model.cell((pop, var, MISSING), model.sizes[pop] - int(r["co_so"]))
        model.equation({valid: 1, unanswered: 1}, model.sizes[pop])
        _gaps(model, unanswered, classes)


def choices(model: CellModel, frame: pd.DataFrame, pop: str, book: Codebook) -> None:
    for var, part in frame.groupby("bien", sort=False):
        _answered(model, part, "choices", pop, var, ("gia_tri", "n", "co_so"))


def numeric(model: CellModel, frame: pd.DataFrame, pop: str, book: Codebook) -> None:
    """How many answered a numeric question; its statistics go with that count. Those who did
    not answer are the item non-response classes (their own rows) and the rest."""
    for var, part in frame.groupby("bien", sort=False):
        answers, classes = _split(part, "numeric", pop, f"{var}:tra_loi", "n", model)
        for i, r in answers.iterrows():
            _binary(model, pop, f"{var}:tra_loi", r["n"], ("numeric", pop, i, "n"), False)
            _gaps(model, (pop, f"{var}:tra_loi", NO), classes)


def breakdowns(model: CellModel, frame: pd.DataFrame, pop: str, book: Codebook) -> None:
    """Group sizes, the same cells as Bảng 1's and the administrative-level table's."""
    for dim, part in frame.groupby("chieu", sort=False):
        cells = [
            model.cell((pop, str(dim), str(r["nhom"])), r["n"], ("breakdowns", pop, i, "n"))
            for i, r in part.iterrows()
        ]
        _partition(model, pop, str(dim), cells)


BUILDERS: dict[str, Callable[[CellModel, pd.DataFrame, str, Codebook], None]] = {
    "gender": gender,
    "admin_levels": admin_levels,
    "levels": levels,
    "direct": direct,
    "shares": shares,
    "choices": choices,
    "numeric": numeric,
    "breakdowns": breakdowns,
}


REST = "(các tỉnh không có báo cáo riêng)"


def _add_provinces_up(model: CellModel, reported: list[str]) -> None:
    """Each cell of the whole sample is the sum of the provinces' cells. A province without a
    report of its own (fewer respondents than the threshold) still hides in that sum: what the
    reported provinces leave of a count is a cell of REST, printed nowhere and protected like a
    no of a yes/no item (its size: the sample less the reported provinces)."""
    rest_size = model.sizes[""] - sum(model.sizes[p] for p in reported)
    if rest_size > 0:
        model.sizes[REST] = rest_size
    provinces = sorted({c[0] for c in model.value if c[0] and c[0] != REST})
    # A province whose table of a variable has no row (column) of an item non-response class
    # prints that its count is 0: a known part of the sum, not a missing one.
    tabled = {(c[0], c[1]) for c in model.value}
    for _, var, val in [c for c in model.value if c[0] == ""]:
        parts = [(p, var, val) for p in provinces if (p, var, val) in model.value]
        if not parts:
            continue
        zero = [
            p
            for p in provinces
            if str(val).startswith("khuyet:") and (p, var, val) not in model.value and (p, var) in tabled
        ]
        terms = {("", var, val): 1, **{c: -1 for c in parts}}
        left = model.value[("", var, val)] - sum(model.value[c] for c in parts)
        if len(parts) + len(zero) < len(provinces) or left:  # some province's count is not printed
            if rest_size <= 0:
                continue  # tables of part of the provinces only: no sum to state
            model.cell((REST, var, val), left, sensitive=val != ALL)  # a margin: its size
            terms[(REST, var, val)] = -1
        model.equation(terms, 0)


def build(tables: dict[str, dict[str, pd.DataFrame]], book: Codebook) -> CellModel:
    """``tables``: population ("" or a province) -> table key -> raw table. Every population's
    size comes from its ``profile`` table (a province printed only in Bảng 1 of the overall
    report: from there); each cell of the whole sample is the sum of the provinces'."""
    model = CellModel()
    for pop, computed in tables.items():
        prof = computed["profile"]
        model.sizes[pop] = int(prof.loc[prof["chi_bao"] == "n", "gia_tri"].iloc[0])
    for pop, computed in tables.items():
        for key, frame in computed.items():
            if key in BUILDERS:
                BUILDERS[key](model, frame, pop, book)
    if "" in tables and len(tables) > 1:
        _add_provinces_up(model, [p for p in tables if p])
    return model
