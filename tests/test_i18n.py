"""Every respondent in their own language: catalogs complete, pages fully translated, the README's
steps for adding a language work, and a string added without translations fails the suite."""

from __future__ import annotations

import os
import re
import shutil
from html import unescape

import pytest
from babel.messages.pofile import read_po, write_po
from sqlalchemy import select

from survey_app import create_app
from survey_app.db import db_session
from survey_app.definitions import load_file
from survey_app.i18n import SOURCE_LANGUAGE, load_languages
from survey_app.models import Answer, Response
from survey_app.translations import DOMAINS, catalog_path, extract, status, update
from tests.conftest import QUESTIONNAIRES, ROOT, TRANSLATIONS
from tests.helpers import Respondent, current_page, page_answers
from tests.test_questionnaire_files import run_cli

LANGUAGES = load_languages(TRANSLATIONS)
TRANSLATED = [code for code in LANGUAGES if code != SOURCE_LANGUAGE]
SURVEYS = ("young-people", "community")
TAG = re.compile(r"<[^>]+>")
WORDS = re.compile(r"\w+")


def visible_text(html: str) -> str:
    body = html.split("<body>", 1)[-1]
    body = re.sub(r'<nav class="langs".*?</nav>', " ", body, flags=re.S)  # names of other languages
    return " ".join(unescape(TAG.sub(" ", body)).split())


def untranslated_sources(language: str) -> set[str]:
    """English source strings that this language translates differently (so must not appear)."""
    sources: set[str] = set()
    for domain in DOMAINS:
        with catalog_path(TRANSLATIONS, language, domain).open("rb") as handle:
            for message in read_po(handle):
                ids = message.id if isinstance(message.id, tuple) else (message.id,)
                strings = message.string if isinstance(message.string, tuple) else (message.string,)
                for source in ids:
                    if (
                        source
                        and source not in strings
                        and "%(" not in source
                        and len(WORDS.findall(source)) >= 3
                    ):
                        sources.add(" ".join(source.split()))
    return sources


def walk(app, language: str):
    """Every page a respondent sees, in one language: (name, html)."""
    client = app.test_client()
    client.set_cookie("lang", language)
    pages = []
    for url in ("/", "/help", "/privacy", "/language"):
        pages.append((url, client.get(url).get_data(as_text=True)))
    for slug in SURVEYS:
        definition = load_file(QUESTIONNAIRES / f"{slug}.yaml")
        respondent = Respondent(client)
        pages.append((f"/s/{slug}/", respondent.get(f"/s/{slug}/").get_data(as_text=True)))
        respondent.post(f"/s/{slug}/start", {}, follow_redirects=True)
        pages.append((f"{slug}/start-again", client.get(f"/s/{slug}/start-again").get_data(as_text=True)))
        while 'name="action"' in respondent.html:
            page = current_page(definition, respondent.html)
            pages.append((f"{slug}/{page.id}", respondent.html))
            respondent.answer(slug, page_answers(page), follow_redirects=True)
        pages.append((f"{slug}/check", respondent.html))
        respondent.send(slug)
        pages.append((f"{slug}/thanks", respondent.html))
    return pages


def test_every_language_is_complete_with_a_review_state():
    rows = {row.code: row for row in status(TRANSLATIONS)}
    assert set(rows) == set(LANGUAGES)
    for code, row in rows.items():
        assert row.complete, f"{code}: {row.coverage}"
        assert "not recorded" not in row.review_state and row.review_state != "not yet translated"


