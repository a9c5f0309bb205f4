"""Design-based estimates against R's survey package (tests/r/survey_reference.R): shares,
means, their SEs, logit intervals and design effects, in the sample and in domains; svyglm
(quasibinomial) and svyolr coefficients and SEs; postStratify and rake weights; with and without
an fpc, and each way of handling a stratum with one PSU. REQUIRE_R=1 makes a missing R a failure."""

import subprocess

import numpy as np
import pandas as pd
import pytest

from chinhquyenso.design import design_from_frame
from chinhquyenso.design.estimates import domain_means
from chinhquyenso.design.models import patterns_of, svy_linear, svy_logit, svy_ordinal
from chinhquyenso.design.weighting import Totals, calibrated_design, poststratify, rake
from conftest import ROOT

SURVEY_R = ROOT / "tests/r/survey_reference.R"
ROLES = {"weight": "w", "strata": "stratum", "psu": "psu"}


def design_data(seed=11, lonely=False) -> pd.DataFrame:
    """Strata of 3 to 8 PSUs (numbered within their stratum), 12 to 40 respondents per PSU,
    weights unequal between strata, PSUs and respondents, a PSU effect on the outcomes, domains
    crossing PSUs, a numeric answer missing for some; ``lonely``: one more stratum of one PSU."""
    rng = np.random.default_rng(seed)
    rows = []
    sizes = [3, 5, 8, 4, 6, 3] + ([1] if lonely else [])
    for h, n_psu in enumerate(sizes):
        base = rng.uniform(20, 200)
        for j in range(1, n_psu + 1):
            m = int(rng.integers(12, 41))
            effect = rng.normal(0, 0.6)
            a = (rng.random(m) < 0.4).astype(int)
            b = rng.choice(["p", "q", "r"], m, p=[0.5, 0.3, 0.2])
            t = rng.integers(1, 8, m)
            lp = -0.3 + 0.8 * a + np.select([b == "q", b == "r"], [0.5, -0.7], 0.0) + 0.12 * t + effect
            y = (rng.random(m) < 1 / (1 + np.exp(-lp))).astype(int)
            lev = np.where(y == 1, 1 + np.searchsorted([-1.0, 0.3, 1.5], lp + rng.logistic(size=m)), np.nan)
            x = np.round(rng.normal(3 + lp, 1.5, m), 2)
            x[rng.random(m) < 0.08] = np.nan
            cnt = rng.binomial(3, 1 / (1 + np.exp(-lp / 2)))
            rows.append(
                pd.DataFrame(
                    {
                        "stratum": f"S{h + 1}",
                        "psu": j,
                        "w": np.round(base * rng.uniform(0.6, 1.6) * rng.uniform(0.8, 1.25, m), 3),
                        "fpc": 3 * n_psu,
                        "y": y,
                        "x": x,
                        "g": rng.choice(["g1", "g2", "g3"], m, p=[0.5, 0.35, 0.15]),
                        "a": a,
                        "b": b,
                        "t": t,
                        "lev": lev,
                        "cnt": cnt,
                    }
                )
            )
    return pd.concat(rows, ignore_index=True)


def run_r(rscript, data, tmp_path, lonely="fail", totals=None) -> dict:
    src, out = tmp_path / "vao.csv", tmp_path / "ra.csv"
    data.to_csv(src, index=False, float_format="%.17g", na_rep="NA")
    extra = []
    if totals is not None:
        for name, table in totals.items():
            table.to_csv(tmp_path / f"{name}.csv", index=False)
            extra.append(str(tmp_path / f"{name}.csv"))
    run = subprocess.run(
        [rscript, str(SURVEY_R), str(src), str(out), lonely, *extra], capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr[-3000:]
    table = pd.read_csv(out, keep_default_na=False)
    return dict(zip(table["key"], table["value"].astype(float), strict=True))


def covariates(data: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "a": data["a"],
            "bq": (data["b"] == "q").astype(int),
            "br": (data["b"] == "r").astype(int),
            "t": data["t"],
        }
    ).astype(float)


def check_estimates(ref, design, data, name):
    groups, labels = pd.factorize(data["g"], sort=True)
    for v in ("y", "x"):
        whole = domain_means(data[v].to_numpy(dtype=float), design)
        by = domain_means(data[v].to_numpy(dtype=float), design, groups)
        for est, dom in [(whole, [None])] + [(by, list(labels))]:
            for i, g in enumerate(dom):
                key = f"{name}:%s:{v}" + ("" if g is None else f":{g}")
                assert est.estimate[i, 0] == pytest.approx(ref[key % "mean"], rel=1e-9, abs=1e-9)
                assert est.se[i, 0] == pytest.approx(ref[key % "se"], rel=1e-4 if v == "y" else 1e-3)
                assert est.deff[i, 0] == pytest.approx(ref[key % "deff"], rel=1e-4)
                if v == "y":
                    low, high = est.logit_interval()
                    assert low[i, 0] == pytest.approx(ref[key % "ci_low"], rel=1e-4)
                    assert high[i, 0] == pytest.approx(ref[key % "ci_high"], rel=1e-4)


