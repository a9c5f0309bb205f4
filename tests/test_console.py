"""The run's console as a Vietnamese user sees it: the project's Snakemake logger plugin
(plugins/snakemake-logger-plugin-chinhquyenso), which the workflow profile (profiles/default)
sets for every run, so the runs here are plain `snakemake --cores 2`, as the guide says.

Three workflow runs, one after the other, in copies of the project: the demo (fits on one
screen, ends with the summary), a survey with an unknown answer (ends on the Vietnamese
paragraph), a misspelt config key (the message without Snakemake's frame). The plugin is taken
from the copy (PYTHONPATH): the tests check this worktree's plugin, installed or not.
"""

import csv
import io
import logging
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml
from snakemake_interface_logger_plugins.common import LogEvent
from snakemake_interface_logger_plugins.tests import MockOutputSettings, TestLogHandlerBase
from test_workflow import _copy_project, _edit_yaml

from conftest import DEMO, ROOT

SCREEN = 40
ENGLISH_FRAMES = ("Traceback", "RuleException", "WorkflowError", "CalledProcessError", "Error in rule")
PLUGIN = ROOT / "plugins/snakemake-logger-plugin-chinhquyenso"
sys.path.insert(0, str(PLUGIN))
from snakemake_logger_plugin_chinhquyenso import (  # noqa: E402
    CONSOLE_PLUGIN_ENV,
    LogHandler,
    LogHandlerSettings,
    failure,
    stages,
    summary,
)

SNAKEMAKE = str(Path(sys.executable).parent / "snakemake")
# The one line Snakemake prints itself, before any logger: which profile set the console.
PROFILE_NOTICE = (
    "Using workflow specific profile profiles/default for setting default command line arguments."
)


def _run(work: Path, *args: str) -> tuple[subprocess.CompletedProcess, list[str]]:
    """`snakemake --cores 2` in ``work``, no logger named: the console (stdout and stderr)
    as lines, Snakemake's notice of the workflow profile first."""
    env = {**os.environ, "PYTHONPATH": str(work / PLUGIN.relative_to(ROOT))}
    run = subprocess.run(
        [SNAKEMAKE, "--cores", "2", *args], cwd=work, capture_output=True, text=True, env=env
    )
    console = (run.stdout + run.stderr).splitlines()
    assert console[0] == PROFILE_NOTICE, console[:3]
    return run, console


