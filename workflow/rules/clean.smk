rule clean_survey:
    input:
        code=code_of("clean_survey.py"),
        survey=config["survey"]["path"],
        codebook=config["survey"]["codebook"],
    output:
        table="results/clean/khao_sat.parquet",
        log_table="results/clean/nhat_ky_lam_sach.csv",
    log:
        # main log first: the script sends its logging there
        main="results/logs/clean/clean_survey.log",
        # kept even when the job fails, so the researcher sees what to fix
        problems="results/validation/van_de.csv",
        summary="results/validation/tom_tat.txt",
    conda:
        "../../environment.yml"
    threads: 1
    resources:
        mem_mb=mem_mb(1000, 8),
        runtime=runtime_min(10, 0.05),
    params:
        delimiter=config["survey"]["delimiter"],
        sheet=config["survey"]["sheet"],
    script:
        "../../scripts/clean_survey.py"
