"""`insight demo-data`: synthetic responses through the real storage path, in a flagged wave."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from analysis.demo import generate
from analysis.text import prepare_answer
from survey_app.db import db_session
from survey_app.definitions import load_file
from survey_app.demo import add_demo_responses
from survey_app.models import Answer, AnswerChoice, Choice, Item, Questionnaire, Response, Wave
from survey_app.responses.read import responses_frame
from survey_app.responses.store import BATCH, InvalidAnswer, NewResponse, store_responses
from survey_app.surveys.service import survey_version
from survey_app.taking.forms import page_form
from survey_app.taking.service import applicable_answers, checked_page, first_incomplete_page
from tests.test_questionnaire_files import run_cli

QUESTIONNAIRES = Path(__file__).resolve().parents[1] / "questionnaires"


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


def stored_responses(session) -> Counter:
    """Every stored response as (language, channel, answers), answers as a set of (key, value)."""
    answers: dict = {}
    single = (
        select(Answer.response_id, Item.key, Choice.value, Answer.number, Answer.text)
        .join(Item, Item.id == Answer.item_id)
        .outerjoin(Choice, Choice.id == Answer.choice_id)
        .where(Item.kind != "multiple")
    )
    for response_id, key, value, number, text in session.execute(single):
        stored = next(v for v in (value, number, text) if v is not None)
        answers.setdefault(response_id, set()).add((key, stored))
    ticked: dict = {}
    multiple = (
        select(AnswerChoice.response_id, Item.key, Choice.value)
        .join(Item, Item.id == AnswerChoice.item_id)
        .join(Choice, Choice.id == AnswerChoice.choice_id)
    )
    for response_id, key, value in session.execute(multiple):
        ticked.setdefault((response_id, key), set()).add(value)
    for (response_id, key), values in ticked.items():
        answers[response_id].add((key, frozenset(values)))
    responses = session.execute(
        select(Response.id, Response.language, Response.channel_type, Response.channel_area)
    )
    return Counter(
        (language, channel and (channel, area), frozenset(answers.get(response_id, ())))
        for response_id, language, channel, area in responses
    )


def expected(definition: dict, made: list) -> Counter:
    """What storing made-up responses keeps: ticks as a set, text redacted."""
    texts = {
        item["id"]
        for page in definition["pages"]
        for item in page["items"]
        if item["type"] in ("short_text", "long_text")
    }
    kept = Counter()
    for response in made:
        answers = frozenset(
            (key, prepare_answer(value, response.language).redacted if key in texts else value)
            if not isinstance(value, list)
            else (key, frozenset(value))
            for key, value in response.answers.items()
        )
        kept[response.language, response.channel, answers] += 1
    return kept


def test_demo_data_stores_every_made_up_answer_and_the_same_seed_stores_the_same(app):
    # More than a batch, so that one batch is written while the next is made (PostgreSQL).
    count = BATCH + 200
    definition = yaml.safe_load((QUESTIONNAIRES / "young-people.yaml").read_text("utf-8"))
    made = expected(definition, generate(definition, count, seed=4))
    with app.app_context():
        assert add_demo_responses(db_session(), "young-people", count, seed=4) == count
        assert stored_responses(db_session()) == made


def test_many_demo_responses_are_made_beside_and_stored_the_same(app):
    """From ``MADE_BESIDE_FROM`` on, a second process makes the responses this one stores."""
    count = BATCH + 200
    definition = yaml.safe_load((QUESTIONNAIRES / "young-people.yaml").read_text("utf-8"))
    made = expected(definition, generate(definition, count, seed=5))
    with app.app_context():
        assert add_demo_responses(db_session(), "young-people", count, seed=5, beside_from=count) == count
        assert stored_responses(db_session()) == made


def test_a_wrong_answer_in_a_large_batch_stores_nothing(app):
    with app.app_context():
        session = db_session()
        questionnaire = session.scalar(select(Questionnaire).where(Questionnaire.slug == "young-people"))
        survey = survey_version(session, questionnaire.current_version_id)
        made = [
            NewResponse(r.answers, r.language, r.month, None, r.channel)
            for r in generate(survey.definition.source, BATCH + 1, seed=1)
        ]
        made[-1] = NewResponse({**made[-1].answers, "area": "atlantis"}, "en", "2026-01")
        with pytest.raises(InvalidAnswer, match="'area'"):
            store_responses(
                session, version_id=survey.version_id, definition=survey.definition, responses=made
            )
        session.rollback()
        assert session.scalar(select(func.count()).select_from(Response)) == 0


def test_demo_responses_pass_the_checks_a_respondents_pages_make(app):
    definition = load_file(QUESTIONNAIRES / "young-people.yaml")
    with app.test_request_context():
        for response in generate(definition.source, 200, seed=2):
            answers = response.answers
            assert applicable_answers(definition, answers) == answers, "no hidden item is answered"
            assert first_incomplete_page(definition, answers) is None, "every required item is"
            for page in definition.visible_pages(answers):
                sent = MultiDict(
                    (key, str(value))
                    for item in page.items
                    for key in item.answer_keys
                    if key in answers
                    for value in (answers[key] if isinstance(answers[key], list) else [answers[key]])
                )
                form = page_form(definition.slug, list(page.items), answers, formdata=sent)
                assert checked_page(page, form, answers)[1] == {}
