"""Faults said in Vietnamese (issue 23, item 6).

A full disk (ENOSPC, EDQUOT) and a read-only folder (EROFS; EACCES, EPERM for other users) are
named as such, with the path, in Vietnamese, on the console and in the rule's log; every output
is written to ``<name>.tmp`` in its folder and renamed into place only when complete, so a failed
write leaves neither a half-written output nor the temporary file (``chinhquyenso.atomic``).

The disks are real where the system allows it: a 64 KiB tmpfs filled to the last block, and a
read-only bind mount (CI runs as root, which ignores permission bits, so a ``chmod`` would prove
nothing). Where mounting is not allowed those tests are skipped (set REQUIRE_MOUNTS=1 to make
that a failure) and the same cases run against a disk faked at ``open``: a file that takes 100
bytes and then refuses the next write, or refuses to be created.
"""

from __future__ import annotations

import builtins
import contextlib
import datetime as dt
import errno
import gc
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pandas as pd
import pytest

from chinhquyenso import figures, manifest, tables
from chinhquyenso.atomic import DiskFault, replacing
from chinhquyenso.report import write_pdf
from chinhquyenso.report.docx_report import write_docx
from chinhquyenso.report.workbook import write_workbook
from chinhquyenso.smk import failure_paragraph
from conftest import ROOT

# --- the messages, spelled out --------------------------------------------------------------------


def full(path: Path, kind: str = "") -> str:
    return (
        f"không ghi được {kind}«{path}»: ổ đĩa đã đầy (không còn chỗ trống); giải phóng chỗ trống "
        f"trên ổ đĩa chứa «{path.parent}» rồi chạy lại"
    )


def read_only(path: Path, kind: str = "") -> str:
    return (
        f"không ghi được {kind}«{path}»: thư mục «{path.parent}» chỉ đọc (ổ đĩa được gắn ở chế độ "
        "chỉ đọc); chạy lại ở một thư mục ghi được"
    )


def not_writable(path: Path) -> str:
    return (
        f"không ghi được «{path}»: thư mục «{path.parent}» chỉ đọc với tài khoản này (không có quyền "
        "ghi); cấp quyền ghi hoặc chạy lại ở một thư mục ghi được"
    )


def over_quota(path: Path) -> str:
    return (
        f"không ghi được «{path}»: ổ đĩa đã đầy theo hạn mức dung lượng (quota) của tài khoản này; "
        "xoá bớt tệp hoặc xin quản trị hệ thống tăng hạn mức rồi chạy lại"
    )


# --- real disks: a full tmpfs, a read-only bind mount ------------------------------------------------


def _mount_refused() -> str | None:
    """Why this system cannot mount a tmpfs and a read-only bind mount (None: it can)."""
    if not sys.platform.startswith("linux") or not shutil.which("mount"):
        return "not Linux, or no mount command"
    if os.geteuid() != 0:
        return "mounting a tmpfs or a read-only bind mount needs root (CI runs as root)"
    probe = Path(tempfile.mkdtemp(prefix="faults_probe_"))
    try:
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(probe)], capture_output=True, text=True
        )
        if done.returncode:
            return f"this sandbox refuses mounts: {done.stderr.strip()}"
        subprocess.run(["umount", str(probe)], check=True)
        return None
    finally:
        probe.rmdir()


# python-docx and openpyxl leave their zip file open when a write fails; it is closed (and fails
# again) when collected: said in the rule's log, and here as a warning that is not the point
pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")

MOUNT_REFUSED = _mount_refused()
if MOUNT_REFUSED and os.environ.get("REQUIRE_MOUNTS"):
    raise RuntimeError(f"REQUIRE_MOUNTS is set but {MOUNT_REFUSED}")
needs_mounts = pytest.mark.skipif(
    MOUNT_REFUSED is not None,
    reason=f"{MOUNT_REFUSED} (the same cases run on a faked disk below; REQUIRE_MOUNTS=1 makes this fail)",
)


def _umount(folder: Path) -> None:
    gc.collect()  # a writer's file left open by the failure (kept by its traceback) holds the mount
    if subprocess.run(["umount", str(folder)], capture_output=True).returncode:
        subprocess.run(["umount", "-l", str(folder)], check=True)


