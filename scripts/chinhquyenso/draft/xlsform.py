"""Evidence from a Kobo/ODK form definition (XLSForm), read with pyxform.

pyxform parses the survey, choices and settings sheets (every syntax variant it accepts: type
aliases, ``select_one list or_other``, translated columns, groups) into its JSON form; this
module only walks that form. Each question becomes a ``Column`` whose header is its label
(what a Kobo "labels" export writes) and whose ``aliases`` are its name and group path (what
an "XML values" export or ODK Central writes).

Decisions, in the order the draft relies on them:
- Labels: the Vietnamese translation when the form has several languages (a language whose
  name carries the code ``vi`` or starts with "Vietnam"/"Tiếng Việt"; else the one written
  with Vietnamese letters, e.g. an untagged ``label`` column), else the form's default
  language, else the first one.
- ``select_one`` is yes/no when its list has two choices named by XLSForm's convention
  (yes/no, 1/0, true/false) or labelled as a yes/no scale of the reference codebook; it is
  ordinal when any question asks its list with the ``likert`` appearance (ODK's own mark of an
  ordered scale) or when its labels are, in order, the codes of a reference ordinal scale;
  otherwise single choice.
- ``select_multiple`` is a multiselect whose separator is a space: ODK and Kobo write the
  chosen names joined by spaces, and a Kobo "labels" export joins the labels by spaces too,
  which cannot be split when a label has spaces (the question then asks the analyst to export
  values or to list the names as spellings; ``choice_names`` gives them).
- ``integer``/``range`` are integers, ``date``/``dateTime``/``start``/``end``/``today``
  timestamps; ``text``/``barcode`` free text; ``decimal`` free text too (the codebook has no
  decimal type) with a note; device and user properties (``username``, ``phonenumber``...)
  are identifiers, dropped at ingest.
- ``relevant`` of the form ``${q} = 'yes'`` or ``selected(${q}, 'yes')`` with ``q`` a yes/no
  question and the value its yes choice becomes ``relevant = (q, yes label)``; a group's
  condition applies to its questions. Any other condition gives no ``only_if`` and a note.
  Every conditional question gets ``not_applicable`` (its "không áp dụng" spelling).
- Notes, calculations, groups and questions no table can show (GPS, media, rank) are not
  columns; they are listed in ``report`` with their sheet row, so nothing is left out silently.
"""

from __future__ import annotations

import copy
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from pyxform.builder import create_survey_element_from_dict
from pyxform.errors import PyXFormError
from pyxform.question_type_dictionary import QUESTION_TYPE_DICT
from pyxform.xls2json import workbook_to_json
from pyxform.xls2json_backends import get_xlsform

from ..codebook import fold
from .evidence import Column

# The spelling the draft declares for a structurally absent answer (class khong_ap_dung).
NOT_APPLICABLE = "Không áp dụng"
# Columns a server adds to every export, which no form declares: said once in the report.
SERVER_COLUMNS = (
    "Các cột máy chủ thêm vào tệp xuất (Kobo: _id, _uuid, _submission_time; ODK Central: KEY, "
    "SubmissionDate) không có trong biểu mẫu: bản nháp không khai báo mã phiếu và thời điểm nộp; "
    "muốn dùng, thêm biến type: id / type: datetime với tiêu đề đó và vai trò id / submitted_at."
)
# XLSForm's conventional choice names of a yes/no list: (yes, no). Names, never labels.
_YES_NO_NAMES = (("yes", "no"), ("1", "0"), ("true", "false"))
_VIETNAMESE = re.compile(r"\(vi\)|^vi$|^vi[-_]|^vietnam|^tiếng việt", re.IGNORECASE)
# Letters only Vietnamese writes among the languages a form may carry (base letters and tones).
_VIET_LETTERS = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.IGNORECASE)
_REF = r"\$\{([A-Za-z_][\w.-]*)\}"
_VALUE = r"(['\"])(.*?)\2"
_EQUALS = re.compile(rf"^\s*{_REF}\s*=\s*{_VALUE}\s*$")
_SELECTED = re.compile(rf"^\s*selected\(\s*{_REF}\s*,\s*{_VALUE}\s*\)\s*$")
_ROW = re.compile(r"\[row\s*:\s*(\d+)\]")
_SHEET = re.compile(r"'(survey|choices|settings|external_choices|entities)' sheet")


