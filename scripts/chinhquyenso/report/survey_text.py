"""Sentences and labels of the survey sections the sample and question blocks need: category
values as the reader sees them (codebook ``label:``), where the sample is, the ranges of age and
tenure with their units, the yes/no questions' shares. Built on the text layer ``vn_text``."""

from __future__ import annotations

import pandas as pd

from ..codebook import Codebook, label_unit
from ..vn_format import number
from .vn_text import join, span


def shown(value) -> bool:
    """A published count: not hidden by the disclosure stage."""
    return not pd.isna(value)


def labelled(computed: dict[str, pd.DataFrame], book: Codebook) -> dict[str, pd.DataFrame]:
    """The tables with each category value replaced by its printed label (codebook ``label:``),
    for what the reader sees; the CSVs and every key keep the value."""
    out = dict(computed)

    def relabel(frame: pd.DataFrame, column: str, var: str) -> pd.Series:
        names = book.value_labels(var)
        return frame[column].map(lambda v: names.get(v, v)) if names else frame[column]

    for key in ("gender", "admin_levels"):
        if key in out:
            frame = out[key].copy()
            for col in frame.columns[: 2 if key == "gender" else 1]:
                frame[col] = relabel(frame, col, col)
            out[key] = frame
    if out.get("breakdowns") is not None:
        frame = out["breakdowns"].copy()
        frame["nhom"] = [book.display(c, v) for c, v in zip(frame["chieu"], frame["nhom"], strict=True)]
        out["breakdowns"] = frame
    if out.get("choices") is not None:
        frame = out["choices"].copy()
        frame["gia_tri"] = [book.display(b, v) for b, v in zip(frame["bien"], frame["gia_tri"], strict=True)]
        out["choices"] = frame
    return out


def ranges_sentence(prof: dict, book: Codebook) -> str:
    """ "Người trả lời từ 21 đến 39 tuổi, thâm niên công tác từ 1 đến 16 năm." (each range with
    its unit: age in "tuổi", tenure in the unit its label gives, else "năm")."""
    parts = {}
    for role in ("age", "tenure"):
        var = book.role(role)
        if var and f"{var}_min" in prof and shown(prof[f"{var}_min"]):
            unit = "tuổi" if role == "age" else label_unit(book[var].label) or "năm"
            parts[role] = (book[var], span(int(prof[f"{var}_min"]), int(prof[f"{var}_max"]), unit))
    if not parts:
        return ""
    if "age" in parts:
        text = f"Người trả lời {parts['age'][1]}"
        if "tenure" in parts:
            text += f", có {_bare(parts['tenure'][0].label).lower()} {parts['tenure'][1]}"
        return text + "."
    return f"{_bare(parts['tenure'][0].label)} của người trả lời {parts['tenure'][1]}."


def _bare(label: str) -> str:
    """A label without its bracketed unit: 'Thâm niên công tác (năm)' -> 'Thâm niên công tác'."""
    unit = label_unit(label)
    return label[: label.rindex(f"({unit})")].strip() if unit else label


def place(provinces: list[str], so_tinh: int) -> str:
    """Where the sample is: "tại TP. Hồ Chí Minh" (one), "thuộc 3 tỉnh, thành phố" (several)."""
    if len(provinces) == 1:
        return f"tại {provinces[0]}"
    if provinces or so_tinh > 1:
        return f"thuộc {number(len(provinces) or so_tinh)} tỉnh, thành phố"
    return ""


def yes_sentence(groups: list[dict]) -> str:
    """One sentence for the yes/no questions, with each question's bare yes (``tra_loi``): "Tỷ lệ
    người trả lời «<yes>» là 98,6% với câu hỏi «A» và 87,2% với câu hỏi «B»." (published shares);
    a question whose share is hidden is named, so that the table's «(ẩn)» is not left unexplained."""
    every = [r for g in groups if g["kind"] == "indicators" for r in g["rows"]]
    rows = [r for r in every if r["pct"]]
    hidden = hidden_sentence([r["nhan"] for r in every if not r["pct"]])
    if not rows:
        return hidden
    answers = {r["tra_loi"] for r in rows}
    if len(answers) == 1:
        parts = [f"{r['pct']}% với câu hỏi «{r['nhan']}»" for r in rows]
        said = f"Tỷ lệ người trả lời «{answers.pop()}» là {join(parts)}."
    else:
        parts = [f"{r['pct']}% trả lời «{r['tra_loi']}» với câu hỏi «{r['nhan']}»" for r in rows]
        said = f"Trong số người trả lời, {join(parts)}."
    return f"{said} {hidden}" if hidden else said


def hidden_sentence(questions: list[str]) -> str:
    """The yes/no questions whose share is hidden, in one sentence ("" when none is)."""
    if not questions:
        return ""
    word = "các câu hỏi" if len(questions) > 1 else "câu hỏi"
    names = join([f"«{q}»" for q in questions])
    return f"Tỷ lệ của {word} {names} được ẩn để bảo vệ người trả lời."


def left_out_sentence(left) -> str:
    """What an export without the columns of some ``required: false`` questions left out
    (``answered.LeftOut``), in one sentence: whole blocks, then questions of the blocks kept."""
    if not left:
        return ""
    parts = []
    if left.blocks:
        word = "các khối câu hỏi" if len(left.blocks) > 1 else "khối câu hỏi"
        parts.append(f"{word} " + join([f"«{t}»" for t in left.blocks]))
    by_block: dict[str, list[str]] = {}
    for block, question in left.questions:
        by_block.setdefault(block, []).append(question)
    for block, questions in by_block.items():
        word = "các câu hỏi" if len(questions) > 1 else "câu hỏi"
        parts.append(f"{word} " + join([f"«{q}»" for q in questions]) + f" của khối «{block}»")
    return (
        "Tệp dữ liệu không có cột của "
        + join(parts)
        + " (bảng mã biến khai báo là không bắt buộc), nên báo cáo không có các nội dung tương ứng."
    )


def without_respondents(groups: list[tuple[str, list[str]]], provinces: bool) -> str:
    """Values the codebook declares and nobody in the sample has, named once: ``groups`` is
    (the variable's label, its absent values' printed labels); ``provinces``: the first group is
    the province, whose absent values get no report of their own."""
    parts = [f"{label.lower()} {join(names)}" for label, names in groups if names]
    if not parts:
        return ""
    after = "; các đơn vị này không có báo cáo riêng" if provinces else ""
    return f"Bảng mã biến có khai báo nhưng mẫu không có người trả lời nào thuộc {join(parts)}{after}."
