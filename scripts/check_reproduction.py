"""Rule check_reproduction: computed tables vs the figures published in the article."""

import logging

from chinhquyenso import reproduction
from chinhquyenso.answered import load_answered
from chinhquyenso.published import load_published
from chinhquyenso.safe_text import write_csv
from chinhquyenso.smk import run
from chinhquyenso.tables import read_table

log = logging.getLogger(__name__)


def main(smk):
    codebook = load_answered(smk.input.codebook, smk.config["survey"])
    computed = {name: read_table(smk.input[name]) for name in smk.params.tables}
    result = reproduction.compare(load_published(smk.input.published, codebook), computed, codebook.roles)
    write_csv(reproduction.protect_small(result, int(smk.params.min_cell)), smk.output[0])
    counts = reproduction.summary(result)
    log.info("đối chiếu: %s", counts)
    for row in result[result["trang_thai"] != reproduction.KHOP].itertuples():
        log.info(
            "%s | %s | công bố %s, tính lại %s | %s",
            row.bang,
            row.chi_tieu,
            row.cong_bo,
            row.tinh_duoc,
            row.trang_thai,
        )
    if counts[reproduction.LECH] and smk.params.fail_on_mismatch:
        raise ValueError(
            f"{counts[reproduction.LECH]} số liệu không khớp với số liệu công bố; xem {smk.log[0]}"
        )


run(main, snakemake)  # noqa: F821 - injected by Snakemake
