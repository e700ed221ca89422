"""Analysts code free-text answers: the list, saving codings and quotes, what the engine learns
from them, and how far two coders agree."""

from __future__ import annotations

import re
import uuid
from html import unescape

import pytest
from sqlalchemy import select

from survey_app.accounts import create_user
from survey_app.db import db_session
from survey_app.demo import add_demo_responses, demo_wave
from survey_app.models import Answer, AnswerCoding, AuditEvent, Item, Questionnaire, Quote, Wave
from survey_app.responses.store import store_response
from survey_app.surveys.service import survey_version
from tests.helpers import csrf_token
from tests.test_staff_access import PASSWORD, log_in, signed_in

ANSWERS = "/staff/surveys/community/answers"
FLAGGED = "My brother was stabbed near the park last month and nobody helped"


def user_id(app, email: str) -> int:
    from survey_app.models import StaffUser

    with app.app_context():
        return db_session().scalar(select(StaffUser.id).where(StaffUser.email == email))


def store_texts(
    app, texts, *, question: str = "make_area_safer", wave: str | None = None, month: str = "2026-10"
) -> list[tuple[uuid.UUID, int]]:
    """Store one community response per text, answering only `question`; (response id, item id) each."""
    with app.app_context():
        session = db_session()
        survey = session.scalar(select(Questionnaire).where(Questionnaire.slug == "community"))
        version = survey_version(session, survey.current_version_id)
        wave_id = None
        if wave == "demo":
            wave_id = demo_wave(session, survey).id
        elif wave is not None:
            wave_id = session.scalar(select(Wave.id).where(Wave.key == wave))
        stored = [
            store_response(
                session,
                version_id=version.version_id,
                definition=version.definition,
                answers={question: text},
                language="en",
                month=month,
                wave_id=wave_id,
            )
            for text in texts
        ]
        session.commit()
        item_id = session.scalar(
            select(Item.id).where(Item.version_id == version.version_id, Item.key == question)
        )
        return [(response_id, item_id) for response_id in stored]


def code(
    client,
    answer: tuple[uuid.UUID, int],
    themes=(),
    quote: bool = False,
    slug: str = "community",
    next_url: str | None = None,
    **extra,
):
    response_id, item_id = answer
    token = csrf_token(client.get("/staff/").get_data(as_text=True))
    data = {"csrf_token": token, "theme": list(themes), **extra}
    if quote:
        data["quote"] = "1"
    if next_url:
        data["next"] = next_url
    return client.post(f"/staff/surveys/{slug}/answers/{response_id}/{item_id}", data=data)


def article(html: str, answer: tuple[uuid.UUID, int]) -> str:
    """The part of the list page about one answer."""
    match = re.search(rf'<article[^>]*id="a-{answer[0]}-{answer[1]}".*?</article>', html, re.S)
    assert match, "the answer is not on the page"
    return unescape(match.group(0))


def ticked(fragment: str) -> set[str]:
    return set(re.findall(r'name="theme" id="[^"]+" value="([a-z_]+)" checked', fragment))


def coding_rows(app) -> list[AnswerCoding]:
    with app.app_context():
        return db_session().scalars(select(AnswerCoding)).all()


def audit(app, action: str) -> list[AuditEvent]:
    with app.app_context():
        return (
            db_session()
            .scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id))
            .all()
        )


