"""Issue 25 (1): next year's draft codebook from a raw export and last year's codebook
(`make codebook-draft`, scripts/draft_codebook.py, chinhquyenso.draft).

The workflow tests draft a codebook for each next-year fixture from its raw file alone, run
the workflow on the draft unchanged (clean data and tables), and compare N, provinces,
administrative levels and activities with the fixture's own codebook (tests/form_truth.py).
The unit tests cover header matching, kind guessing, identifiers, item non-response, the path
policy and that a draft always loads.
"""

import re
import shutil
import subprocess
import sys
import unicodedata
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
import yaml
from form_truth import FormTruth
from test_workflow import _copy_project, _snakemake

from chinhquyenso.codebook import load_codebook
from chinhquyenso.draft.build import draft_codebook
from chinhquyenso.draft.evidence import Column, from_export
from chinhquyenso.draft.kinds import guess_kind
from chinhquyenso.draft.match import match_columns
from chinhquyenso.draft.text import split_matrix, strip_numbering
from chinhquyenso.readers import read_survey
from conftest import ROOT, as_raw

FIXTURES = ROOT / "tests/fixtures"
REFERENCE = ROOT / "resources/codebook.yaml"
# fixture -> its raw export (the only file of the fixture the draft reads)
EXPORTS = {
    "bang_hoi_2026_doi_ten": "khao_sat.xlsx",
    "bang_hoi_2026_rut_gon": "khao_sat.csv",
    "bang_hoi_2026_google_forms": "khao_sat.tsv",
}
CLI = ROOT / "scripts/draft_codebook.py"


def column(header, answers, position=0, **kw):
    """A Column with ``answers`` (answer -> count) as if read from an export."""
    counts = Counter(answers)
    n = sum(counts.values())
    distinct = [a for a in counts if a.strip()]
    ints = [int(a) for a in distinct if re.fullmatch(r"-?\d+", a)]
    rng = (min(ints), max(ints)) if ints and len(ints) == len(distinct) else None
    return Column(header, position, counts, n, n_distinct=len(distinct), integer_range=rng, **kw)


def draft_from(columns, tmp_path, name="x.csv"):
    draft = draft_codebook(columns, REFERENCE, name)
    out = tmp_path / "codebook_nhap.yaml"
    draft.write(out, tmp_path / "codebook_nhap.thay_doi.md")
    return draft, out


# --- header matching ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "header, bare",
    [("Câu 5a. Giới tính", "Giới tính"), ("5a) Giới tính", "Giới tính"), ("Q5. Giới tính", "Giới tính"),
     ("Câu 12: Tuổi", "Tuổi"), ("Giới tính", "Giới tính"), ("2026", "2026")],
)  # fmt: skip
def test_numbering_is_removed(header, bare):
    assert strip_numbering(header) == bare


def test_grid_headers_split_into_stem_and_item():
    assert split_matrix("Câu 8. Mức độ tham gia [Dịch vụ công]") == ("Mức độ tham gia", "Dịch vụ công")
    assert split_matrix("Anh/chị có làm: Nền tảng họp trực tuyến?") == (
        "Anh/chị có làm",
        "Nền tảng họp trực tuyến",
    )
    assert split_matrix("Giới tính") == ("Giới tính", None)


def _match(headers_answers):
    book = load_codebook(REFERENCE)
    cols = [column(h, a, i) for i, (h, a) in enumerate(headers_answers)]
    guesses = {c.position: guess_kind(c, {}) for c in cols}
    found = match_columns(cols, guesses, list(book.variables), book.roles)
    return {cols[p].header: m for p, m in found.items()}


