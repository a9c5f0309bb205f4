"""Item non-response as data (issue 25): declared in the codebook, read from SPSS user-missing
codes and from «Không biết»/«Từ chối trả lời» answers, kept apart from valid answers in the clean
table, the cleaning log, the tables, the report and the models."""

import pandas as pd
import pytest
import yaml

from chinhquyenso import nonresponse, tables
from chinhquyenso.codebook import load_codebook
from chinhquyenso.ingest import clean_survey
from chinhquyenso.problems import SurveyValidationError
from chinhquyenso.readers import read_survey
from conftest import CODEBOOK, DEMO

CLASSES = {"khong_biet": {"label": "Không biết"}, "tu_choi": {"label": "Từ chối trả lời"}}


def _doc() -> dict:
    return yaml.safe_load(CODEBOOK.read_text(encoding="utf-8"))


def _write(doc: dict, path):
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _variable(doc: dict, name: str) -> dict:
    return next(v for v in doc["variables"] if v["name"] == name)


def _book(tmp_path, *, scale=None, yes_no=None, own=None, classes=CLASSES):
    """The demo codebook with missing classes, the ordinal and yes/no scales' ``missing`` and
    variables' own."""
    doc = _doc()
    if classes is not None:
        doc["missing_classes"] = classes
    for kind, missing in (("ordinal", scale), ("boolean", yes_no)):
        if missing is not None:
            name = next(n for n, s in doc["scales"].items() if s["type"] == kind)
            doc["scales"][name]["missing"] = missing
    for name, missing in (own or {}).items():
        _variable(doc, name)["missing"] = missing
    return _write(doc, tmp_path / "codebook.yaml")


def _roles():
    doc = _doc()
    ratings = next(b for b in doc["blocks"] if b["kind"] == "ratings")
    rated = next(
        v["name"] for v in doc["variables"] if v.get("item") in doc["items"][ratings["items"]]["entries"]
    )
    return (
        doc["roles"]["age"],
        rated,
        _variable(doc, rated)["headers"][0],
        _variable(doc, doc["roles"]["age"]),
    )


# --- (1) SPSS user-missing codes -------------------------------------------------------------------


def _write_sav(frame: pd.DataFrame, path, coded: dict[str, dict[float, str]], missing: dict[str, list]):
    """``frame`` as SPSS holds it: the ``coded`` headers as numbers (value labels given), the rest
    as text; ``missing``: header -> user-missing values (pyreadstat ``missing_ranges``)."""
    import pyreadstat

    data, labels, formats, names = {}, {}, {}, {}
    for i, col in enumerate(frame.columns):
        name = f"v{i:02d}"
        names[col] = name
        if col in coded:
            words = {label: code for code, label in coded[col].items()}
            data[name] = frame[col].map(lambda v, w=words: w.get(v, v)).astype(float)
            labels[name] = coded[col]
        else:
            data[name] = frame[col]
            formats[name] = f"A{max(1, *(len(v.encode('utf-8')) for v in frame[col]))}"
    pyreadstat.write_sav(
        pd.DataFrame(data),
        str(path),
        column_labels=list(frame.columns),
        variable_value_labels={name: v for name, v in labels.items() if v},
        variable_format=formats,
        missing_ranges={names[c]: values for c, values in missing.items()},
    )


@pytest.fixture(scope="module")
def sav_export(tmp_path_factory, codebook):
    """The demo's first 80 rows, a rating and the age with SPSS user-missing codes 98/99: the
    rating's 98 labelled «Không biết», its 99 and the age's 99 without a label."""
    age, rated, rated_header, age_spec = _roles()
    frame = read_survey(DEMO).frame.head(80).copy()
    age_header = age_spec["headers"][0]
    scale = codebook.scales[codebook[rated].scale]
    frame.loc[[3, 10], rated_header] = "Không biết"
    frame.loc[[5], rated_header] = "99"
    frame.loc[[7, 12, 20], age_header] = "99"
    coded = {rated_header: {float(c): label for c, label in scale.labels.items()} | {98.0: "Không biết"}}
    coded[age_header] = {}
    path = tmp_path_factory.mktemp("sav") / "khao_sat.sav"
    _write_sav(frame, path, coded, {rated_header: [98, 99], age_header: [99]})
    return path, rated, rated_header, age, age_header


