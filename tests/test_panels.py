"""Co-production panels: invitations, a member's review round, staff results and decisions, and the
public "You said, we did" page, through real HTTP on a real database."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest
from babel import Locale
from babel.messages.pofile import read_po
from sqlalchemy import select

from survey_app.accounts import create_user, now
from survey_app.db import db_session
from survey_app.demo import add_demo_responses
from survey_app.models import (
    Answer,
    AuditEvent,
    CardFeedback,
    Item,
    PanelInvite,
    Quote,
    ReviewRound,
    RoundCard,
    StaffUser,
    ThemeChange,
    ThemeProposal,
    Wave,
    WaveAction,
    WaveActionText,
)
from survey_app.themes import effective_labels, file_codebook
from tests.conftest import TRANSLATIONS
from tests.helpers import csrf_token
from tests.test_staff_access import PASSWORD, log_in

MEMBER_PASSWORD = "member long passphrase"


def tag_name(tag: str) -> str:
    """How the English interface names an answer's language tag ("Polish", "Urdu in Latin letters")."""
    base, _, script = tag.partition("-")
    name = Locale.parse(base).get_language_name("en")
    return f"{name} in Latin letters" if script else name


def post(client, url: str, data: dict, page: str = "/staff/login", **kwargs):
    token = csrf_token(client.get(page).get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **data}, **kwargs)


@pytest.fixture
def staff(app):
    with app.app_context():
        create_user(db_session(), "admin@example.org", PASSWORD, "admin")
        create_user(db_session(), "analyst@example.org", PASSWORD, "analyst")
        add_demo_responses(db_session(), "community", 60, seed=3)
        db = db_session()
        # Approve a few quotes, as an analyst would on the coding page.
        analyst = db.scalar(select(StaffUser.id).where(StaffUser.email == "analyst@example.org"))
        answers = db.scalars(
            select(Answer)
            .join(Item, Item.id == Answer.item_id)
            .where(Item.kind == "text", Answer.text.is_not(None), Answer.safeguarding.is_(False))
        ).all()
        for answer in answers[:12]:
            db.add(
                Quote(
                    response_id=answer.response_id,
                    item_id=answer.item_id,
                    approved_by=analyst,
                    approved_at=now(),
                )
            )
        db.commit()


def make_panel(client, name: str = "Young people's panel, Leicester city") -> int:
    response = post(client, "/staff/panels", {"name": name})
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[1])


def make_invite(client, panel_id: int, note: str = "for Amira") -> str:
    response = post(client, f"/staff/panels/{panel_id}/invites", {"note": note})
    assert response.status_code == 200
    return re.search(r"/panel/join/([\w-]+)", response.get_data(as_text=True)).group(1)


def make_round(client, panel_id: int, votes: int = 3) -> int:
    response = post(client, f"/staff/panels/{panel_id}/rounds", {"wave": "community/demo", "votes": votes})
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[1])


def join(client, token: str, email: str, language: str = "en"):
    return post(
        client,
        f"/panel/join/{token}",
        {"email": email, "password": MEMBER_PASSWORD, "confirm": MEMBER_PASSWORD, "language": language},
        page=f"/panel/join/{token}",
    )


@pytest.fixture
def setup(app, staff):
    """An admin's panel with an open round, and a member who joined by link."""
    admin = app.test_client()
    log_in(admin, "admin@example.org")
    panel_id = make_panel(admin)
    round_id = make_round(admin, panel_id)
    member = app.test_client()
    assert join(member, make_invite(admin, panel_id), "amira@example.org").status_code == 302
    with app.app_context():
        themes = (
            db_session()
            .scalars(
                select(RoundCard.theme_id).where(RoundCard.round_id == round_id).order_by(RoundCard.position)
            )
            .all()
        )
    return {"admin": admin, "member": member, "panel": panel_id, "round": round_id, "themes": themes}


