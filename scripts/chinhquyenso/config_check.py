"""Config and codebook must agree before any job starts.

Every key of ``config.yaml`` that names something of the questionnaire (a model covariate, a
focal variable, the published-figures check) is checked against what the codebook declares; all
problems are listed together, in Vietnamese, naming the key and what is missing.

Also checked here, at the edge, before any job:

- one path policy (``path_refusal`` / ``project_file``) for every file the project reads: the
  config's paths, the files of the template and font folders, each source's ``file`` in the
  sources YAML (and any input added later): symlinks are resolved and anything outside the
  project folder is refused;
- every text of the config and of the sources YAML, which reaches the HTML, the PDF, the Word
  file and the workbook, is free of control characters and of characters XML cannot hold;
- the tenure bands and model band edges increase, and every survey wave has its own year.
"""

from __future__ import annotations

import os
from collections import defaultdict
from itertools import pairwise
from pathlib import Path

from .answered import fit_to_export
from .codebook import Codebook, load_codebook
from .document_periods import period_problems


class ConfigError(ValueError):
    """Config and codebook disagree, or the codebook itself is invalid."""


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
PATH_KEYS = (
    ("survey", "path"),
    ("survey", "codebook"),
    ("survey", "reference_codebook"),
    ("survey", "weighting"),
    ("documents", "sources"),
    ("documents", "extracts"),
    ("documents", "indicators"),
    ("reproduction", "published"),
    ("report", "template_dir"),
    ("report", "font_dir"),
)


# What a key an older config lacks should name (said with "thiếu khóa"), by its path.
MISSING_HINTS = defaultdict(
    str,
    {
        ("documents", "indicators"): (
            "tệp YAML các chỉ số của số liệu trích từ tài liệu, khóa document_indicators:, trước đây "
            "nằm trong codebook; của dự án: indicators: resources/documents/chi_so.yaml"
        ),
    },
)