def test_numbered_reworded_and_diacritic_less_headers_match_last_years_variables():
    book = load_codebook(REFERENCE)
    act = book.activities
    item = next(iter(act))
    takes, level = book[act.takes[item]], book[act.level[item]]
    stem, label = split_matrix(takes.headers[0])
    bare = "".join(c for c in unicodedata.normalize("NFD", takes.headers[0]) if not unicodedata.combining(c))
    ascii_header = "Cau 7. " + bare.replace("đ", "d")
    yes, no = book[act.takes[item]].categories[0].raw[0], book[act.takes[item]].categories[1].raw[0]
    levels = {c.raw[0]: 3 for c in level.categories}
    found = _match(
        [
            (ascii_header, {yes: 5, no: 5}),
            (f"Câu 8a. {split_matrix(level.headers[0])[0]} [{label}]", levels),
        ]
    )
    assert found[ascii_header].variable == takes.name and found[ascii_header].sure
    numbered = f"Câu 8a. {split_matrix(level.headers[0])[0]} [{label}]"
    assert found[numbered].variable == level.name


def test_a_reworded_question_is_matched_with_a_confidence_below_sure():
    book = load_codebook(REFERENCE)
    province = book[book.role("province")]
    answers = {c.raw[0]: 4 for c in province.categories}
    header = "Câu 3a. Anh/chị công tác tại tỉnh, thành phố nào?"
    found = _match([(header, answers)])
    assert found[header].variable == province.name
    assert 70 <= found[header].score < 100


# --- kinds --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "answers, kind",
    [
        ({"Có tham gia": 7, "Không tham gia": 5}, "yes_no"),
        ({"Đã được đào tạo": 7, "Chưa được đào tạo": 5}, "yes_no"),
        ({"Rất ít": 2, "Ít": 3, "Vừa phải": 4, "Nhiều": 3, "Rất nhiều": 1, "": 3}, "ordinal"),
        ({"Hoàn toàn đồng ý": 2, "Đồng ý": 3, "Phân vân": 4, "Không đồng ý": 3}, "ordinal"),
        ({"Lớp học;Tự học": 4, "Tự học": 3, "Lớp học": 2, "Tự học;Bạn bè": 3, "": 1}, "multiselect"),
        ({"Trực tiếp": 5, "Trực tuyến": 6, "Kết hợp": 4}, "single_choice"),
        ({"12": 3, "40": 2, "7": 5, "": 1}, "integer"),
        ({f"Ý kiến số {i} rất dài": 1 for i in range(80)}, "text"),
        ({f"0{i % 9 + 1}/06/2026 08:{i % 60:02d}:00": 1 for i in range(30)}, "datetime"),
        ({f"PH-{i:04d}": 1 for i in range(30)}, "id"),
    ],
)
def test_kind_guessed_from_the_answers(answers, kind):
    assert guess_kind(column("Câu hỏi mới", answers), {}).kind == kind


def test_kind_details_order_separator_format_range():
    ordinal = guess_kind(column("X", {"Nhiều": 3, "Rất ít": 1, "Vừa phải": 2, "Ít": 5, "Rất nhiều": 1}), {})
    assert ordinal.levels == ["Rất ít", "Ít", "Vừa phải", "Nhiều", "Rất nhiều"] and ordinal.mid == "Vừa phải"
    multi = guess_kind(column("X", {"A b;C d": 3, "C d": 2, "A b": 1}), {})
    assert multi.separator == ";" and sorted(multi.options) == ["A b", "C d"]
    stamp = guess_kind(column("X", {"2026-06-01 08:00:00": 1, "2026-06-13 17:30:05": 1}), {})
    assert stamp.format == "%Y-%m-%d %H:%M:%S"
    assert guess_kind(column("X", {"5": 2, "17": 1}), {}).why.endswith("từ 5 đến 17")


def test_a_form_declared_kind_is_trusted_over_the_answers():
    col = column("Mức độ", {"A": 1, "B": 1}, declared_kind="ordinal", choices=["A", "B", "C"])
    assert guess_kind(col, {}).levels == ["A", "B", "C"]


