"""Render the Vietnamese report: tables and figures -> jinja2 HTML -> WeasyPrint PDF.

``build_context`` turns the tidy tables into display rows whose every number is formatted by
``vn_format``; the template only places them. Nothing numeric is typed into the template.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pandas as pd
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from . import reproduction
from .tables import LIKERT_COLUMNS, TOTAL
from .vn_format import long_date, nfc, number, percent, round_half_up


def image_src(path: Path) -> str:
    """A figure's address in the HTML: relative to the project, so that the HTML (and the
    manifest's hash of it) does not depend on where the project lives."""
    path = Path(path)
    return path.as_uri() if path.is_absolute() else path.as_posix()


def numbering(tables: list[str], figures: list[str]) -> dict[str, str]:
    """Captions are numbered in the order the report shows them ("Bảng 1", "Biểu đồ 1", ...)."""
    refs = {key: f"Bảng {i}" for i, key in enumerate(tables, start=1)}
    refs.update({key: f"Biểu đồ {i}" for i, key in enumerate(figures, start=1)})
    return refs


def _numbered(context: dict) -> dict[str, str]:
    """The tables and figures this report carries, in reading order."""
    docs = context["tai_lieu"]
    tables = ["bang_gioi_tinh", "bang_cap_hanh_chinh"]
    figures = []
    if docs:
        tables += ["bang_dti"] * bool(docs["dti_tinh"]) + [
            f"bang_boi_canh_{t['tinh']}" for t in docs["tinh_tables"]
        ]
        figures += ["bieu_do_dti"] * bool(docs["dti_tinh"])
    figures.append("bieu_do_tham_gia")
    tables += ["bang_muc_do", "bang_ty_le_khac"]
    figures += ["bieu_do_muc_do", "bieu_do_rao_can"]
    if context["mo_hinh"]:
        tables += ["bang_theo_nhom", "bang_mo_hinh", "bang_dem_hoat_dong"]
        figures += ["bieu_do_theo_nhom", "bieu_do_or", "bieu_do_du_doan"]
    if context.get("so_sanh"):
        tables += ["bang_anh_xa", "bang_so_sanh_tham_gia", "bang_so_sanh_muc_do", "bang_so_sanh_don_vi"]
        figures.append("bieu_do_so_sanh")
    if context["doi_chieu"]:
        tables.append("bang_doi_chieu")
    if context["nhat_ky"]["rows"]:
        tables.append("bang_nhat_ky")
    if docs:
        tables.append("bang_nguon")
        if docs["xung_dot"]:
            tables.append("bang_xung_dot")
    if context["mo_hinh"]:
        tables.append("bang_brant")
    return numbering(tables, figures)


HIDDEN = {"n": "(ẩn)", "pct": "", "an": True}


def protect(counts: list[int], min_cell: int) -> list[bool]:
    """Small-cell protection of one breakdown: counts from 1 to min_cell - 1 are hidden; if only
    one is, the next smallest positive count is hidden too, so the total cannot reveal it."""
    hidden = [0 < c < min_cell for c in counts]
    if sum(hidden) == 1:
        rest = [(c, i) for i, c in enumerate(counts) if not hidden[i] and c > 0]
        if rest:
            hidden[min(rest)[1]] = True
    return hidden


def _cell(n: int, base: int, hidden: bool) -> dict:
    return HIDDEN if hidden else {"n": number(n), "pct": percent(n, base), "an": False}


def _gender_rows(gender: pd.DataFrame, min_cell: int = 5) -> tuple[list[str], list[dict]]:
    provinces = list(dict.fromkeys(gender["tinh"]))
    sexes = list(dict.fromkeys(gender["gioi_tinh"]))
    columns = {}
    for prov in provinces:
        part = gender[gender["tinh"] == prov].set_index("gioi_tinh")
        counts = [int(part.at[sex, "n"]) for sex in sexes]
        columns[prov] = (counts, int(part["co_so"].iloc[0]), protect(counts, min_cell))
    rows = []
    for k, sex in enumerate(sexes):
        cells = [_cell(columns[p][0][k], columns[p][1], columns[p][2][k]) for p in provinces]
        rows.append({"nhan": sex, "cells": cells, "is_total": False})
    rows.append(
        {
            "nhan": "Tổng",
            "is_total": True,
            "cells": [_cell(columns[p][1], columns[p][1], False) for p in provinces],
        }
    )
    return provinces, rows


