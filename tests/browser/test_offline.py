"""An event stall with one tablet and no signal: the survey opened while online, then three young
people answer in turn with the tablet offline, and once it is back online exactly three responses
are stored, each once, even when the device sends them again."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from survey_app.db import db_session
from survey_app.models import Answer, Response

from .journeys import choose, type_into
from .test_shared_devices import shared_link

pytestmark = pytest.mark.browser

WAITING = re.compile(r"Completed surveys waiting on this device to be sent: (\d+)")
ALL_SENT = "Every survey completed on this device has been sent."


def event_link(app) -> str:
    """An event's link that works without a signal, on shared devices; its key."""
    return shared_link(app, "Summer fair", type="event", offline=True).split("via=")[1]


def stored(app) -> list[Response]:
    with app.app_context():
        query = select(Response).where(Response.channel_type == "event")
        return db_session().scalars(query).all()


def continue_(page) -> None:
    page.locator("section:not([hidden]) button[value=next]").click()


def first_page(page, pet: str, snacks: str) -> None:
    choose(page, "Do you have a pet?", pet)
    if pet == "Yes":
        page.get_by_label("How many pets?").fill("2")
    choose(page, "Which snacks do you like?", snacks)
    continue_(page)


def second_page(page, nickname: str) -> None:
    choose(page, "School", "Good")
    choose(page, "Home", "Bad")
    type_into(page, "A word you like (optional)", nickname)
    continue_(page)


def send(page) -> None:
    expect(page.get_by_role("heading", name="Check your answers before sending them")).to_be_visible()
    page.get_by_role("button", name="Send my answers").click()
    thanks = page.get_by_role("heading", name="Thank you. Your answers are saved and will be sent.")
    expect(thanks).to_be_visible()
    # The help numbers are there without a signal too.
    expect(page.locator("#o-thanks").get_by_text("0800 1111")).to_be_visible()


def hand_on(page) -> None:
    page.get_by_role("button", name="Finished: hand the device on").click()
    expect(page.get_by_role("button", name="Start the survey")).to_be_visible()
    expect(page.locator("input:checked")).to_have_count(0)
    assert page.locator("#nickname").input_value() == ""


