"""Realistic made-up responses to any questionnaire, for demos, load tests and analysis development.

Real answers are anonymous and sensitive, so they cannot be copied into a demo site, a notebook or
a benchmark. This module invents respondents instead, and makes them behave like the people the
Violence Reduction Network surveys: a crosstab of the made-up data should tell the same kind of
story as the Strategic Needs Assessment (feeling unsafe rises with deprivation, most young people
never think of carrying a knife, those who do mostly say fear and protection), otherwise a demo
would show charts that teach people the wrong thing.

How it works: every respondent first gets a hidden "true" profile (district, a neighbourhood
deprivation decile, age, gender, language, how worried they are in general, what has happened to
them). Questions are then answered from that profile through a reporting step that skips optional
questions, says "Don't know" or "Prefer not to say" at realistic rates, and respects every rule
the web app enforces (conditions, exclusive choices, ``max_choices``, ranges, lengths). Items of
the two standard questionnaires are recognised by id; any other item gets a plausible generic
answer, and any statement on a standard scale (safety, worry, problem, frequency, agreement,
police rating) is answered from the profile too, so new questions inherit sensible relationships.

Districts are weighted by Census 2021 residents, deprivation comes from the district's IMD 2019
LSOA deciles and language from its Census 2021 main-language mix, all read from the replaceable
files in ``analysis/data/areas/``. Free text comes from the hand-written bank in
``analysis/data/demo_text.yaml``.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import yaml

from analysis.areas import load_lsoa_deprivation, load_main_language
from analysis.districts import load_districts

TEXT_BANK_PATH = Path(__file__).parent / "data" / "demo_text.yaml"
#: Months covered when no month is given: the current one and the five before it.
RECENT_MONTHS = 6
#: The web app's length limits when an item sets none (``survey_app.definitions.model``, which
#: this pure library may not import).
DEFAULT_MAX_LENGTH = {"short_text": 200, "long_text": 2000}
ITEM_TYPES = frozenset(
    {"single_choice", "multiple_choice", "rating_scale", "number", "short_text", "long_text"}
)

#: The questionnaires' district values and their ONS codes, from the shipped district lookup.
DISTRICT_CODES: dict[str, str] = dict(load_districts()[["area", "lad_code"]].itertuples(index=False))
#: Area answers that are not a district, as shares of all respondents.
OTHER_AREAS = {"somewhere_else": 0.015, "dont_know": 0.015, "prefer_not_to_say": 0.01}

#: Census 2021 TS024 labels of the twelve survey languages. People whose main language is not one
#: of them are left out of the mix: they would pick one of these twelve to answer in.
CENSUS_LANGUAGES = {
    "English (English or Welsh in Wales)": "en",
    "South Asian language: Gujarati": "gu",
    "South Asian language: Panjabi": "pa",
    "Other European language (EU): Polish": "pl",
    "Other European language (EU): Romanian": "ro",
    "South Asian language: Urdu": "ur",
    "South Asian language: Bengali (with Sylheti and Chatgaya)": "bn",
    "Portuguese": "pt",
    "Arabic": "ar",
    "African language: Somali": "so",
    "South Asian language: Hindi": "hi",
    "South Asian language: Tamil": "ta",
}

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

#: Census 2021 (TS021) high-level ethnic groups per district, rounded. Leicester's row is for
#: people whose main language is English: the Asian-language speakers are assigned "asian" below.
ETHNIC_GROUPS: dict[str, dict[str, float]] = {
    "leicester": {"white": 0.53, "asian": 0.3, "black": 0.08, "mixed": 0.05, "other": 0.04},
    "oadby_and_wigston": {"white": 0.66, "asian": 0.26, "black": 0.03, "mixed": 0.03, "other": 0.02},
    "charnwood": {"white": 0.82, "asian": 0.12, "black": 0.02, "mixed": 0.025, "other": 0.015},
    "blaby": {"white": 0.85, "asian": 0.1, "black": 0.02, "mixed": 0.02, "other": 0.01},
    "harborough": {"white": 0.92, "asian": 0.05, "black": 0.01, "mixed": 0.015, "other": 0.005},
    "hinckley_and_bosworth": {"white": 0.94, "asian": 0.035, "black": 0.006, "mixed": 0.015, "other": 0.004},
    "melton": {"white": 0.96, "asian": 0.015, "black": 0.006, "mixed": 0.013, "other": 0.006},
    "north_west_leicestershire": {
        "white": 0.95,
        "asian": 0.025,
        "black": 0.007,
        "mixed": 0.013,
        "other": 0.005,
    },
    "rutland": {"white": 0.95, "asian": 0.02, "black": 0.008, "mixed": 0.015, "other": 0.007},
    "": {"white": 0.78, "asian": 0.15, "black": 0.03, "mixed": 0.025, "other": 0.015},
}
ETHNIC_GROUPS_BY_LANGUAGE: dict[str, dict[str, float]] = {
    **{code: {"asian": 1.0} for code in ("gu", "pa", "ur", "bn", "hi", "ta")},
    "pl": {"white": 0.98, "mixed": 0.02},
    "ro": {"white": 0.97, "other": 0.03},
    "pt": {"white": 0.45, "asian": 0.25, "black": 0.18, "mixed": 0.12},
    "so": {"black": 0.97, "other": 0.03},
    "ar": {"other": 0.8, "black": 0.1, "asian": 0.1},
}

#: Age bands of the standard questionnaires, weighted like the people such surveys reach:
#: schools hand out most of the young people's survey, and older adults answer more than the young.
AGE_BANDS = {
    "age_11_13": 0.24, "age_14_15": 0.25, "age_16_17": 0.2, "age_18_21": 0.18, "age_22_25": 0.13,
    "age_18_24": 0.09, "age_25_34": 0.16, "age_35_44": 0.18, "age_45_54": 0.18, "age_55_64": 0.17,
    "age_65_74": 0.14, "age_75_plus": 0.08,
}  # fmt: skip
YOUNG_BANDS = frozenset({"age_11_13", "age_14_15", "age_16_17", "age_18_21", "age_22_25"})
#: What young people do, by age band (current_activity).
ACTIVITIES = {
    "age_11_13": {"school": 0.98, "other": 0.02},
    "age_14_15": {"school": 0.97, "not_in_any": 0.01, "other": 0.02},
    "age_16_17": {"school": 0.05, "college": 0.75, "apprenticeship": 0.07, "work": 0.05,
                  "not_in_any": 0.06, "other": 0.02},
    "age_18_21": {"university": 0.35, "college": 0.12, "apprenticeship": 0.08, "work": 0.29,
                  "not_in_any": 0.13, "other": 0.03},
    "age_22_25": {"university": 0.12, "apprenticeship": 0.04, "work": 0.64, "not_in_any": 0.15,
                  "other": 0.05},
}  # fmt: skip
IN_EDUCATION = frozenset({"school", "college"})
CHILDREN_AT_HOME = {
    "age_18_24": 0.15, "age_25_34": 0.45, "age_35_44": 0.7, "age_45_54": 0.45, "age_55_64": 0.12,
    "age_65_74": 0.04, "age_75_plus": 0.02,
}  # fmt: skip

# Answers that are not an opinion: kept small, and left out of the generic "popular" answers.
DONT_KNOW = "dont_know"
PREFER_NOT = "prefer_not_to_say"
NOT_APPLICABLE = "does_not_apply"
NON_ANSWERS = frozenset(
    {
        DONT_KNOW,
        PREFER_NOT,
        NOT_APPLICABLE,
        "other",
        "somewhere_else",
        "none_of_these",
        "no_one",
        "someone_else",
        "none",
    }
)


@dataclass(frozen=True, slots=True)
class OrdinalScale:
    """A standard answer scale, its opinion points ordered from best to worst.

    The latent "how bad is it" of a respondent is cut into these points, so any statement using
    the scale gets answers that move with deprivation and worry, not random noise.
    """

    points: tuple[str, ...]
    #: Share of "Don't know" where the item offers it.
    dont_know: float
    #: Distance between neighbouring points on the latent axis: wider keeps more people in the
    #: middle points, as real answers on four-point scales do.
    spacing: float = 1.5


SCALES = (
    OrdinalScale(("very_safe", "fairly_safe", "a_bit_unsafe", "very_unsafe"), 0.02),
    OrdinalScale(("not_at_all_worried", "not_very_worried", "fairly_worried", "very_worried"), 0.03),
    OrdinalScale(("not_a_problem", "not_very_big_problem", "fairly_big_problem", "very_big_problem"), 0.06),
    OrdinalScale(("never", "once_or_twice", "sometimes", "frequently"), 0.04),
    OrdinalScale(("strongly_agree", "agree", "neither", "disagree", "strongly_disagree"), 0.05, 1.2),
    OrdinalScale(("excellent", "good", "fair", "poor", "very_poor"), 0.12, 1.2),
)
UNSAFE = frozenset({"a_bit_unsafe", "very_unsafe"})


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

#: Things that happened in the last 12 months (young people): base log-odds on top of exposure.
EXPERIENCES = {
    "saw_someone_hurt": -0.9,
    "was_hurt": -2.4,
    "was_threatened": -2.0,
    "was_robbed": -3.3,
    "saw_knife": -1.6,
}
VICTIM_EXPERIENCES = ("was_hurt", "was_threatened", "was_robbed")
#: A person's general unease: log-odds from the most to the least deprived decile, from the youngest
#: to the oldest band, and the spread of the personal part that makes one person's answers hang
#: together (someone uneasy after dark is more likely to be uneasy on the bus too).
DEPRIVATION_CONCERN = 3.0
AGE_CONCERN = 0.8
PERSONAL_CONCERN = 1.0
#: Spread of the answer around the person's position on a scale (1 = standard ordered logit).
ITEM_NOISE = 0.6


@dataclass(slots=True)
class _Person:
    """One made-up respondent's hidden truth; answers report it, with skips and refusals."""

    area: str
    #: 0 for the least deprived tenth of neighbourhoods in England, 1 for the most deprived.
    deprivation: float
    age_band: str | None
    #: Position among the questionnaire's age bands, 0 youngest to 1 oldest.
    age: float
    young: bool
    gender: str
    ethnic_group: str
    language: str
    activity: str | None
    #: General unease about safety; deprivation, age and a personal part.
    concern: float
    #: How much violence is around this person (drives what they have seen and had done to them).
    exposure: float
    experiences: dict[str, bool]
    knows_carrier: bool
    thought_about_carrying: bool
    carried: str
    #: Multiplies every chance of skipping an optional question.
    skipping: float
    #: Chance of writing something in an optional free-text box.
    writing: float