class FormError(ValueError):
    """An XLSForm that pyxform refuses, said in Vietnamese with its file, sheet and row."""


@dataclass
class _Form:
    """What the walk needs besides the element at hand."""

    path: Path
    language: str | None
    rows: dict[str, int]  # question name -> row of the survey sheet
    likert_lists: set[str]
    yes_no_labels: list[tuple[set[str], set[str]]]  # reference yes/no scales: (yes, no) spellings
    ordered_labels: list[list[set[str]]]  # reference ordinal scales: spellings per code, in order
    report: list[str]
    yes_choice: dict[str, tuple[str, str]] = field(default_factory=dict)  # yes/no q -> (name, label)


def from_xlsform(
    path: Path, *, reference: Path | None = None, report: list[str] | None = None
) -> list[Column]:
    """The questions of the XLSForm at ``path``, in form order, as draft evidence.

    ``reference``: last year's codebook, whose yes/no and ordinal scales are known ordered
    scales. ``report``: receives one Vietnamese line per element that is not a column (and per
    pyxform warning). Raises ``FormError`` for a form pyxform refuses.
    """
    path = Path(path)
    warnings: list[str] = []
    form_json, rows = _parse(path, warnings)
    form = _Form(
        path=path,
        language=_language(form_json),
        rows=rows,
        likert_lists=_likert_lists(form_json.get("children", [])),
        yes_no_labels=[],
        ordered_labels=[],
        report=report if report is not None else [],
    )
    if reference is not None:
        form.yes_no_labels, form.ordered_labels = _reference_scales(Path(reference))
    form.report.extend(f"{path.name}: pyxform cảnh báo: {w}" for w in warnings)
    form.report.append(SERVER_COLUMNS)
    columns: list[Column] = []
    conditions: list[str | None] = []
    for element, block, condition in _questions(form_json.get("children", []), form):
        column = _column(element, block, form, len(columns))
        if column is not None:
            columns.append(column)
            conditions.append(condition)
    for column, condition in zip(columns, conditions, strict=True):
        if condition:
            _condition(column, condition, form)
    return columns


def _parse(path: Path, warnings: list[str]) -> tuple[dict, dict[str, int]]:
    """pyxform's JSON form and each survey name's sheet row; ``FormError`` if refused."""
    if not path.is_file():
        raise FormError(f"Không có tệp bảng hỏi XLSForm «{path}».")
    survey: list[dict] = []
    try:
        workbook = get_xlsform(xlsform=str(path))
        survey = list(workbook.survey or [])
        # Rows as pyxform numbers them in its own messages (header = row 1, blank rows kept).
        rows = {str(r.get("name")): n for n, r in enumerate(survey, start=2) if r.get("name")}
        form_json = workbook_to_json(
            workbook_dict=workbook,
            form_name="data",
            fallback_form_name=workbook.fallback_form_name,
            warnings=warnings,
        )
        # pyxform's own build of the form checks what the sheets' parse does not (question types).
        create_survey_element_from_dict(copy.deepcopy(form_json))
    except PyXFormError as err:
        raise FormError(_refusal(path, str(err), survey)) from None
    except (OSError, ValueError, KeyError) as err:
        raise FormError(f"Tệp «{path.name}» không đọc được như một bảng hỏi XLSForm ({err}).") from None
    return form_json, rows


def _refusal(path: Path, message: str, survey: list[dict]) -> str:
    """pyxform's message placed in a Vietnamese sentence naming the file, sheet and row (the
    row of the type or name it quotes when it gives none)."""
    where = [f"tệp «{path.name}»"]
    sheet = _SHEET.search(message)
    found = _ROW.search(message)
    row = found.group(1) if found else _quoted_row(message, survey)
    if sheet or row:
        where.append(f"trang «{sheet.group(1) if sheet else 'survey'}»")
    if row:
        where.append(f"dòng {row}")
    detail = _ROW.sub("", message).strip()
    place = ", ".join(where)
    return f"Bảng hỏi XLSForm không hợp lệ ({place}): pyxform báo «{detail}». Sửa bảng hỏi rồi chạy lại."


def _quoted_row(message: str, survey: list[dict]) -> int | None:
    """The survey row whose type or name the message quotes ('...')."""
    quoted = set(re.findall(r"'([^']+)'", message))
    for number, row in enumerate(survey, start=2):
        if quoted & {str(row.get("type", "")).strip(), str(row.get("name", "")).strip()}:
            return number
    return None