def test_three_surveys_taken_offline_are_stored_once_when_the_signal_returns(open_phone, live_app, checker):
    key = event_link(live_app)
    before = len(stored(live_app))
    page = open_phone("Pixel 5")
    check = checker(page)
    # Set up at the office: the link's start page hands over to the one-page survey, kept on the tablet.
    page.goto(f"/s/kitchen-sink/?via={key}")
    expect(page).to_have_url(re.compile(rf"/s/kitchen-sink/offline\?via={re.escape(key)}&lang=en$"))
    expect(page.get_by_text("This device is ready to take the survey without a signal.")).to_be_visible()
    check("offline start")
    # The worker answers for the survey's kept pages only: other pages come from the network as usual.
    assert page.reload().from_service_worker
    home = page.goto("/")
    assert home.ok and not home.from_service_worker
    page.goto(f"/s/kitchen-sink/offline?via={key}&lang=en")

    # At the stall: no signal at all. The page comes back from the device, even when reloaded.
    page.context.set_offline(True)
    page.reload()
    expect(page.get_by_role("button", name="Start the survey")).to_be_visible()
    # Every offered language was kept: Urdu, right to left, comes from the device too.
    page.locator('.langs a[hreflang="ur"]').click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    check("offline start in Urdu")
    page.locator('.langs a[hreflang="en"]').click()
    expect(page.locator("html")).to_have_attribute("lang", "en")

    # The first young person: a pet, a story with a phone number in it, and one mistake on the way.
    page.get_by_role("button", name="Start the survey").click()
    expect(page.get_by_text("Step 1 of 2")).to_be_visible()
    continue_(page)
    summary = page.locator(".err-sum")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Do you have a pet? Choose an answer to this question")
    check("offline page with errors")
    first_page(page, "Yes", "Fruit")
    second_page(page, "Juniper")
    type_into(page, "Tell us about your pet (optional)", "Call me on 07700 900123, my dog is called Rex")
    continue_(page)
    expect(page.locator(".o-summary")).to_contain_text("Juniper")
    check("offline check your answers")
    send(page)
    expect(page.locator("#o-thanks .o-queue")).to_have_text(WAITING)
    assert "1" in page.locator("#o-thanks .o-queue").inner_text()
    hand_on(page)

    # The second: no pet, so the pet owners' page never comes; changes an answer from the check page.
    page.get_by_role("button", name="Start the survey").click()
    first_page(page, "No", "Crisps")
    expect(page.get_by_text("Step 2 of 2")).to_be_visible()
    second_page(page, "Biscuit")
    page.locator(".summary a", has_text="Change").first.click()
    choose(page, "Which snacks do you like?", "Chocolate")
    continue_(page)
    expect(page.locator(".o-summary")).to_contain_text("Crisps; Chocolate")
    send(page)
    hand_on(page)

    # The third, after the tablet was reloaded (the queue is kept on the device, not in the page).
    page.reload()
    page.get_by_role("button", name="Start the survey").click()
    first_page(page, "Prefer not to say", "None of these")
    second_page(page, "")
    send(page)
    expect(page.locator("#o-thanks .o-queue")).to_contain_text("waiting on this device to be sent: 3")
    queue = page.evaluate("localStorage.getItem('insight-offline-queue')")
    waiting = json.loads(queue)
    assert [sorted(item) for item in waiting] == [["key", "sealed", "url", "via"]] * 3, "no time, no more"
    assert "07700" not in queue and "Juniper" not in queue and "pet" not in queue, "sealed for the server"
    assert len(stored(live_app)) == before, "nothing reached the server while offline"

    # Back online: the queue is sent, and emptied.
    page.context.set_offline(False)
    expect(page.locator("#o-thanks .o-queue")).to_have_text(ALL_SENT, timeout=15000)
    assert page.evaluate("localStorage.getItem('insight-offline-queue')") == "[]"
    responses = stored(live_app)
    assert len(responses) == before + 3
    with live_app.app_context():
        texts = set(
            db_session()
            .scalars(
                select(Answer.text).where(
                    Answer.response_id.in_([r.id for r in responses]), Answer.text.is_not(None)
                )
            )
            .all()
        )
    assert "Juniper" in texts and "Biscuit" in texts
    assert not any("07700" in text for text in texts), "redacted on the server, as any answer is"

    # The device sends the same three again (say the replies were lost): still three stored.
    page.evaluate("queue => localStorage.setItem('insight-offline-queue', queue)", queue)
    page.reload()
    expect(page.locator("#o-start .o-queue")).to_have_text(ALL_SENT, timeout=15000)
    assert len(stored(live_app)) == before + 3
    assert page.foreign_requests == [] and page.console_errors == []


def test_a_shared_tablet_offline_clears_answers_left_alone(open_phone, live_app):
    key = event_link(live_app)
    usual = live_app.config["SHARED_DEVICE_IDLE"]
    live_app.config["SHARED_DEVICE_IDLE"] = timedelta(seconds=3)
    try:
        page = open_phone("Pixel 5")
        page.goto(f"/s/kitchen-sink/offline?via={key}")
    finally:
        live_app.config["SHARED_DEVICE_IDLE"] = usual
    page.context.set_offline(True)
    page.get_by_role("button", name="Start the survey").click()
    choose(page, "Do you have a pet?", "Yes")
    expect(page.locator("#shared-device .clock")).to_have_text(re.compile(r"0:0[0-3]"))
    # Left alone: back to the start, nothing of the answers left on the page.
    expect(page.get_by_role("button", name="Start the survey")).to_be_visible(timeout=10000)
    expect(page.locator("input:checked")).to_have_count(0)
    assert page.evaluate("localStorage.getItem('insight-offline-queue')") in (None, "[]")
