rule render_report:
    input:
        unpack(report_inputs),
    output:
        html="results/report/bao_cao.html",
        pdf="results/report/bao_cao.pdf",
    params:
        config=config,
        date=config["report"]["date"],
        font_dir=config["report"]["font_dir"],
    log:
        "results/logs/report/render_report.log",
    script:
        "../../scripts/render_report.py"
