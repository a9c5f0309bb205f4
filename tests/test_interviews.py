"""In-depth interviews: quotes verified verbatim, speakers protected, REFI-QDA import."""

import csv
import shutil
import zipfile
from pathlib import Path

import pandas as pd
import pytest
import yaml

from chinhquyenso.document_text import normalise_lines
from chinhquyenso.interviews.excerpts import load_excerpts
from chinhquyenso.interviews.qdpx import import_qdpx, read_qdpx
from chinhquyenso.interviews.register import InterviewError, Settings, settings_problems
from chinhquyenso.interviews.stage import write_stage
from chinhquyenso.interviews.verify import BRACKET_GAP, locate

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "resources/phong_van"
EDGES = [1, 4, 8, 12, 17]
SECTION = {
    "transcripts": "resources/phong_van/ban_ghi",
    "register": "resources/phong_van/danh_sach_phong_van.csv",
    "protected": "resources/phong_van/ten_bao_ve.yaml",
    "themes": "resources/phong_van/chu_de.yaml",
    "excerpts": ["resources/phong_van/trich_doan.yaml", "resources/phong_van/ma_hoa_minh_hoa.yaml"],
}


@pytest.fixture
def project(tmp_path):
    """A project folder holding a copy of the demo's interviews (tests damage it)."""
    shutil.copytree(DEMO, tmp_path / "resources/phong_van")
    return tmp_path


def survey_like(codebook, per_cell=6):
    """A clean survey table with ``per_cell`` respondents in every province x level x gender x
    tenure band: no attribution of the demo needs dropping."""
    role = codebook.role
    rows = [
        {role("province"): p, role("admin_level"): a, role("gender"): g, role("tenure"): lo}
        for p in codebook[role("province")].values
        for a in codebook[role("admin_level")].values
        for g in codebook[role("gender")].values
        for lo in EDGES[:-1]
        for _ in range(per_cell)
    ]
    return pd.DataFrame(rows)


def run(root, codebook, clean=None, section=None, min_cell=5):
    out = {k: root / "results/interviews" / f"{k}.out" for k in ("excerpts", "themes", "summary")}
    out["summary"] = out["summary"].with_suffix(".json")
    (root / "results/interviews").mkdir(parents=True, exist_ok=True)
    clean = survey_like(codebook) if clean is None else clean
    write_stage(section or SECTION, codebook, clean, min_cell, EDGES, root, out)
    return pd.read_csv(out["excerpts"]), pd.read_csv(out["themes"]), out


def edit_excerpts(root, change):
    path = root / SECTION["excerpts"][0]
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(doc["excerpts"])
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")


def test_demo_interviews_all_verify_and_publish_no_protected_name(project, codebook):
    table, themes, out = run(project, codebook)
    excerpts = [
        e
        for name in ("trich_doan.yaml", "ma_hoa_minh_hoa.yaml")
        for e in yaml.safe_load((DEMO / name).read_text(encoding="utf-8"))["excerpts"]
    ]
    register = list(csv.DictReader((DEMO / "danh_sach_phong_van.csv").open(encoding="utf-8")))
    assert list(table["id"]) == [e["id"] for e in excerpts]
    assert len(register) == 30 and table["doan"].min() >= 1
    assert (table["ky_tu_cuoi"] > table["ky_tu_dau"]).all()
    # every province of the register has 10 interviews; counts are interviews raising a theme
    summary = yaml.safe_load(out["summary"].read_text(encoding="utf-8"))
    assert sorted(summary["theo_tinh"].values()) == [10, 10, 10] and summary["so_trich_doan"] == len(excerpts)
    assert summary["minh_hoa"] is False  # not said unless the config says so
    pairs = {(e["transcript"], t) for e in excerpts for t in e["themes"]}
    assert themes["so_phong_van"].sum() == len(pairs)
    names = [
        n["name"] for n in yaml.safe_load((DEMO / "ten_bao_ve.yaml").read_text(encoding="utf-8"))["names"]
    ]
    written = "".join(p.read_text(encoding="utf-8") for p in out.values()).casefold()
    assert not [n for n in names if n.casefold() in written]
    # the transcripts do mention protected names: the check above is not vacuous
    texts = "".join(p.read_text(encoding="utf-8") for p in (DEMO / "ban_ghi").glob("*.txt")).casefold()
    assert sum(n.casefold() in texts for n in names) >= 5


