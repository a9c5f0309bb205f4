# The models are about the activities block: a form without one has none.
if HAS_ACTIVITIES:

    rule fit_models:
        input:
            code=code_of("fit_models.py"),
            table="results/clean/khao_sat.parquet",
            codebook=config["survey"]["codebook"],
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
        script:
            "../../scripts/fit_models.py"
