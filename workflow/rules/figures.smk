rule figure_direct_participation:
    input:
        table=TABLES["direct"],
        fonts=FONTS,
    output:
        svg="results/figures/bieu_do_1_tham_gia_truc_tiep.svg",
        png="results/figures/bieu_do_1_tham_gia_truc_tiep.png",
    log:
        "results/logs/figures/figure_direct_participation.log",
    conda:
        "../../environment.yml"
    script:
        "../../scripts/plot_direct_participation.py"
