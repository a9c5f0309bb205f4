"""Rule render_report: tables + figures -> HTML (jinja2) -> PDF (WeasyPrint)."""

import datetime as dt
import json
from pathlib import Path

import pandas as pd

from chinhquyenso import report
from chinhquyenso.codebook import load_codebook
from chinhquyenso.documents import load_indicators, load_sources
from chinhquyenso.smk import run
from chinhquyenso.system_check import require_weasyprint
from chinhquyenso.tables import read_table


def _models(inp, config):
    if not hasattr(inp, "models_pooled"):
        return None  # a province report: models concern the whole sample
    return report.models_context(
        per=read_table(inp.models_per_activity),
        pooled=read_table(inp.models_pooled),
        brant=read_table(inp.models_brant),
        bivariate=read_table(inp.models_bivariate),
        summary=json.loads(Path(inp.models_summary).read_text(encoding="utf-8")),
        figures={"forest": Path(inp.bieu_do_or), "predictions": Path(inp.bieu_do_du_doan)},
        illustrative=bool(config["survey"]["illustrative"]),
    )


def _waves(inp, config):
    if not hasattr(inp, "so_sanh_participation"):
        return None  # one wave, or a province report
    books = [load_codebook(c) for c in inp.wave_codebooks]
    return report.waves_context(
        participation=read_table(inp.so_sanh_participation),
        levels=read_table(inp.so_sanh_levels),
        units=read_table(inp.so_sanh_units),
        mapping=pd.read_csv(inp.so_sanh_mapping, dtype=str, keep_default_na=False),
        crosswalks=[dict(b.crosswalk_info) for b in books if b.crosswalk],
        figure=Path(inp.bieu_do_so_sanh),
        illustrative=[str(config["survey"]["year"])] * bool(config["survey"]["illustrative"])
        + [str(w["year"]) for w in config.get("waves", []) if w.get("illustrative")],
        confidence=float(config["models"]["confidence"]),
        method=config["models"]["multiple_testing"],
    )


def main(smk):
    require_weasyprint()
    inp = smk.input
    day = smk.params.date
    province = getattr(smk.params, "province", None)
    codebook = load_codebook(inp.codebook)
    config = smk.params.config
    if province:
        config = {
            **config,
            "report": {
                **config["report"],
                "title": f"{config['report']['title']}: {province}",
                "subtitle": f"Báo cáo riêng cho {province} – {config['report']['subtitle']}",
            },
        }
    cleaning_log = pd.read_csv(inp.cleaning_log, dtype=str, keep_default_na=False)
    if province:  # the province's respondents' changes, and the file-level ones (row 1)
        clean = pd.read_parquet(inp.clean_table, columns=["dong_nguon", "tinh"])
        rows = {str(r) for r in clean.loc[clean["tinh"] == province, "dong_nguon"]} | {"1"}
        cleaning_log = cleaning_log[cleaning_log["dong"].isin(rows)].reset_index(drop=True)
    context = report.build_context(
        config=config,
        computed={name: read_table(inp[name]) for name in smk.params.tables},
        comparison=(
            pd.read_csv(inp.comparison, dtype=str, keep_default_na=False)
            if hasattr(inp, "comparison")
            else None
        ),
        cleaning_log=cleaning_log,
        figures={
            "bieu_do_1": Path(inp.bieu_do_1),
            "rao_can": Path(inp.bieu_do_rao_can),
            "muc_do": Path(inp.bieu_do_muc_do),
            "theo_nhom": Path(inp.bieu_do_theo_nhom),
        },
        today=dt.date.fromisoformat(day) if day else dt.date.today(),
        documents=report.documents_context(
            checked=pd.read_csv(inp.doc_checked, dtype=str, keep_default_na=False),
            chosen=pd.read_csv(inp.doc_chosen, dtype=str, keep_default_na=False),
            conflicts=pd.read_csv(inp.doc_conflicts, dtype=str, keep_default_na=False),
            dti=read_table(inp.dti),
            sources=load_sources(inp.doc_sources),
            indicators=load_indicators(inp.codebook),
            provinces=codebook["tinh"].values,
            dti_period=smk.params.dti_period,
            figure=Path(inp.bieu_do_dti),
            prefer=smk.params.prefer,
            only=[province, "Toàn quốc"] if province else None,
        ),
        models=_models(inp, config),
        waves=_waves(inp, config),
        appendix={
            "codebook": report.codebook_rows(codebook),
            "tai_lap": report.reproducibility(
                {
                    "Dữ liệu khảo sát": Path(inp.survey),
                    "Codebook": Path(inp.codebook),
                    "Cấu hình": Path("config.yaml"),
                    "Số liệu công bố": Path(inp.published),
                }
                if hasattr(inp, "published")
                else {
                    "Dữ liệu khảo sát": Path(inp.survey),
                    "Codebook": Path(inp.codebook),
                    "Cấu hình": Path("config.yaml"),
                },
                Path.cwd(),
            ),
        },
    )
    html = report.render_html(context, Path(inp.template).parent, Path(inp.template).name)
    Path(smk.output.html).write_text(html, encoding="utf-8")
    day = context["meta"]["ngay_iso"]
    report.write_pdf(
        html,
        inp.css,
        Path(smk.input.fonts[0]).parent,
        smk.output.pdf,
        allowed_roots=[Path.cwd()],
        attachments=[Path(inp[name]) for name in smk.params.tables]
        + ([Path(inp.models_pooled)] if hasattr(inp, "models_pooled") else []),
        stamp=dt.datetime.fromisoformat(f"{day}T00:00:00+07:00"),
    )


run(main, snakemake)  # noqa: F821 - injected by Snakemake
