"""The registry of what the project publishes: every descriptive table and survey chart, with
where it is made, what it needs, where it applies and how it is protected.

Light on purpose (no pandas): the workflow reads it while Snakemake builds the job graph. An id is
the stem of the file (results/tables/<id>.csv, results/figures/<id>.svg) and keeps that name in
the report, the numbering list and the README; ``key`` is the short name the report's context
uses. Adding a table is an entry here, a function (``compute``) and a partial that prints it;
the workflow's outputs, the province reports' inputs, the disclosure stage and the chart
dispatch all follow from this list.

Disclosure rule of a table (``counts``, ``derived``): ``counts`` are its columns of respondent
counts (cells the disclosure stage may hide); ``derived`` maps a column computed from those counts
to the count column it reveals (left blank with it). How the cells add up (margins, bases, the
provinces to the whole sample) is ``disclosure.cells``' business, one function per table key.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .codebook import Codebook

SHARE_KINDS = ("indicators", "ratings", "multiselect")
# Results of the respondents' answers before disclosure control: nothing publishes or attaches
# them (the reproduction check reads them to compare raw counts with the article).
INTERNAL_TABLES = "results/internal/tables"
PUBLISHED_TABLES = "results/tables"
SCOPES = ("sample", "province")


def breakdown_dimensions(codebook: Codebook) -> list[str]:
    """Roles the breakdown table splits by, among those the form has."""
    return [r for r in ("gender", "admin_level", "tenure") if codebook.role(r)]


@dataclass(frozen=True)
class Product:
    id: str  # file stem; a figure with ``each`` has one file per block: <id>_<block id>
    kind: str  # "table" | "figure"
    needs: Callable[[Codebook], bool]  # does this form give it?
    compute: str  # the function that makes it (package-relative), for the README and the dispatch
    key: str = ""  # tables: the name in the report's context and the rule's inputs
    source: str = ""  # figures: key of the table it is drawn from
    each: str = ""  # figures: one per block of this kind
    scope: tuple[str, ...] = SCOPES
    counts: tuple[str, ...] = ()
    derived: dict[str, str] = field(default_factory=dict)

    @property
    def stage(self) -> str:
        return "tables" if self.kind == "table" else "figures"


def _has_activities(book: Codebook) -> bool:
    return book.activities is not None


PRODUCTS: tuple[Product, ...] = (
    Product(
        "bang_gioi_tinh_theo_tinh",
        "table",
        lambda b: bool(b.role("province") and b.role("gender")),
        "tables.gender_by_province",
        key="gender",
        counts=("n", "co_so"),
    ),
    Product(
        "cap_hanh_chinh",
        "table",
        lambda b: bool(b.role("admin_level")),
        "tables.category_distribution",
        key="admin_levels",
        counts=("n", "n_tra_loi"),
    ),
    Product(
        "muc_do_tham_gia",
        "table",
        _has_activities,
        "tables.participation_levels",
        key="levels",
        counts=("n_*", "n_tham_gia"),  # every level column, the summary band and the base
    ),
    Product(
        "tham_gia_truc_tiep",
        "table",
        _has_activities,
        "tables.direct_participation",
        key="direct",
        counts=("n",),
        derived={"ty_le": "n"},
    ),
    Product(
        "ty_le_khac",
        "table",
        lambda b: bool(b.blocks_of(*SHARE_KINDS)),
        "tables.other_shares",
        key="shares",
        counts=("n",),
    ),
    Product(
        "phan_bo_lua_chon",
        "table",
        lambda b: bool(b.blocks_of("single_choice")),
        "tables.choice_distribution",
        key="choices",
        counts=("n", "co_so"),
    ),
    Product(
        "thong_ke_so",
        "table",
        lambda b: bool(b.blocks_of("numeric")),
        "tables.numeric_summary",
        key="numeric",
        counts=("n",),
        derived={"nho_nhat": "n", "trung_vi": "n", "trung_binh": "n", "lon_nhat": "n"},
    ),
    Product("ho_so_mau", "table", lambda b: True, "tables.sample_profile", key="profile"),
    Product(
        "theo_nhom",
        "table",
        lambda b: _has_activities(b) and bool(breakdown_dimensions(b)),
        "tables.breakdowns",
        key="breakdowns",
        counts=("n",),
        derived={"n_luot_tham_gia": "n", "n_luot_co_the": "n", "n_luot_cao": "n"},
    ),
    Product(
        "bieu_do_1_tham_gia_truc_tiep",
        "figure",
        _has_activities,
        "figures.direct_participation_chart",
        source="direct",
    ),
    Product("bieu_do_muc_do", "figure", _has_activities, "figures.level_chart", source="levels"),
    Product(
        "bieu_do",
        "figure",
        lambda b: bool(b.blocks_of("multiselect")),
        "figures.choice_chart",
        source="shares",
        each="multiselect",
    ),
    Product(
        "bieu_do_theo_nhom",
        "figure",
        lambda b: _has_activities(b) and bool(breakdown_dimensions(b)),
        "figures.breakdown_chart",
        source="breakdowns",
    ),
)


def tables(codebook: Codebook) -> list[Product]:
    """The descriptive tables this form gives, in registry order."""
    return [p for p in PRODUCTS if p.kind == "table" and p.needs(codebook)]


def by_key(key: str) -> Product:
    return next(p for p in PRODUCTS if p.kind == "table" and p.key == key)


def figures(codebook: Codebook) -> dict[str, Product]:
    """Chart id -> its registry entry, for the charts this form gives, in report order."""
    out = {}
    for p in PRODUCTS:
        if p.kind != "figure" or not p.needs(codebook):
            continue
        if p.each:
            out.update({f"{p.id}_{block.id}": p for block in codebook.blocks_of(p.each)})
        else:
            out[p.id] = p
    return out


def table_files(codebook: Codebook, folder: str = PUBLISHED_TABLES) -> dict[str, str]:
    """Table key -> CSV path under ``folder``, for the tables this form gives."""
    return {p.key: f"{folder}/{p.id}.csv" for p in tables(codebook)}


def province_table_files(codebook: Codebook, slug: str, folder: str = PUBLISHED_TABLES) -> dict[str, str]:
    """Table key -> CSV path of one province's tables (``slug``: the file-name form of its name)."""
    return {
        k: v.replace(f"{folder}/", f"{folder}/tinh/{slug}/") for k, v in table_files(codebook, folder).items()
    }


def remove_old_province_reports(folder: Path, current: list[str]) -> list[Path]:
    """Delete the province reports (PDF, HTML, Word, numbering list, workbook) of an earlier run
    whose province no longer gets one (it lost its respondents, or fell under the threshold): they
    would stay published, since Snakemake never removes the outputs of jobs it no longer plans."""
    removed = []
    for path in sorted([*folder.glob("bao_cao_tinh_*"), *folder.glob("bang_bieu_tinh_*")]):
        name = path.name.removeprefix("bao_cao_tinh_").removeprefix("bang_bieu_tinh_")
        slug = name.split(".")[0].removesuffix("_bang_bieu")
        if slug not in current:
            path.unlink()
            removed.append(path)
    return removed
