"""The database engine and a per-request session, without a Flask-specific ORM layer.

Services take a `Session`; routes get the request's session from `db_session()`.
"""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from flask import Flask, current_app, g
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from survey_app.migrate import head_revisions

P = ParamSpec("P")
R = TypeVar("R")


def normalise_url(url: str) -> str:
    """Accept the usual postgres:// and postgresql:// URLs and use the psycopg 3 driver for them."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def make_engine(url: str) -> Engine:
    url = normalise_url(url)
    if url.startswith("sqlite"):
        _create_private(make_url(url).database)
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            # SQLite ignores foreign keys unless asked.
            cursor.execute("PRAGMA foreign_keys=ON")
            # What is deleted or rewritten (a draft, a spent code) is overwritten with zeros, and the
            # rollback journal that held old copies of pages is deleted at every commit. (A WAL file
            # would keep old copies of every page until a checkpoint.)
            cursor.execute("PRAGMA secure_delete=ON")
            cursor.execute("PRAGMA journal_mode=DELETE")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


def _create_private(path: str | None) -> None:
    """Create a new database file readable by its owner only; SQLite gives its journal the same
    permissions. An empty file is an empty SQLite database."""
    if path and path != ":memory:" and not os.path.exists(path):
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        with contextlib.suppress(FileExistsError):  # another process made it first
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def init_app(app: Flask) -> None:
    engine = make_engine(app.config["DATABASE_URL"])
    app.extensions["db_engine"] = engine
    app.extensions["db_sessionmaker"] = sessionmaker(engine, expire_on_commit=False)
    app.extensions["schema_heads"] = head_revisions()
    app.teardown_appcontext(_close_session)


def engine() -> Engine:
    return current_app.extensions["db_engine"]


def db_session() -> Session:
    if "db_session" not in g:
        g.db_session = current_app.extensions["db_sessionmaker"]()
    return g.db_session


def _close_session(_exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        try:
            session.close()
        except DBAPIError:
            # The connection dropped after the request's work was committed (or rolled back): the
            # pool discards it; the reply already sent stays true.
            current_app.logger.warning("database connection lost while closing a session")


def retry_if_connection_lost(view: Callable[P, R]) -> Callable[P, R]:
    """Run a respondent's request once more, on a new connection, when the database connection was
    lost under it (a server restarted or failed over, a connection ended by an administrator).

    Nothing is left half-done to repeat: the lost transaction was rolled back by the server, a
    draft page saved twice holds the same answers, and a send whose commit did land finds its
    draft gone and says the answers were sent."""

    @functools.wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return view(*args, **kwargs)
        except DBAPIError as error:
            if not error.connection_invalidated:
                raise
            current_app.logger.warning("database connection lost during a request; trying it once more")
            _close_session(error)
            return view(*args, **kwargs)

    return wrapped
