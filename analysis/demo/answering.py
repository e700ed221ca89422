"""How a respondent answers a visible item: from their hidden truth, with skips and refusals."""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache

from analysis.item_types import MULTI_TABLE

from .draws import draw_among, logistic
from .free_text import text_answer
from .people import EXPERIENCES, IN_EDUCATION, VICTIM_EXPERIENCES, Person
from .questionnaire import DONT_KNOW, NOT_APPLICABLE, PREFER_NOT, Item, OrdinalScale

CHILDREN_AT_HOME = {
    "age_18_24": 0.15, "age_25_34": 0.45, "age_35_44": 0.7, "age_45_54": 0.45, "age_55_64": 0.12,
    "age_65_74": 0.04, "age_75_plus": 0.02,
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Measure:
    """How one statement or question on a standard scale depends on the respondent.

    The latent position is ``base + concern * person.concern + exposure * person.exposure``, plus
    ``girl`` for girls and women (and people who describe themselves another way) and ``knife`` for
    people who know someone who carries; it is then cut into the scale's points (ordered logit).
    """

    base: float = 0.0
    concern: float = 0.8
    exposure: float = 0.0
    girl: float = 0.0
    knife: float = 0.0


#: Known statements and questions by id. The gradient by deprivation lives in ``concern``; bases
#: were tuned so that, for young people, about half feel unsafe somewhere and a clear majority of
#: those in the most deprived areas do not always feel safe after dark, as the SNA reports.
MEASURES: dict[str, Measure] = {
    "safe_area_day": Measure(base=-2.3, concern=1.0, girl=0.2),
    "safe_area_dark": Measure(base=-0.2, concern=1.3, girl=0.8),
    "safe_school": Measure(base=-2.0, concern=0.7, exposure=0.4),
    "safe_bus": Measure(base=-1.3, concern=1.0, girl=0.4),
    "safe_school_journey": Measure(base=-1.7, concern=1.0, girl=0.3),
    "safe_town_centre": Measure(base=-0.9, concern=1.1, girl=0.5),
    "safe_online": Measure(base=-1.4, concern=0.4, girl=0.4),
    "worry_knife_crime": Measure(base=-0.3, concern=1.1, knife=0.6),
    "worry_violent_crime": Measure(base=-0.1, concern=1.1, girl=0.3),
    "problem_drugs": Measure(base=0.2, concern=1.3),
    "problem_hanging_around": Measure(base=0.0, concern=1.1),
    "problem_knife_crime": Measure(base=-0.9, concern=1.3),
    "problem_asb": Measure(base=0.1, concern=1.1),
    "seen_drug_dealing": Measure(base=-0.4, concern=1.4),
    "agree_police_council_dealing": Measure(base=0.6, concern=0.6),
    "agree_people_pull_together": Measure(base=-0.1, concern=0.5),
    "agree_enough_for_young_people": Measure(base=1.3, concern=0.5),
    "police_rating": Measure(base=0.1, concern=0.5, exposure=0.4),
}
#: Any other statement on a standard scale, by the start of its id.
MEASURE_PREFIXES = {
    "safe_": Measure(base=-1.0, concern=1.0),
    "worry_": Measure(base=-0.2, concern=1.0),
    "problem_": Measure(base=-0.2, concern=1.1),
}
DEFAULT_MEASURE = Measure()

#: Spread of the answer around the person's position on a scale (1 = standard ordered logit).
ITEM_NOISE = 0.6

#: Chance of skipping an optional question before the person's own ``skipping`` factor.
SKIP_OPTIONAL = 0.04
SKIP_SENSITIVE = 0.08
SKIP_STATEMENT = 0.02
SKIP_NUMBER = 0.1


def answer_item(item: Item, person: Person, answers: dict[str, object], rng: random.Random) -> None:
    """Add the answer keys and values ``person`` gives to a visible ``item`` to ``answers`` (none
    when skipped)."""
    kind = item.kind
    if kind.free_text:
        text = text_answer(item, person, answers, rng)
        if text is not None:
            answers[item.id] = text
        return
    if item.optional:
        skip = SKIP_SENSITIVE if item.sensitive else SKIP_OPTIONAL if kind.has_options else SKIP_NUMBER
        if rng.random() < skip * person.skipping:
            return
    if not kind.has_options:
        answers[item.id] = _number(item, rng)
    elif kind.tabulated == MULTI_TABLE:
        ticked = _ticks(item, person, answers, rng)
        if ticked:
            answers[item.id] = ticked
    else:
        for key in item.keys:
            if item.optional and kind.per_statement and rng.random() < SKIP_STATEMENT * person.skipping:
                continue
            answers[key] = _single(item, key, person, answers, rng)


def _single(item: Item, key: str, person: Person, answers: Mapping[str, object], rng: random.Random) -> str:
    """One value for a single choice or a scale statement, from what is known about ``key``."""
    specialist = SINGLE_CHOICES.get(key)
    weights = specialist(item, person, answers) if specialist else None
    if not weights and item.scale is not None:
        weights = _ordinal(item, item.scale, key, person)
    if not weights and item.offers_yes_no:
        weights = _report(item, "yes" if rng.random() < logistic(-0.5 + 0.5 * person.concern) else "no")
    if weights:
        offered = [weights.get(value, 0.0) for value in item.values]
        # A same-named item with other choices: answer generically rather than pile onto the
        # few values the two happen to share (everyone "Prefer not to say").
        if sum(offered) >= 0.5 * sum(weights.values()):
            return draw_among(rng, item.values, offered)
    return draw_among(rng, item.values, item.popularity)


def _ordinal(item: Item, scale: OrdinalScale, key: str, person: Person) -> dict[str, float]:
    """Ordered-logit shares of a standard scale's points, plus its non-answers where offered."""
    measure = _measure(key)
    position = (
        measure.base
        + measure.concern * person.concern
        + measure.exposure * person.exposure
        + measure.girl * (person.gender != "boy_or_man")
        + measure.knife * person.knows_carrier
    )
    below = [logistic((cut - position) / ITEM_NOISE) for cut in scale.cuts]
    shares = [below[0], *(below[j] - below[j - 1] for j in range(1, len(below))), 1.0 - below[-1]]
    not_applicable = _not_applicable(key, person)
    opinion = 1.0 - scale.dont_know - not_applicable
    weights = {point: share * opinion for point, share in zip(scale.points, shares, strict=True)}
    weights[DONT_KNOW] = scale.dont_know
    weights[NOT_APPLICABLE] = not_applicable
    weights[PREFER_NOT] = 0.01 if item.sensitive else 0.0
    return weights


@cache
def _measure(key: str) -> Measure:
    return MEASURES.get(key) or next(
        (m for prefix, m in MEASURE_PREFIXES.items() if key.startswith(prefix)), DEFAULT_MEASURE
    )


def _not_applicable(key: str, person: Person) -> float:
    """Chance that a safety statement does not apply (no school, no bus, never out after dark)."""
    if key in ("safe_school", "safe_school_journey"):
        if person.activity is None or person.activity in IN_EDUCATION:
            return 0.01
        return 0.3 if person.activity == "university" else 0.8
    if key == "safe_bus":
        return 0.05 + 0.1 * (person.area in ("rutland", "harborough", "melton"))
    if key == "safe_area_dark":
        return 0.02 if person.young else 0.03 + 0.25 * max(0.0, person.age - 0.7)
    return 0.0


def _report(item: Item, truth: str, refuse: float = 0.03) -> dict[str, float]:
    """The truth, or "Prefer not to say" now and then on sensitive questions."""
    return {truth: 1.0, PREFER_NOT: refuse if item.sensitive else 0.0}


_SingleModel = Callable[[Item, Person, Mapping[str, object]], dict[str, float] | None]


def _truth(attribute: str) -> _SingleModel:
    """Report a profile attribute as it is (age band, area, activity: nobody hides those here)."""

    def report(_item: Item, person: Person, _answers: Mapping[str, object]) -> dict[str, float] | None:
        value = getattr(person, attribute)
        return {value: 1.0} if value else None

    return report


def _private(attribute: str, refuse: float) -> _SingleModel:
    """Report a profile attribute that some people would rather not give (gender, ethnic group)."""

    def report(_item: Item, person: Person, _answers: Mapping[str, object]) -> dict[str, float]:
        return {getattr(person, attribute): 1.0 - refuse, PREFER_NOT: refuse}

    return report


def _experience(key: str) -> _SingleModel:
    def report(item: Item, person: Person, _answers: Mapping[str, object]) -> dict[str, float]:
        return _report(item, "yes" if person.experiences[key] else "no")

    return report


def _know_someone(item: Item, person: Person, _answers: Mapping[str, object]) -> dict[str, float]:
    if person.knows_carrier:
        return _report(item, "yes")
    return {"no": 0.86, DONT_KNOW: 0.11, PREFER_NOT: 0.03}


def _thought(item: Item, person: Person, _answers: Mapping[str, object]) -> dict[str, float]:
    return _report(item, "yes" if person.thought_about_carrying else "no")


def _ever_carried(item: Item, person: Person, _answers: Mapping[str, object]) -> dict[str, float]:
    # People who carried refuse more often than those who did not.
    return _report(item, person.carried, refuse=0.02 if person.carried == "no" else 0.12)


def _youth_activities(_item: Item, person: Person, _answers: Mapping[str, object]) -> dict[str, float]:
    return {
        "yes_go": 0.35 - 0.25 * person.age,
        "yes_dont_go": 0.3,
        "none_near": 0.2 + 0.15 * person.deprivation + 0.1 * (person.area in ("rutland", "melton")),
        DONT_KNOW: 0.12,
    }


def _children(_item: Item, person: Person, _answers: Mapping[str, object]) -> dict[str, float]:
    share = CHILDREN_AT_HOME.get(person.age_band or "", 0.35)
    return {"yes": share * 0.98, "no": (1 - share) * 0.98, PREFER_NOT: 0.02}


#: Single choices and scale statements of the standard questionnaires that report the profile.
SINGLE_CHOICES: dict[str, _SingleModel] = {
    "age_band": _truth("age_band"),
    "area": _truth("area"),
    "current_activity": _truth("activity"),
    "gender": _private("gender", 0.025),
    "ethnic_group": _private("ethnic_group", 0.03),
    "children_at_home": _children,
    "know_someone_carries": _know_someone,
    "thought_about_carrying": _thought,
    "ever_carried": _ever_carried,
    "youth_activities": _youth_activities,
    **{key: _experience(key) for key in EXPERIENCES},
}


def _ticks(item: Item, person: Person, answers: Mapping[str, object], rng: random.Random) -> list[str]:
    """Ticked values of a multiple choice, keeping to its exclusive choices and ``max_choices``."""
    specialist = MULTIPLE_CHOICES.get(item.id)
    chances = specialist(person, answers) if specialist else None
    if not chances or not any(chances.get(value, 0.0) for value in item.values):
        chances = {
            value: 0.04 if value in item.exclusive else min(0.6, 0.4 * weight)
            for value, weight in zip(item.values, item.popularity, strict=True)
        }
    for value in item.exclusive:
        if rng.random() < chances.get(value, 0.0):
            return [value]
    ticked = [
        value
        for value in item.values
        if value not in item.exclusive and rng.random() < chances.get(value, 0.0)
    ]
    if item.max_choices is not None and len(ticked) > item.max_choices:
        kept = set(rng.sample(ticked, item.max_choices))
        ticked = [value for value in ticked if value in kept]
    if ticked:
        return ticked
    # Nothing ticked: "None of these" if there is one, else skip, or one tick if it is required.
    fallback = [value for value in item.exclusive if value not in (DONT_KNOW, PREFER_NOT)]
    if fallback:
        return [fallback[0]]
    if item.optional:
        return []
    candidates = [value for value in item.values if value not in item.exclusive] or list(item.values)
    return [max(candidates, key=lambda value: chances.get(value, 0.0))]


# Places where young people feel unsafe, and the safety statement that speaks for each.
PLACE_STATEMENTS = {
    "local_area": "safe_area_dark",
    "buses": "safe_bus",
    "bus_stops": "safe_bus",
    "journey_to_school": "safe_school_journey",
    "school": "safe_school",
    "town_centre": "safe_town_centre",
}
PLACE_BASES = {"parks": -1.8, "shops": -2.3, "alleys_underpasses": -1.7, "other": -4.0}


def _places(person: Person, answers: Mapping[str, object]) -> dict[str, float]:
    chances = {}
    for place, key in PLACE_STATEMENTS.items():
        answer = answers.get(key)
        if answer == "very_unsafe":
            chances[place] = 0.85
        elif answer == "a_bit_unsafe":
            chances[place] = 0.6 if place != "bus_stops" else 0.45
        elif answer in ("very_safe", "fairly_safe", NOT_APPLICABLE):
            chances[place] = 0.03
        else:
            chances[place] = logistic(-2.0 + person.concern)
    for place, base in PLACE_BASES.items():
        chances[place] = logistic(base + 0.9 * person.concern)
    return chances


def _carry_reasons(person: Person, _answers: Mapping[str, object]) -> dict[str, float]:
    victim = any(person.experiences[key] for key in VICTIM_EXPERIENCES)
    male = person.gender == "boy_or_man"
    return {
        "protection": 0.68,
        "fear": 0.42 + 0.2 * victim,
        "others_do": 0.25,
        "status_respect": 0.08 + 0.08 * male,
        "pressure_from_others": 0.08,
        "other": 0.04,
        PREFER_NOT: 0.05,
    }


def _causes(person: Person, answers: Mapping[str, object]) -> dict[str, float]:
    return {
        "peer_pressure": 0.55,
        "money_problems": 0.2 + 0.2 * person.deprivation,
        "media": 0.4 if person.young else 0.3,
        "nothing_to_do": 0.35 + 0.2 * (answers.get("youth_activities") == "none_near"),
        "discrimination": 0.1 + 0.12 * (person.ethnic_group != "white"),
        "drugs": 0.45,
        "gangs_exploitation": 0.4 + 0.1 * person.deprivation,
        "problems_at_home": 0.3,
        "school_exclusion": 0.15,
        "other": 0.04,
        DONT_KNOW: 0.12 - 0.08 * person.age,
    }


def _confidants(person: Person, answers: Mapping[str, object]) -> dict[str, float]:
    return {
        "parent_carer": 0.7 - 0.3 * person.age,
        "other_family": 0.2,
        "friend": 0.35 + 0.15 * person.age,
        "school_staff": 0.3 if person.activity in IN_EDUCATION else 0.03,
        "youth_worker": 0.04 + 0.2 * (answers.get("youth_activities") == "yes_go"),
        "police": 0.08 + 0.12 * (answers.get("police_rating") in ("excellent", "good")),
        "helpline": 0.07,
        "someone_else": 0.03,
        DONT_KNOW: 0.05,
    }


MULTIPLE_CHOICES: dict[str, Callable[[Person, Mapping[str, object]], dict[str, float]]] = {
    "places_unsafe": _places,
    "carry_reasons": _carry_reasons,
    "violence_causes": _causes,
    "who_to_talk_to": _confidants,
}


def _number(item: Item, rng: random.Random) -> int:
    """A whole number in range, small ones commoner (counts and ages in surveys skew low)."""
    if item.minimum is not None:
        low = item.minimum
    else:
        low = 0 if item.maximum is None else min(0, item.maximum - 100)
    high = item.maximum if item.maximum is not None else low + 100
    return min(high, low + int((high - low + 1) * rng.random() ** 2))
