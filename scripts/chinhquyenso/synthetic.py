"""Synthetic survey exports of any form and size, drawn from a model, for tests and benchmarks.

Unlike the demo file (``demo_data``), which reproduces the article's published counts, these
files are drawn from a stated model and reproduce nothing: they exist to test next year's forms
and a second survey wave, and to measure the workflow at national size. Every file carries
"synthetic" in its respondent IDs (``SYN``...) and the folder it is written to says so in a README.

The model follows what the codebook declares (roles and question blocks), so any form can be
drawn. Per respondent: province, administrative level and gender drawn from the codebook's
categories (with optional weights); age from ``spec.age`` and tenure 1 to
min(``spec.max_tenure``, age − minimum entry age); a latent score = logit(base_rate) + role
effects + shared factor + shift. Then, block by block in the kind order of ``DRAW_ORDER``:
activities take part with probability logistic(score + a per-item offset) and participants
answer the level on an ordered logit; ratings are answered by everyone on an ordered logit of
the score; indicators say yes with probability logistic(score + 0.5); a multi-select option k
is chosen with probability 0.25 + 0.1·k (at most 0.9); single-choice answers are uniform;
numeric answers are uniform on the variable's range (0–10 without one). Vectorised: a million
rows take seconds. Optionally (``spec.design``, see DesignSpec) a sampling design: strata, PSUs
with a random effect on the score, unequal weights, as columns after the form's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .codebook import Block, Codebook, Variable
from .demo_data import write_export
from .messy_export import write_xlsx

# Blocks are drawn kind by kind in this order (then in codebook order), so adding a block of a
# later kind leaves the earlier columns of a fixture unchanged.
DRAW_ORDER = ("activities", "ratings", "indicators", "multiselect", "single_choice", "numeric")


@dataclass(frozen=True)
class SyntheticSpec:
    """What to draw. Effects are on the logit scale; unnamed levels have no effect."""

    n: int
    seed: int = 2026
    id_prefix: str = "SYN"
    start: str = "2026-06-01T07:30:00"
    days: int = 30
    province_weights: dict[str, float] = field(default_factory=dict)
    level_weights: dict[str, float] = field(default_factory=dict)
    gender_weights: dict[str, float] = field(default_factory=dict)
    base_rate: float = 0.45  # participation share of the average respondent, before `shift`
    shift: float = 0.0  # added to every activity's logit (a later wave's change)
    shift_by_item: dict[str, float] = field(default_factory=dict)
    gender_effects: dict[str, float] = field(default_factory=dict)
    level_effects: dict[str, float] = field(default_factory=dict)
    tenure_per_year: float = 0.04
    age: tuple[int, int] = (22, 35)
    max_tenure: int = 16
    shared_sd: float = 0.9
    # A sampling design (None: none, and the file is the same as without this option): keys
    # of DesignSpec. Drawn from its own random stream, so the other columns' draws are unchanged.
    design: dict | None = None


@dataclass(frozen=True)
class DesignSpec:
    """Strata are the categories of the role ``strata`` (a province, say); each respondent falls
    in one of ``psu_per_stratum`` PSUs of their stratum (a unit, with a random effect of SD
    ``psu_sd`` on the latent score: answers cluster); a weight is the stratum's population per
    respondent (lognormal around ``mean_weight``, SD ``weight_sd`` on the log scale) times a
    PSU factor uniform on ``psu_factor``. Columns: weight, PSU (unique across strata) and, with
    ``fpc_header``, the stratum's number of PSUs in the population (``fpc_ratio`` × drawn)."""

    strata: str = "province"
    psu_per_stratum: int = 10
    psu_sd: float = 0.5
    mean_weight: float = 30.0
    weight_sd: float = 0.6
    psu_factor: tuple[float, float] = (0.6, 1.4)
    weight_header: str = "Trọng số"
    psu_header: str = "Đơn vị mẫu"
    fpc_header: str | None = None
    fpc_ratio: int = 4


def design_codebook(doc: dict, options: dict) -> dict:
    """A codebook document (``doc``, as read from YAML) with the design columns DesignSpec
    ``options`` draws: their variables (weight: a number with a decimal point, as written; PSU:
    a code; fpc: a number) and roles, strata on the role the design is stratified by."""
    d = DesignSpec(**options)
    doc = {**doc, "variables": list(doc["variables"]), "roles": dict(doc.get("roles") or {})}
    added = [
        ("weight", {"name": "trong_so", "label": "Trọng số", "headers": [d.weight_header], "type": "number",
                    "decimal": "."}),
        ("psu", {"name": "don_vi_mau", "label": "Đơn vị mẫu", "headers": [d.psu_header], "type": "code"}),
    ]  # fmt: skip
    if d.fpc_header:
        added.append(("fpc", {"name": "so_don_vi_tong_the", "headers": [d.fpc_header], "type": "number"}))
    for role, spec in added:
        doc["variables"].append(spec)
        doc["roles"][role] = spec["name"]
    doc["roles"]["strata"] = doc["roles"][d.strata]
    return doc


