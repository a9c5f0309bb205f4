rule clean_survey:
    input:
        survey=config["survey"]["path"],
        codebook=config["survey"]["codebook"],
    output:
        table="results/clean/khao_sat.parquet",
        log_table="results/clean/nhat_ky_lam_sach.csv",
    log:
        "results/logs/clean/clean_survey.log",
    conda:
        "../../environment.yml"
    script:
        "../../scripts/clean_survey.py"
