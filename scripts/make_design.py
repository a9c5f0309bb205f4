"""Rule survey_design: clean table -> the sampling design (results/design/): each respondent's
weight (trong_so.csv: source row, pseudonym, weight; weights built from totals are a change to
the data, recorded here and in the log), what the methods text says of the design
(thiet_ke.json) and the design-based share of every share indicator, overall and per province,
small cells suppressed on unweighted counts (ty_le_co_trong_so.csv), and of every numeric
question's mean (trung_binh_co_trong_so.csv; header only when the form has none)."""

import json
import logging

import pandas as pd

from chinhquyenso.answered import load_answered
from chinhquyenso.design import stage
from chinhquyenso.safe_text import write_csv
from chinhquyenso.smk import run

log = logging.getLogger(__name__)


def main(smk):
    codebook = load_answered(smk.input.codebook, smk.config["survey"])
    clean = pd.read_parquet(smk.input.table)
    built = stage.build(clean, codebook, smk.params.weighting, smk.input.table)
    s = built.summary
    log.info(
        "thiết kế mẫu: %d tầng, %d PSU, trọng số %s (%s), từ %.4g đến %.4g, n hiệu dụng Kish %.1f",
        s["so_tang"],
        s["so_psu"],
        s["trong_so"],
        smk.params.weighting or "không hiệu chỉnh",
        s["trong_so_nho_nhat"],
        s["trong_so_lon_nhat"],
        s["n_hieu_dung_kish"],
    )
    write_csv(stage.weights_table(clean, codebook, built.design), smk.output.weights)
    shares = stage.weighted_shares(clean, codebook, built.design, smk.params.min_cell, smk.params.confidence)
    write_csv(shares, smk.output.shares)
    means = stage.weighted_means(clean, codebook, built.design, smk.params.min_cell, smk.params.confidence)
    write_csv(means, smk.output.means)
    with open(smk.output.summary, "w", encoding="utf-8") as fh:
        json.dump(s, fh, ensure_ascii=False, indent=2, sort_keys=True)
        fh.write("\n")


run(main, snakemake)  # noqa: F821 - injected by Snakemake
