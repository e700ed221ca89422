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
from analysis.stats.crosstab import NOT_KNOWN, POOLED
from analysis.stats.disclosure import TOTAL, display_counts


def _visible(cells: pd.DataFrame, shown: str, total_shown: pd.Series) -> pd.Series:
    """Per outcome and coarse group: does the sum follow from shown cells? Either every member is
    shown, or the outcome's total is and every cell outside the group is."""
    hidden = ~cells[shown]
    in_group = hidden.groupby([cells["outcome"], cells["coarse"]], sort=False).sum()
    in_outcome = hidden.groupby(cells["outcome"]).sum()
    outside = in_outcome.reindex(in_group.index, level="outcome") - in_group
    total = total_shown.reindex(in_group.index, level="outcome")
    return (in_group == 0) | (total & (outside == 0))


def _only_unknown(
    index: pd.MultiIndex, kind: np.ndarray, shown: np.ndarray, base_shown: np.ndarray
) -> np.ndarray:
    """Counts that are the one hidden answer of a coarse group whose base is shown: the base less
    the other answers gives them, so withholding them would hide nothing."""
    frame = pd.DataFrame(
        {
            "coarse": index.get_level_values(1),
            "hidden": ~shown,
            "answer": kind == "answer",
            "base_shown": base_shown,
        }
    )
    answers = frame[frame["answer"]]
    hidden = answers.groupby("coarse")["hidden"].sum()
    base_known = answers.groupby("coarse")["base_shown"].all()
    alone = (hidden == 1) & base_known
    in_alone = frame["coarse"].isin(alone.index[alone]).to_numpy()
    return frame["answer"].to_numpy() & frame["hidden"].to_numpy() & in_alone


def coarsen(fine: Crosstab, groups: Mapping[str, str], breakdown: str, rules: DisclosureRules) -> Crosstab:
    """``fine`` (one item by district) with its groups merged by ``groups`` (fine group to coarse
    group); the totals are ``fine``'s own. Coarse groups come in sorted order, "not known" and then
    small districts combined last (deprivation quintiles are single digits, so they sort as
    numbers). Combined districts stay combined: their deprivation differs."""
    cells = fine.cells
    is_total = cells["group"] == TOTAL
    totals = cells[is_total].set_index("outcome")
    interior = cells[~is_total].assign(
        coarse=lambda c: c["group"].map(lambda g: groups.get(g, g)),
        count_shown=lambda c: ~c["count_suppressed"].astype(bool),
        base_shown=lambda c: c["base_display"] == c["base"].map("{:,}".format),
    )
    summed = interior.groupby(["outcome", "coarse"], sort=False)[["count", "base"]].sum()
    base = summed["base"].to_numpy(np.int64)
    # Perturbed counts (``rules.perturbation``) may add up to a little more than their base.
    count = np.minimum(summed["count"].to_numpy(np.int64), base)
    total_base_shown = totals["base_display"] == totals["base"].map("{:,}".format)
    count_shown = _visible(interior, "count_shown", ~totals["count_suppressed"].astype(bool))
    base_shown = _visible(interior, "base_shown", total_base_shown)
    count_visible = count_shown.reindex(summed.index).to_numpy() & ~rules.is_small(count)
    base_visible = base_shown.reindex(summed.index).to_numpy() & ~rules.is_small(base)
    kind = totals["kind"].reindex(summed.index, level="outcome").to_numpy()
    count_visible |= _only_unknown(summed.index, kind, count_visible, base_visible) & ~rules.is_small(count)
    has_percent = base > 0
    low, high = wilson_intervals(np.where(has_percent, count, 0), np.where(has_percent, base, 0))
    with np.errstate(divide="ignore", invalid="ignore"):
        percent = np.where(has_percent, 100 * count / base, np.nan)
    publishable = has_percent & count_visible & base_visible & (base >= rules.min_base)
    percent_display = np.full(len(count), rules.low_base_symbol, dtype=object)
    percent_display[publishable] = [whole_percent(p) for p in percent[publishable]]
    percent_display[~(count_visible & base_visible)] = rules.suppressed_symbol
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
            "count_display": display_counts(count, ~count_visible, rules),
            "base_display": display_counts(base, ~base_visible, rules),
            "percent_display": percent_display,
        }
    )
    merged = pd.concat([coarse, cells[is_total]], ignore_index=True).assign(breakdown=breakdown)
    outcomes = list(dict.fromkeys(cells["outcome"]))
    order = [*sorted(set(coarse["group"]), key=lambda g: (g == POOLED, g == NOT_KNOWN, g)), TOTAL]
    merged["_outcome"] = merged["outcome"].map(outcomes.index)
    merged["_group"] = merged["group"].map(order.index)
    merged = merged.sort_values(["_outcome", "_group"], ignore_index=True)
    return Crosstab(fine.item, breakdown, merged[list(cells.columns)], tables={})
