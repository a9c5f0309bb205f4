"""Design-based estimates computed by hand on tiny designs, the design's checks (in Vietnamese,
every problem listed), weighting to totals and its errors, and the collapsed model fits."""

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from scipy.special import expit, logit
from test_design_reference import ROLES as REFERENCE_ROLES
from test_design_reference import design_data

from chinhquyenso.design import DesignError, design_from_frame, simple_design
from chinhquyenso.design.estimates import domain_means, svymean
from chinhquyenso.design.models import patterns_of, svy_logit
from chinhquyenso.design.weighting import Totals, poststratify, rake, read_totals

ROLES = {"weight": "w", "strata": "tang", "psu": "cum"}
# Two strata of two PSUs; PSU 1 has two respondents.
TINY = pd.DataFrame(
    {
        "tang": ["A", "A", "A", "B", "B"],
        "cum": [1, 1, 2, 3, 4],
        "w": [1.0, 1.0, 2.0, 1.0, 3.0],
        "y": [1.0, 0.0, 1.0, 0.0, 1.0],
    }
)


def test_share_by_hand():
    design = design_from_frame(TINY, ROLES)
    got = svymean(TINY["y"], design)
    # p = 6/8; PSU totals of w(y − p)/Σw: A: −1/16, +1/16; B: −3/32, +3/32; each stratum: 2/(2 − 1) Σ d²
    var = 2 * 2 * (1 / 16) ** 2 + 2 * 2 * (3 / 32) ** 2
    assert got["estimate"] == 0.75 and got["n"] == 5 and got["weighted"] == 8.0
    assert got["se"] == pytest.approx(np.sqrt(var), rel=1e-12)
    s2 = (1 * 0.25**2 + 1 * 0.75**2 + 2 * 0.25**2 + 1 * 0.75**2 + 3 * 0.25**2) / 8 * 5 / 4
    assert got["deff"] == pytest.approx(var / (s2 * (8 - 5) / (8 * 5)), rel=1e-12)
    assert got["df"] == 2  # 4 PSUs − 2 strata
    half = stats.t.ppf(0.975, 2) * np.sqrt(var) / (0.75 * 0.25)
    assert got["ci_low"] == pytest.approx(expit(logit(0.75) - half), rel=1e-12)
    assert got["ci_high"] == pytest.approx(expit(logit(0.75) + half), rel=1e-12)


def test_domain_keeps_every_psu():
    """Domain: the two respondents of PSU 1 and PSU 3's. p = 1/3; PSU totals A: 1/9, 0 and
    B: −1/9, 0; each stratum 2 · 2 · (1/18)². Dropping the PSUs without members would leave
    one PSU per stratum and no variance at all."""
    design = design_from_frame(TINY, ROLES)
    got = svymean(TINY["y"], design, domain=np.array([True, True, False, True, False]))
    assert got["estimate"] == pytest.approx(1 / 3) and got["n"] == 3
    assert got["se"] == pytest.approx(np.sqrt(2) / 9, rel=1e-12)
    assert got["df"] == 0  # 2 PSUs in 2 strata: no interval
    assert np.isnan(got["ci_low"]) and np.isnan(got["ci_high"])
    # domains at once equal domains one by one; a missing answer leaves the domain
    y = TINY["y"].to_numpy().copy()
    y[2] = np.nan
    groups = np.array([0, 0, 1, 0, 1])
    both = domain_means(y, design, groups)
    for g in (0, 1):
        one = svymean(y, design, domain=groups == g)
        assert both.estimate[g, 0] == pytest.approx(one["estimate"]) and both.n[g, 0] == one["n"]
        assert both.se[g, 0] == pytest.approx(one["se"])
    assert list(both.n[:, 0]) == [3, 1]


