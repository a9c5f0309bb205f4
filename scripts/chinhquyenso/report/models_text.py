"""The sentences about the models: the results paragraphs and the conclusion's findings.

Every sentence follows from the table it quotes (Bảng "Độ lớn của các khác biệt",
results/models/do_lon_hieu_ung.csv): direction and size only for a significant term, the size
in percentage points of a predicted share (words from config models.effect_size_points), the
terms without a significant effect gathered in one sentence that claims no direction. Numbers go
through ``vn_text.quote`` so that the report-text lint can check them against that table.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd
from markupsafe import Markup

from ..models.spec import is_slope
from ..vn_format import number, round_half_up
from .vn_text import join, quote

EFFECTS = "do_lon_hieu_ung"  # the effects table's id: the stem of its CSV (template and lint)


def ratio(value: float) -> str:
    """An odds ratio with two decimals; three when two would print a ratio ≠ 1 as "1,00"."""
    text = number(Decimal(str(value)), 2)
    if text == "1,00" and abs(value - 1) >= 0.0005:
        text = number(Decimal(str(value)), 3)
    return text


def p_text(p: float) -> str:
    return "< 0,001" if p < 0.001 else number(Decimal(str(p)), 3)


def share(value: float) -> str:
    """A predicted share in percent with one decimal, as the effects table prints it."""
    return number(round_half_up(100 * value, 1), 1)


def points(a: float, b: float) -> str:
    """The change between two printed shares, from the printed values (so that it adds up)."""
    diff = round_half_up(100 * b, 1) - round_half_up(100 * a, 1)
    return ("+" if diff > 0 else "") + number(diff, 1)


@dataclass(frozen=True)
class Outcome:
    """How the sentences name one pooled model's outcome."""

    subject: str  # what rises with a slope: "khả năng trực tiếp tham gia"
    more: tuple[str, str]  # "càng lớn", "càng nhỏ"
    verb: str  # a group against its reference: "có khả năng trực tiếp tham gia"
    share: str  # the predicted share: "tỷ lệ hoạt động trực tiếp tham gia"
    short: str  # the conclusion's name of the share


def outcomes(high_label: str) -> dict[str, Outcome]:
    """The two pooled models the report interprets (``high_label``: the scale's high band)."""
    return {
        "gop_logit_tham_gia": Outcome(
            "khả năng trực tiếp tham gia",
            ("càng lớn", "càng nhỏ"),
            "có khả năng trực tiếp tham gia",
            "tỷ lệ hoạt động trực tiếp tham gia",
            "tỷ lệ hoạt động trực tiếp tham gia",
        ),
        "gop_thu_bac_muc_do": Outcome(
            "mức độ tự đánh giá",
            ("càng cao", "càng thấp"),
            "tự đánh giá mức độ tham gia",
            f"tỷ lệ lượt tham gia ở mức {high_label}",
            f"tỷ lệ tự đánh giá ở mức {high_label}",
        ),
    }


def unit(row) -> str:
    return str(row["nhan"]).removeprefix("mỗi ")


def name_of(variable: str, labels: dict[str, str]) -> str:
    """A covariate's short name inside a sentence: "thâm niên"."""
    return labels.get(variable, variable).split(" (")[0].lower()


def comparison(row, labels: dict[str, str]) -> str:
    """ "Nữ so với Nam"; for a slope, "thâm niên (mỗi năm)"."""
    if is_slope(row):
        return f"{name_of(row['bien'], labels)} ({row['nhan']})"
    return f"{row['nhan']} so với {row['tham_chieu']}"


def p_clause(p: float) -> Markup:
    text = p_text(p)
    return Markup("p {}" if text.startswith("<") else "p = {}").format(quote(text, EFFECTS))


def estimate(row, confidence: str) -> Markup:
    """ "OR = 1,78; KTC 95%: 1,27–2,48; p < 0,001"."""
    return Markup("OR = {}; KTC {}%: {}–{}; {}").format(
        quote(ratio(row["or_"]), EFFECTS),
        confidence,
        quote(ratio(row["ci_thap"]), EFFECTS),
        quote(ratio(row["ci_cao"]), EFFECTS),
        p_clause(float(row["p"])),
    )


