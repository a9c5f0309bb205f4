"""Disclosure control (chinhquyenso.disclosure): an attacker reads the published tables of the
overall and province reports together and tries to recover each hidden count.

The data are the demo's with small cells planted in one province: an administrative level with
3 respondents, a yes/no item with 2 «Có», another with 3 «Không» (the activity levels of the
demo already have cells of 1-4 in every province)."""

import itertools

import pandas as pd
import pytest

from chinhquyenso import products, tables
from chinhquyenso.disclosure import build, protect, protect_tables, proven_range
from chinhquyenso.disclosure.audit import components, pinned, what_is_known

MIN_CELL = 5


def _plant_small_cells(clean, book):
    """The demo with small cells in its second province (see the module docstring)."""
    out = clean.copy()
    prov_var, level_var = book.role("province"), book.role("admin_level")
    province = book[prov_var].values[1]
    rows = out.index[out[prov_var] == province]
    levels = book[level_var].values
    top = rows[out.loc[rows, level_var] == levels[-1]]
    out.loc[top[3:], level_var] = levels[0]  # 3 respondents left at the top level
    yes_item, no_item = book.blocks_of("indicators")[0].variables[:2]
    out.loc[rows, yes_item] = False
    out.loc[rows[:2], yes_item] = True  # 2 «Có»
    out.loc[rows, no_item] = True
    out.loc[rows[:3], no_item] = False  # 3 «Không»
    return out, province, (yes_item, no_item)


def _raw_tables(clean, book):
    prov_var = book.role("province")
    raw = {"": tables.compute_all(clean, book)}
    for name, part in clean.groupby(prov_var, observed=True, sort=False):
        raw[str(name)] = tables.compute_all(part.reset_index(drop=True), book)
    return raw


@pytest.fixture(scope="module")
def planted(clean_demo, codebook, tmp_path_factory):
    clean, province, items = _plant_small_cells(clean_demo[0], codebook)
    raw = _raw_tables(clean, codebook)
    published, summary = protect_tables(raw, codebook, MIN_CELL)
    # the published tables as a reader gets them: written and read back as CSV
    folder = tmp_path_factory.mktemp("published")
    read_back = {}
    for pop, frames in published.items():
        read_back[pop] = {}
        for key, frame in frames.items():
            path = folder / f"{pop or 'toan_mau'}_{products.by_key(key).id}.csv"
            tables.write_table(frame, path)
            read_back[pop][key] = tables.read_table(path)
    return raw, read_back, summary, province, items


def _hidden_from_files(model, raw, read_back):
    """The cells an attacker sees blank in the published files; every other printed cell must
    carry its true value. (Rows are matched by their label: a table sorted by a count puts its
    hidden rows last.)"""
    hidden = set()
    for cell, places in model.places.items():
        for key, pop, row, col in places:
            frame, label = read_back[pop][key], raw[pop][key].columns[0]
            if key == "direct":
                row = frame.index[frame[label] == raw[pop][key].at[row, label]][0]
            value = frame.at[row, col]
            if pd.isna(value):
                hidden.add(cell)
            else:
                assert int(value) == model.value[cell], (cell, key, pop, row, col)
    return hidden


def test_planted_small_cells_are_blank_in_every_published_table(planted, codebook):
    raw, read_back, _, province, (yes_item, no_item) = planted
    level_var = codebook.role("admin_level")
    levels = read_back[province]["admin_levels"].set_index(level_var)["n"]
    assert pd.isna(levels[codebook[level_var].values[-1]])  # the 3 respondents
    overall_levels = read_back[""]["gender"]
    assert overall_levels["n"].notna().all()  # nothing small there: the article's Bảng 1 stays whole
    shares = read_back[province]["shares"].set_index("chi_bao")["n"]
    assert pd.isna(shares[yes_item])  # 2 «Có»
    assert pd.isna(shares[no_item])  # 3 «Không», which the base would give away
    for key, frame in raw[province].items():  # every printed count from 1 to 4 is blank
        for col in products.by_key(key).counts:
            cols = [c for c in frame.columns if c.startswith("n_")] if col == "n_*" else [col]
            for c in cols:
                small = frame[c].between(1, MIN_CELL - 1)
                assert read_back[province][key].loc[small, c].isna().all(), (key, c)


def _attack(raw, read_back, book):
    """Every hidden count, and every small count no table prints, over everything published:
    its proven range must be at least the threshold wide (or its whole population's size)."""
    model = build(raw, book)
    what_is_known(model, MIN_CELL)  # and what the models print
    hidden = _hidden_from_files(model, raw, read_back)
    assert not hidden & pinned(model)  # a total the files give anyway is never shown as hidden
    sensitive = {c for c in model.sensitive_unshown if 0 < model.value[c] < MIN_CELL}
    for group in components(model):
        for cell in sorted((hidden | sensitive) & set(group)):
            lo, hi = proven_range(model, group, hidden, cell)
            assert lo <= model.value[cell] <= hi
            assert hi - lo >= min(MIN_CELL, model.sizes[cell[0]]), (cell, lo, hi)
    return hidden