def test_fpc_and_lonely_psu_by_hand():
    frame = TINY.assign(fpc=[4, 4, 4, 10, 10])
    got = svymean(frame["y"], design_from_frame(frame, {**ROLES, "fpc": "fpc"}))
    var = (1 - 2 / 4) * 2 * 2 * (1 / 16) ** 2 + (1 - 2 / 10) * 2 * 2 * (3 / 32) ** 2
    assert got["se"] == pytest.approx(np.sqrt(var), rel=1e-12)
    fraction = frame.assign(fpc=[0.5, 0.5, 0.5, 0.2, 0.2])
    assert svymean(frame["y"], design_from_frame(fraction, {**ROLES, "fpc": "fpc"}))["se"] == pytest.approx(
        np.sqrt(var)
    )
    lonely = pd.concat(
        [TINY, pd.DataFrame({"tang": ["C"], "cum": [5], "w": [2.0], "y": [0.0]})], ignore_index=True
    )
    with pytest.raises(DesignError, match="tầng «C» .*chỉ có một đơn vị mẫu"):
        design_from_frame(lonely, ROLES)
    certain = svymean(lonely["y"], design_from_frame(lonely, ROLES, lonely_psu="certainty"))
    adjust = svymean(lonely["y"], design_from_frame(lonely, ROLES, lonely_psu="adjust"))
    p, W = 6 / 10, 10.0
    z = {
        "A": [(0.4 - 0.6) / W, 2 * 0.4 / W],
        "B": [-0.6 / W, 3 * 0.4 / W],
    }
    var = sum(2 * ((a - b) / 2) ** 2 * 2 for a, b in z.values())
    assert certain["estimate"] == pytest.approx(p) and certain["se"] == pytest.approx(np.sqrt(var))
    assert adjust["se"] == pytest.approx(np.sqrt(var + (2 * -0.6 / W) ** 2))  # C's PSU, uncentred


def test_design_problems_are_all_listed_in_vietnamese():
    bad = TINY.assign(w=[1.0, 0.0, np.nan, 1.0, -2.0], dong_nguon=[2, 3, 4, 5, 6])
    with pytest.raises(DesignError) as err:
        design_from_frame(bad, ROLES, where="khao_sat.csv")
    assert str(err.value) == "khao_sat.csv, cột «w»: trọng số trống, không phải số hoặc ≤ 0 ở dòng 3, 4, 6"
    crossing = TINY.assign(cum=[1, 1, 2, 1, 2])
    with pytest.raises(DesignError, match="PSU\\) «1», «2» nằm ở nhiều tầng .*nest: true"):
        design_from_frame(crossing, ROLES)
    nested = design_from_frame(crossing, ROLES, nest=True)
    assert nested.n_psu_total == 4 and nested.degf == 2
    with pytest.raises(DesignError) as err:
        design_from_frame(TINY, {"weight": "trong_so", "psu": "don_vi"})
    assert str(err.value).count("thiếu cột") == 2
    assert design_from_frame(TINY, {"province": "tinh"}) is None
    varies = TINY.assign(fpc=[4, 5, 4, 10, 10])
    with pytest.raises(DesignError, match="fpc khác nhau trong cùng một tầng \\(tầng «A»\\)"):
        design_from_frame(varies, {**ROLES, "fpc": "fpc"})


def test_weights_only_design_and_srs_deff():
    """No strata or PSUs: every respondent a PSU (with replacement). The SRS it is compared with
    is drawn without replacement from the N = Σw the weights stand for."""
    y = np.array([1.0, 0.0, 1.0, 1.0, 0.0, 1.0])
    got = svymean(y, simple_design(np.full(6, 5.0)))
    p, n, N = 4 / 6, 6, 30.0
    var = n / (n - 1) * np.sum(((y - p) / n) ** 2)
    assert got["se"] == pytest.approx(np.sqrt(var))
    s2 = np.mean((y - p) ** 2) * n / (n - 1)
    assert got["deff"] == pytest.approx(var / (s2 * (N - n) / (N * n)))
    assert np.isnan(svymean(y, simple_design(np.ones(6)))["deff"])  # Σw = n: no population to compare with
    # with replacement (R's deff="replace"): s²/n; every respondent its own PSU gives exactly 1
    assert domain_means(y, simple_design(np.ones(6)), replace=True).deff[0, 0] == pytest.approx(1.0)


