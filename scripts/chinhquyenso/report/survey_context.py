"""Context of the survey sections: the sample, each question block the form declares, the
conclusion. Every number is formatted here by ``vn_format``; the templates only place them.

What is shown follows the codebook's roles and blocks (``codebook.blocks``): a block the form
does not ask has no context, and the section registry leaves out what needs it.

The tables are the published ones (``disclosure``): a hidden count is empty (NaN) and prints as
"(ẩn)"; a percentage is printed only when its count and its base are both published, and no
sentence quotes a hidden number. The tables' rows are built in ``survey_rows``.
"""

from __future__ import annotations

import pandas as pd

from ..codebook import Codebook
from ..plan import breakdown_titles
from ..tables import TOTAL, level_base, level_columns, summary_column
from ..vn_format import number
from .gaps_text import base_note, classes_said, level_gaps, share_note, split_classes, with_gaps
from .survey_rows import HIDDEN, breakdown_rows, cell, gender_rows, level_rows, pct, shown, simple_rows
from .survey_text import labelled, place, ranges_sentence, without_respondents, yes_sentence
from .vn_text import join


def _extremes(frame: pd.DataFrame, n_col: str, base_col: str) -> tuple[dict | None, dict | None, bool]:
    """Lowest and highest published share (label and %), and whether any row is left out because
    its count or base is hidden (a sentence about the range then says so)."""
    ok = frame[n_col].notna() & frame[base_col].notna() & (frame[base_col] > 0)
    part = frame[ok]
    if part.empty:
        return None, None, True
    share = part[n_col] / part[base_col]
    lo, hi = share.idxmin(), share.idxmax()

    def pick(i):
        """The row at ``i`` and every row with exactly the same share (a tie is named whole)."""
        n, base = int(frame.at[i, n_col]), int(frame.at[i, base_col])
        tied = [
            r.nhan
            for r in part.itertuples(index=False)
            if getattr(r, n_col) * base == n * getattr(r, base_col)
        ]
        return {"nhan": join(tied), "nhan_q": join([f"«{t}»" for t in tied]), "pct": pct(n, base)}

    return pick(lo), pick(hi), not ok.all()


def _chart_order(labels: list[str]) -> str:
    """What the level chart sorts by (figures.level_chart): the upper half of the scale, and
    half the middle level when the scale has one."""
    half = len(labels) // 2
    upper = "/".join(labels[len(labels) - half :])
    middle = f" cộng một nửa tỷ lệ mức {labels[half]}" if len(labels) % 2 else ""
    return f"tỷ lệ mức {upper}{middle}"


