"""Pipeline package for the survey of young civil servants in digital-government work.

Each module holds plain functions that a thin Snakemake script (``scripts/*.py``) calls;
the package is tested directly by pytest.
"""