def test_spss_user_missing_codes_are_read_as_such(sav_export):
    path, _, rated_header, _, age_header = sav_export
    raw = read_survey(path)
    assert raw.user_missing[rated_header] == {"Không biết": "98", "99": "99"}
    assert raw.user_missing[age_header] == {"99": "99"}
    assert raw.frame[rated_header].iloc[3] == "Không biết"  # a labelled code shows as its label
    assert raw.frame[age_header].iloc[7] == "99"


def test_spss_user_missing_cleaned_into_classes_and_logged(sav_export, tmp_path):
    path, rated, rated_header, age, age_header = sav_export
    book = load_codebook(_book(tmp_path, scale={"tu_choi": ["99"]}, own={age: {"tu_choi": ["99"]}}))
    result = clean_survey(read_survey(path), book)
    clean, log = result.clean, result.log
    cls = clean[nonresponse.companion(rated)]
    assert cls.iloc[[3, 10]].tolist() == ["khong_biet", "khong_biet"]  # by its label: the class label
    assert cls.iloc[5] == "tu_choi"
    assert cls.notna().sum() == 3 and clean[rated].iloc[[3, 5, 10]].isna().all()
    assert clean[nonresponse.companion(age)].iloc[[7, 12, 20]].tolist() == ["tu_choi"] * 3
    assert clean[age].iloc[[7, 12, 20]].isna().all() and clean[age].notna().sum() == 77
    entries = log[log["bien"].isin([rated, age]) & log["ly_do"].str.startswith("câu trả lời thiếu")]
    assert sorted(entries["dong"].tolist()) == [4, 6, 8, 11, 13, 21]  # SPSS cases from 1
    assert set(entries.loc[entries["bien"] == age, "gia_tri_cu"]) == {"99"}
    assert not [p for p in result.problems if p.ma_quy_tac == "bo_trong"]


def test_spss_user_missing_of_no_class_is_a_precise_error(sav_export, tmp_path):
    path, _, rated_header, age, age_header = sav_export
    book = load_codebook(_book(tmp_path, scale={"tu_choi": ["99"]}))  # the age's 99: no class
    with pytest.raises(SurveyValidationError) as info:
        clean_survey(read_survey(path), book)
    found = [p for p in info.value.problems if p.ma_quy_tac == nonresponse.RULE]
    assert [(p.tep, p.dong, p.cot, p.gia_tri) for p in found] == [
        ("khao_sat.sav", r, age_header, "99") for r in (8, 13, 21)
    ]
    assert "không thuộc lớp câu trả lời thiếu nào của biến" in found[0].quy_tac
    assert f"«{age}»" in found[0].quy_tac and "khong_biet (Không biết)" in found[0].quy_tac


def test_spss_user_missing_of_no_class_as_a_warning_is_blanked_and_logged(sav_export, tmp_path):
    path, _, _, age, age_header = sav_export
    doc = yaml.safe_load(_book(tmp_path, scale={"tu_choi": ["99"]}).read_text(encoding="utf-8"))
    doc["validation"][nonresponse.RULE] = "warning"
    result = clean_survey(read_survey(path), load_codebook(_write(doc, tmp_path / "canh_bao.yaml")))
    assert [p.dong for p in result.problems if p.ma_quy_tac == nonresponse.RULE] == [8, 13, 21]
    assert result.clean[age].isna().sum() == 3 and nonresponse.companion(age) not in result.clean
    dropped = result.log[result.log["ly_do"] == "bỏ giá trị thiếu SPSS không thuộc lớp nào"]
    assert dropped["dong"].tolist() == [8, 13, 21] and set(dropped["cot"]) == {age_header}


# --- (3) bad declarations ---------------------------------------------------------------------------


