"""Models: parameter recovery on simulated data, an independent maximum-likelihood check with
scipy, the Brant-style test, determinism, and the report's interpretation rules."""

import numpy as np
import pandas as pd
import pytest
from scipy import optimize, special

from chinhquyenso import models as M
from conftest import ROOT

SPEC = M.ModelSpec(
    [
        M.Covariate("gioi_tinh", "category", "Nam"),
        M.Covariate("cap_hanh_chinh", "category", "Phường/xã"),
        M.Covariate("tham_nien", "linear"),
        M.Covariate("tinh", "category", "TPHCM"),
    ],
    ["gioi_tinh", "cap_hanh_chinh", "tham_nien"],
    roles={"gender": "gioi_tinh", "admin_level": "cap_hanh_chinh", "tenure": "tham_nien", "province": "tinh"},
)
LEVELS = {
    "gioi_tinh": ["Nam", "Nữ"],
    "cap_hanh_chinh": ["Phường/xã", "Quận/huyện", "Tỉnh/thành phố"],
    "tinh": ["TPHCM", "Bình Dương", "Đồng Nai"],
}
ACTS = [f"hd{i:02d}" for i in range(1, 15)]


def _activities():
    from chinhquyenso.codebook import load_codebook
    from conftest import CODEBOOK

    return load_codebook(CODEBOOK).activities


TRUE = pd.Series(
    {
        "gioi_tinh=Nữ": 0.3,
        "cap_hanh_chinh=Quận/huyện": -0.4,
        "cap_hanh_chinh=Tỉnh/thành phố": 0.8,
        "tham_nien": 0.1,
        "tinh=Bình Dương": 0.2,
        "tinh=Đồng Nai": -0.2,
    }
)


def _people(n, seed):
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "gioi_tinh": rng.choice(LEVELS["gioi_tinh"], n),
            "cap_hanh_chinh": rng.choice(LEVELS["cap_hanh_chinh"], n, p=[0.5, 0.35, 0.15]),
            "tham_nien": rng.integers(1, 17, n),
            "tinh": rng.choice(LEVELS["tinh"], n),
        }
    ), rng


def test_logit_recovers_known_coefficients():
    people, rng = _people(20_000, 1)
    X = M.design(people, SPEC, LEVELS).X
    eta = -1.0 + X[TRUE.index].to_numpy() @ TRUE.to_numpy()
    y = (rng.random(len(X)) < special.expit(eta)).astype(int)
    res, names, ok = M.fit_logit(y, X)
    assert ok
    est, se = pd.Series(res.params, index=names), pd.Series(res.bse, index=names)
    ci = pd.DataFrame(np.asarray(res.conf_int()), index=names)
    assert ((est[TRUE.index] - TRUE).abs() < 3.5 * se[TRUE.index]).all()
    covered = ((ci.loc[TRUE.index, 0] <= TRUE) & (TRUE <= ci.loc[TRUE.index, 1])).sum()
    assert covered >= len(TRUE) - 1


def test_ordinal_recovers_coefficients_and_cut_points():
    people, rng = _people(20_000, 2)
    X = M.design(people, SPEC, LEVELS).X
    cuts = np.array([-2.0, -0.5, 1.0, 2.5])
    latent = X[TRUE.index].to_numpy() @ TRUE.to_numpy() + rng.logistic(size=len(X))
    y = 1 + np.searchsorted(cuts, latent)
    res, names, ok = M.fit_ordinal(y, X)
    assert ok
    est, se = pd.Series(np.asarray(res.params), index=names), pd.Series(np.asarray(res.bse), index=names)
    assert ((est[TRUE.index] - TRUE).abs() < 3.5 * se[TRUE.index]).all()
    assert np.allclose(M.cut_points(res), cuts, atol=0.1)


def _logit_problem(clean, takes):
    """A per-activity logit, fitted by the package, and its negative log-likelihood written
    out independently (intercept first), for the direct maximum-likelihood checks."""
    X = M.design(clean, SPEC, LEVELS).X
    y = clean[takes].astype(int).to_numpy()
    res, _names, _ = M.fit_logit(y, X)
    Z = np.column_stack([np.ones(len(X)), X.to_numpy()])

    def nll(b):
        eta = Z @ b
        return -(y * eta - np.logaddexp(0, eta)).sum()

    return res, nll, Z.shape[1]


