"""Languages: interface text in the `messages` domain, questionnaire text in `questionnaires`.

Questionnaire strings are looked up with a message context of "<slug>.<id>", so the same English
word can be translated differently in two places.
"""

from __future__ import annotations

from flask import Flask, current_app, request
from flask_babel import Babel, Domain, get_locale

# English is the source language; more are added by translating the catalogs in translations/.
LANGUAGES = {"en": {"name": "English", "dir": "ltr"}}
RTL = frozenset(code for code, info in LANGUAGES.items() if info["dir"] == "rtl")


def select_locale() -> str:
    return request.accept_languages.best_match(list(LANGUAGES)) or "en"


def init_app(app: Flask) -> None:
    Babel(app, locale_selector=select_locale)
    app.extensions["questionnaire_domain"] = Domain(
        translation_directories=app.config["BABEL_TRANSLATION_DIRECTORIES"], domain="questionnaires")
    app.jinja_env.globals.update(qt=questionnaire_text, text_direction=text_direction,
                                 current_language=current_language)


def current_language() -> str:
    return str(get_locale() or "en")


def text_direction() -> str:
    return "rtl" if current_language() in RTL else "ltr"


def questionnaire_text(context: str, text: str | None) -> str:
    """Translate one questionnaire string; the English source when no translation exists yet."""
    if not text:
        return ""
    return current_app.extensions["questionnaire_domain"].pgettext(context, text)
