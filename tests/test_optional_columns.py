"""Issue 25 (b): a question the codebook declares ``required: false`` and the export does not
have is an absent question, as the codebook's header says: left out of the tables, models and
report (its item, or its block when nothing of it is left), noted in the validation report and
the cleaning log, and named in the methods section. Never a crash."""

import pandas as pd
import pytest
import yaml

from chinhquyenso.answered import absent_from, export_header, fit_to_export, left_out, without
from chinhquyenso.clean_stage import clean_to_files
from chinhquyenso.codebook import load_codebook
from chinhquyenso.report import block_changes
from chinhquyenso.tables import compute_all
from conftest import CODEBOOK, DEMO


def _optional(tmp_path, names):
    """The project's codebook with ``names`` declared ``required: false``."""
    doc = yaml.safe_load(CODEBOOK.read_text(encoding="utf-8"))
    for var in doc["variables"]:
        if var["name"] in names:
            var["required"] = False
    path = tmp_path / "codebook.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return path


def _export_without(tmp_path, book, names, suffix=".csv"):
    raw = pd.read_csv(DEMO, dtype=str, keep_default_na=False)
    raw = raw.drop(columns=[book[n].headers[0] for n in names])
    path = tmp_path / f"xuat{suffix}"
    if suffix == ".csv":
        raw.to_csv(path, index=False)
    else:
        raw.to_excel(path, index=False)
    return path


def _clean(tmp_path, survey, codebook):
    out = {k: tmp_path / f"{k}.out" for k in ("table", "cleaning_log", "problems_csv", "summary")}
    return clean_to_files(survey, codebook, **out), out


@pytest.fixture
def first_indicator():
    book = load_codebook(CODEBOOK)
    block = book.blocks_of("indicators")[0]
    return book, block, block.variables[0]


def test_an_absent_optional_question_is_left_out_not_a_crash(tmp_path, first_indicator):
    full, block, name = first_indicator
    codebook = _optional(tmp_path, {name})
    survey = _export_without(tmp_path, full, [name])
    # before the fix: "bảng sạch không đúng quy ước dữ liệu (kiểm tra column_in_dataframe)"
    result, out = _clean(tmp_path, survey, codebook)
    assert name not in result.clean.columns and len(result.clean) > 0
    noted = [p for p in result.problems if p.ma_quy_tac == "cot_vang"]
    assert len(noted) == 1 and name in noted[0].quy_tac and noted[0].cot == full[name].headers[0]
    log = pd.read_csv(out["cleaning_log"], dtype=str, keep_default_na=False)
    assert (log["bien"] == name).any()
    assert "không bắt buộc" in out["summary"].read_text(encoding="utf-8")

    book = fit_to_export(load_codebook(codebook), {"path": survey})
    assert name not in book and name in load_codebook(codebook)
    kept = book.block(block.id)
    assert kept.variables == tuple(v for v in block.variables if v != name)
    compute_all(result.clean, book)  # the tables are made from what the data hold
    sentence = block_changes(book, [], left_out(load_codebook(codebook), book))["cau"]
    assert f"«{full[name].label}» của khối «{block.title}»" in sentence
    assert sentence.count(full[name].label) == 1


def test_a_block_with_nothing_left_is_named_once_in_the_methods(tmp_path):
    full = load_codebook(CODEBOOK)
    block = full.blocks_of("multiselect")[0]
    question = next(v.name for v in full.variables if {o.name for o in v.options} == set(block.variables))
    codebook = _optional(tmp_path, {question})
    survey = _export_without(tmp_path, full, [question], suffix=".xlsx")
    assert export_header(survey) is not None
    result, _ = _clean(tmp_path, survey, codebook)
    book = fit_to_export(load_codebook(codebook), {"path": survey})
    assert block.id not in {b.id for b in book.blocks}
    compute_all(result.clean, book)
    # the 2023 codebook as reference: the block is named once, as absent from the data
    sentence = block_changes(book, [full], left_out(load_codebook(codebook), book))["cau"]
    assert sentence.count(f"«{block.title}»") == 1 and "Tệp dữ liệu không có cột" in sentence


def test_an_item_goes_with_its_absent_question(codebook):
    """A rating or an activity whose question is absent: the item is left out; an answer asked
    only after it goes too; a block with no item left is left out."""
    acts = codebook.activities
    item = next(iter(acts))
    book = without(codebook, [acts.takes[item]])
    assert item not in book.activities.items and acts.level[item] not in book
    ratings = codebook.blocks_of("ratings")[0]
    book = without(codebook, list(ratings.level.values()))
    assert ratings.id not in {b.id for b in book.blocks}
    assert absent_from(codebook, [h for v in codebook.variables for h in v.headers]) == []
