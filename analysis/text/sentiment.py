"""Sentiment of an English free-text answer, from -1 (negative) to +1 (positive).

Plain TextBlob (``PatternAnalyzer``) averages the polarity of known words and handles negation
only for the very next word. Survey answers need more: "I don't really feel safe", "the park is
nice but it's dark", "well scary", "SO unsafe!!", emoji. This module keeps TextBlob's lexicon and
its averaging rule (a mean over the assessed words, with ``-ly`` adverbs scaling the next word)
and adds general rules in the spirit of VADER (Hutto & Gilbert 2014), using VADER's empirically
derived constants rescaled from its ±4 valence scale to TextBlob's ±1:

* negation (``not``, ``never``, ``don't``...) flips and dampens words up to three words later;
* intensifiers and dampeners ("really", "well", "proper", "kind of") move a word's valence;
* an ALL-CAPS word in mixed-case text, an elongated word ("sooo") and ``!`` add emphasis;
* in a sentence with "but"/"however", what comes before counts half and what follows 1.5 times;
* emoji, emoticons and the slang/safety additions in ``analysis/data/sentiment_lexicon.tsv``;
* inflected forms ("scarier", "ruining") are looked up by their base form;
* for survey answers: "nobody", "never", "no" that negate nothing scored report a lack and count
  as mildly negative ("police never come"), as do "too many", "not enough" and "would be better
  if" (a wish for change).

Other languages are scored from hand-written word lists (:mod:`analysis.text.sentiment_lists`).
``None`` means "not scored": an answer that says nothing ("n/a", "-", "nie wiem"), or a language
without a word list (a language added to the survey later), which no English lexicon can score
honestly; a 0 would be read as "neutral".
"""

from __future__ import annotations

import html
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from analysis.text._lexicon import lexicon, polarity_of
from analysis.text._wordlists import load_word_sets
from analysis.text.sentiment_lists import is_stock_non_answer, score, word_lists

_VADER_SCALE = 4.0
#: Valence added by an intensifier ("very good") or taken by a dampener ("kind of good").
BOOST = 0.293 / _VADER_SCALE
#: Valence added by writing a word in capitals in otherwise mixed-case text.
CAPS_BOOST = 0.733 / _VADER_SCALE
#: Added to the final score per exclamation mark, up to ``MAX_EXCLAMATIONS``.
EXCLAMATION_BOOST = 0.292 / _VADER_SCALE
MAX_EXCLAMATIONS = 4
#: "not good" is less bad than "bad" is bad: flip and dampen.
NEGATION_SCALAR = -0.74
#: A negator reaches at most this many words ahead ("don't feel that safe").
NEGATION_REACH = 3
BEFORE_CONTRAST = 0.5
AFTER_CONTRAST = 1.5
#: Valence of "nobody", "never", "no" when they negate nothing scored: in answers about a place
#: they report a lack ("police never come", "no one to talk to", "no buses after 10").
LACK = -0.3

_WORDS = load_word_sets("sentiment_rules.txt")
NEGATORS = _WORDS["negators"]
LACK_WORDS = _WORDS["lack_words"]
#: Signed change in valence magnitude a modifier makes to the next scored word.
MODIFIERS: dict[str, float] = {
    **dict.fromkeys(_WORDS["intensifiers"], BOOST),
    **dict.fromkeys(_WORDS["dampeners"], -BOOST),
}
_ALSO_WORDS = _WORDS["also_words"]
_CLAUSE_WORDS = _WORDS["clause_words"]
_CONTRAST_WORDS = _WORDS["contrast_words"]
_SENTENCE_MARKS = frozenset({".", "!", "?", "\n"})

_DAMPEN = "dampen"
_NEUTRAL = "neutral"
#: Multi-word expressions, matched before single words. A float is a valence.
PHRASES: dict[tuple[str, ...], float | str] = {
    ("kind", "of"): _DAMPEN,
    ("sort", "of"): _DAMPEN,
    ("a", "bit"): _DAMPEN,
    ("a", "little"): _DAMPEN,
    ("a", "little", "bit"): _DAMPEN,
    ("not", "only"): _NEUTRAL,
    ("no", "doubt"): _NEUTRAL,
    ("at", "least"): _NEUTRAL,
    ("more", "or", "less"): _NEUTRAL,
    ("knife", "crime"): -0.6,
    ("no", "lighting"): -0.4,
    ("no", "lights"): -0.4,
    ("no", "street", "lights"): -0.4,
    ("anti", "social"): -0.5,
    ("youth", "club"): 0.4,
    ("youth", "clubs"): 0.4,
    ("youth", "centre"): 0.4,
    ("looked", "after"): 0.4,
    ("look", "after"): 0.3,
    ("fed", "up"): -0.5,
    ("messed", "up"): -0.4,
    ("freaked", "out"): -0.5,
    ("stressed", "out"): -0.5,
    ("sick", "of"): -0.5,
    ("sick", "and", "tired"): -0.6,
    ("nothing", "to", "do"): -0.3,
    ("nowhere", "to", "go"): -0.3,
    ("too", "many"): -0.4,
    ("too", "much"): -0.3,
    ("not", "enough"): -0.4,
    ("pitch", "black"): -0.5,
    ("would", "be", "better"): -0.2,
    ("would", "be", "nice"): -0.1,
    ("it'd", "be", "better"): -0.2,
}
_PHRASES_BY_FIRST: dict[str, list[tuple[tuple[str, ...], float | str]]] = {}
for _words, _spec in sorted(PHRASES.items(), key=lambda item: -len(item[0])):
    _PHRASES_BY_FIRST.setdefault(_words[0], []).append((_words, _spec))

