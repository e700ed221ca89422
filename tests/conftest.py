"""Fixtures: every test gets a clean database, on SQLite and (with TEST_DATABASE_URL) PostgreSQL.

The web app is imported inside the fixtures, so the pure analysis tests never load it.

A migrated and synced template database is built once per backend; each test then gets a copy
(a file copy for SQLite, CREATE DATABASE ... TEMPLATE for PostgreSQL), so tests never share state.
"""

from __future__ import annotations

import fcntl
import os
import secrets
import shutil
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
QUESTIONNAIRES = ROOT / "questionnaires"
TEST_QUESTIONNAIRES = Path(__file__).resolve().parent / "data" / "questionnaires"
TRANSLATIONS = ROOT / "translations"


@pytest.fixture(scope="session")
def compiled_translations(tmp_path_factory):
    """The .mo files the app reads are built from the committed catalogs, as `make` does.

    Test workers run side by side (pytest-xdist): one compiles under a lock shared by all of them,
    and only when a catalog is newer than its .mo, so no worker reads a .mo while it is rewritten.
    """
    from survey_app.translations import compile_all

    lock = tmp_path_factory.getbasetemp().parent / "translations.lock"
    with lock.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        catalogs = [(po, po.with_suffix(".mo")) for po in TRANSLATIONS.glob("*/LC_MESSAGES/*.po")]
        if any(not mo.exists() or po.stat().st_mtime > mo.stat().st_mtime for po, mo in catalogs):
            compile_all(TRANSLATIONS)


def _prepare(url: str) -> None:
    from sqlalchemy.orm import Session

    from survey_app.db import make_engine
    from survey_app.migrate import upgrade
    from survey_app.surveys.service import sync_files

    upgrade(url)
    engine = make_engine(url)
    with Session(engine) as session:
        sync_files(session, [QUESTIONNAIRES, TEST_QUESTIONNAIRES])
    engine.dispose()


class PostgresServer:
    """Creates throw-away databases on the server named by TEST_DATABASE_URL."""

    def __init__(self, url: str):
        from survey_app.db import normalise_url

        self.url = make_url(normalise_url(url))
        self.admin = create_engine(self.url, isolation_level="AUTOCOMMIT")
        self.prefix = f"insight_test_{secrets.token_hex(4)}"

    def create(self, name: str, template: str | None = None) -> str:
        with self.admin.connect() as connection:
            clause = f' TEMPLATE "{template}"' if template else ""
            connection.execute(text(f'CREATE DATABASE "{name}"{clause}'))
        return self.url.set(database=name).render_as_string(hide_password=False)

    def drop(self, name: str) -> None:
        with self.admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def backend(request, tmp_path_factory):
    """(kind, template) for each database backend; PostgreSQL needs TEST_DATABASE_URL."""
    if request.param == "sqlite":
        template = tmp_path_factory.mktemp("template") / "template.db"
        _prepare(f"sqlite:///{template}")
        yield "sqlite", template
        return
    server_url = os.environ.get("TEST_DATABASE_URL")
    if not server_url:
        pytest.skip(
            "PostgreSQL tests skipped: set TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test"
        )
    server = PostgresServer(server_url)
    template = f"{server.prefix}_template"
    _prepare(server.create(template))
    yield "postgresql", (server, template)
    server.drop(template)
    server.admin.dispose()


@pytest.fixture
def database_url(backend, tmp_path):
    kind, template = backend
    if kind == "sqlite":
        path = tmp_path / "insight.db"
        shutil.copyfile(template, path)
        yield f"sqlite:///{path}"
        return
    server, template_name = template
    name = f"{server.prefix}_{secrets.token_hex(4)}"
    yield server.create(name, template=template_name)
    server.drop(name)


@pytest.fixture
def app(database_url, compiled_translations):
    from survey_app import create_app

    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "SECRET_KEY": "test-secret",
            # Files are checked, not how long they take: a loaded CI machine can take over 20 s.
            "EXPORT_WAIT_SECONDS": 300,
            "QUESTIONNAIRES_DIR": str(QUESTIONNAIRES),
        }
    )
    yield app
    app.extensions["db_engine"].dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def respondent(client):
    from tests.helpers import Respondent

    return Respondent(client)