@dataclass(frozen=True, slots=True)
class DemoResponse:
    """A made-up response, shaped like a draft the app is about to submit.

    ``answers`` maps answer keys (item ids, and statement ids for a rating scale) to a value
    string, a list of ticked values, an int or a text, and holds nothing for a skipped or hidden
    item. Free text is *not* redacted: a few answers carry planted fake phone numbers and email
    addresses, so anything that stores them should pass them through the same step the app does
    (``analysis.text.pipeline.prepare_answer``).
    """

    language: str
    month: str
    answers: dict[str, object]
    #: (type, district) of the distribution link it came through, None for the survey's own address;
    #: online links have no district.
    channel: tuple[str, str | None] | None = None


#: How demo responses arrive: by type of distribution link (None: the survey's own address).
CHANNEL_MIX = (
    ("school", 0.3),
    ("college", 0.05),
    ("youth_club", 0.15),
    ("community_group", 0.1),
    ("event", 0.05),
    ("online", 0.2),
    (None, 0.15),
)


@dataclass(frozen=True, slots=True)
class _Item:
    """A questionnaire item with its choice list resolved, ready to answer many times."""

    id: str
    type: str
    optional: bool
    sensitive: bool
    condition: tuple[str, frozenset[str]] | None
    values: tuple[str, ...]
    exclusive: tuple[str, ...]
    max_choices: int | None
    keys: tuple[str, ...]
    minimum: int | None
    maximum: int | None
    max_length: int
    scale: OrdinalScale | None
    #: Generic answer weights per value, used when nothing better is known about the item.
    popularity: tuple[float, ...]

    def visible(self, answers: Mapping[str, object]) -> bool:
        """The app's rule: shown only when the earlier answer (or any ticked value) is listed."""
        if self.condition is None:
            return True
        key, any_of = self.condition
        answer = answers.get(key)
        if isinstance(answer, list):
            return any(value in any_of for value in answer)
        return answer in any_of