def _activities(computed: dict, book: Codebook) -> dict | None:
    acts = book.activities
    if acts is None:
        return None
    levels, direct = computed["levels"], computed["direct"]
    summary = summary_column(acts.scale)
    bottom, top, direct_hidden = _extremes(direct, "n", "co_so")
    low, high, levels_hidden = _extremes(levels, summary, level_base(levels))
    heads, gaps, gaps_note = level_gaps(levels, book.missing_classes, cell)
    rows = level_rows(levels, acts.scale, gaps)
    labels = list(acts.scale.labels.values())
    # rows the level chart cannot draw (figures.level_chart): base or an upper level hidden
    upper = list(level_columns(acts.scale).values())[len(labels) // 2 :]
    undrawable = levels[level_base(levels)].isna() | levels[upper].isna().any(axis=1)
    return {
        "tieu_de": acts.title,
        "nhom": (acts.group_label or acts.title).lower(),
        "so_hd": number(len(acts)),
        "cao_nhat": top,
        "thap_nhat": bottom,
        "tham_gia_co_an": direct_hidden,
        "muc": labels,
        "thang": "; ".join(f"{code}: {label.lower()}" for code, label in acts.scale.labels.items()),
        "so_muc": number(len(labels)),
        "muc_tom_tat": f"Từ {acts.scale.labels[acts.scale.summary_from]} đến {labels[-1]}",
        "muc_cao": acts.scale.band_label(acts.scale.high_from),
        "thu_tu_bieu_do": _chart_order(labels),
        "khong_ve": bool(undrawable.any()),
        "ve_duoc": bool((~undrawable).any()),  # at least one bar: else the chart is left out
        "bang": rows,
        "khuyet_cot": heads,  # with item non-response on a level: its classes and the valid base
        "khuyet_lop": join([f"«{h}»" for h in heads[:-1]]),
        "khuyet_ghi_chu": gaps_note,
        "co_an": any(r["an"] for r in rows),
        "min": low["pct"] if low else "",
        "max": high["pct"] if high else "",
        "muc_co_an": levels_hidden,
    }


def _share_groups(shares: pd.DataFrame | None, book: Codebook) -> list[dict]:
    """One row group per yes/no, rating or multi-select block, in codebook order."""
    if shares is None:
        return []
    groups = []
    for block in book.blocks:
        part, gaps = split_classes(shares[shares["nhom"] == block.id])
        if part.empty:
            continue
        if block.kind == "multiselect":  # hidden options last: their place says nothing of their size
            part = part.sort_values("n", ascending=False, kind="stable", na_position="last")
        suffix = {
            "ratings": f" (mức {block.scale.labels[block.scale.summary_from].lower()} trở lên)"
            if block.scale
            else "",
            "multiselect": " (người trả lời chọn)",
        }.get(block.kind, "")
        rows = [
            {
                "nhan": r.nhan,
                **cell(r.n, r.co_so),
                # a yes/no question's bare yes: a shared scale's own spelling ("Có tham gia")
                # carries words of the questions it was written for
                "tra_loi": book[r.chi_bao].answer(True) if block.kind == "indicators" else "",
            }
            for r in part.itertuples(index=False)
        ]
        rows, notes = with_gaps(rows, part, gaps, cell)
        groups.append(
            {
                "khuyet": notes,
                "id": block.id,
                "kind": block.kind,
                "tieu_de": block.title + suffix,
                "ten": block.title,
                "rows": rows,
                "co_an": any(r["an"] for r in rows),
            }
        )
    return groups


def _choices(choices: pd.DataFrame | None) -> list[dict]:
    if choices is None:
        return []
    out = []
    for _var, whole in choices.groupby("bien", sort=False):
        part, gaps = split_classes(whole)
        said = classes_said(gaps, "gia_tri")
        out.append(
            {
                "khuyet": f"; {said}" if said else "",
                "nhan": part["nhan"].iloc[0],
                "rows": [{"nhan": r.gia_tri, **cell(r.n, r.co_so)} for r in part.itertuples(index=False)]
                + [{"nhan": g.gia_tri, **cell(g.n, float("nan"))} for g in gaps.itertuples(index=False)],
                "co_so": cell(part["co_so"].iloc[0], part["co_so"].iloc[0])["n"],
                "co_an": bool(part["n"].isna().any() or part["co_so"].isna().any()),
            }
        )
    return out


def _numeric(table: pd.DataFrame | None) -> list[dict]:
    if table is None:
        return []
    from decimal import Decimal

    def fmt(x, d=1):  # hidden with its count, or nobody answered
        return "–" if pd.isna(x) else number(Decimal(str(round(float(x), d))), d)

    table, gaps = split_classes(table)
    said = {var: classes_said(part) for var, part in gaps.groupby("bien", sort=False)}
    return [
        {
            "khuyet": said.get(r.bien, ""),
            "nhan": r.nhan,
            "an": not shown(r.n),
            "n": number(int(r.n)) if shown(r.n) else HIDDEN["n"],
            "min": fmt(r.nho_nhat, 0),
            "median": fmt(r.trung_vi),
            "mean": fmt(r.trung_binh),
            "max": fmt(r.lon_nhat, 0),
        }
        for r in table.itertuples(index=False)
    ]


def _conclusion(share_groups: list[dict]) -> list[dict]:
    """Key numbers of the other blocks the conclusion quotes: each yes/no indicator, and the
    two most chosen options of each multi-select question."""
    out = []
    for g in share_groups:
        rows = [r for r in g["rows"] if r["pct"]]  # a hidden share is never quoted, only named
        if not rows:
            continue
        if g["kind"] == "indicators":
            said = join([f"{r['pct']}% với «{r['nhan']}»" for r in rows])
            hidden = [f"«{r['nhan']}»" for r in g["rows"] if not r["pct"]]
            if hidden:
                said += f" (tỷ lệ với {join(hidden)} được ẩn)"
            out.append({"ten": g["ten"], "cau": f"tỷ lệ trả lời có là {said}"})
        elif g["kind"] == "multiselect":
            top = rows[:2]
            word = (
                "hai phương án được chọn nhiều nhất là"
                if len(top) > 1
                else "phương án được chọn nhiều nhất là"
            )
            out.append(
                {"ten": g["ten"], "cau": f"{word} " + join([f"«{r['nhan']}» ({r['pct']}%)" for r in top])}
            )
    return out


def survey_context(
    *,
    config: dict,
    computed: dict[str, pd.DataFrame],
    book: Codebook,
    figures: dict[str, str],
    whole_sample: bool = True,
) -> dict:
    """The sample and every question block's numbers (``computed``: tables.compute_all).
    ``whole_sample``: the overall report, which names the provinces and administrative levels
    the codebook declares and nobody answered from (a province report has one province)."""
    computed = labelled(computed, book)
    min_cell = int(config["report"].get("min_cell", 5))
    profile = computed["profile"]
    prof = dict(zip(profile["chi_bao"], profile["gia_tri"], strict=True))
    n = int(prof["n"])
    mau = {
        "n": number(n),
        "min_cell": number(min_cell),
        "tinh": [],
        "so_tinh": "0",
        "khoang": "",
        "noi": "",
        "gioi_tinh": [],
    }
    if book.role("province"):
        mau["so_tinh"] = number(int(prof[f"so_{book.role('province')}"]))
        mau["nhan_tinh"] = book[book.role("province")].short_label
    mau["khoang"] = ranges_sentence(prof, book)
    context: dict = {"mau": mau}
    if "gender" in computed:
        gender = computed["gender"]
        provinces, rows = gender_rows(gender)
        # the provinces someone answered from (the table lists every one the codebook has)
        base = gender.groupby(gender.columns[0], sort=False)["co_so"].first()
        mau["tinh"] = [p for p in provinces if p != TOTAL and not (shown(base[p]) and int(base[p]) == 0)]
        n_prov = prof.get(f"so_{book.role('province')}")
        mau["noi"] = place(mau["tinh"], int(n_prov) if n_prov is not None and shown(n_prov) else 0)
        total = gender[gender[gender.columns[0]] == TOTAL]
        mau["gioi_tinh"] = [  # the sentence names only the published counts
            {"nhan": r[gender.columns[1]], "n": number(int(r["n"])), "pct": pct(r["n"], n)}
            for _, r in total.iterrows()
            if shown(r["n"])
        ]
        context["bang_gioi_tinh"] = {
            "tinh": provinces,
            "rows": rows,
            "co_an": any(c["an"] for r in rows for c in r["cells"]),
        }
    absent = []  # (variable label, values nobody has), named once in the sample paragraph
    if whole_sample and mau["tinh"]:
        var = book[book.role("province")]
        absent.append((var.label, [p for p in map(var.display, var.values) if p not in mau["tinh"]]))
    if "admin_levels" in computed:
        levels, gaps = split_classes(computed["admin_levels"])
        if len(gaps):  # shares of the valid answers; the item non-response rows after the total
            levels = levels.assign(co_so=levels["n_tra_loi"])
        nobody = levels["n"].notna() & (levels["n"] == 0)
        if whole_sample:  # a level nobody has: said in the sentence, not a row of zeros
            label = book[book.role("admin_level")].label
            absent.append((label, levels.loc[nobody, levels.columns[0]].tolist()))
            levels = levels[~nobody]
        rows = simple_rows(levels, levels.columns[0])
        rows += [
            {"nhan": r.iloc[0], **cell(r["n"], float("nan")), "is_total": False} for _, r in gaps.iterrows()
        ]
        note = base_note(levels["n_tra_loi"].iloc[0], gaps, levels.columns[0]) if len(gaps) else ""
        context["bang_cap"] = {
            "khuyet": f" {note[0].upper()}{note[1:]}." if note else "",
            "nhan": book[book.role("admin_level")].short_label,
            "nhan_dai": book[book.role("admin_level")].label,  # the sentence and the caption
            "rows": rows,
            "co_an": any(r.get("an") for r in rows),
            "text": [
                {"nhan": r[levels.columns[0]], "pct": pct(r["n"], r["co_so"])}
                for _, r in levels.iterrows()
                if shown(r["n"])
            ],
        }
    mau["vang"] = without_respondents(absent, provinces=bool(absent and mau["tinh"] and absent[0][1]))
    shares = computed.get("shares")
    groups = _share_groups(shares, book)
    context.update(
        hoat_dong=_activities(computed, book),
        ty_le_khac={
            "nhom": groups,
            "khuyet": share_note(groups),
            "ten": join([g["ten"].lower() if i else g["ten"] for i, g in enumerate(groups)]),
            "cau_co_khong": yes_sentence(groups),
        }
        if groups
        else None,
        lua_chon=_choices(computed.get("choices")),
        thong_ke_so=_numeric(computed.get("numeric")),
        theo_nhom=breakdown_rows(computed.get("breakdowns"), book),
        chieu_nhom=join([t.lower() for t in breakdown_titles(book).values()]),
        # a number (tenure) shown in bands in the breakdowns
        chia_khoang=book[book.role("tenure")].short_label if book.role("tenure") else "",
        hinh=dict(figures),
        bieu_do_chon=[{"id": f"bieu_do_{b.id}", "ten": b.title} for b in book.blocks_of("multiselect")],
        ket_luan_khoi=_conclusion(groups),
    )
    return context