def _simple_rows(frame: pd.DataFrame, label_col: str, min_cell: int = 5) -> list[dict]:
    hidden = protect([int(n) for n in frame["n"]], min_cell)
    rows = [
        {"nhan": r[label_col], **_cell(int(r["n"]), int(r["co_so"]), h), "is_total": False}
        for (_, r), h in zip(frame.iterrows(), hidden, strict=True)
    ]
    total = int(frame["n"].sum())
    rows.append(
        {
            "nhan": "Tổng",
            "n": number(total),
            "pct": percent(total, int(frame["co_so"].iloc[0])),
            "is_total": True,
        }
    )
    return rows


def _level_rows(table3: pd.DataFrame, min_cell: int = 5) -> list[dict]:
    rows = []
    for i, r in enumerate(table3.itertuples(index=False), start=1):
        base = int(r.n_tham_gia)
        counts = [int(getattr(r, col)) for col in LIKERT_COLUMNS.values()]
        cells = [_cell(c, base, h) for c, h in zip(counts, protect(counts, min_cell), strict=True)]
        high = int(r.n_tb_den_rat_cao)
        rows.append(
            {
                "stt": i,
                "nhan": r.nhan,
                "cells": cells,
                "high": {"n": number(high), "pct": percent(high, base)},
                "n_total": number(base),
            }
        )
    return rows


def _share_rows(shares: pd.DataFrame, group: str) -> list[dict]:
    part = shares[shares["nhom"] == group]
    return [
        {"nhan": r.nhan, "n": number(int(r.n)), "pct": percent(int(r.n), int(r.co_so))}
        for r in part.itertuples(index=False)
    ]


def _vn_decimal(text: str) -> str:
    """'44.0' -> '44,0' at the precision written; bounds such as '>50' pass through."""
    try:
        value = Decimal(text)
    except InvalidOperation:
        return text
    return number(value, max(0, -value.as_tuple().exponent))


def _reproduction(result: pd.DataFrame) -> dict:
    by_table = []
    for bang, part in result.groupby("bang", sort=False):
        s = reproduction.summary(part)
        by_table.append(
            {
                "bang": bang,
                "tong": number(len(part)),
                "khop": number(s[reproduction.KHOP]),
                "errata": number(s[reproduction.ERRATUM]),
                "lech": number(s[reproduction.LECH]),
            }
        )
    notable = result[result["trang_thai"] != reproduction.KHOP].assign(
        cong_bo=lambda f: f["cong_bo"].map(_vn_decimal), tinh_duoc=lambda f: f["tinh_duoc"].map(_vn_decimal)
    )
    total = reproduction.summary(result)
    return {
        "by_table": by_table,
        "notable": notable.to_dict("records"),
        "tong": number(len(result)),
        "khop": number(total[reproduction.KHOP]),
        "errata": number(total[reproduction.ERRATUM]),
        "lech": number(total[reproduction.LECH]),
        "all_match": total[reproduction.LECH] == 0,
    }


