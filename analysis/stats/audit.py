"""An integer-programming audit of published figures, and suppression extended until it passes.

A reader who knows how published tables add up (rows to totals, answers to bases, breakdowns to
the same overall figures) can treat every withheld cell as an unknown whole number at least zero
and ask a solver for its smallest and largest possible value. ``Published`` holds that reader's
view: every figure (withheld or shown, with its true value), every sum that ties figures together,
and what else the reader may know (an upper bound such as a group's size). ``ranges_of`` is
the attack: for each withheld figure, its range over all non-negative integer solutions,
found with HiGHS (the copy inside SciPy that ``scipy.optimize.milp`` uses). ``extend_suppression``
withholds further figures until no withheld figure's range is narrower than ``min_width``: a
hidden count of 3 whose range is 0 to 12 says little; one whose range is 2 to 4 says almost
everything.

Sums only tie together the withheld figures of one "component" (figures joined by a sum with more
than one withheld figure in it); each component is solved alone. Every solution found widens the
known range of every figure in it, so most figures need no solve of their own.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize._highspy import _core as _highs
from scipy.sparse import csc_array


@dataclass
class Published:
    """Figures a reader sees (or sees withheld) and the sums that tie them together."""

    keys: list[Hashable] = field(default_factory=list)
    values: list[int] = field(default_factory=list)
    hidden: list[bool] = field(default_factory=list)
    #: False for a figure that is implied but never printed (it can be neither shown nor chosen to hide)
    printed: list[bool] = field(default_factory=list)
    #: order in which figures are chosen to be withheld for others' sake: lowest first
    cost: list[tuple] = field(default_factory=list)
    #: withheld for its own sake (a small count), so never shown even when its value is known
    small: list[bool] = field(default_factory=list)
    upper: list[float] = field(default_factory=list)
    equations: list[tuple[int, tuple[int, ...]]] = field(default_factory=list)
    _index: dict[Hashable, int] = field(default_factory=dict)

    def figure(
        self,
        key: Hashable,
        value: int,
        *,
        hidden: bool,
        printed: bool = True,
        cost: tuple = (),
        upper: float = math.inf,
        small: bool = False,
    ) -> int:
        """The figure ``key`` (added the first time; later calls may only tighten what is known)."""
        if key in self._index:
            at = self._index[key]
            if self.values[at] != value:
                raise ValueError(f"figure {key!r} has two values: {self.values[at]} and {value}")
            self.hidden[at] = self.hidden[at] or hidden
            self.upper[at] = min(self.upper[at], upper)
            self.small[at] = self.small[at] or small
            return at
        self._index[key] = len(self.keys)
        self.keys.append(key)
        self.values.append(int(value))
        self.hidden.append(bool(hidden) or not printed)
        self.printed.append(printed)
        self.cost.append(cost)
        self.upper.append(upper)
        self.small.append(small)
        return len(self.keys) - 1

    def total(self, total: int, parts: Iterable[int]) -> None:
        """Say that figure ``total`` is the sum of figures ``parts``."""
        self.equations.append((total, tuple(parts)))

    def is_hidden(self, key: Hashable) -> bool:
        return self.hidden[self._index[key]]

    def check(self) -> None:
        values = self.values
        for total, parts in self.equations:
            if values[total] != sum(values[p] for p in parts):
                raise ValueError(f"figure {self.keys[total]!r} is not the sum of its parts")


@dataclass(frozen=True)
class Range:
    key: Hashable
    value: int
    low: float
    high: float

    @property
    def width(self) -> float:
        return self.high - self.low


def _components(published: Published) -> list[list[int]]:
    """Withheld figures joined by sums that hold more than one of them (union-find)."""
    parent = list(range(len(published.keys)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for total, parts in published.equations:
        members = [m for m in (total, *parts) if published.hidden[m]]
        for other in members[1:]:
            parent[find(other)] = find(members[0])
    groups: dict[int, list[int]] = {}
    for i, hidden in enumerate(published.hidden):
        if hidden:
            groups.setdefault(find(i), []).append(i)
    return list(groups.values())


class _Component:
    """The sums restricted to one component's withheld figures, loaded once into HiGHS.

    Each question asked of a component changes only the objective, so HiGHS starts from the last
    answer's basis: a solve takes a fraction of a millisecond. The sums form a network-like system
    whose linear-programming optima are almost always whole numbers; one that is not is solved
    again as an integer programme, so every solution used is a real integer solution and the
    ranges are those an integer-programming reader finds.
    """

    def __init__(
        self,
        published: Published,
        members: Sequence[int],
        fixed: Iterable[int] = (),
        seen: tuple[np.ndarray, np.ndarray] | None = None,
    ):
        self.members = list(members)
        self.position = position = {m: k for k, m in enumerate(self.members)}
        rows, cols, data, rhs = [], [], [], []
        for total, parts in published.equations:
            terms = [(total, -1.0)] + [(p, 1.0) for p in parts]
            if not any(m in position for m, _ in terms):
                continue
            constant = 0.0
            for m, coefficient in terms:
                if m in position:
                    rows.append(len(rhs))
                    cols.append(position[m])
                    data.append(coefficient)
                else:
                    constant += coefficient * published.values[m]
            rhs.append(-constant)
        n = len(self.members)
        self.truth = np.array([published.values[m] for m in self.members], dtype=float)
        #: the lowest and highest value of each member in the solutions found so far: ``seen`` (the
        #: lowest and highest of every figure, from solutions of a system this one relaxes) if given
        seen_low, seen_high = seen if seen is not None else (published.values, published.values)
        self.low = np.array([seen_low[m] for m in self.members], dtype=float)
        self.high = np.array([seen_high[m] for m in self.members], dtype=float)
        self.columns = np.arange(n, dtype=np.int32)
        upper = np.array([published.upper[m] for m in self.members], dtype=float)
        self.upper = np.where(np.isinf(upper), _highs.kHighsInf, upper)
        lower, upper = np.zeros(n), self.upper.copy()
        # A shown figure among the members is fixed at its value, until ``free`` says otherwise.
        for m in fixed:
            lower[position[m]] = upper[position[m]] = self.truth[position[m]]
        lp = _highs.HighsLp()
        lp.num_col_ = n
        lp.num_row_ = len(rhs)
        lp.col_cost_ = np.zeros(n)
        lp.col_lower_ = lower
        lp.col_upper_ = upper
        lp.row_lower_ = np.array(rhs, dtype=float)
        lp.row_upper_ = np.array(rhs, dtype=float)
        matrix = csc_array((data, (rows, cols)), shape=(len(rhs), n))
        lp.a_matrix_.format_ = _highs.MatrixFormat.kColwise
        lp.a_matrix_.start_ = matrix.indptr
        lp.a_matrix_.index_ = matrix.indices
        lp.a_matrix_.value_ = matrix.data
        self.highs = _highs._Highs()
        self.highs.setOptionValue("output_flag", False)
        # Each solve after the first changes only the objective, so the last basis stays feasible:
        # primal simplex goes on from it, where presolve and dual simplex would start over.
        self.highs.setOptionValue("presolve", "off")
        self.highs.setOptionValue("simplex_strategy", 4)
        self.highs.passModel(lp)

    def free(self, member: int, free: bool = True) -> None:
        """Let a fixed member take any value a withheld figure may (or fix it again at its value)."""
        k = self.position[member]
        lower, upper = (0.0, self.upper[k]) if free else (self.truth[k], self.truth[k])
        self.highs.changeColsBounds(1, np.array([k], dtype=np.int32), np.array([lower]), np.array([upper]))
        if not free:
            # Solutions found while it was free need not hold now.
            self.low, self.high = self.truth.copy(), self.truth.copy()

    def _run(self) -> np.ndarray | None:
        self.highs.run()
        status = self.highs.getModelStatus()
        if status in (_highs.HighsModelStatus.kUnbounded, _highs.HighsModelStatus.kUnboundedOrInfeasible):
            return None
        if status != _highs.HighsModelStatus.kOptimal:
            raise RuntimeError(f"no solution for the published figures: {status}")
        return np.array(self.highs.getSolution().col_value)

    def solve(self, objective: np.ndarray) -> np.ndarray | None:
        """An integer solution minimising ``objective``; None when it is unbounded below."""
        n = len(self.members)
        self.highs.changeColsCost(n, self.columns, np.asarray(objective, dtype=float))
        solution = self._run()
        if solution is not None and np.abs(solution - np.round(solution)).max(initial=0) > 1e-6:
            integer, continuous = _highs.HighsVarType.kInteger, _highs.HighsVarType.kContinuous
            self.highs.changeColsIntegrality(n, self.columns, np.full(n, integer))
            self.highs.setOptionValue("presolve", "choose")
            solution = self._run()
            self.highs.setOptionValue("presolve", "off")
            self.highs.changeColsIntegrality(n, self.columns, np.full(n, continuous))
        return None if solution is None else np.round(solution)

    def ranges(self, want: float, only: Sequence[int] | None = None) -> dict[int, tuple[float, float]]:
        """Range of each member (or of ``only``); one already known to be ``want`` wide is not
        narrowed further. First, solutions that push all unsettled members up together, then all
        down: each widens the known range of many members at once, so most need no solve of their
        own. Solutions found by earlier calls count too."""
        n = len(self.members)
        low, high = self.low, self.high
        targets = np.arange(n) if only is None else np.array([self.position[m] for m in only], dtype=int)
        while True:
            unsettled = targets[high[targets] - low[targets] < want]
            if len(unsettled) < 2:
                break
            before = high[unsettled] - low[unsettled]
            for sign in (-1.0, 1.0):
                objective = np.zeros(n)
                objective[unsettled] = sign
                solution = self.solve(objective)
                if solution is not None:
                    low, high = np.minimum(low, solution), np.maximum(high, solution)
            if np.array_equal(before, high[unsettled] - low[unsettled]):
                break
        for k in targets:
            for sign in (-1.0, 1.0):
                if high[k] - low[k] >= want:
                    break
                objective = np.zeros(n)
                objective[k] = sign
                solution = self.solve(objective)
                if solution is None:
                    high[k] = math.inf
                    continue
                low, high = np.minimum(low, solution), np.maximum(high, solution)
        self.low, self.high = low, high
        return {self.members[k]: (low[k], high[k]) for k in targets}


def ranges_of(
    published: Published, keys: Sequence[Hashable], want: float = math.inf
) -> dict[Hashable, tuple[float, float]]:
    """The range of each figure in ``keys`` (withheld or never printed; a shown one is its value),
    exact unless known to be at least ``want`` wide."""
    wanted = {published._index[k] for k in keys}
    found: dict[Hashable, tuple[float, float]] = {}
    for members in _components(published):
        asked = [m for m in members if m in wanted]
        if asked:
            for m, limits in _Component(published, members).ranges(want, only=asked).items():
                found[published.keys[m]] = limits
    for k in keys:
        found.setdefault(k, (published.values[published._index[k]],) * 2)
    return found


def _candidates(published: Published, component: Sequence[int], exposed: int) -> list[int]:
    """Shown printed figures in a sum with a withheld figure of ``component``: first those in a sum
    with ``exposed`` itself, or with a never-printed figure that is in a sum with it; each lot
    cheapest first."""
    joined = set(component)
    close = {exposed}
    for total, parts in published.equations:
        members = (total, *parts)
        if exposed in members:
            close.update(m for m in members if not published.printed[m])
    near, far = set(), set()
    for total, parts in published.equations:
        members = (total, *parts)
        if joined.intersection(members):
            shown = {m for m in members if not published.hidden[m] and published.printed[m]}
            (near if close.intersection(members) else far).update(shown)
    cost = lambda c: (published.cost[c], c)  # noqa: E731
    return sorted(near, key=cost) + sorted(far - near, key=cost)


class _Trials:
    """Withholding each of ``candidates`` in turn, the range of ``exposed``: one model for all of
    them (its component, the candidates and what each would join), each candidate fixed at its value
    but while it is tried, so HiGHS starts each answer from the last one's."""

    def __init__(self, published: Published, exposed: int, candidates: Sequence[int]):
        self.exposed = exposed
        component_of = {m: c for c in _components(published) for m in c}
        tried = set(candidates)
        members = set(component_of[exposed]) | tried
        for total, parts in published.equations:
            figures = (total, *parts)
            if tried.intersection(figures):
                for m in figures:
                    members.update(component_of.get(m, ()))
        self.component = _Component(published, sorted(members), fixed=candidates)

    def width_if_hidden(self, candidates: Iterable[int], want: float) -> float:
        """The range width of ``exposed`` once ``candidates`` are withheld too (as ``ranges`` finds
        it: not narrowed further once known to be ``want`` wide)."""
        candidates = list(candidates)
        for candidate in candidates:
            self.component.free(candidate)
        try:
            low, high = self.component.ranges(want, only=[self.exposed])[self.exposed]
        finally:
            for candidate in candidates:
                self.component.free(candidate, free=False)
        return high - low

    def widening(self, candidates: Sequence[int], width: float, want: float, start: int = 0):
        """(position, candidate, width once it is withheld) of each of ``candidates`` whose withholding
        alone widens the range of ``exposed`` beyond ``width``, in order, tried as they are asked for.

        Withholding more only ever widens a range, so a block of candidates that, withheld together,
        leave it ``width`` wide holds none that widens it alone: one trial passes over the block.
        Few candidates widen a given figure, so most blocks are passed over whole."""
        found = self.width_if_hidden(candidates, want)
        if found == width:
            return
        if len(candidates) == 1:
            yield start, candidates[0], found
            return
        half = len(candidates) // 2
        yield from self.widening(candidates[:half], width, want, start)
        yield from self.widening(candidates[half:], width, want, start + half)


