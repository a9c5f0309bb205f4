"""Rule protect_tables: the raw tables of the whole sample and of every province -> the published
tables (small cells and what would reveal them hidden) and a count of hidden cells per table."""

from chinhquyenso import tables
from chinhquyenso.codebook import load_codebook
from chinhquyenso.disclosure import protect_tables
from chinhquyenso.safe_text import write_csv
from chinhquyenso.smk import run


def main(smk):
    book = load_codebook(smk.input.codebook)
    inp, provinces = dict(smk.input.items()), smk.params.provinces
    prefixes = {"": ""} | {name: f"{slug}__" for slug, name in provinces.items()}
    raw = {
        pop: {key: tables.read_table(inp[f"{prefix}{key}"]) for key in smk.params.tables}
        for pop, prefix in prefixes.items()
    }
    published, summary = protect_tables(raw, book, int(smk.params.min_cell))
    for pop, prefix in prefixes.items():
        for key, frame in published[pop].items():
            tables.write_table(frame, smk.output[f"{prefix}{key}"])
    write_csv(summary, smk.output.summary)


run(main, snakemake)  # noqa: F821 - injected by Snakemake
