"""A panel member joins by link and reviews a round on a phone, in English and in Urdu (right to
left), with JavaScript and without it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from survey_app.accounts import create_user, now
from survey_app.coproduction import panels, rounds
from survey_app.db import db_session
from survey_app.demo import add_demo_responses
from survey_app.models import Answer, Item, Questionnaire, Quote, StaffUser

pytestmark = pytest.mark.browser

PASSWORD = "browser test passphrase"


@pytest.fixture(scope="module")
def invitation(live_app):
    """A panel with an open round on the demo wave, and a fresh invitation link to it for each run."""
    with live_app.app_context():
        db = db_session()
        admin = create_user(db, "panel.admin.browser@example.org", PASSWORD, "admin")
        add_demo_responses(db, "community", 60, seed=11)
        answers = db.scalars(
            select(Answer)
            .join(Item, Item.id == Answer.item_id)
            .where(Item.kind == "text", Answer.text.is_not(None), Answer.safeguarding.is_(False))
        ).all()
        for answer in answers[:10]:
            if db.get(Quote, (answer.response_id, answer.item_id)) is None:
                db.add(
                    Quote(
                        response_id=answer.response_id,
                        item_id=answer.item_id,
                        approved_by=admin.id,
                        approved_at=now(),
                    )
                )
        db.commit()
        panel = panels.create_panel(db, admin.id, "Browser panel, Leicester city")
        survey = db.scalar(select(Questionnaire).where(Questionnaire.slug == "community"))
        review = rounds.create_round(db, admin.id, panel.id, survey, "demo", 3)
        tokens = {
            js: panels.create_invite(db, admin.id, panel, f"for the browser, JavaScript {js}")
            for js in (True, False)
        }
        first = rounds.cards(db, review.id)[0]
        return {"tokens": tokens, "round": review.id, "first": first.theme_id, "label": first.label}


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
def test_a_member_joins_and_reviews_a_round(open_phone, checker, invitation, live_app, js):
    page = open_phone("Pixel 5", js=js, viewport={"width": 360, "height": 740})
    check = checker(page)
    email = f"member.browser.{'js' if js else 'nojs'}@example.org"
    page.goto(f"/panel/join/{invitation['tokens'][js]}?lang=en")
    expect(page.get_by_role("heading", name="Join the panel")).to_be_visible()
    check("join")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Choose a password").fill(PASSWORD)
    page.get_by_label("Type the password again").fill("not the same at all")
    page.get_by_role("button", name="Join the panel").click()
    expect(page.locator(".err-sum")).to_contain_text("The two passwords are not the same")
    check("join-error")
    page.get_by_label("Choose a password").fill(PASSWORD)
    page.get_by_label("Type the password again").fill(PASSWORD)
    page.get_by_role("button", name="Join the panel").click()
    expect(page.get_by_role("heading", name="Your panel")).to_be_visible()
    check("home")
    expect(page.get_by_text("Demo data (synthetic)")).to_be_visible()  # the wave's name, not its key
    page.get_by_role("link", name="Browser panel, Leicester city").click()
    expect(page.get_by_text("You have 3 votes left")).to_be_visible()
    # Cards start closed: the whole round fits in a few screens of a 360 px phone.
    screens = page.evaluate("document.documentElement.scrollHeight / window.innerHeight")
    assert screens < 8, f"the round is {screens:.1f} screens long"
    check("round")

    card = page.locator(f"#card-{invitation['first']}")
    card.locator("summary").click()
    card.get_by_label("Partly").check()
    card.get_by_label("A better name (optional)").fill("Scared walking home")
    card.get_by_label("Comment (optional)").fill("True where I live")
    card.get_by_label("Priority votes for this theme").fill("2")
    card.get_by_role("button", name="Save").click()
    # The confirmation is inside the card that was saved, where the page lands.
    card = page.locator(f"#card-{invitation['first']}")
    expect(card.get_by_role("status")).to_contain_text("Your view of this theme is saved")
    expect(card.get_by_role("status")).to_be_in_viewport()
    expect(card).to_contain_text("Your view: Partly, 2 votes")
    expect(page.get_by_text("You have 1 vote left")).to_be_visible()
    check("saved")

    second = page.locator("section.review-card").nth(1)
    second_name = second.locator("h2").inner_text()
    second.locator("summary").click()
    second.get_by_label("Priority votes for this theme").fill("3")
    second.get_by_role("button", name="Save").click()
    expect(page.locator(".err-sum")).to_contain_text(f"“{second_name}”: You have only 1 vote left")
    failed = page.locator("section.review-card").nth(1)
    expect(failed.get_by_label("Priority votes for this theme")).to_be_visible()  # its card is open
    check("too-many-votes")

    page.goto(f"/panel/rounds/{invitation['round']}?lang=ur")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ur")
    check("round-urdu")
    with live_app.app_context():
        member = db_session().scalar(select(StaffUser).where(StaffUser.email == email))
        assert member.role == "panel_member"
        assert rounds.votes_used(db_session(), invitation["round"], member.id) == 2
