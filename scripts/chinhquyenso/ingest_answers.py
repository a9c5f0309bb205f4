"""Decoding each kind of answer of a raw export (text cells) into its typed value, for
``ingest.clean_survey``: categories through the codebook's spellings, integers in their range,
timestamps (the codebook's format, ISO, or Excel serial day numbers), multi-select options.
Each distinct raw text is decoded once; every problem goes to the collector ``out`` and every
rewrite to its log (``out.change``)."""

from __future__ import annotations

import datetime as dt
import unicodedata

import numpy as np
import pandas as pd

from .codebook import Variable, fold
from .problems import WARNING
from .readers import EXCEL_1904

# A timestamp written as Excel's serial day number, as text: five digits (10000-99999, the years
# 1927-2173), with or without a fraction of a day ("45123.5" is 2023-07-16 12:00 in the 1900
# system). A workbook's number cells in a datetime column are read as serials whatever their size.
SERIAL = r"\d{5}(?:[.,]\d+)?"
EXCEL_LAST = 2958466  # the serial of 10000-01-01: Excel has no later date


def spelling_reason(raw: str, label: str) -> str:
    """Why a raw answer was rewritten to the form's label, in the log's words."""
    composed = unicodedata.normalize("NFC", raw)
    if composed == label:
        return "chuẩn hóa Unicode (NFC)"
    if " ".join(composed.split()) == label:
        return "bỏ khoảng trắng thừa"
    if fold(raw) == fold(label):
        return "chữ hoa/thường"
    return "cách viết khác có trong codebook"


def _lookup(var: Variable) -> dict[str, tuple[object, str]]:
    """folded raw text -> (canonical value, the form's own label for that value)."""
    table: dict[str, tuple[object, str]] = {}
    for cat in var.categories:
        for raw in cat.raw:
            table.setdefault(fold(raw), (cat.value, cat.raw[0]))
    return table


def decode_categorical(var, header, values, rows, out) -> pd.Series:
    table = _lookup(var)
    codes, uniques = pd.factorize(values)  # decode each distinct text once
    decoded = np.empty(len(uniques) + 1, dtype=object)  # last slot: code -1 (never used: no NA)
    decoded[:] = None
    for k, raw in enumerate(uniques):
        if not raw.strip():
            continue  # emptiness is judged by the presence rules
        hit = table.get(fold(raw))
        if hit is None:
            allowed = ", ".join(c.raw[0] for c in var.categories)
            for row in rows[codes == k]:
                if (
                    out.problem(
                        "gia_tri_la",
                        row,
                        header,
                        raw,
                        f"giá trị không có trong codebook (cho phép: {allowed})",
                    )
                    == WARNING
                ):
                    out.change(row, header, var.name, raw, "", "bỏ giá trị không có trong codebook")
            continue
        decoded[k] = hit[0]
        if raw != hit[1]:
            reason = spelling_reason(raw, hit[1])
            for row in rows[codes == k]:
                out.change(row, header, var.name, raw, hit[1], reason)
    mapped = pd.Series(decoded[codes], index=values.index, dtype=object)
    if var.type == "boolean":
        return mapped.astype("boolean")
    if var.type == "ordinal":
        return mapped.astype("Int8")
    return pd.Series(pd.Categorical(mapped, categories=var.values), index=values.index)


def decode_integer(var, header, values, rows, out) -> pd.Series:
    stripped = values.str.strip()
    numbers = pd.to_numeric(stripped.where(stripped.str.fullmatch(r"[+-]?\d+"), None), errors="coerce")
    bad = (numbers.isna() & (stripped != "")).to_numpy()
    for row, raw in zip(rows[bad], values[bad], strict=True):
        if out.problem("so_nguyen", row, header, raw, "không phải số nguyên") == WARNING:
            out.change(row, header, var.name, raw, "", "bỏ giá trị không phải số nguyên")
    if var.range:
        lo, hi = var.range
        outside = (numbers.notna() & ~numbers.between(lo, hi)).to_numpy()
        for row, raw in zip(rows[outside], values[outside], strict=True):
            if out.problem("ngoai_khoang", row, header, raw, f"ngoài khoảng cho phép {lo}–{hi}") == WARNING:
                out.change(row, header, var.name, raw, "", f"bỏ giá trị ngoài khoảng {lo}–{hi}")
        numbers = numbers.where(~outside)
    return numbers.astype("Int16")


