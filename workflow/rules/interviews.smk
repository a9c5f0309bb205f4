# In-depth interviews (config `interviews:`; README of resources/phong_van/): every quote found
# verbatim in its transcript, speakers protected. Included by the Snakefile only when set.
# (INTERVIEWS and the check of its paths: common.smk)
from chinhquyenso.interviews.register import Settings


rule check_interviews:
    input:
        code=code_of("check_interviews.py"),
        clean="results/clean/khao_sat.parquet",
        codebook=config["survey"]["codebook"],
        register=INTERVIEWS["register"],
        protected=INTERVIEWS["protected"],
        themes=INTERVIEWS["themes"],
        excerpts=list(Settings.from_config(INTERVIEWS).excerpts),
        transcripts=interview_transcripts(),
        sections=f"{config['report']['template_dir']}/sections.yaml",  # what supports may name
    output:
        excerpts=INTERVIEW_RESULTS["iv_excerpts"],
        themes=INTERVIEW_RESULTS["iv_themes"],
        summary=INTERVIEW_RESULTS["iv_summary"],
    log:
        "results/logs/interviews/check_interviews.log",
    conda:
        "../../environment.yml"
    params:
        interviews=INTERVIEWS,
        min_cell=config["report"]["min_cell"],
        tenure_bands=config["report"]["tenure_bands"],
    script:
        "../../scripts/check_interviews.py"