def schema_problems(config: dict, schema_path: str | Path) -> list[str]:
    """The config against workflow/schemas/config.schema.yaml, every problem in Vietnamese with
    its key (Snakemake's own check, run after this one, fills the defaults)."""
    import jsonschema
    import yaml

    schema = yaml.safe_load(Path(schema_path).read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    out = []
    for err in sorted(validator.iter_errors(config), key=lambda e: list(map(str, e.absolute_path))):
        key = ".".join(str(p) for p in err.absolute_path) or "(gốc)"
        kind, arg = err.validator, err.validator_value
        if kind == "additionalProperties":
            allowed = sorted((err.schema.get("properties") or {}).keys())
            extra = sorted(set(err.instance) - set(allowed))
            text = f"khóa {', '.join(map(repr, extra))} không có (có: {', '.join(allowed)})"
        elif kind == "required":
            missing = [k for k in arg if k not in err.instance]
            hints = [MISSING_HINTS[(*map(str, err.absolute_path), k)] for k in missing]
            text = f"thiếu khóa {', '.join(map(repr, missing))}"
            text += "".join(f" ({h})" for h in hints if h)
        elif kind == "type":
            names = {"string": "chuỗi", "integer": "số nguyên", "number": "số", "boolean": "true/false",
                     "array": "danh sách", "object": "bảng khóa", "null": "null"}  # fmt: skip
            wanted = " hoặc ".join(names.get(t, t) for t in ([arg] if isinstance(arg, str) else arg))
            text = f"phải là {wanted}, nhận {err.instance!r}"
        elif kind == "enum":
            text = f"phải là một trong {', '.join(map(repr, arg))}, nhận {err.instance!r}"
        elif kind in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"):
            sign = {"minimum": "≥", "exclusiveMinimum": ">", "maximum": "≤", "exclusiveMaximum": "<"}[kind]
            text = f"phải {sign} {arg}, nhận {err.instance!r}"
        elif kind in ("minItems", "maxItems"):
            text = f"danh sách phải có {'ít nhất' if kind == 'minItems' else 'nhiều nhất'} {arg} phần tử"
        elif kind == "pattern":
            text = f"«{err.instance}» không đúng dạng {arg}"
        else:
            text = f"giá trị {err.instance!r} không hợp lệ ({kind})"
        out.append(f"config {key}: {text}")
    return out


# --- one path policy for every file the project reads ------------------------------------------

# Config keys naming a folder whose every file the workflow may read (templates, fonts).
FOLDER_KEYS = (("report", "template_dir"), ("report", "font_dir"))
SOURCE_TEXTS = "resources/documents/van_ban/"  # where a source's text belongs (nguon.yaml)


class OutsideProjectError(ConfigError):
    """A file the project would read lies outside the project folder."""


def path_refusal(value: str | Path, root: str | Path, copy_to: str = "resources/") -> str | None:
    """Why the file or folder ``value`` (relative to ``root``, or absolute) may not be read, or
    None when it may: symlinks are followed, and what they lead to must lie inside ``root``.

    The one path policy of the project: the config's paths, the files of the template and font
    folders, each source's ``file`` and any input added later go through it, at start-up
    (``load_checked``) and again where they are read."""
    root = Path(root).resolve()
    path = Path(value) if Path(value).is_absolute() else root / value
    try:
        real = path.resolve()
    except (OSError, RuntimeError):  # a loop of symlinks
        return f"«{value}» là vòng liên kết (symlink) không dẫn tới tệp nào"
    if real.is_relative_to(root):
        return None
    linked = real != Path(os.path.normpath(path.absolute()))  # a symlink on the way
    via = f" (liên kết tới «{real}»)" if linked else ""
    return (
        f"«{value}»{via} nằm ngoài thư mục dự án {root}; chỉ đọc tệp trong dự án "
        f"(chép tệp vào {copy_to} rồi trỏ tới đó)"
    )


def project_file(value: str | Path, root: str | Path, where: str, copy_to: str = "resources/") -> Path:
    """The path ``value`` names, once the path policy allows it; ``OutsideProjectError`` naming
    ``where`` (the file and key that gave the path) otherwise. For readers: defence in depth
    behind the start-up check."""
    refusal = path_refusal(value, root, copy_to)
    if refusal:
        raise OutsideProjectError(f"{where}: {refusal}")
    return Path(value) if Path(value).is_absolute() else Path(root) / value


def path_problems(config: dict, root: Path) -> list[str]:
    """Every path the config names must exist and lie inside the project (``root``), symlinks
    followed, and so must every file of the template and font folders: the workflow reads
    nothing from outside it (README, "Dữ liệu đầu vào")."""
    root = root.resolve()
    named = [(f"{a}.{b}", (config.get(a) or {}).get(b)) for a, b in PATH_KEYS]
    for i, wave in enumerate(config.get("waves") or [], start=1):
        named += [(f"waves[{i}].{k}", wave.get(k)) for k in ("path", "codebook", "extracts")]
    folders = {f"{a}.{b}" for a, b in FOLDER_KEYS}
    out = []
    for key, value in named:
        if not value:
            continue
        refusal = path_refusal(value, root)
        path = Path(value) if Path(value).is_absolute() else root / value
        if refusal:
            out.append(f"config {key}: {refusal}")
        elif not path.exists():
            out.append(f"config {key}: không có tệp hay thư mục «{value}»")
        elif key in folders and path.is_dir():
            for inner in sorted(path.rglob("*")):
                shown_as = Path(value) / inner.relative_to(path)
                refusal = path_refusal(shown_as, root)
                if refusal:
                    out.append(f"config {key}: {refusal}")
    return out


def source_entries(config: dict, root: Path) -> tuple[str, list[dict], list[str]]:
    """The sources YAML (config ``documents.sources``) as (its path, its entries, problems
    reading it)."""
    import yaml

    name = (config.get("documents") or {}).get("sources")
    if not name:
        return "", [], []
    path = Path(name) if Path(name).is_absolute() else Path(root) / name
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
        return name, [], [f"config documents.sources: không đọc được «{name}»: {err}"]
    entries = doc.get("sources") if isinstance(doc, dict) else None
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        return name, [], [f"config documents.sources: «{name}» phải có khóa sources: danh sách các nguồn"]
    return name, entries, []


def source_label(name: str, entry: dict, index: int) -> str:
    """How messages name one entry of the sources YAML: file, source id (or position)."""
    sid = entry.get("id")
    return f"{name}, nguồn «{sid}»" if sid else f"{name}, nguồn thứ {index}"


def source_file_problems(name: str, entries: list[dict], root: Path) -> list[str]:
    """Each source's ``file`` under the path policy (its absence is allowed: the extracts are
    then "chưa kiểm chứng")."""
    out = []
    for i, entry in enumerate(entries, start=1):
        value = entry.get("file")
        if value in (None, ""):
            continue
        where = f"{source_label(name, entry, i)}, file"
        if not isinstance(value, str):
            out.append(f"{where}: phải là đường dẫn (chuỗi), nhận {value!r}")
            continue
        refusal = path_refusal(value, root, SOURCE_TEXTS)
        if refusal:
            out.append(f"{where}: {refusal}")
    return out


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