def decode_datetime(var, header, values, rows, out, epoch=None, cells=None) -> pd.Series:
    """Timestamps in the codebook's ``format`` or ISO (Excel and SPSS date cells arrive as ISO
    text); else, when the file has a date system (``epoch``: a workbook's, or 1900 for a CSV),
    Excel serial day numbers: a workbook's number cells (``cells``) and serial-looking text,
    each conversion logged."""
    stripped = values.str.strip()
    parsed = pd.to_datetime(stripped, format=var.format, errors="coerce")
    if cells is None or epoch is None:
        cells = np.zeros(len(values), dtype=bool)
    # a number cell is a serial, not digits to guess from ("2023" would read as a year)
    iso = pd.to_datetime(stripped.where(parsed.isna() & ~cells), format="ISO8601", errors="coerce")
    parsed = parsed.fillna(iso)
    # a year the clean table cannot hold ("4512" read as ISO) is unreadable, not a crash
    parsed = parsed.where(parsed.between(pd.Timestamp.min, pd.Timestamp.max)).astype("datetime64[ns]")
    if epoch is not None:
        parsed = serial_dates(var, header, values, stripped, parsed, rows, out, epoch, cells)
    bad = (parsed.isna() & (stripped != "")).to_numpy()
    for row, raw in zip(rows[bad], values[bad], strict=True):
        if (
            out.problem(
                "thoi_diem", row, header, raw, f"không đọc được thời điểm (định dạng {var.format} hoặc ISO)"
            )
            == WARNING
        ):
            out.change(row, header, var.name, raw, "", "bỏ thời điểm không đọc được")
    return parsed


def excel_serial(text: str, epoch: dt.datetime) -> dt.datetime | None:
    """A serial day number as Excel reads it in the date system starting at ``epoch`` (to the
    millisecond, with Excel's 29/02/1900 in the 1900 system), or None outside Excel's dates."""
    from openpyxl.utils.datetime import from_excel

    try:
        value = float(text.replace(",", "."))
    except ValueError:
        return None
    if not 1 <= value < EXCEL_LAST:
        return None
    stamp = from_excel(value, epoch)
    return stamp if stamp <= pd.Timestamp.max else None  # after 2262: beyond the clean table


def serial_dates(var, header, values, stripped, parsed, rows, out, epoch, cells) -> pd.Series:
    todo = (parsed.isna() & (stripped != "")).to_numpy()
    if not todo.any():
        return parsed
    todo = todo & (stripped.str.fullmatch(SERIAL).to_numpy() | cells)
    if not todo.any():
        return parsed
    system = 1904 if epoch == EXCEL_1904 else 1900
    reason = f"số ngày kiểu Excel đọc thành thời điểm (hệ thống ngày {system})"
    when = {text: excel_serial(text, epoch) for text in pd.unique(stripped[todo])}
    read = stripped.map(when).where(todo)
    done = (todo & read.notna()).to_numpy()
    shown = {text: _timestamp_text(stamp) for text, stamp in when.items() if stamp is not None}
    for row, raw, text in zip(rows[done], values[done], stripped[done], strict=True):
        out.change(row, header, var.name, raw, shown[text], reason)
    return parsed.where(~done, pd.to_datetime(read.where(done)).astype("datetime64[ns]"))


def _timestamp_text(stamp: dt.datetime) -> str:
    text = stamp.strftime("%Y-%m-%d %H:%M:%S")
    return text + f".{stamp.microsecond // 1000:03d}" if stamp.microsecond else text


def decode_multiselect(var, header, values, rows, out) -> pd.DataFrame:
    options = {o.name: _lookup(o) for o in var.options}
    result = pd.DataFrame(False, index=values.index, columns=list(options))
    for raw in pd.unique(values):
        where = (values == raw).to_numpy()
        parts = [p for p in raw.split(var.separator) if p.strip()]
        if not parts and not var.allow_empty:
            for row in rows[where]:
                out.problem("bo_trong", row, header, "", "không được để trống")
        for part in parts:
            key = fold(part)
            hit = next(((name, tab[key]) for name, tab in options.items() if key in tab), None)
            if hit is None:
                for row in rows[where]:
                    if (
                        out.problem(
                            "gia_tri_la", row, header, part.strip(), "lựa chọn không có trong codebook"
                        )
                        == WARNING
                    ):
                        out.change(row, header, var.name, part, "", "bỏ lựa chọn không có trong codebook")
                continue
            name, (_, own) = hit
            result.loc[where, name] = True
            if part != own:
                reason = spelling_reason(part, own)
                for row in rows[where]:
                    out.change(row, header, name, part, own, reason)
    return result
