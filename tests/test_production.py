"""A production configuration that refuses to be unsafe: `insight doctor`, the start-up check in
wsgi.py, HSTS, the client address behind trusted proxies, and links that ignore the Host header."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from survey_app import create_app
from tests.conftest import QUESTIONNAIRES, ROOT
from tests.test_panels import make_panel
from tests.test_questionnaire_files import run_cli
from tests.test_staff_access import signed_in
from tests.test_staff_surveys import post

KEY = "k" * 64
SAFE = {
    "SECRET_KEY": KEY,
    "PUBLIC_URL": "https://insight.example.org",
    "TRUSTED_PROXY_HOPS": "1",
    "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379",
    "WEB_CONCURRENCY": "4",
    "RESPONSE_BATCH": "10",
}
#: Variables of the environment the tests run in that would change what is checked.
SETTINGS = (
    "SECRET_KEY",
    "PUBLIC_URL",
    "TRUSTED_PROXY_HOPS",
    "RATELIMIT_STORAGE_URI",
    "WEB_CONCURRENCY",
    "SESSION_COOKIE_SECURE",
    "DATABASE_URL",
    "RESPONSE_BATCH",
)


def environment(database_url: str, **settings: str) -> dict:
    env = {name: value for name, value in os.environ.items() if name not in SETTINGS}
    return {**env, "DATABASE_URL": database_url, **settings}


def test_doctor_passes_a_safe_configuration(database_url):
    result = run_cli("doctor", env=environment(database_url, **SAFE))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "PROBLEM" not in result.stdout
    checked = ("secret key", "public address", "cookies", "proxy", "rate limits", "database", "translations")
    for name in checked:
        assert f"ok       {name}: " in result.stdout
    assert (
        "ok       response order: responses join the tables 10 at a time, in a random order" in result.stdout
    )


def test_doctor_asks_postgresql_to_add_responses_in_batches(database_url):
    result = run_cli("doctor", env=environment(database_url, **{**SAFE, "RESPONSE_BATCH": "1"}))
    if database_url.startswith("postgresql"):
        assert result.returncode == 1
        assert "PROBLEM  response order: RESPONSE_BATCH=1: PostgreSQL keeps the order" in result.stdout
        assert "set RESPONSE_BATCH=10" in result.stdout
    else:
        assert result.returncode == 0, result.stdout
        assert "ok       response order: responses are added as they are sent; SQLite keeps no order" in (
            result.stdout
        )


def test_a_batch_below_one_is_refused_with_what_to_set(tmp_path):
    result = run_cli(
        "doctor", env=environment(f"sqlite:///{tmp_path / 'new.db'}", **{**SAFE, "RESPONSE_BATCH": "0"})
    )
    assert result.returncode != 0
    assert "RESPONSE_BATCH=0 must be 1 or more; set it to a number such as 1" in result.stderr + result.stdout
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "change, problem",
    [
        ({"SECRET_KEY": ""}, "secret key: SECRET_KEY is not set"),
        ({"SECRET_KEY": "short"}, "secret key: SECRET_KEY has 5 characters"),
        ({"PUBLIC_URL": ""}, "public address: PUBLIC_URL is not set"),
        (
            {"PUBLIC_URL": "http://insight.example.org"},
            "public address: PUBLIC_URL=http://insight.example.org is not HTTPS",
        ),
        (
            {"PUBLIC_URL": "https://insight.example.org/survey?x"},
            "public address: PUBLIC_URL='https://insight.example.org/survey?x' is not an address like",
        ),
        ({"SESSION_COOKIE_SECURE": "false"}, "cookies: SESSION_COOKIE_SECURE is off on an HTTPS site"),
        ({"TRUSTED_PROXY_HOPS": "0"}, "proxy: TRUSTED_PROXY_HOPS is 0"),
        ({"RATELIMIT_STORAGE_URI": "memory://"}, "rate limits: counted in memory while WEB_CONCURRENCY=4"),
        ({"RATELIMIT_STORAGE_URI": "redis://127.0.0.1:1"}, "rate limits: cannot reach redis://127.0.0.1:1"),
    ],
)
def test_doctor_names_each_problem_and_what_to_do(tmp_path, change, problem):
    result = run_cli("doctor", env=environment(f"sqlite:///{tmp_path / 'new.db'}", **{**SAFE, **change}))
    assert result.returncode == 1
    assert f"PROBLEM  {problem}" in result.stdout, result.stdout
    assert "Traceback" not in result.stderr


def test_doctor_reports_missing_migrations_and_translations(tmp_path):
    empty = tmp_path / "translations"
    empty.mkdir()
    (empty / "languages.yaml").write_text((ROOT / "translations" / "languages.yaml").read_text("utf-8"))
    result = run_cli(
        "doctor", env=environment(f"sqlite:///{tmp_path / 'new.db'}", **SAFE, TRANSLATIONS_DIR=str(empty))
    )
    assert result.returncode == 1
    assert "PROBLEM  database: the schema is not at the newest migration; run insight db upgrade" in (
        result.stdout
    )
    assert "PROBLEM  translations: not compiled for gu, pa" in result.stdout


def _start(database_url: str, **settings: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", "import wsgi"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=environment(database_url, **settings),
        timeout=120,
    )


def test_production_start_up_refuses_unsafe_settings(database_url):
    refused = _start(
        database_url, **{**SAFE, "SECRET_KEY": "", "PUBLIC_URL": "", "RATELIMIT_STORAGE_URI": "memory://"}
    )
    assert refused.returncode != 0
    message = refused.stderr.split("UnsafeConfiguration: ", 1)[1]
    assert message.startswith("Community Insight will not serve the public with this configuration:")
    for problem in (
        "- secret key: SECRET_KEY is not set",
        "- public address: PUBLIC_URL is not set",
        "- rate limits: counted in memory while WEB_CONCURRENCY=4",
    ):
        assert problem in message
    assert _start(database_url, **SAFE).returncode == 0


def test_development_server_needs_no_configuration(database_url):
    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "dev", "PUBLIC_URL": ""})
    assert app.test_client().get("/healthz").status_code == 200


def _app(database_url: str, **config) -> object:
    return create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "SECRET_KEY": "test-secret",
            "QUESTIONNAIRES_DIR": str(QUESTIONNAIRES),
            **config,
        }
    )


def test_hsts_only_on_https(database_url):
    https = _app(database_url, PUBLIC_URL="https://insight.example.org").test_client().get("/")
    assert https.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert "Strict-Transport-Security" not in _app(database_url).test_client().get("/").headers


def _failed_logins(app, addresses: list[str]) -> list[int]:
    from tests.helpers import csrf_token

    client = app.test_client()
    statuses = []
    for address in addresses:
        token = csrf_token(client.get("/staff/login").get_data(as_text=True))
        statuses.append(
            client.post(
                "/staff/login",
                headers={"X-Forwarded-For": address},
                data={"csrf_token": token, "email": "someone@example.org", "password": "not the password"},
            ).status_code
        )
    return statuses


def test_without_trusted_proxies_forwarded_addresses_are_ignored(database_url):
    spoofed = [f"203.0.113.{n}" for n in range(6)]
    assert _failed_logins(_app(database_url), spoofed)[-1] == 429, "a client cannot pick its own address"


def test_behind_a_trusted_proxy_each_client_has_its_own_limit(database_url):
    app = _app(database_url, TRUSTED_PROXY_HOPS=1)
    assert 429 not in _failed_logins(app, [f"203.0.113.{n}" for n in range(6)])
    assert _failed_logins(app, ["198.51.100.7"] * 6)[-1] == 429


def test_invitations_and_links_ignore_a_hostile_host_header(app):
    from tests.helpers import csrf_token

    app.config["PUBLIC_URL"] = "https://insight.example.org"
    admin = signed_in(app, "admin")
    panel = make_panel(admin)
    post(
        admin, "/staff/surveys/community/channels", {"name": "Library", "type": "event", "area": "leicester"}
    )
    # The same session, reached through a hostile Host header.
    admin.set_cookie("insight", admin.get_cookie("insight").value, domain="evil.example")
    hostile = {"Host": "evil.example"}
    token = csrf_token(admin.get("/staff/", headers=hostile).get_data(as_text=True))
    page = admin.post(
        f"/staff/panels/{panel}/invites", headers=hostile, data={"csrf_token": token, "note": "for Sam"}
    ).get_data(as_text=True)
    assert "https://insight.example.org/panel/join/" in page and "evil.example" not in page
    links = admin.get("/staff/surveys/community/channels", headers=hostile).get_data(as_text=True)
    assert "https://insight.example.org/s/community/?via=" in links and "evil.example" not in links


@pytest.mark.parametrize(
    "path",
    [
        "/staff/panels/99999999999999999999",
        "/staff/panels/2147483648",
        "/staff/rounds/99999999999999999999",
        "/panel/rounds/18446744073709551616",
        "/staff/surveys/community/channels/9223372036854775808/codes",
    ],
)
def test_ids_too_large_for_the_database_are_not_found(app, path):
    admin = signed_in(app, "admin")
    assert admin.get(path).status_code == 404
