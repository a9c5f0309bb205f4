"""The change report (Vietnamese Markdown) that goes with a draft codebook: every decision,
the ones to confirm first. It names questions, variables and answer spellings of category
questions; it never shows a value of an identifier or ID column."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..vn_format import number
from .answers import UNIT_BASIS, UNITS_FILE, as_unit, units
from .match import SURE
from .vocab import MISSING_CLASSES

if TYPE_CHECKING:
    from .build import Draft

KIND_WORDS = {
    "yes_no": "có/không", "ordinal": "thang thứ bậc", "multiselect": "chọn nhiều",
    "single_choice": "chọn một", "integer": "số nguyên", "text": "trả lời tự do",
    "datetime": "thời điểm", "identifier": "thông tin định danh", "id": "mã phiếu",
}  # fmt: skip
HOW = {
    "giống": "giống cách viết năm trước",
    "gần": "gần giống",
    "đơn vị 2025": "đơn vị cấp tỉnh 2025",
    "mới": "mới",
}
CONFIG_STEPS = (
    "`survey.path`, `survey.codebook` (tệp nháp này sau khi xác nhận), `survey.year`, `survey.illustrative`;",
    "`survey.reference_codebook`: sổ mã năm trước, để phần phương pháp nêu khối nào không còn;",
    "`documents.periods` và `documents.dti_period`: kỳ của số liệu bối cảnh (giá trị có trong "
    "`resources/documents/trich_xuat.yaml`);",
    "`models.covariates` và `models.focal`: tên biến theo sổ mã mới, nhóm tham chiếu là một giá trị có thật;",
    "`report.recommendations`, `introduction`, `place`: lời của tác giả, theo các câu hỏi còn hỏi;",
    "`reproduction.published: null` nếu không có số liệu công bố để đối chiếu.",
)


def _cell(text) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _table(head: list[str], rows: list[list]) -> list[str]:
    if not rows:
        return ["(không có)", ""]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return [*lines, ""]


def _confirmations(draft: Draft) -> list[str]:
    out = []
    for (section, key), lines in draft.comments.items():
        where = {"variables": "biến", "scales": "thang", "blocks": "khối"}[section]
        out += [f"- {where} `{key}`: {line}" for line in dict.fromkeys(lines)]
    return out or ["Không có quyết định nào cần xác nhận."]


def _summary(draft: Draft) -> list[str]:
    matched = [p for p in draft.planned if p.match]
    sure = [p for p in matched if p.match.score >= SURE]
    new = [p for p in draft.planned if not p.match]
    idents = [p for p in draft.planned if p.spec.get("type") == "identifier"]
    missing = {c for p in draft.planned for c in (p.spec.get("missing") or {})}
    rows = max((p.column.n_rows for p in draft.planned), default=0)
    return [
        f"- Số cột của tệp: {number(len(draft.planned))}; số dòng đọc: {number(rows)}.",
        f"- Ghép với biến năm trước: {number(len(matched))} ({number(len(sure))} chắc chắn, "
        f"{number(len(matched) - len(sure))} cần xác nhận).",
        f"- Biến mới: {number(len(new))}. Biến năm trước không còn: {number(len(draft.dropped_variables))}. "
        f"Khối không còn: {number(len(draft.layout.dropped))}.",
        f"- Cột thông tin định danh (bị bỏ khi nhập): {number(len(idents))}. "
        f"Lớp không trả lời: {number(len(missing))}.",
        "",
    ]


def _columns(draft: Draft) -> list[str]:
    rows_m = [
        [p.column.header, f"`{p.name}`", f"{p.match.score:.0f}%", "; ".join(p.notes) or "—"]
        for p in draft.planned if p.match
    ]  # fmt: skip
    rows_n = [
        [p.column.header, f"`{p.name}`", KIND_WORDS[p.guess.kind], p.guess.why, "; ".join(p.notes) or "—"]
        for p in draft.planned
        if not p.match
    ]
    out = ["## Câu hỏi ghép với năm trước", ""]
    out += _table(["Tiêu đề cột", "Biến", "Độ tin cậy", "Ghi chú"], rows_m)
    out += ["## Câu hỏi mới", ""]
    out += _table(["Tiêu đề cột", "Biến", "Loại", "Vì sao", "Ghi chú"], rows_n)
    out += ["## Câu hỏi và khối năm trước không còn", ""]
    out += [f"- Biến: {', '.join(f'`{n}`' for n in draft.dropped_variables) or '(không có)'}."]
    out += [f"- Khối: {', '.join(f'«{t}»' for t in draft.layout.dropped) or '(không có)'}.", ""]
    return out


def _blocks(draft: Draft) -> list[str]:
    out = ["## Khối câu hỏi, mục và thang đo", ""]
    for b in draft.doc["blocks"]:
        what = (
            b.get("variables")
            or b.get("variable")
            or list(draft.doc["items"].get(b.get("items"), {}).get("entries", {}))
        )
        listed = ", ".join(map(str, what)) if isinstance(what, list) else what
        out.append(f"- `{b['id']}` ({b['kind']}) «{b['title']}»: {listed}")
    out += [f"- {note}" for note in [*draft.layout.notes, *draft.scales.notes]]
    out += ["", "## Vai trò", ""]
    out += (
        [f"- {r}: `{n}`" for r, n in draft.doc["roles"].items()] + [f"- {n}" for n in draft.role_notes] + [""]
    )
    return out


def _answers(draft: Draft) -> list[str]:
    out = ["## Đáp án", "", f"Tỉnh, thành phố được đưa về tên đơn vị hành chính cấp tỉnh theo {UNIT_BASIS} "
           f"(danh sách: `{UNITS_FILE.relative_to(UNITS_FILE.parents[2])}`).", ""]  # fmt: skip
    for p in draft.planned:
        if p.categories is None or p.spec.get("type") in ("identifier", "id"):
            continue
        out += [f"### `{p.name}` — {p.column.header}", ""]
        rows = [
            [f"«{m.answer}»", f"«{m.value}»", HOW[m.how], f"{m.score:.0f}%", number(m.count)]
            for m in p.categories.mappings
        ]
        out += _table(["Đáp án trong tệp", "Giá trị", "Cách ghép", "Độ giống", "Số phiếu"], rows)
        out += _unused(p)
    return out


def _unused(p) -> list[str]:
    """Last year's values nobody chose; for the province, those that are no 2025 unit."""
    if not p.categories.unused:
        return []
    out = ["Giá trị năm trước không ai chọn (đã bỏ; thêm lại nếu biểu mẫu vẫn có): "
           + ", ".join(f"«{u}»" for u in p.categories.unused) + "."]  # fmt: skip
    if p.role == "province":
        table = units()
        gone = [u for u in p.categories.unused if as_unit(u, table) is None]
        if gone:
            out.append(
                "Không còn là đơn vị cấp tỉnh từ 1/7/2025: " + ", ".join(f"«{u}»" for u in gone)
                + " (bản nháp giữ bảng chuyển đổi `crosswalk` để so sánh với đợt trước)."
            )  # fmt: skip
    return [*out, ""]


