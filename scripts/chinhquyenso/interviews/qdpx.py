"""Coded segments from a REFI-QDA project (.qdpx: NVivo, ATLAS.ti, MAXQDA, QualCoder, Taguette).

A .qdpx is a zip holding ``project.qde`` (XML, namespace urn:QDA-XML:project:1.0) and the
sources under ``sources/``. Codes (``CodeBook/Codes/Code``: guid, name) become themes; each
``TextSource`` (its text in ``PlainTextContent`` or the file ``plainTextPath`` names inside the
zip) becomes a transcript named after the source; each ``PlainTextSelection`` coded with at least
one code (``Coding/CodeRef``) becomes an excerpt whose quote is the selected text
(``startPosition``..``endPosition``, characters); its ``supports`` is the author's (kept from a
former import of the same quote), never a QDA memo. The output is the excerpts and themes files the
project reads by hand, so an author who coded in a QDA program retypes nothing.

    python -m chinhquyenso.interviews.qdpx du_an.qdpx --excerpts resources/phong_van/trich_doan.yaml \
        --themes resources/phong_van/chu_de.yaml --transcripts resources/phong_van/ban_ghi

The XML is untrusted: parsed with defusedxml (no entities, no external references).
"""

from __future__ import annotations

import argparse
import sys
import zipfile
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

import yaml
from defusedxml import ElementTree

from ..atomic import write_text
from ..config_check import path_refusal
from ..document_text import normalise_lines
from ..safe_text import shown
from ..vn_format import slug
from .excerpts import Excerpt, write_excerpts, write_themes
from .register import COPY_TO, InterviewError, nfc

NS = "{urn:QDA-XML:project:1.0}"
DOCUMENT_SUFFIXES = {".txt", ".md", ".docx", ".doc", ".rtf", ".pdf", ".odt"}
MAX_BYTES = 200 * 1024 * 1024  # uncompressed: a larger archive is refused before it is read
HEAD = (
    "# Nhập từ dự án REFI-QDA «{name}» (chinhquyenso.interviews.qdpx); sửa trong phần mềm QDA rồi nhập lại.\n"
)


@dataclass
class QdaProject:
    themes: dict[str, str] = field(default_factory=dict)  # code -> title (codes used, in codebook order)
    excerpts: list[Excerpt] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)  # transcript id -> plain text
    skipped: list[str] = field(default_factory=list)  # selections with no code: said, not kept


def transcript_id(name: str) -> str:
    """A source's name as the transcript's pseudonym: "CV03.docx" -> "CV03" (other dots kept)."""
    name = nfc(name)
    suffix = PurePosixPath(name).suffix.lower()
    return name[: -len(suffix)] if suffix in DOCUMENT_SUFFIXES else name


def _codes(root) -> dict[str, tuple[str, str]]:
    """guid -> (theme code, title) for every code of the codebook, nested ones included."""
    out, used = {}, set()
    for code in root.iter(f"{NS}Code"):
        title = nfc(code.get("name") or "")
        base = slug(title) or "ma"
        key, n = base, 2
        while key in used:
            key, n = f"{base}_{n}", n + 1
        used.add(key)
        out[code.get("guid")] = (key, title)
    return out


def _source_text(zf: zipfile.ZipFile, source, where: str) -> str:
    content = source.find(f"{NS}PlainTextContent")
    if content is not None:
        return content.text or ""
    ref = source.get("plainTextPath") or ""
    if not ref.startswith("internal://"):
        raise InterviewError(
            [
                f"{where}: plainTextPath «{shown(ref)}» không nằm trong tệp .qdpx; xuất lại dự án kèm nguồn (internal://)"
            ]
        )
    member = PurePosixPath("sources", ref.removeprefix("internal://"))
    if ".." in member.parts or str(member) not in zf.namelist():
        raise InterviewError([f"{where}: tệp .qdpx không có «{member}»"])
    return zf.read(str(member)).decode("utf-8-sig")


def _selections(source, tid: str, text: str, codes: dict, project: QdaProject) -> None:
    for n, sel in enumerate(source.iter(f"{NS}PlainTextSelection"), start=1):
        start, end = int(sel.get("startPosition")), int(sel.get("endPosition"))
        refs = [r.get("targetGUID") for r in sel.iter(f"{NS}CodeRef")]
        where = f"nguồn {tid}, đoạn chọn thứ {n} (ký tự {start}–{end})"
        if not refs:
            project.skipped.append(f"{where}: không gắn mã nào, không nhập")
            continue
        unknown = [r for r in refs if r not in codes]
        if unknown or not 0 <= start < end <= len(text):
            why = "mã không có trong CodeBook" if unknown else f"vị trí ngoài văn bản ({len(text)} ký tự)"
            raise InterviewError([f"{where}: {why}"])
        themes = tuple(dict.fromkeys(codes[r][0] for r in refs))
        for r in refs:
            project.themes.setdefault(*codes[r])
        quote = normalise_lines([text[start:end]]).text
        project.excerpts.append(Excerpt(f"{tid}-{len(project.excerpts) + 1:02d}", tid, quote, themes))