def _ordinal_problem(clean, takes, level):
    """A per-activity ordinal model among participants and its negative log-likelihood in the
    same parameters (slopes, first cut point, log increments of the others)."""
    sub = clean[clean[takes].astype(bool)]
    X = M.design(sub, SPEC, LEVELS).X.to_numpy()
    y = sub[level].astype(int).to_numpy()
    res, _, _ = M.fit_ordinal(y, pd.DataFrame(X))
    k = X.shape[1]

    def nll(theta):
        cuts = np.cumsum(np.r_[theta[k], np.exp(theta[k + 1 :])])
        edges = np.r_[-np.inf, cuts, np.inf]
        eta = X @ theta[:k]
        return -np.log(special.expit(edges[y] - eta) - special.expit(edges[y - 1] - eta)).sum()

    return res, nll, k


def test_logit_matches_a_direct_maximum_likelihood_fit(clean_demo):
    clean, _ = clean_demo
    res, nll, k = _logit_problem(clean, "tham_gia_hd14")
    direct = optimize.minimize(nll, np.zeros(k), method="BFGS", options={"gtol": 1e-8}).x
    assert np.allclose(direct, np.asarray(res.params), atol=1e-4)


def test_ordinal_matches_a_direct_maximum_likelihood_fit(clean_demo):
    clean, _ = clean_demo
    res, nll, k = _ordinal_problem(clean, "tham_gia_hd10", "muc_do_hd10")

    start = np.r_[np.zeros(k), -2.0, np.zeros(3)]
    direct = optimize.minimize(nll, start, method="BFGS", options={"gtol": 1e-8}).x
    assert np.allclose(direct[:k], np.asarray(res.params)[:k], atol=1e-3)
    assert np.allclose(np.cumsum(np.r_[direct[k], np.exp(direct[k + 1 :])]), M.cut_points(res), atol=1e-3)


def test_brant_accepts_proportional_odds_and_rejects_otherwise():
    rng = np.random.default_rng(3)
    n = 4000
    x = pd.DataFrame({"x": rng.normal(size=n)})
    latent = 0.8 * x["x"].to_numpy() + rng.logistic(size=n)
    y_po = 1 + np.searchsorted([-1.0, 0.0, 1.0], latent)
    # non-proportional: the slope changes sign across cut-points
    p_above = [special.expit(1.5 + 1.2 * x["x"]), special.expit(0.0), special.expit(-1.5 - 1.2 * x["x"])]
    u = rng.random(n)
    y_np = 1 + sum((u < p).astype(int) for p in p_above)
    po = M.brant_test(y_po, x).set_index("so_hang")
    nonpo = M.brant_test(y_np, x).set_index("so_hang")
    assert po.loc["tổng thể", "p"] > 0.01
    assert nonpo.loc["tổng thể", "p"] < 0.001


def test_cronbach_alpha_matches_textbook_formula():
    items = np.array([[1, 1, 0], [1, 0, 0], [1, 1, 1], [0, 0, 0], [1, 1, 1]])
    k = 3
    expected = k / (k - 1) * (1 - items.var(axis=0, ddof=1).sum() / items.sum(axis=1).var(ddof=1))
    assert M.cronbach_alpha(items) == pytest.approx(expected)


@pytest.fixture(scope="module")
def demo_results(clean_demo):
    clean, _ = clean_demo
    return M.run_all(clean, SPEC, LEVELS, _activities())


def test_every_model_reported_with_adjusted_p(demo_results):
    per = demo_results["per_activity"]
    assert set(per["hoat_dong"]) == set(ACTS)
    assert set(per["mo_hinh"]) == {"logit_tham_gia", "thu_bac_muc_do"}
    assert per["p_hieu_chinh"].ge(per["p"] - 1e-12).all()
    assert (per["tham_chieu"][per["bien"] == "gioi_tinh"] == "Nam").all()
    pooled = demo_results["pooled"]
    assert set(pooled["mo_hinh"]) == {
        "gop_logit_tham_gia",
        "gop_thu_bac_muc_do",
        "chi_so_so_hoat_dong",
        "chi_so_muc_do_tb",
    }
    assert pooled.loc[pooled["mo_hinh"] == "gop_logit_tham_gia", "n"].iloc[0] == 360 * 14


