"""What a form gives, as the workflow asks it: table files and survey charts from the registry
(``products``), and the breakdown and prediction settings read from the codebook.

Light on purpose (no pandas): the workflow reads it while Snakemake builds the job graph.
"""

from __future__ import annotations

from . import products
from .codebook import Codebook
from .products import SHARE_KINDS, breakdown_dimensions  # noqa: F401 - the plan's vocabulary

TABLE_FILES = {p.key: p.id for p in products.PRODUCTS if p.kind == "table"}


def table_keys(codebook: Codebook) -> list[str]:
    """The descriptive tables this form gives, in registry order."""
    return [p.key for p in products.tables(codebook)]


def table_files(codebook: Codebook, folder: str = products.PUBLISHED_TABLES) -> dict[str, str]:
    """Table key -> CSV path, for the tables this form gives."""
    return products.table_files(codebook, folder)


def survey_figures(codebook: Codebook) -> dict[str, str]:
    """Chart id -> the table key it is drawn from, in report order."""
    return {fid: p.source for fid, p in products.figures(codebook).items()}


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
