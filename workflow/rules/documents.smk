rule check_documents:
    input:
        code=code_of("check_documents.py"),
        sources=config["documents"]["sources"],
        extracts=extract_files(),
        indicators=config["documents"]["indicators"],
        codebook=config["survey"]["codebook"],
        texts=document_texts(),
    output:
        **in_report(
            {
                "checked": "results/documents/trich_xuat_kiem_chung.csv",
                "chosen": "results/documents/gia_tri_chon.csv",
                "conflicts": "results/documents/xung_dot.csv",
                "dti": "results/documents/bang_dti.csv",
            },
            "Tài liệu",
        ),
    log:
        "results/logs/documents/check_documents.log",
    conda:
        "../../environment.yml"
    params:
        prefer=config["documents"]["prefer"],
        dti_period=config["documents"]["dti_period"],
    script:
        "../../scripts/check_documents.py"


rule document_candidates:
    input:
        code=code_of("find_candidates.py"),
        sources=config["documents"]["sources"],
        indicators=config["documents"]["indicators"],
        texts=document_texts(),
    output:
        "results/documents/candidates.csv",
    log:
        "results/logs/documents/document_candidates.log",
    conda:
        "../../environment.yml"
    script:
        "../../scripts/find_candidates.py"