def _csv(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


# --- the demo run ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    work = _copy_project(tmp_path_factory.mktemp("console"))
    run, console = _run(work)
    assert run.returncode == 0, "\n".join(console[-40:])
    return work, console


@pytest.mark.integration
def test_the_demo_console_fits_on_one_screen_and_ends_with_the_summary(demo):
    work, console = demo
    assert len(console) <= SCREEN, "\n".join(console)  # Snakemake's profile notice included
    assert not any(
        s in line for line in console for s in ("localrule", "Finished jobid", "steps (", "jobid:")
    )
    done = next(i for i, line in enumerate(console) if line.startswith("Hoàn tất: "))
    assert re.fullmatch(r"Hoàn tất: \d+ việc trong .+ s\.", console[done])
    tail = console[done:]
    named = [
        m.group(1) for line in tail for m in re.finditer(r"(results/report/\S+\.(?:pdf|docx|xlsx))", line)
    ]
    assert {Path(p).suffix for p in named} == {".pdf", ".docx", ".xlsx"}
    assert all((work / p).is_file() for p in named)
    assert tail[-1].startswith("Nhật ký: từng bước trong results/logs/")
    full_log = work / tail[-1].rsplit(": ", 1)[1]
    assert "localrule clean_survey:" in full_log.read_text(encoding="utf-8")  # the job blocks: there


@pytest.mark.integration
def test_the_demo_console_reports_each_stage_with_progress_and_time(demo):
    _, console = demo
    lines = [line for line in console if " … xong (" in line]
    took = r"(\d+ việc, )?(\d+,\d s|\d+ phút \d+ s|\d+ giờ \d+ phút)"
    assert lines and all(re.fullmatch(rf"\[\d+(/\d+)?\] \S.* … xong \({took}\)", x) for x in lines), lines
    assert lines[0].split("] ", 1)[1].startswith(stages.label("clean"))
    counts = [re.match(r"\[(\d+)(?:/(\d+))?\]", line).groups() for line in lines]
    done = [int(d) for d, _ in counts]
    assert done == sorted(done)
    # one total, the run's own, and none while the checkpoint (province tables) could still add
    # jobs: the first stage's line is printed while it runs
    jobs = next(line for line in console if line.startswith("Hoàn tất: ")).split()[2]
    assert {t for _, t in counts if t} == {jobs} and counts[0][1] is None, lines


@pytest.mark.integration
def test_the_summary_states_the_warnings_found_in_the_outputs(demo):
    work, console = demo
    text = "\n".join(console)
    off = Counter(
        r["trang_thai"] for r in _csv(work / summary.REPRODUCTION) if r["trang_thai"] != summary.MATCH
    )
    assert all(f"{n} «{status}»" in text for status, n in off.items()) and (
        summary.REPRODUCTION in text
    ) == bool(off)
    extracts = _csv(work / summary.EXTRACTS)
    unchecked = sum(r["trang_thai"] != summary.VERIFIED for r in extracts)
    if unchecked:
        assert f"{unchecked}/{len(extracts)} số liệu trích từ tài liệu chưa kiểm chứng" in text
    hidden = sum(int(r["so_o_an"]) for r in _csv(work / summary.DISCLOSURE))
    assert (f"{hidden:,}".replace(",", ".") + " ô bảng được ẩn" in text) == bool(hidden)
    assert off or unchecked or hidden  # the demo has something to warn about: the check is exercised


@pytest.mark.integration
def test_logs_carry_no_library_progress_and_vietnamese_timing_fields(demo):
    work, _ = demo
    render = (work / "results/logs/report/render_report.log").read_text(encoding="utf-8")
    assert "weasyprint.progress" not in render and "Step " not in render
    assert re.search(r"thời_gian khởi_động_s=[\d.]* xử_lý_s=[\d.]+", render)
    assert "thoi_gian" not in render


# --- failed runs ------------------------------------------------------------------------------


def _unknown_answer(work: Path) -> tuple[str, str]:
    """The demo CSV with an answer the codebook does not know in its first row (the first
    column with a closed list of answers): (that column's header, the value)."""
    from chinhquyenso.codebook import load_codebook

    book = load_codebook(work / "resources/codebook.yaml")
    demo = work / DEMO.relative_to(ROOT)
    with open(demo, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    header = rows[0]
    column = next(h for v in book.variables if v.categories for h in v.headers if h in header)
    value = "giá trị lạ kiểm thử"
    rows[1][header.index(column)] = value
    with open(demo, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    _edit_yaml(work / "config.yaml", lambda c: c["survey"].update(path=str(DEMO.relative_to(ROOT))))
    return column, value


@pytest.mark.integration
def test_a_run_with_a_bad_value_ends_on_the_vietnamese_paragraph(tmp_path):
    work = _copy_project(tmp_path)
    column, value = _unknown_answer(work)
    run, console = _run(work)
    assert run.returncode != 0
    text = "\n".join(console)
    assert not any(frame in text for frame in ENGLISH_FRAMES), text
    start = max(i for i, line in enumerate(console) if line.startswith("Quy trình dừng ở giai đoạn"))
    paragraph = console[start:]
    assert f"«{stages.label('clean')}»" in paragraph[0]
    assert paragraph[1].startswith("LỖI ở bước «clean_survey»: ")
    where = f"{DEMO.name}, dòng 2, cột «{column}», giá trị «{value}»"
    assert any(where in line for line in paragraph)
    # above the paragraph only the run's first line and stage lines: the validation report
    # stays in its files, its problem said once, in the paragraph
    assert console[1].startswith("Chạy quy trình") and all(" … xong (" in x for x in console[2:start])
    assert sum(where in line for line in console) == 1
    report = (work / "results/validation/tom_tat.txt").read_text(encoding="utf-8")
    assert where in report and not set(report.splitlines()) & set(console[:start])
    assert any(line.startswith("Nhật ký của bước: results/logs/clean/clean_survey.log") for line in paragraph)
    assert paragraph[-1].startswith("Nhật ký đầy đủ của Snakemake: .snakemake/log/")
    log = (work / "results/logs/clean/clean_survey.log").read_text(encoding="utf-8")
    assert log.count("Traceback (most recent call last)") == 1  # once, in the log only


@pytest.mark.integration
def test_a_misspelt_config_key_ends_on_the_message_without_the_snakefile_frame(tmp_path):
    work = _copy_project(tmp_path)
    _edit_yaml(work / "config.yaml", lambda c: c["report"].update(titel=c["report"].pop("title")))
    run, console = _run(work)
    assert run.returncode != 0
    text = "\n".join(console)
    assert not any(frame in text for frame in ENGLISH_FRAMES) and ".smk" not in text and 'File "' not in text
    assert console[1] == "Quy trình không chạy được:"
    assert any("khóa 'titel' không có" in line for line in console)
    assert console[-1].startswith("  - ")  # the last line is the message's own


# --- the plugin alone: Snakemake's interface tests, and records made as Snakemake makes them ---


class TestChinhquyensoLogger(TestLogHandlerBase):
    __test__ = True

    def get_log_handler_cls(self):
        return LogHandler

    def get_log_handler_settings(self):
        return LogHandlerSettings()


@pytest.fixture(autouse=True)
def _environment_kept(monkeypatch):
    """A handler tells the jobs of its run that it shows their failures (an environment
    variable): not to the processes later tests start."""
    monkeypatch.setenv(CONSOLE_PLUGIN_ENV, "0")


def _handler(verbose: bool = False, tty: bool = False) -> tuple[LogHandler, io.StringIO]:
    handler = LogHandler(MockOutputSettings(), LogHandlerSettings(verbose=verbose))
    out = io.StringIO()
    out.isatty = lambda: tty
    handler.stream, handler.tty = out, tty
    return handler, out


def _record(event, msg="", level=logging.INFO, **extra) -> logging.LogRecord:
    record = logging.LogRecord("snakemake", level, "x.py", 1, msg, None, None)
    record.event = event
    record.__dict__.update(extra)
    return record


def _job(jobid: int, rule: str, stage: str, checkpoint: bool = False) -> logging.LogRecord:
    fields = {
        "jobid": jobid,
        "rule_msg": None,
        "rule_name": rule,
        "local": True,
        "input": [],
        "output": [f"results/{stage}/{rule}.csv"],
        "log": [f"results/logs/{stage}/{rule}.log"],
        "benchmark": None,
        "wildcards": {},
        "reason": "Missing output files",
        "resources": {},
        "priority": 0,
        "threads": 1,
        "indent": False,
        "is_checkpoint": checkpoint,
        "printshellcmd": True,
        "is_handover": False,
        "shellcmd": None,
    }
    return _record(LogEvent.JOB_INFO, **fields)


def _two_stage_run(handler: LogHandler) -> None:
    handler.emit(_record(LogEvent.RUN_INFO, stats={"total": 3}))
    for jobid, rule, stage in ((1, "clean_survey", "clean"), (2, "descriptive_tables", "tables")):
        handler.emit(_record(LogEvent.JOB_STARTED, jobs=[jobid]))
        handler.emit(_job(jobid, rule, stage))
        handler.emit(_record(LogEvent.JOB_FINISHED, job_id=jobid))
        handler.emit(_record(LogEvent.PROGRESS, done=jobid, total=3))


def test_job_blocks_stay_off_the_screen_unless_verbose():
    quiet, quiet_out = _handler()
    _two_stage_run(quiet)
    loud, loud_out = _handler(verbose=True)
    _two_stage_run(loud)
    assert "rule clean_survey:" not in quiet_out.getvalue()
    assert "rule clean_survey:" in loud_out.getvalue() and "1 of 3 steps" in loud_out.getvalue()
    assert f"[1/3] {stages.label('clean')} … xong (" in quiet_out.getvalue()


def _checkpoint_run(handler: LogHandler) -> None:
    """Snakemake counts 3 jobs before the checkpoint runs and 6 after; it reports the
    checkpoint's own end still out of 3."""
    handler.emit(_record(LogEvent.RUN_INFO, stats={"total": 3}))
    run = [
        (1, "clean_survey", "clean", False, 3),
        (2, "province_tables", "tables", True, 3),
        (3, "fit_models", "models", False, 6),
        (4, "figures_models", "figures", False, 6),
    ]
    for jobid, rule, stage, checkpoint, total in run:
        handler.emit(_record(LogEvent.JOB_STARTED, jobs=[jobid]))
        handler.emit(_job(jobid, rule, stage, checkpoint))
        handler.emit(_record(LogEvent.JOB_FINISHED, job_id=jobid))
        handler.emit(_record(LogEvent.PROGRESS, done=jobid, total=total))
    handler.close()


def test_no_total_is_shown_until_the_checkpoint_has_added_its_jobs():
    handler, out = _handler()
    _checkpoint_run(handler)
    counts = [line.split("] ")[0] + "]" for line in out.getvalue().splitlines() if "… xong" in line]
    assert counts == ["[1]", "[2]", "[3/6]", "[4/6]"]
    # on a terminal: once the checkpoint has started, the bar waits for the total too
    handler, out = _handler(tty=True)
    _checkpoint_run(handler)
    after = out.getvalue().split(f"{stages.label('clean')} … xong", 1)[1]
    bars = [part for part in after.split("\r\033[K")[1:] if "… xong" not in part]
    assert not re.search(r"\d/3 \(", after) and bars[0].startswith("Đã xong 1 việc · đang làm: ")
    assert "Đã xong 2 việc" in after and bars[-1].startswith("[") and " 4/6 (" in bars[-1]


def test_on_a_terminal_the_progress_is_one_line_redrawn():
    handler, out = _handler(tty=True)
    _two_stage_run(handler)
    text = out.getvalue()
    assert "2/3 (66%)" in text and "\r\033[K" in text
    finished = [line for line in text.split("\n") if "… xong" in line]
    assert finished and not any(line.lstrip("\r\033[K").startswith("[") for line in finished)


def test_a_stage_resumed_after_its_line_gets_a_second_line_marked_so():
    handler, out = _handler()
    for jobid, rule, stage in ((1, "figures_survey", "figures"), (2, "fit_models", "models")):
        handler.emit(_record(LogEvent.JOB_STARTED, jobs=[jobid]))
        handler.emit(_job(jobid, rule, stage))  # job 2 starting: the round had no chart, charts done
        handler.emit(_record(LogEvent.JOB_FINISHED, job_id=jobid))
    handler.emit(_record(LogEvent.JOB_STARTED, jobs=[3]))
    handler.emit(_job(3, "figures_models", "figures"))  # more charts after all
    handler.emit(_record(LogEvent.JOB_FINISHED, job_id=3))
    handler.close()
    finished = [line for line in out.getvalue().splitlines() if "… xong" in line]
    charts, models = stages.label("figures"), stages.label("models")
    assert [line.split(" … ")[0] for line in finished] == [charts, models, f"{charts} (tiếp)"]


def test_a_config_error_loses_snakemake_frame_and_an_english_error_gets_a_vietnamese_lead():
    message = (
        'WorkflowError in file "/x/workflow/rules/common.smk", line 18:\n'
        "Cấu hình (config.yaml) không hợp lệ:\n  - config report: thiếu khóa 'title'\n"
        '  File "/x/workflow/rules/common.smk", line 18, in <module>'
    )
    assert failure.error_paragraph(message, "WorkflowError") == [
        "Quy trình không chạy được:",
        "Cấu hình (config.yaml) không hợp lệ:",
        "  - config report: thiếu khóa 'title'",
    ]
    lock = failure.error_paragraph("LockException:\nError: Directory cannot be locked.", "LockException")
    assert lock[1] == failure.ADVICE["LockException"] and lock[-1] == "Error: Directory cannot be locked."


def test_a_failed_job_without_a_reason_in_its_log_says_so(tmp_path):
    log = tmp_path / "results/logs/models/fit_models.log"
    log.parent.mkdir(parents=True)
    log.write_text("2026-01-01 00:00:00,000 INFO rule.fit_models: bắt đầu\n", encoding="utf-8")
    lines = failure.job_paragraph(
        "fit_models", "Mô hình hồi quy", ["results/logs/models/fit_models.log"], tmp_path
    )
    assert lines[1].startswith("LỖI ở bước «fit_models»: nhật ký của bước không ghi lý do")


def test_the_plugin_installs_as_a_package_snakemake_finds(tmp_path):
    """What `make setup` does (pip install, not editable): Snakemake lists the plugin and its
    switch. The Makefile installs it with the lock; the workflow profile names it for every run,
    `make report` included, which needs no flag of its own."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "--no-deps --force-reinstall ./$(PLUGIN)" in makefile
    assert "--logger" not in makefile.split("\nreport:")[1].split("\n\n")[0]
    profile = yaml.safe_load((ROOT / "profiles/default/config.yaml").read_text(encoding="utf-8"))
    assert profile == {"logger": "chinhquyenso"}
    target = tmp_path / "site"
    pip = [
        sys.executable,
        "-m",
        "pip",
        "install",
        "--quiet",
        "--no-deps",
        "--target",
        str(target),
        str(PLUGIN),
    ]
    subprocess.run(pip, check=True, capture_output=True, cwd=tmp_path)
    env = {**os.environ, "PYTHONPATH": str(target)}
    shown = subprocess.run([SNAKEMAKE, "--help"], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert "--logger-chinhquyenso-verbose" in shown.stdout and "chinhquyenso" in shown.stdout


def test_every_stage_a_rule_logs_to_has_a_vietnamese_name():
    """The console names a stage by the folder its rules log to: each such folder of the
    workflow has a Vietnamese label (a new stage without one would print its folder name)."""
    folders = set()
    for rules in (ROOT / "workflow/rules").glob("*.smk"):
        folders |= set(re.findall(r'"results/logs/([a-z_]+)/', rules.read_text(encoding="utf-8")))
    assert folders and folders <= set(stages.LABELS), folders - set(stages.LABELS)
