"""Free-text review on a phone: an analyst codes five demo answers and reads the agreement with a
colleague; the safeguarding lead records what was done about a flagged answer."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from survey_app.accounts import create_user
from survey_app.db import db_session
from survey_app.demo import add_demo_responses
from survey_app.models import AnswerCoding, Questionnaire, StaffUser
from survey_app.responses.store import store_response
from survey_app.surveys.service import survey_version
from tests.browser.journeys import staff_log_in

pytestmark = pytest.mark.browser

PASSWORD = "browser test passphrase"
ANALYST = "coder.browser@example.org"
COLLEAGUE = "second.coder.browser@example.org"
LEAD = "lead.browser@example.org"


@pytest.fixture(scope="module")
def people(live_app):
    with live_app.app_context():
        for email, role in ((ANALYST, "analyst"), (COLLEAGUE, "analyst"), (LEAD, "safeguarding_lead")):
            create_user(db_session(), email, PASSWORD, role)
        add_demo_responses(db_session(), "community", 80, seed=21)
        survey = survey_version(
            db_session(),
            db_session().scalar(
                select(Questionnaire.current_version_id).where(Questionnaire.slug == "community")
            ),
        )
        store_response(
            db_session(),
            version_id=survey.version_id,
            definition=survey.definition,
            answers={"causes_of_violence": "Older boys make me hold stuff for them after school"},
            language="en",
            month="2026-11",
            wave_id=None,
        )
        db_session().commit()


def log_in(page, email: str) -> None:
    staff_log_in(page, email, PASSWORD)


def test_an_analyst_codes_five_answers_and_reads_the_agreement(open_phone, checker, live_app, people):
    page = open_phone("Pixel 5")
    check = checker(page)
    log_in(page, ANALYST)
    page.get_by_role("link", name="community", exact=True).click()
    page.get_by_role("link", name="Code free-text answers").click()
    expect(page.get_by_role("heading", name="What would make your area safer?")).to_be_visible()
    page.get_by_text("Choose the question and wave").click()
    page.get_by_label("Demo data (synthetic)").check()
    page.get_by_label("Only answers I have not coded").check()
    check("filters")
    page.get_by_role("button", name="Show answers").click()
    expect(page.get_by_text("These are synthetic demo answers")).to_be_visible()
    check("answers")

    coded = []
    page.evaluate("window.notReloaded = true")
    for number in range(5):
        # coding.js saves in place: the page is not reloaded, so coded answers stay where they are.
        answer = page.locator("article").nth(number)
        coded.append(answer.get_attribute("id"))
        answer.locator("summary").click()
        if number == 2:
            for box in answer.get_by_role("checkbox").all():
                box.uncheck()  # a decision too: this answer has no theme
        else:
            answer.get_by_label("Safe places to go").check()
        if number == 0:
            check("theme-list")
        answer.get_by_role("button", name=re.compile("^Save")).click()
        expect(answer.get_by_role("status")).to_contain_text("Your coding was saved.")
        expect(answer.locator("summary")).to_contain_text("none" if number == 2 else "Safe places to go")
    assert page.evaluate("window.notReloaded") is True
    check("after-coding")
    page.reload()
    expect(page.locator(f"#{coded[0]}")).to_have_count(0)  # only uncoded answers are listed

    # On a laptop each answer sits beside its coding form.
    laptop = open_phone("Desktop Chrome")
    log_in(laptop, ANALYST)
    laptop.goto(page.url)
    first = laptop.locator("article").first
    assert first.locator("form").bounding_box()["x"] > first.locator("p").first.bounding_box()["x"] + 300
    checker(laptop)("answers-on-a-laptop")

    with live_app.app_context():
        session = db_session()
        ids = dict(session.execute(select(StaffUser.email, StaffUser.id)).all())
        mine = session.scalars(select(AnswerCoding).where(AnswerCoding.coder_id == ids[ANALYST])).all()
        assert len(mine) == 5 and sum(not c.themes for c in mine) >= 1
        for n, coding in enumerate(mine):
            themes = coding.themes if n % 2 else [*coding.themes, "nothing_to_do"]
            session.add(
                AnswerCoding(
                    response_id=coding.response_id,
                    item_id=coding.item_id,
                    coder_id=ids[COLLEAGUE],
                    themes=themes,
                    coded_at=datetime(2026, 11, 2),
                )
            )
        session.commit()

    page.get_by_role("link", name="See how far coders agree").click()
    expect(page.get_by_role("heading", name=f"{ANALYST} and {COLLEAGUE}")).to_be_visible()
    expect(page.get_by_text("5 answers coded by both.")).to_be_visible()
    expect(page.get_by_role("rowheader", name="Nothing to do, not enough youth services")).to_be_visible()
    check("agreement")


def test_the_safeguarding_lead_records_an_action(open_phone, checker, people):
    page = open_phone("iPhone 13")
    check = checker(page)
    log_in(page, LEAD)
    page.get_by_role("link", name="Safeguarding queue").click()
    expect(page.get_by_role("heading", name="Safeguarding queue", level=1)).to_be_visible()
    check("queue")
    entry = page.locator("article").first
    anchor = entry.get_attribute("id")
    entry.get_by_role("button", name="Record what was done").click()
    expect(page.locator(".err-sum")).to_contain_text("Choose the outcome")
    expect(page.locator(".err-sum")).to_contain_text("Describe what was done")
    check("queue-errors")
    entry = page.locator(f"#{anchor}")
    entry.get_by_label("Shared with a partner who can act on it, such as a school or youth service").check()
    entry.get_by_label("What was done").fill("Passed the location to the community safety team for patrols.")
    entry.get_by_role("button", name="Record what was done").click()
    expect(page.get_by_role("status").first).to_have_text("What was done is recorded.")
    entry = page.locator(f"#{anchor}")
    expect(entry).to_contain_text("Recorded by " + LEAD)
    expect(entry.get_by_text("Update what was done")).to_be_visible()
    check("recorded")
