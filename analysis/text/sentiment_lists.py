"""Sentiment from hand-written word lists: every survey language but English, and romanised
Urdu, Hindi and Panjabi. English has its own richer scorer (:mod:`analysis.text.sentiment`).

Each list is a file in ``analysis/data/sentiment/`` (format and sources in its ``README.md``):
word and stem polarities, negators, intensifiers, "but" words and answers that say nothing. The
file names the language tags it scores, so adding a language is adding a file. The rules are the
English scorer's, simplified and made direction-aware:

* a negator flips and dampens the nearest scored word within four words, looking first in its
  own direction: Polish "nie" and Arabic "لا" negate what follows, Hindustani "nahi", Urdu "نہیں"
  and Tamil "இல்லை" what precedes ("safe nahi hai"); a negating ending negates its own word
  ("பயமில்லை", no fear) or, if that word is unscored, the one before it;
* intensifiers and dampeners strengthen or weaken the nearest scored word after them (before
  them for post-posed ones such as Arabic "جدا");
* after a "but" word, a sentence's words count 1.5 times and those before it half;
* the score is the weighted mean of the scored words' polarities (0 when none is known).

Text and entries go through the same :func:`normalise` first, so spelling variants in Unicode
(Arabic letter forms, Indic nukta, precomposed letters, missing Polish diacritics) meet.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

from analysis.text._lexicon import polarity_of

_VADER_SCALE = 4.0
#: The English scorer's constants (VADER's, rescaled to -1..1).
BOOST = 0.293 / _VADER_SCALE
NEGATION_SCALAR = -0.74
#: One word further than in English: "Nu mă simt în siguranță", "nie czuję się bezpiecznie".
NEGATION_REACH = 4
MODIFIER_REACH = 2
BEFORE_CONTRAST = 0.5
AFTER_CONTRAST = 1.5
#: Shortest stem a word may be matched by.
MIN_STEM = 2

_SECTIONS = frozenset(
    {
        "languages",
        "settings",
        "polarity",
        "negators",
        "negators_after",
        "negator_suffixes",
        "intensifiers",
        "intensifiers_after",
        "dampeners",
        "contrast",
        "non_answers",
    }
)
_SETTINGS = frozenset({"fold_accents", "collapse_doubles", "english_fallback", "arabic_clitics"})

# Arabic-script letter variants are unified (Arabic and Persian yeh, alef maksura and Urdu bari
# yeh; Arabic and Persian kaf; heh forms; hamza seats on alef); vowel marks and tatweel dropped.
_ARABIC_LETTERS = str.maketrans(
    {
        "ي": "ی",
        "ى": "ی",
        "ے": "ی",
        "ۓ": "ی",
        "ئ": "ی",
        "ك": "ک",
        "ه": "ہ",
        "ە": "ہ",
        "ۀ": "ہ",
        "ة": "ہ",
        "ۃ": "ہ",
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ؤ": "و",
    }
)
_DROPPED = re.compile(
    "[\u064b-\u065f\u0670\u0640"  # Arabic vowel marks, superscript alef, tatweel
    "\u093c\u09bc\u0a3c\u0abc\u0b3c"  # Indic nukta
    "\u200b-\u200d\ufeff]"  # zero-width space, non-joiner, joiner; byte-order mark
)
_SENTENCE_END = re.compile(r"[।॥۔؟]")
_DOUBLED = re.compile(r"([a-z])\1+")
_TOKEN = re.compile(
    r"(?P<word>[^\W\d_][\w'\u0900-\u0dff\u0610-\u061a\u064b-\u065f\u0670]*)"
    r"|(?P<mark>[.!?,;:\n،؛])"
    r"|(?P<emoji>[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF])"
)
_ARABIC_PREFIXES = ("و", "ف", "ب", "ل", "ک")
_ARTICLE = "ال"


@dataclass(frozen=True)
class WordList:
    """One language's list, normalised as its text will be."""

    name: str
    languages: frozenset[str]
    settings: frozenset[str]
    words: dict[str, float]
    stems: dict[str, float]
    #: Multi-word entries by their first word, longest first.
    phrases: dict[str, list[tuple[tuple[str, ...], float]]]
    negators: frozenset[str]
    negators_after: frozenset[str]
    negator_suffixes: tuple[str, ...]
    intensifiers: frozenset[str]
    intensifiers_after: frozenset[str]
    dampeners: frozenset[str]
    contrast: frozenset[str]
    non_answers: frozenset[str]

    def normalise(self, text: str) -> str:
        return normalise(text, self.settings)


def normalise(text: str, settings: frozenset[str] = frozenset()) -> str:
    """The form in which text and list entries are compared."""
    text = _DROPPED.sub("", unicodedata.normalize("NFKC", text).lower().translate(_ARABIC_LETTERS))
    text = _SENTENCE_END.sub(".", text.replace("’", "'"))
    if "fold_accents" in settings:
        text = "".join(
            ch
            for ch in unicodedata.normalize("NFKD", text.replace("ł", "l"))
            if not "\u0300" <= ch <= "\u036f"
        )
    if "collapse_doubles" in settings:
        text = _DOUBLED.sub(r"\1", text)
    return text


