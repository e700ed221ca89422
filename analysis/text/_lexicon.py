"""Word polarities for :mod:`analysis.text.sentiment`, loaded once per process.

The base is TextBlob's English lexicon (``textblob/en/en-sentiment.xml``), averaged exactly as
TextBlob's ``PatternAnalyzer`` averages it: senses per part of speech, then parts of speech, then
adjectives copied to their ``-ly`` adverbs. We read the XML ourselves instead of importing
``textblob.en`` because that import pulls in NLTK and costs about two seconds at start-up; a
test checks that the result matches TextBlob's own loader.

On top of it sits ``analysis/data/sentiment_lexicon.tsv``: everyday, slang, safety and emoji
entries that TextBlob's adjective-centred lexicon lacks. That file only fills gaps (TextBlob's
value wins where both have a word, so the base stays recognisably TextBlob's), except for the
few lines marked ``override`` (the safety sense of a word differs from the general one) or
``ignore`` (quantifiers and identity words, which should carry no sentiment at all).

TextBlob's analyser lemmatises words when it is given parsed text but not when it is given a plain
string, so "scarier", "hopes" or "ruining" go unscored. :func:`polarity_of` falls back to simple
English inflection rules to find the lexicon form: comparison ("-er", "-est") for any word, plural
and tense endings only for nouns and verbs, so that "lives" does not inherit "live" as in "live
music".
"""

from __future__ import annotations

import re
from collections.abc import Container
from functools import cache, lru_cache
from importlib import resources
from importlib.util import find_spec
from pathlib import Path
from typing import NamedTuple

_WORD_ELEMENT = re.compile(r"<word\s([^>]*?)/?>")
_ATTRIBUTE = re.compile(r'(\w+)="([^"]*)"')


class Lexicon(NamedTuple):
    """Polarity of every known word, and the intensity of words TextBlob treats as modifiers."""

    polarity: dict[str, float]
    #: Words with an adverb (``RB``) sense; TextBlob lets them scale the next known word.
    modifier_intensity: dict[str, float]
    #: Nouns and verbs, whose plural or tense forms may be looked up by their base form.
    nouns_and_verbs: frozenset[str]


def _mean(values: list[float]) -> float:
    return sum(values) / len(values)


def _textblob_xml() -> str:
    spec = find_spec("textblob")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("textblob is required for sentiment scoring")
    path = Path(next(iter(spec.submodule_search_locations))) / "en" / "en-sentiment.xml"
    return path.read_text(encoding="utf-8")


def _textblob_entries(xml: str) -> dict[str, dict[str | None, tuple[float, float]]]:
    """Parse the XML into ``{word: {pos: (polarity, intensity)}}`` with TextBlob's averaging."""
    senses: dict[str, dict[str | None, list[tuple[float, float]]]] = {}
    for element in _WORD_ELEMENT.finditer(xml):
        attrs = dict(_ATTRIBUTE.findall(element.group(1)))
        form = attrs.get("form")
        if not form:
            continue
        pos = attrs.get("pos")
        psi = (float(attrs.get("polarity", 0.0)), float(attrs.get("intensity", 1.0)))
        senses.setdefault(form, {}).setdefault(pos, []).append(psi)

    words: dict[str, dict[str | None, tuple[float, float]]] = {}
    for form, by_pos in senses.items():
        averaged = {pos: (_mean([p for p, _ in v]), _mean([i for _, i in v])) for pos, v in by_pos.items()}
        averaged[None] = (
            _mean([p for p, _ in averaged.values()]),
            _mean([i for _, i in averaged.values()]),
        )
        words[form] = averaged

    # TextBlob maps each adjective to its adverb ("terrible" -> "terribly") with the same scores.
    for form, by_pos in list(words.items()):
        if "JJ" not in by_pos:
            continue
        stem = form[:-1] + "i" if form.endswith("y") else form
        if stem.endswith("le"):
            stem = stem[:-2]
        adverb = words.setdefault(stem + "ly", {})
        adverb["RB"] = adverb[None] = by_pos["JJ"]
    return words


class Additions(NamedTuple):
    """The hand-written additions file, split by what each line does to TextBlob's lexicon."""

    fill: dict[str, float]
    override: dict[str, float]
    ignore: frozenset[str]


def additions() -> Additions:
    text = resources.files("analysis").joinpath("data/sentiment_lexicon.tsv").read_text(encoding="utf-8")
    fill: dict[str, float] = {}
    override: dict[str, float] = {}
    ignore: set[str] = set()
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        word, polarity, *flag = line.split("\t")
        if flag == ["ignore"]:
            ignore.add(word)
        else:
            (override if flag == ["override"] else fill)[word] = float(polarity)
    return Additions(fill, override, frozenset(ignore))


@cache
def lexicon() -> Lexicon:
    """Return the merged lexicon; built on first use so importing the package stays cheap."""
    entries = _textblob_entries(_textblob_xml())
    polarity = {word: by_pos[None][0] for word, by_pos in entries.items()}
    modifier_intensity = {word: by_pos[None][1] for word, by_pos in entries.items() if "RB" in by_pos}
    nouns_and_verbs = {word for word, by_pos in entries.items() if {"NN", "VB"} & set(by_pos)}
    extra = additions()
    for word, value in extra.fill.items():
        polarity.setdefault(word, value)
    polarity.update(extra.override)
    for word in extra.ignore:
        polarity.pop(word, None)
    # Most hand-written additions are nouns and verbs: TextBlob's lexicon already has the adjectives.
    nouns_and_verbs.update(extra.fill)
    return Lexicon(polarity, modifier_intensity, frozenset(nouns_and_verbs))


#: (suffix, replacement) pairs tried in order on unknown words: comparatives and superlatives of
#: adjectives, then plurals, third persons, past tenses and participles of nouns and verbs.
_COMPARISONS = (("ier", "y"), ("iest", "y"), ("er", ""), ("er", "e"), ("est", ""), ("est", "e"))
_INFLECTIONS = (
    ("ies", "y"),
    ("ied", "y"),
    ("es", ""),
    ("s", ""),
    ("ed", ""),
    ("ed", "e"),
    ("ing", ""),
    ("ing", "e"),
)
_MIN_INFLECTED_LENGTH = 5


def _base_form(word: str, rules: tuple[tuple[str, str], ...], known: Container[str]) -> str | None:
    for suffix, replacement in rules:
        if word.endswith(suffix):
            stem = word[: -len(suffix)]
            undoubled = stem[:-1] if stem[-1:] == stem[-2:-1] else None  # "bigger", "stopped"
            for candidate in (stem + replacement, undoubled):
                if candidate and candidate in known:
                    return candidate
    return None


@lru_cache(maxsize=65536)
def polarity_of(word: str) -> float | None:
    """Polarity of a lower-case word or of its uninflected form; ``None`` if unknown."""
    known = lexicon()
    value = known.polarity.get(word)
    if value is not None or len(word) < _MIN_INFLECTED_LENGTH or word.endswith("ss"):
        return value
    base = _base_form(word, _COMPARISONS, known.polarity) or _base_form(
        word, _INFLECTIONS, known.nouns_and_verbs
    )
    return known.polarity.get(base) if base else None
