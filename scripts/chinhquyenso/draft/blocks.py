"""Question blocks and item groups of the draft.

Last year's blocks keep the questions that were matched (an activity keeps its item id); a
block with nothing left is dropped. New grid questions become items: a yes/no and a level
question about the same item are an activity (``only_if``), added to the activities block;
other level grids are rating blocks; the remaining new questions join a block of their kind.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .match import ENOUGH, SURE, similarity
from .scales import Scales
from .variables import Planned, topic_name

NEW_TITLES = {
    "indicators": "Câu hỏi có/không mới",
    "single_choice": "Câu hỏi chọn một mới",
    "numeric": "Câu hỏi số mới",
}


@dataclass
class Layout:
    items: dict[str, dict] = field(default_factory=dict)  # group -> {label, entries}
    blocks: list[dict] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)  # titles of last year's blocks not asked
    notes: list[str] = field(default_factory=list)
    confirm: dict[tuple, list[str]] = field(default_factory=dict)  # ("blocks", id) -> texts


def _next_item(group: dict, taken: set[str], stem: str) -> str:
    """The next item id in the group's own pattern (ab14 -> ab15), unique across groups."""
    ids = list(group["entries"])
    found = [re.fullmatch(r"(.*?)(\d+)", i) for i in ids]
    prefix, width, start = (found[-1].group(1), len(found[-1].group(2)), int(found[-1].group(2))) if (
        found and found[-1]) else ("".join(w[0] for w in stem.split("_") if w)[:3] or "m", 2, 0)  # fmt: skip
    i = start + 1
    while f"{prefix}{i:0{width}d}" in taken:
        i += 1
    taken.add(f"{prefix}{i:0{width}d}")
    return f"{prefix}{i:0{width}d}"


def _var_prefix(plans: list[Planned], item: str) -> str | None:
    """'tham_gia_' from a variable named 'tham_gia_<item>' of the same role, if any."""
    for p in plans:
        it = p.spec.get("item")
        if it and p.name.endswith(it) and p.name != it:
            return p.name[: -len(it)]
    return None


