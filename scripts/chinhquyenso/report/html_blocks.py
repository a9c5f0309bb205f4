"""The rendered report read back as blocks: headings, paragraphs, numbered tables (caption,
header and body rows with their spans, source notes) and figures, in reading order.

The Word file and the Excel workbook are both made from these blocks, so every number, caption
and table number they carry is the one the PDF prints (it is rendered from the same HTML).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Cell:
    text: str = ""
    colspan: int = 1
    rowspan: int = 1
    header: bool = False


@dataclass
class Table:
    id: str
    caption: str = ""
    head: list[list[Cell]] = field(default_factory=list)
    body: list[list[Cell]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class Block:
    kind: str  # heading | para | table | figure
    text: str = ""
    level: int = 0
    cls: str = ""
    table: Table | None = None
    image: str = ""  # figure: the src of its <img>
    alt: str = ""  # figure: the alt of its <img> (the Word picture's description)
    notes: list[str] = field(default_factory=list)


class _Report(HTMLParser):
    """The report's body as blocks, in reading order (the HTML contents list is left out: Word
    makes its own)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.skip = 0  # inside <nav>, <head>
        self.figure: Block | None = None
        self.table: Table | None = None
        self.part = ""
        self.row: list[Cell] | None = None
        self.cell: Cell | None = None
        self.text: list[str] | None = None
        self.current: Block | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        cls = a.get("class") or ""
        if tag in ("nav", "head", "style"):
            self.skip += 1
        if self.skip:
            return
        if tag == "figure":
            kind = "table" if "table" in cls.split() else "figure"
            self.figure = Block(kind)
            if kind == "table":
                self.table = Table((a.get("id") or "").removeprefix("bang-"))
                self.figure.table = self.table
            return
        if tag == "img" and self.figure is not None:
            self.figure.image = a.get("src") or ""
            self.figure.alt = squash(a.get("alt") or "")
        elif tag == "figcaption":
            self.text = []
        elif tag == "thead":
            self.part = "head"
        elif tag == "tbody":
            self.part = "body"
        elif tag == "tr" and self.table is not None:
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = Cell(
                colspan=int(a.get("colspan") or 1), rowspan=int(a.get("rowspan") or 1), header=tag == "th"
            )
            self.text = []
        elif tag in ("h1", "h2", "h3"):
            self.current, self.text = Block("heading", level=int(tag[1]), cls=cls), []
        elif tag in ("p", "li") or (tag == "div" and "demo-notice" in cls):
            if self.figure is None and self.current is None:
                self.current, self.text = Block("para", cls=cls), []
            elif self.figure is not None and "source" in cls:
                self.text = []
        elif tag == "br" and self.text is not None:
            self.text.append("\n")

    def handle_endtag(self, tag):
        if tag in ("nav", "head", "style"):
            self.skip -= 1
            return
        if self.skip:
            return
        if tag == "figure" and self.figure is not None:
            self.blocks.append(self.figure)
            self.figure, self.table = None, None
        elif tag == "figcaption" and self.figure is not None:
            caption = squash("".join(self.text or []))
            if self.table is not None:
                self.table.caption = caption
            self.figure.text, self.text = caption, None
        elif tag in ("td", "th") and self.cell is not None:
            self.cell.text = squash("".join(self.text or []))
            self.row.append(self.cell)
            self.cell, self.text = None, None
        elif tag == "tr" and self.row is not None:
            (self.table.head if self.part == "head" else self.table.body).append(self.row)
            self.row = None
        elif tag == "p" and self.figure is not None and self.text is not None:
            note = squash("".join(self.text))
            (self.table.notes if self.table is not None else self.figure.notes).append(note)
            self.text = None
        elif self.current is not None and (
            tag in ("h1", "h2", "h3", "p", "li") or (tag == "div" and "demo-notice" in self.current.cls)
        ):
            self.current.text = squash("".join(self.text or []))
            if self.current.text:
                self.blocks.append(self.current)
            self.current, self.text = None, None

    def handle_data(self, data):
        if not self.skip and self.text is not None:
            self.text.append(data)


def read_blocks(html: str) -> list[Block]:
    parser = _Report()
    parser.feed(html)
    return parser.blocks


def read_tables(html: str) -> list[Table]:
    """The numbered tables of a rendered report, in reading order."""
    return [b.table for b in read_blocks(html) if b.table is not None and b.table.caption.startswith("Bảng ")]


def squash(text: str) -> str:
    """Whitespace as a reader sees it: single spaces, no leading or trailing ones."""
    return " ".join(text.split())
