"""Which survey charts a form gives, and drawing them from the descriptive tables.

A chart's id is the stem of its SVG under results/figures/ (and of the province copies under
results/figures/tinh/<slug>/); ``survey_figures`` lists them from the codebook's blocks and roles,
so the workflow, the report and the README all use the same names.
"""

from __future__ import annotations

import pandas as pd

from . import figures
from .codebook import Codebook
from .plan import breakdown_titles, survey_figures


def draw(figure_id: str, table: pd.DataFrame, codebook: Codebook):
    """The matplotlib figure of one chart id, from its table."""
    acts = codebook.activities
    if figure_id == "bieu_do_1_tham_gia_truc_tiep":
        return figures.direct_participation_chart(table)
    if figure_id == "bieu_do_muc_do":
        return figures.level_chart(table, acts.scale.labels)
    if figure_id == "bieu_do_theo_nhom":
        return figures.breakdown_chart(
            table, breakdown_titles(codebook), acts.scale.band_label(acts.scale.high_from)
        )
    return figures.choice_chart(table, figure_id.removeprefix("bieu_do_"))


def draw_all(tables: dict[str, str], codebook: Codebook, outputs: dict[str, list[str]]) -> None:
    """Draw every chart of ``outputs`` (chart id -> files) from ``tables`` (table key -> CSV)."""
    from .tables import read_table

    plan = survey_figures(codebook)
    for figure_id, files in outputs.items():
        figures.save(draw(figure_id, read_table(tables[plan[figure_id]]), codebook), files)