#: TextBlob's emoticon valences (``textblob._text.EMOTICONS``), minus digit-led ones like "8)"
#: that collide with numbered lists.
EMOTICONS: dict[str, float] = {
    **dict.fromkeys(["<3", "♥"], 1.0),
    **dict.fromkeys([">:D", ":-D", ":D", "=-D", "=D", "X-D", "x-D", "XD", "xD"], 1.0),
    **dict.fromkeys([">:P", ":-P", ":P", ":-p", ":p", ":-b", ":b", ":c)", ":o)", ":^)"], 0.75),
    **dict.fromkeys([">:)", ":-)", ":)", "=)", "=]", ":]", ":}", ":>", ":3"], 0.5),
    **dict.fromkeys([">;]", ";-)", ";)", ";-]", ";]", ";D", ";^)"], 0.25),
    **dict.fromkeys([">:o", ":-O", ":O", ":o", ":-o", "o_O", "o.O"], 0.05),
    **dict.fromkeys([">:/", ":-/", ":/", ":\\", ">:\\", ":-s", ":s", ":S", ":-S"], -0.25),
    **dict.fromkeys([">:[", ":-(", ":(", "=(", ":-[", ":[", ":{", ":-<", ":c", ":-c", "=/"], -0.75),
    **dict.fromkeys([":'(", ":'''(", ";'("], -1.0),
    "</3": -0.7,
}
_EMOTICON_PATTERN = "|".join(re.escape(e) for e in sorted(EMOTICONS, key=len, reverse=True))

# Each alternative opens with a cheap check so that most characters fail it at once.
_TOKEN = re.compile(
    r"(?=[hHwW\[@])(?P<skip>https?://\S+|www\.\S+|\[[a-z]+\]|@\w+)"
    rf"|(?=[:;=<>xXoO♥])(?<![\w:;=<>])(?P<emoticon>{_EMOTICON_PATTERN})(?!\w)"
    r"|(?P<word>#?[^\W\d_]+(?:['-][^\W\d_]+)*)"
    r"|(?P<mark>[!?]+|\.\.+|[.,;:\n])"
    r"|(?P<emoji>[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF])"
)
_ELONGATED = re.compile(r"(\w)\1{2,}")

# Slang readings that depend on context.
_SICK_PERSONAL = _WORDS["sick_personal"]
_SICK_PRAISE_CONTEXT = _WORDS["sick_praise"]
_SICK_PRAISE = 0.6
_LONG_PREDICATE_CONTEXT = _WORDS["long_predicate"]
_LONG_TEDIOUS = -0.4
#: "Dead" on its own is slang for "boring, nothing going on"; TextBlob scores it as "lifeless".
_DEAD_BORING = -0.4
_SLANG_IN_CONTEXT = frozenset({"sick", "long", "dead"})

_WORD, _MARK, _EMO = 0, 1, 2
_Token = tuple[int, str, str]


def _tokens(text: str) -> list[_Token]:
    """Split into (kind, lowercase form, raw form); links, mentions and placeholders are dropped."""
    if "&" in text:
        text = html.unescape(text)
    text = text.replace("’", "'")
    polarity = lexicon().polarity
    elongated = _ELONGATED.search(text) is not None
    out: list[_Token] = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        raw = match.group()
        if kind == "word":
            word = raw.lower().lstrip("#")
            if elongated and word not in polarity and _ELONGATED.search(word):
                word = _collapse(word)
            if "-" in word and polarity_of(word) is None:
                out.extend((_WORD, part, part) for part in word.split("-") if part)
            else:
                out.append((_WORD, word, raw))
        elif kind == "mark":
            out.append((_MARK, raw[0], raw))
        elif kind in ("emoticon", "emoji"):
            out.append((_EMO, raw, raw))
    return out


