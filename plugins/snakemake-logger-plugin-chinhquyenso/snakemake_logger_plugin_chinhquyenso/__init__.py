"""Snakemake logger plugin of the chinhquyenso workflow: the run's console in Vietnamese.

Used by every `snakemake` run of the workflow (the workflow profile profiles/default/ sets
`logger: chinhquyenso`; `make report` is such a run): one line per finished stage with the
run's progress, then a closing summary (where the reports are, the warnings that
matter, the total time) or, when the run failed, a Vietnamese paragraph saying which stage
failed, why and where the log is. Progress is jobs done out of Snakemake's count, the count
left out while a checkpoint may still add jobs. Snakemake's own job blocks go only to its log file
(.snakemake/log/), as always; `--logger-chinhquyenso-verbose` shows them on screen too. A dry
run (-n) is shown as Snakemake shows it.
"""

import logging
import os
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from snakemake_interface_logger_plugins.base import LogHandlerBase
from snakemake_interface_logger_plugins.common import LogEvent
from snakemake_interface_logger_plugins.settings import LogHandlerSettingsBase

from . import failure, summary, vn
from .stages import Board, Stage, label, stage_of

# chinhquyenso.smk.CONSOLE_PLUGIN_ENV: a job whose log holds its failure leaves the console to us
CONSOLE_PLUGIN_ENV = "CHINHQUYENSO_CONSOLE_PLUGIN"
NOTHING_TO_DO = "Nothing to be done"
COMPLETE_LOG = "Complete log(s): "
MAX_FAILED_SHOWN = 3


# No `from __future__ import annotations` here: Snakemake reads the field's type (bool: a switch).
@dataclass
class LogHandlerSettings(LogHandlerSettingsBase):
    verbose: bool = field(
        default=False,
        metadata={
            "help": "Hiện cả các khối thông tin từng việc của Snakemake (tiếng Anh) trên màn hình; "
            "mặc định chúng chỉ được ghi vào nhật ký .snakemake/log/.",
        },
    )


