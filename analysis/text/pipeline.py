"""The one call the web app makes for a free-text answer, before storing it.

It chains the single-purpose steps in the order privacy needs: the safeguarding screen reads the
original (the most context, and it only yields kinds of harm), everything else reads the redacted text,
which is the only form that may be stored.

The survey's language may be any code: the survey languages are listed once, in
``translations/languages.yaml``, which this library does not read. An answer in a language added
there later is redacted, screened and stored like any other; it is tagged with that language
unless it is clearly in one this library recognises, and "not scored" for sentiment until
``analysis/data/sentiment/`` has a word list for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from analysis.text.language import detect_language
from analysis.text.redact import redact
from analysis.text.safeguarding import safeguarding_screen
from analysis.text.sentiment import sentiment

# Placeholders are English words in brackets; they must not vote on language or sentiment.
_PLACEHOLDER = re.compile(r"\[[a-z]+\]")


@dataclass(frozen=True, slots=True)
class TextResult:
    """What may be stored about a free-text answer."""

    #: The answer with personal data replaced by placeholders such as ``[phone]``.
    redacted: str
    #: The kinds of harm the answer may disclose (ids of ``HARM_KINDS``, in that order); empty when
    #: it raises no safeguarding concern.
    harm: tuple[str, ...]
    #: Tag of the language the answer is written in: one of ``LANGUAGES`` (``ur-Latn`` for
    #: romanised Urdu...) or the survey's own language.
    language: str
    #: -1..1, or None when the answer's language cannot be scored ("not scored", not neutral).
    sentiment: float | None

    @property
    def safeguarding(self) -> bool:
        """True when the answer may disclose a safeguarding concern and needs a human to read it."""
        return bool(self.harm)


def prepare_answer(text: str, survey_language: str) -> TextResult:
    """Redact, flag, detect the language of and score one answer given in ``survey_language``."""
    redacted = redact(text)
    readable = _PLACEHOLDER.sub(" ", redacted)
    language = detect_language(readable, survey_language)
    return TextResult(
        redacted=redacted,
        harm=safeguarding_screen(text),
        language=language,
        sentiment=sentiment(readable, language),
    )
