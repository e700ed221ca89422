"""Migrations: they build exactly the models' schema, and they go down and up again cleanly."""

from __future__ import annotations

import re
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import CheckConstraint, inspect, select
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
        stored = {check["name"]: set(LITERAL.findall(check["sqltext"]))
                  for check in inspector.get_check_constraints(table.name)}
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
        session.add(Response(id=uuid.uuid4(), version_id=version_id, submitted_month="2026-11-24 10:31",
                             language="en"))
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
