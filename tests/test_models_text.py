"""The sentences about the models follow from the models (issue: statistics and prose a reviewer
would sign): effects on the probability scale, direction and size only when significant, a
conclusion that leaves no significant term out, and every quoted number in the effects table."""

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from markupsafe import Markup

from chinhquyenso.models.effects import EFFECT_COLUMNS, effects, held_tenure, size_word
from chinhquyenso.report.models_effects import effect_groups
from chinhquyenso.report.models_text import conclusion, outcomes, ratio, result_sentences

ROOT = Path(__file__).resolve().parent.parent
FOCAL = ["gioi_tinh", "cap_hanh_chinh", "tham_nien"]
LABELS = {"gioi_tinh": "Giới tính", "cap_hanh_chinh": "Cấp hành chính", "tham_nien": "Thâm niên"}


@pytest.fixture(scope="module")
def demo_effects(clean_demo):
    from test_models import LEVELS, SPEC, _activities

    from chinhquyenso import models as M

    clean = clean_demo[0]
    result = M.run_all(clean, SPEC, LEVELS, _activities())
    table = effects(result["pooled"], result["predictions"], clean, FOCAL, "tham_nien", 0.05, [2, 5, 10])
    return table, result, clean


@pytest.mark.parametrize(("points", "word"), [(0.5, "rất nhỏ"), (-2.0, "nhỏ"), (7.9, "vừa"), (-10, "lớn")])
def test_size_words_from_percentage_points(points, word):
    assert size_word(points, [2, 5, 10]) == word


def test_a_slope_is_read_from_the_lowest_to_the_highest_value(demo_effects):
    table, result, clean = demo_effects
    pred = result["predictions"]
    tenure = table[(table["bien"] == "tham_nien") & (table["mo_hinh"] == "gop_logit_tham_gia")].iloc[0]
    assert (tenure["tu"], tenure["den"]) == (clean["tham_nien"].min(), clean["tham_nien"].max())
    at = pred[(pred["ket_qua"] == "ty_le_tham_gia") & (pred["gioi_tinh"] == "Nam")]
    at = at[at["cap_hanh_chinh"] == "Phường/xã"].set_index("tham_nien")["du_doan"]
    assert tenure["ty_le_tu"] == at[tenure["tu"]] and tenure["ty_le_den"] == at[tenure["den"]]
    assert tenure["chenh_diem"] == pytest.approx(100 * (at[tenure["den"]] - at[tenure["tu"]]))
    # tenure's OR per year is modest; across the sample's range the change is large
    assert tenure["or_"] < 1.25 and tenure["do_lon"] == "lớn" and tenure["co_y_nghia"]


def test_groups_are_compared_at_the_median_tenure(demo_effects):
    table, result, clean = demo_effects
    held = held_tenure(clean, "tham_nien", result["predictions"]["tham_nien"])
    assert held == int(np.floor(clean["tham_nien"].median() + 0.5))
    women = table[(table["nhan"] == "Nữ") & (table["mo_hinh"] == "gop_logit_tham_gia")].iloc[0]
    assert women["giu_co_dinh"] == str(held) and women["tham_chieu"] == "Nam"


def _row(**values):
    base = dict.fromkeys(EFFECT_COLUMNS, np.nan) | {"mo_hinh": "gop_logit_tham_gia", "giu_co_dinh": ""}
    return base | values


def _table(rows):
    return pd.DataFrame(rows, columns=EFFECT_COLUMNS)


def _plain(sentences) -> str:
    return " ".join(Markup(s).striptags() for s in sentences)


def test_no_direction_for_an_effect_whose_interval_contains_one():
    rows = _table(
        [
            _row(
                bien="gioi_tinh",
                so_hang="gioi_tinh=Nữ",
                nhan="Nữ",
                tham_chieu="Nam",
                or_=1.05,
                ci_thap=0.8,
                ci_cao=1.3,
                p=0.6,
                co_y_nghia=False,
                do_lon="nhỏ",
            ),
        ]
    )
    text = _plain(
        result_sentences(rows, "gop_logit_tham_gia", outcomes("Cao")["gop_logit_tham_gia"], LABELS, "5", "95")
    )
    assert "cao hơn" not in text and "thấp hơn" not in text
    assert text.startswith("Không có khác biệt có ý nghĩa thống kê ở mức 5%") and "OR = 1,05" in text