@contextlib.contextmanager
def full_disk(folder: Path, *subfolders: str, room: int = 0):
    """``folder`` as a 64 KiB tmpfs with every block taken (by ``filler``) but ``room`` bytes;
    ``subfolders`` are made first. Creating a file there still works (as on a real full disk);
    writing more than ``room`` to it not."""
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)], check=True)
    try:
        for sub in subfolders:
            (folder / sub).mkdir(parents=True)
        with open(folder / "filler", "wb", buffering=0) as fh:
            with pytest.raises(OSError) as caught:
                while True:
                    fh.write(b"\0" * 4096)
            assert caught.value.errno == errno.ENOSPC
        filler = folder / "filler"
        os.truncate(filler, filler.stat().st_size - room)
        assert os.statvfs(folder).f_bavail * os.statvfs(folder).f_frsize == room
        yield folder
    finally:
        _umount(folder)


@contextlib.contextmanager
def read_only_mount(folder: Path, contents: dict[str, str] | None = None):
    """``folder`` as a read-only bind mount of a folder holding ``contents`` (name -> text)."""
    source = folder.with_name(folder.name + "_nguon")
    source.mkdir(parents=True)
    for name, text in (contents or {}).items():
        (source / name).write_text(text, encoding="utf-8")
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "--bind", str(source), str(folder)], check=True)
    try:
        subprocess.run(["mount", "-o", "remount,bind,ro", str(folder)], check=True)
        yield folder
    finally:
        _umount(folder)


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# --- the writers of the rules' outputs ---------------------------------------------------------------

HTML = "<html lang='vi'><head><title>Thử</title></head><body><h1>Báo cáo</h1><p>Xin chào</p></body></html>"


def _pdf(out: Path) -> None:
    css, fonts = ROOT / "workflow/templates/report.css", ROOT / "resources/fonts"
    write_pdf(HTML * 20, css, fonts, out, allowed_roots=[ROOT])


def _docx(out: Path) -> None:
    write_docx([], out, {}, dt.date(2026, 11, 22), "Báo cáo", "Nhóm nghiên cứu")


def _xlsx(out: Path) -> None:
    write_workbook([], out, "Báo cáo", dt.date(2026, 11, 22))


def _csv(out: Path) -> None:
    tables.write_table(pd.DataFrame({"tinh": ["Hà Nội", "Huế"] * 200, "ty_le": [0.25, 0.5] * 200}), out)


def _chart(out: Path) -> None:
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.plot([1, 2, 3])
    figures.save(fig, [out])


def _manifest(out: Path) -> None:
    manifest.write({"outputs": {f"results/bang_{i}.csv": "0" * 64 for i in range(200)}}, out)


WRITERS = {
    "bao_cao.pdf": _pdf,
    "bao_cao.docx": _docx,
    "bang_so_lieu.xlsx": _xlsx,
    "bang_1.csv": _csv,
    "bieu_do_1.svg": _chart,
    "bieu_do_1.png": _chart,
    "manifest.json": _manifest,
}


def _fails(write, out: Path) -> DiskFault:
    with pytest.raises(DiskFault) as caught:
        write(out)
    return caught.value


@needs_mounts
@pytest.mark.parametrize("name", list(WRITERS))
def test_a_full_disk_is_named_and_leaves_nothing(name, tmp_path):
    with full_disk(tmp_path / "day") as disk:
        out = disk / name
        err = _fails(WRITERS[name], out)
        assert str(err) == full(out)
        assert err.errno == errno.ENOSPC and isinstance(err.__cause__, OSError)
        assert listing(disk) == ["filler"]  # no output, whole or partial, and no temporary file


@needs_mounts
@pytest.mark.parametrize("name", list(WRITERS))
def test_a_read_only_folder_is_named_and_keeps_what_it_had(name, tmp_path):
    with read_only_mount(tmp_path / "ket_qua", {name: "bản cũ"}) as folder:
        out = folder / name
        err = _fails(WRITERS[name], out)
        assert str(err) == read_only(out)
        assert err.errno == errno.EROFS
        assert listing(folder) == [name] and out.read_text(encoding="utf-8") == "bản cũ"


def test_a_write_that_works_leaves_only_its_output(tmp_path):
    for name, write in WRITERS.items():
        write(tmp_path / name)
    assert listing(tmp_path) == sorted(WRITERS)


