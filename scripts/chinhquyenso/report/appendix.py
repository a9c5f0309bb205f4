"""Appendices: the codebook (every variable) and reproducibility (versions, commit, hashes)."""

from __future__ import annotations

from pathlib import Path

TYPE_WORDS = {
    "id": "mã (thay bằng bí danh)",
    "identifier": "dữ liệu cá nhân (loại bỏ)",
    "datetime": "thời điểm",
    "integer": "số nguyên",
    "category": "phân loại",
    "boolean": "có/không",
    "ordinal": "thang {n} mức",
    "multiselect": "chọn nhiều",
}


def codebook_rows(book) -> list[dict]:
    """Appendix E: every variable, the header it is read from, its type and accepted values."""
    rows = []
    for var in book.variables:
        if var.type == "multiselect":
            values = "; ".join(o.categories[0].raw[0] for o in var.options)
        elif var.type == "integer" and var.range:
            values = f"{var.range[0]}–{var.range[1]}"
        elif var.categories:
            values = "; ".join(c.raw[0] for c in var.categories)
        else:
            values = ""
        rows.append(
            {
                "ten": var.name,
                "tieu_de": var.headers[0],
                "loai": TYPE_WORDS.get(var.type, var.type).format(n=len(var.categories)),
                "gia_tri": values,
                "dieu_kien": f"chỉ khi «{var.only_if}» là {book[var.only_if].answer(True)}"
                if var.only_if
                else "",
            }
        )
    return rows


def reproducibility(paths: dict[str, Path], root: Path) -> dict:
    """Appendix F: software versions, the commit, and SHA-256 of the inputs (a digest of
    results/manifest.json, which also covers every output)."""
    import platform

    from .. import manifest
    from ..system_check import pdf_libraries

    git = manifest.git_state(root)
    return {
        "python": platform.python_version(),
        "goi": [{"ten": name, "phien_ban": v} for name, v in manifest.package_versions().items()],
        "thu_vien_pdf": pdf_libraries(),
        "commit": git["commit"] or "không có (không phải kho git)",
        "sua_doi": bool(git["dirty"]),
        "tep": [
            {"ten": name, "duong_dan": str(path), "sha256": manifest.sha256(Path(path))}
            for name, path in paths.items()
        ],
    }


def disclosure_control(summary, min_cell: int, province: str | None, charts: dict[str, list[str]]) -> dict:
    """Appendix on disclosure control: the threshold and, per published table of this report
    (the whole sample's, or one province's), how many count cells were printed and hidden.
    ``charts``: table id -> the charts drawn from it (a table the report shows only as a chart)."""
    from ..vn_format import number

    part = summary[summary["pham_vi"].fillna("") == (province or "")]
    rows = [
        {
            "id": r.bang,
            "hinh": charts.get(r.bang, []),
            "tep": f"{r.bang}.csv",
            "so_o": number(int(r.so_o)),
            "so_o_an": number(int(r.so_o_an)),
        }
        for r in part.itertuples(index=False)
    ]
    return {
        "nguong": number(min_cell),
        "rows": rows,
        "tong_an": number(int(part["so_o_an"].sum())),
        "chua_du": number(int(part["chua_bao_ve_du"].sum())),
        "co_chua_du": bool(part["chua_bao_ve_du"].sum()),
        "so_bao_cao_tinh": number(summary["pham_vi"].dropna().loc[lambda s: s != ""].nunique()),
    }
