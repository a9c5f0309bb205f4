"""A draft codebook from a Kobo/ODK form definition (XLSForm): the form read with pyxform
(`chinhquyenso.draft.xlsform`), then drafted against last year's codebook."""

import importlib.util
import shutil
from dataclasses import replace

import pandas as pd
import pytest
import yaml
from openpyxl import load_workbook

from chinhquyenso.codebook import load_codebook
from chinhquyenso.draft.xlsform import NOT_APPLICABLE, FormError, from_xlsform
from chinhquyenso.ingest import clean_survey
from chinhquyenso.readers import read_survey
from conftest import CODEBOOK, ROOT

FIXTURE = ROOT / "tests/fixtures/xlsform_2026"
_spec = importlib.util.spec_from_file_location("make_form", FIXTURE / "make_form.py")
make_form = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_form)
FORM = make_form.FORM


def _by_name(columns):
    return {c.name: c for c in columns}


def _survey_with(name, **changes):
    """The fixture's survey rows with the row of question ``name`` changed."""
    index = {field: i for i, field in enumerate(make_form.SURVEY_HEADER)}
    rows = [list(r) for r in make_form.SURVEY]
    row = next(r for r in rows if r[1] == name)
    for field, value in changes.items():
        row[index[field]] = value
    return rows


@pytest.fixture(scope="module")
def form():
    report: list[str] = []
    columns = from_xlsform(FORM, report=report)
    return _by_name(columns), report, columns


def test_committed_form_is_what_the_generator_writes(tmp_path):
    fresh = make_form.build(tmp_path / "form.xlsx")

    def cells(path):
        book = load_workbook(path)
        return {s.title: [list(r) for r in s.iter_rows(values_only=True)] for s in book}

    assert cells(FORM) == cells(fresh)


def test_every_question_type_is_mapped(form):
    by_name, _, columns = form
    assert {c.name: c.declared_kind for c in columns} == {
        "start": "datetime",
        "end": "datetime",
        "today": "datetime",
        "tinh_tp": "single_choice",
        "cap_don_vi": "single_choice",
        "gioi": "single_choice",
        "tuoi_nam": "integer",
        "so_nam_ct": "integer",
        "da_dao_tao": "yes_no",
        "ky_nang": "yes_no",
        "tg_cong": "yes_no",
        "md_cong": "ordinal",  # its list is shown with the likert appearance
        "tg_dlmo": "yes_no",
        "md_dlmo": "ordinal",  # same list, no appearance of its own: the list is the scale
        "tg_sohoa": "yes_no",
        "md_sohoa": "ordinal",
        "rao_can_cds": "multiselect",
        "so_lop": "integer",
        "so_nguoi": "integer",
        "gio_tap_huan": "text",  # decimal: no such codebook type, with a note
        "y_kien": "text",
    }
    assert [c.position for c in columns] == list(range(len(columns)))
    assert by_name["rao_can_cds"].separator == " "
    assert any("dấu cách" in n for n in by_name["rao_can_cds"].notes)
    assert any("thập phân" in n for n in by_name["gio_tap_huan"].notes)


def test_headers_are_vietnamese_labels_though_english_is_the_default(form):
    by_name, _, _ = form
    assert by_name["tinh_tp"].header == "Tỉnh/thành phố nơi công tác"
    assert by_name["gioi"].choices == ["Nam", "Nữ"]
    assert by_name["md_cong"].choices == ["Rất thấp", "Thấp", "Trung bình", "Cao", "Rất cao"]
    # The export may carry the name (XML values) or the group path instead of the label.
    assert by_name["tinh_tp"].aliases == ["tinh_tp", "thong_tin/tinh_tp", "thong_tin-tinh_tp"]
    assert by_name["y_kien"].aliases == ["y_kien"]
    # Metadata has no label: its header is its name.
    assert by_name["start"].header == "start" and by_name["start"].aliases == []


def test_an_untagged_label_column_in_vietnamese_is_chosen(tmp_path):
    # `label` (no language: pyxform's "default") holds the Vietnamese text, beside an English one.
    survey = [["select_one cap", "cap", "Cấp đơn vị", "Level"], ["integer", "tuoi", "Tuổi", "Age"]]
    choices = [["cap", "a", "Cấp tỉnh", "Province"], ["cap", "b", "Cấp xã", "Commune"]]
    headers = {
        "survey": ["type", "name", "label", "label::English (en)"],
        "choices": ["list_name", "name", "label", "label::English (en)"],
        "settings": ["form_title", "form_id"],
    }
    path = make_form.build(tmp_path / "form.xlsx", survey, choices, [["t", "t"]], headers)
    by_name = _by_name(from_xlsform(path))
    assert by_name["cap"].header == "Cấp đơn vị"
    assert by_name["cap"].choices == ["Cấp tỉnh", "Cấp xã"]
    # With no Vietnamese at all, the form's default language.
    english = [[row[0], row[1], "", row[3]] for row in survey]
    headers["settings"] = ["form_title", "form_id", "default_language"]
    path = make_form.build(tmp_path / "en.xlsx", english, choices, [["t", "t", "English (en)"]], headers)
    assert _by_name(from_xlsform(path))["tuoi"].header == "Age"


