"""The render rules' edge: read every input file, build the context, write HTML, PDF and the
list of numbered tables and figures. ``render_from_rule`` takes the ``snakemake`` object's
input, output and params; everything else is plain, tested functions."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd

from .. import atomic, products
from ..answered import fit_to_export, left_out
from ..codebook import load_codebook
from ..documents import load_indicators, load_sources
from ..plan import survey_figures
from ..safe_text import write_csv
from ..tables import read_table
from .appendix import codebook_rows, disclosure_control, reproducibility
from .context import build_context
from .documents_context import documents_context
from .interviews_context import interviews_context
from .render import render_html, write_pdf
from .sections import Numbering


def _models(inp, config, book):
    if not hasattr(inp, "models_pooled"):
        return None  # a province report, or a form without activities
    # here, not at the top: the models package loads the design stage and scipy.stats, a second
    # of start-up that a province report's job (one per province) does not need
    from .models_context import models_context

    labels = {v.name: v.short_label or v.label for v in book.variables}
    return models_context(
        per=read_table(inp.models_per_activity),
        pooled=read_table(inp.models_pooled),
        brant=read_table(inp.models_brant),
        bivariate=read_table(inp.models_bivariate),
        summary=json.loads(Path(inp.models_summary).read_text(encoding="utf-8")),
        effects=read_table(inp.models_effects),
        figures={
            "forest": Path(inp.bieu_do_ty_so_chenh),
            "predictions": Path(inp.bieu_do_du_doan) if hasattr(inp, "bieu_do_du_doan") else None,
        },
        illustrative=bool(config["survey"]["illustrative"]),
        focal=list(config["models"]["focal"]),
        labels=labels,
        roles=book.roles,
        high_label=book.activities.scale.band_label(book.activities.scale.high_from),
        effect_points=list(config["models"]["effect_size_points"]),
        activity_names=dict(book.activities.items),
        value_labels={name: book.value_labels(name) for name in config["models"]["covariates"]},
    )


def _waves(inp, config, book):
    if not hasattr(inp, "so_sanh_participation"):
        return None  # one wave, or a province report
    from .waves_context import waves_context  # its test words load the models: see _models

    books = [load_codebook(c) for c in inp.wave_codebooks]
    return waves_context(
        participation=read_table(inp.so_sanh_participation),
        levels=read_table(inp.so_sanh_levels),
        units=read_table(inp.so_sanh_units),
        mapping=pd.read_csv(inp.so_sanh_mapping, dtype=str, keep_default_na=False),
        crosswalks=[dict(b.crosswalk_info) for b in books if b.crosswalk],
        figure=Path(inp.bieu_do_so_sanh_dot),
        illustrative=[str(config["survey"]["year"])] * bool(config["survey"]["illustrative"])
        + [str(w["year"]) for w in config.get("waves", []) if w.get("illustrative")],
        confidence=float(config["models"]["confidence"]),
        method=config["models"]["multiple_testing"],
        labels={v.name: v.short_label or v.label for b in books for v in b.variables},
        province=book.role("province") or "",
        values={
            v.name: labelled
            for b in [book, *books]
            for v in b.variables
            if (labelled := b.value_labels(v.name))
        },
    )


def _interviews(inp, book, province):
    if not hasattr(inp, "iv_excerpts"):
        return None  # config `interviews: null`
    var = book.role("province")
    return interviews_context(
        excerpts=pd.read_csv(inp.iv_excerpts, dtype=str, keep_default_na=False),
        themes=pd.read_csv(inp.iv_themes, dtype={"so_phong_van": int}, keep_default_na=False),
        summary=json.loads(Path(inp.iv_summary).read_text(encoding="utf-8")),
        names=book.value_labels(var) if var else {},
        province=province,
    )


def _design(inp, config, book, province=None):
    if not hasattr(inp, "design_summary"):
        return None  # no sampling design
    from .design_context import design_context  # the design stage: see _models

    return design_context(
        json.loads(Path(inp.design_summary).read_text(encoding="utf-8")),
        pd.read_csv(inp.design_shares, dtype={"tinh": str}, keep_default_na=False, na_values=[""]),
        pd.read_csv(inp.design_means, dtype={"tinh": str}, keep_default_na=False, na_values=[""]),
        book,
        float(config["models"]["confidence"]),
        json.loads(Path(inp.models_summary).read_text(encoding="utf-8")).get("theo_thiet_ke", [])
        if hasattr(inp, "models_summary")
        else [],
        domain=province,
    )


def _province_log(log: pd.DataFrame, clean_table: str, province_var: str, province: str) -> pd.DataFrame:
    """The province's respondents' changes, and the file-level ones (row 1)."""
    clean = pd.read_parquet(clean_table, columns=["dong_nguon", province_var])
    rows = {str(r) for r in clean.loc[clean[province_var] == province, "dong_nguon"]} | {"1"}
    return log[log["dong"].isin(rows)].reset_index(drop=True)


def _charts_by_table(book) -> dict[str, list[str]]:
    """Table id -> the survey charts drawn from it (from the registry)."""
    out: dict[str, list[str]] = {}
    for figure_id, key in survey_figures(book).items():
        out.setdefault(products.by_key(key).id, []).append(figure_id)
    return out


def context_from_files(inp, params) -> dict:
    """Read the render rule's inputs (``inp``: name -> path) into the report's context."""
    config = params.config
    full = load_codebook(inp.codebook)
    book = fit_to_export(full, config["survey"])  # without the optional questions the data lack
    province = getattr(params, "province", None)
    if province:
        report_cfg = config["report"]
        name = book.display(book.role("province"), province)  # its printed label
        config = {
            **config,
            "report": {
                **report_cfg,
                "title": f"{report_cfg['title']}: {name}",
                "subtitle": f"Báo cáo riêng cho {name} – {report_cfg.get('subtitle') or ''}".rstrip(" –"),
            },
        }
    log = pd.read_csv(inp.cleaning_log, dtype=str, keep_default_na=False)
    if province:
        log = _province_log(log, inp.clean_table, book.role("province"), province)
    day = params.date
    inputs = (
        ["Dữ liệu khảo sát", "Bảng mã biến (codebook)", "Cấu hình"],
        [inp.survey, inp.codebook, "config.yaml"],
    )
    if hasattr(inp, "published"):
        inputs[0].append("Số liệu công bố")
        inputs[1].append(inp.published)
    if hasattr(inp, "wave_codebooks"):  # the overall report of a run with several waves
        for wave in config.get("waves") or []:  # each wave's own files (not the main wave's)
            inputs[0].extend([f"Dữ liệu khảo sát đợt {wave['year']}", f"Bảng mã biến đợt {wave['year']}"])
            inputs[1].extend([wave["path"], wave["codebook"]])
    documents = None  # config `documents: null`: no context section
    if hasattr(inp, "doc_checked"):
        documents = documents_context(
            checked=pd.read_csv(inp.doc_checked, dtype=str, keep_default_na=False),
            chosen=pd.read_csv(inp.doc_chosen, dtype=str, keep_default_na=False),
            conflicts=pd.read_csv(inp.doc_conflicts, dtype=str, keep_default_na=False),
            dti=read_table(inp.dti),
            sources=load_sources(inp.doc_sources),
            indicators=load_indicators(inp.doc_indicators),
            provinces=book[book.role("province")].values if book.role("province") else [],
            dti_period=params.dti_period,
            figure=Path(inp.bieu_do_dti) if hasattr(inp, "bieu_do_dti") else None,
            prefer=params.prefer,
            only=[province, "Toàn quốc"] if province else None,
            periods=params.periods,
            names=book.value_labels(book.role("province")),
        )
    return build_context(
        config=config,
        book=book,
        computed={name: read_table(inp[name]) for name in params.tables},
        comparison=(
            pd.read_csv(inp.comparison, dtype=str, keep_default_na=False)
            if hasattr(inp, "comparison")
            else None
        ),
        cleaning_log=log,
        figures={name: Path(inp[name]) for name in params.figures},
        today=dt.date.fromisoformat(day) if day else dt.date.today(),
        documents=documents,
        models=_models(inp, config, book),
        waves=_waves(inp, config, book),
        interviews=_interviews(inp, book, province),
        appendix={
            "codebook": codebook_rows(book),
            "tai_lap": {
                **reproducibility(dict(zip(*inputs, strict=True)), Path.cwd()),
                "chi_tiet": detail_files(inp),
            },
            "kiem_soat": disclosure_control(
                pd.read_csv(inp.disclosure, encoding="utf-8"),
                int(config["report"]["min_cell"]),
                province,
                _charts_by_table(book),
            )
            if hasattr(inp, "disclosure")
            else None,
        },
        references=[load_codebook(c) for c in getattr(inp, "reference_codebooks", [])],
        left_out=left_out(full, book),
        whole_sample=not province,
        design=_design(inp, config, book, province),
    )


# Files the report's text speaks of without attaching them to the PDF (name -> what they are):
# the body says what they are; appendix F (reproducibility) says where they are.
DETAIL_FILES = {
    "comparison": "Đối chiếu từng số liệu đã công bố",
    "cleaning_log": "Nhật ký làm sạch chi tiết (chỉ lưu nội bộ)",
    "doc_checked": "Danh mục số liệu trích từ tài liệu và kết quả kiểm chứng",
    "doc_conflicts": "Số liệu có nguồn ghi khác nhau",
    "models_per_activity": "Ước lượng của mô hình riêng từng hoạt động",
    "models_effects": "Độ lớn của các khác biệt trong mô hình gộp",
    "models_brant": "Kiểm định Brant về tỷ lệ chênh đồng nhất",
    "models_bivariate": "Kiểm định hai biến và hệ số hiệu ứng",
}


def detail_files(inp) -> list[dict]:
    """The detail files this report's inputs include, with what they are and their path."""
    out = []
    for name, what in DETAIL_FILES.items():
        path = getattr(inp, name, None)
        if path:
            out.append({"ten": what, "duong_dan": str(path)})
    return out


