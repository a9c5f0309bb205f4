"""Provenance manifest: what made the results, and the SHA-256 of every input and output."""

from __future__ import annotations

import hashlib
import json
import platform
import subprocess
from importlib.metadata import version
from pathlib import Path

from .system_check import pdf_libraries

PACKAGES = [
    "snakemake",
    "pandas",
    "numpy",
    "pyarrow",
    "pandera",
    "openpyxl",
    "pyreadstat",
    "pyyaml",
    "babel",
    "jinja2",
    "matplotlib",
    "statsmodels",
    "scipy",
    "weasyprint",
    "pypdf",
]
# Logs and benchmarks hold timings: they differ run to run by nature and are not results.
SKIP_DIRS = {"logs", "benchmarks"}
# What is never published: the clean microdata, the raw tables (before disclosure control) and
# the validation report. A hash of a small raw table could be inverted by trying every count, so
# these go to an internal manifest (results/internal/manifest.json), not the published one.
INTERNAL_DIRS = {"clean", "internal", "validation"}


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def git_state(root: Path) -> dict:
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = bool(
            subprocess.run(
                ["git", "status", "--porcelain", "--untracked-files=no"],
                cwd=root,
                capture_output=True,
                text=True,
                check=True,
            ).stdout.strip()
        )
        return {"commit": commit, "dirty": dirty}
    except (OSError, subprocess.CalledProcessError):
        return {"commit": None, "dirty": None}


def package_versions() -> dict[str, str]:
    return {name: version(name) for name in PACKAGES}


def build(
    root: Path, inputs: list[str], results: Path, config: dict, exclude: set[str], internal: bool = False
) -> dict:
    """The manifest of the published outputs, or with ``internal`` of the internal ones."""

    def wanted(p: Path) -> bool:
        top = set(p.relative_to(results).parts[:1])
        if top & SKIP_DIRS or p.name == ".snakemake_timestamp":  # Snakemake's mark in a folder output
            return False
        return bool(top & INTERNAL_DIRS) == internal and str(p) not in exclude

    outputs = sorted(p for p in results.rglob("*") if p.is_file() and wanted(p))
    return {
        "git": git_state(root),
        "python": platform.python_version(),
        "packages": package_versions(),
        # beyond Python packages, what shapes the PDFs' bytes (not their text or look)
        "pdf_libraries": pdf_libraries(),
        "config": config,
        "inputs": {str(p): sha256(root / p) for p in sorted(set(inputs))},
        "outputs": {str(p.relative_to(root)) if p.is_absolute() else str(p): sha256(p) for p in outputs},
    }


def write(manifest: dict, path: str | Path) -> None:
    """The manifest as JSON, written whole or not at all (``atomic.write_text``)."""
    from .atomic import write_text

    write_text(path, json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
