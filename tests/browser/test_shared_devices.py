"""Shared devices and resume codes in the browser: two young people in turn on one tablet, answers
cleared after idle time with and without JavaScript, and a code that carries a draft to another
browser."""

from __future__ import annotations

import re
import secrets
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect
from sqlalchemy import select

from survey_app.db import db_session
from survey_app.models import Channel, Questionnaire

from .journeys import choose, type_into

pytestmark = pytest.mark.browser


def shared_link(app, name: str, **fields) -> str:
    """A youth club's link, shared devices as usual for the type, straight into the database;
    `fields` change the link's type or settings."""
    key = secrets.token_urlsafe(6)
    with app.app_context():
        session = db_session()
        survey = session.scalar(select(Questionnaire).where(Questionnaire.slug == "kitchen-sink"))
        session.add(
            Channel(
                questionnaire_id=survey.id,
                key=key,
                **{"name": name, "type": "youth_club", "area": "melton", "devices": "shared", **fields},
                created_at=datetime.now(UTC).replace(tzinfo=None),
            )
        )
        session.commit()
    return f"/s/kitchen-sink/?via={key}"


def continue_(page) -> None:
    """Continue, or Send on the last page, in any language."""
    page.locator("button[value=next]").click()
    page.wait_for_load_state("load")


def answer_first_page(page) -> None:
    choose(page, "Do you have a pet?", "Yes")
    page.get_by_label("How many pets?").fill("3")
    choose(page, "Which snacks do you like?", "Fruit")
    continue_(page)


def nothing_of_the_first_person(page) -> None:
    content = page.content()
    assert "Juniper" not in content and "Biscuit" not in content, page.url
    expect(page.locator("input:checked")).to_have_count(0)
    expect(page.locator("input[type=text][value]:not([value=''])")).to_have_count(0)


def test_two_young_people_in_turn_on_one_tablet(open_phone, checker, live_app):
    link = shared_link(live_app, "Friday club tablet")
    page = open_phone("Pixel 5")
    check = checker(page)

    # The first young person chooses Polish and answers everything.
    page.goto(link)
    expect(page.get_by_text("This device is shared.")).to_be_visible()
    expect(page.get_by_role("link", name="Carry on with a code from last time")).to_have_count(0)
    check("shared-start")
    page.get_by_role("link", name="Polski").click()
    expect(page.locator("html")).to_have_attribute("lang", "pl")
    page.locator("main form button[type=submit]").click()
    answer_first_page(page)
    choose(page, "School", "Good")
    choose(page, "Home", "Bad")
    page.locator("#nickname").press_sequentially("Juniper")
    expect(page.locator("button[value=later]")).to_have_count(0)
    expect(page.locator("#shared-device .clock")).to_have_text(re.compile(r"^[45]:\d\d$"))
    check("shared-page")
    continue_(page)
    page.locator("#pet_story").press_sequentially("Biscuit sleeps by the canal")
    continue_(page)
    expect(page.locator("#shared-device")).to_be_visible()  # on "Check your answers" too
    page.locator("form[action$='/send'] button").click()
    expect(page.locator(".panel h1")).to_be_visible()
    expect(page.locator("details.stored")).to_have_count(0)
    check("shared-thanks")
    page.locator("#hand-over button").click()

    # The device is handed on: nothing of the first person, the device's own language.
    expect(page.get_by_role("heading", name="Finished: hand the device on")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    check("hand-over")
    nothing_of_the_first_person(page)
    for _ in range(6):
        try:
            page.go_back()
        except PlaywrightError as error:  # the thank-you page answered a form: it is not sent again
            assert "ERR_CACHE_MISS" in str(error)
        page.wait_for_load_state("load")
        nothing_of_the_first_person(page)
    # (Back may have passed the address that chose Polish: the language is not what is checked here.)
    page.goto(link)
    expect(page.locator("button[name=restart]")).to_have_count(0)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("input[name=pet]")).to_have_count(3)
    nothing_of_the_first_person(page)


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
def test_answers_left_alone_are_cleared(open_phone, live_app, js):
    link = shared_link(live_app, f"Event stall {js}")
    live_app.config["SHARED_DEVICE_IDLE"] = timedelta(seconds=3)
    try:
        page = open_phone("iPhone 13", js=js)
        page.goto(link)
        page.get_by_role("button", name="Start the survey").click()
        choose(page, "Do you have a pet?", "Yes")
        if js:
            countdown = page.locator("#shared-device .clock")
            expect(countdown).to_have_text(re.compile(r"^0:0[0-3]$"))
            # Using the page tells the server someone is still there: the countdown starts again.
            page.wait_for_timeout(1500)
            with page.expect_response(lambda r: r.url.endswith("/still-here") and r.status == 204):
                page.get_by_label("How many pets?").press_sequentially("2")
            expect(countdown).to_have_text(re.compile(r"^0:0[23]$"))
            expect(page.get_by_text("Are you still there?")).to_be_visible()
            page.wait_for_url(re.compile(r"/s/kitchen-sink/next$"), timeout=8000)
        else:
            expect(page.locator("#shared-device .countdown")).to_be_hidden()
            page.wait_for_timeout(3500)
            continue_(page)
        expect(page).to_have_url(re.compile(r"/s/kitchen-sink/next$"))
        expect(page.locator(".notice")).to_have_text(
            "The answers on this device were cleared because nobody used it for 3 seconds."
        )
        page.go_back()
        nothing_of_the_first_person(page)
        expect(page.get_by_role("button", name="Start the survey")).to_be_visible()
    finally:
        live_app.config["SHARED_DEVICE_IDLE"] = timedelta(minutes=5)


def test_a_resume_code_moves_a_draft_to_another_browser(open_phone, checker):
    phone = open_phone("Pixel 5")
    check = checker(phone)
    phone.goto("/s/kitchen-sink/")
    phone.get_by_role("button", name="Start the survey").click()
    answer_first_page(phone)
    type_into(phone, "A word you like (optional)", "Juniper")
    phone.get_by_role("button", name="Save and finish later").click()
    expect(phone.get_by_role("heading", name="Your answers are saved")).to_be_visible()
    code = phone.locator("#resume-code").inner_text()
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", code)
    link = phone.locator("a.link").get_attribute("href")
    check("resume-code")

    laptop = open_phone("iPhone 13", js=False)
    laptop.goto(link)
    expect(laptop.get_by_label("Your code")).to_have_value(code)
    laptop.get_by_role("button", name="Carry on").click()
    expect(laptop.get_by_text("Your answers are back.")).to_be_visible()
    laptop.get_by_role("button", name="Carry on where you left off").click()
    # At the first page not done, with what was typed there on the phone, and the page before kept.
    expect(laptop.get_by_label("A word you like (optional)")).to_have_value("Juniper")
    laptop.get_by_role("button", name="Back", exact=True).click()
    expect(laptop.get_by_label("How many pets?")).to_have_value("3")

    # Used once: the same link now refuses the code.
    phone.goto(link)
    phone.get_by_role("button", name="Carry on").click()
    expect(phone.locator(".err-sum")).to_contain_text("has been used")