def test_a_writer_that_breaks_leaves_nothing_and_keeps_its_error(tmp_path):
    out = tmp_path / "bang.csv"
    with pytest.raises(ValueError, match="^hỏng giữa chừng$"), replacing(out) as tmp:
        tmp.write_text("a,b\n1,", encoding="utf-8")
        raise ValueError("hỏng giữa chừng")
    assert listing(tmp_path) == []


# --- the same cases on a disk faked at open (always run) ------------------------------------------


def fake_disk(monkeypatch, folder: Path, code: int, room: int = 100) -> None:
    """Files opened for writing in ``folder`` take ``room`` bytes and then refuse the next write
    with ``code`` (ENOSPC, EDQUOT: the file is there, half-written), or for EROFS, EACCES cannot
    be created at all: what the kernel does, at Python's ``open`` (pandas, matplotlib, Pillow,
    WeasyPrint, zipfile and pathlib all open their files through it)."""
    real_open = io.open

    class Refusing(io.FileIO):
        def write(self, data) -> int:
            if self.tell() + memoryview(data).nbytes > room:
                raise OSError(code, os.strerror(code))
            return super().write(data)

    def fake_open(
        file, mode="r", buffering=-1, encoding=None, errors=None, newline=None, closefd=True, opener=None
    ):
        inside = not isinstance(file, int) and Path(os.fsdecode(file)).parent.resolve() == folder.resolve()
        if not inside or not set(mode) & set("wxa+"):
            return real_open(file, mode, buffering, encoding, errors, newline, closefd, opener)
        if code not in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
            raise OSError(code, os.strerror(code), os.fsdecode(file))
        raw = Refusing(file, mode.replace("b", "").replace("t", ""))
        buffered = io.BufferedRandom(raw) if "+" in mode else io.BufferedWriter(raw)
        if "b" in mode:
            return buffered
        return io.TextIOWrapper(buffered, encoding=encoding, errors=errors, newline=newline)

    monkeypatch.setattr(builtins, "open", fake_open)
    monkeypatch.setattr(io, "open", fake_open)


FAKED = ["bao_cao.pdf", "bao_cao.docx", "bang_1.csv", "bieu_do_1.png"]


@pytest.mark.parametrize("name", FAKED)
def test_a_full_disk_faked_at_open_is_named_and_leaves_nothing(name, tmp_path, monkeypatch):
    fake_disk(monkeypatch, tmp_path, errno.ENOSPC)
    err = _fails(WRITERS[name], tmp_path / name)
    monkeypatch.undo()
    assert str(err) == full(tmp_path / name)
    assert listing(tmp_path) == []


@pytest.mark.parametrize("name", FAKED)
def test_a_read_only_folder_faked_at_open_is_named(name, tmp_path, monkeypatch):
    fake_disk(monkeypatch, tmp_path, errno.EROFS)
    err = _fails(WRITERS[name], tmp_path / name)
    monkeypatch.undo()
    assert str(err) == read_only(tmp_path / name)
    assert listing(tmp_path) == []


def test_an_exhausted_quota_is_a_full_disk_too(tmp_path, monkeypatch):
    fake_disk(monkeypatch, tmp_path, errno.EDQUOT)
    err = _fails(_csv, tmp_path / "bang_1.csv")
    monkeypatch.undo()
    assert str(err) == over_quota(tmp_path / "bang_1.csv") and err.errno == errno.EDQUOT
    assert listing(tmp_path) == []


def test_permission_denied_is_a_folder_read_only_for_this_account(tmp_path, monkeypatch):
    fake_disk(monkeypatch, tmp_path, errno.EACCES)
    err = _fails(_csv, tmp_path / "bang_1.csv")
    monkeypatch.undo()
    assert str(err) == not_writable(tmp_path / "bang_1.csv")


class _Smk:
    rule = "descriptive_tables"
    input = ["results/clean/khao_sat.parquet", "resources/codebook.yaml"]
    log = ["results/logs/tables/descriptive_tables.log"]


