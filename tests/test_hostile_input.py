"""A hostile-input sweep of every route of the app (from app.url_map), as an anonymous visitor and
as each role: hostile values in every path part, query parameter and common form field must never
give a server error (5xx)."""

from __future__ import annotations

import re
from urllib.parse import quote

from survey_app.models import ROLES
from tests.helpers import csrf_token
from tests.test_staff_access import PASSWORD, URL_VALUES, log_in
from tests.test_staff_security import filled  # noqa: F401 (the fixture)

#: Values that have broken web apps: too large for a database integer, negative, other scripts and
#: digits, NUL and line breaks, path tricks, SQL, percent signs and very long text.
HOSTILE = [
    "99999999999999999999",
    "2147483648",
    "-1",
    "0",
    "٣",
    "ünïcødé 日本 لا",
    "\x00",
    "a\r\nb: c",
    "../../etc/passwd",
    "' OR 1=1 --",
    "%",
    "%00",
    "x" * 5000,
]
#: Every query parameter and form field the app reads by name, and the common form fields.
NAMES = [
    "wave",
    "compare",
    "next",
    "lang",
    "page",
    "via",
    "uncoded",
    "question",
    "fmt",
    "code",
    "theme",
    "restart",
    "quote",
    "open",
    "action",
    "email",
    "password",
    "confirm",
    "name",
    "note",
    "key",
    "label",
    "make_current",
    "type",
    "area",
    "requires_code",
    "codes",
    "kind",
    "text",
    "reason",
    "votes",
    "language",
    "outcome",
    "comment",
    "theme_a",
    "theme_b",
    "reflects",
    "better_name",
    "decision",
]
PART = re.compile(r"<(?:(\w+):)?(\w+)>")
#: These end the session they are sent in, so they run last.
LAST = {"staff.logout", "staff.logout_everywhere", "public.quick_exit", "taking.quick_exit"}


def _url(rule: str, value_of) -> str:
    return PART.sub(lambda part: quote(str(value_of(part.group(1), part.group(2))), safe=""), rule)


def _hostile_part(value: str):
    def value_of(converter: str | None, name: str) -> str:
        if converter == "uuid":
            return "ffffffff-ffff-ffff-ffff-ffffffffffff"
        return value

    return value_of


def _requests(app, real: dict):
    """(method, url, form) for every route: hostile path parts, then the real ones with hostile
    query strings and form fields."""
    rules = sorted(
        (rule for rule in app.url_map.iter_rules() if rule.endpoint != "static"),
        key=lambda rule: (rule.endpoint in LAST, rule.rule),
    )
    for rule in rules:
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            for value in HOSTILE:
                yield method, f"{_url(rule.rule, _hostile_part(value))}?{_query(value)}", _form(value)
            if rule.arguments:
                url = _url(rule.rule, lambda _converter, name: real.get(name, "community"))
                for value in HOSTILE[:6]:
                    yield method, f"{url}?{_query(value)}", _form(value)


def _query(value: str) -> str:
    return "&".join(f"{name}={quote(value, safe='')}" for name in NAMES[:10])


def _form(value: str) -> dict:
    return dict.fromkeys(NAMES, value)


def _sweep(app, client, real: dict) -> list[tuple[str, str, int]]:
    failures = []
    token = csrf_token(client.get("/staff/login").get_data(as_text=True))
    for method, url, form in _requests(app, real):
        if method == "POST":
            response = client.post(url, data={"csrf_token": token, **form})
        else:
            response = client.get(url)
        if response.status_code >= 500:
            failures.append((method, url[:200], response.status_code))
    return failures


def test_no_route_gives_a_server_error_on_hostile_input(app, filled):  # noqa: F811
    app.config["LOGIN_RATE_LIMIT"] = "100000 per minute"
    real = {
        **URL_VALUES,
        **filled,
        "wave_key": "demo",
        "theme_id": "safe_spaces",
        "step": 1,
        "token": "not-a-token",
    }
    failures = _sweep(app, app.test_client(), real)
    for role in ROLES:
        client = app.test_client()
        assert log_in(client, f"{role}@example.org", PASSWORD).status_code == 302
        failures += _sweep(app, client, real)
    assert failures == []