def _language(form_json: dict) -> str | None:
    """The language whose labels the draft takes (None: the form has no translations)."""
    languages: dict[str, list[str]] = {}
    _collect_languages(form_json.get("children", []), languages)
    if not languages:
        return None
    tagged = [lang for lang in languages if _VIETNAMESE.search(lang.strip())]
    if tagged:
        return tagged[0]
    # An untagged `label` column (pyxform's "default") may hold the Vietnamese text: the
    # language written with the most Vietnamese letters, if any has them.
    letters = {
        lang: sum(len(_VIET_LETTERS.findall(text)) for text in texts) for lang, texts in languages.items()
    }
    best = max(letters, key=letters.get)
    if letters[best]:
        return best
    default = form_json.get("default_language")
    return default if default in languages else next(iter(languages))


def _collect_languages(children: list, out: dict[str, list[str]]) -> None:
    """Language -> its label texts, in the order the form first uses each language."""
    for element in children:
        for text in (element.get("label"), *(c.get("label") for c in element.get("choices") or [])):
            if isinstance(text, dict):
                for lang, value in text.items():
                    out.setdefault(lang, []).append(str(value or ""))
        _collect_languages(element.get("children") or [], out)


def _text(label, form: _Form) -> str:
    """A label in the chosen language (another one if that translation is empty)."""
    if isinstance(label, dict):
        label = label.get(form.language) or next((v for v in label.values() if v), "")
    return unicodedata.normalize("NFC", str(label or "")).strip()


def _likert_lists(children: list) -> set[str]:
    """Lists that some question shows with the ``likert`` appearance: ordered scales."""
    found: set[str] = set()
    for element in children:
        appearance = str((element.get("control") or {}).get("appearance", ""))
        if "likert" in appearance.split() and element.get("list_name"):
            found.add(element["list_name"])
        found |= _likert_lists(element.get("children") or [])
    return found


def _reference_scales(reference: Path) -> tuple[list, list]:
    """Spellings of the reference codebook's yes/no scales and, per code, of its ordinal ones."""
    from ..codebook_check import read_document

    yes_no, ordered = [], []
    for scale in (read_document(reference).get("scales") or {}).values():
        codes = scale.get("codes") or {}
        spellings = {code: {fold(raw) for raw in raws or []} for code, raws in codes.items()}
        if scale.get("type") == "boolean":
            yes_no.append((spellings.get(True, set()), spellings.get(False, set())))
        elif scale.get("type") == "ordinal":
            ordered.append([spellings[code] for code in sorted(spellings)])
    return yes_no, ordered


def _questions(children: list, form: _Form, block=None, condition=None):
    """(element, block, condition) for every element under ``children``, groups walked into;
    the condition is the element's own ``relevant`` and its groups' joined."""
    for element in children:
        own = (element.get("bind") or {}).get("relevant")
        joined = (
            " and ".join(f"({c})" for c in (condition, own) if c) if condition and own else own or condition
        )
        kind = element.get("type")
        if kind == "group" and (element.get("control") or {}).get("bodyless"):
            continue  # the form's meta group (instanceID): written by the server, not asked
        if kind in ("group", "repeat"):
            if kind == "repeat":
                _skip(form, element, "nhóm lặp lại (repeat): câu trả lời nằm ở trang khác của tệp xuất")
                continue
            label = _text(element.get("label"), form)
            yield from _questions(element.get("children") or [], form, (element["name"], label), joined)
        else:
            yield element, block, joined


def _skip(form: _Form, element: dict, why: str) -> None:
    row = form.rows.get(element.get("name", ""))
    where = f"dòng {row}" if row else "trang survey"
    form.report.append(f"{form.path.name}, {where}: «{element.get('name')}» ({element.get('type')}) — {why}")


