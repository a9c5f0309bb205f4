"""The contract of the clean survey table, as a pandera schema derived from the codebook.

Downstream rules read ``results/clean/khao_sat.parquet`` trusting this contract; the clean
rule validates its own output against it before writing. Types and allowed codes are checked
here; completeness is the validation policy's business (a warning may leave a cell empty), so
answer columns are nullable. Identifiers are not columns of the clean table at all, and a
``required: false`` question may be absent from it (``answered``: left out downstream).
"""

from __future__ import annotations

import pandera.pandas as pa

from . import nonresponse
from .codebook import Codebook


def clean_schema(codebook: Codebook) -> pa.DataFrameSchema:
    columns: dict[str, pa.Column] = {
        "dong_nguon": pa.Column("int32", pa.Check.ge(2), unique=True),
    }
    classes = list(codebook.missing_classes)
    for var in codebook.variables:
        columns.update(_columns(var, bool(classes)))
        if classes and var.type in nonresponse.TYPES:  # present when the data hold any
            check = pa.Check.isin(classes)
            columns[nonresponse.companion(var.name)] = pa.Column(
                "category", check, nullable=True, required=False
            )
    # strict="filter" would drop unknown columns silently; strict=True refuses them
    return pa.DataFrameSchema(columns, strict=True, coerce=False)


def _columns(var, classes: bool = False) -> dict[str, pa.Column]:
    """The clean table's column(s) of one variable; optional when the variable is; with missing
    classes declared, an answer may be item non-response (blank, its class beside it)."""
    need = {"required": var.required}
    gaps = classes and var.type in nonresponse.TYPES
    if var.type == "id":
        return {var.name: pa.Column("string", unique=True, nullable=False, **need)}
    if var.type == "datetime":
        return {var.name: pa.Column("datetime64[ns]", nullable=False, **need)}
    if var.type == "integer":
        lo, hi = var.range
        return {var.name: pa.Column("Int16", pa.Check.in_range(lo, hi), nullable=gaps, **need)}
    if var.type == "number":  # a design weight or fpc: its checks are design/spec.py's
        return {var.name: pa.Column("Float64", nullable=True, **need)}
    if var.type == "code":
        return {var.name: pa.Column("string", nullable=True, **need)}
    if var.type == "category":
        return {var.name: pa.Column("category", pa.Check.isin(var.values), nullable=gaps, **need)}
    if var.type == "boolean":
        return {var.name: pa.Column("boolean", nullable=gaps or var.only_if is not None, **need)}
    if var.type == "ordinal":
        check = pa.Check.isin(var.values)
        return {var.name: pa.Column("Int8", check, nullable=gaps or var.only_if is not None, **need)}
    if var.type == "multiselect":
        return {opt.name: pa.Column("bool", nullable=False, **need) for opt in var.options}
    return {}  # identifiers: not columns of the clean table