@dataclass(frozen=True, slots=True)
class _World:
    """District populations, neighbourhood deciles and language mixes from the area data files."""

    areas: tuple[str, ...]
    area_weights: tuple[float, ...]
    deciles: dict[str, tuple[int, ...]]
    languages: dict[str, tuple[tuple[str, ...], tuple[float, ...]]]


@dataclass(frozen=True, slots=True)
class _TextEntry:
    """One answer of the text bank; themes choose it more often for people whose answers fit."""

    text: str
    language: str
    themes: frozenset[str]
    pii: bool


def generate(
    definition: dict, n: int, seed: int = 0, month: str | None = None, *, today: date | None = None
) -> list[DemoResponse]:
    """``n`` made-up responses to ``definition`` (a questionnaire as parsed from its YAML file).

    Responses are spread over the ``RECENT_MONTHS`` months up to ``today`` (default: the real
    date) unless ``month`` ("YYYY-MM") is given. The same arguments always give the same
    responses: every random draw comes from one generator seeded with ``seed``.
    """
    if n < 0:
        raise ValueError(f"n must be 0 or more, not {n}")
    if month is not None and not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", month):
        raise ValueError(f"month must look like 2025-06, not {month!r}")
    items = _items(definition, seed)
    months = (month,) if month else _recent_months(today or date.today())
    # Later months a little busier, as word of a survey spreads.
    month_weights = _cumulative([1.0 + 0.1 * index for index in range(len(months))])
    age_item = next((item for item in items if item.id == "age_band"), None)
    world = _world()
    bank = _text_bank()
    rng = random.Random(seed)
    # Channels draw from their own generator, so adding them left every other answer as it was.
    channel_rng = random.Random(f"{seed}:channel")
    channel_weights = _cumulative([weight for _, weight in CHANNEL_MIX])
    responses = []
    for _ in range(n):
        person = _person(rng, world, age_item)
        answers: dict[str, object] = {}
        for item in items:
            if item.visible(answers):
                answers.update(_answer(item, person, answers, bank, rng))
        month_drawn = months[_draw_index(rng, month_weights)]
        kind = CHANNEL_MIX[_draw_index(channel_rng, channel_weights)][0]
        area = None if kind == "online" or person.area in OTHER_AREAS else person.area
        responses.append(
            DemoResponse(
                language=person.language,
                month=month_drawn,
                answers=answers,
                channel=None if kind is None else (kind, area),
            )
        )
    return responses


