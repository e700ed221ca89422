"""Demo responses keep every rule the web app enforces, for the real questionnaires and any other.

The checks are written from the questionnaire dict alone (no survey_app import), the way the app
validates a page: a value must be one the item offers, conditions hide items, required items are
answered, exclusive choices stand alone, numbers and text fit their limits.
"""

import dataclasses
import json
import re
import time
from datetime import date
from pathlib import Path

import jsonschema
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.demo import DemoResponse, generate, stream_beside

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "survey_app" / "definitions" / "questionnaire.schema.json").read_text("utf-8"))
DEFAULT_MAX_LENGTH = {"short_text": 200, "long_text": 2000}
LANGUAGES = {"en", "gu", "pa", "pl", "ro", "ur", "bn", "pt", "ar", "so", "hi", "ta"}


def load(name: str) -> dict:
    return yaml.safe_load((ROOT / "questionnaires" / f"{name}.yaml").read_text("utf-8"))


def values_of(definition: dict, item: dict) -> list[str]:
    source = item.get("scale", item.get("choices", []))
    entries = definition.get("choice_lists", {})[source] if isinstance(source, str) else source
    return [entry["value"] for entry in entries]


def keys_of(item: dict) -> list[str]:
    if item["type"] == "rating_scale":
        return [statement["id"] for statement in item["statements"]]
    return [item["id"]]


def shown(item: dict, answers: dict) -> bool:
    condition = item.get("show_if")
    if condition is None:
        return True
    answer = answers.get(condition["item"])
    if isinstance(answer, list):
        return any(value in condition["any_of"] for value in answer)
    return answer in condition["any_of"]


def problems(definition: dict, response: DemoResponse) -> list[str]:
    """Every way ``response`` breaks the questionnaire's rules (empty when it keeps them all)."""
    found = []
    answers = response.answers
    items = [item for page in definition["pages"] for item in page["items"]]
    known = {key for item in items for key in keys_of(item)}
    found += [f"{key}: not an answer key of the questionnaire" for key in set(answers) - known]
    for item in items:
        keys = keys_of(item)
        given_keys = [key for key in keys if key in answers]
        if not shown(item, answers):
            found += [f"{key}: answered although hidden by its condition" for key in given_keys]
            continue
        if not item.get("optional", False) and len(given_keys) < len(keys):
            found.append(f"{item['id']}: required but not answered")
        found += [
            f"{key}: {message}"
            for key in given_keys
            for message in value_problems(definition, item, answers[key])
        ]
    if response.language not in LANGUAGES:
        found.append(f"unknown language {response.language!r}")
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", response.month):
        found.append(f"month {response.month!r} is not YYYY-MM")
    return found


def value_problems(definition: dict, item: dict, value: object) -> list[str]:
    kind = item["type"]
    if kind in ("single_choice", "rating_scale"):
        return (
            []
            if isinstance(value, str) and value in values_of(definition, item)
            else [f"{value!r} not offered"]
        )
    if kind == "multiple_choice":
        if not isinstance(value, list) or not value:
            return [f"{value!r} is not a non-empty list"]
        found = [f"{v!r} not offered" for v in value if v not in values_of(definition, item)]
        if len(set(value)) != len(value):
            found.append("a value ticked twice")
        if set(value) & set(item.get("exclusive", [])) and len(value) > 1:
            found.append(f"exclusive choice ticked with others: {value}")
        if len(value) > item.get("max_choices", len(value)):
            found.append(f"more than {item['max_choices']} ticked")
        return found
    if kind == "number":
        if type(value) is not int:
            return [f"{value!r} is not a whole number"]
        low, high = item.get("min", value), item.get("max", value)
        return [] if low <= value <= high else [f"{value} outside {low}..{high}"]
    limit = item.get("max_length", DEFAULT_MAX_LENGTH[kind])
    if not isinstance(value, str) or not value or value != value.strip():
        return [f"{value!r} is not trimmed non-empty text"]
    return [] if len(value) <= limit else [f"{len(value)} characters, over {limit}"]


@pytest.fixture(scope="module", params=["young-people", "community"])
def standard(request):
    definition = load(request.param)
    return definition, generate(definition, 2000, seed=11)


