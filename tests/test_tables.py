"""Descriptive tables: the raw counts the disclosure stage starts from."""

from chinhquyenso.tables import breakdowns, category_distribution


def test_breakdowns_count_every_group_and_hide_nothing(clean_demo, codebook):
    clean, _ = clean_demo
    few = clean[(clean["tinh"] == "TPHCM")].head(30)  # tenure bands and levels get thin
    table = breakdowns(few, codebook, [1, 4, 8, 12, 17])
    assert "an" not in table.columns  # hiding is the disclosure stage's business
    for _, part in table.groupby("chieu"):
        assert part["n"].sum() <= 30
    assert table.loc[table["chieu"] == "gioi_tinh", "n"].sum() == few["gioi_tinh"].notna().sum()


def test_category_distribution_carries_its_total_row(clean_demo, codebook):
    clean, _ = clean_demo
    table = category_distribution(clean, codebook, "cap_hanh_chinh")
    assert (table["n_tra_loi"] == table["n"].sum()).all() and (table["co_so"] == len(clean)).all()
