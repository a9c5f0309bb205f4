"""Rules descriptive_tables and province_tables: clean table -> the raw descriptive tables (CSV,
results/internal/tables/; the disclosure stage protects them before anything publishes them).

descriptive_tables writes the whole sample's tables; province_tables (params.provinces: file-name
slug -> province) writes every province's, from one read of the clean table.
"""

import pandas as pd

from chinhquyenso import tables
from chinhquyenso.codebook import load_codebook
from chinhquyenso.smk import run


def main(smk):
    codebook = load_codebook(smk.input.codebook)
    clean = pd.read_parquet(smk.input.table)
    args = (codebook, smk.params.tenure_bands)
    provinces = getattr(smk.params, "provinces", None)
    if not provinces:
        for name, frame in tables.compute_all(clean, *args).items():
            tables.write_table(frame, smk.output[name])
        return
    by_province = dict(tuple(clean.groupby(codebook.role("province"), sort=False, observed=True)))
    for slug, province in provinces.items():
        if province not in by_province:
            raise ValueError(
                f"{smk.input.codebook}: tỉnh «{province}» có trong codebook nhưng không có người trả lời nào "
                f"trong {smk.input.table}; bỏ tỉnh này khỏi codebook để không tạo báo cáo tỉnh rỗng"
            )
        part = by_province[province].reset_index(drop=True)
        for name, frame in tables.compute_all(part, *args).items():
            tables.write_table(frame, smk.output[f"{slug}__{name}"])


run(main, snakemake)  # noqa: F821 - injected by Snakemake
