"""Glue between a Snakemake ``script:`` and the package: logging to the rule's log file."""

from __future__ import annotations

import atexit
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


def failure_paragraph(snakemake: Any, err: BaseException, log_failed: BaseException | None = None) -> str:
    """What the console shows when a rule fails: one paragraph in Vietnamese naming the rule,
    its inputs, the error and where the technical details are (never a traceback, never a
    respondent code: ``redact.scrub``). A disk that refused a write (full, read-only: see
    ``atomic``) is named as such, with the path; ``log_failed``: why the log could not be
    written, when it could not."""
    from .atomic import find_fault
    from .redact import scrub
    from .safe_text import shown

    fault = find_fault(err)
    lines = [line.strip(" -") for line in failure_reason(err).splitlines() if line.strip()]
    what = shown(scrub("; ".join(lines)), 1500)
    inputs = ", ".join(str(p) for p in list(snakemake.input)[:6])
    more = " …" if len(snakemake.input) > 6 else ""
    log = snakemake.log[0]
    if log_failed is not None and find_fault(log_failed) is fault:
        where = "Không có nhật ký kỹ thuật cho lần chạy này."
    elif log_failed is not None:
        where = f"Nhật ký của bước cũng không ghi được: {shown(scrub(_said_any(log_failed)), 1500)}."
    elif fault is not None:
        where = f"Nhật ký của bước: {log}."
    else:
        where = f"Chi tiết kỹ thuật (để báo lỗi cho nhóm phát triển): {log}."
    return f"LỖI ở bước «{snakemake.rule}»: {what}. Đầu vào: {inputs}{more}. {where}"


def failure_reason(err: BaseException) -> str:
    """Why a rule failed, in the words of its error, line breaks kept: a disk that refused a
    write named as such, a lack of memory said in Vietnamese, else the error's own message."""
    from .atomic import find_fault, said

    fault = find_fault(err)
    if fault is not None:
        return said(fault)
    if isinstance(err, MemoryError):
        return "không đủ bộ nhớ"
    return str(err).strip() or type(err).__name__


def _said_any(err: BaseException) -> str:
    from .atomic import find_fault, said

    fault = find_fault(err)
    return said(fault) if fault is not None else f"{type(err).__name__}: {err}"


# Set by the project's Snakemake logger plugin (plugins/snakemake-logger-plugin-chinhquyenso) in
# the run's environment: the plugin ends the run with the failure read from the job's log, so a
# job whose log was written says nothing more on the console.
CONSOLE_PLUGIN_ENV = "CHINHQUYENSO_CONSOLE_PLUGIN"
# The line a failure starts with in the job's log, read back by that plugin.
FAILURE_LINE = "quy tắc %s thất bại: %s"


def plugin_shows_failures() -> bool:
    """Whether the run's console is the project's logger plugin, which ends a failed run with
    the failure read from the job's log (so a job need not say it on the console itself)."""
    return os.environ.get(CONSOLE_PLUGIN_ENV) == "1"


def say(text: str) -> None:
    """``text`` on the real stderr (Snakemake's console), whatever ``sys.stderr`` is now; a
    console that cannot be written is not an error (the job still fails)."""
    try:
        print(text, file=sys.__stderr__, flush=True)
    except (OSError, ValueError, AttributeError):
        try:
            os.write(2, (text + "\n").encode("utf-8"))
        except OSError:
            pass


def _at_exit(snakemake: Any, handle: Any, streams: list, reported: list) -> None:
    """Flush stdout and the log before the interpreter does: Python that cannot flush them at
    exit says so in English, or not at all, and exits 120. A failure not yet reported is said
    in Vietnamese (console, and log when it can still be written) and the job exits 1."""
    for stream in streams:
        stream.flush()  # never raises (atomic.Guarded)
    lost = [s.failed for s in streams if s.failed is not None and s.failed not in reported]
    if not lost:
        return
    log_failed = streams[0].failed
    for problem in lost:
        paragraph = failure_paragraph(snakemake, problem, log_failed)
        logging.getLogger(f"rule.{snakemake.rule}").error(paragraph)  # when the log is lost, dropped
        handle.flush()
        say(paragraph)
    os._exit(1)  # the job fails at its very end; the interpreter would fail the same flush again


def run(main: Callable[[Any], None], snakemake: Any) -> None:
    """Send logging and stderr to the rule's ``log:`` file, then call ``main(snakemake)``.

    An exception is written to the log (its message, then its traceback, once) and the job
    exits with status 1, so it fails and Snakemake removes its partial outputs. Everything
    written to the log goes through ``redact.scrub``: a respondent code the job has read never
    reaches it, whatever the text (an exception's message, a library's warning, the traceback).

    A log or a stdout that cannot be written (a full or read-only disk: ``atomic.Guarded``)
    fails the job, with a Vietnamese paragraph on the console saying why and where, even when
    ``main`` succeeded, and even when it is found out only at exit (no exit 120 without a word).
    """
    from .atomic import LogFile, Stdout
    from .redact import ScrubbedStream

    try:
        logfile = LogFile(snakemake.log[0])
    except OSError as err:
        say(failure_paragraph(snakemake, err, err))
        raise SystemExit(1) from None
    handle = ScrubbedStream(logfile)
    sys.stderr = handle
    streams, reported = [logfile], []
    if sys.stdout is not None:
        sys.stdout = Stdout(sys.stdout)
        streams.append(sys.stdout)
    atexit.register(_at_exit, snakemake, handle, streams, reported)
    logging.basicConfig(
        stream=handle,
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        force=True,
    )
    logging.getLogger("fontTools").setLevel(logging.WARNING)  # per-glyph subsetting chatter
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)  # "Step 5 - Creating…"
    log = logging.getLogger(f"rule.{snakemake.rule}")
    startup = seconds_since_process_start()
    began = time.perf_counter()
    try:
        main(snakemake)
    except Exception as err:
        # the reason, then the traceback once; exiting (not re-raising) keeps Python from
        # printing the same traceback again into the log, which is this process's stderr
        log.error(FAILURE_LINE, snakemake.rule, failure_reason(err), exc_info=err)
        handle.flush()
        plugin_reads_log = plugin_shows_failures() and logfile.failed is None
        if not getattr(err, "shown_on_console", False) and not plugin_reads_log:
            say(failure_paragraph(snakemake, err, logfile.failed))
        elif logfile.failed is not None:
            say(failure_paragraph(snakemake, logfile.failed, logfile.failed))
        reported.append(logfile.failed)
        raise SystemExit(1) from None
    # one machine-readable line per job, read by benchmarks/bench_workflow.py
    log.info(
        "thời_gian khởi_động_s=%s xử_lý_s=%.3f",
        "" if startup is None else f"{startup:.3f}",
        time.perf_counter() - began,
    )
    log.info("xong")
    for stream in streams:
        stream.flush()
    lost = [s.failed for s in streams if s.failed is not None]
    for problem in lost:
        reported.append(problem)
        paragraph = failure_paragraph(snakemake, problem, logfile.failed)
        log.error(paragraph)  # when the log is the one lost, dropped
        handle.flush()
        say(paragraph)
    if lost:
        raise SystemExit(1)
