"""Write a synthetic survey export (labelled synthetic) for tests and benchmarks.

    # the second wave the tests compare with 2023 (committed; a test regenerates it byte for byte)
    python scripts/make_synthetic_data.py --spec tests/fixtures/dot_2026/gia_lap.yaml

    # national size: 1M respondents in the 34 provinces, with a codebook listing them
    python scripts/make_synthetic_data.py --n 1000000 --provinces resources/units/tinh_thanh_2025.yaml \\
        --out-dir results/synthetic/n1000000_p34

    # the same with a sampling design: strata = provinces, 100 PSUs each, unequal weights
    python scripts/make_synthetic_data.py --n 1000000 --provinces resources/units/tinh_thanh_2025.yaml \
        --design --out-dir results/synthetic/n1000000_p34_thiet_ke

Not a workflow rule: the output is an input of a run (config `survey.path`). The model is in
scripts/chinhquyenso/synthetic.py; `--spec` is a YAML file of SyntheticSpec fields plus
`codebook` and `out`, so that a fixture documents how it was made; its optional `design:` holds
DesignSpec fields (synthetic.py), which `--design` sets to their defaults (100 PSUs per stratum).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import yaml

from chinhquyenso.codebook import load_codebook
from chinhquyenso.synthetic import SyntheticSpec, design_codebook, generate, write

README = """# DỮ LIỆU GIẢ LẬP – synthetic data

Made by `scripts/make_synthetic_data.py` ({args}). Drawn from a stated model
(scripts/chinhquyenso/synthetic.py); it describes no real person and reproduces no published
figure. Respondent IDs start with "{prefix}".
"""


def codebook_for_provinces(codebook: Path, provinces: Path, out: Path) -> Path:
    """A copy of ``codebook`` whose province variable (``roles.province``) lists ``provinces``."""
    doc = yaml.safe_load(codebook.read_text(encoding="utf-8"))
    units = yaml.safe_load(provinces.read_text(encoding="utf-8"))["provinces"]
    province = next(v for v in doc["variables"] if v["name"] == doc["roles"]["province"])
    province["categories"] = [{"value": u["name"], "raw": [u["name"]]} for u in units]
    doc.pop("crosswalk", None)  # already the new units
    out.write_text(
        "# DỮ LIỆU GIẢ LẬP: codebook of a synthetic file, made by scripts/make_synthetic_data.py\n"
        + yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=120),
        encoding="utf-8",
    )
    return out


def codebook_with_design(codebook: Path, options: dict, out: Path) -> Path:
    """A copy of ``codebook`` declaring the design columns (synthetic.design_codebook)."""
    doc = design_codebook(yaml.safe_load(codebook.read_text(encoding="utf-8")), options)
    out.write_text(
        "# DỮ LIỆU GIẢ LẬP: codebook of a synthetic file with a sampling design, made by "
        "scripts/make_synthetic_data.py\n"
        + yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=120),
        encoding="utf-8",
    )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spec", type=Path, help="YAML: SyntheticSpec fields, codebook, out")
    parser.add_argument("--n", type=int, help="respondents (overrides the spec)")
    parser.add_argument("--seed", type=int)
    parser.add_argument("--codebook", type=Path, help="default: resources/codebook.yaml")
    parser.add_argument("--provinces", type=Path, help="YAML list of provinces to draw from")
    parser.add_argument("--design", action="store_true", help="add strata, PSUs and unequal weights")
    parser.add_argument("--psu-per-stratum", type=int, default=100, help="with --design (default 100)")
    parser.add_argument("--out-dir", type=Path, help="writes khao_sat.csv (+ codebook.yaml, README.md)")
    args = parser.parse_args(argv)

    fields = {}
    codebook, out = ROOT / "resources/codebook.yaml", None
    if args.spec:
        fields = yaml.safe_load(args.spec.read_text(encoding="utf-8"))
        codebook = ROOT / fields.pop("codebook", codebook)
        out = ROOT / fields.pop("out") if "out" in fields else None
    if args.codebook:
        codebook = args.codebook
    if args.n is not None:
        fields["n"] = args.n
    if args.seed is not None:
        fields["seed"] = args.seed
    if args.design:
        fields["design"] = {"psu_per_stratum": args.psu_per_stratum, **(fields.get("design") or {})}
    if args.out_dir:
        args.out_dir.mkdir(parents=True, exist_ok=True)
        out = args.out_dir / "khao_sat.csv"
        if args.provinces:
            codebook = codebook_for_provinces(codebook, args.provinces, args.out_dir / "codebook.yaml")
        if args.design:  # its codebook declares the design columns (roles weight, strata, psu)
            codebook = codebook_with_design(codebook, fields["design"], args.out_dir / "codebook.yaml")
        call = " ".join(["python scripts/make_synthetic_data.py", *(argv or sys.argv[1:])])
        (args.out_dir / "README.md").write_text(
            README.format(args=call, prefix=fields.get("id_prefix", "SYN")), encoding="utf-8"
        )
    if out is None or "n" not in fields:
        parser.error("cần --spec (có n và out) hoặc --n và --out-dir")
    book, spec = load_codebook(codebook), SyntheticSpec(**fields)
    frame = generate(book, spec)
    write(frame, out, book, spec)
    print(f"{out}: {len(frame)} dòng, {len(frame.columns)} cột (codebook {codebook})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
