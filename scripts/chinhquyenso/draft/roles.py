"""Which variable plays which part (province, level, gender, age, tenure, ID, time).

Last year's role stays with its variable when that question was matched; a role left without
a variable is looked for among the new questions, by the words of their header and, for the
province, by answers that are provincial units of 2025.
"""

from __future__ import annotations

from ..codebook import ROLES
from .answers import as_unit, units
from .match import role_of_header
from .text import has_word
from .variables import Planned
from .vocab import GENDER_WORDS, LEVEL_WORDS


def _type(p: Planned) -> str:
    return p.spec.get("type", "category" if "categories" in p.spec else "")


def _fits(role: str, p: Planned) -> bool:
    """Whether the answers of ``p`` are what ``role`` needs."""
    if _type(p) not in ROLES[role]:
        return False
    answers = [a for a in p.column.answers if a.strip()]
    if role == "province":
        table = units()
        return bool(answers) and sum(as_unit(a, table) is not None for a in answers) >= 0.8 * len(answers)
    if role == "gender":
        return bool(answers) and all(has_word(a, GENDER_WORDS) for a in answers)
    if role == "admin_level":
        return bool(answers) and all(has_word(a, LEVEL_WORDS) for a in answers)
    return True


def assign_roles(planned: list[Planned], ref_roles: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """roles -> variable, and the report's notes on how each was found."""
    roles, notes = {}, []
    names = {p.name: p for p in planned}
    for role, name in ref_roles.items():
        if name in names and names[name].match is not None:
            roles[role] = name
    for p in planned:
        p.role = next((r for r, n in roles.items() if n == p.name), None)
    for role in ROLES:
        if role in roles:
            continue
        free = [p for p in planned if p.role is None and _fits(role, p)]
        by_header = [p for p in free if role_of_header(p.column.header) == role]
        by_answers = [p for p in free if role == "province"]
        found = (by_header or by_answers)[:1]
        if found:
            roles[role] = found[0].name
            found[0].role = role
            how = "theo tiêu đề" if by_header else "theo câu trả lời (đơn vị hành chính 2025)"
            notes.append(f"vai trò {role}: biến «{found[0].name}» ({how})")
            if found[0].match is None:
                found[0].confirm.append(f"đoán là vai trò {role} {how}")
    ordered = {r: roles[r] for r in ROLES if r in roles}
    return ordered, notes
