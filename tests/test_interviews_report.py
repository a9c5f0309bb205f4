"""In-depth interviews in the report: the section, the quotes where they belong, the appendix,
province reports, the Word file; and what is left out when no interviews are declared."""

import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

from chinhquyenso import report
from chinhquyenso.interviews.protect import Protector
from chinhquyenso.interviews.register import InterviewError, load_protected
from chinhquyenso.interviews.stage import write_stage
from chinhquyenso.report.docx_report import docx_from_report
from chinhquyenso.report.html_blocks import read_blocks
from chinhquyenso.report.interviews_context import interviews_context
from chinhquyenso.report.sections import load_sections, quotable_ids

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "workflow/templates"
SECTION = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))["interviews"]
EDGES = [1, 4, 8, 12, 17]


def stage(root: Path, codebook, clean, section=SECTION) -> dict:
    """check_interviews on a copy of the demo's interviews under ``root``: its three outputs."""
    out = {
        "excerpts": root / "results/interviews/trich_doan_kiem_chung.csv",
        "themes": root / "results/interviews/chu_de_theo_tinh.csv",
        "summary": root / "results/interviews/tom_tat.json",
    }
    out["excerpts"].parent.mkdir(parents=True, exist_ok=True)
    sections = quotable_ids(load_sections(TEMPLATES / "sections.yaml"))
    write_stage(section, codebook, clean, 5, EDGES, root, out, sections)
    return out


def context_of(out: dict, codebook, province=None) -> dict:
    """What inputs._interviews gives the templates."""
    return interviews_context(
        excerpts=pd.read_csv(out["excerpts"], dtype=str, keep_default_na=False),
        themes=pd.read_csv(out["themes"], dtype={"so_phong_van": int}, keep_default_na=False),
        summary=json.loads(out["summary"].read_text(encoding="utf-8")),
        names=codebook.value_labels(codebook.role("province")),
        province=province,
    )


def with_interviews(context: dict, interviews: dict) -> dict:
    return {**context, "phong_van": interviews, "co": {**context["co"], "interviews": True}}


def part(html: str, anchor: str) -> str:
    """The HTML of the section with id ``anchor``, up to the next heading."""
    start = html.index(f'id="{anchor}"')
    following = re.compile(r"<h[23] ").search(html, start)
    return html[start : following.start() if following else len(html)]


