"""Glue between a Snakemake ``script:`` and the package: logging to the rule's log file."""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Callable
from typing import Any


def seconds_since_process_start() -> float | None:
    """How long this process has existed (Linux /proc; None elsewhere): at the start of a rule's
    work this is the cost of starting Python, Snakemake's script preamble and the imports."""
    try:
        ticks = os.sysconf("SC_CLK_TCK")
        with open("/proc/self/stat", encoding="ascii") as fh:
            start_ticks = int(fh.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/uptime", encoding="ascii") as fh:
            uptime = float(fh.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return max(uptime - start_ticks / ticks, 0.0)


def failure_paragraph(snakemake: Any, err: BaseException) -> str:
    """What the console shows when a rule fails: one paragraph in Vietnamese naming the rule,
    its inputs, the error and where the technical details are (never a traceback, never a
    respondent code: ``redact.scrub``)."""
    from .redact import scrub
    from .safe_text import shown

    if isinstance(err, OSError) and err.errno == 28:  # ENOSPC
        what = "ổ đĩa đã đầy (không ghi thêm được); giải phóng chỗ trống rồi chạy lại"
    elif isinstance(err, MemoryError):
        what = "không đủ bộ nhớ"
    else:
        lines = [line.strip(" -") for line in str(err).strip().splitlines() if line.strip()]
        what = shown(scrub("; ".join(lines) if lines else type(err).__name__), 1500)
    inputs = ", ".join(str(p) for p in list(snakemake.input)[:6])
    more = " …" if len(snakemake.input) > 6 else ""
    return (
        f"LỖI ở bước «{snakemake.rule}»: {what}. Đầu vào: {inputs}{more}. "
        f"Chi tiết kỹ thuật (để báo lỗi cho nhóm phát triển): {snakemake.log[0]}."
    )


def run(main: Callable[[Any], None], snakemake: Any) -> None:
    """Send logging and stderr to the rule's ``log:`` file, then call ``main(snakemake)``.

    An exception is written to the log with its traceback and re-raised, so the job fails
    and Snakemake removes its partial outputs. Everything written to the log goes through
    ``redact.scrub``: a respondent code the job has read never reaches it, whatever the text
    (an exception's message, a library's warning, the final traceback).
    """
    from .redact import ScrubbedStream

    log_path = snakemake.log[0]
    handle = ScrubbedStream(open(log_path, "w", encoding="utf-8"))  # noqa: SIM115 - lives as long as the job
    sys.stderr = handle
    logging.basicConfig(
        stream=handle,
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        force=True,
    )
    logging.getLogger("fontTools").setLevel(logging.WARNING)  # per-glyph subsetting chatter
    log = logging.getLogger(f"rule.{snakemake.rule}")
    startup = seconds_since_process_start()
    began = time.perf_counter()
    try:
        main(snakemake)
    except Exception as err:
        log.exception("quy tắc %s thất bại", snakemake.rule)
        handle.flush()
        if not getattr(err, "shown_on_console", False):
            print(failure_paragraph(snakemake, err), file=sys.__stderr__)
        raise
    # one machine-readable line per job, read by benchmarks/bench_workflow.py
    log.info(
        "thoi_gian khoi_dong_s=%s xu_ly_s=%.3f",
        "" if startup is None else f"{startup:.3f}",
        time.perf_counter() - began,
    )
    log.info("xong")
    handle.flush()
