"""Next year's forms: a different questionnaire gives a complete report with a codebook and a
config change only (README, "Chạy lại với dữ liệu năm sau").

Each fixture under tests/fixtures/bang_hoi_2026_* is a form of our own making (synthetic data,
labelled), different from 2023 in blocks, activities, scale, levels, provinces, names, spellings,
column order and file format; its README says how. The truth the report is checked against is
read here from the raw file and the fixture's codebook with plain pandas and YAML, not through
the project's code.
"""

import shutil

import pandas as pd
import pytest
import yaml
from form_truth import FormTruth
from test_workflow import _copy_project, _pdf_text, _snakemake, assert_word_tables_are_the_reports

from chinhquyenso.synthetic import SyntheticSpec, generate
from chinhquyenso.vn_format import slug
from conftest import ROOT

FIXTURES = ROOT / "tests/fixtures"
# Blocks of the 2023 form (survey.reference_codebook) each fixture does not ask, by title.
ABSENT = {
    "bang_hoi_2026_rut_gon": [
        "Đào tạo và kỹ năng số",
        "Hỗ trợ người dân",
        "Công tác thanh thiếu niên",
        "Rào cản",
    ],
    "bang_hoi_2026_doi_ten": ["Đào tạo và kỹ năng số", "Công tác thanh thiếu niên", "Rào cản"],
}


class Truth(FormTruth):
    """What the fixture's raw file and codebook say, read directly (tests/form_truth.py)."""

    def __init__(self, name):
        folder = FIXTURES / name
        self.config = yaml.safe_load((folder / "config.yaml").read_text(encoding="utf-8"))
        survey = self.config["survey"]
        super().__init__(ROOT / survey["path"], ROOT / survey["codebook"])


@pytest.fixture(scope="module", params=sorted(ABSENT))
def next_year(request, tmp_path_factory):
    name = request.param
    work = _copy_project(tmp_path_factory.mktemp(name))
    shutil.copytree(FIXTURES / name, work / "tests/fixtures" / name)
    shutil.copy2(FIXTURES / name / "config.yaml", work / "config.yaml")  # the institute's edit
    run = _snakemake(work)
    assert run.returncode == 0, run.stderr[-4000:]
    return name, work, Truth(name)


@pytest.mark.integration
def test_report_states_the_fixtures_sample(next_year):
    _name, work, truth = next_year
    text = _pdf_text(work / "results/report/bao_cao.pdf")
    assert f"Mẫu gồm {truth.n} người trả lời thuộc {len(truth.provinces)} tỉnh, thành phố" in text
    for province in truth.provinces:
        assert province in text
    for level in truth.admin_levels:
        assert level.lower() in text.lower()
    scale = "; ".join(f"{i}: {label.lower()}" for i, label in enumerate(truth.levels, 1))
    assert f"theo thang {len(truth.levels)} mức ({scale})" in text
    assert f"» nêu {len(truth.activities)} " in text  # the activities block and how many it asks
    assert ("Thâm niên" in text) == truth.has_tenure  # a form without tenure: no tenure anywhere
    for stale in ("TPHCM", "Bình Dương", "Quận/huyện"):  # nothing of the 2023 form leaks in
        assert stale not in text


@pytest.mark.integration
def test_absent_blocks_are_named_in_the_methods(next_year):
    name, work, _truth = next_year
    text = _pdf_text(work / "results/report/bao_cao.pdf")
    sentence = text[text.index("Bảng hỏi đợt này không có các khối câu hỏi") :][:400]
    for title in ABSENT[name]:
        assert f"«{title}»" in sentence, (title, sentence)


@pytest.mark.integration
def test_activity_counts_equal_the_raw_answers(next_year):
    _name, work, truth = next_year
    levels = pd.read_csv(work / "results/tables/muc_do_tham_gia.csv")
    levels = levels.set_index(levels.columns[0])  # activity ids
    assert levels["n_tham_gia"].to_dict() == truth.takes_part
    html = (work / "results/report/bao_cao.html").read_text(encoding="utf-8")
    for label in truth.activities.values():
        assert label in html
    for label in truth.levels:
        assert f'<th colspan="2">{label}</th>' in html  # one column pair per level in Bảng 3


@pytest.mark.integration
def test_one_report_per_surveyed_province(next_year):
    _name, work, truth = next_year
    for province, n in truth.provinces.items():
        pdf = work / f"results/report/bao_cao_tinh_{slug(province)}.pdf"
        assert f"Mẫu gồm {n} người trả lời" in _pdf_text(pdf)


@pytest.mark.integration
def test_report_text_lint(next_year):
    """report.lint (tests/test_report_text.py) on the report and every province report."""
    from chinhquyenso.report.lint import lint_report

    _name, work, _truth = next_year
    reports = sorted((work / "results/report").glob("bao_cao*.html"))
    problems = [p for path in reports for p in lint_report(path)]
    assert not problems, f"{len(problems)} lỗi văn bản báo cáo (report.lint):\n" + "\n".join(problems)


@pytest.mark.integration
def test_word_files_carry_every_table_of_their_report(next_year):
    """Issue 24: each Word file (report and province reports) has the report's tables, cell by cell."""
    _name, work, _truth = next_year
    reports = sorted((work / "results/report").glob("bao_cao*.html"))
    assert len(reports) > 1
    for html in reports:
        assert_word_tables_are_the_reports(html.with_suffix(".docx"), html)


@pytest.mark.parametrize("name", sorted(ABSENT))
def test_fixture_data_regenerates_from_its_spec(name, tmp_path):
    from chinhquyenso.codebook import load_codebook
    from chinhquyenso.readers import read_survey
    from chinhquyenso.synthetic import write

    fields = yaml.safe_load((FIXTURES / name / "gia_lap.yaml").read_text(encoding="utf-8"))
    book = load_codebook(ROOT / fields.pop("codebook"))
    committed = ROOT / fields.pop("out")
    spec = SyntheticSpec(**fields)
    out = tmp_path / committed.name
    write(generate(book, spec), out, book, spec)
    if out.suffix == ".csv":
        assert out.read_bytes() == committed.read_bytes()
    else:
        pd.testing.assert_frame_equal(read_survey(out).frame, read_survey(committed).frame)
    ids = read_survey(committed).frame[book[book.role("id")].headers[0]]
    assert ids.str.startswith(spec.id_prefix).all() and spec.id_prefix.startswith("SYN")


def test_fixtures_are_labelled_synthetic():
    for name in ABSENT:
        for file in ("README.md", "codebook.yaml", "config.yaml", "gia_lap.yaml"):
            assert "GIẢ LẬP" in (FIXTURES / name / file).read_text(encoding="utf-8"), (name, file)
