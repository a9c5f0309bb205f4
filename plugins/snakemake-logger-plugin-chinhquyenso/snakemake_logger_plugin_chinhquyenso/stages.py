"""Which stage of the workflow a job belongs to, and when a stage has finished.

A job's stage is the folder of its log (results/logs/<stage>/…), else of its first output
(results/<stage>/…); the workflow keeps that layout (Snakefile, header). A few rules are put
in a stage of their own by name: the per-province reports, made late in the run from several
folders, and the manifest. Snakemake does not say how many jobs a stage will have (a checkpoint
adds jobs during the run), so a stage is taken as finished when it has no job running and the
scheduler, given the chance, started none of its jobs; should one start later after all, the
stage gets a second line, marked "tiếp".
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

# Folder -> what the reader sees. A folder not listed is shown by its own name.
LABELS = {
    "clean": "Làm sạch dữ liệu",
    "validation": "Kiểm tra dữ liệu",
    "tables": "Bảng mô tả",
    "internal": "Bảng mô tả",
    "disclosure": "Kiểm soát công bố (ẩn ô nhỏ)",
    "documents": "Số liệu trích từ tài liệu",
    "design": "Thiết kế mẫu và trọng số",
    "interviews": "Phỏng vấn sâu (kiểm chứng câu trích)",
    "models": "Mô hình hồi quy",
    "figures": "Biểu đồ",
    "reproduction": "Đối chiếu với số liệu đã công bố",
    "comparison": "So sánh các đợt khảo sát",
    "report": "Báo cáo chung (PDF, Word, Excel)",
    "tinh": "Báo cáo từng tỉnh",
    "manifest": "Danh mục kết quả",
}
# Rules whose stage is not their folder's.
BY_RULE = {
    "province_figures": "tinh",
    "render_province_report": "tinh",
    "word_province_report": "tinh",
    "province_workbook": "tinh",
    "manifest": "manifest",
}
LOG_FOLDER = re.compile(r"(?:^|/)results/logs/([^/]+)/")
OUTPUT_FOLDER = re.compile(r"(?:^|/)results/([^/]+)/")


def stage_of(rule: str, logs: Iterable[str], outputs: Iterable[str]) -> str | None:
    """The stage key of a job; None for a job with neither log nor output (the target rule)."""
    if rule in BY_RULE:
        return BY_RULE[rule]
    for paths, pattern in ((logs, LOG_FOLDER), (outputs, OUTPUT_FOLDER)):
        for path in paths:
            m = pattern.search(str(path).replace("\\", "/"))
            if m:
                return m.group(1)
    return None


def label(key: str) -> str:
    return LABELS.get(key, key)


@dataclass
class Stage:
    key: str
    running: int = 0
    jobs: int = 0  # jobs finished since the stage's last line
    began: float | None = None
    ended: float = 0.0
    lines: int = 0  # lines printed for this stage so far


@dataclass
class Board:
    """Follows jobs from Snakemake's events; ``finished()`` gives the stages just done."""

    stages: dict[str, Stage] = field(default_factory=dict)
    job_stage: dict[int, str] = field(default_factory=dict)
    idle: dict[str, int] = field(default_factory=dict)  # stage -> scheduling chances since idle
    waiting: set[int] = field(default_factory=set)  # jobs announced, their details not yet seen

    def started(self, jobids: Iterable[int]) -> None:
        self.waiting = set(jobids)

    def job_info(self, jobid: int, key: str | None, now: float | None = None) -> list[Stage]:
        """A job begins; the stages confirmed finished by this scheduling round, if complete."""
        now = time.monotonic() if now is None else now
        self.waiting.discard(jobid)
        if key is not None:
            stage = self.stages.setdefault(key, Stage(key))
            self.job_stage[jobid] = key
            stage.running += 1
            stage.began = now if stage.began is None else stage.began
            self.idle.pop(key, None)  # not finished after all
        return self._confirm() if not self.waiting else []

    def job_finished(self, jobid: int, now: float | None = None) -> list[Stage]:
        """A job ends: stages idle since an earlier round are finished; this one may be next."""
        now = time.monotonic() if now is None else now
        done = self._confirm() if not self.waiting else []
        key = self.job_stage.pop(jobid, None)
        if key is not None:
            stage = self.stages[key]
            stage.running -= 1
            stage.jobs += 1
            stage.ended = now
            if stage.running == 0:
                self.idle[key] = 0
        return done

    def _confirm(self) -> list[Stage]:
        done = [self.stages[k] for k in self.idle]
        self.idle.clear()
        return done

    def remaining(self) -> list[Stage]:
        """At the end of the run: every stage with work not yet reported."""
        self.idle.clear()
        return [s for s in self.stages.values() if s.jobs and s.running == 0]

    def running_labels(self) -> list[str]:
        return [label(s.key) for s in self.stages.values() if s.running > 0]
