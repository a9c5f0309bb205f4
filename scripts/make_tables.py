"""Rule descriptive_tables: clean table -> the descriptive tables of the report (CSV)."""

import pandas as pd

from chinhquyenso import tables
from chinhquyenso.codebook import load_codebook
from chinhquyenso.smk import run


def main(smk):
    codebook = load_codebook(smk.input.codebook)
    clean = pd.read_parquet(smk.input.table)
    province = getattr(smk.params, "province", None)
    if province:  # a province report: that province's respondents only
        clean = clean[clean["tinh"] == province].reset_index(drop=True)
    outputs = tables.compute_all(clean, codebook, smk.params.tenure_bands, smk.params.min_cell)
    for name, frame in outputs.items():
        tables.write_table(frame, smk.output[name])


run(main, snakemake)  # noqa: F821 - injected by Snakemake