def test_code_recode_no_theme_and_quote(app):
    client = signed_in(app, "analyst")
    [answer] = store_texts(app, ["Nothing for kids to do round here, open the youth club again"])
    page = client.get(ANSWERS).get_data(as_text=True)
    fragment = article(page, answer)
    assert "nothing_to_do" in ticked(fragment), "suggestions come pre-ticked"
    assert "Nothing to do, not enough youth services: cues “" in fragment
    assert "English" in fragment and "no colleague has coded it" in fragment

    saved = code(
        client,
        answer,
        ["safe_spaces", "nothing_to_do"],
        quote=True,
        next_url=f"{ANSWERS}?wave=all-waves&page=1",
    )
    assert saved.status_code == 302
    assert saved.headers["Location"] == f"{ANSWERS}?wave=all-waves&page=1#a-{answer[0]}-{answer[1]}"
    [coding] = coding_rows(app)
    assert coding.themes == ["nothing_to_do", "safe_spaces"], "kept in codebook order"
    with app.app_context():
        assert db_session().get(Quote, answer).approved_by == coding.coder_id
    page = client.get(saved.headers["Location"]).get_data(as_text=True)
    assert "Your coding was saved." in page and "marked as a publishable quote" in page
    fragment = article(page, answer)
    assert ticked(fragment) == {"nothing_to_do", "safe_spaces"}
    assert "You have coded this answer" in fragment
    assert re.search(r'name="quote" id="[^"]+" value="1"[^>]* checked', fragment)

    assert code(client, answer, []).status_code == 302
    [coding] = coding_rows(app)
    assert coding.themes == [], "no theme is a decision, kept as such"
    with app.app_context():
        assert db_session().get(Quote, answer) is None
    assert ticked(article(client.get(ANSWERS).get_data(as_text=True), answer)) == set()

    events = audit(app, "answer coded")
    assert [e.detail["themes"] for e in events] == [["nothing_to_do", "safe_spaces"], []]
    assert events[0].detail == {
        "survey": "community",
        "item": "make_area_safer",
        "response": str(answer[0]),
        "themes": ["nothing_to_do", "safe_spaces"],
        "quote": True,
    }
    assert events[1].detail["quote"] is False

    # coding.js asks for JSON: the same save, answered in place, with no message left for a later page.
    token = csrf_token(client.get("/staff/").get_data(as_text=True))
    fetched = client.post(
        f"/staff/surveys/community/answers/{answer[0]}/{answer[1]}",
        data={"csrf_token": token, "theme": ["safe_spaces"]},
        headers={"Accept": "application/json"},
    )
    assert fetched.status_code == 200
    assert fetched.json == {"message": "Your coding was saved.", "themes": ["Safe places to go"]}
    assert [c.themes for c in coding_rows(app)] == [["safe_spaces"]]
    assert "Your coding was saved." not in client.get(ANSWERS).get_data(as_text=True)


def test_a_flagged_answer_is_never_a_quote(app):
    client = signed_in(app, "analyst")
    [answer] = store_texts(app, [FLAGGED])
    fragment = article(client.get(ANSWERS).get_data(as_text=True), answer)
    assert "Flagged for safeguarding" in fragment and 'name="quote"' not in fragment
    refused = code(client, answer, ["safe_spaces"], quote=True)
    assert refused.status_code == 422
    message = unescape(refused.get_data(as_text=True))
    assert "flagged for safeguarding, so it cannot be published as a quote" in message
    assert coding_rows(app) == [] and audit(app, "answer coded") == []
    assert code(client, answer, ["safe_spaces"]).status_code == 302


def test_unknown_theme_is_refused_by_name(app):
    client = signed_in(app, "analyst")
    [answer] = store_texts(app, ["More street lights"])
    refused = code(client, answer, ["lighting_and_environment", "dragons"])
    assert refused.status_code == 400
    assert "“dragons” is not a theme in the codebook" in unescape(refused.get_data(as_text=True))
    assert coding_rows(app) == []


def test_answers_of_another_survey_or_question_are_not_found(app):
    client = signed_in(app, "analyst")
    [answer] = store_texts(app, ["More street lights"])
    assert code(client, answer, [], slug="young-people").status_code == 404
    assert code(client, (uuid.uuid4(), answer[1]), []).status_code == 404
    add_demo_responses_to(app)
    with app.app_context():
        response_id, item_id = (
            db_session()
            .execute(
                select(Answer.response_id, Answer.item_id)
                .join(Item, Item.id == Answer.item_id)
                .where(Item.kind == "single")
            )
            .first()
        )
    assert code(client, (response_id, item_id), []).status_code == 404, "not a text question"
    assert (
        client.post(
            f"/staff/surveys/community/answers/{answer[0]}/{answer[1]}", data={"theme": []}
        ).status_code
        == 400
    ), "no CSRF token"
    assert coding_rows(app) == []


