"""The staff area's doors: accounts from the command line, login with rate limits and an audit
trail, sessions that "log out everywhere" ends, and a route-by-role matrix."""

from __future__ import annotations

import os
import re
import uuid

import pytest
from sqlalchemy import select

from survey_app.accounts import AccountRefused, create_user
from survey_app.db import db_session
from survey_app.models import ROLES, AuditEvent, StaffSession, StaffUser
from survey_app.security import local_path
from tests.helpers import csrf_token
from tests.test_questionnaire_files import run_cli

PASSWORD = "a long enough passphrase"
STAFF = {"admin", "analyst", "safeguarding_lead"}
ALLOWED = {
    "staff.home": STAFF,
    "staff.survey": STAFF,
    "staff.survey_status": {"admin"},
    "staff.add_wave": {"admin"},
    "staff.current_wave": {"admin"},
    "staff.channels_page": {"admin", "analyst"},
    "staff.add_channel": {"admin"},
    "staff.channel_poster": {"admin"},
    "staff.channel_codes": {"admin"},
    "staff.add_codes": {"admin"},
    "staff.channel_devices": {"admin"},
    "staff.dashboard": STAFF,
    "staff.answers": {"analyst"},
    "staff.code_answer": {"analyst"},
    "staff.agreement": {"analyst"},
    "staff.safeguarding": {"safeguarding_lead"},
    "staff.record_safeguarding": {"safeguarding_lead"},
    "staff.exports": {"analyst"},
    "staff.export_responses": {"analyst"},
    "staff.export_tables": {"analyst"},
    "staff.prepared_export": {"analyst"},
    "staff.prepared_download": {"analyst"},
    "staff.panels": {"admin"},
    "staff.add_panel": {"admin"},
    "staff.panel": {"admin"},
    "staff.add_invite": {"admin"},
    "staff.add_round": {"admin"},
    "staff.round": {"admin", "analyst"},
    "staff.record_decision": {"admin", "analyst"},
    "staff.close_round": {"admin", "analyst"},
    "staff.wave_actions": {"admin", "analyst"},
    "staff.add_wave_action": {"admin", "analyst"},
    "staff.wave_action": {"admin", "analyst"},
    "staff.edit_wave_action": {"admin", "analyst"},
    "staff.translate_wave_action": {"admin", "analyst"},
    "staff.remove_wave_action": {"admin", "analyst"},
    "staff.sna_report": {"admin", "analyst"},
    "staff.sna_download": {"admin", "analyst"},
    "staff.sna_prepared": {"admin", "analyst"},
    "staff.sna_prepared_download": {"admin", "analyst"},
    "staff.logout_everywhere": set(ROLES),
}


@pytest.fixture
def accounts(app):
    with app.app_context():
        for role in ROLES:
            create_user(db_session(), f"{role}@example.org", PASSWORD, role)


def log_in(client, email: str, password: str = PASSWORD, **kwargs):
    token = csrf_token(client.get("/staff/login").get_data(as_text=True))
    return client.post(
        "/staff/login", data={"csrf_token": token, "email": email, "password": password}, **kwargs
    )


def signed_in(app, role: str, email: str | None = None):
    """A test client logged in to a new account with this role (email: <role>@example.org)."""
    email = email or f"{role}@example.org"
    with app.app_context():
        create_user(db_session(), email, PASSWORD, role)
    client = app.test_client()
    log_in(client, email)
    return client


#: Values for the parts of staff URLs; ids that do not exist give 404, which is still "allowed".
URL_VALUES = {
    "slug": "community",
    "channel_id": 1,
    "response_id": uuid.UUID(int=1),
    "item_id": 1,
    "fmt": "csv",
    "panel_id": 1,
    "round_id": 1,
    "entry_id": 1,
    "prepared_id": 1,
}
#: The doors themselves: anyone may log in or out.
OPEN = {"staff.login", "staff.logout"}


def staff_routes(app) -> list[tuple[str, str]]:
    return sorted(
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/staff/") and rule.endpoint not in OPEN
        for method in rule.methods - {"HEAD", "OPTIONS"}
    )


def staff_url(app, endpoint: str, values: dict = URL_VALUES, query: dict | None = None) -> str:
    """The endpoint's URL, its parts taken from ``values`` unless ``query`` names them; the rest of
    ``query`` becomes the query string."""
    with app.test_request_context():
        from flask import url_for

        rule = next(rule for rule in app.url_map.iter_rules() if rule.endpoint == endpoint)
        return url_for(endpoint, **{**{name: values[name] for name in rule.arguments}, **(query or {})})


