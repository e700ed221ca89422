"""Anonymous by construction: after a real submission, no table holds the client's address, user
agent, referrer or the exact time, and neither does any log line the app writes."""

from __future__ import annotations

import http.client
import logging
import threading
from datetime import UTC, datetime

from sqlalchemy import inspect, select, text, update
from werkzeug.serving import make_server

from survey_app.db import db_session
from survey_app.definitions import load_file
from survey_app.models import Channel, QuestionnaireVersion, Response
from survey_app.security import AnonymousRequestHandler
from tests.conftest import QUESTIONNAIRES
from tests.helpers import Respondent

ADDRESS = "203.0.113.77"
FORWARDED = "198.51.100.23"
AGENT = "Mozilla/5.0 (CanaryPhone 4242) DistinctiveBrowser/987.65"
REFERRER = "https://referrer.example/canary-path-31337"
SECRET_KEY_IN_LINK = "k3yOfAL1nk"


def dump_every_table(app) -> str:
    with app.app_context():
        session = db_session()
        lines = []
        for table in inspect(session.get_bind()).get_table_names():
            for row in session.execute(text(f'SELECT * FROM "{table}"')):
                lines.append(f"{table}: " + " | ".join(map(str, row)))
        return "\n".join(lines)


def test_nothing_identifying_is_stored_or_logged(app, client, caplog):
    client.environ_base.update(
        {
            "REMOTE_ADDR": ADDRESS,
            "HTTP_USER_AGENT": AGENT,
            "HTTP_REFERER": REFERRER,
            "HTTP_X_FORWARDED_FOR": FORWARDED,
        }
    )
    with app.app_context():
        # Versions are synced by staff before a survey opens; make that visibly another day.
        db_session().execute(update(QuestionnaireVersion).values(created_at=datetime(2026, 1, 2, 3, 4, 5)))
        db_session().commit()
    caplog.set_level(logging.DEBUG)
    before = datetime.now(UTC)
    Respondent(client).complete(
        "young-people",
        load_file(QUESTIONNAIRES / "young-people.yaml"),
        overrides={"one_thing_safer": "More lights please"},
    )
    after = datetime.now(UTC)
    with app.app_context():
        assert db_session().scalar(select(Response.id)) is not None, "the response was stored"
    dump = dump_every_table(app)
    assert "More lights please" in dump
    for secret in (ADDRESS, FORWARDED, AGENT, "CanaryPhone", REFERRER, "canary-path"):
        assert secret not in dump
        assert secret not in caplog.text
    for moment in {before, after}:
        for stamp in (
            moment.strftime("%Y-%m-%d"),
            moment.strftime("%H:%M"),
            moment.strftime("%d/%m/%Y"),
            str(int(moment.timestamp()))[:8],
        ):
            assert stamp not in dump, f"{stamp} is in the database"
    assert before.strftime("%Y-%m") in dump, "the month is kept"


def test_response_tables_have_no_column_that_could_hold_identity(app):
    with app.app_context():
        inspector = inspect(db_session().get_bind())
        columns = {
            table: {c["name"] for c in inspector.get_columns(table)}
            for table in ("response", "answer", "answer_choice", "draft", "access_code", "activity_count")
        }
    assert columns["response"] == {
        "id",
        "version_id",
        "submitted_month",
        "language",
        "wave_id",
        "channel_type",
        "channel_area",
    }
    assert columns["answer"] == {
        "response_id",
        "item_id",
        "choice_id",
        "number",
        "text",
        "text_language",
        "safeguarding",
        "safeguarding_harm",
    }
    assert columns["answer_choice"] == {"response_id", "item_id", "choice_id"}
    # Everything else about a draft is sealed with a key only its respondent's cookie can make.
    assert columns["draft"] == {"token_hash", "version_id", "sealed", "sweep_month"}
    # A code knows only whether it was used; counters only totals per week.
    assert columns["access_code"] == {"code", "channel_id", "used"}
    assert columns["activity_count"] == {"version_id", "wave_id", "channel_id", "week", "event", "count"}


def test_the_development_server_log_has_no_client_address_link_or_request_sequence(app, caplog):
    from tests.test_staff_access import signed_in
    from tests.test_staff_channels import add_channel

    add_channel(signed_in(app, "admin"), name="Year 9", type="school")
    caplog.set_level(logging.DEBUG, logger="werkzeug")
    with app.app_context():
        key = db_session().scalar(select(Channel.key))
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=AnonymousRequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        connection = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=10)
        for path in (f"/s/young-people/?via={key}", "/s/young-people/1", "/help"):
            connection.request("GET", path, headers={"User-Agent": AGENT, "Referer": REFERRER})
            assert connection.getresponse().read() is not None
        connection.close()
    finally:
        server.shutdown()
        thread.join()
    logged = caplog.text
    assert key not in logged and "young-people" not in logged and "/help" not in logged
    assert "127.0.0.1" not in logged and AGENT not in logged and REFERRER not in logged


def test_server_errors_are_logged_by_path_only(caplog):
    caplog.set_level(logging.DEBUG, logger="werkzeug")
    handler = AnonymousRequestHandler.__new__(AnonymousRequestHandler)
    handler.command, handler.path = "POST", f"/s/young-people/3?via={SECRET_KEY_IN_LINK}"
    handler.log_request(500)
    handler.log_request(200)
    assert caplog.text.count("POST /s/young-people/3 500") == 1
    assert SECRET_KEY_IN_LINK not in caplog.text and " 200" not in caplog.text


def test_database_and_secret_key_files_are_created_private(tmp_path, monkeypatch):
    from survey_app.config import from_environment
    from survey_app.db import make_engine

    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    settings = from_environment(tmp_path / "instance")
    engine = make_engine(settings["DATABASE_URL"])
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE t (x)"))
    engine.dispose()
    for name in ("secret_key", "insight.db"):
        assert (tmp_path / "instance" / name).stat().st_mode & 0o777 == 0o600, name


def test_cookies_are_httponly_and_samesite(respondent):
    response = respondent.start("young-people")
    cookies = respondent.client.get_cookie("insight")
    assert cookies is not None
    assert cookies.http_only and cookies.same_site == "Lax"
    assert response.headers["Cache-Control"] == "no-store"
