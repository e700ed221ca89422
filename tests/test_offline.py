"""Links that work without a signal: what the server takes from a device's queue, on SQLite and
PostgreSQL. A survey sent twice, or by two tries at once, is stored once; whatever does not fit is
refused with a message that says which field and why, and nothing is stored."""

from __future__ import annotations

import base64
import json
import os
import secrets
from concurrent.futures import ThreadPoolExecutor

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import func, select

from survey_app.db import db_session
from survey_app.models import ActivityCount, Answer, Channel, Questionnaire, Response, SentSurvey
from survey_app.taking.offline import SEAL_INFO, public_key
from tests.test_staff_access import signed_in
from tests.test_staff_channels import add_channel, channel_key
from tests.test_staff_surveys import post

COMPLETE = {
    "pet": "yes",
    "pet_count": "3",
    "snacks": ["fruit", "crisps"],
    "mood_school": "good",
    "mood_home": "bad",
    "nickname": "Juniper",
    "pet_story": ("My name is Jordan Smith, text 07700 900123. My uncle hits me at home and I am scared."),
}


def event_link(app, admin=None, name: str = "Summer fair stall") -> str:
    """An event's link, set up to work without a signal, added as an admin adds it."""
    response = add_channel(
        admin or signed_in(app, "admin"), name=name, type="event", area="melton", offline="y"
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return channel_key(app, name)


def version_of(app, slug: str = "kitchen-sink") -> int:
    with app.app_context():
        return db_session().scalar(select(Questionnaire.current_version_id).where(Questionnaire.slug == slug))


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def seal(server_key: str, key: str, content: object, *, aad: str | None = None) -> dict:
    """What offline.js does: ECDH with a new P-256 key and the server's, HKDF, AES-GCM bound to `key`."""
    point = base64.urlsafe_b64decode(server_key + "=" * (-len(server_key) % 4))
    server = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    device = ec.generate_private_key(ec.SECP256R1())
    aes = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=SEAL_INFO).derive(
        device.exchange(ec.ECDH(), server)
    )
    iv = os.urandom(12)
    data = AESGCM(aes).encrypt(iv, json.dumps(content).encode(), (aad or key).encode())
    epk = device.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return {"epk": b64(epk), "iv": b64(iv), "data": b64(data)}


def queued(app, link: str, **changes) -> dict:
    """A completed survey as a device sends it; `changes` replace the outer fields (key, via,
    sealed) or the sealed ones (version, language, answers)."""
    key = changes.pop("key", secrets.token_urlsafe(16))
    outer = {name: changes.pop(name) for name in ("via", "sealed") if name in changes}
    content = {"version": version_of(app), "language": "en", "answers": dict(COMPLETE), **changes}
    sealed = seal(public_key(app.config["SECRET_KEY"]), key if isinstance(key, str) else "x", content)
    return {"key": key, "via": link, "sealed": sealed, **outer}


def stored(app) -> int:
    with app.app_context():
        return db_session().scalar(select(func.count()).select_from(Response))


def test_a_queued_survey_is_stored_once_however_often_it_is_sent(app, client):
    via = event_link(app)
    survey = queued(app, via)
    first = client.post("/s/kitchen-sink/queued", json=survey)
    assert first.status_code == 201 and first.json == {"stored": True}
    # The reply was lost on the way back, so the device sends it again, and again later.
    for _ in range(3):
        again = client.post("/s/kitchen-sink/queued", json=survey)
        assert again.status_code == 200 and again.json == {"stored": True}
    assert stored(app) == 1
    # Another completed survey from the same device is another response.
    assert client.post("/s/kitchen-sink/queued", json=queued(app, via)).status_code == 201
    assert stored(app) == 2


