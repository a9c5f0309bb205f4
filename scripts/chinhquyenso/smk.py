"""Glue between a Snakemake ``script:`` and the package: logging to the rule's log file."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import Any


def run(main: Callable[[Any], None], snakemake: Any) -> None:
    """Send logging and stderr to the rule's ``log:`` file, then call ``main(snakemake)``.

    An exception is written to the log with its traceback and re-raised, so the job fails
    and Snakemake removes its partial outputs.
    """
    log_path = snakemake.log[0]
    handle = open(log_path, "w", encoding="utf-8")  # noqa: SIM115 - lives as long as the job
    sys.stderr = handle
    logging.basicConfig(
        stream=handle,
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        force=True,
    )
    logging.getLogger("fontTools").setLevel(logging.WARNING)  # per-glyph subsetting chatter
    log = logging.getLogger(f"rule.{snakemake.rule}")
    try:
        main(snakemake)
    except Exception:
        log.exception("quy tắc %s thất bại", snakemake.rule)
        handle.flush()
        raise
    log.info("xong")
    handle.flush()
