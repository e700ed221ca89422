"""Exports in a real browser on a phone: an analyst chooses the demo wave and downloads the CSV."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from playwright.sync_api import expect

from survey_app.accounts import create_user
from survey_app.db import db_session
from survey_app.demo import add_demo_responses
from survey_app.responses.read import responses_frame
from tests.browser.journeys import staff_log_in

pytestmark = pytest.mark.browser

PASSWORD = "browser test passphrase"
EMAIL = "analyst.exports@example.org"


def test_an_analyst_downloads_responses_as_csv(open_phone, checker, live_app):
    with live_app.app_context():
        create_user(db_session(), EMAIL, PASSWORD, "analyst")
        add_demo_responses(db_session(), "community", 30, seed=7)
        demo = responses_frame(db_session(), "community").query("wave == 'demo'")
    page = open_phone("Pixel 5")
    check = checker(page)
    staff_log_in(page, EMAIL, PASSWORD)
    page.goto("/staff/surveys/community/exports")
    expect(page.get_by_role("heading", name="Exports of community")).to_be_visible()
    check("exports")
    page.get_by_label(re.compile(r"^Demo data \(synthetic\)")).check()
    page.get_by_role("button", name="Show the downloads").click()
    expect(page.locator(".urgent")).to_contain_text("Never report or publish them")
    check("exports-demo")
    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile("Responses as CSV")).click()
    download = info.value
    assert download.suggested_filename == "community-demo-responses.csv"
    rows = pd.read_csv(download.path(), dtype=str)
    assert sorted(rows["response_id"]) == sorted(demo["response_id"])