def add_demo_responses_to(app, count: int = 30):
    with app.app_context():
        add_demo_responses(db_session(), "community", count, seed=3)


def test_list_filters_pages_and_demo_data(app):
    client = signed_in(app, "analyst")
    stored = store_texts(app, [f"Answer number {n} about the area" for n in range(25)])
    first = client.get(ANSWERS).get_data(as_text=True)
    assert "What would make your area safer?" in first, "the first long-text question, not the postcode"
    assert first.count("<article") == 20 and "25 answers." in first and "Page 1 of 2" in first
    assert 'rel="next"' in first and 'rel="prev"' not in first
    second = client.get(f"{ANSWERS}?page=2").get_data(as_text=True)
    assert second.count("<article") == 5 and 'rel="prev"' in second and "Answer 21" in second
    assert client.get(f"{ANSWERS}?page=9").headers["Location"].endswith("page=2")

    code(client, stored[0], ["safe_spaces"])
    uncoded = client.get(f"{ANSWERS}?uncoded=1").get_data(as_text=True)
    assert "24 answers you have not coded." in uncoded and f"a-{stored[0][0]}" not in uncoded

    colleague = signed_in(app, "analyst", "colleague@example.org")
    both_pages = "".join(colleague.get(f"{ANSWERS}?page={n}").get_data(as_text=True) for n in (1, 2))
    assert "coded by 1 colleague" in article(both_pages, stored[0])

    add_demo_responses_to(app)
    real = client.get(ANSWERS).get_data(as_text=True)
    assert "25 answers." in real, "demo answers stay out of real ones"
    demo = client.get(f"{ANSWERS}?wave=demo&question=causes_of_violence").get_data(as_text=True)
    assert "synthetic demo answers" in demo and "Demo data (synthetic)" in demo
    assert "What do you think causes violence here?" in demo and "<article" in demo
    assert client.get(f"{ANSWERS}?wave=winter").status_code == 400
    assert client.get(f"{ANSWERS}?question=area").status_code == 400, "not a text question"


def test_the_engine_learns_from_coding(app):
    """Once people have coded enough answers, a model trained on their coding suggests themes the
    codebook's cues miss; each person's coding stays as they saved it."""
    client = signed_in(app, "analyst")
    mine = user_id(app, "analyst@example.org")
    with app.app_context():
        create_user(db_session(), "colleague@example.org", PASSWORD, "analyst")
    other_id = user_id(app, "colleague@example.org")
    positives = [
        "we need more flibber near the flats",
        "flibber for the kids please",
        "bring back the flibber",
        "a flibber on every estate",
        "flibber and more flibber",
        "the old flibber was great",
    ]
    negatives = [
        "the weather is grey today",
        "I have lived here a long time",
        "my neighbours are kind people",
        "the shops are fine",
        "it is a quiet road",
        "no strong views on this",
    ]
    coded = store_texts(app, positives + negatives)
    [new] = store_texts(app, ["flibber please, we miss it"])

    def add_codings(pairs):
        with app.app_context():
            from datetime import datetime

            for answer, coder, themes in pairs:
                db_session().add(
                    AnswerCoding(
                        response_id=answer[0],
                        item_id=answer[1],
                        coder_id=coder,
                        themes=themes,
                        coded_at=datetime(2026, 11, 1),
                    )
                )
            db_session().commit()

    # Two people split the work; where both coded an answer, the model learns the union.
    add_codings(
        [(answer, mine, ["safe_spaces"]) for answer in coded[:3]]
        + [(answer, other_id, ["safe_spaces"]) for answer in coded[3:6]]
        + [(coded[5], mine, [])]
        + [(answer, other_id, []) for answer in coded[6:8]]
    )
    before = client.get(f"{ANSWERS}?uncoded=1").get_data(as_text=True)
    assert "learnt from coding" not in article(before, new) and "Once people have coded enough" in before

    add_codings([(answer, other_id, []) for answer in coded[8:]])
    page = client.get(f"{ANSWERS}?uncoded=1").get_data(as_text=True)
    fragment = article(page, new)
    assert "Safe places to go: learnt from coding" in fragment and ticked(fragment) == {"safe_spaces"}
    assert "from what people coding 12 answers" in page
    everything = client.get(ANSWERS).get_data(as_text=True)
    assert ticked(article(everything, coded[5])) == set(), "my own coding wins over the model"
    # The model learnt the colleague's "safe_spaces" for this answer: a second coder is not told it.
    assert ticked(article(everything, coded[3])) == set(), "a colleague's decision is not suggested"
    assert {(c.response_id, c.coder_id): c.themes for c in coding_rows(app)}[coded[5][0], mine] == []

    add_demo_responses_to(app, 5)
    demo = client.get(f"{ANSWERS}?wave=demo").get_data(as_text=True)
    assert "Once people have coded enough" in demo, "real coding never teaches demo suggestions"


