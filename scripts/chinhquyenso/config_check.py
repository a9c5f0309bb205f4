"""Config and codebook must agree before any job starts.

Every key of ``config.yaml`` that names something of the questionnaire (a model covariate, a
focal variable, the published-figures check) is checked against what the codebook declares; all
problems are listed together, in Vietnamese, naming the key and what is missing.
"""

from __future__ import annotations

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


def load_checked(config: dict) -> Codebook:
    """The survey's codebook, after checking it and its agreement with ``config``."""
    path = config["survey"]["codebook"]
    try:
        book = load_codebook(path)
    except FileNotFoundError:
        raise ConfigError(f"config survey.codebook: không có tệp «{path}»") from None
    except (ValueError, KeyError, TypeError) as err:
        raise ConfigError(f"codebook {path} không hợp lệ: {err}") from None
    found = problems(config, book)
    if found:
        raise ConfigError("Cấu hình không khớp với codebook:\n  - " + "\n  - ".join(found))
    return book