# --- The questionnaire --------------------------------------------------------------------------


def _items(definition: dict, seed: int) -> list[_Item]:
    """Resolve every item's choice list once, so answering a thousand people stays cheap."""
    lists = definition.get("choice_lists") or {}
    items = []
    for page in definition["pages"]:
        for raw in page["items"]:
            kind = raw["type"]
            if kind not in ITEM_TYPES:
                raise ValueError(f"item {raw['id']!r} has unknown type {kind!r}")
            source = raw.get("scale", raw.get("choices", ()))
            entries = lists[source] if isinstance(source, str) else source
            values = tuple(entry["value"] for entry in entries)
            condition = raw.get("show_if")
            statements = tuple(statement["id"] for statement in raw.get("statements", ()))
            keys = statements if kind == "rating_scale" else (raw["id"],)
            shape = random.Random(f"{seed}:{raw['id']}")
            items.append(
                _Item(
                    id=raw["id"],
                    type=kind,
                    optional=bool(raw.get("optional", False)),
                    sensitive=bool(raw.get("sensitive", False)),
                    condition=(condition["item"], frozenset(condition["any_of"])) if condition else None,
                    values=values,
                    exclusive=tuple(value for value in values if value in set(raw.get("exclusive", ()))),
                    max_choices=raw.get("max_choices"),
                    keys=keys,
                    minimum=raw.get("min"),
                    maximum=raw.get("max"),
                    max_length=raw.get("max_length", DEFAULT_MAX_LENGTH.get(kind, 0)),
                    scale=next((scale for scale in SCALES if set(scale.points) <= set(values)), None),
                    popularity=tuple(
                        0.05 if value in NON_ANSWERS else 0.3 + shape.random() for value in values
                    ),
                )
            )
    return items


