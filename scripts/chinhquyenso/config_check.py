"""Config and codebook must agree before any job starts.

Every key of ``config.yaml`` that names something of the questionnaire (a model covariate, a
focal variable, the published-figures check) is checked against what the codebook declares; all
problems are listed together, in Vietnamese, naming the key and what is missing.

Also checked here, at the edge, before any job:

- one path policy (``path_refusal`` / ``project_file``) for every file the project reads: the
  config's paths, the files of the template and font folders, each source's ``file`` in the
  sources YAML (and any input added later): symlinks are resolved and anything outside the
  project folder is refused (``config_paths``);
- every text of the config and of the sources YAML, which reaches the HTML, the PDF, the Word
  file and the workbook, is free of control characters and of characters XML cannot hold;
- the tenure bands and model band edges increase, and every survey wave has its own year;
- the config against its schema (``config_schema``), run first by the workflow.
"""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

from .answered import fit_to_export
from .codebook import Codebook, load_codebook
from .config_paths import (  # noqa: F401 (the path policy, importable from here as before)
    FOLDER_KEYS,
    PATH_KEYS,
    SOURCE_TEXTS,
    ConfigError,
    OutsideProjectError,
    path_problems,
    path_refusal,
    project_file,
    source_entries,
    source_file_problems,
    source_label,
)
from .config_schema import schema_problems  # noqa: F401 (importable from here as before)
from .document_periods import period_problems


def problems(config: dict, book: Codebook) -> list[str]:
    out = []
    models = config.get("models") or {}
    covariates = models.get("covariates") or {}
    for name, spec in covariates.items():
        if name not in book:
            out.append(f"config models.covariates.{name}: codebook {book.path} không khai báo biến «{name}»")
            continue
        var = book[name]
        wanted = "category" if spec.get("type") == "category" else "integer"
        if var.type != wanted:
            out.append(
                f"config models.covariates.{name}: loại «{spec.get('type')}» cần biến {wanted}, "
                f"biến có loại {var.type}"
            )
        elif spec.get("type") == "category" and spec.get("reference") not in var.values:
            out.append(
                f"config models.covariates.{name}.reference: «{spec.get('reference')}» "
                "không phải giá trị của biến "
                f"(có: {', '.join(map(str, var.values))})"
            )
    for name in models.get("focal") or []:
        if name not in covariates:
            out.append(f"config models.focal: «{name}» không có trong models.covariates")
    points = models.get("effect_size_points") or []
    if any(b <= a for a, b in zip(points, points[1:], strict=False)):
        shown = "; ".join(str(x).replace(".", ",") for x in points)
        out.append(f"config models.effect_size_points: các ngưỡng phải tăng dần (đang là {shown})")
    published = (config.get("reproduction") or {}).get("published")
    if published:
        from .published import codebook_problems

        if not Path(published).exists():
            out.append(f"config reproduction.published: không có tệp «{published}»")
        else:
            out += [f"config reproduction.published: {p}" for p in codebook_problems(published, book)]
    ref = (config.get("survey") or {}).get("reference_codebook")
    if ref and not Path(ref).exists():
        out.append(f"config survey.reference_codebook: không có tệp «{ref}»")
    return out


# Config keys that name a file or folder the workflow reads (waves: per wave).
# --- text that reaches the HTML, PDF, Word and Excel files -------------------------------------


def xml_unsafe(char: str) -> bool:
    """A control character (C0 except tab, newline, CR; DEL; C1), a lone surrogate or a
    noncharacter (U+FFFE, U+FFFF, U+FDD0–U+FDEF, ...): nothing the report may print (lxml
    refuses most: "All strings must be XML compatible")."""
    o = ord(char)
    return (
        (o < 0x20 and char not in "\t\n\r")
        or 0x7F <= o <= 0x9F
        or 0xD800 <= o <= 0xDFFF
        or 0xFDD0 <= o <= 0xFDEF
        or (o & 0xFFFE) == 0xFFFE
    )


def _strings(value, key: str):
    """(key, text) of every string in ``value``: keys joined by dots, list items as [1], [2]..."""
    if isinstance(value, str):
        yield key, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, f"{key}.{k}" if key else str(k))
    elif isinstance(value, list):
        for i, v in enumerate(value, start=1):
            yield from _strings(v, f"{key}[{i}]")


