"""Context of the documents section and appendix: extracts with provenance, DTI, conflicts."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from ..vn_format import number, slug
from .render import image_src
from .vn_text import count

# How a conflict was settled (documents.choose_values), as the reader is told it.
CHOICE_WORDS = {
    "nguồn ưu tiên trong cấu hình": "nguồn được ưu tiên",
    "trích xuất đầu tiên (chưa cấu hình nguồn ưu tiên)": "trích xuất đầu tiên, khi chưa chọn nguồn ưu tiên",
}


def checking_sentence(n_checked: int, n_verified: int, period: str = "") -> str:
    """How many extracts were checked against their source text, with 0, some and all said
    properly ("chưa có số liệu nào được kiểm chứng tự động", "cả 55 số liệu ...")."""
    scope = "trích từ tài liệu về các địa phương này và toàn quốc" + (f" (kỳ {period})" if period else "")
    unchecked = n_checked - n_verified
    why = "vì văn bản nguồn không có trong dự án; các số liệu này được đánh dấu *"
    if n_verified == 0:
        return (
            f"Trong {count(n_checked, 'số liệu')} {scope}, chưa có số liệu nào được kiểm chứng tự động {why}."
        )
    done = "cả " + number(n_verified) if unchecked == 0 else number(n_verified)
    text = (
        f"Trong {count(n_checked, 'số liệu')} {scope}, {done} số liệu đã được kiểm chứng tự động "
        "(câu trích có trong văn bản nguồn và cho đúng con số)"
    )
    return text + (f"; {number(unchecked)} số liệu còn lại chưa được kiểm chứng {why}." if unchecked else ".")


def _extract_value(row, unit: str) -> str:
    """'hơn 2.000 cán bộ', '85,45%', '1.352/1.886 thủ tục', 'thứ 2' — as the reader expects."""
    value = Decimal(str(row["gia_tri"]))
    decimals = max(0, -value.normalize().as_tuple().exponent)
    text = number(value, decimals)
    if str(row.get("mau_so", "") or "") not in ("", "nan"):
        text += "/" + number(Decimal(str(row["mau_so"])), 0)
    if unit == "%":
        text += "%"
    elif unit and not unit.startswith("hạng"):
        text += f" {unit}"
    qualifier = str(row.get("dinh_luong", "") or "")
    return f"{qualifier} {text}" if qualifier and qualifier != "nan" else text


class _Notes:
    """Numbered source notes of one table: [1], [2], ... in order of first use."""

    def __init__(self, sources: dict):
        self.sources = sources
        self.order: dict[str, list[str]] = {}

    def mark(self, source: str, locator: str) -> int:
        locators = self.order.setdefault(source, [])
        if locator not in locators:
            locators.append(locator)
        return list(self.order).index(source) + 1

    def lines(self) -> list[str]:
        return [
            f"[{i}] {self.sources[s].citation} Vị trí: {'; '.join(locs)}."
            for i, (s, locs) in enumerate(self.order.items(), start=1)
        ]


def documents_context(
    *,
    checked,
    chosen,
    conflicts,
    dti,
    sources,
    indicators,
    provinces,
    dti_period,
    figure: Path | None,
    prefer: list[str],
    only: list[str] | None = None,
    periods: list[str] | None = None,
    names: dict[str, str] | None = None,
) -> dict:
    """The documents section: DTI ranks of ``dti_period`` and the context figures of this
    wave's ``provinces`` (and the national ones), limited to ``periods`` when given."""
    from ..documents import VERIFIED

    names = names or {}  # province value -> the label the reader sees (codebook ``label:``)

    def shown(prov: str) -> str:
        return names.get(prov, prov)

    chosen = chosen.fillna("")

    def applies(frame):
        """Extracts about this wave's provinces or the whole country, in ``periods`` if given."""
        keep = frame["tinh"].isin([*provinces, "Toàn quốc"])
        if periods:
            keep &= frame["ky"].astype(str).isin([str(p) for p in periods])
        return frame[keep]

    checked, conflicts = applies(checked), applies(conflicts.fillna(""))
    dti_notes = _Notes(sources)
    by_id = chosen.set_index("ma")
    # only the provinces some document ranks: a national sample has 34, most without extracts
    provinces = [p for p in provinces if f"ma_{p}" in dti and (dti[f"ma_{p}"].fillna("") != "").any()]
    if not dti_period:  # config `dti_period: null`: no DTI ranks
        provinces = []
    dti_rows = []
    for _, r in dti.iterrows():
        cells = []
        for prov in provinces:
            ident = r.get(f"ma_{prov}", "")
            if ident and ident == ident:
                hit = by_id.loc[ident]
                dti_notes.mark(hit["nguon"], hit["vi_tri"])
                cells.append(number(int(r[prov])) + ("" if hit["trang_thai"] == VERIFIED else "*"))
            else:
                cells.append("–")
        dti_rows.append({"nhan": r["nhan"], "cells": cells})
    overall = dti[dti["chi_so"] == "dti_tong_the"]
    overall_text = []
    if len(overall):
        o = overall.iloc[0]
        overall_text = [{"tinh": shown(p), "hang": number(int(o[p]))} for p in provinces if o[p] == o[p]]

    province_tables = []
    for prov in only or [*provinces, "Toàn quốc"]:
        part = chosen[
            (chosen["tinh"] == prov)
            & (chosen["ky"].astype(str).isin([str(p) for p in periods]) if periods else True)
            & chosen["chi_so"].map(lambda c: indicators[c].group in ("boi_canh", "quoc_gia"))
        ]
        if part.empty:
            continue
        notes = _Notes(sources)
        rows = [
            {
                "nhan": indicators[r["chi_so"]].label,
                "gia_tri": _extract_value(r, indicators[r["chi_so"]].unit),
                "ky": r["ky"],
                "ghi_chu": notes.mark(r["nguon"], r["vi_tri"]),
                "chua_kiem": r["trang_thai"] != VERIFIED,
            }
            for _, r in part.iterrows()
        ]
        province_tables.append({"tinh": shown(prov), "ma": slug(prov), "rows": rows, "notes": notes.lines()})

    per_source = []
    for sid, src in sources.items():
        part = checked[checked["nguon"] == sid]
        if part.empty:
            continue
        per_source.append(
            {
                "nguon": src.citation,
                "tong": number(len(part)),
                "da_kiem": number(int((part["trang_thai"] == VERIFIED).sum())),
                "chua_kiem": number(int((part["trang_thai"] != VERIFIED).sum())),
                "co_van_ban": "có" if (part["trang_thai"] == VERIFIED).any() else "không",
            }
        )
    conflict_rows = []
    for _, c in conflicts.iterrows():
        conflict_rows.append(
            {
                "chi_so": indicators[c["chi_so"]].label,
                "tinh": shown(c["tinh"]),
                "ky": c["ky"],
                "gia_tri": _extract_value(c, indicators[c["chi_so"]].unit),
                "nguon": sources[c["nguon"]].author + f" ({sources[c['nguon']].year})",
                "vi_tri": c["vi_tri"],
                "duoc_chon": "được chọn" if str(c["duoc_chon"]) == "True" else "",
                "cach_chon": CHOICE_WORDS.get(c["cach_chon"], c["cach_chon"]),
            }
        )
    n_checked = len(checked)
    n_verified = int((checked["trang_thai"] == VERIFIED).sum())
    overall_unit = indicators["dti_tong_the"].unit if "dti_tong_the" in indicators else ""
    return {
        "ky_dti": dti_period,
        # ranks are out of the provinces of their year ('hạng/63'; 34 since the 2025 reorganisation)
        "so_tinh_xep_hang": overall_unit.partition("/")[2],
        "ky": ", ".join(str(p) for p in periods) if periods else "",
        "dti_tinh": [shown(p) for p in provinces],
        "dti_rows": dti_rows if provinces else [],
        "dti_notes": dti_notes.lines(),
        "dti_tong": overall_text,
        "bieu_do_dti": image_src(figure) if figure else "",
        "tinh_tables": province_tables,
        "theo_nguon": per_source,
        "xung_dot": conflict_rows,
        "so_trich_xuat": number(n_checked),
        "cau_kiem_chung": checking_sentence(
            n_checked, n_verified, ", ".join(str(p) for p in periods) if periods else ""
        ),
        "so_da_kiem": number(n_verified),
        "so_chua_kiem": number(n_checked - n_verified),
        "uu_tien": [sources[s].author for s in prefer if s in sources],
    }
