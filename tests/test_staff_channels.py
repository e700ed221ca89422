"""Distribution links: each response records its channel's type and district (never the link or a
person), small channels are flagged, QR posters point at the link, and one-time access codes stop a
second submission without being linked to any response."""

from __future__ import annotations

import logging
import re

import pytest
from sqlalchemy import func, select

from survey_app.accounts import create_user
from survey_app.db import db_session
from survey_app.models import AccessCode, ActivityCount, AuditEvent, Channel, Response
from survey_app.surveys.channels import display_code
from tests.helpers import Respondent
from tests.test_staff_access import PASSWORD, log_in, signed_in
from tests.test_staff_surveys import KITCHEN, post


def add_channel(client, **fields):
    data = {
        "name": "Year 9, City School",
        "type": "school",
        "area": "leicester",
        "expected_size": "",
        "codes": "",
        **fields,
    }
    return post(client, "/staff/surveys/kitchen-sink/channels", data)


def channel_key(app, name: str) -> str:
    with app.app_context():
        return db_session().scalar(select(Channel.key).where(Channel.name == name))


def responses(app) -> list[Response]:
    with app.app_context():
        return list(db_session().scalars(select(Response)))


def test_a_response_records_the_type_and_district_of_its_link_and_nothing_more(app):
    admin = signed_in(app, "admin")
    # On people's own phones: a shared device's thank-you page shows no answers (test_shared_devices.py).
    response = add_channel(admin, devices="personal")
    assert response.status_code == 302 and "#channel-" in response.headers["Location"]
    key = channel_key(app, "Year 9, City School")
    through_link = Respondent(app.test_client())
    through_link.complete("kitchen-sink", KITCHEN, via=key)
    # "What we stored" tells the respondent about the link too.
    assert "The kind of place your link came from</dt><dd>School, Leicester</dd>" in through_link.html
    Respondent(app.test_client()).complete("kitchen-sink", KITCHEN)
    stored = sorted(responses(app), key=lambda r: r.channel_type or "")
    assert [(r.channel_type, r.channel_area) for r in stored] == [(None, None), ("school", "leicester")]
    with app.app_context():
        audit = db_session().scalars(select(AuditEvent.action)).all()
    assert "channel added" in audit


def test_an_unknown_link_still_lets_people_take_part(app):
    respondent = Respondent(app.test_client())
    assert respondent.get("/s/kitchen-sink/?via=no-such-key").status_code == 200
    respondent.complete("kitchen-sink", KITCHEN, via="no-such-key")
    assert [(r.channel_type, r.channel_area) for r in responses(app)] == [(None, None)]


def test_the_link_survives_a_change_of_language(app, compiled_translations):
    admin = signed_in(app, "admin")
    add_channel(admin, name="Youth club", type="youth_club", area="melton")
    key = channel_key(app, "Youth club")
    respondent = Respondent(app.test_client())
    respondent.get(f"/s/kitchen-sink/?via={key}")
    respondent.get("/s/kitchen-sink/?lang=pl")
    respondent.complete("kitchen-sink", KITCHEN)
    assert [(r.channel_type, r.channel_area) for r in responses(app)] == [("youth_club", "melton")]


def test_counters_count_starts_pages_and_submissions_per_channel_not_per_person(app):
    admin = signed_in(app, "admin")
    add_channel(admin)
    key = channel_key(app, "Year 9, City School")
    finisher = Respondent(app.test_client())
    finisher.complete("kitchen-sink", KITCHEN, via=key)
    leaver = Respondent(app.test_client())
    leaver.start("kitchen-sink", via=key)
    first_page = KITCHEN.pages[0]
    from tests.helpers import page_answers

    leaver.answer("kitchen-sink", page_answers(first_page), follow_redirects=True)
    leaver.answer("kitchen-sink", {}, action="back", follow_redirects=True)
    leaver.answer("kitchen-sink", page_answers(first_page), follow_redirects=True)
    with app.app_context():
        channel_id = db_session().scalar(select(Channel.id).where(Channel.key == key))
        counts = {
            event: count
            for event, count in db_session().execute(
                select(ActivityCount.event, func.sum(ActivityCount.count))
                .where(ActivityCount.channel_id == channel_id)
                .group_by(ActivityCount.event)
            )
        }
        weeks = set(db_session().scalars(select(ActivityCount.week)))
    assert counts["started"] == 2 and counts["submitted"] == 1
    # Going back and forward again does not count a page twice.
    assert counts[f"page:{first_page.id}"] == 2
    assert counts[f"page:{KITCHEN.pages[-1].id}"] == 1
    assert all(re.fullmatch(r"\d{4}-W\d{2}", week) for week in weeks)


