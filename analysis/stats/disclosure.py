"""Statistical disclosure control for published counts and percentages.

Survey answers are anonymous, but a small cell in a breakdown ("2 young people in Melton aged 11-13
said they carry a knife") can still point at someone. Before anything is published:

* **primary suppression**: a count ``0 < count < min_count`` is withheld;
* **secondary suppression**: in a table published with row and column totals, a single hidden cell
  could be recovered by subtracting the visible cells from the total, so each row and column (the
  totals row and column included) must hold either no hidden cell or at least two. We hide the
  smallest further cell until that holds, then check the whole table for cells that can still be
  solved exactly from the totals (the rule above misses some patterns, e.g. two blocks of hidden
  cells joined by one cell) and hide more until none can;
* **low bases**: percentages on fewer than ``min_base`` respondents are withheld.

Every withheld count is shown as the one symbol ``[c]``. ``analysis.stats.audit`` then attacks
what the tables publish together with integer programming and withholds more where a withheld
count's possible range is narrower than ``min_count``.

A table is treated as a grid with its totals in the last row and column ("augmented" below): every
row and every column of that grid is one additive line whose last entry is the sum of the others.

The check here is for exact recovery by linear algebra within one table; the ranges a reader can
work out (a hidden count is a whole number at least zero) are the audit's job.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.linalg import null_space

from analysis.stats.perturbation import CellKeyPerturbation

TOTAL = "Total"


@dataclass(frozen=True)
class DisclosureRules:
    """Thresholds and symbols for disclosure control; the defaults follow common UK practice.

    ``suppressed_symbol`` and ``low_base_symbol`` are the Government Statistical Service table
    shorthands for "confidential" and "low reliability".

    With ``perturbation``, every count gets cell-key noise (``analysis.stats.perturbation``) and
    only small-count suppression applies: for views that can be combined in too many ways to be
    protected together. Responses then need a ``record_key`` column.
    """

    min_count: int = 10
    min_base: int = 30
    suppressed_symbol: str = "[c]"
    low_base_symbol: str = "[u]"
    perturbation: CellKeyPerturbation | None = None

    def __post_init__(self) -> None:
        if self.min_count < 1 or self.min_base < 0:
            raise ValueError("min_count must be at least 1 and min_base at least 0")

    @property
    def small_count_label(self) -> str:
        return f"<{self.min_count}"

    def published(self, counts: np.ndarray, cell_keys: np.ndarray) -> np.ndarray:
        """Counts as they may be published: with their noise under perturbation, else unchanged.
        A cell key may be given as the plain sum of its record keys."""
        counts = np.asarray(counts, dtype=np.int64)
        return counts if self.perturbation is None else self.perturbation.perturb(counts, cell_keys)

    def published_size(self, record_keys: np.ndarray) -> int:
        """How many records these are, as it may be published."""
        return int(self.published(np.array(len(record_keys)), np.array(np.sum(record_keys))))

    def is_small(self, counts: np.ndarray) -> np.ndarray:
        """Counts that primary suppression hides: positive but below ``min_count``."""
        return (counts > 0) & (counts < self.min_count)


@dataclass(frozen=True)
class ProtectedTable:
    """A two-way table of counts with totals, after disclosure control.

    All frames share the same labels: the interior rows and columns plus a last row and column
    labelled ``Total``. ``counts`` holds the true values and is for checks and derived statistics,
    never for publication; ``display`` is what may be published.
    """

    counts: pd.DataFrame
    primary: pd.DataFrame
    suppressed: pd.DataFrame
    display: pd.DataFrame

    @property
    def secondary(self) -> pd.DataFrame:
        """Cells hidden only to protect other cells."""
        return self.suppressed & ~self.primary

    def sum_is_publishable(self, rows: Sequence[Hashable]) -> pd.Series:
        """Per column (totals column included): may the sum of ``rows`` in that column be published?

        A sum of cells (a collapsed outcome such as "A bit unsafe" + "Very unsafe", or a base that
        leaves out "Don't know") leaks a hidden member unless it tells nothing new: either none of
        its members is hidden, or it contains every hidden cell of the column and the column total
        is shown, so it equals the total minus the visible cells.
        """
        interior = self.suppressed.iloc[:-1]
        members = interior.index.isin(list(rows))
        hidden_in = interior[members].any(axis=0)
        hidden_out = interior[~members].any(axis=0)
        total_hidden = self.suppressed.iloc[-1]
        return ~hidden_in | (~hidden_out & ~total_hidden)


def add_margins(counts: pd.DataFrame, label: str = TOTAL) -> pd.DataFrame:
    """``counts`` with a row and a column of totals, both labelled ``label``."""
    values = counts.to_numpy()
    with_totals = np.zeros((values.shape[0] + 1, values.shape[1] + 1), dtype=values.dtype)
    with_totals[:-1, :-1] = values
    with_totals[:-1, -1] = values.sum(axis=1)
    with_totals[-1] = with_totals[:-1].sum(axis=0)
    # Built in one go: growing a frame a row at a time costs more than the sums, table after table.
    return pd.DataFrame(
        with_totals,
        index=counts.index.append(pd.Index([label])),
        columns=counts.columns.append(pd.Index([label])),
    )


def _line_coefficients(shape: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """+1 for each entry of a line and -1 for its total, for rows and for columns of the grid."""
    row_coef = np.ones(shape)
    row_coef[:, -1] = -1
    col_coef = np.ones(shape)
    col_coef[-1, :] = -1
    return row_coef, col_coef


def recoverable_cells(hidden: np.ndarray) -> np.ndarray:
    """Hidden cells of an augmented grid whose value follows exactly from the visible cells.

    A hidden cell is determined when every solution of the line equations agrees on it, i.e. when
    it is zero in every vector of the null space of the equations restricted to hidden cells.
    """
    positions = np.argwhere(hidden)
    result = np.zeros_like(hidden, dtype=bool)
    if positions.size == 0:
        return result
    n_rows, n_cols = hidden.shape
    row_coef, col_coef = _line_coefficients(hidden.shape)
    equations = np.zeros((n_rows + n_cols, len(positions)))
    for k, (i, j) in enumerate(positions):
        equations[i, k] = row_coef[i, j]
        equations[n_rows + j, k] = col_coef[i, j]
    free = null_space(equations)
    determined = np.all(np.abs(free) < 1e-9, axis=1) if free.size else np.ones(len(positions), bool)
    result[tuple(positions[determined].T)] = True
    return result


def _pick_complement(values: np.ndarray, hidden: np.ndarray, cells: list[tuple[int, int]]) -> tuple[int, int]:
    """The smallest visible cell among ``cells``.

    Zeros come last because hiding a zero protects little when readers can guess it is empty. Among
    equal counts, a cell whose other line also lacks a second hidden entry mends two lines at once,
    and interior cells come before totals because a hidden total hides the base of percentages.
    """
    last_row, last_col = values.shape[0] - 1, values.shape[1] - 1
    row_hidden, col_hidden = hidden.sum(axis=1), hidden.sum(axis=0)

    def key(c: tuple[int, int]) -> tuple:
        lines_wanting = int(row_hidden[c[0]] == 1) + int(col_hidden[c[1]] == 1)
        return (values[c] == 0, values[c], -lines_wanting, c[0] == last_row or c[1] == last_col, c)

    return min((cell for cell in cells if not hidden[cell]), key=key)


def _complete_lines(values: np.ndarray, hidden: np.ndarray) -> None:
    """Hide cells until no line of the grid has exactly one hidden entry (in place)."""
    n_rows, n_cols = values.shape
    lines = [[(i, j) for j in range(n_cols)] for i in range(n_rows)]
    lines += [[(i, j) for i in range(n_rows)] for j in range(n_cols)]
    changed = True
    while changed:
        changed = False
        for line in lines:
            if sum(hidden[cell] for cell in line) == 1:
                hidden[_pick_complement(values, hidden, line)] = True
                changed = True


def secondary_suppression(values: np.ndarray, hidden: np.ndarray) -> np.ndarray:
    """Extend ``hidden`` so no hidden cell of the augmented grid ``values`` can be recovered.

    Returns a new mask; the input mask is not modified.
    """
    mask = np.asarray(hidden, dtype=bool).copy()
    while True:
        _complete_lines(values, mask)
        exposed = np.argwhere(recoverable_cells(mask))
        if exposed.size == 0:
            return mask
        i, j = exposed[0]
        crossing = [(i, c) for c in range(values.shape[1])] + [(r, j) for r in range(values.shape[0])]
        if all(mask[cell] for cell in crossing):
            crossing = [(int(r), int(c)) for r, c in np.argwhere(~mask)]
        mask[_pick_complement(values, mask, crossing)] = True


def display_counts(values: np.ndarray, hidden: np.ndarray, rules: DisclosureRules) -> np.ndarray:
    """Counts as published: withheld ones, small or withheld to protect others, as one symbol
    (two symbols would tell a reader which withheld cells are small, and so narrow the others)."""
    shown = np.array([f"{int(v):,}" for v in values.ravel()], dtype=object).reshape(values.shape)
    shown[hidden] = rules.suppressed_symbol
    return shown


def perturb_table(
    counts: pd.DataFrame, cell_keys: pd.DataFrame, rules: DisclosureRules, at_most: np.ndarray | None = None
) -> ProtectedTable:
    """``counts`` with totals, every figure perturbed by its own cell key (totals too, so they are
    not the sums of the perturbed cells), and the small perturbed counts withheld. A cell is never
    shown larger than its column's total, nor than ``at_most`` (per column) where its percentage has
    another base."""
    true = add_margins(counts)
    values = rules.published(true.to_numpy(), add_margins(cell_keys).to_numpy())
    limit = values[-1] if at_most is None else np.minimum(values[-1], at_most)
    values[:-1] = np.minimum(values[:-1], limit)
    hidden = rules.is_small(values)

    def frame(data: np.ndarray) -> pd.DataFrame:
        return pd.DataFrame(data, index=true.index, columns=true.columns)

    display = display_counts(values, hidden, rules)
    return ProtectedTable(frame(values), frame(hidden), frame(hidden), frame(display))


def protect_table(
    counts: pd.DataFrame,
    rules: DisclosureRules | None = None,
    *,
    force: pd.DataFrame | None = None,
    total_label: str = TOTAL,
) -> ProtectedTable:
    """Add totals to a table of counts and apply primary and secondary suppression.

    ``force`` marks further cells (labels of the table with totals) to treat as hidden, so that
    tables sharing totals can be protected consistently (see ``protect_linked``).
    """
    rules = rules or DisclosureRules()
    values = counts.to_numpy()
    if values.size and (np.any(values < 0) or not np.issubdtype(values.dtype, np.integer)):
        raise ValueError("counts must be non-negative integers")
    table = add_margins(counts.astype("int64"), total_label)
    grid = table.to_numpy()
    primary = rules.is_small(grid)
    hidden = primary.copy()
    if force is not None:
        hidden |= force.reindex(index=table.index, columns=table.columns, fill_value=False).to_numpy(bool)
    hidden = secondary_suppression(grid, hidden)

    def frame(data: np.ndarray) -> pd.DataFrame:
        return pd.DataFrame(data, index=table.index, columns=table.columns)

    return ProtectedTable(
        counts=table,
        primary=frame(primary),
        suppressed=frame(hidden),
        display=frame(display_counts(grid, hidden, rules)),
    )


@dataclass(frozen=True)
class LinkedTable:
    """A table to protect together with others that publish the same totals.

    Tables with equal ``total_column_key`` publish the same totals column (e.g. one item broken down
    by age and by area: both show the item's overall counts); tables with equal ``total_row_key``
    publish the same totals row (e.g. several options of a multi-choice question by age: all show
    the same bases). A total hidden in one table must be hidden in all of them, or it can be read off
    the other.
    """

    counts: pd.DataFrame
    total_column_key: Hashable | None = None
    total_row_key: Hashable | None = None


def protect_linked(
    tables: Sequence[LinkedTable], rules: DisclosureRules | None = None, total_label: str = TOTAL
) -> list[ProtectedTable]:
    """Protect tables that share totals so that a hidden total is hidden everywhere it appears."""
    forced: set[tuple[str, Hashable, Hashable]] = set()
    while True:
        results = [
            protect_table(
                t.counts,
                rules,
                force=_forced_frame(t, forced, total_label),
                total_label=total_label,
            )
            for t in tables
        ]
        hidden_totals = set(forced)
        for t, result in zip(tables, results, strict=True):
            mask = result.suppressed
            if t.total_column_key is not None:
                hidden_totals |= {("column", t.total_column_key, r) for r in mask.index[mask[total_label]]}
            if t.total_row_key is not None:
                hidden_totals |= {("row", t.total_row_key, c) for c in mask.columns[mask.loc[total_label]]}
        if hidden_totals == forced:
            return results
        forced = hidden_totals


def _forced_frame(
    table: LinkedTable, forced: set[tuple[str, Hashable, Hashable]], total_label: str
) -> pd.DataFrame:
    rows = [*table.counts.index, total_label]
    columns = [*table.counts.columns, total_label]
    mask = pd.DataFrame(False, index=rows, columns=columns)
    for kind, key, label in forced:
        if kind == "column" and key == table.total_column_key and label in mask.index:
            mask.loc[label, total_label] = True
        elif kind == "row" and key == table.total_row_key and label in mask.columns:
            mask.loc[total_label, label] = True
    return mask