def _column(element: dict, block, form: _Form, position: int) -> Column | None:
    """The column an export carries for ``element``, or None (recorded in the report)."""
    spec = QUESTION_TYPE_DICT.get(element.get("type"), {})
    tag = (spec.get("control") or {}).get("tag")
    bind = spec.get("bind") or {}
    name = element["name"]
    label = _text(element.get("label"), form)
    column = Column(header=label or name, position=position, name=name, block=block)
    column.aliases = [a for a in (name, *_paths(block, name)) if a != column.header]
    if tag in ("select1", "select"):
        _choices(column, element, form, tag)
    elif bind.get("jr:preload") == "property":
        column.declared_kind = "identifier"  # user name, phone, e-mail, device: personal data
    elif bind.get("type") in ("date", "dateTime"):
        column.declared_kind = "datetime"
    elif bind.get("type") == "int" and tag in ("input", "range"):
        column.declared_kind = "integer"
    elif bind.get("type") == "decimal" and tag == "input":
        column.declared_kind = "text"
        column.notes.append("số thập phân: codebook không có loại số thập phân, tạm để là văn bản tự do")
    elif tag == "input" and bind.get("type") in ("string", "barcode", "time") and "readonly" not in bind:
        column.declared_kind = "text"
    else:
        why = (
            "không phải câu hỏi (ghi chú, phép tính)"
            if not tag or "readonly" in bind
            else "không lập bảng được"
        )
        _skip(form, element, why)
        return None
    return column


def _paths(block, name: str) -> list[str]:
    """Headers of a grouped question in value exports: Kobo "g/q", ODK Central "g-q"."""
    return [f"{block[0]}/{name}", f"{block[0]}-{name}"] if block else []


def _choices(column: Column, element: dict, form: _Form, tag: str) -> None:
    """Kind, choices and separator of a select question."""
    choices = element.get("choices") or []
    column.choices = [_text(c.get("label"), form) or str(c["name"]) for c in choices]
    column.choice_names = [str(c["name"]) for c in choices]
    if tag == "select1":  # the answers offered, given by no one yet (a multi-select's are combinations)
        column.answers = Counter(dict.fromkeys(column.choices, 0))
    if tag == "select":
        column.declared_kind = "multiselect"
        column.separator = " "
        if any(" " in label for label in column.choices):
            column.notes.append(
                "chọn nhiều: tệp xuất ghi các lựa chọn cách nhau bằng dấu cách; nhãn có dấu cách không "
                "tách được, hãy xuất theo tên lựa chọn (XML values) hoặc mỗi lựa chọn một cột"
            )
        return
    if not choices:
        column.declared_kind = "single_choice"
        column.notes.append(
            f"danh sách lựa chọn lấy từ tệp ngoài «{element.get('itemset')}»: bổ sung các đáp án"
        )
        return
    yes = _yes_choice(column, form)
    if yes is not None:
        column.declared_kind = "yes_no"
        form.yes_choice[column.name] = (column.choice_names[yes], column.choices[yes])
    elif element.get("list_name") in form.likert_lists or _is_reference_scale(column.choices, form):
        column.declared_kind = "ordinal"
    else:
        column.declared_kind = "single_choice"


def _yes_choice(column: Column, form: _Form) -> int | None:
    """Index of the yes choice when the list is a yes/no pair, else None."""
    if len(column.choice_names) != 2:
        return None
    names = [fold(n) for n in column.choice_names]
    for yes, no in _YES_NO_NAMES:
        if sorted(names) == sorted((yes, no)):
            return names.index(yes)
    labels = [fold(label) for label in column.choices]
    for yes, no in form.yes_no_labels:
        for i in (0, 1):
            if labels[i] in yes and labels[1 - i] in no:
                return i
    return None


def _is_reference_scale(labels: list[str], form: _Form) -> bool:
    """Labels that are, in order, the codes of an ordinal scale of the reference codebook."""
    folded = [fold(label) for label in labels]
    return any(
        len(codes) == len(folded)
        and all(label in spellings for label, spellings in zip(folded, codes, strict=True))
        for codes in form.ordered_labels
    )


def _condition(column: Column, condition: str, form: _Form) -> None:
    """``relevant``/``not_applicable`` from a display condition; a note when it is not simple."""
    column.not_applicable = NOT_APPLICABLE
    match = _EQUALS.match(condition) or _SELECTED.match(condition)
    if match:
        question, value = match.group(1), match.group(3)
        yes = form.yes_choice.get(question)
        if yes is not None and value == yes[0]:
            column.relevant = (question, yes[1])
            return
    column.notes.append(
        f"điều kiện hiển thị «{condition}» không chỉ là một câu có/không trả lời «có»: "
        "only_if của bản nháp (nếu có) chỉ là phỏng đoán; kiểm tra câu này được hỏi ai"
    )
