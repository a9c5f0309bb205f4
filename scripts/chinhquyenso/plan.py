"""What a form gives: its descriptive tables and survey charts, from the codebook's roles and blocks.

Light on purpose (no pandas): the workflow reads it while Snakemake builds the job graph. A
table's or chart's id is the stem of its file (results/tables/<id>.csv, results/figures/<id>.svg)
and keeps that name in the report and the README.
"""

from __future__ import annotations

from .codebook import Codebook

SHARE_KINDS = ("indicators", "ratings", "multiselect")

# Table key -> file stem under results/tables/. Which tables a form has depends on its roles
# and blocks (``table_keys``).
TABLE_FILES = {
    "gender": "bang_gioi_tinh_theo_tinh",
    "admin_levels": "cap_hanh_chinh",
    "levels": "muc_do_tham_gia",
    "direct": "tham_gia_truc_tiep",
    "shares": "ty_le_khac",
    "choices": "phan_bo_lua_chon",
    "numeric": "thong_ke_so",
    "profile": "ho_so_mau",
    "breakdowns": "theo_nhom",
}


def breakdown_dimensions(codebook: Codebook) -> list[str]:
    """Roles the breakdown table splits by, among those the form has."""
    return [r for r in ("gender", "admin_level", "tenure") if codebook.role(r)]


def table_keys(codebook: Codebook) -> list[str]:
    """The descriptive tables this form gives, in TABLE_FILES order."""
    has = {
        "gender": bool(codebook.role("province") and codebook.role("gender")),
        "admin_levels": bool(codebook.role("admin_level")),
        "levels": codebook.activities is not None,
        "direct": codebook.activities is not None,
        "shares": bool(codebook.blocks_of(*SHARE_KINDS)),
        "choices": bool(codebook.blocks_of("single_choice")),
        "numeric": bool(codebook.blocks_of("numeric")),
        "profile": True,
        "breakdowns": codebook.activities is not None and bool(breakdown_dimensions(codebook)),
    }
    return [k for k in TABLE_FILES if has[k]]


def table_files(codebook: Codebook, folder: str = "results/tables") -> dict[str, str]:
    """Table key -> CSV path, for the tables this form gives."""
    return {k: f"{folder}/{TABLE_FILES[k]}.csv" for k in table_keys(codebook)}


def survey_figures(codebook: Codebook) -> dict[str, str]:
    """Chart id -> the table key it is drawn from, in report order."""
    keys = table_keys(codebook)
    out = {}
    if codebook.activities is not None:
        out["bieu_do_1_tham_gia_truc_tiep"] = "direct"
        out["bieu_do_muc_do"] = "levels"
    for block in codebook.blocks_of("multiselect"):
        out[f"bieu_do_{block.id}"] = "shares"
    if "breakdowns" in keys:
        out["bieu_do_theo_nhom"] = "breakdowns"
    return out


def breakdown_titles(codebook: Codebook) -> dict[str, str]:
    """Panel title or table stub of each breakdown dimension (``chieu`` of tables.breakdowns)."""
    out = {}
    for role in breakdown_dimensions(codebook):
        var = codebook.role(role)
        out[f"{var}_nhom" if role == "tenure" else var] = codebook[var].short_label or var
    return out


def has_predictions(codebook: Codebook, models: dict) -> bool:
    """Whether the models give predictions (drawn along tenure): the form has a tenure role and
    the models use it as a covariate (config ``models.covariates``)."""
    tenure = codebook.role("tenure")
    return codebook.activities is not None and bool(tenure) and tenure in (models.get("covariates") or {})