def _words(text: str) -> list[str]:
    return [match.group() for match in _TOKEN.finditer(text) if match.lastgroup == "word"]


class WordListInvalid(ValueError):
    """A word-list file cannot be read; the message names the file and line."""


def parse(name: str, text: str) -> WordList:
    """Read one word-list file (``name`` is used in error messages)."""
    sections: dict[str, list[tuple[int, str]]] = {}
    current: list[tuple[int, str]] | None = None
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            if line[1:-1] not in _SECTIONS:
                raise WordListInvalid(
                    f"{name}:{number}: unknown section {line}; use one of {', '.join(sorted(_SECTIONS))}"
                )
            current = sections.setdefault(line[1:-1], [])
        elif current is None:
            raise WordListInvalid(f"{name}:{number}: text before the first [section]: {line!r}")
        else:
            current.append((number, line))

    def word_set(section: str, settings: frozenset[str]) -> frozenset[str]:
        return frozenset(
            normalise(word, settings) for _, line in sections.get(section, ()) for word in line.split()
        )

    settings = frozenset(word for _, line in sections.get("settings", ()) for word in line.split())
    if settings - _SETTINGS:
        raise WordListInvalid(
            f"{name}: unknown setting {', '.join(sorted(settings - _SETTINGS))}; "
            f"use {', '.join(sorted(_SETTINGS))}"
        )
    languages = frozenset(word for _, line in sections.get("languages", ()) for word in line.split())
    if not languages:
        raise WordListInvalid(f"{name}: a [languages] section must name the language tags it scores")
    words: dict[str, float] = {}
    stems: dict[str, float] = {}
    phrases: dict[str, list[tuple[tuple[str, ...], float]]] = {}
    for number, line in sections.get("polarity", ()):
        entry, _, value = line.rpartition(" ")
        try:
            polarity = float(value)
        except ValueError:
            polarity = math.nan
        if not entry or not -1.0 <= polarity <= 1.0:
            raise WordListInvalid(
                f"{name}:{number}: write a word, stem* or phrase, a space and a "
                f"polarity from -1 to 1: {line!r}"
            )
        normal = normalise(entry.strip(), settings)
        if normal.endswith("*"):
            stems[normal[:-1]] = polarity
            continue
        parts = tuple(_words(normal))
        if len(parts) == 1:
            words[parts[0]] = polarity
        elif parts:
            phrases.setdefault(parts[0], []).append((parts, polarity))
    for entries in phrases.values():
        entries.sort(key=lambda entry: -len(entry[0]))
    non_answers = frozenset(
        " ".join(_words(normalise(line, settings))) for _, line in sections.get("non_answers", ())
    )
    return WordList(
        name=name,
        languages=languages,
        settings=settings,
        words=words,
        stems=stems,
        phrases=phrases,
        negators=word_set("negators", settings),
        negators_after=word_set("negators_after", settings),
        negator_suffixes=tuple(sorted(word_set("negator_suffixes", settings), key=len, reverse=True)),
        intensifiers=word_set("intensifiers", settings),
        intensifiers_after=word_set("intensifiers_after", settings),
        dampeners=word_set("dampeners", settings),
        contrast=word_set("contrast", settings),
        non_answers=non_answers,
    )


@cache
def word_lists() -> dict[str, WordList]:
    """Every list in ``analysis/data/sentiment/``, by each language tag it scores."""
    by_language: dict[str, WordList] = {}
    folder = resources.files("analysis").joinpath("data", "sentiment")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".txt"):
            continue
        word_list = parse(f"analysis/data/sentiment/{entry.name}", entry.read_text(encoding="utf-8"))
        for language in word_list.languages:
            if language in by_language:
                raise WordListInvalid(
                    f"{word_list.name}: {language} is scored by {by_language[language].name} already"
                )
            by_language[language] = word_list
    return by_language


def is_stock_non_answer(text: str, language: str) -> bool:
    """True for one of the answers that say nothing listed for ``language`` or English ("n/a",
    "nic", "kuch nahi"), whatever the case, punctuation or spacing."""
    lists = word_lists()
    for tag in dict.fromkeys((language, "en")):
        word_list = lists.get(tag)
        if word_list and " ".join(_words(word_list.normalise(text))) in word_list.non_answers:
            return True
    return False


_VALUE, _NEG, _NEG_AFTER, _BOOST, _BOOST_AFTER, _CONTRAST, _BREAK, _OTHER = range(8)


