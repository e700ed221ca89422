"""Taking a survey over real HTTP: pages, Back, errors, conditions, submission in one transaction."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from survey_app.db import db_session
from survey_app.definitions import load_file
from survey_app.models import Answer, AnswerChoice, Draft, Response
from tests.conftest import QUESTIONNAIRES, TEST_QUESTIONNAIRES
from tests.helpers import current_page, draft_token, open_draft, page_answers, reseal

KITCHEN = load_file(TEST_QUESTIONNAIRES / "kitchen-sink.yaml")


def count(app, model) -> int:
    with app.app_context():
        return db_session().scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("slug", ["young-people", "community"])
def test_complete_each_standard_survey(app, respondent, slug):
    definition = load_file(QUESTIONNAIRES / f"{slug}.yaml")
    final = respondent.complete(slug, definition)
    assert final.status_code == 200
    assert "Your answers have been sent" in respondent.html
    assert "See exactly what we stored" in respondent.html
    with app.app_context():
        response = db_session().scalar(select(Response))
        assert response.language == "en"
        assert len(response.submitted_month) == 7
        assert len(response.answers) >= len(definition.items) - 3
    assert count(app, Draft) == 0


def test_home_lists_open_surveys_and_links_to_them(client):
    html = client.get("/").get_data(as_text=True)
    assert 'href="/s/young-people/"' in html and 'href="/s/community/"' in html


def test_start_page_explains_what_is_stored(client):
    html = client.get("/s/young-people/").get_data(as_text=True)
    assert "We never store your name" in html
    assert "Start the survey" in html


def test_steps_back_button_and_kept_answers(respondent):
    respondent.start("kitchen-sink")
    assert respondent.step() == (1, 2), "the pet owners' page is not counted until it applies"
    respondent.answer(
        "kitchen-sink", {"pet": "yes", "pet_count": "2", "snacks": ["crisps"]}, follow_redirects=True
    )
    assert respondent.step() == (2, 3)
    respondent.answer("kitchen-sink", {"nickname": "sunny"}, action="back", follow_redirects=True)
    assert respondent.step() == (1, 3)
    assert 'value="yes" checked' in respondent.html and 'value="2"' in respondent.html
    respondent.answer(
        "kitchen-sink", {"pet": "yes", "pet_count": "2", "snacks": ["crisps"]}, follow_redirects=True
    )
    assert 'value="sunny"' in respondent.html, "Back kept what was typed on page 2"


def test_error_summary_links_to_each_field_and_keeps_status_4xx(app, respondent):
    respondent.start("kitchen-sink")
    response = respondent.answer("kitchen-sink", {})
    assert response.status_code == 422
    html = respondent.html
    assert "There is a problem" in html
    assert 'href="#pet-1"' in html and 'href="#snacks-1"' in html
    assert 'id="pet-1"' in html and 'id="snacks-1"' in html
    assert "<title>Error:" in html
    assert respondent.step() == (1, 2)


def test_condition_on_the_same_page_is_checked_only_when_it_applies(respondent):
    respondent.start("kitchen-sink")
    response = respondent.answer("kitchen-sink", {"pet": "yes", "snacks": ["fruit"]})
    assert response.status_code == 422 and "Enter a number" in respondent.html
    response = respondent.answer("kitchen-sink", {"pet": "yes", "pet_count": "99", "snacks": ["fruit"]})
    assert response.status_code == 422 and "from 1 to 20" in respondent.html
    response = respondent.answer("kitchen-sink", {"pet": "yes", "pet_count": "two", "snacks": ["fruit"]})
    assert response.status_code == 422 and "whole number" in respondent.html
    response = respondent.answer("kitchen-sink", {"pet": "no", "pet_count": "99", "snacks": ["fruit"]})
    assert response.status_code == 302


def test_a_page_whose_condition_fails_is_skipped(app, respondent):
    respondent.start("kitchen-sink")
    respondent.answer("kitchen-sink", {"pet": "no", "snacks": ["fruit"]}, follow_redirects=True)
    assert respondent.step() == (2, 2)
    respondent.answer("kitchen-sink", {"mood_school": "good", "mood_home": "good"}, follow_redirects=True)
    respondent.send("kitchen-sink")
    assert "Your answers have been sent" in respondent.html


def test_changing_an_early_answer_drops_answers_that_no_longer_apply(app, respondent):
    respondent.start("kitchen-sink")
    respondent.answer(
        "kitchen-sink", {"pet": "yes", "pet_count": "3", "snacks": ["fruit"]}, follow_redirects=True
    )
    respondent.answer("kitchen-sink", {"mood_school": "good", "mood_home": "good"}, follow_redirects=True)
    respondent.answer("kitchen-sink", {"pet_story": "A cat"}, action="back", follow_redirects=True)
    respondent.answer("kitchen-sink", {}, action="back", follow_redirects=True)
    respondent.answer("kitchen-sink", {"pet": "no", "snacks": ["fruit"]}, follow_redirects=True)
    respondent.answer("kitchen-sink", {"mood_school": "good", "mood_home": "good"}, follow_redirects=True)
    assert "Check your answers" in respondent.html and "A cat" not in respondent.html
    respondent.send("kitchen-sink")
    assert "Your answers have been sent" in respondent.html
    assert "A cat" not in respondent.html
    with app.app_context():
        texts = db_session().scalars(select(Answer.text)).all()
        numbers = db_session().scalars(select(Answer.number)).all()
    assert "A cat" not in texts and 3 not in numbers


def test_none_of_these_is_exclusive_and_max_choices_holds(respondent):
    respondent.start("kitchen-sink")
    response = respondent.answer("kitchen-sink", {"pet": "no", "snacks": ["fruit", "none_of_these"]})
    assert response.status_code == 422 and "cannot be ticked with other options" in respondent.html
    response = respondent.answer("kitchen-sink", {"pet": "no", "snacks": ["fruit", "crisps", "chocolate"]})
    assert response.status_code == 422 and "Choose at most 2 options" in respondent.html


def test_multiple_choices_are_stored_as_rows(app, respondent):
    respondent.start("kitchen-sink")
    respondent.answer("kitchen-sink", {"pet": "no", "snacks": ["fruit", "crisps"]}, follow_redirects=True)
    respondent.answer("kitchen-sink", {"mood_school": "good", "mood_home": "bad"}, follow_redirects=True)
    respondent.send("kitchen-sink")
    assert count(app, AnswerChoice) == 2
    assert "Crisps; Fruit" in respondent.html


@pytest.mark.parametrize("tampered", [{"pet": "dragon"}, {"snacks": ["fruit", "caviar"]}])
def test_a_tampered_choice_is_refused_and_nothing_is_stored(app, respondent, tampered):
    respondent.start("kitchen-sink")
    data = {"pet": "no", "snacks": ["fruit"], **tampered}
    response = respondent.answer("kitchen-sink", data)
    assert response.status_code == 422
    assert "not part of this question" in respondent.html
    assert count(app, Response) == 0


def test_a_missing_csrf_token_is_refused(app, respondent, client):
    respondent.start("kitchen-sink")
    response = client.post("/s/kitchen-sink/1", data={"pet": "no", "snacks": ["fruit"], "action": "next"})
    assert response.status_code == 400
    assert "open too long or was sent twice" in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)


def test_huge_text_is_refused_clearly(app, respondent):
    respondent.start("kitchen-sink")
    respondent.answer("kitchen-sink", {"pet": "no", "snacks": ["fruit"]}, follow_redirects=True)
    response = respondent.answer(
        "kitchen-sink", {"mood_school": "good", "mood_home": "good", "nickname": "x" * 5000}
    )
    assert response.status_code == 422
    assert "Your answer is too long: 5,000 characters" in respondent.html
    response = respondent.answer("kitchen-sink", {"mood_school": "good", "nickname": "x" * 400_000})
    assert response.status_code == 413
    assert "too large" in respondent.html
    assert count(app, Response) == 0


def test_unknown_slug_and_unknown_page(client, respondent):
    response = client.get("/s/no-such-survey/")
    assert response.status_code == 404
    assert "no open survey at this address" in response.get_data(as_text=True)
    assert client.get("/s/young-people/1").status_code == 302, "no draft: back to the start page"
    respondent.start("kitchen-sink")
    assert respondent.client.get("/s/kitchen-sink/9").status_code == 302


def test_expired_drafts_start_again(app, respondent):
    respondent.start("kitchen-sink")
    draft = open_draft(app, respondent.client, "kitchen-sink")
    draft.expires_at -= timedelta(hours=48)
    reseal(app, draft)
    response = respondent.client.get("/s/kitchen-sink/1", follow_redirects=True)
    assert "cleared after 24 hours" in response.get_data(as_text=True)
    assert count(app, Draft) == 0, "the expired draft is deleted when it is found"


def test_drafts_expire_within_25_hours_and_hold_no_exact_time(app, respondent):
    respondent.start("kitchen-sink")
    draft = open_draft(app, respondent.client, "kitchen-sink")
    assert draft.expires_at.minute == 0 and draft.expires_at.second == 0
    lifetime = draft.expires_at - datetime.now(UTC).replace(tzinfo=None)
    assert timedelta(hours=24) < lifetime <= timedelta(hours=25)
    with app.app_context():
        row = db_session().scalar(select(Draft))
    assert row.sweep_month == draft.expires_at.strftime("%Y-%m"), "only the month is in the clear"


def test_submission_is_all_or_nothing(app, respondent):
    """A draft that fails at submission (an answer no longer valid) stores nothing at all."""
    respondent.start("kitchen-sink")
    respondent.answer("kitchen-sink", {"pet": "no", "snacks": ["fruit"]}, follow_redirects=True)
    draft = open_draft(app, respondent.client, "kitchen-sink")
    draft.answers = {**draft.answers, "mood_school": "good", "snacks": ["fruit", "smuggled"]}
    reseal(app, draft)
    respondent.answer("kitchen-sink", {"mood_school": "good", "mood_home": "good"}, follow_redirects=True)
    response = respondent.send("kitchen-sink")
    assert response.status_code == 400
    assert "Nothing was stored" in respondent.html
    assert count(app, Response) == 0 and count(app, Answer) == 0 and count(app, AnswerChoice) == 0
    assert count(app, Draft) == 1


def test_response_ids_are_random(app, client):
    from tests.helpers import Respondent

    for _ in range(3):
        Respondent(app.test_client()).complete("kitchen-sink", KITCHEN)
    with app.app_context():
        ids = db_session().scalars(select(Response.id)).all()
    assert len({i.version for i in ids}) == 1 and ids[0].version == 4
    assert len(set(ids)) == 3


def test_resubmitting_after_sending_does_not_duplicate(app, respondent):
    respondent.start("kitchen-sink")
    respondent.answer("kitchen-sink", {"pet": "no", "snacks": ["fruit"]}, follow_redirects=True)
    respondent.answer("kitchen-sink", {"mood_school": "good", "mood_home": "good"}, follow_redirects=True)
    check_page = respondent.html
    respondent.send("kitchen-sink")
    respondent.html = check_page  # Send pressed again from the page still on screen
    respondent.send("kitchen-sink")
    assert count(app, Response) == 1
    # With JavaScript the thank-you page is written in place at the address it was sent to:
    # reloading it shows the thank-you page again (without the answers), not an error.
    reloaded = respondent.get("/s/kitchen-sink/send", follow_redirects=True)
    assert reloaded.status_code == 200 and "Your answers have been sent" in respondent.html
    assert count(app, Response) == 1


def test_start_again_discards_the_old_draft(app, respondent):
    respondent.start("kitchen-sink")
    respondent.get("/s/kitchen-sink/")
    assert "Carry on where you left off" in respondent.html
    respondent.get("/s/kitchen-sink/start-again")
    assert "Are you sure you want to start again?" in respondent.html
    first = draft_token(respondent.client, "kitchen-sink")
    respondent.post("/s/kitchen-sink/start", {"restart": "1"})
    assert count(app, Draft) == 1 and draft_token(respondent.client, "kitchen-sink") != first


def test_quick_exit_endpoint_forgets_the_draft(app, respondent):
    respondent.start("kitchen-sink")
    assert respondent.client.post("/exit").status_code == 204
    assert count(app, Draft) == 0
    assert "Start the survey" in respondent.get("/s/kitchen-sink/").get_data(as_text=True)


def test_a_closed_survey_refuses_new_answers(app, respondent):
    from survey_app.models import Questionnaire

    respondent.start("kitchen-sink")
    with app.app_context():
        db_session().scalar(select(Questionnaire).where(Questionnaire.slug == "kitchen-sink")).is_open = False
        db_session().commit()
    response = respondent.answer("kitchen-sink", {"pet": "no", "snacks": ["fruit"]})
    assert response.status_code == 404 and "closed" in respondent.html


def test_free_text_is_redacted_screened_and_language_tagged_before_storage(app, respondent):
    respondent.start("kitchen-sink")
    respondent.answer(
        "kitchen-sink", {"pet": "yes", "pet_count": "1", "snacks": ["fruit"]}, follow_redirects=True
    )
    respondent.answer("kitchen-sink", {"mood_school": "good", "mood_home": "bad"}, follow_redirects=True)
    story = "My name is Jordan Smith, text 07700 900123. My uncle hits me at home and I am scared."
    respondent.answer("kitchen-sink", {"pet_story": story}, follow_redirects=True)
    respondent.send("kitchen-sink")
    with app.app_context():
        answer = db_session().scalar(select(Answer).where(Answer.text.is_not(None)))
        drafts = db_session().scalars(select(Draft)).all()
    assert "Jordan" not in answer.text and "07700" not in answer.text
    assert "[phone]" in answer.text and "uncle hits me" in answer.text
    assert answer.safeguarding is True and answer.safeguarding_harm == "abuse_at_home"
    assert answer.text_language == "en"
    assert drafts == []


def test_thank_you_page_puts_help_first_after_a_possible_disclosure(respondent):
    respondent.start("kitchen-sink")
    respondent.answer(
        "kitchen-sink", {"pet": "yes", "pet_count": "1", "snacks": ["fruit"]}, follow_redirects=True
    )
    respondent.answer("kitchen-sink", {"mood_school": "good", "mood_home": "bad"}, follow_redirects=True)
    respondent.answer(
        "kitchen-sink", {"pet_story": "I want to kill myself, nobody would care"}, follow_redirects=True
    )
    respondent.send("kitchen-sink")
    html = respondent.html
    assert "You do not have to deal with this alone" in html
    help_first = html.index("You do not have to deal with this alone")
    assert help_first < html.index("If you need to talk to someone")


def test_thank_you_page_without_a_disclosure_is_calm(respondent):
    respondent.complete("kitchen-sink", KITCHEN)
    assert "You do not have to deal with this alone" not in respondent.html
    assert "English" in respondent.html, "the language is named, not coded"


def test_carry_on_resumes_at_the_first_unfinished_page_and_says_how_far(respondent):
    respondent.start("kitchen-sink")
    respondent.answer(
        "kitchen-sink", {"pet": "yes", "pet_count": "2", "snacks": ["crisps"]}, follow_redirects=True
    )
    # Typed on page 2 and kept by a language switch, but not completed: page 2 is still to do.
    respondent.answer("kitchen-sink", {"nickname": "sunny"}, action="language")
    respondent.get("/s/kitchen-sink/")
    assert "You have done 1 of 3 pages." in respondent.html
    respondent.post("/s/kitchen-sink/start", {}, follow_redirects=True)
    assert respondent.step() == (2, 3) and 'value="sunny"' in respondent.html


def test_a_language_switch_keeps_what_was_typed_without_checking_it(app, respondent):
    respondent.start("kitchen-sink")
    assert 'formaction="/s/kitchen-sink/1?lang=ur"' in respondent.html
    assert 'href="#langs"' in respondent.html, "the footer's Language link stays on the page"
    # Valid answers go into the draft and the page comes back, by a redirect, in the new language.
    response = respondent.post(
        "/s/kitchen-sink/1?lang=ur", {"pet": "yes", "pet_count": "2", "action": "language"}
    )
    assert response.status_code == 302 and response.location.endswith("/s/kitchen-sink/1")
    respondent.get(response.location)
    assert '<html lang="ur" dir="rtl">' in respondent.html and "There is a problem" not in respondent.html
    assert 'value="yes" checked' in respondent.html and 'value="2"' in respondent.html
    # Something that cannot be kept yet is shown back as typed, in the new language, with no error.
    response = respondent.post(
        "/s/kitchen-sink/1?lang=en", {"pet": "yes", "pet_count": "two", "action": "language"}
    )
    assert response.status_code == 200 and '<html lang="en"' in respondent.html
    assert 'value="two"' in respondent.html and 'value="yes" checked' in respondent.html
    assert "There is a problem" not in respondent.html
    assert open_draft(app, respondent.client, "kitchen-sink").answers == {"pet": "yes"}


def test_check_your_answers_lists_them_and_change_returns_there(app, respondent):
    respondent.start("kitchen-sink")
    respondent.answer("kitchen-sink", {"pet": "no", "snacks": ["fruit", "crisps"]}, follow_redirects=True)
    respondent.answer("kitchen-sink", {"mood_school": "good", "mood_home": "bad"}, follow_redirects=True)
    html = respondent.html
    assert "Check your answers before sending them" in html and count(app, Response) == 0
    assert "Crisps; Fruit" in html and "Not answered" in html, "a skipped question is listed too"
    assert (
        '<a href="/s/kitchen-sink/1?change=1#q-pet" data-replace-history>Change'
        '<span class="vh"> Do you have a pet?</span></a>' in html
    )
    # A changed answer that makes a new page apply leads through that page, then back to the check.
    respondent.get("/s/kitchen-sink/1?change=1")
    response = respondent.answer("kitchen-sink", {"pet": "yes", "pet_count": "1", "snacks": ["fruit"]})
    assert response.location.endswith("/s/kitchen-sink/check")
    respondent.get(response.location, follow_redirects=True)
    assert respondent.step() == (3, 3) and 'action="/s/kitchen-sink/3?change=1"' in respondent.html
    respondent.answer("kitchen-sink", {"pet_story": "A tortoise"}, follow_redirects=True)
    assert "Check your answers" in respondent.html and "A tortoise" in respondent.html
    respondent.send("kitchen-sink")
    assert "Your answers have been sent" in respondent.html and count(app, Response) == 1


def test_sending_before_every_page_is_done_leads_to_the_page_left(app, respondent):
    respondent.start("kitchen-sink")
    respondent.answer("kitchen-sink", {"pet": "no", "snacks": ["fruit"]}, follow_redirects=True)
    respondent.send("kitchen-sink", follow_redirects=True)
    assert respondent.step() == (2, 2) and count(app, Response) == 0


def test_the_exclusive_choice_is_named_in_the_respondents_language(app, respondent):
    from survey_app.i18n import questionnaire_text

    definition = load_file(QUESTIONNAIRES / "young-people.yaml")
    respondent.start("young-people")
    while not any(item.exclusive for item in current_page(definition, respondent.html).items):
        respondent.answer(
            "young-people", page_answers(current_page(definition, respondent.html)), follow_redirects=True
        )
    item = next(item for item in current_page(definition, respondent.html).items if item.exclusive)
    only, other = item.exclusive[0], next(c.value for c in item.choices if c.value not in item.exclusive)
    respondent.client.set_cookie("lang", "ur")
    response = respondent.answer("young-people", {item.id: [only, other]})
    with app.test_request_context("/?lang=ur"):
        urdu = questionnaire_text(f"young-people.{item.id}", item.choice_label(only))
    assert response.status_code == 422 and urdu != item.choice_label(only)
    assert f"“{urdu}” کو دوسرے آپشنز" in respondent.html
