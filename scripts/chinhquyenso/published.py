"""The figures published in the 2023 survey article, keyed by the codebook's identifiers.

Source: Nguyễn Thị Luyện (2024), "Các tỉnh, thành Đông Nam Bộ trong xây dựng chính quyền số –
vai trò của lực lượng chuyên viên", Tạp chí Khoa học xã hội, số 4 (310). The transcription
lives in ``resources/published/published_figures.yaml``; this module only re-keys it (activity
labels -> codebook item ids) so that the demo generator and the reproduction check speak the
same language as the pipeline.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import yaml

from .codebook import Codebook, fold
from .vn_format import round_half_up

TOTAL_COLUMN = "Tổng cộng"
# Columns of Bảng 3 in the order of `table_3_published_percent` rows.
TABLE_3_PERCENT_COLUMNS = ("trung_binh", "cao", "rat_cao", "tb_to_rat_cao")


def count_from_percent(percent: Decimal | float, base: int) -> int:
    """The integer count whose share of ``base`` is nearest to a published percentage."""
    return int(round_half_up(Decimal(str(percent)) * base / 100, 0))


@dataclass
class PublishedFigures:
    n: int
    gender_by_province: dict[str, dict[str, int]]
    gender_percent: dict[str, dict[str, Decimal]]
    level_counts: dict[str, int]
    level_percent: dict[str, Decimal]
    table3: dict[str, dict[str, int]]
    table3_percent: dict[str, dict[str, Decimal]]
    table3_errata: list[dict] = field(default_factory=list)
    chart1_quoted: dict[str, Decimal] = field(default_factory=dict)
    # "từ X% đến Y%" statements: key -> (activity ids, or () for all; lowest; highest)
    chart1_ranges: dict[str, tuple[tuple[str, ...], Decimal, Decimal]] = field(default_factory=dict)
    # Bảng 3's columns: key -> (the article's header, the column of muc_do_tham_gia.csv)
    table3_columns: dict[str, tuple[str, str]] = field(default_factory=dict)
    table3_row: dict[str, int] = field(default_factory=dict)  # activity id -> row number in Bảng 3
    barriers_block: str = ""
    # share (per cent of n) answering yes for yes/no variables, or of level >= 3 for scale items,
    # or of selection for barriers; None where only a bound was published (e.g. ">50").
    shares: dict[str, Decimal | None] = field(default_factory=dict)
    share_bounds: dict[str, str] = field(default_factory=dict)
    age_range: tuple[int, int] = (0, 0)
    tenure_range: tuple[int, int] = (0, 0)


def _by_label(labels: dict[str, str]) -> dict[str, str]:
    return {fold(label): item for item, label in labels.items()}


def load_published(path: str | Path, codebook: Codebook) -> PublishedFigures:
    """Read the transcription and re-key it by codebook item ids."""
    with Path(path).open(encoding="utf-8") as fh:
        doc = yaml.safe_load(fh)
    keys = doc["codebook_keys"]  # which codebook block or variable each published figure is about
    acts = codebook.block(keys["activities"]).items
    act_by_label = _by_label(acts)
    item_no = dict(enumerate(acts, start=1))  # Bảng 3 numbers its rows in the codebook's order

    table3 = {}
    for row in doc["table_3_participation_level"]:
        item = act_by_label[fold(row["label"])]
        if item != item_no[row["item"]]:
            raise ValueError(f"{path}: Bảng 3 dòng {row['item']} không khớp codebook ({item})")
        table3[item] = {k: int(row[k]) for k in ("n_total", "trung_binh", "cao", "rat_cao", "tb_to_rat_cao")}
    table3_percent = {
        item_no[int(k)]: {c: Decimal(str(v)) for c, v in zip(TABLE_3_PERCENT_COLUMNS, vals, strict=True)}
        for k, vals in doc.get("table_3_published_percent", {}).items()
    }
    errata = [
        {
            "item": item_no[e["item"]],
            "column": e["column"],
            "published": Decimal(str(e["published"])),
            "from_counts": Decimal(str(e["from_counts"])),
        }
        for e in doc.get("table_3_published_percent_errata", [])
    ]
    chart1 = {
        act_by_label[fold(label)]: Decimal(str(v))
        for label, v in doc["chart_1_direct_participation_quoted_percent"].items()
    }
    chart1_ranges = {
        key: (
            tuple(act_by_label[fold(label)] for label in spec.get("activities", ())),
            *(Decimal(str(v)) for v in spec["percent"]),
        )
        for key, spec in doc.get("chart_1_direct_participation_quoted_ranges", {}).items()
    }
    table3_columns = {k: (c["label"], c["column"]) for k, c in doc["table_3_columns"].items()}

    shares: dict[str, Decimal | None] = {}
    bounds: dict[str, str] = {}
    other = doc["other_shares_percent"]
    for key, var in keys["yes_no"].items():
        shares[var] = Decimal(str(other[key]))
    for key, block in keys["ratings"].items():
        by_label = _by_label(codebook.block(block).items)
        for label, v in other[key].items():
            shares[by_label[fold(label)]] = Decimal(str(v))
    barriers = _by_label(codebook.block(keys["barriers"]).items)
    for label, v in doc["chart_2_barriers_percent"].items():
        item = barriers[fold(label)]
        if isinstance(v, str):  # only a bound was published, e.g. ">50"
            shares[item] = None
            bounds[item] = v
        else:
            shares[item] = Decimal(str(v))

    t1 = doc["table_1_gender_by_province"]
    survey = doc["survey"]
    return PublishedFigures(
        n=int(survey["n"]),
        gender_by_province={p: dict(g) for p, g in t1.items() if p != TOTAL_COLUMN},
        gender_percent={
            p: {g: Decimal(str(v)) for g, v in row.items()}
            for p, row in doc.get("table_1_published_percent", {}).items()
        },
        level_counts=dict(doc["administrative_level"]["implied_counts"]),
        level_percent={
            k: Decimal(str(v)) for k, v in doc["administrative_level"]["published_percent"].items()
        },
        table3=table3,
        table3_percent=table3_percent,
        table3_errata=errata,
        chart1_quoted=chart1,
        chart1_ranges=chart1_ranges,
        table3_columns=table3_columns,
        table3_row={item: no for no, item in item_no.items()},
        barriers_block=keys["barriers"],
        shares=shares,
        share_bounds=bounds,
        age_range=tuple(survey["age_range"]),
        tenure_range=tuple(survey["tenure_range"]),
    )


def codebook_problems(path: str | Path, codebook: Codebook) -> list[str]:
    """What the published-figures check needs that the codebook does not declare (checked
    before any job starts)."""
    with Path(path).open(encoding="utf-8") as fh:
        keys = (yaml.safe_load(fh) or {}).get("codebook_keys") or {}
    declared = {b.id: b.kind for b in codebook.blocks}
    wanted = [
        ("activities", keys.get("activities"), "activities"),
        ("barriers", keys.get("barriers"), "multiselect"),
    ]
    wanted += [(f"ratings.{k}", v, "ratings") for k, v in (keys.get("ratings") or {}).items()]
    problems = [
        f"{path}: codebook_keys.{key} cần khối «{block}» (kind: {kind}) "
        f"nhưng codebook {codebook.path} không khai báo"
        for key, block, kind in wanted
        if declared.get(block) != kind
    ]
    for key, var in (keys.get("yes_no") or {}).items():
        if var not in codebook or codebook[var].type != "boolean":
            problems.append(
                f"{path}: codebook_keys.yes_no.{key} cần biến có/không «{var}» không có trong codebook"
            )
    return problems
