"""What the respondent's pages cache per app (parsed versions, form classes, WTForms' catalog, the
markup of questions nobody has answered yet and the frame of pages without errors) changes nothing a
respondent sees: the same bytes as the page template rendered whole with no cache at all, with cold
and warm caches, in every state of a page; each version, language, shared device and page its own
frame; and no answer or error ever kept in a cache."""

from __future__ import annotations

import re
import shutil

import pytest
from babel.support import Translations
from flask import render_template

from survey_app.caches import BoundedCache
from survey_app.db import db_session
from survey_app.definitions import load_file
from survey_app.surveys.service import open_survey, sync_files
from survey_app.taking import markup
from survey_app.taking.forms import page_form
from tests.conftest import QUESTIONNAIRES, TEST_QUESTIONNAIRES, TRANSLATIONS
from tests.helpers import Respondent, csrf_token, current_page, page_answers, typical_answer
from tests.test_shared_devices import youth_club

YOUNG_PEOPLE = load_file(QUESTIONNAIRES / "young-people.yaml")
CACHES = ("survey_versions", "page_forms", "wtforms_translations", "question_markup", "page_frames")


def render_whole(survey, page, items, form, errors, *, step, steps, changing) -> str:
    """The page as the template renders it in one go, as it was before any markup was cached."""
    return render_template(
        "taking/page.html",
        survey=survey,
        page=page,
        items=items,
        errors=errors,
        form=page_form(survey.slug, items, {}) if form is None else form,
        step=step,
        steps=steps,
        changing=changing,
    )


def cold_warm_and_whole(app, monkeypatch, send) -> tuple[str, str, str]:
    """The same request made with every cache emptied, again with what the first one cached, and
    once more with no page cache at all: the template rendered whole, every question afresh."""
    for name in CACHES:
        app.extensions.pop(name, None)
    cold = send()
    warm = send()
    with monkeypatch.context() as uncached:
        uncached.setattr(markup, "app_cache", lambda _name, size: BoundedCache(size))
        uncached.setattr(markup, "page", render_whole)
        whole = send()
    assert warm.status_code == cold.status_code == whole.status_code
    return tuple(_same_token(response.get_data(as_text=True)) for response in (cold, warm, whole))


def _same_token(html: str) -> str:
    """The CSRF token carries the second it was made, so two requests may differ there alone."""
    return re.sub(r'name="csrf_token" value="[^"]+"', 'name="csrf_token" value="-"', html)


def cached_text(app) -> str:
    """Everything the page caches hold, as one string to search."""
    return repr([list(app.extensions.get(name, {}).values()) for name in ("question_markup", "page_frames")])


def step_url(html: str) -> str:
    return re.search(r'<form method="post" action="(/s/[^/]+/\d+)"', html).group(1)


@pytest.mark.parametrize("language", ["en", "pl", "ar"])
def test_every_page_is_the_same_cold_warm_and_rendered_whole(app, client, monkeypatch, language):
    client.set_cookie("lang", language)
    respondent = Respondent(client)
    respondent.start("young-people")
    first = step_url(respondent.html)
    token = {"csrf_token": csrf_token(respondent.html)}
    answers = page_answers(current_page(YOUNG_PEOPLE, respondent.html))

    # Errors on every question, then one question answered and the rest still in error.
    errors = {**token, "action": "next"}
    cold, warm, whole = cold_warm_and_whole(app, monkeypatch, lambda: client.post(first, data=errors))
    assert cold == warm == whole and 'class="err-sum"' in cold
    key, value = next(iter(answers.items()))
    one_answered = {**errors, key: value}
    cold, warm, whole = cold_warm_and_whole(app, monkeypatch, lambda: client.post(first, data=one_answered))
    assert cold == warm == whole and 'class="err-sum"' in cold and f'value="{value}" checked' in cold

    # Every page as first shown; the first page again with its answers filled in; and a page of
    # optional questions with one answered, so answered and blank (cached) questions sit together.
    mixed = None
    while 'name="action"' in respondent.html:  # follow-ups that do not apply are skipped
        url = step_url(respondent.html)
        cold, warm, whole = cold_warm_and_whole(app, monkeypatch, lambda url=url: client.get(url))
        assert cold == warm == whole and f'<html lang="{language}"' in cold
        page = current_page(YOUNG_PEOPLE, cold)
        answers = page_answers(page)
        if mixed is None and len(page.items) > 1 and all(item.optional for item in page.items):
            mixed, answers = url, typical_answer(page.items[0])
        respondent.answer("young-people", answers, follow_redirects=True)
        if url in (first, mixed):
            cold, warm, whole = cold_warm_and_whole(app, monkeypatch, lambda url=url: client.get(url))
            assert cold == warm == whole and " checked" in cold
            if url == mixed:
                assert app.extensions["question_markup"], "the unanswered questions came from the cache"
    assert mixed and 'name="action"' not in respondent.html, "the survey was sent"


