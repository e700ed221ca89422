"""Safeguarding cues in every language, read from ``analysis/data/safeguarding/*.yaml``.

Each file holds one language group's cues (Urdu, romanised Urdu and Hindi, UK youth slang...),
grouped by the kind of harm they point to, with its review state and translator notes: the cues
are reviewed by people who speak the language, like a translation. See the README in that folder
for the format; in short, a cue is

* a phrase, ``"kill myself"``: its words in order. A word ending in ``*`` takes any ending
  (``zabij*`` is zabić, zabiję, zabije...), ``a|b`` offers alternatives in one place, ``~``
  skips up to three words, and ``$name`` is any word of the file's list ``terms: name``;
* or a list of phrases, ``[$family, $hurt, $me]``: every one of them in the same sentence,
  close together (within ``WINDOW`` words), in any order. This is how indirect phrasing is caught:
  a person close to the writer and a harm, a debt and the older boys, a threat and "if I tell".

A file may also list phrases that set a sentence aside (``set_aside``), for every kind (``any``) or
one: news and hearsay ("I saw on the news", "I heard that") are not about the writer, and "my mum
will kill me if I'm late lol" is not a threat. Cues found in a sentence set aside for their kind do
not count; set-aside phrases are few and specific, because a missed disclosure costs more than a
false alarm.

Text and cues are normalised the same way (``normalise``), so a cue matches however people type:
Unicode compatibility forms, zero-width joiners, Arabic and Persian letter variants, Arabic
vowel marks, Indic nuktas, Latin accents and letters typed twice or more ("pleeease" and "plese").

Every answer is matched against every file's cues (a respondent may write in any language, or mix
two): the words of an answer are looked up in one index of the first word of every phrase, and
only the phrases starting there are tried, so matching costs a few dictionary look-ups per word.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

from analysis.themes.cues import WORD_CHARS
from analysis.themes.folding import fold
from analysis.yaml_lines import KeyPath, LineMap, Problem, ProblemsFound, YamlProblem, load_with_lines

#: The kinds of harm a flag records, most urgent first: the safeguarding queue sorts by this order.
HARM_KINDS = (
    "self_harm",
    "abuse_at_home",
    "sexual_abuse",
    "criminal_exploitation",
    "weapons",
    "threats_bullying",
)
#: How many words a combination cue may span, from the start of its first phrase to the start of
#: its last one.
WINDOW = 12
#: How many words ``~`` may skip.
GAP = 3
#: The fewest characters a stem (``word*``) keeps once normalised: a shorter one starts too many words.
MIN_STEM = 2

_CUE_DIR = "safeguarding"
_TOP_KEYS = frozenset({"group", "languages", "review", "notes", "terms", "cues", "set_aside"})
#: In ``set_aside``: phrases that set a sentence aside for every kind of harm.
ANY_KIND = "any"
_REQUIRED = ("group", "languages", "review", "notes", "cues")

# Letters that look alike and are typed interchangeably: Arabic and Persian/Urdu yeh, kaf and heh
# forms, hamza seats on alef; Indic candrabindu and tippi written for the nasal dot.
_LETTERS = str.maketrans(
    {
        "ي": "ی",
        "ى": "ی",
        "ے": "ی",
        "ۓ": "ی",
        "ك": "ک",
        "ہ": "ه",
        "ھ": "ه",
        "ۃ": "ه",
        "ة": "ه",
        "ە": "ه",
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ؤ": "و",
        "ँ": "ं",
        "ঁ": "ং",
        "ઁ": "ં",
        "ੰ": "ਂ",
    }
)
# Marks people leave out: zero-width (non-)joiners, tatweel, Arabic vowel marks, Indic nuktas and
# the Gurmukhi addak.
_OPTIONAL = re.compile("[\u200b-\u200d\u2060\ufeff\u0640\u064b-\u065f\u0670\u093c\u09bc\u0a3c\u0a71\u0abc]")
_REPEATED = re.compile(r"([a-z])\1+")
_WORD = re.compile(f"[{WORD_CHARS}]+")
# Sentence ends: full stops, question and exclamation marks (Latin, Arabic, Devanagari) and lines.
_SENTENCE_END = re.compile(r"[.!?;\n\u061f\u06d4\u0964\u0965]")
_GAP = "~"


def normalise(text: str) -> str:
    """What cues and answers are compared as: see the module's docstring."""
    if not text.isascii():
        text = _OPTIONAL.sub("", unicodedata.normalize("NFKC", text)).translate(_LETTERS)
    return _REPEATED.sub(r"\1", fold(text))