def _draw_category(rng, values: list, weights: dict, n: int) -> np.ndarray:
    w = np.array([float(weights.get(v, 1.0)) for v in values])
    return rng.choice(len(values), size=n, p=w / w.sum())


def _labels(var: Variable, codes: np.ndarray) -> np.ndarray:
    """The form's own label (first raw spelling) for category indices ``codes``; -1 = empty."""
    labels = np.array([c.raw[0] for c in var.categories] + [""], dtype=object)
    return labels[codes]


def _ordered(rng, lp: np.ndarray, levels: int) -> np.ndarray:
    """Category indices 0..levels-1 from an ordered logit with evenly spaced cut points."""
    cuts = np.linspace(-2.0, 2.0, levels - 1)
    return np.searchsorted(cuts, lp + rng.logistic(0.0, 1.0, len(lp)))


class _Draw:
    """The respondents' roles and latent score, and one column per variable as it is drawn."""

    def __init__(self, book: Codebook, spec: SyntheticSpec):
        self.book, self.spec, n = book, spec, spec.n
        self.rng = rng = np.random.default_rng(spec.seed)
        self.codes: dict[str, np.ndarray] = {}
        score = np.full(n, np.log(spec.base_rate / (1 - spec.base_rate)))
        for role, weights, effects in (
            ("province", spec.province_weights, {}),
            ("admin_level", spec.level_weights, spec.level_effects),
            ("gender", spec.gender_weights, spec.gender_effects),
        ):
            name = book.role(role)
            if name:
                values = book[name].values
                self.codes[name] = _draw_category(rng, values, weights, n)
                score = score + np.array([effects.get(v, 0.0) for v in values])[self.codes[name]]
        self.age = rng.integers(spec.age[0], spec.age[1] + 1, n)
        entry = book.min_age_at_entry or 18
        longest = np.maximum(1, np.minimum(spec.max_tenure, self.age - entry))
        self.tenure = 1 + (rng.random(n) * longest).astype(int)
        if book.role("tenure"):
            score = score + spec.tenure_per_year * (self.tenure - self.tenure.mean())
        self.score = score + rng.normal(0.0, spec.shared_sd, n) + spec.shift
        self.columns: dict[str, np.ndarray] = {}
        self.design: dict[str, np.ndarray] = {}
        if spec.design is not None:
            self._design(DesignSpec(**spec.design))

    def _design(self, d: DesignSpec) -> None:
        """Strata, PSUs and weights from a stream of their own; the PSU effect joins the score."""
        rng = np.random.default_rng([self.spec.seed, 2])
        stratum = self.codes[self.book.role(d.strata)]
        n_strata = len(self.book[self.book.role(d.strata)].values)
        within = rng.integers(0, d.psu_per_stratum, self.spec.n)
        psu = stratum * d.psu_per_stratum + within
        effect = rng.normal(0.0, d.psu_sd, n_strata * d.psu_per_stratum)
        self.score = self.score + effect[psu]
        per_stratum = d.mean_weight * np.exp(rng.normal(-(d.weight_sd**2) / 2, d.weight_sd, n_strata))
        factor = rng.uniform(*d.psu_factor, n_strata * d.psu_per_stratum)
        weight = per_stratum[stratum] * factor[psu]
        self.design[d.weight_header] = np.char.mod("%.3f", weight).astype(object)
        self.design[d.psu_header] = np.char.mod("DV%05d", psu + 1).astype(object)
        if d.fpc_header:
            self.design[d.fpc_header] = np.full(
                self.spec.n, str(d.fpc_ratio * d.psu_per_stratum), dtype=object
            )

    def _boolean(self, name: str, mask: np.ndarray) -> np.ndarray:
        var = self.book[name]
        return np.where(mask, var.spelling(True), var.spelling(False)).astype(object)

    def block(self, block: Block) -> None:
        rng, n, book = self.rng, self.spec.n, self.book
        if block.kind == "activities":
            for i, item in enumerate(block):
                lp = self.score + 0.25 * np.sin(i) + self.spec.shift_by_item.get(item, 0.0)
                takes = rng.random(n) < 1 / (1 + np.exp(-lp))
                self.columns[block.takes[item]] = self._boolean(block.takes[item], takes)
                level = book[block.level[item]]
                answer = _ordered(rng, lp - 0.3, len(level.categories))
                self.columns[level.name] = _labels(level, np.where(takes, answer, -1))
        elif block.kind == "ratings":
            for item in block:
                level = book[block.level[item]]
                self.columns[level.name] = _labels(level, _ordered(rng, self.score, len(level.categories)))
        elif block.kind == "indicators":
            for name in block.variables:
                yes = rng.random(n) < 1 / (1 + np.exp(-(self.score + 0.5)))
                self.columns[name] = self._boolean(name, yes)
        elif block.kind == "multiselect":
            var = next(v for v in book.variables if v.options and v.options[0].name == block.variables[0])
            chosen = [
                np.where(rng.random(n) < min(0.9, 0.25 + 0.1 * k), o.categories[0].raw[0], "")
                for k, o in enumerate(var.options)
            ]
            joined = pd.Series(chosen[0], dtype=object)
            for c in chosen[1:]:
                joined = joined.str.cat(pd.Series(c, dtype=object), sep=var.separator)
            sep = var.separator
            self.columns[var.name] = joined.str.replace(f"{sep}+", sep, regex=True).str.strip(sep).to_numpy()
        elif block.kind == "single_choice":
            for name in block.variables:
                var = book[name]
                self.columns[name] = _labels(var, rng.integers(0, len(var.categories), n))
        elif block.kind == "numeric":
            for name in block.variables:
                low, high = book[name].range or (0, 10)
                self.columns[name] = rng.integers(low, high + 1, n).astype(str)


