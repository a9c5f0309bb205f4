"""Draft next year's codebook from a new survey export (or form definition) and last year's codebook.

    python scripts/draft_codebook.py --export resources/survey/khao_sat_2026.xlsx \\
        --reference resources/codebook.yaml --out resources/codebook_2026.yaml

``--form bang_hoi.xlsx`` instead of ``--export``: the Kobo/ODK form definition (XLSForm),
read with pyxform (``chinhquyenso.draft.xlsform``), before any answer has come in.

Writes the draft codebook (OUT) and a Vietnamese change report next to it
(``codebook_2026.thay_doi.md``) listing every decision, the ones to confirm first. Every path
must lie inside the project folder. Exit code 1, with a Vietnamese message, when refused.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))


def report_path(out: Path) -> Path:
    """``codebook_2026.yaml`` -> ``codebook_2026.thay_doi.md`` in the same folder."""
    return out.with_name(out.stem + ".thay_doi.md")


def _refusals(args: argparse.Namespace, root: Path) -> list[str]:
    from chinhquyenso.config_check import path_refusal

    problems = []
    flags = (
        ("--export", args.export),
        ("--form", args.form),
        ("--reference", args.reference),
        ("--out", args.out),
    )
    for flag, value in flags:
        if value is None:
            continue
        refusal = path_refusal(value, root)
        if refusal and flag == "--out":
            problems.append(
                f"--out: «{value}» nằm ngoài thư mục dự án {root}; chỉ ghi bản nháp vào trong dự án"
            )
        elif refusal:
            problems.append(f"{flag}: {refusal}")
        elif flag != "--out" and not (root / value).is_file():
            problems.append(f"{flag}: không tìm thấy tệp «{value}»")
    if args.out is not None and Path(args.out).suffix.lower() not in (".yaml", ".yml"):
        problems.append(f"--out: «{args.out}» phải là tệp .yaml")
    return problems


def run(args: argparse.Namespace, root: Path = ROOT) -> int:
    from chinhquyenso.draft.build import draft_codebook
    from chinhquyenso.draft.evidence import from_export
    from chinhquyenso.draft.xlsform import from_xlsform
    from chinhquyenso.problems import SurveyValidationError
    from chinhquyenso.readers import read_survey

    problems = _refusals(args, root)
    if problems:
        print("Không lập bản nháp sổ mã:\n  - " + "\n  - ".join(problems), file=sys.stderr)
        return 1
    source, reference, out = (root / (args.export or args.form), root / args.reference, root / args.out)
    try:
        notes: list[str] = []
        if args.form:
            columns = from_xlsform(source, reference=reference, report=notes)
        else:
            columns = from_export(read_survey(source))
        draft = draft_codebook(columns, reference, source.name)
        draft.notes.extend(notes)
        out.parent.mkdir(parents=True, exist_ok=True)
        draft.write(out, report_path(out))
    except SurveyValidationError as err:
        lines = "\n  - ".join(str(p) for p in err.problems)
        print(f"Không đọc được tệp xuất «{args.export}»:\n  - {lines}", file=sys.stderr)
        return 1
    except (ValueError, OSError) as err:
        print(f"Không lập bản nháp sổ mã: {err}", file=sys.stderr)
        return 1
    except Exception as err:  # a fault of the command itself: said, not a traceback
        print(
            f"Không lập bản nháp sổ mã: lỗi chương trình ({type(err).__name__}: {err}); "
            "hãy báo lỗi kèm tệp xuất",
            file=sys.stderr,
        )
        return 1
    confirm = sum(len(set(lines)) for lines in draft.comments.values())
    print(f"Đã viết {args.out} và {report_path(Path(args.out))} ({confirm} chỗ cần XÁC NHẬN).")
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--export", type=Path, help="tệp xuất khảo sát mới (CSV, XLSX, SAV)")
    source.add_argument("--form", type=Path, help="biểu mẫu Kobo/ODK (XLSForm .xlsx) của đợt khảo sát mới")
    p.add_argument("--reference", type=Path, required=True, help="sổ mã năm trước (YAML)")
    p.add_argument("--out", type=Path, required=True, help="bản nháp sổ mã sẽ viết (YAML)")
    return p


def main(argv: list[str] | None = None) -> int:
    return run(parser().parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
