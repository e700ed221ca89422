"""The safeguarding queue: flagged answers from every survey, and what the lead records doing."""

from __future__ import annotations

import re
import uuid
from html import unescape

from sqlalchemy import select

from survey_app.db import db_session
from survey_app.definitions import load_file
from survey_app.demo import add_demo_responses
from survey_app.models import Answer, AuditEvent, Item, SafeguardingReview
from tests.conftest import QUESTIONNAIRES
from tests.helpers import Respondent, csrf_token
from tests.test_staff_access import signed_in

COMMUNITY = load_file(QUESTIONNAIRES / "community.yaml")
QUEUE = "/staff/safeguarding"
FLAGGED = "My brother was stabbed near the park last month and nobody helped"


def answer_with(app, text: str) -> tuple[uuid.UUID, int]:
    """A person completes the community survey writing `text`; its (response id, item id)."""
    Respondent(app.test_client()).complete("community", COMMUNITY, {"make_area_safer": text})
    with app.app_context():
        return tuple(
            db_session()
            .execute(
                select(Answer.response_id, Answer.item_id)
                .join(Item, Item.id == Answer.item_id)
                .where(Answer.text == text)
            )
            .one()
        )


def record(client, answer, **data):
    token = csrf_token(client.get("/staff/").get_data(as_text=True))
    return client.post(f"{QUEUE}/{answer[0]}/{answer[1]}", data={"csrf_token": token, **data})


def entry(html: str, answer) -> str:
    match = re.search(rf'<article[^>]*id="s-{answer[0]}-{answer[1]}".*?</article>', html, re.S)
    assert match, "the answer is not in the queue"
    return unescape(match.group(0))


def test_the_queue_lists_flagged_answers_with_the_ground_rules(app):
    client = signed_in(app, "safeguarding_lead", "lead@example.org")
    flagged = answer_with(app, FLAGGED)
    answer_with(app, "More street lights along the canal path please")
    html = client.get(QUEUE).get_data(as_text=True)
    assert "nobody who wrote them can be identified or contacted" in html
    assert "local safeguarding procedure" in html
    found = entry(html, flagged)
    assert FLAGGED in found and "What would make your area safer?" in found and "community" in found
    assert "English" in found and "outside a named wave" in found
    assert html.count("<article") == 1, "only flagged answers"
    assert "1 answer waiting for review." in html
    for value in ("no_concern", "no_further_action", "shared_with_partner", "referred", "reported_to_police"):
        assert f'value="{value}"' in found
    assert "Reported to the police" in found and "What was done" in found


def test_synthetic_answers_are_marked(app):
    client = signed_in(app, "safeguarding_lead", "lead@example.org")
    with app.app_context():
        add_demo_responses(db_session(), "community", 120, seed=1)
    html = client.get(QUEUE).get_data(as_text=True)
    assert "<article" in html and "synthetic demo answer" in html


def test_recording_and_updating_an_action(app):
    client = signed_in(app, "safeguarding_lead", "lead@example.org")
    first, second = answer_with(app, FLAGGED), answer_with(app, "My cousin got stabbed at the shop")
    done = record(
        client,
        first,
        outcome="shared_with_partner",
        action="Told the community safety team about the park; they will step up patrols.",
    )
    assert done.status_code == 302 and done.headers["Location"] == f"{QUEUE}#s-{first[0]}-{first[1]}"
    html = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "What was done is recorded." in html
    assert html.index(f'id="s-{second[0]}') < html.index(f'id="s-{first[0]}'), (
        "within a kind, waiting answers come first"
    )
    found = entry(html, first)
    assert "Shared with a partner who can act on it" in found and "step up patrols" in found
    assert "Recorded by lead@example.org" in found and "Update what was done" in found

    assert (
        record(
            client, first, outcome="referred", action="Referred to the school's safeguarding lead."
        ).status_code
        == 302
    )
    with app.app_context():
        review = db_session().get(SafeguardingReview, first)
        assert (review.outcome, review.action) == ("referred", "Referred to the school's safeguarding lead.")
        events = (
            db_session()
            .scalars(
                select(AuditEvent)
                .where(AuditEvent.action == "safeguarding action recorded")
                .order_by(AuditEvent.id)
            )
            .all()
        )
    assert [(e.detail["outcome"], e.detail["updated"]) for e in events] == [
        ("shared_with_partner", False),
        ("referred", True),
    ]
    assert "step up patrols" in events[0].detail["what_was_done"], "the audit log keeps every version"
    assert events[0].detail["survey"] == "community" and events[0].detail["item"] == "make_area_safer"


