"""The codebook's YAML read with what plain ``yaml.safe_load`` loses: the line of every key and
list item (messages name the line), and every key written twice in one mapping, at any depth
(YAML keeps the second without a word). Used by ``codebook_check``."""

from __future__ import annotations

import yaml

MERGE_TAG = "tag:yaml.org,2002:merge"


def dotted(path: tuple) -> str:
    """('variables', 11, 'range') -> 'variables[12].range' (list positions counted from 1)."""
    out = ""
    for part in path:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _walk(root) -> tuple[dict, dict]:
    """For the YAML node tree: the path of every node, and the line (1-based) of every mapping
    key and list item by path (the parsed document has no line numbers)."""
    paths: dict = {}
    lines: dict = {}
    stack = [(root, ())]
    while stack:
        node, path = stack.pop()
        if node in paths:  # an alias: the first place it appears
            continue
        paths[node] = path
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.tag != MERGE_TAG:
                    sub = (*path, key.value)
                    lines.setdefault(sub, key.start_mark.line + 1)
                    stack.append((value, sub))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                lines.setdefault((*path, i), item.start_mark.line + 1)
                stack.append((item, (*path, i)))
    return paths, lines


class UniqueKeyLoader(yaml.SafeLoader):
    """A SafeLoader that notes every key repeated in one mapping, at any depth, with its line
    and the line of its first occurrence (``repeated``), instead of silently keeping the last.

    Keys are compared as loaded, so ``true`` and ``yes`` (both true in YAML 1.1) or ``1`` and
    ``true`` are one key, as in the dictionary the codebook becomes. A key given by a merge
    (``<<: *anchor``) and written again is an override, not a repeat."""

    def __init__(self, stream):
        super().__init__(stream)
        self.repeated: list[str] = []
        self.paths: dict = {}
        self.lines: dict = {}

    def construct_document(self, node):
        self.paths, self.lines = _walk(node)
        return super().construct_document(node)

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            first: dict = {}
            for key_node, _ in node.value:
                if key_node.tag == MERGE_TAG:
                    continue
                key = self.construct_object(key_node, deep=True)
                try:
                    seen = first.get(key)
                except TypeError:  # unhashable: the base class says so
                    continue
                line = key_node.start_mark.line + 1
                if seen is None:
                    first[key] = line
                    continue
                where = dotted((*self.paths.get(node, ()), str(key_node.value)))
                self.repeated.append(
                    f"dòng {line}, khóa «{where}»: khóa trùng với dòng {seen} "
                    "(YAML lặng lẽ chỉ giữ giá trị sau); xóa hoặc gộp một trong hai"
                )
        return super().construct_mapping(node, deep=deep)


def parse(text: str) -> tuple[object, dict, list[str]]:
    """The YAML document, the line of every key and list item by path, and the repeated keys.
    Raises yaml.YAMLError for text that is not YAML."""
    loader = UniqueKeyLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}, []
        doc = loader.construct_document(node)
        return doc, loader.lines, loader.repeated
    finally:
        loader.dispose()