def test_every_answer_keeps_the_questionnaires_rules(standard):
    definition, responses = standard
    broken = [
        (index, problem)
        for index, response in enumerate(responses)
        for problem in problems(definition, response)
    ]
    assert broken == []


def test_optional_items_are_sometimes_skipped_and_usually_answered(standard):
    definition, responses = standard
    for page in definition["pages"]:
        for item in page["items"]:
            if not item.get("optional") or item.get("show_if"):
                continue
            answered = sum(keys_of(item)[0] in r.answers for r in responses) / len(responses)
            assert 0.3 < answered < 1.0, item["id"]


def test_conditional_items_appear_only_when_their_condition_holds():
    definition = load("young-people")
    responses = generate(definition, 2000, seed=5)
    with_reasons = [r for r in responses if "carry_reasons" in r.answers]
    assert with_reasons, "nobody was ever asked why they thought about carrying"
    assert all(r.answers["thought_about_carrying"] == "yes" for r in with_reasons)
    with_other = [r for r in responses if "violence_causes_other" in r.answers]
    assert with_other
    assert all("other" in r.answers["violence_causes"] for r in with_other)


def test_exclusive_choices_are_ticked_alone():
    responses = generate(load("young-people"), 2000, seed=5)
    places = [r.answers["places_unsafe"] for r in responses]
    assert ["none_of_these"] in places
    assert all(len(ticked) == 1 for ticked in places if "none_of_these" in ticked)
    assert any(len(ticked) > 1 for ticked in places)


# Every item type, conditions on a single choice, on a multiple choice (any ticked value) and on a
# scale statement, exclusive choices with max_choices, a scale nobody has heard of, numbers with and
# without bounds, and text shorter than most answers.
GENERIC = {
    "slug": "generic-check",
    "title": "A questionnaire the demo has never seen",
    "choice_lists": {
        "colours": [
            {"value": "red", "label": "Red"},
            {"value": "green", "label": "Green"},
            {"value": "blue", "label": "Blue"},
            {"value": "dont_know", "label": "Don't know"},
        ],
        "stars": [{"value": f"star_{n}", "label": f"{n} stars"} for n in range(1, 6)],
    },
    "pages": [
        {
            "id": "first",
            "title": "First",
            "items": [
                {
                    "id": "favourite",
                    "type": "single_choice",
                    "label": "Favourite colour?",
                    "choices": "colours",
                },
                {
                    "id": "why_blue",
                    "type": "short_text",
                    "label": "Why blue?",
                    "max_length": 12,
                    "show_if": {"item": "favourite", "any_of": ["blue"]},
                },
                {
                    "id": "pets",
                    "type": "multiple_choice",
                    "label": "Which pets?",
                    "max_choices": 2,
                    "choices": [
                        {"value": "cat", "label": "Cat"},
                        {"value": "dog", "label": "Dog"},
                        {"value": "fish", "label": "Fish"},
                        {"value": "bird", "label": "Bird"},
                        {"value": "none", "label": "None"},
                    ],
                    "exclusive": ["none"],
                },
                {
                    "id": "dog_name_length",
                    "type": "number",
                    "label": "Letters in your dog's name?",
                    "min": 1,
                    "max": 12,
                    "show_if": {"item": "pets", "any_of": ["dog"]},
                },
            ],
        },
        {
            "id": "second",
            "title": "Second",
            "items": [
                {
                    "id": "ratings",
                    "type": "rating_scale",
                    "label": "Rate these",
                    "scale": "stars",
                    "statements": [
                        {"id": "rate_food", "label": "Food"},
                        {"id": "rate_music", "label": "Music"},
                    ],
                },
                {
                    "id": "food_complaint",
                    "type": "long_text",
                    "label": "What was wrong?",
                    "optional": True,
                    "show_if": {"item": "rate_food", "any_of": ["star_1", "star_2"]},
                },
                {
                    "id": "safety",
                    "type": "rating_scale",
                    "label": "How safe?",
                    "optional": True,
                    "scale": [
                        {"value": "very_safe", "label": "Very safe"},
                        {"value": "fairly_safe", "label": "Fairly safe"},
                        {"value": "a_bit_unsafe", "label": "A bit unsafe"},
                        {"value": "very_unsafe", "label": "Very unsafe"},
                    ],
                    "statements": [{"id": "safe_at_the_gym", "label": "At the gym"}],
                },
                {"id": "visits", "type": "number", "label": "Visits last year?", "optional": True},
                {"id": "temperature", "type": "number", "label": "Coldest day?", "max": -2},
                {"id": "code", "type": "short_text", "label": "Two-letter code", "max_length": 2},
                {"id": "comments", "type": "long_text", "label": "Anything else?", "optional": True},
            ],
        },
    ],
}


