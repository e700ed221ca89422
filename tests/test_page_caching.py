"""What the respondent's pages cache per app (parsed versions, form classes, WTForms' catalog and the
markup of questions nobody has answered yet) changes nothing a respondent sees: the same bytes with
cold and warm caches, in every state of a page, and each version and language its own text."""

from __future__ import annotations

import re
import shutil

import pytest
from babel.support import Translations

from survey_app.db import db_session
from survey_app.definitions import load_file
from survey_app.surveys.service import open_survey, sync_files
from tests.conftest import QUESTIONNAIRES, TEST_QUESTIONNAIRES, TRANSLATIONS
from tests.helpers import Respondent, csrf_token, current_page, page_answers, typical_answer

YOUNG_PEOPLE = load_file(QUESTIONNAIRES / "young-people.yaml")
CACHES = ("survey_versions", "page_forms", "wtforms_translations", "question_markup")


def cold_and_warm(app, send) -> tuple[str, str]:
    """The same request made with every cache emptied, then again with what the first one cached."""
    for name in CACHES:
        app.extensions.pop(name, None)
    cold = send()
    warm = send()
    assert warm.status_code == cold.status_code
    return _same_token(cold.get_data(as_text=True)), _same_token(warm.get_data(as_text=True))


def _same_token(html: str) -> str:
    """The CSRF token carries the second it was made, so two requests may differ there alone."""
    return re.sub(r'name="csrf_token" value="[^"]+"', 'name="csrf_token" value="-"', html)


def step_url(html: str) -> str:
    return re.search(r'<form method="post" action="(/s/[^/]+/\d+)"', html).group(1)


@pytest.mark.parametrize("language", ["en", "pl", "ar"])
def test_every_page_is_the_same_with_cold_and_warm_caches(app, client, language):
    client.set_cookie("lang", language)
    respondent = Respondent(client)
    respondent.start("young-people")
    first = step_url(respondent.html)
    token = {"csrf_token": csrf_token(respondent.html)}
    answers = page_answers(current_page(YOUNG_PEOPLE, respondent.html))

    # Errors on every question, then one question answered and the rest still in error.
    cold, warm = cold_and_warm(app, lambda: client.post(first, data={**token, "action": "next"}))
    assert cold == warm and 'class="err-sum"' in cold
    key, value = next(iter(answers.items()))
    cold, warm = cold_and_warm(app, lambda: client.post(first, data={**token, "action": "next", key: value}))
    assert cold == warm and 'class="err-sum"' in cold and f'value="{value}" checked' in cold

    # Every page as first shown; the first page again with its answers filled in; and a page of
    # optional questions with one answered, so answered and blank (cached) questions sit together.
    mixed = None
    while 'name="action"' in respondent.html:  # follow-ups that do not apply are skipped
        url = step_url(respondent.html)
        cold, warm = cold_and_warm(app, lambda url=url: client.get(url))
        assert cold == warm and f'<html lang="{language}"' in cold
        page = current_page(YOUNG_PEOPLE, cold)
        answers = page_answers(page)
        if mixed is None and len(page.items) > 1 and all(item.optional for item in page.items):
            mixed, answers = url, typical_answer(page.items[0])
        respondent.answer("young-people", answers, follow_redirects=True)
        if url in (first, mixed):
            cold, warm = cold_and_warm(app, lambda url=url: client.get(url))
            assert cold == warm and " checked" in cold
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
    assert "Do you have a pet?" in earlier.html
    with app.app_context():
        started_on = open_survey(db_session(), "kitchen-sink").version_id
        source.write_text(source.read_text().replace("Do you have a pet?", "Do you have any pets?"))
        sync_files(db_session(), [source])
        assert open_survey(db_session(), "kitchen-sink").version_id != started_on
    later = Respondent(app.test_client())
    later.start("kitchen-sink")
    assert "Do you have any pets?" in later.html and "Do you have a pet?" not in later.html
    earlier.get(step_url(earlier.html))
    assert "Do you have a pet?" in earlier.html and "Do you have any pets?" not in earlier.html
