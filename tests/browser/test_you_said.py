"""The public "You said, we did" page on a phone, in English and in Arabic (right to left): no
login, the panel's priorities and what was done, and nothing axe-core can fault."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from survey_app.accounts import create_user
from survey_app.coproduction import panels, rounds, you_said
from survey_app.db import db_session
from survey_app.demo import add_demo_responses
from survey_app.models import Questionnaire
from tests.browser.journeys import staff_log_in

pytestmark = pytest.mark.browser

DONE = "Two youth workers now run Friday evening sessions at the library."
DONE_URDU = "دو یوتھ ورکرز اب لائبریری میں جمعہ کی شام سیشن چلاتے ہیں۔"
ADMIN = "you.said.browser@example.org"
PASSWORD = "browser test passphrase"


@pytest.fixture(scope="module")
def reported_wave(live_app):
    """A closed review round and one "we did" entry for the young people's demo wave."""
    with live_app.app_context():
        db = db_session()
        admin = create_user(db, ADMIN, PASSWORD, "admin")
        add_demo_responses(db, "young-people", 60, seed=5)
        survey = db.scalar(select(Questionnaire).where(Questionnaire.slug == "young-people"))
        panel = panels.create_panel(db, admin.id, "Youth panel for the public page")
        review = rounds.create_round(db, admin.id, panel.id, survey, "demo", 3)
        rounds.close_round(db, admin.id, review)
        you_said.add_wave_action(db, admin.id, survey, "demo", None, DONE)


def test_the_public_page_in_english_and_arabic(open_phone, checker, reported_wave):
    page = open_phone("iPhone 13", js=False)
    check = checker(page)
    page.goto("/?lang=en")
    expect(page.get_by_role("link", name=re.compile("^You said, we did: what people"))).to_be_visible()
    page.locator("footer").get_by_role("link", name="You said, we did").click()
    expect(page.get_by_role("heading", name="You said, we did", level=1)).to_be_visible()
    check("index")
    page.locator("a.card", has_text="young-people").first.click()
    expect(page.get_by_text(DONE)).to_be_visible()
    expect(page.get_by_text("The panel reviewed this wave but did not vote for priorities.")).to_be_visible()
    check("wave")
    page.goto(page.url.split("?")[0] + "?lang=ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_text(DONE)).to_be_visible()
    check("wave-arabic")


def test_staff_translate_a_we_did_entry_on_a_laptop(open_phone, checker, reported_wave):
    page = open_phone("Desktop Chrome")
    check = checker(page)
    staff_log_in(page, ADMIN, PASSWORD)
    page.goto("/staff/surveys/young-people/actions?lang=en")
    assert page.locator("main").bounding_box()["width"] > 1000, "staff pages use a laptop's width"
    check("actions")
    page.get_by_role("link", name=re.compile("Change, translate or remove")).first.click()
    expect(page.get_by_role("heading", name="Change what was done")).to_be_visible()
    check("entry")
    page.get_by_label("اردو").fill(DONE_URDU)
    page.get_by_role("button", name="Save the translations").click()
    expect(page.get_by_role("status")).to_contain_text("The translations are saved")
    page.goto("/you-said-we-did/young-people/demo?lang=ur")
    expect(page.get_by_text(DONE_URDU)).to_be_visible()
    page.goto("/you-said-we-did/young-people/demo?lang=ar")
    expect(page.get_by_text(DONE)).to_be_visible()  # no Arabic given: the English words
