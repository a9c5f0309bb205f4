"""Rebuild the illustrative demo survey file from the published aggregates.

    python scripts/make_demo_data.py            # rewrites resources/demo/khao_sat_2023_demo.csv

Not a workflow rule: the demo file is an input of the workflow and is committed; a test checks
that this script regenerates it byte for byte.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from chinhquyenso.codebook import load_codebook
from chinhquyenso.demo_data import generate, load_assumptions, write_export
from chinhquyenso.published import load_published


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--codebook", default=ROOT / "resources/codebook.yaml", type=Path)
    parser.add_argument("--published", default=ROOT / "resources/published/published_figures.yaml", type=Path)
    parser.add_argument("--assumptions", default=ROOT / "resources/demo/gia_dinh_tai_tao.yaml", type=Path)
    parser.add_argument("--out", default=ROOT / "resources/demo/khao_sat_2023_demo.csv", type=Path)
    args = parser.parse_args(argv)
    codebook = load_codebook(args.codebook)
    frame = generate(load_published(args.published, codebook), codebook, load_assumptions(args.assumptions))
    write_export(frame, args.out)
    print(f"{args.out}: {len(frame)} dòng, {len(frame.columns)} cột")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