def build_context(
    *,
    config: dict,
    computed: dict[str, pd.DataFrame],
    comparison: pd.DataFrame | None,
    cleaning_log: pd.DataFrame,
    figures: dict[str, Path],
    today: dt.date,
    documents: dict | None = None,
    models: dict | None = None,
    appendix: dict | None = None,
    waves: dict | None = None,
) -> dict:
    """Everything the template prints, already formatted the Vietnamese way.

    ``computed`` holds the descriptive tables keyed as ``tables.compute_all`` returns them.
    """
    gender, admin_levels, table3 = computed["gender"], computed["admin_levels"], computed["levels"]
    chart1, shares, profile = computed["direct"], computed["shares"], computed["profile"]
    prof = dict(zip(profile["chi_bao"], profile["gia_tri"], strict=True))
    n = int(prof["n"])
    min_cell = int(config["report"].get("min_cell", 5))
    provinces, gender_rows = _gender_rows(gender, min_cell)
    admin_rows = _simple_rows(admin_levels, "cap_hanh_chinh", min_cell)
    level_rows = _level_rows(table3, min_cell)
    g_total = gender[gender["tinh"] == TOTAL].set_index("gioi_tinh")
    top = chart1.iloc[0]
    bottom = chart1.iloc[-1]
    report_cfg = config["report"]
    survey_cfg = config["survey"]
    level_high = table3.assign(share=table3["n_tb_den_rat_cao"] / table3["n_tham_gia"])
    context = {
        "meta": {
            "tieu_de": report_cfg["title"],
            "phu_de": report_cfg.get("subtitle", ""),
            "co_quan": report_cfg["institution"],
            "tac_gia": report_cfg["authors"],
            "nam": report_cfg["year"],
            "ngay": long_date(today),
            "ngay_iso": today.isoformat(),
            "minh_hoa": bool(survey_cfg.get("illustrative", False)),
            "nam_khao_sat": survey_cfg["year"],
            "tep_du_lieu": Path(survey_cfg["path"]).name,
            "trich_dan": config.get("reproduction", {}).get("citation", ""),
        },
        "mau": {
            "n": number(n),
            "so_tinh": number(int(prof["so_tinh"])),
            "so_hd": number(len(table3)),  # activities in this wave's codebook
            "tinh": [p for p in provinces if p != TOTAL],
            "tuoi_min": number(int(prof["tuoi_min"])),
            "tuoi_max": number(int(prof["tuoi_max"])),
            "tn_min": number(int(prof["tham_nien_min"])),
            "tn_max": number(int(prof["tham_nien_max"])),
            "nu_n": number(int(g_total.at["Nữ", "n"])),
            "nu_pct": percent(int(g_total.at["Nữ", "n"]), n),
            "min_cell": number(int(config["report"].get("min_cell", 5))),
            "nam_n": number(int(g_total.at["Nam", "n"])),
            "nam_pct": percent(int(g_total.at["Nam", "n"]), n),
        },
        "bang_gioi_tinh": {"tinh": provinces, "rows": gender_rows},
        "bang_cap": admin_rows,
        "cap_text": [
            {"nhan": r["cap_hanh_chinh"], "pct": percent(int(r["n"]), int(r["co_so"]))}
            for _, r in admin_levels.iterrows()
        ],
        "bang_muc_do": level_rows,
        "co_an": {
            "gioi_tinh": any(c["an"] for r in gender_rows for c in r["cells"]),
            "cap": any(r.get("an") for r in admin_rows),
            "muc_do": any(c["an"] for r in level_rows for c in r["cells"]),
        },
        "muc_do_text": {
            "min": percent(*_extreme(level_high, "min")),
            "max": percent(*_extreme(level_high, "max")),
        },
        "bieu_do_1": {
            "svg": image_src(figures["bieu_do_1"]),
            "cao_nhat": {"nhan": top["nhan"], "pct": percent(int(top["n"]), int(top["co_so"]))},
            "thap_nhat": {"nhan": bottom["nhan"], "pct": percent(int(bottom["n"]), int(bottom["co_so"]))},
        },
        "hinh": {k: image_src(v) for k, v in figures.items() if k != "bieu_do_1"},
        "theo_nhom": _breakdown_rows(computed.get("breakdowns")),
        "ket_luan": _conclusion(table3, chart1, shares, n),
        "nang_luc": _share_rows(shares, "nang_luc"),
        "nang_luc_theo_bien": {
            r.chi_bao: {"n": number(int(r.n)), "pct": percent(int(r.n), int(r.co_so))}
            for r in shares[shares["nhom"] == "nang_luc"].itertuples(index=False)
        },
        "cong_dong": _share_rows(shares, "cong_dong"),
        "thanh_thieu_nien": _share_rows(shares, "thanh_thieu_nien"),
        "rao_can": _share_rows(shares.sort_values("n", ascending=False, kind="stable"), "rao_can"),
        "doi_chieu": _reproduction(comparison) if comparison is not None else None,
        "nhat_ky": _cleaning_log(cleaning_log),
        "tai_lieu": documents,
        "mo_hinh": models,
        "so_sanh": waves,
        "phu_luc": {"codebook": [], "tai_lap": None, **(appendix or {})},
    }
    context["ref"] = _numbered(context)
    results = 4 if documents else 3
    analysis = results + 1 if models else results
    comparison = analysis + 1 if waves else analysis
    context["so_muc"] = {
        "ket_qua": results,
        "phan_tich": analysis,
        "so_sanh": comparison,
        "ket_luan": comparison + 1,
    }
    return context