SIZE_PHRASES = ("mức chênh {}", "một khác biệt {}", "chênh lệch ở mức {}")  # varied within a paragraph


def on_scale(row, out: Outcome, turn: int = 0) -> Markup:
    """The predicted shares at both ends, their change and the word for its size (``turn``:
    the sentence's place in its paragraph, to vary the phrase)."""
    size = SIZE_PHRASES[turn % len(SIZE_PHRASES)].format(row["do_lon"])
    a, b = float(row["ty_le_tu"]), float(row["ty_le_den"])
    change = Markup("{} điểm phần trăm").format(quote(points(a, b), EFFECTS))
    sa, sb = quote(share(a), EFFECTS), quote(share(b), EFFECTS)
    if is_slope(row):
        move = Markup("tăng từ {}% lên {}%") if b > a else Markup("giảm từ {}% xuống {}%")
        return Markup("từ {} đến {} {}, {} dự đoán {} ({}), {}").format(
            row["tu"], row["den"], unit(row), out.share, move.format(sa, sb), change, size
        )
    return Markup("{} dự đoán là {}% so với {}% ({}), {}").format(out.share, sb, sa, change, size)


def significant_sentence(row, out: Outcome, labels: dict[str, str], confidence: str, turn: int = 0) -> Markup:
    """One significant term: direction, odds ratio with interval and p, the change in share."""
    up = float(row["or_"]) > 1
    if is_slope(row):
        head = Markup("{} càng cao, {} {} ({}: {})").format(
            name_of(row["bien"], labels).capitalize(),
            out.subject,
            out.more[0] if up else out.more[1],
            row["nhan"],
            estimate(row, confidence),
        )
    else:
        head = Markup("Nhóm {} {} {} nhóm {} ({})").format(
            row["nhan"],
            out.verb,
            "cao hơn" if up else "thấp hơn",
            row["tham_chieu"],
            estimate(row, confidence),
        )
    if pd.notna(row["ty_le_tu"]) and pd.notna(row["ty_le_den"]):
        return Markup("{}: {}.").format(head, on_scale(row, out, turn))
    return Markup("{}; mức chênh {} theo tỷ số chênh.").format(head, row["do_lon"])


def null_sentence(
    rows: pd.DataFrame, labels: dict[str, str], alpha_pct: str, nothing_else: bool, again: bool = False
) -> Markup:
    """The terms without a significant effect, in one sentence that claims no direction
    (``again``: a second paragraph says the same of another model, "cũng")."""
    parts = [
        Markup("{} (OR = {}; {})").format(
            comparison(r, labels), quote(ratio(r["or_"]), EFFECTS), p_clause(r["p"])
        )
        for _, r in rows.iterrows()
    ]
    if nothing_else:
        lead = "Không có khác biệt" if len(parts) == 1 else "Không khác biệt nào"
    else:
        lead = "Khác biệt còn lại" if len(parts) == 1 else "Các khác biệt còn lại"
        lead += " cũng không" if again else " không"
    body = join(parts)
    tail = "khoảng tin cậy chứa 1" if len(parts) == 1 else "các khoảng tin cậy đều chứa 1"
    return Markup("{} có ý nghĩa thống kê ở mức {}%: {}; {}.").format(lead, alpha_pct, body, tail)


def order_by_size(rows: pd.DataFrame) -> pd.DataFrame:
    """Largest first: by the change in predicted share, else by |log OR|."""
    size = rows["chenh_diem"].abs()
    size = size.where(size.notna(), np.abs(np.log(rows["or_"].astype(float))))
    return rows.assign(_size=size).sort_values("_size", ascending=False, kind="stable").drop(columns="_size")


def lead_in(lead: str, sentence: Markup) -> Markup:
    """ "Về mức độ tham gia, " + the sentence with its first letter lowered."""
    return Markup("{}{}").format(lead, Markup(sentence[:1].lower()) + sentence[1:])