def test_each_language_gets_its_own_question_text_from_one_app(app):
    item = YOUNG_PEOPLE.pages[0].items[0]
    context = f"{YOUNG_PEOPLE.slug}.{item.id}"
    polish = Translations.load(str(TRANSLATIONS), ["pl"], "questionnaires").upgettext(context, item.label)
    assert polish != item.label
    shown = {}
    for language in ("en", "pl", "en"):
        client = app.test_client()
        client.set_cookie("lang", language)
        respondent = Respondent(client)
        respondent.start("young-people")
        shown[language] = respondent.html
    assert polish in shown["pl"] and item.label not in shown["pl"]
    assert item.label in shown["en"] and polish not in shown["en"]


def test_a_new_version_shows_its_text_while_a_started_draft_keeps_its_own(app, tmp_path):
    source = tmp_path / "kitchen-sink.yaml"
    shutil.copy(TEST_QUESTIONNAIRES / "kitchen-sink.yaml", source)
    earlier = Respondent(app.test_client())
    earlier.start("kitchen-sink")
    assert "Do you have a pet?" in earlier.html and "<h1>First page</h1>" in earlier.html
    with app.app_context():
        started_on = open_survey(db_session(), "kitchen-sink").version_id
        # A question (cached as blank markup) and a page title (in the cached frame) both change.
        source.write_text(
            source.read_text()
            .replace("Do you have a pet?", "Do you have any pets?")
            .replace("title: First page", "title: Opening page")
        )
        sync_files(db_session(), [source])
        assert open_survey(db_session(), "kitchen-sink").version_id != started_on
    later = Respondent(app.test_client())
    later.start("kitchen-sink")
    assert "Do you have any pets?" in later.html and "Do you have a pet?" not in later.html
    assert "<h1>Opening page</h1>" in later.html and "First page" not in later.html
    earlier.get(step_url(earlier.html))
    assert "Do you have a pet?" in earlier.html and "Do you have any pets?" not in earlier.html
    assert "<h1>First page</h1>" in earlier.html and "Opening page" not in earlier.html


def as_rendered_whole(monkeypatch, send) -> str:
    """A request's page with no page cache at all (see cold_warm_and_whole)."""
    with monkeypatch.context() as uncached:
        uncached.setattr(markup, "app_cache", lambda _name, size: BoundedCache(size))
        uncached.setattr(markup, "page", render_whole)
        return _same_token(send().get_data(as_text=True))


def test_each_way_of_showing_a_page_has_its_own_frame(app, monkeypatch):
    """With every way seen once (so each is in the cache), each is still the page rendered whole:
    another page or step count, language, a change from "Check your answers", a shared device."""
    respondents = {name: Respondent(app.test_client()) for name in ("pets", "no pets", "polish", "shared")}
    respondents["polish"].client.set_cookie("lang", "pl")
    link = youth_club(app)
    for name, respondent in respondents.items():
        respondent.start("kitchen-sink", via=link if name == "shared" else None)
    first = {"pet": "yes", "pet_count": "2", "snacks": ["fruit"]}
    respondents["pets"].answer("kitchen-sink", first)
    respondents["no pets"].answer("kitchen-sink", {**first, "pet": "no"})
    ways = {
        "page 1": ("pets", "/s/kitchen-sink/1"),
        "page 1 in Polish": ("polish", "/s/kitchen-sink/1"),
        "page 1, changing": ("pets", "/s/kitchen-sink/1?change=1"),
        "page 1, shared device": ("shared", "/s/kitchen-sink/1"),
        "step 2 of 3": ("pets", "/s/kitchen-sink/2"),
        "step 2 of 2": ("no pets", "/s/kitchen-sink/2"),
        "step 3": ("pets", "/s/kitchen-sink/3"),
    }
    seen = {way: respondents[name].client.get(url) for way, (name, url) in ways.items()}
    assert all(response.status_code == 200 for response in seen.values())
    assert len({response.get_data() for response in seen.values()}) == len(ways)
    for way, (name, url) in ways.items():
        client = respondents[name].client
        warm = _same_token(client.get(url).get_data(as_text=True))
        assert warm == as_rendered_whole(monkeypatch, lambda client=client, url=url: client.get(url)), way
    assert '<html lang="pl"' in seen["page 1 in Polish"].get_data(as_text=True)
    assert 'action="/s/kitchen-sink/1?change=1"' in seen["page 1, changing"].get_data(as_text=True)
    assert 'id="shared-device"' in seen["page 1, shared device"].get_data(as_text=True)
    assert "Step 2 of 3" in seen["step 2 of 3"].get_data(as_text=True)
    assert "Step 2 of 2" in seen["step 2 of 2"].get_data(as_text=True)


