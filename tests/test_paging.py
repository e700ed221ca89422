"""Pages cut for a phone: follow-up pages only their people reach, going on and going back, without
JavaScript; rating scales cut over pages keep their ids; the promised minutes are the model's."""

from __future__ import annotations

import pytest
import yaml
from sqlalchemy import select

from analysis.effort import estimated_minutes
from analysis.questionnaire import items
from survey_app.db import db_session
from survey_app.definitions import load_file
from survey_app.models import Answer, Item
from tests.conftest import QUESTIONNAIRES
from tests.helpers import current_page, page_answers

YOUNG = load_file(QUESTIONNAIRES / "young-people.yaml")
REASONS = "Why did you think about carrying one?"


def _to_page(respondent, page_id: str) -> None:
    """Start the young people's survey and answer typically up to the page ``page_id``."""
    respondent.start("young-people")
    while (page := current_page(YOUNG, respondent.html)).id != page_id:
        respondent.answer("young-people", page_answers(page), follow_redirects=True)


def _on(respondent) -> str:
    return current_page(YOUNG, respondent.html).id


def test_a_follow_up_page_is_reached_only_by_those_it_applies_to(app, respondent):
    _to_page(respondent, "knives")
    assert REASONS not in respondent.html, "no follow-up on the page of the question it follows"
    knives_step, steps = respondent.step()
    respondent.answer("young-people", {"thought_about_carrying": "yes"}, follow_redirects=True)
    assert _on(respondent) == "carrying_reasons" and REASONS in respondent.html
    assert respondent.step() == (knives_step + 1, steps + 1), "counted once it applies"
    respondent.answer("young-people", {"carry_reasons": ["fear"]}, follow_redirects=True)
    assert _on(respondent) == "carrying"
    respondent.answer("young-people", {}, action="back", follow_redirects=True)
    assert _on(respondent) == "carrying_reasons" and 'value="fear" checked' in respondent.html
    respondent.answer("young-people", {"carry_reasons": ["fear"]}, action="back", follow_redirects=True)
    assert _on(respondent) == "knives"

    # "No" now: the follow-up is skipped both ways, and the answer given to it is not stored.
    respondent.answer("young-people", {"thought_about_carrying": "no"}, follow_redirects=True)
    assert _on(respondent) == "carrying" and respondent.step() == (knives_step + 1, steps)
    respondent.answer("young-people", {}, action="back", follow_redirects=True)
    assert _on(respondent) == "knives"
    respondent.answer("young-people", {"thought_about_carrying": "no"}, follow_redirects=True)
    while 'name="action"' in respondent.html:
        page = current_page(YOUNG, respondent.html)
        assert page.id not in ("carrying_reasons", "causes_other")
        # Answers sent for a page that does not apply are not kept either.
        respondent.answer(
            "young-people", {**page_answers(page), "carry_reasons": ["others_do"]}, follow_redirects=True
        )
    respondent.send("young-people", follow_redirects=True)
    assert "Your answers have been sent" in respondent.html
    with app.app_context():
        stored = set(db_session().scalars(select(Item.key).join(Answer, Answer.item_id == Item.id)))
    assert "thought_about_carrying" in stored and "carry_reasons" not in stored


def test_check_your_answers_gives_the_pages_cut_from_one_page_one_heading(respondent):
    respondent.start("young-people")
    while 'name="action"' in respondent.html:
        respondent.answer(
            "young-people", page_answers(current_page(YOUNG, respondent.html)), follow_redirects=True
        )
    assert "Check your answers before sending them" in respondent.html
    # "Feeling safe" is cut over four pages (a rating scale with statements_per_page).
    assert respondent.html.count("<h2>Feeling safe</h2>") == 1
    assert "Walking alone in your local area after dark" in respondent.html


def test_a_page_that_does_not_apply_cannot_be_reached_by_its_step(respondent):
    _to_page(respondent, "causes")
    step, steps = respondent.step()
    respondent.answer("young-people", {"violence_causes": ["drugs"]}, follow_redirects=True)
    assert _on(respondent) == "trust_and_support"
    assert respondent.get(f"/s/young-people/{step + 1}").status_code == 200
    assert _on(respondent) == "trust_and_support" and respondent.step() == (step + 1, steps)


@pytest.mark.parametrize("slug", ["young-people", "community"])
def test_pages_cut_for_a_phone_keep_every_answer_key_once_and_in_order(app, slug):
    definition = load_file(QUESTIONNAIRES / f"{slug}.yaml")
    on_pages = [key for page in definition.pages for item in page.items for key in item.answer_keys]
    in_file = [
        key
        for i in items(definition.source)
        for key in ([s["id"] for s in i["statements"]] if "statements" in i else [i["id"]])
    ]
    assert on_pages == in_file
    with app.app_context():
        stored = (
            db_session()
            .scalars(
                select(Item.key).where(Item.version_id == _current_version(slug)).order_by(Item.position)
            )
            .all()
        )
    assert stored == on_pages


def _current_version(slug: str) -> int:
    from survey_app.models import Questionnaire

    return db_session().scalar(select(Questionnaire.current_version_id).where(Questionnaire.slug == slug))


@pytest.mark.parametrize("slug", ["young-people", "community"])
def test_the_promised_minutes_are_the_models_estimate(slug):
    source = yaml.safe_load((QUESTIONNAIRES / f"{slug}.yaml").read_text("utf-8"))
    assert source["minutes"] == estimated_minutes(source), "see analysis/effort.py; set minutes to it"
