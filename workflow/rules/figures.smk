rule figure_direct_participation:
    input:
        table=TABLES["direct"],
        fonts=FONTS,
    output:
        svg=report(
            "results/figures/bieu_do_1_tham_gia_truc_tiep.svg",
            caption="../report/bieu_do_1.rst",
            category="Biểu đồ",
            subcategory="Khảo sát",
        ),
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
        svg=report(
            "results/figures/bieu_do_dti.svg",
            caption="../report/dti.rst",
            category="Biểu đồ",
            subcategory="Tài liệu",
        ),
        png="results/figures/bieu_do_dti.png",
    log:
        "results/logs/figures/figure_dti.log",
    conda:
        "../../environment.yml"
    params:
        provinces=PROVINCES,
    script:
        "../../scripts/plot_dti.py"


rule figures_models:
    input:
        per_activity="results/models/theo_hoat_dong.csv",
        pooled="results/models/gop_va_chi_so.csv",
        predictions="results/models/du_doan.csv",
        codebook=config["survey"]["codebook"],
        fonts=FONTS,
    output:
        forest_svg=report(
            "results/figures/bieu_do_ty_so_chenh.svg",
            caption="../report/mo_hinh.rst",
            category="Biểu đồ",
            subcategory="Mô hình",
        ),
        forest_png="results/figures/bieu_do_ty_so_chenh.png",
        pred_svg=report(
            "results/figures/bieu_do_du_doan.svg",
            caption="../report/mo_hinh.rst",
            category="Biểu đồ",
            subcategory="Mô hình",
        ),
        pred_png="results/figures/bieu_do_du_doan.png",
    log:
        "results/logs/figures/figures_models.log",
    conda:
        "../../environment.yml"
    script:
        "../../scripts/plot_models.py"


rule figures_survey:
    input:
        shares=TABLES["shares"],
        levels=TABLES["levels"],
        breakdowns=TABLES["breakdowns"],
        fonts=FONTS,
    output:
        barriers_svg=report(
            "results/figures/bieu_do_rao_can.svg",
            caption="../report/khao_sat.rst",
            category="Biểu đồ",
            subcategory="Khảo sát",
        ),
        barriers_png="results/figures/bieu_do_rao_can.png",
        levels_svg=report(
            "results/figures/bieu_do_muc_do.svg",
            caption="../report/khao_sat.rst",
            category="Biểu đồ",
            subcategory="Khảo sát",
        ),
        levels_png="results/figures/bieu_do_muc_do.png",
        groups_svg=report(
            "results/figures/bieu_do_theo_nhom.svg",
            caption="../report/khao_sat.rst",
            category="Biểu đồ",
            subcategory="Khảo sát",
        ),
        groups_png="results/figures/bieu_do_theo_nhom.png",
    log:
        "results/logs/figures/figures_survey.log",
    conda:
        "../../environment.yml"
    script:
        "../../scripts/plot_survey.py"


# Every province's charts in one job (one matplotlib start-up for all provinces).
rule province_figures:
    input:
        **{
            f"{t}__{k}": f"results/tables/tinh/{t}/{f}"
            for t in PROVINCE_BY_SLUG
            for k, f in (
                ("direct", "tham_gia_truc_tiep.csv"),
                ("shares", "ty_le_khac.csv"),
                ("levels", "muc_do_tham_gia.csv"),
                ("breakdowns", "theo_nhom.csv"),
            )
        },
        fonts=FONTS,
    output:
        **{
            f"{t}__{k}": f"results/figures/tinh/{t}/{f}"
            for t in PROVINCE_BY_SLUG
            for k, f in PROVINCE_FIGURES.items()
        },
    log:
        "results/logs/figures/province_figures.log",
    conda:
        "../../environment.yml"
    params:
        provinces=list(PROVINCE_BY_SLUG),
    script:
        "../../scripts/plot_province.py"
