"""`insight demo-data`: synthetic responses through the real storage path, in a flagged wave."""

from __future__ import annotations

import os

from sqlalchemy import func, select

from survey_app.db import db_session
from survey_app.demo import add_demo_responses
from survey_app.models import Answer, Response, Wave
from survey_app.responses.read import responses_frame
from tests.test_questionnaire_files import run_cli


def test_demo_responses_are_stored_in_a_synthetic_wave(app):
    with app.app_context():
        add_demo_responses(db_session(), "young-people", 120, seed=3)
        wave = db_session().scalar(select(Wave))
        assert (wave.key, wave.synthetic) == ("demo", True)
        in_wave = select(func.count()).select_from(Response).where(Response.wave_id == wave.id)
        assert db_session().scalar(in_wave) == 120
        texts = db_session().scalars(select(Answer.text).where(Answer.text.is_not(None))).all()
        frame = responses_frame(db_session(), "young-people")
    assert texts, "the demo bank gives free text"
    assert not any("07700 900" in t or "example.com" in t for t in texts), "planted PII is redacted"
    assert len(frame) == 120 and frame["synthetic"].all() and set(frame["wave"]) == {"demo"}
    assert frame["language"].nunique() > 1
    assert frame["age_band"].notna().all()


def test_demo_data_twice_reuses_the_wave(app):
    with app.app_context():
        add_demo_responses(db_session(), "community", 5)
        add_demo_responses(db_session(), "community", 5, seed=1)
        assert db_session().scalar(select(func.count()).select_from(Wave)) == 1
        assert db_session().scalar(select(func.count()).select_from(Response)) == 10


def test_demo_data_cli(database_url):
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "x"}
    result = run_cli("demo-data", "--survey", "community", "--responses", "7", env=env)
    assert result.returncode == 0, result.stderr
    assert "added 7 synthetic responses" in result.stdout
    unknown = run_cli("demo-data", "--survey", "nope", "--responses", "7", env=env)
    assert unknown.returncode == 2 and "there is no survey 'nope'" in unknown.stderr