def save_card(client, round_id: int, theme: str, **fields):
    data = {
        f"{theme}-{name}": value
        for name, value in {"reflects": "yes", "better_name": "", "comment": "", "votes": 0, **fields}.items()
    }
    return post(client, f"/panel/rounds/{round_id}/cards/{theme}", data, page=f"/panel/rounds/{round_id}")


def test_an_invite_works_once_and_expires(app, staff):
    admin = app.test_client()
    log_in(admin, "admin@example.org")
    panel_id = make_panel(admin)
    token = make_invite(admin, panel_id)
    page = admin.get(f"/staff/panels/{panel_id}").get_data(as_text=True)
    assert token not in page and "for Amira" in page, "the link is shown once only"
    member = app.test_client()
    assert "Join the panel" in member.get(f"/panel/join/{token}").get_data(as_text=True)
    joined = join(member, token, "Amira@Example.org", "ur")
    assert joined.headers["Location"] == "/panel/?lang=ur"
    assert member.get("/panel/").status_code == 200
    again = app.test_client().get(f"/panel/join/{token}")
    unknown = app.test_client().get("/panel/join/not-a-token")
    assert again.status_code == unknown.status_code == 410
    assert again.get_data() == unknown.get_data(), "a used link and an unknown one get the same answer"
    assert "cannot be used" in again.get_data(as_text=True)
    old = make_invite(admin, panel_id, "late")
    with app.app_context():
        invite = db_session().scalar(select(PanelInvite).where(PanelInvite.note == "late"))
        invite.expires_at = now() - timedelta(minutes=1)
        db_session().commit()
        user = db_session().scalar(select(StaffUser).where(StaffUser.email == "amira@example.org"))
        assert user.role == "panel_member"
        actions = db_session().scalars(select(AuditEvent.action)).all()
    assert app.test_client().get(f"/panel/join/{old}").get_data() == unknown.get_data()
    assert {"panel created", "panel invite created", "panel joined"} <= set(actions)


def test_trying_join_links_is_rate_limited(app):
    client = app.test_client()
    guess = {"email": "x@example.org", "password": MEMBER_PASSWORD}
    statuses = [post(client, f"/panel/join/guess-{n}", guess).status_code for n in range(6)]
    assert statuses == [410] * 5 + [429]


def test_join_checks_the_form(app, staff):
    admin = app.test_client()
    log_in(admin, "admin@example.org")
    token = make_invite(admin, make_panel(admin))
    client = app.test_client()
    response = post(
        client,
        f"/panel/join/{token}",
        {
            "email": "x@example.org",
            "password": MEMBER_PASSWORD,
            "confirm": "something else",
            "language": "en",
        },
        page=f"/panel/join/{token}",
    )
    assert response.status_code == 422 and "not the same" in response.get_data(as_text=True)
    taken = join(client, token, "admin@example.org")
    assert taken.status_code == 422 and "already an account" in taken.get_data(as_text=True)
    no_at = join(client, token, "amira.example.org")
    assert no_at.status_code == 422 and "Enter an email address like" in no_at.get_data(as_text=True)


def test_member_login_goes_to_the_panel_in_their_language(app, setup):
    client = app.test_client()
    response = log_in(client, "amira@example.org", MEMBER_PASSWORD)
    assert response.headers["Location"] == "/panel/?lang=en"
    assert client.get("/staff/").status_code == 403
    assert app.test_client().get("/panel/").status_code == 302
    analyst = app.test_client()
    log_in(analyst, "analyst@example.org")
    assert analyst.get("/panel/").status_code == 403


def test_member_sees_only_their_own_panels(app, setup):
    admin, member = setup["admin"], setup["member"]
    page = member.get(f"/panel/rounds/{setup['round']}").get_data(as_text=True)
    assert "People who raised it" in page and "You have 3 votes left" in page
    other_panel = make_panel(admin, "Parents' panel")
    other_round = make_round(admin, other_panel)
    assert member.get(f"/panel/rounds/{other_round}").status_code == 404
    assert other_round and "Parents" not in member.get("/panel/").get_data(as_text=True)


