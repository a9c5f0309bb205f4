"""The closing summary of a successful run: where the reports are, the warnings that matter.

The warnings are read from the run's own outputs, when they are there (a run can leave a stage
out: no document extracts, no reproduction check): the files and columns below are the
workflow's (workflow/rules/*.smk; their writers in scripts/chinhquyenso name the statuses).
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from . import vn

REPORT_KINDS = {".pdf": "PDF", ".docx": "Word", ".xlsx": "Excel"}
PROVINCE_MARK = "_tinh_"  # results/report/<name>_tinh_<slug>.<ext> (workflow/rules/common.smk)

REPRODUCTION = "results/reproduction/doi_chieu.csv"
EXTRACTS = "results/documents/trich_xuat_kiem_chung.csv"
MODELS = ("results/models/theo_hoat_dong.csv", "results/models/gop_va_chi_so.csv")
MODELS_SUMMARY = "results/models/tom_tat.json"
DISCLOSURE = "results/tables/kiem_soat_cong_bo.csv"
MATCH = "khớp"  # chinhquyenso.reproduction.KHOP
VERIFIED = "đã kiểm chứng"  # chinhquyenso.documents.VERIFIED
NOT_ESTIMATED = "không ước lượng được"  # chinhquyenso.models.estimable.NOT_ESTIMATED


def _rows(root: Path, name: str) -> list[dict] | None:
    try:
        with open(root / name, encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh))
    except (OSError, UnicodeDecodeError, csv.Error):
        return None


def _int(text: str | None) -> int:
    try:
        return int(float(text or 0))
    except ValueError:
        return 0


def _by_kind(paths: set[str]) -> list[str]:
    """PDF first, then Word, then Excel; by name within a kind."""
    order = list(REPORT_KINDS)
    return sorted(paths, key=lambda p: (order.index(Path(p).suffix), p))


def report_lines(made: Iterable[str], root: Path) -> list[str]:
    """Where each report is: the reports made by this run (else those already there), the
    per-province ones counted by kind, not listed one by one."""
    files = _by_kind({p for p in made if Path(p).suffix in REPORT_KINDS})
    heading = "Báo cáo:"
    if not files:
        there = (root / "results/report").glob("*")
        files = _by_kind({str(p.relative_to(root)) for p in there if p.suffix in REPORT_KINDS})
        heading = "Báo cáo (đã có từ trước):"
    if not files:
        return []
    main = [f for f in files if PROVINCE_MARK not in Path(f).name]
    per_province = [f for f in files if PROVINCE_MARK in Path(f).name]
    lines = [heading]
    width = max(len(k) for k in REPORT_KINDS.values())
    lines += [f"  {REPORT_KINDS[Path(f).suffix]:<{width}}  {f}" for f in main]
    if per_province:
        kinds = Counter(REPORT_KINDS[Path(f).suffix] for f in per_province)
        counted = ", ".join(f"{vn.integer(n)} {k}" for k, n in kinds.items())
        folder = Path(per_province[0]).parent.as_posix()
        lines.append(f"  Từng tỉnh: {counted} trong {folder}/ (tên có «{PROVINCE_MARK.strip('_')}»)")
    return lines


def _reproduction(root: Path) -> list[str]:
    rows = _rows(root, REPRODUCTION)
    if rows is None:
        return []
    off = Counter(r.get("trang_thai", "") for r in rows if r.get("trang_thai") != MATCH)
    if not off:
        return []
    kinds = "; ".join(f"{vn.integer(n)} «{status}»" for status, n in off.most_common())
    return [f"Đối chiếu với số liệu đã công bố: {kinds} ({REPRODUCTION})"]


def _extracts(root: Path) -> list[str]:
    rows = _rows(root, EXTRACTS)
    if rows is None:
        return []
    unchecked = sum(r.get("trang_thai") != VERIFIED for r in rows)
    if not unchecked:
        return []
    share = f"{vn.integer(unchecked)}/{vn.integer(len(rows))}"
    return [f"{share} số liệu trích từ tài liệu chưa kiểm chứng ({EXTRACTS})"]


def _models(root: Path) -> list[str]:
    out = []
    for name in MODELS:
        rows = _rows(root, name) or []
        left_out = {
            (r.get("mo_hinh"), r.get("hoat_dong")) for r in rows if NOT_ESTIMATED in r.get("tinh_trang", "")
        }
        if left_out:
            out.append(f"{vn.integer(len(left_out))} mô hình không ước lượng được ({name}, cột tinh_trang)")
    try:
        summary = json.loads((root / MODELS_SUMMARY).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return out
    if summary.get("bo_phan_tich"):
        out.append(f"Không ước lượng mô hình nào: {summary['bo_phan_tich']} ({MODELS_SUMMARY})")
    if summary.get("khong_hoi_tu"):
        out.append(f"{vn.integer(len(summary['khong_hoi_tu']))} mô hình không hội tụ ({MODELS_SUMMARY})")
    return out


def _disclosure(root: Path) -> list[str]:
    rows = _rows(root, DISCLOSURE)
    if rows is None:
        return []
    hidden = sum(_int(r.get("so_o_an")) for r in rows)
    weak = sum(_int(r.get("chua_bao_ve_du")) for r in rows)
    out = []
    if hidden:
        out.append(f"{vn.integer(hidden)} ô bảng được ẩn vì quá ít người trả lời ({DISCLOSURE})")
    if weak:
        out.append(f"{vn.integer(weak)} ô CHƯA được bảo vệ đủ: xem cột chua_bao_ve_du ({DISCLOSURE})")
    return out


def warning_lines(root: Path, snakemake_warnings: int = 0) -> list[str]:
    found = [*_reproduction(root), *_extracts(root), *_models(root), *_disclosure(root)]
    if snakemake_warnings:
        found.append(
            f"Snakemake có {vn.integer(snakemake_warnings)} cảnh báo (tiếng Anh) trong nhật ký đầy đủ"
        )
    return ["Cần lưu ý:", *(f"  - {w}" for w in found)] if found else []
