# In-depth interviews (config `interviews:`; README of resources/phong_van/): every quote found
# verbatim in its transcript, speakers protected. Included by the Snakefile only when set.
from chinhquyenso.interviews.register import Settings, settings_problems

INTERVIEWS = config["interviews"]
_interview_problems = settings_problems(INTERVIEWS, workflow.basedir)
if _interview_problems:
    raise WorkflowError(
        "Cấu hình phỏng vấn sâu (config.yaml, interviews:) không dùng được:\n  - "
        + "\n  - ".join(_interview_problems)
    )

# Every transcript file of the folder: an edited transcript re-runs the check.
INTERVIEW_TRANSCRIPTS = sorted(
    str(p)
    for p in Path(INTERVIEWS["transcripts"]).iterdir()
    if p.suffix.lower() in (".txt", ".md", ".docx")
)


rule check_interviews:
    input:
        code=code_of("check_interviews.py"),
        clean="results/clean/khao_sat.parquet",
        codebook=config["survey"]["codebook"],
        register=INTERVIEWS["register"],
        protected=INTERVIEWS["protected"],
        themes=INTERVIEWS["themes"],
        excerpts=list(Settings.from_config(INTERVIEWS).excerpts),
        transcripts=INTERVIEW_TRANSCRIPTS,
    output:
        excerpts="results/interviews/trich_doan_kiem_chung.csv",
        themes="results/interviews/chu_de_theo_tinh.csv",
        summary="results/interviews/tom_tat.json",
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