def test_order_taken_from_a_reference_scale_whose_labels_match():
    book = load_codebook(REFERENCE)
    scale = next(s for s in book.scales.values() if s.type == "ordinal")
    labels = list(scale.labels.values())
    shuffled = {labels[i]: 2 for i in (2, 0, 4, 1, 3)}
    ref = {scale.name: [[lab] for lab in labels]}
    assert guess_kind(column("X", shuffled), ref).levels == labels


# --- identifiers and item non-response ----------------------------------------------------

EMAILS = {f"nguoi{i}@vi-du.invalid": 1 for i in range(20)}
PHONES = {f"09{i:08d}": 1 for i in range(20)}
CCCD = {f"0792{i:08d}": 1 for i in range(20)}


@pytest.mark.parametrize(
    "header, answers",
    [("Câu 2. Thư liên hệ", EMAILS), ("Liên lạc", PHONES), ("Giấy tờ", CCCD),
     ("Câu 1. Họ và tên", {"Người A": 1, "Người B": 1}), ("Số CCCD", {"": 3})],
)  # fmt: skip
def test_identifiers_are_recognised_by_header_or_values(header, answers):
    assert guess_kind(column(header, answers), {}).kind == "identifier"


def test_a_grid_row_about_signatures_is_not_an_identifier():
    col = column("Anh/chị có dùng các ứng dụng sau? [Chữ ký số]", {"Có": 3, "Không": 2})
    assert guess_kind(col, {}).kind == "yes_no"


def test_identifier_columns_are_declared_and_never_shown(tmp_path):
    cols = [column("Câu 2. Thư liên hệ", EMAILS, 0), column("Điện thoại di động", PHONES, 1),
            column("Câu 5. Giới tính", {"Nam": 6, "Nữ": 5}, 2)]  # fmt: skip
    draft, out = draft_from(cols, tmp_path)
    doc = yaml.safe_load(out.read_text(encoding="utf-8"))
    mail = next(v for v in doc["variables"] if v["headers"][0] == "Câu 2. Thư liên hệ")
    assert mail["type"] == "identifier" and mail["required"] is False
    written = out.read_text(encoding="utf-8") + (tmp_path / "codebook_nhap.thay_doi.md").read_text(
        encoding="utf-8"
    )
    assert not any(v in written for v in [*EMAILS, *PHONES])


def test_item_non_response_becomes_missing_classes_not_categories(tmp_path):
    answers = {"Trực tiếp": 5, "Trực tuyến": 6, "Kết hợp": 4, "Không biết": 2, "Từ chối trả lời": 1}
    ages = {"25": 4, "31": 3, "40": 2, "99": 1}
    cols = [
        column("Hình thức học chủ yếu", answers, 0),
        column("Số năm học", ages, 1, user_missing={"99": "99"}),
    ]
    draft = draft_codebook(cols, REFERENCE, "x.sav")
    doc = yaml.safe_load(draft.yaml_text())
    assert doc["missing_classes"] == {
        "khong_biet": {"label": "Không biết"},
        "tu_choi": {"label": "Từ chối trả lời"},
    }
    form = next(v for v in doc["variables"] if v["headers"][0] == "Hình thức học chủ yếu")
    assert form["missing"] == {"khong_biet": ["Không biết"], "tu_choi": ["Từ chối trả lời"]}
    assert {c["value"] for c in form["categories"]} == {"Trực tiếp", "Trực tuyến", "Kết hợp"}
    years = next(v for v in doc["variables"] if v["headers"][0] == "Số năm học")
    assert years["type"] == "integer" and years["missing"] == {"khong_biet": ["99"]}
    assert "## Không trả lời theo mục" in draft.report_text("x.yaml")


# --- the command --------------------------------------------------------------------------


def _cli(*args, cwd=ROOT):
    """The command of the project in ``cwd`` (it works on its own folder)."""
    script = Path(cwd) / CLI.relative_to(ROOT)
    return subprocess.run([sys.executable, str(script), *args], cwd=cwd, capture_output=True, text=True)


