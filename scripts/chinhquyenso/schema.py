"""The contract of the clean survey table, as a pandera schema derived from the codebook.

Downstream rules read ``results/clean/khao_sat.parquet`` trusting this contract; the clean
rule validates its own output against it before writing. Types and allowed codes are checked
here; completeness is the validation policy's business (a warning may leave a cell empty), so
answer columns are nullable. Identifiers are not columns of the clean table at all.
"""

from __future__ import annotations

import pandera.pandas as pa

from .codebook import Codebook


def clean_schema(codebook: Codebook) -> pa.DataFrameSchema:
    columns: dict[str, pa.Column] = {
        "dong_nguon": pa.Column("int32", pa.Check.ge(2), unique=True),
    }
    for var in codebook.variables:
        if var.type == "id":
            columns[var.name] = pa.Column("string", unique=True, nullable=False)
        elif var.type == "datetime":
            columns[var.name] = pa.Column("datetime64[ns]", nullable=False)
        elif var.type == "integer":
            lo, hi = var.range
            columns[var.name] = pa.Column("Int16", pa.Check.in_range(lo, hi), nullable=False)
        elif var.type == "category":
            columns[var.name] = pa.Column("category", pa.Check.isin(var.values), nullable=False)
        elif var.type == "boolean":
            columns[var.name] = pa.Column("boolean", nullable=var.only_if is not None)
        elif var.type == "ordinal":
            columns[var.name] = pa.Column("Int8", pa.Check.isin(var.values), nullable=var.only_if is not None)
        elif var.type == "multiselect":
            for opt in var.options:
                columns[opt.name] = pa.Column("bool", nullable=False)
    # strict="filter" would drop unknown columns silently; strict=True refuses them
    return pa.DataFrameSchema(columns, strict=True, coerce=False)
