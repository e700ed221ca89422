"""The SNA report page in a real browser on a phone: an analyst chooses the demo wave and downloads
the HTML report, made in the background (as when it takes longer than ``EXPORT_WAIT_SECONDS``)
through the page that waits for it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from survey_app.accounts import create_user
from survey_app.db import db_session
from survey_app.demo import add_demo_responses
from tests.browser.journeys import staff_log_in

pytestmark = pytest.mark.browser

PASSWORD = "browser test passphrase"
EMAIL = "analyst.sna@example.org"


def test_an_analyst_downloads_the_community_insights_report(open_phone, checker, live_app):
    with live_app.app_context():
        create_user(db_session(), EMAIL, PASSWORD, "analyst")
        add_demo_responses(db_session(), "community", 60, seed=3)
    page = open_phone("Pixel 5")
    check = checker(page)
    staff_log_in(page, EMAIL, PASSWORD)
    page.get_by_role("link", name="Community Insights report").click()
    expect(page.get_by_role("heading", name="Community Insights report")).to_be_visible()
    check("sna-report")
    # Other browser tests add demo responses to this database too, so the count varies.
    page.get_by_label(re.compile(r"^Demo data \(synthetic\): \d")).check()
    page.get_by_role("button", name="Show the downloads").click()
    expect(page.locator(".urgent")).to_contain_text("Never report or publish them")
    check("sna-report-demo")
    wait, live_app.config["EXPORT_WAIT_SECONDS"] = live_app.config["EXPORT_WAIT_SECONDS"], 0
    try:
        page.get_by_role("link", name=re.compile("Web page")).click()
        expect(page.get_by_role("heading", name="Preparing your download")).to_be_visible()
    finally:
        live_app.config["EXPORT_WAIT_SECONDS"] = wait
    # The page looks again every 10 seconds until the file is ready.
    ready = page.get_by_role("link", name="Download community-insights.html")
    expect(ready).to_be_visible(timeout=120_000)
    check("sna-report-prepared")
    with page.expect_download(timeout=60_000) as info:
        ready.click()
    download = info.value
    assert download.suggested_filename == "community-insights.html"
    assert "SYNTHETIC DEMO DATA" in Path(download.path()).read_text("utf-8")