def _collapse(word: str) -> str:
    """Undo elongation ("gooood", "sooo") when a shorter form is a word we know."""
    for collapsed in (_ELONGATED.sub(r"\1\1", word), _ELONGATED.sub(r"\1", word)):
        if polarity_of(collapsed) is not None or collapsed in MODIFIERS or collapsed in NEGATORS:
            return collapsed
    return word


def _previous_words(tokens: Sequence[_Token], i: int, start: int, count: int = 3) -> list[str]:
    return [t[1] for t in tokens[max(start, i - count) : i] if t[0] == _WORD]


def _slang_value(tokens: Sequence[_Token], i: int, start: int) -> float | None:
    """Context-dependent slang readings; ``None`` means "use the lexicon"."""
    word = tokens[i][1]
    if word == "sick":
        before = _previous_words(tokens, i, start)
        if not _SICK_PERSONAL.intersection(before) and _SICK_PRAISE_CONTEXT.intersection(before):
            return _SICK_PRAISE
    elif word == "long":
        at_clause_end = i + 1 >= len(tokens) or tokens[i + 1][0] != _WORD
        before = _previous_words(tokens, i, start, 1)
        if at_clause_end and before and before[0] in _LONG_PREDICATE_CONTEXT:
            return _LONG_TEDIOUS
    elif word == "dead":
        return _DEAD_BORING
    return None


def _match_phrase(tokens: Sequence[_Token], i: int) -> tuple[int, float | str] | None:
    for words, spec in _PHRASES_BY_FIRST.get(tokens[i][1], ()):
        end = i + len(words)
        if end <= len(tokens) and all(
            tokens[i + k][0] == _WORD and tokens[i + k][1] == w for k, w in enumerate(words)
        ):
            return len(words), spec
    return None


def _scorable(tokens: Sequence[_Token], i: int) -> bool:
    """Whether a modifier at ``i - 1`` has something to modify at ``i`` (skipping other modifiers)."""
    while i < len(tokens) and tokens[i][0] == _WORD:
        word = tokens[i][1]
        if word in NEGATORS or word in MODIFIERS:
            i += 1
            continue
        value = polarity_of(word)
        return (value is not None and value != 0.0) or _match_phrase(tokens, i) is not None
    return i < len(tokens) and tokens[i][0] == _EMO