def test_same_numbers_every_run(clean_demo, demo_results):
    clean, _ = clean_demo
    again = M.run_all(clean, SPEC, LEVELS, _activities())
    for key in ("per_activity", "pooled", "brant", "bivariate", "predictions"):
        pd.testing.assert_frame_equal(again[key], demo_results[key])


def test_predictions_have_intervals(demo_results):
    pred = demo_results["predictions"]
    assert ((pred["ci_thap"] <= pred["du_doan"]) & (pred["du_doan"] <= pred["ci_cao"])).all()
    assert set(pred["ket_qua"]) == {"ty_le_tham_gia", "ty_le_muc_cao"}
    assert pred["tham_nien"].min() == 1 and pred["tham_nien"].max() == 16


def test_analytic_score_equals_numerical_derivative(clean_demo):
    from statsmodels.tools.numdiff import approx_fprime

    clean, _ = clean_demo
    sub = clean[clean["tham_gia_hd03"].astype(bool)]
    X = M.design(sub, SPEC, LEVELS).X.reset_index(drop=True)
    y = sub["muc_do_hd03"].astype(int).to_numpy()
    res, _, _ = M.fit_ordinal(y, X)
    model = res.model
    point = np.asarray(res.params) + 0.05  # away from the optimum, where the score is not ~0
    numeric = approx_fprime(point, model.loglikeobs, centered=True)
    assert np.allclose(model.score_obs(point), numeric, atol=1e-5)


def test_tenure_in_bands_from_config():
    cfg = {
        "covariates": {
            "gioi_tinh": {"type": "category", "reference": "Nam"},
            "tham_nien": {"type": "bands", "edges": [1, 4, 8, 17]},
        },
        "focal": ["gioi_tinh", "tham_nien"],
        "confidence": 0.9,
        "multiple_testing": "holm",
        "min_cases": 3,
    }
    spec = M.spec_from_config(cfg, {"tham_nien": "Thâm niên công tác (năm)"})  # the unit from the label
    frame = pd.DataFrame({"gioi_tinh": ["Nam", "Nữ", "Nữ", "Nam"], "tham_nien": [1, 5, 9, 16]})
    d = M.design(frame, spec, LEVELS)
    assert list(d.X.columns) == ["gioi_tinh=Nữ", "tham_nien=4–7 năm", "tham_nien=8–16 năm"]
    assert d.X["tham_nien=8–16 năm"].tolist() == [0, 0, 1, 1]
    assert d.references["tham_nien"] == "1–3 năm"
    assert spec.alpha == pytest.approx(0.1)


def test_collapsed_rows_give_the_same_fit_as_every_row(clean_demo):
    """Collapsing identical (covariates, outcome) rows with frequency weights is exact."""
    clean = clean_demo[0]
    d = M.design(clean, SPEC, LEVELS)
    patterns = M.covariate_patterns(clean, SPEC, LEVELS)
    assert len(patterns.design.X) < len(clean) and patterns.ids.max() + 1 == len(patterns.design.X)
    # each respondent's pattern row is their own design row
    np.testing.assert_array_equal(patterns.design.X.to_numpy()[patterns.ids], d.X.to_numpy())
    y = clean["tham_gia_hd07"].astype(int).to_numpy()
    Xc, yc, w = M.collapse(patterns.design.X, y, patterns.ids)
    assert len(yc) < len(y) and w.sum() == len(y)
    full, _, _ = M.fit_logit(y, d.X)
    short, _, _ = M.fit_logit(yc, Xc, weights=w)
    np.testing.assert_allclose(np.asarray(short.params), np.asarray(full.params), rtol=1e-6)
    np.testing.assert_allclose(np.asarray(short.bse), np.asarray(full.bse), rtol=1e-5)
    took = y == 1
    yl = clean.loc[took, "muc_do_hd07"].astype(int).to_numpy()
    full, _, _ = M.fit_ordinal(yl, d.X[took])
    Xc, yc, w = M.collapse(patterns.design.X, yl, patterns.ids[took])
    short, _, _ = M.fit_ordinal(yc, Xc, weights=w)
    se = np.asarray(full.bse)
    assert (
        np.abs(np.asarray(short.params) - np.asarray(full.params)).max() < 0.01 * se.min()
    )  # optimiser tolerance
    np.testing.assert_allclose(np.asarray(short.bse), se, rtol=1e-3)