def _refused(tmp_path, **how) -> str:
    with pytest.raises(ValueError) as info:
        load_codebook(_book(tmp_path, **how))
    return str(info.value)


def test_an_unknown_class_is_refused(tmp_path):
    message = _refused(tmp_path, scale={"khong_ro": ["Không rõ"]})
    assert "lớp «khong_ro» không có trong missing_classes (có: khong_biet, tu_choi)" in message


def test_classes_used_without_missing_classes_are_refused(tmp_path):
    message = _refused(tmp_path, scale={"khong_biet": ["Không biết"]}, classes=None)
    assert "lớp «khong_biet» không có trong missing_classes (có: chưa khai báo missing_classes)" in message


def test_a_spelling_that_is_a_valid_answer_is_refused(tmp_path, codebook):
    age, rated, *_ = _roles()
    answer = codebook.scales[codebook[rated].scale].labels[1]
    low = codebook[age].range[0]
    message = _refused(tmp_path, scale={"khong_biet": [answer.upper()]}, own={age: {"tu_choi": [str(low)]}})
    assert f"«{answer.upper()}» cũng là một câu trả lời hợp lệ của câu hỏi" in message
    assert f"«{low}» nằm trong khoảng trả lời hợp lệ" in message


def test_one_spelling_in_two_classes_and_bad_shapes_are_listed_together(tmp_path):
    message = _refused(
        tmp_path,
        scale={"khong_biet": ["KB"], "tu_choi": ["kb"]},
        classes={"khong_biet": {"label": "Không biết"}, "tu_choi": {}, "tu choi": {"label": "x"}},
    )
    assert "«kb» có ở cả hai lớp «khong_biet» và «tu_choi»" in message
    assert "missing_classes.tu_choi: cần 'label'" in message
    assert "mã lớp «tu choi» phải là một tên không dấu" in message


def test_missing_on_a_type_without_item_nonresponse_is_refused(tmp_path, codebook):
    stamp = codebook.role("submitted_at")
    message = _refused(tmp_path, own={stamp: {"khong_biet": ["?"]}})
    assert f"biến «{stamp}»: loại «datetime» không có câu trả lời thiếu" in message


def test_declared_classes_change_nothing_without_item_nonresponse(tmp_path, clean_demo):
    book = load_codebook(_book(tmp_path, scale={"khong_biet": ["Không biết"], "tu_choi": ["99"]}))
    result = clean_survey(read_survey(DEMO), book)
    pd.testing.assert_frame_equal(result.clean, clean_demo[0])
    pd.testing.assert_frame_equal(result.log, clean_demo[1])
    assert tables.compute_all(result.clean, book).keys() == tables.compute_all(clean_demo[0], book).keys()


# --- (2) «Không biết» / «Từ chối trả lời» answers in a CSV export: tables, report, models --------------

SAID = {"khong_biet": ["Không biết"], "tu_choi": ["Từ chối trả lời", "Từ chối"]}


@pytest.fixture(scope="module")
def csv_case(tmp_path_factory, codebook):
    """The demo export with item non-response planted on a yes/no indicator, a rating, the
    administrative level, the age and one activity's level (of a participant and of a
    non-participant), and a codebook that declares the classes."""
    folder = tmp_path_factory.mktemp("csv")
    age, level_var = codebook.role("age"), codebook.role("admin_level")
    indicator = codebook.blocks_of("indicators")[0].variables[0]
    ratings = codebook.blocks_of("ratings")[0]
    rated = ratings.level[next(iter(ratings))]
    acts = codebook.activities
    act = next(iter(acts))
    frame = read_survey(DEMO).frame.copy()
    head = {name: codebook[name].headers[0] for name in (age, level_var, indicator, rated)}
    frame.loc[[0, 1, 2], head[indicator]] = "Không biết"
    frame.loc[[3], head[indicator]] = "Từ chối trả lời"
    frame.loc[[4, 5], head[rated]] = "không biết"  # any case, as the cleaning compares
    frame.loc[[6], head[level_var]] = "Từ chối"
    frame.loc[[7, 8], head[age]] = "99"
    takes = frame[codebook[acts.takes[act]].headers[0]].map(
        lambda v: codebook[acts.takes[act]].spelling(True) == v
    )
    yes, no = takes[takes].index[0], takes[~takes].index[0]
    frame.loc[[yes, no], codebook[acts.level[act]].headers[0]] = "Không biết"
    path = folder / "khao_sat.csv"
    frame.to_csv(path, index=False)
    book_path = _book(folder, scale=SAID, yes_no=SAID, own={age: {"tu_choi": ["99"]}, level_var: SAID})
    book = load_codebook(book_path)
    result = clean_survey(read_survey(path), book)
    names = dict(
        age=age, level=level_var, indicator=indicator, rated=rated, act=act, yes=yes, no=no, csv=path
    )
    return result, book, book_path, names


