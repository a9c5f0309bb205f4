"""One path policy for every file the project reads (``path_refusal`` / ``project_file``): the
config's paths, the files of the template and font folders, each source's ``file`` in the
sources YAML, and any input added later. Symlinks are resolved and anything outside the project
folder is refused. Checked at start-up (``config_check.load_checked``) and again by the readers.
``ConfigError`` lives here, under the policy's own error; ``config_check`` re-exports both."""

from __future__ import annotations

import os
from pathlib import Path


class ConfigError(ValueError):
    """Config and codebook disagree, or the codebook itself is invalid."""


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