def result_sentences(
    effects: pd.DataFrame,
    model: str,
    out: Outcome,
    labels: dict[str, str],
    alpha_pct: str,
    confidence: str,
    lead: str = "",
    again: bool = False,
) -> list[Markup]:
    """The results paragraph of one pooled model: significant terms by size, then the others;
    ``lead`` opens the first sentence."""
    rows = effects[effects["mo_hinh"] == model]
    if rows.empty:
        return []
    sig = order_by_size(rows[rows["co_y_nghia"].astype(bool)])
    rest = rows[~rows["co_y_nghia"].astype(bool)]
    sentences = [
        significant_sentence(r, out, labels, confidence, k) for k, (_, r) in enumerate(sig.iterrows())
    ]
    if not rest.empty:
        sentences.append(null_sentence(rest, labels, alpha_pct, sig.empty, again))
    if lead and sentences:
        sentences[0] = lead_in(lead, sentences[0])
    return sentences


def _details(row, out: Outcome, where: Markup | None, said: set[str] | None = None) -> Markup:
    """The parenthesis of a finding: the predicted shares (or the OR), where it holds. A share
    the conclusion has already named (``said``) is not named in full again."""
    if pd.notna(row["ty_le_tu"]) and pd.notna(row["ty_le_den"]):
        a, b = quote(share(row["ty_le_tu"]), EFFECTS), quote(share(row["ty_le_den"]), EFFECTS)
        name = out.short
        if said is not None:
            name = "tỷ lệ tương ứng" if out.short in said else out.short
            said.add(out.short)
        if is_slope(row):
            text = Markup("{} dự đoán {}% ở {} {} và {}% ở {} {}").format(
                name, a, row["tu"], unit(row), b, row["den"], unit(row)
            )
        else:
            text = Markup("{} dự đoán {}% so với {}%").format(name, b, a)
    else:
        text = Markup("OR = {}").format(quote(ratio(row["or_"]), EFFECTS))
    return Markup("{}; {}").format(text, where) if where else text


def finding(
    rows: pd.DataFrame,
    outs: dict[str, Outcome],
    labels: dict[str, str],
    where: dict,
    said: set[str] | None = None,
) -> Markup:
    """The significant terms of one covariate level (a slope, or one group against its
    reference) as one clause of the conclusion, over the models where it is significant: taking
    part before the level, as in the models section; where the effect holds is said once when
    it is the same in both."""
    rows = rows.sort_values("mo_hinh", key=lambda c: c.map(list(outs).index), kind="stable")
    first = rows.iloc[0]
    holds = [where.get((r["mo_hinh"], r["so_hang"])) for _, r in rows.iterrows()]
    shared = holds[0] if len(holds) > 1 and len(set(map(str, holds))) == 1 and holds[0] else None
    parts = []
    for (_, r), hold in zip(rows.iterrows(), holds, strict=True):
        out, up = outs[r["mo_hinh"]], float(r["or_"]) > 1
        detail = _details(r, out, None if shared else hold, said)
        if is_slope(r):
            parts.append(Markup("{} {} ({})").format(out.subject, out.more[0] if up else out.more[1], detail))
        else:
            parts.append(Markup("{} {} ({})").format(out.verb, "cao hơn" if up else "thấp hơn", detail))
    body = Markup(" và ").join(parts)
    if shared:
        body = Markup("{}, cả hai đều {}").format(body, shared)
    if is_slope(first):
        return Markup("{} càng cao, {}").format(name_of(first["bien"], labels), body)
    return Markup("nhóm {} (so với nhóm {}) {}").format(first["nhan"], first["tham_chieu"], body)


def conclusion(
    effects: pd.DataFrame,
    outs: dict[str, Outcome],
    labels: dict[str, str],
    where: dict[tuple[str, str], Markup],
    focal: list[str],
) -> dict:
    """The conclusion's findings: ``phat_hien``, the significant terms of the pooled models as
    clauses, one per covariate level, the largest first, with where each holds among the
    per-activity models (``where``: (model, term) -> clause); ``khong``, the interpreted
    covariates with no significant term in any model. The template makes the sentences."""
    sig = order_by_size(effects[effects["co_y_nghia"].astype(bool)])
    said: set[str] = set()  # the shares already named in full
    clauses = [
        finding(sig[sig["so_hang"] == term], outs, labels, where, said) for term in sig["so_hang"].unique()
    ]
    quiet = [v for v in focal if v in set(effects["bien"]) and v not in set(sig["bien"])]
    return {
        "phat_hien": Markup("; ").join(clauses) if clauses else "",
        "khong": join([name_of(v, labels) for v in quiet], "và"),
    }
