"""A draft codebook from a Kobo/ODK form definition (XLSForm): the form read with pyxform
(`chinhquyenso.draft.xlsform`), then drafted against last year's codebook."""

import importlib.util

import pytest
from openpyxl import load_workbook

from chinhquyenso.draft.xlsform import NOT_APPLICABLE, FormError, from_xlsform
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
