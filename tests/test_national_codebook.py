"""Issue 25 (a): a national codebook for a regional survey. The codebook declares every
province (34 since 2025) while the survey reaches three: tables, disclosure, models, charts and
the report all run; only the provinces with respondents get a report; the report names the
declared provinces without respondents once."""

import re

import pytest
import yaml
from test_workflow import _copy_project, _edit_yaml, _pdf_text, _snakemake

from chinhquyenso.vn_format import slug

pytestmark = pytest.mark.integration

# Provinces of the 2025 map the demo survey does not reach (the demo's own three stay first).
OTHERS = [
    "Hà Nội", "Hải Phòng", "Huế", "Đà Nẵng", "Cần Thơ", "Cao Bằng", "Điện Biên", "Lai Châu",
    "Lạng Sơn", "Lào Cai", "Sơn La", "Thái Nguyên", "Tuyên Quang", "Phú Thọ", "Bắc Ninh",
    "Hưng Yên", "Ninh Bình", "Quảng Ninh", "Thanh Hóa", "Nghệ An", "Hà Tĩnh", "Quảng Trị",
    "Quảng Ngãi", "Gia Lai", "Đắk Lắk", "Khánh Hòa", "Lâm Đồng", "Tây Ninh", "Đồng Tháp",
    "Vĩnh Long", "Cà Mau",
]  # fmt: skip


@pytest.fixture(scope="module")
def national(tmp_path_factory):
    work = _copy_project(tmp_path_factory.mktemp("quoc_gia"))
    codebook = work / "resources/codebook.yaml"
    doc = yaml.safe_load(codebook.read_text(encoding="utf-8"))
    province = next(v for v in doc["variables"] if v["name"] == doc["roles"]["province"])
    surveyed = [c.get("label") or c["value"] for c in province["categories"]]
    province["categories"] += [{"value": p, "raw": [p, f"Tỉnh {p}"]} for p in OTHERS]
    codebook.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    _edit_yaml(work / "config.yaml", lambda c: c["report"].update(date="2026-11-30"))
    run = _snakemake(work)
    assert run.returncode == 0, run.stderr[-4000:]
    return work, surveyed, [c["value"] for c in province["categories"][: len(surveyed)]]


def _without_codebook_appendix(text: str) -> str:
    """A report's text without its codebook appendix (which lists every declared value)."""
    heads = list(re.finditer(r"Phụ lục ([A-Z])\. Bảng mã biến \(codebook\) (?!\.)", text))  # not the TOC
    after = text.find(f"Phụ lục {chr(ord(heads[0].group(1)) + 1)}.", heads[-1].end())
    return text[: heads[0].start()] + (text[after:] if after >= 0 else "")


def test_the_whole_report_is_made(national):
    work, surveyed, _values = national
    for name in ("bao_cao.pdf", "bao_cao.docx", "bang_bieu.xlsx"):
        assert (work / "results/report" / name).stat().st_size > 0, name
    assert (work / "results/models/theo_hoat_dong.csv").exists()
    text = _pdf_text(work / "results/report/bao_cao.pdf")
    assert f"thuộc {len(surveyed)} tỉnh, thành phố" in text
    for name in surveyed:
        assert name in text, name


def test_only_provinces_with_respondents_get_a_report(national):
    work, _surveyed, values = national
    made = sorted(p.name for p in (work / "results/report").glob("bao_cao_tinh_*.pdf"))
    assert made == sorted(f"bao_cao_tinh_{slug(v)}.pdf" for v in values)
    folders = sorted(p.name for p in (work / "results/tables/tinh").iterdir() if p.is_dir())
    assert folders == sorted(slug(v) for v in values)


def test_declared_provinces_without_respondents_are_named_once(national):
    """Named in the sample paragraph and nowhere else (the models' note counts them); the
    codebook appendix, which lists what the codebook declares, is not a statement about them."""
    work, _surveyed, _values = national
    body = _without_codebook_appendix(_pdf_text(work / "results/report/bao_cao.pdf"))
    start = body.index("không có người trả lời nào thuộc")
    sentence = body[start : body.index(".", start)]
    for name in OTHERS:
        assert name in sentence, name
        assert body.count(name) == 1, (name, body.count(name))
    province_report = _without_codebook_appendix(
        _pdf_text(next((work / "results/report").glob("bao_cao_tinh_*.pdf")))
    )
    assert not any(name in province_report for name in OTHERS)