def test_one_address_sending_too_many_is_asked_to_wait(app, client):
    app.config["QUEUED_SURVEY_RATE_LIMIT"] = "3 per minute"
    via = event_link(app)
    statuses = [client.post("/s/kitchen-sink/queued", json=queued(app, via)).status_code for _ in range(4)]
    assert statuses == [201, 201, 201, 429]
    assert stored(app) == 3, "the fourth waits on the device and is sent later"


def test_two_tries_at_once_store_one_response(app):
    via = event_link(app)
    survey = queued(app, via)

    def send(_n: int) -> int:
        return app.test_client().post("/s/kitchen-sink/queued", json=survey).status_code

    with ThreadPoolExecutor(max_workers=6) as pool:
        statuses = sorted(pool.map(send, range(6)))
    assert statuses.count(201) == 1 and statuses.count(200) == 5, statuses
    assert stored(app) == 1


def test_a_queued_survey_is_checked_redacted_screened_and_counted_like_any_other(app, client):
    via = event_link(app)
    assert client.post("/s/kitchen-sink/queued", json=queued(app, via, language="pl")).status_code == 201
    with app.app_context():
        session = db_session()
        response = session.scalar(select(Response))
        story = session.scalar(select(Answer).where(Answer.text.like("%uncle%")))
        keys = session.scalars(select(SentSurvey.key_hash)).all()
        counts = dict(
            session.execute(
                select(ActivityCount.event, ActivityCount.count)
                .join(Channel, Channel.id == ActivityCount.channel_id)
                .where(Channel.key == via)
            ).all()
        )
    assert (response.channel_type, response.channel_area, response.language) == ("event", "melton", "pl")
    assert len(response.submitted_month) == 7, "the month only"
    assert "Jordan" not in story.text and "07700" not in story.text and "[phone]" in story.text
    assert story.safeguarding is True and story.safeguarding_harm == "abuse_at_home"
    # Only a hash of the device's key: the key itself is stored nowhere.
    assert len(keys) == 1 and len(keys[0]) == 64
    assert counts == {
        "started": 1,
        "page:first": 1,
        "page:second": 1,
        "page:only_pet_owners": 1,
        "submitted": 1,
    }


def test_answers_to_questions_that_do_not_apply_are_dropped(app, client):
    via = event_link(app)
    survey = queued(app, via, answers={**COMPLETE, "pet": "no"})
    assert client.post("/s/kitchen-sink/queued", json=survey).status_code == 201
    with app.app_context():
        texts = db_session().scalars(select(Answer.text).where(Answer.text.is_not(None))).all()
        numbers = db_session().scalars(select(Answer.number).where(Answer.number.is_not(None))).all()
    assert texts == ["Juniper"] and numbers == [], "no pet: neither the count nor the story is kept"