def listed(html: str, excerpt: str) -> bool:
    """Whether the appendix lists ``excerpt`` (alone in its cell, or with the other ids of the
    same passage: "TD01, MH-CV01-1")."""
    cells = (re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td[^>]*>(.*?)</td>", html))
    return any(excerpt in c.split(", ") for c in cells)


@pytest.fixture(scope="module")
def demo(tmp_path_factory, codebook, clean_demo):
    root = tmp_path_factory.mktemp("iv")
    shutil.copytree(ROOT / "resources/phong_van", root / "resources/phong_van")
    return root, stage(root, codebook, clean_demo[0])


@pytest.fixture(scope="module")
def rendered(demo, report_context, codebook):
    _, out = demo
    return report.render_html(with_interviews(report_context, context_of(out, codebook)), TEMPLATES)


def test_quotes_stand_in_the_sections_they_support_and_the_appendix_lists_every_excerpt(
    demo, rendered, codebook
):
    _, out = demo
    table = pd.read_csv(out["excerpts"], dtype=str, keep_default_na=False)
    quoted = table[table["phan_bao_cao"] != ""]
    cap = SECTION["conclusion_quotes"]
    assert len(quoted) > 0 and rendered.count('<blockquote class="quote"') == len(quoted)
    assert rendered.count('class="quote-lead"') == len(context_of(out, codebook)["trich"])
    final = part(rendered, "ket_luan")
    assert final.count('<blockquote class="quote"') == cap < (quoted["phan_bao_cao"] == "ket_luan").sum()
    for r in quoted.itertuples():
        # the conclusion's quotes past the cap stand in the interviews section
        assert f'id="trich-{r.id}"' in part(rendered, r.phan_bao_cao) + part(rendered, "phong_van"), r.id
        assert f"({r.ghi_danh})" in rendered
    appendix = part(rendered, "trich_doan_phong_van")
    assert all(listed(appendix, i) for i in table["id"])  # every excerpt, quoted or only coded
    passages = table.groupby(["phong_van", "doan", "ky_tu_dau", "ky_tu_cuoi"])["ghi_chu"]
    assert appendix.count(">rút gọn</td>") == (passages.max() != "").sum() > 0  # attributes dropped
    body = part(rendered, "phong_van")
    assert "Bảng" in body and "không phải số người trả lời khảo sát" in body and "(ẩn)" not in body
    assert "Bên cạnh bảng hỏi, nghiên cứu thực hiện 30 cuộc phỏng vấn sâu" in part(rendered, "du_lieu")
    assert "minh họa" in rendered[: rendered.index('<nav class="toc"')]  # on the cover


def test_the_report_prints_no_file_path_and_no_protected_name(demo, rendered):
    root, _ = demo
    names = load_protected(root / SECTION["protected"], "ten_bao_ve.yaml")
    assert names and not Protector(names).found(rendered)
    assert not re.search(r"ban_ghi|\.txt|\.docx|resources/|phong_van/", rendered)


def test_theme_table_counts_interviews_by_province_with_the_codebooks_labels(demo, rendered, codebook):
    _, out = demo
    themes = pd.read_csv(out["themes"])
    blocks = [b for b in read_blocks(rendered) if b.kind == "table" and b.table.id == "chu_de_theo_tinh"]
    (table,) = [b.table for b in blocks]
    labels = codebook.value_labels(codebook.role("province"))
    provinces = list(dict.fromkeys(themes["tinh"]))
    assert [c.text for c in table.head[0]][1:] == [labels.get(p, p) for p in provinces] + ["Chung"]
    first = themes[themes["chu_de"] == themes["chu_de"].iloc[0]]
    row = [c.text for c in table.body[0]]
    assert row == [
        first["tieu_de"].iloc[0],
        *map(str, first["so_phong_van"]),
        str(first["so_phong_van"].sum()),
    ]


def test_the_text_names_the_themes_raised_most_and_least(demo, codebook):
    _, out = demo
    themes = pd.read_csv(out["themes"])
    totals = themes.groupby("tieu_de", sort=False)["so_phong_van"].sum()
    said = context_of(out, codebook)["bang"]["cau"]
    held = json.loads(out["summary"].read_text(encoding="utf-8"))["so_phong_van"]
    most, least = said.split("; ít nhất là ")
    for title, n in totals.items():
        assert (f"«{title}»" in most) == (n == totals.max()), title
        assert (f"«{title}»" in least) == (n == totals.min()), title
    assert f"{totals.max()} trong {held} cuộc" in most and f"{totals.min()} trong {held} cuộc" in least


def test_a_province_report_carries_only_its_own_interviews(demo, report_context, codebook):
    _, out = demo
    table = pd.read_csv(out["excerpts"], dtype=str, keep_default_na=False)
    province = table["tinh"].iloc[-1]
    html = report.render_html(
        with_interviews(report_context, context_of(out, codebook, province=province)), TEMPLATES
    )
    mine, others = table[table["tinh"] == province], table[table["tinh"] != province]
    assert len(mine) and all(listed(html, i) for i in mine["id"])
    assert not any(f'id="trich-{i}"' in html or listed(html, i) for i in others["id"])
    (theme_table,) = [
        b.table for b in read_blocks(html) if b.kind == "table" and b.table.id == "chu_de_theo_tinh"
    ]
    label = codebook.display(codebook.role("province"), province)
    assert [c.text for c in theme_table.head[0]] == ["Chủ đề", label]
    assert f"chỉ trích ý kiến của 10 người được phỏng vấn tại {label}" in html


def test_a_province_where_no_interview_was_held_has_no_interview_section(demo, codebook, tmp_path):
    _, out = demo
    summary = json.loads(out["summary"].read_text(encoding="utf-8"))
    held = [p for p, n in summary["theo_tinh"].items() if n]
    summary["theo_tinh"][held[0]] = 0  # as if none of its interviews had been declared
    changed = {**out, "summary": tmp_path / "tom_tat.json"}
    changed["summary"].write_text(json.dumps(summary, ensure_ascii=False), encoding="utf-8")
    assert context_of(changed, codebook, province=held[0]) is None
    assert context_of(changed, codebook, province=held[1])["bang"]["tinh"]


def test_word_file_has_the_block_quotes_indented_in_italics(demo, rendered, codebook, tmp_path):
    from docx import Document

    _, out = demo
    html = tmp_path / "bao_cao.html"
    html.write_text(rendered, encoding="utf-8")
    docx_from_report(html, tmp_path / "bao_cao.docx", {})
    paragraphs = Document(tmp_path / "bao_cao.docx").paragraphs
    starts = {q["cau"][0]["trich_dan"] for q in context_of(out, codebook).get("trich").values()}
    leads = [p for p, after in zip(paragraphs, paragraphs[1:], strict=False) if after.text in starts]
    assert len(leads) == len(starts) and all(p.text.endswith(":") for p in leads)
    assert all(p.paragraph_format.keep_with_next for p in leads)  # never alone at a page end
    assert len({" ".join(p.text.split()[:3]) for p in leads}) == len(leads)  # no two open alike
    quoted = pd.read_csv(out["excerpts"], dtype=str, keep_default_na=False).query("phan_bao_cao != ''")
    for r in quoted.itertuples():
        (i,) = [k for k, p in enumerate(paragraphs) if p.text == r.trich_dan]
        quote, by = paragraphs[i], paragraphs[i + 1]
        assert all(run.italic for run in quote.runs) and quote.paragraph_format.left_indent > 0
        assert by.text == f"({r.ghi_danh})" and by.alignment == 2  # WD_ALIGN_PARAGRAPH.RIGHT


def test_a_quote_whose_section_this_report_lacks_is_only_in_the_appendix(demo, report_context, codebook):
    _, out = demo
    iv = context_of(out, codebook)
    moved = iv["trich"].pop(next(iter(iv["trich"])))
    iv["trich"]["so_sanh"] = moved  # the waves' section: absent from a report of one wave
    for r in iv["phu_luc"]:
        r["phan"] = "so_sanh" if any(q["id"] in r["id"].split(", ") for q in moved["cau"]) else r["phan"]
    html = report.render_html(with_interviews(report_context, iv), TEMPLATES)
    assert 'id="so_sanh"' not in html
    assert not any(f'id="trich-{q["id"]}"' in html for q in moved["cau"])
    assert html.count("không có trong báo cáo này") == len(moved["cau"])


def test_no_interviews_declared_leaves_their_sections_out(report_html):
    assert 'id="phong_van"' not in report_html and 'id="trich_doan_phong_van"' not in report_html
    assert "<blockquote" not in report_html and "phỏng vấn sâu" not in report_html


def test_a_quote_placed_in_an_unknown_section_is_refused_listing_the_sections(tmp_path, codebook, clean_demo):
    shutil.copytree(ROOT / "resources/phong_van", tmp_path / "resources/phong_van")
    path = tmp_path / SECTION["excerpts"][0]
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc["excerpts"][0]["supports"] = "ket_qua_khac"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with pytest.raises(InterviewError) as err:
        stage(tmp_path, codebook, clean_demo[0])
    (problem,) = err.value.problems
    first = doc["excerpts"][0]["id"]
    assert problem.startswith(
        f"{SECTION['excerpts'][0]}, trích đoạn {first}, khóa supports: phần báo cáo «ket_qua_khac»"
    )
    assert "ket_luan" in problem and "phong_van" in problem and "nhat_ky" not in problem  # no appendix


def test_the_section_from_a_qdpx_import_is_the_one_from_the_typed_yaml(
    tmp_path, codebook, clean_demo, report_context
):
    """Two transcripts, three codes, five coded segments: imported from a REFI-QDA project, or
    typed by hand; the author places the same quote in the conclusions of each."""
    from test_interviews import CODES, five_segments, qdpx_file

    from chinhquyenso.interviews.qdpx import import_qdpx

    shutil.copytree(ROOT / "resources/phong_van", tmp_path / "resources/phong_van")
    folder = "resources/phong_van"
    texts = {
        t: (tmp_path / folder / f"ban_ghi/{t}.txt").read_text(encoding="utf-8") for t in ("CV01", "CV02")
    }
    segments = five_segments(texts)
    got = import_qdpx(
        qdpx_file(tmp_path / "du_an.qdpx", texts, segments),
        f"{folder}/qdpx_trich.yaml",
        f"{folder}/qdpx_chu_de.yaml",
        f"{folder}/ban_ghi",
        tmp_path,
    )
    codes = dict(zip(CODES, got.themes, strict=True))  # QDA code -> theme code, in order
    hand = [
        {"id": f"{t}-{n:02d}", "transcript": t, "quote": s, "themes": [codes[c] for c in cs], "supports": ""}
        for n, (t, s, cs) in enumerate(segments, start=1)
    ]
    hand[0]["supports"] = "ket_luan"
    files = {
        "tay_trich.yaml": {"excerpts": hand},
        "tay_chu_de.yaml": {"themes": [{"code": c, "title": t} for c, t in got.themes.items()]},
    }
    for name, doc in files.items():
        (tmp_path / folder / name).write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    path = tmp_path / folder / "qdpx_trich.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("supports: ''", "supports: ket_luan", 1), encoding="utf-8"
    )
    html = []
    for excerpts, themes in (("qdpx_trich.yaml", "qdpx_chu_de.yaml"), ("tay_trich.yaml", "tay_chu_de.yaml")):
        section = {**SECTION, "excerpts": [f"{folder}/{excerpts}"], "themes": f"{folder}/{themes}"}
        out = stage(tmp_path, codebook, clean_demo[0], section)
        html.append(report.render_html(with_interviews(report_context, context_of(out, codebook)), TEMPLATES))
    assert html[0] == html[1]
    assert part(html[0], "ket_luan").count("<blockquote") == 1 and segments[0][1] in part(html[0], "ket_luan")
    assert (
        sum(
            listed(part(html[0], "trich_doan_phong_van"), f"{t}-{n:02d}")
            for n, (t, _, _) in enumerate(segments, 1)
        )
        == 5
    )