def generate(codebook: Codebook, spec: SyntheticSpec) -> pd.DataFrame:
    """A raw export (form headers, text answers) with ``spec.n`` synthetic respondents."""
    draw = _Draw(codebook, spec)
    for kind in DRAW_ORDER:
        for block in codebook.blocks_of(kind):
            draw.block(block)
    n, role = spec.n, codebook.role
    start = dt.datetime.fromisoformat(spec.start)
    # office hours (07:30-17:00) on the fieldwork days, in submission order, all distinct
    seconds = draw.rng.integers(0, spec.days, n) * 86400 + draw.rng.integers(0, 34200, n)
    seconds = np.sort(seconds) + np.arange(n) % 60  # distinct even at a million rows
    stamps = pd.to_datetime(start) + pd.to_timedelta(seconds, unit="s")

    out: dict[str, object] = {}
    for var in codebook.variables:
        if var.type == "identifier":
            continue
        header = var.headers[0]
        if var.name == role("submitted_at"):
            out[header] = stamps.strftime(var.format)
        elif var.name == role("id"):
            out[header] = [f"{spec.id_prefix}-{i:07d}" for i in range(1, n + 1)]
        elif var.name in draw.codes:
            out[header] = _labels(var, draw.codes[var.name])
        elif var.name == role("age"):
            out[header] = draw.age.astype(str)
        elif var.name == role("tenure"):
            out[header] = draw.tenure.astype(str)
        elif var.name in draw.columns:
            out[header] = draw.columns[var.name]
        elif header in draw.design:  # a design column the codebook declares: added last below
            continue
        elif var.required:
            raise ValueError(
                f"biến {var.name}: không có vai trò (roles) hay khối câu hỏi (blocks) nào cho biết "
                "cách tạo dữ liệu giả lập"
            )
    out.update(draw.design)  # design columns last (none without spec.design)
    return pd.DataFrame(out)


# CSV in UTF-8 with LF line ends, written under a temporary name and moved into place
write_csv = write_export


def write(frame: pd.DataFrame, path: Path, codebook: Codebook, spec: SyntheticSpec) -> None:
    """As CSV, or for a ``.xlsx`` path as an Excel export would be: integers as numbers,
    timestamps as text in the codebook's format, document dates from the fieldwork start."""
    if path.suffix.lower() != ".xlsx":
        write_export(frame, path)
        return
    cells = frame.copy()
    for var in codebook.variables:
        if var.type == "integer" and var.headers[0] in cells:
            cells[var.headers[0]] = cells[var.headers[0]].astype(int)
    write_xlsx(cells, path, "Câu trả lời biểu mẫu 1", dt.date.fromisoformat(spec.start[:10]))
