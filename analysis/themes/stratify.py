"""Split multi-label data into folds that each hold their share of every theme.

Plain stratified k-fold works on one label; with answers carrying several themes, and some themes
on a handful of answers, random folds leave a rare theme out of a test fold entirely and its
scores become meaningless. Iterative stratification (Sechidis, Tsoumakas and Vlahavas, "On the
stratification of multi-label data", ECML PKDD 2011) deals out the rarest theme first, each answer
to the fold that still wants that theme most. Written here because scikit-learn has no multi-label
stratifier and the small package that has one is unmaintained.
"""

from __future__ import annotations

import numpy as np


def iterative_stratified_folds(labels: np.ndarray, folds: int, seed: int = 0) -> np.ndarray:
    """The fold (0..folds-1) of each row of the boolean ``labels`` matrix (answers x themes)."""
    labels = np.asarray(labels, dtype=bool)
    n_rows = labels.shape[0]
    if not 2 <= folds <= n_rows:
        raise ValueError(f"need 2 <= folds <= {n_rows} answers, got folds={folds}")
    rng = np.random.default_rng(seed)
    wanted_rows = np.full(folds, n_rows / folds)
    wanted_labels = np.outer(np.full(folds, 1 / folds), labels.sum(axis=0))
    fold_of = np.full(n_rows, -1)
    unassigned = labels.copy()

    def assign(row: int, candidates: np.ndarray) -> None:
        # Among folds tied on the first criterion, prefer the one wanting most rows, then chance.
        best = candidates[wanted_rows[candidates] == wanted_rows[candidates].max()]
        fold = int(rng.choice(best))
        fold_of[row] = fold
        wanted_rows[fold] -= 1
        wanted_labels[fold] -= labels[row]
        unassigned[row] = False

    while unassigned.any():
        remaining = unassigned.sum(axis=0)
        rarest = np.flatnonzero(remaining == remaining[remaining > 0].min())
        theme = int(rng.choice(rarest))
        for row in rng.permutation(np.flatnonzero(unassigned[:, theme])):
            want = wanted_labels[:, theme]
            assign(int(row), np.flatnonzero(want == want.max()))
    for row in rng.permutation(np.flatnonzero(fold_of < 0)):  # answers with no theme
        assign(int(row), np.arange(folds))
    return fold_of
