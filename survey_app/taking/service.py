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
from survey_app.models import MONTH_FORMAT, Channel, Draft, Questionnaire, QuestionnaireVersion
from survey_app.responses.store import InvalidAnswer, store_response
from survey_app.surveys import activity
from survey_app.surveys.channels import spend_code


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _next_hour(moment: datetime) -> datetime:
    return moment.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)


def _current_wave_id(session: Session, version_id: int) -> int | None:
    return session.scalar(select(Questionnaire.current_wave_id).join(QuestionnaireVersion.questionnaire)
                          .where(QuestionnaireVersion.id == version_id))


def _count(session: Session, draft: Draft, event: str, now: datetime) -> None:
    activity.count(session, version_id=draft.version_id, wave_id=_current_wave_id(session, draft.version_id),
                   channel_id=draft.channel_id, event=event, now=now)


def start_draft(session: Session, version_id: int, lifetime: timedelta, now: datetime, *,
                channel_id: int | None = None, access_code: str | None = None) -> str:
    """Create an empty draft and return the token the browser keeps; also sweeps expired drafts."""
    session.execute(delete(Draft).where(Draft.expires_at <= now))
    token = secrets.token_urlsafe(32)
    draft = Draft(token_hash=_hash(token), version_id=version_id, answers={}, channel_id=channel_id,
                  access_code=access_code, pages_counted=[], expires_at=_next_hour(now + lifetime))
    session.add(draft)
    _count(session, draft, activity.STARTED, now)
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


def save_page(session: Session, draft: Draft, page: Page, values: dict, *, completed: bool = False,
              now: datetime | None = None) -> None:
    """Record a page's answers; answers to items that no longer apply are dropped. A page completed
    (moved on from, not back) counts once per draft in the aggregate page counters."""
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
    if completed and page.id not in draft.pages_counted:
        draft.pages_counted = [*draft.pages_counted, page.id]
        _count(session, draft, activity.page_event(page.id), now)
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


class CodeAlreadyUsed(SubmissionRefused):
    """The draft's access code was used by another submission in the meantime."""


def submit(session: Session, draft: Draft, definition: Definition, language: str,
           now: datetime) -> uuid.UUID:
    """Store every applicable answer, spend the access code, count the submission and delete the
    draft, all in one transaction. The code and the response are never linked."""
    answers = applicable_answers(definition, draft.answers)
    if first_incomplete_page(definition, answers) is not None:
        raise SubmissionRefused("some required questions have no answer")
    if draft.access_code and not spend_code(session, draft.access_code):
        raise CodeAlreadyUsed("the access code has been used already")
    channel = session.get(Channel, draft.channel_id) if draft.channel_id else None
    try:
        response = store_response(session, version_id=draft.version_id, definition=definition,
                                  answers=answers, language=language, month=now.strftime(MONTH_FORMAT),
                                  wave_id=_current_wave_id(session, draft.version_id),
                                  channel=(channel.type, channel.area) if channel else None)
    except InvalidAnswer as error:
        raise SubmissionRefused(str(error)) from error
    _count(session, draft, activity.SUBMITTED, now)
    session.delete(draft)
    session.commit()
    return response.id
