"""Cell-key perturbation: the method the ONS used for Census 2021 outputs, for views that can be
combined in too many ways to protect them together (the staff dashboard's filters).

Each response has a **record key**, a random whole number below ``KEYS`` (2**24) that a reader
cannot know (``record_keys`` derives it from the response id with a secret). A published count's
**cell key** is the sum of the record keys of the people in it, modulo ``KEYS``, so the same people
always give the same cell key. The pair (count, cell key) picks a **noise** from a fixed table,
added to the count:

* the same set of people always gets the same noise, whichever filters and breakdown led to it,
  so asking again, or asking the same thing another way, tells nothing new;
* totals are perturbed as cells of their own, so tables no longer add up exactly, and a count
  worked out by subtracting one view from another carries the noise of every figure used;
* the noise follows a two-sided geometric distribution (chances ``decay ** |d|``): usually 0, 1 or
  2 either way, 3 or less 19 times in 20, but the table reaches ``max_noise`` (18) with its rarest
  keys. No reader can rule a large noise out, so no subtraction of views pins a count down;
* for a count ``n`` the noise runs only from ``-n`` to ``n``, so it never makes a count negative and
  averages zero (its distribution is symmetric for every count), and a count of zero stays zero.

Small-count suppression then applies to the perturbed counts, and percentages are worked out from
them. Tables protected this way need no complementary suppression: nothing in them is exact.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

import numpy as np

#: Record keys and cell keys run from 0 to KEYS - 1.
KEYS = 2**24
#: Column of a response frame that holds each response's record key.
RECORD_KEY = "record_key"
#: Mixes the count into the place a cell key reads in the table, so a cell and a larger cell with
#: the same key (whose extra people's keys sum to a multiple of KEYS) still get different noise.
_COUNT_STEP = 0x9E3779


def record_keys(response_ids: Iterable[str], secret: bytes) -> np.ndarray:
    """Each response's record key: a keyed hash of its (random) id, so it never changes and a
    reader without ``secret`` cannot work it out."""
    return np.array(
        [
            int.from_bytes(hmac.new(secret, b"record-key:" + str(rid).encode(), hashlib.sha256).digest()[:3])
            for rid in response_ids
        ],
        dtype=np.int64,
    )


@dataclass(frozen=True)
class CellKeyPerturbation:
    """The noise table: for a count ``n``, noise ``d`` from ``-r`` to ``r`` where
    ``r = min(n, max_noise)``, with chances proportional to ``decay ** |d|``; a cell key picks its
    place in that distribution."""

    decay: float = 0.42

    def __post_init__(self) -> None:
        if not 0 < self.decay < 1:
            raise ValueError("decay must be between 0 and 1")

    def _cumulative(self, reach: int) -> np.ndarray:
        weights = self.decay ** np.abs(np.arange(-reach, reach + 1))
        return np.cumsum(weights) / weights.sum()

    @cached_property
    def max_noise(self) -> int:
        """The largest noise any key gives, either way: the widest table whose rarest key still
        reaches its ends."""
        reach = 1
        while self._cumulative(reach + 1)[0] >= 0.5 / KEYS:
            reach += 1
        return reach

    @cached_property
    def usual_noise(self) -> int:
        """The noise that 19 counts in 20 stay within, either way."""
        cumulative = self._cumulative(self.max_noise)
        for within in range(self.max_noise + 1):
            mass = cumulative[self.max_noise + within] - (
                cumulative[self.max_noise - within - 1] if within < self.max_noise else 0
            )
            if mass >= 0.95:
                return within
        return self.max_noise

    def noise(self, counts: np.ndarray, cell_keys: np.ndarray) -> np.ndarray:
        """Each count's noise; cell keys are taken modulo ``KEYS`` here, so callers may pass the
        plain sums of record keys."""
        counts = np.asarray(counts, dtype=np.int64)
        keys = np.asarray(cell_keys, dtype=np.int64) % KEYS
        # Where in the distribution each cell falls: a fraction in (0, 1) from its key and count.
        position = (((keys + _COUNT_STEP * counts) % KEYS) + 0.5) / KEYS
        noise = np.zeros(counts.shape, dtype=np.int64)
        reach = np.minimum(counts, self.max_noise)
        for r in np.unique(reach[reach > 0]):
            at = reach == r
            noise[at] = np.searchsorted(self._cumulative(int(r)), position[at]) - r
        return noise

    def perturb(self, counts: np.ndarray, cell_keys: np.ndarray) -> np.ndarray:
        """``counts`` with each one's noise added."""
        counts = np.asarray(counts, dtype=np.int64)
        return counts + self.noise(counts, cell_keys)
