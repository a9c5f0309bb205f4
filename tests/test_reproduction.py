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
