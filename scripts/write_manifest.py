"""Rule manifest: results/manifest.json — versions, commit, config, SHA-256 of inputs and outputs."""

from pathlib import Path

from chinhquyenso import manifest
from chinhquyenso.smk import run


def main(smk):
    data = manifest.build(
        Path.cwd(), list(smk.params.inputs), Path("results"), smk.params.config, exclude={smk.output[0]}
    )
    manifest.write(data, smk.output[0])


run(main, snakemake)  # noqa: F821 - injected by Snakemake