class LogHandler(LogHandlerBase):
    def __post_init__(self) -> None:
        self.stream = sys.stdout if self.common_settings.stdout else sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        verbose = bool(getattr(self.settings, "verbose", False))
        self.passthrough = verbose or bool(self.common_settings.dryrun)
        self.stock_format, self.stock_filter = _stock(self.common_settings)
        self.began = time.monotonic()
        self.board = Board()
        self.job_rule: dict[int, tuple[str, str | None, list[str]]] = {}
        self.made: list[str] = []
        self.job_errors: list[dict] = []
        self.errors: list[tuple[str, str | None]] = []
        self.held: list[logging.LogRecord] = []  # messages of a command that runs no workflow
        self.done = self.total = self.cores = 0  # total 0: not known yet
        self.checkpoints: set[int] = set()  # checkpoint jobs running: their end adds jobs
        self.stale_totals = 0  # progress events still counting the jobs before a checkpoint
        self.started = self.nothing_to_do = self.headed = self.closed = False
        self.warnings = 0
        self.logfile: str | None = None
        self.bar_shown = False
        os.environ[CONSOLE_PLUGIN_ENV] = "1"  # inherited by the jobs this process starts

    # --- Snakemake's handler interface -------------------------------------------------------
    @property
    def writes_to_stream(self) -> bool:
        return True

    @property
    def writes_to_file(self) -> bool:
        return False

    @property
    def has_filter(self) -> bool:
        return True

    @property
    def has_formatter(self) -> bool:
        return True

    @property
    def needs_rulegraph(self) -> bool:
        return False

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self._emit(record)
        except Exception:
            self.handleError(record)

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            try:
                self._finish()
            except Exception:
                self.handleError(logging.makeLogRecord({"msg": "tóm tắt cuối"}))
        super().close()

    # --- events -----------------------------------------------------------------------------
    def _emit(self, record: logging.LogRecord) -> None:
        event = getattr(record, "event", None)
        if event == LogEvent.ERROR:
            self.errors.append((record.getMessage(), getattr(record, "exception", None)))
            return
        if event == LogEvent.JOB_ERROR:
            self.job_errors.append({"rule": record.rule_name, "log": list(record.log or [])})
            return
        if self.passthrough:
            self._stock(record)
        handler = {
            LogEvent.WORKFLOW_STARTED: self._workflow_started,
            LogEvent.RESOURCES_INFO: self._resources,
            LogEvent.RUN_INFO: self._run_info,
            LogEvent.JOB_STARTED: lambda r: self.board.started(r.jobs),
            LogEvent.JOB_INFO: self._job_info,
            LogEvent.JOB_FINISHED: self._job_finished,
            LogEvent.PROGRESS: self._progress,
            None: self._plain,
        }.get(event)
        if handler is not None:
            handler(record)

    def _workflow_started(self, record: logging.LogRecord) -> None:
        self.started = True
        self.held.clear()

    def _resources(self, record: logging.LogRecord) -> None:
        self.cores = getattr(record, "cores", None) or self.cores

    def _run_info(self, record: logging.LogRecord) -> None:
        stats = getattr(record, "stats", None) or {}
        if not self.checkpoints:
            self.total = max(self.total, int(stats.get("total", 0)))
        if not self.headed and not self.passthrough:
            self.headed = True
            cores = f" trên {self.cores} lõi CPU" if self.cores else ""
            self._line(f"Chạy quy trình{cores}: mỗi giai đoạn một dòng khi xong.")

    def _job_info(self, record: logging.LogRecord) -> None:
        logs, outputs = list(record.log or []), list(record.output or [])
        key = stage_of(record.rule_name, logs, outputs)
        self.job_rule[record.jobid] = (record.rule_name, key, logs)
        if getattr(record, "is_checkpoint", False):
            # the jobs its output brings are not counted yet: no total until they are
            self.checkpoints.add(record.jobid)
            self.total = 0
        self.made += outputs
        self._stage_lines(self.board.job_info(record.jobid, key))

    def _job_finished(self, record: logging.LogRecord) -> None:
        if record.job_id in self.checkpoints:
            # Snakemake counts this job's end before it adds the jobs the checkpoint brings
            self.checkpoints.discard(record.job_id)
            self.stale_totals += 1
        self._stage_lines(self.board.job_finished(record.job_id))

    def _progress(self, record: logging.LogRecord) -> None:
        self.done = record.done
        if self.stale_totals:
            self.stale_totals -= 1
        elif not self.checkpoints:
            self.total = record.total
        self._bar()

    def _count(self) -> str:
        """Jobs done, and out of how many once that is known (after the checkpoints)."""
        return f"{self.done}/{self.total}" if self.total else str(self.done)

    def _plain(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if text.startswith(COMPLETE_LOG):
            self.logfile = _shown_path(text[len(COMPLETE_LOG) :].split(",")[0].strip())
        elif text.startswith(NOTHING_TO_DO):
            self.nothing_to_do = True
        elif record.levelno >= logging.WARNING:
            self.warnings += 1
        if not self.started:
            self.held.append(record)

    # --- output -----------------------------------------------------------------------------
    def _stock(self, record: logging.LogRecord) -> None:
        if self.stock_filter.filter(record):
            text = self.stock_format.format(record)
            if text and text != "None":
                self._line(text)

    def _line(self, text: str) -> None:
        if self.bar_shown:
            self.stream.write("\r\033[K")
            self.bar_shown = False
        self.stream.write(text + "\n")
        self.stream.flush()

    def _bar(self) -> None:
        if not self.tty or self.passthrough or not self.headed:  # headed: the run's first line
            return
        now = ", ".join(self.board.running_labels())
        if self.total:
            width = 24
            filled = width * self.done // self.total
            bar = "█" * filled + "░" * (width - filled)
            text = f"[{bar}] {self.done}/{self.total} ({vn.percent(self.done, self.total)})"
        else:
            text = f"Đã xong {vn.integer(self.done)} việc"
        text += f" · đang làm: {now}" if now else ""
        columns = shutil.get_terminal_size((80, 24)).columns
        self.stream.write("\r\033[K" + text[: columns - 1])
        self.stream.flush()
        self.bar_shown = True

    def _stage_lines(self, stages: list[Stage]) -> None:
        for stage in stages:
            if self.passthrough or not stage.jobs:
                continue
            took = vn.duration(stage.ended - (stage.began or stage.ended))
            jobs = f"{stage.jobs} việc, " if stage.jobs > 1 else ""
            again = " (tiếp)" if stage.lines else ""  # more of its jobs came after its line
            counted = self.done or self.total  # nothing to show before Snakemake's first count
            where = f"[{self._count()}] " if counted and not self.tty else ""
            self._line(f"{where}{label(stage.key)}{again} … xong ({jobs}{took})")
            stage.lines += 1
            stage.jobs, stage.began = 0, None
        self._bar()

    def _finish(self) -> None:
        self._stage_lines(self.board.remaining())
        root = Path.cwd()
        if self.job_errors:
            lines = self._failed_jobs(root)
        elif self.errors:
            lines = self._held_messages()
            for message, exception in dict.fromkeys(self.errors):
                lines += failure.error_paragraph(message, exception)
        elif self.common_settings.dryrun:
            return
        elif not self.started and not self.nothing_to_do:
            lines = self._held_messages()
        else:
            lines = self._success(root)
        for line in lines:
            self._line(line)

    def _held_messages(self) -> list[str]:
        texts = (self.stock_format.format(r) for r in self.held if self.stock_filter.filter(r))
        return [t for t in texts if t and t != "None" and not self.passthrough]

    def _failed_jobs(self, root: Path) -> list[str]:
        lines = []
        for error in self.job_errors[:MAX_FAILED_SHOWN]:
            key = stage_of(error["rule"], error["log"], [])
            lines += failure.job_paragraph(error["rule"], label(key or error["rule"]), error["log"], root)
        if len(self.job_errors) > MAX_FAILED_SHOWN:
            lines.append(f"… và {len(self.job_errors) - MAX_FAILED_SHOWN} bước khác cũng thất bại.")
        if self.logfile:
            lines.append(f"Nhật ký đầy đủ của Snakemake: {self.logfile}")
        return lines

    def _success(self, root: Path) -> list[str]:
        took = vn.duration(time.monotonic() - self.began)
        if self.nothing_to_do and not self.made:
            lines = ["Không có việc gì phải làm: mọi kết quả đã có và mới nhất."]
        else:
            lines = [f"Hoàn tất: {vn.integer(self.done)} việc trong {took}."]
        lines += summary.report_lines(self.made, root)
        lines += summary.warning_lines(root, self.warnings)
        where = f"; toàn bộ của Snakemake: {self.logfile}" if self.logfile else ""
        lines.append(f"Nhật ký: từng bước trong results/logs/{where}")
        return lines


def _stock(settings):
    """Snakemake's own formatter and filter, for the verbose switch and dry runs."""
    from snakemake.logging import DefaultFilter, DefaultFormatter

    quiet = settings.quiet
    formatter = DefaultFormatter(quiet, settings.show_failed_logs)
    return formatter, DefaultFilter(
        quiet, settings.debug_dag, settings.verbose, settings.dryrun, settings.printshellcmds
    )


def _shown_path(path: str) -> str:
    """A path under the working folder, shown relative to it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return path
