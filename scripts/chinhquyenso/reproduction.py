"""Compare the computed tables with the figures published in the article.

Rules (the same for every table):
- a count must equal the published count;
- a percentage is recomputed from the computed count, half-up at the published precision,
  and must equal the published percentage. Where it does not, but the computed count equals the
  count the article itself publishes (or implies), the disagreement is the article's own:
  it is listed as a published erratum, with the reason (truncated instead of rounded, or a
  typo), never hidden and never counted as a failure.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_DOWN, Decimal
from fractions import Fraction

import pandas as pd

from .published import TOTAL_COLUMN, PublishedFigures, count_from_percent
from .tables import TOTAL, answers_only, level_base
from .vn_format import percent_value

KHOP = "khớp"
LECH = "lệch"
ERRATUM = "sai lệch trong bài báo"
BOUND_NOTE = "bài báo chỉ công bố ngưỡng"


def _decimals(value: Decimal) -> int:
    return max(0, -value.as_tuple().exponent)


def _truncated(count: int, base: int, decimals: int) -> Decimal:
    exact = Fraction(100 * count, base)
    return (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(
        Decimal(1).scaleb(-decimals), rounding=ROUND_DOWN
    )


class _Checker:
    def __init__(self) -> None:
        self.rows: list[dict] = []

    def count(self, bang: str, chi_tieu: str, published: int, computed: int, note: str = "") -> None:
        self.rows.append(
            {
                "bang": bang,
                "chi_tieu": chi_tieu,
                "loai": "số lượng",
                "cong_bo": str(published),
                "tinh_duoc": str(computed),
                "trang_thai": KHOP if published == computed else LECH,
                "ghi_chu": note,
            }
        )

    def percent(
        self, bang: str, chi_tieu: str, published: Decimal, count: int, base: int, published_count: int | None
    ) -> None:
        dec = _decimals(published)
        computed = percent_value(count, base, dec)
        note = f"{count}/{base}"
        if computed == published:
            status = KHOP
        elif published_count is not None and published_count == count:
            status = ERRATUM
            if _truncated(count, base, dec) == published:
                note += "; bài báo cắt bớt chữ số thay vì làm tròn"
            else:
                note += "; tỷ lệ công bố không khớp với số lượng công bố"
        else:
            status = LECH
        self.rows.append(
            {
                "bang": bang,
                "chi_tieu": chi_tieu,
                "loai": "tỷ lệ %",
                "cong_bo": str(published),
                "tinh_duoc": str(computed),
                "trang_thai": status,
                "ghi_chu": note,
            }
        )

    def bound(self, bang: str, chi_tieu: str, bound: str, count: int, base: int) -> None:
        computed = percent_value(count, base, 1)
        op, limit = bound[0], Decimal(bound[1:])
        ok = computed > limit if op == ">" else computed < limit
        self.rows.append(
            {
                "bang": bang,
                "chi_tieu": chi_tieu,
                "loai": "tỷ lệ %",
                "cong_bo": bound,
                "tinh_duoc": str(computed),
                "trang_thai": KHOP if ok else LECH,
                "ghi_chu": f"{count}/{base}; {BOUND_NOTE}",
            }
        )


def compare(
    pub: PublishedFigures, computed: Mapping[str, pd.DataFrame], roles: Mapping[str, str]
) -> pd.DataFrame:
    """One row per published figure: published, computed, status and a note.

    ``computed`` holds the descriptive tables keyed as ``tables.compute_all`` returns them;
    ``roles``: the codebook's roles (the sample profile names its rows after the variables).
    """
    age, tenure = roles["age"], roles["tenure"]
    gender, levels_admin = computed["gender"], computed["admin_levels"]
    table3, shares, profile = computed["levels"], computed["shares"], computed["profile"]
    chk = _Checker()
    prof = dict(zip(profile["chi_bao"], profile["gia_tri"], strict=True))
    chk.count("Mẫu", "Tổng số người trả lời", pub.n, int(prof["n"]))
    chk.count("Mẫu", "Tuổi nhỏ nhất", pub.age_range[0], int(prof[f"{age}_min"]))
    chk.count("Mẫu", "Tuổi lớn nhất", pub.age_range[1], int(prof[f"{age}_max"]))
    chk.count("Mẫu", "Thâm niên thấp nhất (năm)", pub.tenure_range[0], int(prof[f"{tenure}_min"]))
    chk.count("Mẫu", "Thâm niên cao nhất (năm)", pub.tenure_range[1], int(prof[f"{tenure}_max"]))

    g = gender.set_index(list(gender.columns[:2]))  # province, gender
    for prov, row in pub.gender_by_province.items():
        for sex, n in row.items():
            chk.count("Bảng 1", f"{prov} – {sex}", n, int(g.at[(prov, sex), "n"]))
    totals = {
        sex: sum(r[sex] for r in pub.gender_by_province.values())
        for sex in next(iter(pub.gender_by_province.values()))
    }
    for prov, row in pub.gender_percent.items():
        key = TOTAL if prov == TOTAL_COLUMN else prov
        for sex, pct in row.items():
            pub_count = totals[sex] if prov == TOTAL_COLUMN else pub.gender_by_province[prov][sex]
            chk.percent(
                "Bảng 1",
                f"{prov} – {sex}",
                pct,
                int(g.at[(key, sex), "n"]),
                int(g.at[(key, sex), "co_so"]),
                pub_count,
            )

    lv = answers_only(levels_admin).set_index(levels_admin.columns[0])
    for level, n in pub.level_counts.items():
        chk.count("Cấp hành chính", level, n, int(lv.at[level, "n"]))
        chk.percent(
            "Cấp hành chính",
            level,
            pub.level_percent[level],
            int(lv.at[level, "n"]),
            int(lv.at[level, "co_so"]),
            n,
        )

    t3 = table3.set_index(table3.columns[0])  # activity ids
    for item, counts in pub.table3.items():
        label = f"{pub.table3_row[item]}. {t3.at[item, 'nhan']}"
        for col, (header, ours) in pub.table3_columns.items():
            chk.count("Bảng 3", f"{label} – {header}", counts[col], int(t3.at[item, ours]))
        for col, pct in pub.table3_percent.get(item, {}).items():
            header, ours = pub.table3_columns[col]
            chk.percent(
                "Bảng 3",
                f"{label} – {header} (%)",
                pct,
                int(t3.at[item, ours]),
                int(t3.at[item, level_base(t3)]),  # our table's base: the valid answers
                counts[col],
            )

    for item, pct in pub.chart1_quoted.items():
        chk.percent(
            "Biểu đồ 1",
            str(t3.at[item, "nhan"]),
            pct,
            int(t3.at[item, "n_tham_gia"]),
            int(t3.at[item, "co_so_mau"]),
            pub.table3[item]["n_total"],
        )

    # Range statements of the text about Biểu đồ 1 ("từ 68% đến 82%").
    for items, lo, hi in pub.chart1_ranges.values():
        items = items or tuple(pub.table3)
        rows = t3.loc[list(items)]
        pub_n = [pub.table3[i]["n_total"] for i in items]
        for end, published, ours, theirs in (
            ("thấp nhất", lo, int(rows["n_tham_gia"].min()), min(pub_n)),
            ("cao nhất", hi, int(rows["n_tham_gia"].max()), max(pub_n)),
        ):
            chk.percent(
                "Biểu đồ 1",
                f"Khoảng tỷ lệ của {len(items)} hoạt động, mức {end}",
                published,
                ours,
                int(rows["co_so_mau"].iloc[0]),
                theirs,
            )

    sh = answers_only(shares).set_index("chi_bao")
    for key, pct in pub.shares.items():
        count, base = int(sh.at[key, "n"]), int(sh.at[key, "co_so"])
        bang = "Biểu đồ 2" if sh.at[key, "nhom"] == pub.barriers_block else "Tỷ lệ trong bài"
        if pct is None:
            chk.bound(bang, str(sh.at[key, "nhan"]), pub.share_bounds[key], count, base)
            continue
        implied = count_from_percent(pct, base)
        chk.count(bang, str(sh.at[key, "nhan"]), implied, count, note="số lượng suy ra từ tỷ lệ công bố")
        chk.percent(bang, str(sh.at[key, "nhan"]), pct, count, base, implied)

    return pd.DataFrame(chk.rows)


def summary(result: pd.DataFrame) -> dict[str, int]:
    counts = result["trang_thai"].value_counts()
    return {s: int(counts.get(s, 0)) for s in (KHOP, ERRATUM, LECH)}


def protect_small(result: pd.DataFrame, min_cell: int) -> pd.DataFrame:
    """The comparison as published (appendix A, results/reproduction/): a recomputed count under
    ``min_cell`` is shown only where it is the article's own figure (it matches, and the article
    printed the value itself, not a bound); elsewhere it and the percentage made from it are
    "(ẩn)", like any small cell of the report."""
    out = result.copy()
    fraction = out["ghi_chu"].str.extract(r"^(\d+)/(\d+)")
    count = pd.to_numeric(fraction[0], errors="coerce")
    count = count.where(out["loai"] != "số lượng", pd.to_numeric(out["tinh_duoc"], errors="coerce"))
    public = (out["trang_thai"] == KHOP) & ~out["ghi_chu"].str.contains(BOUND_NOTE, regex=False)
    hide = count.between(1, min_cell - 1) & ~public
    out.loc[hide, "tinh_duoc"] = "(ẩn)"
    out.loc[hide, "ghi_chu"] = out.loc[hide, "ghi_chu"].str.replace(r"^\d+/", "(ẩn)/", regex=True)
    return out