def call(client, app, endpoint: str, method: str):
    url = staff_url(app, endpoint)
    if method == "GET":
        return client.get(url)
    token = csrf_token(client.get("/staff/login").get_data(as_text=True))
    return client.post(url, data={"csrf_token": token})


def test_every_staff_route_is_in_the_matrix(app):
    assert {endpoint for endpoint, _ in staff_routes(app)} == set(ALLOWED)


def test_anonymous_visitors_are_sent_to_log_in(app, client):
    for endpoint, method in staff_routes(app):
        response = call(client, app, endpoint, method)
        assert response.status_code == 302, endpoint
        assert response.headers["Location"].startswith("/staff/login"), endpoint


@pytest.mark.parametrize("role", ROLES)
def test_each_role_sees_only_what_it_may(app, accounts, role):
    client = app.test_client()
    log_in(client, f"{role}@example.org")
    # Log-out-everywhere ends the session, so it goes last.
    for endpoint, method in sorted(staff_routes(app), key=lambda r: r[0] == "staff.logout_everywhere"):
        response = call(client, app, endpoint, method)
        if role in ALLOWED[endpoint]:
            assert response.status_code in (200, 302, 400, 404, 422), (role, endpoint)
            if response.status_code == 302 and endpoint != "staff.logout_everywhere":
                assert "/staff/login" not in response.headers["Location"], (role, endpoint)
        else:
            assert response.status_code == 403, (role, endpoint)
            assert "does not give you access" in response.get_data(as_text=True)


