"""Sentiment and language detection per language on the labelled dev set (benchmarks/devset/).

The floors are a little under what the word lists reach today (``benchmarks/text.py`` prints the
figures), so a change that makes any language worse fails here. Answers are given in the survey of
their own language; romanised Urdu, Hindi and Panjabi in the English survey, the harder case.
"""

from __future__ import annotations

import re

import pytest

from analysis.text import prepare_answer
from analysis.text.evaluation import ROMANISED_LANGUAGES, answer_tag, language_figures
from analysis.text.language import MIN_WORDS
from benchmarks.devset_loader import GROUPS, load

#: Pearson r against the writers' labels that each group must keep.
R_FLOORS = {
    "en": 0.6,
    "en-slang": 0.6,
    "gu": 0.55,
    "pa": 0.7,
    "pl": 0.5,
    "ro": 0.55,
    "ur": 0.55,
    "bn": 0.45,
    "pt": 0.6,
    "ar": 0.35,
    "so": 0.5,
    "hi": 0.6,
    "ta": 0.35,
    "ur-Latn": 0.55,
    "hi-Latn": 0.7,
    "pa-Latn": 0.55,
}
#: Share of answers given their own tag; romanised Urdu and Hindi are one tag or the other (in the
#: English survey nothing says which), romanised Panjabi is sometimes read as Hindustani.
DETECTION_FLOORS = {"hi-Latn": 0.0, "pa-Latn": 0.9}
HINDUSTANI = ("ur-Latn", "hi-Latn")
PLACEHOLDER = re.compile(r"\[[a-z]+\]")


def _figures(group: str):
    items = [item for item in load(group) if item.kind == "ordinary"]
    romanised = items[0].script == "Latn" and items[0].language in ROMANISED_LANGUAGES
    answers = [(item.text, answer_tag(item.language, item.script), float(item.sentiment)) for item in items]
    return language_figures(answers, "en" if romanised else items[0].language)


def test_every_group_has_a_floor() -> None:
    assert set(R_FLOORS) == set(GROUPS)


@pytest.mark.parametrize("group", GROUPS)
def test_every_answer_that_says_something_is_scored(group: str) -> None:
    figures = _figures(group)
    assert figures.coverage == 1.0
    assert figures.non_answers <= 1, "only answers like 'idk' are left unscored"


@pytest.mark.parametrize("group", GROUPS)
def test_sentiment_follows_the_labels(group: str) -> None:
    figures = _figures(group)
    assert figures.r is not None and figures.r >= R_FLOORS[group]


@pytest.mark.parametrize("group", GROUPS)
def test_the_language_is_detected(group: str) -> None:
    figures = _figures(group)
    assert figures.detected / figures.answers >= DETECTION_FLOORS.get(group, 1.0)
    if group in HINDUSTANI:
        assert sum(figures.tags[tag] for tag in HINDUSTANI) == figures.answers


@pytest.mark.parametrize("group", ["ur-Latn", "hi-Latn", "pa-Latn"])
def test_romanised_answers_are_never_english(group: str) -> None:
    """Every kind of item (disclosures and personal data too), in any survey. The one allowance: in
    the English survey, an answer left with under three words once personal data is redacted
    ("contact: [email] ya [phone]") keeps the survey's language."""
    for item in load(group):
        for survey_language in ("en", item.language, "pl"):
            result = prepare_answer(item.text, survey_language)
            words = re.findall(r"[a-z]+", PLACEHOLDER.sub(" ", result.redacted.lower()))
            if survey_language == "en" and len(words) < MIN_WORDS:
                continue
            assert result.language != "en", item.text
