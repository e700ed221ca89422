"""Languages: interface text in the `messages` domain, questionnaire text in `questionnaires`.

Questionnaire strings are looked up with a message context of "<slug>.<id>", so the same English
word can be translated differently in two places. Theme names and descriptions from the codebook
file are in `messages` with the context "theme.<id>.label" / "theme.<id>.description". The
languages are listed in translations/languages.yaml; one is offered once its catalogs are compiled.
The choice is kept in a cookie that holds only the language code.
"""

from __future__ import annotations

import functools
from datetime import date
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import wtforms.i18n
import yaml
from babel import Locale, UnknownLocaleError
from babel.support import Translations
from flask import Flask, Response, current_app, g, request
from flask_babel import Babel, Domain, format_date, get_locale, get_translations, gettext, pgettext

from survey_app.caches import app_cache
from survey_app.themes import file_codebook

SOURCE_LANGUAGE = "en"
#: The codebook fields that are translated.
THEME_FIELDS = ("label", "description")
LANGUAGES_FILE = "languages.yaml"
COOKIE = "lang"


class LanguagesInvalid(ValueError):
    pass


def load_languages(translations: Path) -> dict[str, dict[str, str]]:
    """The languages file: {code: {"name": own name, "dir": "ltr" | "rtl"}}, in offering order.

    Adding a language is a data change: a line here, then its catalogs (see the README).
    """
    path = translations / LANGUAGES_FILE
    try:
        entries = yaml.safe_load(path.read_text("utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise LanguagesInvalid(f"{path}: cannot read the languages list ({error})") from None
    languages: dict[str, dict[str, str]] = {}
    for number, entry in enumerate(entries or [], 1):
        if not (
            isinstance(entry, dict)
            and {"code", "name", "dir"} <= set(entry)
            and entry["dir"] in ("ltr", "rtl")
            and str(entry["code"]).isascii()
        ):
            raise LanguagesInvalid(f"{path}: entry {number} needs code, name and dir (ltr or rtl): {entry!r}")
        languages[str(entry["code"])] = {"name": str(entry["name"]), "dir": entry["dir"]}
    if SOURCE_LANGUAGE not in languages:
        raise LanguagesInvalid(f"{path}: the source language '{SOURCE_LANGUAGE}' must be listed")
    return languages


def available_languages(translations: Path, languages: dict) -> list[str]:
    """The source language plus every language whose catalogs are compiled, in the file's order."""
    return [
        code
        for code in languages
        if code == SOURCE_LANGUAGE
        or all(
            (translations / code / "LC_MESSAGES" / f"{domain}.mo").exists()
            for domain in ("messages", "questionnaires")
        )
    ]


def select_locale() -> str:
    offered = current_app.config["LANGUAGES_OFFERED"]
    for candidate in (request.args.get("lang"), request.cookies.get(COOKIE)):
        if candidate in offered:
            return candidate
    return request.accept_languages.best_match(offered) or SOURCE_LANGUAGE


def init_app(app: Flask) -> None:
    translations = Path(app.config["BABEL_TRANSLATION_DIRECTORIES"])
    app.config["LANGUAGES"] = load_languages(translations)
    app.config.setdefault("LANGUAGES_OFFERED", available_languages(translations, app.config["LANGUAGES"]))
    Babel(app, locale_selector=select_locale)
    app.extensions["questionnaire_domain"] = Domain(
        translation_directories=str(translations), domain="questionnaires"
    )
    # Flask-Babel's template callables look up the context, the locale and the catalog for every
    # string; a page shows dozens, so each request looks its catalog up once.
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _translations("messages").ugettext(s),
        ngettext=lambda s, p, n: _translations("messages").ungettext(s, p, n),
        pgettext=lambda c, s: _translations("messages").upgettext(c, s),
        npgettext=lambda c, s, p, n: _translations("messages").unpgettext(c, s, p, n),
        newstyle=True,
    )
    app.jinja_env.globals.update(
        qt=questionnaire_text,
        theme_text=theme_text,
        text_direction=text_direction,
        current_language=current_language,
        language_name=language_name,
        language_tag_name=language_tag_name,
        with_language=with_language,
        offered_languages=lambda: app.config["LANGUAGES_OFFERED"],
        format_month=format_month,
    )
    app.after_request(_remember_choice)


def _remember_choice(response: Response) -> Response:
    """?lang=xx switches language and is remembered; the cookie holds only the code."""
    chosen = request.args.get("lang")
    if chosen in current_app.config["LANGUAGES_OFFERED"] and request.cookies.get(COOKIE) != chosen:
        response.set_cookie(
            COOKIE,
            chosen,
            max_age=365 * 24 * 3600,
            httponly=True,
            samesite="Lax",
            secure=current_app.config["SESSION_COOKIE_SECURE"],
        )
    return response


def with_language(target: str, code: str) -> str:
    """The local address `target` with ?lang=`code`, keeping its other query parameters."""
    parts = urlsplit(target)
    query = [(key, value) for key, value in parse_qsl(parts.query, keep_blank_values=True) if key != "lang"]
    return urlunsplit(("", "", parts.path, urlencode([*query, ("lang", code)]), ""))


def current_language() -> str:
    if "language" not in g:
        g.language = str(get_locale() or SOURCE_LANGUAGE)
    return g.language


def text_direction(code: str | None = None) -> str:
    return current_app.config["LANGUAGES"].get(code or current_language(), {}).get("dir", "ltr")


def language_name(code: str) -> str:
    return current_app.config["LANGUAGES"].get(code, {}).get("name", code)


def language_tag_name(tag: str) -> str:
    """An answer's language tag in the reader's language: "Polish"; "Urdu in Latin letters" for
    ``ur-Latn`` (romanised Urdu, as the text pipeline tags it); the tag itself if Babel does not
    know the language."""
    base, _, script = tag.partition("-")
    try:
        name = Locale.parse(base).get_language_name(get_locale())
    except (UnknownLocaleError, ValueError):
        return tag
    if not name:
        return tag
    return gettext("%(language)s in Latin letters", language=name) if script == "Latn" else name


def format_month(month: str) -> str:
    """ "2026-11" as the locale writes a month, e.g. "November 2026"."""
    year, number = (int(part) for part in month.split("-"))
    return format_date(date(year, number, 1), "LLLL y")


def wtforms_translations() -> Translations:
    """WTForms' own messages in the current language, each catalog read once per app."""
    catalogs = app_cache("wtforms_translations", len(current_app.config["LANGUAGES"]))
    language = current_language()
    if language not in catalogs:
        catalogs[language] = Translations.load(wtforms.i18n.messages_path(), [language], domain="wtforms")
    return catalogs[language]


def _translations(domain: str) -> Translations:
    """This request's catalog of one domain ("messages" or "questionnaires")."""
    catalogs = g.setdefault("catalogs", {})
    if domain not in catalogs:
        catalogs[domain] = (
            get_translations()
            if domain == "messages"
            else current_app.extensions["questionnaire_domain"].get_translations()
        )
    return catalogs[domain]


def questionnaire_text(context: str, text: str | None) -> str:
    """Translate one questionnaire string; the English source when no translation exists yet."""
    if not text:
        return ""
    return _translations("questionnaires").upgettext(context, text)


@functools.cache
def _file_theme_texts() -> dict[tuple[str, str], str]:
    """The codebook file's English text for each (theme id, field)."""
    return {(theme.id, field): getattr(theme, field) for theme in file_codebook() for field in THEME_FIELDS}


def theme_text(theme_id: str, field: str, english: str | None) -> str:
    """A theme's label or description in the current language when it is the codebook file's text;
    a name staff gave a theme after a panel review (or a theme they added) is shown as typed."""
    if not english:
        return ""
    if _file_theme_texts().get((theme_id, field)) != english:
        return english
    return pgettext(f"theme.{theme_id}.{field}", english)
