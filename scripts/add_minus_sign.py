"""Give the vendored Noto fonts a true minus sign (U+2212), which their version 2.004 lacks.

    python scripts/add_minus_sign.py resources/fonts/*.ttf

The Vietnamese convention prints negative numbers with a minus sign, not a hyphen; without the
glyph the PDF shows a missing-glyph box. The minus is drawn the way type designers draw it: the
horizontal bar of the font's own plus sign, on the plus sign's advance width (so it lines up
with the tabular figures). Idempotent; the OFL lets us modify the fonts (resources/fonts/OFL.txt).
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont

MINUS = 0x2212


def add_minus(path: Path) -> bool:
    """Add U+2212 to the font at ``path`` (in place). False if it already has one."""
    font = TTFont(path)
    cmap = font.getBestCmap()
    if MINUS in cmap:
        return False
    glyf, hmtx = font["glyf"], font["hmtx"]
    plus = glyf[cmap[ord("+")]]
    coords = plus.getCoordinates(glyf)[0]
    left = min(x for x, _ in coords)
    right = max(x for x, _ in coords)
    bar = sorted({y for x, y in coords if x == left})  # the bar's bottom and top at its left end
    bottom, top = bar[0], bar[-1]
    pen = TTGlyphPen(None)
    for point in ((left, bottom), (left, top), (right, top), (right, bottom)):
        (pen.moveTo if point == (left, bottom) else pen.lineTo)(point)
    pen.closePath()
    name = "uni2212"
    font.setGlyphOrder([*font.getGlyphOrder(), name])
    glyf.glyphs[name] = pen.glyph()
    glyf[name].recalcBounds(glyf)
    hmtx[name] = (hmtx[cmap[ord("+")]][0], left)
    for table in font["cmap"].tables:
        if table.isUnicode():
            table.cmap[MINUS] = name
    font.save(path)
    return True


def main(paths: list[str]) -> int:
    for p in paths:
        print(f"{p}: {'đã thêm dấu trừ U+2212' if add_minus(Path(p)) else 'đã có U+2212'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