def test_csv_answers_become_classes_not_problems(csv_case):
    result, book, _, v = csv_case
    clean, log = result.clean, result.log
    acts = book.activities
    assert clean[nonresponse.companion(v["indicator"])].value_counts().to_dict() == {
        "khong_biet": 3,
        "tu_choi": 1,
    }
    assert clean[nonresponse.companion(v["rated"])].iloc[[4, 5]].tolist() == ["khong_biet"] * 2
    assert clean[nonresponse.companion(v["level"])].iloc[6] == "tu_choi"
    assert clean[nonresponse.companion(v["age"])].notna().sum() == 2
    level = nonresponse.companion(acts.level[v["act"]])
    # asked (a participant): item non-response; not asked: structurally absent, and logged so
    assert clean[level].iloc[v["yes"]] == "khong_biet" and pd.isna(clean[level].iloc[v["no"]])
    assert (log["ly_do"] == "câu hỏi không dành cho người trả lời này: để trống").sum() == 1
    assert (log["ly_do"].str.startswith("câu trả lời thiếu: lớp «")).sum() == 4 + 2 + 1 + 2 + 2
    assert not result.problems


def test_tables_show_each_class_with_its_count_and_the_valid_base(csv_case):
    result, book, _, v = csv_case
    clean, n = result.clean, len(result.clean)
    computed = tables.compute_all(clean, book)
    shares = computed["shares"]
    mine = shares[shares["chi_bao"] == v["indicator"]]
    assert mine[tables.CLASS].tolist() == ["", "khong_biet", "tu_choi"]
    assert mine["nhan"].tolist()[1:] == ["Không biết", "Từ chối trả lời"]
    assert mine["n"].tolist()[1:] == [3, 1] and (mine["co_so"] == n - 4).all()
    assert mine["n"].iloc[0] == int(clean[v["indicator"]].fillna(False).sum())
    untouched = shares[(shares[tables.CLASS] == "") & ~shares["chi_bao"].isin([v["indicator"]])]
    assert (untouched.loc[untouched["nhom"] != book.blocks_of("ratings")[0].id, "co_so"] == n).all()
    levels = computed["admin_levels"]
    assert levels[tables.CLASS].tolist()[-1] == "tu_choi" and levels["n"].iloc[-1] == 1
    assert (levels["n_tra_loi"] == n - 1).all()
    assert tables.answers_only(levels)["n"].sum() == n - 1


def test_report_says_the_base_and_the_classes(csv_case, tmp_path):
    import datetime as dt

    from chinhquyenso import report
    from conftest import ROOT

    result, book, _, v = csv_case
    computed = tables.compute_all(result.clean, book)
    svg = tmp_path / "b.svg"
    svg.write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", encoding="utf-8")
    figures = ("bieu_do_1_tham_gia_truc_tiep", "bieu_do_rao_can", "bieu_do_muc_do", "bieu_do_theo_nhom")
    context = report.build_context(
        config=yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8")),
        book=book,
        computed=computed,
        comparison=None,
        cleaning_log=result.log,
        figures=dict.fromkeys(figures, svg),
        today=dt.date(2026, 11, 30),
    )
    html = report.render_html(context, ROOT / "workflow/templates")
    valid = len(result.clean) - 4
    label = book[v["indicator"]].label
    assert (
        f"với «{label}», tỷ lệ tính trên số câu trả lời hợp lệ (n = {valid}); 3 người trả lời «Không biết» "
        "và 1 người trả lời «Từ chối trả lời»"
    ) in html
    assert "1 người trả lời «Từ chối trả lời»." in html  # the administrative level's note
    assert "<th>Từ chối trả lời</th><td>1</td><td></td>" in html  # a count, no share