def test_quote_absent_from_its_transcript_stops_the_run_naming_the_excerpt(project, codebook):
    def change(entries):
        entries[0]["quote"] = "Mạng ở cơ quan em chưa bao giờ bị chậm."
        # an elided quote whose first part is not verbatim: the message names that part
        entries[4]["quote"] = entries[4]["quote"].replace("hai ngày", "ba ngày").replace(", về", "… về")

    edit_excerpts(project, change)
    with pytest.raises(InterviewError) as err:
        run(project, codebook)
    text = str(err.value)
    assert "trích đoạn TD01 (phỏng vấn CV01): không có nguyên văn trong bản ghi" in text
    assert "trích đoạn TD05 (phỏng vấn CV03): phần đầu «Lớp tập huấn thường dồn vào ba ngày" in text
    assert "ban_ghi" not in text  # no path of a transcript


def test_elisions_and_brackets_each_part_in_order():
    text = normalise_lines(
        [
            "Hỏi: Máy móc thế nào?\n\n"
            "Đáp: Máy  cũ lắm, mở phần mềm  mất mấy phút. Em báo anh Hoàng Sơn rồi.\n"
            "Hỏi: Còn mạng?\nĐáp: Mạng chiều hay chập chờn."
        ]  # fmt: skip
    )
    found, _ = locate(
        text, "Máy cũ lắm… mất mấy phút. Em báo [trưởng bộ phận] rồi… Mạng chiều hay chập chờn."
    )
    assert found is not None and found.paragraph == 2 and text.text[found.start :].startswith("Máy cũ lắm")
    assert locate(text, "mở phần mềm [máy tính] mất mấy phút")[0] is not None  # clarification added
    assert locate(text, "mở phần mềm... mất mấy phút")[0] is not None  # three dots elide too
    # out of order, or a bracket standing for more than BRACKET_GAP characters: not found
    assert locate(text, "Mạng chiều hay chập chờn… Máy cũ lắm")[0] is None
    long = normalise_lines(["Em nói. " + "x " * BRACKET_GAP + "Hết."])
    assert locate(long, "Em nói. [lời khác] Hết.")[0] is None and locate(long, "Em nói… Hết.")[0] is not None
    assert locate(text, "Máy cũ lắm… [ ] …")[0] is not None and locate(text, "… […]")[0] is None


def name_in_quote(entries):
    entries[4].update(
        transcript="CV21", quote="Từ khi chị Ngọc Hân về phụ trách, việc ký số được áp dụng hẳn"
    )


def test_a_registered_name_in_a_quote_is_refused_without_printing_it(project, codebook):
    edit_excerpts(project, name_in_quote)
    with pytest.raises(InterviewError) as err:
        run(project, codebook)
    text = str(err.value)
    assert "trích đoạn TD05 (phỏng vấn CV21): câu trích có tên thứ 5 trong danh sách bảo vệ" in text
    assert "Ngọc Hân" not in text


def test_a_registered_name_is_replaced_by_its_role_when_configured(project, codebook):
    edit_excerpts(project, name_in_quote)
    table, _, out = run(project, codebook, section={**SECTION, "names": "replace"})
    quote = table.set_index("id").loc["TD05", "trich_dan"]
    assert quote == "Từ khi [cán bộ văn phòng] về phụ trách, việc ký số được áp dụng hẳn"
    assert all("Ngọc Hân" not in p.read_text(encoding="utf-8") for p in out.values())


