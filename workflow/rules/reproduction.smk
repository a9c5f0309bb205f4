rule check_reproduction:
    input:
        **RAW_TABLES,  # raw counts, compared internally; the report prints the comparison
        code=code_of("check_reproduction.py"),
        published=config["reproduction"]["published"] or [],
        codebook=config["survey"]["codebook"],
    output:
        report(
            "results/reproduction/doi_chieu.csv",
            caption="../report/bang.rst",
            category="Đối chiếu với số liệu công bố",
        ),
    log:
        "results/logs/reproduction/check_reproduction.log",
    conda:
        "../../environment.yml"
    params:
        tables=list(RAW_TABLES),
        fail_on_mismatch=config["reproduction"]["fail_on_mismatch"],
        min_cell=config["report"]["min_cell"],
    script:
        "../../scripts/check_reproduction.py"
