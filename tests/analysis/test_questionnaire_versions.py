"""One questionnaire across its versions: every item, choice and label any version had, so the
answers to an old version stay readable after a new one drops, rewords or adds choices and items."""

import copy

import pandas as pd
import pytest
from responses_factory import make_responses, rows

from analysis.questionnaire import (
    EARLIER_VERSIONS_PAGE,
    VersionConflict,
    answer_keys,
    choice_labels,
    choice_values,
    item,
    items,
    merge_versions,
    question,
)
from analysis.report import build_report

V1 = {
    "slug": "club",
    "title": "Youth club survey",
    "choice_lists": {
        "agree": [{"value": "agree", "label": "Agree"}, {"value": "disagree", "label": "Disagree"}]
    },
    "pages": [
        {
            "id": "one",
            "title": "One",
            "items": [
                {
                    "id": "go_again",
                    "type": "single_choice",
                    "label": "Would you go again?",
                    "choices": [
                        {"value": "yes", "label": "Yes"},
                        {"value": "maybe", "label": "Maybe"},
                        {"value": "no", "label": "No"},
                    ],
                },
                {
                    "id": "liked",
                    "type": "multiple_choice",
                    "label": "What did you like?",
                    "choices": [{"value": "music", "label": "Music"}, {"value": "sport", "label": "Sport"}],
                },
                {
                    "id": "views",
                    "type": "rating_scale",
                    "label": "Do you agree?",
                    "scale": "agree",
                    "statements": [
                        {"id": "views_staff", "label": "Staff listen"},
                        {"id": "views_food", "label": "The food is good"},
                    ],
                },
                {
                    "id": "travel",
                    "type": "single_choice",
                    "label": "How did you get here?",
                    "choices": [{"value": "walk", "label": "Walked"}, {"value": "bus", "label": "Bus"}],
                },
            ],
        }
    ],
}
V2 = copy.deepcopy(V1)
_go, _liked, _views, _travel = V2["pages"][0]["items"]
_go["choices"] = [
    {"value": "yes", "label": "Yes, definitely"},
    {"value": "no", "label": "No"},
    {"value": "not_sure", "label": "Not sure"},
]
_liked["choices"] = [{"value": "art", "label": "Art"}, {"value": "music", "label": "Music and DJing"}]
_views["statements"] = [{"id": "views_staff", "label": "Staff listen to us"}]
V2["pages"][0]["items"] = [
    _go,
    _liked,
    _views,
    {
        "id": "safe_there",
        "type": "single_choice",
        "label": "Do you feel safe there?",
        "choices": [{"value": "yes", "label": "Yes"}, {"value": "no", "label": "No"}],
    },
]
MERGED = merge_versions({"version 2": V2, "version 1": V1})


def test_current_items_come_first_then_those_only_older_versions_asked():
    assert [i["id"] for i in items(MERGED)] == ["go_again", "liked", "views", "safe_there", "travel"]
    assert MERGED["pages"][-1]["id"] == EARLIER_VERSIONS_PAGE
    travel = item(MERGED, "travel")
    assert travel["retired"] and travel["label"] == "How did you get here? (no longer asked)"
    assert choice_labels(MERGED, travel) == {"walk": "Walked", "bus": "Bus"}
    assert MERGED["title"] == "Youth club survey" and "choice_lists" not in MERGED


def test_a_dropped_choice_stays_last_and_says_so_and_labels_are_the_newest():
    go = question(MERGED, "go_again")
    assert go.values == ("yes", "no", "not_sure", "maybe")
    assert go.labels["maybe"] == "Maybe (no longer offered)"
    assert go.labels["yes"] == "Yes, definitely"
    liked = question(MERGED, "liked")
    assert liked.values == ("art", "music", "sport")
    assert liked.labels == {"art": "Art", "music": "Music and DJing", "sport": "Sport (no longer offered)"}
    assert "liked.sport" in answer_keys(MERGED)


def test_a_dropped_statement_is_still_a_question():
    food = question(MERGED, "views_food")
    assert food.label == "Do you agree? The food is good (no longer asked)"
    assert question(MERGED, "views_staff").label == "Do you agree? Staff listen to us"
    assert choice_values(MERGED, item(MERGED, "views")) == ("agree", "disagree")


def test_a_label_is_taken_from_the_newest_version_that_had_it():
    v3 = copy.deepcopy(V2)
    v3["pages"][0]["items"][0]["choices"] = [{"value": "yes", "label": "Yes!"}]
    v2 = copy.deepcopy(V2)
    v2["pages"][0]["items"][0]["choices"].append({"value": "maybe", "label": "Perhaps"})
    merged = merge_versions({"v3": v3, "v2": v2, "v1": V1})
    labels = question(merged, "go_again").labels
    assert labels == {
        "yes": "Yes!",
        "no": "No (no longer offered)",
        "not_sure": "Not sure (no longer offered)",
        "maybe": "Perhaps (no longer offered)",
    }


def test_one_version_merges_to_itself():
    merged = merge_versions({"only": V1})
    assert answer_keys(merged) == answer_keys(V1)
    for key in ("go_again", "liked", "views_food", "travel"):
        assert question(merged, key) == question(V1, key)


def test_a_changed_type_names_the_survey_item_versions_and_types():
    v2 = copy.deepcopy(V2)
    v2["pages"][0]["items"][0] = {"id": "go_again", "type": "number", "label": "How many times?"}
    with pytest.raises(VersionConflict) as conflict:
        merge_versions({"version 2 (2026-12-01)": v2, "version 1 (2026-01-10)": V1})
    assert str(conflict.value).startswith(
        "club: the item 'go_again' is a number in version 2 (2026-12-01) but a single_choice in "
        "version 1 (2026-01-10)"
    )


def test_a_report_reads_answers_to_both_versions():
    old = make_responses(
        V1,
        rows(20, go_again="maybe", liked=["sport"], views_food="agree", travel="bus")
        + rows(20, go_again="yes", liked=["music"], views_food="disagree", travel="walk"),
    )
    new = make_responses(
        V2,
        rows(25, go_again="not_sure", liked=["art"], safe_there="yes")
        + rows(15, go_again="yes", liked=["music"], safe_there="no"),
    )
    frame = pd.concat([old, new], ignore_index=True)
    frame = frame.astype({c: "boolean" if c.startswith("liked.") else "string" for c in answer_keys(MERGED)})
    report = build_report(frame, {"club": MERGED})
    go = report.tables["club.go_again.overall"]
    maybe = go.cell("Total", "maybe")
    assert maybe["outcome_label"] == "Maybe (no longer offered)" and maybe["count"] == 20
    assert maybe["base"] == 80 and maybe["percent_display"] == "25%"
    assert list(go.cells["outcome"])[-1] == "maybe"
    safe = report.tables["club.safe_there.overall"].cell("Total", "yes")
    assert safe["base"] == 40 and safe["percent_display"] == "63%", "only those asked are in the base"
    travel = report.tables["club.travel.overall"]
    assert travel.cell("Total", "bus")["base"] == 40
    assert "(no longer asked)" in travel.cells["question_label"].iloc[0]
    sport = report.tables["club.liked.overall"].cell("Total", "sport")
    assert sport["outcome_label"] == "Sport (no longer offered)" and sport["count"] == 20
