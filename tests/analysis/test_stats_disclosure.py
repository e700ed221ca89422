"""Primary and secondary suppression on hand-worked tables, and invariants on random ones."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from analysis.stats.disclosure import (
    DisclosureRules,
    LinkedTable,
    add_margins,
    protect_linked,
    protect_table,
    recoverable_cells,
    secondary_suppression,
)


def hidden_cells(table):
    mask = table.suppressed
    return {(r, c) for r in mask.index for c in mask.columns if mask.loc[r, c]}


def line_counts(mask: np.ndarray):
    """Hidden entries in every row and column of a grid that includes its totals."""
    return [*mask.sum(axis=1), *mask.sum(axis=0)]


# (a, Y) = 5 is the only small cell. Hidden on its own it leaks: row a gives 55 - 20 - 30 = 5.
LEAKY = pd.DataFrame([[20, 5, 30], [25, 40, 35], [15, 22, 18]], index=list("abc"), columns=list("XYZ"))


def test_primary_suppression_alone_would_leak_through_the_totals():
    grid = add_margins(LEAKY).to_numpy()
    primary = DisclosureRules().is_small(grid)
    assert primary.sum() == 1
    assert recoverable_cells(primary)[0, 1]


def test_secondary_suppression_hides_the_smallest_complements():
    # Row a: complement is the smallest other cell, 20 (a, X). Column Y: 22 (c, Y).
    # Column X then has one hidden cell: its smallest other cell is 15 (c, X), which also
    # gives row c its second hidden cell. Totals stay visible.
    table = protect_table(LEAKY)
    assert hidden_cells(table) == {("a", "X"), ("a", "Y"), ("c", "X"), ("c", "Y")}
    assert table.display.loc["a"].tolist() == ["[c]", "[c]", "30", "55"]
    assert table.display.loc["c"].tolist() == ["[c]", "[c]", "18", "55"]
    assert table.display.loc["Total"].tolist() == ["60", "67", "83", "210"]
    assert not recoverable_cells(table.suppressed.to_numpy()).any()


def test_primary_and_secondary_are_told_apart():
    table = protect_table(LEAKY)
    assert table.primary.to_numpy().sum() == 1
    assert table.secondary.to_numpy().sum() == 3


def test_a_total_is_hidden_when_no_other_cell_can_protect():
    # Row a is 4, 0 | 4: the cell and its total are both small. The totals column then holds one
    # hidden entry (a's total) and must hide a second: b's total, 70, is smaller than the grand
    # total. Column X hides (b, X) = 30 for (a, X).
    counts = pd.DataFrame([[4, 0], [30, 40]], index=["a", "b"], columns=["X", "Y"])
    table = protect_table(counts)
    assert hidden_cells(table) == {("a", "X"), ("a", "Total"), ("b", "X"), ("b", "Total")}
    assert table.display.loc["b"].tolist() == ["[c]", "40", "[c]"]


def test_zero_cells_are_shown_and_never_primary():
    counts = pd.DataFrame([[0, 50], [40, 30]], index=["a", "b"], columns=["X", "Y"])
    table = protect_table(counts)
    assert not table.suppressed.to_numpy().any()
    assert table.display.loc["a", "X"] == "0"


def test_thresholds_and_symbols_are_configurable():
    rules = DisclosureRules(min_count=5, suppressed_symbol="*")
    table = protect_table(LEAKY, rules)
    assert not table.suppressed.to_numpy().any()
    stricter = protect_table(LEAKY, DisclosureRules(min_count=20, suppressed_symbol="*"))
    assert stricter.display.loc["a", "Y"] == "*"


def test_rules_are_frozen_and_validated():
    with pytest.raises(AttributeError):
        DisclosureRules().min_count = 3
    with pytest.raises(ValueError, match="min_count"):
        DisclosureRules(min_count=0)


def test_non_integer_or_negative_counts_are_rejected():
    with pytest.raises(ValueError, match="non-negative integers"):
        protect_table(pd.DataFrame([[1.5, 2.0]]))
    with pytest.raises(ValueError, match="non-negative integers"):
        protect_table(pd.DataFrame([[-1, 20]]))


def test_audit_catches_what_the_two_per_line_rule_misses():
    # Two 2x2 blocks of hidden cells joined by one cell (1, 2): every row and column has two or
    # more hidden cells, yet rows {0, 1} minus columns {0, 1} isolate cell (1, 2).
    pattern = [(0, 0), (0, 1), (1, 0), (1, 1), (1, 2), (2, 2), (2, 3), (3, 2), (3, 3)]
    counts = np.full((4, 4), 50)
    for cell in pattern:
        counts[cell] = 5
    grid = add_margins(pd.DataFrame(counts)).to_numpy()
    primary = DisclosureRules().is_small(grid)
    assert all(k != 1 for k in line_counts(primary))
    exposed = recoverable_cells(primary)
    assert {tuple(c) for c in np.argwhere(exposed)} == {(1, 2)}

    protected = secondary_suppression(grid, primary)
    assert protected.sum() > primary.sum()
    assert not recoverable_cells(protected).any()


def test_sum_is_publishable_only_when_it_adds_nothing():
    # Column X hides (a, X) and (c, X); column Y hides (a, Y) and (c, Y).
    table = protect_table(LEAKY)
    assert table.sum_is_publishable(["a", "c"]).to_dict() == {"X": True, "Y": True, "Z": True, "Total": True}
    # a + b would give (a, X) = (a + b) - 25 in column X.
    assert table.sum_is_publishable(["a", "b"]).to_dict() == {
        "X": False,
        "Y": False,
        "Z": True,
        "Total": True,
    }
    assert table.sum_is_publishable(["b"]).all()


# Both tables publish the same row totals (4, 70, 25). On its own table A hides b's total
# (b is 0, [c]: the row needs a second hidden entry and only its total is non-zero) while B
# shows it, so B's 70 would give away A's hidden (b, Y).
TABLE_A = pd.DataFrame([[4, 0], [0, 70], [22, 3]], index=list("abc"), columns=list("XY"))
TABLE_B = pd.DataFrame([[2, 2], [35, 35], [12, 13]], index=list("abc"), columns=list("PQ"))


def test_tables_sharing_totals_would_leak_when_protected_apart():
    alone_a, alone_b = protect_table(TABLE_A), protect_table(TABLE_B)
    assert alone_a.suppressed.loc["b", "Total"]
    assert not alone_b.suppressed.loc["b", "Total"]


def test_linked_tables_hide_a_shared_total_everywhere():
    linked = protect_linked([LinkedTable(TABLE_A, total_column_key="item"), LinkedTable(TABLE_B, "item")])
    a, b = (t.suppressed["Total"] for t in linked)
    assert a.equals(b)
    assert b["b"]
    for table in linked:
        assert all(k != 1 for k in line_counts(table.suppressed.to_numpy()))
        assert not recoverable_cells(table.suppressed.to_numpy()).any()


def test_unlinked_keys_are_protected_independently():
    linked = protect_linked([LinkedTable(TABLE_A, total_column_key="x"), LinkedTable(TABLE_B, "y")])
    assert not linked[1].suppressed.loc["b", "Total"]


tables = st.tuples(st.integers(1, 6), st.integers(1, 6)).flatmap(
    lambda shape: arrays(np.int64, shape, elements=st.sampled_from([0, 1, 3, 9, 10, 12, 25, 40, 80, 200]))
)


@settings(max_examples=200, deadline=None)
@given(tables)
def test_no_hidden_cell_is_alone_in_its_line_or_recoverable(counts):
    table = protect_table(pd.DataFrame(counts))
    mask = table.suppressed.to_numpy()
    assert (mask | ~table.primary.to_numpy()).all()
    # Every row and column of the grid includes its total, so "two hidden, or the total hidden too"
    # is "never exactly one hidden entry".
    assert all(k != 1 for k in line_counts(mask))
    assert not recoverable_cells(mask).any()
    shown = table.display.to_numpy()[~mask]
    assert all(s.replace(",", "").isdigit() for s in shown)


@settings(max_examples=100, deadline=None)
@given(tables, st.randoms(use_true_random=False))
def test_linked_tables_agree_on_every_shared_total(counts, random):
    shuffled = counts.copy()
    for row in shuffled:
        random.shuffle(row)
    linked = protect_linked([LinkedTable(pd.DataFrame(c), total_column_key=0) for c in (counts, shuffled)])
    assert linked[0].suppressed["Total"].equals(linked[1].suppressed["Total"])
    for table in linked:
        assert not recoverable_cells(table.suppressed.to_numpy()).any()
