"""Issue 23, items 3 and 4: what the project reads and what it prints, checked at the edge.

- one path policy for every file the project reads (config paths, each source's ``file`` in
  the sources YAML, the files of van_ban/ and of the template and font folders): symlinks are
  resolved and anything outside the project is refused, at start-up (config_check.load_checked)
  and again where documents.py reads it;
- config text that reaches the HTML, PDF, Word and Excel files holds no control character and
  nothing XML cannot hold, and is never template code: only {tinh} and {nam_khao_sat} are filled;
- band edges that do not increase and two waves with one year stop the run at start-up.

Each case asserts the exact Vietnamese message or the exact output.
"""

import copy
import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml
from test_documents import _extract

from chinhquyenso import config_check
from chinhquyenso.document_candidates import all_candidates
from chinhquyenso.documents import (
    VERIFIED,
    check_provenance,
    load_extracts,
    load_indicators,
    load_sources,
)
from chinhquyenso.report.context import _meta
from conftest import ROOT

FIXTURE = Path(__file__).parent / "fixtures/documents/bao_cao_mau.txt"
ADVICE = "chỉ đọc tệp trong dự án (chép tệp vào resources/documents/van_ban/ rồi trỏ tới đó)"
PATHS_HEAD = "Đường dẫn không dùng được (dự án chỉ đọc tệp trong thư mục của nó):\n  - "
VALUES_HEAD = "Giá trị trong cấu hình không dùng được:\n  - "


def _config():
    return yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))


