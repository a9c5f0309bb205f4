# The sampling design (codebook roles weight/strata/psu/fpc) and weights calibrated to known
# totals (survey.weighting): results/design/. Requested only when the run has a design
# (HAS_DESIGN): without one no job runs and every output is as without this feature.
rule survey_design:
    input:
        code=code_of("make_design.py"),
        table="results/clean/khao_sat.parquet",
        codebook=config["survey"]["codebook"],
        totals=DESIGN_TOTALS,
    output:
        weights="results/design/trong_so.csv",
        summary="results/design/thiet_ke.json",
        shares="results/design/ty_le_co_trong_so.csv",
        means="results/design/trung_binh_co_trong_so.csv",
    log:
        "results/logs/design/survey_design.log",
    conda:
        "../../environment.yml"
    threads: 1
    resources:
        mem_mb=mem_mb(1000, 30),
        runtime=runtime_min(10, 0.1),
    params:
        weighting=config["survey"].get("weighting"),
        min_cell=config["report"]["min_cell"],
        confidence=config["models"]["confidence"],
    script:
        "../../scripts/make_design.py"
