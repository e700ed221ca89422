"""Proportions with Wilson score intervals.

Survey subgroups are often small and proportions often near 0% or 100% (e.g. "90% have never
considered carrying a knife"). The textbook Wald interval p ± z·√(p(1-p)/n) collapses to zero
width at 0% and can leave [0, 1] there; the Wilson score interval (Wilson 1927; recommended by
Newcombe 1998 and Agresti & Coull 1998) keeps its coverage close to nominal for small n and extreme p.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy.stats import norm


def _z(confidence: float) -> float:
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be strictly between 0 and 1, got {confidence}")
    return float(norm.ppf(0.5 + confidence / 2))


def wilson_intervals(
    successes: npt.ArrayLike, n: npt.ArrayLike, confidence: float = 0.95
) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval bounds for arrays of counts (any broadcastable shapes).

    Where ``n`` is 0 both bounds are NaN: an empty subgroup has no proportion, and callers
    building tables should not have to special-case it.
    """
    x = np.asarray(successes, dtype=float)
    total = np.asarray(n, dtype=float)
    if np.any(x < 0) or np.any(total < 0) or np.any(x > total):
        raise ValueError("need 0 <= successes <= n")
    z = _z(confidence)
    z2 = z * z
    with np.errstate(divide="ignore", invalid="ignore"):
        p = x / total
        denominator = 1 + z2 / total
        centre = (p + z2 / (2 * total)) / denominator
        half_width = (z / denominator) * np.sqrt(p * (1 - p) / total + z2 / (4 * total * total))
    # Rounding can push the bounds a hair outside [0, 1] at p = 0 or 1, where they are exactly 0 or 1.
    low = np.where(x == 0, 0.0, np.clip(centre - half_width, 0.0, 1.0))
    high = np.where(x == total, 1.0, np.clip(centre + half_width, 0.0, 1.0))
    empty = total == 0
    return np.where(empty, np.nan, low), np.where(empty, np.nan, high)


def wilson_interval(successes: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval ``(low, high)`` for ``successes`` out of ``n``; NaNs when ``n == 0``."""
    low, high = wilson_intervals(successes, n, confidence)
    return float(low), float(high)


def wilson_frame(successes: pd.Series, n: pd.Series | int, confidence: float = 0.95) -> pd.DataFrame:
    """Proportion and Wilson bounds for a Series of counts, keeping its index.

    Returns columns ``proportion``, ``low`` and ``high``; rows with ``n == 0`` are all NaN.
    """
    total = n.reindex(successes.index) if isinstance(n, pd.Series) else pd.Series(n, index=successes.index)
    low, high = wilson_intervals(successes.to_numpy(), total.to_numpy(), confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        proportion = successes.to_numpy(dtype=float) / total.to_numpy(dtype=float)
    return pd.DataFrame({"proportion": proportion, "low": low, "high": high}, index=successes.index)
