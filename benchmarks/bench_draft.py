"""Benchmark of the draft codebook (`make codebook-draft`) on a large export.

    python benchmarks/bench_draft.py                  # N = 1M (the issue's target: ≤ 60 s, ≤ 3 GB)
    python benchmarks/bench_draft.py --sizes 10000    # one size

The export is drawn by the synthetic generator (chinhquyenso.synthetic, IDs "SYN…") from the
shortened next-year fixture's form (tests/fixtures/bang_hoi_2026_rut_gon/codebook.yaml), written
as UTF-8 CSV; the draft is made from it and last year's codebook (resources/codebook.yaml) in a
fresh process per size, so that peak memory (ru_maxrss of that child) is that size's own.
Prints a table; measures, asserts nothing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from child import ROOT, measure_sizes  # benchmarks/ is on sys.path when run as a script

sys.path.insert(0, str(ROOT / "scripts"))
FORM = ROOT / "tests/fixtures/bang_hoi_2026_rut_gon/codebook.yaml"

CHILD = r"""
import json, resource, sys, tempfile, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
t0 = time.perf_counter()
from chinhquyenso.draft.build import draft_codebook
from chinhquyenso.draft.evidence import from_export
from chinhquyenso.readers import read_survey
t_import = time.perf_counter()
raw = read_survey(sys.argv[2])
t_read = time.perf_counter()
columns = from_export(raw)
t_count = time.perf_counter()
draft = draft_codebook(columns, Path(sys.argv[3]), Path(sys.argv[2]).name)
with tempfile.TemporaryDirectory() as tmp:
    draft.write(Path(tmp) / "codebook_nhap.yaml", Path(tmp) / "codebook_nhap.thay_doi.md")
t_draft = time.perf_counter()
print(json.dumps({
    "rows": len(raw.frame), "columns": len(columns), "read_s": t_read - t_import,
    "count_s": t_count - t_read, "draft_s": t_draft - t_count, "total_s": t_draft - t0,
    "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
"""


GENERATE = r"""
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from chinhquyenso.codebook import load_codebook
from chinhquyenso.synthetic import SyntheticSpec, generate, write
book = load_codebook(sys.argv[2])
spec = SyntheticSpec(n=int(sys.argv[3]), seed=int(sys.argv[3]), id_prefix="SYNBENCH")
write(generate(book, spec), Path(sys.argv[4]), book, spec)
"""


def make_synthetic(n: int, path: Path) -> None:
    """Drawn in its own process: Linux keeps a process's peak memory across fork and exec, so
    a benchmark parent that drew a million rows would lend its peak to the measured child."""
    import subprocess

    args = [str(ROOT / "scripts"), str(FORM), str(n), str(path)]
    subprocess.run([sys.executable, "-c", GENERATE, *args], check=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000])
    args = parser.parse_args()
    print(f"{'N':>10} {'cols':>5} {'read s':>7} {'count s':>8} {'draft s':>8} {'total s':>8} {'peak MB':>8}")
    for n, r in measure_sizes(
        args.sizes, ".csv", make_synthetic, CHILD, [str(ROOT / "resources/codebook.yaml")]
    ):
        print(
            f"{n:>10} {r['columns']:>5} {r['read_s']:>7.1f} {r['count_s']:>8.1f} {r['draft_s']:>8.1f} "
            f"{r['total_s']:>8.1f} {r['peak_rss_mb']:>8.0f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