def test_paths_outside_the_project_are_refused(tmp_path):
    run = _cli("--export", str(tmp_path / "x.csv"), "--reference", "resources/codebook.yaml",
               "--out", str(tmp_path / "codebook_2026.yaml"))  # fmt: skip
    assert run.returncode == 1
    assert "--export" in run.stderr and "--out" in run.stderr and "ngoài thư mục dự án" in run.stderr
    assert "Traceback" not in run.stderr and not (tmp_path / "codebook_2026.yaml").exists()


def test_an_unreadable_export_is_refused_in_vietnamese(tmp_path, capsys):
    from draft_codebook import parser, run

    (tmp_path / "rong.csv").write_text("", encoding="utf-8")
    shutil.copy2(REFERENCE, tmp_path / "codebook.yaml")
    args = parser().parse_args(["--export", "rong.csv", "--reference", "codebook.yaml", "--out", "nhap.yaml"])
    assert run(args, root=tmp_path) == 1
    err = capsys.readouterr().err
    assert "rong.csv" in err and "tệp rỗng" in err and not (tmp_path / "nhap.yaml").exists()


def test_from_export_counts_answers_with_blanks_and_integer_ranges():
    frame = pd.DataFrame({"Tuổi": ["25", " 31", "", "25"], "Giới tính": ["Nam", "Nữ", "Nam", "Nam "]})
    cols = from_export(as_raw(frame))
    assert cols[0].answers == Counter({"25": 2, "31": 1, "": 1}) and cols[0].integer_range == (25, 31)
    assert cols[1].answers == Counter({"Nam": 3, "Nữ": 1}) and cols[1].n_distinct == 2 and cols[1].n_rows == 4


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_draft_always_loads_and_reports_every_decision(name, tmp_path):
    raw = read_survey(FIXTURES / name / EXPORTS[name])
    draft, out = draft_from(from_export(raw), tmp_path, EXPORTS[name])
    book = load_codebook(out)  # codebook_check runs inside
    text = out.read_text(encoding="utf-8")
    report = (tmp_path / "codebook_nhap.thay_doi.md").read_text(encoding="utf-8")
    confirms = text.count("# XÁC NHẬN:")
    assert confirms and report.index("## Cần xác nhận trước") < report.index("## Tóm tắt")
    for heading in ("Câu hỏi ghép với năm trước", "Câu hỏi mới", "Đáp án", "Việc còn lại trong config.yaml"):
        assert f"## {heading}" in report
    for header in raw.frame.columns:  # every column is in the draft
        assert any(header in v.headers for v in book.variables), header
    ids = raw.frame[next(v.headers[0] for v in book.variables if v.type == "id")]
    assert not any(i in report for i in ids.head(20))  # no respondent ID in the report


def test_the_google_forms_draft_finds_the_identifiers_and_the_new_province(tmp_path):
    name = "bang_hoi_2026_google_forms"
    draft, out = draft_from(from_export(read_survey(FIXTURES / name / EXPORTS[name])), tmp_path)
    book = load_codebook(out)
    idents = {v.headers[0] for v in book.identifiers}
    assert {"Câu 1. Họ và tên", "Câu 2. Thư liên hệ"} <= idents
    province = book[book.role("province")]
    assert "Tây Ninh" in province.values
    assert "Nghị quyết 202/2025/QH15" in draft.report_text("x.yaml")


def test_google_forms_fixture_regenerates(tmp_path):
    out = tmp_path / "khao_sat.tsv"
    subprocess.run(
        [sys.executable, str(FIXTURES / "bang_hoi_2026_google_forms/tao_tep.py"), str(out)], check=True
    )
    assert out.read_bytes() == (FIXTURES / "bang_hoi_2026_google_forms/khao_sat.tsv").read_bytes()
    for file in ("README.md", "codebook.yaml", "gia_lap.yaml", "tao_tep.py"):
        assert "GIẢ LẬP" in (FIXTURES / "bang_hoi_2026_google_forms" / file).read_text(encoding="utf-8")


