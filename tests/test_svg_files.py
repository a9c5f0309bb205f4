"""The chart SVGs: matplotlib's empty groups unwrapped, nothing else changed."""

import xml.etree.ElementTree as ET

from chinhquyenso.svg_files import unwrap_groups

SVG = "http://www.w3.org/2000/svg"

SAMPLE = """<?xml version="1.0" encoding="utf-8" standalone="no"?>
<svg xmlns:xlink="http://www.w3.org/1999/xlink" xmlns="http://www.w3.org/2000/svg" width="10pt" height="10pt">
 <defs><path id="m1" d="M 0 0 L 0 3.5"/>
  <clipPath id="c1"><rect x="0" y="0" width="9" height="9"/></clipPath></defs>
 <g id="figure_1">
  <g id="patch_1"><path d="M 0 0 L 1 1" style="fill: #ffffff"/></g>
  <g id="axes_1" clip-path="url(#c1)"><g id="tick_1"><use xlink:href="#m1" x="1" y="2"/></g></g>
  <g id="legend_1"><g id="text_1"><text x="1" y="2" style="font-size: 9px">Đồng Nai −1,5</text></g></g>
  <g id="line2d_1"/>
  <g id="reused"><path d="M 2 2 L 3 3"/></g>
  <use xlink:href="#reused" x="4"/>
 </g>
</svg>
""".encode()


def _tags(root) -> list[str]:
    return [el.tag.split("}")[-1] + ":" + (el.get("id") or "") for el in root.iter()]


def test_groups_with_only_an_id_are_unwrapped_and_the_rest_kept():
    out = unwrap_groups(SAMPLE)
    root = ET.fromstring(out)
    ids = {el.get("id") for el in root.iter(f"{{{SVG}}}g")}
    # kept: a group with an attribute (its clip applies to its children), a referenced group
    assert ids == {"axes_1", "reused"}
    # every drawing element is still there, in the same order, with the same attributes
    drawn = [el for el in ET.fromstring(SAMPLE).iter() if not el.tag.endswith("}g")]
    after = [el for el in root.iter() if not el.tag.endswith("}g")]
    assert [(el.tag, el.attrib, el.text) for el in drawn] == [(el.tag, el.attrib, el.text) for el in after]
    assert "Đồng Nai −1,5" in out.decode("utf-8")
    # edited as text: everything but the unwrapped tags is byte for byte matplotlib's
    assert out.startswith(SAMPLE[: SAMPLE.index(b"\n <g")])
    assert out.endswith(b"</svg>\n") and b'xlink:href="#m1"' in out


def test_the_same_input_gives_the_same_bytes():
    assert unwrap_groups(SAMPLE) == unwrap_groups(SAMPLE)
    assert unwrap_groups(unwrap_groups(SAMPLE)) == unwrap_groups(SAMPLE)