def _recent_months(today: date) -> tuple[str, ...]:
    year, month = today.year, today.month
    months = []
    for _ in range(RECENT_MONTHS):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return tuple(reversed(months))


# --- The people ---------------------------------------------------------------------------------


@cache
def _world() -> _World:
    """Read the shipped area files once: they are the same for every call."""
    lsoas = load_lsoa_deprivation()
    languages = load_main_language()
    code_to_area = {code: area for area, code in DISTRICT_CODES.items()}
    residents = languages.groupby("lad_code")["count"].sum()
    total = float(residents.sum())
    district_share = 1.0 - sum(OTHER_AREAS.values())
    areas = [*DISTRICT_CODES, *OTHER_AREAS]
    weights = [district_share * float(residents[code]) / total for code in DISTRICT_CODES.values()]
    weights += list(OTHER_AREAS.values())
    deciles = {
        area: tuple(int(d) for d in lsoas.loc[lsoas["lad_code"] == code, "imd_decile"])
        for area, code in DISTRICT_CODES.items()
    }
    # People outside the districts (or not saying) get a neighbourhood from LLR as a whole.
    deciles[""] = tuple(int(d) for d in lsoas["imd_decile"])
    survey = languages[languages["language"].isin(CENSUS_LANGUAGES)]
    mixes: dict[str, tuple[tuple[str, ...], tuple[float, ...]]] = {}
    for code, rows in survey.groupby("lad_code"):
        mixes[code_to_area[str(code)]] = _language_mix(rows["language"], rows["count"])
    mixes[""] = _language_mix(survey["language"], survey["count"])
    return _World(tuple(areas), _cumulative(weights), deciles, mixes)


def _language_mix(labels: Sequence[str], counts: Sequence[int]) -> tuple[tuple[str, ...], tuple[float, ...]]:
    totals: dict[str, float] = {}
    for label, count in zip(labels, counts, strict=True):
        code = CENSUS_LANGUAGES[label]
        totals[code] = totals.get(code, 0.0) + float(count)
    return tuple(totals), _cumulative(list(totals.values()))


def _person(rng: random.Random, world: _World, age_item: _Item | None) -> _Person:
    """Draw one respondent's hidden truth; everything later reports on it."""
    area = world.areas[_draw_index(rng, world.area_weights)]
    place = area if area in DISTRICT_CODES else ""
    decile = rng.choice(world.deciles[place])
    deprivation = (10 - decile) / 9
    codes, cumulative = world.languages[place]
    language = codes[_draw_index(rng, cumulative)]
    age_band, age = _age(rng, age_item)
    young = age_band in YOUNG_BANDS if age_band else False
    gender = _draw(
        rng,
        {"girl_or_woman": 0.5, "boy_or_man": 0.47, "another_way": 0.03}
        if young
        else {"girl_or_woman": 0.55, "boy_or_man": 0.44, "another_way": 0.01},
    )
    ethnic = ETHNIC_GROUPS_BY_LANGUAGE.get(language) or ETHNIC_GROUPS[place]
    activity = None
    if age_band in ACTIVITIES:
        weights = dict(ACTIVITIES[age_band])
        if "not_in_any" in weights:
            weights["not_in_any"] *= 0.5 + deprivation
        if "university" in weights:
            weights["university"] *= 1.3 - 0.6 * deprivation
        activity = _draw(rng, weights)
    # The coefficients below were tuned against the figures the SNA and national surveys give:
    # about 28% saw someone hurt on purpose and 10% were hurt (YEF's 13-17s report similar),
    # a quarter know someone who carries (about half in Leicester), one in ten ever thought of
    # carrying (the SNA's "90% never considered it") and 6-7% ever carried (its 8% then 6%).
    male = gender == "boy_or_man"
    personal = rng.gauss(0.0, PERSONAL_CONCERN)
    concern = DEPRIVATION_CONCERN * (deprivation - 0.5) + AGE_CONCERN * (age - 0.5) + personal
    exposure = (
        1.6 * (deprivation - 0.5)
        + 0.45 * male
        + (0.5 if young else -0.8) * (age - 0.5)
        + 0.4 * personal
        + rng.gauss(0.0, 0.7)
    )
    experiences = {key: rng.random() < _logistic(base + exposure) for key, base in EXPERIENCES.items()}
    victim = any(experiences[key] for key in VICTIM_EXPERIENCES)
    knows = rng.random() < _logistic(
        -1.5 + 2.4 * (deprivation - 0.5) + 1.4 * experiences["saw_knife"] + 0.6 * victim + 0.3 * male
    )
    thought = rng.random() < _logistic(
        -3.1 + 1.2 * (deprivation - 0.5) + 1.0 * victim + 1.0 * knows + 0.4 * male
    )
    carried = "no"
    if rng.random() < (0.5 if thought else 0.012):
        carried = "yes_last_12_months" if rng.random() < 0.6 - 0.3 * age else "yes_longer_ago"
    return _Person(
        area=area,
        deprivation=deprivation,
        age_band=age_band,
        age=age,
        young=young,
        gender=gender,
        ethnic_group=_draw(rng, ethnic),
        language=language,
        activity=activity,
        concern=concern,
        exposure=exposure,
        experiences=experiences,
        knows_carrier=knows,
        thought_about_carrying=thought,
        carried=carried,
        skipping=math.exp(rng.gauss(0.0, 0.6)),
        writing=min(0.95, max(0.05, rng.gauss(0.5, 0.25))),
    )


