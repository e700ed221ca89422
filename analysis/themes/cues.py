"""Turn a codebook cue into a regular expression that matches whole words and their inflections.

A regex-based stand-in for stemming: instead of cutting every word of every answer down to a stem
(which needs a stemmer per language and makes "police"/"policy" collide), each English cue is
expanded once into the inflections of the same word: plurals, possessives, verb endings, with
spelling changes (party -> parties, knife -> knives, rob -> robbed). Derived words ("dealer",
"darker") are different words and must be listed as cues; over-generating a form nobody writes
("gangses") costs nothing. Other languages' cues match as written; a word ending in ``*`` takes
any ending, so "zdrowi* psychiczn*" matches every case of the Polish "zdrowie psychiczne".

Word boundaries count the vowel signs of Indic scripts and the harakat of Arabic as part of a word
(Python's ``\\w`` does not), so a Hindi cue never matches inside a longer word.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from analysis.themes.folding import fold

#: Characters that belong to a word: ``\w`` plus Arabic and Indic combining marks. The Devanagari
#: dandas (U+0964, U+0965) are full stops and stay out.
WORD_CHARS = r"\w\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0900-\u0963\u0966-\u0dff"
WORD_START = rf"(?<![{WORD_CHARS}])"
WORD_END = rf"(?![{WORD_CHARS}])"
#: Between the words of a phrase: spaces, hyphens or nothing ("street light", "streetlight").
_JOINER = r"[\s\-]*"
_SPLIT = re.compile(r"[\s\-]+")
_VOWELS = frozenset("aeiou")
_NO_DOUBLING = frozenset("aeiouwxy")


def _marked_words(cue: str) -> list[str]:
    """The folded words of a cue, each still ending in ``*`` where the cue gives it any ending."""
    return [word for word in _SPLIT.split(fold(cue)) if word.rstrip("*")]


def cue_words(cue: str) -> list[str]:
    """The folded words of a cue, without their ``*``."""
    return [word.rstrip("*") for word in _marked_words(cue)]


def cue_key(cue: str) -> str:
    """What two cues share when they match the same text ("ex-offender" and "ex offender")."""
    return " ".join(_marked_words(cue))


def misplaced_star(cue: str) -> bool:
    """True when a ``*`` is anywhere but at the end of a word ("zdrowi* psychiczn*" is fine)."""
    return re.search(r"\*(?![\s\-]|$)", cue) is not None


class CuePattern(NamedTuple):
    """A cue's regex split where it stops being literal, so that cues can share a prefix trie."""

    #: Literal folded text the cue must start with (not escaped).
    head: str
    #: The regular expression for the rest of the cue.
    tail: str

    @property
    def regex(self) -> str:
        return re.escape(self.head) + self.tail


def cue_pattern(cue: str, language: str) -> CuePattern:
    """The pattern for ``cue`` (without word boundaries), matched against folded text."""
    parts = [
        (word[:-1], f"[{WORD_CHARS}]*")
        if word.endswith("*")
        else _inflections(word)
        if language == "en"
        else (word, "")
        for word in _marked_words(cue)
    ]
    (head, first_suffix), rest = parts[0], parts[1:]
    tail = first_suffix + "".join(_JOINER + re.escape(stem) + suffix for stem, suffix in rest)
    return CuePattern(head, tail)


def _inflections(word: str) -> tuple[str, str]:
    """English regular inflections of ``word`` (already folded): a literal stem and a suffix regex."""
    if not (word.isascii() and word.isalpha()) or len(word) <= 2:
        return word, ""
    if word.endswith("y") and word[-2] not in _VOWELS:
        return word[:-1], "(?:y|ys|ies|ied|ying)"
    if word.endswith("fe"):
        return word[:-2], "(?:fe|fes|ves)"
    if word.endswith("f") and not word.endswith("ff"):
        return word[:-1], "(?:f|fs|ves)"
    if word.endswith("ee"):
        return word, "(?:s|d|ing)?"
    if word.endswith("e"):
        return word[:-1], "(?:e|es|ed|ing)"
    if word.endswith(("s", "x", "z", "ch", "sh", "o")):
        return word, "(?:es|s|ed|ing)?"
    consonant_vowel_consonant = (
        word[-1] not in _NO_DOUBLING and word[-2] in _VOWELS and word[-3] not in _VOWELS
    )
    if consonant_vowel_consonant:
        # rob -> robbed, robbing; the doubled letter is optional because "visited" does not double.
        return word, f"(?:s|{word[-1]}?(?:ed|ing))?"
    return word, "(?:s|ed|ing)?"