def test_pooled_clustered_errors_equal_statsmodels_on_the_long_table(clean_demo):
    """pooled_fit never builds the long table; statsmodels' cov_type="cluster" on it is the check."""
    import statsmodels.api as sm

    clean = clean_demo[0]
    d = M.design(clean, SPEC, LEVELS)
    patterns = M.covariate_patterns(clean, SPEC, LEVELS)
    takes = np.column_stack([clean[f"tham_gia_{a}"].astype(int).to_numpy() for a in ACTS]).astype(float)
    fit, names, nobs = M.pooled_fit(takes, patterns.design.X, patterns.ids, ACTS, "logit")
    # the long table: one row per respondent and activity, activity dummies, respondent id
    X = pd.concat([d.X] * len(ACTS), ignore_index=True)
    for a in ACTS[1:]:
        X[f"hoat_dong_{a}"] = np.repeat([float(b == a) for b in ACTS], len(clean))
    y = takes.T.reshape(-1)
    person = np.tile(np.arange(len(clean)), len(ACTS))
    ref = sm.Logit(y, sm.add_constant(X)).fit(disp=0, cov_type="cluster", cov_kwds={"groups": person})
    assert nobs == len(y) and names == list(sm.add_constant(X).columns)
    np.testing.assert_allclose(fit.params, np.asarray(ref.params), rtol=1e-6)
    np.testing.assert_allclose(fit.bse, np.asarray(ref.bse), rtol=1e-6)


def _row_level_index_fits(clean, acts):
    """The index models and the high-level model fitted by statsmodels on every respondent's row
    (as the stage did before it collapsed rows): the reference the collapsed fits must equal."""
    import statsmodels.api as sm

    exog = sm.add_constant(M.design(clean, SPEC, LEVELS).X, has_constant="add")
    takes = np.column_stack([clean[acts.takes[a]].astype(int) for a in acts])
    level = np.column_stack([clean[acts.level[a]].astype(float) for a in acts])
    count, n, k = takes.sum(axis=1), len(clean), exog.shape[1]
    hc1 = {"cov_type": "HC0", "cov_kwds": {"scaling_factor": n / (n - k)}}
    binomial = sm.families.Binomial()
    res_count = sm.GLM(np.column_stack([count, len(acts) - count]), exog, family=binomial).fit(**hc1)
    has = count > 0
    mean_level = np.nanmean(np.where(takes == 1, level, np.nan)[has], axis=1)
    res_level = sm.OLS(mean_level, exog[has]).fit(cov_type="HC3", use_t=True)
    high = ((level >= acts.scale.high_from) & (takes == 1)).sum(axis=1)
    n_has = int(has.sum())
    res_high = sm.GLM(np.column_stack([high, count - high])[has], exog[has], family=binomial).fit(
        cov_type="HC0", cov_kwds={"scaling_factor": n_has / (n_has - k)}
    )
    return exog, res_count, res_level, res_high