def test_choices_keep_the_form_order_and_names(form):
    by_name, _, _ = form
    assert by_name["tinh_tp"].choices == ["TP. Hồ Chí Minh", "Tây Ninh", "Đồng Nai"]
    assert by_name["tinh_tp"].choice_names == ["hcm", "tay_ninh", "dong_nai"]
    # The answers a question offers are its answers, given by no one yet.
    assert list(by_name["tinh_tp"].answers.items()) == [
        ("TP. Hồ Chí Minh", 0),
        ("Tây Ninh", 0),
        ("Đồng Nai", 0),
    ]
    assert not by_name["rao_can_cds"].answers  # a multi-select's cells are combinations
    assert by_name["cap_don_vi"].choices == ["Cấp tỉnh/thành phố", "Cấp phường/xã"]
    assert by_name["rao_can_cds"].choices[-1] == "Thiếu kinh phí"
    assert by_name["rao_can_cds"].choice_names[0] == "ha_tang"


def test_groups_give_blocks(form):
    by_name, _, _ = form
    assert by_name["tg_cong"].block == ("hoat_dong_cds", "Tham gia xây dựng chính quyền số")
    assert by_name["da_dao_tao"].block == ("dao_tao", "Đào tạo và kỹ năng số")
    assert by_name["y_kien"].block is None and by_name["start"].block is None


def test_relevant_becomes_only_if_and_not_applicable(form):
    by_name, _, columns = form
    assert by_name["md_cong"].relevant == ("tg_cong", "Có")  # ${q} = 'yes'
    assert by_name["md_dlmo"].relevant == ("tg_dlmo", "Có")  # selected(${q}, 'yes')
    # A condition that is not a plain yes/no one: no only_if, the analyst is asked.
    assert by_name["md_sohoa"].relevant is None
    assert any("${tuoi_nam} >= 25" in n and "only_if" in n for n in by_name["md_sohoa"].notes)
    conditional = {c.name for c in columns if c.not_applicable == NOT_APPLICABLE}
    assert conditional == {"md_cong", "md_dlmo", "md_sohoa"}
    assert all(c.relevant is None for c in columns if c.name not in conditional)


def test_a_condition_on_the_no_answer_or_on_a_group(tmp_path):
    survey = _survey_with("md_cong", relevant="${tg_cong} = 'no'")
    by_name = _by_name(from_xlsform(make_form.build(tmp_path / "no.xlsx", survey=survey)))
    assert by_name["md_cong"].relevant is None and by_name["md_cong"].notes
    # A group's condition applies to each of its questions.
    survey = _survey_with("kho_khan", relevant="${da_dao_tao} = 'yes'")
    by_name = _by_name(from_xlsform(make_form.build(tmp_path / "group.xlsx", survey=survey)))
    assert by_name["rao_can_cds"].relevant == ("da_dao_tao", "Có")
    assert by_name["rao_can_cds"].not_applicable == NOT_APPLICABLE


def test_known_scales_of_the_reference_codebook(tmp_path):
    # Without the likert mark the 5-level list is an ordered scale only because last year's
    # codebook has it; a yes/no list with other names is yes/no by its labels likewise.
    survey = _survey_with("md_cong", appearance="")
    choices = [
        ["co_khong", {"yes": "c", "no": "k"}[r[1]], *r[2:]] if r[0] == "co_khong" else r
        for r in make_form.CHOICES
    ]
    path = make_form.build(tmp_path / "form.xlsx", survey=survey, choices=choices)
    plain = _by_name(from_xlsform(path))
    assert plain["md_cong"].declared_kind == "single_choice"
    assert plain["tg_cong"].declared_kind == "single_choice"
    known = _by_name(from_xlsform(path, reference=CODEBOOK))
    assert known["md_cong"].declared_kind == "ordinal"
    assert known["tg_cong"].declared_kind == "yes_no"
    assert known["md_cong"].relevant is None  # the condition says 'yes', a name the list no longer has


def test_device_and_user_properties_are_identifiers(tmp_path):
    survey = [*make_form.SURVEY, make_form._q("username", "nguoi_nhap"), make_form._q("phonenumber", "dt")]
    by_name = _by_name(from_xlsform(make_form.build(tmp_path / "form.xlsx", survey=survey)))
    assert by_name["nguoi_nhap"].declared_kind == "identifier"
    assert by_name["dt"].declared_kind == "identifier"


