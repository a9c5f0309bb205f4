"""Benchmark of the clean stage: read + map + validate + clean, at growing N.

    python benchmarks/bench_ingest.py                 # N = 10k, 100k, 1M
    python benchmarks/bench_ingest.py --sizes 10000   # one size

Synthetic respondents are drawn from the 360 demo rows question by question (each question, or
linked pair such as participation and level, or age and tenure, resampled on its own, so rows
are distinct), with new IDs labelled synthetic ("SYN-...") and timestamps, written as UTF-8 CSV;
each size is then cleaned in a fresh process so that peak memory (ru_maxrss of that child)
belongs to that size alone. Prints a table; measures, asserts nothing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from child import ROOT, measure_sizes  # benchmarks/ is on sys.path when run as a script

sys.path.insert(0, str(ROOT / "scripts"))

CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])
t0 = time.perf_counter()
from chinhquyenso.codebook import load_codebook
from chinhquyenso.ingest import clean_survey
from chinhquyenso.readers import read_survey
from chinhquyenso.schema import clean_schema
t_import = time.perf_counter()
codebook = load_codebook(sys.argv[3])
raw = read_survey(sys.argv[2])
t_read = time.perf_counter()
result = clean_survey(raw, codebook)
t_clean = time.perf_counter()
clean_schema(codebook).validate(result.clean)
t_valid = time.perf_counter()
print(json.dumps({
    "rows": len(result.clean), "import_s": t_import - t0, "read_s": t_read - t_import,
    "map_check_clean_s": t_clean - t_read, "pandera_s": t_valid - t_clean, "total_s": t_valid - t0,
    "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
"""


def make_synthetic(n: int, path: Path) -> None:
    import numpy as np
    import pandas as pd

    from chinhquyenso.readers import read_survey

    demo = read_survey(ROOT / "resources/demo/khao_sat_2023_demo.csv").frame
    rng = np.random.default_rng(n)
    groups: dict[str, list[str]] = {}
    for col in demo.columns:  # link the columns that must agree within a row
        key = col.split("[")[-1] if "[" in col else col
        if col in ("Tuổi", "Thâm niên công tác (năm)"):
            key = "tuoi-tham-nien"
        groups.setdefault(key, []).append(col)
    frame = pd.concat(
        [demo[cols].iloc[rng.integers(0, len(demo), n)].reset_index(drop=True) for cols in groups.values()],
        axis=1,
    )[list(demo.columns)]
    frame["Mã phiếu"] = [f"SYN-{i:07d}" for i in range(1, n + 1)]
    # distinct timestamps so no two synthetic rows are identical submissions
    start = pd.Timestamp("2023-07-03 07:30:00")
    stamps = start + pd.to_timedelta(np.arange(n) * 7, unit="s")
    frame["Dấu thời gian"] = stamps.strftime("%d/%m/%Y %H:%M:%S")
    frame.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    args = parser.parse_args()
    print(f"{'N':>10} {'read s':>8} {'clean s':>8} {'pandera s':>9} {'total s':>8} {'peak MB':>8}")
    for n, r in measure_sizes(
        args.sizes, ".csv", make_synthetic, CHILD, [str(ROOT / "resources/codebook.yaml")]
    ):
        print(
            f"{n:>10} {r['read_s']:>8.1f} {r['map_check_clean_s']:>8.1f} {r['pandera_s']:>9.1f} "
            f"{r['total_s']:>8.1f} {r['peak_rss_mb']:>8.0f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
