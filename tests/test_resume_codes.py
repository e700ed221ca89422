"""Resume codes on personal devices: "Save and finish later" gives a code that carries the draft to
any device, once; codes cannot be guessed at the rate limit; never on a shared device."""

from __future__ import annotations

import re

from sqlalchemy import select

from survey_app.db import db_session
from survey_app.models import Response
from tests.helpers import Respondent, csrf_token, open_draft
from tests.test_shared_devices import FIRST_PAGE, youth_club

CODE = re.compile(r'id="resume-code">([A-Z0-9-]+)<')


def save_for_later(respondent: Respondent, answers: dict) -> str:
    """Press "Save and finish later" on the page on screen; the code it gives."""
    token = csrf_token(respondent.html)
    reply = respondent.answer("kitchen-sink", answers, action="later")
    # The form goes on, as it was, to the page that gives the code (the test client drops the
    # body of a 307 it follows; browsers send it again).
    assert reply.status_code == 307 and reply.headers["Location"] == "/s/kitchen-sink/later"
    reply = respondent.client.post(
        reply.headers["Location"], data={**answers, "action": "later", "csrf_token": token}
    )
    respondent.html = reply.get_data(as_text=True)
    assert reply.status_code == 200 and "Your answers are saved" in respondent.html
    return CODE.search(respondent.html).group(1)


def saved_for_later(app) -> tuple[Respondent, str]:
    """A respondent who answered the first page and pressed "Save and finish later" on the second."""
    phone = Respondent(app.test_client())
    phone.start("kitchen-sink")
    phone.answer("kitchen-sink", FIRST_PAGE, follow_redirects=True)
    return phone, save_for_later(phone, {"mood_school": "good", "nickname": "Juniper"})


def resume(app, code: str, address: str = "192.0.2.1") -> tuple[Respondent, int]:
    laptop = Respondent(app.test_client())
    laptop.client.environ_base["REMOTE_ADDR"] = address
    laptop.get(f"/s/kitchen-sink/resume?code={code}")
    assert f'value="{code}"' in laptop.html, "the link fills the code in"
    return laptop, laptop.post("/s/kitchen-sink/resume", {"code": code.lower()}).status_code


def test_a_code_moves_the_draft_to_another_device_once(app):
    phone, code = saved_for_later(app)
    assert re.fullmatch(r"[A-HJ-NP-Z2-9]{4}(-[A-HJ-NP-Z2-9]{4}){2}", code)
    assert f"/s/kitchen-sink/resume?code={code}" in phone.html
    # The phone forgets the draft: a phone left lying about does not open it without the code.
    assert "Carry on where you left off" not in phone.get("/s/kitchen-sink/").get_data(as_text=True)
    assert phone.get("/s/kitchen-sink/2").status_code == 302

    laptop, status = resume(app, code)
    assert status == 302
    assert "Carry on where you left off" in laptop.get("/s/kitchen-sink/").get_data(as_text=True)
    draft = open_draft(app, laptop.client, "kitchen-sink")
    assert draft.answers == {
        "pet": "yes",
        "pet_count": 3,
        "snacks": ["fruit"],
        "mood_school": "good",
        "nickname": "Juniper",
    }
    # The code is spent.
    refused, status = resume(app, code, "192.0.2.2")
    assert status == 422 and "has been used" in refused.html

    # Saving for later again gives a new code, which carries the answers back to be sent, once.
    laptop.get("/s/kitchen-sink/2")
    second = save_for_later(laptop, {"mood_school": "good", "mood_home": "bad"})
    assert second != code
    phone, status = resume(app, second, "192.0.2.3")
    assert status == 302
    phone.get("/s/kitchen-sink/2")
    phone.answer("kitchen-sink", {"mood_school": "good", "mood_home": "bad"}, follow_redirects=True)
    phone.answer("kitchen-sink", {"pet_story": "Biscuit"}, follow_redirects=True)
    phone.send("kitchen-sink", follow_redirects=True)
    assert "Your answers have been sent" in phone.html
    assert resume(app, second, "192.0.2.4")[1] == 422
    with app.app_context():
        assert len(db_session().scalars(select(Response.id)).all()) == 1


def test_guessing_codes_is_rate_limited(app):
    _, code = saved_for_later(app)
    app.config["ACCESS_CODE_RATE_LIMIT"] = "3 per minute"
    guesser = Respondent(app.test_client())
    guesser.client.environ_base["REMOTE_ADDR"] = "203.0.113.7"
    guesser.get("/s/kitchen-sink/resume")
    for guess in ("ABCD-EFGH-JKMN", "not a code", code[:-1]):
        assert guesser.post("/s/kitchen-sink/resume", {"code": guess}).status_code == 422
        assert "That code is not right" in guesser.html
    assert guesser.post("/s/kitchen-sink/resume", {"code": code}).status_code == 429
    # The right code still works from elsewhere: the refusal spent nothing.
    assert resume(app, code, "198.51.100.4")[1] == 302


def test_no_codes_on_a_shared_device(app):
    key = youth_club(app)
    device = Respondent(app.test_client())
    device.start("kitchen-sink", via=key)
    assert "Save and finish later" not in device.html
    token = csrf_token(device.html)
    assert device.answer("kitchen-sink", FIRST_PAGE, action="later").status_code == 307
    refused = device.client.post("/s/kitchen-sink/later", data={**FIRST_PAGE, "csrf_token": token})
    assert refused.status_code == 400 and "resume-code" not in refused.get_data(as_text=True)
    assert device.get("/s/kitchen-sink/resume").status_code == 403
