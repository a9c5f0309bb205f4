"""Context of the comparison of survey waves."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pandas as pd
from markupsafe import Markup

from ..vn_format import number, percent, round_half_up
from .models_context import METHOD_WORDS
from .models_text import p_text
from .render import image_src
from .vn_text import join, quote

TABLE = "tham_gia"  # id of the participation table of the comparison section (so_sanh.html.j2)


def change_phrase(up: int, down: int, total: int) -> str:
    """How many of ``total`` activities changed significantly, each way, never "0 hoạt động":
    'tăng có ý nghĩa thống kê ở 8 trong 13 hoạt động, không hoạt động nào giảm có ý nghĩa'."""
    of = f"trong {number(total)} hoạt động"
    if not up and not down:
        return f"không thay đổi có ý nghĩa thống kê ở hoạt động nào {of}"
    if up and down:
        return f"tăng có ý nghĩa thống kê ở {number(up)} và giảm ở {number(down)} {of}"
    word, other = ("tăng", "giảm") if up else ("giảm", "tăng")
    return (
        f"chỉ {word} có ý nghĩa thống kê ở {number(up or down)} {of}, không hoạt động nào {other} có ý nghĩa"
        if (up or down) * 2 < total
        else f"{word} có ý nghĩa thống kê ở {number(up or down)} {of}, không hoạt động nào {other} có ý nghĩa"
    )


def conclusion(rows: list[dict], first: str, second: str, levels: str) -> list[Markup]:
    """Sentences for the conclusion (``so_sanh.ket_luan``): how many activities changed
    significantly, the largest significant rise and fall in participation (shares and change as
    Bảng «tham_gia» prints them), and the levels' change."""
    sig = [r for r in rows if r["co_y_nghia"]]
    up = sorted((r for r in sig if r["gia_tri_chenh"] > 0), key=lambda r: -r["gia_tri_chenh"])
    down = sorted((r for r in sig if r["gia_tri_chenh"] < 0), key=lambda r: r["gia_tri_chenh"])
    out = [
        Markup("So với đợt {}, tỷ lệ trực tiếp tham gia ở đợt {} {}.").format(
            first, second, change_phrase(len(up), len(down), len(rows))
        )
    ]
    for word, to, part in (("tăng", "lên", up), ("giảm", "xuống", down)):
        if part:
            r = part[0]
            cells = [quote(r[k], TABLE) for k in ("truoc", "sau", "chenh")]
            lead = (
                f"{word.capitalize()} nhiều nhất là" if len(part) > 1 else f"Hoạt động {word} có ý nghĩa là"
            )
            out.append(
                Markup("{} «{}»: từ {}% {} {}% ({} điểm phần trăm).").format(
                    lead, r["nhan"], cells[0], to, cells[1], cells[2]
                )
            )
    if levels:
        out.append(Markup("Ở những người có tham gia, mức độ tham gia trung bình {}.").format(levels))
    return out


def _source(years: list[str], illustrative: list[str]) -> str:
    """The comparison's source note: the waves' years, and which of them are synthetic."""
    if not illustrative:
        return f"Nguồn: Khảo sát năm {join(years)}."
    which = "" if set(years) <= set(illustrative) else f"đợt {join(illustrative)}: "
    return f"Nguồn: Khảo sát năm {join(years)} ({which}dữ liệu giả lập/minh họa)."


def _signed(value: float, decimals: int) -> str:
    """A change with its sign: +5,3 / −2,1 (a true minus sign) / 0,0."""
    text = number(Decimal(str(abs(value))), decimals)
    if round_half_up(abs(value), decimals) == 0:
        return text
    return ("+" if value > 0 else "−") + text


def _interval(row, decimals: int) -> str:
    return f"{_signed(float(row['ci_thap']), decimals)}; {_signed(float(row['ci_cao']), decimals)}"