@pytest.mark.parametrize(
    ("changes", "status", "message"),
    [
        ({"key": "short"}, 400, "'key' must be 16 to 64"),
        ({"key": None}, 400, "'key' must be 16 to 64"),
        ({"via": 7}, 400, "'via' must be the key of the link"),
        ({"version": "1"}, 400, "'version' must be the number"),
        ({"version": True}, 400, "'version' must be the number"),
        ({"version": 2**40}, 400, "'version' must be the number"),
        ({"version": 999_999}, 410, "This survey has closed"),
        ({"language": "xx"}, 400, "'language' must be one of en"),
        ({"answers": ["pet"]}, 400, "'answers' must map each answer key"),
        ({"answers": {"pet": 3}}, 400, "'answers' must map each answer key"),
        (
            {"answers": {**COMPLETE, "favourite_colour": "red"}},
            422,
            "'favourite_colour' is not a question of this version",
        ),
        (
            {"answers": {**COMPLETE, "pet_count": "99"}},
            422,
            "How many pets?: Enter a whole number from 1 to 20",
        ),
        (
            {"answers": {**COMPLETE, "pet_count": "three"}},
            422,
            "How many pets?: Enter a whole number using digits",
        ),
        (
            {"answers": {**COMPLETE, "snacks": ["fruit", "none_of_these"]}},
            422,
            'Which snacks do you like?: "None of these" cannot be ticked with other options',
        ),
        (
            {"answers": {**COMPLETE, "snacks": ["fruit", "crisps", "chocolate"]}},
            422,
            "Which snacks do you like?: Choose at most 2 options",
        ),
        ({"answers": {**COMPLETE, "pet": "maybe"}}, 422, "Do you have a pet?: The option sent is not part"),
        (
            {"answers": {**COMPLETE, "nickname": "x" * 21}},
            422,
            "A word you like: Your answer is too long: 21",
        ),
        (
            {"answers": {key: value for key, value in COMPLETE.items() if key != "mood_home"}},
            422,
            "Home: Choose an answer to this question",
        ),
        ({"via": "no-such-link"}, 404, "closed or no longer works without a signal"),
        ({"via": "a\x00b"}, 400, "'via' must be the key of the link"),
        ({"answers": {**COMPLETE, "nickname": "Jun\x00iper"}}, 400, "contains a NUL character"),
        ({"answers": {**COMPLETE, "snacks": ["fruit\x00"]}}, 400, "contains a NUL character"),
        ({"sealed": None}, 400, "'sealed' must be an object with epk, iv and data"),
        (
            {"sealed": {"epk": "AAAA", "iv": "AAAAAAAAAAAAAAAA", "data": "AAAA"}},
            400,
            "'sealed.epk' must be a P-256",
        ),
        ({"sealed": {"epk": "!!", "iv": "", "data": ""}}, 400, "'sealed.epk' must be base64url text"),
    ],
)
def test_what_does_not_fit_is_refused_with_its_reason_and_nothing_is_stored(
    app, client, changes, status, message
):
    via = event_link(app)
    response = client.post("/s/kitchen-sink/queued", json=queued(app, via, **changes))
    assert response.status_code == status and message in response.json["error"], response.json
    assert stored(app) == 0
    with app.app_context():
        assert db_session().scalar(select(func.count()).select_from(SentSurvey)) == 0


def test_sealed_answers_open_only_with_this_server_key_and_under_their_own_key(app, client):
    via = event_link(app)
    content = {"version": version_of(app), "language": "en", "answers": COMPLETE}
    key = secrets.token_urlsafe(16)
    refusals = {
        # Sealed for a server with another SECRET_KEY.
        "other server": seal(public_key("another secret"), key, content),
        # A sealed survey copied under another key, to be stored twice.
        "other key": seal(public_key(app.config["SECRET_KEY"]), key, content, aad=secrets.token_urlsafe(16)),
    }
    good = seal(public_key(app.config["SECRET_KEY"]), key, content)
    refusals["changed"] = {**good, "data": b64(base64.urlsafe_b64decode(good["data"] + "==")[::-1])}
    refusals["short iv"] = {**good, "iv": b64(b"123")}
    for name, sealed in refusals.items():
        response = client.post("/s/kitchen-sink/queued", json={"key": key, "via": via, "sealed": sealed})
        assert response.status_code == 400, name
        assert "cannot be opened" in response.json["error"] or "12 bytes" in response.json["error"], name
    not_json = client.post(
        "/s/kitchen-sink/queued",
        json={"key": key, "via": via, "sealed": seal(public_key(app.config["SECRET_KEY"]), key, "[1, 2]")},
    )
    assert not_json.status_code == 400 and "must be an object" in not_json.json["error"]
    assert stored(app) == 0
    stored_now = client.post("/s/kitchen-sink/queued", json={"key": key, "via": via, "sealed": good})
    assert stored_now.status_code == 201