def test_a_bare_refused_write_is_named_with_its_file():
    text = failure_paragraph(_Smk(), OSError(errno.EROFS, "Read-only file system", "results/tables/x.csv"))
    assert text == (
        f"LỖI ở bước «descriptive_tables»: {read_only(Path('results/tables/x.csv'))}. Đầu vào: "
        "results/clean/khao_sat.parquet, resources/codebook.yaml. Nhật ký của bước: "
        "results/logs/tables/descriptive_tables.log."
    )
    wrapped = RuntimeError("không lưu được tệp")
    wrapped.__cause__ = OSError(errno.ENOSPC, "No space left on device", "results/tables/x.csv")
    assert failure_paragraph(_Smk(), wrapped).startswith(
        f"LỖI ở bước «descriptive_tables»: {full(Path('results/tables/x.csv'))}. Đầu vào: "
    )
    try:  # a permission denied a library caught on its way is not why the rule failed
        try:
            raise PermissionError(errno.EACCES, "Permission denied", "/root/.cache/x")
        except PermissionError:
            raise KeyError("da_tap_huan") from None
    except KeyError as err:
        assert failure_paragraph(_Smk(), err).startswith("LỖI ở bước «descriptive_tables»: 'da_tap_huan'.")
    said = failure_paragraph(_Smk(), RuntimeError("lỗi thư viện"))
    assert said.endswith(
        "Chi tiết kỹ thuật (để báo lỗi cho nhóm phát triển): results/logs/tables/descriptive_tables.log."
    )


# --- a rule's script, end to end: smk.run in its own process --------------------------------------

RULE = """
import json, sys
sys.path.insert(0, {scripts!r})
from types import SimpleNamespace
from chinhquyenso import smk
args = json.loads(sys.argv[1])
rule = SimpleNamespace(rule=args["rule"], input=args["input"], log=[args["log"]])


def main(smk_):
{body}


smk.run(main, rule)
"""

TABLE = """
    import pandas as pd
    from chinhquyenso import tables
    tables.write_table(pd.DataFrame({"tinh": ["Hà Nội", "Huế"], "n": [3, 4]}), args["out"])
"""

WORD = """
    from chinhquyenso.report.docx_report import docx_from_report
    docx_from_report(args["input"][0], args["out"], {})
"""

TABLE_AND_PRINT = TABLE + '    print("đã ghi bảng")\n'

REPLACE_REFUSED = (
    """
    import errno, os
    def refused(src, dst):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), src)
    os.replace = refused
"""
    + TABLE
)


def run_rule(tmp_path, rule: str, body: str, out: Path, log: Path, inputs: list[Path], **popen):
    """A rule's script (``smk.run`` with a stand-in for Snakemake's object) in its own process,
    as Snakemake runs it: (the finished process, its console output)."""
    args = {"rule": rule, "input": [str(p) for p in inputs], "log": str(log), "out": str(out)}
    script = tmp_path / "rule.py"
    script.write_text(RULE.format(scripts=str(ROOT / "scripts"), body=body.strip("\n")), encoding="utf-8")
    popen.setdefault("stdout", subprocess.PIPE)
    done = subprocess.run(
        [*popen.pop("prefix", []), sys.executable, str(script), json.dumps(args)],
        stderr=subprocess.PIPE,
        text=True,
        timeout=300,
        **popen,
    )
    return done, done.stderr


def paragraph(rule: str, what: str, inputs: list[Path], where: str) -> str:
    return f"LỖI ở bước «{rule}»: {what}. Đầu vào: {', '.join(map(str, inputs))}. {where}"


@pytest.fixture
def clean_table(tmp_path):
    path = tmp_path / "khao_sat.parquet"
    path.write_bytes(b"PAR1")  # an input's name, never read by these rules
    return path


@pytest.fixture(scope="module")
def report_file(report_html, tmp_path_factory):
    path = tmp_path_factory.mktemp("bao_cao") / "bao_cao_ha_noi.html"
    path.write_text(report_html, encoding="utf-8")
    return path


@needs_mounts
def test_the_word_report_on_a_full_disk_says_so_and_exits_1(tmp_path, report_file):
    """The tester's case: word_province_report on a full disk exited 120 with an empty log and
    not a word about the disk. results/ (outputs and logs) is the full disk."""
    with full_disk(tmp_path / "results", "report", "logs/report") as results:
        out = results / "report/bao_cao_ha_noi.docx"
        log = results / "logs/report/word_province_report_ha_noi.log"
        done, console = run_rule(tmp_path, "word_province_report", WORD, out, log, [report_file])
        assert done.returncode == 1, console
        assert console.splitlines() == [
            paragraph(
                "word_province_report",
                full(out),
                [report_file],
                f"Nhật ký của bước cũng không ghi được: {full(log, 'nhật ký ')}.",
            )
        ]
        assert sorted(p.name for p in results.rglob("*") if p.is_file()) == ["filler"]  # nothing half-written