def test_a_significant_ratio_that_rounds_to_one_keeps_its_digits():
    assert ratio(1.004) == "1,004" and ratio(1.0) == "1,00" and ratio(0.9996) == "1,00"
    rows = _table(
        [
            _row(
                bien="tham_nien",
                so_hang="tham_nien",
                nhan="mỗi tháng",
                tham_chieu=np.nan,
                or_=1.004,
                ci_thap=1.001,
                ci_cao=1.007,
                p=0.01,
                co_y_nghia=True,
                do_lon="rất nhỏ",
            ),
        ]
    )
    text = _plain(
        result_sentences(rows, "gop_logit_tham_gia", outcomes("Cao")["gop_logit_tham_gia"], LABELS, "5", "95")
    )
    assert "OR = 1,004" in text and "mức chênh rất nhỏ" in text


def test_the_conclusion_names_every_significant_term_largest_first(demo_effects):
    table, *_ = demo_effects
    outs = outcomes("Cao/Rất cao")
    said = conclusion(table, outs, LABELS, {}, FOCAL)
    text = Markup(said["phat_hien"]).striptags()
    significant = table[table["co_y_nghia"]]
    for _, r in significant.iterrows():
        assert (r["nhan"] in text) or ("thâm niên càng cao" in text and r["bien"] == "tham_nien")
    assert text.index("thâm niên") < text.index("Tỉnh/thành phố")  # +29 and +39 points before +13
    quiet = set(FOCAL) - set(significant["bien"])
    assert all(LABELS[v].lower() in said["khong"] for v in quiet)


def test_the_conclusion_says_taking_part_first_and_a_shared_reach_once(demo_effects):
    table, *_ = demo_effects
    outs = outcomes("Cao/Rất cao")
    sig = table[table["co_y_nghia"].astype(bool)]
    both = sig.groupby("so_hang")["mo_hinh"].nunique()
    term = both[both == 2].index[0]  # significant for taking part and for the level
    reach = Markup("rõ ở mọi hoạt động")
    where = {(m, term): reach for m in outs}
    text = Markup(conclusion(table, outs, LABELS, where, FOCAL)["phat_hien"]).striptags()
    clause = next(c for c in text.split("; ") if outs["gop_logit_tham_gia"].subject in c)
    assert clause.index(outs["gop_logit_tham_gia"].subject) < clause.index(outs["gop_thu_bac_muc_do"].subject)
    assert clause.count(str(reach)) == 1 and "cả hai đều " + str(reach) in clause
    for out in outs.values():  # each share is named in full once, then "tỷ lệ tương ứng"
        assert text.count(out.short) <= 1


def test_every_number_the_sentences_quote_is_in_the_effects_table(demo_effects):
    table, *_ = demo_effects
    outs = outcomes("Cao/Rất cao")
    html = "".join(
        str(s)
        for m in ("gop_logit_tham_gia", "gop_thu_bac_muc_do")
        for s in result_sentences(table, m, outs[m], LABELS, "5", "95")
    ) + str(conclusion(table, outs, LABELS, {}, FOCAL)["phat_hien"])
    quoted = re.findall(r'<span class="so" data-bang="do_lon_hieu_ung">([^<]+)</span>', html)
    assert quoted
    cells = {
        v
        for g in effect_groups(table, LABELS, "Cao/Rất cao")
        for r in g["dong"]
        for key in ("or_", "ktc", "p", "tu", "den", "chenh")
        for v in re.split(r"–", r[key].replace("\u2212", "-"))
    }
    for number in quoted:
        assert number.replace("\u2212", "-").replace("&lt; ", "< ") in cells, number


def test_covariate_names_read_lower_case_mid_sentence_abbreviations_kept(codebook):
    from chinhquyenso.report.vn_text import first_lower

    cfg = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))["models"]
    labels = {v.name: v.short_label or v.label for v in codebook.variables}
    for name in cfg["covariates"]:
        label = labels[name]
        assert first_lower(label) == label[0].lower() + label[1:] != label, label
    for kept in ("TP. Cần Thơ mới", "DTI cấp tỉnh", "đã viết thường"):  # a name, an abbreviation
        assert first_lower(kept) == kept
