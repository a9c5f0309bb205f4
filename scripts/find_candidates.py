"""Rule document_candidates: numeric statements of every source text, for next year's curation."""

from pathlib import Path

from chinhquyenso.documents import all_candidates, load_indicators, load_sources
from chinhquyenso.smk import run


def main(smk):
    frame = all_candidates(load_sources(smk.input.sources), Path.cwd(), load_indicators(smk.input.indicators))
    frame.to_csv(smk.output[0], index=False, encoding="utf-8", lineterminator="\n")


run(main, snakemake)  # noqa: F821 - injected by Snakemake
