"""The dashboard in a real browser: an analyst on a phone explores demo data with filters."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from survey_app.accounts import create_user
from survey_app.db import db_session
from survey_app.demo import add_demo_responses
from survey_app.models import ActivityCount, Questionnaire, Response, Wave
from survey_app.surveys.activity import STARTED, SUBMITTED, page_event
from tests.browser.journeys import staff_log_in
from tests.test_staff_dashboard import published

pytestmark = pytest.mark.browser

PASSWORD = "browser test passphrase"
EMAIL = "analyst.dashboard@example.org"


@pytest.fixture(scope="module")
def demo_survey(live_app):
    """300 demo responses to the young people's survey, and counters for their wave. Returns how the
    dashboard shows the number of demo responses the survey then has (perturbed): other browser test
    files share this database, and one that ran first in this test process may have added some."""
    with live_app.app_context():
        session = db_session()
        create_user(session, EMAIL, PASSWORD, "analyst")
        add_demo_responses(session, "young-people", 300, seed=11)
        survey = session.scalar(select(Questionnaire).where(Questionnaire.slug == "young-people"))
        wave_id = session.scalar(
            select(Wave.id).where(Wave.questionnaire_id == survey.id, Wave.key == "demo")
        )
        pages = [page_event(p["id"]) for p in survey.current_version.definition["pages"]]
        for week, started in (("2026-W45", 120), ("2026-W46", 6), ("2026-W47", 210)):
            reached = started
            for event in (STARTED, *pages, SUBMITTED):
                session.add(
                    ActivityCount(
                        version_id=survey.current_version_id,
                        wave_id=wave_id,
                        channel_id=0,
                        week=week,
                        event=event,
                        count=reached,
                    )
                )
                reached = reached * 19 // 20 if event != STARTED else reached
        session.commit()
        ids = session.scalars(select(Response.id).where(Response.wave_id == wave_id)).all()
    assert len(ids) >= 300
    return published(live_app, pd.Series([str(i) for i in ids]))


def test_an_analyst_filters_the_dashboard_on_a_phone(open_phone, checker, demo_survey):
    page = open_phone("Pixel 5")
    check = checker(page)
    staff_log_in(page, EMAIL, PASSWORD)
    # Other browser tests share this database and may add real responses: ask for the demo wave.
    page.goto("/staff/surveys/young-people/dashboard?wave=demo")
    expect(page.get_by_role("heading", name="Dashboard: young-people")).to_be_visible()
    expect(page.get_by_text("Synthetic demo data.")).to_be_visible()
    expect(page.get_by_role("img", name="Responses sent per week")).to_be_visible()
    weekly = page.get_by_role("region", name="Surveys started and responses sent per week")
    expect(weekly).to_contain_text("[c]")
    expect(page.get_by_text(f"{demo_survey} responses match these filters")).to_be_visible()
    check("dashboard")

    page.get_by_label("Area", exact=True).select_option("leicester")
    page.get_by_role("button", name="Apply the filters").click()
    expect(page).to_have_url(re.compile(r"area=leicester"))
    expect(page.get_by_label("Area", exact=True)).to_have_value("leicester")
    expect(page.get_by_text("not applied to these counts")).to_be_visible()
    check("filtered-by-area")

    page.get_by_label("Broken down by").select_option("age_band")
    page.get_by_role("button", name="Show the crosstab").click()
    expect(page).to_have_url(
        re.compile(r"area=leicester.*breakdown=age_band|breakdown=age_band.*area=leicester")
    )
    expect(page.get_by_role("img", name=re.compile("percentage by Age band"))).to_be_visible()
    check("crosstab-by-age")

    # On a laptop: the page uses the width, and the crosstab's cells name both heading levels.
    laptop = open_phone("Desktop Chrome")
    staff_log_in(laptop, EMAIL, PASSWORD)
    laptop.goto(page.url)
    assert laptop.locator("main").bounding_box()["width"] > 1000
    cell = laptop.locator("#crosstab-table-caption ~ tbody td").first
    assert len(cell.get_attribute("headers").split()) == 3
    checker(laptop)("crosstab-on-a-laptop")
