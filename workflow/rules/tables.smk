rule descriptive_tables:
    input:
        table="results/clean/khao_sat.parquet",
        codebook=config["survey"]["codebook"],
    output:
        **in_report(TABLES, "Bảng mô tả"),
    log:
        "results/logs/tables/descriptive_tables.log",
    conda:
        "../../environment.yml"
    params:
        tenure_bands=config["report"]["tenure_bands"],
        min_cell=config["report"]["min_cell"],
    script:
        "../../scripts/make_tables.py"


rule province_tables:
    input:
        table="results/clean/khao_sat.parquet",
        codebook=config["survey"]["codebook"],
    output:
        **province_tables("{tinh}"),
    log:
        "results/logs/tables/province_tables_{tinh}.log",
    conda:
        "../../environment.yml"
    params:
        tenure_bands=config["report"]["tenure_bands"],
        min_cell=config["report"]["min_cell"],
        province=province_name,
    script:
        "../../scripts/make_tables.py"