def test_an_attribution_that_would_single_out_one_person_drops_attributes(project, codebook):
    role = codebook.role
    iv = next(csv.DictReader((DEMO / "danh_sach_phong_van.csv").open(encoding="utf-8")))  # CV01
    clean = survey_like(codebook)
    same = (
        (clean[role("province")] == iv["province"])
        & (clean[role("admin_level")] == iv["admin_level"])
        & (clean[role("gender")] == iv["gender"])
    )
    band = next(lo for lo, hi in zip(EDGES, EDGES[1:], strict=False) if lo <= int(iv["tenure"]) < hi)
    # one respondent shares all four attributes, three share the first three: both under 5
    clean = pd.concat([clean[~same], clean[same & (clean[role("tenure")] == band)].head(1),
                       clean[same & (clean[role("tenure")] != band)].head(2)])  # fmt: skip
    table, _, _ = run(project, codebook, clean=clean)
    row = table.set_index("id").loc["TD01"]
    province = codebook.display(role("province"), iv["province"])
    assert (
        row["ghi_danh"]
        == f"PVS, CV01, {province}, {codebook.display(role('admin_level'), iv['admin_level'])}"
    )
    tenure, gender = codebook[role("tenure")].short_label, codebook[role("gender")].short_label
    assert (
        row["ghi_chu"]
        == f"bỏ {tenure}, {gender} khỏi ghi danh: tổ hợp các đặc điểm có ít hơn 5 người trả lời khảo sát"
    )
    assert str(int(iv["tenure"])) not in row["ghi_danh"]  # years of service never exact
    register = pd.read_csv(DEMO / "danh_sach_phong_van.csv").set_index("id")
    alike = (
        register[["province", "admin_level", "gender"]]
        .eq(pd.Series(iv)[["province", "admin_level", "gender"]])
        .all(axis=1)
    )
    others = table[~table["phong_van"].map(alike)]  # interviewees of other combinations: untouched
    assert (
        len(others) > 15
        and others["ghi_chu"].isna().all()
        and others["ghi_danh"].str.contains("thâm niên").all()
    )


def test_a_transcript_outside_the_project_is_refused(project, codebook, tmp_path_factory):
    outside = tmp_path_factory.mktemp("ngoai") / "CV01.txt"
    shutil.copy(DEMO / "ban_ghi/CV01.txt", outside)
    (project / "resources/phong_van/ban_ghi/CV01.txt").unlink()
    reg = project / SECTION["register"]
    rows = list(csv.DictReader(reg.open(encoding="utf-8")))
    rows[0]["file"] = str(outside)
    with reg.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=[*rows[0]], lineterminator="\n")
        writer.writeheader()
        writer.writerows({**r, "file": r.get("file") or ""} for r in rows)
    with pytest.raises(InterviewError) as err:
        run(project, codebook)
    assert f"bản ghi phỏng vấn CV01: «{outside}» nằm ngoài thư mục dự án" in str(err.value)
    # a folder named in the config outside the project: refused before anything is read
    found = settings_problems({**SECTION, "transcripts": str(outside.parent)}, project)
    assert found == [
        f"config interviews.transcripts: «{outside.parent}» nằm ngoài thư mục dự án {project.resolve()}; "
        "chỉ đọc tệp trong dự án (chép tệp vào resources/phong_van/ rồi trỏ tới đó)"
    ]


def test_every_register_problem_is_listed_with_file_row_column_value(project, codebook):
    reg = project / SECTION["register"]
    lines = reg.read_text(encoding="utf-8").splitlines()
    fields = lines[2].split(",")
    fields[1], fields[4], fields[6] = "Hà Tiên", "bảy", "2023-13-01"
    lines[2] = ",".join(fields)
    lines[3] = lines[3].replace("CV03", "CV01", 1)
    reg.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InterviewError) as err:
        run(project, codebook)
    where = f"{SECTION['register']}, dòng 3"
    provinces = ", ".join(codebook[codebook.role("province")].values)
    assert err.value.problems[:4] == [
        f"{where}, cột province: giá trị «Hà Tiên» không có trong codebook (có: {provinces})",
        f"{where}, cột tenure: giá trị «bảy» phải là số năm công tác (số nguyên ≥ 0)",
        f"{where}, cột date: giá trị «2023-13-01» phải là ngày dạng YYYY-MM-DD",
        f"{SECTION['register']}, dòng 4, cột id: bí danh «CV01» đã có ở dòng 2",
    ]


