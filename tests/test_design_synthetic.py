"""The synthetic data's sampling design (spec key ``design``): strata, nested PSUs with a
cluster effect, unequal weights; without it the files are unchanged (the committed fixtures
regenerate byte for byte: tests/test_next_year.py)."""

import numpy as np
import pandas as pd

from chinhquyenso.codebook import load_codebook
from chinhquyenso.design import design_from_frame
from chinhquyenso.design.estimates import svymean
from chinhquyenso.synthetic import SyntheticSpec, generate
from conftest import ROOT


def test_design_columns_strata_psus_weights_and_clustering():
    book = load_codebook(ROOT / "resources/codebook.yaml")
    plain = generate(book, SyntheticSpec(n=3000, seed=4))
    options = {"psu_per_stratum": 6, "psu_sd": 1.5, "fpc_header": "Số đơn vị"}
    drawn = generate(book, SyntheticSpec(n=3000, seed=4, design=options))
    assert list(drawn.columns) == list(plain.columns) + ["Trọng số", "Đơn vị mẫu", "Số đơn vị"]
    province = book[book.role("province")].headers[0]
    # the draws that do not depend on the latent score are the same with and without a design
    pd.testing.assert_series_equal(drawn[province], plain[province])
    frame = pd.DataFrame(
        {
            "w": drawn["Trọng số"].astype(float),
            "tang": drawn[province],
            "cum": drawn["Đơn vị mẫu"],
            "fpc": drawn["Số đơn vị"].astype(float),
        }
    )
    design = design_from_frame(frame, {"weight": "w", "strata": "tang", "psu": "cum", "fpc": "fpc"})  # nested
    assert design.n_strata == frame["tang"].nunique()
    assert (design.psu_per_stratum <= 6).all() and design.n_psu_total > 5 * design.n_strata
    assert (frame.groupby("cum")["w"].nunique() == 1).all()  # one weight per PSU, different between PSUs
    assert frame["w"].nunique() == design.n_psu_total and (frame["w"] > 0).all()
    assert np.allclose(design.fpc, 1 - design.psu_per_stratum / 24)
    # answers cluster in PSUs: the first activity's share has a design effect well above 1
    acts = book.activities
    takes = book[acts.takes[next(iter(acts))]]
    yes = drawn[takes.headers[0]] == takes.spelling(True)
    assert svymean(yes.to_numpy(float), design)["deff"] > 2


def test_make_synthetic_data_design_option(tmp_path):
    import make_synthetic_data

    assert make_synthetic_data.main(["--n", "400", "--design", "--out-dir", str(tmp_path)]) == 0
    frame = pd.read_csv(tmp_path / "khao_sat.csv", dtype=str)
    assert list(frame.columns[-2:]) == ["Trọng số", "Đơn vị mẫu"]
    assert frame["Đơn vị mẫu"].str.fullmatch(r"DV\d{5}").all()
    assert (frame["Trọng số"].astype(float) > 0).all() and frame["Trọng số"].nunique() > 100
    assert "--design" in (tmp_path / "README.md").read_text(encoding="utf-8")
