rule render_report:
    input:
        unpack(report_inputs),
        code=code_of("render_report.py"),
    output:
        html="results/report/bao_cao.html",
        numbering="results/report/bao_cao_bang_bieu.csv",
        pdf=report(
            "results/report/bao_cao.pdf",
            caption="../report/bao_cao.rst",
            category="Báo cáo",
        ),
    log:
        "results/logs/report/render_report.log",
    benchmark:
        "results/benchmarks/render_report.tsv"
    conda:
        "../../environment.yml"
    threads: 1
    resources:
        mem_mb=mem_mb(1500, 0),
        runtime=runtime_min(20, 0),
    params:
        tables=list(TABLES),
        config=config,
        date=config["report"]["date"],
        dti_period=DOCUMENTS.get("dti_period"),
        periods=DOCUMENTS.get("periods"),
        figures=list(SURVEY_FIGURES),
        prefer=DOCUMENTS.get("prefer", []),
    script:
        "../../scripts/render_report.py"


rule render_province_report:
    input:
        unpack(province_report_inputs),
        code=code_of("render_report.py"),
    output:
        html="results/report/bao_cao_tinh_{tinh}.html",
        numbering="results/report/bao_cao_tinh_{tinh}_bang_bieu.csv",
        pdf="results/report/bao_cao_tinh_{tinh}.pdf",
    log:
        "results/logs/report/render_province_report_{tinh}.log",
    benchmark:
        "results/benchmarks/render_province_report_{tinh}.tsv"
    conda:
        "../../environment.yml"
    threads: 1
    resources:
        mem_mb=mem_mb(1500, 0),
        runtime=runtime_min(20, 0),
    params:
        tables=list(TABLES),
        config=config,
        date=config["report"]["date"],
        dti_period=DOCUMENTS.get("dti_period"),
        periods=DOCUMENTS.get("periods"),
        figures=list(SURVEY_FIGURES),
        prefer=DOCUMENTS.get("prefer", []),
        province=province_name,
        files=province_files,  # its tables and charts, inside the province folders
    script:
        "../../scripts/render_report.py"


rule manifest:
    input:
        lambda w: final_outputs(w, manifest=False),
        code=code_of("write_manifest.py"),
    output:
        published="results/manifest.json",
        internal="results/internal/manifest.json",
    log:
        "results/logs/report/manifest.log",
    conda:
        "../../environment.yml"
    params:
        inputs=provenance_inputs(),
        config=config,
    script:
        "../../scripts/write_manifest.py"


# The report's numbered tables as an Excel workbook, from the rendered report itself, so every
# number is the one the PDF prints (chinhquyenso.report.workbook).
rule workbook:
    input:
        code=code_of("write_workbook.py"),
        html="results/report/bao_cao.html",
    output:
        xlsx=report(
            "results/report/bang_bieu.xlsx",
            caption="../report/bao_cao.rst",
            category="Báo cáo",
        ),
    log:
        "results/logs/report/workbook.log",
    conda:
        "../../environment.yml"
    script:
        "../../scripts/write_workbook.py"


# Each province report's numbered tables as its own workbook, beside its Word file.
rule province_workbook:
    input:
        code=code_of("write_workbook.py"),
        html="results/report/bao_cao_tinh_{tinh}.html",
    output:
        xlsx="results/report/bang_bieu_tinh_{tinh}.xlsx",
    log:
        "results/logs/report/province_workbook_{tinh}.log",
    conda:
        "../../environment.yml"
    script:
        "../../scripts/write_workbook.py"


# The report as an editable Word file, from the rendered report (same numbers, captions and
# numbering) with the charts as PNG; style profile in config report.docx.
rule word_report:
    input:
        code=code_of("write_word_report.py"),
        html="results/report/bao_cao.html",
        png=lambda w: [
            v.replace(".svg", ".png")
            for v in report_inputs(w).values()
            if isinstance(v, str) and v.endswith(".svg")
        ],
    output:
        docx=report(
            "results/report/bao_cao.docx",
            caption="../report/bao_cao.rst",
            category="Báo cáo",
        ),
    log:
        "results/logs/report/word_report.log",
    conda:
        "../../environment.yml"
    params:
        profile=config["report"].get("docx") or {},
    script:
        "../../scripts/write_word_report.py"


rule word_province_report:
    input:
        **({"figures": PROVINCE_FIGURE_DIR} if SURVEY_FIGURES else {}),
        code=code_of("write_word_report.py"),
        html="results/report/bao_cao_tinh_{tinh}.html",
        png=lambda w: [
            v.replace(".svg", ".png")
            for v in province_report_inputs(w).values()
            if isinstance(v, str) and v.endswith(".svg")
        ],
        # the province's charts (PNG beside each SVG)
    output:
        docx="results/report/bao_cao_tinh_{tinh}.docx",
    log:
        "results/logs/report/word_province_report_{tinh}.log",
    conda:
        "../../environment.yml"
    params:
        profile=config["report"].get("docx") or {},
    script:
        "../../scripts/write_word_report.py"
