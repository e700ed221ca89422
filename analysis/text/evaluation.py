"""Score a sentiment engine against human ratings, as ``shared/data/sentiment/README.md`` prescribes,
and per language against a labelled development set.

Used by ``benchmarks/text.py`` and the tests, so both report the same numbers: Pearson r against
the raters' mean, and 3-class macro F1 with classes cut at ±0.05 on a -1..1 scale (gold ratings
are on -4..4 and are divided by 4 first); per language, the share of answers scored, r against the
labels, and how often the answer's language was detected.

The safeguarding screen against labelled answers (used by ``benchmarks/text.py`` and
``tests/analysis/test_safeguarding_languages.py``): recall on disclosures, whether the flag names the
labelled kind of harm, and the false-positive rate on answers that are not disclosures.
"""

from __future__ import annotations

import csv
import statistics
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from analysis.text.language import detect_language
from analysis.text.sentiment import is_non_answer, sentiment

GOLD_SCALE = 4.0
NEUTRAL_BAND = 0.05
CLASSES = (-1, 0, 1)


def read_corpus(path: Path) -> tuple[list[float], list[str]]:
    """Return the gold ratings and texts of a ``id,gold,text`` CSV file."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [float(row["gold"]) for row in rows], [row["text"] for row in rows]


def polarity_class(score: float) -> int:
    """-1, 0 or 1 for a score on the -1..1 scale."""
    if score > NEUTRAL_BAND:
        return 1
    if score < -NEUTRAL_BAND:
        return -1
    return 0


def pearson_r(predicted: Sequence[float], gold: Sequence[float]) -> float:
    return statistics.correlation(predicted, gold)


def macro_f1(predicted: Sequence[float], gold: Sequence[float]) -> float:
    """Unweighted mean of the per-class F1 over negative, neutral and positive."""
    predicted_classes = [polarity_class(p) for p in predicted]
    gold_classes = [polarity_class(g / GOLD_SCALE) for g in gold]
    scores = []
    for label in CLASSES:
        true_positive = sum(p == g == label for p, g in zip(predicted_classes, gold_classes, strict=True))
        predicted_count = predicted_classes.count(label)
        gold_count = gold_classes.count(label)
        denominator = predicted_count + gold_count
        scores.append(2 * true_positive / denominator if denominator else 0.0)
    return sum(scores) / len(scores)


@dataclass(frozen=True)
class ScreenScore:
    disclosures: int
    #: disclosures flagged
    found: int
    #: disclosures flagged with their labelled kind among the kinds
    kind_named: int
    #: answers that are not disclosures
    negatives: int
    #: of those, the ones flagged
    false_alarms: int

    @property
    def recall(self) -> float:
        return self.found / self.disclosures if self.disclosures else 1.0

    @property
    def kind_rate(self) -> float:
        """Of the disclosures, the share flagged with their labelled kind."""
        return self.kind_named / self.disclosures if self.disclosures else 1.0

    @property
    def false_positive_rate(self) -> float:
        return self.false_alarms / self.negatives if self.negatives else 0.0


def screen_score(
    screen: Callable[[str], tuple[str, ...]], labelled: Iterable[tuple[str, str | None]]
) -> ScreenScore:
    """Score ``screen`` on (text, kind of harm) pairs; the kind is None for an answer that is not a
    disclosure."""
    disclosures = found = kind_named = negatives = false_alarms = 0
    for text, harm in labelled:
        harms = screen(text)
        if harm is None:
            negatives += 1
            false_alarms += bool(harms)
        else:
            disclosures += 1
            found += bool(harms)
            kind_named += harm in harms
    return ScreenScore(disclosures, found, kind_named, negatives, false_alarms)


@dataclass(frozen=True)
class LanguageFigures:
    """How sentiment and language detection do on one group of labelled answers."""

    answers: int
    #: answers that say nothing ("idk", "n/a"): "not scored" by design
    non_answers: int
    #: the others that got a score
    scored: int
    #: Pearson r of the scores against the labels (None with fewer than 3 scored or no spread)
    r: float | None
    #: answers whose language tag was detected exactly
    detected: int
    #: how many answers were given each language tag
    tags: Counter[str]

    @property
    def coverage(self) -> float:
        """Share of the answers that say something which got a score."""
        said = self.answers - self.non_answers
        return self.scored / said if said else 1.0


#: Languages whose Latin-script form gets its own tag.
ROMANISED_LANGUAGES = ("ur", "hi", "pa")


def answer_tag(language: str, script: str) -> str:
    """The tag detection should give: ``ur-Latn`` for Urdu in Latin script, ``pl`` for Polish."""
    return f"{language}-Latn" if script == "Latn" and language in ROMANISED_LANGUAGES else language


def language_figures(answers: Sequence[tuple[str, str, float]], survey_language: str) -> LanguageFigures:
    """Score and tag ``(text, expected tag, label)`` answers given in ``survey_language``."""
    scored: list[tuple[float, float]] = []
    non_answers = detected = 0
    tags: Counter[str] = Counter()
    for text, expected, label in answers:
        tag = detect_language(text, survey_language)
        detected += tag == expected
        tags[tag] += 1
        if is_non_answer(text, tag):
            non_answers += 1
            continue
        score = sentiment(text, tag)
        if score is not None:
            scored.append((score, label))
    predicted, gold = [s for s, _ in scored], [g for _, g in scored]
    spread = len(scored) >= 3 and len(set(predicted)) > 1 and len(set(gold)) > 1
    return LanguageFigures(
        len(answers), non_answers, len(scored), pearson_r(predicted, gold) if spread else None, detected, tags
    )
