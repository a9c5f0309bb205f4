"""Rule protect_tables: the raw tables of the whole sample and of every province with respondents
-> the published tables (small cells and what would reveal them hidden) and a count of hidden
cells per table. Province tables sit in one folder per province (results/[internal/]tables/tinh/)."""

from pathlib import Path

from chinhquyenso import products, tables
from chinhquyenso.answered import load_answered
from chinhquyenso.disclosure import protect_tables
from chinhquyenso.safe_text import write_csv
from chinhquyenso.smk import run


def main(smk):
    book = load_answered(smk.input.codebook, smk.config["survey"])
    ids = {p.key: p.id for p in products.tables(book)}
    raw = {"": {key: tables.read_table(smk.input[key]) for key in ids}}
    if hasattr(smk.input, "provinces"):
        source = Path(smk.input.provinces)
        for slug, name in smk.params.provinces.items():
            if (source / slug).is_dir():
                raw[name] = {key: tables.read_table(source / slug / f"{i}.csv") for key, i in ids.items()}
    published, summary = protect_tables(raw, book, int(smk.params.min_cell))
    for key, frame in published.pop("").items():
        tables.write_table(frame, smk.output[key])
    slugs = {name: slug for slug, name in smk.params.provinces.items()}
    for name, frames in published.items():
        folder = Path(smk.output.provinces) / slugs[name]
        folder.mkdir(parents=True, exist_ok=True)
        for key, frame in frames.items():
            tables.write_table(frame, folder / f"{ids[key]}.csv")
    if hasattr(smk.output, "provinces"):
        Path(smk.output.provinces).mkdir(parents=True, exist_ok=True)
    write_csv(summary, smk.output.summary)


run(main, snakemake)  # noqa: F821 - injected by Snakemake