# --- the workflow on each draft, unchanged ------------------------------------------------


def _config(work: Path, export: str, draft: dict) -> None:
    """The analyst's config.yaml edit: the new file, the draft, and the models' covariates by
    the draft's roles (the draft itself is not touched)."""
    config = yaml.safe_load((work / "config.yaml").read_text(encoding="utf-8"))
    config["survey"].update(path=export, codebook="resources/codebook_2026.yaml", year=2026,
                            reference_codebook="resources/codebook.yaml", illustrative=True)  # fmt: skip
    config["reproduction"]["published"] = None
    roles, specs = draft["roles"], {v["name"]: v for v in draft["variables"]}
    covariates = {
        roles[r]: {"type": "category", "reference": specs[roles[r]]["categories"][0]["value"]}
        for r in ("gender", "admin_level", "province")
    }
    covariates[roles.get("tenure") or roles["age"]] = {"type": "linear"}
    config["models"].update(covariates=covariates, focal=[roles["gender"], roles["admin_level"]])
    (work / "config.yaml").write_text(
        yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )


@pytest.fixture(scope="module", params=sorted(EXPORTS))
def drafted(request, tmp_path_factory):
    name = request.param
    work = _copy_project(tmp_path_factory.mktemp(name))
    export = f"resources/survey/{EXPORTS[name]}"
    shutil.copy2(FIXTURES / name / EXPORTS[name], work / export)  # only the raw file
    run = _cli("--export", export, "--reference", "resources/codebook.yaml",
               "--out", "resources/codebook_2026.yaml", cwd=work)  # fmt: skip
    assert run.returncode == 0, run.stderr
    draft = yaml.safe_load((work / "resources/codebook_2026.yaml").read_text(encoding="utf-8"))
    _config(work, export, draft)
    tables = work / "results/internal/tables"
    run = _snakemake(
        work, "results/clean/khao_sat.parquet", str(tables.relative_to(work) / "muc_do_tham_gia.csv")
    )
    assert run.returncode == 0, run.stderr[-4000:]
    truth = FormTruth(FIXTURES / name / EXPORTS[name], FIXTURES / name / "codebook.yaml")
    return work, draft, truth


def _display(draft: dict, name: str) -> dict:
    var = next(v for v in draft["variables"] if v["name"] == name)
    return {c["value"]: c.get("label") or c["value"] for c in var["categories"]}


@pytest.mark.integration
def test_the_drafts_workflow_has_the_raw_files_sample(drafted):
    work, draft, truth = drafted
    clean = pd.read_parquet(work / "results/clean/khao_sat.parquet")
    assert len(clean) == truth.n
    province = draft["roles"]["province"]
    shown = clean[province].astype(str).map(_display(draft, province)).value_counts().to_dict()
    assert shown == truth.provinces  # the 2025 units, by the names the fixture gives them
    levels = clean[draft["roles"]["admin_level"]].astype(str).value_counts()
    assert sorted(levels) == sorted(truth.admin_levels.values())


@pytest.mark.integration
def test_the_drafts_activities_are_the_raw_files(drafted):
    work, draft, truth = drafted
    levels = pd.read_csv(work / "results/internal/tables/muc_do_tham_gia.csv")
    counts = levels.set_index(levels.columns[0])["n_tham_gia"].to_dict()
    block = next(b for b in draft["blocks"] if b["kind"] == "activities")
    assert len(draft["items"][block["items"]]["entries"]) == len(truth.activities) == len(counts)
    asked_if = {w.get("only_if") for w in draft["variables"]}
    takes = {
        v["item"]: v["headers"][0]
        for v in draft["variables"]
        if v.get("item") in counts and v["name"] in asked_if
    }
    assert {takes[item]: n for item, n in counts.items()} == truth.takes_part_by_header