@needs_mounts
def test_a_read_only_results_folder_is_said_on_the_console_and_in_the_log(tmp_path, clean_table):
    log = tmp_path / "results/logs/tables/descriptive_tables.log"
    log.parent.mkdir(parents=True)
    with read_only_mount(tmp_path / "results/tables") as folder:
        out = folder / "bang_1.csv"
        done, console = run_rule(tmp_path, "descriptive_tables", TABLE, out, log, [clean_table])
        assert done.returncode == 1, console
        assert console.splitlines() == [
            paragraph("descriptive_tables", read_only(out), [clean_table], f"Nhật ký của bước: {log}.")
        ]
        assert listing(folder) == []
    text = log.read_text(encoding="utf-8")
    assert "quy tắc descriptive_tables thất bại" in text
    assert f"chinhquyenso.atomic.DiskFault: {read_only(out)}\n" in text  # the traceback's last line
    assert "Read-only file system" in text  # the original error, for whoever reads the details


@needs_mounts
def test_a_read_only_log_folder_stops_the_rule_before_it_starts(tmp_path, clean_table):
    with read_only_mount(tmp_path / "results") as results:
        out, log = results / "bang_1.csv", results / "descriptive_tables.log"
        done, console = run_rule(tmp_path, "descriptive_tables", TABLE, out, log, [clean_table])
        assert done.returncode == 1, console
        assert console.splitlines() == [
            paragraph(
                "descriptive_tables",
                read_only(log, "nhật ký "),
                [clean_table],
                "Không có nhật ký kỹ thuật cho lần chạy này.",
            )
        ]
        assert listing(results) == []


LOG_A_LOT = (
    TABLE
    + """
    import logging
    for n in range(300):
        logging.getLogger("x").info("dòng %d của một nhật ký dài, hơn một trang của ổ đĩa", n)
"""
)


@needs_mounts
def test_a_log_cut_by_a_full_disk_holds_only_the_reason(tmp_path, clean_table):
    """The disk fills while the log is being written: the half-written log is emptied, which
    makes room for the reason."""
    out = tmp_path / "results/tables/bang_1.csv"
    out.parent.mkdir(parents=True)
    with full_disk(tmp_path / "results/logs", room=4096) as logs:
        log = logs / "descriptive_tables.log"
        done, console = run_rule(tmp_path, "descriptive_tables", LOG_A_LOT, out, log, [clean_table])
        assert done.returncode == 1, console
        assert console.splitlines() == [
            paragraph(
                "descriptive_tables",
                full(log, "nhật ký "),
                [clean_table],
                "Không có nhật ký kỹ thuật cho lần chạy này.",
            )
        ]
        assert log.read_text(encoding="utf-8") == (
            f"{full(log, 'nhật ký ')}. Phần nhật ký đã ghi trước đó bị xoá vì bị cắt ngang giữa chừng.\n"
        )
        assert listing(logs) == ["descriptive_tables.log", "filler"]


@needs_mounts
def test_a_log_on_a_full_disk_fails_the_job_and_is_not_left_half_written(tmp_path, clean_table):
    out = tmp_path / "results/tables/bang_1.csv"
    out.parent.mkdir(parents=True)
    with full_disk(tmp_path / "results/logs") as logs:
        log = logs / "descriptive_tables.log"
        # Python alone, its stderr sent to a log on a full disk: the flush at exit fails, status
        # 120 and not a word (what smk.run did before)
        alone = f"import sys; sys.stderr = open({str(log)!r}, 'w'); print('bắt đầu', file=sys.stderr)"
        plain = subprocess.run([sys.executable, "-c", alone], capture_output=True, text=True)
        assert (plain.returncode, plain.stderr) == (120, "")
        done, console = run_rule(tmp_path, "descriptive_tables", TABLE, out, log, [clean_table])
        assert done.returncode == 1, console
        assert console.splitlines() == [
            paragraph(
                "descriptive_tables",
                full(log, "nhật ký "),
                [clean_table],
                "Không có nhật ký kỹ thuật cho lần chạy này.",
            )
        ]
        assert listing(logs) == ["filler"]
    assert listing(out.parent) == ["bang_1.csv"]  # written whole (Snakemake removes it: the job failed)
    assert out.read_text(encoding="utf-8") == "tinh,n\nHà Nội,3\nHuế,4\n"