class RuleInputs:
    """The rule's named inputs, and the files a province report reads inside the province
    folders its rule declares (``params.files``: name -> path), looked up the same way."""

    def __init__(self, named, files: dict | None = None) -> None:
        self._named, self._files = named, dict(files or {})

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        if name in self._files:
            return self._files[name]
        return getattr(self._named, name)

    def __getitem__(self, name: str):
        return self._files[name] if name in self._files else self._named[name]


def render_from_rule(inp, output, params) -> None:
    """Rules render_report and render_province_report: inputs -> HTML, PDF/A-3a, tagged and the list
    of numbered tables and figures (Bảng n / Biểu đồ n -> id = stem of its CSV or SVG)."""
    inp = RuleInputs(inp, getattr(params, "files", None))
    context = context_from_files(inp, params)
    numbering = Numbering()
    html = render_html(context, Path(inp.template).parent, Path(inp.template).name, numbering)
    atomic.write_text(output.html, html)
    write_csv(pd.DataFrame(numbering.listing(), columns=["so", "id"]), output.numbering)
    day = context["meta"]["ngay_iso"]
    write_pdf(
        html,
        inp.css,
        Path(inp.fonts[0]).parent,
        output.pdf,
        allowed_roots=[Path.cwd()],
        attachments=[Path(inp[name]) for name in params.tables]
        + ([Path(inp.models_pooled)] if hasattr(inp, "models_pooled") else []),
        stamp=dt.datetime.fromisoformat(f"{day}T00:00:00+07:00"),
    )
