"""An attacker of perturbed figures (cell-key noise) with integer programming, written apart from the
code it attacks.

It knows what every reader of the method note knows: each published count is its true count ``n``
plus a noise of at most ``min(n, max_noise)`` either way (so a count of zero is never perturbed), a
figure may be lowered to its base, and a perturbed count from 1 to ``min_count - 1`` is shown as
``[c]``. It also knows exactly which people each figure counts (the
filters and groups of the view it came from), so it can write every figure as a sum of the same
whole-number unknowns, the finest cells, and ask HiGHS (``scipy.optimize.milp``) for the smallest
and largest value of each withheld figure consistent with every figure it has read.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_array


@dataclass(frozen=True)
class Finding:
    figure: Hashable
    value: int
    low: float
    high: float
    #: False when ``low`` and ``high`` are values two solutions gave, far enough apart to stop at:
    #: the range is at least that wide, but the true value need not lie between them.
    exact: bool = True

    @property
    def pinned(self) -> bool:
        return self.low == self.high

    @property
    def width(self) -> float:
        return self.high - self.low


@dataclass
class NoisyReader:
    max_noise: int
    min_count: int
    suppressed_symbol: str = "[c]"
    cells: dict[Hashable, int] = field(default_factory=dict)
    rows: list[tuple[list[int], float, float]] = field(default_factory=list)
    withheld: list[tuple[Hashable, int, list[int]]] = field(default_factory=list)

    def _cell(self, cell: Hashable) -> int:
        return self.cells.setdefault(cell, len(self.cells))

    def read(self, name: Hashable, members: Iterable[Hashable], display: str, truth: int) -> None:
        """One published figure: the finest cells it adds up, as shown, and (to judge the attacker
        by, never to solve with) its true value."""
        columns = sorted({self._cell(m) for m in members})
        if display == self.suppressed_symbol:
            low, high = 1, self.min_count - 1 + self.max_noise
            self.withheld.append((name, truth, columns))
        else:
            low, high = self.possible(int(display.replace(",", "")))
        self.rows.append((columns, low, high))

    def possible(self, shown: int) -> tuple[int, int]:
        """The true counts that can be shown as ``shown``: ``n`` with |shown - n| <= min(n, max_noise)."""
        if shown <= 2 * self.max_noise:
            return (shown + 1) // 2, shown + self.max_noise
        return shown - self.max_noise, shown + self.max_noise

    def attack(self, enough: float = math.inf) -> list[Finding]:
        """The range of every withheld figure. Every solution found is a witness: the value it gives
        each withheld figure is possible. A figure seen in two solutions at least ``enough`` apart
        is not narrowed further (``Finding.exact`` False): its range is at least that wide."""
        n = len(self.cells)
        matrix = self._sums([columns for columns, _, _ in self.rows], n)
        withheld = self._sums([columns for _, _, columns in self.withheld], n)
        lows = np.array([low for _, low, _ in self.rows], dtype=float)
        highs = np.array([high for _, _, high in self.rows], dtype=float)
        constraints = [LinearConstraint(matrix, lows, highs)]
        bounds = Bounds(np.zeros(n), np.full(n, np.inf))
        seen_low = np.full(len(self.withheld), np.inf)
        seen_high = np.full(len(self.withheld), -np.inf)

        def extreme(columns: list[int], sign: float) -> float:
            nonlocal seen_low, seen_high
            objective = np.zeros(n)
            objective[columns] = sign
            result = milp(objective, constraints=constraints, bounds=bounds, integrality=np.ones(n))
            assert result.status == 0, f"the published figures have no solution: {result.message}"
            values = withheld @ np.round(result.x)
            seen_low, seen_high = np.minimum(seen_low, values), np.maximum(seen_high, values)
            return round(sign * result.fun)

        findings = []
        for k, (name, truth, columns) in enumerate(self.withheld):
            if seen_high[k] - seen_low[k] >= enough:
                findings.append(Finding(name, truth, seen_low[k], seen_high[k], exact=False))
                continue
            low = extreme(columns, 1.0)
            if seen_high[k] - low >= enough:
                findings.append(Finding(name, truth, low, seen_high[k], exact=False))
                continue
            findings.append(Finding(name, truth, low, extreme(columns, -1.0)))
        return findings

    @staticmethod
    def _sums(members: list[list[int]], n: int) -> csr_array:
        """One row per figure: a 1 in the column of each finest cell it adds up."""
        rows = [r for r, columns in enumerate(members) for _ in columns]
        cols = [c for columns in members for c in columns]
        return csr_array((np.ones(len(cols)), (rows, cols)), shape=(len(members), n))