def test_feedback_is_saved_and_votes_are_limited(app, setup):
    member, round_id = setup["member"], setup["round"]
    first, second = setup["themes"][:2]
    saved = save_card(
        member,
        round_id,
        first,
        reflects="partly",
        better_name="Scared to walk home",
        comment="Very true near the park",
        votes=2,
    )
    assert saved.status_code == 302 and saved.headers["Location"].endswith(f"#card-{first}")
    page = member.get(saved.headers["Location"]).get_data(as_text=True)
    # "Saved" shows inside the card that was saved, not at the top of the page; the card closes.
    card = page[page.index(f'id="card-{first}"') : page.index("</section>", page.index(f'id="card-{first}"'))]
    assert "Your view of this theme is saved" in card and '<details class="stored">' in card
    assert page.count("Your view of this theme is saved") == 1
    assert "Your view: Partly, 2 votes" in card
    assert "Demo data (synthetic)" in page and "wave demo" not in page
    assert "(synthetic) (synthetic)" not in page
    too_many = save_card(member, round_id, second, votes=2)
    assert too_many.status_code == 422
    html = unescape(too_many.get_data(as_text=True))
    with app.app_context():
        second_label = db_session().get(RoundCard, (round_id, second)).label
    assert f"“{second_label}”: You have only 1 vote left" in html and "1 votes" not in html
    # Its language links lead to the round's page, not to the address the form was posted to.
    assert f'href="/panel/rounds/{round_id}?lang=ur"' in too_many.get_data(as_text=True)
    assert save_card(member, round_id, second, votes=1).status_code == 302
    # Moving votes on the same card counts what that card already had.
    assert save_card(member, round_id, first, reflects="partly", votes=2).status_code == 302
    assert save_card(member, round_id, "no_such_theme", votes=0).status_code == 404
    with app.app_context():
        feedback = db_session().get(CardFeedback, (round_id, first, _member_id()))
        assert (feedback.reflects, feedback.votes) == ("partly", 2)
    assert "You have 0 votes left" in member.get(f"/panel/rounds/{round_id}").get_data(as_text=True)


def _member_id() -> int:
    return db_session().scalar(select(StaffUser.id).where(StaffUser.email == "amira@example.org"))


def test_proposals(app, setup):
    member, round_id = setup["member"], setup["round"]
    first, second = setup["themes"][:2]
    url, page = f"/panel/rounds/{round_id}/proposals", f"/panel/rounds/{round_id}"
    merge = {"kind": "merge", "theme_a": first, "theme_b": second}
    assert post(member, url, merge, page=page).status_code == 302
    assert post(member, url, {"kind": "add", "text": "Nowhere to go at night"}, page=page).status_code == 302
    same = post(member, url, {"kind": "merge", "theme_a": first, "theme_b": first}, page=page)
    assert same.status_code == 422 and "two different themes" in same.get_data(as_text=True)
    empty = post(member, url, {"kind": "add", "text": ""}, page=page)
    assert empty.status_code == 422
    with app.app_context():
        kinds = db_session().scalars(select(ThemeProposal.kind).order_by(ThemeProposal.id)).all()
    assert kinds == ["merge", "add"]
    staff_page = setup["admin"].get(f"/staff/rounds/{round_id}").get_data(as_text=True)
    assert "Nowhere to go at night" in staff_page


