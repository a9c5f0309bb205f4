from pathlib import Path

import pytest
from chinhquyenso.codebook import load_codebook
from chinhquyenso.ingest import clean_survey, read_raw_csv
from chinhquyenso.published import load_published

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "resources/demo/khao_sat_2023_demo.csv"
CODEBOOK = ROOT / "resources/codebook.yaml"
PUBLISHED = ROOT / "resources/published/published_figures.yaml"
ASSUMPTIONS = ROOT / "resources/demo/gia_dinh_tai_tao.yaml"


@pytest.fixture(scope="session")
def codebook():
    return load_codebook(CODEBOOK)


@pytest.fixture(scope="session")
def published(codebook):
    return load_published(PUBLISHED, codebook)


@pytest.fixture(scope="session")
def raw_demo():
    return read_raw_csv(DEMO)


@pytest.fixture(scope="session")
def clean_demo(raw_demo, codebook):
    clean, log = clean_survey(raw_demo, codebook, DEMO.name)
    return clean, log
