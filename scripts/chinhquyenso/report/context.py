"""The whole report's context: from the rule's input files to what the templates print.

``build_context`` assembles the parts (survey, documents, models, waves, appendices) and the
``co`` flags the section registry checks; ``context_from_files`` reads every input the render
rules give it. The rule script only hands over the ``snakemake`` object.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pandas as pd

from .. import reproduction
from ..codebook import Block, Codebook, fold
from ..vn_format import long_date, number
from .render import image_src
from .survey_context import survey_context
from .survey_text import left_out_sentence
from .vn_text import count, join


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
        "cau": reproduction_sentence(
            len(result), total[reproduction.KHOP], total[reproduction.ERRATUM], total[reproduction.LECH]
        ),
        "by_table": by_table,
        "notable": notable.to_dict("records"),
        "tong": number(len(result)),
        "khop": number(total[reproduction.KHOP]),
        "errata": number(total[reproduction.ERRATUM]),
        "lech": number(total[reproduction.LECH]),
        "all_match": total[reproduction.LECH] == 0,
    }


def reproduction_sentence(total: int, match: int, errata: int, mismatch: int) -> str:
    """Appendix A's result in words, 0 and "all" said properly."""
    if match == total:
        return f"Cả {number(total)} số liệu đều khớp."
    head = f"Trong {number(total)} số liệu, {count(match, 'số liệu', none='không số liệu nào')} khớp"
    parts = [head]
    if errata:
        parts.append(
            f"{number(errata)} số liệu là sai lệch nằm ngay trong bài báo (tỷ lệ công bố không khớp với "
            "số đếm mà chính bài báo công bố)"
        )
    parts.append(
        f"{number(mismatch)} số liệu khác với số tính lại"
        if mismatch
        else "không có số liệu nào khác với số tính lại"
    )
    return "; ".join(parts) + "."


def _reason(text: str) -> str:
    """A cleaning reason as a table row prints it: capitalised, "codebook" said in Vietnamese."""
    text = str(text).replace("codebook", "bảng mã biến")
    return text[:1].upper() + text[1:]


def _cleaning_log(log: pd.DataFrame) -> dict:
    """Appendix B: the changes counted by reason. The entries themselves (row, old and new
    answer) are one respondent's answers: they stay in the internal log, never in a report."""
    by_reason = (
        log.groupby("ly_do", sort=False).agg(n=("ly_do", "size"), cot=("cot", "nunique")).reset_index()
    )
    return {
        "so_thay_doi": number(len(log)),
        "co_thay_doi": not log.empty,
        "theo_ly_do": [
            {"ly_do": _reason(r.ly_do), "n": number(int(r.n)), "so_cot": number(int(r.cot))}
            for r in by_reason.itertuples(index=False)
        ],
    }


def _same_block(a: Block, b: Block) -> bool:
    """One question block in two forms: the same id or the same title (a block renamed in one
    form keeps its title, or its id), or the activities block of each (there is at most one)."""
    return a.id == b.id or fold(a.title) == fold(b.title) or (a.kind == b.kind == "activities")


def block_changes(book: Codebook, references: list[Codebook], left=None) -> dict:
    """Blocks the reference forms (``survey.reference_codebook``, the other waves) ask and this
    form does not, and blocks only this form asks: one sentence for the methods section. ``left``
    (``answered.LeftOut``): blocks and questions this form declares optional and the export does
    not have, said in a sentence of their own (and not again as blocks the form does not ask)."""
    theirs = [b for ref in references for b in ref.blocks]
    said = {fold(t) for t in left.blocks} if left else set()
    absent = list(
        dict.fromkeys(
            b.title
            for b in theirs
            if not any(_same_block(b, o) for o in book.blocks) and fold(b.title) not in said
        )
    )
    new = [b.title for b in book.blocks if references and not any(_same_block(b, o) for o in theirs)]
    parts = []
    if absent:
        blocks = "các khối câu hỏi" if len(absent) > 1 else "khối câu hỏi"
        parts.append(
            f"Bảng hỏi đợt này không có {blocks} "
            + join([f"«{t}»" for t in absent])
            + " của bảng hỏi tham chiếu, nên báo cáo không có các phần tương ứng"
        )
    if new:
        blocks = "các khối" if len(new) > 1 else "khối"
        parts.append(
            ("ngược lại, " if absent else "") + f"bảng hỏi có thêm {blocks} " + join([f"«{t}»" for t in new])
        )
    if not parts:
        kinds = [b.title.lower() for b in book.blocks]
        cau = f"Bảng hỏi gồm {number(len(kinds))} khối câu hỏi: {join(kinds)}." if kinds else ""
    else:
        cau = "; ".join(parts) + "."
        cau = cau[0].upper() + cau[1:]
    if left:
        cau = f"{cau} {left_out_sentence(left)}".strip()
    return {
        "vang": absent,
        "moi": new,
        "cau": cau,
        "noi_dung": join([b.title.lower() for b in book.blocks]),
    }