def test_staff_see_ranking_and_agreement(app, setup):
    admin, round_id = setup["admin"], setup["round"]
    first, second = setup["themes"][:2]
    second_member = app.test_client()
    join(second_member, make_invite(admin, setup["panel"]), "bilal@example.org")
    save_card(setup["member"], round_id, second, reflects="yes", votes=3)
    save_card(second_member, round_id, second, reflects="no", votes=1)
    save_card(second_member, round_id, first, reflects="not_sure", votes=2, comment="Not here")
    analyst = app.test_client()
    log_in(analyst, "analyst@example.org")
    page = analyst.get(f"/staff/rounds/{round_id}").get_data(as_text=True)
    rows = re.findall(
        r'<tr><td>(\d+)</td><th scope="row"><a href="#card-(\w+)">.*?</a></th><td>(\d+)</td>'
        r"\s*<td>(.*?)</td>\s*<td>(.*?)</td></tr>",
        page,
    )
    ranking = [(rank, theme, votes) for rank, theme, votes, _, _ in rows]
    assert ranking[:2] == [("1", second, "4"), ("2", first, "2")]
    agreement = {theme: share for _, theme, _, _, share in rows}
    assert agreement[second] == "50%" and agreement[first] == "no views yet"
    assert "Not here" in page


def test_decisions_change_the_effective_labels(app, setup):
    analyst = app.test_client()
    log_in(analyst, "analyst@example.org")
    round_id = setup["round"]
    first, second = setup["themes"][:2]
    url, page = f"/staff/rounds/{round_id}/decisions", f"/staff/rounds/{round_id}"
    renamed = post(
        analyst,
        url,
        {"kind": "rename", "theme": first, "name": "Scared to walk home", "reason": "The panel's words"},
        page=page,
    )
    assert renamed.status_code == 302
    merged = post(
        analyst, url, {"kind": "merge", "theme": second, "into": first, "reason": "Same thing"}, page=page
    )
    assert merged.status_code == 302
    added = post(
        analyst, url, {"kind": "add", "name": "Nowhere to go at night", "reason": "Missing"}, page=page
    )
    assert added.status_code == 302
    no_reason = post(analyst, url, {"kind": "rename", "theme": first, "name": "X", "reason": ""}, page=page)
    assert no_reason.status_code == 422
    with app.app_context():
        labels = effective_labels(db_session())
        changes = db_session().scalars(select(ThemeChange.kind).order_by(ThemeChange.id)).all()
        audited = (
            db_session()
            .scalars(select(AuditEvent.action).where(AuditEvent.action == "theme change decided"))
            .all()
        )
    assert labels[first] == "Scared to walk home" and second not in labels
    assert labels["nowhere_to_go_at_night"] == "Nowhere to go at night"
    assert changes == ["rename", "merge", "add"] and len(audited) == 3


def test_a_closed_round_is_read_only(app, setup):
    member, round_id = setup["member"], setup["round"]
    first = setup["themes"][0]
    save_card(member, round_id, first, reflects="yes", votes=1, comment="So true")
    assert post(setup["admin"], f"/staff/rounds/{round_id}/close", {}).status_code == 302
    page = member.get(f"/panel/rounds/{round_id}").get_data(as_text=True)
    assert "This round is finished" in page and "So true" in page
    assert 'action="/panel/' not in page
    assert save_card(member, round_id, first, votes=0).status_code == 400
    assert post(setup["admin"], f"/staff/rounds/{round_id}/close", {}).status_code == 400


def test_you_said_we_did(app, setup):
    client = app.test_client()
    assert client.get("/you-said-we-did/community/demo").status_code == 404, "nothing to show yet"
    admin, round_id = setup["admin"], setup["round"]
    first = setup["themes"][0]
    save_card(setup["member"], round_id, first, reflects="yes", votes=3)
    post(admin, f"/staff/rounds/{round_id}/close", {})
    action = post(
        admin,
        "/staff/surveys/community/actions",
        {"wave": "demo", "theme": first, "action": "Youth club opens until 10pm on Fridays"},
    )
    assert action.status_code == 302
    index = client.get("/you-said-we-did/").get_data(as_text=True)
    assert "/you-said-we-did/community/demo" in index and "made-up demonstration data" in index
    page = client.get("/you-said-we-did/community/demo")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    with app.app_context():
        label = effective_labels(db_session())[first]
    assert "Demonstration only" in html and "Youth club opens until 10pm on Fridays" in html
    assert html.count(label) >= 2 and "3 of 3 votes" in html and "The panel gave 3 votes in all." in html
    # Every count with its base: the people who answered in their own words.
    assert re.search(r"(fewer than 10|[\d,]+) of the [\d,]+ people who answered", html)
    assert re.search(r"[\d,]+ people answered in their own words", html)
    assert client.get("/you-said-we-did/community/no-such-wave").status_code == 404
    assert client.get("/you-said-we-did/nope/demo").status_code == 404


