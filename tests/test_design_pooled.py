"""The pooled models under a sampling design (every respondent's activities together, activity
fixed effects) against R's survey package on the same data in long form (tests/r/survey_pooled.R):
coefficients and design-based SEs of the logit and the proportional-odds model, with and without
an fpc; and, on calibrated weights (no R counterpart on long rows), the pooled model of one
activity equals the per-activity model, which is checked against R in test_design_reference."""

import subprocess
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from test_design_reference import ROLES, covariates, design_data

from chinhquyenso.design import design_from_frame
from chinhquyenso.design.models import patterns_of, svy_logit, svy_ordinal
from chinhquyenso.design.weighting import Totals, calibrated_design
from chinhquyenso.models.activities import _fit_cells, _pooled_cells
from chinhquyenso.models.indices import _svy_high
from conftest import ROOT

POOLED_R = ROOT / "tests/r/survey_pooled.R"
ACTIVITIES = ["h1", "h2", "h3", "h4"]


def wide(data: pd.DataFrame, seed: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """Taking part (0/1) and the level (1..4, NaN when not taken part in) of four activities
    of different popularity, both depending on the respondent's covariates."""
    rng = np.random.default_rng(seed)
    n = len(data)
    lp = -0.3 + 0.8 * data["a"].to_numpy() + 0.12 * data["t"].to_numpy() - 0.5 * (data["b"] == "r").to_numpy()
    shift = np.array([0.0, -0.6, 0.5, -1.2])
    takes = (rng.random((n, 4)) < 1 / (1 + np.exp(-(lp[:, None] + shift)))).astype(float)
    latent = lp[:, None] + shift / 2 + rng.logistic(size=(n, 4))
    level = np.where(takes == 1, 1 + np.searchsorted([-1.0, 0.4, 1.6], latent.ravel()).reshape(n, 4), np.nan)
    return takes, level


def long_form(data, takes, level) -> pd.DataFrame:
    parts = []
    for j, act in enumerate(ACTIVITIES):
        part = data[["stratum", "psu", "w", "fpc", "a", "b", "t"]].copy()
        part["act"], part["y"], part["lev"] = act, takes[:, j].astype(int), level[:, j]
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def run_r(rscript, frame, tmp_path) -> dict:
    src, out = tmp_path / "dai.csv", tmp_path / "ra.csv"
    frame.to_csv(src, index=False, float_format="%.17g", na_rep="NA")
    run = subprocess.run([rscript, str(POOLED_R), str(src), str(out)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-3000:]
    table = pd.read_csv(out, keep_default_na=False)
    return dict(zip(table["key"], table["value"].astype(float), strict=True))


def pooled_fits(data, takes, level, design):
    patterns, ids = patterns_of(covariates(data))
    fits = {}
    for kind, outcome in (("logit", takes), ("ordinal", level)):
        cells = _pooled_cells(outcome, patterns, ids, ACTIVITIES)
        fits[kind] = _fit_cells(cells, kind, design)
    return fits


def r_term(term: str) -> str:
    names = {"const": "(Intercept)", "bq": "bq", "br": "br"}
    if term.startswith("hoat_dong_"):
        return "act" + term.removeprefix("hoat_dong_")
    return names.get(term, term)


def test_pooled_models_equal_r_survey_on_long_data(rscript, tmp_path):
    data = design_data(seed=17)
    takes, level = wide(data)
    ref = run_r(rscript, long_form(data, takes, level), tmp_path)
    for name, roles in (("chinh", ROLES), ("fpc", {**ROLES, "fpc": "fpc"})):
        design = design_from_frame(data, roles, nest=True)
        fits = pooled_fits(data, takes, level, design)
        logit, names, nobs = fits["logit"]
        assert nobs == 4 * len(data)
        assert names[0] == "const" and names[-3:] == ["hoat_dong_h2", "hoat_dong_h3", "hoat_dong_h4"]
        for k, term in enumerate(names):
            assert logit.params[k] == pytest.approx(ref[f"{name}:logit_coef:{r_term(term)}"], abs=1e-6)
            assert logit.bse[k] == pytest.approx(ref[f"{name}:logit_se:{r_term(term)}"], rel=1e-3)
        assert logit.df_resid == ref[f"{name}:logit_df"]
        olr, names, nobs = fits["ordinal"]
        assert nobs == int(takes.sum())
        assert names[-3:] == ["1|2", "2|3", "3|4"]
        for k, term in enumerate(names):
            assert olr.params[k] == pytest.approx(ref[f"{name}:olr_coef:{r_term(term)}"], abs=1e-5)
            assert olr.bse[k] == pytest.approx(ref[f"{name}:olr_se:{r_term(term)}"], rel=1e-3)
        # the high-level model of the predictions: a level of 3 or more among activities taken part in
        patterns, ids = patterns_of(covariates(data))
        high = _svy_high(SimpleNamespace(X=patterns), ids, takes, (level >= 3).astype(int), design)
        for k, term in enumerate(high.names):
            assert high.params[k] == pytest.approx(ref[f"{name}:high_coef:{r_term(term)}"], abs=1e-6)
            assert high.bse[k] == pytest.approx(ref[f"{name}:high_se:{r_term(term)}"], rel=1e-3)


def test_pooled_model_of_one_activity_is_the_per_activity_model_on_calibrated_weights():
    data = design_data(seed=23)
    takes, level = wide(data)
    design = design_from_frame(data, ROLES, nest=True)
    cells = data.groupby(["stratum", "b"]).size().rename("Freq") * 25.0
    calibrated, _ = calibrated_design(design, data, Totals("poststratify", {("stratum", "b"): cells}))
    patterns, ids = patterns_of(covariates(data))
    one = ACTIVITIES[:1]
    logit, _, _ = _fit_cells(_pooled_cells(takes[:, :1], patterns, ids, one), "logit", calibrated)
    direct = svy_logit(patterns, ids, takes[:, 0], calibrated)
    np.testing.assert_allclose(logit.params, direct.params, atol=1e-10)
    np.testing.assert_allclose(logit.cov, direct.cov, rtol=1e-8)
    olr, _, _ = _fit_cells(_pooled_cells(level[:, :1], patterns, ids, one), "ordinal", calibrated)
    direct = svy_ordinal(patterns, ids, level[:, 0], calibrated, domain=takes[:, 0] == 1)
    np.testing.assert_allclose(olr.params, direct.params, atol=1e-8)
    np.testing.assert_allclose(olr.cov, direct.cov, rtol=1e-6)
    # the calibration changes the variance: not the same as the uncalibrated design's
    plain, _, _ = _fit_cells(_pooled_cells(takes[:, :1], patterns, ids, one), "logit", design)
    assert not np.allclose(plain.cov, logit.cov, rtol=1e-3)