# Compiled cues -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Slot:
    """One word of a phrase: any of ``words`` exactly, or a word starting with any of ``prefixes``;
    a gap (``~``) has neither."""

    words: frozenset[str] = frozenset()
    prefixes: tuple[str, ...] = ()

    @property
    def gap(self) -> bool:
        return not self.words and not self.prefixes

    def accepts(self, word: str) -> bool:
        return word in self.words or word.startswith(self.prefixes)


@dataclass(frozen=True, slots=True)
class Cue:
    """A cue of one file: its phrases (all of them must be found) and the kind of harm."""

    group: str
    harm: str
    text: str
    phrases: tuple[tuple[Slot, ...], ...]
    line: int
    #: a set-aside phrase: the sentence it is in does not count for ``harm`` (or any kind)
    sets_aside: bool = False


@dataclass(frozen=True, slots=True)
class CueFile:
    group: str
    languages: tuple[str, ...]
    #: Who wrote the cues and who has reviewed them.
    review: str
    notes: str
    cues: tuple[Cue, ...]


class CuesInvalid(ProblemsFound):
    """A cue file cannot be used; ``problems`` lists every reason with its file and line."""


def cue_files_dir() -> Path:
    return Path(str(resources.files("analysis").joinpath("data", _CUE_DIR)))


