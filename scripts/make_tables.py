"""Rule descriptive_tables: clean table -> the descriptive tables of the report (CSV)."""

import pandas as pd
from chinhquyenso import tables
from chinhquyenso.codebook import load_codebook
from chinhquyenso.smk import run


def main(smk):
    codebook = load_codebook(smk.input.codebook)
    clean = pd.read_parquet(smk.input.table)
    levels = tables.participation_levels(clean, codebook)
    outputs = {
        "gender": tables.gender_by_province(clean, codebook),
        "admin_levels": tables.category_distribution(clean, codebook, "cap_hanh_chinh"),
        "levels": levels,
        "direct": tables.direct_participation(levels),
        "shares": tables.other_shares(clean, codebook),
        "profile": tables.sample_profile(clean),
    }
    for name, frame in outputs.items():
        tables.write_table(frame, smk.output[name])


run(main, snakemake)  # noqa: F821 - injected by Snakemake