def test_the_inline_questionnaire_is_valid():
    jsonschema.validate(GENERIC, SCHEMA)


def test_works_on_a_questionnaire_it_has_never_seen():
    responses = generate(GENERIC, 1000, seed=2)
    assert [problem for response in responses for problem in problems(GENERIC, response)] == []
    for key in ("why_blue", "dog_name_length", "food_complaint", "safe_at_the_gym", "visits", "comments"):
        answered = sum(key in r.answers for r in responses)
        assert 0 < answered < len(responses), key
    assert {r.answers["favourite"] for r in responses} == {"red", "green", "blue", "dont_know"}
    assert {len(r.answers["pets"]) for r in responses} == {1, 2}


# Values from the standard scales are in the pool so that generic items sometimes look like them,
# and ids of the standard questionnaires so that a same-named item with other choices is exercised.
VALUE_POOL = [
    "a",
    "b",
    "c",
    "d",
    "yes",
    "no",
    "other",
    "dont_know",
    "prefer_not_to_say",
    "none_of_these",
    "very_safe",
    "fairly_safe",
    "a_bit_unsafe",
    "very_unsafe",
    "leicester",
    "rutland",
]
ITEM_IDS = [
    "area",
    "gender",
    "age_band",
    "places_unsafe",
    "postcode_district",
    "one_thing_safer",
    "ever_carried",
    "violence_causes",
    "police_rating",
]
STATEMENT_IDS = ["safe_area_dark", "saw_knife", "worry_knife_crime", "problem_drugs"]
TYPES = ["single_choice", "multiple_choice", "rating_scale", "number", "short_text", "long_text"]


@st.composite
def questionnaires(draw) -> dict:
    """Small valid questionnaires of every item type, with conditions on earlier answers."""
    used: set[str] = set()
    choice_keys: dict[str, list[str]] = {}
    items = []
    for index in range(draw(st.integers(1, 8))):
        kind = draw(st.sampled_from(TYPES))
        item_id = draw(st.sampled_from([f"q{index}", *ITEM_IDS]))
        item_id = f"q{index}" if item_id in used else item_id
        used.add(item_id)
        item: dict = {"id": item_id, "type": kind, "label": f"Question {index}"}
        if draw(st.booleans()):
            item["optional"] = True
        if choice_keys and draw(st.integers(0, 2)) == 0:
            target = draw(st.sampled_from(sorted(choice_keys)))
            any_of = draw(st.lists(st.sampled_from(choice_keys[target]), min_size=1, unique=True))
            item["show_if"] = {"item": target, "any_of": any_of}
        if kind in ("single_choice", "multiple_choice", "rating_scale"):
            values = draw(st.lists(st.sampled_from(VALUE_POOL), min_size=2, max_size=7, unique=True))
            choices = [{"value": value, "label": value.title()} for value in values]
            if kind == "rating_scale":
                item["scale"] = choices
                item["statements"] = []
                for number in range(draw(st.integers(1, 3))):
                    key = draw(st.sampled_from([f"q{index}_s{number}", *STATEMENT_IDS]))
                    key = f"q{index}_s{number}" if key in used else key
                    used.add(key)
                    item["statements"].append({"id": key, "label": f"Statement {number}"})
                    choice_keys[key] = values
            else:
                item["choices"] = choices
                choice_keys[item_id] = values
            if kind == "multiple_choice" and draw(st.booleans()):
                item["exclusive"] = draw(
                    st.lists(st.sampled_from(values), min_size=1, max_size=2, unique=True)
                )
            if kind == "multiple_choice" and draw(st.booleans()):
                item["max_choices"] = draw(st.integers(1, len(values)))
        elif kind == "number":
            low = draw(st.none() | st.integers(-50, 50))
            high = draw(st.none() | st.integers(-50, 50))
            if low is not None:
                item["min"] = low
            if high is not None:
                item["max"] = high if low is None else max(low, high)
        elif draw(st.booleans()):
            item["max_length"] = draw(st.integers(1, 300))
        items.append(item)
    return {
        "slug": "generated",
        "title": "Generated",
        "pages": [{"id": "only", "title": "Only", "items": items}],
    }


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(questionnaires(), st.integers(0, 1000))
def test_any_valid_questionnaire_gets_valid_answers(definition, seed):
    jsonschema.validate(definition, SCHEMA)
    responses = generate(definition, 40, seed=seed)
    assert [problem for response in responses for problem in problems(definition, response)] == []