def test_poststratify_and_rake_by_hand(tmp_path):
    frame = pd.DataFrame({"tinh": ["X", "X", "Y", "Y", "Y"], "cap": ["1", "2", "1", "1", "2"]})
    cells = pd.Series(
        [10.0, 20.0, 30.0, 5.0],
        index=pd.MultiIndex.from_tuples([("X", "1"), ("X", "2"), ("Y", "1"), ("Y", "2")]),
    )
    w, summary = poststratify(frame, np.ones(5), Totals("poststratify", {("tinh", "cap"): cells}))
    assert list(w) == [10.0, 20.0, 15.0, 15.0, 5.0]
    assert summary.kish_n == pytest.approx(65**2 / (100 + 400 + 225 + 225 + 25))
    assert summary.deff_weighting == pytest.approx(5 / summary.kish_n)
    (tmp_path / "tinh.csv").write_text("tinh,tong_so\nX,40\nY,60\n", encoding="utf-8")
    (tmp_path / "cap.csv").write_text("cap,tong_so\n1,70\n2,30\n", encoding="utf-8")
    (tmp_path / "tong.yaml").write_text(
        "method: rake\nsource: minh hoạ\nillustrative: true\nmargins: {tinh: tinh.csv, cap: cap.csv}\n",
        encoding="utf-8",
    )
    totals = read_totals(tmp_path / "tong.yaml")
    assert totals.illustrative and totals.method == "rake"
    raked, info = rake(frame, np.ones(5), totals)
    assert np.bincount([0, 0, 1, 1, 1], weights=raked) == pytest.approx([40, 60], rel=1e-10)
    assert np.bincount([0, 1, 0, 0, 1], weights=raked) == pytest.approx([70, 30], rel=1e-10)
    with pytest.raises(DesignError, match="không hội tụ sau 1 vòng"):
        rake(frame, np.ones(5), Totals("rake", totals.tables, max_iterations=1, path="tong.yaml"))


def test_weighting_errors_name_the_cells():
    frame = pd.DataFrame({"tinh": ["X", "X", "Z"], "cap": ["1", "2", "1"]})
    cells = pd.Series(
        [10.0, 20.0, 30.0], index=pd.MultiIndex.from_tuples([("X", "1"), ("X", "2"), ("Y", "1")])
    )
    with pytest.raises(DesignError) as err:
        poststratify(frame, np.ones(3), Totals("poststratify", {("tinh", "cap"): cells}, path="o.csv"))
    lines = str(err.value).splitlines()
    assert lines == [
        "o.csv: ô tinh = «Z», cap = «1» có 1 người trả lời nhưng không có trong bảng tổng thể",
        "o.csv: ô tinh = «Y», cap = «1» có tổng thể 30 nhưng không có người trả lời nào trong mẫu "
        "(không thể gán trọng số; gộp ô hoặc dùng cào theo biên)",
    ]
    margins = {
        ("tinh",): pd.Series([10.0, 5.0], index=pd.Index(["X", "Z"])),
        ("cap",): pd.Series([1.0, 2.0], index=pd.Index(["1", "2"])),
    }
    with pytest.raises(DesignError, match="các biên có tổng khác nhau \\(tinh: 15; cap: 3\\)"):
        rake(frame, np.ones(3), Totals("rake", margins, path="b.yaml"))


def test_totals_file_problems(tmp_path):
    (tmp_path / "o.csv").write_text("tinh,cap,tong_so\nX,1,10\nX,1,5\nY,2,nhiều\n", encoding="utf-8")
    (tmp_path / "t.yaml").write_text("method: poststratify\ntable: o.csv\n", encoding="utf-8")
    with pytest.raises(DesignError) as err:
        read_totals(tmp_path / "t.yaml")
    assert str(err.value).splitlines() == [
        f"{tmp_path / 'o.csv'}, dòng 4, cột «tong_so»: «nhiều» không phải số ≥ 0",
        f"{tmp_path / 'o.csv'}, dòng 2: ô ('X', '1') lặp lại",
        f"{tmp_path / 'o.csv'}, dòng 3: ô ('X', '1') lặp lại",
    ]


