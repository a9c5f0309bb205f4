# The models are about the activities block: a form without one has none.
if HAS_ACTIVITIES:

    rule fit_models:
        input:
            code=code_of("fit_models.py"),
            table="results/clean/khao_sat.parquet",
            codebook=config["survey"]["codebook"],
            totals=DESIGN_TOTALS,  # survey.weighting: design-based models
        output:
            **in_report(
                {
                    "per_activity": "results/models/theo_hoat_dong.csv",
                    "pooled": "results/models/gop_va_chi_so.csv",
                    "brant": "results/models/kiem_dinh_ty_le_chenh.csv",
                    "bivariate": "results/models/kiem_dinh_hai_bien.csv",
                    **(
                        {"predictions": "results/models/du_doan.csv"}
                        if HAS_PREDICTIONS
                        else {}
                    ),
                },
                "Mô hình",
                caption="../report/mo_hinh.rst",
            ),
            summary="results/models/tom_tat.json",
        log:
            "results/logs/models/fit_models.log",
        benchmark:
            "results/benchmarks/fit_models.tsv"
        conda:
            "../../environment.yml"
        threads: 1
        resources:
            mem_mb=mem_mb(1500, 60),
            runtime=runtime_min(20, 1.0),
        params:
            models=config["models"],
            min_cell=config["report"]["min_cell"],
            weighting=config["survey"].get("weighting"),
        script:
            "../../scripts/fit_models.py"

    # Each interpreted term on the probability scale, for the text about the models.
    rule describe_effects:
        input:
            **({"predictions": "results/models/du_doan.csv"} if HAS_PREDICTIONS else {}),
            code=code_of("describe_effects.py"),
            pooled="results/models/gop_va_chi_so.csv",
            table="results/clean/khao_sat.parquet",
            codebook=config["survey"]["codebook"],
        output:
            **in_report(
                {"effects": "results/models/do_lon_hieu_ung.csv"},
                "Mô hình",
                caption="../report/mo_hinh.rst",
            ),
        log:
            "results/logs/models/describe_effects.log",
        benchmark:
            "results/benchmarks/describe_effects.tsv"
        conda:
            "../../environment.yml"
        threads: 1
        resources:
            mem_mb=mem_mb(500, 1),
            runtime=runtime_min(5, 0.01),
        params:
            models=config["models"],
        script:
            "../../scripts/describe_effects.py"
