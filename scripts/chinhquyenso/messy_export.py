"""Make a realistic *messy* Excel export of the demo survey, for the default run and the tests.

The same respondents as ``resources/demo/khao_sat_2023_demo.csv``, with what real exports carry:
direct identifiers (fake names, phones, e-mails), renamed and padded headers, answers typed in
several ways (case, spacing, decomposed Unicode from a Mac, unaccented spellings), numbers and
timestamps as Excel cells, test rows before fieldwork, and one repeated submission. Which
variables, spellings and rows is chosen in ``resources/demo/xuat_tho.yaml``. Every defect is one
the codebook is written to fix, so cleaning it gives the clean CSV's data back.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd

from .codebook import Codebook

# Fake identity parts (common Vietnamese names), only to give the identifier columns content.
HO = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ"]
DEM = ["Văn", "Thị", "Minh", "Ngọc", "Thanh", "Hoàng", "Quốc", "Thu", "Anh", "Gia"]
TEN = [
    "An",
    "Bình",
    "Châu",
    "Dũng",
    "Giang",
    "Hà",
    "Hải",
    "Hạnh",
    "Hùng",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Nhân",
    "Nhung",
    "Phúc",
    "Quân",
    "Tâm",
    "Thảo",
    "Trang",
    "Tuấn",
    "Vy",
    "Yến",
]


def _ascii(text: str) -> str:
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in text if not unicodedata.combining(c)).lower().replace(" ", ".")


def _variants(value: str, rng: np.random.Generator, extra: dict[str, list[str]]) -> str:
    """One of the spellings a person or a tool might produce for ``value``."""
    choices = [value.lower(), value.upper(), f" {value} ", unicodedata.normalize("NFD", value)]
    choices += extra.get(value, [])
    return choices[int(rng.integers(len(choices)))]


def make_messy(demo: pd.DataFrame, codebook: Codebook, choices: dict) -> pd.DataFrame:
    """The messy export as a frame of Python values (str, int, datetime), Excel-ready.

    ``choices``: the defects to add (resources/demo/xuat_tho.yaml)."""
    rng = np.random.default_rng(choices["seed"])
    h = {v.name: v.headers[0] for v in codebook.variables}
    frame = demo.copy()
    n = len(frame)
    id_col, stamp_col = h[codebook.role("id")], h[codebook.role("submitted_at")]

    for name in choices["retyped"]:
        col = h[name]
        for i in np.flatnonzero(rng.random(n) < 0.2):
            if frame.at[i, col]:
                frame.at[i, col] = _variants(frame.at[i, col], rng, choices["other_spellings"])

    # Excel cells: numbers as numbers, timestamps as dates.
    for var in codebook.variables:
        if var.type == "integer" and h[var.name] in frame:
            frame[h[var.name]] = frame[h[var.name]].astype(int)
        elif var.type == "datetime" and h[var.name] in frame:
            stamps = pd.to_datetime(frame[h[var.name]], format=var.format)
            frame[h[var.name]] = [s.to_pydatetime() for s in stamps]

    # Direct identifiers (fake), placed after the ID as forms do.
    names = [
        f"{HO[rng.integers(len(HO))]} {DEM[rng.integers(len(DEM))]} {TEN[rng.integers(len(TEN))]}"
        for _ in range(n)
    ]
    fake = {
        "name": lambda: names,
        "phone": lambda: [f"09{rng.integers(10**7, 10**8)}" for _ in range(n)],
        "mail": lambda: [f"{_ascii(nm)}{i}@example.vn" for i, nm in enumerate(names)],
    }
    at = list(frame.columns).index(id_col) + 1
    for k, (name, kind) in enumerate(choices["identifiers"].items()):
        frame.insert(at + k, h[name], fake[kind]())

    # One respondent submitted twice: same answers, a new ID, a few minutes later.
    twice = int(rng.integers(n))
    repeat = frame.iloc[[twice]].copy()
    prefix = str(frame.at[0, id_col]).rsplit("-", 1)[0]
    repeat[id_col] = f"{prefix}-{n + 1:04d}"
    repeat[stamp_col] = repeat[stamp_col].iloc[0] + dt.timedelta(minutes=choices["repeat_after_minutes"])
    frame = pd.concat([frame.iloc[: twice + 1], repeat, frame.iloc[twice + 1 :]], ignore_index=True)

    # Test rows made while setting the form up, before fieldwork.
    tests = frame.iloc[: len(choices["test_rows"])].copy()
    for name in choices["test_rows"][0]:
        values = [row[name] for row in choices["test_rows"]]
        tests[h[name]] = [v if isinstance(v, dt.datetime) else str(v) for v in values]
    frame = pd.concat([tests, frame], ignore_index=True)

    # Headers as another export writes them: renamed columns and stray spaces.
    renamed = {h[name]: header for name, header in choices["renamed_headers"].items()}
    renamed |= {h[name]: f"  {h[name]} " for name in choices["padded_headers"]}
    return frame.rename(columns=renamed)


def write_xlsx(frame: pd.DataFrame, path: str | Path, sheet: str, document_date: dt.date) -> None:
    """Write with openpyxl; timestamps get a date format so Excel shows them as dates."""
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.title = sheet
    ws.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        ws.append(list(row))
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, dt.datetime):
                cell.number_format = "dd/mm/yyyy hh:mm:ss"
    fixed = dt.datetime.combine(document_date, dt.time())  # no build time in the file
    book.properties.created = fixed
    book.properties.modified = fixed
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    book.save(tmp)
    tmp.replace(path)