def test_index_models_and_predictions_on_collapsed_rows_equal_the_fit_on_every_row(clean_demo):
    """Estimates, SEs, p-values, intervals and predictions: the collapsed fits (a few hundred
    rows, frequency weights, sandwiches from per-respondent scores) against statsmodels' robust
    fits on every respondent."""
    clean, _ = clean_demo
    acts = _activities()
    table, res_count, count, _ = M.indices(clean, acts, SPEC, LEVELS)
    exog, ref_count, ref_level, ref_high = _row_level_index_fits(clean, acts)
    for model, ref in (("chi_so_so_hoat_dong", ref_count), ("chi_so_muc_do_tb", ref_level)):
        rows = table[table["mo_hinh"] == model].set_index("so_hang")
        terms = list(rows.index)
        ci = pd.DataFrame(np.asarray(ref.conf_int(alpha=SPEC.alpha)), index=exog.columns)
        for column, expected in (
            ("he_so", ref.params[terms]),
            ("se", ref.bse[terms]),
            ("p", ref.pvalues[terms]),
            ("ci_thap", ci.loc[terms, 0] if model == "chi_so_muc_do_tb" else np.exp(ci.loc[terms, 0])),
            ("ci_cao", ci.loc[terms, 1] if model == "chi_so_muc_do_tb" else np.exp(ci.loc[terms, 1])),
        ):
            np.testing.assert_allclose(
                rows[column], np.asarray(expected), rtol=1e-8, err_msg=f"{model} {column}"
            )
        assert rows["n"].iloc[0] == ref.nobs
    np.testing.assert_allclose(res_count.cov, np.asarray(ref_count.cov_params()), rtol=1e-8)
    predicted = M.predictions(clean, acts, SPEC, LEVELS, res_count)
    for outcome, ref in (("ty_le_tham_gia", ref_count), ("ty_le_muc_cao", ref_high)):
        part = predicted[predicted["ket_qua"] == outcome]
        grid = M.design(part, SPEC, LEVELS).X
        gx = pd.DataFrame(1.0, index=grid.index, columns=exog.columns)
        gx[grid.columns] = grid
        frame = ref.get_prediction(gx).summary_frame(alpha=SPEC.alpha)
        for column, name in (("du_doan", "mean"), ("ci_thap", "mean_ci_lower"), ("ci_cao", "mean_ci_upper")):
            np.testing.assert_allclose(part[column], frame[name], rtol=1e-9, err_msg=f"{outcome} {column}")


def test_count_model_standard_errors_are_true_hc1(clean_demo):
    """The count model's SEs against a sandwich computed by hand: HC0 = B⁻¹ (Σ sᵢsᵢ') B⁻¹ with
    B = Σ mᵢpᵢ(1−pᵢ)xᵢxᵢ' and sᵢ = xᵢ(yᵢ − mᵢpᵢ); HC1 = HC0 · n/(n − k), as R's vcovHC."""
    import statsmodels.api as sm

    clean, _ = clean_demo
    acts = _activities()
    table, res_count, count, _takes = M.indices(clean, acts, SPEC, LEVELS)
    X = sm.add_constant(M.design(clean, SPEC, LEVELS).X, has_constant="add").to_numpy()
    m, n, k = len(acts), len(count), X.shape[1]
    p = 1 / (1 + np.exp(-X @ res_count.params))
    bread = np.linalg.inv((X * (m * p * (1 - p))[:, None]).T @ X)
    scores = X * (count - m * p)[:, None]
    hc0 = bread @ (scores.T @ scores) @ bread
    assert np.allclose(res_count.bse, np.sqrt(np.diag(hc0 * n / (n - k))), rtol=1e-9, atol=0)
    assert np.all(res_count.bse > np.sqrt(np.diag(hc0)))


def test_mean_level_model_uses_t_on_residual_degrees_of_freedom(clean_demo):
    from scipy import stats

    clean, _ = clean_demo
    table, *_ = M.indices(clean, _activities(), SPEC, LEVELS)
    rows = table[table["mo_hinh"] == "chi_so_muc_do_tb"]
    n, k = int(rows["n"].iloc[0]), 1 + len(TRUE)
    t = rows["he_so"] / rows["se"]
    assert np.allclose(rows["p"], 2 * stats.t.sf(np.abs(t), n - k), rtol=1e-9)
    half = stats.t.ppf(0.975, n - k) * rows["se"]
    assert np.allclose(rows["ci_cao"] - rows["he_so"], half, rtol=1e-9)


def test_tenure_outside_the_band_edges_is_an_error():
    spec = M.ModelSpec([M.Covariate("tham_nien", "bands", edges=(1, 4, 8, 17))], ["tham_nien"])
    frame = pd.DataFrame({"tham_nien": [1, 5, 17, 20, 3]})
    with pytest.raises(ValueError, match=r"giá trị 17, 20 nằm ngoài các mốc \[1, 4, 8, 17\]"):
        M.design(frame, spec, {})


