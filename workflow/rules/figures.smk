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


rule figure_dti:
    input:
        table="results/documents/bang_dti.csv",
        fonts=FONTS,
    output:
        svg="results/figures/bieu_do_dti.svg",
        png="results/figures/bieu_do_dti.png",
    log:
        "results/logs/figures/figure_dti.log",
    conda:
        "../../environment.yml"
    params:
        provinces=PROVINCES,
    script:
        "../../scripts/plot_dti.py"
