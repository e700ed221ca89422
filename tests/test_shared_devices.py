"""Shared-device links (a class on the school's tablets, a youth club's laptop): one person after
another in one browser, and nothing of one is offered or shown to the next."""

from __future__ import annotations

import time
from datetime import timedelta

from sqlalchemy import select

from survey_app.db import db_session
from survey_app.models import AuditEvent, Channel, Draft, Response
from tests.helpers import Respondent, csrf_token
from tests.test_staff_access import signed_in
from tests.test_staff_channels import add_channel, channel_key
from tests.test_staff_surveys import KITCHEN, post

FIRST_PAGE = {"pet": "yes", "pet_count": "3", "snacks": ["fruit"]}


def youth_club(app) -> str:
    """A youth club's link: shared devices, as is usual for the type."""
    response = add_channel(signed_in(app, "admin"), name="Friday club", type="youth_club", area="melton")
    assert response.status_code == 302
    with app.app_context():
        assert db_session().scalar(select(Channel.devices).where(Channel.name == "Friday club")) == "shared"
    return channel_key(app, "Friday club")


def drafts(app) -> int:
    with app.app_context():
        return len(db_session().scalars(select(Draft.token_hash)).all())


def test_the_next_person_on_a_shared_device_starts_afresh_and_sees_nothing(app):
    key = youth_club(app)
    device = Respondent(app.test_client())
    # The first person chooses Polish, answers a page and walks away without finishing.
    device.get(f"/s/kitchen-sink/?via={key}&lang=pl")
    assert device.client.get_cookie("lang").value == "pl"
    assert "Kontynuuj" not in device.html and "Save and finish later" not in device.html
    device.post("/s/kitchen-sink/start", {}, follow_redirects=True)
    device.answer("kitchen-sink", FIRST_PAGE, follow_redirects=True)
    assert 'action="/s/kitchen-sink/2"' in device.html
    assert 'autocomplete="off"' in device.html, "no browser suggests one person's typing to the next"
    assert 'value="later"' not in device.html and 'id="shared-device"' in device.html

    # The next person opens the link: a fresh start page in the device's language, no "carry on".
    opened = device.get(f"/s/kitchen-sink/?via={key}")
    assert opened.status_code == 302 and device.client.get_cookie("lang") is None
    device.get(opened.headers["Location"])
    assert "Start the survey" in device.html and "Carry on where you left off" not in device.html
    assert "This device is shared" in device.html and "code from last time" not in device.html
    assert drafts(app) == 0
    # The first person's pages, from the history, lead back to the start.
    assert device.get("/s/kitchen-sink/2").status_code == 302

    # The second person finishes: the thank-you page shows no answers and hands the device on.
    device.complete("kitchen-sink", KITCHEN)
    assert "Your answers have been sent" in device.html
    assert "See exactly what we stored" not in device.html and "Finished: hand the device on" in device.html
    handed = device.post("/s/kitchen-sink/hand-over", {})
    assert handed.status_code == 303 and handed.headers["Location"] == "/s/kitchen-sink/next"
    device.get("/s/kitchen-sink/next")
    assert "Finished: hand the device on" in device.html
    with device.client.session_transaction() as session:
        kept = {name: value for name, value in session.items() if name != "_fresh"}  # Flask-Login's
    assert kept == {"via": {"kitchen-sink": key}}, "only the device's link is kept"
    with app.app_context():
        stored = db_session().scalars(select(Response)).all()
    assert [(r.channel_type, r.language) for r in stored] == [("youth_club", "en")]
    # The third person starts through the same link without scanning it again.
    device.start("kitchen-sink")
    assert "This device is shared" in device.get("/s/kitchen-sink/1").get_data(as_text=True)


def test_idle_answers_are_deleted_by_the_server(app):
    key = youth_club(app)
    app.config["SHARED_DEVICE_IDLE"] = timedelta(seconds=1)
    device = Respondent(app.test_client())
    device.start("kitchen-sink", via=key)
    assert (
        device.client.post(
            "/s/kitchen-sink/still-here", headers={"X-CSRFToken": csrf_token(device.html)}
        ).status_code
        == 204
    )
    time.sleep(1.2)
    # Without JavaScript: the next page sent is too late, and the server has cleared the answers.
    left = device.answer("kitchen-sink", FIRST_PAGE)
    assert left.status_code == 303 and left.headers["Location"] == "/s/kitchen-sink/next"
    assert drafts(app) == 0
    device.get("/s/kitchen-sink/next")
    assert "cleared because nobody used it for 1 second" in device.html
    # With JavaScript: the countdown's "still here" finds them gone (and clears the cookie).
    device.start("kitchen-sink")
    time.sleep(1.2)
    assert (
        device.client.post(
            "/s/kitchen-sink/still-here", headers={"X-CSRFToken": csrf_token(device.html)}
        ).status_code
        == 410
    )
    assert drafts(app) == 0
    with device.client.session_transaction() as session:
        assert "drafts" not in session


def test_a_personal_link_is_unchanged_and_staff_can_choose(app):
    admin = signed_in(app, "admin")
    add_channel(admin, name="Year 9 phones", devices="personal")
    add_channel(admin, name="Stall", type="event", devices="")
    add_channel(admin, name="Library", type="community_group", devices="shared")
    with app.app_context():
        modes = dict(db_session().execute(select(Channel.name, Channel.devices)).all())
    assert modes == {"Year 9 phones": "personal", "Stall": "shared", "Library": "shared"}
    page = admin.get("/staff/surveys/kitchen-sink/channels").get_data(as_text=True)
    assert page.count("<dd>Shared: people answer one after another") == 2
    assert "or leaves the device for 5 minutes" in page
    assert add_channel(admin, name="Odd", devices="borrowed").status_code == 422
    poster = admin.get("/staff/surveys/kitchen-sink/channels/2/poster.svg").get_data(as_text=True)
    assert "On a shared tablet: your answers are cleared" in poster and "5 minutes unused." in poster
    # A link already given out can be switched; the change is audited.
    switched = post(admin, "/staff/surveys/kitchen-sink/channels/2/devices", {"devices": "personal"})
    assert switched.status_code == 302
    assert post(admin, "/staff/surveys/kitchen-sink/channels/2/devices", {"devices": "x"}).status_code == 400
    with app.app_context():
        assert db_session().get(Channel, 2).devices == "personal"
        audit = select(AuditEvent.detail).where(AuditEvent.action == "channel devices changed")
        assert db_session().scalar(audit) == {"channel": 2, "devices": "personal", "offline": False}