# --- REFI-QDA ------------------------------------------------------------------------------

CODES = {"G-HT": "Hạ tầng, thiết bị", "G-KN": "Kỹ năng số", "G-DT": "Đào tạo"}


def qdpx_file(path, texts, segments, extra=""):
    """A .qdpx as a QDA program writes it: project.qde, the first source's text inline and the
    second under sources/; ``segments``: (source, sentence, codes) coded where the sentence is."""
    codes = "".join(f'<Code guid="{g}" name="{n}" isCodable="true"/>' for g, n in CODES.items())
    sources = []
    for i, (name, text) in enumerate(texts.items()):
        sels = "".join(
            f'<PlainTextSelection guid="S{i}{k}" startPosition="{text.index(s)}" '
            f'endPosition="{text.index(s) + len(s)}">'
            + "".join(f'<Coding guid="C{i}{k}{c}"><CodeRef targetGUID="{c}"/></Coding>' for c in cs)
            + "</PlainTextSelection>"
            for k, (src, s, cs) in enumerate(segments)
            if src == name
        )
        where = f"<PlainTextContent>{text}</PlainTextContent>" if i == 0 else ""
        attr = f' plainTextPath="internal://T{i}.txt"' if i else ""
        sources.append(f'<TextSource guid="T{i}" name="{name}.txt"{attr}>{where}{sels}</TextSource>')
    xml = (
        f'<?xml version="1.0" encoding="utf-8"?>{extra}<Project xmlns="urn:QDA-XML:project:1.0" name="thu">'
        f"<CodeBook><Codes>{codes}</Codes></CodeBook><Sources>{''.join(sources)}</Sources></Project>"
    )
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("project.qde", xml)
        for i, text in enumerate(texts.values()):
            if i:
                zf.writestr(f"sources/T{i}.txt", text)
    return path


def sentence(text, n):
    return [s for s in text.split("\n") if s.startswith("Đáp:")][n].removeprefix("Đáp: ").split(". ")[
        0
    ].rstrip(".") + "."


def five_segments(texts: dict[str, str]) -> list[tuple]:
    """Two transcripts, three codes, five coded segments: (source, sentence, QDA codes)."""
    return [
        ("CV01", sentence(texts["CV01"], 1), ["G-HT"]),
        ("CV01", sentence(texts["CV01"], 2), ["G-KN"]),
        ("CV01", sentence(texts["CV01"], 3), ["G-DT", "G-KN"]),
        ("CV02", sentence(texts["CV02"], 2), ["G-KN"]),
        ("CV02", sentence(texts["CV02"], 3), ["G-HT"]),
    ]


