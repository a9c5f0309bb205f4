"""Figures taken from documents, each traceable to the phrase in its source that carries it.

Inputs (see resources/documents/):
- sources: one record per document (title, author or agency, year, type, URL, citation, and
  optionally ``file``: the document as text/Markdown/PDF inside the project);
- extracts: id, province, period, indicator (from ``document_indicators`` in resources/documents/chi_so.yaml),
  value (+ ``of`` for ratios and ranks, ``qualifier`` for "hơn", "gần"...), source, locator and
  ``quote``: the exact phrase in the source that carries the number.

The provenance check finds each quote in its source's normalised text and reads the number back
from the quote; a missing quote or a different number stops the run. Extracts whose source text
is not in the project are marked "chưa kiểm chứng", never trusted silently. A ``file`` outside the
project (an absolute path, ``../``, a symlink leading out) is refused where it would be read
(``source_path``, the project's one path policy), besides at start-up (config_check).
"""

from __future__ import annotations

import logging
import sys
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pandas as pd
import yaml

from .config_check import SOURCE_TEXTS, path_refusal, project_file
from .document_text import SPACE, SourceText, read_source_text
from .safe_text import write_csv
from .vn_numbers import ParsedNumber, find_numbers

log = logging.getLogger(__name__)

VERIFIED = "đã kiểm chứng"
UNVERIFIED = "chưa kiểm chứng"


@dataclass(frozen=True)
class Indicator:
    id: str
    label: str
    unit: str
    kind: str  # rank | count | percent | ratio
    keywords: tuple[str, ...] = ()
    group: str = ""


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    author: str
    year: int
    type: str
    citation: str
    url: str = ""
    file: str = ""
    origin: str = ""  # the sources YAML that declares it, for messages


@dataclass(frozen=True)
class Extract:
    id: str
    province: str
    period: str
    indicator: str
    value: Decimal
    source: str
    locator: str
    quote: str
    of: Decimal | None = None
    qualifier: str | None = None
    position: int = 1
    note: str = ""


class ProvenanceError(ValueError):
    """Quotes not found or numbers that differ: every failure at once."""

    def __init__(self, failures: list[str]):
        self.failures = failures
        super().__init__(
            f"{len(failures)} trích xuất không khớp nguồn, dừng xử lý:\n"
            + "\n".join(f"  - {f}" for f in failures)
        )


