"""Running surveys from the staff area: open and close, waves, all audited."""

from __future__ import annotations

from sqlalchemy import select

from survey_app.db import db_session
from survey_app.definitions import load_file
from survey_app.models import AuditEvent, Response, Wave
from tests.conftest import TEST_QUESTIONNAIRES
from tests.helpers import Respondent, csrf_token
from tests.test_staff_access import signed_in

KITCHEN = load_file(TEST_QUESTIONNAIRES / "kitchen-sink.yaml")


def post(client, url: str, data: dict):
    token = csrf_token(client.get("/staff/").get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **data})


def test_closing_a_survey_stops_answers_and_is_audited(app):
    client = signed_in(app, "admin")
    assert post(client, "/staff/surveys/kitchen-sink/status", {"open": "0"}).status_code == 302
    assert app.test_client().get("/s/kitchen-sink/").status_code == 404
    assert 'href="/s/kitchen-sink/"' not in app.test_client().get("/").get_data(as_text=True)
    post(client, "/staff/surveys/kitchen-sink/status", {"open": "1"})
    assert app.test_client().get("/s/kitchen-sink/").status_code == 200
    with app.app_context():
        actions = db_session().scalars(select(AuditEvent.action)).all()
    assert "survey closed" in actions and "survey opened" in actions


def test_a_named_wave_collects_new_responses(app):
    client = signed_in(app, "admin")
    response = post(
        client,
        "/staff/surveys/kitchen-sink/waves",
        {"key": "2026-autumn", "label": "Autumn 2026", "make_current": "y"},
    )
    assert response.status_code == 302
    assert "Autumn 2026" in client.get("/staff/surveys/kitchen-sink").get_data(as_text=True)
    Respondent(app.test_client()).complete("kitchen-sink", KITCHEN)
    with app.app_context():
        wave = db_session().scalar(select(Wave).where(Wave.key == "2026-autumn"))
        assert db_session().scalar(select(Response.wave_id)) == wave.id
    post(client, "/staff/surveys/kitchen-sink/current-wave", {"wave": ""})
    Respondent(app.test_client()).complete("kitchen-sink", KITCHEN)
    with app.app_context():
        waves = sorted(db_session().scalars(select(Response.wave_id)), key=str)
    assert waves == sorted([wave.id, None], key=str)


def test_bad_wave_names_are_refused_clearly(app):
    client = signed_in(app, "admin")
    for key, words in [("Autumn 2026", "not a valid wave name"), ("demo", "reserved")]:
        response = post(client, "/staff/surveys/kitchen-sink/waves", {"key": key, "label": "A label"})
        assert response.status_code == 422 and words in response.get_data(as_text=True)
    post(client, "/staff/surveys/kitchen-sink/waves", {"key": "spring", "label": "Spring"})
    again = post(client, "/staff/surveys/kitchen-sink/waves", {"key": "spring", "label": "Spring"})
    assert again.status_code == 422 and "already has a wave" in again.get_data(as_text=True)
    unknown = post(client, "/staff/surveys/kitchen-sink/current-wave", {"wave": "winter"})
    assert unknown.status_code == 400 and "no real wave" in unknown.get_data(as_text=True)
    assert client.get("/staff/surveys/nope").status_code == 404