def _fill(text: str, values: dict) -> str:
    """``text`` with the documented placeholders (the keys of ``values``: {tinh},
    {nam_khao_sat}) replaced by name, and everything else, braces included, exactly as typed:
    config text is never used as template code (no str.format, no jinja), so "{x}" or
    "{{ 7*7 }}" prints as typed."""
    import re

    names = "|".join(re.escape(n) for n in values)
    return re.sub(r"\{(" + names + r")\}", lambda m: str(values[m.group(1)]), text)


def _meta(config: dict, today: dt.date, provinces: list[str]) -> dict:
    report_cfg, survey_cfg = config["report"], config["survey"]
    year = survey_cfg["year"]
    later = [str(w["year"]) for w in config.get("waves") or [] if str(w.get("year", "")) != str(year)]
    # a report of several waves names them all where the config's text says {nam_khao_sat}
    fill = {"tinh": join(provinces), "nam_khao_sat": join([str(year), *later])}
    meta = {
        "tieu_de": _fill(report_cfg["title"], fill),
        "phu_de": _fill(report_cfg.get("subtitle") or "", fill),
        "co_quan": report_cfg["institution"],
        "tac_gia": report_cfg["authors"],
        "nam": report_cfg["year"],
        "noi": report_cfg.get("place") or "",
        "ngay": long_date(today),
        "ngay_iso": today.isoformat(),
        "minh_hoa": bool(survey_cfg.get("illustrative", False)),
        "nam_khao_sat": year,
        "dot_sau": join(later) if later else "",
        "tep_du_lieu": Path(survey_cfg["path"]).name,
        "trich_dan": (config.get("reproduction") or {}).get("citation", ""),
        "gioi_thieu": [_fill(p, fill) for p in report_cfg.get("introduction") or []],
        "khuyen_nghi": list(report_cfg.get("recommendations") or []),
        "tu_khoa": [*report_cfg.get("keywords", []), *provinces],
        # front matter in two languages, as journals ask: the authors' text, printed when set
        "tieu_de_en": (report_cfg.get("title_en") or "").strip(),
        "tom_tat": (report_cfg.get("abstract_vi") or "").strip(),
        "tom_tat_en": (report_cfg.get("abstract_en") or "").strip(),
        "tu_khoa_vi": list(report_cfg.get("keywords") or []),
        "tu_khoa_en": list(report_cfg.get("keywords_en") or []),
    }
    meta["nguon"] = (
        f"Nguồn: Dữ liệu minh họa, khảo sát năm {year}."
        if meta["minh_hoa"]
        else f"Nguồn: Kết quả khảo sát năm {year}."
    )
    return meta


def build_context(
    *,
    config: dict,
    book: Codebook,
    computed: dict[str, pd.DataFrame],
    comparison: pd.DataFrame | None,
    cleaning_log: pd.DataFrame,
    figures: dict[str, Path],
    today: dt.date,
    documents: dict | None = None,
    models: dict | None = None,
    appendix: dict | None = None,
    waves: dict | None = None,
    interviews: dict | None = None,
    references: list[Codebook] = (),
    left_out=None,
    whole_sample: bool = True,
    design: dict | None = None,
) -> dict:
    """Everything the templates print, already formatted the Vietnamese way.

    ``computed``: the descriptive tables keyed as ``tables.compute_all`` returns them;
    ``figures``: chart id -> SVG; ``interviews``: ``interviews_context``'s, or None;
    ``left_out``: what the export's absent optional questions left
    out (``answered.left_out``); ``whole_sample``: False for a province's report."""
    context = survey_context(
        config=config,
        computed=computed,
        book=book,
        figures={k: image_src(v) for k, v in figures.items()},
        whole_sample=whole_sample,
    )
    context["mau"]["tinh_text"] = join(context["mau"]["tinh"])
    context.update(
        meta=_meta(config, today, context["mau"]["tinh"]),
        khoi=block_changes(book, list(references), left_out),
        doi_chieu=_reproduction(comparison) if comparison is not None else None,
        nhat_ky=_cleaning_log(cleaning_log),
        tai_lieu=documents,
        mo_hinh=models,
        so_sanh=waves,
        phong_van=interviews,
        phu_luc={"codebook": [], "tai_lap": None, **(appendix or {})},
        thiet_ke=design,  # the sampling design (report/design_context.py); None: none
    )
    context["co"] = {
        "activities": context["hoat_dong"] is not None,
        "shares": context["ty_le_khac"] is not None,
        "choices": bool(context["lua_chon"]),
        "numeric": bool(context["thong_ke_so"]),
        "breakdowns": bool(context["theo_nhom"]),
        "documents": bool(documents),
        "models": bool(models) and context["hoat_dong"] is not None,
        "models_fitted": bool(models) and context["hoat_dong"] is not None and not models.get("bo_phan_tich"),
        "waves": bool(waves),
        "interviews": bool(interviews),
        "reproduction": comparison is not None,
        "reproducibility": bool(context["phu_luc"]["tai_lap"]),
        "codebook_appendix": bool(context["phu_luc"]["codebook"]),
        "disclosure": bool(context["phu_luc"].get("kiem_soat")),
        "design": bool(design),
        "whole_sample": whole_sample,
    }
    return context
