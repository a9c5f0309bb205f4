"""Report-text lint: read a rendered report's HTML (results/report/*.html) back and list what a
reader should never see. Each rule returns short descriptions naming the offending sentence or
number, for test output; an empty list means the text passes.

1. ``repeated_sentences``  no body sentence (paragraphs, list items; of 4 words or more) more
   than twice; captions, source notes and table cells may repeat ("Nguồn: ..." under every table).
2. ``leaked_names``        no path, file name, code identifier (a_b; the codebook appendix lists
   them), ``<code>`` or English word in a heading or caption outside the reproducibility appendix
   (``tai_lap``); the files the PDF attaches (its tables' CSVs) may be named anywhere.
3. ``quoted_numbers``      every number marked by ``vn_text.quote`` occurs in a cell of its table.
4. ``part_larger_than_whole``  "M <noun> ..., trong đó N ...": N no larger than M.
5. ``raw_numbers``         no dot decimal, more than 3 decimals, exponent, nan/None/NaN.

The HTML is read back into pieces and sentences by ``lint_text``.
"""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

from ..vn_numbers import find_numbers, to_decimal
from .lint_text import Mark, Text, read_text, sentences
from .lint_text import short as _short
from .lint_text import text_of as _text

APPENDIX = "tai_lap"  # "Thông tin tái lập": paths, versions and hashes belong there
MIN_WORDS = 4  # shorter "sentences" ("Lưu ý.", "Kết quả.") are lead-ins, not statements


# --- rule 1: repeated sentences ----------------------------------------------------------------


def repeated_sentences(report: str | Text, most: int = 2) -> list[str]:
    """Body sentences (paragraphs, list items; not headings, captions, notes, cells) said more
    than ``most`` times in the whole report."""
    counts = Counter(
        s
        for p in _text(report).pieces
        if p.kind == "para" and p.lang == "vi"
        for s in sentences(p.text)
        if len(s.split()) >= MIN_WORDS
    )
    return [f"câu lặp lại {n} lần: «{_short(s)}»" for s, n in counts.items() if n > most]


# --- rule 2: paths, file names, code, English headings -------------------------------------------

_SUFFIXES = "csv|tsv|ya?ml|py|parquet|feather|json|xlsx?|docx?|pdf|html?|j2|svg|png|jpe?g|txt|md|toml|log|smk"
_ROOTS = "results|resources|workflow|scripts|tests|profiles"  # the project's folders
_LEAKS = [
    ("đường dẫn", re.compile(rf"(?<![\w/])(?:\.{{0,2}}/)?(?:{_ROOTS})/(?:[\w./-]*[\w/])?")),
    ("đường dẫn", re.compile(r"(?<![\w.])(?:/(?:home|tmp|work|usr|var|Users)/|file://|[A-Z]:\\)\S*")),
    ("tên tệp", re.compile(rf"[\w.-]*\w\.(?:{_SUFFIXES})\b", re.IGNORECASE)),
    ("tên tệp", re.compile(r"\b(?:README|Snakefile)\b")),
    ("tên biến", re.compile(r"\b[A-Za-z0-9]+(?:_[A-Za-z0-9]+)+\b")),  # a column or file stem
]
CODEBOOK = "codebook"  # the codebook appendix lists the variables' names: that is its content
# Terms Vietnamese social science writes in their original form (and the bilingual front matter).
ACCEPTED_TERMS = (
    "proportional odds", "Kruskal–Wallis", "Kruskal-Wallis", "Benjamini–Hochberg", "Benjamini-Hochberg",
    "Mann–Whitney", "Mann-Whitney", "Cramér's V", "Cramér", "Cronbach's", "Cronbach", "KR-20", "PDF/A",
    "logit", "probit", "logistic", "OLS", "GLM", "Brant", "Spearman", "Pearson", "Wilcoxon", "Fisher",
    "Wald", "Likert", "Holm", "Bonferroni", "McFadden", "alpha", "odds", "DTI", "Abstract", "Keywords",
    "codebook",  # the usual name of a survey's variable dictionary in Vietnamese social science
)  # fmt: skip
_TERMS = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, ACCEPTED_TERMS)) + r")(?!\w)", re.IGNORECASE)
# One Vietnamese syllable written without diacritics: initial, vowels, final.
_SYLLABLE = re.compile(
    r"(?:ngh|ng|gh|gi|kh|nh|ph|qu|th|tr|ch|[bcdghklmnprstvx])?[aeiouy]{1,3}(?:ch|ng|nh|[cmnptiouy])?", re.I
)
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def english_words(text: str) -> list[str]:
    """Words of ``text`` that cannot be Vietnamese: plain ASCII, not one syllable, not an
    acronym or a name with capitals inside (DTI, UBND, OR, VNeID), not an accepted term."""
    found = []
    for word in _WORD.findall(_TERMS.sub(" ", text)):
        if len(word) < 2 or not word.isascii() or sum(c.isupper() for c in word) > 1:
            continue
        if not _SYLLABLE.fullmatch(word):
            found.append(word)
    return found


