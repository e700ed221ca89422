"""Wave-on-wave comparisons of proportions with false-discovery control.

The SNA reports changes such as "self-reported knife carrying fell from 8% to 6%". Each change is
tested (two-proportion z-test, or Fisher's exact test when an expected count is small and the normal
approximation is poor), and because a report scans dozens of items and subgroups for changes, the
p-values of one family of comparisons are adjusted with Benjamini-Hochberg so that about ``alpha``
of the changes flagged ``significant`` are expected to be false discoveries, rather than
``alpha`` of all comparisons.
"""

from __future__ import annotations

from collections.abc import Hashable

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy.stats import false_discovery_control, fisher_exact, norm

from analysis.stats.crosstab import Crosstab
from analysis.stats.disclosure import DisclosureRules
from analysis.stats.proportions import wilson_intervals

COUNT_COLUMNS = ("successes_a", "n_a", "successes_b", "n_b")


def benjamini_hochberg(p_values: npt.ArrayLike) -> np.ndarray:
    """Benjamini-Hochberg q-values; NaN p-values (untestable comparisons) stay NaN and do not
    count towards the size of the family."""
    p = np.asarray(p_values, dtype=float)
    q = np.full(p.shape, np.nan)
    tested = ~np.isnan(p)
    if tested.any():
        q[tested] = false_discovery_control(p[tested], method="bh")
    return q


def newcombe_difference_interval(
    successes_a: npt.ArrayLike,
    n_a: npt.ArrayLike,
    successes_b: npt.ArrayLike,
    n_b: npt.ArrayLike,
    confidence: float = 0.95,
) -> tuple[np.ndarray, np.ndarray]:
    """Interval for ``p_b - p_a`` from the two Wilson intervals (Newcombe 1998, method 10).

    Chosen over the Wald interval for the same reason as Wilson for one proportion: it behaves at
    small counts and near 0% or 100%.
    """
    xa, na, xb, nb = (np.asarray(v, dtype=float) for v in (successes_a, n_a, successes_b, n_b))
    low_a, high_a = wilson_intervals(xa, na, confidence)
    low_b, high_b = wilson_intervals(xb, nb, confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        p_a, p_b = xa / na, xb / nb
    difference = p_b - p_a
    below = np.sqrt((p_b - low_b) ** 2 + (high_a - p_a) ** 2)
    above = np.sqrt((high_b - p_b) ** 2 + (p_a - low_a) ** 2)
    return difference - below, difference + above


def _z_test(xa: np.ndarray, na: np.ndarray, xb: np.ndarray, nb: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    with np.errstate(divide="ignore", invalid="ignore"):
        pooled = (xa + xb) / (na + nb)
        z = (xb / nb - xa / na) / np.sqrt(pooled * (1 - pooled) * (1 / na + 1 / nb))
    return z, 2 * norm.sf(np.abs(z))


def compare_waves(
    comparisons: pd.DataFrame,
    *,
    alpha: float = 0.05,
    confidence: float = 0.95,
    min_expected: float = 5.0,
    rules: DisclosureRules | None = None,
) -> pd.DataFrame:
    """Test each row's change from wave A to wave B; the rows form one family for BH.

    ``comparisons`` needs integer columns ``successes_a, n_a, successes_b, n_b``; any other columns
    (item, outcome, group...) are kept to label the rows. Adds ``p_a, p_b, difference`` (B minus A,
    as a proportion), ``diff_low, diff_high``, ``test`` (``z``, ``fisher`` or ``none`` when a wave
    has no respondents), ``z``, ``p_value``, ``q_value``, ``significant`` (q below ``alpha``) and
    ``reportable``: both bases at least ``rules.min_base`` and no count of choosers or non-choosers
    below ``rules.min_count``, since quoting the two percentages would reveal the counts. Boolean
    columns ``publishable_a``/``publishable_b``, if present (see ``crosstab_wave_counts``), must also
    hold for a row to be reportable.
    """
    rules = rules or DisclosureRules()
    missing = [c for c in COUNT_COLUMNS if c not in comparisons]
    if missing:
        raise ValueError(f"comparisons lack columns {missing}")
    out = comparisons.copy()
    xa, na, xb, nb = (out[c].to_numpy(dtype=float) for c in COUNT_COLUMNS)
    testable = (na > 0) & (nb > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["p_a"] = xa / na
        out["p_b"] = xb / nb
        pooled = (xa + xb) / (na + nb)
    out["difference"] = out["p_b"] - out["p_a"]
    out["diff_low"], out["diff_high"] = newcombe_difference_interval(xa, na, xb, nb, confidence)

    expected = np.minimum.reduce([na * pooled, na * (1 - pooled), nb * pooled, nb * (1 - pooled)])
    use_fisher = testable & (expected < min_expected)
    z, p_value = _z_test(xa, na, xb, nb)
    z[use_fisher | ~testable] = np.nan
    p_value[~testable] = np.nan
    for k in np.flatnonzero(use_fisher):
        table = [[xa[k], na[k] - xa[k]], [xb[k], nb[k] - xb[k]]]
        p_value[k] = fisher_exact(np.asarray(table, dtype=np.int64)).pvalue
    out["test"] = np.where(~testable, "none", np.where(use_fisher, "fisher", "z"))
    out["z"] = z
    out["p_value"] = p_value
    out["q_value"] = benjamini_hochberg(p_value)
    out["significant"] = out["q_value"].lt(alpha)

    counts = np.stack([xa, na - xa, xb, nb - xb])
    out["reportable"] = (na >= rules.min_base) & (nb >= rules.min_base) & ~rules.is_small(counts).any(axis=0)
    for flag in ("publishable_a", "publishable_b"):
        if flag in out:
            out["reportable"] &= out[flag].astype(bool)
    return out


def crosstab_wave_counts(table: Crosstab, wave_a: Hashable, wave_b: Hashable) -> pd.DataFrame:
    """Rows for ``compare_waves`` from a crosstab by wave: one per outcome, wave A beside wave B.

    Carries each wave's ``percent_publishable`` flag so that a change is only quoted when both
    percentages may be published.
    """
    cells = table.cells[table.cells["kind"] != "excluded"].set_index(["group", "outcome"])
    a, b = cells.xs(wave_a, level="group"), cells.xs(wave_b, level="group")
    return pd.DataFrame(
        {
            "item": table.item,
            "outcome": a.index,
            "successes_a": a["count"].to_numpy(),
            "n_a": a["base"].to_numpy(),
            "successes_b": b.loc[a.index, "count"].to_numpy(),
            "n_b": b.loc[a.index, "base"].to_numpy(),
            "publishable_a": a["percent_publishable"].to_numpy(),
            "publishable_b": b.loc[a.index, "percent_publishable"].to_numpy(),
        }
    )