def test_only_json_from_an_open_offline_link_of_an_open_survey_is_taken(app, client):
    admin = signed_in(app, "admin")
    via = event_link(app, admin)
    survey = queued(app, via)
    assert client.post("/s/kitchen-sink/queued", data={"key": survey["key"]}).status_code == 415
    assert client.post("/s/kitchen-sink/queued", data="{", content_type="application/json").status_code == 400
    # The link, for another survey.
    other = client.post("/s/young-people/queued", json=survey)
    assert other.status_code == 404
    # A link that needs a signal takes nothing this way.
    personal = add_channel(admin, name="Online", type="online", area="")
    assert personal.status_code == 302
    online = client.post("/s/kitchen-sink/queued", json=queued(app, channel_key(app, "Online")))
    assert online.status_code == 404
    # A version of another survey.
    foreign = client.post(
        "/s/kitchen-sink/queued", json=queued(app, via, version=version_of(app, "young-people"))
    )
    assert foreign.status_code == 410
    with app.app_context():
        db_session().execute(
            Questionnaire.__table__.update().where(Questionnaire.slug == "kitchen-sink").values(is_open=False)
        )
        db_session().commit()
    closed = client.post("/s/kitchen-sink/queued", json=survey)
    assert closed.status_code == 410 and "closed" in closed.json["error"]
    assert stored(app) == 0


def test_the_one_page_survey_and_its_worker_exist_only_for_offline_links(app, client):
    admin = signed_in(app, "admin")
    via = event_link(app, admin)
    page = client.get(f"/s/kitchen-sink/offline?via={via}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert 'id="offline-rules"' in html and html.count('class="o-page"') == 3
    assert "<noscript>" in html and f"/s/kitchen-sink/?via={via}" in html
    assert "csrf_token" not in html, "the page is kept for days: no session token in it"
    assert f'data-seal="{public_key(app.config["SECRET_KEY"])}"' in html
    worker = client.get(f"/offline-worker.js?via={via}")
    script = worker.get_data(as_text=True)
    assert worker.status_code == 200 and worker.mimetype == "text/javascript"
    assert f"/s/kitchen-sink/offline?via={via}&lang=ur" in script and "/help?lang=ar" in script
    assert "/static/offline.js?v=" in script and 'const STATIC = "/static/";' in script
    start = client.get(f"/s/kitchen-sink/?via={via}").get_data(as_text=True)
    assert 'id="offline-link"' in start and "offline.js" in start

    add_channel(admin, name="Online", type="online", area="")
    online = channel_key(app, "Online")
    assert client.get(f"/s/kitchen-sink/offline?via={online}").status_code == 404
    assert client.get(f"/offline-worker.js?via={online}").status_code == 404
    assert client.get("/offline-worker.js").status_code == 404
    assert "offline" not in client.get(f"/s/kitchen-sink/?via={online}").get_data(as_text=True)


def test_staff_choose_offline_links_but_not_with_access_codes(app):
    admin = signed_in(app, "admin")
    refused = add_channel(
        admin, name="Coded fair", type="event", area="melton", offline="y", requires_code="y", codes="5"
    )
    assert refused.status_code == 422 and "cannot ask for access codes" in refused.get_data(as_text=True)
    via = event_link(app, admin)
    page = admin.get("/staff/surveys/kitchen-sink/channels").get_data(as_text=True)
    assert "Works without a signal" in page and "open the link on each tablet" in page
    with app.app_context():
        channel_id = db_session().scalar(select(Channel.id).where(Channel.key == via))
    poster = admin.get(f"/staff/surveys/kitchen-sink/channels/{channel_id}/poster.svg").get_data(as_text=True)
    assert "Once the survey is open, it works without a signal." in poster
    # Saving the link's settings without the box ticked turns it off; ticking it turns it on again.
    url = f"/staff/surveys/kitchen-sink/channels/{channel_id}/devices"
    assert post(admin, url, {"devices": "shared"}).status_code == 302
    assert admin.get(f"/s/kitchen-sink/offline?via={via}").status_code == 404
    assert post(admin, url, {"devices": "shared", "offline": "y"}).status_code == 302
    assert admin.get(f"/s/kitchen-sink/offline?via={via}").status_code == 200
