"""Workflow hygiene, as CI checks it: snakemake --lint, snakefmt and ruff are clean."""

import subprocess
import sys
from pathlib import Path

from conftest import ROOT

BIN = Path(sys.executable).parent


def _run(*args):
    return subprocess.run([str(BIN / args[0]), *args[1:]], cwd=ROOT, capture_output=True, text=True)


def test_snakemake_lint_is_clean():
    run = _run("snakemake", "--lint")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Congratulations, your workflow is in a good condition!" in run.stdout + run.stderr


def test_snakefmt_check():
    run = _run("snakefmt", "--check", ".")
    assert run.returncode == 0, run.stdout + run.stderr


def test_ruff_lint_and_format():
    for args in (
        ("ruff", "check", "scripts", "tests", "benchmarks"),
        ("ruff", "format", "--check", "scripts", "tests", "benchmarks"),
    ):
        run = _run(*args)
        assert run.returncode == 0, run.stdout + run.stderr


# Words that are the project's own names (wildcards, folders, output columns, context keys) and
# happen to equal a name of the 2023 form. They must never be used to reach the data: the
# next-year fixtures (tests/test_next_year.py) rename every variable, so any such use fails there.
VOCABULARY = {
    "tinh": "province: the {tinh} wildcard, results/*/tinh/ folders, the extracts' column",
    "hoat_dong": "activity: a column of the model and wave CSVs, the report's activities context",
    "gioi_tinh": "the report context's gender rows",
    "cap_hanh_chinh": "the stem of the administrative-level table (plan.TABLE_FILES)",
    "email": "prose of the cleaning-log section",
}


def _form_names():
    """Names of the 2023 form (variables, items, groups, blocks) and its answers (labels and raw
    spellings of categories and scales, two characters or more)."""
    import yaml

    from chinhquyenso.codebook import load_codebook

    book = load_codebook(ROOT / "resources/codebook.yaml")
    doc = yaml.safe_load((ROOT / "resources/codebook.yaml").read_text(encoding="utf-8"))
    names = set(book._by_name) | set(book.items) | {b.id for b in book.blocks}
    names |= {item for group in book.items.values() for item in group.entries}
    answers = {c.value for v in book.variables for c in v.categories if isinstance(c.value, str)}
    answers |= {raw for v in book.variables for c in v.categories for raw in c.raw}
    answers |= {raw for scale in doc["scales"].values() for raws in scale["codes"].values() for raw in raws}
    return names - set(VOCABULARY), {a for a in answers if len(a) > 1}


def test_no_name_or_answer_of_the_2023_form_in_code_or_templates():
    import re

    names, answers = _form_names()

    def alternatives(words):
        return "|".join(map(re.escape, sorted(words, key=len, reverse=True)))

    as_word = re.compile(rf"(?<!\w)({alternatives(names)})(?!\w)")
    quoted = re.compile(rf"[\"'«]({alternatives(answers)})[\"'»]")
    files = [*(ROOT / "scripts").rglob("*.py"), *(ROOT / "workflow").rglob("*.smk")]
    files += [*(ROOT / "workflow").rglob("*.j2"), *(ROOT / "workflow").rglob("*.yaml"), ROOT / "Snakefile"]
    found = [
        f"{path.relative_to(ROOT)}:{no}: {m.group(0)}"
        for path in files
        for no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        for m in [*as_word.finditer(line), *quoted.finditer(line)]
    ]
    assert len(names) > 50 and len(answers) > 20  # the check has something to look for
    assert not found, "\n".join(found)
