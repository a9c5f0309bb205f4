"""Small-cell protection with an audit by linear programming, as τ-ARGUS audits a table.

Primary suppression hides every printed count from 1 to ``min_cell`` - 1 (a zero identifies no
one and stays). The audit then asks, for every hidden cell and every small cell no table prints
(the no of a yes/no item), the narrowest range an attacker can prove from everything published:
the minimum and maximum of the cell over all non-negative solutions of the model's equations, the
printed cells fixed at their values and each hidden printed cell at least 1 (zeros are shown, so a
hidden cell is not zero). A range narrower than ``min_cell`` is a disclosure; secondary suppression
then hides one more printed count (one that shares an equation with the exposed cell, the smallest
first, ties broken by cell id, so the same data always give the same pattern) and audits again.
Hiding a cell only widens every range, so a cell that passed stays protected and is not audited
again. The linear programs are solved by HiGHS through ``scipy.optimize.linprog``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linprog

from .cells import CellId, CellModel

TOLERANCE = 1e-7


@dataclass
class Protection:
    primary: set[CellId] = field(default_factory=set)
    secondary: set[CellId] = field(default_factory=set)
    ranges: dict[CellId, tuple[int, int]] = field(default_factory=dict)  # audited cell -> proven range
    unprotected: set[CellId] = field(default_factory=set)  # no printed count left to hide

    @property
    def hidden(self) -> set[CellId]:
        return self.primary | self.secondary


def components(model: CellModel) -> list[list[CellId]]:
    """Cells linked by equations, each group sorted; groups in the order of their first cell."""
    parent: dict[CellId, CellId] = {c: c for c in model.value}

    def root(c: CellId) -> CellId:
        while parent[c] != c:
            parent[c] = parent[parent[c]]
            c = parent[c]
        return c

    for terms, _ in model.equations:
        first = root(terms[0][0])
        for cell, _coef in terms[1:]:
            parent[root(cell)] = first
    groups: dict[CellId, list[CellId]] = {}
    for c in sorted(model.value):
        groups.setdefault(root(c), []).append(c)
    return sorted(groups.values())


def pinned(model: CellModel) -> set[CellId]:
    """Cells a published total fixes by itself (an equation with one cell): hiding them is no use."""
    return {terms[0][0] for terms, _ in model.equations if len(terms) == 1}


def _equations(model: CellModel, group: list[CellId]) -> list:
    """The equations of one group of linked cells, in a fixed order (computed once per group)."""
    key = (group[0], len(group), len(model.equations))
    cache = model.__dict__.setdefault("_by_group", {})
    if key not in cache:
        members = set(group)
        cache[key] = [e for e in sorted(model.equations) if e[0][0][0] in members]
    return cache[key]


def proven_range(
    model: CellModel, group: list[CellId], hidden: set[CellId], target: CellId
) -> tuple[int, int]:
    """The smallest and largest whole value of ``target`` consistent with what is published."""
    free = [c for c in group if c in hidden or not model.places[c]]
    index = {c: k for k, c in enumerate(free)}
    rows, rhs = [], []
    for terms, b in _equations(model, group):
        row, const = np.zeros(len(free)), 0
        for cell, coef in terms:
            if cell in index:
                row[index[cell]] += coef
            else:
                const += coef * model.value[cell]
        if row.any():
            rows.append(row)
            rhs.append(b - const)
    bounds = [_bounds(model, c) for c in free]
    objective = np.zeros(len(free))
    objective[index[target]] = 1.0
    ends = []
    for sign in (1.0, -1.0):
        res = linprog(
            sign * objective,
            A_eq=np.array(rows) if rows else None,
            b_eq=np.array(rhs) if rows else None,
            bounds=bounds,
            method="highs",
        )
        if res.status != 0:
            raise RuntimeError(
                f"kiểm toán bảo vệ ô nhỏ: bài toán quy hoạch tuyến tính không giải được ({res.message})"
            )
        ends.append(sign * res.fun)
    return math.ceil(ends[0] - TOLERANCE), math.floor(ends[1] + TOLERANCE)


def _bounds(model: CellModel, cell: CellId) -> tuple[int, int]:
    """What an attacker knows of any hidden cell: a printed one is not zero (zeros are shown,
    except in a population hidden whole), and no cell exceeds its population."""
    nonzero = bool(model.places[cell]) and cell[0] not in model.whole
    return int(nonzero), model.sizes.get(cell[0], model.sizes.get("", 0))


OVERALL_COST = 100  # the whole sample's counts are hidden only when no province pattern will do


def _pattern(model: CellModel, group: list[CellId], hidden: set[CellId], exposed: CellId, width: int):
    """The printed counts to hide so that ``exposed`` has a range of ``width``: two other tables,
    ``x + up`` and ``x + down``, must agree with every published number and differ by ``width``
    in the exposed cell. A linear program looks for the two changes (every equation kept, every
    cell within its bounds) that move the fewest published counts, at a cost per unit moved of 1
    for each table that prints a province's count, OVERALL_COST for the whole sample's, and 0 for
    what is already hidden. The counts they move are the pattern (the LP heuristic of Fischetti
    and Salazar for cell suppression)."""
    n = len(group)
    index = {c: k for k, c in enumerate(group)}
    rows = []
    for terms, _ in _equations(model, group):
        row = np.zeros(n)
        for cell, coef in terms:
            row[index[cell]] += coef
        rows.append(row)
    a = np.array(rows)
    zero = np.zeros_like(a)
    # variables: up+, up-, down+, down- (n each); x + up and x + down both consistent
    a_eq = np.vstack([np.hstack([a, -a, zero, zero]), np.hstack([zero, zero, a, -a])])
    spread = np.zeros(4 * n)
    t = index[exposed]
    spread[[t, n + t, 2 * n + t, 3 * n + t]] = [1, -1, -1, 1]
    cost, rise, fall = np.zeros(n), [], []
    for c in group:
        lo, hi = _bounds(model, c)
        x = model.value[c]
        printed_zero = model.places[c] and x == 0 and c not in hidden  # a shown zero stays zero
        rise.append((0, 0 if printed_zero else max(hi - x, 0)))
        fall.append((0, 0 if printed_zero else max(x - lo, 0)))
        if model.places[c] and c not in hidden and c != exposed:
            cost[index[c]] = len(model.places[c]) * (OVERALL_COST if c[0] == "" else 1)
    bounds = rise + fall + rise + fall
    bounds[n + t] = bounds[2 * n + t] = (0, 0)  # up raises the exposed cell, down lowers it
    res = linprog(
        np.tile(cost, 4),
        A_eq=np.vstack([a_eq, spread]),
        b_eq=np.concatenate([np.zeros(2 * len(rows)), [width]]),
        bounds=bounds,
        method="highs",
    )
    if res.status != 0:
        return None  # no set of printed counts, hidden, would give that range
    moved = np.abs(res.x[:n] - res.x[n : 2 * n]) + np.abs(res.x[2 * n : 3 * n] - res.x[3 * n :])
    return [
        c for c in group if moved[index[c]] > 1e-6 and model.places[c] and c not in hidden and c != exposed
    ]


def _neighbours(model: CellModel, cell: CellId) -> set[CellId]:
    return {c for terms, _ in model.equations if any(t == cell for t, _ in terms) for c, _ in terms}


def _candidate(
    model: CellModel, group: list[CellId], hidden: set[CellId], exposed: CellId, fixed: set[CellId]
):
    """The printed count to hide next: one sharing an equation with the exposed cell, else with
    any hidden cell of its group; a province's count before the whole sample's (the overall
    report is the one compared with the article), the smallest first, then by cell id."""
    open_ = [
        c for c in group if model.places[c] and c not in hidden and c not in fixed and model.value[c] > 0
    ]
    near = _neighbours(model, exposed)
    for pool in (
        [c for c in open_ if c in near],
        [c for c in open_ if any(c in _neighbours(model, h) for h in hidden if h in near or h == exposed)],
        open_,
    ):
        if pool:
            return min(pool, key=lambda c: (c[0] == "", model.value[c], c))
    return None


def what_is_known(model: CellModel, min_cell: int) -> None:
    """Besides the tables: which populations are hidden whole (smaller than the threshold), and
    the counts other published files give (a model is fitted, and prints its size, only on
    enough answers), as equations with one cell."""
    model.whole = {pop for pop, size in model.sizes.items() if size < min_cell}
    for cell in model.public:
        if model.value[cell] >= min_cell and cell[0] not in model.whole:
            model.equation({cell: 1}, model.value[cell])


def protect(model: CellModel, min_cell: int) -> Protection:
    """Primary and secondary suppression of every printed count, audited until no hidden or small
    unprinted cell can be narrowed to a range under ``min_cell``."""
    what_is_known(model, min_cell)
    fixed = pinned(model)  # totals the published files give anyway (a population's size): shown
    out = Protection(
        primary={c for c in model.shown - fixed if 0 < model.value[c] < min_cell or c[0] in model.whole}
    )
    for group in components(model):
        members = set(group)
        passed: set[CellId] = set()
        while True:
            hidden = out.hidden
            targets = sorted(
                c
                for c in members
                if (c in hidden or c in model.sensitive_unshown and 0 < model.value[c] < min_cell)
                and c not in passed
                and c not in out.unprotected
            )
            exposed, width = None, min_cell
            for t in targets:
                lo, hi = proven_range(model, group, hidden, t)
                out.ranges[t] = (lo, hi)
                # a population smaller than the threshold can only be hidden whole: its full range
                width = min(min_cell, model.sizes.get(t[0], min_cell))
                if hi - lo >= width:
                    passed.add(t)
                else:
                    exposed = t
                    break
            if exposed is None:
                break
            pattern = _pattern(model, group, hidden, exposed, width)
            if pattern is None:  # hiding more cannot help: said, and nothing hidden in vain
                out.unprotected.add(exposed)
                continue
            if set(pattern) - hidden:
                out.secondary.update(pattern)
                continue
            extra = _candidate(model, group, hidden, exposed, fixed)  # an LP that found nothing new
            if extra is None:
                out.unprotected.add(exposed)
            else:
                out.secondary.add(extra)
    return out