def test_sparse_diagnosis_names_the_thin_category_without_counts_or_groups(caplog):
    frame = pd.DataFrame({"gioi_tinh": ["Nam"] * 40 + ["Nữ"] * 40})
    spec = M.ModelSpec([M.Covariate("gioi_tinh", "category", "Nam")], ["gioi_tinh"])
    d = M.design(frame, spec, {"gioi_tinh": ["Nam", "Nữ"]})
    # level 1: 3 answers in all; level 2: thin only among the reference group (Nam)
    y = np.array([1, 1] + [2] * 2 + [3] * 36 + [1] + [2] * 10 + [3] * 29)
    caplog.set_level("INFO")
    found = M.sparse_diagnosis(y, d.X, d, 5, labels={1: "Thấp", 2: "Vừa", 3: "Cao"})
    # published (models CSV, appendix): no count, no bound, no group a disclosure audit must know
    assert found == ["mức «Thấp» có rất ít câu trả lời", "một số ô thưa ở mức «Vừa»"]
    y2 = np.array([1] * 3 + [3] * 37 + [1] * 3 + [3] * 37)  # 6 in all, under 5 in both groups
    assert M.sparse_diagnosis(y2, d.X, d, 5, labels={1: "Thấp", 3: "Cao"}) == [
        "mức «Thấp» có ít câu trả lời ở nhiều nhóm"
    ]
    # the counts and groups are for the analyst: in the rule's log
    assert "ô thưa ở mức «Vừa»: 12 câu trả lời; dưới 5 ở 1/2 nhóm (gioi_tinh=Nam)" in caplog.text
    assert M.model_status(False, found).startswith("không hội tụ; mức «Thấp»")
    assert M.model_status(True, []) == "ổn"


def _hessian(f, theta, h=1e-4):
    """Central-difference Hessian of a scalar function (independent of statsmodels)."""
    k = len(theta)
    H = np.empty((k, k))
    for i in range(k):
        for j in range(k):
            e_i, e_j = np.eye(k)[i] * h, np.eye(k)[j] * h
            H[i, j] = (
                f(theta + e_i + e_j) - f(theta + e_i - e_j) - f(theta - e_i + e_j) + f(theta - e_i - e_j)
            ) / (4 * h * h)
    return H


def _newton(f, theta, steps=8, h=1e-5):
    """Polish a minimum with Newton steps on central-difference derivatives."""
    k = len(theta)
    for _ in range(steps):
        grad = np.array(
            [(f(theta + np.eye(k)[i] * h) - f(theta - np.eye(k)[i] * h)) / (2 * h) for i in range(k)]
        )
        theta = theta - np.linalg.solve(_hessian(f, theta), grad)
    return theta


def test_logit_coefficients_and_standard_errors_match_an_independent_fit_to_1e_5(clean_demo):
    """Per-activity logit against a direct maximum-likelihood fit (scipy, numerical Hessian)."""
    clean, _ = clean_demo
    res, nll, k = _logit_problem(clean, "tham_gia_hd03")
    start = optimize.minimize(nll, np.zeros(k), method="BFGS").x
    theta = _newton(nll, start)
    se = np.sqrt(np.diag(np.linalg.inv(_hessian(nll, theta))))
    assert np.allclose(theta, np.asarray(res.params), rtol=0, atol=1e-5)
    assert np.allclose(se, np.asarray(res.bse), rtol=1e-5, atol=0)


def test_ordinal_coefficients_and_standard_errors_match_an_independent_fit_to_1e_5(clean_demo):
    """Per-activity ordinal model against a direct maximum-likelihood fit, numerical Hessian for the SEs."""
    clean, _ = clean_demo
    res, nll, k = _ordinal_problem(clean, "tham_gia_hd06", "muc_do_hd06")

    start = optimize.minimize(nll, np.r_[np.zeros(k), -2.0, np.zeros(3)], method="BFGS").x
    theta = _newton(nll, start)
    se = np.sqrt(np.diag(np.linalg.inv(_hessian(nll, theta))))
    assert np.allclose(theta[:k], np.asarray(res.params)[:k], rtol=0, atol=1e-5)
    assert np.allclose(se[:k], np.asarray(res.bse)[:k], rtol=1e-5, atol=0)