def test_catalogs_cover_every_string_in_the_code_and_questionnaires(tmp_path):
    """Extract afresh: a string added to a template, the code or a questionnaire without
    translations in every language fails here (and so in CI)."""
    fresh = tmp_path / "translations"
    shutil.copytree(TRANSLATIONS, fresh, ignore=shutil.ignore_patterns("*.mo"))
    extract(fresh, ROOT)
    update(fresh)
    incomplete = {row.code: row.coverage for row in status(fresh) if not row.complete}
    assert incomplete == {}, "run `insight translations extract` and `update`, then translate"


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_page_is_in_the_language(app, language):
    expected_dir = LANGUAGES[language]["dir"]
    english = untranslated_sources(language)
    for name, html in walk(app, language):
        assert f'<html lang="{language}" dir="{expected_dir}">' in html, name
        text = visible_text(html)
        leftovers = sorted(source for source in english if source in text)
        assert leftovers == [], f"{language} {name}: English left: {leftovers[:5]}"


def test_switching_language_mid_survey_keeps_every_answer(app):
    client = app.test_client()
    respondent = Respondent(client)
    respondent.start("kitchen-sink")
    respondent.answer(
        "kitchen-sink", {"pet": "yes", "pet_count": "4", "snacks": ["fruit"]}, follow_redirects=True
    )
    other = TRANSLATED[0]
    html = respondent.get(f"/s/kitchen-sink/1?lang={other}").get_data(as_text=True)
    assert f'<html lang="{other}"' in html
    assert 'value="yes" checked' in html and 'value="4"' in html
    assert client.get_cookie("lang").value == other
    assert f'<html lang="{other}"' in client.get("/").get_data(as_text=True), "the choice is remembered"


def test_accept_language_picks_the_default(client):
    html = client.get("/", headers={"Accept-Language": "pl-PL,pl;q=0.9,en;q=0.5"}).get_data(as_text=True)
    assert '<html lang="pl" dir="ltr">' in html
    html = client.get("/", headers={"Accept-Language": "ur-PK"}).get_data(as_text=True)
    assert '<html lang="ur" dir="rtl">' in html
    html = client.get("/?lang=xx", headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert '<html lang="en" dir="ltr">' in html


def test_home_page_offers_every_language_in_its_own_script(client):
    html = client.get("/").get_data(as_text=True)
    for code, info in LANGUAGES.items():
        attributes = rf'lang="{code}" dir="{info["dir"]}" hreflang="{code}"( aria-current="true")?'
        link = rf"{attributes}>{info['name']}</a>"
        assert re.search(link, html), code


def test_responses_record_their_language(app):
    respondent = Respondent(app.test_client())
    respondent.client.set_cookie("lang", "ar")
    respondent.complete("kitchen-sink", load_file(ROOT / "tests/data/questionnaires/kitchen-sink.yaml"))
    with app.app_context():
        assert db_session().scalar(select(Response.language)) == "ar"
    assert "العربية" in respondent.html


def readme_steps() -> tuple[str, list[list[str]]]:
    """The languages.yaml line and the commands from the README's "How to add a language"."""
    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme.split("## How to add a language", 1)[1].split("\n## ", 1)[0]
    section = section.split("When the English text changes", 1)[0]
    line = re.search(r"`(- \{code: \w+, name: [^`]+\})`", section).group(1)
    commands = [c.split()[1:] for c in re.findall(r"`(insight translations [^`]+)`", section)]
    return line, commands


def test_the_readme_steps_add_a_working_language(tmp_path, database_url):
    line, commands = readme_steps()
    code = re.search(r"code: (\w+)", line).group(1)
    translations = tmp_path / "translations"
    shutil.copytree(TRANSLATIONS, translations, ignore=shutil.ignore_patterns("*.mo"))
    env = {**os.environ, "TRANSLATIONS_DIR": str(translations)}
    # Step 1: the line in languages.yaml.
    with (translations / "languages.yaml").open("a", encoding="utf-8") as handle:
        handle.write(line + "\n")
    # Step 2: create the catalogs.
    create = next(c for c in commands if c[1] == "update" and "--language" in c)
    assert create[-1] == code
    assert run_cli(*create, env=env).returncode == 0
    # Step 3: a translator fills every entry and records the review state.
    for domain in DOMAINS:
        path = catalog_path(translations, code, domain)
        with path.open("rb") as handle:
            catalog = read_po(handle)
        catalog.header_comment = re.sub(
            r"# FIRST AUTHOR.*",
            "# Review state: machine-drafted, awaiting community review",
            catalog.header_comment,
        )
        for message in catalog:
            if message.id:
                if isinstance(message.id, tuple):
                    # Every plural form the catalog declares (French has three in CLDR 47), the
                    # singular for the first and the plural for the rest.
                    singular, plural = message.id
                    message.string = (f"«{singular}»", *[f"«{plural}»"] * (catalog.num_plurals - 1))
                else:
                    message.string = f"«{message.id}»"
        with path.open("wb") as handle:
            write_po(handle, catalog)
    # Step 4: compile and check the status.
    for command in (c for c in commands if c[1] in ("compile", "status")):
        result = run_cli(*command, env=env)
        assert result.returncode == 0, result.stderr
    report = run_cli("translations", "status", env=env).stdout
    assert re.search(rf"^{code} .*100\.0% .*100\.0% .*machine-drafted", report, re.M), report
    # Step 5: the app offers it, and a respondent can answer in it, free text included.
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "BABEL_TRANSLATION_DIRECTORIES": str(translations),
            "DATABASE_URL": database_url,
        }
    )
    respondent = Respondent(app.test_client())
    respondent.get(f"/help?lang={code}")
    assert f'<html lang="{code}" dir="ltr">' in respondent.html
    assert "«Get help now»" in respondent.html
    story = "Je ne me sens pas en sécurité le soir, il n'y a pas de lumière dans le parc"
    respondent.complete(
        "kitchen-sink", load_file(ROOT / "tests/data/questionnaires/kitchen-sink.yaml"), {"pet_story": story}
    )
    assert 'name="action"' not in respondent.html, "the survey was sent"
    with app.app_context():
        response = db_session().scalar(select(Response))
        texts = dict(
            db_session()
            .execute(select(Answer.text, Answer.text_language).where(Answer.text.is_not(None)))
            .all()
        )
    app.extensions["db_engine"].dispose()
    assert response.language == code
    assert texts[story] == code, "stored, tagged with the new language (and not scored: no word list)"