def _age(rng: random.Random, item: _Item | None) -> tuple[str | None, float]:
    if item is None or not item.values:
        return None, 0.5
    weights = {value: AGE_BANDS.get(value, 1.0 / len(item.values)) for value in item.values}
    band = _draw(rng, weights)
    return band, item.values.index(band) / max(1, len(item.values) - 1)


# --- Answering ----------------------------------------------------------------------------------

#: Chance of skipping an optional question before the person's own ``skipping`` factor.
SKIP_OPTIONAL = 0.04
SKIP_SENSITIVE = 0.08
SKIP_STATEMENT = 0.02
SKIP_NUMBER = 0.1


def _answer(
    item: _Item,
    person: _Person,
    answers: dict[str, object],
    bank: Mapping[str, list[_TextEntry]],
    rng: random.Random,
) -> dict[str, object]:
    """The answer keys and values ``person`` gives to a visible ``item`` (none when skipped)."""
    if item.type in ("short_text", "long_text"):
        text = _text(item, person, answers, bank, rng)
        return {} if text is None else {item.id: text}
    if item.optional:
        skip = SKIP_SENSITIVE if item.sensitive else SKIP_NUMBER if item.type == "number" else SKIP_OPTIONAL
        if rng.random() < skip * person.skipping:
            return {}
    if item.type == "number":
        return {item.id: _number(item, rng)}
    if item.type == "multiple_choice":
        ticked = _ticks(item, person, answers, rng)
        return {item.id: ticked} if ticked else {}
    result: dict[str, object] = {}
    for key in item.keys:
        if item.optional and item.type == "rating_scale" and rng.random() < SKIP_STATEMENT * person.skipping:
            continue
        result[key] = _single(item, key, person, answers, rng)
    return result


def _single(item: _Item, key: str, person: _Person, answers: Mapping[str, object], rng: random.Random) -> str:
    """One value for a single choice or a scale statement, from what is known about ``key``."""
    specialist = SINGLE_CHOICES.get(key)
    weights = specialist(item, person, answers) if specialist else None
    if not weights and item.scale is not None:
        weights = _ordinal(item, item.scale, key, person)
    if not weights and {"yes", "no"} <= set(item.values):
        weights = _report(item, "yes" if rng.random() < _logistic(-0.5 + 0.5 * person.concern) else "no")
    if weights:
        offered = {value: weights.get(value, 0.0) for value in item.values}
        # A same-named item with other choices: answer generically rather than pile onto the
        # few values the two happen to share (everyone "Prefer not to say").
        if sum(offered.values()) >= 0.5 * sum(weights.values()):
            return _draw(rng, offered)
    return _draw(rng, dict(zip(item.values, item.popularity, strict=True)))


