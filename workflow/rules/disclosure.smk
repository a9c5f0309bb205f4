# Disclosure control: the raw tables of the whole sample and of every province in, the published
# tables out (chinhquyenso.disclosure). They are published together, so they are protected
# together: one job, one audit over every printed count.
rule protect_tables:
    input:
        **RAW_TABLES,
        **({"provinces": PROVINCE_RAW_DIR} if PROVINCE_BY_SLUG else {}),
        code=code_of("protect_tables.py"),
        codebook=config["survey"]["codebook"],
    output:
        **in_report(TABLES, "Bảng mô tả"),
        **({"provinces": directory(PROVINCE_TABLE_DIR)} if PROVINCE_BY_SLUG else {}),
        summary="results/tables/kiem_soat_cong_bo.csv",
    log:
        "results/logs/disclosure/protect_tables.log",
    conda:
        "../../environment.yml"
    threads: 1
    resources:
        mem_mb=mem_mb(1000, 0),
        runtime=runtime_min(10, 0),
    params:
        tables=list(TABLES),
        min_cell=config["report"]["min_cell"],
        provinces={slug: name for slug, name in PROVINCE_BY_SLUG.items()},
    script:
        "../../scripts/protect_tables.py"