def test_class_rows_pass_the_disclosure_gate(csv_case):
    from chinhquyenso.disclosure import protect_tables

    result, book, _, v = csv_case
    raw = {"": tables.compute_all(result.clean, book)}
    published, _ = protect_tables(raw, book, 3)
    shares = published[""]["shares"]
    mine = shares[shares["chi_bao"] == v["indicator"]]
    assert pd.isna(mine["n"].iloc[2])  # 1 < 3: hidden
    # and it cannot be told from the others: some other printed count is hidden with it
    assert mine[["n", "co_so"]].isna().sum().sum() >= 2
    levels = published[""]["admin_levels"]
    assert pd.isna(levels["n"].iloc[-1])
    _no_hidden_count_narrowed(raw, published, book, 3)


def _no_hidden_count_narrowed(raw, published, book, min_cell, table=None):
    """An attacker's linear programs over the published tables: every hidden count (class rows
    included) keeps a range at least ``min_cell`` wide; ``table``: a key whose hidden counts
    must include a class count."""
    from chinhquyenso.disclosure import build, proven_range
    from chinhquyenso.disclosure.audit import components

    model = build(raw, book)
    hidden = {
        (cell, key)
        for cell, places in model.places.items()
        for key, pop, row, col in places
        if key != "direct" and pd.isna(published[pop][key].at[row, col])
    }
    assert any(cell[2].startswith("khuyet:") and key == (table or key) for cell, key in hidden)
    hidden = {cell for cell, _ in hidden}
    for group in components(model):
        for cell in sorted(hidden & set(group)):
            lo, hi = proven_range(model, group, hidden, cell)
            assert lo <= model.value[cell] <= hi and hi - lo >= min_cell, (cell, lo, hi)


def test_levels_table_counts_each_class_and_shares_the_valid_base(csv_case):
    result, book, _, v = csv_case
    acts, clean = book.activities, result.clean
    levels = tables.compute_all(clean, book)["levels"].set_index(acts.id)
    # one participant said «Không biết» on the activity's level; the non-participant is no class
    assert tables.level_class_columns(levels.columns) == {"n__khuyet_khong_biet": "khong_biet"}
    assert not set(tables.level_class_columns(levels.columns)) & set(
        tables.level_columns(acts.scale).values()
    )
    assert tables.level_base(levels) == "n__hop_le"
    mine = levels.loc[v["act"]]
    assert mine["n__khuyet_khong_biet"] == 1 and mine["n__hop_le"] == mine["n_tham_gia"] - 1
    assert sum(mine[c] for c in tables.level_columns(acts.scale).values()) == mine["n__hop_le"]
    others = levels.drop(index=v["act"])
    assert (others["n__khuyet_khong_biet"] == 0).all() and (others["n__hop_le"] == others["n_tham_gia"]).all()


def test_report_levels_table_shows_the_classes_and_the_valid_base(csv_case):
    from chinhquyenso.report.survey_context import _activities
    from chinhquyenso.vn_format import percent

    result, book, _, v = csv_case
    levels = tables.compute_all(result.clean, book)["levels"]
    context = _activities({"levels": levels, "direct": tables.direct_participation(levels)}, book)
    assert context["khuyet_cot"] == ["Không biết", "Hợp lệ"]
    row = levels.index[levels[book.activities.id] == v["act"]][0]
    top = list(tables.level_columns(book.activities.scale).values())[-1]
    valid, n_top = levels.at[row, "n__hop_le"], levels.at[row, top]
    shown = context["bang"][row]
    assert [c["n"] for c in shown["khuyet"]] == ["1", str(valid)] and shown["n_total"] == str(valid + 1)
    assert shown["cells"][-1]["pct"] == percent(int(n_top), int(valid))  # out of the valid answers
    label = book.activities.items[v["act"]]
    assert context["khuyet_ghi_chu"] == (
        f" Riêng với «{label}», tỷ lệ tính trên số câu trả lời hợp lệ (n = {valid}); "
        "1 người trả lời «Không biết»."
    )


