"""Transcripts: UTF-8 text (.txt, .md) or Word (.docx, read as text, one paragraph a line).

Each is normalised like a document's text (``document_text.normalise_lines``: NFC, whitespace
folded, one non-empty line = one paragraph), so quotes are found the same way in both.
"""

from __future__ import annotations

from pathlib import Path

from ..config_check import path_refusal
from ..document_text import SourceText, normalise_lines
from .register import COPY_TO, Interview, InterviewError

SUFFIXES = (".txt", ".md", ".docx")


def read_transcript(path: Path) -> SourceText:
    """The transcript's normalised text; a .docx is read paragraph by paragraph."""
    if path.suffix.lower() == ".docx":
        import docx

        paragraphs = [p.text for p in docx.Document(str(path)).paragraphs]
        return normalise_lines(["\n".join(paragraphs)])
    return normalise_lines([path.read_text(encoding="utf-8-sig")])


def _file_of(interview: Interview, folder: Path) -> Path | None:
    """The register's ``file``, else the one file named after the interview's pseudonym."""
    if interview.file:
        return folder / interview.file
    present = [folder / f"{interview.id}{s}" for s in SUFFIXES if (folder / f"{interview.id}{s}").exists()]
    return present[0] if len(present) == 1 else None


def load_transcripts(interviews: list[Interview], folder_value: str, root: Path) -> dict[str, SourceText]:
    """Pseudonym -> normalised transcript, for every interview of the register. Every transcript
    must be there, inside the project (``folder_value``: the config's folder), readable, and
    every file of the folder registered."""
    root = Path(root).resolve()
    folder = root / folder_value
    shown_as = f"thư mục bản ghi «{folder_value}»"
    problems, texts, used = [], {}, set()
    for iv in interviews:
        path = _file_of(iv, folder)
        if path is None:
            names = ", ".join(f"{iv.id}{s}" for s in SUFFIXES)
            problems.append(
                f"{shown_as}: không có bản ghi của cuộc phỏng vấn {iv.id} (cần đúng một tệp: {names})"
            )
            continue
        rel = str(Path(folder_value) / (iv.file or path.name))  # as the config and register say
        used.add(path.resolve())  # accounted for, even when refused below
        refusal = path_refusal(rel, root, COPY_TO)
        if refusal:
            problems.append(f"bản ghi phỏng vấn {iv.id}: {refusal}")
            continue
        if path.suffix.lower() not in SUFFIXES or not path.is_file():
            problems.append(f"bản ghi phỏng vấn {iv.id}: «{rel}» không có hoặc không phải .txt, .md, .docx")
            continue
        try:
            texts[iv.id] = read_transcript(path)
        except (OSError, UnicodeDecodeError, ValueError, KeyError) as err:
            problems.append(f"bản ghi phỏng vấn {iv.id}: không đọc được «{rel}» ({type(err).__name__})")
            continue
        if not texts[iv.id].text:
            problems.append(f"bản ghi phỏng vấn {iv.id}: tệp «{rel}» trống")
    strays = (
        sorted(p.name for p in folder.iterdir() if p.suffix.lower() in SUFFIXES and p.resolve() not in used)
        if folder.is_dir()
        else []
    )
    if strays:
        problems.append(
            f"{shown_as}: tệp {', '.join(strays)} không thuộc cuộc phỏng vấn nào trong danh sách "
            "(thêm vào danh sách hoặc chuyển ra khỏi thư mục)"
        )
    if problems:
        raise InterviewError(problems)
    return texts