def load_cue_file(path: Path) -> CueFile:
    """Read and check one cue file; every problem is reported at once, with its line."""
    name = path.name
    try:
        data, lines = load_with_lines(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise CuesInvalid([Problem(name, 1, "is not UTF-8 text; save it as UTF-8")]) from None
    except YamlProblem as error:
        raise CuesInvalid([Problem(name, error.line, error.message)]) from None
    return _Checker(name, lines).cue_file(data, path.stem)


class _Checker:
    def __init__(self, name: str, lines: LineMap):
        self.name, self.lines, self.problems = name, lines, []

    def problem(self, path: KeyPath, message: str) -> None:
        self.problems.append(Problem(self.name, self.lines.line_of(path), message))

    def cue_file(self, data: object, stem: str) -> CueFile:
        if not isinstance(data, dict):
            raise CuesInvalid([Problem(self.name, 1, "must be a mapping with " + ", ".join(_REQUIRED))])
        for key in sorted(set(data) - _TOP_KEYS):
            self.problem((key,), f"unknown key '{key}'; a cue file has " + ", ".join(sorted(_TOP_KEYS)))
        for key in _REQUIRED:
            if key not in data:
                self.problem((), f"'{key}' is missing")
        if data.get("group", stem) != stem:
            self.problem(("group",), f"group '{data['group']}' must be the file's name, '{stem}'")
        for key in ("review", "notes"):
            if key in data and not (isinstance(data[key], str) and data[key].strip()):
                self.problem((key,), f"'{key}' must be text: say who drafted and who reviewed the cues")
        languages = data.get("languages", [])
        if not (isinstance(languages, list) and languages and all(isinstance(x, str) for x in languages)):
            self.problem(("languages",), "'languages' must be a list of language codes, such as [ur, hi]")
            languages = []
        terms = self.terms(data.get("terms", {}))
        cues = self.cues(data.get("cues", {}), stem, terms)
        cues += self.set_aside(data.get("set_aside", {}), stem, terms)
        if self.problems:
            raise CuesInvalid(self.problems)
        return CueFile(
            stem, tuple(languages), str(data["review"]).strip(), str(data["notes"]).strip(), tuple(cues)
        )

    def terms(self, terms: object) -> dict[str, tuple[str, ...]]:
        if not isinstance(terms, dict):
            self.problem(("terms",), "'terms' must map a name to a list of words")
            return {}
        checked = {}
        for name, words in terms.items():
            if not (
                isinstance(words, list) and words and all(isinstance(w, str) and w.strip() for w in words)
            ):
                self.problem(("terms", name), f"term list '{name}' must be a list of words")
                continue
            if any(" " in w.strip() or "$" in w or _GAP in w for w in words):
                self.problem(
                    ("terms", name),
                    f"term list '{name}' holds single words only (with * for "
                    "any ending); write phrases as cues",
                )
                continue
            checked[name] = tuple(w.strip() for w in words)
        return checked

    def cues(self, cues: object, group: str, terms: dict[str, tuple[str, ...]]) -> list[Cue]:
        if not isinstance(cues, dict):
            self.problem(("cues",), "'cues' must map kinds of harm to lists of cues")
            return []
        found = []
        for harm, listed in cues.items():
            if harm not in HARM_KINDS:
                self.problem(
                    ("cues", harm), f"unknown kind of harm '{harm}'; use one of " + ", ".join(HARM_KINDS)
                )
                continue
            if not isinstance(listed, list):
                self.problem(("cues", harm), f"the cues of '{harm}' must be a list")
                continue
            for index, cue in enumerate(listed):
                path = ("cues", harm, index)
                parts = cue if isinstance(cue, list) else [cue]
                if not parts or not all(isinstance(p, str) and p.strip() for p in parts):
                    self.problem(path, "a cue is a phrase, or a list of phrases that must all be found")
                    continue
                phrases = [self.phrase(p, terms, path) for p in parts]
                if all(phrases):
                    found.append(
                        Cue(group, harm, " + ".join(parts), tuple(phrases), self.lines.line_of(path))
                    )
        return found

    def set_aside(self, listed: object, group: str, terms: dict[str, tuple[str, ...]]) -> list[Cue]:
        if not isinstance(listed, dict):
            self.problem(("set_aside",), "'set_aside' must map 'any' or a kind of harm to a list of phrases")
            return []
        found = []
        for harm, phrases in listed.items():
            if harm not in (ANY_KIND, *HARM_KINDS):
                self.problem(
                    ("set_aside", harm), f"'{harm}' is not 'any' or a kind of harm: " + ", ".join(HARM_KINDS)
                )
                continue
            if not (isinstance(phrases, list) and all(isinstance(p, str) and p.strip() for p in phrases)):
                self.problem(("set_aside", harm), f"'set_aside: {harm}' must be a list of phrases")
                continue
            for index, text in enumerate(phrases):
                path = ("set_aside", harm, index)
                phrase = self.phrase(text, terms, path)
                if phrase:
                    found.append(Cue(group, harm, text, (phrase,), self.lines.line_of(path), sets_aside=True))
        return found

    def phrase(self, text: str, terms: dict[str, tuple[str, ...]], path: KeyPath) -> tuple[Slot, ...]:
        slots = []
        for token in text.split():
            if token == _GAP:
                slots.append(Slot())
                continue
            alternatives = []
            for option in token.split("|"):
                if option.startswith("$"):
                    if option[1:] not in terms:
                        self.problem(path, f"'{option}' names no list under 'terms'")
                        return ()
                    alternatives.extend(terms[option[1:]])
                else:
                    alternatives.append(option)
            slot = _slot(alternatives)
            if slot is None:
                self.problem(
                    path,
                    f"'{token}' in '{text}' leaves nothing to match once normalised, or a "
                    f"stem shorter than {MIN_STEM} letters",
                )
                return ()
            slots.append(slot)
        if not slots or slots[0].gap or slots[-1].gap:
            self.problem(path, f"'{text}' must start and end with a word, not '~'")
            return ()
        return tuple(slots)


def _slot(alternatives: Iterable[str]) -> Slot | None:
    words, prefixes = set(), set()
    for alternative in alternatives:
        prefix = alternative.endswith("*")
        normal = _WORD.findall(normalise(alternative.rstrip("*")))
        if len(normal) != 1 or (prefix and len(normal[0]) < MIN_STEM):
            return None
        (prefixes if prefix else words).add(normal[0])
    return Slot(frozenset(words), tuple(sorted(prefixes)))


# Matching ----------------------------------------------------------------------------------------


@dataclass
class CueIndex:
    """Every cue of every file, indexed by the first word of each phrase."""

    cues: tuple[Cue, ...]
    #: (phrase id, its slots) for each distinct phrase
    phrases: list[tuple[Slot, ...]] = field(default_factory=list)
    #: for each cue, the ids of its phrases
    cue_phrases: list[tuple[int, ...]] = field(default_factory=list)
    #: for each phrase, the cues (by number) that have it
    phrase_cues: dict[int, list[int]] = field(default_factory=dict)
    by_word: dict[str, list[int]] = field(default_factory=dict)
    by_prefix: dict[str, list[int]] = field(default_factory=dict)
    #: the stems of ``by_prefix`` by their first ``MIN_STEM`` letters, so a word tries only a few
    stems_by_start: dict[str, list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        ids: dict[tuple[Slot, ...], int] = {}
        for number, cue in enumerate(self.cues):
            self.cue_phrases.append(tuple(ids.setdefault(p, len(ids)) for p in cue.phrases))
            for phrase_id in self.cue_phrases[-1]:
                self.phrase_cues.setdefault(phrase_id, []).append(number)
        self.phrases = list(ids)
        for phrase_id, slots in enumerate(self.phrases):
            for word in slots[0].words:
                self.by_word.setdefault(word, []).append(phrase_id)
            for prefix in slots[0].prefixes:
                self.by_prefix.setdefault(prefix, []).append(phrase_id)
        for stem in self.by_prefix:
            self.stems_by_start.setdefault(stem[:MIN_STEM], []).append(stem)

    def harms(self, text: str) -> set[str]:
        """The kinds of harm whose cues are found in ``text``."""
        return {cue.harm for cue in self.matches(text)}

    def matches(self, text: str) -> list[Cue]:
        """The cues found in ``text``."""
        found: dict[int, list[tuple[int, int]]] = {}
        for sentence_number, sentence in enumerate(_SENTENCE_END.split(normalise(text))):
            words = _WORD.findall(sentence)
            for start, word in enumerate(words):
                for phrase_id in self._starting(word):
                    if _phrase_at(self.phrases[phrase_id], words, start):
                        found.setdefault(phrase_id, []).append((sentence_number, start))
        if not found:
            return []
        candidates = sorted({number for phrase_id in found for number in self.phrase_cues[phrase_id]})
        hits = [
            (self.cues[number], _together([found[p] for p in self.cue_phrases[number]]))
            for number in candidates
            if all(p in found for p in self.cue_phrases[number])
        ]
        aside: dict[str, set[int]] = {}
        for cue, sentences in hits:
            if cue.sets_aside:
                aside.setdefault(cue.harm, set()).update(sentences)
        return [
            cue
            for cue, sentences in hits
            if not cue.sets_aside and sentences - aside.get(cue.harm, set()) - aside.get(ANY_KIND, set())
        ]

    def _starting(self, word: str) -> list[int]:
        candidates = list(self.by_word.get(word, ()))
        for stem in self.stems_by_start.get(word[:MIN_STEM], ()):
            if word.startswith(stem):
                candidates.extend(self.by_prefix[stem])
        return candidates


def _phrase_at(slots: Sequence[Slot], words: Sequence[str], start: int) -> bool:
    positions = {start + 1}
    for slot in slots[1:]:
        if slot.gap:
            positions = {p + skip for p in positions for skip in range(GAP + 1)}
            continue
        positions = {p + 1 for p in positions if p < len(words) and slot.accepts(words[p])}
        if not positions:
            return False
    return True


def _together(places: list[list[tuple[int, int]]]) -> set[int]:
    """The sentences in which one place of each phrase lies within ``WINDOW`` words of the first."""
    others = [sorted(p) for p in places[1:]]
    return {
        sentence
        for sentence, start in places[0]
        if all(
            _any_between(other, (sentence, start - WINDOW), (sentence, start + WINDOW)) for other in others
        )
    }


def _any_between(sorted_places: list[tuple[int, int]], low: tuple[int, int], high: tuple[int, int]) -> bool:
    i = bisect_left(sorted_places, low)
    return i < len(sorted_places) and sorted_places[i] <= high


def load_cue_files(directory: Path | None = None) -> list[CueFile]:
    """Every cue file, by name; all their problems are reported together."""
    problems, files = [], []
    for path in sorted((directory or cue_files_dir()).glob("*.yaml")):
        try:
            files.append(load_cue_file(path))
        except CuesInvalid as error:
            problems.extend(error.problems)
    if problems:
        raise CuesInvalid(problems)
    return files


@cache
def cue_index() -> CueIndex:
    """The cues of every file shipped with the library, compiled once per process."""
    return CueIndex(tuple(cue for cue_file in load_cue_files() for cue in cue_file.cues))
