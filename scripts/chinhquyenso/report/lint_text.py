"""The report-text lint's reading of a rendered report (``lint``): the text as pieces (the
text of each block element with its section, kind and language), the numbers marked as quoted
from a table, the tables' cells; and the split of a paragraph into sentences."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from .html_blocks import read_blocks, squash

_SKIP = {"head", "nav", "style", "script"}  # the contents list repeats every heading
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
_KINDS = {"h1": "heading", "h2": "heading", "h3": "heading", "h4": "heading", "figcaption": "caption"}
_KINDS |= {"td": "cell", "th": "cell", "p": "para", "li": "para", "dd": "para", "dt": "para"}


@dataclass
class Piece:
    """The text of one block element (nested blocks are pieces of their own)."""

    kind: str  # heading | caption | note (a <p> in a figure, a source) | cell | para
    section: str  # id of the <h2> it stands under; "" for the cover and front matter
    text: str
    lang: str = "vi"


@dataclass
class Mark:
    """A number a sentence quotes from a table: <span class="so" data-bang="ID">TEXT</span>."""

    table: str
    text: str
    section: str
    context: str = ""  # the text of the piece it stands in


@dataclass
class Text:  # what the rules read
    pieces: list[Piece] = field(default_factory=list)
    codes: list[Piece] = field(default_factory=list)  # <code> elements
    marks: list[Mark] = field(default_factory=list)
    tables: dict[str, list[str]] = field(default_factory=dict)  # table id -> its cells' texts


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out = Text()
        self.skip = 0
        self.section = ""
        self.figure = 0
        self.langs: list[tuple[str, str]] = [("", "vi")]
        self.blocks: list[tuple[str, str, list[str], list[Mark]]] = []  # tag, kind, text, marks
        self.captures: list[tuple[str, list[str], Mark | None]] = []  # open <code> and marks

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in _SKIP:
            self.skip += 1
        if self.skip or tag in _VOID:
            return
        if a.get("lang"):
            self.langs.append((tag, a["lang"]))
        if tag == "h2" and a.get("id"):
            self.section = a["id"]
        self.figure += tag == "figure"
        cls = (a.get("class") or "").split()
        kind = _KINDS.get(tag) or ("para" if tag == "div" and "demo-notice" in cls else None)
        if kind:
            kind = "note" if kind == "para" and (self.figure or "source" in cls) else kind
            self.blocks.append((tag, kind, [], []))
        if tag == "code":
            self.captures.append((tag, [], None))
        elif tag == "span" and "so" in cls:
            mark = Mark(a.get("data-bang") or "", "", self.section)
            self.captures.append((tag, [], mark))
            if self.blocks:
                self.blocks[-1][3].append(mark)

    def handle_endtag(self, tag):
        if tag in _SKIP:
            self.skip -= 1
            return
        if self.skip:
            return
        self.figure -= tag == "figure"
        if self.langs[-1][0] == tag and len(self.langs) > 1:
            self.langs.pop()
        if self.captures and self.captures[-1][0] == tag:
            _, text, mark = self.captures.pop()
            if mark is None:
                self.out.codes.append(Piece("code", self.section, squash("".join(text)), self.langs[-1][1]))
            else:
                mark.text = squash("".join(text))
                self.out.marks.append(mark)
        if any(b[0] == tag for b in self.blocks):
            while True:  # close unclosed children too
                open_tag, kind, text, marks = self.blocks.pop()
                self._emit(kind, squash("".join(text)), marks)
                if open_tag == tag:
                    break

    def handle_data(self, data):
        if self.skip:
            return
        for _, text, _ in self.captures:
            text.append(data)
        if self.blocks:
            self.blocks[-1][2].append(data)
        else:
            self._emit("para", squash(data), [])  # loose text in a <div> or <section>

    def _emit(self, kind, text, marks):
        for mark in marks:
            mark.context = text
        if text:
            self.out.pieces.append(Piece(kind, self.section, text, self.langs[-1][1]))


def read_text(html: str) -> Text:
    """The report's text as pieces with their section and kind, its <code> elements, its
    quoted numbers and its tables' cells (from ``html_blocks``, which Word and Excel use)."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    text = reader.out
    for block in read_blocks(html):
        if block.table is not None and block.table.id:
            rows = block.table.head + block.table.body
            text.tables[block.table.id] = [cell.text for row in rows for cell in row]
    return text


def text_of(report: str | Text) -> Text:
    return report if isinstance(report, Text) else read_text(report)


def short(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- sentences -------------------------------------------------------------------------------

# A full stop after these does not end a sentence: "TP. <tên>", "ThS. <tên>", "v.v. và".
_ABBREVIATIONS = {"TP", "Tp", "TX", "TT", "ThS", "TS", "PGS", "GS", "BS", "KS", "CN", "Q", "P", "v.v", "St"}
_END = re.compile(r"[.!?…]+[»”\")]?\s+")


def sentences(text: str) -> list[str]:
    """Split on ". ", "! ", "? " followed by a capital, a digit or an opening quote; not after
    an abbreviation or an initial ("Phụ lục D. ", "N. V. An")."""
    out, start = [], 0
    for m in _END.finditer(text):
        word = text[start : m.start()].rsplit(" ", 1)[-1].rstrip(".")
        after = text[m.end() : m.end() + 1]
        if word in _ABBREVIATIONS or (len(word) == 1 and word.isupper()):
            continue
        if not after or not (after[0].isupper() or after[0].isdigit() or after[0] in '«"“('):
            continue
        out.append(text[start : m.end()].strip())
        start = m.end()
    rest = text[start:].strip()
    return out + ([rest] if rest else [])
