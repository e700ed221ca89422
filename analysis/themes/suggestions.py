"""Suggest themes for answers, never overruling what a person decided.

Where an analyst has coded an answer, that coding is the answer's themes, returned as given and
marked ``source="human"``, even when it is empty (a person deciding "no theme" is a decision, not
a gap) and whatever cues or the model would say. ``None`` means nobody has coded it yet; only
those answers get suggestions.

A suggestion's score is the larger of the cue score and the model's probability, and its source
says which: a cue the codebook's authors wrote always counts, and the model adds what it learned
from coded answers (see ``learning`` for why it does not override cues).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Literal, NamedTuple

import numpy as np

from analysis.themes.codebook import Codebook
from analysis.themes.learning import ThemeModel, label_matrix
from analysis.themes.matching import ASSIGNED, ThemeMatch, assign_themes

Source = Literal["human", "model", "cues"]


@dataclass(frozen=True, slots=True)
class ThemeSuggestion:
    theme: str
    #: 1.0 for a person's decision; otherwise the model's probability or the cue score.
    score: float
    source: Source
    #: The cues found in the answer for this theme, for the analyst to see why.
    cues: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Suggestion:
    """The themes of one answer: a person's coding (``source="human"``) or suggestions."""

    source: Literal["human", "suggested"]
    themes: tuple[ThemeSuggestion, ...]

    @property
    def theme_ids(self) -> tuple[str, ...]:
        return tuple(theme.theme for theme in self.themes)


class Scored(NamedTuple):
    """Scores for answers x themes (codebook order), and the cue matches they came from."""

    scores: np.ndarray
    #: True where the score is the model's probability rather than the cue score.
    from_model: np.ndarray
    matches: list[list[ThemeMatch]]


def cue_scores(matches: Sequence[list[ThemeMatch]], codebook: Codebook) -> np.ndarray:
    """Answers x themes (codebook order): each theme's cue score, 0 where no cue matched."""
    column = {theme_id: j for j, theme_id in enumerate(codebook.ids)}
    scores = np.zeros((len(matches), len(column)))
    for i, found in enumerate(matches):
        for match in found:
            scores[i, column[match.theme]] = match.score
    return scores


def suggestion_scores(
    texts: Sequence[str | None], codebook: Codebook, model: ThemeModel | None = None
) -> Scored:
    """The larger of cue score and model probability for every answer and theme."""
    matches = assign_themes(texts, codebook)
    scores = cue_scores(matches, codebook)
    from_model = np.zeros(scores.shape, dtype=bool)
    if model is not None:
        model.check_codebook(codebook)
        columns = [codebook.ids.index(theme_id) for theme_id in model.themes]
        probabilities = model.predict_proba(texts)
        from_model[:, columns] = probabilities > scores[:, columns]
        scores[:, columns] = np.maximum(scores[:, columns], probabilities)
    return Scored(scores, from_model, matches)


def suggest(
    texts: Sequence[str | None],
    codebook: Codebook,
    model: ThemeModel | None = None,
    human_labels: Sequence[Collection[str] | None] | None = None,
    *,
    threshold: float = ASSIGNED,
) -> list[Suggestion]:
    """One ``Suggestion`` per answer. ``human_labels[i]`` is a person's themes for ``texts[i]``, or
    None where nobody has coded it; suggested themes are those scoring at least ``threshold``,
    strongest first. Human themes come back in codebook order with score 1.0."""
    if human_labels is None:
        human_labels = [None] * len(texts)
    if len(human_labels) != len(texts):
        raise ValueError(f"{len(texts)} answers but {len(human_labels)} human label sets")
    coded = label_matrix([labels or () for labels in human_labels], codebook)
    undecided = [i for i, labels in enumerate(human_labels) if labels is None]
    scored = suggestion_scores([texts[i] for i in undecided], codebook, model)
    row_of = {i: row for row, i in enumerate(undecided)}

    def human(i: int) -> Suggestion:
        return Suggestion(
            "human",
            tuple(ThemeSuggestion(codebook.ids[j], 1.0, "human", ()) for j in np.flatnonzero(coded[i])),
        )

    def suggested(row: int) -> Suggestion:
        scores = scored.scores[row]
        cues = {match.theme: match.cues for match in scored.matches[row]}
        return Suggestion(
            "suggested",
            tuple(
                ThemeSuggestion(
                    codebook.ids[j],
                    round(float(scores[j]), 3),
                    "model" if scored.from_model[row, j] else "cues",
                    cues.get(codebook.ids[j], ()),
                )
                for j in sorted(np.flatnonzero(scores >= threshold), key=lambda j: -scores[j])
            ),
        )

    return [suggested(row_of[i]) if i in row_of else human(i) for i in range(len(texts))]