def test_qdpx_import_gives_the_same_excerpts_as_the_equivalent_yaml(project, codebook):
    texts = {t: (DEMO / f"ban_ghi/{t}.txt").read_text(encoding="utf-8") for t in ("CV01", "CV02")}
    segments = [
        *five_segments(texts),
        ("CV02", sentence(texts["CV02"], 4), []),  # selected, never coded: said, not imported
    ]
    qdpx = qdpx_file(project / "du_an.qdpx", texts, segments)
    folder = "resources/phong_van"
    got = import_qdpx(
        qdpx, f"{folder}/qdpx_trich.yaml", f"{folder}/qdpx_chu_de.yaml", f"{folder}/ban_ghi", project
    )
    assert got.skipped == ["nguồn CV02, đoạn chọn thứ 3 (ký tự " + got.skipped[0].split("(ký tự ")[1]]
    assert got.themes == {
        "ha_tang_thiet_bi": "Hạ tầng, thiết bị",
        "ky_nang_so": "Kỹ năng số",
        "dao_tao": "Đào tạo",
    }
    # the same coding, typed by hand
    codes = {"G-HT": "ha_tang_thiet_bi", "G-KN": "ky_nang_so", "G-DT": "dao_tao"}
    hand = [
        {"id": f"{t}-{n:02d}", "transcript": t, "quote": s, "themes": [codes[c] for c in cs], "supports": ""}
        for n, (t, s, cs) in enumerate(segments[:5], start=1)
    ]
    (project / folder / "tay_trich.yaml").write_text(
        yaml.safe_dump({"excerpts": hand}, allow_unicode=True), encoding="utf-8"
    )
    themes = [{"code": c, "title": CODES[g]} for g, c in codes.items()]
    (project / folder / "tay_chu_de.yaml").write_text(
        yaml.safe_dump({"themes": themes}, allow_unicode=True), encoding="utf-8"
    )
    imported = {**SECTION, "excerpts": [f"{folder}/qdpx_trich.yaml"], "themes": f"{folder}/qdpx_chu_de.yaml"}
    typed = {**SECTION, "excerpts": [f"{folder}/tay_trich.yaml"], "themes": f"{folder}/tay_chu_de.yaml"}
    _, _, out_a = run(project, codebook, section=imported)
    a = {k: p.read_bytes() for k, p in out_a.items()}
    _, _, out_b = run(project, codebook, section=typed)
    assert a == {k: p.read_bytes() for k, p in out_b.items()}
    assert len(pd.read_csv(out_b["excerpts"])) == 5
    loaded = load_excerpts(project / folder / "qdpx_trich.yaml", "x", {"CV01", "CV02"}, got.themes)
    assert [e.quote for e in loaded] == [s for _, s, _ in segments[:5]]
    # the author places a quote; importing the project again (more coding done) keeps it
    path = project / folder / "qdpx_trich.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("supports: ''", "supports: ket_luan", 1), encoding="utf-8"
    )
    import_qdpx(qdpx, f"{folder}/qdpx_trich.yaml", f"{folder}/qdpx_chu_de.yaml", f"{folder}/ban_ghi", project)
    again = load_excerpts(path, "x", {"CV01", "CV02"}, got.themes)
    assert [e.supports for e in again] == ["ket_luan", "", "", "", ""]


def test_qdpx_refuses_overwriting_a_transcript_and_untrusted_xml(project):
    texts = {"CV01": "Đáp: Mạng chậm lắm.\n", "CV02": "Đáp: Máy cũ.\n"}
    qdpx = qdpx_file(project / "a.qdpx", texts, [("CV01", "Mạng chậm lắm.", ["G-HT"])])
    folder = "resources/phong_van"
    with pytest.raises(InterviewError) as err:
        import_qdpx(qdpx, f"{folder}/x.yaml", f"{folder}/y.yaml", f"{folder}/ban_ghi", project)
    assert str(err.value).endswith(
        f"«{folder}/ban_ghi/CV02.txt» đã có với nội dung khác nguồn CV02 của dự án; không ghi đè"
    )
    assert not (project / folder / "x.yaml").exists()
    bomb = '<!DOCTYPE p [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
    with pytest.raises(InterviewError, match="không đọc được dự án REFI-QDA"):
        read_qdpx(qdpx_file(project / "b.qdpx", texts, [], extra=bomb))
    with pytest.raises(InterviewError, match="ngoài thư mục dự án"):
        import_qdpx(qdpx, "/tmp/ra_ngoai.yaml", f"{folder}/y.yaml", f"{folder}/ban_ghi", project)


def test_settings_defaults_and_unknown_attributes():
    cfg = Settings.from_config(SECTION)
    assert (
        cfg.names == "refuse" and cfg.attribution[-1] == "tenure_band" and cfg.drop_order[0] == "tenure_band"
    )
    found = settings_problems({**SECTION, "attribution": ["province", "age"]}, ROOT)
    assert found == [
        "config interviews.attribution: thuộc tính 'age' không có "
        "(có: province, admin_level, gender, tenure_band)"
    ]


def test_demo_files_are_what_the_committed_generator_writes(tmp_path):
    from chinhquyenso.interviews import demo

    for name in ("ngan_hang_cau_minh_hoa.yaml", "ten_bao_ve.yaml", "danh_sach_phong_van.csv"):
        shutil.copy(DEMO / name, tmp_path / name)
    assert demo.main([str(tmp_path)]) == 0
    written = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.suffix in (".txt", ".yaml"))
    assert len([p for p in written if p.suffix == ".txt"]) == 30
    for rel in written:
        assert (tmp_path / rel).read_bytes() == (DEMO / rel).read_bytes(), rel
    words = [len((DEMO / f"ban_ghi/CV{i:02d}.txt").read_text(encoding="utf-8").split()) for i in range(1, 31)]
    assert 200 <= min(words) and max(words) <= 360