def test_small_and_pooled_channels_are_flagged(app):
    admin = signed_in(app, "admin")
    response = add_channel(admin, name="Reading group", type="community_group", expected_size="6")
    page = admin.get(response.headers["Location"]).get_data(as_text=True)
    assert "reaches fewer than 10 people" in page
    assert page.count('class="warn"') == 1
    add_channel(admin, name="Drop-in", type="community_group")
    page = admin.get("/staff/surveys/kitchen-sink/channels").get_data(as_text=True)
    assert "Pooled with Reading group" in page and "Pooled with Drop-in" in page
    # Without an expected size, a channel is small until ten responses have come through it.
    assert page.count('class="warn"') == 2


def test_bad_channel_input_is_refused_with_reasons(app):
    admin = signed_in(app, "admin")
    response = add_channel(admin, name="", type="nonsense", area="atlantis", expected_size="0")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Enter a name for the link" in html and "Enter a number from 1 to 1,000,000" in html
    assert 'href="#name"' in html
    with app.app_context():
        assert db_session().scalar(select(func.count(Channel.id))) == 0


def test_analysts_see_links_but_cannot_add_them(app):
    admin = signed_in(app, "admin")
    add_channel(admin)
    with app.app_context():
        create_user(db_session(), "analyst@example.org", PASSWORD, "analyst")
    analyst = app.test_client()
    log_in(analyst, "analyst@example.org")
    page = analyst.get("/staff/surveys/kitchen-sink/channels").get_data(as_text=True)
    assert "Year 9, City School" in page and "Add a link" not in page and "poster.svg" not in page


def test_the_poster_is_an_svg_with_the_link(app):
    admin = signed_in(app, "admin")
    add_channel(admin)
    key = channel_key(app, "Year 9, City School")
    poster = admin.get("/staff/surveys/kitchen-sink/channels/1/poster.svg")
    assert poster.status_code == 200 and poster.mimetype == "image/svg+xml"
    svg = poster.get_data(as_text=True)
    assert f"http://localhost/s/kitchen-sink/?via={key}" in svg
    assert 'role="img"' in svg and "<title" in svg and re.search(r'<path fill="#0b0c0c" d="M', svg)
    assert admin.get("/staff/surveys/kitchen-sink/channels/99/poster.svg").status_code == 404
    assert admin.get("/staff/surveys/community/channels/1/poster.svg").status_code == 404


def test_links_use_the_public_address_when_one_is_set(app):
    app.config["PUBLIC_URL"] = "https://insight.example.org"
    admin = signed_in(app, "admin")
    add_channel(admin)
    page = admin.get("/staff/surveys/kitchen-sink/channels").get_data(as_text=True)
    assert "https://insight.example.org/s/kitchen-sink/?via=" in page


def without_values(html: str) -> str:
    """A page without its form values (the CSRF token, the code as typed)."""
    return re.sub(r'value="[^"]*"', "", html)


@pytest.fixture
def closed_group(app):
    admin = signed_in(app, "admin")
    # Each on their own phone: people come back to the start page of a draft they began.
    add_channel(admin, name="Class 10B", requires_code="y", codes="3", devices="personal")
    with app.app_context():
        codes = list(db_session().scalars(select(AccessCode.code).order_by(AccessCode.code)))
    return admin, channel_key(app, "Class 10B"), codes


