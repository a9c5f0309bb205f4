# Without documents (config `documents: null`) there is nothing to check or search.
if DOCUMENTS:

    rule check_documents:
        input:
            code=code_of("check_documents.py"),
            sources=DOCUMENTS["sources"],
            extracts=extract_files(),
            indicators=DOCUMENTS["indicators"],
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
            prefer=DOCUMENTS["prefer"],
            dti_period=DOCUMENTS["dti_period"],
        script:
            "../../scripts/check_documents.py"

    rule document_candidates:
        input:
            code=code_of("find_candidates.py"),
            sources=DOCUMENTS["sources"],
            indicators=DOCUMENTS["indicators"],
            texts=document_texts(),
        output:
            "results/documents/candidates.csv",
        log:
            "results/logs/documents/document_candidates.log",
        conda:
            "../../environment.yml"
        script:
            "../../scripts/find_candidates.py"