LOG_ROWS_SHOWN = 40


def _cleaning_log(log: pd.DataFrame) -> dict:
    """Appendix B: counts by reason, then the first entries (the CSV has them all)."""
    by_reason = (
        log.groupby("ly_do", sort=False).agg(n=("ly_do", "size"), cot=("cot", "nunique")).reset_index()
    )
    return {
        "so_thay_doi": number(len(log)),
        "theo_ly_do": [
            {"ly_do": r.ly_do, "n": number(int(r.n)), "so_cot": number(int(r.cot))}
            for r in by_reason.itertuples(index=False)
        ],
        "rows": log.head(LOG_ROWS_SHOWN).to_dict("records"),
        "da_rut_gon": len(log) > LOG_ROWS_SHOWN,
        "so_dong_hien": number(min(len(log), LOG_ROWS_SHOWN)),
    }


def _breakdown_rows(table: pd.DataFrame | None) -> list[dict]:
    if table is None:
        return []
    names = {"gioi_tinh": "Giới tính", "cap_hanh_chinh": "Cấp hành chính", "tham_nien_nhom": "Thâm niên"}
    rows = []
    for _, r in table.iterrows():
        hidden = str(r["an"]) == "True"
        rows.append(
            {
                "chieu": names.get(r["chieu"], r["chieu"]),
                "nhom": r["nhom"],
                "n": "–" if hidden else number(int(r["n"])),
                "tham_gia": "(ẩn)" if hidden else percent(int(r["n_luot_tham_gia"]), int(r["n_luot_co_the"])),
                "cao": "(ẩn)"
                if hidden or not int(r["n_luot_tham_gia"])
                else percent(int(r["n_luot_cao"]), int(r["n_luot_tham_gia"])),
            }
        )
    return rows


def _conclusion(table3: pd.DataFrame, chart1: pd.DataFrame, shares: pd.DataFrame, n: int) -> dict:
    """The key numbers the conclusion quotes, all from the tables."""
    top, bottom = chart1.iloc[0], chart1.iloc[-1]
    barriers = shares[shares["nhom"] == "rao_can"].sort_values("n", ascending=False, kind="stable")
    trained = shares.set_index("chi_bao").loc["da_tap_huan"]
    skills = shares.set_index("chi_bao").loc["co_ky_nang_so"]
    return {
        "cao_nhat": {"nhan": top["nhan"], "pct": percent(int(top["n"]), int(top["co_so"]))},
        "thap_nhat": {"nhan": bottom["nhan"], "pct": percent(int(bottom["n"]), int(bottom["co_so"]))},
        "tap_huan": percent(int(trained["n"]), int(trained["co_so"])),
        "ky_nang": percent(int(skills["n"]), int(skills["co_so"])),
        "rao_can_1": {"nhan": barriers.iloc[0]["nhan"], "pct": percent(int(barriers.iloc[0]["n"]), n)},
        "rao_can_2": {"nhan": barriers.iloc[1]["nhan"], "pct": percent(int(barriers.iloc[1]["n"]), n)},
    }


def _extreme(frame: pd.DataFrame, how: str) -> tuple[int, int]:
    row = frame.loc[frame["share"].idxmin() if how == "min" else frame["share"].idxmax()]
    return int(row["n_tb_den_rat_cao"]), int(row["n_tham_gia"])