def read_qdpx(path: str | Path) -> QdaProject:
    """Themes, excerpts and transcript texts of a .qdpx file."""
    try:
        with zipfile.ZipFile(path) as zf:
            if sum(i.file_size for i in zf.infolist()) > MAX_BYTES:
                raise InterviewError([f"«{path}»: giải nén quá {MAX_BYTES // 2**20} MB, không đọc"])
            if "project.qde" not in zf.namelist():
                raise InterviewError([f"«{path}»: không có project.qde (không phải dự án REFI-QDA .qdpx)"])
            root = ElementTree.fromstring(zf.read("project.qde"))
            codes = _codes(root)
            ordered = {guid: codes[guid] for guid in codes}
            project = QdaProject()
            for source in root.iter(f"{NS}TextSource"):
                tid = transcript_id(source.get("name") or "")
                text = _source_text(zf, source, f"«{path}», nguồn «{shown(tid)}»")
                project.texts[tid] = text
                _selections(source, tid, text, ordered, project)
    except (zipfile.BadZipFile, OSError, ElementTree.ParseError, ValueError, TypeError) as err:
        if isinstance(err, InterviewError):
            raise
        raise InterviewError(
            [f"«{path}»: không đọc được dự án REFI-QDA ({type(err).__name__}: {err})"]
        ) from None
    order = [key for key, _ in codes.values()]
    project.themes = dict(sorted(project.themes.items(), key=lambda kv: order.index(kv[0])))
    return project


def _keep_supports(excerpts: list[Excerpt], previous: Path) -> list[Excerpt]:
    """The ``supports`` an author gave an excerpt in the file a former import wrote (same
    transcript, same quote): re-importing after more coding loses none of them. A QDA memo
    (``Description``) is never taken for it: memos are notes, they may name people."""
    if not previous.exists():
        return excerpts
    entries = (yaml.safe_load(previous.read_text(encoding="utf-8")) or {}).get("excerpts") or []
    given = {
        (nfc(e.get("transcript") or ""), nfc(e.get("quote") or "")): nfc(e.get("supports") or "")
        for e in entries
    }
    return [replace(e, supports=given.get((e.transcript, e.quote), "")) for e in excerpts]


def import_qdpx(
    path: str | Path,
    excerpts: str | Path,
    themes: str | Path,
    transcripts: str | Path,
    root: str | Path = ".",
) -> QdaProject:
    """Write the excerpts and themes files and each source's text as ``<transcript>.txt`` under
    ``transcripts``; every output inside the project, and a transcript already there with other
    text is not overwritten (the run stops naming it)."""
    root = Path(root)
    targets = {"--excerpts": excerpts, "--themes": themes, "--transcripts": transcripts}
    problems = [f"{key}: {r}" for key, value in targets.items() if (r := path_refusal(value, root, COPY_TO))]
    if problems:
        raise InterviewError(problems)
    project = read_qdpx(path)
    folder = root / transcripts
    for tid, text in project.texts.items():
        target = folder / f"{tid}.txt"
        if target.exists() and target.read_text(encoding="utf-8-sig") != text:
            problems.append(
                f"«{transcripts}/{tid}.txt» đã có với nội dung khác nguồn {tid} của dự án; không ghi đè"
            )
    if problems:
        raise InterviewError(problems)
    folder.mkdir(parents=True, exist_ok=True)
    for tid, text in project.texts.items():
        write_text(folder / f"{tid}.txt", text)
    head = HEAD.format(name=Path(path).name)
    project.excerpts = _keep_supports(project.excerpts, root / excerpts)
    write_excerpts(root / excerpts, project.excerpts, head)
    write_themes(root / themes, project.themes, head)
    return project


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Nhập các đoạn đã mã hóa từ dự án REFI-QDA (.qdpx)")
    parser.add_argument("qdpx")
    parser.add_argument("--excerpts", required=True, help="tệp YAML trích đoạn sẽ ghi")
    parser.add_argument("--themes", required=True, help="tệp YAML chủ đề sẽ ghi")
    parser.add_argument("--transcripts", required=True, help="thư mục bản ghi (mỗi nguồn một tệp .txt)")
    args = parser.parse_args(argv)
    try:
        project = import_qdpx(args.qdpx, args.excerpts, args.themes, args.transcripts)
    except InterviewError as err:
        print(err, file=sys.stderr)
        return 1
    for line in project.skipped:
        print(f"Bỏ qua: {line}")
    print(
        f"Đã nhập {len(project.excerpts)} trích đoạn, {len(project.themes)} chủ đề, "
        f"{len(project.texts)} bản ghi từ «{args.qdpx}»"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
