"""The README's deployment, run for real: deploy/run.sh on a throw-away PostgreSQL database with
gunicorn (two workers) and Redis rate limits on loopback; a respondent completes a survey over HTTP."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time

import pytest
import requests
from sqlalchemy import create_engine, func, select

from survey_app.db import normalise_url
from survey_app.definitions import load_file
from survey_app.models import Response, WaitingResponse
from tests.conftest import QUESTIONNAIRES, ROOT, PostgresServer
from tests.helpers import Respondent

KEY = "d" * 64


class HttpClient:
    """The Flask test client's get/post over real HTTP, so the Respondent helper drives a server."""

    def __init__(self, base: str):
        self.base = base
        self.session = requests.Session()

    def get(self, url: str, follow_redirects: bool = False):
        return _Reply(self.session.get(self.base + url, allow_redirects=follow_redirects, timeout=60))

    def post(self, url: str, data: dict, follow_redirects: bool = False):
        return _Reply(
            self.session.post(self.base + url, data=data, allow_redirects=follow_redirects, timeout=60)
        )


class _Reply:
    def __init__(self, response: requests.Response):
        self.status_code = response.status_code
        self.headers = response.headers
        self.text = response.text

    def get_data(self, as_text: bool = False):
        return self.text if as_text else self.text.encode()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def database():
    server_url = os.environ.get("TEST_DATABASE_URL")
    if not server_url:
        pytest.skip(
            "PostgreSQL tests skipped: set TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test"
        )
    server = PostgresServer(server_url)
    name = f"{server.prefix}_deploy"
    yield server.create(name)
    server.drop(name)
    server.admin.dispose()


def test_the_deployment_script_serves_a_survey(database):
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DATABASE_URL": database,
        "SECRET_KEY": KEY,
        "PUBLIC_URL": base,
        "BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
        "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379",
    }
    server = subprocess.Popen(
        [str(ROOT / "deploy" / "run.sh")],
        env=env,
        cwd="/",
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        health = None
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and server.poll() is None:
            try:
                health = requests.get(f"{base}/healthz", timeout=30)
                break
            except (requests.ConnectionError, requests.Timeout):
                time.sleep(1)
        assert health is not None, "the server did not answer; its output follows the test"
        assert health.status_code == 200
        assert health.json() == {
            "status": "ok",
            "app": "ok",
            "database": "ok",
            "database_backend": "postgresql",
        }
        respondent = Respondent(HttpClient(base))
        done = respondent.complete("community", load_file(QUESTIONNAIRES / "community.yaml"))
        assert done.status_code == 200 and "Thank you" in done.get_data(as_text=True)
        home = requests.get(base, timeout=30)
        assert home.headers["Content-Security-Policy"] and "Strict-Transport-Security" not in home.headers
        # Two workers share one count in Redis: the sixth wrong password in a minute is refused.
        visitor = Respondent(HttpClient(base))
        statuses = []
        for _ in range(6):
            visitor.get("/staff/login")
            statuses.append(
                visitor.post("/staff/login", {"email": "x@example.org", "password": "wrong one"}).status_code
            )
        assert statuses[-1] == 429, statuses
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        output = server.communicate(timeout=60)[0]
        print(output)
    assert "ok       database: postgresql, migrations at head" in output
    assert "ok       rate limits: counted in redis://127.0.0.1:6379, shared by all workers" in output
    assert "ok       response order: responses join the tables 10 at a time, in a random order" in output
    engine = create_engine(normalise_url(database))
    count = select(func.count()).select_from
    with engine.connect() as connection:
        # The response waits, sealed, for nine more to join the tables with it...
        assert connection.execute(count(Response.__table__)).scalar() == 0
        assert connection.execute(count(WaitingResponse.__table__)).scalar() == 1
    # ...or for the nightly command.
    released = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "insight"), "db", "release-responses"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert released.stdout.strip() == "1 response added from waiting, in random order"
    with engine.connect() as connection:
        assert connection.execute(count(Response.__table__)).scalar() == 1
        assert connection.execute(count(WaitingResponse.__table__)).scalar() == 0
    engine.dispose()
