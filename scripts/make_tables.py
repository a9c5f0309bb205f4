"""Rules descriptive_tables and province_tables: clean table -> the raw descriptive tables (CSV,
results/internal/tables/; the disclosure stage protects them before anything publishes them).

descriptive_tables writes the whole sample's tables; province_tables (params.provinces: file-name
slug -> province) writes, from one read of the clean table, one folder per province with at
least report.min_cell respondents (results/internal/tables/tinh/<slug>/). A province with fewer
gets no report of its own: none of its tables could be published; its respondents still count
in the overall report, where the disclosure stage protects them in the sums.
"""

import logging
from pathlib import Path

import pandas as pd

from chinhquyenso import products, tables
from chinhquyenso.answered import load_answered
from chinhquyenso.smk import run

log = logging.getLogger(__name__)


def main(smk):
    codebook = load_answered(smk.input.codebook, smk.config["survey"])
    clean = pd.read_parquet(smk.input.table)
    args = (codebook, smk.params.tenure_bands)
    provinces = getattr(smk.params, "provinces", None)
    if provinces is None:
        for name, frame in tables.compute_all(clean, *args).items():
            tables.write_table(frame, smk.output[name])
        return
    folder = Path(smk.output[0])
    folder.mkdir(parents=True, exist_ok=True)
    by_province = dict(tuple(clean.groupby(codebook.role("province"), sort=False, observed=True)))
    ids = {p.key: p.id for p in products.tables(codebook)}
    written = []
    for slug, province in provinces.items():
        if province not in by_province:
            log.info("tỉnh «%s» có trong codebook nhưng không có người trả lời: không lập báo cáo", province)
            continue
        if len(by_province[province]) < smk.params.min_cell:
            log.info(
                "tỉnh «%s» có ít người trả lời hơn ngưỡng công bố (report.min_cell = %d): không lập báo cáo "
                "riêng; số liệu của tỉnh nằm trong báo cáo chung",
                province,
                smk.params.min_cell,
            )
            continue
        (folder / slug).mkdir()
        written.append(slug)
        part = by_province[province].reset_index(drop=True)
        for name, frame in tables.compute_all(part, *args).items():
            tables.write_table(frame, folder / slug / f"{ids[name]}.csv")
    for path in products.remove_old_province_reports(Path("results/report"), written):
        log.info("xóa báo cáo tỉnh của lần chạy trước không còn lập: %s", path)


run(main, snakemake)  # noqa: F821 - injected by Snakemake