def render_html(context: dict, template_dir: str | Path, template: str = "report.html.j2") -> str:
    env = Environment(
        loader=FileSystemLoader(str(template_dir)),
        autoescape=select_autoescape(["html", "xml", "j2"]),
        undefined=StrictUndefined,  # a missing number is an error, not a blank
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return nfc(env.get_template(template).render(**context))


def _fetcher(allowed_roots: list[Path]):
    from weasyprint.urls import FatalURLFetchingError, URLFetcher

    roots = [r.resolve() for r in allowed_roots]

    class ProjectFetcher(URLFetcher):
        """Only data: URLs and files under the project; anything else stops the render."""

        def fetch(self, url, headers=None):
            if url.startswith("file:"):
                from urllib.parse import unquote, urlparse

                path = Path(unquote(urlparse(url).path)).resolve()
                if not any(path.is_relative_to(r) for r in roots):
                    raise FatalURLFetchingError(f"tệp ngoài thư mục dự án: {path}")
            elif not url.startswith("data:"):
                raise FatalURLFetchingError(f"không cho phép tải tài nguyên ngoài: {url}")
            return super().fetch(url, headers)

    return ProjectFetcher(allowed_protocols=("file", "data"), allow_redirects=False)


def write_pdf(
    html: str,
    css_path: str | Path,
    font_dir: str | Path,
    out_pdf: str | Path,
    allowed_roots: list[Path],
    attachments: list[Path] = (),
    stamp: dt.datetime | None = None,
) -> None:
    """HTML + stylesheet -> PDF/A-3b with the vendored fonts embedded and the tables' data
    attached as CSV files (PDF/A-3 allows attachments). ``stamp`` dates the attachments, so
    that two renders of the same data give the same bytes."""
    import os

    from weasyprint import CSS, HTML, Attachment
    from weasyprint.text.fonts import FontConfiguration

    # fontTools stamps the subset fonts with the current time unless SOURCE_DATE_EPOCH is set:
    # take it from the report's date, so two renders of the same inputs give the same bytes.
    stamp = stamp or dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    os.environ.setdefault("SOURCE_DATE_EPOCH", str(int(stamp.timestamp())))

    fetcher = _fetcher(allowed_roots)
    fonts = FontConfiguration()
    font_css = "\n".join(
        f'@font-face {{ font-family: "{family}"; src: url("{(Path(font_dir) / file).resolve().as_uri()}");'
        f" font-weight: {weight}; font-style: {style}; }}"
        for family, file, weight, style in (
            ("Noto Serif", "NotoSerif-Regular.ttf", "normal", "normal"),
            ("Noto Serif", "NotoSerif-Bold.ttf", "bold", "normal"),
            ("Noto Serif", "NotoSerif-Italic.ttf", "normal", "italic"),
            ("Noto Serif", "NotoSerif-BoldItalic.ttf", "bold", "italic"),
            ("Noto Sans", "NotoSans-Regular.ttf", "normal", "normal"),
            ("Noto Sans", "NotoSans-Bold.ttf", "bold", "normal"),
        )
    )
    stylesheets = [
        CSS(string=font_css, font_config=fonts, url_fetcher=fetcher),
        CSS(filename=str(css_path), font_config=fonts, url_fetcher=fetcher),
    ]
    # relative image paths in the HTML resolve against the project folder (the working directory)
    document = HTML(string=html, base_url=Path.cwd().as_uri() + "/", url_fetcher=fetcher)
    out_pdf = Path(out_pdf)
    tmp = out_pdf.with_name(out_pdf.name + ".tmp")
    files = [
        Attachment(
            filename=str(path),
            url_fetcher=fetcher,
            name=Path(path).name,
            description=f"Dữ liệu của bảng: {Path(path).name}",
            created=stamp,
            modified=stamp,
            relationship="Data",
        )
        for path in attachments
    ]
    document.write_pdf(
        tmp, stylesheets=stylesheets, font_config=fonts, pdf_variant="pdf/a-3b", attachments=files
    )
    tmp.replace(out_pdf)


# --- document extracts ----------------------------------------------------------------------


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
    figure: Path,
    prefer: list[str],
    only: list[str] | None = None,
) -> dict:
    from .documents import VERIFIED

    chosen = chosen.fillna("")
    dti_notes = _Notes(sources)
    by_id = chosen.set_index("ma")
    # only the provinces some document ranks: a national sample has 34, most without extracts
    provinces = [p for p in provinces if f"ma_{p}" in dti and (dti[f"ma_{p}"].fillna("") != "").any()]
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
        overall_text = [{"tinh": p, "hang": number(int(o[p]))} for p in provinces if o[p] == o[p]]

    province_tables = []
    for prov in only or [*provinces, "Toàn quốc"]:
        part = chosen[
            (chosen["tinh"] == prov)
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
        province_tables.append({"tinh": prov, "rows": rows, "notes": notes.lines()})

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
    for _, c in conflicts.fillna("").iterrows():
        conflict_rows.append(
            {
                "chi_so": indicators[c["chi_so"]].label,
                "tinh": c["tinh"],
                "ky": c["ky"],
                "gia_tri": _extract_value(c, indicators[c["chi_so"]].unit),
                "nguon": sources[c["nguon"]].author + f" ({sources[c['nguon']].year})",
                "vi_tri": c["vi_tri"],
                "duoc_chon": "được chọn" if str(c["duoc_chon"]) == "True" else "",
                "cach_chon": c["cach_chon"],
            }
        )
    n_checked = len(checked)
    n_verified = int((checked["trang_thai"] == VERIFIED).sum())
    return {
        "ky_dti": dti_period,
        "dti_tinh": provinces,
        "dti_rows": dti_rows if provinces else [],
        "dti_notes": dti_notes.lines(),
        "dti_tong": overall_text,
        "bieu_do_dti": image_src(figure),
        "tinh_tables": province_tables,
        "theo_nguon": per_source,
        "xung_dot": conflict_rows,
        "so_trich_xuat": number(n_checked),
        "so_da_kiem": number(n_verified),
        "so_chua_kiem": number(n_checked - n_verified),
        "uu_tien": [sources[s].author for s in prefer if s in sources],
    }


# --- models ---------------------------------------------------------------------------------

MODEL_COLUMNS = {
    "gop_logit_tham_gia": "Tham gia trực tiếp (logit gộp)",
    "gop_thu_bac_muc_do": "Mức độ tham gia (thứ bậc gộp)",
    "chi_so_so_hoat_dong": "Số hoạt động tham gia (GLM nhị thức)",
    "chi_so_muc_do_tb": "Mức độ trung bình (OLS, hệ số)",
}


def _or_text(row, ratio: bool = True) -> str:
    est = row["or_"] if ratio else row["he_so"]
    low, high = (number(Decimal(str(row[c])), 2) for c in ("ci_thap", "ci_cao"))
    return f"{number(Decimal(str(est)), 2)} ({low}–{high})"


def _p_text(p: float) -> str:
    return "< 0,001" if p < 0.001 else number(Decimal(str(p)), 3)


def size_word(odds_ratio: float) -> str:
    """Stated rule for the size of an odds ratio (symmetric on the log scale)."""
    r = max(odds_ratio, 1 / odds_ratio)
    return "rất nhỏ" if r < 1.25 else "nhỏ" if r < 1.5 else "vừa" if r < 2.5 else "lớn"


def interpret(row, alpha: float, outcome: str) -> str:
    """One sentence from the numbers: direction, size, significance."""
    or_ = float(row["or_"])
    direction = "cao hơn" if or_ > 1 else "thấp hơn"
    if row["nhan"] == "mỗi năm":
        who = "Mỗi năm thâm niên thêm"
        subject = f"đi kèm khả năng {outcome} {direction}"
    else:
        who = f"Nhóm {row['nhan']}"
        subject = f"có khả năng {outcome} {direction} so với nhóm {row['tham_chieu']}"
    sig = "có ý nghĩa thống kê" if float(row["p"]) < alpha else "không có ý nghĩa thống kê"
    p_text = _p_text(float(row["p"]))
    p_text = p_text if p_text.startswith("<") else f"= {p_text}"
    return (
        f"{who} {subject} (OR = {number(Decimal(str(or_)), 2)}; p {p_text}); "
        f"mức chênh {size_word(or_)}, {sig} ở mức {number(Decimal(str(alpha * 100)), 0)}%."
    )


METHOD_WORDS = {
    "fdr_bh": "Benjamini–Hochberg",
    "bonferroni": "Bonferroni",
    "holm": "Holm",
    "fdr_by": "Benjamini–Yekutieli",
    "none": "không hiệu chỉnh",
}


def models_context(
    *, per, pooled, brant, bivariate, summary, figures: dict[str, Path], illustrative: bool
) -> dict:
    alpha = 1 - float(summary["do_tin_cay"])
    terms = pooled[pooled["mo_hinh"] == "gop_logit_tham_gia"][["so_hang", "bien", "nhan", "tham_chieu"]]
    rows = []
    for _, t in terms.iterrows():
        label = (
            "Thâm niên (mỗi năm)"
            if t["nhan"] == "mỗi năm"
            else f"{t['nhan']} (tham chiếu: {t['tham_chieu']})"
        )
        cells = []
        for model in MODEL_COLUMNS:
            hit = pooled[(pooled["mo_hinh"] == model) & (pooled["so_hang"] == t["so_hang"])]
            if hit.empty:
                cells.append({"est": "–", "p": ""})
                continue
            r = hit.iloc[0]
            cells.append({"est": _or_text(r, ratio=model != "chi_so_muc_do_tb"), "p": _p_text(float(r["p"]))})
        rows.append({"nhan": label, "cells": cells, "kiem_soat": t["bien"] == "tinh"})
    focal_rows = pooled[pooled["bien"] != "tinh"]
    sentences = {
        "tham_gia": [
            interpret(r, alpha, "trực tiếp tham gia")
            for _, r in focal_rows[focal_rows["mo_hinh"] == "gop_logit_tham_gia"].iterrows()
        ],
        "muc_do": [
            interpret(r, alpha, "tự đánh giá mức độ tham gia")
            for _, r in focal_rows[focal_rows["mo_hinh"] == "gop_thu_bac_muc_do"].iterrows()
        ],
    }
    counts = []
    for (model, _term), part in per[per["bien"] != "tinh"].groupby(["mo_hinh", "so_hang"], sort=False):
        sig = part[part["p_hieu_chinh"] < alpha]
        counts.append(
            {
                "mo_hinh": "tham gia" if model == "logit_tham_gia" else "mức độ",
                "nhan": "thâm niên (mỗi năm)"
                if part["nhan"].iloc[0] == "mỗi năm"
                else f"{part['nhan'].iloc[0]} so với {part['tham_chieu'].iloc[0]}",
                "cao": number(int((sig["or_"] > 1).sum())),
                "thap": number(int((sig["or_"] < 1).sum())),
            }
        )
    overall = brant[brant["so_hang"] == "tổng thể"]
    flagged = per[per["tinh_trang"].astype(str) != "ổn"].drop_duplicates(["mo_hinh", "hoat_dong"])
    bv = bivariate.groupby("kiem_dinh")["p"].apply(lambda p: int((p < alpha).sum()))
    return {
        "bang": rows,
        "cot": list(MODEL_COLUMNS.values()),
        "cau": sentences,
        "dem": counts,
        "kr20": number(Decimal(str(summary["kr20_tham_gia"])), 2),
        "alpha_muc_do": (
            number(Decimal(str(summary["alpha_muc_do_du"])), 2)
            if summary["alpha_muc_do_du"] is not None
            else None
        ),
        "n_du": number(summary["so_nguoi_du_14_muc_do"]),
        "brant_bac_bo": number(int((overall["p"] < alpha).sum())),
        "brant_o_thua": number(int((overall["canh_bao"].fillna("") != "").sum())),
        "so_mo_hinh_canh_bao": number(len(flagged)),
        "khong_hoi_tu": number(len(summary["khong_hoi_tu"])),
        "hai_bien": {k: number(int(v)) for k, v in bv.items()},
        "muc_y_nghia": number(Decimal(str(alpha * 100)), 0),
        "do_tin_cay": number(Decimal(str(summary["do_tin_cay"] * 100)), 0),
        "hieu_chinh": METHOD_WORDS[summary["hieu_chinh_p"]],
        "dieu_chinh": summary.get("dieu_chinh_dac_ta", []),
        "bien": [c["nhan"] for c in summary["bien_doc_lap"]],
        "bieu_do_or": image_src(figures["forest"]),
        "bieu_do_du_doan": image_src(figures["predictions"]),
        "minh_hoa": illustrative,
        "chan_doan": [
            {
                "hoat_dong": r["hoat_dong"],
                "mo_hinh": "logit tham gia" if r["mo_hinh"] == "logit_tham_gia" else "thứ bậc mức độ",
                "tinh_trang": r["tinh_trang"],
            }
            for _, r in flagged.iterrows()
        ],
        "brant": [
            {
                "hoat_dong": r["hoat_dong"],
                "chi2": number(Decimal(str(r["chi2"])), 1),
                "df": int(r["bac_tu_do"]),
                "p": _p_text(float(r["p"])),
                "canh_bao": r["canh_bao"] if isinstance(r["canh_bao"], str) else "",
            }
            for _, r in overall.iterrows()
        ],
    }


# --- codebook and reproducibility appendices ------------------------------------------------

TYPE_WORDS = {
    "id": "mã (thay bằng bí danh)",
    "identifier": "dữ liệu cá nhân (loại bỏ)",
    "datetime": "thời điểm",
    "integer": "số nguyên",
    "category": "phân loại",
    "boolean": "có/không",
    "ordinal": "thang 5 mức",
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
                "loai": TYPE_WORDS.get(var.type, var.type),
                "gia_tri": values,
                "dieu_kien": f"chỉ khi «{var.only_if}» là Có" if var.only_if else "",
            }
        )
    return rows


