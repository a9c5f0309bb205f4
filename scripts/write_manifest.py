"""Rule manifest: results/manifest.json (published outputs) and results/internal/manifest.json (clean
data, raw tables, validation) — versions, commit, config, SHA-256 of inputs and outputs."""

from pathlib import Path

from chinhquyenso import manifest
from chinhquyenso.smk import run


def main(smk):
    exclude = {smk.output.published, smk.output.internal}
    for path, internal in ((smk.output.published, False), (smk.output.internal, True)):
        data = manifest.build(
            Path.cwd(), list(smk.params.inputs), Path("results"), smk.params.config, exclude, internal
        )
        manifest.write(data, path)


run(main, snakemake)  # noqa: F821 - injected by Snakemake
