"""Weights built from known population totals: post-stratification to a cross-classified table
and raking (iterative proportional fitting) to its margins, as R's ``postStratify`` and ``rake``.

The totals file (YAML, under resources/; paths inside it are relative to it)::

    method: poststratify        # or rake
    source: "..."               # where the totals come from: said in the methods text
    illustrative: true          # invented totals (a demo): the report labels them so
    table: cells.csv            # poststratify: one row per cell of the cross-classification
    margins:                    # rake: one table per variable (codebook name: file)
      <variable A>: a.csv
      <variable B>: b.csv
    tolerance: 1.0e-10          # rake: largest relative gap to a margin total at convergence
    max_iterations: 200         # rake

Each CSV (UTF-8) has a column per codebook variable, holding the clean values exactly as in
the codebook's categories, and the column ``tong_so``: the population total of the cell.
Every cell of the sample must have a total, and every cell with a positive total must have a
respondent (otherwise the weights cannot reach it: an error names the cell). The weights of a
post-stratum are multiplied by N_c / Σw_c; raking repeats this margin by margin.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from ..vn_format import number
from .calibration import Calibration
from .spec import DesignError, SurveyDesign

TOTAL = "tong_so"


@dataclass(frozen=True)
class Totals:
    method: str
    tables: dict[tuple[str, ...], pd.Series]  # variables -> total per cell (MultiIndex or Index)
    source: str = ""
    illustrative: bool = False
    tolerance: float = 1e-10
    max_iterations: int = 200
    path: str = ""


@dataclass(frozen=True)
class WeightSummary:
    """What the methods text says of the weights."""

    n: int
    total: float
    minimum: float
    maximum: float
    kish_n: float  # (Σw)² / Σw²
    deff_weighting: float  # n / kish_n = 1 + CV² (Kish's design effect due to weighting)
    iterations: int = 0
    notes: list[str] = field(default_factory=list)


def summarise(weights: np.ndarray, iterations: int = 0) -> WeightSummary:
    w = np.asarray(weights, dtype=float)
    kish = w.sum() ** 2 / (w**2).sum()
    return WeightSummary(
        len(w), float(w.sum()), float(w.min()), float(w.max()), float(kish), len(w) / kish, iterations
    )


def _read_table(path: Path, variables: list[str] | None) -> pd.Series:
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as err:
        raise DesignError(f"{path}: không đọc được bảng tổng thể ({type(err).__name__})") from None
    problems = []
    if TOTAL not in table:
        problems.append(f"{path}: thiếu cột «{TOTAL}» (tổng thể của từng ô)")
    keys = [c for c in table.columns if c != TOTAL] if variables is None else variables
    problems += [f"{path}: thiếu cột «{v}»" for v in keys if v not in table]
    if problems:
        raise DesignError("\n".join(problems))
    values = pd.to_numeric(table[TOTAL], errors="coerce")  # plain numbers: 2000, not 2.000
    for i in np.flatnonzero(~np.isfinite(values) | (values < 0)):
        problems.append(f"{path}, dòng {i + 2}, cột «{TOTAL}»: «{table[TOTAL].iloc[i]}» không phải số ≥ 0")
    dup = table.duplicated(keys, keep=False)
    for i in np.flatnonzero(dup):
        problems.append(f"{path}, dòng {i + 2}: ô {tuple(table.loc[i, keys])} lặp lại")
    if problems:
        raise DesignError("\n".join(problems))
    index = pd.MultiIndex.from_frame(table[keys]) if len(keys) > 1 else pd.Index(table[keys[0]], name=keys[0])
    return pd.Series(values.to_numpy(dtype=float), index=index, name=str(path))


def read_totals(path: Path) -> Totals:
    """The totals file described in this module's docstring."""
    path = Path(path)
    doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    method = doc.get("method")
    if method not in ("poststratify", "rake"):
        raise DesignError(f"{path}: method phải là poststratify hoặc rake (đang là «{method}»)")
    if method == "poststratify":
        if not doc.get("table"):
            raise DesignError(f"{path}: thiếu table (bảng tổng thể chéo)")
        series = _read_table(path.parent / doc["table"], None)
        tables = {tuple(series.index.names): series}
    else:
        margins = doc.get("margins") or {}
        if not margins:
            raise DesignError(f"{path}: thiếu margins (bảng tổng thể theo từng biến)")
        tables = {(var,): _read_table(path.parent / f, [var]) for var, f in margins.items()}
    return Totals(
        method,
        tables,
        str(doc.get("source", "")),
        bool(doc.get("illustrative", False)),
        float(doc.get("tolerance", 1e-10)),
        int(doc.get("max_iterations", 200)),
        str(path),
    )


