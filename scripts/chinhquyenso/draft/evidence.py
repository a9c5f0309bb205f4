"""What the draft knows about one question before it decides anything.

Two sources fill it: an export's columns (``from_export``: headers and the answers counted)
and a form definition (``chinhquyenso.draft.xlsform``: types, choices and conditions as the
form declares them). Everything downstream (matching, kinds, the YAML and the change report)
reads only these objects, so both sources give the same kind of draft.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..readers import RawSurvey

# Kinds the draft can propose; `None` in ``declared_kind`` means "guess it from the answers".
KINDS = (
    "yes_no",  # two answers, one of them a "yes"
    "ordinal",  # an ordered scale (order from the form, a reference scale or the wording)
    "multiselect",  # several options in one cell, joined by ``separator``
    "single_choice",  # one of a few unordered answers
    "integer",
    "text",  # free text: kept out of tables
    "datetime",
    "identifier",  # a direct personal identifier: dropped at ingest
    "id",  # the respondent ID
)


@dataclass
class Column:
    """One question: a column of an export, or a question of a form."""

    header: str  # the header as the export writes it (a form: the label the export will carry)
    position: int  # 0-based place in the export or form
    answers: Counter = field(default_factory=Counter)  # raw answer text -> how many rows gave it
    n_rows: int = 0  # rows read (answers counts are out of this; blanks are n_rows - sum)
    # From a form definition (None when only data is known):
    name: str | None = None  # the form's own variable name (XLSForm `name`)
    declared_kind: str | None = None  # one of KINDS
    choices: list[str] | None = None  # answer labels in the form's order
    separator: str | None = None  # multiselect separator, when declared
    relevant: tuple[str, str] | None = None  # (form name of a yes/no question, answer) -> only_if
    not_applicable: str | None = None  # the answer the form gives when `relevant` is false
    # From SPSS: the cells that are user-missing codes, as written (the code's value label, or the
    # code itself when unlabelled) -> the code as text: {"Không biết": "98", "99": "99"}.
    user_missing: dict[str, str] = field(default_factory=dict)
    # From an export: how many distinct answers the column has (``answers`` keeps the most
    # frequent ``limit_distinct`` of them), and whether every non-empty answer is an integer
    # with the smallest and largest (counted over all rows, not only the kept answers).
    n_distinct: int | None = None
    integer_range: tuple[int, int] | None = None
    # From a form definition, too (``chinhquyenso.draft.xlsform``):
    block: tuple[str, str] | None = None  # (name, label) of the form group holding the question
    choice_names: list[str] | None = None  # the form's names of ``choices``, same order (value exports)
    aliases: list[str] = field(default_factory=list)  # other headers an export may give it (its name)
    notes: list[str] = field(default_factory=list)  # what the analyst must confirm (# XÁC NHẬN)

    @property
    def n_answered(self) -> int:
        return sum(n for answer, n in self.answers.items() if str(answer).strip())


def integer_range(values) -> tuple[int, int] | None:
    """Smallest and largest of distinct answers that are all integers (blanks aside), else None."""
    import pandas as pd

    text = pd.Series(values, dtype=object).astype(str).str.strip()
    text = text[text != ""]
    if text.empty or not text.str.fullmatch(r"[+-]?\d{1,15}").all():
        return None
    numbers = text.astype("int64")
    return int(numbers.min()), int(numbers.max())


def from_export(raw: RawSurvey, limit_distinct: int = 200) -> list[Column]:
    """One :class:`Column` per column of an export: its answers counted (whitespace trimmed),
    column by column with pandas, so a million rows take seconds."""
    columns = []
    n_rows = len(raw.frame)
    for position, header in enumerate(raw.frame.columns):
        counts = raw.frame.iloc[:, position].astype(str).str.strip().value_counts(sort=True)
        coded_missing = dict(raw.user_missing.get(header, {}))
        # user-missing codes (SPSS 98, 99) are not answers: they do not widen an integer's range
        distinct = counts.index[(counts.index != "") & ~counts.index.isin(list(coded_missing))]
        columns.append(
            Column(
                header=str(header),
                position=position,
                answers=Counter({str(k): int(v) for k, v in counts.iloc[:limit_distinct].items()}),
                n_rows=n_rows,
                n_distinct=len(distinct),
                integer_range=integer_range(distinct),
                user_missing=coded_missing,
            )
        )
    return columns
