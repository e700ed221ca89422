"""An attacker of published tables with integer programming, written apart from the code it attacks.

It reads only what a report publishes (``Table.cells``: displays, shown counts and bases) plus what
a reader may know besides: each breakdown group's size (from the sample description and the
tables of the questions the breakdowns come from), which districts make up each deprivation group,
and which answers each collapsed outcome adds up. Every withheld count is a whole-number unknown
at least zero, tied by every sum the tables obey. For each withheld count it asks HiGHS
(``scipy.optimize.milp``) for the smallest and largest value consistent with all of it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_array
from scipy.sparse.csgraph import connected_components

from analysis.reporting.tables import OUTCOMES

TOTAL = "Total"


@dataclass(frozen=True)
class Finding:
    table: str
    figure: tuple
    value: int
    low: float
    high: float
    #: False when the search stopped once solutions were found this far apart: the true range is at
    #: least as wide as [low, high], which is all the attacker needed to know.
    exact: bool = True

    @property
    def width(self) -> float:
        return self.high - self.low


class _Model:
    def __init__(self) -> None:
        self.index: dict[tuple, int] = {}
        self.known: dict[int, int] = {}
        self.upper: dict[int, float] = {}
        self.truth: dict[int, int] = {}
        self.where: dict[int, str] = {}
        self.rows: list[dict[int, float]] = []

    def var(self, key: tuple) -> int:
        return self.index.setdefault(key, len(self.index))

    def equal(self, total: tuple, parts: Iterable[tuple]) -> None:
        row: dict[int, float] = {}
        row[self.var(total)] = row.get(self.var(total), 0.0) - 1.0
        for part in parts:
            row[self.var(part)] = row.get(self.var(part), 0.0) + 1.0
        self.rows.append(row)

    def at_most(self, small: tuple, big: tuple) -> None:
        """small <= big, as small + slack = big with a slack of its own."""
        slack = ("slack", small, big)
        self.equal(big, [small, slack])


def _group_key(breakdown: str, group: str) -> tuple:
    return (TOTAL,) if group == TOTAL else (breakdown, group)


def attack(
    tables: Iterable,
    truth: Mapping[str, pd.DataFrame],
    group_sizes: Mapping[str, Mapping[str, int]],
    nesting: Mapping[str, Mapping[str, str]],
    enough: float = math.inf,
) -> list[Finding]:
    """Ranges of every withheld count, base and "everyone who answered" of the crosstabs in
    ``tables``, question by question. ``truth`` maps a table id to its true counts (the attacker's
    answers are checked against them, never used to solve); ``group_sizes`` gives each breakdown's
    group sizes; ``nesting`` maps a coarse breakdown's name to {district: coarse group}. A count once
    seen in two solutions at least ``enough`` apart is not narrowed further (``Finding.exact``)."""
    by_question: dict[tuple[str, str], list] = {}
    for table in tables:
        if table.breakdown == "wave" or table.cells.empty or "kind" not in table.cells:
            continue
        if not table.cells["kind"].isin(["answer", "excluded", "option", "outcome"]).all():
            continue
        by_question.setdefault((table.survey, table.question), []).append(table)
    findings = []
    for question_tables in by_question.values():
        findings += _attack_question(question_tables, truth, group_sizes, nesting, enough)
    return findings


def _attack_question(tables, truth, group_sizes, nesting, enough) -> list[Finding]:
    model = _Model()
    outcome_members = {o.name: o.members for o in OUTCOMES}
    for table in tables:
        cells = table.cells
        real = truth[table.id].set_index(["group", "outcome"])
        b = table.breakdown
        groups = list(dict.fromkeys(cells["group"]))
        inner = [g for g in groups if g != TOTAL]
        multi = (cells["kind"] == "option").any()
        answers = list(dict.fromkeys(cells.loc[cells["kind"] == "answer", "outcome"]))
        excluded = list(dict.fromkeys(cells.loc[cells["kind"] == "excluded", "outcome"]))
        options = list(dict.fromkeys(cells.loc[cells["kind"] == "option", "outcome"]))
        for row in cells.itertuples(index=False):
            g = _group_key(b, row.group)
            key = ("count", row.outcome, *g)
            base_key = ("answered" if row.kind == "excluded" else "base", *g)
            v, bv = model.var(key), model.var(base_key)
            true_row = real.loc[(row.group, row.outcome)]
            model.truth[v], model.truth[bv] = int(true_row["count"]), int(true_row["base"])
            model.where[v] = model.where[bv] = table.id
            if not pd.isna(row.count):
                model.known[v] = int(row.count)
            if not pd.isna(row.base):
                model.known[bv] = int(row.base)
            if row.kind in ("answer", "option"):
                size = group_sizes[b].get(row.group) if row.group != TOTAL else group_sizes["__all__"]
                if size is not None:
                    model.upper[bv] = min(model.upper.get(bv, math.inf), size)
                    model.upper[model.var(("answered", *g))] = size
            if row.kind == "option":
                model.at_most(key, base_key)
            if row.kind == "outcome":
                members = [a for a in answers if a in outcome_members.get(row.outcome, ())]
                model.equal(key, [("count", a, *g) for a in members])
        for group in groups:
            g = _group_key(b, group)
            if not multi and answers:
                model.equal(("base", *g), [("count", a, *g) for a in answers])
                if excluded:
                    model.equal(("answered", *g), [("base", *g), *[("count", e, *g) for e in excluded]])
        # Groups add up to the total; coarse groups are tied to their districts below instead.
        if inner and b not in nesting:
            rows = [("count", o) for o in [*answers, *excluded, *options]] + [("base",)]
            if excluded:
                rows.append(("answered",))
            for r in rows:
                model.equal((*r, TOTAL), [(*r, b, grp) for grp in inner])
    for table in tables:
        b = table.breakdown
        if b not in nesting:
            continue
        cells = table.cells
        inner = [g for g in dict.fromkeys(cells["group"]) if g != TOTAL]
        outcomes = dict.fromkeys(cells.loc[cells["kind"] != "outcome", "outcome"])
        rows = [("count", o) for o in outcomes] + [("base",)]
        if (cells["kind"] == "excluded").any():
            rows.append(("answered",))
        for coarse in inner:
            districts = [d for d, c in nesting[b].items() if c == coarse]
            for r in rows:
                model.equal((*r, b, coarse), [(*r, "area", d) for d in districts])
    return _solve(model, enough)


def _solve(model: _Model, enough: float) -> list[Finding]:
    """Each withheld count's smallest and largest value. The published counts are put in as known,
    so the unknowns fall into groups tied by no sum to one another: each group is solved alone. Every
    solution found is a witness: the values it gives each unknown are all possible."""
    n = len(model.index)
    names = {i: k for k, i in model.index.items()}
    rows, cols, data = [], [], []
    for r, row in enumerate(model.rows):
        for c, value in row.items():
            if value:
                rows.append(r)
                cols.append(c)
                data.append(value)
    matrix = csr_array((data, (rows, cols)), shape=(len(model.rows), n))
    low = np.zeros(n)
    high = np.full(n, np.inf)
    for i, value in model.known.items():
        low[i] = high[i] = value
    for i, value in model.upper.items():
        high[i] = min(high[i], value)
    known = np.zeros(n)
    known[list(model.known)] = list(model.known.values())
    free = np.array([i not in model.known for i in range(n)])
    rest = -(matrix @ known)
    free_part = matrix[:, free].tocsc()
    columns = np.flatnonzero(free)
    count, label = connected_components((free_part.T @ free_part) != 0, directed=False)
    findings = []
    for component in range(count):
        mine = label == component
        part = free_part[:, mine]
        used = np.flatnonzero(abs(part).sum(axis=1) > 0)
        own = columns[mine]
        group = _Group(LinearConstraint(part[used], rest[used], rest[used]), Bounds(low[own], high[own]))
        for j, i in enumerate(own):
            if i in model.truth and names[i][0] != "slack":
                low_i, high_i, exact = group.range(j, enough)
                findings.append(Finding(model.where[i], names[i], model.truth[i], low_i, high_i, exact))
    return findings


class _Group:
    """Unknowns tied to one another by the sums, with the widest values seen for each so far."""

    def __init__(self, constraint: LinearConstraint, bounds: Bounds) -> None:
        self.constraint, self.bounds = constraint, bounds
        size = len(bounds.lb)
        self.seen_low, self.seen_high = np.full(size, np.inf), np.full(size, -np.inf)

    def _extreme(self, j: int, sign: float) -> float:
        objective = np.zeros(len(self.seen_low))
        objective[j] = sign
        result = milp(
            objective, constraints=[self.constraint], bounds=self.bounds, integrality=np.ones(len(objective))
        )
        assert result.status in (0, 3), f"the published figures have no solution: {result.message}"
        if result.status == 3:
            return math.inf
        values = np.round(result.x)
        self.seen_low, self.seen_high = np.minimum(self.seen_low, values), np.maximum(self.seen_high, values)
        return values[j]

    def range(self, j: int, enough: float) -> tuple[float, float, bool]:
        if self.seen_high[j] - self.seen_low[j] >= enough:
            return self.seen_low[j], self.seen_high[j], False
        lowest = self._extreme(j, 1.0)
        if self.seen_high[j] - lowest >= enough:
            return lowest, self.seen_high[j], False
        return lowest, self._extreme(j, -1.0), True