def _cells(frame: pd.DataFrame, variables: tuple[str, ...], table: pd.Series, where: str):
    """Each respondent's cell index in ``table``; errors for cells missing on either side."""
    missing = [v for v in variables if v not in frame]
    if missing:
        raise DesignError("\n".join(f"{where}: dữ liệu không có cột «{v}»" for v in missing))
    keys = frame[list(variables)].astype("string").fillna("").astype(str)
    index = pd.MultiIndex.from_frame(keys) if len(variables) > 1 else pd.Index(keys[variables[0]])
    pos = table.index.get_indexer(index)
    problems = []
    for cell in pd.unique(index[pos < 0]):
        count = int((index == cell).sum())
        problems.append(
            f"{where}: ô {_label(variables, cell)} có {number(count)} người trả lời "
            "nhưng không có trong bảng tổng thể"
        )
    sampled = np.bincount(pos[pos >= 0], minlength=len(table))
    for k in np.flatnonzero((sampled == 0) & (table.to_numpy() > 0)):
        problems.append(
            f"{where}: ô {_label(variables, table.index[k])} có tổng thể {number(table.iloc[k])} "
            "nhưng không có người trả lời nào trong mẫu "
            "(không thể gán trọng số; gộp ô hoặc dùng cào theo biên)"
        )
    for k in np.flatnonzero((sampled > 0) & (table.to_numpy() == 0)):
        cell = _label(variables, table.index[k])
        problems.append(f"{where}: ô {cell} có tổng thể 0 nhưng có {number(sampled[k])} người trả lời")
    if problems:
        raise DesignError("\n".join(problems))
    return pos


def _label(variables, cell) -> str:
    values = cell if isinstance(cell, tuple) else (cell,)
    return ", ".join(f"{v} = «{x}»" for v, x in zip(variables, values, strict=True))


def poststratify(
    frame: pd.DataFrame, weights: np.ndarray, totals: Totals
) -> tuple[np.ndarray, WeightSummary]:
    """Weights multiplied by N_c / Σw_c in each cell of the cross-classified table."""
    ((variables, table),) = totals.tables.items()
    pos = _cells(frame, variables, table, totals.path)
    w = np.asarray(weights, dtype=float)
    out = w * (table.to_numpy() / np.bincount(pos, weights=w, minlength=len(table)))[pos]
    return out, summarise(out)


def rake(frame: pd.DataFrame, weights: np.ndarray, totals: Totals) -> tuple[np.ndarray, WeightSummary]:
    """Iterative proportional fitting to every margin until each margin total is reached within
    ``totals.tolerance`` (relative); an error when it does not within ``max_iterations``."""
    margins = [
        (variables, table, _cells(frame, variables, table, totals.path))
        for variables, table in totals.tables.items()
    ]
    sums = [t.sum() for _, t, _ in margins]
    if max(sums) - min(sums) > 1e-9 * max(sums):
        listed = "; ".join(f"{v[0]}: {number(s)}" for (v, _, _), s in zip(margins, sums, strict=True))
        raise DesignError(f"{totals.path}: các biên có tổng khác nhau ({listed}), phép cào không thể hội tụ")
    w = np.asarray(weights, dtype=float).copy()
    for iteration in range(1, totals.max_iterations + 1):
        for _, table, pos in margins:
            w *= (table.to_numpy() / np.bincount(pos, weights=w, minlength=len(table)))[pos]
        gap = max(
            np.max(
                np.abs(np.bincount(pos, weights=w, minlength=len(t)) - t.to_numpy())
                / np.maximum(t.to_numpy(), 1e-300)
            )
            for _, t, pos in margins
        )
        if gap <= totals.tolerance:
            return w, summarise(w, iteration)
    raise DesignError(
        f"{totals.path}: phép cào (raking) không hội tụ sau {totals.max_iterations} vòng "
        f"(sai lệch tương đối lớn nhất với biên {gap:.2g} > {totals.tolerance:g})"
    )


def calibrate(frame: pd.DataFrame, weights: np.ndarray, totals: Totals) -> tuple[np.ndarray, WeightSummary]:
    return (poststratify if totals.method == "poststratify" else rake)(frame, weights, totals)


def calibrated_design(
    design: SurveyDesign, frame: pd.DataFrame, totals: Totals
) -> tuple[SurveyDesign, WeightSummary]:
    """``design`` with its weights calibrated to ``totals``; its variance then takes the
    calibration into account (calibration.py), as R's does for postStratify and rake designs."""
    weights, summary = calibrate(frame, design.weights, totals)
    cells = tuple(_cells(frame, variables, table, totals.path) for variables, table in totals.tables.items())
    cal = Calibration(totals.method, cells, design.weights)
    return replace(design, weights=weights, calibration=cal), summary
