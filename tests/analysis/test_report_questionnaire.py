"""Questionnaire helpers: answer keys, choices and questions from the parsed YAML."""

import pytest
from responses_factory import load_definition, make_responses

from analysis.questionnaire import (
    MULTI,
    SINGLE,
    answer_keys,
    choice_labels,
    choice_questions,
    choice_values,
    item,
    question,
    text_items,
)
from analysis.reporting.derived import carries_or_knows

YP = load_definition("young-people")
COMMUNITY = load_definition("community")


def test_answer_keys_match_the_questionnaire_readme():
    # questionnaires/README.md: young-people has 32 answers, community 21 (a multiple choice counts
    # once there; here it is one column per option).
    options = {"places_unsafe": 11, "carry_reasons": 7, "violence_causes": 11, "who_to_talk_to": 10}
    assert len(answer_keys(YP)) == 32 - len(options) + sum(options.values())
    assert len(answer_keys(COMMUNITY)) == 21
    assert "places_unsafe.none_of_these" in answer_keys(YP)
    assert "safe_area_dark" in answer_keys(YP) and "feel_safe" not in answer_keys(YP)


def test_named_and_inline_choice_lists_resolve():
    assert choice_values(YP, item(YP, "age_band"))[0] == "age_11_13"
    assert choice_labels(YP, item(YP, "current_activity"))["not_in_any"].startswith("I'm not in school")
    assert choice_values(YP, item(YP, "feel_safe"))[-1] == "does_not_apply"


def test_rating_scale_statements_are_single_choice_questions():
    dark = question(YP, "safe_area_dark")
    assert dark.kind == SINGLE and dark.item_id == "feel_safe"
    assert dark.label == "How safe do you feel? Walking alone in your local area after dark"
    assert dark.columns == ("safe_area_dark",)
    places = question(YP, "places_unsafe")
    assert places.kind == MULTI and places.columns[0] == "places_unsafe.local_area"
    # In questionnaire order: the areas have a page of their own after the first page.
    assert [q.id for q in choice_questions(COMMUNITY)][:4] == [
        "age_band",
        "children_at_home",
        "area",
        "safe_area_day",
    ]
    with pytest.raises(KeyError):
        question(YP, "one_thing_safer")


def test_text_items():
    assert [i["id"] for i in text_items(COMMUNITY)] == [
        "postcode_district", "make_area_safer", "causes_of_violence", "for_young_people",
    ]  # fmt: skip


def test_carries_or_knows_a_carrier():
    rows = [
        {"ever_carried": "yes_last_12_months"},
        {"ever_carried": "yes_longer_ago", "know_someone_carries": "yes"},
        {"ever_carried": "yes_longer_ago", "know_someone_carries": "no"},
        {"ever_carried": "no", "know_someone_carries": "no"},
        {"ever_carried": "no", "know_someone_carries": "dont_know"},
        {"ever_carried": "prefer_not_to_say"},
        {},
    ]
    derived = carries_or_knows(make_responses(YP, rows))
    assert derived.fillna("missing").tolist() == [
        "yes", "yes", "no", "no", "not_determined", "not_determined", "missing",
    ]  # fmt: skip