def test_elements_that_are_not_columns_are_reported_with_their_row(form):
    by_name, report, _ = form
    assert "cam_on" not in by_name and "so_hd" not in by_name
    rows = {name: i for i, (kind, name, *_) in enumerate(make_form.SURVEY, start=2)}
    assert any(f"dòng {rows['cam_on']}" in line and "cam_on" in line for line in report)
    assert any(f"dòng {rows['so_hd']}" in line and "so_hd" in line for line in report)


@pytest.mark.parametrize(
    "change, row_of",
    [
        ({"calculation": ""}, "so_hd"),  # a calculation without its formula
        ({"type": "select_one khong_co_danh_sach"}, "so_hd"),  # a list the choices sheet lacks
        ({"type": "chon_mot"}, "so_hd"),  # a type XLSForm does not have
    ],
)
def test_a_broken_form_is_refused_in_vietnamese_with_its_row(tmp_path, change, row_of):
    survey = _survey_with("so_hd", **change)
    path = make_form.build(tmp_path / "hong.xlsx", survey=survey)
    row = next(i for i, r in enumerate(survey, start=2) if r[1] == row_of)
    with pytest.raises(FormError) as err:
        from_xlsform(path)
    message = str(err.value)
    assert "không hợp lệ" in message and "«hong.xlsx»" in message
    assert f"trang «survey», dòng {row}" in message
    assert "Traceback" not in message


def test_a_file_that_is_no_form_is_refused(tmp_path):
    with pytest.raises(FormError, match="Không có tệp"):
        from_xlsform(tmp_path / "khong_co.xlsx")
    junk = tmp_path / "rac.xlsx"
    junk.write_text("không phải bảng tính", encoding="utf-8")
    with pytest.raises(FormError, match="«rac.xlsx»"):
        from_xlsform(junk)


def test_labels_written_decomposed_are_read_as_nfc(tmp_path):
    import unicodedata

    decomposed = unicodedata.normalize("NFD", "Giới tính")
    survey = _survey_with("gioi", **{"label::Vietnamese (vi)": decomposed})
    by_name = _by_name(from_xlsform(make_form.build(tmp_path / "nfd.xlsx", survey=survey)))
    assert by_name["gioi"].header == "Giới tính" == unicodedata.normalize("NFC", by_name["gioi"].header)


# --- the draft from the form, against last year's codebook ------------------------------------


@pytest.fixture(scope="module")
def drafted(tmp_path_factory):
    """The command run on the form, in a project folder holding the form and last year's codebook."""
    from draft_codebook import parser, run

    root = tmp_path_factory.mktemp("du_an")
    shutil.copy2(FORM, root / FORM.name)
    shutil.copy2(CODEBOOK, root / "codebook.yaml")
    args = parser().parse_args(["--form", FORM.name, "--reference", "codebook.yaml", "--out", "nhap.yaml"])
    assert run(args, root=root) == 0
    doc = yaml.safe_load((root / "nhap.yaml").read_text(encoding="utf-8"))
    return root, load_codebook(root / "nhap.yaml"), doc


def _spec(doc, name):
    return next(v for v in doc["variables"] if v["name"] == name)


def test_the_form_draft_keeps_last_years_roles_and_matches_a_reworded_question(drafted):
    _, book, doc = drafted
    reference = load_codebook(CODEBOOK)
    assert {r: book.role(r) for r in ("province", "admin_level", "gender", "age", "tenure")} == {
        r: reference.role(r) for r in ("province", "admin_level", "gender", "age", "tenure")
    }
    trained = next(v for v in book.variables if v.headers[0].startswith("Anh/chị đã từng được đào tạo"))
    assert trained.name in reference  # reworded, still last year's variable: waves stay comparable
    assert "da_dao_tao" in trained.headers  # the form's name: an "XML values" export matches too
    assert book.role("id") is None and book.role("submitted_at") is None  # the server's columns


