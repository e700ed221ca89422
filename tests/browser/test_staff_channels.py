"""An admin makes a link for a closed group on a phone, prints its poster and codes; the QR code on
the poster reads back as the link, and a young person gets in with a code (JavaScript off)."""

from __future__ import annotations

import subprocess

import pytest
from playwright.sync_api import expect

from survey_app.accounts import create_user
from survey_app.db import db_session
from tests.browser.journeys import staff_log_in

pytestmark = pytest.mark.browser

PASSWORD = "browser test passphrase"


def test_a_closed_group_link_from_poster_to_first_page(open_phone, checker, live_app, artifacts):
    with live_app.app_context():
        create_user(db_session(), "channels.browser@example.org", PASSWORD, "admin")
    page = open_phone("Pixel 5")
    check = checker(page)
    staff_log_in(page, "channels.browser@example.org", PASSWORD)
    page.get_by_role("link", name="community", exact=True).click()
    page.get_by_role("link", name="Links and posters").click()
    check("channels-empty")
    page.get_by_role("button", name="Add the link").click()
    expect(page.locator(".err-sum")).to_contain_text("Enter a name for the link")
    check("channels-errors")
    page.get_by_label("Name").fill("Class 10B, City School")
    page.get_by_label("Type of place").select_option(label="School")
    page.get_by_label("District").select_option(label="Leicester")
    page.get_by_label("How many people it reaches (optional)").fill("28")
    page.get_by_text("Closed group: each person needs a one-time access code").click()
    page.get_by_label("Number of access codes to make").fill("3")
    page.get_by_role("button", name="Add the link").click()
    expect(page.get_by_role("heading", name="Class 10B, City School")).to_be_visible()
    check("channels")
    link = page.locator("code.link").inner_text()

    page.get_by_role("link", name="Poster with QR code").click()
    poster = artifacts / "channel-poster.png"
    page.set_viewport_size({"width": 794, "height": 1123})
    page.screenshot(path=str(poster))
    decoded = subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(poster)], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert decoded == link
    page.go_back()
    page.set_viewport_size({"width": 393, "height": 727})

    page.get_by_role("link", name="Access codes").click()
    check("codes")
    code = page.locator(".slips strong").first.inner_text()

    phone = open_phone("iPhone 13", js=False)
    respondent = checker(phone)
    phone.goto(link)
    respondent("start-with-code")
    phone.get_by_label("Your access code").fill("WXYZ-2345")
    phone.get_by_role("button", name="Start the survey").click()
    expect(phone.locator(".err-sum")).to_contain_text("That access code is not right")
    respondent("start-code-error")
    phone.get_by_label("Your access code").fill(code.lower())
    phone.get_by_role("button", name="Start the survey").click()
    expect(phone.get_by_text("Step 1 of")).to_be_visible()
