"""Stage check_interviews: declarations -> verified, protected excerpts and theme counts.

Outputs (results/interviews/):
- trich_doan_kiem_chung.csv: each excerpt's quote as published, themes, the section it supports,
  its attribution (and a note when attributes were dropped), its position in the transcript
  (paragraph, first and last character of the normalised text; no file path);
- chu_de_theo_tinh.csv: theme x province, the number of interviews with an excerpt of the theme
  (interviews, not respondents: not a survey count, not suppressed);
- tom_tat.json: what the methods sentence needs (interviews by province, dates, how chosen).
Any problem (a quote not in its transcript, a protected name, a wrong register row...) stops the
run with every problem listed; a protected name is never printed, logged or written.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from ..atomic import write_text
from ..safe_text import write_csv
from .excerpts import Excerpt, load_excerpts
from .protect import Protector, attribution, role_problems
from .register import (
    InterviewError,
    Settings,
    load_protected,
    load_register,
    load_themes,
    resolve,
    settings_problems,
)
from .transcripts import load_transcripts
from .verify import verify

log = logging.getLogger(__name__)


def _attempt(problems: list[str], load: Callable, *args):
    """``load(*args)``, its problems added to ``problems`` (every file checked in one run)."""
    try:
        return load(*args)
    except InterviewError as err:
        problems += err.problems
        return None


def load_all(section: dict, book, root: Path, sections: list[str] | None = None):
    """Settings, protector, register, themes, transcripts and excerpts; every problem at once,
    protected names masked. ``sections``: the report's section ids a quote may support (None:
    not checked)."""
    root = Path(root)
    problems = settings_problems(section, root)
    if problems:
        raise InterviewError(problems)
    cfg = Settings.from_config(section)
    problems += role_problems(cfg, book)
    path = {k: resolve(getattr(cfg, k), root, k) for k in ("register", "protected", "themes")}
    names = _attempt(problems, load_protected, path["protected"], cfg.protected)
    guard = Protector(names or [], cfg.names)
    register = _attempt(problems, load_register, path["register"], cfg.register, book) or []
    themes = _attempt(problems, load_themes, path["themes"], cfg.themes) or {}
    texts = _attempt(problems, load_transcripts, register, cfg.transcripts, root) or {}
    ids = {iv.id for iv in register}
    excerpts = []
    for name in cfg.excerpts:
        path = resolve(name, root, "excerpts")
        found = _attempt(problems, load_excerpts, path, name, ids, themes) or []
        problems += _unknown_sections(found, name, sections)
        excerpts += found
    problems += _repeated_ids(excerpts, cfg.excerpts)
    if problems or names is None:
        raise InterviewError([guard.mask(p) for p in problems])
    return cfg, guard, register, themes, texts, excerpts


def _unknown_sections(excerpts: list[Excerpt], shown_as: str, sections: list[str] | None) -> list[str]:
    """Excerpts whose ``supports`` names no section of the report (sections.yaml)."""
    if sections is None:
        return []
    return [
        f"{shown_as}, trích đoạn {ex.id}, khóa supports: phần báo cáo «{ex.supports}» không có trong "
        f"sections.yaml của báo cáo; các phần có thể trích: {', '.join(sections)} "
        "(để trống: chỉ đếm, không trích)"
        for ex in excerpts
        if ex.supports and ex.supports not in sections
    ]


def _repeated_ids(excerpts: list[Excerpt], files: tuple[str, ...]) -> list[str]:
    """An excerpt id given in two files (each file checks its own)."""
    seen, out = set(), []
    for ex in excerpts:
        if ex.id in seen:
            out.append(
                f"trích đoạn {ex.id}: mã có ở hơn một tệp ({', '.join(files)}); mỗi trích đoạn một mã riêng"
            )
        seen.add(ex.id)
    return out


def excerpt_rows(
    cfg, guard, register, texts, excerpts: list[Excerpt], book, clean, min_cell, edges
) -> list[dict]:
    by_id = {iv.id: iv for iv in register}
    rows, problems = [], []
    for ex in excerpts:
        found, why = verify(ex, texts[ex.transcript], guard.mask)
        quote, refused = guard.protect(ex)
        problems += ([why] if why else []) + refused
        if found is None or refused:
            continue
        iv = by_id[ex.transcript]
        said = attribution(iv, cfg, book, clean, min_cell, edges)
        rows.append(
            {
                "id": ex.id,
                "phong_van": ex.transcript,
                "tinh": iv.values.get("province", ""),
                "trich_dan": quote,
                "chu_de": ";".join(ex.themes),
                "phan_bao_cao": ex.supports,
                "ghi_danh": said.text,
                "ghi_chu": said.note,
                "doan": found.paragraph,
                "ky_tu_dau": found.start + 1,
                "ky_tu_cuoi": found.end,
            }
        )
    if problems:
        raise InterviewError([guard.mask(p) for p in problems])
    return rows


def theme_counts(rows: list[dict], themes: dict[str, str], provinces: list[str]) -> pd.DataFrame:
    """Theme x province: how many interviews have at least one excerpt coded with the theme."""
    raised = {(code, r["tinh"], r["phong_van"]) for r in rows for code in r["chu_de"].split(";")}
    return pd.DataFrame(
        [
            {
                "chu_de": code,
                "tieu_de": title,
                "tinh": prov,
                "so_phong_van": sum(1 for c, p, _ in raised if c == code and p == prov),
            }
            for code, title in themes.items()
            for prov in provinces
        ],
        columns=["chu_de", "tieu_de", "tinh", "so_phong_van"],
    )


def summary(cfg: Settings, register, provinces: list[str], rows: list[dict], themes: dict) -> dict:
    dates = sorted(iv.date for iv in register)
    return {
        "so_phong_van": len(register),
        "theo_tinh": {p: sum(1 for iv in register if iv.values.get("province") == p) for p in provinces},
        "tu_ngay": dates[0].isoformat(),
        "den_ngay": dates[-1].isoformat(),
        "cach_chon": cfg.selection,
        "minh_hoa": cfg.illustrative,
        "nhan": cfg.label,
        "trich_ket_luan": cfg.conclusion_quotes,
        "so_trich_doan": len(rows),
        "so_chu_de": len(themes),
        "ghi_danh_rut_gon": sum(1 for r in rows if r["ghi_chu"]),
    }


def leaks(guard: Protector, frames: list[pd.DataFrame], doc: dict) -> list[str]:
    """Protected names in anything about to be written: none may be (last line of defence)."""
    texts = [str(v) for f in frames for col in f.columns for v in f[col].tolist()]
    texts += [json.dumps(doc, ensure_ascii=False)]
    return sorted({n.said for t in texts for n in guard.found(t)})


def write_stage(
    section: dict,
    book,
    clean: pd.DataFrame,
    min_cell: int,
    edges: list[int],
    root: Path,
    out: dict,
    sections: list[str] | None = None,
) -> None:
    """Check the interviews declared in ``section`` (config ``interviews:``) and write ``out``'s
    files: excerpts, themes, summary. ``sections``: the ids a quote's ``supports`` may name."""
    cfg, guard, register, themes, texts, excerpts = load_all(section, book, root, sections)
    edges = list(cfg.tenure_bands or edges)
    rows = excerpt_rows(cfg, guard, register, texts, excerpts, book, clean, min_cell, edges)
    var = book.role("province")
    provinces = [str(v) for v in book[var].values] if var else []
    table = pd.DataFrame(rows, columns=list(rows[0]) if rows else ["id"])
    counts = theme_counts(rows, themes, provinces)
    doc = summary(cfg, register, provinces, rows, themes)
    found = leaks(guard, [table, counts], doc)
    if found:
        raise InterviewError([f"kết quả sắp ghi có {n}; không ghi" for n in found])
    write_csv(table, out["excerpts"])
    write_csv(counts, out["themes"])
    write_text(out["summary"], json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
    for r in rows:
        if r["ghi_chu"]:
            log.info("trích đoạn %s: %s", r["id"], r["ghi_chu"])
    log.info("đã kiểm chứng %d trích đoạn của %d cuộc phỏng vấn", len(rows), len(register))