def test_status_check_fails_on_a_missing_translation(tmp_path):
    translations = tmp_path / "translations"
    shutil.copytree(TRANSLATIONS, translations, ignore=shutil.ignore_patterns("*.mo"))
    path = catalog_path(translations, TRANSLATED[0], "messages")
    with path.open("rb") as handle:
        catalog = read_po(handle)
    next(m for m in catalog if m.id and not isinstance(m.id, tuple)).string = ""
    with path.open("wb") as handle:
        write_po(handle, catalog)
    env = {**os.environ, "TRANSLATIONS_DIR": str(translations)}
    result = run_cli("translations", "status", "--check", env=env)
    assert result.returncode == 1 and "not fully translated" in result.stderr


def test_numbers_with_spaces_are_isolated_left_to_right():
    from markupsafe import Markup

    from survey_app.bidi import is_rtl, isolate_numbers, ltr_numbers, phone

    assert phone("0808 800 5000") == '<a href="tel:08088005000" dir="ltr">0808 800 5000</a>'
    assert phone("0800 1111", "Childline") == '<a href="tel:08001111" dir="ltr">Childline 0800 1111</a>'
    assert ltr_numbers("<b>اتصل 0800 1111، 8–17% أو 999</b>") == (
        '&lt;b&gt;اتصل <bdi dir="ltr">0800 1111</bdi>، <bdi dir="ltr">8–17%</bdi> أو 999&lt;/b&gt;'
    )
    assert ltr_numbers(Markup("A &amp; B 1 2")) == 'A &amp; B <bdi dir="ltr">1 2</bdi>'
    assert isolate_numbers("call 0800 1111 now") == "call \u20660800 1111\u2069 now"
    assert is_rtl("12 مدد") and not is_rtl("Childline مدد") and not is_rtl("12")
