"""Survey pages' markup, rendered once per questionnaire version and language wherever it can be.

Most page views show questions nobody has answered yet, without errors. Such a question's markup
depends only on the version's text and the language, so it is rendered once per app and reused.
So is the rest of a page without errors, its frame (title, step, buttons, languages, header and
footer): it is rendered once with a slot where the CSRF token goes and one for each question, and
each request fills the slots. A question showing an answer or an error is rendered afresh, by the
same macro; a page with errors, or with a message flashed to it, is rendered whole.
"""

from __future__ import annotations

import re
import secrets

from flask import current_app, g, render_template, request, session
from flask_wtf import FlaskForm
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from survey_app.caches import app_cache
from survey_app.definitions import Item, Page
from survey_app.definitions import Questionnaire as Definition
from survey_app.i18n import current_language

from .forms import page_form

#: Blank questions and page frames kept per app: far more than the versions, pages and languages
#: respondents use at a time, and a few megabytes at most.
QUESTIONS = 4096
FRAMES = 2048
#: In a frame, the CSRF token's slot; a question's slot is its position on the page.
TOKEN = -1


def _blank(item: Item, form: FlaskForm | None, errors: dict[str, list[str]]) -> bool:
    """Nothing sent, nothing kept and no error: the macro then renders no value, ticks no choice."""
    return form is None or all(
        not errors.get(key) and not form[key].raw_data and form[key].data in (None, "", [])
        for key in item.answer_keys
    )


def _item_field():
    return current_app.jinja_env.get_template("taking/_fields.html").module.item_field


def question(survey: Definition, item: Item, form: FlaskForm | None, errors: dict[str, list[str]]) -> Markup:
    """What the `item_field` macro renders for this item, from the cache when it is blank. Without a
    form, it is blank (a blank form is made only if the macro is called)."""
    if not _blank(item, form, errors):
        return _item_field()(survey.slug, item, form, errors)
    # The content hash names the version's text; the same item in a new version may read differently.
    # Keyed by answer keys, not item id: a rating scale cut over pages shows other statements on each.
    cache = app_cache("question_markup", QUESTIONS)
    key = (survey.content_hash, item.answer_keys, current_language())
    markup = cache.get(key)
    if markup is None:
        blank = page_form(survey.slug, [item], {}) if form is None else form
        markup = cache[key] = _item_field()(survey.slug, item, blank, errors)
    return markup


def page(
    survey: Definition,
    page: Page,
    items: list[Item],
    form: FlaskForm | None,
    errors: dict[str, list[str]],
    *,
    step: int,
    steps: int,
    changing: bool,
) -> str:
    """The `taking/page.html` page, its frame from the cache when it has no errors. Without a form,
    every question on it is blank (a blank form is made only if the template is rendered)."""

    def values() -> dict:
        # The template asks the form which answer keys are on the page: a blank form knows too.
        return {
            "survey": survey,
            "page": page,
            "items": items,
            "errors": errors,
            "step": step,
            "steps": steps,
            "changing": changing,
            "form": page_form(survey.slug, items, {}) if form is None else form,
        }

    if errors or "_flashes" in session:
        return render_template("taking/page.html", **values())
    # Everything the frame shows: the version's text, which page and questions, in which language,
    # on a shared device or not (its idle time), and where the app is mounted (in every link).
    key = (
        survey.slug,
        survey.content_hash,
        page.id,
        tuple(item.answer_keys for item in items),
        step,
        steps,
        changing,
        current_language(),
        g.get("shared_device"),
        request.script_root,
    )
    cache = app_cache("page_frames", FRAMES)
    frame = cache.get(key)
    if frame is None:
        frame = cache[key] = _frame(values())
    parts = list(frame)
    token = generate_csrf()
    for n in range(1, len(parts), 2):
        parts[n] = token if frame[n] == TOKEN else question(survey, items[frame[n]], form, errors)
    return "".join(parts)


def _frame(values: dict) -> tuple[str | int, ...]:
    """The page rendered with slots: text at even positions, at odd ones the slot between them."""
    # Random, so no questionnaire text can look like a slot; hex digits are the same escaped or not.
    mark = secrets.token_hex(8)
    positions = {item: n for n, item in enumerate(values["items"])}
    html = render_template(
        "taking/page.html",
        **values,
        csrf_token=lambda: f"{mark}{TOKEN}{mark}",
        question=lambda _survey, item, _form, _errors: f"{mark}{positions[item]}{mark}",
    )
    parts = re.split(f"{mark}(-?\\d+){mark}", html)
    return tuple(part if n % 2 == 0 else int(part) for n, part in enumerate(parts))
