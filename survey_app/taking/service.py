"""Drafts and submissions. No request, session or cookie in here: plain values in and out.

A draft lives server-side under the hash of a random token; submitting turns it into a response
in one transaction and deletes it, leaving nothing that links the two.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from analysis.text.redact import redact
from survey_app.definitions import Item, Page
from survey_app.definitions import Questionnaire as Definition
from survey_app.models import Draft, Questionnaire, QuestionnaireVersion
from survey_app.responses.store import InvalidAnswer, store_response


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _next_hour(moment: datetime) -> datetime:
    return moment.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)


def start_draft(session: Session, version_id: int, lifetime: timedelta, now: datetime) -> str:
    """Create an empty draft and return the token the browser keeps; also sweeps expired drafts."""
    session.execute(delete(Draft).where(Draft.expires_at <= now))
    token = secrets.token_urlsafe(32)
    session.add(Draft(token_hash=_hash(token), version_id=version_id, answers={},
                      expires_at=_next_hour(now + lifetime)))
    session.commit()
    return token


def find_draft(session: Session, token: str | None, now: datetime) -> Draft | None:
    if not token:
        return None
    draft = session.get(Draft, _hash(token))
    if draft is None or draft.expires_at <= now:
        return None
    return draft


def discard_draft(session: Session, token: str | None) -> None:
    if token:
        session.execute(delete(Draft).where(Draft.token_hash == _hash(token)))
        session.commit()


def shown_items(page: Page, answers: dict) -> list[Item]:
    """Items to put on the page: conditions on earlier pages are decided now; conditions on this
    page are left to the browser (and to `answered_items` once the page is posted)."""
    on_page = {key for item in page.items for key in item.answer_keys}
    return [item for item in page.items
            if item.show_if is None or item.show_if.item in on_page or item.visible(answers)]


def answered_items(page: Page, answers: dict) -> list[Item]:
    """Items that apply once this page's answers are known; the rest are neither checked nor kept."""
    return [item for item in page.items if item.visible(answers)]


def clean(item: Item, value: object) -> object:
    """Normalise a validated value for storage; free text loses personal data here, before storage."""
    if value in (None, "", []):
        return None
    if item.type in ("short_text", "long_text"):
        return redact(value) or None
    return value


def save_page(session: Session, draft: Draft, page: Page, values: dict) -> None:
    """Record a page's answers; answers to items that no longer apply are dropped."""
    answers = dict(draft.answers)
    for item in page.items:
        for key in item.answer_keys:
            answers.pop(key, None)
    merged = {**answers, **values}
    for item in answered_items(page, merged):
        for key in item.answer_keys:
            value = clean(item, values.get(key))
            if value is not None:
                answers[key] = value
    draft.answers = answers
    session.commit()


def applicable_answers(definition: Definition, answers: dict) -> dict:
    """Answers to items that apply, in questionnaire order (a changed early answer can hide later items)."""
    kept: dict = {}
    for item in definition.items:
        if item.visible(kept):
            kept.update({key: answers[key] for key in item.answer_keys if key in answers})
    return kept


def first_incomplete_page(definition: Definition, answers: dict) -> Page | None:
    kept = applicable_answers(definition, answers)
    for page in definition.visible_pages(kept):
        for item in answered_items(page, kept):
            if not item.optional and any(key not in kept for key in item.answer_keys):
                return page
    return None


class SubmissionRefused(Exception):
    """The draft cannot become a response; nothing was stored."""


def submit(session: Session, draft: Draft, definition: Definition, language: str,
           now: datetime) -> uuid.UUID:
    """Store every applicable answer and delete the draft, all in one transaction."""
    answers = applicable_answers(definition, draft.answers)
    if first_incomplete_page(definition, answers) is not None:
        raise SubmissionRefused("some required questions have no answer")
    wave_id = session.scalar(select(Questionnaire.current_wave_id)
                             .join(QuestionnaireVersion.questionnaire)
                             .where(QuestionnaireVersion.id == draft.version_id))
    try:
        response = store_response(session, version_id=draft.version_id, definition=definition,
                                  answers=answers, language=language, month=now.strftime("%Y-%m"),
                                  wave_id=wave_id)
    except InvalidAnswer as error:
        raise SubmissionRefused(str(error)) from error
    session.delete(draft)
    session.commit()
    return response.id