# --- one path policy: the sources' files --------------------------------------------------------


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A project folder (the working directory, as in a run) with a sources YAML naming one
    text, and a folder outside it holding the same text."""
    root = tmp_path / "du_an"
    root.mkdir()
    outside = tmp_path / "ngoai" / "bao_cao.txt"
    outside.parent.mkdir()
    shutil.copy(FIXTURE, outside)
    monkeypatch.chdir(root)
    return root, outside


def _sources(root: Path, file: str) -> None:
    entry = {
        "id": "mau",
        "title": "Báo cáo mẫu",
        "author": "Nhóm phát triển",
        "year": 2025,
        "type": "văn bản kiểm thử",
        "citation": "Báo cáo mẫu (2025).",
        "file": file,
    }
    (root / "nguon.yaml").write_text(
        yaml.safe_dump({"sources": [entry]}, allow_unicode=True), encoding="utf-8"
    )
    (root / "trich_xuat.yaml").write_text(  # the extract test_documents uses, read from its source
        yaml.safe_dump({"extracts": [_extract()]}, allow_unicode=True), encoding="utf-8"
    )


@pytest.fixture(scope="module")
def indicators():
    return load_indicators(ROOT / "resources/documents/chi_so.yaml")


def _refused_everywhere(root: Path, indicators, expected: str) -> None:
    """Refused at start-up (before the codebook is read), by the provenance check and by the
    candidates list: the outside text is never read."""
    with pytest.raises(config_check.ConfigError) as info:
        config_check.load_checked({"documents": {"sources": "nguon.yaml"}}, root)
    assert str(info.value) == PATHS_HEAD + expected
    sources = load_sources("nguon.yaml")
    extracts = load_extracts("trich_xuat.yaml", sources, indicators)
    with pytest.raises(config_check.OutsideProjectError) as info:
        check_provenance(extracts, sources, root)
    assert str(info.value) == expected
    with pytest.raises(config_check.OutsideProjectError) as info:
        all_candidates(sources, root, indicators)
    assert str(info.value) == expected


def test_absolute_source_path_outside_the_project_is_refused(project, indicators):
    root, outside = project
    _sources(root, str(outside))
    expected = f"nguon.yaml, nguồn «mau», file: «{outside}» nằm ngoài thư mục dự án {root}; {ADVICE}"
    _refused_everywhere(root, indicators, expected)


def test_dotdot_source_path_is_refused(project, indicators):
    root, _outside = project
    _sources(root, "../ngoai/bao_cao.txt")
    expected = (
        f"nguon.yaml, nguồn «mau», file: «../ngoai/bao_cao.txt» nằm ngoài thư mục dự án {root}; {ADVICE}"
    )
    _refused_everywhere(root, indicators, expected)


def test_symlink_in_van_ban_to_an_outside_file_is_refused(project, indicators):
    root, outside = project
    (root / "van_ban").mkdir()
    (root / "van_ban" / "bao_cao.txt").symlink_to(outside)
    _sources(root, "van_ban/bao_cao.txt")
    expected = (
        f"nguon.yaml, nguồn «mau», file: «van_ban/bao_cao.txt» (liên kết tới «{outside}») "
        f"nằm ngoài thư mục dự án {root}; {ADVICE}"
    )
    _refused_everywhere(root, indicators, expected)


def test_symlink_in_van_ban_to_a_file_inside_is_accepted(project, indicators):
    root, _outside = project
    (root / "kho").mkdir()
    shutil.copy(FIXTURE, root / "kho" / "bao_cao.txt")
    (root / "van_ban").mkdir()
    (root / "van_ban" / "bao_cao.txt").symlink_to(root / "kho" / "bao_cao.txt")
    _sources(root, "van_ban/bao_cao.txt")
    name, entries, unreadable = config_check.source_entries({"documents": {"sources": "nguon.yaml"}}, root)
    assert unreadable == [] and config_check.source_file_problems(name, entries, root) == []
    sources = load_sources("nguon.yaml")
    checked = check_provenance(load_extracts("trich_xuat.yaml", sources, indicators), sources, root)
    assert checked["trang_thai"].tolist() == [VERIFIED]
    assert "1.234" in all_candidates(sources, root, indicators)["so"].tolist()


def test_a_symlink_in_the_font_folder_to_an_outside_file_is_refused(project):
    root, outside = project
    (root / "fonts").mkdir()
    (root / "fonts" / "Noto.ttf").symlink_to(outside)
    assert config_check.path_problems({"report": {"font_dir": "fonts"}}, root) == [
        f"config report.font_dir: «fonts/Noto.ttf» (liên kết tới «{outside}») nằm ngoài thư mục dự án "
        f"{root}; chỉ đọc tệp trong dự án (chép tệp vào resources/ rồi trỏ tới đó)"
    ]


def test_the_project_passes_every_start_up_check():
    assert config_check.load_checked(_config(), ROOT) is not None


# --- control characters in printed config text ---------------------------------------------------

TEXT_CASES = [  # (key, where to put it, character)
    ("report.docx.font", lambda c, v: c["report"]["docx"].update(font=v), "\x00"),
    ("report.title", lambda c, v: c["report"].update(title=v), "\x07"),
    ("report.title_en", lambda c, v: c["report"].update(title_en=v), "\x1b"),
    ("report.subtitle", lambda c, v: c["report"].update(subtitle=v), "\x0b"),
    ("report.abstract_vi", lambda c, v: c["report"].update(abstract_vi=v), "\x7f"),
    ("report.abstract_en", lambda c, v: c["report"].update(abstract_en=v), "\x85"),
    ("report.keywords[2]", lambda c, v: c["report"]["keywords"].__setitem__(1, v), "\x9f"),
    ("report.keywords_en[1]", lambda c, v: c["report"].update(keywords_en=[v]), "\x0c"),
    ("report.authors[1]", lambda c, v: c["report"]["authors"].__setitem__(0, v), "\x01"),
    ("report.institution", lambda c, v: c["report"].update(institution=v), "\ufffe"),
    ("report.place", lambda c, v: c["report"].update(place=v), "\uffff"),
    ("report.introduction[1]", lambda c, v: c["report"]["introduction"].__setitem__(0, v), "\x1f"),
    ("report.recommendations[3]", lambda c, v: c["report"]["recommendations"].__setitem__(2, v), "\x08"),
    ("reproduction.citation", lambda c, v: c["reproduction"].update(citation=v), "\x80"),
]  # fmt: skip


@pytest.mark.parametrize("case", TEXT_CASES, ids=[c[0] for c in TEXT_CASES])
def test_a_control_character_in_printed_config_text_is_refused_with_its_key(case):
    key, put, char = case
    cfg = _config()
    put(cfg, f"Chữ{char}lạ")
    code = f"<U+{ord(char):04X}>"
    expected = (
        f"config {key}: có ký tự điều khiển hay không hợp lệ {code} (ký tự thứ 4) trong «Chữ{code}lạ»; "
        "xóa ký tự này (báo cáo PDF, Word và Excel không chứa được)"
    )
    assert config_check.value_problems(cfg) == [expected]
    with pytest.raises(config_check.ConfigError) as info:  # at start-up, before any job
        config_check.load_checked(cfg, ROOT)
    assert str(info.value) == VALUES_HEAD + expected


def test_control_characters_written_as_yaml_escapes_are_caught():
    """config.yaml can carry them only as escapes in double quotes (PyYAML refuses them raw)."""
    cfg = _config()
    cfg["report"].update(yaml.safe_load('title: "Báo cáo\\x07 năm\\uFFFE"'))
    assert config_check.value_problems(cfg) == [
        "config report.title: có ký tự điều khiển hay không hợp lệ <U+0007>, <U+FFFE> (ký tự thứ 8) "
        "trong «Báo cáo<U+0007> năm<U+FFFE>»; xóa các ký tự này (báo cáo PDF, Word và Excel không chứa được)"
    ]


def test_tab_newline_and_cr_are_allowed():
    cfg = _config()
    cfg["report"]["abstract_vi"] = "Đoạn một.\n\nĐoạn\thai.\r\n"
    assert config_check.value_problems(cfg) == []


def test_a_control_character_in_the_sources_yaml_is_refused_with_its_entry(project):
    root, _outside = project
    _sources(root, "")
    doc = yaml.safe_load((root / "nguon.yaml").read_text(encoding="utf-8"))
    doc["sources"][0]["citation"] = "Báo cáo\x02mẫu"
    (root / "nguon.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with pytest.raises(config_check.ConfigError) as info:
        config_check.load_checked({"documents": {"sources": "nguon.yaml"}}, root)
    assert str(info.value) == VALUES_HEAD + (
        "nguon.yaml, nguồn «mau», citation: có ký tự điều khiển hay không hợp lệ <U+0002> (ký tự thứ 8) "
        "trong «Báo cáo<U+0002>mẫu»; xóa ký tự này (báo cáo PDF, Word và Excel không chứa được)"
    )


# --- config text is never template code ------------------------------------------------------------

PROVINCES = ["TPHCM", "Bình Dương", "Đồng Nai"]
TODAY = dt.date(2026, 11, 22)


def _meta_with(**report):
    cfg = _config()
    cfg["report"].update(report)
    return _meta(cfg, TODAY, PROVINCES)


def test_braces_in_the_title_are_printed_as_typed():
    meta = _meta_with(title="Báo cáo {khac} {0} {} {tinh", subtitle="{ nam_khao_sat }", introduction=["{x}"])
    assert meta["tieu_de"] == "Báo cáo {khac} {0} {} {tinh"
    assert meta["phu_de"] == "{ nam_khao_sat }"
    assert meta["gioi_thieu"] == ["{x}"]


def test_template_code_in_config_text_is_printed_literally(report_context):
    from chinhquyenso.report import render_html

    meta = _meta_with(
        title="{{ 7*7 }} <b>đậm</b>", subtitle="{% if true %}x{% endif %}", introduction=["{{ meta }}"]
    )
    assert meta["tieu_de"] == "{{ 7*7 }} <b>đậm</b>"
    assert meta["phu_de"] == "{% if true %}x{% endif %}"
    assert meta["gioi_thieu"] == ["{{ meta }}"]
    context = copy.copy(report_context)
    context["meta"] = meta
    html = render_html(context, ROOT / "workflow/templates")
    # printed, not evaluated, and escaped by the templates' autoescape
    assert '<h1 class="cover-title">{{ 7*7 }} &lt;b&gt;đậm&lt;/b&gt;</h1>' in html
    assert "<title>{{ 7*7 }} &lt;b&gt;đậm&lt;/b&gt;</title>" in html
    assert '<p class="cover-subtitle">{% if true %}x{% endif %}</p>' in html
    assert "<p>{{ meta }}</p>" in html


def test_the_documented_placeholders_are_still_filled():
    meta = _meta_with(
        title="Khảo sát {nam_khao_sat} tại {tinh}",
        introduction=["Năm {nam_khao_sat}: {tinh}; {tinh}. {{ 7*7 }}"],
    )
    assert meta["tieu_de"] == "Khảo sát 2023 tại TPHCM, Bình Dương và Đồng Nai"
    assert meta["phu_de"] == (
        "Kết quả khảo sát chuyên viên phụ trách công tác Đoàn Thanh niên tại "
        "TPHCM, Bình Dương và Đồng Nai, năm 2023"
    )
    assert meta["gioi_thieu"] == [
        "Năm 2023: TPHCM, Bình Dương và Đồng Nai; TPHCM, Bình Dương và Đồng Nai. {{ 7*7 }}"
    ]


# --- band edges and wave years ---------------------------------------------------------------------

BANDS = "config report.tenure_bands: các mốc phải tăng dần, không lặp; nhận"
BAND_CASES = [
    ("giảm dần", [1, 8, 4, 12], f"{BANDS} [1, 8, 4, 12] (mốc 4 đứng sau mốc 8)"),
    ("lặp lại", [1, 4, 4, 12], f"{BANDS} [1, 4, 4, 12] (mốc 4 lặp lại)"),
]


@pytest.mark.parametrize("case", BAND_CASES, ids=[c[0] for c in BAND_CASES])
def test_tenure_bands_that_do_not_increase_are_refused_at_start_up(case):
    _name, edges, expected = case
    cfg = _config()
    cfg["report"]["tenure_bands"] = edges
    assert config_check.value_problems(cfg) == [expected]
    with pytest.raises(config_check.ConfigError) as info:
        config_check.load_checked(cfg, ROOT)
    assert str(info.value) == VALUES_HEAD + expected


def test_model_band_edges_that_do_not_increase_are_refused():
    cfg = _config()
    cfg["models"]["covariates"]["tham_nien"] = {
        "type": "bands",
        "reference": "1–3 năm",
        "edges": [1, 4, 17, 8],
    }
    assert config_check.value_problems(cfg) == [
        "config models.covariates.tham_nien.edges: các mốc phải tăng dần, không lặp; nhận [1, 4, 17, 8] "
        "(mốc 8 đứng sau mốc 17)"
    ]


def _wave(year):
    return {
        "year": year,
        "path": "resources/demo/khao_sat_2023_demo.csv",
        "codebook": "resources/codebook.yaml",
    }


def test_two_waves_with_one_year_are_refused_in_vietnamese():
    cfg = _config()
    cfg["waves"] = [_wave(2026), _wave(2026)]
    expected = (
        "config waves[2].year: năm 2026 đã có ở waves[1]; mỗi đợt khảo sát cần một năm riêng "
        "(kết quả của đợt ghi vào results/clean/dot_2026/)"
    )
    assert config_check.value_problems(cfg) == [expected]
    with pytest.raises(config_check.ConfigError) as info:
        config_check.load_checked(cfg, ROOT)
    assert str(info.value) == VALUES_HEAD + expected


def test_a_wave_with_the_survey_year_is_refused_in_vietnamese():
    cfg = _config()
    cfg["waves"] = [_wave(2023)]
    assert config_check.value_problems(cfg) == [
        "config waves[1].year: năm 2023 trùng survey.year (đợt báo cáo phân tích); "
        "mỗi đợt khảo sát cần một năm riêng"
    ]