def test_a_form_definition_without_answers_gives_a_loadable_draft(tmp_path):
    """What the XLSForm reader hands over: declared kinds, choices and conditions, no answers."""
    cols = [
        Column("Giới tính", 0, name="gt", declared_kind="single_choice", choices=["Nam", "Nữ", "Khác"]),
        Column("Có dùng chữ ký số không?", 1, name="cks", declared_kind="yes_no", choices=["Có", "Không"]),
        Column(
            "Mức độ dùng chữ ký số",
            2,
            name="md",
            declared_kind="ordinal",
            choices=["Hiếm", "Đôi khi", "Hằng ngày"],
            relevant=("cks", "Có"),
        ),  # fmt: skip
        Column("Kênh học", 3, name="kh", declared_kind="multiselect", choices=["Lớp", "Mạng"], separator=" "),
        Column("Số giờ học", 4, name="sg", declared_kind="integer"),
        Column("Thời điểm", 5, name="td", declared_kind="datetime"),
    ]
    _draft, out = draft_from(cols, tmp_path, "bieu_mau.xlsx")
    book = load_codebook(out)
    by_header = {v.headers[0]: v for v in book.variables}
    assert [c.raw[0] for c in by_header["Giới tính"].categories] == ["Nam", "Nữ", "Khác"]
    level = by_header["Mức độ dùng chữ ký số"]
    assert level.only_if == by_header["Có dùng chữ ký số không?"].name
    assert list(book.scales[level.scale].labels.values()) == ["Hiếm", "Đôi khi", "Hằng ngày"]
    assert [o.categories[0].raw[0] for o in by_header["Kênh học"].options] == ["Lớp", "Mạng"]
    assert by_header["Kênh học"].separator == " "


def test_a_level_question_in_unknown_words_is_ordered_and_marked_to_confirm(tmp_path):
    col = column("Câu 4. Mức độ sử dụng", {"Hiếm": 5, "Đôi khi": 9, "Hằng ngày": 3})
    draft, out = draft_from([col], tmp_path)
    text = out.read_text(encoding="utf-8")
    assert "# XÁC NHẬN: không biết thứ tự các mức" in text
    book = load_codebook(out)
    assert (
        book[book.blocks_of("ratings")[0].level[next(iter(book.blocks_of("ratings")[0]))]].type == "ordinal"
    )


def test_awkward_columns_still_give_a_loadable_draft(tmp_path):
    """Blank columns, answers that are all non-response, a condition on a question that is not
    yes/no, a number column with one value, a grid row without its pair: still a valid draft."""
    cols = [
        column("Câu 1. Ghi chú", {"": 10}, 0),
        column("Câu 2. Nghề nghiệp", {"Không biết": 4, "Từ chối": 2, "": 4}, 1),
        Column("Câu 3. Chức vụ", 2, Counter({"Trưởng": 3, "Phó": 4}), 7, name="cv", n_distinct=2),
        Column(
            "Câu 4. Lý do",
            3,
            Counter({"A": 1}),
            1,
            name="ld",
            declared_kind="single_choice",
            choices=["A", "B"],
            relevant=("cv", "Trưởng"),
        ),  # fmt: skip
        column("Câu 5. Số con", {"2": 9}, 4),
        column("Câu 6. Mức độ hài lòng [Lương]", {"Hài lòng": 4, "Bình thường": 3, "Rất hài lòng": 2}, 5),
        column("Câu 7. Có tham gia không? [Hội thi]", {"Có": 4, "Không": 5}, 6),
    ]
    draft = draft_codebook(cols, REFERENCE, "x.csv")
    text = draft.yaml_text()
    assert "only_if: cv" not in text and "XÁC NHẬN: điều kiện only_if" in text
    if "missing_classes" not in yaml.safe_load(text):  # until the loader knows `missing:`
        draft.write(tmp_path / "a.yaml", tmp_path / "a.md")
        load_codebook(tmp_path / "a.yaml")
    cols.pop(1)  # without the non-response column: it must load today
    draft_from(cols, tmp_path)
    load_codebook(tmp_path / "codebook_nhap.yaml")