def test_empty_or_long_input_is_refused(app):
    client = signed_in(app, "safeguarding_lead", "lead@example.org")
    flagged = answer_with(app, FLAGGED)
    refused = record(client, flagged, action="   ")
    html = unescape(refused.get_data(as_text=True))
    assert refused.status_code == 422
    assert "There is a problem" in html and "Choose the outcome" in html and "Describe what was done" in html
    assert f'href="#s-{flagged[0]}-{flagged[1]}-outcome-1"' in html
    too_long = record(client, flagged, outcome="no_concern", action="x" * 2001)
    assert too_long.status_code == 422 and "2,000 characters or fewer" in too_long.get_data(as_text=True)
    assert "x" * 2001 in too_long.get_data(as_text=True), "what was typed is kept"
    assert record(client, flagged, outcome="made_up", action="Something").status_code == 422
    with app.app_context():
        assert db_session().scalars(select(SafeguardingReview)).all() == []


def test_only_flagged_answers_can_be_reviewed(app):
    client = signed_in(app, "safeguarding_lead", "lead@example.org")
    plain = answer_with(app, "More street lights along the canal path please")
    assert record(client, plain, outcome="no_concern", action="Read it").status_code == 404
    assert record(client, (uuid.uuid4(), plain[1]), outcome="no_concern", action="Read it").status_code == 404
    assert record(client, plain).status_code == 404, "not found comes before form errors"
    no_token = client.post(f"{QUEUE}/{plain[0]}/{plain[1]}", data={"outcome": "no_concern", "action": "x"})
    assert no_token.status_code == 400


def test_a_disclosure_in_urdu_stores_its_kind_and_the_queue_is_sorted_by_kind(app):
    client = signed_in(app, "safeguarding_lead", "lead@example.org")
    threat = answer_with(app, "They said they know where I live")
    urdu = answer_with(app, "میں خودکشی کرنا چاہتا ہوں، کوئی میری بات نہیں سنتا")
    romanised = answer_with(app, "bade larke mujhe drugs carry karwate hain, qarz chukana hai")
    with app.app_context():
        stored = {answer: db_session().get(Answer, answer) for answer in (threat, urdu, romanised)}
        assert stored[urdu].safeguarding is True and stored[urdu].safeguarding_harm == "self_harm"
        assert stored[urdu].text_language == "ur"
        assert stored[romanised].safeguarding_harm == "criminal_exploitation"
        assert stored[threat].safeguarding_harm == "threats_bullying"
    html = client.get(QUEUE).get_data(as_text=True)
    assert "Kind of harm: Self-harm or suicidal thoughts" in " ".join(
        re.sub(r"<[^>]+>", " ", entry(html, urdu)).split()
    )
    headings = re.findall(r'<h2 id="kind-([a-z_]+)">([^<]+)</h2>', html)
    assert headings == [
        ("self_harm", "Self-harm or suicidal thoughts"),
        ("criminal_exploitation", "Criminal exploitation: county lines, drugs, debts"),
        ("threats_bullying", "Serious threats or bullying"),
    ]
    order = [html.index(f'id="s-{a[0]}-{a[1]}"') for a in (urdu, romanised, threat)]
    assert order == sorted(order), "the most urgent kind first"


def test_the_kinds_are_shown_in_the_leads_language(app):
    client = signed_in(app, "safeguarding_lead", "lead@example.org")
    answer_with(app, "I want to kill myself")
    client.set_cookie("lang", "pl")
    html = client.get(QUEUE).get_data(as_text=True)
    assert "Samookaleczenie lub myśli samobójcze" in html
