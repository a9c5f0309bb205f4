import datetime as dt
import re

import pytest

from chinhquyenso import report, reproduction, tables
from conftest import ROOT


@pytest.fixture(scope="module")
def context(clean_demo, codebook, published, tmp_path_factory):
    import yaml

    clean, log = clean_demo
    computed = tables.compute_all(clean, codebook)
    comparison = reproduction.compare(published, computed).astype(str)
    svg = tmp_path_factory.mktemp("fig") / "b1.svg"
    svg.write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", encoding="utf-8")
    config = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
    return report.build_context(
        config=config,
        computed=computed,
        comparison=comparison,
        cleaning_log=log,
        figures={"bieu_do_1": svg},
        today=dt.date(2026, 11, 22),
    )


@pytest.fixture(scope="module")
def html(context):
    return report.render_html(context, ROOT / "workflow/templates")


def test_captions_are_numbered_in_order(html):
    captions = re.findall(r"<figcaption>((?:Bảng|Biểu đồ) \d+)\.", html)
    assert captions == ["Bảng 1", "Bảng 2", "Biểu đồ 1", "Bảng 3", "Bảng 4", "Bảng 5"]


def test_numbers_are_vietnamese(html):
    assert "179 nữ (49,7%)" in html
    assert "181 nam (50,3%)" in html
    assert "phường/xã 53,6%" in html
    assert "ngày 22 tháng 11 năm 2026" in html
    assert not re.search(r"\d\.\d%", html)  # no decimal point before a per-cent sign


def test_every_table_and_figure_has_a_source_note(html):
    assert html.count("<figcaption>") == html.count('<p class="source">Nguồn:')


def test_demo_notice_on_cover(html):
    assert "Dữ liệu minh họa." in html


def test_data_is_escaped(context):
    hostile = dict(context, meta=dict(context["meta"], tieu_de="<script>alert(1)</script>"))
    out = report.render_html(hostile, ROOT / "workflow/templates")
    assert "<script>" not in out and "&lt;script&gt;" in out


def test_fetcher_refuses_remote_and_outside_files(tmp_path):
    from weasyprint.urls import FatalURLFetchingError

    fetcher = report._fetcher([tmp_path])
    inside = tmp_path / "a.txt"
    inside.write_text("ok", encoding="utf-8")
    assert fetcher.fetch(inside.as_uri()) is not None
    with pytest.raises(FatalURLFetchingError):
        fetcher.fetch("http://example.org/x.png")
    with pytest.raises(FatalURLFetchingError):
        fetcher.fetch("file:///etc/passwd")