def test_the_form_draft_blocks_only_if_categories_and_scales(drafted):
    _, book, doc = drafted
    kinds = {b.kind: b for b in book.blocks}
    assert set(kinds) == {"activities", "indicators", "multiselect", "numeric"}  # no rating block left
    # The new block of counts is titled by the form's group.
    assert kinds["numeric"].title == "Hỗ trợ người dân trong năm qua" and len(kinds["numeric"].variables) == 2
    activities = kinds["activities"]
    assert "Số hoá hồ sơ lưu trữ" in activities.items.values() and len(activities.items) == 3
    for item in activities:
        level = book[activities.level[item]]
        assert level.only_if == activities.takes[item] and level.type == "ordinal"
        assert _spec(doc, level.name)["missing"] == {"khong_ap_dung": [NOT_APPLICABLE]}
    assert book.missing_classes == {"khong_ap_dung": NOT_APPLICABLE}
    assert [book[v].type for v in kinds["indicators"].variables] == ["boolean", "boolean"]
    province = book[book.role("province")]
    assert {c.value for c in province.categories} >= {"Tây Ninh", "Đồng Nai"}
    assert "tay_ninh" in next(c.raw for c in province.categories if c.value == "Tây Ninh")
    level = book[book.role("admin_level")]
    assert [c.raw[0] for c in level.categories] == ["Cấp phường/xã", "Cấp tỉnh/thành phố"]
    scale = book.scales[book[activities.level[next(iter(activities))]].scale]
    assert list(scale.labels.values()) == ["Rất thấp", "Thấp", "Trung bình", "Cao", "Rất cao"]
    barriers = next(v for v in book.variables if v.type == "multiselect")
    assert [o.name for o in barriers.options] == list(kinds["multiselect"].variables)
    assert barriers.separator == " " and len(barriers.options) == 6
    assert "kinh_phi" in barriers.options[-1].categories[0].raw


def test_the_form_draft_asks_to_confirm_and_reports_what_is_not_a_column(drafted):
    root, _, _ = drafted
    text = (root / "nhap.yaml").read_text(encoding="utf-8")
    assert "# XÁC NHẬN: điều kiện hiển thị «${tg_sohoa} = 'yes' and ${tuoi_nam} >= 25»" in text
    assert "# XÁC NHẬN: chọn nhiều" in text
    report = (root / "nhap.thay_doi.md").read_text(encoding="utf-8")
    assert "«cam_on» (note)" in report and "«so_hd» (calculate)" in report
    assert "_submission_time" in report


def test_a_value_export_of_the_form_is_cleaned_with_the_draft(drafted, tmp_path):
    # What Kobo writes with "XML values" and groups in headers: names, choice names, spaces.
    _, book, _ = drafted
    rows = [
        {"thong_tin/tinh_tp": "tay_ninh", "thong_tin/gioi": "nu", "thong_tin/tuoi_nam": "31",
         "hoat_dong_cds/tg_cong": "yes", "hoat_dong_cds/md_cong": "4",
         "hoat_dong_cds/tg_dlmo": "no", "hoat_dong_cds/md_dlmo": "Không áp dụng",
         "kho_khan/rao_can_cds": "ha_tang kinh_phi"},
        {"thong_tin/tinh_tp": "hcm", "thong_tin/gioi": "nam", "thong_tin/tuoi_nam": "27",
         "hoat_dong_cds/tg_cong": "no", "hoat_dong_cds/md_cong": "",
         "hoat_dong_cds/tg_dlmo": "yes", "hoat_dong_cds/md_dlmo": "2",
         "kho_khan/rao_can_cds": ""},
    ]  # fmt: skip
    frame = pd.DataFrame(rows)
    path = tmp_path / "xuat_kobo.csv"
    frame.to_csv(path, index=False)
    reduced = replace(book, variables=tuple(v for v in book.variables if set(v.headers) & set(frame.columns)))
    result = clean_survey(read_survey(path), reduced)
    clean = result.clean
    assert list(clean[book.role("province")]) == ["Tây Ninh", "TPHCM"]
    assert list(clean[book.role("age")]) == [31, 27]
    activities = next(b for b in book.blocks if b.kind == "activities")
    first, second = list(activities)[:2]
    assert list(clean[activities.level[first]].astype("Int64")) == [4, pd.NA]
    assert list(clean[activities.level[second]].astype("Int64")) == [pd.NA, 2]  # "Không áp dụng": blank
    barriers = next(v for v in book.variables if v.type == "multiselect")
    chosen = [o.name for o in barriers.options if clean.loc[0, o.name]]
    assert chosen == [barriers.options[0].name, barriers.options[-1].name]


def test_the_command_refuses_a_broken_form_or_two_sources(tmp_path, capsys):
    from draft_codebook import parser, run

    survey = _survey_with("so_hd", calculation="")
    make_form.build(tmp_path / "hong.xlsx", survey=survey)
    shutil.copy2(CODEBOOK, tmp_path / "codebook.yaml")
    args = parser().parse_args(["--form", "hong.xlsx", "--reference", "codebook.yaml", "--out", "nhap.yaml"])
    assert run(args, root=tmp_path) == 1
    err = capsys.readouterr().err
    row = next(i for i, r in enumerate(survey, start=2) if r[1] == "so_hd")
    assert f"«hong.xlsx», trang «survey», dòng {row}" in err and "Traceback" not in err
    assert not (tmp_path / "nhap.yaml").exists()
    with pytest.raises(SystemExit):
        parser().parse_args(
            ["--form", "a.xlsx", "--export", "b.csv", "--reference", "c.yaml", "--out", "d.yaml"]
        )