def text_problems(value, where: str = "config") -> list[str]:
    """Every text of ``value`` (the config, or an entry of a YAML it names) holding a character
    ``xml_unsafe`` refuses, with its key, the characters and where they stand."""
    from .safe_text import shown

    out = []
    prefix = f"{where} " if where == "config" else f"{where}, "
    for key, text in _strings(value, ""):
        bad = [c for c in text if xml_unsafe(c)]
        if not bad:
            continue
        codes = list(dict.fromkeys(f"<U+{ord(c):04X}>" for c in bad))
        first = next(i for i, c in enumerate(text, start=1) if xml_unsafe(c))
        marked = shown("".join(f"<U+{ord(c):04X}>" if xml_unsafe(c) else c for c in text))
        these = "ký tự này" if len(codes) == 1 else "các ký tự này"
        out.append(
            f"{prefix}{key}: có ký tự điều khiển hay không hợp lệ {', '.join(codes)} (ký tự thứ {first}) "
            f"trong «{marked}»; xóa {these} (báo cáo PDF, Word và Excel không chứa được)"
        )
    return out


# --- values that must make sense before any job ------------------------------------------------


def _edge_problem(key: str, edges) -> str | None:
    """Band edges must increase strictly: [1, 4, 8] gives [1, 4) and [4, 8)."""
    if not isinstance(edges, list) or not all(isinstance(e, int | float) for e in edges):
        return None  # the schema says what type they must have
    for a, b in pairwise(edges):
        if b <= a:
            why = f"mốc {b} lặp lại" if b == a else f"mốc {b} đứng sau mốc {a}"
            return f"config {key}: các mốc phải tăng dần, không lặp; nhận {edges} ({why})"
    return None


def value_problems(config: dict) -> list[str]:
    """Config values that would fail later, blamed on something else: control characters in
    printed text, band edges that do not increase, two waves with one year."""
    out = text_problems(config)
    report = config.get("report") or {}
    bands = [("report.tenure_bands", report.get("tenure_bands"))]
    covariates = (config.get("models") or {}).get("covariates") or {}
    bands += [
        (f"models.covariates.{name}.edges", spec.get("edges"))
        for name, spec in covariates.items()
        if isinstance(spec, dict)
    ]
    out += [p for key, edges in bands if edges is not None and (p := _edge_problem(key, edges))]
    main = (config.get("survey") or {}).get("year")
    seen: dict = {}
    for i, wave in enumerate(config.get("waves") or [], start=1):
        year = wave.get("year") if isinstance(wave, dict) else None
        if year is None:
            continue
        if year == main:
            out.append(
                f"config waves[{i}].year: năm {year} trùng survey.year (đợt báo cáo phân tích); "
                "mỗi đợt khảo sát cần một năm riêng"
            )
        elif year in seen:
            out.append(
                f"config waves[{i}].year: năm {year} đã có ở waves[{seen[year]}]; mỗi đợt khảo sát "
                f"cần một năm riêng (kết quả của đợt ghi vào results/clean/dot_{year}/)"
            )
        else:
            seen[year] = i
    return out


def totals_problems(config: dict, book: Codebook) -> list[str]:
    from .design.check import totals_problems as check

    return check(config, book)


def load_checked(config: dict, root: str | Path = ".") -> Codebook:
    """The survey's codebook, after checking the config's values and paths, the sources YAML
    (each ``file`` under the path policy, its text printable), the codebook itself and its
    agreement with ``config``."""
    root = Path(root)
    values = value_problems(config)
    paths = path_problems(config, root)
    if not any(p.startswith("config documents.sources:") for p in paths):
        name, entries, unreadable = source_entries(config, root)
        paths += unreadable + source_file_problems(name, entries, root)
        for i, entry in enumerate(entries, start=1):
            values += text_problems(entry, source_label(name, entry, i))
        values += period_problems(config, root)
    parts = [
        ("Giá trị trong cấu hình không dùng được", values),
        ("Đường dẫn không dùng được (dự án chỉ đọc tệp trong thư mục của nó)", paths),
    ]
    if values or paths:
        raise ConfigError(
            "\n".join(f"{head}:\n  - " + "\n  - ".join(found) for head, found in parts if found)
        )
    path = config["survey"]["codebook"]
    others = [("survey.reference_codebook", config["survey"].get("reference_codebook"))]
    others += [
        (f"waves[{i}].codebook", w.get("codebook")) for i, w in enumerate(config.get("waves") or [], 1)
    ]
    found, book = [], None
    for key, p in [("survey.codebook", path), *others]:
        if not p:
            continue
        try:
            loaded = load_codebook(p)
        except (ValueError, KeyError, TypeError) as err:  # every codebook, before any job
            found.append(f"config {key}: " + str(err).replace("\n  ", "\n      "))  # nested under its key
            continue
        book = loaded if p == path and book is None else book
    if found:
        raise ConfigError("Codebook không hợp lệ:\n  - " + "\n  - ".join(found))
    book = fit_to_export(book, config["survey"])  # optional questions the export lacks: left out
    found = problems(config, book) + totals_problems(config, book)
    if found:
        raise ConfigError("Cấu hình không khớp với codebook:\n  - " + "\n  - ".join(found))
    return book