def test_levels_class_counts_pass_the_disclosure_gate(csv_case):
    from chinhquyenso.disclosure import protect_tables

    result, book, _, v = csv_case
    raw = {"": tables.compute_all(result.clean, book)}
    published, _ = protect_tables(raw, book, 3)
    levels = published[""]["levels"].set_index(book.activities.id)
    assert pd.isna(levels.at[v["act"], "n__khuyet_khong_biet"])  # 1 < 3: hidden
    # not recoverable from the valid base and those taking part: one of them is hidden with it
    assert levels.loc[v["act"], ["n__hop_le", "n_tham_gia"]].isna().any()
    _no_hidden_count_narrowed(raw, published, book, 3, table="levels")


def test_models_leave_out_item_nonresponse_and_say_how_many(csv_case, tmp_path):
    import json

    from chinhquyenso.models import write_stage
    from conftest import ROOT

    result, book, book_path, v = csv_case
    clean_path = tmp_path / "khao_sat.parquet"
    result.clean.to_parquet(clean_path, index=False)
    out = {k: tmp_path / f"{k}.csv" for k in ("per_activity", "pooled", "brant", "bivariate")}
    out["summary"] = tmp_path / "tom_tat.json"
    cfg = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))["models"]
    write_stage(clean_path, book_path, cfg, out)
    summary = json.loads(out["summary"].read_text(encoding="utf-8"))
    # the level (a covariate) and the activity's level of a participant; the age is no covariate
    covariates = set(cfg["covariates"])
    expected = {v["level"]: {"tu_choi": 1}, book.activities.level[v["act"]]: {"khong_biet": 1}}
    if v["age"] in covariates:
        expected[v["age"]] = {"tu_choi": 2}
    assert summary["bo_khong_tra_loi"]["theo_bien"] == expected
    dropped = summary["bo_khong_tra_loi"]["so_nguoi"]
    assert summary["so_nguoi"] == len(result.clean) - dropped
    assert summary["dieu_chinh_dac_ta"][0].startswith(f"bỏ {dropped} người trả lời có câu trả lời thiếu")


def test_workflow_run_shows_item_nonresponse(csv_case, tmp_path):
    """One run on the export with item non-response, up to the overall report (the files read
    here): the published table has the class rows, the report says the base, the models say how
    many they left out, the log has each cell."""
    import json
    import shutil

    from test_workflow import _copy_project, _edit_yaml, _snakemake

    result, book, book_path, v = csv_case
    work = tmp_path / "du_an"
    work.mkdir()
    _copy_project(work)
    shutil.copy(v["csv"], work / "resources/survey/khao_sat_khuyet.csv")
    shutil.copy(book_path, work / "resources/codebook.yaml")

    def change(config):
        config["survey"].update(path="resources/survey/khao_sat_khuyet.csv", sheet=None)
        config["reproduction"]["fail_on_mismatch"] = False  # the planted answers move published shares
        config["report"]["date"] = "2026-11-30"

    _edit_yaml(work / "config.yaml", change)
    reads = ("report/bao_cao.pdf", "tables/ty_le_khac.csv", "tables/muc_do_tham_gia.csv")
    run = _snakemake(work, *(f"results/{r}" for r in (*reads, "models/tom_tat.json")))
    assert run.returncode == 0, run.stderr[-3000:]
    shares = pd.read_csv(work / "results/tables/ty_le_khac.csv", keep_default_na=False)
    assert shares.loc[shares["chi_bao"] == v["indicator"], tables.CLASS].tolist() == [
        "",
        "khong_biet",
        "tu_choi",
    ]
    levels = pd.read_csv(work / "results/tables/muc_do_tham_gia.csv")
    assert {"n__khuyet_khong_biet", "n__hop_le"} <= set(levels.columns)  # the class (hidden: 1)
    html = (work / "results/report/bao_cao.html").read_text(encoding="utf-8")
    assert f"với «{book[v['indicator']].label}», tỷ lệ tính trên số câu trả lời hợp lệ" in html
    assert '<th rowspan="2">Không biết</th><th rowspan="2">Hợp lệ</th></tr>' in html
    summary = json.loads((work / "results/models/tom_tat.json").read_text(encoding="utf-8"))
    dropped = summary["bo_khong_tra_loi"]["so_nguoi"]
    assert f"bỏ {dropped} người trả lời có câu trả lời thiếu ở biến của mô hình" in html
    log = pd.read_csv(work / "results/clean/nhat_ky_lam_sach.csv")
    assert log["ly_do"].str.startswith("câu trả lời thiếu: lớp «").sum() == len(
        result.log[result.log["ly_do"].str.startswith("câu trả lời thiếu: lớp «")]
    )


