"""Build the messy Excel export of the demo survey (the workflow's default input).

    python scripts/make_messy_export.py     # rewrites resources/survey/khao_sat_2023_xuat_tho.xlsx

Reads the clean demo CSV and adds the defects real exports carry, as chosen in
resources/demo/xuat_tho.yaml (see chinhquyenso.messy_export).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import yaml  # noqa: E402

from chinhquyenso.codebook import load_codebook  # noqa: E402
from chinhquyenso.messy_export import make_messy, write_xlsx  # noqa: E402
from chinhquyenso.readers import read_survey  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--codebook", default=ROOT / "resources/codebook.yaml", type=Path)
    parser.add_argument("--demo", default=ROOT / "resources/demo/khao_sat_2023_demo.csv", type=Path)
    parser.add_argument("--choices", default=ROOT / "resources/demo/xuat_tho.yaml", type=Path)
    parser.add_argument("--out", default=ROOT / "resources/survey/khao_sat_2023_xuat_tho.xlsx", type=Path)
    args = parser.parse_args(argv)
    choices = yaml.safe_load(args.choices.read_text(encoding="utf-8"))
    frame = make_messy(read_survey(args.demo).frame, load_codebook(args.codebook), choices)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    write_xlsx(frame, args.out, choices["sheet"], choices["document_date"])
    print(f"{args.out}: {len(frame)} dòng, {len(frame.columns)} cột")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
