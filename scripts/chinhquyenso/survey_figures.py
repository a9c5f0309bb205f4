"""Which survey charts a form gives, and drawing them from the descriptive tables.

A chart's id is the stem of its SVG under results/figures/ (and of the province copies under
results/figures/tinh/<slug>/); ``survey_figures`` lists them from the codebook's blocks and roles,
so the workflow, the report and the README all use the same names.
"""

from __future__ import annotations

import pandas as pd

from . import figures, products
from .codebook import Codebook
from .plan import breakdown_titles, survey_figures


def draw(figure_id: str, table: pd.DataFrame, codebook: Codebook):
    """The matplotlib figure of one chart id, from its table: the registry names the function
    (``products.Product.compute``); what else it needs comes from the codebook."""
    product = products.figures(codebook)[figure_id]
    chart = getattr(figures, product.compute.split(".")[-1])
    acts = codebook.activities
    extra = {
        "level_chart": lambda: (acts.scale.labels,),
        "breakdown_chart": lambda: (breakdown_titles(codebook), acts.scale.band_label(acts.scale.high_from)),
        "choice_chart": lambda: (figure_id.removeprefix(f"{product.id}_"),),  # the block's id
    }
    if "chieu" in table and "nhom" in table:  # groups print as the codebook labels them
        table = table.assign(
            nhom=[codebook.display(c, v) for c, v in zip(table["chieu"], table["nhom"], strict=True)]
        )
    return chart(table, *extra.get(chart.__name__, tuple)())


def draw_all(tables: dict[str, str], codebook: Codebook, outputs: dict[str, list[str]]) -> None:
    """Draw every chart of ``outputs`` (chart id -> files) from ``tables`` (table key -> CSV)."""
    from .tables import read_table

    plan = survey_figures(codebook)
    for figure_id, files in outputs.items():
        figures.save(draw(figure_id, read_table(tables[plan[figure_id]]), codebook), files)