def test_single_choice_and_numeric_blocks_count_classes_apart(csv_case, tmp_path):
    """Blocks the demo form does not ask: a single-choice question (its share out of those who
    answered) and a numeric one (n, min, median... of the valid answers), each with its class rows."""
    from chinhquyenso.report.survey_context import _choices, _numeric

    result, _, book_path, v = csv_case
    doc = yaml.safe_load(book_path.read_text(encoding="utf-8"))
    doc["blocks"] += [
        {"id": "chon_mot", "kind": "single_choice", "title": "Chọn một", "variables": [v["level"]]},
        {"id": "so", "kind": "numeric", "title": "Số", "variables": [v["age"]]},
    ]
    book = load_codebook(_write(doc, tmp_path / "codebook.yaml"))
    computed = tables.compute_all(result.clean, book)
    n = len(result.clean)
    choices = computed["choices"]
    assert (
        choices[tables.CLASS].tolist()[-1] == "tu_choi" and choices["gia_tri"].iloc[-1] == "Từ chối trả lời"
    )
    assert (choices["co_so"] == n - 1).all() and tables.answers_only(choices)["n"].sum() == n - 1
    numeric = computed["numeric"]
    assert numeric["n"].tolist() == [n - 2, 2] and numeric[tables.CLASS].tolist() == ["", "tu_choi"]
    assert numeric["lon_nhat"].iloc[0] == result.clean[v["age"]].max()
    (question,) = _choices(computed["choices"])
    assert question["khuyet"] == "; 1 người trả lời «Từ chối trả lời»"
    assert question["rows"][-1] == {"nhan": "Từ chối trả lời", "n": "1", "pct": "", "an": False}
    (row,) = _numeric(computed["numeric"])
    assert row["khuyet"] == "2 người trả lời «Từ chối trả lời»" and row["n"] == str(n - 2)


def test_a_class_in_one_province_only_is_tied_to_the_whole_samples(csv_case):
    """A province whose table has no row of a class prints a zero: the whole sample's class count
    is then the sum of the provinces' that print one, an equation the attacker has, and the
    protection still leaves every hidden count a range as wide as the threshold."""
    from chinhquyenso.disclosure import build, protect_tables

    result, book, _, v = csv_case
    clean, prov = result.clean, book.role("province")
    raw = {"": tables.compute_all(clean, book)}
    for p in book[prov].values:
        raw[p] = tables.compute_all(clean[clean[prov] == p].reset_index(drop=True), book)
    model = build(raw, book)
    whole = ("", v["level"], "khuyet:tu_choi")  # planted once, so in one province only
    ties = [dict(terms) for terms, _ in model.equations if whole in dict(terms)]
    assert any(len(t) == 2 for t in ties), ties  # the whole sample = that one province
    published, _ = protect_tables(raw, book, 3)
    _no_hidden_count_narrowed(raw, published, book, 3)
