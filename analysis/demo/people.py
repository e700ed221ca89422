"""Made-up respondents: each one's hidden truth, drawn from the area data files."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from analysis.areas import load_lsoa_deprivation, load_main_language
from analysis.districts import load_districts

from .draws import cumulative_weights, draw, draw_index, logistic
from .questionnaire import Item

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


@dataclass(slots=True)
class Person:
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
class World:
    """District populations, neighbourhood deciles and language mixes from the area data files."""

    areas: tuple[str, ...]
    area_weights: tuple[float, ...]
    deciles: dict[str, tuple[int, ...]]
    languages: dict[str, tuple[tuple[str, ...], tuple[float, ...]]]


@cache
def load_world() -> World:
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
    return World(tuple(areas), cumulative_weights(weights), deciles, mixes)


def _language_mix(labels: Sequence[str], counts: Sequence[int]) -> tuple[tuple[str, ...], tuple[float, ...]]:
    totals: dict[str, float] = {}
    for label, count in zip(labels, counts, strict=True):
        code = CENSUS_LANGUAGES[label]
        totals[code] = totals.get(code, 0.0) + float(count)
    return tuple(totals), cumulative_weights(list(totals.values()))


def draw_person(rng: random.Random, world: World, age_item: Item | None) -> Person:
    """Draw one respondent's hidden truth; everything later reports on it."""
    area = world.areas[draw_index(rng, world.area_weights)]
    place = area if area in DISTRICT_CODES else ""
    decile = rng.choice(world.deciles[place])
    deprivation = (10 - decile) / 9
    codes, cumulative = world.languages[place]
    language = codes[draw_index(rng, cumulative)]
    age_band, age = _age(rng, age_item)
    young = age_band in YOUNG_BANDS if age_band else False
    gender = draw(
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
        activity = draw(rng, weights)
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
    experiences = {key: rng.random() < logistic(base + exposure) for key, base in EXPERIENCES.items()}
    victim = any(experiences[key] for key in VICTIM_EXPERIENCES)
    knows = rng.random() < logistic(
        -1.5 + 2.4 * (deprivation - 0.5) + 1.4 * experiences["saw_knife"] + 0.6 * victim + 0.3 * male
    )
    thought = rng.random() < logistic(
        -3.1 + 1.2 * (deprivation - 0.5) + 1.0 * victim + 1.0 * knows + 0.4 * male
    )
    carried = "no"
    if rng.random() < (0.5 if thought else 0.012):
        carried = "yes_last_12_months" if rng.random() < 0.6 - 0.3 * age else "yes_longer_ago"
    return Person(
        area=area,
        deprivation=deprivation,
        age_band=age_band,
        age=age,
        young=young,
        gender=gender,
        ethnic_group=draw(rng, ethnic),
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


def _age(rng: random.Random, item: Item | None) -> tuple[str | None, float]:
    if item is None or not item.values:
        return None, 0.5
    weights = {value: AGE_BANDS.get(value, 1.0 / len(item.values)) for value in item.values}
    band = draw(rng, weights)
    return band, item.values.index(band) / max(1, len(item.values) - 1)
