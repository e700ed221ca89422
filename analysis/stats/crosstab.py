"""Crosstabs of survey items by breakdown variables, with intervals and disclosure control.

Input is a tidy DataFrame with one row per response: one column per single-choice item (holding
the answer's stable key), one boolean column per option of a multi-choice item, and one column per
breakdown variable (age band, district, deprivation decile or quintile, language, channel, wave).

Every table of one item contains every respondent who answered it: a missing breakdown value is a
group of its own (``not_known``) rather than being dropped, so all breakdowns of an item publish the
same totals and are protected together. Otherwise differences between the "all respondents" figures
of two breakdowns would reveal the dropped respondents' answers.

Results come back in long form (one row per group and outcome) with the true figures, flags saying
what may be published, and display strings that are safe to publish.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from analysis.stats.audit import Published, extend_suppression, ranges_of
from analysis.stats.disclosure import (
    TOTAL,
    DisclosureRules,
    LinkedTable,
    ProtectedTable,
    display_counts,
    perturb_table,
    protect_linked,
)
from analysis.stats.perturbation import RECORD_KEY
from analysis.stats.proportions import wilson_intervals

#: Answer keys left out of percentage bases unless an item says otherwise.
DEFAULT_EXCLUDED = frozenset({"dont_know", "prefer_not_to_say"})
#: Group for respondents whose breakdown value is missing.
NOT_KNOWN = "not_known"
#: Group for breakdown values with too few respondents to be shown alone, combined.
POOLED = "pooled"
#: The row of a multiple-choice item's counts that holds those who ticked any counted option.
ANY_OPTION = "(any option)"

#: Keys of a single-choice crosstab's tables: answers in the base, and answers left out of it.
COUNTED = "counted"
EXCLUDED = "excluded"
CHOSEN = "chosen"
NOT_CHOSEN = "not_chosen"


@dataclass(frozen=True)
class SingleChoiceItem:
    """A single-choice question: its column, answer keys in scale order and collapsed outcomes.

    ``outcomes`` maps a name to a set of answers counted together, e.g.
    ``{"unsafe": {"a_bit_unsafe", "very_unsafe"}}``. Answers in ``excluded`` are counted but left out
    of the base of every percentage; pass an empty set to keep them in. Missing answers are left
    out of the table altogether unless ``missing_as`` names an answer key to count them as (e.g. a
    ``not_answered`` key listed in ``answers``, and in ``excluded`` or not).
    """

    id: str
    answers: tuple[str, ...]
    outcomes: Mapping[str, frozenset[str]] = field(default_factory=dict)
    excluded: frozenset[str] = DEFAULT_EXCLUDED
    missing_as: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "answers", tuple(self.answers))
        object.__setattr__(self, "outcomes", {k: frozenset(v) for k, v in self.outcomes.items()})
        object.__setattr__(self, "excluded", frozenset(self.excluded))
        if len(set(self.answers)) != len(self.answers):
            raise ValueError(f"{self.id}: answers repeat")
        if self.missing_as is not None and self.missing_as not in self.answers:
            raise ValueError(f"{self.id}: missing_as {self.missing_as!r} is not an answer")
        for name, members in self.outcomes.items():
            if name in self.answers:
                raise ValueError(f"{self.id}: outcome {name!r} has the same name as an answer")
            if not members or not members <= set(self.answers) - self.excluded:
                raise ValueError(f"{self.id}: outcome {name!r} must be a non-empty set of counted answers")

    @property
    def counted(self) -> list[str]:
        """Answers that make up the base of percentages."""
        return [a for a in self.answers if a not in self.excluded]


@dataclass(frozen=True)
class MultiChoiceItem:
    """A multi-choice question stored as one boolean column per option.

    The base is the respondents who ticked at least one option (an item offers "None of these" so
    that ticking nothing means not answering); each option is reported as the percentage of them
    who ticked it. Options in ``excluded`` ("Prefer not to say") are not answers: someone who
    ticked only them is left out of the base, and they get no row.
    """

    id: str
    options: tuple[str, ...]
    excluded: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        object.__setattr__(self, "options", tuple(self.options))
        object.__setattr__(self, "excluded", frozenset(self.excluded))
        if not self.excluded <= set(self.options):
            raise ValueError(
                f"{self.id}: excluded options {sorted(self.excluded - set(self.options))} are not options"
            )

    @property
    def counted(self) -> tuple[str, ...]:
        """Options reported, whose ticks put a respondent in the base."""
        return tuple(o for o in self.options if o not in self.excluded)


Item = SingleChoiceItem | MultiChoiceItem


@dataclass(frozen=True)
class Crosstab:
    """One item by one breakdown.

    ``cells`` has one row per group (the breakdown's values, then ``Total``) and outcome, with
    columns ``item, breakdown, group, outcome, kind, count, base, percent, ci_low, ci_high,
    count_suppressed, percent_publishable, count_display, base_display, percent_display``.
    ``kind`` is ``answer``, ``excluded`` (an answer left out of the base), ``outcome`` (a collapsed
    outcome) or ``option`` (a multi-choice option). Numbers are true values; use the flags or
    ``publishable()`` before quoting any of them.

    ``tables`` holds the protected count tables. A multi-choice item has one per option (rows
    ``chosen``, ``not_chosen``; its totals row is the base). A single-choice item has ``counted``,
    the answers in the base, whose totals row is the base, and ``excluded`` for the answers left
    out of it, if there are any. Keeping them apart means that protecting a small "Prefer not to
    say" count never needs to hide a base.
    """

    item: str
    breakdown: str
    cells: pd.DataFrame
    tables: Mapping[str, ProtectedTable]

    def publishable(self) -> pd.DataFrame:
        """``cells`` with every figure that may not be published set to NaN."""
        cells = self.cells.copy()
        cells["count"] = cells["count"].where(~cells["count_suppressed"])
        for column in ("percent", "ci_low", "ci_high"):
            cells[column] = cells[column].where(cells["percent_publishable"])
        return cells

    def wide(self, value: str = "percent_display") -> pd.DataFrame:
        """Outcomes by groups, e.g. for a report table of display strings."""
        return self.cells.pivot(index="outcome", columns="group", values=value).reindex(
            index=self.cells["outcome"].unique(), columns=self.cells["group"].unique()
        )


@dataclass
class _Codes:
    """A column as integer codes into its category list; -1 for missing."""

    codes: np.ndarray
    categories: list[Hashable]


def _encode(column: pd.Series, categories: Sequence[Hashable] | None = None) -> _Codes:
    if categories is None:
        if isinstance(column.dtype, pd.CategoricalDtype):
            categories = list(column.cat.categories)
        else:
            categories = sorted(column.dropna().unique().tolist())
    index = pd.Index(categories)
    if isinstance(column.dtype, pd.CategoricalDtype):
        # Look up the few categories rather than every row.
        lookup = np.append(index.get_indexer(column.cat.categories), -1)
        codes = lookup[column.cat.codes.to_numpy()]
    else:
        codes = index.get_indexer(column)
    return _Codes(codes.astype(np.int64), list(categories))


def _encode_breakdown(column: pd.Series, min_size: int) -> _Codes:
    encoded = _encode(column)
    missing = encoded.codes < 0
    if missing.any():
        encoded.codes[missing] = len(encoded.categories)
        encoded.categories.append(NOT_KNOWN)
    return _pool_small_groups(encoded, min_size)


def _pool_small_groups(encoded: _Codes, min_size: int) -> _Codes:
    """Groups of fewer than ``min_size`` people combined into one ``POOLED`` group.

    A group that small has no percentages anyway, and every count in it is below its size, which a
    reader can learn from other tables: no amount of suppression would leave its counts uncertain
    enough. While the combined group is itself too small, the smallest other group ("not known"
    first) joins it.
    """
    sizes = np.bincount(encoded.codes, minlength=len(encoded.categories))
    lookup, categories = _pooling(encoded.categories, sizes, min_size)
    return _Codes(lookup[encoded.codes], categories)


def _pooling(
    categories: list[Hashable], sizes: np.ndarray, min_size: int
) -> tuple[np.ndarray, list[Hashable]]:
    """For groups of ``sizes`` people: the group each ends up in (an index into the returned
    groups) once small ones are combined into ``POOLED`` (see ``_pool_small_groups``)."""
    pooled = {k for k, size in enumerate(sizes) if 0 < size < min_size}
    if not pooled:
        return np.arange(len(sizes), dtype=np.int64), list(categories)
    rest = sorted(
        (k for k in range(len(sizes)) if k not in pooled and sizes[k]),
        key=lambda k: (categories[k] != NOT_KNOWN, sizes[k]),
    )
    while sizes[list(pooled)].sum() < min_size and rest:
        pooled.add(rest.pop(0))
    kept = [k for k in range(len(sizes)) if k not in pooled]
    lookup = np.full(len(sizes), len(kept), dtype=np.int64)
    lookup[kept] = np.arange(len(kept))
    return lookup, [categories[k] for k in kept] + [POOLED]


def breakdown_groups(
    sizes: Mapping[Hashable | None, int], min_size: int
) -> tuple[dict[Hashable | None, Hashable], list[Hashable]]:
    """A breakdown's groups as ``crosstab_set`` makes them from a column, given how many responses
    have each value instead (a database's GROUP BY): ``sizes`` in table order (a categorical's
    order, else sorted), ``None`` for responses without a value, which become ``not_known``; small
    groups combined. Returns each value's group and the groups in order."""
    values = list(sizes)
    categories = [v for v in values if v is not None]
    if None in sizes:
        categories.append(NOT_KNOWN)
    counts = np.array([sizes[None if c == NOT_KNOWN else c] for c in categories], dtype=np.int64)
    lookup, groups = _pooling(categories, counts, min_size)
    return {v: groups[lookup[categories.index(NOT_KNOWN if v is None else v)]] for v in values}, groups


def _encode_answers(column: pd.Series, item: SingleChoiceItem) -> _Codes:
    encoded = _encode(column, item.answers)
    unknown = (encoded.codes < 0) & column.notna().to_numpy()
    if unknown.any():
        strays = sorted(map(str, column[unknown].unique()))
        raise ValueError(f"{item.id}: answers not in the item's answer list: {strays}")
    return encoded


def _count(
    rows: np.ndarray, n_rows: int, groups: _Codes, keep: np.ndarray, weights: np.ndarray | None = None
) -> np.ndarray:
    """People per (row, group); with ``weights`` (record keys), their sum per cell instead: the
    cells' keys."""
    n_groups = len(groups.categories)
    flat = rows[keep] * n_groups + groups.codes[keep]
    kept = None if weights is None else weights[keep]
    counts = np.bincount(flat, weights=kept, minlength=n_rows * n_groups).astype(np.int64)
    return counts.reshape(n_rows, n_groups)


def _percent_display(
    percent: np.ndarray,
    count_suppressed: np.ndarray,
    base: np.ndarray,
    base_hidden: np.ndarray,
    rules: DisclosureRules,
    decimals: int,
) -> np.ndarray:
    # Round half up, as readers of UK statistics expect (Python's format would show 32.5 as 32).
    scale = 10**decimals
    rounded = np.floor(np.nan_to_num(percent) * scale + 0.5) / scale
    shown = np.array([f"{p:.{decimals}f}%" for p in rounded], dtype=object)
    shown[(base < rules.min_base) | (base == 0)] = rules.low_base_symbol
    shown[count_suppressed | base_hidden] = rules.suppressed_symbol
    return shown


def _rows(
    *,
    item: str,
    breakdown: str,
    outcome: str,
    kind: str,
    groups: list[Hashable],
    count: np.ndarray,
    count_hidden: np.ndarray,
    count_display: np.ndarray,
    base: np.ndarray,
    base_hidden: np.ndarray,
    base_display: np.ndarray,
    rules: DisclosureRules,
    confidence: float,
    decimals: int,
) -> dict[str, np.ndarray]:
    """The cells of one answer, option or outcome by group, as columns (``_cells`` joins them)."""
    low, high = wilson_intervals(count, base, confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        percent = 100 * count / base
    publishable = ~count_hidden & ~base_hidden & (base >= rules.min_base) & (base > 0)
    percent_display = _percent_display(percent, count_hidden, base, base_hidden, rules, decimals)
    size = len(groups)
    named = np.fromiter(groups, dtype=object, count=size)

    def same(value: str) -> np.ndarray:
        return np.full(size, value, dtype=object)

    return {
        "item": same(item),
        "breakdown": same(breakdown),
        "group": named,
        "outcome": same(outcome),
        "kind": same(kind),
        "count": np.asarray(count).astype(np.int64),
        "base": np.asarray(base).astype(np.int64),
        "percent": np.asarray(percent, dtype=float),
        "ci_low": 100 * low,
        "ci_high": 100 * high,
        "count_suppressed": np.asarray(count_hidden),
        "percent_publishable": np.asarray(publishable),
        "count_display": np.asarray(count_display, dtype=object),
        "base_display": np.asarray(base_display, dtype=object),
        "percent_display": percent_display,
    }


def _cells(parts: Sequence[dict[str, np.ndarray]]) -> pd.DataFrame:
    """One table of the cells of ``parts`` (``_rows``), in their order: one frame made once."""
    return pd.DataFrame({column: np.concatenate([part[column] for part in parts]) for column in parts[0]})


@dataclass(frozen=True)
class _Figures:
    """One figure per group (``Total`` last), such as how many answered the question at all (the
    base of the shares of "Don't know" and "Prefer not to say") or a collapsed outcome's count."""

    count: np.ndarray
    hidden: np.ndarray
    display: np.ndarray


def _derived_sum(
    table: ProtectedTable, members: Sequence[str], rules: DisclosureRules, determined: np.ndarray
) -> _Figures:
    """A sum of answer rows (a collapsed outcome): shown where it tells nothing new (``determined``
    says where the published figures already fix it)."""
    interior = table.counts.iloc[:-1]
    count = interior.loc[list(members)].sum(axis=0).to_numpy()
    safe = table.sum_is_publishable(members).to_numpy() | determined
    hidden = ~safe | rules.is_small(count)
    return _Figures(count, hidden, display_counts(count, hidden, rules))


def _single_choice_cells(
    item: SingleChoiceItem,
    breakdown: str,
    tables: Mapping[str, ProtectedTable],
    everyone: _Figures | None,
    outcomes: Mapping[str, _Figures],
    rules: DisclosureRules,
    confidence: float,
    decimals: int,
) -> pd.DataFrame:
    """Rows of every answer and outcome. Answers in the base are shares of the base; answers left out
    of it are shares of everyone who answered (``everyone``), so a reader sees how many did not know
    or preferred not to say. ``outcomes`` holds each collapsed outcome's figures."""
    counted = tables[COUNTED]
    common = {
        "item": item.id,
        "breakdown": breakdown,
        "groups": list(counted.counts.columns),
        "rules": rules,
        "confidence": confidence,
        "decimals": decimals,
    }
    in_base = {
        "base": counted.counts.loc[TOTAL].to_numpy(),
        "base_hidden": counted.suppressed.loc[TOTAL].to_numpy(),
        "base_display": counted.display.loc[TOTAL].to_numpy(),
    }
    parts = []
    for answer in item.answers:
        role = EXCLUDED if answer in item.excluded else COUNTED
        table = tables[role]
        base = (
            in_base
            if role == COUNTED
            else {
                "base": everyone.count,
                "base_hidden": everyone.hidden,
                "base_display": everyone.display,
            }
        )
        parts.append(
            _rows(
                outcome=answer,
                kind="excluded" if role == EXCLUDED else "answer",
                count=table.counts.loc[answer].to_numpy(),
                count_hidden=table.suppressed.loc[answer].to_numpy(),
                count_display=table.display.loc[answer].to_numpy(),
                **base,
                **common,
            )
        )
    for name, figures in outcomes.items():
        parts.append(
            _rows(
                outcome=name,
                kind="outcome",
                count=figures.count,
                count_hidden=figures.hidden,
                count_display=figures.display,
                **in_base,
                **common,
            )
        )
    return _cells(parts)


def _option_cells(
    item: MultiChoiceItem,
    option: str,
    breakdown: str,
    table: ProtectedTable,
    rules: DisclosureRules,
    confidence: float,
    decimals: int,
) -> dict[str, np.ndarray]:
    return _rows(
        item=item.id,
        breakdown=breakdown,
        outcome=option,
        kind="option",
        groups=list(table.counts.columns),
        count=table.counts.loc[CHOSEN].to_numpy(),
        count_hidden=table.suppressed.loc[CHOSEN].to_numpy(),
        count_display=table.display.loc[CHOSEN].to_numpy(),
        base=table.counts.loc[TOTAL].to_numpy(),
        base_hidden=table.suppressed.loc[TOTAL].to_numpy(),
        base_display=table.display.loc[TOTAL].to_numpy(),
        rules=rules,
        confidence=confidence,
        decimals=decimals,
    )


#: Keys of figures in the audit: an answer or option count, a base, all who answered, and sums
#: that are implied but never printed.
ANSWER, BASE, ANSWERED, EXCLUDED_SUM, OUTCOME = ("answer", "base", "answered", "excluded_sum", "outcome")


class _Audit:
    """Every figure an item's tables publish, by every breakdown, for ``analysis.stats.audit``.

    Figures of the ``Total`` column are the same figures in every breakdown, so one key each; a
    breakdown with a single group repeats ``Total`` in that group.
    """

    def __init__(self, rules: DisclosureRules, sizes: Mapping[str, np.ndarray]):
        self.rules = rules
        self.sizes = sizes
        self.published = Published()

    def key(self, kind: str, row: Hashable, breakdown: str, column: Hashable) -> tuple:
        if column == TOTAL or len(self.sizes[breakdown]) == 1:
            return (kind, row, TOTAL)
        return (kind, row, breakdown, column)

    def size(self, breakdown: str, k: int, column: Hashable) -> int:
        """How many people are in a group (everyone, for ``Total``): a reader can know it."""
        sizes = self.sizes[breakdown]
        return int(sizes.sum() if column == TOTAL else sizes[k])

    def grid(
        self,
        table: ProtectedTable,
        breakdown: str,
        kinds: Mapping[Hashable, str],
        printed: Mapping[Hashable, bool],
        row_names: Mapping[Hashable, Hashable],
    ) -> None:
        """Add ``table``'s cells and the sums along its rows and columns. Interior counts are
        withheld for others' sake before totals; bases last, as they hide whole percentages."""
        counts, hidden = table.counts, table.suppressed
        one_group = len(self.sizes[breakdown]) == 1
        for r in counts.index:
            keys = []
            for k, c in enumerate(counts.columns):
                value = int(counts.at[r, c])
                keys.append(
                    self.published.figure(
                        self.key(kinds[r], row_names[r], breakdown, c),
                        value,
                        hidden=bool(hidden.at[r, c]),
                        printed=printed[r],
                        upper=self.size(breakdown, k, c) if kinds[r] == BASE else math.inf,
                        cost=(value == 0, 2 * (c == TOTAL or r == TOTAL), value),
                        small=bool(self.rules.is_small(np.array(value))),
                    )
                )
            if not one_group:
                self.published.total(keys[-1], keys[:-1])
        for c in counts.columns:
            index = self.published._index
            keys = [index[self.key(kinds[r], row_names[r], breakdown, c)] for r in counts.index]
            self.published.total(keys[-1], keys[:-1])

    def answered(self, breakdown: str, counted: ProtectedTable, excluded: ProtectedTable) -> None:
        """All who answered: the base plus the answers left out of it, in every group."""
        keys = []
        for k, c in enumerate(counted.counts.columns):
            base = int(counted.counts.at[TOTAL, c])
            value = base + int(excluded.counts.at[TOTAL, c])
            at = self.published.figure(
                self.key(ANSWERED, None, breakdown, c),
                value,
                hidden=bool(self.rules.is_small(np.array(value))),
                small=bool(self.rules.is_small(np.array(value))),
                upper=self.size(breakdown, k, c),
                cost=(value == 0, 1 + (c == TOTAL), value),
            )
            parts = [self.key(BASE, None, breakdown, c), self.key(EXCLUDED_SUM, None, breakdown, c)]
            self.published.total(at, [self.published._index[p] for p in parts])
            keys.append(at)
            # A withheld excluded count: the base and the number who answered would give the
            # excluded answers' sum, so the latter is withheld too. Everyone in the group who is not
            # in the base gave an excluded answer or none, and a reader knows the group's size, so
            # when that slack is small the base is withheld as well.
            if not excluded.suppressed[c].iloc[:-1].any():
                continue
            self.published.hidden[at] = True
            if self.size(breakdown, k, c) - base < self.rules.min_count:
                self.published.hidden[self.published._index[self.key(BASE, None, breakdown, c)]] = True
        if len(self.sizes[breakdown]) > 1:
            self.published.total(keys[-1], keys[:-1])

    def outcomes(
        self, breakdown: str, counted: ProtectedTable, outcomes: Mapping[str, frozenset[str]]
    ) -> None:
        """Collapsed outcomes: never printed as figures of their own, but kept to learn which of
        them the published figures fix anyway (those may then be shown)."""
        for name, members in outcomes.items():
            for c in counted.counts.columns:
                parts = [self.published._index[self.key(ANSWER, a, breakdown, c)] for a in members]
                value = int(counted.counts.loc[list(members), c].sum())
                at = self.published.figure(
                    self.key(OUTCOME, name, breakdown, c), value, hidden=True, printed=False
                )
                self.published.total(at, parts)

    def determined(
        self, breakdown: str, columns: Sequence[Hashable], names: Sequence[str]
    ) -> dict[str, np.ndarray]:
        """Per collapsed outcome and group: do the published figures fix it?"""
        keys = {name: [self.key(OUTCOME, name, breakdown, c) for c in columns] for name in names}
        limits = ranges_of(self.published, [k for ks in keys.values() for k in ks], want=1)
        return {name: np.array([limits[k][0] == limits[k][1] for k in ks]) for name, ks in keys.items()}

    def extend(self) -> None:
        """Withhold until the audit passes. What it cannot widen has every figure tied to it
        withheld already: only data so few that their number alone says too much (groups under
        ``min_base`` are combined, so a whole survey of a handful) gets there."""
        extend_suppression(self.published, self.rules.min_count)

    def protected(
        self,
        table: ProtectedTable,
        breakdown: str,
        kinds: Mapping[Hashable, str],
        row_names: Mapping[Hashable, Hashable],
    ) -> ProtectedTable:
        """``table`` with the cells the audit withholds."""
        rows, columns = table.counts.index, table.counts.columns
        hidden = [
            [self.published.is_hidden(self.key(kinds[r], row_names[r], breakdown, c)) for c in columns]
            for r in rows
        ]
        mask = pd.DataFrame(hidden, index=rows, columns=columns)
        display = display_counts(table.counts.to_numpy(), mask.to_numpy(), self.rules)
        return replace(table, suppressed=mask, display=pd.DataFrame(display, index=rows, columns=columns))

    def answered_figures(self, breakdown: str, columns: Sequence[Hashable]) -> _Figures:
        keys = [self.key(ANSWERED, None, breakdown, c) for c in columns]
        count = np.array([self.published.values[self.published._index[k]] for k in keys], dtype=np.int64)
        hidden = np.array([self.published.is_hidden(k) for k in keys])
        return _Figures(count, hidden, display_counts(count, hidden, self.rules))


def _group_sizes(breakdowns: Mapping[str, _Codes]) -> dict[str, np.ndarray]:
    return {name: np.bincount(g.codes, minlength=len(g.categories)) for name, g in breakdowns.items()}


@dataclass(frozen=True)
class _Answers:
    """A single-choice item's answers as codes, who answered, and its rows by role (answers in the
    base, and answers left out of it, if any)."""

    codes: np.ndarray
    answered: np.ndarray
    roles: Mapping[str, list[str]]

    @classmethod
    def of(cls, responses: pd.DataFrame, item: SingleChoiceItem) -> _Answers:
        column = responses[item.id]
        encoded = _encode_answers(column if item.missing_as is None else column.fillna(item.missing_as), item)
        return cls(encoded.codes, encoded.codes >= 0, _roles(item))


def _roles(item: SingleChoiceItem) -> dict[str, list[str]]:
    """A single-choice item's answers by role: in the base, and left out of it (if any)."""
    roles = {COUNTED: item.counted, EXCLUDED: [a for a in item.answers if a in item.excluded]}
    return {role: rows for role, rows in roles.items() if rows}


#: Per breakdown: the protected tables by role, everyone who answered (if some answers are left out
#: of the base) and each collapsed outcome's figures.
_SingleChoiceFigures = tuple[dict[str, ProtectedTable], _Figures | None, dict[str, _Figures]]


def _audited_single_choice(
    item: SingleChoiceItem, answers: _Answers, breakdowns: Mapping[str, _Codes], rules: DisclosureRules
) -> dict[str, _SingleChoiceFigures]:
    """Exact counts, protected together across breakdowns and audited with integer programming."""
    roles = answers.roles
    linked = []
    for groups in breakdowns.values():
        counts = pd.DataFrame(
            _count(answers.codes, len(item.answers), groups, answers.answered),
            index=list(item.answers),
            columns=groups.categories,
        )
        linked += [
            LinkedTable(counts.loc[rows], total_column_key=(item.id, role)) for role, rows in roles.items()
        ]
    protected = iter(protect_linked(linked, rules))
    first = {name: {role: next(protected) for role in roles} for name in breakdowns}
    audit = _Audit(rules, _group_sizes(breakdowns))
    kinds = {
        role: {**dict.fromkeys(rows, ANSWER), TOTAL: BASE if role == COUNTED else EXCLUDED_SUM}
        for role, rows in roles.items()
    }
    names = {role: {**{r: r for r in rows}, TOTAL: None} for role, rows in roles.items()}
    for name, tables in first.items():
        for role, table in tables.items():
            printed = {r: kind != EXCLUDED_SUM for r, kind in kinds[role].items()}
            audit.grid(table, name, kinds[role], printed, names[role])
        if EXCLUDED in tables:
            audit.answered(name, tables[COUNTED], tables[EXCLUDED])
        audit.outcomes(name, tables[COUNTED], item.outcomes)
    audit.extend()
    figures = {}
    for name, tables in first.items():
        tables = {role: audit.protected(t, name, kinds[role], names[role]) for role, t in tables.items()}
        columns = tables[COUNTED].counts.columns
        everyone = audit.answered_figures(name, columns) if EXCLUDED in tables else None
        determined = audit.determined(name, columns, list(item.outcomes))
        outcomes = {
            outcome: _derived_sum(
                tables[COUNTED], [a for a in item.answers if a in members], rules, determined[outcome]
            )
            for outcome, members in item.outcomes.items()
        }
        figures[name] = (tables, everyone, outcomes)
    return figures


def _perturbed_sum(
    counts: pd.DataFrame,
    cell_keys: pd.DataFrame,
    rows: Sequence[str],
    rules: DisclosureRules,
    at_most: np.ndarray | None = None,
) -> _Figures:
    """A sum of rows (all who answered, a collapsed outcome) per group and for everyone, as a figure
    of its own: the cell key of its people, its own noise (but never above ``at_most``, its base),
    withheld if small."""
    count, keys = counts.loc[rows].sum(axis=0).to_numpy(), cell_keys.loc[rows].sum(axis=0).to_numpy()
    values = rules.published(np.append(count, count.sum()), np.append(keys, keys.sum()))
    if at_most is not None:
        values = np.minimum(values, at_most)
    hidden = rules.is_small(values)
    return _Figures(values, hidden, display_counts(values, hidden, rules))


def _perturbed_single_choice(
    item: SingleChoiceItem, counts: pd.DataFrame, cell_keys: pd.DataFrame, rules: DisclosureRules
) -> _SingleChoiceFigures:
    """Every figure of one breakdown (``counts`` and ``cell_keys``: answers by groups) with its own
    cell-key noise and small ones withheld; nothing else to protect."""
    roles = _roles(item)
    # Answers left out of the base are shares of everyone who answered: never more than they.
    everyone = None
    if EXCLUDED in roles:
        everyone = _perturbed_sum(counts, cell_keys, list(item.answers), rules)
    tables = {
        role: perturb_table(
            counts.loc[rows],
            cell_keys.loc[rows],
            rules,
            at_most=everyone.count if role == EXCLUDED else None,
        )
        for role, rows in roles.items()
    }
    base = tables[COUNTED].counts.loc[TOTAL].to_numpy()
    outcomes = {
        outcome: _perturbed_sum(counts, cell_keys, sorted(members), rules, at_most=base)
        for outcome, members in item.outcomes.items()
    }
    return tables, everyone, outcomes


def _single_choice_set(
    responses: pd.DataFrame,
    item: SingleChoiceItem,
    breakdowns: Mapping[str, _Codes],
    rules: DisclosureRules,
    confidence: float,
    decimals: int,
) -> list[Crosstab]:
    answers = _Answers.of(responses, item)
    if rules.perturbation is not None:
        keys = responses[RECORD_KEY].to_numpy(np.int64)
        results = []
        for name, groups in breakdowns.items():
            shape = {"index": list(item.answers), "columns": groups.categories}
            n = len(item.answers)
            counts = pd.DataFrame(_count(answers.codes, n, groups, answers.answered), **shape)
            cell_keys = pd.DataFrame(_count(answers.codes, n, groups, answers.answered, keys), **shape)
            results.append(perturbed_crosstab(item, name, counts, cell_keys, rules, confidence, decimals))
        return results
    figures = _audited_single_choice(item, answers, breakdowns, rules)
    results = []
    for name, (tables, everyone, outcomes) in figures.items():
        cells = _single_choice_cells(item, name, tables, everyone, outcomes, rules, confidence, decimals)
        results.append(Crosstab(item.id, name, cells, tables))
    return results


def _audited_options(
    item: MultiChoiceItem,
    ticks: np.ndarray,
    answered: np.ndarray,
    breakdowns: Mapping[str, _Codes],
    rules: DisclosureRules,
) -> dict[tuple[str, str], ProtectedTable]:
    """Per breakdown and option: exact counts, protected together and audited."""
    linked, keys = [], []
    for name, groups in breakdowns.items():
        for k, option in enumerate(item.counted):
            not_chosen = (~ticks[:, k]).astype(np.int64)
            counts = _count(not_chosen, 2, groups, answered)
            frame = pd.DataFrame(counts, index=[CHOSEN, NOT_CHOSEN], columns=groups.categories)
            linked.append(
                LinkedTable(frame, total_column_key=(item.id, option), total_row_key=(item.id, name))
            )
            keys.append((name, option))
    first = dict(zip(keys, protect_linked(linked, rules), strict=True))
    audit = _Audit(rules, _group_sizes(breakdowns))
    kinds = {CHOSEN: ANSWER, NOT_CHOSEN: "not_chosen", TOTAL: BASE}
    printed = {CHOSEN: True, NOT_CHOSEN: False, TOTAL: True}
    for (name, option), table in first.items():
        audit.grid(table, name, kinds, printed, {CHOSEN: option, NOT_CHOSEN: option, TOTAL: None})
    audit.extend()
    return {
        (name, option): audit.protected(table, name, kinds, {CHOSEN: option, NOT_CHOSEN: option, TOTAL: None})
        for (name, option), table in first.items()
    }


def _perturbed_options(
    item: MultiChoiceItem, counts: pd.DataFrame, cell_keys: pd.DataFrame, rules: DisclosureRules
) -> dict[str, ProtectedTable]:
    """Per option of one breakdown: every figure with its own cell-key noise. ``counts`` and
    ``cell_keys`` hold, by groups, who ticked each counted option and (``ANY_OPTION``) any."""
    tables = {}
    for option in item.counted:
        rows = [CHOSEN, NOT_CHOSEN]
        chosen, chosen_keys = counts.loc[option], cell_keys.loc[option]
        answered, answered_keys = counts.loc[ANY_OPTION], cell_keys.loc[ANY_OPTION]
        tables[option] = perturb_table(
            pd.DataFrame([chosen, answered - chosen], index=rows),
            pd.DataFrame([chosen_keys, answered_keys - chosen_keys], index=rows),
            rules,
        )
    return tables


def _multi_choice_set(
    responses: pd.DataFrame,
    item: MultiChoiceItem,
    breakdowns: Mapping[str, _Codes],
    rules: DisclosureRules,
    confidence: float,
    decimals: int,
) -> list[Crosstab]:
    ticks = responses[list(item.counted)].fillna(False).to_numpy(dtype=bool)
    answered = ticks.any(axis=1)
    if rules.perturbation is not None:
        keys = responses[RECORD_KEY].to_numpy(np.int64)
        # Who ticked each option, and who ticked any: one row each, as a database counts them.
        ticked = [*(ticks[:, k] for k in range(len(item.counted))), answered]
        nobody = np.zeros(len(ticks), dtype=np.int64)
        results = []
        for name, groups in breakdowns.items():
            shape = {"index": [*item.counted, ANY_OPTION], "columns": groups.categories}
            counts = pd.DataFrame([_count(nobody, 1, groups, t)[0] for t in ticked], **shape)
            cell_keys = pd.DataFrame([_count(nobody, 1, groups, t, keys)[0] for t in ticked], **shape)
            results.append(perturbed_crosstab(item, name, counts, cell_keys, rules, confidence, decimals))
        return results
    protected = _audited_options(item, ticks, answered, breakdowns, rules)
    return [
        _option_crosstab(
            item, name, {o: protected[name, o] for o in item.counted}, rules, confidence, decimals
        )
        for name in breakdowns
    ]


def _option_crosstab(
    item: MultiChoiceItem,
    breakdown: str,
    tables: Mapping[str, ProtectedTable],
    rules: DisclosureRules,
    confidence: float,
    decimals: int,
) -> Crosstab:
    cells = _cells(
        [_option_cells(item, o, breakdown, t, rules, confidence, decimals) for o, t in tables.items()]
    )
    return Crosstab(item.id, breakdown, cells, tables)


def perturbed_crosstab(
    item: Item,
    breakdown: str,
    counts: pd.DataFrame,
    cell_keys: pd.DataFrame,
    rules: DisclosureRules,
    confidence: float = 0.95,
    decimals: int = 0,
) -> Crosstab:
    """One item by one breakdown under cell-key perturbation (``rules.perturbation``), from counts
    made elsewhere, such as a database's GROUP BY: the same crosstab ``crosstab_set`` makes from
    the responses of those counts. ``counts`` and ``cell_keys`` (the sums of the people's record
    keys) have one column per group, as ``breakdown_groups`` names and orders them, and one row per
    answer of a single-choice item, or per counted option of a multiple-choice item and
    ``ANY_OPTION`` (those who ticked any of them); a missing row counts nobody."""
    if isinstance(item, MultiChoiceItem):
        rows = [*item.counted, ANY_OPTION]
        counts, cell_keys = (f.reindex(rows, fill_value=0).astype(np.int64) for f in (counts, cell_keys))
        tables = _perturbed_options(item, counts, cell_keys, rules)
        return _option_crosstab(item, breakdown, tables, rules, confidence, decimals)
    rows = list(item.answers)
    counts, cell_keys = (f.reindex(rows, fill_value=0).astype(np.int64) for f in (counts, cell_keys))
    tables, everyone, outcomes = _perturbed_single_choice(item, counts, cell_keys, rules)
    cells = _single_choice_cells(item, breakdown, tables, everyone, outcomes, rules, confidence, decimals)
    return Crosstab(item.id, breakdown, cells, tables)


def crosstab_set(
    responses: pd.DataFrame,
    items: Sequence[Item],
    breakdowns: Sequence[str],
    rules: DisclosureRules | None = None,
    *,
    confidence: float = 0.95,
    decimals: int = 0,
) -> list[Crosstab]:
    """Every item by every breakdown, item by item, each item's tables protected together.

    Breakdown columns are encoded once and reused across items, which matters at a million rows.
    Under ``rules.perturbation`` every figure gets its own cell-key noise instead, from the
    responses' ``record_key`` column.
    """
    rules = rules or DisclosureRules()
    if rules.perturbation is not None and RECORD_KEY not in responses:
        raise ValueError(f"perturbed tables need each response's record key in a {RECORD_KEY!r} column")
    encoded = {name: _encode_breakdown(responses[name], rules.min_base) for name in breakdowns}
    results: list[Crosstab] = []
    for item in items:
        build = _single_choice_set if isinstance(item, SingleChoiceItem) else _multi_choice_set
        results.extend(build(responses, item, encoded, rules, confidence, decimals))
    return results


def crosstab(
    responses: pd.DataFrame,
    item: Item,
    breakdown: str,
    rules: DisclosureRules | None = None,
    *,
    confidence: float = 0.95,
    decimals: int = 0,
) -> Crosstab:
    """One item by one breakdown. Use ``crosstab_set`` to publish several breakdowns of an item:
    it protects them together, which separate calls cannot."""
    return crosstab_set(responses, [item], [breakdown], rules, confidence=confidence, decimals=decimals)[0]