def test_we_did_entries_are_changed_translated_and_removed_with_an_audit_trail(app, setup):
    admin, client = setup["admin"], app.test_client()
    post(admin, "/staff/surveys/community/actions", {"wave": "demo", "action": "Youth club opens late"})
    with app.app_context():
        entry = db_session().scalar(select(WaveAction))
    url = f"/staff/surveys/community/actions/{entry.id}"
    listing = admin.get("/staff/surveys/community/actions").get_data(as_text=True)
    assert f'href="{url}"' in listing
    assert "Youth club opens late" in admin.get(url).get_data(as_text=True)

    changed = post(
        admin, url, {"wave": "demo", "theme": "", "action": "Youth club opens until 10pm"}, page=url
    )
    assert changed.status_code == 302
    assert post(admin, url, {"wave": "demo", "theme": "", "action": ""}, page=url).status_code == 422
    translated = post(admin, f"{url}/translations", {"text_ur": "یوتھ کلب رات 10 بجے تک کھلا ہے"}, page=url)
    assert translated.status_code == 302
    too_long = post(admin, f"{url}/translations", {"text_ar": "x" * 2001}, page=url)
    assert too_long.status_code == 422 and "Shorten it to 2,000 characters" in too_long.get_data(as_text=True)

    urdu = client.get("/you-said-we-did/community/demo?lang=ur").get_data(as_text=True)
    assert '<span lang="ur" dir="rtl">یوتھ کلب رات 10 بجے تک کھلا ہے</span>' in urdu
    assert "Youth club opens until 10pm" not in urdu
    arabic = client.get("/you-said-we-did/community/demo?lang=ar").get_data(as_text=True)
    assert '<span lang="en" dir="ltr">Youth club opens until 10pm</span>' in arabic, "falls back to English"

    assert post(admin, f"{url}/remove", {}, page=url).status_code == 302
    assert client.get("/you-said-we-did/community/demo").status_code == 404, "nothing left to show"
    assert admin.get(url).status_code == 404
    assert post(admin, f"{url}/remove", {}, page="/staff/surveys/community/actions").status_code == 404
    with app.app_context():
        assert db_session().scalars(select(WaveActionText)).all() == []
        events = {
            e.action: e.detail
            for e in db_session().scalars(select(AuditEvent))
            if e.action.startswith("wave action")
        }
    assert events["wave action changed"]["before"]["action"] == "Youth club opens late"
    assert events["wave action translated"]["languages"] == ["ur"]
    assert events["wave action removed"]["words"] == "Youth club opens until 10pm"
    # A panel member cannot reach any of it.
    assert setup["member"].get(url).status_code in (302, 403, 404)


def test_public_page_prefers_real_waves(app, setup):
    with app.app_context():
        survey_id = db_session().scalar(select(Wave.questionnaire_id).where(Wave.key == "demo"))
        db_session().add(Wave(questionnaire_id=survey_id, key="2026-autumn", label="Autumn 2026"))
        db_session().commit()
    admin = setup["admin"]
    post(admin, "/staff/surveys/community/actions", {"wave": "demo", "action": "Demo action"})
    assert "community/demo" in app.test_client().get("/you-said-we-did/").get_data(as_text=True)
    post(admin, "/staff/surveys/community/actions", {"wave": "2026-autumn", "action": "Real action"})
    index = app.test_client().get("/you-said-we-did/").get_data(as_text=True)
    assert "community/2026-autumn" in index and "community/demo" not in index


