"""What a test fixture's raw file and its own codebook say, read with plain pandas and YAML
(not through the project's code): the truth a report or a draft codebook is checked against.
Shared by tests/test_next_year.py and tests/test_codebook_draft.py."""

from pathlib import Path

import pandas as pd
import yaml


def read_raw(path: Path) -> pd.DataFrame:
    if path.suffix == ".xlsx":
        raw = pd.read_excel(path, dtype=str)
    else:
        raw = pd.read_csv(path, dtype=str, sep="\t" if path.suffix == ".tsv" else ",")
    return raw.fillna("")


class FormTruth:
    """N, provinces, administrative levels and activities of a raw file, by its codebook."""

    def __init__(self, raw_path: Path, codebook_path: Path):
        self.book = yaml.safe_load(codebook_path.read_text(encoding="utf-8"))
        self.raw = read_raw(raw_path)
        self.vars = {v["name"]: v for v in self.book["variables"]}
        roles = self.book["roles"]
        self.n = len(self.raw)
        self.provinces = self._counts(roles["province"])
        self.admin_levels = self._counts(roles["admin_level"])
        acts = next(b for b in self.book["blocks"] if b["kind"] == "activities")
        self.activities = self.book["items"][acts["items"]]["entries"]  # item -> label
        takes = {
            v["item"]: v
            for v in self.book["variables"]
            if v.get("item") in self.activities and "only_if" not in v
        }
        level = next(v for v in self.book["variables"] if v.get("item") in self.activities and "only_if" in v)
        self.levels = [raw[0] for raw in self.book["scales"][level["scale"]]["codes"].values()]
        yes = self.book["scales"][next(iter(takes.values()))["scale"]]["codes"][True]
        self.takes_part = {
            item: int(self.raw[v["headers"][0]].str.strip().isin(yes).sum()) for item, v in takes.items()
        }
        # the same counts by the column's header (a draft names the items its own way)
        self.takes_part_by_header = {v["headers"][0]: self.takes_part[item] for item, v in takes.items()}
        self.has_tenure = "tenure" in roles

    def _counts(self, name):
        var = self.vars[name]
        canonical = {raw: c["value"] for c in var["categories"] for raw in c["raw"]}
        return self.raw[var["headers"][0]].str.strip().map(canonical).value_counts().to_dict()
