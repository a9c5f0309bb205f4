"""The periods a config may ask of the document extracts: `documents.periods` and
`documents.dti_period` must each be a `period:` some extract has, or the report would silently
show nothing (or last year's ranks). The message lists the periods there are."""

from __future__ import annotations

from pathlib import Path

import yaml


def extract_periods(paths: list[str], root: Path) -> list[str]:
    """Every `period:` of the extracts files, sorted (files that cannot be read are skipped:
    the documents stage names them)."""
    found = set()
    for name in paths:
        path = Path(name) if Path(name).is_absolute() else root / name
        try:
            doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue
        entries = doc.get("extracts") if isinstance(doc, dict) else None
        for entry in entries if isinstance(entries, list) else []:
            if isinstance(entry, dict) and entry.get("period") is not None:
                found.add(str(entry["period"]))
    return sorted(found)


def period_problems(config: dict, root: Path) -> list[str]:
    """Periods asked for by the config that no extract has, each with the periods there are."""
    docs = config.get("documents")
    if not docs:
        return []
    files = [docs.get("extracts")] + [w.get("extracts") for w in config.get("waves") or []]
    files = [f for f in files if f]
    have = extract_periods(files, root)
    shown = ", ".join(have) if have else "không có kỳ nào"
    where = ", ".join(files)
    asked = [("documents.periods", str(p)) for p in docs.get("periods") or []]
    if docs.get("dti_period"):
        asked.append(("documents.dti_period", str(docs["dti_period"])))
    return [
        f"config {key}: kỳ «{period}» không có trong số liệu trích ({where}); các kỳ có: {shown}"
        f"{'; null để bỏ bảng xếp hạng DTI' if key.endswith('dti_period') else ''}"
        for key, period in asked
        if period not in have
    ]
