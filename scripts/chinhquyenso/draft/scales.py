"""Answer scales of the draft: last year's scales where the answers are theirs (with new
spellings added), new ones where they are not (order from the intensity lexicon)."""

from __future__ import annotations

import copy

from ..codebook import fold
from ..vn_format import slug
from .kinds import lexicon_order, reference_order
from .text import ascii_fold
from .variables import Planned


class Scales:
    """The scales the draft uses, with notes and confirmations by scale name."""

    def __init__(self, reference: dict):
        self.reference = reference  # raw `scales:` of last year's codebook
        self.used: dict[str, dict] = {}
        self.notes: list[str] = []
        self.confirm: dict[str, list[str]] = {}

    def _take(self, name: str) -> dict:
        if name not in self.used:
            self.used[name] = copy.deepcopy(self.reference[name])
        return self.used[name]

    def boolean(self, plans: list[Planned]) -> str:
        """One yes/no scale for ``plans``: last year's (the first), spellings added."""
        names = [p.spec["scale"] for p in plans if p.spec.get("scale") in self.reference]
        names += [n for n, s in self.reference.items() if s.get("type") == "boolean"]
        name = names[0] if names else "thang_co_khong"
        spec = (
            self._take(name)
            if name in self.reference
            else self.used.setdefault(name, {"type": "boolean", "codes": {True: [], False: []}})
        )
        for code, attr in ((True, "yes"), (False, "no")):
            counts: dict[str, int] = {}
            for p in plans:
                for answer in getattr(p.guess, attr):
                    counts[answer] = counts.get(answer, 0) + p.column.answers.get(answer, 0)
            spellings = list(spec["codes"].get(code) or [])
            for answer in sorted(counts, key=counts.get, reverse=True):
                if not any(fold(s) == fold(answer) for s in spellings):
                    spellings.append(answer)
                    self.notes.append(f"thang «{name}»: thêm cách viết «{answer}»")
            if counts:  # the form's own spelling first
                top = max(counts, key=counts.get)
                spellings = [top, *[s for s in spellings if s != top]]
            spec["codes"][code] = spellings
        for p in plans:
            p.spec["scale"] = name
            p.spec.pop("type", None)
        return name

    def ordinal(self, plans: list[Planned], hint: str) -> str:
        """One ordered scale for ``plans`` (all answers of all of them)."""
        answers: dict[str, int] = {}
        for p in plans:
            skip = {a for s in p.guess.missing.values() for a in s}
            for a, n in p.column.answers.items():
                if a.strip() and a not in skip:
                    answers[a] = answers.get(a, 0) + n
        ref_ord = {
            n: [list(r) for r in s["codes"].values()]
            for n, s in self.reference.items()
            if s.get("type") == "ordinal"
        }
        preferred = [p.spec.get("scale") for p in plans if p.spec.get("scale") in ref_ord]
        order = {n: ref_ord[n] for n in preferred[:1]} | ref_ord
        found = reference_order(list(answers), order)
        if found:
            name = found[0]
            spec = self._take(name)
            for code, spellings in spec["codes"].items():  # spellings the cleaning would not accept
                for a in answers:
                    same = any(ascii_fold(a) == ascii_fold(s) for s in spellings)
                    if same and not any(fold(a) == fold(s) for s in spellings):
                        spellings.append(a)
                        self.notes.append(f"thang «{name}»: thêm cách viết «{a}» cho mã {code}")
            unused = [
                r[0] for r in spec["codes"].values() if not any(fold(a) in map(fold, r) for a in answers)
            ]
            if unused:
                self.confirm.setdefault(name, []).append(
                    "không ai chọn mức " + ", ".join(f"«{u}»" for u in unused)
                    + ": nếu biểu mẫu không còn mức này, bỏ nó và đánh lại mã"
                )  # fmt: skip
        else:
            name = self._new_ordinal(list(answers), hint)
        for p in plans:
            p.spec["scale"] = name
            p.spec.pop("type", None)
            p.spec.pop("categories", None)
        return name

    def _new_ordinal(self, answers: list[str], hint: str) -> str:
        lex = lexicon_order(answers)
        confirm = []
        if lex:
            levels, mid = lex
        else:
            levels, mid = answers, None
            confirm.append("không biết thứ tự các mức: đã xếp theo số lần được chọn, hãy sắp lại")
        k = len(levels)
        summary = levels.index(mid) + 1 if mid in levels else (k + 2) // 2
        high = min(k, summary + 1) if mid in levels else summary
        if mid not in levels:
            confirm.append(f"summary_from/high_from đoán là mức {summary}/{high}")
        for name, spec in self.used.items():  # the same levels as a scale already made
            if spec.get("type") == "ordinal" and [r[0] for r in spec["codes"].values()] == levels:
                return name
        name = "thang_" + slug(ascii_fold(f"{levels[0]} {levels[-1]}"))
        while name in self.used or name in self.reference:
            name += "_" + hint
        self.used[name] = {
            "type": "ordinal",
            "summary_from": summary,
            "high_from": high,
            "codes": {i: [lv] for i, lv in enumerate(levels, 1)},
        }
        self.notes.append(f"thang mới «{name}»: " + " < ".join(levels))
        if confirm:
            self.confirm.setdefault(name, []).extend(confirm)
        return name
