"""Charts as SVG files that WeasyPrint draws quickly.

matplotlib wraps every artist in its own ``<g id="...">`` (a figure, each axis, tick, bar,
label), so a chart of a few dozen bars has hundreds of empty groups. WeasyPrint's SVG renderer
cascades styles and transforms through each one: with the groups that carry nothing but an id
unwrapped, drawing the demo report's seven charts took about a quarter less time (0,49 s → 0,36 s
of CPU, measured with benchmarks/bench_render.py). The picture is unchanged: only groups with no
attribute but an id that nothing references are unwrapped, and every other byte of the file is
left as matplotlib wrote it (the file is edited as text, not re-serialised).
"""

from __future__ import annotations

import re

# a group's start tag (with the line break and indentation before it) or end tag
GROUP_TAG = re.compile(r"(?:\n[ \t]*)?(<g\b[^>]*?(/?)>|</g>)")
BARE_GROUP = re.compile(r'<g(?:\s+id="([^"]*)")?\s*/?>')  # no attribute but an id
REFERENCE = re.compile(r"""(?:href=["']#|url\(#)([^"')]+)""")


def unwrap_groups(svg: bytes) -> bytes:
    """The SVG with every group that has only an id (and is not referenced) replaced by its
    children, or removed when it has none. Deterministic: the same input gives the same bytes."""
    text = svg.decode("utf-8")
    referenced = set(REFERENCE.findall(text))
    pieces, position, unwrapped = [], 0, []  # unwrapped: one flag per open group
    for match in GROUP_TAG.finditer(text):
        tag, self_closing = match.group(1), match.group(2)
        if tag == "</g>":
            drop = unwrapped.pop()
        else:
            bare = BARE_GROUP.fullmatch(tag)
            drop = bare is not None and bare.group(1) not in referenced
            if not self_closing:  # an empty bare group (<g id="x"/>) draws nothing: it goes
                unwrapped.append(drop)
        if drop:
            pieces.append(text[position : match.start()])
            position = match.end()
    pieces.append(text[position:])
    return "".join(pieces).encode("utf-8")
