"""Rule document_candidates: numeric statements of every source text, for next year's curation."""

from pathlib import Path

from chinhquyenso.document_candidates import all_candidates
from chinhquyenso.documents import load_indicators, load_sources
from chinhquyenso.safe_text import write_csv
from chinhquyenso.smk import run


def main(smk):
    frame = all_candidates(load_sources(smk.input.sources), Path.cwd(), load_indicators(smk.input.indicators))
    write_csv(frame, smk.output[0])


run(main, snakemake)  # noqa: F821 - injected by Snakemake
