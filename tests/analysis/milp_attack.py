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

from analysis.reporting.tables import OUTCOMES

TOTAL = "Total"


@dataclass(frozen=True)
class Finding:
    table: str
    figure: tuple
    value: int
    low: float
    high: float

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
) -> list[Finding]:
    """Ranges of every withheld count, base and "everyone who answered" of the crosstabs in
    ``tables``, question by question. ``truth`` maps a table id to its true counts (the attacker's
    answers are checked against them, never used to solve); ``group_sizes`` gives each breakdown's
    group sizes; ``nesting`` maps a coarse breakdown's name to {district: coarse group}."""
    by_question: dict[tuple[str, str], list] = {}
    for table in tables:
        if table.breakdown == "wave" or table.cells.empty or "kind" not in table.cells:
            continue
        if not table.cells["kind"].isin(["answer", "excluded", "option", "outcome"]).all():
            continue
        by_question.setdefault((table.survey, table.question), []).append(table)
    findings = []
    for question_tables in by_question.values():
        findings += _attack_question(question_tables, truth, group_sizes, nesting)
    return findings


def _attack_question(tables, truth, group_sizes, nesting) -> list[Finding]:
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
    return _solve(model)


def _solve(model: _Model) -> list[Finding]:
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
    zeros = np.zeros(len(model.rows))
    low = np.zeros(n)
    high = np.full(n, np.inf)
    for i, value in model.known.items():
        low[i] = high[i] = value
    for i, value in model.upper.items():
        high[i] = min(high[i], value)
    constraints = [LinearConstraint(matrix, zeros, zeros)]
    findings = []
    for i in sorted(model.truth):
        if i in model.known or names[i][0] == "slack":
            continue
        extremes = []
        for sign in (1.0, -1.0):
            objective = np.zeros(n)
            objective[i] = sign
            result = milp(
                objective, constraints=constraints, bounds=Bounds(low, high), integrality=np.ones(n)
            )
            assert result.status in (0, 3), f"the published figures have no solution: {result.message}"
            extremes.append(math.inf if result.status == 3 else round(result.x[i]))
        findings.append(Finding(model.where[i], names[i], model.truth[i], extremes[0], extremes[1]))
    return findings
