"""Startup check of ``survey.weighting`` (config_check.load_checked): the totals file reads,
its tables name codebook variables of categories, and every cell value is one of the
variable's clean categories, as the clean table holds them. Every problem, in Vietnamese,
naming the file, row, column and value; before any job runs."""

from __future__ import annotations

from pathlib import Path

import yaml

from ..codebook import Codebook
from .spec import DesignError
from .weighting import read_totals


def totals_files(config: dict) -> list[str]:
    """The totals YAML and the CSV tables it names (inputs of the design rule)."""
    path = (config.get("survey") or {}).get("weighting")
    if not path:
        return []
    try:
        doc = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return [path]  # the startup check says why
    named = [doc.get("table")] + list((doc.get("margins") or {}).values())
    return [path] + [str(Path(path).parent / f) for f in named if isinstance(f, str)]


def totals_problems(config: dict, book: Codebook) -> list[str]:
    path = (config.get("survey") or {}).get("weighting")
    if not path:
        return []
    where = f"config survey.weighting «{path}»"
    try:
        totals = read_totals(Path(path))
    except DesignError as err:
        return [f"{where}: {line}" for line in str(err).splitlines()]
    except (OSError, yaml.YAMLError, AttributeError) as err:
        return [f"{where}: không đọc được tệp tổng thể ({type(err).__name__})"]
    out = []
    for variables, table in totals.tables.items():
        source = table.name
        for pos, var in enumerate(variables):
            if var not in book:
                out.append(f"{source}: cột «{var}» không phải biến của codebook")
                continue
            if book[var].type != "category":
                out.append(f"{source}: cột «{var}» là biến loại {book[var].type}, cần biến phân loại")
                continue
            allowed = {str(v) for v in book[var].values}
            cells = table.index.get_level_values(pos) if len(variables) > 1 else table.index
            for row, value in enumerate(cells, start=2):
                if value not in allowed:
                    out.append(
                        f"{source}, dòng {row}, cột «{var}»: «{value}» không phải giá trị của biến "
                        f"(có: {', '.join(sorted(allowed))})"
                    )
    return out
