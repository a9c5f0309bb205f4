"""The Vietnamese report: tables and figures -> context -> jinja2 HTML -> WeasyPrint PDF.

- ``sections``: the ordered list of sections (``<template_dir>/sections.yaml``) and numbering;
- ``survey_context``, ``documents_context``, ``models_context``, ``waves_context``, ``appendix``:
  each part of the context, every number formatted by ``vn_format``; the sentences about the
  models in ``models_text``, ``models_effects``, ``models_checks``; ``vn_text``: counts, ranges,
  lists and numbers quoted from a table;
- ``context``: the whole context and the flags the sections need; ``inputs``: the rule's edge;
- ``render``: HTML and PDF.
"""

from .appendix import codebook_rows, reproducibility
from .context import _cleaning_log, block_changes, build_context
from .documents_context import documents_context
from .models_context import models_context
from .render import _fetcher, image_src, render_html, write_pdf
from .sections import Numbering, arrange, load_sections
from .survey_rows import level_rows
from .waves_context import change_phrase, waves_context

__all__ = [
    "Numbering",
    "_cleaning_log",
    "_fetcher",
    "arrange",
    "block_changes",
    "build_context",
    "change_phrase",
    "codebook_rows",
    "documents_context",
    "image_src",
    "level_rows",
    "load_sections",
    "models_context",
    "render_html",
    "reproducibility",
    "waves_context",
    "write_pdf",
]
