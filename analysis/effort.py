"""How long a questionnaire takes on a phone: the model behind the minutes a survey promises.

The estimate is for someone who is asked everything (every follow-up applies to them), reads every
word on each page once and answers every question, free text included, so the promise holds for
nearly everyone. For each screen (a page of the questionnaire, or a part of it when a rating scale
is cut over pages, see ``questionnaire.page_screens``):

* reading: every word of the page title and intro, each question's label and help, its choices
  (a rating scale's points once per screen: after the first statement people only glance at
  them) and its statements, at ``WORDS_PER_MINUTE`` (a young reader; the content rules write for
  an 11-year-old);
* taps: one per single choice and rating-scale statement, ``TICKS_PER_MULTIPLE_CHOICE`` per
  multiple choice (fewer if it allows fewer), one to open each text box, one for "Continue";
  each tap is ``SECONDS_PER_TAP`` of finding the answer and pressing it;
* writing: ``SECONDS_PER_SHORT_TEXT`` for a short answer (a postcode district), and
  ``SECONDS_PER_LONG_TEXT`` for a sentence in a text box (about 15 words at 30 words a minute,
  thumb typing on a phone);
* ``SECONDS_PER_PAGE`` for each new page to load on a slow mobile connection;
* "Check your answers": one more page to load and one tap ("Send my answers"); people glance at
  the answers they just gave rather than read them again.

``benchmarks/journey.py`` drives a phone through both standard surveys with these taps and reports
what it measured beside this model; ``tests`` hold each standard questionnaire's ``minutes`` to
``estimated_minutes``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

from .questionnaire import (
    MULTI,
    Definition,
    ItemDef,
    choices,
    kind_of,
    page_screens,
    screen_id,
)

WORDS_PER_MINUTE = 150
SECONDS_PER_TAP = 2.0
TICKS_PER_MULTIPLE_CHOICE = 2
SECONDS_PER_SHORT_TEXT = 5.0
SECONDS_PER_LONG_TEXT = 30.0
SECONDS_PER_PAGE = 2.0

_WORD = re.compile(r"\w+(?:['’]\w+)*")


#: "Check your answers": a page to load and one tap to send.
CHECK_PAGE_SECONDS = SECONDS_PER_PAGE + SECONDS_PER_TAP


def words(texts: Iterable[str | None]) -> int:
    """Words in the given texts, counting "don't" and "LE4" as one word each."""
    return sum(len(_WORD.findall(text)) for text in texts if text)


@dataclass(frozen=True)
class Screen:
    """What one screen asks of a respondent."""

    page_id: str
    words: int
    taps: int
    writing_seconds: float

    @property
    def seconds(self) -> float:
        return screen_seconds(self.words, self.taps, self.writing_seconds)


def screen_seconds(words_read: int, taps: int, writing_seconds: float = 0.0) -> float:
    """The model's time for a screen with so many words to read, taps and writing."""
    return 60 * words_read / WORDS_PER_MINUTE + SECONDS_PER_TAP * taps + writing_seconds + SECONDS_PER_PAGE


def _item_words(definition: Definition, item_def: ItemDef) -> int:
    texts = [item_def["label"], item_def.get("help")]
    if kind_of(item_def).has_options:
        texts += [c["label"] for c in choices(definition, item_def)]
    texts += [s["label"] for s in item_def.get("statements", [])]
    return words(texts)


def _item_taps(definition: Definition, item_def: ItemDef) -> int:
    kind = kind_of(item_def)
    if kind.tabulated == MULTI:
        plain = [c for c in choices(definition, item_def) if c["value"] not in item_def.get("exclusive", [])]
        return min(TICKS_PER_MULTIPLE_CHOICE, item_def.get("max_choices") or len(plain), len(plain))
    # One tap per answer: one for the question, or one per statement of a scale.
    return len(kind.answer_keys(item_def["id"], [s["id"] for s in item_def.get("statements", [])]))


def _writing(item_def: ItemDef) -> float:
    # A line for a short answer, a box for a sentence.
    writing = {"text": SECONDS_PER_SHORT_TEXT, "textarea": SECONDS_PER_LONG_TEXT}
    return writing.get(kind_of(item_def).control, 0.0)


def screens(definition: Definition) -> list[Screen]:
    """Every screen of the questionnaire, in order, as the model sees it."""
    result: list[Screen] = []
    for page in definition.get("pages", []):
        for n, part in enumerate(page_screens(page)):
            heading = [page["title"], page.get("intro") if n == 0 else None]
            result.append(
                Screen(
                    page_id=screen_id(page["id"], n),
                    words=words(heading) + sum(_item_words(definition, i) for i in part),
                    taps=sum(_item_taps(definition, i) for i in part) + 1,
                    writing_seconds=sum(_writing(i) for i in part),
                )
            )
    return result


def estimated_minutes(definition: Definition) -> int:
    """What a questionnaire's ``minutes`` must say: "about" the model's time, to the nearest whole
    minute (halves up, at least 1). The model already takes the longest way through."""
    seconds = sum(screen.seconds for screen in screens(definition)) + CHECK_PAGE_SECONDS
    return max(1, math.floor(seconds / 60 + 0.5))
