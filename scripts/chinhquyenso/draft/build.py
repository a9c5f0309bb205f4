"""The draft codebook from the evidence about each column and last year's codebook.

    draft = draft_codebook(columns, Path("resources/codebook.yaml"), "khao_sat_2026.csv")
    draft.write(Path("resources/codebook_2026.yaml"), Path("resources/codebook_2026.thay_doi.md"))

The draft is always a valid codebook (it is loaded and checked before it is written); every
decision the analyst should look at is filled with the best guess and marked ``# XÁC NHẬN``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..codebook import load_codebook
from . import form_evidence
from .answers import as_unit, units
from .blocks import Builder, Layout
from .evidence import Column
from .kinds import guess_kind
from .match import match_columns
from .roles import assign_roles
from .scales import Scales
from .variables import Planned, matched, new_variable
from .vocab import MISSING_CLASSES


@dataclass
class Draft:
    """The draft codebook (a plain document), its comments and what the report says."""

    doc: dict
    comments: dict[tuple, list[str]]  # ("variables", name) / ("scales", name) / ("blocks", id)
    planned: list[Planned]
    layout: Layout
    scales: Scales
    dropped_variables: list[str]
    role_notes: list[str]
    source_name: str
    reference_path: Path
    notes: list[str] = field(default_factory=list)

    def yaml_text(self) -> str:
        from .yaml_out import dump

        return dump(self)

    def report_text(self, yaml_name: str) -> str:
        from .change_report import report

        return report(self, yaml_name)

    def write(self, yaml_path: Path, report_path: Path) -> None:
        """Write the codebook and the change report, each whole or not at all; the codebook
        is loaded and checked first, so a draft that would not run is never written."""
        import tempfile

        from .. import atomic

        text = self.yaml_text()
        with tempfile.TemporaryDirectory() as tmp:
            probe = Path(tmp) / yaml_path.name
            probe.write_text(text, encoding="utf-8")
            load_codebook(probe)
        atomic.write_text(yaml_path, text)
        atomic.write_text(report_path, self.report_text(yaml_path.name))


def _ordinal_scales(doc: dict) -> dict[str, list[list[str]]]:
    return {
        name: [list(raw) for raw in spec["codes"].values()]
        for name, spec in (doc.get("scales") or {}).items()
        if spec.get("type") == "ordinal"
    }


def _is_province(column: Column) -> bool:
    answers = [a for a in column.answers if a.strip()]
    table = units()
    return bool(answers) and sum(as_unit(a, table) is not None for a in answers) >= 0.8 * len(answers)


def plan_columns(columns: list[Column], ref_doc: dict, reference_path: Path) -> list[Planned]:
    """Each column's entry: last year's (matched by question text) or a new one."""
    book = load_codebook(reference_path)
    specs = {v["name"]: v for v in ref_doc["variables"]}
    guesses = {c.position: guess_kind(c, _ordinal_scales(ref_doc)) for c in columns}
    matches = match_columns(columns, guesses, list(book.variables), book.roles)
    taken = {n for v in book.variables for n in (v.name, *(o.name for o in v.options))}
    taken |= set(book.items) | {b.id for b in book.blocks}
    planned = []
    for col in columns:
        guess, match = guesses[col.position], matches.get(col.position)
        if match:
            province = book.roles.get("province") == match.variable
            planned.append(matched(col, guess, match, specs[match.variable], province))
        else:
            province = guess.kind == "single_choice" and _is_province(col)
            planned.append(new_variable(col, guess, taken, province))
    return planned


def draft_codebook(columns: list[Column], reference_path: Path, source_name: str) -> Draft:
    """The draft codebook for a new export or form (``columns``), from last year's codebook."""
    reference_path = Path(reference_path)
    ref_doc = yaml.safe_load(reference_path.read_text(encoding="utf-8"))
    planned = plan_columns(columns, ref_doc, reference_path)
    form_evidence.before_layout(planned)
    names = {p.name for p in planned}
    kept_ids = [v for v in ref_doc["variables"] if v["name"] not in names and v.get("type") == "identifier"]
    dropped = [v["name"] for v in ref_doc["variables"] if v["name"] not in names and v not in kept_ids]
    roles, role_notes = assign_roles(planned, ref_doc.get("roles") or {})
    _relevant(planned)
    scales = Scales(ref_doc.get("scales") or {})
    taken = names | set(ref_doc.get("items") or {})
    layout = Builder(planned, ref_doc, scales, taken).run()
    _conditions(planned)
    form_evidence.after_layout(planned, scales.used)
    form_evidence.block_titles(layout, planned)
    for p in planned:
        if p.guess.missing and p.spec.get("type") not in ("identifier", "id"):
            p.spec["missing"] = {cls: list(sp) for cls, sp in p.guess.missing.items()}
    doc = _document(ref_doc, planned, kept_ids, roles, layout, scales)
    comments = {("variables", p.name): p.confirm for p in planned if p.confirm}
    comments |= {("scales", n): c for n, c in scales.confirm.items()}
    comments |= layout.confirm
    return Draft(doc, comments, planned, layout, scales, dropped, role_notes, source_name, reference_path)


def _relevant(planned: list[Planned]) -> None:
    """A form's ``relevant`` condition on a yes/no question -> ``only_if`` that question."""
    by_form_name = {p.column.name: p for p in planned if p.column.name}
    for p in planned:
        if p.column.relevant and p.column.relevant[0] in by_form_name:
            p.spec["only_if"] = by_form_name[p.column.relevant[0]].name


def _conditions(planned: list[Planned]) -> None:
    """``only_if`` must name a yes/no question of the draft: a condition on one that is gone (or
    is not yes/no) is left out, and the analyst is asked to look."""
    yes_no = {p.name for p in planned if p.spec.get("scale") and p.guess.kind == "yes_no"}
    for p in planned:
        target = p.spec.get("only_if")
        if target and target not in yes_no:
            del p.spec["only_if"]
            p.confirm.append(
                f"điều kiện only_if: {target} bị bỏ vì «{target}» không là câu có/không của bản nháp"
            )


def _document(ref: dict, planned, kept_ids, roles, layout: Layout, scales: Scales) -> dict:
    names = {p.name for p in planned} | {v["name"] for v in kept_ids}
    doc: dict = {"version": ref.get("version", 1)}
    used = {cls for p in planned for cls in (p.spec.get("missing") or {})}
    if used:
        doc["missing_classes"] = {c: {"label": MISSING_CLASSES[c][0]} for c in MISSING_CLASSES if c in used}
    doc["scales"] = {n: s for n, s in scales.used.items() if any(p.spec.get("scale") == n for p in planned)}
    doc["items"] = {g: spec for g, spec in layout.items.items() if spec["entries"]}
    doc["roles"] = roles
    doc["blocks"] = layout.blocks
    doc["variables"] = [p.spec for p in planned] + kept_ids
    cross = (ref.get("crosswalk") or {}).get("variables") or {}
    kept_cross = {n: m for n, m in cross.items() if n in names}
    if kept_cross:
        doc["crosswalk"] = {
            **{k: v for k, v in ref["crosswalk"].items() if k != "variables"},
            "variables": kept_cross,
        }
    if ref.get("consistency") and "tenure" in roles and "age" in roles:
        doc["consistency"] = ref["consistency"]
    for key in ("pseudonym_prefix", "repeat_window_minutes"):
        if key in ref:
            doc[key] = ref[key]
    tests = [t for t in ref.get("test_rows") or [] if t.get("variable") in names]
    if tests:
        doc["test_rows"] = tests
    if ref.get("validation"):
        doc["validation"] = ref["validation"]
    return doc
