"""Brant's test against an independent computation in R (tests/r/brant.R: glm per cut, the
model-based covariance), with and without separation; the separation detector on its own."""

import re
import subprocess

import numpy as np
import pandas as pd
import pytest
from scipy import special

from chinhquyenso import models as M
from chinhquyenso.models.separation import binary_separation, ordinal_separation
from conftest import ROOT

BRANT_R = ROOT / "tests/r/brant.R"
SPEC = M.ModelSpec(
    [
        M.Covariate("gioi_tinh", "category", "Nam", label="Giới tính"),
        M.Covariate("cap_hanh_chinh", "category", "Phường/xã", label="Cấp hành chính"),
        M.Covariate("tham_nien", "linear", label="Thâm niên (năm)"),
        M.Covariate("tinh", "category", "TPHCM", label="Tỉnh"),
    ],
    ["gioi_tinh", "cap_hanh_chinh", "tham_nien"],
)
LEVELS = {
    "gioi_tinh": ["Nam", "Nữ"],
    "cap_hanh_chinh": ["Phường/xã", "Quận/huyện", "Tỉnh/thành phố"],
    "tinh": ["TPHCM", "Bình Dương", "Đồng Nai"],
}


def _r_brant(rscript, y, X: pd.DataFrame, w, tmp_path) -> pd.DataFrame:
    data = pd.concat([pd.DataFrame({"y": y, "w": w}), X.reset_index(drop=True)], axis=1)
    src, out = tmp_path / "vao.csv", tmp_path / "ra.csv"
    data.to_csv(src, index=False, float_format="%.17g")
    run = subprocess.run([rscript, str(BRANT_R), str(src), str(out)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-3000:]
    return pd.read_csv(out).set_index("so_hang")


def _same(ours: pd.DataFrame, theirs: pd.DataFrame) -> None:
    ours = ours.set_index("so_hang")
    assert list(ours.index) == list(theirs.index)
    tested = ours["canh_bao"] == ""
    assert (tested == theirs["kiem_dinh_duoc"].astype(bool)).all()
    for col in ("chi2", "p"):
        a, b = ours.loc[tested, col].astype(float), theirs.loc[tested, col].astype(float)
        assert np.allclose(a, b, rtol=1e-6, atol=1e-300), (col, a - b)
    assert (ours.loc[tested, "bac_tu_do"].astype(int) == theirs.loc[tested, "bac_tu_do"]).all()
    assert ours.loc[~tested, ["chi2", "p", "bac_tu_do"]].isna().all().all()


@pytest.mark.parametrize("act", ["hd06", "hd07"])
def test_brant_equals_r_on_demo_activities_without_separation(rscript, clean_demo, codebook, act, tmp_path):
    clean, _ = clean_demo
    acts = codebook.activities
    patterns = M.covariate_patterns(clean, SPEC, LEVELS)
    took = clean[acts.takes[act]].astype(bool).to_numpy()
    y = clean.loc[took, acts.level[act]].astype(int).to_numpy()
    Xc, yc, w = M.collapse(patterns.design.X, y, patterns.ids[took])
    ours = M.brant_test(yc, Xc, w)
    assert (ours["canh_bao"] == "").all()  # no separation in these two: everything tested
    _same(ours, _r_brant(rscript, yc, Xc, w, tmp_path))


def _separated_data(seed=7, n=600, below=False):
    """Proportional odds in x and two dummies, then everyone of group a above the lowest level
    (quasi-complete separation at the first cut only) or, ``below``, nobody of group a above
    the second level (at the two upper cuts: the decided rows have P(level > cut) = 0)."""
    rng = np.random.default_rng(seed)
    X = pd.DataFrame(
        {
            "x": np.round(rng.normal(size=n), 1),
            "a": (rng.random(n) < 0.2).astype(float),
            "b": (rng.random(n) < 0.4).astype(float),
        }
    )
    latent = X.to_numpy() @ [0.7, 0.5, -0.4] + rng.logistic(size=n)
    y = 1 + np.searchsorted([-1.5, 0.0, 1.2], latent)
    a = (X["a"] == 1).to_numpy()
    if below:
        y[a & (y > 2)] = 2
    else:
        y[a & (y == 1)] = 2
    return y, X


def test_brant_equals_r_with_a_separated_term(rscript, tmp_path):
    y, X = _separated_data()
    labels = {1: "Thấp", 2: "Vừa", 3: "Cao", 4: "Rất cao"}
    ours = M.brant_test(y, X, labels=labels, term_names={"a": "Nhóm «A»"})
    rows = ours.set_index("so_hang")
    assert rows.loc["a", "canh_bao"] == "không kiểm định được: tách biệt gần hoàn toàn ở ngưỡng «Thấp | Vừa»"
    overall = rows.loc["tổng thể", "canh_bao"]
    assert overall.startswith("không kiểm định được: hệ số của Nhóm «A» không hữu hạn")
    assert rows.loc[["x", "b"], "chi2"].notna().all()
    theirs = _r_brant(rscript, y, X, np.ones(len(y)), tmp_path)
    _same(ours, theirs)
    assert not theirs.loc["a", "kiem_dinh_duoc"]
    yb, Xb = _separated_data(below=True)
    below = M.brant_test(yb, Xb, labels=labels)
    assert below.set_index("so_hang").loc["a", "canh_bao"].endswith("ở ngưỡng «Vừa | Cao», «Cao | Rất cao»")
    _same(below, _r_brant(rscript, yb, Xb, np.ones(len(yb)), tmp_path))
    # collapsed rows with frequency weights: the same test
    pattern = pd.factorize(pd.MultiIndex.from_frame(X))[0]
    Xc, yc, w = M.collapse(X.drop_duplicates().reset_index(drop=True), y, pattern)
    pd.testing.assert_frame_equal(M.brant_test(yc, Xc, w, labels, {"a": "Nhóm «A»"}), ours, rtol=1e-8)


def test_separation_detector_flags_separated_designs_only():
    rng = np.random.default_rng(1)
    n = 200
    x, d = rng.normal(size=n), (rng.random(n) < 0.3).astype(float)
    X = np.column_stack([np.ones(n), x, d])
    y = (rng.random(n) < special.expit(0.3 + x + 0.5 * d)).astype(float)
    assert binary_separation(X, y) is None
    quasi = np.where(d == 1, 1.0, y)  # group d all ones: d's coefficient is infinite, x's not
    sep = binary_separation(X, quasi)
    assert sep is not None and not sep.complete
    assert sep.terms.tolist() == [False, False, True]
    assert sep.rows.tolist() == (d == 1).tolist()
    complete = (x > 0).astype(float)  # x separates completely
    sep = binary_separation(X, complete)
    assert sep is not None and sep.complete and sep.terms[1]
    ref = np.where(d == 0, 0.0, y)  # the reference group all zeros: intercept and d infinite
    sep = binary_separation(X, ref)
    assert sep.terms.tolist() == [True, False, True]
    # proportional odds: a group all at the top level
    y_ord = np.searchsorted([-1.0, 0.5], x + rng.logistic(size=n))
    assert ordinal_separation(np.column_stack([x, d]), y_ord) is None
    assert ordinal_separation(np.column_stack([x, d]), np.where(d == 1, 2, y_ord)).tolist() == [False, True]


def test_overlap_shortcut_agrees_with_the_linear_program(monkeypatch):
    """Patterns seen at both ends settle existence without the linear program; on discrete
    designs (where it applies) the answer is the program's, separated or not."""
    from chinhquyenso.models import separation

    def both_ways(fn, *args):
        fast = fn(*args)
        with monkeypatch.context() as m:
            m.setattr(separation, "_overlap", lambda *a: False)  # the linear program alone
            slow = fn(*args)
        return fast, slow

    rng = np.random.default_rng(7)
    shortcut = {"binary": 0, "ordinal": 0}
    for trial in range(60):
        n = int(rng.integers(30, 300))
        g = rng.integers(0, 3, n)  # a three-level factor and a small count
        t = rng.integers(0, 4, n).astype(float)
        X = np.column_stack([np.ones(n), g == 1, g == 2, t]).astype(float)
        y = (rng.random(n) < special.expit(-0.5 + 0.8 * (g == 1) + 0.3 * t)).astype(float)
        if trial % 3 == 0:  # a group all ones or all zeros: separated
            y = np.where(g == 2, float(trial % 2), y)
        fast, slow = both_ways(binary_separation, X, y)
        assert (fast is None) == (slow is None)
        if fast is not None:
            assert fast.terms.tolist() == slow.terms.tolist() and fast.rows.tolist() == slow.rows.tolist()
        shortcut["binary"] += separation._overlap(X, y.astype(int), 0, 1)
        levels = np.searchsorted([-0.5, 0.8], X[:, 1:] @ [0.6, -0.4, 0.3] + rng.logistic(size=n))
        if trial % 3 == 1:  # a group all at the top level
            levels = np.where(g == 1, 2, levels)
        if len(np.unique(levels)) == 3:
            fast, slow = both_ways(ordinal_separation, X[:, 1:], levels)
            assert (fast is None) == (slow is None)
            if fast is not None:
                assert fast.tolist() == slow.tolist()
            shortcut["ordinal"] += separation._overlap(X[:, 1:], levels, 0, 2)
    assert min(shortcut.values()) > 10  # the shortcut decided many of them


def test_demo_brant_table_marks_the_untestable_and_quotes_no_count(clean_demo, codebook):
    clean, _ = clean_demo
    table = M.brant_all(clean, codebook.activities, SPEC, LEVELS)
    untested = table[table["chi2"].isna()]
    assert untested["canh_bao"].str.startswith("không kiểm định được: ").all()
    assert not table["canh_bao"].str.contains("ô thưa").any()
    assert (table.loc[table["chi2"].notna(), "canh_bao"] == "").all()
    assert not untested["canh_bao"].map(lambda t: bool(re.search(r"\d", t))).any()  # no counts
    # overall: untested exactly when a term of the activity is
    by_act = table.groupby("hoat_dong")
    overall = table[table["so_hang"] == "tổng thể"].set_index("hoat_dong")["chi2"].isna()
    assert (overall == by_act["chi2"].apply(lambda c: c.isna().any())).all()
    assert table["chi2"].max() < 100  # no statistic of where an optimiser stopped
