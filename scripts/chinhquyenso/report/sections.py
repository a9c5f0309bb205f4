"""The report's table of contents as data: one ordered list of sections (like a documentation
site's ``nav:``), in ``<template_dir>/sections.yaml``.

The list drives the contents page, the section numbers (1, 2, 2.1 ...; appendices A, B ...),
and which partial (``sections/<id>.html.j2``) renders each section. A section whose ``needs``
the report lacks (a question block this form did not ask, no models, no documents) is left out,
and the numbering closes up. Tables and figures are numbered by ``Numbering`` in the order the
partials place them, so the list of sections is the only place the order is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml


@dataclass
class Section:
    id: str
    title: str  # may hold jinja2 expressions over the context, e.g. {{ hoat_dong.tieu_de }}
    needs: tuple[str, ...] = ()
    appendix: bool = False
    children: list[Section] = field(default_factory=list)
    number: str = ""  # set by ``arrange``: "3", "3.2", "Phụ lục B"


def load_sections(path: str | Path) -> list[Section]:
    with Path(path).open(encoding="utf-8") as fh:
        doc = yaml.safe_load(fh)

    def make(spec: dict) -> Section:
        return Section(
            id=spec["id"],
            title=spec["title"],
            needs=tuple(spec.get("needs", ())),
            appendix=bool(spec.get("appendix", False)),
            children=[make(c) for c in spec.get("children", ())],
        )

    return [make(s) for s in doc["sections"]]


def quotable_ids(sections: list[Section]) -> list[str]:
    """Ids of the body sections (not appendices) an interview quote may be placed in."""
    return [s.id for top in sections if not top.appendix for s in (top, *top.children)]


def arrange(sections: list[Section], has: dict[str, bool]) -> list[Section]:
    """The sections whose needs are met (``has``: need -> present), numbered in order."""
    out, chapter, appendix = [], 0, 0
    for sec in sections:
        if not all(has.get(n, False) for n in sec.needs):
            continue
        children = [c for c in sec.children if all(has.get(n, False) for n in c.needs)]
        if sec.children and not children:
            continue  # a results section with no block to show
        if sec.appendix:
            number = f"Phụ lục {chr(ord('A') + appendix)}"
            appendix += 1
        else:
            chapter += 1
            number = str(chapter)
        kids = [
            Section(c.id, c.title, c.needs, c.appendix, [], f"{number}.{i}")
            for i, c in enumerate(children, start=1)
        ]
        out.append(Section(sec.id, sec.title, sec.needs, sec.appendix, kids, number))
    return out


class Numbering:
    """ "Bảng n" / "Biểu đồ n" in the order the partials place tables and figures.

    The report is rendered twice: the first pass records the order (``table``/``figure`` are
    called where a caption is placed), the second prints the numbers, so that a sentence may
    cite a table that comes after it (``ref``)."""

    WORDS = {"table": "Bảng", "figure": "Biểu đồ"}

    def __init__(self) -> None:
        self.order: dict[str, list[str]] = {"table": [], "figure": []}
        self.final = False

    def _place(self, kind: str, key: str) -> str:
        if not self.final and key not in self.order[kind]:
            self.order[kind].append(key)
        return self.ref(key)

    def table(self, key: str) -> str:
        return self._place("table", key)

    def figure(self, key: str) -> str:
        return self._place("figure", key)

    def has(self, key: str) -> bool:
        """Whether this report prints table or figure ``key`` (known by the time of the appendices)."""
        return any(key in keys for keys in self.order.values())

    def ref(self, key: str) -> str:
        for kind, keys in self.order.items():
            if key in keys:
                return f"{self.WORDS[kind]} {keys.index(key) + 1}"
        if self.final:
            raise KeyError(f"bảng/biểu đồ «{key}» được nhắc tới nhưng không có trong báo cáo")
        return "Bảng ?"

    def listing(self) -> list[dict]:
        """Every numbered table and figure with its id (the stem of its CSV/SVG)."""
        return [
            {"so": f"{self.WORDS[kind]} {i}", "id": key}
            for kind in ("table", "figure")
            for i, key in enumerate(self.order[kind], start=1)
        ]
