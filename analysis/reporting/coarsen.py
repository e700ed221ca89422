"""Breakdowns made of whole districts (deprivation quintile, most deprived or not), derived from the
protected table by district.

Leicester is on its own in deprivation quintile 2 and in "the most deprived areas", so tabulating
these breakdowns separately would publish the same people three times, each protected on its own:
a count that secondary suppression hides in the district table could then be read off the quintile
table (and a quintile is the sum of its districts, so any mismatch leaks). Instead each coarser
cell is the sum of its districts' cells and is shown only when it can already be worked out from
what the district table shows: all its districts' cells are shown, or the total is shown and all
the other districts' cells are. Such a table adds nothing a reader could not compute, so it cannot
undo the district table's protection. The price is more withheld cells than separate protection
would give.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from analysis.reporting.tables import whole_percent
from analysis.stats import Crosstab, DisclosureRules, wilson_intervals
from analysis.stats.crosstab import NOT_APPLICABLE, NOT_KNOWN
from analysis.stats.disclosure import TOTAL


def _visible(cells: pd.DataFrame, shown: str, total_shown: pd.Series) -> pd.Series:
    """Per outcome and coarse group: does the sum follow from shown cells? Either every member is
    shown, or the outcome's total is and every cell outside the group is."""
    hidden = ~cells[shown]
    in_group = hidden.groupby([cells["outcome"], cells["coarse"]], sort=False).sum()
    in_outcome = hidden.groupby(cells["outcome"]).sum()
    outside = in_outcome.reindex(in_group.index, level="outcome") - in_group
    total = total_shown.reindex(in_group.index, level="outcome")
    return (in_group == 0) | (total & (outside == 0))


def _display(values: np.ndarray, visible: np.ndarray, rules: DisclosureRules) -> np.ndarray:
    shown = np.array([f"{int(v):,}" for v in values], dtype=object)
    shown[~visible] = rules.suppressed_symbol
    shown[~visible & rules.is_small(values)] = rules.small_count_label
    return shown


def coarsen(fine: Crosstab, groups: Mapping[str, str], breakdown: str, rules: DisclosureRules) -> Crosstab:
    """``fine`` (one item by district) with its groups merged by ``groups`` (fine group to coarse
    group); the totals are ``fine``'s own. Coarse groups come in sorted order, "not known" last
    (deprivation quintiles are single digits, so they sort as numbers)."""
    cells = fine.cells
    is_total = cells["group"] == TOTAL
    totals = cells[is_total].set_index("outcome")
    interior = cells[~is_total].assign(
        coarse=lambda c: c["group"].map(groups),
        count_shown=lambda c: ~c["count_suppressed"].astype(bool),
        base_shown=lambda c: c["base_display"] == c["base"].map("{:,}".format),
    )
    summed = interior.groupby(["outcome", "coarse"], sort=False)[["count", "base"]].sum()
    count = summed["count"].to_numpy(np.int64)
    base = summed["base"].to_numpy(np.int64)
    total_base_shown = totals["base_display"] == totals["base"].map("{:,}".format)
    count_shown = _visible(interior, "count_shown", ~totals["count_suppressed"].astype(bool))
    base_shown = _visible(interior, "base_shown", total_base_shown)
    count_visible = count_shown.reindex(summed.index).to_numpy() & ~rules.is_small(count)
    base_visible = base_shown.reindex(summed.index).to_numpy() & ~rules.is_small(base)
    kind = totals["kind"].reindex(summed.index, level="outcome").to_numpy()
    # An answer left out of the base is counted but has no percentage (its count may exceed the base).
    has_percent = (kind != "excluded") & (base > 0)
    low, high = wilson_intervals(np.where(has_percent, count, 0), np.where(has_percent, base, 0))
    with np.errstate(divide="ignore", invalid="ignore"):
        percent = np.where(has_percent, 100 * count / base, np.nan)
    publishable = has_percent & count_visible & base_visible & (base >= rules.min_base)
    percent_display = np.full(len(count), rules.low_base_symbol, dtype=object)
    percent_display[publishable] = [whole_percent(p) for p in percent[publishable]]
    percent_display[~(count_visible & base_visible)] = rules.suppressed_symbol
    percent_display[kind == "excluded"] = NOT_APPLICABLE
    coarse = pd.DataFrame(
        {
            "item": fine.item,
            "outcome": summed.index.get_level_values("outcome"),
            "group": summed.index.get_level_values("coarse"),
            "kind": kind,
            "count": count,
            "base": base,
            "percent": percent,
            "ci_low": 100 * low,
            "ci_high": 100 * high,
            "count_suppressed": ~count_visible,
            "percent_publishable": publishable,
            "count_display": _display(count, count_visible, rules),
            "base_display": _display(base, base_visible, rules),
            "percent_display": percent_display,
        }
    )
    merged = pd.concat([coarse, cells[is_total]], ignore_index=True).assign(breakdown=breakdown)
    outcomes = list(dict.fromkeys(cells["outcome"]))
    order = [*sorted(set(coarse["group"]), key=lambda g: (g == NOT_KNOWN, g)), TOTAL]
    merged["_outcome"] = merged["outcome"].map(outcomes.index)
    merged["_group"] = merged["group"].map(order.index)
    merged = merged.sort_values(["_outcome", "_group"], ignore_index=True)
    return Crosstab(fine.item, breakdown, merged[list(cells.columns)], tables={})