def _dec(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def load_indicators(path: str | Path) -> dict[str, Indicator]:
    """The indicators extracts may carry (resources/documents/chi_so.yaml)."""
    doc = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    return {
        key: Indicator(
            key, v["label"], v["unit"], v["kind"], tuple(v.get("keywords", ())), v.get("group", "")
        )
        for key, v in doc.get("document_indicators", {}).items()
    }


def load_sources(path: str | Path) -> dict[str, Source]:
    doc = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    return {
        s["id"]: Source(
            s["id"],
            s["title"],
            s["author"],
            int(s["year"]),
            s["type"],
            s["citation"],
            s.get("url", ""),
            s.get("file", ""),
            str(path),
        )
        for s in doc["sources"]
    }


def source_path(src: Source, root: Path) -> Path | None:
    """The file holding the source's text, or None when it names none; ``OutsideProjectError``
    (a ValueError) when the path policy refuses it: outside the project, by ``/…``, ``../`` or
    a symlink, whatever the start-up check let through."""
    if not src.file:
        return None
    where = f"{src.origin or 'danh mục nguồn'}, nguồn «{src.id}», file"
    return project_file(src.file, root, where, SOURCE_TEXTS)


def load_extracts(
    path: str | Path, sources: dict[str, Source], indicators: dict[str, Indicator]
) -> list[Extract]:
    """Read the curated extracts and check their references; all problems reported together."""
    doc = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    extracts, problems, seen = [], [], set()
    for i, e in enumerate(doc["extracts"], start=1):
        where = f"{Path(path).name}, trích xuất {i} ({e.get('id', '?')})"
        missing = [
            k
            for k in ("id", "province", "period", "indicator", "value", "source", "locator", "quote")
            if k not in e
        ]
        if missing:
            problems.append(f"{where}: thiếu trường {', '.join(missing)}")
            continue
        if e["id"] in seen:
            problems.append(f"{where}: mã trích xuất trùng")
        seen.add(e["id"])
        if e["source"] not in sources:
            problems.append(f"{where}: nguồn «{e['source']}» không có trong danh mục nguồn")
        if e["indicator"] not in indicators:
            problems.append(
                f"{where}: chỉ số «{e['indicator']}» không có trong danh mục chỉ số (documents.indicators)"
            )
        extracts.append(
            Extract(
                id=e["id"],
                province=e["province"],
                period=str(e["period"]),
                indicator=e["indicator"],
                value=_dec(e["value"]),
                source=e["source"],
                locator=str(e["locator"]),
                quote=unicodedata.normalize("NFC", e["quote"]),
                of=_dec(e.get("of")),
                qualifier=e.get("qualifier"),
                position=int(e.get("position", 1)),
                note=e.get("note", ""),
            )
        )
    if problems:
        raise ValueError("Danh mục trích xuất không hợp lệ:\n" + "\n".join(f"  - {p}" for p in problems))
    return extracts


# --- provenance -----------------------------------------------------------------------------


def numbers_in(quote: str) -> list[ParsedNumber]:
    """The numbers of a quote in order, a list ("02 - 22 - 43") counting as its members."""
    out = []
    for p in find_numbers(quote):
        if p.kind == "list":
            out += [ParsedNumber("count", v, text=str(v), start=p.start) for v in p.values]
        else:
            out.append(p)
    return out


def fmt_decimal(value: Decimal | None) -> str:
    return "" if value is None else format(value.normalize(), "f")


def check_extract(extract: Extract, text: SourceText | None, doc_name: str) -> dict:
    """Provenance of one extract: where its quote stands and whether its number reads back."""
    row = {
        "trang_thai": UNVERIFIED,
        "tai_lieu": doc_name,
        "trang": None,
        "dong": None,
        "gia_tri_doc_lai": "",
        "loi": "",
    }
    if text is None:
        return row
    quote = SPACE.sub(" ", extract.quote).strip()
    at = text.text.find(quote)
    if at < 0:
        row["loi"] = f"trích xuất {extract.id}: không tìm thấy câu trích «{quote}» trong {doc_name}"
        return row
    row["trang"], row["dong"] = text.locate(at)
    numbers = numbers_in(quote)
    if len(numbers) < extract.position:
        row["loi"] = (
            f"{doc_name}, dòng {row['dong']}, trích xuất {extract.id}: "
            f"câu trích «{quote}» không có số thứ {extract.position}"
        )
        return row
    found = numbers[extract.position - 1]
    row["gia_tri_doc_lai"] = fmt_decimal(found.value) + (
        f"/{fmt_decimal(found.of)}" if found.of is not None else ""
    )
    differences = []
    if found.value != extract.value:
        differences.append(
            f"giá trị ghi {fmt_decimal(extract.value)}, câu trích cho {fmt_decimal(found.value)}"
        )
    if extract.of is not None and found.of != extract.of:
        differences.append(f"mẫu số ghi {fmt_decimal(extract.of)}, câu trích cho {fmt_decimal(found.of)}")
    if extract.qualifier and found.qualifier != extract.qualifier:
        differences.append(f"từ định lượng ghi «{extract.qualifier}», câu trích có «{found.qualifier or ''}»")
    if differences:
        page = f"trang {row['trang']}, " if row["trang"] else ""
        row["loi"] = f"{doc_name}, {page}dòng {row['dong']}, trích xuất {extract.id}: " + "; ".join(
            differences
        )
        return row
    row["trang_thai"] = VERIFIED
    return row


def misnamed_texts(sources: dict[str, Source], root: Path) -> list[str]:
    """Source texts declared but absent while an undeclared file sits in the same folder: most
    likely saved under another name, which would leave its extracts unverified without a word."""
    declared = {(root / s.file).resolve() for s in sources.values() if s.file}
    out = []
    for src in sources.values():
        if not src.file or path_refusal(src.file, root) or (root / src.file).exists():
            continue  # a file outside the project is refused by check_provenance, not hinted at
        folder = (root / src.file).parent
        strays = (
            sorted(
                p.name
                for p in folder.glob("*")
                if p.is_file() and p.resolve() not in declared and p.suffix in (".txt", ".md", ".pdf")
            )
            if folder.is_dir()
            else []
        )
        if strays:
            out.append(
                f"nguồn {src.id}: khai báo tệp «{src.file}» nhưng không có tệp này; trong "
                f"{folder.relative_to(root)} có {', '.join(f'«{n}»' for n in strays)} chưa nguồn nào "
                "khai báo (đặt đúng tên trong nguon.yaml?)"
            )
    return out


def check_provenance(extracts: list[Extract], sources: dict[str, Source], root: Path) -> pd.DataFrame:
    """Every extract with its status; ProvenanceError if any quote fails against its text."""
    texts: dict[str, SourceText | None] = {}
    for sid, src in sources.items():
        path = source_path(src, root)
        texts[sid] = read_source_text(path) if path is not None and path.exists() else None
    rows, failures = [], []
    for e in extracts:
        src = sources[e.source]
        result = check_extract(e, texts[e.source], Path(src.file).name if src.file else src.id)
        if result["loi"]:
            failures.append(result["loi"])
        rows.append(
            {
                "ma": e.id,
                "tinh": e.province,
                "ky": e.period,
                "chi_so": e.indicator,
                "gia_tri": fmt_decimal(e.value),
                "mau_so": fmt_decimal(e.of),
                "dinh_luong": e.qualifier or "",
                "nguon": e.source,
                "vi_tri": e.locator,
                "trich_dan": e.quote,
                **result,
            }
        )
    if failures:
        raise ProvenanceError(failures)
    return pd.DataFrame(rows)


# --- conflicts and chosen values ------------------------------------------------------------


def resolve(checked: pd.DataFrame, prefer: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One value per (indicator, province, period), and the list of disagreements.

    Where sources disagree, the first source in ``prefer`` that has a value wins; if none is
    listed, the first extract in file order wins and the conflict says so.
    """
    rank = {s: i for i, s in enumerate(prefer)}
    chosen, conflicts = [], []
    for key, group in checked.groupby(["chi_so", "tinh", "ky"], sort=False):
        values = group.drop_duplicates(subset=["gia_tri", "mau_so"])
        order = sorted(range(len(group)), key=lambda i: (rank.get(group["nguon"].iloc[i], len(rank)), i))
        winner = group.iloc[order[0]]
        chosen.append(winner)
        if len(values) > 1:
            how = (
                "nguồn ưu tiên trong cấu hình"
                if winner["nguon"] in rank
                else "trích xuất đầu tiên (chưa cấu hình nguồn ưu tiên)"
            )
            for _, row in group.iterrows():
                conflicts.append(
                    {
                        "chi_so": key[0],
                        "tinh": key[1],
                        "ky": key[2],
                        "gia_tri": row["gia_tri"],
                        "mau_so": row["mau_so"],
                        "nguon": row["nguon"],
                        "vi_tri": row["vi_tri"],
                        "trang_thai": row["trang_thai"],
                        "duoc_chon": row["ma"] == winner["ma"],
                        "cach_chon": how,
                    }
                )
    columns = [
        "chi_so",
        "tinh",
        "ky",
        "gia_tri",
        "mau_so",
        "nguon",
        "vi_tri",
        "trang_thai",
        "duoc_chon",
        "cach_chon",
    ]
    return pd.DataFrame(chosen).reset_index(drop=True), pd.DataFrame(conflicts, columns=columns)


# --- tables for the report ------------------------------------------------------------------


def dti_table(
    chosen: pd.DataFrame, indicators: dict[str, Indicator], provinces: list[str], period: str
) -> pd.DataFrame:
    """DTI ranks, pillars (rows, codebook order) x provinces (columns), from the chosen values."""
    rows = []
    for ind in (i for i in indicators.values() if i.group == "dti"):
        row = {"chi_so": ind.id, "nhan": ind.label}
        for prov in provinces:
            hit = chosen[(chosen["chi_so"] == ind.id) & (chosen["tinh"] == prov) & (chosen["ky"] == period)]
            row[prov] = int(Decimal(hit["gia_tri"].iloc[0])) if len(hit) else None
            row[f"ma_{prov}"] = hit["ma"].iloc[0] if len(hit) else ""
        rows.append(row)
    return pd.DataFrame(rows)


def write_stage(
    *, sources_path, extracts_path, indicators_path, root, prefer, provinces, dti_period, out: dict
) -> None:
    """The documents rule: check provenance, resolve conflicts, write the tables.

    ``extracts_path`` may be one file or a list (the main file and each survey wave's own)."""
    indicators = load_indicators(indicators_path)
    sources = load_sources(sources_path)
    paths = [extracts_path] if isinstance(extracts_path, str | Path) else list(extracts_path)
    extracts = [e for path in paths for e in load_extracts(path, sources, indicators)]
    ids = [e.id for e in extracts]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise ValueError(
            f"mã trích xuất trùng giữa các tệp {', '.join(map(str, paths))}: {', '.join(repeated)}"
        )
    for hint in misnamed_texts(sources, Path(root)):
        log.warning(hint)
        print(f"CẢNH BÁO: {hint}", file=sys.__stderr__)  # on the console: the run still succeeds
    checked = check_provenance(extracts, sources, Path(root))
    chosen, conflicts = resolve(checked, prefer)
    dti = dti_table(chosen, indicators, provinces, dti_period)
    for key, frame in (("checked", checked), ("chosen", chosen), ("conflicts", conflicts), ("dti", dti)):
        write_csv(frame, out[key])
