"""Learn from analysts' coding to suggest themes the cues miss.

Analysts accept, change and add theme labels. Each coded answer shows what a theme looks like in
people's own words, and wording recurs within a wave ("just in case", "nothing for them to do",
"they get let off") long before anyone adds it to the codebook. One logistic regression per theme
(one-vs-rest, balanced class weights because most themes are rare) reads TF-IDF words and
character n-grams (``vectors``) and learns that wording.

The model adds to the cues and never removes them: a suggestion's score is the larger of the cue
score and the model's probability (``suggest``). Letting the model read cue scores as features, so
that it could learn when a cue misleads, was tried: on the coded answers in ``tests/analysis`` it
copied the cues where most coded answers had them and ignored them where most did not, and
scored no better than cues alone. A misleading cue is better fixed in the codebook, where people
can see the change and it is versioned.

Themes with fewer than ``MIN_POSITIVES`` coded answers get no classifier (``untrained``): their
suggestions are cue-only.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier

from analysis.themes.codebook import Codebook
from analysis.themes.vectors import AnswerVectoriser

#: Coded answers a theme needs (and answers without it) before a classifier is trained for it.
MIN_POSITIVES = 5
#: Inverse regularisation strength. Cross-validation on the coded answers in ``tests/analysis``
#: gave the same micro F1 (within seed noise) for C from 10 to 100; the smaller one is kept.
C = 10.0


@dataclass(frozen=True, eq=False)
class ThemeModel:
    """Classifiers for the themes with enough coded answers."""

    #: The codebook the coding was done with, for the record.
    codebook_version: str
    codebook_hash: str
    #: Themes with a classifier, in codebook order: the columns of ``predict_proba``.
    themes: tuple[str, ...]
    #: Themes left to cues for want of coded answers.
    untrained: tuple[str, ...]
    vectoriser: AnswerVectoriser
    classifier: OneVsRestClassifier | None

    def check_codebook(self, codebook: Codebook) -> None:
        """Theme ids are never reused, so a model fits any codebook that still has its themes."""
        missing = sorted(set(self.themes) - set(codebook.ids))
        if missing:
            raise ValueError(
                f"this model was trained with codebook {self.codebook_version}; codebook "
                f"{codebook.version} no longer has {missing}; retrain it with the coded answers"
            )

    def predict_proba(self, texts: Sequence[str | None]) -> np.ndarray:
        """Probability of each of ``themes`` (columns) for each answer (rows)."""
        if self.classifier is None:
            return np.zeros((len(texts), 0))
        probabilities = self.classifier.predict_proba(self.vectoriser.transform(_strings(texts)))
        # With a single theme, OneVsRestClassifier sees a binary problem and returns the
        # probability of each class: the theme's is the last column.
        return probabilities[:, -1:] if len(self.themes) == 1 else probabilities


def label_matrix(labels: Sequence[Collection[str]], codebook: Codebook) -> np.ndarray:
    """Boolean answers x themes (codebook order); unknown theme ids are an error."""
    column = {theme_id: j for j, theme_id in enumerate(codebook.ids)}
    matrix = np.zeros((len(labels), len(column)), dtype=bool)
    for i, themes in enumerate(labels):
        unknown = set(themes) - column.keys()
        if unknown:
            raise ValueError(
                f"answer {i} is coded with {sorted(unknown)}, which codebook {codebook.version} does not have"
            )
        matrix[i, [column[t] for t in themes]] = True
    return matrix


def train_theme_model(
    texts: Sequence[str | None], labels: Sequence[Collection[str]], codebook: Codebook, *, seed: int = 0
) -> ThemeModel:
    """Fit one classifier per theme with at least ``MIN_POSITIVES`` coded answers (and as many
    without it); ``labels[i]`` is the set of theme ids a person gave ``texts[i]``."""
    if len(texts) != len(labels):
        raise ValueError(f"{len(texts)} answers but {len(labels)} label sets")
    y = label_matrix(labels, codebook)
    positives = y.sum(axis=0)
    trainable = (positives >= MIN_POSITIVES) & (len(texts) - positives >= MIN_POSITIVES)
    themes = tuple(t for t, ok in zip(codebook.ids, trainable, strict=True) if ok)
    untrained = tuple(t for t, ok in zip(codebook.ids, trainable, strict=True) if not ok)
    vectoriser = AnswerVectoriser()
    classifier = None
    if themes:
        features = vectoriser.fit_transform(_strings(texts))
        estimator = LogisticRegression(C=C, class_weight="balanced", max_iter=1000, random_state=seed)
        classifier = OneVsRestClassifier(estimator).fit(features, y[:, trainable])
    return ThemeModel(codebook.version, codebook.content_hash, themes, untrained, vectoriser, classifier)


def _strings(texts: Sequence[str | None]) -> list[str]:
    return [text if isinstance(text, str) else "" for text in texts]