def _identifiers_and_missing(draft: Draft) -> list[str]:
    out = ["## Thông tin định danh", "", "Giá trị của các cột này không được in ở đâu.", ""]
    out += [
        f"- «{p.column.header}» → `{p.name}`: {p.guess.identifier or p.guess.why}"
        for p in draft.planned if p.spec.get("type") == "identifier"
    ] or ["(không có)"]  # fmt: skip
    out += ["", "## Không trả lời theo mục (missing)", ""]
    rows = [
        [f"`{p.name}`", MISSING_CLASSES[c][0], ", ".join(f"«{s}»" for s in spellings)]
        for p in draft.planned for c, spellings in (p.spec.get("missing") or {}).items()
    ]  # fmt: skip
    return out + _table(["Biến", "Lớp", "Cách viết trong tệp"], rows)


def _source_notes(draft: Draft) -> list[str]:
    """What the reader of the source said about it (a form's elements that are not columns)."""
    if not draft.notes:
        return []
    return ["## Ghi chú về tệp nguồn", "", *[f"- {note}" for note in draft.notes], ""]


def report(draft: Draft, yaml_name: str) -> str:
    lines = [
        f"# Báo cáo thay đổi sổ mã: {yaml_name}",
        "",
        f"Bản nháp lập từ tệp «{draft.source_name}» và sổ mã năm trước «{draft.reference_path.name}». "
        "Bản nháp chạy được ngay; mỗi quyết định dưới đây đã được điền phương án khả dĩ nhất.",
        "",
        "## Cần xác nhận trước",
        "",
        *_confirmations(draft),
        "",
        "## Tóm tắt",
        "",
        *_summary(draft),
        *_source_notes(draft),
        *_columns(draft),
        *_blocks(draft),
        *_answers(draft),
        *_identifiers_and_missing(draft),
        "## Việc còn lại trong config.yaml",
        "",
        *[f"- {step}" for step in CONFIG_STEPS],
        "",
    ]
    return "\n".join(lines)
