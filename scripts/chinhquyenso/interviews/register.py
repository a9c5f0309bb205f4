"""The interview declarations: config section, register of interviews, themes, protected names.

Every problem is collected (file, row, field, value) and raised together as ``InterviewError``.
A protected name never appears in a message: ``Protector.mask`` replaces it first.
"""

from __future__ import annotations

import csv
import datetime as dt
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..config_check import path_refusal, project_file
from ..safe_text import shown

COPY_TO = "resources/phong_van/"  # where interview files belong (message of the path policy)
PATH_FIELDS = ("transcripts", "register", "protected", "themes", "excerpts")
ATTRIBUTES = ("province", "admin_level", "gender", "tenure_band")
DEFAULTS = {
    "names": "refuse",
    "attribution": list(ATTRIBUTES),
    "drop_order": ["tenure_band", "gender", "admin_level", "province"],
    "tenure_bands": None,
    "label": "PVS",
    "selection": "",
    "illustrative": False,
    "conclusion_quotes": 4,
}
# register columns: the codebook role whose values a column takes (None: free text or number)
REGISTER_COLUMNS = {
    "id": None,
    "province": "province",
    "admin_level": "admin_level",
    "gender": "gender",
    "tenure": None,
    "role": None,
    "date": None,
}
OPTIONAL_COLUMNS = ("file",)