def test_each_access_code_lets_one_person_answer_once(app, closed_group):
    _, key, codes = closed_group
    assert len(codes) == 3 and all(re.fullmatch(r"[A-HJ-NP-Z2-9]{8}", code) for code in codes)
    respondent = Respondent(app.test_client())
    page = respondent.get(f"/s/kitchen-sink/?via={key}").get_data(as_text=True)
    assert 'id="code"' in page
    refused = respondent.post("/s/kitchen-sink/start", {"code": ""})
    assert refused.status_code == 422 and "Enter the access code" in respondent.html
    refused = respondent.post("/s/kitchen-sink/start", {"code": "ABCD-EFGH"})
    assert refused.status_code == 422 and "not right" in respondent.html
    unknown = without_values(respondent.html)
    # Typed in lower case, with the hyphen and spaces people copy from the slip.
    Respondent(app.test_client()).complete(
        "kitchen-sink", KITCHEN, via=key, code=f" {display_code(codes[0]).lower()} "
    )
    again = Respondent(app.test_client())
    again.get(f"/s/kitchen-sink/?via={key}")
    assert again.post("/s/kitchen-sink/start", {"code": codes[0]}).status_code == 422
    assert without_values(again.html) == unknown, "a used code is answered as an unknown one"
    with app.app_context():
        used = dict(db_session().execute(select(AccessCode.code, AccessCode.used)).all())
    assert used == {codes[0]: True, codes[1]: False, codes[2]: False}
    assert [(r.channel_type, r.channel_area) for r in responses(app)] == [("school", "leicester")]


def test_a_code_is_spent_when_the_survey_starts(app, closed_group):
    _, key, codes = closed_group
    first, second = Respondent(app.test_client()), Respondent(app.test_client())
    assert "Step 1 of" in first.start("kitchen-sink", key, codes[1]).get_data(as_text=True)
    with app.app_context():
        assert db_session().get(AccessCode, codes[1]).used, "spent before any answer is written"
    assert second.start("kitchen-sink", key, codes[1]).status_code == 422
    assert "not right" in second.html
    first.complete("kitchen-sink", KITCHEN)
    assert len(responses(app)) == 1


def test_a_code_of_another_group_is_refused(app, closed_group):
    admin, key, _ = closed_group
    add_channel(admin, name="Class 11C", requires_code="y", codes="1")
    with app.app_context():
        other = db_session().scalar(select(AccessCode.code).join(Channel).where(Channel.name == "Class 11C"))
    respondent = Respondent(app.test_client())
    respondent.get(f"/s/kitchen-sink/?via={key}")
    assert respondent.post("/s/kitchen-sink/start", {"code": other}).status_code == 422
    with app.app_context():
        assert not db_session().get(AccessCode, other).used


def test_access_code_attempts_are_rate_limited(app, closed_group, caplog):
    _, key, codes = closed_group
    app.config["ACCESS_CODE_RATE_LIMIT"] = "3 per minute"
    caplog.set_level(logging.DEBUG)
    respondent = Respondent(app.test_client())
    respondent.client.environ_base["REMOTE_ADDR"] = "203.0.113.99"
    respondent.get(f"/s/kitchen-sink/?via={key}")
    for _ in range(3):
        assert respondent.post("/s/kitchen-sink/start", {"code": "ABCD-EFGH"}).status_code == 422
        respondent.get(f"/s/kitchen-sink/?via={key}")
    assert respondent.post("/s/kitchen-sink/start", {"code": codes[2]}).status_code == 429
    assert "Too many attempts" in respondent.html
    with app.app_context():
        assert not db_session().get(AccessCode, codes[2]).used
    assert "203.0.113.99" not in caplog.text, "the refusal is not logged with the address"
    open_survey = Respondent(app.test_client())
    open_survey.get("/s/kitchen-sink/")
    assert open_survey.post("/s/kitchen-sink/start", {}).status_code == 302, "no code typed: no limit"


def test_codes_can_be_added_and_printed(app, closed_group):
    admin, _, codes = closed_group
    page = admin.get("/staff/surveys/kitchen-sink/channels/1/codes").get_data(as_text=True)
    assert all(display_code(code) in page for code in codes)
    response = post(admin, "/staff/surveys/kitchen-sink/channels/1/codes", {"count": "2"})
    assert response.status_code == 302
    page = admin.get(response.headers["Location"]).get_data(as_text=True)
    assert "5 codes not yet used." in page
    assert post(admin, "/staff/surveys/kitchen-sink/channels/1/codes", {"count": "0"}).status_code == 422
    add_channel(admin, name="Open event", type="event")
    assert post(admin, "/staff/surveys/kitchen-sink/channels/2/codes", {"count": "5"}).status_code == 400
