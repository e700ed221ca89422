"""How good are the suggestions? Cross-validated precision, recall and F1 per theme.

Each fold's model is trained on the other folds and scored on answers it has never seen, and the
folds' predictions are pooled before counting, which is steadier than averaging five small folds.
Cue-only suggestions are scored on the same answers, so the table says what learning adds.

A theme with fewer than ``MIN_EVALUATED`` coded answers is reported as "not enough examples" with
no numbers: with a handful of positives, one answer moves recall by 20 points, and a figure that
looks precise would mislead more than a blank.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.themes.codebook import Codebook
from analysis.themes.learning import label_matrix, train_theme_model
from analysis.themes.matching import ASSIGNED, assign_themes
from analysis.themes.stratify import iterative_stratified_folds
from analysis.themes.suggestions import cue_scores, suggestion_scores

MIN_EVALUATED = 8
NOT_ENOUGH = "not enough examples"


@dataclass(frozen=True)
class ThemeEvaluation:
    """Per theme: ``theme, label, positives, status`` (``ok`` or "not enough examples"), then
    ``precision, recall, f1`` of the suggestions and ``cue_precision, cue_recall, cue_f1`` of cues
    alone. ``micro`` pools every evaluated theme's counts into the same six figures."""

    per_theme: pd.DataFrame
    micro: dict[str, float]
    folds: int


def cross_validate_themes(
    texts: Sequence[str | None],
    labels: Sequence[Collection[str]],
    codebook: Codebook,
    *,
    folds: int = 5,
    seed: int = 0,
    threshold: float = ASSIGNED,
) -> ThemeEvaluation:
    """Cross-validate ``train_theme_model`` + ``suggest`` on answers coded by people."""
    truth = label_matrix(labels, codebook)
    fold_of = iterative_stratified_folds(truth, folds, seed)
    suggested = np.zeros_like(truth)
    for fold in range(folds):
        test = np.flatnonzero(fold_of == fold)
        train = np.flatnonzero(fold_of != fold)
        model = train_theme_model([texts[i] for i in train], [labels[i] for i in train], codebook, seed=seed)
        suggested[test] = suggestion_scores([texts[i] for i in test], codebook, model).scores >= threshold
    by_cues = cue_scores(assign_themes(texts, codebook), codebook) >= threshold
    return evaluate(truth, suggested, by_cues, codebook, folds=folds)


def evaluate(
    truth: np.ndarray,
    suggested: np.ndarray,
    by_cues: np.ndarray,
    codebook: Codebook,
    *,
    folds: int = 1,
    min_positives: int = MIN_EVALUATED,
) -> ThemeEvaluation:
    """Score boolean answers x themes predictions against ``truth``; themes with fewer than
    ``min_positives`` true answers are "not enough examples"."""
    positives = truth.sum(axis=0)
    evaluated = positives >= min_positives
    rows = []
    for j, theme in enumerate(codebook):
        row: dict[str, object] = {
            "theme": theme.id,
            "label": theme.label,
            "positives": int(positives[j]),
            "status": "ok" if evaluated[j] else NOT_ENOUGH,
        }
        for prefix, predicted in (("", suggested), ("cue_", by_cues)):
            figures = (
                _figures(truth[:, j], predicted[:, j]) if evaluated[j] else dict.fromkeys(_FIGURES, np.nan)
            )
            row.update({prefix + name: value for name, value in figures.items()})
        rows.append(row)
    micro = {}
    for prefix, predicted in (("", suggested), ("cue_", by_cues)):
        figures = _figures(truth[:, evaluated].ravel(), predicted[:, evaluated].ravel())
        micro.update({prefix + name: value for name, value in figures.items()})
    return ThemeEvaluation(pd.DataFrame(rows), micro, folds)


def cue_f1(
    texts: Sequence[str | None], labels: Sequence[Collection[str]], codebook: Codebook
) -> dict[str, float]:
    """How well cues alone code ``texts`` against people's ``labels``: ``macro`` is the mean F1 over
    the themes present in the labels or the cues' answers, ``micro`` pools every theme's counts."""
    truth = label_matrix(labels, codebook)
    predicted = cue_scores(assign_themes(texts, codebook), codebook) >= ASSIGNED
    present = truth.any(axis=0) | predicted.any(axis=0)
    per_theme = [_figures(truth[:, j], predicted[:, j])["f1"] for j in np.flatnonzero(present)]
    return {
        "macro": float(np.mean(per_theme)) if per_theme else np.nan,
        "micro": _figures(truth[:, present].ravel(), predicted[:, present].ravel())["f1"],
    }


_FIGURES = ("precision", "recall", "f1")


def _figures(truth: np.ndarray, predicted: np.ndarray) -> dict[str, float]:
    true_positives = float((truth & predicted).sum())
    predicted_positives, actual_positives = float(predicted.sum()), float(truth.sum())
    precision = true_positives / predicted_positives if predicted_positives else np.nan
    recall = true_positives / actual_positives if actual_positives else np.nan
    both = predicted_positives + actual_positives
    return {"precision": precision, "recall": recall, "f1": 2 * true_positives / both if both else np.nan}