def leaked_names(report: str | Text, attached: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """Paths, file names (but those in ``attached``, the files the PDF carries), identifiers,
    <code> elements and English words in headings or captions, outside the appendix ``tai_lap``."""
    text = _text(report)
    problems = []
    names = "|".join(re.escape(n) for n in sorted(attached, key=len, reverse=True)) or r"(?!)"
    keep = re.compile(rf"(?<![\w/.-])(?:{names})(?![\w-])")
    for piece in text.pieces:
        if piece.section == APPENDIX or piece.lang != "vi":
            continue
        bare = keep.sub(" ", piece.text)
        for what, pattern in _LEAKS:  # each leak said once: a path is not also a file name
            if what == "tên biến" and piece.section == CODEBOOK:
                continue
            for m in pattern.finditer(bare):
                where = piece.section or "bìa"
                problems.append(
                    f"{what} «{m.group(0)}» ngoài phụ lục tái lập ({where}): «{_short(piece.text)}»"
                )
            bare = pattern.sub(" ", bare)
        if piece.kind in ("heading", "caption"):
            for word in english_words(piece.text):
                problems.append(f"từ tiếng Anh «{word}» trong tiêu đề: «{_short(piece.text)}»")
    for code in text.codes:
        if code.section != APPENDIX and code.text not in attached:
            problems.append(
                f"phần tử <code> «{_short(code.text)}» ngoài phụ lục tái lập ({code.section or 'bìa'})"
            )
    return problems


# --- rule 3: numbers quoted from a table ------------------------------------------------------

# A number as the report writes it: an optional comparison ("< 0,001"), a sign (true minus or a
# hyphen that follows no letter or digit: not "KR-20"), thousands dots, a decimal comma.
_TOKEN = re.compile(
    r"(?P<cmp>[<>≤≥]\s*)?(?P<sign>(?<![\w.,])[−-]\s?)?(?<![\d.,])"
    r"(?P<num>\d{1,3}(?:\.\d{3})+(?:,\d+)?(?!\d)|\d+(?:,\d+)?)"
)


def number_tokens(text: str) -> list[tuple[str, Decimal]]:
    """'p < 0,001' -> [('<', 0.001)]; '−1,5' -> [('', -1.5)]; '8/14' -> 8 and 14; '40,1%' -> 40.1."""
    tokens = []
    for m in _TOKEN.finditer(text):
        value = to_decimal(m.group("num"))
        tokens.append(((m.group("cmp") or "").strip(), -value if m.group("sign") else value))
    return tokens


def quoted_numbers(report: str | Text) -> list[str]:
    """Each number marked ``<span class="so" data-bang="ID">`` occurs, with its sign and
    comparison, as a number of a cell of the table ``<figure class="table" id="bang-ID">``."""
    text = _text(report)
    problems = []
    for mark in text.marks:
        cells = text.tables.get(mark.table)
        where = _sentence_of(mark)
        if cells is None:
            problems.append(f"số «{mark.text}» dẫn từ bảng «{mark.table}» không có trong báo cáo: «{where}»")
            continue
        tokens = number_tokens(mark.text)
        values = {t for cell in cells for t in number_tokens(cell)}
        if not tokens or any(t not in values for t in tokens):
            problems.append(f"số «{mark.text}» không có trong ô nào của bảng «{mark.table}»: «{where}»")
    return problems


def _sentence_of(mark: Mark) -> str:
    found = [s for s in sentences(mark.context) if mark.text in s]
    return _short(found[0] if found else mark.context or mark.text)


# --- rule 4: "trong đó" ------------------------------------------------------------------------

_OF_WHICH = re.compile(r"\btrong đó\b", re.IGNORECASE)


def part_larger_than_whole(report: str | Text) -> list[str]:
    """In "… M <noun> …, trong đó N <noun> …" the part N is at most the whole M: M is the last
    number before "trong đó" in the sentence followed by the same word as N ("8/14 hoạt động,
    trong đó 14 hoạt động"; for "a/b" it is a), else the largest number before it ("360 người
    ... thuộc 3 tỉnh, trong đó 181 nam": 360, not 3); a part in per cent is at most 100%.
    Ranks, years, dates and cross-references ("Bảng 3") are not numbers here (find_numbers)."""
    problems = []
    for piece in _text(report).pieces:
        if piece.kind == "cell" or piece.lang != "vi":
            continue
        for sentence in sentences(piece.text):
            for m in _OF_WHICH.finditer(sentence):
                problem = _whole_and_part(sentence, m.start(), m.end())
                if problem:
                    problems.append(f"{problem} sau «trong đó»: «{_short(sentence, 240)}»")
    return problems


def _whole_and_part(sentence: str, start: int, end: int) -> str | None:
    clause = re.split(r"[;:]", sentence[end:].lstrip(" :"), maxsplit=1)[0]  # "trong đó: ..."
    parts = [n for n in find_numbers(clause) if n.kind in ("count", "ratio", "percent")]
    if not parts:
        return None
    part = parts[0]
    if part.kind == "percent":
        return f"phần {part.text} lớn hơn 100%" if part.value > 100 else None
    wholes = [n for n in find_numbers(sentence[:start]) if n.kind in ("count", "ratio", "list")]
    if not wholes:
        return None
    noun = _next_word(clause, part.start + len(part.text))
    same = [n for n in wholes if noun and _next_word(sentence, n.start + len(n.text)) == noun]
    whole = same[-1] if same else max(wholes, key=lambda n: n.value)
    if part.value > whole.value:
        return f"phần {part.text} lớn hơn tổng {whole.text}"
    return None


def _next_word(text: str, at: int) -> str:
    m = re.match(r"\s*([^\W\d_]+)", text[at:])
    return m.group(1).lower() if m else ""


# --- rule 5: raw numbers -----------------------------------------------------------------------

_RAW = [
    ("số thập phân dấu chấm", re.compile(r"(?<![\w.,])(?:0\.\d+|\d+\.(?:\d{1,2}|\d{4,}))(?!\d|[.,]\d)")),
    ("hơn 3 chữ số thập phân", re.compile(r"(?<![\w.,])\d+,\d{4,}(?!\d)")),
    ("số mũ", re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)?[eE][−+-]?\d+\b")),
    ("giá trị thiếu", re.compile(r"(?<!\w)(?:NaN|NaT|None|<NA>|inf|nan(?!\s+(?:giải|y)\b))(?!\w)")),
]
# Section numbers are dotted ("4.1. Tham gia", "mục 4.1", "mục 1.2" of a source), not decimals.
_SECTION_NUMBER = re.compile(r"^(?:Phụ lục [A-Z]\.)?\d+(?:\.\d+)*\.\s|\b(?:[Mm]ục|[Pp]hần)\s+\d+(?:\.\d+)+")


def raw_numbers(report: str | Text) -> list[str]:
    """Numbers printed as a program prints them, outside the appendix ``tai_lap`` (which lists
    software versions): "0.84", "0,84213", "1e-05", "nan", "None"."""
    problems = []
    for piece in _text(report).pieces:
        if piece.section == APPENDIX or piece.lang != "vi":
            continue
        bare = _SECTION_NUMBER.sub(" ", piece.text)
        for what, pattern in _RAW:
            for m in pattern.finditer(bare):
                problems.append(f"{what} «{m.group(0)}» ({piece.section or 'bìa'}): «{_short(piece.text)}»")
    return problems


# --- the whole report --------------------------------------------------------------------------


def lint_html(html: str, attached: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """Every rule's problems, in rule order."""
    text = read_text(html)
    return [
        *repeated_sentences(text),
        *leaked_names(text, attached),
        *quoted_numbers(text),
        *part_larger_than_whole(text),
        *raw_numbers(text),
    ]


def lint_report(html_path: str | Path) -> list[str]:
    """``lint_html`` of a rendered report; the files its PDF (same name, .pdf) attaches, when
    there is one, may be named in the text."""
    from pypdf import PdfReader

    html_path = Path(html_path)
    pdf = html_path.with_suffix(".pdf")  # render.write_pdf attaches the tables' CSV files
    attached = frozenset(PdfReader(pdf).attachments) if pdf.exists() else frozenset()
    return [f"{html_path.name}: {p}" for p in lint_html(html_path.read_text(encoding="utf-8"), attached)]