#: Candidates tried for each exposed figure before settling for the one that widens it most.
TRIALS = 10


def extend_suppression(published: Published, min_width: int) -> list[Range]:
    """Withhold further figures until every withheld printed figure's range is ``min_width`` wide.

    For the narrowest exposed figure of each component, the cheapest shown figure (by ``cost``)
    whose withholding makes it wide enough is withheld; if none of the first few does, the one
    that widens it most. Withholding a figure only ever widens the others' ranges, so a figure
    once found wide enough is not solved again. A figure withheld only for others' sake whose
    value the published figures fix anyway needs no range of its own, and is shown at the end:
    that tells nothing new and changes no other range. Returns the ranges that cannot be widened
    (none when the figures allow it).
    """
    published.check()
    wide: set[int] = set()
    # Withholding a figure only relaxes the sums, so every solution found stays a solution with the
    # figures withheld since at their values: the values seen stay possible, and a range found
    # exactly is a floor for that figure's width from then on.
    seen_low = np.array(published.values, dtype=float)
    seen_high = seen_low.copy()
    floor: dict[int, float] = {}
    while True:
        narrow: list[tuple[list[int], int, float]] = []
        for component in _components(published):
            targets = [m for m in component if published.printed[m] and m not in wide]
            if not targets:
                continue
            solver = _Component(published, component, seen=(seen_low, seen_high))
            worst = _narrowest(published, solver, targets, min_width, wide, floor)
            seen_low[solver.members], seen_high[solver.members] = solver.low, solver.high
            if worst is not None:
                narrow.append((component, worst[1], worst[0]))
        if not narrow:
            break
        unresolved = []
        for component, worst, width in narrow:
            choices = _candidates(published, component, worst)
            if not choices:
                unresolved.append(Range(published.keys[worst], published.values[worst], 0, width))
                continue
            # The cheapest that widens it enough; else, of the cheapest few (all of them when none
            # of those widens it at all), the one that widens it most.
            best, best_width = choices[0], width
            trials = _Trials(published, worst, choices)
            for tried, candidate, trial in trials.widening(choices, width, min_width):
                if tried >= TRIALS and best_width > width:
                    break
                if trial >= min_width:
                    best = candidate
                    break
                if trial > best_width:
                    best, best_width = candidate, trial
            published.hidden[best] = True
        if unresolved and len(unresolved) == len(narrow):
            return unresolved
    _show_fixed(published)
    return []


