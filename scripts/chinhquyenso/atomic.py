"""Outputs written whole or not at all, and disk faults said in Vietnamese (issue 23, item 6).

Every file a rule writes goes through :func:`replacing` (``safe_text.write_csv``,
``figures.save``, ``render.write_pdf``, the Word and Excel writers, the manifest...): the writer
writes a temporary file next to the output (``<name>.tmp``, same folder, so same file system),
which is synced to the disk and renamed onto the output (``os.replace``, atomic) only once it is
complete. A write that fails leaves neither a half-written output nor the temporary file.

A disk that refuses a write is named as such, with the path, in Vietnamese (:class:`DiskFault`,
an ``OSError`` with the same ``errno``): full (ENOSPC), over the account's quota (EDQUOT),
read-only (EROFS) or not writable by this account (EACCES, EPERM). ``smk.run`` puts the sentence
on the console and in the rule's log.

The log itself is :class:`LogFile`, not renamed into place: it is written as the job goes (it
can be followed while a long job runs, and a job killed for its time or memory keeps what it had
logged). A write to it that fails never raises in the middle of the job's logging: the failure is
kept for ``smk.run`` to report, and the half-written log is replaced by the reason alone (or
removed when even that does not fit). The job's stdout is guarded the same way (:class:`Stdout`):
Python that cannot flush it at exit would exit 120 without a word.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
READ_ONLY = {errno.EROFS, errno.EACCES, errno.EPERM}
FAULTS = FULL | READ_ONLY
LOG = "nhật ký "  # what a fault names: "không ghi được nhật ký «...»"
STDOUT = "đầu ra chuẩn (stdout) "


def reason(code: int, path: str | Path | None) -> str:
    """Why a write to ``path`` (None: not known) was refused, in Vietnamese, for an errno of
    :data:`FAULTS`."""
    on = "" if path is None else f" chứa «{Path(path).parent}»"
    folder = "thư mục" if path is None else f"thư mục «{Path(path).parent}»"
    if code == errno.ENOSPC:
        return f"ổ đĩa đã đầy (không còn chỗ trống); giải phóng chỗ trống trên ổ đĩa{on} rồi chạy lại"
    if code == getattr(errno, "EDQUOT", None):
        return (
            "ổ đĩa đã đầy theo hạn mức dung lượng (quota) của tài khoản này; xoá bớt tệp hoặc xin "
            "quản trị hệ thống tăng hạn mức rồi chạy lại"
        )
    if code == errno.EROFS:
        return f"{folder} chỉ đọc (ổ đĩa được gắn ở chế độ chỉ đọc); chạy lại ở một thư mục ghi được"
    return (
        f"{folder} chỉ đọc với tài khoản này (không có quyền ghi); cấp quyền ghi hoặc chạy lại "
        "ở một thư mục ghi được"
    )


def said(err: OSError) -> str:
    """A refused write in Vietnamese: a :class:`DiskFault`'s sentence, or one for a bare
    ``OSError`` of :data:`FAULTS` raised outside :func:`replacing` (named by its ``filename``;
    permission denied may be a read there, so it is not called a write)."""
    if isinstance(err, DiskFault):
        return err.text
    name = None if err.filename is None or isinstance(err.filename, int) else os.fsdecode(err.filename)
    if err.errno in (errno.EACCES, errno.EPERM) and name is not None:
        return f"không có quyền đọc hoặc ghi «{name}» với tài khoản này (tệp hoặc thư mục chỉ đọc)"
    where = "" if name is None else f" «{name}»"
    return f"không ghi được{where}: {reason(err.errno, name)}"


class DiskFault(OSError):
    """A write the disk refused, said in Vietnamese with the path: ``str(err)`` is the sentence;
    ``errno`` is the original one and ``__cause__`` the original error."""

    def __init__(self, code: int, path: str | Path, kind: str = "") -> None:
        super().__init__(code, os.strerror(code), str(path))
        self.path = str(path)
        self.kind = kind
        self.text = f"không ghi được {kind}«{self.path}»: {reason(code, self.path)}"

    def __str__(self) -> str:
        return self.text

    def __reduce__(self):
        return (type(self), (self.errno, self.path, self.kind))


def as_fault(err: BaseException, path: str | Path, kind: str = "") -> BaseException:
    """``err`` as a :class:`DiskFault` naming ``path`` if it is a refused write, else ``err``.
    A refused write of another file (``err.filename``: a cache, a library's own temporary file)
    names that file, not ``path``."""
    if isinstance(err, DiskFault) or not isinstance(err, OSError) or err.errno not in FAULTS:
        return err
    path = Path(path)
    other = err.filename
    if other is not None and not isinstance(other, int):
        other = Path(os.fsdecode(other))
        if not other.name.startswith(path.name):
            path = other  # not the output nor one of its temporary files
    return DiskFault(err.errno, path, kind)


def find_fault(err: BaseException) -> OSError | None:
    """The refused write behind ``err``: ``err`` itself, or an error it was raised from or while
    handling (a library that wraps the ``OSError`` in its own error). Down that chain only a full
    or read-only disk counts: a permission denied a library caught (a cache folder) is not why
    the rule failed."""
    seen: set[int] = set()
    top = True
    while err is not None and id(err) not in seen:
        seen.add(id(err))
        if isinstance(err, DiskFault):
            return err
        if isinstance(err, OSError) and err.errno in (FAULTS if top else FULL | {errno.EROFS}):
            return err
        err, top = err.__cause__ or err.__context__, False
    return None


def temporary(path: str | Path) -> Path:
    """Where :func:`replacing` has ``path`` written: ``<name>.tmp`` in the same folder."""
    path = Path(path)
    return path.with_name(path.name + ".tmp")


def remove(path: str | Path) -> None:
    """Remove a file if it is there; a failure to (a read-only folder) is not an error."""
    try:
        os.unlink(path)
    except OSError:
        pass


@contextmanager
def replacing(path: str | Path) -> Iterator[Path]:
    """Write the output ``path`` whole or not at all::

        with replacing(out) as tmp:
            frame.to_parquet(tmp)

    The block writes ``tmp`` (same folder, ``<name>.tmp``: a writer that chooses the format
    from the file's extension must be told the format); when it ends, ``tmp`` is synced to the
    disk and renamed onto ``path``. When the block or the rename fails, ``tmp`` is removed and
    the error raised again, a refused write as a :class:`DiskFault` naming ``path``.
    """
    path = Path(path)
    tmp = temporary(path)
    try:
        yield tmp
        _sync(tmp)
        os.replace(tmp, path)
    except BaseException as err:
        remove(tmp)
        fault = as_fault(err, path)
        if fault is err:
            raise
        raise fault from err


def _sync(path: Path) -> None:
    """Flush ``path`` to the disk: a file system that reports a full disk only when the data
    reaches it (NFS, some quotas) reports it here, and a crash after the rename cannot leave an
    empty output in place of the written one."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_text(path: str | Path, text: str) -> None:
    """An output text file (UTF-8, line ends as given), written whole or not at all."""
    with replacing(path) as tmp:
        tmp.write_bytes(text.encode("utf-8"))


def write_bytes(path: str | Path, data: bytes) -> None:
    """An output file of ``data``, written whole or not at all."""
    with replacing(path) as tmp:
        tmp.write_bytes(data)


class Guarded:
    """A text stream (the rule's log, its stdout) whose write or flush failing never raises in
    the middle of the job: the first failure is kept in ``failed`` (a :class:`DiskFault` naming
    ``path`` when the disk refused), :meth:`lost` is called and later writes are dropped.
    ``smk.run`` reports the failure and fails the job."""

    def __init__(self, stream, path: str | Path, kind: str = "") -> None:
        self.stream = stream
        self.path = Path(path)
        self.kind = kind
        self.failed: BaseException | None = None

    def write(self, text: str) -> int:
        if self.failed is None:
            try:
                self.stream.write(text)
            except OSError as err:
                self._fail(err)
        return len(text)

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        if self.failed is None:
            try:
                self.stream.flush()
            except OSError as err:
                self._fail(err)

    def _fail(self, err: OSError) -> None:
        fault = as_fault(err, self.path, self.kind)
        if fault is not err:
            fault.__cause__ = err
        self.failed = fault
        self.lost()

    def lost(self) -> None:
        """What to do with the stream once it failed (here: nothing)."""

    def __getattr__(self, name: str):  # encoding, fileno, isatty... of the stream itself
        if name == "stream":  # not set yet
            raise AttributeError(name)
        return getattr(self.stream, name)


LOST_LOG = "Phần nhật ký đã ghi trước đó bị xoá vì bị cắt ngang giữa chừng."


class LogFile(Guarded):
    """A rule's log file (UTF-8), written as the job goes, never raising once open (see
    :class:`Guarded`). A log that failed is not left cut at an arbitrary byte: it is emptied
    (which frees its blocks) and holds only the reason, when that fits, else it is removed
    (Snakemake then leaves an empty log; the console says why). Opening it raises (a
    :class:`DiskFault` for a refused write)."""

    def __init__(self, path: str | Path) -> None:
        try:
            stream = open(path, "w", encoding="utf-8")  # noqa: SIM115 - lives as long as the job
        except OSError as err:
            fault = as_fault(err, path, LOG)
            if fault is err:
                raise
            raise fault from err
        super().__init__(stream, path, LOG)

    def lost(self) -> None:
        try:
            self.stream.close()  # flushes again (and fails again), but closes the descriptor
        except OSError:
            pass
        if not isinstance(self.failed, DiskFault):
            remove(self.path)
            return
        try:
            with open(self.path, "w", encoding="utf-8") as fh:  # truncated first: room for the reason
                fh.write(f"{self.failed}. {LOST_LOG}\n")
        except OSError:
            remove(self.path)


class Stdout(Guarded):
    """The job's stdout (Snakemake's console, or the file it was sent to), never raising (see
    :class:`Guarded`). Once it failed, its descriptor is pointed at /dev/null: the text still
    buffered is lost either way, and the interpreter's own flush at exit must not fail again
    (it would exit 120 without a word)."""

    def __init__(self, stream) -> None:
        try:
            name = os.readlink(f"/proc/self/fd/{stream.fileno()}")
        except (OSError, ValueError, AttributeError):
            name = "<stdout>"
        super().__init__(stream, name, STDOUT)

    def lost(self) -> None:
        try:
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, self.stream.fileno())
            os.close(null)
        except (OSError, ValueError, AttributeError):
            pass