class InterviewError(ValueError):
    """Interview declarations that cannot be used: every problem, one per line."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        head = f"{len(self.problems)} vấn đề ở phỏng vấn sâu, dừng xử lý:\n  - "
        super().__init__(head + "\n  - ".join(self.problems))


def nfc(text: object) -> str:
    return unicodedata.normalize("NFC", str(text)).strip()


@dataclass(frozen=True)
class Settings:
    """config ``interviews:`` with its defaults; paths as written in the config."""

    transcripts: str
    register: str
    protected: str
    themes: str
    excerpts: tuple[str, ...]  # one file or several (quotes placed in the report, further coding)
    names: str = "refuse"
    attribution: tuple[str, ...] = ATTRIBUTES
    drop_order: tuple[str, ...] = ()
    tenure_bands: tuple[int, ...] | None = None
    label: str = "PVS"
    selection: str = ""
    illustrative: bool = False  # transcripts written for a demo: the report says so
    conclusion_quotes: int = (
        4  # more read as a second findings section: the rest go to the interviews section
    )

    @classmethod
    def from_config(cls, section: dict) -> Settings:
        merged = {**DEFAULTS, **{k: v for k, v in section.items() if v is not None}}
        for key in ("attribution", "drop_order", "tenure_bands"):
            if merged.get(key) is not None:
                merged[key] = tuple(merged[key])
        merged["excerpts"] = as_files(merged.get("excerpts"))
        return cls(**merged)


def as_files(value) -> tuple[str, ...]:
    """``excerpts:`` as a tuple of paths: one path or a list of them."""
    return (value,) if isinstance(value, str) else tuple(value or ())


def settings_problems(section: dict, root: str | Path) -> list[str]:
    """The section's paths under the project's path policy, and existing; the attribution and
    drop order naming known attributes only (the schema says so too: this runs outside it)."""
    out = []
    named = [(k, section.get(k)) for k in PATH_FIELDS if k != "excerpts"]
    files = as_files(section.get("excerpts"))
    named += [(f"excerpts[{i}]" if len(files) > 1 else "excerpts", v) for i, v in enumerate(files, start=1)]
    named += [("excerpts", None)] if not files else []
    for key, value in named:
        if not value:
            out.append(f"config interviews.{key}: thiếu đường dẫn")
            continue
        refusal = path_refusal(value, root, COPY_TO)
        path = Path(value) if Path(value).is_absolute() else Path(root) / value
        if refusal:
            out.append(f"config interviews.{key}: {refusal}")
        elif not path.exists():
            out.append(f"config interviews.{key}: không có tệp hay thư mục «{value}»")
    for key in ("attribution", "drop_order"):
        unknown = [a for a in section.get(key) or [] if a not in ATTRIBUTES]
        if unknown:
            out.append(
                f"config interviews.{key}: thuộc tính {', '.join(map(repr, unknown))} không có "
                f"(có: {', '.join(ATTRIBUTES)})"
            )
    return out


def resolve(value: str, root: str | Path, key: str) -> Path:
    """A path of the section, once the path policy allows it (defence in depth)."""
    return project_file(value, root, f"config interviews.{key}", COPY_TO)


def read_yaml(path: Path, shown_as: str, key: str) -> tuple[list, list[str]]:
    """The list under ``key`` of a YAML file, or the problem reading it."""
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
        return [], [f"{shown_as}: không đọc được tệp YAML ({type(err).__name__})"]
    entries = doc.get(key) if isinstance(doc, dict) else None
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        return [], [f"{shown_as}: cần khóa {key}: là danh sách các mục (mỗi mục một bảng khóa)"]
    return entries, []


# --- protected names ---------------------------------------------------------------------


@dataclass(frozen=True)
class ProtectedName:
    number: int  # its place in the list: messages say "tên thứ N trong danh sách bảo vệ"
    name: str
    kind: str = ""
    replace: str = ""  # bracketed role printed instead, e.g. "[chủ tịch phường]"

    @property
    def said(self) -> str:
        return f"tên thứ {self.number} trong danh sách bảo vệ"


def load_protected(path: Path, shown_as: str) -> list[ProtectedName]:
    entries, problems = read_yaml(path, shown_as, "names")
    out = []
    for i, entry in enumerate(entries, start=1):
        name = nfc(entry.get("name") or "")
        if len(name) < 2:
            problems.append(f"{shown_as}, mục {i}, name: cần tên (ít nhất 2 ký tự)")
            continue
        replace = nfc(entry.get("replace") or "")
        if replace and not (replace.startswith("[") and replace.endswith("]")):
            problems.append(
                f"{shown_as}, mục {i}, replace: phải đặt trong ngoặc vuông, ví dụ [cán bộ phường]"
            )
        out.append(ProtectedName(i, name, nfc(entry.get("kind") or ""), replace))
    if problems:
        raise InterviewError(problems)
    return out


# --- themes ------------------------------------------------------------------------------


def load_themes(path: Path, shown_as: str) -> dict[str, str]:
    """Theme code -> Vietnamese title, in file order."""
    entries, problems = read_yaml(path, shown_as, "themes")
    out: dict[str, str] = {}
    for i, entry in enumerate(entries, start=1):
        code, title = nfc(entry.get("code") or ""), nfc(entry.get("title") or "")
        where = f"{shown_as}, mục {i}"
        if not code:
            problems.append(f"{where}, code: cần mã chủ đề")
        elif code in out:
            problems.append(f"{where}, code: mã «{shown(code)}» đã có ở mục trước")
        elif not title:
            problems.append(f"{where}, title: chủ đề «{shown(code)}» cần tiêu đề tiếng Việt")
        else:
            out[code] = title
    if problems:
        raise InterviewError(problems)
    return out


# --- the register --------------------------------------------------------------------------


@dataclass(frozen=True)
class Interview:
    id: str
    values: dict[str, str]  # role -> codebook value (province, admin_level, gender)
    tenure: int
    role: str
    date: dt.date
    file: str
    row: int = field(compare=False, default=0)


def read_register_rows(path: Path, shown_as: str) -> tuple[list[dict], list[str]]:
    """Rows of the register (CSV with a header, or YAML ``interviews:``) as text, with their
    line (CSV) or entry number (YAML)."""
    if path.suffix.lower() in (".yaml", ".yml"):
        entries, problems = read_yaml(path, shown_as, "interviews")
        return [{k: "" if v is None else str(v) for k, v in e.items()} for e in entries], problems
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))
    except (OSError, UnicodeDecodeError, csv.Error) as err:
        return [], [f"{shown_as}: không đọc được tệp CSV ({type(err).__name__})"]
    return rows, []


def _header_problems(rows: list[dict], shown_as: str) -> list[str]:
    columns = set(rows[0]) if rows else set()
    missing = [c for c in REGISTER_COLUMNS if c not in columns]
    extra = sorted(c for c in columns - set(REGISTER_COLUMNS) - set(OPTIONAL_COLUMNS) if c)
    out = []
    if missing:
        out.append(f"{shown_as}: thiếu cột {', '.join(missing)}")
    if extra:
        out.append(f"{shown_as}: cột {', '.join(extra)} không dùng (có: {', '.join(REGISTER_COLUMNS)}, file)")
    return out


def _row_problems(row: dict, where: str, allowed: dict[str, list[str]]) -> list[str]:
    """Problems of one register row: each field named with its value."""
    out = []
    if not nfc(row.get("id") or ""):
        out.append(f"{where}, cột id: cần bí danh (ví dụ CV03)")
    for column, values in allowed.items():
        value = nfc(row.get(column) or "")
        if value not in values:
            out.append(
                f"{where}, cột {column}: giá trị «{shown(value)}» không có trong codebook "
                f"(có: {', '.join(values)})"
            )
    tenure = nfc(row.get("tenure") or "")
    if not tenure.isdigit():
        out.append(f"{where}, cột tenure: giá trị «{shown(tenure)}» phải là số năm công tác (số nguyên ≥ 0)")
    date = nfc(row.get("date") or "")
    try:
        dt.date.fromisoformat(date)
    except ValueError:
        out.append(f"{where}, cột date: giá trị «{shown(date)}» phải là ngày dạng YYYY-MM-DD")
    return out


def load_register(path: Path, shown_as: str, book) -> list[Interview]:
    """The interviews, in file order; values of province, administrative level and gender must
    be values of the codebook's variables of those roles."""
    rows, problems = read_register_rows(path, shown_as)
    if not problems and not rows:
        problems.append(f"{shown_as}: không có cuộc phỏng vấn nào")
    problems += _header_problems(rows, shown_as) if path.suffix.lower() == ".csv" else []
    if problems:
        raise InterviewError(problems)
    allowed = {}
    for column, role in REGISTER_COLUMNS.items():
        if role is None:
            continue
        var = book.role(role)
        if var is None:
            problems.append(f"{shown_as}, cột {column}: codebook không có biến giữ vai trò {role}")
        else:
            allowed[column] = [str(v) for v in book[var].values]
    out, seen = [], {}
    yaml_rows = path.suffix.lower() in (".yaml", ".yml")
    for i, row in enumerate(rows, start=1):
        where = f"{shown_as}, {'mục' if yaml_rows else 'dòng'} {i if yaml_rows else i + 1}"
        found = _row_problems(row, where, allowed)
        pid = nfc(row.get("id") or "")
        if pid and pid in seen:
            found.append(f"{where}, cột id: bí danh «{shown(pid)}» đã có ở {seen[pid]}")
        seen.setdefault(pid, where.rsplit(", ", 1)[-1])
        problems += found
        if found:
            continue
        out.append(
            Interview(
                id=pid,
                values={c: nfc(row[c]) for c in allowed},
                tenure=int(nfc(row["tenure"])),
                role=nfc(row.get("role") or ""),
                date=dt.date.fromisoformat(nfc(row["date"])),
                file=nfc(row.get("file") or ""),
                row=i,
            )
        )
    if problems:
        raise InterviewError(problems)
    return out
