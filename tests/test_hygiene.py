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