@pytest.fixture
def two_coders(app):
    """Ten answers coded by two people: they differ on two answers for each of two themes, and both
    give a third theme to every answer (kappa not defined)."""
    first = signed_in(app, "analyst", "first@example.org")
    with app.app_context():
        create_user(db_session(), "second@example.org", PASSWORD, "analyst")
    second = app.test_client()
    log_in(second, "second@example.org")
    answers = store_texts(app, [f"Answer {n}" for n in range(1, 11)])
    for n, answer in enumerate(answers, 1):
        first_themes = {"nothing_to_do": n <= 5, "safe_spaces": n <= 2, "policing_and_trust": True}
        second_themes = {
            "nothing_to_do": n <= 4 or n == 6,
            "safe_spaces": n in (1, 3),
            "policing_and_trust": True,
        }
        code(first, answer, [theme for theme, given in first_themes.items() if given])
        code(second, answer, [theme for theme, given in second_themes.items() if given])
    return first


def table_row(html: str, label: str) -> list[str]:
    """The theme's cells, starting with what its row header says beside the theme's name."""
    match = re.search(rf"<tr><th scope=\"row\">{re.escape(label)}(.*?)</th>(.*?)</tr>", html, re.S)
    assert match, label
    cells = [match.group(1), *re.findall(r"<td>(.*?)</td>", match.group(2), re.S)]
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in cells]


def test_agreement_page_shows_hand_computed_kappas(app, two_coders):
    page = two_coders.get("/staff/surveys/community/agreement").get_data(as_text=True)
    html = unescape(page).replace("<wbr>", "")
    assert "first@example.org and second@example.org" in html
    assert "10 answers coded by both." in html
    # Pooled over every codebook theme: 10 answers x 18 themes = 180 decisions, 176 agree; each coder
    # says yes 17 times: chance = (17² + 163²) / 180² = 26858 / 32400,
    # kappa = (31680 - 26858) / (32400 - 26858) = 0.870.
    assert round(4822 / 5542, 2) == 0.87
    assert "All themes together: kappa 0.87 (almost perfect), agreement 98%." in html
    # Nothing to do: 8 of 10 agree, chance 0.5: (0.8 - 0.5) / 0.5 = 0.6, not under 0.6.
    assert table_row(html, "Nothing to do, not enough youth services") == [
        "given by each: 5 and 5",
        "0.60 (moderate)",
        "80%",
    ]
    # Safe places: 8 of 10 agree, chance 0.2 * 0.2 + 0.8 * 0.8 = 0.68: (0.8 - 0.68) / 0.32 = 0.375.
    assert table_row(html, "Safe places to go") == ["given by each: 2 and 2", "0.38 (fair): discuss", "80%"]
    assert table_row(html, "Police, and trust in them") == ["given by each: 10 and 10", "not defined", "100%"]
    assert "Mental health and feelings" not in html, "themes neither gave are left out"
    assert "Landis and Koch" in html and "under 0.6" in html
    assert "Nobody has coded answers to this question" in html, "the other questions say why they are empty"
    add_demo_responses_to(app, 5)
    demo = two_coders.get("/staff/surveys/community/agreement?wave=demo")
    assert demo.status_code == 200 and "coded by both" not in demo.get_data(as_text=True)
    assert two_coders.get("/staff/surveys/community/agreement?wave=nope").status_code == 400