def check_models(ref, design, data, name):
    patterns, ids = patterns_of(covariates(data))
    fit = svy_logit(patterns, ids, data["y"].to_numpy(), design)
    r_names = {"const": "(Intercept)", "a": "a", "bq": "bq", "br": "br", "t": "t"}
    for k, term in enumerate(fit.names):
        assert fit.params[k] == pytest.approx(ref[f"{name}:logit_coef:{r_names[term]}"], abs=1e-6)
        assert fit.bse[k] == pytest.approx(ref[f"{name}:logit_se:{r_names[term]}"], rel=1e-3)
    share = svy_logit(patterns, ids, data["cnt"].to_numpy() / 3, design)
    answered = data["x"].notna().to_numpy()
    linear = svy_linear(patterns, ids, data["x"].to_numpy(dtype=float), design, domain=answered)
    for model, fitted in (("share", share), ("linear", linear)):
        for k, term in enumerate(fitted.names):
            assert fitted.params[k] == pytest.approx(ref[f"{name}:{model}_coef:{r_names[term]}"], abs=1e-6)
            assert fitted.bse[k] == pytest.approx(ref[f"{name}:{model}_se:{r_names[term]}"], rel=1e-3)
    took = data["y"].to_numpy() == 1
    olr = svy_ordinal(patterns, ids, data["lev"].to_numpy(dtype=float), design, domain=took)
    r_names.update({"1|2": "1|2", "2|3": "2|3", "3|4": "3|4"})
    assert olr.names == ["a", "bq", "br", "t", "1|2", "2|3", "3|4"]
    for k, term in enumerate(olr.names):
        assert olr.params[k] == pytest.approx(ref[f"{name}:olr_coef:{r_names[term]}"], abs=1e-5)
        assert olr.bse[k] == pytest.approx(ref[f"{name}:olr_se:{r_names[term]}"], rel=1e-3)
    return fit


def test_estimates_and_models_equal_r_survey(rscript, tmp_path):
    data = design_data()
    cells = data.groupby(["stratum", "b"]).size().rename("Freq").reset_index()
    cells["Freq"] = cells["Freq"] * 40 + np.arange(len(cells)) * 7
    by_stratum = cells.groupby("stratum")["Freq"].sum().reset_index()
    by_b = cells.groupby("b")["Freq"].sum().reset_index()
    by_b["Freq"] = by_b["Freq"] + np.array([300, -200, -100])  # margins that are not a cell table's
    ref = run_r(rscript, data, tmp_path, totals={"cells": cells, "stratum": by_stratum, "b": by_b})
    design = design_from_frame(data, ROLES, nest=True)
    check_estimates(ref, design, data, "chinh")
    fit = check_models(ref, design, data, "chinh")
    assert fit.clusters == 29 and fit.df_resid == 29 - 6 - 5 + 1
    with_fpc = design_from_frame(data, {**ROLES, "fpc": "fpc"}, nest=True)
    check_estimates(ref, with_fpc, data, "fpc")
    check_models(ref, with_fpc, data, "fpc")
    # the fpc shrinks every variance by 1 − n_h/N_h = 2/3 here
    assert domain_means(data["y"].to_numpy(float), with_fpc).se[0, 0] == pytest.approx(
        domain_means(data["y"].to_numpy(float), design).se[0, 0] * np.sqrt(2 / 3)
    )

    cell_totals = Totals(
        "poststratify", {("stratum", "b"): cells.set_index(["stratum", "b"])["Freq"].astype(float)}
    )
    ps, summary = poststratify(data, design.weights, cell_totals)
    r_ps = np.array([ref[f"poststratify:{i + 1}"] for i in range(len(data))])
    np.testing.assert_allclose(ps, r_ps, rtol=1e-8)
    assert summary.kish_n == pytest.approx(ps.sum() ** 2 / (ps**2).sum())
    margins = {
        ("stratum",): by_stratum.set_index("stratum")["Freq"].astype(float),
        ("b",): by_b.set_index("b")["Freq"].astype(float),
    }
    margin_totals = Totals("rake", margins, tolerance=1e-13)
    raked, info = rake(data, design.weights, margin_totals)
    r_rake = np.array([ref[f"rake:{i + 1}"] for i in range(len(data))])
    np.testing.assert_allclose(raked, r_rake, rtol=1e-8)
    assert info.iterations > 1
    # estimates and models on the calibrated designs: the SEs use the calibration cells
    for name, totals in (("ps", cell_totals), ("rake", margin_totals)):
        calibrated, _ = calibrated_design(design, data, totals)
        check_estimates(ref, calibrated, data, name)
        check_models(ref, calibrated, data, name)


@pytest.mark.parametrize("lonely", ["adjust", "certainty"])
def test_a_stratum_of_one_psu_as_r_handles_it(rscript, tmp_path, lonely):
    data = design_data(seed=5, lonely=True)
    ref = run_r(rscript, data, tmp_path, lonely=lonely)
    design = design_from_frame(data, ROLES, lonely_psu=lonely, nest=True)
    check_estimates(ref, design, data, "chinh")
    check_models(ref, design, data, "chinh")
