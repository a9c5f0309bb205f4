"""What a form definition tells the draft beyond its answers (``chinhquyenso.draft.xlsform``).

A form's question carries the answers it offers as answers given by no one yet (``answers``
counted 0), so every answer-based decision (kinds, scales, categories, roles) works the same
for an export and a form. On top of that a form says:
- the other headers an export may carry for a question (its name, its group path);
- the choice names a value export ("XML values") writes instead of labels (more spellings);
- the "không áp dụng" spelling of a conditional question (item non-response class
  ``khong_ap_dung``: accepted as blank where ``only_if`` is not met);
- what the analyst must confirm (a condition that is not a plain yes/no one...).
"""

from __future__ import annotations

from ..codebook import fold

# The item non-response class of answers to a question that was not asked (draft.vocab).
NOT_APPLICABLE_CLASS = "khong_ap_dung"


def before_layout(planned) -> None:
    """Headers, "không áp dụng" and notes from the form, once each column has its entry."""
    for p in planned:
        column = p.column
        headers = p.spec.get("headers")
        if headers is not None and column.aliases:
            known = {fold(h) for h in headers}
            p.spec["headers"] = [*headers, *(a for a in column.aliases if fold(a) not in known)]
        if column.not_applicable:
            spellings = p.guess.missing.setdefault(NOT_APPLICABLE_CLASS, [])
            if column.not_applicable not in spellings:
                spellings.append(column.not_applicable)
        p.confirm.extend(note for note in column.notes if note not in p.confirm)


def after_layout(planned, scales: dict[str, dict]) -> None:
    """The form's choice names as spellings of the answers they name: a value export ("XML
    values") writes names, and a multi-select cell names joined by spaces. ``scales``: the
    draft's scales by name (a scale's spellings serve every question that uses it)."""
    for p in planned:
        column = p.column
        if not (column.choice_names and column.choices):
            continue
        name_of = {fold(label): name for label, name in zip(column.choices, column.choice_names, strict=True)}
        spellings = [o.get("raw") for o in p.spec.get("options") or []]
        spellings += [c.get("raw") for c in p.spec.get("categories") or []]
        scale = scales.get(p.spec.get("scale") or "")
        spellings += list((scale or {}).get("codes", {}).values())
        _add_names([raws for raws in spellings if raws is not None], name_of)


def _add_names(spellings: list[list[str]], name_of: dict[str, str]) -> None:
    """Append to each list of spellings the choice name of one of its labels, unless that name
    is already a spelling of this or another answer (never one spelling for two answers)."""
    taken = {fold(raw) for raws in spellings for raw in raws}
    for raws in spellings:
        name = next((name_of[fold(r)] for r in raws if fold(r) in name_of), None)
        if name is not None and fold(name) not in taken:
            raws.append(name)
            taken.add(fold(name))


def block_titles(layout, planned) -> None:
    """A new block whose questions all sit in one group of the form takes that group's label as
    its title (still to confirm, with its id)."""
    by_name = {p.name: p for p in planned}
    for block in layout.blocks:
        key = ("blocks", block["id"])
        if key not in layout.confirm:  # last year's block keeps its title
            continue
        entries = layout.items.get(block.get("items"), {}).get("entries", {})
        members = [by_name[v] for v in block.get("variables") or [] if v in by_name]
        members += [p for p in planned if p.spec.get("item") in entries]
        labels = {p.column.block[1] for p in members if p.column.block and p.column.block[1]}
        if members and len(labels) == 1 and all(p.column.block for p in members):
            block["title"] = labels.pop()
            layout.confirm[key] = [f"khối mới ({block['kind']}): tiêu đề lấy từ nhóm câu hỏi của biểu mẫu"]