PRINTS = {
    "stdout có bộ đệm": (TABLE_AND_PRINT, False),  # found out when smk.run flushes it
    "PYTHONUNBUFFERED": (TABLE_AND_PRINT, True),  # found out at the rule's print
    # found out at exit only: text written after the rule's work (a library's atexit callback);
    # Python alone would exit 120
    "lúc thoát": (TABLE + '    import atexit\n    atexit.register(print, "viết muộn")\n', False),
}


@needs_mounts
@pytest.mark.parametrize("case", list(PRINTS))
def test_a_stdout_on_a_full_disk_is_said_not_exit_120(case, tmp_path, clean_table):
    """A rule's stdout sent to a file on a full disk (a cluster's job output file, a console
    redirected to a file): one Vietnamese paragraph naming it, status 1."""
    body, unbuffered = PRINTS[case]
    out = tmp_path / "results/tables/bang_1.csv"
    log = tmp_path / "results/logs/descriptive_tables.log"
    out.parent.mkdir(parents=True)
    log.parent.mkdir(parents=True)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"} | (
        {"PYTHONUNBUFFERED": "1"} if unbuffered else {}
    )
    with full_disk(tmp_path / "console") as disk:
        captured = disk / "stdout.txt"
        with open(captured, "w") as fh:
            done, console = run_rule(
                tmp_path, "descriptive_tables", body, out, log, [clean_table], stdout=fh, env=env
            )
        assert done.returncode == 1, console
        said = paragraph(
            "descriptive_tables",
            full(captured, "đầu ra chuẩn (stdout) "),
            [clean_table],
            f"Nhật ký của bước: {log}.",
        )
        assert console.splitlines() == [said]
    text = log.read_text(encoding="utf-8")
    assert said in text and "INFO rule.descriptive_tables: xong" in text


def test_a_refused_rename_is_said_without_a_mount(tmp_path, clean_table):
    """The console paragraph where no disk can be mounted: the last step of a write (the
    rename) refused for a full disk."""
    out = tmp_path / "results/tables/bang_1.csv"
    log = tmp_path / "results/logs/descriptive_tables.log"
    out.parent.mkdir(parents=True)
    log.parent.mkdir(parents=True)
    done, console = run_rule(tmp_path, "descriptive_tables", REPLACE_REFUSED, out, log, [clean_table])
    assert done.returncode == 1, console
    assert console.splitlines() == [
        paragraph("descriptive_tables", full(out), [clean_table], f"Nhật ký của bước: {log}.")
    ]
    assert listing(out.parent) == []
    assert f"chinhquyenso.atomic.DiskFault: {full(out)}\n" in log.read_text(encoding="utf-8")


@pytest.mark.skipif(
    os.geteuid() != 0 or not shutil.which("setpriv"),
    reason="needs root and setpriv, to run the rule as root without the right to ignore permissions",
)
def test_a_folder_this_account_cannot_write_is_said_read_only(tmp_path, clean_table):
    """A user who is not root: the folder's permission bits refuse the write (EACCES). Run as
    root without CAP_DAC_OVERRIDE, which makes the bits count."""
    log = tmp_path / "results/logs/descriptive_tables.log"
    log.parent.mkdir(parents=True)
    folder = tmp_path / "results/tables"
    folder.mkdir()
    folder.chmod(0o555)
    out = folder / "bang_1.csv"
    try:
        done, console = run_rule(
            tmp_path,
            "descriptive_tables",
            TABLE,
            out,
            log,
            [clean_table],
            prefix=["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner"],
        )
    finally:
        folder.chmod(0o755)
    assert done.returncode == 1, console
    assert console.splitlines() == [
        paragraph("descriptive_tables", not_writable(out), [clean_table], f"Nhật ký của bước: {log}.")
    ]
    assert listing(folder) == []