def iv_titles(out: dict, codes: str) -> list[str]:
    themes = pd.read_csv(out["themes"], dtype=str, keep_default_na=False)
    titles = dict(zip(themes["chu_de"], themes["tieu_de"], strict=False))
    return [titles[c] for c in codes.split(";") if c]


def test_a_passage_coded_twice_is_one_row_of_the_appendix(demo, codebook):
    _, out = demo
    table = pd.read_csv(out["excerpts"], dtype=str, keep_default_na=False)
    where = ["phong_van", "doan", "ky_tu_dau", "ky_tu_cuoi"]
    twice = table[table.duplicated(where, keep=False)]
    assert len(twice) > 0  # the demo quotes passages its full coding also holds
    iv = context_of(out, codebook)
    rows, printed = iv["phu_luc"], {q["id"]: p for p, t in iv["trich"].items() for q in t["cau"]}
    assert len(rows) == len(table.drop_duplicates(where))
    for _, same in twice.groupby(where):
        (row,) = [r for r in rows if set(r["id"].split(", ")) == set(same["id"])]
        assert row["phan"] == next((printed[i] for i in same["id"] if i in printed), "")
        assert set(row["chu_de"].split("; ")) == {
            t for codes in same["chu_de"] for t in iv_titles(out, codes)
        }


