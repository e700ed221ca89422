"""A question's markup, rendered once per questionnaire version and language while it is blank.

Most page views show a question nobody has answered yet and without an error: its markup then
depends only on the version's text and the language, so it is rendered once per app and reused.
A question showing an answer or an error is rendered afresh, by the same macro.
"""

from __future__ import annotations

from flask import current_app
from markupsafe import Markup
from wtforms import Field

from survey_app.definitions import Item
from survey_app.definitions import Questionnaire as Definition
from survey_app.i18n import current_language


def _blank(field: Field) -> bool:
    """Nothing sent and nothing kept: the macro then renders no value, ticks no choice."""
    return not field.raw_data and field.data in (None, "", [])


def question(survey: Definition, item: Item, form, errors: dict[str, list[str]]) -> Markup:
    """What the `item_field` macro renders for this item, from the cache when it is blank."""
    item_field = current_app.jinja_env.get_template("taking/_fields.html").module.item_field
    keys = item.answer_keys
    if any(errors.get(key) for key in keys) or not all(_blank(form[key]) for key in keys):
        return item_field(survey.slug, item, form, errors)
    # The content hash names the version's text; the same item in a new version may read differently.
    # Keyed by answer keys, not item id: a rating scale cut over pages shows other statements on each.
    cache = current_app.extensions.setdefault("question_markup", {})
    key = (survey.content_hash, keys, current_language())
    markup = cache.get(key)
    if markup is None:
        markup = cache[key] = item_field(survey.slug, item, form, errors)
    return markup
