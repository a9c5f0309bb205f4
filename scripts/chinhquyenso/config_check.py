"""Config and codebook must agree before any job starts.

Every key of ``config.yaml`` that names something of the questionnaire (a model covariate, a
focal variable, the published-figures check) is checked against what the codebook declares; all
problems are listed together, in Vietnamese, naming the key and what is missing.
"""

from __future__ import annotations

import os
from pathlib import Path

from .codebook import Codebook, load_codebook


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
    ("documents", "sources"),
    ("documents", "extracts"),
    ("documents", "indicators"),
    ("reproduction", "published"),
    ("report", "template_dir"),
    ("report", "font_dir"),
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
            text = f"thiếu khóa {', '.join(map(repr, missing))}"
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


def path_problems(config: dict, root: Path) -> list[str]:
    """Every path the config names must exist and lie inside the project (``root``), symlinks
    followed: the workflow reads nothing from outside it (README, "Dữ liệu đầu vào")."""
    root = root.resolve()
    named = [(f"{a}.{b}", (config.get(a) or {}).get(b)) for a, b in PATH_KEYS]
    for i, wave in enumerate(config.get("waves") or [], start=1):
        named += [(f"waves[{i}].{k}", wave.get(k)) for k in ("path", "codebook", "extracts")]
    out = []
    for key, value in named:
        if not value:
            continue
        path = Path(value) if Path(value).is_absolute() else root / value
        real = path.resolve()
        if not real.is_relative_to(root):
            linked = real != Path(os.path.normpath(path.absolute()))  # a symlink on the way
            via = f" (liên kết tới «{real}»)" if linked else ""
            out.append(
                f"config {key}: «{value}»{via} nằm ngoài thư mục dự án {root}; chỉ đọc tệp trong dự án "
                "(chép tệp vào resources/ rồi trỏ tới đó)"
            )
        elif not path.exists():
            out.append(f"config {key}: không có tệp hay thư mục «{value}»")
    return out


def load_checked(config: dict, root: str | Path = ".") -> Codebook:
    """The survey's codebook, after checking the config's paths, the codebook itself and its
    agreement with ``config``."""
    found = path_problems(config, Path(root))
    if found:
        raise ConfigError("Đường dẫn trong cấu hình không dùng được:\n  - " + "\n  - ".join(found))
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
            found.append(f"config {key}: {err}")
            continue
        book = loaded if p == path and book is None else book
    if found:
        raise ConfigError("Codebook không hợp lệ:\n  - " + "\n  - ".join(found))
    found = problems(config, book)
    if found:
        raise ConfigError("Cấu hình không khớp với codebook:\n  - " + "\n  - ".join(found))
    return book
