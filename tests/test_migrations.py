"""Migrations: they build exactly the models' schema, and they go down and up again cleanly."""

from __future__ import annotations

import re
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import CheckConstraint, inspect, select, text
from sqlalchemy.exc import DataError, IntegrityError

from survey_app.db import db_session, make_engine
from survey_app.migrate import downgrade, upgrade
from survey_app.models import Answer, Base, Choice, Item, Response


def test_migrations_match_the_models(database_url):
    engine = make_engine(database_url)
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert diff == []


#: A quoted SQL literal: a value a CHECK allows, however the database rewrites the rest.
LITERAL = re.compile(r"'([^']*)'")


def test_check_constraints_allow_exactly_the_values_the_code_uses(database_url):
    """The models build their CHECKs from the code's constants (roles, channel types...): a value
    added to a constant without a migration fails here."""
    engine = make_engine(database_url)
    inspector = inspect(engine)
    checked = 0
    for table in Base.metadata.sorted_tables:
        stored = {
            check["name"]: set(LITERAL.findall(check["sqltext"]))
            for check in inspector.get_check_constraints(table.name)
        }
        for constraint in table.constraints:
            if isinstance(constraint, CheckConstraint):
                allowed = set(LITERAL.findall(str(constraint.sqltext)))
                assert stored.get(constraint.name) == allowed, (table.name, constraint.name)
                checked += len(allowed)
    engine.dispose()
    assert checked >= 20


def test_downgrade_to_nothing_and_up_again(database_url):
    downgrade(database_url, "base")
    engine = make_engine(database_url)
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    engine.dispose()
    upgrade(database_url)
    engine = make_engine(database_url)
    assert {"response", "answer", "draft"} <= set(inspect(engine).get_table_names())
    engine.dispose()


def _response(session) -> Response:
    version_id = session.scalar(select(Item.version_id))
    response = Response(id=uuid.uuid4(), version_id=version_id, submitted_month="2026-11", language="en")
    session.add(response)
    session.flush()
    return response


def test_the_database_refuses_a_choice_of_another_item(app):
    with app.app_context():
        session = db_session()
        first, second = session.scalars(select(Item).where(Item.kind == "single").limit(2)).all()
        foreign_choice = session.scalar(select(Choice.id).where(Choice.item_id == second.id))
        response = _response(session)
        session.add(Answer(response_id=response.id, item_id=first.id, choice_id=foreign_choice))
        with pytest.raises(IntegrityError):
            session.commit()


def test_the_database_refuses_two_answers_to_one_item(app):
    with app.app_context():
        session = db_session()
        item = session.scalar(select(Item).where(Item.kind == "text"))
        response = _response(session)
        session.add(Answer(response_id=response.id, item_id=item.id, text="one", safeguarding=False))
        session.flush()
        session.expunge_all()
        session.add(Answer(response_id=response.id, item_id=item.id, text="two", safeguarding=False))
        with pytest.raises(IntegrityError):
            session.commit()


def test_the_database_refuses_an_exact_submission_time(app):
    with app.app_context():
        session = db_session()
        version_id = session.scalar(select(Item.version_id))
        session.add(
            Response(
                id=uuid.uuid4(), version_id=version_id, submitted_month="2026-11-24 10:31", language="en"
            )
        )
        with pytest.raises((IntegrityError, DataError)):
            session.commit()


def test_the_database_refuses_unscreened_text(app):
    with app.app_context():
        session = db_session()
        item = session.scalar(select(Item).where(Item.kind == "text"))
        response = _response(session)
        session.add(Answer(response_id=response.id, item_id=item.id, text="never screened"))
        with pytest.raises(IntegrityError):
            session.commit()


@pytest.mark.parametrize(
    "flagged, harm",
    [
        (True, None),  # flagged without a kind
        (False, "self_harm"),  # a kind without a flag
        (True, "not_a_kind"),
        (True, "weapons;self_harm"),  # kinds out of their fixed order
    ],
)
def test_the_database_refuses_a_flag_and_kind_that_disagree(app, flagged, harm):
    with app.app_context():
        session = db_session()
        item = session.scalar(select(Item).where(Item.kind == "text"))
        response = _response(session)
        session.add(
            Answer(
                response_id=response.id,
                item_id=item.id,
                text="text",
                safeguarding=flagged,
                safeguarding_harm=harm,
            )
        )
        with pytest.raises(IntegrityError):
            session.commit()


def test_upgrading_gives_old_flags_a_kind_and_screens_old_answers_in_every_language(database_url):
    downgrade(database_url, "87a8db5d8fef")
    engine = make_engine(database_url)
    with engine.begin() as connection:
        version_id, item_id = connection.execute(
            text("SELECT version_id, id FROM item WHERE kind = 'text' ORDER BY id")
        ).first()
        answers = {
            "old flag, kind shown": ("my stepdad hits me", True),
            "old flag, kind gone": ("[name] [phone]", True),
            "missed in Urdu": ("میں خودکشی کرنا چاہتا ہوں", False),
            "ordinary": ("more street lights please", False),
        }
        for number, (answer_text, flagged) in enumerate(answers.values()):
            response_id = uuid.UUID(int=number + 1)
            connection.execute(
                text(
                    "INSERT INTO response (id, version_id, submitted_month, language) "
                    "VALUES (:id, :version, '2026-11', 'en')"
                ),
                {
                    "id": response_id.hex if engine.dialect.name == "sqlite" else response_id,
                    "version": version_id,
                },
            )
            connection.execute(
                text(
                    "INSERT INTO answer (response_id, item_id, text, text_language, "
                    "safeguarding) VALUES (:id, :item, :text, 'en', :flagged)"
                ),
                {
                    "id": response_id.hex if engine.dialect.name == "sqlite" else response_id,
                    "item": item_id,
                    "text": answer_text,
                    "flagged": flagged,
                },
            )
    engine.dispose()
    upgrade(database_url)
    engine = make_engine(database_url)
    with engine.connect() as connection:
        stored = dict(connection.execute(text("SELECT text, safeguarding_harm FROM answer")).all())
        flags = dict(connection.execute(text("SELECT text, safeguarding FROM answer")).all())
    engine.dispose()
    assert stored == {
        "my stepdad hits me": "abuse_at_home",
        "[name] [phone]": "unspecified",
        "میں خودکشی کرنا چاہتا ہوں": "self_harm",
        "more street lights please": None,
    }
    assert {t: bool(flag) for t, flag in flags.items()} == {t: harm is not None for t, harm in stored.items()}


def test_answers_stored_before_romanised_tags_are_tagged_again(app, database_url):
    """Romanised Urdu stored as "en" was scored with the English word list; the migration re-tags it."""
    with app.app_context():
        session = db_session()
        item = session.scalar(select(Item).where(Item.kind == "text"))
        response = Response(
            id=uuid.uuid4(), version_id=item.version_id, submitted_month="2026-11", language="en"
        )
        text = "mujhe raat ko bahar bohat darr lagta hai [phone]"
        response.answers.append(Answer(item_id=item.id, text=text, text_language="en", safeguarding=False))
        session.add(response)
        session.commit()
    tag = select(Answer.text_language).where(Answer.response_id == response.id)
    downgrade(database_url, "87a8db5d8fef")
    upgrade(database_url)
    with app.app_context():
        assert db_session().scalar(tag) == "ur-Latn"
    downgrade(database_url, "87a8db5d8fef")
    with app.app_context():
        assert db_session().scalar(tag) == "ur", "the closest tag the older code knows"
    upgrade(database_url)
