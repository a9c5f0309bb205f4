"""The registry of what the project publishes (chinhquyenso.products) agrees with the code that
makes, protects and documents each product."""

from pathlib import Path

from chinhquyenso import plan, products, tables
from chinhquyenso.disclosure.cells import BUILDERS

ROOT = Path(__file__).resolve().parent.parent


def test_every_product_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for p in products.PRODUCTS:
        assert f"{p.id}" in readme, p.id
        assert p.compute.split(".")[-1] in readme, p.compute


def test_every_table_with_counts_has_a_disclosure_rule_and_a_function(clean_demo, codebook):
    made = tables.compute_all(clean_demo[0], codebook)
    assert list(made) == plan.table_keys(codebook)
    for p in products.tables(codebook):
        frame = made[p.key]
        assert getattr(tables, p.compute.split(".")[-1])  # the function the README names exists
        if p.counts:
            assert p.key in BUILDERS, p.key
        for col, source in p.derived.items():
            assert col in frame.columns and source in p.counts, (p.id, col)
        for col in p.counts:
            assert col == "n_*" or col in frame.columns, (p.id, col)


def test_figures_are_drawn_from_registered_tables(codebook):
    keys = set(plan.table_keys(codebook))
    for figure_id, source in plan.survey_figures(codebook).items():
        assert source in keys, figure_id
    # one chart per multi-select block, named after the block
    for block in codebook.blocks_of("multiselect"):
        assert f"bieu_do_{block.id}" in plan.survey_figures(codebook)


def test_province_files_sit_under_the_province_folder(codebook):
    raw = products.province_table_files(codebook, "x", products.INTERNAL_TABLES)
    published = products.province_table_files(codebook, "x")
    assert all(v.startswith("results/internal/tables/tinh/x/") for v in raw.values())
    assert all(v.startswith("results/tables/tinh/x/") for v in published.values())


def test_old_province_reports_of_a_province_without_a_report_now_are_removed(tmp_path):
    for name in (
        "bao_cao_tinh_a.pdf",
        "bao_cao_tinh_a.docx",
        "bao_cao_tinh_b.pdf",
        "bao_cao_tinh_b_bang_bieu.csv",
    ):
        (tmp_path / name).write_text("x", encoding="utf-8")
    (tmp_path / "bao_cao.pdf").write_text("x", encoding="utf-8")
    removed = products.remove_old_province_reports(tmp_path, ["a"])
    assert [p.name for p in removed] == ["bao_cao_tinh_b.pdf", "bao_cao_tinh_b_bang_bieu.csv"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "bao_cao.pdf",
        "bao_cao_tinh_a.docx",
        "bao_cao_tinh_a.pdf",
    ]


def test_a_rules_code_is_what_its_script_runs():
    """chinhquyenso.code_deps: a name imported from a package counts as its defining module;
    the package __init__ files that run first are inputs too, what they import is not."""
    from chinhquyenso.code_deps import modules_of

    dti = modules_of(ROOT / "scripts/plot_dti.py", ROOT / "scripts")
    names = {Path(p).relative_to(ROOT / "scripts/chinhquyenso").as_posix() for p in dti}
    assert {"figures.py", "models/spec.py", "models/__init__.py", "__init__.py", "smk.py"} <= names
    assert "models/fitting.py" not in names  # figures uses is_slope from models.spec only
    models = modules_of(ROOT / "scripts/fit_models.py", ROOT / "scripts")
    assert any(p.endswith("models/fitting.py") for p in models)
