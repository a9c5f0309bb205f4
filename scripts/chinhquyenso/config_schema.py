"""The config against its JSON schema (workflow/schemas/config.schema.yaml), every problem in
Vietnamese naming its key: jsonschema's messages are English and name no file."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

# What a key an older config lacks should name (said with "thiếu khóa"), by its path.
MISSING_HINTS = defaultdict(
    str,
    {
        ("documents", "indicators"): (
            "tệp YAML các chỉ số của số liệu trích từ tài liệu, khóa document_indicators:, trước đây "
            "nằm trong codebook; của dự án: indicators: resources/documents/chi_so.yaml"
        ),
    },
)


def schema_problems(config: dict, schema_path: str | Path) -> list[str]:
    """The config against workflow/schemas/config.schema.yaml, every problem in Vietnamese with
    its key (Snakemake's own check, run after this one, fills the defaults)."""
    import jsonschema
    import yaml

    schema = yaml.safe_load(Path(schema_path).read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    out = []
    for err in sorted(validator.iter_errors(config), key=lambda e: list(map(str, e.absolute_path))):
        key = ".".join(str(p) for p in err.absolute_path) or "(gốc)"
        kind, arg = err.validator, err.validator_value
        if kind == "additionalProperties":
            allowed = sorted((err.schema.get("properties") or {}).keys())
            extra = sorted(set(err.instance) - set(allowed))
            text = f"khóa {', '.join(map(repr, extra))} không có (có: {', '.join(allowed)})"
        elif kind == "required":
            missing = [k for k in arg if k not in err.instance]
            hints = [MISSING_HINTS[(*map(str, err.absolute_path), k)] for k in missing]
            text = f"thiếu khóa {', '.join(map(repr, missing))}"
            text += "".join(f" ({h})" for h in hints if h)
        elif kind == "type":
            names = {"string": "chuỗi", "integer": "số nguyên", "number": "số", "boolean": "true/false",
                     "array": "danh sách", "object": "bảng khóa", "null": "null"}  # fmt: skip
            wanted = " hoặc ".join(names.get(t, t) for t in ([arg] if isinstance(arg, str) else arg))
            text = f"phải là {wanted}, nhận {err.instance!r}"
        elif kind == "enum":
            text = f"phải là một trong {', '.join(map(repr, arg))}, nhận {err.instance!r}"
        elif kind in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"):
            sign = {"minimum": "≥", "exclusiveMinimum": ">", "maximum": "≤", "exclusiveMaximum": "<"}[kind]
            text = f"phải {sign} {arg}, nhận {err.instance!r}"
        elif kind in ("minItems", "maxItems"):
            text = f"danh sách phải có {'ít nhất' if kind == 'minItems' else 'nhiều nhất'} {arg} phần tử"
        elif kind == "pattern":
            text = f"«{err.instance}» không đúng dạng {arg}"
        else:
            text = f"giá trị {err.instance!r} không hợp lệ ({kind})"
        out.append(f"config {key}: {text}")
    return out
