# Other survey waves (config `waves:`): each cleaned with its own codebook, then compared with
# the main wave on common ground (codebook `crosswalk:`).


rule clean_wave:
    input:
        code=code_of("clean_survey.py"),
        survey=lambda w: WAVES[w.dot]["path"],
        codebook=lambda w: WAVES[w.dot]["codebook"],
    output:
        table="results/clean/dot_{dot}/khao_sat.parquet",
        log_table="results/clean/dot_{dot}/nhat_ky_lam_sach.csv",
    log:
        main="results/logs/clean/clean_wave_{dot}.log",
        problems="results/validation/dot_{dot}/van_de.csv",
        summary="results/validation/dot_{dot}/tom_tat.txt",
    wildcard_constraints:
        dot=r"\d{4}",
    conda:
        "../../environment.yml"
    threads: 1
    resources:
        mem_mb=mem_mb(1000, 8),
        runtime=runtime_min(10, 0.05),
    params:
        delimiter=lambda w: WAVES[w.dot].get("delimiter"),
        sheet=lambda w: WAVES[w.dot].get("sheet"),
    script:
        "../../scripts/clean_survey.py"


rule compare_waves:
    input:
        code=code_of("compare_waves.py"),
        tables=wave_inputs("tables"),
        codebooks=wave_inputs("codebooks"),
    output:
        **in_report(COMPARISON, "So sánh các đợt khảo sát"),
    log:
        "results/logs/comparison/compare_waves.log",
    conda:
        "../../environment.yml"
    threads: 1
    resources:
        mem_mb=mem_mb(1000, 20),
        runtime=runtime_min(10, 0.05),
    params:
        labels=wave_labels(),
        models=config["models"],
    script:
        "../../scripts/compare_waves.py"


rule figure_waves:
    input:
        code=code_of("plot_waves.py"),
        participation=COMPARISON["participation"],
        levels=COMPARISON["levels"],
        fonts=FONTS,
    output:
        svg=report(
            "results/figures/bieu_do_so_sanh_dot.svg",
            caption="../report/so_sanh.rst",
            category="Biểu đồ",
            subcategory="So sánh các đợt",
        ),
        png="results/figures/bieu_do_so_sanh_dot.png",
    log:
        "results/logs/figures/figure_waves.log",
    conda:
        "../../environment.yml"
    script:
        "../../scripts/plot_waves.py"
