"""Benchmark of the modelling stage: every model, check and prediction at growing N.

    python benchmarks/bench_models.py                  # N = 10k, 100k, 1M respondents
    python benchmarks/bench_models.py --sizes 10000

Synthetic respondents are the demo's clean rows resampled question by question (so that rows
differ), labelled synthetic; each size runs in a fresh process so that its peak memory is its
own. Prints a table; measures, asserts nothing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from child import ROOT, measure_sizes  # benchmarks/ is on sys.path when run as a script

CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])
import pandas as pd
from chinhquyenso.codebook import load_codebook
from chinhquyenso import models as M
import yaml
t0 = time.perf_counter()
book = load_codebook(sys.argv[3])
clean = pd.read_parquet(sys.argv[2])
cfg = yaml.safe_load(open(sys.argv[4], encoding="utf-8"))["models"]
spec = M.spec_from_config(cfg, {v.name: v.label for v in book.variables}, book.roles)
levels = {c.name: book[c.name].values for c in spec.covariates if c.type == "category"}
acts = book.activities
timings = {}
def timed(key, fn):
    t = time.perf_counter()
    out = fn()
    timings[key] = time.perf_counter() - t
    return out
patterns = timed("patterns_s", lambda: M.covariate_patterns(clean, spec, levels))
timed("per_activity_s", lambda: M.per_activity(clean, acts, spec, levels, patterns))
timed("pooled_s", lambda: M.pooled(clean, acts, spec, levels, patterns))
res = timed("indices_s", lambda: M.indices(clean, acts, spec, levels, patterns))
timed("brant_s", lambda: M.brant_all(clean, acts, spec, levels, patterns))
timed("bivariate_s", lambda: M.bivariate(clean, acts, book.roles))
timed("predictions_s", lambda: M.predictions(clean, acts, spec, levels, res[1], patterns))
timings["total_s"] = time.perf_counter() - t0
timings["patterns"] = int(len(patterns.design.X))
timings["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(timings))
"""


def make_synthetic(n: int, path: Path) -> None:
    import numpy as np
    import pandas as pd

    sys.path.insert(0, str(ROOT / "scripts"))
    from chinhquyenso.codebook import load_codebook
    from chinhquyenso.ingest import clean_survey
    from chinhquyenso.readers import read_survey

    clean = clean_survey(
        read_survey(ROOT / "resources/demo/khao_sat_2023_demo.csv"),
        load_codebook(ROOT / "resources/codebook.yaml"),
    ).clean
    rng = np.random.default_rng(n)
    groups: dict[str, list[str]] = {}
    for col in clean.columns:
        key = col.split("_")[-1] if col.startswith(("tham_gia_hd", "muc_do_hd")) else col
        key = "tuoi-tham-nien" if col in ("tuoi", "tham_nien") else key
        groups.setdefault(key, []).append(col)
    frame = pd.concat(
        [clean[c].iloc[rng.integers(0, len(clean), n)].reset_index(drop=True) for c in groups.values()],
        axis=1,
    )[list(clean.columns)]
    frame["ma_phieu"] = [f"SYN-{i:07d}" for i in range(n)]
    frame.to_parquet(path, index=False)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    args = parser.parse_args()
    keys = (
        "patterns_s",
        "per_activity_s",
        "pooled_s",
        "indices_s",
        "brant_s",
        "bivariate_s",
        "predictions_s",
        "total_s",
    )
    heads = ("pattern s", "per-act s", "pooled s", "indices s", "brant s", "bivar. s", "predict s", "total s")
    print(f"{'N':>8} {'patterns':>8} " + " ".join(f"{h:>9}" for h in heads) + f" {'peak MB':>8}")
    extra = [str(ROOT / "resources/codebook.yaml"), str(ROOT / "config.yaml")]
    for n, r in measure_sizes(args.sizes, ".parquet", make_synthetic, CHILD, extra):
        cells = [r[k] for k in keys]
        print(
            f"{n:>8} {r['patterns']:>8} "
            + " ".join(f"{c:>9.1f}" for c in cells)
            + f" {r['peak_rss_mb']:>8.0f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
