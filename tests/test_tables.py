"""Descriptive tables: small-cell protection."""

import pandas as pd

from chinhquyenso.tables import breakdowns, suppress_small


def test_single_small_cell_and_its_complement_are_suppressed():
    frame = pd.DataFrame(
        {"chieu": ["cap"] * 3 + ["gioi"] * 2, "nhom": list("abcde"), "n": [3, 40, 20, 50, 60]}
    )
    out = suppress_small(frame, "chieu", "n", 5).set_index("nhom")["an"]
    assert out.to_dict() == {"a": True, "b": False, "c": True, "d": False, "e": False}


def test_two_small_cells_protect_each_other():
    frame = pd.DataFrame({"chieu": ["cap"] * 3, "nhom": list("abc"), "n": [2, 3, 40]})
    assert suppress_small(frame, "chieu", "n", 5)["an"].tolist() == [True, True, False]


def test_breakdowns_on_a_small_province_suppress_cells(clean_demo, codebook):
    clean, _ = clean_demo
    few = clean[(clean["tinh"] == "TPHCM")].head(30)  # tenure bands and levels get thin
    table = breakdowns(few, codebook, [1, 4, 8, 12, 17], 5)
    shown = table[~table["an"]]
    assert (shown["n"] >= 5).all()
    for _, part in table.groupby("chieu"):
        assert part["an"].sum() != 1  # never a single hidden cell that the total would reveal
