"""The codebook as an export answers it (issue 25).

A variable declared ``required: false`` whose column the export does not have is an absent
question: it is left out of the codebook every stage works with, and so is what needs it (an
answer asked only of those who said yes to it, the item it measures, a block left with nothing,
the role it plays). The job graph (``config_check.load_checked``), the tables, models, charts
and report all see the same questions, the ones the data hold; the report names what was left
out (``left_out``) and the cleaning log notes it (``ingest``). Direct identifiers are not
questions: their absence changes nothing.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, replace
from pathlib import Path

from .codebook import Block, Codebook, Variable, fold, load_codebook


def optional_questions(book: Codebook) -> list[Variable]:
    """Variables that may be absent from an export (``required: false``), identifiers aside."""
    return [v for v in book.variables if not v.required and v.type != "identifier"]


def absent_from(book: Codebook, columns) -> list[str]:
    """Names of the optional questions none of whose columns is among ``columns`` (raw headers,
    compared as the cleaning compares them, or the clean table's own column names)."""
    present = {fold(c) for c in columns}
    out = []
    for var in optional_questions(book):
        names = [var.name, *(o.name for o in var.options)]
        if not any(fold(h) in present for h in var.headers) and not any(fold(n) in present for n in names):
            out.append(var.name)
    return out


def without(book: Codebook, names) -> Codebook:
    """``book`` without the variables ``names`` and what needs them."""
    gone = set(names)
    if not gone:
        return book
    for var in book.variables:  # multiselect options go with their question
        if var.name in gone:
            gone |= {o.name for o in var.options}
    changed = True
    while changed:  # asked only of those who said yes to an absent question: absent too
        more = {v.name for v in book.variables if v.only_if in gone} - gone
        gone |= more
        changed = bool(more)
    blocks = tuple(b for b in (_block_without(b, gone) for b in book.blocks) if b is not None)
    return replace(
        book,
        variables=tuple(v for v in book.variables if v.name not in gone),
        blocks=blocks,
        roles={role: name for role, name in book.roles.items() if name not in gone},
        _by_name={},
    )


def _block_without(block: Block, gone: set[str]) -> Block | None:
    if not set(block.variables) & gone:
        return block
    if block.kind in ("indicators", "single_choice", "numeric"):
        kept = tuple(v for v in block.variables if v not in gone)
        return replace(block, variables=kept) if kept else None
    if block.kind == "multiselect":
        return None  # one question: its column is there or not
    items = {
        item: label
        for item, label in block.items.items()
        if block.level.get(item) not in gone and block.takes.get(item) not in gone
    }
    if not items:
        return None
    takes = {i: v for i, v in block.takes.items() if i in items}
    level = {i: v for i, v in block.level.items() if i in items}
    return replace(block, items=items, takes=takes, level=level, variables=(*takes.values(), *level.values()))


@dataclass(frozen=True)
class LeftOut:
    """What the report says was left out: whole blocks (titles) and questions of blocks that
    stay (``(block title, question label)``)."""

    blocks: tuple[str, ...] = ()
    questions: tuple[tuple[str, str], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.blocks or self.questions)


def left_out(full: Codebook, answered: Codebook) -> LeftOut:
    """Blocks and questions of ``full`` that ``answered`` (``without``) no longer has."""
    kept = {b.id: b for b in answered.blocks}
    blocks = tuple(b.title for b in full.blocks if b.id not in kept)
    questions = []
    for block in full.blocks:
        if block.id not in kept:
            continue
        now = kept[block.id]
        if block.items:
            gone = [label for item, label in block.items.items() if item not in now.items]
            questions += [(block.title, label) for label in gone]
        else:
            questions += [
                (block.title, full[v].label or v) for v in block.variables if v not in now.variables
            ]
    return LeftOut(blocks, tuple(questions))


def export_header(path: str | Path, *, delimiter: str | None = None, sheet: str | None = None):
    """The column headers of a survey export, read without its rows; None if they cannot be
    read this way (the clean stage then reads the file and says what is wrong with it)."""
    from . import readers, readers_excel

    path = Path(path)
    suffix = path.suffix.lower()
    try:
        if suffix in readers.TEXT_SUFFIXES:
            text, _ = readers.decode_text(path, path.read_bytes())
            text = text.replace("\r\n", "\n").replace("\r", "\n")
            first = text.split("\n", 1)[0]
            delim = delimiter or readers.detect_delimiter(first)
            return next(csv.reader(io.StringIO(text), delimiter=delim), None)
        if suffix in readers.EXCEL_SUFFIXES:
            from openpyxl import load_workbook

            workbook = load_workbook(path, read_only=True, data_only=True)
            try:
                ws, _ = readers_excel.pick_sheet(path, workbook, sheet)
                row = next(ws.iter_rows(values_only=True, max_row=1), None)
                return None if row is None else [readers.cell_text(h) for h in row]
            finally:
                workbook.close()
        if suffix in readers.SPSS_SUFFIXES:
            import pyreadstat

            _, meta = pyreadstat.read_sav(str(path), metadataonly=True)
            labels = meta.column_names_to_labels
            return [labels.get(name) or name for name in meta.column_names]
    except Exception:  # unreadable here: the clean stage reads it and names the problem
        return None
    return None


def fit_to_export(book: Codebook, survey: dict) -> Codebook:
    """``book`` without the optional questions the export (config ``survey:``) does not have.
    The header is read only when the codebook declares an optional question."""
    if not optional_questions(book):
        return book
    header = export_header(survey["path"], delimiter=survey.get("delimiter"), sheet=survey.get("sheet"))
    return book if header is None else without(book, absent_from(book, header))


def load_answered(codebook_path: str | Path, survey: dict) -> Codebook:
    """The codebook at ``codebook_path``, fitted to the export of config ``survey:``."""
    return fit_to_export(load_codebook(codebook_path), survey)
