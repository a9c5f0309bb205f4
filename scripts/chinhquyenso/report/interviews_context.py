"""The in-depth interviews in the report: the methods sentence, the theme table, the quotes of
each section and the appendix of every excerpt, from check_interviews' outputs
(results/interviews/; chinhquyenso.interviews.stage).

The theme table counts interviews, not survey respondents: it is not suppressed (the
attribution rule protects the speakers). A province's report carries only the interviews held
in that province. Nothing here reads a transcript or the protected names: the quotes and their
attributions are already verified and protected.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ..vn_format import long_date, number
from .vn_text import join

CONCLUSION, INTERVIEWS = "ket_luan", "phong_van"  # section ids (workflow/templates/sections.yaml)


def _period(first: dt.date, last: dt.date) -> str:
    """'tháng 7–10/2023', 'tháng 7/2023', 'tháng 12/2022–3/2023': when the interviews were held."""
    if (first.year, first.month) == (last.year, last.month):
        return f"tháng {first.month}/{first.year}"
    if first.year == last.year:
        return f"tháng {first.month}–{last.month}/{first.year}"
    return f"tháng {first.month}/{first.year}–{last.month}/{last.year}"


def _methods_sentence(summary: dict, names: dict[str, str], province: str | None) -> str:
    """How many interviews, where, when and how chosen."""
    by = {p: n for p, n in summary["theo_tinh"].items() if n}
    where = join([f"{names.get(p, p)} ({number(n)})" for p, n in by.items()])
    label = summary["nhan"]
    first = dt.date.fromisoformat(summary["tu_ngay"])
    last = dt.date.fromisoformat(summary["den_ngay"])
    cau = (
        f"Bên cạnh bảng hỏi, nghiên cứu thực hiện {number(summary['so_phong_van'])} cuộc phỏng vấn sâu "
        f"({label}) tại {where}, từ {long_date(first)} đến {long_date(last)}"
    )
    if summary.get("cach_chon"):
        cau += f"; người được phỏng vấn được {summary['cach_chon']}"
    cau += "."
    if province:
        n = summary["theo_tinh"].get(province, 0)
        where = names.get(province, province)
        cau += f" Báo cáo này chỉ trích ý kiến của {number(n)} người được phỏng vấn tại {where}."
    if summary.get("minh_hoa"):
        cau += (
            " Bản ghi phỏng vấn và việc mã hóa trong báo cáo này là minh họa, được viết riêng cho bộ dữ liệu"
            " mẫu, không phải lời của người được phỏng vấn thật."
        )
    return cau


def _theme_table(themes: pd.DataFrame, summary: dict, names: dict[str, str], province: str | None) -> dict:
    """Themes x provinces (interviews raising each theme), with the interviews held per province;
    a column "Chung" when there is more than one province."""
    held = {p: n for p, n in summary["theo_tinh"].items() if n and (province is None or p == province)}
    provinces = list(held)
    wide = themes.pivot_table(
        index="chu_de", columns="tinh", values="so_phong_van", aggfunc="sum", sort=False
    )
    rows, totals = [], {}
    for code, title in dict(zip(themes["chu_de"], themes["tieu_de"], strict=True)).items():
        counts = [int(wide.loc[code, p]) if p in wide.columns else 0 for p in provinces]
        totals[title] = sum(counts)
        rows.append({"nhan": title, "cells": [number(c) for c in counts], "chung": number(sum(counts))})
    return {
        "tinh": [names.get(p, p) for p in provinces],
        "rows": rows,
        "cau": _theme_sentence(totals, sum(held.values())),
        "so_phong_van": [number(held[p]) for p in provinces],
        "tong": number(sum(held.values())),
        "co_chung": len(provinces) > 1,
    }


def _theme_sentence(totals: dict[str, int], held: int) -> str:
    """The theme table in words: the themes raised in most interviews and those in fewest (the
    table's finding, which the text must not leave to the reader)."""
    if len(set(totals.values())) < 2:
        return ""

    def named(n: int) -> str:
        titles = [f"«{t}»" for t, k in totals.items() if k == n]
        each = "mỗi chủ đề " if len(titles) > 1 else ""
        return f"{join(titles)} ({each}{number(n)} trong {number(held)} cuộc)"

    most, least = max(totals.values()), min(totals.values())
    return f"Chủ đề được nêu trong nhiều cuộc phỏng vấn nhất là {named(most)}; ít nhất là {named(least)}."


def _cap_conclusion(quotes: dict[str, list[dict]], cap: int | None) -> dict[str, str]:
    """At most ``cap`` quotes stay in the conclusion, one per theme first: more read as a second
    findings section. The others move to the interviews section, where the reader still finds
    them (nothing dropped). Returns excerpt id -> the section it is printed in."""
    placed = {q["id"]: part for part, qs in quotes.items() for q in qs}
    own = quotes.get(CONCLUSION, [])
    if cap is None or len(own) <= cap:
        return placed
    seen: set[str] = set()
    first = []  # each quote that brings a theme not yet quoted
    for q in own:
        codes = set(q["chu_de"].split(";"))
        if not codes <= seen:
            first.append(q)
            seen |= codes
    keep = (first + [q for q in own if q not in first])[:cap]
    quotes[CONCLUSION] = [q for q in own if q in keep]  # in the declared order
    moved = [q for q in own if q not in keep]
    quotes[INTERVIEWS] = quotes.get(INTERVIEWS, []) + moved
    placed.update({q["id"]: INTERVIEWS for q in moved})
    return placed


def _section_quotes(qs: list[dict], titles: dict[str, str]) -> dict:
    """A section's quotes and what they speak of, in the themes' order."""
    codes = {c for q in qs for c in q["chu_de"].split(";") if c}
    return {"chu_de": join([f"«{t}»" for c, t in titles.items() if c in codes]), "cau": qs}


def _listing(excerpts: pd.DataFrame, titles: dict[str, str], placed: dict[str, str]) -> list[dict]:
    """The appendix: one row per passage. A passage coded twice (a quote of trich_doan.yaml that
    is also in the full coding, or two codes on one selection in a QDA export) is one passage
    for the reader: one row, both ids, the themes of both, where the report prints it."""
    rows: dict[tuple, dict] = {}
    for r in excerpts.itertuples(index=False):
        key = (r.phong_van, int(r.doan), int(r.ky_tu_dau), int(r.ky_tu_cuoi))
        row = rows.setdefault(
            key,
            {"ids": [], "codes": [], "phong_van": r.phong_van, "doan": number(key[1]),
             "ky_tu": f"{number(key[2])}–{number(key[3])}", "phan": "", "rut_gon": False},
        )  # fmt: skip
        row["ids"].append(r.id)
        row["codes"] += [c for c in r.chu_de.split(";") if c and c not in row["codes"]]
        row["phan"] = row["phan"] or placed.get(r.id, "")
        row["rut_gon"] = row["rut_gon"] or bool(r.ghi_chu)  # attributes dropped from its attribution
    return [
        {**{k: v for k, v in row.items() if k not in ("ids", "codes")}, "id": ", ".join(row["ids"]),
         "chu_de": "; ".join(titles.get(c, c) for c in row["codes"])}
        for row in rows.values()
    ]  # fmt: skip


def interviews_context(
    excerpts: pd.DataFrame,
    themes: pd.DataFrame,
    summary: dict,
    names: dict[str, str],
    province: str | None = None,
) -> dict | None:
    """What the templates print of the interviews. ``names``: province value -> printed label
    (the codebook's); ``province``: a province report's own province (its interviews only).
    None for a province where no interview was held: its report has no interview section."""
    if province and not summary["theo_tinh"].get(province):
        return None
    excerpts = excerpts.fillna("")
    if province:
        excerpts = excerpts[excerpts["tinh"] == province]
    titles = dict(zip(themes["chu_de"], themes["tieu_de"], strict=True))
    quotes: dict[str, list[dict]] = {}
    for r in excerpts.itertuples(index=False):
        if r.phan_bao_cao:
            quotes.setdefault(r.phan_bao_cao, []).append(
                {"id": r.id, "trich_dan": r.trich_dan, "ghi_danh": r.ghi_danh, "chu_de": r.chu_de}
            )
    placed = _cap_conclusion(quotes, summary.get("trich_ket_luan"))
    listing = _listing(excerpts, titles, placed)
    return {
        "cau": _methods_sentence(summary, names, province),
        "minh_hoa": bool(summary.get("minh_hoa")),
        "nhan": summary["nhan"],
        "bang": _theme_table(themes, summary, names, province),
        # thu_tu: which of the templates' lead-ins opens the block (no two blocks alike)
        "trich": {p: {**_section_quotes(q, titles), "thu_tu": i} for i, (p, q) in enumerate(quotes.items())},
        "phu_luc": listing,
        "so_trich_doan": number(len(listing)),
        "ghi_danh_rut_gon": any(r.ghi_chu for r in excerpts.itertuples(index=False)),
        "nguon": "Nguồn: Phỏng vấn sâu"
        + (" (dữ liệu minh họa)" if summary.get("minh_hoa") else "")
        + f", {_period(*(dt.date.fromisoformat(summary[k]) for k in ('tu_ngay', 'den_ngay')))}.",
    }