def reproducibility(paths: dict[str, Path], root: Path) -> dict:
    """Appendix F: software versions, the commit, and SHA-256 of the inputs (a digest of
    results/manifest.json, which also covers every output)."""
    import platform

    from . import manifest

    git = manifest.git_state(root)
    return {
        "python": platform.python_version(),
        "goi": [{"ten": name, "phien_ban": v} for name, v in manifest.package_versions().items()],
        "commit": git["commit"] or "không có (không phải kho git)",
        "sua_doi": bool(git["dirty"]),
        "tep": [
            {"ten": name, "duong_dan": str(path), "sha256": manifest.sha256(Path(path))}
            for name, path in paths.items()
        ],
    }


# --- comparison of survey waves -------------------------------------------------------------

VARIABLE_WORDS = {"tinh": "Tỉnh/thành phố", "cap_hanh_chinh": "Cấp hành chính"}


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
) -> dict:
    """The comparison section: what was mapped how, and the change per activity and unit."""
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
                "p": _p_text(float(r.p_hieu_chinh)),
                "co_y_nghia": float(r.p_hieu_chinh) < alpha,
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
                "p": _p_text(float(r.p_hieu_chinh)) if pd.notna(r.p_hieu_chinh) else "–",
            }
        )
    unit_rows = []
    for r in units.itertuples(index=False):
        compared = r.pham_vi == "cả hai đợt"
        unit_rows.append(
            {
                "bien": VARIABLE_WORDS.get(r.bien, r.bien),
                "don_vi": r.don_vi_chung
                if isinstance(r.don_vi_chung, str) and r.don_vi_chung
                else "(không có đơn vị tương ứng)",
                "n_truoc": number(int(r.n_truoc)),
                "n_sau": number(int(r.n_sau)),
                "truoc": number(Decimal(str(r.tb_truoc)), 1) if compared else "–",
                "sau": number(Decimal(str(r.tb_sau)), 1) if compared else "–",
                "chenh": _signed(float(r.chenh_lech), 1) if compared else r.pham_vi,
                "ktc": _interval(r._asdict(), 1) if compared else "",
                "p": _p_text(float(r.p_hieu_chinh)) if compared else "",
            }
        )
    mapping_rows = [
        {
            "dot": str(r.dot),
            "bien": VARIABLE_WORDS.get(r.bien, r.bien),
            "goc": r.don_vi_goc,
            "chung": r.don_vi_chung if isinstance(r.don_vi_chung, str) and r.don_vi_chung else "–",
            "n": number(int(r.n)),
            "pham_vi": r.pham_vi,
        }
        for r in mapping.itertuples(index=False)
    ]
    merged = mapping[mapping["doi_doi"].astype(str) == "True"]
    merges = [
        f"{r.don_vi_goc} (đợt {r.dot}, {number(int(r.n))} người) được tính vào {r.don_vi_chung}"
        for r in merged.itertuples(index=False)
    ]
    lost = mapping[mapping["pham_vi"] == "không có đơn vị tương ứng"]
    no_match = [
        f"{VARIABLE_WORDS.get(r.bien, r.bien).lower()} «{r.don_vi_goc}» "
        f"(đợt {r.dot}, {number(int(r.n))} người)"
        for r in lost.itertuples(index=False)
    ]
    single = mapping[mapping["pham_vi"].str.startswith("chỉ có ở đợt")]
    one_wave_units = [
        f"{r.don_vi_goc} ({r.pham_vi}, {number(int(r.n))} người)"
        for r in single[single["bien"] == "tinh"].itertuples(index=False)
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
        "tang": number(int((sig["chenh_lech"] > 0).sum())),
        "giam": number(int((sig["chenh_lech"] < 0).sum())),
        "muc_do_tang": number(int((lev_sig["chenh_lech"] > 0).sum())),
        "muc_do_giam": number(int((lev_sig["chenh_lech"] < 0).sum())),
        "tham_gia": part_rows,
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
        "do_tin_cay": number(Decimal(str(confidence * 100)), 0),
        "hieu_chinh": METHOD_WORDS.get(method, method),
    }