def test_collapsed_logit_equals_the_row_by_row_fit_and_hc0_without_a_design():
    import statsmodels.api as sm

    rng = np.random.default_rng(3)
    n = 400
    X = pd.DataFrame({"a": rng.integers(0, 2, n), "t": rng.integers(1, 5, n)}).astype(float)
    y = (rng.random(n) < expit(-0.5 + X["a"] + 0.2 * X["t"])).to_numpy().astype(float)
    frame = pd.DataFrame(
        {"w": rng.uniform(1, 3, n), "tang": rng.integers(0, 4, n), "cum": rng.integers(0, 30, n)}
    )
    design = design_from_frame(frame, ROLES, nest=True)
    patterns, ids = patterns_of(X)
    assert len(patterns) == 8
    collapsed = svy_logit(patterns, ids, y, design)
    row_by_row = svy_logit(X, np.arange(n), y, design)
    np.testing.assert_allclose(collapsed.params, row_by_row.params, rtol=1e-10)
    np.testing.assert_allclose(collapsed.cov, row_by_row.cov, rtol=1e-8)
    plain = svy_logit(patterns, ids, y, simple_design(n=n))
    ref = sm.GLM(y, sm.add_constant(X), family=sm.families.Binomial()).fit(cov_type="HC0")
    np.testing.assert_allclose(plain.params, ref.params, rtol=1e-8)
    np.testing.assert_allclose(plain.cov, ref.cov_params() * n / (n - 1), rtol=1e-6)


def test_newton_fits_equal_the_projects_fits():
    """The design module's Newton fits and the project's fits (its fallback) reach the same
    maximum: estimates and design-based covariances agree."""
    from test_design_reference import ROLES as REF_ROLES
    from test_design_reference import covariates, design_data

    from chinhquyenso.design.models import _project_fit, collapse_weighted, svy_ordinal
    from chinhquyenso.models.fitting import fit_logit

    data = design_data(seed=8)
    design = design_from_frame(data, REF_ROLES, nest=True)
    patterns, ids = patterns_of(covariates(data))
    took = data["y"].to_numpy() == 1
    level = data["lev"].to_numpy(dtype=float)
    ours = svy_ordinal(patterns, ids, level, design, domain=took)
    params, cov, converged = _project_fit(collapse_weighted(patterns, ids, level, design, took), design)
    assert ours.converged and converged
    np.testing.assert_allclose(ours.params, params, atol=1e-6)
    np.testing.assert_allclose(ours.cov, cov, rtol=1e-4, atol=1e-10)
    logit = svy_logit(patterns, ids, data["y"].to_numpy(), design)
    c = collapse_weighted(patterns, ids, data["y"].to_numpy(), design)
    res, names, _ = fit_logit(c.y, c.X, weights=c.w)
    assert names == logit.names
    np.testing.assert_allclose(logit.params, np.asarray(res.params), atol=1e-6)


class _Book:
    """The codebook surface weighted_means reads: numeric blocks, the province role, labels."""

    def __init__(self, numeric: list[str], provinces: list[str]):
        self._numeric, self._provinces = numeric, provinces

    def blocks_of(self, *kinds):
        return [SimpleNamespace(id="so", variables=self._numeric)] if "numeric" in kinds else []

    def role(self, role):
        return "g" if role == "province" else None

    def __getitem__(self, name):
        return SimpleNamespace(values=self._provinces, label=f"Câu {name}")


def test_weighted_means_of_numeric_questions_overall_and_per_province():
    from chinhquyenso.design.stage import TOTAL, weighted_means

    data = design_data()
    design = design_from_frame(data, REFERENCE_ROLES, nest=True)
    book = _Book(["x", "t"], ["g1", "g2", "g3", "g4"])  # g4: no respondent, no row
    means = weighted_means(data, book, design, 5, 0.95)
    assert list(means["tinh"].unique()) == [TOTAL, "g1", "g2", "g3"]
    whole = means[means["tinh"] == TOTAL].set_index("bien")
    answered = data["x"].notna()
    assert whole.loc["x", "n"] == answered.sum()
    assert whole.loc["x", "trung_binh"] == pytest.approx(
        np.average(data["x"][answered], weights=data["w"][answered])
    )
    assert whole.loc["x", "trung_binh_khong_trong_so"] == pytest.approx(data["x"].mean())
    ref = domain_means(data["x"].to_numpy(float), design)
    assert whole.loc["x", "sai_so_chuan"] == pytest.approx(ref.se[0, 0])
    t = stats.t.ppf(0.975, ref.df[0, 0])
    assert whole.loc["x", "can_tren"] - whole.loc["x", "trung_binh"] == pytest.approx(t * ref.se[0, 0])
    # a province's mean of fewer than min_cell answers: hidden, its n kept
    few = weighted_means(data, book, design, 10_000, 0.95)
    assert few["an"].all() and few["trung_binh"].isna().all() and (few["n"] > 0).all()
    assert weighted_means(data, _Book([], []), design, 5, 0.95).empty
