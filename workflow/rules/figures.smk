if HAS_DTI:

    rule figure_dti:
        input:
            code=code_of("plot_dti.py"),
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
            labels=CODEBOOK.value_labels(CODEBOOK.role("province")),
        script:
            "../../scripts/plot_dti.py"


if HAS_ACTIVITIES:

    rule figures_models:
        input:
            **({"predictions": "results/models/du_doan.csv"} if HAS_PREDICTIONS else {}),
            code=code_of("plot_models.py"),
            per_activity="results/models/theo_hoat_dong.csv",
            pooled="results/models/gop_va_chi_so.csv",
            codebook=config["survey"]["codebook"],
            fonts=FONTS,
        output:
            **(
                {
                    "pred_svg": report(
                        "results/figures/bieu_do_du_doan.svg",
                        caption="../report/mo_hinh.rst",
                        category="Biểu đồ",
                        subcategory="Mô hình",
                    ),
                    "pred_png": "results/figures/bieu_do_du_doan.png",
                }
                if HAS_PREDICTIONS
                else {}
            ),
            forest_svg=report(
                "results/figures/bieu_do_ty_so_chenh.svg",
                caption="../report/mo_hinh.rst",
                category="Biểu đồ",
                subcategory="Mô hình",
            ),
            forest_png="results/figures/bieu_do_ty_so_chenh.png",
        log:
            "results/logs/figures/figures_models.log",
        conda:
            "../../environment.yml"
        params:
            focal=config["models"]["focal"],
            confidence=config["models"]["confidence"],
        script:
            "../../scripts/plot_models.py"


# The survey charts this form gives (chinhquyenso.plan.survey_figures), SVG and PNG, one job.
if SURVEY_FIGURES:

    rule figures_survey:
        input:
            **{k: TABLES[k] for k in dict.fromkeys(SURVEY_FIGURES.values())},
            code=code_of("plot_survey.py"),
            codebook=config["survey"]["codebook"],
            fonts=FONTS,
        output:
            **{
                f"{f}__{ext}": (
                    report(
                        f"results/figures/{f}.{ext}",
                        caption="../report/khao_sat.rst",
                        category="Biểu đồ",
                        subcategory="Khảo sát",
                    )
                    if ext == "svg"
                    else f"results/figures/{f}.{ext}"
                )
                for f in SURVEY_FIGURES
                for ext in ("svg", "png")
            },
        log:
            "results/logs/figures/figures_survey.log",
        conda:
            "../../environment.yml"
        params:
            figures=list(SURVEY_FIGURES),
        script:
            "../../scripts/plot_survey.py"


# Every province's charts in one job (one matplotlib start-up for all provinces).
if SURVEY_FIGURES and PROVINCE_BY_SLUG:

    rule province_figures:
        input:
            code=code_of("plot_province.py"),
            tables=PROVINCE_TABLE_DIR,
            codebook=config["survey"]["codebook"],
            fonts=FONTS,
        output:
            # results/figures/tinh/<slug>/<chart>.svg, and .png for the province's Word report
            directory(PROVINCE_FIGURE_DIR),
        log:
            "results/logs/figures/province_figures.log",
        conda:
            "../../environment.yml"
        params:
            provinces=PROVINCE_BY_SLUG,
            figures=list(SURVEY_FIGURES),
            tables=list(dict.fromkeys(SURVEY_FIGURES.values())),
        script:
            "../../scripts/plot_province.py"
