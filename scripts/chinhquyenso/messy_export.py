"""Make a realistic *messy* Excel export of the demo survey, for the default run and the tests.

Same 360 respondents as ``resources/demo/khao_sat_2023_demo.csv``, with what real exports carry:
direct identifiers (fake names, phones, e-mails), renamed and padded headers, answers typed in
several ways (case, spacing, decomposed Unicode from a Mac, unaccented "Nu"), numbers and
timestamps as Excel cells, two test rows before fieldwork, and one repeated submission. Every
defect is one the codebook is written to fix, so cleaning it gives the clean CSV's data back.
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
    "Nam",
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
TEST_IDS = ("TEST-01", "TEST-02")


def _ascii(text: str) -> str:
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in text if not unicodedata.combining(c)).lower().replace(" ", ".")


def _variants(value: str, rng: np.random.Generator, extra: dict[str, list[str]]) -> str:
    """One of the spellings a person or a tool might produce for ``value``."""
    choices = [value.lower(), value.upper(), f" {value} ", unicodedata.normalize("NFD", value)]
    choices += extra.get(value, [])
    return choices[int(rng.integers(len(choices)))]


def make_messy(demo: pd.DataFrame, codebook: Codebook, seed: int = 2023) -> pd.DataFrame:
    """The messy export as a frame of Python values (str, int, datetime), Excel-ready."""
    rng = np.random.default_rng(seed)
    h = {v.name: v.headers[0] for v in codebook.variables}
    frame = demo.copy()
    n = len(frame)

    # Answers typed in other ways, on a random fifth of the cells of a few questions.
    extra = {
        "Nữ": ["Nu"],
        "TP. Hồ Chí Minh": ["TP.HCM", "Thành phố Hồ Chí Minh", "TPHCM"],
        "Cấp phường/xã": ["Phường, xã", "Phường/xã"],
        "Cấp quận/huyện": ["Quận, huyện"],
        "Cấp tỉnh/thành phố": ["Tỉnh, thành phố"],
    }
    messy_columns = ["gioi_tinh", "tinh", "cap_hanh_chinh", "da_tap_huan", "muc_do_hd01", "muc_do_cd02"]
    for name in messy_columns:
        col = h[name]
        for i in np.flatnonzero(rng.random(n) < 0.2):
            if frame.at[i, col]:
                frame.at[i, col] = _variants(frame.at[i, col], rng, extra)

    # Excel cells: numbers as numbers, timestamps as dates.
    frame[h["tuoi"]] = frame[h["tuoi"]].astype(int)
    frame[h["tham_nien"]] = frame[h["tham_nien"]].astype(int)
    stamps = pd.to_datetime(frame[h["thoi_diem_nop"]], format=codebook["thoi_diem_nop"].format)
    frame[h["thoi_diem_nop"]] = [s.to_pydatetime() for s in stamps]

    # Direct identifiers the form collected (fake), placed after the ID as forms do.
    names = [
        f"{HO[rng.integers(len(HO))]} {DEM[rng.integers(len(DEM))]} {TEN[rng.integers(len(TEN))]}"
        for _ in range(n)
    ]
    frame.insert(2, "Họ và tên", names)
    frame.insert(3, "Số điện thoại", [f"09{rng.integers(10**7, 10**8)}" for _ in range(n)])
    frame.insert(4, "Email", [f"{_ascii(nm)}{i}@example.vn" for i, nm in enumerate(names)])

    # One respondent submitted twice: same answers, a new ID, three minutes later.
    twice = int(rng.integers(n))
    repeat = frame.iloc[[twice]].copy()
    repeat[h["ma_phieu"]] = f"KS2023-{n + 1:04d}"
    repeat[h["thoi_diem_nop"]] = repeat[h["thoi_diem_nop"]].iloc[0] + dt.timedelta(minutes=3)
    frame = pd.concat([frame.iloc[: twice + 1], repeat, frame.iloc[twice + 1 :]], ignore_index=True)

    # Two test rows made while setting the form up, before fieldwork.
    tests = frame.iloc[[0, 1]].copy()
    tests[h["ma_phieu"]] = list(TEST_IDS)
    tests["Họ và tên"] = ["Test", "Thử nghiệm biểu mẫu"]
    tests["Số điện thoại"] = ["0900000000", "0900000001"]
    tests["Email"] = ["test@example.vn", "thu@example.vn"]
    tests[h["thoi_diem_nop"]] = [dt.datetime(2023, 6, 28, 9, 0), dt.datetime(2023, 6, 28, 9, 5)]
    frame = pd.concat([tests, frame], ignore_index=True)

    # Headers as another export writes them: a renamed column and stray spaces.
    return frame.rename(columns={h["tuoi"]: "Tuổi (năm)", h["tinh"]: f"  {h['tinh']} "})


def write_xlsx(frame: pd.DataFrame, path: str | Path, sheet: str = "Câu trả lời biểu mẫu 1") -> None:
    """Write with openpyxl; timestamps get a date format so Excel shows them as dates."""
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.title = sheet
    ws.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        ws.append(list(row))
    for cell in ws["A"][1:]:
        cell.number_format = "dd/mm/yyyy hh:mm:ss"
    fixed = dt.datetime(2023, 11, 1)  # document properties: no build time in the file
    book.properties.created = fixed
    book.properties.modified = fixed
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    book.save(tmp)
    tmp.replace(path)
