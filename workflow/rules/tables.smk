# Raw tables (results/internal/tables/): read by the disclosure stage and the reproduction check
# only; nothing publishes or attaches them.
rule descriptive_tables:
    input:
        code=code_of("make_tables.py"),
        table="results/clean/khao_sat.parquet",
        codebook=config["survey"]["codebook"],
    output:
        **RAW_TABLES,
    log:
        "results/logs/tables/descriptive_tables.log",
    conda:
        "../../environment.yml"
    threads: 1
    resources:
        mem_mb=mem_mb(1000, 20),
        runtime=runtime_min(10, 0.05),
    params:
        tenure_bands=config["report"]["tenure_bands"],
    script:
        "../../scripts/make_tables.py"


# Every province's tables in one job: one read of the clean table and one Python start-up,
# however many provinces (34 since 2025), instead of one job per province. A checkpoint: only
# the provinces with respondents get a folder, and only they get a report (present_provinces).
checkpoint province_tables:
    input:
        code=code_of("make_tables.py"),
        table="results/clean/khao_sat.parquet",
        codebook=config["survey"]["codebook"],
    output:
        directory(PROVINCE_RAW_DIR),
    log:
        "results/logs/tables/province_tables.log",
    conda:
        "../../environment.yml"
    threads: 1
    resources:
        mem_mb=mem_mb(1000, 30),
        runtime=runtime_min(10, 0.1),
    params:
        tenure_bands=config["report"]["tenure_bands"],
        provinces=PROVINCE_BY_SLUG,
        min_cell=config["report"]["min_cell"],
    script:
        "../../scripts/make_tables.py"
