"""The Vietnamese report: tables and figures -> context -> jinja2 HTML -> WeasyPrint PDF.

- ``sections``: the ordered list of sections (``<template_dir>/sections.yaml``) and numbering;
- ``survey_context``, ``documents_context``, ``models_context``, ``waves_context``, ``appendix``:
  each part of the context, every number formatted by ``vn_format``; the sentences about the
  models in ``models_text``, ``models_effects``, ``models_checks``; ``vn_text``: counts, ranges,
  lists and numbers quoted from a table;
- ``context``: the whole context and the flags the sections need; ``inputs``: the rule's edge;
- ``render``: HTML and PDF.
"""

import importlib

# Names of the package, from the module that defines each. Loaded on first use (PEP 562): a job
# that needs only ``sections`` does not import pandas, jinja2, WeasyPrint and the models. The
# functions named as their module (``models_context``…) are reached through it.
_FROM = {
    "codebook_rows": "appendix",
    "reproducibility": "appendix",
    "_cleaning_log": "context",
    "block_changes": "context",
    "build_context": "context",
    "_fetcher": "render",
    "image_src": "render",
    "render_html": "render",
    "write_pdf": "render",
    "Numbering": "sections",
    "arrange": "sections",
    "load_sections": "sections",
    "level_rows": "survey_rows",
    "change_phrase": "waves_context",
}


def __getattr__(name: str):
    if name not in _FROM:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_FROM[name]}", __name__), name)
    globals()[name] = value
    return value


__all__ = [
    "Numbering",
    "_cleaning_log",
    "_fetcher",
    "arrange",
    "block_changes",
    "build_context",
    "change_phrase",
    "codebook_rows",
    "image_src",
    "level_rows",
    "load_sections",
    "render_html",
    "reproducibility",
    "write_pdf",
]