def test_same_seed_same_responses_other_seed_other_responses():
    definition = load("young-people")
    today = date(2025, 3, 15)
    first = generate(definition, 300, seed=7, today=today)
    assert first == generate(definition, 300, seed=7, today=today)
    assert first != generate(definition, 300, seed=8, today=today)


def test_made_beside_are_the_same_responses_and_its_failures_are_raised_here():
    definition = load("young-people")
    today = date(2025, 3, 15)
    assert list(stream_beside(definition, 2500, seed=7, today=today)) == generate(
        definition, 2500, seed=7, today=today
    )
    assert list(stream_beside(definition, 0)) == []
    with pytest.raises(ValueError, match="month"):
        list(stream_beside(definition, 5, month="2025-13"))
    broken = {**definition, "pages": [{"id": "p", "items": [{"id": "x", "type": "no_such_type"}]}]}
    with pytest.raises(RuntimeError, match="making demo responses failed: "):
        list(stream_beside(broken, 5))


def test_months_spread_over_recent_months_unless_one_is_given():
    definition = load("community")
    spread = {r.month for r in generate(definition, 500, seed=1, today=date(2025, 2, 10))}
    assert spread == {"2024-09", "2024-10", "2024-11", "2024-12", "2025-01", "2025-02"}
    assert {r.month for r in generate(definition, 50, seed=1, month="2025-06")} == {"2025-06"}


@pytest.mark.parametrize("month", ["2025-13", "2025-6", "June 2025", ""])
def test_a_malformed_month_is_refused(month):
    with pytest.raises(ValueError, match="month"):
        generate(load("community"), 1, month=month)


def test_counts():
    definition = load("community")
    assert generate(definition, 0) == []
    with pytest.raises(ValueError):
        generate(definition, -1)


def test_responses_are_frozen():
    response = generate(load("community"), 1)[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        response.language = "pl"  # type: ignore[misc]


def test_ten_thousand_responses_take_well_under_ten_seconds():
    definition = load("young-people")
    generate(definition, 1)  # area files and text bank are read once, outside the timing
    start = time.perf_counter()
    responses = generate(definition, 10_000, seed=3)
    elapsed = time.perf_counter() - start
    assert len(responses) == 10_000
    assert elapsed < 10


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("area", "atlantis"),  # not a choice
        ("places_unsafe", ["none_of_these", "parks"]),  # exclusive with another
        ("places_unsafe", []),  # an empty tick list is no answer
        ("carry_reasons", ["fear"]),  # hidden unless thought_about_carrying is yes
        ("one_thing_safer", " padded "),  # the app trims text
        ("postcode_district", "LE1 1AA"),  # over max_length 4
        ("made_up_key", "x"),
    ],
)
def test_the_checks_catch_broken_answers(key, value):
    definition = load("young-people")
    response = next(
        r for r in generate(definition, 50, seed=1) if r.answers.get("thought_about_carrying") == "no"
    )
    broken = dataclasses.replace(response, answers={**response.answers, key: value})
    assert problems(definition, broken)
    missing = dict(response.answers)
    del missing["age_band"]
    assert problems(definition, dataclasses.replace(response, answers=missing))