class Builder:
    def __init__(self, planned: list[Planned], ref_doc: dict, scales: Scales, taken: set[str]):
        self.planned, self.ref, self.scales, self.taken = planned, ref_doc, scales, taken
        self.layout = Layout()
        self.free = [p for p in planned if p.match is None and p.role is None]
        self.item_ids = {i for g in (ref_doc.get("items") or {}).values() for i in g["entries"]}

    def by_item(self, item: str) -> list[Planned]:
        return [p for p in self.planned if p.spec.get("item") == item]

    def run(self) -> Layout:
        kept = {}
        for spec in self.ref.get("blocks") or []:
            block = self._keep(spec)
            if block:
                kept[block["id"]] = block
            else:
                self.layout.dropped.append(str(spec.get("title") or spec["id"]))
        self._new_pairs(kept)
        self._new_ratings(kept)
        for kind, test in (
            ("indicators", lambda p: p.guess.kind == "yes_no"),
            ("single_choice", lambda p: p.spec.get("type") == "category"),
            ("numeric", lambda p: p.spec.get("type") == "integer"),
        ):
            self._leftovers(kept, kind, [p for p in self.free if test(p)])
        for p in [p for p in self.free if p.spec.get("type") == "multiselect"]:
            self.free.remove(p)
            kept[p.name] = {"id": p.name, "kind": "multiselect", "variable": p.name, "title": p.spec["label"]}
        self.layout.blocks = list(kept.values())
        self._scales()
        return self.layout

    def _keep(self, spec: dict) -> dict | None:
        names = {p.name for p in self.planned}
        kind = spec["kind"]
        if kind in ("indicators", "single_choice", "numeric"):
            left = [v for v in spec.get("variables") or [] if v in names]
            return {**spec, "variables": left} if left else None
        if kind == "multiselect":
            if spec.get("variable") not in names:
                return None
            self._option_items(next(p for p in self.planned if p.name == spec["variable"]))
            return dict(spec)
        group = spec["items"]
        ref_group = self.ref["items"][group]
        entries = {}
        for item, label in ref_group["entries"].items():
            members = self._complete(item, kind, label)
            if members:
                entries[item] = self._label(item, label, members)
        if not entries:
            return None
        self.layout.items[group] = {"label": ref_group["label"], "entries": entries}
        return dict(spec)

    def _option_items(self, plan: Planned) -> None:
        """The item group of a kept multi-select's options: kept items, new items for new options."""
        ref_items = self.ref.get("items") or {}
        options = plan.spec.get("options") or []
        group = next(
            (g for o in options for g, spec in ref_items.items() if o.get("item") in spec["entries"]), None
        )
        if group is None:
            return
        entries = self.layout.items.setdefault(group, {"label": ref_items[group]["label"], "entries": {}})[
            "entries"
        ]
        for option in options:
            if option.get("item") in ref_items[group]["entries"]:
                entries[option["item"]] = ref_items[group]["entries"][option["item"]]
        for option in options:
            if not option.get("item"):
                option["item"] = _next_item({"entries": ref_items[group]["entries"]}, self.item_ids, group)
                entries[option["item"]] = option["raw"][0]

    def _complete(self, item: str, kind: str, label: str) -> list[Planned]:
        """The item's variables when the block can keep it (attaching a new column that asks
        the missing half of an activity); otherwise the item is left out of the block."""
        members = self.by_item(item)
        if not members:
            return []
        takes = [p for p in members if p.guess.kind == "yes_no"]
        level = [p for p in members if p not in takes]
        if kind == "activities" and bool(takes) != bool(level):
            want = "ordinal" if takes else "yes_no"
            present = (takes or level)[0]
            cand = [p for p in self.free if p.guess.kind == want and p.item_text]
            text = present.item_text or label
            best = max(cand, key=lambda p: similarity(p.item_text, text), default=None)
            if best is not None and similarity(best.item_text, text) >= ENOUGH:
                self.free.remove(best)
                best.spec["item"] = item
                (level if takes else takes).append(best)
                best.confirm.append(
                    f"ghép vào mục {item} theo lời mục ({similarity(best.item_text, text):.0f}%)"
                )
            else:
                for p in members:
                    p.spec.pop("item", None)
                    p.spec.pop("only_if", None)
                    self.free.append(p)
                self.layout.notes.append(f"mục {item} chỉ còn một nửa câu hỏi: đưa ra khỏi khối")
                return []
        if kind == "activities":
            level[0].spec["only_if"] = takes[0].name
        return members if kind != "activities" else [*takes, *level]

    def _label(self, item: str, label: str, members: list[Planned]) -> str:
        text = next((p.item_text for p in members if p.item_text), None)
        if not text or similarity(text, label) == 100:
            return label
        score = similarity(text, label)
        self.layout.notes.append(f"mục {item}: đổi lời «{label}» → «{text}» ({score:.0f}%)")
        if score < SURE:
            for p in members:
                p.confirm.append(f"mục {item} đổi lời so với năm trước «{label}» (độ giống {score:.0f}%)")
        return text

    def _group_for(self, kept: dict, kind: str, stem: str) -> tuple[str, dict]:
        """The item group new items of ``kind`` join: the kept block's, or a new block's."""
        for block in kept.values():
            if block["kind"] == kind and (kind == "activities" or self._same_stem(block, stem)):
                group = block["items"]
                if group not in self.layout.items:  # a dropped block brought back
                    self.layout.items[group] = {"label": self.ref["items"][group]["label"], "entries": {}}
                return group, block
        ref_block = next((b for b in self.ref.get("blocks") or [] if b["kind"] == kind == "activities"), None)
        if ref_block:  # at most one activities block: extend last year's, even if emptied
            kept[ref_block["id"]] = dict(ref_block)
            self.layout.dropped.remove(str(ref_block.get("title") or ref_block["id"]))
            return self._group_for(kept, kind, stem)
        group = topic_name(stem, self.taken)
        self.layout.items[group] = {"label": stem, "entries": {}}
        kept[group] = {"id": group, "kind": kind, "items": group, "title": stem}
        self.layout.confirm[("blocks", group)] = [f"khối mới «{stem}» ({kind}): đặt tên và tiêu đề"]
        return group, kept[group]

    def _same_stem(self, block: dict, stem: str) -> bool:
        members = [
            p
            for p in self.planned
            if p.spec.get("item") in self.layout.items.get(block["items"], {}).get("entries", {})
        ]
        return any(similarity(p.stem, stem) >= ENOUGH for p in members)

    def _add_item(self, group: str, plans: list[Planned], text: str) -> str:
        entries = self.layout.items[group]["entries"]
        item = _next_item({"entries": entries or self.ref.get("items", {}).get(group, {}).get("entries", {})},
                          self.item_ids, group)  # fmt: skip
        entries[item] = text
        for p in plans:
            existing = [q for q in self.planned if q.spec.get("item") and q.guess.kind == p.guess.kind]
            prefix = _var_prefix(existing, item) if existing else None
            if prefix:
                self.taken.discard(p.spec["name"])
                p.spec["name"] = prefix + item
                self.taken.add(p.spec["name"])
            p.spec["item"] = item
            p.spec.pop("label", None)
            self.free.remove(p)
        self.layout.notes.append(f"mục mới {item} «{text}» trong nhóm {group}")
        return item

    def _new_pairs(self, kept: dict) -> None:
        takes = [p for p in self.free if p.guess.kind == "yes_no" and p.item_text]
        for t in takes:
            levels = [p for p in self.free if p.guess.kind == "ordinal" and p.item_text]
            best = max(levels, key=lambda p: similarity(p.item_text, t.item_text), default=None)
            if best is None or similarity(best.item_text, t.item_text) < SURE:
                continue
            group, _block = self._group_for(kept, "activities", t.stem)
            self._add_item(group, [t, best], t.item_text)
            best.spec["only_if"] = t.name

    def _new_ratings(self, kept: dict) -> None:
        for p in [p for p in self.free if p.guess.kind == "ordinal"]:
            if p in self.free:
                group, _block = self._group_for(kept, "ratings", p.stem)
                self._add_item(group, [p], p.item_text or p.spec.get("label") or p.stem)

    def _leftovers(self, kept: dict, kind: str, plans: list[Planned]) -> None:
        if not plans:
            return
        block = next((b for b in kept.values() if b["kind"] == kind), None)
        if block is None:
            bid = {"indicators": "chi_bao_moi", "single_choice": "chon_mot_moi", "numeric": "cau_so_moi"}[
                kind
            ]
            block = kept[bid] = {"id": bid, "kind": kind, "title": NEW_TITLES[kind], "variables": []}
            self.layout.confirm[("blocks", bid)] = [f"khối mới ({kind}): đặt tiêu đề"]
        for p in plans:
            block["variables"].append(p.name)
            self.free.remove(p)

    def _scales(self) -> None:
        """One scale per rating or activity block (all its level questions), yes/no scales."""
        done: set[str] = set()
        for block in self.layout.blocks:
            if block["kind"] in ("activities", "ratings"):
                entries = self.layout.items[block["items"]]["entries"]
                members = [p for p in self.planned if p.spec.get("item") in entries]
                level = [p for p in members if p.guess.kind != "yes_no"]
                self.scales.ordinal(level, block["id"])
                done |= {p.name for p in members}
        yes_no = [
            p
            for p in self.planned
            if p.guess.kind == "yes_no" and "categories" not in p.spec and not p.spec.get("type")
        ]
        if yes_no:
            self.scales.boolean(yes_no)
        for p in self.planned:
            if p.name not in done and p.guess.kind == "ordinal" and "scale" not in p.spec:
                self.scales.ordinal([p], p.name)