def _lookup(word: str, word_list: WordList) -> float | None:
    forms = [word]
    if "arabic_clitics" in word_list.settings:
        # A conjunction or preposition, then the article, may be written onto the word ("وبالأمان").
        while len(forms) < 3 and forms[-1].startswith(_ARABIC_PREFIXES) and len(forms[-1]) > 3:
            forms.append(forms[-1][1:])
        forms += [form[len(_ARTICLE) :] for form in forms if form.startswith(_ARTICLE) and len(form) > 4]
    for form in forms:
        value = word_list.words.get(form)
        if value is not None:
            return value
    for form in forms:
        for end in range(len(form), MIN_STEM - 1, -1):
            value = word_list.stems.get(form[:end])
            if value is not None:
                return value
    if "english_fallback" in word_list.settings and word.isascii():
        return polarity_of(word)
    return None


def _classify(text: str, word_list: WordList) -> list[tuple[int, float]]:
    """(kind, value) per token; ``value`` is a polarity or a modifier's signed boost."""
    tokens = [(m.lastgroup, m.group()) for m in _TOKEN.finditer(word_list.normalise(text))]
    out: list[tuple[int, float]] = []
    i = 0
    while i < len(tokens):
        kind, word = tokens[i]
        i += 1
        if kind == "mark":
            out.append((_BREAK, 0.0))
            continue
        if kind == "emoji":
            value = polarity_of(word)
            out.append((_OTHER, 0.0) if value is None else (_VALUE, value))
            continue
        phrase = next(
            (
                (len(parts), value)
                for parts, value in word_list.phrases.get(word, ())
                if tuple(w for _, w in tokens[i - 1 : i - 1 + len(parts)]) == parts
            ),
            None,
        )
        if phrase is not None:
            out.append((_VALUE, phrase[1]))
            i += phrase[0] - 1
            continue
        if word in word_list.negators:
            out.append((_NEG, 0.0))
        elif word in word_list.negators_after:
            out.append((_NEG_AFTER, 0.0))
        elif word in word_list.contrast:
            out.append((_CONTRAST, 0.0))
        elif word in word_list.intensifiers or word in word_list.dampeners:
            out.append((_BOOST, BOOST if word in word_list.intensifiers else -BOOST))
        elif word in word_list.intensifiers_after:
            out.append((_BOOST_AFTER, BOOST))
        else:
            value = _lookup(word, word_list)
            suffix = next(
                (s for s in word_list.negator_suffixes if word.endswith(s) and len(word) > len(s)), None
            )
            if suffix is not None:
                stem_value = _lookup(word[: -len(suffix)], word_list)
                if stem_value is not None and value == stem_value:
                    out.append((_VALUE, stem_value * NEGATION_SCALAR))
                    continue
                if value is None:
                    out.append((_NEG_AFTER, 0.0))
                    continue
            out.append((_OTHER, 0.0) if value is None else (_VALUE, value))
    return out


def _target(kinds: list[int], i: int, reach: int, after_first: bool) -> int | None:
    """The nearest scored token within ``reach`` of ``i`` in the same clause, looking after ``i``
    first when ``after_first``, else before."""
    for direction in (1, -1) if after_first else (-1, 1):
        j = i + direction
        while 0 <= j < len(kinds) and abs(j - i) <= reach and kinds[j] != _BREAK:
            if kinds[j] == _VALUE:
                return j
            j += direction
    return None


def score(text: str, word_list: WordList) -> float:
    """The answer's sentiment from -1 to 1 (0 when no word of it is in the list)."""
    tokens = _classify(text, word_list)
    kinds = [kind for kind, _ in tokens]
    values = [value for _, value in tokens]
    boost = [0.0] * len(tokens)
    negated = [False] * len(tokens)
    weights = [1.0] * len(tokens)
    sentence_start = 0
    for i, kind in enumerate(kinds):
        if kind in (_NEG, _NEG_AFTER):
            j = _target(kinds, i, NEGATION_REACH, kind == _NEG)
            if j is not None:
                negated[j] = True
        elif kind in (_BOOST, _BOOST_AFTER):
            j = _target(kinds, i, MODIFIER_REACH, kind == _BOOST)
            if j is not None:
                boost[j] += values[i]
        elif kind == _CONTRAST:
            for k in range(sentence_start, i):
                weights[k] *= BEFORE_CONTRAST
            for k in range(i + 1, len(kinds)):
                if kinds[k] == _BREAK:
                    break
                weights[k] *= AFTER_CONTRAST
        elif kind == _BREAK:
            sentence_start = i + 1
    total = weighted = 0.0
    for i, kind in enumerate(kinds):
        if kind != _VALUE:
            continue
        value = values[i]
        if value and boost[i]:
            value = math.copysign(max(abs(value) + boost[i], 0.0), value)
        if negated[i]:
            value *= NEGATION_SCALAR
        weighted += max(-1.0, min(1.0, value)) * weights[i]
        total += weights[i]
    return max(-1.0, min(1.0, weighted / total)) if total else 0.0