def test_an_excerpt_id_in_two_files_is_refused(project, codebook):
    def change(entries):
        entries[0]["id"] = "MH-CV01-1"

    edit_excerpts(project, change)
    with pytest.raises(InterviewError) as err:
        run(project, codebook)
    assert err.value.problems == [
        f"trích đoạn MH-CV01-1: mã có ở hơn một tệp ({', '.join(SECTION['excerpts'])}); "
        "mỗi trích đoạn một mã riêng"
    ]


def test_a_word_transcript_reads_as_its_text(project, codebook):
    import docx

    txt = project / "resources/phong_van/ban_ghi/CV01.txt"
    before, _, _ = run(project, codebook)
    document = docx.Document()
    for paragraph in txt.read_text(encoding="utf-8").split("\n\n"):
        document.add_paragraph(paragraph.strip())
    document.save(txt.with_suffix(".docx"))
    text = txt.read_text(encoding="utf-8")
    txt.unlink()
    after, _, _ = run(project, codebook)
    pd.testing.assert_frame_equal(before, after)
    # two files for one interview: which one is meant is not guessed
    txt.write_text(text, encoding="utf-8")
    with pytest.raises(InterviewError, match="không có bản ghi của cuộc phỏng vấn CV01 \\(cần đúng một tệp"):
        run(project, codebook)


def test_config_schema_says_what_is_wrong_with_interviews():
    from chinhquyenso.config_check import schema_problems

    config = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
    assert config["interviews"]["illustrative"] is True  # the demo declares its interviews
    assert not schema_problems(config, ROOT / "workflow/schemas/config.schema.yaml")
    assert not schema_problems({**config, "interviews": None}, ROOT / "workflow/schemas/config.schema.yaml")
    config["interviews"] = {**SECTION, "names": "giấu", "attribution": ["province", "age"]}
    del config["interviews"]["themes"]
    found = schema_problems(config, ROOT / "workflow/schemas/config.schema.yaml")
    assert "config interviews: thiếu khóa 'themes'" in found
    assert "config interviews.names: phải là một trong 'refuse', 'replace', nhận 'giấu'" in found
    assert any(p.startswith("config interviews.attribution.1: phải là một trong") for p in found)


def test_years_of_service_outside_the_bands_are_not_printed(project, codebook):
    reg = project / SECTION["register"]
    rows = list(csv.DictReader(reg.open(encoding="utf-8")))
    rows[0]["tenure"] = "0"  # below the first band edge
    with reg.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=[*rows[0]], lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    table, _, _ = run(project, codebook)
    row = table.set_index("id").loc["TD01"]
    assert row["ghi_chu"] == f"thâm niên ngoài các khoảng {EDGES[0]}–{EDGES[-1] - 1} năm nên không ghi"
    assert "thâm niên" not in row["ghi_danh"] and row["ghi_danh"].startswith("PVS, CV01, ")


def test_a_transcript_symlinked_out_of_the_project_is_refused(project, codebook, tmp_path_factory):
    outside = tmp_path_factory.mktemp("ngoai") / "CV02.txt"
    inside = project / "resources/phong_van/ban_ghi/CV02.txt"
    shutil.move(inside, outside)
    inside.symlink_to(outside)
    with pytest.raises(InterviewError) as err:
        run(project, codebook)
    assert err.value.problems == [
        f"bản ghi phỏng vấn CV02: «{SECTION['transcripts']}/CV02.txt» (liên kết tới «{outside.resolve()}») "
        f"nằm ngoài thư mục dự án {project.resolve()}; chỉ đọc tệp trong dự án "
        "(chép tệp vào resources/phong_van/ rồi trỏ tới đó)"
    ]