def test_merging_thin_extreme_levels_is_optional_and_said(clean_demo):
    clean, _ = clean_demo
    acts = _activities()
    merged = M.ModelSpec(SPEC.covariates, SPEC.focal, roles=SPEC.roles, merge_sparse_levels=True)
    per_off = M.per_activity(clean, acts, SPEC, LEVELS)
    per_on = M.per_activity(clean, acts, merged, LEVELS)
    status = per_on[per_on["mo_hinh"] == "thu_bac_muc_do"].drop_duplicates("hoat_dong")["tinh_trang"]
    merged_models = status[status.str.contains("đã gộp mức «Rất thấp» vào «Thấp»", regex=False)]
    assert len(merged_models) >= 10  # the lowest level is thin in most of the 14 models
    assert not merged_models.str.contains("mức «Rất thấp» ít", regex=False).any()
    assert not per_off["tinh_trang"].str.contains("đã gộp").any()  # off by default
    logits = per_on["mo_hinh"] == "logit_tham_gia"
    pd.testing.assert_frame_equal(per_on[logits], per_off[per_off["mo_hinh"] == "logit_tham_gia"])


def test_a_bivariate_test_on_fewer_people_than_the_threshold_is_not_published(clean_demo, tmp_path):
    """Its size would be a count the disclosure stage may hide (e.g. few participants)."""
    import yaml

    from chinhquyenso.models import write_stage

    clean_path = tmp_path / "khao_sat.parquet"
    clean_demo[0].to_parquet(clean_path, index=False)
    names = ("per_activity", "pooled", "brant", "bivariate", "predictions", "summary")
    out = {k: tmp_path / f"{k}.csv" for k in names}
    out["summary"] = tmp_path / "tom_tat.json"
    cfg = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))["models"]
    write_stage(clean_path, ROOT / "resources/codebook.yaml", cfg, out)
    every = pd.read_csv(out["bivariate"])
    write_stage(clean_path, ROOT / "resources/codebook.yaml", cfg, out, min_published=280)
    published = pd.read_csv(out["bivariate"])
    assert (published["n"] >= 280).all() and len(published) == (every["n"] >= 280).sum()
    assert (published["kiem_dinh"].str.startswith("chi2")).sum() == 14  # on all 360: kept


def test_a_status_warns_only_of_what_changes_the_reading(clean_demo, caplog):
    """Thin cells (every model of the demo has some) stay in the log; a separated model is left
    out with its reason naming the term (no count); the others are "ổn"."""
    clean = clean_demo[0].copy()
    acts = _activities()
    top = clean[acts.takes["hd06"]].astype(bool) & (clean["cap_hanh_chinh"] == "Tỉnh/thành phố")
    clean.loc[top, acts.level["hd06"]] = 5  # everyone at the top level: an infinite odds ratio
    caplog.set_level("INFO")
    omissions = M.Omissions()
    per = M.per_activity(clean, acts, SPEC, LEVELS, omissions=omissions)
    status = per.drop_duplicates(["mo_hinh", "hoat_dong"]).set_index(["mo_hinh", "hoat_dong"])["tinh_trang"]
    assert status.drop(("thu_bac_muc_do", "hd06")).eq("ổn").all()
    assert status[("thu_bac_muc_do", "hd06")].endswith(
        "(tách biệt hoàn toàn): cap_hanh_chinh «Tỉnh/thành phố»"
    )
    assert "ô thưa ở mức" in caplog.text  # the thin cells: for the analyst
    assert {"mo_hinh": "thu_bac_muc_do", "hoat_dong": "hd01"} in omissions.thin


def test_ordinal_hessian_is_the_analytic_one_of_the_likelihood():
    """The proportional-odds Hessian is analytic (the model stage's cost at 1M respondents was
    its numerical Jacobian): equal to the numerical derivative of the analytic score, away from
    the optimum too, with and without frequency weights."""
    from statsmodels.tools.numdiff import approx_fprime

    from chinhquyenso.models.fitting import fit_ordinal

    rng = np.random.default_rng(0)
    n = 500
    X = pd.DataFrame({"a": rng.normal(size=n), "b": (rng.random(n) < 0.4).astype(float)})
    y = np.searchsorted([-1.0, 0.0, 1.2], X["a"] * 0.8 - 0.5 * X["b"] + rng.logistic(size=n))
    for weights in (None, rng.integers(1, 4, n).astype(float)):
        res, _, ok = fit_ordinal(y, X, weights)
        assert ok
        for shift in (0.0, 0.05):
            at = np.asarray(res.params) + shift
            numeric = approx_fprime(at, res.model.score, centered=True)
            analytic = res.model.hessian(at)
            assert np.abs(analytic - (numeric + numeric.T) / 2).max() <= 1e-7 * np.abs(numeric).max()
