"""Convergence judged on the point reached (the score per unit of weight), not on the
optimiser's message; and the same flags and bytes whether the modelling stage runs under
Snakemake (one BLAS thread, set by Snakemake) or is called directly."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from chinhquyenso import models as M
from chinhquyenso.models.threads import one_blas_thread
from conftest import CODEBOOK, ROOT

OUTPUTS = ("per_activity", "pooled", "brant", "bivariate", "predictions")
SNAKEMAKE = str(Path(sys.executable).with_name("snakemake"))
SNAKEFILE = """
rule fit_models:
    input:
        table="khao_sat.parquet",
        codebook=config["codebook"],
    output:
        **{{k: f"out/{{k}}.csv" for k in {outputs!r}}},
        summary="out/tom_tat.json",
    log:
        "out/fit_models.log",
    threads: 1
    params:
        models=config["models"],
        min_cell=5,
    script:
        {script!r}
"""


def test_a_fit_bfgs_leaves_at_its_precision_limit_is_polished_and_converged():
    """10^5 rows with frequency weights: BFGS stops on "precision loss" at a gradient tiny per
    row; Newton steps take the score to rounding, and the criterion says converged."""
    rng = np.random.default_rng(5)
    n = 100_000
    X = pd.DataFrame({"a": rng.integers(0, 2, n).astype(float), "t": rng.integers(1, 17, n).astype(float)})
    y = 1 + np.searchsorted([-1.0, 0.5, 2.0], X.to_numpy() @ [0.4, 0.08] + rng.logistic(size=n))
    pattern = pd.factorize(pd.MultiIndex.from_frame(X))[0]
    Xc, yc, w = M.collapse(X.drop_duplicates().reset_index(drop=True), y, pattern)
    res, _, ok = M.fit_ordinal(yc, Xc, w)
    score = res.model.score(np.asarray(res.params))
    assert ok and np.abs(score).max() / w.sum() < 1e-10
    assert M.fitting.converged(score, w.sum())
    assert not M.fitting.converged(score + 1e-3 * w.sum(), w.sum())  # a real gradient is not


def test_one_blas_thread_inside_and_as_before_after():
    from threadpoolctl import threadpool_info

    before = [i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"]
    with one_blas_thread():
        inside = [i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"]
    assert inside and set(inside) == {1}  # numpy's and scipy's BLAS found and set
    assert [i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"] == before


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    """A synthetic survey of 30 000 respondents, cleaned: big enough for BFGS's precision loss."""
    from chinhquyenso.codebook import load_codebook
    from chinhquyenso.ingest import clean_survey
    from chinhquyenso.readers import read_survey
    from chinhquyenso.synthetic import SyntheticSpec, generate, write_csv

    work = tmp_path_factory.mktemp("hoi_tu")
    book = load_codebook(CODEBOOK)
    write_csv(generate(book, SyntheticSpec(n=30_000, seed=11)), work / "raw.csv")
    clean_survey(read_survey(work / "raw.csv"), book).clean.to_parquet(work / "khao_sat.parquet", index=False)
    return work


@pytest.mark.integration
def test_same_flags_and_bytes_under_snakemake_and_called_directly(synthetic, tmp_path):
    models = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))["models"]
    direct = {k: tmp_path / f"{k}.csv" for k in OUTPUTS} | {"summary": tmp_path / "tom_tat.json"}
    M.write_stage(synthetic / "khao_sat.parquet", CODEBOOK, models, direct, 5)  # this process's threads
    (synthetic / "Snakefile").write_text(
        SNAKEFILE.format(outputs=OUTPUTS, script=str(ROOT / "scripts/fit_models.py")), encoding="utf-8"
    )
    (synthetic / "config.yaml").write_text(
        yaml.safe_dump({"codebook": str(CODEBOOK), "models": models}, allow_unicode=True, sort_keys=False),
        encoding="utf-8",
    )
    run = subprocess.run(
        [SNAKEMAKE, "--cores", "2", "-F", "--configfile", "config.yaml"],
        cwd=synthetic,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr[-4000:]
    for key, path in direct.items():
        under = synthetic / "out" / path.name
        assert under.read_bytes() == path.read_bytes(), key
    summary = json.loads(direct["summary"].read_text(encoding="utf-8"))
    assert summary["khong_hoi_tu"] == []
