"""Property-based tests (Hypothesis) of every respondent form, the staff forms and the questionnaire
loader: whatever is sent, never a 5xx and never a stored value the definition does not allow.

Examples are derandomized and few, so the file runs in about a minute on each database.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from survey_app.db import db_session
from survey_app.definitions import Questionnaire, load_file, parse
from survey_app.definitions.loader import QuestionnaireInvalid
from survey_app.models import Answer, Channel, Item, Panel, Wave
from survey_app.staff.surveys import WAVE_KEY
from tests.conftest import TEST_QUESTIONNAIRES
from tests.helpers import Respondent, current_page, page_answers
from tests.test_questionnaire_files import GOOD
from tests.test_staff_access import signed_in
from tests.test_staff_surveys import post

WEB = settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
PROBLEM = re.compile(r"^<questionnaire>:\d+: \S")

#: What a person or a script might put in any field: text in any script with control characters,
#: numbers of any size, or nothing.
VALUE = st.one_of(
    st.text(max_size=300),
    st.integers().map(str),
    st.sampled_from(["", " ", "yes", "no", "0"]),
    st.floats(allow_nan=True).map(str),
)
FIELD = st.one_of(VALUE, st.lists(VALUE, max_size=4))


# --- the questionnaire loader -------------------------------------------------------------------

YAMLISH = st.text(
    alphabet=st.sampled_from([*"abc:-[]{}&*!|>'\"#%@`,?\n  \t01.~", "\u00e9", "\x00"]), max_size=200
)


def _check_parse(text: str) -> None:
    try:
        result = parse(text)
    except QuestionnaireInvalid as invalid:
        assert invalid.problems and all(PROBLEM.match(str(problem)) for problem in invalid.problems), invalid
    else:
        assert isinstance(result, Questionnaire)


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(YAMLISH)
def test_the_loader_never_raises_on_yaml_like_text(text):
    _check_parse(text)


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(st.integers(0, len(GOOD)), st.integers(0, 20), YAMLISH)
def test_the_loader_never_raises_on_a_damaged_questionnaire(at, cut, inserted):
    _check_parse(GOOD[:at] + inserted + GOOD[at + cut :])


# --- respondent forms ---------------------------------------------------------------------------

KITCHEN_SINK = load_file(TEST_QUESTIONNAIRES / "kitchen-sink.yaml")


def _definition_items(definition: Questionnaire) -> dict:
    """Each stored item key (a question, or a statement of a rating scale) with its question."""
    found = {}
    for page in definition.pages:
        for item in page.items:
            found[item.id] = item
            found.update((statement.id, item) for statement in item.statements)
    return found


def _stored_answers_are_valid(app, slug: str, definition: Questionnaire) -> None:
    items = _definition_items(definition)
    with app.app_context():
        session = db_session()
        rows = session.execute(select(Answer, Item.key).join(Item, Item.id == Answer.item_id)).all()
        for answer, key in rows:
            item = items[key]
            if answer.number is not None:
                assert item.type == "number"
                assert item.min is None or answer.number >= item.min
                assert item.max is None or answer.number <= item.max
            if answer.text is not None:
                assert item.type == "text" or item.type.endswith("text"), item.type
                assert "\x00" not in answer.text
                assert item.max_length is None or len(answer.text) <= item.max_length
            if answer.selections:
                assert item.max_choices is None or len(answer.selections) <= item.max_choices


@WEB
@given(data=st.data())
def test_respondent_pages_take_anything_and_store_only_valid_answers(app, data):
    respondent = Respondent(app.test_client())
    started = respondent.start("kitchen-sink")
    assert started.status_code < 500
    for _ in range(len(KITCHEN_SINK.pages) + 1):
        if 'name="action"' not in respondent.html:
            break
        page = current_page(KITCHEN_SINK, respondent.html)
        keys = [key for item in page.items for key in item.answer_keys]
        fuzzed = {key: data.draw(FIELD, label=key) for key in keys}
        # Half the time one answer is valid and the rest fuzzed, so pages are also passed and sent.
        if data.draw(st.booleans(), label="mostly valid"):
            fuzzed = {
                **page_answers(page),
                data.draw(st.sampled_from(keys), label="fuzzed key"): data.draw(FIELD, label="fuzzed value"),
            }
        response = respondent.answer("kitchen-sink", fuzzed, follow_redirects=True)
        assert response.status_code < 500, fuzzed
        if response.status_code == 422:
            response = respondent.answer("kitchen-sink", page_answers(page), follow_redirects=True)
            assert response.status_code < 500
    _stored_answers_are_valid(app, "kitchen-sink", KITCHEN_SINK)


# --- staff forms --------------------------------------------------------------------------------

#: Each staff form: (role, URL, its fields). Panel and round ids of 1 are made by the fixture.
STAFF_FORMS = [
    ("admin", "/staff/surveys/community/waves", ["key", "label", "make_current"]),
    ("admin", "/staff/surveys/community/status", ["open"]),
    ("admin", "/staff/surveys/community/current-wave", ["wave"]),
    (
        "admin",
        "/staff/surveys/community/channels",
        ["name", "type", "area", "expected_size", "requires_code", "codes"],
    ),
    ("admin", "/staff/surveys/community/channels/1/codes", ["count"]),
    ("admin", "/staff/panels", ["name"]),
    ("admin", "/staff/panels/1/invites", ["note"]),
    ("admin", "/staff/panels/1/rounds", ["wave", "votes"]),
    ("analyst", "/staff/rounds/1/decisions", ["kind", "theme", "name", "into", "reason"]),
    ("analyst", "/staff/surveys/community/actions", ["wave", "theme", "action"]),
    (
        "analyst",
        "/staff/surveys/community/answers/00000000-0000-0000-0000-000000000001/1",
        ["theme", "quote", "next"],
    ),
    (
        "safeguarding_lead",
        "/staff/safeguarding/00000000-0000-0000-0000-000000000001/1",
        ["outcome", "action"],
    ),
]


@pytest.fixture
def staff_clients(app):
    from tests.test_panels import make_panel, make_round

    clients = {role: signed_in(app, role) for role in ("admin", "analyst", "safeguarding_lead")}
    app.config["LOGIN_RATE_LIMIT"] = "100000 per minute"
    with app.app_context():
        from survey_app.demo import add_demo_responses

        add_demo_responses(db_session(), "community", 20, seed=5)
    post(
        clients["admin"],
        "/staff/surveys/community/channels",
        {"name": "Library", "type": "event", "area": "leicester"},
    )
    make_round(clients["admin"], make_panel(clients["admin"]))
    return clients


@WEB
@given(data=st.data())
def test_staff_forms_take_anything_and_store_only_valid_values(app, staff_clients, data):
    for role, url, fields in STAFF_FORMS:
        sent = {field: data.draw(FIELD, label=f"{url} {field}") for field in fields}
        response = post(staff_clients[role], url, sent)
        assert response.status_code < 500, (url, sent)
    with app.app_context():
        session = db_session()
        for wave in session.scalars(select(Wave)):
            assert WAVE_KEY.match(wave.key) and len(wave.key) <= 60 and wave.label.strip(), wave.key
        for name in [*session.scalars(select(Channel.name)), *session.scalars(select(Panel.name))]:
            assert name.strip() == name and 0 < len(name) <= 120 and "\x00" not in name