def _narrowest(
    published: Published,
    solver: _Component,
    targets: Sequence[int],
    want: float,
    wide: set[int],
    floor: dict[int, float],
) -> tuple[float, int] | None:
    """(width, figure) of the narrowest exposed figure among ``targets`` (fewest first on a tie),
    or None. Figures never solved before are solved together; the others one by one, narrowest
    floor first, until no floor left is below the narrowest found: those cannot be narrower."""
    fresh = [m for m in targets if m not in floor]
    found = solver.ranges(want, only=fresh) if fresh else {}
    rest = sorted((floor[m], m) for m in targets if m in floor)
    worst: tuple[float, int] | None = None

    def judge(m: int, low: float, high: float) -> None:
        nonlocal worst
        if high - low >= want:
            wide.add(m)
            return
        floor[m] = high - low
        if (low < high or published.small[m]) and (worst is None or (high - low, m) < worst):
            worst = (high - low, m)

    for m, (low, high) in found.items():
        judge(m, low, high)
    for width, m in rest:
        if worst is not None and (width, m) > worst:
            break
        judge(m, *solver.ranges(want, only=[m])[m])
    return worst


def _show_fixed(published: Published) -> None:
    """Show every withheld figure that is not small and that the published figures fix."""
    for component in _components(published):
        asked = [m for m in component if published.printed[m] and not published.small[m]]
        if not asked:
            continue
        for m, (low, high) in _Component(published, component).ranges(1, only=asked).items():
            if low == high:
                published.hidden[m] = False