def test_answers_errors_and_messages_are_never_kept_in_a_cache(app, monkeypatch):
    respondent = Respondent(app.test_client())
    respondent.start("kitchen-sink")
    respondent.answer("kitchen-sink", {"pet": "no", "snacks": ["fruit"]}, follow_redirects=True)
    # Page 2 with a word typed and the scale left out: errors, and the word shown back.
    assert respondent.answer("kitchen-sink", {"nickname": "quokka"}).status_code == 422
    assert 'value="quokka"' in respondent.html and "Choose an answer to this question" in respondent.html
    # Kept, then shown again with the answers filled in, as the page rendered whole shows them.
    answers = {"mood_school": "good", "mood_home": "bad", "nickname": "quokka"}
    respondent.answer("kitchen-sink", answers, action="back", follow_redirects=True)
    page = respondent.get("/s/kitchen-sink/2").get_data(as_text=True)
    assert 'value="quokka"' in page and 'value="good" checked' in page
    whole = as_rendered_whole(monkeypatch, lambda: respondent.client.get("/s/kitchen-sink/2"))
    assert _same_token(page) == whole
    # A message flashed to a page is shown once, rendered whole, and not kept either.
    with respondent.client.session_transaction() as session:
        session["_flashes"] = [("message", "A note for this page only")]
    assert "A note for this page only" in respondent.get("/s/kitchen-sink/2").get_data(as_text=True)
    assert "A note for this page only" not in respondent.get("/s/kitchen-sink/2").get_data(as_text=True)

    kept = cached_text(app)
    assert app.extensions["page_frames"] and app.extensions["question_markup"]
    for text in ("quokka", "Choose an answer", "There is a problem", "checked", "A note for"):
        assert text not in kept, text
    # Someone else's page 2 shows none of it.
    other = Respondent(app.test_client())
    other.start("kitchen-sink")
    other.answer("kitchen-sink", {"pet": "no", "snacks": ["fruit"]}, follow_redirects=True)
    assert "quokka" not in other.html and " checked" not in other.html
    assert "There is a problem" not in other.html


def test_a_language_switch_shows_what_was_typed_as_the_page_rendered_whole_does(app, monkeypatch):
    respondent = Respondent(app.test_client())
    respondent.start("kitchen-sink")
    # Something that cannot be kept in the draft yet comes back as typed, with no error.
    typed = {
        "csrf_token": csrf_token(respondent.html),
        "pet": "yes",
        "pet_count": "twelvish",
        "action": "language",
    }

    def send():
        return respondent.client.post("/s/kitchen-sink/1?lang=ur", data=typed)

    send()  # keeps "yes", which makes a page apply: the step count shown after is the same each time
    cold, warm, whole = cold_warm_and_whole(app, monkeypatch, send)
    assert cold == warm == whole and 'value="twelvish"' in cold and '<html lang="ur"' in cold
    assert "There is a problem" not in cold and "twelvish" not in cached_text(app)


def test_a_bounded_cache_forgets_its_oldest_entry():
    cache = BoundedCache(2)
    cache["a"], cache["b"] = 1, 2
    cache["a"] = 3  # a new value, not a new entry: "a" is still the oldest
    cache["c"] = 4
    assert cache == {"b": 2, "c": 4}