def test_an_spss_export_is_drafted_from_its_value_labels(tmp_path):
    import pyreadstat

    frame = pd.DataFrame(
        {"gioi": [1, 2, 2, 1, 2, 1], "tuoi_tra_loi": [25, 31, 40, 28, 35, 29], "muc": [1, 2, 3, 3, 2, 1]}
    )
    path = tmp_path / "khao_sat.sav"
    pyreadstat.write_sav(
        frame,
        str(path),
        column_labels=["Câu 1. Giới tính", "Câu 2. Tuổi", "Câu 3. Mức độ sử dụng dịch vụ công"],
        variable_value_labels={"gioi": {1: "Nam", 2: "Nữ"}, "muc": {1: "Thấp", 2: "Trung bình", 3: "Cao"}},
    )
    raw = read_survey(path)
    draft, out = draft_from(from_export(raw), tmp_path, path.name)
    book = load_codebook(out)
    by_first = {v.headers[0]: v for v in book.variables}
    gender = by_first[raw.frame.columns[0]]
    assert book.role("gender") == gender.name and set(gender.values) <= {"Nam", "Nữ"}
    assert by_first[raw.frame.columns[1]].type == "integer"
    assert by_first[raw.frame.columns[2]].type == "ordinal"


def test_spss_user_missing_codes_are_drafted_as_classes_and_clean(tmp_path, codebook):
    """An SPSS export whose rating carries user-missing 98 («Không biết», labelled) and 99 (no
    label), and whose age carries 99: the draft declares them as item non-response (label and
    code), not as answers; cleaning the file with the draft records them in their class."""
    from test_item_nonresponse import _roles, _write_sav

    from chinhquyenso.ingest import clean_survey
    from conftest import DEMO

    _age, rated, rated_header, age_spec = _roles()
    frame = read_survey(DEMO).frame.head(80).copy()
    age_header = age_spec["headers"][0]
    frame.loc[[3, 10], rated_header] = "Không biết"
    frame.loc[[5], rated_header] = "99"
    frame.loc[[7, 12, 20], age_header] = "99"
    scale = codebook.scales[codebook[rated].scale]
    coded = {rated_header: {float(c): label for c, label in scale.labels.items()} | {98.0: "Không biết"}}
    coded[age_header] = {}
    path = tmp_path / "khao_sat.sav"
    _write_sav(frame, path, coded, {rated_header: [98, 99], age_header: [99]})

    raw = read_survey(path)
    _draft, out = draft_from(from_export(raw), tmp_path, path.name)
    book = load_codebook(out)
    by_header = {v.headers[0]: v for v in book.variables}
    doc = yaml.safe_load(out.read_text(encoding="utf-8"))
    spec = {v["name"]: v for v in doc["variables"]}
    rated_missing = spec[by_header[rated_header].name].get("missing") or doc["scales"][
        spec[by_header[rated_header].name]["scale"]
    ].get("missing")
    assert {"Không biết", "98"} <= set(rated_missing["khong_biet"])
    assert "99" in {s for spellings in rated_missing.values() for s in spellings}
    assert by_header[age_header].type == "integer"
    assert "99" not in {str(c) for c in by_header[rated_header].values}  # not an answer
    result = clean_survey(raw, book)
    classes = result.clean[f"{by_header[rated_header].name}__khuyet"].value_counts().to_dict()
    assert sum(classes.values()) == 3 and classes.get("khong_biet", 0) >= 2
    assert result.clean[f"{by_header[age_header].name}__khuyet"].notna().sum() == 3
