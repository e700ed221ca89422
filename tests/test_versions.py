"""`questionnaires sync`: a changed file is a new version; versions are never edited in place."""

from __future__ import annotations

import os
import shutil

import pytest
from sqlalchemy import select

from survey_app.db import db_session
from survey_app.definitions import QuestionnaireInvalid
from survey_app.models import Questionnaire, QuestionnaireVersion, Response
from survey_app.surveys.service import open_survey, sync_files
from tests.conftest import QUESTIONNAIRES, TEST_QUESTIONNAIRES
from tests.test_questionnaire_files import GOOD, run_cli


def versions_of(slug: str) -> list[QuestionnaireVersion]:
    query = (select(QuestionnaireVersion).join(QuestionnaireVersion.questionnaire)
             .where(Questionnaire.slug == slug).order_by(QuestionnaireVersion.id))
    return list(db_session().scalars(query))


def test_sync_stores_new_versions_and_keeps_old_ones(app, tmp_path):
    path = tmp_path / "tiny.yaml"
    with app.app_context():
        path.write_text(GOOD)
        assert [r.status for r in sync_files(db_session(), [path])] == ["new questionnaire"]
        assert [r.status for r in sync_files(db_session(), [path])] == ["unchanged"]
        first = versions_of("tiny")[0]
        path.write_text(GOOD.replace("Q1?", "Question one?"))
        assert [r.status for r in sync_files(db_session(), [path])] == ["new version"]
        old, new = versions_of("tiny")
        assert old.definition == first.definition and old.content_hash == first.content_hash
        assert open_survey(db_session(), "tiny").version_id == new.id
        path.write_text(GOOD)
        assert [r.status for r in sync_files(db_session(), [path])] == ["restored version"]
        assert open_survey(db_session(), "tiny").version_id == old.id
        assert len(versions_of("tiny")) == 2


def test_an_invalid_file_stores_nothing(app, tmp_path):
    (tmp_path / "a.yaml").write_text(GOOD)
    broken = GOOD.replace("slug: tiny", "slug: other").replace("choices: yn", "choices: x")
    (tmp_path / "b.yaml").write_text(broken)
    with app.app_context():
        with pytest.raises(QuestionnaireInvalid):
            sync_files(db_session(), [tmp_path])
        assert db_session().scalar(select(Questionnaire).where(Questionnaire.slug == "tiny")) is None


def test_responses_keep_answering_the_version_they_started(app, respondent, tmp_path):
    source = tmp_path / "kitchen-sink.yaml"
    shutil.copy(TEST_QUESTIONNAIRES / "kitchen-sink.yaml", source)
    with app.app_context():
        started_on = open_survey(db_session(), "kitchen-sink").version_id
    respondent.start("kitchen-sink")
    source.write_text(source.read_text().replace("Do you have a pet?", "Do you have any pets?"))
    with app.app_context():
        sync_files(db_session(), [source])
        assert open_survey(db_session(), "kitchen-sink").version_id != started_on
    respondent.answer("kitchen-sink", {"pet": "no", "snacks": ["fruit"]}, follow_redirects=True)
    respondent.answer("kitchen-sink", {"mood_school": "good", "mood_home": "bad"}, follow_redirects=True)
    assert "Your answers have been sent" in respondent.html
    with app.app_context():
        assert db_session().scalar(select(Response.version_id)) == started_on


def test_cli_upgrade_and_sync_on_a_fresh_database(database_url):
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "x"}
    upgraded = run_cli("db", "upgrade", env=env)
    assert upgraded.returncode == 0, upgraded.stderr
    synced = run_cli("questionnaires", "sync", str(QUESTIONNAIRES), env=env)
    assert synced.returncode == 0, synced.stderr
    assert "young-people: unchanged" in synced.stdout and "community: unchanged" in synced.stdout


def test_cli_sync_reports_problems_and_exits_1(database_url, tmp_path):
    (tmp_path / "bad.yaml").write_text(GOOD.replace("choices: yn", "choices: x"))
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "x"}
    result = run_cli("questionnaires", "sync", str(tmp_path), env=env)
    assert result.returncode == 1
    assert f"{tmp_path / 'bad.yaml'}:14: choice list 'x' does not exist" in result.stdout
    assert "nothing was stored" in result.stderr

