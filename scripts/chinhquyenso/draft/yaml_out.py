"""The draft as YAML text, with comments: a header saying what the file is, and a
``# XÁC NHẬN: …`` line above every entry the analyst must confirm (ruamel.yaml round-trip)."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

if TYPE_CHECKING:
    from .build import Draft

CONFIRM = "XÁC NHẬN: "


def _scalar(value):
    """Strings a YAML 1.1 reader would not read back as the same string are quoted."""
    if isinstance(value, str):
        try:
            same = yaml.safe_load(value) == value
        except yaml.YAMLError:
            same = False
        return value if same and value.strip() == value and value else DoubleQuotedScalarString(value)
    return value


def _node(value, key: str = ""):
    if isinstance(value, dict):
        out = CommentedMap()
        for k, v in value.items():
            out[_scalar(k) if isinstance(k, str) else k] = _node(v, str(k))
        return out
    if isinstance(value, list):
        flat = all(not isinstance(v, (dict, list)) for v in value)
        # in a flow list, "," "?" ":" would end or split a plain string: quote every string
        out = CommentedSeq(
            DoubleQuotedScalarString(v) if flat and isinstance(v, str) else _node(v) for v in value
        )
        if flat:
            out.fa.set_flow_style()
        return out
    return _scalar(value)


def _header(draft: Draft) -> str:
    return (
        f"BẢN NHÁP sổ mã (codebook) cho tệp «{draft.source_name}», lập tự động từ sổ mã năm trước\n"
        f"«{draft.reference_path.name}» (scripts/draft_codebook.py). Đọc báo cáo thay đổi đi kèm\n"
        "(.thay_doi.md) trước: nó liệt kê mọi quyết định. Mỗi dòng «# XÁC NHẬN: …» là một chỗ\n"
        "đã điền phương án khả dĩ nhất nhưng cần người phân tích xác nhận, sửa rồi xóa dòng đó.\n"
        f"Định dạng các khóa: xem chú thích đầu tệp {draft.reference_path.name}."
    )


def _comment(parent, key, lines: list[str], indent: int) -> None:
    text = "\n".join(CONFIRM + line for line in dict.fromkeys(lines))
    parent.yaml_set_comment_before_after_key(key, before=text, indent=indent)


def dump(draft: Draft) -> str:
    root = _node(draft.doc)
    root.yaml_set_start_comment(_header(draft))
    positions = {v["name"]: i for i, v in enumerate(draft.doc["variables"])}
    block_pos = {b["id"]: i for i, b in enumerate(draft.doc["blocks"])}
    for (section, key), lines in draft.comments.items():
        if not lines:
            continue
        if section == "variables" and key in positions:
            _comment(root["variables"], positions[key], lines, 2)
        elif section == "blocks" and key in block_pos:
            _comment(root["blocks"], block_pos[key], lines, 2)
        elif section == "scales" and key in root.get("scales", {}):
            _comment(root["scales"], key, lines, 2)
    out = io.StringIO()
    writer = YAML()
    writer.width = 110
    writer.indent(mapping=2, sequence=4, offset=2)
    writer.dump(root, out)
    return out.getvalue()