def test_no_hidden_count_can_be_narrowed_below_the_threshold(planted, codebook):
    """The attacker's linear programs over everything published: rows, columns, bases, summary
    bands, other tables of the same respondents, the overall report minus the provinces'."""
    raw, read_back, _, _, _ = planted
    assert _attack(raw, read_back, codebook)


def test_yes_no_item_by_brute_force(planted, codebook):
    """Independently of the linear programs: every whole number of «Có» per province that agrees
    with what is published (each hidden count at least 1, the overall count the provinces' sum)."""
    _, read_back, _, _, (yes_item, _) = planted
    provinces = [p for p in read_back if p]
    n = {p: int(read_back[p]["profile"].set_index("chi_bao").at["n", "gia_tri"]) for p in provinces}

    def yes(pop):
        frame = read_back[pop]["shares"].set_index("chi_bao")
        return frame.at[yes_item, "n"]

    total, values = yes(""), {p: yes(p) for p in provinces}
    blanks = [p for p in provinces if pd.isna(values[p])]
    assert blanks
    if pd.isna(total):
        pytest.skip("the overall count is hidden too: nothing ties the provinces together")
    known = int(total) - sum(int(values[p]) for p in provinces if p not in blanks)
    ranges = {p: (n[p], -1) for p in blanks}
    for combo in itertools.product(*[range(1, n[p] + 1) for p in blanks]):
        if sum(combo) == known:
            for p, v in zip(blanks, combo, strict=True):
                ranges[p] = (min(ranges[p][0], v), max(ranges[p][1], v))
    for p, (lo, hi) in ranges.items():
        assert hi - lo >= MIN_CELL, (p, lo, hi)


def test_derived_columns_and_order_follow_their_count(planted):
    _, read_back, _, province, _ = planted
    direct = read_back[province]["direct"]
    assert direct.loc[direct["n"].isna(), "ty_le"].isna().all()
    shown = direct["n"].notna().tolist()
    assert shown == sorted(shown, reverse=True)  # hidden rows last: their place says nothing
    breakdowns = read_back[province]["breakdowns"]
    gone = breakdowns["n"].isna()
    assert breakdowns.loc[gone, ["n_luot_tham_gia", "n_luot_co_the", "n_luot_cao"]].isna().all().all()


def test_same_data_same_pattern(planted, codebook):
    raw = planted[0]
    model = build(raw, codebook)
    first, second = protect(model, MIN_CELL), protect(build(raw, codebook), MIN_CELL)
    assert first.primary == second.primary and first.secondary == second.secondary


def test_summary_counts_what_was_hidden(planted):
    _, read_back, summary, province, _ = planted
    row = summary[(summary["pham_vi"] == province) & (summary["bang"] == "ty_le_khac")].iloc[0]
    blanks = int(read_back[province]["shares"]["n"].isna().sum())
    assert row["so_o_an"] == blanks >= 2  # how many, not which are small (that stays in the log)
    assert list(summary.columns) == ["bang", "pham_vi", "so_o", "so_o_an", "chua_bao_ve_du"]


def test_demo_overall_report_keeps_the_articles_tables(clean_demo, codebook):
    """Without planted cells the overall gender and administrative-level tables stay whole."""
    raw = _raw_tables(clean_demo[0], codebook)
    published, _ = protect_tables(raw, codebook, MIN_CELL)
    for key in ("gender", "admin_levels", "shares"):
        assert published[""][key]["n"].notna().all(), key


def test_a_province_smaller_than_the_threshold_hides_in_the_sums(clean_demo, codebook, tmp_path):
    """A province of 3 respondents gets no report (the workflow leaves it out); the overall report
    still prints its column of Bảng 1, hidden whole, zeros too (a zero beside 3 people tells where
    they are), and what the other provinces leave of each overall count is protected like a cell."""
    clean = clean_demo[0]
    prov_var = codebook.role("province")
    tiny = codebook[prov_var].values[2]
    keep = clean[clean[prov_var] != tiny].index.union(clean[clean[prov_var] == tiny].index[:3])
    raw = _raw_tables(clean.loc[keep].reset_index(drop=True), codebook)
    raw.pop(tiny)
    published, summary = protect_tables(raw, codebook, MIN_CELL)
    gender = published[""]["gender"]
    column = gender[gender[gender.columns[0]] == tiny]
    assert column["n"].isna().all() and (column["co_so"] == 3).all()  # its size is no secret
    assert published[""]["direct"]["n"].notna().all()  # the overall report keeps its figures
    read_back = {}
    for pop, frames in published.items():
        read_back[pop] = {}
        for key, frame in frames.items():
            tables.write_table(frame, tmp_path / f"{pop or 'all'}_{key}.csv")
            read_back[pop][key] = tables.read_table(tmp_path / f"{pop or 'all'}_{key}.csv")
    _attack(raw, read_back, codebook)


def test_a_population_smaller_than_the_threshold_hides_its_ranges(codebook):
    from chinhquyenso.disclosure.stage import without_ranges

    profile = pd.DataFrame({"chi_bao": ["n", "tuoi_min", "tuoi_max"], "gia_tri": [3, 24, 31]})
    out = without_ranges(profile).set_index("chi_bao")["gia_tri"]
    assert out["n"] == 3 and out[["tuoi_min", "tuoi_max"]].isna().all()
