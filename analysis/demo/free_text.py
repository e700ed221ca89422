"""Free-text answers from the hand-written bank, in the respondent's language (mostly), echoing
what they answered before; and postcode districts inside their district."""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from itertools import accumulate
from pathlib import Path

import yaml

from .draws import draw
from .people import DISTRICT_CODES, Person
from .questionnaire import Item

TEXT_BANK_PATH = Path(__file__).parents[1] / "data" / "demo_text.yaml"

#: Outward codes (postcode districts) mostly inside each district, with rough resident shares.
POSTCODE_DISTRICTS: dict[str, dict[str, float]] = {
    "leicester": {"LE1": 0.07, "LE2": 0.23, "LE3": 0.22, "LE4": 0.24, "LE5": 0.24},
    "blaby": {"LE3": 0.25, "LE8": 0.25, "LE9": 0.2, "LE19": 0.3},
    "charnwood": {"LE11": 0.45, "LE12": 0.25, "LE7": 0.15, "LE4": 0.15},
    "harborough": {"LE16": 0.4, "LE17": 0.3, "LE8": 0.2, "LE7": 0.1},
    "hinckley_and_bosworth": {"LE10": 0.55, "LE9": 0.3, "LE67": 0.1, "CV13": 0.05},
    "melton": {"LE13": 0.75, "LE14": 0.25},
    "north_west_leicestershire": {"LE67": 0.5, "LE65": 0.3, "DE74": 0.15, "LE12": 0.05},
    "oadby_and_wigston": {"LE2": 0.45, "LE18": 0.55},
    "rutland": {"LE15": 1.0},
    "somewhere_else": {"CV1": 0.25, "NG1": 0.25, "DE1": 0.2, "NN1": 0.15, "PE1": 0.15},
}
#: How often people give a postcode district (optional), by their area answer.
POSTCODE_RATE = {"somewhere_else": 0.2}
POSTCODE_RATE_DISTRICT = 0.55

UNSAFE = frozenset({"a_bit_unsafe", "very_unsafe"})


@dataclass(frozen=True, slots=True)
class TextEntry:
    """One answer of the text bank; themes choose it more often for people whose answers fit."""

    text: str
    language: str
    themes: frozenset[str]
    pii: bool


#: Share of non-English respondents who write in their own language rather than in English.
OWN_LANGUAGE_TEXT = 0.75
#: Weight of bank entries on a theme the respondent's earlier answers point to.
THEME_WEIGHT = 4.0
#: Earlier answers that make a theme more likely in free text: (answer key, values, theme).
THEME_SIGNALS = (
    ("safe_area_dark", UNSAFE, "lighting"),
    ("places_unsafe", frozenset({"parks", "alleys_underpasses"}), "lighting"),
    ("safe_bus", UNSAFE, "transport"),
    ("safe_school_journey", UNSAFE, "transport"),
    ("places_unsafe", frozenset({"buses", "bus_stops", "journey_to_school"}), "transport"),
    ("youth_activities", frozenset({"none_near"}), "youth_provision"),
    ("agree_enough_for_young_people", frozenset({"disagree", "strongly_disagree"}), "youth_provision"),
    ("violence_causes", frozenset({"nothing_to_do"}), "youth_provision"),
    ("police_rating", frozenset({"poor", "very_poor"}), "police"),
    ("agree_police_council_dealing", frozenset({"disagree", "strongly_disagree"}), "police"),
    ("problem_drugs", frozenset({"very_big_problem"}), "drugs"),
    ("seen_drug_dealing", frozenset({"frequently"}), "drugs"),
    ("violence_causes", frozenset({"drugs"}), "drugs"),
    ("violence_causes", frozenset({"gangs_exploitation"}), "gangs"),
    ("problem_knife_crime", frozenset({"very_big_problem", "fairly_big_problem"}), "knives"),
    ("worry_knife_crime", frozenset({"very_worried"}), "knives"),
    ("thought_about_carrying", frozenset({"yes"}), "fear_protection"),
    ("carry_reasons", frozenset({"protection", "fear"}), "fear_protection"),
    ("violence_causes", frozenset({"peer_pressure"}), "peer_pressure"),
    ("violence_causes", frozenset({"money_problems"}), "money"),
    ("violence_causes", frozenset({"media"}), "social_media"),
    ("safe_online", UNSAFE, "social_media"),
    ("violence_causes", frozenset({"problems_at_home"}), "family"),
    ("violence_causes", frozenset({"school_exclusion"}), "education"),
    ("violence_causes", frozenset({"discrimination"}), "discrimination"),
)


