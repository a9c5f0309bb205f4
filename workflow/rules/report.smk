rule render_report:
    input:
        unpack(report_inputs),
    output:
        html="results/report/bao_cao.html",
        pdf="results/report/bao_cao.pdf",
    log:
        "results/logs/report/render_report.log",
    conda:
        "../../environment.yml"
    params:
        tables=list(TABLES),
        config=config,
        date=config["report"]["date"],
        dti_period=config["documents"]["dti_period"],
        prefer=config["documents"]["prefer"],
    script:
        "../../scripts/render_report.py"
