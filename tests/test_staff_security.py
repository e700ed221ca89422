"""Every staff page, filled with real data, is sent under a Content-Security-Policy without
'unsafe-inline' and needs none (no inline script or style); every staff form carries a CSRF token,
and every staff POST without one is refused and changes nothing."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from survey_app.accounts import create_user
from survey_app.db import db_session
from survey_app.definitions import load_file
from survey_app.demo import add_demo_responses
from survey_app.models import (
    ROLES,
    AccessCode,
    Answer,
    AuditEvent,
    Channel,
    PreparedExport,
    Questionnaire,
    Response,
    StaffUser,
    WaveAction,
)
from survey_app.staff.exports.service import XLSX
from tests.conftest import QUESTIONNAIRES
from tests.helpers import Respondent
from tests.test_panels import make_panel, make_round
from tests.test_staff_access import ALLOWED, PASSWORD, URL_VALUES, log_in, staff_routes, staff_url
from tests.test_staff_surveys import post

FORM = re.compile(r"<form\b[^>]*>.*?</form>", re.S)


@pytest.fixture
def filled(app):
    """Accounts for every role, demo and real responses (one flagged), a closed-group link."""
    with app.app_context():
        session = db_session()
        for role in ROLES:
            create_user(session, f"{role}@example.org", PASSWORD, role)
        add_demo_responses(session, "community", 60, seed=3)
    admin = app.test_client()
    log_in(admin, "admin@example.org")
    post(
        admin,
        "/staff/surveys/community/channels",
        {"name": "Class 10B", "type": "school", "area": "leicester", "requires_code": "y", "codes": "3"},
    )
    panel = make_panel(admin)
    values_extra = {"panel_id": panel, "round_id": make_round(admin, panel)}
    post(admin, "/staff/surveys/community/actions", {"wave": "demo", "action": "Youth club opens late"})
    # A real response too, so pages about real waves (publication tables, reports) have one.
    Respondent(app.test_client()).complete("community", load_file(QUESTIONNAIRES / "community.yaml"))
    with app.app_context():
        session = db_session()
        channel = session.scalar(select(Channel))
        values_extra["entry_id"] = session.scalar(select(WaveAction.id))
        values_extra["prepared_id"] = prepared_file(session, "analyst@example.org", "community")
        # The SNA report made in the background: a file for each role that may ask for one.
        values_extra["sna_prepared_id"] = {
            role: prepared_file(session, f"{role}@example.org", None) for role in ("admin", "analyst")
        }
        flagged = session.scalar(select(Answer).join(Response).where(Answer.safeguarding.is_(True)))
        values = {**URL_VALUES, **values_extra, "channel_id": channel.id}
        if flagged is not None:
            values.update(response_id=flagged.response_id, item_id=flagged.item_id)
    return values


def prepared_file(session, email: str, slug: str | None) -> int:
    """Publication tables of ``slug`` (None: the SNA report) made in the background for ``email``,
    ready to download: their id."""
    prepared = PreparedExport(
        user_id=session.scalar(select(StaffUser.id).where(StaffUser.email == email)),
        questionnaire_id=session.scalar(select(Questionnaire.id).where(Questionnaire.slug == slug)),
        kind="tables.xlsx" if slug else "sna.html",
        status="ready",
        requested_at=datetime.now(UTC).replace(tzinfo=None),
        filename=f"{slug}-demo-tables.xlsx" if slug else "community-insights.html",
        mimetype=XLSX if slug else "text/html; charset=utf-8",
        data=b"a workbook" if slug else b"<!DOCTYPE html><title>report</title>",
    )
    session.add(prepared)
    session.commit()
    return prepared.id


#: Query strings some pages need to show their content rather than ask for a choice.
QUERIES = {"staff.sna_download": {"wave": "no-wave", "fmt": "html"}}


def url(app, endpoint: str, values: dict, role: str = "analyst") -> str:
    if endpoint.startswith("staff.sna_prepared"):
        values = {**values, "prepared_id": values["sna_prepared_id"][role]}
    return staff_url(app, endpoint, values, QUERIES.get(endpoint))


def pages_by_role(app):
    for endpoint, method in staff_routes(app):
        if method == "GET":
            for role in sorted(ALLOWED[endpoint]):
                yield endpoint, role


def test_every_staff_page_needs_no_inline_script_or_style(app, filled):
    clients = {}
    seen = 0
    for endpoint, role in pages_by_role(app):
        if endpoint == "staff.export_responses" or role == "panel_member":
            continue
        if role not in clients:
            clients[role] = app.test_client()
            log_in(clients[role], f"{role}@example.org")
        response = clients[role].get(url(app, endpoint, filled, role))
        assert response.status_code == 200, (endpoint, role, response.status_code)
        csp = response.headers["Content-Security-Policy"]
        assert "unsafe-inline" not in csp and "script-src 'self'" in csp and "style-src 'self'" in csp
        if response.mimetype in ("text/html", "image/svg+xml"):
            body = response.get_data(as_text=True)
            assert not re.search(r"\sstyle=", body), (endpoint, "inline style attribute")
            assert not re.search(r"<script(?![^>]*\ssrc=)", body), (endpoint, "inline script")
            assert not re.search(r"\son[a-z]+=", body), (endpoint, "inline event handler")
            for form in FORM.findall(body):
                if re.search(r'method="post"', form, re.I):
                    assert 'name="csrf_token"' in form, (endpoint, form[:120])
            seen += 1
    assert seen >= 10


def test_every_staff_post_without_a_csrf_token_is_refused_and_changes_nothing(app, filled):
    def state():
        with app.app_context():
            session = db_session()
            return [
                session.scalar(select(func.count()).select_from(table))
                for table in (AuditEvent, Channel, AccessCode, Response)
            ]

    for endpoint, method in staff_routes(app):
        if method != "POST":
            continue
        role = sorted(ALLOWED[endpoint])[0]
        client = app.test_client()
        log_in(client, f"{role}@example.org")
        before = state()
        response = client.post(url(app, endpoint, filled), data={"open": "0", "name": "x", "count": "5"})
        assert response.status_code == 400, endpoint
        assert "This page was open too long" in response.get_data(as_text=True), endpoint
        assert state() == before, endpoint