class _Scorer:
    """One left-to-right pass that turns tokens into weighted valences."""

    def __init__(self, tokens: Sequence[_Token], shouting: bool) -> None:
        self.tokens = tokens
        self.shouting = shouting
        self.values: list[float] = []
        self.weights: list[float] = []
        self.exclamations = 0
        self.clause_start = 0
        self.sentence_start = 0  # index into values
        self.previous_sentence_start = 0
        self.weight = 1.0
        self.words_since_negation: int | None = None
        #: A lack word ("nobody") is waiting to negate something; if nothing comes, it scores LACK.
        self.lack_pending = False
        self.boost = 0.0
        self.scale = 1.0
        self.modifier_intensity = lexicon().modifier_intensity

    def run(self) -> float:
        tokens = self.tokens
        i = 0
        while i < len(tokens):
            kind, word, raw = tokens[i]
            if kind == _MARK:
                self._mark(i, word, raw)
                i += 1
            elif kind == _EMO:
                value = EMOTICONS.get(raw)
                if value is None:
                    value = polarity_of(raw)
                if value is not None:
                    self._add(value, emphasis=0.0)
                i += 1
            else:
                i += self._word(i, word, raw)
        self._end_negation()
        return self._aggregate()

    def _mark(self, i: int, word: str, raw: str) -> None:
        self.clause_start = i + 1
        self._end_negation()
        self._clear_modifiers()
        if word == "!":
            self.exclamations += len(raw)
        if word in _SENTENCE_MARKS:
            self.previous_sentence_start = self.sentence_start
            self.sentence_start = len(self.values)
            self.weight = 1.0

    def _word(self, i: int, word: str, raw: str) -> int:
        """Handle the word at ``i``; return how many tokens it used."""
        tokens = self.tokens
        phrase = _match_phrase(tokens, i)
        if phrase is not None:
            length, spec = phrase
            if spec == _DAMPEN:
                self.boost -= BOOST
            elif isinstance(spec, float):
                self._add(spec, emphasis=0.0)
            return length
        if word in _CONTRAST_WORDS:
            self._end_negation()
            self._contrast()
            self.clause_start = i + 1
            return 1
        if word in NEGATORS:
            self._end_negation()
            self.words_since_negation = 0
            self.lack_pending = word in LACK_WORDS
            return 1
        if word in MODIFIERS:
            if _scorable(tokens, i + 1):
                self.boost += MODIFIERS[word]
                return 1
            if word not in _ALSO_WORDS:
                # An idle intensifier does not stretch a negation's reach ("don't really feel safe").
                if word in _CLAUSE_WORDS:
                    self._end_negation()
                return 1
        intensity = self.modifier_intensity.get(word)
        if intensity is not None and _scorable(tokens, i + 1):
            # TextBlob's rule: a known adverb scales the next word instead of counting itself.
            self.scale *= intensity
            return 1
        value = _slang_value(tokens, i, self.clause_start) if word in _SLANG_IN_CONTEXT else None
        if value is None:
            value = polarity_of(word)
        if value is None:
            self._unknown(word)
            return 1
        emphasis = BOOST if _ELONGATED.search(raw) else 0.0
        if len(raw) > 1 and raw.isupper() and not self.shouting:
            emphasis += CAPS_BOOST
        self._add(value, emphasis)
        return 1

    def _unknown(self, word: str) -> None:
        if word in _CLAUSE_WORDS:
            self._end_negation()
        elif self.words_since_negation is not None:
            self.words_since_negation += 1
            if self.words_since_negation >= NEGATION_REACH:
                self._end_negation()
        # TextBlob keeps a modifier across small words ("really is a good").
        if len(word) > 2:
            self._clear_modifiers()

    def _add(self, value: float, emphasis: float) -> None:
        magnitude = self.boost + emphasis
        value *= self.scale
        if value and magnitude:
            value = math.copysign(max(abs(value) + magnitude, 0.0), value)
        if self.words_since_negation is not None:
            value *= NEGATION_SCALAR
            self.lack_pending = False
            self.words_since_negation += 1
            if self.words_since_negation >= NEGATION_REACH:
                self.words_since_negation = None
        self.values.append(max(-1.0, min(1.0, value)))
        self.weights.append(self.weight)
        self._clear_modifiers()

    def _end_negation(self) -> None:
        self.words_since_negation = None
        if self.lack_pending:
            self.lack_pending = False
            self.values.append(LACK)
            self.weights.append(self.weight)

    def _contrast(self) -> None:
        """Down-weight what came before "but" in this sentence (or the last one, if it opens it)."""
        has_own = len(self.values) > self.sentence_start
        start = self.sentence_start if has_own else self.previous_sentence_start
        for k in range(start, len(self.values)):
            self.weights[k] *= BEFORE_CONTRAST
        self.weight = AFTER_CONTRAST

    def _clear_modifiers(self) -> None:
        self.boost = 0.0
        self.scale = 1.0

    def _aggregate(self) -> float:
        total_weight = sum(self.weights)
        if not total_weight:
            return 0.0
        score = sum(v * w for v, w in zip(self.values, self.weights, strict=True)) / total_weight
        if score:
            score += math.copysign(min(self.exclamations, MAX_EXCLAMATIONS) * EXCLAMATION_BOOST, score)
        return max(-1.0, min(1.0, score))


def is_non_answer(text: str, language: str = "en") -> bool:
    """An answer that says nothing: no word, emoji or emoticon ("-", "?", "[name]"), or a stock
    non-answer of its language or English ("n/a", "idk", "nie wiem", "kuch nahi")."""
    return _says_nothing(_tokens(text)) or is_stock_non_answer(text, language)


def _says_nothing(tokens: Sequence[_Token]) -> bool:
    return all(kind == _MARK for kind, _, _ in tokens)


def sentiment(text: str, language: str = "en") -> float | None:
    """Score ``text`` in [-1, 1]; ``None`` (not scored) for a non-answer or a language without a
    word list. ``language`` is the answer's language tag as :func:`detect_language` gives it."""
    tokens = _tokens(text)
    if _says_nothing(tokens) or is_stock_non_answer(text, language):
        return None
    if language != "en":
        word_list = word_lists().get(language)
        return None if word_list is None else score(text, word_list)
    shouting = not any(ch.islower() for ch in text)
    return _Scorer(tokens, shouting).run()


@dataclass(frozen=True)
class SentimentCoverage:
    """How many of some answers got a sentiment score, and in which languages."""

    #: the answers, non-answers included
    answers: int
    #: the scores, in the answers' order
    scores: list[float]
    #: how many answers were scored, per language tag, most first
    by_language: dict[str, int]
    #: per answer, in order: was it scored?
    scored: tuple[bool, ...]


def scored_answers(answers: Iterable[tuple[str, str | None]]) -> SentimentCoverage:
    """Score ``(text, language tag)`` answers (a missing tag is English) and count what was scored."""
    scores: list[float] = []
    scored: list[bool] = []
    counts: Counter[str] = Counter()
    for text, language in answers:
        score = sentiment(text, language or "en")
        scored.append(score is not None)
        if score is not None:
            scores.append(score)
            counts[language or "en"] += 1
    return SentimentCoverage(len(scored), scores, dict(counts.most_common()), tuple(scored))
