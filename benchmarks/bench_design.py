"""Benchmark of design-based estimation: weights, strata (the 34 provinces) and PSUs.

    python benchmarks/bench_design.py                  # N = 100k, 1M respondents
    python benchmarks/bench_design.py --sizes 10000

Synthetic respondents (scripts/chinhquyenso/synthetic.py, labelled synthetic) in the 34
provinces of resources/units/tinh_thanh_2025.yaml with its sampling design (100 PSUs per
province, unequal weights), cleaned as a run would. Measured in a fresh process per size: the
design built from the columns; every activity's share with SE and design effect, nationally and
in each province; the per-activity logit and ordinal models with design-based variance
(collapsed covariate patterns, PSU totals of scores); then the same weights post-stratified to
province × level (illustrative totals) with province shares and every logit again ("calib.").
Prints a table; measures, asserts nothing.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from child import ROOT, measure_sizes  # benchmarks/ is on sys.path when run as a script

CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])
import numpy as np, pandas as pd, yaml
from chinhquyenso.codebook import load_codebook
from chinhquyenso import models as M
from chinhquyenso.design import design_from_frame
from chinhquyenso.design.estimates import domain_means
from chinhquyenso.design.models import svy_logit, svy_ordinal
from chinhquyenso.models.threads import one_blas_thread
one_blas_thread().__enter__()  # as the model stage fits (the same digits; no thread contention)
t0 = time.perf_counter()
book = load_codebook(sys.argv[3])
clean = pd.read_parquet(sys.argv[2])
province = book.role("province")
cfg = yaml.safe_load(open(sys.argv[4], encoding="utf-8"))["models"]
cfg["covariates"][province]["reference"] = book[province].values[0]
spec = M.spec_from_config(cfg, {v.name: v.label for v in book.variables}, book.roles)
levels = {c.name: book[c.name].values for c in spec.covariates if c.type == "category"}
acts = book.activities
timings = {}
def timed(key, fn):
    t = time.perf_counter()
    out = fn()
    timings[key] = time.perf_counter() - t
    return out
roles = {"weight": "trong_so", "strata": province, "psu": "don_vi"}
design = timed("design_s", lambda: design_from_frame(clean, roles))
takes = np.column_stack([clean[acts.takes[a]].astype(float).to_numpy() for a in acts])
codes = pd.factorize(clean[province], sort=True)[0]
def shares():
    domain_means(takes, design)
    return domain_means(takes, design, codes)
timed("shares_s", shares)
patterns = timed("patterns_s", lambda: M.covariate_patterns(clean, spec, levels))
X, ids = patterns.design.X, patterns.ids
fits = timed("logit_s", lambda: [svy_logit(X, ids, takes[:, j], design) for j in range(len(acts))])
def ordinal():
    for j, a in enumerate(acts):
        level = clean[acts.level[a]].astype(float).to_numpy()
        svy_ordinal(X, ids, level, design, domain=takes[:, j] == 1)
timed("ordinal_s", ordinal)
# post-stratified to province x level totals (illustrative: the sample's weighted counts, +10%
# in every other cell): the variance then uses the calibration cells, respondent by respondent
from chinhquyenso.design.weighting import Totals, calibrated_design
cells = [province, book.role("admin_level")]
table = clean.groupby(cells, observed=True)["trong_so"].sum()
table = table * (1 + 0.1 * (np.arange(len(table)) % 2))
table.index = pd.MultiIndex.from_arrays([table.index.get_level_values(i).astype(str) for i in range(2)])
def calibrated():
    cal, _ = calibrated_design(design, clean, Totals("poststratify", {tuple(cells): table}))
    domain_means(takes, cal, codes)
    return [svy_logit(X, ids, takes[:, j], cal) for j in range(len(acts))]
timed("calibrated_s", calibrated)
timings["total_s"] = time.perf_counter() - t0
timings["psus"] = int(design.n_psu_total)
timings["converged"] = int(sum(f.converged for f in fits))
timings["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(timings))
"""


def make_synthetic(n: int, path: Path, codebook: Path) -> None:
    import numpy as np

    sys.path.insert(0, str(ROOT / "scripts"))
    from chinhquyenso.codebook import load_codebook
    from chinhquyenso.ingest import clean_survey
    from chinhquyenso.readers import RawSurvey
    from chinhquyenso.synthetic import DesignSpec, SyntheticSpec, generate

    book = load_codebook(codebook)
    d = DesignSpec(psu_per_stratum=100)
    raw = generate(book, SyntheticSpec(n=n, seed=n, design={"psu_per_stratum": 100}))
    design = raw[[d.weight_header, d.psu_header]]
    raw = raw.drop(columns=design.columns)
    clean = clean_survey(RawSurvey(raw, np.arange(2, n + 2), path.with_suffix(".csv"), "CSV"), book).clean
    assert len(clean) == n  # synthetic rows are all clean: the design columns line up
    at = clean["dong_nguon"].to_numpy() - 2
    clean["trong_so"] = design[d.weight_header].astype(float).to_numpy()[at]
    clean["don_vi"] = design[d.psu_header].to_numpy()[at]
    clean.to_parquet(path, index=False)


def make_apart(n: int, path: Path, codebook: Path) -> None:
    """make_synthetic in a process of its own: Linux keeps a process's peak memory across
    fork and exec, so data made here would count in the measured child's peak."""
    subprocess.run([sys.executable, __file__, "--make", str(n), str(path), str(codebook)], check=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--make", nargs=3, help=argparse.SUPPRESS)  # n, path, codebook: see make_apart
    args = parser.parse_args()
    if args.make:
        make_synthetic(int(args.make[0]), Path(args.make[1]), Path(args.make[2]))
        return 0
    sys.path.insert(0, str(ROOT / "scripts"))
    from make_synthetic_data import codebook_for_provinces

    keys = ("design_s", "shares_s", "patterns_s", "logit_s", "ordinal_s", "calibrated_s", "total_s")
    heads = ("design s", "shares s", "pattern s", "logit s", "ordinal s", "calib. s", "total s")
    print(f"{'N':>8} {'PSUs':>6} " + " ".join(f"{h:>9}" for h in heads) + f" {'conv.':>5} {'peak MB':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        codebook = codebook_for_provinces(
            ROOT / "resources/codebook.yaml",
            ROOT / "resources/units/tinh_thanh_2025.yaml",
            Path(tmp) / "codebook.yaml",
        )
        extra = [str(codebook), str(ROOT / "config.yaml")]
        for n, r in measure_sizes(
            args.sizes, ".parquet", lambda n, p: make_apart(n, p, codebook), CHILD, extra
        ):
            cells = " ".join(f"{r[k]:>9.1f}" for k in keys)
            print(f"{n:>8} {r['psus']:>6} {cells} {r['converged']:>5} {r['peak_rss_mb']:>8.0f}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
