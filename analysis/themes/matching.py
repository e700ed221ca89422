"""Assign themes to answers by their cues, with the evidence for each theme.

One regular expression per codebook holds every cue as a named group (shaped as a prefix trie, see
``_trie``), longest cues first so a phrase wins over a word it starts with ("police station" over
"police"); one scan of an answer finds every cue, and the group name says which cue it was. This
keeps matching far inside the text pipeline's budget of 2,000 answers a second.

Scores are a noisy-OR: each distinct cue found is independent evidence that the answer is about the
theme, so one cue gives 0.6 and two give 0.84. Repeating the same cue adds nothing.

Negation, kept deliberately small: an answer that denies something ("it's not about drugs", "not
the police's fault", "nothing to do with gangs") still *mentions* it, so the theme is kept, marked
``negated`` and weakly scored (0.15 per cue), and the analyst sees it. Absence is not denial: "no
street lights", "not enough youth clubs", "never see police" are complaints about that theme and
count in full. Only English denial is recognised.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from analysis.themes._trie import trie_regex
from analysis.themes.codebook import Codebook, Cue
from analysis.themes.cues import WORD_END, WORD_START, CuePattern, cue_key, cue_pattern
from analysis.themes.folding import fold

CUE_EVIDENCE = 0.6
NEGATED_EVIDENCE = 0.15
#: A theme counts as assigned from this score: one cue that is not negated.
ASSIGNED = 0.5

# "nothing to do with X" denies X, and must not read as the cue "nothing to do".
_DENIAL_IDIOM = re.compile(r"\bnothing\s+to\s+do\s+with\b")
_DENIAL_WORD = r"\b(?:not|isnt|arent|wasnt|werent|aint)\b"
# Most answers deny nothing: one search per answer spares the per-cue check below.
_ANY_DENIAL = re.compile(_DENIAL_WORD)
# A denial word, then only words that link it to what is denied ("not really about the ...").
_LINKING_WORDS = (
    "about|because|of|due|to|do|down|caused|by|related|with|from|really|all|the|a|an|any"
    "|it|its|their|them|his|her"
)
_DENIAL = re.compile(rf"{_DENIAL_WORD}(?:\s+(?:{_LINKING_WORDS}))*\s+$")
_CLAUSE_BREAK = re.compile(r"[.,;:!?()\n]|\bbut\b|\band\b")
#: How far back a denial may reach.
_DENIAL_WINDOW = 40


@dataclass(frozen=True, slots=True)
class CueHit:
    """One cue found in an answer."""

    cue: str
    language: str
    #: The words of the answer that matched, as folded for matching (lower case, no accents).
    matched: str
    negated: bool


@dataclass(frozen=True, slots=True)
class ThemeMatch:
    """A theme found in an answer, how strongly, and the cues that say so."""

    theme: str
    score: float
    hits: tuple[CueHit, ...]

    @property
    def cues(self) -> tuple[str, ...]:
        return tuple(hit.cue for hit in self.hits)

    @property
    def negated(self) -> bool:
        """True when every mention of the theme is denied."""
        return all(hit.negated for hit in self.hits)

    @property
    def assigned(self) -> bool:
        return self.score >= ASSIGNED


class CueMatcher:
    """A codebook compiled for matching; build once per codebook (``matcher_for`` caches it)."""

    def __init__(self, codebook: Codebook):
        self.codebook = codebook
        # Several cues may fold to the same pattern (a word in two themes): one group for them all.
        cues_by_pattern: dict[CuePattern, list[tuple[str, Cue]]] = {}
        for theme in codebook:
            for cue in theme.cues:
                cues_by_pattern.setdefault(cue_pattern(cue.text, cue.language), []).append((theme.id, cue))
        patterns = sorted(cues_by_pattern)
        self._cues = {f"c{i}": tuple(cues_by_pattern[pattern]) for i, pattern in enumerate(patterns)}
        alternatives = trie_regex(
            (pattern.head, pattern.tail, f"c{i}", len(cue_key(cues_by_pattern[pattern][0][1].text)))
            for i, pattern in enumerate(patterns)
        )
        self._pattern = re.compile(f"{WORD_START}{alternatives}{WORD_END}")
        self._order = {theme_id: i for i, theme_id in enumerate(codebook.ids)}

    def match(self, text: str | None) -> list[ThemeMatch]:
        """Themes found in one answer, strongest first (codebook order breaks ties)."""
        if not isinstance(text, str) or not text.strip():
            return []
        folded = _DENIAL_IDIOM.sub("not to do with", fold(text))
        may_deny = _ANY_DENIAL.search(folded) is not None
        hits: dict[str, dict[str, CueHit]] = {}
        for found in self._pattern.finditer(folded):
            negated = may_deny and _is_denied(folded, found.start())
            for theme_id, cue in self._cues[found.lastgroup or ""]:
                by_cue = hits.setdefault(theme_id, {})
                # The same cue twice counts once, and counts in full if any mention is not denied.
                if cue.text not in by_cue or by_cue[cue.text].negated:
                    by_cue[cue.text] = CueHit(cue.text, cue.language, found.group(), negated)
        matches = [
            ThemeMatch(theme_id, _score(by_cue.values()), tuple(by_cue.values()))
            for theme_id, by_cue in hits.items()
        ]
        matches.sort(key=lambda m: (-m.score, self._order[m.theme]))
        return matches


def _is_denied(folded: str, start: int) -> bool:
    before = folded[max(0, start - _DENIAL_WINDOW) : start]
    clause_start = 0
    for clause_start_match in _CLAUSE_BREAK.finditer(before):
        clause_start = clause_start_match.end()
    return _DENIAL.search(before, clause_start) is not None


def _score(hits: Iterable[CueHit]) -> float:
    return 1.0 - math.prod(1.0 - (NEGATED_EVIDENCE if hit.negated else CUE_EVIDENCE) for hit in hits)


@lru_cache(maxsize=8)
def matcher_for(codebook: Codebook) -> CueMatcher:
    return CueMatcher(codebook)


def assign_themes(texts: Iterable[str | None], codebook: Codebook) -> list[list[ThemeMatch]]:
    """The themes found in each answer; empty and missing answers get an empty list. An answer
    typed the same way again ("more police", "idk") is matched once."""
    match = matcher_for(codebook).match
    found: dict[str, list[ThemeMatch]] = {}

    def themes(text: str | None) -> list[ThemeMatch]:
        if not isinstance(text, str):
            return []
        if text not in found:
            found[text] = match(text)
        return list(found[text])

    return [themes(text) for text in texts]
