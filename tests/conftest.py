from pathlib import Path

import numpy as np
import pytest

from chinhquyenso.codebook import load_codebook
from chinhquyenso.ingest import clean_survey
from chinhquyenso.published import load_published
from chinhquyenso.readers import RawSurvey, read_survey

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "resources/demo/khao_sat_2023_demo.csv"
CODEBOOK = ROOT / "resources/codebook.yaml"
PUBLISHED = ROOT / "resources/published/published_figures.yaml"
ASSUMPTIONS = ROOT / "resources/demo/gia_dinh_tai_tao.yaml"
MESSY = ROOT / "resources/survey/khao_sat_2023_xuat_tho.xlsx"


def as_raw(frame, name="x.csv", first_row=2):
    """Wrap a frame of text cells as a RawSurvey whose rows are numbered like a CSV file."""
    rows = np.arange(first_row, first_row + len(frame), dtype=np.int64)
    return RawSurvey(frame.reset_index(drop=True), rows, Path(name), "kiểm thử")


@pytest.fixture(scope="session")
def codebook():
    return load_codebook(CODEBOOK)


@pytest.fixture(scope="session")
def published(codebook):
    return load_published(PUBLISHED, codebook)


@pytest.fixture(scope="session")
def raw_demo():
    """The clean demo CSV as text cells (a plain DataFrame; tests copy and damage it)."""
    return read_survey(DEMO).frame


@pytest.fixture(scope="session")
def clean_demo(codebook):
    result = clean_survey(read_survey(DEMO), codebook)
    return result.clean, result.log