@cache
def text_bank() -> dict[str, list[TextEntry]]:
    """The hand-written answers, per question id (and ``generic``), read once."""
    data = yaml.safe_load(TEXT_BANK_PATH.read_text("utf-8"))
    return {
        question: [
            TextEntry(
                entry["text"].strip(),
                entry["lang"],
                frozenset(entry.get("themes", ())),
                bool(entry.get("pii", False)),
            )
            for entry in entries
        ]
        for question, entries in data["answers"].items()
    }


def text_answer(item: Item, person: Person, answers: Mapping[str, object], rng: random.Random) -> str | None:
    """A free-text answer in the person's language (mostly), or None when they leave it blank."""
    if item.id == "postcode_district":
        code = _postcode(item, person, rng)
        if code is not None or item.optional:
            return code
    if item.optional and rng.random() >= person.writing:
        return None
    language = person.language
    if language != "en" and rng.random() >= OWN_LANGUAGE_TEXT:
        language = "en"
    choices = _choices(item.id, item.max_length, language)
    if not choices.fitting:
        shortest = min(choices.candidates, key=lambda entry: len(entry.text))
        return shortest.text[: item.max_length].strip() or shortest.text[0]
    salient = frozenset(theme for key, values, theme in choices.signals if _ticked(answers.get(key), values))
    return rng.choices(choices.fitting, cum_weights=choices.cumulative(salient))[0].text


@dataclass(frozen=True, slots=True)
class _Choices:
    """The bank entries one question can take in one language, ready for many respondents."""

    candidates: tuple[TextEntry, ...]
    #: The candidates within the question's length limit.
    fitting: tuple[TextEntry, ...]
    #: The ``THEME_SIGNALS`` whose theme some fitting entry has: no other can change a weight.
    signals: tuple[tuple[str, frozenset[str], str], ...]
    #: Cumulative weights of the fitting entries, by the set of salient themes they were made for.
    weights_by_themes: dict[frozenset[str], list[float]]

    def cumulative(self, salient: frozenset[str]) -> list[float]:
        """Cumulative weights of ``fitting``, ``THEME_WEIGHT`` for an entry on a salient theme."""
        if salient not in self.weights_by_themes:
            weights = [THEME_WEIGHT if entry.themes & salient else 1.0 for entry in self.fitting]
            self.weights_by_themes[salient] = list(accumulate(weights))
        return self.weights_by_themes[salient]


@cache
def _choices(question: str, max_length: int, language: str) -> _Choices:
    """The entries for ``question`` in ``language``, else generic ones, else the same in English."""
    bank = text_bank()
    candidates = (
        [entry for entry in bank.get(question, ()) if entry.language == language]
        or [entry for entry in bank["generic"] if entry.language == language]
        or [entry for entry in bank.get(question, ()) if entry.language == "en"]
        or [entry for entry in bank["generic"] if entry.language == "en"]
    )
    fitting = tuple(entry for entry in candidates if len(entry.text) <= max_length)
    themes = frozenset().union(*(entry.themes for entry in fitting))
    signals = tuple(signal for signal in THEME_SIGNALS if signal[2] in themes)
    return _Choices(tuple(candidates), fitting, signals, {})


def _ticked(answer: object, values: frozenset[str]) -> bool:
    if isinstance(answer, list):
        return not values.isdisjoint(answer)
    return answer in values


def _postcode(item: Item, person: Person, rng: random.Random) -> str | None:
    """An outward code inside the person's district, typed as people type it; often left blank."""
    codes = POSTCODE_DISTRICTS.get(person.area, {})
    fitting = {code: weight for code, weight in codes.items() if len(code) <= item.max_length}
    rate = POSTCODE_RATE_DISTRICT if person.area in DISTRICT_CODES else POSTCODE_RATE.get(person.area, 0.0)
    if not fitting or (item.optional and rng.random() >= rate):
        return None
    code = draw(rng, fitting)
    return code.lower() if rng.random() < 0.1 else code
