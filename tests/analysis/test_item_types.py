"""The registry of kinds of question agrees with the schema authors write against, and each kind
stores its answers in its own columns."""

import json
from pathlib import Path

import pytest

from analysis.item_types import ITEM_TYPES, STORED_KINDS, item_type

SCHEMA = Path(__file__).resolve().parents[2] / "survey_app" / "definitions" / "questionnaire.schema.json"
CHOICES = {"yes": 1, "no": 2}


def screen(text: str) -> dict:
    return {"text": text.upper(), "safeguarding": False}


def test_the_schema_offers_exactly_the_registered_kinds():
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    offered = schema["$defs"]["item"]["properties"]["type"]["enum"]
    assert sorted(offered) == sorted(ITEM_TYPES)


def test_every_kind_is_stored_in_a_known_way_and_asked_by_a_control():
    for kind in ITEM_TYPES.values():
        assert kind.stored in STORED_KINDS
        assert kind.control in {"radios", "checkboxes", "number", "text", "textarea"}
        assert (kind.tabulated is not None) == kind.has_options
        assert kind.free_text == (kind.default_max_length is not None)


@pytest.mark.parametrize(
    ("name", "value", "columns", "ticks"),
    [
        ("single_choice", "no", {"choice_id": 2}, []),
        ("rating_scale", "yes", {"choice_id": 1}, []),
        ("multiple_choice", ["yes", "no"], {}, [1, 2]),
        ("number", "15", {"number": 15}, []),
        ("short_text", "LE1", {"text": "LE1", "safeguarding": False}, []),
        ("long_text", "more clubs", {"text": "MORE CLUBS", "safeguarding": False}, []),
    ],
)
def test_each_kind_stores_its_answer_in_its_columns(name, value, columns, ticks):
    assert item_type(name).columns(value, CHOICES, screen) == (columns, ticks)


@pytest.mark.parametrize(
    ("name", "value", "error"),
    [
        ("single_choice", "maybe", KeyError),
        ("multiple_choice", "yes", TypeError),
        ("multiple_choice", ["yes", "maybe"], KeyError),
        ("number", "fifteen", ValueError),
    ],
)
def test_an_answer_the_question_does_not_offer_is_refused(name, value, error):
    with pytest.raises(error):
        item_type(name).columns(value, CHOICES, screen)


def test_a_scale_is_answered_once_per_statement():
    assert item_type("rating_scale").answer_keys("safe", ["day", "night"]) == ("day", "night")
    assert item_type("single_choice").answer_keys("safe", []) == ("safe",)


def test_an_unknown_kind_names_the_known_ones():
    with pytest.raises(KeyError, match="single_choice"):
        item_type("slider")
