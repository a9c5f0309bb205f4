"""A failed run's closing paragraph, in Vietnamese.

A failed job: its stage, its reason read back from its log (chinhquyenso.smk.run writes
"quy tắc <rule> thất bại: <reason>" there, then the traceback once: the traceback stays in the
log), the logs to read. An error before any job (a config error raised while the workflow is
read): Snakemake's message without the frame around it (the exception's name, the Snakefile and
line, the traceback's file lines); a message of Snakemake's own, in English, gets a Vietnamese
lead and, for the common ones, what to do.
"""

from __future__ import annotations

import re
from pathlib import Path

MAX_REASON_LINES = 8
FAILURE = re.compile(r" ERROR rule\.\S+: quy tắc (?P<rule>\S+) thất bại: (?P<first>.*)$")
RECORD_START = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d")
TRACEBACK = "Traceback (most recent call last):"
# "WorkflowError in file "…/common.smk", line 18:" and the like: the frame, not the message
HEADER = re.compile(r'^\w+(?: in rule \S+)?(?: in file ".*", line \d+)?:$')
FRAME = re.compile(r'^\s+File ".*", line \d+')
VIETNAMESE = re.compile(r"[ăâđêôơưạảãàáầấậẩẫằắặẳẵèéẹẻẽềếệểễìíịỉĩòóọỏõồốộổỗờớợởỡùúụủũừứựửữỳýỵỷỹ]", re.I)
ADVICE = {
    "LockException": "Thư mục đang bị khóa: một lần chạy khác đang chạy, hoặc lần trước bị ngắt. "
    "Nếu không còn lần chạy nào khác: `make recover`.",
    "IncompleteFilesException": "Lần chạy trước bị ngắt giữa chừng, còn tệp làm dở: `make recover`.",
    "MissingInputException": "Thiếu tệp đầu vào: kiểm tra đường dẫn trong config.yaml.",
    "MissingRuleException": "Không có bước nào tạo ra tệp được yêu cầu: kiểm tra tên tệp đích.",
    "KeyboardInterrupt": "Đã dừng theo yêu cầu (Ctrl-C). Chạy lại `make report` để làm tiếp; "
    "nếu bị báo thư mục bị khóa hay còn tệp làm dở: `make recover`.",
}


def reason_from_log(log: Path, rule: str) -> list[str]:
    """The failure's own lines from a job's log (the last failure written there); [] when the
    log has none (the job died before it could write one)."""
    try:
        lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
    start = None
    for i, line in enumerate(lines):
        m = FAILURE.search(line)
        if m and m.group("rule") == rule:
            start = i
    if start is None:
        return []
    reason = [FAILURE.search(lines[start]).group("first")]
    for line in lines[start + 1 :]:
        if line.startswith(TRACEBACK) or RECORD_START.match(line):
            break
        reason.append(line)
    return [line for line in reason if line.strip()]


def job_paragraph(rule: str, stage: str, logs: list[str], root: Path) -> list[str]:
    """What the reader sees of one failed job."""
    step_logs = [p for p in logs if p.endswith(".log")]
    reason = next((r for p in step_logs if (r := reason_from_log(root / p, rule))), [])
    lines = [f"Quy trình dừng ở giai đoạn «{stage}»; các kết quả đã làm xong được giữ nguyên."]
    if reason:
        lines.append(f"LỖI ở bước «{rule}»: {reason[0]}")
        shown = reason[1:MAX_REASON_LINES]
        lines += shown
        if len(reason) > MAX_REASON_LINES:
            lines.append(f"  … và {len(reason) - MAX_REASON_LINES} dòng nữa trong nhật ký.")
    else:
        lines.append(
            f"LỖI ở bước «{rule}»: nhật ký của bước không ghi lý do (bước bị ngắt hoặc hết bộ nhớ, "
            "hay nhật ký không ghi được: khi đó bước đã tự báo ở phía trên)."
        )
    if logs:
        lines.append(f"Nhật ký của bước: {', '.join(logs)}")
    return lines


def error_paragraph(message: str, exception: str | None) -> list[str]:
    """An error outside any job, without Snakemake's frame around its message."""
    body = [line for line in message.strip().splitlines() if not FRAME.match(line)]
    if body and HEADER.match(body[0].strip()):
        body = body[1:]
    body = [line for line in body if line.strip()] or [exception or "lỗi không rõ"]
    if VIETNAMESE.search("\n".join(body)):
        return ["Quy trình không chạy được:", *body]
    lead = ["Snakemake dừng lại với thông báo (tiếng Anh) dưới đây."]
    if exception in ADVICE:
        lead.append(ADVICE[exception])
    return [*lead, *body]