def _ordinal(item: _Item, scale: OrdinalScale, key: str, person: _Person) -> dict[str, float]:
    """Ordered-logit shares of a standard scale's points, plus its non-answers where offered."""
    measure = MEASURES.get(key) or next(
        (m for prefix, m in MEASURE_PREFIXES.items() if key.startswith(prefix)), DEFAULT_MEASURE
    )
    position = (
        measure.base
        + measure.concern * person.concern
        + measure.exposure * person.exposure
        + measure.girl * (person.gender != "boy_or_man")
        + measure.knife * person.knows_carrier
    )
    points = len(scale.points)
    cuts = [scale.spacing * (j - (points - 2) / 2) for j in range(points - 1)]
    below = [_logistic((cut - position) / ITEM_NOISE) for cut in cuts]
    shares = [below[0], *(below[j] - below[j - 1] for j in range(1, points - 1)), 1.0 - below[-1]]
    not_applicable = _not_applicable(key, person)
    opinion = 1.0 - scale.dont_know - not_applicable
    weights = {point: share * opinion for point, share in zip(scale.points, shares, strict=True)}
    weights[DONT_KNOW] = scale.dont_know
    weights[NOT_APPLICABLE] = not_applicable
    weights[PREFER_NOT] = 0.01 if item.sensitive else 0.0
    return weights


def _not_applicable(key: str, person: _Person) -> float:
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


def _report(item: _Item, truth: str, refuse: float = 0.03) -> dict[str, float]:
    """The truth, or "Prefer not to say" now and then on sensitive questions."""
    return {truth: 1.0, PREFER_NOT: refuse if item.sensitive else 0.0}


_SingleModel = Callable[[_Item, _Person, Mapping[str, object]], dict[str, float] | None]


def _truth(attribute: str) -> _SingleModel:
    """Report a profile attribute as it is (age band, area, activity: nobody hides those here)."""

    def report(_item: _Item, person: _Person, _answers: Mapping[str, object]) -> dict[str, float] | None:
        value = getattr(person, attribute)
        return {value: 1.0} if value else None

    return report


def _private(attribute: str, refuse: float) -> _SingleModel:
    """Report a profile attribute that some people would rather not give (gender, ethnic group)."""

    def report(_item: _Item, person: _Person, _answers: Mapping[str, object]) -> dict[str, float]:
        return {getattr(person, attribute): 1.0 - refuse, PREFER_NOT: refuse}

    return report


def _experience(key: str) -> _SingleModel:
    def report(item: _Item, person: _Person, _answers: Mapping[str, object]) -> dict[str, float]:
        return _report(item, "yes" if person.experiences[key] else "no")

    return report


def _know_someone(item: _Item, person: _Person, _answers: Mapping[str, object]) -> dict[str, float]:
    if person.knows_carrier:
        return _report(item, "yes")
    return {"no": 0.86, DONT_KNOW: 0.11, PREFER_NOT: 0.03}


def _thought(item: _Item, person: _Person, _answers: Mapping[str, object]) -> dict[str, float]:
    return _report(item, "yes" if person.thought_about_carrying else "no")


def _ever_carried(item: _Item, person: _Person, _answers: Mapping[str, object]) -> dict[str, float]:
    # People who carried refuse more often than those who did not.
    return _report(item, person.carried, refuse=0.02 if person.carried == "no" else 0.12)


def _youth_activities(_item: _Item, person: _Person, _answers: Mapping[str, object]) -> dict[str, float]:
    return {
        "yes_go": 0.35 - 0.25 * person.age,
        "yes_dont_go": 0.3,
        "none_near": 0.2 + 0.15 * person.deprivation + 0.1 * (person.area in ("rutland", "melton")),
        DONT_KNOW: 0.12,
    }


def _children(_item: _Item, person: _Person, _answers: Mapping[str, object]) -> dict[str, float]:
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


def _ticks(item: _Item, person: _Person, answers: Mapping[str, object], rng: random.Random) -> list[str]:
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


def _places(person: _Person, answers: Mapping[str, object]) -> dict[str, float]:
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
            chances[place] = _logistic(-2.0 + person.concern)
    for place, base in PLACE_BASES.items():
        chances[place] = _logistic(base + 0.9 * person.concern)
    return chances