def test_the_conclusion_quotes_a_theme_once_before_any_twice(demo, codebook):
    _, out = demo
    iv = context_of(out, codebook)
    cap, kept = SECTION["conclusion_quotes"], iv["trich"]["ket_luan"]["cau"]
    table = pd.read_csv(out["excerpts"], dtype=str, keep_default_na=False)
    declared = table[table["phan_bao_cao"] == "ket_luan"]
    themes = {t for codes in declared["chu_de"] for t in codes.split(";")}
    assert len(kept) == cap and len({q["chu_de"] for q in kept}) == min(cap, len(themes))
    moved = set(declared["id"]) - {q["id"] for q in kept}
    assert moved == {q["id"] for q in iv["trich"]["phong_van"]["cau"]} & set(declared["id"])


def test_no_sentence_is_quoted_from_two_interviewees():
    """The demo's quotes: the same words under two pseudonyms would read as copied."""
    quotes = yaml.safe_load((ROOT / "resources/phong_van/trich_doan.yaml").read_text(encoding="utf-8"))
    said: dict[str, set[str]] = {}
    for e in quotes["excerpts"]:
        for piece in re.split(r"…|\.\.\.|(?<=[.?!])\s+", re.sub(r"\[[^\]]*\]", "", e["quote"])):
            said.setdefault(piece.strip(" .,"), set()).add(e["transcript"])
    assert not {s: who for s, who in said.items() if len(who) > 1 and s}