def waves_context(
    *,
    participation: pd.DataFrame,
    levels: pd.DataFrame,
    units: pd.DataFrame,
    mapping: pd.DataFrame,
    crosswalks: list[dict],
    figure: Path,
    illustrative: list[str],
    confidence: float,
    method: str,
    labels: dict[str, str] | None = None,
    province: str = "",
    values: dict[str, dict] | None = None,
) -> dict:
    """The comparison section: what was mapped how, and the change per activity and unit."""
    labels = labels or {}  # variable -> its label (codebook)
    values = values or {}  # variable -> {value: printed label} (codebook ``label:``)

    def unit(var: str, value) -> str:
        return values.get(var, {}).get(value, value)

    alpha = 1 - confidence
    both = participation[participation["pham_vi"] == "cả hai đợt"]
    pairs = both[["dot_truoc", "dot_sau"]].astype(str).drop_duplicates().to_records(index=False)
    part_rows, level_rows, only = [], [], []
    for r in participation.itertuples(index=False):
        if r.pham_vi != "cả hai đợt":
            only.append(
                {
                    "nhan": r.nhan,
                    "pham_vi": r.pham_vi,
                    "n": number(int(r.n_mot_dot)),
                    "pct": percent(int(r.n_mot_dot), int(r.co_so_mot_dot)),
                    "co_so": number(int(r.co_so_mot_dot)),
                }
            )
            continue
        part_rows.append(
            {
                "cap": f"{r.dot_truoc}–{r.dot_sau}",
                "nhan": r.nhan,
                "truoc": percent(int(r.n_truoc), int(r.co_so_truoc)),
                "sau": percent(int(r.n_sau), int(r.co_so_sau)),
                "chenh": _signed(float(r.chenh_lech), 1),
                "ktc": _interval(r._asdict(), 1),
                "p": p_text(float(r.p_hieu_chinh)),
                "co_y_nghia": float(r.p_hieu_chinh) < alpha,
                "gia_tri_chenh": float(r.chenh_lech),
            }
        )
    for r in levels[levels["pham_vi"] == "cả hai đợt"].itertuples(index=False):
        level_rows.append(
            {
                "cap": f"{r.dot_truoc}–{r.dot_sau}",
                "nhan": r.nhan,
                "n_truoc": number(int(r.n_truoc)),
                "truoc": number(Decimal(str(r.tb_truoc)), 2),
                "n_sau": number(int(r.n_sau)),
                "sau": number(Decimal(str(r.tb_sau)), 2),
                "chenh": _signed(float(r.chenh_lech), 2),
                "ktc": _interval(r._asdict(), 2) if pd.notna(r.ci_thap) else "–",
                "p": p_text(float(r.p_hieu_chinh)) if pd.notna(r.p_hieu_chinh) else "–",
            }
        )
    unit_rows = []
    for r in units.itertuples(index=False):
        compared = r.pham_vi == "cả hai đợt"
        unit_rows.append(
            {
                "bien": labels.get(r.bien, r.bien),
                "don_vi": unit(r.bien, r.don_vi_chung)
                if isinstance(r.don_vi_chung, str) and r.don_vi_chung
                else "(không có đơn vị tương ứng)",
                "n_truoc": number(int(r.n_truoc)),
                "n_sau": number(int(r.n_sau)),
                "truoc": number(Decimal(str(r.tb_truoc)), 1) if compared else "–",
                "sau": number(Decimal(str(r.tb_sau)), 1) if compared else "–",
                "chenh": _signed(float(r.chenh_lech), 1) if compared else r.pham_vi,
                "ktc": _interval(r._asdict(), 1) if compared else "",
                "p": p_text(float(r.p_hieu_chinh)) if compared else "",
            }
        )
    mapping_rows = [
        {
            "dot": str(r.dot),
            "bien": labels.get(r.bien, r.bien),
            "goc": unit(r.bien, r.don_vi_goc),
            "chung": unit(r.bien, r.don_vi_chung)
            if isinstance(r.don_vi_chung, str) and r.don_vi_chung
            else "–",
            "n": number(int(r.n)),
            "pham_vi": r.pham_vi,
        }
        for r in mapping.itertuples(index=False)
    ]
    merged = mapping[mapping["doi_doi"].astype(str) == "True"]
    merges = [  # a value whose printed label is already the common unit's is no merge to the reader
        f"{unit(r.bien, r.don_vi_goc)} (đợt {r.dot}, {number(int(r.n))} người) được tính vào "
        f"{unit(r.bien, r.don_vi_chung)}"
        for r in merged.itertuples(index=False)
        if unit(r.bien, r.don_vi_goc) != unit(r.bien, r.don_vi_chung)
    ]
    lost = mapping[mapping["pham_vi"] == "không có đơn vị tương ứng"]
    no_match = [
        f"{labels.get(r.bien, r.bien).lower()} «{unit(r.bien, r.don_vi_goc)}» "
        f"(đợt {r.dot}, {number(int(r.n))} người)"
        for r in lost.itertuples(index=False)
    ]
    single = mapping[mapping["pham_vi"].str.startswith("chỉ có ở đợt")]
    one_wave_units = [
        f"{unit(r.bien, r.don_vi_goc)} ({r.pham_vi}, {number(int(r.n))} người)"
        for r in single[single["bien"] == province].itertuples(index=False)
    ]
    sig = both[both["p_hieu_chinh"] < alpha]
    lev_both = levels[levels["pham_vi"] == "cả hai đợt"]
    lev_sig = lev_both[lev_both["p_hieu_chinh"] < alpha]
    first = both.iloc[0] if len(both) else None
    return {
        "cac_dot": [f"{a}–{b}" for a, b in pairs],
        "dot_truoc": str(first["dot_truoc"]) if first is not None else "",
        "dot_sau": str(first["dot_sau"]) if first is not None else "",
        "n_truoc": number(int(first["co_so_truoc"])) if first is not None else "0",
        "n_sau": number(int(first["co_so_sau"])) if first is not None else "0",
        "so_hoat_dong": number(len(both)),
        "cau_tham_gia": change_phrase(
            int((sig["chenh_lech"] > 0).sum()), int((sig["chenh_lech"] < 0).sum()), len(both)
        ),
        "cau_muc_do": change_phrase(
            int((lev_sig["chenh_lech"] > 0).sum()), int((lev_sig["chenh_lech"] < 0).sum()), len(lev_both)
        ),
        "tham_gia": part_rows,
        "ket_luan": conclusion(
            part_rows,
            str(first["dot_truoc"]) if first is not None else "",
            str(first["dot_sau"]) if first is not None else "",
            change_phrase(
                int((lev_sig["chenh_lech"] > 0).sum()), int((lev_sig["chenh_lech"] < 0).sum()), len(lev_both)
            ),
        )
        if part_rows
        else [],
        "muc_do": level_rows,
        "mot_dot": only,
        "don_vi": unit_rows,
        "anh_xa": mapping_rows,
        "gop": merges,
        "khong_tuong_ung": no_match,
        "chi_mot_dot": one_wave_units,
        "can_cu": [c for c in crosswalks if c],
        "bieu_do": image_src(figure),
        "gia_lap": illustrative,
        "nguon": _source(list(dict.fromkeys(str(y) for pair in pairs for y in pair)), illustrative),
        "gia_lap_text": join(illustrative),
        "do_tin_cay": number(Decimal(str(confidence * 100)), 0),
        "hieu_chinh": METHOD_WORDS.get(method, method),
    }