def _carry_reasons(person: _Person, _answers: Mapping[str, object]) -> dict[str, float]:
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


def _causes(person: _Person, answers: Mapping[str, object]) -> dict[str, float]:
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


def _confidants(person: _Person, answers: Mapping[str, object]) -> dict[str, float]:
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


MULTIPLE_CHOICES: dict[str, Callable[[_Person, Mapping[str, object]], dict[str, float]]] = {
    "places_unsafe": _places,
    "carry_reasons": _carry_reasons,
    "violence_causes": _causes,
    "who_to_talk_to": _confidants,
}


def _number(item: _Item, rng: random.Random) -> int:
    """A whole number in range, small ones commoner (counts and ages in surveys skew low)."""
    if item.minimum is not None:
        low = item.minimum
    else:
        low = 0 if item.maximum is None else min(0, item.maximum - 100)
    high = item.maximum if item.maximum is not None else low + 100
    return min(high, low + int((high - low + 1) * rng.random() ** 2))


# --- Free text ----------------------------------------------------------------------------------

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
def _text_bank() -> dict[str, list[_TextEntry]]:
    """The hand-written answers, per question id (and ``generic``), read once."""
    data = yaml.safe_load(TEXT_BANK_PATH.read_text("utf-8"))
    return {
        question: [
            _TextEntry(
                entry["text"].strip(),
                entry["lang"],
                frozenset(entry.get("themes", ())),
                bool(entry.get("pii", False)),
            )
            for entry in entries
        ]
        for question, entries in data["answers"].items()
    }


def _text(
    item: _Item,
    person: _Person,
    answers: Mapping[str, object],
    bank: Mapping[str, list[_TextEntry]],
    rng: random.Random,
) -> str | None:
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
    candidates = (
        [entry for entry in bank.get(item.id, ()) if entry.language == language]
        or [entry for entry in bank["generic"] if entry.language == language]
        or [entry for entry in bank.get(item.id, ()) if entry.language == "en"]
        or [entry for entry in bank["generic"] if entry.language == "en"]
    )
    fitting = [entry for entry in candidates if len(entry.text) <= item.max_length]
    if not fitting:
        shortest = min(candidates, key=lambda entry: len(entry.text))
        return shortest.text[: item.max_length].strip() or shortest.text[0]
    salient = {theme for key, values, theme in THEME_SIGNALS if _ticked(answers.get(key), values)}
    weights = [THEME_WEIGHT if entry.themes & salient else 1.0 for entry in fitting]
    return rng.choices(fitting, weights=weights)[0].text


def _ticked(answer: object, values: frozenset[str]) -> bool:
    if isinstance(answer, list):
        return any(value in values for value in answer)
    return answer in values


def _postcode(item: _Item, person: _Person, rng: random.Random) -> str | None:
    """An outward code inside the person's district, typed as people type it; often left blank."""
    codes = POSTCODE_DISTRICTS.get(person.area, {})
    fitting = {code: weight for code, weight in codes.items() if len(code) <= item.max_length}
    rate = POSTCODE_RATE_DISTRICT if person.area in DISTRICT_CODES else POSTCODE_RATE.get(person.area, 0.0)
    if not fitting or (item.optional and rng.random() >= rate):
        return None
    code = _draw(rng, fitting)
    return code.lower() if rng.random() < 0.1 else code


# --- Small helpers ------------------------------------------------------------------------------


def _logistic(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def _cumulative(weights: Sequence[float]) -> tuple[float, ...]:
    total = 0.0
    running = []
    for weight in weights:
        total += weight
        running.append(total)
    return tuple(running)


def _draw_index(rng: random.Random, cumulative: Sequence[float]) -> int:
    point = rng.random() * cumulative[-1]
    for index, edge in enumerate(cumulative):
        if point < edge:
            return index
    return len(cumulative) - 1


def _draw(rng: random.Random, weights: Mapping[str, float]) -> str:
    """One key, with chance proportional to its weight (zero-weight keys never)."""
    total = sum(weights.values())
    point = rng.random() * total
    chosen = ""
    for value, weight in weights.items():
        if weight <= 0:
            continue
        chosen = value
        point -= weight
        if point < 0:
            break
    return chosen
