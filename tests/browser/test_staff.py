"""The staff area's first pages in a real browser: log in, the surveys table, log out."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from survey_app.accounts import create_user
from survey_app.db import db_session
from tests.browser.journeys import staff_log_in

pytestmark = pytest.mark.browser

PASSWORD = "browser test passphrase"


@pytest.fixture(scope="module")
def analyst(live_app):
    with live_app.app_context():
        create_user(db_session(), "analyst.browser@example.org", PASSWORD, "analyst")
    return "analyst.browser@example.org"


def test_log_in_read_the_surveys_and_log_out(open_phone, checker, analyst):
    page = open_phone("Pixel 5")
    check = checker(page)
    page.goto("/staff/")
    expect(page).to_have_url("/staff/login?next=%2Fstaff%2F")
    check("login")
    page.get_by_label("Email address").fill(analyst)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator(".err-sum")).to_contain_text("The email address or password is not right")
    check("login-error")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Surveys")).to_be_visible()
    expect(page.get_by_role("rowheader", name="young-people")).to_be_visible()
    check("surveys")
    page.get_by_role("button", name="Log out", exact=True).click()
    expect(page.get_by_role("heading", name="Staff log in")).to_be_visible()


def test_an_admin_names_a_wave(open_phone, checker, live_app):
    with live_app.app_context():
        create_user(db_session(), "admin.browser@example.org", PASSWORD, "admin")
    page = open_phone("iPhone 13")
    check = checker(page)
    staff_log_in(page, "admin.browser@example.org", PASSWORD)
    page.get_by_role("link", name="community", exact=True).click()
    check("survey")
    page.get_by_role("button", name="Add the wave").click()
    expect(page.locator(".err-sum")).to_be_visible()
    check("wave-errors")
    page.get_by_label("Short name").fill("2026-winter")
    page.get_by_label("Label").fill("Winter 2026")
    page.get_by_role("button", name="Add the wave").click()
    expect(page.get_by_role("rowheader", name="2026-winter")).to_be_visible()
    check("wave-added")
