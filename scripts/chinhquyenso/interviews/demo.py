"""The demo's 30 illustrative transcripts, built from hand-written sentence banks.

    python -m chinhquyenso.interviews.demo [resources/phong_van]

Reads ``ngan_hang_cau_minh_hoa.yaml`` (questions and answer sentences by theme), the register
(``danh_sach_phong_van.csv``: role, administrative level, years of service of each interviewee)
and ``ten_bao_ve.yaml`` (invented names the sentences mention, so that protection has something
to protect), and writes ``ban_ghi/<pseudonym>.txt`` and the coding of every themed answer
(``ma_hoa_minh_hoa.yaml``). Choices are index arithmetic, not random:
the same files every time. Each interview takes three of the themes, two or three sentences each.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import yaml

from ..atomic import write_text
from .excerpts import Excerpt, write_excerpts

THEMES_PER_INTERVIEW = 3
CODING = "ma_hoa_minh_hoa.yaml"
CODING_HEAD = (
    "# Mã hóa MINH HỌA của mọi câu trả lời theo chủ đề (chinhquyenso.interviews.demo viết ra,\n"
    "# đừng sửa tay): câu đầu của mỗi câu trả lời, tên cần bảo vệ thay bằng vai trò. supports để\n"
    "# trống: được đếm trong bảng chủ đề, không trích trong báo cáo (câu trích: trich_doan.yaml).\n"
)
HEADER = "Bản ghi phỏng vấn sâu {id} (MINH HỌA: viết cho bộ dữ liệu mẫu, không phải bản ghi thật)"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _names(protected: list[dict]) -> dict[str, list[dict]]:
    """Invented names (with their bracketed role) by placeholder: {nguoi} people, {don_vi}
    units, {noi} places."""
    kinds = {"nguoi": "người", "don_vi": "đơn vị", "noi": "địa danh"}
    return {key: [n for n in protected if n.get("kind") == kind] for key, kind in kinds.items()}


def _fill(sentence: str, names: dict[str, list[dict]], n: int, field: str = "name") -> str:
    """The sentence with the ``n``-th name of each kind, or its role (``field="replace"``)."""
    return _cap(sentence.format(**{k: v[n % len(v)][field] for k, v in names.items()}))


def transcript(n: int, row: dict, banks: dict, names: dict[str, list[dict]]) -> tuple[str, list[dict]]:
    """The ``n``-th interview (0-based) as text (a header, then questions and answers) and its
    coding: each themed answer's first sentence, a name in it given as its bracketed role."""
    intro, codes = banks["intro"], list(banks["themes"])
    themes, coding = list(banks["themes"].values()), []
    opening = intro["opening"].format(
        role=row["role"], level=row["admin_level"].lower(), tenure=row["tenure"]
    )
    lines = [
        HEADER.format(id=row["id"]),
        f"Hỏi: {intro['question']}",
        f"Đáp: {opening} {intro['endings'][n % len(intro['endings'])]}",
    ]
    for k in range(THEMES_PER_INTERVIEW):
        t = (n + k * (1 + n % 2)) % len(themes)  # odd interviews skip a theme: other pairs
        bank = themes[t]
        sentences = bank["sentences"]
        first, count = (n * 5 + t * 3 + k) % len(sentences), 2 + (n + k) % 2
        answer = [_fill(sentences[(first + j) % len(sentences)], names, n + k) for j in range(count)]
        quote = _fill(sentences[first], names, n + k, "replace")
        coding.append({"id": f"MH-{row['id']}-{k + 1}", "transcript": row["id"], "quote": quote,
                       "themes": [codes[t]], "supports": ""})  # fmt: skip
        lines += [f"Hỏi: {bank['questions'][(n + k) % 2]}", "Đáp: " + " ".join(answer)]
    closing = banks["closing"]
    lines += [f"Hỏi: {closing['question']}", f"Đáp: {closing['answers'][n % len(closing['answers'])]}"]
    return "\n\n".join(lines) + "\n", coding


def main(argv: list[str] | None = None) -> int:
    folder = Path(
        (argv if argv is not None else sys.argv[1:])[0] if (argv or sys.argv[1:]) else "resources/phong_van"
    )
    banks = yaml.safe_load((folder / "ngan_hang_cau_minh_hoa.yaml").read_text(encoding="utf-8"))
    names = _names(yaml.safe_load((folder / "ten_bao_ve.yaml").read_text(encoding="utf-8"))["names"])
    with (folder / "danh_sach_phong_van.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    coding = []
    (folder / "ban_ghi").mkdir(exist_ok=True)
    for n, row in enumerate(rows):
        text, coded = transcript(n, row, banks, names)
        write_text(folder / "ban_ghi" / f"{row['id']}.txt", text)
        coding += coded
    write_excerpts(
        folder / CODING, [Excerpt(**{**c, "themes": tuple(c["themes"])}) for c in coding], CODING_HEAD
    )
    print(
        f"đã viết {len(rows)} bản ghi minh họa vào {folder / 'ban_ghi'}, "
        f"{len(coding)} đoạn mã hóa vào {CODING}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