def test_forms_need_a_csrf_token(app, setup):
    member, round_id = setup["member"], setup["round"]
    theme = setup["themes"][0]
    no_token = member.post(f"/panel/rounds/{round_id}/cards/{theme}", data={f"{theme}-votes": 1})
    assert no_token.status_code == 400
    assert setup["admin"].post("/staff/panels", data={"name": "No token"}).status_code == 400


def test_cards_carry_counts_trend_sentiment_and_quotes(app, setup):
    with app.app_context():
        cards = db_session().scalars(select(RoundCard).where(RoundCard.round_id == setup["round"])).all()
    assert cards and all(c.count_display for c in cards)
    assert all(c.trend is None for c in cards), "a synthetic wave is never compared with real ones"
    assert any(c.quotes for c in cards) and all(len(c.quotes) <= 3 for c in cards)
    assert any(c.sentiment is not None for c in cards)
    # Each card says how many answers its sentiment comes from, per language, small counts hidden.
    for card in cards:
        coverage = card.sentiment_coverage
        assert coverage["answers"] and coverage["scored"]
        assert (card.sentiment is None) == (not coverage["languages"])
        shown = coverage["languages"].values()
        assert all(count == "<10" or int(count.replace(",", "")) >= 10 for count in shown)
    coverage = next(c for c in cards if c.sentiment is not None).sentiment_coverage
    languages = ", ".join(f"{tag_name(tag)} {count}" for tag, count in coverage["languages"].items())
    expected = f"From {coverage['scored']} of {coverage['answers']} answers ({languages})."
    member_page = unescape(setup["member"].get(f"/panel/rounds/{setup['round']}").get_data(as_text=True))
    staff_page = unescape(setup["admin"].get(f"/staff/rounds/{setup['round']}").get_data(as_text=True))
    assert expected in member_page and expected in staff_page
    # Every count with its base: the people who answered in their own words when the round opened.
    with app.app_context():
        base = db_session().get(ReviewRound, setup["round"]).answered_display
    assert int(base.replace(",", "")) >= 10
    counted = next(c for c in cards if not c.count_display.startswith("<"))
    assert f"{counted.count_display} of the {base} people who answered" in member_page


def test_cards_show_theme_names_in_the_members_language(app, setup):
    """Codebook names and descriptions are translated; a name staff chose stays as they typed it."""
    analyst = app.test_client()
    log_in(analyst, "analyst@example.org")
    old_round = setup["round"]
    renamed, translated = setup["themes"][:2]
    decided = post(
        analyst,
        f"/staff/rounds/{old_round}/decisions",
        {"kind": "rename", "theme": renamed, "name": "Scared to walk home", "reason": "Panel"},
        page=f"/staff/rounds/{old_round}",
    )
    assert decided.status_code == 302
    # A round opened after the rename shows the staff's name on its card.
    admin, member = setup["admin"], app.test_client()
    panel_id = make_panel(admin, "Parents' panel")
    round_id = make_round(admin, panel_id)
    assert join(member, make_invite(admin, panel_id), "bilal@example.org", "ur").status_code == 302
    with (TRANSLATIONS / "ur" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        urdu = read_po(handle)
    label = urdu.get(file_codebook().theme(translated).label, context=f"theme.{translated}.label").string
    description = urdu.get(
        file_codebook().theme(translated).description, context=f"theme.{translated}.description"
    ).string
    page = member.get(f"/panel/rounds/{round_id}?lang=ur").get_data(as_text=True)
    assert label and description and label != file_codebook().theme(translated).label
    assert f">{label}</h2>" in page and description in page and f": {label}</span>" in page
    assert ">Scared to walk home</h2>" in page
    assert file_codebook().theme(translated).label not in page
