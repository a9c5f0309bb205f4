"""Benchmark of the disclosure stage: the LP audit and secondary suppression over the overall
and every province's tables, at growing sample size with 34 provinces (many small cells when
the sample is small).

    python benchmarks/bench_disclosure.py                    # N = 1.000, 3.000, 10.000 × 34 provinces
    python benchmarks/bench_disclosure.py --sizes 2000 --min-cell 10

Synthetic respondents come from scripts/make_synthetic_data.py (labelled synthetic), cleaned
with the package; the tables are computed once, then protected. Prints a table; measures,
asserts nothing.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from chinhquyenso import tables  # noqa: E402
from chinhquyenso.codebook import load_codebook  # noqa: E402
from chinhquyenso.disclosure import protect_tables  # noqa: E402
from chinhquyenso.ingest import clean_survey  # noqa: E402
from chinhquyenso.readers import read_survey  # noqa: E402


def raw_tables(n: int, folder: Path) -> tuple[dict, object]:
    out = folder / f"n{n}"
    cmd = [sys.executable, "scripts/make_synthetic_data.py", "--n", str(n), "--out-dir", str(out)]
    cmd += ["--provinces", "resources/units/tinh_thanh_2025.yaml"]
    subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)
    book = load_codebook(out / "codebook.yaml")
    survey = next(p for p in out.iterdir() if p.suffix in (".csv", ".xlsx", ".sav"))
    clean = clean_survey(read_survey(survey), book).clean
    province = book.role("province")
    raw = {"": tables.compute_all(clean, book)}
    for name, part in clean.groupby(province, observed=True, sort=False):
        raw[str(name)] = tables.compute_all(part.reset_index(drop=True), book)
    return raw, book


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 3000, 10000])
    parser.add_argument("--min-cell", type=int, default=5)
    args = parser.parse_args()
    print("| N | tỉnh | ô đếm in | ô bị ẩn | chưa đủ | thời gian (s) |")
    print("| --- | --- | --- | --- | --- | --- |")
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            raw, book = raw_tables(n, Path(tmp))
            start = time.perf_counter()
            _, summary = protect_tables(raw, book, args.min_cell)
            seconds = time.perf_counter() - start
            total = summary[["so_o", "so_o_an", "chua_bao_ve_du"]].sum()
            print(
                f"| {n} | {len(raw) - 1} | {total.so_o} | {total.so_o_an} | {total.chua_bao_ve_du} "
                f"| {seconds:.1f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