def test_staff_home_lists_surveys_and_versions(app, client, accounts):
    response = log_in(client, "analyst@example.org", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "young-people" in html and "community" in html
    assert re.search(r"<code>[0-9a-f]{12}</code>", html)


def test_wrong_password_is_refused_and_audited(app, client, accounts):
    response = log_in(client, "admin@example.org", "not the password at all")
    assert response.status_code == 422
    assert "The email address or password is not right" in response.get_data(as_text=True)
    log_in(client, "nobody@example.org", "whatever it is")
    with app.app_context():
        events = db_session().scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    failed = [e for e in events if e.action == "login failed"]
    assert len(failed) == 2 and failed[1].user_id is None
    assert failed[1].detail == {}, "what was typed for an unknown account is not stored"


def test_login_is_rate_limited(app, accounts):
    client = app.test_client()
    statuses = [log_in(client, "admin@example.org", "wrong password here").status_code for _ in range(6)]
    assert statuses[:5] == [422] * 5 and statuses[5] == 429
    assert "Too many attempts" in log_in(client, "admin@example.org").get_data(as_text=True)


def test_log_out_everywhere_ends_other_sessions(app, accounts):
    phone, laptop = app.test_client(), app.test_client()
    log_in(phone, "admin@example.org")
    log_in(laptop, "admin@example.org")
    assert phone.get("/staff/").status_code == 200 and laptop.get("/staff/").status_code == 200
    call(phone, app, "staff.logout_everywhere", "POST")
    assert laptop.get("/staff/").status_code == 302, "the other device's session has ended"
    with app.app_context():
        actions = db_session().scalars(select(AuditEvent.action)).all()
    assert actions.count("login") == 2 and "logged out everywhere" in actions


def test_login_needs_a_csrf_token(client, accounts):
    response = client.post("/staff/login", data={"email": "admin@example.org", "password": PASSWORD})
    assert response.status_code == 400


#: "next" values that lead off-site or break the Location header in some browser or server.
REDIRECT_BYPASSES = [
    "//evil.example/",
    "/\t/evil.example",
    "/%09/evil.example",
    "%2F%09%2Fevil.example",
    "/\\evil.example",
    "\\/evil.example",
    "/%5Cevil.example",
    "/%2F/evil.example",
    "/%252F%252Fevil.example",
    "https://evil.example/",
    "https:evil.example",
    "javascript:alert(1)",
    "/\r\nSet-Cookie:x=1",
    "/%0d%0aSet-Cookie:x=1",
    "/\n/evil.example",
    "\x00/evil.example",
    "/\x00/evil.example",
    "/\u2028/evil.example",
    "/\u200b/evil.example",
    " //evil.example",
    "evil.example",
    "",
    "/" + "a" * 3000,
    "///evil.example",
]


@pytest.mark.parametrize("target", REDIRECT_BYPASSES)
def test_no_next_leads_off_site(target):
    assert local_path(target, "/safe") == "/safe"


@pytest.mark.parametrize(
    "target",
    [
        "/staff/surveys/community",
        "/s/community?lang=pl",
        "/staff/?a=1&b=%2F",
        "/you-said-we-did/community/2026-autumn#top",
        "/ża%C5%BC",
    ],
)
def test_next_on_site_is_kept(target):
    assert local_path(target, "/safe") == target


def test_login_only_redirects_on_site(client, accounts):
    for target in ["//evil.example/", "/\t/evil.example", "/%0d%0aSet-Cookie:x=1", "/\\evil.example"]:
        client.post("/staff/logout", data={"csrf_token": csrf_token(client.get("/staff/login").text)})
        token = csrf_token(client.get("/staff/login").get_data(as_text=True))
        response = client.post(
            "/staff/login",
            query_string={"next": target},
            data={"csrf_token": token, "email": "admin@example.org", "password": PASSWORD},
        )
        assert response.status_code == 302 and response.headers["Location"] == "/staff/", target


def test_language_page_links_stay_on_site(client):
    for target in ["/\\evil.example", "//evil.example", "/%09/evil.example"]:
        page = client.get("/language", query_string={"next": target}).get_data(as_text=True)
        assert "evil.example" not in page, target
    assert 'href="/s/community?lang=' in client.get("/language?next=/s/community").get_data(as_text=True)


def test_passwords_are_argon2_hashes(app, accounts):
    with app.app_context():
        hashes = db_session().scalars(select(StaffUser.password_hash)).all()
    assert all(h.startswith("$argon2id$") for h in hashes) and PASSWORD not in " ".join(hashes)


def test_create_user_refuses_bad_input(app):
    with app.app_context():
        for email, password, role, words in [
            ("a@example.org", "short", "admin", "at least 12"),
            ("not-an-email", PASSWORD, "admin", "not an email"),
            ("a@example.org", PASSWORD, "king", "unknown role"),
        ]:
            with pytest.raises(AccountRefused, match=words):
                create_user(db_session(), email, password, role)


def test_users_create_cli(database_url):
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "x"}
    import subprocess
    import sys
    from pathlib import Path

    insight = str(Path(sys.executable).with_name("insight"))
    created = subprocess.run(
        [insight, "users", "create", "--role", "admin", "--email", "Lead@Example.org"],
        input=PASSWORD + "\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert created.returncode == 0, created.stderr
    assert "created admin account lead@example.org" in created.stdout
    again = subprocess.run(
        [insight, "users", "create", "--role", "admin", "--email", "lead@example.org"],
        input=PASSWORD + "\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert again.returncode == 2 and "already an account" in again.stderr
    assert run_cli("users", "create", "--role", "king", "--email", "x@example.org", env=env).returncode == 2


def test_log_out(app, client, accounts):
    log_in(client, "analyst@example.org")
    token = csrf_token(client.get("/staff/").get_data(as_text=True))
    assert client.post("/staff/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/staff/").status_code == 302


def test_a_copied_cookie_opens_nothing_after_log_out(app, client, accounts):
    log_in(client, "analyst@example.org")
    stolen = client.get_cookie("insight").value
    thief = app.test_client()
    thief.set_cookie("insight", stolen)
    assert thief.get("/staff/").status_code == 200
    token = csrf_token(client.get("/staff/").get_data(as_text=True))
    client.post("/staff/logout", data={"csrf_token": token})
    assert thief.get("/staff/").status_code == 302, "the session ended on the server, not only in the browser"
    with app.app_context():
        assert db_session().scalars(select(StaffSession)).all() == []
        assert db_session().scalars(select(AuditEvent.action)).all()[-1] == "logged out"


def test_sessions_end_after_their_lifetime(app, client, accounts):
    from datetime import timedelta

    log_in(client, "analyst@example.org")
    with app.app_context():
        live = db_session().scalar(select(StaffSession))
        live.started_at -= app.config["PERMANENT_SESSION_LIFETIME"] + timedelta(minutes=1)
        db_session().commit()
    assert client.get("/staff/").status_code == 302
