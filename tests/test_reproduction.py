import pandas as pd

from chinhquyenso import reproduction, tables


def test_a_changed_count_is_a_mismatch(clean_demo, codebook, published):
    clean, _ = clean_demo
    t = tables.compute_all(clean, codebook)
    t3 = t["levels"]
    t3.loc[t3["hoat_dong"] == "hd10", "n_cao"] += 1
    result = reproduction.compare(published, t, codebook.roles)
    bad = result[result.trang_thai == reproduction.LECH]
    # the count, and the percentage recomputed from it
    assert list(bad["loai"]) == ["số lượng", "tỷ lệ %"]
    row = bad.iloc[0]
    assert row.bang == "Bảng 3" and row.cong_bo == "86" and row.tinh_duoc == "87"
    assert "10. Triển khai nền tảng họp trực tuyến" in row.chi_tieu
    assert (bad.iloc[1].cong_bo, bad.iloc[1].tinh_duoc) == ("29.2", "29.5")


def test_a_changed_percentage_base_is_a_mismatch_not_an_erratum(clean_demo, codebook, published):
    clean, _ = clean_demo
    t = tables.compute_all(clean, codebook)
    g = t["gender"]
    g.loc[(g.tinh == "TPHCM") & (g.gioi_tinh == "Nam"), "n"] = 59
    result = reproduction.compare(published, t, codebook.roles)
    bad = result[result.trang_thai == reproduction.LECH]
    assert set(bad["loai"]) == {"số lượng", "tỷ lệ %"}


def test_truncated_published_share_is_explained(clean_demo, codebook, published):
    clean, _ = clean_demo
    result = reproduction.compare(published, tables.compute_all(clean, codebook), codebook.roles)
    row = result[(result.bang == "Biểu đồ 1") & (result.chi_tieu == "Hồ sơ xử lý trực tuyến")].iloc[0]
    assert row.trang_thai == reproduction.ERRATUM
    assert (row.cong_bo, row.tinh_duoc) == ("80.2", "80.3")
    assert "cắt bớt" in row.ghi_chu


def test_bound_only_share_is_checked_against_its_bound(clean_demo, codebook, published):
    clean, _ = clean_demo
    result = reproduction.compare(published, tables.compute_all(clean, codebook), codebook.roles)
    row = result[result.cong_bo == ">50"].iloc[0]
    assert row.trang_thai == reproduction.KHOP and row.tinh_duoc == "55.0"


def test_a_small_recomputed_count_is_published_only_where_it_is_the_articles_own():
    result = pd.DataFrame(
        [
            ["Bảng 1", "khớp", "số lượng", "3", "3", reproduction.KHOP, ""],
            ["Bảng 1", "lệch", "số lượng", "6", "4", reproduction.LECH, ""],
            [
                "Bảng 2",
                "ngưỡng",
                "tỷ lệ %",
                ">1",
                "2.5",
                reproduction.KHOP,
                f"3/120; {reproduction.BOUND_NOTE}",
            ],
            ["Bảng 2", "lớn", "tỷ lệ %", "80.2", "80.3", reproduction.ERRATUM, "289/360; bài báo cắt bớt"],
        ],
        columns=["bang", "chi_tieu", "loai", "cong_bo", "tinh_duoc", "trang_thai", "ghi_chu"],
    )
    out = reproduction.protect_small(result, 5)
    assert out["tinh_duoc"].tolist() == ["3", "(ẩn)", "(ẩn)", "80.3"]
    assert out["ghi_chu"].tolist()[2:] == [f"(ẩn)/120; {reproduction.BOUND_NOTE}", "289/360; bài báo cắt bớt"]
